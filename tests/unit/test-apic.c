/*
 * test-apic.c: the local APIC model (hw/intc/apic.c) through its register
 * interfaces: reset values, priority classes and TPR masking, ISR nesting
 * and EOI order, level EOIs to the IOAPIC, ESR's write-before-read rule,
 * the timer's modes and divide values (the virtual clock is stopped and the
 * test moves the count's start back instead), TSC-deadline, x2APIC MSRs
 * and IA32_APIC_BASE transitions, and odd MMIO accesses.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "sysemu/timer.h"
#include "hw/intc/apic.h"
#include "test.h"
#include "test-apic.h"

TEST_GLOBALS;

static CPUState cpu;
static int eois[256];

static void on_eoi(void *opaque, uint8_t vector)
{
    (void)opaque;
    eois[vector]++;
}

static bool intr(void) { return cpu.interrupt_request & CPU_INTERRUPT_HARD; }

static bool irr_has(APICState *s, unsigned v) { return rd(s, 0x200 + (v >> 5) * 16) >> (v & 31) & 1; }
static bool isr_has(APICState *s, unsigned v) { return rd(s, 0x100 + (v >> 5) * 16) >> (v & 31) & 1; }

/* A fresh, software-enabled APIC (SVR vector 0xff) */
static APICState *new_apic(void)
{
    APICState *s = apic_init(&cpu, 0, true, true, true);

    cpu.interrupt_request = 0;
    memset(eois, 0, sizeof(eois));
    apic_set_eoi_handler(s, on_eoi, NULL);
    wr(s, 0xf0, 0x1ff);
    return s;
}

static void test_reset_values(void)
{
    APICState *s = apic_init(&cpu, 3, true, true, true);

    CHECK_EQ(rd(s, 0x20), 3u << 24);
    CHECK_EQ(rd(s, 0x30), 0x50014);
    CHECK_EQ(rd(s, 0xf0), 0xff);
    CHECK_EQ(rd(s, 0xe0), 0xffffffff);
    CHECK_EQ(rd(s, 0x320), 0x10000);
    CHECK_EQ(rd(s, 0x350), 0x700);          /* BSP LINT0: ExtINT */
    CHECK_EQ(rd(s, 0x360), 0x10000);
    CHECK_EQ(rd(s, 0x370), 0x10000);
    CHECK_EQ(rd(s, 0xa0), 0);
    uint64_t base;
    CHECK(apic_msr_read(s, 0x1b, &base));
    CHECK_EQ(base, 0xfee00900);
    CHECK(apic_accept_pic(s));
    /* software disabled: no fixed interrupt reaches the CPU */
    cpu.interrupt_request = 0;
    apic_deliver(s, APIC_DM_FIXED, 0x40, false);
    CHECK(!intr());
    CHECK_EQ(apic_get_interrupt(s), -1);
    apic_destroy(s);
}

/* Higher classes preempt, the same class waits for the EOI, EOI clears
 * the highest ISR bit first. */
static void test_priority_nesting(void)
{
    APICState *s = new_apic();

    apic_deliver(s, APIC_DM_FIXED, 0x31, false);
    apic_deliver(s, APIC_DM_FIXED, 0x45, false);
    CHECK(intr());
    CHECK_EQ(apic_get_interrupt(s), 0x45);
    CHECK(isr_has(s, 0x45) && !irr_has(s, 0x45));
    CHECK_EQ(rd(s, 0xa0), 0x40);            /* PPR = ISRV class */
    CHECK(!intr());                         /* 0x31 is below */
    apic_deliver(s, APIC_DM_FIXED, 0x42, false);
    CHECK(!intr());                         /* same class: waits */
    apic_deliver(s, APIC_DM_FIXED, 0x51, false);
    CHECK(intr());
    CHECK_EQ(apic_get_interrupt(s), 0x51);  /* nested */
    CHECK_EQ(rd(s, 0xa0), 0x50);
    wr(s, 0xb0, 0);                         /* EOI: 0x51 */
    CHECK(!isr_has(s, 0x51) && isr_has(s, 0x45));
    CHECK(!intr());
    wr(s, 0xb0, 0);                         /* EOI: 0x45 */
    CHECK(intr());
    CHECK_EQ(apic_get_interrupt(s), 0x42);
    wr(s, 0xb0, 0);
    CHECK_EQ(apic_get_interrupt(s), 0x31);
    wr(s, 0xb0, 0);
    CHECK_EQ(apic_get_interrupt(s), -1);
    CHECK(!intr());
    wr(s, 0xb0, 0);                         /* EOI with an empty ISR: nothing */
    CHECK_EQ(eois[0x31], 0);                /* edge: no EOI message */
    apic_destroy(s);
}

