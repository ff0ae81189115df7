/**
 * @file core.h
 * Status codes, per-thread error detail, the allocator hook, versions and the
 * export macro shared by every keel module.
 */
#ifndef KEEL_CORE_H
#define KEEL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "keel/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a declaration exported from libkeel (everything else is hidden). */
#if defined(KEEL_BUILDING_LIBRARY) && defined(__GNUC__)
#define KEEL_API __attribute__((visibility("default")))
#else
#define KEEL_API
#endif

/**
 * Marks a declaration of the experimental tier: an API that may still change
 * (signature, struct layout, behaviour) in a minor release while it matures.
 * Its symbols are in the version node KEEL_EXPERIMENTAL_0.1, apart from the
 * stable core (KEEL_0.1), and docs/abi.md says how one graduates. Define
 * KEEL_WARN_EXPERIMENTAL before including keel.h to have GCC and Clang warn
 * at every use (with -Werror, a program proves it uses only the stable core).
 */
#if defined(KEEL_WARN_EXPERIMENTAL) && defined(__GNUC__)
#define KEEL_EXPERIMENTAL \
    __attribute__((deprecated("experimental keel API: it may change in a minor release")))
#else
#define KEEL_EXPERIMENTAL
#endif

/**
 * Result of every fallible keel function. KEEL_OK is 0; every other value
 * names the first thing that was wrong. Values are fixed forever; new codes are
 * appended.
 */
typedef enum keel_status {
    KEEL_OK = 0,                 /**< Success. */
    KEEL_E_NULL_ARG = 1,         /**< A required pointer argument was NULL. */
    KEEL_E_NOT_FINITE = 2,       /**< A number was NaN or infinite where a finite one is needed. */
    KEEL_E_OUT_OF_RANGE = 3,     /**< A number was outside its allowed range (negative quantity, haircut >= 1, ...). */
    KEEL_E_BAD_HANDLE = 4,       /**< A handle of the wrong type, or one already freed. */
    KEEL_E_UNKNOWN_ASSET = 5,    /**< An asset id the market (or model) does not know. */
    KEEL_E_DUPLICATE = 6,        /**< A symbol that is already taken. */
    KEEL_E_NOT_FOUND = 7,        /**< A lookup found nothing (symbol, position index). */
    KEEL_E_INVALID_SYMBOL = 8,   /**< An empty, over-long or non-printable asset symbol. */
    KEEL_E_NOMEM = 9,            /**< The allocator returned NULL; nothing was changed. */
    KEEL_E_OVERFLOW = 10,        /**< A size or a value overflowed (too many assets, a value beyond double range). */
    KEEL_E_STATE = 11,           /**< The call is not allowed in the current state (allocator set while handles exist). */
    KEEL_E_BUFFER_TOO_SMALL = 12,/**< A caller buffer is too small; the needed size is reported. */
    KEEL_E_INFEASIBLE = 13,      /**< A target cannot be reached under the given limits. */
    KEEL_E_NO_CONVERGENCE = 14,  /**< An iterative method did not converge. */
    KEEL_E_CANCELLED = 15,       /**< A progress callback asked to stop. */
    KEEL_E_NOT_PSD = 16,         /**< A correlation matrix is not positive semi-definite. */
    KEEL_E_ARBITRAGE = 17        /**< A price lies outside its no-arbitrage bounds. */
} keel_status;

/**
 * Fixed English name of a status, e.g. "KEEL_E_NULL_ARG".
 *
 * @return a static string; "KEEL_E_UNKNOWN_STATUS" for a value that is not a keel_status.
 */
KEEL_API const char *keel_status_str(keel_status status);

/**
 * Detail text of the most recent failure on the calling thread.
 *
 * Each thread has its own text, written by every call that fails and left as
 * it is by calls that succeed.
 *
 * @return a NUL-terminated string owned by keel, valid until the next keel call
 *         on this thread; "" when nothing has failed on this thread.
 */
KEEL_API const char *keel_last_error(void);

/**
 * Version of the library that is linked, as a string "MAJOR.MINOR.PATCH".
 * Compare with KEEL_VERSION_STRING to detect a header/library mismatch.
 */
KEEL_API const char *keel_version(void);

/**
 * Version of the library that is linked, as
 * MAJOR * 10000 + MINOR * 100 + PATCH (the form of KEEL_VERSION_NUMBER).
 */
KEEL_API unsigned keel_version_number(void);

/**
 * Memory functions keel calls for every allocation it makes.
 *
 * All three must be set. @p user is passed back unchanged. realloc_fn follows
 * realloc(): it returns NULL on failure and then leaves the old block valid.
 */
typedef struct keel_allocator {
    /** Allocate @p size bytes (size > 0); NULL on failure. */
    void *(*malloc_fn)(void *user, size_t size);
    /** Resize @p ptr to @p size bytes (size > 0); NULL on failure, @p ptr untouched. */
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    /** Release @p ptr (never NULL). */
    void (*free_fn)(void *user, void *ptr);
    /** Passed as the first argument of each function. */
    void *user;
} keel_allocator;

/**
 * Installs the allocator used by every later keel allocation, process-wide.
 *
 * Call it before any handle exists and before other threads use keel: it is
 * the one process-wide setting, like SQLite's SQLITE_CONFIG_MALLOC.
 *
 * @param allocator the functions to use (copied); NULL restores malloc/realloc/free.
 * @return KEEL_OK; KEEL_E_STATE while any keel handle is alive (nothing changes);
 *         KEEL_E_NULL_ARG when one of the three functions is NULL.
 */
KEEL_API keel_status keel_set_allocator(const keel_allocator *allocator);

/**
 * Number of keel handles alive in the process (created and not yet freed).
 * Useful to check that a program frees everything, and to know whether
 * keel_set_allocator() may be called.
 */
KEEL_API size_t keel_live_handles(void);

/** Identifier of an asset, issued by keel_market_add_asset() in order 0, 1, 2, ... */
typedef uint32_t keel_asset;

/** A keel_asset value that no market ever issues. */
#define KEEL_ASSET_INVALID ((keel_asset)UINT32_MAX)

#ifdef __cplusplus
}
#endif

#endif /* KEEL_CORE_H */
