/* Black-Scholes-Merton and Black-76 values and greeks. Formulas: Haug, "The
 * Complete Guide to Option Pricing Formulas", 2nd ed., sections 1.1 and 2.1
 * (generalized BSM with cost of carry b = r - q); the second-order greeks
 * vanna, volga and charm as in Haug section 2.2-2.3. Derivation notes and the
 * edge conventions: docs/options.md. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "black.h"
#include "bs.h"
#include "core/core_internal.h"
#include "keel/options.h"
#include "math/kmath.h"

#define INV_SQRT_2 0.70710678118654752440

/* Standard normal CDF from erfc: accurate relative to its value in the far
 * lower tail, where 1 - erf would cancel. */
static inline double ncdf(double x)
{
    return 0.5 * erfc(-x * INV_SQRT_2);
}

static inline double npdf(double x)
{
    return KEEL_INV_SQRT_2PI * exp(-0.5 * x * x);
}

/* N(x) and N(-x) from one erfc: the smaller from erfc (full relative
 * precision in the tail), the other as 1 minus it (near 1, nothing lost). */
static inline void ncdf_pair(double x, double *n, double *m)
{
    if (x < 0.0) {
        *n = ncdf(x);
        *m = 1.0 - *n;
    } else {
        *m = ncdf(-x);
        *n = 1.0 - *m;
    }
}

typedef keel_greeks_v greeks_v;

/* ---- products that neither overflow nor underflow on the way ----
 *
 * Near the degenerate limits (sigma sqrt(T) or T tiny, or phi(d1) below the
 * double range) a greek is phi(d1) times factors such as 1/(sigma sqrt T)
 * or 1/T that are themselves huge: the naive product loses its digits in a
 * subnormal intermediate, gives 0 where the answer is representable, or
 * 0 x inf = NaN. There the product is kept as a mantissa in [1/2, 1) and a
 * binary exponent (frexp and ldexp are exact), and rounded once at the end:
 * the result is +-0 or +-inf only when the true value is beyond the double
 * range. */
typedef struct xprod {
    double m;
    int e;
} xprod;

static inline xprod xp_norm(double m, int e)
{
    int k;
    xprod p;
    p.m = frexp(m, &k);
    p.e = e + k;
    return p;
}

static inline xprod xp_mul(xprod p, double f)
{
    int k;
    double m = frexp(f, &k);
    return xp_norm(p.m * m, p.e + k);
}

static inline xprod xp_div(xprod p, double f)
{
    int k;
    double m = frexp(f, &k);
    return xp_norm(p.m / m, p.e - k);
}

static inline double xp_value(xprod p)
{
    /* ldexp rounds once, to a subnormal, 0 or inf when it must */
    return p.m == 0.0 ? 0.0 : ldexp(p.m, p.e);
}

/* phi(d) = exp(-d^2/2) / sqrt(2 pi) as an xprod, exp split as
 * 2^-k exp(-rem) with ln 2 in two parts (Cody and Waite; the split of
 * fdlibm's e_exp.c, whose high part has 21 trailing zero bits so that k ln2_hi
 * is exact). Beyond d^2/2 = 20000 every greek below is 0 in doubles (its
 * other factors lie within 2^+-1100 each, at most six of them). */
static inline xprod xp_npdf(double d)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    double a = 0.5 * d * d;
    if (!(a < 20000.0))
        return (xprod){ 0.0, 0 };
    int k = (int)(a * 1.44269504088896338700); /* floor: a >= 0 */
    double rem = (a - k * ln2_hi) - k * ln2_lo;
    return xp_norm(KEEL_INV_SQRT_2PI * exp(-rem), -k);
}

/* The greeks made of phi(d1) (gamma, vega, vanna, volga, the decay part of
 * theta and the common part of charm) as exact-exponent products, for
 * sigma sqrt(T) or T below 1e-100, or phi(d1) below 1e-200, from
 * h = x / s computed without the rounding of a subnormal s. Where s
 * enters beside h it is written out as sigma sqrt(T), so that a subnormal
 * s is never rounded: d2 / sigma = h / sigma - sqrt(T) / 2,
 * d1 d2 / sigma = h^2 / sigma - sigma T / 4, and in charm
 * 2 (r - q) T - d2 s = c + s^2 / 2 with c = (r - q) T - ln(S/K) (as
 * d2 s = x - s^2/2), so that its common part is
 * -e^(-qT) phi(d1) (c / (2 T s) + sigma / (4 sqrt T)): sums of two
 * products. */
