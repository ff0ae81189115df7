/**
 * @file morpho.h
 * Morpho Blue positions, exactly as the chain computes them: shares and
 * assets with the virtual offset and each direction's rounding, `_isHealthy`,
 * the liquidation call as a quote (both ways, with bad-debt realisation, or
 * the reason it would revert), interest accrual with the Taylor compounding,
 * what a keeper asks (the repay or collateral that reaches a target health,
 * the most collateral that can be withdrawn, the most that can be borrowed,
 * the liquidation price, the best liquidation), and the bridge to keel's
 * double-precision market, basket and haircut model.
 *
 * \experimental Every declaration here is in the experimental tier.
 *
 * Source: morpho-org/morpho-blue, tag v1.0.0 (commit 55d2d99304fb, the
 * deployed contract; src/ is unchanged in substance up to 3085651a7955):
 * src/Morpho.sol (liquidate, borrow, repay, withdrawCollateral,
 * _accrueInterest, _isHealthy), src/libraries/SharesMathLib.sol,
 * MathLib.sol, ConstantsLib.sol, UtilsLib.sol and
 * periphery/MorphoBalancesLib.sol. docs/protocols.md maps each function
 * here to its Solidity.
 *
 * Units are the chain's: amounts in the token's smallest unit (wei), the
 * LLTV, the fee, the liquidation incentive factor, the borrow rate (per
 * second) and the health factor in wads (10^18), the oracle price scaled
 * by 10^36 (ORACLE_PRICE_SCALE: loan-token wei per collateral-token wei
 * times 10^36, as IOracle.price() returns it).
 *
 * A market is a handle (parameters and state). A position is a plain
 * struct of three integers, as Morpho stores it: no handle is needed.
 * Every function reads the market's state as it stands: call
 * keel_morpho_market_accrue() first where the chain would accrue interest.
 */
#ifndef KEEL_MORPHO_H
#define KEEL_MORPHO_H

#include <stdint.h>

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque Morpho Blue market: parameters (MarketParams plus decimals and
 *  symbols) and state (Market). */
typedef struct keel_morpho_market keel_morpho_market;

/**
 * A market's parameters. Size-prefixed (docs/abi.md): start from
 * keel_morpho_params_init() or KEEL_MORPHO_PARAMS_INIT.
 */
typedef struct keel_morpho_params {
    size_t size;                  /**< sizeof(keel_morpho_params) */
    uint32_t loan_decimals;       /**< loan token decimals, 0..38 (for the bridge) */
    uint32_t collateral_decimals; /**< collateral token decimals, 0..38 (for the bridge) */
    keel_u256 price;              /**< IOracle.price(): loan wei per collateral wei · 10^36 */
    keel_u256 lltv;               /**< liquidation LTV, wad, 0 <= lltv < 10^18 (0: an idle market, where any debt is unhealthy) */
} keel_morpho_params;

/** Defaults: 18 decimals each, price 0, LLTV 0 (to be set). */
#define KEEL_MORPHO_PARAMS_INIT { sizeof(keel_morpho_params), 18, 18, {{0, 0, 0, 0}}, {{0, 0, 0, 0}} }

/** Fills @p params with KEEL_MORPHO_PARAMS_INIT (as every keel `_init`). \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_params_init(keel_morpho_params *params, size_t size);

/**
 * A market's state (Morpho.sol `Market`). Size-prefixed: start from
 * keel_morpho_state_init() or KEEL_MORPHO_STATE_INIT.
 */
typedef struct keel_morpho_state {
    size_t size;                   /**< sizeof(keel_morpho_state) */
    keel_u256 total_supply_assets; /**< uint128 on chain: below 2^128 */
    keel_u256 total_supply_shares; /**< uint128 */
    keel_u256 total_borrow_assets; /**< uint128 */
    keel_u256 total_borrow_shares; /**< uint128 */
    uint64_t last_update;          /**< unix seconds of the last accrual */
    keel_u256 fee;                 /**< wad, <= MAX_FEE = 0.25e18 */
} keel_morpho_state;

