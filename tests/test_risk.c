/* Account metrics and liquidation prices, against accounts worked by hand.
 *
 * Market: ETH 2000, USDC 1, WBTC 60000, UNI 10, USDT 1, DOGE 0.1.
 * Haircuts in the shape of Aave v3's published parameters:
 *   ETH  LTV 80.5%, liquidation threshold 83% -> h_init 0.195, h_maint 0.17
 *   WBTC LTV 73%,   threshold 78%            -> h_init 0.27,  h_maint 0.22
 *   USDC LTV 75%,   threshold 78%            -> h_init 0.25,  h_maint 0.22
 *   UNI  not collateral, borrow factor 1.25; USDT and DOGE: no terms set. */
#include <stddef.h>

#include "testutil.h"

enum { ETH, USDC, WBTC, UNI, USDT, DOGE };

static keel_market *mk;
static keel_haircut_model *hc;
static keel_basket *b;

static void setup(void)
{
    ck_assert_int_eq(keel_market_new(&mk), KEEL_OK);
    const char *sym[] = { "ETH", "USDC", "WBTC", "UNI", "USDT", "DOGE" };
    const double px[] = { 2000.0, 1.0, 60000.0, 10.0, 1.0, 0.1 };
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(keel_market_add_asset(mk, sym[i], px[i], NULL), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&hc), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, ETH, 0.195, 0.17), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, WBTC, 0.27, 0.22), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, USDC, 0.25, 0.22), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_borrow_factor(hc, UNI, 1.25), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
}

static void teardown(void)
{
    keel_basket_free(b);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

static keel_metrics metrics(void)
{
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m));
    ck_assert_uint_eq(m.size, sizeof m);
    return m;
}

static double liq(keel_asset a, keel_liquidation_side want_side)
{
    double p = -1.0;
    keel_liquidation_side side = (keel_liquidation_side)99;
    ck_ok(keel_basket_liquidation_price(b, NULL, mk, hc, a, &p, &side));
    ck_assert_msg(side == want_side, "asset %u: side %d, expected %d", (unsigned)a, (int)side,
                  (int)want_side);
    return p;
}

/* Second method: move the asset to the returned price on a copy of the market
 * and recompute HF; it must be 1, and below 1 just past it on the named side. */
static void ck_hf_is_one_at(keel_asset a, double p, keel_liquidation_side side)
{
    keel_market *moved = NULL;
    ck_ok(keel_market_clone(mk, &moved));
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_market_set_price(moved, a, p));
    ck_ok(keel_basket_metrics(b, NULL, moved, hc, &m));
    ck_close(m.health_factor, 1.0, 1e-12);
    double past = side == KEEL_LIQ_BELOW ? p * (1 - 1e-6) : p * (1 + 1e-6);
    ck_ok(keel_market_set_price(moved, a, past));
    ck_ok(keel_basket_metrics(b, NULL, moved, hc, &m));
    ck_assert_double_lt(m.health_factor, 1.0);
    keel_market_free(moved);
}

START_TEST(account_single_collateral)
{
    /* 10 ETH collateral, 12000 USDC debt.
     * C = 20000; BP = 20000 * 0.805 = 16100; L = 20000 * 0.83 = 16600
     * D = W = 12000; HF = 16600 / 12000 = 1.38333...; LTV = 0.6; C/D = 1.6667
     * efficiency = 12000 / 16100 = 0.745342; free BP = 4100; buffer = 4600 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_metrics m = metrics();
    ck_close(m.collateral_value, 20000.0, 1e-15);
    ck_close(m.borrowing_power, 16100.0, 1e-15);
    ck_close(m.liquidation_value, 16600.0, 1e-15);
    ck_close(m.debt_value, 12000.0, 1e-15);
    ck_close(m.weighted_debt, 12000.0, 1e-15);
    ck_close(m.health_factor, 16600.0 / 12000.0, 1e-15);
    ck_close(m.ltv, 0.6, 1e-15);
    ck_close(m.collateral_ratio, 20000.0 / 12000.0, 1e-15);
    ck_close(m.capital_efficiency, 12000.0 / 16100.0, 1e-15);
    ck_close(m.free_borrowing_power, 4100.0, 1e-12);
    ck_close(m.liquidation_buffer, 4600.0, 1e-12);
    ck_assert(m.option_value == 0.0 && m.option_margin == 0.0);

    /* ETH: 10 * 0.83 * p = 12000 -> p = 1445.7831325...; falls to liquidation */
    double p = liq(ETH, KEEL_LIQ_BELOW);
    ck_close(p, 12000.0 / 8.3, 1e-14);
    ck_hf_is_one_at(ETH, p, KEEL_LIQ_BELOW);
    /* USDC debt: 16600 = 12000 p -> p = 1.38333 (a depeg upward liquidates) */
    p = liq(USDC, KEEL_LIQ_ABOVE);
    ck_close(p, 16600.0 / 12000.0, 1e-14);
    ck_hf_is_one_at(USDC, p, KEEL_LIQ_ABOVE);
}
END_TEST

