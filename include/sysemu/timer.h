/*
 * timer.h: the machine's clocks and the device timers that run on them.
 *
 * Clocks, in nanoseconds:
 *   TIMER_CLOCK_VIRTUAL   guest time: it advances only while the VM runs
 *                         and stands still while it is stopped (-S, the
 *                         monitor's stop, a reset in progress).  Models of
 *                         hardware timers (PIT, RTC periodic interrupts,
 *                         local APIC, HPET, ACPI PM timer) and the TSC use it.
 *   TIMER_CLOCK_HOST      host calendar time (CLOCK_REALTIME, ns since the
 *                         epoch): where the RTC gets the date.
 *   TIMER_CLOCK_REALTIME  host monotonic time, always running: for things
 *                         outside the guest (the console, the monitor).
 *
 * A Timer is embedded in its device (timer_init) and armed with an absolute
 * expiry on its clock (timer_mod); when that time comes, the main loop calls
 * its callback with the machine lock held.  Devices arm and cancel timers
 * with the machine lock held (they always run under it); arming one that is
 * earlier than every other wakes the main loop, so a vCPU thread arming a
 * timer from a device access needs nothing more.  A callback may re-arm its
 * own timer (periodic devices do) or others.
 *
 * Time on the virtual clock is not tied to instructions: a guest that spins
 * reading the PIT sees time pass as on hardware.  Except with -icount
 * (timer_icount_enable, TCG only): then the virtual clock is the count of
 * instructions the vCPU ran << shift, plus the time it spent idle, and the
 * vCPU thread runs the virtual timers itself, stopping its translated code
 * at the instruction where the next one expires (docs/tcg-ir.md,
 * "Instruction counting").
 */
#ifndef SYSEMU_TIMER_H
#define SYSEMU_TIMER_H

#include "util/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

typedef enum TimerClock {
    TIMER_CLOCK_REALTIME,
    TIMER_CLOCK_VIRTUAL,
    TIMER_CLOCK_HOST,
    TIMER_CLOCK_MAX
} TimerClock;

typedef void (*TimerCallback)(void *opaque);

typedef struct Timer {
    TimerClock clock;
    TimerCallback cb;
    void *opaque;
    int64_t expire_ns;          /* valid while pending */
    bool pending;
    struct Timer *next;         /* the clock's active list, by expiry */
} Timer;

/* Now on clock. */
int64_t timer_clock_ns(TimerClock clock);
/* TIMER_CLOCK_REALTIME at the program's start: start-up measures (KVM's
 * time to the first KVM_RUN, TERN_KVM_STATS). */
int64_t timer_process_start_ns(void);

/* Set up t (not armed). */
void timer_init(Timer *t, TimerClock clock, TimerCallback cb, void *opaque);
/* Arm t to fire at expire_ns on its clock (re-arming moves it; a time in
 * the past fires at the next pass of the main loop). */
void timer_mod(Timer *t, int64_t expire_ns);
/* Disarm t (nothing if it is not armed). */
void timer_del(Timer *t);
bool timer_pending(const Timer *t);

/* The VM's run state, for the virtual clock (runstate.c and main.c). */
void timer_virtual_stop(void);
void timer_virtual_start(void);
bool timer_virtual_running(void);

/* For the main loop: nanoseconds until the next armed timer may expire
 * (0: one has; -1: none armed), and running the expired ones' callbacks
 * (with the machine lock held).  Returns how many ran.  Under -icount the
 * virtual clock is left out: its timers are the vCPU thread's. */
int64_t timers_deadline_ns(void);
unsigned timers_run_expired(void);
/* The same for one clock (the -icount vCPU thread: the virtual one);
 * -1 also while the clock is stopped. */
int64_t timers_clock_deadline_ns(TimerClock clock);
unsigned timers_clock_run_expired(TimerClock clock);

/*
 * -icount shift=N.  From now on TIMER_CLOCK_VIRTUAL is the instructions
 * the (single) vCPU ran << shift, plus the nanoseconds it idled
 * (timer_icount_warp).  *budget is the vCPU's count of the instructions it
 * may still run, which its translated code decrements; kick makes the vCPU
 * leave its code and look at the deadline again (a virtual timer was armed
 * earlier than the first one).  sleep: idle time follows the host clock;
 * else an idle vCPU jumps the clock to the next deadline.
 */
void timer_icount_enable(unsigned shift, bool sleep, int32_t *budget, void (*kick)(void));
bool timer_icount_enabled(void);
bool timer_icount_sleep(void);
/* The vCPU thread before it runs: account what it ran and set *budget to
 * the instructions until the next virtual timer expires (0: one has). */
void timer_icount_grant(void);
/* The vCPU idled ns nanoseconds: the virtual clock moves on by that much. */
void timer_icount_warp(int64_t ns);

/* Called by timer_mod when the earliest expiry moved earlier: the main
 * loop's wake-up (main-loop.c; a stub in unit tests). */
void timers_notify(void);

#endif
