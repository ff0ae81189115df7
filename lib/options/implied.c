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
#include <string.h>

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

/* ---- the normalised Black function, four ways (Jaeckel 2015, section 3;
 * 2017 update "Let's Be Rational", www.jaeckel.org, for the erfcx form) ----
 *
 * With h = x/s, t = s/2 and e = (h^2 + t^2)/2, the normalised vega is
 * b' = e^(-e) / sqrt(2 pi) and the price is written b = m e^(-e), so that
 * ln b = ln m - e and b'/b = 1 / (sqrt(2 pi) m) never underflow, however
 * far out of the money:
 *
 * - h + t <= 0.85 (Jaeckel's threshold): m = (erfcx(-(h+t)/sqrt 2) -
 *   erfcx(-(h-t)/sqrt 2)) / 2. The common factor e^(-e) carries the
 *   rounding of its exponent to both terms alike, where the two-term
 *   N() form would give each term its own (eps z^2 for N(-z)) and then
 *   cancel them;
 * - t < tau = 2 eps^(1/16) (his small-t threshold): m = (Y(h+t) -
 *   Y(h-t)) / sqrt(2 pi) with Y = N / phi, the odd Taylor terms of Y about h
 *   up to t^13 (the t^15 term is below eps/2 of the sum for t < tau).
 *   Y' = 1 + h Y, so its derivatives follow D(n+1) = h D(n) + n D(n-1)
 *   (Leibniz on (h Y)^(n)); Jaeckel writes the same terms as polynomials in
 *   h^2 and 1 + h Y;
 * - h < -10 and h + t < tau - 10 (his asymptotic region): Jaeckel sums an
 *   asymptotic series there; keel keeps its 16-point Gauss-Laguerre
 *   quadrature of the vega (black.c), exact to rounding, slower, and met
 *   only deep out of the money at a small s;
 * - elsewhere (h + t > 0.85) the two-term form e^(x/2) N(h+t) - e^(-x/2)
 *   N(h-t), which does not cancel there.
 *
 * erfcx(z) = e^(z^2) erfc(z) is formed from glibc's erfc (below 1 ulp in
 * both tails) with z^2 split exactly into a double and its rounding error
 * (Dekker), so it is a few ulps; beyond z = 26 (erfc near the underflow)
 * from its asymptotic series. */

#define SQRT_PI 1.77245385090551602730
#define INV_SQRT2 0.70710678118654752440
#define SQRT_PI_OVER_2 1.25331413731550025121
#define SQRT3 1.73205080756887729353
#define INV_SQRT3 0.57735026918962576451
#define TWO_PI_OVER_SQRT27 1.20919957615614523373 /* 2 pi / sqrt 27 */
#define PI_OVER_6 0.52359877559829887308
#define TWO_PI 6.28318530717958647693
#define TAU_SMALL_T 0.21027570329871202 /* 2 eps^(1/16) (Jaeckel's tau) */
#define RC_MIN (-(1.0 - 1.4901161193847656e-08)) /* -(1 - sqrt(eps)) */
#define RC_MAX (2.0 / (DBL_EPSILON * DBL_EPSILON))

/* erfcx(z) = e^(z^2) erfc(z) from W. J. Cody's near-minimax rational
 * approximations ("Rational Chebyshev approximations for the error
 * function", Math. Comp. 23 (1969) 631-637; the double-precision
 * coefficients of his SPECFUN routine CALERF, 18 significant digits),
 * which Jaeckel's reference code also uses: erf(z) = z P(z^2)/Q(z^2) for
 * |z| <= 0.46875, erfcx(z) = P(z)/Q(z) up to 4, and
 * (1/sqrt(pi) - z^-2 P(z^-2)/Q(z^-2)) / z beyond, with
 * erfcx(-z) = 2 e^(z^2) - erfcx(z). No exponential for z > 0.46875. */
static const double CODY_A[5] = { 3.1611237438705656, 113.864154151050156, 377.485237685302021,
                                  3209.37758913846947, .185777706184603153 };
static const double CODY_B[4] = { 23.6012909523441209, 244.024637934444173, 1282.61652607737228,
                                  2844.23683343917062 };
static const double CODY_C[9] = { .564188496988670089, 8.88314979438837594, 66.1191906371416295,
                                  298.635138197400131, 881.95222124176909, 1712.04761263407058,
                                  2051.07837782607147, 1230.33935479799725,
                                  2.15311535474403846e-8 };
static const double CODY_D[8] = { 15.7449261107098347, 117.693950891312499, 537.181101862009858,
                                  1621.38957456669019, 3290.79923573345963, 4362.61909014324716,
                                  3439.36767414372164, 1230.33935480374942 };
static const double CODY_P[6] = { .305326634961232344, .360344899949804439, .125781726111229246,
                                  .0160837851487422766, 6.58749161529837803e-4,
                                  .0163153871373020978 };
