/*
 * mc146818rtc.h: the Motorola MC146818A real-time clock and its CMOS RAM.
 *
 * The board gives the RTC its I/O container, base port (the PC's 0x70:
 * index at base, data at base + 1) and interrupt line.  The guest's date
 * starts at the host's current time and advances with the virtual clock,
 * so it stands still while the VM is stopped.  Bytes 0x0e-0x7f are plain
 * CMOS RAM that the board fills as a BIOS would (rtc_cmos_set; the PC's
 * layout is hw/i386/pc_cmos.c).  All entry points run with the machine
 * lock held.
 */
#ifndef HW_RTC_MC146818RTC_H
#define HW_RTC_MC146818RTC_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "sysemu/timer.h"

#define RTC_CMOS_SIZE     128
#define RTC_ISA_BASE      0x70
#define RTC_REG_CENTURY   0x32   /* as QEMU and SeaBIOS (the FADT's CENTURY) */

typedef struct RTCState {
    MemoryRegion io;
    IRQLine *irq;                /* NULL: not connected */
    Timer timer;                 /* next enabled interrupt; idle otherwise */

    uint8_t cmos[RTC_CMOS_SIZE]; /* time registers hold the time only while frozen */
    uint8_t index;               /* port 0x70 bits 6-0 */
    bool nmi_disabled;           /* port 0x70 bit 7 */
    int irq_level;

    /* Guest calendar time in ns since 1970 = virtual ns + offset_ns.  The
     * divider chain's phase is its fraction of a second. */
    int64_t offset_ns;
    int64_t era_years;           /* added to the year (rtc_set_time_from_regs) */
    int64_t flags_vns;           /* register C's flags are up to date to here */
} RTCState;

/* Create the RTC at base in io (2 ports), interrupting through irq, with
 * the date set from the host clock, and reset it. */
/* shift_ns: the RTC's time minus the host's at power-on (-rtc base=). */
RTCState *rtc_init(MemoryRegion *io, uint64_t base, IRQLine *irq, int64_t shift_ns);
/* The RESET pin: clears PIE, AIE, UIE, SQWE and register C, lowers the
 * IRQ; the time and the CMOS RAM stay. */
void rtc_reset(RTCState *s);
/* Unmap and free. */
void rtc_destroy(RTCState *s, MemoryRegion *io);

/* CMOS RAM at addr (0x0e-0x7f; the clock's registers are not RAM), for the
 * board's BIOS-like setup. */
void rtc_cmos_set(RTCState *s, unsigned addr, uint8_t val);
/* The NMI mask from port 0x70 bit 7 (for the board's NMI source). */
bool rtc_nmi_disabled(const RTCState *s);

#endif
