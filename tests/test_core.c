/* lib/core: status names, per-thread error text, versions, the allocator
 * hook with out-of-memory injection, and handle type tags. */
#include <pthread.h>
#include <stdio.h>

#include "testutil.h"

START_TEST(status_names)
{
    /* Every code has its own name, and names follow the enum spelling. */
    static const struct { keel_status s; const char *name; } table[] = {
        { KEEL_OK, "KEEL_OK" },
        { KEEL_E_NULL_ARG, "KEEL_E_NULL_ARG" },
        { KEEL_E_NOT_FINITE, "KEEL_E_NOT_FINITE" },
        { KEEL_E_OUT_OF_RANGE, "KEEL_E_OUT_OF_RANGE" },
        { KEEL_E_BAD_HANDLE, "KEEL_E_BAD_HANDLE" },
        { KEEL_E_UNKNOWN_ASSET, "KEEL_E_UNKNOWN_ASSET" },
        { KEEL_E_DUPLICATE, "KEEL_E_DUPLICATE" },
        { KEEL_E_NOT_FOUND, "KEEL_E_NOT_FOUND" },
        { KEEL_E_INVALID_SYMBOL, "KEEL_E_INVALID_SYMBOL" },
        { KEEL_E_NOMEM, "KEEL_E_NOMEM" },
        { KEEL_E_OVERFLOW, "KEEL_E_OVERFLOW" },
        { KEEL_E_STATE, "KEEL_E_STATE" },
        { KEEL_E_BUFFER_TOO_SMALL, "KEEL_E_BUFFER_TOO_SMALL" },
        { KEEL_E_INFEASIBLE, "KEEL_E_INFEASIBLE" },
        { KEEL_E_NO_CONVERGENCE, "KEEL_E_NO_CONVERGENCE" },
        { KEEL_E_CANCELLED, "KEEL_E_CANCELLED" },
        { KEEL_E_NOT_PSD, "KEEL_E_NOT_PSD" },
        { KEEL_E_ARBITRAGE, "KEEL_E_ARBITRAGE" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        ck_assert_int_eq((int)table[i].s, (int)i); /* values are fixed: 0, 1, 2, ... */
        ck_assert_str_eq(keel_status_str(table[i].s), table[i].name);
    }
    ck_assert_str_eq(keel_status_str((keel_status)999), "KEEL_E_UNKNOWN_STATUS");
    ck_assert_str_eq(keel_status_str((keel_status)-1), "KEEL_E_UNKNOWN_STATUS");
}
END_TEST

START_TEST(version_matches_header)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", KEEL_VERSION_MAJOR, KEEL_VERSION_MINOR,
             KEEL_VERSION_PATCH);
    ck_assert_str_eq(keel_version(), want);
    ck_assert_str_eq(keel_version(), KEEL_VERSION_STRING);
    ck_assert_uint_eq(keel_version_number(),
                      KEEL_VERSION_MAJOR * 10000u + KEEL_VERSION_MINOR * 100u + KEEL_VERSION_PATCH);
}
END_TEST

static void *fail_in_thread(void *arg)
{
    (void)arg;
    /* A fresh thread has no error yet. */
    if (keel_last_error()[0] != '\0')
        return (void *)1;
    if (keel_market_new(NULL) != KEEL_E_NULL_ARG)
        return (void *)2;
    if (strstr(keel_last_error(), "keel_market_new") == NULL)
        return (void *)3;
    return NULL;
}

