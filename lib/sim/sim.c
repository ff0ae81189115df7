/* Monte Carlo and historical backtests of a policy, with per-path records
 * that merge across shards into the same bits as one run.
 *
 * Prices: log S_i(t + dt) = log S_i(t) + (mu_i - sigma_i^2 / 2 - lambda_i k_i) dt
 * + sigma_i sqrt(dt) (L e)_i + sum of N_i jumps J ~ N(m_i, v_i^2), with L the
 * Cholesky factor of the correlations, e iid normal from the path's Philox
 * stream, N_i ~ Poisson(lambda_i dt) from a second stream of the same path,
 * and k_i = exp(m_i + v_i^2 / 2) - 1 (Merton 1976). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "policy/policy_internal.h"
#include "risk/kernel.h"
#include "keel/sim.h"

struct keel_sim {
    uint32_t tag;
    keel_market *market;
    keel_basket *basket;
    keel_haircut_model *haircuts;
    keel_cost_model *costs;
    keel_options *options; /* NULL: none */
    keel_policy *policy;   /* NULL: hold */
    keel_sim_params p;
    size_t nassets;
    double *drift, *jump_rate, *jump_mean, *jump_vol; /* per market asset */
    /* replay */
    size_t npaths, nreplay;
    keel_asset *replay_ids;
    double *replay; /* [path][step][asset] */
    uint64_t replay_hash; /* fingerprint of the replayed ids and prices */
};

/* One path's record. */
typedef struct path_record {
    uint64_t path;
    double liquidations, bonus_lost, cost, trades, final_equity, min_health, mean_health,
        mean_efficiency, final_health;
    uint32_t policy_failures;
    bool has_debt; /* some step had debt: the HF figures are meaningful */
} path_record;

struct keel_sim_stats {
    uint32_t tag;
    uint64_t origin; /* which simulation set-up the paths come from */
    size_t count, capacity;
    path_record *r; /* increasing path */
};

/* ---- set-up ---- */

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

/* The Cholesky factor of the correlations of all market assets. */
static keel_status correlation_factor(const keel_market *m, size_t n, double *rho, double *l,
                                      const char *fn)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            rho[i * n + j] = i == j ? 1.0 : keel_market_correlation_unchecked(m, (keel_asset)i,
                                                                             (keel_asset)j);
    if (!keel_cholesky_psd(n, rho, l))
        return keel_fail(KEEL_E_NOT_PSD,
                         "%s: the market's correlation matrix is not positive semi-definite", fn);
    return KEEL_OK;
}

