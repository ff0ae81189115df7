/* keel_haircut_model, fixed schedule: entries sorted by asset id, each with
 * optional haircuts and an optional borrow factor. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "haircut_internal.h"

typedef struct entry {
    keel_asset asset;
    bool has_haircut;
    bool has_factor;
    double initial, maintenance, factor;
} entry;

struct keel_haircut_model {
    uint32_t tag;
    size_t count, capacity;
    entry *entries;
};

#define CHECK_MODEL(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_HAIRCUT, __func__, "model"))

static size_t slot_of(const keel_haircut_model *m, keel_asset asset, bool *found)
{
    size_t lo = 0, hi = m->count;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->entries[mid].asset == asset) {
            *found = true;
            return mid;
        }
        if (m->entries[mid].asset < asset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const entry *find(const keel_haircut_model *m, keel_asset asset)
{
    bool found;
    size_t slot = slot_of(m, asset, &found);
    return found ? &m->entries[slot] : NULL;
}

keel_asset_terms keel_haircut_terms(const keel_haircut_model *model, keel_asset asset)
{
    keel_asset_terms t = { 1.0, 1.0, 1.0 };
    const entry *e = find(model, asset);
    if (e != NULL) {
        if (e->has_haircut) {
            t.initial = e->initial;
            t.maintenance = e->maintenance;
        }
        if (e->has_factor)
            t.borrow_factor = e->factor;
    }
    return t;
}

keel_status keel_haircut_model_new(keel_haircut_model **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_haircut_model *m = keel_handle_alloc(sizeof *m, KEEL_TAG_HAIRCUT);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    *out = m;
    return KEEL_OK;
}

void keel_haircut_model_free(keel_haircut_model *model)
{
    if (!keel_handle_is(model, KEEL_TAG_HAIRCUT))
        return;
    keel_dealloc(model->entries);
    keel_handle_release(model);
}

keel_status keel_haircut_model_clone(const keel_haircut_model *model, keel_haircut_model **out)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_haircut_model *c = keel_handle_alloc(sizeof *c, KEEL_TAG_HAIRCUT);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    if (model->count > 0) {
        c->entries = keel_alloc_array(model->count, sizeof *c->entries);
        if (c->entries == NULL) {
            keel_haircut_model_free(c);
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
        }
        memcpy(c->entries, model->entries, model->count * sizeof *c->entries);
        c->count = c->capacity = model->count;
    }
    *out = c;
    return KEEL_OK;
}

/* The entry for `asset`, inserted empty if absent; NULL when out of memory. */
static entry *entry_for(keel_haircut_model *m, keel_asset asset)
{
    bool found;
    size_t slot = slot_of(m, asset, &found);
    if (found)
        return &m->entries[slot];
    if (m->count == m->capacity) {
        size_t cap = m->capacity ? m->capacity * 2 : 8;
        entry *grown = keel_realloc_array(m->entries, cap, sizeof *grown);
        if (grown == NULL)
            return NULL;
        m->entries = grown;
        m->capacity = cap;
    }
    memmove(&m->entries[slot + 1], &m->entries[slot], (m->count - slot) * sizeof *m->entries);
    m->entries[slot] = (entry){ .asset = asset };
    m->count++;
    return &m->entries[slot];
}

/* Drops an entry that carries nothing any more. */
static void prune(keel_haircut_model *m, keel_asset asset)
{
    bool found;
    size_t slot = slot_of(m, asset, &found);
    if (!found || m->entries[slot].has_haircut || m->entries[slot].has_factor)
        return;
    memmove(&m->entries[slot], &m->entries[slot + 1], (m->count - slot - 1) * sizeof *m->entries);
    m->count--;
}

static keel_status check_id(keel_asset asset, const char *fn)
{
    if (asset == KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: KEEL_ASSET_INVALID is not an asset", fn);
    return KEEL_OK;
}

keel_status keel_haircut_model_set_asset(keel_haircut_model *model, keel_asset asset,
                                         double initial, double maintenance)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_finite(initial, __func__, "initial"));
    KEEL_TRY(keel_check_finite(maintenance, __func__, "maintenance"));
    if (initial < 0.0 || initial >= 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: initial haircut must be in [0, 1), got %g",
                         __func__, initial);
    if (maintenance < 0.0 || maintenance > initial)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: maintenance haircut must be in [0, initial = %g], got %g", __func__,
                         initial, maintenance);
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    e->has_haircut = true;
    e->initial = initial + 0.0;
    e->maintenance = maintenance + 0.0;
    return KEEL_OK;
}

keel_status keel_haircut_model_asset(const keel_haircut_model *model, keel_asset asset,
                                     double *out_initial, double *out_maintenance)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_initial, __func__, "out_initial"));
    KEEL_TRY(keel_check_ptr(out_maintenance, __func__, "out_maintenance"));
    keel_asset_terms t = keel_haircut_terms(model, asset);
    *out_initial = t.initial;
    *out_maintenance = t.maintenance;
    return KEEL_OK;
}

keel_status keel_haircut_model_clear_asset(keel_haircut_model *model, keel_asset asset)
{
    CHECK_MODEL(model);
    bool found;
    size_t slot = slot_of(model, asset, &found);
    if (found) {
        model->entries[slot].has_haircut = false;
        prune(model, asset);
    }
    return KEEL_OK;
}

keel_status keel_haircut_model_set_borrow_factor(keel_haircut_model *model, keel_asset asset,
                                                 double factor)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_finite(factor, __func__, "factor"));
    if (factor < 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: borrow factor must be >= 1, got %g", __func__,
                         factor);
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    e->has_factor = true;
    e->factor = factor;
    return KEEL_OK;
}

keel_status keel_haircut_model_borrow_factor(const keel_haircut_model *model, keel_asset asset,
                                             double *out_factor)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_factor, __func__, "out_factor"));
    *out_factor = keel_haircut_terms(model, asset).borrow_factor;
    return KEEL_OK;
}
