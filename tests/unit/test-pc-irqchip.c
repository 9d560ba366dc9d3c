/*
 * test-pc-irqchip.c: the pc board with the accelerator's interrupt
 * controllers (ms->irqchip, KVM's in-kernel irqchip): it builds no 8259,
 * IOAPIC, local APIC, PIT or port 0x61, hands each GSI's level (the OR of
 * its sources) to irqchip->set_gsi, tells it the HPET's LEG_RT_CNF, and
 * resets it with the machine.  A recording irqchip stands in for KVM's.
 */
#include "test-pc-board.h"
#include "target-x86/cpu.h"
#include "test.h"

TEST_GLOBALS;

#define HPET_BASE       0xfed00000u
#define HPET_GEN_CONF   0x10
#define HPET_LEG_RT     (1u << 1)

static struct {
    int level[PC_NUM_GSI];      /* the last level given per GSI */
    unsigned calls;             /* set_gsi calls */
    int pit_legacy;             /* the last set_pit_hpet_legacy, -1: none */
    unsigned resets;
} rec = { .pit_legacy = -1 };

static void rec_set_gsi(unsigned gsi, int level)
{
    if (gsi < PC_NUM_GSI) {
        rec.level[gsi] = level;
    }
    rec.calls++;
}

static void rec_set_pit_hpet_legacy(bool on)
{
    rec.pit_legacy = on;
}

static void rec_reset(void)
{
    rec.resets++;
}

static const AccelIrqchip rec_irqchip = {
    .set_gsi = rec_set_gsi,
    .set_pit_hpet_legacy = rec_set_pit_hpet_legacy,
    .reset = rec_reset,
};

/* The controllers and the PIT are the accelerator's; the rest is built. */
static void test_board_leaves_out_irqchip(void)
{
    CPUX86State *env = &container_of(ms.cpus[0], X86CPU, parent)->env;

    CHECK(pcms->pic[0] == NULL && pcms->pic[1] == NULL);
    CHECK(pcms->ioapic == NULL);
    CHECK(pcms->apic_bus.n == 0);
    CHECK(env->apic_ops == NULL && env->get_pic_interrupt == NULL);
    CHECK(pcms->pit == NULL && pcms->port61 == NULL);
    CHECK(pcms->hpet && pcms->rtc && pcms->acpi_pm && pcms->i8042);
}

/* The SCI, a level line: asserted, then deasserted, at the irqchip; a
 * PCI INTx sharing GSI 9 keeps it high until both let go. */
static void test_sci_level_reaches_irqchip(void)
{
    unsigned calls = rec.calls;

    sci_set(true);
    CHECK_EQ(rec.level[SCI_GSI], 1);
    CHECK(rec.calls > calls);
    sci_set(false);
    CHECK_EQ(rec.level[SCI_GSI], 0);

    pirq_route(TDEV_PIRQ, SCI_GSI);
    sci_set(true);
    pci_set_irq(&tdev, 1);
    sci_set(false);
    CHECK_EQ(rec.level[SCI_GSI], 1);            /* INTx still holds it */
    pci_set_irq(&tdev, 0);
    CHECK_EQ(rec.level[SCI_GSI], 0);
}

/* LEG_RT_CNF: the irqchip's PIT lets go of IRQ 0, then takes it back. */
static void test_hpet_legacy_reaches_pit(void)
{
    address_space_st(&ms.address_space_memory, HPET_BASE + HPET_GEN_CONF, 4, HPET_LEG_RT);
    CHECK_EQ(rec.pit_legacy, 1);
    address_space_st(&ms.address_space_memory, HPET_BASE + HPET_GEN_CONF, 4, 0);
    CHECK_EQ(rec.pit_legacy, 0);
}

/* A system reset resets the irqchip too (the board's APIC code is not
 * reached: there is none). */
static void test_reset_resets_irqchip(void)
{
    Error *err = NULL;
    unsigned resets = rec.resets;

    CHECK_EQ(pc_machine_reset(&ms, &err), 0);
    CHECK_EQ(rec.resets, resets + 1);
}

int main(void)
{
    if (!board_setup(&rec_irqchip)) {
        printf("FAIL setup: the pc board did not build\n");
        return 1;
    }
    RUN_TEST(test_board_leaves_out_irqchip);
    RUN_TEST(test_sci_level_reaches_irqchip);
    RUN_TEST(test_hpet_legacy_reaches_pit);
    RUN_TEST(test_reset_resets_irqchip);
    TEST_MAIN_END();
}
