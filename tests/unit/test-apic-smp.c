/*
 * test-apic-smp.c: the local APICs of a multiprocessor (hw/intc/apic.c on
 * an APICBus) and the CPU side of INIT/SIPI (target-x86/seg_helper.c).
 * Four CPUs with APIC IDs 0, 1, 4, 5 (IDs with a gap, as a topology of
 * 3 cores per package gives):
 * ICR IPIs by physical, logical flat and cluster destination, broadcast
 * and each shorthand, x2APIC ICR, lowest priority by APR, NMI; IOAPIC
 * messages through apic_bus_deliver; the xAPIC page reaching the calling
 * vCPU's APIC; the wait-for-SIPI state (only INIT/SIPI recognised), INIT
 * resetting a CPU (what it keeps, BSP versus AP), SIPI starting a waiting
 * AP at vector << 12 and being ignored otherwise, INIT de-assert.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "sysemu/runstate.h"
#include "hw/intc/apic.h"
#include "target-x86/cpu.h"
#include "test.h"
#include "test-apic.h"

TEST_GLOBALS;

#define NCPU 4

static const uint32_t ids[NCPU] = { 0, 1, 4, 5 };
static X86CPU *cpu[NCPU];
static APICState *apic[NCPU];
static APICBus bus;

static const X86APICOps ops = {
    .msr_read = apic_msr_read,
    .msr_write = apic_msr_write,
    .get_cr8 = apic_get_cr8,
    .set_cr8 = apic_set_cr8,
    .init = apic_cpu_init,
    .sipi = apic_cpu_sipi,
};

static bool irr_has(APICState *s, unsigned v) { return s->irr[v >> 5] >> (v & 31) & 1; }

/* Which APICs hold vector v in IRR, as a bit mask by CPU */
static unsigned irr_mask(unsigned v)
{
    unsigned m = 0;

    for (unsigned i = 0; i < NCPU; i++) {
        m |= (unsigned)irr_has(apic[i], v) << i;
    }
    return m;
}

static unsigned req_mask(unsigned bit)
{
    unsigned m = 0;

    for (unsigned i = 0; i < NCPU; i++) {
        m |= (unsigned)!!(cpu[i]->parent.interrupt_request & bit) << i;
    }
    return m;
}

/* Send an IPI from CPU `from` (xAPIC: destination in ICR_HI 31:24) */
static void ipi(unsigned from, uint32_t dest, uint32_t lo)
{
    wr(apic[from], 0x310, dest << 24);
    wr(apic[from], 0x300, lo);
}

/* Fresh CPUs and APICs: every APIC software-enabled, every AP started
 * (not waiting for SIPI) unless `waiting`. */
static void setup(bool waiting)
{
    Error *err = NULL;

    memset(&bus, 0, sizeof(bus));
    for (unsigned i = 0; i < NCPU; i++) {
        if (apic[i]) {
            apic_destroy(apic[i]);
            x86_cpu_destroy(cpu[i]);
        }
        cpu[i] = x86_cpu_create((int)i, NULL, NULL, &err);
        apic[i] = apic_init(&cpu[i]->parent, ids[i], i == 0, true, true);
        apic_bus_attach(&bus, apic[i]);
        cpu[i]->env.apic_ops = &ops;
        cpu[i]->env.apic = apic[i];
        apic[i]->wait_for_sipi = waiting && i != 0;
        wr(apic[i], 0xf0, 0x1ff);
        cpu[i]->parent.interrupt_request = 0;
    }
    CHECK(err == NULL);
}

static void test_ipi_physical_and_broadcast(void)
{
    setup(false);
    ipi(0, 4, 0x40);                        /* fixed, physical ID 4: CPU 2 */
    CHECK_EQ(irr_mask(0x40), 1u << 2);
    ipi(3, 0, 0x41);                        /* to the BSP */
    CHECK_EQ(irr_mask(0x41), 1u << 0);
    ipi(0, 2, 0x42);                        /* no APIC has ID 2 */
    CHECK_EQ(irr_mask(0x42), 0);
    ipi(1, 0xff, 0x43);                     /* broadcast, sender included */
    CHECK_EQ(irr_mask(0x43), 0xf);
    CHECK(cpu[3]->parent.interrupt_request & CPU_INTERRUPT_HARD);
    CHECK(cpu[3]->parent.exit_request);
}

