/*
 * test-ioapic.c: the IOAPIC model (hw/intc/ioapic.c) through IOREGSEL/
 * IOWIN: ID, version and arbitration registers, redirection entries'
 * writable bits, edge pins (one message per rising edge, lost while
 * masked), level pins with Remote IRR and the EOI (by the local APIC's
 * broadcast and by the version-0x20 EOI register), odd accesses.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "test.h"

TEST_GLOBALS;

static struct msg { unsigned mode; uint8_t vector, dest; bool logical, level; } last;
static int sent;

static void deliver(void *opaque, unsigned mode, uint8_t vector, uint8_t dest, bool logical,
                    bool level)
{
    (void)opaque;
    last = (struct msg){ mode, vector, dest, logical, level };
    sent++;
}

static uint32_t rd(IOAPICState *s, uint8_t index)
{
    uint64_t v = 0;

    memory_region_dispatch_write(&s->mmio, 0x00, index, 4);
    memory_region_dispatch_read(&s->mmio, 0x10, &v, 4);
    return v;
}

static void wr(IOAPICState *s, uint8_t index, uint32_t val)
{
    memory_region_dispatch_write(&s->mmio, 0x00, index, 4);
    memory_region_dispatch_write(&s->mmio, 0x10, val, 4);
}

static IOAPICState *new_ioapic(void)
{
    sent = 0;
    memset(&last, 0, sizeof(last));
    return ioapic_init(deliver, NULL);
}

static void test_registers(void)
{
    IOAPICState *s = new_ioapic();
    uint64_t v = 0;

    CHECK_EQ(rd(s, 1), 0x00170020);             /* 24 entries, version 0x20 */
    wr(s, 0, 0xff000000);
    CHECK_EQ(rd(s, 0), 0x0f000000);             /* ID bits 27:24 */
    CHECK_EQ(rd(s, 2), 0x0f000000);             /* arbitration ID */
    wr(s, 1, 0);
    CHECK_EQ(rd(s, 1), 0x00170020);             /* read-only */
    for (unsigned n = 0; n < IOAPIC_NUM_PINS; n++) {
        CHECK_EQ(rd(s, 0x10 + 2 * n), 0x10000); /* masked at reset */
        CHECK_EQ(rd(s, 0x11 + 2 * n), 0);
    }
    wr(s, 0x10, 0xffffffff);
    CHECK_EQ(rd(s, 0x10), 0x1afff);             /* no delivery status, remote IRR, 31:17 */
    wr(s, 0x11, 0xffffffff);
    CHECK_EQ(rd(s, 0x11), 0xff000000);
    CHECK_EQ(rd(s, 0x40), 0);                   /* beyond entry 23: reads 0 */
    wr(s, 0x40, 1);
    CHECK_EQ(rd(s, 0x3f), 0);
    memory_region_dispatch_write(&s->mmio, 0x00, 0x1234, 4);
    memory_region_dispatch_read(&s->mmio, 0x00, &v, 4);
    CHECK_EQ(v, 0x34);                          /* IOREGSEL is 8 bits */
    memory_region_dispatch_read(&s->mmio, 0x10, &v, 1);
    CHECK_EQ(v, 0);                             /* byte access: ignored */
    memory_region_dispatch_read(&s->mmio, 0x20, &v, 4);
    CHECK_EQ(v, 0);
    ioapic_reset(s);
    CHECK_EQ(rd(s, 0x10), 0x10000);
    CHECK_EQ(rd(s, 0), 0);
    ioapic_destroy(s);
}

static void test_edge(void)
{
    IOAPICState *s = new_ioapic();

    ioapic_set_irq(s, 4, 1);                    /* masked: lost */
    wr(s, 0x11 + 8, 0x05000000);
    wr(s, 0x10 + 8, 0x834);                     /* logical, fixed, vector 0x34 */
    CHECK_EQ(sent, 0);
    ioapic_set_irq(s, 4, 0);
    ioapic_set_irq(s, 4, 1);
    CHECK_EQ(sent, 1);
    CHECK_EQ(last.vector, 0x34);
    CHECK_EQ(last.dest, 5);
    CHECK(last.logical && !last.level);
    CHECK_EQ(last.mode, APIC_DM_FIXED);
    ioapic_set_irq(s, 4, 1);                    /* no new edge */
    CHECK_EQ(sent, 1);
    ioapic_set_irq(s, 4, 0);
    ioapic_set_irq(s, 4, 1);
    CHECK_EQ(sent, 2);
    CHECK_EQ(rd(s, 0x18) & (1u << 14), 0);      /* no Remote IRR for edge */
    wr(s, 0x10 + 8, 0x10434);                   /* masked NMI */
    ioapic_set_irq(s, 4, 0);
    ioapic_set_irq(s, 4, 1);
    wr(s, 0x10 + 8, 0x434);                     /* unmasking does not replay it */
    CHECK_EQ(sent, 2);
    ioapic_set_irq(s, 24, 1);                   /* beyond the pins: nothing */
    ioapic_set_irq(s, -1, 1);
    CHECK_EQ(sent, 2);
    ioapic_destroy(s);
}

static void test_level(void)
{
    IOAPICState *s = new_ioapic();

    wr(s, 0x10 + 2 * 9, 0x18041);               /* level, masked, vector 0x41 */
    ioapic_set_irq(s, 9, 1);
    CHECK_EQ(sent, 0);
    wr(s, 0x10 + 2 * 9, 0x8041);                /* unmask while asserted: sends */
    CHECK_EQ(sent, 1);
    CHECK(last.level);
    CHECK(rd(s, 0x10 + 2 * 9) & (1u << 14));    /* Remote IRR */
    ioapic_set_irq(s, 9, 1);
    CHECK_EQ(sent, 1);                          /* waits for the EOI */
    ioapic_eoi(s, 0x42);                        /* another vector */
    CHECK_EQ(sent, 1);
    ioapic_eoi(s, 0x41);                        /* still asserted: again */
    CHECK_EQ(sent, 2);
    ioapic_set_irq(s, 9, 0);
    memory_region_dispatch_write(&s->mmio, 0x40, 0x41, 4);   /* EOI register */
    CHECK_EQ(rd(s, 0x10 + 2 * 9) & (1u << 14), 0);
    CHECK_EQ(sent, 2);
    ioapic_set_irq(s, 9, 1);
    CHECK_EQ(sent, 3);
    /* switching the pin to edge drops Remote IRR */
    wr(s, 0x10 + 2 * 9, 0x41);
    CHECK_EQ(rd(s, 0x10 + 2 * 9) & (1u << 14), 0);
    ioapic_destroy(s);
}

/* ExtINT and NMI entries carry their mode */
static void test_modes(void)
{
    IOAPICState *s = new_ioapic();

    wr(s, 0x10, 0x700);
    ioapic_set_irq(s, 0, 1);
    CHECK_EQ(last.mode, APIC_DM_EXTINT);
    wr(s, 0x12, 0x100 | 0x33);
    ioapic_set_irq(s, 1, 1);
    CHECK_EQ(last.mode, APIC_DM_LOWEST);
    CHECK_EQ(last.vector, 0x33);
    ioapic_destroy(s);
}

int main(void)
{
    RUN_TEST(test_registers);
    RUN_TEST(test_edge);
    RUN_TEST(test_level);
    RUN_TEST(test_modes);
    TEST_MAIN_END();
}
