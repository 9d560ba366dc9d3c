/*
 * virtio.c: the transport-independent virtio 1.x device (virtio 1.2
 * spec, 2.1 status, 2.2 features, 2.7 split virtqueues).
 *
 * Split ring layout, little-endian, in guest RAM:
 *   descriptor table  size x { le64 addr; le32 len; le16 flags; le16 next }
 *   avail ring        le16 flags; le16 idx; le16 ring[size]; le16 used_event
 *   used ring         le16 flags; le16 idx; { le32 id; le32 len } ring[size];
 *                     le16 avail_event
 *
 * Validation (the invariants virtqueue_pop keeps): an avail index never
 * runs more than `size` entries ahead of what the device took; a head and
 * every `next` is below `size`; a chain (an indirect table's entries
 * included, the indirect descriptor itself not) has at most `size`
 * buffers, which also ends any loop; an
 * indirect descriptor is alone in its chain level (no NEXT, not inside
 * another indirect table), its table a whole number of descriptors and
 * at most `size` of them; readable buffers precede writable ones; every
 * ring, table and buffer lies in RAM.  Anything else is virtio_error.
 * All guest memory is reached through dma_as with address_space_read/
 * write (so translated code over a buffer the device fills is dropped),
 * after a check that the bytes are RAM: a ring or buffer over MMIO (the
 * device's own BAR, for one) is an error, never a re-entrant access.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "util/bytes.h"
#include "hw/virtio/virtio.h"

#include <stdarg.h>
#include <stdatomic.h>

#define VRING_AVAIL_RING     4          /* offsets in the avail ring */
#define VRING_USED_RING      4          /* ... and the used ring */

/* ---- guest RAM ---------------------------------------------------------- */

/* Whether [addr, addr + len) is RAM in as (writable RAM for a write). */
static bool virtio_ram_ok(AddressSpace *as, uint64_t addr, uint64_t len, bool write)
{
    if (addr + len < addr) {
        return false;
    }
    while (len) {
        FlatRange fr;
        uint64_t n;

        if (!address_space_lookup(as, addr, &fr) || fr.mr->type != MR_RAM ||
            (write && fr.readonly)) {
            return false;
        }
        n = MIN(len, fr.start + fr.size - addr);
        addr += n;
        len -= n;
    }
    return true;
}

static bool virtio_dma_read(VirtIODevice *vdev, uint64_t addr, void *buf, uint64_t len)
{
    return virtio_ram_ok(vdev->dma_as, addr, len, false) &&
           address_space_read(vdev->dma_as, addr, buf, len) == MEMTX_OK;
}

static bool virtio_dma_write(VirtIODevice *vdev, uint64_t addr, const void *buf, uint64_t len)
{
    return virtio_ram_ok(vdev->dma_as, addr, len, true) &&
           address_space_write(vdev->dma_as, addr, buf, len) == MEMTX_OK;
}

/* Ring fields: the rings were checked to lie in RAM when the queue was
 * enabled, so these cannot fail while the memory map stays; if it moved
 * under the driver, the value reads as 0 and the error state follows. */
static uint16_t vring_lduw(VirtIODevice *vdev, uint64_t addr)
{
    uint8_t b[2] = { 0, 0 };

    if (!virtio_dma_read(vdev, addr, b, 2)) {
        virtio_error(vdev, "ring at 0x%" PRIx64 " left RAM", addr);
    }
    return ld_le(b, 2);
}

static void vring_stw(VirtIODevice *vdev, uint64_t addr, uint64_t v, unsigned size)
{
    uint8_t b[8];

    st_le(b, v, size);
    if (!virtio_dma_write(vdev, addr, b, size)) {
        virtio_error(vdev, "ring at 0x%" PRIx64 " left RAM", addr);
    }
}

/* ---- status and features ----------------------------------------------- */

/* Tell the transport the ISR changed (none yet while virtio_init runs). */
static void virtio_update_irq(VirtIODevice *vdev)
{
    if (vdev->update_irq) {
        vdev->update_irq(vdev->irq_opaque);
    }
}

