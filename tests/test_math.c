/* lib/math against closed forms and published values: the normal quantile
 * (round trip through the erfc-based CDF, and reference values), digamma
 * and trigamma against closed forms, Brent's method on classic equations with known roots, the PSD check, and the QP at
 * degenerate vertices (worked by hand, issue 12's, and random problems whose
 * optimum is known by construction); lib/risk's explanation of many assets
 * in one evaluation against one evaluation per asset; and the policy layer's
 * keel_policy_may_act against the plans keel_policy_plan makes; the
 * simulation's vector normal generator and exp (lib/math/vrand.c: the same
 * bits on every dispatch target, accuracy against libm and AS 241 with
 * libm's log, the statistics of its draws); the market's correlation factor
 * against the uncached path. Links the static library to reach these
 * internal functions. */
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "market/market_internal.h"
#include "sim/sim_internal.h"
#include "math/kmath.h"
#include "policy/policy_sim.h"
#include "risk/risk_internal.h"
#include "testutil.h"

/* The dispatch targets: scalar always runs; the best target is usable;
 * AVX-512 implies AVX2 here (keel_isa_best never skips a level); the CPU's
 * own flags (read independently from /proc/cpuinfo) agree on AVX2. */
START_TEST(cpu_dispatch_levels) {
    ck_assert(keel_isa_usable(KEEL_ISA_SCALAR));
    keel_isa best = keel_isa_best();
    ck_assert(keel_isa_usable(best));
    if (keel_isa_usable(KEEL_ISA_AVX512))
        ck_assert(keel_isa_usable(KEEL_ISA_AVX2) && best == KEEL_ISA_AVX512);
    ck_assert(!keel_isa_usable(KEEL_ISA_COUNT));
    ck_assert_str_eq(keel_isa_name(KEEL_ISA_SCALAR), "scalar");
    ck_assert_str_eq(keel_isa_name(KEEL_ISA_AVX2), "avx2");
    ck_assert_str_eq(keel_isa_name(KEEL_ISA_AVX512), "avx512");
    ck_assert_str_eq(keel_isa_name(KEEL_ISA_COUNT), "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[8192];
        bool avx2 = false, fma = false;
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "flags", 5) == 0) {
                avx2 = strstr(line, " avx2") != NULL;
                fma = strstr(line, " fma") != NULL;
                break;
            }
        fclose(f);
        ck_assert_int_eq(keel_isa_usable(KEEL_ISA_AVX2), avx2 && fma);
    }
}
END_TEST

/* Random123's known-answer vectors for Philox4x32-10 (tests/kat_vectors of
 * https://github.com/DEShawResearch/random123: counter, key, output). */
START_TEST(philox_known_answers)
{
    static const uint32_t kat[3][10] = {
        { 0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 },
        { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
          0x41c83b0e, 0xa20bc7c6, 0x6d5451fd },
        { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
          0x94fdcceb, 0x5001e420, 0x24126ea1 },
    };
    for (int i = 0; i < 3; i++) {
        uint32_t out[4];
        keel_philox4x32_10(kat[i], kat[i] + 4, out);
        for (int j = 0; j < 4; j++)
            ck_assert_msg(out[j] == kat[i][6 + j], "vector %d word %d: %08x", i, j, out[j]);
    }
}
END_TEST

/* The normals: moments of 400,000 draws within 5 standard errors, the tail
 * frequency beyond 3, independence of streams, and determinism. */
START_TEST(normal_stream_moments)
{
    keel_rng r;
    keel_rng_init(&r, 12345, 7, 0);
    const int n = 400000;
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
        double z = keel_rng_normal(&r);
        m1 += z, m2 += z * z, m3 += z * z * z, m4 += z * z * z * z;
        tail += fabs(z) > 3.0;
    }
    m1 /= n, m2 /= n, m3 /= n, m4 /= n;
    ck_assert_msg(fabs(m1) < 5 * sqrt(1.0 / n), "mean %g", m1);
    ck_assert_msg(fabs(m2 - 1) < 5 * sqrt(2.0 / n), "variance %g", m2);
    ck_assert_msg(fabs(m3) < 5 * sqrt(15.0 / n), "skew %g", m3);
    ck_assert_msg(fabs(m4 - 3) < 5 * sqrt(96.0 / n), "kurtosis %g", m4);
    double p3 = 0.0026997960632601866; /* 2 Phi(-3) */
    ck_assert_msg(fabs(tail - n * p3) < 5 * sqrt(n * p3), "tail %d", tail);
    /* the same (seed, stream) gives the same numbers; another stream others */
    keel_rng a, b, c;
    keel_rng_init(&a, 99, 1ull << 40, 0);
    keel_rng_init(&b, 99, 1ull << 40, 0);
    keel_rng_init(&c, 99, (1ull << 40) + 1, 0);
    double corr = 0;
    for (int i = 0; i < 1000; i++) {
        double x = keel_rng_normal(&a), y = keel_rng_normal(&b), z = keel_rng_normal(&c);
        ck_assert(x == y);
        corr += x * z;
    }
    ck_assert(fabs(corr / 1000) < 5 / sqrt(1000.0));
    double u = keel_rng_uniform(&a);
    ck_assert(u > 0.0 && u < 1.0);
}
END_TEST

START_TEST(normal_quantile_reference_values)
{
    /* Reference quantiles (Abramowitz & Stegun table 26.5 gives 1.959964 and
     * 2.326348; more digits from Wichura 1988 / R's qnorm). */
    ck_close(keel_norm_quantile(0.975), 1.959963984540054, 1e-15);
    ck_close(keel_norm_quantile(0.99), 2.326347874040841, 1e-15);
    ck_close(keel_norm_quantile(0.5), 0.0, 0.0);
    ck_close(keel_norm_quantile(0.025), -1.959963984540054, 1e-15);
    ck_close(keel_norm_quantile(1e-10), -6.361340902404056, 1e-14);
    ck_assert(isinf(keel_norm_quantile(0.0)) && keel_norm_quantile(0.0) < 0);
    ck_assert(isinf(keel_norm_quantile(1.0)) && keel_norm_quantile(1.0) > 0);
    ck_assert(isnan(keel_norm_quantile(-0.1)));
    ck_assert(isnan(keel_norm_quantile(NAN)));
    ck_close(keel_norm_cdf(0.0), 0.5, 0.0);
    ck_close(keel_norm_cdf(-1.959963984540054), 0.025, 1e-15);
}
END_TEST

START_TEST(normal_quantile_round_trip)
{
    /* Phi(Phi^-1(p)) = p across the body and both far tails (AS 241's three
     * regions: |p - 0.5| <= 0.425, r <= 5, r > 5 i.e. p < ~1.4e-11). */
    const double ps[] = { 1e-300, 1e-100, 1e-30, 1e-15, 1e-11, 1e-6, 0.001, 0.07, 0.2, 0.4999,
                          0.6, 0.9, 0.999, 1 - 1e-9 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double x = keel_norm_quantile(ps[i]);
        double back = keel_norm_cdf(x);
        ck_assert_msg(fabs(back - ps[i]) <= 1e-14 * ps[i] + 1e-16,
                      "p = %g: quantile %.17g maps back to %.17g", ps[i], x, back);
    }
}
END_TEST

static double cubic(double x, void *ctx, bool *ok)
{
    (void)ctx;
    *ok = true;
    return x * x * x - 2.0 * x - 5.0;
}

static double cos_minus_x(double x, void *ctx, bool *ok)
{
    (void)ctx;
    *ok = true;
    return cos(x) - x;
}

static double failing(double x, void *ctx, bool *ok)
{
    (void)x;
    (void)ctx;
    *ok = false;
    return 0.0;
}

/* Digamma and trigamma against closed forms (Abramowitz and Stegun 6.3.2,
 * 6.3.3, 6.4.2, 6.4.4) and the recurrences, on both sides of the switch to
 * the asymptotic series at 12. */
START_TEST(digamma_trigamma_closed_forms)
{
    const double euler = 0.57721566490153286061, pi2 = 9.8696044010893586188;
    ck_close(keel_digamma(1.0), -euler, 1e-15);
    ck_close(keel_digamma(0.5), -euler - 2.0 * log(2.0), 1e-15);
    ck_close(keel_trigamma(1.0), pi2 / 6.0, 1e-15);
    ck_close(keel_trigamma(0.5), pi2 / 2.0, 1e-15);
    /* psi(n) = -gamma + sum_{k<n} 1/k; psi'(n) = pi^2/6 - sum_{k<n} 1/k^2 */
    double h = 0.0, h2 = 0.0;
    for (int k = 1; k < 40; k++) {
        h += 1.0 / k, h2 += 1.0 / ((double)k * k);
        ck_close(keel_digamma(k + 1.0), -euler + h, 2e-15);
        ck_close(keel_trigamma(k + 1.0), pi2 / 6.0 - h2, 2e-15);
    }
    /* large arguments: psi(x) ~ log x - 1/(2x), psi'(x) ~ 1/x + 1/(2x^2) */
    ck_close(keel_digamma(1e8), log(1e8) - 0.5e-8, 1e-15);
    ck_close(keel_trigamma(1e8), 1e-8 + 0.5e-16, 1e-15);
    ck_assert(isnan(keel_digamma(0.0)) && isnan(keel_digamma(-1.0)) && isnan(keel_digamma(NAN)));
    ck_assert(isnan(keel_trigamma(0.0)) && isnan(keel_trigamma(INFINITY)));
}
END_TEST

