/*
 * runstate.c: the machine lock, the vCPU registry and shutdown requests.
 *
 * Machine lock (bql): a plain pthread mutex plus a thread-local "held"
 * flag, so bql_locked() is true only on the thread that holds it and taking
 * it twice on one thread trips an assert instead of deadlocking silently.
 *
 * Registry: a fixed array filled by the board before any vCPU starts; the
 * count is published with release order so any thread may read it.
 *
 * Reset: a request pauses the vCPUs (cs->stop) and wakes the main thread;
 * requests made before it acts fold into one reset.
 *
 * Shutdown: the first request's status wins.  A request takes only
 * runstate_lock (never the machine lock), so a vCPU thread holding the
 * machine lock (e.g. in the isa-debug-exit handler) can make one; it then
 * sets every vCPU's exit_request, calls the accelerator's kick hook (which
 * must not take the machine lock either) and wakes the main loop
 * (main_loop_wakeup), which takes the request with runstate_take_event.
 *
 * VM run state (vm_stop/vm_start): "stopped" is a flag the main thread
 * owns; stopping pauses the vCPUs as a reset does and stops guest time.
 * Events for the listeners (QMP's STOP, RESET, ...) that arise on other
 * threads are queued as bits under runstate_lock and told by the main
 * thread when it takes the run-state requests.
 *
 * Globals: everything here is process-wide state by nature (one VM per
 * process); each variable's guard is named next to it.
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

/* The registry's capacity; the board's limit (MACHINE_MAX_CPUS) is kept
 * equal by hand, as softmmu does not include hw/core/machine.h. */
#define RUNSTATE_MAX_CPUS 64

static pthread_mutex_t bql = PTHREAD_MUTEX_INITIALIZER;
static __thread bool bql_held;               /* this thread holds bql */
static unsigned bql_waiters;                  /* threads in bql_lock (atomic) */
static unsigned bql_takes;                    /* times taken (atomic) */

static CPUState *cpu_list[RUNSTATE_MAX_CPUS]; /* written before nr_cpus */
static unsigned nr_cpus;                      /* atomic */
static void (*cpu_kick_hook)(CPUState *cpu);  /* atomic */
static __thread CPUState *current_cpu;        /* this vCPU thread's CPU */

static pthread_mutex_t runstate_lock = PTHREAD_MUTEX_INITIALIZER;
static bool shutdown_requested;               /* written under runstate_lock; atomic */
static int shutdown_status;                   /* under runstate_lock */
static bool reset_requested;                  /* under runstate_lock */
static bool no_reboot;                        /* set before the vCPUs start */
static bool no_shutdown;                      /* set before the vCPUs start */
static bool stop_requested;                   /* vm_stop_request; under runstate_lock */
static bool guest_shut_down;                  /* -no-shutdown power-off; under runstate_lock */
static bool shutdown_told;                    /* main thread */
static bool vm_stopped;                       /* main thread (atomic for readers) */

#define RUNSTATE_MAX_LISTENERS 8
typedef struct RunstateListenerEntry {
    RunstateListener fn;
    void *opaque;
} RunstateListenerEntry;
static RunstateListenerEntry listeners[RUNSTATE_MAX_LISTENERS];   /* main thread */
static unsigned nb_listeners;

/* ---- machine lock ------------------------------------------------------ */

void bql_lock(void)
{
    assert(!bql_held);
    __atomic_fetch_add(&bql_waiters, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&bql);
    __atomic_fetch_sub(&bql_waiters, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bql_takes, 1, __ATOMIC_RELAXED);
    bql_held = true;
}

bool bql_lock_unless_held(void)
{
    if (bql_held) {
        return false;
    }
    bql_lock();
    return true;
}

/* A mutex is not fair: unlocking and locking again would usually win it
 * back at once, so wait until someone else has taken it. */
void bql_yield(void)
{
    unsigned takes = __atomic_load_n(&bql_takes, __ATOMIC_RELAXED);

    if (!__atomic_load_n(&bql_waiters, __ATOMIC_RELAXED)) {
        return;
    }
    bql_unlock();
    while (__atomic_load_n(&bql_takes, __ATOMIC_RELAXED) == takes &&
           __atomic_load_n(&bql_waiters, __ATOMIC_RELAXED)) {
        sched_yield();
    }
    bql_lock();
}