bool virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    char msg[160];

    if (virtio_broken(vdev)) {
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_mask(LOG_GUEST_ERROR, "%s: %s: device needs reset\n", vdev->name, msg);
    vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
        vdev->isr |= VIRTIO_ISR_CONFIG;
        virtio_update_irq(vdev);
    }
    return false;
}

void virtio_reset(VirtIODevice *vdev)
{
    vdev->status = 0;
    vdev->guest_features = 0;
    vdev->isr = 0;
    for (unsigned n = 0; n < vdev->num_queues; n++) {
        VirtQueue *vq = &vdev->vq[n];

        *vq = (VirtQueue){ .max_size = vq->max_size, .size = vq->max_size, .notify_off = n };
    }
    if (vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    virtio_update_irq(vdev);
}

void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id,
                 const VirtIODeviceOps *ops, AddressSpace *dma_as, uint64_t features,
                 unsigned num_queues, uint16_t max_size, unsigned config_len)
{
    assert(num_queues >= 1 && num_queues <= VIRTIO_QUEUE_MAX);
    assert(max_size && max_size <= VIRTQUEUE_MAX_SIZE && !(max_size & (max_size - 1)));
    assert(config_len <= VIRTIO_CONFIG_MAX);
    memset(vdev, 0, sizeof(*vdev));
    vdev->name = name;
    vdev->device_id = device_id;
    vdev->ops = ops;
    vdev->dma_as = dma_as;
    vdev->host_features = features | 1ull << VIRTIO_F_VERSION_1 |
                          1ull << VIRTIO_F_RING_INDIRECT_DESC | 1ull << VIRTIO_F_RING_EVENT_IDX;
    vdev->config_len = config_len;
    vdev->num_queues = num_queues;
    for (unsigned n = 0; n < num_queues; n++) {
        vdev->vq[n].max_size = max_size;
    }
    virtio_reset(vdev);
}

void virtio_set_guest_features(VirtIODevice *vdev, unsigned sel, uint32_t val)
{
    if (sel > 1 || (vdev->status & VIRTIO_STATUS_FEATURES_OK)) {
        return;
    }
    vdev->guest_features &= ~(0xffffffffull << (32 * sel));
    vdev->guest_features |= (uint64_t)val << (32 * sel);
}

void virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    if (val == 0) {
        virtio_reset(vdev);
        return;
    }
    if ((val & VIRTIO_STATUS_FEATURES_OK) && !(vdev->status & VIRTIO_STATUS_FEATURES_OK) &&
        ((vdev->guest_features & ~vdev->host_features) ||
         !virtio_has_feature(vdev, VIRTIO_F_VERSION_1))) {
        /* 3.1.1: the driver reads FEATURES_OK back and gives up */
        val &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    /* NEEDS_RESET is the device's bit: only a reset clears it */
    vdev->status = (val & ~VIRTIO_STATUS_NEEDS_RESET) | (vdev->status & VIRTIO_STATUS_NEEDS_RESET);
}

uint8_t virtio_isr_read_clear(VirtIODevice *vdev)
{
    uint8_t isr = vdev->isr;

    vdev->isr = 0;
    virtio_update_irq(vdev);
    return isr;
}

uint64_t virtio_config_read(VirtIODevice *vdev, unsigned off, unsigned len)
{
    uint8_t buf[VIRTIO_CONFIG_MAX] = { 0 };

    assert(len <= 8);
    if (off >= vdev->config_len || len > vdev->config_len - off) {
        return 0;
    }
    vdev->ops->get_config(vdev, buf, vdev->config_len);
    return ld_le(buf + off, len);
}

/* ---- queues ------------------------------------------------------------ */

