/* Private view of keel_basket for the modules that value it. */
#ifndef KEEL_BASKET_INTERNAL_H
#define KEEL_BASKET_INTERNAL_H

#include "keel/basket.h"

/* The positions in increasing asset id, and their number. */
const keel_position *keel_basket_data(const keel_basket *basket, size_t *count);

#endif
