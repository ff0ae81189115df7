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

/* Aave v3's rules (keel_sim_set_aave): the working copies one run needs. */
typedef struct keel_aave_liquidator {
    keel_aave_market *market;          /* the simulation's, its prices set each step */
    keel_aave_account *account, *after;
} keel_aave_liquidator;

keel_status keel_aave_liquidator_open(keel_aave_liquidator *l, const keel_sim *sim, const char *fn);
void keel_aave_liquidator_close(keel_aave_liquidator *l);

/* Whether the chain's health factor may be below 1: the account's health
 * factor by the Aave market's own thresholds (not the simulation's haircut
 * model), in double, is below 1 or within the rounding of the chain's
 * integers (a base unit and a wei a position; v3.4's threshold cut to a
 * basis point) of it. */
bool keel_aave_may_be_liquidatable(const keel_sim *sim, const keel_basket *account,
                                   const double *price);

/* The account read as an Aave account at `price`; when the chain's health
 * factor is below 1, the most profitable liquidation call, applied to the
 * balances it changed. */
keel_status keel_liquidate_aave(keel_aave_liquidator *l, const keel_sim *sim, keel_basket *account,
                                const double *price, double *bonus_lost, bool *happened,
                                const char *fn);

#endif
