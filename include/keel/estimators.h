/**
 * @file estimators.h
 * Volatility estimators a caller feeds with returns or prices, to keep a
 * market's volatilities (and so volatility haircuts) current: RiskMetrics
 * EWMA and GARCH(1,1).
 *
 * They are small caller-owned state structs, not handles: copy them freely,
 * keep one per asset. Read the members; change them only through the
 * functions. A failed call leaves the struct as it was.
 */
#ifndef KEEL_ESTIMATORS_H
#define KEEL_ESTIMATORS_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * RiskMetrics exponentially weighted variance (J.P. Morgan/Reuters,
 * "RiskMetrics — Technical Document", 4th ed., 1996, section 5.2.1):
 * s2_t = lambda s2_{t-1} + (1 - lambda) r_t^2, with zero mean return.
 */
typedef struct keel_ewma {
    size_t size;       /**< sizeof(keel_ewma); set by keel_ewma_init(). */
    double lambda;     /**< Decay factor in (0, 1); 0.94 is RiskMetrics' daily value. */
    double variance;   /**< Current variance per period (the forecast for the next period). */
    double last_price; /**< Last price fed to keel_ewma_update_price(); 0 before the first. */
    uint64_t count;    /**< Returns absorbed so far. */
} keel_ewma;

/**
 * Starts an estimator.
 *
 * @param lambda           in (0, 1).
 * @param initial_variance per-period variance before any return, finite and >= 0.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_ewma_init(keel_ewma *ewma, double lambda, double initial_variance);

/**
 * Absorbs one period's return (a log return, e.g. log(p_t / p_{t-1})).
 *
 * @param ret finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (struct not initialised);
 *         KEEL_E_NOT_FINITE (ret, or a variance beyond double range).
 */
KEEL_API keel_status keel_ewma_update(keel_ewma *ewma, double ret);

/**
 * Absorbs a price: the first call only records it; each later call absorbs
 * the log return from the previous price.
 *
 * @param price finite and > 0.
 * @return as keel_ewma_update(); KEEL_E_OUT_OF_RANGE for price <= 0.
 */
KEEL_API keel_status keel_ewma_update_price(keel_ewma *ewma, double price);

/**
 * Annualised volatility sqrt(variance x periods_per_year), ready for
 * keel_market_set_volatility().
 *
 * @param periods_per_year finite and > 0 (365 for daily crypto returns, 252 for trading days).
 * @param[out] out_volatility the volatility.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE; KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_ewma_annual_volatility(const keel_ewma *ewma, double periods_per_year,
                                                 double *out_volatility);

/**
 * GARCH(1,1) variance (Bollerslev 1986):
 * s2_t = omega + alpha r_{t-1}^2 + beta s2_{t-1}, stationary when
 * alpha + beta < 1, with long-run variance omega / (1 - alpha - beta).
 */
typedef struct keel_garch {
    size_t size;       /**< sizeof(keel_garch); set by keel_garch_init(). */
    double omega;      /**< Constant term, > 0. */
    double alpha;      /**< Weight of the last squared return, >= 0. */
    double beta;       /**< Weight of the last variance, >= 0; alpha + beta < 1. */
    double variance;   /**< Current variance: the forecast for the next period. */
    double last_price; /**< Last price fed to keel_garch_update_price(); 0 before the first. */
    uint64_t count;    /**< Returns absorbed so far. */
} keel_garch;

/**
 * Starts a GARCH(1,1) estimator.
 *
 * @param omega            finite and > 0.
 * @param alpha            finite and >= 0.
 * @param beta             finite and >= 0, with alpha + beta < 1 (stationary).
 * @param initial_variance finite and >= 0; 0 starts at the long-run variance.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_garch_init(keel_garch *garch, double omega, double alpha, double beta,
                                     double initial_variance);

/**
 * Absorbs one period's return.
 *
 * @param ret finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (struct not initialised);
 *         KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_garch_update(keel_garch *garch, double ret);

/**
 * Absorbs a price (the first call only records it), as keel_ewma_update_price().
 *
 * @param price finite and > 0.
 * @return as keel_garch_update(); KEEL_E_OUT_OF_RANGE for price <= 0.
 */
KEEL_API keel_status keel_garch_update_price(keel_garch *garch, double price);

/**
 * Long-run variance omega / (1 - alpha - beta).
 *
 * @param[out] out_variance per period.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (struct not initialised).
 */
KEEL_API keel_status keel_garch_long_run_variance(const keel_garch *garch, double *out_variance);

