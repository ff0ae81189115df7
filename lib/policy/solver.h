/* The core of the least-cost deleverage (solver.c): the convex program over
 * the levers, solved by water-filling on the multiplier of its KKT
 * conditions (derivation in include/keel/policy.h and docs/rebalancing.md),
 * the choice of which fixed-cost sales to make at all, and the highest
 * health factor the levers reach. It knows nothing of baskets or plans:
 * deleverage.c builds the levers from the account and the plan from their
 * uses. */
#ifndef KEEL_POLICY_SOLVER_H
#define KEEL_POLICY_SOLVER_H

#include <stdbool.h>
#include <stddef.h>

#include "cost/cost_internal.h"
#include "keel/risk.h"

/* One way to raise the health factor: a sale of collateral (to repay, or to
 * swap into safer collateral), a deposit from the wallet or a repayment from
 * the wallet. */
typedef enum lever_kind { SELL, DEPOSIT, WALLET_REPAY } lever_kind;

typedef struct lever {
    lever_kind kind;
    keel_asset asset;
    double p, a, ub; /* price, liquidation value lost per unit, most units */
    double g0;       /* headroom per numeraire of proceeds (times T when per_target) */
    bool per_target; /* repayments: the headroom of a unit of debt repaid is T b */
    keel_cost_terms t;
    double x;        /* units used */
} lever;

typedef struct problem {
    lever *s;
    size_t n;
    double target, beta; /* T, purchase factor of the asset bought (repay or swap) */
} problem;

enum { MAX_FIXED_SUBSET = 12 };

/* The sales that carry a fixed cost (the choice of which to make at all is
 * a discrete one) and their room. */
typedef struct fixed_set {
    size_t idx[MAX_FIXED_SUBSET], k;
    double ub[MAX_FIXED_SUBSET];
    bool too_many; /* more than MAX_FIXED_SUBSET: charged, not optimised */
} fixed_set;

/* The x in [0, s->ub] where the sale's marginal cost c'(x) equals m
 * (0 when c'(0) >= m, ub when c'(ub) <= m), and dx/dm there in *dxdm (0 at
 * a bound or where c' is flat). Closed forms for no, linear and square-root
 * impact (fee + spread + impact; derivation in solver.c), within a few ulps
 * of the bisection below; a pool's by that bisection. */
double keel_inverse_marginal(const lever *s, double m, double *dxdm);

/* The same x by bisection of c'(x) >= m to adjacent doubles (any convex
 * shape): the reference the closed forms are tested against. */
double keel_inverse_marginal_bisect(const lever *s, double m);

/* Sets pb->s[i].x to the cheapest uses whose gain reaches `need` (in
 * liquidation-value units); false when even the most useful ones fall short
 * (x then holds those). xa, xb: scratch of pb->n doubles each.
 * Method: when every sale's cost is linear in its size (no impact: fee and
 * spread only; fixed costs are outside this program, see
 * keel_choose_fixed_cost_subset), the program is a
 * linear one, a fractional knapsack, solved exactly in O(n log n): levers in
 * increasing order of cost per unit of gain, each used whole until the last,
 * used in part to meet `need` exactly; levers of equal cost per gain (the
 * same double) are used at the same fraction of their room, as the
 * multiplier search's blend uses them. Otherwise keel_solve_levers_search(). */
bool keel_solve_levers(problem *pb, double need, double *xa, double *xb);

/* The same by the general method, whatever the costs' shape (tests compare
 * the linear fast path with it).
 * Search: the multiplier is bracketed (x4 growth) and narrowed to
 * KEEL_TOL_PLAN relative width by safeguarded Newton (never leaves the
 * bracket; bisection where gain is not smooth; at most
 * 2 KEEL_BISECT_MAX_STEPS evaluations, each O(n) with the closed-form
 * inverses); then the blend of the uses at the bracket's ends that meets
 * `need` is bisected until further halvings could not change a double. */
bool keel_solve_levers_search(problem *pb, double need, double *xa, double *xb);

/* The sales in pb that carry a fixed cost, into fs. */
void keel_fixed_levers(const problem *pb, fixed_set *fs);

/* With up to MAX_FIXED_SUBSET sales carrying a fixed cost, every subset of
 * them is tried and the cheapest feasible one kept for requirement `rest`:
 * the sales left out get no room. Beyond that many, all stay allowed (fixed
 * costs charged, not optimised). */
void keel_choose_fixed_cost_subset(problem *pb, const fixed_set *fs, double rest, double *xa,
                                   double *xb);

/* The highest health factor the levers reach from `before` (Dinkelbach's
 * parametric form, bisected between the current HF and pb->target), fixed
 * costs counted; a same-asset repayment of up to zmax units gains
 * theta zg0 - ar each; g_dest_fixed is the purchase's fixed cost in
 * liquidation-value units. pb->target and the sales' room are restored. */
double keel_best_reachable(problem *pb, const fixed_set *fs, const keel_metrics *before,
                           double zmax, double zg0, double ar, double g_dest_fixed, double *xa,
                           double *xb);

#endif
