/**
 * @file options.h
 * European options: the pricing kernel (Black-Scholes-Merton with continuous
 * carry, and Black-76 on forwards) with first- and second-order greeks, on
 * one option or on arrays, and implied volatility.
 *
 * Conventions (all per unit of the option, in the numeraire):
 * - time in years; rate r and dividend (carry, yield) q continuous and annual;
 * - vega, vanna and volga are per 1.00 of volatility (divide by 100 for a
 *   volatility point); rho and dividend rho per 1.00 of rate;
 * - theta and charm are per year of calendar time passing (theta = -dV/dT,
 *   charm = -d delta/dT); divide by 365 for a day.
 *
 * keel_options is a book of positions in European options on market
 * assets, valued from the market (spot, carry, rate, volatility or a
 * per-position override), with aggregate greeks per underlying and a
 * SPAN-shaped scenario margin; keel_basket_metrics() takes it into an
 * account's health (include/keel/risk.h).
 */
#ifndef KEEL_OPTIONS_H
#define KEEL_OPTIONS_H

#include "keel/core.h"
#include "keel/market.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_options_new() or keel_options_clone(), freed by keel_options_free(). */
typedef struct keel_options keel_options;

/** Call or put. */
typedef enum keel_option_type {
    KEEL_CALL = 0, /**< The right to buy at the strike. */
    KEEL_PUT = 1   /**< The right to sell at the strike. */
} keel_option_type;

/**
 * Value and greeks of one European option, filled by keel_black_scholes() and
 * keel_black76(). Set @c size (KEEL_GREEKS_INIT); members that fit are written.
 *
 * For Black-76 the underlying is the forward: delta and gamma are with
 * respect to it, rho is -T x value (the forward held fixed) and
 * dividend_rho is 0.
 */
typedef struct keel_greeks {
    size_t size;         /**< Set by the caller to sizeof(keel_greeks). */
    double value;        /**< Present value. */
    double delta;        /**< dV/dS. */
    double gamma;        /**< d2V/dS2. */
    double vega;         /**< dV/dsigma, per 1.00 of volatility. */
    double theta;        /**< -dV/dT: value change per year of time passing. */
    double rho;          /**< dV/dr, per 1.00 of rate. */
    double dividend_rho; /**< dV/dq, per 1.00 of dividend yield. */
    double vanna;        /**< d2V/dS dsigma = d delta / d sigma. */
    double volga;        /**< d2V/dsigma2 (vomma). */
    double charm;        /**< -d delta / dT: delta change per year of time passing. */
} keel_greeks;