/** Defaults: an empty market, last update 0, fee 0. */
#define KEEL_MORPHO_STATE_INIT                                                         \
    {                                                                                  \
        sizeof(keel_morpho_state), {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},     \
            {{0, 0, 0, 0}}, 0, {{0, 0, 0, 0}}                                          \
    }

/** Fills @p state with KEEL_MORPHO_STATE_INIT. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_state_init(keel_morpho_state *state, size_t size);

/**
 * A user's position (Morpho.sol `Position`): a plain struct of fixed layout,
 * not size-prefixed (it is the contract's storage layout, which cannot
 * change). Every function checks it against the market: borrow_shares and
 * collateral below 2^128 (their on-chain width; KEEL_E_OVERFLOW), and no
 * more shares than the market's totals (KEEL_E_OUT_OF_RANGE).
 */
typedef struct keel_morpho_position {
    keel_u256 supply_shares; /**< uint256 on chain, <= total_supply_shares */
    keel_u256 borrow_shares; /**< uint128, <= total_borrow_shares */
    keel_u256 collateral;    /**< uint128, collateral wei */
} keel_morpho_position;

/**
 * Creates a market (Morpho.createMarket, then the given state).
 *
 * @param loan_symbol, collateral_symbol the tokens' symbols (for the bridge); they must differ.
 * @param params parameters; @p state may be NULL for an empty market.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_INVALID_SYMBOL (also for two equal
 *         symbols); KEEL_E_OUT_OF_RANGE for an LLTV >= 1 wad, a fee
 *         above 25%, decimals above 38, a size too small; KEEL_E_OVERFLOW for
 *         a total of 2^128 or more; KEEL_E_NOMEM (nothing leaked).
 *         \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_new(const char *loan_symbol, const char *collateral_symbol,
                                            const keel_morpho_params *params,
                                            const keel_morpho_state *state,
                                            keel_morpho_market **out);

/** Frees a market; NULL is a no-op. \experimental */
KEEL_EXPERIMENTAL
KEEL_API void keel_morpho_market_free(keel_morpho_market *market);

/** Deep copy. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_clone(const keel_morpho_market *market,
                                              keel_morpho_market **out);

/** Reads the parameters. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a size too small. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_params(const keel_morpho_market *market,
                                               keel_morpho_params *out);

/** Reads the state. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a size too small. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_state(const keel_morpho_market *market,
                                              keel_morpho_state *out);

/**
 * Replaces the state (after a quote, or from the chain's `market(id)`).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE
 *         for a fee above 25% or a size too small; KEEL_E_OVERFLOW for a
 *         total of 2^128 or more. Nothing changes on failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_set_state(keel_morpho_market *market,
                                                  const keel_morpho_state *state);

/** Sets the oracle price (10^36-scaled; 0 is allowed and makes every debt unhealthy). @return KEEL_OK; KEEL_E_BAD_HANDLE. \experimental */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_set_price(keel_morpho_market *market, keel_u256 price);

