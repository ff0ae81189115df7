/* What the simulation (lib/sim) needs of a policy, without its private view
 * (policy_internal.h): whether it may act at a step, and its fingerprint.
 * The simulation also reads a plan's count and cost (plan_internal.h). */
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

/* Feeds the policy's kind and every parameter (a composition's children in
 * order) into fingerprint h. (policy.c) */
uint64_t keel_policy_fingerprint(const keel_policy *policy, uint64_t h);

#endif
