/* The predictive policy: deleverages just enough to bring the probability of
 * liquidation within a horizon (keel_risk_liquidation_probability(),
 * lib/risk/probability.c) back under a limit. */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "math/kmath.h"
#include "policy_internal.h"
#include "risk/risk_internal.h"

/* The probability after a deleverage to `target`; *reached false when it
 * cannot be reached. */
static keel_status probability_at(const keel_predictive_params *p, const keel_policy_inputs *in,
                                  double target, double *prob, bool *reached)
{
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.target_health = target;
    dp.repay_asset = p->repay_asset;
    dp.swap_to = p->swap_to;
    dp.max_trade_value = p->max_trade_value;
    keel_plan *plan = NULL;
    keel_status st = keel_deleverage_run(in->basket, in->options, in->market, in->haircuts,
                                         in->costs, &dp, &plan, NULL, in->fn);
    *reached = st != KEEL_E_INFEASIBLE;
    if (st == KEEL_E_INFEASIBLE)
        return KEEL_OK;
    KEEL_TRY(st);
    keel_basket *work = NULL;
    st = keel_basket_copy(in->basket, &work, in->fn);
    if (st == KEEL_OK)
        st = keel_plan_apply_to(plan, work, in->fn);
    if (st == KEEL_OK)
        st = keel_risk_liquidation_probability(work, in->options, in->market, in->haircuts,
                                               p->horizon, prob, in->fn);
    keel_basket_destroy(work);
    keel_plan_destroy(plan);
    return st;
}

typedef struct within_ctx {
    const keel_predictive_params *p;
    const keel_policy_inputs *in;
    bool reached; /* the last target tried was within the actions' reach */
} within_ctx;

/* Whether a deleverage to `target` is possible and brings the probability
 * within the limit. */
static keel_status within_limit(double target, void *vctx, bool *holds)
{
    const within_ctx *c = vctx;
    double prob;
    bool reached;
    KEEL_TRY(probability_at(c->p, c->in, target, &prob, &reached));
    *holds = reached && prob <= c->p->max_probability;
    return KEEL_OK;
}

/* Whether the bracket can end at `target`: within the limit, or out of reach. */
static keel_status bracket_ends(double target, void *vctx, bool *holds)
{
    within_ctx *c = vctx;
    double prob;
    KEEL_TRY(probability_at(c->p, c->in, target, &prob, &c->reached));
    *holds = !c->reached || prob <= c->p->max_probability;
    return KEEL_OK;
}

keel_status keel_plan_predictive(const keel_predictive_params *p, const keel_policy_inputs *in,
                                 keel_plan *plan)
{
    double now;
    KEEL_TRY(keel_risk_liquidation_probability(in->basket, in->options, in->market, in->haircuts,
                                               p->horizon, &now, in->fn));
    if (now <= p->max_probability)
        return KEEL_OK;
    /* bracket the least target whose probability is within the limit
     * (doubling, 60 times at most), then bisect; a target out of the
     * actions' reach ends the bracket: then the most allowed is done */
    double lo = fmax(in->now->health_factor, 1.0), hi = fmax(1.25 * lo, 1.05);
    within_ctx c = { p, in, true };
    bool found;
    KEEL_TRY(keel_bracket_grow(bracket_ends, &c, &lo, &hi, 2.0, hi * 0x1p60, &found));
    if (!found || !c.reached)
        return keel_policy_deleverage(in, hi, p->repay_asset, p->swap_to, NULL,
                                      p->max_trade_value, plan);
    KEEL_TRY(keel_bisect(within_limit, &c, &lo, &hi, KEEL_TOL_PROB));
    return keel_policy_deleverage(in, hi, p->repay_asset, p->swap_to, NULL, p->max_trade_value,
                                  plan);
}
