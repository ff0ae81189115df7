/* keel_cost_model against trades worked by hand: a constant-product pool's
 * exact output (Uniswap v2 arithmetic), the square-root and linear impact
 * laws, fees, spread and fixed costs, and a swap sized so that the purchase
 * spends exactly the sale's proceeds. */
#include "testutil.h"

enum { ETH, USDC };

static keel_market *mk;
static keel_cost_model *cm;

static void setup(void)
{
    ck_assert_int_eq(keel_market_new(&mk), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(mk, "ETH", 2000.0, NULL), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(mk, "USDC", 1.0, NULL), KEEL_OK);
    ck_assert_int_eq(keel_market_set_volatility(mk, ETH, 0.8), KEEL_OK);
    ck_assert_int_eq(keel_cost_model_new(&cm), KEEL_OK);
}

static void teardown(void)
{
    keel_cost_model_free(cm);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

static keel_trade_cost cost(keel_asset a, double qty)
{
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    ck_ok(keel_cost_model_cost(cm, mk, a, qty, &c));
    return c;
}

START_TEST(constant_product_pool)
{
    /* 1000 ETH and 2,000,000 USDC, fee 0.3%, market 2000.
     * Sell 10 ETH: out = 2e6 x 10 x 0.997 / (1000 + 9.97) = 19,743.1607...
     *   cost = 20,000 - out = 256.839...
     * Buy 10 ETH: in = 2e6 x 10 / ((1000 - 10) x 0.997) = 20,262.80...
     *   cost = in - 20,000 */
    ck_ok(keel_cost_model_set_pool(cm, ETH, 1000.0, 2e6, 0.003));
    double out = 2e6 * 10 * 0.997 / (1000 + 10 * 0.997);
    double in = 2e6 * 10 / (990 * 0.997);
    ck_close(out, 19743.16068794123, 1e-13);
    keel_trade_cost s = cost(ETH, -10.0);
    ck_close(s.impact, 20000.0 - out, 1e-12);
    ck_close(s.total, 20000.0 - out, 1e-12);
    ck_close(s.effective_price, out / 10.0, 1e-13);
    keel_trade_cost b = cost(ETH, 10.0);
    ck_close(b.impact, in - 20000.0, 1e-12);
    ck_close(b.effective_price, in / 10.0, 1e-13);
    keel_impact shape;
    ck_ok(keel_cost_model_impact(cm, ETH, &shape));
    ck_assert_int_eq(shape, KEEL_IMPACT_POOL);
    /* the pool cannot sell what it does not hold */
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    ck_status(keel_cost_model_cost(cm, mk, ETH, 1000.0, &c), KEEL_E_INFEASIBLE);
}
END_TEST

START_TEST(square_root_and_linear_impact)
{
    /* Y = 0.7, daily volume 1e9, ETH 80% a year -> sigma_d = 0.8 / sqrt(365);
     * 500 ETH = 1e6: impact = 0.7 x 0.041874 x sqrt(1e-3) x 1e6 = 926.92 */
    ck_ok(keel_cost_model_set_sqrt_impact(cm, ETH, 0.7, 1e9));
    keel_trade_cost c = cost(ETH, 500.0);
    ck_close(c.impact, 0.7 * (0.8 / sqrt(365.0)) * sqrt(1e6 / 1e9) * 1e6, 1e-13);
    ck_close(c.impact, 926.9200, 1e-5);
    ck_close(cost(ETH, -500.0).impact, c.impact, 1e-15); /* symmetric */
    /* linear: k 0.5, depth 1e7, N 1e6: 0.5 x 1e12 / 1e7 = 50,000 */
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 0.5, 1e7));
    ck_close(cost(ETH, 500.0).impact, 50000.0, 1e-15);
    ck_ok(keel_cost_model_clear_impact(cm, ETH));
    ck_assert(cost(ETH, 500.0).impact == 0.0);
}
END_TEST

START_TEST(fees_spread_fixed)
{
    /* 5 bps fee, 2 bps half-spread, 3 of gas; 10 ETH = 20,000:
     * 10 + 4 + 3 = 17; a zero trade costs nothing, not even gas */
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.0005, 0.0002));
    ck_ok(keel_cost_model_set_fixed(cm, ETH, 3.0));
    keel_trade_cost c = cost(ETH, -10.0);
    ck_close(c.fee, 10.0, 1e-15);
    ck_close(c.spread, 4.0, 1e-15);
    ck_close(c.total, 17.0, 1e-15);
    ck_close(c.effective_price, (20000.0 - 17.0) / 10.0, 1e-15);
    c = cost(ETH, 0.0);
    ck_assert(c.total == 0.0 && c.effective_price == 2000.0);
    ck_close(cost(USDC, 100.0).total, 0.0, 0.0); /* no terms: free */
    keel_cost_model *copy;
    ck_ok(keel_cost_model_clone(cm, &copy));
    ck_ok(keel_cost_model_set_fixed(copy, ETH, 0.0));
    ck_close(cost(ETH, -10.0).total, 17.0, 1e-15);
    keel_cost_model_free(copy);
}
END_TEST

