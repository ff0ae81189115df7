/* Haircut add-ons against hand-worked examples: volatility, liquidity,
 * concentration (both modes), peg mismatch, portfolio VaR with Euler
 * allocation, the breakdown, and liquidation prices once haircuts depend on
 * size (HF = 1 at the returned price, checked by recomputing).
 *
 * z(99%) = 2.3263478740408408 (inverse normal CDF, from Python's
 * statistics.NormalDist, an independent implementation).
 * Market: ETH 2000 (vol 0.8), USDC 1 (vol 0), WBTC 60000 (vol 0.6),
 * STETH 1990 (vol 0.8), USDT 1 (vol 0). */
#include "testutil.h"

enum { ETH, USDC, WBTC, STETH, USDT };
static const double Z99 = 2.3263478740408408;

static keel_market *mk;
static keel_haircut_model *hc;
static keel_basket *b;

static void setup(void)
{
    ck_assert_int_eq(keel_market_new(&mk), KEEL_OK);
    const char *sym[] = { "ETH", "USDC", "WBTC", "STETH", "USDT" };
    const double px[] = { 2000.0, 1.0, 60000.0, 1990.0, 1.0 };
    const double vol[] = { 0.8, 0.0, 0.6, 0.8, 0.0 };
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(keel_market_add_asset(mk, sym[i], px[i], NULL), KEEL_OK);
        ck_assert_int_eq(keel_market_set_volatility(mk, (keel_asset)i, vol[i]), KEEL_OK);
    }
    ck_assert_int_eq(keel_haircut_model_new(&hc), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, ETH, 0.195, 0.17), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, USDC, 0.25, 0.22), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
}

static void teardown(void)
{
    keel_basket_free(b);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

static keel_metrics metrics_in(const keel_market *m)
{
    keel_metrics out = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, m, hc, &out));
    return out;
}

static keel_haircut_components breakdown(keel_asset a)
{
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_ok(keel_haircut_breakdown(hc, b, mk, a, &c));
    /* the components always add up to the maintenance haircut */
    if (c.has_schedule)
        ck_close(c.base_maintenance + c.volatility + c.liquidity + c.peg + c.concentration +
                     c.cap_adjustment,
                 c.maintenance, 1e-15);
    return c;
}

/* Liquidation price, then HF = 1 at it (within 1e-9) and < 1 just past it. */
static double liq_checked(keel_asset a, keel_liquidation_side want)
{
    double p;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(b, NULL, mk, hc, a, &p, &side));
    ck_assert_msg(side == want, "side %d, expected %d", (int)side, (int)want);
    keel_market *moved;
    ck_ok(keel_market_clone(mk, &moved));
    ck_ok(keel_market_set_price(moved, a, p));
    ck_close(metrics_in(moved).health_factor, 1.0, 1e-9);
    ck_ok(keel_market_set_price(moved, a, want == KEEL_LIQ_BELOW ? p * 0.999 : p * 1.001));
    ck_assert_double_lt(metrics_in(moved).health_factor, 1.0);
    keel_market_free(moved);
    return p;
}

START_TEST(volatility_addon)
{
    /* a_vol = 1 - exp(-2.32635 x 0.8 x sqrt(5/365)) = 0.195732005751
     * ETH h_maint = 0.17 + 0.195732 = 0.365732; h_init = 0.390732
     * 10 ETH vs 12000 USDC: L = 20000 x 0.634268 = 12685.36, HF = 1.057113 */
    const double avol = 1.0 - exp(-Z99 * 0.8 * sqrt(5.0 / 365.0));
    ck_close(avol, 0.19573200575129246, 1e-14);
    double h;
    ck_ok(keel_volatility_haircut(0.8, 0.99, 5.0 / 365.0, &h));
    ck_close(h, avol, 1e-14);
    ck_ok(keel_volatility_haircut(0.8, 0.5, 5.0 / 365.0, &h)); /* z = 0 */
    ck_assert(h == 0.0);
    /* Basel square-root-of-time: a 10-day 15% haircut over 5 days = 0.15 sqrt(0.5) */
    ck_ok(keel_haircut_scale_holding_period(0.15, 10.0, 5.0, &h));
    ck_close(h, 0.15 * sqrt(0.5), 1e-15);

    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_metrics m = metrics_in(mk);
    ck_close(m.liquidation_value, 20000.0 * (1.0 - 0.17 - avol), 1e-13);
    ck_close(m.borrowing_power, 20000.0 * (1.0 - 0.195 - avol), 1e-13);
    ck_close(m.health_factor, 20000.0 * (1.0 - 0.17 - avol) / 12000.0, 1e-13);
    keel_haircut_components c = breakdown(ETH);
    ck_close(c.volatility, avol, 1e-14);
    ck_close(c.maintenance, 0.17 + avol, 1e-14);
    ck_close(c.initial, 0.195 + avol, 1e-14);
    ck_assert(breakdown(USDC).volatility == 0.0); /* zero volatility, zero add-on */
    /* still linear: closed form, ETH: 12000 / (10 x 0.634268) = 1891.92 */
    double p = liq_checked(ETH, KEEL_LIQ_BELOW);
    ck_close(p, 12000.0 / (10.0 * (1.0 - 0.17 - avol)), 1e-13);
}
END_TEST

