/*
 * virtio.h: the transport-independent part of a virtio 1.x device
 * (virtio 1.2 spec, ch. 2 and 3): feature negotiation, device status,
 * split virtqueues, the interrupt status (ISR) bits.
 *
 * A device model (virtio-blk) embeds a VirtIODevice, fills it with
 * virtio_init and handles its queues in ops->handle_queue: it takes
 * requests with virtqueue_pop, moves their data with virtio_elem_read /
 * virtio_elem_write, completes them with virtqueue_push and ends a batch
 * with virtqueue_notify.  A transport (virtio-pci) reads and writes the
 * registers below and is told by the update_irq hook when the ISR changed.
 *
 * Guest input is never trusted.  Every descriptor chain is walked with a
 * bound (the queue size, indirect tables included), every buffer and ring
 * must lie in guest RAM (a range of dma_as that is RAM, never MMIO), and
 * any violation puts the device in the error state: DEVICE_NEEDS_RESET in
 * the status, a config-change interrupt, one LOG_GUEST_ERROR line, and no
 * queue processing until the driver resets the device.  Nothing the guest
 * writes changes how much memory the device allocates.
 *
 * Locking: everything runs under the machine lock (MMIO from the vCPU).
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "util/osdep.h"
#include "exec/memory.h"

/* Device status (2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE   0x01
#define VIRTIO_STATUS_DRIVER        0x02
#define VIRTIO_STATUS_DRIVER_OK     0x04
#define VIRTIO_STATUS_FEATURES_OK   0x08
#define VIRTIO_STATUS_NEEDS_RESET   0x40
#define VIRTIO_STATUS_FAILED        0x80

/* Device-independent feature bits (6) */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32

/* ISR bits (4.1.4.5) */
#define VIRTIO_ISR_QUEUE            0x01
#define VIRTIO_ISR_CONFIG           0x02

/* Split virtqueue layout (2.7) */
#define VRING_DESC_SIZE             16
#define VRING_DESC_F_NEXT           1
#define VRING_DESC_F_WRITE          2
#define VRING_DESC_F_INDIRECT       4
#define VRING_AVAIL_F_NO_INTERRUPT  1
#define VRING_USED_ELEM_SIZE        8

/* The largest queue a device offers (and so the longest chain, and the
 * most segments an element holds). */
#define VIRTQUEUE_MAX_SIZE          256
#define VIRTIO_QUEUE_MAX            8
#define VIRTIO_CONFIG_MAX           256         /* bytes of device configuration */
#define VIRTIO_NO_VECTOR            0xffff

typedef struct VirtIODevice VirtIODevice;

/* One guest buffer of an element: driver-readable or device-writable. */
typedef struct VirtIOSegment {
    uint64_t addr;
    uint32_t len;
} VirtIOSegment;

/* A request popped from the avail ring: its head descriptor and its
 * buffers, the readable ones first (the spec's order, checked). */
typedef struct VirtQueueElement {
    uint16_t head;
    unsigned out_num, in_num;            /* readable, writable segments */
    uint64_t out_len, in_len;            /* their total bytes */
    VirtIOSegment seg[VIRTQUEUE_MAX_SIZE];   /* out_num readable, then in_num writable */
} VirtQueueElement;

typedef struct VirtQueue {
    uint16_t max_size;                   /* 0: no such queue */
    uint16_t size;                       /* driver-chosen, a power of two <= max_size */
    bool enabled;
    uint16_t notify_off;                 /* queue_notify_off (the transport's) */
    uint64_t desc, avail, used;          /* ring addresses in dma_as */
    uint16_t last_avail_idx;             /* next avail entry to take */
    uint16_t used_idx;                   /* next used entry to write */
    uint16_t signalled_used;             /* used_idx at the last interrupt (EVENT_IDX) */
    bool signalled_used_valid;
} VirtQueue;

