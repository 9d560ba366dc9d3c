/*
 * ioport80.h: the POST diagnostic port (0x80 on the PC).
 *
 * Firmware writes its progress codes there, and Linux's io_delay writes
 * to it to wait an ISA bus cycle; nothing on the board reads it.  As in
 * QEMU, writes are ignored and reads return 0xff, with no log line: the
 * port is a device, not an unassigned port.  It has no state, so no reset.
 * The board chooses the port.
 */
#ifndef HW_MISC_IOPORT80_H
#define HW_MISC_IOPORT80_H

#include "util/osdep.h"
#include "exec/memory.h"

typedef struct IOPort80State {
    MemoryRegion io;
} IOPort80State;

IOPort80State *ioport80_init(MemoryRegion *io, uint64_t base);
/* Unmap and free. */
void ioport80_destroy(IOPort80State *s, MemoryRegion *io);

#endif
