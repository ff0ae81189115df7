/* The core of the least-cost deleverage, declared in solver.h: the KKT
 * conditions of a separable convex program over the levers, solved by
 * water-filling on the multiplier (derivation in include/keel/policy.h and
 * docs/rebalancing.md), a search over which gas-paying sales to make at all,
 * and the highest health factor the levers reach. */
#include <float.h>
#include <math.h>

#include "core/core_internal.h"
#include "math/kmath.h"
#include "solver.h"

static double lever_g(const problem *pb, const lever *l)
{
    return l->per_target ? pb->target * l->g0 : l->g0;
}

/* Variable cost of using x units: only sales pay the market. */
static double sale_cost(const lever *l, double x)
{
    return l->kind == SELL ? keel_cost_sell(&l->t, l->p, x) : 0.0;
}

static double gain(const problem *pb, const lever *l, double x)
{
    return lever_g(pb, l) * (l->p * x - sale_cost(l, x)) - l->a * x;
}

typedef struct marginal_ctx {
    const lever *s;
    double m;
} marginal_ctx;

static keel_status marginal_reaches(double x, void *vctx, bool *holds)
{
    const marginal_ctx *c = vctx;
    *holds = keel_cost_sell_marginal(&c->s->t, c->s->p, x) >= c->m;
    return KEEL_OK;
}

double keel_inverse_marginal_bisect(const lever *s, double m)
{
    if (keel_cost_sell_marginal(&s->t, s->p, 0.0) >= m)
        return 0.0;
    if (keel_cost_sell_marginal(&s->t, s->p, s->ub) <= m)
        return s->ub;
    marginal_ctx c = { s, m };
    double lo = 0.0, hi = s->ub;
    (void)keel_bisect(marginal_reaches, &c, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
    return 0.5 * (lo + hi);
}

/* With f = fee + spread and notional N = p x (keel_cost_sell()):
 *   linear impact  c = f N + a N^2 / b           c' = f p + 2 a p^2 x / b
 *                  x = (m - f p) b / (2 a p^2)
 *   square root    c = f N + a s N sqrt(N / b)   c' = f p + 1.5 a s p sqrt(p x / b)
 *                  x = (b / p) ((m - f p) / (1.5 a s p))^2
 * (s the daily volatility; the linear law is Almgren and Chriss 2000's
 * temporary impact, the square-root law Almgren et al. 2005's; the inverses
 * are the algebra above). A pool's marginal is inverted by bisection. */
double keel_inverse_marginal(const lever *s, double m, double *dxdm)
{
    const keel_cost_terms *t = &s->t;
    *dxdm = 0.0;
    if (t->impact == KEEL_IMPACT_POOL) {
        double x = keel_inverse_marginal_bisect(s, m);
        if (x > 0.0 && x < s->ub) {
            double g = 1.0 - t->c, d = t->a + x * g;
            double c2 = 2.0 * t->b * t->a * g * g / (d * d * d); /* c'' */
            if (x * s->p - t->b * x * g / d > 0.0 && c2 > 0.0)
                *dxdm = 1.0 / c2;
        }
        return x;
    }
    double fp = (t->fee + t->spread) * s->p;
    if (fp >= m) /* c'(0) >= m */
        return 0.0;
    if (keel_cost_sell_marginal(t, s->p, s->ub) <= m)
        return s->ub;
    /* here an impact term rises past m within [0, ub] */
    double x, dx;
    if (t->impact == KEEL_IMPACT_LINEAR) {
        double k = t->b / (2.0 * t->a * s->p * s->p);
        x = (m - fp) * k;
        dx = k;
    } else if (t->impact == KEEL_IMPACT_SQRT) {
        double u = 1.5 * t->a * t->sigma_d * s->p, r = (m - fp) / u, k = t->b / s->p;
        x = k * r * r;
        dx = 2.0 * k * r / u;
    } else {
        return s->ub; /* a flat marginal below m (not reached: the checks above) */
    }
    if (!(x > 0.0))
        return 0.0;
    if (!(x < s->ub))
        return s->ub; /* also inf and nan from a vanishing coefficient */
    *dxdm = dx;
    return x;
}

/* x_i at multiplier lambda (lambda = INFINITY: the most useful amount), and
 * its slope dx/dlambda (0 where x jumps or sits at a bound). */
static double use_at(const problem *pb, const lever *l, double lambda, double *slope)
{
    double g = lever_g(pb, l);
    double edge = g * l->p - l->a;
    double dxdm;
    *slope = 0.0;
    if (!(edge > 0.0))
        return 0.0; /* this lever never raises HF */
    if (l->kind != SELL)
        return lambda > 0.0 ? l->ub : 0.0; /* free: used whole at any positive price of HF */
    if (isinf(lambda))
        return keel_inverse_marginal(l, l->p - l->a / g, &dxdm);
    double beta = pb->beta, den = beta + lambda * g;
    double m = (lambda * edge - (1.0 - beta) * l->p) / den;
    double x = keel_inverse_marginal(l, m, &dxdm);
    /* dm/dlambda = (edge beta + g (1 - beta) p) / (beta + lambda g)^2 */
    if (dxdm > 0.0)
        *slope = dxdm * (edge * beta + g * (1.0 - beta) * l->p) / (den * den);
    return x;
}

/* The uses at lambda into x; returns their total gain and its derivative in
 * lambda in *dgain (lever i's gain rises by g_i (p_i - c_i'(x_i)) - a_i per
 * unit where x_i moves with lambda). */
static double uses_at(const problem *pb, double lambda, double *x, double *dgain)
{
    double total = 0.0, d = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        double slope;
        x[i] = use_at(pb, l, lambda, &slope);
        total += gain(pb, l, x[i]);
        if (slope > 0.0)
            d += slope * (lever_g(pb, l) * (l->p - keel_cost_sell_marginal(&l->t, l->p, x[i])) -
                          l->a);
    }
    if (dgain != NULL)
        *dgain = d;
    return total;
}

