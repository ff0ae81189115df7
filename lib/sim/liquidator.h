/* The liquidator of a simulation: what a lending protocol does to an account
 * whose health factor fell below 1. One function type, so that a protocol
 * layer can bring its own rules (the run loop calls whichever it is given). */
#ifndef KEEL_SIM_LIQUIDATOR_H
#define KEEL_SIM_LIQUIDATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/sim.h"

/* Liquidates `account` (health factor `health_factor` < 1 at `price`, one
 * price per market asset) once; adds the value the bonus took to
 * *bonus_lost and sets *happened when collateral was seized. Errors name
 * `fn`. */
typedef keel_status (*keel_liquidator)(const keel_sim_params *params, keel_basket *account,
                                       const double *price, double health_factor,
                                       double *bonus_lost, bool *happened, const char *fn);

/* The default, as keel_sim_new() documents it: the largest debt by value is
 * repaid up to the close factor (all of it below full_close_below), the
 * largest collateral by value is seized with the liquidation bonus, capped
 * at what the account holds. A path wiped out (no collateral, or no debt:
 * an options margin call alone) has nothing to liquidate. */
keel_status keel_liquidate_largest(const keel_sim_params *params, keel_basket *account,
                                   const double *price, double health_factor,
                                   double *bonus_lost, bool *happened, const char *fn);

/* A lending protocol's own rules for the liquidator (keel_sim_set_aave and
 * its siblings): the simulation holds the rules (its own copy of the
 * protocol's market and the map from its assets), each run opens a working
 * state of its own, and the run loop asks two questions through this table.
 * Adding a protocol is one table and one `lib/sim/liquidator_<protocol>.c`. */
typedef struct keel_protocol_ops {
    const char *name; /* "Aave v3", for messages */
    void (*free_rules)(void *rules);
    uint64_t (*fingerprint)(const void *rules, uint64_t h);
    /* a run's working state (copies it may change), or KEEL_E_NOMEM */
    keel_status (*open)(const void *rules, void **state, const char *fn);
    void (*close)(void *state);
    /* whether the protocol's verdict may be "liquidatable" at `price`: a
     * double pre-filter that never misses (a bound on the chain's rounding),
     * so the exact path runs only near the line */
    bool (*may_be_liquidatable)(const void *rules, const keel_basket *account,
                                const double *price);
    /* the account read as a position of the protocol at `price`; when the
     * chain would liquidate it, the liquidation the protocol's rules give,
     * applied to the balances it changed; *bonus_lost adds the value the
     * liquidation took beyond the debt it cleared; *happened when it did */
    keel_status (*liquidate)(void *state, const void *rules, keel_basket *account,
                             const double *price, double *bonus_lost, bool *happened,
                             const char *fn);
} keel_protocol_ops;

/* Installs `rules` (owned by the simulation from then on, freed with
 * ops->free_rules; NULL ops: the default liquidator) in place of the ones set. */
void keel_sim_install_rules(keel_sim *sim, const keel_protocol_ops *ops, void *rules);

/* Aave v3 (liquidator_aave.c); the rules come from keel_sim_set_aave. */
extern const keel_protocol_ops keel_aave_rules_ops;

#endif
