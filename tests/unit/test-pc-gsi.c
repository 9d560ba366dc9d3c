/*
 * test-pc-gsi.c: shared GSIs on the pc board (hw/i386/pc.c,
 * pc_gsi_source_set): a GSI is the wired OR of the board's device on it
 * and the PCI INTx lines the PIIX3 routes there, seen alike by the IOAPIC
 * pin and the 8259 input.  The whole board is built (-bios with a blank
 * 64 KiB ROM, never run); a PCI function in slot 3 drives INTA# (PIRQC),
 * the ACPI SCI (GSI 9) is raised through PM1_EN and the power button.
 */
#include "util/osdep.h"
#include <unistd.h>
#include "hw/i386/pc.h"
#include "test.h"

TEST_GLOBALS;

#define TDEV_SLOT       3       /* INTA# -> PIRQC on the i440FX board */
#define TDEV_PIRQ       2
#define PM_BASE         0x600   /* the board's PM1a_EVT_BLK */
#define SCI_GSI         9

static MachineState ms;
static PCMachineState *pcms;
static PCIDevice tdev;

static void out(uint16_t port, unsigned size, uint64_t v)
{
    address_space_st(&ms.address_space_io, port, size, v);
}

static void pirq_route(unsigned pirq, uint8_t value)
{
    out(0xcf8, 4, 0x80000000u | PCI_DEVFN(1, 0) << 8 | PIIX3_PIRQRC);
    out(0xcfc + pirq, 1, value);
}

static void sci_set(bool level)
{
    if (level) {
        out(PM_BASE + 2, 2, ACPI_PM1_PWRBTN);       /* PM1_EN */
        acpi_pm_power_button(pcms->acpi_pm);
    } else {
        out(PM_BASE, 2, ACPI_PM1_PWRBTN);           /* PM1_STS: write 1 to clear */
    }
}

/* GSI n as both controllers see it: IOAPIC pin n and the 8259 input;
 * -1 if they disagree. */
static int gsi_level(unsigned n)
{
    int ioapic = (pcms->ioapic->input >> n) & 1;
    int pic = (pcms->pic[n >> 3]->input >> (n & 7)) & 1;

    return ioapic == pic ? ioapic : -1;
}

static bool setup(void)
{
    static char rom[] = "/tmp/tern-test-pc-gsi-XXXXXX";
    static uint8_t blank[64 * 1024];
    Error *err = NULL;
    int fd = mkstemp(rom);
    bool ok = fd >= 0 && write(fd, blank, sizeof(blank)) == (ssize_t)sizeof(blank);

    if (fd >= 0) {
        close(fd);
    }
    ms.ram_size = 16u << 20;
    ms.smp_cpus = 1;
    ms.serial = "none";
    ms.bios_filename = rom;
    ok = ok && pc_machine_init(&ms, &err) == 0;
    unlink(rom);
    if (!ok) {
        if (err) {
            error_report_err(err);
        }
        return false;
    }
    pcms = ms.board;
    pci_device_init(&tdev, "test", NULL);
    pci_config_set_ids(&tdev, 0x1234, 0x5678, 1, 0x0880, 0);
    tdev.config[PCI_INTERRUPT_PIN] = 1;
    pci_bus_plug(pcms->pci_bus, &tdev, PCI_DEVFN(TDEV_SLOT, 0));
    return true;
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

int main(void)
{
    if (!setup()) {
        printf("FAIL setup: the pc board did not build\n");
        return 1;
    }
    RUN_TEST(test_sci_shared_with_pirq);
    RUN_TEST(test_reroute_keeps_other_source);
    TEST_MAIN_END();
}
