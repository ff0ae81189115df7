/* The valuation of a block of steps in vector lanes (lib/sim/lanes.h). One
 * body in plain C, compiled for baseline x86-64, AVX2 + FMA and AVX-512
 * (target attributes, chosen at run time as lib/math/vrand.c does), with
 * contraction into fused multiply-adds off (this file is built with
 * -ffp-contract=off, and the pragma for Clang): each lane performs the
 * operations of keel_kernel_add and keel_kernel_metrics (lib/risk/kernel.h)
 * for its step in their order, so every target gives the same bits as the
 * scalar kernel. */
#include <math.h>
#include <string.h>

#include "core/cpu.h"
#include "lanes.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define INLINE static inline __attribute__((always_inline))

/* keel_kernel_add for every lane: C += q p, BP += q p oi, L += q p om,
 * D += d p, W += d p bf (C_s is not read by the run loop). */
INLINE void add_position(const keel_lane_position *k, size_t n, double *restrict c,
                         double *restrict bp, double *restrict l, double *restrict dsum,
                         double *restrict w)
{
    double q = k->q, d = k->d, oi = k->oi, om = k->om, bf = k->bf;
    if (k->price != NULL) {
        const double *restrict p = k->price;
        for (size_t t = 0; t < n; t++) {
            double cv = q * p[t], dv = d * p[t];
            c[t] += cv;
            bp[t] += cv * oi;
            l[t] += cv * om;
            dsum[t] += dv;
            w[t] += dv * bf;
        }
    } else {
        double cv = q * k->fixed, dv = d * k->fixed;
        for (size_t t = 0; t < n; t++) {
            c[t] += cv;
            bp[t] += cv * oi;
            l[t] += cv * om;
            dsum[t] += dv;
            w[t] += dv * bf;
        }
    }
}

INLINE void lanes_body(const keel_lane_position *pos, size_t npos, size_t n,
                       keel_lane_metrics *restrict out)
{
    /* the sums start at +0, as keel_risk_sums s = { 0 } */
    double c[KEEL_LANES] = { 0 }, bp[KEEL_LANES] = { 0 }, l[KEEL_LANES] = { 0 },
           dsum[KEEL_LANES] = { 0 }, w[KEEL_LANES] = { 0 };
    for (size_t k = 0; k < npos; k++)
        add_position(&pos[k], n, c, bp, l, dsum, w);
    for (size_t t = 0; t < n; t++) {
        /* keel_kernel_metrics: weighted_debt = W + option_margin (+0) */
        double wd = w[t] + 0.0;
        out->weighted[t] = wd;
        out->health[t] = wd > 0.0 ? l[t] / wd : INFINITY;
        /* keel_kernel_ratio(weighted_debt, borrowing) */
        out->efficiency[t] = bp[t] > 0.0 ? wd / bp[t] : (wd > 0.0 ? INFINITY : 0.0);
        out->collateral[t] = c[t];
        out->finite[t] = isfinite(c[t]) && isfinite(dsum[t]) && isfinite(w[t]);
    }
}

INLINE void moves_body(size_t k, size_t n, const double *chol, const double *c, const double *v,
                       const double *e, double *restrict out)
{
    for (size_t i = 0; i < k; i++) {
        const double *li = chol + i * k;
        double ci = c[i], vi = v[i];
        double *restrict o = out + i * n;
        for (size_t t = 0; t < n; t++)
            o[t] = 0.0;
        for (size_t j = 0; j <= i; j++) {
            const double lij = li[j], *restrict ej = e + j * n;
            for (size_t t = 0; t < n; t++)
                o[t] += lij * ej[t];
        }
        for (size_t t = 0; t < n; t++)
            o[t] = ci + vi * o[t];
    }
}

/* out[j n + t] = e[t k + j]: a chunk's normals from step-major to asset-major. */
INLINE void transpose_body(size_t k, size_t n, const double *restrict e, double *restrict out)
{
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < n; t++)
            out[j * n + t] = e[t * k + j];
}

/* How many of p[0, n) are in (0, inf): keel_paths_step's test. */
INLINE size_t in_range_body(size_t n, const double *p)
{
    size_t good = 0;
    for (size_t i = 0; i < n; i++)
        good += (p[i] > 0.0) & (p[i] < INFINITY);
    return good;
}