/**
 * Expected variance @p steps periods ahead:
 * V_L + (alpha + beta)^(steps - 1) (variance - V_L), so steps = 1 is the
 * current one-step forecast (Hull, "Options, Futures, and Other
 * Derivatives", GARCH volatility term structure).
 *
 * @param steps >= 1.
 * @param[out] out_variance per period.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_garch_forecast(const keel_garch *garch, uint32_t steps,
                                         double *out_variance);

/**
 * Annualised volatility of the current variance, sqrt(variance x periods_per_year).
 *
 * @param periods_per_year finite and > 0.
 * @param[out] out_volatility the volatility.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE; KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_garch_annual_volatility(const keel_garch *garch,
                                                  double periods_per_year,
                                                  double *out_volatility);

/**
 * @name GARCH(1,1) by maximum likelihood
 *
 * keel_garch_fit() estimates the GARCH(1,1) parameters from a series of
 * returns, with normal innovations (Bollerslev, "Generalized Autoregressive
 * Conditional Heteroskedasticity", Journal of Econometrics 31, 1986) or
 * Student-t innovations (Bollerslev, "A Conditionally Heteroskedastic Time
 * Series Model for Speculative Prices and Rates of Return", Review of
 * Economics and Statistics 69, 1987), and hands back what keel_garch_init()
 * needs. docs/haircuts.md has the derivation and a fit of ETH's daily returns.
 * @{
 */

/** Fewer returns than this are refused by keel_garch_fit(). */
#define KEEL_GARCH_FIT_MIN_RETURNS 50

/**
 * Innovation distribution of keel_garch_fit().
 *
 * \experimental
 */
typedef enum keel_garch_dist {
    KEEL_GARCH_NORMAL = 0,   /**< Standard normal. */
    KEEL_GARCH_STUDENT_T = 1 /**< Student-t with nu > 2 degrees of freedom, scaled to variance 1; nu is estimated. */
} keel_garch_dist;

/**
 * Settings of keel_garch_fit(). Set @c size (KEEL_GARCH_FIT_PARAMS_INIT).
 *
 * \experimental
 */
typedef struct keel_garch_fit_params {
    size_t size;                  /**< Set by the caller to sizeof(keel_garch_fit_params). */
    keel_garch_dist distribution; /**< KEEL_GARCH_NORMAL or KEEL_GARCH_STUDENT_T. */
    int demean;                   /**< 0: the returns have mean 0, as keel_ewma and keel_garch assume; 1: the sample mean is subtracted first and reported. */
    uint32_t max_iterations;      /**< Newton iterations allowed from each starting point, >= 1. */
} keel_garch_fit_params;

/** Defaults: normal innovations, mean 0, 200 iterations from each start. */
#define KEEL_GARCH_FIT_PARAMS_INIT { sizeof(keel_garch_fit_params), KEEL_GARCH_NORMAL, 0, 200 }

/**
 * Fills @p params with the defaults of KEEL_GARCH_FIT_PARAMS_INIT (the
 * function copies that initialiser, so C callers and the bindings share
 * one set of numbers).
 *
 * @param[out] params the struct to fill.
 * @param size    the caller's sizeof(keel_garch_fit_params): only that many bytes are
 *                written (fields this library does not know are zeroed); @c params->size
 *                is set to it.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_OUT_OF_RANGE (@p size < sizeof(size_t)).
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_garch_fit_params_init(keel_garch_fit_params *params, size_t size);

/**
 * The constraints a keel_garch_fit() estimate lies on: bits of
 * keel_garch_fit_result::bounds.
 *
 * \experimental
 */
typedef enum keel_garch_bound {
    KEEL_GARCH_BOUND_ALPHA = 1,     /**< alpha = 0. */
    KEEL_GARCH_BOUND_BETA = 2,      /**< beta = 0. */
    KEEL_GARCH_BOUND_INTEGRATED = 4 /**< alpha + beta = 1: integrated GARCH (Engle and Bollerslev 1986), no long-run variance; keel_garch_init() refuses it. */
} keel_garch_bound;

/**
 * What keel_garch_fit() reports. Variances are per period (the period of
 * the returns, e.g. daily), in the returns' units squared. Set @c size
 * (KEEL_GARCH_FIT_RESULT_INIT).
 *
 * The standard errors are the square roots of the diagonal of the inverse
 * of the Hessian of the negative log-likelihood at the estimate (the
 * observed information), whose second derivatives keel computes exactly by
 * differentiating the variance recursion twice (no finite differences).
 * When the estimate lies on a constraint (@c bounds), the covariance is
 * that of the estimate restricted to it, Z (Z' H Z)^-1 Z' with Z spanning
 * the directions the constraints leave free: a parameter held at 0 has
 * standard error 0, and under alpha + beta = 1 alpha and beta share theirs.
 * The usual asymptotics fail at a bound, so read those as descriptive.
 *
 * \experimental
 */
