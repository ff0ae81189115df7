/**
 * @file sim.h
 * Monte Carlo and historical backtests of policies (batch scans of many
 * accounts and stress tests are in scan.h).
 *
 * A simulation's random stream is a counter-based generator (Philox4x32-10,
 * Salmon et al. 2011) keyed by the seed, with the path index in the
 * counter: path @c p draws the same numbers whatever range it is run in.
 * Statistics keep one record per path and are merged by path index, so any
 * split into shards merges to the same bits as one run (docs/simulation.md).
 *
 * Experimental: the simulation (keel_sim_* and keel_sim_stats_*, with their
 * types) may still change in a minor release (each is marked \experimental
 * and KEEL_EXPERIMENTAL; their symbols are in the version node
 * KEEL_EXPERIMENTAL_0.1). The scans and keel_stress() (scan.h) are the stable core.
 */
#ifndef KEEL_SIM_H
#define KEEL_SIM_H

#include <stdint.h>

#include "keel/aave.h"
#include "keel/comet.h"
#include "keel/morpho.h"
#include "keel/basket.h"
#include "keel/core.h"
#include "keel/cost.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/options.h"
#include "keel/policy.h"
#include "keel/risk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Simulation                                                                               */
/* ---------------------------------------------------------------------------------------- */

/** The most assets a simulation moves (those with a volatility, a drift or
 *  jumps): each run factors their correlation matrix, O(k^3) time and 2 k^2
 *  doubles (2048: 64 MB); beyond it keel_sim_new() or keel_sim_run() return
 *  KEEL_E_OVERFLOW. Assets that do not move cost only their prices. */
#define KEEL_SIM_MAX_MOVING_ASSETS 2048

/**
 * Opaque. A backtest set-up: copies of the account, market, models and policy.
 *
 * \experimental
 */
typedef struct keel_sim keel_sim;

/**
 * Opaque. Per-path results of one or more runs, mergeable across shards.
 *
 * \experimental
 */
typedef struct keel_sim_stats keel_sim_stats;

/**
 * Called by keel_sim_run() with the fraction of paths done, at most about
 * 100 times a run; a non-zero return stops the run with KEEL_E_CANCELLED.
 *
 * \experimental
 */
typedef int (*keel_progress_fn)(double fraction, void *user);

/**
 * Settings of a simulation. Set @c size (KEEL_SIM_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_sim_params {
    size_t size;               /**< Set by the caller to sizeof(keel_sim_params). */
    uint32_t steps;            /**< Steps per path, >= 1. */
    double dt;                 /**< Years per step, > 0 and finite. */
    uint64_t seed;             /**< Key of the random stream. */
    uint32_t rebalance_every;  /**< Steps between the policy's turns, >= 1. */
    double close_factor;       /**< Share of a debt a liquidator may repay at once, in (0, 1]. */
    double full_close_below;   /**< Below this HF the whole debt may be repaid, in [0, 1]. */
    double liquidation_bonus;  /**< Collateral seized per unit of debt repaid, above par, in [0, 1). */
} keel_sim_params;

/** Defaults: 30 daily steps, seed 1, the policy every step, Aave v3's liquidation
 *  terms (close factor 50%, 100% below HF 0.95, bonus 5%). */
#define KEEL_SIM_PARAMS_INIT                                                                 \
    { sizeof(keel_sim_params), 30, 1.0 / 365.0, 1, 1, 0.5, 0.95, 0.05 }

/**
 * Fills @p params with the defaults of KEEL_SIM_PARAMS_INIT: the function copies that
 * initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_sim_params): only that many bytes are written
 *                (fields this library does not know are zeroed), so a program built
 *                against another version's header stays in bounds; @c params->size is set
 *                to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_params_init(keel_sim_params *params, size_t size);

/**
 * What keel_sim_stats_summary() reports: means over paths, in path order.
 *
 * \experimental
 */
