/* Set-up of a Monte Carlo or historical backtest (include/keel/sim.h): the
 * handle with its own copies of every input, drifts, jumps and replayed
 * paths. The run loop is in run.c, the paths in paths.c, the statistics in
 * stats.c. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "policy/policy_sim.h"
#include "liquidator.h"
#include "risk/risk_internal.h"
#include "sim_internal.h"

static keel_status check_params(const keel_sim_params *p, const char *fn)
{
    KEEL_TRY(keel_check_ptr(p, fn, "params"));
    if (p->size < sizeof *p)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: params->size is %zu; set it to sizeof(keel_sim_params)",
                         fn, p->size);
    if (p->steps == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: steps must be >= 1", fn);
    KEEL_TRY(keel_check_positive(p->dt, fn, "dt"));
    if (p->rebalance_every == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: rebalance_every must be >= 1", fn);
    KEEL_TRY(keel_check_finite(p->close_factor, fn, "close_factor"));
    if (!(p->close_factor > 0.0 && p->close_factor <= 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: close_factor must be in (0, 1], got %g", fn,
                         p->close_factor);
    KEEL_TRY(keel_check_range(p->full_close_below, 0.0, 1.0, fn, "full_close_below"));
    KEEL_TRY(keel_check_range(p->liquidation_bonus, 0.0, 1.0, fn, "liquidation_bonus"));
    if (p->liquidation_bonus >= 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: liquidation_bonus must be < 1", fn);
    return KEEL_OK;
}

/* Whether the correlations of the assets with a volatility (those sure to
 * move) are positive semi-definite: their Cholesky factor exists. Only
 * these k assets are factored (k^2 doubles, not the market's n^2); the run
 * factors the assets that move once drifts and jumps are known
 * (lib/sim/paths.c). */
static keel_status check_correlations(const keel_market *m, size_t n, const char *fn)
{
    size_t k = 0;
    for (keel_asset a = 0; a < n; a++)
        k += keel_market_volatility_unchecked(m, a) > 0.0;
    if (k > KEEL_SIM_MAX_MOVING_ASSETS)
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: %zu assets of the market have a volatility; a simulation moves at "
                         "most %d (each run factors their correlations, k^2 doubles)", fn, k,
                         KEEL_SIM_MAX_MOVING_ASSETS);
    if (k < 2)
        return KEEL_OK;
    double *rho = keel_alloc_array(2 * k * k + k, sizeof *rho);
    if (rho == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu correlations", fn, k * k);
    keel_asset *ids = (keel_asset *)(void *)(rho + 2 * k * k); /* k ids fit in k doubles */
    k = 0;
    for (keel_asset a = 0; a < n; a++)
        if (keel_market_volatility_unchecked(m, a) > 0.0)
            ids[k++] = a;
    keel_market_correlation_matrix(m, ids, k, rho);
    keel_status st = KEEL_OK;
    if (!keel_cholesky_psd(k, rho, rho + k * k))
        st = keel_fail(KEEL_E_NOT_PSD,
                       "%s: the correlations of the market's volatile assets are not positive "
                       "semi-definite", fn);
    keel_dealloc(rho);
    return st;
}

void keel_sim_free(keel_sim *sim)
{
    if (!keel_handle_is(sim, KEEL_TAG_SIM))
        return;
    keel_market_free(sim->market);
    keel_basket_destroy(sim->basket);
    keel_haircut_model_free(sim->haircuts);
    keel_cost_model_free(sim->costs);
    keel_options_free(sim->options);
    keel_policy_destroy(sim->policy);
    keel_dealloc(sim->drift);
    keel_dealloc(sim->replay_ids);
    keel_dealloc(sim->replay);
    keel_sim_install_rules(sim, NULL, NULL);
    keel_handle_release(sim);
}

void keel_sim_install_rules(keel_sim *sim, const keel_protocol_ops *ops, void *rules)
{
    if (sim->rules_ops != NULL)
        sim->rules_ops->free_rules(sim->rules);
    sim->rules_ops = ops;
    sim->rules = rules;
}