static const double CODY_Q[5] = { 2.56852019228982242, 1.87295284992346047, .527905102951428412,
                                  .0605183413124413191, .00233520497626869185 };
#define INV_SQRT_PI 0.56418958354775628695

/* erfcx(y) for y > 0.46875 */
static inline double erfcx_pos(double y)
{
    if (y <= 4.0) {
        double num = CODY_C[8] * y, den = y;
        for (int i = 0; i < 7; i++) {
            num = (num + CODY_C[i]) * y;
            den = (den + CODY_D[i]) * y;
        }
        return (num + CODY_C[7]) / (den + CODY_D[7]);
    }
    double w = 1.0 / (y * y), num = CODY_P[5] * w, den = w;
    for (int i = 0; i < 4; i++) {
        num = (num + CODY_P[i]) * w;
        den = (den + CODY_Q[i]) * w;
    }
    double r = w * (num + CODY_P[4]) / (den + CODY_Q[4]);
    return (INV_SQRT_PI - r) / y;
}

/* e^(z^2) with z^2 = hi + lo split exactly (Dekker): a few ulps however
 * large z is */
static inline double exp_square(double z)
{
    double hi = z * z;
    double c = 134217729.0 * z, zh = c - (c - z), zl = z - zh;
    double lo = ((zh * zh - hi) + 2.0 * zh * zl) + zl * zl;
    return exp(hi) * (1.0 + lo);
}

/* erfcx(z) for z > -26 */
static inline double erfcx_k(double z)
{
    double y = fabs(z);
    if (y <= 0.46875) {
        double q = y * y, num = CODY_A[4] * q, den = q;
        for (int i = 0; i < 3; i++) {
            num = (num + CODY_A[i]) * q;
            den = (den + CODY_B[i]) * q;
        }
        double erf_z = z * (num + CODY_A[3]) / (den + CODY_B[3]);
        return exp(q) * (1.0 - erf_z);
    }
    double r = erfcx_pos(y);
    return z > 0.0 ? r : 2.0 * exp_square(z) - r;
}

/* The normalised price at s: b (may underflow), ln b, b' and b'/b. */
typedef struct bval {
    double b, lnb, vega, bpob;
} bval;

/* x <= 0, s > 0; ex = e^(x/2) and iex = e^(-x/2), computed once per
 * solve. */
static bval black_eval(double x, double s, double ex, double iex, bool want_log)
{
    double h = x / s, t = 0.5 * s;
    double e = 0.5 * (h * h + t * t);
    double vega = KEEL_INV_SQRT_2PI * exp(-e);
    bval r;
    r.vega = vega;
    double m;
    if (h < -10.0 && h + t < TAU_SMALL_T - 10.0) {
        double b = keel_black_otm(x, s); /* the quadrature (black.c) */
        if (b >= DBL_MIN) {
            r.b = b;
            r.lnb = log(b);
        } else {
            r.lnb = keel_black_otm_log(x, s);
            r.b = exp(r.lnb);
        }
        /* b'/b = exp(ln b' - ln b) */
        r.bpob = exp(-e - LN_SQRT_2PI - r.lnb);
        return r;
    }
    if (t < TAU_SMALL_T) {
        /* D0 = Y(h) = sqrt(pi/2) erfcx(-h/sqrt 2); Y(h+t) - Y(h-t) =
         * 2 sum over odd k of D(k) t^k / k! */
        double d0 = SQRT_PI_OVER_2 * erfcx_k(-INV_SQRT2 * h);
        double d1 = 1.0 + h * d0;
        /* 1 / k! for k = 1, 3, ..., 13 */
        static const double INV_FACT[7] = { 1.0, 1.0 / 6.0, 1.0 / 120.0, 1.0 / 5040.0,
                                            1.0 / 362880.0, 1.0 / 39916800.0,
                                            1.0 / 6227020800.0 };
        double t2 = t * t, sum = 0.0, pw = t;
        double dm = d0, dk = d1; /* D(k-1), D(k) */
        for (int i = 0; i < 7; i++) {
            double k = 2.0 * i + 1.0;
            sum += dk * pw * INV_FACT[i];
            /* two steps of the recurrence: D(k+1), D(k+2) */
            double dn = h * dk + k * dm;
            double dn2 = h * dn + (k + 1.0) * dk;
            dm = dn;
            dk = dn2;
            pw *= t2;
        }
        m = 2.0 * KEEL_INV_SQRT_2PI * sum;
    } else if (h + t <= 0.85) {
        double z1 = -INV_SQRT2 * (h + t), z2 = -INV_SQRT2 * (h - t);
        if (z2 < 26.0) {
            /* e^(-e) erfcx(z) = e^(z^2 - e) erfc(z), and z1^2 - e = x/2,
             * z2^2 - e = -x/2 in exact arithmetic: with z^2 = hi + lo exactly
             * (Dekker) and d = (hi - e) -+ x/2, a few ulps of e (hi and e
             * agree to a factor 2 where e is large: Sterbenz), the factor is
             * e^(+-x/2) (1 + d + d^2/2) (1 + lo): the two terms of the erfcx
             * form without their exponentials, the rounding of e common to
             * both as there */
            double a1 = z1 * z1, c1 = 134217729.0 * z1, u1 = c1 - (c1 - z1), w1 = z1 - u1;
            double l1 = ((u1 * u1 - a1) + 2.0 * u1 * w1) + w1 * w1;
            double a2 = z2 * z2, c2 = 134217729.0 * z2, u2 = c2 - (c2 - z2), w2 = z2 - u2;
            double l2 = ((u2 * u2 - a2) + 2.0 * u2 * w2) + w2 * w2;
            double d1 = ((a1 - e) - 0.5 * x) + l1, d2 = ((a2 - e) + 0.5 * x) + l2;
            double f1 = fabs(d1) < 1e-4 ? 1.0 + d1 * (1.0 + 0.5 * d1) : exp(d1);
            double f2 = fabs(d2) < 1e-4 ? 1.0 + d2 * (1.0 + 0.5 * d2) : exp(d2);
            double b = 0.5 * (ex * f1 * erfc(z1) - iex * f2 * erfc(z2));
            if (b >= DBL_MIN) {
                r.b = b;
                r.lnb = want_log ? log(b) : NAN;
                r.bpob = vega / b;
                return r;
            }
        }
        m = 0.5 * (erfcx_k(z1) - erfcx_k(z2));
    } else {
        double b = 0.5 * (ex * erfc(-INV_SQRT2 * (h + t)) - iex * erfc(-INV_SQRT2 * (h - t)));
        r.b = b;
        r.lnb = want_log ? log(b) : NAN;
        r.bpob = vega / b;
        return r;
    }
    r.b = m * (vega * SQRT_2PI);
    r.lnb = want_log ? log(m) - e : NAN;
    r.bpob = KEEL_INV_SQRT_2PI / m;
    return r;
}

