/*
 * test-i8259.c: the 8259A pair with the ELCR (hw/intc/i8259.c), driven
 * through its ports as the board wires it: master at 0x20 (INT recorded
 * here), slave at 0xa0 on the master's IR2, ELCR at 0x4d0/0x4d1.
 * Initialisation, IMR, priority and EOI, rotation, edge and level
 * triggering, spurious IRQ 7 and 15, the cascade, IRR/ISR reads, polling,
 * special mask mode and the ELCR's read-only bits.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/intc/i8259.h"
#include "test.h"

TEST_GLOBALS;

static MemoryRegion io;
static AddressSpace as;
static IRQLine int_line;
static int int_level, int_edges;
static I8259State *pic[2];

static void on_int(void *opaque, int n, int level)
{
    int_edges += level && !int_level;
    int_level = level;
}

static void out8(uint16_t port, uint8_t v) { address_space_write(&as, port, &v, 1); }
static uint8_t in8(uint16_t port) { uint8_t v; address_space_read(&as, port, &v, 1); return v; }

/* ISA IRQ n's line, as pc_gsi_set drives it. */
static void irq(int n, int level)
{
    irq_line_set(&pic[n >> 3]->in[n & 7], level);
}

static void setup(void)
{
    static bool done;

    if (!done) {
        memory_region_init_container(&io, "io", 0x10000);
        irq_line_init(&int_line, on_int, NULL, 0);
        pic[0] = i8259_init(&io, 0x20, 0x4d0, 0xf8, &int_line);
        pic[1] = i8259_init(&io, 0xa0, 0x4d1, 0xde, NULL);
        i8259_cascade(pic[0], 2, pic[1]);
        address_space_init(&as, &io, "test-io");
        done = true;
    }
    for (int n = 0; n < 16; n++) {
        irq(n, 0);
    }
    i8259_reset(pic[0]);
    i8259_reset(pic[1]);
    int_edges = 0;
}

/* Linux's init_8259A: vectors 0x20/0x28, slave on IR2, 8086 mode. */
static void init_linux(uint8_t master_mask, uint8_t slave_mask)
{
    out8(0x20, 0x11);  out8(0x21, 0x20);  out8(0x21, 0x04);  out8(0x21, 0x01);
    out8(0xa0, 0x11);  out8(0xa1, 0x28);  out8(0xa1, 0x02);  out8(0xa1, 0x01);
    out8(0x21, master_mask);
    out8(0xa1, slave_mask);
}

static uint8_t read_isr(uint16_t cmd) { out8(cmd, 0x0b); return in8(cmd); }
static uint8_t read_irr(uint16_t cmd) { out8(cmd, 0x0a); return in8(cmd); }

/* Reset masks everything; ICW1 clears the IMR; OCW1 sets it. */
static void test_reset_and_init(void)
{
    setup();
    CHECK_EQ(in8(0x21), 0xff);
    CHECK_EQ(in8(0xa1), 0xff);
    irq(3, 1);
    CHECK_EQ(int_level, 0);
    irq(3, 0);
    out8(0x20, 0x11);
    CHECK_EQ(in8(0x21), 0x00);
    out8(0x21, 0x30);   /* ICW2 */
    out8(0x21, 0x04);   /* ICW3 */
    out8(0x21, 0x01);   /* ICW4 */
    out8(0x21, 0xa5);   /* OCW1 */
    CHECK_EQ(in8(0x21), 0xa5);
    CHECK_EQ(pic[0]->vector_base, 0x30);
    /* Single mode without ICW4: ICW2 ends the sequence. */
    out8(0x20, 0x12);
    out8(0x21, 0x48);
    out8(0x21, 0x5a);
    CHECK_EQ(in8(0x21), 0x5a);
    CHECK_EQ(pic[0]->vector_base, 0x48);
}

/* IR1 beats IR3; IR3 waits while IR1 is in service; a non-specific EOI
 * ends IR1 and lets IR3 through. */
