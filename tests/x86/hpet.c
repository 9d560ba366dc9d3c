// tern-nested: allow periodic/three the nested guest runs at TCG speed with ~0.1 ms exits: taking one 1 ms periodic interrupt can outlast the next, whose edge the IOAPIC then merges
// tern-nested: allow periodic/about-3ms three 1 ms periods, timed by the TSC, take longer than 50 ms when the nested guest's exits (~0.1 ms each) run on a loaded host
// tern-nested: allow legacy/pit-cut-off seen once nested (in-kernel irqchip, loaded host, 2026-12-01): an IRQ 0 within 5 ms of programming the PIT in HPET legacy mode, not understood yet; under TCG (tern's own PIT and HPET) it passes
/*
 * hpet.c: the HPET at 0xFED00000 as a kernel drives it (64-bit).
 * The capabilities (the ACPI table's block ID, 100 ns period), the main
 * counter halted and writable, then running at 10 MHz measured against
 * RDTSC; comparator interrupts through the IOAPIC with the 8259s masked:
 * a level-triggered one-shot on pin 20 that stays pending until its
 * status bit is cleared, a periodic edge timer on pin 21, and legacy
 * replacement routing timer 0 to ISA IRQ 0 (IOAPIC pin 2) while the
 * PIT's interrupts are cut off.
 *
 * Interrupts use vector 32: the runtime's IDT already has a recording
 * gate there (tern_run_user's), so tern_catch_fault returns 32 when the
 * interrupt arrives, abandoning the wait loop, with IF clear again.
 * Guest only.
 */
#include "tern.h"

#define HPET_BASE    0xfed00000ul
#define IOAPIC_BASE  0xfec00000ul
#define APIC_BASE    0xfee00000ul
#define APIC_EOI     0xb0
#define APIC_SVR     0xf0
#define TSC_PER_US   2000ull     /* tern's TSC: 2 GHz (docs/cpu.md) */

#define GCAP_ID      0x000
#define GEN_CONF     0x010
#define GINTR_STA    0x020
#define MAIN_CNT     0x0f0
#define TN_CONF(n)   (0x100 + 0x20 * (n))
#define TN_CMP(n)    (0x108 + 0x20 * (n))
#define ENABLE       1u
#define LEG_RT       2u
#define INT_LEVEL    (1u << 1)
#define INT_ENB      (1u << 2)
#define PERIODIC     (1u << 3)
#define VAL_SET      (1u << 6)
#define ROUTE(r)     ((uint32_t)(r) << 9)

#define VEC          32
#define RTE_MASKED   0x10000u
#define RTE_LEVEL    0x8000u
#define RTE_RIRR     0x4000u

static volatile uint64_t *hpet64(unsigned off) { return (volatile uint64_t *)(HPET_BASE + off); }
static volatile uint32_t *hpet32(unsigned off) { return (volatile uint32_t *)(HPET_BASE + off); }
static uint64_t rd(unsigned off) { return *hpet64(off); }
static void wr(unsigned off, uint64_t v) { *hpet64(off) = v; }

static volatile uint32_t *const ioapic = (volatile uint32_t *)IOAPIC_BASE;
static uint32_t io_rd(unsigned idx) { ioapic[0] = idx; return ioapic[4]; }
static void io_wr(unsigned idx, uint32_t v) { ioapic[0] = idx; ioapic[4] = v; }
static void rte(unsigned pin, uint32_t lo) { io_wr(0x11 + 2 * pin, 0); io_wr(0x10 + 2 * pin, lo); }

static void apic_wr(unsigned off, uint32_t v) { *(volatile uint32_t *)(APIC_BASE + off) = v; }

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void spin_us(uint64_t us)
{
    uint64_t end = rdtsc() + us * TSC_PER_US;

    while (rdtsc() < end) {
        __asm__ volatile("pause");
    }
}

/* With interrupts on for about wait_ms; an interrupt ends it early. */
static unsigned wait_ms;
static void wait_irq(void)
{
    __asm__ volatile("sti" ::: "memory");
    spin_us(wait_ms * 1000ull);
    __asm__ volatile("cli" ::: "memory");
}

/* The vector taken within ms, or -1 */
static int take_irq(unsigned ms)
{
    wait_ms = ms;
    return tern_catch_fault(wait_irq);
}

static void test_caps(void)
{
    test_group("caps");
    CHECK_EQ_NAMED("gcap-id", rd(GCAP_ID), 0x05f5e1008086a201ull);
    CHECK_EQ_NAMED("gcap-id-low", *hpet32(GCAP_ID), 0x8086a201);
    CHECK_EQ_NAMED("period-fs", *hpet32(GCAP_ID + 4), 100000000);
    CHECK_EQ_NAMED("byte-read-all-ones", *(volatile uint8_t *)HPET_BASE, 0xff);
    CHECK_EQ_NAMED("timer0-caps", rd(TN_CONF(0)), 0x00f0000000000030ull);
    CHECK_EQ_NAMED("gen-conf-reset", rd(GEN_CONF), 0);
}