keel_status keel_sim_new(const keel_basket *basket, const keel_options *options,
                         const keel_market *market, const keel_haircut_model *haircuts,
                         const keel_cost_model *costs, const keel_policy *policy,
                         const keel_sim_params *params, keel_sim **out)
{
    const char *fn = __func__;
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_handle(costs, KEEL_TAG_COST, fn, "costs"));
    if (policy != NULL)
        KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, fn, "policy"));
    KEEL_TRY(check_params(params, fn));
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    size_t n = keel_market_size(market);
    size_t npos;
    const keel_position *pos = keel_basket_data(basket, &npos);
    for (size_t k = 0; k < npos; k++)
        KEEL_TRY(keel_market_check_asset(market, pos[k].asset, fn));
    KEEL_TRY(check_correlations(market, n, fn));
    keel_status st;

    keel_sim *s = keel_handle_alloc(sizeof *s, KEEL_TAG_SIM);
    if (s == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    s->p = *params;
    s->p.size = sizeof s->p;
    s->nassets = n;
    st = keel_market_copy(market, &s->market, fn);
    if (st == KEEL_OK)
        st = keel_haircut_model_copy(haircuts, &s->haircuts, fn);
    if (st == KEEL_OK)
        st = keel_cost_model_copy(costs, &s->costs, fn);
    if (st == KEEL_OK && options != NULL)
        st = keel_options_copy(options, &s->options, fn);
    if (st == KEEL_OK)
        st = keel_basket_copy(basket, &s->basket, fn);
    if (st == KEEL_OK && policy != NULL)
        st = keel_policy_copy(policy, &s->policy, fn);
    if (st == KEEL_OK) {
        s->drift = keel_alloc_array(4 * (n ? n : 1), sizeof *s->drift);
        if (s->drift == NULL)
            st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    if (st != KEEL_OK) {
        keel_sim_free(s);
        return st;
    }
    size_t m = n ? n : 1;
    s->jump_rate = s->drift + m;
    s->jump_mean = s->jump_rate + m;
    s->jump_vol = s->jump_mean + m;
    memset(s->drift, 0, 4 * m * sizeof *s->drift);
    *out = s;
    return KEEL_OK;
}

keel_status keel_sim_set_drift(keel_sim *sim, keel_asset asset, double drift)
{
    CHECK_SIM(sim);
    KEEL_TRY(keel_market_check_asset(sim->market, asset, __func__));
    KEEL_TRY(keel_check_finite(drift, __func__, "drift"));
    sim->drift[asset] = drift;
    return KEEL_OK;
}

keel_status keel_sim_set_jumps(keel_sim *sim, keel_asset asset, double intensity, double mean,
                               double vol)
{
    CHECK_SIM(sim);
    KEEL_TRY(keel_market_check_asset(sim->market, asset, __func__));
    KEEL_TRY(keel_check_nonneg(intensity, __func__, "intensity"));
    KEEL_TRY(keel_check_finite(mean, __func__, "mean"));
    KEEL_TRY(keel_check_nonneg(vol, __func__, "vol"));
    if (intensity * sim->p.dt > 10.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: %g jumps per step expected; at most 10 (shorten dt)", __func__,
                         intensity * sim->p.dt);
    if (!isfinite(expm1(mean + 0.5 * vol * vol)))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: jumps of mean %g and vol %g overflow", __func__,
                         mean, vol);
    sim->jump_rate[asset] = intensity;
    sim->jump_mean[asset] = mean;
    sim->jump_vol[asset] = vol;
    return KEEL_OK;
}

