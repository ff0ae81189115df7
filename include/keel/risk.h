/**
 * @file risk.h
 * The health of an account: a basket valued in a market under a haircut
 * model (with an options book when one is given), the prices at which it becomes
 * liquidatable, why each haircut is what it is (keel_haircut_breakdown()),
 * and the probability of liquidation within a horizon.
 *
 * Definitions (all values in the numeraire; q_i collateral and d_i debt
 * quantities, p_i prices, h haircuts, b borrow factors):
 *
 *     collateral value   C  = sum q_i p_i
 *     borrowing power    BP = sum q_i p_i (1 - h_init,i)
 *     liquidation value  L  = sum q_i p_i (1 - h_maint,i)
 *     debt value         D  = sum d_j p_j
 *     weighted debt      W  = sum d_j p_j b_j + option margin
 *     health factor      HF = L / W           (+inf when W = 0)
 *
 * HF < 1 means the account is liquidatable; HF = 1 exactly is not.
 *
 * With an options book (keel_options), its net value V joins the
 * liquidation value and the borrowing power (long options add value, a short
 * book's value is a liability: L = max(0, L_basket + V), likewise BP) and its
 * scenario margin M (keel_options_scenario_margin()) joins the requirement:
 * W = sum d p b + M. docs/options.md works an example.
 */
#ifndef KEEL_RISK_H
#define KEEL_RISK_H

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/options.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An account's metrics, filled by keel_basket_metrics().
 *
 * Set @c size to sizeof(keel_metrics) before the call (KEEL_METRICS_INIT does):
 * the library writes only the members that fit in @c size bytes, so a
 * program built against an older, shorter struct keeps working.
 */
typedef struct keel_metrics {
    size_t size;                 /**< sizeof(keel_metrics) as the caller knows it; set by the caller. */
    double collateral_value;     /**< C = sum q_i p_i. */
    double borrowing_power;      /**< BP = sum q_i p_i (1 - h_init,i). */
    double liquidation_value;    /**< L = sum q_i p_i (1 - h_maint,i). */
    double debt_value;           /**< D = sum d_j p_j. */
    double weighted_debt;        /**< W = sum d_j p_j b_j + option_margin. */
    double health_factor;        /**< L / W; +inf when W = 0, and also when L / W exceeds the range of a double (a dust debt, W below about L / 1.8e308): such an account reads as one without debt. */
    double ltv;                  /**< keel's loan to value, debt over collateral D / C; 0 when D = 0, +inf when D > 0 and C = 0. Not Aave's "ltv" (that is weighted_max_ltv). */
    double collateral_ratio;     /**< C / D; +inf when D = 0. */
    double capital_efficiency;   /**< W / BP: share of borrowing power in use; 0 when W = 0, +inf when W > 0 and BP = 0. Above 1 the account cannot borrow more. */
    double free_borrowing_power; /**< max(BP - W, 0): what may still be borrowed, in weighted numeraire; 0 when the account is at or over its initial limit (as Aave's availableBorrowsBase). */
    double liquidation_buffer;   /**< L - W: how far maintenance-weighted collateral may fall before liquidation; negative when liquidatable. */
    double option_value;         /**< Net value of the options book (long minus short); 0 without a book. */
    double option_margin;        /**< Margin the options book requires, included in W; 0 without a book. */
    double weighted_max_ltv;     /**< BP / C_s: the collateral-weighted maximum LTV, sum q p (1 - h_init) over C_s, the value of collateral with a haircut schedule (Aave v3's getUserAccountData "ltv", which counts only reserves with a liquidation threshold, in v3.4 and v3.5; see keel_aave_to_keel() for v3.6); 0 when C_s = 0. Added in 0.2. */
    double weighted_liquidation_threshold; /**< L / C_s: the collateral-weighted liquidation threshold (Aave v3's "currentLiquidationThreshold"); 0 when C_s = 0. HF = weighted_liquidation_threshold x C_s / W. Added in 0.2. */
} keel_metrics;

/** Initialiser that sets @c size: `keel_metrics m = KEEL_METRICS_INIT;`. */
#define KEEL_METRICS_INIT { sizeof(keel_metrics), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Values a basket in a market under a haircut model.
 *
 * Assets in the basket with no haircut set count for nothing as collateral;
 * debt assets with no borrow factor set have factor 1.
 *
 * @param options  an options book, or NULL for none.
 * @param[in,out] out @c out->size must be set; on success the members that fit
 *                 are written, on failure nothing is.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET (the basket
 *         holds an asset the market does not know); KEEL_E_OUT_OF_RANGE (@c out->size
 *         smaller than a size_t); KEEL_E_OVERFLOW (a value beyond the range of double).
 */
KEEL_API keel_status keel_basket_metrics(const keel_basket *basket, const keel_options *options,
                                         const keel_market *market,
                                         const keel_haircut_model *haircuts, keel_metrics *out);