typedef struct narrow_ctx narrow_ctx;
static double multiplier_gap(double lambda, void *vctx, double *df);

/* Whether the uses at multiplier lambda gain `need`. */
static keel_status multiplier_reaches(double lambda, void *vctx, bool *holds)
{
    double df;
    *holds = multiplier_gap(lambda, vctx, &df) >= 0.0;
    return KEEL_OK;
}
/* A non-decreasing function of one variable, less `need`, and its
 * derivative (0 where unknown). */
typedef double (*narrow_fn)(double t, void *ctx, double *df);

/* Narrows [*lo, *hi] (f(lo) < 0 <= f(hi), f non-decreasing) until its
 * relative width is at most tol or `same` (when given) says the two ends
 * give the same result, by Newton's method safeguarded as rtsafe (Press et
 * al., Numerical Recipes, 3rd ed., section 9.4): a step that leaves the
 * bracket, or that would not halve the step before last, becomes a
 * bisection; once a Newton step is below the tolerance the next point is
 * taken just across the root, which closes the bracket. Guarantees:
 * f(lo) < 0 <= f(hi) as evaluated throughout (the bracket only shrinks), at
 * most 2 KEEL_BISECT_MAX_STEPS evaluations; quadratic convergence where f is
 * smooth, bisection's halving onto a jump. */
static void narrow(narrow_fn fn, void *ctx, double *lo, double *hi, double tol,
                   bool (*same)(void *ctx, double lo, double hi))
{
    double dg;
    double t = *hi, f = fn(t, ctx, &dg); /* >= 0 */
    double step = *hi - *lo, step_old = step;
    for (int it = 0; it < 2 * KEEL_BISECT_MAX_STEPS; it++) {
        if (fabs(*hi - *lo) <= tol * fmax(fabs(*lo), fabs(*hi)) ||
            (same != NULL && same(ctx, *lo, *hi)))
            break;
        double next = *lo + 0.5 * (*hi - *lo);
        if (dg > 0.0) {
            double nt = t - f / dg;
            if (nt > *lo && nt < *hi && fabs(2.0 * f) <= fabs(step_old * dg)) {
                next = nt;
                double d = 0.75 * tol * fabs(t);
                if (fabs(nt - t) <= d) { /* converged: step just across */
                    double across = f >= 0.0 ? t - d : t + d;
                    next = across > *lo && across < *hi ? across : *lo + 0.5 * (*hi - *lo);
                }
            }
        }
        if (next <= *lo || next >= *hi)
            break; /* adjacent doubles */
        step_old = step;
        step = next - t;
        t = next;
        f = fn(t, ctx, &dg);
        if (f >= 0.0)
            *hi = t;
        else
            *lo = t;
    }
}

