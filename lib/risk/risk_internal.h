/* lib/risk's evaluation engine: a basket valued in a market under a haircut
 * model, with one price optionally overridden (for liquidation-price root
 * finding) and one asset optionally explained (for the breakdown). */
#ifndef KEEL_RISK_INTERNAL_H
#define KEEL_RISK_INTERNAL_H

#include <stdbool.h>

#include "keel/risk.h"

/* Sums over a basket's positions (numeraire). */
typedef struct keel_risk_sums {
    double collateral;  /* C  = sum q p */
    double collateral_scheduled; /* the part of C in assets with a haircut schedule */
    double borrowing;   /* BP = sum q p (1 - h_init), less the portfolio VaR */
    double liquidation; /* L  = sum q p (1 - h_maint), less the portfolio VaR */
    double debt;        /* D  = sum d p */
    double weighted;    /* W  = sum d p b */
    double var;         /* portfolio VaR (0 outside portfolio mode) */
    double option_value;  /* net value of the options book (0 without one) */
    double option_margin; /* its scenario margin */
} keel_risk_sums;

typedef struct keel_risk_request {
    keel_asset override_asset; /* KEEL_ASSET_INVALID: none */
    double override_price;
    keel_asset skip_asset;     /* its positions left out of the sums; KEEL_ASSET_INVALID: none */
    keel_asset explain_asset;  /* KEEL_ASSET_INVALID: none */
    keel_haircut_components *explain; /* full-size, written when explain_asset is set */
    /* more assets explained in the same evaluation (held or not, known to
     * the market): increasing ids, explain_list[i] written for explain_ids[i] */
    const keel_asset *explain_ids;
    size_t explain_count;
    keel_haircut_components *explain_list;
} keel_risk_request;

#define KEEL_RISK_REQUEST_NONE                                                               \
    (keel_risk_request) { KEEL_ASSET_INVALID, 0.0, KEEL_ASSET_INVALID, KEEL_ASSET_INVALID, NULL, \
                          NULL, 0, NULL }

/* Checks the three handles and that options is NULL. */
keel_status keel_risk_check_inputs(const keel_basket *basket, const keel_options *options,
                                   const keel_market *market, const keel_haircut_model *haircuts,
                                   const char *fn);

/* Values the basket. Fails on an unknown asset, an overflow, a correlation
 * matrix that is not PSD (portfolio mode) or out of memory (portfolio mode
 * with many assets). */
keel_status keel_risk_evaluate(const keel_basket *basket, const keel_options *options,
                               const keel_market *market, const keel_haircut_model *haircuts,
                               const keel_risk_request *req, keel_risk_sums *out, const char *fn);

/* keel_basket_metrics() for checked inputs; errors name `fn`. */
keel_status keel_risk_metrics(const keel_basket *basket, const keel_options *options,
                              const keel_market *market, const keel_haircut_model *haircuts,
                              keel_metrics *out, const char *fn);

/* keel_risk_breakdown() of `count` assets (increasing ids, known to the
 * market, held or not) from one evaluation, out[i] for ids[i], bit for bit
 * as one call each would give. (lib/risk/breakdowns.c) */
keel_status keel_risk_breakdowns(const keel_haircut_model *model, const keel_basket *basket,
                                 const keel_market *market, const keel_asset *ids, size_t count,
                                 keel_haircut_components *out, const char *fn);

/* keel_haircut_breakdown() for checked inputs (asset known); errors name `fn`. */
keel_status keel_risk_breakdown(const keel_haircut_model *model, const keel_basket *basket,
                                const keel_market *market, keel_asset asset,
                                keel_haircut_components *out, const char *fn);

/* True when every haircut is independent of quantities and prices and no
 * option position exists, so the health factor is linear-fractional in each
 * price. */
bool keel_risk_is_linear(const keel_haircut_model *haircuts, const keel_options *options);

/* For a linear model (keel_risk_is_linear): the asset's effective
 * maintenance haircut, exactly as the engine computes it, and its borrow
 * factor; so that a kernel computing q p (1 - hm) and d p bf in increasing
 * asset order reproduces keel_basket_metrics bit for bit. */
void keel_risk_linear_terms(const keel_market *market, const keel_haircut_model *haircuts,
                            keel_asset asset, double *out_hi, double *out_hm, double *out_bf);

/* keel_basket_health_sensitivity() for checked inputs (asset known); errors
 * name `fn`. (lib/risk/probability.c) */
keel_status keel_risk_health_sensitivity(const keel_basket *basket, const keel_options *options,
                                         const keel_market *market,
                                         const keel_haircut_model *haircuts, keel_asset asset,
                                         double *out_dhf, double *out_d2hf, const char *fn);

/* The first-passage law behind keel_liquidation_probability(): log HF
 * starts at x and moves as a Brownian motion of mean m and deviation s over
 * the horizon; probability = keel_risk_first_passage(x, m, s). `model` is
 * false where no such law is used (no debt: 0; HF < 1: 1). */
typedef struct keel_passage {
    double probability, x, m, s;
    bool model;
} keel_passage;

/* P(the path goes below 0 within the horizon), and its derivative in x
 * (closed forms, lib/risk/probability.c). */
double keel_risk_first_passage(double x, double m, double s);
double keel_risk_first_passage_dx(double x, double m, double s);

/* keel_risk_liquidation_probability() with the law's parameters. */
keel_status keel_risk_passage(const keel_basket *basket, const keel_options *options,
                              const keel_market *market, const keel_haircut_model *haircuts,
                              double horizon, keel_passage *out, const char *fn);

/* keel_liquidation_probability() for checked inputs; errors name `fn`.
 * (lib/risk/probability.c) */
keel_status keel_risk_liquidation_probability(const keel_basket *basket,
                                              const keel_options *options,
                                              const keel_market *market,
                                              const keel_haircut_model *haircuts, double horizon,
                                              double *out_probability, const char *fn);

#endif