START_TEST(brent_known_roots)
{
    double root;
    /* Brent's own example x^3 - 2x - 5 (Wallis): root 2.0945514815423265 */
    ck_assert_int_eq(keel_brent(cubic, NULL, 2.0, cubic(2, NULL, &(bool){ 0 }), 3.0,
                                cubic(3, NULL, &(bool){ 0 }), 1e-15, &root), 0);
    ck_close(root, 2.0945514815423265, 1e-15);
    /* the Dottie number: cos x = x at 0.7390851332151607 */
    ck_assert_int_eq(keel_brent(cos_minus_x, NULL, 0.0, 1.0, 1.0, cos(1.0) - 1.0, 1e-15, &root), 0);
    ck_close(root, 0.7390851332151607, 1e-15);
    /* an end point that is already a root */
    ck_assert_int_eq(keel_brent(cubic, NULL, 1.0, 0.0, 3.0, 16.0, 1e-15, &root), 0);
    ck_assert(root == 1.0);
    ck_assert_int_eq(keel_brent(cubic, NULL, 1.0, -6.0, 3.0, 0.0, 1e-15, &root), 0);
    ck_assert(root == 3.0);
    /* no sign change, and an evaluation that fails */
    ck_assert_int_eq(keel_brent(cubic, NULL, 3.0, 16.0, 4.0, 51.0, 1e-15, &root), 1);
    ck_assert_int_eq(keel_brent(failing, NULL, 2.0, -1.0, 3.0, 16.0, 1e-15, &root), 2);
}
END_TEST

START_TEST(cholesky_psd)
{
    double work[9];
    const double identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    const double singular[9] = { 1, 1, 0, 1, 1, 0, 0, 0, 1 };      /* rho = 1: PSD */
    const double not_psd[9] = { 1, .99, .9, .99, 1, -.9, .9, -.9, 1 }; /* det < 0 */
    const double coupled_zero[4] = { 0, 0.5, 0.5, 1 };             /* zero pivot, coupling */
    ck_assert(keel_cholesky_psd(3, identity, work));
    ck_assert(keel_cholesky_psd(3, singular, work));
    ck_assert(!keel_cholesky_psd(3, not_psd, work));
    ck_assert(!keel_cholesky_psd(2, coupled_zero, work));
    ck_assert(keel_cholesky_psd(0, identity, work));
    /* the factor of a known matrix: [[4, 2], [2, 5]] = L L' with L = [[2, 0], [1, 2]] */
    const double a[4] = { 4, 2, 2, 5 };
    ck_assert(keel_cholesky_psd(2, a, work));
    ck_close(work[0], 2.0, 1e-15);
    ck_close(work[2], 1.0, 1e-15);
    ck_close(work[3], 2.0, 1e-15);
}
END_TEST

/* ---- the dense convex QP (lib/math/qp.c) ---- */

static double qp_value(size_t n, const double *q, const double *c, const double *x)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        s += c[i] * x[i];
        for (size_t j = 0; j < n; j++)
            s += 0.5 * x[i] * q[i * n + j] * x[j];
    }
    return s;
}

/* A degenerate vertex worked by hand: minimise 1/2 ((x - 3)^2 + (y - 1)^2)
 * (Q = I, c = (-3, -1)) subject to x >= 0, y >= 0, x + y >= 0 (redundant),
 * 2y >= 0 (y >= 0 again) and x + y <= 2, from (0, 0), where four constraints
 * are active on two variables. The answer is the projection of (3, 1) on
 * x + y <= 2: (3, 1) - ((3 + 1 - 2) / 2) (1, 1) = (2, 0), where y >= 0 is
 * still active with a zero multiplier (degenerate there too); KKT:
 * g = (2 - 3, 0 - 1) = (-1, -1) = 1 * (-1, -1), the multiplier of -x - y >= -2. */
START_TEST(qp_degenerate_vertex_by_hand)
{
    const double q[4] = { 1, 0, 0, 1 }, c[2] = { -3, -1 };
    const double a[] = { 1, 0, 0, 1, 1, 1, 0, 2, -1, -1 }, b[] = { 0, 0, 0, 0, -2 };
    double work[256];
    ck_assert_uint_ge(sizeof work / sizeof work[0], keel_qp_work_size(2, 5));
    double x[2] = { 0.0, 0.0 };
    size_t it = 0;
    ck_assert_int_eq(keel_qp_solve(2, q, c, 5, 0, a, b, x, work, &it), KEEL_QP_OPTIMAL);
    ck_close(x[0], 2.0, 1e-14);
    ck_close(x[1], 0.0, 1e-14);
    ck_assert_uint_le(it, 10);
    /* starting at the answer (three constraints active): nothing moves */
    x[0] = 2.0, x[1] = 0.0;
    ck_assert_int_eq(keel_qp_solve(2, q, c, 5, 0, a, b, x, work, &it), KEEL_QP_OPTIMAL);
    ck_assert(x[0] == 2.0 && x[1] == 0.0);
    /* an equality through the optimum (x - y = 2) and a duplicate of it */
    const double a2[] = { 1, -1, 1, -1, 1, 0, 0, 1, 1, 1, 0, 2, -1, -1 };
    const double b2[] = { 2, 2, 0, 0, 0, 0, -2 };
    x[0] = 2.0, x[1] = 0.0;
    ck_assert_int_eq(keel_qp_solve(2, q, c, 7, 2, a2, b2, x, work, &it), KEEL_QP_OPTIMAL);
    ck_close(x[0], 2.0, 1e-14);
    ck_close(x[1], 0.0, 1e-14);
}
END_TEST

/* The least-risk problem of issue 12, built as keel_optimize_collateral
 * builds it: R1, R2, R3 with variance 0.36 and covariance 0.18, U riskless,
 * Q = 2 (S + 1e-12 max S_ii I); lending 1 - 0.304, 1 - 0.439, 1 - 0.356,
 * 1 - 0.45; caps 90,000, 290,000, 280,000; total 1,000,000; borrowing power
 * at least 592,650, the most there is. The start -- R1, R3, R2 at their caps,
 * U 340,000 -- is the only feasible point (distinct lending rates make the
 * most-lending mix unique); active there: the sum, the borrowing power and
 * three caps, five constraints on four variables. The former method dropped
 * one and took it back after a zero step until its iteration limit. With no
 * borrowing power required the least risk is all in U but for the
 * regularisation's trace, v_i ~ 1e-12 of the total in each risky asset. */
START_TEST(qp_issue12_vertex_with_more_active_constraints_than_variables)
{
    double q[16], eps = 1e-12 * 0.36;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double cov = i < 3 && j < 3 ? (i == j ? 0.36 : 0.18) : 0.0;
            q[i * 4 + j] = 2.0 * (cov + (i == j ? eps : 0.0));
        }
    const double c[4] = { 0 };
    const double lend[4] = { 1.0 - 0.304, 1.0 - 0.439, 1.0 - 0.356, 1.0 - 0.45 };
    const double cap[3] = { 90000.0, 290000.0, 280000.0 };
    const double start[4] = { 90000.0, 290000.0, 280000.0, 340000.0 };
    double a[9 * 4] = { 0 }, b[9];
    b[0] = 1e6;
    b[1] = 0.0;
    for (int j = 0; j < 4; j++) {
        a[0 * 4 + j] = 1.0;
        a[1 * 4 + j] = lend[j];
        b[1] += lend[j] * start[j];
        a[(2 + j) * 4 + j] = 1.0; /* v >= 0 */
        b[2 + j] = 0.0;
    }
    ck_close(b[1], 592650.0, 1e-15);
    for (int j = 0; j < 3; j++) {
        a[(6 + j) * 4 + j] = -1.0; /* -v >= -cap */
        b[6 + j] = -cap[j];
    }
    double work[1024];
    ck_assert_uint_ge(sizeof work / sizeof work[0], keel_qp_work_size(4, 9));
    double x[4];
    memcpy(x, start, sizeof x);
    ck_assert_int_eq(keel_qp_solve(4, q, c, 9, 1, a, b, x, work, NULL), KEEL_QP_OPTIMAL);
    for (int j = 0; j < 4; j++)
        ck_close(x[j], start[j], 1e-12);
    b[1] = 0.0;
    memcpy(x, start, sizeof x);
    ck_assert_int_eq(keel_qp_solve(4, q, c, 9, 1, a, b, x, work, NULL), KEEL_QP_OPTIMAL);
    ck_close(x[3], 1e6, 1e-11);
    for (int j = 0; j < 3; j++)
        ck_assert(x[j] >= 0.0 && x[j] <= 1e-11 * 1e6);
}
END_TEST

