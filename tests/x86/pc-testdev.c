// tern-args: -device pc-testdev
/*
 * pc-testdev.c: QEMU's pc-testdev as kvm-unit-tests use it (64-bit).
 * The register at port 0xe0 written and read back at every width and
 * offset, through the byte window at 0xe8 too, and a misaligned word; the
 * flush port (reads 0, RAM unchanged); the 64 KiB at 0xff000000 with 1-8
 * byte accesses, unaligned ones and its last bytes; the IRQ ports
 * 0x2000 + n: IRQ 5 and 10 through the 8259 pair (held in IRR while
 * masked, taken when unmasked, a new edge after a lower), GSI 11 edge and
 * GSI 14 level through the IOAPIC (a level still high after the EOI comes
 * again; Remote IRR until the EOI), GSI 20 (IOAPIC only).  Bad input:
 * ports past line 23 and a dword straddling 0xe3/0xe4 change nothing but
 * what they reach; no pci-testdev without its -device.
 * Guest only: natively it skips (port I/O, interrupts).
 */
#include "tern.h"

#define TD_IOPORT      0xe0
#define TD_FLUSH       0xe4
#define TD_IOPORT_BYTE 0xe8
#define TD_IRQ         0x2000
#define TD_IOMEM       0xff000000ul
#define TD_IOMEM_SIZE  0x10000ul

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define OCW3_READ_IRR 0x0a
#define OCW2_EOI  0x20
#define VEC_PIC   0x20           /* 8259 vectors 0x20-0x2f */
#define VEC_EDGE  0x40
#define VEC_LEVEL 0x41
#define VEC_HIGH  0x42
#define VEC_LINE23 0x43

#define IOAPIC_BASE   0xfec00000ul
#define LAPIC_LVT_LINT0 0x350
#define RTE_MASKED    0x10000u
#define RTE_LEVEL     0x8000u
#define RTE_REMOTE_IRR 0x4000u

static volatile uint32_t *const ioapic = (volatile uint32_t *)IOAPIC_BASE;
static volatile uint8_t *const iomem = (volatile uint8_t *)TD_IOMEM;

static uint32_t io_rd(unsigned idx) { ioapic[0] = idx; return ioapic[4]; }
static void io_wr(unsigned idx, uint32_t v) { ioapic[0] = idx; ioapic[4] = v; }

static void rte_set(unsigned gsi, uint32_t lo)
{
    io_wr(0x11 + 2 * gsi, (lapic_read(LAPIC_ID) >> 24) << 24);
    io_wr(0x10 + 2 * gsi, lo);
}

static void irq_line(unsigned n, uint8_t level)
{
    outb(TD_IRQ + n, level);
}

static volatile int count[256];
static volatile uint32_t rte_in_handler;

static void pic_handler(unsigned vector)
{
    count[vector]++;
    if (vector >= VEC_PIC + 8) {
        outb(PIC2_CMD, OCW2_EOI);
    }
    outb(PIC1_CMD, OCW2_EOI);
}

static void edge_handler(unsigned vector)
{
    count[vector]++;
    lapic_write(LAPIC_EOI, 0);
}

/* GSI 14, level: the first time the line stays high over the EOI, so the
 * IOAPIC must deliver again; the second time it is lowered first.  A line
 * that does not go down is masked on the third, to end the storm. */
static void level_handler(unsigned vector)
{
    int n = count[vector]++;

    if (n == 0) {
        rte_in_handler = io_rd(0x10 + 2 * 14);
    } else {
        irq_line(14, 0);
    }
    if (n >= 2) {
        io_wr(0x10 + 2 * 14, RTE_MASKED | RTE_LEVEL | VEC_LEVEL);
    }
    lapic_write(LAPIC_EOI, 0);
}

/* Interrupts open long enough for whatever is pending to arrive. */
static void window(void)
{
    __asm__ volatile("sti" ::: "memory");
    tern_delay_us(2000);
    __asm__ volatile("cli" ::: "memory");
}

