/* Runtime dispatch of vector kernels: the widest instruction set the CPU
 * and the operating system support, chosen at run time so that the library
 * is built for baseline x86-64 (no -march) and its ABI does not depend on
 * the machine it was built on. Kernels are compiled per target with
 * __attribute__((target("..."))) and selected through keel_isa_best(). */
#ifndef KEEL_CPU_H
#define KEEL_CPU_H

typedef enum keel_isa {
    KEEL_ISA_SCALAR = 0, /* portable C, any CPU */
    KEEL_ISA_AVX2 = 1,   /* AVX2 + FMA (x86-64-v3) */
    KEEL_ISA_AVX512 = 2, /* AVX-512 F, DQ, VL (x86-64-v4 subset) */
    KEEL_ISA_COUNT = 3
} keel_isa;

/* The widest target usable here: the CPU reports it and the OS saves its
 * registers (GCC's and Clang's __builtin_cpu_supports read both CPUID and
 * XGETBV). Always KEEL_ISA_SCALAR off x86-64. Pure and thread-safe. */
keel_isa keel_isa_best(void);

/* Whether @p isa can run here (KEEL_ISA_SCALAR always can). Tests loop over
 * every target that can run to check that vector and scalar paths agree. */
int keel_isa_usable(keel_isa isa);

/* "scalar", "avx2", "avx512". */
const char *keel_isa_name(keel_isa isa);

#endif
