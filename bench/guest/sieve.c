/*
 * sieve.c: the sieve of Eratosthenes over the odd numbers below 16 Mi
 * (a byte each), several times: byte stores with a stride, then a scan.
 */
#include "bench.h"

#define LIMIT  (16u << 20)
#define ROUNDS 6

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint32_t n = LIMIT / 2;     /* flag i: is 2i + 1 composite? */
    uint8_t *composite = bench_alloc(n);
    unsigned rounds = ROUNDS;
    uint64_t sum = 0;

    OPAQUE(rounds);
    for (unsigned r = 0; r < rounds; r++) {
        for (uint32_t i = 0; i < n; i++) {
            composite[i] = 0;
        }
        for (uint32_t i = 1; (uint64_t)(2 * i + 1) * (2 * i + 1) < LIMIT; i++) {
            if (!composite[i]) {
                uint32_t p = 2 * i + 1;
                for (uint32_t j = (p * p) / 2; j < n; j += p) {
                    composite[j] = 1;
                }
            }
        }
        uint64_t count = 1, last = 2;       /* 2 */
        for (uint32_t i = 1; i < n; i++) {
            if (!composite[i]) {
                count++;
                last = 2 * i + 1;
            }
        }
        sum = bench_mix(sum, count);
        sum = bench_mix(sum, last);
    }
    return bench_done(sum);
}
