/* Private view of keel_basket for the modules that value it. */
#ifndef KEEL_BASKET_INTERNAL_H
#define KEEL_BASKET_INTERNAL_H

#include "keel/basket.h"

/* The positions in increasing asset id, and their number. */
const keel_position *keel_basket_data(const keel_basket *basket, size_t *count);

/* A fingerprint of the positions (FNV-1a over their bytes), to recognise the
 * state a plan was made for. */
uint64_t keel_basket_fingerprint(const keel_basket *basket);

/* Exchanges the positions of two baskets (no allocation). */
void keel_basket_swap_positions(keel_basket *a, keel_basket *b);

#endif
