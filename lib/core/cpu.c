/* Runtime detection of the vector targets of lib/core/cpu.h. */
#include "cpu.h"

int keel_isa_usable(keel_isa isa) {
    switch (isa) {
    case KEEL_ISA_SCALAR:
        return 1;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    case KEEL_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KEEL_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
#endif
    default:
        return 0;
    }
}

keel_isa keel_isa_best(void) {
    if (keel_isa_usable(KEEL_ISA_AVX512))
        return KEEL_ISA_AVX512;
    if (keel_isa_usable(KEEL_ISA_AVX2))
        return KEEL_ISA_AVX2;
    return KEEL_ISA_SCALAR;
}

const char *keel_isa_name(keel_isa isa) {
    switch (isa) {
    case KEEL_ISA_SCALAR:
        return "scalar";
    case KEEL_ISA_AVX2:
        return "avx2";
    case KEEL_ISA_AVX512:
        return "avx512";
    default:
        return "unknown";
    }
}