typedef struct VirtIODeviceOps {
    /* Queue n was notified (driver OK, device not in error). */
    void (*handle_queue)(VirtIODevice *vdev, unsigned n);
    /* Fill buf[0..len) with the device-specific configuration. */
    void (*get_config)(VirtIODevice *vdev, uint8_t *buf, unsigned len);
    /* After the core state went back to its reset values (optional). */
    void (*reset)(VirtIODevice *vdev);
} VirtIODeviceOps;

struct VirtIODevice {
    const char *name;                    /* for log lines */
    uint16_t device_id;                  /* 2 = block (5) */
    const VirtIODeviceOps *ops;
    AddressSpace *dma_as;                /* where rings and buffers live */
    uint64_t host_features;
    uint64_t guest_features;             /* what the driver wrote (reset: 0) */
    uint8_t status;
    uint8_t isr;
    uint8_t config_generation;
    unsigned config_len;                 /* bytes of device configuration */
    unsigned num_queues;
    VirtQueue vq[VIRTIO_QUEUE_MAX];
    VirtQueueElement elem;               /* the one element in flight (scratch) */
    /* the transport: the ISR changed */
    void (*update_irq)(void *opaque);
    void *irq_opaque;
};

/* Set up vdev with num_queues queues of max_size entries (a power of two
 * <= VIRTQUEUE_MAX_SIZE), the features it offers (VERSION_1 and
 * INDIRECT_DESC/EVENT_IDX are added) and config_len (<= VIRTIO_CONFIG_MAX)
 * bytes of configuration; then reset it. */
void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id,
                 const VirtIODeviceOps *ops, AddressSpace *dma_as, uint64_t features,
                 unsigned num_queues, uint16_t max_size, unsigned config_len);
/* Status 0: features, queues and ISR back to their reset values. */
void virtio_reset(VirtIODevice *vdev);
/* A driver's status write (0 resets; FEATURES_OK is kept only when the
 * accepted features are a subset of the offered ones with VERSION_1). */
void virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* The driver's accepted features, 32 bits at a time (sel 0 or 1); ignored
 * once FEATURES_OK is set. */
void virtio_set_guest_features(VirtIODevice *vdev, unsigned sel, uint32_t val);
static inline bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return vdev->guest_features >> bit & 1;
}
/* Enable queue n with the addresses and size the driver wrote: checked
 * (size, alignment, rings inside RAM); a bad queue is the error state. */
void virtio_queue_enable(VirtIODevice *vdev, unsigned n);
/* The driver notified queue n: process it if the device is running. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);
/* Read and clear the ISR (the transport's ISR register). */
uint8_t virtio_isr_read_clear(VirtIODevice *vdev);
/* The device's configuration bytes [off, off + len), 0 past its end. */
uint64_t virtio_config_read(VirtIODevice *vdev, unsigned off, unsigned len);
/* Enter the error state (see above) with one log line; later errors
 * until the reset are silent.  Returns false, for `return virtio_error()`. */
bool virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline bool virtio_broken(const VirtIODevice *vdev)
{
    return vdev->status & VIRTIO_STATUS_NEEDS_RESET;
}

/* Take the next available request of queue n into elem: 1 when one
 * was taken, 0 when the ring is empty, -1 on a malformed ring (the device
 * is then in the error state). */
int virtqueue_pop(VirtIODevice *vdev, unsigned n, VirtQueueElement *elem);
/* Complete elem: a used entry with len bytes written. */
void virtqueue_push(VirtIODevice *vdev, unsigned n, const VirtQueueElement *elem, uint32_t len);
/* After pushes: interrupt the driver unless it suppressed it. */
void virtqueue_notify(VirtIODevice *vdev, unsigned n);

/* Copy between host memory and an element's buffers, starting at byte off
 * of its readable (read) or writable (write) part.  false (nothing more
 * copied) when the range passes the end of that part or RAM refused it. */
bool virtio_elem_read(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t off,
                      void *buf, uint64_t len);
bool virtio_elem_write(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t off,
                       const void *buf, uint64_t len);

#endif