START_TEST(liquidity_addon_and_cap)
{
    /* k = 0.5, cap 0.3, ETH depth 5e6. 100 ETH = 200000:
     * a_liq = 0.5 sqrt(200000 / 5e6) = 0.1 -> h_maint 0.27, h_init 0.295
     * debt 100000 USDC: L = 200000 x 0.73 = 146000, HF = 1.46 */
    ck_ok(keel_market_set_depth(mk, ETH, 5e6));
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.5, 0.3));
    ck_ok(keel_basket_set_collateral(b, ETH, 100.0));
    ck_ok(keel_basket_set_debt(b, USDC, 100000.0));
    keel_metrics m = metrics_in(mk);
    ck_close(m.liquidation_value, 146000.0, 1e-14);
    ck_close(m.borrowing_power, 200000.0 * 0.705, 1e-14);
    ck_close(m.health_factor, 1.46, 1e-14);
    ck_close(breakdown(ETH).liquidity, 0.1, 1e-15);
    /* USDC has infinite depth: no add-on even though it is debt-side here */
    ck_assert(breakdown(USDC).liquidity == 0.0);

    /* Liquidation: 100 p (0.83 - 0.5 sqrt(100 p / 5e6)) = 100000.
     * Check the root by evaluating that formula at the returned price. */
    double p = liq_checked(ETH, KEEL_LIQ_BELOW);
    ck_close(100.0 * p * (0.83 - 0.5 * sqrt(100.0 * p / 5e6)), 100000.0, 1e-9);

    /* 10000 ETH = 2e7: 0.5 sqrt(4) = 1 is capped at 0.3 -> h_maint 0.47 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10000.0));
    ck_close(metrics_in(mk).liquidation_value, 2e7 * 0.53, 1e-14);
    ck_close(breakdown(ETH).liquidity, 0.3, 1e-15);
    /* a per-asset cap of 0.4 then caps the total: 0.47 -> 0.4 */
    ck_ok(keel_haircut_model_set_cap(hc, ETH, 0.4));
    keel_haircut_components c = breakdown(ETH);
    ck_close(c.maintenance, 0.4, 1e-15);
    ck_close(c.cap_adjustment, -0.07, 1e-14);
    ck_close(c.initial, 0.4, 1e-15); /* 0.195 + 0.3 = 0.495, capped too */
    ck_close(metrics_in(mk).liquidation_value, 2e7 * 0.6, 1e-14);
}
END_TEST

START_TEST(concentration_both_modes)
{
    /* 10 ETH (20000) + 20000 USDC collateral: C = 40000, ETH share 0.5;
     * limit 0.4 -> excess fraction e = (0.5 - 0.4) / 0.5 = 0.2.
     * EXTRA, extra 0.2: a_conc = 0.04 -> ETH h_maint 0.21;
     *   L = 20000 x 0.79 + 20000 x 0.78 = 31400
     * EXCLUDE: h = 0.17 + 0.83 x 0.2 = 0.336 -> ETH counts 20000 x 0.664
     *   = 13280 = 0.8 x 16600 (the excess 20% counts nothing); L = 28880 */
    ck_ok(keel_haircut_model_set_concentration(hc, ETH, 0.4, 0.2));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 20000.0));
    ck_ok(keel_basket_set_debt(b, USDT, 10000.0));
    ck_close(metrics_in(mk).liquidation_value, 31400.0, 1e-14);
    keel_haircut_components c = breakdown(ETH);
    ck_close(c.excess_fraction, 0.2, 1e-15);
    ck_close(c.concentration, 0.04, 1e-15);
    ck_assert(breakdown(USDC).concentration == 0.0); /* USDC has no limit */

    ck_ok(keel_haircut_model_set_concentration_mode(hc, KEEL_CONCENTRATION_EXCLUDE));
    ck_close(metrics_in(mk).liquidation_value, 13280.0 + 15600.0, 1e-14);
    c = breakdown(ETH);
    ck_close(c.maintenance, 0.336, 1e-15);
    ck_close(c.concentration, 0.83 * 0.2, 1e-15);

    /* Liquidation price of ETH moves the share too: checked by recomputation. */
    ck_ok(keel_basket_set_debt(b, USDT, 25000.0));
    liq_checked(ETH, KEEL_LIQ_BELOW);
    keel_concentration_mode mode;
    ck_ok(keel_haircut_model_concentration_mode(hc, &mode));
    ck_assert_int_eq(mode, KEEL_CONCENTRATION_EXCLUDE);
}
END_TEST

