/* The least-cost deleverage's solver (lib/policy/solver.c) against
 * independent slow references: the closed-form inverses of the marginal
 * sale cost (linear and square-root impact, fee and spread) against
 * bisection of the marginal to adjacent doubles on random costs, and whole
 * plans of keel_deleverage() on random 10..300-asset accounts against the
 * KKT water-filling worked here from the documented program
 * (docs/rebalancing.md) with this file's own cost formulas and bisection
 * everywhere (the multiplier to 1e-15, each sale to adjacent doubles, the
 * blend of linear-cost sales to adjacent doubles), as the solver did before
 * its closed forms and Newton steps. Links the static library to reach the
 * internal functions. */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "policy/solver.h"
#include "testutil.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static double unif(double lo, double hi)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return lo + (hi - lo) * (double)(rng_state >> 11) * 0x1p-53;
}

static bool quick(void)
{
    return getenv("KEEL_TEST_QUICK") != NULL;
}

/* Random costs of every closed-form shape, and random prices m of the
 * margin across (and beyond) [c'(0), c'(ub)]: the closed form agrees with the
 * bisection within the rounding of c' itself, 4 eps (x + m dx/dm) — about
 * 1e-15 relative where m is not close to c'(0). */
START_TEST(inverse_marginal_closed_form_vs_bisection)
{
    int n = quick() ? 2000 : 20000, wellcond = 0;
    double worst_rel = 0.0;
    for (int k = 0; k < n; k++) {
        lever l = { SELL, 1, unif(0.5, 5000.0), 0.0, unif(0.01, 1e4), 1.0, false,
                    { .impact = KEEL_IMPACT_NONE }, 0.0 };
        l.t.fee = unif(0.0, 0.01);
        l.t.spread = k % 3 ? unif(0.0, 0.002) : 0.0;
        int shape = k % 3;
        l.t.impact = shape == 0 ? KEEL_IMPACT_LINEAR : shape == 1 ? KEEL_IMPACT_SQRT
                                                                 : KEEL_IMPACT_NONE;
        l.t.a = unif(0.05, 2.0);
        l.t.b = pow(10.0, unif(3.0, 9.0));
        l.t.sigma_d = unif(0.2, 1.5) / sqrt(365.0);
        double m0 = keel_cost_sell_marginal(&l.t, l.p, 0.0);
        double m1 = keel_cost_sell_marginal(&l.t, l.p, l.ub);
        double m = m0 + unif(-0.1, 1.1) * (m1 - m0 + (shape == 2 ? 0.01 * l.p : 0.0));
        double dxdm;
        double x = keel_inverse_marginal(&l, m, &dxdm);
        double xb = keel_inverse_marginal_bisect(&l, m);
        ck_assert(x >= 0.0 && x <= l.ub);
        double tol = 4.0 * DBL_EPSILON * (xb + fabs(m) * dxdm) + DBL_MIN;
        if (!(fabs(x - xb) <= tol))
            ck_abort_msg("shape %d p %g ub %g m %.17g: closed %.17g, bisection %.17g", shape, l.p,
                         l.ub, m, x, xb);
        if (xb > 0.0 && xb < l.ub && m - m0 > 0.5 * m) {
            worst_rel = fmax(worst_rel, fabs(x - xb) / xb);
            wellcond++;
        }
        /* the slope against a central difference of the closed form */
        if (dxdm > 0.0 && x > 1e-3 * l.ub && x < 0.999 * l.ub) {
            double h = 1e-6 * (m - m0), d1, d2;
            double fd = (keel_inverse_marginal(&l, m + h, &d1) -
                         keel_inverse_marginal(&l, m - h, &d2)) / (2.0 * h);
            ck_assert_msg(fabs(fd - dxdm) <= 1e-6 * dxdm, "dx/dm %g, difference %g", dxdm, fd);
        }
    }
    ck_assert_int_gt(wellcond, n / 10);
    ck_assert_msg(worst_rel <= 2e-15, "worst relative gap %g", worst_rel);
}
END_TEST

/* ---- the slow reference: the program of docs/rebalancing.md, repay mode,
 * the repay asset bought without cost (beta 1) and borrow factor 1 ---- */

typedef struct ref_asset {
    double p, q, h, fee, vol, ya, yb; /* price, units, maint. haircut, fee+spread, vol, shape */
    int shape;                        /* 0 none, 1 linear, 2 square root */
} ref_asset;

