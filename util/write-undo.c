/*
 * write-undo.c: undo an interval's writes by page protection
 * (util/write-undo.h).
 *
 * Each range has a store as large as the range (MAP_NORESERVE: only the
 * slots used cost memory) and an array of page numbers, both allocated
 * up front because the SIGSEGV handler may not allocate.  The n-th page
 * saved in an interval goes to slot n, so memory follows the most pages
 * written in one interval, not all the pages ever written.
 *
 * Fields the handler reads or writes are accessed with __atomic builtins:
 * the handler interrupts the owner's own code, which must neither cache
 * them in registers across a store into tracked memory nor see them torn.
 */
#include "util/write-undo.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#define WRITE_UNDO_MAX_RANGES 8
#define WRITE_UNDO_MAX_LIVE 8

typedef struct WriteUndoRange {
    uint8_t *base;
    size_t npages;
    uint8_t *store;     /* slot i: the i-th page saved this interval */
    size_t *page;       /* page[i]: slot i's page number in the range */
    size_t nsaved;      /* slots used (handler-written) */
} WriteUndoRange;

struct WriteUndo {
    size_t page_size;
    bool tracking;      /* handler-read */
    int nranges;        /* handler-read; ranges[] below it are complete */
    WriteUndoRange ranges[WRITE_UNDO_MAX_RANGES];
};

/* The live trackers, for the handler; the previous SIGSEGV action */
static WriteUndo *write_undo_live[WRITE_UNDO_MAX_LIVE];
static struct sigaction write_undo_old_action;
static pthread_once_t write_undo_once = PTHREAD_ONCE_INIT;

static TERN_NORETURN void write_undo_die(const char *msg)
{
    /* write(2) and abort(): what a signal handler may call */
    ssize_t r = write(STDERR_FILENO, msg, strlen(msg));
    (void)r;
    abort();
}

/* mprotect that cannot fail: a failure would lose writes silently.  Each
 * written page splits a mapping in up to three, so ENOMEM is the limit on
 * mappings (vm.max_map_count) with too many scattered pages in an interval. */
static void write_undo_protect(void *p, size_t len, int prot)
{
    if (mprotect(p, len, prot) != 0) {
        write_undo_die(errno == ENOMEM ?
                       "tern: write-undo: mprotect: too many mappings (vm.max_map_count)\n" :
                       "tern: write-undo: mprotect failed\n");
    }
}

/* Give a fault that is not ours to the handler installed before ours; the
 * default action: reinstall it and return, so the fault happens again
 * (or, for a signal sent by kill, raise it again once we return). */
static void write_undo_chain(int sig, siginfo_t *si, void *ctx)
{
    const struct sigaction *old = &write_undo_old_action;

    if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
        struct sigaction dfl = { .sa_handler = SIG_DFL };

        sigemptyset(&dfl.sa_mask);
        sigaction(sig, &dfl, NULL);
        if (si->si_code <= 0) {
            raise(sig);
        }
    } else if (old->sa_flags & SA_SIGINFO) {
        old->sa_sigaction(sig, si, ctx);
    } else {
        old->sa_handler(sig);
    }
}

/* Save a tracked page on its first write; async-signal-safe. */
static bool write_undo_save(WriteUndo *u, void *addr)
{
    int nranges = __atomic_load_n(&u->nranges, __ATOMIC_ACQUIRE);

    if (!__atomic_load_n(&u->tracking, __ATOMIC_RELAXED)) {
        return false;
    }
    for (int i = 0; i < nranges; i++) {
        WriteUndoRange *r = &u->ranges[i];
        size_t n, off = (uintptr_t)addr - (uintptr_t)r->base;

        if (off >= r->npages * u->page_size) {
            continue;           /* below base too: off wrapped around */
        }
        n = __atomic_load_n(&r->nsaved, __ATOMIC_RELAXED);
        if (n == r->npages) {
            return false;       /* every page saved: this fault is no write of ours */
        }
        uint8_t *page = r->base + off / u->page_size * u->page_size;
        memcpy(r->store + n * u->page_size, page, u->page_size);
        r->page[n] = off / u->page_size;
        __atomic_store_n(&r->nsaved, n + 1, __ATOMIC_RELAXED);
        write_undo_protect(page, u->page_size, PROT_READ | PROT_WRITE);
        return true;
    }
    return false;
}

static void write_undo_on_segv(int sig, siginfo_t *si, void *ctx)
{
    int saved_errno = errno;

    /* SEGV_ACCERR: a protected page; a tracked page is always readable,
     * so the access was a write */
    if (si->si_code == SEGV_ACCERR) {
        for (int i = 0; i < WRITE_UNDO_MAX_LIVE; i++) {
            WriteUndo *u = __atomic_load_n(&write_undo_live[i], __ATOMIC_ACQUIRE);

            if (u && write_undo_save(u, si->si_addr)) {
                errno = saved_errno;
                return;         /* the write is retried */
            }
        }
    }
    write_undo_chain(sig, si, ctx);
    errno = saved_errno;
}

static void write_undo_install(void)
{
    /* SA_ONSTACK: a stack overflow still reaches the previous handler on
     * the thread's alternate stack, where it has one */
    struct sigaction sa = {
        .sa_sigaction = write_undo_on_segv,
        .sa_flags = SA_SIGINFO | SA_ONSTACK,
    };

    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &write_undo_old_action) != 0) {
        write_undo_die("tern: write-undo: cannot install the SIGSEGV handler\n");
    }
}

