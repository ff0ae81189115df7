/* The allocator hook (one process-wide setting, like SQLite's
 * SQLITE_CONFIG_MALLOC) and the count of live handles that guards it. */
#include <stdatomic.h>
#include <stdlib.h>

#include "core_internal.h"

static void *default_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *default_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void default_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static keel_allocator current = { default_malloc, default_realloc, default_free, NULL };
static atomic_size_t live_handles;

keel_status keel_set_allocator(const keel_allocator *allocator)
{
    if (atomic_load(&live_handles) != 0)
        return keel_fail(KEEL_E_STATE,
                         "keel_set_allocator: %zu handles are alive; set the allocator before creating any",
                         atomic_load(&live_handles));
    if (allocator == NULL) {
        current = (keel_allocator){ default_malloc, default_realloc, default_free, NULL };
        return KEEL_OK;
    }
    if (!allocator->malloc_fn || !allocator->realloc_fn || !allocator->free_fn)
        return keel_fail(KEEL_E_NULL_ARG,
                         "keel_set_allocator: malloc_fn, realloc_fn and free_fn must all be set");
    current = *allocator;
    return KEEL_OK;
}

size_t keel_live_handles(void)
{
    return atomic_load(&live_handles);
}

void *keel_alloc(size_t size)
{
    return current.malloc_fn(current.user, size ? size : 1);
}

void *keel_alloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return keel_alloc(count * size);
}

void *keel_realloc_array(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
    if (ptr == NULL)
        return keel_alloc(bytes);
    return current.realloc_fn(current.user, ptr, bytes ? bytes : 1);
}

void keel_dealloc(void *ptr)
{
    if (ptr != NULL)
        current.free_fn(current.user, ptr);
}

void *keel_handle_alloc(size_t size, uint32_t tag)
{
    unsigned char *h = keel_alloc(size);
    if (h == NULL)
        return NULL;
    for (size_t i = 0; i < size; i++)
        h[i] = 0;
    *(uint32_t *)(void *)h = tag;
    atomic_fetch_add(&live_handles, 1);
    return h;
}

void keel_handle_release(void *handle)
{
    if (handle == NULL)
        return;
    *(uint32_t *)handle = KEEL_TAG_FREED;
    keel_dealloc(handle);
    atomic_fetch_sub(&live_handles, 1);
}
