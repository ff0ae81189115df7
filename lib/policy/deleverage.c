/* The least-cost deleverage: KKT conditions of a separable convex program,
 * solved by water-filling on the multiplier (derivation in
 * include/keel/policy.h and docs/rebalancing.md), then a correction of the
 * requirement until the health factor after the plan, evaluated by the full
 * risk engine, equals the target. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "plan_internal.h"

/* One collateral asset that can be sold. */
typedef struct seller {
    keel_asset asset;
    double p, a, ub; /* price, liquidation value per unit, most units to sell */
    keel_cost_terms t;
    double x;        /* units sold */
} seller;

typedef struct problem {
    seller *s;
    size_t n;
    double target, br, pr, beta; /* T, borrow factor, price and purchase factor of the repay asset */
} problem;

static double gain(const problem *pb, const seller *s, double x)
{
    return pb->target * pb->br * pb->beta * (s->p * x - keel_cost_sell(&s->t, s->p, x)) - s->a * x;
}

/* The x in [0, ub] where c'(x) = m (c' non-decreasing). */
static double inverse_marginal(const seller *s, double m)
{
    if (keel_cost_sell_marginal(&s->t, s->p, 0.0) >= m)
        return 0.0;
    if (keel_cost_sell_marginal(&s->t, s->p, s->ub) <= m)
        return s->ub;
    double lo = 0.0, hi = s->ub;
    for (int i = 0; i < 200 && hi - lo > 1e-16 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (keel_cost_sell_marginal(&s->t, s->p, mid) < m)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* x_i at multiplier lambda (lambda = INFINITY: the most useful sale). */
static double sale_at(const problem *pb, const seller *s, double lambda)
{
    double tb = pb->target * pb->br;
    double edge = tb * pb->beta * s->p - s->a;
    if (!(edge > 0.0))
        return 0.0; /* selling this asset never raises HF */
    double m = isinf(lambda)
                   ? s->p - s->a / (pb->beta * tb)
                   : (lambda * edge - (1.0 - pb->beta) * s->p) / (pb->beta * (1.0 + lambda * tb));
    return inverse_marginal(s, m);
}

static double total_gain(const problem *pb, const double *x)
{
    double g = 0.0;
    for (size_t i = 0; i < pb->n; i++)
        g += gain(pb, &pb->s[i], x[i]);
    return g;
}

/* Sets pb->s[i].x to the cheapest sales whose gain reaches `need`; false
 * when even the most useful sales fall short (x then holds those). */
static bool solve_sales(problem *pb, double need, double *xa, double *xb)
{
    if (need <= 0.0) {
        for (size_t i = 0; i < pb->n; i++)
            pb->s[i].x = 0.0;
        return true;
    }
    for (size_t i = 0; i < pb->n; i++)
        pb->s[i].x = xa[i] = sale_at(pb, &pb->s[i], INFINITY);
    if (total_gain(pb, xa) < need)
        return false;
    /* bracket the multiplier, then bisect it */
    double lo = 0.0, hi = 1.0;
    for (;;) {
        for (size_t i = 0; i < pb->n; i++)
            xb[i] = sale_at(pb, &pb->s[i], hi);
        if (total_gain(pb, xb) >= need || hi > 1e300)
            break;
        lo = hi;
        hi *= 4.0;
    }
    for (int it = 0; it < 400 && hi - lo > 1e-15 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        for (size_t i = 0; i < pb->n; i++)
            xa[i] = sale_at(pb, &pb->s[i], mid);
        if (total_gain(pb, xa) >= need)
            hi = mid;
        else
            lo = mid;
    }
    /* the sales at the two ends; assets whose cost is linear jump between
     * them, so the last step interpolates to meet `need` exactly */
    for (size_t i = 0; i < pb->n; i++) {
        xa[i] = sale_at(pb, &pb->s[i], lo);
        xb[i] = sale_at(pb, &pb->s[i], hi);
    }
    double tlo = 0.0, thi = 1.0;
    for (int it = 0; it < 200; it++) {
        double th = 0.5 * (tlo + thi);
        double g = 0.0;
        for (size_t i = 0; i < pb->n; i++)
            g += gain(pb, &pb->s[i], xa[i] + th * (xb[i] - xa[i]));
        if (g >= need)
            thi = th;
        else
            tlo = th;
    }
    for (size_t i = 0; i < pb->n; i++)
        pb->s[i].x = xa[i] + thi * (xb[i] - xa[i]);
    return true;
}

/* The highest health factor the allowed actions reach: the largest theta
 * for which max (L - theta W) >= 0 (Dinkelbach's parametric form of a
 * ratio maximisation), by bisection between the current HF and the target.
 * pb->target is used as theta and restored. */
static double best_reachable(problem *pb, const keel_metrics *before, double zmax, double ar,
                             double *xa, double *xb)
{
    double saved = pb->target;
    double lo = before->health_factor, hi = saved;
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
        double theta = 0.5 * (lo + hi);
        pb->target = theta;
        double zgain = theta * pb->br * pb->pr - ar;
        double need = theta * before->weighted_debt - before->liquidation_value -
                      (zgain > 0.0 ? zmax * zgain : 0.0);
        if (solve_sales(pb, need, xa, xb))
            lo = theta;
        else
            hi = theta;
    }
    pb->target = saved;
    return lo;
}

/* Builds the plan for repayment z (same-asset) and the sales in pb. */
static keel_status build_plan(const problem *pb, const keel_cost_terms *rt, keel_asset repay,
                              double z, double debt_left, keel_plan *plan)
{
    plan->count = 0;
    plan->cost = 0.0;
    if (z > 0.0)
        plan->actions[plan->count++] =
            (keel_action){ sizeof(keel_action), KEEL_ACTION_REPAY_WITH_COLLATERAL, repay, z, repay,
                           z, 0.0 };
    double proceeds = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        const seller *s = &pb->s[i];
        if (s->x > 0.0)
            proceeds += s->p * s->x - keel_cost_sell(&s->t, s->p, s->x) - s->t.fixed;
    }
    double bought = proceeds > rt->fixed ? pb->beta * (proceeds - rt->fixed) / pb->pr : 0.0;
    double scale = bought > debt_left ? debt_left / bought : 1.0; /* never repay more than owed */
    for (size_t i = 0; i < pb->n; i++) {
        const seller *s = &pb->s[i];
        if (!(s->x > 0.0))
            continue;
        double var = keel_cost_sell(&s->t, s->p, s->x);
        double own = s->p * s->x - var - s->t.fixed;
        double repaid = proceeds > 0.0 ? bought * own / proceeds * scale : 0.0;
        /* everything given up that did not come back as repaid debt */
        double cost = s->p * s->x - repaid * pb->pr;
        plan->actions[plan->count++] = (keel_action){
            sizeof(keel_action), KEEL_ACTION_SELL_TO_REPAY, s->asset, s->x, repay, repaid, cost };
        plan->cost += cost;
    }
    return KEEL_OK;
}

