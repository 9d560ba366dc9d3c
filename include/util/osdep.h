/*
 * osdep.h: the common prelude every tern source file includes first.
 * Standard headers, the configure results and a few tiny helpers.
 */
#ifndef UTIL_OSDEP_H
#define UTIL_OSDEP_H

#include "config-host.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ROUND_UP(n, d) (((n) + (d) - 1) & -(__typeof__(n))(d))
#define QEMU_ALIGN_DOWN(n, d) ((n) / (d) * (d))
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define TERN_NORETURN __attribute__((noreturn))
#define TERN_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Allocation that cannot fail: abort with a message on OOM. */
void *tern_malloc0(size_t size);
void *tern_realloc(void *p, size_t size);
char *tern_strdup(const char *s);

#endif
