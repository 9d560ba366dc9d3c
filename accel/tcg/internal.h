/*
 * internal.h: declarations shared by the files of the TCG execution engine
 * (accel/tcg) and by its unit test; nothing outside accel/ includes it.
 *
 *   tb-cache.c     the TB cache's data structures: the TranslationBlock pool,
 *                  the hash table, per-page lists, jump lists and the
 *                  host-address search.  Pure bookkeeping (no host code is
 *                  patched, no CPU is touched), so it is unit-tested alone.
 *   tb-maint.c     what acts on them: translation (tb_gen_code), chaining,
 *                  invalidation, flushing, state restore and unwinding.
 *   cputlb.c       the soft-MMU TLB: fill, flush, slow paths.
 *   cpu-exec.c     the execution loop.
 *   tcg-accel-ops.c  the AccelOps table and the vCPU threads.
 *   tcg-cpus.c     exclusive sections and per-vCPU asynchronous work.
 *   atomic.c       guest atomic read-modify-writes on host memory.
 *
 * Locking: one recursive "TB lock" (tb_cache_lock) guards every structure
 * in tb-cache.c and is held across a whole translation, so TBs are committed
 * in increasing code-buffer order.  Lock order: the machine lock (bql),
 * then the TB lock (interrupt delivery runs under bql and its stores may
 * invalidate TBs); nothing takes bql while holding the TB lock.  A longjmp
 * out of a translation (guest fault while fetching code) leaves the lock
 * held; cpu_exec calls tb_cache_lock_reset().  Resetting the code buffer
 * (tb_flush) also needs an exclusive section (tcg-cpus.c): no vCPU inside
 * cpu_exec.  The whole picture: docs/mttcg.md.
 */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "exec/translation-block.h"
#include "exec/exec-all.h"
#include "tcg/tlb.h"
#include "target-x86/cpu.h"
#include "accel/accel.h"

#include <pthread.h>

/* accel-private cflags bit: a one-instruction block generated after a
 * store modified the block it ran in; never cached, chained or looked up. */
#define CF_ONE_SHOT (1u << 31)
/* With CF_ONE_SHOT: at most this many instructions (0: one).  -icount's
 * partial block, when the budget left is short of a whole block's count. */
#define CF_COUNT_SHIFT 16
#define CF_COUNT_MASK (0x3ffu << CF_COUNT_SHIFT)
_Static_assert(TB_MAX_INSNS <= 0x3ff, "a block's count fits CF_COUNT_MASK");

/* -icount: every block counts its instructions (CF_USE_ICOUNT).  Set once
 * by tcg_accel_init, before any vCPU runs. */
extern bool tcg_use_icount;

/* ---- per-vCPU engine state (cs->accel) -------------------------------- */

typedef struct TCGVCPU {
    pthread_mutex_t lock;            /* guards the sleep and the work queue */
    pthread_cond_t cond;             /* signalled by vcpu_kick */
    struct TCGContext *ctx;          /* the thread's translator context */
    void *work;                      /* TCGWorkItem list; lock, read atomically */
    bool tlb_flush_pending;          /* atomic: a flush is queued as work */
    bool one_shot_next;              /* vCPU thread only: next block is CF_ONE_SHOT */
    bool icount_partial;             /* vCPU thread only: next block is the budget's
                                        rest (CF_COUNT_MASK) */
    bool running;                    /* atomic: inside cpu_exec (tcg-cpus.c) */
    bool has_waiter;                 /* tcg-cpus.c lock: counted by start_exclusive */
} TCGVCPU;

static inline TCGVCPU *tcg_vcpu(CPUState *cs)
{
    return (TCGVCPU *)cs->accel;
}

/* Allocate cs->accel if it is not there yet (board thread, before start). */
TCGVCPU *tcg_vcpu_get_or_create(CPUState *cs);
/* The RAM-write hook TCG installs (exec/memory.h): drops the code made
 * from RAM written behind the TLB's back. */
void tcg_ram_written(AddressSpace *as, uint64_t addr, uint64_t len);
/* Make cs leave translated code soon and wake it if it sleeps (any thread). */
void tcg_vcpu_kick(CPUState *cs);

/* Target glue: the only places accel/tcg learns where the TLB lives. */
static inline CPUTLB *cpu_tlb(CPUState *cs)
{
    return &cpu_env(cs)->tlb;
}