static void test_ipi_shorthands(void)
{
    setup(false);
    ipi(2, 0, 0x40050);                     /* self */
    CHECK_EQ(irr_mask(0x50), 1u << 2);
    ipi(2, 0, 0x80051);                     /* all including self */
    CHECK_EQ(irr_mask(0x51), 0xf);
    ipi(2, 0, 0xc0052);                     /* all excluding self */
    CHECK_EQ(irr_mask(0x52), 0xf & ~(1u << 2));
    ipi(1, 0, 0xc0400);                     /* NMI, all excluding self */
    CHECK_EQ(req_mask(CPU_INTERRUPT_NMI), 0xf & ~(1u << 1));
}

static void test_ipi_logical(void)
{
    setup(false);
    for (unsigned i = 0; i < NCPU; i++) {   /* flat: one bit each */
        wr(apic[i], 0xd0, 1u << (24 + i));
    }
    ipi(0, 0x0a, 0x860);                    /* logical 0b1010: CPUs 1 and 3 */
    CHECK_EQ(irr_mask(0x60), 0xa);
    static const uint8_t cluster_ldr[NCPU] = { 0x11, 0x12, 0x21, 0x22 };
    for (unsigned i = 0; i < NCPU; i++) {   /* cluster: 4-bit cluster, 4-bit mask */
        wr(apic[i], 0xe0, 0x0fffffff);
        wr(apic[i], 0xd0, (uint32_t)cluster_ldr[i] << 24);
    }
    ipi(0, 0x13, 0x861);                    /* cluster 1, both members */
    CHECK_EQ(irr_mask(0x61), 0x3);
    ipi(0, 0x22, 0x862);                    /* cluster 2, second member */
    CHECK_EQ(irr_mask(0x62), 1u << 3);
}

/* Lowest priority: the lowest arbitration priority wins, the first of equals */
static void test_lowest_priority(void)
{
    setup(false);
    for (unsigned i = 0; i < NCPU; i++) {
        wr(apic[i], 0xd0, 1u << (24 + i));
        wr(apic[i], 0x80, 0x30);            /* TPR */
    }
    wr(apic[2], 0x80, 0x20);
    ipi(0, 0x0f, 0x970);                    /* lowest priority, logical, all four */
    CHECK_EQ(irr_mask(0x70), 1u << 2);
    wr(apic[2], 0x80, 0x30);
    ipi(0, 0x0e, 0x971);                    /* equals: the first of CPUs 1-3 */
    CHECK_EQ(irr_mask(0x71), 1u << 1);
    /* the IOAPIC's messages take the same path */
    apic_bus_deliver(&bus, 5, false, APIC_DM_FIXED, 0x72, true);
    CHECK_EQ(irr_mask(0x72), 1u << 3);
    CHECK(apic[3]->tmr[0x72 >> 5] >> (0x72 & 31) & 1);     /* level: TMR set */
    apic_bus_deliver(&bus, 0xffffffffu, false, APIC_DM_FIXED, 0x73, false);
    CHECK_EQ(irr_mask(0x73), 0xf);
}

static void test_x2apic_icr(void)
{
    setup(false);
    for (unsigned i = 0; i < NCPU; i++) {
        CHECK(apic_msr_write(apic[i], 0x1b, 0xfee00000u | (1u << 11) | (1u << 10) |
                                           (i == 0 ? 1u << 8 : 0)));
    }
    CHECK(apic_msr_write(apic[0], 0x830, (5ull << 32) | 0x40));     /* physical 5 */
    CHECK_EQ(irr_mask(0x40), 1u << 3);
    /* logical: cluster 0 (IDs 0-15), bits for IDs 1 and 4 */
    CHECK(apic_msr_write(apic[0], 0x830, (0x12ull << 32) | 0x841));
    CHECK_EQ(irr_mask(0x41), (1u << 1) | (1u << 2));
    CHECK(apic_msr_write(apic[1], 0x830, (0xffffffffull << 32) | 0x42));    /* broadcast */
    CHECK_EQ(irr_mask(0x42), 0xf);
    CHECK(apic_msr_write(apic[1], 0x830, (0xffull << 32) | 0x43));  /* x2APIC: ID 255 */
    CHECK_EQ(irr_mask(0x43), 0);
}

