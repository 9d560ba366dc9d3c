/*
 * compress.c: an LZ77 compressor (a hash of the next three bytes finds
 * the last position they occurred at, within a 64 KiB window) and its
 * decompressor, round trip checked, over 2 MiB of text made of words
 * drawn at random from a small vocabulary.
 *
 * Format: a byte c < 0x80 starts c + 1 literals; c >= 0x80 is a match of
 * (c & 0x7f) + MIN_MATCH bytes at the 16-bit distance that follows.
 */
#include "bench.h"

#define TEXT_SIZE (2u << 20)
#define ROUNDS    15
#define HASH_BITS 14
#define MIN_MATCH 3
#define MAX_MATCH (0x7f + MIN_MATCH)
#define MAX_LIT   0x80
#define WINDOW    0xffff

static const char *const words[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "tern",
    "emulator", "translates", "blocks", "of", "guest", "code", "into", "host",
    "machine", "instructions", "and", "caches", "them", "for", "reuse", "while",
    "a", "soft", "mmu", "maps", "addresses", "through", "tlb",
};

static size_t make_text(uint8_t *t, size_t n)
{
    uint64_t seed = 11;
    size_t len = 0;

    while (len < n) {
        uint64_t r = bench_rand(&seed);
        const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
        while (*w && len < n) {
            t[len++] = (uint8_t)*w++;
        }
        if (len < n) {
            t[len++] = (r >> 32) % 11 == 0 ? '\n' : ' ';
        }
    }
    return len;
}

static inline uint32_t hash3(const uint8_t *p)
{
    uint32_t v = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Compress src[0..n) into dst (room for n + n / 128 + 2 bytes); returns
 * the compressed length.  head: 1 << HASH_BITS positions. */
static size_t lz_compress(const uint8_t *src, size_t n, uint8_t *dst, uint32_t *head)
{
    size_t out = 0, lit_start = 0, i = 0;

    for (size_t k = 0; k < (1u << HASH_BITS); k++) {
        head[k] = UINT32_MAX;
    }
    while (i + MIN_MATCH <= n) {
        uint32_t h = hash3(src + i), cand = head[h];
        size_t len = 0;
        head[h] = (uint32_t)i;
        if (cand != UINT32_MAX && i - cand <= WINDOW) {
            while (len < MAX_MATCH && i + len < n && src[cand + len] == src[i + len]) {
                len++;
            }
        }
        if (len < MIN_MATCH) {
            i++;
            continue;
        }
        while (lit_start < i) {     /* pending literals first */
            size_t run = i - lit_start < MAX_LIT ? i - lit_start : MAX_LIT;
            dst[out++] = (uint8_t)(run - 1);
            for (size_t k = 0; k < run; k++) {
                dst[out++] = src[lit_start + k];
            }
            lit_start += run;
        }
        size_t dist = i - cand;
        dst[out++] = (uint8_t)(0x80 | (len - MIN_MATCH));
        dst[out++] = (uint8_t)dist;
        dst[out++] = (uint8_t)(dist >> 8);
        for (size_t k = 1; k < len && i + k + MIN_MATCH <= n; k++) {
            head[hash3(src + i + k)] = (uint32_t)(i + k);
        }
        i += len;
        lit_start = i;
    }
    while (lit_start < n) {
        size_t run = n - lit_start < MAX_LIT ? n - lit_start : MAX_LIT;
        dst[out++] = (uint8_t)(run - 1);
        for (size_t k = 0; k < run; k++) {
            dst[out++] = src[lit_start + k];
        }
        lit_start += run;
    }
    return out;
}

/* Returns the decompressed length, or SIZE_MAX on a malformed stream. */
static size_t lz_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t cap)
{
    size_t in = 0, out = 0;

    while (in < n) {
        uint8_t c = src[in++];
        if (c < 0x80) {
            size_t run = (size_t)c + 1;
            if (in + run > n || out + run > cap) {
                return SIZE_MAX;
            }
            for (size_t k = 0; k < run; k++) {
                dst[out++] = src[in++];
            }
        } else {
            size_t len = (size_t)(c & 0x7f) + MIN_MATCH;
            if (in + 2 > n) {
                return SIZE_MAX;
            }
            size_t dist = src[in] | (size_t)src[in + 1] << 8;
            in += 2;
            if (dist == 0 || dist > out || out + len > cap) {
                return SIZE_MAX;
            }
            for (size_t k = 0; k < len; k++, out++) {
                dst[out] = dst[out - dist];
            }
        }
    }
    return out;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint8_t *text = bench_alloc(TEXT_SIZE), *packed = bench_alloc(TEXT_SIZE * 2);
    uint8_t *back = bench_alloc(TEXT_SIZE);
    uint32_t *head = bench_alloc(sizeof(uint32_t) << HASH_BITS);
    unsigned rounds = ROUNDS;
    uint64_t sum = 0;

    OPAQUE(rounds);
    size_t n = make_text(text, TEXT_SIZE);
    for (unsigned r = 0; r < rounds; r++) {
        text[r * 4099] = (uint8_t)('a' + r);    /* each round differs */
        size_t clen = lz_compress(text, n, packed, head);
        size_t dlen = lz_decompress(packed, clen, back, TEXT_SIZE);
        if (dlen != n || memcmp(back, text, n) != 0) {
            tern_printf("compress: round %u: the round trip lost data\n", r);
            return 1;
        }
        sum = bench_mix(sum, clen);
        for (size_t k = 0; k < clen; k += 61) {
            sum = bench_mix(sum, packed[k]);
        }
    }
    return bench_done(sum);
}