START_TEST(account_multi_collateral)
{
    /* 10 ETH + 0.5 WBTC + 5000 USDC collateral, 25000 USDT debt.
     * C  = 20000 + 30000 + 5000 = 55000
     * BP = 16100 + 30000 * 0.73 + 5000 * 0.75 = 16100 + 21900 + 3750 = 41750
     * L  = 16600 + 30000 * 0.78 + 5000 * 0.78 = 16600 + 23400 + 3900 = 43900
     * D = W = 25000; HF = 43900 / 25000 = 1.756; LTV = 25000 / 55000 = 0.454545 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, WBTC, 0.5));
    ck_ok(keel_basket_set_collateral(b, USDC, 5000.0));
    ck_ok(keel_basket_set_debt(b, USDT, 25000.0));
    keel_metrics m = metrics();
    ck_close(m.collateral_value, 55000.0, 1e-15);
    ck_close(m.borrowing_power, 41750.0, 1e-15);
    ck_close(m.liquidation_value, 43900.0, 1e-15);
    ck_close(m.health_factor, 1.756, 1e-15);
    ck_close(m.ltv, 25000.0 / 55000.0, 1e-15);
    ck_close(m.capital_efficiency, 25000.0 / 41750.0, 1e-15);
    ck_close(m.free_borrowing_power, 16750.0, 1e-12);
    ck_close(m.liquidation_buffer, 18900.0, 1e-12);

    /* WBTC: 20500 + 0.5 * 0.78 p = 25000 -> p = 4500 / 0.39 = 11538.46... */
    double p = liq(WBTC, KEEL_LIQ_BELOW);
    ck_close(p, 4500.0 / 0.39, 1e-14);
    ck_hf_is_one_at(WBTC, p, KEEL_LIQ_BELOW);
    /* ETH: the others alone give 23400 + 3900 = 27300 > 25000: never liquidated by ETH */
    ck_assert(liq(ETH, KEEL_LIQ_NEVER) == 0.0);
    /* USDT: 43900 = 25000 p -> p = 1.756 */
    ck_close(liq(USDT, KEEL_LIQ_ABOVE), 1.756, 1e-14);
}
END_TEST

START_TEST(account_asset_both_sides)
{
    /* 10 ETH collateral and 9 ETH debt, 5000 USDC collateral.
     * C = 25000; D = 18000; L = 16600 + 3900 = 20500; W = 18000
     * HF = 20500 / 18000 = 1.138889; BP = 16100 + 3750 = 19850; LTV = 0.72
     * ETH: 3900 + 8.3 p = 9 p -> p = 3900 / 0.7 = 5571.43, liquidated as ETH rises
     * USDC: 16600 + 3900 p = 18000 -> p = 1400 / 3900 = 0.358974 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, ETH, 9.0));
    ck_ok(keel_basket_set_collateral(b, USDC, 5000.0));
    keel_metrics m = metrics();
    ck_close(m.collateral_value, 25000.0, 1e-15);
    ck_close(m.debt_value, 18000.0, 1e-15);
    ck_close(m.liquidation_value, 20500.0, 1e-15);
    ck_close(m.health_factor, 20500.0 / 18000.0, 1e-15);
    ck_close(m.borrowing_power, 19850.0, 1e-15);
    ck_close(m.ltv, 0.72, 1e-15);
    double p = liq(ETH, KEEL_LIQ_ABOVE);
    ck_close(p, 3900.0 / 0.7, 1e-13);
    ck_hf_is_one_at(ETH, p, KEEL_LIQ_ABOVE);
    p = liq(USDC, KEEL_LIQ_BELOW);
    ck_close(p, 1400.0 / 3900.0, 1e-13);
    ck_hf_is_one_at(USDC, p, KEEL_LIQ_BELOW);

    /* With only 8 ETH owed the ETH leg is net collateral (8.3 > 8):
     * 3900 + 8.3 p = 8 p has no positive root -> never liquidated by ETH. */
    ck_ok(keel_basket_set_debt(b, ETH, 8.0));
    ck_assert(liq(ETH, KEEL_LIQ_NEVER) == 0.0);
}
END_TEST

