/* Backtests under Compound v3's and Morpho Blue's own liquidation rules
 * (keel_sim_set_comet, keel_sim_set_morpho; lib/sim/liquidator_*.c). The
 * expected values are worked by hand from the contracts' formulas (Comet.sol
 * absorbInternal at compound-finance/comet d5a30b0; Morpho.sol liquidate at
 * morpho-org/morpho-blue v1.0.0), as tests/python/test_protocol_sims.py does
 * through the binding; tests/python/test_protocol_sims_random.py compares
 * thousands of random paths with the layers' own verdicts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "u256_testutil.h"

#define E18 1000000000000000000ull

/* A one-path replay of `steps` steps over two assets. */
static keel_sim_summary run(keel_market *m, keel_basket *b, keel_haircut_model *h,
                            const double *prices, uint32_t steps,
                            keel_status (*rules)(keel_sim *, const void *), const void *ctx)
{
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = steps;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim));
    keel_asset ids[2] = { 0, 1 };
    ck_ok(keel_sim_set_paths(sim, 1, 2, ids, prices));
    ck_ok(rules(sim, ctx));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    keel_sim_summary s = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &s));
    keel_sim_stats_free(st);
    keel_sim_free(sim);
    keel_cost_model_free(c);
    return s;
}

/* ---- Compound v3 ---- */

/* USDC base (6 decimals, $1), WETH collateral: borrow CF 0.825, liquidate CF
 * 0.895, liquidation factor 0.95 (cUSDCv3's WETH terms); the account: 1 WETH
 * against 1,800 USDC (indexes 1: principal = balance). */
static keel_comet_market *comet_market(void)
{
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    b.price = u(100000000ull);
    b.total_supply_base = u(1000000000000000ull);
    b.base_balance = u(1000000000000000ull);
    b.target_reserves = u(1000000000000ull);
    keel_comet_market *m;
    ck_ok(keel_comet_market_new("USDC", &b, &m));
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    a.price = u(200000000000ull);
    a.borrow_collateral_factor = 825000000000000000ull;
    a.liquidate_collateral_factor = 895000000000000000ull;
    a.liquidation_factor = 950000000000000000ull;
    a.supply_cap = s("1000000000000000000000000000000");
    ck_ok(keel_comet_market_add_asset(m, "WETH", &a, &(uint32_t){ 0 }));
    return m;
}

typedef struct comet_ctx {
    const keel_comet_market *m;
    const uint32_t *ids;
} comet_ctx;

static keel_status set_comet(keel_sim *sim, const void *p)
{
    const comet_ctx *c = p;
    return keel_sim_set_comet(sim, c->m, c->ids, 2);
}

static keel_sim_summary comet_run(const double *weth, uint32_t steps)
{
    keel_comet_market *cm = comet_market();
    keel_comet_account *a;
    ck_ok(keel_comet_account_new(&a));
    ck_ok(keel_comet_account_set_principal(a, (keel_comet_int){ u(1800000000ull), 1, 0 }));
    ck_ok(keel_comet_account_set_collateral(a, cm, 0, u(E18)));
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    uint32_t ids[2];
    size_t n;
    ck_ok(keel_comet_to_keel(cm, a, &m, &b, &h, ids, 2, &n));
    ck_assert_uint_eq(n, 2); /* the base first: USDC, WETH */
    ck_assert_uint_eq(ids[0], KEEL_COMET_BASE_ID);
    double prices[8];
    for (uint32_t k = 0; k < steps; k++)
        prices[2 * k] = 1.0, prices[2 * k + 1] = weth[k];
    comet_ctx c = { cm, ids };
    keel_sim_summary s = run(m, b, h, prices, steps, set_comet, &c);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_comet_account_free(a);
    keel_comet_market_free(cm);
    return s;
}

START_TEST(comet_absorbs_one_price_unit_below_the_line)
{
    /* isLiquidatable at P (8 decimals): floor(P · 0.895) < 1,800e8. P = 2011.17:
     * 179,999,715,000 < 180,000,000,000 (absorbed); P = 2011.18: 180,000,610,000 (not) */
    keel_sim_summary s = comet_run((double[]){ 2011.17 }, 1);
    ck_assert(s.mean_liquidations == 1.0);
    /* the WETH credited at 0.95: 201,117,000,000 · 0.95 = 191,061,150,000 price units =
     * 1,910.6115 USDC; the balance -1,800 + 1,910.6115 = +110.6115 USDC held; the cut
     * 2,011.17 - 1,910.6115 = 100.5585 */
    ck_close(s.mean_final_equity, 110.6115, 1e-12);
    ck_close(s.mean_bonus_lost, 100.5585, 1e-12);
    s = comet_run((double[]){ 2011.18 }, 1);
    ck_assert(s.mean_liquidations == 0.0);
    ck_close(s.mean_final_equity, 211.18, 1e-12);
}
END_TEST

