/* Several threads read one market and one haircut model at once, each
 * valuing its own baskets (metrics, liquidation prices, breakdowns, clones);
 * and several threads run shards of one simulation.
 * Run under ThreadSanitizer in CI (.ci/run) to prove reading functions never
 * write shared state; here it also checks every thread gets the answer a
 * single thread gets. */
#include <pthread.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 300

static keel_market *market;
static keel_haircut_model *haircuts;

typedef struct job {
    int id;
    double hf, price;
    keel_status status;
} job;

static void value_one(int id, double *hf, double *price, keel_status *status)
{
    keel_basket *b = NULL;
    keel_metrics m = KEEL_METRICS_INIT;
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    keel_market *copy = NULL;
    *status = keel_basket_new(&b);
    if (*status != KEEL_OK)
        return;
    keel_basket_set_collateral(b, 0, 10.0 + id);
    keel_basket_set_collateral(b, 2, 0.5);
    keel_basket_set_debt(b, 1, 10000.0 + 1000.0 * id);
    if ((*status = keel_basket_metrics(b, NULL, market, haircuts, &m)) == KEEL_OK &&
        (*status = keel_basket_liquidation_price(b, NULL, market, haircuts, 0, price, NULL)) ==
            KEEL_OK &&
        (*status = keel_haircut_breakdown(haircuts, b, market, 0, &c)) == KEEL_OK &&
        (*status = keel_market_clone(market, &copy)) == KEEL_OK)
        *hf = m.health_factor;
    keel_market_free(copy);
    keel_basket_free(b);
}

static void *worker(void *arg)
{
    job *j = arg;
    for (int r = 0; r < ROUNDS && j->status == KEEL_OK; r++) {
        double hf = 0, price = 0;
        value_one(j->id, &hf, &price, &j->status);
        if (r > 0 && (hf != j->hf || price != j->price))
            j->status = KEEL_E_STATE; /* a different answer: shared state was touched */
        j->hf = hf;
        j->price = price;
    }
    return NULL;
}

START_TEST(concurrent_readers_agree)
{
    ck_ok(keel_market_new(&market));
    ck_ok(keel_market_add_asset(market, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(market, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(market, "WBTC", 60000.0, NULL));
    ck_ok(keel_market_set_volatility(market, 0, 0.8));
    ck_ok(keel_market_set_volatility(market, 2, 0.6));
    ck_ok(keel_market_set_correlation(market, 0, 2, 0.7));
    ck_ok(keel_market_set_depth(market, 0, 1e6));
    ck_ok(keel_haircut_model_new(&haircuts));
    ck_ok(keel_haircut_model_set_asset(haircuts, 0, 0.2, 0.15));
    ck_ok(keel_haircut_model_set_asset(haircuts, 1, 0.1, 0.05));
    ck_ok(keel_haircut_model_set_asset(haircuts, 2, 0.3, 0.25));
    ck_ok(keel_haircut_model_set_volatility_addon(haircuts, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(haircuts, 0.5, 0.3));
    ck_ok(keel_haircut_model_set_portfolio_mode(haircuts, 1));

    job jobs[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){ i, 0, 0, KEEL_OK };
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        ck_assert_msg(jobs[i].status == KEEL_OK, "thread %d: %s", i,
                      keel_status_str(jobs[i].status));
        double hf, price;
        keel_status s;
        value_one(i, &hf, &price, &s); /* the single-threaded answer */
        ck_assert_int_eq(s, KEEL_OK);
        ck_assert(hf == jobs[i].hf && price == jobs[i].price);
    }
    keel_haircut_model_free(haircuts);
    keel_market_free(market);
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

/* Threads running shards of one simulation (a policy that acts, costs, the
 * scan's tables inside) at once: merged, they equal one run. */
typedef struct shard {
    const keel_sim *sim;
    uint64_t first;
    keel_sim_stats *stats;
    keel_status status;
} shard;

static void *run_shard(void *arg)
{
    shard *s = arg;
    s->status = keel_sim_run(s->sim, s->first, 25, NULL, NULL, &s->stats);
    return NULL;
}

START_TEST(simulation_shards_in_threads)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_market_add_asset(m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(m, "USDC", 1.0, NULL));
    ck_ok(keel_market_set_volatility(m, 0, 0.8));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_haircut_model_set_asset(h, 0, 0.2, 0.15));
    ck_ok(keel_cost_model_new(&c));
    ck_ok(keel_cost_model_set_fee(c, 0, 0.001, 0.0));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 10.0));
    ck_ok(keel_basket_set_debt(b, 1, 13000.0));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 1;
    keel_policy *band;
    ck_ok(keel_policy_health_band(&hb, &band));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 20;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, band, &p, &sim));
    shard sh[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sh[i] = (shard){ sim, (uint64_t)(25 * i), NULL, KEEL_OK };
        ck_assert_int_eq(pthread_create(&t[i], NULL, run_shard, &sh[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++)
        ck_ok(sh[i].status);
    for (int i = 1; i < THREADS; i++) {
        ck_ok(keel_sim_stats_merge(sh[0].stats, sh[i].stats));
        keel_sim_stats_free(sh[i].stats);
    }
    keel_sim_stats *whole;
    ck_ok(keel_sim_run(sim, 0, 25 * THREADS, NULL, NULL, &whole));
    keel_sim_summary a = KEEL_SIM_SUMMARY_INIT, w = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(sh[0].stats, &a));
    ck_ok(keel_sim_stats_summary(whole, &w));
    ck_assert(a.mean_trades > 0.0);
    ck_assert(memcmp(&a, &w, sizeof a) == 0);
    keel_sim_stats_free(whole);
    keel_sim_stats_free(sh[0].stats);
    keel_sim_free(sim);
    keel_policy_free(band);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
    ck_assert_uint_eq(keel_live_handles(), 0);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_add_test(tc, concurrent_readers_agree);
    tcase_add_test(tc, simulation_shards_in_threads);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(threads_suite)
