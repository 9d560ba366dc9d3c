/*
 * test-pc-gsi.c: shared GSIs on the pc board (hw/i386/pc.c,
 * pc_gsi_source_set): a GSI is the wired OR of the board's device on it
 * and the PCI INTx lines the PIIX3 routes there, seen alike by the IOAPIC
 * pin and the 8259 input.  The whole board is built (-bios with a blank
 * 64 KiB ROM, never run); a PCI function in slot 3 drives INTA# (PIRQC),
 * the ACPI SCI (GSI 9) is raised through PM1_EN and the power button.
 * pc-testdev's IRQ ports are a third source, on any of the 24 GSIs.
 */
#include "test-pc-board.h"
#include "test.h"

TEST_GLOBALS;

/* GSI n as both controllers see it: IOAPIC pin n and the 8259 input;
 * -1 if they disagree. */
static int gsi_level(unsigned n)
{
    int ioapic = (pcms->ioapic->input >> n) & 1;
    int pic = (pcms->pic[n >> 3]->input >> (n & 7)) & 1;

    return ioapic == pic ? ioapic : -1;
}

/* PCI INTx routed onto the SCI's GSI 9: each source's level survives the
 * other's changes (last-writer-wins drops the SCI when INTx falls). */
static void test_sci_shared_with_pirq(void)
{
    pirq_route(TDEV_PIRQ, SCI_GSI);
    CHECK_EQ(gsi_level(SCI_GSI), 0);
    sci_set(true);
    CHECK_EQ(gsi_level(SCI_GSI), 1);
    pci_set_irq(&tdev, 1);
    CHECK_EQ(gsi_level(SCI_GSI), 1);
    pci_set_irq(&tdev, 0);
    CHECK_EQ(gsi_level(SCI_GSI), 1);            /* the SCI still holds it */
    pci_set_irq(&tdev, 1);
    sci_set(false);
    CHECK_EQ(gsi_level(SCI_GSI), 1);            /* INTx still holds it */
    pci_set_irq(&tdev, 0);
    CHECK_EQ(gsi_level(SCI_GSI), 0);
}

/* Re-routing an asserted PIRQ away from the SCI's GSI leaves the SCI's
 * level there, and moves INTx's level to the new IRQ. */
static void test_reroute_keeps_other_source(void)
{
    pirq_route(TDEV_PIRQ, SCI_GSI);
    sci_set(true);
    pci_set_irq(&tdev, 1);
    pirq_route(TDEV_PIRQ, 11);
    CHECK_EQ(gsi_level(SCI_GSI), 1);
    CHECK_EQ(gsi_level(11), 1);
    sci_set(false);
    CHECK_EQ(gsi_level(SCI_GSI), 0);
    pirq_route(TDEV_PIRQ, SCI_GSI);             /* back onto 9: INTx alone */
    CHECK_EQ(gsi_level(SCI_GSI), 1);
    CHECK_EQ(gsi_level(11), 0);
    pirq_route(TDEV_PIRQ, PIIX3_PIRQRC_DISABLE);
    CHECK_EQ(gsi_level(SCI_GSI), 0);
    pci_set_irq(&tdev, 0);
}

/* pc-testdev's port 0x2000 + n drives GSI n as a source of its own: it
 * shares the SCI's GSI 9 without overriding it, and reaches the IOAPIC
 * alone on GSI 16-23; a system reset's device reset lowers it. */
static void test_pc_testdev_source(void)
{
    out(0x2000 + SCI_GSI, 1, 1);
    CHECK_EQ(gsi_level(SCI_GSI), 1);
    sci_set(true);
    out(0x2000 + SCI_GSI, 1, 0);
    CHECK_EQ(gsi_level(SCI_GSI), 1);            /* the SCI still holds it */
    sci_set(false);
    CHECK_EQ(gsi_level(SCI_GSI), 0);
    out(0x2000 + 20, 1, 1);
    CHECK_EQ((pcms->ioapic->input >> 20) & 1, 1);
    out(0x2000 + 5, 1, 1);
    CHECK_EQ(gsi_level(5), 1);
    pc_testdev_reset(pcms->pc_testdev);
    CHECK_EQ((pcms->ioapic->input >> 20) & 1, 0);
    CHECK_EQ(gsi_level(5), 0);
}

int main(void)
{
    ms.pc_testdev = true;
    if (!board_setup(NULL)) {
        printf("FAIL setup: the pc board did not build\n");
        return 1;
    }
    RUN_TEST(test_sci_shared_with_pirq);
    RUN_TEST(test_reroute_keeps_other_source);
    RUN_TEST(test_pc_testdev_source);
    TEST_MAIN_END();
}