void keel_sim_free(keel_sim *sim)
{
    if (!keel_handle_is(sim, KEEL_TAG_SIM))
        return;
    keel_market_free(sim->market);
    keel_basket_free(sim->basket);
    keel_haircut_model_free(sim->haircuts);
    keel_cost_model_free(sim->costs);
    keel_options_free(sim->options);
    keel_policy_free(sim->policy);
    keel_dealloc(sim->drift);
    keel_dealloc(sim->replay_ids);
    keel_dealloc(sim->replay);
    keel_handle_release(sim);
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
    double *rho = keel_alloc_array(2 * (n ? n * n : 1), sizeof *rho);
    if (rho == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    keel_status st = correlation_factor(market, n, rho, rho + n * n, fn);
    keel_dealloc(rho);
    KEEL_TRY(st);

    keel_sim *s = keel_handle_alloc(sizeof *s, KEEL_TAG_SIM);
    if (s == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    s->p = *params;
    s->p.size = sizeof s->p;
    s->nassets = n;
    st = keel_market_clone(market, &s->market);
    if (st == KEEL_OK)
        st = keel_basket_clone(basket, &s->basket);
    if (st == KEEL_OK)
        st = keel_haircut_model_clone(haircuts, &s->haircuts);
    if (st == KEEL_OK)
        st = keel_cost_model_clone(costs, &s->costs);
    if (st == KEEL_OK && options != NULL)
        st = keel_options_clone(options, &s->options);
    if (st == KEEL_OK && policy != NULL)
        st = keel_policy_clone(policy, &s->policy);
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

#define CHECK_SIM(s) KEEL_TRY(keel_check_handle((s), KEEL_TAG_SIM, __func__, "sim"))

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

/* ---- one run ---- */

typedef struct runner {
    const keel_sim *sim;
    keel_market *m;   /* prices of the current step */
    keel_basket *b;   /* the account along the path */
    keel_options *o;  /* the book, ageing */
    double *logp0, *logp, *price, *chol, *z, *eps, *expiry0; /* price is t.price */
    size_t nmove;   /* assets that move: a volatility, jumps or a drift */
    keel_asset *move; /* their ids; chol is the factor of their correlations */
    uint32_t *option_ids;
    size_t noptions;
    /* the fast path, for haircuts that do not depend on sizes and no book:
     * the valuation kernel on the per-asset table */
    bool fast;
    keel_kernel_table t;
} runner;

static keel_status runner_open(runner *r, const keel_sim *sim, const char *fn)
{
    memset(r, 0, sizeof *r);
    r->sim = sim;
    size_t n = sim->nassets, m = n ? n : 1;
    KEEL_TRY(keel_market_clone(sim->market, &r->m));
    KEEL_TRY(keel_kernel_table_init(&r->t, sim->market, sim->haircuts, fn));
    r->price = r->t.price;
    r->logp0 = keel_alloc_array(4 * m + 2 * m * m, sizeof *r->logp0);
    if (r->logp0 == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    r->logp = r->logp0 + m;
    r->z = r->logp + m;
    r->eps = r->z + m;
    r->chol = r->eps + m;
    double *rho = r->chol + m * m;
    /* only the assets that move are drawn: the others keep their prices, and
     * the joint law of the moving ones needs only their own correlations */
    r->move = keel_alloc_array(m, sizeof *r->move);
    if (r->move == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    for (keel_asset a = 0; a < n; a++)
        if (keel_market_volatility_unchecked(sim->market, a) > 0.0 || sim->jump_rate[a] > 0.0 ||
            sim->drift[a] != 0.0)
            r->move[r->nmove++] = a;
    size_t k = r->nmove;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            rho[i * k + j] = i == j ? 1.0
                                    : keel_market_correlation_unchecked(sim->market, r->move[i],
                                                                        r->move[j]);
    if (!keel_cholesky_psd(k, rho, r->chol)) /* a principal submatrix of a PSD matrix */
        return keel_fail(KEEL_E_NOT_PSD, "%s: the moving assets' correlations are not PSD", fn);
    r->fast = keel_risk_is_linear(sim->haircuts, sim->options);
    for (keel_asset a = 0; a < n; a++)
        r->logp0[a] = log(r->price[a]);
    if (sim->options != NULL) {
        KEEL_TRY(keel_options_clone(sim->options, &r->o));
        KEEL_TRY(keel_options_count(sim->options, &r->noptions));
        r->expiry0 = keel_alloc_array(r->noptions ? r->noptions : 1, sizeof *r->expiry0);
        r->option_ids = keel_alloc_array(r->noptions ? r->noptions : 1, sizeof *r->option_ids);
        if (r->expiry0 == NULL || r->option_ids == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        for (size_t i = 0; i < r->noptions; i++) {
            keel_option_position op = KEEL_OPTION_POSITION_INIT;
            KEEL_TRY(keel_options_position(sim->options, i, &op));
            r->expiry0[i] = op.expiry;
            r->option_ids[i] = op.id;
        }
    }
    return KEEL_OK;
}

static void runner_close(runner *r)
{
    keel_market_free(r->m);
    keel_basket_free(r->b);
    keel_options_free(r->o);
    keel_dealloc(r->logp0);
    keel_kernel_table_free(&r->t);
    keel_dealloc(r->move);
    keel_dealloc(r->expiry0);
    keel_dealloc(r->option_ids);
}

/* Poisson(mu) by inversion of its CDF from one uniform (mu <= 10). */
static unsigned poisson(keel_rng *g, double mu)
{
    double u = keel_rng_uniform(g), p = exp(-mu), cdf = p;
    unsigned k = 0;
    while (u > cdf && k < 1000) {
        k++;
        p *= mu / k;
        cdf += p;
    }
    return k;
}

/* Moves the prices one step along path `path`. */
static keel_status step_prices(runner *r, uint64_t path, uint32_t step, keel_rng *diffusion,
                               keel_rng *arrivals, keel_rng *sizes)
{
    const keel_sim *s = r->sim;
    size_t n = s->nassets;
    if (s->npaths > 0) { /* replay */
        const double *row = s->replay + ((size_t)path * s->p.steps + (step - 1)) * s->nreplay;
        for (size_t j = 0; j < s->nreplay; j++)
            r->price[s->replay_ids[j]] = row[j];
        keel_market_set_prices_unchecked(r->m, r->price, n);
        return KEEL_OK;
    }
    double dt = s->p.dt, sq = sqrt(dt);
    size_t k = r->nmove;
    for (size_t i = 0; i < k; i++)
        r->eps[i] = keel_rng_normal(diffusion);
    for (size_t i = 0; i < k; i++) {
        keel_asset a = r->move[i];
        double zi = 0.0;
        for (size_t j = 0; j <= i; j++)
            zi += r->chol[i * k + j] * r->eps[j];
        double sigma = keel_market_volatility_unchecked(s->market, a);
        double lam = s->jump_rate[a];
        double move = (s->drift[a] - 0.5 * sigma * sigma) * dt + sigma * sq * zi;
        if (lam > 0.0) {
            double kj = expm1(s->jump_mean[a] + 0.5 * s->jump_vol[a] * s->jump_vol[a]);
            move -= lam * kj * dt;
            unsigned nj = poisson(arrivals, lam * dt);
            double zj = keel_rng_normal(sizes); /* drawn every step: streams stay aligned */
            if (nj > 0)
                move += nj * s->jump_mean[a] + sqrt((double)nj) * s->jump_vol[a] * zj;
        }
        r->logp[a] += move;
        r->price[a] = exp(r->logp[a]);
        if (!(r->price[a] > 0.0 && r->price[a] < INFINITY))
            return keel_fail(KEEL_E_OVERFLOW, "keel_sim_run: path %llu, step %u: the price of asset %u left double range",
                             (unsigned long long)path, step, (unsigned)a);
    }
    keel_market_set_prices_unchecked(r->m, r->price, n); /* each checked above */
    return KEEL_OK;
}

/* The account's metrics at the step's prices: the engine's (keel_risk_metrics)
 * or, on the fast path, the same valuation kernel on the per-asset table
 * (lib/risk/kernel.h), so the two give the same bits. */
static keel_status step_metrics(runner *r, keel_metrics *m)
{
    if (!r->fast)
        return keel_risk_metrics(r->b, r->o, r->m, r->sim->haircuts, m, "keel_sim_run");
    size_t n;
    const keel_position *pos = keel_basket_data(r->b, &n);
    keel_risk_sums s = { 0 };
    const keel_kernel_table t = r->t; /* its pointers in registers */
    for (size_t k = 0; k < n; k++)
        keel_kernel_add_linear(&s, &t, pos[k].asset, pos[k].collateral, pos[k].debt);
    if (!isfinite(s.collateral) || !isfinite(s.debt) || !isfinite(s.weighted))
        return keel_fail(KEEL_E_OVERFLOW, "keel_sim_run: the account's value overflows a double");
    keel_kernel_metrics(&s, m);
    return KEEL_OK;
}

/* Whether the policy could act at this health factor (a health band inside
 * its band returns an empty plan, so it need not be asked). */
static bool policy_may_act(const keel_policy *p, double hf)
{
    if (p->kind != KEEL_POLICY_HEALTH_BAND)
        return true;
    const keel_health_band_params *h = &p->u.health;
    return hf < h->repay_below ||
           (hf > h->boost_above && (h->allowed & (KEEL_ALLOW_BOOST | KEEL_ALLOW_WITHDRAW)));
}

/* One liquidation as a lending protocol runs it; adds the bonus lost and
 * sets *happened when collateral was seized (a path wiped out -- no
 * collateral left, bad debt -- has nothing to liquidate). */
static keel_status liquidate(runner *r, const keel_metrics *m, double *bonus_lost,
                             bool *happened)
{
    *happened = false;
    const keel_sim_params *p = &r->sim->p;
    size_t npos;
    const keel_position *pos = keel_basket_data(r->b, &npos);
    keel_asset dj = KEEL_ASSET_INVALID, ci = KEEL_ASSET_INVALID;
    double dbest = 0.0, cbest = 0.0, dq = 0.0, cq = 0.0;
    for (size_t k = 0; k < npos; k++) {
        double p_ = r->price[pos[k].asset];
        if (pos[k].debt * p_ > dbest)
            dbest = pos[k].debt * p_, dj = pos[k].asset, dq = pos[k].debt;
        if (pos[k].collateral * p_ > cbest)
            cbest = pos[k].collateral * p_, ci = pos[k].asset, cq = pos[k].collateral;
    }
    if (dj == KEEL_ASSET_INVALID || ci == KEEL_ASSET_INVALID)
        return KEEL_OK; /* nothing to repay or to seize (an options margin call alone) */
    double factor = m->health_factor < p->full_close_below ? 1.0 : p->close_factor;
    double pd = r->price[dj], pc = r->price[ci], bonus = 1.0 + p->liquidation_bonus;
    double repay = factor * dq, seize = repay * pd * bonus / pc;
    if (seize > cq) {
        seize = cq;
        repay = cq * pc / (bonus * pd);
    }
    if (!(seize > 0.0))
        return KEEL_OK;
    KEEL_TRY(keel_basket_add_collateral(r->b, ci, -fmin(seize, cq)));
    KEEL_TRY(keel_basket_add_debt(r->b, dj, -fmin(repay, dq)));
    *bonus_lost += seize * pc - repay * pd;
    *happened = true;
    return KEEL_OK;
}

static keel_status run_path(runner *r, uint64_t path, path_record *rec)
{
    const keel_sim *s = r->sim;
    memset(rec, 0, sizeof *rec);
    rec->path = path;
    rec->min_health = INFINITY;
    keel_basket_free(r->b);
    r->b = NULL;
    KEEL_TRY(keel_basket_clone(s->basket, &r->b));
    size_t n = s->nassets;
    for (size_t i = 0; i < n; i++) {
        r->logp[i] = r->logp0[i];
        r->price[i] = keel_market_price_unchecked(s->market, (keel_asset)i);
    }
    keel_rng diffusion, arrivals, sizes; /* one kind of draw per stream */
    keel_rng_init(&diffusion, s->p.seed, path, 0);
    keel_rng_init(&arrivals, s->p.seed, path, 1);
    keel_rng_init(&sizes, s->p.seed, path, 2);
    double hsum = 0.0, esum = 0.0;
    uint32_t hcount = 0, ecount = 0;
    keel_metrics m = KEEL_METRICS_INIT;
    for (uint32_t step = 1; step <= s->p.steps; step++) {
        KEEL_TRY(step_prices(r, path, step, &diffusion, &arrivals, &sizes));
        for (size_t i = 0; i < r->noptions; i++)
            KEEL_TRY(keel_options_set_expiry(r->o, r->option_ids[i],
                                             fmax(0.0, r->expiry0[i] - step * s->p.dt)));
        KEEL_TRY(step_metrics(r, &m));
        if (m.weighted_debt > 0.0) /* the lowest HF is the one the move brings, before any action */
            rec->min_health = fmin(rec->min_health, m.health_factor);
        if (m.health_factor < 1.0) {
            bool happened;
            KEEL_TRY(liquidate(r, &m, &rec->bonus_lost, &happened));
            if (happened) {
                rec->liquidations += 1.0;
                KEEL_TRY(step_metrics(r, &m)); /* the policy sees what the liquidator left */
            }
        }
        /* a path wiped out (no collateral, no book: bad debt is all that is
         * left) is closed; no policy has anything to act on */
        bool wiped = m.collateral_value == 0.0 && r->noptions == 0;
        if (s->policy != NULL && !wiped && step % s->p.rebalance_every == 0 &&
            policy_may_act(s->policy, m.health_factor)) {
            keel_plan *plan = NULL;
            keel_status st = keel_policy_plan(s->policy, r->b, r->o, r->m, s->haircuts, s->costs,
                                              NULL, &plan);
            if (st == KEEL_E_NOMEM)
                return st;
            if (st == KEEL_OK && plan->count > 0)
                st = keel_plan_apply(plan, r->b); /* all or nothing */
            bool acted = st == KEEL_OK && plan->count > 0;
            if (st == KEEL_OK) {
                rec->cost += plan->cost;
                rec->trades += (double)plan->count;
            } else {
                rec->policy_failures++; /* the path goes on without the plan */
            }
            keel_plan_free(plan);
            if (acted)
                KEEL_TRY(step_metrics(r, &m));
        }
        if (m.weighted_debt > 0.0) {
            rec->has_debt = true;
            hsum += m.health_factor;
            hcount++;
        }
        if (isfinite(m.capital_efficiency)) {
            esum += m.capital_efficiency;
            ecount++;
        }
    }
    rec->mean_health = hcount ? hsum / hcount : INFINITY;
    rec->mean_efficiency = ecount ? esum / ecount : 0.0;
    rec->final_equity = m.collateral_value - m.debt_value + m.option_value;
    rec->final_health = m.health_factor;
    return KEEL_OK;
}

/* Which set-up paths come from: every input that changes a path -- the
 * settings field by field (never the struct's bytes, whose padding is not
 * ours), the market, account, options book, haircut and cost models, the
 * policy, drifts, jumps and replayed prices. Statistics merge only when
 * their origins agree. */
static uint64_t origin_of(const keel_sim *s)
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
    return keel_hash_word(h, s->replay_hash);
}

static keel_sim_stats *stats_new(uint64_t origin, size_t capacity)
{
    keel_sim_stats *st = keel_handle_alloc(sizeof *st, KEEL_TAG_STATS);
    if (st == NULL)
        return NULL;
    st->origin = origin;
    st->r = keel_alloc_array(capacity ? capacity : 1, sizeof *st->r);
    if (st->r == NULL) {
        keel_handle_release(st);
        return NULL;
    }
    st->capacity = capacity ? capacity : 1;
    return st;
}

keel_status keel_sim_run(const keel_sim *sim, uint64_t first, uint64_t count,
                         keel_progress_fn progress, void *user, keel_sim_stats **out_stats)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    KEEL_TRY(keel_check_ptr(out_stats, fn, "out_stats"));
    if (count == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: count must be >= 1", fn);
    if (first > UINT64_MAX - count)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: paths %llu + %llu pass 2^64", fn,
                         (unsigned long long)first, (unsigned long long)count);
    if (sim->npaths > 0 && first + count > sim->npaths)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: paths up to %llu asked, %zu replayed", fn,
                         (unsigned long long)(first + count), sim->npaths);
    if (count > SIZE_MAX / sizeof(path_record))
        return keel_fail(KEEL_E_OVERFLOW, "%s: %llu paths overflow", fn, (unsigned long long)count);
    keel_sim_stats *stats = stats_new(origin_of(sim), (size_t)count);
    if (stats == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %llu paths", fn,
                         (unsigned long long)count);
    runner r;
    keel_status st = runner_open(&r, sim, fn);
    uint64_t stride = count / 100 ? count / 100 : 1;
    for (uint64_t i = 0; i < count && st == KEEL_OK; i++) {
        st = run_path(&r, first + i, &stats->r[stats->count]);
        if (st != KEEL_OK)
            break;
        stats->count++;
        if (progress != NULL && ((i + 1) % stride == 0 || i + 1 == count) &&
            progress((double)(i + 1) / (double)count, user) != 0 && i + 1 < count)
            st = keel_fail(KEEL_E_CANCELLED, "%s: cancelled after %llu of %llu paths", fn,
                           (unsigned long long)(i + 1), (unsigned long long)count);
    }
    runner_close(&r);
    if (st == KEEL_OK || st == KEEL_E_CANCELLED)
        *out_stats = stats; /* a cancelled run keeps the paths it finished */
    else
        keel_sim_stats_free(stats);
    return st;
}

/* ---- statistics ---- */

void keel_sim_stats_free(keel_sim_stats *stats)
{
    if (!keel_handle_is(stats, KEEL_TAG_STATS))
        return;
    keel_dealloc(stats->r);
    keel_handle_release(stats);
}

#define CHECK_STATS(s, name) KEEL_TRY(keel_check_handle((s), KEEL_TAG_STATS, __func__, name))

keel_status keel_sim_stats_merge(keel_sim_stats *into, const keel_sim_stats *from)
{
    CHECK_STATS(into, "into");
    CHECK_STATS(from, "from");
    if (into == from)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: merging statistics with themselves", __func__);
    if (into->origin != from->origin)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the statistics come from different simulations", __func__);
    size_t n = into->count + from->count;
    path_record *m = keel_alloc_array(n ? n : 1, sizeof *m);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    size_t i = 0, j = 0, k = 0;
    while (i < into->count || j < from->count) {
        if (j == from->count || (i < into->count && into->r[i].path < from->r[j].path)) {
            m[k++] = into->r[i++];
        } else if (i == into->count || from->r[j].path < into->r[i].path) {
            m[k++] = from->r[j++];
        } else {
            uint64_t dup = into->r[i].path;
            keel_dealloc(m);
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: path %llu is in both", __func__,
                             (unsigned long long)dup);
        }
    }
    keel_dealloc(into->r);
    into->r = m;
    into->count = into->capacity = n;
    return KEEL_OK;
}

keel_status keel_sim_stats_summary(const keel_sim_stats *stats, keel_sim_summary *out)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: out->size is %zu", __func__, out->size);
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    s.first_policy_failure_path = UINT64_MAX;
    size_t n = stats->count, with_debt = 0, liquidated = 0;
    double minh = 0.0, meanh = 0.0;
    for (size_t i = 0; i < n; i++) { /* in path order: the same bits however it was split */
        const path_record *r = &stats->r[i];
        liquidated += r->liquidations > 0.0;
        s.mean_liquidations += r->liquidations;
        s.mean_bonus_lost += r->bonus_lost;
        s.mean_rebalance_cost += r->cost;
        s.mean_trades += r->trades;
        s.mean_final_equity += r->final_equity;
        s.mean_capital_efficiency += r->mean_efficiency;
        s.policy_failures += r->policy_failures;
        if (r->policy_failures > 0) {
            s.paths_with_policy_failures++;
            if (r->path < s.first_policy_failure_path)
                s.first_policy_failure_path = r->path;
        }
        if (r->has_debt) {
            with_debt++;
            minh += r->min_health;
            meanh += r->mean_health;
        }
    }
    s.paths = n;
    if (n > 0) {
        double p = (double)liquidated / (double)n;
        s.liquidation_probability = p;
        s.liquidation_probability_se = sqrt(p * (1.0 - p) / (double)n);
        s.mean_liquidations /= (double)n;
        s.mean_bonus_lost /= (double)n;
        s.mean_rebalance_cost /= (double)n;
        s.mean_trades /= (double)n;
        s.mean_final_equity /= (double)n;
        s.mean_capital_efficiency /= (double)n;
    }
    s.mean_min_health = with_debt ? minh / (double)with_debt : INFINITY;
    s.mean_health = with_debt ? meanh / (double)with_debt : INFINITY;
    s.size = out->size;
    memcpy(out, &s, out->size < sizeof s ? out->size : sizeof s);
    return KEEL_OK;
}

static double metric_of(const path_record *r, keel_sim_metric m)
{
    switch (m) {
    case KEEL_SIM_FINAL_EQUITY: return r->final_equity;
    case KEEL_SIM_MIN_HEALTH: return r->min_health;
    case KEEL_SIM_MEAN_HEALTH: return r->mean_health;
    case KEEL_SIM_REBALANCE_COST: return r->cost;
    case KEEL_SIM_BONUS_LOST: return r->bonus_lost;
    case KEEL_SIM_LIQUIDATIONS: return r->liquidations;
    case KEEL_SIM_FINAL_HEALTH: return r->final_health;
    case KEEL_SIM_POLICY_FAILURES: return (double)r->policy_failures;
    }
    return NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

keel_status keel_sim_stats_percentile(const keel_sim_stats *stats, keel_sim_metric metric,
                                      double q, double *out_value)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_range(q, 0.0, 1.0, __func__, "q"));
    KEEL_TRY(keel_check_ptr(out_value, __func__, "out_value"));
    if ((int)metric < 0 || metric > KEEL_SIM_POLICY_FAILURES)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown metric %d", __func__, (int)metric);
    size_t n = stats->count;
    if (n == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: no paths", __func__);
    double *v = keel_alloc_array(n, sizeof *v);
    if (v == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    for (size_t i = 0; i < n; i++)
        v[i] = metric_of(&stats->r[i], metric);
    qsort(v, n, sizeof *v, cmp_double);
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    double value = lo + 1 < n && frac > 0.0 && v[lo + 1] != v[lo]
                       ? v[lo] + frac * (v[lo + 1] - v[lo])
                       : v[lo];
    keel_dealloc(v);
    *out_value = value;
    return KEEL_OK;
}

/* ---- serialisation: "KSTS", version 1, origin, count; then per path the
 * index, nine doubles (as IEEE bits), the policy failures and the debt
 * flag; all little-endian ---- */

enum { HEADER = 24, RECORD = 88, NFIELDS = 9, VERSION = 1 };

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void putd(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put64(p, v);
}

static double getd(const unsigned char *p)
{
    uint64_t v = get64(p);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

/* The doubles of a record, in their serialised order. */
static double *record_field(path_record *r, int i)
{
    double *f[NFIELDS] = { &r->liquidations, &r->bonus_lost,  &r->cost,
                           &r->trades,       &r->final_equity, &r->min_health,
                           &r->mean_health,  &r->mean_efficiency, &r->final_health };
    return f[i];
}

keel_status keel_sim_stats_serialize(const keel_sim_stats *stats, void *buffer, size_t capacity,
                                     size_t *out_size)
{
    CHECK_STATS(stats, "stats");
    KEEL_TRY(keel_check_ptr(out_size, __func__, "out_size"));
    if (stats->count > (SIZE_MAX - HEADER) / RECORD)
        return keel_fail(KEEL_E_OVERFLOW, "%s: %zu paths overflow", __func__, stats->count);
    size_t need = HEADER + stats->count * RECORD;
    *out_size = need;
    if (buffer == NULL || capacity < need)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: %zu bytes needed, %zu given", __func__,
                         need, buffer == NULL ? 0 : capacity);
    unsigned char *p = buffer;
    memcpy(p, "KSTS", 4);
    put32(p + 4, VERSION);
    put64(p + 8, stats->origin);
    put64(p + 16, stats->count);
    p += HEADER;
    for (size_t i = 0; i < stats->count; i++, p += RECORD) {
        path_record r = stats->r[i];
        put64(p, r.path);
        for (int k = 0; k < NFIELDS; k++)
            putd(p + 8 + 8 * k, *record_field(&r, k));
        put32(p + 8 + 8 * NFIELDS, r.policy_failures);
        put32(p + 12 + 8 * NFIELDS, r.has_debt ? 1u : 0u);
    }
    return KEEL_OK;
}

keel_status keel_sim_stats_deserialize(const void *buffer, size_t size, keel_sim_stats **out_stats)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_ptr(buffer, fn, "buffer"));
    KEEL_TRY(keel_check_ptr(out_stats, fn, "out_stats"));
    const unsigned char *p = buffer;
    if (size < HEADER || memcmp(p, "KSTS", 4) != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: not keel simulation statistics", fn);
    if (get32(p + 4) != VERSION)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: version %u; this library reads version %d", fn,
                         get32(p + 4), VERSION);
    uint64_t count = get64(p + 16);
    if (count > (size - HEADER) / RECORD || HEADER + count * RECORD != size)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %zu bytes do not hold %llu paths", fn, size,
                         (unsigned long long)count);
    keel_sim_stats *st = stats_new(get64(p + 8), (size_t)count);
    if (st == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %llu paths", fn,
                         (unsigned long long)count);
    const unsigned char *q = p + HEADER;
    for (size_t i = 0; i < count; i++, q += RECORD) {
        path_record r;
        memset(&r, 0, sizeof r);
        r.path = get64(q);
        bool bad = i > 0 && r.path <= st->r[i - 1].path;
        for (int k = 0; k < NFIELDS; k++) {
            *record_field(&r, k) = getd(q + 8 + 8 * k);
            bad |= isnan(*record_field(&r, k));
        }
        r.policy_failures = get32(q + 8 + 8 * NFIELDS);
        uint32_t flag = get32(q + 12 + 8 * NFIELDS);
        bad |= flag > 1;
        r.has_debt = flag == 1;
        if (bad) {
            keel_sim_stats_free(st);
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: path record %zu is corrupt", fn, i);
        }
        st->r[st->count++] = r;
    }
    *out_stats = st;
    return KEEL_OK;
}
