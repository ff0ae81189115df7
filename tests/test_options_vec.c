/* The options batch's dispatch targets (issue 18): the AVX2 and AVX-512
 * kernels (lib/options/bs_vec.c, glibc's libmvec) against the scalar
 * kernel on every target this CPU runs: within 1e-13 of the size of each
 * member's terms on ordinary options, within 1e-13 (1 + d1^2 + d2^2) of it
 * on a random set reaching far into the tails (where most lanes take the
 * scalar kernel and agree to the bit), the same statuses and first
 * indices; against 60-digit mpmath values (tests/gen/options_vec_refs.py);
 * every subset of NULL outputs the same bits as all ten; an option's
 * result independent of its place in the batch. Links the static library
 * to reach the per-target entry (lib/options/options_internal.h). */
#include <stdint.h>

#include "core/cpu.h"
#include "options/options_internal.h"
#include "options_tol.h"
#include "testutil.h"

#define EPS 2.220446049250313e-16
static const char *NAMES[10] = { "value", "delta", "gamma", "vega", "theta", "rho",
                                  "dividend_rho", "vanna", "volga", "charm" };

static double uniform(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1p-53;
}

static double log_uniform(uint64_t *s, double lo, double hi)
{
    return exp(log(lo) + (log(hi) - log(lo)) * uniform(s));
}

typedef struct set {
    size_t n;
    keel_option_type *ty;
    double *S, *K, *T, *r, *q, *v;
    double *out[10];
} set;

static set set_new(size_t n)
{
    set s = { n, malloc(n * sizeof(keel_option_type)), malloc(n * 8), malloc(n * 8),
              malloc(n * 8), malloc(n * 8), malloc(n * 8), malloc(n * 8), { 0 } };
    for (int m = 0; m < 10; m++)
        s.out[m] = malloc(n * 8);
    return s;
}

static void set_free(set *s)
{
    free(s->ty), free(s->S), free(s->K), free(s->T), free(s->r), free(s->q), free(s->v);
    for (int m = 0; m < 10; m++)
        free(s->out[m]);
}

static keel_status run(keel_isa isa, set *s, double *const out[10])
{
    keel_greeks_arrays a = { sizeof a, out[0], out[1], out[2], out[3], out[4],
                             out[5], out[6], out[7], out[8], out[9] };
    return keel_black_scholes_batch_isa(isa, s->n, s->ty, s->S, s->K, s->T, s->r, s->q, s->v, &a);
}

/* Ordinary options: strikes 60-160% of spots 1-5000, 5 days to 3 years,
 * volatilities 5-90%, rates -1% to 8%, carries 0-5%. */
static set normal_set(size_t n, uint64_t seed)
{
    set s = set_new(n);
    for (size_t i = 0; i < n; i++) {
        s.ty[i] = uniform(&seed) < 0.5 ? KEEL_CALL : KEEL_PUT;
        s.S[i] = log_uniform(&seed, 1.0, 5000.0);
        s.K[i] = s.S[i] * log_uniform(&seed, 0.6, 1.6);
        s.T[i] = log_uniform(&seed, 5.0 / 365.0, 3.0);
        s.v[i] = 0.05 + 0.85 * uniform(&seed);
        s.r[i] = -0.01 + 0.09 * uniform(&seed);
        s.q[i] = 0.05 * uniform(&seed);
    }
    return s;
}

/* got against the scalar kernel's want: the same bits, or within
 * tol x the member's scale (options_tol.h); counts the worst ratio. */
