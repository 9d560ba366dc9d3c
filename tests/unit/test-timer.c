/*
 * test-timer.c: the clocks and timer lists (softmmu/timer.c): expiry
 * order, re-arming and deleting, callbacks that re-arm, and a virtual
 * clock that stands still while the VM is stopped.
 */
#include "util/osdep.h"
#include "sysemu/timer.h"
#include "test.h"

#include <time.h>
#include <unistd.h>

TEST_GLOBALS;

static int fired[4];
static int order[8], norder;
static Timer *rearm_self;

static void on_fire(void *opaque)
{
    int id = (int)(intptr_t)opaque;

    fired[id]++;
    order[norder++ & 7] = id;
    if (rearm_self && id == 3) {
        timer_mod(rearm_self, timer_clock_ns(TIMER_CLOCK_VIRTUAL) + 1000000000);
    }
}

static void reset_counts(void)
{
    memset(fired, 0, sizeof(fired));
    norder = 0;
    rearm_self = NULL;
}

/* Two timers in the past fire once each, earliest first; one in the
 * future does not, and sets the deadline. */
static void test_order_and_deadline(void)
{
    Timer a, b, c;
    int64_t now = timer_clock_ns(TIMER_CLOCK_REALTIME);

    reset_counts();
    timer_init(&a, TIMER_CLOCK_REALTIME, on_fire, (void *)0);
    timer_init(&b, TIMER_CLOCK_REALTIME, on_fire, (void *)1);
    timer_init(&c, TIMER_CLOCK_REALTIME, on_fire, (void *)2);
    CHECK_EQ(timers_deadline_ns(), -1);
    timer_mod(&b, now - 10);
    timer_mod(&a, now - 20);
    timer_mod(&c, now + 60 * NANOSECONDS_PER_SECOND);
    CHECK_EQ(timers_deadline_ns(), 0);
    CHECK_EQ(timers_run_expired(), 2);
    CHECK_EQ(norder, 2);
    CHECK_EQ(order[0], 0);
    CHECK_EQ(order[1], 1);
    CHECK(!timer_pending(&a) && !timer_pending(&b) && timer_pending(&c));
    int64_t d = timers_deadline_ns();
    CHECK(d > 59 * NANOSECONDS_PER_SECOND && d <= 60 * NANOSECONDS_PER_SECOND);
    CHECK_EQ(timers_run_expired(), 0);
    timer_del(&c);
    CHECK(!timer_pending(&c));
    CHECK_EQ(timers_deadline_ns(), -1);
}

/* Re-arming moves a timer; deleting one that is not armed is harmless. */
static void test_mod_moves_del_idempotent(void)
{
    Timer a;
    int64_t now = timer_clock_ns(TIMER_CLOCK_REALTIME);

    reset_counts();
    timer_init(&a, TIMER_CLOCK_REALTIME, on_fire, (void *)0);
    timer_mod(&a, now + 60 * NANOSECONDS_PER_SECOND);
    timer_mod(&a, now - 1);
    CHECK_EQ(timers_run_expired(), 1);
    CHECK_EQ(fired[0], 1);
    timer_del(&a);
    timer_del(&a);
    CHECK_EQ(timers_deadline_ns(), -1);
}

/* A callback that re-arms its own timer in the future runs once per pass. */
static void test_callback_rearms(void)
{
    Timer t;

    reset_counts();
    timer_virtual_start();
    timer_init(&t, TIMER_CLOCK_VIRTUAL, on_fire, (void *)3);
    rearm_self = &t;
    timer_mod(&t, timer_clock_ns(TIMER_CLOCK_VIRTUAL) - 1);
    CHECK_EQ(timers_run_expired(), 1);
    CHECK(timer_pending(&t));
    CHECK_EQ(timers_run_expired(), 0);
    timer_del(&t);
}

/* The virtual clock stands still while stopped, resumes where it stopped,
 * and its timers do not expire (nor set a deadline) meanwhile. */
static void test_virtual_clock_stops(void)
{
    Timer t;

    reset_counts();
    timer_virtual_start();
    timer_init(&t, TIMER_CLOCK_VIRTUAL, on_fire, (void *)0);
    timer_virtual_stop();
    CHECK(!timer_virtual_running());
    int64_t v0 = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    timer_mod(&t, v0 + 1000);
    usleep(20000);
    CHECK_EQ(timer_clock_ns(TIMER_CLOCK_VIRTUAL), v0);
    CHECK_EQ(timers_deadline_ns(), -1);
    CHECK_EQ(timers_run_expired(), 0);
    timer_virtual_start();
    int64_t v1 = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    CHECK(v1 >= v0 && v1 - v0 < 10000000);        /* no 20 ms jump */
    usleep(1000);
    CHECK(timer_clock_ns(TIMER_CLOCK_VIRTUAL) > v1);
    CHECK_EQ(timers_run_expired(), 1);
    CHECK_EQ(fired[0], 1);
}

/* The host clock is calendar time. */
static void test_host_clock_is_calendar_time(void)
{
    int64_t host = timer_clock_ns(TIMER_CLOCK_HOST) / NANOSECONDS_PER_SECOND;
    int64_t t = (int64_t)time(NULL);

    CHECK(host >= t - 1 && host <= t + 1);
}

int main(void)
{
    RUN_TEST(test_order_and_deadline);
    RUN_TEST(test_mod_moves_del_idempotent);
    RUN_TEST(test_callback_rearms);
    RUN_TEST(test_virtual_clock_stops);
    RUN_TEST(test_host_clock_is_calendar_time);
    TEST_MAIN_END();
}
