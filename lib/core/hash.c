/* Fingerprints of inputs: FNV-1a (Fowler, Noll, Vo; 64-bit offset basis and
 * prime) fed one 64-bit word at a time, field by field, never a struct's
 * bytes (its padding is not ours). */
#include <string.h>

#include "core_internal.h"

uint64_t keel_hash_word(uint64_t h, uint64_t word)
{
    for (int i = 0; i < 8; i++)
        h = (h ^ ((word >> (8 * i)) & 0xff)) * 1099511628211ull;
    return h;
}

uint64_t keel_hash_double(uint64_t h, double d)
{
    uint64_t v;
    d += 0.0; /* -0 and +0 value alike */
    memcpy(&v, &d, sizeof v);
    return keel_hash_word(h, v);
}
