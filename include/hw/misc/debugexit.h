/*
 * debugexit.h: isa-debug-exit, the test device that ends the VM.
 *
 * A write of value v to any of its iosize ports requests a shutdown with
 * exit status (v << 1) | 1, so a guest can report success (0 -> 1) and
 * failure codes that tern's own errors (status 1 from main.c) cannot mimic
 * except for v = 0.  Reads return 0.  Base and size come from the board.
 */
#ifndef HW_MISC_DEBUGEXIT_H
#define HW_MISC_DEBUGEXIT_H

#include "util/osdep.h"
#include "exec/memory.h"

typedef struct DebugExitState {
    MemoryRegion io;
} DebugExitState;

DebugExitState *debugexit_init(MemoryRegion *io, uint64_t iobase, uint64_t iosize);
void debugexit_destroy(DebugExitState *s, MemoryRegion *io);

#endif
