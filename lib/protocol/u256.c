/* keel_u256: 256-bit unsigned arithmetic and the WadRayMath / PercentageMath /
 * MathUtils functions of aave-dao/aave-v3-origin (tag v3.6.0,
 * src/contracts/protocol/libraries/math/). Every Solidity overflow check is
 * "x·y + h must not exceed 2^256 − 1", written in the assembly as
 * x > (MAX − h) / y; the two are the same condition, so here the product and
 * the sum are computed with carries and overflow is read off them. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "protocol/u256_ops.h"

static const uint64_t WAD = 1000000000000000000ull; /* 10^18 */

static keel_u256 ray(void)
{
    /* 10^27 = 10^18 · 10^9 */
    keel_u256 r = {{0, 0, 0, 0}};
    keel_u128 v = (keel_u128)WAD * 1000000000ull;
    r.w[0] = (uint64_t)v;
    r.w[1] = (uint64_t)(v >> 64);
    return r;
}

static unsigned clz64(uint64_t x) { return x ? (unsigned)__builtin_clzll(x) : 64u; }

/* Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 32-bit digits, as laid out in
 * Hacker's Delight (2nd ed., fig. 9-3): u has m digits, v has n >= 2 digits
 * with v[n-1] != 0, m >= n. */
static void divmnu(uint32_t *q, uint32_t *r, const uint32_t *u, const uint32_t *v, int m, int n)
{
    const uint64_t b = 1ull << 32;
    uint32_t un[9], vn[8];
    unsigned s = (unsigned)__builtin_clz(v[n - 1]);
    for (int i = n - 1; i > 0; i--)
        vn[i] = (uint32_t)(((uint64_t)v[i] << s) | ((uint64_t)v[i - 1] >> (32 - s)));
    vn[0] = (uint32_t)((uint64_t)v[0] << s);
    un[m] = (uint32_t)((uint64_t)u[m - 1] >> (32 - s));
    for (int i = m - 1; i > 0; i--)
        un[i] = (uint32_t)(((uint64_t)u[i] << s) | ((uint64_t)u[i - 1] >> (32 - s)));
    un[0] = (uint32_t)((uint64_t)u[0] << s);
    for (int j = m - n; j >= 0; j--) {
        uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1];
        uint64_t rhat = num - qhat * vn[n - 1];
        while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >= b)
                break;
        }
        /* multiply and subtract, with a signed borrow */
        int64_t k = 0, t;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i];
            t = (int64_t)un[i + j] - k - (int64_t)(p & 0xffffffffu);
            un[i + j] = (uint32_t)t;
            k = (int64_t)(p >> 32) - (t >> 32);
        }
        t = (int64_t)un[j + n] - k;
        un[j + n] = (uint32_t)t;
        q[j] = (uint32_t)qhat;
        if (t < 0) { /* qhat was one too large: add v back */
            q[j]--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                uint64_t sum = (uint64_t)un[i + j] + vn[i] + c;
                un[i + j] = (uint32_t)sum;
                c = sum >> 32;
            }
            un[j + n] = (uint32_t)(un[j + n] + c);
        }
    }
    for (int i = 0; i < n - 1; i++)
        r[i] = (uint32_t)(((uint64_t)un[i] >> s) | ((uint64_t)un[i + 1] << (32 - s)));
    r[n - 1] = (uint32_t)((uint64_t)un[n - 1] >> s);
}

