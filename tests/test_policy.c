/* Policies and the solver's swaps and wallet: each case worked by hand in
 * the comments (or, for the hedge band and the liquidation probability,
 * checked against the published closed forms computed here directly); each
 * policy acts when it should, stays put when it should, and lands where it
 * says. */
#include <stddef.h>

#include "testutil.h"

enum { ETH, USDC, WBTC };

static keel_market *mk;
static keel_haircut_model *hc;
static keel_cost_model *cm;
static keel_basket *b;

static void setup(void)
{
    ck_ok(keel_market_new(&mk));
    ck_ok(keel_market_add_asset(mk, "ETH", 2000.0, NULL));
    ck_ok(keel_market_add_asset(mk, "USDC", 1.0, NULL));
    ck_ok(keel_market_add_asset(mk, "WBTC", 60000.0, NULL));
    ck_ok(keel_market_set_volatility(mk, ETH, 0.8));
    ck_ok(keel_market_set_volatility(mk, WBTC, 0.6));
    ck_ok(keel_haircut_model_new(&hc));
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.25, 0.2)); /* a = 0.8 p */
    ck_ok(keel_haircut_model_set_asset(hc, USDC, 0.02, 0.0));
    ck_ok(keel_haircut_model_set_asset(hc, WBTC, 0.3, 0.25));
    ck_ok(keel_cost_model_new(&cm));
    ck_ok(keel_basket_new(&b));
}

static void teardown(void)
{
    keel_basket_free(b);
    keel_cost_model_free(cm);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

static keel_metrics metrics(const keel_basket *bk, const keel_options *o)
{
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(bk, o, mk, hc, &m));
    return m;
}

static double collateral(keel_asset a)
{
    double q;
    ck_ok(keel_basket_collateral(b, a, &q));
    return q;
}

static double debt(keel_asset a)
{
    double d;
    ck_ok(keel_basket_debt(b, a, &d));
    return d;
}

/* Plans with the policy, checks the plan's count, applies it; returns the plan. */
static keel_plan *plan_apply(const keel_policy *pol, const keel_options *o,
                             const keel_basket *wallet, size_t want_actions)
{
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(pol, b, o, mk, hc, cm, wallet, &plan));
    size_t n;
    ck_ok(keel_plan_action_count(plan, &n));
    ck_assert_msg(n == want_actions, "%zu actions, expected %zu (HF %g)", n, want_actions, metrics(b, o).health_factor);
    ck_ok(keel_plan_apply(plan, b));
    return plan;
}

static keel_action action(const keel_plan *plan, size_t i)
{
    keel_action a = KEEL_ACTION_INIT;
    ck_ok(keel_plan_action(plan, i, &a));
    return a;
}

static keel_policy *health_band(unsigned allowed)
{
    keel_health_band_params p = KEEL_HEALTH_BAND_PARAMS_INIT;
    p.allowed = allowed;
    p.debt_asset = USDC;
    p.boost_asset = ETH;
    p.withdraw_asset = ETH;
    p.swap_to = USDC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_health_band(&p, &pol));
    return pol;
}

