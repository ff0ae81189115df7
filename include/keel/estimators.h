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

#ifdef __cplusplus
}
#endif

#endif /* KEEL_ESTIMATORS_H */