/* e^(x/2) - b(x, s) = e^(x/2) N(-h-t) + e^(-x/2) N(h-t): a sum of two
 * positive terms, accurate up to the bound (the upper region). */
static inline double black_complement(double x, double s, double ex, double iex)
{
    double h = x / s, t = 0.5 * s;
    return 0.5 * (ex * erfc(INV_SQRT2 * (h + t)) + iex * erfc(INV_SQRT2 * (t - h)));
}

/* ---- the rational cubic of Delbourgo and Gregory (1985) as Jaeckel uses
 * it (2015, section 5; "Let's Be Rational" eqs. (5.1)-(5.8)): on [xl, xr]
 * with values yl, yr and slopes dl, dr, the control parameter r fits a
 * second derivative at one end and is kept at or above the least value
 * that preserves the shape (monotone, convex or concave) of the data. ---- */

/* The interpolant at t = (x - xl)/(xr - xl) with omt = 1 - t given
 * separately (near an end it is formed from the distance to it). */
static double rc_interp(double t, double omt, double h, double yl, double yr, double dl,
                        double dr, double r)
{
    if (!(r < RC_MAX))
        return yr * t + yl * omt;
    double t2 = t * t, o2 = omt * omt;
    return (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * o2 +
            yl * o2 * omt) /
           (1.0 + (r - 3.0) * t * omt);
}

/* The least control parameter that keeps the shape (Delbourgo and Gregory's
 * conditions as in Jaeckel's eqs. (3.8) and (3.18) of "Rational cubic
 * interpolation"); slope s of the chord. */
static double rc_min_r(double dl, double dr, double s, bool shape_first)
{
    bool monotone = dl * s >= 0.0 && dr * s >= 0.0;
    bool convex = dl <= s && s <= dr, concave = dl >= s && s >= dr;
    if (!monotone && !convex && !concave)
        return RC_MIN;
    double r1 = -DBL_MAX, r2 = -DBL_MAX;
    if (monotone) {
        if (fabs(s) >= DBL_MIN)
            r1 = (dr + dl) / s;
        else if (shape_first)
            r1 = RC_MAX;
    }
    if (convex || concave) {
        double sl = s - dl, rs = dr - s, d = dr - dl;
        if (fabs(sl) >= DBL_MIN && fabs(rs) >= DBL_MIN)
            r2 = fmax(fabs(d / rs), fabs(d / sl));
        else if (shape_first)
            r2 = RC_MAX;
    } else if (monotone && shape_first) {
        r2 = RC_MAX;
    }
    return fmax(RC_MIN, fmax(r1, r2));
}

