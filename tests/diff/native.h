/*
 * native.h: host checks of the tools that run sequences natively on an
 * x86-64 host (difftest, bcdcheck; native.c).
 */
#ifndef TESTS_DIFF_NATIVE_H
#define TESTS_DIFF_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/* NULL when the compatibility-mode classes can run here (sel32 is a
 * usable 32-bit user code segment), else why not. */
const char *diff_native_compat_why(uint16_t sel32);

#endif
