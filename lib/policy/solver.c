/* The core of the least-cost deleverage, declared in solver.h: the KKT
 * conditions of a separable convex program over the levers, solved by
 * water-filling on the multiplier (derivation in include/keel/policy.h and
 * docs/rebalancing.md), a search over which gas-paying sales to make at all,
 * and the highest health factor the levers reach. */
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

/* The x in [0, ub] where c'(x) = m (c' non-decreasing). */
static double inverse_marginal(const lever *s, double m)
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

/* x_i at multiplier lambda (lambda = INFINITY: the most useful amount). */
static double use_at(const problem *pb, const lever *l, double lambda)
{
    double g = lever_g(pb, l);
    double edge = g * l->p - l->a;
    if (!(edge > 0.0))
        return 0.0; /* this lever never raises HF */
    if (l->kind != SELL)
        return lambda > 0.0 ? l->ub : 0.0; /* free: used whole at any positive price of HF */
    double beta = pb->beta;
    double m = isinf(lambda) ? l->p - l->a / g
                             : (lambda * edge - (1.0 - beta) * l->p) / (beta + lambda * g);
    return inverse_marginal(l, m);
}

static double total_gain(const problem *pb, const double *x)
{
    double g = 0.0;
    for (size_t i = 0; i < pb->n; i++)
        g += gain(pb, &pb->s[i], x[i]);
    return g;
}

static void uses_at(const problem *pb, double lambda, double *x)
{
    for (size_t i = 0; i < pb->n; i++)
        x[i] = use_at(pb, &pb->s[i], lambda);
}

typedef struct need_ctx {
    const problem *pb;
    double need;
    double *x;       /* scratch uses */
    const double *xa, *xb; /* interpolation ends */
} need_ctx;

/* Whether the uses at multiplier lambda gain `need`. */
static keel_status multiplier_reaches(double lambda, void *vctx, bool *holds)
{
    need_ctx *c = vctx;
    uses_at(c->pb, lambda, c->x);
    *holds = total_gain(c->pb, c->x) >= c->need;
    return KEEL_OK;
}

/* Whether the uses a fraction th of the way from xa to xb gain `need`. */
static keel_status blend_reaches(double th, void *vctx, bool *holds)
{
    const need_ctx *c = vctx;
    double g = 0.0;
    for (size_t i = 0; i < c->pb->n; i++)
        g += gain(c->pb, &c->pb->s[i], c->xa[i] + th * (c->xb[i] - c->xa[i]));
    *holds = g >= c->need;
    return KEEL_OK;
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
    uses_at(pb, INFINITY, xa);
    for (size_t i = 0; i < pb->n; i++)
        pb->s[i].x = xa[i];
    if (total_gain(pb, xa) < need)
        return false;
    /* bracket the multiplier, then bisect it (the helpers cannot fail here:
     * the predicates always evaluate) */
    need_ctx c = { pb, need, xb, NULL, NULL };
    double lo = 0.0, hi = 1.0;
    bool found;
    (void)keel_bracket_grow(multiplier_reaches, &c, &lo, &hi, 4.0, 1e300, &found);
    (void)keel_bisect(multiplier_reaches, &c, &lo, &hi, KEEL_TOL_PLAN);
    /* the uses at the two ends; levers whose cost is linear (or nil) jump
     * between them, so the last step interpolates to meet `need` exactly */
    uses_at(pb, lo, xa);
    uses_at(pb, hi, xb);
    c.xa = xa;
    c.xb = xb;
    double tlo = 0.0, thi = 1.0;
    (void)keel_bisect(blend_reaches, &c, &tlo, &thi, KEEL_TOL_ULP);
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
