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

/** Seconds in the year of a replay's time stamps: 365 days (31,536,000 s), the
 *  year of the default dt = 1/365. A step between stamps t0 < t1 lasts
 *  (t1 - t0) / KEEL_SECONDS_PER_YEAR years. */
#define KEEL_SECONDS_PER_YEAR 31536000.0

/**
 * A historical replay: rows of prices with optional intraday extremes and
 * time stamps, for keel_sim_set_replay(). Arrays are row-major
 * [path][row][asset]; row 0 holds the start (the account is valued at it,
 * overriding the market's prices of these assets), row s the step's close.
 *
 * \experimental
 */
typedef struct keel_sim_replay {
    size_t size;              /**< Set by the caller to sizeof(keel_sim_replay). */
    size_t npaths;            /**< Paths, >= 1 (one series, or several aligned ones). */
    size_t rows;              /**< Rows per path, >= 2 (a start and at least one step), < 2^32. */
    size_t nassets;           /**< Assets given, >= 1; the others keep their market prices. */
    const keel_asset *assets; /**< @c nassets distinct assets of the simulation's market. */
    const double *close;      /**< npaths x rows x nassets prices, finite and > 0: the start
                                   (row 0), then each step's close, where the policy acts. */
    const double *low;        /**< Same shape, or NULL: each step's lowest price (the candle's
                                   low), <= its close; row 0 is checked, not used. */
    const double *high;       /**< Same shape, or NULL: each step's highest price, >= its close
                                   (and >= the low). */
    const int64_t *time;      /**< @c rows time stamps in seconds (Unix time or any origin),
                                   strictly increasing, shared by every path; NULL: every step
                                   lasts the parameters' dt. */
} keel_sim_replay;

/** Initialiser that sets @c size (and nothing else). */
#define KEEL_SIM_REPLAY_INIT { sizeof(keel_sim_replay), 0, 0, 0, NULL, NULL, NULL, NULL, NULL }

/**
 * Replays history instead of the model (see keel_sim_replay). Everything
 * is copied. The run then lasts rows - 1 steps (the whole replay; see
 * keel_sim_set_window() for part of it) whatever the parameters' @c steps;
 * step s lasts the time between stamps s - 1 and s (options age by it,
 * volatility estimators scale its return by it), or the parameters' dt.
 *
 * Intraday extremes: when @c low or @c high are given, liquidation is
 * checked first at each step's adverse extreme -- every asset the account
 * only holds at its low, every asset it only owes at its high, and an
 * asset both held and owed at whichever of the two gives the lower HF
 * (searched one such asset at a time until no choice changes: for haircuts
 * that do not depend on sizes, the lowest HF over every corner of the
 * candles, HF being monotone in each price), all at once: the worst
 * combination the candles allow, conservative since the lows of two assets
 * need not fall at the same moment -- and the liquidator, when the account is liquidatable there,
 * acts at those prices (the protocol's oracle at its worst; the true
 * crossing lies between the close and the extreme). Otherwise the close
 * is checked as without extremes. At most one liquidation a step. The
 * policy then acts at the close. The lowest HF of a path
 * (KEEL_SIM_MIN_HEALTH) is the one at the extreme. Options are valued at
 * the extreme's prices too (not necessarily the book's worst).
 *
 * @param replay the replay, or NULL to go back to the model (the run lasts
 *               the parameters' steps again).
 * @return KEEL_OK; KEEL_E_NULL_ARG (a needed array); KEEL_E_BAD_HANDLE;
 *         KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE (a NaN or infinite price;
 *         the detail names path, row and asset); KEEL_E_OUT_OF_RANGE (@c size,
 *         no paths, fewer than 2 rows, a price <= 0, a low above its close or
 *         a high below it, time stamps not strictly increasing, an asset
 *         twice); KEEL_E_OVERFLOW (sizes); KEEL_E_NOMEM. Nothing changes on
 *         failure.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_replay(keel_sim *sim, const keel_sim_replay *replay);

/**
 * Runs a replay over rows [start, start + steps] only: the start prices are
 * row @p start's closes, and the run lasts @p steps steps; @p steps 0 runs
 * to the last row. Volatility estimators (keel_sim_set_volatility) are fed
 * the replay's rows 0 .. start first, so a window starts with the regime
 * its history left. A new replay resets the window to the whole of it.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (no
 *         replay set with keel_sim_set_replay() or keel_sim_set_paths(), a
 *         window past the last row or empty). Nothing changes on failure.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_window(keel_sim *sim, size_t start, size_t steps);

/**
 * How an asset's volatility evolves along a path (keel_sim_set_volatility).
 *
 * \experimental
 */
