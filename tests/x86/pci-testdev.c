// tern-args: -device pci-testdev
/*
 * pci-testdev.c: QEMU's pci-testdev as kvm-unit-tests' lib/pci-testdev.c
 * drives it.  Found on bus 0 at 00:04.0: IDs 1b36:0005, revision 0,
 * class 00ff, subsystem 1af4:1100, no interrupt pin, no capabilities;
 * BAR 0 sizes as 4 KiB of 32-bit memory, BAR 1 as 256 ports, the others
 * as nothing.  With both assigned (tern has no firmware) each BAR's tests
 * are run as kvm-unit-tests does: select test i, read width, data and
 * offset, write data there 16 times, count 16; the table ends at the
 * first test whose width reads 0 (three per BAR), names and offsets as
 * QEMU's.  Data matching (the datamatch test ignores other values, the
 * wildcard test counts any), a dword at the offset (its first byte
 * counts), the header read through the other BAR.  Bad input: test
 * numbers past the table, writes to the last bytes of each BAR and an
 * 8-byte write: no count, reads 0, the device still works after.  The
 * memory BAR disappears with the command register's MEM bit.  No
 * pc-testdev without its -device.
 * Guest only: natively it skips (port I/O).
 */
#include "tern.h"

#include <stdbool.h>

#define BAR0_ADDR      0xfe100000u    /* free, below the IOAPIC, identity-mapped */
#define BAR1_ADDR      0xc000u
#define NR_WRITES      16

#define HDR_TEST   0
#define HDR_WIDTH  1
#define HDR_OFFSET 4
#define HDR_DATA   8
#define HDR_COUNT  12
#define HDR_NAME   16

static unsigned devfn;

/* One BAR's accessors, as kvm-unit-tests' pci_testdev_ops. */
struct bar_ops {
    uint8_t (*rb)(unsigned off);
    uint32_t (*rl)(unsigned off);
    void (*wb)(unsigned off, uint8_t v);
    void (*wl)(unsigned off, uint32_t v);
};

static volatile uint8_t *const mmio = (volatile uint8_t *)(uintptr_t)BAR0_ADDR;
static uint8_t mem_rb(unsigned off) { return mmio[off]; }
static uint32_t mem_rl(unsigned off) { return *(volatile uint32_t *)(mmio + off); }
static void mem_wb(unsigned off, uint8_t v) { mmio[off] = v; }
static void mem_wl(unsigned off, uint32_t v) { *(volatile uint32_t *)(mmio + off) = v; }
static uint8_t pio_rb(unsigned off) { return inb(BAR1_ADDR + off); }
static uint32_t pio_rl(unsigned off) { return inl(BAR1_ADDR + off); }
static void pio_wb(unsigned off, uint8_t v) { outb(BAR1_ADDR + off, v); }
static void pio_wl(unsigned off, uint32_t v) { outl(BAR1_ADDR + off, v); }

static const struct bar_ops mem_ops = { mem_rb, mem_rl, mem_wb, mem_wl };
static const struct bar_ops pio_ops = { pio_rb, pio_rl, pio_wb, pio_wl };

static bool find_device(void)
{
    int found = pci_find(0x1b36, 0x0005);

    devfn = found < 0 ? 0 : (unsigned)found;
    return found >= 0;
}

static void test_config(void)
{
    test_group("config");
    CHECK_EQ_NAMED("slot", devfn, 4 << 3);
    CHECK_EQ_NAMED("class-rev", pci_cfg_read(devfn, 0x08, 4), 0x00ff0000u);
    CHECK_EQ_NAMED("header-type", pci_cfg_read(devfn, 0x0e, 1), 0);
    CHECK_EQ_NAMED("subsystem", pci_cfg_read(devfn, 0x2c, 4), 0x11001af4u);
    CHECK_EQ_NAMED("interrupt-pin", pci_cfg_read(devfn, 0x3d, 1), 0);
    CHECK_EQ_NAMED("no-cap-list", pci_cfg_read(devfn, 0x06, 2) & 0x10, 0);
    CHECK_EQ_NAMED("command", pci_cfg_read(devfn, 0x04, 2), 0);
    CHECK_EQ_NAMED("bar0-unassigned", pci_cfg_read(devfn, 0x10, 4), 0);
    for (unsigned bar = 0; bar < 6; bar++) {
        pci_cfg_write(devfn, 0x10 + 4 * bar, 4, 0xffffffffu);
    }
    CHECK_EQ_NAMED("bar0-size", pci_cfg_read(devfn, 0x10, 4), 0xfffff000u);
    CHECK_EQ_NAMED("bar1-size", pci_cfg_read(devfn, 0x14, 4), 0xffffff01u);
    for (unsigned bar = 2; bar < 6; bar++) {
        CHECK_EQ_NAMED("bar2-5-none", pci_cfg_read(devfn, 0x10 + 4 * bar, 4), 0);
    }
    pci_cfg_write(devfn, 0x10, 4, BAR0_ADDR);
    pci_cfg_write(devfn, 0x14, 4, BAR1_ADDR);
    pci_cfg_write(devfn, 0x04, 4, 0x3);             /* IO | MEM */
    CHECK_EQ_NAMED("bar0", pci_cfg_read(devfn, 0x10, 4), BAR0_ADDR);
    CHECK_EQ_NAMED("bar1", pci_cfg_read(devfn, 0x14, 4), BAR1_ADDR | 1);
}

