/*
 * test-pci.c: the PCI bus (hw/pci/pci.c), configuration mechanism #1
 * (hw/pci/pci-host.c), the i440FX and PIIX3 functions, driven through the
 * ports 0xCF8/0xCFC as a guest would: the enable bit, absent functions and
 * buses, partial-dword accesses, read-only and write-1-to-clear bits, BAR
 * sizing and mapping of a test device's regions with command-register
 * gating, and INTx through the PIIX3's PIRQ routing with shared lines.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/pci/pci-host.h"
#include "hw/pci/i440fx.h"
#include "hw/pci/piix3.h"
#include "test.h"

TEST_GLOBALS;

#define CFG(bus, devfn, reg) (0x80000000u | (bus) << 16 | (devfn) << 8 | (reg))
#define TDEV_SLOT   3           /* INTA# -> PIRQC on the i440FX board */
#define TDEV2_SLOT  7           /* INTA# -> PIRQC too: a shared line */
#define TDEV3_SLOT  4           /* INTA# -> PIRQD */

/* A function with an I/O BAR (32 ports), a 32-bit memory BAR (4 KiB) and a
 * 64-bit prefetchable one (64 KiB) at BARs 2-3; its regions answer with
 * a pattern so a test sees which one is mapped where. */
typedef struct TestDev {
    PCIDevice dev;
    MemoryRegion io, mmio, mmio64;
} TestDev;

static uint64_t tdev_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0xa0 + addr;
}

static uint64_t tdev_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    return (uintptr_t)opaque + addr;
}

static void tdev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps tdev_io_ops = {
    .read = tdev_io_read, .write = tdev_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};
