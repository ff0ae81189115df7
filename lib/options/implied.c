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
#include <float.h>
#include <math.h>

#include "core/core_internal.h"
#include "black.h"
#include "bs.h"
#include "keel/options.h"
#include "math/kmath.h"

#define SQRT_2PI 2.50662827463100050242
#define LN_SQRT_2PI 0.91893853320467274178
#define LN2 0.69314718055994530942

/* Below this sigma sqrt(T) the normalised price is s g(x/s) to rounding
 * (black.h) and the answer is found from h = x/s (small_vol()): s itself
 * may be below the double range while sigma = s / sqrt(T) is not. */
#define S_SMALL 1e-300

/* scale a / (b c) for positive a, b, c and a scale near 1, with the
 * exponents kept apart (frexp and ldexp are exact), so that nothing
 * underflows or overflows on the way and the result is rounded once at
 * the end. */
static double quot3(double scale, double a, double b, double c)
{
    int ea, eb, ec;
    double ma = frexp(a, &ea), mb = frexp(b, &eb), mc = frexp(c, &ec);
    return ldexp(scale * ma / (mb * mc), ea - eb - ec);
}

/* ln(a / (b c)) for positive a, b, c, with the exponents kept apart: its
 * absolute error is a few eps of the result, not of ln a, ln b and ln c
 * (each of which may be near -745 when the ratio is near 1). */
static double log_quot3(double a, double b, double c)
{
    int ea, eb, ec;
    double ma = frexp(a, &ea), mb = frexp(b, &eb), mc = frexp(c, &ec);
    return log(ma / (mb * mc)) + (double)(ea - eb - ec) * LN2;
}

/* ln(a1 a2 a3 / (b1 b2)) for positive factors, with the exponents kept
 * apart: a few eps when the ratio is near 1, however small or large the
 * factors. */
static double log_ratio5(double a1, double a2, double a3, double b1, double b2)
{
    int e1, e2, e3, f1, f2;
    double ma = frexp(a1, &e1) * frexp(a2, &e2) * frexp(a3, &e3);
    double mb = frexp(b1, &f1) * frexp(b2, &f2);
    return log(ma / mb) + (double)(e1 + e2 + e3 - f1 - f2) * LN2;
}

/* Sign of a1 a2 a3 - b1 b2 for positive factors, with the exponents kept
 * apart: -1, 0 or 1. */
static int cmp_products(double a1, double a2, double a3, double b1, double b2)
{
    int e1, e2, e3, f1, f2, ea, eb;
    double ma = frexp(frexp(a1, &e1) * frexp(a2, &e2) * frexp(a3, &e3), &ea);
    double mb = frexp(frexp(b1, &f1) * frexp(b2, &f2), &eb);
    ea += e1 + e2 + e3;
    eb += f1 + f2;
    if (ea != eb)
        return ea > eb ? 1 : -1;
    return ma > mb ? 1 : (ma < mb ? -1 : 0);
}

/* The three objectives of the iteration (see solve_normalised()). */
enum { BRANCH_LOWER, BRANCH_MIDDLE, BRANCH_UPPER };

typedef struct nsolve {
    double x, beta, lnbeta, cbar; /* x <= 0; beta as a double may have underflowed */
    double otm, root;             /* beta = otm / root */
    int branch;
} nsolve;

/* The objective of the lower branch, ln b(x, s) - ln beta, with ln b in
 * *lb. Its rounding should be a few eps, not eps |ln b|, wherever that
 * matters: where b and beta are normal numbers as ln(b / beta) (a ratio
 * near 1 at the answer); for a tiny s (below 1e-100) not deep out of the
 * money, where b = s g(h) may be subnormal and its logarithm near -700
 * changes only like ln s, as ln(s g(h) root / otm) with the exponents
 * apart; deep out of the money, where b or beta underflows, as the
 * difference of the logarithms: ln b falls like -h^2/2 there, so their
 * absolute rounding of eps h^2 moves s by a relative eps only. */
