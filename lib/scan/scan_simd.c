/* The vector kernels of the batch scan (lib/scan/scan_internal.h), built
 * for their targets with __attribute__((target)) so that the library needs
 * no -march and runs anywhere (lib/core/cpu.h chooses at run time).
 *
 * Bits: each product and sum is one IEEE operation in the scalar kernel's
 * order (lib/risk/kernel.h): cv = q p, l = cv om, w = (d p) bf, sums from
 * +0 in increasing position, hf = W > 0 ? L / W : +inf. No operation may
 * be fused: GCC contracts nothing in ISO C mode (-std=c11) and the pragma
 * below keeps Clang from it. */
#include <math.h>
#include <string.h>

#include "scan_internal.h"

#ifdef __clang__
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KEEL_SCAN_X86 1
#include <immintrin.h>
#endif

/* A sum of four terms each below 2^1020 cannot overflow (4 x 2^1020 <
 * DBL_MAX), so the collateral sum, which the scalar path checks for
 * overflow, needs no check when every cv is below it. */
#define KEEL_SCAN_CV_LIMIT 0x1p1020

#ifdef KEEL_SCAN_X86

#define AVX2_TARGET __attribute__((target("avx2")))

/* Four doubles looked up by the ids in idx (64-bit lanes, each < 8) in
 * the 8-entry table lo:hi. vpermps moves 32-bit halves: lane i takes the
 * halves 2 idx, 2 idx + 1 of lo (idx < 4) or hi (idx >= 4; the low three
 * bits of 2 idx are those of 2 (idx - 4)). */
AVX2_TARGET static inline __m256d lookup8(__m256 lo, __m256 hi, __m256i pair, __m256d upper,
                                          int small)
{
    __m256d a = _mm256_castps_pd(_mm256_permutevar8x32_ps(lo, pair));
    if (small) /* at most 4 assets: lo holds them all */
        return a;
    __m256d b = _mm256_castps_pd(_mm256_permutevar8x32_ps(hi, pair));
    return _mm256_blendv_pd(a, b, upper);
}

/* r0..r3 hold one account's four terms each; the result sums lane j of
 * every row... transposed: s[j] = ((((+0 + r_j[0]) + r_j[1]) + r_j[2]) + r_j[3]). */
AVX2_TARGET static inline __m256d sum_rows4(__m256d r0, __m256d r1, __m256d r2, __m256d r3)
{
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    __m256d c0 = _mm256_permute2f128_pd(t0, t2, 0x20), c1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    __m256d c2 = _mm256_permute2f128_pd(t0, t2, 0x31), c3 = _mm256_permute2f128_pd(t1, t3, 0x31);
    __m256d s = _mm256_add_pd(_mm256_setzero_pd(), c0);
    s = _mm256_add_pd(s, c1);
    s = _mm256_add_pd(s, c2);
    return _mm256_add_pd(s, c3);
}

/* 1 when every lane of x is >= 0 and finite (NaN fails). */
AVX2_TARGET static inline int nonneg_finite4(__m256d x)
{
    __m256d ge = _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_GE_OQ);
    __m256d lt = _mm256_cmp_pd(x, _mm256_set1_pd(INFINITY), _CMP_LT_OQ);
    return _mm256_movemask_pd(_mm256_and_pd(ge, lt)) == 0xF;
}

/* The AVX2 kernel; `small` (a constant in each caller) for markets of at
 * most 4 assets, whose terms fit one register each. */
