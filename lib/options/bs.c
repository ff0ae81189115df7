/* Black-Scholes-Merton and Black-76 values and greeks. Formulas: Haug, "The
 * Complete Guide to Option Pricing Formulas", 2nd ed., sections 1.1 and 2.1
 * (generalized BSM with cost of carry b = r - q); the second-order greeks
 * vanna, volga and charm as in Haug section 2.2-2.3. Derivation notes and the
 * edge conventions: docs/options.md. */
#include <math.h>
#include <string.h>

#include "black.h"
#include "bs.h"
#include "core/core_internal.h"
#include "keel/options.h"

#define INV_SQRT_2PI 0.39894228040143267794
#define INV_SQRT_2 0.70710678118654752440

/* Standard normal CDF from erfc: accurate relative to its value in the far
 * lower tail, where 1 - erf would cancel. */
static inline double ncdf(double x)
{
    return 0.5 * erfc(-x * INV_SQRT_2);
}

static inline double npdf(double x)
{
    return INV_SQRT_2PI * exp(-0.5 * x * x);
}

/* N(x) and N(-x) from one erfc: the smaller from erfc (full relative
 * precision in the tail), the other as 1 minus it (near 1, nothing lost). */
static inline void ncdf_pair(double x, double *n, double *m)
{
    if (x < 0.0) {
        *n = ncdf(x);
        *m = 1.0 - *n;
    } else {
        *m = ncdf(-x);
        *n = 1.0 - *m;
    }
}

/* ln(S / K) without overflow or underflow of the ratio. */
static inline double log_ratio(double s, double k)
{
    double ratio = s / k;
    return (ratio > 0.0 && ratio < INFINITY) ? log(ratio) : log(s) - log(k);
}

typedef keel_greeks_v greeks_v;

static inline void bsm(int is_put, double S, double K, double T, double r, double q, double vol,
                       greeks_v *g);

void keel_bsm(int is_put, double S, double K, double T, double r, double q, double vol,
              keel_greeks_v *g)
{
    bsm(is_put, S, K, T, r, q, vol, g);
}

/* The kernel, for valid inputs. */
static inline void bsm(int is_put, double S, double K, double T, double r, double q, double vol,
                       greeks_v *g)
{
    double dq = exp(-q * T), dr = exp(-r * T);
    double sd = S * dq, kd = K * dr; /* discounted forward and strike */
    double sqt = sqrt(T), sst = vol * sqt;
    if (sst > 0.0) {
        double x = log_ratio(S, K) + (r - q) * T; /* ln(F/K), as implied.c computes it */
        double d1 = x / sst + 0.5 * sst;
        double d2 = d1 - sst;
        double pd1 = npdf(d1);
        double n1, m1, n2, m2;
        ncdf_pair(d1, &n1, &m1);
        ncdf_pair(d2, &n2, &m2);
        /* price the out-of-the-money side directly, the other by parity
         * (a sum of positive terms); deep out of the money the two terms
         * of the formula agree to many digits (and near the money when
         * sigma sqrt(T) is small), so the normalised Black function takes
         * over there (black.c) */
        double call, put;
        bool deep = fabs(x) >= 8.0 * sst || sst < 0.02;
        if (x <= 0.0) {
            call = deep ? sqrt(sd) * sqrt(kd) * keel_black_otm(x, sst) : sd * n1 - kd * n2;
            put = call + (kd - sd);
        } else {
            put = deep ? sqrt(sd) * sqrt(kd) * keel_black_otm(-x, sst) : kd * m2 - sd * m1;
            call = put + (sd - kd);
        }
        double vega = sd * pd1 * sqt;
        double decay = -sd * pd1 * vol / (2.0 * sqt);
        double charm_common = -dq * pd1 * (2.0 * (r - q) * T - d2 * sst) / (2.0 * T * sst);
        g->gamma = dq * pd1 / (S * sst);
        g->vega = vega;
        g->vanna = -dq * pd1 * d2 / vol;
        g->volga = vega * d1 * d2 / vol;
        if (is_put) {
            g->value = put;
            g->delta = -dq * m1;
            g->theta = decay + r * kd * m2 - q * sd * m1;
            g->rho = -T * kd * m2;
            g->dividend_rho = T * sd * m1;
            g->charm = -q * dq * m1 + charm_common;
        } else {
            g->value = call;
            g->delta = dq * n1;
            g->theta = decay - r * kd * n2 + q * sd * n1;
            g->rho = T * kd * n2;
            g->dividend_rho = -T * sd * n1;
            g->charm = q * dq * n1 + charm_common;
        }
        return;
    }
    /* No uncertainty left (T = 0 or vol = 0): the discounted intrinsic value;
     * w is the call's exercise weight, 1/2 exactly at the money. */
    double w = sd > kd ? 1.0 : (sd == kd ? 0.5 : 0.0);
    if (is_put)
        w -= 1.0;
    g->value = is_put ? fmax(kd - sd, 0.0) : fmax(sd - kd, 0.0);
    g->delta = w * dq;
    g->gamma = 0.0;
    g->vega = sd == kd ? sd * sqt * INV_SQRT_2PI : 0.0;
    g->theta = w * (q * sd - r * kd);
    g->rho = w * T * kd;
    g->dividend_rho = -w * T * sd;
    g->vanna = g->volga = g->charm = 0.0;
}

