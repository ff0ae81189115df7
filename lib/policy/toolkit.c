/* The planners' shared toolkit: one-dimensional sizing by full revaluation
 * (keel_size_to_target), the least-cost deleverage as a planner uses it
 * (keel_policy_deleverage: lands at the best reachable health factor when the
 * target is out of reach) and the leverage of an account. Declared in
 * toolkit.h; the planners (bands.c, hedge.c, predictive.c, weights.c) call
 * it, it calls only the plans' layer (plan.c, deleverage.c). */
#include <math.h>

#include "core/core_internal.h"
#include "math/kmath.h"
#include "toolkit.h"

double keel_leverage_of(const keel_metrics *m)
{
    double equity = m->collateral_value - m->debt_value;
    return equity > 0.0 ? m->collateral_value / equity : INFINITY;
}

typedef struct size_search {
    const keel_policy_inputs *in;
    keel_size_builder build;
    void *ctx;
    keel_size_metric metric;
    double target;
    bool below_at_zero; /* the metric starts below the target */
    keel_plan *plan;
} size_search;

/* Whether the plan of size s has carried the metric to (or past) the target. */
static keel_status size_reaches(double s, void *vctx, bool *holds)
{
    size_search *z = vctx;
    keel_metrics m;
    KEEL_TRY(z->build(z->ctx, s, z->plan));
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    double f = z->metric(&m) - z->target;
    *holds = f == 0.0 || (f < 0.0) != z->below_at_zero;
    return KEEL_OK;
}

/* How far the plan of size s leaves the metric short of the target, in the
 * direction it must move: <= 0 once reached (as size_reaches holds); +inf
 * for an undefined metric. */
static keel_status size_gap(size_search *z, double s, double *gap)
{
    keel_metrics m;
    KEEL_TRY(z->build(z->ctx, s, z->plan));
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    double f = z->metric(&m) - z->target;
    *gap = isnan(f) ? INFINITY : z->below_at_zero ? -f : f;
    return KEEL_OK;
}

/* The size in [0, smax] that brings the metric nearest the target, by
 * golden-section search (100 steps, the interval to 1e-21 of its width):
 * the gap is quasi-convex along the size where the planners call this
 * (keel_size_to_target), so it falls to one lowest point and rises after. */
static keel_status size_best(size_search *z, double smax, double *at, double *best)
{
    const double r = 0.6180339887498949; /* (sqrt 5 - 1) / 2 */
    double a = 0.0, b = smax, g[2];
    double x[2] = { b - r * (b - a), a + r * (b - a) };
    for (int k = 0; k < 2; k++) {
        KEEL_TRY(size_gap(z, x[k], &g[k]));
        if (g[k] < *best) {
            *best = g[k];
            *at = x[k];
        }
    }
    for (int it = 0; it < 100 && x[0] < x[1]; it++) {
        int k; /* the point replaced */
        if (g[0] > g[1]) { /* the lowest point is right of x[0] */
            a = x[0];
            x[0] = x[1];
            g[0] = g[1];
            x[1] = a + r * (b - a);
            k = 1;
        } else {
            b = x[1];
            x[1] = x[0];
            g[1] = g[0];
            x[0] = b - r * (b - a);
            k = 0;
        }
        KEEL_TRY(size_gap(z, x[k], &g[k]));
        if (g[k] < *best) {
            *best = g[k];
            *at = x[k];
        }
    }
    return KEEL_OK;
}

keel_status keel_size_to_target(const keel_policy_inputs *in, keel_size_builder build, void *ctx,
                                keel_size_metric metric, double target, double smax,
                                keel_plan *plan)
{
    keel_metrics m;
    KEEL_TRY(build(ctx, 0.0, plan));
    KEEL_TRY(keel_plan_evaluate(plan, in->basket, in->options, in->market, in->haircuts, &m,
                                in->fn));
    double f0 = metric(&m) - target;
    if (f0 == 0.0)
        return KEEL_OK;
    size_search z = { in, build, ctx, metric, target, f0 < 0.0, plan };
    bool at_max;
    KEEL_TRY(size_reaches(smax, &z, &at_max));
    double lo = 0.0, hi = smax;
    if (!at_max) {
        /* Not reached at smax, but perhaps before it: a sale whose impact
         * cost grows faster than the debt it repays (linear, square-root or
         * pool impact) lowers the leverage C / (C - D) only up to a point and
         * then raises it, to +inf as the costs eat the equity, so the whole
         * holding (smax) can be the worst size of all while a smaller one
         * reaches the target. The gap is quasi-convex in the size there (a
         * level set {C - s p - L (E - cost(s)) <= 0} is an interval when the
         * cost is convex). Still narrowing at smax: the target lies beyond
         * smax and its actions stand, as for a monotone metric (an undefined
         * metric at both, equity <= 0, says nothing: searched). */
        double gmax, gnear;
        KEEL_TRY(size_gap(&z, smax, &gmax));
        KEEL_TRY(size_gap(&z, smax * (1.0 - 0x1p-20), &gnear));
        if (gmax < gnear || (gmax == gnear && isfinite(gmax)))
            return build(ctx, smax, plan);
        double at = smax, best = gmax;
        KEEL_TRY(size_best(&z, smax, &at, &best));
        if (!(best <= 0.0))
            return build(ctx, at, plan); /* out of reach: the nearest size */
        hi = at; /* reached at `at`; the gap falls all the way from 0 to it */
    }
    KEEL_TRY(keel_bisect(size_reaches, &z, &lo, &hi, KEEL_TOL_ULP));
    return build(ctx, hi, plan);
}

keel_status keel_policy_deleverage(const keel_policy_inputs *in, double target,
                                   keel_asset repay_asset, keel_asset swap_to,
                                   const keel_basket *wallet, double max_trade_value,
                                   keel_plan *plan)
{
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.target_health = target;
    dp.repay_asset = repay_asset;
    dp.swap_to = swap_to;
    dp.wallet = wallet;
    dp.max_trade_value = max_trade_value;
    keel_plan *sub = NULL;
    double best = NAN;
    keel_status st = keel_deleverage_run(in->basket, in->options, in->market, in->haircuts,
                                         in->costs, &dp, &sub, &best, in->fn);
    /* land at the best the allowed actions reach, just short of it (an
     * account under water may stay below 1: still the best there is). The
     * first best is the linear model's; where size-dependent haircuts make
     * the full engine reach less, the retry reports the best plan it made,
     * whose health factor is reachable, and the next retry lands there. */
    /* (a best within 1e-9 of where the account is already is no gain: no
     * dust plan, which would be a trade, and pay gas, every turn) */
    double now = in->now->health_factor;
    for (int retry = 0; retry < 4 && st == KEEL_E_INFEASIBLE && best - now > 1e-9 * now;
         retry++) {
        dp.target_health = in->now->health_factor + (best - in->now->health_factor) * (1.0 - 1e-9);
        best = NAN;
        st = keel_deleverage_run(in->basket, in->options, in->market, in->haircuts, in->costs, &dp,
                                 &sub, &best, in->fn);
    }
    if (st == KEEL_E_INFEASIBLE)
        return KEEL_OK; /* nothing the allowed actions can do */
    KEEL_TRY(st);
    bool fresh = plan->count == 0;
    st = keel_plan_append(plan, sub);
    if (st == KEEL_OK && fresh && sub->count > 0) {
        /* the same actions on the same basket: the full engine's metrics
         * after them are known (keel_deleverage_run) */
        plan->after = sub->after;
        plan->after_of = in->basket;
    }
    keel_plan_destroy(sub);
    return st;
}
