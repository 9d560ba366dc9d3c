/*
 * piix.h: the 82371SB PIIX3's function 1, the PCI IDE controller
 * (8086:7010, class 0101): two IDE channels in compatibility mode at the
 * legacy ports (primary 0x1f0-0x1f7 and 0x3f6 on ISA IRQ 14, secondary
 * 0x170-0x177 and 0x376 on IRQ 15) and their bus-master registers in
 * BAR4 (16 bytes of I/O: primary at +0, secondary at +8).
 */
#ifndef HW_IDE_PIIX_H
#define HW_IDE_PIIX_H

#include "hw/pci/pci.h"
#include "hw/ide/ide.h"
#include "block/drive.h"

#define PCI_DEVICE_ID_INTEL_82371SB_1 0x7010
#define PCI_CLASS_STORAGE_IDE   0x0101
#define PIIX_IDE_CHANNELS       2
#define PIIX_IDE_BM_BAR         4
#define PIIX_IDETIM             0x40    /* IDETIM primary (40h) and secondary (42h) */

typedef struct PIIXIDEState {
    PCIDevice dev;
    IDEBus bus[PIIX_IDE_CHANNELS];
    MemoryRegion bmdma;          /* BAR4: both channels' BMIDE registers */
    MemoryRegion *io;            /* the port space the legacy ports are in */
} PIIXIDEState;

/* The controller at devfn: legacy ports in the bus's I/O space, channel n
 * interrupting on irq[n] (the board's ISA IRQ 14 and 15), DMA through
 * dma_as (system memory).  No devices yet. */
PIIXIDEState *piix_ide_init(PCIBus *pci, uint8_t devfn, IRQLine *irq14, IRQLine *irq15,
                            AddressSpace *dma_as);
void piix_ide_destroy(PIIXIDEState *s);
/* Attach the drives of t that are on IDE bus 0-1 (if=ide, index= or
 * -hda..-hdd/-cdrom), marking each claimed.  -errno with *errp if one is
 * not usable here. */
int piix_ide_attach_drives(PIIXIDEState *s, DriveTable *t, Error **errp);

#endif
