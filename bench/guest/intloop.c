/*
 * intloop.c: a tight integer loop (multiply, add, shift, xor, a compare
 * and a branch per iteration: about 1.4e9 simple operations).  Built as a
 * tern guest and as a native program from this same source; bench/loop.sh
 * times both and compares the checksums they print.
 */
#include "tern.h"

#define ITERATIONS 200000000ull

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    uint64_t n = ITERATIONS, x = 1, y = 0x9e3779b97f4a7c15ull;
    OPAQUE(n);
    for (uint64_t i = 0; i < n; i++) {
        x = x * 0x5851f42d4c957f2dull + i;
        y ^= x >> 29;
        y += y << 3;
    }
    tern_printf("checksum %016lx\n", (unsigned long)(x ^ y));
    return 0;
}