static const MemoryRegionOps tdev_mmio_ops = {
    .read = tdev_mmio_read, .write = tdev_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* The fake reset control byte at 0xCF9 (hw/i386/portcf9.c's place). */
static uint8_t rc_value;

static uint64_t rc_read(void *opaque, uint64_t addr, unsigned size)
{
    return rc_value;
}

static void rc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    rc_value = val;
}

static const MemoryRegionOps rc_ops = {
    .read = rc_read, .write = rc_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static struct {
    MemoryRegion io, mem, rc;
    AddressSpace io_as, mem_as;
    PCIBus *bus;
    PCIHostState *host;
    I440FXState *i440fx;
    PIIX3State *piix3;
    TestDev tdev[3];
    IRQLine isa[PIIX_NUM_ISA_IRQS];
    int level[PIIX_NUM_ISA_IRQS];
    unsigned edges;
} fx;

static void on_isa_irq(void *opaque, int n, int level)
{
    fx.level[n] = level;
    fx.edges++;
}

static int map_irq(uint8_t devfn, int pin)
{
    return (pin + PCI_SLOT(devfn) - 1) & 3;
}

static void tdev_init(TestDev *t, unsigned slot)
{
    pci_device_init(&t->dev, "test", NULL);
    pci_config_set_ids(&t->dev, 0x1234, 0x5678, 1, 0x0880, 0);
    t->dev.config[PCI_INTERRUPT_PIN] = 1;
    memory_region_init_io(&t->io, &tdev_io_ops, t, "tdev-io", 32);
    memory_region_init_io(&t->mmio, &tdev_mmio_ops, (void *)(uintptr_t)0x11110000u,
                          "tdev-mmio", 0x1000);
    memory_region_init_io(&t->mmio64, &tdev_mmio_ops, (void *)(uintptr_t)0x22220000u,
                          "tdev-mmio64", 0x10000);
    pci_register_bar(&t->dev, 0, PCI_BASE_ADDRESS_SPACE_IO, 32, &t->io);
    pci_register_bar(&t->dev, 1, 0, 0x1000, &t->mmio);
    pci_register_bar(&t->dev, 2, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
                     0x10000, &t->mmio64);
    pci_bus_plug(fx.bus, &t->dev, PCI_DEVFN(slot, 0));
}

static void teardown(void);

static void setup(void)
{
    static const unsigned slots[3] = { TDEV_SLOT, TDEV2_SLOT, TDEV3_SLOT };

    if (fx.bus) {
        teardown();
    }
    memory_region_init_container(&fx.io, "io", 0x10000);
    memory_region_init_container(&fx.mem, "mem", UINT64_MAX);
    memory_region_init_io(&fx.rc, &rc_ops, NULL, "rc", 1);
    memory_region_add_subregion_overlap(&fx.io, 0xcf9, &fx.rc, 1);
    for (int i = 0; i < PIIX_NUM_ISA_IRQS; i++) {
        irq_line_init(&fx.isa[i], on_isa_irq, NULL, i);
        fx.level[i] = 0;
    }
    fx.edges = 0;
    fx.bus = pci_bus_new(&fx.mem, &fx.io);
    fx.host = pci_host_init(&fx.io, PCI_HOST_CONFIG_ADDR, fx.bus);
    fx.i440fx = i440fx_init(fx.bus, PCI_DEVFN(0, 0));
    fx.piix3 = piix3_init(fx.bus, PCI_DEVFN(1, 0), fx.isa);
    pci_bus_set_irq_router(fx.bus, map_irq, piix3_set_pirq, fx.piix3);
    for (int i = 0; i < 3; i++) {
        tdev_init(&fx.tdev[i], slots[i]);
    }
    address_space_init(&fx.io_as, &fx.io, "test-io");
    address_space_init(&fx.mem_as, &fx.mem, "test-mem");
}

static void teardown(void)
{
    address_space_destroy(&fx.io_as);
    address_space_destroy(&fx.mem_as);
    for (int i = 0; i < 3; i++) {
        pci_bus_unplug(&fx.tdev[i].dev);
        memory_region_destroy(&fx.tdev[i].io);
        memory_region_destroy(&fx.tdev[i].mmio);
        memory_region_destroy(&fx.tdev[i].mmio64);
    }
    i440fx_destroy(fx.i440fx);
    piix3_destroy(fx.piix3);
    pci_host_destroy(fx.host, &fx.io);
    pci_bus_destroy(fx.bus);
    memory_region_del_subregion(&fx.io, &fx.rc);
    memory_region_destroy(&fx.rc);
    memory_region_destroy(&fx.io);
    memory_region_destroy(&fx.mem);
    fx.bus = NULL;
}

static uint64_t in(uint16_t port, unsigned size)
{
    uint64_t v;

    address_space_ld(&fx.io_as, port, size, &v);
    return v;
}

static void out(uint16_t port, unsigned size, uint64_t v)
{
    address_space_st(&fx.io_as, port, size, v);
}

static uint32_t cfg_read(uint8_t devfn, uint8_t reg, unsigned size)
{
    out(0xcf8, 4, CFG(0, devfn, reg & 0xfc));
    return in(0xcfc + (reg & 3), size);
}

static void cfg_write(uint8_t devfn, uint8_t reg, unsigned size, uint32_t v)
{
    out(0xcf8, 4, CFG(0, devfn, reg & 0xfc));
    out(0xcfc + (reg & 3), size, v);
}

static uint64_t mem_read32(uint64_t addr)
{
    uint64_t v;

    address_space_ld(&fx.mem_as, addr, 4, &v);
    return v;
}

/* CONFIG_ADDRESS: dword only, reserved bits 0; the byte at 0xCF9 is
 * someone else's port even inside it. */
static void test_config_address(void)
{
    setup();
    out(0xcf8, 4, 0xffffffff);
    CHECK_EQ(in(0xcf8, 4), 0x80fffffc);
    out(0xcf8, 4, 0x12345678);
    CHECK_EQ(in(0xcf8, 4), 0x00345678);
    out(0xcf8, 1, 0xff);                    /* not decoded: dropped */
    out(0xcf8, 2, 0xffff);
    CHECK_EQ(in(0xcf8, 4), 0x00345678);
    CHECK_EQ(in(0xcf8, 1), 0xff);           /* not decoded: the bus floats */
    out(0xcf9, 1, 0x06);
    CHECK_EQ(rc_value, 0x06);
    CHECK_EQ(in(0xcf9, 1), 0x06);
    CHECK_EQ(in(0xcf8, 4), 0x00345678);     /* the byte went past it */
    out(0xcf8, 4, CFG(0, 0, 0));            /* and the dword still reaches it */
    CHECK_EQ(in(0xcf8, 4), 0x80000000);
    CHECK_EQ(rc_value, 0x06);
    pci_host_reset(fx.host);
    CHECK_EQ(in(0xcf8, 4), 0);
}

/* Without the enable bit CONFIG_DATA is no configuration cycle. */
static void test_enable_bit(void)
{
    setup();
    out(0xcf8, 4, 0x00000000);              /* 00:00.0 register 0, disabled */
    CHECK_EQ(in(0xcfc, 4), 0xffffffff);
    out(0xcf8, 4, 0x00000000 | I440FX_PAM);
    out(0xcfc, 1, 0x30);
    CHECK_EQ(cfg_read(0, I440FX_PAM, 1), 0x00);
    out(0xcf8, 4, 0x80000000);
    CHECK_EQ(in(0xcfc, 4), 0x12378086);
}

/* Absent functions, other buses: all ones at every width; no writes. */
static void test_absent(void)
{
    setup();
    CHECK_EQ(cfg_read(PCI_DEVFN(2, 0), 0, 4), 0xffffffff);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 1), 0, 4), 0xffffffff);   /* PIIX3 IDE: not yet */
    CHECK_EQ(cfg_read(PCI_DEVFN(31, 7), 0x3c, 1), 0xff);
    CHECK_EQ(cfg_read(PCI_DEVFN(2, 0), 2, 2), 0xffff);
    out(0xcf8, 4, CFG(1, 0, 0));            /* bus 1: no bridge leads there */
    CHECK_EQ(in(0xcfc, 4), 0xffffffff);
    out(0xcfc, 4, 0);
    out(0xcf8, 4, CFG(0xff, PCI_DEVFN(1, 0), 0));
    CHECK_EQ(in(0xcfc, 2), 0xffff);
    cfg_write(PCI_DEVFN(2, 0), 0x04, 2, 0x0007);
    CHECK_EQ(cfg_read(PCI_DEVFN(0, 0), 0, 4), 0x12378086);
}

