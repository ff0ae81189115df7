/**
 * @file policy.h
 * Plans, the least-cost deleverage solver and rebalancing policies.
 *
 * A keel_plan is an ordered list of actions with their costs and the
 * account's metrics before and after; keel_plan_apply() applies it to the
 * basket it was made for, all or nothing. keel_deleverage() finds the
 * cheapest sales of collateral (or swaps into safer collateral, and deposits
 * from a wallet) that bring the health factor to a target. A keel_policy
 * (health band, leverage band, target weights, delta hedge, predictive, or a
 * composition of these) decides when to act and proposes a plan
 * (docs/rebalancing.md).
 *
 * Experimental: the policies (keel_policy_* and their parameter structs),
 * keel_hedge_band() and keel_optimize_collateral() may still change in a
 * minor release (each is marked \experimental and KEEL_EXPERIMENTAL; their
 * symbols are in the version node KEEL_EXPERIMENTAL_0.1). The plan,
 * keel_deleverage() and keel_liquidation_probability() are the stable core.
 */
#ifndef KEEL_POLICY_H
#define KEEL_POLICY_H

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/cost.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/options.h"
#include "keel/risk.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Made by keel_deleverage() or keel_policy_plan(), freed by keel_plan_free(). */
typedef struct keel_plan keel_plan;

/** What an action does. Values are fixed; new kinds are appended. */
typedef enum keel_action_type {
    /** Repay debt in an asset with collateral held in the same asset (no trade, no cost). */
    KEEL_ACTION_REPAY_WITH_COLLATERAL = 0,
    /** Sell collateral, buy the debt asset with the proceeds, repay. */
    KEEL_ACTION_SELL_TO_REPAY = 1,
    /** Deposit units from the wallet as collateral (@c to_asset, @c received). */
    KEEL_ACTION_DEPOSIT = 2,
    /** Withdraw collateral to the wallet (@c asset, @c quantity). */
    KEEL_ACTION_WITHDRAW = 3,
    /** Borrow @c borrowed of @c debt_asset and buy @c received of @c to_asset as collateral. */
    KEEL_ACTION_BORROW_TO_BUY = 4,
    /** Sell @c quantity of collateral @c asset and buy @c received of collateral @c to_asset. */
    KEEL_ACTION_SWAP = 5,
    /** A delta-hedge trade of the underlying: a swap against the funding asset, a purchase
     *  funded by borrowing it (@c borrowed), or a sale whose proceeds repay it (@c repaid). */
    KEEL_ACTION_HEDGE = 6,
    /** Repay debt with units of the debt asset from the wallet (@c repaid). */
    KEEL_ACTION_REPAY_FROM_WALLET = 7
} keel_action_type;

/**
 * One action of a plan, read by keel_plan_action(). Set @c size.
 *
 * Every action is the same four changes to the basket, each skipped when its
 * amount is 0: collateral @c asset falls by @c quantity, debt @c debt_asset
 * falls by @c repaid and rises by @c borrowed, collateral @c to_asset rises
 * by @c received. Unused assets are KEEL_ASSET_INVALID.
 */
typedef struct keel_action {
    size_t size;              /**< Set by the caller to sizeof(keel_action). */
    keel_action_type type;    /**< What it does. */
    keel_asset asset;         /**< The collateral asset given up. */
    double quantity;          /**< Units of @c asset taken from the collateral. */
    keel_asset debt_asset;    /**< The debt asset repaid or borrowed. */
    double repaid;            /**< Units of @c debt_asset repaid. */
    double cost;              /**< Numeraire lost to fees, spread, impact and fixed costs. */
    keel_asset to_asset;      /**< The collateral asset gained. */
    double received;          /**< Units of @c to_asset added to the collateral. */
    double borrowed;          /**< Units of @c debt_asset borrowed. */
} keel_action;

/** Initialiser that sets @c size. */
#define KEEL_ACTION_INIT                                                                     \
    { sizeof(keel_action), KEEL_ACTION_REPAY_WITH_COLLATERAL, KEEL_ASSET_INVALID, 0,          \
      KEEL_ASSET_INVALID, 0, 0, KEEL_ASSET_INVALID, 0, 0 }

