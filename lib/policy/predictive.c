/* The predictive policy: deleverages just enough to bring the probability of
 * liquidation within a horizon (keel_risk_liquidation_probability(),
 * lib/risk/probability.c) back under a limit.
 *
 * The search for the least target health factor T whose plan brings the
 * probability to the limit p*: the probability after a plan to T is the
 * first-passage law F(x; m, s) (closed form, lib/risk/probability.c) with
 * x = log HF after the plan and the moments m, s of log HF of the basket
 * after it. Along the family of plans x moves as log T, while m and s move
 * only as the basket's composition does, slowly. So each step solves the
 * closed form F(x_k + log(T / T_k); m_k, s_k) = p* for T, the moments frozen
 * at the last plan (safeguarded Newton on x with F's derivative in closed
 * form), evaluates the plan there, and refreezes: the error shrinks by the
 * (small) sensitivity of the moments to T at each step. The steps are
 * safeguarded as in narrow() of solver.c: the bracket [lo, hi] (probability
 * above the limit at lo; within it, or the target out of reach, at hi) only
 * shrinks, a guess outside it or one that has not halved it within three
 * steps becomes a bisection (a doubling while no hi is known, up to 2^60
 * times the start), and once a step is below the tolerance the next guess
 * is taken just across, which closes the bracket. Guarantees: the bracket's
 * relative width ends at most KEEL_TOL_PROB, as the bisection before it,
 * within 400 plans; a few where the law is smooth. */
#include <float.h>
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "math/kmath.h"
#include "policy_internal.h"
#include "risk/risk_internal.h"

/* A plan whose probability is within the limit by at most this much of it
 * ends the search: the probability's sensitivities are central differences
 * of revaluations, whose rounding moves it by ~1e-10 of itself from one
 * target to the next (measured), so a bracket narrower than that brackets
 * noise. */
#define PROB_REL_TOL 1e-9

/* The probability's law after a deleverage to `target`; *reached false when
 * it cannot be reached. The plan goes to *keep (the caller frees it). */
static keel_status passage_at(const keel_predictive_params *p, const keel_policy_inputs *in,
                              double target, keel_passage *ps, bool *reached, keel_plan **keep)
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
        st = keel_risk_passage(work, in->options, in->market, in->haircuts, p->horizon, ps,
                               in->fn);
    keel_basket_destroy(work);
    if (st == KEEL_OK)
        *keep = plan;
    else
        keel_plan_destroy(plan);
    return st;
}

/* The moments of log HF along the family, m(x) = m + dm (x - x0) and
 * s(x) = s + ds (x - x0): the last plan's, extrapolated by the slope
 * between the last two (0 with one). */
typedef struct law_line {
    double x0, m, s, dm, ds;
} law_line;

static double law_gap(const law_line *l, double x, double pstar)
{
    double s = fmax(l->s + l->ds * (x - l->x0), 0.5 * l->s);
    return keel_risk_first_passage(x, l->m + l->dm * (x - l->x0), s) - pstar;
}

/* The x where F(x; m(x), s(x)) = pstar (decreasing in x), by Newton's
 * method (F's derivative in x in closed form, plus the moments' slopes
 * through a central difference) safeguarded by the bracket [a, b]
 * (gap(a) > 0 >= gap(b): a bisection where a step leaves it). */
static double law_root(const law_line *l, double pstar)
{
    double a = 0.0, b = fabs(l->m) + 40.0 * l->s + 1.0; /* F(b) < 1e-300 */
    if (law_gap(l, a, pstar) <= 0.0)
        return a;
    if (law_gap(l, b, pstar) > 0.0)
        return b;
    double x = fmin(fmax(l->x0, a), b);
    for (int it = 0; it < 200; it++) {
        double f = law_gap(l, x, pstar);
        if (f > 0.0)
            a = x;
        else
            b = x;
        double sx = fmax(l->s + l->ds * (x - l->x0), 0.5 * l->s), h = 1e-6 * sx;
        double d = keel_risk_first_passage_dx(x, l->m + l->dm * (x - l->x0), sx);
        if (l->dm != 0.0 || l->ds != 0.0) /* the moments' own slope, by differences */
            d = (law_gap(l, x + h, pstar) - law_gap(l, x - h, pstar)) / (2.0 * h);
        double next = d < 0.0 ? x - f / d : NAN;
        /* 1e-14 of x is 1e-14 of T: far inside the search's tolerance */
        if (fabs(f) <= 4.0 * DBL_EPSILON * pstar || fabs(next - x) <= 1e-14 * fabs(x))
            return isfinite(next) ? next : x;
        if (!(next > a && next < b))
            next = a + 0.5 * (b - a);
        if (next <= a || next >= b)
            return next;
        x = next;
    }
    return x;
}