START_TEST(last_error_is_per_thread)
{
    keel_market *m = NULL;
    ck_ok(keel_market_new(&m));
    ck_status(keel_market_set_price(m, 0, 1.0), KEEL_E_UNKNOWN_ASSET);
    char mine[512];
    snprintf(mine, sizeof mine, "%s", keel_last_error());
    ck_assert_ptr_nonnull(strstr(mine, "keel_market_set_price"));

    pthread_t t;
    void *result = (void *)99;
    ck_assert_int_eq(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
    ck_assert_int_eq(pthread_join(t, &result), 0);
    ck_assert_ptr_null(result);
    /* The other thread's failure did not touch this thread's text ... */
    ck_assert_str_eq(keel_last_error(), mine);
    /* ... and a success leaves it too. */
    double p;
    ck_ok(keel_market_rate(m, &p));
    ck_assert_str_eq(keel_last_error(), mine);
    keel_market_free(m);
}
END_TEST

START_TEST(allocator_only_before_handles)
{
    fail_alloc fa = { -1, 0, 0, false };
    keel_allocator a = { fa_malloc, fa_realloc, fa_free, &fa };
    keel_basket *b = NULL;
    ck_assert_uint_eq(keel_live_handles(), 0);
    ck_ok(keel_basket_new(&b));
    ck_assert_uint_eq(keel_live_handles(), 1);
    ck_status(keel_set_allocator(&a), KEEL_E_STATE);
    ck_status(keel_set_allocator(NULL), KEEL_E_STATE);
    keel_basket_free(b);
    ck_assert_uint_eq(keel_live_handles(), 0);

    keel_allocator partial = { fa_malloc, NULL, fa_free, &fa };
    ck_status(keel_set_allocator(&partial), KEEL_E_NULL_ARG);

    /* Once installed, every allocation goes through the hook. */
    ck_ok(keel_set_allocator(&a));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_basket_set_collateral(b, 3, 1.0));
    ck_assert_int_ge(fa.calls, 2);
    ck_assert_int_eq(fa.live, 2);
    keel_basket_free(b);
    ck_assert_int_eq(fa.live, 0);
    ck_ok(keel_set_allocator(NULL));
}
END_TEST

/* Out-of-memory injection for every allocating function lives in
 * test_api_matrix.c, beside the table of which functions allocate. */

/* ---- handle tags ---- */

START_TEST(wrong_handle_type)
{
    keel_market *m = NULL;
    keel_basket *b = NULL;
    keel_haircut_model *h = NULL;
    ck_ok(keel_market_new(&m));
    ck_ok(keel_basket_new(&b));
    ck_ok(keel_haircut_model_new(&h));
    double x;
    ck_status(keel_market_rate((const keel_market *)(void *)b, &x), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "not a keel_market"));
    ck_status(keel_basket_collateral((const keel_basket *)(void *)h, 0, &x), KEEL_E_BAD_HANDLE);
    ck_status(keel_haircut_model_borrow_factor((const keel_haircut_model *)(void *)m, 0, &x),
              KEEL_E_BAD_HANDLE);
    keel_metrics met = KEEL_METRICS_INIT;
    ck_status(keel_basket_metrics(b, NULL, (const keel_market *)(void *)h, h, &met),
              KEEL_E_BAD_HANDLE);
    /* Freeing through the wrong function is ignored, not a crash or a leak. */
    keel_market_free((keel_market *)(void *)b);
    ck_assert_uint_eq(keel_live_handles(), 3);
    keel_market_free(m);
    keel_basket_free(b);
    keel_haircut_model_free(h);
    ck_assert_uint_eq(keel_live_handles(), 0);
    keel_market_free(NULL);
    keel_basket_free(NULL);
    keel_haircut_model_free(NULL);
}
END_TEST

/* An allocator that never returns memory to the system, so that a freed
 * handle can still be read: this is how "freed where detectable" is made
 * testable without undefined behaviour. */
static void *keep_blocks[16];
static int keep_count;
static void *keep_malloc(void *u, size_t n) { (void)u; return malloc(n); }
static void *keep_realloc(void *u, void *p, size_t n) { (void)u; return realloc(p, n); }
static void keep_free(void *u, void *p)
{
    (void)u;
    if (keep_count < 16)
        keep_blocks[keep_count++] = p;
    else
        free(p);
}

START_TEST(freed_handle_detected)
{
    keel_allocator a = { keep_malloc, keep_realloc, keep_free, NULL };
    ck_ok(keel_set_allocator(&a));
    keel_market *m = NULL;
    ck_ok(keel_market_new(&m));
    keel_market_free(m);
    double r;
    ck_status(keel_market_rate(m, &r), KEEL_E_BAD_HANDLE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "already freed"));
    int kept = keep_count;
    keel_market_free(m); /* a second free is a no-op */
    ck_assert_int_eq(keep_count, kept);
    ck_assert_uint_eq(keel_live_handles(), 0);
    ck_ok(keel_set_allocator(NULL));
    for (int i = 0; i < keep_count; i++)
        free(keep_blocks[i]);
    keep_count = 0;
}
END_TEST