/* Random degenerate QPs whose optimum is known by construction: pick a start
 * x0 and an optimum x*, constraints active at x0 and satisfied at x* (n + 1 to
 * 3n of them, so x0 is a vertex with more active constraints than
 * variables), constraints active at x* (some with zero multipliers), some
 * active at both, equalities through both, duplicates, doubled rows and sums
 * of rows; then c = sum lambda_i a_i - Q x* with lambda >= 0 makes x* satisfy
 * the KKT conditions, and as Q is positive definite it is the only optimum.
 * Integer data make the ties and the activity exact. Q = B B' + delta I, of rank
 * as low as 1 plus delta = 1e-3 or 1e-10 (the ill-conditioning a riskless asset
 * or a correlation of 1 brings). Every problem is solved, to the known
 * optimal value within 1e-9 of the size of its terms and feasible within
 * 1e-10; with delta = 1e-3, x itself within 1e-7. With the former QP most of
 * these ended at the iteration limit. */
enum { RN = 12, RM = 200 };

typedef struct rand_qp {
    uint64_t s;
    size_t n, m, neq;
    double q[RN * RN], c[RN], a[RM * RN], b[RM], x0[RN], xs[RN], delta;
} rand_qp;

static double rq_uniform(rand_qp *p)
{
    p->s = p->s * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(p->s >> 11) / 9007199254740992.0;
}

static size_t rq_int(rand_qp *p, size_t k)
{
    return (size_t)(rq_uniform(p) * (double)k);
}

static double rq_entry(rand_qp *p, bool integer)
{
    return integer ? (double)rq_int(p, 5) - 2.0 : 2.0 * rq_uniform(p) - 1.0;
}

/* kinds: 0 active at x0, 1 active at x*, 2 active at both, 4 slack at both */
static void make_rand_qp(rand_qp *p, bool integer)
{
    size_t n = 2 + rq_int(p, RN - 1), rank = 1 + rq_int(p, n);
    p->n = n;
    p->delta = rq_int(p, 2) ? 1e-10 : 1e-3;
    double bm[RN * RN];
    for (size_t i = 0; i < n * rank; i++)
        bm[i] = rq_entry(p, integer);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double t = i == j ? p->delta : 0.0;
            for (size_t k = 0; k < rank; k++)
                t += bm[i * rank + k] * bm[j * rank + k];
            p->q[i * n + j] = t;
        }
    double d[RN];
    for (size_t j = 0; j < n; j++) {
        p->x0[j] = integer ? (double)rq_int(p, 7) - 3.0 : 4.0 * rq_uniform(p) - 2.0;
        p->xs[j] = integer ? (double)rq_int(p, 7) - 3.0 : 4.0 * rq_uniform(p) - 2.0;
        d[j] = p->xs[j] - p->x0[j];
    }
    static double rows[RM][RN];
    int kind[RM];
    double lam[RM];
    size_t m = 0, neq = rq_int(p, 3);
    for (size_t e = 0; e < neq; e++, m++) { /* a_i = d_j e_i - d_i e_j: orthogonal to d */
        memset(rows[m], 0, sizeof rows[m]);
        size_t i = rq_int(p, n), j = (i + 1 + rq_int(p, n - 1)) % n;
        rows[m][i] = d[j];
        rows[m][j] = -d[i];
        kind[m] = 2;
        lam[m] = 2.0 * rq_uniform(p) - 1.0; /* any sign on an equality */
    }
    p->neq = m;
    size_t k0 = n + 1 + rq_int(p, 2 * n), ks = 1 + rq_int(p, n + 1), kb = rq_int(p, n),
           kf = rq_int(p, 4);
    for (size_t t = 0; t < k0 + ks + kb + kf && m < RM - 3; t++) {
        int kd = t < k0 ? 0 : t < k0 + ks ? 1 : t < k0 + ks + kb ? 2 : 4;
        double *r = rows[m], ad = 0.0;
        memset(r, 0, sizeof rows[m]);
        if (kd == 2) {
            size_t i = rq_int(p, n), j = (i + 1 + rq_int(p, n - 1)) % n;
            r[i] = d[j];
            r[j] = -d[i];
        } else if (rq_int(p, 3) == 0) {
            r[rq_int(p, n)] = rq_int(p, 2) ? 1.0 : -1.0; /* a bound */
        } else {
            for (size_t j = 0; j < n; j++)
                r[j] = rq_entry(p, integer);
        }
        for (size_t j = 0; j < n; j++)
            ad += r[j] * d[j];
        if ((kd == 0 && ad < 0.0) || (kd == 1 && ad > 0.0))
            for (size_t j = 0; j < n; j++)
                r[j] = -r[j];
        kind[m] = kd;
        lam[m] = 0.0;
        if ((kd == 1 || kd == 2) && rq_int(p, 3))
            lam[m] = integer ? 1.0 + (double)rq_int(p, 3) : rq_uniform(p);
        m++;
        size_t dup = rq_int(p, 5);
        if (dup == 0) { /* the same row doubled */
            for (size_t j = 0; j < n; j++)
                rows[m][j] = 2.0 * r[j];
            kind[m] = kd, lam[m] = 0.0, m++;
        } else if (dup == 1 && kd != 4 && m > p->neq + 2) {
            /* the sum with an earlier row of its kind */
            size_t o = p->neq + rq_int(p, m - 1 - p->neq);
            if (kind[o] == kd) {
                for (size_t j = 0; j < n; j++)
                    rows[m][j] = r[j] + rows[o][j];
                kind[m] = kd, lam[m] = 0.0, m++;
            }
        }
    }
    for (size_t i = m; i-- > p->neq + 1;) { /* shuffle the inequalities */
        size_t j = p->neq + rq_int(p, i - p->neq + 1);
        double t[RN];
        memcpy(t, rows[i], sizeof t);
        memcpy(rows[i], rows[j], sizeof t);
        memcpy(rows[j], t, sizeof t);
        int kk = kind[i];
        kind[i] = kind[j], kind[j] = kk;
        double l = lam[i];
        lam[i] = lam[j], lam[j] = l;
    }
    p->m = m;
    for (size_t i = 0; i < m; i++) {
        double ax0 = 0.0, axs = 0.0;
        for (size_t j = 0; j < n; j++) {
            p->a[i * n + j] = rows[i][j];
            ax0 += rows[i][j] * p->x0[j];
            axs += rows[i][j] * p->xs[j];
        }
        if (kind[i] == 0)
            p->b[i] = ax0;
        else if (kind[i] == 4)
            p->b[i] = fmin(ax0, axs) - 1.0 - (double)rq_int(p, 3);
        else
            p->b[i] = axs;
    }
    for (size_t j = 0; j < n; j++) {
        double t = 0.0;
        for (size_t l = 0; l < n; l++)
            t -= p->q[j * n + l] * p->xs[l];
        for (size_t i = 0; i < m; i++)
            t += lam[i] * p->a[i * n + j];
        p->c[j] = t;
    }
}

START_TEST(qp_random_degenerate_known_optimum)
{
    static rand_qp p;
    static double work[50000];
    ck_assert_uint_ge(sizeof work / sizeof work[0], keel_qp_work_size(RN, RM));
    size_t solved = 0;
    for (int integer = 0; integer < 2; integer++)
        for (uint64_t t = 0; t < 1500; t++) {
            p.s = t * 7919 + 5 + (uint64_t)integer * 1000003;
            make_rand_qp(&p, integer);
            size_t n = p.n, m = p.m;
            double x[RN];
            memcpy(x, p.x0, sizeof x);
            int rc = keel_qp_solve(n, p.q, p.c, m, p.neq, p.a, p.b, x, work, NULL);
            ck_assert_msg(rc == KEEL_QP_OPTIMAL, "problem %d/%d (n %zu, m %zu): %d", integer,
                          (int)t, n, m, rc);
            /* the known optimal value, relative to the size of q's terms */
            double mag = 0.0, scale = 1.0;
            for (size_t i = 0; i < n; i++) {
                mag += fabs(p.c[i] * p.xs[i]);
                for (size_t j = 0; j < n; j++)
                    mag += 0.5 * fabs(p.xs[i] * p.q[i * n + j] * p.xs[j]);
                scale = fmax(scale, fabs(p.xs[i]));
            }
            double gap = qp_value(n, p.q, p.c, x) - qp_value(n, p.q, p.c, p.xs);
            ck_assert_msg(fabs(gap) <= 1e-9 * fmax(mag, 1.0), "problem %d/%d: value off by %g",
                          integer, (int)t, gap);
            for (size_t i = 0; i < m; i++) {
                double slack = -p.b[i], an = 0.0;
                for (size_t j = 0; j < n; j++) {
                    slack += p.a[i * n + j] * x[j];
                    an += fabs(p.a[i * n + j]);
                }
                double off = i < p.neq ? fabs(slack) : fmax(0.0, -slack);
                ck_assert_msg(off <= 1e-10 * an * scale, "problem %d/%d: row %zu off by %g",
                              integer, (int)t, i, off);
            }
            if (p.delta > 1e-6)
                for (size_t j = 0; j < n; j++)
                    ck_assert_msg(fabs(x[j] - p.xs[j]) <= 1e-7 * scale, "problem %d/%d: x[%zu]",
                                  integer, (int)t, j);
            solved++;
        }
    ck_assert_uint_eq(solved, 3000);
}
END_TEST

