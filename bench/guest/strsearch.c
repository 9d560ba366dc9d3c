/*
 * strsearch.c: counting the occurrences of a few patterns in 1 MiB of
 * text over a four-letter alphabet, by naive search and by
 * Boyer-Moore-Horspool; both counts must agree.
 */
#include "bench.h"

#define TEXT_SIZE (1u << 20)
#define ROUNDS    8

static const char *const patterns[] = {
    "acgt", "gattaca", "ttagggttaggg", "acgtacgtac", "cccccc", "tacgatcgatcgatgc",
};

static size_t count_naive(const uint8_t *t, size_t n, const uint8_t *p, size_t m)
{
    size_t count = 0;

    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && t[i + k] == p[k]) {
            k++;
        }
        count += k == m;
    }
    return count;
}

static size_t count_bmh(const uint8_t *t, size_t n, const uint8_t *p, size_t m)
{
    size_t shift[256], count = 0;

    for (unsigned c = 0; c < 256; c++) {
        shift[c] = m;
    }
    for (size_t k = 0; k + 1 < m; k++) {
        shift[p[k]] = m - 1 - k;
    }
    for (size_t i = 0; i + m <= n; i += shift[t[i + m - 1]]) {
        size_t k = m;
        while (k > 0 && t[i + k - 1] == p[k - 1]) {
            k--;
        }
        count += k == 0;
    }
    return count;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint8_t *text = bench_alloc(TEXT_SIZE);
    uint64_t seed = 13, sum = 0, r = 0;
    unsigned rounds = ROUNDS;

    OPAQUE(rounds);
    for (size_t i = 0; i < TEXT_SIZE; i++) {
        if (i % 32 == 0) {
            r = bench_rand(&seed);
        }
        text[i] = (uint8_t)"acgt"[(r >> (2 * (i % 32))) & 3];
    }
    for (unsigned round = 0; round < rounds; round++) {
        for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
            const uint8_t *p = (const uint8_t *)patterns[k];
            size_t m = strlen(patterns[k]);
            size_t a = count_naive(text, TEXT_SIZE, p, m);
            size_t b = count_bmh(text, TEXT_SIZE, p, m);
            if (a != b) {
                tern_printf("strsearch: %s: naive %lu, Horspool %lu\n", patterns[k],
                            (unsigned long)a, (unsigned long)b);
                return 1;
            }
            sum = bench_mix(sum, a);
        }
        text[round * 7919] = 'g';   /* each round differs */
    }
    return bench_done(sum);
}
