/* A small dense convex quadratic program by the primal active-set method
 * (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithm 16.3):
 *
 *     minimise q(x) = 1/2 x'Qx + c'x   subject to   a_i'x = b_i (i < neq),  a_i'x >= b_i (i >= neq)
 *
 * from a feasible start, with its degenerate vertices resolved so that it
 * cannot cycle (issue 12: the collateral problem starts at a vertex where more
 * constraints are active than there are variables; the plain method dropped a
 * constraint and took it back after a zero step until its iteration limit).
 *
 * Each iteration solves the equality-constrained problem on the working set W,
 * the KKT system [Q -A_W'; A_W 0] [p; l] = [-g; 0] with g = Qx + c, by
 * Gaussian elimination with partial pivoting and two steps of iterative
 * refinement (Skeel 1980, "Iterative refinement implies numerical stability
 * for Gaussian elimination", Math. Comp. 35(151)), so that A_W p = 0 holds to
 * rounding; the last correction estimates the error left in p. W is always a
 * linearly independent set of active constraints: at the start the equalities
 * and then the active inequalities in index order, each kept only if
 * independent of those before (modified Gram-Schmidt); a constraint joins W
 * only after the same test. With Q positive definite on the null space of the
 * equalities the KKT matrix is then non-singular (N&W lemma 16.1), and with n
 * rows in W, p = 0.
 *
 * - p != 0: step x + alpha p, alpha <= 1, to the first constraint outside W
 *   that p moves into (the smallest index among ties: Bland's rule, Bland
 *   1977, "New finite pivoting rules for the simplex method", Math. Oper. Res.
 *   2(2)), and add it; a constraint that is a combination of W's rows is
 *   passed over (a'p = 0 in exact arithmetic).
 * - p = 0 and every inequality multiplier >= 0: the KKT conditions hold;
 *   optimal.
 * - p = 0, a negative multiplier, every active inequality in W (a
 *   non-degenerate vertex): drop the most negative (per unit of |a_i|_1); the
 *   next step is a strict descent with alpha > 0 (N&W theorem 16.5).
 * - p = 0, a negative multiplier, an active inequality outside W (degenerate:
 *   a drop could be followed by a zero step that adds a constraint back, and
 *   the method can cycle). Then the local problem at x,
 *
 *       minimise g'd + 1/2 d'Qd   subject to   a_i'd = 0 (i < neq),  a_i'd >= 0 (i >= neq active),
 *
 *   is solved by its dual, the non-negative least-squares problem
 *   min_{lambda >= 0} |L^-1 (A'lambda - g)| (Q = LL'), with Lawson & Hanson's
 *   algorithm NNLS ("Solving Least Squares Problems", 1974, ch. 23), whose
 *   least-squares subproblems are the KKT systems above on the equalities +
 *   its passive set P (no factor of Q is formed); the entering constraint is
 *   the one d crosses most (the smallest index among ties). The solution d*
 *   is 0 -- x is optimal, with multipliers >= 0 on all active constraints --
 *   or a descent direction that crosses no active constraint; W becomes the
 *   equalities + P + the active constraints d* runs along (each if
 *   independent), on which the KKT solution is d* again, so the next step has
 *   alpha > 0.
 *
 * Termination (exact arithmetic): q never rises, and every exit from a
 * stationary point (p = 0: x minimises q on W) is a step with alpha > 0 and a
 * strict decrease. A working set is therefore stationary at most once (the
 * minimiser of q on W is unique), at most n constraints are added between two
 * stationary points, and NNLS ends after finitely many steps (Lawson & Hanson
 * ch. 23): keel_qp_solve() stops after finitely many iterations, at the
 * optimum, whatever the degeneracy (ties, redundant, duplicated or dependent
 * constraints, more active constraints than variables). In floating point the
 * same tests are made with tolerances relative to the data (the *_TOL below:
 * activity against the size of x, not of the bound, so that a huge finite
 * bound is no active constraint; a step within its estimated error, or whose
 * decrease 1/2 p'Qp is below 1e-20 of q's terms, counts as none; an NNLS
 * component within the direction's estimated error as 0), and iteration
 * limits stay as safeguards: 50 (n + m) + 100 iterations, 3 (m + 1) NNLS
 * steps per degenerate vertex (KEEL_QP_ITERATIONS). Not reached on 400,000
 * random degenerate problems with known optima (tests/test_math.c generates
 * 3,000 of them), nor on the collateral families of tests/test_optimize.c and
 * tests/python/test_optimize_scipy.py. */