/* The two chipset functions as Linux's bus scan reads them. */
static void test_ids(void)
{
    setup();
    CHECK_EQ(cfg_read(0, PCI_VENDOR_ID, 4), 0x12378086);
    CHECK_EQ(cfg_read(0, PCI_REVISION_ID, 4), 0x06000002);
    CHECK_EQ(cfg_read(0, PCI_HEADER_TYPE, 1), 0x00);
    CHECK_EQ(cfg_read(0, I440FX_SMRAM, 1), 0x02);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PCI_VENDOR_ID, 4), 0x70008086);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PCI_REVISION_ID, 4), 0x06010000);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PCI_HEADER_TYPE, 1), 0x80);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PCI_COMMAND, 4), 0x02000007);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PIIX3_PIRQRC, 4), 0x80808080);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PCI_INTERRUPT_PIN, 1), 0);
}

/* Bytes and words at their offsets within the dword; a misaligned word
 * is refused (the CPU then splits it into bytes, target-x86). */
static void test_partial_dword(void)
{
    setup();
    out(0xcf8, 4, CFG(0, 0, 0));
    CHECK_EQ(in(0xcfc, 1), 0x86);
    CHECK_EQ(in(0xcfd, 1), 0x80);
    CHECK_EQ(in(0xcfe, 1), 0x37);
    CHECK_EQ(in(0xcff, 1), 0x12);
    CHECK_EQ(in(0xcfc, 2), 0x8086);
    CHECK_EQ(in(0xcfe, 2), 0x1237);
    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.io_as, 0xcfd, 2, &v), MEMTX_ERROR);
    out(0xcf8, 4, CFG(0, PCI_DEVFN(1, 0), PIIX3_PIRQRC));
    out(0xcfd, 1, 0x0b);                    /* PIRQB */
    out(0xcfe, 2, 0x0a09);                  /* PIRQC, PIRQD */
    CHECK_EQ(in(0xcfc, 4), 0x0a090b80);
    out(0xcfc, 4, 0x80808080);
    CHECK_EQ(in(0xcfc, 4), 0x80808080);
    v = 0;
    CHECK_EQ(address_space_ld(&fx.io_as, 0xcfe, 4, &v), MEMTX_DECODE_ERROR);   /* past 0xCFF */
}

