/*
 * test-write-undo.c: util/write-undo.c.  Writes into tracked pages (plain
 * stores, memcpy) are undone by write_undo_restore, each page saved once
 * per interval; tracking is re-armed after a restore or begin and gone
 * after a stop; faults that are not the tracker's still reach the handler
 * installed before it, or kill the process (in child processes).
 */
#include "util/osdep.h"
#include "util/write-undo.h"
#include "test.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

TEST_GLOBALS;

#define NPAGES 64

static size_t ps;   /* the host page size */

static uint8_t *map_pages(size_t n, int prot)
{
    void *p = mmap(NULL, n * ps, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 7 + (i >> 9));
}

static void fill(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        p[i] = pattern(i);
    }
}

static bool is_pattern(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != pattern(i)) {
            return false;
        }
    }
    return true;
}

/* A tracker over a new mapping of NPAGES filled with the pattern */
static WriteUndo *tracked_pages(uint8_t **mem)
{
    Error *err = NULL;
    WriteUndo *u;

    *mem = map_pages(NPAGES, PROT_READ | PROT_WRITE);
    if (!*mem) {
        return NULL;
    }
    fill(*mem, NPAGES * ps);
    u = write_undo_new();
    if (write_undo_add_range(u, *mem, NPAGES * ps, &err) < 0) {
        error_report_err(err);
        write_undo_free(u);
        return NULL;
    }
    return u;
}

static void untrack(WriteUndo *u, uint8_t *mem)
{
    write_undo_free(u);
    munmap(mem, NPAGES * ps);
}

/* ---- faults that are not the tracker's (children, run before the parent
 * installs the handler, so each child installs it over its own choice) -- */

static void *volatile chained_addr;

static void chained_handler(int sig, siginfo_t *si, void *ctx)
{
    _exit(sig == SIGSEGV && si->si_addr == chained_addr ? 42 : 43);
}

/* In a child: with prev (NULL: the default action) as the SIGSEGV handler
 * before the tracker's, a tracked write is undone and does not kill, then
 * a write to an untracked read-only page.  Returns the wait status. */
static int fault_child(void (*prev)(int, siginfo_t *, void *))
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0) {
        struct sigaction sa = { .sa_handler = SIG_DFL };
        volatile uint8_t *ro;
        uint8_t *mem;
        WriteUndo *u;

        alarm(10);      /* a handler that swallows the fault loops: fail, not hang */
        if (prev) {
            sa.sa_sigaction = prev;
            sa.sa_flags = SA_SIGINFO;
        }
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);     /* over the sanitizer's own, too */
        u = tracked_pages(&mem);
        ro = map_pages(1, PROT_READ);
        if (!u || !ro) {
            _exit(2);
        }
        write_undo_begin(u);
        mem[ps + 1] = 0xff;
        if (write_undo_pages(u) != 1) {
            _exit(3);
        }
        write_undo_restore(u);
        if (!is_pattern(mem, NPAGES * ps)) {
            _exit(4);
        }
        chained_addr = (void *)(ro + 8);
        ro[8] = 1;
        _exit(0);
    }
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    return status;
}

static void test_untracked_fault_kills(void)
{
    int status = fault_child(NULL);

    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGSEGV);
}

static void test_untracked_fault_chains(void)
{
    int status = fault_child(chained_handler);

    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42);
}

/* ---- undo ------------------------------------------------------------------ */

static void test_restore(void)
{
    uint8_t *mem, src[64];
    WriteUndo *u = tracked_pages(&mem);
    volatile uint8_t *v;

    CHECK(u);
    v = mem;
    write_undo_begin(u);
    CHECK_EQ(write_undo_pages(u), 0);
    v[0] = 0xaa;
    v[5 * ps + 17] = 0xbb;
    v[NPAGES * ps - 1] = 0xcc;
    /* memcpy over pages 10 to 12, and one 8-byte store across 20/21 */
    uint8_t *big = malloc(2 * ps);
    CHECK(big);
    memset(big, 0x5a, 2 * ps);
    memcpy(mem + 10 * ps + ps / 2, big, 2 * ps);
    free(big);
    memset(src, 0x33, sizeof(src));
    memcpy(mem + 21 * ps - 4, src, 8);
    CHECK_EQ(write_undo_pages(u), 8);
    CHECK_EQ(mem[0], 0xaa);
    CHECK_EQ(mem[5 * ps + 17], 0xbb);
    CHECK_EQ(mem[11 * ps], 0x5a);
    CHECK_EQ(mem[21 * ps + 3], 0x33);

    write_undo_restore(u);
    CHECK_EQ(write_undo_pages(u), 0);
    CHECK(is_pattern(mem, NPAGES * ps));

    /* a second interval: the restored pages are caught again, the last of
     * a run of adjacent ones too */
    v[5 * ps] = 1;
    v[7 * ps] = 2;
    v[5 * ps + 1] = 3;
    v[12 * ps + 9] = 4;
    memcpy(mem + 21 * ps - 4, src, 8);
    CHECK_EQ(write_undo_pages(u), 5);
    write_undo_restore(u);
    CHECK(is_pattern(mem, NPAGES * ps));
    untrack(u, mem);
}

