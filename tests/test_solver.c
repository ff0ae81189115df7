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
#include <string.h>

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

/* ---- the linear fast path against the general search ----
 *
 * With fee and spread only (no impact), keel_solve_levers() solves the
 * program as a fractional knapsack in closed form; keel_solve_levers_search()
 * is the multiplier search used for every other shape. Both are run on the
 * same random problems, built as deleverage.c builds them (sales to repay
 * with a borrow factor and a purchase fee, or to swap into a collateral with
 * its own haircut; deposits and repayments from a wallet; exact ties made
 * by doubling a price, which scales every term of r exactly), and compared
 * on the sizes used, the cost the objective counts, and the health factor
 * after, worked here from the account: repay mode
 *   L' = L - sum a x + sum_dep p x (1 - h),  W' = W - b (beta sum (p x - c) + sum_wallet p x)
 * swap mode L' = L - sum a x + (1 - h_d) beta sum (p x - c) + deposits, W' = W. */

typedef struct lin_case {
    lever s[12];
    size_t n;
    double T, beta, bf, hd, L, W;
    bool repay;
} lin_case;

static double lin_cost(const lin_case *c, const double *x)
{
    double cost = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        const lever *l = &c->s[i];
        if (l->kind == SELL)
            cost += (1.0 - c->beta) * l->p * x[i] + c->beta * (l->t.fee + l->t.spread) * l->p * x[i];
    }
    return cost;
}

/* The health factor after uses x; *surplus = L' - T W' (>= 0: target met,
 * also when W' <= 0, the debt repaid past zero by the model). */
static double lin_health(const lin_case *c, const double *x, double *surplus)
{
    double L = c->L, W = c->W, proceeds = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        const lever *l = &c->s[i];
        if (l->kind == SELL) {
            L -= l->a * x[i];
            proceeds += l->p * x[i] * (1.0 - l->t.fee - l->t.spread);
        } else if (l->kind == DEPOSIT) {
            L += l->g0 * l->p * x[i];
        } else {
            W -= c->bf * l->p * x[i];
        }
    }
    if (c->repay)
        W -= c->bf * c->beta * proceeds;
    else
        L += (1.0 - c->hd) * c->beta * proceeds;
    *surplus = L - c->T * W;
    return L / W;
}

static void lin_random(lin_case *c, int k)
{
    c->repay = k % 4 != 3;
    c->T = unif(1.05, 2.0);
    double fd = k % 3 == 0 ? 0.0 : unif(0.0, 0.003);
    c->beta = 1.0 / (1.0 + fd);
    c->bf = c->repay ? unif(1.0, 1.2) : 1.0;
    c->hd = c->repay ? 0.0 : unif(0.0, 0.15);
    int nsell = 1 + (int)unif(0.0, 8.0);
    c->n = 0;
    for (int i = 0; i < nsell; i++) {
        lever *l = &c->s[c->n++];
        if (i > 0 && unif(0.0, 1.0) < 0.2) { /* an exact tie with the lever before */
            *l = l[-1];
            l->p *= 2.0;
            l->a *= 2.0;
            l->ub = unif(0.1, 1e3);
            l->asset = (keel_asset)(i + 1);
            continue;
        }
        double p = exp(unif(log(0.5), log(5000.0))), h = unif(0.0, 0.4);
        *l = (lever){ SELL, (keel_asset)(i + 1), p, p * (1.0 - h), exp(unif(log(1e-2), log(1e4))) / p,
                      c->repay ? c->bf * c->beta : (1.0 - c->hd) * c->beta, c->repay,
                      { .impact = KEEL_IMPACT_NONE }, 0.0 };
        l->t.fee = k % 5 == 0 && i == 0 ? 0.0 : unif(0.0, 0.01);
        l->t.spread = unif(0.0, 0.002);
    }
    if (k % 3 == 1) { /* a deposit from the wallet */
        lever *l = &c->s[c->n++];
        double p = unif(0.5, 100.0);
        *l = (lever){ DEPOSIT, 20, p, 0.0, unif(0.1, 100.0), 1.0 - unif(0.0, 0.3), false,
                      { .impact = KEEL_IMPACT_NONE }, 0.0 };
    }
    if (c->repay && k % 5 == 2) { /* a repayment from the wallet */
        lever *l = &c->s[c->n++];
        *l = (lever){ WALLET_REPAY, 21, 1.0, 0.0, unif(1.0, 500.0), c->bf, true,
                      { .impact = KEEL_IMPACT_NONE }, 0.0 };
    }
    /* the account: L and W at a health factor below T, the requirement
     * G = T W - L from 5% to 130% of what the levers can gain */
    problem pb = { c->s, c->n, c->T, c->beta };
    double most = 0.0, xa[12], xb[12];
    keel_solve_levers_search(&pb, INFINITY, xa, xb); /* false: x the most useful uses */
    for (size_t i = 0; i < c->n; i++) {
        const lever *l = &c->s[i];
        double g = l->per_target ? c->T * l->g0 : l->g0;
        if (l->x > 0.0)
            most += g * (l->p * l->x - keel_cost_sell(&l->t, l->p, l->x)) - l->a * l->x;
        c->s[i].x = 0.0;
    }
    double hf0 = unif(0.5, 0.98) * c->T, G = unif(0.05, 1.3) * fmax(most, 1.0);
    c->W = G / (c->T - hf0);
    c->L = hf0 * c->W;
}