#include <math.h>
#include <string.h>

#include "kmath.h"

#define ACT_TOL 1e-12  /* a_i'x - b_i <= 2 ACT_TOL |a_i|_1 |x|_inf: active */
#define DIR_TOL 1e-13  /* a_i'p < -DIR_TOL |a_i|_1 |p|_inf: p moves into the constraint */
#define LAM_TOL 1e-12  /* lambda_i |a_i|_1 < -LAM_TOL |g terms|_inf: a negative multiplier */
#define DEC_TOL 1e-20  /* a decrease 1/2 p'Qp below DEC_TOL |q terms|: none */
#define STEP_TOL 1e-14 /* |p|_inf <= STEP_TOL |x|_inf: p = 0 */
#define DEP_TOL 1e-10  /* |a_i - its projection on the span|_2 <= DEP_TOL |a_i|_2: dependent */

typedef struct qp {
    size_t n, m, neq;
    const double *q, *c, *a, *b;
    double *x;
    double *kkt, *sol, *res; /* the KKT system, its solution, the refinement residual */
    size_t *piv;             /* the factor's row swaps */
    double *p, *g, *d;       /* the step, the gradient, NNLS's direction */
    double *lam;             /* multipliers by constraint, of the last KKT solve */
    double *nl;              /* NNLS's dual point */
    double *anorm;           /* |a_i|_1 */
    double *basis;           /* orthonormal rows spanning the set `bset` (nb of them) */
    size_t *rows;            /* the rows of the set being solved, in index order */
    unsigned char *in, *act, *inp, *rej; /* W, active, NNLS's passive set, set aside */
    const unsigned char *bset;           /* the set `basis` spans (NULL: none) */
    size_t nb;
    double scale;      /* of x from the data: |x_start|, |b_eq| / |a_eq|_1 */
    double xs, qs, gs; /* at x: max(|x|_inf, scale), |q terms|, |g terms|_inf */
    double perr, derr; /* error estimates of p and d: the last refinement correction */
} qp;

/* LU factorisation with partial pivoting of the dense k x k matrix m, in
 * place (the unit lower factor below the diagonal, rows swapped whole), the
 * swaps in piv. False when a pivot vanishes (singular). */
static bool lu_factor(size_t k, double *m, size_t *piv)
{
    for (size_t col = 0; col < k; col++) {
        size_t best = col;
        for (size_t i = col + 1; i < k; i++)
            if (fabs(m[i * k + col]) > fabs(m[best * k + col]))
                best = i;
        piv[col] = best;
        if (!(fabs(m[best * k + col]) > 1e-300))
            return false;
        if (best != col)
            for (size_t j = 0; j < k; j++) {
                double t = m[col * k + j];
                m[col * k + j] = m[best * k + j];
                m[best * k + j] = t;
            }
        for (size_t i = col + 1; i < k; i++) {
            double f = m[i * k + col] / m[col * k + col];
            m[i * k + col] = f;
            if (f == 0.0)
                continue;
            for (size_t j = col + 1; j < k; j++)
                m[i * k + j] -= f * m[col * k + j];
        }
    }
    return true;
}