/* HF after applying `plan` to a copy of the basket. */
static keel_status health_after(const keel_plan *plan, const keel_basket *basket,
                                const keel_options *options, const keel_market *market,
                                const keel_haircut_model *haircuts, keel_metrics *m,
                                const char *fn)
{
    keel_basket *work = NULL;
    KEEL_TRY(keel_basket_clone(basket, &work));
    keel_status st = keel_plan_apply_to(plan, work, fn);
    if (st == KEEL_OK) {
        *m = (keel_metrics)KEEL_METRICS_INIT;
        st = keel_basket_metrics(work, options, market, haircuts, m);
    }
    keel_basket_free(work);
    return st;
}

keel_status keel_deleverage(const keel_basket *basket, const keel_options *options,
                            const keel_market *market, const keel_haircut_model *haircuts,
                            const keel_cost_model *costs, const keel_deleverage_params *params,
                            keel_plan **out_plan, double *out_best_health)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_handle(basket, KEEL_TAG_BASKET, fn, "basket"));
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(haircuts, KEEL_TAG_HAIRCUT, fn, "haircuts"));
    KEEL_TRY(keel_check_handle(costs, KEEL_TAG_COST, fn, "costs"));
    if (options != NULL)
        KEEL_TRY(keel_check_handle(options, KEEL_TAG_OPTIONS, fn, "options"));
    KEEL_TRY(keel_check_ptr(params, fn, "params"));
    KEEL_TRY(keel_check_ptr(out_plan, fn, "out_plan"));
    if (params->size < sizeof *params)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: params->size is %zu; set it to sizeof(keel_deleverage_params)",
                         fn, params->size);
    double target = params->target_health;
    KEEL_TRY(keel_check_finite(target, fn, "target_health"));
    if (!(target > 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target_health must be > 1, got %g", fn, target);
    KEEL_TRY(keel_check_nonneg(params->max_trade_value, fn, "max_trade_value"));
    keel_asset r = params->repay_asset;
    KEEL_TRY(keel_market_check_asset(market, r, fn));
    double debt = 0.0, own = 0.0;
    KEEL_TRY(keel_basket_debt(basket, r, &debt));
    KEEL_TRY(keel_basket_collateral(basket, r, &own));
    if (!(debt > 0.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: the basket owes nothing in asset %u", fn,
                         (unsigned)r);
    keel_cost_terms rt = keel_cost_terms_of(costs, market, r);
    if (rt.impact != KEEL_IMPACT_NONE)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: a repay asset with price impact is not supported yet (fee, spread and fixed costs are)",
                         fn);

    keel_metrics before = KEEL_METRICS_INIT;
    KEEL_TRY(keel_basket_metrics(basket, options, market, haircuts, &before));

    size_t npos;
    const keel_position *pos = keel_basket_data(basket, &npos);
    problem pb = { NULL, 0, target, keel_haircut_terms(haircuts, r).borrow_factor,
                   keel_market_price_unchecked(market, r), 1.0 / (1.0 + rt.fee + rt.spread) };
    keel_status st = KEEL_OK;
    double *xa = NULL, *xb = NULL;
    keel_plan *plan = keel_plan_create(npos + 1);
    pb.s = keel_alloc_array(npos + 1, sizeof *pb.s);
    xa = keel_alloc_array(npos + 1, sizeof *xa);
    xb = keel_alloc_array(npos + 1, sizeof *xb);
    if (plan == NULL || pb.s == NULL || xa == NULL || xb == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    plan->before = before;
    plan->after = before;
    plan->fingerprint = keel_basket_fingerprint(basket);
    if (before.health_factor >= target)
        goto done; /* nothing to do: an empty plan */

    for (size_t k = 0; k < npos; k++) {
        keel_asset a = pos[k].asset;
        if (a == r || !(pos[k].collateral > 0.0))
            continue;
        keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
        st = keel_haircut_breakdown(haircuts, basket, market, a, &c);
        if (st != KEEL_OK)
            goto done;
        seller *s = &pb.s[pb.n++];
        s->asset = a;
        s->p = keel_market_price_unchecked(market, a);
        s->a = s->p * (1.0 - c.maintenance);
        s->ub = pos[k].collateral;
        if (params->max_trade_value > 0.0)
            s->ub = fmin(s->ub, params->max_trade_value / s->p);
        s->t = keel_cost_terms_of(costs, market, a);
        s->x = 0.0;
    }

    /* The requirement in liquidation-value units: G = T W - L. Repaying with
     * the asset's own collateral is free and goes first; the sales cover the
     * rest. `need` is then corrected against the full engine. */
    keel_haircut_components rc = KEEL_HAIRCUT_COMPONENTS_INIT;
    st = keel_haircut_breakdown(haircuts, basket, market, r, &rc);
    if (st != KEEL_OK)
        goto done;
    double ar = pb.pr * (1.0 - rc.maintenance);
    double zgain = target * pb.br * pb.pr - ar; /* per unit of z */
    double zmax = fmin(own, debt);
    double need = target * before.weighted_debt - before.liquidation_value;
    keel_metrics after = before;
    bool reached = false;
    for (int iter = 0; iter < 60; iter++) {
        double z = zgain > 0.0 ? fmin(zmax, fmax(0.0, need / zgain)) : 0.0;
        double rest = need - z * zgain;
        if (rest <= 1e-12 * (before.liquidation_value + target * before.weighted_debt))
            rest = 0.0; /* the repayment from collateral covers it, up to rounding */
        if (rest > 0.0)
            rest += target * pb.br * pb.beta * rt.fixed; /* the purchase's gas comes first */
        bool ok = solve_sales(&pb, rest, xa, xb);
        build_plan(&pb, &rt, r, z, debt - z, plan);
        st = health_after(plan, basket, options, market, haircuts, &after, fn);
        if (st != KEEL_OK)
            goto done;
        if (!ok) {
            double best = best_reachable(&pb, &before, zmax, ar, xa, xb);
            if (out_best_health)
                *out_best_health = best;
            st = keel_fail(KEEL_E_INFEASIBLE,
                           "%s: the allowed sales reach a health factor of %g at best, short of %g",
                           fn, best, target);
            goto done;
        }
        double err = after.health_factor - target;
        if (fabs(err) <= 1e-12 * target || isinf(after.health_factor)) {
            reached = true;
            break;
        }
        /* HF = L / W: a shortfall of err in HF is about err x W in L - T W */
        need -= err * after.weighted_debt;
    }
    if (!reached) {
        st = keel_fail(KEEL_E_NO_CONVERGENCE, "%s: the health factor after the plan is %.15g, not %g",
                       fn, after.health_factor, target);
        goto done;
    }
    plan->after = after;
done:
    keel_dealloc(xa);
    keel_dealloc(xb);
    keel_dealloc(pb.s);
    if (st != KEEL_OK) {
        keel_plan_free(plan);
        return st;
    }
    *out_plan = plan;
    return KEEL_OK;
}