START_TEST(peg_mismatch)
{
    /* Add-on 8% (Basel CRE22.56). USD group 1: USDC, USDT; ETH group 2: ETH, STETH.
     * 20000 USDC collateral (h_maint 0.22):
     *   vs 10000 USDT debt: same group, no add-on: L = 15600
     *   vs 5 ETH debt (10000): a_peg = 0.08 -> L = 20000 x 0.70 = 14000, HF 1.4
     *   vs 5000 USDT + 2.5 ETH: a_peg = 0.08 x 5000 / 10000 = 0.04 -> L = 14800 */
    ck_ok(keel_haircut_model_set_peg_mismatch_addon(hc, 0.08));
    ck_ok(keel_haircut_model_set_peg_group(hc, USDC, 1));
    ck_ok(keel_haircut_model_set_peg_group(hc, USDT, 1));
    ck_ok(keel_haircut_model_set_peg_group(hc, ETH, 2));
    ck_ok(keel_haircut_model_set_peg_group(hc, STETH, 2));
    ck_ok(keel_basket_set_collateral(b, USDC, 20000.0));
    ck_ok(keel_basket_set_debt(b, USDT, 10000.0));
    ck_close(metrics_in(mk).liquidation_value, 15600.0, 1e-15);
    ck_assert(breakdown(USDC).peg == 0.0);

    ck_ok(keel_basket_set_debt(b, USDT, 0.0));
    ck_ok(keel_basket_set_debt(b, ETH, 5.0));
    keel_metrics m = metrics_in(mk);
    ck_close(m.liquidation_value, 14000.0, 1e-15);
    ck_close(m.health_factor, 1.4, 1e-15);
    ck_close(breakdown(USDC).peg, 0.08, 1e-15);
    /* L fixed at 14000, W = 5 p: p = 2800, liquidatable as ETH rises */
    ck_close(liq_checked(ETH, KEEL_LIQ_ABOVE), 2800.0, 1e-12);

    ck_ok(keel_basket_set_debt(b, ETH, 2.5));
    ck_ok(keel_basket_set_debt(b, USDT, 5000.0));
    ck_close(metrics_in(mk).liquidation_value, 14800.0, 1e-15);
    /* L(p) = 20000 (0.78 - 0.08 x 2.5 p / (5000 + 2.5 p)) = W(p) = 5000 + 2.5 p */
    double p = liq_checked(ETH, KEEL_LIQ_ABOVE);
    ck_close(20000.0 * (0.78 - 0.08 * 2.5 * p / (5000.0 + 2.5 * p)), 5000.0 + 2.5 * p, 1e-9);

    /* An ungrouped asset is its own group: ETH collateral against ETH debt matches. */
    uint32_t g;
    ck_ok(keel_haircut_model_peg_group(hc, WBTC, &g));
    ck_assert_uint_eq(g, 0);
}
END_TEST

START_TEST(portfolio_mode_hedges_count)
{
    /* Base haircuts 0 so the requirement is the VaR alone; 99%, 5 days:
     * k = z sqrt(5/365) = 0.272281...
     * (a) 10 ETH vs 12000 USDC: w = (20000, -12000), USDC vol 0:
     *     sqrt(w'Sw) = 0.8 x 20000 = 16000, VaR = 16000 k; L = 20000 - VaR
     * (b) 10 ETH vs 6 ETH debt: w = 4 x 2000 = 8000: VaR = 6400 k
     *     L = 20000 - 6400 k > (a)'s, with the same 12000 of debt */
    const double k = Z99 * sqrt(5.0 / 365.0);
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_asset(hc, USDC, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_asset(hc, STETH, 0.0, 0.0));
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(hc, 1));
    int on;
    ck_ok(keel_haircut_model_portfolio_mode(hc, &on));
    ck_assert_int_eq(on, 1);

    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_metrics against_usd = metrics_in(mk);
    ck_close(against_usd.liquidation_value, 20000.0 - 16000.0 * k, 1e-14);
    keel_haircut_components c = breakdown(ETH);
    ck_close(c.portfolio_var, 16000.0 * k, 1e-14);
    ck_close(c.portfolio_component, 16000.0 * k, 1e-14); /* all of it: USDC has no risk */
    ck_assert(c.volatility == 0.0); /* replaced by the VaR */
    /* L(p) = 10 p (1 - 0.8 k) = 12000 */
    ck_close(liq_checked(ETH, KEEL_LIQ_BELOW), 12000.0 / (10.0 * (1.0 - 0.8 * k)), 1e-12);

    ck_ok(keel_basket_set_debt(b, USDC, 0.0));
    ck_ok(keel_basket_set_debt(b, ETH, 6.0));
    keel_metrics against_eth = metrics_in(mk);
    ck_close(against_eth.liquidation_value, 20000.0 - 6400.0 * k, 1e-14);
    ck_close(against_eth.weighted_debt, against_usd.weighted_debt, 1e-15);
    ck_assert_double_gt(against_eth.health_factor, against_usd.health_factor);
    /* HF = (10 - 3.2 k) / 6 whatever the ETH price: never liquidated by it */
    double p;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(b, NULL, mk, hc, ETH, &p, &side));
    ck_assert_int_eq(side, KEEL_LIQ_NEVER);

    /* (c) 10 STETH vs 10 ETH debt, correlation 0.99: components sum to the VaR.
     * w = (19900, -20000); w'Sw = 0.64 (19900^2 + 20000^2 - 2 x 0.99 x 19900 x 20000) */
    ck_ok(keel_market_set_correlation(mk, ETH, STETH, 0.99));
    ck_ok(keel_basket_clear(b));
    ck_ok(keel_basket_set_collateral(b, STETH, 10.0));
    ck_ok(keel_basket_set_debt(b, ETH, 10.0));
    double quad = 0.64 * (19900.0 * 19900.0 + 20000.0 * 20000.0 - 2 * 0.99 * 19900.0 * 20000.0);
    double var = k * sqrt(quad);
    keel_haircut_components cs = breakdown(STETH), ce = breakdown(ETH);
    ck_close(cs.portfolio_var, var, 1e-13);
    /* Euler: c_i = k w_i (S w)_i / sqrt(w'Sw) */
    double sw_s = 0.64 * (19900.0 - 0.99 * 20000.0), sw_e = 0.64 * (-20000.0 + 0.99 * 19900.0);
    ck_close(cs.portfolio_component, k * 19900.0 * sw_s / sqrt(quad), 1e-12);
    ck_close(ce.portfolio_component, k * -20000.0 * sw_e / sqrt(quad), 1e-12);
    ck_close(cs.portfolio_component + ce.portfolio_component, var, 1e-12);
    ck_close(metrics_in(mk).liquidation_value, 19900.0 - var, 1e-13);
}
END_TEST

