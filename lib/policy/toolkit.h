/* The planners' shared toolkit (toolkit.c): what a planner reads, and the
 * sizing and deleverage steps every planner builds on. Included by the
 * planners and the dispatch; it includes only the plans' layer below it. */
#ifndef KEEL_POLICY_TOOLKIT_H
#define KEEL_POLICY_TOOLKIT_H

#include "keel/policy.h"
#include "plan_internal.h"

/* What a planner reads. */
typedef struct keel_policy_inputs {
    const keel_basket *basket;
    const keel_options *options;
    const keel_market *market;
    const keel_haircut_model *haircuts;
    const keel_cost_model *costs;
    const keel_basket *wallet;
    const keel_metrics *now; /* the basket's metrics */
    const char *fn;
    bool last; /* this policy's plan ends the whole plan (no later policy repairs it) */
} keel_policy_inputs;

/* The least-cost deleverage to `target`, or, when the target cannot be
 * reached, to just below the best reachable health factor; appends to plan. */
keel_status keel_policy_deleverage(const keel_policy_inputs *in, double target,
                                   keel_asset repay_asset, keel_asset swap_to,
                                   const keel_basket *wallet, double max_trade_value,
                                   keel_plan *plan);

/* Sizing by full revaluation: build(ctx, s, plan) writes the actions of
 * size s (plan emptied first); the metric's distance to the target is
 * quasi-convex in s (falls, then may rise: a sale with convex impact lowers
 * leverage only up to a point). Finds the least s in [0, smax] where
 * metric = target by bisection to machine precision; when smax does not
 * reach it and the metric was already turning back there, golden-section
 * search finds the nearest point first (bisection below it, or that point
 * when the target is out of reach); otherwise smax. Leaves the actions of
 * that s in `plan`. */
typedef keel_status (*keel_size_builder)(void *ctx, double s, keel_plan *plan);
typedef double (*keel_size_metric)(const keel_metrics *m);
keel_status keel_size_to_target(const keel_policy_inputs *in, keel_size_builder build, void *ctx,
                                keel_size_metric metric, double target, double smax,
                                keel_plan *plan);

/* Leverage C / (C - D) at market value; +inf when equity <= 0. */
double keel_leverage_of(const keel_metrics *m);

#endif
