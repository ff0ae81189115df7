/* Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3", SC 2011): its constants and its ten rounds, shared by the
 * scalar streams (philox.c) and the vector generator (vrand.c), whose
 * per-target copies inline it. */
#ifndef KEEL_PHILOX_H
#define KEEL_PHILOX_H

#include <stdint.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* The ten rounds on counter w with key (k0, k1), in place. */
static inline __attribute__((always_inline)) void keel_philox_rounds(uint32_t w[4], uint32_t k0,
                                                                    uint32_t k1)
{
    uint32_t c0 = w[0], c1 = w[1], c2 = w[2], c3 = w[3];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0, p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c1 = (uint32_t)p1;
        c3 = (uint32_t)p0;
        c0 = n0;
        c2 = n2;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    w[0] = c0, w[1] = c1, w[2] = c2, w[3] = c3;
}

#endif