START_TEST(health_band_repays_after_a_drop)
{
    /* 10 ETH against 12000 USDC: at 2000 HF = 16000 / 12000 = 1.333 > 1.3, no action.
     * At 1800: HF = 14400 / 12000 = 1.2 < 1.3: sell x ETH to repay, to HF 1.5:
     * 1440 (10 - x) = 1.5 (12000 - 1800 x) -> 1260 x = 3600 -> x = 20 / 7. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_policy *pol = health_band(KEEL_ALLOW_REPAY);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    ck_ok(keel_market_set_price(mk, ETH, 1800.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_SELL_TO_REPAY && a.asset == ETH && a.debt_asset == USDC);
    ck_close(a.quantity, 20.0 / 7.0, 1e-12);
    ck_close(metrics(b, NULL).health_factor, 1.5, 1e-9);
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_close(after.health_factor, 1.5, 1e-9);
    keel_plan_free(plan);
    keel_policy_kind kind;
    ck_ok(keel_policy_kind_of(pol, &kind));
    ck_assert_int_eq(kind, KEEL_POLICY_HEALTH_BAND);
    keel_policy_free(pol);
}
END_TEST

START_TEST(health_band_boosts_and_withdraws)
{
    /* 10 ETH against 4000 USDC: HF = 16000 / 4000 = 4 > 2. Boost to 1.7 by
     * borrowing B USDC and buying ETH at a 10 bp fee: B / 2002 ETH bought, so
     * (16000 + 1600 B / 2002) / (4000 + B) = 1.7 -> B = 9200 / (1.7 - 1600 / 2002). */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 4000.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.001, 0.0));
    keel_policy *pol = health_band(KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    double B = 9200.0 / (1.7 - 1600.0 / 2002.0);
    ck_assert(a.type == KEEL_ACTION_BORROW_TO_BUY && a.debt_asset == USDC && a.to_asset == ETH);
    ck_close(a.borrowed, B, 1e-12);
    ck_close(a.received, B / 2002.0, 1e-12);
    ck_close(a.cost, B - 2000.0 * B / 2002.0, 1e-9); /* the fee */
    ck_close(debt(USDC), 4000.0 + B, 1e-12);
    ck_close(metrics(b, NULL).health_factor, 1.7, 1e-9);
    keel_plan_free(plan);
    keel_policy_free(pol);

    /* A trade cap of 2000 USDC stops the boost short of 1.7, exactly at the cap;
     * a fixed cost on the purchase bigger than the smallest trades is charged
     * (such trades buy nothing) and the band still lands on its target. */
    keel_health_band_params capped = KEEL_HEALTH_BAND_PARAMS_INIT;
    capped.allowed = KEEL_ALLOW_BOOST;
    capped.debt_asset = USDC;
    capped.boost_asset = ETH;
    capped.max_trade_value = 2000.0;
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 4000.0));
    ck_ok(keel_policy_health_band(&capped, &pol));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).borrowed, 2000.0, 1e-12);
    ck_assert(metrics(b, NULL).health_factor > 1.7);
    keel_plan_free(plan);
    keel_policy_free(pol);
    capped.max_trade_value = 0.0;
    ck_ok(keel_cost_model_set_fixed(cm, ETH, 50.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 4000.0));
    ck_ok(keel_policy_health_band(&capped, &pol));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(metrics(b, NULL).health_factor, 1.7, 1e-9);
    keel_plan_free(plan);
    keel_policy_free(pol);
    ck_ok(keel_cost_model_set_fixed(cm, ETH, 0.0));

    /* Withdraw instead (boost not allowed): (10 - w) 1600 / 4000 = 1.7 -> w = 5.75. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 4000.0));
    pol = health_band(KEEL_ALLOW_REPAY | KEEL_ALLOW_WITHDRAW);
    plan = plan_apply(pol, NULL, NULL, 1);
    a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_WITHDRAW && a.asset == ETH);
    ck_close(a.quantity, 5.75, 1e-12);
    ck_close(a.cost, 0.0, 0.0);
    keel_plan_free(plan);
    /* inside the band now: nothing */
    plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(health_band_deposits_and_swaps)
{
    /* Deposits only: ETH at 1800, HF 1.2; the wallet holds 5 ETH:
     * 1440 (10 + y) = 1.5 x 12000 -> y = 2.5. */
    ck_ok(keel_market_set_price(mk, ETH, 1800.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_basket *wallet;
    ck_ok(keel_basket_new(&wallet));
    ck_ok(keel_basket_set_collateral(wallet, ETH, 5.0));
    keel_policy *pol = health_band(KEEL_ALLOW_DEPOSIT);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 0); /* no wallet given: nothing to do */
    keel_plan_free(plan);
    plan = plan_apply(pol, NULL, wallet, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_DEPOSIT && a.to_asset == ETH);
    ck_close(a.received, 2.5, 1e-12);
    ck_close(collateral(ETH), 12.5, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);

    /* Swaps only, into USDC (h_maint 0): each ETH swapped adds 1800 - 1440 = 360 of
     * L. Debt 11000 gives HF 14400 / 11000 = 1.309 < 1.35 (trigger), target 1.4:
     * 360 x = 1.4 x 11000 - 14400 = 1000 -> x = 25 / 9. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 11000.0));
    keel_health_band_params p = KEEL_HEALTH_BAND_PARAMS_INIT;
    p.repay_below = 1.35;
    p.repay_to = 1.4;
    p.allowed = KEEL_ALLOW_SWAP;
    p.swap_to = USDC;
    ck_ok(keel_policy_health_band(&p, &pol));
    plan = plan_apply(pol, NULL, NULL, 1);
    a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_SWAP && a.asset == ETH && a.to_asset == USDC);
    ck_close(a.quantity, 25.0 / 9.0, 1e-12);
    ck_close(a.received, 1800.0 * 25.0 / 9.0, 1e-12);
    ck_close(metrics(b, NULL).health_factor, 1.4, 1e-9);
    keel_plan_free(plan);
    keel_policy_free(pol);

    /* Out of reach (all 10 ETH swapped give L = 18000, HF 18000 / 14000 = 1.2857 <
     * 1.4): the policy lands at the best it can reach. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 0.0));
    ck_ok(keel_basket_set_debt(b, USDC, 14000.0));
    ck_ok(keel_policy_health_band(&p, &pol));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(metrics(b, NULL).health_factor, 18000.0 / 14000.0, 1e-8);
    keel_plan_free(plan);
    keel_policy_free(pol);
    keel_basket_free(wallet);
}
END_TEST

START_TEST(deleverage_with_wallet_and_old_layout)
{
    /* ETH at 1800, 10 ETH against 12000 USDC, a 10 bp fee on ETH; the wallet
     * holds 1000 USDC, repaid first for free: W = 11000, then
     * 1440 (10 - x) = 1.5 (11000 - 1798.2 x) -> x = 2100 / 1257.3. */
    ck_ok(keel_market_set_price(mk, ETH, 1800.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.001, 0.0));
    keel_basket *wallet;
    ck_ok(keel_basket_new(&wallet));
    ck_ok(keel_basket_set_collateral(wallet, USDC, 1000.0));
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.repay_asset = USDC;
    dp.wallet = wallet;
    keel_plan *plan = NULL;
    ck_ok(keel_deleverage(b, NULL, mk, hc, cm, &dp, &plan, NULL));
    size_t n;
    ck_ok(keel_plan_action_count(plan, &n));
    ck_assert_uint_eq(n, 2);
    keel_action w = action(plan, 0), s = action(plan, 1);
    ck_assert(w.type == KEEL_ACTION_REPAY_FROM_WALLET && w.debt_asset == USDC);
    ck_close(w.repaid, 1000.0, 1e-9);
    ck_assert(s.type == KEEL_ACTION_SELL_TO_REPAY);
    ck_close(s.quantity, 2100.0 / 1257.3, 1e-9);
    double cost;
    ck_ok(keel_plan_summary(plan, &cost, NULL, NULL));
    ck_close(cost, 1.8 * 2100.0 / 1257.3, 1e-8);
    ck_ok(keel_plan_apply(plan, b));
    ck_close(metrics(b, NULL).health_factor, 1.5, 1e-9);
    keel_plan_free(plan);

    /* A caller of the first layout (no swap_to, no wallet) passes its smaller size. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_deleverage_params v1 = KEEL_DELEVERAGE_PARAMS_INIT;
    v1.size = offsetof(keel_deleverage_params, swap_to);
    v1.repay_asset = USDC;
    v1.swap_to = ETH;  /* beyond the size: must be ignored */
    v1.wallet = (const keel_basket *)&v1;
    ck_ok(keel_deleverage(b, NULL, mk, hc, cm, &v1, &plan, NULL));
    keel_plan_free(plan);
    v1.size = offsetof(keel_deleverage_params, swap_to) - 1;
    ck_status(keel_deleverage(b, NULL, mk, hc, cm, &v1, &plan, NULL), KEEL_E_OUT_OF_RANGE);

    /* both modes at once, and no mode without a wallet, are refused */
    dp.swap_to = ETH;
    ck_status(keel_deleverage(b, NULL, mk, hc, cm, &dp, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    dp.swap_to = KEEL_ASSET_INVALID;
    dp.repay_asset = KEEL_ASSET_INVALID;
    dp.wallet = NULL;
    ck_status(keel_deleverage(b, NULL, mk, hc, cm, &dp, &plan, NULL), KEEL_E_OUT_OF_RANGE);
    dp.wallet = (const keel_basket *)mk;
    ck_status(keel_deleverage(b, NULL, mk, hc, cm, &dp, &plan, NULL), KEEL_E_BAD_HANDLE);
    keel_basket_free(wallet);
}
END_TEST

START_TEST(fixed_costs_choose_which_assets_to_sell)
{
    /* 5 ETH (a = 0.8 p) and 0.2 WBTC (a = 0.75 p) against 13000 USDC: L = 17000,
     * need 1.4 x 13000 - 17000 = 1200. Both sell with linear impact n^2 / 1e6,
     * so without fixed costs the least cost splits the sale; ETH's gas is 300,
     * WBTC's 5. WBTC alone: 1.4 (n - n^2/1e6 - 5) - 0.75 n = 1200, i.e.
     * 1.4e-6 n^2 - 0.65 n + 1207 = 0, cost n^2/1e6 + 5 = 8.48; ETH alone costs
     * 307; both at least 305. The solver must sell WBTC only. */
    ck_ok(keel_basket_set_collateral(b, ETH, 5.0));
    ck_ok(keel_basket_set_collateral(b, WBTC, 0.2));
    ck_ok(keel_basket_set_debt(b, USDC, 13000.0));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 1.0, 1e6));
    ck_ok(keel_cost_model_set_linear_impact(cm, WBTC, 1.0, 1e6));
    ck_ok(keel_cost_model_set_fixed(cm, ETH, 300.0));
    ck_ok(keel_cost_model_set_fixed(cm, WBTC, 5.0));
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.target_health = 1.4;
    dp.repay_asset = USDC;
    keel_plan *plan = NULL;
    ck_ok(keel_deleverage(b, NULL, mk, hc, cm, &dp, &plan, NULL));
    size_t n;
    ck_ok(keel_plan_action_count(plan, &n));
    ck_assert_uint_eq(n, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.asset == WBTC);
    double qa = 1.4e-6, qb = -0.65, qc = 1207.0;
    double notional = (-qb - sqrt(qb * qb - 4 * qa * qc)) / (2 * qa);
    ck_close(a.quantity * 60000.0, notional, 1e-9);
    double cost;
    ck_ok(keel_plan_summary(plan, &cost, NULL, NULL));
    ck_close(cost, notional * notional / 1e6 + 5.0, 1e-9);
    ck_ok(keel_plan_apply(plan, b));
    ck_close(metrics(b, NULL).health_factor, 1.4, 1e-9);
    keel_plan_free(plan);
}
END_TEST

static keel_policy *leverage_band(double speed, double max_trade, double ripcord_max)
{
    keel_leverage_band_params p = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    p.asset = ETH;
    p.debt_asset = USDC;
    p.speed = speed;
    p.max_trade_value = max_trade;
    p.ripcord_max_trade_value = ripcord_max;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_leverage_band(&p, &pol));
    return pol;
}

static double leverage(void)
{
    keel_metrics m = metrics(b, NULL);
    return m.collateral_value / (m.collateral_value - m.debt_value);
}