static void transpose_scalar(size_t k, size_t n, const double *e, double *out)
{
    transpose_body(k, n, e, out);
}

static size_t in_range_scalar(size_t n, const double *p)
{
    return in_range_body(n, p);
}

static void moves_scalar(size_t k, size_t n, const double *chol, const double *c,
                         const double *v, const double *e, double *out)
{
    moves_body(k, n, chol, c, v, e, out);
}

/* A full block with its size known to the compiler (the sums can stay in
 * registers), or a shorter one at a chunk's end. */
INLINE void lanes_dispatch(const keel_lane_position *pos, size_t npos, size_t n,
                           keel_lane_metrics *restrict out)
{
    if (n == KEEL_LANES)
        lanes_body(pos, npos, KEEL_LANES, out);
    else
        lanes_body(pos, npos, n, out);
}

static void lanes_scalar(const keel_lane_position *pos, size_t npos, size_t n,
                         keel_lane_metrics *out)
{
    lanes_dispatch(pos, npos, n, out);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KEEL_LANES_X86 1
__attribute__((target("avx2,fma"))) static void
lanes_avx2(const keel_lane_position *pos, size_t npos, size_t n, keel_lane_metrics *out)
{
    lanes_dispatch(pos, npos, n, out);
}

__attribute__((target("avx2,fma"))) static void transpose_avx2(size_t k, size_t n,
                                                               const double *e, double *out)
{
    transpose_body(k, n, e, out);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
transpose_avx512(size_t k, size_t n, const double *e, double *out)
{
    transpose_body(k, n, e, out);
}

__attribute__((target("avx2,fma"))) static size_t in_range_avx2(size_t n, const double *p)
{
    return in_range_body(n, p);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static size_t
in_range_avx512(size_t n, const double *p)
{
    return in_range_body(n, p);
}

__attribute__((target("avx2,fma"))) static void
moves_avx2(size_t k, size_t n, const double *chol, const double *c, const double *v,
           const double *e, double *out)
{
    moves_body(k, n, chol, c, v, e, out);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
moves_avx512(size_t k, size_t n, const double *chol, const double *c, const double *v,
             const double *e, double *out)
{
    moves_body(k, n, chol, c, v, e, out);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void
lanes_avx512(const keel_lane_position *pos, size_t npos, size_t n, keel_lane_metrics *out)
{
    lanes_dispatch(pos, npos, n, out);
}
#endif

void keel_lanes_metrics(int isa, const keel_lane_position *pos, size_t npos, size_t nsteps,
                        keel_lane_metrics *out)
{
#ifdef KEEL_LANES_X86
    if (isa == KEEL_ISA_AVX512) {
        lanes_avx512(pos, npos, nsteps, out);
        return;
    }
    if (isa == KEEL_ISA_AVX2) {
        lanes_avx2(pos, npos, nsteps, out);
        return;
    }
#endif
    (void)isa;
    lanes_scalar(pos, npos, nsteps, out);
}

void keel_lanes_moves(int isa, size_t k, size_t n, const double *chol, const double *c,
                      const double *v, const double *e, double *out)
{
#ifdef KEEL_LANES_X86
    if (isa == KEEL_ISA_AVX512) {
        moves_avx512(k, n, chol, c, v, e, out);
        return;
    }
    if (isa == KEEL_ISA_AVX2) {
        moves_avx2(k, n, chol, c, v, e, out);
        return;
    }
#endif
    (void)isa;
    moves_scalar(k, n, chol, c, v, e, out);
}

void keel_lanes_transpose(int isa, size_t k, size_t n, const double *e, double *out)
{
#ifdef KEEL_LANES_X86
    if (isa == KEEL_ISA_AVX512) {
        transpose_avx512(k, n, e, out);
        return;
    }
    if (isa == KEEL_ISA_AVX2) {
        transpose_avx2(k, n, e, out);
        return;
    }
#endif
    (void)isa;
    transpose_scalar(k, n, e, out);
}

bool keel_lanes_in_range(int isa, size_t n, const double *p)
{
#ifdef KEEL_LANES_X86
    if (isa == KEEL_ISA_AVX512)
        return in_range_avx512(n, p) == n;
    if (isa == KEEL_ISA_AVX2)
        return in_range_avx2(n, p) == n;
#endif
    (void)isa;
    return in_range_scalar(n, p) == n;
}