void u256_divmod(keel_u256 a, keel_u256 b, keel_u256 *q, keel_u256 *rem)
{
    keel_u256 qq = {{0, 0, 0, 0}}, rr = {{0, 0, 0, 0}};
    if (u256_lt(a, b)) {
        rr = a;
    } else if ((b.w[1] | b.w[2] | b.w[3]) == 0) {
        /* one-limb divisor: schoolbook, one 128/64 division per limb */
        keel_u128 r = 0;
        for (int i = 3; i >= 0; i--) {
            keel_u128 cur = (r << 64) | a.w[i];
            qq.w[i] = (uint64_t)(cur / b.w[0]);
            r = cur % b.w[0];
        }
        rr.w[0] = (uint64_t)r;
    } else if ((a.w[2] | a.w[3]) == 0) {
        keel_u128 x = ((keel_u128)a.w[1] << 64) | a.w[0];
        keel_u128 y = ((keel_u128)b.w[1] << 64) | b.w[0];
        keel_u128 qv = x / y, rv = x % y;
        qq.w[0] = (uint64_t)qv;
        qq.w[1] = (uint64_t)(qv >> 64);
        rr.w[0] = (uint64_t)rv;
        rr.w[1] = (uint64_t)(rv >> 64);
    } else {
        uint32_t u[8], v[8], q32[8] = {0}, r32[8] = {0};
        for (int i = 0; i < 4; i++) {
            u[2 * i] = (uint32_t)a.w[i];
            u[2 * i + 1] = (uint32_t)(a.w[i] >> 32);
            v[2 * i] = (uint32_t)b.w[i];
            v[2 * i + 1] = (uint32_t)(b.w[i] >> 32);
        }
        int m = 8, n = 8;
        while (m > 1 && u[m - 1] == 0)
            m--;
        while (n > 1 && v[n - 1] == 0)
            n--;
        divmnu(q32, r32, u, v, m, n); /* n >= 3 here: b >= 2^64 */
        for (int i = 0; i < 4; i++) {
            qq.w[i] = (uint64_t)q32[2 * i] | ((uint64_t)q32[2 * i + 1] << 32);
            rr.w[i] = (uint64_t)r32[2 * i] | ((uint64_t)r32[2 * i + 1] << 32);
        }
    }
    if (q != NULL)
        *q = qq;
    if (rem != NULL)
        *rem = rr;
}

double u256_to_double(keel_u256 a)
{
    int top = 3;
    while (top > 0 && a.w[top] == 0)
        top--;
    if (top == 0)
        return (double)a.w[0];
    /* the 64 bits below the leading one, the lost bits folded into a sticky
     * bit far below double's rounding position: the hardware's uint64
     * conversion then rounds to nearest even exactly as the whole would */
    unsigned lz = clz64(a.w[top]);
    uint64_t m = lz ? (a.w[top] << lz) | (a.w[top - 1] >> (64 - lz)) : a.w[top];
    uint64_t lost = lz ? a.w[top - 1] << lz : a.w[top - 1];
    for (int i = top - 2; i >= 0; i--)
        lost |= a.w[i];
    if (lost != 0)
        m |= 1u;
    return ldexp((double)m, 64 * top - (int)lz);
}

keel_u256 u256_from_double(double d)
{
    keel_u256 r = {{0, 0, 0, 0}};
    d = round(d);
    if (!(d >= 1.0) || !(d < 0x1p256))
        return r;
    if (d < 0x1p64) {
        r.w[0] = (uint64_t)d;
        return r;
    }
    /* d = mantissa · 2^shift with a 53-bit integer mantissa */
    int e;
    double f = frexp(d, &e);                 /* d = f · 2^e, f in [0.5, 1) */
    uint64_t mant = (uint64_t)ldexp(f, 53); /* exact */
    int shift = e - 53;                      /* > 0 here: d >= 2^64 */
    int limb = shift / 64, bit = shift % 64;
    r.w[limb] = mant << bit;
    if (bit != 0 && limb + 1 < 4)
        r.w[limb + 1] = mant >> (64 - bit);
    return r;
}

keel_u256 u256_pow10(unsigned e)
{
    keel_u256 r = u256_small(1);
    for (unsigned i = 0; i < e; i++)
        (void)u256_mul(r, u256_small(10), &r);
    return r;
}

/* x·y + h, or KEEL_E_OVERFLOW when it exceeds 2^256 − 1. */
static keel_status mul_add(keel_u256 x, keel_u256 y, keel_u256 h, keel_u256 *out)
{
    if (u256_mul(x, y, out) || u256_add(*out, h, out))
        return KEEL_E_OVERFLOW;
    return KEEL_OK;
}

/* ⌊n / d⌋, plus one when ceil and the division left a remainder. A
 * division by RAY (10^27, wider than a limb) goes as ⌊⌊n / 10^9⌋ / 10^18⌋,
 * two one-limb divisions (the same quotient: ⌊⌊n/a⌋/b⌋ = ⌊n/(ab)⌋; the
 * remainder is zero only when both are), instead of the long division. */
static keel_u256 div_round(keel_u256 n, keel_u256 d, bool ceil)
{
    keel_u256 q, r;
    if (d.w[1] == 0x33b2e3cull && d.w[0] == 0x9fd0803ce8000000ull && (d.w[2] | d.w[3]) == 0) {
        keel_u256 r1, r2;
        u256_divmod(n, u256_small(1000000000ull), &q, &r1);
        u256_divmod(q, u256_small(WAD), &q, &r2);
        if (ceil && !(u256_is_zero(r1) && u256_is_zero(r2)))
            (void)u256_add(q, u256_small(1), &q);
        return q;
    }
    u256_divmod(n, d, &q, &r);
    if (ceil && !u256_is_zero(r))
        (void)u256_add(q, u256_small(1), &q); /* q < n here: cannot wrap */
    return q;
}