static void test_ioport(void)
{
    test_group("ioport");
    outl(TD_IOPORT, 0x12345678);
    CHECK_EQ_NAMED("l", inl(TD_IOPORT), 0x12345678);
    CHECK_EQ_NAMED("w0", inw(TD_IOPORT), 0x5678);
    CHECK_EQ_NAMED("w2", inw(TD_IOPORT + 2), 0x1234);
    CHECK_EQ_NAMED("b0", inb(TD_IOPORT), 0x78);
    CHECK_EQ_NAMED("b1", inb(TD_IOPORT + 1), 0x56);
    CHECK_EQ_NAMED("b2", inb(TD_IOPORT + 2), 0x34);
    CHECK_EQ_NAMED("b3", inb(TD_IOPORT + 3), 0x12);
    outb(TD_IOPORT + 1, 0xaa);
    CHECK_EQ_NAMED("outb1", inl(TD_IOPORT), 0x1234aa78);
    outw(TD_IOPORT + 2, 0xbbcc);
    CHECK_EQ_NAMED("outw2", inl(TD_IOPORT), 0xbbccaa78);
    CHECK_EQ_NAMED("misaligned-w1", inw(TD_IOPORT + 1), 0xccaa);
    /* the byte window is the same register */
    CHECK_EQ_NAMED("byte-window-l", inl(TD_IOPORT_BYTE), 0xbbccaa78);
    CHECK_EQ_NAMED("byte-window-w2", inw(TD_IOPORT_BYTE + 2), 0xbbcc);
    outl(TD_IOPORT_BYTE, 0xcafef00d);
    CHECK_EQ_NAMED("byte-window-outl", inl(TD_IOPORT), 0xcafef00d);
    outb(TD_IOPORT_BYTE + 3, 0x01);
    CHECK_EQ_NAMED("byte-window-outb3", inl(TD_IOPORT), 0x01fef00d);
}

static void test_flush(void)
{
    static volatile uint64_t page[512] __attribute__((aligned(4096)));

    test_group("flush");
    page[0] = 0x1122334455667788ull;
    outl(TD_FLUSH, (uint32_t)(uintptr_t)page);
    CHECK_EQ_NAMED("reads-0", inl(TD_FLUSH), 0);
    CHECK_EQ_NAMED("ram-kept", page[0], 0x1122334455667788ull);
    page[1] = 5;
    CHECK_EQ_NAMED("ram-writable", page[1], 5);
}

static void test_iomem(void)
{
    volatile uint64_t *q = (volatile uint64_t *)(TD_IOMEM + 0x100);

    test_group("iomem");
    CHECK_EQ_NAMED("zero-at-start", *(volatile uint64_t *)(TD_IOMEM + 0x800), 0);
    *q = 0x0807060504030201ull;
    CHECK_EQ_NAMED("q", *q, 0x0807060504030201ull);
    CHECK_EQ_NAMED("l4", *(volatile uint32_t *)(TD_IOMEM + 0x104), 0x08070605);
    CHECK_EQ_NAMED("w2", *(volatile uint16_t *)(TD_IOMEM + 0x102), 0x0403);
    CHECK_EQ_NAMED("b7", iomem[0x107], 0x08);
    *(volatile uint16_t *)(TD_IOMEM + 0x100) = 0xbeef;
    iomem[0x107] = 0xee;
    *(volatile uint32_t *)(TD_IOMEM + 0x108) = 0xdeadc0de;
    CHECK_EQ_NAMED("merged", *q, 0xee0706050403beefull);
    CHECK_EQ_NAMED("unaligned-l", *(volatile uint32_t *)(TD_IOMEM + 0x105), 0xdeee0706);
    *(volatile uint32_t *)(TD_IOMEM + 0x103) = 0x44332211;
    CHECK_EQ_NAMED("unaligned-store", *q, 0xee4433221103beefull);
    *(volatile uint64_t *)(TD_IOMEM + TD_IOMEM_SIZE - 8) = 0xa5a5a5a5a5a5a5a5ull;
    CHECK_EQ_NAMED("last-byte", iomem[TD_IOMEM_SIZE - 1], 0xa5);
    /* the byte after the window is nothing's: all ones, writes dropped */
    *(volatile uint32_t *)(TD_IOMEM + TD_IOMEM_SIZE) = 0;
    CHECK_EQ_NAMED("past-end", *(volatile uint32_t *)(TD_IOMEM + TD_IOMEM_SIZE), 0xffffffffu);
    CHECK_EQ_NAMED("end-kept", *(volatile uint64_t *)(TD_IOMEM + TD_IOMEM_SIZE - 8),
                   0xa5a5a5a5a5a5a5a5ull);
}