static void test_priority_and_eoi(void)
{
    setup();
    init_linux(0x00, 0xff);
    irq(3, 1);
    irq(1, 1);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(read_irr(0x20), 0x0a);
    CHECK_EQ(i8259_intack(pic[0]), 0x21);
    CHECK_EQ(read_isr(0x20), 0x02);
    CHECK_EQ(read_irr(0x20), 0x08);
    CHECK_EQ(int_level, 0);          /* IR3 is lower than IR1 in service */
    irq(0, 1);
    CHECK_EQ(int_level, 1);          /* IR0 is higher: nests */
    CHECK_EQ(i8259_intack(pic[0]), 0x20);
    CHECK_EQ(read_isr(0x20), 0x03);
    out8(0x20, 0x20);                /* EOI: IR0 */
    CHECK_EQ(read_isr(0x20), 0x02);
    CHECK_EQ(int_level, 0);
    out8(0x20, 0x61);                /* specific EOI: IR1 */
    CHECK_EQ(read_isr(0x20), 0x00);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x23);
    out8(0x20, 0x63);
    CHECK_EQ(int_level, 0);
    CHECK_EQ(read_isr(0x20), 0x00);
    irq(3, 0);
    irq(1, 0);
    irq(0, 0);
}

/* A masked request waits in IRR and arrives when unmasked. */
static void test_mask(void)
{
    setup();
    init_linux(0x10, 0xff);
    irq(4, 1);
    CHECK_EQ(int_level, 0);
    CHECK_EQ(read_irr(0x20), 0x10);
    out8(0x21, 0x00);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x24);
    irq(4, 0);
}

/* Rotate on non-specific EOI: the level just served becomes the lowest;
 * set priority makes IR n lowest. */
static void test_rotation(void)
{
    setup();
    init_linux(0x00, 0xff);
    irq(1, 1);
    irq(5, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x21);
    out8(0x20, 0xa0);                /* rotate on non-specific EOI */
    CHECK_EQ(pic[0]->lowest, 1);
    irq(1, 0);
    irq(1, 1);                       /* IR1 again: now below IR5 */
    CHECK_EQ(i8259_intack(pic[0]), 0x25);
    out8(0x20, 0x20);
    CHECK_EQ(i8259_intack(pic[0]), 0x21);
    out8(0x20, 0x20);
    irq(1, 0);
    irq(5, 0);
    /* Set priority: IR4 lowest, so IR5 beats IR0. */
    out8(0x20, 0xc4);
    irq(0, 1);
    irq(5, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x25);
    out8(0x20, 0xe5);                /* rotate on specific EOI: IR5 lowest */
    CHECK_EQ(pic[0]->lowest, 5);
    CHECK_EQ(i8259_intack(pic[0]), 0x20);
    out8(0x20, 0x20);
    irq(0, 0);
    irq(5, 0);
}

/* Automatic EOI: no ISR bit; with rotate-in-AEOI the level goes lowest. */
static void test_auto_eoi(void)
{
    setup();
    out8(0x20, 0x11);  out8(0x21, 0x20);  out8(0x21, 0x04);  out8(0x21, 0x03);
    out8(0x20, 0x80);                /* rotate in automatic EOI: set */
    irq(3, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x23);
    CHECK_EQ(read_isr(0x20), 0x00);
    CHECK_EQ(pic[0]->lowest, 3);
    CHECK_EQ(int_level, 0);
    irq(3, 0);
}

/* Edge mode: a line held high requests once; the request stays latched
 * when the line drops before the acknowledge; a new rising edge requests
 * again. */
static void test_edge(void)
{
    setup();
    init_linux(0x00, 0xff);
    irq(4, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x24);
    out8(0x20, 0x20);
    irq(4, 1);                       /* still high: no edge */
    CHECK_EQ(int_level, 0);
    CHECK_EQ(read_irr(0x20), 0x00);
    irq(4, 0);
    irq(4, 1);
    CHECK_EQ(int_level, 1);
    irq(4, 0);                       /* gone before INTA: still latched */
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x24);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 0);
    /* ICW1 resets the edge sense: a line high across it needs a new edge. */
    irq(6, 1);
    init_linux(0x00, 0xff);
    CHECK_EQ(int_level, 0);
    irq(6, 0);
}

