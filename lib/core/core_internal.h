/* Private interface of lib/core to the rest of the library: error reporting,
 * allocation through the hook, handle tags and argument checks. */
#ifndef KEEL_CORE_INTERNAL_H
#define KEEL_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "keel/core.h"

/* The year of every horizon given in days (VaR horizons, margin horizons,
 * daily volatility): 365 calendar days, as crypto markets trade every day. */
#define KEEL_DAYS_PER_YEAR 365.0

#if defined(__GNUC__)
#define KEEL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define KEEL_PRINTF(fmt, args)
#endif

/* Records the detail text for this thread and returns status, so that a
 * failing check reads `return keel_fail(KEEL_E_..., "...", ...);`. */
keel_status keel_fail(keel_status status, const char *fmt, ...) KEEL_PRINTF(2, 3);

/* Allocation through the installed hook. keel_alloc_array() and
 * keel_realloc_array() return NULL when count * size overflows. */
void *keel_alloc(size_t size);
void *keel_alloc_array(size_t count, size_t size);
void *keel_realloc_array(void *ptr, size_t count, size_t size);
void keel_dealloc(void *ptr);

/* Every handle struct starts with a uint32_t tag, so a pointer to any handle
 * can be checked for its type. _free() writes KEEL_TAG_FREED before releasing. */
enum {
    KEEL_TAG_MARKET = 0x4b4d4b54u,  /* "KMKT" */
    KEEL_TAG_BASKET = 0x4b42534bu,  /* "KBSK" */
    KEEL_TAG_HAIRCUT = 0x4b484354u, /* "KHCT" */
    KEEL_TAG_OPTIONS = 0x4b4f5054u, /* "KOPT" */
    KEEL_TAG_COST = 0x4b43534bu,    /* "KCSK" */
    KEEL_TAG_PLAN = 0x4b504c4eu,    /* "KPLN" */
    KEEL_TAG_POLICY = 0x4b504f4cu,  /* "KPOL" */
    KEEL_TAG_SIM = 0x4b53494du,     /* "KSIM" */
    KEEL_TAG_STATS = 0x4b535453u,   /* "KSTS" */
    KEEL_TAG_AAVE_MARKET = 0x4b41564du,  /* "KAVM" */
    KEEL_TAG_AAVE_ACCOUNT = 0x4b415641u, /* "KAVA" */
    KEEL_TAG_COMET_MARKET = 0x4b434d4du,  /* "KCMM" */
    KEEL_TAG_COMET_ACCOUNT = 0x4b434d41u, /* "KCMA" */
    KEEL_TAG_MORPHO_MARKET = 0x4b4d504du, /* "KMPM" */
    KEEL_TAG_FREED = 0x4b444544u    /* "KDED" */
};

/* Allocates a zeroed handle of `size` bytes with `tag` set and counts it alive. */
void *keel_handle_alloc(size_t size, uint32_t tag);
/* Marks a handle freed, releases it and counts it gone. */
void keel_handle_release(void *handle);
/* True when `handle` is non-NULL and carries `tag` (used by _free functions). */
bool keel_handle_is(const void *handle, uint32_t tag);

/* Checks that `handle` is a live handle of type `tag`; `fn` and `what` name
 * the caller and argument in the detail text. */
keel_status keel_check_handle(const void *handle, uint32_t tag, const char *fn,
                              const char *what);

/* Argument checks: each returns KEEL_OK or fails with a message naming
 * `fn` and the argument `name`. */
keel_status keel_check_ptr(const void *ptr, const char *fn, const char *name);

/* Size-prefixed structs (docs/abi.md): the caller sets the leading size_t
 * `size` to what it knows of the struct, and the library reads or writes
 * only that much, so programs built against an older header keep working.
 * keel_check_sized: KEEL_E_NULL_ARG when `s` (argument `name`) is NULL,
 * KEEL_E_OUT_OF_RANGE when its size does not even cover the size member;
 * `type` names the struct in the message. */
keel_status keel_check_sized_fail(const void *s, const char *fn, const char *name,
                                  const char *type);
static inline keel_status keel_check_sized(const void *s, const char *fn, const char *name,
                                           const char *type)
{
    size_t size = 0;
    if (s != NULL)
        memcpy(&size, s, sizeof size);
    if (size >= sizeof(size_t))
        return KEEL_OK; /* the common case inline; the failures out of line */
    return keel_check_sized_fail(s, fn, name, type);
}

/* Copies what fits of the library's `src` (`full` bytes) into the caller's
 * `dst`; dst's size member keeps the caller's value. */
static inline void keel_write_sized(void *dst, const void *src, size_t full)
{
    size_t size;
    memcpy(&size, dst, sizeof size);
    memcpy(dst, src, size < full ? size : full);
    memcpy(dst, &size, sizeof size);
}

/* Reads what the caller's `src` has into `dst` (`full` bytes, holding the
 * defaults for what an older caller does not know); dst's size member keeps
 * its value. */
static inline void keel_read_sized(void *dst, size_t full, const void *src)
{
    size_t size, own;
    memcpy(&size, src, sizeof size);
    memcpy(&own, dst, sizeof own);
    memcpy(dst, src, size < full ? size : full);
    memcpy(dst, &own, sizeof own);
}
/* An asset symbol: 1..KEEL_SYMBOL_MAX printable ASCII bytes without spaces
 * (KEEL_E_NULL_ARG, KEEL_E_INVALID_SYMBOL). */
keel_status keel_check_symbol(const char *symbol, const char *fn);
keel_status keel_check_finite(double x, const char *fn, const char *name);
/* finite and >= 0 */
keel_status keel_check_nonneg(double x, const char *fn, const char *name);
/* finite and > 0 */
keel_status keel_check_positive(double x, const char *fn, const char *name);
/* finite and in [lo, hi] */
keel_status keel_check_range(double x, double lo, double hi, const char *fn, const char *name);

/* The body of every keel_*_init function: checks `params` and `size` (at
 * least the size member; `fn` and `type` name the caller and struct in the
 * detail text), copies the first min(size, full_size) bytes of `defaults`,
 * zeroes the rest of a larger caller's struct, and sets its size to `size`. */
keel_status keel_init_sized(void *params, size_t size, const void *defaults, size_t full_size,
                            const char *fn, const char *type);

/* Defines `keel_status type##_init(type *params, size_t size)` over the
 * public initialiser macro, so that the numbers are written once. */
#define KEEL_DEFINE_PARAMS_INIT(type, initializer)                                 \
    keel_status type##_init(type *params, size_t size)                             \
    {                                                                              \
        static const type defaults = initializer;                                  \
        return keel_init_sized(params, size, &defaults, sizeof defaults, __func__, \
                               #type);                                             \
    }

/* FNV-1a offset basis: the start of a fingerprint. */
#define KEEL_HASH_INIT 1469598103934665603ull
/* Feeds one 64-bit word / one double (its bits, -0 as +0) into a fingerprint. */
uint64_t keel_hash_word(uint64_t h, uint64_t word);
uint64_t keel_hash_double(uint64_t h, double d);

/* Propagates a non-OK status. */
#define KEEL_TRY(expr)                      \
    do {                                    \
        keel_status keel_try_s_ = (expr);   \
        if (keel_try_s_ != KEEL_OK)         \
            return keel_try_s_;             \
    } while (0)

#endif /* KEEL_CORE_INTERNAL_H */
