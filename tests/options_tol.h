/* The scale the vector batch kernel's results are compared at: for each
 * member of keel_greeks, the size of the terms it is made of (where they
 * cancel, the rounding of each term, not the small difference, sets the
 * error of any double evaluation: the scalar kernel's too). Computed here
 * from the formulas (Haug 1.1.6 and 2.2-2.3) with libm, to a few digits,
 * which is all a tolerance needs. amp is 1 + d1^2 + d2^2: a relative
 * rounding eps of d moves N(d) and phi(d) by about eps d^2 relative. */
#ifndef KEEL_TEST_OPTIONS_TOL_H
#define KEEL_TEST_OPTIONS_TOL_H

#include <math.h>

typedef struct bs_scales {
    double scale[10]; /* value, delta, gamma, vega, theta, rho, dividend rho, vanna, volga, charm */
    double amp;
} bs_scales;

static inline bs_scales bs_scales_of(int put, double S, double K, double T, double r, double q,
                                     double vol)
{
    bs_scales o;
    double dq = exp(-q * T), dr = exp(-r * T), sd = S * dq, kd = K * dr;
    double sqt = sqrt(T), s = vol * sqt;
    double x = log(S / K) + (r - q) * T;
    double h = x / s, d1 = h + 0.5 * s, d2 = d1 - s;
    double n1 = 0.5 * erfc(-d1 / sqrt(2.0)), n2 = 0.5 * erfc(-d2 / sqrt(2.0));
    double m1 = 0.5 * erfc(d1 / sqrt(2.0)), m2 = 0.5 * erfc(d2 / sqrt(2.0));
    double a = put ? m1 : n1, b = put ? m2 : n2;
    double p = exp(-0.5 * d1 * d1) * 0.3989422804014327;
    /* the value: the two terms of the out-of-the-money side, and the
     * intrinsic value parity adds */
    double otm_terms = x <= 0 ? sd * n1 + kd * n2 : kd * m2 + sd * m1;
    double itm = (put ? x <= 0 : x > 0) ? fabs(sd - kd) : 0.0;
    double vega = sd * p * sqt;
    double hs = fabs(h) + s; /* bounds |d1| and |d2| */
    o.scale[0] = otm_terms + itm;
    o.scale[1] = dq * a;
    o.scale[2] = dq * p / (S * s);
    o.scale[3] = vega;
    o.scale[4] = sd * p * vol / (2.0 * sqt) + fabs(q) * (sd * a + otm_terms + itm) +
                 fabs(r) * (kd * b + otm_terms + itm);
    o.scale[5] = T * kd * b;
    o.scale[6] = T * sd * a;
    o.scale[7] = dq * p * hs / vol;
    o.scale[8] = vega * hs * hs / vol;
    o.scale[9] = fabs(q) * dq * a + dq * p * (fabs(2.0 * (r - q) * T) + hs * s) / (2.0 * T * s);
    o.amp = 1.0 + d1 * d1 + d2 * d2;
    return o;
}

#endif
