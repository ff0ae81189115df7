#include <float.h>
#include <math.h>

#include "kmath.h"

/* Cholesky-Banachiewicz, row by row, with a pivot tolerance relative to the
 * diagonal scale: a pivot within rounding of zero is taken as exactly zero
 * (the matrix is singular but PSD) and its column is zeroed; a clearly
 * negative pivot proves the matrix is not PSD (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., section 10.3). */
bool keel_cholesky_psd(size_t n, const double *a, double *l)
{
    double scale = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(a[i * n + i]));
    double tol = 64.0 * (double)(n + 1) * DBL_EPSILON * (scale > 0.0 ? scale : 1.0);
    for (size_t i = 0; i < n * n; i++)
        l[i] = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j <= i; j++) {
            double s = a[i * n + j];
            for (size_t k = 0; k < j; k++)
                s -= l[i * n + k] * l[j * n + k];
            if (i == j) {
                if (s < -tol)
                    return false;
                l[i * n + i] = s > tol ? sqrt(s) : 0.0;
            } else {
                double pivot = l[j * n + j];
                if (pivot > 0.0) {
                    l[i * n + j] = s / pivot;
                } else if (fabs(s) > sqrt(tol) * sqrt(fabs(a[i * n + i])) + tol) {
                    /* a zero pivot with a non-zero coupling: not PSD */
                    return false;
                }
            }
        }
    }
    return true;
}
