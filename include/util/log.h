/*
 * log.h: the -d debug log.
 *
 * tern_log_mask is one of the few documented globals: the set of -d items
 * enabled, read on hot paths (translation, exceptions) and written only by
 * option parsing and the monitor.  Output goes to stderr or the -D file.
 * -dfilter ranges restrict the per-block items (LOG_PC_FILTERED) to blocks
 * whose guest pc lies in one of them; a hot path tests the mask first, so
 * logging off costs one test (log_enabled_pc).
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
    X(LOG_CPU,          "cpu",          "show the CPU registers before each executed block") \
    X(LOG_INT,          "int",          "show interrupts and exceptions")         \
    X(LOG_MMU,          "mmu",          "show soft-MMU TLB fills (page walks) and their faults") \
    X(LOG_GUEST_ERROR,  "guest_errors", "show guest errors (unmapped accesses, bad device use)") \
    X(LOG_UNIMP,        "unimp",        "show unimplemented functionality")       \
    X(LOG_PAGE,         "page",         "show the guest pages each new block covers") \
    X(LOG_NOCHAIN,      "nochain",      "do not chain blocks, so exec and cpu show every block")

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

/* The items -dfilter restricts (QEMU's set): those about one block. */
#define LOG_PC_FILTERED (LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM | LOG_EXEC | LOG_CPU)

extern unsigned tern_log_mask;

static inline bool log_enabled(unsigned mask)
{
    return unlikely(tern_log_mask & mask);
}

/* One -dfilter range, both ends included. */
typedef struct LogRange {
    uint64_t begin, end;
} LogRange;

#define LOG_DFILTER_MAX 32

/* True when pc is in a -dfilter range, or no -dfilter was given. */
bool log_in_range(uint64_t pc);

/* A per-block item for the block at guest pc: the mask test comes first. */
static inline bool log_enabled_pc(unsigned mask, uint64_t pc)
{
    return log_enabled(mask) && log_in_range(pc);
}

/* Parse a comma-separated -d list ("in_asm,op", or "all") into *mask.
 * Returns 0 or -EINVAL; *mask is untouched on error. */
int log_parse_items(const char *list, unsigned *mask, Error **errp);
/* log_parse_items, then enable the result.  Returns 0 or -EINVAL. */
int log_set_items(const char *list, Error **errp);
/* Parse one range as QEMU's -dfilter: 0xA..0xB (A to B), 0xA+N (N bytes
 * from A), 0xA-N (N bytes ending at A).  Returns 0 or -EINVAL. */
int log_parse_range(const char *str, LogRange *r, Error **errp);
/* Parse "RANGE[,RANGE...]" and make it the filter.  Returns 0 or -EINVAL,
 * leaving the filter as it was on error. */
int log_set_dfilter(const char *list, Error **errp);
/* Drop the filter: every pc is in range again. */
void log_clear_dfilter(void);
/* Redirect the log to a file (-D).  Returns 0 or a negative errno. */
int log_set_file(const char *path, Error **errp);
void log_list_items(FILE *f);
FILE *log_file(void);
/* Write several lines as one (other vCPUs' lines stay out): returns the
 * sink, to be released with log_unlock. */
FILE *log_lock(void);
void log_unlock(void);
void log_printf(const char *fmt, ...) TERN_PRINTF(1, 2);
/* Log under a mask: qemu_log_mask(LOG_GUEST_ERROR, ...). */
#define log_mask(mask, ...) \
    do { if (log_enabled(mask)) log_printf(__VA_ARGS__); } while (0)
void log_flush(void);

#endif