/* keel_risk_breakdowns() over assets held or not, with every add-on (and
 * then in portfolio mode), gives bit for bit what keel_risk_breakdown()
 * gives one asset at a time. */
START_TEST(risk_breakdowns_match_one_at_a_time)
{
    keel_market *mk;
    keel_haircut_model *hc;
    keel_basket *b;
    ck_ok(keel_market_new(&mk));
    const char *sym[5] = { "ETH", "STETH", "WBTC", "USDC", "DAI" };
    const double price[5] = { 2000.0, 1990.0, 60000.0, 1.0, 1.0 };
    const double vol[5] = { 0.8, 0.82, 0.6, 0.01, 0.02 };
    for (keel_asset a = 0; a < 5; a++) {
        ck_ok(keel_market_add_asset(mk, sym[a], price[a], NULL));
        ck_ok(keel_market_set_volatility(mk, a, vol[a]));
        ck_ok(keel_market_set_depth(mk, a, 1e6 * price[a]));
    }
    ck_ok(keel_market_set_correlation(mk, 0, 1, 0.95));
    ck_ok(keel_market_set_correlation(mk, 0, 2, 0.7));
    ck_ok(keel_market_set_correlation(mk, 1, 2, 0.65));
    ck_ok(keel_market_set_correlation(mk, 3, 4, 0.5));
    ck_ok(keel_haircut_model_new(&hc));
    for (keel_asset a = 0; a < 5; a++)
        ck_ok(keel_haircut_model_set_asset(hc, a, 0.2 + 0.01 * a, 0.15 + 0.01 * a));
    ck_ok(keel_haircut_model_set_cap(hc, 2, 0.3));
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.5, 0.2));
    ck_ok(keel_haircut_model_set_concentration(hc, 0, 0.4, 0.1));
    ck_ok(keel_haircut_model_set_peg_group(hc, 0, 1));
    ck_ok(keel_haircut_model_set_peg_group(hc, 1, 1));
    ck_ok(keel_haircut_model_set_peg_mismatch_addon(hc, 0.05));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 30.0));
    ck_ok(keel_basket_set_collateral(b, 1, 10.0));
    ck_ok(keel_basket_set_collateral(b, 2, 0.5));
    ck_ok(keel_basket_set_debt(b, 1, 4.0));
    ck_ok(keel_basket_set_debt(b, 3, 20000.0));
    const keel_asset ids[5] = { 0, 1, 2, 3, 4 }; /* 4 is not in the basket */
    for (int portfolio = 0; portfolio <= 1; portfolio++) {
        ck_ok(keel_haircut_model_set_portfolio_mode(hc, portfolio));
        keel_haircut_components all[5], one;
        ck_ok(keel_risk_breakdowns(hc, b, mk, ids, 5, all, "test"));
        for (size_t i = 0; i < 5; i++) {
            memset(&one, 0, sizeof one);
            ck_ok(keel_risk_breakdown(hc, b, mk, ids[i], &one, "test"));
            ck_assert_msg(memcmp(&one, &all[i], sizeof one) == 0,
                          "portfolio %d, asset %zu: maintenance %.17g vs %.17g, "
                          "component %.17g vs %.17g", portfolio, i, one.maintenance,
                          all[i].maintenance, one.portfolio_component,
                          all[i].portfolio_component);
        }
        if (portfolio)
            ck_assert(all[0].portfolio_component != 0.0 && all[0].portfolio_var > 0.0);
        else
            ck_assert(all[0].liquidity > 0.0 && all[0].peg > 0.0 && all[0].excess_fraction > 0.0);
    }
    keel_basket_free(b);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
}
END_TEST

/* A health band that keel_policy_may_act says cannot act returns an empty
 * plan, at health factors on both sides of and inside its band. */
START_TEST(policy_may_act_only_skips_empty_plans)
{
    keel_market *mk;
    keel_haircut_model *hc;
    keel_cost_model *cm;
    keel_basket *b;
    ck_ok(keel_market_new(&mk));
    ck_ok(keel_market_add_asset(mk, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(mk, "USDC", 1.0, NULL));
    ck_ok(keel_haircut_model_new(&hc));
    ck_ok(keel_haircut_model_set_asset(hc, 0, 0.25, 0.2));
    ck_ok(keel_haircut_model_set_asset(hc, 1, 0.02, 0.0));
    ck_ok(keel_cost_model_new(&cm));
    ck_ok(keel_basket_new(&b));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 1;
    hb.boost_asset = 0;
    hb.withdraw_asset = 0;
    const unsigned allowed[3] = { KEEL_ALLOW_REPAY, KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST,
                                  KEEL_ALLOW_REPAY | KEEL_ALLOW_WITHDRAW };
    int skipped = 0;
    for (int k = 0; k < 3; k++) {
        hb.allowed = allowed[k];
        keel_policy *pol;
        ck_ok(keel_policy_health_band(&hb, &pol));
        for (double hf = 1.05; hf < 3.0; hf += 0.05) {
            /* 10 ETH: L = 16000, W = 16000 / hf */
            ck_ok(keel_basket_clear(b));
            ck_ok(keel_basket_set_collateral(b, 0, 10.0));
            ck_ok(keel_basket_set_debt(b, 1, 16000.0 / hf));
            if (keel_policy_may_act(pol, hf))
                continue;
            skipped++;
            keel_plan *plan = NULL;
            ck_ok(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan));
            size_t n;
            ck_ok(keel_plan_action_count(plan, &n));
            ck_assert_msg(n == 0, "allowed 0x%x, HF %g: %zu actions", allowed[k], hf, n);
            keel_plan_free(plan);
        }
        keel_policy_free(pol);
    }
    ck_assert_int_gt(skipped, 0);
    keel_basket_free(b);
    keel_cost_model_free(cm);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
}
END_TEST


/* ---- the simulation's vector generator (lib/math/vrand.c) ---- */

/* Every usable dispatch target gives the same bits as the scalar target:
 * normals at several offsets and lengths (a partial vector, a partial
 * chunk, a block index past 2^32), and exp over ordinary and extreme
 * arguments. */
START_TEST(vrand_targets_same_bits)
{
    static const struct { uint64_t seed, stream, first; uint32_t sub; size_t count; } cases[] = {
        { 42, 0, 0, 0, 2 },          { 42, 7, 10, 0, 18 },        { 1, 1ull << 40, 4, 2, 514 },
        { 0xFFFFFFFFFFFFull, 3, (1ull << 33) + 6, 1, 1030 }, { 2026, 99, 0, 0, 4096 },
        /* a vector of blocks across the counter's 2^32 boundary (its high word) */
        { 0xDEADBEEF12345678ull, 5, (1ull << 33) - 10, 3, 100 },
    };
    enum { MAXN = 4096 };
    static double ref[MAXN], got[MAXN];
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        keel_normals_isa(KEEL_ISA_SCALAR, cases[c].seed, cases[c].stream, cases[c].sub,
                         cases[c].first, cases[c].count, ref);
        for (int isa = 1; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            memset(got, 0, sizeof got);
            keel_normals_isa(isa, cases[c].seed, cases[c].stream, cases[c].sub, cases[c].first,
                             cases[c].count, got);
            ck_assert_msg(memcmp(ref, got, cases[c].count * sizeof *ref) == 0,
                          "case %zu: %s differs from scalar", c, keel_isa_name((keel_isa)isa));
        }
    }
    static double x[MAXN], y0[MAXN], y1[MAXN];
    for (int i = 0; i < MAXN; i++) /* -750 .. 750 in uneven steps, then specials */
        x[i] = -750.0 + 1500.0 * (i * 0.6180339887498949 - floor(i * 0.6180339887498949));
    x[0] = 0.0, x[1] = -0.0, x[2] = 709.78, x[3] = -708.39, x[4] = NAN, x[5] = 1e-300;
    x[6] = INFINITY, x[7] = -INFINITY;
    keel_exp_array_isa(KEEL_ISA_SCALAR, MAXN, x, y0);
    for (int isa = 1; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_isa_usable((keel_isa)isa))
            continue;
        keel_exp_array_isa(isa, MAXN, x, y1);
        ck_assert_msg(memcmp(y0, y1, sizeof y0) == 0, "exp: %s differs from scalar",
                      keel_isa_name((keel_isa)isa));
    }
    for (int i = 0; i < MAXN; i++) /* the scalar function is the array's */
        ck_assert(memcmp(&y0[i], &(double){ keel_exp_det(x[i]) }, sizeof(double)) == 0);
}
END_TEST

