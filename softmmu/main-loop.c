/*
 * main-loop.c: the main thread's event loop (sysemu/main-loop.h).
 *
 * One ppoll over the registered descriptors and a wake-up pipe, with the
 * next timer deadline as its timeout.  Anything that must be noticed at
 * once (a timer armed earlier than the current deadline, a reset or
 * shutdown request) writes a byte to the pipe.  After each wake-up the
 * loop takes the machine lock, runs the ready fd handlers and the expired
 * timers, drops the lock and looks at the run-state requests.
 *
 * SIGINT, SIGTERM and SIGHUP end the run cleanly, as in QEMU ("terminating
 * on signal N", exit status 0): the handler only notes the signal and
 * writes the pipe; the loop turns it into a shutdown request, so the
 * vCPUs stop, the accelerators tear down and atexit handlers (the
 * terminal's mode) run.  Another such signal in the next two seconds is
 * the same request (timeout(1) sends SIGTERM to its child and then to its
 * process group); a later one kills at once, after the last-words hook,
 * as the loop may be what is stuck.  So does a watchdog (SIGALRM) when
 * the process still runs MAIN_LOOP_KILL_WATCHDOG_S after the first one:
 * timeout(1) signals once, and a stuck loop must not outlive it.
 */
#include "util/osdep.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define MAIN_LOOP_MAX_FDS 16

typedef struct FdHandler {
    int fd;
    MainLoopFdCanRead can_read;
    MainLoopFdHandler on_read;
    void *opaque;
} FdHandler;

static FdHandler handlers[MAIN_LOOP_MAX_FDS];
static unsigned nb_handlers;
static int wake_fds[2] = { -1, -1 };
static volatile sig_atomic_t killed_by;     /* the first terminating signal */
static struct timespec killed_at;           /* when it came (handler only) */
static void (*last_words)(void);            /* set before main_loop_init */

#define MAIN_LOOP_KILL_GRACE_S 2
#define MAIN_LOOP_KILL_WATCHDOG_S 5
#define MAIN_LOOP_STR_(x) #x
#define MAIN_LOOP_STR(x) MAIN_LOOP_STR_(x)

/* Die of sig now (from a handler): the last words, then the default
 * action, delivered when the handler returns. */
static void main_loop_die(int sig)
{
    if (last_words) {
        last_words();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void main_loop_on_signal(int sig)
{
    static const char byte = 0;
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);       /* async-signal-safe */
    if (killed_by) {
        if (now.tv_sec - killed_at.tv_sec < MAIN_LOOP_KILL_GRACE_S) {
            return;                     /* the same request, repeated */
        }
        main_loop_die(sig);
        return;
    }
    killed_at = now;
    killed_by = sig;
    alarm(MAIN_LOOP_KILL_WATCHDOG_S);
    ssize_t n = write(wake_fds[1], &byte, 1);
    (void)n;
}

/* SIGALRM, MAIN_LOOP_KILL_WATCHDOG_S after the first terminating signal:
 * the clean shutdown is stuck. */
static void main_loop_on_watchdog(int unused)
{
    static const char msg[] = "tern: still running " MAIN_LOOP_STR(MAIN_LOOP_KILL_WATCHDOG_S)
                              " s after a terminating signal: killed\n";
    ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

    (void)unused, (void)n;
    main_loop_die(killed_by);
}

void main_loop_set_last_words(void (*fn)(void))
{
    last_words = fn;
}

void main_loop_init(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa = { .sa_handler = main_loop_on_signal };

    if (wake_fds[0] >= 0) {
        return;
    }
    if (pipe2(wake_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
        perror("tern: main loop pipe");
        abort();
    }
    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
    sa.sa_handler = main_loop_on_watchdog;
    sigaction(SIGALRM, &sa, NULL);
}

void main_loop_set_fd_handler(int fd, MainLoopFdCanRead can_read, MainLoopFdHandler on_read,
                              void *opaque)
{
    unsigned i;

    for (i = 0; i < nb_handlers && handlers[i].fd != fd; i++) {
    }
    if (!on_read) {
        if (i < nb_handlers) {
            handlers[i] = handlers[--nb_handlers];
        }
        return;
    }
    if (i == nb_handlers) {
        assert(nb_handlers < MAIN_LOOP_MAX_FDS);
        nb_handlers++;
    }
    handlers[i] = (FdHandler){ fd, can_read, on_read, opaque };
}

void main_loop_wakeup(void)
{
    static const char byte = 0;

    if (wake_fds[1] >= 0) {
        /* full pipe: the loop is awake anyway */
        ssize_t n = write(wake_fds[1], &byte, 1);
        (void)n;
    }
}

void timers_notify(void)
{
    main_loop_wakeup();
}

static void wake_pipe_drain(void)
{
    char buf[64];

    while (read(wake_fds[0], buf, sizeof(buf)) > 0) {
    }
}

/* Wait for the descriptors or the next deadline; run what is ready. */
static void main_loop_wait(void)
{
    struct pollfd pfd[MAIN_LOOP_MAX_FDS + 1];
    FdHandler polled[MAIN_LOOP_MAX_FDS], ready[MAIN_LOOP_MAX_FDS];
    unsigned n = 0, nready = 0;
    int64_t deadline = timers_deadline_ns();
    struct timespec ts, *tsp = NULL;

    pfd[n++] = (struct pollfd){ .fd = wake_fds[0], .events = POLLIN };
    bql_lock();
    for (unsigned i = 0; i < nb_handlers; i++) {
        if (!handlers[i].can_read || handlers[i].can_read(handlers[i].opaque)) {
            polled[n - 1] = handlers[i];
            pfd[n++] = (struct pollfd){ .fd = handlers[i].fd, .events = POLLIN };
        }
    }
    bql_unlock();
    if (deadline >= 0) {
        ts.tv_sec = deadline / NANOSECONDS_PER_SECOND;
        ts.tv_nsec = deadline % NANOSECONDS_PER_SECOND;
        tsp = &ts;
    }
    if (ppoll(pfd, n, tsp, NULL) < 0 && errno != EINTR) {
        perror("tern: main loop poll");
        abort();
    }
    if (pfd[0].revents) {
        wake_pipe_drain();
    }
    /* handlers may remove themselves: act on a copy of the ready ones */
    for (unsigned i = 1; i < n; i++) {
        if (pfd[i].revents) {
            ready[nready++] = polled[i - 1];
        }
    }
    bql_lock();
    for (unsigned i = 0; i < nready; i++) {
        ready[i].on_read(ready[i].opaque);
    }
    timers_run_expired();
    bql_unlock();
}

int main_loop_run(void (*reset)(void *opaque), void *opaque)
{
    int status;

    assert(wake_fds[0] >= 0);
    for (;;) {
        if (killed_by && !runstate_shutdown_requested()) {
            fprintf(stderr, "tern: terminating on signal %d\n", (int)killed_by);
            runstate_request_shutdown(0);
        }
        switch (runstate_take_event(&status)) {
        case RUNSTATE_EVENT_SHUTDOWN:
            return status;
        case RUNSTATE_EVENT_RESET:
            reset(opaque);
            continue;
        default:
            break;
        }
        main_loop_wait();
    }
}