typedef struct narrow_ctx {
    const problem *pb;
    double need;
    double *x;              /* scratch uses (multiplier) */
    const double *xa, *xb;  /* the blend's ends */
} narrow_ctx;

/* gain(lambda) - need. */
static double multiplier_gap(double lambda, void *vctx, double *df)
{
    narrow_ctx *c = vctx;
    return uses_at(c->pb, lambda, c->x, df) - c->need;
}

/* gain(xa + th (xb - xa)) - need, concave and smooth in th but for a pool's
 * clamp: each lever's gain is g (p x - c(x)) - a x with c convex. */
static double blend_gap(double th, void *vctx, double *df)
{
    const narrow_ctx *c = vctx;
    const problem *pb = c->pb;
    double g = 0.0, d = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        double dx = c->xb[i] - c->xa[i], x = c->xa[i] + th * dx;
        g += gain(pb, l, x);
        if (dx != 0.0) {
            double mc = l->kind == SELL ? keel_cost_sell_marginal(&l->t, l->p, x) : 0.0;
            d += dx * (lever_g(pb, l) * (l->p - mc) - l->a);
        }
    }
    *df = d;
    return g - c->need;
}

/* Whether the blends at lo and hi are the same doubles (the rounded blend
 * is monotone in th, so every th between gives them too). */
static bool blend_same(void *vctx, double lo, double hi)
{
    const narrow_ctx *c = vctx;
    for (size_t i = 0; i < c->pb->n; i++) {
        double dx = c->xb[i] - c->xa[i];
        if (c->xa[i] + lo * dx != c->xa[i] + hi * dx)
            return false;
    }
    return true;
}

/* ---- the linear program: every sale's cost proportional to its size ----
 *
 * With c(x) = f p x (f = fee + spread, no impact) each lever's cost and gain
 * are linear in its use, so the program is a fractional knapsack: the KKT
 * conditions use lever i whole when the multiplier lambda exceeds its cost
 * per unit of gain
 *   r_i = ((1 - beta) p + beta f p) / (g p - a - g f p)
 * (use_at(): x = ub where f p < m(lambda), m = (lambda (g p - a) -
 * (1 - beta) p) / (beta + lambda g), solved for lambda), not at all below
 * it, and in part at lambda = r_i: the optimum uses the levers in
 * increasing r, each whole until the last, which is used in part to meet
 * `need` (Dantzig 1957, the fractional knapsack's greedy solution). Free
 * levers (deposits, repayments from the wallet) have r = 0. */

static bool all_linear(const problem *pb)
{
    for (size_t i = 0; i < pb->n; i++)
        if (pb->s[i].kind == SELL && pb->s[i].t.impact != KEEL_IMPACT_NONE)
            return false;
    return true;
}

/* r_i above, or INFINITY when the lever never raises HF (the tests of
 * use_at(), where a sale is used at lambda = INFINITY iff f p < p - a / g). */
static double linear_threshold(const problem *pb, const lever *l)
{
    double g = lever_g(pb, l), edge = g * l->p - l->a;
    if (!(edge > 0.0))
        return INFINITY;
    if (l->kind != SELL)
        return 0.0;
    double fp = (l->t.fee + l->t.spread) * l->p;
    if (!(fp < l->p - l->a / g))
        return INFINITY;
    double num = (1.0 - pb->beta) * l->p + pb->beta * fp, den = edge - g * fp;
    return den > 0.0 ? num / den : DBL_MAX; /* den <= 0 only by rounding: last */
}

