/* The run loop of a backtest: along each path the prices move (paths.c),
 * options age, the liquidator acts on an account below HF 1
 * (liquidator.c), then on its turns the policy plans and its plan is
 * applied; each path leaves one record (stats.c). */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "lanes.h"
#include "liquidator.h"
#include "market/market_internal.h"
#include "options/options_internal.h"
#include "paths.h"
#include "policy/policy_sim.h"
#include "risk/kernel.h"
#include "sim_internal.h"

/* What one run holds: its own market, account and book along a path. */
typedef struct runner {
    const keel_sim *sim;
    keel_market *m;   /* prices of the current step, once market_current (below) */
    keel_basket *b;   /* the account along the path */
    keel_options *o;  /* the book, ageing; NULL: none */
    double *expiry0;  /* the book's expiries at the start */
    size_t noptions;
    keel_paths paths; /* writes t.price */
    keel_liquidator liquidate;
    void *rules_state; /* the protocol's working state when its rules are set */
    /* the fast path, for haircuts that do not depend on sizes and no book:
     * the valuation kernel on the per-asset table */
    bool fast;
    keel_kernel_table t;
    bool market_current; /* m holds t.price: the fast path needs no market, so it is
                          * brought up to date only when the engine or a policy reads it */
    /* intraday extremes of a replay: the step's closes while t.price holds
     * the adverse extreme, and each asset's column in the replay (-1: none) */
    bool extremes;
    double *close;
    int64_t *column;
    /* volatility models: each asset's variance per period and last price */
    double *var, *prev;
    /* a trace (keel_sim_trace_path), or NULL; per-asset balances before a
     * liquidation, to tell what it took */
    keel_sim_trace *trace;
    double *before;
    /* the block of steps in lanes (run_path_lanes): each asset's index among
     * the moving ones (-1: it does not move), the positions as the lanes read them */
    int64_t *moving;
    keel_lane_position *lanes;
} runner;

/* The runner's market at the step's prices. */
static keel_market *step_market(runner *r)
{
    if (!r->market_current) {
        keel_market_set_prices_unchecked(r->m, r->t.price, r->sim->nassets); /* each checked */
        r->market_current = true;
    }
    return r->m;
}