static double ref_cost(const ref_asset *s, double x)
{
    double n = s->p * x, c = s->fee * n;
    if (s->shape == 1)
        c += s->ya * n * n / s->yb;
    else if (s->shape == 2)
        c += s->ya * (s->vol / sqrt(365.0)) * sqrt(n / s->yb) * n;
    return c;
}

static double ref_marginal(const ref_asset *s, double x)
{
    double n = s->p * x, m = s->fee * s->p;
    if (s->shape == 1)
        m += 2.0 * s->ya * n * s->p / s->yb;
    else if (s->shape == 2)
        m += 1.5 * s->ya * (s->vol / sqrt(365.0)) * sqrt(n / s->yb) * s->p;
    return m;
}

/* The sale at multiplier lam: c'(x) = lam (T p - a) / (1 + lam T), by
 * bisection on [0, q] to adjacent doubles. */
static double ref_use(const ref_asset *s, double T, double lam)
{
    double a = s->p * (1.0 - s->h), e = T * s->p - a;
    if (!(e > 0.0))
        return 0.0;
    double m = isinf(lam) ? s->p - a / T : lam * e / (1.0 + lam * T);
    if (ref_marginal(s, 0.0) >= m)
        return 0.0;
    if (ref_marginal(s, s->q) <= m)
        return s->q;
    double lo = 0.0, hi = s->q;
    for (;;) {
        double mid = lo + 0.5 * (hi - lo);
        if (mid <= lo || mid >= hi)
            break;
        if (ref_marginal(s, mid) >= m)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

static double ref_gain(const ref_asset *s, double T, double x)
{
    return T * (s->p * x - ref_cost(s, x)) - s->p * (1.0 - s->h) * x;
}

static double ref_total(const ref_asset *s, int n, double T, double lam, double *x)
{
    double g = 0.0;
    for (int i = 0; i < n; i++) {
        x[i] = ref_use(&s[i], T, lam);
        g += ref_gain(&s[i], T, x[i]);
    }
    return g;
}

/* The cheapest sales gaining G; false when out of reach. */
static bool ref_solve(const ref_asset *s, int n, double T, double G, double *x, double *xa,
                      double *xb)
{
    if (ref_total(s, n, T, INFINITY, x) < G)
        return false;
    double lo = 0.0, hi = 1.0;
    while (ref_total(s, n, T, hi, x) < G) {
        lo = hi;
        hi *= 2.0;
    }
    while (hi - lo > 1e-15 * hi) {
        double mid = lo + 0.5 * (hi - lo);
        if (ref_total(s, n, T, mid, x) >= G)
            hi = mid;
        else
            lo = mid;
    }
    ref_total(s, n, T, lo, xa);
    ref_total(s, n, T, hi, xb);
    double tlo = 0.0, thi = 1.0;
    for (;;) {
        double mid = tlo + 0.5 * (thi - tlo);
        if (mid <= tlo || mid >= thi)
            break;
        double g = 0.0;
        for (int i = 0; i < n; i++)
            g += ref_gain(&s[i], T, xa[i] + mid * (xb[i] - xa[i]));
        if (g >= G)
            thi = mid;
        else
            tlo = mid;
    }
    for (int i = 0; i < n; i++)
        x[i] = xa[i] + thi * (xb[i] - xa[i]);
    return true;
}

START_TEST(plans_vs_slow_reference)
{
    int cases = quick() ? 4 : 40, solved = 0;
    double worst_cost = 0.0, worst_x = 0.0;
    for (int k = 0; k < cases; k++) {
        int n = 10 + (int)unif(0.0, 291.0);
        ref_asset *s = calloc((size_t)n, sizeof *s);
        double *x = calloc((size_t)n, sizeof *x), *xa = calloc((size_t)n, sizeof *xa),
               *xb = calloc((size_t)n, sizeof *xb);
        keel_asset *id = calloc((size_t)n, sizeof *id);
        ck_assert(s && x && xa && xb && id);
        keel_market *m;
        keel_haircut_model *h;
        keel_cost_model *c;
        keel_basket *b;
        ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
        ck_assert_int_eq(keel_cost_model_new(&c), KEEL_OK);
        ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
        keel_asset usdc;
        ck_assert_int_eq(keel_market_add_asset(m, "USDC", 1.0, &usdc), KEEL_OK);
        double L = 0.0;
        for (int i = 0; i < n; i++) {
            ref_asset *a = &s[i];
            char sym[16];
            snprintf(sym, sizeof sym, "A%d", i);
            a->p = exp(unif(log(0.5), log(5000.0)));
            a->q = exp(unif(log(100.0), log(1e5))) / a->p;
            a->h = unif(0.05, 0.4);
            a->vol = unif(0.2, 1.4);
            double fee = unif(0.0, 0.003), spread = unif(0.0, 0.001);
            a->fee = fee + spread;
            a->shape = i % 7 == 3 ? 0 : 1 + (i % 2); /* some linear-cost sales */
            a->ya = unif(0.1, 1.0);
            a->yb = exp(unif(log(1e5), log(1e8)));
            ck_assert_int_eq(keel_market_add_asset(m, sym, a->p, &id[i]), KEEL_OK);
            ck_assert(id[i] == id[0] + (keel_asset)i); /* the actions name assets by id */
            ck_assert_int_eq(keel_market_set_volatility(m, id[i], a->vol), KEEL_OK);
            ck_assert_int_eq(keel_haircut_model_set_asset(h, id[i], fmin(0.99, a->h + 0.05), a->h),
                             KEEL_OK);
            ck_assert_int_eq(keel_cost_model_set_fee(c, id[i], fee, spread), KEEL_OK);
            if (a->shape == 1)
                ck_assert_int_eq(keel_cost_model_set_linear_impact(c, id[i], a->ya, a->yb), KEEL_OK);
            else if (a->shape == 2)
                ck_assert_int_eq(keel_cost_model_set_sqrt_impact(c, id[i], a->ya, a->yb), KEEL_OK);
            ck_assert_int_eq(keel_basket_set_collateral(b, id[i], a->q), KEEL_OK);
            L += a->q * a->p * (1.0 - a->h);
        }
        double W = L / unif(1.02, 1.2), T = unif(1.25, 1.8);
        ck_assert_int_eq(keel_basket_set_debt(b, usdc, W), KEEL_OK);
        keel_metrics met = KEEL_METRICS_INIT;
        ck_assert_int_eq(keel_basket_metrics(b, NULL, m, h, &met), KEEL_OK);
        /* G from keel's own L and W (the sums' rounding order is not at issue) */
        double G = T * met.weighted_debt - met.liquidation_value;
        bool ok = ref_solve(s, n, T, G, x, xa, xb);
        keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
        dp.target_health = T;
        dp.repay_asset = usdc;
        keel_plan *plan = NULL;
        double best = 0.0;
        keel_status st = keel_deleverage(b, NULL, m, h, c, &dp, &plan, &best);
        if (!ok) {
            ck_assert_int_eq(st, KEEL_E_INFEASIBLE);
        } else {
            ck_assert_int_eq(st, KEEL_OK);
            solved++;
            double ref_c = 0.0;
            for (int i = 0; i < n; i++)
                ref_c += ref_cost(&s[i], x[i]);
            size_t na;
            ck_assert_int_eq(keel_plan_action_count(plan, &na), KEEL_OK);
            double *sold = calloc((size_t)n, sizeof *sold);
            ck_assert(sold);
            double cost = 0.0;
            for (size_t j = 0; j < na; j++) {
                keel_action act = KEEL_ACTION_INIT;
                ck_assert_int_eq(keel_plan_action(plan, j, &act), KEEL_OK);
                ck_assert_int_eq(act.type, KEEL_ACTION_SELL_TO_REPAY);
                sold[act.asset - id[0]] = act.quantity;
                cost += act.cost;
            }
            double rc = fabs(cost - ref_c) / ref_c;
            worst_cost = fmax(worst_cost, rc);
            ck_assert_msg(rc <= 1e-10, "case %d (%d assets): cost %.17g, reference %.17g", k, n,
                          cost, ref_c);
            for (int i = 0; i < n; i++) {
                double d = fabs(sold[i] - x[i]) / s[i].q;
                worst_x = fmax(worst_x, d);
                ck_assert_msg(d <= 1e-9, "case %d asset %d: sold %.17g, reference %.17g of %g", k,
                              i, sold[i], x[i], s[i].q);
            }
            free(sold);
            keel_plan_free(plan);
        }
        keel_basket_free(b);
        keel_cost_model_free(c);
        keel_haircut_model_free(h);
        keel_market_free(m);
        free(s);
        free(x);
        free(xa);
        free(xb);
        free(id);
    }
    ck_assert_int_gt(solved, cases / 2);
    printf("plans_vs_slow_reference: %d solved, worst cost gap %.3g, worst sale gap %.3g of the holding\n",
           solved, worst_cost, worst_x);
}
END_TEST

static Suite *solver_suite(void)
{
    Suite *s = suite_create("solver");
    TCase *tc = tcase_create("solver");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, inverse_marginal_closed_form_vs_bisection);
    tcase_add_test(tc, plans_vs_slow_reference);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(solver_suite)