START_TEST(swap_spends_the_proceeds)
{
    /* 10 bps on both sides: sell 1 ETH -> 1998; buy USDC u with
     * u (1 + 0.001) = 1998 -> u = 1996.003996; total cost 2 + 1.996004 */
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.001, 0.0));
    ck_ok(keel_cost_model_set_fee(cm, USDC, 0.001, 0.0));
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    ck_ok(keel_cost_model_swap(cm, mk, ETH, USDC, 1.0, &r));
    ck_close(r.proceeds, 1998.0, 1e-15);
    ck_close(r.bought, 1998.0 / 1.001, 1e-14);
    ck_close(r.total_cost, 2.0 + 1998.0 - 1998.0 / 1.001, 1e-12);
    /* buying through a pool: the purchase spends the proceeds exactly */
    ck_ok(keel_cost_model_set_pool(cm, USDC, 5e6, 5e6, 0.0005));
    ck_ok(keel_cost_model_swap(cm, mk, ETH, USDC, 100.0, &r));
    keel_trade_cost b = cost(USDC, r.bought);
    ck_close(b.notional + b.total, r.proceeds, 1e-13);
    /* a sale too small to pay the purchase's gas */
    ck_ok(keel_cost_model_set_fixed(cm, USDC, 5000.0));
    ck_status(keel_cost_model_swap(cm, mk, ETH, USDC, 1.0, &r), KEEL_E_INFEASIBLE);
}
END_TEST

/* Budgets at the extremes of the inverse (units for a budget), each answer
 * from its closed form at 50 digits (mpmath):
 * - linear impact k N^2 / depth, budget 1e200: N + k N^2 / depth = B,
 *   N = (sqrt(1 + 4 k B / depth) - 1) / (2 k / depth), units N / 7.9 =
 *   4.522639580676446e103 (Brent started on [0, 1e200 / p] and ran out
 *   of steps: KEEL_E_NO_CONVERGENCE);
 * - a budget of 5e-324 (budget / price underflowed to 0, so the bracket
 *   could not grow: KEEL_E_INFEASIBLE);
 * - a sale whose proceeds underflow to 0 buys 0 units (was INFEASIBLE:
 *   "the proceeds 0 do not cover the purchase's fixed cost 0");
 * - 5e-324 ETH sold with a fixed cost of 0.5: the proceeds are negative,
 *   KEEL_E_INFEASIBLE (was KEEL_E_OVERFLOW: the effective price
 *   -0.5 / 5e-324 overflowed though the cost does not);
 * - a pool of 12.8 ETH against 0.015 USDC bought with 1e11: x B / (y + B)
 *   = 12.799999999998080 ETH, 1.5e-13 of the reserve below it (the bracket
 *   stopped at 1 - 1e-12 of the reserve: KEEL_E_INFEASIBLE). */
START_TEST(swap_budgets_at_the_extremes)
{
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    ck_ok(keel_market_set_price(mk, ETH, 7.9));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 0.16152075745597583, 206189470.6175642));
    ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, 1e200, &r));
    ck_close(r.bought, 4.522639580676446e+103, 1e-14);

    ck_ok(keel_market_set_price(mk, ETH, 0.5));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 0.5, 1e6));
    ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, 4.9406564584124654e-324, &r));
    ck_assert_msg(fabs(r.bought - 9.8813129168249309e-324) <= 4.9406564584124654e-324,
                  "bought %g", r.bought);

    ck_ok(keel_market_set_price(mk, ETH, 0.001));
    ck_ok(keel_cost_model_swap(cm, mk, ETH, USDC, 4.9406564584124654e-324, &r));
    ck_assert(r.proceeds == 0.0 && r.bought == 0.0);

    ck_ok(keel_cost_model_set_fixed(cm, ETH, 0.5));
    ck_status(keel_cost_model_swap(cm, mk, ETH, USDC, 4.9406564584124654e-324, &r),
              KEEL_E_INFEASIBLE);
    ck_ok(keel_cost_model_set_fixed(cm, ETH, 0.0));

    ck_ok(keel_market_set_price(mk, ETH, 0.015 / 12.8));
    ck_ok(keel_cost_model_set_pool(cm, ETH, 12.8, 0.015, 0.0));
    ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, 1e11, &r));
    ck_close(r.bought, 12.79999999999808, 1e-15);
    /* past double resolution: every double below the reserve costs less */
    ck_status(keel_cost_model_swap(cm, mk, USDC, ETH, 1e200, &r), KEEL_E_INFEASIBLE);
}
END_TEST