/* r fitting the second derivative d2 at the left (left = true) or right
 * end, at least the shape-preserving minimum. */
static double rc_fit_r(double xl, double xr, double yl, double yr, double dl, double dr,
                       double d2, bool left, bool shape_first)
{
    double h = xr - xl, s = (yr - yl) / h;
    double num = 0.5 * h * d2 + (dr - dl), den = left ? s - dl : dr - s, r;
    if (fabs(num) < DBL_MIN)
        r = 0.0;
    else if (fabs(den) < DBL_MIN)
        r = num > 0.0 ? RC_MAX : RC_MIN;
    else
        r = num / den;
    return fmax(r, rc_min_r(dl, dr, s, shape_first));
}

/* ---- Householder's third-order step on the objective of each region ----
 * Newton step nu = -f/f', with g2 = f''/f' and g3 = f'''/f':
 *     ds = nu (1 + g2 nu / 2) / (1 + nu (g2 + g3 nu / 6)).
 * b''/b' = h^2/s - s/4 and b'''/b' = (b''/b')^2 - 3 (h/s)^2 - 1/4
 * (Jaeckel 2015, eqs. (4.1)-(4.3)). */
static inline double householder(double nu, double g2, double g3)
{
    return nu * (1.0 + 0.5 * g2 * nu) / (1.0 + nu * (g2 + g3 * nu / 6.0));
}

enum { REGION_LOWER, REGION_MIDDLE, REGION_UPPER };

typedef struct solve_ctx {
    double x, ex, iex, beta, lnbeta, cbar, lncbar;
} solve_ctx;

/* After two steps, a step below this (relative) leaves an error of the
 * order of its fourth power (Householder's third-order method converges
 * with order 4): the answer. A larger one (only far outside the tested
 * ranges) and the iteration goes on. */
#define STEP_DONE 0x1p-18
#define S_MAX 0x1p40

/* The iteration of Jaeckel (2015), section 4, in the region's objective:
 * lower, g = 1/ln b - 1/ln beta (his eq. (4.6), nearly linear in s there);
 * middle, b - beta; upper, ln((b_max - beta) / (b_max - b)) on the
 * complement (computed as a sum, with cbar = b_max - beta from the price).
 * At most two steps as a rule (see STEP_DONE); a step that leaves the
 * bracket [lo, hi] (tightened by each evaluation), or three reversals of
 * direction, is replaced by a bisection step, as in his reference code. */
static double iterate(const solve_ctx *c, int region, double s, double lo, double hi)
{
    double x = c->x, ds = 0.0, ds_prev = 0.0;
    int reversals = 0;
    for (int it = 0; it < 200; it++) {
        if (it > 0) {
            if (ds * ds_prev < 0.0)
                reversals++;
            if (reversals == 3 || !(s > lo && s < hi)) {
                s = hi > 4.0 * lo ? sqrt(lo) * sqrt(hi) : 0.5 * (lo + hi);
                if (hi - lo <= DBL_EPSILON * s)
                    return s;
                reversals = 0;
                ds = 0.0;
            }
        }
        ds_prev = ds;
        double h = x / s;
        double g2b = h * h / s - 0.25 * s;                      /* b''/b' */
        double g3b = g2b * g2b - 3.0 * (h / s) * (h / s) - 0.25; /* b'''/b' */
        double step = NAN;
        if (region == REGION_UPPER) {
            double cc = black_complement(x, s, c->ex, c->iex);
            double vega = KEEL_INV_SQRT_2PI * exp(-0.5 * (h * h + 0.25 * s * s));
            if (cc < c->cbar)
                hi = s; /* b above beta */
            else if (cc > c->cbar)
                lo = s;
            else
                return s;
            if (cc >= DBL_MIN && vega >= DBL_MIN) {
                double g = c->cbar >= DBL_MIN ? log(c->cbar / cc) : c->lncbar - log(cc);
                double gp = vega / cc;
                step = householder(-g / gp, g2b + gp, g3b + gp * (2.0 * gp + 3.0 * g2b));
            }
        } else {
            bval v = black_eval(x, s, c->ex, c->iex, region == REGION_LOWER);
            if (region == REGION_LOWER) {
                if (v.lnb > c->lnbeta)
                    hi = s;
                else if (v.lnb < c->lnbeta)
                    lo = s;
                else
                    return s;
                if (isfinite(v.lnb) && v.bpob > 0.0 && isfinite(v.bpob)) {
                    double lb = v.lnb, p = v.bpob, lam = 1.0 / lb;
                    double nu = (c->lnbeta - lb) * lb / c->lnbeta / p;
                    double otl = 1.0 + 2.0 * lam;
                    double g2 = g2b - p * otl;
                    double g3 = g3b + 2.0 * p * p * (1.0 + 3.0 * lam * (1.0 + lam)) -
                                3.0 * g2b * p * otl;
                    step = householder(nu, g2, g3);
                }
            } else {
                if (v.b > c->beta)
                    hi = s;
                else if (v.b < c->beta)
                    lo = s;
                else
                    return s;
                if (v.vega > 0.0)
                    step = householder((c->beta - v.b) / v.vega, g2b, g3b);
            }
        }
        if (!isfinite(step))
            step = (hi > 4.0 * lo ? sqrt(lo) * sqrt(hi) : 0.5 * (lo + hi)) - s;
        ds = step > -0.5 * s ? step : -0.5 * s;
        s += ds;
        if (fabs(ds) <= DBL_EPSILON * s || (it >= 1 && fabs(ds) <= STEP_DONE * s))
            return s;
    }
    return s;
}