START_TEST(linear_fast_path_vs_general_search)
{
    int cases = quick() ? 200 : 600, solved = 0, infeasible = 0, ties = 0;
    double worst_x = 0.0, worst_cost = 0.0, worst_hf = 0.0;
    for (int k = 0; k < cases; k++) {
        lin_case c;
        lin_random(&c, k);
        lever fast[12], slow[12];
        memcpy(fast, c.s, sizeof fast);
        memcpy(slow, c.s, sizeof slow);
        problem pf = { fast, c.n, c.T, c.beta }, ps = { slow, c.n, c.T, c.beta };
        double need = c.T * c.W - c.L, xa[12], xb[12], x1[12], x2[12];
        bool ok1 = keel_solve_levers(&pf, need, xa, xb);
        bool ok2 = keel_solve_levers_search(&ps, need, xa, xb);
        ck_assert_msg(ok1 == ok2, "case %d: fast %d, search %d", k, ok1, ok2);
        for (size_t i = 0; i < c.n; i++) {
            x1[i] = fast[i].x;
            x2[i] = slow[i].x;
            double d = fabs(x1[i] - x2[i]) / c.s[i].ub;
            worst_x = fmax(worst_x, d);
            ck_assert_msg(d <= 1e-10, "case %d lever %zu of %zu: fast %.17g, search %.17g of %g", k,
                          i, c.n, x1[i], x2[i], c.s[i].ub);
            if (i > 0 && c.s[i].p == 2.0 * c.s[i - 1].p && c.s[i].a == 2.0 * c.s[i - 1].a &&
                x1[i] > 0.0 && x1[i] < c.s[i].ub && x1[i - 1] > 0.0 && x1[i - 1] < c.s[i - 1].ub)
                ties++; /* a tie used in part: both at the same fraction (checked above) */
        }
        double c1 = lin_cost(&c, x1), c2 = lin_cost(&c, x2);
        double dc = fabs(c1 - c2) / fmax(c2, 1e-300);
        if (c2 > 0.0)
            worst_cost = fmax(worst_cost, dc);
        ck_assert_msg(c1 == c2 || dc <= 1e-10, "case %d: cost fast %.17g, search %.17g", k, c1, c2);
        double s1, s2, h1 = lin_health(&c, x1, &s1), h2 = lin_health(&c, x2, &s2);
        double dh = fabs(h1 - h2) / fabs(h2), scale = c.L + c.T * c.W;
        worst_hf = fmax(worst_hf, dh);
        ck_assert_msg(dh <= 1e-10, "case %d: HF fast %.17g, search %.17g", k, h1, h2);
        ck_assert_msg(fabs(s1 - s2) <= 1e-10 * scale, "case %d: L' - T W' fast %.17g, search %.17g",
                      k, s1, s2);
        if (ok1) {
            ck_assert_msg(fabs(s1) <= 1e-12 * scale, "case %d: L' - T W' %.17g of %.17g", k, s1,
                          scale);
            solved++;
        } else {
            ck_assert_msg(s1 < 0.0, "case %d: out of reach, yet L' - T W' %.17g", k, s1);
            infeasible++;
        }
    }
    ck_assert_int_gt(solved, cases / 2);
    ck_assert_int_gt(infeasible, cases / 20);
    ck_assert_int_gt(ties, 0);
    printf("linear_fast_path_vs_general_search: %d solved, %d out of reach, %d partial ties; worst gaps: "
           "size %.3g of the room, cost %.3g, HF %.3g\n",
           solved, infeasible, ties, worst_x, worst_cost, worst_hf);
}
END_TEST

