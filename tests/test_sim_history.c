/* Historical replays (keel_sim_set_replay): intraday extremes, time stamps,
 * windows, volatility models along the path, traces with their event log,
 * per-path values. Every expected number is worked by hand from the rules
 * include/keel/sim.h states (the default liquidator: close factor 50%, all
 * of the debt below HF 0.95, 5% bonus; the health band's repayment in closed
 * form with a free cost model) or from the EWMA / GARCH recursions. */
#include <math.h>
#include <string.h>

#include "testutil.h"

enum { ETH = 0, USDC = 1 };

/* 1 ETH at 2000 (maintenance haircut 0.2: liquidation threshold 0.8)
 * against 1,200 USDC: HF 1.3333 at the start. */
typedef struct fixture {
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    keel_cost_model *c;
} fixture;

static fixture make(void)
{
    fixture f;
    ck_ok(keel_market_new(&f.m));
    ck_ok(keel_market_add_asset(f.m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(f.m, "USDC", 1.0, NULL));
    ck_ok(keel_market_set_volatility(f.m, ETH, 0.8));
    ck_ok(keel_haircut_model_new(&f.h));
    ck_ok(keel_haircut_model_set_asset(f.h, ETH, 0.25, 0.2));
    ck_ok(keel_haircut_model_set_asset(f.h, USDC, 0.1, 0.05));
    ck_ok(keel_basket_new(&f.b));
    ck_ok(keel_basket_set_collateral(f.b, ETH, 1.0));
    ck_ok(keel_basket_set_debt(f.b, USDC, 1200.0));
    ck_ok(keel_cost_model_new(&f.c));
    return f;
}

static void drop(fixture *f)
{
    keel_market_free(f->m);
    keel_basket_free(f->b);
    keel_haircut_model_free(f->h);
    keel_cost_model_free(f->c);
}

static keel_sim *new_sim(const fixture *f, const keel_policy *policy)
{
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 5; /* a replay decides its own length */
    keel_sim *s;
    ck_ok(keel_sim_new(f->b, NULL, f->m, f->h, f->c, policy, &p, &s));
    return s;
}

/* Closes 2000 (start), 1600, 1500 of ETH; step 1's low 1450, step 2's
 * low = its close; days 0, 1 and 3. */
static const keel_asset eth_only[] = { ETH };
static const double closes[] = { 2000, 1600, 1500 };
static const double lows[] = { 1990, 1450, 1500 };
static const double highs[] = { 2010, 1700, 1550 };
static const int64_t stamps[] = { 1619827200, 1619827200 + 86400, 1619827200 + 3 * 86400 };

static keel_sim_replay replay(bool with_low, bool with_time)
{
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 3, r.nassets = 1, r.assets = eth_only, r.close = closes;
    r.low = with_low ? lows : NULL;
    r.high = with_low ? highs : NULL;
    r.time = with_time ? stamps : NULL;
    return r;
}

static keel_sim_summary summary_of(const keel_sim *s)
{
    keel_sim_stats *st;
    ck_ok(keel_sim_run(s, 0, 1, NULL, NULL, &st));
    keel_sim_summary sum = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &sum));
    keel_sim_stats_free(st);
    return sum;
}

