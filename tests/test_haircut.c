/* keel_haircut_model, fixed schedule: haircuts, borrow factors, defaults,
 * clone; bad input refused with the model unchanged. */
#include "testutil.h"

static keel_haircut_model *h;
static haircut_snap before;

static void setup(void)
{
    ck_assert_int_eq(keel_haircut_model_new(&h), KEEL_OK);
    /* Aave v3 ETH: LTV 80.5%, liquidation threshold 83% */
    ck_assert_int_eq(keel_haircut_model_set_asset(h, 0, 0.195, 0.17), KEEL_OK);
}

static void teardown(void)
{
    keel_haircut_model_free(h);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

START_TEST(terms_and_defaults)
{
    double i, mnt, f;
    ck_ok(keel_haircut_model_asset(h, 0, &i, &mnt));
    ck_assert(i == 0.195 && mnt == 0.17);
    /* no haircut set: counts for nothing (haircut 1); no factor set: 1 */
    ck_ok(keel_haircut_model_asset(h, 3, &i, &mnt));
    ck_assert(i == 1.0 && mnt == 1.0);
    ck_ok(keel_haircut_model_borrow_factor(h, 3, &f));
    ck_assert(f == 1.0);
    ck_ok(keel_haircut_model_set_borrow_factor(h, 3, 1.25));
    ck_ok(keel_haircut_model_borrow_factor(h, 3, &f));
    ck_assert(f == 1.25);
    ck_ok(keel_haircut_model_asset(h, 3, &i, &mnt)); /* a factor alone sets no haircut */
    ck_assert(i == 1.0 && mnt == 1.0);
    ck_ok(keel_haircut_model_set_asset(h, 3, 0.0, 0.0)); /* boundaries are allowed */
    ck_ok(keel_haircut_model_set_asset(h, 4, 0.5, 0.5));
    ck_ok(keel_haircut_model_asset(h, 3, &i, &mnt));
    ck_assert(i == 0.0 && mnt == 0.0);
    ck_ok(keel_haircut_model_clear_asset(h, 3));
    ck_ok(keel_haircut_model_asset(h, 3, &i, &mnt));
    ck_assert(i == 1.0 && mnt == 1.0);
    ck_ok(keel_haircut_model_borrow_factor(h, 3, &f)); /* clearing haircuts keeps the factor */
    ck_assert(f == 1.25);
    ck_ok(keel_haircut_model_clear_asset(h, 40)); /* nothing to clear is fine */
    ck_ok(keel_haircut_model_set_borrow_factor(h, 3, 1.0));
}
END_TEST

START_TEST(clone_is_deep)
{
    keel_haircut_model *c = NULL;
    ck_ok(keel_haircut_model_set_borrow_factor(h, 2, 1.1));
    ck_ok(keel_haircut_model_clone(h, &c));
    snap_haircut(h, &before);
    ck_haircut_unchanged(c, &before);
    ck_ok(keel_haircut_model_set_asset(c, 0, 0.5, 0.4));
    ck_ok(keel_haircut_model_set_borrow_factor(c, 5, 2.0));
    ck_haircut_unchanged(h, &before);
    keel_haircut_model_free(c);
}
END_TEST

START_TEST(bad_input_changes_nothing)
{
    snap_haircut(h, &before);
    const double nonfinite[] = { NAN, INFINITY, -INFINITY };
    for (size_t k = 0; k < 3; k++) {
        ck_status(keel_haircut_model_set_asset(h, 0, nonfinite[k], 0.1), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_asset(h, 0, 0.3, nonfinite[k]), KEEL_E_NOT_FINITE);
        ck_status(keel_haircut_model_set_borrow_factor(h, 0, nonfinite[k]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_haircut_model_set_asset(h, 0, nextafter(1.0, 2.0), 0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, 0, 1.0, 1.0), KEEL_E_OUT_OF_RANGE); /* counts nothing */
    ck_status(keel_haircut_model_set_asset(h, 0, -0.1, 0.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, 0, 0.2, -0.1), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, 0, 0.2, 0.3), KEEL_E_OUT_OF_RANGE); /* maint > init */
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "maintenance"));
    ck_status(keel_haircut_model_set_borrow_factor(h, 0, 0.99), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_borrow_factor(h, 0, -2.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_haircut_model_set_asset(h, KEEL_ASSET_INVALID, 0.2, 0.1), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_haircut_model_set_borrow_factor(h, KEEL_ASSET_INVALID, 1.2),
              KEEL_E_UNKNOWN_ASSET);
    double x, y;
    ck_status(keel_haircut_model_new(NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_clone(h, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_clone(NULL, &h), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_asset(NULL, 0, 0.2, 0.1), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_asset(NULL, 0, &x, &y), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_asset(h, 0, NULL, &y), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_asset(h, 0, &x, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_clear_asset(NULL, 0), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_set_borrow_factor(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_borrow_factor(NULL, 0, &x), KEEL_E_NULL_ARG);
    ck_status(keel_haircut_model_borrow_factor(h, 0, NULL), KEEL_E_NULL_ARG);
    ck_haircut_unchanged(h, &before);
}
END_TEST

static Suite *haircut_suite(void)
{
    Suite *s = suite_create("haircut");
    TCase *tc = tcase_create("haircut");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, terms_and_defaults);
    tcase_add_test(tc, clone_is_deep);
    tcase_add_test(tc, bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(haircut_suite)