AVX2_TARGET __attribute__((always_inline)) static inline size_t
scan_avx2_body(const keel_scan_terms *t, size_t n, const size_t *off, const keel_asset *assets,
               const double *q, const double *d, double *hf, double *cv, const int small)
{
    double tab[3][8] = { { 0 } };
    memcpy(tab[0], t->price, t->n * sizeof(double));
    memcpy(tab[1], t->om, t->n * sizeof(double));
    memcpy(tab[2], t->bf, t->n * sizeof(double));
    const __m256 p_lo = _mm256_loadu_ps((const float *)tab[0]), p_hi = _mm256_loadu_ps((const float *)(tab[0] + 4));
    const __m256 o_lo = _mm256_loadu_ps((const float *)tab[1]), o_hi = _mm256_loadu_ps((const float *)(tab[1] + 4));
    const __m256 b_lo = _mm256_loadu_ps((const float *)tab[2]), b_hi = _mm256_loadu_ps((const float *)(tab[2] + 4));
    const __m256i nmax = _mm256_set1_epi32((int)(t->n - 1));
    const __m256i four = _mm256_set1_epi64x(4), one64 = _mm256_set1_epi64x(1);
    const __m256i three64 = _mm256_set1_epi64x(3);
    const __m256d zero = _mm256_setzero_pd(), inf = _mm256_set1_pd(INFINITY);
    const __m256d cvmax = _mm256_set1_pd(KEEL_SCAN_CV_LIMIT);
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        /* every account of the block holds exactly four positions */
        __m256i o0 = _mm256_loadu_si256((const void *)(off + j));
        __m256i o1 = _mm256_loadu_si256((const void *)(off + j + 1));
        if (_mm256_movemask_epi8(_mm256_cmpeq_epi64(_mm256_sub_epi64(o1, o0), four)) != -1)
            break;
        size_t lo = off[j];
        const keel_asset *a = assets + lo;
        __m256i id01 = _mm256_loadu_si256((const void *)a);
        __m256i id23 = _mm256_loadu_si256((const void *)(a + 8));
        /* ids < n (unsigned), then strictly increasing within each account:
         * the 128-bit lane of an account shifted by one id, compared */
        __m256i in01 = _mm256_cmpeq_epi32(_mm256_min_epu32(id01, nmax), id01);
        __m256i in23 = _mm256_cmpeq_epi32(_mm256_min_epu32(id23, nmax), id23);
        __m256i up01 = _mm256_cmpgt_epi32(_mm256_srli_si256(id01, 4), id01);
        __m256i up23 = _mm256_cmpgt_epi32(_mm256_srli_si256(id23, 4), id23);
        int ok = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_and_si256(in01, in23))) == 0xFF &&
                 (_mm256_movemask_ps(_mm256_castsi256_ps(up01)) & 0x77) == 0x77 &&
                 (_mm256_movemask_ps(_mm256_castsi256_ps(up23)) & 0x77) == 0x77;
        __m256d qr[4], dr[4], l[4], w[4], c[4];
        for (int r = 0; r < 4; r++) {
            qr[r] = _mm256_loadu_pd(q + lo + 4 * r);
            dr[r] = _mm256_loadu_pd(d + lo + 4 * r);
        }
        ok = ok && nonneg_finite4(qr[0]) && nonneg_finite4(qr[1]) && nonneg_finite4(qr[2]) &&
             nonneg_finite4(qr[3]) && nonneg_finite4(dr[0]) && nonneg_finite4(dr[1]) &&
             nonneg_finite4(dr[2]) && nonneg_finite4(dr[3]);
        if (!ok)
            break;
        __m256d cmax = zero;
        for (int r = 0; r < 4; r++) {
            __m128i ids = _mm_loadu_si128((const void *)(a + 4 * r));
            __m256i idx = _mm256_cvtepu32_epi64(ids);
            /* lane i takes the 32-bit halves 2 idx, 2 idx + 1 */
            __m256i two = _mm256_slli_epi64(idx, 1);
            __m256i pair = _mm256_or_si256(two, _mm256_slli_epi64(_mm256_add_epi64(two, one64), 32));
            __m256d upper = _mm256_castsi256_pd(_mm256_cmpgt_epi64(idx, three64));
            __m256d p = lookup8(p_lo, p_hi, pair, upper, small);
            c[r] = _mm256_mul_pd(qr[r], p);
            l[r] = _mm256_mul_pd(c[r], lookup8(o_lo, o_hi, pair, upper, small));
            w[r] = _mm256_mul_pd(_mm256_mul_pd(dr[r], p), lookup8(b_lo, b_hi, pair, upper, small));
            cmax = _mm256_max_pd(cmax, c[r]);
        }
        __m256d L = sum_rows4(l[0], l[1], l[2], l[3]);
        __m256d W = sum_rows4(w[0], w[1], w[2], w[3]);
        /* cv is a product of finite non-negatives: >= +0 or inf (NaN cannot occur) */
        if (_mm256_movemask_pd(_mm256_cmp_pd(cmax, cvmax, _CMP_LT_OQ)) != 0xF ||
            _mm256_movemask_pd(_mm256_cmp_pd(W, inf, _CMP_LT_OQ)) != 0xF)
            break;
        __m256d pos = _mm256_cmp_pd(W, zero, _CMP_GT_OQ);
        _mm256_storeu_pd(hf + j, _mm256_blendv_pd(inf, _mm256_div_pd(L, W), pos));
        if (cv)
            _mm256_storeu_pd(cv + j, sum_rows4(c[0], c[1], c[2], c[3]));
    }
    return j;
}