/**
 * Accrues interest to @p timestamp exactly as Morpho._accrueInterest
 * (v1.0.0) does with an IRM answering @p borrow_rate (wad per second):
 * interest = wMulDown(totalBorrowAssets, wTaylorCompounded(rate, elapsed))
 * (MathLib: x·n + (x·n)²/2 + (x·n)³/6, each term floored), added to both
 * asset totals; the fee's part, wMulDown(interest, fee), minted to the fee
 * recipient as toSharesDown(feeAmount, totalSupplyAssets − feeAmount,
 * totalSupplyShares) shares; last_update set. Nothing happens when
 * @p timestamp equals last_update.
 *
 * @param[out] out_interest, out_fee_shares optional: what was added (the fee
 *        recipient's position gains out_fee_shares supply shares).
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE when @p timestamp
 *         is before last_update; KEEL_E_OVERFLOW where the Solidity reverts
 *         (a checked product or sum, a total past uint128). Nothing changes
 *         on failure. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_market_accrue(keel_morpho_market *market, keel_u256 borrow_rate,
                                               uint64_t timestamp, keel_u256 *out_interest,
                                               keel_u256 *out_fee_shares);

/** SharesMathLib's four conversions (VIRTUAL_SHARES = 10^6, VIRTUAL_ASSETS = 1). */
typedef enum keel_morpho_conversion {
    /** toSharesDown: assets · (totalShares + 10^6) / (totalAssets + 1), floor */
    KEEL_MORPHO_TO_SHARES_DOWN = 0,
    /** toSharesUp: the same, rounded up (mulDivUp: (x·y + d − 1) / d) */
    KEEL_MORPHO_TO_SHARES_UP = 1,
    /** toAssetsDown: shares · (totalAssets + 1) / (totalShares + 10^6), floor */
    KEEL_MORPHO_TO_ASSETS_DOWN = 2,
    /** toAssetsUp: the same, rounded up */
    KEEL_MORPHO_TO_ASSETS_UP = 3
} keel_morpho_conversion;

/**
 * One SharesMathLib conversion of @p amount against the totals, with the
 * Solidity's checked arithmetic.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE for an unknown @p op;
 *         KEEL_E_OVERFLOW where the Solidity reverts. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_convert(keel_morpho_conversion op, keel_u256 amount,
                                         keel_u256 total_assets, keel_u256 total_shares,
                                         keel_u256 *out);

/**
 * The liquidation incentive factor of Morpho.liquidate (v1.0.0):
 * min(MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18,
 * WAD.wDivDown(WAD − LIQUIDATION_CURSOR.wMulDown(WAD − lltv))), cursor
 * 0.3e18. For LLTV 0.86: 1.043841336116910229 wad.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE for an LLTV >= 1 wad. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_incentive_factor(keel_u256 lltv, keel_u256 *out);

/** What the chain says of a position. Size-prefixed. */
typedef struct keel_morpho_position_data {
    size_t size;                /**< sizeof(keel_morpho_position_data) */
    keel_u256 supply_assets;    /**< toAssetsDown(supply_shares) (MorphoBalancesLib.expectedSupplyAssets at the current state) */
    keel_u256 borrow_assets;    /**< toAssetsUp(borrow_shares), as _isHealthy's `borrowed` */
    keel_u256 collateral_value; /**< collateral.mulDivDown(price, 10^36), loan wei */
    keel_u256 max_borrow;       /**< collateral_value.wMulDown(lltv), _isHealthy's `maxBorrow` */
    keel_u256 health_factor;    /**< max_borrow.wDivDown(borrow_assets) (wad); 2^256 − 1 without debt */
    int healthy;                /**< _isHealthy: max_borrow >= borrow_assets (health_factor >= 1 wad) */
    int liquidatable;           /**< !healthy: liquidate would not revert "position is healthy" */
} keel_morpho_position_data;

