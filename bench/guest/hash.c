/*
 * hash.c: hashing a 4 MiB buffer of random bytes, many passes: FNV-1a
 * (a byte at a time: xor, multiply) and a 64-bit xxhash-style word hash
 * (four lanes of multiply, rotate, multiply; a final avalanche).
 */
#include "bench.h"

#define BUF_SIZE (4u << 20)
#define PASSES   48

#define PRIME1 0x9e3779b185ebca87ull
#define PRIME2 0xc2b2ae3d27d4eb4full
#define PRIME3 0x165667b19e3779f9ull

static uint64_t fnv1a(const uint8_t *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t rotl(uint64_t v, unsigned r)
{
    return (v << r) | (v >> (64 - r));
}

static inline uint64_t xx_round(uint64_t acc, uint64_t in)
{
    return rotl(acc + in * PRIME2, 31) * PRIME1;
}

/* n: a multiple of 32 bytes */
static uint64_t xxhash_words(const uint64_t *w, size_t n, uint64_t seed)
{
    uint64_t a = seed + PRIME1 + PRIME2, b = seed + PRIME2, c = seed, d = seed - PRIME1;

    for (size_t i = 0; i < n / 8; i += 4) {
        a = xx_round(a, w[i]);
        b = xx_round(b, w[i + 1]);
        c = xx_round(c, w[i + 2]);
        d = xx_round(d, w[i + 3]);
    }
    uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + n;
    h = (h ^ (h >> 33)) * PRIME2;
    h = (h ^ (h >> 29)) * PRIME3;
    return h ^ (h >> 32);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t *buf = bench_alloc(BUF_SIZE), seed = 1, sum = 0;
    unsigned passes = PASSES;

    OPAQUE(passes);
    for (size_t i = 0; i < BUF_SIZE / 8; i++) {
        buf[i] = bench_rand(&seed);
    }
    for (unsigned p = 0; p < passes; p++) {
        sum = bench_mix(sum, fnv1a((const uint8_t *)buf, BUF_SIZE, 0xcbf29ce484222325ull + p));
        sum = bench_mix(sum, xxhash_words(buf, BUF_SIZE, p));
        buf[p] ^= sum;          /* each pass hashes other bytes */
    }
    return bench_done(sum);
}