void virtio_queue_enable(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];
    uint64_t event = virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX) ? 2 : 0;

    assert(n < vdev->num_queues);
    if (!vq->size || vq->size > vq->max_size || (vq->size & (vq->size - 1))) {
        virtio_error(vdev, "queue %u: size %u", n, vq->size);
        return;
    }
    /* 2.7: descriptor table 16-byte, avail 2-byte, used 4-byte aligned */
    if ((vq->desc & 15) || (vq->avail & 1) || (vq->used & 3) ||
        !virtio_ram_ok(vdev->dma_as, vq->desc, (uint64_t)VRING_DESC_SIZE * vq->size, false) ||
        !virtio_ram_ok(vdev->dma_as, vq->avail, VRING_AVAIL_RING + 2ull * vq->size + event,
                       false) ||
        !virtio_ram_ok(vdev->dma_as, vq->used,
                       VRING_USED_RING + (uint64_t)VRING_USED_ELEM_SIZE * vq->size + event,
                       true)) {
        virtio_error(vdev, "queue %u: rings desc 0x%" PRIx64 " avail 0x%" PRIx64
                     " used 0x%" PRIx64 " not in RAM or misaligned", n, vq->desc,
                     vq->avail, vq->used);
        return;
    }
    vq->enabled = true;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used_valid = false;
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    if (n >= vdev->num_queues || !vdev->vq[n].enabled || virtio_broken(vdev) ||
        !(vdev->status & VIRTIO_STATUS_DRIVER_OK)) {
        return;
    }
    vdev->ops->handle_queue(vdev, n);
}

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
} VRingDesc;

static bool vring_desc_read(VirtIODevice *vdev, uint64_t table, unsigned i, VRingDesc *d)
{
    uint8_t b[VRING_DESC_SIZE];

    if (!virtio_dma_read(vdev, table + (uint64_t)i * VRING_DESC_SIZE, b, sizeof(b))) {
        return virtio_error(vdev, "descriptor %u of table 0x%" PRIx64 " not in RAM", i, table);
    }
    d->addr = ld_le(b, 8);
    d->len = ld_le(b + 8, 4);
    d->flags = ld_le(b + 12, 2);
    d->next = ld_le(b + 14, 2);
    return true;
}

/* Add buffer d to elem (count: descriptors seen in this chain). */
static bool virtqueue_add_seg(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem,
                              const VRingDesc *d)
{
    bool write = d->flags & VRING_DESC_F_WRITE;

    if (!write && elem->in_num) {
        return virtio_error(vdev, "queue %u: readable buffer after a writable one", n);
    }
    if (!virtio_ram_ok(vdev->dma_as, d->addr, d->len, write)) {
        return virtio_error(vdev, "queue %u: buffer 0x%" PRIx64 "+0x%x not in RAM", n, d->addr,
                            d->len);
    }
    elem->seg[elem->out_num + elem->in_num] = (VirtIOSegment){ d->addr, d->len };
    if (write) {
        elem->in_num++;
        elem->in_len += d->len;
    } else {
        elem->out_num++;
        elem->out_len += d->len;
    }
    return true;
}

/* Walk the chain from head in the table at `table` of `num` entries; an
 * indirect descriptor (only allowed at the top level) recurses once.
 * *count: the buffers so far, at most the queue size (Linux fills an
 * indirect table with seg_max + 2 = the queue size). */
