/**
 * @file policy.h
 * Plans and the least-cost deleverage solver.
 *
 * A keel_plan is an ordered list of actions with their costs and the
 * account's metrics before and after; keel_plan_apply() applies it to the
 * basket it was made for, all or nothing. keel_deleverage() finds the
 * cheapest sales of collateral (and repayment from collateral held in the
 * debt's own asset) that bring the health factor to a target.
 *
 * This is the first part of keel's rebalancing layer: policies (health and
 * leverage bands, target weights, delta hedging, predictive), swaps to safer
 * collateral, deposits from a wallet and collateral optimisation are still
 * to come (docs/rebalancing.md).
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

/** Opaque. Made by keel_deleverage(), freed by keel_plan_free(). */
typedef struct keel_plan keel_plan;

/** What an action does. Values are fixed; new kinds are appended. */
typedef enum keel_action_type {
    /** Repay debt in an asset with collateral held in the same asset (no trade, no cost). */
    KEEL_ACTION_REPAY_WITH_COLLATERAL = 0,
    /** Sell collateral, buy the debt asset with the proceeds, repay. */
    KEEL_ACTION_SELL_TO_REPAY = 1
} keel_action_type;

/** One action of a plan, read by keel_plan_action(). Set @c size. */
typedef struct keel_action {
    size_t size;              /**< Set by the caller to sizeof(keel_action). */
    keel_action_type type;    /**< What it does. */
    keel_asset asset;         /**< The collateral asset given up. */
    double quantity;          /**< Units of @c asset taken from the collateral. */
    keel_asset debt_asset;    /**< The debt asset repaid. */
    double repaid;            /**< Units of @c debt_asset repaid. */
    double cost;              /**< Numeraire lost to fees, spread, impact and fixed costs. */
} keel_action;

/** Initialiser that sets @c size. */
#define KEEL_ACTION_INIT { sizeof(keel_action), KEEL_ACTION_REPAY_WITH_COLLATERAL, 0, 0, 0, 0, 0 }

/** Settings of keel_deleverage(). Set @c size (KEEL_DELEVERAGE_PARAMS_INIT). */
typedef struct keel_deleverage_params {
    size_t size;            /**< Set by the caller to sizeof(keel_deleverage_params). */
    double target_health;   /**< The health factor to reach, > 1 and finite. */
    keel_asset repay_asset; /**< The debt asset to repay (the basket must owe it). */
    double max_trade_value; /**< Largest sale per asset in the numeraire; 0 for no limit. */
} keel_deleverage_params;

/** Defaults: target 1.5, repay asset unset (KEEL_ASSET_INVALID), no trade limit. */
#define KEEL_DELEVERAGE_PARAMS_INIT { sizeof(keel_deleverage_params), 1.5, KEEL_ASSET_INVALID, 0.0 }

/**
 * The least-cost deleverage: sales x_i of collateral (and repayment from
 * collateral in the debt's own asset, free and used first) whose proceeds buy
 * the repay asset and repay it, so that the health factor reaches the target.
 *
 * With per-asset sale cost c_i (convex: fee, spread, linear, square-root or
 * pool impact; see keel/cost.h), the repay asset bought at its proportional
 * fee and spread, beta = 1 / (1 + fee + spread), the problem
 *
 *     minimise  sum_i beta c_i(x_i) + (1 - beta) p_i x_i
 *     subject to sum_i [T b beta (p_i x_i - c_i(x_i)) - p_i (1 - h_i) x_i] >= G
 *
 * is convex and separable; it is solved exactly from its KKT conditions
 * (each x_i from c_i'(x_i) = (lambda (T b beta p_i - p_i (1 - h_i)) - (1 - beta) p_i)
 * / (beta (1 + lambda T b)), water-filling on the multiplier lambda). Where
 * haircuts depend on size or an options book is given, the requirement G is
 * then corrected until the health factor after the plan equals the target.
 * Fixed costs of the sales are charged, not optimised over.
 *
 * @param options  an options book, or NULL (its value and margin count in HF).
 * @param costs    the cost model.
 * @param params   settings; the repay asset must be set.
 * @param[out] out_plan the plan (empty when HF already meets the target); free it with keel_plan_free().
 * @param[out] out_best_health with KEEL_E_INFEASIBLE, the best HF the allowed sales reach; may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE;
 *         KEEL_E_OUT_OF_RANGE (target <= 1, no debt in the repay asset, a repay asset with
 *         price impact, a negative limit, @c params->size too small); KEEL_E_INFEASIBLE;
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

#ifdef __cplusplus
}
#endif

#endif /* KEEL_POLICY_H */
