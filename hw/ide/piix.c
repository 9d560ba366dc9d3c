/*
 * piix.c: the PIIX3 IDE function (82371SB datasheet 2.2 and 2.7):
 * configuration header, the legacy ports of both channels, BAR4.
 *
 * Programming interface 80h: bus-master capable, both channels fixed in
 * compatibility mode, so the legacy ports are always decoded (as QEMU
 * does; the PIIX3 would gate them with IDETIM's decode enable) and BARs
 * 0-3 do not exist.  IDETIM (40h-43h) resets to 8000h, decode enabled, the
 * value firmware writes: tern boots kernels without firmware, and Linux's
 * ata_piix skips a channel whose enable bit is clear.  IDETIM, SIDETIM
 * (44h) are stored only (timings mean nothing here).  BAR4 is unassigned
 * at reset: the OS places it.
 */
#include "util/osdep.h"
#include "hw/ide/piix.h"

#define PIIX_IDE_PRIMARY_CMD    0x1f0
#define PIIX_IDE_PRIMARY_CTL    0x3f6
#define PIIX_IDE_SECONDARY_CMD  0x170
#define PIIX_IDE_SECONDARY_CTL  0x376
#define PIIX_IDETIM_DECODE      0x8000
#define PIIX_SIDETIM            0x44

static const struct {
    uint16_t cmd, ctl;
    const char *name;
} piix_ide_channels[PIIX_IDE_CHANNELS] = {
    { PIIX_IDE_PRIMARY_CMD, PIIX_IDE_PRIMARY_CTL, "ide0" },
    { PIIX_IDE_SECONDARY_CMD, PIIX_IDE_SECONDARY_CTL, "ide1" },
};

static void piix_ide_reset(PCIDevice *d)
{
    PIIXIDEState *s = container_of(d, PIIXIDEState, dev);

    for (int n = 0; n < PIIX_IDE_CHANNELS; n++) {
        ide_bus_reset(&s->bus[n]);
    }
}

static const PCIDeviceOps piix_ide_ops = {
    .reset = piix_ide_reset,
};

PIIXIDEState *piix_ide_init(PCIBus *pci, uint8_t devfn, IRQLine *irq14, IRQLine *irq15,
                            AddressSpace *dma_as)
{
    PIIXIDEState *s = tern_malloc0(sizeof(*s));
    PCIDevice *d = &s->dev;
    IRQLine *irq[PIIX_IDE_CHANNELS] = { irq14, irq15 };

    pci_device_init(d, "PIIX3 IDE", &piix_ide_ops);
    pci_config_set_ids(d, PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82371SB_1, 0,
                       PCI_CLASS_STORAGE_IDE, 0x80);
    pci_set_word(d->config + PCI_STATUS, 0x0280);      /* DEVSEL medium, fast back-to-back */
    for (int n = 0; n < PIIX_IDE_CHANNELS; n++) {
        pci_set_word(d->config + PIIX_IDETIM + 2 * n, PIIX_IDETIM_DECODE);
        pci_set_word(d->wmask + PIIX_IDETIM + 2 * n, 0xffff);
    }
    d->wmask[PIIX_SIDETIM] = 0xff;
    s->io = pci->io;
    memory_region_init_container(&s->bmdma, "piix-bmdma", 16);
    for (int n = 0; n < PIIX_IDE_CHANNELS; n++) {
        IDEBus *bus = &s->bus[n];

        ide_bus_init(bus, piix_ide_channels[n].name, irq[n], dma_as);
        memory_region_add_subregion(s->io, piix_ide_channels[n].cmd, &bus->cmd_io);
        memory_region_add_subregion(s->io, piix_ide_channels[n].ctl, &bus->ctl_io);
        memory_region_add_subregion(&s->bmdma, n * IDE_BM_SIZE, &bus->bm_io);
    }
    pci_register_bar(d, PIIX_IDE_BM_BAR, PCI_BASE_ADDRESS_SPACE_IO, 16, &s->bmdma);
    pci_bus_plug(pci, d, devfn);
    return s;
}

void piix_ide_destroy(PIIXIDEState *s)
{
    pci_bus_unplug(&s->dev);
    for (int n = 0; n < PIIX_IDE_CHANNELS; n++) {
        IDEBus *bus = &s->bus[n];

        memory_region_del_subregion(s->io, &bus->cmd_io);
        memory_region_del_subregion(s->io, &bus->ctl_io);
        memory_region_del_subregion(&s->bmdma, &bus->bm_io);
        ide_bus_destroy(bus);
    }
    memory_region_destroy(&s->bmdma);
    free(s);
}
