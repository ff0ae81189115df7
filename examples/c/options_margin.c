/* An account that writes calls against its collateral: the book's value and
 * greeks, its scenario margin and worst scenario, the health factor with the
 * book, the prices where it is liquidated, and why gamma matters: the loss on
 * a move twice as large is more than twice as large. */
#include <math.h>
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

/* SPAN's sixteen scenarios (CME, "SPAN risk scenarios"), in the order of the library's
 * default grid (include/keel/options.h, keel_margin_params): {price move in scan ranges,
 * volatility move in vol scans, cover}. The book is given this grid explicitly so that
 * keel_margin_result::worst_scenario, an index counted from 0, names a row of it. */
static const keel_scenario span16[16] = {
    { 0, 1, 1 }, { 0, -1, 1 },
    { 1.0 / 3, 1, 1 }, { 1.0 / 3, -1, 1 }, { -1.0 / 3, 1, 1 }, { -1.0 / 3, -1, 1 },
    { 2.0 / 3, 1, 1 }, { 2.0 / 3, -1, 1 }, { -2.0 / 3, 1, 1 }, { -2.0 / 3, -1, 1 },
    { 1, 1, 1 }, { 1, -1, 1 }, { -1, 1, 1 }, { -1, -1, 1 },
    { 2, 0, 0.35 }, { -2, 0, 0.35 },
};

int main(void)
{
    keel_market *m;
    keel_haircut_model *h;
    keel_basket *b;
    keel_options *book;
    keel_asset eth, usdc;
    CHECK(keel_market_new(&m));
    CHECK(keel_market_add_asset(m, "ETH", 3000.0, &eth));
    CHECK(keel_market_add_asset(m, "USDC", 1.0, &usdc));
    CHECK(keel_market_set_volatility(m, eth, 0.75));
    CHECK(keel_market_set_rate(m, 0.04));
    CHECK(keel_haircut_model_new(&h));
    CHECK(keel_haircut_model_set_asset(h, eth, 0.195, 0.17));
    CHECK(keel_haircut_model_set_asset(h, usdc, 0.25, 0.22));
    CHECK(keel_basket_new(&b));
    CHECK(keel_basket_set_collateral(b, eth, 10.0));
    CHECK(keel_basket_set_collateral(b, usdc, 20000.0));
    CHECK(keel_basket_set_debt(b, usdc, 15000.0));
    CHECK(keel_options_new(&book));
    CHECK(keel_options_add(book, eth, KEEL_CALL, 3300.0, 14.0 / 365, -10.0, NULL));
    keel_margin_params mp = KEEL_MARGIN_PARAMS_INIT; /* 1 day, 3 sigmas, vol scan 25% */
    mp.scenarios = span16;
    mp.scenario_count = 16;
    CHECK(keel_options_set_margin_params(book, &mp));

    keel_greeks g = KEEL_GREEKS_INIT;
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    keel_metrics plain = KEEL_METRICS_INIT, with = KEEL_METRICS_INIT;
    CHECK(keel_options_greeks(book, m, eth, &g));
    CHECK(keel_options_scenario_margin(book, m, &r));
    CHECK(keel_basket_metrics(b, NULL, m, h, &plain));
    CHECK(keel_basket_metrics(b, book, m, h, &with));
    printf("10 ETH + 20000 USDC against 15000 USDC, writing 10 ETH calls K 3300, 14 days\n\n");
    printf("  book value %.2f  delta %.3f  gamma %.5f  vega %.1f  theta/day %.2f\n", g.value,
           g.delta, g.gamma, g.vega, g.theta / 365.0);
    /* the scenario's move: S exp(price_move x range), range = price_sigmas x sigma x
     * sqrt(horizon_days / 365); sigma (1 + vol_move x vol_scan) */
    const keel_scenario *w = &span16[r.worst_scenario];
    double sigma;
    CHECK(keel_market_volatility(m, eth, &sigma));
    double range = mp.price_sigmas * sigma * sqrt(mp.horizon_days / 365.0);
    double spot;
    CHECK(keel_market_price(m, eth, &spot));
    printf("  scenario margin %.2f: the worst of SPAN's 16 scenarios is scenario %zu (counted\n"
           "  from 0): within %.0f day ETH %+.2f%% (%.0f -> %.2f) and its volatility %.0f%% -> "
           "%.2f%%,\n  the loss counted at %.0f%%\n", r.margin, r.worst_scenario, mp.horizon_days,
           100.0 * expm1(w->price_move * range), spot, spot * exp(w->price_move * range),
           100.0 * sigma, 100.0 * sigma * (1.0 + w->vol_move * mp.vol_scan), 100.0 * w->cover);
    printf("  health factor %.4f without the book, %.4f with it\n", plain.health_factor,
           with.health_factor);
    double lo, hi;
    CHECK(keel_basket_liquidation_prices(b, book, m, h, eth, &lo, &hi));
    if (lo > 0.0)
        printf("  liquidated when ETH falls below %.2f\n", lo);
    else
        printf("  no fall of ETH liquidates it\n");
    if (hi < 1e300)
        printf("  liquidated when ETH rises above %.2f (the written calls outgrow the collateral)\n", hi);
    printf("\n  move    full P&L   delta-gamma\n");
    const double moves[] = { -0.2, -0.1, -0.05, 0.05, 0.1, 0.2 };
    for (int i = 0; i < 6; i++) {
        double full, approx;
        CHECK(keel_basket_pnl(b, book, m, eth, moves[i], &full, &approx));
        printf("  %+4.0f%%  %10.2f  %10.2f\n", 100 * moves[i], full, approx);
    }
    keel_options_free(book);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    keel_market_free(m);
    return 0;
}
