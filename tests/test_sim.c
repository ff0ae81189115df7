/* Scale: the batch scan equals keel_basket_metrics account by account (bit
 * for bit), top-k equals a full sort, the liquidations-at-risk curve equals
 * valuing every account at shocked prices, stress tests equal repricing by
 * hand; and the simulation's statistics (sim tests below). */
#include <stdint.h>

#include "testutil.h"

enum { NASSETS = 8 };

static keel_market *mk;
static keel_haircut_model *hc;

static void setup(void)
{
    ck_ok(keel_market_new(&mk));
    const double prices[NASSETS] = { 2000, 1, 60000, 1, 150, 0.5, 12, 1.001 };
    const double vols[NASSETS] = { 0.8, 0, 0.6, 0, 1.1, 0.9, 1.2, 0.01 };
    for (int a = 0; a < NASSETS; a++) {
        char sym[8];
        snprintf(sym, sizeof sym, "A%d", a);
        ck_ok(keel_market_add_asset(mk, sym, prices[a], NULL));
        ck_ok(keel_market_set_volatility(mk, (keel_asset)a, vols[a]));
    }
    ck_ok(keel_haircut_model_new(&hc));
    for (int a = 0; a < NASSETS - 1; a++) /* the last asset has no schedule */
        ck_ok(keel_haircut_model_set_asset(hc, (keel_asset)a, 0.1 + 0.05 * a, 0.05 + 0.05 * a));
    ck_ok(keel_haircut_model_set_borrow_factor(hc, 4, 1.2));
    ck_ok(keel_haircut_model_set_cap(hc, 6, 0.3));
}

static void teardown(void)
{
    keel_haircut_model_free(hc);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

/* A reproducible generator for test data (xorshift64*). */
static uint64_t rng_state = 88172645463325252ull;
static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}

typedef struct accounts {
    size_t n, *off;
    keel_asset *asset;
    double *q, *d;
} accounts;

static void make_accounts(accounts *a, size_t n)
{
    a->n = n;
    a->off = malloc((n + 1) * sizeof *a->off);
    a->asset = malloc(n * NASSETS * sizeof *a->asset);
    a->q = malloc(n * NASSETS * sizeof *a->q);
    a->d = malloc(n * NASSETS * sizeof *a->d);
    const double prices[NASSETS] = { 2000, 1, 60000, 1, 150, 0.5, 12, 1.001 };
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        a->off[i] = k;
        double lv = 0.0; /* about the liquidation value, to size a debt with HF 1.05 to 2.55 */
        size_t usdc = 0;
        for (keel_asset s = 0; s < NASSETS; s++) {
            if (s != 1 && uniform() < 0.5)
                continue;
            a->asset[k] = s;
            a->q[k] = s != 1 && uniform() < 0.8 ? uniform() * 1e5 / prices[s] : 0.0;
            a->d[k] = s != 1 && uniform() < 0.05 ? uniform() * 1e3 / prices[s] : 0.0;
            if (s == 1)
                usdc = k;
            else if (s < NASSETS - 1)
                lv += a->q[k] * prices[s] * (0.95 - 0.05 * s);
            k++;
        }
        a->d[usdc] = lv / (1.05 + 1.5 * uniform());
    }
    a->off[n] = k;
}

static void free_accounts(accounts *a)
{
    free(a->off);
    free(a->asset);
    free(a->q);
    free(a->d);
}

static keel_metrics account_metrics(const accounts *a, size_t i, const keel_market *m)
{
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    for (size_t k = a->off[i]; k < a->off[i + 1]; k++) {
        ck_ok(keel_basket_set_collateral(b, a->asset[k], a->q[k]));
        ck_ok(keel_basket_set_debt(b, a->asset[k], a->d[k]));
    }
    keel_metrics met = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, m, hc, &met));
    keel_basket_free(b);
    return met;
}

static void scan_equals_metrics(void)
{
    accounts a;
    make_accounts(&a, 3000);
    double *hf = malloc(a.n * sizeof *hf);
    ck_ok(keel_scan(mk, hc, a.n, a.off, a.asset, a.q, a.d, hf));
    for (size_t i = 0; i < a.n; i++) {
        double want = account_metrics(&a, i, mk).health_factor;
        ck_assert_msg(memcmp(&hf[i], &want, sizeof want) == 0, "account %zu: %.17g vs %.17g", i,
                      hf[i], want);
    }
    /* a shard: offsets + first, count */
    double part[100];
    ck_ok(keel_scan(mk, hc, 100, a.off + 1234, a.asset, a.q, a.d, part));
    ck_assert(memcmp(part, hf + 1234, sizeof part) == 0);
    free(hf);
    free_accounts(&a);
}

START_TEST(scan_equals_metrics_linear)
{
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0)); /* still linear */
    scan_equals_metrics();
}
END_TEST

START_TEST(scan_equals_metrics_size_dependent)
{
    ck_ok(keel_market_set_depth(mk, 0, 5e6));
    ck_ok(keel_market_set_depth(mk, 2, 2e7));
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.5, 0.3));
    ck_ok(keel_haircut_model_set_concentration(hc, 2, 0.4, 0.2));
    scan_equals_metrics();
}
END_TEST

/* One valuation kernel (lib/risk/kernel.h): on random accounts the scan,
 * keel_basket_metrics and a one-step simulation replaying today's prices
 * give the same bits -- the health factor, and from the simulation also
 * C - D and W / BP, which the simulation's per-asset table computes on its
 * own path. Linear haircuts (the table paths) and size-dependent ones (the
 * engine) alike. */
static keel_sim_summary summary(const keel_sim_stats *st);

