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
