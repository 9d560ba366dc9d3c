/*
 * pci-testdev.c: QEMU's pci-testdev (see pci-testdev.h), the register
 * semantics of QEMU's hw/misc/pci-testdev.c without its ioeventfds.
 *
 * Both BARs are served a byte at a time (wider accesses are split by the
 * memory core, little-endian), so a guest offset is one byte of one
 * window and is checked against the header's length before use.
 */
#include "util/osdep.h"
#include "hw/misc/pci-testdev.h"

#define PCI_TESTDEV_SUBSYS_VENDOR 0x1af4   /* QEMU's default subsystem IDs */
#define PCI_TESTDEV_SUBSYS_ID     0x1100

#define HDR_TEST   0
#define HDR_WIDTH  1
#define HDR_OFFSET 4
#define HDR_DATA   8
#define HDR_COUNT  12
#define HDR_NAME   16

#define PCI_TESTDEV_DATAMATCH 0xfa
#define PCI_TESTDEV_NOMATCH   0xce
#define PCI_TESTDEV_WILDCARD  1     /* the kind whose writes match any data */

_Static_assert(HDR_NAME == PCI_TESTDEV_HDR_SIZE, "the name follows the header");

static const char *const pci_testdev_kinds[PCI_TESTDEV_NUM_KINDS] = {
    "no-eventfd", "wildcard-eventfd", "datamatch-eventfd",
};

/* Test t: kind t % 3 in BAR 0 (t < 3, "mmio") or BAR 1 ("portio"). */
static void pci_testdev_test_init(PCITestdevTest *t, unsigned i)
{
    bool mem = i < PCI_TESTDEV_NUM_KINDS;
    unsigned kind = i % PCI_TESTDEV_NUM_KINDS;
    int n;

    memset(t, 0, sizeof(*t));
    /* the hits go past the header's half of the BAR, one byte per test */
    t->offset = (mem ? PCI_TESTDEV_MMIO_SIZE : PCI_TESTDEV_PIO_SIZE) / 2 + i;
    t->match_data = kind != PCI_TESTDEV_WILDCARD;
    t->data = t->match_data ? PCI_TESTDEV_DATAMATCH : PCI_TESTDEV_NOMATCH;
    t->buf[HDR_TEST] = (uint8_t)i;
    t->buf[HDR_WIDTH] = 1;
    pci_set_long(t->buf + HDR_OFFSET, t->offset);
    t->buf[HDR_DATA] = t->data;
    n = snprintf((char *)t->buf + HDR_NAME, PCI_TESTDEV_NAME_MAX, "%s-%s",
                 mem ? "mmio" : "portio", pci_testdev_kinds[kind]);
    assert(n > 0 && n < PCI_TESTDEV_NAME_MAX);
    t->len = HDR_NAME + (unsigned)n + 1;
}

/* Deselect: the header keeps its count until the test is selected again. */
static void pci_testdev_stop(PCITestdevState *s)
{
    s->current = -1;
}

static uint64_t pci_testdev_read(void *opaque, uint64_t addr, unsigned size)
{
    PCITestdevState *s = opaque;
    const PCITestdevTest *t;

    if (s->current < 0) {
        return 0;
    }
    t = &s->tests[s->current];
    return addr < t->len ? t->buf[addr] : 0;
}

/* A byte written at addr of BAR bar (0: memory, 1: I/O). */
static void pci_testdev_write(PCITestdevState *s, unsigned bar, uint64_t addr, uint8_t val)
{
    PCITestdevTest *t;
    uint32_t count;

    if (addr == HDR_TEST) {
        pci_testdev_stop(s);
        if (val < PCI_TESTDEV_NUM_KINDS) {
            s->current = (int)(bar * PCI_TESTDEV_NUM_KINDS + val);
            pci_set_long(s->tests[s->current].buf + HDR_COUNT, 0);
        }
        return;
    }
    if (s->current < 0) {
        return;
    }
    t = &s->tests[s->current];
    if (addr != t->offset || (t->match_data && val != t->data)) {
        return;
    }
    count = pci_get_long(t->buf + HDR_COUNT);
    pci_set_long(t->buf + HDR_COUNT, count + 1);
}

static void pci_testdev_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    pci_testdev_write(opaque, 0, addr, (uint8_t)val);
}

static void pci_testdev_pio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    pci_testdev_write(opaque, 1, addr, (uint8_t)val);
}

static const MemoryRegionOps pci_testdev_mmio_ops = {
    .read = pci_testdev_read,
    .write = pci_testdev_mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 8, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps pci_testdev_pio_ops = {
    .read = pci_testdev_read,
    .write = pci_testdev_pio_write,
    .valid = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* A bus reset deselects the test (QEMU's device reset). */
static void pci_testdev_reset(PCIDevice *d)
{
    pci_testdev_stop(container_of(d, PCITestdevState, pci));
}

static const PCIDeviceOps pci_testdev_pci_ops = {
    .reset = pci_testdev_reset,
};

PCITestdevState *pci_testdev_new(PCIBus *bus, uint8_t devfn)
{
    PCITestdevState *s = tern_malloc0(sizeof(*s));

    pci_device_init(&s->pci, "pci-testdev", &pci_testdev_pci_ops);
    pci_config_set_ids(&s->pci, PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_TEST, 0,
                       PCI_CLASS_OTHERS, 0);
    pci_set_word(s->pci.config + PCI_SUBSYSTEM_VENDOR_ID, PCI_TESTDEV_SUBSYS_VENDOR);
    pci_set_word(s->pci.config + PCI_SUBSYSTEM_ID, PCI_TESTDEV_SUBSYS_ID);
    s->pci.config[PCI_INTERRUPT_PIN] = 0;
    memory_region_init_io(&s->mmio, &pci_testdev_mmio_ops, s, "pci-testdev-mmio",
                          PCI_TESTDEV_MMIO_SIZE);
    memory_region_init_io(&s->portio, &pci_testdev_pio_ops, s, "pci-testdev-portio",
                          PCI_TESTDEV_PIO_SIZE);
    pci_register_bar(&s->pci, 0, 0, PCI_TESTDEV_MMIO_SIZE, &s->mmio);
    pci_register_bar(&s->pci, 1, PCI_BASE_ADDRESS_SPACE_IO, PCI_TESTDEV_PIO_SIZE, &s->portio);
    for (unsigned i = 0; i < PCI_TESTDEV_NUM_TESTS; i++) {
        pci_testdev_test_init(&s->tests[i], i);
    }
    s->current = -1;
    pci_bus_plug(bus, &s->pci, devfn);
    return s;
}

void pci_testdev_free(PCITestdevState *s)
{
    if (!s) {
        return;
    }
    if (s->pci.bus) {
        pci_bus_unplug(&s->pci);
    }
    memory_region_destroy(&s->mmio);
    memory_region_destroy(&s->portio);
    free(s);
}