static inline CPUState *tcg_env_cpu(void *env)
{
    return env_cpu((CPUX86State *)env);
}

/* ---- tb-cache.c --------------------------------------------------------- */

void tb_cache_lock(void);
void tb_cache_unlock(void);
bool tb_cache_locked(void);                /* by the calling thread */
/* After a longjmp: release the TB lock as often as this thread holds it. */
void tb_cache_lock_reset(void);

/* The next free TB (zeroed), not yet counted: commit it once its host code
 * exists.  An uncommitted TB is simply reused by the next alloc. */
TranslationBlock *tb_cache_alloc(void);
void tb_cache_commit(TranslationBlock *tb);
/* Number of committed TBs and the i-th one (tc_ptr order). */
size_t tb_cache_count(void);
TranslationBlock *tb_cache_get(size_t i);
/* Bumped by every reset: TB pointers from an older generation are dead. */
unsigned tb_cache_generation(void);

/* Hash table on (phys pc, pc, cs_base, flags, cflags). */
TranslationBlock *tb_cache_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                  uint32_t flags, uint32_t cflags);
/* Insert into the hash table and the page lists of page_addr[0..1]. */
void tb_cache_insert(TranslationBlock *tb);
/* Mark invalid; drop from the hash table and the page lists. */
void tb_cache_remove(TranslationBlock *tb);

/* Does any valid TB hold code on this physical page? */
bool tb_cache_page_has_code(uint64_t paddr);
/* The same without the TB lock, for the TLB fill path: false means no
 * code for sure; true may be a false positive (another page in the same
 * filter bucket).  Ordering with concurrent inserts: see cputlb.c. */
bool tb_cache_page_may_have_code(uint64_t paddr);
/* Append to out every valid TB with guest code in the physical range
 * [start, end); returns how many were added. */
unsigned tb_cache_find_range(uint64_t start, uint64_t end, TranslationBlock **out,
                             unsigned max);

/* Chain bookkeeping: record that src's slot n jumps to dst.  False (and no
 * change) if the slot is taken, either TB is invalid or CF_NO_CHAIN. */
bool tb_jmp_link(TranslationBlock *src, int n, TranslationBlock *dst);
/* Forget every jump into dst, calling reset(src, n) for each. */
void tb_jmp_unlink_incoming(TranslationBlock *dst,
                            void (*reset)(TranslationBlock *src, int n));
/* Forget src's own outgoing jumps (drops src from its targets' lists). */
void tb_jmp_unlink_outgoing(TranslationBlock *src);

/* The committed TB whose host code contains addr, or NULL. */
TranslationBlock *tb_cache_find_by_host(uintptr_t addr);
/* Index of the guest instruction whose host code holds the byte before
 * retaddr (the call returning there), or -1. */
int tb_insn_index_at(const TranslationBlock *tb, uintptr_t retaddr);

/* Drop every TB: free the restore tables, empty the tables, new generation.
 * The caller resets the code buffer and the jump caches. */
void tb_cache_reset(void);

/* ---- tb-maint.c --------------------------------------------------------- */

TranslationBlock *tb_gen_code(CPUState *cs, uint64_t pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags);
/* Patch src's slot n to jump to dst (with -d exec logging). */
void tb_add_jump(TranslationBlock *src, int n, TranslationBlock *dst);
/* Invalidate every TB with code in guest-physical [start, end). */
void tb_invalidate_phys_range(uint64_t start, uint64_t end);
/* The same for a guest store at host address ra (TB lock held): returns
 * true if the store's own block (with more than one insn) was hit, so the
 * caller must not let that block continue. */
bool tb_invalidate_phys_range_for_store(uint64_t start, uint64_t end, uintptr_t ra);
/* Run a requested tb_flush now, if one is pending (vCPU thread cs or a
 * thread without a vCPU (NULL), outside generated code, no lock held):
 * in an exclusive section. */
void tb_flush_if_requested(CPUState *cs);
/* Flush now (TB lock held, no vCPU inside generated code). */
void tb_flush_locked(void);

/* ---- cputlb.c ----------------------------------------------------------- */

/* Guest-physical address of code at vaddr (filling the code TLB).  With
 * probe, returns -1 instead of raising a fault; ra = 0. */