/* kvm-unit-tests' pci_testdev_one: false at the end of the table. */
static bool run_one(const struct bar_ops *ops, unsigned nr, unsigned *count, char *name)
{
    uint32_t sig, off;
    uint8_t width;
    unsigned i;

    ops->wb(HDR_TEST, (uint8_t)nr);
    if (ops->rl(HDR_COUNT) != 0) {
        return false;
    }
    width = ops->rb(HDR_WIDTH);
    if (width != 1 && width != 2 && width != 4) {
        return false;
    }
    sig = ops->rl(HDR_DATA);
    off = ops->rl(HDR_OFFSET);
    for (i = 0; i < NR_WRITES; i++) {
        ops->wb(off, (uint8_t)sig);
    }
    *count = ops->rl(HDR_COUNT);
    for (i = 0; i < 39; i++) {
        name[i] = (char)ops->rb(HDR_NAME + i);
        if (!name[i]) {
            break;
        }
    }
    name[i] = 0;
    return true;
}

static void test_table(const char *group, const struct bar_ops *ops, unsigned first,
                       unsigned hit_base)
{
    static const char *const names[] = {
        "mmio-no-eventfd", "mmio-wildcard-eventfd", "mmio-datamatch-eventfd",
        "portio-no-eventfd", "portio-wildcard-eventfd", "portio-datamatch-eventfd",
    };
    unsigned nr, count = 0;
    char name[40];

    test_group(group);
    for (nr = 0; nr < 8 && run_one(ops, nr, &count, name); nr++) {
        CHECK_EQ_NAMED("test", ops->rb(HDR_TEST), first + nr);
        CHECK_EQ_NAMED("offset", ops->rl(HDR_OFFSET), hit_base + first + nr);
        CHECK_EQ_NAMED("data", ops->rl(HDR_DATA), nr == 1 ? 0xce : 0xfa);
        CHECK_EQ_NAMED("count", count, NR_WRITES);
        CHECK_NAMED("name", !strcmp(name, names[first + nr]));
    }
    CHECK_EQ_NAMED("tests", nr, 3);
    CHECK_EQ_NAMED("past-table-reads-0", ops->rl(HDR_TEST) | ops->rl(HDR_OFFSET), 0);
}

static void test_matching(void)
{
    unsigned off;

    test_group("match");
    mem_wb(HDR_TEST, 2);                          /* mmio-datamatch-eventfd */
    off = mem_rl(HDR_OFFSET);
    mem_wb(off, 0xfb);
    mem_wb(off + 1, 0xfa);
    CHECK_EQ_NAMED("datamatch-other-value", mem_rl(HDR_COUNT), 0);
    mem_wl(off, 0x12345afa);                      /* byte 0 is the data */
    CHECK_EQ_NAMED("datamatch-dword", mem_rl(HDR_COUNT), 1);
    CHECK_EQ_NAMED("other-bar-header", pio_rb(HDR_TEST), 2);
    CHECK_EQ_NAMED("other-bar-count", pio_rl(HDR_COUNT), 1);
    pio_wb(HDR_TEST, 1);                          /* portio-wildcard-eventfd */
    off = pio_rl(HDR_OFFSET);
    pio_wb(off, 0x00);
    pio_wb(off, 0x5a);
    pio_wl(off - 1, 0xffffffff);                  /* its byte 1 is the hit */
    CHECK_EQ_NAMED("wildcard-any-value", pio_rl(HDR_COUNT), 3);
    pio_wb(HDR_TEST, 1);
    CHECK_EQ_NAMED("reselect-clears", pio_rl(HDR_COUNT), 0);
}

static void test_bad_input(void)
{
    test_group("bad-input");
    mem_wb(HDR_TEST, 3);
    CHECK_EQ_NAMED("test-3-none", mem_rl(HDR_WIDTH), 0);
    mem_wb(HDR_TEST, 0xff);
    mem_wb(2048, 0xfa);
    mem_wb(4095, 0xfa);
    *(volatile uint64_t *)(mmio + 4088) = ~0ull;
    pio_wl(252, 0xffffffff);
    pio_wb(255, 0xfa);
    CHECK_EQ_NAMED("deselected-reads-0", mem_rl(0) | mem_rl(HDR_COUNT) | pio_rl(252), 0);
    CHECK_EQ_NAMED("last-byte-reads-0", mem_rb(4095), 0);
    mem_wb(HDR_TEST, 0);
    mem_wb(4095, 0xfa);
    mem_wb(mem_rl(HDR_OFFSET), 0xfa);
    CHECK_EQ_NAMED("works-after", mem_rl(HDR_COUNT), 1);
    CHECK_EQ_NAMED("reads-0-past-name", mem_rl(HDR_NAME + 16) | mem_rl(4092), 0);
    pci_cfg_write(devfn, 0x04, 4, 0x1);             /* IO only: BAR 0 unmapped */
    CHECK_EQ_NAMED("mem-disabled", mem_rl(0), 0xffffffffu);
    CHECK_EQ_NAMED("io-still-on", pio_rb(HDR_TEST), 0);
    pci_cfg_write(devfn, 0x04, 4, 0x3);
    CHECK_EQ_NAMED("mem-enabled", mem_rb(HDR_TEST), 0);
    /* without -device pc-testdev its ports and memory are nothing's */
    CHECK_EQ_NAMED("no-pc-testdev-port", inl(0xe0), 0xffffffffu);
    CHECK_EQ_NAMED("no-pc-testdev-irq", inb(0x2000), 0xff);
    CHECK_EQ_NAMED("no-pc-testdev-iomem", *(volatile uint32_t *)0xff000000ul, 0xffffffffu);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_group("probe");
    if (!find_device()) {
        CHECK_NAMED("found", 0);
        test_done();
    }
    CHECK_NAMED("found", 1);
    test_config();
    CHECK_EQ_NAMED("nothing-selected", mem_rl(HDR_TEST), 0);
    test_table("mmio", &mem_ops, 0, 2048);
    test_table("portio", &pio_ops, 3, 128);
    test_matching();
    test_bad_input();
    test_done();
}