static void one_kernel(void)
{
    accounts a;
    make_accounts(&a, 400);
    double *hf = malloc(a.n * sizeof *hf);
    ck_ok(keel_scan(mk, hc, a.n, a.off, a.asset, a.q, a.d, hf));
    keel_asset ids[NASSETS];
    double today[NASSETS];
    for (keel_asset s = 0; s < NASSETS; s++) {
        ids[s] = s;
        ck_ok(keel_market_price(mk, s, &today[s]));
    }
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 1;
    size_t liquidatable = 0;
    for (size_t i = 0; i < a.n; i++) {
        keel_basket *b;
        ck_ok(keel_basket_new(&b));
        for (size_t k = a.off[i]; k < a.off[i + 1]; k++) {
            ck_ok(keel_basket_set_collateral(b, a.asset[k], a.q[k]));
            ck_ok(keel_basket_set_debt(b, a.asset[k], a.d[k]));
        }
        keel_metrics m = KEEL_METRICS_INIT;
        ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m));
        keel_sim *sim;
        ck_ok(keel_sim_new(b, NULL, mk, hc, c, NULL, &p, &sim));
        ck_ok(keel_sim_set_paths(sim, 1, NASSETS, ids, today));
        keel_sim_stats *st;
        ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
        keel_sim_summary sum = summary(st);
        double min_health, equity = m.collateral_value - m.debt_value;
        ck_ok(keel_sim_stats_percentile(st, KEEL_SIM_MIN_HEALTH, 0.5, &min_health));
        ck_assert_msg(memcmp(&hf[i], &m.health_factor, sizeof hf[i]) == 0,
                      "account %zu: scan %.17g, metrics %.17g", i, hf[i], m.health_factor);
        ck_assert_msg(memcmp(&min_health, &m.health_factor, sizeof hf[i]) == 0,
                      "account %zu: simulation %.17g, metrics %.17g", i, min_health,
                      m.health_factor);
        if (m.health_factor >= 1.0) { /* no liquidation: the step leaves the account as it is */
            ck_assert(memcmp(&sum.mean_final_equity, &equity, sizeof equity) == 0);
            ck_assert(memcmp(&sum.mean_capital_efficiency, &m.capital_efficiency,
                             sizeof equity) == 0);
        } else {
            liquidatable++;
        }
        keel_sim_stats_free(st);
        keel_sim_free(sim);
        keel_basket_free(b);
    }
    ck_assert_uint_lt(liquidatable, a.n); /* both branches ran */
    keel_cost_model_free(c);
    free(hf);
    free_accounts(&a);
}

START_TEST(one_kernel_linear)
{
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    one_kernel();
}
END_TEST

START_TEST(one_kernel_size_dependent)
{
    ck_ok(keel_market_set_depth(mk, 0, 5e6));
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.5, 0.3));
    ck_ok(keel_haircut_model_set_concentration(hc, 2, 0.4, 0.2));
    one_kernel();
}
END_TEST

static int by_health(const void *x, const void *y)
{
    const double *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : (a[1] > b[1]);
}

START_TEST(top_k_equals_full_sort)
{
    accounts a;
    make_accounts(&a, 5000);
    double *hf = malloc(a.n * sizeof *hf), *pairs = malloc(2 * a.n * sizeof *pairs);
    ck_ok(keel_scan(mk, hc, a.n, a.off, a.asset, a.q, a.d, hf));
    for (size_t i = 0; i < a.n; i++)
        pairs[2 * i] = hf[i], pairs[2 * i + 1] = (double)i;
    qsort(pairs, a.n, 2 * sizeof *pairs, by_health);
    size_t idx[50], found;
    double top[50];
    ck_ok(keel_scan_top_k(mk, hc, a.n, a.off, a.asset, a.q, a.d, 50, idx, top, &found));
    ck_assert_uint_eq(found, 50);
    for (size_t j = 0; j < 50; j++) {
        ck_assert_uint_eq(idx[j], (size_t)pairs[2 * j + 1]);
        ck_assert(top[j] == pairs[2 * j]);
    }
    /* k above the count: all of them */
    ck_ok(keel_scan_top_k(mk, hc, 7, a.off, a.asset, a.q, a.d, 50, idx, top, &found));
    ck_assert_uint_eq(found, 7);
    for (size_t j = 1; j < 7; j++)
        ck_assert(top[j - 1] <= top[j]);
    ck_status(keel_scan_top_k(mk, hc, 7, a.off, a.asset, a.q, a.d, 0, idx, top, &found),
              KEEL_E_OUT_OF_RANGE);
    free(hf);
    free(pairs);
    free_accounts(&a);
}
END_TEST

START_TEST(liquidations_at_risk_by_repricing)
{
    accounts a;
    make_accounts(&a, 1500);
    const double shocks[] = { 0.0, -0.1, -0.2, -0.3, -0.5, -0.7 };
    double curve[6];
    ck_ok(keel_liquidations_at_risk(mk, hc, a.n, a.off, a.asset, a.q, a.d, 6, shocks, curve));
    for (int s = 0; s < 6; s++) {
        keel_market *shocked;
        ck_ok(keel_market_clone(mk, &shocked));
        for (keel_asset x = 0; x < NASSETS; x++) {
            double p, v;
            ck_ok(keel_market_price(mk, x, &p));
            ck_ok(keel_market_volatility(mk, x, &v));
            if (v > 0.0)
                ck_ok(keel_market_set_price(shocked, x, p * (1.0 + shocks[s])));
        }
        double want = 0.0;
        for (size_t i = 0; i < a.n; i++) {
            keel_metrics m = account_metrics(&a, i, shocked);
            if (m.health_factor < 1.0)
                want += m.collateral_value;
        }
        ck_assert_msg(curve[s] == want, "shock %g: %.17g vs %.17g", shocks[s], curve[s], want);
        keel_market_free(shocked);
    }
    ck_assert_msg(curve[5] > curve[1], "%g %g %g %g %g %g", curve[0], curve[1], curve[2], curve[3], curve[4], curve[5]);
    const double bad[] = { -1.0 };
    ck_status(keel_liquidations_at_risk(mk, hc, a.n, a.off, a.asset, a.q, a.d, 1, bad, curve),
              KEEL_E_OUT_OF_RANGE);
    free_accounts(&a);
}
END_TEST