/* TPR blocks a class and below; CR8 is TPR[7:4]; APR follows SDM 11.6.2.4 */
static void test_tpr_cr8(void)
{
    APICState *s = new_apic();

    wr(s, 0x80, 0x55);
    CHECK_EQ(apic_get_cr8(s), 5);
    apic_deliver(s, APIC_DM_FIXED, 0x58, false);
    CHECK(!intr());
    CHECK_EQ(rd(s, 0xa0), 0x55);
    CHECK_EQ(rd(s, 0x90), 0x55);
    apic_set_cr8(s, 4);
    CHECK_EQ(rd(s, 0x80), 0x40);
    CHECK(intr());
    apic_set_cr8(s, 0xf);
    CHECK(!intr());
    CHECK_EQ(apic_get_interrupt(s), -1);
    apic_set_cr8(s, 0);
    CHECK_EQ(rd(s, 0x90), 0x50);            /* APR: the IRR class */
    CHECK_EQ(apic_get_interrupt(s), 0x58);
    apic_destroy(s);
}

/* A level-triggered vector sets TMR and its EOI goes to the IOAPIC */
static void test_level_eoi(void)
{
    APICState *s = new_apic();

    apic_deliver(s, APIC_DM_FIXED, 0x61, true);
    CHECK(rd(s, 0x180 + 3 * 16) & 2);
    CHECK_EQ(apic_get_interrupt(s), 0x61);
    wr(s, 0xb0, 0);
    CHECK_EQ(eois[0x61], 1);
    apic_deliver(s, APIC_DM_FIXED, 0x61, false);    /* edge now: TMR clear */
    CHECK(!(rd(s, 0x180 + 3 * 16) & 2));
    apic_destroy(s);
}

/* ESR: errors show after a write; the error LVT fires on a new error */
static void test_esr(void)
{
    APICState *s = new_apic();

    wr(s, 0x300, 0x4005);                   /* fixed, vector 5, to self */
    CHECK_EQ(rd(s, 0x280), 0);              /* not yet visible */
    wr(s, 0x280, 0);
    CHECK_EQ(rd(s, 0x280), 0x20);           /* send illegal vector */
    wr(s, 0x280, 0);
    CHECK_EQ(rd(s, 0x280), 0);
    apic_deliver(s, APIC_DM_FIXED, 7, false);
    CHECK(!irr_has(s, 7));
    rd(s, 0x2f0);                           /* no CMCI with max LVT 5 */
    wr(s, 0x280, 0);
    CHECK_EQ(rd(s, 0x280), 0xc0);           /* receive illegal, illegal register */
    wr(s, 0x370, 0xe3);                     /* error LVT unmasked */
    CHECK(!irr_has(s, 0xe3));
    wr(s, 0x300, 0x4001);
    CHECK(irr_has(s, 0xe3));
    apic_destroy(s);
}

