/* lib/math: special functions, small dense linear algebra and root finding.
 * No finance here. */
#ifndef KEEL_KMATH_H
#define KEEL_KMATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keel/core.h"

/* 1 / sqrt(2 pi), the standard normal density at 0. */
#define KEEL_INV_SQRT_2PI 0.39894228040143267794

/* Standard normal cumulative distribution, accurate in both tails
 * (computed from erfc). */
double keel_norm_cdf(double x);

/* Inverse of the standard normal CDF for p in (0, 1): Wichura's algorithm
 * AS 241 (PPND16), relative accuracy about 1e-16. Returns -inf / +inf at
 * p = 0 / 1 and NaN outside [0, 1]. */
double keel_norm_quantile(double p);

/* The digamma function psi = (log Gamma)' and the trigamma function psi',
 * for x > 0 (NaN otherwise), to about 1e-15 relative (absolute near psi's root
 * 1.4616...) (lib/math/gamma.c). */
double keel_digamma(double x);
double keel_trigamma(double x);

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

/* Named tolerances of keel's searches: the relative width of the final
 * bracket, |hi - lo| <= tol * max(|lo|, |hi|). KEEL_TOL_ULP runs to adjacent
 * doubles, where rounding alone decides. */
#define KEEL_TOL_ULP 0.0
#define KEEL_TOL_PLAN 1e-15  /* sizes of trades in plans and policies */
#define KEEL_TOL_PROB 1e-13  /* targets found through a probability model */
#define KEEL_TOL_ROOT 4e-16  /* Brent roots of a price or a size */
#define KEEL_TOL_VAR 1e-14   /* borrowing power under a VaR limit */

/* Arithmetic bisection halves the bracket: from the widest finite bracket
 * (< 2^1025) to adjacent doubles (>= 2^-1074 apart) takes at most 2099
 * halvings, so every bisection ends within this many evaluations. */
#define KEEL_BISECT_MAX_STEPS 2100

/* A predicate that is monotone along the search: false up to a point, true
 * from it on. Returns a status (a failed evaluation stops the search). */
typedef keel_status (*keel_pred_fn)(double x, void *ctx, bool *holds);

/* Bisection of a monotone predicate on the bracket (*lo, *hi), where
 * pred(*lo) is false and pred(*hi) is true (lo may lie above hi). Narrows it
 * until |hi - lo| <= rel_tol * max(|lo|, |hi|) or the two are adjacent
 * doubles. Guarantee: it ends within KEEL_BISECT_MAX_STEPS evaluations, and
 * on return pred(*lo) is false and pred(*hi) is true as last evaluated, so the
 * switch lies in between. Returns the first failing evaluation's status. */
keel_status keel_bisect(keel_pred_fn pred, void *ctx, double *lo, double *hi, double rel_tol);

/* Widens a bracket for keel_bisect(): with pred(*lo) false, moves *lo to
 * *hi and multiplies *hi by `factor` (> 1, *hi > 0), stopping at `limit`,
 * until pred(*hi) holds or *hi can grow no more. Sets *found; at most KEEL_BISECT_MAX_STEPS
 * evaluations. */
keel_status keel_bracket_grow(keel_pred_fn pred, void *ctx, double *lo, double *hi, double factor,
                              double limit, bool *found);

/* Philox4x32-10 (Salmon et al. 2011): one block of four words from a
 * 128-bit counter and a 64-bit key. */
void keel_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* A stream of the generator: key = seed, counter = (block, stream low,
 * stream high, substream); the block advances. Draws of one kind only per
 * stream (uniforms or normals), so a value never depends on what else was
 * drawn. */
typedef struct keel_rng {
    uint32_t key[2], ctr[4];
    double buf[2];
    int left;
} keel_rng;

void keel_rng_init(keel_rng *r, uint64_t seed, uint64_t stream, uint32_t substream);
/* Uniform in (0, 1), 53 bits. */
double keel_rng_uniform(keel_rng *r);
/* Standard normal by Box-Muller. */
double keel_rng_normal(keel_rng *r);

/* The simulation's normals (vrand.c): normal n of stream (seed, stream,
 * substream) is the AS 241 quantile of the 52-bit uniform (2k + 1) 2^-53
 * from words 2 (n % 2) and 2 (n % 2) + 1 of Philox block n / 2 (counter:
 * block low word, stream low, stream high, substream ^ (block high << 8)).
 * Writes normals first .. first + count - 1; first and count even. The same
 * bits on every dispatch target: keel_normals uses the best, keel_normals_isa
 * the one it is given (a simulation's own target, which tests set). */
void keel_normals(uint64_t seed, uint64_t stream, uint32_t substream, uint64_t first,
                  size_t count, double *out);
void keel_normals_isa(int isa, uint64_t seed, uint64_t stream, uint32_t substream,
                      uint64_t first, size_t count, double *out);
/* exp with fdlibm's algorithm (< 1 ulp) in + - * / only, the same bits on
 * every target; 0 below -708, infinity above 709.7. Array form: y = exp(x),
 * x and y distinct. */
double keel_exp_det(double x);
void keel_exp_array(size_t n, const double *x, double *y);
void keel_exp_array_isa(int isa, size_t n, const double *x, double *y);
/* log for x in [2^-1022, 1] (fdlibm's algorithm), and the AS 241 quantile
 * the generator applies, as scalars (tests). */
double keel_log_det(double x);
double keel_quantile_det(double u);

/* keel_qp_solve() results: the optimum; a singular KKT system (Q not
 * positive definite on the null space of a working set); the safeguard
 * iteration limit. */
enum { KEEL_QP_OPTIMAL = 0, KEEL_QP_SINGULAR = 1, KEEL_QP_ITERATIONS = 2 };

/* Doubles of workspace keel_qp_solve() needs for n variables, m constraints. */
size_t keel_qp_work_size(size_t n, size_t m);

/* Minimises 1/2 x'Qx + c'x subject to a_i'x = b_i for the first neq rows and
 * a_i'x >= b_i for the rest (a: m x n row-major), by the primal active-set
 * method (Nocedal & Wright 2nd ed., algorithm 16.3) from the feasible start x
 * (overwritten with the solution), with linearly independent working sets,
 * Bland's smallest-index rule among tied blocking constraints, and degenerate
 * vertices (an active constraint outside the working set) resolved by
 * Lawson & Hanson's NNLS on the dual of the local problem. Q (n x n,
 * row-major) must be positive definite on the null space of the equalities.
 * Termination guarantee: in exact arithmetic it cannot cycle and ends at the
 * optimum after finitely many iterations, degenerate or not (ties, dependent
 * or redundant constraints, more active constraints than variables); in
 * floating point the same holds up to relative tolerances, and an iteration
 * limit of 50 (n + m) + 100 is kept as a safeguard (KEEL_QP_ITERATIONS).
 * Returns KEEL_QP_*; *iterations (may be NULL) gets the count. */
int keel_qp_solve(size_t n, const double *q, const double *c, size_t m, size_t neq,
                  const double *a, const double *b, double *x, double *work,
                  size_t *iterations);

#endif
