/* Every const handle kind shared, read-only, by four threads: a cost model,
 * a policy of each kind and a composite, an options book, a plan,
 * statistics (summary, percentiles, bytes), scans over one market and
 * haircut model, and one simulation whose disjoint path ranges run at once
 * and merge into the single-threaded bits. Each thread's answers equal the
 * single-threaded ones bit for bit; under ThreadSanitizer (.ci/run) no race.
 *
 * And the two process-global things (include/keel/core.h): the live-handle
 * counter is atomic, so keel_live_handles() may be read from any thread
 * while others create and free handles; keel_set_allocator() called while a
 * handle is alive only reads that counter and fails with KEEL_E_STATE, so
 * that call is harmless from any thread. Installing an allocator
 * (a successful keel_set_allocator) is not thread-safe: it must happen
 * before any other thread calls keel, as core.h says; no test can make that
 * safe, so none pretends to. */
#include <pthread.h>
#include <stdatomic.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 30
#define MAX_ANSWERS 4096
#define ACCOUNTS 64

static keel_market *market;
static keel_haircut_model *haircuts;
static keel_cost_model *costs;
static keel_options *book;
static keel_policy *policies[7];
static size_t npolicies;
static keel_plan *shared_plan;
static keel_sim_stats *shared_stats;

/* accounts for the scans, in compressed sparse rows */
static size_t offsets[ACCOUNTS + 1];
static keel_asset rows_asset[3 * ACCOUNTS];
static double rows_coll[3 * ACCOUNTS], rows_debt[3 * ACCOUNTS];

typedef struct answers {
    size_t n;
    double v[MAX_ANSWERS];
} answers;

static void put(answers *a, double x)
{
    if (a->n < MAX_ANSWERS)
        a->v[a->n++] = x;
}

static void put_metrics(answers *a, const keel_metrics *m)
{
    put(a, m->collateral_value);
    put(a, m->liquidation_value);
    put(a, m->debt_value);
    put(a, m->health_factor);
    put(a, m->option_value);
    put(a, m->option_margin);
}