void bql_unlock(void)
{
    assert(bql_held);
    bql_held = false;
    pthread_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

/* ---- vCPU registry ----------------------------------------------------- */

void cpus_register(CPUState *cpu)
{
    unsigned n = __atomic_load_n(&nr_cpus, __ATOMIC_RELAXED);

    assert(cpu && n < RUNSTATE_MAX_CPUS);
    cpu_list[n] = cpu;
    __atomic_store_n(&nr_cpus, n + 1, __ATOMIC_RELEASE);
}

unsigned cpus_count(void)
{
    return __atomic_load_n(&nr_cpus, __ATOMIC_ACQUIRE);
}

CPUState *cpus_get(unsigned index)
{
    return index < cpus_count() ? cpu_list[index] : NULL;
}

void cpus_set_current(CPUState *cpu)
{
    current_cpu = cpu;
}

CPUState *cpus_current(void)
{
    return current_cpu;
}

void cpus_set_kick(void (*kick)(CPUState *cpu))
{
    __atomic_store_n(&cpu_kick_hook, kick, __ATOMIC_RELEASE);
}

void cpus_kick_all(void)
{
    void (*kick)(CPUState *cpu) = __atomic_load_n(&cpu_kick_hook, __ATOMIC_ACQUIRE);
    unsigned n = cpus_count();

    for (unsigned i = 0; i < n; i++) {
        __atomic_store_n(&cpu_list[i]->exit_request, 1, __ATOMIC_RELEASE);
        if (kick) {
            kick(cpu_list[i]);
        }
    }
}

void cpu_interrupt(CPUState *cpu, unsigned mask)
{
    void (*kick)(CPUState *cpu) = __atomic_load_n(&cpu_kick_hook, __ATOMIC_ACQUIRE);

    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_RELEASE);
    if (kick) {
        kick(cpu);   /* wakes a halted vCPU */
    }
}

void cpu_reset_interrupt(CPUState *cpu, unsigned mask)
{
    __atomic_fetch_and(&cpu->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

/* ---- pause and resume ---------------------------------------------------- */

void cpus_pause_all(void)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        __atomic_store_n(&cpu_list[i]->stop, true, __ATOMIC_RELEASE);
    }
    cpus_kick_all();
}

void cpus_wait_stopped(void)
{
    const struct timespec tick = { 0, 1000000 };   /* 1 ms: resets are rare */

    for (unsigned i = 0; i < cpus_count(); i++) {
        /* acquire: the vCPU's state is then the one it stopped with */
        while (!__atomic_load_n(&cpu_list[i]->stopped, __ATOMIC_ACQUIRE) &&
               !runstate_shutdown_requested()) {
            nanosleep(&tick, NULL);
        }
    }
}

void cpus_resume_all(void)
{
    for (unsigned i = 0; i < cpus_count(); i++) {
        /* cleared first, so a later pause waits for a fresh stop */
        __atomic_store_n(&cpu_list[i]->stopped, false, __ATOMIC_RELAXED);
        __atomic_store_n(&cpu_list[i]->stop, false, __ATOMIC_RELEASE);  /* publishes the reset */
    }
    cpus_kick_all();
}

/* ---- reset --------------------------------------------------------------- */

void runstate_set_no_reboot(bool on)
{
    no_reboot = on;
}

void runstate_request_reset(void)
{
    if (no_reboot) {
        runstate_request_guest_shutdown();
        return;
    }
    pthread_mutex_lock(&runstate_lock);
    reset_requested = true;
    pthread_mutex_unlock(&runstate_lock);
    cpus_pause_all();
    main_loop_wakeup();
}

/* ---- shutdown ---------------------------------------------------------- */

void runstate_set_no_shutdown(bool on)
{
    no_shutdown = on;
}

void runstate_request_guest_shutdown(void)
{
    if (!no_shutdown) {
        runstate_request_shutdown(0);    /* QEMU's status for a guest power-off */
        return;
    }
    pthread_mutex_lock(&runstate_lock);
    guest_shut_down = true;
    pthread_mutex_unlock(&runstate_lock);
    cpus_pause_all();
    timer_virtual_stop();
    main_loop_wakeup();                  /* the main loop completes the stop */
    fprintf(stderr, "tern: the guest shut down; stopped (-no-shutdown): Ctrl-A x quits\n");
}

void runstate_request_shutdown(int exit_status)
{
    bool first;

    pthread_mutex_lock(&runstate_lock);
    first = !shutdown_requested;
    if (first) {
        shutdown_status = exit_status;
        __atomic_store_n(&shutdown_requested, true, __ATOMIC_RELEASE);
        }
    pthread_mutex_unlock(&runstate_lock);
    if (first) {
        cpus_kick_all();
        main_loop_wakeup();
    }
}

bool runstate_shutdown_requested(void)
{
    return __atomic_load_n(&shutdown_requested, __ATOMIC_ACQUIRE);
}