/** Settings of keel_deleverage(). Set @c size (KEEL_DELEVERAGE_PARAMS_INIT). */
typedef struct keel_deleverage_params {
    size_t size;            /**< Set by the caller to sizeof(keel_deleverage_params). */
    double target_health;   /**< The health factor to reach, > 1 and finite. */
    keel_asset repay_asset; /**< The debt asset to repay (the basket must owe it), or
                                 KEEL_ASSET_INVALID to swap into @c swap_to (or only
                                 deposit from the wallet) instead. */
    double max_trade_value; /**< Largest sale per asset in the numeraire; 0 for no limit. */
    keel_asset swap_to;     /**< Without a repay asset: the safer collateral that risky
                                 collateral is swapped into; KEEL_ASSET_INVALID for none. */
    const keel_basket *wallet; /**< Units that may be deposited (and, in the repay asset,
                                    repay directly), free of trading costs; NULL for none. */
} keel_deleverage_params;

/** Defaults: target 1.5, repay and swap assets unset (KEEL_ASSET_INVALID), no trade limit, no wallet. */
#define KEEL_DELEVERAGE_PARAMS_INIT                                                          \
    { sizeof(keel_deleverage_params), 1.5, KEEL_ASSET_INVALID, 0.0, KEEL_ASSET_INVALID, NULL }

/**
 * Fills @p params with the defaults of KEEL_DELEVERAGE_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_deleverage_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 */
KEEL_API keel_status keel_deleverage_params_init(keel_deleverage_params *params, size_t size);

/**
 * The least-cost deleverage: sales x_i of collateral whose proceeds buy the
 * repay asset and repay it (repayment from collateral held in the debt's own
 * asset, free, goes first), or, without a repay asset, whose proceeds buy the
 * safer collateral @c swap_to; and deposits from a wallet, free of trading
 * costs; so that the health factor reaches the target.
 *
 * Each lever i gains g_i (p_i x_i - c_i(x_i)) - a_i x_i of liquidation-value
 * headroom (a_i = p_i (1 - h_i) for collateral given up, 0 for wallet units;
 * g = T b beta for repayment, (1 - h_s) beta for a swap into s, 1 - h_j for a
 * deposit of j) and costs (1 - beta) p_i x_i + beta c_i(x_i), beta =
 * 1 / (1 + fee + spread) of the asset bought. With c_i convex (fee, spread,
 * linear, square-root or pool impact; see keel/cost.h) the problem
 *
 *     minimise  sum_i cost_i(x_i)   subject to   sum_i gain_i(x_i) >= T W - L
 *
 * is convex and separable; it is solved exactly from its KKT conditions
 * (each x_i from c_i'(x_i) = (lambda (g_i p_i - a_i) - (1 - beta) p_i) /
 * (beta + lambda g_i), water-filling on the multiplier lambda). Where
 * haircuts depend on size or an options book is given, the requirement is
 * then corrected until the health factor after the plan, evaluated by the
 * full engine, equals the target. Fixed costs (gas) make the choice of
 * which assets to sell discrete: with up to 12 assets carrying one, every
 * subset is solved and the cheapest kept; beyond, they are charged but not
 * optimised over. Per unit of proceeds repayment always beats a swap
 * (T b > 1 - h_s), which is why the two modes are exclusive.
 *
 * @param options  an options book, or NULL (its value and margin count in HF).
 * @param costs    the cost model.
 * @param params   settings: the repay asset or @c swap_to (not both), or neither with a
 *                 wallet (deposits only). Callers built against the first layout
 *                 (without @c swap_to and @c wallet) may pass its smaller size.
 * @param[out] out_plan the plan (empty when HF already meets the target); free it with keel_plan_free().
 * @param[out] out_best_health with KEEL_E_INFEASIBLE, the best HF the allowed actions reach; may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE;
 *         KEEL_E_OUT_OF_RANGE (target <= 1, no debt in the repay asset, both the repay and
 *         swap assets, neither and no wallet, a repay or swap asset with price impact, a
 *         negative limit, @c params->size too small); KEEL_E_INFEASIBLE;
 *         KEEL_E_NO_CONVERGENCE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_deleverage(const keel_basket *basket, const keel_options *options,
                                     const keel_market *market, const keel_haircut_model *haircuts,
                                     const keel_cost_model *costs,
                                     const keel_deleverage_params *params, keel_plan **out_plan,
                                     double *out_best_health);

/** Frees a plan. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_plan_free(keel_plan *plan);

/**
 * Number of actions.
 *
 * @param[out] out_count the count.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_plan_action_count(const keel_plan *plan, size_t *out_count);

/**
 * Reads action @p index.
 *
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND (index out of range);
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small).
 */
