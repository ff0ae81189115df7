/* keel_market: assets, symbols, prices, volatilities, carry, depth, rate,
 * correlations, clone; every bad input refused with the market unchanged. */
#include "testutil.h"

static keel_market *m;
static market_snap *before;

static void setup(void)
{
    ck_assert_int_eq(keel_market_new(&m), KEEL_OK);
    keel_asset id;
    ck_assert_int_eq(keel_market_add_asset(m, "ETH", 2000.0, &id), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(m, "USDC", 1.0, &id), KEEL_OK);
    ck_assert_int_eq(keel_market_add_asset(m, "WBTC", 60000.0, &id), KEEL_OK);
    before = malloc(sizeof *before);
}

static void teardown(void)
{
    keel_market_free(m);
    free(before);
    ck_assert_uint_eq(keel_live_handles(), 0);
}

START_TEST(assets_get_ids_in_order)
{
    keel_asset id = 99;
    ck_ok(keel_market_find(m, "ETH", &id));
    ck_assert_uint_eq(id, 0);
    ck_ok(keel_market_find(m, "WBTC", &id));
    ck_assert_uint_eq(id, 2);
    ck_ok(keel_market_add_asset(m, "AAVE", 90.0, &id));
    ck_assert_uint_eq(id, 3);
    ck_ok(keel_market_find(m, "AAVE", &id));
    ck_assert_uint_eq(id, 3);
    ck_ok(keel_market_add_asset(m, "Z", 1.0, NULL)); /* the id output is optional */
    size_t n;
    ck_ok(keel_market_asset_count(m, &n));
    ck_assert_uint_eq(n, 5);
    char sym[KEEL_SYMBOL_MAX + 1];
    ck_ok(keel_market_symbol(m, 1, sym, sizeof sym));
    ck_assert_str_eq(sym, "USDC");
    ck_status(keel_market_find(m, "eth", &id), KEEL_E_NOT_FOUND); /* case-sensitive */
}
END_TEST

START_TEST(many_assets_stay_findable)
{
    char sym[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(sym, sizeof sym, "T%04d", (i * 7919) % 1000);
        keel_asset id;
        ck_ok(keel_market_add_asset(m, sym, 1.0 + i, &id));
        ck_assert_uint_eq(id, 3 + (unsigned)i);
    }
    for (int i = 0; i < 1000; i++) {
        snprintf(sym, sizeof sym, "T%04d", (i * 7919) % 1000);
        keel_asset id;
        double p;
        ck_ok(keel_market_find(m, sym, &id));
        ck_ok(keel_market_price(m, id, &p));
        ck_assert(p == 1.0 + i);
    }
}
END_TEST

START_TEST(defaults_and_setters)
{
    double x;
    ck_ok(keel_market_volatility(m, 0, &x));
    ck_assert(x == 0.0);
    ck_ok(keel_market_carry(m, 0, &x));
    ck_assert(x == 0.0);
    ck_ok(keel_market_depth(m, 0, &x));
    ck_assert(isinf(x) && x > 0);
    ck_ok(keel_market_rate(m, &x));
    ck_assert(x == 0.0);

    ck_ok(keel_market_set_price(m, 0, 2500.5));
    ck_ok(keel_market_set_volatility(m, 0, 0.8));
    ck_ok(keel_market_set_carry(m, 0, -0.03));
    ck_ok(keel_market_set_depth(m, 0, 5e7));
    ck_ok(keel_market_set_rate(m, 0.045));
    ck_ok(keel_market_price(m, 0, &x));
    ck_assert(x == 2500.5);
    ck_ok(keel_market_volatility(m, 0, &x));
    ck_assert(x == 0.8);
    ck_ok(keel_market_carry(m, 0, &x));
    ck_assert(x == -0.03);
    ck_ok(keel_market_depth(m, 0, &x));
    ck_assert(x == 5e7);
    ck_ok(keel_market_set_depth(m, 0, INFINITY));
    ck_ok(keel_market_depth(m, 0, &x));
    ck_assert(isinf(x));
    ck_ok(keel_market_rate(m, &x));
    ck_assert(x == 0.045);
    ck_ok(keel_market_set_volatility(m, 1, 0.0));

    const double tick[3] = { 1900.0, 0.999, 58000.0 };
    ck_ok(keel_market_set_prices(m, tick, 3));
    for (keel_asset i = 0; i < 3; i++) {
        ck_ok(keel_market_price(m, i, &x));
        ck_assert(x == tick[i]);
    }
    ck_ok(keel_market_set_prices(m, tick, 0));
}
END_TEST

