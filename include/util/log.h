/*
 * log.h: the -d debug log.
 *
 * tern_log_mask is one of the few documented globals: the set of -d items
 * enabled, read on hot paths (translation, exceptions) and written only by
 * option parsing and the monitor.  Output goes to stderr or the -D file.
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include "util/osdep.h"
#include "util/error.h"

/* One row per -d item: X(enum name, option name, help). */
#define TERN_LOG_ITEMS(X)                                                         \
    X(LOG_IN_ASM,       "in_asm",       "show guest code of each new translated block") \
    X(LOG_OP,           "op",           "show the IR of each new block")          \
    X(LOG_OP_OPT,       "op_opt",       "show the IR after optimisation")         \
    X(LOG_OUT_ASM,      "out_asm",      "show the host code of each new block")   \
    X(LOG_EXEC,         "exec",         "show each block executed and chain links") \
    X(LOG_INT,          "int",          "show interrupts and exceptions")         \
    X(LOG_GUEST_ERROR,  "guest_errors", "show guest errors (unmapped accesses, bad device use)") \
    X(LOG_UNIMP,        "unimp",        "show unimplemented functionality")

enum {
#define X(e, name, help) e##_BIT,
    TERN_LOG_ITEMS(X)
#undef X
};
enum {
#define X(e, name, help) e = 1u << e##_BIT,
    TERN_LOG_ITEMS(X)
#undef X
};

extern unsigned tern_log_mask;

static inline bool log_enabled(unsigned mask)
{
    return unlikely(tern_log_mask & mask);
}

/* Parse a comma-separated -d list ("in_asm,op").  Returns 0 or -EINVAL. */
int log_set_items(const char *list, Error **errp);
/* Redirect the log to a file (-D).  Returns 0 or a negative errno. */
int log_set_file(const char *path, Error **errp);
void log_list_items(FILE *f);
FILE *log_file(void);
void log_printf(const char *fmt, ...) TERN_PRINTF(1, 2);
/* Log under a mask: qemu_log_mask(LOG_GUEST_ERROR, ...). */
#define log_mask(mask, ...) \
    do { if (log_enabled(mask)) log_printf(__VA_ARGS__); } while (0)
void log_flush(void);

#endif