START_TEST(comet_absorb_with_a_deficit_then_nothing_left)
{
    /* at 1,500 the credit 1,425 does not cover 1,800: the balance is floored at 0 (the
     * 375 USDC deficit is the reserves'); the cut is 1,500 · 0.05 = 75 */
    keel_sim_summary s = comet_run((double[]){ 1500.0 }, 1);
    ck_assert(s.mean_liquidations == 1.0);
    ck_assert(s.mean_final_equity == 0.0);
    ck_close(s.mean_bonus_lost, 75.0, 1e-12);
    /* 2,100 · 0.895 = 1,879.5 >= 1,800; at 2,000, 1,790 < 1,800: absorbed to
     * 2,000 · 0.95 - 1,800 = 100 USDC held; at 1,900 nothing is left to absorb */
    s = comet_run((double[]){ 2100.0, 2000.0, 1900.0 }, 3);
    ck_assert(s.mean_liquidations == 1.0);
    ck_close(s.mean_final_equity, 100.0, 1e-12);
}
END_TEST

START_TEST(comet_absorbs_at_the_low_and_the_event_shows_the_credit)
{
    /* A replay: the start at 2,100 (1,879.5 >= 1,800: not liquidatable), one
     * step closing at 2,100 whose low is 2,000 (1,790 < 1,800). Checked at
     * the low first, the account is absorbed there: 1 WETH leaves (2,000 of
     * value), the 1,800 USDC owed is cleared and 2,000 x 0.95 - 1,800 = 100
     * USDC credited as held, 100 lost to the liquidation factor. On the
     * closes alone it never is. */
    keel_comet_market *cm = comet_market();
    keel_comet_account *a;
    ck_ok(keel_comet_account_new(&a));
    ck_ok(keel_comet_account_set_principal(a, (keel_comet_int){ u(1800000000ull), 1, 0 }));
    ck_ok(keel_comet_account_set_collateral(a, cm, 0, u(E18)));
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    uint32_t ids[2];
    size_t n;
    ck_ok(keel_comet_to_keel(cm, a, &m, &b, &h, ids, 2, &n));
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim));
    ck_ok(keel_sim_set_comet(sim, cm, ids, 2));
    const keel_asset assets[] = { 1 }; /* WETH */
    const double close[] = { 2100, 2100 }, low[] = { 2100, 2000 };
    keel_sim_replay r = KEEL_SIM_REPLAY_INIT;
    r.npaths = 1, r.rows = 2, r.nassets = 1, r.assets = assets, r.close = close;
    ck_ok(keel_sim_set_replay(sim, &r));
    keel_sim_event ev[2];
    keel_sim_trace t = KEEL_SIM_TRACE_INIT;
    t.events = ev, t.event_capacity = 2;
    ck_ok(keel_sim_trace_path(sim, 0, &t, NULL));
    ck_assert_uint_eq(t.nevents, 0);
    r.low = low;
    ck_ok(keel_sim_set_replay(sim, &r));
    double eq[2];
    t.equity = eq, t.capacity = 2;
    ck_ok(keel_sim_trace_path(sim, 0, &t, NULL));
    ck_assert_uint_eq(t.nevents, 1);
    const keel_sim_event *e = &ev[0];
    ck_assert_int_eq(e->kind, KEEL_SIM_EVENT_LIQUIDATION);
    ck_assert_uint_eq(e->action.asset, 1);
    ck_close(e->action.quantity, 1.0, 1e-15);
    ck_assert_uint_eq(e->action.debt_asset, 0);
    ck_close(e->action.repaid, 1800.0, 1e-12);
    ck_assert_uint_eq(e->action.to_asset, 0);
    ck_close(e->action.received, 100.0, 1e-12);
    ck_close(e->value_seized, 2000.0, 1e-12);
    ck_close(e->value_repaid, 1900.0, 1e-12);
    ck_close(e->bonus_lost, 100.0, 1e-12);
    ck_assert(isinf(e->health_after));
    ck_close(eq[1], 100.0, 1e-12);
    keel_sim_free(sim);
    keel_cost_model_free(c);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_comet_account_free(a);
    keel_comet_market_free(cm);
}
END_TEST

