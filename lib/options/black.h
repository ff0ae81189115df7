/* The normalised Black function shared by the pricing kernel and implied
 * volatility:
 *
 *     b(x, s) = e^(x/2) N(x/s + s/2) - e^(-x/2) N(x/s - s/2)   for x <= 0,
 *
 * the undiscounted out-of-the-money call on a forward of 1 / sqrt(F K) per
 * unit, x = ln(F/K), s = sigma sqrt(T). */
#ifndef KEEL_OPTIONS_BLACK_H
#define KEEL_OPTIONS_BLACK_H

/* b(x, s) for x <= 0 and s > 0 with no cancellation: the two-term formula
 * where its terms differ enough, the erf form at x = 0, and where h = x/s
 * <= -8 (deep out of the money, where the two terms agree to many digits)
 * an integral of the vega with Gauss-Laguerre quadrature. */
double keel_black_otm(double x, double s);

/* b'(x, s) = exp(-(x^2/s^2 + s^2/4) / 2) / sqrt(2 pi) (the normalised vega). */
double keel_black_vega(double x, double s);

#endif
