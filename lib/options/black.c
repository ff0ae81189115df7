/* The normalised Black function (see black.h). */
#include <math.h>

#include "black.h"
#include "math/kmath.h"

#define INV_4_SQRT_PI 0.14104739588693907 /* 1 / (4 sqrt(pi)) */

/* 16-point Gauss-Laguerre nodes and weights (computed with numpy's
 * polynomial.laguerre.laggauss(16)). */
static const double LAGUERRE_X[16] = {
    0.08764941047892776,
    0.4626963289150804,
    1.1410577748312265,
    2.1292836450983805,
    3.4370866338932067,
    5.078018614549768,
    7.070338535048234,
    9.438314336391938,
    12.21422336886616,
    15.441527368781617,
    19.180156856753136,
    23.515905693991908,
    28.57872974288214,
    34.58339870228662,
    41.94045264768833,
    51.70116033954332
};
static const double LAGUERRE_W[16] = {
    0.2061517149578049,
    0.3310578549508783,
    0.2657957776442144,
    0.13629693429637874,
    0.04732892869412563,
    0.011299900080339598,
    0.0018490709435263271,
    0.0002042719153082809,
    1.4844586873981502e-05,
    6.828319330871331e-07,
    1.8810248410797222e-08,
    2.862350242973897e-10,
    2.1270790332241214e-12,
    6.29796700251788e-15,
    5.050473700035608e-18,
    4.161462370372851e-22
};

/* Deep out of the money (h = x/s <= -8) the two terms of b agree to about
 * |h|/s digits and their difference is lost. There b is computed as the
 * integral of its positive derivative in s, b(x, s) = int_0^s b'(x, u) du;
 * with v = x^2 / (2 u^2) it becomes
 *
 *     b = |x| / (4 sqrt(pi)) e^(-v0) int_0^inf e^(-w) G(v0 + w) dw,
 *     G(v) = v^(-3/2) exp(-x^2 / (16 v)),   v0 = h^2 / 2 >= 32,
 *
 * and G is so smooth on the scale of w ~ 1 that 16-point Gauss-Laguerre
 * quadrature is exact to rounding (its error term is below 1e-20 for
 * v0 >= 32). */
static double black_deep_otm(double x, double s)
{
    double v0 = 0.5 * (x / s) * (x / s);
    double c = x * x / 16.0;
    double sum = 0.0;
    for (int i = 0; i < 16; i++) {
        double v = v0 + LAGUERRE_X[i];
        sum += LAGUERRE_W[i] * exp(-c / v) / (v * sqrt(v));
    }
    return fabs(x) * INV_4_SQRT_PI * exp(-v0) * sum;
}

/* ln of the quadrature above, for b below the double range (tiny prices):
 * with v_i = v0 + X_i = v0 (1 + X_i / v0) and c / v_i = (s^2 / 8) / (1 +
 * X_i / v0),
 *
 *     ln b = ln(|x| / (4 sqrt(pi))) - v0 - 3/2 ln v0
 *            + ln sum_i W_i exp(-(s^2/8) / (1 + X_i/v0)) (1 + X_i/v0)^(-3/2),
 *
 * the sum by log-sum-exp. cs = s^2 / 8 (0 for the limit s -> 0 at fixed
 * h, where |x| stands for |h| and b for b / s). -inf only when v0 is
 * beyond the double range (b below e^(-1e308)). */
static double deep_otm_log(double ax, double v0, double cs)
{
    if (!(v0 < INFINITY))
        return -INFINITY;
    double a[16], m = -INFINITY;
    for (int i = 0; i < 16; i++) {
        double ratio = 1.0 + LAGUERRE_X[i] / v0;
        a[i] = log(LAGUERRE_W[i]) - cs / ratio - 1.5 * log(ratio);
        m = fmax(m, a[i]);
    }
    if (!(m > -INFINITY))
        return -INFINITY;
    double sum = 0.0;
    for (int i = 0; i < 16; i++)
        sum += exp(a[i] - m);
    return log(ax * INV_4_SQRT_PI) - v0 - 1.5 * log(v0) + m + log(sum);
}

/* Small s (t = s/2 < 0.01) and |h| < 8: write
 *     b = e^(x/2) [N(h+t) - N(h-t)] + 2 sinh(x/2) N(h-t)
 * and take the bracket from its Taylor series in t,
 *     N(h+t) - N(h-t) = 2 t phi(h) (1 + He2 t^2/6 + He4 t^4/120 + He6 t^6/5040),
 * He_n the probabilists' Hermite polynomials (phi^(n) = He_n phi for even
 * n); the next term is below 1e-16 relative for t < 0.01 and |h| < 8. The
 * two terms then cancel by at most a factor h^2 (Mills' ratio). */
static double black_small_s(double x, double s)
{
    double h = x / s, t = 0.5 * s;
    double h2 = h * h, t2 = t * t;
    double he2 = h2 - 1.0, he4 = h2 * h2 - 6.0 * h2 + 3.0;
    double he6 = h2 * h2 * h2 - 15.0 * h2 * h2 + 45.0 * h2 - 15.0;
    double band = 2.0 * t * KEEL_INV_SQRT_2PI * exp(-0.5 * h2) *
                  (1.0 + t2 * (he2 / 6.0 + t2 * (he4 / 120.0 + t2 * he6 / 5040.0)));
    return exp(0.5 * x) * band + 2.0 * sinh(0.5 * x) * keel_norm_cdf(h - t);
}

double keel_black_otm(double x, double s)
{
    double h = x / s, t = 0.5 * s;
    if (h <= -8.0)
        return black_deep_otm(x, s);
    if (t < 0.01)
        return black_small_s(x, s);
    if (x == 0.0)
        return erf(t * 0.70710678118654752440);
    return exp(0.5 * x) * keel_norm_cdf(h + t) - exp(-0.5 * x) * keel_norm_cdf(h - t);
}

double keel_black_vega(double x, double s)
{
    double h = x / s, t = 0.5 * s;
    return KEEL_INV_SQRT_2PI * exp(-0.5 * (h * h + t * t));
}

double keel_black_complement(double x, double s)
{
    double h = x / s, t = 0.5 * s;
    return exp(0.5 * x) * keel_norm_cdf(-h - t) + exp(-0.5 * x) * keel_norm_cdf(h - t);
}

double keel_black_otm_log(double x, double s)
{
    double h = x / s;
    if (h <= -8.0)
        return deep_otm_log(fabs(x), 0.5 * h * h, 0.125 * s * s);
    if (s < 1e-100)
        return log(s) + keel_black_small_log(-h); /* b = s g(h) to rounding */
    return log(keel_black_otm(x, s));
}

double keel_black_small_log(double eta)
{
    if (eta >= 8.0)
        return deep_otm_log(eta, 0.5 * eta * eta, 0.0);
    /* phi(eta) - eta N(-eta): the terms cancel by at most a factor
     * 1 + eta^2 < 65 */
    return log(KEEL_INV_SQRT_2PI * exp(-0.5 * eta * eta) - eta * keel_norm_cdf(-eta));
}