/* Level mode from the ELCR: the request follows the line and stays
 * after an EOI while the line is high; dropping before INTA gives
 * spurious IRQ 7 (vector base + 7, no ISR bit). */
static void test_level_and_spurious_irq7(void)
{
    setup();
    init_linux(0x00, 0xff);
    out8(0x4d0, 0x20);               /* IRQ 5 level */
    irq(5, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x25);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 1);          /* still high: again */
    CHECK_EQ(i8259_intack(pic[0]), 0x25);
    irq(5, 0);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 0);
    CHECK_EQ(read_irr(0x20), 0x00);
    irq(5, 1);
    CHECK_EQ(int_level, 1);
    irq(5, 0);                       /* the request goes away before INTA */
    CHECK_EQ(int_level, 0);
    CHECK_EQ(i8259_intack(pic[0]), 0x27);
    CHECK_EQ(read_isr(0x20), 0x00);
    /* ICW1.LTIM makes every input level sensitive. */
    out8(0x4d0, 0x00);
    out8(0x20, 0x19);  out8(0x21, 0x20);  out8(0x21, 0x04);  out8(0x21, 0x01);
    irq(3, 1);
    irq(3, 0);
    CHECK_EQ(int_level, 0);
    CHECK_EQ(read_irr(0x20), 0x00);
}

/* Slave requests arrive through the master's IR2 with the slave's
 * vector; both ISRs hold them until the slave's and the master's EOI. */
static void test_cascade(void)
{
    setup();
    init_linux(0xfb, 0x00);
    irq(12, 1);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(read_irr(0x20), 0x04);
    CHECK_EQ(i8259_intack(pic[0]), 0x2c);
    CHECK_EQ(read_isr(0xa0), 0x10);
    CHECK_EQ(read_isr(0x20), 0x04);
    irq(9, 1);                       /* higher on the slave: IR2 in service blocks */
    CHECK_EQ(int_level, 0);
    out8(0xa0, 0x20);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x29);
    out8(0xa0, 0x20);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 0);
    irq(12, 0);
    irq(9, 0);
    /* Special fully nested mode: the slave's higher request passes IR2
     * in service. */
    out8(0x20, 0x11);  out8(0x21, 0x20);  out8(0x21, 0x04);  out8(0x21, 0x11);
    out8(0x21, 0xfb);
    irq(12, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x2c);
    irq(9, 1);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x29);
    irq(12, 0);
    irq(9, 0);
}

/* A slave request masked after the master latched IR2: the slave answers
 * with its IR7 vector (spurious IRQ 15) and the master's IR2 goes in
 * service (Linux then sends the master an EOI). */
static void test_spurious_irq15(void)
{
    setup();
    init_linux(0xfb, 0x00);
    irq(10, 1);
    CHECK_EQ(int_level, 1);
    out8(0xa1, 0x04);                /* the slave masks IRQ 10 */
    CHECK_EQ(int_level, 1);          /* the master's edge is latched */
    CHECK_EQ(i8259_intack(pic[0]), 0x2f);
    CHECK_EQ(read_isr(0xa0), 0x00);
    CHECK_EQ(read_isr(0x20), 0x04);
    out8(0x20, 0x62);
    CHECK_EQ(int_level, 0);
    irq(10, 0);
}

/* A slave in automatic EOI mode that still requests is seen again. */
static void test_cascade_auto_eoi(void)
{
    setup();
    out8(0x20, 0x11);  out8(0x21, 0x20);  out8(0x21, 0x04);  out8(0x21, 0x03);
    out8(0xa0, 0x11);  out8(0xa1, 0x28);  out8(0xa1, 0x02);  out8(0xa1, 0x03);
    out8(0x21, 0xfb);
    irq(8, 1);
    irq(11, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x28);
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x2b);
    CHECK_EQ(int_level, 0);
    irq(8, 0);
    irq(11, 0);
}

/* OCW3 poll: the read acknowledges the best request (I bit and level);
 * 0 when none.  It works on either port, once. */
