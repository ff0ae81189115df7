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

/* b(x, s) for x <= 0 and s > 0 with no cancellation: the two-term formula
 * where its terms differ enough, the erf form at x = 0, and where h = x/s
 * <= -8 (deep out of the money, where the two terms agree to many digits)
 * an integral of the vega with Gauss-Laguerre quadrature. */
double keel_black_otm(double x, double s);

/* b'(x, s) = exp(-(x^2/s^2 + s^2/4) / 2) / sqrt(2 pi) (the normalised vega). */
double keel_black_vega(double x, double s);

/* e^(x/2) - b(x, s) = e^(x/2) N(-x/s - s/2) + e^(-x/2) N(x/s - s/2) for
 * x <= 0, s > 0: how far the normalised price lies below its upper bound,
 * a sum of two positive terms (no cancellation where b is near the bound). */
double keel_black_complement(double x, double s);

#endif
