/* Private view of keel_cost_model for the solvers (lib/policy). */
#ifndef KEEL_COST_INTERNAL_H
#define KEEL_COST_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/cost.h"

/* One asset's cost terms, read once so that a solver can evaluate a trade
 * many times without lookups. */
typedef struct keel_cost_terms {
    double fee, spread, fixed;
    keel_impact impact;
    double a, b, c;    /* shape parameters, as stored */
    double sigma_d;    /* daily volatility (square-root law) */
} keel_cost_terms;

keel_cost_terms keel_cost_terms_of(const keel_cost_model *model, const keel_market *market,
                                   keel_asset asset);

/* keel_cost_model_cost() and keel_cost_model_swap() for checked inputs
 * (known assets, valid quantities); errors name `fn`. */
keel_status keel_cost_trade(const keel_cost_model *model, const keel_market *market,
                            keel_asset asset, double quantity, keel_trade_cost *out,
                            const char *fn);
keel_status keel_cost_swap(const keel_cost_model *model, const keel_market *market,
                           keel_asset from, keel_asset to, double quantity, keel_swap_result *out,
                           const char *fn);

/* Feeds every asset's cost terms into fingerprint h. */
uint64_t keel_cost_model_fingerprint(const keel_cost_model *model, uint64_t h);

/* Cost, without the fixed part, of selling x >= 0 units at price p. */
double keel_cost_sell(const keel_cost_terms *t, double p, double x);

/* Its derivative in x (non-decreasing: the variable cost is convex). */
double keel_cost_sell_marginal(const keel_cost_terms *t, double p, double x);

/* Units of `asset` that a budget (numeraire, costs included) buys; 0 when the
 * budget does not cover the fixed cost. The asset must be known. */
keel_status keel_cost_units_for_budget(const keel_cost_model *model, const keel_market *market,
                                       keel_asset asset, double budget, double *out_units,
                                       const char *fn);

/* keel_cost_model_clone() for a checked handle and a non-NULL out; errors (only
 * KEEL_E_NOMEM) name `fn`. */
keel_status keel_cost_model_copy(const keel_cost_model *model, keel_cost_model **out, const char *fn);

#endif