START_TEST(stress_by_repricing)
{
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 10.0));
    ck_ok(keel_basket_set_collateral(b, 2, 0.5));
    ck_ok(keel_basket_set_debt(b, 1, 30000.0));
    const keel_asset assets[] = { 0, 2 };
    const double shocks[] = { 0.0, 0.0, -0.2, -0.1, -0.5, 0.3 };
    keel_metrics out[3];
    for (int s = 0; s < 3; s++)
        out[s] = (keel_metrics)KEEL_METRICS_INIT;
    ck_ok(keel_stress(b, NULL, mk, hc, 3, 2, assets, shocks, out));
    /* ETH h_maint 0.05, WBTC 0.15: L = 10 x 2000 (1 + s0) 0.95 + 0.5 x 60000 (1 + s1) 0.85 */
    for (int s = 0; s < 3; s++) {
        double l = 10 * 2000 * (1 + shocks[2 * s]) * 0.95 + 0.5 * 60000 * (1 + shocks[2 * s + 1]) * 0.85;
        ck_close(out[s].health_factor, l / 30000.0, 1e-14);
    }
    const double worse[] = { -1.5, 0.0 };
    ck_status(keel_stress(b, NULL, mk, hc, 1, 2, assets, worse, out), KEEL_E_OUT_OF_RANGE);
    const keel_asset twice[] = { 0, 0 };
    ck_status(keel_stress(b, NULL, mk, hc, 1, 2, twice, shocks, out), KEEL_E_OUT_OF_RANGE);
    /* a shock beyond double range is an overflow named after the call made
     * (it named keel_market_set_price) */
    const double huge[] = { 1e306, 0.0 };
    ck_status(keel_stress(b, NULL, mk, hc, 1, 2, assets, huge, out), KEEL_E_OVERFLOW);
    ck_assert_msg(strncmp(keel_last_error(), "keel_stress:", 12) == 0, "%s", keel_last_error());
    keel_basket_free(b);
}
END_TEST

START_TEST(scan_rejects_bad_rows)
{
    size_t off[] = { 0, 2, 3 };
    keel_asset as[] = { 0, 2, 1 };
    double q[] = { 1, 2, 3 }, d[] = { 0, 0, 100 }, hf[2] = { -1, -1 };
    ck_ok(keel_scan(mk, hc, 2, off, as, q, d, hf));
    as[1] = 0; /* not increasing */
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_OUT_OF_RANGE);
    ck_assert_msg(strstr(keel_last_error(), "account 0") != NULL, "%s", keel_last_error());
    as[1] = 2;
    as[2] = 99;
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_UNKNOWN_ASSET);
    as[2] = 1;
    q[2] = NAN;
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_NOT_FINITE);
    q[2] = -3;
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_OUT_OF_RANGE);
    q[2] = 3;
    off[1] = 4; /* decreasing to 3 */
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_OUT_OF_RANGE);
    off[1] = 2;
    d[0] = 1e308;
    q[0] = 1e308;
    ck_status(keel_scan(mk, hc, 2, off, as, q, d, hf), KEEL_E_OVERFLOW);
    ck_status(keel_scan(mk, hc, 2, NULL, as, q, d, hf), KEEL_E_NULL_ARG);
    ck_status(keel_scan((keel_market *)(void *)hc, hc, 2, off, as, q, d, hf), KEEL_E_BAD_HANDLE);
    /* Issue 13: offsets [2^40, 2^40 + 1, 2] made the scan read account 0's
     * positions 2^40 past the arrays before it met the decrease. The whole
     * offsets array is checked first, in every scan (valgrind and ASan see no
     * read of the positions). */
    size_t far[] = { (size_t)1 << 40, ((size_t)1 << 40) + 1, 2 };
    double hfar[2] = { -1, -1 };
    ck_status(keel_scan(mk, hc, 2, far, as, q, d, hfar), KEEL_E_OUT_OF_RANGE);
    ck_assert(hfar[0] == -1.0);
    size_t idx[2], found = 0;
    ck_status(keel_scan_top_k(mk, hc, 2, far, as, q, d, 2, idx, hfar, &found), KEEL_E_OUT_OF_RANGE);
    const double shock = 0.0;
    double at_risk = -1.0;
    ck_status(keel_liquidations_at_risk(mk, hc, 2, far, as, q, d, 1, &shock, &at_risk),
              KEEL_E_OUT_OF_RANGE);
}
END_TEST


/* ---- simulation ---- */

enum { ETH, USDC };

typedef struct sim_fx {
    keel_market *m;
    keel_haircut_model *h;
    keel_cost_model *c;
    keel_basket *b;
} sim_fx;

/* 10 ETH (vol 0.8, h_maint 0.2) against `debt` USDC. */
static void sim_fx_make(sim_fx *f, double debt)
{
    ck_ok(keel_market_new(&f->m));
    ck_ok(keel_market_add_asset(f->m, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(f->m, "USDC", 1.0, NULL));
    ck_ok(keel_market_set_volatility(f->m, ETH, 0.8));
    ck_ok(keel_haircut_model_new(&f->h));
    ck_ok(keel_haircut_model_set_asset(f->h, ETH, 0.25, 0.2));
    ck_ok(keel_cost_model_new(&f->c));
    ck_ok(keel_basket_new(&f->b));
    ck_ok(keel_basket_set_collateral(f->b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(f->b, USDC, debt));
}

static void sim_fx_free(sim_fx *f)
{
    keel_basket_free(f->b);
    keel_cost_model_free(f->c);
    keel_haircut_model_free(f->h);
    keel_market_free(f->m);
}

static keel_sim_summary summary(const keel_sim_stats *st)
{
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &s));
    return s;
}

