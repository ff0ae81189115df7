/* keel_haircut_model's parameters: per-asset entries sorted by asset id (base
 * haircuts, borrow factor, cap, concentration limit, peg group, each
 * optional) and the model-wide add-on settings. Evaluating them against a
 * basket is lib/risk's work. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "haircut_internal.h"
#include "math/kmath.h"

typedef struct entry {
    keel_asset asset;
    bool has_haircut;
    bool has_factor;
    bool has_cap;
    bool has_concentration;
    double initial, maintenance, factor, cap, max_share, extra;
    uint32_t peg_group; /* 0: none */
} entry;

struct keel_haircut_model {
    uint32_t tag;
    size_t count, capacity;
    entry *entries;
    keel_haircut_settings settings;
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

keel_asset_terms keel_haircut_terms(const keel_haircut_model *model, keel_asset asset)
{
    size_t cursor = 0;
    return keel_haircut_terms_from(model, asset, &cursor);
}

keel_asset_terms keel_haircut_terms_from(const keel_haircut_model *model, keel_asset asset,
                                         size_t *cursor)
{
    keel_asset_terms t = { false, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0 };
    /* Binary search in [cursor, count): callers walking ascending ids pass the
     * slot found for the previous id. */
    size_t lo = *cursor < model->count ? *cursor : model->count, hi = model->count;
    const entry *e = NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (model->entries[mid].asset == asset) {
            e = &model->entries[mid];
            lo = mid;
            break;
        }
        if (model->entries[mid].asset < asset)
            lo = mid + 1;
        else
            hi = mid;
    }
    *cursor = lo;
    if (e != NULL) {
        if (e->has_haircut) {
            t.has_schedule = true;
            t.initial = e->initial;
            t.maintenance = e->maintenance;
        }
        if (e->has_factor)
            t.borrow_factor = e->factor;
        if (e->has_cap)
            t.cap = e->cap;
        if (e->has_concentration) {
            t.max_share = e->max_share;
            t.extra = e->extra;
        }
        t.peg_group = e->peg_group;
    }
    return t;
}

const keel_haircut_settings *keel_haircut_settings_of(const keel_haircut_model *model)
{
    return &model->settings;
}

keel_status keel_haircut_model_new(keel_haircut_model **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_haircut_model *m = keel_handle_alloc(sizeof *m, KEEL_TAG_HAIRCUT);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    m->settings = (keel_haircut_settings){ .vol_confidence = 0.99, .liq_cap = 1.0,
                                           .conc_mode = KEEL_CONCENTRATION_EXTRA };
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
    c->settings = model->settings;
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
    if (!found)
        return;
    const entry *e = &m->entries[slot];
    if (e->has_haircut || e->has_factor || e->has_cap || e->has_concentration ||
        e->peg_group != 0)
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

keel_status keel_haircut_model_set_cap(keel_haircut_model *model, keel_asset asset, double cap)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_range(cap, 0.0, 1.0, __func__, "cap"));
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    e->has_cap = cap < 1.0;
    e->cap = cap + 0.0;
    prune(model, asset);
    return KEEL_OK;
}

keel_status keel_haircut_model_cap(const keel_haircut_model *model, keel_asset asset,
                                   double *out_cap)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_cap, __func__, "out_cap"));
    *out_cap = keel_haircut_terms(model, asset).cap;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_volatility_addon(keel_haircut_model *model, double confidence,
                                                    double horizon_days)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_finite(confidence, __func__, "confidence"));
    /* Below 0.5 the quantile is negative and the "haircut" a gain. */
    if (!(confidence >= 0.5 && confidence < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: confidence must be in [0.5, 1), got %g",
                         __func__, confidence);
    KEEL_TRY(keel_check_nonneg(horizon_days, __func__, "horizon_days"));
    model->settings.vol_confidence = confidence;
    model->settings.vol_horizon_days = horizon_days + 0.0;
    model->settings.vol_scale = keel_norm_quantile(confidence) * sqrt(horizon_days / 365.0);
    return KEEL_OK;
}

