/*
 * bench.h: what the benchmark workloads of bench/guest/ share besides
 * tern.h (output, tern_exit): memory that is not in the image, and a
 * deterministic random number generator.
 *
 * Every workload is built three ways from one source (bench/build.mk): a
 * Multiboot guest that tern and QEMU boot alike (rt/mb-crt0.S,
 * rt/mem-guest.c), and a native Linux program, dynamic and static
 * (rt/mem-native.c).  Each prints one line "checksum %016lx" that must be
 * the same in all of them, and returns 0.
 */
#ifndef BENCH_H
#define BENCH_H

#include "tern.h"

/* size bytes of memory, 2 MiB aligned, never freed, contents undefined
 * (workloads fill what they use: zeroing 256 MiB would be timed in the
 * guest and lazy natively).  The guest's comes from RAM above the image,
 * so that a 256 MiB buffer does not make the Multiboot image 256 MiB; it
 * stops with a one-line error where RAM ends. */
void *bench_alloc(size_t size);
/* The same, also executable (codegen writes and runs machine code there). */
void *bench_alloc_code(size_t size);

/* splitmix64: a fixed-seed generator, the same sequence everywhere. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Fold v into a running checksum (order-sensitive). */
static inline uint64_t bench_mix(uint64_t sum, uint64_t v)
{
    sum ^= v + 0x9e3779b97f4a7c15ull + (sum << 6) + (sum >> 2);
    return sum;
}

/* Print the checksum line every build must agree on; returns main's 0. */
static inline int bench_done(uint64_t sum)
{
    tern_printf("checksum %016lx\n", (unsigned long)sum);
    return 0;
}

#endif
