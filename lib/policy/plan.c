/* keel_plan: actions with costs, metrics before and after, and all-or-nothing
 * application to the basket state it was made for. */
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "plan_internal.h"
#include "risk/risk_internal.h"

#define CHECK_PLAN(p) KEEL_TRY(keel_check_handle((p), KEEL_TAG_PLAN, __func__, "plan"))

keel_plan *keel_plan_create(size_t capacity)
{
    keel_plan *p = keel_handle_alloc(sizeof *p, KEEL_TAG_PLAN);
    if (p == NULL)
        return NULL;
    if (capacity > 0) {
        p->actions = keel_alloc_array(capacity, sizeof *p->actions);
        if (p->actions == NULL) {
            keel_handle_release(p);
            return NULL;
        }
    }
    p->capacity = capacity;
    return p;
}

keel_status keel_plan_push(keel_plan *plan, const keel_action *action)
{
    if (plan->count == plan->capacity) {
        size_t cap = plan->capacity ? 2 * plan->capacity : 4;
        keel_action *grown = keel_realloc_array(plan->actions, cap, sizeof *grown);
        if (grown == NULL)
            return keel_fail(KEEL_E_NOMEM, "keel_plan: out of memory for %zu actions", cap);
        plan->actions = grown;
        plan->capacity = cap;
    }
    plan->actions[plan->count] = *action;
    plan->actions[plan->count].size = sizeof *action;
    plan->count++;
    plan->after_of = NULL;
    plan->cost += action->cost;
    return KEEL_OK;
}

void keel_plan_clear(keel_plan *plan)
{
    plan->count = 0;
    plan->cost = 0.0;
    plan->after_of = NULL;
}

keel_status keel_plan_append(keel_plan *to, const keel_plan *from)
{
    for (size_t i = 0; i < from->count; i++)
        KEEL_TRY(keel_plan_push(to, &from->actions[i]));
    return KEEL_OK;
}

void keel_plan_destroy(keel_plan *plan)
{
    if (plan == NULL)
        return;
    keel_dealloc(plan->actions);
    keel_handle_release(plan);
}

void keel_plan_free(keel_plan *plan)
{
    if (keel_handle_is(plan, KEEL_TAG_PLAN))
        keel_plan_destroy(plan);
}

keel_status keel_plan_action_count(const keel_plan *plan, size_t *out_count)
{
    CHECK_PLAN(plan);
    KEEL_TRY(keel_check_ptr(out_count, __func__, "out_count"));
    *out_count = plan->count;
    return KEEL_OK;
}

keel_status keel_plan_action(const keel_plan *plan, size_t index, keel_action *out)
{
    CHECK_PLAN(plan);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: out->size is %zu; set it to sizeof(keel_action)",
                         __func__, out->size);
    if (index >= plan->count)
        return keel_fail(KEEL_E_NOT_FOUND, "%s: index %zu, the plan has %zu actions", __func__,
                         index, plan->count);
    keel_action a = plan->actions[index];
    a.size = out->size;
    memcpy(out, &a, out->size < sizeof a ? out->size : sizeof a);
    return KEEL_OK;
}

static keel_status copy_metrics(keel_metrics *dst, const keel_metrics *src, const char *fn)
{
    if (dst == NULL)
        return KEEL_OK;
    if (dst->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: a metrics size is %zu", fn, dst->size);
    keel_metrics m = *src;
    m.size = dst->size;
    memcpy(dst, &m, dst->size < sizeof m ? dst->size : sizeof m);
    return KEEL_OK;
}

keel_status keel_plan_summary(const keel_plan *plan, double *out_cost, keel_metrics *before,
                              keel_metrics *after)
{
    CHECK_PLAN(plan);
    if ((before && before->size < sizeof(size_t)) || (after && after->size < sizeof(size_t)))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: set the metrics' size", __func__);
    if (out_cost)
        *out_cost = plan->cost;
    KEEL_TRY(copy_metrics(before, &plan->before, __func__));
    KEEL_TRY(copy_metrics(after, &plan->after, __func__));
    return KEEL_OK;
}

keel_status keel_plan_apply_to(const keel_plan *plan, keel_basket *basket, const char *fn)
{
    for (size_t i = 0; i < plan->count; i++) {
        const keel_action *a = &plan->actions[i];
        if (a->quantity != 0.0)
            KEEL_TRY(keel_basket_move(basket, a->asset, false, -a->quantity, fn));
        if (a->repaid != 0.0)
            KEEL_TRY(keel_basket_move(basket, a->debt_asset, true, -a->repaid, fn));
        if (a->borrowed != 0.0)
            KEEL_TRY(keel_basket_move(basket, a->debt_asset, true, a->borrowed, fn));
        if (a->received != 0.0)
            KEEL_TRY(keel_basket_move(basket, a->to_asset, false, a->received, fn));
    }
    return KEEL_OK;
}

keel_status keel_plan_apply(keel_plan *plan, keel_basket *basket)
{
    CHECK_PLAN(plan);
    KEEL_TRY(keel_check_handle(basket, KEEL_TAG_BASKET, __func__, "basket"));
    return keel_plan_apply_run(plan, basket, __func__);
}

keel_status keel_plan_apply_run(keel_plan *plan, keel_basket *basket, const char *fn)
{
    if (plan->applied)
        return keel_fail(KEEL_E_STATE, "%s: the plan was applied already", fn);
    if (keel_basket_fingerprint(basket) != plan->fingerprint)
        return keel_fail(KEEL_E_STATE,
                         "%s: the basket is not in the state the plan was made for", fn);
    /* apply to a copy, then exchange: a failure leaves the basket as it was */
    keel_basket *work = NULL;
    KEEL_TRY(keel_basket_copy(basket, &work, fn));
    keel_status st = keel_plan_apply_to(plan, work, fn);
    if (st == KEEL_OK) {
        keel_basket_swap_positions(basket, work);
        plan->applied = true;
    }
    keel_basket_destroy(work);
    return st;
}

keel_status keel_plan_evaluate(const keel_plan *plan, const keel_basket *basket,
                               const keel_options *options, const keel_market *market,
                               const keel_haircut_model *haircuts, keel_metrics *m,
                               const char *fn)
{
    keel_basket *work = NULL;
    KEEL_TRY(keel_basket_copy(basket, &work, fn));
    keel_status st = keel_plan_apply_to(plan, work, fn);
    if (st == KEEL_OK)
        st = keel_risk_metrics(work, options, market, haircuts, m, fn);
    keel_basket_destroy(work);
    return st;
}