/* Linux's init_8259A (vectors 0x20/0x28, slave on IR2), all masked; the
 * BSP's LINT0 passes the 8259's INT (ExtINT, virtual wire mode). */
static void pic_init(void)
{
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, 0x11);
    outb(PIC1_DATA, VEC_PIC);
    outb(PIC1_DATA, 1 << 2);
    outb(PIC1_DATA, 0x01);
    outb(PIC2_CMD, 0x11);
    outb(PIC2_DATA, VEC_PIC + 8);
    outb(PIC2_DATA, 2);
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    lapic_write(LAPIC_LVT_LINT0, 0x700);
}

static uint8_t pic_irr(uint16_t cmd)
{
    outb(cmd, OCW3_READ_IRR);
    return inb(cmd);
}

/* IRQ 5 (master) and 10 (slave, through IR2) at the 8259 pair. */
static void test_irq_pic(void)
{
    int masked;

    test_group("irq-pic");
    CHECK_EQ_NAMED("reads-0", inb(TD_IRQ + 5), 0);
    irq_line(5, 1);
    CHECK_EQ_NAMED("irr-while-masked", pic_irr(PIC1_CMD) & (1 << 5), 1 << 5);
    CHECK_EQ_NAMED("reads-0-when-high", inb(TD_IRQ + 5), 0);
    window();
    masked = count[VEC_PIC + 5];
    outb(PIC1_DATA, 0xff & ~(1 << 5));
    window();
    CHECK_EQ_NAMED("masked-not-taken", masked, 0);
    CHECK_EQ_NAMED("taken-when-unmasked", count[VEC_PIC + 5], 1);
    window();
    CHECK_EQ_NAMED("edge-once", count[VEC_PIC + 5], 1);
    irq_line(5, 0);
    irq_line(5, 1);
    window();
    CHECK_EQ_NAMED("new-edge", count[VEC_PIC + 5], 2);
    irq_line(5, 0);
    outb(PIC1_DATA, 0xff & ~(1 << 2));
    outb(PIC2_DATA, 0xff & ~(1 << 2));
    irq_line(10, 1);
    window();
    CHECK_EQ_NAMED("slave-irq10", count[VEC_PIC + 10], 1);
    CHECK_EQ_NAMED("slave-irq10-irr", pic_irr(PIC2_CMD) & (1 << 2), 0);
    irq_line(10, 0);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    CHECK_EQ_NAMED("no-other", count[VEC_PIC + 7] + count[VEC_PIC + 15], 0);
}