/* The xAPIC page: every APIC's is at 0xFEE00000; an access from a vCPU
 * thread reaches that vCPU's APIC whichever page the flat view found. */
static void test_mmio_reaches_caller(void)
{
    setup(false);
    CHECK_EQ(rd(apic[0], 0x20), 0u);                    /* no vCPU: the page's own */
    cpus_set_current(&cpu[2]->parent);
    CHECK_EQ(rd(apic[0], 0x20), 4u << 24);              /* CPU 2's ID */
    wr(apic[0], 0x80, 0x50);                            /* CPU 2's TPR */
    CHECK_EQ(apic[2]->tpr, 0x50);
    CHECK_EQ(apic[0]->tpr, 0);
    CHECK(apic_msr_write(apic[2], 0x1b, 0xfef00000u | (1u << 11)));   /* moved away */
    CHECK_EQ(rd(apic[0], 0x20), 0u);                    /* dropped, not CPU 0's */
    wr(apic[0], 0x80, 0x60);
    CHECK_EQ(apic[0]->tpr, 0);
    CHECK_EQ(apic[2]->tpr, 0x50);
    cpus_set_current(NULL);
}

/* The CPU's thread takes what the APIC raised */
static void take(unsigned i)
{
    CPUState *cs = &cpu[i]->parent;

    cs->exit_request = 0;
    CHECK(x86_cpu_exec_interrupt(cs, cs->interrupt_request));
    CHECK(cs->exit_request);                /* the exec loop stops after INIT/SIPI */
}

static void test_wait_for_sipi(void)
{
    setup(true);
    CHECK(!apic[0]->wait_for_sipi);
    CHECK(apic[1]->wait_for_sipi);
    ipi(0, 1, 0x40);                        /* fixed: not recognised */
    ipi(0, 1, 0x400);                       /* NMI: not recognised */
    CHECK(!irr_has(apic[1], 0x40));
    CHECK_EQ(req_mask(~0u), 0);
    ipi(0, 1, 0x200);                       /* SMI: unimplemented, nothing raised */
    CHECK_EQ(req_mask(~0u), 0);
    ipi(0, 1, 0x699);                       /* SIPI 0x99 */
    CHECK_EQ(req_mask(CPU_INTERRUPT_SIPI), 1u << 1);
    cpu[1]->parent.halted = true;
    take(1);
    CHECK_EQ(req_mask(CPU_INTERRUPT_SIPI), 0);
    CHECK(!cpu[1]->parent.halted);
    CHECK_EQ(cpu[1]->env.segs[R_CS].selector, 0x9900);
    CHECK_EQ(cpu[1]->env.segs[R_CS].base, 0x99000);
    CHECK_EQ(cpu[1]->env.rip, 0);
    CHECK(!apic[1]->wait_for_sipi);
    /* a second SIPI finds it running: ignored */
    cpu[1]->env.rip = 0x55;
    ipi(0, 1, 0x6aa);
    take(1);
    CHECK_EQ(cpu[1]->env.rip, 0x55);
    CHECK_EQ(cpu[1]->env.segs[R_CS].selector, 0x9900);
    /* fixed interrupts reach it now */
    wr(apic[1], 0xf0, 0x1ff);
    ipi(0, 1, 0x41);
    CHECK(irr_has(apic[1], 0x41));
}

