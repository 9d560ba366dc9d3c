/*
 * test-runstate.c: the machine lock, the vCPU registry, reset and
 * shutdown requests (softmmu/runstate.c).
 *
 * The run state is process-wide and a shutdown cannot be undone, so the
 * shutdown tests run last and in order.
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

TEST_GLOBALS;

static void *other_thread_bql_locked(void *arg)
{
    *(bool *)arg = bql_locked();
    return NULL;
}

static void test_bql_locked_only_on_holder(void)
{
    bool other = true;
    pthread_t t;

    CHECK(!bql_locked());
    bql_lock();
    CHECK(bql_locked());
    pthread_create(&t, NULL, other_thread_bql_locked, &other);
    pthread_join(t, NULL);
    bql_unlock();
    CHECK(!other);
    CHECK(!bql_locked());
}

static CPUState cpu0, cpu1;
static unsigned kicks;

static void count_kick(CPUState *cpu)
{
    __atomic_add_fetch(&kicks, 1, __ATOMIC_RELAXED);
}

static void test_cpus_register(void)
{
    cpus_register(&cpu0);
    cpus_register(&cpu1);
    cpus_set_kick(count_kick);
    CHECK_EQ(cpus_count(), 2);
    CHECK(cpus_get(0) == &cpu0);
    CHECK(cpus_get(1) == &cpu1);
    CHECK(cpus_get(2) == NULL);
}

/* A vCPU thread requests a reset (as a triple fault does); the main
 * thread wakes, finds the vCPUs paused, and resumes them. */
static void *vcpu_request_reset(void *arg)
{
    usleep(20000);
    runstate_request_reset();
    return NULL;
}

static void test_reset_pauses_and_resumes(void)
{
    pthread_t t;
    int status = -1;

    kicks = 0;
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    pthread_create(&t, NULL, vcpu_request_reset, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_RESET);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);  /* consumed */
    CHECK(cpu0.stop && cpu1.stop);
    CHECK_EQ(kicks, 2);
    cpu0.stopped = cpu1.stopped = true;     /* what the accelerator does */
    cpus_wait_stopped();
    cpus_resume_all();
    CHECK(!cpu0.stop && !cpu1.stop && !cpu0.stopped && !cpu1.stopped);
    CHECK_EQ(kicks, 4);
    CHECK(!runstate_shutdown_requested());
}

/* vm_stop/vm_start (the monitor's stop and cont) pause and resume the
 * vCPUs and guest time and tell the listeners once per change; a vCPU's
 * vm_stop_request completes in the main loop; a reset keeps the VM
 * stopped; a look at the vCPUs (vm_inspect_*) pauses them silently.  The
 * vCPU threads are not started here, so nothing waits for them. */
static RunstateListenerEvent heard[16];
static unsigned nb_heard;

static void record_event(RunstateListenerEvent ev, void *opaque)
{
    CHECK(opaque == &nb_heard);
    CHECK(bql_locked());
    if (nb_heard < ARRAY_SIZE(heard)) {
        heard[nb_heard++] = ev;
    }
}

static void test_vm_stop_start_and_listeners(void)
{
    int status = -1;

    runstate_add_listener(record_event, &nb_heard);
    timer_virtual_start();
    CHECK(vm_running());
    CHECK(!strcmp(runstate_name(), "running"));

    vm_stop();
    CHECK(!vm_running() && cpu0.stop && cpu1.stop);
    CHECK(!timer_virtual_running());
    CHECK(!strcmp(runstate_name(), "paused"));
    vm_stop();                              /* already stopped: no event */
    CHECK_EQ(nb_heard, 1);
    CHECK_EQ(heard[0], RUNSTATE_LISTENER_STOP);

    vm_start();
    CHECK(vm_running() && !cpu0.stop && !cpu1.stop && timer_virtual_running());
    CHECK_EQ(nb_heard, 2);
    CHECK_EQ(heard[1], RUNSTATE_LISTENER_RESUME);

    vm_stop_request();                      /* a vCPU thread's (gdb) */
    CHECK(cpu0.stop && vm_running());
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    CHECK(!vm_running());
    CHECK_EQ(nb_heard, 3);
    CHECK_EQ(heard[2], RUNSTATE_LISTENER_STOP);

    runstate_request_reset();               /* stopped: stays stopped */
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_RESET);
    CHECK(!vm_running());
    CHECK_EQ(nb_heard, 4);
    CHECK_EQ(heard[3], RUNSTATE_LISTENER_RESET);

    vm_start();
    CHECK(vm_running() && !cpu0.stop);
    CHECK(vm_inspect_begin() && cpu0.stop);
    vm_inspect_end(true);
    CHECK(!cpu0.stop && vm_running());
    CHECK_EQ(nb_heard, 5);                  /* RESUME; no event for a look */
    CHECK_EQ(heard[4], RUNSTATE_LISTENER_RESUME);
    nb_heard = 0;
}

/* -no-reboot -no-shutdown: a reset request (a triple fault) stops the
 * vCPUs and guest time, and nothing asks the main loop to exit. */
static void test_guest_shutdown_stops_under_no_shutdown(void)
{
    int status = -1;

    runstate_set_no_reboot(true);
    runstate_set_no_shutdown(true);
    timer_virtual_start();
    cpus_resume_all();
    runstate_request_reset();
    CHECK(cpu0.stop && cpu1.stop);
    CHECK(!timer_virtual_running());
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    CHECK(!runstate_shutdown_requested());
    runstate_set_no_reboot(false);
    runstate_set_no_shutdown(false);
    cpu0.stopped = cpu1.stopped = true;
    cpus_resume_all();
}

/* A vCPU thread requests the shutdown while holding the machine lock (as
 * the isa-debug-exit handler does). */
static void *vcpu_request_shutdown(void *arg)
{
    usleep(20000);
    bql_lock();
    runstate_request_shutdown(3);
    bql_unlock();
    return NULL;
}

static void test_shutdown_kicks_and_is_taken(void)
{
    pthread_t t;

    CHECK(!runstate_shutdown_requested());
    kicks = 0;
    int status = -1;
    pthread_create(&t, NULL, vcpu_request_shutdown, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_SHUTDOWN);
    CHECK_EQ(status, 3);
    CHECK(runstate_shutdown_requested());
    CHECK_EQ(cpu0.exit_request, 1);
    CHECK_EQ(cpu1.exit_request, 1);
    CHECK_EQ(kicks, 2);
}

static void test_shutdown_first_status_wins(void)
{
    int status = -1;

    runstate_request_shutdown(7);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_SHUTDOWN);
    CHECK_EQ(status, 3);
}

/* A reset pending with a shutdown: the shutdown wins. */
static void test_shutdown_wins_over_reset(void)
{
    int status = -1;

    runstate_request_reset();
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_SHUTDOWN);
    CHECK_EQ(status, 3);
}

int main(void)
{
    RUN_TEST(test_bql_locked_only_on_holder);
    RUN_TEST(test_cpus_register);
    RUN_TEST(test_reset_pauses_and_resumes);
    RUN_TEST(test_vm_stop_start_and_listeners);
    RUN_TEST(test_guest_shutdown_stops_under_no_shutdown);
    RUN_TEST(test_shutdown_kicks_and_is_taken);
    RUN_TEST(test_shutdown_first_status_wins);
    RUN_TEST(test_shutdown_wins_over_reset);
    TEST_MAIN_END();
}