/* Whether entry a sorts before entry b: by r, then by lever index. */
static bool linear_before(const double *key, const double *ord, size_t a, size_t b)
{
    return key[a] < key[b] || (key[a] == key[b] && ord[a] < ord[b]);
}

static void linear_swap(double *key, double *ord, size_t a, size_t b)
{
    double k = key[a], o = ord[a];
    key[a] = key[b];
    ord[a] = ord[b];
    key[b] = k;
    ord[b] = o;
}

static void linear_sift(double *key, double *ord, size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && linear_before(key, ord, c, c + 1))
            c++;
        if (!linear_before(key, ord, root, c))
            return;
        linear_swap(key, ord, root, c);
        root = c;
    }
}

/* Heapsort of (key, ord) pairs, increasing: O(n log n), no allocation. */
static void linear_sort(double *key, double *ord, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        linear_sift(key, ord, i, n);
    for (size_t e = n; e-- > 1;) {
        linear_swap(key, ord, 0, e);
        linear_sift(key, ord, 0, e);
    }
}

/* The sum of every lever's gain at its x, in index order (as uses_at()). */
static double total_gain(const problem *pb)
{
    double total = 0.0;
    for (size_t i = 0; i < pb->n; i++)
        total += gain(pb, &pb->s[i], pb->s[i].x);
    return total;
}

/* keel_solve_levers() for linear costs: key, ord are the scratch arrays
 * (r and lever index of each lever that can be used). */
static bool solve_linear(problem *pb, double need, double *key, double *ord)
{
    size_t m = 0;
    for (size_t i = 0; i < pb->n; i++) {
        lever *l = &pb->s[i];
        double r = linear_threshold(pb, l);
        l->x = isinf(r) ? 0.0 : l->ub; /* the most useful uses */
        if (!isinf(r) && l->ub > 0.0) {
            key[m] = r;
            ord[m++] = (double)i; /* exact: i < 2^53 */
        }
    }
    if (total_gain(pb) < need)
        return false; /* x holds the most useful uses */
    linear_sort(key, ord, m);
    for (size_t k = 0; k < m; k++)
        pb->s[(size_t)ord[k]].x = 0.0;
    double acc = 0.0;
    for (size_t j = 0, e; j < m; j = e) {
        double grp = 0.0; /* the gain of the levers of equal r, used whole */
        for (e = j; e < m && key[e] == key[j]; e++) {
            const lever *l = &pb->s[(size_t)ord[e]];
            grp += gain(pb, l, l->ub);
        }
        if (acc + grp >= need && grp > 0.0) {
            /* the last: used in part, all at the same fraction th of their
             * room; gain is linear in th up to rounding, so th is nudged up
             * until the total, summed as uses_at() sums it, meets `need` */
            double th = fmin(1.0, fmax(0.0, (need - acc) / grp)), step = 2.0 * DBL_EPSILON;
            for (int it = 0; it < 64; it++) {
                for (size_t k = j; k < e; k++) {
                    lever *l = &pb->s[(size_t)ord[k]];
                    l->x = th * l->ub;
                }
                if (th >= 1.0 || total_gain(pb) >= need)
                    break;
                th = fmin(1.0, th + fmax(th, DBL_MIN) * step);
                step *= 2.0;
            }
            return true;
        }
        for (size_t k = j; k < e; k++) {
            lever *l = &pb->s[(size_t)ord[k]];
            l->x = l->ub;
        }
        acc += grp;
    }
    return true; /* all used: the sum by groups fell short of `need` only by rounding */
}

/* Sets pb->s[i].x to the cheapest uses whose gain reaches `need`; false
 * when even the most useful ones fall short (x then holds those). */
bool keel_solve_levers(problem *pb, double need, double *xa, double *xb)
{
    if (need <= 0.0) {
        for (size_t i = 0; i < pb->n; i++)
            pb->s[i].x = 0.0;
        return true;
    }
    if (all_linear(pb))
        return solve_linear(pb, need, xa, xb);
    return keel_solve_levers_search(pb, need, xa, xb);
}