/** KEEL_MORPHO_POSITION_DATA_INIT: size set, everything else 0. */
#define KEEL_MORPHO_POSITION_DATA_INIT                                                 \
    {                                                                                  \
        sizeof(keel_morpho_position_data), {{0, 0, 0, 0}}, {{0, 0, 0, 0}},             \
            {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, 0, 0                       \
    }

/**
 * The position's balances and health exactly as Morpho._isHealthy (v1.0.0)
 * computes them. Without borrow shares _isHealthy returns true before it
 * values the collateral: where that value would pass 256 bits, it and
 * max_borrow are then 2^256 − 1 (saturated) and the position healthy. The health factor is keel's name for maxBorrow / borrowed
 * in wad, floored (the peer \@morpho-org/blue-sdk's getHealthFactor): it is
 * >= 1 wad exactly when _isHealthy holds.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OVERFLOW for
 *         a position field past its uint128 (every position-taking function
 *         checks this, and KEEL_E_OUT_OF_RANGE for more shares than the
 *         market's totals) or where the Solidity reverts (collateral · price
 *         past 2^256); KEEL_E_OUT_OF_RANGE for a size too small. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_position_data_get(const keel_morpho_market *market,
                                                   const keel_morpho_position *position,
                                                   keel_morpho_position_data *out);

/** Why Morpho would revert a call (ErrorsLib's string, or the panic, in the comment). */
typedef enum keel_morpho_revert {
    KEEL_MORPHO_OK = 0,
    KEEL_MORPHO_HEALTHY_POSITION = 1,        /**< "position is healthy" */
    KEEL_MORPHO_INCONSISTENT_INPUT = 2,      /**< "inconsistent input": not exactly one amount 0 */
    KEEL_MORPHO_INSUFFICIENT_COLLATERAL = 3, /**< "insufficient collateral" */
    KEEL_MORPHO_INSUFFICIENT_LIQUIDITY = 4,  /**< "insufficient liquidity" */
    KEEL_MORPHO_MAX_UINT128_EXCEEDED = 5,    /**< "max uint128 exceeded" (UtilsLib.toUint128) */
    KEEL_MORPHO_ARITHMETIC = 6,              /**< Panic(0x11): a checked overflow or underflow
                                                  (repaying or seizing more than the position holds) */
    KEEL_MORPHO_DIVISION_BY_ZERO = 7         /**< Panic(0x12): a division by a price of 0 */
} keel_morpho_revert;

/** @return the ErrorsLib string of @p reason ("position is healthy"), the
 *  panic's text for the two panics, "" for KEEL_MORPHO_OK, "unknown revert"
 *  otherwise. \experimental */
KEEL_EXPERIMENTAL
KEEL_API const char *keel_morpho_revert_name(keel_morpho_revert reason);

/** The outcome of one liquidate call. Size-prefixed. */
typedef struct keel_morpho_liquidation {
    size_t size;                  /**< sizeof(keel_morpho_liquidation) */
    keel_morpho_revert revert;    /**< KEEL_MORPHO_OK, or why the call reverts */
    keel_u256 incentive_factor;   /**< wad, keel_morpho_incentive_factor() */
    keel_u256 seized_assets;      /**< collateral wei to the liquidator */
    keel_u256 repaid_shares;      /**< borrow shares burned by the repayment */
    keel_u256 repaid_assets;      /**< loan wei the liquidator pays: toAssetsUp(repaid_shares) */
    keel_u256 bad_debt_shares;    /**< borrow shares written off when no collateral is left */
    keel_u256 bad_debt_assets;    /**< loan wei written off (removed from both asset totals) */
    keel_u256 seized_value;       /**< seized_assets.mulDivDown(price, 10^36), loan wei */
    double profit;                /**< seized_value − repaid_assets, loan wei, before gas */
    keel_u256 total_supply_assets_after; /**< the market's totalSupplyAssets after the call (less the bad debt) */
    keel_u256 total_supply_shares_after; /**< totalSupplyShares after the call (unchanged) */
    keel_u256 total_borrow_assets_after; /**< totalBorrowAssets after the call */
    keel_u256 total_borrow_shares_after; /**< totalBorrowShares after the call */
} keel_morpho_liquidation;

/** KEEL_MORPHO_LIQUIDATION_INIT: size set, everything else 0. */
#define KEEL_MORPHO_LIQUIDATION_INIT                                                   \
    {                                                                                  \
        sizeof(keel_morpho_liquidation), KEEL_MORPHO_OK, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, \
            {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},            \
            {{0, 0, 0, 0}}, 0.0, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},       \
            {{0, 0, 0, 0}}                                                             \
    }

