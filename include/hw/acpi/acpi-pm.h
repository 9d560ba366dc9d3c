/*
 * acpi-pm.h: the ACPI fixed power-management hardware (ACPI 6.x, 4.8):
 * the PM1a event block (PM1_STS, PM1_EN), the PM1a control block
 * (PM1_CNT) and the 32-bit PM timer, at the I/O base the board gives
 * (the FADT's PM1a_EVT_BLK; PM1a_CNT_BLK at +4, PM_TMR_BLK at +8).
 *
 * - PM1_STS: TMR_STS, PWRBTN_STS, WAK_STS; writing 1 clears a bit.
 * - PM1_EN: TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN, RTC_EN read back as
 *   written (only the timer and the power button have sources).
 * - SCI = (PM1_STS & PM1_EN) != 0, a level on the sci line.
 * - PM1_CNT: SCI_EN reads 1 (the machine is always in ACPI mode: the FADT
 *   has no SMI_CMD), BM_RLD and SLP_TYP read back, SLP_EN and GBL_RLS
 *   read 0.  SLP_EN with SLP_TYP 0 (the DSDT's _S5) powers off
 *   (runstate_request_guest_shutdown); other sleep states are ignored
 *   (-d unimp).
 * - PM_TMR: 3.579545 MHz on TIMER_CLOCK_VIRTUAL, 32 bits (TMR_VAL_EXT);
 *   TMR_STS sets whenever bit 31 changes.  A Timer is armed for the next
 *   change only while TMR_EN is set; otherwise the status catches up
 *   when PM1_STS is read.
 *
 * acpi_pm_reset clears PM1_STS, PM1_EN and PM1_CNT; the timer keeps
 * counting.  Accesses come with the machine lock held.
 */
#ifndef HW_ACPI_ACPI_PM_H
#define HW_ACPI_ACPI_PM_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "sysemu/timer.h"

#define ACPI_PM_TIMER_HZ    3579545
#define ACPI_PM_IO_SIZE     12          /* PM1_EVT 0-3, PM1_CNT 4-5, PM_TMR 8-11 */

/* PM1_STS and PM1_EN */
#define ACPI_PM1_TMR        (1u << 0)
#define ACPI_PM1_GBL        (1u << 5)
#define ACPI_PM1_PWRBTN     (1u << 8)
#define ACPI_PM1_SLPBTN     (1u << 9)
#define ACPI_PM1_RTC        (1u << 10)
#define ACPI_PM1_WAK        (1u << 15)  /* status only */
/* PM1_CNT */
#define ACPI_PM1_CNT_SCI_EN     (1u << 0)
#define ACPI_PM1_CNT_BM_RLD     (1u << 1)
#define ACPI_PM1_CNT_GBL_RLS    (1u << 2)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP    (7u << ACPI_PM1_CNT_SLP_TYP_SHIFT)
#define ACPI_PM1_CNT_SLP_EN     (1u << 13)

typedef struct ACPIPMState {
    MemoryRegion io;             /* container, ACPI_PM_IO_SIZE ports */
    MemoryRegion evt, cnt, tmr;
    Timer overflow;              /* the next change of bit 31, while TMR_EN */
    IRQLine *sci;
    int sci_level;
    uint16_t sts, en, cnt_val;
    uint64_t next_toggle;        /* timer tick at which TMR_STS next sets */
} ACPIPMState;

ACPIPMState *acpi_pm_init(MemoryRegion *io, uint16_t base, IRQLine *sci);
void acpi_pm_reset(ACPIPMState *s);
/* For tests: unmap and free. */
void acpi_pm_destroy(ACPIPMState *s, MemoryRegion *io);

/* The power button was pressed (the monitor's system_powerdown): sets
 * PWRBTN_STS, which raises the SCI if PWRBTN_EN is set. */
void acpi_pm_power_button(ACPIPMState *s);

/* The PM timer's 32-bit value now. */
uint32_t acpi_pm_timer_value(ACPIPMState *s);

#endif