START_TEST(account_borrow_factor)
{
    /* 10 ETH collateral; debt 500 UNI (factor 1.25) and 3000 USDC.
     * D = 5000 + 3000 = 8000; W = 5000 * 1.25 + 3000 = 9250; L = 16600
     * HF = 16600 / 9250 = 1.794595; LTV = 0.4; efficiency = 9250 / 16100
     * UNI: 16600 = 3000 + 625 p -> p = 21.76
     * ETH: 8.3 p = 9250 -> p = 1114.457831 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, UNI, 500.0));
    ck_ok(keel_basket_set_debt(b, USDC, 3000.0));
    keel_metrics m = metrics();
    ck_close(m.debt_value, 8000.0, 1e-15);
    ck_close(m.weighted_debt, 9250.0, 1e-15);
    ck_close(m.health_factor, 16600.0 / 9250.0, 1e-15);
    ck_close(m.ltv, 0.4, 1e-15);
    ck_close(m.capital_efficiency, 9250.0 / 16100.0, 1e-15);
    ck_close(m.free_borrowing_power, 6850.0, 1e-12);
    double p = liq(UNI, KEEL_LIQ_ABOVE);
    ck_close(p, 21.76, 1e-14);
    ck_hf_is_one_at(UNI, p, KEEL_LIQ_ABOVE);
    p = liq(ETH, KEEL_LIQ_BELOW);
    ck_close(p, 9250.0 / 8.3, 1e-14);
    ck_hf_is_one_at(ETH, p, KEEL_LIQ_BELOW);
}
END_TEST

START_TEST(account_no_debt)
{
    /* 10 ETH and 100 DOGE (no haircut set: counts in C, not in BP or L).
     * C = 20010; BP = 16100; L = 16600; no debt -> HF = +inf, LTV 0, C/D = +inf */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_collateral(b, DOGE, 100.0));
    keel_metrics m = metrics();
    ck_close(m.collateral_value, 20010.0, 1e-15);
    ck_close(m.borrowing_power, 16100.0, 1e-15);
    ck_close(m.liquidation_value, 16600.0, 1e-15);
    ck_assert(m.debt_value == 0.0 && m.weighted_debt == 0.0);
    ck_assert(isinf(m.health_factor) && m.health_factor > 0);
    ck_assert(m.ltv == 0.0);
    ck_assert(isinf(m.collateral_ratio));
    ck_assert(m.capital_efficiency == 0.0);
    ck_close(m.free_borrowing_power, 16100.0, 1e-15);
    ck_close(m.liquidation_buffer, 16600.0, 1e-15);
    ck_assert(liq(ETH, KEEL_LIQ_NEVER) == 0.0);
    ck_assert(liq(DOGE, KEEL_LIQ_NEVER) == 0.0);
    ck_assert(liq(WBTC, KEEL_LIQ_NEVER) == 0.0); /* not held at all */
}
END_TEST

START_TEST(account_already_liquidatable)
{
    /* 10 ETH, 17000 USDC: HF = 16600 / 17000 = 0.976471 < 1.
     * The ETH price to regain: 17000 / 8.3 = 2048.19 > 2000 (spot). */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 17000.0));
    keel_metrics m = metrics();
    ck_close(m.health_factor, 16600.0 / 17000.0, 1e-15);
    ck_close(m.liquidation_buffer, -400.0, 1e-12);
    /* BP - W = 16100 - 17000 = -900: nothing more may be borrowed, 0 as
     * protocols report it (Aave's availableBorrowsBase) */
    ck_assert(m.free_borrowing_power == 0.0);
    /* Aave's ltv and currentLiquidationThreshold: 0.805 and 0.83 by value */
    ck_close(m.weighted_max_ltv, 0.805, 1e-15);
    ck_close(m.weighted_liquidation_threshold, 0.83, 1e-15);
    double p = liq(ETH, KEEL_LIQ_BELOW);
    ck_close(p, 17000.0 / 8.3, 1e-14);
    ck_assert_double_gt(p, 2000.0);
}
END_TEST

