/*
 * mem-guest.c: bench_alloc for the Multiboot guest: a bump allocator over
 * the RAM above the image (bench.ld's _end), which mb-crt0.S's page tables
 * identity-map up to 4 GiB.  The loader tells us nothing about RAM here
 * (main gets NULL), so the limit is the -m 1024 that bench/run.sh gives.
 */
#include "bench.h"

#define BENCH_RAM_END (1024ull << 20)
#define BENCH_ALIGN   (2ull << 20)

extern char _end[];
static uint64_t next_free;

void *bench_alloc(size_t size)
{
    if (!next_free) {
        next_free = ((uint64_t)(uintptr_t)_end + BENCH_ALIGN - 1) & ~(BENCH_ALIGN - 1);
    }
    uint64_t p = next_free;
    if (size > BENCH_RAM_END - p) {
        tern_printf("bench_alloc: %lu bytes do not fit below 1 GiB (run with -m 1024)\n",
                    (unsigned long)size);
        tern_exit(2);
    }
    next_free = (p + size + BENCH_ALIGN - 1) & ~(BENCH_ALIGN - 1);
    return (void *)(uintptr_t)p;
}

/* Every page is executable in mb-crt0.S's page tables. */
void *bench_alloc_code(size_t size)
{
    return bench_alloc(size);
}
