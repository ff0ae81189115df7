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
 * The keel_options handle (a book of positions) is declared here so that
 * signatures taking a book are final; no constructor exists yet, so the only
 * book that can be passed is NULL.
 */
#ifndef KEEL_OPTIONS_H
#define KEEL_OPTIONS_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque options book. No constructor exists yet: pass NULL wherever a book is taken. */
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
 * Edges: at expiry 0 or volatility 0 the value is the discounted intrinsic
 * value max(+-(S e^(-qT) - K e^(-rT)), 0); delta is the matching step (half
 * at the money); gamma, vanna, volga and charm are 0 (their limits away from
 * the strike). The out-of-the-money option is priced directly and the other
 * by put-call parity, so no deep-in-the-money subtraction loses precision.
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
 *         type, @c out->size too small); KEEL_E_OVERFLOW (a value beyond double range).
 */
KEEL_API keel_status keel_black_scholes(keel_option_type type, double spot, double strike,
                                        double expiry, double rate, double dividend, double vol,
                                        keel_greeks *out);

/**
 * Black-76 value and greeks of a European option on a forward or future
 * (Black 1976; Haug section 1.1.2): BSM with the forward as the underlying
 * and cost of carry 0.
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
 * @param count number of options (0 is allowed: nothing is done).
 * @param types, spot, strike, expiry, rate, dividend, vol  input arrays of @p count.
 * @param[in,out] out output arrays; @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE and KEEL_E_OUT_OF_RANGE naming the
 *         first bad index (no output written); KEEL_E_OVERFLOW when some value or greek
 *         is beyond double range (the arrays then hold every result, the
 *         overflowing ones infinite).
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
 * parity), then Householder's third-order iteration solves the normalised
 * Black equation, on the logarithm of the price below the inflection point
 * and on the price above it, inside a bracket that falls back to bisection.
 * Jäckel's "Let's Be Rational" (Wilmott 2015) is the source of the
 * normalisation, the inflection point sqrt(2|x|) and the derivative
 * ratios used; the initial guesses here are simpler than his rational
 * ones, so a few more iterations are needed (see docs/options.md for the
 * accuracy measured over the test grid).
 *
 * @param type     KEEL_CALL or KEEL_PUT.
 * @param price    the option's present value, finite and >= 0.
 * @param spot     S > 0.
 * @param strike   K > 0.
 * @param expiry   T > 0 (at T = 0 the price carries no volatility).
 * @param rate     r, finite.
 * @param dividend q, finite.
 * @param[out] out_vol the implied volatility (0 for a price equal to intrinsic value).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE;
 *         KEEL_E_ARBITRAGE (price below the discounted intrinsic value or at or
 *         above the upper bound S e^(-qT) for a call, K e^(-rT) for a put);
 *         KEEL_E_NO_CONVERGENCE (never seen on the test grid).
 */
KEEL_API keel_status keel_implied_volatility(keel_option_type type, double price, double spot,
                                             double strike, double expiry, double rate,
                                             double dividend, double *out_vol);

/**
 * Black-76 implied volatility (the forward as the underlying), as
 * keel_implied_volatility().
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

#ifdef __cplusplus
}
#endif

#endif /* KEEL_OPTIONS_H */
