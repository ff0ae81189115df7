/* The options book and the account's health with options: positions,
 * value and greeks against the scalar kernel, scenario margin against the
 * grid worked by hand, the gamma acceptance (a short call's margin exceeds
 * its delta-only requirement; a move twice as large loses more than twice),
 * metrics with a book, liquidation crossings on both sides of a short
 * straddle, health sensitivities and the delta-gamma P&L. */
#include "testutil.h"

enum { ETH, USDC };

static keel_market *mk;
static keel_haircut_model *hc;
static keel_basket *b;
static keel_options *book;

static void setup(void)
{
    ck_assert_int_eq(keel_market_new(&mk), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(mk, "ETH", 3000.0, NULL), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(mk, "USDC", 1.0, NULL), KEEL_OK);
    ck_assert_int_eq(keel_market_set_volatility(mk, ETH, 0.8), KEEL_OK);
    ck_assert_int_eq(keel_market_set_rate(mk, 0.04), KEEL_OK);
    ck_assert_int_eq(keel_market_set_carry(mk, ETH, 0.03), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_new(&hc), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, ETH, 0.195, 0.17), KEEL_OK);
    ck_assert_int_eq(keel_haircut_model_set_asset(hc, USDC, 0.25, 0.22), KEEL_OK);
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    ck_assert_int_eq(keel_options_new(&book), KEEL_OK);
}

static void teardown(void)
{
    keel_options_free(book);
    keel_basket_free(b);
    keel_haircut_model_free(hc);
    keel_market_free(mk);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

/* The scalar kernel with the market's data for ETH. */
static double bs_value(keel_option_type t, double s, double k, double T, double vol)
{
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_ok(keel_black_scholes(t, s, k, T, 0.04, 0.03, vol, &g));
    return g.value;
}

START_TEST(positions_and_ids)
{
    uint32_t a, c, d;
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3500, 30.0 / 365, -10, &a));
    ck_ok(keel_options_add(book, ETH, KEEL_PUT, 2500, 60.0 / 365, 5, &c));
    ck_ok(keel_options_add(book, ETH, KEEL_PUT, 2000, 0.5, 1, &d));
    ck_assert(a == 1 && c == 2 && d == 3);
    ck_ok(keel_options_remove(book, c));
    ck_status(keel_options_remove(book, c), KEEL_E_NOT_FOUND);
    size_t n;
    ck_ok(keel_options_count(book, &n));
    ck_assert_uint_eq(n, 2);
    keel_option_position p = KEEL_OPTION_POSITION_INIT;
    ck_ok(keel_options_position(book, 1, &p));
    ck_assert(p.id == d && p.type == KEEL_PUT && p.strike == 2000 && p.quantity == 1);
    ck_ok(keel_options_set_quantity(book, d, -3));
    ck_ok(keel_options_set_expiry(book, d, 0.25));
    ck_ok(keel_options_set_volatility(book, d, 0.6));
    ck_ok(keel_options_position(book, 1, &p));
    ck_assert(p.quantity == -3 && p.expiry == 0.25 && p.has_volatility && p.volatility == 0.6);
    ck_ok(keel_options_clear_volatility(book, d));
    ck_ok(keel_options_position(book, 1, &p));
    ck_assert(!p.has_volatility);
    uint32_t e;
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 4000, 0.1, 1, &e));
    ck_assert_uint_eq(e, 4); /* ids are never reused */
    keel_options *copy;
    ck_ok(keel_options_clone(book, &copy));
    ck_ok(keel_options_count(copy, &n));
    ck_assert_uint_eq(n, 3);
    ck_ok(keel_options_remove(copy, a));
    ck_ok(keel_options_count(book, &n));
    ck_assert_uint_eq(n, 3);
    keel_options_free(copy);
}
END_TEST