START_TEST(portfolio_mode_checks_psd)
{
    /* (1, .99, .9 / .99, 1, -.9 / .9, -.9, 1) has determinant -3.2 < 0 */
    ck_ok(keel_haircut_model_set_asset(hc, WBTC, 0.3, 0.25));
    ck_ok(keel_haircut_model_set_asset(hc, STETH, 0.3, 0.25));
    ck_ok(keel_market_set_correlation(mk, ETH, STETH, 0.99));
    ck_ok(keel_market_set_correlation(mk, ETH, WBTC, 0.9));
    ck_ok(keel_market_set_correlation(mk, STETH, WBTC, -0.9));
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 1.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(hc, 1));
    ck_ok(keel_basket_set_collateral(b, ETH, 1.0));
    ck_ok(keel_basket_set_collateral(b, STETH, 1.0));
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m)); /* two assets: PSD */
    ck_ok(keel_basket_set_collateral(b, WBTC, 1.0));
    ck_status(keel_basket_metrics(b, NULL, mk, hc, &m), KEEL_E_NOT_PSD);
    double p;
    ck_status(keel_basket_liquidation_price(b, NULL, mk, hc, ETH, &p, NULL), KEEL_E_NOT_PSD);
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_status(keel_haircut_breakdown(hc, b, mk, ETH, &c), KEEL_E_NOT_PSD);
    /* correlation 1 is singular but PSD */
    ck_ok(keel_market_set_correlation(mk, ETH, WBTC, 1.0));
    ck_ok(keel_market_set_correlation(mk, STETH, WBTC, 0.99));
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m));
    /* without portfolio mode correlations do not matter */
    ck_ok(keel_market_set_correlation(mk, STETH, WBTC, -0.9));
    ck_ok(keel_haircut_model_set_portfolio_mode(hc, 0));
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m));
}
END_TEST

/* 40 uncorrelated assets at 100, volatility 50%, 10 units each; 99% VaR over
 * 10 days in portfolio mode: more assets than fit on the stack. */
static void make_big_portfolio(keel_market **big, keel_haircut_model **h, keel_basket **bb,
                               double initial, double maintenance)
{
    ck_ok(keel_market_new(big));
    ck_ok(keel_haircut_model_new(h));
    ck_ok(keel_basket_new(bb));
    char sym[8];
    for (int i = 0; i < 40; i++) {
        snprintf(sym, sizeof sym, "A%d", i);
        ck_ok(keel_market_add_asset(*big, sym, 100.0, NULL));
        ck_ok(keel_market_set_volatility(*big, (keel_asset)i, 0.5));
        ck_ok(keel_haircut_model_set_asset(*h, (keel_asset)i, initial, maintenance));
        ck_ok(keel_basket_set_collateral(*bb, (keel_asset)i, 10.0));
    }
    ck_ok(keel_haircut_model_set_volatility_addon(*h, 0.99, 10.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(*h, 1));
}

START_TEST(portfolio_mode_many_assets)
{
    /* 40 uncorrelated assets of equal value and volatility (more than fit on
     * the stack): VaR = k sigma v sqrt(n), each component VaR / n. */
    keel_market *big;
    keel_haircut_model *h;
    keel_basket *bb;
    make_big_portfolio(&big, &h, &bb, 0.0, 0.0);
    const double k = Z99 * sqrt(10.0 / 365.0);
    double var = k * 0.5 * 1000.0 * sqrt(40.0);
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_ok(keel_haircut_breakdown(h, bb, big, 7, &c));
    ck_close(c.portfolio_var, var, 1e-13);
    ck_close(c.portfolio_component, var / 40.0, 1e-13);
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(bb, NULL, big, h, &m));
    ck_close(m.liquidation_value, 40000.0 - var, 1e-13);
    keel_basket_free(bb);
    keel_haircut_model_free(h);
    keel_market_free(big);
}
END_TEST

