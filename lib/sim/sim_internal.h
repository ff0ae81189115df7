/* Private interface of lib/sim: the scan kernel shared by the batch calls. */
#ifndef KEEL_SIM_INTERNAL_H
#define KEEL_SIM_INTERNAL_H

#include <stdbool.h>

#include "keel/sim.h"

/* Per-asset tables for valuing many accounts against one market. */
typedef struct keel_scan_ctx {
    const keel_market *market;
    const keel_haircut_model *haircuts;
    const char *fn;
    size_t nassets;
    bool linear;
    double *om, *bf, *price; /* 1 - h_maint, borrow factor, price (maybe shocked) */
    keel_basket *scratch;    /* the engine's path: one reused basket */
    keel_market *shocked;    /* the engine's path under a shock */
} keel_scan_ctx;

keel_status keel_scan_begin(keel_scan_ctx *c, const keel_market *market,
                            const keel_haircut_model *haircuts, const char *fn);
void keel_scan_end(keel_scan_ctx *c);
/* Moves every asset with a volatility by the fraction `shock`. */
keel_status keel_scan_shock(keel_scan_ctx *c, double shock);
keel_status keel_scan_check_arrays(const size_t *offsets, const keel_asset *assets,
                                   const double *collateral, const double *debt, const char *fn);
/* Account i's HF (and its collateral value at the context's prices). */
keel_status keel_scan_account(keel_scan_ctx *c, size_t i, const size_t *offsets,
                              const keel_asset *assets, const double *collateral,
                              const double *debt, double *out_hf, double *out_collateral);

#endif
