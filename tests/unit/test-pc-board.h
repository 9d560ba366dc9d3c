/*
 * test-pc-board.h: the whole pc board for the GSI tests (test-pc-gsi.c,
 * test-pc-irqchip.c), one per test program: -bios with a blank 64 KiB ROM
 * (never run), a PCI function in slot TDEV_SLOT driving INTA# (PIRQC),
 * and the port accesses that route a PIRQ and raise the ACPI SCI (GSI 9)
 * through PM1_EN and the power button.
 */
#ifndef TEST_PC_BOARD_H
#define TEST_PC_BOARD_H

#include "util/osdep.h"
#include <unistd.h>
#include "hw/i386/pc.h"

#define TDEV_SLOT       3       /* INTA# -> PIRQC on the i440FX board */
#define TDEV_PIRQ       2
#define PM_BASE         0x600   /* the board's PM1a_EVT_BLK */
#define SCI_GSI         9

static MachineState ms;
static PCMachineState *pcms;
static PCIDevice tdev;

static inline void out(uint16_t port, unsigned size, uint64_t v)
{
    address_space_st(&ms.address_space_io, port, size, v);
}

static inline void pirq_route(unsigned pirq, uint8_t value)
{
    out(0xcf8, 4, 0x80000000u | PCI_DEVFN(1, 0) << 8 | PIIX3_PIRQRC);
    out(0xcfc + pirq, 1, value);
}

static inline void sci_set(bool level)
{
    if (level) {
        out(PM_BASE + 2, 2, ACPI_PM1_PWRBTN);       /* PM1_EN */
        acpi_pm_power_button(pcms->acpi_pm);
    } else {
        out(PM_BASE, 2, ACPI_PM1_PWRBTN);           /* PM1_STS: write 1 to clear */
    }
}

/* Build the board with irqchip as ms.irqchip (NULL: tern's own
 * controllers) and plug the test function; false (said) on failure. */
static bool board_setup(const AccelIrqchip *irqchip)
{
    static char rom[] = "/tmp/tern-test-pc-board-XXXXXX";
    static uint8_t blank[64 * 1024];
    Error *err = NULL;
    int fd = mkstemp(rom);
    bool ok = fd >= 0 && write(fd, blank, sizeof(blank)) == (ssize_t)sizeof(blank);

    if (fd >= 0) {
        close(fd);
    }
    ms.ram_size = 16u << 20;
    ms.smp = (CpuTopology){ .cpus = 1, .sockets = 1, .cores = 1, .threads = 1, .max_cpus = 1 };
    ms.serial = "none";
    ms.bios_filename = rom;
    ms.irqchip = irqchip;
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

#endif