/* Distance in units in the last place. */
static double ulps(double a, double b)
{
    if (a == b)
        return 0.0;
    return fabs(a - b) / (nextafter(fabs(b), INFINITY) - fabs(b));
}

/* AS 241's far rational (r > 5, |z| > 6.658: 1 draw in 3.6e10), which
 * vrand.c evaluates in a second pass over the lanes that select it: the
 * first two such draws of stream (seed 7, stream 0, substream 0), found by
 * scanning 8.2e10 normals on AVX-512 (six draws with r > 5, each compared
 * with the scalar and AVX2 targets: no difference), checked here on every
 * target, in a chunk of 512 and alone in a window of 6, against
 * Philox4x32-10 (Salmon et al. 2011) recomputed in Python and the quantile
 * sqrt(2) erfinv(2u - 1) of its uniform u = (2k + 1) 2^-53 in 60-digit
 * mpmath: n = 6163940521 (k = 11041) -> -6.90834477957263796 (r = 5.17),
 * n = 13420838966 (k = 4503599627358026) -> 6.89106634255243255 (r = 5.16). */
START_TEST(vrand_far_tail_on_every_target)
{
    static const struct { uint64_t n; double z; } hits[] = {
        { 6163940521ull, -6.908344779572637957515426 },
        { 13420838966ull, 6.891066342552432548061037 },
    };
    static double chunk[512];
    for (size_t h = 0; h < sizeof hits / sizeof *hits; h++) {
        uint64_t n = hits[h].n, even = n & ~(uint64_t)1;
        double ref = NAN;
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            uint64_t from = even - 256; /* the draw inside a chunk of the pass */
            keel_normals_isa(isa, 7, 0, 0, from, 512, chunk);
            double in_chunk = chunk[n - from], alone[6];
            keel_normals_isa(isa, 7, 0, 0, even - 2, 6, alone);
            ck_assert_msg(memcmp(&in_chunk, &alone[2 + (n - even)], sizeof in_chunk) == 0,
                          "draw %llu, %s: %.17g in a chunk, %.17g alone", (unsigned long long)n,
                          keel_isa_name((keel_isa)isa), in_chunk, alone[2 + (n - even)]);
            if (isa == 0)
                ref = in_chunk;
            ck_assert_msg(memcmp(&in_chunk, &ref, sizeof ref) == 0,
                          "draw %llu: %s %.17g, scalar %.17g", (unsigned long long)n,
                          keel_isa_name((keel_isa)isa), in_chunk, ref);
            ck_assert_msg(ulps(in_chunk, hits[h].z) <= 2.0, "draw %llu, %s: %.17g, mpmath %.17g",
                          (unsigned long long)n, keel_isa_name((keel_isa)isa), in_chunk,
                          hits[h].z);
        }
    }
}
END_TEST

/* exp and log against libm (glibc's are correctly rounded in all but rare
 * cases): within 1 ulp over their ranges; exp's range ends; the quantile
 * against keel_norm_quantile (the same AS 241 with libm's log) to 8 ulp (log's last
 * bit, through sqrt and the tail's rational). */
START_TEST(vrand_exp_log_quantile_accuracy)
{
    double worst_exp = 0, worst_log = 0, worst_q = 0;
    for (int i = 0; i < 200000; i++) {
        double t = (i + 0.5) / 200000.0;
        double x = -708.0 + 1417.0 * t;
        worst_exp = fmax(worst_exp, ulps(keel_exp_det(x), exp(x)));
        double xs = 1e-3 * (t - 0.5); /* small arguments */
        worst_exp = fmax(worst_exp, ulps(keel_exp_det(xs), exp(xs)));
        double l = ldexp(1.0 + t, -(i % 1022)); /* [2^-1021, 2) */
        if (l <= 1.0)
            worst_log = fmax(worst_log, ulps(keel_log_det(l), log(l)));
        double u = ldexp(t, -(i % 50)); /* the quantile in the centre and both tails */
        if (u > 0.0 && u < 1.0) {
            worst_q = fmax(worst_q, ulps(keel_quantile_det(u), keel_norm_quantile(u)));
            worst_q = fmax(worst_q, ulps(keel_quantile_det(1.0 - u), keel_norm_quantile(1.0 - u)));
        }
    }
    ck_assert_msg(worst_exp <= 1.0, "exp: %g ulp", worst_exp);
    ck_assert_msg(worst_log <= 1.0, "log: %g ulp", worst_log);
    ck_assert_msg(worst_q <= 8.0, "quantile: %g ulp", worst_q);
    ck_assert(keel_exp_det(0.0) == 1.0);
    ck_assert(ulps(keel_exp_det(1.0), 2.718281828459045) <= 1.0);
    ck_assert(keel_exp_det(710.0) == INFINITY && keel_exp_det(-709.0) == 0.0);
    ck_assert(isnan(keel_exp_det(NAN)));
    ck_assert(keel_log_det(1.0) == 0.0);
}
END_TEST

/* The stream's definition, recomputed from its parts: Random123's Philox
 * (checked above against the known answers), the 52-bit uniform and
 * keel_norm_quantile (libm's log): normal n agrees to 8 ulp. */
START_TEST(vrand_stream_definition)
{
    enum { N = 2000 };
    static double z[N];
    uint64_t seed = 0x123456789ABCDEFull, stream = 77;
    uint64_t first = (1ull << 33) + 40;
    keel_normals(seed, stream, 2, first, N, z);
    for (int i = 0; i < N; i++) {
        uint64_t n = first + (uint64_t)i, blk = n / 2;
        uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
        uint32_t ctr[4] = { (uint32_t)blk, (uint32_t)stream, (uint32_t)(stream >> 32),
                            2u ^ ((uint32_t)(blk >> 32) << 8) };
        uint32_t w[4];
        keel_philox4x32_10(ctr, key, w);
        uint64_t k = ((uint64_t)w[2 * (n % 2)] << 20) ^ (w[2 * (n % 2) + 1] >> 12);
        double u = ((double)k * 2.0 + 1.0) * 0x1p-53;
        double want = keel_norm_quantile(u);
        ck_assert_msg(ulps(z[i], want) <= 8.0, "normal %d: %.17g vs %.17g", i, z[i], want);
    }
}
END_TEST

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The statistics of 2^21 draws of one stream: moments within 5 standard
 * errors, Kolmogorov-Smirnov and Anderson-Darling against keel_norm_cdf
 * (5% critical values 1.358 and 2.492; 0.1%: 1.949 and 5.9), the tail
 * frequencies beyond 3 and 4 within 5 binomial standard errors; the lag
 * correlations at 1 (the two normals of a block), 2 (neighbouring blocks:
 * neighbouring lanes), 8 and 16 (lanes of the next vector), and across
 * streams and substreams, within 5 / sqrt(n); and the two-sample KS
 * against the scalar Box-Muller generator's draws. */