keel_status keel_haircut_model_volatility_addon(const keel_haircut_model *model,
                                                double *out_confidence, double *out_horizon_days)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_confidence, __func__, "out_confidence"));
    KEEL_TRY(keel_check_ptr(out_horizon_days, __func__, "out_horizon_days"));
    *out_confidence = model->settings.vol_confidence;
    *out_horizon_days = model->settings.vol_horizon_days;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_liquidity_addon(keel_haircut_model *model, double k, double cap)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_nonneg(k, __func__, "k"));
    KEEL_TRY(keel_check_range(cap, 0.0, 1.0, __func__, "cap"));
    model->settings.liq_k = k + 0.0;
    model->settings.liq_cap = cap + 0.0;
    return KEEL_OK;
}

keel_status keel_haircut_model_liquidity_addon(const keel_haircut_model *model, double *out_k,
                                               double *out_cap)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_k, __func__, "out_k"));
    KEEL_TRY(keel_check_ptr(out_cap, __func__, "out_cap"));
    *out_k = model->settings.liq_k;
    *out_cap = model->settings.liq_cap;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_concentration(keel_haircut_model *model, keel_asset asset,
                                                 double max_share, double extra)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_finite(max_share, __func__, "max_share"));
    if (!(max_share > 0.0 && max_share <= 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: max_share must be in (0, 1], got %g", __func__,
                         max_share);
    KEEL_TRY(keel_check_range(extra, 0.0, 1.0, __func__, "extra"));
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    model->settings.concentration_count -= e->has_concentration ? 1 : 0;
    e->has_concentration = max_share < 1.0;
    model->settings.concentration_count += e->has_concentration ? 1 : 0;
    e->max_share = max_share;
    e->extra = extra + 0.0;
    prune(model, asset);
    return KEEL_OK;
}

keel_status keel_haircut_model_concentration(const keel_haircut_model *model, keel_asset asset,
                                             double *out_max_share, double *out_extra)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_max_share, __func__, "out_max_share"));
    KEEL_TRY(keel_check_ptr(out_extra, __func__, "out_extra"));
    keel_asset_terms t = keel_haircut_terms(model, asset);
    *out_max_share = t.max_share;
    *out_extra = t.extra;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_concentration_mode(keel_haircut_model *model,
                                                      keel_concentration_mode mode)
{
    CHECK_MODEL(model);
    if (mode != KEEL_CONCENTRATION_EXTRA && mode != KEEL_CONCENTRATION_EXCLUDE)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown concentration mode %d", __func__,
                         (int)mode);
    model->settings.conc_mode = mode;
    return KEEL_OK;
}

keel_status keel_haircut_model_concentration_mode(const keel_haircut_model *model,
                                                  keel_concentration_mode *out_mode)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_mode, __func__, "out_mode"));
    *out_mode = model->settings.conc_mode;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_peg_group(keel_haircut_model *model, keel_asset asset,
                                             uint32_t group)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    e->peg_group = group;
    prune(model, asset);
    return KEEL_OK;
}

keel_status keel_haircut_model_peg_group(const keel_haircut_model *model, keel_asset asset,
                                         uint32_t *out_group)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_group, __func__, "out_group"));
    *out_group = keel_haircut_terms(model, asset).peg_group;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_peg_mismatch_addon(keel_haircut_model *model, double addon)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_range(addon, 0.0, 1.0, __func__, "addon"));
    model->settings.peg_addon = addon + 0.0;
    return KEEL_OK;
}

keel_status keel_haircut_model_peg_mismatch_addon(const keel_haircut_model *model,
                                                  double *out_addon)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_addon, __func__, "out_addon"));
    *out_addon = model->settings.peg_addon;
    return KEEL_OK;
}

keel_status keel_haircut_model_set_portfolio_mode(keel_haircut_model *model, int enabled)
{
    CHECK_MODEL(model);
    model->settings.portfolio = enabled != 0;
    return KEEL_OK;
}

keel_status keel_haircut_model_portfolio_mode(const keel_haircut_model *model, int *out_enabled)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_enabled, __func__, "out_enabled"));
    *out_enabled = model->settings.portfolio ? 1 : 0;
    return KEEL_OK;
}