KEEL_API keel_status keel_plan_action(const keel_plan *plan, size_t index, keel_action *out);

/**
 * The plan's total cost and the account's metrics before and after it.
 *
 * @param[out] out_cost   total cost in the numeraire; may be NULL.
 * @param[in,out] before  metrics before (size set); may be NULL.
 * @param[in,out] after   metrics after (size set); may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG (plan); KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (a size too small).
 */
KEEL_API keel_status keel_plan_summary(const keel_plan *plan, double *out_cost,
                                       keel_metrics *before, keel_metrics *after);

/**
 * Applies every action to the basket, all or nothing.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_STATE (the basket is not in the
 *         state the plan was made for, or the plan was applied already); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_plan_apply(keel_plan *plan, keel_basket *basket);

/* ---------------------------------------------------------------------------------------- */
/* Policies                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/**
 * Opaque. Made by one of the keel_policy_* constructors, freed by keel_policy_free().
 *
 * \experimental
 */
typedef struct keel_policy keel_policy;

/**
 * What a policy does. Values are fixed; new kinds are appended.
 *
 * \experimental
 */
typedef enum keel_policy_kind {
    KEEL_POLICY_HEALTH_BAND = 0,    /**< keel_policy_health_band(). */
    KEEL_POLICY_LEVERAGE_BAND = 1,  /**< keel_policy_leverage_band(). */
    KEEL_POLICY_TARGET_WEIGHTS = 2, /**< keel_policy_target_weights(). */
    KEEL_POLICY_DELTA_HEDGE = 3,    /**< keel_policy_delta_hedge(). */
    KEEL_POLICY_PREDICTIVE = 4,     /**< keel_policy_predictive(). */
    KEEL_POLICY_COMPOSITE = 5       /**< keel_policy_compose(). */
} keel_policy_kind;

/**
 * Actions a health band may take (bits of keel_health_band_params::allowed).
 *
 * \experimental
 */
enum keel_allow {
    KEEL_ALLOW_REPAY = 1u,    /**< Sell collateral to repay the debt asset. */
    KEEL_ALLOW_BOOST = 2u,    /**< Borrow the debt asset and buy the boost asset. */
    KEEL_ALLOW_WITHDRAW = 4u, /**< Withdraw the withdraw asset (when boosting is not allowed). */
    KEEL_ALLOW_SWAP = 8u,     /**< Swap risky collateral into @c swap_to (when repaying is not allowed). */
    KEEL_ALLOW_DEPOSIT = 16u  /**< Deposit from the wallet given to keel_policy_plan(). */
};

/**
 * A health band (the repay/boost automation of DeFi position managers).
 * Below @c repay_below it deleverages at least cost (keel_deleverage()) back to
 * @c repay_to; above @c boost_above it borrows the debt asset and buys the boost
 * asset back down to @c boost_to, or, when boosting is not allowed but
 * withdrawing is, withdraws the excess collateral down to @c boost_to. A boost
 * (and a leverage band's lever-up) borrows only within the borrowing power,
 * W <= BP after it, as a protocol allows (Aave v3 validateBorrow): it stops
 * there, short of its target if need be, and collateral with LTV 0 lends
 * nothing.
 * Set @c size (KEEL_HEALTH_BAND_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_health_band_params {
    size_t size;             /**< Set by the caller to sizeof(keel_health_band_params). */
    double repay_below;      /**< Repay trigger: > 1. */
    double repay_to;         /**< Repay target: > repay_below. */
    double boost_above;      /**< Boost trigger: > boost_to; +inf never boosts. */
    double boost_to;         /**< Boost target: >= repay_to. */
    unsigned allowed;        /**< KEEL_ALLOW_* bits; at least one. */
    keel_asset debt_asset;   /**< Repaid and borrowed; needed for REPAY and BOOST. */
    keel_asset boost_asset;  /**< Bought when boosting; needed for BOOST. */
    keel_asset withdraw_asset; /**< Withdrawn when in excess; needed for WITHDRAW. */
    keel_asset swap_to;      /**< Safer collateral; needed for SWAP. */
    double max_trade_value;  /**< Largest trade per asset in the numeraire; 0 for no limit. */
} keel_health_band_params;

