/* The account's valuation for a block of consecutive steps of one path,
 * the steps in vector lanes (lanes.c): the fast path of the run loop
 * (run.c) for haircuts that depend on neither sizes nor prices, no book.
 * Each lane computes, for its step, the sums of keel_kernel_add_linear in
 * the basket's order with the same operations (no fused multiply-adds), so
 * a lane's results are the bits of step_metrics at that step; the lanes
 * never mix, so a step's results do not depend on the block it is in. */
#ifndef KEEL_SIM_LANES_H
#define KEEL_SIM_LANES_H

#include <stdbool.h>
#include <stddef.h>

/* Steps per block: two AVX-512 vectors. */
enum { KEEL_LANES = 16 };

/* One position as the lanes read it: q units of collateral, d of debt,
 * the asset's 1 - h_init, 1 - h_maint and borrow factor, and its price at
 * each step of the block, price[t] (an asset that moves), or `fixed` (one
 * that does not: price NULL). */
typedef struct keel_lane_position {
    const double *price;
    double fixed, q, d, oi, om, bf;
} keel_lane_position;

/* What the run loop reads of the metrics at each step t < nsteps of a
 * block (keel_kernel_metrics' definitions): the health factor, the
 * weighted debt, the collateral value, the capital efficiency, and
 * whether the collateral, debt and weighted debt sums are finite. */
typedef struct keel_lane_metrics {
    double health[KEEL_LANES], weighted[KEEL_LANES], collateral[KEEL_LANES],
        efficiency[KEEL_LANES];
    bool finite[KEEL_LANES];
} keel_lane_metrics;

/* The metrics of the account of npos positions at nsteps <= KEEL_LANES
 * steps, computed for dispatch target `isa` (lib/core/cpu.h); every target
 * gives the same bits. */
void keel_lanes_metrics(int isa, const keel_lane_position *pos, size_t npos, size_t nsteps,
                        keel_lane_metrics *out);

/* The moves of k assets over n steps, the steps in lanes: for asset i and
 * step t, out[i n + t] = c[i] + v[i] (sum over j <= i of chol[i k + j]
 * e[j n + t]), the sum from j = 0 starting at +0 -- the operations of
 * paths.c's advance() in its order, so the same bits on every target. */
void keel_lanes_moves(int isa, size_t k, size_t n, const double *chol, const double *c,
                      const double *v, const double *e, double *out);

/* out[j n + t] = e[t k + j] for j < k, t < n (no arithmetic). */
void keel_lanes_transpose(int isa, size_t k, size_t n, const double *e, double *out);

/* Whether every p[i], i < n, is in (0, inf) (NaN is not). */
bool keel_lanes_in_range(int isa, size_t n, const double *p);

#endif
