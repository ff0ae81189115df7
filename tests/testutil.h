/* Helpers shared by the Check suites: status assertions, snapshots of a
 * handle's whole public state (to prove a failed call changed nothing), and
 * allocators that fail on demand or keep freed blocks. */
#ifndef KEEL_TESTUTIL_H
#define KEEL_TESTUTIL_H

#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel.h"

/* Asserts a call's status, and that a failure left detail text. */
#define ck_status(expr, expected)                                                          \
    do {                                                                                   \
        keel_status ck_s_ = (expr);                                                        \
        ck_assert_msg(ck_s_ == (expected), "%s returned %s, expected %s (detail: %s)",     \
                      #expr, keel_status_str(ck_s_), keel_status_str(expected),            \
                      keel_last_error());                                                  \
        if ((expected) != KEEL_OK)                                                         \
            ck_assert_msg(keel_last_error()[0] != '\0', "%s left no detail text", #expr);  \
    } while (0)

#define ck_ok(expr) ck_status((expr), KEEL_OK)

/* Relative-or-absolute closeness for doubles, with infinities compared exactly. */
#define ck_close(got, want, tol)                                                           \
    do {                                                                                   \
        double ck_g_ = (got), ck_w_ = (want);                                              \
        if (isinf(ck_w_))                                                                  \
            ck_assert_msg(ck_g_ == ck_w_, "%s = %.17g, expected %g", #got, ck_g_, ck_w_);  \
        else                                                                               \
            ck_assert_msg(fabs(ck_g_ - ck_w_) <= (tol) * fmax(1.0, fabs(ck_w_)),           \
                          "%s = %.17g, expected %.17g", #got, ck_g_, ck_w_);               \
    } while (0)

/* ---- snapshots: everything the public API can read from a handle ---- */

#define SNAP_MAX 64

typedef struct market_snap {
    size_t count;
    double rate;
    char symbol[SNAP_MAX][KEEL_SYMBOL_MAX + 1];
    double price[SNAP_MAX], vol[SNAP_MAX], carry[SNAP_MAX], depth[SNAP_MAX];
    double corr[SNAP_MAX][SNAP_MAX];
} market_snap;

static inline void snap_market(const keel_market *m, market_snap *s)
{
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(keel_market_asset_count(m, &s->count), KEEL_OK);
    ck_assert_int_eq(keel_market_rate(m, &s->rate), KEEL_OK);
    ck_assert(s->count <= SNAP_MAX);
    for (keel_asset i = 0; i < s->count; i++) {
        ck_assert_int_eq(keel_market_symbol(m, i, s->symbol[i], sizeof s->symbol[i]), KEEL_OK);
        ck_assert_int_eq(keel_market_price(m, i, &s->price[i]), KEEL_OK);
        ck_assert_int_eq(keel_market_volatility(m, i, &s->vol[i]), KEEL_OK);
        ck_assert_int_eq(keel_market_carry(m, i, &s->carry[i]), KEEL_OK);
        ck_assert_int_eq(keel_market_depth(m, i, &s->depth[i]), KEEL_OK);
        for (keel_asset j = 0; j < s->count; j++)
            ck_assert_int_eq(keel_market_correlation(m, i, j, &s->corr[i][j]), KEEL_OK);
    }
}

static inline void ck_market_unchanged(const keel_market *m, const market_snap *before)
{
    market_snap *now = malloc(sizeof *now);
    ck_assert_ptr_nonnull(now);
    snap_market(m, now);
    ck_assert_msg(memcmp(now, before, sizeof *now) == 0, "market changed");
    free(now);
}

typedef struct basket_snap {
    size_t count;
    keel_position pos[SNAP_MAX];
} basket_snap;

static inline void snap_basket(const keel_basket *b, basket_snap *s)
{
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(keel_basket_positions(b, s->pos, SNAP_MAX, &s->count), KEEL_OK);
    ck_assert(s->count <= SNAP_MAX);
}

static inline void ck_basket_unchanged(const keel_basket *b, const basket_snap *before)
{
    basket_snap now;
    snap_basket(b, &now);
    ck_assert_msg(now.count == before->count, "basket size changed: %zu -> %zu",
                  before->count, now.count);
    for (size_t i = 0; i < now.count; i++) {
        ck_assert(now.pos[i].asset == before->pos[i].asset);
        ck_assert(now.pos[i].collateral == before->pos[i].collateral);
        ck_assert(now.pos[i].debt == before->pos[i].debt);
    }
}

/* A haircut model has no listing: snapshot the terms of ids 0 .. SNAP_MAX-1,
 * enough for every id the tests use. */
typedef struct haircut_snap {
    double initial[SNAP_MAX], maintenance[SNAP_MAX], factor[SNAP_MAX];
} haircut_snap;

static inline void snap_haircut(const keel_haircut_model *h, haircut_snap *s)
{
    for (keel_asset i = 0; i < SNAP_MAX; i++) {
        ck_assert_int_eq(keel_haircut_model_asset(h, i, &s->initial[i], &s->maintenance[i]),
                         KEEL_OK);
        ck_assert_int_eq(keel_haircut_model_borrow_factor(h, i, &s->factor[i]), KEEL_OK);
    }
}

static inline void ck_haircut_unchanged(const keel_haircut_model *h, const haircut_snap *before)
{
    haircut_snap now;
    snap_haircut(h, &now);
    ck_assert_msg(memcmp(&now, before, sizeof now) == 0, "haircut model changed");
}

typedef struct options_snap {
    size_t count;
    keel_option_position pos[SNAP_MAX];
} options_snap;

static inline void snap_options(const keel_options *o, options_snap *s)
{
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(keel_options_count(o, &s->count), KEEL_OK);
    ck_assert(s->count <= SNAP_MAX);
    for (size_t i = 0; i < s->count; i++) {
        s->pos[i].size = sizeof s->pos[i];
        ck_assert_int_eq(keel_options_position(o, i, &s->pos[i]), KEEL_OK);
    }
}

static inline void ck_options_unchanged(const keel_options *o, const options_snap *before)
{
    options_snap *now = malloc(sizeof *now);
    ck_assert_ptr_nonnull(now);
    snap_options(o, now);
    ck_assert_msg(now->count == before->count, "options book size changed");
    for (size_t i = 0; i < now->count; i++) {
        const keel_option_position *a = &now->pos[i], *b = &before->pos[i];
        ck_assert_msg(a->id == b->id && a->underlying == b->underlying && a->type == b->type &&
                          a->strike == b->strike && a->expiry == b->expiry &&
                          a->quantity == b->quantity && a->has_volatility == b->has_volatility &&
                          a->volatility == b->volatility,
                      "options book position %zu changed", i);
    }
    free(now);
}

/* ---- allocators ---- */

/* Counts live blocks and fails the allocation that comes after `fail_after`
 * more have succeeded (fail_after < 0: never fails): with `once`, that one
 * allocation alone (the k-th fails, the others succeed, so a clean-up or a
 * retry that allocates is exercised); without, it and every one after. */
typedef struct fail_alloc {
    long fail_after;
    long live;
    long calls;
    bool once;
} fail_alloc;

/* Whether this allocation fails; counts it down otherwise. */
static inline bool fa_fails(fail_alloc *fa)
{
    fa->calls++;
    if (fa->fail_after == 0) {
        if (fa->once)
            fa->fail_after = -1;
        return true;
    }
    if (fa->fail_after > 0)
        fa->fail_after--;
    return false;
}

static inline void *fa_malloc(void *user, size_t size)
{
    fail_alloc *fa = user;
    if (fa_fails(fa))
        return NULL;
    void *p = malloc(size);
    if (p)
        fa->live++;
    return p;
}

static inline void *fa_realloc(void *user, void *ptr, size_t size)
{
    fail_alloc *fa = user;
    if (fa_fails(fa))
        return NULL;
    return realloc(ptr, size);
}

static inline void fa_free(void *user, void *ptr)
{
    fail_alloc *fa = user;
    fa->live--;
    free(ptr);
}

static inline void install_fail_alloc(fail_alloc *fa)
{
    keel_allocator a = { fa_malloc, fa_realloc, fa_free, fa };
    ck_assert_int_eq(keel_set_allocator(&a), KEEL_OK);
}

/* main() of a suite program: runs the suite, exits non-zero on a failure.
 * Check's own per-test timer defaults to 4 s, a second clock beside meson's
 * per-program timeout (which the sanitizer and valgrind setups multiply);
 * a slow shared machine under ASan tripped it on a test that takes 2 s
 * here. Meson's timeout is the one that counts, so Check's default is set
 * far above it (tcases read CK_DEFAULT_TIMEOUT when they are created; an
 * environment of the caller still wins; no suite sets its own). */
#define KEEL_TEST_MAIN(make_suite)                                     \
    int main(void)                                                     \
    {                                                                  \
        setenv("CK_DEFAULT_TIMEOUT", "3600", 0);                       \
        SRunner *sr = srunner_create(make_suite());                    \
        srunner_run_all(sr, CK_NORMAL);                                \
        int failed = srunner_ntests_failed(sr);                        \
        srunner_free(sr);                                              \
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;              \
    }

#endif /* KEEL_TESTUTIL_H */
