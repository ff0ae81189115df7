#include <float.h>
#include <math.h>

#include "kmath.h"

/* Brent's method as in Brent (1973), ch. 4, the procedure "zero": inverse
 * quadratic interpolation or secant when it stays inside the bracket and
 * shrinks fast enough, bisection otherwise. */
int keel_brent(keel_root_fn fn, void *ctx, double a, double fa, double b, double fb, double xtol,
               double *root)
{
    if (fa == 0.0) {
        *root = a;
        return 0;
    }
    if (fb == 0.0) {
        *root = b;
        return 0;
    }
    if ((fa > 0.0) == (fb > 0.0))
        return 1;
    double c = a, fc = fa, d = b - a, e = d;
    for (int iter = 0; iter < 200; iter++) {
        if ((fb > 0.0) == (fc > 0.0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol = 2.0 * DBL_EPSILON * fabs(b) + 0.5 * xtol * fabs(b);
        double m = 0.5 * (c - b);
        if (fabs(m) <= tol || fb == 0.0) {
            *root = b;
            return 0;
        }
        if (fabs(e) < tol || fabs(fa) <= fabs(fb)) {
            d = e = m;
        } else {
            double s = fb / fa, p, q;
            if (a == c) {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                double qq = fa / fc, r = fb / fc;
                p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (p > 0.0)
                q = -q;
            else
                p = -p;
            if (2.0 * p < fmin(3.0 * m * q - fabs(tol * q), fabs(e * q))) {
                e = d;
                d = p / q;
            } else {
                d = e = m;
            }
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
        bool ok = true;
        fb = fn(b, ctx, &ok);
        if (!ok)
            return 2;
    }
    return 3;
}

keel_status keel_bisect(keel_pred_fn pred, void *ctx, double *lo, double *hi, double rel_tol)
{
    double a = *lo, b = *hi;
    for (int it = 0; it < KEEL_BISECT_MAX_STEPS; it++) {
        if (fabs(b - a) <= rel_tol * fmax(fabs(a), fabs(b)))
            break;
        double mid = isfinite(b - a) ? a + 0.5 * (b - a) : 0.5 * a + 0.5 * b;
        if (mid == a || mid == b)
            break; /* adjacent doubles */
        bool holds = false;
        keel_status st = pred(mid, ctx, &holds);
        if (st != KEEL_OK)
            return st;
        if (holds)
            b = mid;
        else
            a = mid;
    }
    *lo = a;
    *hi = b;
    return KEEL_OK;
}

keel_status keel_bracket_grow(keel_pred_fn pred, void *ctx, double *lo, double *hi, double factor,
                              double limit, bool *found)
{
    *found = false;
    for (int it = 0; it < KEEL_BISECT_MAX_STEPS; it++) {
        bool holds = false;
        keel_status st = pred(*hi, ctx, &holds);
        if (st != KEEL_OK)
            return st;
        if (holds) {
            *found = true;
            return KEEL_OK;
        }
        double next = fmin(*hi * factor, limit);
        if (!(next > *hi) || !isfinite(next))
            return KEEL_OK;
        *lo = *hi;
        *hi = next;
    }
    return KEEL_OK;
}