/* ---- VM run state and listeners ------------------------------------------ */

void runstate_add_listener(RunstateListener fn, void *opaque)
{
    assert(nb_listeners < RUNSTATE_MAX_LISTENERS);
    listeners[nb_listeners++] = (RunstateListenerEntry){ fn, opaque };
}

/* Main thread; listeners run with the machine lock held. */
static void runstate_notify(RunstateListenerEvent ev)
{
    bool locked = bql_locked();

    if (!locked) {
        bql_lock();
    }
    for (unsigned i = 0; i < nb_listeners; i++) {
        listeners[i].fn(ev, listeners[i].opaque);
    }
    if (!locked) {
        bql_unlock();
    }
}

bool vm_running(void)
{
    return !__atomic_load_n(&vm_stopped, __ATOMIC_ACQUIRE);
}

const char *runstate_name(void)
{
    if (runstate_shutdown_requested() || (!vm_running() && guest_shut_down)) {
        return "shutdown";
    }
    return vm_running() ? "running" : "paused";
}

/* Are the vCPU threads there to wait for (not before vcpu_start: -S)? */
static bool cpus_started(void)
{
    return cpus_count() > 0 && cpu_list[0]->thread_running;
}

/* Pausing with the machine lock dropped: a vCPU may be waiting for it to
 * finish an I/O access before it can reach a block boundary and stop. */
static void cpus_pause_and_wait(void)
{
    bool locked = bql_locked();

    cpus_pause_all();
    if (!cpus_started()) {
        return;
    }
    if (locked) {
        bql_unlock();
    }
    cpus_wait_stopped();
    if (locked) {
        bql_lock();
    }
}

/* Resume, unless a reset or stop request paused the vCPUs for itself:
 * such a request sets its flag before it pauses, so checking the flags
 * under the same lock never undoes its pause. */
static void cpus_resume_unless_requested(void)
{
    pthread_mutex_lock(&runstate_lock);
    if (!reset_requested && !stop_requested && !guest_shut_down) {
        cpus_resume_all();
    }
    pthread_mutex_unlock(&runstate_lock);
}

bool vm_inspect_begin(void)
{
    if (!vm_running()) {
        return false;
    }
    cpus_pause_and_wait();
    return true;
}

void vm_inspect_end(bool paused)
{
    if (paused && vm_running()) {
        cpus_resume_unless_requested();
    }
}

void vm_stop(void)
{
    if (!vm_running()) {
        return;
    }
    __atomic_store_n(&vm_stopped, true, __ATOMIC_RELEASE);
    cpus_pause_and_wait();
    timer_virtual_stop();
    runstate_notify(RUNSTATE_LISTENER_STOP);
}

void vm_stop_request(void)
{
    pthread_mutex_lock(&runstate_lock);
    stop_requested = true;
    pthread_mutex_unlock(&runstate_lock);
    cpus_pause_all();
    main_loop_wakeup();
}

void vm_start(void)
{
    if (vm_running() || runstate_shutdown_requested()) {
        return;
    }
    pthread_mutex_lock(&runstate_lock);
    guest_shut_down = false;          /* cont after a -no-shutdown power-off */
    stop_requested = false;
    pthread_mutex_unlock(&runstate_lock);
    __atomic_store_n(&vm_stopped, false, __ATOMIC_RELEASE);
    timer_virtual_start();
    cpus_resume_unless_requested();
    runstate_notify(RUNSTATE_LISTENER_RESUME);
}

RunstateEvent runstate_take_event(int *status)
{
    RunstateEvent ev = RUNSTATE_EVENT_NONE;
    bool stop, guest_off;

    pthread_mutex_lock(&runstate_lock);
    stop = stop_requested;
    guest_off = guest_shut_down && vm_running();
    stop_requested = false;
    if (shutdown_requested) {
        *status = shutdown_status;
        ev = RUNSTATE_EVENT_SHUTDOWN;
    } else if (reset_requested) {
        reset_requested = false;
        ev = RUNSTATE_EVENT_RESET;
    }
    pthread_mutex_unlock(&runstate_lock);

    if (ev == RUNSTATE_EVENT_SHUTDOWN) {
        if (!shutdown_told) {
            shutdown_told = true;
            runstate_notify(RUNSTATE_LISTENER_SHUTDOWN);
        }
        return ev;
    }
    if (guest_off) {
        runstate_notify(RUNSTATE_LISTENER_SHUTDOWN);
    }
    if (stop || guest_off) {
        vm_stop();
    }
    if (ev == RUNSTATE_EVENT_RESET) {
        runstate_notify(RUNSTATE_LISTENER_RESET);
    }
    return ev;
}