START_TEST(leverage_band_recenters)
{
    /* 10 ETH at 2000 against 10000 USDC: leverage 2, inside [1.7, 2.3]. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    keel_policy *pol = leverage_band(1.0, 0.0, 0.0);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    /* ETH at 1700: 17000 / 7000 = 2.43 > 2.3; selling x ETH to repay keeps equity
     * 7000: (17000 - 1700 x) / 7000 = 2 -> x = 3000 / 1700. */
    ck_ok(keel_market_set_price(mk, ETH, 1700.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_SELL_TO_REPAY && a.asset == ETH && a.debt_asset == USDC);
    ck_close(a.quantity, 3000.0 / 1700.0, 1e-12);
    ck_close(leverage(), 2.0, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);

    /* Half speed: from 17/7 halfway to 2; a 1000 cap: (17000 - 1000) / 7000. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    pol = leverage_band(0.5, 0.0, 0.0);
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(leverage(), 17.0 / 7.0 + 0.5 * (2.0 - 17.0 / 7.0), 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    pol = leverage_band(1.0, 1000.0, 0.0);
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).quantity, 1000.0 / 1700.0, 1e-12);
    ck_close(leverage(), 16000.0 / 7000.0, 1e-12);
    keel_plan_free(plan);

    /* Ripcord: at 1580, 15800 / 5800 = 2.72 >= 2.7: FLI's ripcord() delevers
     * to maxLeverageRatio, 2.3, whatever the 1000 cap (the ripcord has none):
     * x = (15800 - 2.3 x 5800) / 1580. */
    ck_ok(keel_market_set_price(mk, ETH, 1580.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).quantity, (15800.0 - 2.3 * 5800.0) / 1580.0, 1e-12);
    ck_close(leverage(), 2.3, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(leverage_band_follows_fli)
{
    /* Index Coop's FLI new leverage ratio (FlexibleLeverageStrategyExtension.sol,
     * _calculateNewLeverageRatio): max(min, min(max, s T + (1 - s) L)).
     * 10 ETH against 10000 USDC at 1700: L = 17/7; with s = 0.05,
     * 0.05 x 2 + 0.95 x 17/7 = 2.407 > 2.3, so one rebalance lands on 2.3:
     * (17000 - 1700 x) / 7000 = 2.3 -> x = (17000 - 16100) / 1700. */
    ck_ok(keel_market_set_price(mk, ETH, 1700.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    keel_policy *pol = leverage_band(0.05, 0.0, 0.0);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).quantity, 900.0 / 1700.0, 1e-12);
    ck_close(leverage(), 2.3, 1e-12);
    keel_plan_free(plan);
    /* inside the band now: the next call does nothing */
    plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    /* At 2500: L = 25000 / 15000 = 5/3 < 1.7; 0.05 x 2 + 0.95 x 5/3 = 1.683
     * < 1.7, so FLI levers up to 1.7: (25000 + B) / 15000 = 1.7 -> B = 500. */
    ck_ok(keel_market_set_price(mk, ETH, 2500.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).borrowed, 500.0, 1e-12);
    ck_close(leverage(), 1.7, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);
    /* Inside the band after the move, a fraction of the way: speed 0.5 from
     * 17/7 gives 0.5 x 2 + 0.5 x 17/7 = 2.214, inside [1.7, 2.3], unclamped. */
}
END_TEST

START_TEST(leverage_band_delevers_through_impact)
{
    /* 10 ETH at 1700 against 10000 USDC (leverage 17/7), speed 1: to 2. A
     * sale of notional N with linear impact N^2 / depth repays N - N^2 / depth:
     * leverage (17000 - N) / (7000 - N^2 / depth) falls, then rises to +inf
     * as the cost eats the equity, so selling all 10 ETH is the worst size.
     * depth 25000: 2 (7000 - N^2 / 25000) = 17000 - N has the roots
     * N = 5000 and 20000, so sell 5000 / 1700 ETH (cost 1000, equity 6000,
     * collateral 12000, HF 0.8 x 12000 / 6000 = 1.6). Failed before (the
     * search took the whole holding: "HF 1.36 -> 0", KEEL_E_INFEASIBLE). */
    ck_ok(keel_market_set_price(mk, ETH, 1700.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 1.0, 25000.0));
    keel_policy *pol = leverage_band(1.0, 0.0, 0.0);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).quantity, 5000.0 / 1700.0, 1e-12);
    ck_close(leverage(), 2.0, 1e-12);
    ck_close(metrics(b, NULL).health_factor, 1.6, 1e-12);
    keel_plan_free(plan);
    /* depth 20000: 2 is out of reach (the discriminant 1 - 4 x 1e-4 x 3000 < 0);
     * the lowest leverage, where N^2 - 34000 N + 1.4e8 = 0, is at
     * N = 17000 - sqrt(1.49e8) and equals sqrt(1.49e8) / (7000 - N^2 / 20000)
     * = 2.0861825439809787823 (50-digit mpmath): the plan lands there. The
     * size is flat to first order at a minimum: 1e-7 for it, 1e-13 for the
     * leverage. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 1.0, 20000.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).quantity, (17000.0 - sqrt(1.49e8)) / 1700.0, 1e-7);
    ck_close(leverage(), 2.0861825439809787823, 1e-13);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

/* splitmix64 (Steele et al. 2014) for the sweeps: uniform in [0, 1). */
static uint64_t sweep_state = 0x2545f4914f6cdd1du;
static double sweep_uniform(void)
{
    uint64_t z = (sweep_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

START_TEST(free_purchases_never_fail)
{
    /* Issue 12: buying a free asset from a budget missed by an ulp, so about
     * 30% of health-band boosts and 54 of 152 leverage-band lever-ups on a
     * price x speed grid failed. With an empty cost model every boost lands
     * on its target, and every lever-up on FLI's new ratio (here inside the
     * band, so on max(min, s T + (1 - s) L) = the band's lower edge or more). */
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.allowed = KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST;
    hb.debt_asset = USDC;
    hb.boost_asset = ETH;
    keel_policy *band = NULL;
    ck_ok(keel_policy_health_band(&hb, &band));
    for (int i = 0; i < 300; i++) {
        double price = 1000.0 + 3000.0 * sweep_uniform(), q = 1.0 + 99.0 * sweep_uniform();
        double debt = q * price * 0.8 / (2.05 + 4.0 * sweep_uniform()); /* HF in (2.05, 6.05) */
        ck_ok(keel_market_set_price(mk, ETH, price));
        ck_ok(keel_basket_set_collateral(b, ETH, q));
        ck_ok(keel_basket_set_debt(b, USDC, debt));
        keel_plan *plan = NULL;
        keel_status st = keel_policy_plan(band, b, NULL, mk, hc, cm, NULL, &plan);
        ck_assert_msg(st == KEEL_OK, "boost %d: %s", i, keel_last_error());
        ck_ok(keel_plan_apply(plan, b));
        ck_close(metrics(b, NULL).health_factor, 1.7, 1e-12);
        keel_plan_free(plan);
    }
    keel_policy_free(band);
    int n = 0;
    for (int ip = 0; ip < 8; ip++) {
        for (int is = 0; is < 19; is++, n++) {
            double price = 1500.0 + 200.0 * ip, speed = is < 10 ? 0.05 + 0.1 * is : 0.1 * (is - 9);
            keel_policy *lev = leverage_band(speed, 0.0, 0.0);
            ck_ok(keel_market_set_price(mk, ETH, price));
            ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
            ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
            double l0 = leverage();
            keel_plan *plan = NULL;
            keel_status st = keel_policy_plan(lev, b, NULL, mk, hc, cm, NULL, &plan);
            ck_assert_msg(st == KEEL_OK, "price %g speed %g: %s", price, speed, keel_last_error());
            ck_ok(keel_plan_apply(plan, b));
            double want = l0 >= 1.7 && l0 <= 2.3
                              ? l0
                              : fmax(1.7, fmin(2.3, speed * 2.0 + (1.0 - speed) * l0));
            if (l0 >= 2.7)
                want = 2.3; /* the ripcord delevers to max */
            ck_close(leverage(), want, 1e-12);
            keel_plan_free(plan);
            keel_policy_free(lev);
        }
    }
    ck_assert_int_eq(n, 152);
}
END_TEST

START_TEST(leverage_band_levers_up)
{
    /* ETH at 2500: 25000 / 15000 = 1.67 < 1.7. Borrow B USDC, buy ETH at a 10 bp
     * fee: C = 25000 + B / 1.001, equity 15000 - B (1 - 1 / 1.001); leverage 2 ->
     * B = 5000 x 1.001 / 1.002. */
    ck_ok(keel_market_set_price(mk, ETH, 2500.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.001, 0.0));
    keel_policy *pol = leverage_band(1.0, 0.0, 0.0);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_BORROW_TO_BUY && a.to_asset == ETH);
    ck_close(a.borrowed, 5000.0 * 1.001 / 1.002, 1e-12);
    ck_close(leverage(), 2.0, 1e-12);
    keel_plan_free(plan);
    /* an account with no equity does not fit a leverage band */
    ck_ok(keel_basket_set_debt(b, USDC, 1e9));
    keel_plan *none = NULL;
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &none), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(none);
    keel_policy_free(pol);
}
END_TEST

static keel_policy *weights_policy(double band)
{
    keel_asset assets[] = { ETH, USDC, WBTC };
    double w[] = { 0.5, 0.3, 0.2 };
    keel_target_weights_params p = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    p.count = 3;
    p.assets = assets;
    p.weights = w;
    p.band = band;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_target_weights(&p, &pol));
    return pol;
}

static double weight(keel_asset a)
{
    double p;
    ck_ok(keel_market_price(mk, a, &p));
    return collateral(a) * p / metrics(b, NULL).collateral_value;
}

START_TEST(target_weights_trade_to_band_edges)
{
    /* 10 ETH (20000), 10000 USDC, 1/6 WBTC (10000): weights 0.5, 0.25, 0.25 --
     * inside 0.5 +- 0.05, 0.3 +- 0.05, 0.2 +- 0.05 (on the edges). */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 10000.0));
    ck_ok(keel_basket_set_collateral(b, WBTC, 1.0 / 6.0));
    keel_policy *pol = weights_policy(0.05);
    keel_plan *plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    /* ETH to 3000: 30000 / 50000 = 0.6 > 0.55, USDC 0.2 < 0.25. Without costs:
     * sell 2500 of ETH, buy 2500 of USDC; WBTC (0.2) stays. */
    ck_ok(keel_market_set_price(mk, ETH, 3000.0));
    plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_SWAP && a.asset == ETH && a.to_asset == USDC);
    ck_close(a.quantity, 2500.0 / 3000.0, 1e-12);
    ck_close(a.received, 2500.0, 1e-12);
    ck_close(weight(ETH), 0.55, 1e-12);
    ck_close(weight(USDC), 0.25, 1e-12);
    ck_close(collateral(WBTC), 1.0 / 6.0, 0.0);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(target_weights_with_costs)
{
    /* The same drift with a 30 bp fee on ETH. The edges are on the value after
     * costs V = 50000 - 0.003 s, s the ETH sold: s = 30000 - 0.55 V ->
     * s = 2500 / 0.99835. USDC needs 0.25 V - 10000 = 2500 - 0.00075 s, the
     * sale yields 0.997 s: 2500 - 0.99775 s short, sold from WBTC (free, with
     * room above its floor). */
    ck_ok(keel_market_set_price(mk, ETH, 3000.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 10000.0));
    ck_ok(keel_basket_set_collateral(b, WBTC, 1.0 / 6.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.003, 0.0));
    keel_policy *pol = weights_policy(0.05);
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan));
    double s = 2500.0 / 0.99835, cost;
    ck_ok(keel_plan_summary(plan, &cost, NULL, NULL));
    ck_close(cost, 0.003 * s, 1e-9);
    ck_ok(keel_plan_apply(plan, b));
    ck_close(collateral(ETH), (30000.0 - s) / 3000.0, 1e-12);
    ck_close(collateral(WBTC) * 60000.0, 10000.0 - (2500.0 - 0.99775 * s), 1e-9);
    ck_close(weight(ETH), 0.55, 1e-12);
    ck_close(weight(USDC), 0.25, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(target_weights_surplus_goes_to_the_cheapest)
{
    /* Targets ETH 0.5, USDC 0.5, band 0.1; WBTC is held but not listed (weight
     * 0). ETH 4500 and USDC 4500 are inside their bands; WBTC 2000 of 11000 is
     * 0.18 > 0.1: 900 of it is sold. Nothing is under its floor, so the cash
     * buys the asset cheapest to buy with room: USDC (ETH pays 30 bp). */
    ck_ok(keel_basket_set_collateral(b, ETH, 2.25));
    ck_ok(keel_basket_set_collateral(b, USDC, 4500.0));
    ck_ok(keel_basket_set_collateral(b, WBTC, 2000.0 / 60000.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.003, 0.0));
    keel_asset assets[] = { ETH, USDC };
    double w[] = { 0.5, 0.5 };
    keel_target_weights_params p = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    p.count = 2;
    p.assets = assets;
    p.weights = w;
    p.band = 0.1;
    keel_policy *pol;
    ck_ok(keel_policy_target_weights(&p, &pol));
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_SWAP && a.asset == WBTC && a.to_asset == USDC);
    ck_close(a.quantity * 60000.0, 900.0, 1e-12);
    ck_close(collateral(USDC), 5400.0, 1e-12);
    ck_close(collateral(ETH), 2.25, 0.0);
    ck_close(weight(WBTC), 0.1, 1e-12);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(delta_hedge_funding_past_a_doubling)
{
    /* The funding asset sold with square-root impact: proceeds
     * y (1 - s sqrt(y / 100)), s = 0.3 / sqrt(365), peak at
     * y* = 100 / (1.5 s)^2 = 180,247 (proceeds y* / 3 = 60,082) and fall
     * after. 42 short calls struck at 1000 less 10 ETH held leave ~29.24 ETH
     * to buy, ~58,476 of cash: the sizes that raise it lie in a window around
     * y* that the doubling bracket (58,476, 116,953, 233,906, ...) stepped
     * over, and the hedge failed (KEEL_E_OVERFLOW once the doubling ran out
     * of range). The least sale, on the rising side, must be found. */
    keel_options *o;
    ck_ok(keel_options_new(&o));
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 1000.0, 0.5, -42.0, NULL));
    ck_ok(keel_market_set_volatility(mk, USDC, 0.3));
    ck_ok(keel_cost_model_set_sqrt_impact(cm, USDC, 1.0, 100.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 400000.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
    p.funding_asset = USDC;
    keel_policy *pol;
    ck_ok(keel_policy_delta_hedge(&p, &pol));
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_ok(keel_options_greeks(o, mk, ETH, &g));
    keel_plan *plan = plan_apply(pol, o, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_HEDGE && a.asset == USDC && a.to_asset == ETH);
    ck_close(a.received, -g.delta - 10.0, 1e-12); /* no cost on ETH: H = 0, net delta 0 */
    double s = 0.3 / sqrt(365.0), y = a.quantity + a.borrowed;
    ck_close(y * (1.0 - s * sqrt(y / 100.0)), a.received * 2000.0, 1e-12);
    ck_assert_msg(y < 100.0 / (1.5 * s * 1.5 * s), "sold %g: past the peak, not the least sale", y);
    keel_plan_free(plan);
    /* 43 short calls (from 10 ETH again): ~60,345 of cash, above the peak
     * y* / 3 = 60,082.3: no sale raises it, said as such (not an overflow) */
    uint32_t id;
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 1000.0, 0.5, -1.0, &id));
    ck_ok(keel_basket_set_collateral(b, USDC, 400000.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    plan = NULL;
    ck_assert_int_eq(keel_policy_plan(pol, b, o, mk, hc, cm, NULL, &plan), KEEL_E_INFEASIBLE);
    ck_assert_ptr_null(plan);
    ck_assert_msg(strstr(keel_last_error(), "proceeds peak at 60082.3") != NULL, "%s",
                  keel_last_error());
    keel_policy_free(pol);
    keel_options_free(o);
}
END_TEST

START_TEST(delta_hedge_short_sale_and_funding_fees)
{
    /* 10 long ETH calls (delta ~ +5.6) and no ETH held: the net delta is above
     * the band, so the policy sells ETH it does not hold (borrowing it); the
     * proceeds buy USDC at a 20 bp fee. Then with short calls it buys ETH
     * paying in USDC sold at 20 bp: the units of USDC given up y solve
     * y (1 - 0.002) = the ETH purchase's cost. */
    keel_options *o;
    ck_ok(keel_options_new(&o));
    uint32_t id;
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2000.0, 30.0 / 365.0, 10.0, &id));
    ck_ok(keel_basket_set_collateral(b, USDC, 50000.0));
    ck_ok(keel_cost_model_set_fee(cm, USDC, 0.002, 0.0));
    keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
    p.funding_asset = USDC;
    keel_policy *pol;
    ck_ok(keel_policy_delta_hedge(&p, &pol));
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_ok(keel_options_greeks(o, mk, ETH, &g));
    keel_plan *plan = plan_apply(pol, o, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_HEDGE && a.asset == ETH && a.debt_asset == ETH);
    ck_close(a.quantity, 0.0, 0.0);           /* none held ... */
    ck_close(a.borrowed, g.delta, 1e-12);     /* ... all of it borrowed (H = 0: no cost on ETH) */
    ck_close(a.received, g.delta * 2000.0 / 1.002, 1e-9);
    ck_close(debt(ETH) - g.delta, 0.0, 1e-12); /* net delta 0 */
    keel_plan_free(plan);
    /* short calls: buy ETH, paying with USDC sold at a fee */
    ck_ok(keel_options_set_quantity(o, id, -10.0));
    ck_ok(keel_basket_set_debt(b, ETH, 0.0));
    double usdc0 = collateral(USDC);
    plan = plan_apply(pol, o, NULL, 1);
    a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_HEDGE && a.asset == USDC && a.to_asset == ETH);
    ck_close(a.received, g.delta, 1e-12);
    ck_close((usdc0 - collateral(USDC)) * (1.0 - 0.002), g.delta * 2000.0, 1e-9);
    keel_plan_free(plan);
    keel_policy_free(pol);
    keel_options_free(o);
}
END_TEST

