/*
 * port61.h: System Control Port B (port 0x61), the AT's NMI status and
 * control register.
 *
 * Read: bit 0 PIT counter 2 gate, bit 1 speaker data, bit 2 parity check
 * disable, bit 3 channel check (IOCHK) disable (all four as written),
 * bit 4 refresh toggle (flips every 15.085 us of virtual time: 18 PIT
 * ticks, the refresh period the BIOS gives counter 1), bit 5 counter 2's
 * OUT, bits 6-7 (IOCHK, parity error) 0: nothing raises them.
 * Write: bits 0-3; bit 0 drives counter 2's gate.  Bits 4-7 are ignored.
 * The port belongs to the board, not the PIT: it also holds the NMI
 * sources, and the PIT only lends it counter 2's gate and OUT.
 */
#ifndef HW_I386_PORT61_H
#define HW_I386_PORT61_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/timer/i8254.h"

#define PORT61_ADDR 0x61

typedef struct Port61State {
    MemoryRegion io;
    PITState *pit;               /* counter 2: gate and OUT */
    uint8_t value;               /* bits 0-3 */
} Port61State;

Port61State *port61_init(MemoryRegion *io, PITState *pit);
/* Power-on value 0: gate 2 low, speaker off, NMI sources enabled. */
void port61_reset(Port61State *s);
/* Unmap and free (the PIT stays). */
void port61_destroy(Port61State *s, MemoryRegion *io);

#endif
