/**
 * @file haircut.h
 * keel_haircut_model: how much each unit of collateral counts and how much
 * each unit of debt weighs.
 *
 * The base is a fixed schedule, as lending protocols publish: per collateral
 * asset an initial haircut h_init (the protocol's loan-to-value is 1 - h_init)
 * and a maintenance haircut h_maint (its liquidation threshold is
 * 1 - h_maint), with 0 <= h_maint <= h_init < 1; per debt asset a borrow
 * factor b >= 1 that scales the debt's weight.
 *
 * An asset with no haircut set counts for nothing as collateral (its
 * haircuts read as 1), whatever add-ons are enabled. A debt asset with no
 * borrow factor set has b = 1.
 *
 * Add-ons, each off by default, widen the base from market data and the
 * basket itself. The effective haircut of collateral asset i (for the initial
 * and the maintenance haircut alike) is
 *
 *     h = min(cap_i, h_base + a_vol + a_liq + a_peg + a_conc)      (concentration mode EXTRA)
 *     h = min(cap_i, h_base + a_vol + a_liq + a_peg) + (1 - that) e (concentration mode EXCLUDE)
 *
 * where a_vol = 1 - exp(-z sigma sqrt(H)) (volatility add-on),
 * a_liq = min(cap_liq, k sqrt(q p / depth)) (liquidity add-on),
 * a_peg = m x (share of weighted debt outside the asset's peg group),
 * e = the fraction of the position above its concentration limit and
 * a_conc = extra x e. In portfolio mode a_vol is replaced by the account's
 * value-at-risk, allocated to assets by Euler allocation (see
 * keel_haircut_model_set_portfolio_mode()). docs/haircuts.md works an
 * example of each.
 *
 * Like a basket, a model names assets by id and holds no reference to a market.
 */
#ifndef KEEL_HAIRCUT_H
#define KEEL_HAIRCUT_H

#include "keel/core.h"
#include "keel/market.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_haircut_model_new() or keel_haircut_model_clone(), freed by keel_haircut_model_free(). */
typedef struct keel_haircut_model keel_haircut_model;

/**
 * Creates an empty fixed-schedule model (no asset counts as collateral yet).
 *
 * @param[out] out the new model.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_new(keel_haircut_model **out);

/** Frees a model. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_haircut_model_free(keel_haircut_model *model);

/**
 * Deep copy of a model.
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_clone(const keel_haircut_model *model,
                                              keel_haircut_model **out);

/**
 * Sets an asset's initial and maintenance haircuts.
 *
 * @param initial     fraction of value that does not count toward borrowing power, in [0, 1];
 *                    1 is a protocol's LTV of 0 (the asset counts toward the health factor
 *                    only, as Aave v3 lists some assets).
 * @param maintenance fraction of value that does not count toward the health factor,
 *                    in [0, initial] and < 1.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_asset(keel_haircut_model *model, keel_asset asset,
                                                  double initial, double maintenance);

/**
 * Reads an asset's haircuts.
 *
 * @param[out] out_initial     the initial haircut; 1 when none is set.
 * @param[out] out_maintenance the maintenance haircut; 1 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_asset(const keel_haircut_model *model, keel_asset asset,
                                              double *out_initial, double *out_maintenance);

/**
 * Removes an asset's haircuts, so that it counts for nothing as collateral.
 * Removing an asset that has none is not an error.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_clear_asset(keel_haircut_model *model, keel_asset asset);

/**
 * Sets a debt asset's borrow factor: its debt weighs b times its value.
 *
 * @param factor finite and >= 1.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_borrow_factor(keel_haircut_model *model,
                                                          keel_asset asset, double factor);

/**
 * Reads a debt asset's borrow factor.
 *
 * @param[out] out_factor the factor; 1 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_borrow_factor(const keel_haircut_model *model,
                                                      keel_asset asset, double *out_factor);

/**
 * Sets the largest haircut an asset can reach through add-ons (the cap in
 * the composition rule). A cap below the base haircut lowers the base too.
 *
 * @param cap in [0, 1]; 1 (the default) means no cap.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_cap(keel_haircut_model *model, keel_asset asset,
                                                double cap);

/**
 * Reads an asset's haircut cap.
 *
 * @param[out] out_cap the cap; 1 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_cap(const keel_haircut_model *model, keel_asset asset,
                                            double *out_cap);

/**
 * Enables the volatility add-on: a_vol = 1 - exp(-z sigma sqrt(H)), the
 * fall of a lognormal price over the liquidation horizon H at the one-sided
 * confidence level (z = inverse normal CDF of @p confidence; sigma the
 * market's annual volatility of the asset).
 *
 * @param confidence   in [0.5, 1), e.g. 0.99 (below 0.5 the quantile z is negative).
 * @param horizon_days the liquidation horizon in days (ACT/365), finite and >= 0;
 *                     0 turns the add-on off (the default).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_haircut_model_set_volatility_addon(keel_haircut_model *model,
                                                             double confidence,
                                                             double horizon_days);

/**
 * Reads the volatility add-on's settings.
 *
 * @param[out] out_confidence   the confidence level (0.99 until set).
 * @param[out] out_horizon_days the horizon in days; 0 when the add-on is off.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_volatility_addon(const keel_haircut_model *model,
                                                         double *out_confidence,
                                                         double *out_horizon_days);

/**
 * Enables the liquidity (size) add-on: a_liq = min(cap, k sqrt(q p / depth)),
 * growing with the position's value q p relative to the asset's market depth
 * (keel_market_set_depth()); 0 for an asset of infinite depth. The
 * square-root shape is the one derivatives venues use for size-dependent
 * margin. With it, haircuts depend on quantity and prices, and
 * keel_basket_liquidation_price() finds the crossing by bracketed root finding.
 *
 * @param k   finite and >= 0; 0 turns the add-on off (the default).
 * @param cap in [0, 1], the add-on's own maximum.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_haircut_model_set_liquidity_addon(keel_haircut_model *model, double k,
                                                            double cap);

/**
 * Reads the liquidity add-on's settings.
 *
 * @param[out] out_k   the coefficient; 0 when off.
 * @param[out] out_cap the add-on's cap (1 until set).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_liquidity_addon(const keel_haircut_model *model,
                                                        double *out_k, double *out_cap);

/** How the part of a position above its concentration limit is treated. */
typedef enum keel_concentration_mode {
    /** The excess gets an extra haircut: a_conc = extra x (excess fraction). */
    KEEL_CONCENTRATION_EXTRA = 0,
    /** The excess counts for nothing (its haircut is 1); `extra` is ignored. */
    KEEL_CONCENTRATION_EXCLUDE = 1
} keel_concentration_mode;