static void phi_terms_scaled(double S, double T, double vol, double dq, double sd, double sqt,
                             double h, double d1, double c, greeks_v *g, double *decay,
                             double *charm_common)
{
    xprod p = xp_npdf(d1);
    if (p.m == 0.0) {
        g->gamma = g->vega = g->vanna = g->volga = 0.0;
        *decay = *charm_common = 0.0;
        return;
    }
    xprod pq = xp_mul(p, dq), ps = xp_mul(p, sd);
    g->gamma = xp_value(xp_div(xp_div(xp_div(pq, S), vol), sqt));
    g->vega = xp_value(xp_mul(ps, sqt));
    g->vanna = -xp_value(xp_div(xp_mul(pq, h), vol)) + xp_value(xp_mul(pq, 0.5 * sqt));
    xprod pst = xp_mul(ps, sqt);
    g->volga = xp_value(xp_div(xp_mul(xp_mul(pst, h), h), vol)) -
               xp_value(xp_mul(xp_mul(xp_mul(pst, vol), T), 0.25));
    *decay = -xp_value(xp_div(xp_mul(ps, vol), 2.0 * sqt));
    *charm_common = -(xp_value(xp_div(xp_div(xp_div(xp_mul(pq, c), 2.0 * T), vol), sqt)) +
                      xp_value(xp_div(xp_mul(pq, vol), 4.0 * sqt)));
}

static inline unsigned bsm(int is_put, double S, double K, double T, double r, double q,
                           double vol, greeks_v *g);

/* The carry part of theta, q sd A - r kd B (a call: A = N(d1), B = N(d2);
 * a put: A = N(-d1), B = N(-d2), and theta = decay - this), given
 * W = sd A - kd B as the kernel's accurate value (the call's, or minus the
 * put's). Three equal forms:
 *
 *     q sd A - r kd B  =  q W + (q - r) kd B  =  r W + (q - r) sd A,
 *
 * and the one whose terms are smallest is taken, so that the rounding is
 * a few eps of those terms. Near the money at small sigma sqrt(T), W is
 * far smaller than sd A and kd B, and with q near r (Black-76: q = r
 * exactly, where theta = decay + r V) the first form cancelled: Black-76's
 * put at F 100, K 99.9999999999999, T 1, r 5%, vol 2e-15 had theta
 * -3.153e-14 for -3.164e-14, and elsewhere the wrong sign. Deep in the
 * money with S >> K (or K >> S) the first form is the one with no
 * cancellation. */
static inline double carry_part(double q, double r, double sd, double kd, double a, double b,
                                double w)
{
    double qr = q - r;
    double f1 = fabs(q * sd * a) + fabs(r * kd * b);
    double f2 = fabs(q * w) + fabs(qr * kd * b);
    double f3 = fabs(r * w) + fabs(qr * sd * a);
    if (f2 <= f1 && f2 <= f3)
        return q * w + qr * kd * b;
    if (f3 <= f1)
        return r * w + qr * sd * a;
    return q * sd * a - r * kd * b;
}

unsigned keel_bsm(int is_put, double S, double K, double T, double r, double q, double vol,
                  keel_greeks_v *g)
{
    return bsm(is_put, S, K, T, r, q, vol, g);
}