/* Past the size limit portfolio mode refuses with KEEL_E_OVERFLOW instead of
 * allocating 2 m^2 doubles; assets without an exposure do not count. */
START_TEST(portfolio_mode_size_limit)
{
    keel_market *big;
    keel_haircut_model *h;
    keel_basket *bb;
    ck_ok(keel_market_new(&big));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_basket_new(&bb));
    const int n = KEEL_PORTFOLIO_MAX_ASSETS + 1;
    char sym[16];
    for (int i = 0; i < n + 10; i++) {
        snprintf(sym, sizeof sym, "A%d", i);
        ck_ok(keel_market_add_asset(big, sym, 100.0, NULL));
        ck_ok(keel_market_set_volatility(big, (keel_asset)i, 0.5));
        ck_ok(keel_haircut_model_set_asset(h, (keel_asset)i, 0.1, 0.05));
    }
    for (int i = 0; i < n - 1; i++)
        ck_ok(keel_basket_set_collateral(bb, (keel_asset)i, 1.0));
    ck_ok(keel_haircut_model_set_volatility_addon(h, 0.99, 1.0));
    ck_ok(keel_haircut_model_set_portfolio_mode(h, 1));
    /* 2048 exposures and 10 positions without one: within the limit (not
     * valued here: a 2048-asset factor is a second of work) */
    for (int i = n; i < n + 10; i++)
        ck_ok(keel_basket_set_collateral(bb, (keel_asset)i, 0.0));
    ck_ok(keel_basket_set_collateral(bb, (keel_asset)(n - 1), 1.0));
    keel_metrics m = KEEL_METRICS_INIT;
    m.health_factor = -3.0;
    ck_status(keel_basket_metrics(bb, NULL, big, h, &m), KEEL_E_OVERFLOW);
    ck_assert(m.health_factor == -3.0);
    ck_assert_msg(strstr(keel_last_error(), "portfolio mode") != NULL, "%s", keel_last_error());
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_status(keel_haircut_breakdown(h, bb, big, 0, &c), KEEL_E_OVERFLOW);
    /* a scan names the account, as every scan error does */
    size_t off[3] = { 0, 1, (size_t)n + 1 };
    keel_asset *ids = malloc(((size_t)n + 1) * sizeof *ids);
    double *q = malloc(((size_t)n + 1) * sizeof *q), *d = calloc((size_t)n + 1, sizeof *d);
    ids[0] = 0, q[0] = 1.0;
    for (int i = 0; i < n; i++)
        ids[i + 1] = (keel_asset)i, q[i + 1] = 1.0;
    double hf[2];
    ck_status(keel_scan(big, h, 2, off, ids, q, d, hf), KEEL_E_OVERFLOW);
    ck_assert_msg(strstr(keel_last_error(), "account 1: portfolio mode") != NULL, "%s",
                  keel_last_error());
    free(ids);
    free(q);
    free(d);
    keel_basket_free(bb);
    keel_haircut_model_free(h);
    keel_market_free(big);
}
END_TEST

/* The peg add-on over 200 positions in five groups (past the stack buffer;
 * the engine sorts positions by group once): every effective haircut as the
 * definition gives it, each group's weighted debt summed position by
 * position here. */