START_TEST(ltv_zero_collateral_counts_toward_health_only)
{
    /* Aave v3 lists assets with LTV 0 and a liquidation threshold above 0
     * (a stablecoin at LTV 0, threshold 77%): initial haircut 1, maintenance
     * 0.23. 1 ETH at 2000 (LTV 80.5%, threshold 83%) and 1000 USDT against
     * 1500 USDC:
     *   BP = 2000 x 0.805 = 1610 (USDT adds nothing)
     *   L  = 2000 x 0.83 + 1000 x 0.77 = 2430,  HF = 2430 / 1500 = 1.62
     *   Aave's ltv = 1610 / 3000, currentLiquidationThreshold = 2430 / 3000
     *   free borrowing power 1610 - 1500 = 110; keel's ltv D / C = 0.5 */
    ck_ok(keel_haircut_model_set_asset(hc, USDT, 1.0, 0.23));
    ck_ok(keel_basket_set_collateral(b, ETH, 1.0));
    ck_ok(keel_basket_set_collateral(b, USDT, 1000.0));
    ck_ok(keel_basket_set_debt(b, USDC, 1500.0));
    keel_metrics m = metrics();
    ck_close(m.borrowing_power, 1610.0, 1e-15);
    ck_close(m.liquidation_value, 2430.0, 1e-15);
    ck_close(m.health_factor, 1.62, 1e-15);
    ck_close(m.weighted_max_ltv, 1610.0 / 3000.0, 1e-15);
    ck_close(m.weighted_liquidation_threshold, 0.81, 1e-15);
    ck_close(m.free_borrowing_power, 110.0, 1e-12);
    ck_close(m.ltv, 0.5, 1e-15);
    /* collateral with no haircut schedule counts in C but not in the
     * weighted figures (Aave's GenericLogic skips reserves whose liquidation
     * threshold is 0): 1000 DOGE at 0.1 leaves them at 1610 / 3000 and 0.81 */
    ck_ok(keel_basket_set_collateral(b, DOGE, 1000.0));
    m = metrics();
    ck_close(m.collateral_value, 3100.0, 1e-15);
    ck_close(m.weighted_max_ltv, 1610.0 / 3000.0, 1e-15);
    ck_close(m.weighted_liquidation_threshold, 0.81, 1e-15);
    ck_ok(keel_basket_set_collateral(b, DOGE, 0.0));
    /* its liquidation price: 1000 x 0.77 p + 1660 = 1500 has no positive
     * root, so USDT alone never liquidates the account; ETH's is
     * (1500 - 770) / 0.83 */
    double p = liq(USDT, KEEL_LIQ_NEVER);
    ck_assert(p == 0.0);
    p = liq(ETH, KEEL_LIQ_BELOW);
    ck_close(p, 730.0 / 0.83, 1e-14);
    /* with no debt the weighted figures stand; with no collateral they are 0 */
    ck_ok(keel_basket_set_collateral(b, ETH, 0.0));
    ck_ok(keel_basket_set_collateral(b, USDT, 0.0));
    m = metrics();
    ck_assert(m.weighted_max_ltv == 0.0 && m.weighted_liquidation_threshold == 0.0);
}
END_TEST

/* splitmix64 (Steele et al. 2014): uniform in [0, 1). */
static uint64_t sweep_state = 0x243f6a8885a308d3u;
static double sweep_uniform(void)
{
    uint64_t z = (sweep_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

static bool liquidatable_with(keel_asset a, double p)
{
    keel_market *moved = NULL;
    ck_ok(keel_market_clone(mk, &moved));
    ck_ok(keel_market_set_price(moved, a, p));
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, moved, hc, &m));
    keel_market_free(moved);
    return m.health_factor < 1.0;
}

