/* Haircuts widening as a volatility regime begins: daily ETH returns feed a
 * RiskMetrics EWMA (lambda 0.94); every few days its annualised volatility
 * goes into the market, and the volatility add-on (99%, 5-day liquidation
 * horizon) widens the haircut and lowers the health factor before any
 * price has fallen far. Returns alternate +-2% for 40 calm days, then
 * +-6% from day 41; ETH's price is held at 3000 so that only the volatility
 * moves the health factor. A row shows the size of the day's move (its sign
 * alternates: printing one day's signed return would read as a trend). */
#include <stdio.h>
#include <stdlib.h>

#include <keel.h>

#define CHECK(call)                                                                     \
    do {                                                                                \
        keel_status s_ = (call);                                                        \
        if (s_ != KEEL_OK) {                                                            \
            fprintf(stderr, "%s: %s (%s)\n", #call, keel_status_str(s_), keel_last_error()); \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(void)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_basket *b;
    keel_asset eth, usdc;
    CHECK(keel_market_new(&m));
    CHECK(keel_market_add_asset(m, "ETH", 3000.0, &eth));
    CHECK(keel_market_add_asset(m, "USDC", 1.0, &usdc));
    CHECK(keel_haircut_model_new(&h));
    CHECK(keel_haircut_model_set_asset(h, eth, 0.05, 0.03));
    CHECK(keel_haircut_model_set_volatility_addon(h, 0.99, 5.0));
    CHECK(keel_basket_new(&b));
    CHECK(keel_basket_set_collateral(b, eth, 10.0));
    CHECK(keel_basket_set_debt(b, usdc, 20000.0));

    keel_ewma ewma;
    CHECK(keel_ewma_init(&ewma, 0.94, 0.02 * 0.02));
    printf("10 ETH (held at 3000) against 20000 USDC; daily returns alternate +x, -x:\n"
           "x = 2%% on days 1-40, 6%% from day 41\n\n");
    printf("day     x   EWMA vol  ETH haircut (base + volatility)  health factor\n");
    for (int day = 1; day <= 80; day++) {
        double size = day <= 40 ? 0.02 : 0.06;
        double r = day % 2 ? size : -size;
        CHECK(keel_ewma_update(&ewma, r));
        if (day % 8 != 0 && day != 41)
            continue;
        double vol;
        CHECK(keel_ewma_annual_volatility(&ewma, 365.0, &vol));
        CHECK(keel_market_set_volatility(m, eth, vol));
        keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
        keel_metrics met = KEEL_METRICS_INIT;
        CHECK(keel_haircut_breakdown(h, b, m, eth, &c));
        CHECK(keel_basket_metrics(b, NULL, m, h, &met));
        printf("%3d  %4.1f%%   %6.1f%%   %6.2f%% = %.2f%% + %5.2f%%         %.4f\n", day,
               100 * size, 100 * vol, 100 * c.maintenance, 100 * c.base_maintenance,
               100 * c.volatility, met.health_factor);
    }
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}