START_TEST(one_step_matches_lognormal)
{
    /* HF after one step = HF0 S1 / S0, log(S1 / S0) ~ N(-s^2/2, s^2), s = 0.8 sqrt(dt):
     * P(HF1 < 1) = Phi((-log HF0 + s^2/2) / s) */
    sim_fx f;
    sim_fx_make(&f, 13000.0);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 1;
    p.dt = 30.0 / 365.0;
    p.seed = 2026;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 40000, NULL, NULL, &st));
    keel_sim_summary sm = summary(st);
    double sd = 0.8 * sqrt(p.dt), x = log(16000.0 / 13000.0);
    double want = 0.5 * erfc((x - 0.5 * sd * sd) / sd / sqrt(2.0));
    double se = sqrt(want * (1 - want) / 40000.0);
    ck_assert_msg(fabs(sm.liquidation_probability - want) < 3 * se, "%g vs %g (se %g)",
                  sm.liquidation_probability, want, se);
    ck_assert_uint_eq(sm.paths, 40000);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    sim_fx_free(&f);
}
END_TEST

static keel_sim *five_asset_sim_with(const keel_policy *given, uint32_t steps);

static keel_sim *five_asset_sim(keel_policy **pol_out, uint32_t steps)
{
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 4;
    ck_ok(keel_policy_health_band(&hb, pol_out));
    return five_asset_sim_with(*pol_out, steps);
}

static keel_sim *five_asset_sim_with(const keel_policy *given, uint32_t steps)
{
    /* five assets with correlations, jumps on one, fees and impact, a health band */
    keel_market *m;
    ck_ok(keel_market_new(&m));
    const char *sym[] = { "ETH", "WBTC", "SOL", "LINK", "USDC" };
    const double price[] = { 2000, 60000, 150, 15, 1 }, vol[] = { 0.8, 0.6, 1.1, 0.9, 0 };
    for (int a = 0; a < 5; a++) {
        ck_ok(keel_market_add_asset(m, sym[a], price[a], NULL));
        ck_ok(keel_market_set_volatility(m, (keel_asset)a, vol[a]));
    }
    ck_ok(keel_market_set_correlation(m, 0, 1, 0.7));
    ck_ok(keel_market_set_correlation(m, 0, 2, 0.6));
    ck_ok(keel_market_set_correlation(m, 1, 2, 0.5));
    ck_ok(keel_market_set_correlation(m, 0, 3, 0.5));
    keel_haircut_model *h;
    ck_ok(keel_haircut_model_new(&h));
    for (int a = 0; a < 5; a++)
        ck_ok(keel_haircut_model_set_asset(h, (keel_asset)a, 0.2 + 0.05 * (a % 3), 0.15 + 0.05 * (a % 3)));
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    for (int a = 0; a < 4; a++)
        ck_ok(keel_cost_model_set_fee(c, (keel_asset)a, 0.0005, 0.0002));
    ck_ok(keel_cost_model_set_sqrt_impact(c, 0, 0.7, 5e7));
    keel_basket *b;
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 0, 10));
    ck_ok(keel_basket_set_collateral(b, 1, 0.3));
    ck_ok(keel_basket_set_collateral(b, 2, 100));
    ck_ok(keel_basket_set_collateral(b, 3, 800));
    ck_ok(keel_basket_set_debt(b, 4, 32000));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = steps;
    p.seed = 77;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, given, &p, &sim));
    ck_ok(keel_sim_set_jumps(sim, 2, 5.0, -0.1, 0.1));
    keel_basket_free(b);
    keel_cost_model_free(c);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return sim;
}

START_TEST(shards_merge_to_the_same_bits)
{
    keel_policy *pol;
    keel_sim *sim = five_asset_sim(&pol, 20);
    keel_sim_stats *whole;
    ck_ok(keel_sim_run(sim, 0, 70, NULL, NULL, &whole));
    keel_sim_summary ref = summary(whole);
    ck_assert(ref.mean_rebalance_cost > 0.0); /* the policy acted */
    const int cuts[3] = { 1, 2, 7 };
    for (int c = 0; c < 3; c++) {
        int k = cuts[c];
        keel_sim_stats *merged = NULL;
        for (int j = k - 1; j >= 0; j--) { /* merge in reverse order, to be sure order does not matter */
            keel_sim_stats *part;
            ck_ok(keel_sim_run(sim, (uint64_t)(70 * j / k), (uint64_t)(70 * (j + 1) / k - 70 * j / k),
                               NULL, NULL, &part));
            if (merged == NULL) {
                merged = part;
            } else {
                ck_ok(keel_sim_stats_merge(merged, part));
                keel_sim_stats_free(part);
            }
        }
        keel_sim_summary got = summary(merged);
        ck_assert_msg(memcmp(&got, &ref, sizeof got) == 0, "%d shards differ", k);
        for (int mt = 0; mt <= KEEL_SIM_FINAL_HEALTH; mt++) {
            double a, b;
            ck_ok(keel_sim_stats_percentile(merged, (keel_sim_metric)mt, 0.1, &a));
            ck_ok(keel_sim_stats_percentile(whole, (keel_sim_metric)mt, 0.1, &b));
            ck_assert(memcmp(&a, &b, sizeof a) == 0);
        }
        /* a path in both is refused, and nothing changes */
        keel_sim_stats *again;
        ck_ok(keel_sim_run(sim, 5, 1, NULL, NULL, &again));
        ck_status(keel_sim_stats_merge(merged, again), KEEL_E_OUT_OF_RANGE);
        got = summary(merged);
        ck_assert(memcmp(&got, &ref, sizeof got) == 0);
        keel_sim_stats_free(again);
        keel_sim_stats_free(merged);
    }
    keel_sim_stats_free(whole);
    keel_sim_free(sim);
    keel_policy_free(pol);
}
END_TEST

/* The fast path (per-asset tables, the band asked only outside its band)
 * gives the same bits as the engine: a composite of the same band takes the
 * slow path at every step. */
