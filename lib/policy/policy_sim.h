/* What the simulation (lib/sim) needs of a policy, without its private view
 * (policy_internal.h): its fingerprint.
 * The simulation also reads a plan's count and cost (plan_internal.h). */
#ifndef KEEL_POLICY_SIM_H
#define KEEL_POLICY_SIM_H

#include <stdint.h>

#include "keel/policy.h"
#include "plan_internal.h"

/* Feeds the policy's kind and every parameter (a composition's children in
 * order) into fingerprint h. (policy.c) */
uint64_t keel_policy_fingerprint(const keel_policy *policy, uint64_t h);

#endif
