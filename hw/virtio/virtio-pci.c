/*
 * virtio-pci.c: the modern virtio PCI transport (virtio 1.2 spec, 4.1;
 * the layout is in include/hw/virtio/virtio-pci.h).
 *
 * The common configuration structure's fields are answered at their own
 * offset, each with the access its width implies (64-bit fields as two
 * 32-bit halves); other accesses in the 4 KiB window read 0 and are
 * dropped.  Queue registers name the queue queue_select picks; selecting
 * a queue the device lacks reads size 0, as the spec asks.  A queue's
 * size and addresses are writable until queue_enable is written with 1,
 * which checks them (virtio_queue_enable).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/virtio/virtio-pci.h"

/* One capability per register block: its cfg_type and window. */
static const struct {
    uint8_t cfg_type;
    uint32_t offset;
} virtio_pci_caps[] = {
    { VIRTIO_PCI_CAP_COMMON_CFG, 0x0000 },
    { VIRTIO_PCI_CAP_ISR_CFG,    0x1000 },
    { VIRTIO_PCI_CAP_DEVICE_CFG, 0x2000 },
    { VIRTIO_PCI_CAP_NOTIFY_CFG, 0x3000 },
};

static VirtQueue *virtio_pci_queue(VirtIOPCIProxy *p)
{
    return p->queue_sel < p->vdev->num_queues ? &p->vdev->vq[p->queue_sel] : NULL;
}

/* Replace bits [32 * hi, 32 * hi + 32) of *field with val. */
static void set_half(uint64_t *field, bool hi, uint64_t val)
{
    unsigned shift = hi ? 32 : 0;

    *field = (*field & ~(0xffffffffull << shift)) | (val & 0xffffffff) << shift;
}

static uint64_t virtio_pci_common_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = virtio_pci_queue(p);

    (void)size;
    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        return p->dfselect;
    case VIRTIO_PCI_COMMON_DF:
        return p->dfselect < 2 ? (uint32_t)(vdev->host_features >> (32 * p->dfselect)) : 0;
    case VIRTIO_PCI_COMMON_GFSELECT:
        return p->gfselect;
    case VIRTIO_PCI_COMMON_GF:
        return p->gfselect < 2 ? (uint32_t)(vdev->guest_features >> (32 * p->gfselect)) : 0;
    case VIRTIO_PCI_COMMON_MSIX:
    case VIRTIO_PCI_COMMON_Q_MSIX:
        return VIRTIO_NO_VECTOR;
    case VIRTIO_PCI_COMMON_NUMQ:
        return vdev->num_queues;
    case VIRTIO_PCI_COMMON_STATUS:
        return vdev->status;
    case VIRTIO_PCI_COMMON_CFGGENERATION:
        return vdev->config_generation;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        return p->queue_sel;
    }
    if (!vq) {
        return 0;
    }
    switch (addr) {
    case VIRTIO_PCI_COMMON_Q_SIZE:
        return vq->size;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        return vq->enabled;
    case VIRTIO_PCI_COMMON_Q_NOFF:
        return vq->notify_off;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        return (uint32_t)(vq->desc >> (addr == VIRTIO_PCI_COMMON_Q_DESCHI ? 32 : 0));
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        return (uint32_t)(vq->avail >> (addr == VIRTIO_PCI_COMMON_Q_AVAILHI ? 32 : 0));
    case VIRTIO_PCI_COMMON_Q_USEDLO:
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        return (uint32_t)(vq->used >> (addr == VIRTIO_PCI_COMMON_Q_USEDHI ? 32 : 0));
    }
    return 0;
}

static void virtio_pci_common_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = virtio_pci_queue(p);

    (void)size;
    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        p->dfselect = val;
        return;
    case VIRTIO_PCI_COMMON_GFSELECT:
        p->gfselect = val;
        return;
    case VIRTIO_PCI_COMMON_GF:
        virtio_set_guest_features(vdev, p->gfselect, val);
        return;
    case VIRTIO_PCI_COMMON_STATUS:
        virtio_set_status(vdev, val);
        return;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        p->queue_sel = val;
        return;
    }
    if (!vq || vq->enabled) {
        return;                 /* 4.1.4.3.2: fixed while the queue is enabled */
    }
    switch (addr) {
    case VIRTIO_PCI_COMMON_Q_SIZE:
        vq->size = val;
        return;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        if (val == 1) {
            virtio_queue_enable(vdev, p->queue_sel);
        }
        return;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        set_half(&vq->desc, addr == VIRTIO_PCI_COMMON_Q_DESCHI, val);
        return;
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        set_half(&vq->avail, addr == VIRTIO_PCI_COMMON_Q_AVAILHI, val);
        return;
    case VIRTIO_PCI_COMMON_Q_USEDLO:
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        set_half(&vq->used, addr == VIRTIO_PCI_COMMON_Q_USEDHI, val);
        return;
    }
}

static uint64_t virtio_pci_isr_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    (void)size;
    return addr == 0 ? virtio_isr_read_clear(p->vdev) : 0;
}

static uint64_t virtio_pci_device_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    return virtio_config_read(p->vdev, addr, size);
}

static uint64_t virtio_pci_zero_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)opaque, (void)addr, (void)size;
    return 0;
}

static void virtio_pci_ignore_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    (void)opaque, (void)addr, (void)val, (void)size;
}