START_TEST(fast_path_equals_engine)
{
    keel_policy *band;
    keel_sim *fast = five_asset_sim(&band, 25);
    keel_sim_stats *a;
    ck_ok(keel_sim_run(fast, 0, 40, NULL, NULL, &a));
    keel_sim_free(fast);
    keel_policy *both = NULL;
    const keel_policy *one[] = { band };
    ck_ok(keel_policy_compose(one, 1, &both));
    keel_sim *slow = five_asset_sim_with(both, 25);
    keel_sim_stats *b;
    ck_ok(keel_sim_run(slow, 0, 40, NULL, NULL, &b));
    keel_sim_summary sa = summary(a), sb = summary(b);
    ck_assert(sa.mean_trades > 0.0);
    ck_assert(memcmp(&sa, &sb, sizeof sa) == 0);
    keel_sim_stats_free(a);
    keel_sim_stats_free(b);
    keel_sim_free(slow);
    keel_policy_free(both);
    keel_policy_free(band);

    /* the metrics: a liquidity add-on with no depth set changes no haircut but
     * sends every valuation through the engine */
    sim_fx f;
    sim_fx_make(&f, 12500.0);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *s1, *s2;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &s1));
    ck_ok(keel_haircut_model_set_liquidity_addon(f.h, 0.5, 0.3));
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &s2));
    ck_ok(keel_sim_run(s1, 0, 300, NULL, NULL, &a));
    ck_ok(keel_sim_run(s2, 0, 300, NULL, NULL, &b));
    sa = summary(a);
    sb = summary(b);
    ck_assert(sa.liquidation_probability > 0.0);
    ck_assert(memcmp(&sa, &sb, sizeof sa) == 0);
    keel_sim_stats_free(a);
    keel_sim_stats_free(b);
    keel_sim_free(s1);
    keel_sim_free(s2);
    sim_fx_free(&f);
}
END_TEST

START_TEST(health_band_lowers_liquidations)
{
    sim_fx f;
    sim_fx_make(&f, 11400.0); /* HF 1.40 */
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = USDC;
    keel_policy *band;
    ck_ok(keel_policy_health_band(&hb, &band));
    ck_ok(keel_cost_model_set_fee(f.c, ETH, 0.001, 0.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT; /* 30 daily steps */
    keel_sim *hold, *managed;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &hold));
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, band, &p, &managed));
    keel_sim_stats *a, *b;
    ck_ok(keel_sim_run(hold, 0, 2000, NULL, NULL, &a));
    ck_ok(keel_sim_run(managed, 0, 2000, NULL, NULL, &b));
    keel_sim_summary sa = summary(a), sb = summary(b);
    ck_assert_msg(sb.liquidation_probability < sa.liquidation_probability, "%g vs %g",
                  sb.liquidation_probability, sa.liquidation_probability);
    ck_assert(sa.liquidation_probability > 0.05);
    ck_assert(sb.mean_rebalance_cost > 0.0 && sa.mean_rebalance_cost == 0.0);
    ck_assert(sb.mean_min_health > sa.mean_min_health);
    keel_sim_stats_free(a);
    keel_sim_stats_free(b);
    keel_sim_free(hold);
    keel_sim_free(managed);
    keel_policy_free(band);
    sim_fx_free(&f);
}
END_TEST

START_TEST(replay_liquidates_by_hand)
{
    /* 10 ETH against 15000 USDC (L = 16000). Step 1: 1900, HF 1.0133. Step 2:
     * 1800, L = 14400, HF 0.96 >= 0.95: half the debt, 7500, repaid; 7500 x 1.05
     * / 1800 = 4.375 ETH seized; bonus lost 4.375 x 1800 - 7500 = 375. Then
     * 5.625 ETH against 7500: HF 1.08. Step 3: 1800. Final equity 2625. */
    sim_fx f;
    sim_fx_make(&f, 15000.0);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 3;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    const keel_asset ids[] = { ETH };
    double prices[] = { 1900, 1800, 1800 };
    ck_ok(keel_sim_set_paths(sim, 1, 1, ids, prices));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    keel_sim_summary s = summary(st);
    ck_close(s.mean_liquidations, 1.0, 0.0);
    ck_close(s.mean_bonus_lost, 375.0, 1e-12);
    ck_close(s.mean_final_equity, 2625.0, 1e-12);
    ck_close(s.mean_min_health, 14400.0 / 15000.0, 1e-12); /* the dip, before the liquidator */
    keel_sim_stats_free(st);
    /* past the replayed paths; NaN in a path */
    ck_status(keel_sim_run(sim, 0, 2, NULL, NULL, &st), KEEL_E_OUT_OF_RANGE);
    prices[1] = NAN;
    ck_status(keel_sim_set_paths(sim, 1, 1, ids, prices), KEEL_E_NOT_FINITE);
    ck_assert_msg(strstr(keel_last_error(), "step 2") != NULL, "%s", keel_last_error());
    prices[1] = -1;
    ck_status(keel_sim_set_paths(sim, 1, 1, ids, prices), KEEL_E_OUT_OF_RANGE);
    /* below 0.95 the whole debt goes: 1700 -> L 13600, HF 0.9067 */
    prices[0] = prices[1] = prices[2] = 1700;
    ck_ok(keel_sim_set_paths(sim, 1, 1, ids, prices));
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    s = summary(st);
    ck_close(s.mean_final_equity, 17000.0 - 15000.0 * 1.05, 1e-9); /* 15750 of ETH seized */
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    sim_fx_free(&f);
}
END_TEST

START_TEST(wiped_out_path_counts_one_liquidation)
{
    /* Issue 12: 100 ETH at 200 against 10000 USDC (h_maint 0.2: HF 1.6), ETH
     * replayed at 100 for 5 steps. Step 1: L = 8000, HF 0.8 < 0.95, the whole
     * debt is due: 10000 x 1.05 / 100 = 105 ETH > 100 held, so all 100 are
     * seized for 100 x 100 / 1.05 = 9523.81 repaid; 10000 / 21 is left as bad
     * debt and bonus lost. Steps 2-5 find nothing to seize: one liquidation
     * (five were counted). */
    sim_fx f;
    sim_fx_make(&f, 10000.0);
    ck_ok(keel_market_set_price(f.m, ETH, 200.0));
    ck_ok(keel_basket_set_collateral(f.b, ETH, 100.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 5;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    const keel_asset ids[] = { ETH };
    const double prices[] = { 100, 100, 100, 100, 100 };
    ck_ok(keel_sim_set_paths(sim, 1, 1, ids, prices));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    keel_sim_summary s = summary(st);
    ck_close(s.mean_liquidations, 1.0, 0.0);
    ck_close(s.mean_bonus_lost, 10000.0 / 21.0, 1e-12);
    ck_close(s.mean_final_equity, -10000.0 / 21.0, 1e-12);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    /* the closed path is not handed to a policy: a leverage band (whose
     * leverage is undefined at equity <= 0) does not fail on steps 2-5 */
    keel_leverage_band_params lb = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    lb.asset = ETH;
    lb.debt_asset = USDC;
    keel_policy *pol;
    ck_ok(keel_policy_leverage_band(&lb, &pol));
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, pol, &p, &sim));
    ck_ok(keel_sim_set_paths(sim, 1, 1, ids, prices));
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    s = summary(st);
    ck_close(s.mean_liquidations, 1.0, 0.0);
    ck_assert_uint_eq(s.policy_failures, 0);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    keel_policy_free(pol);
    sim_fx_free(&f);
}
END_TEST