/* Solves b(x, s) = beta for x <= 0, 0 < beta < e^(x/2) and an answer
 * s > S_SMALL: Jaeckel's four regions split at s_l < s_c = sqrt(2|x|) <
 * s_h (the tangents of b at its inflection point s_c meeting 0 and b_max),
 * the initial guess from a rational cubic in each (in the lowest and the
 * highest on the transformed values f_l(beta) = (2 pi |x| / sqrt 27)
 * N(-|x| / (sqrt 3 s))^3 and f_u(beta) = N(-s/2), whose inverses are in
 * closed form), then the iteration above. lnbeta = ln beta, also where
 * beta as a double has underflowed; cbar = b_max - beta from the price. */
static double solve_normalised(double x, double ex, double beta, double lnbeta, double cbar)
{
    double iex = 1.0 / ex, bmax = ex;
    solve_ctx c = { x, ex, iex, beta, lnbeta, cbar, 0.0 };
    double sc = sqrt(2.0 * fabs(x)), bc, vc;
    if (sc > 0.0 && 0.5 * sc >= TAU_SMALL_T && -x / sc <= 10.0) {
        /* at s_c, h = -t: h + t = 0 (the erfcx form, erfcx(0) = 1) and
         * e = (h^2 + t^2)/2 = |x|/2, so e^(-e) = e^(x/2) */
        vc = KEEL_INV_SQRT_2PI * ex;
        bc = 0.5 * ex * (1.0 - erfcx_k(INV_SQRT2 * sc));
    } else if (sc > 0.0) {
        bval v = black_eval(x, sc, ex, iex, false);
        bc = v.b;
        vc = v.vega;
    } else {
        bc = 0.0;
        vc = KEEL_INV_SQRT_2PI;
    }
    if (beta < bc) {
        double sl = sc - bc / vc; /* > 0: b is convex below s_c */
        if (!(sl > 0.0))
            sl = 0.5 * sc;
        bval vl = black_eval(x, sl, ex, iex, false);
        double bl = vl.b;
        if (beta < bl) {
            if (isnan(c.lnbeta))
                c.lnbeta = lnbeta = log(beta); /* beta is normal when not given */
            /* the lowest region: f_l and its first two derivatives in beta at
             * s_l (Jaeckel 2015, eqs. (6.6)-(6.8)) */
            double ax = fabs(x), z = INV_SQRT3 * ax / sl, y = z * z, s2 = sl * sl;
            double Phi = keel_norm_cdf(-z);
            double ey2 = exp(0.5 * y), ea = ey2 * ey2 * exp(0.125 * s2); /* e^(y + s^2/8) */
            double fpp = PI_OVER_6 * y / (s2 * sl) * Phi *
                         (8.0 * SQRT3 * sl * ax +
                          (3.0 * s2 * (s2 - 8.0) - 8.0 * x * x) * Phi * SQRT_2PI * ey2) *
                         (ea * ea);
            double fp = TWO_PI * y * Phi * Phi * ea;
            double fl = TWO_PI_OVER_SQRT27 * ax * Phi * Phi * Phi;
            double f;
            if (beta >= DBL_MIN) {
                double r = rc_fit_r(0.0, bl, 0.0, fl, 1.0, fp, fpp, false, true);
                double t = beta / bl;
                f = rc_interp(t, 1.0 - t, bl, 0.0, fl, 1.0, fp, r);
                if (!(f > 0.0))
                    f = (fl * t + bl * (1.0 - t)) * t;
            } else {
                f = 0.0; /* f_l(beta) = beta (1 + O(beta)): below, in logs */
            }
            /* s = |x| / (sqrt 3 |N^-1((f / (2 pi |x| / sqrt 27))^(1/3))|) */
            double cube = f > 0.0 ? cbrt(f / (TWO_PI_OVER_SQRT27 * ax))
                                  : exp((lnbeta - log(TWO_PI_OVER_SQRT27 * ax)) / 3.0);
            double s = fabs(x / (SQRT3 * keel_norm_quantile(cube)));
            if (!(s > 0.0 && s < sl))
                s = 0.5 * sl;
            return iterate(&c, REGION_LOWER, s, S_SMALL, sl);
        }
        /* lower middle: s as a rational cubic in beta on [b_l, b_c] with
         * slopes 1/b' */
        double vgl = vl.vega;
        double r = rc_fit_r(bl, bc, sl, sc, 1.0 / vgl, 1.0 / vc, 0.0, false, false);
        double t = (beta - bl) / (bc - bl);
        double s = rc_interp(t, 1.0 - t, bc - bl, sl, sc, 1.0 / vgl, 1.0 / vc, r);
        return iterate(&c, REGION_MIDDLE, s, sl, sc);
    }
    double sh = vc > DBL_MIN ? sc + (bmax - bc) / vc : sc;
    bval vh = black_eval(x, sh, ex, iex, false);
    double bh = vh.b;
    if (beta <= bh) {
        double r = rc_fit_r(bc, bh, sc, sh, 1.0 / vc, 1.0 / vh.vega, 0.0, true, false);
        double t = (beta - bc) / (bh - bc);
        double s = rc_interp(t, 1.0 - t, bh - bc, sc, sh, 1.0 / vc, 1.0 / vh.vega, r);
        return iterate(&c, REGION_MIDDLE, s, sc, sh);
    }
    /* the highest region: f_u = N(-s/2), f_u' = -exp(h^2/2)/2,
     * f_u'' = sqrt(pi/2) exp(h^2 + s^2/8) h^2 / s (Jaeckel 2015,
     * eqs. (6.12)-(6.14)), h = x / s_h; 1 - t from cbar */
    double fu = keel_norm_cdf(-0.5 * sh), f = -1.0;
    double w = (x / sh) * (x / sh);
    double fpu = -0.5 * exp(0.5 * w);
    double fppu = SQRT_PI_OVER_2 * exp(w + 0.125 * sh * sh) * w / sh;
    double hgt = bmax - bh, omt = cbar / hgt, t = 1.0 - omt;
    if (fppu > -1.3407807929942596e154 && fppu < 1.3407807929942596e154) {
        double r = rc_fit_r(bh, bmax, fu, 0.0, fpu, -0.5, fppu, true, true);
        f = rc_interp(t, omt, hgt, fu, 0.0, fpu, -0.5, r);
    }
    if (!(f > 0.0))
        f = (fu * omt + 0.5 * hgt * t) * omt;
    double s = -2.0 * keel_norm_quantile(f);
    if (!(s > sh))
        s = 2.0 * sh;
    if (beta > 0.5 * bmax) {
        c.lncbar = log(cbar);
        return iterate(&c, REGION_UPPER, s, sh, S_MAX);
    }
    return iterate(&c, REGION_MIDDLE, s, sh, S_MAX);
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
    /* a time value within the rounding of the intrinsic value: if its
     * volatility is beyond what the kernel accepts, 0 (at which the kernel
     * gives the intrinsic value, the price to that rounding) is answered
     * in its place, below */
    bool within_rounding = otm <= 8.0 * DBL_EPSILON * (sd + kd);
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
         * apart where otm / root underflows (a subnormal price); otherwise
         * its logarithm is taken where it is used (the lowest region) */
        double beta = otm / root, cbar = cmp / root;
        double lnbeta = beta >= DBL_MIN ? NAN : log_quot3(otm, root, 1.0);
        if (!(cbar > 0.0)) {
            /* at the upper bound (to rounding): the volatility at which the
             * normalised price is eps/4 of the bound below it, so that the
             * price rounds to the bound */
            cbar = 0.25 * DBL_EPSILON * bmax;
            beta = bmax - cbar;
            lnbeta = log(beta);
            otm = beta * root; /* the normalised target, as a price */
        }
        /* b(x, s) <= s / sqrt(2 pi) (see small_vol()), so beta above
         * S_SMALL / sqrt(2 pi) has its answer above S_SMALL: the costly
         * test only below */
        if (beta < 0.4 * S_SMALL &&
            (isnan(lnbeta) ? log(beta) : lnbeta) <= keel_black_otm_log(xo, S_SMALL)) {
            vol = small_vol(xo, otm, root, sqt); /* the answer s is at most S_SMALL */
        } else {
            double s = solve_normalised(xo, bmax, beta, lnbeta, cbar);
            vol = s / sqt;
        }
        if (!isfinite(vol) && !within_rounding)
            return keel_fail(KEEL_E_OVERFLOW, "%s: the volatility overflows", fn);
    }
    /* at the forward (x = 0) the intrinsic value's volatility 0 is one the
     * kernel refuses (gamma's limit is infinite), but when the discounted
     * forward is small a positive sigma sqrt(T) = s prices the time value
     * sd s / sqrt(2 pi) to 0 as well: s = 0.9 sqrt(2 pi) 2^-1075 / sd, 0.9
     * of half the least subnormal (which rounds to 0), one step down if the
     * rounding of a subnormal s took it to half or above. Gamma there,
     * about e^(-2qT) / (2 pi price), is in range only for q T above about
     * 16.8 (e^(-qT) below 5.3e-8); elsewhere s is refused below, as 0 was.
     * The scaling is kept apart: sd 2^600 neither overflows nor underflows
     * for the sd that matter (0 or infinite otherwise, and refused). */
    /* (at S = K with r != q the forward is off the strike however small
     * T is, though (r - q) T underflows to x = 0 at T 5e-324: there the
     * kernel takes the side of r - q and accepts volatility 0) */
    bool at_forward = x == 0.0 && !(m->s == m->k && m->r != m->q);
    bool zero_at_forward = vol == 0.0 && at_forward;
    if (zero_at_forward && !(otm > 0.0)) {
        double s = ldexp(0.9 * SQRT_2PI / (sd * 0x1p600), -475);
        if (s > 0.0 && ldexp(s, 1075) * (sd / SQRT_2PI) >= 1.0)
            s = nextafter(s, 0.0);
        vol = s / sqt;
    }
    /* an answer keel_black_scholes() / keel_black76() accept: inside
     * the box below every greek is far inside double range (gamma <=
     * e^(|q|T) / (S sigma sqrt T) < 1e160, the volga and charm terms
     * <= 1e200), so the kernel is asked only outside it */
    double rT = fabs(m->r) * T, qT = fabs(m->q) * T;
    bool safe = vol >= 1e-20 && vol <= 1e20 && T >= 1e-20 && T <= 1e20 && m->s >= 1e-50 &&
                m->s <= 1e50 && m->k >= 1e-50 && m->k <= 1e50 && rT <= 50.0 && qT <= 50.0;
    if (!safe && !keel_bsm_representable(!call, m->s, m->k, T, m->r, m->q, vol, m->black76)) {
        /* a price within the rounding of the intrinsic value (T 5e-324: a
         * time value of one ulp needs sigma near 1e160) is priced to that
         * rounding by volatility 0 where the kernel accepts 0: off the
         * forward */
        if (vol > 0.0 && within_rounding && !at_forward &&
            keel_bsm_representable(!call, m->s, m->k, T, m->r, m->q, 0.0, m->black76)) {
            *out_vol = 0.0;
            return KEEL_OK;
        }
        const char *kernel = m->black76 ? "keel_black76()" : "keel_black_scholes()";
        if (zero_at_forward)
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

/* The two entry points' bodies, with the caller's name for the messages
 * (the scalar functions and the batches share them, so a batch's answers
 * are the scalar answers bit for bit). */
static keel_status iv_bsm(keel_option_type type, double price, double spot, double strike,
                          double expiry, double rate, double dividend, double *out_vol,
                          const char *fn)
{
    /* one test for the common all-valid case; the checks that name the
     * fault only when something is off */
    if (!((type == KEEL_CALL || type == KEEL_PUT) && price >= 0.0 && price < INFINITY &&
          spot > 0.0 && spot < INFINITY && strike > 0.0 && strike < INFINITY && expiry > 0.0 &&
          expiry < INFINITY && isfinite(rate) && isfinite(dividend) && out_vol)) {
        KEEL_TRY(check_common(type, price, strike, expiry, rate, out_vol, fn));
        KEEL_TRY(keel_check_positive(spot, fn, "spot"));
        KEEL_TRY(keel_check_finite(dividend, fn, "dividend"));
    }
    double dq = exp(-dividend * expiry);
    double sd = spot * dq, kd = strike * exp(-rate * expiry);
    double carry = (rate - dividend) * expiry;
    double x = keel_forward_log_moneyness(spot, strike, rate, dividend, expiry, carry);
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY && isfinite(x)))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the discounted forward or strike is beyond double range", fn);
    model m = { spot, strike, rate, dividend, false };
    double gap = keel_forward_gap(spot, strike, dq, sd, kd, carry, x);
    return implied(type, price, x, gap, sd, kd, expiry, &m, out_vol, fn);
}