/** Which way an asset's price must move for the account to become liquidatable. */
typedef enum keel_liquidation_side {
    /** No positive price of this asset makes HF < 1: safe whatever it does. Price is 0. */
    KEEL_LIQ_NEVER = 0,
    /** HF falls as the price falls: liquidatable at prices below the returned price. */
    KEEL_LIQ_BELOW = 1,
    /** HF falls as the price rises (net debt in the asset): liquidatable above the returned price. */
    KEEL_LIQ_ABOVE = 2,
    /** HF < 1 at every positive price of this asset. Price is 0. */
    KEEL_LIQ_ALWAYS = 3
} keel_liquidation_side;

/**
 * Price of one asset at which the basket's health factor is exactly 1, all
 * other prices fixed.
 *
 * With the asset held as collateral q (maintenance haircut h) and as debt d
 * (borrow factor b), HF(p) = (L' + c p) / (W' + w p) with c = q (1 - h) and
 * w = d b, so the crossing is p* = (W' - L') / (c - w). If c > w the side is
 * KEEL_LIQ_BELOW, if c < w it is KEEL_LIQ_ABOVE; when no positive p* exists
 * (or c = w) the side is KEEL_LIQ_NEVER or KEEL_LIQ_ALWAYS and the price 0.
 *
 * At the boundary rounding decides, and the price returned is the boundary
 * as keel_basket_metrics() draws it: with the asset at the returned price the
 * account is not liquidatable (HF >= 1, HF = 1 being healthy), and one ulp
 * beyond it on the liquidating side it is (or, when an ulp of this price
 * moves L or W by less than their own ulp, a few such steps beyond). The
 * computed crossing is moved by at most 64 ulps to get there.
 *
 * An account that is already liquidatable gets the same answer: for
 * KEEL_LIQ_BELOW the returned price is then above the current price (the
 * price the asset must regain), for KEEL_LIQ_ABOVE below it.
 *
 * With options in the book or haircuts that depend on size, HF is no longer
 * linear-fractional in the price; the crossing is searched for from spot out
 * to spot / 2^64 and spot x 2^64 (a value overflowing a double ends the
 * search on that side), and keel_basket_liquidation_prices() gives the
 * nearest one on each side. Where two exist the nearer in log distance is
 * returned. Method: lib/risk/breakpoints.c; worked in docs/haircuts.md.
 *
 * Guarantee: the returned price is the nearest at which HF changes side of
 * 1: no change of side between the current price and the returned one is
 * skipped, with these limits.
 * - Size-dependent haircuts (liquidity, concentration, peg, portfolio VaR),
 *   and options on other assets only: the price axis is cut wherever HF can
 *   bend (the asset's liquidity cap, every asset's concentration threshold,
 *   every point where a haircut reaches its cap) and at every octave. On each
 *   piece (L - W) x (weighted debt) is a polynomial of degree <= 5 in
 *   sqrt(price), and the boundary of L - W >= portfolio VaR (the square root
 *   of a quadratic) a root of one of degree <= 10. The polynomial is
 *   interpolated from 6 full revaluations and checked against 3 more; all
 *   its real roots and turning points are found, and the side is read by
 *   full revaluation at each and between each two. A change of side is
 *   missed only where L - W crosses 0 by less than the interpolation's
 *   rounding (of the order of 1e-14 of the account's collateral and debt).
 *   A piece that fails its check (seen only at subnormal prices) is scanned
 *   as below.
 * - Options on this asset: their values and the scenario margin (a maximum
 *   over scenarios) have no such shape. HF is read at every strike of the
 *   asset's options, at the cuts above and on a geometric grid of 64 points
 *   per octave. A window on the other side of 1 (liquidatable, or healthy
 *   for an account already liquidatable) is never skipped when it is wider
 *   than one grid step (adjacent prices 2^(1/64) apart, 1.09%) or holds a
 *   strike; a narrower window strictly between two grid points can be. With
 *   a fixed haircut schedule and only expired options on an asset without
 *   volatility (intrinsic values, no margin), HF is piecewise linear with
 *   bends at the strikes, so every window holds a strike and none is
 *   skipped.
 * The change of side found is refined by Brent's method to about 1e-15
 * relative.
 *
 * @param options  an options book, or NULL for none.
 * @param asset    an asset of @p market; it need not be in the basket.
 * @param[out] out_price  the crossing price (> 0), or 0 for NEVER and ALWAYS.
 * @param[out] out_side   which side liquidates; may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW;
 *         KEEL_E_NOT_PSD (portfolio mode); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_liquidation_price(const keel_basket *basket,
                                                   const keel_options *options,
                                                   const keel_market *market,
                                                   const keel_haircut_model *haircuts,
                                                   keel_asset asset, double *out_price,
                                                   keel_liquidation_side *out_side);

/**
 * The prices of one asset nearest its current price, below and above, at
 * which the health factor crosses 1 (all else fixed). Where HF is not
 * monotone in the price (a book of options, an asset both collateral and
 * debt with size-dependent haircuts) both may exist. Each is the nearest on
 * its side with the guarantee of keel_basket_liquidation_price().
 *
 * @param options an options book, or NULL.
 * @param asset   an asset of @p market.
 * @param[out] out_below the nearest crossing below the current price; 0 when none.
 * @param[out] out_above the nearest crossing above it; +INFINITY when none.
 * @return as keel_basket_liquidation_price().
 */