static void build_fixture(void)
{
    ck_ok(keel_market_new(&market));
    ck_ok(keel_market_add_asset(market, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(market, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(market, "WBTC", 60000.0, NULL));
    ck_ok(keel_market_set_volatility(market, 0, 0.8));
    ck_ok(keel_market_set_volatility(market, 1, 0.01));
    ck_ok(keel_market_set_volatility(market, 2, 0.6));
    ck_ok(keel_market_set_correlation(market, 0, 2, 0.7));
    ck_ok(keel_market_set_depth(market, 0, 5e6));

    ck_ok(keel_haircut_model_new(&haircuts));
    ck_ok(keel_haircut_model_set_asset(haircuts, 0, 0.2, 0.15));
    ck_ok(keel_haircut_model_set_asset(haircuts, 1, 0.1, 0.05));
    ck_ok(keel_haircut_model_set_asset(haircuts, 2, 0.3, 0.25));
    ck_ok(keel_haircut_model_set_volatility_addon(haircuts, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(haircuts, 0.5, 0.3));

    ck_ok(keel_cost_model_new(&costs));
    ck_ok(keel_cost_model_set_fee(costs, 0, 0.001, 0.0005));
    ck_ok(keel_cost_model_set_fee(costs, 2, 0.0005, 0.0));
    ck_ok(keel_cost_model_set_sqrt_impact(costs, 2, 0.7, 5e7));
    ck_ok(keel_cost_model_set_linear_impact(costs, 0, 0.5, 1e7));
    ck_ok(keel_cost_model_set_fixed(costs, 0, 2.0));

    ck_ok(keel_options_new(&book));
    ck_ok(keel_options_add(book, 0, KEEL_PUT, 1800.0, 30.0 / 365, 5.0, NULL));
    ck_ok(keel_options_add(book, 0, KEEL_CALL, 2400.0, 60.0 / 365, -3.0, NULL));
    ck_ok(keel_options_add(book, 2, KEEL_CALL, 65000.0, 14.0 / 365, -0.1, NULL));

    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 1;
    ck_ok(keel_policy_health_band(&hb, &policies[npolicies++]));
    keel_leverage_band_params lb = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    lb.asset = 0;
    lb.debt_asset = 1;
    ck_ok(keel_policy_leverage_band(&lb, &policies[npolicies++]));
    keel_asset tw_assets[2] = { 0, 2 };
    double tw_weights[2] = { 0.6, 0.4 };
    keel_target_weights_params tw = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    tw.count = 2;
    tw.assets = tw_assets;
    tw.weights = tw_weights;
    ck_ok(keel_policy_target_weights(&tw, &policies[npolicies++]));
    keel_delta_hedge_params dh = KEEL_DELTA_HEDGE_PARAMS_INIT;
    dh.funding_asset = 1;
    ck_ok(keel_policy_delta_hedge(&dh, &policies[npolicies++]));
    keel_predictive_params pp = KEEL_PREDICTIVE_PARAMS_INIT;
    pp.repay_asset = 1;
    ck_ok(keel_policy_predictive(&pp, &policies[npolicies++]));
    const keel_policy *parts[3] = { policies[3], policies[2], policies[0] };
    ck_ok(keel_policy_compose(parts, 3, &policies[npolicies++]));

    for (size_t i = 0, k = 0; i < ACCOUNTS; i++) {
        offsets[i] = k;
        rows_asset[k] = 0;
        rows_coll[k] = 1.0 + (double)(i % 17);
        rows_debt[k++] = (i % 5 == 0) ? 0.5 : 0.0;
        rows_asset[k] = 1;
        rows_coll[k] = 0.0;
        rows_debt[k++] = 1500.0 * (double)(1 + i % 13);
        if (i % 3 == 0) {
            rows_asset[k] = 2;
            rows_coll[k] = 0.05 * (double)(1 + i % 7);
            rows_debt[k++] = 0.0;
        }
        offsets[i + 1] = k;
    }

    /* a shared plan and shared statistics */
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 10.0));
    ck_ok(keel_basket_set_collateral(b, 2, 0.1));
    ck_ok(keel_basket_set_debt(b, 1, 15000.0));
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.repay_asset = 1;
    dp.target_health = 1.6;
    ck_ok(keel_deleverage(b, NULL, market, haircuts, costs, &dp, &shared_plan, NULL));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 10;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, book, market, haircuts, costs, policies[0], &p, &sim));
    ck_ok(keel_sim_run(sim, 0, 40, NULL, NULL, &shared_stats));
    keel_sim_free(sim);
    keel_basket_free(b);
}

static void free_fixture(void)
{
    keel_sim_stats_free(shared_stats);
    keel_plan_free(shared_plan);
    for (size_t i = 0; i < npolicies; i++)
        keel_policy_free(policies[i]);
    npolicies = 0;
    keel_options_free(book);
    keel_cost_model_free(costs);
    keel_haircut_model_free(haircuts);
    keel_market_free(market);
}