bool keel_solve_levers_search(problem *pb, double need, double *xa, double *xb)
{
    if (need <= 0.0) {
        for (size_t i = 0; i < pb->n; i++)
            pb->s[i].x = 0.0;
        return true;
    }
    double total = uses_at(pb, INFINITY, xa, NULL);
    for (size_t i = 0; i < pb->n; i++)
        pb->s[i].x = xa[i];
    if (total < need)
        return false;
    /* bracket the multiplier (cannot fail: the predicate always
     * evaluates), then narrow it */
    narrow_ctx c = { pb, need, xb, xa, xb };
    double lo = 0.0, hi = 1.0;
    bool found;
    (void)keel_bracket_grow(multiplier_reaches, &c, &lo, &hi, 4.0, 1e300, &found);
    narrow(multiplier_gap, &c, &lo, &hi, KEEL_TOL_PLAN, NULL);
    /* the uses at the two ends; levers whose cost is linear (or nil) jump
     * between them, so the last step blends them, x = xa + th (xb - xa),
     * with the least th that meets `need`, narrowed until the blends at
     * its bracket's ends are the same doubles (or th is known to eps) */
    uses_at(pb, lo, xa, NULL);
    uses_at(pb, hi, xb, NULL);
    bool jumps = false;
    for (size_t i = 0; i < pb->n && !jumps; i++)
        jumps = fabs(xb[i] - xa[i]) > 1e-13 * pb->s[i].ub;
    if (!jumps) {
        /* no lever jumps: the ends differ by the rounding of lambda's last
         * bits and the gain along the blend by rounding alone, so the end
         * that meets `need` is the answer */
        for (size_t i = 0; i < pb->n; i++)
            pb->s[i].x = xb[i];
        return true;
    }
    double tlo = 0.0, thi = 1.0;
    narrow(blend_gap, &c, &tlo, &thi, DBL_EPSILON, blend_same);
    for (size_t i = 0; i < pb->n; i++)
        pb->s[i].x = xa[i] + thi * (xb[i] - xa[i]);
    return true;
}

/* The cost the objective counts for using x of a lever (fixed costs apart). */
static double lever_cost(const problem *pb, const lever *l, double x)
{
    if (l->kind != SELL || !(x > 0.0))
        return 0.0;
    return (1.0 - pb->beta) * l->p * x + pb->beta * keel_cost_sell(&l->t, l->p, x);
}

/* The sales in pb that carry a fixed cost, into fs. */
void keel_fixed_levers(const problem *pb, fixed_set *fs)
{
    fs->k = 0;
    fs->too_many = false;
    for (size_t i = 0; i < pb->n; i++) {
        if (pb->s[i].kind != SELL || !(pb->s[i].t.fixed > 0.0))
            continue;
        if (fs->k == MAX_FIXED_SUBSET) {
            fs->too_many = true;
            fs->k = 0;
            return;
        }
        fs->ub[fs->k] = pb->s[i].ub;
        fs->idx[fs->k++] = i;
    }
}

static void allow_subset(problem *pb, const fixed_set *fs, unsigned mask)
{
    for (size_t j = 0; j < fs->k; j++)
        pb->s[fs->idx[j]].ub = mask & (1u << j) ? fs->ub[j] : 0.0;
}

/* The convex program with only the fixed-cost sales in `mask` allowed, each
 * one's fixed cost f added to the requirement (g f: its proceeds are f
 * short) and to the cost (beta f). Feasible only when every chosen sale is
 * made and its proceeds cover its fixed cost (a sale worth less than its gas
 * loses value). */