START_TEST(plans_never_make_the_account_liquidatable)
{
    /* Issue 12: the demo's delta hedge took HF 1.0105 to 0.9907. Here 12 ETH
     * (h_maint 0.2) against 13000 USD of WBTC debt, 10 short ETH calls (K 2200,
     * 30 days), USDC counting half (h_maint 0.5): selling ETH into USDC to the
     * band's upper edge lowers L. Alone, the hedge goes as far as HF 1 allows;
     * followed by a health band it hedges fully and the band restores health;
     * a policy whose plan cannot avoid it is refused with KEEL_E_INFEASIBLE. */
    ck_ok(keel_haircut_model_set_asset(hc, USDC, 0.5, 0.5));
    keel_options *o;
    ck_ok(keel_options_new(&o));
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2200.0, 30.0 / 365.0, -10.0, NULL));
    keel_greeks g1 = KEEL_GREEKS_INIT;
    ck_ok(keel_black_scholes(KEEL_CALL, 2000.0, 2200.0, 30.0 / 365.0, 0.0, 0.0, 0.8, &g1));
    double h;
    ck_ok(keel_hedge_band(-10.0 * g1.gamma, 2000.0, 0.0, 0.001, 1.0, &h));
    double full = 12.0 - 10.0 * g1.delta - h; /* ETH to sell to the upper edge */
    ck_ok(keel_basket_set_collateral(b, ETH, 12.0));
    ck_ok(keel_basket_set_debt(b, WBTC, 13000.0 / 60000.0));
    ck_assert(metrics(b, o).health_factor > 1.0);
    keel_delta_hedge_params hp = KEEL_DELTA_HEDGE_PARAMS_INIT;
    hp.risk_aversion = 0.001;
    hp.funding_asset = USDC;
    keel_policy *hedge = NULL;
    ck_ok(keel_policy_delta_hedge(&hp, &hedge));
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(hedge, b, o, mk, hc, cm, NULL, &plan));
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_assert_msg(after.health_factor >= 1.0 && after.health_factor < 1.0 + 1e-9, "HF %.17g",
                  after.health_factor);
    keel_action a = action(plan, 0);
    ck_assert(a.quantity > 0.0 && a.quantity < full);
    keel_plan_free(plan);
    /* hedge, then a health band: the hedge is whole, the band repairs health */
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.debt_asset = WBTC;
    keel_policy *band = NULL, *both = NULL;
    ck_ok(keel_policy_health_band(&hb, &band));
    const keel_policy *parts[] = { hedge, band };
    ck_ok(keel_policy_compose(parts, 2, &both));
    ck_ok(keel_policy_plan(both, b, o, mk, hc, cm, NULL, &plan));
    ck_close(action(plan, 0).quantity, full, 1e-12);
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_close(after.health_factor, 1.5, 1e-9);
    keel_plan_free(plan);
    keel_policy_free(both);
    keel_policy_free(band);
    keel_policy_free(hedge);
    keel_options_free(o);
    /* Target weights 0.5 / 0.3 / 0.2 from 12 ETH at HF 1.05 would swap 30%
     * into half-counting USDC: L falls by about 0.3 x 24000 x 0.3 = 2160 of
     * 19200, below W. Refused, nothing proposed. */
    ck_ok(keel_basket_set_debt(b, WBTC, 19200.0 / 1.05 / 60000.0));
    keel_policy *w = weights_policy(0.05);
    plan = NULL;
    ck_status(keel_policy_plan(w, b, NULL, mk, hc, cm, NULL, &plan), KEEL_E_INFEASIBLE);
    ck_assert_ptr_null(plan);
    ck_assert_msg(strstr(keel_last_error(), "liquidatable") != NULL, "%s", keel_last_error());
    keel_policy_free(w);
}
END_TEST

