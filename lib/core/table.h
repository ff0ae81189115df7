/* A growable array of records kept sorted by a keel_asset key, the first
 * member of each record: the store behind baskets, haircut models and cost
 * models (one copy of the binary search and of the grow-shift-insert). */
#ifndef KEEL_TABLE_H
#define KEEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "keel/core.h"

typedef struct keel_table {
    void *items;
    size_t count, capacity, item_size;
} keel_table;

#define KEEL_TABLE_INIT(type) { NULL, 0, 0, sizeof(type) }

/* Slot where `key` is, or would be inserted; *found tells which. */
size_t keel_table_find(const keel_table *t, keel_asset key, bool *found);

/* The record in `slot`. */
static inline void *keel_table_at(const keel_table *t, size_t slot)
{
    return (char *)t->items + slot * t->item_size;
}

/* The record for `key`, or NULL when there is none. */
void *keel_table_get(const keel_table *t, keel_asset key);

/* Opens a zeroed record with `key` at `slot` (from keel_table_find), growing
 * the array if needed; NULL when out of memory, with the table unchanged. */
void *keel_table_insert(keel_table *t, size_t slot, keel_asset key);

/* The record for `key`, inserted zeroed when absent; NULL when out of memory. */
void *keel_table_upsert(keel_table *t, keel_asset key);

/* Removes the record in `slot`. */
void keel_table_remove(keel_table *t, size_t slot);

/* Makes `dst` an exact copy of `src` (dst must be empty); false when out of memory. */
bool keel_table_copy(keel_table *dst, const keel_table *src);

/* Frees the array. */
void keel_table_free(keel_table *t);

#endif