KEEL_API keel_status keel_basket_liquidation_prices(const keel_basket *basket,
                                                    const keel_options *options,
                                                    const keel_market *market,
                                                    const keel_haircut_model *haircuts,
                                                    keel_asset asset, double *out_below,
                                                    double *out_above);

/**
 * First and second derivatives of the health factor with respect to one
 * asset's price ("health delta" and "health gamma"), by central differences
 * of full revaluations at relative steps of 1e-5 (first) and 1e-3 (second),
 * so that everything that moves with the price (haircut add-ons, option
 * values, the scenario margin) is in them.
 *
 * @param options an options book, or NULL.
 * @param asset   an asset of @p market.
 * @param[out] out_dhf  dHF/dp per unit of price.
 * @param[out] out_d2hf d2HF/dp2 per unit of price squared.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE (no debt: HF is infinite); KEEL_E_OVERFLOW; KEEL_E_NOT_PSD; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_health_sensitivity(const keel_basket *basket,
                                                    const keel_options *options,
                                                    const keel_market *market,
                                                    const keel_haircut_model *haircuts,
                                                    keel_asset asset, double *out_dhf,
                                                    double *out_d2hf);

/**
 * The account's profit or loss when one asset's price moves by a fraction
 * @p move, by full revaluation and by the delta-gamma approximation, side by
 * side. Equity is E = sum q p - sum d p + option value (no haircuts);
 * full = E(p (1 + move)) - E(p); approximation = Delta dp + Gamma dp^2 / 2
 * with Delta = (q - d) + the book's delta and Gamma the book's gamma on the
 * asset, dp = move x p.
 *
 * @param options an options book, or NULL.
 * @param asset   an asset of @p market.
 * @param move    relative move, finite and > -1.
 * @param[out] out_full         the full-revaluation P&L.
 * @param[out] out_delta_gamma  the delta-gamma P&L.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_OVERFLOW.
 */
KEEL_API keel_status keel_basket_pnl(const keel_basket *basket, const keel_options *options,
                                     const keel_market *market, keel_asset asset, double move,
                                     double *out_full, double *out_delta_gamma);

/**
 * Explains one asset's haircut in a basket: each component of the
 * composition rule (see the top of keel/haircut.h).
 *
 * @param asset an asset of @p market; it need not be in the basket (its
 *              quantity is then 0: no liquidity or concentration add-on).
 * @param[in,out] out @c out->size must be set; members that fit are written.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small); KEEL_E_OVERFLOW; KEEL_E_NOT_PSD; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_breakdown(const keel_haircut_model *model,
                                            const keel_basket *basket, const keel_market *market,
                                            keel_asset asset, keel_haircut_components *out);

/**
 * Probability that the health factor falls below 1 within @p horizon years:
 * log HF is expanded to second order in the log-returns of the assets it
 * depends on (elasticities and convexities by full revaluation, so option
 * gamma and size-dependent haircuts are in them), the returns drawn from the
 * market's lognormal model (volatilities and correlations, no drift), and the
 * resulting mean m and variance s^2 of log HF(horizon) are treated as those
 * of a Brownian motion with drift, whose first passage below 0 from
 * x = log HF has probability Phi((-x - m)/s) + exp(-2 m x / s^2) Phi((-x + m)/s).
 * Exact for one collateral asset against stable debt with fixed haircuts
 * (log HF is then a Brownian motion); an approximation otherwise.
 *
 * @param options an options book, or NULL.
 * @param horizon years, finite and > 0.
 * @param[out] out_probability in [0, 1]; 1 when already liquidatable (HF < 1), 0 without
 *             debt or risk. At HF = 1 exactly (not liquidatable, as everywhere in keel) it
 *             is 0 when nothing moves (s = 0, m >= 0) and 1 otherwise (a Brownian path
 *             started on the line crosses it at once: the formula's limit as x -> 0).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_OVERFLOW (also a horizon so long
 *         that the moments overflow); KEEL_E_NOT_PSD; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_liquidation_probability(const keel_basket *basket,
                                                  const keel_options *options,
                                                  const keel_market *market,
                                                  const keel_haircut_model *haircuts,
                                                  double horizon, double *out_probability);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_RISK_H */