START_TEST(policies_land_at_the_best_even_under_water)
{
    /* 10 ETH at 2000 (h_maint 0.2) against 21000 USDC: HF 16000 / 21000. A
     * band that may only swap into USDC (h_maint 0 in this fixture) reaches
     * 20000 / 21000 at best by swapping all of it; it lands there (it used
     * to fail with "target_health must be > 1"); so does the predictive
     * policy. Deposits of a 1000-USDC wallet: 17000 / 21000. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 21000.0));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.allowed = KEEL_ALLOW_SWAP;
    hb.swap_to = USDC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_plan *plan = NULL;
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan));
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_close(after.health_factor, 20000.0 / 21000.0, 1e-8);
    keel_plan_free(plan);
    keel_policy_free(pol);
    keel_predictive_params pp = KEEL_PREDICTIVE_PARAMS_INIT;
    pp.swap_to = USDC;
    ck_ok(keel_policy_predictive(&pp, &pol));
    ck_ok(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan));
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_close(after.health_factor, 20000.0 / 21000.0, 1e-8);
    keel_plan_free(plan);
    keel_policy_free(pol);
    hb.allowed = KEEL_ALLOW_DEPOSIT;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_basket *wallet;
    ck_ok(keel_basket_new(&wallet));
    ck_ok(keel_basket_set_collateral(wallet, USDC, 1000.0));
    ck_ok(keel_policy_plan(pol, b, NULL, mk, hc, cm, wallet, &plan));
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_close(after.health_factor, 17000.0 / 21000.0, 1e-8);
    keel_plan_free(plan);
    keel_policy_free(pol);
    /* an error inside names the function called, never keel_deleverage */
    hb.allowed = KEEL_ALLOW_REPAY;
    hb.debt_asset = 99;
    ck_ok(keel_policy_health_band(&hb, &pol));
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan), KEEL_E_UNKNOWN_ASSET);
    ck_assert_msg(strncmp(keel_last_error(), "keel_policy_plan:", 17) == 0, "%s", keel_last_error());
    keel_policy_free(pol);
    keel_basket_free(wallet);
}
END_TEST

/* Whether the last error names the public function called and none of the
 * library's public functions that it may use inside. */
static void ck_error_names_plan(void)
{
    const char *e = keel_last_error();
    ck_assert_msg(strncmp(e, "keel_policy_plan:", 17) == 0, "%s", e);
    static const char *const inner[] = { "keel_basket_metrics", "keel_haircut_breakdown",
                                         "keel_basket_add_debt", "keel_basket_clone",
                                         "keel_deleverage" };
    for (size_t i = 0; i < sizeof inner / sizeof *inner; i++)
        ck_assert_msg(strstr(e, inner[i]) == NULL, "%s", e);
}

START_TEST(plan_errors_name_keel_policy_plan)
{
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.allowed = KEEL_ALLOW_SWAP;
    hb.swap_to = WBTC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_plan *plan = NULL;
    /* (a) the basket holds an asset the market does not know: the metrics
     * the plan starts from fail */
    ck_ok(keel_basket_set_collateral(b, 7, 1.0));
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan), KEEL_E_UNKNOWN_ASSET);
    ck_error_names_plan();
    ck_ok(keel_basket_clear(b));
    /* (b) in portfolio mode, any two of the three assets have a PSD
     * correlation matrix but all three do not (determinant
     * 1 - 3 x 0.81 - 2 x 0.729 < 0): the account (ETH against USDC) values,
     * the account after a swap into WBTC does not */
    ck_ok(keel_market_set_correlation(mk, ETH, USDC, 0.9));
    ck_ok(keel_market_set_correlation(mk, ETH, WBTC, 0.9));
    ck_ok(keel_market_set_correlation(mk, USDC, WBTC, -0.9));
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(hc, 1));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    ck_assert_double_lt(metrics(b, NULL).health_factor, hb.repay_below);
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan), KEEL_E_NOT_PSD);
    ck_error_names_plan();
    keel_policy_free(pol);
}
END_TEST

START_TEST(boosts_stay_within_borrowing_power)
{
    /* A protocol refuses a borrow past the borrowing power (Aave v3
     * validateBorrow). 10 ETH at 2000 with haircuts (0.7, 0.2) against 4000
     * USDC: HF 4, BP 6000. Boosting to 1.7 would borrow 9200 / 0.9; borrowing
     * B and buying B / 2000 ETH gives BP 6000 + 0.3 B and W 4000 + B, so the
     * boost stops at W = BP: B = 2000 / 0.7. */
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.7, 0.2));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 4000.0));
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT;
    hb.allowed = KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST;
    hb.debt_asset = USDC;
    hb.boost_asset = ETH;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_health_band(&hb, &pol));
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(action(plan, 0).borrowed, 2000.0 / 0.7, 1e-12);
    keel_metrics m = metrics(b, NULL);
    ck_assert(m.weighted_debt <= m.borrowing_power);
    keel_plan_free(plan);
    /* collateral with LTV 0 (initial haircut 1) lends nothing: no boost */
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 1.0, 0.2));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 1000.0));
    plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    /* nor does a leverage band lever up past it: at 2500 (leverage 5/3),
     * the lever-up to 1.7 needs B = 500 but (0.7, 0.2) gives BP 7500 + 0.3 B
     * against W 10000 + B: already over, nothing is borrowed */
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.7, 0.2));
    ck_ok(keel_market_set_price(mk, ETH, 2500.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 10000.0));
    keel_policy *lev = leverage_band(0.05, 0.0, 0.0);
    plan = plan_apply(lev, NULL, NULL, 0);
    keel_plan_free(plan);
    keel_policy_free(lev);
    keel_policy_free(pol);
}
END_TEST