/* Everything a thread asks of the shared handles; `id` varies its own account. */
static keel_status ask(int id, answers *a)
{
    keel_status s = KEEL_OK;
    a->n = 0;
    keel_basket *b = NULL, *wallet = NULL;
    if ((s = keel_basket_new(&b)) != KEEL_OK || (s = keel_basket_new(&wallet)) != KEEL_OK)
        goto out;
    keel_basket_set_collateral(b, 0, 8.0 + id);
    keel_basket_set_collateral(b, 2, 0.2);
    keel_basket_set_debt(b, 1, 14000.0 + 500.0 * id);
    keel_basket_set_collateral(wallet, 1, 300.0 * id);

    /* cost model */
    for (keel_asset x = 0; x < 3; x++) {
        keel_trade_cost c = KEEL_TRADE_COST_INIT;
        if ((s = keel_cost_model_cost(costs, market, x, (x == 1 ? 500.0 : -1.5) * (1 + id), &c)))
            goto out;
        put(a, c.total);
        put(a, c.effective_price);
    }
    keel_swap_result sw = KEEL_SWAP_RESULT_INIT;
    if ((s = keel_cost_model_swap(costs, market, 0, 2, 2.0 + id, &sw)))
        goto out;
    put(a, sw.bought);
    put(a, sw.total_cost);

    /* options book */
    double v;
    keel_greeks g = KEEL_GREEKS_INIT;
    keel_margin_result mr = KEEL_MARGIN_RESULT_INIT;
    if ((s = keel_options_value(book, market, &v)) || (s = keel_options_greeks(book, market, 0, &g)) ||
        (s = keel_options_scenario_margin(book, market, &mr)))
        goto out;
    put(a, v);
    put(a, g.delta);
    put(a, g.gamma);
    put(a, mr.margin);
    keel_metrics m = KEEL_METRICS_INIT;
    if ((s = keel_basket_metrics(b, book, market, haircuts, &m)))
        goto out;
    put_metrics(a, &m);

    /* policies: each kind, the composite, a clone */
    for (size_t i = 0; i < npolicies; i++) {
        keel_policy_kind kind;
        keel_plan *plan = NULL;
        keel_policy *copy = NULL;
        if ((s = keel_policy_kind_of(policies[i], &kind)) ||
            (s = keel_policy_clone(policies[i], &copy)))
            goto out;
        keel_policy_free(copy);
        put(a, (double)kind);
        keel_status ps = keel_policy_plan(policies[i], b, i % 2 ? book : NULL, market, haircuts,
                                          costs, i == 0 ? wallet : NULL, &plan);
        put(a, (double)ps);
        if (ps == KEEL_OK) {
            double cost;
            size_t count;
            keel_metrics after = KEEL_METRICS_INIT;
            if ((s = keel_plan_summary(plan, &cost, NULL, &after)) ||
                (s = keel_plan_action_count(plan, &count))) {
                keel_plan_free(plan);
                goto out;
            }
            put(a, cost);
            put(a, (double)count);
            put_metrics(a, &after);
        }
        keel_plan_free(plan);
    }

    /* the shared plan */
    size_t count;
    double cost;
    keel_metrics before = KEEL_METRICS_INIT, after = KEEL_METRICS_INIT;
    if ((s = keel_plan_action_count(shared_plan, &count)) ||
        (s = keel_plan_summary(shared_plan, &cost, &before, &after)))
        goto out;
    put(a, cost);
    put_metrics(a, &before);
    put_metrics(a, &after);
    for (size_t i = 0; i < count; i++) {
        keel_action act = KEEL_ACTION_INIT;
        if ((s = keel_plan_action(shared_plan, i, &act)))
            goto out;
        put(a, act.quantity);
        put(a, act.repaid);
        put(a, act.cost);
    }

    /* scans over the one market and haircut model */
    double hf[ACCOUNTS], top_hf[8], curve[4];
    size_t top[8], found;
    const double shocks[4] = { 0.0, -0.1, -0.25, -0.4 };
    size_t first = (size_t)id * 4, n = ACCOUNTS - first;
    if ((s = keel_scan(market, haircuts, n, offsets + first, rows_asset, rows_coll, rows_debt, hf)) ||
        (s = keel_scan_top_k(market, haircuts, ACCOUNTS, offsets, rows_asset, rows_coll, rows_debt, 8,
                             top, top_hf, &found)) ||
        (s = keel_liquidations_at_risk(market, haircuts, ACCOUNTS, offsets, rows_asset, rows_coll,
                                       rows_debt, 4, shocks, curve)))
        goto out;
    for (size_t i = 0; i < n; i++)
        put(a, hf[i]);
    for (size_t i = 0; i < found; i++) {
        put(a, (double)top[i]);
        put(a, top_hf[i]);
    }
    for (int i = 0; i < 4; i++)
        put(a, curve[i]);
    double prob;
    if ((s = keel_liquidation_probability(b, NULL, market, haircuts, 7.0 / 365, &prob)))
        goto out;
    put(a, prob);
    keel_asset stressed[2] = { 0, 2 };
    double shock_rows[4] = { -0.1, -0.05, -0.3, -0.2 };
    keel_metrics sm[2] = { KEEL_METRICS_INIT, KEEL_METRICS_INIT };
    if ((s = keel_stress(b, book, market, haircuts, 2, 2, stressed, shock_rows, sm)))
        goto out;
    put_metrics(a, &sm[0]);
    put_metrics(a, &sm[1]);

    /* statistics */
    keel_sim_summary sum = KEEL_SIM_SUMMARY_INIT;
    if ((s = keel_sim_stats_summary(shared_stats, &sum)))
        goto out;
    put(a, sum.liquidation_probability);
    put(a, sum.mean_final_equity);
    put(a, sum.mean_min_health);
    put(a, sum.mean_trades);
    for (int metric = KEEL_SIM_FINAL_EQUITY; metric <= KEEL_SIM_POLICY_FAILURES; metric++)
        for (int q = 0; q <= 4; q++) {
            double pct;
            if ((s = keel_sim_stats_percentile(shared_stats, (keel_sim_metric)metric, 0.25 * q, &pct)))
                goto out;
            put(a, pct);
        }
    size_t need;
    unsigned char buf[16384];
    if ((s = keel_sim_stats_serialize(shared_stats, buf, sizeof buf, &need)))
        goto out;
    double h = 0;
    for (size_t i = 0; i < need; i++)
        h = h * 31.0 + buf[i] - floor((h * 31.0 + buf[i]) / 1e9) * 1e9;
    put(a, (double)need);
    put(a, h);
out:
    keel_basket_free(wallet);
    keel_basket_free(b);
    return s;
}

