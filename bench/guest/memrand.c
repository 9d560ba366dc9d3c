/*
 * memrand.c: random reads and writes over a 256 MiB array (TLB stress:
 * nearly every access touches another 4 KiB page), after one sequential
 * pass that fills it.
 */
#include "bench.h"

#define WORDS   ((256u << 20) / 8)
#define ACCESSES (3u << 20)

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t *a = bench_alloc((size_t)WORDS * 8), seed = 7, sum = 0;
    unsigned accesses = ACCESSES;

    OPAQUE(accesses);
    for (uint32_t i = 0; i < WORDS; i++) {
        a[i] = i * 0x9e3779b97f4a7c15ull;
    }
    /* an LCG index: cheap next to the miss it causes */
    uint64_t x = bench_rand(&seed);
    for (unsigned k = 0; k < accesses; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t i = (uint32_t)(x >> 39);       /* 25 bits: 0..WORDS-1 */
        uint64_t v = a[i];
        sum += v;
        a[(i ^ (uint32_t)v) & (WORDS - 1)] = v + k;
    }
    for (uint32_t i = 0; i < WORDS; i += 4099) {
        sum = bench_mix(sum, a[i]);
    }
    return bench_done(sum);
}
