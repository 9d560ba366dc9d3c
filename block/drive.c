/*
 * drive.c: the command line's drives (util/option.c parsed them) as a
 * DriveTable: QEMU's numbering and default names, the checks that need
 * every drive at once, the -device requests matched to their if=none
 * drives, and the images opened (docs/block.md, "Drives").
 *
 * t->drives[i] is o->drives[i]: the same order, so opening can go back
 * to the options for the file name and flags.
 */
#include "util/osdep.h"
#include "block/drive.h"


DriveInfo *drive_get(DriveTable *t, DriveInterface iface, int bus, int unit)
{
    for (unsigned i = 0; i < t->count; i++) {
        DriveInfo *d = &t->drives[i];
        if (d->iface == iface && d->bus == bus && d->unit == unit) {
            return d;
        }
    }
    return NULL;
}

DriveInfo *drive_get_by_id(DriveTable *t, const char *id)
{
    for (unsigned i = 0; i < t->count; i++) {
        if (!strcmp(t->drives[i].id, id)) {
            return &t->drives[i];
        }
    }
    return NULL;
}

/* "-hda disk.img", "-drive if=virtio,file=x", "disk.img": for messages. */
#define DRIVE_OPT_FMT "%s%s%s"
#define DRIVE_OPT_ARGS(od) (od)->opt ? (od)->opt : "", (od)->opt ? " " : "", (od)->arg

/* Is an IDE position taken, by an if=ide drive or a -device? */
static bool drive_ide_used(DriveTable *t, int bus, int unit)
{
    for (unsigned i = 0; i < t->device_count; i++) {
        if (t->devices[i].bus == bus && t->devices[i].unit == unit) {
            return true;
        }
    }
    return drive_get(t, DRIVE_IF_IDE, bus, unit) != NULL;
}

/* QEMU's numbering (blockdev.c, drive_new): index= is bus index / units,
 * unit index % units; otherwise the first free unit from bus= (or 0). */
static int drive_place(DriveTable *t, DriveInfo *d, const OptionDrive *od, Error **errp)
{
    int units = d->iface == DRIVE_IF_IDE ? DRIVE_IDE_UNITS : 0;
    int bus = od->bus >= 0 ? od->bus : 0, unit = od->unit;

    if (od->index >= 0) {
        bus = units ? od->index / units : 0;
        unit = units ? od->index % units : od->index;
    } else if (unit < 0) {
        for (unit = 0; drive_get(t, d->iface, bus, unit); ) {
            if (++unit == units) {
                unit = 0;
                bus++;
            }
        }
    }
    if (d->iface == DRIVE_IF_IDE && (bus >= DRIVE_IDE_BUSES || unit >= DRIVE_IDE_UNITS)) {
        error_setg(errp, DRIVE_OPT_FMT ": no IDE bus %d unit %d (tern has index 0 to 3: "
                   "buses 0-1, units 0-1)", DRIVE_OPT_ARGS(od), bus, unit);
        return -EINVAL;
    }
    if (d->iface == DRIVE_IF_VIRTIO && bus != 0) {
        error_setg(errp, DRIVE_OPT_FMT ": virtio drives have no bus=", DRIVE_OPT_ARGS(od));
        return -EINVAL;
    }
    if (drive_get(t, d->iface, bus, unit)) {
        error_setg(errp, DRIVE_OPT_FMT ": bus %d unit %d is already used by drive '%s'",
                   DRIVE_OPT_ARGS(od), bus, unit, drive_get(t, d->iface, bus, unit)->id);
        return -EINVAL;
    }
    d->bus = bus;
    d->unit = unit;
    return 0;
}

/* QEMU's default names: ide0-hd0, ide1-cd0, virtio0, none0. */
static void drive_default_id(DriveInfo *d, unsigned none_count)
{
    if (d->iface == DRIVE_IF_IDE) {
        snprintf(d->id, sizeof(d->id), "ide%d-%s%d", d->bus,
                 d->media == DRIVE_MEDIA_CDROM ? "cd" : "hd", d->unit);
    } else if (d->iface == DRIVE_IF_VIRTIO) {
        snprintf(d->id, sizeof(d->id), "virtio%d", d->unit);
    } else {
        snprintf(d->id, sizeof(d->id), "none%u", none_count);
    }
}

static int drive_add(DriveTable *t, const OptionDrive *od, unsigned none_count, Error **errp)
{
    DriveInfo *d = &t->drives[t->count];

    *d = (DriveInfo){
        .iface = (DriveInterface)od->iface, .media = (DriveMedia)od->media,
        .bus = -1, .unit = -1,
    };
    if (!od->file[0] && d->media != DRIVE_MEDIA_CDROM) {
        error_setg(errp, DRIVE_OPT_FMT ": file= is required (only a CD-ROM may be empty)",
                   DRIVE_OPT_ARGS(od));
        return -EINVAL;
    }
    if (d->iface != DRIVE_IF_NONE && drive_place(t, d, od, errp) < 0) {
        return -EINVAL;
    }
    if (od->id[0]) {
        strcpy(d->id, od->id);
    } else {
        drive_default_id(d, none_count);
    }
    if (drive_get_by_id(t, d->id)) {
        error_setg(errp, DRIVE_OPT_FMT ": duplicate drive id '%s'", DRIVE_OPT_ARGS(od), d->id);
        return -EINVAL;
    }
    t->count++;
    return 0;
}

