/**
 * @file u256.h
 * keel_u256: the unsigned 256-bit integers of the EVM, and the fixed-point
 * arithmetic lending protocols do with them (Aave's WadRayMath, PercentageMath
 * and MathUtils), with each Solidity function's own rounding and its own
 * overflow checks.
 *
 * A keel_u256 is passed by value: four 64-bit limbs, least significant first
 * (value = w[0] + w[1]·2^64 + w[2]·2^128 + w[3]·2^192), the same bytes on every
 * platform keel builds for. Where Solidity would revert (a product beyond
 * 2^256 − 1 by the function's own check, a division by zero), keel returns
 * KEEL_E_OVERFLOW or KEEL_E_OUT_OF_RANGE, names the function in
 * keel_last_error(), and leaves @c *out unchanged.
 *
 * Units: a wad is 10^18 (1.0), a ray 10^27 (1.0), a percentage is in basis
 * points with 10^4 = 100%. Source of every formula: aave-dao/aave-v3-origin,
 * tag v3.6.0, src/contracts/protocol/libraries/math/{WadRayMath,PercentageMath,
 * MathUtils}.sol; the rounding of each function is named in its comment.
 */
#ifndef KEEL_U256_H
#define KEEL_U256_H

#include <stdint.h>

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An unsigned 256-bit integer: limbs least significant first. */
typedef struct keel_u256 {
    uint64_t w[4]; /**< value = w[0] + w[1]·2^64 + w[2]·2^128 + w[3]·2^192 */
} keel_u256;

/** Bytes a decimal keel_u256 needs, with its NUL: 78 digits + 1. */
#define KEEL_U256_DECIMAL_MAX 79

/** @return @p v as a keel_u256. */
KEEL_API keel_u256 keel_u256_from_u64(uint64_t v);

/** @return 2^256 − 1, Solidity's type(uint256).max (Aave's "no debt" health factor). */
KEEL_API keel_u256 keel_u256_max(void);

/**
 * Parses a decimal string ("12345"), or hexadecimal with a 0x prefix, with no
 * sign, space or separator.
 *
 * @param text NUL-terminated digits.
 * @param[out] out the value.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE for an empty string or
 *         a character that is not a digit; KEEL_E_OVERFLOW for a value of
 *         2^256 or more. @c *out is unchanged on failure.
 */
KEEL_API keel_status keel_u256_from_string(const char *text, keel_u256 *out);

/**
 * Writes @p v in decimal, without leading zeros ("0" for zero).
 *
 * @param buf receives the digits and a NUL.
 * @param size bytes at @p buf; KEEL_U256_DECIMAL_MAX always suffices.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BUFFER_TOO_SMALL (nothing written)
 *         when the digits and the NUL do not fit.
 */
KEEL_API keel_status keel_u256_to_string(keel_u256 v, char *buf, size_t size);

/** @return the double nearest to @p v (round to nearest, ties to even). */
KEEL_API double keel_u256_to_double(keel_u256 v);

/** @return −1, 0 or 1 as @p a is below, equal to or above @p b. */
KEEL_API int keel_u256_cmp(keel_u256 a, keel_u256 b);

/**
 * @p a + @p b. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OVERFLOW when the sum
 * reaches 2^256 (Solidity 0.8 reverts).
 */
KEEL_API keel_status keel_u256_add(keel_u256 a, keel_u256 b, keel_u256 *out);

/** @p a − @p b. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OVERFLOW when @p b > @p a. */
KEEL_API keel_status keel_u256_sub(keel_u256 a, keel_u256 b, keel_u256 *out);

/** @p a · @p b. @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OVERFLOW when the product reaches 2^256. */
KEEL_API keel_status keel_u256_mul(keel_u256 a, keel_u256 b, keel_u256 *out);

/**
 * Floor division with remainder; either output may be NULL, not both.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE when @p b is 0.
 */
KEEL_API keel_status keel_u256_divmod(keel_u256 a, keel_u256 b, keel_u256 *quotient,
                                      keel_u256 *remainder);

/**
 * WadRayMath, PercentageMath and MathUtils, one entry per Solidity function.
 * Every one writes @c *out and returns KEEL_OK, or returns KEEL_E_NULL_ARG,
 * KEEL_E_OVERFLOW where the Solidity overflow check reverts, or
 * KEEL_E_OUT_OF_RANGE for a zero divisor, leaving @c *out unchanged.
 * (Solidity's own checks are kept exactly, including where they are
 * stricter than the true result needs: wadMul reverts when a·b + WAD/2 would
 * overflow even if the quotient fits.)
 */
typedef enum keel_wadray_op {
    KEEL_WAD_MUL = 0,           /**< wadMul: (a·b + WAD/2) / WAD, half up. */
    KEEL_WAD_DIV = 1,           /**< wadDiv: (a·WAD + b/2) / b, half up. */
    KEEL_RAY_MUL = 2,           /**< rayMul: (a·b + RAY/2) / RAY, half up. */
    KEEL_RAY_MUL_FLOOR = 3,     /**< rayMulFloor: a·b / RAY, down. */
    KEEL_RAY_MUL_CEIL = 4,      /**< rayMulCeil: a·b / RAY, up. */
    KEEL_RAY_DIV = 5,           /**< rayDiv: (a·RAY + b/2) / b, half up. */
    KEEL_RAY_DIV_FLOOR = 6,     /**< rayDivFloor: a·RAY / b, down. */
    KEEL_RAY_DIV_CEIL = 7,      /**< rayDivCeil: a·RAY / b, up. */
    KEEL_PERCENT_MUL = 8,       /**< percentMul: (a·b + 5000) / 10^4, half up. */
    KEEL_PERCENT_MUL_FLOOR = 9, /**< percentMulFloor: a·b / 10^4, down. */
    KEEL_PERCENT_MUL_CEIL = 10, /**< percentMulCeil: a·b / 10^4, up. */
    KEEL_PERCENT_DIV = 11,      /**< percentDiv: (a·10^4 + b/2) / b, half up. */
    KEEL_PERCENT_DIV_CEIL = 12  /**< percentDivCeil: a·10^4 / b, up. */
} keel_wadray_op;

/**
 * Applies one WadRayMath / PercentageMath function to @p a and @p b.
 *
 * @param op which function (keel_wadray_op).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE for an unknown @p op
 *         or a zero divisor; KEEL_E_OVERFLOW where the Solidity reverts.
 */
KEEL_API keel_status keel_wadray(keel_wadray_op op, keel_u256 a, keel_u256 b, keel_u256 *out);

/**
 * MathUtils.mulDivCeil: ⌈a·b / c⌉.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE when @p c is 0;
 *         KEEL_E_OVERFLOW when a·b reaches 2^256 (the Solidity reverts).
 */
KEEL_API keel_status keel_mul_div_ceil(keel_u256 a, keel_u256 b, keel_u256 c, keel_u256 *out);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_U256_H */