typedef struct keel_sim_summary {
    size_t size;                      /**< Set by the caller to sizeof(keel_sim_summary). */
    uint64_t paths;                   /**< Paths in the statistics. */
    double liquidation_probability;   /**< Share of paths with at least one liquidation. */
    double liquidation_probability_se;/**< Its standard error, sqrt(p (1 - p) / paths). */
    double mean_liquidations;         /**< Liquidations per path. */
    double mean_bonus_lost;           /**< Value lost to liquidation bonuses per path. */
    double mean_rebalance_cost;       /**< Trading costs of the policy's plans per path. */
    double mean_trades;               /**< Actions applied per path. */
    double mean_final_equity;         /**< C - D + option value at the end, per path. */
    double mean_min_health;           /**< The lowest HF a path reaches (after a move, before any action), averaged over paths with debt. */
    double mean_health;               /**< Time-average HF (steps with debt), averaged over such paths. */
    double mean_capital_efficiency;   /**< Time-average W / BP (finite steps), averaged over paths. */
    uint64_t policy_failures;         /**< Turns where the policy returned an error (the path went on without the plan, so the run is not the policy asked for: never ignore it). */
    uint64_t paths_with_policy_failures; /**< Paths with at least one such turn (added in 0.2). */
    uint64_t first_policy_failure_path;  /**< The lowest index of such a path, UINT64_MAX when none; re-run it alone to see the error (added in 0.2). */
} keel_sim_summary;

/** Initialiser that sets @c size. */
#define KEEL_SIM_SUMMARY_INIT { sizeof(keel_sim_summary), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Per-path quantities that keel_sim_stats_percentile() reads.
 *
 * \experimental
 */
typedef enum keel_sim_metric {
    KEEL_SIM_FINAL_EQUITY = 0,   /**< C - D + option value at the end. */
    KEEL_SIM_MIN_HEALTH = 1,     /**< The lowest HF along the path. */
    KEEL_SIM_MEAN_HEALTH = 2,    /**< Time-average HF. */
    KEEL_SIM_REBALANCE_COST = 3, /**< Trading costs of the plans. */
    KEEL_SIM_BONUS_LOST = 4,     /**< Value lost to liquidation bonuses. */
    KEEL_SIM_LIQUIDATIONS = 5,   /**< Number of liquidations. */
    KEEL_SIM_FINAL_HEALTH = 6,   /**< HF at the end of the path (+inf without debt). */
    KEEL_SIM_POLICY_FAILURES = 7 /**< Turns where the policy returned an error. */
} keel_sim_metric;

