/*
 * virtio-blk.h: the virtio block device (virtio 1.2 spec, 5.2) on a
 * BlockBackend, and its PCI function (virtio-blk-pci, 1af4:1042).
 *
 * One request queue of VIRTIO_BLK_QUEUE_SIZE entries.  Requests: IN
 * (read), OUT (write), FLUSH (blk_flush, offered as VIRTIO_BLK_F_FLUSH),
 * GET_ID (the serial, 20 bytes).  A request is a 16-byte header {le32
 * type, le32 reserved, le64 sector} in the readable buffers, the data
 * (readable for OUT, writable for IN), and a status byte, the last
 * writable byte.  Data moves through a fixed bounce buffer, in pieces,
 * whatever the guest's lengths.  A read-only drive offers
 * VIRTIO_BLK_F_RO and fails OUT with IOERR; a transfer that is not whole
 * sectors, or reaches past the capacity, is IOERR; other types UNSUPP.
 * A chain too short for a header and a status byte is a malformed ring
 * (the error state, virtio.h).  Synchronous: a notify runs every
 * available request to completion on the vCPU thread, under the machine
 * lock.
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include "util/osdep.h"
#include "block/block.h"
#include "block/drive.h"
#include "hw/virtio/virtio-pci.h"

#define VIRTIO_ID_BLOCK             2
#define VIRTIO_BLK_QUEUE_SIZE       256
#define VIRTIO_BLK_SECTOR_SIZE      512
#define VIRTIO_BLK_ID_BYTES         20
#define VIRTIO_BLK_BOUNCE_SIZE      (64 * 1024)
#define VIRTIO_BLK_SIZE_MAX         (128 * 1024)    /* per segment, advertised */

/* Feature bits (5.2.3) */
#define VIRTIO_BLK_F_SIZE_MAX       1
#define VIRTIO_BLK_F_SEG_MAX        2
#define VIRTIO_BLK_F_RO             5
#define VIRTIO_BLK_F_BLK_SIZE       6
#define VIRTIO_BLK_F_FLUSH          9

/* Request types and status (5.2.6) */
#define VIRTIO_BLK_T_IN             0
#define VIRTIO_BLK_T_OUT            1
#define VIRTIO_BLK_T_FLUSH          4
#define VIRTIO_BLK_T_GET_ID         8
#define VIRTIO_BLK_S_OK             0
#define VIRTIO_BLK_S_IOERR          1
#define VIRTIO_BLK_S_UNSUPP         2
#define VIRTIO_BLK_REQ_HDR_SIZE     16

/* struct virtio_blk_config: the fields offered (5.2.4) */
#define VIRTIO_BLK_CFG_CAPACITY     0       /* le64, sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX     8       /* le32 */
#define VIRTIO_BLK_CFG_SEG_MAX      12      /* le32 */
#define VIRTIO_BLK_CFG_BLK_SIZE     20      /* le32 */
#define VIRTIO_BLK_CFG_NUM_QUEUES   34      /* le16 */
#define VIRTIO_BLK_CONFIG_SIZE      36

typedef struct VirtIOBlock {
    VirtIODevice vdev;
    BlockBackend *blk;
    char serial[VIRTIO_BLK_ID_BYTES + 1];
    uint8_t bounce[VIRTIO_BLK_BOUNCE_SIZE];
} VirtIOBlock;

typedef struct VirtIOBlockPCI {
    VirtIOPCIProxy proxy;
    VirtIOBlock blk;
} VirtIOBlockPCI;

/* A virtio-blk device on blk (not owned), its buffers in dma_as; serial
 * (GET_ID) is cut to 20 bytes. */
void virtio_blk_init(VirtIOBlock *s, AddressSpace *dma_as, BlockBackend *blk,
                     const char *serial);

/* ---- virtio-blk-pci (hw/virtio/virtio-blk-pci.c) ---- */

/* A virtio-blk-pci function plugged into bus at devfn. */
VirtIOBlockPCI *virtio_blk_pci_new(PCIBus *bus, uint8_t devfn, AddressSpace *dma_as,
                                   BlockBackend *blk, const char *serial);
/* Unplug and free it (the backend stays open). */
void virtio_blk_pci_free(VirtIOBlockPCI *d);
/* The board's hook: one function (function 0 of the first free slot at or
 * after first_slot, in order) for each if=virtio drive by unit, then for
 * each -device virtio-blk-pci,drive=ID; each drive is marked claimed and
 * its id is the serial.  0, or -EINVAL with *errp (a drive without an
 * image, no free slot). */
int virtio_blk_pci_attach_drives(PCIBus *bus, unsigned first_slot, AddressSpace *dma_as,
                                 DriveTable *t, Error **errp);

#endif