/* Solves m z = r with lu_factor's factors, in place (z in r). */
static void lu_solve(size_t k, const double *m, const size_t *piv, double *r)
{
    for (size_t col = 0; col < k; col++)
        if (piv[col] != col) {
            double t = r[col];
            r[col] = r[piv[col]];
            r[piv[col]] = t;
        }
    for (size_t col = 0; col < k; col++)
        for (size_t i = col + 1; i < k; i++)
            r[i] -= m[i * k + col] * r[col];
    for (size_t i = k; i-- > 0;) {
        double t = r[i];
        for (size_t j = i + 1; j < k; j++)
            t -= m[i * k + j] * r[j];
        r[i] = t / m[i * k + i];
    }
}

static double row_dot(const qp *s, size_t i, const double *v)
{
    double t = 0.0;
    for (size_t j = 0; j < s->n; j++)
        t += s->a[i * s->n + j] * v[j];
    return t;
}

static double inf_norm(size_t n, const double *v)
{
    double t = 0.0;
    for (size_t j = 0; j < n; j++)
        t = fmax(t, fabs(v[j]));
    return t;
}

static double quad_form(const qp *s, const double *v)
{
    double t = 0.0;
    for (size_t j = 0; j < s->n; j++) {
        double r = 0.0;
        for (size_t l = 0; l < s->n; l++)
            r += s->q[j * s->n + l] * v[l];
        t += v[j] * r;
    }
    return t;
}

/* g = Qx + c, the scales at x, and which constraints are active (at their
 * bound within rounding, or past it by rounding). */
static void measure(qp *s)
{
    size_t n = s->n;
    s->xs = fmax(inf_norm(n, s->x), s->scale);
    s->qs = 0.0;
    s->gs = 0.0;
    for (size_t j = 0; j < n; j++) {
        double r = s->c[j], qmag = 0.0;
        for (size_t l = 0; l < n; l++) {
            double t = s->q[j * n + l] * s->x[l];
            r += t;
            qmag += fabs(t);
        }
        s->g[j] = r;
        s->gs = fmax(s->gs, qmag + fabs(s->c[j]));
        s->qs += 0.5 * fabs(s->x[j]) * qmag + fabs(s->c[j] * s->x[j]);
    }
    for (size_t i = 0; i < s->m; i++) {
        double slack = row_dot(s, i, s->x) - s->b[i];
        s->act[i] = s->anorm[i] > 0.0 && slack <= 2.0 * ACT_TOL * s->anorm[i] * s->xs;
    }
}

/* Solves the KKT system on the rows flagged in `set`: the step in p (0 when
 * the set has n rows), its error estimate in perr, the multipliers in lam (0
 * outside the set). False when the system is singular. */
static bool solve_on(qp *s, const unsigned char *set)
{
    size_t n = s->n, w = 0;
    for (size_t i = 0; i < s->m; i++)
        if (set[i])
            s->rows[w++] = i;
    size_t dim = n + w;
    double *kkt = s->kkt, *sol = s->sol, *res = s->res;
    memset(kkt, 0, dim * dim * sizeof *kkt);
    for (size_t j = 0; j < n; j++) {
        for (size_t l = 0; l < n; l++)
            kkt[j * dim + l] = s->q[j * n + l];
        sol[j] = -s->g[j];
    }
    for (size_t r = 0; r < w; r++) {
        const double *ar = s->a + s->rows[r] * n;
        for (size_t j = 0; j < n; j++) {
            kkt[j * dim + n + r] = -ar[j];
            kkt[(n + r) * dim + j] = ar[j];
        }
        sol[n + r] = 0.0;
    }
    if (!lu_factor(dim, kkt, s->piv))
        return false;
    lu_solve(dim, kkt, s->piv, sol);
    s->perr = 0.0;
    for (int refine = 0; refine < 2; refine++) {
        /* res = [-g; 0] - K sol, with K applied from the data */
        for (size_t j = 0; j < n; j++) {
            double t = -s->g[j];
            for (size_t l = 0; l < n; l++)
                t -= s->q[j * n + l] * sol[l];
            for (size_t r = 0; r < w; r++)
                t += s->a[s->rows[r] * n + j] * sol[n + r];
            res[j] = t;
        }
        for (size_t r = 0; r < w; r++)
            res[n + r] = -row_dot(s, s->rows[r], sol);
        lu_solve(dim, kkt, s->piv, res);
        for (size_t j = 0; j < dim; j++)
            sol[j] += res[j];
        s->perr = inf_norm(n, res);
    }
    memcpy(s->p, sol, n * sizeof *s->p);
    if (w >= n) { /* n independent rows: a vertex, p = 0 exactly */
        memset(s->p, 0, n * sizeof *s->p);
        s->perr = 0.0;
    }
    for (size_t i = 0; i < s->m; i++)
        s->lam[i] = 0.0;
    for (size_t r = 0; r < w; r++)
        s->lam[s->rows[r]] = sol[n + r];
    return true;
}