START_TEST(correlations_symmetric_sparse)
{
    double r;
    ck_ok(keel_market_correlation(m, 0, 2, &r));
    ck_assert(r == 0.0);
    ck_ok(keel_market_correlation(m, 1, 1, &r));
    ck_assert(r == 1.0);
    ck_ok(keel_market_set_correlation(m, 2, 0, 0.75));
    ck_ok(keel_market_correlation(m, 0, 2, &r));
    ck_assert(r == 0.75);
    ck_ok(keel_market_correlation(m, 2, 0, &r));
    ck_assert(r == 0.75);
    ck_ok(keel_market_set_correlation(m, 0, 1, -1.0));
    ck_ok(keel_market_set_correlation(m, 1, 2, 1.0));
    ck_ok(keel_market_correlation(m, 1, 0, &r));
    ck_assert(r == -1.0);
    ck_ok(keel_market_set_correlation(m, 0, 2, 0.0)); /* back to default */
    ck_ok(keel_market_correlation(m, 2, 0, &r));
    ck_assert(r == 0.0);
    ck_ok(keel_market_correlation(m, 1, 2, &r));
    ck_assert(r == 1.0);
    ck_ok(keel_market_set_correlation(m, 1, 1, 1.0)); /* the diagonal may be "set" to 1 */
}
END_TEST

START_TEST(clone_is_deep)
{
    ck_ok(keel_market_set_correlation(m, 0, 2, 0.6));
    ck_ok(keel_market_set_volatility(m, 2, 0.55));
    ck_ok(keel_market_set_rate(m, 0.02));
    keel_market *c = NULL;
    ck_ok(keel_market_clone(m, &c));
    snap_market(m, before);
    ck_market_unchanged(c, before);
    ck_ok(keel_market_set_price(c, 0, 1.0));
    ck_ok(keel_market_set_correlation(c, 0, 2, -0.1));
    ck_ok(keel_market_add_asset(c, "NEW", 3.0, NULL));
    ck_market_unchanged(m, before);
    keel_market_free(c);

    keel_market *empty = NULL, *empty_copy = NULL;
    ck_ok(keel_market_new(&empty));
    ck_ok(keel_market_clone(empty, &empty_copy));
    size_t n = 9;
    ck_ok(keel_market_asset_count(empty_copy, &n));
    ck_assert_uint_eq(n, 0);
    keel_market_free(empty);
    keel_market_free(empty_copy);
}
END_TEST

