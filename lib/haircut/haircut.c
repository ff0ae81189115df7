/* keel_haircut_model's parameters: per-asset entries sorted by asset id (base
 * haircuts, borrow factor, cap, concentration limit, peg group, each
 * optional) and the model-wide add-on settings. Evaluating them against a
 * basket is lib/risk's work. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/table.h"
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
    keel_table entries; /* entry, sorted by asset */
    keel_haircut_settings settings;
};

#define CHECK_MODEL(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_HAIRCUT, __func__, "model"))

keel_asset_terms keel_haircut_terms(const keel_haircut_model *model, keel_asset asset)
{
    size_t cursor = 0;
    return keel_haircut_terms_from(model, asset, &cursor);
}

keel_asset_terms keel_haircut_terms_from(const keel_haircut_model *model, keel_asset asset,
                                         size_t *cursor)
{
    keel_asset_terms t = { .has_schedule = false, .initial = 1.0, .maintenance = 1.0,
                           .borrow_factor = 1.0, .cap = 1.0, .max_share = 1.0, .extra = 0.0,
                           .peg_group = 0 };
    /* Binary search in [cursor, count): callers walking ascending ids pass
     * the cursor the previous id left. */
    const entry *items = model->entries.items;
    size_t n = model->entries.count;
    size_t lo = *cursor < n ? *cursor : n, hi = n;
    const entry *e = NULL;
    if (lo < n && items[lo].asset == asset) /* the walk's next id is often the next entry */
        e = &items[lo], hi = lo;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[mid].asset == asset) {
            e = &items[mid];
            lo = mid;
            break;
        }
        if (items[mid].asset < asset)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* the next, larger id is after a found entry, at or after a missing one's slot */
    *cursor = e != NULL ? (size_t)(e - items) + 1 : lo;
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
    m->entries = (keel_table)KEEL_TABLE_INIT(entry);
    m->settings = (keel_haircut_settings){ .vol_confidence = 0.99, .liq_cap = 1.0,
                                           .conc_mode = KEEL_CONCENTRATION_EXTRA };
    *out = m;
    return KEEL_OK;
}

void keel_haircut_model_free(keel_haircut_model *model)
{
    if (!keel_handle_is(model, KEEL_TAG_HAIRCUT))
        return;
    keel_table_free(&model->entries);
    keel_handle_release(model);
}

keel_status keel_haircut_model_copy(const keel_haircut_model *model, keel_haircut_model **out, const char *fn)
{
    keel_haircut_model *c = keel_handle_alloc(sizeof *c, KEEL_TAG_HAIRCUT);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    c->settings = model->settings;
    if (!keel_table_copy(&c->entries, &model->entries)) {
        keel_haircut_model_free(c);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = c;
    return KEEL_OK;
}

keel_status keel_haircut_model_clone(const keel_haircut_model *model, keel_haircut_model **out)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_haircut_model_copy(model, out, __func__);
}

/* The entry for `asset`, inserted empty if absent; NULL when out of memory. */
static entry *entry_for(keel_haircut_model *m, keel_asset asset)
{
    return keel_table_upsert(&m->entries, asset);
}

/* Drops an entry that carries nothing any more. */
static void prune(keel_haircut_model *m, keel_asset asset)
{
    bool found;
    size_t slot = keel_table_find(&m->entries, asset, &found);
    if (!found)
        return;
    const entry *e = keel_table_at(&m->entries, slot);
    if (e->has_haircut || e->has_factor || e->has_cap || e->has_concentration ||
        e->peg_group != 0)
        return;
    keel_table_remove(&m->entries, slot);
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
    /* initial 1 is an LTV of 0: collateral that counts toward the health
     * factor but adds no borrowing power (Aave v3 lists assets so) */
    if (initial < 0.0 || initial > 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: initial haircut must be in [0, 1], got %g",
                         __func__, initial);
    if (maintenance < 0.0 || maintenance > initial || maintenance >= 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: maintenance haircut must be in [0, min(initial = %g, 1)), got %g",
                         __func__, initial, maintenance);
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
    entry *e = keel_table_get(&model->entries, asset);
    if (e != NULL) {
        e->has_haircut = false;
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
    model->settings.vol_scale = keel_norm_quantile(confidence) * sqrt(horizon_days / KEEL_DAYS_PER_YEAR);
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

uint64_t keel_haircut_model_fingerprint(const keel_haircut_model *model, uint64_t h)
{
    const keel_haircut_settings *s = &model->settings;
    h = keel_hash_double(h, s->vol_confidence);
    h = keel_hash_double(h, s->vol_horizon_days);
    h = keel_hash_double(h, s->liq_k);
    h = keel_hash_double(h, s->liq_cap);
    h = keel_hash_double(h, s->peg_addon);
    h = keel_hash_word(h, (uint64_t)s->conc_mode);
    h = keel_hash_word(h, s->portfolio);
    const entry *items = model->entries.items;
    for (size_t k = 0; k < model->entries.count; k++) {
        const entry *e = &items[k];
        h = keel_hash_word(h, e->asset);
        h = keel_hash_word(h, (uint64_t)e->has_haircut | (uint64_t)e->has_factor << 1 |
                                  (uint64_t)e->has_cap << 2 | (uint64_t)e->has_concentration << 3);
        h = keel_hash_double(h, e->initial);
        h = keel_hash_double(h, e->maintenance);
        h = keel_hash_double(h, e->factor);
        h = keel_hash_double(h, e->cap);
        h = keel_hash_double(h, e->max_share);
        h = keel_hash_double(h, e->extra);
        h = keel_hash_word(h, e->peg_group);
    }
    return h;
}
