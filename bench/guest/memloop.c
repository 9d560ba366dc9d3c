/*
 * memloop.c: loads and stores over a 4 MiB buffer, many passes: a
 * sequential read-modify-write of every word, then a strided read that
 * jumps across pages (TLB pressure).  Built as a tern guest and as a
 * native program from this same source; bench/loop.sh times both and
 * compares the checksums they print.
 */
#include "tern.h"

#define WORDS ((4u << 20) / 8)
#define PASSES 600
#define STRIDE 4099             /* words: a little over 32 KiB, odd */

static uint64_t buf[WORDS];

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    unsigned passes = PASSES;
    uint64_t sum = 0;

    OPAQUE(passes);
    for (unsigned i = 0; i < WORDS; i++) {
        buf[i] = i;
    }
    for (unsigned p = 0; p < passes; p++) {
        for (unsigned i = 0; i < WORDS; i++) {
            buf[i] = buf[i] * 5 + p;
        }
        unsigned j = p;
        for (unsigned k = 0; k < WORDS / 8; k++) {
            sum += buf[j];
            j += STRIDE;
            if (j >= WORDS) {
                j -= WORDS;
            }
        }
        sum = (sum << 7) | (sum >> 57);
    }
    for (unsigned i = 0; i < WORDS; i++) {
        sum ^= buf[i] + i;
    }
    tern_printf("checksum %016lx\n", (unsigned long)sum);
    return 0;
}
