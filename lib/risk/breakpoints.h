/* The searches behind keel_basket_liquidation_price() and
 * keel_basket_liquidation_prices() once the health factor is not
 * linear-fractional in a price: where the account's health changes side as
 * one asset's price moves, all else fixed. The guarantee is stated in
 * include/keel/risk.h; the method and its proof sketch in breakpoints.c. */
#ifndef KEEL_RISK_BREAKPOINTS_H
#define KEEL_RISK_BREAKPOINTS_H

#include <stdbool.h>

#include "keel/risk.h"

typedef struct keel_crossings {
    bool healthy;     /* L - W >= 0 (HF >= 1) at the current price */
    bool found_below; /* a change of side below the current price (within spot / 2^64) */
    bool found_above; /* above it (within spot x 2^64) */
    double below;     /* the nearest one below, when found */
    double above;     /* the nearest one above, when found */
} keel_crossings;

/* The nearest prices of `asset`, below and above its current price, at which
 * the sign of L - W changes (HF crosses 1). Fails as keel_basket_metrics()
 * would at the prices visited (an overflow only ends the walk on that side),
 * or with KEEL_E_NOMEM. */
keel_status keel_risk_crossings(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                keel_asset asset, keel_crossings *out, const char *fn);

#endif
