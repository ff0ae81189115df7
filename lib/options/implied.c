/* Implied volatility of European options: the normalised Black equation
 *
 *     b(x, s) = e^(x/2) N(x/s + s/2) - e^(-x/2) N(x/s - s/2),
 *     x = ln(F/K), s = sigma sqrt(T), price = DF sqrt(F K) b   (call)
 *
 * solved for s on the out-of-the-money side (x <= 0). The normalisation,
 * b' = exp(-(h^2 + t^2)/2) / sqrt(2 pi) with h = x/s, t = s/2, the ratios
 * b''/b' = h^2/s - s/4 and b'''/b' = (b''/b')^2 - 3 h^2/s^2 - 1/4, and the
 * inflection point s_c = sqrt(2|x|) follow P. Jaeckel, "Let's Be Rational",
 * Wilmott (2015) 40-53, sections 2-3. */
#include <math.h>

#include "core/core_internal.h"
#include "black.h"
#include "keel/options.h"
#include "math/kmath.h"

#define INV_SQRT_2PI 0.39894228040143267794
#define DBL_EPS 2.220446049250313e-16

/* Solves b(x, s) = beta for x <= 0, 0 < beta < e^(x/2). Returns the number
 * of iterations, or -1 when the iteration limit is hit. */
static int solve_normalised(double x, double beta, double *out_s)
{
    double bmax = exp(0.5 * x);
    double sc = sqrt(2.0 * fabs(x));
    double bc = sc > 0.0 ? keel_black_otm(x, sc) : 0.0;
    bool lower = beta < bc; /* below the inflection point: solve on ln b */

    /* bracket [lo, hi] with b(lo) < beta < b(hi) */
    double lo = 0.0, hi = sc > 1.0 ? sc : 1.0;
    while (keel_black_otm(x, hi) < beta) {
        lo = hi;
        hi *= 2.0;
        if (hi > 4096.0)
            return -1;
    }
    if (sc > 0.0) {
        if (lower)
            hi = fmin(hi, sc);
        else
            lo = fmax(lo, sc);
    }

    /* initial guesses: the leading asymptotics of each branch */
    double s;
    if (lower) {
        double g = fabs(x) / sqrt(-2.0 * log(beta / bmax));
        s = (g > lo && g < hi) ? g : 0.5 * (lo + hi);
    } else {
        double g = -2.0 * keel_norm_quantile(0.5 * (bmax - beta) / bmax);
        s = (g > lo && g < hi) ? g : 0.5 * (lo + hi);
    }

    for (int iter = 1; iter <= 64; iter++) {
        double b = keel_black_otm(x, s);
        if (b == beta) {
            *out_s = s;
            return iter;
        }
        if (b < beta)
            lo = s;
        else
            hi = s;
        double bp = keel_black_vega(x, s);
        double h = x / s;
        double r2 = h * h / s - 0.25 * s;                 /* b''/b' */
        double r3 = r2 * r2 - 3.0 * h * h / (s * s) - 0.25; /* b'''/b' */
        double f, f1, g2, g3;                             /* f, f', f''/f', f'''/f' */
        if (lower && b > 0.0) {
            double lam = bp / b;
            f = log(b) - log(beta);
            f1 = lam;
            g2 = r2 - lam;
            g3 = r3 - 3.0 * lam * r2 + 2.0 * lam * lam;
        } else {
            f = b - beta;
            f1 = bp;
            g2 = r2;
            g3 = r3;
        }
        double step;
        if (f1 > 0.0 && isfinite(f)) {
            double nu = -f / f1;
            double den = 1.0 + nu * (g2 + g3 * nu / 6.0);
            step = nu * (1.0 + 0.5 * g2 * nu) / den;
            if (!isfinite(step) || den <= 0.0)
                step = nu;
        } else {
            step = NAN;
        }
        double next = s + step;
        if (!(next > lo && next < hi))
            next = lo > 0.0 ? sqrt(lo * hi) : 0.5 * hi; /* bisect (geometrically) */
        if (fabs(next - s) <= 4.0 * DBL_EPS * s || hi - lo <= 4.0 * DBL_EPS * hi) {
            *out_s = next;
            return iter;
        }
        s = next;
    }
    return -1;
}