keel_status keel_sim_set_paths(keel_sim *sim, size_t npaths, size_t nassets,
                               const keel_asset *assets, const double *prices)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    keel_asset *ids = NULL;
    double *copy = NULL;
    if (npaths > 0) {
        KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
        KEEL_TRY(keel_check_ptr(prices, fn, "prices"));
        if (nassets == 0)
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: nassets must be >= 1", fn);
        size_t steps = sim->p.steps;
        if (npaths > SIZE_MAX / steps || npaths * steps > SIZE_MAX / nassets / sizeof(double))
            return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths x %zu steps x %zu assets overflow", fn,
                             npaths, steps, nassets);
        for (size_t j = 0; j < nassets; j++) {
            KEEL_TRY(keel_market_check_asset(sim->market, assets[j], fn));
            for (size_t l = 0; l < j; l++)
                if (assets[l] == assets[j])
                    return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %u appears twice", fn,
                                     (unsigned)assets[j]);
        }
        size_t total = npaths * steps * nassets;
        for (size_t k = 0; k < total; k++) {
            if (!isfinite(prices[k]))
                return keel_fail(KEEL_E_NOT_FINITE,
                                 "%s: the price of path %zu, step %zu, asset %u is not finite", fn,
                                 k / (steps * nassets), k / nassets % steps + 1,
                                 (unsigned)assets[k % nassets]);
            if (!(prices[k] > 0.0))
                return keel_fail(KEEL_E_OUT_OF_RANGE,
                                 "%s: the price of path %zu, step %zu, asset %u is %g", fn,
                                 k / (steps * nassets), k / nassets % steps + 1,
                                 (unsigned)assets[k % nassets], prices[k]);
        }
        ids = keel_alloc_array(nassets, sizeof *ids);
        copy = keel_alloc_array(total, sizeof *copy);
        if (ids == NULL || copy == NULL) {
            keel_dealloc(ids);
            keel_dealloc(copy);
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu prices", fn, total);
        }
        memcpy(ids, assets, nassets * sizeof *ids);
        memcpy(copy, prices, total * sizeof *copy);
    }
    uint64_t h = keel_hash_word(KEEL_HASH_INIT, npaths);
    h = keel_hash_word(h, npaths ? nassets : 0);
    for (size_t j = 0; npaths && j < nassets; j++)
        h = keel_hash_word(h, ids[j]);
    for (size_t k = 0; npaths && k < npaths * sim->p.steps * nassets; k++)
        h = keel_hash_double(h, copy[k]);
    sim->replay_hash = h;
    keel_dealloc(sim->replay_ids);
    keel_dealloc(sim->replay);
    sim->replay_ids = ids;
    sim->replay = copy;
    sim->npaths = npaths;
    sim->nreplay = npaths ? nassets : 0;
    return KEEL_OK;
}

/* Which set-up paths come from: every input that changes a path -- the
 * settings field by field (never the struct's bytes, whose padding is not
 * ours), the market, account, options book, haircut and cost models, the
 * policy, drifts, jumps and replayed prices. Statistics merge only when
 * their origins agree. */
uint64_t keel_sim_origin(const keel_sim *s)
{
    const keel_sim_params *p = &s->p;
    uint64_t h = KEEL_HASH_INIT;
    h = keel_hash_word(h, p->steps);
    h = keel_hash_double(h, p->dt);
    h = keel_hash_word(h, p->seed);
    h = keel_hash_word(h, p->rebalance_every);
    h = keel_hash_double(h, p->close_factor);
    h = keel_hash_double(h, p->full_close_below);
    h = keel_hash_double(h, p->liquidation_bonus);
    h = keel_hash_word(h, keel_basket_fingerprint(s->basket));
    h = keel_market_fingerprint(s->market, h);
    h = keel_haircut_model_fingerprint(s->haircuts, h);
    h = keel_cost_model_fingerprint(s->costs, h);
    h = keel_hash_word(h, s->policy != NULL);
    if (s->policy != NULL)
        h = keel_policy_fingerprint(s->policy, h);
    h = keel_hash_word(h, s->options != NULL);
    if (s->options != NULL)
        h = keel_options_fingerprint(s->options, h);
    for (size_t i = 0; i < s->nassets; i++) {
        h = keel_hash_double(h, s->drift[i]);
        h = keel_hash_double(h, s->jump_rate[i]);
        h = keel_hash_double(h, s->jump_mean[i]);
        h = keel_hash_double(h, s->jump_vol[i]);
    }
    /* which protocol's rules (by their table's name) and the rules themselves */
    h = keel_hash_word(h, s->rules_ops != NULL);
    if (s->rules_ops != NULL) {
        for (const char *c = s->rules_ops->name; *c != '\0'; c++)
            h = keel_hash_word(h, (unsigned char)*c);
        h = s->rules_ops->fingerprint(s->rules, h);
    }
    return keel_hash_word(h, s->replay_hash);
}