START_TEST(comet_rules_refuse_bad_mappings_and_change_nothing)
{
    keel_comet_market *cm = comet_market();
    keel_comet_account *a;
    ck_ok(keel_comet_account_new(&a));
    ck_ok(keel_comet_account_set_principal(a, (keel_comet_int){ u(1800000000ull), 1, 0 }));
    ck_ok(keel_comet_account_set_collateral(a, cm, 0, u(E18)));
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    uint32_t ids[2];
    ck_ok(keel_comet_to_keel(cm, a, &m, &b, &h, ids, 2, NULL));
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim));
    uint32_t two_bases[2] = { KEEL_COMET_BASE_ID, KEEL_COMET_BASE_ID }, no_base[2] = { 0, 0 };
    ck_status(keel_sim_set_comet(sim, cm, two_bases, 2), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "both the base"));
    ck_status(keel_sim_set_comet(sim, cm, no_base, 2), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_comet(sim, cm, (uint32_t[]){ KEEL_COMET_BASE_ID, 3 }, 2),
              KEEL_E_UNKNOWN_ASSET);
    /* a second collateral in the market, none the base: no base */
    keel_comet_asset wbtc = KEEL_COMET_ASSET_INIT;
    ck_ok(keel_comet_market_asset(cm, 0, &wbtc));
    ck_ok(keel_comet_market_add_asset(cm, "WBTC", &wbtc, &(uint32_t){ 0 }));
    ck_status(keel_sim_set_comet(sim, cm, (uint32_t[]){ 1, 0 }, 2), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "no asset is the base"));
    /* an account that owes WETH: Comet lends only its base */
    ck_ok(keel_basket_set_debt(b, 1, 0.1));
    keel_sim *owes;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &owes));
    ck_status(keel_sim_set_comet(owes, cm, ids, 2), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "lends only its base"));
    keel_sim_free(owes);
    /* set, replaced by the default, set again: each call replaces the rules */
    ck_ok(keel_sim_set_comet(sim, cm, ids, 2));
    ck_ok(keel_sim_set_comet(sim, NULL, NULL, 0));
    ck_ok(keel_sim_set_comet(sim, cm, ids, 2));
    keel_sim_free(sim);
    keel_cost_model_free(c);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_comet_account_free(a);
    keel_comet_market_free(cm);
}
END_TEST

/* ---- Morpho Blue ---- */

/* USDC loan (6), WETH collateral (18), LLTV 0.86, oracle 2e27 (2,000 USDC);
 * 1M USDC supplied, `tba` borrowed for `tbs` shares by the others. */
static keel_morpho_market *morpho_market(uint64_t tba, uint64_t tbs)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.loan_decimals = 6;
    p.price = s("2000000000000000000000000000");
    p.lltv = u(860000000000000000ull);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    st.total_supply_assets = u(2000000000000ull);
    st.total_supply_shares = u(2 * E18);
    st.total_borrow_assets = u(tba);
    st.total_borrow_shares = u(tbs);
    keel_morpho_market *m;
    ck_ok(keel_morpho_market_new("USDC", "WETH", &p, &st, &m));
    return m;
}

static keel_status set_morpho(keel_sim *sim, const void *p)
{
    return keel_sim_set_morpho(sim, p, 0, 1);
}

/* The account: `coll` WETH-wei against `debt` USDC-wei, read through the bridge. */
static keel_sim_summary morpho_run(const keel_morpho_market *mm, uint64_t coll, double debt_usdc,
                                   double weth)
{
    keel_morpho_position none = { u(0), u(0), u(coll) };
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    keel_asset ci, li;
    ck_ok(keel_morpho_to_keel(mm, &none, &m, &b, &h, &ci, &li));
    ck_assert(ci == 0 && li == 1); /* WETH, USDC */
    ck_ok(keel_basket_set_debt(b, li, debt_usdc));
    double prices[2] = { weth, 1.0 };
    keel_sim_summary s = run(m, b, h, prices, 1, set_morpho, mm);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    return s;
}