START_TEST(value_and_greeks_sum_positions)
{
    /* -10 calls K 3500 30d at the market's 80%; +5 puts K 2500 60d at 65%
     * (override); +2 calls on USDC (vol 0: intrinsic, K 0.9) */
    uint32_t id;
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3500, 30.0 / 365, -10, NULL));
    ck_ok(keel_options_add(book, ETH, KEEL_PUT, 2500, 60.0 / 365, 5, &id));
    ck_ok(keel_options_set_volatility(book, id, 0.65));
    ck_ok(keel_options_add(book, USDC, KEEL_CALL, 0.9, 1.0, 2, NULL));
    double want = -10 * bs_value(KEEL_CALL, 3000, 3500, 30.0 / 365, 0.8) +
                  5 * bs_value(KEEL_PUT, 3000, 2500, 60.0 / 365, 0.65);
    keel_greeks usd = KEEL_GREEKS_INIT;
    ck_ok(keel_black_scholes(KEEL_CALL, 1.0, 0.9, 1.0, 0.04, 0.0, 0.0, &usd));
    double v;
    ck_ok(keel_options_value(book, mk, &v));
    ck_close(v, want + 2 * usd.value, 1e-13);
    keel_greeks g = KEEL_GREEKS_INIT, c = KEEL_GREEKS_INIT, p = KEEL_GREEKS_INIT;
    ck_ok(keel_options_greeks(book, mk, ETH, &g));
    ck_ok(keel_black_scholes(KEEL_CALL, 3000, 3500, 30.0 / 365, 0.04, 0.03, 0.8, &c));
    ck_ok(keel_black_scholes(KEEL_PUT, 3000, 2500, 60.0 / 365, 0.04, 0.03, 0.65, &p));
    ck_close(g.value, want, 1e-13);
    ck_close(g.delta, -10 * c.delta + 5 * p.delta, 1e-13);
    ck_close(g.gamma, -10 * c.gamma + 5 * p.gamma, 1e-13);
    ck_close(g.vega, -10 * c.vega + 5 * p.vega, 1e-13);
    ck_close(g.charm, -10 * c.charm + 5 * p.charm, 1e-12);
}
END_TEST

START_TEST(greeks_at_the_strike_at_expiry_name_the_greek)
{
    /* A call at the money (K = the spot 3000) with no time left: its
     * value is 0 and gamma's limit is +inf (keel_black_scholes() refuses
     * it); the book's greeks said "the book's value is beyond double range",
     * which is 0. Now KEEL_E_OVERFLOW naming the greek, and the value still
     * answers 0. */
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3000, 0.0, 1, NULL));
    double v;
    ck_ok(keel_options_value(book, mk, &v));
    ck_assert(v == 0.0);
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_status(keel_options_greeks(book, mk, ETH, &g), KEEL_E_OVERFLOW);
    ck_assert_msg(strstr(keel_last_error(), "book's gamma") != NULL, "%s", keel_last_error());
}
END_TEST

START_TEST(custom_scenario_worked_by_hand)
{
    /* One scenario: price up one range, vol unchanged, full cover; 2-day
     * horizon, 3 sigmas: range = 3 x 0.8 x sqrt(2/365) = 0.17766;
     * S' = 3000 e^0.17766; the call is revalued with 2 days less. */
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3500, 30.0 / 365, -10, NULL));
    keel_scenario up = { 1.0, 0.0, 1.0 };
    keel_margin_params mp = KEEL_MARGIN_PARAMS_INIT;
    mp.horizon_days = 2.0;
    mp.scenarios = &up;
    mp.scenario_count = 1;
    ck_ok(keel_options_set_margin_params(book, &mp));
    double range = 3 * 0.8 * sqrt(2.0 / 365);
    double now = -10 * bs_value(KEEL_CALL, 3000, 3500, 30.0 / 365, 0.8);
    double then = -10 * bs_value(KEEL_CALL, 3000 * exp(range), 3500, 28.0 / 365, 0.8);
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    ck_ok(keel_options_scenario_margin(book, mk, &r));
    ck_close(r.margin, now - then, 1e-12);
    ck_close(r.value, now, 1e-13);
    ck_assert(r.worst_underlying == ETH && r.worst_scenario == 0);
    /* a long position loses nothing when the price rises: margin floors at 0
     * (time decay aside: the same call bought, one scenario up) */
    ck_ok(keel_options_set_quantity(book, 1, 10));
    ck_ok(keel_options_scenario_margin(book, mk, &r));
    ck_assert(r.margin == 0.0);
    /* restoring the defaults: SPAN's 16, 1 day */
    ck_ok(keel_options_set_margin_params(book, NULL));
    ck_ok(keel_options_scenario_margin(book, mk, &r));
    ck_assert(r.worst_scenario < 16);
}
END_TEST

