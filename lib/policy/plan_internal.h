/* Private view of keel_plan for the solvers that build plans. */
#ifndef KEEL_PLAN_INTERNAL_H
#define KEEL_PLAN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/policy.h"

struct keel_plan {
    uint32_t tag;
    size_t count, capacity;
    keel_action *actions;
    double cost;
    keel_metrics before, after;
    uint64_t fingerprint; /* of the basket the plan was made for */
    bool applied;
    /* When not NULL: `after` is the full engine's metrics of this basket
     * after the plan's actions (keel_plan_evaluate()'s, set by
     * keel_policy_deleverage() from keel_deleverage_run()'s plan), so that
     * keel_policy_plan_run() need not evaluate them again. Reset by every
     * change of the actions (keel_plan_push, keel_plan_clear). */
    const keel_basket *after_of;
};

/* A plan with room for `capacity` actions; NULL when out of memory. */
keel_plan *keel_plan_create(size_t capacity);

/* Frees a plan of keel_plan_create() (NULL: nothing). */
void keel_plan_destroy(keel_plan *plan);

/* Appends an action (growing the plan) and adds its cost; KEEL_E_NOMEM. */
keel_status keel_plan_push(keel_plan *plan, const keel_action *action);

/* Empties the plan's actions and cost (its capacity stays). */
void keel_plan_clear(keel_plan *plan);

/* Appends every action of `from` to `to`. */
keel_status keel_plan_append(keel_plan *to, const keel_plan *from);

/* Applies the actions to `basket` in place (no checks of state). */
keel_status keel_plan_apply_to(const keel_plan *plan, keel_basket *basket, const char *fn);

/* keel_plan_apply() for a checked plan and basket; errors name `fn`. */
keel_status keel_plan_apply_run(keel_plan *plan, keel_basket *basket, const char *fn);

/* The metrics of `basket` after the plan (applied to a copy); errors name
 * `fn`, the public function the caller is in. */
keel_status keel_plan_evaluate(const keel_plan *plan, const keel_basket *basket,
                               const keel_options *options, const keel_market *market,
                               const keel_haircut_model *haircuts, keel_metrics *m,
                               const char *fn);

/* keel_deleverage() for checked handles and parameters already read (any
 * size): the target need only be finite and > 0, so that a policy can land
 * an underwater account at the best health factor its actions reach, even
 * below 1. Errors name `fn`. On success (*out_plan)->after is the full
 * engine's metrics of `basket` after the plan's actions, as
 * keel_plan_evaluate() gives them (the public keel_plan_summary() promises
 * it; keel_policy_deleverage() relies on it). */
keel_status keel_deleverage_run(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                const keel_cost_model *costs, const keel_deleverage_params *params,
                                keel_plan **out_plan, double *out_best_health, const char *fn);

#endif