static void test_counter(void)
{
    uint64_t c0, c1, t0, t1, ticks, us;

    test_group("counter");
    wr(MAIN_CNT, 0x1234);
    spin_us(1000);
    CHECK_EQ_NAMED("halted", rd(MAIN_CNT), 0x1234);
    wr(MAIN_CNT, 0);
    wr(GEN_CONF, ENABLE);
    t0 = rdtsc();
    c0 = rd(MAIN_CNT);
    spin_us(20000);
    c1 = rd(MAIN_CNT);
    t1 = rdtsc();
    wr(MAIN_CNT, 0);                                 /* ignored while running */
    CHECK_NAMED("write-ignored-running", rd(MAIN_CNT) >= c1);
    ticks = c1 - c0;
    us = (t1 - t0) / TSC_PER_US;
    tern_printf("hpet: %llu ticks in %llu us\n", (unsigned long long)ticks, (unsigned long long)us);
    CHECK_NAMED("rate-10mhz", ticks >= us * 10 * 3 / 4 && ticks <= us * 10 * 5 / 4);
    wr(GEN_CONF, 0);
    c0 = rd(MAIN_CNT);
    spin_us(1000);
    CHECK_EQ_NAMED("stops", rd(MAIN_CNT), c0);
}

/* Level one-shot on IOAPIC pin 20: delivered once, Remote IRR until the
 * EOI, and after status W1C and EOI nothing more. */
static void test_level_oneshot(void)
{
    int v;
    uint32_t sta, rte_in;

    test_group("level");
    rte(20, RTE_LEVEL | VEC);
    wr(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(20));
    wr(GEN_CONF, ENABLE);
    wr(TN_CMP(0), rd(MAIN_CNT) + 10000);             /* 1 ms */
    v = take_irq(100);
    sta = rd(GINTR_STA);
    rte_in = io_rd(0x10 + 2 * 20);
    wr(GINTR_STA, 1);
    apic_wr(APIC_EOI, 0);
    CHECK_EQ_NAMED("delivered", v, VEC);
    CHECK_EQ_NAMED("status", sta, 1);
    CHECK_NAMED("remote-irr", rte_in & RTE_RIRR);
    CHECK_EQ_NAMED("status-cleared", rd(GINTR_STA), 0);
    CHECK_EQ_NAMED("no-more", take_irq(5), -1);
    CHECK_EQ_NAMED("remote-irr-cleared", io_rd(0x10 + 2 * 20) & RTE_RIRR, 0);
    wr(TN_CONF(0), 0);
    rte(20, RTE_MASKED);
}

/* Periodic edge timer on pin 21, 1 ms: three interrupts about 1 ms apart.
 * Returns how many came and sets *us to the time they took. */
static int periodic_three(uint64_t *us)
{
    int got = 0;
    uint64_t t0;

    rte(21, VEC);
    wr(TN_CONF(1), PERIODIC | VAL_SET | INT_ENB | ROUTE(21));
    wr(TN_CMP(1), rd(MAIN_CNT) + 10000);
    wr(TN_CMP(1), 10000);
    t0 = rdtsc();
    for (int i = 0; i < 3; i++) {
        if (take_irq(100) == VEC) {
            got++;
            apic_wr(APIC_EOI, 0);
        }
    }
    *us = (rdtsc() - t0) / TSC_PER_US;
    wr(TN_CONF(1), 0);
    rte(21, RTE_MASKED);
    return got;
}

/* The time bound is the host's wall clock: a loaded host that stalls the
 * vCPU makes one run slow, so a slow run is measured again (three tries);
 * a period that is really wrong is slow or early every time. */
static void test_periodic(void)
{
    int got = 0;
    uint64_t dt = 0;

    test_group("periodic");
    for (int tries = 0; tries < 3; tries++) {
        got = periodic_three(&dt);
        if (got != 3 || dt < 50000) {
            break;
        }
    }
    CHECK_EQ_NAMED("three", got, 3);
    CHECK_NAMED("about-3ms", dt >= 2000 && dt < 50000);
    CHECK_EQ_NAMED("edge-no-status", rd(GINTR_STA), 0);
}

/* LEG_RT_CNF: timer 0 interrupts on ISA IRQ 0, the IOAPIC's pin 2 (the
 * MADT's override), whatever its route says. */
static void test_legacy(void)
{
    int v, pit_cut, pit_back;

    test_group("legacy");
    rte(2, VEC);
    rte(20, RTE_MASKED);
    wr(TN_CONF(0), INT_ENB | ROUTE(20));
    wr(GEN_CONF, ENABLE | LEG_RT);
    wr(TN_CMP(0), rd(MAIN_CNT) + 10000);
    v = take_irq(100);
    apic_wr(APIC_EOI, 0);
    wr(TN_CONF(0), 0);
    /* meanwhile the PIT's IRQ 0 is cut off; it comes back after */
    outb(0x43, 0x34);                                /* counter 0, mode 2 */
    outb(0x40, 1193 & 0xff);                         /* 1 ms */
    outb(0x40, 1193 >> 8);
    pit_cut = take_irq(5);
    if (pit_cut == VEC) {
        apic_wr(APIC_EOI, 0);
    }
    wr(GEN_CONF, ENABLE);
    pit_back = take_irq(100);
    apic_wr(APIC_EOI, 0);
    outb(0x43, 0x30);                                /* mode 0: OUT low, no count */
    rte(2, RTE_MASKED);
    CHECK_EQ_NAMED("irq0-pin2", v, VEC);
    CHECK_EQ_NAMED("pit-cut-off", pit_cut, -1);
    CHECK_EQ_NAMED("pit-back", pit_back, VEC);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("programs the HPET, IOAPIC and local APIC");
#endif
    idt_install();
    outb(0x21, 0xff);                                /* both 8259s masked */
    outb(0xa1, 0xff);
    apic_wr(APIC_SVR, 0x1ff);                        /* software enable */
    test_caps();
    test_counter();
    test_level_oneshot();
    test_periodic();
    test_legacy();
    wr(GEN_CONF, 0);
    test_done();
}
