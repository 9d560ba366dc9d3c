/*
 * test-testdev.c: QEMU's test devices driven through tern's address
 * spaces.  pc-testdev (hw/misc/pc-testdev.c): the register at each width
 * in both windows, the IRQ ports on recording lines (and reset lowering
 * them), the flush port's sizes, the 64 KiB memory at 1-8 bytes aligned
 * or not, and accesses past its end.  pci-testdev (hw/misc/pci-testdev.c)
 * on a bus of its own: IDs and BARs, the six tests' headers, hit counting
 * and data matching, deselection, bad offsets, bus reset.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/misc/pc-testdev.h"
#include "hw/misc/pci-testdev.h"
#include "test.h"

TEST_GLOBALS;

#define IOBASE  0xe0
#define IRQBASE 0x2000
#define MEMBASE 0xff000000ull
#define BAR0    0xfe000000ull
#define BAR1    0xc000

static MemoryRegion io, mem;
static AddressSpace io_as, mem_as;
static int levels[PC_TESTDEV_IRQS], changes;
static IRQLine lines[PC_TESTDEV_IRQS];

static void record_level(void *opaque, int n, int level)
{
    levels[n] = level;
    changes++;
}

/* A failed access reads as a value no check expects. */
static uint64_t ld(AddressSpace *as, uint64_t addr, unsigned size)
{
    uint64_t v;

    return address_space_ld(as, addr, size, &v) == MEMTX_OK ? v : 0xbadbadbadull;
}

static void st(AddressSpace *as, uint64_t addr, unsigned size, uint64_t v)
{
    CHECK_EQ(address_space_st(as, addr, size, v), MEMTX_OK);
}

static PCTestdevState *pc_new(void)
{
    memset(levels, 0, sizeof(levels));
    changes = 0;
    return pc_testdev_init(&io, IOBASE, IRQBASE, &mem, MEMBASE, lines);
}

/* Writes of 1, 2 and 4 bytes replace those bytes of one 32-bit value,
 * read back at every width and through the byte window at +8. */
static void test_pc_ioport(void)
{
    PCTestdevState *s = pc_new();

    st(&io_as, IOBASE, 4, 0x12345678);
    CHECK_EQ(ld(&io_as, IOBASE, 4), 0x12345678);
    CHECK_EQ(ld(&io_as, IOBASE + 2, 2), 0x1234);
    CHECK_EQ(ld(&io_as, IOBASE + 1, 1), 0x56);
    st(&io_as, IOBASE + 3, 1, 0xab);
    st(&io_as, IOBASE, 2, 0xcdef);
    CHECK_EQ(ld(&io_as, IOBASE, 4), 0xab34cdef);
    CHECK_EQ(ld(&io_as, IOBASE + 8, 4), 0xab34cdef);
    CHECK_EQ(ld(&io_as, IOBASE + 10, 2), 0xab34);
    CHECK_EQ(ld(&io_as, IOBASE + 11, 1), 0xab);
    st(&io_as, IOBASE + 8, 4, 0x01020304);
    CHECK_EQ(ld(&io_as, IOBASE, 4), 0x01020304);
    st(&io_as, IOBASE + 9, 1, 0xff);
    CHECK_EQ(ld(&io_as, IOBASE, 4), 0x0102ff04);
    pc_testdev_destroy(s, &io, &mem);
}

/* Port IRQBASE + n: a byte sets line n to (value != 0); reads 0; a wider
 * access is refused (the CPU splits it); reset lowers what is high. */
static void test_pc_irq(void)
{
    PCTestdevState *s = pc_new();
    uint64_t v;

    st(&io_as, IRQBASE + 14, 1, 1);
    CHECK_EQ(levels[14], 1);
    CHECK_EQ(ld(&io_as, IRQBASE + 14, 1), 0);
    st(&io_as, IRQBASE + 14, 1, 0);
    CHECK_EQ(levels[14], 0);
    st(&io_as, IRQBASE + 23, 1, 0x80);
    CHECK_EQ(levels[23], 1);
    st(&io_as, IRQBASE + 3, 1, 5);
    CHECK_EQ(levels[3], 1);
    CHECK_EQ(address_space_st(&io_as, IRQBASE + 4, 2, 0x0101), MEMTX_ERROR);
    CHECK_EQ(levels[4] + levels[5], 0);
    /* past line 23: nothing there */
    CHECK_EQ(address_space_st(&io_as, IRQBASE + PC_TESTDEV_IRQS, 1, 1), MEMTX_DECODE_ERROR);
    CHECK_EQ(address_space_ld(&io_as, IRQBASE + PC_TESTDEV_IRQS, 1, &v), MEMTX_DECODE_ERROR);
    changes = 0;
    pc_testdev_reset(s);
    CHECK_EQ(levels[23] + levels[3], 0);
    CHECK_EQ(changes, 2);
    pc_testdev_destroy(s, &io, &mem);
}