START_TEST(peg_mismatch_many_positions)
{
    keel_market *big;
    keel_haircut_model *h;
    keel_basket *bb;
    ck_ok(keel_market_new(&big));
    ck_ok(keel_haircut_model_new(&h));
    ck_ok(keel_basket_new(&bb));
    enum { N = 200 };
    double price[N], q[N], d[N], bf[N];
    uint32_t group[N];
    char sym[16];
    for (int i = 0; i < N; i++) {
        snprintf(sym, sizeof sym, "P%d", i);
        price[i] = 1.0 + (i % 13) * 0.37;
        group[i] = i % 7 == 0 ? 0 : 1 + (uint32_t)(i % 5); /* some ungrouped: their own group */
        bf[i] = 1.0 + (i % 3) * 0.1;
        q[i] = i % 4 ? 100.0 + i : 0.0;
        d[i] = i % 4 ? 0.0 : 50.0 + i;
        ck_ok(keel_market_add_asset(big, sym, price[i], NULL));
        ck_ok(keel_haircut_model_set_asset(h, (keel_asset)i, 0.2, 0.1));
        ck_ok(keel_haircut_model_set_borrow_factor(h, (keel_asset)i, bf[i]));
        if (group[i] != 0)
            ck_ok(keel_haircut_model_set_peg_group(h, (keel_asset)i, group[i]));
        ck_ok(keel_basket_set_collateral(bb, (keel_asset)i, q[i]));
        ck_ok(keel_basket_set_debt(bb, (keel_asset)i, d[i]));
    }
    ck_ok(keel_haircut_model_set_peg_mismatch_addon(h, 0.08));
    double w = 0.0, l = 0.0;
    for (int i = 0; i < N; i++)
        w += d[i] * price[i] * bf[i];
    for (int i = 0; i < N; i++) {
        if (q[i] == 0.0)
            continue;
        double inside = 0.0;
        for (int j = 0; j < N; j++)
            if (group[i] != 0 ? group[j] == group[i] : j == i)
                inside += d[j] * price[j] * bf[j];
        double a = 0.08 * (w - inside) / w;
        l += q[i] * price[i] * (1.0 - (0.1 + a));
    }
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(bb, NULL, big, h, &m));
    ck_close(m.liquidation_value, l, 1e-13);
    ck_close(m.weighted_debt, w, 1e-14);
    keel_basket_free(bb);
    keel_haircut_model_free(h);
    keel_market_free(big);
}
END_TEST

START_TEST(breakdown_of_unscheduled_and_absent)
{
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.99, 5.0));
    keel_haircut_components c = breakdown(WBTC); /* no schedule: counts nothing */
    ck_assert_int_eq(c.has_schedule, 0);
    ck_assert(c.maintenance == 1.0 && c.initial == 1.0 && c.volatility == 0.0);
    c = breakdown(ETH); /* not in the basket: volatility add-on only */
    ck_assert_int_eq(c.has_schedule, 1);
    ck_assert(c.liquidity == 0.0 && c.concentration == 0.0);
    /* a short struct gets what fits */
    keel_haircut_components small;
    memset(&small, 0x55, sizeof small);
    small.size = offsetof(keel_haircut_components, volatility);
    ck_ok(keel_haircut_breakdown(hc, b, mk, ETH, &small));
    ck_close(small.base_maintenance, 0.17, 0.0);
    double untouched;
    memset(&untouched, 0x55, sizeof untouched);
    ck_assert(memcmp(&small.volatility, &untouched, sizeof untouched) == 0);
}
END_TEST