/* True when row i is linearly independent of the nb basis rows: what is left
 * of it after projecting them out (modified Gram-Schmidt, twice) exceeds
 * DEP_TOL of its length. With `keep`, an independent row joins the basis. */
static bool independent(qp *s, size_t i, bool keep)
{
    size_t n = s->n, k = s->nb;
    double *v = s->res, before = 0.0, after = 0.0;
    if (k >= n)
        return false;
    for (size_t j = 0; j < n; j++) {
        v[j] = s->a[i * n + j];
        before += v[j] * v[j];
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t r = 0; r < k; r++) {
            const double *u = s->basis + r * n;
            double t = 0.0;
            for (size_t j = 0; j < n; j++)
                t += u[j] * v[j];
            for (size_t j = 0; j < n; j++)
                v[j] -= t * u[j];
        }
    for (size_t j = 0; j < n; j++)
        after += v[j] * v[j];
    if (!(after > DEP_TOL * DEP_TOL * before))
        return false;
    if (keep) {
        double norm = sqrt(after);
        for (size_t j = 0; j < n; j++)
            s->basis[k * n + j] = v[j] / norm;
        s->nb = k + 1;
    }
    return true;
}

/* Makes `basis` span the rows flagged in `set` (kept up to date as rows join
 * it through independent(..., true); rebuilt after any other change). */
static void span(qp *s, const unsigned char *set)
{
    if (s->bset == set)
        return;
    s->nb = 0;
    for (size_t i = 0; i < s->m; i++)
        if (set[i])
            (void)independent(s, i, true);
    s->bset = set;
}

/* True when a step p (err: its estimated error) is negligible at x: tiny
 * against x, within its own error, or its decrease 1/2 p'Qp far below
 * rounding of q. */
static bool negligible(const qp *s, const double *p, double err)
{
    double pn = inf_norm(s->n, p);
    return pn <= STEP_TOL * s->xs || pn <= 4.0 * err ||
           0.5 * quad_form(s, p) <= DEC_TOL * s->qs;
}

enum { RESOLVED_OPTIMAL = -1, RESOLVED_STEP = -2 };

/* A degenerate vertex: NNLS (Lawson & Hanson 1974, ch. 23) on the dual of the
 * local problem at x. P grows by the active constraint that the direction d
 * crosses most (the largest component of NNLS's gradient w = -A d beyond d's
 * estimated error; the smallest index among ties) if independent of P, and
 * shrinks by interpolation whenever a least-squares solution (the KKT solve on
 * the equalities + P) has a non-positive component. Returns RESOLVED_OPTIMAL
 * (d = 0, or its decrease 1/2 d'Qd -- at least what any feasible direction
 * from x could give, by weak duality -- is negligible), RESOLVED_STEP (W is
 * now the equalities + P + the weakly active constraints, on which p = d), or
 * KEEL_QP_*. */
