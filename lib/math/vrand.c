/* The simulation's vector normal generator and its exponential: Philox4x32-10
 * blocks with their counters in vector lanes, turned into normals by
 * inverting the normal CDF (Wichura's AS 241, PPND16), and exp for the
 * prices. Every function here has one body, written in plain C with
 * branch-free selects, compiled three times: for baseline x86-64 (the
 * scalar target), for AVX2 + FMA and for AVX-512, where the compiler puts
 * consecutive blocks in lanes; two integer steps have their own AVX2 and
 * AVX-512 bodies in intrinsics besides (Philox's rounds and the packing of
 * the tails' draws: the compiler vectorised them poorly), which compute
 * the same integers as the plain C. Philox is integer arithmetic, and the
 * transform and exp use only +, -, *, / and sqrt, each rounded once
 * (IEEE 754) with contraction into fused multiply-adds off (the pragma
 * below; GCC in ISO C mode already contracts nothing), and their own log
 * and exp instead of libm's (glibc picks FMA variants of log and exp by
 * CPU): so every target gives the same bits on every CPU. test_math
 * forces each usable target through keel_normals_isa and keel_exp_array_isa
 * and compares bits. */
#include <math.h>
#include <string.h>

#include "core/cpu.h"
#include "as241.h"
#include "kmath.h"
#include "philox.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif


#define INLINE static inline __attribute__((always_inline))

INLINE double as_double(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

INLINE uint64_t as_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* A double in (0, 1) from 52 bits of two words: (2k + 1) 2^-53, exactly
 * ((1 + k 2^-52) - 1 is exact, and so is the half step added). */
INLINE double unit52(uint32_t hi, uint32_t lo)
{
    uint64_t k = ((uint64_t)hi << 20) ^ (lo >> 12);
    return (as_double(0x3FF0000000000000ull | k) - 1.0) + 0x1.0p-53;
}

/* log(x) for x in [2^-53, 1]: the reduction and the minimax polynomial of
 * fdlibm's e_log.c (Sun Microsystems, 1993; error < 1 ulp): x = 2^k (1 + f)
 * with 1 + f in [sqrt(2)/2, sqrt(2)), s = f / (2 + f),
 * log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))). */
INLINE double klog(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                 lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                 lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                 lg7 = 1.479819860511658591e-01;
    uint64_t b = as_bits(x);
    uint64_t mant = b & 0x000FFFFFFFFFFFFFull;
    uint64_t e = b >> 52;                            /* biased exponent, x > 0 normal */
    uint64_t up = mant > 0x6A09E667F3BCCull ? 1 : 0; /* 1 + f above sqrt(2): halve it */
    double m = as_double(mant | ((0x3FFull - up) << 52));
    /* k = e - 1023 + up, as a double exactly (the 2^52 trick: no int64 conversion) */
    double k = as_double(0x4330000000000000ull | (e + up)) - (0x1.0p52 + 1023.0);
    double f = m - 1.0;
    double s = f / (2.0 + f), z = s * s, w = z * z;
    double t1 = w * (lg2 + w * (lg4 + w * lg6));
    double t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
    double r = t2 + t1, hfsq = 0.5 * f * f;
    return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f);
}

/* exp(x): fdlibm's e_exp.c reduction and polynomial (error < 1 ulp),
 * x = k ln 2 + r, |r| <= ln 2 / 2, k by rounding to nearest with the 1.5 2^52
 * trick; 2^k applied to the exponent bits. Below -708 (a result under
 * 2^-1021) it returns 0, above 709.7 infinity, NaN for NaN. */