/* ICR: self, all-including-self; physical to another ID goes nowhere */
static void test_icr(void)
{
    APICState *s = new_apic();

    wr(s, 0x300, 0x40041);                  /* shorthand self */
    CHECK(irr_has(s, 0x41));
    wr(s, 0x300, 0x80042);                  /* all including self */
    CHECK(irr_has(s, 0x42));
    wr(s, 0x300, 0xc0043);                  /* all excluding self */
    CHECK(!irr_has(s, 0x43));
    wr(s, 0x310, 1u << 24);
    wr(s, 0x300, 0x44);                     /* physical ID 1 */
    CHECK(!irr_has(s, 0x44));
    wr(s, 0x310, 0);
    wr(s, 0x300, 0x45);                     /* physical ID 0: me */
    CHECK(irr_has(s, 0x45));
    CHECK_EQ(rd(s, 0x300) & (1u << 12), 0); /* delivery status idle */
    wr(s, 0xd0, 0x02000000);                /* logical flat: bit 1 */
    wr(s, 0x310, 0x02000000);
    wr(s, 0x300, 0x846);
    CHECK(irr_has(s, 0x46));
    wr(s, 0x300, 0x400);                    /* NMI to self (shorthand none, dest me) */
    CHECK(!(cpu.interrupt_request & CPU_INTERRUPT_NMI));
    wr(s, 0x300, 0x40400);
    CHECK(cpu.interrupt_request & CPU_INTERRUPT_NMI);
    wr(s, 0x300, 0x40500);                  /* INIT: raised for the CPU's thread */
    CHECK(cpu.interrupt_request & CPU_INTERRUPT_INIT);
    wr(s, 0x300, 0x40612);                  /* SIPI: its vector kept for the thread */
    CHECK(cpu.interrupt_request & CPU_INTERRUPT_SIPI);
    CHECK_EQ(s->sipi_vector, 0x12);
    apic_destroy(s);
}