START_TEST(vrand_statistics)
{
    const size_t n = getenv("KEEL_TEST_QUICK") ? (1u << 16) : (1u << 21);
    double *z = malloc(n * sizeof *z), *o = malloc(n * sizeof *o), *b = malloc(n * sizeof *b);
    ck_assert(z && o && b);
    keel_normals(2026, 5, 0, 0, n, z);
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0, t3 = 0, t4 = 0;
    for (size_t i = 0; i < n; i++) {
        double x = z[i];
        m1 += x, m2 += x * x, m3 += x * x * x, m4 += x * x * x * x;
        t3 += fabs(x) > 3.0, t4 += x > 4.0;
    }
    double dn = (double)n;
    m1 /= dn, m2 /= dn, m3 /= dn, m4 /= dn;
    ck_assert_msg(fabs(m1) < 5 * sqrt(1.0 / dn), "mean %g", m1);
    ck_assert_msg(fabs(m2 - 1) < 5 * sqrt(2.0 / dn), "variance %g", m2);
    ck_assert_msg(fabs(m3) < 5 * sqrt(15.0 / dn), "skew %g", m3);
    ck_assert_msg(fabs(m4 - 3) < 5 * sqrt(96.0 / dn), "kurtosis %g", m4);
    double p3 = 0.0026997960632601866, p4 = 3.1671241833119857e-05; /* 2 Phi(-3), Phi(-4) */
    ck_assert_msg(fabs(t3 - dn * p3) < 5 * sqrt(dn * p3), "beyond 3: %g", t3);
    ck_assert_msg(fabs(t4 - dn * p4) < 5 * sqrt(dn * p4) + 1, "beyond 4: %g", t4);
    const size_t lags[] = { 1, 2, 8, 16 };
    for (size_t l = 0; l < 4; l++) {
        double c = 0;
        for (size_t i = 0; i + lags[l] < n; i++)
            c += z[i] * z[i + lags[l]];
        ck_assert_msg(fabs(c / dn) < 5 / sqrt(dn), "lag %zu: %g", lags[l], c / dn);
    }
    const struct { uint64_t stream; uint32_t sub; } other[] = { { 6, 0 }, { 5, 1 }, { 5, 2 } };
    for (int k = 0; k < 3; k++) {
        keel_normals(2026, other[k].stream, other[k].sub, 0, n, o);
        double c = 0;
        for (size_t i = 0; i < n; i++)
            c += z[i] * o[i];
        ck_assert_msg(fabs(c / dn) < 5 / sqrt(dn), "stream %d: %g", k, c / dn);
    }
    qsort(z, n, sizeof *z, cmp_double);
    double d = 0, ad = 0;
    for (size_t i = 0; i < n; i++) {
        double f = keel_norm_cdf(z[i]);
        d = fmax(d, fmax((double)(i + 1) / dn - f, f - (double)i / dn));
        double g = keel_norm_cdf(-z[n - 1 - i]); /* 1 - F(z[n-1-i]) without cancellation */
        ad += (2.0 * (double)i + 1.0) * (log(f) + log(g));
    }
    ad = -dn - ad / dn;
    ck_assert_msg(d * sqrt(dn) < 1.949, "KS %g", d * sqrt(dn));
    ck_assert_msg(ad < 5.9, "Anderson-Darling %g", ad);
    keel_rng r;
    keel_rng_init(&r, 2026, 5, 0);
    for (size_t i = 0; i < n; i++)
        b[i] = keel_rng_normal(&r);
    qsort(b, n, sizeof *b, cmp_double);
    double d2 = 0;
    for (size_t i = 0, j = 0; i < n && j < n;) {
        if (z[i] <= b[j])
            i++;
        else
            j++;
        d2 = fmax(d2, fabs((double)i - (double)j) / dn);
    }
    ck_assert_msg(d2 * sqrt(dn / 2.0) < 1.949, "two-sample KS %g", d2 * sqrt(dn / 2.0));
    free(z);
    free(o);
    free(b);
}
END_TEST


/* A simulation gives the same bits on every usable target: its statistics'
 * byte form compared after runs forced to each target, for correlated
 * diffusions under a health band over more steps than a chunk holds, with
 * Merton jumps, and with a GARCH that drives the paths (prices stepped one
 * at a time). */
START_TEST(vrand_simulation_same_bits_every_target)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
    ck_assert_int_eq(keel_cost_model_new(&c), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    const double price[] = { 2000, 60000, 150, 1 }, vol[] = { 0.8, 0.6, 1.1, 0 };
    for (keel_asset a = 0; a < 4; a++) {
        char sym[8];
        snprintf(sym, sizeof sym, "A%u", (unsigned)a);
        ck_assert_int_eq(keel_market_add_asset(m, sym, price[a], NULL), KEEL_OK);
        ck_assert_int_eq(keel_market_set_volatility(m, a, vol[a]), KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_set_asset(h, a, 0.3, 0.25), KEEL_OK);
        if (a < 3) {
            ck_assert_int_eq(keel_cost_model_set_fee(c, a, 0.001, 0.0), KEEL_OK);
            ck_assert_int_eq(keel_basket_set_collateral(b, a, a == 1 ? 0.3 : 10.0), KEEL_OK);
        }
    }
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 1, 0.7), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 2, 0.5), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_debt(b, 3, 18000), KEEL_OK);
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 3;
    keel_policy *band;
    ck_assert_int_eq(keel_policy_health_band(&hb, &band), KEEL_OK);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 300; /* more than one chunk of 3 moving assets' steps */
    p.seed = 7;
    for (int setup = 0; setup < 3; setup++) {
        keel_sim *sim;
        ck_assert_int_eq(keel_sim_new(b, NULL, m, h, c, band, &p, &sim), KEEL_OK);
        if (setup == 1)
            ck_assert_int_eq(keel_sim_set_jumps(sim, 2, 5.0, -0.1, 0.2), KEEL_OK);
        if (setup == 2) {
            keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
            v.kind = KEEL_SIM_VOL_GARCH;
            v.omega = 1e-5, v.alpha = 0.08, v.beta = 0.9, v.drives = 1;
            ck_assert_int_eq(keel_sim_set_volatility(sim, 0, &v), KEEL_OK);
        }
        unsigned char *ref = NULL;
        size_t nref = 0;
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            keel_sim_force_isa(sim, isa);
            keel_sim_stats *st;
            ck_assert_int_eq(keel_sim_run(sim, 0, 24, NULL, NULL, &st), KEEL_OK);
            size_t need = 0;
            keel_sim_stats_serialize(st, NULL, 0, &need);
            unsigned char *bytes = malloc(need);
            ck_assert_ptr_nonnull(bytes);
            ck_assert_int_eq(keel_sim_stats_serialize(st, bytes, need, &need), KEEL_OK);
            keel_sim_stats_free(st);
            if (ref == NULL) {
                ref = bytes, nref = need;
                continue;
            }
            ck_assert_msg(need == nref && memcmp(ref, bytes, need) == 0,
                          "setup %d: %s differs from scalar", setup, keel_isa_name((keel_isa)isa));
            free(bytes);
        }
        free(ref);
        keel_sim_free(sim);
    }
    keel_policy_free(band);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST


/* The block of steps in lanes (lib/sim/run.c, lanes.c) against the one-step
 * loop (keel_sim_force_one_path): every field of every path's record the same
 * bits, on every usable target, held and under a health band, with paths
 * liquidated, jumps, a policy that acts every third step, a debt asset that
 * moves and is also held, path counts that are not multiples of the lanes,
 * and runs that do not start at path 0. */
static void records_same_bits(const keel_sim_stats *x, const keel_sim_stats *y, const char *what)
{
    ck_assert_msg(x->count == y->count, "%s: %zu vs %zu paths", what, x->count, y->count);
    for (size_t i = 0; i < x->count; i++) {
        const path_record *a = &x->r[i], *b = &y->r[i];
        const double fa[] = { a->liquidations, a->bonus_lost, a->cost, a->trades,
                              a->final_equity, a->min_health, a->mean_health,
                              a->mean_efficiency, a->final_health };
        const double fb[] = { b->liquidations, b->bonus_lost, b->cost, b->trades,
                              b->final_equity, b->min_health, b->mean_health,
                              b->mean_efficiency, b->final_health };
        ck_assert_msg(a->path == b->path && a->policy_failures == b->policy_failures &&
                          a->has_debt == b->has_debt,
                      "%s: path %llu: path, failures or has_debt differ", what,
                      (unsigned long long)a->path);
        for (size_t k = 0; k < sizeof fa / sizeof fa[0]; k++)
            ck_assert_msg(memcmp(&fa[k], &fb[k], sizeof fa[k]) == 0,
                          "%s: path %llu, field %zu: %.17g vs %.17g", what,
                          (unsigned long long)a->path, k, fa[k], fb[k]);
    }
}