START_TEST(liquidation_price_is_the_boundary_to_the_ulp)
{
    /* The closed form p* = (W' - L') / (c - w) is rounded: 13% of random
     * accounts read HF 1 - 1 ulp at the returned price, liquidatable at the
     * price that is supposed to be the last one before liquidation. The
     * returned price is the boundary as keel_basket_metrics() draws it: not
     * liquidatable there (HF >= 1), liquidatable just beyond (one ulp beyond
     * unless the asset is so small a part of L that an ulp of its price
     * moves L by less than an ulp: then within 1e-12). */
    int checked = 0;
    for (int i = 0; i < 2000; i++) {
        double hm = 0.5 * sweep_uniform();
        ck_ok(keel_market_set_price(mk, ETH, 100.0 + 4900.0 * sweep_uniform()));
        ck_ok(keel_haircut_model_set_asset(hc, ETH, hm + 0.2 * sweep_uniform() * (1.0 - hm), hm));
        ck_ok(keel_basket_set_collateral(b, ETH, 0.1 + 100.0 * sweep_uniform()));
        ck_ok(keel_basket_set_collateral(b, WBTC, sweep_uniform()));
        ck_ok(keel_basket_set_debt(b, USDC, 0.0));
        keel_metrics m = metrics();
        ck_ok(keel_basket_set_debt(b, USDC, (0.2 + 1.3 * sweep_uniform()) * m.liquidation_value));
        double p = -1.0;
        keel_liquidation_side side;
        ck_ok(keel_basket_liquidation_price(b, NULL, mk, hc, ETH, &p, &side));
        if (side != KEEL_LIQ_BELOW)
            continue;
        checked++;
        ck_assert_msg(!liquidatable_with(ETH, p), "account %d: liquidatable at %.17g", i, p);
        ck_assert_msg(liquidatable_with(ETH, p * (1.0 - 1e-12)), "account %d: %.17g", i, p);
        double lo, hi;
        ck_ok(keel_basket_liquidation_prices(b, NULL, mk, hc, ETH, &lo, &hi));
        ck_assert(lo == p || hi == p);
    }
    ck_assert_int_gt(checked, 1000);
    /* the debt side: USDC as debt rising in price liquidates above p* */
    ck_ok(keel_market_set_price(mk, ETH, 2000.0));
    ck_ok(keel_haircut_model_set_asset(hc, ETH, 0.195, 0.17));
    ck_ok(keel_basket_set_collateral(b, WBTC, 0.0));
    for (int i = 0; i < 500; i++) {
        ck_ok(keel_basket_set_collateral(b, ETH, 1.0 + 99.0 * sweep_uniform()));
        ck_ok(keel_basket_set_debt(b, USDC, (0.2 + 0.79 * sweep_uniform()) * metrics().liquidation_value));
        double p = -1.0;
        keel_liquidation_side side;
        ck_ok(keel_basket_liquidation_price(b, NULL, mk, hc, USDC, &p, &side));
        ck_assert(side == KEEL_LIQ_ABOVE);
        ck_assert_msg(!liquidatable_with(USDC, p), "account %d: liquidatable at %.17g", i, p);
        ck_assert_msg(liquidatable_with(USDC, p * (1.0 + 1e-12)), "account %d", i);
    }
}
END_TEST

START_TEST(account_debt_only)
{
    /* 100 USDC debt, nothing else: C = 0, so LTV = +inf, HF = 0, efficiency = +inf;
     * liquidatable at every USDC price and whatever ETH does. */
    ck_ok(keel_basket_set_debt(b, USDC, 100.0));
    keel_metrics m = metrics();
    ck_assert(m.health_factor == 0.0);
    ck_assert(isinf(m.ltv));
    ck_assert(isinf(m.capital_efficiency));
    ck_close(m.collateral_ratio, 0.0, 0.0);
    ck_assert(liq(USDC, KEEL_LIQ_ALWAYS) == 0.0);
    ck_assert(liq(ETH, KEEL_LIQ_ALWAYS) == 0.0);
}
END_TEST

START_TEST(empty_basket)
{
    keel_metrics m = metrics();
    ck_assert(m.collateral_value == 0.0 && m.debt_value == 0.0);
    ck_assert(isinf(m.health_factor));
    ck_assert(m.ltv == 0.0 && m.capital_efficiency == 0.0);
}
END_TEST

