/* keel_basket: collateral and debt per asset, set/add/get, listing, clone,
 * clear; bad input refused with the basket unchanged. */
#include "testutil.h"

static keel_basket *b;
static basket_snap before;

static void setup(void)
{
    ck_assert_int_eq(keel_basket_new(&b), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_collateral(b, 5, 10.0), KEEL_OK);
    ck_assert_int_eq(keel_basket_set_debt(b, 1, 12000.0), KEEL_OK);
}

static void teardown(void)
{
    keel_basket_free(b);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

START_TEST(set_add_get)
{
    double q;
    ck_ok(keel_basket_collateral(b, 5, &q));
    ck_assert(q == 10.0);
    ck_ok(keel_basket_debt(b, 5, &q));
    ck_assert(q == 0.0);
    ck_ok(keel_basket_collateral(b, 42, &q)); /* not held: 0 */
    ck_assert(q == 0.0);
    ck_ok(keel_basket_add_collateral(b, 5, 2.5));
    ck_ok(keel_basket_collateral(b, 5, &q));
    ck_assert(q == 12.5);
    ck_ok(keel_basket_add_collateral(b, 5, -12.5)); /* withdraw everything */
    ck_ok(keel_basket_collateral(b, 5, &q));
    ck_assert(q == 0.0 && !signbit(q));
    ck_ok(keel_basket_add_debt(b, 1, -2000.0));
    ck_ok(keel_basket_debt(b, 1, &q));
    ck_assert(q == 10000.0);
    ck_ok(keel_basket_add_debt(b, 9, 3.0)); /* adding to nothing creates */
    ck_ok(keel_basket_debt(b, 9, &q));
    ck_assert(q == 3.0);
}
END_TEST

START_TEST(positions_listed_by_asset)
{
    /* an asset both collateral and debt is one position */
    ck_ok(keel_basket_set_debt(b, 5, 4.0));
    ck_ok(keel_basket_set_collateral(b, 0, 1.0));
    keel_position pos[8];
    size_t n = 0;
    ck_ok(keel_basket_positions(b, pos, 8, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(pos[0].asset, 0);
    ck_assert(pos[0].collateral == 1.0 && pos[0].debt == 0.0);
    ck_assert_uint_eq(pos[1].asset, 1);
    ck_assert(pos[1].collateral == 0.0 && pos[1].debt == 12000.0);
    ck_assert_uint_eq(pos[2].asset, 5);
    ck_assert(pos[2].collateral == 10.0 && pos[2].debt == 4.0);

    /* a short buffer gets the first entries and the full count */
    keel_position one[1];
    ck_ok(keel_basket_positions(b, one, 1, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(one[0].asset, 0);
    ck_ok(keel_basket_positions(b, NULL, 0, &n));
    ck_assert_uint_eq(n, 3);

    /* both sides at zero removes the position */
    ck_ok(keel_basket_set_collateral(b, 5, 0.0));
    ck_ok(keel_basket_set_debt(b, 5, 0.0));
    ck_ok(keel_basket_positions(b, pos, 8, &n));
    ck_assert_uint_eq(n, 2);
    ck_ok(keel_basket_set_debt(b, 77, 0.0)); /* zero for an absent asset adds nothing */
    ck_ok(keel_basket_positions(b, pos, 8, &n));
    ck_assert_uint_eq(n, 2);
    ck_ok(keel_basket_clear(b));
    ck_ok(keel_basket_positions(b, pos, 8, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(many_positions_sorted)
{
    for (unsigned i = 0; i < 500; i++)
        ck_ok(keel_basket_set_collateral(b, (keel_asset)((i * 7919u) % 500u + 10u), 1.0 + i));
    keel_position *pos = malloc(600 * sizeof *pos);
    size_t n;
    ck_ok(keel_basket_positions(b, pos, 600, &n));
    ck_assert_uint_eq(n, 502);
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_lt(pos[i - 1].asset, pos[i].asset);
    free(pos);
}
END_TEST

START_TEST(clone_is_deep)
{
    keel_basket *c = NULL;
    ck_ok(keel_basket_clone(b, &c));
    snap_basket(b, &before);
    ck_basket_unchanged(c, &before);
    ck_ok(keel_basket_set_collateral(c, 5, 1.0));
    ck_ok(keel_basket_set_collateral(c, 6, 1.0));
    ck_basket_unchanged(b, &before);
    keel_basket_free(c);
}
END_TEST

START_TEST(bad_input_changes_nothing)
{
    snap_basket(b, &before);
    const double nonfinite[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < 3; i++) {
        ck_status(keel_basket_set_collateral(b, 5, nonfinite[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_basket_set_debt(b, 1, nonfinite[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_basket_add_collateral(b, 5, nonfinite[i]), KEEL_E_NOT_FINITE);
        ck_status(keel_basket_add_debt(b, 1, nonfinite[i]), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_basket_set_collateral(b, 5, -1.0), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_basket_set_debt(b, 2, -1e-300), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_basket_add_collateral(b, 5, -10.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_basket_add_debt(b, 3, -1.0), KEEL_E_OUT_OF_RANGE);
    /* a sum beyond double range */
    ck_ok(keel_basket_set_collateral(b, 7, 1.5e308));
    ck_status(keel_basket_add_collateral(b, 7, 1.5e308), KEEL_E_NOT_FINITE);
    ck_ok(keel_basket_set_collateral(b, 7, 0.0));
    ck_status(keel_basket_set_collateral(b, KEEL_ASSET_INVALID, 1.0), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_basket_add_debt(b, KEEL_ASSET_INVALID, 1.0), KEEL_E_UNKNOWN_ASSET);

    double q;
    size_t n;
    keel_position pos[2];
    ck_status(keel_basket_new(NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_clone(b, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_clone(NULL, &b), KEEL_E_NULL_ARG);
    ck_status(keel_basket_set_collateral(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_basket_set_debt(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_basket_add_collateral(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_basket_add_debt(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_basket_collateral(NULL, 0, &q), KEEL_E_NULL_ARG);
    ck_status(keel_basket_collateral(b, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_debt(NULL, 0, &q), KEEL_E_NULL_ARG);
    ck_status(keel_basket_debt(b, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_positions(NULL, pos, 2, &n), KEEL_E_NULL_ARG);
    ck_status(keel_basket_positions(b, pos, 2, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_basket_positions(b, NULL, 2, &n), KEEL_E_NULL_ARG);
    ck_status(keel_basket_clear(NULL), KEEL_E_NULL_ARG);
    ck_basket_unchanged(b, &before);
}
END_TEST

/* An error names the public function called: the setters share helpers
 * inside the library, whose names must not leak into the text. */
START_TEST(errors_name_the_function_called)
{
    static const char *const names[4] = { "keel_basket_set_collateral:", "keel_basket_set_debt:",
                                          "keel_basket_add_collateral:", "keel_basket_add_debt:" };
    for (int bad_handle = 0; bad_handle <= 1; bad_handle++) {
        keel_basket *target = bad_handle ? NULL : b;
        double q = bad_handle ? 1.0 : NAN;
        keel_status want = bad_handle ? KEEL_E_NULL_ARG : KEEL_E_NOT_FINITE;
        ck_status(keel_basket_set_collateral(target, 5, q), want);
        ck_assert_msg(strncmp(keel_last_error(), names[0], strlen(names[0])) == 0, "%s",
                      keel_last_error());
        ck_status(keel_basket_set_debt(target, 1, q), want);
        ck_assert_msg(strncmp(keel_last_error(), names[1], strlen(names[1])) == 0, "%s",
                      keel_last_error());
        ck_status(keel_basket_add_collateral(target, 5, q), want);
        ck_assert_msg(strncmp(keel_last_error(), names[2], strlen(names[2])) == 0, "%s",
                      keel_last_error());
        ck_status(keel_basket_add_debt(target, 1, q), want);
        ck_assert_msg(strncmp(keel_last_error(), names[3], strlen(names[3])) == 0, "%s",
                      keel_last_error());
    }
}
END_TEST

static Suite *basket_suite(void)
{
    Suite *s = suite_create("basket");
    TCase *tc = tcase_create("basket");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, set_add_get);
    tcase_add_test(tc, positions_listed_by_asset);
    tcase_add_test(tc, many_positions_sorted);
    tcase_add_test(tc, clone_is_deep);
    tcase_add_test(tc, bad_input_changes_nothing);
    tcase_add_test(tc, errors_name_the_function_called);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(basket_suite)