/**
 * Sets up a backtest of @p policy (or of holding, when NULL) on the account.
 * Every handle is copied: later changes to them do not reach the simulation.
 * Prices follow correlated geometric Brownian motions with the market's
 * volatilities and correlations (no drift unless keel_sim_set_drift(), Merton
 * jumps with keel_sim_set_jumps()), or replay keel_sim_set_paths().
 *
 * Each step: prices move; options age by @c dt (an option past its expiry is
 * not settled into cash: it keeps its intrinsic value at each later price, so
 * a run past an expiry lets the book follow prices it would not; end the run
 * at the expiry or settle it yourself); if HF < 1 a liquidator repays
 * the largest debt (close factor, or all of it below @c full_close_below) and
 * seizes the largest collateral with the bonus — a simplified rule of the
 * Aave kind, not any protocol's own (keel_sim_set_aave() gives Aave v3's
 * exact rules); then, on its turns, the policy plans and its plan is
 * applied with its costs.
 *
 * @param options  an options book, or NULL.
 * @param policy   a policy, or NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE;
 *         KEEL_E_OUT_OF_RANGE (zero steps, dt <= 0, a setting out of range, @c size too
 *         small); KEEL_E_NOT_PSD (the correlations of the assets with a volatility:
 *         only their k x k factor is built, so a market of many assets of which few
 *         move costs little; assets moved only by a drift or jumps are checked by
 *         keel_sim_run()); KEEL_E_OVERFLOW (more than KEEL_SIM_MAX_MOVING_ASSETS
 *         assets with a volatility); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_new(const keel_basket *basket, const keel_options *options,
                                  const keel_market *market, const keel_haircut_model *haircuts,
                                  const keel_cost_model *costs, const keel_policy *policy,
                                  const keel_sim_params *params, keel_sim **out);

/**
 * Frees a simulation. NULL, and a handle already freed where detectable, are no-ops.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API void keel_sim_free(keel_sim *sim);

/**
 * A drift mu (per year) for an asset: its log-price moves by
 * (mu - sigma^2 / 2 - lambda k) dt per step (k the mean jump, so that mu is
 * the expected return).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_drift(keel_sim *sim, keel_asset asset, double drift);

/**
 * Merton jumps for an asset: Poisson arrivals at @p intensity per year, each
 * multiplying the price by exp(J), J normal with @p mean and @p vol.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (intensity or vol < 0, intensity x dt > 10).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_jumps(keel_sim *sim, keel_asset asset, double intensity,
                                        double mean, double vol);

/**
 * Replays caller-given price paths instead of the model (a historical
 * backtest); @p npaths = 0 goes back to the model. Copied.
 *
 * @param nassets number of assets given; the others keep their market prices.
 * @param assets  @p nassets distinct assets.
 * @param prices  @p npaths x steps x @p nassets prices (row-major), each finite and > 0:
 *                the prices after steps 1 .. steps (step 0 is the market's).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE (a NaN or infinite price; the detail names it);
 *         KEEL_E_OUT_OF_RANGE; KEEL_E_OVERFLOW; KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_paths(keel_sim *sim, size_t npaths, size_t nassets,
                                        const keel_asset *assets, const double *prices);

/**
 * Liquidates by Aave v3's own rules: at each step the account is read as an
 * Aave account of @p market (each asset's quantity in the token's wei,
 * rounded to nearest, priced at round(price · 10^8) base units, scaled with
 * the reserve's indexes; e-mode @p emode), its health factor is the chain's
 * (keel_aave_user_account_data), and below 1 a liquidator makes the most
 * profitable liquidation call (keel_aave_best_liquidation: close factor on
 * the total debt, the bonus and protocol fee of the reserve or category,
 * the dust rule, deficit), whose result replaces the account's balances in
 * the reserves it touched; bonus_lost adds the collateral taken (liquidator
 * and treasury) less the debt repaid, at the step's prices. One call a step,
 * as with the default liquidator. The parameters' close_factor,
 * full_close_below and liquidation_bonus are then unused. keel_aave_to_keel()
 * builds the market, basket and haircut model, and @p reserves, for such a
 * simulation. Setting replaces any other protocol's rules
 * (keel_sim_set_comet, keel_sim_set_morpho). The market is copied; @p
 * market NULL goes back to the default liquidator.
 *
 * @param reserves @p n reserve ids: reserves[i] is the reserve of the simulation
 *                 market's asset i; every asset must have one, each distinct.
 * @param n        the number of assets of the simulation's market.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (@p n
 *         not the market's size, a repeated reserve); KEEL_E_UNKNOWN_ASSET (a
 *         reserve the Aave market lacks); KEEL_E_NOT_FOUND (@p emode not set);
 *         KEEL_E_NOMEM. Nothing changes on failure.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_aave(keel_sim *sim, const keel_aave_market *market,
                                       const uint32_t *reserves, size_t n, uint32_t emode);

/**
 * Liquidates by Compound v3's own rules (Comet.sol absorbInternal,
 * compound-finance/comet d5a30b0): at each step the account is read as a
 * Comet account of @p market -- the base asset's net quantity (held less
 * owed) as the signed principal (principalValue of the balance in wei,
 * rounded to nearest: a borrow's principal rounded up), each collateral's
 * quantity in wei, each price round(price · 10^8) (at least 1) --
 * isLiquidatable decides exactly (keel_comet_account_liquidity), and a
 * liquidatable account is absorbed (keel_comet_absorb_quote): every
 * collateral leaves the basket, the base becomes max(balance + credit, 0)
 * held (the credit is the collateral's value at its liquidation factor; a
 * deficit is borne by the protocol's reserves). bonus_lost adds the
 * collateral taken less the base it was credited as, at the step's prices
 * (the liquidation factor's cut; not the deficit). Setting replaces any
 * other protocol's rules (keel_sim_set_aave, keel_sim_set_morpho).
 * keel_comet_to_keel() builds the market, basket and haircut model and the
 * ids for such a simulation. The market is copied; @p market NULL goes back
 * to the default liquidator.
 *
 * @param assets @p n Comet asset ids: assets[i] is the Comet asset of the
 *               simulation market's asset i, or KEEL_COMET_BASE_ID for the
 *               base; exactly one base, each collateral at most once.
 * @param n      the number of assets of the simulation's market.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE
 *         (@p n not the market's size, a repeated id, no base or two, the
 *         account owing an asset other than the base: Comet lends only its
 *         base); KEEL_E_UNKNOWN_ASSET (an id the Comet market lacks);
 *         KEEL_E_NOMEM. Nothing changes on failure. During a run,
 *         KEEL_E_OUT_OF_RANGE if a policy left debt in a collateral asset,
 *         KEEL_E_OVERFLOW past the contract's widths (int104, uint128).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_comet(keel_sim *sim, const keel_comet_market *market,
                                        const uint32_t *assets, size_t n);

/**
 * Liquidates by Morpho Blue's own rules (Morpho.sol v1.0.0): at each step
 * the account's @p collateral quantity and @p loan debt are read as a
 * position of @p market (balances in wei, rounded to nearest; the oracle
 * price is round(10^36 · price[collateral] / price[loan] · 10^loan_decimals
 * / 10^collateral_decimals), computed in double precision, so exact to
 * about 16 significant digits); the debt joins the market's borrow totals as
 * the shares a borrow of it would mint (toSharesUp at the market's
 * totals), _isHealthy decides exactly, and an unhealthy position is
 * liquidated by the call that seizes the most collateral
 * (keel_morpho_best_liquidation: the incentive factor of the LLTV, bad debt
 * written off when no collateral is left), whose result replaces the two
 * balances. bonus_lost adds the collateral seized (at the oracle, in the
 * loan token) less the loan repaid, at the step's loan price. Other assets
 * of the basket are outside the market: held, never seized. Setting
 * replaces any other protocol's rules. keel_morpho_to_keel() builds the
 * market, basket and haircut model and the two ids for such a simulation.
 * The market is copied; @p market NULL goes back to the default liquidator.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (an id not below the market's size); KEEL_E_OUT_OF_RANGE (the two
 *         ids equal, the account owing an asset other than @p loan);
 *         KEEL_E_NOMEM. Nothing changes on failure. During a run,
 *         KEEL_E_OVERFLOW past uint128 or a price past 256 bits.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_morpho(keel_sim *sim, const keel_morpho_market *market,
                                         keel_asset collateral, keel_asset loan);

/**
 * Runs paths [first, first + count) and returns their statistics. The
 * numbers of path p depend only on (seed, p), so runs of disjoint ranges
 * merge (keel_sim_stats_merge()) into the same bits as one run.
 *
 * @param progress called with the fraction done (may be NULL); a non-zero return stops.
 * @param[out] out_stats the statistics; free with keel_sim_stats_free(). Also set, with
 *             the paths finished, when the run is cancelled.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (count 0, a
 *         range past the replayed paths or past 2^64); KEEL_E_CANCELLED; KEEL_E_OVERFLOW
 *         (also more than KEEL_SIM_MAX_MOVING_ASSETS assets that move);
 *         KEEL_E_NOT_PSD (the correlations of the assets that move, a drift or jumps
 *         included); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_run(const keel_sim *sim, uint64_t first, uint64_t count,
                                  keel_progress_fn progress, void *user,
                                  keel_sim_stats **out_stats);

/**
 * Frees statistics. NULL, and a handle already freed where detectable, are no-ops.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API void keel_sim_stats_free(keel_sim_stats *stats);

/**
 * Adds the paths of @p from to @p into (kept in path order).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (a path in
 *         both, or statistics of different simulations); KEEL_E_NOMEM. On failure
 *         @p into is unchanged.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_merge(keel_sim_stats *into, const keel_sim_stats *from);

/**
 * The summary: means over the paths, summed in path order.
 *
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (@c size).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_summary(const keel_sim_stats *stats, keel_sim_summary *out);

/**
 * A percentile of a per-path quantity over the paths (linear interpolation
 * between order statistics, Hyndman & Fan's type 7, as numpy's default).
 *
 * @param q in [0, 1].
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE;
 *         KEEL_E_OUT_OF_RANGE (q, an unknown metric, no paths); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_percentile(const keel_sim_stats *stats, keel_sim_metric metric,
                                               double q, double *out_value);

/**
 * Writes the statistics as bytes, to send a shard's results to another
 * process or machine (keel_sim_stats_deserialize() reads them back): a
 * versioned little-endian layout, 24 bytes of header and 88 per path, the
 * same on every platform.
 *
 * @param buffer   where to write, or NULL to ask the size.
 * @param capacity bytes available at @p buffer.
 * @param[out] out_size the bytes needed (always set).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_BUFFER_TOO_SMALL (nothing
 *         written; @p out_size says how much is needed); KEEL_E_OVERFLOW.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_serialize(const keel_sim_stats *stats, void *buffer,
                                              size_t capacity, size_t *out_size);

/**
 * Reads statistics written by keel_sim_stats_serialize(), checking every
 * byte of them (layout, version, path order, values).
 *
 * @param[out] out_stats new statistics; free with keel_sim_stats_free().
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (not statistics of this
 *         version, a size that does not match, paths out of order, a NaN); KEEL_E_NOMEM.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_deserialize(const void *buffer, size_t size,
                                                keel_sim_stats **out_stats);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_SIM_H */
