/* EWMA and GARCH(1,1) variance recursions; sources in include/keel/estimators.h. */
#include <math.h>

#include "core/core_internal.h"
#include "keel/estimators.h"

static keel_status check_ewma(const keel_ewma *e, const char *fn)
{
    KEEL_TRY(keel_check_ptr(e, fn, "ewma"));
    if (e->size != sizeof *e || !(e->lambda > 0.0 && e->lambda < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: ewma is not initialised (call keel_ewma_init)",
                         fn);
    return KEEL_OK;
}

static keel_status check_garch(const keel_garch *g, const char *fn)
{
    KEEL_TRY(keel_check_ptr(g, fn, "garch"));
    if (g->size != sizeof *g || !(g->omega > 0.0) || !(g->alpha >= 0.0) || !(g->beta >= 0.0) ||
        !(g->alpha + g->beta < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: garch is not initialised (call keel_garch_init)", fn);
    return KEEL_OK;
}

/* The log return from the last price, or false when this is the first price. */
static keel_status price_return(double *last, double price, double *ret, bool *have,
                                const char *fn)
{
    KEEL_TRY(keel_check_positive(price, fn, "price"));
    *have = *last > 0.0;
    if (*have)
        *ret = log(price / *last);
    return KEEL_OK;
}

static keel_status annualise(double variance, double periods, double *out, const char *fn)
{
    KEEL_TRY(keel_check_positive(periods, fn, "periods_per_year"));
    KEEL_TRY(keel_check_ptr(out, fn, "out_volatility"));
    double v = sqrt(variance * periods);
    if (!isfinite(v))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: the volatility overflows", fn);
    *out = v;
    return KEEL_OK;
}

keel_status keel_ewma_init(keel_ewma *ewma, double lambda, double initial_variance)
{
    KEEL_TRY(keel_check_ptr(ewma, __func__, "ewma"));
    KEEL_TRY(keel_check_finite(lambda, __func__, "lambda"));
    if (!(lambda > 0.0 && lambda < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: lambda must be in (0, 1), got %g", __func__,
                         lambda);
    KEEL_TRY(keel_check_nonneg(initial_variance, __func__, "initial_variance"));
    *ewma = (keel_ewma){ .size = sizeof *ewma, .lambda = lambda,
                         .variance = initial_variance + 0.0, .last_price = 0.0, .count = 0 };
    return KEEL_OK;
}

/* Stores one update's variance v, the return ret absorbed; fails when v
 * overflows (the estimator is left as it was). */
static keel_status store_variance(double v, double ret, double *variance, uint64_t *count,
                                  const char *fn)
{
    if (!isfinite(v))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: the variance overflows (return %g)", fn, ret);
    *variance = v;
    (*count)++;
    return KEEL_OK;
}

/* RiskMetrics EWMA: v <- lambda v + (1 - lambda) r^2. */
static keel_status ewma_step(void *estimator, double ret, const char *fn)
{
    keel_ewma *e = estimator;
    KEEL_TRY(keel_check_finite(ret, fn, "ret"));
    return store_variance(e->lambda * e->variance + (1.0 - e->lambda) * ret * ret, ret,
                          &e->variance, &e->count, fn);
}

/* GARCH(1,1): v <- omega + alpha r^2 + beta v. */
static keel_status garch_step(void *estimator, double ret, const char *fn)
{
    keel_garch *g = estimator;
    KEEL_TRY(keel_check_finite(ret, fn, "ret"));
    return store_variance(g->omega + g->alpha * ret * ret + g->beta * g->variance, ret,
                          &g->variance, &g->count, fn);
}

/* Feeds a price: the log return from the last one (none for the first)
 * through `step`, then the price becomes the last. */
static keel_status feed_price(void *estimator, double *last, double price,
                              keel_status (*step)(void *, double, const char *), const char *fn)
{
    double r = 0.0;
    bool have;
    KEEL_TRY(price_return(last, price, &r, &have, fn));
    if (have)
        KEEL_TRY(step(estimator, r, fn));
    *last = price;
    return KEEL_OK;
}

keel_status keel_ewma_update(keel_ewma *ewma, double ret)
{
    KEEL_TRY(check_ewma(ewma, __func__));
    return ewma_step(ewma, ret, __func__);
}

keel_status keel_ewma_update_price(keel_ewma *ewma, double price)
{
    KEEL_TRY(check_ewma(ewma, __func__));
    return feed_price(ewma, &ewma->last_price, price, ewma_step, __func__);
}

keel_status keel_ewma_annual_volatility(const keel_ewma *ewma, double periods_per_year,
                                        double *out_volatility)
{
    KEEL_TRY(check_ewma(ewma, __func__));
    return annualise(ewma->variance, periods_per_year, out_volatility, __func__);
}

keel_status keel_garch_init(keel_garch *garch, double omega, double alpha, double beta,
                            double initial_variance)
{
    KEEL_TRY(keel_check_ptr(garch, __func__, "garch"));
    KEEL_TRY(keel_check_positive(omega, __func__, "omega"));
    KEEL_TRY(keel_check_nonneg(alpha, __func__, "alpha"));
    KEEL_TRY(keel_check_nonneg(beta, __func__, "beta"));
    if (!(alpha + beta < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: alpha + beta = %g; GARCH(1,1) is stationary only below 1", __func__,
                         alpha + beta);
    KEEL_TRY(keel_check_nonneg(initial_variance, __func__, "initial_variance"));
    double v = initial_variance > 0.0 ? initial_variance : omega / (1.0 - alpha - beta);
    *garch = (keel_garch){ .size = sizeof *garch, .omega = omega, .alpha = alpha, .beta = beta,
                           .variance = v, .last_price = 0.0, .count = 0 };
    return KEEL_OK;
}

keel_status keel_garch_update(keel_garch *garch, double ret)
{
    KEEL_TRY(check_garch(garch, __func__));
    return garch_step(garch, ret, __func__);
}

keel_status keel_garch_update_price(keel_garch *garch, double price)
{
    KEEL_TRY(check_garch(garch, __func__));
    return feed_price(garch, &garch->last_price, price, garch_step, __func__);
}

keel_status keel_garch_long_run_variance(const keel_garch *garch, double *out_variance)
{
    KEEL_TRY(check_garch(garch, __func__));
    KEEL_TRY(keel_check_ptr(out_variance, __func__, "out_variance"));
    *out_variance = garch->omega / (1.0 - garch->alpha - garch->beta);
    return KEEL_OK;
}

keel_status keel_garch_forecast(const keel_garch *garch, uint32_t steps, double *out_variance)
{
    KEEL_TRY(check_garch(garch, __func__));
    KEEL_TRY(keel_check_ptr(out_variance, __func__, "out_variance"));
    if (steps < 1)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: steps must be >= 1", __func__);
    double vl = garch->omega / (1.0 - garch->alpha - garch->beta);
    *out_variance = vl + pow(garch->alpha + garch->beta, (double)(steps - 1)) * (garch->variance - vl);
    return KEEL_OK;
}

keel_status keel_garch_annual_volatility(const keel_garch *garch, double periods_per_year,
                                         double *out_volatility)
{
    KEEL_TRY(check_garch(garch, __func__));
    return annualise(garch->variance, periods_per_year, out_volatility, __func__);
}
