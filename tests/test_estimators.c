/* EWMA and GARCH(1,1) against three steps worked by hand, price feeding,
 * forecasts, and bad input leaving the state unchanged. */
#include "testutil.h"

START_TEST(ewma_three_steps)
{
    /* lambda 0.94, s2_0 = 1e-4, returns 0.01, -0.02, 0.015:
     * s2_1 = 0.94e-4 + 0.06 x 1e-4   = 1.0e-4
     * s2_2 = 0.94e-4 + 0.06 x 4e-4   = 1.18e-4
     * s2_3 = 0.94 x 1.18e-4 + 0.06 x 2.25e-4 = 1.1092e-4 + 0.135e-4 = 1.2442e-4 */
    keel_ewma e;
    ck_ok(keel_ewma_init(&e, 0.94, 1e-4));
    ck_ok(keel_ewma_update(&e, 0.01));
    ck_close(e.variance, 1.0e-4, 1e-14);
    ck_ok(keel_ewma_update(&e, -0.02));
    ck_close(e.variance, 1.18e-4, 1e-14);
    ck_ok(keel_ewma_update(&e, 0.015));
    ck_close(e.variance, 1.2442e-4, 1e-14);
    ck_assert_uint_eq(e.count, 3);
    double vol;
    ck_ok(keel_ewma_annual_volatility(&e, 365.0, &vol));
    ck_close(vol, sqrt(1.2442e-4 * 365.0), 1e-14);
}
END_TEST

START_TEST(ewma_from_prices)
{
    /* prices 100, 101, 99: returns log(1.01) and log(99/101) */
    keel_ewma e;
    ck_ok(keel_ewma_init(&e, 0.9, 0.0));
    ck_ok(keel_ewma_update_price(&e, 100.0));
    ck_assert(e.variance == 0.0 && e.count == 0);
    ck_ok(keel_ewma_update_price(&e, 101.0));
    ck_ok(keel_ewma_update_price(&e, 99.0));
    double r1 = log(1.01), r2 = log(99.0 / 101.0);
    ck_close(e.variance, 0.9 * 0.1 * r1 * r1 + 0.1 * r2 * r2, 1e-14);
    ck_assert(e.last_price == 99.0);
}
END_TEST

START_TEST(garch_three_steps_and_forecast)
{
    /* omega 2e-6, alpha 0.1, beta 0.85, s2_0 = 1e-4; returns 0.01, -0.02, 0.015:
     * s2_1 = 0.02e-4 + 0.1 x 1e-4 + 0.85 x 1e-4          = 0.97e-4
     * s2_2 = 0.02e-4 + 0.1 x 4e-4 + 0.85 x 0.97e-4       = 1.2445e-4
     * s2_3 = 0.02e-4 + 0.1 x 2.25e-4 + 0.85 x 1.2445e-4  = 1.302825e-4
     * V_L = 2e-6 / 0.05 = 4e-5; 3 steps ahead: V_L + 0.95^2 (s2_3 - V_L) */
    keel_garch g;
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 1e-4));
    ck_ok(keel_garch_update(&g, 0.01));
    ck_close(g.variance, 0.97e-4, 1e-14);
    ck_ok(keel_garch_update(&g, -0.02));
    ck_close(g.variance, 1.2445e-4, 1e-14);
    ck_ok(keel_garch_update(&g, 0.015));
    ck_close(g.variance, 1.302825e-4, 1e-14);
    double v;
    ck_ok(keel_garch_long_run_variance(&g, &v));
    ck_close(v, 4e-5, 1e-14);
    ck_ok(keel_garch_forecast(&g, 1, &v));
    ck_close(v, 1.302825e-4, 1e-14);
    ck_ok(keel_garch_forecast(&g, 3, &v));
    ck_close(v, 4e-5 + 0.9025 * (1.302825e-4 - 4e-5), 1e-14);
    ck_ok(keel_garch_forecast(&g, 100000, &v)); /* reverts to V_L */
    ck_close(v, 4e-5, 1e-12);
    ck_ok(keel_garch_annual_volatility(&g, 252.0, &v));
    ck_close(v, sqrt(1.302825e-4 * 252.0), 1e-14);

    /* initial variance 0 starts at the long-run variance */
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 0.0));
    ck_close(g.variance, 4e-5, 1e-15);
    ck_ok(keel_garch_update_price(&g, 50.0));
    ck_ok(keel_garch_update_price(&g, 55.0));
    double r = log(1.1);
    ck_close(g.variance, 2e-6 + 0.1 * r * r + 0.85 * 4e-5, 1e-14);
}
END_TEST

START_TEST(bad_input_changes_nothing)
{
    keel_ewma e, e0;
    keel_garch g, g0;
    ck_ok(keel_ewma_init(&e, 0.94, 1e-4));
    ck_ok(keel_garch_init(&g, 2e-6, 0.1, 0.85, 1e-4));
    e0 = e;
    g0 = g;
    double v;
    /* GARCH not stationary, non-positive omega, lambda outside (0, 1) */
    ck_status(keel_garch_init(&g, 2e-6, 0.2, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 2e-6, 0.5, 0.6, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 0.0, 0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, -1e-6, 0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 1e-6, -0.1, 0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, 1e-6, 0.1, -0.8, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(&g, NAN, 0.1, 0.8, 1e-4), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_init(&g, 1e-6, 0.1, 0.8, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_init(NULL, 1e-6, 0.1, 0.8, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_init(&e, 1.0, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&e, 0.0, 1e-4), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_init(&e, INFINITY, 1e-4), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_init(&e, 0.94, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_init(NULL, 0.94, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update(&e, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update(&e, 1e200), KEEL_E_NOT_FINITE); /* variance overflows */
    ck_status(keel_ewma_update_price(&e, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_update_price(&e, INFINITY), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update(&g, INFINITY), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update(&g, 1e200), KEEL_E_NOT_FINITE);
    ck_status(keel_garch_update_price(&g, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&g, 0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_forecast(&g, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_garch_long_run_variance(&g, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_annual_volatility(&e, 0.0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_ewma_annual_volatility(&e, 365.0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_garch_annual_volatility(&g, -1.0, &v), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_annual_volatility(&g, NAN, &v), KEEL_E_NOT_FINITE);
    ck_status(keel_ewma_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update(NULL, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_garch_update_price(NULL, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_ewma_annual_volatility(NULL, 1.0, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_annual_volatility(NULL, 1.0, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_long_run_variance(NULL, &v), KEEL_E_NULL_ARG);
    ck_status(keel_garch_forecast(NULL, 1, &v), KEEL_E_NULL_ARG);
    ck_assert(memcmp(&e, &e0, sizeof e) == 0);
    ck_assert(memcmp(&g, &g0, sizeof g) == 0);

    /* a struct never initialised is refused, not read as garbage */
    keel_ewma raw = { 0 };
    keel_garch rawg = { 0 };
    ck_status(keel_ewma_update(&raw, 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_garch_update(&rawg, 0.1), KEEL_E_OUT_OF_RANGE);
}
END_TEST

static Suite *estimators_suite(void)
{
    Suite *s = suite_create("estimators");
    TCase *tc = tcase_create("estimators");
    tcase_add_test(tc, ewma_three_steps);
    tcase_add_test(tc, ewma_from_prices);
    tcase_add_test(tc, garch_three_steps_and_forecast);
    tcase_add_test(tc, bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(estimators_suite)
