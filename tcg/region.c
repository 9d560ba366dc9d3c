/*
 * region.c: the translation cache's code buffer.
 *
 * One buffer per process (default 64 MiB), W^X: shared memory is mapped
 * twice, read-write (where the back end writes) and read-execute (where code
 * runs), so no page is ever writable and executable at once.
 * tcg_splitwx_diff is rx - rw.  If that fails (qemu-user refuses mremap with
 * old size 0), one private mapping that is both writable and executable;
 * only if that is refused too (an execmem policy), one whose pages are
 * flipped with mprotect around each write (only safe while no other thread
 * runs code on the pages being written: a block's first page may end
 * another block that a vCPU is running, so not for -smp).  Without the
 * dual mapping tcg_splitwx_diff is 0.
 *
 * Layout: [prologue/epilogue | blocks ...]; tcg_region_reset drops the
 * blocks and keeps the prologue.
 * Locking: region_lock is held from tcg_region_begin to tcg_region_end, so
 * one thread at a time emits code; tcg_region_reset must only be called
 * when no thread runs generated code (tb_flush's exclusive section).
 */
#include "util/osdep.h"
#include "tcg/tcg-internal.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#define TCG_DEFAULT_CODE_SIZE (64u << 20)
#define TCG_BLOCK_ALIGN 16

intptr_t tcg_splitwx_diff;

static struct {
    pthread_mutex_t lock;
    uint8_t *rw;             /* start of the RW view */
    size_t size;
    size_t prologue_size;    /* bytes kept across resets */
    size_t used;             /* bytes in use, including the prologue */
    bool split;              /* dual mapping */
    bool rwx;                /* else one writable and executable mapping
                                (else mprotect toggling) */
} region = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t region_page_size(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    return ps > 0 ? (size_t)ps : 4096;
}

/* Shared anonymous memory, and a second view of it from mremap with old
 * size 0 (which duplicates a shared mapping).  Unlike a memfd, both views
 * show as "/dev/zero" in /proc/PID/maps, which perf(1) treats as anonymous
 * JIT memory and names from -perfmap's /tmp/perf-PID.map. */
static int region_map_split(size_t size)
{
    void *rw, *rx;

    rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rw == MAP_FAILED) {
        return -errno;
    }
    rx = mremap(rw, 0, size, MREMAP_MAYMOVE);
    if (rx == MAP_FAILED || mprotect(rx, size, PROT_READ | PROT_EXEC) < 0) {
        int err = -errno;
        if (rx != MAP_FAILED) {
            munmap(rx, size);
        }
        munmap(rw, size);
        return err;
    }
    region.rw = rw;
    region.split = true;
    tcg_splitwx_diff = (uint8_t *)rx - (uint8_t *)rw;
    return 0;
}

int tcg_region_init(size_t size, Error **errp)
{
    size_t ps = region_page_size();
    int ret;

    size = ROUND_UP(size ? size : TCG_DEFAULT_CODE_SIZE, ps);
    region.size = size;
    ret = region_map_split(size);
    if (ret < 0) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        region.rwx = p != MAP_FAILED;
        if (!region.rwx) {
            p = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        }
        if (p == MAP_FAILED) {
            error_setg_errno(errp, errno, "cannot allocate the %zu-byte code buffer", size);
            return -errno;
        }
        region.rw = p;
        region.split = false;
        tcg_splitwx_diff = 0;
    }
    region.used = 0;
    region.prologue_size = 0;
    return 0;
}

void tcg_region_make_writable(void *rw, size_t len)
{
    if (!region.split && !region.rwx) {
        uintptr_t ps = region_page_size();
        uintptr_t a = (uintptr_t)rw & ~(ps - 1);
        uintptr_t e = ROUND_UP((uintptr_t)rw + len, ps);
        int r = mprotect((void *)a, e - a, PROT_READ | PROT_WRITE);
        assert(r == 0);
        (void)r;
    }
}

void tcg_region_make_executable(void *rw, size_t len)
{
    if (!region.split && !region.rwx) {
        uintptr_t ps = region_page_size();
        uintptr_t a = (uintptr_t)rw & ~(ps - 1);
        uintptr_t e = ROUND_UP((uintptr_t)rw + len, ps);
        int r = mprotect((void *)a, e - a, PROT_READ | PROT_EXEC);
        assert(r == 0);
        (void)r;
    }
}

void tcg_region_begin(uint8_t **start, uint8_t **end)
{
    size_t off;

    pthread_mutex_lock(&region.lock);
    off = ROUND_UP(region.used, (size_t)TCG_BLOCK_ALIGN);
    if (off > region.size) {
        off = region.size;
    }
    *start = region.rw + off;
    *end = region.rw + region.size;
    tcg_region_make_writable(*start, region.size - off);
}

void tcg_region_end(size_t used)
{
    size_t off = ROUND_UP(region.used, (size_t)TCG_BLOCK_ALIGN);

    if (off <= region.size) {
        tcg_region_make_executable(region.rw + off, region.size - off);
        if (used) {
            region.used = off + used;
        }
    }
    pthread_mutex_unlock(&region.lock);
}

/* Hosts whose instruction fetch does not see data writes (AArch64):
 * write back the data cache for the RW view and invalidate the
 * instruction cache for the RX view.  Nothing on x86, where the builtin
 * emits no code. */
void tcg_region_flush_icache(const void *rw, size_t len)
{
    const char *rx = tcg_rw_to_rx(rw);

    if (tcg_splitwx_diff) {
        __builtin___clear_cache((char *)rw, (char *)rw + len);
    }
    __builtin___clear_cache((char *)rx, (char *)rx + len);
}

void tcg_region_patch32(void *rw, uint32_t val)
{
    if (region.split || region.rwx) {
        __atomic_store_n((uint32_t *)rw, val, __ATOMIC_SEQ_CST);
        tcg_region_flush_icache(rw, 4);
        return;
    }
    pthread_mutex_lock(&region.lock);
    tcg_region_make_writable(rw, 4);
    __atomic_store_n((uint32_t *)rw, val, __ATOMIC_SEQ_CST);
    tcg_region_make_executable(rw, 4);
    tcg_region_flush_icache(rw, 4);
    pthread_mutex_unlock(&region.lock);
}

void tcg_region_commit_prologue(size_t used)
{
    region.prologue_size = ROUND_UP(used, (size_t)TCG_BLOCK_ALIGN);
    region.used = region.prologue_size;
}

void tcg_region_reset(void)
{
    pthread_mutex_lock(&region.lock);
    region.used = region.prologue_size;
    pthread_mutex_unlock(&region.lock);
}

size_t tcg_code_size(void)
{
    return region.used;
}

size_t tcg_code_capacity(void)
{
    return region.size;
}