/* Statistics of a one-path replay of the fixture with one input changed. */
static keel_sim_stats *run_variant(int variant, uint64_t path)
{
    sim_fx f;
    sim_fx_make(&f, 12000.0);
    keel_policy *pol = NULL;
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = USDC;
    if (variant == 1)
        ck_ok(keel_market_set_volatility(f.m, ETH, 0.7));
    if (variant == 2)
        ck_ok(keel_haircut_model_set_asset(f.h, ETH, 0.25, 0.21));
    if (variant == 3)
        ck_ok(keel_cost_model_set_fee(f.c, ETH, 0.001, 0.0));
    if (variant == 4)
        hb.repay_below = 1.31;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_options *o = NULL;
    if (variant == 7 || variant == 10 || variant == 11 || variant == 12) {
        ck_ok(keel_options_new(&o));
        if (variant == 12) /* the book of 11 entered in the other order */
            ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2500.0, 0.1, -1.0, NULL));
        ck_ok(keel_options_add(o, ETH, KEEL_PUT, 1500.0, 0.1, 1.0, NULL));
        if (variant == 11)
            ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2500.0, 0.1, -1.0, NULL));
    }
    if (variant == 10) { /* the book of 7 with another margin horizon */
        keel_margin_params mp = KEEL_MARGIN_PARAMS_INIT;
        mp.horizon_days = 2.0;
        ck_ok(keel_options_set_margin_params(o, &mp));
    }
    if (variant == 8)
        ck_ok(keel_market_set_price(f.m, ETH, 2001.0));
    if (variant == 9)
        ck_ok(keel_basket_set_debt(f.b, USDC, 12001.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 2;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, o, f.m, f.h, f.c, pol, &p, &sim));
    if (variant == 5)
        ck_ok(keel_sim_set_drift(sim, ETH, 0.1));
    const keel_asset ids[] = { ETH };
    double prices[] = { 1900, 1800 };
    if (variant == 6)
        prices[1] = 1801;
    ck_ok(keel_sim_set_paths(sim, 3, 1, ids, (double[]){ prices[0], prices[1], 1700, 1600, 1500, 1400 }));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, path, 1, NULL, NULL, &st));
    keel_sim_free(sim);
    keel_options_free(o);
    keel_policy_free(pol);
    sim_fx_free(&f);
    return st;
}

START_TEST(statistics_merge_only_from_the_same_inputs)
{
    /* Issue 12: the origin covered the settings and the basket only, so runs
     * of other markets, haircuts, costs, policies, drifts, replayed paths or
     * books merged into a number that means nothing. Path 0 of each variant
     * against path 1 of the base: only the base merges. */
    keel_sim_stats *base = NULL;
    {
        sim_fx f;
        sim_fx_make(&f, 12000.0);
        keel_policy *pol = NULL;
        keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
        hb.debt_asset = USDC;
        ck_ok(keel_policy_health_band(&hb, &pol));
        keel_sim_params p = KEEL_SIM_PARAMS_INIT;
        p.steps = 2;
        keel_sim *sim;
        ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, pol, &p, &sim));
        const keel_asset ids[] = { ETH };
        ck_ok(keel_sim_set_paths(sim, 3, 1, ids, (double[]){ 1900, 1800, 1700, 1600, 1500, 1400 }));
        ck_ok(keel_sim_run(sim, 1, 1, NULL, NULL, &base));
        keel_sim_free(sim);
        keel_policy_free(pol);
        sim_fx_free(&f);
    }
    for (int v = 0; v <= 10; v++) {
        keel_sim_stats *st = run_variant(v, 0);
        keel_status want = v == 0 ? KEEL_OK : KEEL_E_OUT_OF_RANGE;
        ck_assert_msg(keel_sim_stats_merge(st, base) == want, "variant %d", v);
        keel_sim_stats_free(st);
    }
    keel_sim_stats_free(base);
    /* a book is a set: the same options entered in another order merge */
    keel_sim_stats *a = run_variant(11, 0), *b = run_variant(12, 1), *c = run_variant(7, 2);
    ck_ok(keel_sim_stats_merge(a, b));
    ck_status(keel_sim_stats_merge(a, c), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats_free(a);
    keel_sim_stats_free(b);
    keel_sim_stats_free(c);
}
END_TEST

START_TEST(policy_failures_say_where)
{
    /* A health band told to repay asset 7, which the market lacks, fails on
     * every turn below 1.3: replayed at 1990 (HF 15920 / 12500 = 1.2736) for
     * two steps, twice per path. Paths 2..4 of five: 6 turns, 3 paths, first 2. */
    sim_fx f;
    sim_fx_make(&f, 12500.0);
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = 7;
    keel_policy *pol;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 2;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, pol, &p, &sim));
    const keel_asset ids[] = { ETH };
    double prices[10];
    for (int i = 0; i < 10; i++)
        prices[i] = 1990.0;
    ck_ok(keel_sim_set_paths(sim, 5, 1, ids, prices));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 2, 3, NULL, NULL, &st));
    keel_sim_summary s = summary(st);
    ck_assert_uint_eq(s.policy_failures, 6);
    ck_assert_uint_eq(s.paths_with_policy_failures, 3);
    ck_assert_uint_eq(s.first_policy_failure_path, 2);
    double v;
    ck_ok(keel_sim_stats_percentile(st, KEEL_SIM_POLICY_FAILURES, 0.5, &v));
    ck_close(v, 2.0, 0.0);
    ck_status(keel_sim_stats_percentile(st, (keel_sim_metric)8, 0.5, &v), KEEL_E_OUT_OF_RANGE);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    keel_policy_free(pol);
    /* none: the first failing path reads UINT64_MAX */
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    ck_ok(keel_sim_run(sim, 0, 3, NULL, NULL, &st));
    s = summary(st);
    ck_assert(s.policy_failures == 0 && s.first_policy_failure_path == UINT64_MAX);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    sim_fx_free(&f);
}
END_TEST