static keel_status runner_open(runner *r, const keel_sim *sim, const char *fn)
{
    memset(r, 0, sizeof *r);
    r->sim = sim;
    r->liquidate = keel_liquidate_largest;
    if (sim->rules_ops != NULL)
        KEEL_TRY(sim->rules_ops->open(sim->rules, &r->rules_state, fn));
    KEEL_TRY(keel_kernel_table_init(&r->t, sim->market, sim->haircuts, fn));
    KEEL_TRY(keel_paths_open(&r->paths, sim, r->t.price, fn));
    KEEL_TRY(keel_market_copy(sim->market, &r->m, fn));
    /* volatilities that move make the per-asset table stale: the engine values */
    r->fast = keel_risk_is_linear(sim->haircuts, sim->options) && sim->nvol_models == 0;
    size_t n = sim->nassets, m = n ? n : 1;
    r->extremes = sim->npaths > 0 && (sim->replay_low != NULL || sim->replay_high != NULL);
    r->close = keel_alloc_array(7 * m, sizeof *r->close);
    r->column = keel_alloc_array(m, sizeof *r->column);
    if (r->close == NULL || r->column == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    r->var = r->close + m;
    r->prev = r->var + m;
    r->before = r->prev + m; /* 2 m, collateral and debt, then 2 m after a liquidation */
    for (size_t a = 0; a < n; a++)
        r->column[a] = -1;
    for (size_t j = 0; j < sim->nreplay; j++)
        r->column[sim->replay_ids[j]] = (int64_t)j;
    r->moving = keel_alloc_array(m, sizeof *r->moving);
    r->lanes = keel_alloc_array(m, sizeof *r->lanes);
    if (r->moving == NULL || r->lanes == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    for (size_t a = 0; a < n; a++)
        r->moving[a] = -1;
    for (size_t i = 0; i < r->paths.nmove; i++)
        r->moving[r->paths.move[i]] = (int64_t)i;
    if (sim->options != NULL) {
        KEEL_TRY(keel_options_copy(sim->options, &r->o, fn));
        r->noptions = keel_options_size(sim->options);
        r->expiry0 = keel_alloc_array(r->noptions ? r->noptions : 1, sizeof *r->expiry0);
        if (r->expiry0 == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        keel_options_expiries(sim->options, r->expiry0);
    }
    return KEEL_OK;
}

static void runner_close(runner *r)
{
    keel_market_free(r->m);
    keel_basket_destroy(r->b);
    keel_options_free(r->o);
    keel_dealloc(r->expiry0);
    keel_dealloc(r->close);
    keel_dealloc(r->column);
    keel_dealloc(r->moving);
    keel_dealloc(r->lanes);
    keel_paths_close(&r->paths);
    keel_kernel_table_free(&r->t);
    if (r->rules_state != NULL)
        r->sim->rules_ops->close(r->rules_state);
}

/* The account's metrics at the step's prices: the engine's (keel_risk_metrics)
 * or, on the fast path, the same valuation kernel on the per-asset table
 * (lib/risk/kernel.h), so the two give the same bits. */
static keel_status step_metrics(runner *r, keel_metrics *m)
{
    if (!r->fast)
        return keel_risk_metrics(r->b, r->o, step_market(r), r->sim->haircuts, m, "keel_sim_run");
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

/* ---- volatility models along a path (keel_sim_set_volatility) ---- */

/* One update of a model's variance per period by a return scaled to its
 * period: the recursions of keel_ewma_update and keel_garch_update
 * (lib/market/estimators.c). */
static double vol_update(const keel_sim_volatility *v, double var, double ret)
{
    if (v->kind == KEEL_SIM_VOL_EWMA)
        return v->lambda * var + (1.0 - v->lambda) * ret * ret;
    return v->omega + v->alpha * ret * ret + v->beta * var;
}

/* The market's volatility (per year) and, for a GARCH that drives the
 * paths, the diffusion's, from the variance of asset a. */
static keel_status vol_publish(runner *r, keel_asset a, uint64_t path, uint32_t step)
{
    const keel_sim_volatility *v = &r->sim->vol[a];
    double sigma = sqrt(r->var[a] / v->period);
    if (!isfinite(sigma))
        return keel_fail(KEEL_E_OVERFLOW,
                         "keel_sim_run: path %llu, step %u: the volatility of asset %u overflows",
                         (unsigned long long)path, step, (unsigned)a);
    keel_market_set_volatility_unchecked(r->m, a, sigma);
    if (v->drives)
        for (size_t i = 0; i < r->paths.nmove; i++)
            if (r->paths.move[i] == a)
                r->paths.sigma[i] = sigma;
    return KEEL_OK;
}

/* Absorbs the move of step `step` (dt years) into every model. */
static keel_status vol_step(runner *r, uint64_t path, uint32_t step, double dt)
{
    const keel_sim *s = r->sim;
    for (keel_asset a = 0; a < s->nassets; a++) {
        const keel_sim_volatility *v = &s->vol[a];
        if (v->kind == KEEL_SIM_VOL_CONSTANT)
            continue;
        double p = r->t.price[a];
        double ret = log(p / r->prev[a]) * sqrt(v->period / dt);
        r->var[a] = vol_update(v, r->var[a], ret);
        r->prev[a] = p;
        KEEL_TRY(vol_publish(r, a, path, step));
    }
    return KEEL_OK;
}

/* Each model's variance at the start of a path: its initial variance, then
 * the replay's rows before the window (so a window starts with the regime
 * its history left). */
static keel_status vol_start(runner *r, uint64_t path)
{
    const keel_sim *s = r->sim;
    for (keel_asset a = 0; a < s->nassets; a++) {
        const keel_sim_volatility *v = &s->vol[a];
        if (v->kind == KEEL_SIM_VOL_CONSTANT)
            continue;
        double var = v->initial_variance;
        if (!(var > 0.0))
            var = v->kind == KEEL_SIM_VOL_GARCH
                      ? v->omega / (1.0 - v->alpha - v->beta)
                      : v->period * keel_market_volatility_unchecked(s->market, a) *
                            keel_market_volatility_unchecked(s->market, a);
        int64_t j = r->column[a];
        for (size_t row = 1; j >= 0 && row <= s->win_start; row++) {
            const double *now = keel_paths_row(s, s->replay, path, row);
            const double *was = keel_paths_row(s, s->replay, path, row - 1);
            double dt = keel_paths_years(s, row - 1, row);
            var = vol_update(v, var, log(now[j] / was[j]) * sqrt(v->period / dt));
        }
        r->var[a] = var;
        r->prev[a] = r->t.price[a];
        KEEL_TRY(vol_publish(r, a, path, 0));
    }
    return KEEL_OK;
}

/* ---- intraday extremes (keel_sim_set_replay) ---- */

/* The account's HF with asset a at price p, the others as t.price holds them. */
static keel_status health_with(runner *r, keel_asset a, double p, double *hf)
{
    r->t.price[a] = p;
    r->market_current = false;
    keel_metrics m = KEEL_METRICS_INIT;
    KEEL_TRY(step_metrics(r, &m));
    *hf = m.health_factor;
    return KEEL_OK;
}

/* Puts the step's adverse extreme in t.price, keeping the closes: every
 * asset held only as collateral at its low, every asset only owed at its
 * high (HF rises with the one and falls with the other), and an asset both
 * held and owed at whichever of its low and high gives the lower HF, found
 * one such asset at a time until no choice changes. HF = L / W with L and W
 * linear in the prices (haircuts that do not depend on sizes) is monotone
 * in each price, so a corner no single change improves has every
 * coefficient of L - HF* W at its minimising end: it is the lowest HF over
 * all the candles' corners (Dinkelbach's condition). */
static keel_status extremes_enter(runner *r, uint64_t path, uint32_t step)
{
    const keel_sim *s = r->sim;
    size_t n = s->nassets, npos;
    memcpy(r->close, r->t.price, n * sizeof *r->close);
    size_t row = s->win_start + step;
    const double *lo = s->replay_low ? keel_paths_row(s, s->replay_low, path, row) : NULL;
    const double *hi = s->replay_high ? keel_paths_row(s, s->replay_high, path, row) : NULL;
    const keel_position *pos = keel_basket_data(r->b, &npos);
    bool mixed = false;
    for (size_t k = 0; k < npos; k++) {
        keel_asset a = pos[k].asset;
        int64_t j = r->column[a];
        if (j < 0)
            continue;
        if (pos[k].collateral > 0.0 && pos[k].debt > 0.0)
            mixed = true; /* decided below */
        else if (pos[k].debt > 0.0)
            r->t.price[a] = hi ? hi[j] : r->t.price[a];
        else
            r->t.price[a] = lo ? lo[j] : r->t.price[a];
    }
    r->market_current = false;
    for (int pass = 0; mixed && pass < 16; pass++) {
        bool changed = false;
        for (size_t k = 0; k < npos; k++) {
            keel_asset a = pos[k].asset;
            int64_t j = r->column[a];
            if (j < 0 || !(pos[k].collateral > 0.0 && pos[k].debt > 0.0))
                continue;
            double down = lo ? lo[j] : r->close[a], up = hi ? hi[j] : r->close[a];
            double was = r->t.price[a], h_down, h_up;
            KEEL_TRY(health_with(r, a, down, &h_down));
            KEEL_TRY(health_with(r, a, up, &h_up));
            r->t.price[a] = h_up < h_down ? up : down;
            changed |= r->t.price[a] != was;
        }
        if (!changed)
            break;
    }
    r->market_current = false;
    return KEEL_OK;
}

static void extremes_leave(runner *r)
{
    memcpy(r->t.price, r->close, r->sim->nassets * sizeof *r->close);
    r->market_current = false;
}

/* ---- the trace (keel_sim_trace_path) ---- */

/* The next event slot of the trace (counted even when there is no room). */
static keel_sim_event *trace_event(runner *r, uint32_t step, keel_sim_event_kind kind,
                                   double health_before)
{
    keel_sim_trace *t = r->trace;
    size_t k = t->nevents++;
    if (t->events == NULL || k >= t->event_capacity)
        return NULL;
    /* the caller's stride: a newer header's larger event keeps its tail zeroed */
    char *slot = (char *)(void *)t->events + k * t->event_size;
    memset(slot, 0, t->event_size);
    keel_sim_event *e = (keel_sim_event *)(void *)slot;
    e->step = step;
    e->kind = kind;
    e->status = KEEL_OK;
    e->action = (keel_action)KEEL_ACTION_INIT;
    e->health_before = health_before;
    return e;
}

/* Each asset's collateral and debt units, into out[2a], out[2a + 1]. */
static void balances(const runner *r, double *out)
{
    size_t npos;
    memset(out, 0, 2 * r->sim->nassets * sizeof *out);
    const keel_position *pos = keel_basket_data(r->b, &npos);
    for (size_t k = 0; k < npos; k++) {
        out[2 * pos[k].asset] = pos[k].collateral;
        out[2 * pos[k].asset + 1] = pos[k].debt;
    }
}

/* Keeps in (*asset, *units) the asset whose change was worth the most so
 * far (*best, in the numeraire). */
static void keep_largest(double value, double units, keel_asset a, double *best,
                         keel_asset *asset, double *out_units)
{
    if (value > *best) {
        *best = value;
        *asset = a;
        *out_units = units;
    }
}

/* A liquidation's event: what left the account, by comparing its balances
 * before (r->before) and after, at the prices it happened at. */
static void trace_liquidation(runner *r, uint32_t step, double health_before, double bonus,
                              double health_after)
{
    keel_sim_event *e = trace_event(r, step, KEEL_SIM_EVENT_LIQUIDATION, health_before);
    if (e == NULL)
        return;
    size_t n = r->sim->nassets;
    double *after = r->before + 2 * n;
    balances(r, after);
    double best_seized = 0.0, best_repaid = 0.0, best_credit = 0.0;
    keel_action *act = &e->action;
    act->type = KEEL_ACTION_SELL_TO_REPAY;
    for (keel_asset a = 0; a < n; a++) {
        double p = r->t.price[a];
        double seized = r->before[2 * a] - after[2 * a];
        double repaid = r->before[2 * a + 1] - after[2 * a + 1];
        if (seized > 0.0) {
            e->value_seized += seized * p;
            keep_largest(seized * p, seized, a, &best_seized, &act->asset, &act->quantity);
        } else if (seized < 0.0) { /* collateral credited (Comet's absorb) */
            e->value_repaid += -seized * p;
            keep_largest(-seized * p, -seized, a, &best_credit, &act->to_asset, &act->received);
        }
        if (repaid > 0.0) {
            e->value_repaid += repaid * p;
            keep_largest(repaid * p, repaid, a, &best_repaid, &act->debt_asset, &act->repaid);
        }
    }
    e->bonus_lost = bonus;
    e->health_after = health_after;
}

/* Writes row `row` of the trace from the account's metrics at the close. */
static void trace_row(runner *r, uint32_t row, const keel_metrics *m, double health_low)
{
    keel_sim_trace *t = r->trace;
    size_t n = r->sim->nassets;
    if (t->time)
        t->time[row] = row == 0 ? 0.0 : keel_paths_elapsed(r->sim, row);
    if (t->prices)
        memcpy(t->prices + (size_t)row * n, r->t.price, n * sizeof *t->prices);
    for (keel_asset a = 0; t->volatility != NULL && a < n; a++)
        t->volatility[(size_t)row * n + a] = keel_market_volatility_unchecked(r->m, a);
    if (t->health)
        t->health[row] = m->health_factor;
    if (t->health_low)
        t->health_low[row] = health_low;
    if (t->collateral_value)
        t->collateral_value[row] = m->collateral_value;
    if (t->debt_value)
        t->debt_value[row] = m->debt_value;
    if (t->equity)
        t->equity[row] = m->collateral_value - m->debt_value + m->option_value;
}

/* ---- the run loop ---- */

/* Whether the liquidator may act at the prices in t.price (the account's
 * metrics there in *m): HF < 1, or the protocol's pre-filter. Inline, so a
 * healthy step pays one compare. */
static inline bool may_liquidate(const runner *r, const keel_metrics *m)
{
    const keel_sim *s = r->sim;
    return s->rules_ops != NULL ? s->rules_ops->may_be_liquidatable(s->rules, r->b, r->t.price)
                                : m->health_factor < 1.0;
}

/* The liquidator's turn at the prices in t.price, once may_liquidate()
 * said so; the account's metrics there in *m (updated when it acts). */
static keel_status liquidator_turn(runner *r, uint32_t step, path_record *rec, keel_metrics *m,
                                   bool *happened)
{
    const keel_sim *s = r->sim;
    const keel_protocol_ops *ops = s->rules_ops;
    *happened = false;
    double bonus0 = rec->bonus_lost, hf0 = m->health_factor;
    if (r->trace != NULL)
        balances(r, r->before);
    if (ops != NULL)
        KEEL_TRY(ops->liquidate(r->rules_state, s->rules, r->b, r->t.price, &rec->bonus_lost,
                                happened, "keel_sim_run"));
    else
        KEEL_TRY(r->liquidate(&s->p, r->b, r->t.price, m->health_factor, &rec->bonus_lost,
                              happened, "keel_sim_run"));
    if (*happened) {
        rec->liquidations += 1.0;
        KEEL_TRY(step_metrics(r, m)); /* the policy sees what the liquidator left */
        if (r->trace != NULL)
            trace_liquidation(r, step, hf0, rec->bonus_lost - bonus0, m->health_factor);
    }
    return KEEL_OK;
}

/* The policy's turn at the close, the account's metrics in *m. */
static keel_status policy_turn(runner *r, uint32_t step, path_record *rec, keel_metrics *m)
{
    const keel_sim *s = r->sim;
    keel_plan *plan = NULL;
    keel_status st = keel_policy_plan_run(s->policy, r->b, r->o, step_market(r), s->haircuts,
                                          s->costs, NULL, &plan, "keel_sim_run");
    if (st == KEEL_E_NOMEM)
        return st;
    if (st == KEEL_OK && plan->count > 0)
        st = keel_plan_apply_run(plan, r->b, "keel_sim_run"); /* all or nothing */
    bool acted = st == KEEL_OK && plan->count > 0;
    double hf0 = m->health_factor;
    if (st == KEEL_OK) {
        rec->cost += plan->cost;
        rec->trades += (double)plan->count;
    } else {
        rec->policy_failures++; /* the path goes on without the plan */
        keel_sim_event *e = r->trace ? trace_event(r, step, KEEL_SIM_EVENT_POLICY_FAILURE, hf0)
                                     : NULL;
        if (e != NULL) {
            e->status = st;
            e->health_after = hf0;
        }
    }
    if (acted) {
        st = step_metrics(r, m);
        for (size_t k = 0; st == KEEL_OK && r->trace != NULL && k < plan->count; k++) {
            keel_sim_event *e = trace_event(r, step, KEEL_SIM_EVENT_REBALANCE, hf0);
            if (e != NULL) {
                e->action = plan->actions[k];
                e->action.size = sizeof e->action;
                e->health_after = m->health_factor;
            }
        }
    }
    keel_plan_destroy(plan);
    return acted ? st : KEEL_OK;
}

/* What a path adds up over its steps: the health factor over the steps
 * with debt, the capital efficiency over the steps where it is finite. */
typedef struct path_sums {
    double health, efficiency;
    uint32_t nhealth, nefficiency;
} path_sums;

/* One step of a path, everything the engine does there: the prices move,
 * the book ages, the volatility models absorb the move, the liquidator and
 * the policy take their turns; the account's metrics after them in *m. */
static keel_status step_full(runner *r, uint64_t path, uint32_t step, path_record *rec,
                             keel_metrics *m, path_sums *sums)
{
    const keel_sim *s = r->sim;
    KEEL_TRY(keel_paths_step(&r->paths, path, step));
    r->market_current = false;
    if (r->o != NULL)
        keel_options_age(r->o, r->expiry0, keel_paths_elapsed(s, step));
    if (s->nvol_models > 0)
        KEEL_TRY(vol_step(r, path, step, keel_paths_dt(s, step)));
    if (r->extremes)
        KEEL_TRY(extremes_enter(r, path, step));
    KEEL_TRY(step_metrics(r, m));
    double health_low = m->health_factor;
    if (m->weighted_debt > 0.0) /* the lowest HF is the one the move brings, before any action */
        rec->min_health = fmin(rec->min_health, m->health_factor);
    bool happened = false;
    if (may_liquidate(r, m))
        KEEL_TRY(liquidator_turn(r, step, rec, m, &happened));
    if (r->extremes) { /* back to the close, where a step not yet liquidated is checked */
        extremes_leave(r);
        KEEL_TRY(step_metrics(r, m));
        if (!happened && may_liquidate(r, m))
            KEEL_TRY(liquidator_turn(r, step, rec, m, &happened));
    }
    /* a path wiped out (no collateral, no book: bad debt is all that is
     * left) is closed; no policy has anything to act on */
    bool wiped = m->collateral_value == 0.0 && r->noptions == 0;
    if (s->policy != NULL && !wiped && step % s->p.rebalance_every == 0 &&
        keel_policy_may_act(s->policy, m->health_factor))
        KEEL_TRY(policy_turn(r, step, rec, m));
    if (m->weighted_debt > 0.0) {
        rec->has_debt = true;
        sums->health += m->health_factor;
        sums->nhealth++;
    }
    if (isfinite(m->capital_efficiency)) {
        sums->efficiency += m->capital_efficiency;
        sums->nefficiency++;
    }
    if (r->trace != NULL)
        trace_row(r, step, m, health_low);
    return KEEL_OK;
}

/* Whether a path can take the block of steps in lanes (lanes.h): the
 * per-asset table values it (haircuts that depend on neither sizes nor
 * prices, no book), no volatility model, prices from the model (a chunk of
 * them computed ahead), the default liquidator (HF < 1), no extremes, no
 * trace. Everything else walks one step at a time. */
static bool lanes_apply(const runner *r)
{
    const keel_sim *s = r->sim;
    return !s->one_path && r->fast && s->options == NULL && s->nvol_models == 0 &&
           s->npaths == 0 && s->rules_ops == NULL && !r->extremes && r->trace == NULL &&
           r->paths.ahead;
}

/* The account's positions as the lanes read them, for the steps of the
 * chunk `px` (nsteps steps) from its step t0: an asset that moves reads
 * its row of the chunk, another its fixed price. */
static size_t lanes_positions(const runner *r, const double *px, uint32_t nsteps, uint32_t t0,
                              keel_lane_position *out)
{
    size_t n;
    const keel_position *pos = keel_basket_data(r->b, &n);
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        int64_t i = r->moving[a];
        out[k] = (keel_lane_position){ .price = i >= 0 ? px + (size_t)i * nsteps + t0 : NULL,
                                       .fixed = r->t.price[a],
                                       .q = pos[k].collateral,
                                       .d = pos[k].debt,
                                       .oi = r->t.oi[a],
                                       .om = r->t.om[a],
                                       .bf = r->t.bf[a] };
    }
    return n;
}

/* A path with its steps valued in blocks of KEEL_LANES (lanes.h): a step
 * where nothing happens (HF >= 1, the policy has no turn or would not act,
 * the sums finite, the prices in range) only adds to the path's sums; the
 * first step of a block where something may happen, and the path's last
 * step, go through step_full, and the next block starts after it (the
 * account may have changed). The same operations in the same order as
 * run_path: the same bits. */
static keel_status run_path_lanes(runner *r, uint64_t path, path_record *rec, path_sums *sums,
                                  keel_metrics *m)
{
    const keel_sim *s = r->sim;
    const uint32_t steps = s->p.steps, every = s->p.rebalance_every;
    keel_lane_metrics lm;
    uint32_t step = 1;
    while (step <= steps) {
        uint32_t first, nsteps;
        bool ok;
        const double *px = keel_paths_chunk(&r->paths, step, &first, &nsteps, &ok);
        uint32_t t0 = step - first, nb = nsteps - t0;
        nb = nb < KEEL_LANES ? nb : KEEL_LANES;
        uint32_t j = 0;
        if (ok) {
            size_t npos = lanes_positions(r, px, nsteps, t0, r->lanes);
            keel_lanes_metrics(s->isa, r->lanes, npos, nb, &lm);
            for (; j < nb; j++) {
                uint32_t at = step + j;
                double hf = lm.health[j];
                if (!lm.finite[j] || at == steps || hf < 1.0 ||
                    (s->policy != NULL && lm.collateral[j] != 0.0 && at % every == 0 &&
                     keel_policy_may_act(s->policy, hf)))
                    break;
                if (lm.weighted[j] > 0.0) {
                    /* fmin's value: hf is no NaN (finite sums, W > 0) nor -0 */
                    rec->min_health = hf < rec->min_health ? hf : rec->min_health;
                    rec->has_debt = true;
                    sums->health += hf;
                    sums->nhealth++;
                }
                if (isfinite(lm.efficiency[j])) {
                    sums->efficiency += lm.efficiency[j];
                    sums->nefficiency++;
                }
            }
        }
        step += j;
        if (j == nb && ok)
            continue;
        KEEL_TRY(step_full(r, path, step, rec, m, sums));
        step++;
    }
    return KEEL_OK;
}

bool keel_sim_uses_lanes(const keel_sim *sim)
{
    runner r;
    bool yes = runner_open(&r, sim, __func__) == KEEL_OK && lanes_apply(&r);
    runner_close(&r);
    return yes;
}

static keel_status run_path(runner *r, uint64_t path, path_record *rec)
{
    const keel_sim *s = r->sim;
    memset(rec, 0, sizeof *rec);
    rec->path = path;
    rec->min_health = INFINITY;
    keel_basket_destroy(r->b);
    r->b = NULL;
    KEEL_TRY(keel_basket_copy(s->basket, &r->b, "keel_sim_run"));
    keel_paths_start(&r->paths, path);
    r->market_current = false;
    if (s->nvol_models > 0)
        KEEL_TRY(vol_start(r, path));
    path_sums sums = { 0 };
    keel_metrics m = KEEL_METRICS_INIT;
    if (r->o != NULL)
        keel_options_age(r->o, r->expiry0, 0.0);
    if (r->trace != NULL) {
        KEEL_TRY(step_metrics(r, &m));
        trace_row(r, 0, &m, m.health_factor);
    }
    if (lanes_apply(r))
        KEEL_TRY(run_path_lanes(r, path, rec, &sums, &m));
    else
        for (uint32_t step = 1; step <= s->p.steps; step++)
            KEEL_TRY(step_full(r, path, step, rec, &m, &sums));
    rec->mean_health = sums.nhealth ? sums.health / sums.nhealth : INFINITY;
    rec->mean_efficiency = sums.nefficiency ? sums.efficiency / sums.nefficiency : 0.0;
    rec->final_equity = m.collateral_value - m.debt_value + m.option_value;
    rec->final_health = m.health_factor;
    return KEEL_OK;
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
    keel_sim_stats *stats = keel_sim_stats_new(keel_sim_origin(sim), (size_t)count);
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


keel_status keel_sim_trace_path(const keel_sim *sim, uint64_t path, keel_sim_trace *trace,
                                keel_sim_stats **out_stats)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    KEEL_TRY(keel_check_sized(trace, fn, "trace", "keel_sim_trace"));
    keel_sim_trace t = KEEL_SIM_TRACE_INIT; /* what an older caller's struct lacks stays unset */
    t.event_size = 0;
    keel_read_sized(&t, sizeof t, trace);
    if (t.events != NULL && t.event_capacity > 0 && t.event_size < sizeof(keel_sim_event))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: trace->event_size is %zu; set it to sizeof(keel_sim_event)", fn,
                         t.event_size);
    if (t.events == NULL && t.event_capacity > 0)
        return keel_fail(KEEL_E_NULL_ARG, "%s: trace->events is NULL with room for %zu events",
                         fn, t.event_capacity);
    if (sim->npaths > 0 && path >= sim->npaths)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: path %llu asked, %zu replayed", fn,
                         (unsigned long long)path, sim->npaths);
    size_t rows = (size_t)sim->p.steps + 1;
    bool arrays = t.time || t.prices || t.volatility || t.health || t.health_low ||
                  t.collateral_value || t.debt_value || t.equity;
    t.rows = rows;
    t.nevents = 0;
    if (arrays && t.capacity < rows) {
        keel_write_sized(trace, &t, sizeof t);
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: the path has %zu rows, trace->capacity is %zu",
                         fn, rows, t.capacity);
    }
    keel_sim_stats *stats = keel_sim_stats_new(keel_sim_origin(sim), 1);
    if (stats == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    runner r;
    keel_status st = runner_open(&r, sim, fn);
    if (st == KEEL_OK) {
        r.trace = &t;
        st = run_path(&r, path, &stats->r[0]);
    }
    runner_close(&r);
    if (st == KEEL_OK) {
        stats->count = 1;
        if (t.events != NULL && t.nevents > t.event_capacity)
            st = keel_fail(KEEL_E_BUFFER_TOO_SMALL,
                           "%s: the path had %zu events, trace->event_capacity is %zu", fn,
                           t.nevents, t.event_capacity);
    }
    if (st == KEEL_OK || st == KEEL_E_BUFFER_TOO_SMALL)
        keel_write_sized(trace, &t, sizeof t);
    if (st == KEEL_OK && out_stats != NULL)
        *out_stats = stats;
    else
        keel_sim_stats_free(stats);
    return st;
}
