/*
 * mem-native.c: bench_alloc for the native builds of the workloads:
 * anonymous mmap, read-write, or read-write-execute for code.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "bench.h"

static void *map(size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED) {
        tern_printf("bench_alloc: mmap of %lu bytes failed\n", (unsigned long)size);
        tern_exit(2);
    }
    return p;
}

void *bench_alloc(size_t size)
{
    return map(size, PROT_READ | PROT_WRITE);
}

void *bench_alloc_code(size_t size)
{
    return map(size, PROT_READ | PROT_WRITE | PROT_EXEC);
}
