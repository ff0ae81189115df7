/* keel_black_scholes_batch() and its dispatch targets: the portable scalar
 * loop and the AVX2 and AVX-512 kernels (bs_vec.c), chosen at run time
 * (core/cpu.h). */
#ifndef KEEL_OPTIONS_BS_BATCH_H
#define KEEL_OPTIONS_BS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/options.h"

/* The input arrays of a batch, already checked. */
typedef struct keel_bs_in {
    const keel_option_type *type;
    const double *S, *K, *T, *r, *q, *vol;
} keel_bs_in;

/* Bits of the requested outputs, by position in keel_greeks_v (value 0 ..
 * charm 9). */
enum {
    KEEL_BSO_VALUE = 1u << 0, KEEL_BSO_DELTA = 1u << 1, KEEL_BSO_GAMMA = 1u << 2,
    KEEL_BSO_VEGA = 1u << 3, KEEL_BSO_THETA = 1u << 4, KEEL_BSO_RHO = 1u << 5,
    KEEL_BSO_DRHO = 1u << 6, KEEL_BSO_VANNA = 1u << 7, KEEL_BSO_VOLGA = 1u << 8,
    KEEL_BSO_CHARM = 1u << 9
};

/* Where the first option with a member beyond double range (or at an
 * infinite limit) is, as the kernels find it: index `count` for none. */
typedef struct keel_bs_first {
    size_t index;
    unsigned limits;
} keel_bs_first;

/* Option i by the scalar kernel (keel_bsm), every requested member written
 * to out[m][i], *first updated when i is the first out of range. The vector
 * kernels call it for the lanes that need the scalar path's special
 * handling, so those results are the scalar path's bits. */
void keel_bs_lane(const keel_bs_in *in, size_t i, double *const out[10], keel_bs_first *first);

/* The batch on every option of `in` (count of them), outputs out[m] (NULL:
 * skipped), per target. The vector targets exist on x86-64 with libmvec
 * (KEEL_HAVE_LIBMVEC); elsewhere they are not built and never chosen. */
void keel_bs_batch_scalar(size_t count, const keel_bs_in *in, double *const out[10],
                          keel_bs_first *first);
void keel_bs_batch_avx2(size_t count, const keel_bs_in *in, double *const out[10],
                        keel_bs_first *first);
void keel_bs_batch_avx512(size_t count, const keel_bs_in *in, double *const out[10],
                          keel_bs_first *first);

/* True when every option's inputs are valid (the checks of
 * keel_black_scholes(), branch-free so that it vectorises), per target. */
bool keel_bs_valid_scalar(size_t count, const keel_bs_in *in);
bool keel_bs_valid_avx2(size_t count, const keel_bs_in *in);
bool keel_bs_valid_avx512(size_t count, const keel_bs_in *in);

/* Whether an output array shares memory with an input array (a result
 * written in place of an input, as the scalar loop allows: it reads option
 * i before writing it). The vector kernels then run each chunk on a copy of
 * its inputs, since they write a whole chunk before the scalar kernel reads
 * the lanes handed to it. */
static inline bool keel_bs_out_overlaps_in(size_t count, const keel_bs_in *in,
                                           double *const out[10])
{
    const void *src[7] = { in->type, in->S, in->K, in->T, in->r, in->q, in->vol };
    const size_t sz[7] = { sizeof *in->type, 8, 8, 8, 8, 8, 8 };
    for (int m = 0; m < 10; m++) {
        if (!out[m])
            continue;
        uintptr_t o0 = (uintptr_t)out[m], o1 = o0 + count * sizeof(double);
        for (int k = 0; k < 7; k++) {
            uintptr_t i0 = (uintptr_t)src[k], i1 = i0 + count * sz[k];
            if (o0 < i1 && i0 < o1)
                return true;
        }
    }
    return false;
}

/* The loop body of the validity checks, inlined into each target. */
static inline bool keel_bs_valid_loop(size_t count, const keel_bs_in *in)
{
    const keel_option_type *ty = in->type;
    const double *S = in->S, *K = in->K, *T = in->T, *r = in->r, *q = in->q, *v = in->vol;
    const double inf = __builtin_inf();
    int bad = 0;
    for (size_t i = 0; i < count; i++) {
        /* NaN fails every comparison */
        int ok = ((unsigned)ty[i] <= 1u) & (S[i] > 0.0) & (S[i] < inf) & (K[i] > 0.0) &
                 (K[i] < inf) & (T[i] >= 0.0) & (T[i] < inf) & (r[i] > -inf) & (r[i] < inf) &
                 (q[i] > -inf) & (q[i] < inf) & (v[i] >= 0.0) & (v[i] < inf);
        bad |= !ok;
    }
    return !bad;
}

#endif
