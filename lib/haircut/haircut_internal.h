/* Private view of keel_haircut_model for the modules that value baskets. */
#ifndef KEEL_HAIRCUT_INTERNAL_H
#define KEEL_HAIRCUT_INTERNAL_H

#include "keel/haircut.h"

/* The terms that apply to one asset: haircuts (1 and 1 when none is set) and
 * borrow factor (1 when none is set). */
typedef struct keel_asset_terms {
    double initial;
    double maintenance;
    double borrow_factor;
} keel_asset_terms;

keel_asset_terms keel_haircut_terms(const keel_haircut_model *model, keel_asset asset);

#endif
