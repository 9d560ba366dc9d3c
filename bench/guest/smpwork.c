/*
 * smpwork.c: a CPU-bound parallel workload for bench/smp.sh.  A fixed total
 * of CHUNKS independent chunks (intloop's integer loop, CHUNK_ITERS
 * iterations each, seeded by the chunk number) is shared out over every
 * CPU of the MADT (runtime/smp.c starts the APs): CPU c of N computes the
 * chunks c, c + N, ...  Nothing is shared but each CPU's result slot, on
 * its own cache line.  Prints the CPU count, the TSC time of the parallel
 * part and a checksum (the XOR of every chunk's result: the same for any
 * N).  Guest only: there is no native twin.
 */
#include "tern.h"

#define CHUNKS      48u
#define CHUNK_ITERS 32000000ull

static unsigned ncpus;
static struct { uint64_t sum; uint8_t pad[56]; } result[TERN_SMP_MAX_CPUS]
    __attribute__((aligned(64)));

static uint64_t chunk(uint64_t seed)
{
    uint64_t n = CHUNK_ITERS, x = seed + 1, y = 0x9e3779b97f4a7c15ull;

    OPAQUE(n);
    for (uint64_t i = 0; i < n; i++) {
        x = x * 0x5851f42d4c957f2dull + i;
        y ^= x >> 29;
        y += y << 3;
    }
    return x ^ y;
}

static void work(unsigned cpu)
{
    uint64_t sum = 0;

    for (unsigned c = cpu; c < CHUNKS; c += ncpus) {
        sum ^= chunk(c);
    }
    result[cpu].sum = sum;
}

int main(const struct tern_bootinfo *bi)
{
    uint64_t t0, t1, sum = 0;

    (void)bi;
    ncpus = smp_start_aps(NULL);
    if (ncpus != smp_cpu_count()) {
        tern_printf("smpwork: %u of %u CPUs came up\n", ncpus, smp_cpu_count());
        return 1;
    }
    t0 = tern_rdtsc();
    smp_run(work);
    t1 = tern_rdtsc();
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        sum ^= result[cpu].sum;
    }
    tern_printf("cpus %u\n", ncpus);
    tern_printf("work-us %lu\n", (unsigned long)((t1 - t0) / TERN_TSC_PER_US));
    tern_printf("checksum %016lx\n", (unsigned long)sum);
    return 0;
}