/* GSI 11 edge, 14 level, 20 (no 8259 input) at the IOAPIC. */
static void test_irq_ioapic(void)
{
    uint32_t rte_after;

    test_group("irq-ioapic");
    rte_set(11, RTE_MASKED | VEC_EDGE);
    irq_line(11, 1);
    window();
    CHECK_EQ_NAMED("masked-not-taken", count[VEC_EDGE], 0);
    irq_line(11, 0);
    rte_set(11, VEC_EDGE);
    irq_line(11, 1);
    window();
    CHECK_EQ_NAMED("edge", count[VEC_EDGE], 1);
    window();
    CHECK_EQ_NAMED("edge-once", count[VEC_EDGE], 1);
    irq_line(11, 0);
    window();
    CHECK_EQ_NAMED("lower-no-interrupt", count[VEC_EDGE], 1);
    irq_line(11, 1);
    window();
    CHECK_EQ_NAMED("edge-again", count[VEC_EDGE], 2);
    irq_line(11, 0);
    rte_set(11, RTE_MASKED | VEC_EDGE);

    rte_set(14, RTE_LEVEL | VEC_LEVEL);
    irq_line(14, 1);
    window();
    rte_after = io_rd(0x10 + 2 * 14);
    CHECK_EQ_NAMED("level-redelivered", count[VEC_LEVEL], 2);
    CHECK_NAMED("remote-irr-in-handler", rte_in_handler & RTE_REMOTE_IRR);
    CHECK_EQ_NAMED("remote-irr-after-eoi", rte_after & RTE_REMOTE_IRR, 0);
    window();
    CHECK_EQ_NAMED("level-low-quiet", count[VEC_LEVEL], 2);
    rte_set(14, RTE_MASKED | VEC_LEVEL);

    rte_set(20, VEC_HIGH);
    irq_line(20, 1);
    window();
    CHECK_EQ_NAMED("gsi20", count[VEC_HIGH], 1);
    irq_line(20, 0);
    rte_set(20, RTE_MASKED | VEC_HIGH);
}

/* Past line 23 is nothing's; a word write reaches two lines, a byte
 * each; a dword at 0xe2 reaches the register's top half (the flush port
 * refuses its half); no pci-testdev without its -device. */
static void test_bad_input(void)
{
    int before = count[VEC_EDGE] + count[VEC_LEVEL] + count[VEC_HIGH];
    unsigned found = 0, levels = 0;

    test_group("bad-input");
    for (unsigned n = 24; n < 32; n++) {
        irq_line(n, 1);
    }
    CHECK_EQ_NAMED("past-23-reads-ff", inb(TD_IRQ + 24), 0xff);
    for (unsigned n = 0; n < 24; n++) {
        levels |= inb(TD_IRQ + n);
    }
    CHECK_EQ_NAMED("lines-read-0", levels, 0);
    window();
    CHECK_EQ_NAMED("no-interrupt", count[VEC_EDGE] + count[VEC_LEVEL] + count[VEC_HIGH],
                   before);
    rte_set(22, VEC_HIGH);
    rte_set(23, VEC_LINE23);
    outw(TD_IRQ + 21, 0x0100);         /* line 21 low, line 22 high, 23 untouched */
    window();
    CHECK_EQ_NAMED("word-write-line22", count[VEC_HIGH], 2);
    CHECK_EQ_NAMED("word-write-not-line23", count[VEC_LINE23], 0);
    outw(TD_IRQ + 22, 0);
    rte_set(22, RTE_MASKED | VEC_HIGH);
    rte_set(23, RTE_MASKED | VEC_LINE23);
    outl(TD_IOPORT, 0x11223344);
    outl(TD_IOPORT + 2, 0xaabbccdd);
    CHECK_EQ_NAMED("straddling-dword", inl(TD_IOPORT), 0xccdd3344);
    for (unsigned slot = 0; slot < 32; slot++) {
        outl(0xcf8, 0x80000000u | slot << 11);
        found += inl(0xcfc) == 0x00051b36u;
    }
    CHECK_EQ_NAMED("no-pci-testdev", found, 0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O and interrupts need ring 0");
    }
    idt_install();
    for (int v = VEC_PIC; v < VEC_PIC + 16; v++) {
        tern_irq_set(v, pic_handler);
    }
    tern_irq_set(VEC_EDGE, edge_handler);
    tern_irq_set(VEC_HIGH, edge_handler);
    tern_irq_set(VEC_LINE23, edge_handler);
    tern_irq_set(VEC_LEVEL, level_handler);
    lapic_write(LAPIC_SVR, 0x1ff);
    pic_init();
    test_ioport();
    test_flush();
    test_iomem();
    test_irq_pic();
    test_irq_ioapic();
    test_bad_input();
    test_done();
}
