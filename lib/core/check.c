/* Argument and handle checks shared by every module, so that each failure
 * names the function, the argument and the value. */
#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "keel/market.h" /* KEEL_SYMBOL_MAX */

static const char *type_name(uint32_t tag)
{
    switch (tag) {
    case KEEL_TAG_MARKET: return "keel_market";
    case KEEL_TAG_BASKET: return "keel_basket";
    case KEEL_TAG_HAIRCUT: return "keel_haircut_model";
    case KEEL_TAG_OPTIONS: return "keel_options";
    case KEEL_TAG_COST: return "keel_cost_model";
    case KEEL_TAG_PLAN: return "keel_plan";
    case KEEL_TAG_POLICY: return "keel_policy";
    case KEEL_TAG_SIM: return "keel_sim";
    case KEEL_TAG_STATS: return "keel_sim_stats";
    case KEEL_TAG_AAVE_MARKET: return "keel_aave_market";
    case KEEL_TAG_AAVE_ACCOUNT: return "keel_aave_account";
    default: return "unknown";
    }
}

bool keel_handle_is(const void *handle, uint32_t tag)
{
    return handle != NULL && *(const uint32_t *)handle == tag;
}

keel_status keel_check_handle(const void *handle, uint32_t tag, const char *fn, const char *what)
{
    if (handle == NULL)
        return keel_fail(KEEL_E_NULL_ARG, "%s: %s is NULL", fn, what);
    uint32_t found = *(const uint32_t *)handle;
    if (found == tag)
        return KEEL_OK;
    if (found == KEEL_TAG_FREED)
        return keel_fail(KEEL_E_BAD_HANDLE, "%s: %s was already freed", fn, what);
    return keel_fail(KEEL_E_BAD_HANDLE, "%s: %s is not a %s (found %s)", fn, what,
                     type_name(tag), type_name(found));
}

keel_status keel_check_ptr(const void *ptr, const char *fn, const char *name)
{
    if (ptr == NULL)
        return keel_fail(KEEL_E_NULL_ARG, "%s: %s is NULL", fn, name);
    return KEEL_OK;
}

keel_status keel_check_finite(double x, const char *fn, const char *name)
{
    if (!isfinite(x))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: %s must be finite, got %g", fn, name, x);
    return KEEL_OK;
}

keel_status keel_check_nonneg(double x, const char *fn, const char *name)
{
    KEEL_TRY(keel_check_finite(x, fn, name));
    if (x < 0.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s must be >= 0, got %g", fn, name, x);
    return KEEL_OK;
}

keel_status keel_check_positive(double x, const char *fn, const char *name)
{
    KEEL_TRY(keel_check_finite(x, fn, name));
    if (!(x > 0.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s must be > 0, got %g", fn, name, x);
    return KEEL_OK;
}

keel_status keel_check_range(double x, double lo, double hi, const char *fn, const char *name)
{
    KEEL_TRY(keel_check_finite(x, fn, name));
    if (x < lo || x > hi)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s must be in [%g, %g], got %g", fn, name,
                         lo, hi, x);
    return KEEL_OK;
}

keel_status keel_check_sized_fail(const void *s, const char *fn, const char *name,
                                  const char *type)
{
    KEEL_TRY(keel_check_ptr(s, fn, name));
    size_t size;
    memcpy(&size, s, sizeof size);
    if (size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s->size is %zu; set it to sizeof(%s)", fn, name,
                         size, type);
    return KEEL_OK;
}

keel_status keel_check_symbol(const char *symbol, const char *fn)
{
    KEEL_TRY(keel_check_ptr(symbol, fn, "symbol"));
    size_t len = 0;
    for (; symbol[len] != '\0'; len++) {
        unsigned char ch = (unsigned char)symbol[len];
        if (len >= KEEL_SYMBOL_MAX)
            return keel_fail(KEEL_E_INVALID_SYMBOL, "%s: symbol is longer than %d bytes", fn,
                             KEEL_SYMBOL_MAX);
        if (ch < 0x21 || ch > 0x7e)
            return keel_fail(KEEL_E_INVALID_SYMBOL,
                             "%s: symbol byte %zu is 0x%02x; only printable ASCII without spaces is allowed",
                             fn, len, ch);
    }
    if (len == 0)
        return keel_fail(KEEL_E_INVALID_SYMBOL, "%s: symbol is empty", fn);
    return KEEL_OK;
}
