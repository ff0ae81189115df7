/* keel demo: an Aave-like account with ETH, WBTC and USDC collateral and USDC
 * debt. Prints its metrics and the price of each asset at which it becomes
 * liquidatable; then drops ETH and WBTC by 30% and prints the plan each
 * policy proposes, with its cost (flagged when it leaves HF below 1, on 1, or lower
 * than it found it), and the least-risk mix of collateral.
 * Build: cc account.c $(pkg-config --cflags --libs keel) */
#include <stdio.h>
#include <stdlib.h>

#include <keel.h>

#define CHECK(call)                                                                  \
    do {                                                                             \
        keel_status s_ = (call);                                                     \
        if (s_ != KEEL_OK) {                                                         \
            fprintf(stderr, "%s: %s (%s)\n", #call, keel_status_str(s_), keel_last_error()); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static const char *const action_text[] = {
    "repay with collateral", "sell to repay", "deposit", "withdraw",
    "borrow to buy", "swap", "hedge", "repay from wallet",
};

static void symbol(const keel_market *m, keel_asset a, char *out, size_t n)
{
    if (a == KEEL_ASSET_INVALID || keel_market_symbol(m, a, out, n) != KEEL_OK)
        snprintf(out, n, "-");
}

/* Asks the policy for its plan and prints it. */
static void show(const char *name, const keel_policy *policy, const keel_basket *account,
                 const keel_options *book, const keel_market *market,
                 const keel_haircut_model *haircuts, const keel_cost_model *costs)
{
    keel_plan *plan;
    CHECK(keel_policy_plan(policy, account, book, market, haircuts, costs, NULL, &plan));
    size_t n;
    double cost;
    keel_metrics before = KEEL_METRICS_INIT, after = KEEL_METRICS_INIT;
    CHECK(keel_plan_action_count(plan, &n));
    CHECK(keel_plan_summary(plan, &cost, &before, &after));
    printf("  %-22s %zu action%s, cost %9.2f, HF %.4f -> %.4f\n", name, n, n == 1 ? "" : "s",
           cost, before.health_factor, after.health_factor);
    for (size_t i = 0; i < n; i++) {
        keel_action a = KEEL_ACTION_INIT;
        CHECK(keel_plan_action(plan, i, &a));
        char from[KEEL_SYMBOL_MAX + 1], to[KEEL_SYMBOL_MAX + 1], debt[KEEL_SYMBOL_MAX + 1];
        symbol(market, a.asset, from, sizeof from);
        symbol(market, a.to_asset, to, sizeof to);
        symbol(market, a.debt_asset, debt, sizeof debt);
        printf("      %-21s", action_text[a.type]);
        if (a.quantity > 0)
            printf(" give %.4f %s", a.quantity, from);
        if (a.repaid > 0)
            printf(" repay %.2f %s", a.repaid, debt);
        if (a.borrowed > 0)
            printf(" borrow %.2f %s", a.borrowed, debt);
        if (a.received > 0)
            printf(" get %.4f %s", a.received, to);
        printf("  (cost %.2f)\n", a.cost);
    }
    /* HF < 1 is liquidatable, HF = 1 exactly is not (include/keel/risk.h) */
    double hf = after.health_factor;
    if (hf < 1.0)
        printf("      ! HF after %.6f < 1: this plan does not restore health; the account is "
               "liquidatable\n", hf);
    else if (hf < 1.0 + 5e-5)
        printf("      ! HF after %.6f: on the liquidation threshold (HF = 1 is not "
               "liquidatable; any fall makes it so)\n", hf);
    if (hf < before.health_factor)
        printf("      ! the plan lowers HF (%.4f -> %.4f)\n", before.health_factor, hf);
    keel_plan_free(plan);
}

static void policies_after_a_drop(keel_market *market, const keel_haircut_model *haircuts,
                                  const keel_basket *account, keel_asset eth, keel_asset wbtc,
                                  keel_asset usdc)
{
    CHECK(keel_market_set_price(market, eth, 3000.0 * 0.7));
    CHECK(keel_market_set_price(market, wbtc, 95000.0 * 0.7));
    keel_metrics m = KEEL_METRICS_INIT;
    CHECK(keel_basket_metrics(account, NULL, market, haircuts, &m));
    double p1d;
    CHECK(keel_liquidation_probability(account, NULL, market, haircuts, 7.0 / 365.0, &p1d));
    printf("\nafter ETH and WBTC fall 30%%: HF %.4f, P(liquidated within 7 days) %.2f%%\n",
           m.health_factor, 100.0 * p1d);
    printf("trading costs: ETH 5 bp + square-root impact, WBTC 8 bp, USDC 1 bp\n\n");

    keel_cost_model *costs;
    CHECK(keel_cost_model_new(&costs));
    CHECK(keel_cost_model_set_fee(costs, eth, 0.0005, 0.0));
    CHECK(keel_cost_model_set_sqrt_impact(costs, eth, 0.7, 2e8));
    CHECK(keel_cost_model_set_fee(costs, wbtc, 0.0008, 0.0));
    CHECK(keel_cost_model_set_fee(costs, usdc, 0.0001, 0.0));

    keel_policy *band, *lev, *weights, *pred, *hedge, *combo;
    keel_health_band_params hb = KEEL_HEALTH_BAND_PARAMS_INIT; /* repay below 1.3 to 1.5 */
    hb.debt_asset = usdc;
    CHECK(keel_policy_health_band(&hb, &band));
    keel_leverage_band_params lb = KEEL_LEVERAGE_BAND_PARAMS_INIT;
    lb.target = 3.0;
    lb.min = 2.5;
    lb.max = 3.5;
    lb.ripcord = 4.5;
    lb.asset = eth;
    lb.debt_asset = usdc;
    CHECK(keel_policy_leverage_band(&lb, &lev));
    keel_asset wa[] = { eth, wbtc, usdc };
    double ww[] = { 0.55, 0.35, 0.10 };
    keel_target_weights_params tw = KEEL_TARGET_WEIGHTS_PARAMS_INIT;
    tw.count = 3;
    tw.assets = wa;
    tw.weights = ww;
    tw.band = 0.05;
    CHECK(keel_policy_target_weights(&tw, &weights));
    keel_predictive_params pp = KEEL_PREDICTIVE_PARAMS_INIT;
    pp.horizon = 7.0 / 365.0;
    pp.max_probability = 0.01;
    pp.repay_asset = usdc;
    CHECK(keel_policy_predictive(&pp, &pred));
    keel_delta_hedge_params dh = KEEL_DELTA_HEDGE_PARAMS_INIT;
    dh.funding_asset = usdc;
    CHECK(keel_policy_delta_hedge(&dh, &hedge));
    const keel_policy *both[] = { hedge, band };
    CHECK(keel_policy_compose(both, 2, &combo));

    /* the vault also wrote 20 ETH calls, 30 days, strike 2400 */
    keel_options *book;
    CHECK(keel_options_new(&book));
    CHECK(keel_options_add(book, eth, KEEL_CALL, 2400.0, 30.0 / 365.0, -20.0, NULL));

    show("health band", band, account, NULL, market, haircuts, costs);
    show("leverage band", lev, account, NULL, market, haircuts, costs);
    show("target weights", weights, account, NULL, market, haircuts, costs);
    show("predictive (7d, 1%)", pred, account, NULL, market, haircuts, costs);
    show("delta hedge (+calls)", hedge, account, book, market, haircuts, costs);
    show("hedge, then band", combo, account, book, market, haircuts, costs);

    /* where to post 100,000 for 78,000 of borrowing power at the least risk */
    double values[3];
    keel_collateral_params cp = KEEL_COLLATERAL_PARAMS_INIT;
    cp.goal = KEEL_MIN_RISK;
    cp.total_value = 100000.0;
    cp.min_borrowing = 78000.0;
    keel_collateral_result r = KEEL_COLLATERAL_RESULT_INIT;
    CHECK(keel_optimize_collateral(market, haircuts, 3, wa, NULL, &cp, values, &r));
    printf("\nleast-risk mix for 100000 posted, 78000 borrowing power: ETH %.0f, WBTC %.0f, "
           "USDC %.0f (10-day 99%% VaR %.0f)\n", values[0], values[1], values[2], r.var);

    keel_options_free(book);
    keel_policy_free(combo);
    keel_policy_free(hedge);
    keel_policy_free(pred);
    keel_policy_free(weights);
    keel_policy_free(lev);
    keel_policy_free(band);
    keel_cost_model_free(costs);
}

int main(void)
{
    keel_market *market;
    keel_haircut_model *haircuts;
    keel_basket *account;
    keel_asset eth, wbtc, usdc;

    CHECK(keel_market_new(&market));
    CHECK(keel_market_add_asset(market, "ETH", 3000.0, &eth));
    CHECK(keel_market_add_asset(market, "WBTC", 95000.0, &wbtc));
    CHECK(keel_market_add_asset(market, "USDC", 1.0, &usdc));
    CHECK(keel_market_set_volatility(market, eth, 0.75));
    CHECK(keel_market_set_volatility(market, wbtc, 0.55));
    CHECK(keel_market_set_correlation(market, eth, wbtc, 0.7));

    /* Haircuts in the shape of Aave v3's: haircut = 1 - LTV, 1 - liquidation threshold. */
    CHECK(keel_haircut_model_new(&haircuts));
    CHECK(keel_haircut_model_set_asset(haircuts, eth, 1 - 0.805, 1 - 0.83));
    CHECK(keel_haircut_model_set_asset(haircuts, wbtc, 1 - 0.73, 1 - 0.78));
    CHECK(keel_haircut_model_set_asset(haircuts, usdc, 1 - 0.75, 1 - 0.78));

    CHECK(keel_basket_new(&account));
    CHECK(keel_basket_set_collateral(account, eth, 25.0));
    CHECK(keel_basket_set_collateral(account, wbtc, 0.8));
    CHECK(keel_basket_set_collateral(account, usdc, 20000.0));
    CHECK(keel_basket_set_debt(account, usdc, 95000.0));

    keel_metrics m = KEEL_METRICS_INIT;
    CHECK(keel_basket_metrics(account, NULL, market, haircuts, &m));
    printf("keel %s demo: 25 ETH + 0.8 WBTC + 20000 USDC collateral, 95000 USDC debt\n\n",
           keel_version());
    printf("  collateral value      %14.2f\n", m.collateral_value);
    printf("  borrowing power       %14.2f\n", m.borrowing_power);
    printf("  liquidation value     %14.2f\n", m.liquidation_value);
    printf("  debt value            %14.2f\n", m.debt_value);
    printf("  health factor         %14.4f\n", m.health_factor);
    printf("  loan to value         %14.4f\n", m.ltv);
    printf("  capital efficiency    %14.4f\n", m.capital_efficiency);
    printf("  free borrowing power  %14.2f\n", m.free_borrowing_power);
    printf("  liquidation buffer    %14.2f\n\n", m.liquidation_buffer);

    static const char *const side_text[] = {
        "never liquidated by this price", "liquidatable below", "liquidatable above",
        "liquidatable at any price",
    };
    const keel_asset assets[] = { eth, wbtc, usdc };
    for (int i = 0; i < 3; i++) {
        char sym[KEEL_SYMBOL_MAX + 1];
        double spot, price;
        keel_liquidation_side side;
        CHECK(keel_market_symbol(market, assets[i], sym, sizeof sym));
        CHECK(keel_market_price(market, assets[i], &spot));
        CHECK(keel_basket_liquidation_price(account, NULL, market, haircuts, assets[i], &price,
                                            &side));
        if (side == KEEL_LIQ_BELOW || side == KEEL_LIQ_ABOVE)
            printf("  %-5s spot %10.4f  %s %10.4f (%+.1f%%)\n", sym, spot, side_text[side], price,
                   100.0 * (price / spot - 1.0));
        else
            printf("  %-5s spot %10.4f  %s\n", sym, spot, side_text[side]);
    }

    policies_after_a_drop(market, haircuts, account, eth, wbtc, usdc);

    keel_basket_free(account);
    keel_haircut_model_free(haircuts);
    keel_market_free(market);
    return 0;
}
