/* keel_basket: positions sorted by asset id, one entry per asset holding both
 * its collateral and its debt; an entry whose two quantities are 0 is removed. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "basket_internal.h"
#include "core/core_internal.h"
#include "core/table.h"

struct keel_basket {
    uint32_t tag;
    keel_table pos; /* keel_position, sorted by asset */
};

#define CHECK_BASKET(b) KEEL_TRY(keel_check_handle((b), KEEL_TAG_BASKET, __func__, "basket"))

const keel_position *keel_basket_data(const keel_basket *basket, size_t *count)
{
    *count = basket->pos.count;
    return basket->pos.items;
}

keel_status keel_basket_new(keel_basket **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_basket *b = keel_handle_alloc(sizeof *b, KEEL_TAG_BASKET);
    if (b == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    b->pos = (keel_table)KEEL_TABLE_INIT(keel_position);
    *out = b;
    return KEEL_OK;
}

void keel_basket_destroy(keel_basket *basket)
{
    if (basket == NULL)
        return;
    keel_table_free(&basket->pos);
    keel_handle_release(basket);
}

void keel_basket_free(keel_basket *basket)
{
    if (keel_handle_is(basket, KEEL_TAG_BASKET))
        keel_basket_destroy(basket);
}

keel_status keel_basket_copy(const keel_basket *basket, keel_basket **out, const char *fn)
{
    keel_basket *c = keel_handle_alloc(sizeof *c, KEEL_TAG_BASKET);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    if (!keel_table_copy(&c->pos, &basket->pos)) {
        keel_basket_destroy(c);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = c;
    return KEEL_OK;
}

keel_status keel_basket_clone(const keel_basket *basket, keel_basket **out)
{
    CHECK_BASKET(basket);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_basket_copy(basket, out, __func__);
}

/* Writes one side (collateral or debt) of an asset's position; every check
 * has been done, only the allocation can fail. */
static keel_status store(keel_basket *b, keel_asset asset, bool debt, double quantity,
                         const char *fn)
{
    bool found;
    size_t slot = keel_table_find(&b->pos, asset, &found);
    keel_position *p;
    if (found) {
        p = keel_table_at(&b->pos, slot);
    } else {
        if (quantity == 0.0)
            return KEEL_OK;
        p = keel_table_insert(&b->pos, slot, asset);
        if (p == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    if (debt)
        p->debt = quantity;
    else
        p->collateral = quantity;
    if (p->debt == 0.0 && p->collateral == 0.0)
        keel_table_remove(&b->pos, slot);
    return KEEL_OK;
}

static keel_status check_id(keel_asset asset, const char *fn)
{
    if (asset == KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: KEEL_ASSET_INVALID is not an asset", fn);
    return KEEL_OK;
}

static double current(const keel_basket *b, keel_asset asset, bool debt)
{
    const keel_position *p = keel_table_get(&b->pos, asset);
    if (p == NULL)
        return 0.0;
    return debt ? p->debt : p->collateral;
}

double keel_basket_quantity(const keel_basket *basket, keel_asset asset, bool debt)
{
    return current(basket, asset, debt);
}

static keel_status set_side(keel_basket *b, keel_asset asset, bool debt, double quantity,
                            const char *fn)
{
    KEEL_TRY(keel_check_handle(b, KEEL_TAG_BASKET, fn, "basket"));
    KEEL_TRY(check_id(asset, fn));
    KEEL_TRY(keel_check_nonneg(quantity, fn, "quantity"));
    return store(b, asset, debt, quantity + 0.0 /* -0 becomes +0 */, fn);
}

static keel_status add_side(keel_basket *b, keel_asset asset, bool debt, double delta,
                            const char *fn)
{
    KEEL_TRY(keel_check_handle(b, KEEL_TAG_BASKET, fn, "basket"));
    KEEL_TRY(check_id(asset, fn));
    KEEL_TRY(keel_check_finite(delta, fn, "delta"));
    double now = current(b, asset, debt);
    double next = now + delta;
    if (!isfinite(next))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: %g + %g overflows", fn, now, delta);
    if (next < 0.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s of asset %u would become %g (holds %g)",
                         fn, debt ? "debt" : "collateral", (unsigned)asset, next, now);
    return store(b, asset, debt, next + 0.0, fn);
}

keel_status keel_basket_move(keel_basket *basket, keel_asset asset, bool debt, double delta,
                             const char *fn)
{
    double now = current(basket, asset, debt);
    double next = now + delta;
    /* a removal that overshoots by rounding alone (a few ulps of the larger
     * operand) empties the position */
    if (delta < 0.0 && next < 0.0 && -next <= 16.0 * DBL_EPSILON * fmax(now, -delta))
        delta = -now;
    return add_side(basket, asset, debt, delta, fn);
}

keel_status keel_basket_set_collateral(keel_basket *basket, keel_asset asset, double quantity)
{
    return set_side(basket, asset, false, quantity, __func__);
}

keel_status keel_basket_set_debt(keel_basket *basket, keel_asset asset, double quantity)
{
    return set_side(basket, asset, true, quantity, __func__);
}

keel_status keel_basket_add_collateral(keel_basket *basket, keel_asset asset, double delta)
{
    return add_side(basket, asset, false, delta, __func__);
}

keel_status keel_basket_add_debt(keel_basket *basket, keel_asset asset, double delta)
{
    return add_side(basket, asset, true, delta, __func__);
}

keel_status keel_basket_collateral(const keel_basket *basket, keel_asset asset,
                                   double *out_quantity)
{
    CHECK_BASKET(basket);
    KEEL_TRY(keel_check_ptr(out_quantity, __func__, "out_quantity"));
    *out_quantity = current(basket, asset, false);
    return KEEL_OK;
}

keel_status keel_basket_debt(const keel_basket *basket, keel_asset asset, double *out_quantity)
{
    CHECK_BASKET(basket);
    KEEL_TRY(keel_check_ptr(out_quantity, __func__, "out_quantity"));
    *out_quantity = current(basket, asset, true);
    return KEEL_OK;
}

keel_status keel_basket_positions(const keel_basket *basket, keel_position *out, size_t capacity,
                                  size_t *out_count)
{
    CHECK_BASKET(basket);
    KEEL_TRY(keel_check_ptr(out_count, __func__, "out_count"));
    if (capacity > 0)
        KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    size_t n = capacity < basket->pos.count ? capacity : basket->pos.count;
    if (n > 0)
        memcpy(out, basket->pos.items, n * sizeof *out);
    *out_count = basket->pos.count;
    return KEEL_OK;
}

void keel_basket_reset(keel_basket *basket)
{
    basket->pos.count = 0;
}

keel_status keel_basket_clear(keel_basket *basket)
{
    CHECK_BASKET(basket);
    keel_basket_reset(basket);
    return KEEL_OK;
}

/* One 64-bit word into the hash: xor, then multiply by an odd constant and
 * fold (a word-at-a-time variant of FNV-1a; the fingerprint only has to tell
 * states apart within a process). */
static uint64_t mix(uint64_t h, uint64_t word)
{
    h = (h ^ word) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

uint64_t keel_basket_fingerprint(const keel_basket *basket)
{
    uint64_t h = 1469598103934665603ull;
    const keel_position *pos = basket->pos.items;
    for (size_t i = 0; i < basket->pos.count; i++) { /* field by field: no padding bytes */
        uint64_t q, d;
        memcpy(&q, &pos[i].collateral, sizeof q);
        memcpy(&d, &pos[i].debt, sizeof d);
        h = mix(mix(mix(h, pos[i].asset), q), d);
    }
    return mix(h, basket->pos.count);
}

void keel_basket_swap_positions(keel_basket *a, keel_basket *b)
{
    keel_table t = a->pos;
    a->pos = b->pos;
    b->pos = t;
}
