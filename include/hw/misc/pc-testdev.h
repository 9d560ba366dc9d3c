/*
 * pc-testdev.h: QEMU's pc-testdev, the ISA test device of kvm-unit-tests
 * (-device pc-testdev).
 *
 * Four port windows and one MMIO window (docs/pc.md, "pc-testdev"):
 *   iobase + 0..3   a 32-bit register, any width, little-endian bytes
 *   iobase + 4..7   "flush page": 4-byte writes accepted, reads 0
 *   iobase + 8..11  the same register, served one byte at a time
 *   irqbase + n     n < 24: a byte write sets ISA IRQ n to (value != 0);
 *                   reads 0
 *   membase         64 KiB of plain memory behind MMIO, accesses of 1-8 bytes
 * The board chooses the bases (QEMU's: 0xe0, 0x2000, 0xff000000) and gives
 * the 24 IRQ lines.  The register and the memory keep their contents over
 * a reset, as QEMU's do; the reset lowers the IRQ lines it raised.
 */
#ifndef HW_MISC_PC_TESTDEV_H
#define HW_MISC_PC_TESTDEV_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"

#define PC_TESTDEV_IRQS       24
#define PC_TESTDEV_IOMEM_SIZE 0x10000

typedef struct PCTestdevState {
    MemoryRegion ioport;         /* iobase: the register, 1-4 byte callbacks */
    MemoryRegion flush;          /* iobase + 4 */
    MemoryRegion ioport_byte;    /* iobase + 8: the register, byte callbacks */
    MemoryRegion irq;            /* irqbase, PC_TESTDEV_IRQS ports */
    MemoryRegion iomem;          /* membase */
    IRQLine *irqs;               /* PC_TESTDEV_IRQS lines from the board */
    uint32_t irq_level;          /* what it drives on each, by bit */
    uint32_t ioport_data;
    uint8_t iomem_buf[PC_TESTDEV_IOMEM_SIZE];
} PCTestdevState;

/* Map the windows at iobase, iobase + 4, iobase + 8 and irqbase in io, and
 * the memory at membase in mem; irqs: PC_TESTDEV_IRQS lines (ISA IRQ n). */
PCTestdevState *pc_testdev_init(MemoryRegion *io, uint64_t iobase, uint64_t irqbase,
                                MemoryRegion *mem, uint64_t membase, IRQLine *irqs);
void pc_testdev_reset(PCTestdevState *s);
/* Unmap and free. */
void pc_testdev_destroy(PCTestdevState *s, MemoryRegion *io, MemoryRegion *mem);

#endif
