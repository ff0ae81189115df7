/* keel_policy_plan(): checks its inputs, values the account, and dispatches
 * to the planner of each kind (bands.c, weights.c, hedge.c, predictive.c),
 * the children of a composition in order on a working copy of the basket
 * (keel_policy_plan_run() for checked inputs); and keel_policy_may_act(),
 * which tells the simulation when a plan can be skipped. */
#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "policy_internal.h"
#include "risk/risk_internal.h"

static keel_status plan_leaf(const keel_policy *pol, const keel_policy_inputs *in,
                             keel_plan *plan)
{
    switch (pol->kind) {
    case KEEL_POLICY_HEALTH_BAND:
        return keel_plan_health_band(&pol->u.health, in, plan);
    case KEEL_POLICY_LEVERAGE_BAND:
        return keel_plan_leverage_band(&pol->u.leverage, in, plan);
    case KEEL_POLICY_TARGET_WEIGHTS:
        return keel_plan_target_weights(pol, in, plan);
    case KEEL_POLICY_DELTA_HEDGE:
        return keel_plan_delta_hedge(&pol->u.hedge, in, plan);
    case KEEL_POLICY_PREDICTIVE:
        return keel_plan_predictive(&pol->u.predictive, in, plan);
    case KEEL_POLICY_COMPOSITE:
        break;
    }
    return keel_fail(KEEL_E_STATE, "%s: a composite inside a composite", in->fn);
}

/* Runs the children in order on a working copy of the basket. */
static keel_status plan_composite(const keel_policy *pol, const keel_policy_inputs *in,
                                  keel_plan *plan)
{
    keel_basket *work = NULL;
    KEEL_TRY(keel_basket_copy(in->basket, &work, in->fn));
    keel_status st = KEEL_OK;
    for (size_t i = 0; i < pol->nchildren && st == KEEL_OK; i++) {
        keel_metrics now;
        st = keel_risk_metrics(work, in->options, in->market, in->haircuts, &now, in->fn);
        if (st != KEEL_OK)
            break;
        keel_policy_inputs sub = *in;
        sub.basket = work;
        sub.now = &now;
        sub.last = i + 1 == pol->nchildren;
        keel_plan *part = keel_plan_create(0);
        if (part == NULL) {
            st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", in->fn);
            break;
        }
        st = plan_leaf(pol->children[i], &sub, part);
        if (st == KEEL_OK)
            st = keel_plan_apply_to(part, work, in->fn);
        if (st == KEEL_OK)
            st = keel_plan_append(plan, part);
        keel_plan_destroy(part);
    }
    keel_basket_destroy(work);
    return st;
}

keel_status keel_policy_plan(const keel_policy *policy, const keel_basket *basket,
                             const keel_options *options, const keel_market *market,
                             const keel_haircut_model *haircuts, const keel_cost_model *costs,
                             const keel_basket *wallet, keel_plan **out_plan)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, fn, "policy"));
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_handle(costs, KEEL_TAG_COST, fn, "costs"));
    if (wallet != NULL)
        KEEL_TRY(keel_check_handle(wallet, KEEL_TAG_BASKET, fn, "wallet"));
    KEEL_TRY(keel_check_ptr(out_plan, fn, "out_plan"));
    return keel_policy_plan_run(policy, basket, options, market, haircuts, costs, wallet, out_plan,
                                fn);
}

keel_status keel_policy_plan_run(const keel_policy *policy, const keel_basket *basket,
                                 const keel_options *options, const keel_market *market,
                                 const keel_haircut_model *haircuts, const keel_cost_model *costs,
                                 const keel_basket *wallet, keel_plan **out_plan, const char *fn)
{
    keel_metrics now;
    KEEL_TRY(keel_risk_metrics(basket, options, market, haircuts, &now, fn));
    keel_plan *plan = keel_plan_create(0);
    if (plan == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    plan->before = plan->after = now;
    plan->fingerprint = keel_basket_fingerprint(basket);
    keel_policy_inputs in = { .basket = basket, .options = options, .market = market,
                              .haircuts = haircuts, .costs = costs, .wallet = wallet,
                              .now = &now, .fn = fn, .last = true };
    keel_status st = policy->kind == KEEL_POLICY_COMPOSITE ? plan_composite(policy, &in, plan)
                                                           : plan_leaf(policy, &in, plan);
    if (st == KEEL_OK && plan->count > 0 && plan->after_of != basket)
        st = keel_plan_evaluate(plan, basket, options, market, haircuts, &plan->after, fn);
    /* No plan may make the account liquidatable, or more so: it is refused
     * with a status the caller cannot miss, never proposed as if it were fine. */
    if (st == KEEL_OK && plan->count > 0 && plan->after.health_factor < 1.0 &&
        (now.health_factor >= 1.0 || plan->after.health_factor < now.health_factor))
        st = keel_fail(KEEL_E_INFEASIBLE,
                       "%s: the plan would leave the account liquidatable (HF %.6g -> %.6g); "
                       "compose the policy with a health band to restore health after it",
                       fn, now.health_factor, plan->after.health_factor);
    if (st != KEEL_OK) {
        keel_plan_destroy(plan);
        return st;
    }
    *out_plan = plan;
    return KEEL_OK;
}

bool keel_policy_may_act(const keel_policy *p, double hf)
{
    if (p->kind != KEEL_POLICY_HEALTH_BAND)
        return true;
    const keel_health_band_params *h = &p->u.health;
    return hf < h->repay_below ||
           (hf > h->boost_above && (h->allowed & (KEEL_ALLOW_BOOST | KEEL_ALLOW_WITHDRAW)));
}
