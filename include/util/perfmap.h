/*
 * perfmap.h: -perfmap, the translated blocks named for Linux perf.
 *
 * perf(1) reads /tmp/perf-PID.map to name samples in JIT code: one line
 * "START SIZE NAME" (hex, hex, text) per code range.  With -perfmap each
 * new block is written there as "tb:GUEST_PC", so `perf report` attributes
 * the time in generated code to guest addresses.  A flush reuses the code
 * buffer; perf takes the last line covering an address, so later blocks
 * win, which is what a profile of a steady loop wants.
 */
#ifndef UTIL_PERFMAP_H
#define UTIL_PERFMAP_H

#include "util/osdep.h"
#include "util/error.h"

/* Create /tmp/perf-PID.map.  Returns 0 or a negative errno. */
int perfmap_open(Error **errp);
/* One code range, when -perfmap is on (cheap test when it is off). */
void perfmap_add(const void *start, size_t size, const char *fmt, ...) TERN_PRINTF(3, 4);

#endif
