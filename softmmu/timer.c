/*
 * timer.c: the clocks and the active timer lists (sysemu/timer.h).
 *
 * Each clock keeps its armed timers in a list sorted by expiry, so the
 * main loop's deadline is the heads' minimum and running the expired ones
 * pops from the heads.  The lists have their own small lock: timers are
 * armed by devices under the machine lock from any thread, while the main
 * loop computes its deadline without the machine lock.  Callbacks run
 * without the list lock (they re-arm timers).
 *
 * The virtual clock is the host's monotonic clock minus the time the VM
 * spent stopped: vclock_offset moves forward on each start by the length of
 * the stop, so guest time neither jumps nor runs while paused.
 *
 * Under -icount it is the vCPU's instruction count << shift plus the idle
 * time (icount below): executed = done + grant - *budget, where grant is
 * what the last timer_icount_grant handed out and *budget what the vCPU's
 * translated code has left of it.  A grant ends at the next virtual
 * deadline, so the vCPU stops at the instruction where a timer expires;
 * its thread then runs the virtual timers (the main loop leaves them).
 */
#include "util/osdep.h"
#include "sysemu/timer.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;
static Timer *active[TIMER_CLOCK_MAX];

/* The virtual clock: while running, monotonic - vclock_offset; while
 * stopped, vclock_frozen.  Guarded by timers_lock. */
static bool vclock_running;
static bool vclock_started;       /* vclock_offset set on the first start */
static int64_t vclock_offset, vclock_frozen;

static int64_t host_clock_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

/* TIMER_CLOCK_REALTIME when the program started, before main (the
 * dynamic loader's work is not in it). */
static int64_t process_start_ns;

__attribute__((constructor)) static void timer_note_process_start(void)
{
    process_start_ns = host_clock_ns(CLOCK_MONOTONIC);
}

int64_t timer_process_start_ns(void)
{
    return process_start_ns;
}

/* -icount: guarded by timers_lock, except *budget, which only the vCPU
 * thread writes (its translated code, at block entries). */
static struct {
    bool on, sleep;
    unsigned shift;
    int32_t *budget;
    int64_t done, grant;         /* instructions: accounted, last granted */
    int64_t bias_ns;             /* idle time added */
    void (*kick)(void);
} icount;

static int64_t icount_ns_locked(void)
{
    int64_t left = __atomic_load_n(icount.budget, __ATOMIC_RELAXED);

    return ((icount.done + icount.grant - left) << icount.shift) + icount.bias_ns;
}

static int64_t vclock_ns_locked(void)
{
    if (icount.on) {
        return icount_ns_locked();
    }
    return vclock_running ? host_clock_ns(CLOCK_MONOTONIC) - vclock_offset : vclock_frozen;
}

int64_t timer_clock_ns(TimerClock clock)
{
    int64_t ns;

    switch (clock) {
    case TIMER_CLOCK_VIRTUAL:
        pthread_mutex_lock(&timers_lock);
        ns = vclock_ns_locked();
        pthread_mutex_unlock(&timers_lock);
        return ns;
    case TIMER_CLOCK_HOST:
        return host_clock_ns(CLOCK_REALTIME);
    default:
        return host_clock_ns(CLOCK_MONOTONIC);
    }
}

void timer_virtual_start(void)
{
    pthread_mutex_lock(&timers_lock);
    if (!vclock_running) {
        /* guest time starts at 0 and resumes where it stopped */
        vclock_offset = host_clock_ns(CLOCK_MONOTONIC) - (vclock_started ? vclock_frozen : 0);
        vclock_started = true;
        vclock_running = true;
    }
    pthread_mutex_unlock(&timers_lock);
    timers_notify();            /* virtual deadlines count again */
}

void timer_virtual_stop(void)
{
    pthread_mutex_lock(&timers_lock);
    if (vclock_running) {
        vclock_frozen = vclock_ns_locked();
        vclock_running = false;
    }
    pthread_mutex_unlock(&timers_lock);
}

bool timer_virtual_running(void)
{
    return __atomic_load_n(&vclock_running, __ATOMIC_RELAXED);
}

void timer_init(Timer *t, TimerClock clock, TimerCallback cb, void *opaque)
{
    assert(clock < TIMER_CLOCK_MAX);
    *t = (Timer){ .clock = clock, .cb = cb, .opaque = opaque };
}

