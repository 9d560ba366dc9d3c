/*
 * portcf9.h: the PIIX3 reset control register (RC, I/O port 0xCF9, byte),
 * the FADT's RESET_REG with RESET_VALUE 0x06.
 *
 * Bit 1 SYS_RST selects a hard reset, bit 2 RST_CPU starts the reset when
 * it goes from 0 to 1, bit 3 (FULL_RST on later ICHs) a power cycle.
 * Setting RST_CPU requests a system reset (runstate_request_reset) of
 * whichever kind: tern has one.  Bits 1-3 read back as last written,
 * the others as 0; portcf9_reset clears the register.
 *
 * The port sits inside the PCI host's CONFIG_ADDRESS (0xCF8-0xCFB, dword
 * only): the board maps it with priority 1 so that a byte access at 0xCF9
 * reaches it, while a dword at 0xCF8 goes wholly to the PCI host (the
 * memory API sends a device access to the region at its first byte when
 * that region spans it: docs/memory-api.md).
 */
#ifndef HW_I386_PORTCF9_H
#define HW_I386_PORTCF9_H

#include "util/osdep.h"
#include "exec/memory.h"

#define PORTCF9_ADDR     0xcf9
#define PORTCF9_PRIORITY 1      /* above the PCI host's 0xCF8 dword */

typedef struct PortCF9State {
    MemoryRegion io;
    uint8_t value;
} PortCF9State;

PortCF9State *portcf9_init(MemoryRegion *io);
void portcf9_reset(PortCF9State *s);
/* For tests: unmap and free. */
void portcf9_destroy(PortCF9State *s, MemoryRegion *io);

#endif