static void compare(const set *s, size_t i, double const *got, double const *want, double tol,
                    bool amp, const char *isa, double *worst_scale, double worst_rel[10])
{
    bs_scales sc = bs_scales_of(s->ty[i] == KEEL_PUT, s->S[i], s->K[i], s->T[i], s->r[i],
                                s->q[i], s->v[i]);
    for (int m = 0; m < 10; m++) {
        double g = got[m], w = want[m];
        ck_assert_msg(!isnan(g), "%s NaN %s at option %zu", isa, NAMES[m], i);
        if (g == w)
            continue;
        double err = fabs(g - w);
        double bound = tol * (amp ? sc.amp : 1.0) * sc.scale[m] + 4.9406564584124654e-324 * 8;
        ck_assert_msg(err <= bound,
                      "%s %s option %zu (%s S %.17g K %.17g T %.17g r %g q %g vol %.17g): "
                      "%.17g, scalar %.17g, error %.3g of the scale %.3g",
                      isa, NAMES[m], i, s->ty[i] == KEEL_PUT ? "put" : "call", s->S[i], s->K[i],
                      s->T[i], s->r[i], s->q[i], s->v[i], g, w, err, sc.scale[m]);
        if (sc.scale[m] > 0)
            *worst_scale = fmax(*worst_scale, err / sc.scale[m]);
        if (worst_rel && w != 0)
            worst_rel[m] = fmax(worst_rel[m], err / fabs(w));
    }
}

START_TEST(targets_agree_on_ordinary_options)
{
    /* not a multiple of any vector width or chunk: the padded tail too */
    set s = normal_set(20011, 18);
    double *ref[10];
    for (int m = 0; m < 10; m++)
        ref[m] = malloc(s.n * 8);
    ck_ok(run(KEEL_ISA_SCALAR, &s, ref));
    int tested = 0;
    for (keel_isa isa = KEEL_ISA_AVX2; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable(isa))
            continue;
        tested++;
        ck_ok(run(isa, &s, s.out));
        double worst = 0, rel[10] = { 0 };
        for (size_t i = 0; i < s.n; i++) {
            double got[10], want[10];
            for (int m = 0; m < 10; m++)
                got[m] = s.out[m][i], want[m] = ref[m][i];
            compare(&s, i, got, want, 1e-13, false, keel_isa_name(isa), &worst, rel);
        }
        printf("%s vs scalar, %zu ordinary options: worst error %.3g of the terms' size; "
               "relative to the member itself:", keel_isa_name(isa), s.n, worst);
        for (int m = 0; m < 10; m++)
            printf(" %s %.2g", NAMES[m], rel[m]);
        printf("\n");
    }
    printf("%d vector targets run here (best: %s)\n", tested,
           keel_isa_name(keel_black_scholes_batch_isa_default()));
    for (int m = 0; m < 10; m++)
        free(ref[m]);
    set_free(&s);
}
END_TEST

/* Far into the tails, as test_options.c's extreme_inputs_stress: spots and
 * strikes 1e-3 .. 1e6 (a quarter of strikes within 1e-16 .. 1e-2 of the
 * spot, or at it), a fifth of expiries 1e-320 .. 1e-100 years and the rest
 * up to 100, a fifth of volatilities 1e-320 .. 1e-50 and the rest up to 50,
 * rates and carries up to +-20%, and some at expiry 0 or volatility 0. The
 * same status and first index on every target, no NaN, and each member
 * the scalar kernel's bits or within 1e-13 (1 + d1^2 + d2^2) of its
 * scale. */