START_TEST(sim_lanes_same_bits_as_one_path)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
    ck_assert_int_eq(keel_cost_model_new(&c), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    /* three risky collaterals, a stable debt, and a volatile asset both held and owed */
    const double price[] = { 2000, 60000, 150, 1, 40 }, vol[] = { 0.9, 0.6, 1.3, 0.0, 0.5 };
    const double units[] = { 10, 0.3, 100, 0, 60 };
    for (keel_asset a = 0; a < 5; a++) {
        char sym[8];
        snprintf(sym, sizeof sym, "L%u", (unsigned)a);
        ck_assert_int_eq(keel_market_add_asset(m, sym, price[a], NULL), KEEL_OK);
        ck_assert_int_eq(keel_market_set_volatility(m, a, vol[a]), KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_set_asset(h, a, 0.3, 0.2 + 0.02 * a), KEEL_OK);
        ck_assert_int_eq(keel_cost_model_set_fee(c, a, 0.001, 0.0), KEEL_OK);
        if (units[a] > 0)
            ck_assert_int_eq(keel_basket_set_collateral(b, a, units[a]), KEEL_OK);
    }
    ck_assert_int_eq(keel_haircut_model_set_borrow_factor(h, 4, 1.1), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 1, 0.7), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 2, 0.5), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 2, 4, -0.3), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_debt(b, 3, 24000), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_debt(b, 4, 40), KEEL_OK);
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 3;
    hb.repay_below = 1.1;
    hb.repay_to = 1.25;
    keel_policy *band;
    ck_assert_int_eq(keel_policy_health_band(&hb, &band), KEEL_OK);
    const uint64_t runs[][2] = { { 0, 1 }, { 5, 7 }, { 3, 9 }, { 11, 17 }, { 1, 40 } };
    double liquidations[3] = { 0 }, unliquidated[3] = { 0 }, trades[3] = { 0 };
    for (int setup = 0; setup < 3; setup++) {
        keel_sim_params p = KEEL_SIM_PARAMS_INIT;
        p.steps = 300; /* more than one chunk of 4 moving assets' steps */
        p.seed = 11;
        p.rebalance_every = setup == 2 ? 3 : 1;
        keel_sim *sim;
        ck_assert_int_eq(keel_sim_new(b, NULL, m, h, c, setup == 0 ? NULL : band, &p, &sim),
                         KEEL_OK);
        if (setup == 2) { /* and a fifth asset that moves (a drift): k = 4 + 1 */
            ck_assert_int_eq(keel_sim_set_jumps(sim, 2, 3.0, -0.15, 0.2), KEEL_OK);
            ck_assert_int_eq(keel_sim_set_drift(sim, 3, 0.02), KEEL_OK);
        }
        ck_assert_msg(keel_sim_uses_lanes(sim), "setup %d: the lanes do not apply", setup);
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            keel_sim_force_isa(sim, isa);
            for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
                keel_sim_stats *one, *lanes;
                keel_sim_force_one_path(sim, 1);
                ck_assert_int_eq(keel_sim_run(sim, runs[k][0], runs[k][1], NULL, NULL, &one),
                                 KEEL_OK);
                keel_sim_force_one_path(sim, 0);
                ck_assert_int_eq(keel_sim_run(sim, runs[k][0], runs[k][1], NULL, NULL, &lanes),
                                 KEEL_OK);
                char what[96];
                snprintf(what, sizeof what, "setup %d, %s, paths %llu + %llu", setup,
                         keel_isa_name((keel_isa)isa), (unsigned long long)runs[k][0],
                         (unsigned long long)runs[k][1]);
                records_same_bits(one, lanes, what);
                for (size_t i = 0; i < lanes->count; i++) {
                    liquidations[setup] += lanes->r[i].liquidations > 0.0;
                    unliquidated[setup] += lanes->r[i].liquidations == 0.0;
                    trades[setup] += lanes->r[i].trades;
                }
                keel_sim_stats_free(one);
                keel_sim_stats_free(lanes);
            }
        }
        keel_sim_free(sim);
    }
    for (int setup = 0; setup < 3; setup++) { /* the rare events were exercised */
        ck_assert_msg(liquidations[setup] > 0 && unliquidated[setup] > 0,
                      "setup %d: %g paths liquidated, %g not", setup, liquidations[setup],
                      unliquidated[setup]);
        ck_assert_msg(setup == 0 || trades[setup] > 0, "setup %d: the policy never acted", setup);
    }
    keel_policy_free(band);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

/* The prices of a traced path against paths.h's definition evaluated here
 * step by step from the stream's normals (keel_normals, scalar target): the
 * diffusion's log-price moves by (mu - sigma^2 / 2) dt + sigma sqrt(dt)
 * (L e)_i, the sum over j <= i from +0, the price is keel_exp_det of it --
 * the same bits, whatever way the engine batches a chunk's moves. Five
 * moving assets (one with a drift only) beside one that stays, over two
 * chunks of steps, on every target. */
START_TEST(sim_paths_follow_their_definition)
{
    enum { N = 6, K = 5, STEPS = 300 };
    keel_market *m;
    keel_haircut_model *h;
    keel_basket *b;
    ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    const double price[N] = { 2000, 60000, 150, 1, 15, 40 }, vol[N] = { 0.8, 0.6, 1.1, 0, 0.9, 0 };
    const double drift[N] = { 0.05, 0, -0.2, 0, 0, 0.3 };
    for (keel_asset a = 0; a < N; a++) {
        char sym[8];
        snprintf(sym, sizeof sym, "P%u", (unsigned)a);
        ck_assert_int_eq(keel_market_add_asset(m, sym, price[a], NULL), KEEL_OK);
        ck_assert_int_eq(keel_market_set_volatility(m, a, vol[a]), KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_set_asset(h, a, 0.3, 0.2), KEEL_OK);
    }
    ck_assert_int_eq(keel_basket_set_collateral(b, 0, 10), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_debt(b, 3, 1000), KEEL_OK);
    const keel_asset move[K] = { 0, 1, 2, 4, 5 };
    double rho[K * K], chol[K * K];
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++)
            rho[i * K + j] = i == j ? 1.0 : 0.0;
    rho[0 * K + 1] = rho[1 * K + 0] = 0.7;
    rho[0 * K + 2] = rho[2 * K + 0] = 0.6;
    rho[1 * K + 2] = rho[2 * K + 1] = 0.5;
    rho[0 * K + 3] = rho[3 * K + 0] = -0.4;
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 1, 0.7), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 2, 0.6), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 1, 2, 0.5), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 4, -0.4), KEEL_OK);
    ck_assert(keel_cholesky_psd(K, rho, chol));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = STEPS;
    p.seed = 99;
    keel_sim *sim;
    keel_cost_model *c;
    ck_assert_int_eq(keel_cost_model_new(&c), KEEL_OK);
    ck_assert_int_eq(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim), KEEL_OK);
    keel_cost_model_free(c);
    for (keel_asset a = 0; a < N; a++)
        ck_assert_int_eq(keel_sim_set_drift(sim, a, drift[a]), KEEL_OK);
    static double z[STEPS * K], got[(STEPS + 1) * N];
    const uint64_t paths[] = { 0, 3, 77 };
    for (size_t q = 0; q < sizeof paths / sizeof paths[0]; q++) {
        keel_normals_isa(KEEL_ISA_SCALAR, p.seed, paths[q], 0, 0, STEPS * K, z);
        for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
            if (!keel_isa_usable((keel_isa)isa))
                continue;
            keel_sim_force_isa(sim, isa);
            keel_sim_trace t = KEEL_SIM_TRACE_INIT;
            t.capacity = STEPS + 1;
            t.prices = got;
            ck_assert_int_eq(keel_sim_trace_path(sim, paths[q], &t, NULL), KEEL_OK);
            double lp[K], dt = p.dt, sq = sqrt(dt);
            for (int i = 0; i < K; i++)
                lp[i] = log(price[move[i]]);
            for (int step = 1; step <= STEPS; step++) {
                for (int i = 0; i < K; i++) {
                    double zi = 0.0, sigma = vol[move[i]];
                    for (int j = 0; j <= i; j++)
                        zi += chol[i * K + j] * z[(step - 1) * K + j];
                    lp[i] += (drift[move[i]] - 0.5 * sigma * sigma) * dt + sigma * sq * zi;
                    double want = keel_exp_det(lp[i]), have = got[step * N + move[i]];
                    ck_assert_msg(memcmp(&want, &have, sizeof want) == 0,
                                  "%s, path %llu, step %d, asset %u: %.17g, defined %.17g",
                                  keel_isa_name((keel_isa)isa), (unsigned long long)paths[q],
                                  step, (unsigned)move[i], have, want);
                }
                ck_assert(got[step * N + 3] == 1.0); /* the asset that stays */
            }
        }
    }
    keel_sim_free(sim);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

/* ---- the market's correlation factor (lib/market/market.c) ---- */

/* Portfolio-mode metrics with the market's factor and without it
 * (keel_market_factor_disable: the path before it) must be the same bits. */
static void same_with_and_without_factor(const keel_basket *b, const keel_market *m,
                                         const keel_haircut_model *h, const char *what)
{
    keel_metrics x = KEEL_METRICS_INIT, y = KEEL_METRICS_INIT;
    keel_status sx = keel_basket_metrics(b, NULL, m, h, &x);
    keel_market_factor_disable((keel_market *)m, 1);
    keel_status sy = keel_basket_metrics(b, NULL, m, h, &y);
    keel_market_factor_disable((keel_market *)m, 0);
    ck_assert_msg(sx == sy, "%s: status %d vs %d", what, sx, sy);
    ck_assert_msg(memcmp(&x, &y, sizeof x) == 0, "%s: metrics differ (HF %.17g vs %.17g)", what,
                  x.health_factor, y.health_factor);
}

/* The gather from the dense matrix against the merge, on id subsets. */
static void same_correlation_matrices(const keel_market *m, uint64_t *state)
{
    size_t n = keel_market_size(m);
    keel_asset ids[80];
    double a[80 * 80], c[80 * 80];
    for (int trial = 0; trial < 20; trial++) {
        size_t k = 0;
        for (keel_asset i = 0; i < n && k < 80; i++) {
            *state = *state * 6364136223846793005ull + 1442695040888963407ull;
            if ((*state >> 33) % 3 != 0)
                ids[k++] = i;
        }
        keel_market_correlation_matrix(m, ids, k, a);
        keel_market_factor_disable((keel_market *)m, 1);
        keel_market_correlation_matrix(m, ids, k, c);
        keel_market_factor_disable((keel_market *)m, 0);
        ck_assert(memcmp(a, c, k * k * sizeof *a) == 0);
    }
}