static keel_status iv_b76(keel_option_type type, double price, double forward, double strike,
                          double expiry, double rate, double *out_vol, const char *fn)
{
    if (!((type == KEEL_CALL || type == KEEL_PUT) && price >= 0.0 && price < INFINITY &&
          forward > 0.0 && forward < INFINITY && strike > 0.0 && strike < INFINITY &&
          expiry > 0.0 && expiry < INFINITY && isfinite(rate) && out_vol)) {
        KEEL_TRY(check_common(type, price, strike, expiry, rate, out_vol, fn));
        KEEL_TRY(keel_check_positive(forward, fn, "forward"));
    }
    double df = exp(-rate * expiry);
    double sd = forward * df, kd = strike * df;
    double x = keel_log_ratio(forward, strike);
    if (!(sd > 0.0 && sd < INFINITY && kd > 0.0 && kd < INFINITY))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the discounted forward or strike is beyond double range",
                         fn);
    model m = { forward, strike, rate, rate, true };
    /* the kernel's carry for q = r is (r - r) T = 0 */
    double gap = keel_forward_gap(forward, strike, df, sd, kd, 0.0, x);
    return implied(type, price, x, gap, sd, kd, expiry, &m, out_vol, fn);
}

keel_status keel_implied_volatility(keel_option_type type, double price, double spot,
                                    double strike, double expiry, double rate, double dividend,
                                    double *out_vol)
{
    return iv_bsm(type, price, spot, strike, expiry, rate, dividend, out_vol, __func__);
}