START_TEST(targets_agree_in_the_tails)
{
    uint64_t st = 1818;
    set s = set_new(30001);
    for (size_t i = 0; i < s.n; i++) {
        s.ty[i] = uniform(&st) < 0.5 ? KEEL_CALL : KEEL_PUT;
        double S = log_uniform(&st, 1e-3, 1e6), u = uniform(&st);
        s.S[i] = S;
        s.K[i] = u < 0.25 ? S * (1 + (u < 0.125 ? 1 : -1) * log_uniform(&st, 1e-16, 1e-2))
                 : u < 0.3 ? S
                           : log_uniform(&st, 1e-3, 1e6);
        double w = uniform(&st);
        s.T[i] = w < 0.02 ? 0.0 : w < 0.2 ? log_uniform(&st, 1e-320, 1e-100)
                                          : log_uniform(&st, 1e-6, 100);
        w = uniform(&st);
        s.v[i] = w < 0.02 ? 0.0 : w < 0.2 ? log_uniform(&st, 1e-320, 1e-50)
                                          : log_uniform(&st, 1e-4, 50);
        s.r[i] = (uniform(&st) - 0.5) * 0.4;
        s.q[i] = (uniform(&st) - 0.5) * 0.4;
    }
    double *ref[10];
    for (int m = 0; m < 10; m++)
        ref[m] = malloc(s.n * 8);
    keel_status want = run(KEEL_ISA_SCALAR, &s, ref);
    char want_detail[512];
    snprintf(want_detail, sizeof want_detail, "%s", keel_last_error());
    for (keel_isa isa = KEEL_ISA_AVX2; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable(isa))
            continue;
        keel_status got = run(isa, &s, s.out);
        ck_assert_int_eq(got, want);
        if (want != KEEL_OK)
            ck_assert_str_eq(keel_last_error(), want_detail);
        double worst = 0;
        size_t same = 0;
        for (size_t i = 0; i < s.n; i++) {
            double g[10], w[10];
            bool bits = true;
            for (int m = 0; m < 10; m++) {
                g[m] = s.out[m][i], w[m] = ref[m][i];
                bits = bits && memcmp(&g[m], &w[m], sizeof g[m]) == 0;
            }
            same += bits;
            if (!bits) {
                for (int m = 0; m < 10; m++)
                    ck_assert_msg(isfinite(w[m]) || g[m] == w[m], "%s option %zu %s: %g, scalar %g",
                                  keel_isa_name(isa), i, NAMES[m], g[m], w[m]);
                compare(&s, i, g, w, 1e-13, true, keel_isa_name(isa), &worst, NULL);
            }
        }
        printf("%s vs scalar in the tails, %zu options (status %s): %zu the same bits, worst "
               "error of the others %.3g of (1 + d1^2 + d2^2) x the terms' size\n",
               keel_isa_name(isa), s.n, keel_status_str(want), same, worst);
    }
    for (int m = 0; m < 10; m++)
        free(ref[m]);
    set_free(&s);
}
END_TEST

/* The value and nine greeks of ordinary options, to 60 digits with mpmath
 * (tests/gen/options_vec_refs.py; its output pasted): every target within
 * 1e-13 of each member's scale (the scalar kernel too). */
typedef struct vec_ref {
    int put;
    double s, k, t, r, q, vol, d1;
    double want[10];
} vec_ref;