/**
 * Quotes Morpho.liquidate(marketParams, borrower, seized_assets,
 * repaid_shares, "") (v1.0.0) at the market's current state (no accrual):
 * exactly one amount must be non-zero; the position must be unhealthy;
 * given seized assets, repaidShares = seizedAssets.mulDivUp(price, 10^36)
 * .wDivUp(LIF).toSharesUp(totals); given repaid shares, seizedAssets =
 * repaidShares.toAssetsDown(totals).wMulDown(LIF).mulDivDown(10^36, price);
 * repaidAssets = toAssetsUp(repaidShares); the borrow totals reduced (the
 * asset total by zeroFloorSub); and when the position's collateral reaches
 * 0, its remaining borrow shares are bad debt: badDebtAssets =
 * min(totalBorrowAssets, toAssetsUp(badDebtShares)) at the totals after the
 * repayment, removed from both asset totals and the shares from the borrow
 * total. The reverts are the Solidity's, in its order.
 *
 * @param seized_assets collateral wei to seize, or 0.
 * @param repaid_shares borrow shares to repay, or 0.
 * @param[out] out the quote; on a revert, @c revert says why, the amounts
 *        are 0 and the totals are the market's.
 * @param after if not NULL, receives the position after the call (unchanged
 *        on a revert); it may be @p position itself.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when Morpho would revert (@c out->revert
 *         and keel_last_error() say why); KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE;
 *         KEEL_E_OUT_OF_RANGE for a bad position or a size too small.
 *         The market is never changed (apply the totals with
 *         keel_morpho_market_set_state()). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_liquidation_quote(const keel_morpho_market *market,
                                                   const keel_morpho_position *position,
                                                   keel_u256 seized_assets,
                                                   keel_u256 repaid_shares,
                                                   keel_morpho_liquidation *out,
                                                   keel_morpho_position *after);

/**
 * The liquidation that seizes the most collateral: the largest
 * seized_assets <= the position's collateral whose repaidShares (rounded up)
 * do not exceed its borrow shares (found by bisection: repaidShares is
 * non-decreasing in seizedAssets), compared with repaying every borrow
 * share; the larger seizure wins (on a tie, the one repaying fewer assets).
 * Seizing everything realises the bad debt. The quote carries the amounts
 * a liquidator passes to liquidate(), what it pays, and its profit.
 *
 * @return KEEL_OK; KEEL_E_INFEASIBLE when no liquidation is possible (@c
 *         out->revert: KEEL_MORPHO_HEALTHY_POSITION, or the panic that
 *         every candidate hits); otherwise the statuses of
 *         keel_morpho_liquidation_quote(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_best_liquidation(const keel_morpho_market *market,
                                                  const keel_morpho_position *position,
                                                  keel_morpho_liquidation *out,
                                                  keel_morpho_position *after);

/** The unit of a repay: Morpho.repay takes assets or shares. */
typedef enum keel_morpho_unit {
    KEEL_MORPHO_ASSETS = 0, /**< repay(assets, 0): shares = toSharesDown(assets) */
    KEEL_MORPHO_SHARES = 1  /**< repay(0, shares): assets = toAssetsUp(shares) */
} keel_morpho_unit;

