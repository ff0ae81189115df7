/* A small dense convex quadratic program by the primal active-set method
 * (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithm 16.3):
 *
 *     minimise 1/2 x'Qx + c'x   subject to   a_i'x = b_i (i < neq),  a_i'x >= b_i (i >= neq)
 *
 * from a feasible start. Each step solves the equality-constrained problem on
 * the working set through its KKT system, [Q -A'; A 0] [p; l] = [-g; 0], by
 * Gaussian elimination with partial pivoting; a zero step with every
 * inequality multiplier >= 0 is optimal (the KKT conditions hold), otherwise
 * the most negative multiplier leaves the working set, and a step that meets
 * a constraint adds it. Q must be positive definite on the null space of the
 * equalities (the caller regularises a semi-definite Q). */
#include <math.h>
#include <string.h>

#include "kmath.h"

/* Solves the dense k x k system m z = r in place (z in r); false when singular. */
static bool solve_dense(size_t k, double *m, double *r)
{
    for (size_t col = 0; col < k; col++) {
        size_t piv = col;
        for (size_t i = col + 1; i < k; i++)
            if (fabs(m[i * k + col]) > fabs(m[piv * k + col]))
                piv = i;
        if (!(fabs(m[piv * k + col]) > 1e-300))
            return false;
        if (piv != col) {
            for (size_t j = 0; j < k; j++) {
                double t = m[col * k + j];
                m[col * k + j] = m[piv * k + j];
                m[piv * k + j] = t;
            }
            double t = r[col];
            r[col] = r[piv];
            r[piv] = t;
        }
        for (size_t i = col + 1; i < k; i++) {
            double f = m[i * k + col] / m[col * k + col];
            if (f == 0.0)
                continue;
            for (size_t j = col; j < k; j++)
                m[i * k + j] -= f * m[col * k + j];
            r[i] -= f * r[col];
        }
    }
    for (size_t i = k; i-- > 0;) {
        double s = r[i];
        for (size_t j = i + 1; j < k; j++)
            s -= m[i * k + j] * r[j];
        r[i] = s / m[i * k + i];
    }
    return true;
}

size_t keel_qp_work_size(size_t n, size_t m)
{
    size_t k = n + m;
    return k * k + 3 * k;
}

int keel_qp_solve(size_t n, const double *q, const double *c, size_t m, size_t neq,
                  const double *a, const double *b, double *x, double *work, size_t *iterations)
{
    size_t k = n + m;
    double *kkt = work, *rhs = kkt + k * k, *p = rhs + k, *g = p + n;
    double *lambda = g + n;          /* multipliers by constraint */
    bool *in = (bool *)(lambda + m); /* working set, m flags in the last m doubles */
    /* the working set starts with the equalities and every active inequality */
    for (size_t i = 0; i < m; i++) {
        double ax = 0.0, scale = fabs(b[i]);
        for (size_t j = 0; j < n; j++) {
            ax += a[i * n + j] * x[j];
            scale += fabs(a[i * n + j] * x[j]);
        }
        in[i] = i < neq || fabs(ax - b[i]) <= 1e-12 * (scale + 1.0);
    }
    size_t limit = 50 * (n + m) + 100;
    bool at_minimum = false; /* after a full step: x minimises on the working set */
    for (size_t it = 0; it < limit; it++) {
        if (iterations)
            *iterations = it + 1;
        for (size_t j = 0; j < n; j++) {
            double s = c[j];
            for (size_t l = 0; l < n; l++)
                s += q[j * n + l] * x[l];
            g[j] = s;
        }
        size_t w = 0;
        size_t rows[256];
        for (size_t i = 0; i < m && w < 256; i++)
            if (in[i])
                rows[w++] = i;
        size_t dim = n + w;
        memset(kkt, 0, dim * dim * sizeof *kkt);
        for (size_t j = 0; j < n; j++) {
            for (size_t l = 0; l < n; l++)
                kkt[j * dim + l] = q[j * n + l];
            rhs[j] = -g[j];
        }
        for (size_t r = 0; r < w; r++) {
            for (size_t j = 0; j < n; j++) {
                kkt[j * dim + n + r] = -a[rows[r] * n + j];
                kkt[(n + r) * dim + j] = a[rows[r] * n + j];
            }
            rhs[n + r] = 0.0;
        }
        if (!solve_dense(dim, kkt, rhs)) {
            /* dependent working rows: drop the last inequality and retry */
            size_t r = w;
            while (r-- > 0 && rows[r] < neq) {
            }
            if (r == (size_t)-1)
                return KEEL_QP_SINGULAR;
            in[rows[r]] = false;
            continue;
        }
        double pnorm = 0.0, xnorm = 0.0;
        for (size_t j = 0; j < n; j++) {
            p[j] = rhs[j];
            pnorm = fmax(pnorm, fabs(p[j]));
            xnorm = fmax(xnorm, fabs(x[j]));
        }
        for (size_t i = 0; i < m; i++)
            lambda[i] = 0.0;
        for (size_t r = 0; r < w; r++)
            lambda[rows[r]] = rhs[n + r];
        if (at_minimum || pnorm <= 1e-14 * (xnorm + 1.0)) {
            /* (after a full step what is left of p is rounding) */
            at_minimum = false;
            /* stationary on the working set: optimal unless an inequality pulls */
            size_t worst = m;
            double most = 0.0;
            double lscale = 0.0;
            for (size_t j = 0; j < n; j++)
                lscale = fmax(lscale, fabs(g[j]));
            for (size_t r = 0; r < w; r++) {
                size_t i = rows[r];
                if (i >= neq && lambda[i] < most - 1e-13 * (lscale + 1.0)) {
                    most = lambda[i];
                    worst = i;
                }
            }
            if (worst == m)
                return KEEL_QP_OPTIMAL;
            in[worst] = false;
            continue;
        }
        /* step to the first constraint outside the working set that p crosses */
        double alpha = 1.0;
        size_t block = m;
        for (size_t i = neq; i < m; i++) {
            if (in[i])
                continue;
            double ap = 0.0, ax = 0.0;
            for (size_t j = 0; j < n; j++) {
                ap += a[i * n + j] * p[j];
                ax += a[i * n + j] * x[j];
            }
            if (ap < 0.0) {
                double t = (b[i] - ax) / ap;
                if (t < 0.0)
                    t = 0.0;
                if (t < alpha) {
                    alpha = t;
                    block = i;
                }
            }
        }
        for (size_t j = 0; j < n; j++)
            x[j] += alpha * p[j];
        if (block < m)
            in[block] = true;
        else
            at_minimum = true;
    }
    return KEEL_QP_ITERATIONS;
}