START_TEST(closes_alone_never_liquidate_at_hf_one)
{
    /* HF at the closes: 1600 x 0.8 / 1200 = 1.0667, then 1500 x 0.8 / 1200 =
     * 1 exactly: not below 1, no liquidation; the lowest HF is 1. */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    keel_sim_replay r = replay(false, false);
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_summary sum = summary_of(s);
    ck_assert(sum.mean_liquidations == 0.0);
    ck_assert(sum.mean_min_health == 1.0);
    ck_close(sum.mean_final_equity, 1500.0 - 1200.0, 1e-15);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(the_low_liquidates_and_the_trace_shows_it)
{
    /* Step 1's low 1450: HF 1450 x 0.8 / 1200 = 0.96667 >= 0.95, so half
     * the debt (600 USDC) is repaid and 600 x 1.05 / 1450 = 0.43448 ETH
     * seized at the low; the bonus took 0.43448 x 1450 - 600 = 30. At the
     * close 1600 the account holds 0.56552 ETH against 600 USDC: HF
     * 0.56552 x 1600 x 0.8 / 600 = 1.20644. Step 2 (1500, low = close): HF
     * 1.13103, nothing happens. */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    keel_sim_replay r = replay(true, true);
    ck_ok(keel_sim_set_replay(s, &r));
    double seized = 600.0 * 1.05 / 1450.0, left = 1.0 - seized;
    keel_sim_summary sum = summary_of(s);
    ck_assert(sum.mean_liquidations == 1.0);
    ck_close(sum.mean_bonus_lost, 30.0, 1e-12);
    ck_close(sum.mean_min_health, 1450.0 * 0.8 / 1200.0, 1e-15);
    ck_close(sum.mean_final_equity, left * 1500.0 - 600.0, 1e-12);

    double t[3], px[6], vol[6], hf[3], low[3], cv[3], dv[3], eq[3];
    keel_sim_event ev[2];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.time = t, tr.prices = px, tr.volatility = vol, tr.health = hf;
    tr.health_low = low, tr.collateral_value = cv, tr.debt_value = dv, tr.equity = eq;
    tr.events = ev, tr.event_capacity = 2;
    keel_sim_stats *one;
    ck_ok(keel_sim_trace_path(s, 0, &tr, &one));
    ck_assert_uint_eq(tr.rows, 3);
    ck_assert_uint_eq(tr.nevents, 1);
    /* times from the stamps: 0, 1 day, 3 days of a 365-day year */
    ck_assert(t[0] == 0.0);
    ck_close(t[1], 1.0 / 365.0, 1e-15);
    ck_close(t[2], 3.0 / 365.0, 1e-15);
    ck_assert(px[0] == 2000.0 && px[2] == 1600.0 && px[4] == 1500.0); /* the closes */
    ck_assert(px[1] == 1.0 && px[3] == 1.0);
    ck_assert(vol[0] == 0.8 && vol[4] == 0.8); /* constant */
    ck_close(hf[0], 2000.0 * 0.8 / 1200.0, 1e-15);
    ck_close(low[0], hf[0], 0.0);
    ck_close(low[1], 1450.0 * 0.8 / 1200.0, 1e-15);
    ck_close(hf[1], left * 1600.0 * 0.8 / 600.0, 1e-14);
    ck_close(hf[2], left * 1500.0 * 0.8 / 600.0, 1e-14);
    ck_close(low[2], hf[2], 1e-15);
    ck_close(cv[1], left * 1600.0, 1e-14);
    ck_close(dv[1], 600.0, 1e-14);
    ck_close(eq[2], left * 1500.0 - 600.0, 1e-12);
    const keel_sim_event *e = &ev[0];
    ck_assert_uint_eq(e->step, 1);
    ck_assert_int_eq(e->kind, KEEL_SIM_EVENT_LIQUIDATION);
    ck_assert_int_eq(e->status, KEEL_OK);
    ck_assert_int_eq(e->action.type, KEEL_ACTION_SELL_TO_REPAY);
    ck_assert_uint_eq(e->action.asset, ETH);
    ck_close(e->action.quantity, seized, 1e-15);
    ck_assert_uint_eq(e->action.debt_asset, USDC);
    ck_close(e->action.repaid, 600.0, 1e-15);
    ck_assert_uint_eq(e->action.to_asset, KEEL_ASSET_INVALID);
    ck_close(e->value_seized, 630.0, 1e-14);
    ck_close(e->value_repaid, 600.0, 1e-14);
    ck_close(e->bonus_lost, 30.0, 1e-12);
    ck_close(e->health_before, 1450.0 * 0.8 / 1200.0, 1e-15);
    ck_close(e->health_after, left * 1450.0 * 0.8 / 600.0, 1e-14);

    /* the trace's record is the run's, bit for bit */
    keel_sim_summary a = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(one, &a));
    ck_assert(memcmp(&a, &sum, sizeof a) == 0);
    keel_sim_stats_free(one);

    /* too little room: rows reported before the run, events after it */
    keel_sim_trace small = tr;
    small.capacity = 2;
    ck_status(keel_sim_trace_path(s, 0, &small, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(small.rows, 3);
    small = tr, small.event_capacity = 0;
    ck_status(keel_sim_trace_path(s, 0, &small, NULL), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(small.nevents, 1);
    small.events = NULL; /* events only counted */
    ck_ok(keel_sim_trace_path(s, 0, &small, NULL));
    ck_assert_uint_eq(small.nevents, 1);
    /* a path past the replay */
    ck_status(keel_sim_trace_path(s, 1, &tr, NULL), KEEL_E_OUT_OF_RANGE);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(a_debt_asset_is_checked_at_its_high)
{
    /* The same account seen from the other side: 1 ETH collateral, debt in
     * a token T (price 1, replayed) whose step-1 high is 1.25: HF at the
     * adverse extreme 2000 x 0.8 / (1200 x 1.25) = 1.06667 (collateral at
     * its low 2000 = its close); at the high 1.4: 0.95238 -> liquidated,
     * half of the debt (600 T) repaid at 1.4, 600 x 1.4 x 1.05 / 2000 =
     * 0.441 ETH seized. */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    const keel_asset both[] = { ETH, USDC };
    const double c[] = { 2000, 1, 2000, 1 }, lo[] = { 2000, 1, 2000, 0.9 },
                 hi[] = { 2000, 1, 2000, 1.4 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 2, r.nassets = 2, r.assets = both, r.close = c, r.low = lo, r.high = hi;
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_summary sum = summary_of(s);
    ck_assert(sum.mean_liquidations == 1.0);
    ck_close(sum.mean_min_health, 2000.0 * 0.8 / (1200.0 * 1.4), 1e-15);
    double seized = 600.0 * 1.4 * 1.05 / 2000.0;
    ck_close(sum.mean_bonus_lost, seized * 2000.0 - 600.0 * 1.4, 1e-12);
    ck_close(sum.mean_final_equity, (1.0 - seized) * 2000.0 - 600.0, 1e-12);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(two_mixed_assets_take_the_worst_corner)
{
    /* ETH and BTC each held and owed, USDC held: HF = (c_e p_e 0.8 + c_b p_b
     * 0.75 + 3000) / (d_e p_e + d_b p_b) is monotone in each price, so the
     * lowest HF over a step's candles is at one of the four corners of
     * (ETH low/high) x (BTC low/high); the test tries all four. */
    const double ce[] = { 1.1, 2.0, 0.5 }, de[] = { 1.0, 0.5, 1.2 };
    const double cb[] = { 0.05, 0.3, 0.02 }, db[] = { 0.04, 0.01, 0.05 };
    for (int k = 0; k < 3; k++) {
        keel_market *m;
        keel_haircut_model *h;
        keel_cost_model *c;
        keel_basket *b;
        keel_asset eth, btc, usdc;
        ck_ok(keel_market_new(&m));
        ck_ok(keel_market_add_asset(m, "ETH", 2000.0, &eth));
        ck_ok(keel_market_add_asset(m, "BTC", 60000.0, &btc));
        ck_ok(keel_market_add_asset(m, "USDC", 1.0, &usdc));
        ck_ok(keel_haircut_model_new(&h));
        ck_ok(keel_haircut_model_set_asset(h, eth, 0.25, 0.2));
        ck_ok(keel_haircut_model_set_asset(h, btc, 0.3, 0.25));
        ck_ok(keel_haircut_model_set_asset(h, usdc, 0.0, 0.0));
        ck_ok(keel_cost_model_new(&c));
        ck_ok(keel_basket_new(&b));
        ck_ok(keel_basket_set_collateral(b, eth, ce[k]));
        ck_ok(keel_basket_set_debt(b, eth, de[k]));
        ck_ok(keel_basket_set_collateral(b, btc, cb[k]));
        ck_ok(keel_basket_set_debt(b, btc, db[k]));
        ck_ok(keel_basket_set_collateral(b, usdc, 3000.0));
        keel_sim_params p = KEEL_SIM_PARAMS_INIT;
        keel_sim *s;
        ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &s));
        const keel_asset both[] = { eth, btc };
        const double close[] = { 2000, 60000, 2000, 60000 }, low[] = { 2000, 60000, 1500, 50000 },
                     high[] = { 2000, 60000, 2600, 70000 };
        keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
        r.npaths = 1, r.rows = 2, r.nassets = 2, r.assets = both, r.close = close, r.low = low,
        r.high = high;
        ck_ok(keel_sim_set_replay(s, &r));
        double hl[2];
        keel_sim_trace t = KEEL_SIM_TRACE_INIT;
        t.capacity = 2, t.health_low = hl;
        ck_ok(keel_sim_trace_path(s, 0, &t, NULL));
        double worst = INFINITY;
        const double pe[] = { 1500, 2600 }, pb[] = { 50000, 70000 };
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                double hf = (ce[k] * pe[i] * 0.8 + cb[k] * pb[j] * 0.75 + 3000.0 * 1.0) /
                            (de[k] * pe[i] + db[k] * pb[j]);
                worst = fmin(worst, hf);
            }
        ck_close(hl[1], worst, 1e-14);
        keel_sim_free(s);
        keel_basket_free(b);
        keel_cost_model_free(c);
        keel_haircut_model_free(h);
        keel_market_free(m);
    }
}
END_TEST

START_TEST(set_paths_is_a_replay_from_the_market)
{
    /* keel_sim_set_paths' steps follow the market's prices: the same run
     * as a replay whose row 0 is them (origins equal: the stats merge). */
    fixture f = make();
    keel_sim *a = new_sim(&f, NULL), *b = new_sim(&f, NULL);
    const double steps[] = { 1900, 1700, 1450, 1600, 1500 };
    ck_ok(keel_sim_set_paths(a, 1, 1, eth_only, steps));
    const double rows[] = { 2000, 1900, 1700, 1450, 1600, 1500 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 6, r.nassets = 1, r.assets = eth_only, r.close = rows;
    ck_ok(keel_sim_set_replay(b, &r));
    keel_sim_summary sa = summary_of(a), sb = summary_of(b);
    ck_assert(memcmp(&sa, &sb, sizeof sa) == 0);
    ck_assert(sa.mean_liquidations == 1.0); /* 1450: HF 0.96667 */
    keel_sim_stats *x, *y;
    ck_ok(keel_sim_run(a, 0, 1, NULL, NULL, &x));
    ck_ok(keel_sim_set_paths(b, 2, 1, eth_only, (const double[]){ 1, 1, 1, 1, 1, 2, 2, 2, 2, 2 }));
    ck_ok(keel_sim_set_paths(b, 1, 1, eth_only, steps));
    ck_ok(keel_sim_run(b, 0, 1, NULL, NULL, &y));
    ck_status(keel_sim_stats_merge(x, y), KEEL_E_OUT_OF_RANGE); /* same path twice: same origin */
    keel_sim_stats_free(x);
    keel_sim_stats_free(y);
    /* NULL goes back to the model and its five steps */
    ck_ok(keel_sim_set_replay(b, NULL));
    ck_status(keel_sim_set_window(b, 0, 1), KEEL_E_OUT_OF_RANGE);
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    ck_ok(keel_sim_trace_path(b, 7, &tr, NULL));
    ck_assert_uint_eq(tr.rows, 6);
    keel_sim_free(a);
    keel_sim_free(b);
    drop(&f);
}
END_TEST

START_TEST(ewma_follows_the_replay_with_its_gaps)
{
    /* EWMA lambda 0.94 on ETH, daily period, initial variance 0: the market's
     * 0.8^2 / 365 a day. Step 1 lasts one day: r1 = log(1600/2000); step 2
     * two days: its return is scaled by sqrt(1/2). The volatility each row
     * shows is sqrt(variance x 365). */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    keel_sim_replay r = replay(false, true);
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    v.kind = KEEL_SIM_VOL_EWMA;
    ck_ok(keel_sim_set_volatility(s, ETH, &v));
    double v0 = 0.64 / 365.0, r1 = log(0.8), r2 = log(1500.0 / 1600.0) * sqrt(0.5);
    double v1 = 0.94 * v0 + 0.06 * r1 * r1, v2 = 0.94 * v1 + 0.06 * r2 * r2;
    double vol[6];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.volatility = vol;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_close(vol[0], 0.8, 1e-15);
    ck_close(vol[2], sqrt(v1 * 365.0), 1e-14);
    ck_close(vol[4], sqrt(v2 * 365.0), 1e-14);
    ck_assert(vol[1] == 0.0 && vol[5] == 0.0); /* USDC has no model */

    /* a window from row 1: the start prices are row 1's, the estimator has
     * absorbed row 1's return already */
    ck_ok(keel_sim_set_window(s, 1, 0));
    double px[4];
    tr.prices = px;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_assert_uint_eq(tr.rows, 2);
    ck_assert(px[0] == 1600.0 && px[2] == 1500.0);
    ck_close(vol[0], sqrt(v1 * 365.0), 1e-14);
    ck_close(vol[2], sqrt(v2 * 365.0), 1e-14);
    /* at HF 1600 x 0.8 / 1200 from the window's start, 1500 leaves HF 1 */
    keel_sim_summary sum = summary_of(s);
    ck_assert(sum.mean_min_health == 1.0);
    /* a window of one step from row 0 */
    ck_ok(keel_sim_set_window(s, 0, 1));
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_assert_uint_eq(tr.rows, 2);
    ck_assert(px[0] == 2000.0 && px[2] == 1600.0);
    /* a new replay resets the window to the whole */
    ck_ok(keel_sim_set_replay(s, &r));
    tr.capacity = 3;
    double vol3[6], px3[6];
    tr.volatility = vol3, tr.prices = px3;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_assert_uint_eq(tr.rows, 3);
    ck_assert(px3[0] == 2000.0);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(options_age_by_the_stamps)
{
    /* A long put (strike 1,800, 30 days) in the book: at row 1 (one day
     * later) it has 29 days left, at row 2 (stamps two days further) 27;
     * equity is 1 ETH - 1,200 USDC + the put at the close, the put valued
     * by Black-Scholes at the market's volatility 0.8 (rate and carry 0). */
    fixture f = make();
    keel_options *o;
    ck_ok(keel_options_new(&o));
    ck_ok(keel_options_add(o, ETH, KEEL_PUT, 1800.0, 30.0 / 365.0, 1.0, NULL));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *s;
    ck_ok(keel_sim_new(f.b, o, f.m, f.h, f.c, NULL, &p, &s));
    keel_sim_replay r = replay(false, true);
    ck_ok(keel_sim_set_replay(s, &r));
    double eq[3];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.equity = eq;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    keel_greeks g0 = KEEL_GREEKS_INIT, g1 = KEEL_GREEKS_INIT, g2 = KEEL_GREEKS_INIT;
    ck_ok(keel_black_scholes(KEEL_PUT, 2000.0, 1800.0, 30.0 / 365.0, 0.0, 0.0, 0.8, &g0));
    ck_ok(keel_black_scholes(KEEL_PUT, 1600.0, 1800.0, 29.0 / 365.0, 0.0, 0.0, 0.8, &g1));
    ck_ok(keel_black_scholes(KEEL_PUT, 1500.0, 1800.0, 27.0 / 365.0, 0.0, 0.0, 0.8, &g2));
    ck_close(eq[0], 2000.0 - 1200.0 + g0.value, 1e-12);
    ck_close(eq[1], 1600.0 - 1200.0 + g1.value, 1e-12);
    ck_close(eq[2], 1500.0 - 1200.0 + g2.value, 1e-12);
    keel_sim_free(s);
    keel_options_free(o);
    drop(&f);
}
END_TEST

START_TEST(garch_filter_on_a_replay)
{
    /* GARCH omega 1e-5, alpha 0.1, beta 0.85, daily; no initial variance:
     * the long-run 1e-5 / 0.05 = 2e-4. No time stamps: each step is the
     * parameters' dt (1/365 = the period): returns are not scaled. */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    keel_sim_replay r = replay(false, false);
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    v.kind = KEEL_SIM_VOL_GARCH, v.omega = 1e-5, v.alpha = 0.1, v.beta = 0.85;
    ck_ok(keel_sim_set_volatility(s, ETH, &v));
    double h0 = 2e-4, r1 = log(0.8), r2 = log(1500.0 / 1600.0);
    double h1 = 1e-5 + 0.1 * r1 * r1 + 0.85 * h0, h2 = 1e-5 + 0.1 * r2 * r2 + 0.85 * h1;
    double vol[6];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.volatility = vol;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_close(vol[0], sqrt(h0 * 365.0), 1e-15);
    ck_close(vol[2], sqrt(h1 * 365.0), 1e-14);
    ck_close(vol[4], sqrt(h2 * 365.0), 1e-14);
    /* back to constant: the market's 0.8 again */
    keel_sim_volatility c = KEEL_SIM_VOLATILITY_INIT;
    ck_ok(keel_sim_set_volatility(s, ETH, &c));
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_assert(vol[4] == 0.8);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(garch_drives_monte_carlo_paths)
{
    /* A GARCH that drives ETH (market volatility 0, so only the GARCH moves
     * it): each step's log return is -h/2 + sqrt(h) z with h the filter's
     * variance before the step (dt = period). The trace gives prices and
     * the published volatility, so the test recomputes h by the recursion
     * from the returns and checks (a) that the published volatility is
     * that recursion and (b) that z = (r + h/2) / sqrt(h) is standard
     * normal over 400 paths x 25 steps (mean within 4 se, variance within
     * 4 se of 1). */
    fixture f = make();
    ck_ok(keel_market_set_volatility(f.m, ETH, 0.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 25;
    keel_sim *s;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &s));
    keel_sim_volatility v = KEEL_SIM_VOLATILITY_INIT;
    v.kind = KEEL_SIM_VOL_GARCH, v.omega = 2e-5, v.alpha = 0.12, v.beta = 0.83, v.drives = 1;
    ck_ok(keel_sim_set_volatility(s, ETH, &v));
    double px[26 * 2], vol[26 * 2];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 26, tr.prices = px, tr.volatility = vol;
    double sum = 0.0, sum2 = 0.0;
    int n = 0;
    for (uint64_t path = 0; path < 400; path++) {
        ck_ok(keel_sim_trace_path(s, path, &tr, NULL));
        double h = 2e-5 / (1.0 - 0.12 - 0.83);
        ck_close(vol[0], sqrt(h * 365.0), 1e-14);
        for (int k = 1; k <= 25; k++) {
            double ret = log(px[2 * k] / px[2 * k - 2]);
            double z = (ret + 0.5 * h) / sqrt(h);
            sum += z, sum2 += z * z, n++;
            h = 2e-5 + 0.12 * ret * ret + 0.83 * h;
            ck_close(vol[2 * k], sqrt(h * 365.0), 1e-12);
        }
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    ck_assert_msg(fabs(mean) < 4.0 / sqrt(n), "mean of z %g", mean);
    ck_assert_msg(fabs(var - 1.0) < 4.0 * sqrt(2.0 / n), "variance of z %g", var);
    /* estimating only (drives 0): ETH does not move at all */
    v.drives = 0;
    ck_ok(keel_sim_set_volatility(s, ETH, &v));
    ck_ok(keel_sim_trace_path(s, 3, &tr, NULL));
    ck_assert(px[50] == 2000.0);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(health_band_events_in_closed_form)
{
    /* A health band (repay below 1.25 to 1.5, free costs) sees the close of
     * step 1 (1600: HF 1.0667 < 1.25) and sells x ETH to repay x 1600 USDC
     * so that (1 - x) 1600 x 0.8 / (1200 - 1600 x) = 1.5:
     * x = (1.5 x 1200 - 1280) / (1600 x (1.5 - 0.8)) = 520 / 1120. */
    fixture f = make();
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.25, hb.repay_to = 1.5, hb.boost_to = 1.5, hb.boost_above = INFINITY;
    hb.debt_asset = USDC;
    keel_policy *pol;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_sim *s = new_sim(&f, pol);
    keel_sim_replay r = replay(false, false);
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_event ev[4];
    double hf[3];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.health = hf, tr.events = ev, tr.event_capacity = 4;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    double x = 520.0 / 1120.0;
    ck_assert_uint_eq(tr.nevents, 1);
    ck_assert_int_eq(ev[0].kind, KEEL_SIM_EVENT_REBALANCE);
    ck_assert_uint_eq(ev[0].step, 1);
    ck_assert_uint_eq(ev[0].action.asset, ETH);
    ck_close(ev[0].action.quantity, x, 1e-12);
    ck_close(ev[0].action.repaid, 1600.0 * x, 1e-12);
    ck_close(ev[0].health_before, 1600.0 * 0.8 / 1200.0, 1e-15);
    ck_close(ev[0].health_after, 1.5, 1e-12);
    ck_close(hf[1], 1.5, 1e-12);
    /* step 2: 1500 gives (1 - x) 1500 x 0.8 / (1200 - 1600 x) = 1.40625 >= 1.25 */
    ck_close(hf[2], (1.0 - x) * 1500.0 * 0.8 / (1200.0 - 1600.0 * x), 1e-12);
    keel_policy_free(pol);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(policy_failures_are_events)
{
    /* A health band told to repay asset 7, which the market lacks, fails at
     * every turn below its trigger: each failure is an event with the
     * policy's status, the path goes on. */
    fixture f = make();
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.repay_below = 1.25, hb.repay_to = 1.5, hb.boost_to = 1.5, hb.boost_above = INFINITY;
    hb.debt_asset = 7;
    keel_policy *pol;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_sim *s = new_sim(&f, pol);
    keel_sim_replay r = replay(false, false);
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_event ev[4];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.events = ev, tr.event_capacity = 4;
    keel_sim_stats *st;
    ck_ok(keel_sim_trace_path(s, 0, &tr, &st));
    ck_assert_uint_eq(tr.nevents, 2);
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(ev[k].kind, KEEL_SIM_EVENT_POLICY_FAILURE);
        ck_assert_uint_eq(ev[k].step, (unsigned)k + 1);
        ck_assert_int_eq(ev[k].status, KEEL_E_UNKNOWN_ASSET);
        ck_assert(ev[k].health_after == ev[k].health_before);
    }
    keel_sim_summary sum = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &sum));
    ck_assert_uint_eq(sum.policy_failures, 2);
    keel_sim_stats_free(st);
    keel_policy_free(pol);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(values_are_the_per_path_records)
{
    /* Three replayed paths with known final equity: 1 ETH x the last close
     * less 1,200 (no liquidation on any: HF >= 1 at every close). */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    const double c[] = { 2000, 1800, 1700, 2000, 2100, 2200, 2000, 1500, 1600 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 3, r.rows = 3, r.nassets = 1, r.assets = eth_only, r.close = c;
    ck_ok(keel_sim_set_replay(s, &r));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(s, 1, 2, NULL, NULL, &st));
    size_t n = 0;
    ck_ok(keel_sim_stats_values(st, KEEL_SIM_FINAL_EQUITY, NULL, NULL, 0, &n));
    ck_assert_uint_eq(n, 2);
    uint64_t paths[2];
    double eq[2];
    ck_ok(keel_sim_stats_values(st, KEEL_SIM_FINAL_EQUITY, paths, eq, 2, &n));
    ck_assert(paths[0] == 1 && paths[1] == 2);
    ck_close(eq[0], 2200.0 - 1200.0, 1e-15);
    ck_close(eq[1], 1600.0 - 1200.0, 1e-15);
    double mh[2];
    ck_ok(keel_sim_stats_values(st, KEEL_SIM_MIN_HEALTH, NULL, mh, 2, &n));
    ck_close(mh[0], 2100.0 * 0.8 / 1200.0, 1e-15);
    ck_close(mh[1], 1.0, 1e-15);
    /* the trace of path 2 holds the same record */
    keel_sim_stats *one;
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    ck_ok(keel_sim_trace_path(s, 2, &tr, &one));
    double v;
    ck_ok(keel_sim_stats_values(one, KEEL_SIM_FINAL_EQUITY, NULL, &v, 1, &n));
    ck_assert(v == eq[1]);
    keel_sim_stats_free(one);
    keel_sim_stats_free(st);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

START_TEST(bad_replays_change_nothing)
{
    /* Each refusal leaves the replay set before: the run still gives its numbers. */
    fixture f = make();
    keel_sim *s = new_sim(&f, NULL);
    keel_sim_replay good = replay(true, true);
    ck_ok(keel_sim_set_replay(s, &good));
    keel_sim_summary before = summary_of(s);
    double lo[3] = { 1990, 1650, 1500 }; /* step 1's low above its close */
    keel_sim_replay r = good;
    r.low = lo;
    ck_status(keel_sim_set_replay(s, &r), KEEL_E_OUT_OF_RANGE);
    ck_assert(strstr(keel_last_error(), "row 1") != NULL);
    double c[3] = { 2000, NAN, 1500 };
    r = good, r.close = c, r.low = NULL, r.high = NULL;
    ck_status(keel_sim_set_replay(s, &r), KEEL_E_NOT_FINITE);
    const int64_t back[] = { 10, 5, 20 };
    r = good, r.time = back;
    ck_status(keel_sim_set_replay(s, &r), KEEL_E_OUT_OF_RANGE);
    ck_assert(strstr(keel_last_error(), "increase") != NULL);
    ck_status(keel_sim_set_window(s, 2, 1), KEEL_E_OUT_OF_RANGE);
    keel_sim_volatility v;
    ck_ok(keel_sim_volatility_init(&v, sizeof v));
    ck_assert(v.kind == KEEL_SIM_VOL_CONSTANT && v.lambda == 0.94 && v.period == 1.0 / 365.0);
    v.kind = KEEL_SIM_VOL_GARCH, v.omega = 1e-5, v.alpha = 0.5, v.beta = 0.5;
    ck_status(keel_sim_set_volatility(s, ETH, &v), KEEL_E_OUT_OF_RANGE);
    keel_sim_summary after = summary_of(s);
    ck_assert(memcmp(&before, &after, sizeof before) == 0);
    /* stamps across the whole int64 range: increasing, so accepted, and
     * their differences (up to 2^64 - 1 s) taken without overflow */
    const int64_t wide[] = { INT64_MIN, 0, INT64_MAX };
    r = good, r.time = wide;
    ck_ok(keel_sim_set_replay(s, &r));
    double t[3];
    keel_sim_trace tr = KEEL_SIM_TRACE_INIT;
    tr.capacity = 3, tr.time = t;
    ck_ok(keel_sim_trace_path(s, 0, &tr, NULL));
    ck_close(t[1], 9223372036854775808.0 / 31536000.0, 1e-15);
    ck_close(t[2], 18446744073709551615.0 / 31536000.0, 1e-15);
    keel_sim_free(s);
    drop(&f);
}
END_TEST

static Suite *sim_history_suite(void)
{
    Suite *s = suite_create("sim_history");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, closes_alone_never_liquidate_at_hf_one);
    tcase_add_test(tc, the_low_liquidates_and_the_trace_shows_it);
    tcase_add_test(tc, a_debt_asset_is_checked_at_its_high);
    tcase_add_test(tc, two_mixed_assets_take_the_worst_corner);
    tcase_add_test(tc, set_paths_is_a_replay_from_the_market);
    tcase_add_test(tc, ewma_follows_the_replay_with_its_gaps);
    tcase_add_test(tc, options_age_by_the_stamps);
    tcase_add_test(tc, garch_filter_on_a_replay);
    tcase_add_test(tc, garch_drives_monte_carlo_paths);
    tcase_add_test(tc, health_band_events_in_closed_form);
    tcase_add_test(tc, policy_failures_are_events);
    tcase_add_test(tc, values_are_the_per_path_records);
    tcase_add_test(tc, bad_replays_change_nothing);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(sim_history_suite)