int64_t tlb_get_code_paddr(CPUState *cs, uint64_t vaddr, int mmu_idx, bool probe);
/* Mark every TLB write entry of every vCPU that maps paddr's page as
 * NOTDIRTY (the page now holds translated code).  TB lock held. */
void tlb_protect_code(uint64_t paddr);
/* Ask cs to flush its TLB at its next block boundary (any thread; queued
 * as async work, at most one at a time). */
void tlb_flush_async(CPUState *cs);
/* For an atomic read-modify-write of size bytes at addr: the host address
 * when it is naturally aligned RAM without watchpoints (write permission
 * checked, faults via ra, code on the page invalidated); else NULL, with
 * *io set for device memory. */
void *tlb_vaddr_to_host_rmw(CPUState *cs, uint64_t addr, unsigned size, int mmu_idx,
                            uintptr_t ra, bool *io);
/* The flush all vCPUs need after a memory topology change. */
void tlb_register_memory_listener(AddressSpace *as);

/* ---- tcg-cpus.c ---------------------------------------------------------- */

/* The vCPU thread around cpu_exec: it may run translated code in between. */
void cpu_exec_start(CPUState *cs);
void cpu_exec_end(CPUState *cs);
bool cpu_exec_running(CPUState *cs);
/* Wait until no other vCPU is inside cpu_exec and keep them out until
 * end_exclusive.  Not running, without the machine lock or the TB lock. */
void start_exclusive(void);
void end_exclusive(void);
/* The same from a vCPU thread that may be inside cpu_exec (it leaves and
 * re-enters around the section). */
void cpu_exec_exclusive_begin(CPUState *cs);
void cpu_exec_exclusive_end(CPUState *cs);
/* After a longjmp: end the section this thread may have left open. */
void cpu_exec_exclusive_reset(CPUState *cs);

/* CPUs that run translated code but are in no machine's CPU list (the
 * compare engine's shadow, run by a listed vCPU's thread): added once,
 * before they run.  tcg_cpus_count/get cover the listed ones, then these,
 * for what must reach every TLB and jump cache (flush, invalidation). */
void tcg_add_private_cpu(CPUState *cs);
unsigned tcg_cpus_count(void);
CPUState *tcg_cpus_get(unsigned index);

/* Run fn(cs, data) on cs's own thread at its next block boundary or before
 * it sleeps (now, if called there or cs has no thread).  Any thread. */
void async_run_on_cpu(CPUState *cs, void (*fn)(CPUState *cs, void *data), void *data);
bool tcg_cpu_has_pending_work(CPUState *cs);
/* Run the queued work (cs's thread, outside translated code). */
void tcg_cpu_run_work(CPUState *cs);

/* ---- watchpoint.c -------------------------------------------------------- */

/* After the one-instruction block started for a hit (cs->wp.trap): raise
 * what it recorded, as a trap (insn_pc: that instruction's linear pc). */
void cpu_watchpoint_report(CPUState *cs, uint64_t insn_pc);
/* The restarted instruction faulted: forget its hits. */
void cpu_watchpoint_cancel(CPUState *cs);

/* ---- tcg-debug.c: AccelOps' debugger entries (accel/accel.h) ------------ */

int tcg_insert_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr, uint64_t len);
int tcg_remove_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr, uint64_t len);
void tcg_remove_all_breakpoints(CPUState *cs);
void tcg_set_singlestep(CPUState *cs, bool on);

/* ---- cpu-exec.c --------------------------------------------------------- */

/* Run cs until it must leave: returns EXCP_INTERRUPT, EXCP_HLT, EXCP_DEBUG
 * or EXCP_HALTED (halted with nothing to do). */
int cpu_exec(CPUState *cs);

/* Should a halted vCPU wake up (a deliverable interrupt is pending)? */
bool tcg_cpu_has_work(CPUState *cs);
/* Clear cs's jump cache. */
void tcg_jmp_cache_clear(CPUState *cs);
/* Drop the jump cache entries of blocks that may cover vaddr's page. */
void tcg_jmp_cache_clear_page(CPUState *cs, uint64_t vaddr);
/* Drop the entries not tagged TB_JMP_CACHE_GLOBAL (a CR3 write). */
void tcg_jmp_cache_clear_nonglobal(CPUState *cs);
/* Is vaddr's page in cs's TLB for code, installed global? (no fill) */
bool tlb_code_page_global(CPUState *cs, uint64_t vaddr, int mmu_idx);

#endif