static keel_status check_type(keel_option_type type, const char *fn)
{
    if (type != KEEL_CALL && type != KEEL_PUT)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: option type must be KEEL_CALL or KEEL_PUT, got %d",
                         fn, (int)type);
    return KEEL_OK;
}

static keel_status check_inputs(keel_option_type type, double s, double k, double t, double r,
                                double q, double vol, const char *fn, const char *s_name)
{
    KEEL_TRY(check_type(type, fn));
    KEEL_TRY(keel_check_positive(s, fn, s_name));
    KEEL_TRY(keel_check_positive(k, fn, "strike"));
    KEEL_TRY(keel_check_nonneg(t, fn, "expiry"));
    KEEL_TRY(keel_check_finite(r, fn, "rate"));
    KEEL_TRY(keel_check_finite(q, fn, "dividend"));
    KEEL_TRY(keel_check_nonneg(vol, fn, "vol"));
    return KEEL_OK;
}

static keel_status finish(const greeks_v *g, keel_greeks *out, const char *fn)
{
    const double *v = &g->value;
    for (int i = 0; i < 10; i++)
        if (!isfinite(v[i]))
            return keel_fail(KEEL_E_OVERFLOW, "%s: the value or a greek is beyond double range",
                             fn);
    keel_greeks full;
    full.size = out->size;
    memcpy(&full.value, g, sizeof *g);
    memcpy(out, &full, out->size < sizeof full ? out->size : sizeof full);
    return KEEL_OK;
}

static keel_status check_out(const keel_greeks *out, const char *fn)
{
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    if (out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: out->size is %zu; set it to sizeof(keel_greeks)",
                         fn, out->size);
    return KEEL_OK;
}

keel_status keel_black_scholes(keel_option_type type, double spot, double strike, double expiry,
                               double rate, double dividend, double vol, keel_greeks *out)
{
    KEEL_TRY(check_inputs(type, spot, strike, expiry, rate, dividend, vol, __func__, "spot"));
    KEEL_TRY(check_out(out, __func__));
    greeks_v g;
    bsm(type == KEEL_PUT, spot, strike, expiry, rate, dividend, vol, &g);
    return finish(&g, out, __func__);
}