static double lower_objective(const nsolve *n, double s, double *lb)
{
    double h = n->x / s;
    if (s < 1e-100 && h > -8.0) {
        double lg = keel_black_small_log(-h);
        *lb = log(s) + lg;
        return log_ratio5(s, exp(lg), n->root, n->otm, 1.0);
    }
    if (n->beta >= DBL_MIN) {
        double b = keel_black_otm(n->x, s);
        if (b >= DBL_MIN) {
            *lb = log(b);
            return log(b / n->beta);
        }
    }
    *lb = keel_black_otm_log(n->x, s);
    return *lb - n->lnbeta;
}

/* The predicate for keel_bracket_grow() and keel_bisect(): s is at or
 * above the answer (b(x, s) >= beta, or the complement at or below cbar;
 * b grows with s, so it is monotone). */
static keel_status s_reaches(double s, void *ctx, bool *holds)
{
    const nsolve *n = ctx;
    double lb;
    if (n->branch == BRANCH_LOWER)
        *holds = lower_objective(n, s, &lb) >= 0.0;
    else if (n->branch == BRANCH_MIDDLE)
        *holds = keel_black_otm(n->x, s) >= n->beta;
    else
        *holds = keel_black_complement(n->x, s) <= n->cbar;
    return KEEL_OK;
}

/* Solves b(x, s) = beta for x <= 0, 0 < beta < e^(x/2) and an answer
 * s > S_SMALL, where lnbeta = ln beta is given accurately even where beta
 * as a double has underflowed (a subnormal price), and cbar = e^(x/2) -
 * beta > 0 as computed from the price (not as the difference, which has
 * lost its digits when the price is near its upper bound). Returns false
 * only if no bracket is found below s = 2^40, which does not happen (b
 * tends to e^(x/2) and its complement to 0 as s grows, and the answer is
 * below about 120 for |x| <= 1400).
 *
 * Three objectives: ln b - ln beta below the inflection point (ln b from
 * keel_black_otm_log(), which does not underflow), b - beta above it,
 * and, where the price lies within 1% of its upper bound, ln c - ln cbar
 * on the complement c = e^(x/2) - b (black.h), a sum of positive terms
 * that keeps its relative precision up to the bound. The derivative
 * ratios of ln b and ln c are those of b with lambda = b'/b (or
 * c'/c = -b'/c): f''/f' = b''/b' - lambda and
 * f'''/f' = b'''/b' - 3 lambda b''/b' + 2 lambda^2 (the chain rule). */