static bool try_subset(problem *pb, const fixed_set *fs, unsigned mask, double rest, double *xa,
                       double *xb, double *out_cost)
{
    allow_subset(pb, fs, mask);
    double extra = 0.0, fixed = 0.0;
    for (size_t j = 0; j < fs->k; j++) {
        if (!(mask & (1u << j)))
            continue;
        const lever *l = &pb->s[fs->idx[j]];
        extra += lever_g(pb, l) * l->t.fixed;
        fixed += pb->beta * l->t.fixed;
    }
    if (!keel_solve_levers(pb, rest + extra, xa, xb))
        return false;
    for (size_t j = 0; j < fs->k; j++) {
        const lever *l = &pb->s[fs->idx[j]];
        if ((mask & (1u << j)) &&
            !(l->x > 0.0 && l->p * l->x - keel_cost_sell(&l->t, l->p, l->x) >= l->t.fixed))
            return false;
    }
    double cost = fixed;
    for (size_t i = 0; i < pb->n; i++)
        cost += lever_cost(pb, &pb->s[i], pb->s[i].x);
    *out_cost = cost;
    return true;
}

/* With up to MAX_FIXED_SUBSET sales carrying a fixed cost, every subset of
 * them is tried (try_subset) and the cheapest feasible one kept: the sales
 * left out get no room. Beyond that many, all stay allowed (fixed costs
 * charged, not optimised). */
void keel_choose_fixed_cost_subset(problem *pb, const fixed_set *fs, double rest, double *xa,
                                   double *xb)
{
    if (fs->k == 0 || !(rest > 0.0))
        return;
    unsigned best_mask = (1u << fs->k) - 1;
    double best = INFINITY;
    for (unsigned mask = 0; mask < (1u << fs->k); mask++) {
        double cost;
        if (try_subset(pb, fs, mask, rest, xa, xb, &cost) && cost < best) {
            best = cost;
            best_mask = mask;
        }
    }
    allow_subset(pb, fs, best_mask);
}

typedef struct reach_ctx {
    problem *pb;
    const fixed_set *fs;
    const keel_metrics *before;
    double zmax, zg0, ar, g_dest_fixed;
    double *xa, *xb;
} reach_ctx;

/* Whether health factor theta is out of the actions' reach, fixed costs
 * counted (every subset of the fixed-cost sales tried). */
static keel_status out_of_reach(double theta, void *vctx, bool *holds)
{
    reach_ctx *c = vctx;
    c->pb->target = theta;
    double zgain = theta * c->zg0 - c->ar;
    double need = theta * c->before->weighted_debt - c->before->liquidation_value -
                  (zgain > 0.0 ? c->zmax * zgain : 0.0);
    if (need > 0.0)
        need += c->g_dest_fixed; /* the purchase's gas comes first */
    if (c->fs->k == 0 || need <= 0.0) {
        *holds = !keel_solve_levers(c->pb, need, c->xa, c->xb);
        return KEEL_OK;
    }
    *holds = true;
    double cost;
    for (unsigned mask = 0; mask < (1u << c->fs->k) && *holds; mask++)
        *holds = !try_subset(c->pb, c->fs, mask, need, c->xa, c->xb, &cost);
    return KEEL_OK;
}

/* The highest health factor the allowed actions reach: the largest theta
 * for which max (L - theta W) >= 0 (Dinkelbach's parametric form of a
 * ratio maximisation), by bisection between the current HF and the target,
 * fixed costs counted. pb->target and the sales' room are restored. */
double keel_best_reachable(problem *pb, const fixed_set *fs, const keel_metrics *before,
                           double zmax, double zg0, double ar, double g_dest_fixed, double *xa,
                           double *xb)
{
    double saved = pb->target;
    double room[MAX_FIXED_SUBSET];
    for (size_t j = 0; j < fs->k; j++)
        room[j] = pb->s[fs->idx[j]].ub;
    reach_ctx c = { pb, fs, before, zmax, zg0, ar, g_dest_fixed, xa, xb };
    double lo = before->health_factor, hi = saved;
    (void)keel_bisect(out_of_reach, &c, &lo, &hi, KEEL_TOL_PLAN);
    pb->target = saved;
    for (size_t j = 0; j < fs->k; j++)
        pb->s[fs->idx[j]].ub = room[j];
    return lo;
}