typedef enum keel_sim_vol_kind {
    KEEL_SIM_VOL_CONSTANT = 0, /**< The market's volatility throughout (the default). */
    KEEL_SIM_VOL_EWMA = 1,     /**< A RiskMetrics EWMA estimator (keel_ewma) follows the path. */
    KEEL_SIM_VOL_GARCH = 2     /**< A GARCH(1,1) filter (keel_garch) follows the path; with
                                    @c drives, simulated returns have its variance. */
} keel_sim_vol_kind;

/**
 * A volatility model for one asset of a simulation. The estimator runs on
 * each step's close-to-close log return r, scaled to the estimator's
 * @c period: r sqrt(period / dt) for a step of dt years; after each move
 * the market's volatility of the asset becomes sqrt(variance / period)
 * per year, so haircut add-ons, option values and predictive policies see
 * it at that step.
 *
 * \experimental
 */
typedef struct keel_sim_volatility {
    size_t size;            /**< Set by the caller to sizeof(keel_sim_volatility). */
    keel_sim_vol_kind kind; /**< The model. */
    double period;          /**< Years per estimator period, > 0 (1/365: daily returns; the
                                 GARCH's parameters are per this period). */
    double lambda;          /**< EWMA decay, in (0, 1) (0.94: RiskMetrics' daily value). */
    double omega;           /**< GARCH constant, > 0, per period squared. */
    double alpha;           /**< GARCH weight of the last squared return, >= 0. */
    double beta;            /**< GARCH weight of the last variance, >= 0; alpha + beta < 1. */
    double initial_variance;/**< Variance per period at the start of each path, >= 0; 0: the
                                 market's volatility squared x period (EWMA), the long-run
                                 variance (GARCH). */
    int drives;             /**< GARCH only, Monte Carlo only: 1 makes the simulated return of
                                 each step r = (mu - h / 2 / period) dt + sqrt(h dt / period) z
                                 with h the filter's variance (the paths follow GARCH; jumps set
                                 with keel_sim_set_jumps() are added, with their compensator,
                                 as for any asset); 0 only estimates. Ignored by a replay. */
} keel_sim_volatility;

/** Initialiser that sets @c size: constant, daily period, RiskMetrics lambda. */
#define KEEL_SIM_VOLATILITY_INIT                                                              \
    { sizeof(keel_sim_volatility), KEEL_SIM_VOL_CONSTANT, 1.0 / 365.0, 0.94, 0, 0, 0, 0, 0 }

/**
 * Fills @p model with the defaults of KEEL_SIM_VOLATILITY_INIT (as
 * keel_sim_params_init(): only @p size bytes are written).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_volatility_init(keel_sim_volatility *model, size_t size);

/**
 * Sets how @p asset's volatility evolves along each path: a constant (the
 * market's), an EWMA estimator or a GARCH(1,1) filter fed the path's
 * returns (keel_ewma, keel_garch: the same recursions), which may also
 * drive simulated paths. Volatility haircut add-ons and the predictive
 * policy then follow the regime; a simulation with a model other than
 * constant values each step with the general engine (slower than the
 * linear fast path).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (@c size, an unknown kind, a
 *         parameter out of its range, alpha + beta >= 1). Nothing changes on
 *         failure.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_set_volatility(keel_sim *sim, keel_asset asset,
                                             const keel_sim_volatility *model);

/**
 * What happened at a step of a traced path (keel_sim_event).
 *
 * \experimental
 */
typedef enum keel_sim_event_kind {
    KEEL_SIM_EVENT_LIQUIDATION = 1,   /**< The liquidator seized collateral. */
    KEEL_SIM_EVENT_REBALANCE = 2,     /**< One action of the policy's plan was applied. */
    KEEL_SIM_EVENT_POLICY_FAILURE = 3 /**< The policy returned an error; the path went on
                                           without a plan. */
} keel_sim_event_kind;

/**
 * One event of a traced path. A liquidation is one event whatever the number
 * of assets it touched: @c action names the collateral asset that lost the
 * most value (@c asset, @c quantity units seized) and the debt asset most
 * repaid (@c debt_asset, @c repaid units), @c to_asset / @c received a
 * collateral it credited (Compound v3's absorb credits the base), and the
 * value fields sum over every asset. A rebalance is one event per action of
 * the plan, @c action as the plan holds it (with its own cost).
 *
 * \experimental
 */
