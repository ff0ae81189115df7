/* The probability of liquidation within a horizon, a risk measure of the
 * account: a second-order expansion of log HF in the log-returns (its
 * elasticities and convexities from keel_risk_health_sensitivity(), central
 * differences of full revaluations), its exact mean and variance under the
 * market's lognormal model, and the first-passage law of a Brownian motion
 * with drift. The formulas are stated in include/keel/risk.h. */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "risk_internal.h"

/* log Phi(a), finite far into the lower tail (Mills ratio asymptote). */
static double log_norm_cdf(double a)
{
    double c = keel_norm_cdf(a);
    if (c > 0.0)
        return log(c);
    return -0.5 * a * a - log(-a) - 0.91893853320467274178 /* log sqrt(2 pi) */;
}

/* P(min over [0, horizon] of x + m t / horizon + s W_t / sqrt(horizon) < 0),
 * x >= 0 (log HF >= 0: HF < 1 is liquidatable, HF = 1 is not). Without
 * noise the path is a line whose least value is min(x, x + m); with noise a
 * path started at 0 goes below 0 at once (probability 1, also the limit of
 * the formula as x -> 0). */
static double first_passage(double x, double m, double s)
{
    if (!(s > 0.0))
        return x + m < 0.0 ? 1.0 : 0.0;
    double p1 = keel_norm_cdf((-x - m) / s);
    double p2 = exp(-2.0 * m * x / (s * s) + log_norm_cdf((-x + m) / s));
    double p = p1 + p2;
    return p > 1.0 ? 1.0 : (p < 0.0 ? 0.0 : p);
}

/* The assets log HF depends on: the basket's and the book's underlyings
 * with a positive volatility. */
static keel_status risk_factors(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, keel_asset *ids, size_t cap,
                                size_t *n, const char *fn)
{
    size_t npos;
    const keel_position *pos = keel_basket_data(basket, &npos);
    *n = 0;
    for (size_t k = 0; k < npos; k++) {
        KEEL_TRY(keel_market_check_asset(market, pos[k].asset, fn));
        if (keel_market_volatility_unchecked(market, pos[k].asset) > 0.0)
            ids[(*n)++] = pos[k].asset;
    }
    size_t nopt = options != NULL ? keel_options_size(options) : 0;
    for (size_t i = 0; i < nopt; i++) {
        keel_option_position o;
        keel_options_at(options, i, &o);
        bool have = false;
        for (size_t k = 0; k < *n; k++)
            have |= ids[k] == o.underlying;
        if (!have && keel_market_volatility_unchecked(market, o.underlying) > 0.0 && *n < cap)
            ids[(*n)++] = o.underlying;
    }
    return KEEL_OK;
}