static void test_page_saved_once(void)
{
    uint8_t *mem;
    WriteUndo *u = tracked_pages(&mem);
    volatile uint8_t *v;

    CHECK(u);
    v = mem;
    write_undo_begin(u);
    v[3 * ps] = 1;
    v[4 * ps] = 1;
    v[3 * ps + 100] = 2;
    v[3 * ps] = 3;
    CHECK_EQ(write_undo_pages(u), 2);

    /* a begin keeps the writes and saves from now on: a restore goes back
     * to the begin, not to the pattern */
    write_undo_begin(u);
    CHECK_EQ(write_undo_pages(u), 0);
    v[3 * ps] = 4;
    v[9 * ps] = 4;
    CHECK_EQ(write_undo_pages(u), 2);
    write_undo_restore(u);
    CHECK_EQ(mem[3 * ps], 3);
    CHECK_EQ(mem[3 * ps + 100], 2);
    CHECK_EQ(mem[4 * ps], 1);
    CHECK_EQ(mem[9 * ps], pattern(9 * ps));
    untrack(u, mem);
}

static void test_two_ranges(void)
{
    Error *err = NULL;
    uint8_t *a = map_pages(4, PROT_READ | PROT_WRITE);
    uint8_t *b = map_pages(2, PROT_READ | PROT_WRITE);
    WriteUndo *u = write_undo_new();

    CHECK(a && b);
    fill(a, 4 * ps);
    fill(b, 2 * ps);
    CHECK_EQ(write_undo_add_range(u, a, 4 * ps, &err), 0);
    CHECK_EQ(write_undo_add_range(u, b, 2 * ps, &err), 0);
    write_undo_begin(u);
    memset(a + ps, 0, 3 * ps);
    memset(b, 0, 2 * ps);
    CHECK_EQ(write_undo_pages(u), 5);
    write_undo_restore(u);
    CHECK(is_pattern(a, 4 * ps));
    CHECK(is_pattern(b, 2 * ps));
    write_undo_free(u);
    munmap(a, 4 * ps);
    munmap(b, 2 * ps);
}

/* After a stop the range is plainly writable: a child without any
 * SIGSEGV handler writes every page and lives. */
static void test_stop(void)
{
    uint8_t *mem;
    WriteUndo *u = tracked_pages(&mem);
    int status = -1;
    pid_t pid;

    CHECK(u);
    write_undo_begin(u);
    mem[ps] = 1;
    CHECK_EQ(write_undo_pages(u), 1);
    write_undo_stop(u);
    CHECK_EQ(write_undo_pages(u), 0);
    pid = fork();
    if (pid == 0) {
        struct sigaction sa = { .sa_handler = SIG_DFL };

        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);
        memset(mem, 0x77, NPAGES * ps);
        _exit(0);
    }
    CHECK(pid > 0);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    memset(mem, 0x77, NPAGES * ps);
    CHECK_EQ(write_undo_pages(u), 0);

    /* and a begin tracks the whole range again */
    fill(mem, NPAGES * ps);
    write_undo_begin(u);
    memset(mem, 0, NPAGES * ps);
    CHECK_EQ(write_undo_pages(u), NPAGES);
    write_undo_restore(u);
    CHECK(is_pattern(mem, NPAGES * ps));
    untrack(u, mem);
}

static void test_unaligned_range_refused(void)
{
    Error *err = NULL;
    uint8_t *mem = map_pages(2, PROT_READ | PROT_WRITE);
    WriteUndo *u = write_undo_new();

    CHECK(mem);
    CHECK_EQ(write_undo_add_range(u, mem + 16, ps, &err), -EINVAL);
    CHECK(err && strstr(error_get_pretty(err), "aligned"));
    error_free(err);
    err = NULL;
    CHECK_EQ(write_undo_add_range(u, mem, ps + 1, &err), -EINVAL);
    error_free(err);
    write_undo_free(u);
    munmap(mem, 2 * ps);
}

int main(void)
{
    ps = (size_t)sysconf(_SC_PAGESIZE);
    setvbuf(stdout, NULL, _IONBF, 0);     /* nothing buffered twice by fork */
    /* first: the children install the handler over a handler of their own */
    RUN_TEST(test_untracked_fault_kills);
    RUN_TEST(test_untracked_fault_chains);
    RUN_TEST(test_restore);
    RUN_TEST(test_page_saved_once);
    RUN_TEST(test_two_ranges);
    RUN_TEST(test_stop);
    RUN_TEST(test_unaligned_range_refused);
    TEST_MAIN_END();
}