START_TEST(addon_settings_bad_input)
{
    haircut_snap before;
    snap_haircut(hc, &before);
    double conf0, hor0, k0, cap0;
    ck_ok(keel_haircut_model_volatility_addon(hc, &conf0, &hor0));
    ck_ok(keel_haircut_model_liquidity_addon(hc, &k0, &cap0));
    ck_assert(conf0 == 0.99 && hor0 == 0.0 && k0 == 0.0 && cap0 == 1.0);
    const double bad[] = { NAN, INFINITY, -INFINITY };
    for (int i = 0; i < 3; i++) {
        ck_status(keel_haircut_model_set_volatility_addon(hc, bad[i], 5.0), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_volatility_addon(hc, 0.99, bad[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_liquidity_addon(hc, bad[i], 0.5), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_liquidity_addon(hc, 0.5, bad[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_cap(hc, ETH, bad[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_concentration(hc, ETH, bad[i], 0.1), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_concentration(hc, ETH, 0.4, bad[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_peg_mismatch_addon(hc, bad[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_haircut_model_set_volatility_addon(hc, 0.0, 5.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_volatility_addon(hc, 1.0, 5.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_volatility_addon(hc, 0.3, 5.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_volatility_addon(hc, 0.99, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_liquidity_addon(hc, -0.5, 0.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_liquidity_addon(hc, 0.5, 1.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_liquidity_addon(hc, 0.5, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_cap(hc, ETH, 1.01), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_cap(hc, KEEL_ASSET_INVALID, 0.5), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_concentration(hc, ETH, 0.0, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(hc, ETH, 1.2, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(hc, ETH, 0.4, 1.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_concentration(hc, KEEL_ASSET_INVALID, 0.4, 0.1),
              KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_concentration_mode(hc, (keel_concentration_mode)7),
              KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(hc, -0.08), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_peg_group(hc, KEEL_ASSET_INVALID, 1), KEEL_E_UNKNOWN_ASSET);
    ck_haircut_unchanged(hc, &before);
    double conf, hor, k, cap, share, extra, addon;
    uint32_t g;
    int on;
    keel_concentration_mode mode;
    ck_ok(keel_haircut_model_volatility_addon(hc, &conf, &hor));
    ck_ok(keel_haircut_model_liquidity_addon(hc, &k, &cap));
    ck_ok(keel_haircut_model_concentration(hc, ETH, &share, &extra));
    ck_ok(keel_haircut_model_peg_mismatch_addon(hc, &addon));
    ck_ok(keel_haircut_model_cap(hc, ETH, &cap0));
    ck_ok(keel_haircut_model_concentration_mode(hc, &mode));
    ck_assert(conf == 0.99 && hor == 0.0 && k == 0.0 && cap == 1.0 && share == 1.0 &&
              extra == 0.0 && addon == 0.0 && cap0 == 1.0 && mode == KEEL_CONCENTRATION_EXTRA);

    /* NULL and wrong handles for every add-on function */
    keel_haircut_model *nul = NULL;
    ck_status(keel_haircut_model_set_volatility_addon(nul, 0.99, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_volatility_addon(hc, NULL, &hor), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_volatility_addon(hc, &conf, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_liquidity_addon(nul, 0.5, 0.5), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_liquidity_addon(hc, NULL, &cap), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_liquidity_addon(hc, &k, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_cap(nul, ETH, 0.5), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_cap(hc, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_concentration(nul, ETH, 0.4, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration(hc, ETH, NULL, &extra), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration(hc, ETH, &share, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_concentration_mode(nul, KEEL_CONCENTRATION_EXTRA),
              KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_concentration_mode(hc, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_peg_group(nul, ETH, 1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_peg_group(hc, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_peg_mismatch_addon(nul, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_peg_mismatch_addon(hc, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_portfolio_mode(nul, 1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_portfolio_mode(hc, NULL), KEEL_E_NULL_ARG);
    const keel_haircut_model *wrong = (const keel_haircut_model *)(const void *)mk;
    ck_status(keel_haircut_model_portfolio_mode(wrong, &on), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_peg_group(wrong, ETH, &g), KEEL_E_BAD_HANDLE);

    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_status(keel_haircut_breakdown(NULL, b, mk, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(hc, NULL, mk, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(hc, b, NULL, ETH, &c), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(hc, b, mk, ETH, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_breakdown(hc, b, mk, 5, &c), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_breakdown(wrong, b, mk, ETH, &c), KEEL_E_BAD_HANDLE);
    c.size = 2;
    ck_status(keel_haircut_breakdown(hc, b, mk, ETH, &c), KEEL_E_OUT_OF_RANGE);

    double h;
    ck_status(keel_volatility_haircut(-0.1, 0.99, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(NAN, 0.99, 1.0, &h), KEEL_E_NOT_FINITE);
    ck_status(keel_volatility_haircut(0.5, 1.0, 1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(0.5, 0.99, -1.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_volatility_haircut(0.5, 0.99, INFINITY, &h), KEEL_E_NOT_FINITE);
    ck_status(keel_volatility_haircut(0.5, 0.99, 1.0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_scale_holding_period(0.1, 0.0, 5.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(-0.1, 10.0, 5.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(0.1, 10.0, -5.0, &h), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_scale_holding_period(NAN, 10.0, 5.0, &h), KEEL_E_NOT_FINITE);
    ck_status(keel_haircut_scale_holding_period(1e300, 1e-300, 1e300, &h), KEEL_E_NOT_FINITE);
    ck_status(keel_haircut_scale_holding_period(0.1, 10.0, 5.0, NULL), KEEL_E_NULL_ARG);
}
END_TEST

START_TEST(clone_keeps_settings)
{
    ck_ok(keel_haircut_model_set_volatility_addon(hc, 0.975, 3.0));
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.4, 0.25));
    ck_ok(keel_haircut_model_set_portfolio_mode(hc, 1));
    ck_ok(keel_haircut_model_set_peg_mismatch_addon(hc, 0.08));
    ck_ok(keel_haircut_model_set_concentration_mode(hc, KEEL_CONCENTRATION_EXCLUDE));
    ck_ok(keel_haircut_model_set_concentration(hc, ETH, 0.5, 0.1));
    ck_ok(keel_haircut_model_set_peg_group(hc, USDC, 9));
    ck_ok(keel_haircut_model_set_cap(hc, ETH, 0.6));
    keel_haircut_model *c;
    ck_ok(keel_haircut_model_clone(hc, &c));
    double conf, hor, k, cap, addon, share, extra;
    int on;
    uint32_t g;
    keel_concentration_mode mode;
    ck_ok(keel_haircut_model_volatility_addon(c, &conf, &hor));
    ck_ok(keel_haircut_model_liquidity_addon(c, &k, &cap));
    ck_ok(keel_haircut_model_portfolio_mode(c, &on));
    ck_ok(keel_haircut_model_peg_mismatch_addon(c, &addon));
    ck_ok(keel_haircut_model_concentration_mode(c, &mode));
    ck_ok(keel_haircut_model_concentration(c, ETH, &share, &extra));
    ck_ok(keel_haircut_model_peg_group(c, USDC, &g));
    ck_assert(conf == 0.975 && hor == 3.0 && k == 0.4 && cap == 0.25 && on == 1 &&
              addon == 0.08 && mode == KEEL_CONCENTRATION_EXCLUDE && share == 0.5 &&
              extra == 0.1 && g == 9);
    ck_ok(keel_haircut_model_cap(c, ETH, &cap));
    ck_assert(cap == 0.6);
    /* resetting to the defaults leaves an entry-free asset */
    ck_ok(keel_haircut_model_set_cap(c, ETH, 1.0));
    ck_ok(keel_haircut_model_set_concentration(c, ETH, 1.0, 0.0));
    ck_ok(keel_haircut_model_cap(c, ETH, &cap));
    ck_assert(cap == 1.0);
    keel_haircut_model_free(c);
}
END_TEST

/* Out of memory for the matrices of a 40-asset portfolio: KEEL_E_NOMEM,
 * output untouched, nothing leaked (runs without the fixture so that the
 * allocator can be installed first). */
START_TEST(portfolio_out_of_memory)
{
    fail_alloc fa = { -1, 0, 0, false };
    install_fail_alloc(&fa);
    keel_market *big;
    keel_haircut_model *h;
    keel_basket *bb;
    make_big_portfolio(&big, &h, &bb, 0.1, 0.05);
    long live = fa.live;
    keel_metrics m = KEEL_METRICS_INIT;
    m.health_factor = -7.0;
    fa.fail_after = 0;
    ck_status(keel_basket_metrics(bb, NULL, big, h, &m), KEEL_E_NOMEM);
    double p = -7.0;
    ck_status(keel_basket_liquidation_price(bb, NULL, big, h, 3, &p, NULL), KEEL_E_NOMEM);
    keel_haircut_components c = KEEL_HAIRCUT_COMPONENTS_INIT;
    ck_status(keel_haircut_breakdown(h, bb, big, 3, &c), KEEL_E_NOMEM);
    fa.fail_after = -1;
    ck_assert(m.health_factor == -7.0 && p == -7.0 && c.portfolio_var == 0.0);
    ck_assert_int_eq(fa.live, live);
    ck_ok(keel_basket_metrics(bb, NULL, big, h, &m));
    keel_basket_free(bb);
    keel_haircut_model_free(h);
    keel_market_free(big);
    ck_assert_int_eq(fa.live, 0);
    ck_ok(keel_set_allocator(NULL));
}
END_TEST

/* Found by the fuzzer: the bracketed search walked forever once prices
 * underflowed to 0 (a denormal spot) or overflowed. It must end, with an
 * answer or a clean status. */
START_TEST(search_ends_at_extreme_prices)
{
    ck_ok(keel_haircut_model_set_liquidity_addon(hc, 0.5, 0.3));
    ck_ok(keel_market_set_depth(mk, ETH, 1e6));
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 100.0));
    const double extremes[] = { 5e-324, 1e-300, 1e300, 1.7e308 };
    for (int i = 0; i < 4; i++) {
        ck_ok(keel_market_set_price(mk, ETH, extremes[i]));
        double p = -1.0;
        keel_liquidation_side side;
        keel_status s = keel_basket_liquidation_price(b, NULL, mk, hc, ETH, &p, &side);
        ck_assert_msg(s == KEEL_OK || s == KEEL_E_OVERFLOW, "price %g: %s", extremes[i],
                      keel_status_str(s));
        if (s == KEEL_OK)
            ck_assert(p >= 0.0 && isfinite(p));
    }
}
END_TEST

static Suite *addons_suite(void)
{
    Suite *s = suite_create("addons");
    TCase *tc = tcase_create("addons");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, volatility_addon);
    tcase_add_test(tc, liquidity_addon_and_cap);
    tcase_add_test(tc, concentration_both_modes);
    tcase_add_test(tc, peg_mismatch);
    tcase_add_test(tc, portfolio_mode_hedges_count);
    tcase_add_test(tc, portfolio_mode_checks_psd);
    tcase_add_test(tc, portfolio_mode_many_assets);
    tcase_add_test(tc, breakdown_of_unscheduled_and_absent);
    tcase_add_test(tc, addon_settings_bad_input);
    tcase_add_test(tc, clone_keeps_settings);
    tcase_add_test(tc, portfolio_mode_size_limit);
    tcase_add_test(tc, peg_mismatch_many_positions);
    tcase_add_test(tc, search_ends_at_extreme_prices);
    suite_add_tcase(s, tc);
    TCase *oom = tcase_create("oom");
    tcase_add_test(oom, portfolio_out_of_memory);
    suite_add_tcase(s, oom);
    return s;
}

KEEL_TEST_MAIN(addons_suite)
