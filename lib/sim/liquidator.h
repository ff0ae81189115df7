/* The liquidator of a simulation: what a lending protocol does to an account
 * whose health factor fell below 1. One function type, so that a protocol
 * layer can bring its own rules (the run loop calls whichever it is given). */
#ifndef KEEL_SIM_LIQUIDATOR_H
#define KEEL_SIM_LIQUIDATOR_H

#include <stdbool.h>

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

#endif