START_TEST(free_cost_health_band_backtest_never_fails)
{
    /* Issue 12: a 500-path, 60-day health-band backtest with free costs had
     * 686 failed policy calls, only counted. Repay below 1.3 to 1.5, boost
     * above 2 to 1.7, from HF 2 (10 ETH, vol 0.8, against 8000 USDC). */
    sim_fx f;
    sim_fx_make(&f, 8000.0);
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.allowed = KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST;
    hb.debt_asset = USDC;
    hb.boost_asset = ETH;
    keel_policy *pol;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 60;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, pol, &p, &sim));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 500, NULL, NULL, &st));
    keel_sim_summary s = summary(st);
    ck_assert_uint_eq(s.policy_failures, 0);
    ck_assert(s.mean_trades > 1.0); /* the band did act */
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    keel_policy_free(pol);
    sim_fx_free(&f);
}
END_TEST

START_TEST(jumps_keep_the_mean)
{
    /* with the compensator, E[S_T] = S_0: the mean final equity of 10 ETH
     * without debt is 20000 within 4 standard errors */
    sim_fx f;
    sim_fx_make(&f, 0.0);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 10;
    p.dt = 0.1;
    keel_sim *sim;
    ck_ok(keel_market_set_volatility(f.m, ETH, 0.3));
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    ck_ok(keel_sim_set_jumps(sim, ETH, 3.0, -0.2, 0.15));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 20000, NULL, NULL, &st));
    keel_sim_summary s = summary(st);
    double p10, p90;
    ck_ok(keel_sim_stats_percentile(st, KEEL_SIM_FINAL_EQUITY, 0.1, &p10));
    ck_ok(keel_sim_stats_percentile(st, KEEL_SIM_FINAL_EQUITY, 0.9, &p90));
    /* the log-return variance per year: 0.09 + 3 (0.2^2 + 0.15^2) = 0.2775 */
    double sd = 20000.0 * sqrt(expm1(0.2775)) / sqrt(20000.0);
    ck_assert_msg(fabs(s.mean_final_equity - 20000.0) < 4 * sd, "%g (sd %g)", s.mean_final_equity, sd);
    ck_assert(p10 < 20000.0 && p90 > 20000.0);
    ck_status(keel_sim_set_jumps(sim, ETH, 1000.0, 0.0, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_jumps(sim, 9, 1.0, 0.0, 0.1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_sim_set_drift(sim, ETH, NAN), KEEL_E_NOT_FINITE);
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    sim_fx_free(&f);
}
END_TEST

START_TEST(serialised_shards_merge_elsewhere)
{
    keel_policy *pol;
    keel_sim *sim = five_asset_sim(&pol, 10);
    keel_sim_stats *whole, *a, *b;
    ck_ok(keel_sim_run(sim, 0, 30, NULL, NULL, &whole));
    ck_ok(keel_sim_run(sim, 0, 18, NULL, NULL, &a));
    ck_ok(keel_sim_run(sim, 18, 12, NULL, NULL, &b));
    size_t need = 0;
    ck_status(keel_sim_stats_serialize(b, NULL, 0, &need), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(need, 24 + 12 * 88);
    unsigned char *bytes = malloc(need);
    ck_status(keel_sim_stats_serialize(b, bytes, need - 1, &need), KEEL_E_BUFFER_TOO_SMALL);
    ck_ok(keel_sim_stats_serialize(b, bytes, need, &need));
    keel_sim_stats *back;
    ck_ok(keel_sim_stats_deserialize(bytes, need, &back));
    ck_ok(keel_sim_stats_merge(a, back));
    keel_sim_summary x = summary(a), y = summary(whole);
    ck_assert(memcmp(&x, &y, sizeof x) == 0);
    /* corrupt copies are refused */
    unsigned char *bad = malloc(need);
    const size_t flips[] = { 0, 4, 16, 24 + 88 + 0, 24 + 88 + 84 };
    for (int k = 0; k < 5; k++) {
        memcpy(bad, bytes, need);
        bad[flips[k]] ^= 0x5a;
        keel_sim_stats *no = NULL;
        ck_status(keel_sim_stats_deserialize(bad, need, &no), KEEL_E_OUT_OF_RANGE);
        ck_assert_ptr_null(no);
    }
    memcpy(bad, bytes, need);
    memset(bad + 24 + 8, 0xff, 8); /* a NaN */
    keel_sim_stats *no = NULL;
    ck_status(keel_sim_stats_deserialize(bad, need, &no), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_deserialize(bytes, need - 1, &no), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_deserialize(bytes, 3, &no), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_stats_deserialize(NULL, need, &no), KEEL_E_NULL_ARG);
    free(bad);
    free(bytes);
    keel_sim_stats_free(back);
    keel_sim_stats_free(a);
    keel_sim_stats_free(b);
    keel_sim_stats_free(whole);
    keel_sim_free(sim);
    keel_policy_free(pol);
}
END_TEST

static int calls;
static int stop_at_half(double fraction, void *user)
{
    (void)user;
    calls++;
    return fraction >= 0.5;
}

START_TEST(progress_and_cancel)
{
    sim_fx f;
    sim_fx_make(&f, 12000.0);
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 2;
    keel_sim *sim;
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    keel_sim_stats *st = NULL;
    calls = 0;
    ck_status(keel_sim_run(sim, 0, 1000, stop_at_half, NULL, &st), KEEL_E_CANCELLED);
    ck_assert_ptr_nonnull(st);
    keel_sim_summary s = summary(st);
    ck_assert_uint_eq(s.paths, 500);
    ck_assert_int_eq(calls, 50);
    /* the partial statistics are the first 500 paths' */
    keel_sim_stats *first;
    ck_ok(keel_sim_run(sim, 0, 500, NULL, NULL, &first));
    keel_sim_summary s2 = summary(first);
    ck_assert(memcmp(&s, &s2, sizeof s) == 0);
    keel_sim_stats_free(first);
    keel_sim_stats_free(st);
    ck_status(keel_sim_run(sim, 0, 0, NULL, NULL, &st), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_run(sim, UINT64_MAX, 2, NULL, NULL, &st), KEEL_E_OUT_OF_RANGE);
    keel_sim_free(sim);
    /* bad settings */
    p.steps = 0;
    ck_status(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim), KEEL_E_OUT_OF_RANGE);
    p.steps = 1;
    p.dt = 0.0;
    ck_status(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim), KEEL_E_OUT_OF_RANGE);
    p.dt = NAN;
    ck_status(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim), KEEL_E_NOT_FINITE);
    p.dt = 0.01;
    ck_ok(keel_market_add_asset(f.m, "BTC", 60000.0, NULL));
    ck_ok(keel_market_set_correlation(f.m, 0, 1, 0.9));
    ck_ok(keel_market_set_correlation(f.m, 0, 2, 0.9));
    ck_ok(keel_market_set_correlation(f.m, 1, 2, -0.9));
    /* the correlations of assets that never move do not enter the paths */
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    keel_sim_free(sim);
    /* those of the volatile ones are checked when the simulation is made */
    ck_ok(keel_market_set_volatility(f.m, 1, 0.01));
    ck_ok(keel_market_set_volatility(f.m, 2, 0.6));
    ck_status(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim), KEEL_E_NOT_PSD);
    ck_ok(keel_market_set_volatility(f.m, 2, 0.0));
    ck_ok(keel_sim_new(f.b, NULL, f.m, f.h, f.c, NULL, &p, &sim));
    /* and those of an asset a drift or jumps set in motion when it runs */
    ck_ok(keel_sim_set_drift(sim, 2, 0.1));
    st = NULL;
    ck_status(keel_sim_run(sim, 0, 1, NULL, NULL, &st), KEEL_E_NOT_PSD);
    ck_assert_ptr_null(st);
    keel_sim_free(sim);
    sim_fx_free(&f);
}
END_TEST

