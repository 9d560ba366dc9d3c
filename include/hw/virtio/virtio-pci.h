/*
 * virtio-pci.h: the modern virtio PCI transport (virtio 1.2 spec, 4.1),
 * without the legacy interface.
 *
 * A VirtIOPCIProxy is a PCI function for one VirtIODevice: vendor 1af4,
 * device 0x1040 + the virtio device ID, revision 1, subsystem 1af4:1100.
 * Its registers are one 64-bit memory BAR (VIRTIO_PCI_BAR), described by
 * four vendor-specific capabilities (cfg_type, bar, offset, length):
 *
 *   0x0000  common configuration (4.1.4.3)       VIRTIO_PCI_CAP_COMMON_CFG
 *   0x1000  ISR status, read to clear (4.1.4.5)  VIRTIO_PCI_CAP_ISR_CFG
 *   0x2000  device-specific configuration        VIRTIO_PCI_CAP_DEVICE_CFG
 *   0x3000  notifications: queue n at 0x3000 + 4 n (multiplier 4,
 *           queue_notify_off = n)                 VIRTIO_PCI_CAP_NOTIFY_CFG
 *
 * Interrupts are INTx only (pin A): the line is high while the ISR is not
 * 0; no MSI-X capability, so msix_config and queue_msix_vector read
 * VIRTIO_NO_VECTOR and the driver polls the ISR.  Notifications are taken
 * only while the command register allows bus mastering.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "util/osdep.h"
#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
#define VIRTIO_PCI_DEVICE_ID_BASE     0x1040      /* + virtio device ID */
#define VIRTIO_PCI_SUBSYSTEM_ID       0x1100      /* QEMU's */
#define PCI_CAP_ID_VNDR               0x09

#define VIRTIO_PCI_BAR                4           /* 64-bit: BARs 4 and 5 */
#define VIRTIO_PCI_BAR_SIZE           0x4000
#define VIRTIO_PCI_REGION_SIZE        0x1000
#define VIRTIO_PCI_NOTIFY_MULTIPLIER  4

/* virtio_pci_cap.cfg_type */
#define VIRTIO_PCI_CAP_COMMON_CFG     1
#define VIRTIO_PCI_CAP_NOTIFY_CFG     2
#define VIRTIO_PCI_CAP_ISR_CFG        3
#define VIRTIO_PCI_CAP_DEVICE_CFG     4

/* struct virtio_pci_cap: bytes of the capability */
#define VIRTIO_PCI_CAP_CFG_TYPE       3
#define VIRTIO_PCI_CAP_BAR            4
#define VIRTIO_PCI_CAP_OFFSET         8
#define VIRTIO_PCI_CAP_LENGTH         12
#define VIRTIO_PCI_CAP_SIZE           16
#define VIRTIO_PCI_NOTIFY_CAP_MULT    16          /* notify_off_multiplier */
#define VIRTIO_PCI_NOTIFY_CAP_SIZE    20

/* struct virtio_pci_common_cfg */
#define VIRTIO_PCI_COMMON_DFSELECT    0x00
#define VIRTIO_PCI_COMMON_DF          0x04
#define VIRTIO_PCI_COMMON_GFSELECT    0x08
#define VIRTIO_PCI_COMMON_GF          0x0c
#define VIRTIO_PCI_COMMON_MSIX        0x10
#define VIRTIO_PCI_COMMON_NUMQ        0x12
#define VIRTIO_PCI_COMMON_STATUS      0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION 0x15
#define VIRTIO_PCI_COMMON_Q_SELECT    0x16
#define VIRTIO_PCI_COMMON_Q_SIZE      0x18
#define VIRTIO_PCI_COMMON_Q_MSIX      0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE    0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF      0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO    0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI    0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO   0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI   0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO    0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI    0x34
#define VIRTIO_PCI_COMMON_CFG_SIZE    0x38

typedef struct VirtIOPCIProxy {
    PCIDevice pci;
    VirtIODevice *vdev;
    MemoryRegion bar;                    /* container of the four below */
    MemoryRegion common, isr, device, notify;
    uint32_t dfselect, gfselect;         /* feature word selectors */
    uint16_t queue_sel;
} VirtIOPCIProxy;

/* Make p the PCI function of vdev (PCI class class_code), ready for
 * pci_bus_plug.  vdev's interrupts go to p's INTA#. */
void virtio_pci_init(VirtIOPCIProxy *p, const char *name, VirtIODevice *vdev,
                     uint16_t class_code);
/* Free the regions (p unplugged). */
void virtio_pci_destroy(VirtIOPCIProxy *p);

#endif