keel_status keel_implied_volatility_black76(keel_option_type type, double price, double forward,
                                            double strike, double expiry, double rate,
                                            double *out_vol)
{
    return iv_b76(type, price, forward, strike, expiry, rate, out_vol, __func__);
}

/* A batch's bookkeeping: option i's status and volatility (NaN when it
 * fails), and the first failure's message kept for the return. */
typedef struct batch_first {
    size_t index;
    keel_status status;
    char detail[512];
} batch_first;

static void batch_record(batch_first *first, size_t i, keel_status st, double vol,
                         double *out_vols, keel_status *out_status)
{
    out_vols[i] = st == KEEL_OK ? vol : NAN;
    if (out_status)
        out_status[i] = st;
    if (st != KEEL_OK && first->status == KEEL_OK) {
        first->index = i;
        first->status = st;
        strncpy(first->detail, keel_last_error(), sizeof first->detail - 1);
        first->detail[sizeof first->detail - 1] = '\0';
    }
}

static keel_status batch_finish(const batch_first *first)
{
    if (first->status == KEEL_OK)
        return KEEL_OK;
    return keel_fail(first->status, "%s (option %zu; the other options are solved, see out_status)",
                     first->detail, first->index);
}

keel_status keel_implied_volatility_batch(size_t count, const keel_option_type *types,
                                          const double *prices, const double *spot,
                                          const double *strike, const double *expiry,
                                          const double *rate, const double *dividend,
                                          double *out_vols, keel_status *out_status)
{
    const char *fn = __func__;
    if (count == 0)
        return KEEL_OK;
    KEEL_TRY(keel_check_ptr(types, fn, "types"));
    KEEL_TRY(keel_check_ptr(prices, fn, "prices"));
    KEEL_TRY(keel_check_ptr(spot, fn, "spot"));
    KEEL_TRY(keel_check_ptr(strike, fn, "strike"));
    KEEL_TRY(keel_check_ptr(expiry, fn, "expiry"));
    KEEL_TRY(keel_check_ptr(rate, fn, "rate"));
    KEEL_TRY(keel_check_ptr(dividend, fn, "dividend"));
    KEEL_TRY(keel_check_ptr(out_vols, fn, "out_vols"));
    batch_first first = { 0, KEEL_OK, "" };
    for (size_t i = 0; i < count; i++) {
        double v = NAN;
        keel_status st = iv_bsm(types[i], prices[i], spot[i], strike[i], expiry[i], rate[i],
                                dividend[i], &v, fn);
        batch_record(&first, i, st, v, out_vols, out_status);
    }
    return batch_finish(&first);
}

keel_status keel_implied_volatility_black76_batch(size_t count, const keel_option_type *types,
                                                  const double *prices, const double *forward,
                                                  const double *strike, const double *expiry,
                                                  const double *rate, double *out_vols,
                                                  keel_status *out_status)
{
    const char *fn = __func__;
    if (count == 0)
        return KEEL_OK;
    KEEL_TRY(keel_check_ptr(types, fn, "types"));
    KEEL_TRY(keel_check_ptr(prices, fn, "prices"));
    KEEL_TRY(keel_check_ptr(forward, fn, "forward"));
    KEEL_TRY(keel_check_ptr(strike, fn, "strike"));
    KEEL_TRY(keel_check_ptr(expiry, fn, "expiry"));
    KEEL_TRY(keel_check_ptr(rate, fn, "rate"));
    KEEL_TRY(keel_check_ptr(out_vols, fn, "out_vols"));
    batch_first first = { 0, KEEL_OK, "" };
    for (size_t i = 0; i < count; i++) {
        double v = NAN;
        keel_status st = iv_b76(types[i], prices[i], forward[i], strike[i], expiry[i], rate[i],
                                &v, fn);
        batch_record(&first, i, st, v, out_vols, out_status);
    }
    return batch_finish(&first);
}