bool keel_greeks_v_finite(const keel_greeks_v *g)
{
    const double *v = &g->value;
    for (int i = 0; i < 10; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

/* The kernel, for valid inputs. Returns the members set to an infinite
 * limit (KEEL_GV_* bits), 0 almost always. */
static inline unsigned bsm(int is_put, double S, double K, double T, double r, double q,
                           double vol, greeks_v *g)
{
    double dq = exp(-q * T), dr = exp(-r * T);
    double sd = S * dq, kd = K * dr; /* discounted forward and strike */
    double sqt = sqrt(T), sst = vol * sqt;
    double carry = (r - q) * T;
    double x = keel_forward_log_moneyness(S, K, r, q, T, carry); /* as implied.c takes it */
    /* in the money: the kernel adds the intrinsic value S e^(-qT) -
     * K e^(-rT) by parity (formed accurately near the money, black.h; only
     * where it is needed, as it costs an expm1) */
    bool itm = is_put ? x <= 0.0 : x > 0.0;
    if (vol > 0.0 && T > 0.0) {
        /* the plain formulas while every factor is well inside the double
         * range; below, h = x/s without the rounding of a subnormal s */
        bool plain = sst >= 1e-100 && T >= 1e-100;
        /* at S = K, x is the carry (r - q) T alone, which underflows to 0
         * at a tiny T while h = (r - q) sqrt(T) / sigma need not be small
         * (T 5e-324, sigma 1e-310: |h| ~ 1e146): formed without T */
        double h = plain ? x / sst : (S == K ? ((r - q) * sqt) / vol : (x / sqt) / vol);
        double d1 = h + 0.5 * sst;
        double d2 = d1 - sst;
        double pd1 = npdf(d1);
        plain = plain && pd1 >= 1e-200;
        double n1, m1, n2, m2;
        ncdf_pair(d1, &n1, &m1);
        ncdf_pair(d2, &n2, &m2);
        /* price the out-of-the-money side directly, the other by parity
         * (a sum of positive terms); deep out of the money the two terms
         * of the formula agree to many digits (and near the money when
         * sigma sqrt(T) is small), so the normalised Black function takes
         * over there (black.c) */
        double otm; /* the call for x <= 0, the put for x > 0 */
        if (sst >= DBL_MIN) {
            bool deep = fabs(x) >= 8.0 * sst || sst < 0.02;
            if (deep)
                otm = sqrt(sd) * sqrt(kd) * keel_black_otm(-fabs(x), sst);
            else
                otm = x <= 0.0 ? sd * n1 - kd * n2 : kd * m2 - sd * m1;
        } else {
            /* s below the normal range (sigma or T tiny): to first order
             * in s at fixed h, b(x, s) = s (phi(h) + h N(h)) for x <= 0
             * (expand e^(+-x/2) N(h +- s/2)); the next terms are smaller
             * by a factor of order s < 2^-1022 */
            double ho = -fabs(h);
            otm = 0.0;
            if (ho > -40.0) {
                xprod t = xp_mul(xp_mul(xp_norm(sqrt(sd) * sqrt(kd), 0), vol), sqt);
                otm = xp_value(xp_mul(t, npdf(ho) + ho * ncdf(ho)));
            }
        }
        /* the other side by parity: the put for x <= 0 is the call less
         * the (negative) intrinsic value, a sum of positive terms */
        double value = otm;
        if (itm) {
            double gap = keel_forward_gap(S, K, dq, sd, kd, carry, x);
            value = is_put ? otm - gap : otm + gap;
        }
        double decay, charm_common;
        if (plain) {
            double vega = sd * pd1 * sqt;
            decay = -sd * pd1 * vol / (2.0 * sqt);
            /* 2 (r - q) T - d2 s = c + s^2 / 2 with c = (r - q) T - ln(S/K),
             * which cancels where the spot is near K e^((r-q)T): c as
             * keel_forward_log_moneyness() forms x, with q and r swapped */
            double c = -keel_forward_log_moneyness(S, K, q, r, T, -carry);
            charm_common = -dq * pd1 * (c + 0.5 * sst * sst) / (2.0 * T * sst);
            g->gamma = dq * pd1 / (S * sst);
            g->vega = vega;
            g->vanna = -dq * pd1 * d2 / vol;
            g->volga = vega * d1 * d2 / vol;
        } else {
            double c = -keel_forward_log_moneyness(S, K, q, r, T, -carry);
            phi_terms_scaled(S, T, vol, dq, sd, sqt, h, d1, c, g, &decay, &charm_common);
        }
        g->value = value;
        if (is_put) {
            g->delta = -dq * m1;
            g->theta = decay - carry_part(q, r, sd, kd, m1, m2, -value);
            g->rho = -T * kd * m2;
            g->dividend_rho = T * sd * m1;
            g->charm = -q * dq * m1 + charm_common;
        } else {
            g->delta = dq * n1;
            g->theta = decay + carry_part(q, r, sd, kd, n1, n2, value);
            g->rho = T * kd * n2;
            g->dividend_rho = -T * sd * n1;
            g->charm = q * dq * n1 + charm_common;
        }
        return 0;
    }
    /* No uncertainty left: the limits, as sigma -> 0 at the given T when
     * vol = 0 and as T -> 0 at the given sigma when T = 0 (derivations in
     * docs/options.md). w is the call's exercise weight on the side of the
     * strike the forward is on, as the kernel prices by the sign of x, 1/2
     * exactly at the forward; at T = 0 with vol = 0 and S = K the forward
     * S e^((r-q)T) leaves the strike towards the sign of r - q as T -> 0.
     * Off the strike every term made of phi(d1) vanishes (like
     * exp(-x^2 / (2 s^2)) against powers of 1/s and 1/T): the discounted
     * intrinsic value, delta the step, theta, rho and dividend rho of the
     * discounted intrinsic value, and charm the time decay of the step,
     * -d(w e^(-qT))/dT = w q e^(-qT). */
    /* x = 0 at S = K is the carry (r - q) T, whose sign is r - q's for
     * T > 0 even where the product underflows (T 5e-324), and by the
     * convention above at T = 0 with vol = 0 */
    double side = (x == 0.0 && S == K && (T > 0.0 || vol == 0.0)) ? r - q : x;
    double w = side > 0.0 ? 1.0 : (side == 0.0 ? 0.5 : 0.0);
    if (is_put)
        w -= 1.0;
    /* w gap: gap has the sign of x (black.h), so this is the discounted
     * intrinsic value, 0 on the other side */
    double gap = w != 0.0 ? keel_forward_gap(S, K, dq, sd, kd, carry, x) : 0.0;
    g->value = is_put ? fmax(-gap, 0.0) : fmax(gap, 0.0);
    g->delta = w * dq;
    g->gamma = g->vega = g->vanna = g->volga = 0.0;
    g->theta = carry_part(q, r, sd, kd, w, w, w * gap);
    g->rho = w * T * kd;
    g->dividend_rho = -w * T * sd;
    g->charm = w * q * dq;
    if (side != 0.0)
        return 0;
    /* At the forward: gamma = e^(-qT) phi(d1) / (S s) grows like 1/s. With
     * vol = 0 (the limit sigma -> 0 at fixed T, d1 = -d2 = s/2, and at
     * T = 0 then r = q): vega is
     * S e^(-qT) sqrt(T) phi(0), vanna -e^(-qT) phi(d1) d2 / sigma tends to
     * e^(-qT) sqrt(T) phi(0) / 2, and charm's common part
     * -e^(-qT) phi(d1) ((r-q)/s + s/(4T)) to -sign(r-q) inf. With T = 0
     * (S = K, the limit T -> 0 at fixed sigma > 0): vega, vanna and volga
     * tend to 0, theta's decay -S e^(-qT) phi(d1) sigma / (2 sqrt T) to
     * -inf, and charm's common part -phi(d1) (r - q + sigma^2/2) /
     * (2 sigma sqrt T) to -sign(r - q + sigma^2/2) inf. A zero sign leaves
     * charm w q e^(-qT). */
    unsigned limits = KEEL_GV_GAMMA;
    g->gamma = INFINITY;
    double c;
    if (vol == 0.0) {
        g->vega = sd * sqt * KEEL_INV_SQRT_2PI;
        g->vanna = 0.5 * dq * sqt * KEEL_INV_SQRT_2PI;
        c = r - q;
    } else {
        g->theta = -INFINITY;
        limits |= KEEL_GV_THETA;
        c = (r - q) + 0.5 * vol * vol;
    }
    if (c != 0.0) {
        g->charm = c > 0.0 ? -INFINITY : INFINITY;
        limits |= KEEL_GV_CHARM;
    }
    return limits;
}

static keel_status check_type(keel_option_type type, const char *fn)
{
    if (type != KEEL_CALL && type != KEEL_PUT)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: option type must be KEEL_CALL or KEEL_PUT, got %d",
                         fn, (int)type);
    return KEEL_OK;
}

keel_status keel_bs_check_inputs(keel_option_type type, double s, double k, double t, double r,
                                 double q, double vol, const char *fn, const char *s_name)
{
    KEEL_TRY(check_type(type, fn));
    KEEL_TRY(keel_check_positive(s, fn, s_name));
    KEEL_TRY(keel_check_positive(k, fn, "strike"));
    KEEL_TRY(keel_check_nonneg(t, fn, "expiry"));
    KEEL_TRY(keel_check_finite(r, fn, "rate"));
    KEEL_TRY(keel_check_finite(q, fn, "dividend"));
    KEEL_TRY(keel_check_nonneg(vol, fn, "vol"));
    return KEEL_OK;
}

/* Refuses a value or greek beyond double range, an infinite limit among
 * them (`limits`, named in the detail). */
static keel_status finish(const greeks_v *g, unsigned limits, keel_greeks *out, const char *fn)
{
    if (limits) {
        bool theta = limits & KEEL_GV_THETA, charm = limits & KEEL_GV_CHARM;
        const char *which = theta && charm ? "limits of gamma, theta and charm are"
                            : theta        ? "limits of gamma and theta are"
                            : charm        ? "limits of gamma and charm are"
                                           : "limit of gamma is";
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: at the strike with no volatility or time left, the %s infinite", fn,
                         which);
    }
    if (!keel_greeks_v_finite(g))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the value or a greek is beyond double range", fn);
    keel_greeks full = KEEL_GREEKS_INIT;
    memcpy(&full.value, g, sizeof *g);
    keel_write_sized(out, &full, sizeof full);
    return KEEL_OK;
}