/* The flush port takes dwords only and reads 0. */
static void test_pc_flush(void)
{
    PCTestdevState *s = pc_new();
    uint64_t v;

    st(&io_as, IOBASE + 4, 4, 0x100000);
    CHECK_EQ(ld(&io_as, IOBASE + 4, 4), 0);
    CHECK_EQ(address_space_st(&io_as, IOBASE + 4, 1, 0), MEMTX_ERROR);
    CHECK_EQ(address_space_ld(&io_as, IOBASE + 4, 2, &v), MEMTX_ERROR);
    pc_testdev_destroy(s, &io, &mem);
}

/* 64 KiB of memory: 1, 2, 4 and 8 bytes, unaligned too, little-endian;
 * the byte after it is not the device's. */
static void test_pc_iomem(void)
{
    PCTestdevState *s = pc_new();
    uint8_t buf[16];

    CHECK_EQ(ld(&mem_as, MEMBASE, 8), 0);
    st(&mem_as, MEMBASE + 8, 8, 0x0807060504030201ull);
    CHECK_EQ(ld(&mem_as, MEMBASE + 8, 8), 0x0807060504030201ull);
    CHECK_EQ(ld(&mem_as, MEMBASE + 9, 4), 0x05040302);
    CHECK_EQ(ld(&mem_as, MEMBASE + 11, 2), 0x0504);
    CHECK_EQ(ld(&mem_as, MEMBASE + 15, 1), 0x08);
    st(&mem_as, MEMBASE + 13, 2, 0xbbaa);
    CHECK_EQ(ld(&mem_as, MEMBASE + 8, 8), 0x08bbaa0504030201ull);
    st(&mem_as, MEMBASE + PC_TESTDEV_IOMEM_SIZE - 8, 8, 0x1122334455667788ull);
    CHECK_EQ(ld(&mem_as, MEMBASE + PC_TESTDEV_IOMEM_SIZE - 1, 1), 0x11);
    CHECK_EQ(s->iomem_buf[PC_TESTDEV_IOMEM_SIZE - 8], 0x88);
    /* straddling the end: the device's bytes, then unmapped ones */
    CHECK_EQ(address_space_read(&mem_as, MEMBASE + PC_TESTDEV_IOMEM_SIZE - 2, buf, 4),
             MEMTX_DECODE_ERROR);
    CHECK_EQ(buf[0], 0x22);
    CHECK_EQ(buf[1], 0x11);
    CHECK_EQ(buf[2], 0xff);
    CHECK_EQ(address_space_st(&mem_as, MEMBASE + PC_TESTDEV_IOMEM_SIZE - 4, 8, 0),
             MEMTX_DECODE_ERROR);
    CHECK_EQ(ld(&mem_as, MEMBASE + PC_TESTDEV_IOMEM_SIZE - 4, 4), 0);
    pc_testdev_destroy(s, &io, &mem);
}

/* ---- pci-testdev ------------------------------------------------------- */

static PCIBus *bus;