/** Initialiser that sets @c size. */
#define KEEL_GREEKS_INIT { sizeof(keel_greeks), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Black-Scholes-Merton value and greeks of a European option on an asset
 * paying a continuous yield (Merton 1973; Haug, "The Complete Guide to Option
 * Pricing Formulas", 2nd ed., section 1.1.6, with cost of carry b = r - q).
 *
 * Edges: volatility 0 gives the limit sigma -> 0 at the given expiry, and
 * expiry 0 the limit T -> 0 at the given volatility (derivations in
 * docs/options.md). Off the strike (the forward F = S e^((r-q)T) above or
 * below K; at T = 0 with volatility 0 and S = K, the side F moves to as T
 * grows, by the sign of r - q, as at S = K with any T > 0 where the carry
 * (r - q) T underflows) the value is the discounted intrinsic value
 * w (S e^(-qT) - K e^(-rT)) with w = 1 in the money and 0 out of it
 * (w - 1 for a put); delta w e^(-qT); theta w (q S e^(-qT) - r K e^(-rT));
 * rho w T K e^(-rT); dividend rho -w T S e^(-qT); charm w q e^(-qT) (the
 * decay of the step's discounting); gamma, vega, vanna and volga 0. At the
 * strike (F = K with volatility 0, S = K at expiry 0) gamma's limit is
 * +inf, and at expiry 0 theta's is -inf and charm's -+inf by the sign of
 * r - q + sigma^2/2: KEEL_E_OVERFLOW, nothing written
 * (keel_black_scholes_batch() writes the limits, infinities included).
 * Near these limits (sigma sqrt(T) or T below 1e-100, a subnormal
 * volatility, phi(d1) below 1e-200) the greeks made of phi(d1) are
 * products with an exact binary exponent, so they are 0 or infinite only
 * when the true value is beyond double range. The out-of-the-money option
 * is priced directly and the other by put-call parity, so no
 * deep-in-the-money subtraction loses precision; the intrinsic value parity
 * adds, S e^(-qT) - K e^(-rT), is formed near the money as
 * (S - K) e^(-qT) + K e^(-rT) expm1((r - q) T) (S - K exact), the forward
 * log-moneyness ln(S/K) + (r - q) T, where its terms cancel (the strike
 * near the forward), in double-double to a few ulps of itself (its sign
 * decides the side of the strike at volatility 0), and theta's
 * carry part in the form with the smallest terms, so both keep their
 * relative precision however small they are (docs/options.md).
 *
 * @param type     KEEL_CALL or KEEL_PUT.
 * @param spot     S > 0, finite.
 * @param strike   K > 0, finite.
 * @param expiry   T >= 0 in years, finite.
 * @param rate     r, finite.
 * @param dividend q, finite.
 * @param vol      sigma >= 0, finite (annual).
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE
 *         (non-positive spot or strike, negative expiry or volatility, unknown
 *         type, @c out->size too small); KEEL_E_OVERFLOW (a value or greek beyond
 *         double range, e.g. gamma ~ 1/(S sigma sqrt T) at the money with a subnormal
 *         sigma sqrt(T), or infinite as its limit at the strike, above; @p out unchanged).
 */
KEEL_API keel_status keel_black_scholes(keel_option_type type, double spot, double strike,
                                        double expiry, double rate, double dividend, double vol,
                                        keel_greeks *out);

/**
 * Black-76 value and greeks of a European option on a forward or future
 * (Black 1976; Haug section 1.1.2): BSM with the forward as the underlying
 * and cost of carry 0, and the same edges (charm's limit in the money is
 * +-r e^(-rT)). rho is -T x value, computed as that product (the forward
 * held fixed, only the discounting moves).
 *
 * @param type    KEEL_CALL or KEEL_PUT.
 * @param forward F > 0, finite.
 * @param strike  K > 0, finite.
 * @param expiry  T >= 0, finite.
 * @param rate    r (discounting), finite.
 * @param vol     sigma >= 0, finite.
 * @param[in,out] out @c out->size must be set.
 * @return as keel_black_scholes().
 */
KEEL_API keel_status keel_black76(keel_option_type type, double forward, double strike,
                                  double expiry, double rate, double vol, keel_greeks *out);

/**
 * Output arrays of keel_black_scholes_batch(): each may be NULL to skip that
 * greek; each non-NULL one holds @p count doubles. Set @c size.
 */
typedef struct keel_greeks_arrays {
    size_t size;          /**< Set by the caller to sizeof(keel_greeks_arrays). */
    double *value;        /**< Present values, or NULL. */
    double *delta;        /**< Deltas, or NULL. */
    double *gamma;        /**< Gammas, or NULL. */
    double *vega;         /**< Vegas, or NULL. */
    double *theta;        /**< Thetas, or NULL. */
    double *rho;          /**< Rhos, or NULL. */
    double *dividend_rho; /**< Dividend rhos, or NULL. */
    double *vanna;        /**< Vannas, or NULL. */
    double *volga;        /**< Volgas, or NULL. */
    double *charm;        /**< Charms, or NULL. */
} keel_greeks_arrays;

/**
 * Black-Scholes-Merton on arrays (structure of arrays, caller-owned, no
 * copies): option i has types[i], spot[i], ... Every input is checked before
 * any output is written; the same conventions as keel_black_scholes().
 *
 * Only the members whose arrays are not NULL are computed. On x86-64 with
 * glibc the options go through a vector kernel chosen at run time (AVX-512
 * or AVX2, with glibc's libmvec exp, log, log1p, expm1 and erfc); the
 * results then agree with keel_black_scholes() within 1e-13 of the size of
 * each member's terms, not to the bit, and depend on the CPU's target but
 * not on an option's place in the batch. Options at or near the limits
 * (expiry or volatility 0, sigma sqrt(T) below 0.02, deep out of the money,
 * extreme inputs) take the scalar kernel: their results and the statuses
 * are keel_black_scholes()'s (docs/options.md, docs/performance.md).
 *
 * @param count number of options (0 is allowed: nothing is done).
 * @param types, spot, strike, expiry, rate, dividend, vol  input arrays of @p count.
 * @param[in,out] out output arrays; @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE and KEEL_E_OUT_OF_RANGE naming the
 *         first bad index (no output written); KEEL_E_OVERFLOW naming the first option
 *         with a value or greek beyond double range or infinite as its limit at the
 *         strike (the arrays then hold every result: the overflowing ones infinite,
 *         the limits as keel_black_scholes() describes them, +-inf included).
 */
KEEL_API keel_status keel_black_scholes_batch(size_t count, const keel_option_type *types,
                                              const double *spot, const double *strike,
                                              const double *expiry, const double *rate,
                                              const double *dividend, const double *vol,
                                              keel_greeks_arrays *out);

/**
 * Black-Scholes-Merton implied volatility: the sigma at which
 * keel_black_scholes() gives @p price.
 *
 * The price is reduced to the undiscounted, normalised out-of-the-money
 * option (an in-the-money price loses its intrinsic value by put-call
 * parity), then the normalised Black equation is solved as in Jäckel's
 * "Let's Be Rational" (Wilmott 2015): a rational-cubic initial guess in
 * each of his four regions and, as a rule, two Householder(3) steps on
 * each region's objective, with no bracketing evaluations. Accuracy: the
 * error of the volatility is within 3 eps (1 + cond), cond = price /
 * (sigma vega), on the 272 mpmath references of
 * tests/test_options.c, implied_volatility_accuracy (worst 1.86;
 * docs/options.md).
 *
 * At and near the bounds: the out-of-the-money part of the price is the
 * price less the intrinsic value S e^(-qT) - K e^(-rT) computed as
 * keel_black_scholes() computes it, and the bounds are taken to their
 * rounding, 8 eps (S e^(-qT) + K e^(-rT)) with eps = 2^-52 (the rounding
 * of that difference, which does not shrink with the time value). A
 * price at the intrinsic value, or below it by no more than that, returns
 * 0 (keel_black_scholes() at 0 gives the intrinsic value). A price above
 * it by less than the rounding returns the volatility that prices the
 * excess: it reprices the price, but the price says little about it (vega
 * is near 0); where keel_black_scholes() refuses that volatility (at an
 * expiry of 5e-324 years) and the forward is off the strike, 0, which
 * prices it to that rounding. A price at the upper bound, or above it by no more than the
 * rounding, returns a volatility at which keel_black_scholes() prices it at
 * the bound to rounding. Every volatility returned is one keel_black_scholes() accepts
 * and reprices the price to within the rounding of the price and of one
 * ulp of the volatility (tests/test_options.c, implied_volatility_sweep);
 * where the answer is one it refuses, KEEL_E_OVERFLOW. That includes the
 * answer 0: a price at the intrinsic value with the forward at the strike
 * (S = K and r = q; a price of 0 there at any expiry) has only the
 * volatility 0, where gamma's limit is infinite, unless S e^(-qT) is so
 * small that a positive volatility prices 0 with gamma in range (qT above
 * about 16.8): then that volatility (docs/options.md). Tiny and subnormal
 * prices are inverted without underflow (the normalised price is carried
 * as its logarithm, an answer sigma sqrt(T) below 1e-300 is found without
 * forming it): e.g. 5e-324 for a call at S 100, K 150, T 1 gives
 * 0.0105647081195397, while at the money (S = K, r = q = 0, T 1) a price
 * below 8.9e-310 needs a volatility whose gamma, 1 / (2 pi price), is
 * beyond double range (KEEL_E_OVERFLOW).
 *
 * @param type     KEEL_CALL or KEEL_PUT.
 * @param price    the option's present value, finite and >= 0.
 * @param spot     S > 0.
 * @param strike   K > 0.
 * @param expiry   T > 0 (at T = 0 the price carries no volatility).
 * @param rate     r, finite.
 * @param dividend q, finite.
 * @param[out] out_vol the implied volatility (0 for a price at the intrinsic value).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE;
 *         KEEL_E_ARBITRAGE (price below the discounted intrinsic value, or above the
 *         upper bound S e^(-qT) for a call, K e^(-rT) for a put, by more than the
 *         rounding above); KEEL_E_OVERFLOW (the volatility, or a greek
 *         keel_black_scholes() gives at it, is beyond double range: e.g. any time value
 *         above the rounding at an expiry of 5e-324 years needs sigma near 1e160, where
 *         theta is; or the
 *         answer is volatility 0 with the forward at the strike, which
 *         keel_black_scholes() refuses). KEEL_E_NO_CONVERGENCE is not returned: a
 *         step that leaves the bracket becomes a bisection step, and the solve ends.
 */
KEEL_API keel_status keel_implied_volatility(keel_option_type type, double price, double spot,
                                             double strike, double expiry, double rate,
                                             double dividend, double *out_vol);

/**
 * Black-76 implied volatility (the forward as the underlying), as
 * keel_implied_volatility(), with F e^(-rT) and K e^(-rT) for the bounds
 * and (F - K) e^(-rT) for the intrinsic value: every volatility returned
 * is one keel_black76() accepts (a price of 0 at F = K is KEEL_E_OVERFLOW).
 *
 * @param type    KEEL_CALL or KEEL_PUT.
 * @param price   present value, finite and >= 0.
 * @param forward F > 0.
 * @param strike  K > 0.
 * @param expiry  T > 0.
 * @param rate    r (discounting), finite.
 * @param[out] out_vol the implied volatility.
 * @return as keel_implied_volatility().
 */
KEEL_API keel_status keel_implied_volatility_black76(keel_option_type type, double price,
                                                     double forward, double strike,
                                                     double expiry, double rate,
                                                     double *out_vol);

/**
 * Black-Scholes-Merton implied volatility of many options (structure of
 * arrays, caller-owned, no copies): option i is solved exactly as
 * keel_implied_volatility(types[i], prices[i], spot[i], strike[i],
 * expiry[i], rate[i], dividend[i], ...) would solve it, bit for bit
 * (tests/test_options.c, implied_volatility_batch_matches_scalar). One bad
 * option does not stop the batch: every option is solved and gets its own
 * status.
 *
 * @param count number of options (0 is allowed: nothing is read or written).
 * @param types, prices, spot, strike, expiry, rate, dividend  input arrays of
 *        @p count (the arguments of keel_implied_volatility()).
 * @param[out] out_vols @p count volatilities: option i's answer, or NaN where its
 *        status is not KEEL_OK.
 * @param[out] out_status @p count statuses, each what keel_implied_volatility()
 *        returns for that option (KEEL_OK, KEEL_E_NOT_FINITE, KEEL_E_OUT_OF_RANGE,
 *        KEEL_E_ARBITRAGE, KEEL_E_OVERFLOW); may be NULL when only the return value
 *        is wanted.
 * @return KEEL_OK when every option is solved; KEEL_E_NULL_ARG for a NULL array
 *         (with @p count > 0; nothing is written); otherwise the status of the
 *         first option that failed, with keel_last_error() giving its message and
 *         index. Every output is written in all cases but KEEL_E_NULL_ARG.
 */
KEEL_API keel_status keel_implied_volatility_batch(size_t count, const keel_option_type *types,
                                                   const double *prices, const double *spot,
                                                   const double *strike, const double *expiry,
                                                   const double *rate, const double *dividend,
                                                   double *out_vols, keel_status *out_status);

/**
 * Black-76 implied volatility of many options, as
 * keel_implied_volatility_batch() with the arguments of
 * keel_implied_volatility_black76() (forward[i] in place of spot and no
 * dividend): bit for bit the scalar answers, a status per option.
 *
 * @param count number of options (0 is allowed).
 * @param types, prices, forward, strike, expiry, rate  input arrays of @p count.
 * @param[out] out_vols @p count volatilities (NaN where the option failed).
 * @param[out] out_status @p count statuses, or NULL.
 * @return as keel_implied_volatility_batch().
 */
KEEL_API keel_status keel_implied_volatility_black76_batch(size_t count,
                                                           const keel_option_type *types,
                                                           const double *prices,
                                                           const double *forward,
                                                           const double *strike,
                                                           const double *expiry,
                                                           const double *rate, double *out_vols,
                                                           keel_status *out_status);

/* ---- the options book ---- */

/** One position of a book, as read by keel_options_position(). */
typedef struct keel_option_position {
    size_t size;            /**< Set by the caller to sizeof(keel_option_position). */
    uint32_t id;            /**< Stable id from keel_options_add(). */
    keel_asset underlying;  /**< The market asset the option is on. */
    keel_option_type type;  /**< Call or put. */
    double strike;          /**< Strike, > 0. */
    double expiry;          /**< Years to expiry, >= 0. */
    double quantity;        /**< Signed: > 0 long (held), < 0 short (written). */
    int has_volatility;     /**< 1 when the position overrides the market's volatility. */
    double volatility;      /**< The override (meaningful when has_volatility). */
} keel_option_position;

/** Initialiser that sets @c size. */
#define KEEL_OPTION_POSITION_INIT { sizeof(keel_option_position), 0, 0, KEEL_CALL, 0, 0, 0, 0, 0 }

/** A scenario of the margin grid: moves in multiples of the scan ranges. */
typedef struct keel_scenario {
    double price_move;  /**< Underlying move in multiples of the price scan range (the price becomes S exp(move x range)). */
    double vol_move;    /**< Volatility move in multiples of the volatility scan (sigma (1 + move x scan)). */
    double cover;       /**< Fraction of the scenario's loss that counts, in [0, 1]. */
} keel_scenario;

/**
 * How a book's scenario margin is computed. Set @c size (KEEL_MARGIN_PARAMS_INIT
 * gives the defaults).
 *
 * The price scan range of an underlying is price_sigmas x sigma x
 * sqrt(horizon_days / 365) (a fraction of its price, in log terms); each
 * option is revalued at every scenario with horizon_days less to expiry.
 * With no scenarios given, the grid is SPAN's sixteen: price moves 0, +-1/3,
 * +-2/3, +-1 of the range each with volatility up and down, and +-2 ranges
 * with volatility unchanged counted at 35% (CME SPAN, "risk scenarios"). In
 * keel_margin_result::worst_scenario they are numbered from 0 in this order,
 * as {price_move, vol_move, cover}: 0 {0, +1, 1}, 1 {0, -1, 1},
 * 2 {+1/3, +1, 1}, 3 {+1/3, -1, 1}, 4 {-1/3, +1, 1}, 5 {-1/3, -1, 1},
 * 6 {+2/3, +1, 1}, 7 {+2/3, -1, 1}, 8 {-2/3, +1, 1}, 9 {-2/3, -1, 1},
 * 10 {+1, +1, 1}, 11 {+1, -1, 1}, 12 {-1, +1, 1}, 13 {-1, -1, 1},
 * 14 {+2, 0, 0.35}, 15 {-2, 0, 0.35}.
 */
typedef struct keel_margin_params {
    size_t size;                    /**< Set by the caller to sizeof(keel_margin_params). */
    double horizon_days;            /**< Time the scenarios span (days, > 0); default 1. */
    double price_sigmas;            /**< Scan range in standard deviations over the horizon (> 0); default 3. */
    double vol_scan;                /**< Relative volatility scan (>= 0): 0.25 moves sigma to 1.25 sigma and 0.75 sigma; default 0.25. */
    const keel_scenario *scenarios; /**< Custom grid, or NULL for SPAN's sixteen. Copied by keel_options_set_margin_params(). */
    size_t scenario_count;          /**< Number of custom scenarios (1 to 1024), or 0 with NULL. */
} keel_margin_params;

/** The default margin parameters (1 day, 3 sigmas, 25% volatility scan, SPAN grid). */
#define KEEL_MARGIN_PARAMS_INIT { sizeof(keel_margin_params), 1.0, 3.0, 0.25, NULL, 0 }

/**
 * Fills @p params with the defaults of KEEL_MARGIN_PARAMS_INIT: the function copies that
 * initialiser, so C callers and the bindings share one set of numbers.
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_margin_params): only that many bytes are
 *                written (fields this library does not know are zeroed), so a program
 *                built against another version's header stays in bounds; @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 */
KEEL_API keel_status keel_margin_params_init(keel_margin_params *params, size_t size);

/** Result of keel_options_scenario_margin(). Set @c size. */
typedef struct keel_margin_result {
    size_t size;                 /**< Set by the caller to sizeof(keel_margin_result). */
    double margin;               /**< Sum over underlyings of the worst covered loss (>= 0). */
    double value;                /**< Net value of the book now. */
    keel_asset worst_underlying; /**< The underlying whose worst loss is largest (KEEL_ASSET_INVALID for an empty book). */
    size_t worst_scenario;       /**< Index, counted from 0, of that underlying's worst scenario in the grid (the custom grid's order, or SPAN's as keel_margin_params lists it). */
    double worst_loss;           /**< That underlying's worst covered loss. */
} keel_margin_result;

/** Initialiser that sets @c size. */
#define KEEL_MARGIN_RESULT_INIT { sizeof(keel_margin_result), 0, 0, 0, 0, 0 }

/**
 * Creates an empty book with the default margin parameters.
 *
 * @param[out] out the new book.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_options_new(keel_options **out);

/** Frees a book. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_options_free(keel_options *options);

/**
 * Deep copy of a book (positions, ids and margin parameters).
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_options_clone(const keel_options *options, keel_options **out);

/**
 * Adds a position. Its volatility is the market's until
 * keel_options_set_volatility() overrides it.
 *
 * @param underlying any id but KEEL_ASSET_INVALID (checked against a market when valued).
 * @param type       KEEL_CALL or KEEL_PUT.
 * @param strike     > 0, finite.
 * @param expiry     years, >= 0, finite.
 * @param quantity   signed (negative: written), finite.
 * @param[out] out_id the position's id, stable until it is removed; may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_OVERFLOW (2^32 - 1 ids used); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_options_add(keel_options *options, keel_asset underlying,
                                      keel_option_type type, double strike, double expiry,
                                      double quantity, uint32_t *out_id);

/**
 * Changes a position's signed quantity.
 *
 * @param quantity finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND; KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_options_set_quantity(keel_options *options, uint32_t id, double quantity);

/**
 * Changes a position's years to expiry (as time passes).
 *
 * @param expiry >= 0, finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_options_set_expiry(keel_options *options, uint32_t id, double expiry);

/**
 * Overrides the volatility a position is valued at.
 *
 * @param volatility >= 0, finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_options_set_volatility(keel_options *options, uint32_t id,
                                                 double volatility);

/**
 * Removes a position's volatility override: it uses the market's again.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND.
 */
KEEL_API keel_status keel_options_clear_volatility(keel_options *options, uint32_t id);

/**
 * Removes a position.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND.
 */
KEEL_API keel_status keel_options_remove(keel_options *options, uint32_t id);

/**
 * Number of positions.
 *
 * @param[out] out_count the count.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_options_count(const keel_options *options, size_t *out_count);

/**
 * Reads the position at @p index (0 .. count - 1, in increasing id).
 *
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND (index out of range);
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small).
 */
KEEL_API keel_status keel_options_position(const keel_options *options, size_t index,
                                           keel_option_position *out);

/**
 * Sets how the book's scenario margin is computed (copied, custom grid included).
 *
 * @param params the parameters; NULL restores the defaults.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE
 *         (non-positive horizon or sigmas, negative scan, a cover outside [0, 1],
 *         a scenario count of 0 with a grid or above 1024); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_options_set_margin_params(keel_options *options,
                                                    const keel_margin_params *params);

/**
 * Net value of the book in a market: sum of quantity x keel_black_scholes()
 * value, with the market's price, carry, rate and volatility of each
 * underlying (or the position's volatility override).
 *
 * @param[out] out_value the value (negative for a net short book).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW.
 */
KEEL_API keel_status keel_options_value(const keel_options *options, const keel_market *market,
                                        double *out_value);

/**
 * Quantity-weighted sums of value and greeks of the positions on one
 * underlying (delta in units of the underlying, and so on).
 *
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW
 *         (a sum beyond double range, or a position at the strike with no volatility or
 *         time left, where gamma's limit is infinite: keel_black_scholes());
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small).
 */
KEEL_API keel_status keel_options_greeks(const keel_options *options, const keel_market *market,
                                         keel_asset underlying, keel_greeks *out);

/**
 * Scenario margin of the book: full revaluation of each underlying's
 * positions over the grid (keel_margin_params); an underlying's margin is
 * its worst covered loss (cover x (value now - value in the scenario)), at
 * least 0; the book's is the sum over underlyings (no credit between them).
 *
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_OVERFLOW;
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small).
 */
KEEL_API keel_status keel_options_scenario_margin(const keel_options *options,
                                                  const keel_market *market,
                                                  keel_margin_result *out);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_OPTIONS_H */