static const vec_ref VEC_REFS[] = {
    { 0, 100.0, 100.0, 1.0, 0.05, 0.02, 0.2, 0.25,
      { 9.227005508154049, 0.586851146134764, 0.018950578755008714, 37.90115751001743, -5.089318913998333, 49.45810910532235, -58.6851146134764, -0.09475289377504356, 2.368822344376089, -0.03563942396482651 } },
    { 1, 100.0, 100.0, 1.0, 0.05, 0.02, 0.2, 0.25,
      { 6.330080627549918, -0.3933475271719913, 0.018950578755008714, 37.90115751001743, -2.293569138108273, -45.66483334474905, 39.33475271719913, -0.09475289377504356, 2.368822344376089, -0.05524339743096161 } },
    { 0, 104.0, 70.0, 0.25, 0.03, 0.01, 0.26, 3.15,
      { 34.2664823529928, 0.996685493012827, 0.00020693217793354206, 0.14548159837439742, -1.1207617860315828, 17.347202230085305, -25.913822818333504, -0.03248385381704416, 5.3188497942475434, 0.02642803998488947 } },
    { 1, 104.0, 70.0, 0.25, 0.03, 0.01, 0.26, 3.15,
      { 0.0031214609966385646, -0.000817629384633051, 0.00020693217793354206, 0.14548159837439742, -0.07385611820475076, -0.022038729249618968, 0.02125836400045933, -0.03248385381704416, 5.3188497942475434, 0.016453008760914867 } },
    { 0, 100.0, 125.0, 0.5, 0.01, 0.0, 0.35, -0.758,
      { 2.85424686733535, 0.22431848296916487, 0.01209746209154564, 21.17055866020487, -7.605471545367515, 9.788800714790568, -11.215924148458244, 0.859848034026394, 46.06784505457164, -0.3130442740007835 } },
    { 1, 113.0, 123.0, 0.0547945205479452, 0.03, 0.01, 0.18, -1.97,
      { 9.903547473659621, -0.9747834114111766, 0.012137584096099621, 1.5286173171593034, -0.01063700943510821, -6.578305367842333, 6.03564523229934, 0.6445380739963177, 33.508339124070496, -1.0958325607102488 } },
    { 0, 100.0, 83.285, 1.8181, -0.005, 0.03, 0.395, 0.49,
      { 24.546943175437608, 0.651495208804612, 0.006289686681335454, 45.169353453577166, -2.749243307337868, 73.81954652550338, -118.4483439127665, 0.03593290229061, -2.3752353545813842, 0.03765537248507257 } },
    { 1, 100.0, 108.236, 0.327162, 0.04, 0.01, 0.735, 0.0453,
      { 20.997749340699652, -0.48036263155004433, 0.009448763511492524, 22.72088130440984, -23.24129347170212, -22.58530559611954, 15.71563992631756, 0.20273000625319687, -0.5252103778186713, -0.260875866984926 } },
    { 0, 50.0, 52.0, 0.1, 0.06, 0.0, 0.6, -0.0802,
      { 3.0569581101347785, 0.46803106154953233, 0.04191711726903348, 6.287567590355022, -20.083378469105575, 2.034459496734184, -2.340155307747662, 0.17891871998746817, 0.22693920955679248, -0.6625075117695048 } },
    { 1, 2500.0, 2000.0, 2.0, 0.02, 0.015, 0.15, 1.21,
      { 31.372969367593555, -0.11070784920794342, 0.0003531599307582182, 662.1748701716591, -22.820250128986054, -616.2851847749042, 553.5392460397171, -1.239847699946525, 5282.651151718074, 0.040419171875397814 } },
    { 0, 1.25, 1.3, 0.75, 0.045, 0.03, 0.09, -0.32,
      { 0.023651973010378264, 0.3661919090142532, 3.8039450795009517, 0.40119733260361595, -0.029873599464767184, 0.32556593494307867, -0.34330491470086233, 1.6382436090075168, 0.5673149597275736, -0.15863282951066623 } },
    { 1, 100.0, 60.0, 2.0, 0.0, 0.0, 0.8, 1.02,
      { 17.274014422366292, -0.15453015796053146, 0.00210196562889256, 33.63145006228096, -6.726290012456192, -65.45406043683887, 30.90603159210629, 0.03394001237219046, -4.882379488606441, -0.006788002474438092 } },
};