static void test_init_sipi_sequence(void)
{
    CPUX86State *env;

    setup(false);
    env = &cpu[2]->env;
    env->regs[R_EAX] = 0x1234;
    env->cr[0] = 0x80000011;
    env->xmm_regs[3].q[0] = 0xabcdef;
    env->fpuc = 0x027f;
    wr(apic[2], 0x80, 0x70);                /* TPR, reset by INIT */
    wr(apic[2], 0x20, 0x07000000);          /* xAPIC ID 7: INIT keeps it */
    ipi(0, 7, 0x40);
    CHECK(irr_has(apic[2], 0x40));
    /* INIT level de-assert (level trigger, assert clear): no message */
    ipi(0, 7, 0x8500);
    CHECK_EQ(req_mask(CPU_INTERRUPT_INIT), 0);
    /* INIT assert, then SIPI before the target's thread ran: both pending */
    ipi(0, 7, 0x4500);
    ipi(0, 7, 0x608);
    CHECK_EQ(req_mask(CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI), 1u << 2);
    CHECK_EQ(cpu[2]->parent.interrupt_request & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI),
             CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI);
    take(2);
    CHECK_EQ(req_mask(CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI), 0);
    CHECK(!cpu[2]->parent.halted);          /* INIT, then the SIPI started it */
    CHECK_EQ(env->segs[R_CS].selector, 0x0800);
    CHECK_EQ(env->segs[R_CS].base, 0x8000);
    CHECK_EQ(env->rip, 0);
    CHECK_EQ(env->regs[R_EAX], 0);          /* reset as at power-on */
    CHECK_EQ(env->cr[0], 0x60000010);
    CHECK_EQ(env->xmm_regs[3].q[0], 0xabcdef);      /* INIT keeps SSE and x87 */
    CHECK_EQ(env->fpuc, 0x027f);
    CHECK_EQ(rd(apic[2], 0x20), 0x07000000u);       /* ... and the APIC ID */
    CHECK_EQ(apic[2]->tpr, 0);
    CHECK(!irr_has(apic[2], 0x40));
    CHECK_EQ(rd(apic[2], 0xf0), 0xff);      /* software-disabled again */
    /* a SIPI to the running AP, then INIT, before its thread runs: the
     * older SIPI does not start it */
    ipi(0, 7, 0x609);
    ipi(0, 7, 0x4500);
    take(2);
    CHECK(cpu[2]->parent.halted);
    CHECK_EQ(env->rip, 0xfff0);
    ipi(0, 7, 0x608);
    take(2);
    CHECK(!cpu[2]->parent.halted);
    /* INIT alone: the AP waits, halted, for the next SIPI */
    ipi(0, 7, 0x4500);
    take(2);
    CHECK(cpu[2]->parent.halted);
    CHECK(apic[2]->wait_for_sipi);
    CHECK_EQ(env->rip, 0xfff0);
    /* INIT to the BSP: it runs from the reset vector, no SIPI needed */
    cpu[0]->env.rip = 0x1234;
    ipi(1, 0, 0x44500);                     /* INIT, self shorthand: the sender only */
    CHECK_EQ(req_mask(CPU_INTERRUPT_INIT), 1u << 1);
    cpu[1]->parent.interrupt_request = 0;
    ipi(1, 0, 0x4500);
    CHECK_EQ(req_mask(CPU_INTERRUPT_INIT), 1u << 0);
    take(0);
    CHECK(!cpu[0]->parent.halted);
    CHECK(!apic[0]->wait_for_sipi);
    CHECK_EQ(cpu[0]->env.rip, 0xfff0);
    CHECK_EQ(cpu[0]->env.segs[R_CS].base, 0xffff0000u);
    CHECK_EQ(rd(apic[0], 0x350), 0x700);    /* the BSP's LINT0: ExtINT again */
}

int main(void)
{
    RUN_TEST(test_ipi_physical_and_broadcast);
    RUN_TEST(test_ipi_shorthands);
    RUN_TEST(test_ipi_logical);
    RUN_TEST(test_lowest_priority);
    RUN_TEST(test_x2apic_icr);
    RUN_TEST(test_mmio_reaches_caller);
    RUN_TEST(test_wait_for_sipi);
    RUN_TEST(test_init_sipi_sequence);
    TEST_MAIN_END();
}