START_TEST(hedge_sale_worth_nothing_is_not_made)
{
    /* 12 ETH against 10 short calls: the hedge sells ETH into USDC. With a
     * fixed cost of 1e9 on buying USDC the proceeds would buy nothing: the
     * plan does not give ETH away for nothing (it did). */
    keel_options *o;
    ck_ok(keel_options_new(&o));
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2200.0, 30.0 / 365.0, -10.0, NULL));
    ck_ok(keel_basket_set_collateral(b, ETH, 12.0));
    ck_ok(keel_cost_model_set_fixed(cm, USDC, 1e9));
    keel_delta_hedge_params hp = KEEL_DELTA_HEDGE_PARAMS_INIT;
    hp.risk_aversion = 0.001;
    hp.funding_asset = USDC;
    keel_policy *hedge = NULL;
    ck_ok(keel_policy_delta_hedge(&hp, &hedge));
    keel_plan *plan = plan_apply(hedge, o, NULL, 0);
    keel_plan_free(plan);
    ck_ok(keel_cost_model_set_fixed(cm, USDC, 0.0)); /* without it the hedge sells */
    plan = plan_apply(hedge, o, NULL, 1);
    keel_plan_free(plan);
    keel_policy_free(hedge);
    keel_options_free(o);
}
END_TEST

START_TEST(hedge_band_closed_form)
{
    /* H = (3 D k S Gamma^2 / (2 gamma))^(1/3): Gamma 0.002, S 2000, k 0.001,
     * gamma 0.01, D 1 -> (1.5 x 0.001 x 2000 x 4e-6 / 0.01)^(1/3) = 0.0012^(1/3). */
    double h, h2;
    ck_ok(keel_hedge_band(0.002, 2000.0, 0.001, 0.01, 1.0, &h));
    ck_close(h, cbrt(0.0012), 1e-15);
    ck_ok(keel_hedge_band(-0.002, 2000.0, 0.001, 0.01, 1.0, &h2)); /* sign of gamma */
    ck_close(h2, h, 1e-15);
    ck_ok(keel_hedge_band(0.004, 2000.0, 0.001, 0.01, 1.0, &h2)); /* grows with gamma */
    ck_close(h2 / h, cbrt(4.0), 1e-14);
    ck_ok(keel_hedge_band(0.002, 2000.0, 0.002, 0.01, 1.0, &h2)); /* and with cost */
    ck_close(h2 / h, cbrt(2.0), 1e-14);
    ck_ok(keel_hedge_band(0.002, 2000.0, 0.001, 0.02, 1.0, &h2)); /* shrinks with aversion */
    ck_close(h2 / h, cbrt(0.5), 1e-14);
    ck_ok(keel_hedge_band(0.002, 2000.0, 0.0, 0.01, 1.0, &h2));
    ck_close(h2, 0.0, 0.0);
    ck_status(keel_hedge_band(NAN, 2000.0, 0.001, 0.01, 1.0, &h), KEEL_E_NOT_FINITE);
    ck_status(keel_hedge_band(0.002, 0.0, 0.001, 0.01, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(0.002, 2000.0, -0.001, 0.01, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(0.002, 2000.0, 0.001, 0.0, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(0.002, 2000.0, 0.001, 0.01, 1.5, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_hedge_band(0.002, 2000.0, 0.001, 0.01, 1.0, NULL), KEEL_E_NULL_ARG);
}
END_TEST

START_TEST(delta_hedge_trades_to_band_edge)
{
    /* 10 short ETH calls (K 2200, 30 days, vol 0.8); the account holds 2 ETH and
     * 50000 USDC. The book's delta and gamma come from the Black-Scholes
     * kernel (checked against Haug's tables in test_options). */
    keel_options *o;
    ck_ok(keel_options_new(&o));
    uint32_t id;
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2200.0, 30.0 / 365.0, -10.0, &id));
    keel_greeks g1 = KEEL_GREEKS_INIT;
    ck_ok(keel_black_scholes(KEEL_CALL, 2000.0, 2200.0, 30.0 / 365.0, 0.0, 0.0, 0.8, &g1));
    double delta = -10.0 * g1.delta, gamma = -10.0 * g1.gamma;
    ck_ok(keel_basket_set_collateral(b, ETH, 2.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 50000.0));
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.002, 0.0005));
    keel_delta_hedge_params p = KEEL_DELTA_HEDGE_PARAMS_INIT;
    p.risk_aversion = 0.001;
    p.funding_asset = USDC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_delta_hedge(&p, &pol));
    double h;
    ck_ok(keel_hedge_band(gamma, 2000.0, 0.0025, 0.001, 1.0, &h));
    double net = 2.0 + delta;
    ck_assert(net < -h); /* short calls, too little ETH: buy up to the lower edge */
    keel_plan *plan = plan_apply(pol, o, NULL, 1);
    keel_action a = action(plan, 0);
    ck_assert(a.type == KEEL_ACTION_HEDGE && a.to_asset == ETH && a.asset == USDC);
    ck_close(a.received, -h - net, 1e-12);
    ck_close(collateral(ETH) + delta, -h, 1e-12); /* lands on the edge, not at zero */
    /* it paid the notional plus 25 bp in USDC */
    ck_close(50000.0 - collateral(USDC), a.received * 2000.0 * 1.0025, 1e-9);
    keel_plan_free(plan);
    /* inside the band now: nothing */
    plan = plan_apply(pol, o, NULL, 0);
    keel_plan_free(plan);
    /* too much ETH: sell down to the upper edge */
    ck_ok(keel_basket_set_collateral(b, ETH, 12.0));
    plan = plan_apply(pol, o, NULL, 1);
    ck_close(collateral(ETH) + delta, h, 1e-12);
    keel_plan_free(plan);
    /* no book: nothing to hedge */
    plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    keel_policy_free(pol);
    keel_options_free(o);
}
END_TEST

/* The first-passage probability of log HF = x + (-s^2/2) t + s W_t below 0 by
 * time 1 (Harrison 1985, "Brownian Motion and Stochastic Flow Systems", 1.8):
 * Phi((-x - m)/s) + exp(-2 m x / s^2) Phi((-x + m)/s), m = -s^2/2. */
static double gbm_first_passage(double x, double s)
{
    double m = -0.5 * s * s;
    double phi1 = 0.5 * erfc((x + m) / s / sqrt(2.0));
    double phi2 = 0.5 * erfc((x - m) / s / sqrt(2.0));
    return phi1 + exp(-2.0 * m * x / (s * s)) * phi2;
}

START_TEST(liquidation_probability_single_asset)
{
    /* 10 ETH (vol 0.8) against stable debt with fixed haircuts: HF is linear in
     * the price, log HF a Brownian motion with drift -s^2/2: the formula is exact. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    double pr, x = log(16000.0 / 12000.0);
    for (int d = 1; d <= 365; d *= 3) {
        double t = d / 365.0, s = 0.8 * sqrt(t);
        ck_ok(keel_liquidation_probability(b, NULL, mk, hc, t, &pr));
        ck_close(pr, gbm_first_passage(x, s), 1e-7);
        /* between the terminal probability and twice it (reflection) */
        double terminal = 0.5 * erfc((x - 0.5 * s * s) / s / sqrt(2.0));
        ck_assert(pr >= terminal && pr <= 2.0 * terminal + 1e-15);
    }
    /* no debt: 0; liquidatable: 1 */
    keel_basket *safe;
    ck_ok(keel_basket_new(&safe));
    ck_ok(keel_basket_set_collateral(safe, ETH, 1.0));
    ck_ok(keel_liquidation_probability(safe, NULL, mk, hc, 1.0, &pr));
    ck_close(pr, 0.0, 0.0);
    ck_ok(keel_basket_set_debt(safe, USDC, 1e6));
    ck_ok(keel_liquidation_probability(safe, NULL, mk, hc, 1.0, &pr));
    ck_close(pr, 1.0, 0.0);
    keel_basket_free(safe);
    ck_status(keel_liquidation_probability(b, NULL, mk, hc, 0.0, &pr), KEEL_E_OUT_OF_RANGE);
    pr = -1.0; /* found by fuzzing: a horizon of 1e308 years overflowed the moments to NaN */
    ck_status(keel_liquidation_probability(b, NULL, mk, hc, 1e308, &pr), KEEL_E_OVERFLOW);
    ck_close(pr, -1.0, 0.0);
    ck_status(keel_liquidation_probability(b, NULL, mk, hc, NAN, &pr), KEEL_E_NOT_FINITE);
    ck_status(keel_liquidation_probability(b, NULL, mk, hc, 1.0, NULL), KEEL_E_NULL_ARG);
}
END_TEST