/* Timer: one-shot and periodic counts, every divide value, expiry */
static void test_timer(void)
{
    static const struct { uint32_t tdcr; unsigned div; } divs[] = {
        { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
        { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
    };
    APICState *s = new_apic();

    timer_virtual_stop();
    for (unsigned i = 0; i < ARRAY_SIZE(divs); i++) {
        wr(s, 0x3e0, divs[i].tdcr);
        CHECK_EQ(rd(s, 0x3e0), divs[i].tdcr);
        wr(s, 0x380, 100000);
        CHECK_EQ(rd(s, 0x390), 100000);
        s->count_start_ns -= 1024 * divs[i].div;     /* 1024 ticks pass */
        CHECK_EQ(rd(s, 0x390), 100000 - 1024);
        CHECK(timer_pending(&s->timer));
        /* armed when loaded, 1024 ticks before the moved start */
        CHECK_EQ(s->timer.expire_ns, s->count_start_ns + (100000ll + 1024) * divs[i].div);
    }
    /* one-shot expiry: masked LVT, nothing; unmasked: the vector once */
    wr(s, 0x3e0, 0xb);
    wr(s, 0x320, 0x30);
    wr(s, 0x380, 50);
    s->timer.cb(s->timer.opaque);
    CHECK(irr_has(s, 0x30));
    s->count_start_ns -= 60;
    CHECK_EQ(rd(s, 0x390), 0);
    /* periodic: the count reloads */
    wr(s, 0x320, 0x20031);
    wr(s, 0x380, 100000);
    s->count_start_ns -= 250000;
    CHECK_EQ(rd(s, 0x390), 50000);
    s->timer.cb(s->timer.opaque);
    CHECK(irr_has(s, 0x31));
    CHECK(timer_pending(&s->timer));
    CHECK_EQ(s->timer.expire_ns, s->count_start_ns + 300000);
    /* a 1 ns period interrupts at most every 10 us; the count is exact */
    wr(s, 0x380, 1);
    s->timer.cb(s->timer.opaque);
    CHECK_EQ(s->timer.expire_ns, timer_clock_ns(TIMER_CLOCK_VIRTUAL) + 10000);
    /* initial count 0 stops it */
    wr(s, 0x380, 0);
    CHECK(!timer_pending(&s->timer));
    CHECK_EQ(rd(s, 0x390), 0);
    timer_virtual_start();
    apic_destroy(s);
}

/* TSC-deadline: armed by the MSR, fires once and reads 0; ignored in the
 * other modes; TMICT ignored in this one */
static void test_tsc_deadline(void)
{
    APICState *s = new_apic();
    uint64_t v;

    apic_set_tsc_deadline(s, 1234, 5000);   /* one-shot mode: ignored */
    CHECK(apic_msr_read(s, 0x6e0, &v));
    CHECK_EQ(v, 0);
    wr(s, 0x320, 0x40032);
    CHECK_EQ(rd(s, 0x320), 0x40032);
    wr(s, 0x380, 100);
    CHECK_EQ(rd(s, 0x380), 0);
    apic_set_tsc_deadline(s, 1234, 5000);
    CHECK(apic_msr_read(s, 0x6e0, &v));
    CHECK_EQ(v, 1234);
    CHECK(timer_pending(&s->timer));
    CHECK_EQ(s->timer.expire_ns, 5000);
    s->timer.cb(s->timer.opaque);
    CHECK(irr_has(s, 0x32));
    CHECK(apic_msr_read(s, 0x6e0, &v));
    CHECK_EQ(v, 0);
    apic_set_tsc_deadline(s, 99, 6000);
    apic_set_tsc_deadline(s, 0, 0);         /* 0 disarms */
    CHECK(!timer_pending(&s->timer));
    wr(s, 0x320, 0x32);                     /* back to one-shot: disarmed */
    apic_destroy(s);

    s = apic_init(&cpu, 0, true, true, false);  /* without the feature */
    wr(s, 0xf0, 0x1ff);
    wr(s, 0x320, 0x40032);
    CHECK_EQ(rd(s, 0x320), 0x32);
    apic_destroy(s);
}

/* x2APIC: MSR access rules (SDM table 11-6), ICR as one MSR, SELF_IPI */
static void test_x2apic(void)
{
    APICState *s = apic_init(&cpu, 0x13, true, true, true);
    uint64_t v;

    CHECK(!apic_msr_read(s, 0x802, &v));                 /* xAPIC mode: #GP */
    CHECK(!apic_msr_write(s, 0x1b, 0xfee00000 | APIC_BASE_EXTD));   /* EXTD without EN */
    CHECK(apic_msr_write(s, 0x1b, 0xfee00000 | APIC_BASE_EXTD | APIC_BASE_ENABLE));
    CHECK(!s->mmio.enabled);
    CHECK(apic_msr_read(s, 0x802, &v));
    CHECK_EQ(v, 0x13);
    CHECK(apic_msr_read(s, 0x80d, &v));
    CHECK_EQ(v, (1u << 16) | (1u << 3));                 /* cluster 1, bit 3 */
    CHECK(!apic_msr_write(s, 0x80d, 0));                 /* LDR read-only */
    CHECK(!apic_msr_write(s, 0x802, 0));                 /* ID read-only */
    CHECK(!apic_msr_read(s, 0x809, &v));                 /* no APR */
    CHECK(!apic_msr_read(s, 0x80e, &v));                 /* no DFR */
    CHECK(!apic_msr_read(s, 0x831, &v));                 /* no ICR high */
    CHECK(!apic_msr_read(s, 0x80b, &v));                 /* EOI write-only */
    CHECK(!apic_msr_read(s, 0x83f, &v));                 /* SELF_IPI write-only */
    CHECK(!apic_msr_read(s, 0x8ff, &v));
    CHECK(!apic_msr_write(s, 0x80b, 1));                 /* EOI: non-zero #GP */
    CHECK(!apic_msr_write(s, 0x808, 0x100));             /* TPR bits 31:8 */
    CHECK(!apic_msr_write(s, 0x828, 1));                 /* ESR: non-zero #GP */
    CHECK(!apic_msr_write(s, 0x838, 1ull << 32));        /* upper half */
    CHECK(apic_msr_write(s, 0x80f, 0x1ff));
    CHECK(apic_msr_write(s, 0x830, (0x13ull << 32) | 0x51));   /* physical 0x13 */
    CHECK(apic_msr_read(s, 0x830, &v));
    CHECK_EQ(v, (0x13ull << 32) | 0x51);
    CHECK(apic_msr_read(s, 0x822, &v));                 /* IRR 0x40-0x5f */
    CHECK(v & (1u << 0x11));
    CHECK(!apic_msr_write(s, 0x83f, 0x100));
    CHECK(apic_msr_write(s, 0x83f, 0x52));
    CHECK(apic_msr_read(s, 0x822, &v));
    CHECK(v & (1u << 0x12));
    CHECK(apic_match_dest(s, 0x13, false) && !apic_match_dest(s, 0x14, false));
    CHECK(apic_match_dest(s, 0x10008, true) && !apic_match_dest(s, 0x20008, true));
    CHECK(!apic_msr_write(s, 0x1b, 0xfee00000 | APIC_BASE_ENABLE));  /* x2 -> xAPIC */
    CHECK(apic_msr_write(s, 0x1b, 0xfee00000));                       /* -> disabled */
    CHECK(apic_accept_pic(s));
    CHECK(!apic_msr_write(s, 0x1b, 0xfee00000 | APIC_BASE_EXTD | APIC_BASE_ENABLE));
    CHECK(apic_msr_write(s, 0x1b, 0xfed00000 | APIC_BASE_ENABLE));     /* relocate */
    CHECK_EQ(apic_base_address(s), 0xfed00000);
    CHECK(s->mmio.enabled && s->mmio.addr == 0xfed00000);
    CHECK_EQ(rd(s, 0x20), 0x13u << 24);     /* the ID survived the disable */
    CHECK_EQ(rd(s, 0xf0), 0xff);            /* everything else was reset */
    CHECK(!apic_msr_write(s, 0x1b, 1ull << 40 | 0xfee00800));     /* above MAXPHYADDR */
    CHECK(!apic_msr_write(s, 0x1b, 0xfee00801));                  /* bit 0 */
    CHECK(apic_msr_write(s, 0x1b, 0xfee00800));                   /* BSP is read-only */
    CHECK(apic_msr_read(s, 0x1b, &v));
    CHECK_EQ(v, 0xfee00900);
    apic_destroy(s);

    s = apic_init(&cpu, 0, true, false, true);  /* no x2apic: EXTD reserved */
    CHECK(!apic_msr_write(s, 0x1b, 0xfee00000 | APIC_BASE_EXTD | APIC_BASE_ENABLE));
    apic_destroy(s);
}

/* Software disable masks every LVT and keeps them masked; MMIO only takes
 * aligned 32-bit accesses; read-only registers ignore writes */
static void test_mmio_and_masks(void)
{
    APICState *s = new_apic();
    uint64_t v = 0x1234;

    wr(s, 0x350, 0x700);
    CHECK_EQ(rd(s, 0x350), 0x700);
    wr(s, 0xf0, 0xff);
    CHECK_EQ(rd(s, 0x350), 0x10700);
    wr(s, 0x350, 0x700);
    CHECK_EQ(rd(s, 0x350), 0x10700);
    CHECK(!apic_accept_pic(s));
    wr(s, 0xf0, 0x1ff);
    wr(s, 0x80, 0x20);
    memory_region_dispatch_write(&s->mmio, 0x84, 0x40, 4);   /* unaligned */
    memory_region_dispatch_write(&s->mmio, 0x80, 0x40, 1);   /* byte */
    CHECK_EQ(rd(s, 0x80), 0x20);
    memory_region_dispatch_read(&s->mmio, 0x81, &v, 1);
    CHECK_EQ(v, 0);
    wr(s, 0x30, 0);                                          /* version: read-only */
    CHECK_EQ(rd(s, 0x30), 0x50014);
    wr(s, 0x3f0, 0x40);                                      /* SELF_IPI: x2APIC only */
    CHECK(!irr_has(s, 0x40));
    wr(s, 0x280, 0);
    CHECK_EQ(rd(s, 0x280), 0x80);
    /* LINT1 as NMI, edge: one NMI per rising edge */
    wr(s, 0x360, 0x400);
    cpu.interrupt_request = 0;
    apic_set_lint(s, 1, 1);
    CHECK(cpu.interrupt_request & CPU_INTERRUPT_NMI);
    cpu.interrupt_request = 0;
    apic_set_lint(s, 1, 1);
    CHECK(!(cpu.interrupt_request & CPU_INTERRUPT_NMI));
    /* LINT0 ExtINT: INTR follows the pin; masked: it does not */
    wr(s, 0x350, 0x700);
    apic_set_lint(s, 0, 1);
    CHECK(intr());
    apic_set_lint(s, 0, 0);
    CHECK(!intr());
    wr(s, 0x350, 0x10700);
    apic_set_lint(s, 0, 1);
    CHECK(!intr());
    apic_destroy(s);
}

int main(void)
{
    RUN_TEST(test_reset_values);
    RUN_TEST(test_priority_nesting);
    RUN_TEST(test_tpr_cr8);
    RUN_TEST(test_level_eoi);
    RUN_TEST(test_esr);
    RUN_TEST(test_icr);
    RUN_TEST(test_timer);
    RUN_TEST(test_tsc_deadline);
    RUN_TEST(test_x2apic);
    RUN_TEST(test_mmio_and_masks);
    TEST_MAIN_END();
}