static void timer_unlink_locked(Timer *t)
{
    for (Timer **p = &active[t->clock]; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    Timer **p;
    bool first;

    pthread_mutex_lock(&timers_lock);
    if (t->pending) {
        timer_unlink_locked(t);
    }
    t->expire_ns = expire_ns;
    for (p = &active[t->clock]; *p && (*p)->expire_ns <= expire_ns; p = &(*p)->next) {
        /* find the place: after timers due at the same time (FIFO) */
    }
    t->next = *p;
    *p = t;
    t->pending = true;
    first = active[t->clock] == t;
    pthread_mutex_unlock(&timers_lock);
    if (first && icount.on && t->clock == TIMER_CLOCK_VIRTUAL) {
        icount.kick();              /* the vCPU's grant may end too late */
    } else if (first) {
        timers_notify();
    }
}

void timer_del(Timer *t)
{
    pthread_mutex_lock(&timers_lock);
    if (t->pending) {
        timer_unlink_locked(t);
    }
    pthread_mutex_unlock(&timers_lock);
}

bool timer_pending(const Timer *t)
{
    return __atomic_load_n(&t->pending, __ATOMIC_RELAXED);
}

/* Now on clock, or INT64_MIN when its timers cannot expire (the virtual
 * clock while stopped).  timers_lock held. */
static int64_t clock_now_locked(TimerClock clock)
{
    if (clock == TIMER_CLOCK_VIRTUAL) {
        return vclock_running ? vclock_ns_locked() : INT64_MIN;
    }
    return host_clock_ns(clock == TIMER_CLOCK_HOST ? CLOCK_REALTIME : CLOCK_MONOTONIC);
}

/* ns until clock's first timer expires, -1 if none or stopped.  Locked. */
static int64_t clock_deadline_locked(TimerClock clock)
{
    int64_t now = active[clock] ? clock_now_locked(clock) : INT64_MIN;

    return now == INT64_MIN ? -1 : MAX(active[clock]->expire_ns - now, 0);
}

int64_t timers_clock_deadline_ns(TimerClock clock)
{
    int64_t d;

    pthread_mutex_lock(&timers_lock);
    d = clock_deadline_locked(clock);
    pthread_mutex_unlock(&timers_lock);
    return d;
}

int64_t timers_deadline_ns(void)
{
    int64_t best = -1;

    pthread_mutex_lock(&timers_lock);
    for (int c = 0; c < TIMER_CLOCK_MAX; c++) {
        int64_t d = icount.on && c == TIMER_CLOCK_VIRTUAL ? -1 : clock_deadline_locked(c);

        if (d >= 0) {
            best = best < 0 ? d : MIN(best, d);
        }
    }
    pthread_mutex_unlock(&timers_lock);
    return best;
}

unsigned timers_clock_run_expired(TimerClock c)
{
    unsigned ran = 0;

    /* Only timers due at the start of the pass: a callback re-arming
     * itself in the past cannot keep this loop busy. */
    pthread_mutex_lock(&timers_lock);
    int64_t now = clock_now_locked(c);
    pthread_mutex_unlock(&timers_lock);
    if (now == INT64_MIN) {
        return 0;
    }
    for (;;) {
        pthread_mutex_lock(&timers_lock);
        Timer *t = active[c];
        if (!t || t->expire_ns > now) {
            pthread_mutex_unlock(&timers_lock);
            break;
        }
        timer_unlink_locked(t);
        pthread_mutex_unlock(&timers_lock);
        t->cb(t->opaque);
        ran++;
    }
    return ran;
}

unsigned timers_run_expired(void)
{
    unsigned ran = 0;

    for (int c = 0; c < TIMER_CLOCK_MAX; c++) {
        if (!(icount.on && c == TIMER_CLOCK_VIRTUAL)) {
            ran += timers_clock_run_expired(c);
        }
    }
    return ran;
}

/* ---- -icount ---------------------------------------------------------------- */

/* A grant's most: the clock's readers from other threads see it move
 * in steps no larger, and the shift cannot overflow. */
#define ICOUNT_GRANT_MAX ((int64_t)INT32_MAX)

void timer_icount_enable(unsigned shift, bool sleep, int32_t *budget, void (*kick)(void))
{
    pthread_mutex_lock(&timers_lock);
    assert(!icount.on && shift <= 10);
    /* the clock goes on from where it stands (0 before the first start) */
    icount.bias_ns = vclock_ns_locked();
    icount.shift = shift;
    icount.sleep = sleep;
    icount.budget = budget;
    *budget = 0;
    icount.done = icount.grant = 0;
    icount.kick = kick;
    icount.on = true;
    pthread_mutex_unlock(&timers_lock);
}

bool timer_icount_enabled(void)
{
    return icount.on;
}

bool timer_icount_sleep(void)
{
    return icount.sleep;
}

void timer_icount_grant(void)
{
    int64_t d, n = ICOUNT_GRANT_MAX;

    pthread_mutex_lock(&timers_lock);
    icount.done += icount.grant - *icount.budget;
    icount.grant = 0;
    *icount.budget = 0;
    d = clock_deadline_locked(TIMER_CLOCK_VIRTUAL);
    if (d >= 0) {
        /* the first instruction count whose time is >= the expiry */
        n = MIN(n, (d + (1ll << icount.shift) - 1) >> icount.shift);
    }
    icount.grant = n;
    *icount.budget = (int32_t)n;
    pthread_mutex_unlock(&timers_lock);
}

void timer_icount_warp(int64_t ns)
{
    pthread_mutex_lock(&timers_lock);
    icount.bias_ns += MAX(ns, 0);
    pthread_mutex_unlock(&timers_lock);
}
