/*
 * runbench.c: run one benchmark program and time it, the same way on the
 * host and inside the guest (bench/linux.sh runs it in both places).
 *   runbench NAME PROGRAM [ARG...]
 * Forks and execs PROGRAM with its stdout on a pipe, measures
 * CLOCK_MONOTONIC from before the fork to after the wait, and prints
 *   bench NAME SECONDS CHECKSUM
 * with CHECKSUM from PROGRAM's "checksum X" line.  When PROGRAM fails or
 * prints no checksum: "bench NAME fail -", the reason on stderr, status 1.
 * The program's other output goes to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *name, const char *why)
{
    fprintf(stderr, "runbench: %s: %s\n", name, why);
    printf("bench %s fail -\n", name);
    return 1;
}

int main(int argc, char **argv)
{
    char sum[64] = "", line[256], why[128];
    int fds[2], st;

    if (argc < 3) {
        fprintf(stderr, "usage: runbench NAME PROGRAM [ARG...]\n");
        return 2;
    }
    const char *name = argv[1];
    fflush(stdout);
    if (pipe(fds) < 0)
        return fail(name, strerror(errno));
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return fail(name, strerror(errno));
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[2], argv + 2);
        fprintf(stderr, "runbench: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    FILE *out = fdopen(fds[0], "r");
    if (!out)
        return fail(name, strerror(errno));
    while (fgets(line, sizeof(line), out)) {
        if (!sum[0] && sscanf(line, "checksum %63s", sum) == 1)
            continue;
        fputs(line, stderr);
    }
    fclose(out);
    if (waitpid(pid, &st, 0) < 0)
        return fail(name, strerror(errno));
    double t1 = now();
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(why, sizeof(why), "%s %d", WIFEXITED(st) ? "exited" : "killed by signal",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        return fail(name, why);
    }
    if (!sum[0])
        return fail(name, "no checksum line");
    printf("bench %s %.4f %s\n", name, t1 - t0, sum);
    return 0;
}
