/*
 * drive.h: the drives the command line defines (-drive, -hda..-hdd,
 * -cdrom, a bare image argument; -snapshot), opened by main.c and
 * handed to the board in MachineState (docs/block.md, "Drives").
 *
 * QEMU's numbering: if=ide index=N is bus N / 2, unit N % 2 (-hda index
 * 0 = primary master, -hdb 1, -hdc/-cdrom 2 = secondary master, -hdd 3);
 * if=virtio drives become one virtio-blk-pci function each, in order;
 * if=none drives wait for a -device ...,drive=ID that claims them: the
 * table lists those requests (devices[]), each with its drive.
 */
#ifndef BLOCK_DRIVE_H
#define BLOCK_DRIVE_H

#include "block/block.h"
#include "util/option.h"

#define DRIVE_MAX       16
#define DRIVE_ID_MAX    32
#define DRIVE_IDE_BUSES 2
#define DRIVE_IDE_UNITS 2

typedef struct DriveInfo {
    char id[DRIVE_ID_MAX];       /* id=, or QEMU's default name ("ide0-hd0", "virtio0") */
    DriveInterface iface;
    DriveMedia media;
    int bus, unit;               /* IDE: 0-1 each; virtio: unit = order; none: -1 */
    BlockBackend *blk;           /* NULL: a CD-ROM drive with no disc */
    bool claimed;                /* a device model took it */
} DriveInfo;

/* -device virtio-blk-pci|ide-hd|ide-cd,drive=ID: a device for an if=none
 * drive, for the board to create. */
typedef struct DriveDevice {
    DriveDeviceKind kind;
    DriveInfo *drive;            /* its if=none drive (blk may be NULL: no disc) */
    int bus, unit;               /* IDE: a position no if=ide drive uses; virtio: -1 */
} DriveDevice;

typedef struct DriveTable {
    DriveInfo drives[DRIVE_MAX];
    unsigned count;
    DriveDevice devices[DRIVE_MAX];
    unsigned device_count;
} DriveTable;

/* Fill t from the command line's drives and -snapshot: number them (QEMU's
 * rules), name them, check them (duplicate positions or ids, the -device
 * requests' drive=), but open nothing.  0, or -EINVAL with a one-line
 * *errp.  Warns about an if=none drive no -device uses. */
int drive_table_build(DriveTable *t, const TernOptions *o, Error **errp);
/* drive_table_build, then open every image; on an error nothing stays open. */
int drive_table_open(DriveTable *t, const TernOptions *o, Error **errp);
/* blk_flush every drive: 0, or the first error. */
int drive_table_flush(DriveTable *t);
/* blk_close every drive (which flushes); t is empty afterwards. */
void drive_table_close(DriveTable *t);

/* The drive at (iface, bus, unit), or NULL. */
DriveInfo *drive_get(DriveTable *t, DriveInterface iface, int bus, int unit);
DriveInfo *drive_get_by_id(DriveTable *t, const char *id);

#endif
