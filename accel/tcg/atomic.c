/*
 * atomic.c: guest atomic read-modify-writes for multi-threaded TCG.
 *
 * The translator emits a LOCKed read-modify-write (and XCHG with memory) as
 * its ordinary load and computation, then, instead of the store, a
 * compare-and-swap of (loaded value -> new value): target-x86's atomic
 * helpers call cpu_atomic_cmpxchg.  If another vCPU changed the location in
 * between, the CAS fails and the helper re-runs the instruction from its
 * start (cpu_loop_exit_restore), as a fault would; the flags and registers
 * are only written after the store, so nothing is half done.
 *
 * Paths:
 *   host      naturally aligned RAM: a host CAS (include/exec/host-atomic.h)
 *             on the address the TLB gives for a write (faults as a store
 *             would; translated code on the page is invalidated first).
 *   io        MMIO: load, compare and store under the machine lock, which
 *             serialises every device access.
 *   world     unaligned (split) accesses, watched pages: stop the world
 *             (cpu_exec_exclusive_begin), load, compare, store, restart it.
 *             QEMU does the same for what its host cannot do atomically.
 * In the last two, the fault checks (probe_write) come before the lock or
 * the section; a longjmp out of them is undone by cpu_exec (bql unlock,
 * cpu_exec_exclusive_reset).
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "exec/host-atomic.h"
#include "accel/tcg/internal.h"

static uint64_t size_mask(unsigned size)
{
    return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t cpu_atomic_cmpxchg(CPUState *cs, uint64_t addr, uint64_t old, uint64_t new,
                            MemOp op, int mmu_idx, uintptr_t ra)
{
    unsigned size = 1u << (op & MO_SIZE);
    bool io;
    void *host = tlb_vaddr_to_host_rmw(cs, addr, size, mmu_idx, ra, &io);
    uint64_t cur;

    if (likely(host)) {
        return host_atomic_cmpxchg(host, size, old, new);
    }
    probe_write(cs, addr, size, mmu_idx, ra);
    bool took = false;

    if (io) {
        took = bql_lock_unless_held();   /* held: a compare interval */
    } else {
        cpu_exec_exclusive_begin(cs);
    }
    cur = cpu_ld_data_ra(cs, addr, op & MO_SIZE, mmu_idx, ra);
    if (cur == (old & size_mask(size))) {
        cpu_st_data_ra(cs, addr, new, op & MO_SIZE, mmu_idx, ra);
    }
    if (io) {
        if (took) {
            bql_unlock();
        }
    } else {
        cpu_exec_exclusive_end(cs);
    }
    return cur;
}

bool cpu_atomic_cmpxchg16(CPUState *cs, uint64_t addr, uint64_t *lo, uint64_t *hi,
                          uint64_t nlo, uint64_t nhi, int mmu_idx, uintptr_t ra)
{
    bool io, eq;
    void *host = tlb_vaddr_to_host_rmw(cs, addr, 16, mmu_idx, ra, &io);
    uint64_t clo, chi;

    if (likely(host)) {
        return host_atomic_cmpxchg16(host, lo, hi, nlo, nhi);
    }
    probe_write(cs, addr, 16, mmu_idx, ra);
    bool took = false;

    if (io) {
        took = bql_lock_unless_held();   /* held: a compare interval */
    } else {
        cpu_exec_exclusive_begin(cs);
    }
    clo = cpu_ld_data_ra(cs, addr, MO_64, mmu_idx, ra);
    chi = cpu_ld_data_ra(cs, addr + 8, MO_64, mmu_idx, ra);
    eq = clo == *lo && chi == *hi;
    if (eq) {
        cpu_st_data_ra(cs, addr, nlo, MO_64, mmu_idx, ra);
        cpu_st_data_ra(cs, addr + 8, nhi, MO_64, mmu_idx, ra);
    }
    if (io) {
        if (took) {
            bql_unlock();
        }
    } else {
        cpu_exec_exclusive_end(cs);
    }
    *lo = clo;
    *hi = chi;
    return eq;
}
