/* Private view of keel_haircut_model for the modules that value baskets:
 * the parameters only; lib/risk evaluates them against a basket and market. */
#ifndef KEEL_HAIRCUT_INTERNAL_H
#define KEEL_HAIRCUT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/haircut.h"

/* The per-asset terms, with defaults filled in for what is not set. */
typedef struct keel_asset_terms {
    bool has_schedule;    /* false: the asset counts for nothing as collateral */
    double initial;       /* 1 when no schedule */
    double maintenance;   /* 1 when no schedule */
    double borrow_factor; /* 1 when not set */
    double cap;           /* 1 when not set */
    double max_share;     /* 1 when not set */
    double extra;         /* 0 when not set */
    uint32_t peg_group;   /* 0: no group */
} keel_asset_terms;

/* The model-wide settings. */
typedef struct keel_haircut_settings {
    double vol_confidence;
    double vol_horizon_days; /* 0: volatility add-on off */
    double liq_k;            /* 0: liquidity add-on off */
    double liq_cap;
    double peg_addon;        /* 0: off */
    double vol_scale;        /* z(confidence) sqrt(horizon in years), 0 when off */
    keel_concentration_mode conc_mode;
    bool portfolio;
    size_t concentration_count; /* assets with max_share < 1 */
} keel_haircut_settings;

keel_asset_terms keel_haircut_terms(const keel_haircut_model *model, keel_asset asset);
/* The same, for ids visited in increasing order: *cursor starts at 0 and
 * carries the search position from one id to the next. */
keel_asset_terms keel_haircut_terms_from(const keel_haircut_model *model, keel_asset asset,
                                         size_t *cursor);
const keel_haircut_settings *keel_haircut_settings_of(const keel_haircut_model *model);

/* Feeds every setting and per-asset term of the model into fingerprint h. */
uint64_t keel_haircut_model_fingerprint(const keel_haircut_model *model, uint64_t h);

/* keel_haircut_model_clone() for a checked handle and a non-NULL out; errors (only
 * KEEL_E_NOMEM) name `fn`. */
keel_status keel_haircut_model_copy(const keel_haircut_model *model, keel_haircut_model **out, const char *fn);

#endif
