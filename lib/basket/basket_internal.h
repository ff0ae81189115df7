/* Private view of keel_basket for the modules that value it. */
#ifndef KEEL_BASKET_INTERNAL_H
#define KEEL_BASKET_INTERNAL_H

#include <stdbool.h>

#include "keel/basket.h"

/* The positions in increasing asset id, and their number. */
const keel_position *keel_basket_data(const keel_basket *basket, size_t *count);

/* A fingerprint of the positions (FNV-1a over their bytes), to recognise the
 * state a plan was made for. */
uint64_t keel_basket_fingerprint(const keel_basket *basket);

/* Adds `delta` to the collateral (debt = false) or debt of `asset`, like
 * keel_basket_add_collateral/_debt but naming `fn` in errors; a removal that
 * overshoots the holding by rounding alone (16 ulps of the larger operand)
 * empties the position instead of failing. */
keel_status keel_basket_move(keel_basket *basket, keel_asset asset, bool debt, double delta,
                             const char *fn);

/* Empties the basket (keel_basket_clear without the handle check). */
void keel_basket_reset(keel_basket *basket);

/* keel_basket_clone() for a checked basket; errors name `fn`. */
keel_status keel_basket_copy(const keel_basket *basket, keel_basket **out, const char *fn);

/* Frees a basket made by keel_basket_copy() (NULL: nothing). */
void keel_basket_destroy(keel_basket *basket);

/* The collateral (debt = false) or debt of `asset`; 0 when not held. */
double keel_basket_quantity(const keel_basket *basket, keel_asset asset, bool debt);

/* Exchanges the positions of two baskets (no allocation). */
void keel_basket_swap_positions(keel_basket *a, keel_basket *b);

#endif