START_TEST(targets_against_mpmath)
{
    size_t rows = sizeof VEC_REFS / sizeof VEC_REFS[0];
    /* each option at index 0 of a batch of one, and at index 77 of a batch
     * of 100 (a full chunk before it, the rest copies of another option):
     * the same bits */
    set s = set_new(100);
    double worst = 0;
    for (keel_isa isa = KEEL_ISA_SCALAR; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable(isa))
            continue;
        for (size_t k = 0; k < rows; k++) {
            const vec_ref *row = &VEC_REFS[k];
            keel_option_type ty = row->put ? KEEL_PUT : KEEL_CALL;
            double v[10];
            keel_greeks_arrays a = { sizeof a, &v[0], &v[1], &v[2], &v[3], &v[4],
                                     &v[5], &v[6], &v[7], &v[8], &v[9] };
            ck_ok(keel_black_scholes_batch_isa(isa, 1, &ty, &row->s, &row->k, &row->t, &row->r,
                                               &row->q, &row->vol, &a));
            bs_scales sc = bs_scales_of(row->put, row->s, row->k, row->t, row->r, row->q,
                                        row->vol);
            for (int m = 0; m < 10; m++) {
                double err = fabs(v[m] - row->want[m]);
                worst = fmax(worst, err / sc.scale[m]);
                ck_assert_msg(err <= 1e-13 * sc.scale[m],
                              "%s row %zu %s: %.17g, mpmath %.17g (scale %.3g)",
                              keel_isa_name(isa), k, NAMES[m], v[m], row->want[m], sc.scale[m]);
            }
            for (size_t i = 0; i < s.n; i++) {
                const vec_ref *o = &VEC_REFS[i == 77 ? k : (k + 1) % rows];
                s.ty[i] = o->put ? KEEL_PUT : KEEL_CALL;
                s.S[i] = o->s, s.K[i] = o->k, s.T[i] = o->t, s.r[i] = o->r, s.q[i] = o->q;
                s.v[i] = o->vol;
            }
            ck_ok(run(isa, &s, s.out));
            for (int m = 0; m < 10; m++)
                ck_assert_msg(memcmp(&s.out[m][77], &v[m], sizeof v[m]) == 0,
                              "%s row %zu %s: %.17g at index 77, %.17g alone", keel_isa_name(isa),
                              k, NAMES[m], s.out[m][77], v[m]);
        }
    }
    printf("against mpmath: %zu options, worst error %.3g of the terms' size\n", rows, worst);
    set_free(&s);
}
END_TEST

/* Every subset of the ten outputs (NULL arrays skip their work): the
 * members asked for are the bits of the run with all ten, on every
 * target, over ordinary options and a few taking the scalar kernel (deep
 * out of the money, expiry 0, volatility 0, tiny sigma sqrt(T)). */
START_TEST(every_subset_of_outputs)
{
    set s = normal_set(75, 7);
    s.K[3] = s.S[3] * 3.0, s.T[3] = 0.02, s.v[3] = 0.1;   /* deep */
    s.T[10] = 0.0;                                         /* expiry 0 */
    s.v[20] = 0.0;                                         /* volatility 0 */
    s.v[40] = 1e-3, s.T[40] = 0.01;                        /* small s */
    double *sub[10];
    for (int m = 0; m < 10; m++)
        sub[m] = malloc(s.n * 8);
    int runs = 0;
    for (keel_isa isa = KEEL_ISA_SCALAR; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable(isa))
            continue;
        ck_ok(run(isa, &s, s.out));
        for (unsigned mask = 0; mask < 1024; mask++) {
            double *o[10];
            for (int m = 0; m < 10; m++) {
                o[m] = (mask >> m & 1) ? sub[m] : NULL;
                if (o[m])
                    memset(sub[m], 0xff, s.n * 8);
            }
            ck_ok(run(isa, &s, o));
            runs++;
            for (int m = 0; m < 10; m++)
                if (o[m])
                    ck_assert_msg(memcmp(sub[m], s.out[m], s.n * 8) == 0,
                                  "%s outputs %#x: %s differs from the run with all ten",
                                  keel_isa_name(isa), mask, NAMES[m]);
        }
    }
    printf("every subset of outputs: %d runs\n", runs);
    for (int m = 0; m < 10; m++)
        free(sub[m]);
    set_free(&s);
}
END_TEST

/* Statuses on every target: a bad input anywhere writes nothing and names
 * its index; an option at an infinite limit is written and named, the
 * first one; a target that does not run here is refused. */
