/* The run loop of a backtest: along each path the prices move (paths.c),
 * options age, the liquidator acts on an account below HF 1
 * (liquidator.c), then on its turns the policy plans and its plan is
 * applied; each path leaves one record (stats.c). */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
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
    r->fast = keel_risk_is_linear(sim->haircuts, sim->options);
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
    double hsum = 0.0, esum = 0.0;
    uint32_t hcount = 0, ecount = 0;
    keel_metrics m = KEEL_METRICS_INIT;
    for (uint32_t step = 1; step <= s->p.steps; step++) {
        KEEL_TRY(keel_paths_step(&r->paths, path, step));
        r->market_current = false;
        if (r->o != NULL)
            keel_options_age(r->o, r->expiry0, step * s->p.dt);
        KEEL_TRY(step_metrics(r, &m));
        if (m.weighted_debt > 0.0) /* the lowest HF is the one the move brings, before any action */
            rec->min_health = fmin(rec->min_health, m.health_factor);
        const keel_protocol_ops *ops = s->rules_ops;
        bool liquidate = ops != NULL ? ops->may_be_liquidatable(s->rules, r->b, r->t.price)
                                     : m.health_factor < 1.0;
        if (liquidate) {
            bool happened;
            if (ops != NULL)
                KEEL_TRY(ops->liquidate(r->rules_state, s->rules, r->b, r->t.price,
                                        &rec->bonus_lost, &happened, "keel_sim_run"));
            else
                KEEL_TRY(r->liquidate(&s->p, r->b, r->t.price, m.health_factor,
                                      &rec->bonus_lost, &happened, "keel_sim_run"));
            if (happened) {
                rec->liquidations += 1.0;
                KEEL_TRY(step_metrics(r, &m)); /* the policy sees what the liquidator left */
            }
        }
        /* a path wiped out (no collateral, no book: bad debt is all that is
         * left) is closed; no policy has anything to act on */
        bool wiped = m.collateral_value == 0.0 && r->noptions == 0;
        if (s->policy != NULL && !wiped && step % s->p.rebalance_every == 0 &&
            keel_policy_may_act(s->policy, m.health_factor)) {
            keel_plan *plan = NULL;
            keel_status st = keel_policy_plan_run(s->policy, r->b, r->o, step_market(r), s->haircuts,
                                                  s->costs, NULL, &plan, "keel_sim_run");
            if (st == KEEL_E_NOMEM)
                return st;
            if (st == KEEL_OK && plan->count > 0)
                st = keel_plan_apply_run(plan, r->b, "keel_sim_run"); /* all or nothing */
            bool acted = st == KEEL_OK && plan->count > 0;
            if (st == KEEL_OK) {
                rec->cost += plan->cost;
                rec->trades += (double)plan->count;
            } else {
                rec->policy_failures++; /* the path goes on without the plan */
            }
            keel_plan_destroy(plan);
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

