/* Derivatives of log Gamma: the digamma and trigamma functions, for the
 * Student-t likelihood's derivatives in its degrees of freedom. */
#include <math.h>

#include "math/kmath.h"

/* The recurrences psi(x) = psi(x + 1) - 1/x and psi'(x) = psi'(x + 1) + 1/x^2
 * (Abramowitz and Stegun 6.3.5, 6.4.6) carry x to at least 12, where the
 * asymptotic series (A&S 6.3.18, 6.4.12) are used up to x^-12 (x^-13 for
 * psi'); the first omitted terms are below 1e-15 of the value there. */
#define ASYMPTOTIC_FROM 12.0

double keel_digamma(double x)
{
    if (!(x > 0.0) || !isfinite(x))
        return NAN;
    double shift = 0.0;
    while (x < ASYMPTOTIC_FROM) {
        shift -= 1.0 / x;
        x += 1.0;
    }
    double r = 1.0 / (x * x);
    /* Bernoulli numbers: B2k / (2k) for k = 1..6 */
    double series = r * (1.0 / 12.0 - r * (1.0 / 120.0 - r * (1.0 / 252.0 - r * (1.0 / 240.0 -
                    r * (1.0 / 132.0 - r * (691.0 / 32760.0))))));
    return shift + log(x) - 0.5 / x - series;
}

double keel_trigamma(double x)
{
    if (!(x > 0.0) || !isfinite(x))
        return NAN;
    double shift = 0.0;
    while (x < ASYMPTOTIC_FROM) {
        shift += 1.0 / (x * x);
        x += 1.0;
    }
    double r = 1.0 / (x * x);
    /* B2k for k = 1..6: 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730 */
    double series = r * (1.0 / 6.0 - r * (1.0 / 30.0 - r * (1.0 / 42.0 - r * (1.0 / 30.0 -
                    r * (5.0 / 66.0 - r * (691.0 / 2730.0))))));
    return shift + 1.0 / x + 0.5 * r + series / x;
}
