/* lib/math: special functions, small dense linear algebra and root finding.
 * No finance here. */
#ifndef KEEL_KMATH_H
#define KEEL_KMATH_H

#include <stdbool.h>
#include <stddef.h>

/* Standard normal cumulative distribution, accurate in both tails
 * (computed from erfc). */
double keel_norm_cdf(double x);

/* Inverse of the standard normal CDF for p in (0, 1): Wichura's algorithm
 * AS 241 (PPND16), relative accuracy about 1e-16. Returns -inf / +inf at
 * p = 0 / 1 and NaN outside [0, 1]. */
double keel_norm_quantile(double p);

/* Checks that the symmetric n x n matrix `a` (row-major) is positive
 * semi-definite by a Cholesky factorisation that tolerates zero pivots (a
 * rank-deficient matrix, e.g. two assets with correlation 1). `work` holds n*n
 * doubles and receives the lower factor. Returns false when a pivot is
 * negative beyond rounding, i.e. the matrix is not PSD. */
bool keel_cholesky_psd(size_t n, const double *a, double *work);

/* f for the root finder: returns f(x); *ok = false on an evaluation error. */
typedef double (*keel_root_fn)(double x, void *ctx, bool *ok);

/* Brent's method (Brent 1973, "Algorithms for Minimization without
 * Derivatives", ch. 4) on [a, b] with f(a), f(b) of opposite signs (or one
 * of them 0). Stops when the bracket is below `xtol` relative to |x|, or
 * f = 0 exactly. Returns 0 and the root in *root; 1 when f changes no sign;
 * 2 when f failed; 3 when the iteration limit was hit. */
int keel_brent(keel_root_fn f, void *ctx, double a, double fa, double b, double fb, double xtol,
               double *root);

#endif
