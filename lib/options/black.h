/* The normalised Black function shared by the pricing kernel and implied
 * volatility:
 *
 *     b(x, s) = e^(x/2) N(x/s + s/2) - e^(-x/2) N(x/s - s/2)   for x <= 0,
 *
 * the undiscounted out-of-the-money call on a forward of 1 / sqrt(F K) per
 * unit, x = ln(F/K), s = sigma sqrt(T). */
#ifndef KEEL_OPTIONS_BLACK_H
#define KEEL_OPTIONS_BLACK_H

#include <math.h>

/* ln(S / K), shared by the pricing kernel and implied volatility so that
 * both see the same x. Near the money (S/K within [1/2, 2]) as
 * log1p((S - K) / K): S - K is exact there (Sterbenz), so x keeps its
 * relative precision however small it is, where ln of the rounded ratio
 * would carry an absolute error of eps (a relative error eps/|x|, which
 * sigma sqrt(T) << |x| magnifies in the price). Elsewhere ln of the
 * ratio, or ln S - ln K when the ratio leaves the double range. */
static inline double keel_log_ratio(double s, double k)
{
    double ratio = s / k;
    if (ratio >= 0.5 && ratio <= 2.0)
        return log1p((s - k) / k);
    return (ratio > 0.0 && ratio < INFINITY) ? log(ratio) : log(s) - log(k);
}

/* Double-double helpers (Dekker 1971; the algorithms of Bailey's QD
 * library, written here): a value hi + lo with |lo| <= ulp(hi) / 2. */
static inline void keel_dd_norm(double a, double b, double *hi, double *lo)
{
    double s = a + b;
    *lo = b - (s - a); /* |a| >= |b| */
    *hi = s;
}

static inline void keel_dd_mul(double ah, double al, double bh, double bl, double *hi,
                               double *lo)
{
    double p = ah * bh;
    double e = fma(ah, bh, -p) + (ah * bl + al * bh);
    keel_dd_norm(p, e, hi, lo);
}

/* e^a as hi + lo to about 1e-30 relative, for |a| <= 600: a = k ln 2 + t
 * with ln 2 in three parts (t to double-double), then the Taylor series
 * of e^t (|t| <= 0.35: 24 terms reach 1e-33) in double-double. */
static inline void keel_exp_dd(double a, double *hi, double *lo)
{
    const double l1 = 0.6931471805599453, l2 = 2.3190468138462996e-17,
                 l3 = 5.707708438416212e-34;
    double k = nearbyint(a * 1.4426950408889634);
    double p = k * l1, pe = fma(k, l1, -p);
    double q = k * l2, qe = fma(k, l2, -q);
    double th, tl;
    keel_dd_norm(a - p, -(pe + q) - (qe + k * l3), &th, &tl); /* a - p exact (Sterbenz) */
    double sh = 1.0, sl = 0.0, uh = 1.0, ul = 0.0;
    for (int n = 1; n <= 24; n++) {
        keel_dd_mul(uh, ul, th, tl, &uh, &ul);
        double qh = uh / n, rh = fma(-qh, (double)n, uh);
        keel_dd_norm(qh, (rh + ul) / n, &uh, &ul); /* u = t^n / n! */
        double s2 = sh + uh, bb = s2 - sh;
        double e = (sh - (s2 - bb)) + (uh - bb) + (sl + ul);
        keel_dd_norm(s2, e, &sh, &sl);
    }
    *hi = ldexp(sh, (int)k);
    *lo = ldexp(sl, (int)k);
}

/* x = ln(F / K) = ln(S / K) + (r - q) T, the forward log-moneyness, as
 * the pricing kernel and implied volatility both take it. Summed from
 * keel_log_ratio() and the rounded carry it has an absolute error of
 * about eps (|ln(S/K)| + |(r - q) T|): where the two cancel (the strike
 * within a few ulps of the forward) that is all of x, its sign included,
 * which decides the side of the strike at volatility 0 and h = x / s at
 * a small s (a strike one ulp above the forward was taken at the money:
 * gamma 2e165 and vega 246 for 0). There x is computed as
 * log1p((S - K e^(-c)) / (K e^(-c))), c = (r - q) T formed exactly in
 * double-double and e^(-c) to 1e-31 (keel_exp_dd()), K e^(-c) to a
 * double-double by an fma and S - K e^(-c) exact to that (Sterbenz): x
 * to a few ulps of itself. `carry` is the kernel's rounded (r - q) T. */