/** Defaults: repay below 1.3 to 1.5, boost above 2.0 to 1.7, repay only, no assets set, no limit. */
#define KEEL_HEALTH_BAND_PARAMS_INIT                                                         \
    { sizeof(keel_health_band_params), 1.3, 1.5, 2.0, 1.7, KEEL_ALLOW_REPAY,                \
      KEEL_ASSET_INVALID, KEEL_ASSET_INVALID, KEEL_ASSET_INVALID, KEEL_ASSET_INVALID, 0.0 }

/**
 * Fills @p params with the defaults of KEEL_HEALTH_BAND_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_health_band_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_health_band_params_init(keel_health_band_params *params, size_t size);

/**
 * A leverage band, as leveraged-token strategies run it. Leverage is
 * C / (C - D) (collateral and debt at market value). Outside [min, max] it
 * moves leverage to Index Coop's FLI new leverage ratio,
 * max(min, min(max, speed * target + (1 - speed) * current)) (a fraction
 * @c speed of the way back to @c target, clamped into the band;
 * FlexibleLeverageStrategyExtension.sol, _calculateNewLeverageRatio), trading
 * at most @c max_trade_value; at or beyond @c ripcord it delevers at once to
 * @c max, as FLI's ripcord() does, with trades up to @c ripcord_max_trade_value
 * (source: IndexCoop/index-coop-smart-contracts,
 * contracts/adapters/FlexibleLeverageStrategyExtension.sol). Trades sell the
 * collateral asset to repay the debt asset, or borrow the debt asset to buy
 * the collateral asset. Set @c size (KEEL_LEVERAGE_BAND_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_leverage_band_params {
    size_t size;             /**< Set by the caller to sizeof(keel_leverage_band_params). */
    double target;           /**< Target leverage, >= 1. */
    double min;              /**< Lower edge: 1 <= min <= target. */
    double max;              /**< Upper edge: >= target. */
    double speed;            /**< Recentering speed in (0, 1]. */
    double max_trade_value;  /**< Largest trade per rebalance in the numeraire; 0 for no limit. */
    double ripcord;          /**< Leverage that triggers an immediate deleverage to max: > max; +inf for none. */
    double ripcord_max_trade_value; /**< Largest trade when the ripcord is pulled; 0 for no limit. */
    keel_asset asset;        /**< The collateral asset traded. */
    keel_asset debt_asset;   /**< The debt asset repaid or borrowed. */
} keel_leverage_band_params;

/** Defaults (the FLI methodology's shape): target 2, band [1.7, 2.3], speed 1, ripcord 2.7, no limits, assets unset. */
#define KEEL_LEVERAGE_BAND_PARAMS_INIT                                                       \
    { sizeof(keel_leverage_band_params), 2.0, 1.7, 2.3, 1.0, 0.0, 2.7, 0.0,                 \
      KEEL_ASSET_INVALID, KEEL_ASSET_INVALID }

/**
 * Fills @p params with the defaults of KEEL_LEVERAGE_BAND_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_leverage_band_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_leverage_band_params_init(keel_leverage_band_params *params, size_t size);

/**
 * Target weights of the collateral by market value, each with a tolerance
 * band of +-@c band. When any weight is outside its band the policy trades
 * each violating asset to the nearest band edge, never further; what the
 * sales and purchases leave over is absorbed by the assets cheapest to trade
 * (by fee + spread) inside their bands. Collateral assets not listed have
 * weight 0. Set @c size (KEEL_TARGET_WEIGHTS_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_target_weights_params {
    size_t size;               /**< Set by the caller to sizeof(keel_target_weights_params). */
    size_t count;              /**< Number of assets, >= 1. */
    const keel_asset *assets;  /**< @c count distinct assets (copied). */
    const double *weights;     /**< @c count weights in [0, 1] summing to 1 within 1e-9 (copied). */
    double band;               /**< Tolerance in [0, 1). */
} keel_target_weights_params;

/** Defaults: no assets, band 0.05. */
#define KEEL_TARGET_WEIGHTS_PARAMS_INIT { sizeof(keel_target_weights_params), 0, NULL, NULL, 0.05 }

