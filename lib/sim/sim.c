/* Set-up of a Monte Carlo or historical backtest (include/keel/sim.h): the
 * handle with its own copies of every input, drifts, jumps and replayed
 * paths. The run loop is in run.c, the paths in paths.c, the statistics in
 * stats.c. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/cpu.h"
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
    keel_dealloc(sim->replay_low);
    keel_dealloc(sim->replay_high);
    keel_dealloc(sim->replay_time);
    keel_dealloc(sim->vol);
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
    s->isa = (int)keel_isa_best();
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
        s->vol = keel_alloc_array(n ? n : 1, sizeof *s->vol);
        if (s->drift == NULL || s->vol == NULL)
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
    for (size_t i = 0; i < m; i++)
        s->vol[i] = (keel_sim_volatility)KEEL_SIM_VOLATILITY_INIT;
    s->model_steps = s->p.steps;
    *out = s;
    return KEEL_OK;
}

void keel_sim_force_isa(keel_sim *sim, int isa)
{
    sim->isa = isa;
}

void keel_sim_force_one_path(keel_sim *sim, int on)
{
    sim->one_path = on != 0;
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

/* A checked replay, owned: the arrays to install. */
typedef struct replay_copy {
    keel_asset *ids;
    double *close, *low, *high;
    int64_t *time;
} replay_copy;

static void replay_copy_free(replay_copy *c)
{
    keel_dealloc(c->ids);
    keel_dealloc(c->close);
    keel_dealloc(c->low);
    keel_dealloc(c->high);
    keel_dealloc(c->time);
    memset(c, 0, sizeof *c);
}

/* Checks the assets of a replay (known, distinct). */
static keel_status check_replay_assets(const keel_sim *sim, size_t nassets,
                                       const keel_asset *assets, const char *fn)
{
    for (size_t j = 0; j < nassets; j++) {
        KEEL_TRY(keel_market_check_asset(sim->market, assets[j], fn));
        for (size_t l = 0; l < j; l++)
            if (assets[l] == assets[j])
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %u appears twice", fn,
                                 (unsigned)assets[j]);
    }
    return KEEL_OK;
}

/* Checks one array of npaths x rows x nassets prices: finite and > 0;
 * `what` names it ("close", "low", "high"); row numbers in messages are
 * shifted by `row_offset` (keel_sim_set_paths counts steps from 1). */
static keel_status check_prices(const double *v, size_t npaths, size_t rows, size_t nassets,
                                const keel_asset *assets, const char *what, size_t row_offset,
                                const char *fn)
{
    size_t total = npaths * rows * nassets;
    for (size_t k = 0; k < total; k++) {
        if (isfinite(v[k]) && v[k] > 0.0)
            continue;
        return keel_fail(isfinite(v[k]) ? KEEL_E_OUT_OF_RANGE : KEEL_E_NOT_FINITE,
                         "%s: the %s price of path %zu, %s %zu, asset %u is %g", fn, what,
                         k / (rows * nassets), row_offset ? "step" : "row",
                         k / nassets % rows + row_offset, (unsigned)assets[k % nassets], v[k]);
    }
    return KEEL_OK;
}

/* Installs a checked copy as the simulation's replay (taking ownership),
 * with its window the whole of it, and the fingerprint of what it holds. */
static void install_replay(keel_sim *sim, replay_copy *c, size_t npaths, size_t rows,
                           size_t nassets)
{
    uint64_t h = keel_hash_word(KEEL_HASH_INIT, npaths);
    h = keel_hash_word(h, npaths ? nassets : 0);
    h = keel_hash_word(h, npaths ? rows : 0);
    size_t total = npaths * rows * nassets;
    for (size_t j = 0; npaths && j < nassets; j++)
        h = keel_hash_word(h, c->ids[j]);
    const double *arrays[3] = { c->close, c->low, c->high };
    for (int a = 0; a < 3; a++) {
        h = keel_hash_word(h, arrays[a] != NULL);
        for (size_t k = 0; arrays[a] != NULL && k < total; k++)
            h = keel_hash_double(h, arrays[a][k]);
    }
    h = keel_hash_word(h, c->time != NULL);
    for (size_t k = 0; c->time != NULL && k < rows; k++) /* differences: the origin is free */
        h = keel_hash_word(h, (uint64_t)c->time[k] - (uint64_t)c->time[0]);
    sim->replay_hash = h;
    keel_dealloc(sim->replay_ids);
    keel_dealloc(sim->replay);
    keel_dealloc(sim->replay_low);
    keel_dealloc(sim->replay_high);
    keel_dealloc(sim->replay_time);
    sim->replay_ids = c->ids;
    sim->replay = c->close;
    sim->replay_low = c->low;
    sim->replay_high = c->high;
    sim->replay_time = c->time;
    memset(c, 0, sizeof *c);
    sim->npaths = npaths;
    sim->nreplay = npaths ? nassets : 0;
    sim->nrows = npaths ? rows : 0;
    sim->win_start = 0;
    sim->p.steps = npaths ? (uint32_t)(rows - 1) : sim->model_steps;
}

