/* 256-bit arithmetic inside lib/protocol: the operations the protocols' own
 * Solidity uses, each reporting overflow instead of wrapping, and the
 * WadRayMath / PercentageMath / MathUtils functions with their rounding.
 * Relies on the compiler's unsigned __int128 (GCC and Clang on 64-bit
 * targets, the targets keel builds for). */
#ifndef KEEL_PROTOCOL_U256_OPS_H
#define KEEL_PROTOCOL_U256_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/u256.h"

__extension__ typedef unsigned __int128 keel_u128;

static inline keel_u256 u256_small(uint64_t v)
{
    keel_u256 r = {{v, 0, 0, 0}};
    return r;
}

static inline bool u256_is_zero(keel_u256 a)
{
    return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0;
}

static inline int u256_cmp(keel_u256 a, keel_u256 b)
{
    for (int i = 3; i >= 0; i--)
        if (a.w[i] != b.w[i])
            return a.w[i] < b.w[i] ? -1 : 1;
    return 0;
}

static inline bool u256_lt(keel_u256 a, keel_u256 b) { return u256_cmp(a, b) < 0; }

/* a + b; true on overflow (the result is then wrapped). */
static inline bool u256_add(keel_u256 a, keel_u256 b, keel_u256 *r)
{
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        keel_u128 s = (keel_u128)a.w[i] + b.w[i] + carry;
        r->w[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    return carry != 0;
}

/* a − b; true on underflow. */
static inline bool u256_sub(keel_u256 a, keel_u256 b, keel_u256 *r)
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        keel_u128 d = (keel_u128)a.w[i] - b.w[i] - borrow;
        r->w[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1u;
    }
    return borrow != 0;
}

/* a · b; true when the product reaches 2^256. */
static inline bool u256_mul(keel_u256 a, keel_u256 b, keel_u256 *r)
{
    uint64_t t[8] = {0};
    for (int i = 0; i < 4; i++) {
        if (a.w[i] == 0)
            continue;
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            keel_u128 p = (keel_u128)a.w[i] * b.w[j] + t[i + j] + carry;
            t[i + j] = (uint64_t)p;
            carry = (uint64_t)(p >> 64);
        }
        t[i + 4] = carry;
    }
    for (int i = 0; i < 4; i++)
        r->w[i] = t[i];
    return (t[4] | t[5] | t[6] | t[7]) != 0;
}

/* Floor division; b must not be zero. Either output may be NULL. */
void u256_divmod(keel_u256 a, keel_u256 b, keel_u256 *q, keel_u256 *rem);

static inline keel_u256 u256_div(keel_u256 a, keel_u256 b)
{
    keel_u256 q;
    u256_divmod(a, b, &q, NULL);
    return q;
}

double u256_to_double(keel_u256 a);

/* The integer nearest to d (ties away from zero), for finite d in [0, 2^256);
 * 0 for anything else (callers check the range). */
keel_u256 u256_from_double(double d);

/* 10^e for e in 0..77. */
keel_u256 u256_pow10(unsigned e);

/* The Solidity functions. Each returns KEEL_OK, KEEL_E_OVERFLOW where the
 * Solidity's own check reverts, or KEEL_E_OUT_OF_RANGE on a zero divisor;
 * they set no error text (callers name the step that failed). */
keel_status u256_wadray(keel_wadray_op op, keel_u256 a, keel_u256 b, keel_u256 *out);
keel_status u256_mul_div(keel_u256 a, keel_u256 b, keel_u256 c, bool ceil, keel_u256 *out);

#endif /* KEEL_PROTOCOL_U256_OPS_H */