INLINE double kexp(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
                 inv_ln2 = 1.44269504088896338700e+00, shift = 0x1.8p52;
    const double p1 = 1.66666666666666019037e-01, p2 = -2.77777777770155933842e-03,
                 p3 = 6.61375632143793436117e-05, p4 = -1.65339022054652515390e-06,
                 p5 = 4.13813679705723846039e-08;
    double xc = x > 800.0 ? 800.0 : (x < -800.0 ? -800.0 : x); /* NaN passes: fixed below */
    double t = xc * inv_ln2 + shift;
    double kd = t - shift; /* k, exactly */
    double hi = xc - kd * ln2_hi, lo = kd * ln2_lo, r = hi - lo;
    double z = r * r;
    double c = r - z * (p1 + z * (p2 + z * (p3 + z * (p4 + z * p5))));
    double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    /* k 2^52 modulo 2^64 is t's bits shifted by 52 (shift's low 12 bits are
     * 0), and the tests on k are tests on kd: no 64-bit signed integers,
     * which AVX2 lacks the conversions and compares of */
    double v = as_double(as_bits(y) + (as_bits(t) << 52));
    v = kd > 1023.0 ? INFINITY : v;
    v = kd < -1021.0 ? 0.0 : v;
    return x == x ? v : x;
}

/* The standard normal quantile of u in (0, 1): Wichura's AS 241 (PPND16,
 * relative error about 1e-16), its three regions computed and selected
 * without branches (a branch per lane would break the vectors). The
 * coefficients are those of keel_norm_quantile (normal.c). */
INLINE double poly8(const double *c, double x)
{
    return ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) *
               x + c[0];
}

/* The AS 241 coefficients: as241.h. */

/* The central region |u - 1/2| <= 0.425 (85% of draws): one rational. */
INLINE double central(double q)
{
    double r = 0.180625 - q * q;
    return q * poly8(as241_a, r) / poly8(as241_b, r);
}

/* The tails: r = sqrt(-log(min(u, 1 - u))), one of two rationals in r. */
INLINE double tail_r(double u, double q)
{
    double p = q < 0.0 ? u : 1.0 - u; /* exact: 1 - u for u >= 1/2 (Sterbenz) */
    return sqrt(-klog(p));
}

/* r <= 5 (all but about 1 draw in 10^11) */
INLINE double tail_near(double r, double q)
{
    double near = r - 1.6;
    double x = poly8(as241_c, near) / poly8(as241_d, near);
    return q < 0.0 ? -x : x;
}

INLINE double tail_far(double r, double q)
{
    double far = r - 5.0;
    double x = poly8(as241_e, far) / poly8(as241_f, far);
    return q < 0.0 ? -x : x;
}

INLINE double tail(double u, double q)
{
    double r = tail_r(u, q);
    return r <= 5.0 ? tail_near(r, q) : tail_far(r, q);
}

/* Block `blk` of stream (key, c1, c2, substream): the 64-bit block index
 * is the counter's first word and the high byte-shifted part of its last. */
INLINE void philox_block(uint32_t k0, uint32_t k1, uint64_t blk, uint32_t c1, uint32_t c2,
                         uint32_t sub, uint32_t w[4])
{
    w[0] = (uint32_t)blk, w[1] = c1, w[2] = c2, w[3] = sub ^ ((uint32_t)(blk >> 32) << 8);
    keel_philox_rounds(w, k0, k1);
}

/* Block size of the passes below: the uniforms, then the central rational
 * for all, then the tails for the lanes that need them, compacted. */
enum { CHUNK = 256 };

/* The uniforms of nb blocks from block blk: u[2 b], u[2 b + 1] from block
 * blk + b. The stream's key and counter words as philox_block takes them. */
typedef void (*uniforms_fn)(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t sub,
                            uint64_t blk, size_t nb, double *u);

INLINE void uniforms_body(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t sub,
                          uint64_t blk, size_t nb, double *u)
{
    for (size_t b = 0; b < nb; b++) {
        uint32_t w[4];
        philox_block(k0, k1, blk + b, c1, c2, sub, w);
        u[2 * b] = unit52(w[0], w[1]);
        u[2 * b + 1] = unit52(w[2], w[3]);
    }
}