static int resolve_degenerate(qp *s)
{
    size_t n = s->n, m = s->m;
    for (size_t i = 0; i < m; i++) {
        s->inp[i] = i < s->neq && s->in[i];
        s->rej[i] = 0;
        s->nl[i] = 0.0;
    }
    s->bset = NULL;
    if (!solve_on(s, s->inp))
        return KEEL_QP_SINGULAR;
    memcpy(s->d, s->p, n * sizeof *s->d);
    s->derr = s->perr;
    for (size_t outer = 0; outer < 3 * (m + 1); outer++) {
        if (negligible(s, s->d, s->derr))
            return RESOLVED_OPTIMAL;
        double dn = inf_norm(n, s->d), noise = DIR_TOL * dn + 4.0 * s->derr;
        size_t t;
        for (;;) {
            double best = 0.0;
            t = m;
            for (size_t i = s->neq; i < m; i++) {
                if (!s->act[i] || s->inp[i] || s->rej[i])
                    continue;
                double w = -row_dot(s, i, s->d) / s->anorm[i];
                if (w > noise && w > best) {
                    best = w;
                    t = i;
                }
            }
            if (t == m)
                break;
            /* a row dependent on P has w = 0 in exact arithmetic */
            span(s, s->inp);
            if (independent(s, t, true))
                break;
            s->rej[t] = 1;
        }
        if (t == m) {
            /* W = the equalities + P + the active rows that d runs along
             * (a_i'd = 0 within its error: weakly active, lambda_i = 0), each
             * if independent; the KKT solution on W is d again, and it moves
             * into no active row outside W */
            memcpy(s->in, s->inp, m * sizeof *s->in);
            span(s, s->inp);
            s->bset = s->in;
            for (size_t i = s->neq; i < m; i++)
                if (s->act[i] && !s->in[i] && row_dot(s, i, s->d) <= s->anorm[i] * noise &&
                    independent(s, i, true))
                    s->in[i] = 1;
            return RESOLVED_STEP;
        }
        s->inp[t] = 1; /* the basis spans P + t */
        for (bool first = true;; first = false) {
            /* each pass ends the loop or takes at least one row out of P */
            if (!solve_on(s, s->inp))
                return KEEL_QP_SINGULAR;
            if (first && !(s->lam[t] > 0.0)) {
                /* not possible in exact arithmetic: Lawson & Hanson's
                 * safeguard sets t aside until P next changes */
                s->inp[t] = 0;
                s->rej[t] = 1;
                s->bset = NULL;
                break;
            }
            size_t out = m;
            double step = INFINITY;
            for (size_t i = s->neq; i < m; i++) {
                if (!s->inp[i] || s->lam[i] > 0.0)
                    continue;
                double r = s->nl[i] > 0.0 ? s->nl[i] / (s->nl[i] - s->lam[i]) : 0.0;
                if (r < step) {
                    step = r;
                    out = i;
                }
            }
            if (out == m) {
                for (size_t i = s->neq; i < m; i++)
                    s->nl[i] = s->inp[i] ? s->lam[i] : 0.0;
                memcpy(s->d, s->p, n * sizeof *s->d);
                s->derr = s->perr;
                memset(s->rej, 0, m * sizeof *s->rej);
                break;
            }
            for (size_t i = s->neq; i < m; i++) {
                if (!s->inp[i])
                    continue;
                s->nl[i] += step * (s->lam[i] - s->nl[i]);
                if (i == out || !(s->nl[i] > 0.0)) {
                    s->inp[i] = 0;
                    s->nl[i] = 0.0;
                }
            }
            s->bset = NULL;
        }
    }
    return KEEL_QP_ITERATIONS;
}

size_t keel_qp_work_size(size_t n, size_t m)
{
    size_t k = n + (m < n ? m : n);
    return k * k + 3 * k + n * n + 3 * n + 5 * m;
}

