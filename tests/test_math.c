/* lib/math against closed forms and published values: the normal quantile
 * (round trip through the erfc-based CDF, and reference values), Brent's
 * method on classic equations with known roots, and the PSD check. Links the
 * static library to reach these internal functions. */
#include <stdbool.h>

#include "math/kmath.h"
#include "testutil.h"

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

static Suite *math_suite(void)
{
    Suite *s = suite_create("math");
    TCase *tc = tcase_create("math");
    tcase_add_test(tc, normal_quantile_reference_values);
    tcase_add_test(tc, philox_known_answers);
    tcase_add_test(tc, normal_stream_moments);
    tcase_add_test(tc, normal_quantile_round_trip);
    tcase_add_test(tc, brent_known_roots);
    tcase_add_test(tc, cholesky_psd);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(math_suite)
