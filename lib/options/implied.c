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
#include "bs.h"
#include "keel/options.h"
#include "math/kmath.h"

#define INV_SQRT_2PI 0.39894228040143267794
#define DBL_EPS 2.220446049250313e-16

/* Solves b(x, s) = beta for x <= 0, 0 < beta < e^(x/2), where cbar =
 * e^(x/2) - beta > 0 is given as computed from the price (not as the
 * difference, which has lost its digits when the price is near its upper
 * bound). Returns the number of iterations, or -1 when the iteration limit
 * is hit.
 *
 * Three objectives: ln b - ln beta below the inflection point, b - beta
 * above it, and, where the price lies within 1% of its upper bound,
 * ln c - ln cbar on the complement c = e^(x/2) - b (black.h), a sum of
 * positive terms that keeps its relative precision up to the bound. The
 * derivative ratios of ln c are those of ln b with lambda = c'/c = -b'/c in
 * place of b'/b: f''/f' = b''/b' - lambda and f'''/f' = b'''/b' -
 * 3 lambda b''/b' + 2 lambda^2 (the chain rule, as for ln b). */
static int solve_normalised(double x, double beta, double cbar, double *out_s)
{
    double bmax = exp(0.5 * x);
    double sc = sqrt(2.0 * fabs(x));
    double bc = sc > 0.0 ? keel_black_otm(x, sc) : 0.0;
    bool lower = beta < bc; /* below the inflection point: solve on ln b */
    bool upper = !lower && cbar < 0.01 * bmax; /* near the bound: solve on ln c */

    /* bracket [lo, hi] with b(lo) <= beta < b(hi). b(x, s) <= b(0, s) =
     * erf(s / (2 sqrt 2)) <= s / sqrt(2 pi) for x <= 0 (erf is concave on
     * [0, inf)), so s >= s0 = sqrt(2 pi) beta: a positive lower bound (the
     * bisection below is geometric), and for a tiny s near the money
     * (|x| << s) the answer to first order. */
    double s0 = 2.50662827463100050242 * beta;
    double hi = sc > 1.0 ? sc : 1.0;
    double lo = s0 < hi ? s0 : 0.0;
    while (upper ? keel_black_complement(x, hi) > cbar : keel_black_otm(x, hi) < beta) {
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
        /* deep out of the money b ~ e^(-h^2/2) (times a factor below 1,
         * so this is low too): the larger of the two lower estimates */
        double g = fmax(fabs(x) / sqrt(-2.0 * log(beta / bmax)), s0);
        s = (g > lo && g < hi) ? g : (lo > 0.0 ? sqrt(lo) * sqrt(hi) : 0.5 * (lo + hi));
    } else {
        double g = -2.0 * keel_norm_quantile(0.5 * cbar / bmax);
        s = (g > lo && g < hi) ? g : 0.5 * (lo + hi);
    }

    double target = upper ? cbar : beta;
    for (int iter = 1; iter <= 100; iter++) {
        /* b, or the complement c when upper */
        double b = upper ? keel_black_complement(x, s) : keel_black_otm(x, s);
        if (b == target) {
            *out_s = s;
            return iter;
        }
        if ((b < target) != upper) /* b below beta, or c above cbar */
            lo = s;
        else
            hi = s;
        double bp = keel_black_vega(x, s);
        double h = x / s;
        double r2 = h * h / s - 0.25 * s;                 /* b''/b' */
        double r3 = r2 * r2 - 3.0 * h * h / (s * s) - 0.25; /* b'''/b' */
        double f, f1, g2, g3;                             /* f, f', f''/f', f'''/f' */
        if ((lower || upper) && b > 0.0) {
            double lam = upper ? -bp / b : bp / b;
            f = log(b) - log(target);
            f1 = lam;
            g2 = r2 - lam;
            g3 = r3 - 3.0 * lam * r2 + 2.0 * lam * lam;
        } else {
            f = b - target;
            f1 = upper ? -bp : bp;
            g2 = r2;
            g3 = r3;
        }
        /* b (or c) 0 in a log branch: it underflowed, far from the
         * answer in log terms, where a step on b itself would creep; bisect */
        bool underflow = (lower || upper) && !(b > 0.0);
        double step;
        if (!underflow && f1 != 0.0 && isfinite(f1) && isfinite(f)) {
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
            next = lo > 0.0 ? sqrt(lo) * sqrt(hi) : 0.5 * hi; /* bisect (geometrically) */
        if (fabs(next - s) <= 4.0 * DBL_EPS * s || hi - lo <= 4.0 * DBL_EPS * hi) {
            *out_s = next;
            return iter;
        }
        s = next;
    }
    return -1;
}

/* The model behind a price, to evaluate keel's kernel at the answer. */
typedef struct model {
    double s, k, r, q; /* Black-76: s is the forward and q = r */
    bool black76;
} model;

/* The common path, for an option worth `price` with discounted forward sd,
 * discounted strike kd and x = ln(F/K) computed exactly as the pricing
 * kernel computes them (bs.c), so that a price from keel_black_scholes()
 * is inverted without a rounding difference in the forward.
 *
 * The out-of-the-money option's value is the price less the intrinsic
 * value, subtracted in absolute terms on the side of the strike where the
 * kernel adds it (bs.c prices the call directly for x <= 0 and the put for
 * x > 0, the other by parity): the rounding of sd - kd is about
 * eps (sd + kd) whatever the time value, so a price within 8 eps (sd + kd)
 * of a bound is taken as at the bound. */
static keel_status implied(keel_option_type type, double price, double x, double sd, double kd,
                           double T, const model *m, double *out_vol, const char *fn)
{
    double root = sqrt(sd) * sqrt(kd); /* DF sqrt(F K) */
    double p = price;
    bool call = type == KEEL_CALL;
    bool itm = call ? x > 0.0 : x <= 0.0; /* priced by parity in the kernel */
    double intrinsic = itm ? (call ? sd - kd : kd - sd) : 0.0;
    double otm = price - intrinsic;
    double upper = x > 0.0 ? kd : sd; /* the out-of-the-money option's bound */
    double tol = 8.0 * DBL_EPS * (sd + kd);
    if (otm < -tol)
        return keel_fail(KEEL_E_ARBITRAGE,
                         "%s: price %g is below the intrinsic value %g (no volatility gives it)",
                         fn, p, intrinsic);
    double cmp = upper - otm;
    if (cmp < -tol)
        return keel_fail(KEEL_E_ARBITRAGE, "%s: price %g is above its upper bound %g", fn, p,
                         upper + intrinsic);
    if (otm <= 0.0) {
        *out_vol = 0.0;
        return KEEL_OK;
    }
    double xo = -fabs(x);
    double bmax = exp(0.5 * xo);
    /* at the upper bound (to rounding): the volatility at which the
     * normalised price is eps/4 of the bound below it, so that the price
     * rounds to the bound */
    double beta = otm / root, cbar = cmp / root;
    if (!(cbar > 0.0)) {
        cbar = 0.25 * DBL_EPS * bmax;
        beta = bmax - cbar;
    }
    double s;
    if (solve_normalised(xo, beta, cbar, &s) < 0)
        return keel_fail(KEEL_E_NO_CONVERGENCE, "%s: no convergence for price %g", fn, p);
    double vol = s / sqrt(T);
    if (!isfinite(vol))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the volatility overflows", fn);
    /* an answer keel_black_scholes() / keel_black76() accept */
    if (!keel_bsm_representable(!call, m->s, m->k, T, m->r, m->q, vol, m->black76))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: at the implied volatility %g a greek is beyond double range", fn,
                         vol);
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
    double x = keel_log_ratio(spot, strike) + (rate - dividend) * expiry;
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY && isfinite(x)))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the discounted forward or strike is beyond double range", __func__);
    model m = { spot, strike, rate, dividend, false };
    return implied(type, price, x, sd, kd, expiry, &m, out_vol, __func__);
}

keel_status keel_implied_volatility_black76(keel_option_type type, double price, double forward,
                                            double strike, double expiry, double rate,
                                            double *out_vol)
{
    KEEL_TRY(check_common(type, price, strike, expiry, rate, out_vol, __func__));
    KEEL_TRY(keel_check_positive(forward, __func__, "forward"));
    double df = exp(-rate * expiry);
    double sd = forward * df, kd = strike * df;
    double x = keel_log_ratio(forward, strike);
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the discounted forward or strike is beyond double range",
                         __func__);
    model m = { forward, strike, rate, rate, true };
    return implied(type, price, x, sd, kd, expiry, &m, out_vol, __func__);
}