static void uniforms_scalar(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t sub,
                            uint64_t blk, size_t nb, double *u)
{
    uniforms_body(k0, k1, c1, c2, sub, blk, nb, u);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KEEL_VRAND_X86 1
#include <immintrin.h>

/* Philox in 64-bit lanes, one block a lane, each 32-bit word in the low half
 * of its lane: a round is two 32 x 32 -> 64 multiplies (vpmuludq reads only
 * the low halves, so what the xors leave in the high halves never reaches a
 * result), two shifts and the xors. The compiler's own vectorisation of
 * philox_block packs the words in 32-bit lanes and shuffles them around each
 * multiply (2.5 ns a normal for the uniforms alone on AVX-512). Integer
 * arithmetic: the bits of philox_block and unit52. */
__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
uniforms_avx512(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t c2, uint32_t sub, uint64_t blk,
                size_t nb, double *u)
{
    __m512i rk0[10], rk1[10];
    for (int r = 0; r < 10; r++) {
        rk0[r] = _mm512_set1_epi64((long long)(k0 + (uint32_t)r * PHILOX_W0));
        rk1[r] = _mm512_set1_epi64((long long)(k1 + (uint32_t)r * PHILOX_W1));
    }
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);
    const __m512i w1 = _mm512_set1_epi64(c1), w2 = _mm512_set1_epi64(c2);
    const __m512i vsub = _mm512_set1_epi64(sub), lo32 = _mm512_set1_epi64(0xFFFFFFFFll);
    const __m512i mant = _mm512_set1_epi64(0x000FFFFFFFFFFFFFll);
    const __m512i one_bits = _mm512_set1_epi64(0x3FF0000000000000ll);
    const __m512d one = _mm512_set1_pd(1.0), half_ulp = _mm512_set1_pd(0x1.0p-53);
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i even = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0),
                  odd = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    size_t b = 0;
    for (; b + 8 <= nb; b += 8) {
        __m512i ctr = _mm512_add_epi64(_mm512_set1_epi64((long long)(blk + b)), lanes);
        __m512i x0 = ctr, x1 = w1, x2 = w2;
        __m512i x3 = _mm512_xor_si512(vsub, _mm512_slli_epi64(_mm512_srli_epi64(ctr, 32), 8));
        for (int r = 0; r < 10; r++) {
            __m512i p0 = _mm512_mul_epu32(x0, m0), p1 = _mm512_mul_epu32(x2, m1);
            /* the products' high words moved down by a shuffle (port 5),
             * not a shift (port 0, with the multiplies) */
            x0 = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(p1, _MM_PERM_CDAB), x1, rk0[r], 0x96);
            x2 = _mm512_ternarylogic_epi64(_mm512_shuffle_epi32(p0, _MM_PERM_CDAB), x3, rk1[r], 0x96);
            x1 = p1;
            x3 = p0;
        }
        /* unit52: ((hi << 20) ^ (lo >> 12)) in 52 bits, the low words only */
        __m512i ka = _mm512_and_si512(_mm512_xor_si512(_mm512_slli_epi64(x0, 20),
                                                       _mm512_srli_epi64(_mm512_and_si512(x1, lo32), 12)),
                                      mant);
        __m512i kb = _mm512_and_si512(_mm512_xor_si512(_mm512_slli_epi64(x2, 20),
                                                       _mm512_srli_epi64(_mm512_and_si512(x3, lo32), 12)),
                                      mant);
        __m512d ua = _mm512_add_pd(_mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(one_bits, ka)), one),
                                   half_ulp);
        __m512d ub = _mm512_add_pd(_mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(one_bits, kb)), one),
                                   half_ulp);
        _mm512_storeu_pd(u + 2 * b, _mm512_permutex2var_pd(ua, even, ub));
        _mm512_storeu_pd(u + 2 * b + 8, _mm512_permutex2var_pd(ua, odd, ub));
    }
    uniforms_body(k0, k1, c1, c2, sub, blk + b, nb - b, u + 2 * b);
}

