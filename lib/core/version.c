#include "core_internal.h"

const char *keel_version(void)
{
    return KEEL_VERSION_STRING;
}

unsigned keel_version_number(void)
{
    return KEEL_VERSION_NUMBER;
}
