/* Morpho Blue inside lib/protocol: the market handle and the Solidity math
 * the public functions share. Source: morpho-org/morpho-blue, tag v1.0.0
 * (commit 55d2d99304fb): src/Morpho.sol, src/libraries/SharesMathLib.sol,
 * MathLib.sol, ConstantsLib.sol, UtilsLib.sol (docs/protocols.md). Each
 * helper returns the revert the Solidity would raise (KEEL_MORPHO_OK,
 * KEEL_MORPHO_ARITHMETIC for Panic(0x11), KEEL_MORPHO_DIVISION_BY_ZERO for
 * Panic(0x12), KEEL_MORPHO_MAX_UINT128_EXCEEDED) and sets no error text. */
#ifndef KEEL_PROTOCOL_MORPHO_INTERNAL_H
#define KEEL_PROTOCOL_MORPHO_INTERNAL_H

#include <stdbool.h>

#include "keel/market.h"
#include "keel/morpho.h"
#include "protocol/u256_ops.h"

struct keel_morpho_market {
    uint32_t tag;
    keel_morpho_params p; /* size member = sizeof(keel_morpho_params) */
    keel_morpho_state s;  /* size member = sizeof(keel_morpho_state) */
    char loan_symbol[KEEL_SYMBOL_MAX + 1];
    char collateral_symbol[KEEL_SYMBOL_MAX + 1];
};

/* The four numbers the borrow side of a position is judged on, as the
 * keeper searches and the liquidation change them. */
typedef struct morpho_borrow_view {
    keel_u256 collateral, borrow_shares, total_borrow_assets, total_borrow_shares;
} morpho_borrow_view;

#define MORPHO_WAD 1000000000000000000ull

/* MathLib.mulDivDown / mulDivUp, with the checked arithmetic of Solidity
 * 0.8.19: x·y overflow and, for mulDivUp, d − 1 and the sum are Panic(0x11);
 * a zero divisor of mulDivDown is Panic(0x12). */
keel_morpho_revert morpho_mul_div_down(keel_u256 x, keel_u256 y, keel_u256 d, keel_u256 *out);
keel_morpho_revert morpho_mul_div_up(keel_u256 x, keel_u256 y, keel_u256 d, keel_u256 *out);

/* SharesMathLib (VIRTUAL_SHARES 1e6, VIRTUAL_ASSETS 1). */
keel_morpho_revert morpho_convert(keel_morpho_conversion op, keel_u256 amount, keel_u256 total_assets,
                                  keel_u256 total_shares, keel_u256 *out);

/* Morpho.liquidate's incentive factor (the LLTV is below 1 wad). */
keel_u256 morpho_incentive(keel_u256 lltv);

/* _isHealthy's two sides at `price` (Morpho.sol v1.0.0, 4-argument form):
 * borrowed = toAssetsUp(borrowShares), maxBorrow = collateral
 * .mulDivDown(price, 1e36).wMulDown(lltv); and the health factor
 * maxBorrow · 1e18 / borrowed (floor; 2^256 − 1 when borrowed is 0 or the
 * quotient does not fit). Any output may be NULL. */
keel_morpho_revert morpho_health(keel_u256 price, keel_u256 lltv, const morpho_borrow_view *v,
                                 keel_u256 *borrowed, keel_u256 *collateral_value,
                                 keel_u256 *max_borrow, keel_u256 *hf);

/* Checks the market handle and a position against it (widths, shares <= totals). */
keel_status morpho_check(const keel_morpho_market *m, const keel_morpho_position *p, const char *fn);

/* The liquidation engine behind keel_morpho_liquidation_quote: fills the
 * full-size `q` (revert set on KEEL_E_INFEASIBLE, no error text); `after`
 * may be NULL and is written only on success. */
keel_status morpho_liquidate(const keel_morpho_market *m, const keel_morpho_position *p,
                             keel_u256 seized, keel_u256 repaid_shares, keel_morpho_liquidation *q,
                             keel_morpho_position *after);

static inline keel_u256 morpho_wad(void) { return u256_small(MORPHO_WAD); }

/* 2^128 − 1, the largest uint128. */
static inline keel_u256 morpho_u128_max(void)
{
    keel_u256 r = {{UINT64_MAX, UINT64_MAX, 0, 0}};
    return r;
}

static inline bool morpho_fits_u128(keel_u256 a) { return (a.w[2] | a.w[3]) == 0; }

#endif /* KEEL_PROTOCOL_MORPHO_INTERNAL_H */