keel_status keel_risk_health_sensitivity(const keel_basket *basket, const keel_options *options,
                                         const keel_market *market,
                                         const keel_haircut_model *haircuts, keel_asset asset,
                                         double *out_dhf, double *out_d2hf, const char *fn)
{
    double p = keel_market_price_unchecked(market, asset);
    double h1 = 1e-5 * p, h2 = 1e-3 * p;
    const double at[5] = { p, p + h1, p - h1, p + h2, p - h2 };
    double hf[5];
    for (int i = 0; i < 5; i++) {
        keel_risk_request req = KEEL_RISK_REQUEST_NONE;
        req.override_asset = asset;
        req.override_price = at[i];
        keel_risk_sums s;
        KEEL_TRY(keel_risk_evaluate(basket, options, market, haircuts, &req, &s, fn));
        double w = s.weighted + s.option_margin;
        if (!(w > 0.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: the account has no debt or margin: its health factor is infinite",
                             fn);
        hf[i] = s.liquidation / w;
    }
    *out_dhf = (hf[1] - hf[2]) / (2.0 * h1);
    *out_d2hf = (hf[3] - 2.0 * hf[0] + hf[4]) / (h2 * h2);
    return KEEL_OK;
}

double keel_risk_first_passage(double x, double m, double s)
{
    return first_passage(x, m, s);
}

/* dF/dx of first_passage: with exp(-2 m x / s^2) phi((m - x) / s) =
 * phi((x + m) / s) (complete the square),
 * dF/dx = -2 phi((x + m) / s) / s - (2 m / s^2) exp(-2 m x / s^2) Phi((m - x) / s). */
double keel_risk_first_passage_dx(double x, double m, double s)
{
    if (!(s > 0.0))
        return 0.0;
    double z = (x + m) / s;
    double phi = exp(-0.5 * z * z) * 0.39894228040143267794 /* 1 / sqrt(2 pi) */;
    double t = exp(-2.0 * m * x / (s * s) + log_norm_cdf((m - x) / s));
    return -2.0 * phi / s - 2.0 * m / (s * s) * t;
}

keel_status keel_risk_liquidation_probability(const keel_basket *basket,
                                              const keel_options *options,
                                              const keel_market *market,
                                              const keel_haircut_model *haircuts, double horizon,
                                              double *out_probability, const char *fn)
{
    keel_passage ps;
    KEEL_TRY(keel_risk_passage(basket, options, market, haircuts, horizon, &ps, fn));
    *out_probability = ps.probability;
    return KEEL_OK;
}

keel_status keel_risk_passage(const keel_basket *basket, const keel_options *options,
                              const keel_market *market, const keel_haircut_model *haircuts,
                              double horizon, keel_passage *out, const char *fn)
{
    keel_metrics now;
    KEEL_TRY(keel_risk_metrics(basket, options, market, haircuts, &now, fn));
    *out = (keel_passage){ 0.0, 0.0, 0.0, 0.0, false };
    if (!(now.weighted_debt > 0.0))
        return KEEL_OK;
    if (now.health_factor < 1.0) { /* liquidatable now */
        out->probability = 1.0;
        return KEEL_OK;
    }
    size_t npos, nopt = options != NULL ? keel_options_size(options) : 0;
    keel_basket_data(basket, &npos);
    size_t cap = npos + nopt;
    keel_asset *ids = keel_alloc_array(cap + 1, sizeof *ids);
    double *e = keel_alloc_array(cap + 1, 3 * sizeof *e);
    keel_status st = KEEL_OK;
    if (ids == NULL || e == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    size_t n;
    st = risk_factors(basket, options, market, ids, cap, &n, fn);
    if (st != KEEL_OK)
        goto done;
    double *g = e + n, *sd = e + 2 * n;
    double hf = now.health_factor;
    for (size_t i = 0; i < n; i++) {
        double d1, d2, p = keel_market_price_unchecked(market, ids[i]);
        st = keel_risk_health_sensitivity(basket, options, market, haircuts, ids[i], &d1, &d2, fn);
        if (st != KEEL_OK)
            goto done;
        e[i] = p * d1 / hf; /* d log HF / d log p */
        g[i] = (p * p * d2 + p * d1) / hf - e[i] * e[i]; /* d2 log HF / d (log p)^2 */
        sd[i] = keel_market_volatility_unchecked(market, ids[i]) * sqrt(horizon);
    }
    /* z = mu + y, y ~ N(0, S): log HF - x = sum c_i y_i + 1/2 sum g_i y_i^2 + const with
     * c = e + g mu; mean e.mu + 1/2 sum g_i (mu_i^2 + S_ii), variance
     * c'Sc + 1/2 sum_ij g_i g_j S_ij^2 (Gaussian moments) */
    double mean = 0.0, var = 0.0;
    for (size_t i = 0; i < n; i++) {
        double mu = -0.5 * sd[i] * sd[i]; /* log-price drift of a martingale price */
        mean += e[i] * mu + 0.5 * g[i] * (mu * mu + sd[i] * sd[i]);
    }
    for (size_t i = 0; i < n; i++) {
        double ci = e[i] - 0.5 * g[i] * sd[i] * sd[i];
        for (size_t j = 0; j < n; j++) {
            double cj = e[j] - 0.5 * g[j] * sd[j] * sd[j];
            double sij = sd[i] * sd[j] *
                         (i == j ? 1.0 : keel_market_correlation_unchecked(market, ids[i], ids[j]));
            var += ci * cj * sij + 0.5 * g[i] * g[j] * sij * sij;
        }
    }
    if (!isfinite(mean) || !isfinite(var)) {
        st = keel_fail(KEEL_E_OVERFLOW,
                       "%s: the moments of log HF over %g years overflow a double", fn, horizon);
        goto done;
    }
    if (!(var >= 0.0))
        var = 0.0;
    *out = (keel_passage){ first_passage(log(hf), mean, sqrt(var)), log(hf), mean, sqrt(var),
                           true };
done:
    keel_dealloc(ids);
    keel_dealloc(e);
    return st;
}

keel_status keel_liquidation_probability(const keel_basket *basket, const keel_options *options,
                                         const keel_market *market,
                                         const keel_haircut_model *haircuts, double horizon,
                                         double *out_probability)
{
    const char *fn = __func__;
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_positive(horizon, fn, "horizon"));
    KEEL_TRY(keel_check_ptr(out_probability, fn, "out_probability"));
    return keel_risk_liquidation_probability(basket, options, market, haircuts, horizon,
                                             out_probability, fn);
}