/**
 * Sets an asset's concentration limit: the part of its value above
 * @p max_share of the basket's collateral value is penalised (how depends
 * on keel_haircut_model_set_concentration_mode()).
 *
 * With share s = q p / C (C the basket's collateral value), the excess
 * fraction of the position is e = max(0, s - max_share) / s.
 *
 * @param max_share in (0, 1]; 1 removes the limit.
 * @param extra     in [0, 1], the extra haircut on the excess (mode EXTRA).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_concentration(keel_haircut_model *model,
                                                          keel_asset asset, double max_share,
                                                          double extra);

/**
 * Reads an asset's concentration limit.
 *
 * @param[out] out_max_share the limit; 1 when none is set.
 * @param[out] out_extra     the extra haircut; 0 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_concentration(const keel_haircut_model *model,
                                                      keel_asset asset, double *out_max_share,
                                                      double *out_extra);

/**
 * Chooses how concentration excess is treated, for every asset.
 *
 * @param mode KEEL_CONCENTRATION_EXTRA (the default) or KEEL_CONCENTRATION_EXCLUDE.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_OUT_OF_RANGE (unknown mode).
 */
KEEL_API keel_status keel_haircut_model_set_concentration_mode(keel_haircut_model *model,
                                                               keel_concentration_mode mode);

/**
 * Reads the concentration mode.
 *
 * @param[out] out_mode the mode.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_concentration_mode(const keel_haircut_model *model,
                                                           keel_concentration_mode *out_mode);

/**
 * Puts an asset in a peg group: assets meant to hold the same value (USDC,
 * USDT and DAI in a USD group; ETH, stETH and WETH in an ETH group).
 * Collateral outside the group of the debt it backs gets the peg-mismatch
 * add-on. An asset in no group (group 0, the default) is its own group.
 *
 * @param group any number; 0 means "no group".
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_peg_group(keel_haircut_model *model, keel_asset asset,
                                                      uint32_t group);

/**
 * Reads an asset's peg group.
 *
 * @param[out] out_group the group; 0 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_peg_group(const keel_haircut_model *model,
                                                  keel_asset asset, uint32_t *out_group);

/**
 * Sets the peg (currency) mismatch add-on: collateral asset i gets
 * a_peg = addon x (weighted debt outside i's peg group) / (weighted debt).
 * With one debt asset this is the regulatory rule: the full add-on when
 * collateral and exposure are in different currencies (8% in the Basel
 * framework's comprehensive approach, CRE22.56), none when they match.
 *
 * @param addon in [0, 1]; 0 turns it off (the default).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_haircut_model_set_peg_mismatch_addon(keel_haircut_model *model,
                                                               double addon);

/**
 * Reads the peg mismatch add-on.
 *
 * @param[out] out_addon the add-on; 0 when off.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_peg_mismatch_addon(const keel_haircut_model *model,
                                                           double *out_addon);

/**
 * Turns portfolio (correlation) mode on or off.
 *
 * In portfolio mode the volatility add-on is replaced by the account's
 * value-at-risk over the volatility add-on's horizon and confidence:
 *
 *     VaR = z sqrt(H) sqrt(w' S w),  S_ij = sigma_i sigma_j rho_ij,
 *     w_i = (q_i - d_i) p_i  (collateral +, debt -; collateral with no
 *                             haircut set does not enter)
 *
 * allocated to assets by Euler (component) allocation,
 * VaR_i = z sqrt(H) w_i (S w)_i / sqrt(w' S w), which sums to VaR. The
 * requirement VaR is taken from both the liquidation value and the borrowing
 * power (each floored at 0). A position hedged by its own debt then needs
 * little; the held assets' correlation matrix must be positive
 * semi-definite (else KEEL_E_NOT_PSD from the valuing functions). Needs the
 * volatility add-on's horizon > 0 to have any effect.
 *
 * Cost: a valuation in portfolio mode checks that the m x m correlation
 * matrix of the m assets with an exposure is PSD by factoring it, O(m^3) time
 * and 2 m^2 doubles (at m = 2048: 64 MB, about a second) -- unless the
 * market's own correlation writes certified it: a market whose correlated
 * assets (those in some pair set) number at most 64 keeps their dense matrix
 * and, when its smallest eigenvalue is at least 1e-6, a certificate that
 * every such check passes (keel_market_set_correlation(), O(64^3) per write);
 * then a valuation gathers the matrix and costs O(m^2), with the same
 * results. Beyond KEEL_PORTFOLIO_MAX_ASSETS the valuing functions return
 * KEEL_E_OVERFLOW instead of allocating gigabytes.
 *
 * @param enabled non-zero to enable.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_set_portfolio_mode(keel_haircut_model *model, int enabled);

/** The most assets with an exposure that a portfolio-mode valuation factors
 *  (keel_haircut_model_set_portfolio_mode()). */