/* Room for a replay of npaths x rows x nassets (with extremes and times as
 * asked), or KEEL_E_OVERFLOW / KEEL_E_NOMEM. */
static keel_status replay_alloc(replay_copy *c, size_t npaths, size_t rows, size_t nassets,
                                bool low, bool high, bool time, const char *fn)
{
    memset(c, 0, sizeof *c);
    if (npaths > SIZE_MAX / rows || npaths * rows > SIZE_MAX / nassets / sizeof(double) / 3)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths x %zu rows x %zu assets overflow", fn,
                         npaths, rows, nassets);
    size_t total = npaths * rows * nassets;
    c->ids = keel_alloc_array(nassets, sizeof *c->ids);
    c->close = keel_alloc_array(total, sizeof *c->close);
    c->low = low ? keel_alloc_array(total, sizeof *c->low) : NULL;
    c->high = high ? keel_alloc_array(total, sizeof *c->high) : NULL;
    c->time = time ? keel_alloc_array(rows, sizeof *c->time) : NULL;
    if (c->ids == NULL || c->close == NULL || (low && c->low == NULL) ||
        (high && c->high == NULL) || (time && c->time == NULL)) {
        replay_copy_free(c);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu prices", fn, total);
    }
    return KEEL_OK;
}

keel_status keel_sim_set_paths(keel_sim *sim, size_t npaths, size_t nassets,
                               const keel_asset *assets, const double *prices)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    replay_copy c = { 0 };
    size_t steps = sim->model_steps, rows = steps + 1;
    if (npaths > 0) {
        KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
        KEEL_TRY(keel_check_ptr(prices, fn, "prices"));
        if (nassets == 0)
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: nassets must be >= 1", fn);
        if (npaths > SIZE_MAX / rows || npaths * rows > SIZE_MAX / nassets / sizeof(double) / 3)
            return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths x %zu steps x %zu assets overflow", fn,
                             npaths, steps, nassets);
        KEEL_TRY(check_replay_assets(sim, nassets, assets, fn));
        KEEL_TRY(check_prices(prices, npaths, steps, nassets, assets, "replayed", 1, fn));
        KEEL_TRY(replay_alloc(&c, npaths, rows, nassets, false, false, false, fn));
        memcpy(c.ids, assets, nassets * sizeof *c.ids);
        /* row 0 of each path is the market's prices, the given rows follow */
        for (size_t p = 0; p < npaths; p++) {
            double *row0 = c.close + p * rows * nassets;
            for (size_t j = 0; j < nassets; j++)
                row0[j] = keel_market_price_unchecked(sim->market, assets[j]);
            memcpy(row0 + nassets, prices + p * steps * nassets, steps * nassets * sizeof *row0);
        }
    }
    install_replay(sim, &c, npaths, rows, nassets);
    return KEEL_OK;
}

keel_status keel_sim_set_replay(keel_sim *sim, const keel_sim_replay *replay)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    replay_copy c = { 0 };
    if (replay == NULL) {
        install_replay(sim, &c, 0, 0, 0);
        return KEEL_OK;
    }
    KEEL_TRY(keel_check_sized(replay, fn, "replay", "keel_sim_replay"));
    keel_sim_replay own = KEEL_SIM_REPLAY_INIT; /* what an older caller's struct lacks stays unset */
    keel_read_sized(&own, sizeof own, replay);
    const keel_sim_replay *r = &own;
    if (r->npaths == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: npaths must be >= 1 (NULL goes back to the model)", fn);
    if (r->rows < 2 || r->rows - 1 > UINT32_MAX)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: rows is %zu; a replay has a start row and 1 .. 2^32 - 1 steps", fn,
                         r->rows);
    if (r->nassets == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: nassets must be >= 1", fn);
    KEEL_TRY(keel_check_ptr(r->assets, fn, "replay->assets"));
    KEEL_TRY(keel_check_ptr(r->close, fn, "replay->close"));
    KEEL_TRY(check_replay_assets(sim, r->nassets, r->assets, fn));
    size_t np = r->npaths, rows = r->rows, na = r->nassets;
    if (np > SIZE_MAX / rows || np * rows > SIZE_MAX / na / sizeof(double) / 3)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths x %zu rows x %zu assets overflow", fn, np,
                         rows, na);
    KEEL_TRY(check_prices(r->close, np, rows, na, r->assets, "close", 0, fn));
    if (r->low != NULL)
        KEEL_TRY(check_prices(r->low, np, rows, na, r->assets, "low", 0, fn));
    if (r->high != NULL)
        KEEL_TRY(check_prices(r->high, np, rows, na, r->assets, "high", 0, fn));
    size_t total = np * rows * na;
    for (size_t k = 0; k < total; k++) {
        double lo = r->low ? r->low[k] : r->close[k], hi = r->high ? r->high[k] : r->close[k];
        if (lo <= r->close[k] && r->close[k] <= hi)
            continue;
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: path %zu, row %zu, asset %u: the close %.17g is outside its low %.17g "
                         "and high %.17g", fn, k / (rows * na), k / na % rows,
                         (unsigned)r->assets[k % na], r->close[k], lo, hi);
    }
    if (r->time != NULL) {
        for (size_t k = 1; k < rows; k++)
            if (!(r->time[k] > r->time[k - 1]))
                return keel_fail(KEEL_E_OUT_OF_RANGE,
                                 "%s: time stamps must increase: row %zu is %lld, row %zu %lld", fn,
                                 k - 1, (long long)r->time[k - 1], k, (long long)r->time[k]);
    }
    KEEL_TRY(replay_alloc(&c, np, rows, na, r->low != NULL, r->high != NULL, r->time != NULL, fn));
    memcpy(c.ids, r->assets, na * sizeof *c.ids);
    memcpy(c.close, r->close, total * sizeof *c.close);
    if (r->low != NULL)
        memcpy(c.low, r->low, total * sizeof *c.low);
    if (r->high != NULL)
        memcpy(c.high, r->high, total * sizeof *c.high);
    if (r->time != NULL) /* differenced as uint64 when used: exact, never overflowing */
        memcpy(c.time, r->time, rows * sizeof *c.time);
    install_replay(sim, &c, np, rows, na);
    return KEEL_OK;
}