START_TEST(health_factor_exactly_one_is_not_liquidatable)
{
    /* Issue 12: one boundary everywhere, HF < 1 is liquidatable. 10 ETH at
     * 2000 with maintenance haircut 0.25 against 15000 USDC: L = 15000 = W,
     * HF = 1 exactly. With volatility 0 nothing moves: probability 0 (it was
     * 1.0), and the predictive policy does nothing (it failed). */
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.25, 0.25));
    ck_ok(keel_market_set_volatility(mk, ETH, 0.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 15000.0));
    ck_assert(metrics(b, NULL).health_factor == 1.0);
    double pr = -1.0;
    ck_ok(keel_liquidation_probability(b, NULL, mk, hc, 1.0 / 365.0, &pr));
    ck_assert(pr == 0.0);
    keel_predictive_params p = KEEL_PREDICTIVE_PARAMS_INIT;
    p.repay_asset = USDC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_predictive(&p, &pol));
    keel_plan *plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    /* one wei of debt more: HF just below 1, liquidatable now: 1 */
    ck_ok(keel_basket_set_debt(b, USDC, nextafter(15000.0, INFINITY)));
    ck_assert(metrics(b, NULL).health_factor < 1.0);
    ck_ok(keel_liquidation_probability(b, NULL, mk, hc, 1.0 / 365.0, &pr));
    ck_assert(pr == 1.0);
    /* At HF = 1 with volatility, a Brownian path started on the line goes
     * below it at once: probability 1, the limit of the first-passage
     * formula Phi(-m/s) + e^0 Phi(m/s) = 1 as log HF -> 0. */
    ck_ok(keel_basket_set_debt(b, USDC, 15000.0));
    ck_ok(keel_market_set_volatility(mk, ETH, 0.5));
    ck_ok(keel_liquidation_probability(b, NULL, mk, hc, 1.0 / 365.0, &pr));
    ck_close(pr, 1.0, 1e-15);
    /* The deleverage solver lands on targets a hair above the current HF
     * (each was NO_CONVERGENCE or an empty plan short of the target). */
    for (double eps = 1e-15; eps < 1e-9; eps *= 10.0) {
        ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
        ck_ok(keel_basket_set_debt(b, USDC, 15000.0));
        keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
        dp.target_health = 1.0 + eps;
        dp.repay_asset = USDC;
        keel_plan *pl = NULL;
        ck_ok(keel_deleverage(b, NULL, mk, hc, cm, &dp, &pl, NULL));
        ck_ok(keel_plan_apply(pl, b));
        double h = metrics(b, NULL).health_factor;
        ck_assert_msg(fabs(h - dp.target_health) <= 1e-12 * dp.target_health && h > 1.0,
                      "target 1 + %g: HF %.17g", eps, h);
        keel_plan_free(pl);
    }
    keel_policy_free(pol);
}
END_TEST

START_TEST(predictive_deleverages_just_enough)
{
    /* 30-day horizon, 5% limit. At HF 1.333 the probability is ~0.5: act, to
     * the HF whose probability is 5%, found here by bisecting the closed form. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_predictive_params p = KEEL_PREDICTIVE_PARAMS_INIT;
    p.horizon = 30.0 / 365.0;
    p.max_probability = 0.05;
    p.repay_asset = USDC;
    keel_policy *pol = NULL;
    ck_ok(keel_policy_predictive(&p, &pol));
    double s = 0.8 * sqrt(p.horizon), lo = 0.0, hi = 5.0;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (gbm_first_passage(mid, s) > 0.05)
            lo = mid;
        else
            hi = mid;
    }
    keel_plan *plan = plan_apply(pol, NULL, NULL, 1);
    ck_close(metrics(b, NULL).health_factor, exp(hi), 1e-7);
    double pr;
    ck_ok(keel_liquidation_probability(b, NULL, mk, hc, p.horizon, &pr));
    ck_close(pr, 0.05, 1e-7);
    keel_plan_free(plan);
    /* now within the limit: nothing */
    plan = plan_apply(pol, NULL, NULL, 0);
    keel_plan_free(plan);
    keel_policy_free(pol);
}
END_TEST

START_TEST(composition_runs_in_order)
{
    /* Delta hedge, then health band: the hedge buys ETH with borrowed USDC (no
     * USDC collateral), which lowers HF below the trigger; the band then repays. */
    keel_options *o;
    ck_ok(keel_options_new(&o));
    uint32_t id;
    ck_ok(keel_options_add(o, ETH, KEEL_CALL, 2200.0, 30.0 / 365.0, -10.0, &id));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 9000.0));
    keel_delta_hedge_params hp = KEEL_DELTA_HEDGE_PARAMS_INIT;
    hp.funding_asset = USDC;
    keel_policy *hedge = NULL, *band = health_band(KEEL_ALLOW_REPAY), *both = NULL;
    ck_ok(keel_policy_delta_hedge(&hp, &hedge));
    const keel_policy *list[] = { hedge, band };
    ck_ok(keel_policy_compose(list, 2, &both));
    keel_plan *plan = NULL;
    ck_ok(keel_policy_plan(both, b, o, mk, hc, cm, NULL, &plan));
    size_t n;
    ck_ok(keel_plan_action_count(plan, &n));
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(action(plan, 0).type, KEEL_ACTION_HEDGE);
    keel_metrics after = KEEL_METRICS_INIT;
    ck_ok(keel_plan_summary(plan, NULL, NULL, &after));
    ck_assert(after.health_factor >= 1.3);
    ck_ok(keel_plan_apply(plan, b));
    ck_close(metrics(b, o).health_factor, after.health_factor, 1e-15);
    keel_plan_free(plan);
    /* contradictions: two of one kind; a health band with a leverage band */
    keel_policy *lev = leverage_band(1.0, 0.0, 0.0), *bad = NULL;
    const keel_policy *twice[] = { band, band };
    ck_status(keel_policy_compose(twice, 2, &bad), KEEL_E_OUT_OF_RANGE);
    const keel_policy *clash[] = { both, lev };
    ck_status(keel_policy_compose(clash, 2, &bad), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(bad);
    ck_status(keel_policy_compose(list, 0, &bad), KEEL_E_OUT_OF_RANGE);
    const keel_policy *freed[] = { (const keel_policy *)mk };
    ck_status(keel_policy_compose(freed, 1, &bad), KEEL_E_BAD_HANDLE);
    keel_policy *copy = NULL;
    ck_ok(keel_policy_clone(both, &copy));
    keel_policy_kind kind;
    ck_ok(keel_policy_kind_of(copy, &kind));
    ck_assert_int_eq(kind, KEEL_POLICY_COMPOSITE);
    keel_policy_free(copy);
    keel_policy_free(lev);
    keel_policy_free(both);
    keel_policy_free(band);
    keel_policy_free(hedge);
    keel_options_free(o);
}
END_TEST

START_TEST(bad_parameters_are_refused)
{
    keel_policy *pol = NULL;
    keel_health_band_params h = KEEL_HEALTH_BAND_PARAMS_INIT;
    h.debt_asset = USDC;
    h.repay_below = 1.6; /* trigger above target */
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.repay_below = 1.0; /* trigger at 1 */
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.repay_below = 1.3;
    h.boost_to = 1.4; /* below repay_to */
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.boost_to = 2.5; /* above boost_above */
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.boost_to = 1.7;
    h.repay_to = NAN;
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_NOT_FINITE);
    h.repay_to = 1.5;
    h.allowed = 0;
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.allowed = 1u << 7;
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.allowed = KEEL_ALLOW_BOOST; /* no boost asset */
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.allowed = KEEL_ALLOW_REPAY;
    h.max_trade_value = -1.0;
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    h.max_trade_value = 0.0;
    h.size = 8;
    ck_status(keel_policy_health_band(&h, &pol), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_policy_health_band(NULL, &pol), KEEL_E_NULL_ARG);
    ck_assert_ptr_null(pol);

    keel_leverage_band_params l = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    l.asset = ETH;
    l.debt_asset = USDC;
    l.min = 2.1; /* above target */
    ck_status(keel_policy_leverage_band(&l, &pol), KEEL_E_OUT_OF_RANGE);
    l.min = 1.7;
    l.ripcord = 2.2; /* below max */
    ck_status(keel_policy_leverage_band(&l, &pol), KEEL_E_OUT_OF_RANGE);
    l.ripcord = 2.7;
    l.speed = 0.0;
    ck_status(keel_policy_leverage_band(&l, &pol), KEEL_E_OUT_OF_RANGE);
    l.speed = 1.0;
    l.debt_asset = ETH;
    ck_status(keel_policy_leverage_band(&l, &pol), KEEL_E_OUT_OF_RANGE);

    keel_asset assets[] = { ETH, ETH };
    double w[] = { 0.5, 0.5 }, w2[] = { 0.5, 0.4 };
    keel_target_weights_params t = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    t.count = 2;
    t.assets = assets;
    t.weights = w;
    ck_status(keel_policy_target_weights(&t, &pol), KEEL_E_OUT_OF_RANGE); /* repeated */
    assets[1] = USDC;
    t.weights = w2;
    ck_status(keel_policy_target_weights(&t, &pol), KEEL_E_OUT_OF_RANGE); /* sum 0.9 */
    t.weights = w;
    t.band = 1.0;
    ck_status(keel_policy_target_weights(&t, &pol), KEEL_E_OUT_OF_RANGE);
    t.band = 0.05;
    t.count = 0;
    ck_status(keel_policy_target_weights(&t, &pol), KEEL_E_OUT_OF_RANGE);
    t.count = 2;
    t.assets = NULL;
    ck_status(keel_policy_target_weights(&t, &pol), KEEL_E_NULL_ARG);

    keel_delta_hedge_params d = KEEL_DELTA_HEDGE_PARAMS_INIT;
    ck_status(keel_policy_delta_hedge(&d, &pol), KEEL_E_OUT_OF_RANGE); /* no funding asset */
    d.funding_asset = USDC;
    d.risk_aversion = -1.0;
    ck_status(keel_policy_delta_hedge(&d, &pol), KEEL_E_OUT_OF_RANGE);

    keel_predictive_params pr = KEEL_PREDICTIVE_PARAMS_INIT;
    ck_status(keel_policy_predictive(&pr, &pol), KEEL_E_OUT_OF_RANGE); /* no asset */
    pr.repay_asset = USDC;
    pr.max_probability = 1.0;
    ck_status(keel_policy_predictive(&pr, &pol), KEEL_E_OUT_OF_RANGE);
    pr.max_probability = 0.01;
    pr.horizon = 0.0;
    ck_status(keel_policy_predictive(&pr, &pol), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_null(pol);

    /* an unknown asset is found when planning, and nothing changes */
    h = (keel_health_band_params)KEEL_HEALTH_BAND_PARAMS_INIT;
    h.debt_asset = 77;
    ck_ok(keel_policy_health_band(&h, &pol));
    ck_ok(keel_basket_set_collateral(b, ETH, 1.0));
    ck_ok(keel_basket_set_debt(b, USDC, 1500.0));
    keel_plan *plan = NULL;
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, &plan), KEEL_E_UNKNOWN_ASSET);
    ck_assert_ptr_null(plan);
    ck_status(keel_policy_plan(pol, b, NULL, mk, hc, cm, NULL, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_policy_plan((const keel_policy *)b, b, NULL, mk, hc, cm, NULL, &plan),
              KEEL_E_BAD_HANDLE);
    keel_policy_free(pol);
}
END_TEST


