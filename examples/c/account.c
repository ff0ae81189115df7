/* keel demo: an Aave-like account with ETH, WBTC and USDC collateral and USDC
 * debt. Prints its metrics and the price of each asset at which it becomes
 * liquidatable. Build: cc account.c $(pkg-config --cflags --libs keel) */
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

    keel_basket_free(account);
    keel_haircut_model_free(haircuts);
    keel_market_free(market);
    return 0;
}
