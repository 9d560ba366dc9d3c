/*
 * drive.h: the drives the command line defines (-drive, -hda..-hdd,
 * -cdrom, a bare image argument; -snapshot), opened by main.c and
 * handed to the board in MachineState (docs/block.md, "Drives").
 *
 * QEMU's numbering: if=ide index=N is bus N / 2, unit N % 2 (-hda index
 * 0 = primary master, -hdb 1, -hdc/-cdrom 2 = secondary master, -hdd 3);
 * if=virtio drives become one virtio-blk-pci function each, in order;
 * if=none drives wait for a -device ...,drive=ID that claims them.
 */
#ifndef BLOCK_DRIVE_H
#define BLOCK_DRIVE_H

#include "block/block.h"

#define DRIVE_MAX       16
#define DRIVE_ID_MAX    32
#define DRIVE_IDE_BUSES 2
#define DRIVE_IDE_UNITS 2

typedef enum DriveInterface {
    DRIVE_IF_IDE,
    DRIVE_IF_VIRTIO,
    DRIVE_IF_NONE,
} DriveInterface;

typedef enum DriveMedia {
    DRIVE_MEDIA_DISK,
    DRIVE_MEDIA_CDROM,
} DriveMedia;

typedef struct DriveInfo {
    char id[DRIVE_ID_MAX];       /* id=, or QEMU's default name ("ide0-hd0", "virtio0") */
    DriveInterface iface;
    DriveMedia media;
    int bus, unit;               /* IDE: 0-1 each; virtio: unit = order; none: -1 */
    BlockBackend *blk;           /* NULL: a CD-ROM drive with no disc */
    bool claimed;                /* a device model took it */
} DriveInfo;

typedef struct DriveTable {
    DriveInfo drives[DRIVE_MAX];
    unsigned count;
} DriveTable;

/* The drive at (iface, bus, unit), or NULL. */
DriveInfo *drive_get(DriveTable *t, DriveInterface iface, int bus, int unit);
DriveInfo *drive_get_by_id(DriveTable *t, const char *id);

#endif
