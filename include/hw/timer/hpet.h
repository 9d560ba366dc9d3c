/*
 * hpet.h: the High Precision Event Timer (IA-PC HPET specification 1.0a).
 *
 * One timer block: a 64-bit main counter at HPET_FREQ_HZ and
 * HPET_NUM_TIMERS comparators, in a 1 KiB MMIO window the board maps.
 * The counter is computed from TIMER_CLOCK_VIRTUAL, never ticked: while
 * ENABLE_CNF is set it is count_base plus the ticks since enable_ns.
 * A comparator with Tn_INT_ENB_CNF set (and the counter enabled) has a
 * Timer armed for the virtual time at which the counter reaches it.
 *
 * Interrupts: timer n drives the board's line gsi[Tn_INT_ROUTE_CNF] (an
 * IOAPIC pin), or, with LEG_RT_CNF set, timer 0 ISA IRQ 0 (gsi[0]) and
 * timer 1 ISA IRQ 8 (gsi[8]).  The board must then disconnect the PIT and
 * the RTC from those lines: leg_rt follows LEG_RT_CNF, raised before the
 * HPET drives IRQ 0/8 and lowered after it has let go of them.  Level
 * triggered timers hold their line while their Tn_INT_STS bit is set; edge
 * triggered ones pulse it.  All entry points run under the machine lock.
 */
#ifndef HW_TIMER_HPET_H
#define HW_TIMER_HPET_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "sysemu/timer.h"

#define HPET_MMIO_SIZE     0x400
#define HPET_NUM_TIMERS    3
#define HPET_FREQ_HZ       10000000            /* QEMU's 10 MHz */
#define HPET_NUM_LINES     24                  /* gsi[] lines the routes may name */
#define HPET_LEGACY_IRQ0   0                   /* LEG_RT_CNF: timer 0 -> ISA IRQ 0 */
#define HPET_LEGACY_IRQ8   8                   /*             timer 1 -> ISA IRQ 8 */

typedef struct HPETState HPETState;

typedef struct HPETTimer {
    HPETState *hpet;
    unsigned n;
    uint64_t config;             /* Tn_CONF_CAP, writable bits only */
    uint64_t cmp;                /* Tn_COMPARATOR_VAL (accumulator in periodic mode) */
    uint64_t period;             /* periodic increment: last value written */
    Timer timer;
} HPETTimer;

struct HPETState {
    MemoryRegion mmio;
    IRQLine *gsi;                /* HPET_NUM_LINES lines */
    IRQLine *leg_rt;             /* follows LEG_RT_CNF (NULL: nobody listens) */
    uint64_t config;             /* GEN_CONF: ENABLE_CNF, LEG_RT_CNF */
    uint64_t isr;                /* GINTR_STA */
    uint32_t line_level;         /* gsi[] lines the HPET holds asserted */
    uint64_t count_base;         /* the counter at enable_ns, or while halted */
    int64_t enable_ns;
    HPETTimer timers[HPET_NUM_TIMERS];
};

/* Create the HPET (its mmio not mapped: the board maps it) and reset it. */
HPETState *hpet_init(IRQLine *gsi, IRQLine *leg_rt);
/* Power-on state: halted counter at 0, every comparator all ones and
 * disabled, legacy routing off, lines lowered. */
void hpet_reset(HPETState *s);
void hpet_destroy(HPETState *s);
/* LEG_RT_CNF: the HPET owns ISA IRQ 0 and 8. */
bool hpet_legacy_mode(const HPETState *s);

#endif