static PCITestdevState *pci_new(void)
{
    PCITestdevState *s;

    bus = pci_bus_new(&mem, &io);
    s = pci_testdev_new(bus, PCI_DEVFN(4, 0));
    pci_config_write(&s->pci, PCI_BASE_ADDRESS_0, (uint32_t)BAR0, 4);
    pci_config_write(&s->pci, PCI_BASE_ADDRESS_0 + 4, BAR1, 4);
    pci_config_write(&s->pci, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    return s;
}

static void pci_del(PCITestdevState *s)
{
    pci_testdev_free(s);
    pci_bus_destroy(bus);
}

static void test_pci_config(void)
{
    PCITestdevState *s = pci_new();

    CHECK_EQ(pci_config_read(&s->pci, PCI_VENDOR_ID, 4), 0x00051b36u);
    CHECK_EQ(pci_config_read(&s->pci, PCI_REVISION_ID, 4), 0x00ff0000u);
    CHECK_EQ(pci_config_read(&s->pci, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x11001af4u);
    CHECK_EQ(pci_config_read(&s->pci, PCI_INTERRUPT_PIN, 1), 0);
    pci_config_write(&s->pci, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
    pci_config_write(&s->pci, PCI_BASE_ADDRESS_0 + 4, 0xffffffff, 4);
    CHECK_EQ(pci_config_read(&s->pci, PCI_BASE_ADDRESS_0, 4), 0xfffff000u);
    CHECK_EQ(pci_config_read(&s->pci, PCI_BASE_ADDRESS_0 + 4, 4), 0xffffff01u);
    CHECK_EQ(pci_config_read(&s->pci, PCI_BASE_ADDRESS_0 + 8, 4), 0);
    pci_del(s);
}

/* Select test t through its BAR and read its header there. */
static void check_header(unsigned t, AddressSpace *as, uint64_t base)
{
    static const char *const names[] = {
        "mmio-no-eventfd", "mmio-wildcard-eventfd", "mmio-datamatch-eventfd",
        "portio-no-eventfd", "portio-wildcard-eventfd", "portio-datamatch-eventfd",
    };
    char name[40];
    unsigned i;

    st(as, base, 1, t % 3);
    CHECK_EQ(ld(as, base, 1), t);
    CHECK_EQ(ld(as, base + 1, 1), 1);
    CHECK_EQ(ld(as, base + 4, 4), (t < 3 ? 2048 : 128) + t);
    CHECK_EQ(ld(as, base + 8, 4), t % 3 == 1 ? 0xce : 0xfa);
    CHECK_EQ(ld(as, base + 12, 4), 0);
    for (i = 0; i < sizeof(name) - 1; i++) {
        name[i] = (char)ld(as, base + 16 + i, 1);
        if (!name[i]) {
            break;
        }
    }
    name[i] = 0;
    CHECK(!strcmp(name, names[t]));
    CHECK_EQ(ld(as, base + 16 + i + 1, 4), 0);       /* past the name */
}

static void test_pci_headers(void)
{
    PCITestdevState *s = pci_new();

    CHECK_EQ(ld(&mem_as, BAR0, 4), 0);               /* nothing selected */
    for (unsigned t = 0; t < 3; t++) {
        check_header(t, &mem_as, BAR0);
    }
    for (unsigned t = 3; t < 6; t++) {
        check_header(t, &io_as, BAR1);
    }
    /* the header reads the same through the other BAR */
    CHECK_EQ(ld(&mem_as, BAR0, 1), 5);
    pci_del(s);
}

static uint32_t count(void)
{
    return (uint32_t)ld(&mem_as, BAR0 + 12, 4);
}

/* Hits: a byte at the offset, of the test's data unless wildcard; the
 * first byte of a wider write is the one at the offset. */
static void test_pci_hits(void)
{
    PCITestdevState *s = pci_new();

    st(&mem_as, BAR0, 1, 0);                         /* mmio-no-eventfd */
    for (int i = 0; i < 16; i++) {
        st(&mem_as, BAR0 + 2048, 1, 0xfa);
    }
    CHECK_EQ(count(), 16);
    st(&mem_as, BAR0 + 2048, 1, 0xce);               /* not the data */
    st(&mem_as, BAR0 + 2049, 1, 0xfa);               /* not the offset */
    st(&io_as, BAR1 + 128, 1, 0xfa);                 /* the other BAR */
    CHECK_EQ(count(), 16);
    st(&mem_as, BAR0 + 2048, 4, 0x000000fa);
    st(&mem_as, BAR0 + 2048, 8, 0x00000000000000faull);
    CHECK_EQ(count(), 18);
    st(&mem_as, BAR0, 4, 0);                         /* selecting again: count 0 */
    CHECK_EQ(count(), 0);
    st(&mem_as, BAR0, 1, 1);                         /* mmio-wildcard-eventfd */
    st(&mem_as, BAR0 + 2049, 1, 0x00);
    st(&mem_as, BAR0 + 2049, 1, 0x77);
    CHECK_EQ(count(), 2);
    st(&io_as, BAR1, 1, 2);                          /* portio-datamatch-eventfd */
    st(&io_as, BAR1 + 133, 1, 0xfa);
    st(&io_as, BAR1 + 133, 1, 0xfb);
    st(&io_as, BAR1 + 133, 2, 0x01fa);
    CHECK_EQ(count(), 2);
    pci_del(s);
}

/* A test number past the table deselects; writes then count nowhere and
 * reads are 0; the bus reset deselects too. */
static void test_pci_bad_input(void)
{
    PCITestdevState *s = pci_new();

    st(&mem_as, BAR0, 1, 0);
    st(&mem_as, BAR0 + 2048, 1, 0xfa);
    st(&mem_as, BAR0, 1, 3);
    CHECK_EQ(s->current, -1);
    CHECK_EQ(ld(&mem_as, BAR0 + 12, 4), 0);
    st(&mem_as, BAR0, 1, 0xff);
    st(&mem_as, BAR0 + 2048, 1, 0xfa);
    st(&mem_as, BAR0 + 4095, 1, 0xfa);
    CHECK_EQ(address_space_st(&io_as, BAR1 + 255, 4, 0xffffffff), MEMTX_DECODE_ERROR);
    CHECK_EQ(ld(&mem_as, BAR0 + 4092, 4), 0);
    CHECK_EQ(s->tests[0].buf[12], 1);                /* the old count stays */
    st(&io_as, BAR1, 1, 1);
    CHECK_EQ(s->current, 4);
    CHECK_EQ(ld(&io_as, BAR1 + 255, 1), 0);
    pci_bus_reset(bus);
    CHECK_EQ(s->current, -1);
    pci_del(s);
}

int main(void)
{
    memory_region_init_container(&io, "io", 0x10000);
    memory_region_init_container(&mem, "memory", UINT64_MAX);
    address_space_init(&io_as, &io, "I/O");
    address_space_init(&mem_as, &mem, "memory");
    for (int i = 0; i < PC_TESTDEV_IRQS; i++) {
        irq_line_init(&lines[i], record_level, NULL, i);
    }
    RUN_TEST(test_pc_ioport);
    RUN_TEST(test_pc_irq);
    RUN_TEST(test_pc_flush);
    RUN_TEST(test_pc_iomem);
    RUN_TEST(test_pci_config);
    RUN_TEST(test_pci_headers);
    RUN_TEST(test_pci_hits);
    RUN_TEST(test_pci_bad_input);
    TEST_MAIN_END();
}