/* Each keel_*_init gives exactly its KEEL_*_INIT initialiser (one set of
 * numbers), writes no byte past the size it is given, and zeroes the fields
 * a caller built against a newer header holds beyond the library's struct. */
#define CK_INIT(type, MACRO)                                                                  \
    do {                                                                                      \
        /* static, so that its padding is zero, as in the library's copy */                  \
        static const type want = MACRO;                                                       \
        type got;                                                                             \
        memset(&got, 0xab, sizeof got);                                                       \
        ck_ok(type##_init(&got, sizeof got));                                                 \
        ck_assert_uint_eq(got.size, sizeof got);                                              \
        ck_assert_msg(memcmp((const char *)&got + sizeof(size_t),                             \
                             (const char *)&want + sizeof(size_t),                            \
                             sizeof got - sizeof(size_t)) == 0,                               \
                      #type "_init differs from " #MACRO);                                    \
        unsigned char small[sizeof(type) + 16];                                               \
        memset(small, 0xab, sizeof small);                                                    \
        size_t part = sizeof(size_t) + 4;                                                     \
        ck_ok(type##_init((type *)(void *)small, part));                                      \
        ck_assert_uint_eq(*(size_t *)(void *)small, part);                                    \
        for (size_t i = part; i < sizeof small; i++)                                          \
            ck_assert_uint_eq(small[i], 0xab);                                                \
        unsigned char big[sizeof(type) + 16];                                                 \
        memset(big, 0xab, sizeof big);                                                        \
        ck_ok(type##_init((type *)(void *)big, sizeof big));                                  \
        ck_assert_uint_eq(*(size_t *)(void *)big, sizeof big);                                \
        for (size_t i = sizeof(type); i < sizeof big; i++)                                    \
            ck_assert_uint_eq(big[i], 0);                                                     \
        ck_status(type##_init(NULL, sizeof got), KEEL_E_NULL_ARG);                            \
        ck_assert_ptr_nonnull(strstr(keel_last_error(), #type "_init"));                      \
        ck_status(type##_init(&got, sizeof(size_t) - 1), KEEL_E_OUT_OF_RANGE);                \
    } while (0)

START_TEST(params_init_equals_initialisers)
{
    CK_INIT(keel_margin_params, KEEL_MARGIN_PARAMS_INIT);
    CK_INIT(keel_deleverage_params, KEEL_DELEVERAGE_PARAMS_INIT);
    CK_INIT(keel_health_band_params, KEEL_HEALTH_BAND_PARAMS_INIT);
    CK_INIT(keel_leverage_band_params, KEEL_LEVERAGE_BAND_PARAMS_INIT);
    CK_INIT(keel_target_weights_params, KEEL_TARGET_WEIGHTS_PARAMS_INIT);
    CK_INIT(keel_delta_hedge_params, KEEL_DELTA_HEDGE_PARAMS_INIT);
    CK_INIT(keel_predictive_params, KEEL_PREDICTIVE_PARAMS_INIT);
    CK_INIT(keel_collateral_params, KEEL_COLLATERAL_PARAMS_INIT);
    CK_INIT(keel_sim_params, KEEL_SIM_PARAMS_INIT);
    /* worked values of the health band: repay below 1.3 to 1.5, boost above 2.0 to 1.7 */
    keel_health_band_params hb;
    ck_ok(keel_health_band_params_init(&hb, sizeof hb));
    ck_assert_double_eq(hb.repay_below, 1.3);
    ck_assert_double_eq(hb.repay_to, 1.5);
    ck_assert_double_eq(hb.boost_above, 2.0);
    ck_assert_double_eq(hb.boost_to, 1.7);
    ck_assert_uint_eq(hb.allowed, KEEL_ALLOW_REPAY);
    ck_assert_uint_eq(hb.debt_asset, KEEL_ASSET_INVALID);
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, status_names);
    tcase_add_test(tc, version_matches_header);
    tcase_add_test(tc, last_error_is_per_thread);
    tcase_add_test(tc, allocator_only_before_handles);
    tcase_add_test(tc, wrong_handle_type);
    tcase_add_test(tc, freed_handle_detected);
    tcase_add_test(tc, params_init_equals_initialisers);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(core_suite)