static int drive_add_device(DriveTable *t, const OptionBlockDevice *od, Error **errp)
{
    DriveDevice *dev = &t->devices[t->device_count];
    DriveInfo *d = drive_get_by_id(t, od->drive);

    if (!d) {
        error_setg(errp, "-device %s: no drive with id '%s' (add -drive if=none,id=%s,file=...)",
                   od->arg, od->drive, od->drive);
        return -EINVAL;
    }
    if (d->iface != DRIVE_IF_NONE) {
        error_setg(errp, "-device %s: drive '%s' already has its device (use -drive if=none "
                   "for -device)", od->arg, od->drive);
        return -EINVAL;
    }
    for (unsigned i = 0; i < t->device_count; i++) {
        if (t->devices[i].drive == d) {
            error_setg(errp, "-device %s: drive '%s' is used by two devices", od->arg,
                       od->drive);
            return -EINVAL;
        }
    }
    *dev = (DriveDevice){ .kind = (DriveDeviceKind)od->kind, .drive = d, .bus = -1, .unit = -1 };
    if (dev->kind != DRIVE_DEVICE_VIRTIO_BLK) {
        int bus = od->bus >= 0 ? od->bus : 0, unit = od->unit >= 0 ? od->unit : 0;
        /* the first free position from the one asked for */
        while (od->unit < 0 && bus < DRIVE_IDE_BUSES && drive_ide_used(t, bus, unit)) {
            if (++unit == DRIVE_IDE_UNITS) {
                unit = 0;
                bus = od->bus >= 0 ? DRIVE_IDE_BUSES : bus + 1;
            }
        }
        if (bus >= DRIVE_IDE_BUSES || drive_ide_used(t, bus, unit)) {
            error_setg(errp, "-device %s: no free IDE position%s", od->arg,
                       od->unit >= 0 ? " there" : "");
            return -EINVAL;
        }
        dev->bus = bus;
        dev->unit = unit;
    }
    t->device_count++;
    return 0;
}

int drive_table_build(DriveTable *t, const TernOptions *o, Error **errp)
{
    unsigned none_count = 0;

    memset(t, 0, sizeof(*t));
    for (unsigned i = 0; i < o->drive_count; i++) {
        if (drive_add(t, &o->drives[i], none_count, errp) < 0) {
            return -EINVAL;
        }
        none_count += o->drives[i].iface == DRIVE_IF_NONE;
    }
    for (unsigned i = 0; i < o->block_device_count; i++) {
        if (drive_add_device(t, &o->block_devices[i], errp) < 0) {
            return -EINVAL;
        }
    }
    for (unsigned i = 0; i < t->count; i++) {
        DriveInfo *d = &t->drives[i];
        bool used = d->iface != DRIVE_IF_NONE;
        for (unsigned j = 0; j < t->device_count; j++) {
            used |= t->devices[j].drive == d;
        }
        if (!used) {
            warn_report("-drive %s: drive '%s' is if=none and no -device uses it "
                        "(add -device virtio-blk-pci,drive=%s)", o->drives[i].arg, d->id, d->id);
        }
    }
    return 0;
}

int drive_table_open(DriveTable *t, const TernOptions *o, Error **errp)
{
    if (drive_table_build(t, o, errp) < 0) {
        return -EINVAL;
    }
    for (unsigned i = 0; i < t->count; i++) {
        const OptionDrive *od = &o->drives[i];
        bool cdrom = od->media == DRIVE_MEDIA_CDROM;
        bool read_only = cdrom || od->read_only == 1;
        BlockOpenOptions bo = {
            .filename = od->file,
            .format = od->format[0] ? od->format : NULL,
            .read_only = read_only,
            .snapshot = !read_only && (od->snapshot >= 0 ? od->snapshot == 1 : o->snapshot),
            .cache = (BlockCacheMode)od->cache,
            .what = od->opt,
        };
        if (!od->file[0]) {
            continue;                   /* a CD-ROM drive with no disc */
        }
        t->drives[i].blk = blk_open(&bo, errp);
        if (!t->drives[i].blk) {
            drive_table_close(t);
            return -EINVAL;
        }
    }
    return 0;
}

int drive_table_flush(DriveTable *t)
{
    int ret = 0;

    for (unsigned i = 0; i < t->count; i++) {
        int r = t->drives[i].blk ? blk_flush(t->drives[i].blk) : 0;
        ret = ret < 0 ? ret : r;
    }
    return ret;
}

void drive_table_close(DriveTable *t)
{
    for (unsigned i = 0; i < t->count; i++) {
        blk_close(t->drives[i].blk);
        t->drives[i].blk = NULL;
    }
    t->count = 0;
    t->device_count = 0;
}