AVX2_TARGET static size_t scan_avx2_4(const keel_scan_terms *t, size_t n, const size_t *off,
                                      const keel_asset *assets, const double *q, const double *d,
                                      double *hf, double *cv)
{
    return scan_avx2_body(t, n, off, assets, q, d, hf, cv, 1);
}

AVX2_TARGET static size_t scan_avx2_8(const keel_scan_terms *t, size_t n, const size_t *off,
                                      const keel_asset *assets, const double *q, const double *d,
                                      double *hf, double *cv)
{
    return scan_avx2_body(t, n, off, assets, q, d, hf, cv, 0);
}

#define AVX512_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx2")))

/* s[j] = ((((+0 + a_j0) + a_j1) + a_j2) + a_j3) for the eight accounts whose
 * terms r0..r3 hold two by two (r0 = accounts 0, 1; r1 = 2, 3; ...). */
AVX512_TARGET static inline __m512d sum_rows8(__m512d r0, __m512d r1, __m512d r2, __m512d r3)
{
    const __m512i ia = _mm512_setr_epi64(0, 4, 8, 12, 1, 5, 9, 13);
    const __m512i ib = _mm512_setr_epi64(2, 6, 10, 14, 3, 7, 11, 15);
    __m512d u0 = _mm512_permutex2var_pd(r0, ia, r1), u1 = _mm512_permutex2var_pd(r0, ib, r1);
    __m512d v0 = _mm512_permutex2var_pd(r2, ia, r3), v1 = _mm512_permutex2var_pd(r2, ib, r3);
    __m512d c0 = _mm512_shuffle_f64x2(u0, v0, 0x44), c1 = _mm512_shuffle_f64x2(u0, v0, 0xEE);
    __m512d c2 = _mm512_shuffle_f64x2(u1, v1, 0x44), c3 = _mm512_shuffle_f64x2(u1, v1, 0xEE);
    __m512d s = _mm512_add_pd(_mm512_setzero_pd(), c0);
    s = _mm512_add_pd(s, c1);
    s = _mm512_add_pd(s, c2);
    return _mm512_add_pd(s, c3);
}

AVX512_TARGET static inline __mmask8 nonneg_finite8(__m512d x)
{
    return _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_GE_OQ) &
           _mm512_cmp_pd_mask(x, _mm512_set1_pd(INFINITY), _CMP_LT_OQ);
}