typedef struct job {
    int id;
    const answers *want;
    answers got;
    keel_status status;
    int mismatch_round;
} job;

static void *reader(void *arg)
{
    job *j = arg;
    j->mismatch_round = -1;
    for (int r = 0; r < ROUNDS && j->status == KEEL_OK; r++) {
        j->status = ask(j->id, &j->got);
        if (j->status == KEEL_OK && (j->got.n != j->want->n ||
                                     memcmp(j->got.v, j->want->v, j->got.n * sizeof(double)) != 0)) {
            j->mismatch_round = r;
            break;
        }
    }
    return NULL;
}

START_TEST(every_const_handle_kind_shared)
{
    build_fixture();
    static answers want[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ck_ok(ask(i, &want[i])); /* the single-threaded answers */
        ck_assert(want[i].n > 100 && want[i].n < MAX_ANSWERS);
    }
    static job jobs[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i].id = i;
        jobs[i].want = &want[i];
        jobs[i].status = KEEL_OK;
        ck_assert_int_eq(pthread_create(&t[i], NULL, reader, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        ck_assert_msg(jobs[i].status == KEEL_OK, "thread %d: %s", i,
                      keel_status_str(jobs[i].status));
        ck_assert_msg(jobs[i].mismatch_round < 0, "thread %d: a different answer in round %d", i,
                      jobs[i].mismatch_round);
    }
    free_fixture();
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

/* One const simulation (a composite policy, an options book, costs, drift
 * and jumps) run on disjoint path ranges by four threads at once, each
 * thread taking two ranges out of order; merged, the shards are the bytes
 * of one single-threaded run. */
#define SHARD 12

typedef struct shard {
    const keel_sim *sim;
    int id;
    keel_sim_stats *a, *b;
    keel_status status;
} shard;

static void *run_shards(void *arg)
{
    shard *s = arg;
    uint64_t second = (uint64_t)(2 * THREADS - 1 - s->id) * SHARD;
    if ((s->status = keel_sim_run(s->sim, second, SHARD, NULL, NULL, &s->b)) == KEEL_OK)
        s->status = keel_sim_run(s->sim, (uint64_t)s->id * SHARD, SHARD, NULL, NULL, &s->a);
    return NULL;
}

static void serialized(const keel_sim_stats *st, unsigned char *buf, size_t cap, size_t *n)
{
    ck_ok(keel_sim_stats_serialize(st, buf, cap, n));
}

START_TEST(one_simulation_shared_by_threads)
{
    build_fixture();
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 10.0));
    ck_ok(keel_basket_set_collateral(b, 2, 0.2));
    ck_ok(keel_basket_set_debt(b, 1, 17000.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 15;
    p.seed = 42;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, book, market, haircuts, costs, policies[npolicies - 1], &p, &sim));
    ck_ok(keel_sim_set_drift(sim, 0, -0.3));
    ck_ok(keel_sim_set_jumps(sim, 2, 5.0, -0.05, 0.1));

    shard sh[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sh[i] = (shard){ sim, i, NULL, NULL, KEEL_OK };
        ck_assert_int_eq(pthread_create(&t[i], NULL, run_shards, &sh[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++)
        ck_ok(sh[i].status);
    /* merge in a scrambled order: statistics keep path order */
    for (int i = THREADS - 1; i >= 1; i--) {
        ck_ok(keel_sim_stats_merge(sh[0].a, sh[i].b));
        ck_ok(keel_sim_stats_merge(sh[0].a, sh[i].a));
        keel_sim_stats_free(sh[i].a);
        keel_sim_stats_free(sh[i].b);
    }
    ck_ok(keel_sim_stats_merge(sh[0].a, sh[0].b));
    keel_sim_stats_free(sh[0].b);

    keel_sim_stats *whole;
    ck_ok(keel_sim_run(sim, 0, 2 * THREADS * SHARD, NULL, NULL, &whole));
    keel_sim_summary x = KEEL_SIM_SUMMARY_INIT, w = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(sh[0].a, &x));
    ck_ok(keel_sim_stats_summary(whole, &w));
    ck_assert_uint_eq(w.paths, 2 * THREADS * SHARD);
    ck_assert(w.mean_trades > 0.0);
    ck_assert(memcmp(&x, &w, sizeof x) == 0);
    static unsigned char bx[65536], bw[65536];
    size_t nx, nw;
    serialized(sh[0].a, bx, sizeof bx, &nx);
    serialized(whole, bw, sizeof bw, &nw);
    ck_assert_uint_eq(nx, nw);
    ck_assert(memcmp(bx, bw, nx) == 0);
    keel_sim_stats_free(whole);
    keel_sim_stats_free(sh[0].a);
    keel_sim_free(sim);
    keel_basket_free(b);
    free_fixture();
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

/* The live-handle counter read while other threads create and free
 * handles; keel_set_allocator() from several threads while a handle is
 * alive: always KEEL_E_STATE, nothing installed, no race. */
#define CHURN 400

static atomic_int churning;
static size_t base_live;

static void *churn(void *arg)
{
    (void)arg;
    for (int r = 0; r < CHURN; r++) {
        keel_basket *b = NULL;
        keel_market *m = NULL;
        if (keel_basket_new(&b) != KEEL_OK || keel_market_new(&m) != KEEL_OK)
            return (void *)1;
        keel_basket_set_collateral(b, 0, 1.0);
        keel_market_free(m);
        keel_basket_free(b);
    }
    atomic_fetch_sub(&churning, 1);
    return NULL;
}

static void *refuse_alloc(void *user, size_t size)
{
    (void)user;
    (void)size;
    return NULL;
}

static void *refuse_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    (void)ptr;
    (void)size;
    return NULL;
}

static void refuse_free(void *user, void *ptr)
{
    (void)user;
    (void)ptr;
}

static void *watch(void *arg)
{
    size_t *worst = arg;
    const keel_allocator broken = { refuse_alloc, refuse_realloc, refuse_free, NULL };
    *worst = 0;
    while (atomic_load(&churning) > 0) {
        size_t n = keel_live_handles();
        if (n < base_live || n > base_live + 2 * THREADS)
            *worst = n ? n : SIZE_MAX;
        if (keel_set_allocator(&broken) != KEEL_E_STATE || keel_set_allocator(NULL) != KEEL_E_STATE)
            *worst = SIZE_MAX - 1;
    }
    return NULL;
}

START_TEST(live_handle_counter_across_threads)
{
    keel_market *anchor; /* keeps the counter above 0: set_allocator must refuse */
    ck_ok(keel_market_new(&anchor));
    base_live = keel_live_handles();
    ck_assert_uint_eq(base_live, 1);
    atomic_store(&churning, THREADS);
    pthread_t t[THREADS], w[2];
    size_t worst[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&w[i], NULL, watch, &worst[i]), 0);
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, churn, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        ck_assert_int_eq(pthread_join(t[i], &r), 0);
        ck_assert_msg(r == NULL, "thread %d could not create a handle", i);
    }
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(pthread_join(w[i], NULL), 0);
        ck_assert_msg(worst[i] == 0, "watcher %d saw %zu live handles or an allocator change", i,
                      worst[i]);
    }
    ck_assert_uint_eq(keel_live_handles(), 1);
    /* nothing was installed: handles still come from malloc */
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    keel_basket_free(b);
    keel_market_free(anchor);
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

static Suite *share_suite(void)
{
    Suite *s = suite_create("threads_share");
    TCase *tc = tcase_create("share");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, every_const_handle_kind_shared);
    tcase_add_test(tc, one_simulation_shared_by_threads);
    tcase_add_test(tc, live_handle_counter_across_threads);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(share_suite)