static bool solve_normalised(double x, double beta, double lnbeta, double cbar, double otm,
                             double root, double *out_s)
{
    double bmax = exp(0.5 * x);
    double sc = sqrt(2.0 * fabs(x));
    double lnbc = sc > 0.0 ? keel_black_otm_log(x, sc) : -INFINITY;
    nsolve n = { x, beta, lnbeta, cbar, otm, root, BRANCH_MIDDLE };
    if (lnbeta < lnbc)
        n.branch = BRANCH_LOWER; /* below the inflection point */
    else if (cbar < 0.01 * bmax)
        n.branch = BRANCH_UPPER; /* near the bound */

    /* bracket [lo, hi] with b(lo) <= beta <= b(hi). b(x, s) <= b(0, s) =
     * erf(s / (2 sqrt 2)) <= s / sqrt(2 pi) for x <= 0 (erf is concave on
     * [0, inf)), so s >= s0 = sqrt(2 pi) beta: a lower bound, and for a
     * tiny s near the money (|x| << s) the answer to first order. The
     * shared bracketing helper doubles hi from max(s_c, 1) until it holds. */
    double s0 = SQRT_2PI * beta;
    double hi = sc > 1.0 ? sc : 1.0;
    double lo = fmax(s0 < hi ? s0 : 0.0, S_SMALL);
    bool found = false;
    (void)keel_bracket_grow(s_reaches, &n, &lo, &hi, 2.0, 0x1p40, &found); /* cannot fail */
    if (!found)
        return false;
    if (sc > 0.0) {
        if (n.branch == BRANCH_LOWER)
            hi = fmin(hi, sc);
        else
            lo = fmax(lo, sc);
    }

    /* initial guesses: the leading asymptotics of each branch */
    double s;
    if (n.branch == BRANCH_LOWER) {
        /* deep out of the money b ~ e^(-h^2/2) (times a factor below 1,
         * so this is low too): the larger of the two lower estimates */
        double g = fmax(fabs(x) / sqrt(-2.0 * (lnbeta - 0.5 * x)), s0);
        s = (g > lo && g < hi) ? g : sqrt(lo) * sqrt(hi);
    } else {
        double g = -2.0 * keel_norm_quantile(0.5 * cbar / bmax);
        s = (g > lo && g < hi) ? g : 0.5 * (lo + hi);
    }

    /* Householder's third-order iteration, safeguarded: a step that leaves
     * the bracket is replaced by one geometric bisection step and the
     * iteration goes on. That step is not keel_bisect(), which halves to
     * the end (some 60 evaluations where the iteration needs 3 to 6);
     * keel_bisect() finishes the job on the bracket should the iteration
     * not have converged in 100 steps (never seen), so the solver always
     * ends with an answer. */
    for (int iter = 1; iter <= 100; iter++) {
        double h = x / s, t = 0.5 * s;
        double r2 = h * h / s - 0.25 * s;                   /* b''/b' */
        double r3 = r2 * r2 - 3.0 * h * h / (s * s) - 0.25; /* b'''/b' */
        double f, f1, g2, g3;                               /* f, f', f''/f', f'''/f' */
        bool below, usable = true;
        if (n.branch == BRANCH_LOWER) {
            double lb;
            f = lower_objective(&n, s, &lb);
            double lam = exp(-0.5 * (h * h + t * t) - LN_SQRT_2PI - lb); /* b'/b */
            f1 = lam;
            g2 = r2 - lam;
            g3 = r3 - 3.0 * lam * r2 + 2.0 * lam * lam;
            below = f < 0.0;
            usable = isfinite(lb);
        } else if (n.branch == BRANCH_UPPER) {
            double c = keel_black_complement(x, s);
            double lam = -keel_black_vega(x, s) / c; /* c'/c */
            f = log(c) - log(cbar);
            f1 = lam;
            g2 = r2 - lam;
            g3 = r3 - 3.0 * lam * r2 + 2.0 * lam * lam;
            below = c > cbar;
            /* c 0: it underflowed, far from the answer in log terms, where
             * a step on c itself would creep; bisect */
            usable = c > 0.0;
        } else {
            double b = keel_black_otm(x, s);
            f = b - beta;
            f1 = keel_black_vega(x, s);
            g2 = r2;
            g3 = r3;
            below = b < beta;
        }
        if (f == 0.0) {
            *out_s = s;
            return true;
        }
        if (below)
            lo = s;
        else
            hi = s;
        double step = NAN;
        if (usable && f1 != 0.0 && isfinite(f1) && isfinite(f)) {
            double nu = -f / f1;
            double den = 1.0 + nu * (g2 + g3 * nu / 6.0);
            step = nu * (1.0 + 0.5 * g2 * nu) / den;
            if (!isfinite(step) || den <= 0.0)
                step = nu;
        }
        double next = s + step;
        if (!(next > lo && next < hi))
            next = sqrt(lo) * sqrt(hi); /* lo >= S_SMALL > 0 */
        if (fabs(next - s) <= 4.0 * DBL_EPSILON * s || hi - lo <= 4.0 * DBL_EPSILON * hi) {
            *out_s = next;
            return true;
        }
        s = next;
    }
    (void)keel_bisect(s_reaches, &n, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
    *out_s = hi;
    return true;
}

/* The answer below S_SMALL: b(x, s) = s g(h) with h = x/s = -eta
 * (black.h), and sigma = |x| / (eta sqrt T), so s, which may be below the
 * double range, is never formed. */
typedef struct small_solve {
    double ax, otm, root, lnq; /* |x|, the time value, DF sqrt(F K), ln(otm / (root |x|)) */
} small_solve;

/* eta at or above the answer: b = (|x| / eta) g(-eta) <= otm / root. Up to
 * eta = 8 as the products |x| g(-eta) root <= otm eta with the exponents
 * apart (g(-eta) > 7e-17 there; in logarithms the two sides, each near
 * -700, would lose some 700 eps of a difference of order 1); beyond, in
 * logarithms, where ln g(-eta) falls like -eta^2/2 and the rounding of the
 * logarithms moves eta by a relative eps / eta^2 only. */
static keel_status eta_reaches(double eta, void *ctx, bool *holds)
{
    const small_solve *m = ctx;
    if (eta <= 8.0)
        *holds = cmp_products(m->ax, exp(keel_black_small_log(eta)), m->root, m->otm, eta) <= 0;
    else
        *holds = keel_black_small_log(eta) - log(eta) <= m->lnq;
    return KEEL_OK;
}

/* The same predicate in u = 1/eta, negated, for growing a bracket towards
 * eta -> 0 with keel_bracket_grow() (which grows upwards). */
static keel_status inv_eta_misses(double u, void *ctx, bool *holds)
{
    bool h = false;
    keel_status st = eta_reaches(1.0 / u, ctx, &h);
    *holds = !h;
    return st;
}

/* sigma for an answer s <= S_SMALL. At the forward (x = 0) b(0, s) =
 * erf(s / (2 sqrt 2)) = s / sqrt(2 pi) to rounding: sigma =
 * sqrt(2 pi) otm / (root sqrt T). Off it, eta is bracketed by doubling
 * (keel_bracket_grow(), up from eta = 1 or, in 1/eta, down from it) and
 * bisected to adjacent doubles (keel_bisect()): some 60 to 100
 * evaluations, in a corner (sigma sqrt(T) below 1e-300 off the forward
 * needs |x| below about 1e-298) where speed does not matter. */
static double small_vol(double x, double otm, double root, double sqt)
{
    if (x == 0.0)
        return quot3(SQRT_2PI, otm, root, sqt);
    small_solve m = { fabs(x), otm, root, log_quot3(otm, root, fabs(x)) };
    bool found = false, at1 = false;
    double lo = 1.0, hi = 2.0;
    (void)eta_reaches(1.0, &m, &at1);
    if (!at1) {
        (void)keel_bracket_grow(eta_reaches, &m, &lo, &hi, 2.0, 0x1p1000, &found);
    } else {
        double ulo = 1.0, uhi = 2.0;
        (void)keel_bracket_grow(inv_eta_misses, &m, &ulo, &uhi, 2.0, 0x1p1000, &found);
        lo = 1.0 / uhi;
        hi = 1.0 / ulo;
    }
    (void)keel_bisect(eta_reaches, &m, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
    return quot3(1.0, fabs(x), hi, sqt);
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
 * x > 0, the other by parity), the intrinsic value sd - kd taken as the
 * kernel takes it (keel_forward_gap(), accurate near the money). A price
 * within 8 eps (sd + kd) of a bound is taken as at the bound: that is the
 * rounding of sd - kd as most code forms it, whatever the time value.
 *
 * Every volatility returned is one the kernel accepts: where it is not
 * (a greek beyond double range there, or infinite as its limit),
 * KEEL_E_OVERFLOW. */
static keel_status implied(keel_option_type type, double price, double x, double gap,
                           double sd, double kd, double T, const model *m, double *out_vol,
                           const char *fn)
{
    double root = sqrt(sd) * sqrt(kd); /* DF sqrt(F K) */
    double p = price;
    bool call = type == KEEL_CALL;
    bool itm = call ? x > 0.0 : x <= 0.0; /* priced by parity in the kernel */
    double intrinsic = itm ? (call ? gap : -gap) : 0.0;
    double otm = price - intrinsic;
    double upper = x > 0.0 ? kd : sd; /* the out-of-the-money option's bound */
    double tol = 8.0 * DBL_EPSILON * (sd + kd);
    if (otm < -tol)
        return keel_fail(KEEL_E_ARBITRAGE,
                         "%s: price %g is below the intrinsic value %g (no volatility gives it)",
                         fn, p, intrinsic);
    double cmp = upper - otm;
    if (cmp < -tol)
        return keel_fail(KEEL_E_ARBITRAGE, "%s: price %g is above its upper bound %g", fn, p,
                         upper + intrinsic);
    double vol = 0.0, sqt = sqrt(T);
    if (otm > 0.0) {
        double xo = -fabs(x);
        double bmax = exp(0.5 * xo);
        /* the normalised time value, and its logarithm with the exponents
         * apart: otm / root underflows for a subnormal price */
        double beta = otm / root, cbar = cmp / root;
        double lnbeta = log_quot3(otm, root, 1.0);
        if (!(cbar > 0.0)) {
            /* at the upper bound (to rounding): the volatility at which the
             * normalised price is eps/4 of the bound below it, so that the
             * price rounds to the bound */
            cbar = 0.25 * DBL_EPSILON * bmax;
            beta = bmax - cbar;
            lnbeta = log(beta);
            otm = beta * root; /* the normalised target, as a price */
        }
        if (lnbeta <= keel_black_otm_log(xo, S_SMALL)) {
            vol = small_vol(xo, otm, root, sqt); /* the answer s is at most S_SMALL */
        } else {
            double s;
            if (!solve_normalised(xo, beta, lnbeta, cbar, otm, root, &s))
                return keel_fail(KEEL_E_OVERFLOW, "%s: no volatility up to 2^40 / sqrt(T) gives price %g",
                                 fn, p);
            vol = s / sqt;
        }
        if (!isfinite(vol))
            return keel_fail(KEEL_E_OVERFLOW, "%s: the volatility overflows", fn);
    }
    /* an answer keel_black_scholes() / keel_black76() accept */
    if (!keel_bsm_representable(!call, m->s, m->k, T, m->r, m->q, vol, m->black76)) {
        const char *kernel = m->black76 ? "keel_black76()" : "keel_black_scholes()";
        if (vol == 0.0 && x == 0.0)
            return keel_fail(KEEL_E_OVERFLOW,
                             "%s: price %g %s, but the forward is at the strike, where %s "
                             "refuses volatility 0 (the limit of gamma there is infinite)",
                             fn, p,
                             otm > 0.0 ? "needs a volatility below the least positive double "
                                         "(0 as a double)"
                                       : "is the intrinsic value (to its rounding), whose "
                                         "volatility is 0",
                             kernel);
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: at the implied volatility %g a greek is beyond double range (%s "
                         "refuses it)",
                         fn, vol, kernel);
    }
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
    double dq = exp(-dividend * expiry);
    double sd = spot * dq, kd = strike * exp(-rate * expiry);
    double carry = (rate - dividend) * expiry;
    double x = keel_log_ratio(spot, strike) + carry;
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY && isfinite(x)))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the discounted forward or strike is beyond double range", __func__);
    model m = { spot, strike, rate, dividend, false };
    double gap = keel_forward_gap(spot, strike, dq, sd, kd, carry, x);
    return implied(type, price, x, gap, sd, kd, expiry, &m, out_vol, __func__);
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
    /* the kernel's carry for q = r is (r - r) T = 0 */
    double gap = keel_forward_gap(forward, strike, df, sd, kd, 0.0, x);
    return implied(type, price, x, gap, sd, kd, expiry, &m, out_vol, __func__);
}
