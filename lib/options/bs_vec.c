/* The AVX2 and AVX-512 targets of keel_black_scholes_batch(): one kernel
 * (bs_vec_impl.h) compiled for each with __attribute__((target)) and
 * intrinsics, so the library is built for baseline x86-64 and the kernel
 * is chosen at run time (core/cpu.h). exp, log, log1p, expm1 and erfc are
 * glibc's libmvec vector functions (the x86-64 vector function ABI names,
 * _ZGVdN4v_* for AVX2 and _ZGVeN8v_* for AVX-512; glibc 2.35 and later
 * for log1p, expm1 and erfc), documented within 4 ulp (glibc manual,
 * "Errors in Math Functions"); tests/test_options_vec.c measures the
 * agreement with the scalar kernel. Built only on x86-64 with libmvec
 * (KEEL_HAVE_LIBMVEC); bs_batch.c stands in elsewhere. */
#include "bs_batch.h"

#ifdef KEEL_HAVE_LIBMVEC

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "math/kmath.h"

#ifdef __clang__
/* the scalar kernel rounds every product and sum: so does this one (GCC
 * contracts nothing in ISO C mode) */
#pragma STDC FP_CONTRACT OFF
#endif

#define INV_SQRT_2 0.70710678118654752440

/* ---- AVX2 + FMA: 4 lanes, masks as all-ones lanes ---- */
#define AVX2_ATTR __attribute__((target("avx2,fma")))
AVX2_ATTR __m256d _ZGVdN4v_exp(__m256d x);
AVX2_ATTR __m256d _ZGVdN4v_log(__m256d x);
AVX2_ATTR __m256d _ZGVdN4v_log1p(__m256d x);
AVX2_ATTR __m256d _ZGVdN4v_expm1(__m256d x);
AVX2_ATTR __m256d _ZGVdN4v_erfc(__m256d x);

#define KV_SUFFIX avx2
#define KV_ATTR AVX2_ATTR
#define KV_W 4
#define KV_NC 64
#define KV_ALL 0xfu
#define V __m256d
#define M __m256d
#define VSET(x) _mm256_set1_pd(x)
#define VLD(p) _mm256_loadu_pd(p)
#define VST(p, v) _mm256_storeu_pd((p), (v))
#define VSQRT(x) _mm256_sqrt_pd(x)
#define VRECIP(x) (_mm256_set1_pd(1.0) / (x))
#define VABS(x) _mm256_andnot_pd(_mm256_set1_pd(-0.0), (x))
#define VMAX(a, b) _mm256_max_pd((a), (b))
#define VMIN(a, b) _mm256_min_pd((a), (b))
#define VEXP(x) _ZGVdN4v_exp(x)
#define VLOG(x) _ZGVdN4v_log(x)
#define VLOG1P(x) _ZGVdN4v_log1p(x)
#define VEXPM1(x) _ZGVdN4v_expm1(x)
#define VERFC(x) _ZGVdN4v_erfc(x)
#define MLT(a, b) _mm256_cmp_pd((a), (b), _CMP_LT_OQ)
#define MLE(a, b) _mm256_cmp_pd((a), (b), _CMP_LE_OQ)
#define MGT(a, b) _mm256_cmp_pd((a), (b), _CMP_GT_OQ)
#define MGE(a, b) _mm256_cmp_pd((a), (b), _CMP_GE_OQ)
#define MAND(a, b) _mm256_and_pd((a), (b))
#define MNOT(a) _mm256_xor_pd((a), _mm256_castsi256_pd(_mm256_set1_epi64x(-1)))
#define MBITS(m) ((unsigned)_mm256_movemask_pd(m))
#define SEL(m, a, b) _mm256_blendv_pd((b), (a), (m))
#define SEL_M(m, a, b) _mm256_blendv_pd((b), (a), (m))
#define MFROMBITS(b)                                                                              \
    _mm256_castsi256_pd(_mm256_cmpeq_epi64(                                                       \
        _mm256_and_si256(_mm256_set1_epi64x((long long)(b)), _mm256_setr_epi64x(1, 2, 4, 8)),     \
        _mm256_setr_epi64x(1, 2, 4, 8)))
#define VLOAD_PUT(p)                                                                              \
    _mm256_castsi256_pd(_mm256_cvtepi32_epi64(                                                    \
        _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p)), _mm_set1_epi32(1))))
#include "bs_vec_impl.h"
#undef KV_SUFFIX
#undef KV_ATTR
#undef KV_W
#undef KV_NC
#undef MFROMBITS
#undef KV_ALL
#undef V
#undef M
#undef VSET
#undef VLD
#undef VST
#undef VSQRT
#undef VRECIP
#undef VABS
#undef VMAX
#undef VMIN
#undef VEXP
#undef VLOG
#undef VLOG1P
#undef VEXPM1
#undef VERFC
#undef MLT
#undef MLE
#undef MGT
#undef MGE
#undef MAND
#undef MNOT
#undef MBITS
#undef SEL
#undef SEL_M
#undef VLOAD_PUT

/* ---- AVX-512 F/DQ/VL: 8 lanes, masks in k registers ---- */
#define AVX512_ATTR __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
AVX512_ATTR __m512d _ZGVeN8v_exp(__m512d x);
AVX512_ATTR __m512d _ZGVeN8v_log(__m512d x);
AVX512_ATTR __m512d _ZGVeN8v_log1p(__m512d x);
AVX512_ATTR __m512d _ZGVeN8v_expm1(__m512d x);
AVX512_ATTR __m512d _ZGVeN8v_erfc(__m512d x);

#define KV_SUFFIX avx512
#define KV_ATTR AVX512_ATTR
#define KV_W 8
#define KV_NC 64
#define KV_ALL 0xffu
#define V __m512d
#define M __mmask8
#define VSET(x) _mm512_set1_pd(x)
#define VLD(p) _mm512_loadu_pd(p)
#define VST(p, v) _mm512_storeu_pd((p), (v))
#define VSQRT(x) _mm512_sqrt_pd(x)
#define VRECIP(x) (_mm512_set1_pd(1.0) / (x))
#define VABS(x) _mm512_abs_pd(x)
#define VMAX(a, b) _mm512_max_pd((a), (b))
#define VMIN(a, b) _mm512_min_pd((a), (b))
#define VEXP(x) _ZGVeN8v_exp(x)
#define VLOG(x) _ZGVeN8v_log(x)
#define VLOG1P(x) _ZGVeN8v_log1p(x)
#define VEXPM1(x) _ZGVeN8v_expm1(x)
#define VERFC(x) _ZGVeN8v_erfc(x)
#define MLT(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_LT_OQ)
#define MLE(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_LE_OQ)
#define MGT(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_GT_OQ)
#define MGE(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_GE_OQ)
#define MAND(a, b) ((__mmask8)((a) & (b)))
#define MNOT(a) ((__mmask8)~(a))
#define MBITS(m) ((unsigned)(m))
#define SEL(m, a, b) _mm512_mask_blend_pd((m), (b), (a))
#define SEL_M(m, a, b) ((__mmask8)(((m) & (a)) | (~(m) & (b))))
#define MFROMBITS(b) ((__mmask8)(b))
#define VLOAD_PUT(p)                                                                              \
    _mm256_cmpeq_epi32_mask(_mm256_loadu_si256((const __m256i *)(const void *)(p)),                \
                            _mm256_set1_epi32(1))
#include "bs_vec_impl.h"

#endif /* KEEL_HAVE_LIBMVEC */