/**
 * Fills @p params with the defaults of KEEL_TARGET_WEIGHTS_PARAMS_INIT: the function
 * copies that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_target_weights_params): only that many bytes
 *                are written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_target_weights_params_init(keel_target_weights_params *params,
                                                     size_t size);

/**
 * Delta hedging inside the Whalley-Wilmott no-trade band. For each
 * underlying of the options book, the net delta (collateral - debt + the
 * book's delta) is kept within +-H of zero, H from keel_hedge_band() with the
 * book's gamma, the asset's price and its proportional cost (fee + spread of
 * the cost model); outside, it trades to the nearest band edge. Purchases
 * spend the funding asset's collateral and then borrow it; sales are paid in
 * the funding asset as collateral (short sales borrow the underlying).
 * When the hedge is the last policy of a plan and the whole hedge would make
 * a healthy account liquidatable (HF < 1), every trade is scaled by the
 * largest common fraction that keeps HF >= 1 (found by bisection): it hedges
 * as far as health allows. Compose it with a health band after it to hedge
 * fully and restore health. Set @c size (KEEL_DELTA_HEDGE_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_delta_hedge_params {
    size_t size;               /**< Set by the caller to sizeof(keel_delta_hedge_params). */
    double risk_aversion;      /**< Exponential-utility risk aversion per numeraire, > 0. */
    keel_asset funding_asset;  /**< What hedges are paid with and paid into. */
} keel_delta_hedge_params;

/** Defaults: risk aversion 1e-3, funding asset unset. */
#define KEEL_DELTA_HEDGE_PARAMS_INIT { sizeof(keel_delta_hedge_params), 1e-3, KEEL_ASSET_INVALID }

/**
 * Fills @p params with the defaults of KEEL_DELTA_HEDGE_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_delta_hedge_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_delta_hedge_params_init(keel_delta_hedge_params *params, size_t size);

/**
 * Predictive deleverage: acts only when keel_liquidation_probability() over
 * @c horizon exceeds @c max_probability, and then deleverages at least cost
 * (repaying @c repay_asset, or swapping into @c swap_to) just enough to bring
 * the probability back to @c max_probability. Set @c size
 * (KEEL_PREDICTIVE_PARAMS_INIT). The target is searched along the plans'
 * family with the first-passage law in closed form (docs/rebalancing.md):
 * the plan returned brings the probability within the limit and within
 * 1e-9 of it (relative), or ends a bracket of 1e-13 relative width, or is
 * the best the allowed actions reach; a few plans per decision.
 *
 * \experimental
 */
typedef struct keel_predictive_params {
    size_t size;              /**< Set by the caller to sizeof(keel_predictive_params). */
    double horizon;           /**< Years, > 0. */
    double max_probability;   /**< In (0, 1). */
    keel_asset repay_asset;   /**< As in keel_deleverage_params. */
    keel_asset swap_to;       /**< As in keel_deleverage_params. */
    double max_trade_value;   /**< As in keel_deleverage_params. */
} keel_predictive_params;

/** Defaults: one day, 1%, assets unset, no limit. */
#define KEEL_PREDICTIVE_PARAMS_INIT                                                          \
    { sizeof(keel_predictive_params), 1.0 / 365.0, 0.01, KEEL_ASSET_INVALID,                 \
      KEEL_ASSET_INVALID, 0.0 }