/* Three uncorrelated assets: ETH (vol 0.8, lends 0.75), WBTC (0.6, 0.7), USDC
 * (riskless, set to lend 0.5 here). With borrowing power B >= 0.6 of V = 1
 * binding, c = 1 - a - b and 0.25 a + 0.2 b = 0.1; minimising
 * 0.64 a^2 + 0.36 b^2 on that line (Lagrange): a = 0.25 mu / 1.28,
 * b = 0.2 mu / 0.72, mu = 0.1 / (0.0625 / 1.28 + 0.04 / 0.72). */
START_TEST(collateral_least_risk_closed_form)
{
    ck_ok(keel_haircut_model_set_asset(hc, USDC, 0.5, 0.4));
    keel_asset assets[] = { ETH, WBTC, USDC };
    double v[3];
    keel_collateral_params p = KEEL_COLLATERAL_PARAMS_INIT;
    p.goal = KEEL_MIN_RISK;
    p.min_borrowing = 0.6;
    keel_collateral_result r = KEEL_COLLATERAL_RESULT_INIT;
    ck_ok(keel_optimize_collateral(mk, hc, 3, assets, NULL, &p, v, &r));
    double mu = 0.1 / (0.0625 / 1.28 + 0.04 / 0.72), a = 0.25 * mu / 1.28, bb = 0.2 * mu / 0.72;
    ck_close(v[0], a, 1e-9);
    ck_close(v[1], bb, 1e-9);
    ck_close(v[2], 1.0 - a - bb, 1e-9);
    ck_close(r.borrowing_power, 0.6, 1e-12);
    double z = 2.3263478740408408; /* Phi^-1(0.99) */
    double var = z * sqrt(10.0 / 365.0) * sqrt(0.64 * a * a + 0.36 * bb * bb);
    ck_close(r.var, var, 1e-9);
    /* the same at any scale (a convergence test once failed beyond a total of 1) */
    for (double scale = 10.0; scale <= 1e7; scale *= 100.0) {
        keel_collateral_params big = p;
        big.total_value = scale;
        big.min_borrowing = 0.6 * scale;
        double vb[3];
        ck_ok(keel_optimize_collateral(mk, hc, 3, assets, NULL, &big, vb, NULL));
        for (int i = 0; i < 3; i++)
            ck_close(vb[i] / scale, v[i], 1e-9);
    }
    /* the dual problem: the most borrowing power under that VaR is 0.6, at the same mix */
    p.goal = KEEL_MAX_BORROWING;
    p.max_var = var;
    double w[3];
    ck_ok(keel_optimize_collateral(mk, hc, 3, assets, NULL, &p, w, &r));
    ck_close(r.borrowing_power, 0.6, 1e-9);
    for (int i = 0; i < 3; i++)
        ck_close(w[i], v[i], 1e-6);
    /* a VaR limit of 0: only the riskless asset, BP 0.5 */
    p.max_var = 0.0;
    ck_ok(keel_optimize_collateral(mk, hc, 3, assets, NULL, &p, w, &r));
    ck_close(w[2], 1.0, 1e-9);
    ck_close(r.borrowing_power, 0.5, 1e-9);
    /* caps: USDC at most 0.2 of the 1 to post, least risk with no BP required */
    double caps[] = { INFINITY, INFINITY, 0.2 };
    p.goal = KEEL_MIN_RISK;
    p.min_borrowing = 0.0;
    ck_ok(keel_optimize_collateral(mk, hc, 3, assets, caps, &p, w, &r));
    /* the rest 0.8 split to minimise 0.64 a^2 + 0.36 b^2: a / b = 0.36 / 0.64 */
    ck_close(w[2], 0.2, 1e-12);
    ck_close(w[0], 0.8 * 0.36 / 1.0, 1e-9);
    ck_close(w[1], 0.8 * 0.64 / 1.0, 1e-9);
    /* infeasible: more borrowing than the best asset gives; caps below the total */
    p.min_borrowing = 0.8;
    ck_status(keel_optimize_collateral(mk, hc, 3, assets, NULL, &p, w, &r), KEEL_E_INFEASIBLE);
    p.min_borrowing = 0.0;
    double small[] = { 0.1, 0.1, 0.1 };
    ck_status(keel_optimize_collateral(mk, hc, 3, assets, small, &p, w, &r), KEEL_E_INFEASIBLE);
    keel_asset twice[] = { ETH, ETH };
    ck_status(keel_optimize_collateral(mk, hc, 2, twice, NULL, &p, w, &r), KEEL_E_OUT_OF_RANGE);
    p.confidence = 0.4;
    ck_status(keel_optimize_collateral(mk, hc, 3, assets, NULL, &p, w, &r), KEEL_E_OUT_OF_RANGE);
}
END_TEST

static Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, health_band_repays_after_a_drop);
    tcase_add_test(tc, leverage_band_delevers_through_impact);
    tcase_add_test(tc, delta_hedge_funding_past_a_doubling);
    tcase_add_test(tc, health_band_boosts_and_withdraws);
    tcase_add_test(tc, health_band_deposits_and_swaps);
    tcase_add_test(tc, deleverage_with_wallet_and_old_layout);
    tcase_add_test(tc, fixed_costs_choose_which_assets_to_sell);
    tcase_add_test(tc, leverage_band_recenters);
    tcase_add_test(tc, leverage_band_levers_up);
    tcase_add_test(tc, leverage_band_follows_fli);
    tcase_add_test(tc, free_purchases_never_fail);
    tcase_add_test(tc, plans_never_make_the_account_liquidatable);
    tcase_add_test(tc, policies_land_at_the_best_even_under_water);
    tcase_add_test(tc, plan_errors_name_keel_policy_plan);
    tcase_add_test(tc, boosts_stay_within_borrowing_power);
    tcase_add_test(tc, hedge_sale_worth_nothing_is_not_made);
    tcase_add_test(tc, target_weights_trade_to_band_edges);
    tcase_add_test(tc, target_weights_with_costs);
    tcase_add_test(tc, hedge_band_closed_form);
    tcase_add_test(tc, target_weights_surplus_goes_to_the_cheapest);
    tcase_add_test(tc, delta_hedge_short_sale_and_funding_fees);
    tcase_add_test(tc, delta_hedge_trades_to_band_edge);
    tcase_add_test(tc, liquidation_probability_single_asset);
    tcase_add_test(tc, predictive_deleverages_just_enough);
    tcase_add_test(tc, health_factor_exactly_one_is_not_liquidatable);
    tcase_add_test(tc, composition_runs_in_order);
    tcase_add_test(tc, bad_parameters_are_refused);
    tcase_add_test(tc, collateral_least_risk_closed_form);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(policy_suite)