/* ln(S / K) without overflow or underflow of the ratio. */
static double log_ratio(double s, double k)
{
    double ratio = s / k;
    return (ratio > 0.0 && ratio < INFINITY) ? log(ratio) : log(s) - log(k);
}

/* The common path, for an option worth `price` with discounted forward sd,
 * discounted strike kd and x = ln(F/K) computed exactly as the pricing
 * kernel computes them (bs.c), so that a price from keel_black_scholes()
 * is inverted without a rounding difference in the forward. */
static keel_status implied(keel_option_type type, double price, double x, double sd, double kd,
                           double T, double *out_vol, const char *fn)
{
    double root = sqrt(sd) * sqrt(kd); /* DF sqrt(F K) */
    double beta = price / root;
    double p = price;
    double theta = type == KEEL_CALL ? 1.0 : -1.0;
    double intrinsic = fmax(theta * (exp(0.5 * x) - exp(-0.5 * x)), 0.0);
    double otm = beta - intrinsic;
    double xo = -fabs(x);
    double bmax = exp(0.5 * xo);
    /* allow the rounding of a price computed at vol 0 */
    if (otm < -8.0 * DBL_EPS * fmax(beta, 1e-300))
        return keel_fail(KEEL_E_ARBITRAGE,
                         "%s: price %g is below the intrinsic value %g (no volatility gives it)",
                         fn, p, intrinsic * root);
    if (!(otm < bmax))
        return keel_fail(KEEL_E_ARBITRAGE, "%s: price %g is at or above its upper bound %g", fn,
                         p, (intrinsic + bmax) * root);
    if (otm <= 0.0) {
        *out_vol = 0.0;
        return KEEL_OK;
    }
    double s;
    if (solve_normalised(xo, otm, &s) < 0)
        return keel_fail(KEEL_E_NO_CONVERGENCE, "%s: no convergence for price %g", fn, p);
    double vol = s / sqrt(T);
    if (!isfinite(vol))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the volatility overflows", fn);
    *out_vol = vol;
    return KEEL_OK;
}

static keel_status check_common(keel_option_type type, double price, double k, double t,
                                double r, double *out, const char *fn)
{
    if (type != KEEL_CALL && type != KEEL_PUT)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: option type must be KEEL_CALL or KEEL_PUT, got %d",
                         fn, (int)type);
    KEEL_TRY(keel_check_nonneg(price, fn, "price"));
    KEEL_TRY(keel_check_positive(k, fn, "strike"));
    KEEL_TRY(keel_check_positive(t, fn, "expiry"));
    KEEL_TRY(keel_check_finite(r, fn, "rate"));
    KEEL_TRY(keel_check_ptr(out, fn, "out_vol"));
    return KEEL_OK;
}

keel_status keel_implied_volatility(keel_option_type type, double price, double spot,
                                    double strike, double expiry, double rate, double dividend,
                                    double *out_vol)
{
    KEEL_TRY(check_common(type, price, strike, expiry, rate, out_vol, __func__));
    KEEL_TRY(keel_check_positive(spot, __func__, "spot"));
    KEEL_TRY(keel_check_finite(dividend, __func__, "dividend"));
    double sd = spot * exp(-dividend * expiry), kd = strike * exp(-rate * expiry);
    double x = log_ratio(spot, strike) + (rate - dividend) * expiry;
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY && isfinite(x)))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the discounted forward or strike is beyond double range", __func__);
    return implied(type, price, x, sd, kd, expiry, out_vol, __func__);
}

keel_status keel_implied_volatility_black76(keel_option_type type, double price, double forward,
                                            double strike, double expiry, double rate,
                                            double *out_vol)
{
    KEEL_TRY(check_common(type, price, strike, expiry, rate, out_vol, __func__));
    KEEL_TRY(keel_check_positive(forward, __func__, "forward"));
    double df = exp(-rate * expiry);
    double sd = forward * df, kd = strike * df;
    double x = log_ratio(forward, strike);
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the discounted forward or strike is beyond double range",
                         __func__);
    return implied(type, price, x, sd, kd, expiry, out_vol, __func__);
}
