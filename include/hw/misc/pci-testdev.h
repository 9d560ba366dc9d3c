/*
 * pci-testdev.h: QEMU's pci-testdev (-device pci-testdev), the PCI
 * function kvm-unit-tests uses to time MMIO and port exits
 * (docs/pc.md, "pci-testdev").
 *
 * Red Hat 1b36:0005 rev 0, class 00ff, subsystem 1af4:1100, no interrupt
 * pin; BAR 0: 4 KiB of 32-bit memory, BAR 1: 256 I/O ports.  Both BARs
 * show the selected test's header, byte by byte (other bytes read 0):
 *   0   test   (write n < 3 through BAR 0 selects MMIO test n, through
 *               BAR 1 port test n; any other value selects none)
 *   1   width  1
 *   4   offset (LE32) where the test's writes go: 2048 + n in BAR 0,
 *               128 + 3 + n in BAR 1
 *   8   data   0xfa (the datamatch value), 0xce for the wildcard test
 *   12  count  (LE32) hits since the test was selected
 *   16  name   "mmio-no-eventfd", ..., "portio-datamatch-eventfd", NUL
 * A byte written at the selected test's offset is a hit, if its value is
 * data or the test is the wildcard one.  tern has no ioeventfd, so every
 * hit is counted (QEMU's eventfd tests swallow them: count stays 0).
 */
#ifndef HW_MISC_PCI_TESTDEV_H
#define HW_MISC_PCI_TESTDEV_H

#include "util/osdep.h"
#include "hw/pci/pci.h"

#define PCI_VENDOR_ID_REDHAT        0x1b36
#define PCI_DEVICE_ID_REDHAT_TEST   0x0005
#define PCI_CLASS_OTHERS            0x00ff   /* QEMU's: sub-class ff of base class 0 */

#define PCI_TESTDEV_MMIO_SIZE  4096
#define PCI_TESTDEV_PIO_SIZE   256
#define PCI_TESTDEV_NUM_KINDS  3    /* no-eventfd, wildcard-eventfd, datamatch-eventfd */
#define PCI_TESTDEV_NUM_TESTS  (2 * PCI_TESTDEV_NUM_KINDS)   /* MMIO ones, then port ones */
#define PCI_TESTDEV_HDR_SIZE   16   /* the name follows */
#define PCI_TESTDEV_NAME_MAX   32

typedef struct PCITestdevTest {
    uint8_t buf[PCI_TESTDEV_HDR_SIZE + PCI_TESTDEV_NAME_MAX];   /* header, name, NUL */
    unsigned len;                /* bytes of buf in use */
    uint32_t offset;             /* where hits go in its BAR */
    uint8_t data;
    bool match_data;             /* only data counts (all but the wildcard test) */
} PCITestdevTest;

typedef struct PCITestdevState {
    PCIDevice pci;
    MemoryRegion mmio;           /* BAR 0 */
    MemoryRegion portio;         /* BAR 1 */
    PCITestdevTest tests[PCI_TESTDEV_NUM_TESTS];
    int current;                 /* the selected test, or -1 */
} PCITestdevState;

/* Make the function and plug it in at devfn on bus. */
PCITestdevState *pci_testdev_new(PCIBus *bus, uint8_t devfn);
/* Unplug and free. */
void pci_testdev_free(PCITestdevState *s);

#endif