/* The same on AVX2, four blocks a vector. */
__attribute__((target("avx2,fma"))) static void uniforms_avx2(uint32_t k0, uint32_t k1, uint32_t c1,
                                                             uint32_t c2, uint32_t sub, uint64_t blk,
                                                             size_t nb, double *u)
{
    __m256i rk0[10], rk1[10];
    for (int r = 0; r < 10; r++) {
        rk0[r] = _mm256_set1_epi64x((long long)(k0 + (uint32_t)r * PHILOX_W0));
        rk1[r] = _mm256_set1_epi64x((long long)(k1 + (uint32_t)r * PHILOX_W1));
    }
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    const __m256i w1 = _mm256_set1_epi64x(c1), w2 = _mm256_set1_epi64x(c2);
    const __m256i vsub = _mm256_set1_epi64x(sub), lo32 = _mm256_set1_epi64x(0xFFFFFFFFll);
    const __m256i mant = _mm256_set1_epi64x(0x000FFFFFFFFFFFFFll);
    const __m256i one_bits = _mm256_set1_epi64x(0x3FF0000000000000ll);
    const __m256d one = _mm256_set1_pd(1.0), half_ulp = _mm256_set1_pd(0x1.0p-53);
    const __m256i lanes = _mm256_set_epi64x(3, 2, 1, 0);
    size_t b = 0;
    for (; b + 4 <= nb; b += 4) {
        __m256i ctr = _mm256_add_epi64(_mm256_set1_epi64x((long long)(blk + b)), lanes);
        __m256i x0 = ctr, x1 = w1, x2 = w2;
        __m256i x3 = _mm256_xor_si256(vsub, _mm256_slli_epi64(_mm256_srli_epi64(ctr, 32), 8));
        for (int r = 0; r < 10; r++) {
            __m256i p0 = _mm256_mul_epu32(x0, m0), p1 = _mm256_mul_epu32(x2, m1);
            x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_shuffle_epi32(p1, 0xB1), x1), rk0[r]);
            x2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_shuffle_epi32(p0, 0xB1), x3), rk1[r]);
            x1 = p1;
            x3 = p0;
        }
        __m256i ka = _mm256_and_si256(_mm256_xor_si256(_mm256_slli_epi64(x0, 20),
                                                       _mm256_srli_epi64(_mm256_and_si256(x1, lo32), 12)),
                                      mant);
        __m256i kb = _mm256_and_si256(_mm256_xor_si256(_mm256_slli_epi64(x2, 20),
                                                       _mm256_srli_epi64(_mm256_and_si256(x3, lo32), 12)),
                                      mant);
        __m256d ua = _mm256_add_pd(_mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(one_bits, ka)), one),
                                   half_ulp);
        __m256d ub = _mm256_add_pd(_mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(one_bits, kb)), one),
                                   half_ulp);
        __m256d lo = _mm256_unpacklo_pd(ua, ub), hi = _mm256_unpackhi_pd(ua, ub);
        _mm256_storeu_pd(u + 2 * b, _mm256_permute2f128_pd(lo, hi, 0x20));
        _mm256_storeu_pd(u + 2 * b + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
    }
    uniforms_body(k0, k1, c1, c2, sub, blk + b, nb - b, u + 2 * b);
}
#endif

/* The draws of u[0, n) in the tails, |u - 1/2| > 0.425 (about 15%), packed
 * in order into tu with their indices in idx; returns how many. tu and idx
 * have room for n + 8 (a vector's stores run past the count). */
typedef size_t (*compact_fn)(const double *u, size_t n, size_t *idx, double *tu);

INLINE size_t compact_body(const double *u, size_t n, size_t *idx, double *tu)
{
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        idx[nt] = i;
        tu[nt] = u[i];
        nt += fabs(u[i] - 0.5) > 0.425;
    }
    return nt;
}

