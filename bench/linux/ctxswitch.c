/*
 * ctxswitch.c: two processes pass a byte back and forth over two pipes,
 * ROUND_TRIPS times; each side blocks in read until the other writes, so
 * every hop is a context switch.  The child answers b * 5 + 1; the
 * checksum covers every answer.  Both processes stay on one CPU, as in
 * the one-vCPU guest: on a multi-core host they would otherwise measure
 * cross-CPU wake-ups instead.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUND_TRIPS 40000

static int xfer(int fd, uint8_t *b, int out)
{
    ssize_t n = out ? write(fd, b, 1) : read(fd, b, 1);
    return n == 1 ? 0 : -1;
}

/* Keep this process, and the child it forks, on its first allowed CPU. */
static void pin_to_one_cpu(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) < 0)
        return;
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, &set)) {
            CPU_ZERO(&set);
            CPU_SET(c, &set);
            sched_setaffinity(0, sizeof(set), &set);
            return;
        }
    }
}

int main(void)
{
    int to_child[2], to_parent[2];
    uint64_t sum = 0;
    uint8_t b = 1;

    if (pipe(to_child) < 0 || pipe(to_parent) < 0) {
        perror("ctxswitch: pipe");
        return 1;
    }
    pin_to_one_cpu();
    pid_t pid = fork();
    if (pid < 0) {
        perror("ctxswitch: fork");
        return 1;
    }
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        while (xfer(to_child[0], &b, 0) == 0) {
            b = b * 5 + 1;
            if (xfer(to_parent[1], &b, 1) < 0)
                _exit(1);
        }
        _exit(0);                       /* the parent closed its end */
    }
    close(to_child[0]);
    close(to_parent[1]);
    for (int i = 0; i < ROUND_TRIPS; i++) {
        b ^= (uint8_t)i;
        if (xfer(to_child[1], &b, 1) < 0 || xfer(to_parent[0], &b, 0) < 0) {
            fprintf(stderr, "ctxswitch: the child went away\n");
            return 1;
        }
        sum = (sum ^ b) * 0x100000001b3ull;
    }
    close(to_child[1]);
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "ctxswitch: the child failed\n");
        return 1;
    }
    printf("checksum %016lx\n", (unsigned long)sum);
    return 0;
}