START_TEST(bad_symbols)
{
    snap_market(m, before);
    keel_asset id = 77;
    ck_status(keel_market_add_asset(m, NULL, 1.0, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_add_asset(m, "", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(m, "WITH SPACE", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(m, "tab\t", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(m, "\xc3\xa9", 1.0, &id), KEEL_E_INVALID_SYMBOL);
    /* 31 bytes is the limit, 32 is refused */
    ck_status(keel_market_add_asset(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 1.0, &id),
              KEEL_E_INVALID_SYMBOL);
    ck_status(keel_market_add_asset(m, "ETH", 1.0, &id), KEEL_E_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "ETH"));
    ck_assert_uint_eq(id, 77);
    ck_market_unchanged(m, before);
    ck_ok(keel_market_add_asset(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234", 1.0, &id));
    char small[4];
    ck_status(keel_market_symbol(m, 0, small, 3), KEEL_E_BUFFER_TOO_SMALL);
    ck_ok(keel_market_symbol(m, 0, small, 4));
    ck_assert_str_eq(small, "ETH");
}
END_TEST

/* Every numeric argument × every class of bad number. */
START_TEST(bad_numbers_change_nothing)
{
    snap_market(m, before);
    const double nonfinite[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < 3; i++) {
        double x = nonfinite[i];
        ck_status(keel_market_add_asset(m, "NEW", x, NULL), KEEL_E_NOT_FINITE);
        ck_status(keel_market_set_price(m, 0, x), KEEL_E_NOT_FINITE);
        ck_status(keel_market_set_volatility(m, 0, x), KEEL_E_NOT_FINITE);
        ck_status(keel_market_set_carry(m, 0, x), KEEL_E_NOT_FINITE);
        ck_status(keel_market_set_rate(m, x), KEEL_E_NOT_FINITE);
        ck_status(keel_market_set_correlation(m, 0, 1, x), KEEL_E_NOT_FINITE);
        double tick[3] = { 1.0, x, 1.0 };
        ck_status(keel_market_set_prices(m, tick, 3), KEEL_E_NOT_FINITE);
    }
    ck_status(keel_market_set_depth(m, 0, NAN), KEEL_E_NOT_FINITE);
    ck_status(keel_market_set_depth(m, 0, -INFINITY), KEEL_E_OUT_OF_RANGE);

    const double nonpositive[] = { 0.0, -0.0, -1.0, -1e-300 };
    for (size_t i = 0; i < 4; i++) {
        double x = nonpositive[i];
        ck_status(keel_market_add_asset(m, "NEW", x, NULL), KEEL_E_OUT_OF_RANGE);
        ck_status(keel_market_set_price(m, 0, x), KEEL_E_OUT_OF_RANGE);
        ck_status(keel_market_set_depth(m, 0, x), KEEL_E_OUT_OF_RANGE);
        double tick[3] = { 1.0, 1.0, x };
        ck_status(keel_market_set_prices(m, tick, 3), KEEL_E_OUT_OF_RANGE);
    }
    ck_status(keel_market_set_volatility(m, 0, -0.01), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(m, 0, 1, 1.0000001), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(m, 0, 1, -1.5), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_market_set_correlation(m, 2, 2, 0.5), KEEL_E_OUT_OF_RANGE);
    ck_market_unchanged(m, before);
}
END_TEST

START_TEST(unknown_assets_and_nulls)
{
    snap_market(m, before);
    double x;
    keel_asset id;
    size_t n;
    char buf[32];
    const keel_asset unknown[] = { 3, 1000, KEEL_ASSET_INVALID };
    for (size_t i = 0; i < 3; i++) {
        keel_asset a = unknown[i];
        ck_status(keel_market_set_price(m, a, 1.0), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_set_volatility(m, a, 0.1), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_set_carry(m, a, 0.1), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_set_depth(m, a, 1.0), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_set_correlation(m, 0, a, 0.1), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_set_correlation(m, a, 0, 0.1), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_price(m, a, &x), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_volatility(m, a, &x), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_carry(m, a, &x), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_depth(m, a, &x), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_correlation(m, a, 0, &x), KEEL_E_UNKNOWN_ASSET);
        ck_status(keel_market_symbol(m, a, buf, sizeof buf), KEEL_E_UNKNOWN_ASSET);
    }
    const double four[4] = { 1, 1, 1, 1 };
    ck_status(keel_market_set_prices(m, four, 4), KEEL_E_UNKNOWN_ASSET);

    ck_status(keel_market_new(NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_clone(m, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_clone(NULL, (keel_market **)&buf), KEEL_E_NULL_ARG);
    ck_status(keel_market_add_asset(NULL, "X", 1.0, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(m, NULL, &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(m, "ETH", NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_find(NULL, "ETH", &id), KEEL_E_NULL_ARG);
    ck_status(keel_market_asset_count(m, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_asset_count(NULL, &n), KEEL_E_NULL_ARG);
    ck_status(keel_market_symbol(m, 0, NULL, 8), KEEL_E_NULL_ARG);
    ck_status(keel_market_symbol(NULL, 0, buf, 8), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_prices(m, NULL, 1), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_prices(NULL, four, 1), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_price(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_volatility(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_carry(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_depth(NULL, 0, 1.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_rate(NULL, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_set_correlation(NULL, 0, 1, 0.0), KEEL_E_NULL_ARG);
    ck_status(keel_market_price(m, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_volatility(m, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_carry(m, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_depth(m, 0, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_rate(m, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_correlation(m, 0, 1, NULL), KEEL_E_NULL_ARG);
    ck_status(keel_market_price(NULL, 0, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_volatility(NULL, 0, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_carry(NULL, 0, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_depth(NULL, 0, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_rate(NULL, &x), KEEL_E_NULL_ARG);
    ck_status(keel_market_correlation(NULL, 0, 1, &x), KEEL_E_NULL_ARG);
    ck_market_unchanged(m, before);
}
END_TEST

/* A batch of new pairs, then new pairs one by one: the batch's store was
 * sized old count + batch, but its capacity was recorded as new count +
 * batch, so the single writes that followed wrote past the allocation
 * (heap corruption; valgrind: invalid write in keel_market_set_correlation).
 * Every value read back is the one set. */
START_TEST(correlations_after_batch_stay_in_bounds)
{
    keel_market *mk;
    ck_ok(keel_market_new(&mk));
    enum { N = 260, K = 128 };
    for (int i = 0; i < N; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "B%d", i);
        ck_ok(keel_market_add_asset(mk, sym, 1.0, NULL));
    }
    keel_asset a[K], b[K];
    double rho[K];
    for (int k = 0; k < K; k++) {
        a[k] = 0, b[k] = (keel_asset)(k + 1);
        rho[k] = (double)(k + 1) / 256.0;
    }
    ck_ok(keel_market_set_correlations(mk, K, a, b, rho)); /* K pairs where none were */
    for (int k = 0; k < K; k++) /* K more pairs, one by one: (1, 130 + k) */
        ck_ok(keel_market_set_correlation(mk, 1, (keel_asset)(130 + k), -(double)(k + 1) / 256.0));
    for (int k = 0; k < K; k++) {
        double r;
        ck_ok(keel_market_correlation(mk, 0, (keel_asset)(k + 1), &r));
        ck_assert_double_eq(r, (double)(k + 1) / 256.0);
        ck_ok(keel_market_correlation(mk, (keel_asset)(130 + k), 1, &r));
        ck_assert_double_eq(r, -(double)(k + 1) / 256.0);
    }
    keel_market_free(mk);
}
END_TEST

/* keel_market_set_correlations leaves the market exactly as the calls one
 * by one would (random pairs in any order, repeats, zeros removing pairs,
 * the diagonal's 1s), and a batch with one bad pair changes nothing. */
START_TEST(correlations_in_one_batch)
{
    keel_market *one, *batch;
    ck_ok(keel_market_new(&one));
    ck_ok(keel_market_new(&batch));
    enum { N = 30, K = 2000 };
    for (int i = 0; i < N; i++) {
        char sym[8];
        snprintf(sym, sizeof sym, "C%d", i);
        ck_ok(keel_market_add_asset(one, sym, 1.0, NULL));
        ck_ok(keel_market_add_asset(batch, sym, 1.0, NULL));
    }
    uint64_t x = 7;
    keel_asset a[K], b[K];
    double rho[K];
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < K; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            a[k] = (keel_asset)((x >> 33) % N);
            b[k] = (keel_asset)((x >> 45) % N);
            int kind = (int)((x >> 20) % 10);
            rho[k] = a[k] == b[k] ? 1.0 : kind == 0 ? 0.0 : ((double)((x >> 11) % 2001) - 1000.0) / 1000.0;
            ck_ok(keel_market_set_correlation(one, a[k], b[k], rho[k]));
        }
        ck_ok(keel_market_set_correlations(batch, K, a, b, rho));
        for (keel_asset i = 0; i < N; i++)
            for (keel_asset j = 0; j < N; j++) {
                double r1, r2;
                ck_ok(keel_market_correlation(one, i, j, &r1));
                ck_ok(keel_market_correlation(batch, i, j, &r2));
                ck_assert_msg(memcmp(&r1, &r2, sizeof r1) == 0, "(%u, %u): %g one by one, %g batched",
                              (unsigned)i, (unsigned)j, r1, r2);
            }
    }
    /* all or nothing */
    market_snap *snap = malloc(sizeof *snap);
    snap_market(batch, snap);
    rho[K - 1] = 1.5;
    ck_status(keel_market_set_correlations(batch, K, a, b, rho), KEEL_E_OUT_OF_RANGE);
    ck_assert_msg(strstr(keel_last_error(), "pair 1999: rho 1.5") != NULL, "%s", keel_last_error());
    ck_market_unchanged(batch, snap);
    a[K - 1] = 99;
    ck_status(keel_market_set_correlations(batch, K, a, b, rho), KEEL_E_UNKNOWN_ASSET);
    ck_market_unchanged(batch, snap);
    ck_ok(keel_market_set_correlations(batch, 0, NULL, NULL, NULL));
    ck_market_unchanged(batch, snap);
    free(snap);
    keel_market_free(one);
    keel_market_free(batch);
}
END_TEST

static Suite *market_suite(void)
{
    Suite *s = suite_create("market");
    TCase *tc = tcase_create("market");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, assets_get_ids_in_order);
    tcase_add_test(tc, many_assets_stay_findable);
    tcase_add_test(tc, defaults_and_setters);
    tcase_add_test(tc, correlations_symmetric_sparse);
    tcase_add_test(tc, clone_is_deep);
    tcase_add_test(tc, bad_symbols);
    tcase_add_test(tc, bad_numbers_change_nothing);
    tcase_add_test(tc, unknown_assets_and_nulls);
    tcase_add_test(tc, correlations_in_one_batch);
    tcase_add_test(tc, correlations_after_batch_stay_in_bounds);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(market_suite)
