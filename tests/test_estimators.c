/* EWMA and GARCH(1,1) against three steps worked by hand, price feeding,
 * forecasts, and bad input leaving the state unchanged; GARCH(1,1) fitted by
 * maximum likelihood against an independent fit of ETH's daily returns,
 * against the likelihood's own derivatives (finite differences of the
 * likelihood written below), on simulated series of known parameters, and
 * on every kind of bad input. */
#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "testutil.h"

#ifndef KEEL_EXAMPLES_DATA
#error "KEEL_EXAMPLES_DATA (the path of examples/data) is set by tests/meson.build"
#endif

START_TEST(ewma_three_steps)
{
    /* lambda 0.94, s2_0 = 1e-4, returns 0.01, -0.02, 0.015:
     * s2_1 = 0.94e-4 + 0.06 x 1e-4   = 1.0e-4
     * s2_2 = 0.94e-4 + 0.06 x 4e-4   = 1.18e-4
     * s2_3 = 0.94 x 1.18e-4 + 0.06 x 2.25e-4 = 1.1092e-4 + 0.135e-4 = 1.2442e-4 */
    keel_ewma e;
    ck_ok(keel_ewma_init(&e, 0.94, 1e-4));
    ck_ok(keel_ewma_update(&e, 0.01));
    ck_close(e.variance, 1.0e-4, 1e-14);
    ck_ok(keel_ewma_update(&e, -0.02));
    ck_close(e.variance, 1.18e-4, 1e-14);
    ck_ok(keel_ewma_update(&e, 0.015));
    ck_close(e.variance, 1.2442e-4, 1e-14);
    ck_assert_uint_eq(e.count, 3);
    double vol;
    ck_ok(keel_ewma_annual_volatility(&e, 365.0, &vol));
    ck_close(vol, sqrt(1.2442e-4 * 365.0), 1e-14);
}
END_TEST

START_TEST(ewma_from_prices)
{
    /* prices 100, 101, 99: returns log(1.01) and log(99/101) */
    keel_ewma e;
    ck_ok(keel_ewma_init(&e, 0.9, 0.0));
    ck_ok(keel_ewma_update_price(&e, 100.0));
    ck_assert(e.variance == 0.0 && e.count == 0);
    ck_ok(keel_ewma_update_price(&e, 101.0));
    ck_ok(keel_ewma_update_price(&e, 99.0));
    double r1 = log(1.01), r2 = log(99.0 / 101.0);
    ck_close(e.variance, 0.9 * 0.1 * r1 * r1 + 0.1 * r2 * r2, 1e-14);
    ck_assert(e.last_price == 99.0);
}
END_TEST

START_TEST(garch_three_steps_and_forecast)
{
    /* omega 2e-6, alpha 0.1, beta 0.85, s2_0 = 1e-4; returns 0.01, -0.02, 0.015:
     * s2_1 = 0.02e-4 + 0.1 x 1e-4 + 0.85 x 1e-4          = 0.97e-4
     * s2_2 = 0.02e-4 + 0.1 x 4e-4 + 0.85 x 0.97e-4       = 1.2445e-4
     * s2_3 = 0.02e-4 + 0.1 x 2.25e-4 + 0.85 x 1.2445e-4  = 1.302825e-4
     * V_L = 2e-6 / 0.05 = 4e-5; 3 steps ahead: V_L + 0.95^2 (s2_3 - V_L) */
    keel_garch g;
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 1e-4));
    ck_ok(keel_garch_update(&g, 0.01));
    ck_close(g.variance, 0.97e-4, 1e-14);
    ck_ok(keel_garch_update(&g, -0.02));
    ck_close(g.variance, 1.2445e-4, 1e-14);
    ck_ok(keel_garch_update(&g, 0.015));
    ck_close(g.variance, 1.302825e-4, 1e-14);
    double v;
    ck_ok(keel_garch_long_run_variance(&g, &v));
    ck_close(v, 4e-5, 1e-14);
    ck_ok(keel_garch_forecast(&g, 1, &v));
    ck_close(v, 1.302825e-4, 1e-14);
    ck_ok(keel_garch_forecast(&g, 3, &v));
    ck_close(v, 4e-5 + 0.9025 * (1.302825e-4 - 4e-5), 1e-14);
    ck_ok(keel_garch_forecast(&g, 100000, &v)); /* reverts to V_L */
    ck_close(v, 4e-5, 1e-12);
    ck_ok(keel_garch_annual_volatility(&g, 252.0, &v));
    ck_close(v, sqrt(1.302825e-4 * 252.0), 1e-14);

    /* initial variance 0 starts at the long-run variance */
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 0.0));
    ck_close(g.variance, 4e-5, 1e-15);
    ck_ok(keel_garch_update_price(&g, 50.0));
    ck_ok(keel_garch_update_price(&g, 55.0));
    double r = log(1.1);
    ck_close(g.variance, 2e-6 + 0.1 * r * r + 0.85 * 4e-5, 1e-14);
}
END_TEST