static void test_poll(void)
{
    setup();
    init_linux(0x00, 0xff);
    out8(0x20, 0x0c);
    CHECK_EQ(in8(0x20), 0x00);
    irq(6, 1);
    out8(0x20, 0x0c);
    CHECK_EQ(in8(0x21), 0x86);
    CHECK_EQ(read_isr(0x20), 0x40);
    CHECK_EQ(in8(0x21), 0x00);       /* the poll is over: IMR */
    out8(0x20, 0x20);
    irq(6, 0);
}

/* Special mask mode: masking the level in service lets lower levels in,
 * and a non-specific EOI does not end the masked level. */
static void test_special_mask(void)
{
    setup();
    init_linux(0x00, 0xff);
    irq(1, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x21);
    irq(5, 1);
    CHECK_EQ(int_level, 0);
    out8(0x21, 0x02);                /* mask IR1 ... */
    out8(0x20, 0x68);                /* ... and set special mask mode */
    CHECK_EQ(int_level, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x25);
    out8(0x20, 0x20);                /* ends IR5, not the masked IR1 */
    CHECK_EQ(read_isr(0x20), 0x02);
    out8(0x20, 0x48);                /* reset special mask mode */
    out8(0x20, 0x61);
    CHECK_EQ(read_isr(0x20), 0x00);
    irq(1, 0);
    irq(5, 0);
}

/* The ELCR: IRQ 0, 1, 2, 8 and 13 are edge only (their bits read 0). */
static void test_elcr(void)
{
    setup();
    CHECK_EQ(in8(0x4d0), 0x00);
    out8(0x4d0, 0xff);
    out8(0x4d1, 0xff);
    CHECK_EQ(in8(0x4d0), 0xf8);
    CHECK_EQ(in8(0x4d1), 0xde);
    i8259_reset(pic[0]);
    CHECK_EQ(in8(0x4d0), 0x00);
    /* Level mode on the slave: IRQ 11. */
    init_linux(0xfb, 0x00);
    out8(0x4d1, 0x08);
    irq(11, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x2b);
    out8(0xa0, 0x20);
    out8(0x20, 0x20);
    CHECK_EQ(i8259_intack(pic[0]), 0x2b);     /* still high */
    irq(11, 0);
    out8(0xa0, 0x20);
    out8(0x20, 0x20);
    CHECK_EQ(int_level, 0);
    out8(0x4d1, 0x00);
}

/* Out-of-range programming: OCW2's no-operation, EOIs with nothing in
 * service, a data write before any ICW1, word accesses. */
static void test_odd_programming(void)
{
    setup();
    out8(0x21, 0x12);                /* OCW1 before ICW1 */
    CHECK_EQ(in8(0x21), 0x12);
    init_linux(0x00, 0xff);
    out8(0x20, 0x40);                /* no operation */
    out8(0x20, 0x20);                /* EOI with nothing in service */
    out8(0x20, 0x67);
    CHECK_EQ(read_isr(0x20), 0x00);
    CHECK_EQ(int_level, 0);
    uint16_t w = 0x5a0a;             /* OCW3 read IRR, then IMR 0x5a */
    address_space_write(&as, 0x20, &w, 2);
    CHECK_EQ(in8(0x21), 0x5a);
    irq(0, 1);
    CHECK_EQ(i8259_intack(pic[0]), 0x20);
    irq(0, 0);
}

int main(void)
{
    RUN_TEST(test_reset_and_init);
    RUN_TEST(test_priority_and_eoi);
    RUN_TEST(test_mask);
    RUN_TEST(test_rotation);
    RUN_TEST(test_auto_eoi);
    RUN_TEST(test_edge);
    RUN_TEST(test_level_and_spurious_irq7);
    RUN_TEST(test_cascade);
    RUN_TEST(test_spurious_irq15);
    RUN_TEST(test_cascade_auto_eoi);
    RUN_TEST(test_poll);
    RUN_TEST(test_special_mask);
    RUN_TEST(test_elcr);
    RUN_TEST(test_odd_programming);
    TEST_MAIN_END();
}