/* ---- hand-worked plans through keel_deleverage() (fee and spread only:
 * the fast path). USDC debt at price 1, borrow factor 1, bought without
 * cost; A at 100 and B at 200, maintenance haircut 0.2 each. ---- */

typedef struct hand {
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
} hand;

enum { H_USDC, H_A, H_B };

static void hand_setup(hand *w, double qa, double qb, double fa, double fb, double debt)
{
    ck_ok(keel_market_new(&w->m));
    ck_ok(keel_market_add_asset(w->m, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(w->m, "A", 100.0, NULL));
    ck_ok(keel_market_add_asset(w->m, "B", 200.0, NULL));
    ck_ok(keel_haircut_model_new(&w->h));
    ck_ok(keel_haircut_model_set_asset(w->h, H_A, 0.25, 0.2));
    ck_ok(keel_haircut_model_set_asset(w->h, H_B, 0.25, 0.2));
    ck_ok(keel_cost_model_new(&w->c));
    ck_ok(keel_cost_model_set_fee(w->c, H_A, fa, 0.0));
    ck_ok(keel_cost_model_set_fee(w->c, H_B, fb, 0.0));
    ck_ok(keel_basket_new(&w->b));
    if (qa > 0.0)
        ck_ok(keel_basket_set_collateral(w->b, H_A, qa));
    if (qb > 0.0)
        ck_ok(keel_basket_set_collateral(w->b, H_B, qb));
    ck_ok(keel_basket_set_debt(w->b, H_USDC, debt));
}

static void hand_free(hand *w)
{
    keel_basket_free(w->b);
    keel_cost_model_free(w->c);
    keel_haircut_model_free(w->h);
    keel_market_free(w->m);
}

/* The units of `asset` sold (or repaid from the wallet) in the plan, and its cost. */
static double hand_sold(const keel_plan *plan, keel_asset asset, double *cost)
{
    size_t n;
    double q = 0.0;
    ck_ok(keel_plan_action_count(plan, &n));
    *cost = 0.0;
    for (size_t j = 0; j < n; j++) {
        keel_action a = KEEL_ACTION_INIT;
        ck_ok(keel_plan_action(plan, j, &a));
        *cost += a.cost;
        if (a.type == KEEL_ACTION_SELL_TO_REPAY && a.asset == asset)
            q += a.quantity;
        if (a.type == KEEL_ACTION_REPAY_FROM_WALLET && a.debt_asset == asset)
            q += a.repaid;
    }
    return q;
}

static double hand_hf(const hand *w, keel_plan *plan)
{
    /* applied to the basket, then measured by keel_basket_metrics */
    keel_basket *copy;
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_clone(w->b, &copy));
    ck_ok(keel_plan_apply(plan, copy));
    ck_ok(keel_basket_metrics(copy, NULL, w->m, w->h, &m));
    keel_basket_free(copy);
    return m.health_factor;
}

/* A second debt the plan does not repay: HF peaks where the repay asset's
 * debt is gone. USDC debt 100 and E debt 100 (price 1, borrow factor 1);
 * A: 100 at 1, maintenance haircut 0 (a sale gives up 1 of liquidation
 * value per unit), no cost; B: 200 at 1, haircut 0.5, fee 0.01. L = 200,
 * W = 200, HF 1. The linear model ranks A first (free), but A alone
 * repays the whole USDC debt at HF 1; the family of plans peaks at 1 and
 * the target 1.4 was refused as out of reach. Worked by hand: with all of
 * the USDC debt repaid, HF = (200 - x_A - 0.5 x_B) / 100, the proceeds
 * x_A + 0.99 x_B = 100; HF = 1.4 gives x_A + 0.5 x_B = 60, so
 * x_B = 40 / 0.49 = 81.6326530612245, x_A = 100 - 0.99 x_B =
 * 19.1836734693878, cost 0.01 x_B = 0.816326530612245 -- the least, as
 * scipy's linprog (HiGHS) finds over every plan, whether or not it repays
 * the whole debt. The best reachable: B alone repaying the debt,
 * x_B = 100 / 0.99, HF = (200 - 50 / 0.99) / 100 = 1.49494949494949. */
