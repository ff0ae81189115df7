/* What the simulation (lib/sim) needs of a policy, without its private view
 * (policy_internal.h): whether it may act at a step, a plan for checked
 * inputs, a copy, and its fingerprint. The simulation also reads a plan's
 * count and cost and applies it (plan_internal.h: keel_plan_apply_run,
 * keel_plan_destroy). */
#ifndef KEEL_POLICY_SIM_H
#define KEEL_POLICY_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/policy.h"
#include "plan_internal.h"

/* Whether keel_policy_plan() could return a non-empty plan for an account at
 * this health factor: false only for a health band inside its band (HF at or
 * above repay_below and not above boost_above, or above it with neither
 * boosting nor withdrawing allowed), whose plan is then empty; true for
 * every other kind and for a composition. (dispatch.c) */
bool keel_policy_may_act(const keel_policy *policy, double health_factor);

/* keel_policy_plan() for checked handles (wallet may be NULL) and a non-NULL
 * out_plan; errors name `fn`. (dispatch.c) */
keel_status keel_policy_plan_run(const keel_policy *policy, const keel_basket *basket,
                                 const keel_options *options, const keel_market *market,
                                 const keel_haircut_model *haircuts, const keel_cost_model *costs,
                                 const keel_basket *wallet, keel_plan **out_plan, const char *fn);

/* keel_policy_clone() for a checked policy; errors name `fn`. (policy.c) */
keel_status keel_policy_copy(const keel_policy *policy, keel_policy **out, const char *fn);

/* Frees a policy made by the library and its children (NULL: nothing). */
void keel_policy_destroy(keel_policy *policy);

/* Feeds the policy's kind and every parameter (a composition's children in
 * order) into fingerprint h. (policy.c) */
uint64_t keel_policy_fingerprint(const keel_policy *policy, uint64_t h);

#endif