START_TEST(short_call_gamma_acceptance)
{
    /* 10 ETH collateral against 10 short ETH calls (K 3000 at the money,
     * 30 days): the scenario margin beats a delta-only requirement over the
     * same grid, and a move twice the size loses more than twice as much. */
    ck_ok(keel_basket_set_collateral(b, USDC, 10000.0));
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3000, 30.0 / 365, -10, NULL));
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    ck_ok(keel_options_scenario_margin(book, mk, &r));
    keel_greeks g = KEEL_GREEKS_INIT;
    ck_ok(keel_options_greeks(book, mk, ETH, &g));
    double range = 3 * 0.8 * sqrt(1.0 / 365);
    /* delta-only: the worst covered linear loss over SPAN's price moves */
    const double moves[] = { 1.0 / 3, 2.0 / 3, 1.0, -1.0 / 3, -2.0 / 3, -1.0 };
    double delta_only = 0.0;
    for (int i = 0; i < 6; i++)
        delta_only = fmax(delta_only, -g.delta * 3000 * (exp(moves[i] * range) - 1));
    delta_only = fmax(delta_only, 0.35 * -g.delta * 3000 * (exp(2 * range) - 1));
    ck_assert_msg(r.margin > delta_only, "margin %g, delta-only %g", r.margin, delta_only);
    /* an up move is the worst: scenarios 10/11 (+1 range) or 14 (+2 at 35%) */
    ck_assert(r.worst_scenario == 10 || r.worst_scenario == 11 || r.worst_scenario == 14);

    double full1, dg1, full2, dg2;
    ck_ok(keel_basket_pnl(b, book, mk, ETH, 0.05, &full1, &dg1));
    ck_ok(keel_basket_pnl(b, book, mk, ETH, 0.10, &full2, &dg2));
    ck_assert(full1 < 0 && full2 < 0);
    ck_assert_msg(-full2 > 2 * -full1, "loss at 10%% %g, at 5%% %g", -full2, -full1);
    /* the full revaluation against its delta-gamma approximation: close for
     * 1%, apart by the third-order term for 20% */
    double f, a;
    ck_ok(keel_basket_pnl(b, book, mk, ETH, 0.01, &f, &a));
    ck_assert(fabs(f - a) < 1e-2 * fabs(f));
    ck_ok(keel_basket_pnl(b, book, mk, ETH, 0.20, &f, &a));
    ck_assert(fabs(f - a) > 1e-2 * fabs(f));
    /* with no book the P&L is linear: (q - d) dp, both ways */
    ck_ok(keel_basket_set_collateral(b, ETH, 2.0));
    ck_ok(keel_basket_pnl(b, NULL, mk, ETH, -0.1, &f, &a));
    ck_close(f, -600.0, 1e-12);
    ck_close(a, -600.0, 1e-12);
}
END_TEST

START_TEST(metrics_take_the_book)
{
    /* L = L_basket + V, W = W_basket + M */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    keel_metrics plain = KEEL_METRICS_INIT, with = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, NULL, mk, hc, &plain));
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3500, 30.0 / 365, -5, NULL));
    ck_ok(keel_options_add(book, ETH, KEEL_PUT, 2000, 90.0 / 365, 3, NULL));
    double v;
    keel_margin_result r = KEEL_MARGIN_RESULT_INIT;
    ck_ok(keel_options_value(book, mk, &v));
    ck_ok(keel_options_scenario_margin(book, mk, &r));
    ck_ok(keel_basket_metrics(b, book, mk, hc, &with));
    ck_close(with.option_value, v, 1e-13);
    ck_close(with.option_margin, r.margin, 1e-13);
    ck_close(with.liquidation_value, plain.liquidation_value + v, 1e-13);
    ck_close(with.borrowing_power, plain.borrowing_power + v, 1e-13);
    ck_close(with.weighted_debt, plain.weighted_debt + r.margin, 1e-13);
    ck_close(with.health_factor, (plain.liquidation_value + v) / (12000.0 + r.margin), 1e-13);
    /* an empty book changes nothing */
    keel_options *empty;
    ck_ok(keel_options_new(&empty));
    ck_ok(keel_basket_metrics(b, empty, mk, hc, &with));
    ck_close(with.health_factor, plain.health_factor, 0.0);
    keel_options_free(empty);
}
END_TEST

