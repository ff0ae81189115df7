/* Private view of keel_policy: the handle and one planner per kind. What a
 * planner reads and the toolkit planners share are in toolkit.h; what the
 * simulation needs of a policy in policy_sim.h. */
#ifndef KEEL_POLICY_INTERNAL_H
#define KEEL_POLICY_INTERNAL_H

#include "keel/policy.h"
#include "policy_sim.h"
#include "toolkit.h"

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

#endif