/**
 * What a keeper asks. The health factor is maxBorrow.wDivDown(borrowed) as
 * in keel_morpho_position_data; a target is met when the health factor
 * after the action is >= @p target_hf, which for 1 wad is exactly
 * _isHealthy. Each answer is the boundary itself, found by bisection on the
 * exact integers: the returned amount meets the target and one unit less
 * does not (for the minima), one unit more does not (for the maxima).
 *
 * keel_morpho_repay_to_target: the least amount (assets or shares, as
 * @p unit says) that Morpho.repay accepts (shares burned <= the position's)
 * and after which the health factor reaches @p target_hf (a wad >= 1),
 * with repay's rounding and its change to the totals (totalBorrowAssets
 * reduced by zeroFloorSub). 0 when the target is already met.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when the largest repay Morpho accepts
 *         misses the target (the collateral is worth too little; by assets,
 *         the last borrow shares can be out of reach: an asset buys up to
 *         10^6 shares, and a repay burning more shares than the position
 *         holds underflows); KEEL_E_NULL_ARG;
 *         KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE for a bad position, unit
 *         or a target of 0; KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_repay_to_target(const keel_morpho_market *market,
                                                 const keel_morpho_position *position,
                                                 keel_u256 target_hf, keel_morpho_unit unit,
                                                 keel_u256 *out_amount);

/**
 * The least collateral wei to supply (Morpho.supplyCollateral, which does
 * not accrue) for the health factor to reach @p target_hf. 0 when it is met.
 * @return KEEL_OK; KEEL_E_INFEASIBLE when no amount keeping the collateral
 *         below 2^128 reaches it (a price of 0); the other statuses of
 *         keel_morpho_repay_to_target(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_collateral_to_target(const keel_morpho_market *market,
                                                      const keel_morpho_position *position,
                                                      keel_u256 target_hf,
                                                      keel_u256 *out_amount);

/**
 * The most collateral wei Morpho.withdrawCollateral accepts (the position
 * healthy after it) keeping the health factor at or above
 * max(@p floor_hf, 1 wad). All of it without debt (the chain does not check
 * health then); 0 when nothing can be withdrawn.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE;
 *         KEEL_E_OVERFLOW. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_max_withdraw_collateral(const keel_morpho_market *market,
                                                         const keel_morpho_position *position,
                                                         keel_u256 floor_hf,
                                                         keel_u256 *out_amount);

/**
 * The most loan wei Morpho.borrow(assets, 0) accepts: shares =
 * toSharesUp(assets) added to the position and the totals (each below
 * 2^128), the position healthy after it with a health factor at or above
 * max(@p floor_hf, 1 wad), and totalBorrowAssets <= totalSupplyAssets
 * (liquidity). 0 when nothing can be borrowed.
 * @return as keel_morpho_max_withdraw_collateral(). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_max_borrow(const keel_morpho_market *market,
                                            const keel_morpho_position *position,
                                            keel_u256 floor_hf, keel_u256 *out_assets);

/**
 * The liquidation price: the highest oracle price (10^36-scaled) at which
 * the position is not healthy, so that it is liquidatable at every price up
 * to it and healthy at one unit more. Computed in closed form from
 * _isHealthy's two floors (healthy iff price >= ceil(ceil(borrowed · 10^18
 * / lltv) · 10^36 / collateral)), the healthy side checked with the
 * Solidity's own steps. 2^256 − 1
 * when the position has debt and no collateral.
 * @return KEEL_OK; KEEL_E_INFEASIBLE without debt (never liquidatable) or
 *         when no price below 2^256 makes the position healthy;
 *         KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE. \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_liquidation_price(const keel_morpho_market *market,
                                                   const keel_morpho_position *position,
                                                   keel_u256 *out_price);

/**
 * Converts a Morpho position into keel's double-precision objects, so that
 * policies, plans, scans and backtests run on it: a market of two assets,
 * the collateral token (first) and the loan token (second), priced in loan
 * tokens (the loan token at 1.0, the collateral at price / 10^36 ·
 * 10^collateral_decimals / 10^loan_decimals), a basket holding the
 * collateral as collateral and the borrowed assets (toAssetsUp) as debt, in
 * whole tokens, and a linear haircut model with haircut 1 − LLTV (initial
 * and maintenance: Morpho has one ratio). The supply shares are left out:
 * Morpho does not count them as collateral. keel's metrics on them equal
 * the chain's health factor up to its integer rounding.
 *
 * @param[out] out_market, out_basket, out_haircuts new handles the caller frees.
 * @param[out] out_collateral, out_loan optional: the two keel asset ids.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE
 *         for a bad position or a price of 0 (or one whose token price is
 *         beyond double range); KEEL_E_NOMEM (nothing returned, nothing
 *         leaked). \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_morpho_to_keel(const keel_morpho_market *market,
                                         const keel_morpho_position *position,
                                         keel_market **out_market, keel_basket **out_basket,
                                         keel_haircut_model **out_haircuts,
                                         keel_asset *out_collateral, keel_asset *out_loan);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_MORPHO_H */