START_TEST(short_metrics_struct)
{
    /* A caller built against a struct that ended at health_factor. */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_metrics m;
    for (size_t i = 0; i < sizeof m / sizeof(double); i++)
        ((double *)(void *)&m)[i] = 12345.0;
    m.size = offsetof(keel_metrics, health_factor) + sizeof(double);
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &m));
    ck_assert_uint_eq(m.size, offsetof(keel_metrics, health_factor) + sizeof(double));
    ck_close(m.health_factor, 16600.0 / 12000.0, 1e-15);
    ck_assert(m.ltv == 12345.0 && m.option_margin == 12345.0);

    keel_metrics tiny = { .size = 4 };
    ck_status(keel_basket_metrics(b, NULL, mk, hc, &tiny), KEEL_E_OUT_OF_RANGE);
}
END_TEST

START_TEST(bad_input)
{
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    market_snap *ms = malloc(sizeof *ms);
    basket_snap bs;
    haircut_snap hs;
    snap_market(mk, ms);
    snap_basket(b, &bs);
    snap_haircut(hc, &hs);

    keel_metrics m = KEEL_METRICS_INIT;
    double p = 7.0;
    keel_liquidation_side side = KEEL_LIQ_NEVER;
    const keel_options *foreign = (const keel_options *)(const void *)mk;
    ck_status(keel_basket_metrics(NULL, NULL, mk, hc, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(b, NULL, NULL, hc, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(b, NULL, mk, NULL, &m), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(b, NULL, mk, hc, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_metrics(b, foreign, mk, hc, &m), KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_metrics((const keel_basket *)(void *)mk, NULL, mk, hc, &m),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_metrics(b, NULL, mk, (const keel_haircut_model *)(void *)b, &m),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_liquidation_price(NULL, NULL, mk, hc, ETH, &p, &side), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(b, NULL, NULL, hc, ETH, &p, &side), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(b, NULL, mk, NULL, ETH, &p, &side), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(b, NULL, mk, hc, ETH, NULL, &side), KEEL_E_NULL_ARG);
    ck_status(keel_basket_liquidation_price(b, foreign, mk, hc, ETH, &p, &side),
              KEEL_E_BAD_HANDLE);
    ck_status(keel_basket_liquidation_price(b, NULL, mk, hc, 6, &p, &side), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_basket_liquidation_price(b, NULL, mk, hc, KEEL_ASSET_INVALID, &p, &side),
              KEEL_E_UNKNOWN_ASSET);
    ck_assert(p == 7.0 && side == KEEL_LIQ_NEVER); /* outputs untouched on failure */

    /* A basket holding an asset the market does not know. */
    keel_basket *stray = NULL;
    ck_ok(keel_basket_clone(b, &stray));
    ck_ok(keel_basket_set_collateral(stray, 50, 1.0));
    ck_status(keel_basket_metrics(stray, NULL, mk, hc, &m), KEEL_E_UNKNOWN_ASSET);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "50"));
    ck_status(keel_basket_liquidation_price(stray, NULL, mk, hc, ETH, &p, &side),
              KEEL_E_UNKNOWN_ASSET);
    keel_basket_free(stray);

    /* Values beyond double range: 1e308 WBTC at 60000. */
    keel_basket *huge = NULL;
    ck_ok(keel_basket_new(&huge));
    ck_ok(keel_basket_set_collateral(huge, WBTC, 1e308));
    ck_status(keel_basket_metrics(huge, NULL, mk, hc, &m), KEEL_E_OVERFLOW);
    ck_status(keel_basket_liquidation_price(huge, NULL, mk, hc, ETH, &p, &side), KEEL_E_OVERFLOW);
    keel_basket_free(huge);

    ck_market_unchanged(mk, ms);
    ck_basket_unchanged(b, &bs);
    ck_haircut_unchanged(hc, &hs);
    free(ms);
}
END_TEST

static Suite *risk_suite(void)
{
    Suite *s = suite_create("risk");
    TCase *tc = tcase_create("risk");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, account_single_collateral);
    tcase_add_test(tc, account_multi_collateral);
    tcase_add_test(tc, account_asset_both_sides);
    tcase_add_test(tc, account_borrow_factor);
    tcase_add_test(tc, account_no_debt);
    tcase_add_test(tc, account_already_liquidatable);
    tcase_add_test(tc, account_debt_only);
    tcase_add_test(tc, ltv_zero_collateral_counts_toward_health_only);
    tcase_add_test(tc, liquidation_price_is_the_boundary_to_the_ulp);
    tcase_add_test(tc, empty_basket);
    tcase_add_test(tc, short_metrics_struct);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(risk_suite)
