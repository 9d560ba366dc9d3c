/*
 * virtio-blk.c: the virtio block device (virtio 1.2 spec, 5.2) and its
 * PCI function; the request format is in include/hw/virtio/virtio-blk.h.
 *
 * Bounds: a request's sector and length are checked against the capacity
 * before any block call (sector first, so sector * 512 cannot wrap); data
 * goes through the device's 64 KiB bounce buffer, so no allocation
 * depends on a guest length.
 */
#include "util/osdep.h"
#include "util/bytes.h"
#include "hw/virtio/virtio-blk.h"

static uint64_t virtio_blk_sectors(const VirtIOBlock *s)
{
    return blk_length(s->blk) / VIRTIO_BLK_SECTOR_SIZE;
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *buf, unsigned len)
{
    VirtIOBlock *s = container_of(vdev, VirtIOBlock, vdev);

    assert(len >= VIRTIO_BLK_CONFIG_SIZE);
    st_le(buf + VIRTIO_BLK_CFG_CAPACITY, virtio_blk_sectors(s), 8);
    st_le(buf + VIRTIO_BLK_CFG_SIZE_MAX, VIRTIO_BLK_SIZE_MAX, 4);
    /* the header and the status take two of the queue's descriptors */
    st_le(buf + VIRTIO_BLK_CFG_SEG_MAX, VIRTIO_BLK_QUEUE_SIZE - 2, 4);
    st_le(buf + VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR_SIZE, 4);
    st_le(buf + VIRTIO_BLK_CFG_NUM_QUEUES, 1, 2);
}

/* Read (IN) or write (OUT) len bytes at sector, the data at byte `data`
 * of the element's readable part (OUT) or at 0 of its writable part. */
static uint8_t virtio_blk_rw(VirtIOBlock *s, const VirtQueueElement *e, uint64_t sector,
                             uint64_t data, uint64_t len, bool write)
{
    uint64_t sectors = virtio_blk_sectors(s), offset = sector * VIRTIO_BLK_SECTOR_SIZE;

    if (len % VIRTIO_BLK_SECTOR_SIZE || sector > sectors ||
        len / VIRTIO_BLK_SECTOR_SIZE > sectors - sector ||
        (write && blk_is_read_only(s->blk))) {
        return VIRTIO_BLK_S_IOERR;
    }
    for (uint64_t done = 0, n; done < len; done += n) {
        n = MIN(len - done, sizeof(s->bounce));
        if (write) {
            if (!virtio_elem_read(&s->vdev, e, data + done, s->bounce, n) ||
                blk_pwrite(s->blk, offset + done, s->bounce, n) < 0) {
                return VIRTIO_BLK_S_IOERR;
            }
        } else if (blk_pread(s->blk, offset + done, s->bounce, n) < 0 ||
                   !virtio_elem_write(&s->vdev, e, done, s->bounce, n)) {
            return VIRTIO_BLK_S_IOERR;
        }
    }
    return VIRTIO_BLK_S_OK;
}

/* Run one request; *written: the bytes it wrote to the writable part.
 * false: the chain cannot hold a request (the device is in error). */
static bool virtio_blk_request(VirtIOBlock *s, const VirtQueueElement *e, uint32_t *written)
{
    uint8_t hdr[VIRTIO_BLK_REQ_HDR_SIZE], status;
    uint64_t out_data, in_data, sector;
    uint32_t n;

    if (e->out_len < VIRTIO_BLK_REQ_HDR_SIZE || e->in_len < 1) {
        return virtio_error(&s->vdev, "request without a header or a status byte");
    }
    if (!virtio_elem_read(&s->vdev, e, 0, hdr, sizeof(hdr))) {
        return virtio_error(&s->vdev, "request header unreadable");
    }
    out_data = e->out_len - VIRTIO_BLK_REQ_HDR_SIZE;
    in_data = e->in_len - 1;            /* the last writable byte is the status */
    sector = ld_le(hdr + 8, 8);
    n = 0;
    switch (ld_le(hdr, 4)) {
    case VIRTIO_BLK_T_IN:
        status = virtio_blk_rw(s, e, sector, 0, in_data, false);
        n = status == VIRTIO_BLK_S_OK ? in_data : 0;
        break;
    case VIRTIO_BLK_T_OUT:
        status = virtio_blk_rw(s, e, sector, VIRTIO_BLK_REQ_HDR_SIZE, out_data, true);
        break;
    case VIRTIO_BLK_T_FLUSH:
        status = blk_flush(s->blk) < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
        break;
    case VIRTIO_BLK_T_GET_ID:
        n = MIN(in_data, VIRTIO_BLK_ID_BYTES);
        status = virtio_elem_write(&s->vdev, e, 0, s->serial, n) ? VIRTIO_BLK_S_OK
                                                                  : VIRTIO_BLK_S_IOERR;
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    if (!virtio_elem_write(&s->vdev, e, e->in_len - 1, &status, 1)) {
        return virtio_error(&s->vdev, "request status byte unwritable");
    }
    *written = n + 1;
    return true;
}

static void virtio_blk_handle_queue(VirtIODevice *vdev, unsigned n)
{
    VirtIOBlock *s = container_of(vdev, VirtIOBlock, vdev);
    VirtQueueElement *e = &vdev->elem;
    bool pushed = false;
    uint32_t written = 0;

    while (virtqueue_pop(vdev, n, e) == 1 && virtio_blk_request(s, e, &written)) {
        virtqueue_push(vdev, n, e, written);
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(vdev, n);
    }
}

static const VirtIODeviceOps virtio_blk_ops = {
    .handle_queue = virtio_blk_handle_queue,
    .get_config = virtio_blk_get_config,
};

void virtio_blk_init(VirtIOBlock *s, AddressSpace *dma_as, BlockBackend *blk,
                     const char *serial)
{
    uint64_t features = 1ull << VIRTIO_BLK_F_SIZE_MAX | 1ull << VIRTIO_BLK_F_SEG_MAX |
                        1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_FLUSH;

    assert(blk);
    if (blk_is_read_only(blk)) {
        features |= 1ull << VIRTIO_BLK_F_RO;
    }
    virtio_init(&s->vdev, "virtio-blk", VIRTIO_ID_BLOCK, &virtio_blk_ops, dma_as, features,
                1, VIRTIO_BLK_QUEUE_SIZE, VIRTIO_BLK_CONFIG_SIZE);
    s->blk = blk;
    /* GET_ID: up to 20 bytes, NUL-padded (not terminated when all 20 are used) */
    memset(s->serial, 0, sizeof(s->serial));
    snprintf(s->serial, sizeof(s->serial), "%s", serial ? serial : "");
}
