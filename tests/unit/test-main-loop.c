/*
 * test-main-loop.c: what the main loop does with terminating signals
 * (softmmu/main-loop.c), in child processes whose loop never runs, as
 * when it is stuck: the run still ends.
 */
#include "util/osdep.h"
#include "sysemu/main-loop.h"
#include "test.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

TEST_GLOBALS;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A child with the signal handlers that takes SIGTERM and then never
 * runs its loop; second_after > 0: a second SIGTERM that many seconds
 * later.  Returns its wait status (-1 if it outlived 20 s), how long it
 * lived, and what it wrote to stderr. */
static int stuck_child(double second_after, double *lived, char *err, size_t errsz)
{
    int fds[2], status = -1;
    double t0 = now_s();
    pid_t pid;
    ssize_t n;

    if (pipe(fds) != 0) {
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        main_loop_init();
        raise(SIGTERM);
        if (second_after > 0) {
            usleep((useconds_t)(second_after * 1e6));
            raise(SIGTERM);
        }
        for (;;) {
            pause();
        }
    }
    close(fds[1]);
    while (now_s() - t0 < 20) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        usleep(20000);
    }
    *lived = now_s() - t0;
    if (*lived >= 20) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        status = -1;
    }
    n = read(fds[0], err, errsz - 1);
    err[n > 0 ? n : 0] = 0;
    close(fds[0]);
    return status;
}

/* One SIGTERM (timeout(1)'s): the watchdog ends the process after 5 s. */
static void test_watchdog_ends_a_stuck_loop(void)
{
    char err[256];
    double lived;
    int st = stuck_child(0, &lived, err, sizeof(err));

    CHECK(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    CHECK(lived >= 4.5 && lived < 10);
    CHECK(strstr(err, "tern: still running 5 s after a terminating signal: killed") != NULL);
}

/* A second SIGTERM after the 2 s grace kills at once, before the watchdog. */
static void test_second_signal_kills_at_once(void)
{
    char err[256];
    double lived;
    int st = stuck_child(2.5, &lived, err, sizeof(err));

    CHECK(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    CHECK(lived >= 2.4 && lived < 4.5);
    CHECK(strstr(err, "still running") == NULL);
}

int main(void)
{
    RUN_TEST(test_watchdog_ends_a_stuck_loop);
    RUN_TEST(test_second_signal_kills_at_once);
    TEST_MAIN_END();
}