START_TEST(bad_input_changes_nothing)
{
    keel_ewma e, e0;
    keel_garch g, g0;
    ck_ok(keel_ewma_init(&e, 0.94, 1e-4));
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 1e-4));
    e0 = e;
    g0 = g;
    double v;
    /* GARCH not stationary, non-positive omega, lambda outside (0, 1) */
    ck_status(keel_garch_init(&g, 2e-6, 0.2, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 2e-6, 0.5, 0.6, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 0.0, 0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, -1e-6, 0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 1e-6, -0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 1e-6, 0.1, -0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, NAN, 0.1, 0.8, 1e-4), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_init(&g, 1e-6, 0.1, 0.8, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(NULL, 1e-6, 0.1, 0.8, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_init(&e, 1.0, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&e, 0.0, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&e, INFINITY, 1e-4), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_init(&e, 0.94, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_init(NULL, 0.94, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update(&e, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update(&e, 1e200), KEEL_E_NOT_FINITE); /* variance overflows */
    ck_status(keel_ewma_update_price(&e, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_update_price(&e, INFINITY), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update(&g, INFINITY), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update(&g, 1e200), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update_price(&g, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&g, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&g, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_garch_long_run_variance(&g, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_annual_volatility(&e, 0.0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_annual_volatility(&e, 365.0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_garch_annual_volatility(&g, -1.0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_annual_volatility(&g, NAN, &v), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_annual_volatility(NULL, 1.0, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_annual_volatility(NULL, 1.0, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_long_run_variance(NULL, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_forecast(NULL, 1, &v), KEEL_E_NULL_ARG);
    ck_assert(memcmp(&e, &e0, sizeof e) == 0);
    ck_assert(memcmp(&g, &g0, sizeof g) == 0);

    /* a struct never initialised is refused, not read as garbage */
    keel_ewma raw = { 0 };
    keel_garch rawg = { 0 };
    ck_status(keel_ewma_update(&raw, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_update(&rawg, 0.1), KEEL_E_OUT_OF_RANGE);
}
END_TEST


/* ---- keel_garch_fit ---- */

/* Log returns of ETH's daily closes (examples/data/eth_usdt_daily.csv) on
 * the n days from `first`: r_d = log(close_d / close_{d-1}). */
static void eth_returns(const char *first, size_t n, double *out)
{
    FILE *f = fopen(KEEL_EXAMPLES_DATA "/eth_usdt_daily.csv", "r");
    ck_assert_msg(f != NULL, "cannot open %s", KEEL_EXAMPLES_DATA "/eth_usdt_daily.csv");
    char line[256], date[16];
    double o, h, l, c, prev = 0.0;
    size_t k = 0;
    bool in = false;
    while (k < n && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%15[^,],%lf,%lf,%lf,%lf", date, &o, &h, &l, &c) != 5)
            continue; /* the header */
        in = in || strcmp(date, first) == 0;
        if (in)
            out[k++] = log(c / prev);
        prev = c;
    }
    fclose(f);
    ck_assert_uint_eq(k, n);
}

/* The log-likelihood of the header, written out again: h_1 = mean of e^2,
 * h_{t+1} = omega + alpha e_t^2 + beta h_t; nu = 0 is the normal. No
 * constraint is enforced, so that it can be evaluated past a bound. */
static double loglik(const double *e, size_t n, double omega, double alpha, double beta,
                     double nu)
{
    double h = 0.0, ll = 0.0;
    for (size_t t = 0; t < n; t++)
        h += e[t] * e[t] / (double)n;
    for (size_t t = 0; t < n; t++) {
        double e2 = e[t] * e[t];
        if (nu == 0.0)
            ll += -0.5 * (log(2.0 * 3.14159265358979323846) + log(h) + e2 / h);
        else
            ll += lgamma((nu + 1) / 2) - lgamma(nu / 2) -
                  0.5 * log(3.14159265358979323846 * (nu - 2)) - 0.5 * log(h) -
                  (nu + 1) / 2 * log(1 + e2 / ((nu - 2) * h));
        h = omega + alpha * e2 + beta * h;
    }
    return ll;
}

/* Central difference of loglik along direction dir (omega, alpha, beta, nu)
 * with steps h and h/2, Richardson-extrapolated (error O(h^4): with beta near
 * 1 the likelihood's higher derivatives grow like powers of n). */
static double central(const double *e, size_t n, const double *at, const double *dir, double h)
{
    double up[4], dn[4];
    for (int i = 0; i < 4; i++)
        up[i] = at[i] + h * dir[i], dn[i] = at[i] - h * dir[i];
    return (loglik(e, n, up[0], up[1], up[2], up[3]) - loglik(e, n, dn[0], dn[1], dn[2], dn[3])) /
           (2.0 * h);
}

static double slope(const double *e, size_t n, const keel_garch_fit_result *r, const double *dir,
                    double step)
{
    double at[4] = { r->omega, r->alpha, r->beta, r->nu };
    return (4.0 * central(e, n, at, dir, step / 2) - central(e, n, at, dir, step)) / 3.0;
}

static keel_garch_fit_result fit_ok(const double *r, size_t n, keel_garch_dist dist, int demean)
{
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    p.distribution = dist;
    p.demean = demean;
    keel_garch_fit_result out = KEEL_GARCH_FIT_RESULT_INIT;
    ck_ok(keel_garch_fit(r, n, &p, &out));
    ck_assert_uint_eq(out.n, n);
    return out;
}

/* A small generator of the test's own (xorshift64*, Box-Muller). */
typedef struct gen {
    uint64_t s;
    double spare;
    bool have;
} gen;

static double uniform01(gen *g)
{
    g->s ^= g->s >> 12, g->s ^= g->s << 25, g->s ^= g->s >> 27;
    return ((g->s * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0) +
           0.5 / 9007199254740992.0;
}

static double normal(gen *g)
{
    if (g->have) {
        g->have = false;
        return g->spare;
    }
    double u = uniform01(g), v = uniform01(g), rad = sqrt(-2.0 * log(u));
    g->spare = rad * sin(2.0 * 3.14159265358979323846 * v);
    g->have = true;
    return rad * cos(2.0 * 3.14159265358979323846 * v);
}

/* n returns of GARCH(1,1) with innovations: 0 normal, 5 Student-t with 5
 * degrees of freedom scaled to variance 1 (z sqrt(3 / chi2_5)), -1 uniform
 * on (-sqrt 3, sqrt 3); after 1000 returns of burn-in. */
static void simulate(double *r, size_t n, double omega, double alpha, double beta, int innov,
                     uint64_t seed)
{
    gen g = { seed, 0.0, false };
    double h = omega / (1.0 - alpha - beta);
    for (size_t t = 0; t < n + 1000; t++) {
        double z;
        if (innov == 0) {
            z = normal(&g);
        } else if (innov == 5) {
            double chi2 = 0.0;
            for (int k = 0; k < 5; k++) {
                double u = normal(&g);
                chi2 += u * u;
            }
            z = normal(&g) * sqrt(3.0 / chi2);
        } else {
            z = sqrt(3.0) * (2.0 * uniform01(&g) - 1.0);
        }
        double x = sqrt(h) * z;
        if (t >= 1000)
            r[t - 1000] = x;
        h = omega + alpha * x * x + beta * h;
    }
}

/* An independent fit: scipy 1.10.1 (Debian), run offline on the same
 * likelihood and series, with the persistence and the share of alpha in it
 * as box-bounded variables (so that alpha + beta = 1, alpha = 0 and beta = 0
 * are reached exactly), L-BFGS-B from 18 or more starting points (ftol
 * 1e-15, gtol 1e-11) polished by Nelder-Mead (xatol 1e-13, fatol 1e-14):
 * the reference fit of tests/python/test_garch_fit.py. The series are ETH's
 * returns over 250 days from `first`, or 300 returns of constant variance
 * 1e-4 from simulate(seed) below (ported to Python for the reference; the
 * fits agree to 1e-9, so the ports drew the same numbers). keel's own
 * output is not pasted anywhere here. */
typedef struct reference {
    const char *first; /* ETH from this day, or NULL: simulate(seed) */
    uint64_t seed;
    keel_garch_dist dist;
    double omega, alpha, beta, nu, ll;
    uint32_t bounds;
} reference;

static const reference REFS[] = {
    /* 2021: inside the constraints, both distributions */
    { "2021-01-01", 0, KEEL_GARCH_NORMAL, 0.0001908031694712068, 0.06373081993337387,
      0.8830525020137813, 0.0, 346.35476974730267, 0 },
    { "2021-01-01", 0, KEEL_GARCH_STUDENT_T, 0.000251298043678775, 0.0688171562486426,
      0.861840139400299, 5.583191634542601, 357.2316370357854, 0 },
    /* 2020 (the March crash): the normal's maximum is integrated, alpha + beta = 1 */
    { "2020-01-01", 0, KEEL_GARCH_NORMAL, 0.0001233897772304897, 0.15786531811245452,
      0.8421346818875455, 0.0, 366.9501244612446, KEEL_GARCH_BOUND_INTEGRATED },
    { "2020-01-01", 0, KEEL_GARCH_STUDENT_T, 0.0005374216876969729, 0.10845549831163975,
      0.7881123286323994, 2.6643860474691814, 417.61537992533215, 0 },
    /* 2024: the Student-t's maximum is an ARCH(1), beta = 0 */
    { "2024-01-01", 0, KEEL_GARCH_NORMAL, 0.00035398668743497855, 0.15053761218315953,
      0.5576801363418954, 0.0, 493.91862152450176, 0 },
    { "2024-01-01", 0, KEEL_GARCH_STUDENT_T, 0.0010438644178247145, 0.20665330397408696, 0.0,
      3.6212497974476854, 510.4364556521314, KEEL_GARCH_BOUND_BETA },
    /* constant variance: alpha = 0; alpha = beta = 0 (omega is then about the mean
     * square of r_2 .. r_n); alpha = 0 with beta = 1 (a variance growing by omega a day) */
    { NULL, 11, KEEL_GARCH_NORMAL, 6.032281903183545e-07, 0.0, 0.9945709683265658, 0.0,
      946.7513885293548, KEEL_GARCH_BOUND_ALPHA },
    { NULL, 11, KEEL_GARCH_STUDENT_T, 7.404265701356475e-07, 0.0, 0.9933000816541298,
      22.35273296096878, 947.1686996012054, KEEL_GARCH_BOUND_ALPHA },
    { NULL, 22, KEEL_GARCH_NORMAL, 0.00010294577197069242, 0.0, 0.0, 0.0, 950.6002660789386,
      KEEL_GARCH_BOUND_ALPHA | KEEL_GARCH_BOUND_BETA },
    { NULL, 13, KEEL_GARCH_NORMAL, 3.052945073846954e-08, 0.0, 1.0, 0.0, 940.820392723812,
      KEEL_GARCH_BOUND_ALPHA | KEEL_GARCH_BOUND_INTEGRATED },
    { NULL, 13, KEEL_GARCH_STUDENT_T, 3.083272282835805e-08, 0.0, 1.0, 308.57596641496104,
      940.822135567259, KEEL_GARCH_BOUND_ALPHA | KEEL_GARCH_BOUND_INTEGRATED },
};
#define NREFS (sizeof REFS / sizeof REFS[0])

static size_t reference_returns(const reference *ref, double *r)
{
    if (ref->first != NULL) {
        eth_returns(ref->first, 250, r);
        return 250;
    }
    simulate(r, 300, 1e-4, 0.0, 0.0, 0, ref->seed);
    return 300;
}

static void ck_rel(double got, double want, double tol, const char *what)
{
    if (want == 0.0)
        ck_assert_msg(got == 0.0, "%s = %.17g, expected exactly 0", what, got);
    else
        ck_assert_msg(fabs(got / want - 1.0) < tol, "%s = %.17g, expected %.17g", what, got, want);
}

START_TEST(garch_fit_matches_independent_fit)
{
    const reference *ref = &REFS[_i];
    double r[300];
    size_t n = reference_returns(ref, r);
    keel_garch_fit_result f = fit_ok(r, n, ref->dist, 0);
    /* the reference is accurate to about 1e-7 (the acceptance is 1e-4), but
     * where the likelihood is flat -- nu near 300, its standard error in the
     * thousands -- its simplex stops within 1e-4 standard errors only */
    ck_rel(f.omega, ref->omega, 1e-5, "omega");
    ck_rel(f.alpha, ref->alpha, 1e-5, "alpha");
    ck_rel(f.beta, ref->beta, 1e-5, "beta");
    if (fabs(f.nu - ref->nu) > 1e-4 * f.nu_se)
        ck_rel(f.nu, ref->nu, 1e-5, "nu");
    ck_rel(f.log_likelihood, ref->ll, 1e-10, "log-likelihood");
    ck_assert_uint_eq(f.bounds, ref->bounds);
    if (ref->bounds & KEEL_GARCH_BOUND_INTEGRATED)
        ck_assert(f.persistence == 1.0);
    else
        ck_assert(f.persistence == f.alpha + f.beta);
    if ((ref->bounds & KEEL_GARCH_BOUND_INTEGRATED) && ref->alpha > 0)
        ck_assert(f.alpha_se == f.beta_se && f.alpha_se > 0);
    if (ref->bounds & KEEL_GARCH_BOUND_ALPHA)
        ck_assert(f.alpha_se == 0.0);
    if (ref->bounds & KEEL_GARCH_BOUND_BETA)
        ck_assert(f.beta_se == 0.0);
    ck_assert(f.mean == 0.0 && f.mean_se == 0.0);
    ck_assert(f.omega_se > 0 && (f.nu == 0 ? f.nu_se == 0 : f.nu_se > 0));
    /* the reported log-likelihood is the header's at the estimate */
    ck_rel(loglik(r, n, f.omega, f.alpha, f.beta, f.nu), f.log_likelihood, 1e-12, "loglik");
    double h1 = 0.0;
    for (size_t t = 0; t < n; t++)
        h1 += r[t] * r[t] / (double)n;
    ck_close(f.initial_variance, h1, 1e-14);
}
END_TEST

/* First-order optimality, from the likelihood written out above and finite
 * differences (steps 1e-5 of each parameter): along every direction the
 * constraints leave free, theta dll/dtheta is 0 (a 1% move of alpha from
 * the optimum makes it about 2; the threshold is 1e-5); along every
 * direction from a bound into the constraints, the likelihood does not rise
 * (one-sided differences). */
START_TEST(garch_fit_gradient_is_zero)
{
    const reference *ref = &REFS[_i];
    double r[300];
    size_t n = reference_returns(ref, r);
    keel_garch_fit_result f = fit_ok(r, n, ref->dist, 0);
    double at[4] = { f.omega, f.alpha, f.beta, f.nu };
    uint32_t b = f.bounds;
    /* free directions: omega, nu, and in the (alpha, beta) plane what the bounds leave */
    double free_dirs[4][4] = { { at[0], 0, 0, 0 }, { 0, 0, 0, at[3] } };
    int nfree = f.nu > 0 ? 2 : 1;
    if (nfree == 1)
        free_dirs[1][0] = 0;
    if (b == 0) {
        free_dirs[nfree][1] = at[1], nfree++;
        free_dirs[nfree][2] = at[2], nfree++;
    } else if (b == KEEL_GARCH_BOUND_ALPHA) {
        free_dirs[nfree][2] = at[2], nfree++;
    } else if (b == KEEL_GARCH_BOUND_BETA) {
        free_dirs[nfree][1] = at[1], nfree++;
    } else if (b == KEEL_GARCH_BOUND_INTEGRATED) {
        free_dirs[nfree][1] = at[1], free_dirs[nfree][2] = -at[1], nfree++;
    }
    for (int k = 0; k < nfree; k++) {
        double g = slope(r, n, &f, free_dirs[k], 1e-5);
        ck_assert_msg(fabs(g) < 1e-5, "free direction %d: theta dll/dtheta = %g", k, g);
    }
    /* directions from the bounds into the constraints (alpha, beta steps of 1e-7) */
    double into[3][2];
    int ninto = 0;
    if (b & KEEL_GARCH_BOUND_ALPHA) {
        into[ninto][0] = 1, into[ninto][1] = (b & KEEL_GARCH_BOUND_INTEGRATED) ? -1 : 0, ninto++;
        if (b & KEEL_GARCH_BOUND_INTEGRATED)
            into[ninto][0] = 0, into[ninto][1] = -1, ninto++;
    }
    if (b & KEEL_GARCH_BOUND_BETA)
        into[ninto][0] = 0, into[ninto][1] = 1, ninto++;
    if (b == KEEL_GARCH_BOUND_INTEGRATED)
        into[ninto][0] = -0.5, into[ninto][1] = -0.5, ninto++;
    double ll0 = loglik(r, n, f.omega, f.alpha, f.beta, f.nu);
    for (int k = 0; k < ninto; k++) {
        double h = 1e-7;
        double ll1 = loglik(r, n, f.omega, f.alpha + h * into[k][0], f.beta + h * into[k][1], f.nu);
        ck_assert_msg(ll1 - ll0 < 1e-9 * fabs(ll0), "into the constraints (%g, %g): ll rises by %g",
                      into[k][0], into[k][1], ll1 - ll0);
    }
}
END_TEST

/* last_variance is the recursion run to its end: keel_garch started at
 * initial_variance and fed every return lands on it. */
START_TEST(garch_fit_last_variance_continues_the_recursion)
{
    double r[250];
    eth_returns("2021-01-01", 250, r);
    keel_garch_fit_result f = fit_ok(r, 250, KEEL_GARCH_NORMAL, 0);
    keel_garch g;
    ck_ok(keel_garch_init(&g, f.omega, f.alpha, f.beta, f.initial_variance));
    for (int t = 0; t < 249; t++)
        ck_ok(keel_garch_update(&g, r[t]));
    double hn = g.variance; /* h_250, the variance of the last return */
    ck_ok(keel_garch_update(&g, r[249]));
    ck_assert(g.variance == f.omega + f.alpha * r[249] * r[249] + f.beta * hn);
    ck_close(f.last_variance, g.variance, 1e-12);
}
END_TEST

/* Returns 100 times larger: omega and every variance 10^4 times, alpha,
 * beta and nu the same, the log-likelihood lower by n log 100. Demeaning
 * equals fitting the demeaned series, and reports the sample mean with
 * standard error sqrt(sum e^2) / n. */
START_TEST(garch_fit_scale_and_mean)
{
    double r[250], big[250], e[250];
    eth_returns("2021-01-01", 250, r);
    double mean = 0.0;
    for (int t = 0; t < 250; t++)
        big[t] = 100.0 * r[t], mean += r[t] / 250.0;
    for (int k = 0; k < 2; k++) {
        keel_garch_dist dist = k ? KEEL_GARCH_STUDENT_T : KEEL_GARCH_NORMAL;
        keel_garch_fit_result a = fit_ok(r, 250, dist, 0), b = fit_ok(big, 250, dist, 0);
        ck_close(b.omega, 1e4 * a.omega, 1e-7);
        ck_close(b.omega_se, 1e4 * a.omega_se, 1e-5);
        ck_close(b.alpha, a.alpha, 1e-7);
        ck_close(b.beta, a.beta, 1e-7);
        ck_close(b.nu, a.nu, 1e-7);
        ck_close(b.last_variance, 1e4 * a.last_variance, 1e-6);
        ck_close(b.log_likelihood, a.log_likelihood - 250 * log(100.0), 1e-10);
    }
    double sum2 = 0.0;
    for (int t = 0; t < 250; t++)
        e[t] = r[t] - mean, sum2 += e[t] * e[t];
    keel_garch_fit_result d = fit_ok(r, 250, KEEL_GARCH_STUDENT_T, 1);
    keel_garch_fit_result m = fit_ok(e, 250, KEEL_GARCH_STUDENT_T, 0);
    ck_close(d.mean, mean, 1e-12);
    ck_close(d.mean_se, sqrt(sum2) / 250.0, 1e-12);
    ck_close(d.omega, m.omega, 1e-7);
    ck_close(d.alpha, m.alpha, 1e-7);
    ck_close(d.nu, m.nu, 1e-7);
    ck_close(d.log_likelihood, m.log_likelihood, 1e-10);
    ck_assert(m.mean == 0.0 && m.mean_se == 0.0);
}
END_TEST

/* Known parameters come back from 20,000 simulated returns, each within 4
 * of its standard errors (a loose, statistical check). */
START_TEST(garch_fit_recovers_simulated_parameters)
{
    enum { N = 20000 };
    static double r[N];
    simulate(r, N, 1e-5, 0.08, 0.9, 0, 7);
    keel_garch_fit_result f = fit_ok(r, N, KEEL_GARCH_NORMAL, 0);
    ck_assert_msg(fabs(f.omega - 1e-5) < 4 * f.omega_se, "omega %g (%g)", f.omega, f.omega_se);
    ck_assert_msg(fabs(f.alpha - 0.08) < 4 * f.alpha_se, "alpha %g (%g)", f.alpha, f.alpha_se);
    ck_assert_msg(fabs(f.beta - 0.9) < 4 * f.beta_se, "beta %g (%g)", f.beta, f.beta_se);
    ck_assert(f.alpha_se < 0.02 && f.beta_se < 0.02 && f.bounds == 0);

    simulate(r, N, 2e-5, 0.1, 0.85, 5, 11);
    f = fit_ok(r, N, KEEL_GARCH_STUDENT_T, 0);
    ck_assert_msg(fabs(f.omega - 2e-5) < 4 * f.omega_se, "omega %g (%g)", f.omega, f.omega_se);
    ck_assert_msg(fabs(f.alpha - 0.1) < 4 * f.alpha_se, "alpha %g (%g)", f.alpha, f.alpha_se);
    ck_assert_msg(fabs(f.beta - 0.85) < 4 * f.beta_se, "beta %g (%g)", f.beta, f.beta_se);
    ck_assert_msg(fabs(f.nu - 5.0) < 4 * f.nu_se, "nu %g (%g)", f.nu, f.nu_se);
    ck_assert(f.nu_se < 0.5);
}
END_TEST

/* Where the likelihood has no maximum inside the model: ETH 2023 under the
 * normal (omega tends to 0: the reference fit above stops at its lower
 * bound, 1e-8 of the variance), and thin tails under the Student-t (nu
 * grows without bound). Also a limit of one iteration. */
START_TEST(garch_fit_no_maximum)
{
    double r[250];
    eth_returns("2023-01-01", 250, r);
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    keel_garch_fit_result out = KEEL_GARCH_FIT_RESULT_INIT, before;
    memset(&out, 0x5a, sizeof out);
    out.size = sizeof out;
    before = out;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_NO_CONVERGENCE);
    ck_assert_msg(strstr(keel_last_error(), "omega tends to 0") != NULL, "%s", keel_last_error());
    ck_assert(memcmp(&out, &before, sizeof out) == 0);

    enum { N = 4000 };
    static double u[N];
    simulate(u, N, 1e-5, 0.08, 0.9, -1, 3);
    p.distribution = KEEL_GARCH_STUDENT_T;
    ck_status(keel_garch_fit(u, N, &p, &out), KEEL_E_NO_CONVERGENCE);
    ck_assert_msg(strstr(keel_last_error(), "nu grows without bound") != NULL, "%s",
                  keel_last_error());
    p.distribution = KEEL_GARCH_NORMAL; /* the normal fits these */
    keel_garch_fit_result ok = KEEL_GARCH_FIT_RESULT_INIT;
    ck_ok(keel_garch_fit(u, N, &p, &ok));

    eth_returns("2021-01-01", 250, r);
    p.max_iterations = 1;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_NO_CONVERGENCE);
    ck_assert_msg(strstr(keel_last_error(), "no starting point converged in 1 iterations") != NULL,
                  "%s", keel_last_error());
    ck_assert(memcmp(&out, &before, sizeof out) == 0);
}
END_TEST

START_TEST(garch_fit_bad_input_changes_nothing)
{
    double r[250];
    eth_returns("2021-01-01", 250, r);
    keel_garch_fit_params p = KEEL_GARCH_FIT_PARAMS_INIT;
    keel_garch_fit_result out, before;
    memset(&out, 0x5a, sizeof out);
    out.size = sizeof out;
    before = out;
    ck_status(keel_garch_fit(NULL, 250, &p, &out), KEEL_E_NULL_ARG);
    ck_status(keel_garch_fit(r, 250, &p, NULL), KEEL_E_NULL_ARG);
    /* non-finite anywhere: the detail names the index */
    const double bad[3] = { NAN, INFINITY, -INFINITY };
    for (int i = 0; i < 3; i++) {
        double keep = r[137];
        r[137] = bad[i];
        ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_NOT_FINITE);
        ck_assert_msg(strstr(keel_last_error(), "returns[137]") != NULL, "%s", keel_last_error());
        r[137] = keep;
    }
    /* too short; constant; variance out of range */
    ck_status(keel_garch_fit(r, KEEL_GARCH_FIT_MIN_RETURNS - 1, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_fit(r, 0, &p, &out), KEEL_E_OUT_OF_RANGE);
    double flat[60], huge[60], tiny[60];
    for (int t = 0; t < 60; t++)
        flat[t] = 0.01, huge[t] = 1e160 * r[t], tiny[t] = 1e-160 * r[t];
    ck_status(keel_garch_fit(flat, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert_msg(strstr(keel_last_error(), "all 0.01") != NULL, "%s", keel_last_error());
    for (int t = 0; t < 60; t++)
        flat[t] = 0.0;
    ck_status(keel_garch_fit(flat, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_fit(huge, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_fit(tiny, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    huge[0] = DBL_MAX, huge[1] = -DBL_MAX; /* their difference overflows */
    ck_status(keel_garch_fit(huge, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    /* demeaned, a constant series has no variance either; and a spread past double range */
    p.demean = 1;
    for (int t = 0; t < 60; t++)
        huge[t] = t == 5 ? -DBL_MAX : DBL_MAX;
    ck_status(keel_garch_fit(huge, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert_msg(strstr(keel_last_error(), "spread overflows") != NULL, "%s", keel_last_error());
    for (int t = 0; t < 60; t++)
        flat[t] = 0.003;
    ck_status(keel_garch_fit(flat, 60, &p, &out), KEEL_E_OUT_OF_RANGE);
    /* bad settings */
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.distribution = (keel_garch_dist)2;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    p.distribution = (keel_garch_dist)-1;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.demean = 2;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.max_iterations = 0;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    p.size = sizeof(size_t) - 1;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    ck_assert(memcmp(&out, &before, sizeof out) == 0);
    /* an out struct without room for its size member */
    p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    out.size = 0;
    ck_status(keel_garch_fit(r, 250, &p, &out), KEEL_E_OUT_OF_RANGE);
    out.size = sizeof out;
    ck_assert(memcmp(&out, &before, sizeof out) == 0);
}
END_TEST

/* Size-prefixed structs: NULL params are the defaults; an older caller's
 * shorter params read defaults for the rest; a shorter result is written
 * only as far as its size. */
START_TEST(garch_fit_sizes_and_defaults)
{
    double r[250];
    eth_returns("2021-01-01", 250, r);
    keel_garch_fit_result a = KEEL_GARCH_FIT_RESULT_INIT, b = KEEL_GARCH_FIT_RESULT_INIT;
    ck_ok(keel_garch_fit(r, 250, NULL, &a));
    keel_garch_fit_params p;
    memset(&p, 0xab, sizeof p);
    ck_ok(keel_garch_fit_params_init(&p, sizeof p));
    ck_assert(p.size == sizeof p && p.distribution == KEEL_GARCH_NORMAL && p.demean == 0 &&
              p.max_iterations == 200);
    ck_ok(keel_garch_fit(r, 250, &p, &b));
    ck_assert(memcmp(&a, &b, sizeof a) == 0);
    ck_status(keel_garch_fit_params_init(NULL, sizeof p), KEEL_E_NULL_ARG);
    ck_status(keel_garch_fit_params_init(&p, 1), KEEL_E_OUT_OF_RANGE);

    /* a caller that knows only size and distribution */
    p.distribution = KEEL_GARCH_STUDENT_T;
    p.demean = 7; /* beyond its size: not read */
    p.size = offsetof(keel_garch_fit_params, demean);
    ck_ok(keel_garch_fit(r, 250, &p, &b));
    ck_assert(b.nu > 2.0 && b.mean == 0.0);

    keel_garch_fit_result c;
    memset(&c, 0x5a, sizeof c);
    c.size = offsetof(keel_garch_fit_result, beta);
    ck_ok(keel_garch_fit(r, 250, NULL, &c));
    ck_assert(c.size == offsetof(keel_garch_fit_result, beta));
    ck_assert(c.omega == a.omega && c.alpha == a.alpha);
    keel_garch_fit_result junk;
    memset(&junk, 0x5a, sizeof junk);
    ck_assert(memcmp(&c.beta, &junk.beta, sizeof c - offsetof(keel_garch_fit_result, beta)) == 0);
}
END_TEST

static Suite *estimators_suite(void)
{
    Suite *s = suite_create("estimators");
    TCase *tc = tcase_create("estimators");
    tcase_add_test(tc, ewma_three_steps);
    tcase_add_test(tc, ewma_from_prices);
    tcase_add_test(tc, garch_three_steps_and_forecast);
    tcase_add_test(tc, bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    TCase *fit = tcase_create("garch_fit");
    tcase_set_timeout(fit, 600);
    tcase_add_loop_test(fit, garch_fit_matches_independent_fit, 0, (int)NREFS);
    tcase_add_loop_test(fit, garch_fit_gradient_is_zero, 0, (int)NREFS);
    tcase_add_test(fit, garch_fit_last_variance_continues_the_recursion);
    tcase_add_test(fit, garch_fit_scale_and_mean);
    tcase_add_test(fit, garch_fit_recovers_simulated_parameters);
    tcase_add_test(fit, garch_fit_no_maximum);
    tcase_add_test(fit, garch_fit_bad_input_changes_nothing);
    tcase_add_test(fit, garch_fit_sizes_and_defaults);
    suite_add_tcase(s, fit);
    return s;
}

KEEL_TEST_MAIN(estimators_suite)