keel_status keel_plan_predictive(const keel_predictive_params *p, const keel_policy_inputs *in,
                                 keel_plan *plan)
{
    keel_passage law;
    KEEL_TRY(keel_risk_passage(in->basket, in->options, in->market, in->haircuts, p->horizon, &law,
                               in->fn));
    if (law.probability <= p->max_probability)
        return KEEL_OK;
    double pstar = p->max_probability, tol = KEEL_TOL_PROB;
    double lo = fmax(in->now->health_factor, 1.0), hi = INFINITY, limit = lo * 0x1p60;
    double last = lo;
    law_line line = { law.x, law.m, law.s, 0.0, 0.0 };
    bool have_law = law.model && law.s > 0.0, have_two = false, above = true;
    double width = INFINITY;
    int since_halved = 0;
    keel_plan *at_hi = NULL; /* the plan to hi, when reached */
    for (int it = 0; it < 400; it++) {
        if (isfinite(hi) && hi - lo <= tol * hi)
            break;
        double next = NAN;
        if (have_law) { /* the closed form's root along the moments' line */
            /* aimed at the middle of the window that ends the search */
            double x = law_root(&line, pstar * (1.0 - 0.5 * PROB_REL_TOL));
            next = last * exp(x - line.x0);
            if (isfinite(hi) && fabs(next - last) <= 0.5 * tol * last) /* just across */
                next = above ? last * (1.0 + 0.75 * tol) : last * (1.0 - 0.75 * tol);
        }
        if (!(next > lo && next < hi) || since_halved > 3) {
            next = isfinite(hi) ? lo + 0.5 * (hi - lo) : fmax(2.0 * last, fmax(1.25 * lo, 1.05));
            since_halved = 0;
        }
        if (!isfinite(hi) && next >= limit)
            next = limit;
        if (next <= lo || next >= hi)
            break;
        keel_passage ps;
        bool reached;
        keel_plan *made = NULL;
        keel_status st = passage_at(p, in, next, &ps, &reached, &made);
        if (st != KEEL_OK) {
            keel_plan_destroy(at_hi);
            return st;
        }
        above = reached && ps.probability > pstar;
        if (above) {
            lo = next;
            keel_plan_destroy(made);
        } else {
            hi = next;
            keel_plan_destroy(at_hi);
            at_hi = made; /* NULL when out of reach */
            if (reached && pstar - ps.probability <= PROB_REL_TOL * pstar)
                break; /* at the limit, to the probability's own accuracy */
        }
        if (reached && ps.model && ps.s > 0.0) {
            if (have_law && ps.x != line.x0) { /* the moments' slopes along x */
                line.dm = (ps.m - line.m) / (ps.x - line.x0);
                line.ds = (ps.s - line.s) / (ps.x - line.x0);
                have_two = true;
            }
            line.x0 = ps.x;
            line.m = ps.m;
            line.s = ps.s;
            have_law = true;
            last = next;
        }
        double w = isfinite(hi) ? hi - lo : INFINITY;
        if (w <= 0.5 * width) {
            width = w;
            since_halved = 0;
        } else {
            since_halved++;
        }
        if (!isfinite(hi) && next >= limit)
            break;
    }
    (void)have_two;
    if (at_hi != NULL) { /* the plan to hi, made already */
        keel_status st = keel_plan_append(plan, at_hi);
        keel_plan_destroy(at_hi);
        return st;
    }
    /* out of reach: keel_policy_deleverage lands at the best it can */
    return keel_policy_deleverage(in, isfinite(hi) ? hi : limit, p->repay_asset, p->swap_to,
                                  NULL, p->max_trade_value, plan);
}