keel_status keel_black76(keel_option_type type, double forward, double strike, double expiry,
                         double rate, double vol, keel_greeks *out)
{
    KEEL_TRY(check_inputs(type, forward, strike, expiry, rate, 0.0, vol, __func__, "forward"));
    KEEL_TRY(check_out(out, __func__));
    greeks_v g;
    /* BSM on the forward with q = r (carry 0); holding F fixed, dV/dr is the
     * discounting alone: rho + dividend rho = -T V. */
    bsm(type == KEEL_PUT, forward, strike, expiry, rate, rate, vol, &g);
    g.rho += g.dividend_rho;
    g.dividend_rho = 0.0;
    return finish(&g, out, __func__);
}

keel_status keel_black_scholes_batch(size_t count, const keel_option_type *types,
                                     const double *spot, const double *strike,
                                     const double *expiry, const double *rate,
                                     const double *dividend, const double *vol,
                                     keel_greeks_arrays *out)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    if (out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: out->size is %zu; set it to sizeof(keel_greeks_arrays)", fn,
                         out->size);
    if (count == 0)
        return KEEL_OK;
    KEEL_TRY(keel_check_ptr(types, fn, "types"));
    KEEL_TRY(keel_check_ptr(spot, fn, "spot"));
    KEEL_TRY(keel_check_ptr(strike, fn, "strike"));
    KEEL_TRY(keel_check_ptr(expiry, fn, "expiry"));
    KEEL_TRY(keel_check_ptr(rate, fn, "rate"));
    KEEL_TRY(keel_check_ptr(dividend, fn, "dividend"));
    KEEL_TRY(keel_check_ptr(vol, fn, "vol"));
    keel_greeks_arrays o = { 0 };
    memcpy(&o, out, out->size < sizeof o ? out->size : sizeof o);
    for (size_t i = 0; i < count; i++) {
        /* one branch for the common all-valid case; the checks that name
         * the fault only when something is off */
        bool ok = (types[i] == KEEL_CALL || types[i] == KEEL_PUT) && spot[i] > 0.0 &&
                  spot[i] < INFINITY && strike[i] > 0.0 && strike[i] < INFINITY &&
                  expiry[i] >= 0.0 && expiry[i] < INFINITY && isfinite(rate[i]) &&
                  isfinite(dividend[i]) && vol[i] >= 0.0 && vol[i] < INFINITY;
        if (ok)
            continue;
        keel_status s = check_inputs(types[i], spot[i], strike[i], expiry[i], rate[i],
                                     dividend[i], vol[i], fn, "spot");
        char detail[512];
        strncpy(detail, keel_last_error(), sizeof detail - 1);
        detail[sizeof detail - 1] = '\0';
        return keel_fail(s, "%s (option %zu)", detail, i);
    }
    bool overflow = false;
    for (size_t i = 0; i < count; i++) {
        greeks_v g;
        bsm(types[i] == KEEL_PUT, spot[i], strike[i], expiry[i], rate[i], dividend[i], vol[i], &g);
        /* one test for all ten: a sum of finite numbers that is not finite
         * is re-checked member by member */
        double sum = g.value + g.delta + g.gamma + g.vega + g.theta + g.rho + g.dividend_rho +
                     g.vanna + g.volga + g.charm;
        if (!isfinite(sum)) {
            const double *v = &g.value;
            for (int j = 0; j < 10; j++)
                overflow |= !isfinite(v[j]);
        }
        if (o.value) o.value[i] = g.value;
        if (o.delta) o.delta[i] = g.delta;
        if (o.gamma) o.gamma[i] = g.gamma;
        if (o.vega) o.vega[i] = g.vega;
        if (o.theta) o.theta[i] = g.theta;
        if (o.rho) o.rho[i] = g.rho;
        if (o.dividend_rho) o.dividend_rho[i] = g.dividend_rho;
        if (o.vanna) o.vanna[i] = g.vanna;
        if (o.volga) o.volga[i] = g.volga;
        if (o.charm) o.charm[i] = g.charm;
    }
    if (overflow)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a value or greek is beyond double range", fn);
    return KEEL_OK;
}
