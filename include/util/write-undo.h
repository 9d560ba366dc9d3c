/*
 * write-undo.h: put host memory back as it was at the start of an interval.
 *
 * The compare mode's shadow CPU runs in its own copy of guest RAM; on a
 * divergence that RAM must return to its state at the interval's start.
 * Writes come from generated code, C helpers and memcpy alike, so they are
 * caught by page protection: at write_undo_begin every tracked host page
 * is made read-only; the first write to a page faults, a SIGSEGV handler
 * saves the page, makes it writable and lets the write retry.
 * write_undo_restore copies the saved pages back.
 *
 * Invariants: while tracking, a tracked page is read-only exactly when it
 * is not saved; each page is saved at most once per interval, with its
 * contents at the last begin.  Writes by the kernel (read(2) into a
 * tracked page) fail with EFAULT instead of faulting: tracked memory must
 * only be written from user space.
 *
 * Locking: a WriteUndo belongs to one thread, the one that writes the
 * tracked memory (the compare vCPU thread).  The handler finds it from a
 * small table of live objects.  The handler is installed once per process,
 * at the first write_undo_new; it passes every fault it does not own to the
 * SIGSEGV handler installed before it (or the default action), so a
 * handler installed later must chain to ours in turn.
 */
#ifndef UTIL_WRITE_UNDO_H
#define UTIL_WRITE_UNDO_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct WriteUndo WriteUndo;

/* A tracker with no ranges, not tracking (at most 8 live at once). */
WriteUndo *write_undo_new(void);
/* Stop tracking (the ranges become writable) and free u; before the
 * tracked memory is unmapped. */
void write_undo_free(WriteUndo *u);

/* Track [base, base + len) (host-page-aligned, mapped read-write) from the
 * next write_undo_begin; only while u is not tracking.  Returns 0 or a
 * negative errno. */
int write_undo_add_range(WriteUndo *u, void *base, size_t len, Error **errp);
/* Start an interval: forget the saved pages and protect every tracked
 * page again (only the pages written since the last begin, once tracking). */
void write_undo_begin(WriteUndo *u);
/* Copy every saved page back: the ranges hold what they held at the last
 * begin, and tracking goes on as after a begin. */
void write_undo_restore(WriteUndo *u);
/* Make every range writable and stop tracking. */
void write_undo_stop(WriteUndo *u);
/* Pages saved (written) since the last begin. */
size_t write_undo_pages(const WriteUndo *u);
/* The n-th of them (n < write_undo_pages): its range (in the order added)
 * and its offset in it; *len is the host page size. */
void write_undo_page(const WriteUndo *u, size_t n, unsigned *range, size_t *offset,
                     size_t *len);

#endif