/* Past KEEL_SIM_MAX_MOVING_ASSETS a simulation refuses with KEEL_E_OVERFLOW
 * instead of factoring a k x k matrix: at set-up for the volatile assets,
 * at the run for those a drift sets in motion. */
START_TEST(moving_assets_limit)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_basket *b;
    keel_cost_model *c;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_cost_model_new(&c));
    const int n = KEEL_SIM_MAX_MOVING_ASSETS + 1;
    for (int i = 0; i < n; i++) {
        char sym[16];
        snprintf(sym, sizeof sym, "M%d", i);
        ck_ok(keel_market_add_asset(m, sym, 10.0, NULL));
    }
    for (int i = 0; i < 10; i++)
        ck_ok(keel_market_set_volatility(m, (keel_asset)i, 0.5));
    ck_ok(keel_haircut_model_set_asset(h, 0, 0.2, 0.1));
    ck_ok(keel_basket_set_collateral(b, 0, 1.0));
    ck_ok(keel_basket_set_debt(b, 1, 2.0));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = 1;
    keel_sim *sim = NULL;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim));
    for (int i = 10; i < n; i++)
        ck_ok(keel_sim_set_drift(sim, (keel_asset)i, 0.01));
    keel_sim_stats *st = NULL;
    ck_status(keel_sim_run(sim, 0, 1, NULL, NULL, &st), KEEL_E_OVERFLOW);
    ck_assert_ptr_null(st);
    keel_sim_free(sim);
    for (int i = 10; i < n; i++)
        ck_ok(keel_market_set_volatility(m, (keel_asset)i, 0.5));
    sim = NULL;
    ck_status(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim), KEEL_E_OVERFLOW);
    ck_assert_ptr_null(sim);
    keel_cost_model_free(c);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
}
END_TEST

static Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("scan");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, scan_equals_metrics_linear);
    tcase_add_test(tc, scan_equals_metrics_size_dependent);
    tcase_add_test(tc, one_kernel_linear);
    tcase_add_test(tc, one_kernel_size_dependent);
    tcase_add_test(tc, moving_assets_limit);
    tcase_add_test(tc, top_k_equals_full_sort);
    tcase_add_test(tc, liquidations_at_risk_by_repricing);
    tcase_add_test(tc, stress_by_repricing);
    tcase_add_test(tc, scan_rejects_bad_rows);
    suite_add_tcase(s, tc);
    TCase *mc = tcase_create("simulation");
    tcase_add_test(mc, one_step_matches_lognormal);
    tcase_add_test(mc, shards_merge_to_the_same_bits);
    tcase_add_test(mc, health_band_lowers_liquidations);
    tcase_add_test(mc, fast_path_equals_engine);
    tcase_add_test(mc, replay_liquidates_by_hand);
    tcase_add_test(mc, wiped_out_path_counts_one_liquidation);
    tcase_add_test(mc, policy_failures_say_where);
    tcase_add_test(mc, free_cost_health_band_backtest_never_fails);
    tcase_add_test(mc, statistics_merge_only_from_the_same_inputs);
    tcase_add_test(mc, jumps_keep_the_mean);
    tcase_add_test(mc, progress_and_cancel);
    tcase_add_test(mc, serialised_shards_merge_elsewhere);
    suite_add_tcase(s, mc);
    return s;
}

KEEL_TEST_MAIN(sim_suite)
