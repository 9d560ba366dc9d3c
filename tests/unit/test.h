/*
 * test.h: the unit-test harness.  A test file defines test functions and a
 * main that runs them with RUN_TEST; each prints one line "PASS name" or
 * "FAIL name: file:line: expression", which tests/scripts/check.sh counts.
 * CHECK records a failure and returns from the test.
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include "util/osdep.h"

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

#endif
