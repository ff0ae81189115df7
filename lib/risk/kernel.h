/* The one valuation kernel of keel, and the resolved per-asset view it reads.
 *
 * Every valuation in the library -- keel_basket_metrics (lib/risk/evaluate.c),
 * the scans (lib/scan/scan.c) and each step of a simulation (lib/sim/run.c) --
 * adds a position to its account's sums through keel_kernel_add and turns
 * the sums into metrics through keel_kernel_metrics, so the three give the
 * same bits by construction (tests/test_sim.c checks it on random
 * accounts). The sums are taken in increasing asset id, the order the
 * basket keeps.
 *
 * For a haircut model whose haircuts depend on neither sizes nor prices
 * (keel_risk_is_linear), the per-asset terms are the same for every account
 * and step: keel_kernel_table holds them for a whole market, built once. */
#ifndef KEEL_RISK_KERNEL_H
#define KEEL_RISK_KERNEL_H

#include <math.h>

#include "risk_internal.h"

/* Adds one position, q units of collateral and d of debt at price p, with
 * effective haircuts h_init, h_maint given as oi = 1 - h_init and
 * om = 1 - h_maint, borrow factor bf, and sched = 1 when the asset has a
 * haircut schedule (0 otherwise):
 *   C += q p, C_s += q p sched, BP += q p oi, L += q p om,
 *   D += d p, W += d p bf.
 * q, d >= 0 and p > 0, so q p >= 0: a position without collateral adds +0
 * to C, C_s, BP and L, which changes no bit of sums that start at +0 --
 * no branch is needed (the engine once skipped them; the bits agree). */
static inline void keel_kernel_add(keel_risk_sums *s, double q, double d, double p, double oi,
                                   double om, double bf, double sched)
{
    double cv = q * p, dv = d * p;
    s->collateral += cv;
    s->collateral_scheduled += cv * sched;
    s->borrowing += cv * oi;
    s->liquidation += cv * om;
    s->debt += dv;
    s->weighted += dv * bf;
}

/* a / b for non-negative a, b with the conventions of keel_metrics:
 * b = 0 gives 0 when a = 0 and +inf otherwise. */
static inline double keel_kernel_ratio(double a, double b)
{
    if (b > 0.0)
        return a / b;
    return a > 0.0 ? INFINITY : 0.0;
}

/* The metrics of an account from its sums (keel_metrics' definitions in
 * include/keel/risk.h); `out` gets every member, size included. Inline, so
 * that a caller reading a few members pays for no other. */
static inline void keel_kernel_metrics(const keel_risk_sums *s, keel_metrics *out)
{
    keel_metrics *m = out; /* written member by member: no 128-byte copy */
    m->size = sizeof *m;
    m->collateral_value = s->collateral;
    m->borrowing_power = s->borrowing;
    m->liquidation_value = s->liquidation;
    m->debt_value = s->debt;
    m->option_value = s->option_value;
    m->option_margin = s->option_margin;
    m->weighted_debt = s->weighted + s->option_margin;
    m->health_factor = m->weighted_debt > 0.0 ? s->liquidation / m->weighted_debt : INFINITY;
    m->ltv = keel_kernel_ratio(s->debt, s->collateral);
    m->collateral_ratio = s->debt > 0.0 ? s->collateral / s->debt : INFINITY;
    m->capital_efficiency = keel_kernel_ratio(m->weighted_debt, s->borrowing);
    /* clamped at 0 as protocols report it (Aave's availableBorrowsBase) */
    m->free_borrowing_power = fmax(0.0, s->borrowing - m->weighted_debt);
    m->liquidation_buffer = s->liquidation - m->weighted_debt;
    /* over the collateral that has a haircut schedule, as Aave's
     * GenericLogic counts only reserves with a liquidation threshold */
    m->weighted_max_ltv = keel_kernel_ratio(s->borrowing, s->collateral_scheduled);
    m->weighted_liquidation_threshold = keel_kernel_ratio(s->liquidation, s->collateral_scheduled);
}

/* Per-asset terms of a linear model for every asset of a market. */
typedef struct keel_kernel_table {
    size_t n;      /* assets */
    double *price; /* the market's prices (a caller may overwrite them: shocks, paths) */
    double *oi;    /* 1 - h_init */
    double *om;    /* 1 - h_maint */
    double *bf;    /* borrow factor */
    double *sched; /* 1 when the asset has a haircut schedule, else 0 */
} keel_kernel_table;

/* Builds the table for `market` under `haircuts` (the terms are those of a
 * linear model: add-ons that depend on sizes are left out, so callers use
 * the table only when keel_risk_is_linear holds). KEEL_E_NOMEM naming `fn`. */
keel_status keel_kernel_table_init(keel_kernel_table *t, const keel_market *market,
                                   const keel_haircut_model *haircuts, const char *fn);

/* Frees the table's arrays (a zeroed table is fine). */
void keel_kernel_table_free(keel_kernel_table *t);

/* Adds a position of asset a (checked < t->n) through the table. */
static inline void keel_kernel_add_linear(keel_risk_sums *s, const keel_kernel_table *t,
                                          keel_asset a, double q, double d)
{
    keel_kernel_add(s, q, d, t->price[a], t->oi[a], t->om[a], t->bf[a], t->sched[a]);
}

#endif