static bool virtqueue_walk(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem,
                           uint64_t table, unsigned num, unsigned i, bool indirect,
                           unsigned *count)
{
    VirtQueue *vq = &vdev->vq[n];
    VRingDesc d = { 0 };

    for (;;) {
        if (i >= num) {
            return virtio_error(vdev, "queue %u: descriptor index %u >= %u", n, i, num);
        }
        if (++*count > vq->size) {
            return virtio_error(vdev, "queue %u: chain longer than %u descriptors (a loop?)",
                                n, vq->size);
        }
        if (!vring_desc_read(vdev, table, i, &d)) {
            return false;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (indirect || !virtio_has_feature(vdev, VIRTIO_F_RING_INDIRECT_DESC) ||
                (d.flags & VRING_DESC_F_NEXT)) {
                return virtio_error(vdev, "queue %u: indirect descriptor %u not allowed here",
                                    n, i);
            }
            if (!d.len || d.len % VRING_DESC_SIZE || d.len / VRING_DESC_SIZE > vq->size) {
                return virtio_error(vdev, "queue %u: indirect table of 0x%x bytes", n, d.len);
            }
            --*count;           /* a table, not a buffer: its entries count */
            return virtqueue_walk(vdev, n, elem, d.addr, d.len / VRING_DESC_SIZE, 0, true,
                                  count);
        }
        if (!virtqueue_add_seg(vdev, n, elem, &d)) {
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        i = d.next;
    }
}

int virtqueue_pop(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem)
{
    VirtQueue *vq = &vdev->vq[n];
    uint16_t avail_idx, head;
    unsigned count = 0;

    if (virtio_broken(vdev) || !vq->enabled) {
        return virtio_broken(vdev) ? -1 : 0;
    }
    avail_idx = vring_lduw(vdev, vq->avail + 2);
    if (virtio_broken(vdev)) {
        return -1;
    }
    if ((uint16_t)(avail_idx - vq->last_avail_idx) > vq->size) {
        virtio_error(vdev, "queue %u: avail idx %u is more than %u ahead of %u", n,
                     avail_idx, vq->size, vq->last_avail_idx);
        return -1;
    }
    if (avail_idx == vq->last_avail_idx) {
        return 0;
    }
    /* read the entry only after the index that published it */
    atomic_thread_fence(memory_order_acquire);
    head = vring_lduw(vdev, vq->avail + VRING_AVAIL_RING + 2u * (vq->last_avail_idx % vq->size));
    elem->head = head;
    elem->out_num = elem->in_num = 0;
    elem->out_len = elem->in_len = 0;
    if (!virtqueue_walk(vdev, n, elem, vq->desc, vq->size, head, false, &count) ||
        virtio_broken(vdev)) {
        return -1;
    }
    vq->last_avail_idx++;
    if (virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX)) {
        /* avail_event: the driver notifies again when it publishes the next entry */
        vring_stw(vdev, vq->used + VRING_USED_RING + VRING_USED_ELEM_SIZE * vq->size,
                  vq->last_avail_idx, 2);
    }
    return 1;
}

void virtqueue_push(VirtIODevice *vdev, unsigned n, const VirtQueueElement *elem, uint32_t len)
{
    VirtQueue *vq = &vdev->vq[n];
    uint64_t e = vq->used + VRING_USED_RING + VRING_USED_ELEM_SIZE * (vq->used_idx % vq->size);

    vring_stw(vdev, e, elem->head, 4);
    vring_stw(vdev, e + 4, len, 4);
    /* the entry before the index that publishes it */
    atomic_thread_fence(memory_order_release);
    vq->used_idx++;
    vring_stw(vdev, vq->used + 2, vq->used_idx, 2);
}

void virtqueue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];
    bool need;

    if (virtio_broken(vdev)) {
        return;                 /* virtio_error raised the config interrupt */
    }
    atomic_thread_fence(memory_order_seq_cst);
    if (virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX)) {
        /* 2.7.10: interrupt when used_idx passed used_event since the last one */
        uint16_t event = vring_lduw(vdev, vq->avail + VRING_AVAIL_RING + 2u * vq->size);
        uint16_t old = vq->signalled_used;

        need = !vq->signalled_used_valid ||
               (uint16_t)(vq->used_idx - event - 1) < (uint16_t)(vq->used_idx - old);
    } else {
        need = !(vring_lduw(vdev, vq->avail) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (need && !virtio_broken(vdev)) {
        vdev->isr |= VIRTIO_ISR_QUEUE;
        virtio_update_irq(vdev);
    }
}

/* ---- element data ------------------------------------------------------ */

/* Copy len bytes at byte off of the readable (write false) or writable
 * part of elem, to or from buf. */
static bool virtio_elem_copy(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t off,
                             uint8_t *buf, uint64_t len, bool write)
{
    unsigned first = write ? elem->out_num : 0;
    unsigned num = write ? elem->in_num : elem->out_num;

    for (unsigned i = first; i < first + num && len; i++) {
        const VirtIOSegment *s = &elem->seg[i];
        uint64_t n;

        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        n = MIN(len, s->len - off);
        if (!(write ? virtio_dma_write(vdev, s->addr + off, buf, n)
                    : virtio_dma_read(vdev, s->addr + off, buf, n))) {
            return false;
        }
        buf += n;
        len -= n;
        off = 0;
    }
    return len == 0;
}

bool virtio_elem_read(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t off,
                      void *buf, uint64_t len)
{
    return virtio_elem_copy(vdev, elem, off, buf, len, false);
}

bool virtio_elem_write(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t off,
                       const void *buf, uint64_t len)
{
    return virtio_elem_copy(vdev, elem, off, (uint8_t *)buf, len, true);
}