/* After every kind of market write (price, prices, volatility, carry,
 * depth, rate, a correlation changed, removed and added, a batch of them,
 * a new asset, a clone), portfolio-mode metrics are the same bits with and
 * without the factor; the certificate is given for a well-conditioned
 * matrix and withheld for a singular one, a not-PSD one (KEEL_E_NOT_PSD
 * both ways when the basket holds the assets, OK both ways when not) and
 * more than 64 correlated assets. */
START_TEST(market_factor_matches_uncached_after_every_write)
{
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
    ck_assert(keel_market_correlations_certified(m)); /* no correlations: the identity */
    enum { N = 12 };
    double f[N][3]; /* correlations R = F F' normalised: PSD by construction */
    uint64_t state = 2026;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < 3; j++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            f[i][j] = (double)(state >> 11) * 0x1p-53 - 0.3;
        }
    for (int i = 0; i < N; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "C%02d", i);
        ck_assert_int_eq(keel_market_add_asset(m, sym, 10.0 + 13.0 * i, NULL), KEEL_OK);
        ck_assert_int_eq(keel_market_set_volatility(m, (keel_asset)i, 0.3 + 0.04 * i), KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_set_asset(h, (keel_asset)i, 0.2, 0.15), KEEL_OK);
        if (i % 4 == 3)
            ck_assert_int_eq(keel_basket_set_debt(b, (keel_asset)i, 5.0 + i), KEEL_OK);
        else
            ck_assert_int_eq(keel_basket_set_collateral(b, (keel_asset)i, 20.0 + i), KEEL_OK);
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < i; j++) {
            double dij = 0, dii = 1.0, djj = 1.0; /* + I: well conditioned */
            for (int k = 0; k < 3; k++)
                dij += f[i][k] * f[j][k], dii += f[i][k] * f[i][k], djj += f[j][k] * f[j][k];
            ck_assert_int_eq(keel_market_set_correlation(m, (keel_asset)i, (keel_asset)j,
                                                         dij / sqrt(dii * djj)),
                             KEEL_OK);
        }
    ck_assert_int_eq(keel_haircut_model_set_volatility_addon(h, 0.99, 5.0), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_portfolio_mode(h, 1), KEEL_OK);
    ck_assert(keel_market_correlations_certified(m));
    same_with_and_without_factor(b, m, h, "initial");
    same_correlation_matrices(m, &state);
    ck_assert_int_eq(keel_market_set_price(m, 2, 33.5), KEEL_OK);
    same_with_and_without_factor(b, m, h, "price");
    double prices[N];
    for (int i = 0; i < N; i++)
        prices[i] = 5.0 + 7.0 * i;
    ck_assert_int_eq(keel_market_set_prices(m, prices, N), KEEL_OK);
    same_with_and_without_factor(b, m, h, "prices");
    ck_assert_int_eq(keel_market_set_volatility(m, 5, 1.7), KEEL_OK);
    same_with_and_without_factor(b, m, h, "volatility");
    ck_assert_int_eq(keel_market_set_carry(m, 4, 0.03), KEEL_OK);
    ck_assert_int_eq(keel_market_set_depth(m, 4, 1e5), KEEL_OK);
    ck_assert_int_eq(keel_market_set_rate(m, 0.04), KEEL_OK);
    same_with_and_without_factor(b, m, h, "carry, depth, rate");
    ck_assert_int_eq(keel_market_set_correlation(m, 1, 0, 0.05), KEEL_OK);
    same_with_and_without_factor(b, m, h, "a correlation changed");
    ck_assert(keel_market_correlations_certified(m));
    ck_assert_int_eq(keel_market_set_correlation(m, 2, 1, 0.0), KEEL_OK);
    same_with_and_without_factor(b, m, h, "a correlation removed");
    ck_assert_int_eq(keel_market_set_correlation(m, 2, 1, -0.1), KEEL_OK);
    same_with_and_without_factor(b, m, h, "a correlation added");
    keel_asset pa[3] = { 0, 3, 6 }, pb[3] = { 9, 10, 11 };
    double pr[3] = { 0.2, -0.05, 0.0 };
    ck_assert_int_eq(keel_market_set_correlations(m, 3, pa, pb, pr), KEEL_OK);
    same_with_and_without_factor(b, m, h, "a batch");
    ck_assert(keel_market_correlations_certified(m));
    same_correlation_matrices(m, &state);
    keel_asset extra;
    ck_assert_int_eq(keel_market_add_asset(m, "NEW", 3.0, &extra), KEEL_OK);
    ck_assert_int_eq(keel_market_set_volatility(m, extra, 0.5), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(h, extra, 0.2, 0.15), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_collateral(b, extra, 40.0), KEEL_OK);
    same_with_and_without_factor(b, m, h, "a new asset");
    keel_market *c;
    ck_assert_int_eq(keel_market_clone(m, &c), KEEL_OK);
    ck_assert(keel_market_correlations_certified(c) == keel_market_correlations_certified(m));
    same_with_and_without_factor(b, c, h, "a clone");
    keel_market_free(c);
    /* singular (two assets moving as one): PSD, not certified */
    ck_assert_int_eq(keel_market_set_correlation(m, extra, 0, 1.0), KEEL_OK);
    ck_assert(!keel_market_correlations_certified(m));
    same_with_and_without_factor(b, m, h, "singular");
    /* not PSD among assets the basket holds: KEEL_E_NOT_PSD both ways */
    ck_assert_int_eq(keel_market_set_correlation(m, extra, 0, 0.0), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 1, 0.95), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 0, 2, 0.95), KEEL_OK);
    ck_assert_int_eq(keel_market_set_correlation(m, 1, 2, -0.95), KEEL_OK);
    ck_assert(!keel_market_correlations_certified(m));
    same_with_and_without_factor(b, m, h, "not PSD, held");
    keel_metrics x = KEEL_METRICS_INIT;
    ck_assert_int_eq(keel_basket_metrics(b, NULL, m, h, &x), KEEL_E_NOT_PSD);
    /* ... and among assets it does not hold: OK both ways */
    for (keel_asset a = 0; a < 3; a++)
        ck_assert_int_eq(keel_basket_set_collateral(b, a, 0.0), KEEL_OK);
    same_with_and_without_factor(b, m, h, "not PSD, not held");
    ck_assert_int_eq(keel_basket_metrics(b, NULL, m, h, &x), KEEL_OK);
    /* more than 64 correlated assets: no dense matrix, the merge */
    for (int i = 0; i < 70; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "X%02d", i);
        keel_asset id;
        ck_assert_int_eq(keel_market_add_asset(m, sym, 1.0 + i, &id), KEEL_OK);
        ck_assert_int_eq(keel_market_set_correlation(m, id, 5, 0.01), KEEL_OK);
    }
    ck_assert(!keel_market_correlations_certified(m));
    same_with_and_without_factor(b, m, h, "70 correlated assets");
    same_correlation_matrices(m, &state);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

static Suite *math_suite(void)
{
    Suite *s = suite_create("math");
    TCase *tc = tcase_create("math");
    tcase_add_test(tc, normal_quantile_reference_values);
    tcase_add_test(tc, philox_known_answers);
    tcase_add_test(tc, normal_stream_moments);
    tcase_add_test(tc, normal_quantile_round_trip);
    tcase_add_test(tc, vrand_far_tail_on_every_target);
    tcase_add_test(tc, digamma_trigamma_closed_forms);
    tcase_add_test(tc, brent_known_roots);
    tcase_add_test(tc, cholesky_psd);
    tcase_add_test(tc, qp_degenerate_vertex_by_hand);
    tcase_add_test(tc, qp_issue12_vertex_with_more_active_constraints_than_variables);
    tcase_add_test(tc, qp_random_degenerate_known_optimum);
    tcase_add_test(tc, risk_breakdowns_match_one_at_a_time);
    tcase_add_test(tc, policy_may_act_only_skips_empty_plans);
    tcase_add_test(tc, cpu_dispatch_levels);
    tcase_add_test(tc, vrand_targets_same_bits);
    tcase_add_test(tc, vrand_exp_log_quantile_accuracy);
    tcase_add_test(tc, vrand_stream_definition);
    tcase_add_test(tc, vrand_statistics);
    tcase_add_test(tc, vrand_simulation_same_bits_every_target);
    tcase_add_test(tc, sim_lanes_same_bits_as_one_path);
    tcase_add_test(tc, sim_paths_follow_their_definition);
    tcase_add_test(tc, market_factor_matches_uncached_after_every_write);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(math_suite)