START_TEST(second_debt_capped_repayment)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_market_add_asset(m, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(m, "A", 1.0, NULL));
    ck_ok(keel_market_add_asset(m, "B", 1.0, NULL));
    ck_ok(keel_market_add_asset(m, "E", 1.0, NULL));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_haircut_model_set_asset(h, 1, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_asset(h, 2, 0.5, 0.5));
    ck_ok(keel_cost_model_new(&c));
    ck_ok(keel_cost_model_set_fee(c, 2, 0.01, 0.0));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 1, 100.0));
    ck_ok(keel_basket_set_collateral(b, 2, 200.0));
    ck_ok(keel_basket_set_debt(b, 0, 100.0));
    ck_ok(keel_basket_set_debt(b, 3, 100.0));
    keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
    p.repay_asset = 0;
    p.target_health = 1.4;
    keel_plan *plan = NULL;
    double best = NAN, cost, qa, qb;
    ck_ok(keel_deleverage(b, NULL, m, h, c, &p, &plan, &best));
    size_t n;
    ck_ok(keel_plan_action_count(plan, &n));
    qa = qb = 0.0;
    for (size_t j = 0; j < n; j++) {
        keel_action a = KEEL_ACTION_INIT;
        ck_ok(keel_plan_action(plan, j, &a));
        ck_assert_int_eq(a.type, KEEL_ACTION_SELL_TO_REPAY);
        if (a.asset == 1)
            qa += a.quantity;
        if (a.asset == 2)
            qb += a.quantity;
    }
    keel_metrics before = KEEL_METRICS_INIT, after = KEEL_METRICS_INIT, measured = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, &cost, &before, &after));
    ck_assert_msg(fabs(qa - 19.1836734693878) <= 1e-9 * 19.18, "A sold %.17g", qa);
    ck_assert_msg(fabs(qb - 81.6326530612245) <= 1e-9 * 81.63, "B sold %.17g", qb);
    ck_assert_msg(fabs(cost - 0.816326530612245) <= 1e-9, "cost %.17g", cost);
    ck_assert_msg(fabs(after.health_factor - 1.4) <= 1e-9, "HF %.17g", after.health_factor);
    keel_basket *copy;
    ck_ok(keel_basket_clone(b, &copy));
    ck_ok(keel_plan_apply(plan, copy));
    ck_ok(keel_basket_metrics(copy, NULL, m, h, &measured));
    ck_assert_msg(measured.health_factor == after.health_factor, "HF %.17g measured, %.17g reported",
                  measured.health_factor, after.health_factor);
    keel_basket_free(copy);
    keel_plan_free(plan);
    /* beyond the best: refused, with the best that a plan reaches */
    p.target_health = 1.5;
    plan = NULL;
    ck_assert_int_eq(keel_deleverage(b, NULL, m, h, c, &p, &plan, &best), KEEL_E_INFEASIBLE);
    ck_assert_ptr_null(plan);
    ck_assert_msg(fabs(best - 1.49494949494949) <= 1e-9, "best %.17g", best);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