AVX512_TARGET static size_t scan_avx512(const keel_scan_terms *t, size_t n, const size_t *off,
                                        const keel_asset *assets, const double *q,
                                        const double *d, double *hf, double *cv)
{
    double tab[3][16] = { { 0 } };
    memcpy(tab[0], t->price, t->n * sizeof(double));
    memcpy(tab[1], t->om, t->n * sizeof(double));
    memcpy(tab[2], t->bf, t->n * sizeof(double));
    const __m512d p0 = _mm512_loadu_pd(tab[0]), p1 = _mm512_loadu_pd(tab[0] + 8);
    const __m512d m0 = _mm512_loadu_pd(tab[1]), m1 = _mm512_loadu_pd(tab[1] + 8);
    const __m512d b0 = _mm512_loadu_pd(tab[2]), b1 = _mm512_loadu_pd(tab[2] + 8);
    const __m512i nmax = _mm512_set1_epi32((int)(t->n - 1));
    const __m512i four = _mm512_set1_epi64(4), zeroi = _mm512_setzero_si512();
    const __m512d zero = _mm512_setzero_pd(), inf = _mm512_set1_pd(INFINITY);
    const __m512d cvmax = _mm512_set1_pd(KEEL_SCAN_CV_LIMIT);
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        __m512i o0 = _mm512_loadu_si512((const void *)(off + j));
        __m512i o1 = _mm512_loadu_si512((const void *)(off + j + 1));
        if (_mm512_cmpeq_epi64_mask(_mm512_sub_epi64(o1, o0), four) != 0xFF)
            break;
        size_t lo = off[j];
        const keel_asset *a = assets + lo;
        __m512i id0 = _mm512_loadu_si512((const void *)a); /* accounts 0..3 */
        __m512i id1 = _mm512_loadu_si512((const void *)(a + 16));
        /* ids < n, and id[k+1] > id[k] within an account (lanes 0..2 of 4) */
        __mmask16 in = _mm512_cmple_epu32_mask(id0, nmax) & _mm512_cmple_epu32_mask(id1, nmax);
        __mmask16 up0 = _mm512_cmpgt_epi32_mask(_mm512_alignr_epi32(zeroi, id0, 1), id0);
        __mmask16 up1 = _mm512_cmpgt_epi32_mask(_mm512_alignr_epi32(zeroi, id1, 1), id1);
        __m512d qr[4], dr[4], l[4], w[4], c[4];
        __mmask8 fin = 0xFF;
        for (int r = 0; r < 4; r++) {
            qr[r] = _mm512_loadu_pd(q + lo + 8 * r);
            dr[r] = _mm512_loadu_pd(d + lo + 8 * r);
            fin &= nonneg_finite8(qr[r]) & nonneg_finite8(dr[r]);
        }
        if (in != 0xFFFF || (up0 & 0x7777) != 0x7777 || (up1 & 0x7777) != 0x7777 || fin != 0xFF)
            break;
        __m512d cmax = zero;
        for (int r = 0; r < 4; r++) {
            __m256i ids = _mm256_loadu_si256((const void *)(a + 8 * r));
            __m512i idx = _mm512_cvtepu32_epi64(ids);
            __m512d p = _mm512_permutex2var_pd(p0, idx, p1);
            c[r] = _mm512_mul_pd(qr[r], p);
            l[r] = _mm512_mul_pd(c[r], _mm512_permutex2var_pd(m0, idx, m1));
            w[r] = _mm512_mul_pd(_mm512_mul_pd(dr[r], p), _mm512_permutex2var_pd(b0, idx, b1));
            cmax = _mm512_max_pd(cmax, c[r]);
        }
        __m512d L = sum_rows8(l[0], l[1], l[2], l[3]);
        __m512d W = sum_rows8(w[0], w[1], w[2], w[3]);
        if (_mm512_cmp_pd_mask(cmax, cvmax, _CMP_LT_OQ) != 0xFF ||
            _mm512_cmp_pd_mask(W, inf, _CMP_LT_OQ) != 0xFF)
            break;
        __mmask8 pos = _mm512_cmp_pd_mask(W, zero, _CMP_GT_OQ);
        _mm512_storeu_pd(hf + j, _mm512_mask_div_pd(inf, pos, L, W));
        if (cv)
            _mm512_storeu_pd(cv + j, sum_rows8(c[0], c[1], c[2], c[3]));
    }
    return j;
}

#endif /* KEEL_SCAN_X86 */

keel_scan_kernel keel_scan_kernel_for(keel_isa isa, size_t nassets)
{
    if (nassets == 0 || !keel_isa_usable(isa))
        return NULL;
#ifdef KEEL_SCAN_X86
    if (isa == KEEL_ISA_AVX512 && nassets <= 16)
        return scan_avx512;
    if (isa == KEEL_ISA_AVX2 && nassets <= 8)
        return nassets <= 4 ? scan_avx2_4 : scan_avx2_8;
#endif
    return NULL;
}
