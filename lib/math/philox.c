/* Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and
 * Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC11): ten rounds of
 * two 32x32->64 multiplications and xors with a Weyl-sequence key schedule.
 * The constants are the paper's. Checked against Random123's known-answer
 * vectors in test_math. */
#include <math.h>

#include "kmath.h"
#include "philox.h"


void keel_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t w[4] = { ctr[0], ctr[1], ctr[2], ctr[3] };
    keel_philox_rounds(w, key[0], key[1]);
    out[0] = w[0], out[1] = w[1], out[2] = w[2], out[3] = w[3];
}

void keel_rng_init(keel_rng *r, uint64_t seed, uint64_t stream, uint32_t substream)
{
    r->key[0] = (uint32_t)seed;
    r->key[1] = (uint32_t)(seed >> 32);
    r->ctr[0] = 0;
    r->ctr[1] = (uint32_t)stream;
    r->ctr[2] = (uint32_t)(stream >> 32);
    r->ctr[3] = substream;
    r->left = 0;
}

/* A double in (0, 1) from 53 bits of two words: (k + 1/2) 2^-53. */
static double unit(uint32_t hi, uint32_t lo)
{
    uint64_t k = ((uint64_t)hi << 21) ^ (lo >> 11);
    return ((double)k + 0.5) * 0x1.0p-53;
}

/* Two fresh uniforms from one block; the block counter advances. */
static void block(keel_rng *r, double *u1, double *u2)
{
    uint32_t w[4];
    keel_philox4x32_10(r->ctr, r->key, w);
    r->ctr[0]++;
    *u1 = unit(w[0], w[1]);
    *u2 = unit(w[2], w[3]);
}

double keel_rng_uniform(keel_rng *r)
{
    if (r->left == 0) {
        block(r, &r->buf[1], &r->buf[0]);
        r->left = 2;
    }
    return r->buf[--r->left];
}

double keel_rng_normal(keel_rng *r)
{
    /* Box-Muller (1958): exact, two normals per pair of uniforms; the 53-bit
     * uniforms in (0, 1) reach 8.6 standard deviations in the tails */
    if (r->left == 0) {
        double u1, u2;
        block(r, &u1, &u2);
        double rad = sqrt(-2.0 * log(u1)), th = 6.283185307179586476925 * u2;
        r->buf[0] = rad * cos(th);
        r->buf[1] = rad * sin(th);
        r->left = 2;
    }
    return r->buf[--r->left];
}