static keel_status check_out(const keel_greeks *out, const char *fn)
{
    return keel_check_sized(out, fn, "out", "keel_greeks");
}

bool keel_bsm_representable(int is_put, double S, double K, double T, double r, double q,
                            double vol, bool black76)
{
    greeks_v g;
    unsigned limits = bsm(is_put, S, K, T, r, q, vol, &g);
    if (black76) {
        g.rho = -T * g.value;
        g.dividend_rho = 0.0;
    }
    return limits == 0 && keel_greeks_v_finite(&g);
}

keel_status keel_black_scholes(keel_option_type type, double spot, double strike, double expiry,
                               double rate, double dividend, double vol, keel_greeks *out)
{
    KEEL_TRY(keel_bs_check_inputs(type, spot, strike, expiry, rate, dividend, vol, __func__, "spot"));
    KEEL_TRY(check_out(out, __func__));
    greeks_v g;
    unsigned limits = bsm(type == KEEL_PUT, spot, strike, expiry, rate, dividend, vol, &g);
    return finish(&g, limits, out, __func__);
}

keel_status keel_black76(keel_option_type type, double forward, double strike, double expiry,
                         double rate, double vol, keel_greeks *out)
{
    KEEL_TRY(keel_bs_check_inputs(type, forward, strike, expiry, rate, 0.0, vol, __func__, "forward"));
    KEEL_TRY(check_out(out, __func__));
    greeks_v g;
    /* BSM on the forward with q = r (carry 0); holding F fixed, dV/dr is the
     * discounting alone, rho = -T V exactly (Haug 1.1.2), taken as that
     * product: the sum of BSM's rho and dividend rho cancels deep out of
     * the money at small sigma sqrt(T), where both are far larger than it. */
    unsigned limits = bsm(type == KEEL_PUT, forward, strike, expiry, rate, rate, vol, &g);
    g.rho = -expiry * g.value;
    g.dividend_rho = 0.0;
    return finish(&g, limits, out, __func__);
}
