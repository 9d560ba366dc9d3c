/*
 * memcopy.c: streaming copies between two 32 MiB buffers, back and forth
 * (a word loop unrolled by eight: the same code in every build, where a
 * memcpy call would be glibc's natively and the runtime's bytes in the
 * guest).
 */
#include "bench.h"

#define WORDS  ((32u << 20) / 8)
#define COPIES 12

static void copy_words(uint64_t *restrict d, const uint64_t *restrict s, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        d[i] = s[i];
        d[i + 1] = s[i + 1];
        d[i + 2] = s[i + 2];
        d[i + 3] = s[i + 3];
        d[i + 4] = s[i + 4];
        d[i + 5] = s[i + 5];
        d[i + 6] = s[i + 6];
        d[i + 7] = s[i + 7];
    }
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t *a = bench_alloc((size_t)WORDS * 8), *b = bench_alloc((size_t)WORDS * 8);
    uint64_t seed = 3, sum = 0;
    unsigned copies = COPIES;

    OPAQUE(copies);
    for (uint32_t i = 0; i < WORDS; i++) {
        a[i] = bench_rand(&seed);
    }
    for (unsigned c = 0; c < copies; c++) {
        if (c & 1) {
            copy_words(a, b, WORDS);
            a[c] += c;
        } else {
            copy_words(b, a, WORDS);
            b[c] ^= c;
        }
    }
    for (uint32_t i = 0; i < WORDS; i += 97) {
        sum = bench_mix(sum, a[i] ^ b[i]);
    }
    return bench_done(sum);
}
