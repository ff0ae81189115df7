#include <math.h>

#include "as241.h"
#include "kmath.h"

double keel_norm_cdf(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the
 * normal distribution. Applied Statistics 37(3), 477-484. Coefficients of
 * PPND16, the double-precision version. */
static double poly(const double *c, int n, double x)
{
    double r = c[n - 1];
    for (int i = n - 2; i >= 0; i--)
        r = r * x + c[i];
    return r;
}

double keel_norm_quantile(double p)
{
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    double q = p - 0.5;
    if (fabs(q) <= 0.425) {
        double r = 0.180625 - q * q;
        return q * poly(as241_a, 8, r) / poly(as241_b, 8, r);
    }
    double r = q < 0.0 ? p : 1.0 - p;
    r = sqrt(-log(r));
    double x;
    if (r <= 5.0) {
        r -= 1.6;
        x = poly(as241_c, 8, r) / poly(as241_d, 8, r);
    } else {
        r -= 5.0;
        x = poly(as241_e, 8, r) / poly(as241_f, 8, r);
    }
    return q < 0.0 ? -x : x;
}