/**
 * Fills @p params with the defaults of KEEL_PREDICTIVE_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_predictive_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_predictive_params_init(keel_predictive_params *params, size_t size);

/**
 * Makes a health-band policy.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (triggers and
 *         targets out of order or <= 1, no allowed action, unknown bits, an allowed action
 *         without its asset, a negative limit, @c size too small); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_health_band(const keel_health_band_params *params,
                                             keel_policy **out);

/**
 * Makes a leverage-band policy.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (not
 *         1 <= min <= target <= max < ripcord, speed outside (0, 1], negative limits,
 *         assets unset or equal, @c size too small); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_leverage_band(const keel_leverage_band_params *params,
                                               keel_policy **out);

/**
 * Makes a target-weights policy (the arrays are copied).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (no assets,
 *         a repeated or invalid asset, weights outside [0, 1] or not summing to 1, band
 *         outside [0, 1), @c size too small); KEEL_E_OVERFLOW; KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_target_weights(const keel_target_weights_params *params,
                                                keel_policy **out);

/**
 * Makes a delta-hedge policy.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (risk aversion
 *         <= 0, funding asset unset, @c size too small); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_delta_hedge(const keel_delta_hedge_params *params,
                                             keel_policy **out);

/**
 * Makes a predictive policy.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (horizon <= 0,
 *         probability outside (0, 1), both or neither of the repay and swap assets,
 *         a negative limit, @c size too small); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_predictive(const keel_predictive_params *params,
                                            keel_policy **out);

/**
 * Composes policies: keel_policy_plan() runs them in order, each on the
 * account as the previous ones' plans leave it, and returns one plan.
 * The policies are copied (composites are flattened).
 *
 * @param policies @p count policy handles.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (count 0 or
 *         above 64; two policies of one kind, or a health band with a leverage band: both
 *         would set the debt, so they contradict each other); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_compose(const keel_policy *const *policies, size_t count,
                                         keel_policy **out);

/**
 * Frees a policy. NULL, and a handle already freed where detectable, are no-ops.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API void keel_policy_free(keel_policy *policy);

/**
 * Copies a policy.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_clone(const keel_policy *policy, keel_policy **out);

/**
 * What kind of policy this is.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_kind_of(const keel_policy *policy, keel_policy_kind *out_kind);

/**
 * Asks the policy what to do now: a plan, empty when it would not act.
 *
 * @param options an options book, or NULL (needed for the delta hedge to act).
 * @param wallet  units available for deposits (KEEL_ALLOW_DEPOSIT), or NULL.
 * @param[out] out_plan the plan; free it with keel_plan_free().
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE (the account does not fit the policy: no debt in its
 *         debt asset where it must repay, equity <= 0 for a leverage band);
 *         KEEL_E_INFEASIBLE (a boost that cannot bring HF down to its target; or a plan
 *         that would leave the account liquidatable, HF < 1 after it while it was >= 1,
 *         or lower than it was when already below 1: never proposed as if it were fine);
 *         KEEL_E_NO_CONVERGENCE; KEEL_E_OVERFLOW; KEEL_E_NOT_PSD; KEEL_E_NOMEM. A health
 *         band or predictive policy that cannot reach its target lands at the best
 *         health factor the allowed actions reach.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_policy_plan(const keel_policy *policy, const keel_basket *basket,
                                      const keel_options *options, const keel_market *market,
                                      const keel_haircut_model *haircuts,
                                      const keel_cost_model *costs, const keel_basket *wallet,
                                      keel_plan **out_plan);

/**
 * Half-width of the Whalley-Wilmott no-trade band around the delta hedge,
 * H = (3 D k S Gamma^2 / (2 gamma))^(1/3), in units of the underlying
 * (Whalley & Wilmott 1997, "An asymptotic analysis of an optimal hedging
 * model for option pricing with transaction costs", Math. Finance 7(3)).
 * It grows with gamma and cost and shrinks with risk aversion.
 *
 * @param gamma          the position's gamma, finite (its sign does not matter).
 * @param spot           the underlying's price, > 0.
 * @param cost           proportional cost k of a trade, >= 0.
 * @param risk_aversion  gamma of exponential utility per numeraire, > 0.
 * @param discount       D = exp(-r (T - t)) in (0, 1].
 * @param[out] out_half_width H.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_hedge_band(double gamma, double spot, double cost, double risk_aversion,
                                     double discount, double *out_half_width);

/* ---------------------------------------------------------------------------------------- */
/* Collateral optimisation                                                                  */
/* ---------------------------------------------------------------------------------------- */

/**
 * What keel_optimize_collateral() optimises.
 *
 * \experimental
 */
typedef enum keel_collateral_goal {
    KEEL_MAX_BORROWING = 0, /**< The most borrowing power whose value-at-risk is <= max_var. */
    KEEL_MIN_RISK = 1       /**< The least value-at-risk whose borrowing power is >= min_borrowing. */
} keel_collateral_goal;

