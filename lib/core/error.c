/* Status names and the per-thread error detail (the libgit2 model: a
 * thread-local last error; codes as in SQLite). */
#include <stdarg.h>
#include <stdio.h>

#include "core_internal.h"

#define KEEL_ERROR_CAP 512

static _Thread_local char last_error[KEEL_ERROR_CAP];

const char *keel_status_str(keel_status status)
{
    switch (status) {
    case KEEL_OK: return "KEEL_OK";
    case KEEL_E_NULL_ARG: return "KEEL_E_NULL_ARG";
    case KEEL_E_NOT_FINITE: return "KEEL_E_NOT_FINITE";
    case KEEL_E_OUT_OF_RANGE: return "KEEL_E_OUT_OF_RANGE";
    case KEEL_E_BAD_HANDLE: return "KEEL_E_BAD_HANDLE";
    case KEEL_E_UNKNOWN_ASSET: return "KEEL_E_UNKNOWN_ASSET";
    case KEEL_E_DUPLICATE: return "KEEL_E_DUPLICATE";
    case KEEL_E_NOT_FOUND: return "KEEL_E_NOT_FOUND";
    case KEEL_E_INVALID_SYMBOL: return "KEEL_E_INVALID_SYMBOL";
    case KEEL_E_NOMEM: return "KEEL_E_NOMEM";
    case KEEL_E_OVERFLOW: return "KEEL_E_OVERFLOW";
    case KEEL_E_STATE: return "KEEL_E_STATE";
    case KEEL_E_BUFFER_TOO_SMALL: return "KEEL_E_BUFFER_TOO_SMALL";
    case KEEL_E_INFEASIBLE: return "KEEL_E_INFEASIBLE";
    case KEEL_E_NO_CONVERGENCE: return "KEEL_E_NO_CONVERGENCE";
    case KEEL_E_CANCELLED: return "KEEL_E_CANCELLED";
    case KEEL_E_NOT_PSD: return "KEEL_E_NOT_PSD";
    case KEEL_E_ARBITRAGE: return "KEEL_E_ARBITRAGE";
    }
    return "KEEL_E_UNKNOWN_STATUS";
}

const char *keel_last_error(void)
{
    return last_error;
}

keel_status keel_fail(keel_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}
