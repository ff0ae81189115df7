#include <string.h>

#include "core_internal.h"
#include "table.h"

static keel_asset key_of(const keel_table *t, size_t slot)
{
    keel_asset k;
    memcpy(&k, keel_table_at(t, slot), sizeof k);
    return k;
}

size_t keel_table_find(const keel_table *t, keel_asset key, bool *found)
{
    size_t lo = 0, hi = t->count;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        keel_asset k = key_of(t, mid);
        if (k == key) {
            *found = true;
            return mid;
        }
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void *keel_table_get(const keel_table *t, keel_asset key)
{
    bool found;
    size_t slot = keel_table_find(t, key, &found);
    return found ? keel_table_at(t, slot) : NULL;
}

void *keel_table_insert(keel_table *t, size_t slot, keel_asset key)
{
    if (t->count == t->capacity) {
        size_t cap = t->capacity ? t->capacity * 2 : 8;
        void *grown = keel_realloc_array(t->items, cap, t->item_size);
        if (grown == NULL)
            return NULL;
        t->items = grown;
        t->capacity = cap;
    }
    char *at = keel_table_at(t, slot);
    memmove(at + t->item_size, at, (t->count - slot) * t->item_size);
    memset(at, 0, t->item_size);
    memcpy(at, &key, sizeof key);
    t->count++;
    return at;
}

void *keel_table_upsert(keel_table *t, keel_asset key)
{
    bool found;
    size_t slot = keel_table_find(t, key, &found);
    return found ? keel_table_at(t, slot) : keel_table_insert(t, slot, key);
}

void keel_table_remove(keel_table *t, size_t slot)
{
    char *at = keel_table_at(t, slot);
    memmove(at, at + t->item_size, (t->count - slot - 1) * t->item_size);
    t->count--;
}

bool keel_table_copy(keel_table *dst, const keel_table *src)
{
    dst->item_size = src->item_size;
    if (src->count == 0)
        return true;
    dst->items = keel_alloc_array(src->count, src->item_size);
    if (dst->items == NULL)
        return false;
    memcpy(dst->items, src->items, src->count * src->item_size);
    dst->count = dst->capacity = src->count;
    return true;
}

void keel_table_free(keel_table *t)
{
    keel_dealloc(t->items);
    t->items = NULL;
    t->count = t->capacity = 0;
}
