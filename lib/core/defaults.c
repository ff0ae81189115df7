/* Filling a caller's size-prefixed parameter struct with the library's
 * defaults: the one body behind every keel_*_init function. */
#include <string.h>

#include "core_internal.h"

keel_status keel_init_sized(void *params, size_t size, const void *defaults, size_t full_size,
                            const char *fn, const char *type)
{
    if (params == NULL)
        return keel_fail(KEEL_E_NULL_ARG, "%s: params is NULL", fn);
    if (size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: size is %zu; pass sizeof(%s) (%zu)", fn, size,
                         type, full_size);
    /* a caller built against a newer header holds fields this library does
     * not know: they are zeroed, and this library never reads them */
    if (size > full_size)
        memset((char *)params + full_size, 0, size - full_size);
    memcpy(params, defaults, size < full_size ? size : full_size);
    *(size_t *)params = size;
    return KEEL_OK;
}
