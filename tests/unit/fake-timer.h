/*
 * fake-timer.h: a hand-driven replacement for softmmu/timer.c, for unit
 * tests of device models that need exact time.  Include it in exactly one
 * test file: its definitions satisfy the linker before libtern.a's timer.o
 * is searched, so the devices' timer calls land here.  The virtual clock
 * moves only by fake_clock_advance, which runs the timers that expire on
 * the way, each at its expiry time; the host clock is fake_host_ns.
 */
#ifndef TESTS_UNIT_FAKE_TIMER_H
#define TESTS_UNIT_FAKE_TIMER_H

#include "sysemu/timer.h"

static int64_t fake_vns = 1000 * NANOSECONDS_PER_SECOND;   /* a boot that is not at 0 */
static int64_t fake_host_ns;
static Timer *fake_timers;        /* armed, by expiry */

int64_t timer_clock_ns(TimerClock clock)
{
    return clock == TIMER_CLOCK_HOST ? fake_host_ns : fake_vns;
}

void timer_init(Timer *t, TimerClock clock, TimerCallback cb, void *opaque)
{
    *t = (Timer){ .clock = clock, .cb = cb, .opaque = opaque };
}

void timer_del(Timer *t)
{
    for (Timer **p = &fake_timers; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->pending = false;
    t->next = NULL;
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    Timer **p;

    timer_del(t);
    t->expire_ns = expire_ns;
    for (p = &fake_timers; *p && (*p)->expire_ns <= expire_ns; p = &(*p)->next) {
    }
    t->next = *p;
    *p = t;
    t->pending = true;
}

bool timer_pending(const Timer *t) { return t->pending; }
void timer_virtual_stop(void) {}
void timer_virtual_start(void) {}
bool timer_virtual_running(void) { return true; }

int64_t timers_deadline_ns(void)
{
    return fake_timers ? MAX(fake_timers->expire_ns - fake_vns, 0) : -1;
}

unsigned timers_run_expired(void)
{
    unsigned ran = 0;

    while (fake_timers && fake_timers->expire_ns <= fake_vns) {
        Timer *t = fake_timers;

        timer_del(t);
        t->cb(t->opaque);
        ran++;
    }
    return ran;
}

/* Move the virtual clock forward by ns, running each timer at its expiry
 * (at most max_runs of them, so a runaway device cannot hang the test).
 * Returns how many ran. */
static unsigned fake_clock_advance(int64_t ns, unsigned max_runs)
{
    int64_t end = fake_vns + ns;
    unsigned ran = 0;

    while (fake_timers && fake_timers->expire_ns <= end && ran < max_runs) {
        fake_vns = MAX(fake_vns, fake_timers->expire_ns);
        ran += timers_run_expired();
    }
    fake_vns = end;
    return ran;
}

/* Jump to the next armed timer and run it; false if none is armed. */
static bool fake_clock_run_next(void)
{
    if (!fake_timers) {
        return false;
    }
    fake_vns = MAX(fake_vns, fake_timers->expire_ns);
    timers_run_expired();
    return true;
}

#endif