/* Read-only bits stay, write-1-to-clear bits clear, device masks apply. */
static void test_readonly_masks(void)
{
    PCIDevice *t = &fx.tdev[0].dev;
    uint8_t td = PCI_DEVFN(TDEV_SLOT, 0);

    setup();
    cfg_write(0, PCI_VENDOR_ID, 4, 0);
    CHECK_EQ(cfg_read(0, PCI_VENDOR_ID, 4), 0x12378086);
    cfg_write(0, PCI_REVISION_ID, 4, 0xffffffff);
    CHECK_EQ(cfg_read(0, PCI_REVISION_ID, 4), 0x06000002);
    cfg_write(0, PCI_HEADER_TYPE, 1, 0xff);
    CHECK_EQ(cfg_read(0, PCI_HEADER_TYPE, 1), 0);
    cfg_write(PCI_DEVFN(1, 0), PIIX3_PIRQRC, 1, 0xff);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), PIIX3_PIRQRC, 1), 0x8f);
    cfg_write(0, 0x58, 4, 0xffffffff);      /* DRAMC (not modelled), PAM0-2 */
    cfg_write(0, 0x5c, 4, 0xffffffff);      /* PAM3-6 */
    CHECK_EQ(cfg_read(0, 0x58, 4), 0x33333000);
    CHECK_EQ(cfg_read(0, 0x5c, 4), 0x33333333);
    cfg_write(0, 0x40, 4, 0xffffffff);      /* unmodelled: reads 0 */
    CHECK_EQ(cfg_read(0, 0x40, 4), 0);
    /* SMRAM: C_BASE_SEG fixed; D_LCK clears D_OPEN and locks until reset */
    cfg_write(0, I440FX_SMRAM, 1, 0xff);
    CHECK_EQ(cfg_read(0, I440FX_SMRAM, 1), 0x3a);      /* D_LCK set: D_OPEN cleared */
    cfg_write(0, I440FX_SMRAM, 1, 0x40);
    CHECK_EQ(cfg_read(0, I440FX_SMRAM, 1), 0x3a);      /* locked */
    pci_bus_reset(fx.bus);
    CHECK_EQ(cfg_read(0, I440FX_SMRAM, 1), 0x02);
    cfg_write(0, I440FX_SMRAM, 1, 0x48);
    CHECK_EQ(cfg_read(0, I440FX_SMRAM, 1), 0x4a);
    /* command: IO, MEM, MASTER, INTX_DISABLE writable; status errors RW1C */
    cfg_write(td, PCI_COMMAND, 2, 0xffff);
    CHECK_EQ(cfg_read(td, PCI_COMMAND, 2), 0x0407);
    cfg_write(td, PCI_COMMAND, 2, 0);
    pci_set_word(t->config + PCI_STATUS, 0x2000 | 0x0100 | PCI_STATUS_CAP_LIST);
    cfg_write(td, PCI_STATUS, 2, 0x0010 | 0x0100);
    CHECK_EQ(cfg_read(td, PCI_STATUS, 2), 0x2000 | PCI_STATUS_CAP_LIST);
    cfg_write(td, PCI_STATUS, 2, 0xffff);
    CHECK_EQ(cfg_read(td, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
    cfg_write(td, PCI_INTERRUPT_LINE, 2, 0xffff);
    CHECK_EQ(cfg_read(td, PCI_INTERRUPT_LINE, 2), 0x01ff);   /* pin read-only */
    /* out-of-range registers through the bus API read all ones */
    CHECK_EQ(pci_config_read(t, 0xfe, 4), 0xffffffff);
    pci_config_write(t, 0x100, 4, 0);
    CHECK_EQ(pci_config_read(t, 0xfc, 4), 0);
}

/* Sizing: all ones back gives the size mask with the type bits. */
static void test_bar_sizing(void)
{
    uint8_t td = PCI_DEVFN(TDEV_SLOT, 0);

    setup();
    CHECK_EQ(cfg_read(td, 0x10, 4), 0x00000001);
    CHECK_EQ(cfg_read(td, 0x18, 4), 0x0000000c);
    for (unsigned reg = 0x10; reg < 0x28; reg += 4) {
        cfg_write(td, reg, 4, 0xffffffff);
    }
    CHECK_EQ(cfg_read(td, 0x10, 4), 0xffffffe1);
    CHECK_EQ(cfg_read(td, 0x14, 4), 0xfffff000);
    CHECK_EQ(cfg_read(td, 0x18, 4), 0xffff000c);
    CHECK_EQ(cfg_read(td, 0x1c, 4), 0xffffffff);
    CHECK_EQ(cfg_read(td, 0x20, 4), 0);     /* unimplemented BARs */
    CHECK_EQ(cfg_read(td, 0x24, 4), 0);
    CHECK_EQ(cfg_read(0, 0x10, 4), 0);      /* the i440FX has none */
    cfg_write(td, 0x10, 4, 0x0000c003);     /* type bits stay */
    CHECK_EQ(cfg_read(td, 0x10, 4), 0x0000c001);
}

/* Regions appear where the BARs say only while the command register
 * enables their space, move with the BAR, and go on reset. */
static void test_bar_mapping(void)
{
    uint8_t td = PCI_DEVFN(TDEV_SLOT, 0);

    setup();
    cfg_write(td, 0x10, 4, 0xc000);
    cfg_write(td, 0x14, 4, 0xfebf0000);
    cfg_write(td, 0x18, 4, 0x00000000);
    cfg_write(td, 0x1c, 4, 0x00000008);     /* 0x8_0000_0000 */
    CHECK_EQ(in(0xc004, 1), 0xff);          /* command 0: nothing decodes */
    CHECK_EQ(mem_read32(0xfebf0010), 0xffffffff);
    cfg_write(td, PCI_COMMAND, 2, PCI_COMMAND_IO);
    CHECK_EQ(in(0xc004, 1), 0xa4);
    CHECK_EQ(in(0xc01f, 1), 0xbf);
    CHECK_EQ(in(0xc020, 1), 0xff);
    CHECK_EQ(mem_read32(0xfebf0010), 0xffffffff);
    cfg_write(td, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
    CHECK_EQ(mem_read32(0xfebf0010), 0x11110010);
    CHECK_EQ(mem_read32(0x800000100ull), 0x22220100);
    /* move: the old place is empty */
    cfg_write(td, 0x14, 4, 0xfebe0000);
    CHECK_EQ(mem_read32(0xfebf0010), 0xffffffff);
    CHECK_EQ(mem_read32(0xfebe0010), 0x11110010);
    cfg_write(td, 0x10, 2, 0xd001);         /* low word only */
    CHECK_EQ(in(0xc004, 1), 0xff);
    CHECK_EQ(in(0xd004, 1), 0xa4);
    /* sizing while enabled, address 0, past the port space: unmapped */
    cfg_write(td, 0x14, 4, 0xffffffff);
    CHECK_EQ(mem_read32(0xfebe0010), 0xffffffff);
    CHECK_EQ(mem_read32(0xfffff010), 0xffffffff);
    cfg_write(td, 0x10, 4, 0);
    CHECK_EQ(in(0x0004, 1), 0xff);
    cfg_write(td, 0x10, 4, 0x1ffe0);        /* past 64 KiB */
    CHECK_EQ(in(0xffe4, 1), 0xff);
    CHECK_EQ(fx.tdev[0].dev.bars[0].addr, PCI_BAR_UNMAPPED);
    cfg_write(td, 0x10, 4, 0xffe0);
    CHECK_EQ(in(0xfff4, 1), 0xb4);
    cfg_write(td, 0x18, 4, 0xffffffff);     /* 64-bit sizing */
    cfg_write(td, 0x1c, 4, 0xffffffff);
    CHECK_EQ(fx.tdev[0].dev.bars[2].addr, PCI_BAR_UNMAPPED);
    cfg_write(td, 0x18, 4, 0xfe000000);
    cfg_write(td, 0x1c, 4, 0);
    CHECK_EQ(mem_read32(0xfe000004), 0x22220004);
    /* disable */
    cfg_write(td, PCI_COMMAND, 2, PCI_COMMAND_IO);
    CHECK_EQ(mem_read32(0xfe000004), 0xffffffff);
    CHECK_EQ(in(0xfff4, 1), 0xb4);
    pci_bus_reset(fx.bus);
    CHECK_EQ(in(0xfff4, 1), 0xff);
    CHECK_EQ(cfg_read(td, 0x10, 4), 0x00000001);
    CHECK_EQ(cfg_read(td, PCI_COMMAND, 2), 0);
}

/* INTx: PIRQ routing to ISA IRQs, level, sharing, INTX_DISABLE, reset. */
static void test_pirq_routing(void)
{
    PCIDevice *a = &fx.tdev[0].dev, *b = &fx.tdev[1].dev, *c = &fx.tdev[2].dev;
    uint8_t px = PCI_DEVFN(1, 0);

    setup();
    pci_set_irq(a, 1);                      /* PIRQC, not routed */
    CHECK_EQ(cfg_read(a->devfn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    CHECK_EQ(fx.edges, 0);
    cfg_write(px, PIIX3_PIRQRC + 2, 1, 11);
    CHECK_EQ(fx.level[11], 1);              /* level: routing an asserted PIRQ raises */
    pci_set_irq(a, 1);
    CHECK_EQ(fx.edges, 1);
    pci_set_irq(b, 1);                      /* slot 7 INTA#: PIRQC too */
    pci_set_irq(a, 0);
    CHECK_EQ(fx.level[11], 1);
    CHECK_EQ(fx.edges, 1);
    pci_set_irq(b, 0);
    CHECK_EQ(fx.level[11], 0);
    CHECK_EQ(cfg_read(a->devfn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0);
    /* INTX_DISABLE masks the pin, not the status bit */
    pci_set_irq(a, 1);
    CHECK_EQ(fx.level[11], 1);
    cfg_write(a->devfn, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE);
    CHECK_EQ(fx.level[11], 0);
    CHECK_EQ(cfg_read(a->devfn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    cfg_write(a->devfn, PCI_COMMAND, 2, 0);
    CHECK_EQ(fx.level[11], 1);
    /* re-route while asserted: the old IRQ drops, the new one rises */
    cfg_write(px, PIIX3_PIRQRC + 2, 1, 10);
    CHECK_EQ(fx.level[11], 0);
    CHECK_EQ(fx.level[10], 1);
    /* two PIRQs on one IRQ: high while either is */
    cfg_write(px, PIIX3_PIRQRC + 3, 1, 10);
    pci_set_irq(c, 1);                      /* slot 4 INTA#: PIRQD */
    cfg_write(px, PIIX3_PIRQRC + 3, 1, 11);    /* on two IRQs: both high */
    CHECK_EQ(fx.level[10], 1);
    CHECK_EQ(fx.level[11], 1);
    cfg_write(px, PIIX3_PIRQRC + 3, 1, 10);
    CHECK_EQ(fx.level[11], 0);
    pci_set_irq(a, 0);
    CHECK_EQ(fx.level[10], 1);
    pci_set_irq(c, 0);
    CHECK_EQ(fx.level[10], 0);
    /* IRQROUTEN and the reserved IRQ values route nowhere */
    pci_set_irq(a, 1);
    cfg_write(px, PIIX3_PIRQRC + 2, 1, 0x80 | 10);
    CHECK_EQ(fx.level[10], 0);
    unsigned edges = fx.edges;
    for (unsigned irq = 0; irq < 16; irq++) {
        cfg_write(px, PIIX3_PIRQRC + 2, 1, irq);
        CHECK_EQ(fx.level[irq], !((1u << irq) & 0x2107));
        cfg_write(px, PIIX3_PIRQRC + 2, 1, 0x80);
    }
    CHECK_EQ(fx.edges, edges + 2 * 11);
    /* a function without a pin raises nothing */
    cfg_write(px, PIIX3_PIRQRC + 0, 4, 0x0b0b0b0b);
    pci_set_irq(a, 0);
    CHECK_EQ(fx.level[11], 0);
    fx.tdev[1].dev.config[PCI_INTERRUPT_PIN] = 0;
    pci_set_irq(b, 1);
    CHECK_EQ(fx.level[11], 0);
    /* reset: lines low, routing disabled */
    pci_set_irq(a, 1);
    CHECK_EQ(fx.level[11], 1);
    pci_bus_reset(fx.bus);
    CHECK_EQ(fx.level[11], 0);
    CHECK_EQ(cfg_read(px, PIIX3_PIRQRC, 4), 0x80808080);
    CHECK_EQ(fx.bus->irq_count[2], 0);
}

int main(void)
{
    RUN_TEST(test_config_address);
    RUN_TEST(test_enable_bit);
    RUN_TEST(test_absent);
    RUN_TEST(test_ids);
    RUN_TEST(test_partial_dword);
    RUN_TEST(test_readonly_masks);
    RUN_TEST(test_bar_sizing);
    RUN_TEST(test_bar_mapping);
    RUN_TEST(test_pirq_routing);
    if (fx.bus) {
        teardown();
    }
    TEST_MAIN_END();
}
