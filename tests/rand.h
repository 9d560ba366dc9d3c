/*
 * rand.h: the tests' pseudo-random numbers, xorshift64* (Vigna): a 64-bit
 * state (never 0) that the caller keeps, one 64-bit value a step.
 *
 * Freestanding (stdint.h only), so that the unit tests (tests/unit/test.h:
 * test_rnd) and the guest tests (tests/x86/simd.h: rnd64) draw from the
 * same generator.
 */
#ifndef TESTS_RAND_H
#define TESTS_RAND_H

#include <stdint.h>

static inline uint64_t xorshift64s(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dull;
}

#endif
