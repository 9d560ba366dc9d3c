/*
 * piix-drives.c: the command line's IDE drives onto the PIIX IDE
 * channels (include/block/drive.h numbering: bus = index / 2, unit =
 * index % 2).  Apart from piix.c so that the model links without the
 * drive table (tests/unit/test-ide.c).
 */
#include "util/osdep.h"
#include "hw/ide/piix.h"

static int piix_ide_attach_one(PIIXIDEState *s, DriveInfo *di, int bus, int unit, bool cdrom,
                               Error **errp)
{
    int ret;

    if (bus < 0 || bus >= PIIX_IDE_CHANNELS || unit < 0 || unit > 1) {
        error_setg(errp, "drive %s: no IDE position %d.%d (buses 0-1, units 0-1)", di->id, bus,
                   unit);
        return -EINVAL;
    }
    if (!cdrom && !di->blk) {
        error_setg(errp, "drive %s: an IDE disk needs an image", di->id);
        return -EINVAL;
    }
    ret = ide_bus_attach(&s->bus[bus], unit, cdrom ? IDE_CDROM : IDE_DISK, di->blk, errp);
    if (ret == 0) {
        di->claimed = true;
    }
    return ret;
}

int piix_ide_attach_drives(PIIXIDEState *s, DriveTable *t, Error **errp)
{
    if (!t) {
        return 0;
    }
    for (int b = 0; b < PIIX_IDE_CHANNELS; b++) {
        for (int u = 0; u < 2; u++) {
            DriveInfo *di = drive_get(t, DRIVE_IF_IDE, b, u);
            int ret;

            if (di && (ret = piix_ide_attach_one(s, di, b, u, di->media == DRIVE_MEDIA_CDROM,
                                                 errp)) < 0) {
                return ret;
            }
        }
    }
    /* -device ide-hd|ide-cd,drive=ID: if=none drives at the positions given */
    for (unsigned i = 0; i < t->device_count; i++) {
        DriveDevice *dev = &t->devices[i];
        int ret;

        if (dev->kind == DRIVE_DEVICE_VIRTIO_BLK) {
            continue;
        }
        ret = piix_ide_attach_one(s, dev->drive, dev->bus, dev->unit,
                                  dev->kind == DRIVE_DEVICE_IDE_CD, errp);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}