/* A small deterministic generator for sweeps (splitmix64, Steele et al. 2014). */
static uint64_t sweep_state = 0x9e3779b97f4a7c15u;
static double sweep_uniform(void)
{
    uint64_t z = (sweep_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-53;
}

START_TEST(swap_into_a_free_asset_at_the_boundary)
{
    /* Issue 12: 225.00000000000003 USD into ETH at 2450 with no costs is
     * 225.00000000000003 / 2450 = 0.09183673469387756 ETH; the bracket
     * [0, budget / price] fell one ulp short of the budget. */
    ck_ok(keel_market_set_price(mk, ETH, 2450.0));
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, 225.00000000000003, &r));
    ck_assert(r.bought == 0.09183673469387756);
    ck_assert(r.total_cost == 0.0);

    /* 10,000 random swaps into a free asset: each buys proceeds / price, the
     * closed form, to the last bit (both sides free), and to 2 ulps with a fee
     * on the bought side (u p (1 + f) = proceeds). */
    for (int i = 0; i < 10000; i++) {
        double p_from = exp(-5.0 + 15.0 * sweep_uniform());
        double p_to = exp(-5.0 + 15.0 * sweep_uniform());
        double qty = exp(-10.0 + 25.0 * sweep_uniform());
        ck_ok(keel_market_set_price(mk, ETH, p_to));
        ck_ok(keel_market_set_price(mk, USDC, p_from));
        ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, qty, &r));
        ck_assert_msg(r.bought == qty * p_from / p_to, "swap %d: %.17g", i, r.bought);
    }
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.0003, 0.0001));
    for (int i = 0; i < 2000; i++) {
        double p_to = exp(-5.0 + 15.0 * sweep_uniform());
        double qty = exp(-10.0 + 25.0 * sweep_uniform());
        ck_ok(keel_market_set_price(mk, ETH, p_to));
        ck_ok(keel_market_set_price(mk, USDC, 1.0));
        ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, qty, &r));
        ck_close(r.bought, qty / (p_to * 1.0004), 3e-16);
    }
    /* A price impact so small that rounding decides: the purchase still spends
     * the proceeds (the bracket widens past budget / price when needed). */
    ck_ok(keel_cost_model_set_fee(cm, ETH, 0.0, 0.0));
    ck_ok(keel_cost_model_set_linear_impact(cm, ETH, 1e-30, 1e12));
    for (int i = 0; i < 2000; i++) {
        double p_to = exp(-5.0 + 15.0 * sweep_uniform());
        double qty = exp(-10.0 + 25.0 * sweep_uniform());
        ck_ok(keel_market_set_price(mk, ETH, p_to));
        ck_ok(keel_cost_model_swap(cm, mk, USDC, ETH, qty, &r));
        ck_close(r.bought * p_to, qty, 4e-16);
    }
}
END_TEST

/* notional + total of buying u units of ETH, minus the budget: the forward
 * function the purchase from a budget inverts (keel_cost_model_cost) */
static double spend_gap_of(double u, double budget)
{
    keel_trade_cost c = cost(ETH, u);
    return c.notional + c.total - budget;
}

START_TEST(purchase_spends_nearest_the_budget)
{
    /* With price impact the purchase is found by Brent's method, which
     * stops within a few ulps of the units; the answer is then the double
     * whose spend (keel_cost_model_cost: notional + cost) is nearest the
     * budget, as rounding decides: neither neighbour is nearer. Before,
     * 1e15 of proceeds into a linear impact bought units whose spend was
     * 2.5 ulps of the budget above it (the proceeds could not pay them).
     * Linear, square-root and pool impacts, budgets 1e-6 .. 1e15. */
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    int checked = 0;
    for (int i = 0; i < 3000; i++) {
        int kind = i % 3;
        double p = exp(-5.0 + 15.0 * sweep_uniform());
        double budget = exp(log(1e-6) + (log(1e15) - log(1e-6)) * sweep_uniform());
        ck_ok(keel_market_set_price(mk, ETH, p));
        ck_ok(keel_market_set_price(mk, USDC, 1.0));
        if (kind == 0)
            ck_ok(keel_cost_model_set_linear_impact(cm, ETH, sweep_uniform(),
                                                    exp(log(1e3) + 14.0 * sweep_uniform())));
        else if (kind == 1)
            ck_ok(keel_cost_model_set_sqrt_impact(cm, ETH, sweep_uniform(),
                                                  exp(log(1e3) + 14.0 * sweep_uniform())));
        else {
            double reserve = exp(log(10.0) + 14.0 * sweep_uniform());
            ck_ok(keel_cost_model_set_pool(cm, ETH, reserve, reserve * p, 0.003));
        }
        keel_status st = keel_cost_model_swap(cm, mk, USDC, ETH, budget, &r);
        if (kind == 2 && st == KEEL_E_INFEASIBLE)
            continue; /* past the pool's double resolution (tested above) */
        ck_assert_msg(st == KEEL_OK, "case %d: %s", i, keel_last_error());
        double u = r.bought, g = fabs(spend_gap_of(u, budget));
        double down = nextafter(u, 0.0), up = nextafter(u, INFINITY);
        ck_assert_msg(g <= fabs(spend_gap_of(down, budget)), "case %d: %.17g spends %.17g off",
                      i, u, g);
        keel_trade_cost cu = KEEL_TRADE_COST_INIT;
        if (keel_cost_model_cost(cm, mk, ETH, up, &cu) == KEEL_OK)
            ck_assert_msg(g <= fabs(cu.notional + cu.total - budget),
                          "case %d: %.17g spends %.17g off", i, u, g);
        checked++;
    }
    ck_assert_int_ge(checked, 2900);
}
END_TEST