#define KEEL_PORTFOLIO_MAX_ASSETS 2048

/**
 * Reads whether portfolio mode is on.
 *
 * @param[out] out_enabled 1 when on, 0 when off.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_portfolio_mode(const keel_haircut_model *model,
                                                       int *out_enabled);

/**
 * Why an asset's haircut is what it is: each component of the composition
 * rule for one asset of one basket, filled by keel_haircut_breakdown()
 * (keel/risk.h: it values the basket).
 * Set @c size to sizeof(keel_haircut_components) (KEEL_HAIRCUT_COMPONENTS_INIT).
 *
 * For the maintenance haircut, base_maintenance + volatility + liquidity + peg
 * + concentration + cap_adjustment = maintenance, exactly as computed; the
 * initial haircut uses the same add-ons on base_initial.
 */
typedef struct keel_haircut_components {
    size_t size;               /**< Set by the caller to sizeof(keel_haircut_components). */
    int has_schedule;          /**< 1 when the asset has a base haircut; 0: it counts for nothing and every other member but maintenance = initial = 1 is 0. */
    double base_initial;       /**< h_init from the schedule. */
    double base_maintenance;   /**< h_maint from the schedule. */
    double volatility;         /**< a_vol (0 in portfolio mode: see portfolio_component). */
    double liquidity;          /**< a_liq. */
    double peg;                /**< a_peg. */
    double concentration;      /**< a_conc in mode EXTRA; (1 - capped haircut) x e in mode EXCLUDE. */
    double cap_adjustment;     /**< <= 0: what the cap took off the maintenance haircut. */
    double initial;            /**< The effective initial haircut, before any portfolio requirement. */
    double maintenance;        /**< The effective maintenance haircut, before any portfolio requirement. */
    double excess_fraction;    /**< e, the fraction of the position above its concentration limit. */
    double portfolio_component;/**< In portfolio mode, the asset's Euler share of the account's VaR, in the numeraire (may be < 0 for a hedge); 0 otherwise. */
    double portfolio_var;      /**< In portfolio mode, the account's whole VaR; 0 otherwise. */
} keel_haircut_components;

/** Initialiser that sets @c size. */
#define KEEL_HAIRCUT_COMPONENTS_INIT { sizeof(keel_haircut_components), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * The volatility haircut 1 - exp(-z sigma sqrt(T)): the fall of a lognormal
 * price that is exceeded with probability 1 - confidence over T years.
 *
 * @param volatility   annual volatility, finite and >= 0.
 * @param confidence   in [0.5, 1).
 * @param horizon_years finite and >= 0.
 * @param[out] out_haircut the haircut in [0, 1).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_volatility_haircut(double volatility, double confidence,
                                             double horizon_years, double *out_haircut);

/**
 * Square-root-of-time scaling of a haircut quoted for one holding period to
 * another: H_N = H_M sqrt(N / M), as the Basel framework scales supervisory
 * haircuts (CRE22.57). The result is not capped.
 *
 * @param haircut   the haircut H_M for @p from_days, finite and >= 0.
 * @param from_days M, finite and > 0.
 * @param to_days   N, finite and >= 0.
 * @param[out] out_haircut H_N.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_haircut_scale_holding_period(double haircut, double from_days,
                                                       double to_days, double *out_haircut);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_HAIRCUT_H */