START_TEST(targets_statuses)
{
    for (keel_isa isa = KEEL_ISA_SCALAR; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable(isa))
            continue;
        set s = normal_set(70, 3);
        for (size_t i = 0; i < s.n; i++)
            s.out[0][i] = -7.0;
        s.v[66] = NAN;
        double *o[10] = { s.out[0], NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
        ck_status(run(isa, &s, o), KEEL_E_NOT_FINITE);
        ck_assert_ptr_nonnull(strstr(keel_last_error(), "option 66"));
        for (size_t i = 0; i < s.n; i++)
            ck_assert(s.out[0][i] == -7.0);
        s.v[66] = 0.2;
        s.ty[5] = (keel_option_type)2;
        ck_status(run(isa, &s, o), KEEL_E_OUT_OF_RANGE);
        ck_assert_ptr_nonnull(strstr(keel_last_error(), "option 5"));
        s.ty[5] = KEEL_PUT;
        /* at the strike at expiry 0 (gamma +inf): options 9 and 41 */
        s.K[9] = s.S[9], s.T[9] = 0.0;
        s.K[41] = s.S[41], s.T[41] = 0.0;
        ck_status(run(isa, &s, s.out), KEEL_E_OVERFLOW);
        ck_assert_ptr_nonnull(strstr(keel_last_error(), "option 9 "));
        ck_assert(isinf(s.out[2][9]) && isinf(s.out[2][41]) && isfinite(s.out[0][8]));
        set_free(&s);
    }
    keel_option_type ty = KEEL_CALL;
    double x = 1.0;
    keel_greeks_arrays a = { sizeof a, &x, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    ck_status(keel_black_scholes_batch_isa(KEEL_ISA_COUNT, 1, &ty, &x, &x, &x, &x, &x, &x, &a),
              KEEL_E_OUT_OF_RANGE);
}
END_TEST

#ifdef KEEL_HAVE_LIBMVEC
#include <immintrin.h>
/* libmvec's AVX2 functions, as the kernel calls them */
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d x);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log(__m256d x);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log1p(__m256d x);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_expm1(__m256d x);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_erfc(__m256d x);

typedef __m256d (*vfun)(__m256d);
typedef double (*sfun)(double);

/* Largest distance in ulps of the result between f4 (4 lanes) and glibc's
 * scalar f (itself within an ulp) over n points spread on [lo, hi]. */
__attribute__((target("avx2,fma"))) static double worst_ulps(vfun f4, sfun f, double lo,
                                                              double hi, int n)
{
    double worst = 0;
    for (int i = 0; i < n; i += 4) {
        double x[4], y[4];
        for (int j = 0; j < 4; j++)
            x[j] = lo + (hi - lo) * (i + j) / n;
        _mm256_storeu_pd(y, f4(_mm256_loadu_pd(x)));
        for (int j = 0; j < 4; j++) {
            double want = f(x[j]);
            double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
            worst = fmax(worst, fabs(y[j] - want) / ulp);
        }
    }
    return worst;
}
#endif

/* The accuracy the kernel builds on: libmvec's functions within 4 ulps of
 * glibc's scalar ones over the arguments the kernel gives them (glibc
 * documents its vector functions within 4 ulps). */
START_TEST(libmvec_within_4_ulps)
{
#ifdef KEEL_HAVE_LIBMVEC
    if (!keel_isa_usable(KEEL_ISA_AVX2))
        return;
    struct { const char *name; vfun f4; sfun f; double lo, hi; } fs[] = {
        { "erfc", _ZGVdN4v_erfc, erfc, 0.0, 21.0 }, /* |d| / sqrt 2, |d| < 30 */
        { "exp", _ZGVdN4v_exp, exp, -460.0, 200.0 }, /* -qT, -rT, -d1^2 / 2 */
        { "log1p", _ZGVdN4v_log1p, log1p, -0.5, 1.0 }, /* (S - K) / K, S / K in [1/2, 2] */
        { "log", _ZGVdN4v_log, log, 1e-3, 0.5 },       /* S / K below 1/2 */
        { "log", _ZGVdN4v_log, log, 2.0, 1e6 },        /* and above 2 */
        { "expm1", _ZGVdN4v_expm1, expm1, -400.0, 400.0 }, /* (r - q) T */
    };
    for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++) {
        double w = worst_ulps(fs[k].f4, fs[k].f, fs[k].lo, fs[k].hi, 400000);
        printf("libmvec %s (AVX2) on [%g, %g]: within %.0f ulp of glibc's scalar %s\n",
               fs[k].name, fs[k].lo, fs[k].hi, w, fs[k].name);
        ck_assert_msg(w <= 4.0, "%s: %g ulps", fs[k].name, w);
    }
