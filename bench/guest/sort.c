/*
 * sort.c: 1 Mi random 32-bit keys sorted twice, by a recursive quicksort
 * and a top-down mergesort, both comparing through a function pointer;
 * the results are checked against each other and for order.
 */
#include "bench.h"

#define KEYS (1u << 20)

typedef int (*cmp_fn)(const uint32_t *a, const uint32_t *b);

/* noinline: the indirect call is the point */
__attribute__((noinline)) static int cmp_u32(const uint32_t *a, const uint32_t *b)
{
    return *a < *b ? -1 : *a > *b;
}

static void swap(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;

    *a = *b;
    *b = t;
}

static void quicksort(uint32_t *v, long lo, long hi, cmp_fn cmp)
{
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2, i = lo, j = hi;
        /* median of three as the pivot */
        if (cmp(&v[mid], &v[lo]) < 0) {
            swap(&v[mid], &v[lo]);
        }
        if (cmp(&v[hi], &v[lo]) < 0) {
            swap(&v[hi], &v[lo]);
        }
        if (cmp(&v[hi], &v[mid]) < 0) {
            swap(&v[hi], &v[mid]);
        }
        uint32_t pivot = v[mid];
        while (i <= j) {
            while (cmp(&v[i], &pivot) < 0) {
                i++;
            }
            while (cmp(&v[j], &pivot) > 0) {
                j--;
            }
            if (i <= j) {
                swap(&v[i++], &v[j--]);
            }
        }
        /* recurse into the smaller part, loop on the larger */
        if (j - lo < hi - i) {
            quicksort(v, lo, j, cmp);
            lo = i;
        } else {
            quicksort(v, i, hi, cmp);
            hi = j;
        }
    }
}

static void mergesort(uint32_t *v, uint32_t *tmp, size_t n, cmp_fn cmp)
{
    if (n < 2) {
        return;
    }
    size_t h = n / 2, i = 0, j = h, k = 0;
    mergesort(v, tmp, h, cmp);
    mergesort(v + h, tmp, n - h, cmp);
    while (i < h && j < n) {
        tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    }
    while (i < h) {
        tmp[k++] = v[i++];
    }
    while (j < n) {
        tmp[k++] = v[j++];
    }
    for (k = 0; k < n; k++) {
        v[k] = tmp[k];
    }
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint32_t *a = bench_alloc(KEYS * 4), *b = bench_alloc(KEYS * 4);
    uint32_t *tmp = bench_alloc(KEYS * 4);
    uint64_t seed = 5, sum = 0;
    cmp_fn cmp = cmp_u32;

    OPAQUE(cmp);
    for (uint32_t i = 0; i < KEYS; i++) {
        a[i] = b[i] = (uint32_t)bench_rand(&seed);
    }
    quicksort(a, 0, KEYS - 1, cmp);
    mergesort(b, tmp, KEYS, cmp);
    for (uint32_t i = 0; i < KEYS; i++) {
        if (a[i] != b[i] || (i && a[i - 1] > a[i])) {
            tern_printf("sort: the sorts disagree or are out of order at %u\n", i);
            return 1;
        }
    }
    for (uint32_t i = 0; i < KEYS; i += 1021) {
        sum = bench_mix(sum, a[i]);
    }
    return bench_done(sum);
}