typedef struct keel_garch_fit_result {
    size_t size;             /**< Set by the caller to sizeof(keel_garch_fit_result). */
    double omega;            /**< Constant term, > 0 (variance per period). */
    double alpha;            /**< Weight of the last squared return, >= 0. */
    double beta;             /**< Weight of the last variance, >= 0; alpha + beta <= 1. */
    double nu;               /**< Student-t degrees of freedom, > 2; 0 for normal innovations. */
    double mean;             /**< The sample mean subtracted (demean = 1); 0 otherwise. */
    double omega_se;         /**< Standard error of omega. */
    double alpha_se;         /**< Standard error of alpha. */
    double beta_se;          /**< Standard error of beta. */
    double nu_se;            /**< Standard error of nu; 0 for normal innovations. */
    double mean_se;          /**< Standard error of the mean, sqrt(sum e_t^2) / n (the mean of uncorrelated returns of changing variance, White 1980); 0 without demean. */
    double log_likelihood;   /**< The maximised log-likelihood, in the returns' own units (constants included). */
    double initial_variance; /**< h_1, the backcast: (1/n) sum e_t^2. */
    double last_variance;    /**< h_{n+1} = omega + alpha e_n^2 + beta h_n: the forecast for the period after the last return, ready for keel_garch_init(). */
    double persistence;      /**< alpha + beta (exactly 1 under KEEL_GARCH_BOUND_INTEGRATED). */
    uint32_t iterations;     /**< Newton iterations from the starting point that won. */
    uint32_t bounds;         /**< keel_garch_bound bits of the constraints the estimate lies on; 0 inside. */
    uint64_t n;              /**< Returns used. */
} keel_garch_fit_result;

/** Initialiser that sets @c size. */
#define KEEL_GARCH_FIT_RESULT_INIT                                                    \
    { sizeof(keel_garch_fit_result), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Fits GARCH(1,1) to @p returns by maximum likelihood.
 *
 * The model, with e_t = r_t - mu for t = 1..n (mu = 0, or the sample mean
 * when @c demean = 1) and z_t independent with mean 0 and variance 1:
 *
 *     e_t = sqrt(h_t) z_t
 *     h_1 = (1/n) sum_t e_t^2          (the backcast, divisor n, not n - 1)
 *     h_{t+1} = omega + alpha e_t^2 + beta h_t
 *
 * The log-likelihood maximised (h_t depends on omega, alpha, beta; the
 * backcast and mu do not depend on the parameters):
 *
 *     normal:    sum_t -1/2 (log(2 pi) + log h_t + e_t^2 / h_t)
 *     Student-t: sum_t lgamma((nu+1)/2) - lgamma(nu/2) - 1/2 log(pi (nu-2))
 *                      - 1/2 log h_t - (nu+1)/2 log(1 + e_t^2 / ((nu-2) h_t))
 *
 * over omega > 0, alpha >= 0, beta >= 0, alpha + beta <= 1 and nu > 2. The
 * bound alpha + beta <= 1 is closed because real series reach it: ETH's
 * daily returns of 2018-2024 under Student-t innovations peak at
 * alpha + beta = 1.005 without it, so under alpha + beta < 1 no maximum
 * would exist; such a fit reports KEEL_GARCH_BOUND_INTEGRATED.
 *
 * Method: the returns are divided by sqrt(h_1) so that the problem is
 * scaled (omega is mapped back, and the log-likelihood shifted by
 * -n log sqrt(h_1)). On a grid of starting points (alpha, beta, nu; omega =
 * (1 - alpha - beta) h_1), the best in each band of persistence (below
 * 0.75, 0.9, 0.95, and above: the likelihood can have a low- and a
 * high-persistence local maximum) and the two best overall each start a
 * Newton iteration on the exact gradient and Hessian (the recursion
 * differentiated twice), with an active set for the linear constraints, a
 * backtracking (Armijo) line search, and a Levenberg-Marquardt shift where
 * the Hessian is not positive definite. A start has converged where the Hessian is positive
 * definite on the directions the constraints leave free, the Newton step
 * on them is below 1e-9 of each parameter (or the decrease it predicts
 * below 1e-15 of the likelihood, what rounding lets it resolve), and every
 * constraint held pulls outward (Karush-Kuhn-Tucker): the gradient on the
 * free directions is zero to rounding. The highest such point wins; when a
 * start that did not converge climbed higher, the fit fails (below).
 *
 * @param returns  n finite returns (log returns of one period, e.g. daily).
 * @param n        >= KEEL_GARCH_FIT_MIN_RETURNS.
 * @param params   settings, or NULL for KEEL_GARCH_FIT_PARAMS_INIT.
 * @param[out] out the estimate; written only on success (what fits of @c size).
 * @return KEEL_OK; KEEL_E_NULL_ARG (returns, out); KEEL_E_NOT_FINITE (a return is NaN
 *         or infinite: the detail names its index); KEEL_E_OUT_OF_RANGE (n below the
 *         minimum; returns all equal, or their mean square (about the mean when
 *         demeaned) outside 1e10 DBL_MIN .. 1e-10 DBL_MAX, so rescale them; a size
 *         member below sizeof(size_t); an unknown distribution, demean not 0 or 1,
 *         max_iterations 0); KEEL_E_NO_CONVERGENCE (no starting point converged within
 *         max_iterations; or the likelihood has no maximum in the model: nu grows
 *         without bound, the returns' tails being no fatter than the normal's (fit
 *         KEEL_GARCH_NORMAL), or omega falls toward 0; the detail says which).
 *         Allocates nothing.
 *
 * \experimental
 */
KEEL_EXPERIMENTAL
KEEL_API keel_status keel_garch_fit(const double *returns, size_t n,
                                    const keel_garch_fit_params *params,
                                    keel_garch_fit_result *out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KEEL_ESTIMATORS_H */