static size_t compact_scalar(const double *u, size_t n, size_t *idx, double *tu)
{
    return compact_body(u, n, idx, tu);
}

#ifdef KEEL_VRAND_X86
/* AVX-512's compress: the lanes of a mask packed, for the draws and their
 * indices. */
__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static size_t
compact_avx512(const double *u, size_t n, size_t *idx, double *tu)
{
    const __m512d half = _mm512_set1_pd(0.5), edge = _mm512_set1_pd(0.425);
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    size_t nt = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(u + i);
        __m512d q = _mm512_abs_pd(_mm512_sub_pd(v, half));
        __mmask8 m = _mm512_cmp_pd_mask(q, edge, _CMP_GT_OQ);
        __m512i at = _mm512_add_epi64(_mm512_set1_epi64((long long)i), lanes);
        _mm512_storeu_pd(tu + nt, _mm512_maskz_compress_pd(m, v));
        _mm512_storeu_si512((void *)(idx + nt), _mm512_maskz_compress_epi64(m, at));
        nt += (size_t)__builtin_popcount((unsigned)m);
    }
    for (; i < n; i++) {
        idx[nt] = i;
        tu[nt] = u[i];
        nt += fabs(u[i] - 0.5) > 0.425;
    }
    return nt;
}

/* AVX2 has no compress: a permutation of 32-bit pairs per 4-bit mask. */
__attribute__((target("avx2,fma"))) static size_t compact_avx2(const double *u, size_t n,
                                                              size_t *idx, double *tu)
{
    int32_t perm[16][8];
    for (int m = 0; m < 16; m++) {
        int s = 0;
        for (int j = 0; j < 4; j++)
            if (m & (1 << j)) {
                perm[m][2 * s] = 2 * j;
                perm[m][2 * s + 1] = 2 * j + 1;
                s++;
            }
        for (; s < 4; s++)
            perm[m][2 * s] = perm[m][2 * s + 1] = 0;
    }
    const __m256d half = _mm256_set1_pd(0.5), edge = _mm256_set1_pd(0.425);
    const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFll));
    const __m256i lanes = _mm256_set_epi64x(3, 2, 1, 0);
    size_t nt = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(u + i);
        __m256d q = _mm256_and_pd(_mm256_sub_pd(v, half), absmask);
        int m = _mm256_movemask_pd(_mm256_cmp_pd(q, edge, _CMP_GT_OQ));
        __m256i p = _mm256_loadu_si256((const __m256i *)(const void *)perm[m]);
        __m256i at = _mm256_add_epi64(_mm256_set1_epi64x((long long)i), lanes);
        _mm256_storeu_pd(tu + nt, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), p)));
        _mm256_storeu_si256((__m256i *)(void *)(idx + nt), _mm256_permutevar8x32_epi32(at, p));
        nt += (size_t)__builtin_popcount((unsigned)m);
    }
    for (; i < n; i++) {
        idx[nt] = i;
        tu[nt] = u[i];
        nt += fabs(u[i] - 0.5) > 0.425;
    }
    return nt;
}
#endif

INLINE void normals_body(uniforms_fn uniforms, compact_fn compact, uint64_t seed,
                         uint64_t stream, uint32_t sub, uint64_t blk0, size_t nblocks,
                         double *out)
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    uint32_t c1 = (uint32_t)stream, c2 = (uint32_t)(stream >> 32);
    double u[2 * CHUNK];
    size_t idx[2 * CHUNK + 8];
    double tu[2 * CHUNK + 8], tr[2 * CHUNK], tx[2 * CHUNK];
    for (size_t done = 0; done < nblocks; done += CHUNK) {
        size_t nb = nblocks - done < CHUNK ? nblocks - done : CHUNK;
        uniforms(k0, k1, c1, c2, sub, blk0 + done, nb, u);
        double *o = out + 2 * done;
        size_t n = 2 * nb;
        for (size_t i = 0; i < n; i++)
            o[i] = central(u[i] - 0.5);
        size_t nt = compact(u, n, idx, tu);
        /* tail()'s two rationals apart: the far one only for the lanes
         * that select it, when a block has any */
        size_t nfar = 0;
        for (size_t j = 0; j < nt; j++) {
            double q = tu[j] - 0.5, r = tail_r(tu[j], q);
            tr[j] = r;
            tx[j] = tail_near(r, q);
            nfar += !(r <= 5.0);
        }
        for (size_t j = 0; nfar > 0 && j < nt; j++)
            if (!(tr[j] <= 5.0))
                tx[j] = tail_far(tr[j], tu[j] - 0.5);
        for (size_t j = 0; j < nt; j++)
            o[idx[j]] = tx[j];
    }
}