static inline double keel_forward_log_moneyness(double s, double k, double r, double q, double t,
                                                double carry)
{
    double x = keel_log_ratio(s, k) + carry;
    if (!(fabs(x) < 0.0625 * fabs(carry)) || !(fabs(carry) < 600.0))
        return x;
    double d = r - q, bb = d - r;
    double dl = (r - (d - bb)) + (-q - bb); /* r - q = d + dl exactly */
    double ch = d * t, cl = fma(d, t, -ch) + dl * t;
    double eh, el;
    keel_exp_dd(-ch, &eh, &el);
    el -= eh * cl; /* e^(-ch - cl) = e^(-ch) (1 - cl), cl below eps |ch| */
    double p = k * eh, pe = fma(k, eh, -p) + k * el;
    if (!(p > 0.0 && p < INFINITY && s >= 0.5 * p && s <= 2.0 * p))
        return x;
    double u = ((s - p) - pe) / p;
    return log1p(u);
}

/* S e^(-qT) - K e^(-rT), the discounted forward less the discounted
 * strike (the intrinsic value the kernel adds by put-call parity), from
 * dq = e^(-qT), sd = S dq, kd = K e^(-rT), c = (r - q) T and
 * x = ln(S/K) + c as the kernel forms them. sd - kd is the difference of
 * two rounded products, with an absolute error of eps (sd + kd) however
 * small the difference (Black-76 at F 100, K 99.9999999999 lost 3e-5 of
 * it). Near the money (S/K in [1/2, 2]) it is taken as
 *
 *     (S - K) e^(-qT) + K e^(-rT) expm1((r - q) T)
 *
 * (S - K is exact there, by Sterbenz): a few ulps of its terms, which
 * are of the size of the difference unless the forward is near the
 * strike with the spot away from it (then the rounding of c is in x as
 * well); exact for Black-76 and at T = 0 up to one rounding. Away from
 * the money sd - kd loses nothing much. The result has the sign of x
 * (0 at x = 0), the side of the strike the kernel prices from: the two
 * can disagree only by a rounding where the forward is at the strike,
 * and then the difference is below that rounding, so a price made by
 * parity is never negative. */
static inline double keel_forward_gap(double s, double k, double dq, double sd, double kd,
                                      double c, double x)
{
    double g = sd - kd;
    if (s >= 0.5 * k && s <= 2.0 * k) { /* S/K in [1/2, 2] */
        double a = (s - k) * dq + kd * expm1(c);
        if (isfinite(a))
            g = a;
    }
    if (x > 0.0)
        return fmax(g, 0.0);
    if (x < 0.0)
        return fmin(g, 0.0);
    return x == 0.0 ? 0.0 : g;
}

/* b(x, s) for x <= 0 and s > 0 with no cancellation: the two-term formula
 * where its terms differ enough, the erf form at x = 0, and where h = x/s
 * <= -8 (deep out of the money, where the two terms agree to many digits)
 * an integral of the vega with Gauss-Laguerre quadrature. */
double keel_black_otm(double x, double s);

/* ln b(x, s) for x <= 0, s > 0, also where b is below the double range:
 * deep out of the money (h = x/s <= -8) the quadrature of
 * keel_black_otm() in logarithms; for s < 1e-100, ln s + ln g(h) (see
 * keel_black_small_log()); elsewhere ln of keel_black_otm(), a normal
 * number there for |x| <= 1400 (b grows with s: it is about
 * s (phi(h) + h N(h)) >= s (phi(8) - 8 N(-8)) > 7e-17 s for small s, and
 * at h = -8 with large |x| about e^(x/2) N(s/2 - 8) > 1e-304). */
double keel_black_otm_log(double x, double s);

/* The limit s -> 0 at fixed h = x/s = -eta <= 0: b(x, s) = s g(h) (1 +
 * O(s^2)) with g(h) = phi(h) + h N(h) (expand e^(+-x/2) N(h +- s/2) in s;
 * the next term is smaller by a factor of order s^2 h^2). Returns
 * ln g(-eta) = ln(phi(eta) - eta N(-eta)), from the quadrature beyond
 * eta = 8, where the difference cancels. */
double keel_black_small_log(double eta);

/* b'(x, s) = exp(-(x^2/s^2 + s^2/4) / 2) / sqrt(2 pi) (the normalised vega). */
double keel_black_vega(double x, double s);

/* e^(x/2) - b(x, s) = e^(x/2) N(-x/s - s/2) + e^(-x/2) N(x/s - s/2) for
 * x <= 0, s > 0: how far the normalised price lies below its upper bound,
 * a sum of two positive terms (no cancellation where b is near the bound). */
double keel_black_complement(double x, double s);

#endif
