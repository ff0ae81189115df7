/* Private view of keel_policy: the handle, the inputs every planner reads,
 * and one planner per kind. */
#ifndef KEEL_POLICY_INTERNAL_H
#define KEEL_POLICY_INTERNAL_H

#include "keel/policy.h"
#include "plan_internal.h"

struct keel_policy {
    uint32_t tag;
    keel_policy_kind kind;
    union {
        keel_health_band_params health;
        keel_leverage_band_params leverage;
        keel_target_weights_params weights; /* arrays point at assets/targets below */
        keel_delta_hedge_params hedge;
        keel_predictive_params predictive;
    } u;
    keel_asset *assets; /* target weights */
    double *targets;
    keel_policy **children; /* composite: owned copies, none composite */
    size_t nchildren;
};

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

/* Each appends its actions to `plan` (made for in->basket, empty). */
keel_status keel_plan_health_band(const keel_health_band_params *p, const keel_policy_inputs *in,
                                  keel_plan *plan);
keel_status keel_plan_leverage_band(const keel_leverage_band_params *p,
                                    const keel_policy_inputs *in, keel_plan *plan);
keel_status keel_plan_target_weights(const keel_policy *policy, const keel_policy_inputs *in,
                                     keel_plan *plan);
keel_status keel_plan_delta_hedge(const keel_delta_hedge_params *p, const keel_policy_inputs *in,
                                  keel_plan *plan);
keel_status keel_plan_predictive(const keel_predictive_params *p, const keel_policy_inputs *in,
                                 keel_plan *plan);

/* Appends every action of `from` to `to`. */
keel_status keel_plan_append(keel_plan *to, const keel_plan *from);

/* The least-cost deleverage to `target`, or, when the target cannot be
 * reached, to just below the best reachable health factor; appends to plan. */
keel_status keel_policy_deleverage(const keel_policy_inputs *in, double target,
                                   keel_asset repay_asset, keel_asset swap_to,
                                   const keel_basket *wallet, double max_trade_value,
                                   keel_plan *plan);

/* Sizing by full revaluation: build(ctx, s, plan) writes the actions of
 * size s (plan emptied first); the metric of the account after them is
 * monotone in s. Finds s in [0, smax] where metric = target by bisection to
 * machine precision, or smax when the target lies beyond; leaves the actions
 * of that s in `plan`. */
typedef keel_status (*keel_size_builder)(void *ctx, double s, keel_plan *plan);
typedef double (*keel_size_metric)(const keel_metrics *m);
keel_status keel_size_to_target(const keel_policy_inputs *in, keel_size_builder build, void *ctx,
                                keel_size_metric metric, double target, double smax,
                                keel_plan *plan);

/* Leverage C / (C - D) at market value; +inf when equity <= 0. */
double keel_leverage_of(const keel_metrics *m);

/* Feeds the policy's kind and every parameter (a composition's children in
 * order) into fingerprint h. */
uint64_t keel_policy_fingerprint(const keel_policy *policy, uint64_t h);

#endif