INLINE void exp_body(size_t n, const double *restrict x, double *restrict y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = kexp(x[i]);
}

static void normals_scalar(uint64_t seed, uint64_t stream, uint32_t sub, uint64_t blk0,
                           size_t nblocks, double *out)
{
    normals_body(uniforms_scalar, compact_scalar, seed, stream, sub, blk0, nblocks, out);
}

static void exp_scalar(size_t n, const double *restrict x, double *restrict y)
{
    exp_body(n, x, y);
}

#ifdef KEEL_VRAND_X86
__attribute__((target("avx2,fma"))) static void normals_avx2(uint64_t seed, uint64_t stream,
                                                             uint32_t sub, uint64_t blk0,
                                                             size_t nblocks, double *out)
{
    normals_body(uniforms_avx2, compact_avx2, seed, stream, sub, blk0, nblocks, out);
}

__attribute__((target("avx2,fma"))) static void exp_avx2(size_t n, const double *restrict x, double *restrict y)
{
    exp_body(n, x, y);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
normals_avx512(uint64_t seed, uint64_t stream, uint32_t sub, uint64_t blk0, size_t nblocks,
               double *out)
{
    normals_body(uniforms_avx512, compact_avx512, seed, stream, sub, blk0, nblocks, out);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
exp_avx512(size_t n, const double *restrict x, double *restrict y)
{
    exp_body(n, x, y);
}
#endif

double keel_exp_det(double x)
{
    return kexp(x);
}

double keel_log_det(double x)
{
    return klog(x);
}

double keel_quantile_det(double u)
{
    double q = u - 0.5;
    return fabs(q) > 0.425 ? tail(u, q) : central(q);
}

void keel_normals_isa(int isa, uint64_t seed, uint64_t stream, uint32_t substream,
                      uint64_t first, size_t count, double *out)
{
    uint64_t blk0 = first / 2;
    size_t nblocks = count / 2;
#ifdef KEEL_VRAND_X86
    if (isa == KEEL_ISA_AVX512) {
        normals_avx512(seed, stream, substream, blk0, nblocks, out);
        return;
    }
    if (isa == KEEL_ISA_AVX2) {
        normals_avx2(seed, stream, substream, blk0, nblocks, out);
        return;
    }
#endif
    (void)isa;
    normals_scalar(seed, stream, substream, blk0, nblocks, out);
}

void keel_normals(uint64_t seed, uint64_t stream, uint32_t substream, uint64_t first,
                  size_t count, double *out)
{
    keel_normals_isa((int)keel_isa_best(), seed, stream, substream, first, count, out);
}

void keel_exp_array_isa(int isa, size_t n, const double *x, double *y)
{
#ifdef KEEL_VRAND_X86
    if (isa == KEEL_ISA_AVX512) {
        exp_avx512(n, x, y);
        return;
    }
    if (isa == KEEL_ISA_AVX2) {
        exp_avx2(n, x, y);
        return;
    }
#endif
    (void)isa;
    exp_scalar(n, x, y);
}

void keel_exp_array(size_t n, const double *x, double *y)
{
    keel_exp_array_isa((int)keel_isa_best(), n, x, y);
}