START_TEST(linear_hand_worked)
{
    hand w;
    keel_deleverage_params p = KEEL_DELEVERAGE_PARAMS_INIT;
    p.repay_asset = H_USDC;
    keel_plan *plan = NULL;
    double cost;

    /* a tie: 10 A and 5 B, fee 0.001 each: the same cost per unit of gain
     * (B's every term is A's doubled), so both are sold at the same fraction
     * th of their holding: 1600 (1 - th) = 1.5 (1200 - 1998 th),
     * th = 200 / 1397; the cost 0.001 x 2000 th */
    hand_setup(&w, 10.0, 5.0, 0.001, 0.001, 1200.0);
    p.target_health = 1.5;
    ck_ok(keel_deleverage(w.b, NULL, w.m, w.h, w.c, &p, &plan, NULL));
    double th = 200.0 / 1397.0;
    ck_close(hand_sold(plan, H_A, &cost), 10.0 * th, 1e-12);
    ck_close(hand_sold(plan, H_B, &cost), 5.0 * th, 1e-12);
    ck_close(cost, 2.0 * th, 1e-12);
    ck_close(hand_hf(&w, plan), 1.5, 1e-12);
    keel_plan_free(plan);
    hand_free(&w);

    /* A exhausted before the target: 2 A (fee 0.001) go first, whole
     * (L 1600, W 1500 - 199.8 = 1300.2), then B (fee 0.005) worth v:
     * 1600 - 0.8 v = 1.5 (1300.2 - 0.995 v), v = 350.3 / 0.6925 */
    hand_setup(&w, 2.0, 10.0, 0.001, 0.005, 1500.0);
    ck_ok(keel_deleverage(w.b, NULL, w.m, w.h, w.c, &p, &plan, NULL));
    double v = 350.3 / 0.6925;
    ck_close(hand_sold(plan, H_A, &cost), 2.0, 1e-12);
    ck_close(hand_sold(plan, H_B, &cost), v / 200.0, 1e-12);
    ck_close(cost, 0.2 + 0.005 * v, 1e-12);
    ck_close(hand_hf(&w, plan), 1.5, 1e-12);
    keel_plan_free(plan);
    hand_free(&w);

    /* the same with A's fee above B's: B first; 10 B cover it alone:
     * 1760 - 0.8 v = 1.5 (1500 - 0.999 v), v = 490 / 0.6985 */
    hand_setup(&w, 2.0, 10.0, 0.005, 0.001, 1500.0);
    ck_ok(keel_deleverage(w.b, NULL, w.m, w.h, w.c, &p, &plan, NULL));
    v = 490.0 / 0.6985;
    ck_assert_double_eq(hand_sold(plan, H_A, &cost), 0.0);
    ck_close(hand_sold(plan, H_B, &cost), v / 200.0, 1e-12);
    ck_close(cost, 0.001 * v, 1e-12);
    keel_plan_free(plan);
    hand_free(&w);

    /* out of reach: at most 300 of each sold (3 A, 1.5 B; fees 0.001 and
     * 0.005): L 1600 - 480 = 1120, W 1500 - 299.7 - 298.5 = 901.8 */
    hand_setup(&w, 10.0, 5.0, 0.001, 0.005, 1500.0);
    p.max_trade_value = 300.0;
    double best = -1.0;
    plan = NULL;
    ck_status(keel_deleverage(w.b, NULL, w.m, w.h, w.c, &p, &plan, &best), KEEL_E_INFEASIBLE);
    ck_assert_ptr_null(plan);
    ck_close(best, 1120.0 / 901.8, 1e-12);
    p.max_trade_value = 0.0;
    hand_free(&w);

    /* the debt repaid in full: nothing of value as collateral (HF 0), a
     * wallet of 150 USDC against 100 owed: G = 1.5 x 100 needs all of it */
    hand_setup(&w, 0.0, 0.0, 0.001, 0.001, 100.0);
    keel_basket *wallet;
    ck_ok(keel_basket_new(&wallet));
    ck_ok(keel_basket_set_collateral(wallet, H_USDC, 150.0));
    p.wallet = wallet;
    ck_ok(keel_deleverage(w.b, NULL, w.m, w.h, w.c, &p, &plan, NULL));
    ck_assert_double_eq(hand_sold(plan, H_USDC, &cost), 100.0);
    ck_assert_double_eq(cost, 0.0);
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_assert_double_eq(after.debt_value, 0.0);
    ck_assert(isinf(after.health_factor));
    keel_plan_free(plan);
    p.wallet = NULL;
    keel_basket_free(wallet);
    hand_free(&w);
}
END_TEST

/* A health band's plan (keel_policy_plan): its metrics after, which the
 * dispatch now takes from the deleverage instead of evaluating the plan a
 * second time, are those of the basket after the plan is applied, measured
 * by keel_basket_metrics. */
START_TEST(band_plan_after_is_the_engines)
{
    hand w;
    hand_setup(&w, 2.0, 10.0, 0.001, 0.005, 1500.0);
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = H_USDC;
    keel_policy *band;
    ck_ok(keel_policy_health_band(&hb, &band));
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(band, w.b, NULL, w.m, w.h, w.c, NULL, &plan));
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    double measured = hand_hf(&w, plan);
    ck_assert_msg(after.health_factor == measured, "after %.17g, measured %.17g",
                  after.health_factor, measured);
    ck_close(measured, 1.5, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(band);
    hand_free(&w);
}
END_TEST

static Suite *solver_suite(void)
{
    Suite *s = suite_create("solver");
    TCase *tc = tcase_create("solver");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, inverse_marginal_closed_form_vs_bisection);
    tcase_add_test(tc, plans_vs_slow_reference);
    tcase_add_test(tc, linear_fast_path_vs_general_search);
    tcase_add_test(tc, linear_hand_worked);
    tcase_add_test(tc, second_debt_capped_repayment);
    tcase_add_test(tc, band_plan_after_is_the_engines);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(solver_suite)
