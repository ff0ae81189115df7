/* Review of issue 17 (historical replays): failures found, each with the
 * expected value worked independently (closed forms in the comments), and
 * buffer edge cases meant to run under valgrind (meson test --setup valgrind). */
#include <math.h>
#include <string.h>

#include "testutil.h"

enum { ETH = 0, USDC = 1 };

/* An account with ETH both as collateral (1.1) and as debt (1.0) -- held on
 * net by units -- plus 1,000 USDC collateral; ETH maintenance haircut 0.2
 * (weight 0.8), USDC 0. HF(p) = (0.8 * 1.1 p + 1000) / p = 0.88 + 1000 / p,
 * which FALLS as ETH rises: the adverse extreme is the high, not the low.
 * Close 2000: HF 1.38. High 9000: HF 0.88 + 1/9 = 0.99111 < 1 (liquidatable).
 * Low 1500: HF 1.54667. */
START_TEST(mixed_asset_adverse_extreme_is_the_high)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_market_add_asset(m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(m, "USDC", 1.0, NULL));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_haircut_model_set_asset(h, ETH, 0.25, 0.2));
    ck_ok(keel_haircut_model_set_asset(h, USDC, 0.0, 0.0));
    ck_ok(keel_cost_model_new(&c));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, ETH, 1.1));
    ck_ok(keel_basket_set_debt(b, ETH, 1.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 1000.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *s;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &s));
    static const keel_asset ids[] = { ETH };
    const double close[] = { 2000, 2000 }, low[] = { 2000, 1500 }, high[] = { 2000, 9000 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 2, r.nassets = 1, r.assets = ids;
    r.close = close, r.low = low, r.high = high;
    ck_ok(keel_sim_set_replay(s, &r));
    double health[2], health_low[2];
    keel_sim_event ev[4];
    keel_sim_trace t = KEEL_SIM_TRACE_INIT;
    t.capacity = 2, t.health = health, t.health_low = health_low;
    t.events = ev, t.event_capacity = 4;
    keel_sim_stats *st;
    ck_ok(keel_sim_trace_path(s, 0, &t, &st));
    double min_health;
    ck_ok(keel_sim_stats_percentile(st, KEEL_SIM_MIN_HEALTH, 0.0, &min_health));
    /* "the lowest HF of a path" can never exceed the HF at the step's close
     * before any action (1.38 here: nothing acted) */
    ck_assert_msg(min_health <= 0.88 + 1000.0 / 2000.0,
                  "min_health %.6f is above the close's HF 1.38", min_health);
    ck_assert_msg(health_low[1] <= 0.88 + 1000.0 / 2000.0,
                  "health_low %.6f is above the close's HF 1.38", health_low[1]);
    /* the candle allows HF 0.99111 (ETH at its high): the worst combination
     * the candles allow is liquidatable (sim.h: "the worst combination the
     * candles allow") */
    ck_assert_msg(t.nevents == 1, "no liquidation at the high (HF 0.99111); events %zu",
                  t.nevents);
    keel_sim_stats_free(st);
    keel_sim_free(s);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

/* Buffers at their edges (for valgrind): one event slot for a path with a
 * liquidation and a guard slot after it; capacity one row short; event_size
 * one byte short. */
START_TEST(trace_buffers_at_their_edges)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_market_add_asset(m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(m, "USDC", 1.0, NULL));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_haircut_model_set_asset(h, ETH, 0.25, 0.2));
    ck_ok(keel_cost_model_new(&c));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, ETH, 1.0));
    ck_ok(keel_basket_set_debt(b, USDC, 1200.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *s;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &s));
    static const keel_asset ids[] = { ETH };
    /* two liquidations: HF 0.9667 at 1450 (half repaid), then 500 */
    const double close[] = { 2000, 1450, 500 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 3, r.nassets = 1, r.assets = ids, r.close = close;
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_event ev[2];
    memset(ev, 0xAB, sizeof ev);
    keel_sim_trace t = KEEL_SIM_TRACE_INIT;
    t.events = ev, t.event_capacity = 1;
    ck_status(keel_sim_trace_path(s, 0, &t, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(t.nevents, 2);
    ck_assert_uint_eq(ev[0].step, 1);
    unsigned char guard[sizeof ev[1]];
    memset(guard, 0xAB, sizeof guard);
    ck_assert(memcmp(&ev[1], guard, sizeof guard) == 0);
    /* one row short: nothing written but the counts */
    double hf[3] = { -1, -1, -1 };
    keel_sim_trace t2 = KEEL_SIM_TRACE_INIT;
    t2.capacity = 2, t2.health = hf;
    ck_status(keel_sim_trace_path(s, 0, &t2, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(t2.rows, 3);
    ck_assert(hf[0] == -1 && hf[1] == -1 && hf[2] == -1);
    /* event_size one byte short */
    keel_sim_trace t3 = KEEL_SIM_TRACE_INIT;
    t3.events = ev, t3.event_capacity = 2, t3.event_size = sizeof(keel_sim_event) - 1;
    ck_status(keel_sim_trace_path(s, 0, &t3, NULL), KEEL_E_OUT_OF_RANGE);
    /* window at the edge: start = last row - 1, steps 0 -> one step */
    ck_ok(keel_sim_set_window(s, 1, 0));
    double hf2[2];
    keel_sim_trace t4 = KEEL_SIM_TRACE_INIT;
    t4.capacity = 2, t4.health = hf2;
    ck_ok(keel_sim_trace_path(s, 0, &t4, NULL));
    ck_assert_uint_eq(t4.rows, 2);
    ck_status(keel_sim_set_window(s, 2, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_trace_path(s, 1, &t4, NULL), KEEL_E_OUT_OF_RANGE);
    /* statistics of two windows never merge */
    keel_sim_stats *a, *w;
    ck_ok(keel_sim_run(s, 0, 1, NULL, NULL, &a));
    ck_ok(keel_sim_set_window(s, 0, 1));
    ck_ok(keel_sim_run(s, 0, 1, NULL, NULL, &w));
    ck_status(keel_sim_stats_merge(a, w), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats_free(a);
    keel_sim_stats_free(w);
    /* back to the model: no window */
    ck_ok(keel_sim_set_replay(s, NULL));
    ck_status(keel_sim_set_window(s, 0, 1), KEEL_E_OUT_OF_RANGE);
    keel_sim_free(s);
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

static Suite *review17_suite(void)
{
    Suite *s = suite_create("review17");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, mixed_asset_adverse_extreme_is_the_high);
    tcase_add_test(tc, trace_buffers_at_their_edges);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(review17_suite)