keel_status u256_mul_div(keel_u256 a, keel_u256 b, keel_u256 c, bool ceil, keel_u256 *out)
{
    keel_u256 p;
    if (u256_is_zero(c))
        return KEEL_E_OUT_OF_RANGE;
    if (u256_mul(a, b, &p))
        return KEEL_E_OVERFLOW;
    *out = div_round(p, c, ceil);
    return KEEL_OK;
}

keel_status u256_wadray(keel_wadray_op op, keel_u256 a, keel_u256 b, keel_u256 *out)
{
    const keel_u256 zero = {{0, 0, 0, 0}};
    keel_u256 unit, half = zero, n;
    bool divide = false, ceil = false;
    switch (op) {
    case KEEL_WAD_MUL: unit = u256_small(WAD); half = u256_small(WAD / 2); break;
    case KEEL_WAD_DIV: unit = u256_small(WAD); divide = true; break;
    case KEEL_RAY_MUL: unit = ray(); half = u256_div(unit, u256_small(2)); break;
    case KEEL_RAY_MUL_FLOOR: unit = ray(); break;
    case KEEL_RAY_MUL_CEIL: unit = ray(); ceil = true; break;
    case KEEL_RAY_DIV: unit = ray(); divide = true; break;
    case KEEL_RAY_DIV_FLOOR: unit = ray(); divide = true; break;
    case KEEL_RAY_DIV_CEIL: unit = ray(); divide = true; ceil = true; break;
    case KEEL_PERCENT_MUL: unit = u256_small(10000); half = u256_small(5000); break;
    case KEEL_PERCENT_MUL_FLOOR: unit = u256_small(10000); break;
    case KEEL_PERCENT_MUL_CEIL: unit = u256_small(10000); ceil = true; break;
    case KEEL_PERCENT_DIV: unit = u256_small(10000); divide = true; break;
    case KEEL_PERCENT_DIV_CEIL: unit = u256_small(10000); divide = true; ceil = true; break;
    default: return KEEL_E_OUT_OF_RANGE;
    }
    if (!divide) {
        KEEL_TRY(mul_add(a, b, half, &n));
        *out = div_round(n, unit, ceil);
        return KEEL_OK;
    }
    if (u256_is_zero(b))
        return KEEL_E_OUT_OF_RANGE;
    /* the half-up divisions add b/2 before dividing by b */
    if (op == KEEL_WAD_DIV || op == KEEL_RAY_DIV || op == KEEL_PERCENT_DIV)
        half = u256_div(b, u256_small(2));
    KEEL_TRY(mul_add(a, unit, half, &n));
    *out = div_round(n, b, ceil);
    return KEEL_OK;
}

/* ---- the public entry points ---- */

keel_u256 keel_u256_from_u64(uint64_t v) { return u256_small(v); }

keel_u256 keel_u256_max(void)
{
    keel_u256 m = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
    return m;
}

keel_status keel_u256_from_string(const char *text, keel_u256 *out)
{
    static const char fn[] = "keel_u256_from_string";
    KEEL_TRY(keel_check_ptr(text, fn, "text"));
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    unsigned base = 10;
    const char *p = text;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (*p == '\0')
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: text has no digits", fn);
    keel_u256 r = {{0, 0, 0, 0}};
    for (const char *c = p; *c != '\0'; c++) {
        unsigned d;
        if (*c >= '0' && *c <= '9')
            d = (unsigned)(*c - '0');
        else if (base == 16 && *c >= 'a' && *c <= 'f')
            d = (unsigned)(*c - 'a' + 10);
        else if (base == 16 && *c >= 'A' && *c <= 'F')
            d = (unsigned)(*c - 'A' + 10);
        else
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: character %zu of text (0x%02x) is not a %s digit", fn,
                             (size_t)(c - text), (unsigned)(unsigned char)*c,
                             base == 16 ? "hexadecimal" : "decimal");
        if (mul_add(r, u256_small(base), u256_small(d), &r) != KEEL_OK)
            return keel_fail(KEEL_E_OVERFLOW, "%s: the value reaches 2^256", fn);
    }
    *out = r;
    return KEEL_OK;
}