/**
 * Settings of keel_optimize_collateral(). Set @c size (KEEL_COLLATERAL_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_collateral_params {
    size_t size;                /**< Set by the caller to sizeof(keel_collateral_params). */
    keel_collateral_goal goal;  /**< What to optimise. */
    double total_value;         /**< Value to post in the numeraire, > 0. */
    double confidence;          /**< VaR confidence in (0.5, 1). */
    double horizon;             /**< VaR horizon in years, > 0. */
    double max_var;             /**< KEEL_MAX_BORROWING: the VaR limit, >= 0. */
    double min_borrowing;       /**< KEEL_MIN_RISK: the borrowing power required, >= 0. */
} keel_collateral_params;

/** Defaults: most borrowing, value 1, 99% over 10 days, limits 0. */
#define KEEL_COLLATERAL_PARAMS_INIT                                                          \
    { sizeof(keel_collateral_params), KEEL_MAX_BORROWING, 1.0, 0.99, 10.0 / 365.0, 0.0, 0.0 }

/**
 * Fills @p params with the defaults of KEEL_COLLATERAL_PARAMS_INIT: the function copies
 * that initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_collateral_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_collateral_params_init(keel_collateral_params *params, size_t size);

/**
 * The optimum's figures, filled by keel_optimize_collateral(). Set @c size.
 *
 * \experimental
 */
typedef struct keel_collateral_result {
    size_t size;            /**< Set by the caller to sizeof(keel_collateral_result). */
    double borrowing_power; /**< sum v_i (1 - h_init,i). */
    double var;             /**< z(confidence) sqrt(horizon) sqrt(v' S v). */
} keel_collateral_result;

/** Initialiser that sets @c size. */
#define KEEL_COLLATERAL_RESULT_INIT { sizeof(keel_collateral_result), 0, 0 }

/** The most assets keel_optimize_collateral() takes (its cost is cubic in them). */
#define KEEL_OPTIMIZE_MAX_ASSETS 127

/**
 * The mix of collateral to post: values v_i >= 0 (numeraire) of the allowed
 * assets, summing to the total, each at most its cap, that maximises the
 * borrowing power sum v_i (1 - h_init,i) (the model's base initial haircuts)
 * under a limit on the delta-normal value-at-risk
 * z sqrt(T) sqrt(v' S v), S_ij = sigma_i sigma_j rho_ij from the market --
 * or that minimises that VaR for a required borrowing power.
 *
 * The least-risk problem is a convex quadratic program, solved exactly by a
 * primal active-set method (lib/math, with S + 1e-12 max(S_ii) I so that
 * riskless assets do not make it singular); the most-borrowing problem is
 * solved through it, by bisection on the borrowing power required, since
 * the least VaR is non-decreasing in it. Degenerate inputs (ties, correlation
 * 1, riskless assets, every cap binding, duplicated assets) terminate at the
 * optimum: the working set stays linearly independent, ties go to the
 * smallest index (Bland), and a vertex with more active constraints than
 * variables is resolved by a non-negative least-squares solve (Lawson &
 * Hanson ch. 23) that proves optimality or finds a strict descent, so no
 * working set recurs (Nocedal & Wright 16.3; tested against SciPy).
 *
 * Cost: the QP has n = @p count variables and 2n + 1 constraints; each
 * active-set step solves a dense KKT system of at most 2n unknowns, O(n^3),
 * and the workspace is O(n^2) doubles. Hence the limit
 * KEEL_OPTIMIZE_MAX_ASSETS, beyond which the call returns KEEL_E_OUT_OF_RANGE.
 *
 * @param assets     @p count distinct assets of @p market (1 to KEEL_OPTIMIZE_MAX_ASSETS).
 * @param max_values caps in the numeraire (>= 0; +inf for none), or NULL for no caps.
 * @param[out] out_values @p count values, in the order of @p assets.
 * @param[in,out] out the optimum's figures (size set); may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (count, a repeated asset, a setting out of
 *         range, @c size too small); KEEL_E_NOT_PSD (the correlations);
 *         KEEL_E_INFEASIBLE (the caps cannot hold the total, the borrowing power cannot
 *         be reached, or even the least-risk mix exceeds the VaR limit);
 *         KEEL_E_NO_CONVERGENCE (a floating-point safeguard, never reached in the
 *         tests); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_optimize_collateral(const keel_market *market,
                                              const keel_haircut_model *haircuts, size_t count,
                                              const keel_asset *assets, const double *max_values,
                                              const keel_collateral_params *params,
                                              double *out_values, keel_collateral_result *out);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_POLICY_H */
