/*
 * test.h: the unit-test harness.  A test file defines test functions and a
 * main that runs them with RUN_TEST; each prints one line "PASS name" or
 * "FAIL name: file:line: expression", which tests/scripts/check.sh counts.
 * CHECK records a failure and returns from the test.
 *
 * For the tests that compare with an oracle (the host CPU): random inputs,
 * the MXCSR configurations, mismatch reports (the end of this file).
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include "util/osdep.h"
#include "tests/rand.h"

extern int test_failed;       /* failures in the current test */
extern int tests_total_failed;

#define CHECK(expr)                                                          \
    do {                                                                     \
        if (!(expr)) {                                                       \
            printf("FAIL %s: %s:%d: %s\n", test_current, __FILE__, __LINE__, #expr); \
            test_failed++;                                                   \
            return;                                                          \
        }                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                       \
    do {                                                                     \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                     \
        if (a_ != b_) {                                                      \
            printf("FAIL %s: %s:%d: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
                   test_current, __FILE__, __LINE__, #a, #b, a_, b_);        \
            test_failed++;                                                   \
            return;                                                          \
        }                                                                    \
    } while (0)

extern const char *test_current;

#define RUN_TEST(fn)                                                         \
    do {                                                                     \
        test_current = #fn;                                                  \
        test_failed = 0;                                                     \
        fn();                                                                \
        if (!test_failed) {                                                  \
            printf("PASS %s\n", #fn);                                        \
        }                                                                    \
        tests_total_failed += test_failed;                                   \
    } while (0)

#define TEST_MAIN_END() return tests_total_failed ? 1 : 0

#define TEST_GLOBALS                                                         \
    int test_failed, tests_total_failed;                                     \
    const char *test_current

/* ---- comparisons with an oracle (the host CPU) ------------------------------- */

/* FN(ARG, i) for every imm8 value i (the literals 0x00 .. 0xff, for names
 * and asm templates): one host function or switch case per immediate */
#define TEST_IMM8_16(FN, ARG, HI)                                             \
    FN(ARG, HI##0) FN(ARG, HI##1) FN(ARG, HI##2) FN(ARG, HI##3)               \
    FN(ARG, HI##4) FN(ARG, HI##5) FN(ARG, HI##6) FN(ARG, HI##7)               \
    FN(ARG, HI##8) FN(ARG, HI##9) FN(ARG, HI##a) FN(ARG, HI##b)               \
    FN(ARG, HI##c) FN(ARG, HI##d) FN(ARG, HI##e) FN(ARG, HI##f)
#define TEST_IMM8(FN, ARG)                                                    \
    TEST_IMM8_16(FN, ARG, 0x0) TEST_IMM8_16(FN, ARG, 0x1)                     \
    TEST_IMM8_16(FN, ARG, 0x2) TEST_IMM8_16(FN, ARG, 0x3)                     \
    TEST_IMM8_16(FN, ARG, 0x4) TEST_IMM8_16(FN, ARG, 0x5)                     \
    TEST_IMM8_16(FN, ARG, 0x6) TEST_IMM8_16(FN, ARG, 0x7)                     \
    TEST_IMM8_16(FN, ARG, 0x8) TEST_IMM8_16(FN, ARG, 0x9)                     \
    TEST_IMM8_16(FN, ARG, 0xa) TEST_IMM8_16(FN, ARG, 0xb)                     \
    TEST_IMM8_16(FN, ARG, 0xc) TEST_IMM8_16(FN, ARG, 0xd)                     \
    TEST_IMM8_16(FN, ARG, 0xe) TEST_IMM8_16(FN, ARG, 0xf)


/* Firmware tables as the guest reads them, computed here independently of
 * the code under test (util/bytes.h): a little-endian field of n bytes,
 * and the byte sum, 0 for a table whose checksum is right. */
static inline uint64_t test_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static inline uint8_t test_byte_sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}
/* Pseudo-random numbers (tests/rand.h), one fixed sequence per test program */
static inline uint64_t test_rnd(void)
{
    static uint64_t state = 0x9e3779b97f4a7c15ull;

    return xorshift64s(&state);
}

/*
 * A random binary floating-point value of ebits exponent and fbits fraction
 * bits (8/23: binary32, 11/52: binary64), biased toward the edges: zeros,
 * denormals, infinities, QNaNs and SNaNs, the smallest and largest normals,
 * values near one and around the integers (rounding), exponents near
 * near's (cancellation, compares; near: another value of the format, or
 * 0), operands whose products underflow or overflow, fractions with
 * trailing zeros (exact results, ties) or trailing ones (carries).
 */
static inline uint64_t test_rnd_float(int ebits, int fbits, uint64_t near)
{
    uint64_t emax = (1ull << ebits) - 1, bias = emax >> 1;
    uint64_t frac = test_rnd() & ((1ull << fbits) - 1), exp;
    uint64_t sign = test_rnd() & 1;

    if (test_rnd() % 4 == 0) {
        frac &= ~0ull << (test_rnd() % (fbits + 1));            /* trailing zeros */
    }
    if (test_rnd() % 8 == 0) {
        frac |= (1ull << (test_rnd() % (fbits + 1))) - 1;       /* trailing ones */
    }
    switch (test_rnd() % 16) {
    case 0: exp = 0; break;                                     /* zero, denormal */
    case 1: exp = emax; frac = test_rnd() % 3 ? frac : 0; break;    /* inf, NaN */
    case 2: exp = 1 + test_rnd() % 3; break;                    /* smallest normals */
    case 3: exp = emax - 1 - test_rnd() % 3; break;             /* largest */
    case 4: exp = bias + test_rnd() % 70 - 35; break;           /* near one */
    case 5: case 6: {                                           /* near near */
        uint64_t ne = (near >> fbits) & emax;
        int64_t d = (int64_t)(test_rnd() % (fbits + 6)) - 2;
        exp = (uint64_t)((int64_t)ne - d) & emax;
        if (test_rnd() & 1) {
            frac = (near & ((1ull << fbits) - 1)) ^ (test_rnd() & 3);
        }
        break;
    }
    case 7: exp = bias - (test_rnd() % bias) / 2 - bias / 4; break;    /* products underflow */
    case 8: exp = bias + (test_rnd() % bias) / 2 + bias / 4; break;    /* products overflow */
    case 9: case 10: exp = bias - 2 + test_rnd() % (fbits + 4); break; /* around integers */
    default: exp = test_rnd() & emax; break;
    }
    return sign << (ebits + fbits) | (exp & emax) << fbits | frac;
}

/* MXCSR for configuration cfg (0-15) of the 16 that SSE results depend on:
 * all exceptions masked, rounding control cfg & 3, FTZ if cfg & 4, DAZ if
 * cfg & 8 */
static inline uint32_t test_mxcsr_config(int cfg)
{
    return 0x1f80u | (uint32_t)(cfg & 3) << 13 | ((cfg & 4) ? 0x8000u : 0) |
           ((cfg & 8) ? 0x40u : 0);
}

/* Count a disagreement with the oracle in *bad; print the first
 * TEST_MAX_REPORT of them, "  MISMATCH " and fmt (no newline). */
#define TEST_MAX_REPORT 8
static inline void test_mismatch(unsigned long *bad, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void test_mismatch(unsigned long *bad, const char *fmt, ...)
{
    if (*bad < TEST_MAX_REPORT) {
        va_list ap;

        va_start(ap, fmt);
        printf("  MISMATCH ");
        vprintf(fmt, ap);
        printf("\n");
        va_end(ap);
    }
    ++*bad;
}

/* True when the host CPU is Intel's (CPUID vendor GenuineIntel, or
 * TERN_HOST_VENDOR when set): tern's x87/SSE helpers model an Intel CPU, so
 * the comparisons with the host hold them to the vendor's own choices
 * (undefined or implementation-specific results) only there. */
static inline bool test_host_intel(void)
{
    static int intel = -1;

    if (intel < 0) {
        const char *v = getenv("TERN_HOST_VENDOR");
        uint32_t r[4] = { 0 };

#if defined(__x86_64__) || defined(__i386__)
        __asm__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0), "c"(0));
#endif
        intel = v ? !strcmp(v, "GenuineIntel")
                  : r[1] == 0x756e6547 && r[3] == 0x49656e69 && r[2] == 0x6c65746e;
    }
    return intel;
}

/* The summary line of a comparison: "  what: n compared with the host, bad
 * mismatches" */
static inline void test_compared(const char *what, unsigned long n, unsigned long bad)
{
    printf("  %s: %lu compared with the host, %lu mismatches\n", what, n, bad);
}

#endif