WriteUndo *write_undo_new(void)
{
    WriteUndo *u = tern_malloc0(sizeof(*u));

    u->page_size = (size_t)sysconf(_SC_PAGESIZE);
    pthread_once(&write_undo_once, write_undo_install);
    for (int i = 0; i < WRITE_UNDO_MAX_LIVE; i++) {
        WriteUndo *none = NULL;

        if (__atomic_compare_exchange_n(&write_undo_live[i], &none, u, false,
                                        __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
            return u;
        }
    }
    write_undo_die("tern: write-undo: too many live trackers\n");
}

void write_undo_free(WriteUndo *u)
{
    if (!u) {
        return;
    }
    write_undo_stop(u);
    for (int i = 0; i < WRITE_UNDO_MAX_LIVE; i++) {
        if (write_undo_live[i] == u) {
            __atomic_store_n(&write_undo_live[i], NULL, __ATOMIC_RELEASE);
        }
    }
    for (int i = 0; i < u->nranges; i++) {
        WriteUndoRange *r = &u->ranges[i];

        munmap(r->store, r->npages * u->page_size);
        free(r->page);
    }
    free(u);
}

int write_undo_add_range(WriteUndo *u, void *base, size_t len, Error **errp)
{
    WriteUndoRange *r;

    assert(!u->tracking);
    if (!len || (uintptr_t)base % u->page_size || len % u->page_size) {
        error_setg(errp, "write-undo: range %p+0x%zx is not aligned to the %zu-byte host page",
                   base, len, u->page_size);
        return -EINVAL;
    }
    if (u->nranges == WRITE_UNDO_MAX_RANGES) {
        error_setg(errp, "write-undo: more than %d ranges", WRITE_UNDO_MAX_RANGES);
        return -ENOSPC;
    }
    r = &u->ranges[u->nranges];
    r->store = mmap(NULL, len, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r->store == MAP_FAILED) {
        int err = errno;

        error_setg_errno(errp, err, "write-undo: cannot map a %zu-byte store", len);
        return -err;
    }
    r->base = base;
    r->npages = len / u->page_size;
    r->page = tern_malloc0(r->npages * sizeof(*r->page));
    r->nsaved = 0;
    __atomic_store_n(&u->nranges, u->nranges + 1, __ATOMIC_RELEASE);
    return 0;
}

static int write_undo_cmp_page(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* Protect r's saved pages again, one mprotect per run of adjacent pages,
 * and forget them. */
static void write_undo_reprotect(WriteUndo *u, WriteUndoRange *r)
{
    size_t n = r->nsaved, ps = u->page_size;

    qsort(r->page, n, sizeof(*r->page), write_undo_cmp_page);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;

        while (j < n && r->page[j] == r->page[j - 1] + 1) {
            j++;
        }
        write_undo_protect(r->base + r->page[i] * ps, (j - i) * ps, PROT_READ);
        i = j;
    }
    __atomic_store_n(&r->nsaved, 0, __ATOMIC_RELAXED);
}

void write_undo_begin(WriteUndo *u)
{
    if (!u->tracking) {
        __atomic_store_n(&u->tracking, true, __ATOMIC_RELAXED);
        for (int i = 0; i < u->nranges; i++) {
            WriteUndoRange *r = &u->ranges[i];

            r->nsaved = 0;
            write_undo_protect(r->base, r->npages * u->page_size, PROT_READ);
        }
        return;
    }
    for (int i = 0; i < u->nranges; i++) {
        write_undo_reprotect(u, &u->ranges[i]);
    }
}

void write_undo_restore(WriteUndo *u)
{
    for (int i = 0; i < u->nranges; i++) {
        WriteUndoRange *r = &u->ranges[i];

        /* saved pages are writable until write_undo_begin protects them */
        for (size_t s = 0; s < r->nsaved; s++) {
            memcpy(r->base + r->page[s] * u->page_size, r->store + s * u->page_size,
                   u->page_size);
        }
    }
    write_undo_begin(u);
}

void write_undo_stop(WriteUndo *u)
{
    if (!u->tracking) {
        return;
    }
    for (int i = 0; i < u->nranges; i++) {
        WriteUndoRange *r = &u->ranges[i];

        write_undo_protect(r->base, r->npages * u->page_size, PROT_READ | PROT_WRITE);
        r->nsaved = 0;
    }
    __atomic_store_n(&u->tracking, false, __ATOMIC_RELAXED);
}

size_t write_undo_pages(const WriteUndo *u)
{
    size_t n = 0;

    for (int i = 0; i < u->nranges; i++) {
        n += __atomic_load_n(&u->ranges[i].nsaved, __ATOMIC_RELAXED);
    }
    return n;
}

void write_undo_page(const WriteUndo *u, size_t n, unsigned *range, size_t *offset,
                     size_t *len)
{
    for (int i = 0; i < u->nranges; i++) {
        size_t saved = __atomic_load_n(&u->ranges[i].nsaved, __ATOMIC_RELAXED);

        if (n < saved) {
            *range = (unsigned)i;
            *offset = u->ranges[i].page[n] * u->page_size;
            *len = u->page_size;
            return;
        }
        n -= saved;
    }
    assert(!"write_undo_page: n out of range");
}
