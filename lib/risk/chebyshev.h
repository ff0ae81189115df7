/* Polynomials in t on [-1, 1] for the liquidation-price search
 * (breakpoints.c): interpolation at NODES Chebyshev nodes checked at NCHECK
 * more points, products, and every real root isolated. Coefficients are in
 * increasing degree. (chebyshev.c) */
#ifndef KEEL_RISK_CHEBYSHEV_H
#define KEEL_RISK_CHEBYSHEV_H

#include <stdbool.h>

/* Interpolation nodes per piece: degree NODES - 1 = 5 in u. */
#define NODES 6
#define MAXDEG (2 * (NODES - 1))
/* Check points per piece. */
#define NCHECK 3

/* The j-th interpolation node, cos((2j + 1) pi / 12), and the check points. */
double keel_cheb_node(int j);
extern const double keel_cheb_check[NCHECK];

/* c(t), c of degree n. */
double keel_poly_eval(const double *c, int n, double t);

/* The polynomial of degree <= 5 through (keel_cheb_node(j), y[j]), by the
 * discrete Chebyshev transform, into monomial coefficients c[0..5]. */
void keel_poly_fit(const double *y, double *c);

/* Whether the fit c reproduces the checked values y_check at
 * keel_cheb_check, to FIT_TOL (chebyshev.c). */
bool keel_poly_fits(const double *c, const double *y_check);

/* out (degree na + nb) = a (degree na) x b (degree nb). */
void keel_poly_mul(const double *a, int na, const double *b, int nb, double *out);

/* The real roots of c (degree <= n <= MAXDEG) in [-1, 1], increasing, into
 * out (room for MAXDEG + 2); returns their number. */
int keel_poly_roots(const double *c, int n, double *out);

/* Candidate points of a polynomial c of degree <= deg on [-1, 1]: its real
 * roots and those of its derivative (its turning points), appended to t
 * from index nt; returns the new count. */
int keel_poly_candidates(const double *c, int deg, double *t, int nt);

#endif