static double hf_at(double eth_price)
{
    keel_market *m2;
    ck_ok(keel_market_clone(mk, &m2));
    ck_ok(keel_market_set_price(m2, ETH, eth_price));
    keel_metrics m = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(b, book, m2, hc, &m));
    keel_market_free(m2);
    return m.health_factor;
}

START_TEST(short_straddle_crossings_both_sides)
{
    /* USDC collateral and a short straddle: losing whichever way ETH moves,
     * so HF = 1 is crossed below and above spot; HF is 1 at both (1e-9). */
    ck_ok(keel_basket_set_collateral(b, USDC, 30000.0));
    ck_ok(keel_basket_set_debt(b, USDC, 5000.0));
    ck_ok(keel_options_add(book, ETH, KEEL_CALL, 3000, 30.0 / 365, -10, NULL));
    ck_ok(keel_options_add(book, ETH, KEEL_PUT, 3000, 30.0 / 365, -10, NULL));
    ck_assert_double_gt(hf_at(3000), 1.0);
    double lo, hi;
    ck_ok(keel_basket_liquidation_prices(b, book, mk, hc, ETH, &lo, &hi));
    ck_assert(lo > 0 && lo < 3000 && hi > 3000 && isfinite(hi));
    ck_close(hf_at(lo), 1.0, 1e-9);
    ck_close(hf_at(hi), 1.0, 1e-9);
    ck_assert_double_lt(hf_at(lo * 0.99), 1.0);
    ck_assert_double_lt(hf_at(hi * 1.01), 1.0);
    /* the single-price function returns the nearer one */
    double p;
    keel_liquidation_side side;
    ck_ok(keel_basket_liquidation_price(b, book, mk, hc, ETH, &p, &side));
    if (log(3000 / lo) <= log(hi / 3000))
        ck_assert(p == lo && side == KEEL_LIQ_BELOW);
    else
        ck_assert(p == hi && side == KEEL_LIQ_ABOVE);
    /* HF falls whichever way ETH moves: concave on the scale of a 10% move
     * (its local second derivative also carries the margin's changes) */
    ck_assert_double_lt(hf_at(3300) + hf_at(2700) - 2 * hf_at(3000), 0.0);
    double d1, d2;
    ck_ok(keel_basket_health_sensitivity(b, book, mk, hc, ETH, &d1, &d2));
    ck_assert(isfinite(d1) && isfinite(d2));
}
END_TEST

START_TEST(health_sensitivity_closed_form)
{
    /* 10 ETH vs 12000 USDC, no book: HF = 8.3 p / 12000, so dHF/dp =
     * 8.3 / 12000 and d2HF/dp2 = 0 */
    ck_ok(keel_basket_set_collateral(b, ETH, 10.0));
    ck_ok(keel_basket_set_debt(b, USDC, 12000.0));
    double d1, d2;
    ck_ok(keel_basket_health_sensitivity(b, NULL, mk, hc, ETH, &d1, &d2));
    ck_close(d1, 8.3 / 12000.0, 1e-9);
    ck_assert(fabs(d2) < 1e-12);
    /* USDC debt: HF = 24900 / (12000 p): dHF/dp = -24900/12000 at p = 1,
     * d2HF/dp2 = 2 x 24900 / 12000 */
    ck_ok(keel_basket_health_sensitivity(b, NULL, mk, hc, USDC, &d1, &d2));
    ck_close(d1, -24900.0 / 12000.0, 1e-8);
    ck_close(d2, 2 * 24900.0 / 12000.0, 1e-5);
}
END_TEST

static Suite *book_suite(void)
{
    Suite *s = suite_create("book");
    TCase *tc = tcase_create("book");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, positions_and_ids);
    tcase_add_test(tc, value_and_greeks_sum_positions);
    tcase_add_test(tc, greeks_at_the_strike_at_expiry_name_the_greek);
    tcase_add_test(tc, custom_scenario_worked_by_hand);
    tcase_add_test(tc, short_call_gamma_acceptance);
    tcase_add_test(tc, metrics_take_the_book);
    tcase_add_test(tc, short_straddle_crossings_both_sides);
    tcase_add_test(tc, health_sensitivity_closed_form);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(book_suite)