#endif
}
END_TEST

/* Results written in place of an input (the value into the spot array,
 * delta into the volatility array), as the scalar loop allows: on every
 * target the lanes that take the scalar kernel (volatility 0, sigma
 * sqrt(T) below 0.02) read their own inputs, not the results of the lanes
 * beside them. Volatility 0 has the closed form max(S e^(-qT) - K e^(-rT),
 * 0) for the value and e^(-qT) or 0 for delta (a call off the strike); the
 * ordinary lanes equal the same target's batch into separate arrays. 150
 * options: two whole chunks of 64 and a padded tail. */
START_TEST(results_written_in_place)
{
    enum { N = 150 };
    for (int isa = 0; isa < KEEL_ISA_COUNT; isa++) {
        if (!keel_black_scholes_batch_isa_usable((keel_isa)isa))
            continue;
        keel_option_type ty[N];
        double S[N], K[N], T[N], r[N], q[N], v[N], value[N], delta[N];
        for (int i = 0; i < N; i++) {
            ty[i] = KEEL_CALL;
            S[i] = 100.0;
            K[i] = 80.0 + 0.25 * i;
            T[i] = 0.5 + 0.01 * (i % 7);
            r[i] = 0.03;
            q[i] = 0.01;
            v[i] = i % 3 == 0 ? 0.0 : (i % 3 == 1 ? 0.3 : 0.001);
        }
        keel_greeks_arrays sep = { sizeof sep, value, delta, NULL, NULL, NULL,
                                   NULL, NULL, NULL, NULL, NULL };
        ck_assert_int_eq(keel_black_scholes_batch_isa((keel_isa)isa, N, ty, S, K, T, r, q, v, &sep),
                         KEEL_OK);
        double S2[N], v2[N];
        memcpy(S2, S, sizeof S);
        memcpy(v2, v, sizeof v);
        keel_greeks_arrays in_place = { sizeof in_place, S2, v2, NULL, NULL, NULL,
                                        NULL, NULL, NULL, NULL, NULL };
        ck_assert_int_eq(
            keel_black_scholes_batch_isa((keel_isa)isa, N, ty, S2, K, T, r, q, v2, &in_place),
            KEEL_OK);
        for (int i = 0; i < N; i++) {
            if (v[i] == 0.0) {
                double dq = exp(-q[i] * T[i]), itm = S[i] * dq - K[i] * exp(-r[i] * T[i]);
                double want = itm > 0.0 ? itm : 0.0, wd = itm > 0.0 ? dq : 0.0;
                ck_assert_msg(fabs(S2[i] - want) <= 1e-13 * S[i] && fabs(v2[i] - wd) <= 1e-15,
                              "%s option %d in place: value %.17g delta %.17g, want %.17g %.17g",
                              keel_isa_name((keel_isa)isa), i, S2[i], v2[i], want, wd);
            } else {
                ck_assert_msg(S2[i] == value[i] && v2[i] == delta[i],
                              "%s option %d in place: value %.17g delta %.17g, apart %.17g %.17g",
                              keel_isa_name((keel_isa)isa), i, S2[i], v2[i], value[i], delta[i]);
            }
        }
    }
}
END_TEST

static Suite *vec_suite(void)
{
    Suite *s = suite_create("options_vec");
    TCase *tc = tcase_create("targets");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, targets_agree_on_ordinary_options);
    tcase_add_test(tc, targets_agree_in_the_tails);
    tcase_add_test(tc, targets_against_mpmath);
    tcase_add_test(tc, every_subset_of_outputs);
    tcase_add_test(tc, targets_statuses);
    tcase_add_test(tc, libmvec_within_4_ulps);
    tcase_add_test(tc, results_written_in_place);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(vec_suite)