START_TEST(morpho_liquidates_below_the_line_and_not_above)
{
    keel_morpho_market *mm = morpho_market(0, 0);
    /* healthy iff floor(floor(1e18 · P / 1e36) · 0.86) >= 1,700e6, P the oracle price
     * at WETH p: 1,977 gives 1,700.22e6 (healthy), 1,976 1,699.36e6 (liquidated) */
    keel_sim_summary s = morpho_run(mm, E18, 1700.0, 1977.0);
    ck_assert(s.mean_liquidations == 0.0);
    s = morpho_run(mm, E18, 1700.0, 1976.0);
    ck_assert(s.mean_liquidations == 1.0);
    /* LIF = WAD² / (WAD - 0.3 · 0.14 WAD) = 1,043,841,336,116,910,229; repaying the whole
     * 1,700e6 (the account's 1.7e15 shares, 1e6 per asset in an empty market) seizes at
     * least floor(floor(1,700e6 · LIF / 1e18) · 1e36 / 1.976e27)
     * = floor(1,774,530,271 · 1e9 / 1.976) = 898,041,635,121,457,489 wei; the bonus is
     * its value less the repayment: 1,774.530271 - 1,700 = 74.530271 USDC */
    ck_close(s.mean_final_equity, (1e18 - 898041635121457489.0) / 1e18 * 1976.0, 1e-6);
    ck_close(s.mean_bonus_lost, 74.530271, 1e-5);
    /* bad debt: at 1,000 the WETH is worth 1,000 < 1,700 · LIF: all of it is seized, the
     * rest of the debt written off: nothing left */
    s = morpho_run(mm, E18, 1700.0, 1000.0);
    ck_assert(s.mean_liquidations == 1.0);
    ck_assert(s.mean_final_equity == 0.0);
    keel_morpho_market_free(mm);
}
END_TEST

START_TEST(morpho_dear_shares_round_the_debt_up)
{
    /* the others owe 1M USDC for 1e6 shares: a share is worth (1e12 + 1) / (1e6 + 1e6)
     * = 500,000.0000005 USDC-wei. A 1.2 USDC debt is toSharesUp(1.2e6) =
     * ceil(1.2e6 · 2e6 / (1e12 + 1)) = 3 shares = toAssetsUp 1.5 USDC borrowed, above
     * the 0.001 WETH · 1,500 · 0.86 = 1.29 USDC max borrow: liquidatable (1.2 USDC alone
     * would not be) */
    keel_morpho_market *mm = morpho_market(1000000000000ull, 1000000ull);
    keel_sim_summary s = morpho_run(mm, 1000000000000000ull, 1.2, 1500.0);
    ck_assert(s.mean_liquidations == 1.0);
    keel_morpho_market_free(mm);
}
END_TEST

START_TEST(morpho_rules_refuse_bad_mappings)
{
    keel_morpho_market *mm = morpho_market(0, 0);
    keel_morpho_position pos = { u(0), u(1700000000000000ull), u(E18) };
    keel_morpho_market *with = morpho_market(1700000000ull, 1700000000000000ull);
    keel_market *m;
    keel_basket *b;
    keel_haircut_model *h;
    ck_ok(keel_morpho_to_keel(with, &pos, &m, &b, &h, NULL, NULL));
    keel_cost_model *c;
    ck_ok(keel_cost_model_new(&c));
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    keel_sim *sim;
    ck_ok(keel_sim_new(b, NULL, m, h, c, NULL, &p, &sim));
    ck_status(keel_sim_set_morpho(sim, mm, 1, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_sim_set_morpho(sim, mm, 0, 2), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_sim_set_morpho(sim, mm, 1, 0), KEEL_E_OUT_OF_RANGE); /* owes USDC, not WETH */
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "lends only its loan token"));
    ck_ok(keel_sim_set_morpho(sim, mm, 0, 1));
    ck_ok(keel_sim_set_morpho(sim, NULL, 0, 0));
    keel_sim_free(sim);
    keel_cost_model_free(c);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_morpho_market_free(with);
    keel_morpho_market_free(mm);
}
END_TEST

static Suite *protocol_sims_suite(void)
{
    Suite *s = suite_create("protocol_sims");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, comet_absorbs_one_price_unit_below_the_line);
    tcase_add_test(tc, comet_absorb_with_a_deficit_then_nothing_left);
    tcase_add_test(tc, comet_absorbs_at_the_low_and_the_event_shows_the_credit);
    tcase_add_test(tc, comet_rules_refuse_bad_mappings_and_change_nothing);
    tcase_add_test(tc, morpho_liquidates_below_the_line_and_not_above);
    tcase_add_test(tc, morpho_dear_shares_round_the_debt_up);
    tcase_add_test(tc, morpho_rules_refuse_bad_mappings);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(protocol_sims_suite)