static void virtio_pci_notify_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    (void)val, (void)size;
    if (addr % VIRTIO_PCI_NOTIFY_MULTIPLIER ||
        !(pci_get_word(p->pci.config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return;
    }
    virtio_queue_notify(p->vdev, addr / VIRTIO_PCI_NOTIFY_MULTIPLIER);
}

static const MemoryRegionOps virtio_pci_common_ops = {
    .read = virtio_pci_common_read,
    .write = virtio_pci_common_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_isr_ops = {
    .read = virtio_pci_isr_read,
    .write = virtio_pci_ignore_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_device_ops = {
    .read = virtio_pci_device_read,
    .write = virtio_pci_ignore_write,  /* no writable configuration field offered */
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static const MemoryRegionOps virtio_pci_notify_ops = {
    .read = virtio_pci_zero_read,
    .write = virtio_pci_notify_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static void virtio_pci_update_irq(void *opaque)
{
    VirtIOPCIProxy *p = opaque;

    pci_set_irq(&p->pci, p->vdev->isr != 0);
}

static void virtio_pci_reset(PCIDevice *d)
{
    VirtIOPCIProxy *p = container_of(d, VirtIOPCIProxy, pci);

    p->dfselect = p->gfselect = 0;
    p->queue_sel = 0;
    virtio_reset(p->vdev);
}

static const PCIDeviceOps virtio_pci_ops = {
    .reset = virtio_pci_reset,
};

static void virtio_pci_add_caps(VirtIOPCIProxy *p)
{
    for (unsigned i = 0; i < ARRAY_SIZE(virtio_pci_caps); i++) {
        bool notify = virtio_pci_caps[i].cfg_type == VIRTIO_PCI_CAP_NOTIFY_CFG;
        unsigned len = notify ? VIRTIO_PCI_NOTIFY_CAP_SIZE : VIRTIO_PCI_CAP_SIZE;
        unsigned off = pci_add_capability(&p->pci, PCI_CAP_ID_VNDR, len);
        uint8_t *cap = p->pci.config + off;

        cap[2] = len;                                   /* cap_len */
        cap[VIRTIO_PCI_CAP_CFG_TYPE] = virtio_pci_caps[i].cfg_type;
        cap[VIRTIO_PCI_CAP_BAR] = VIRTIO_PCI_BAR;
        pci_set_long(cap + VIRTIO_PCI_CAP_OFFSET, virtio_pci_caps[i].offset);
        pci_set_long(cap + VIRTIO_PCI_CAP_LENGTH, VIRTIO_PCI_REGION_SIZE);
        if (notify) {
            pci_set_long(cap + VIRTIO_PCI_NOTIFY_CAP_MULT, VIRTIO_PCI_NOTIFY_MULTIPLIER);
        }
    }
}

void virtio_pci_init(VirtIOPCIProxy *p, const char *name, VirtIODevice *vdev,
                     uint16_t class_code)
{
    struct {
        MemoryRegion *mr;
        const MemoryRegionOps *ops;
        const char *name;
    } regions[] = {
        { &p->common, &virtio_pci_common_ops, "virtio-pci-common" },
        { &p->isr, &virtio_pci_isr_ops, "virtio-pci-isr" },
        { &p->device, &virtio_pci_device_ops, "virtio-pci-device" },
        { &p->notify, &virtio_pci_notify_ops, "virtio-pci-notify" },
    };

    _Static_assert(ARRAY_SIZE(regions) == ARRAY_SIZE(virtio_pci_caps), "one region per cap");
    pci_device_init(&p->pci, name, &virtio_pci_ops);
    pci_config_set_ids(&p->pci, PCI_VENDOR_ID_REDHAT_QUMRANET,
                       VIRTIO_PCI_DEVICE_ID_BASE + vdev->device_id, 1, class_code, 0);
    pci_set_word(p->pci.config + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(p->pci.config + PCI_SUBSYSTEM_ID, VIRTIO_PCI_SUBSYSTEM_ID);
    p->pci.config[PCI_INTERRUPT_PIN] = 1;
    virtio_pci_add_caps(p);

    p->vdev = vdev;
    vdev->update_irq = virtio_pci_update_irq;
    vdev->irq_opaque = p;
    memory_region_init_container(&p->bar, "virtio-pci", VIRTIO_PCI_BAR_SIZE);
    for (unsigned i = 0; i < ARRAY_SIZE(regions); i++) {
        memory_region_init_io(regions[i].mr, regions[i].ops, p, regions[i].name,
                              VIRTIO_PCI_REGION_SIZE);
        memory_region_add_subregion(&p->bar, virtio_pci_caps[i].offset, regions[i].mr);
    }
    pci_register_bar(&p->pci, VIRTIO_PCI_BAR, PCI_BASE_ADDRESS_MEM_TYPE_64,
                     VIRTIO_PCI_BAR_SIZE, &p->bar);
}

void virtio_pci_destroy(VirtIOPCIProxy *p)
{
    MemoryRegion *regions[] = { &p->common, &p->isr, &p->device, &p->notify };

    for (unsigned i = 0; i < ARRAY_SIZE(regions); i++) {
        memory_region_del_subregion(&p->bar, regions[i]);
        memory_region_destroy(regions[i]);
    }
    memory_region_destroy(&p->bar);
}
