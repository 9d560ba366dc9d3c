/*
 * i8254.h: the 8254 programmable interval timer (Intel 82C54).
 *
 * Three 16-bit down counters at base+0..2 and the control word register at
 * base+3 (0x40-0x43 on the PC), clocked at PIT_FREQ_HZ.  Counter values are
 * computed from the clock, never by ticking: each counter remembers the
 * tick at which its counting element (CE) was loaded and with what, and a
 * read works out where it is now.  The clock is TIMER_CLOCK_VIRTUAL unless
 * a test puts its own in now_ns.
 *
 * Counter 0's OUT drives irq0 (GSI 0 on the PC): a Timer is armed for its
 * next OUT transition and the line follows OUT.  Counter 1 (DRAM refresh)
 * and counter 2 (speaker; its gate and OUT are port 0x61's) are not wired
 * to a line; their OUT is read with pit_get_out.  Gates 0 and 1 are high;
 * gate 2 is set with pit_set_gate.  All entry points run under the machine
 * lock.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "sysemu/timer.h"

#define PIT_FREQ_HZ   1193182
#define PIT_NUM_CHANNELS 3

typedef struct PITChannel {
    /* programming (control word and count register) */
    uint8_t mode;                /* M2..M0 as written (6 and 7 are modes 2 and 3) */
    bool bcd;
    uint8_t rw;                  /* RW1 RW0: 1 LSB, 2 MSB, 3 LSB then MSB */
    uint32_t cr;                 /* count register: 1..65536 (10000 BCD) */
    bool cr_valid;               /* a whole count was written since the control word */
    bool write_msb_next;         /* LSB-then-MSB: the LSB is in cr_lsb */
    uint8_t cr_lsb;
    bool read_msb_next;          /* LSB-then-MSB: the next read is the MSB */
    bool null_count;             /* CR written, not yet loaded into the CE */

    /* counting: the CE and OUT as a function of the tick */
    bool gate;
    bool loaded;                 /* the CE has a count since the control word */
    bool counting;               /* the CE counts (loaded, triggered, gate allows) */
    bool tc_pending;             /* modes 0/1/4/5: terminal count still ahead */
    uint64_t base_tick;          /* tick at which the CE held base_ce (or began a period) */
    uint32_t base_ce;            /* modes 0/1/4/5: CE at base_tick, 1..65536 */
    uint32_t period;             /* modes 2/3: the count being run */
    uint32_t pending_cr;         /* modes 2/3: a count to take at pending_tick (0: none) */
    uint64_t pending_tick;       /* the end of the period (half-period in mode 3) */
    uint64_t pending_base;       /* base_tick from then on */
    uint32_t idle_ce;            /* CE while not counting */
    bool idle_out;               /* OUT while not counting */

    /* latches */
    bool count_latched, status_latched;
    uint16_t latched_count;
    bool latched_msb_next;
    uint8_t latched_status;
} PITChannel;

typedef struct PITState {
    MemoryRegion io;
    PITChannel ch[PIT_NUM_CHANNELS];
    IRQLine *irq0;               /* counter 0's OUT; NULL: not connected */
    int irq0_level;
    Timer timer;                 /* counter 0's next OUT transition */
    bool timer_armed;
    uint64_t timer_tick;         /* the tick it is armed for */
    int64_t (*now_ns)(void);     /* the clock (tests may replace it) */
} PITState;

/* Create a PIT at base in io (4 ports), counter 0's OUT on irq0, and reset
 * it. */
PITState *pit_init(MemoryRegion *io, uint64_t base, IRQLine *irq0);
/* Power-on state: no counter programmed, every OUT low, gate 2 low. */
void pit_reset(PITState *s);
/* Unmap, disarm and free. */
void pit_destroy(PITState *s, MemoryRegion *io);

/* Gate input of counter n (only counter 2's is not tied high on the PC). */
void pit_set_gate(PITState *s, int n, bool level);
/* OUT of counter n now. */
bool pit_get_out(PITState *s, int n);
/* The PIT clock's tick count at the time now_ns says. */
uint64_t pit_now_tick(PITState *s);

/* The timer's callback, exposed so that a test with its own clock can fire
 * it when that clock reaches s->timer.expire_ns. */
void pit_timer_cb(void *opaque);

#endif