int keel_qp_solve(size_t n, const double *q, const double *c, size_t m, size_t neq,
                  const double *a, const double *b, double *x, double *work, size_t *iterations)
{
    _Static_assert(sizeof(size_t) <= sizeof(double), "indices live in the double workspace");
    size_t k = n + (m < n ? m : n); /* the largest KKT system: W has at most min(n, m) rows */
    qp s;
    memset(&s, 0, sizeof s);
    s.n = n, s.m = m, s.neq = neq, s.q = q, s.c = c, s.a = a, s.b = b, s.x = x;
    s.kkt = work;
    s.sol = s.kkt + k * k;
    s.res = s.sol + k;
    s.piv = (size_t *)(s.res + k);
    s.basis = s.res + 2 * k;
    s.p = s.basis + n * n;
    s.g = s.p + n;
    s.d = s.g + n;
    s.lam = s.d + n;
    s.nl = s.lam + m;
    s.anorm = s.nl + m;
    s.rows = (size_t *)(s.anorm + m);
    s.in = (unsigned char *)(s.anorm + 2 * m);
    s.act = s.in + m;
    s.inp = s.act + m;
    s.rej = s.inp + m;
    s.scale = inf_norm(n, x);
    for (size_t i = 0; i < m; i++) {
        double t = 0.0;
        for (size_t j = 0; j < n; j++)
            t += fabs(a[i * n + j]);
        s.anorm[i] = t;
        if (t > 0.0 && i < neq) /* (not a far inequality: a huge cap sets no scale) */
            s.scale = fmax(s.scale, fabs(b[i]) / t);
    }
    measure(&s);
    /* the starting W: the equalities, then the active inequalities, in index
     * order, each if independent of those taken */
    s.bset = s.in;
    for (size_t i = 0; i < m; i++)
        s.in[i] = s.anorm[i] > 0.0 && (i < neq || s.act[i]) && independent(&s, i, true);
    size_t limit = 50 * (n + m) + 100;
    bool at_minimum = false; /* after a full step: x minimises q on W */
    for (size_t it = 0; it < limit; it++) {
        if (iterations)
            *iterations = it + 1;
        if (it > 0)
            measure(&s);
        if (!solve_on(&s, s.in))
            return KEEL_QP_SINGULAR;
        if (at_minimum || negligible(&s, s.p, s.perr)) {
            /* (after a full step what is left of p is rounding) */
            at_minimum = false;
            size_t worst = m;
            double most = -LAM_TOL * s.gs;
            for (size_t i = neq; i < m; i++)
                if (s.in[i] && s.lam[i] * s.anorm[i] < most) {
                    most = s.lam[i] * s.anorm[i];
                    worst = i;
                }
            if (worst == m)
                return KEEL_QP_OPTIMAL;
            bool degenerate = false;
            for (size_t i = neq; i < m && !degenerate; i++)
                degenerate = s.act[i] && !s.in[i];
            if (!degenerate) {
                s.in[worst] = 0;
                s.bset = NULL;
                continue;
            }
            int rc = resolve_degenerate(&s);
            if (rc == RESOLVED_OPTIMAL)
                return KEEL_QP_OPTIMAL;
            if (rc != RESOLVED_STEP)
                return rc;
            continue;
        }
        /* step to the first constraint outside W that p moves into; one that
         * is a combination of W's rows cannot be (a'p = 0 in exact
         * arithmetic) and is passed over */
        double pn = inf_norm(n, s.p), alpha;
        size_t block;
        memset(s.rej, 0, m * sizeof *s.rej);
        for (;;) {
            alpha = 1.0;
            block = m;
            for (size_t i = neq; i < m; i++) {
                if (s.in[i] || s.rej[i] || !(s.anorm[i] > 0.0))
                    continue;
                double ap = row_dot(&s, i, s.p);
                if (!(ap < -DIR_TOL * s.anorm[i] * pn))
                    continue;
                double slack = row_dot(&s, i, x) - b[i];
                double t = s.act[i] || !(slack > 0.0) ? 0.0 : slack / -ap;
                if (t < alpha) {
                    alpha = t;
                    block = i;
                }
            }
            if (block == m)
                break;
            span(&s, s.in);
            if (independent(&s, block, true))
                break; /* the basis now spans W + block */
            s.rej[block] = 1;
        }
        for (size_t j = 0; j < n; j++)
            x[j] += alpha * s.p[j];
        if (block < m)
            s.in[block] = 1;
        else
            at_minimum = true;
    }
    return KEEL_QP_ITERATIONS;
}
