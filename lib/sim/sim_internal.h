/* Private view of the simulation (lib/sim): the set-up handle, the per-path
 * records and the statistics handle, shared by its units --
 *   sim.c        set-up: the handle, its settings, drifts, jumps, replayed paths
 *   paths.c      price paths: correlated diffusion with Merton jumps, or replay
 *   liquidator.c the liquidation a lending protocol runs on an unhealthy account
 *   liquidator_<protocol>.c that protocol's own rules (keel_sim_set_aave, ...)
 *   run.c        the run loop: prices move, the liquidator and the policy act
 *   lanes.c      vector kernels of the run loop and the paths: a block of steps
 *                valued in lanes, a chunk's moves (AVX-512 / AVX2 / scalar)
 *   stats.c      statistics: merge, summary, percentiles, the byte form */
#ifndef KEEL_SIM_INTERNAL_H
#define KEEL_SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/sim.h"

struct keel_sim {
    uint32_t tag;
    keel_market *market;
    keel_basket *basket;
    keel_haircut_model *haircuts;
    keel_cost_model *costs;
    keel_options *options; /* NULL: none */
    keel_policy *policy;   /* NULL: hold */
    keel_sim_params p;
    size_t nassets;
    int isa; /* the paths' vector target (lib/core/cpu.h): keel_isa_best() at creation;
              * every target gives the same bits, tests force each (keel_sim_force_isa) */
    bool one_path; /* tests only: every path through the one-step-at-a-time loop, never
                    * the block of steps in lanes (run.c); the two give the same bits */
    double *drift, *jump_rate, *jump_mean, *jump_vol; /* per market asset */
    uint32_t model_steps; /* the parameters' steps: a run of the model, keel_sim_set_paths */
    /* replay (keel_sim_set_replay; keel_sim_set_paths makes one whose row 0
     * is the market's prices); npaths 0: the model */
    size_t npaths, nreplay, nrows;
    keel_asset *replay_ids;
    double *replay;               /* closes [path][row][asset] */
    double *replay_low, *replay_high; /* the same shape, or NULL */
    int64_t *replay_time;         /* rows: the time stamps (seconds), or NULL: each step dt */
    size_t win_start;             /* the window's first row; p.steps is its length */
    uint64_t replay_hash;         /* fingerprint of the replayed ids, prices and times */
    /* volatility models (keel_sim_set_volatility), one per market asset */
    keel_sim_volatility *vol;
    size_t nvol_models;           /* assets whose model is not constant */
    /* a protocol's own rules for the liquidator (keel_sim_set_aave, ...;
     * lib/sim/liquidator.h); NULL: the default liquidator */
    const struct keel_protocol_ops *rules_ops;
    void *rules;
};

/* One path's record. */
typedef struct path_record {
    uint64_t path;
    double liquidations, bonus_lost, cost, trades, final_equity, min_health, mean_health,
        mean_efficiency, final_health;
    uint32_t policy_failures;
    bool has_debt; /* some step had debt: the HF figures are meaningful */
} path_record;

struct keel_sim_stats {
    uint32_t tag;
    uint64_t origin; /* which simulation set-up the paths come from */
    size_t count, capacity;
    path_record *r; /* increasing path */
};

#define CHECK_SIM(s) KEEL_TRY(keel_check_handle((s), KEEL_TAG_SIM, __func__, "sim"))

/* Which set-up the paths come from: a fingerprint of every input that
 * changes a path; statistics merge only when their origins agree. */
uint64_t keel_sim_origin(const keel_sim *sim);

/* Empty statistics for up to `capacity` paths; NULL when out of memory. */
keel_sim_stats *keel_sim_stats_new(uint64_t origin, size_t capacity);

/* Tests only: the vector target of this simulation's generator (usable here). */
void keel_sim_force_isa(keel_sim *sim, int isa);

/* Tests only: one_path (above) on (nonzero) or off (0, the default). */
void keel_sim_force_one_path(keel_sim *sim, int on);

/* Tests only: whether keel_sim_run takes the block of steps in lanes for
 * this set-up (run.c); false when out of memory. */
bool keel_sim_uses_lanes(const keel_sim *sim);

#endif