typedef struct keel_sim_event {
    uint32_t step;              /**< The step, 1-based (row of the trace). */
    keel_sim_event_kind kind;   /**< What happened. */
    keel_status status;         /**< KEEL_SIM_EVENT_POLICY_FAILURE: the policy's status; else KEEL_OK. */
    keel_action action;         /**< The action (see above); type SELL_TO_REPAY for a
                                     liquidation; zero quantities for a failure. */
    double value_seized;        /**< Liquidation: collateral taken, in the numeraire at the
                                     prices it was taken at. */
    double value_repaid;        /**< Liquidation: debt cleared plus collateral credited, in the
                                     numeraire. */
    double bonus_lost;          /**< Liquidation: the value the liquidation took beyond what
                                     it cleared (as the statistics' bonus_lost). */
    double health_before;       /**< HF just before the event. */
    double health_after;        /**< HF just after it (a plan's last action: the plan's result). */
} keel_sim_event;

/**
 * Where keel_sim_trace_path() writes a path's trajectory: caller-owned
 * arrays, each NULL to skip it. Row r is the state at the end of step r
 * (after the liquidator and the policy), row 0 the start, so a path of
 * @c steps steps fills steps + 1 rows.
 *
 * \experimental
 */
typedef struct keel_sim_trace {
    size_t size;            /**< Set by the caller to sizeof(keel_sim_trace). */
    size_t capacity;        /**< Rows available in each per-row array, >= steps + 1. */
    double *time;           /**< Years since the start of the run, per row. */
    double *prices;         /**< capacity x nassets (market order): the close of each row. */
    double *volatility;     /**< capacity x nassets: the market's volatilities at each row. */
    double *health;         /**< HF at the end of each row's step. */
    double *health_low;     /**< HF after the move, before any action (at the adverse
                                 extreme when the replay has one); row 0: the start HF. */
    double *collateral_value; /**< C at the end of each row's step (numeraire). */
    double *debt_value;     /**< D at the end of each row's step. */
    double *equity;         /**< C - D + option value at the end of each row's step. */
    keel_sim_event *events; /**< Room for @c event_capacity events, or NULL (events are then
                                 only counted in @c nevents). */
    size_t event_capacity;  /**< Events @c events holds. */
    size_t event_size;      /**< Set by the caller to sizeof(keel_sim_event). */
    size_t rows;            /**< Out: rows the path has (steps + 1), written or needed. */
    size_t nevents;         /**< Out: events the path had (written: min(nevents, event_capacity)). */
} keel_sim_trace;

/** Initialiser that sets the sizes (no arrays). */
#define KEEL_SIM_TRACE_INIT                                                                  \
    { sizeof(keel_sim_trace), 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0,       \
      sizeof(keel_sim_event), 0, 0 }

/**
 * Runs path @p path alone and records its trajectory and events in @p
 * trace: the same numbers keel_sim_run() gives that path (its record, in
 * @p out_stats when not NULL, is the same bits). Recording is the only
 * difference; a run without a trace records nothing and pays nothing.
 *
 * @param[in,out] trace arrays to fill (see keel_sim_trace); @c rows and
 *                      @c nevents are always set on return.
 * @param[out] out_stats the path's statistics, or NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (@c
 *         size or @c event_size, a path past the replayed ones);
 *         KEEL_E_BUFFER_TOO_SMALL (@c capacity below the rows, checked
 *         before the run: nothing written but @c rows; or, with @c events
 *         set, more events than @c event_capacity: the rows and the first
 *         events are written, @c nevents says how many there were); the
 *         errors of keel_sim_run().
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_trace_path(const keel_sim *sim, uint64_t path, keel_sim_trace *trace,
                                         keel_sim_stats **out_stats);

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
 * A per-path quantity for every path of the statistics, in path order
 * (for histograms, DataFrames, or one's own estimators).
 *
 * @param[out] paths    @p capacity path indexes, or NULL.
 * @param[out] values   @p capacity values, or NULL (with @p paths NULL too: ask the count).
 * @param[out] out_count the paths in the statistics (always set).
 * @return KEEL_OK; KEEL_E_NULL_ARG (@p out_count); KEEL_E_BAD_HANDLE;
 *         KEEL_E_OUT_OF_RANGE (an unknown metric); KEEL_E_BUFFER_TOO_SMALL
 *         (@p capacity below the count: nothing written).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_sim_stats_values(const keel_sim_stats *stats, keel_sim_metric metric,
                                           uint64_t *paths, double *values, size_t capacity,
                                           size_t *out_count);

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