START_TEST(pool_away_from_the_market)
{
    /* A pool of 5000 ETH / 1e7 USDC (price 2000, no fee) while the market says
     * 1000: selling 1 ETH would receive 1e7 / 5001 = 1999.6 > 1000, a gain the
     * impact does not count (max(0, 1000 - 1999.6) = 0); buying 1 ETH pays
     * 1e7 / 4999 = 2000.40008, an impact of 1000.40008. */
    ck_ok(keel_market_set_price(mk, ETH, 1000.0));
    ck_ok(keel_cost_model_set_pool(cm, ETH, 5000.0, 1e7, 0.0));
    ck_assert(cost(ETH, -1.0).impact == 0.0);
    ck_close(cost(ETH, 1.0).impact, 1e7 / 4999.0 - 1000.0, 1e-13);
    /* selling more than the pool's premium covers: 1e7 x / (5000 + x) = 1000 x
     * at x = 5000; beyond it the loss counts */
    ck_assert(cost(ETH, -4999.0).impact == 0.0);
    ck_close(cost(ETH, -6000.0).impact, 6e6 - 1e7 * 6000.0 / 11000.0, 1e-13);
}
END_TEST

START_TEST(bad_input)
{
    const double nf[] = { NAN, INFINITY, -INFINITY };
    for (int i = 0; i < 3; i++) {
        ck_status(keel_cost_model_set_fee(cm, ETH, nf[i], 0), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_fee(cm, ETH, 0, nf[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_fixed(cm, ETH, nf[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_pool(cm, ETH, nf[i], 1, 0), KEEL_E_NOT_FINITE);
        ck_status(keel_cost_model_set_sqrt_impact(cm, ETH, 0.5, nf[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_cost_model_set_fee(cm, ETH, -0.001, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fee(cm, ETH, 1.0, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fixed(cm, ETH, -1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(cm, ETH, 0, 1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(cm, ETH, 1, -1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_pool(cm, ETH, 1, 1, 1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_linear_impact(cm, ETH, -1, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_linear_impact(cm, ETH, 1, 0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_sqrt_impact(cm, ETH, -0.5, 1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_set_fee(cm, KEEL_ASSET_INVALID, 0, 0), KEEL_E_UNKNOWN_ASSET);
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    ck_status(keel_cost_model_cost(cm, mk, 7, 1.0, &c), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_cost_model_cost(cm, mk, ETH, NAN, &c), KEEL_E_NOT_FINITE);
    ck_status(keel_cost_model_cost(NULL, mk, ETH, 1.0, &c), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_cost(cm, NULL, ETH, 1.0, &c), KEEL_E_NULL_ARG);
    ck_status(keel_cost_model_cost(cm, mk, ETH, 1.0, NULL), KEEL_E_NULL_ARG);
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    ck_status(keel_cost_model_swap(cm, mk, ETH, USDC, -1.0, &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_cost_model_swap(cm, mk, ETH, 9, 1.0, &r), KEEL_E_UNKNOWN_ASSET);
    /* nothing was set by the failures: trades are still free */
    ck_assert(cost(ETH, 10.0).total == 0.0);
}
END_TEST

static Suite *cost_suite(void)
{
    Suite *s = suite_create("cost");
    TCase *tc = tcase_create("cost");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, constant_product_pool);
    tcase_add_test(tc, square_root_and_linear_impact);
    tcase_add_test(tc, fees_spread_fixed);
    tcase_add_test(tc, swap_spends_the_proceeds);
    tcase_add_test(tc, swap_into_a_free_asset_at_the_boundary);
    tcase_add_test(tc, swap_budgets_at_the_extremes);
    tcase_add_test(tc, purchase_spends_nearest_the_budget);
    tcase_add_test(tc, pool_away_from_the_market);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(cost_suite)
