/*
 * virtio-blk-pci.c: virtio-blk on the modern PCI transport, and the
 * board's hook that makes one such function per virtio drive of the
 * command line (-drive if=virtio, -device virtio-blk-pci,drive=ID).
 */
#include "util/osdep.h"
#include "hw/virtio/virtio-blk.h"

#define PCI_CLASS_STORAGE_SCSI 0x0100      /* what QEMU's virtio-blk-pci says */

VirtIOBlockPCI *virtio_blk_pci_new(PCIBus *bus, uint8_t devfn, AddressSpace *dma_as,
                                   BlockBackend *blk, const char *serial)
{
    VirtIOBlockPCI *d = tern_malloc0(sizeof(*d));

    virtio_blk_init(&d->blk, dma_as, blk, serial);
    virtio_pci_init(&d->proxy, "virtio-blk-pci", &d->blk.vdev, PCI_CLASS_STORAGE_SCSI);
    pci_bus_plug(bus, &d->proxy.pci, devfn);
    return d;
}

void virtio_blk_pci_free(VirtIOBlockPCI *d)
{
    if (!d) {
        return;
    }
    if (d->proxy.pci.bus) {
        pci_bus_unplug(&d->proxy.pci);
    }
    virtio_pci_destroy(&d->proxy);
    free(d);
}

/* Plug a function for di into the first free slot from *slot on. */
static int virtio_blk_pci_attach_one(PCIBus *bus, unsigned *slot, AddressSpace *dma_as,
                                     DriveInfo *di, Error **errp)
{
    if (!di->blk) {
        error_setg(errp, "drive %s: virtio-blk needs a disk image", di->id);
        return -EINVAL;
    }
    while (*slot < PCI_SLOT_MAX && pci_bus_find(bus, PCI_DEVFN(*slot, 0))) {
        ++*slot;
    }
    if (*slot >= PCI_SLOT_MAX) {
        error_setg(errp, "drive %s: no free PCI slot for virtio-blk-pci", di->id);
        return -EINVAL;
    }
    virtio_blk_pci_new(bus, PCI_DEVFN(*slot, 0), dma_as, di->blk, di->id);
    di->claimed = true;
    return 0;
}

/* The if=virtio drive with the lowest unit above prev's (units are
 * unique: drive.c refuses a second drive at a position). */
static DriveInfo *virtio_drive_next(DriveTable *t, const DriveInfo *prev)
{
    DriveInfo *best = NULL;

    for (unsigned i = 0; i < t->count; i++) {
        DriveInfo *d = &t->drives[i];

        if (d->iface == DRIVE_IF_VIRTIO && (!prev || d->unit > prev->unit) &&
            (!best || d->unit < best->unit)) {
            best = d;
        }
    }
    return best;
}

int virtio_blk_pci_attach_drives(PCIBus *bus, unsigned first_slot, AddressSpace *dma_as,
                                 DriveTable *t, Error **errp)
{
    unsigned slot = first_slot;
    DriveInfo *prev = NULL;

    if (!t) {
        return 0;
    }
    for (DriveInfo *di; (di = virtio_drive_next(t, prev)); prev = di) {
        if (virtio_blk_pci_attach_one(bus, &slot, dma_as, di, errp) < 0) {
            return -EINVAL;
        }
    }
    for (unsigned i = 0; i < t->device_count; i++) {
        if (t->devices[i].kind == DRIVE_DEVICE_VIRTIO_BLK &&
            virtio_blk_pci_attach_one(bus, &slot, dma_as, t->devices[i].drive, errp) < 0) {
            return -EINVAL;
        }
    }
    return 0;
}