keel_status keel_u256_to_string(keel_u256 v, char *buf, size_t size)
{
    static const char fn[] = "keel_u256_to_string";
    KEEL_TRY(keel_check_ptr(buf, fn, "buf"));
    char digits[KEEL_U256_DECIMAL_MAX];
    size_t n = 0;
    const uint64_t chunk = 10000000000000000000ull; /* 10^19 */
    do {
        keel_u256 r;
        u256_divmod(v, u256_small(chunk), &v, &r);
        uint64_t part = r.w[0];
        for (int i = 0; i < 19; i++) {
            digits[n++] = (char)('0' + part % 10);
            part /= 10;
            if (part == 0 && u256_is_zero(v))
                break;
        }
    } while (!u256_is_zero(v));
    if (size < n + 1)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: %zu digits and a NUL need %zu bytes, buf has %zu",
                         fn, n, n + 1, size);
    for (size_t i = 0; i < n; i++)
        buf[i] = digits[n - 1 - i];
    buf[n] = '\0';
    return KEEL_OK;
}

double keel_u256_to_double(keel_u256 v) { return u256_to_double(v); }

int keel_u256_cmp(keel_u256 a, keel_u256 b) { return u256_cmp(a, b); }

keel_status keel_u256_add(keel_u256 a, keel_u256 b, keel_u256 *out)
{
    KEEL_TRY(keel_check_ptr(out, "keel_u256_add", "out"));
    keel_u256 r;
    if (u256_add(a, b, &r))
        return keel_fail(KEEL_E_OVERFLOW, "keel_u256_add: the sum reaches 2^256");
    *out = r;
    return KEEL_OK;
}

keel_status keel_u256_sub(keel_u256 a, keel_u256 b, keel_u256 *out)
{
    KEEL_TRY(keel_check_ptr(out, "keel_u256_sub", "out"));
    keel_u256 r;
    if (u256_sub(a, b, &r))
        return keel_fail(KEEL_E_OVERFLOW, "keel_u256_sub: b exceeds a (the difference is negative)");
    *out = r;
    return KEEL_OK;
}

keel_status keel_u256_mul(keel_u256 a, keel_u256 b, keel_u256 *out)
{
    KEEL_TRY(keel_check_ptr(out, "keel_u256_mul", "out"));
    keel_u256 r;
    if (u256_mul(a, b, &r))
        return keel_fail(KEEL_E_OVERFLOW, "keel_u256_mul: the product reaches 2^256");
    *out = r;
    return KEEL_OK;
}

keel_status keel_u256_divmod(keel_u256 a, keel_u256 b, keel_u256 *quotient, keel_u256 *remainder)
{
    if (quotient == NULL && remainder == NULL)
        return keel_fail(KEEL_E_NULL_ARG, "keel_u256_divmod: quotient and remainder are both NULL");
    if (u256_is_zero(b))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "keel_u256_divmod: division by zero");
    u256_divmod(a, b, quotient, remainder);
    return KEEL_OK;
}

static const char *const wadray_names[] = {
    "wadMul",      "wadDiv",          "rayMul",         "rayMulFloor",    "rayMulCeil",
    "rayDiv",      "rayDivFloor",     "rayDivCeil",     "percentMul",     "percentMulFloor",
    "percentMulCeil", "percentDiv",   "percentDivCeil"};

keel_status keel_wadray(keel_wadray_op op, keel_u256 a, keel_u256 b, keel_u256 *out)
{
    static const char fn[] = "keel_wadray";
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    if ((unsigned)op > (unsigned)KEEL_PERCENT_DIV_CEIL)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: op %d is not a keel_wadray_op (0..12)", fn,
                         (int)op);
    keel_u256 r;
    keel_status s = u256_wadray(op, a, b, &r);
    if (s == KEEL_E_OVERFLOW)
        return keel_fail(s, "%s: %s overflows 256 bits (the Solidity reverts)", fn,
                         wadray_names[op]);
    if (s != KEEL_OK)
        return keel_fail(s, "%s: %s divides by zero (the Solidity reverts)", fn, wadray_names[op]);
    *out = r;
    return KEEL_OK;
}

keel_status keel_mul_div_ceil(keel_u256 a, keel_u256 b, keel_u256 c, keel_u256 *out)
{
    static const char fn[] = "keel_mul_div_ceil";
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    keel_u256 r;
    keel_status s = u256_mul_div(a, b, c, true, &r);
    if (s == KEEL_E_OVERFLOW)
        return keel_fail(s, "%s: a * b overflows 256 bits (the Solidity reverts)", fn);
    if (s != KEEL_OK)
        return keel_fail(s, "%s: c is 0 (the Solidity reverts)", fn);
    *out = r;
    return KEEL_OK;
}