keel_status keel_sim_set_window(keel_sim *sim, size_t start, size_t steps)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    if (sim->npaths == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: no replay is set (keel_sim_set_replay)", fn);
    size_t last = sim->nrows - 1;
    if (start >= last)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the window starts at row %zu; the replay's last row is %zu", fn,
                         start, last);
    if (steps == 0)
        steps = last - start;
    if (steps > last - start)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: %zu steps from row %zu pass the replay's last row, %zu", fn, steps,
                         start, last);
    sim->win_start = start;
    sim->p.steps = (uint32_t)steps;
    return KEEL_OK;
}

keel_status keel_sim_set_volatility(keel_sim *sim, keel_asset asset,
                                    const keel_sim_volatility *model)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    KEEL_TRY(keel_market_check_asset(sim->market, asset, fn));
    KEEL_TRY(keel_check_sized(model, fn, "model", "keel_sim_volatility"));
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    keel_read_sized(&v, sizeof v, model);
    switch (v.kind) {
    case KEEL_SIM_VOL_CONSTANT:
        break;
    case KEEL_SIM_VOL_EWMA:
        KEEL_TRY(keel_check_positive(v.period, fn, "period"));
        KEEL_TRY(keel_check_finite(v.lambda, fn, "lambda"));
        if (!(v.lambda > 0.0 && v.lambda < 1.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: lambda must be in (0, 1), got %g", fn,
                             v.lambda);
        KEEL_TRY(keel_check_nonneg(v.initial_variance, fn, "initial_variance"));
        break;
    case KEEL_SIM_VOL_GARCH:
        KEEL_TRY(keel_check_positive(v.period, fn, "period"));
        KEEL_TRY(keel_check_positive(v.omega, fn, "omega"));
        KEEL_TRY(keel_check_nonneg(v.alpha, fn, "alpha"));
        KEEL_TRY(keel_check_nonneg(v.beta, fn, "beta"));
        if (!(v.alpha + v.beta < 1.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: alpha + beta is %g; a stationary GARCH needs < 1", fn,
                             v.alpha + v.beta);
        KEEL_TRY(keel_check_nonneg(v.initial_variance, fn, "initial_variance"));
        if (v.drives != 0 && v.drives != 1)
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: drives must be 0 or 1, got %d", fn, v.drives);
        break;
    default:
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown volatility model %d", fn, (int)v.kind);
    }
    if (v.kind != KEEL_SIM_VOL_GARCH)
        v.drives = 0;
    bool was = sim->vol[asset].kind != KEEL_SIM_VOL_CONSTANT;
    bool is = v.kind != KEEL_SIM_VOL_CONSTANT;
    sim->vol[asset] = v;
    sim->nvol_models = sim->nvol_models - was + is;
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
        const keel_sim_volatility *v = &s->vol[i];
        h = keel_hash_word(h, (uint64_t)v->kind);
        if (v->kind != KEEL_SIM_VOL_CONSTANT) {
            h = keel_hash_double(h, v->period);
            h = keel_hash_double(h, v->lambda);
            h = keel_hash_double(h, v->omega);
            h = keel_hash_double(h, v->alpha);
            h = keel_hash_double(h, v->beta);
            h = keel_hash_double(h, v->initial_variance);
            h = keel_hash_word(h, (uint64_t)v->drives);
        }
    }
    /* which protocol's rules (by their table's name) and the rules themselves */
    h = keel_hash_word(h, s->rules_ops != NULL);
    if (s->rules_ops != NULL) {
        for (const char *c = s->rules_ops->name; *c != '\0'; c++)
            h = keel_hash_word(h, (unsigned char)*c);
        h = s->rules_ops->fingerprint(s->rules, h);
    }
    h = keel_hash_word(h, s->win_start);
    return keel_hash_word(h, s->replay_hash);
}

