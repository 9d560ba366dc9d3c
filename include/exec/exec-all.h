/*
 * exec-all.h: the services the TCG execution engine (accel/tcg) offers to a
 * target's helpers and MMU code.  Declared here, below the target in the
 * layering, and implemented by accel/tcg, the top layer, which links them.
 *
 * Unwinding: a helper that raises a guest exception sets
 * cs->exception_index and calls cpu_loop_exit_restore(cs, GETPC()), which
 * restores the guest pc/cc state of the faulting instruction from the
 * block's restore table and longjmps back to the exec loop.
 */
#ifndef EXEC_EXEC_ALL_H
#define EXEC_EXEC_ALL_H

#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "tcg/tcg.h"

/* The host return address inside generated code, for helpers.  The
 * interpreter (tcg/tci) calls helpers from C, so it publishes the bytecode
 * address after the call instead; GETPC_RESET forgets it once the helper
 * leaves by cpu_loop_exit, so that code outside a block reads 0. */
#ifdef CONFIG_TCG_INTERPRETER
#define GETPC() tci_retaddr
#define GETPC_RESET() (tci_retaddr = 0)
#else
#define GETPC() ((uintptr_t)__builtin_return_address(0))
#define GETPC_RESET() ((void)0)
#endif

typedef enum MMUAccessType {
    MMU_DATA_LOAD  = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

/* Page protection bits (tlb_set_page prot); PAGE_GLOBAL: the entry
 * survives tlb_flush_nonglobal (x86 global pages) */
enum { PAGE_READ = 1, PAGE_WRITE = 2, PAGE_EXEC = 4, PAGE_GLOBAL = 8 };

TERN_NORETURN void cpu_loop_exit(CPUState *cs);
/* Restore the guest state of the instruction at host address retaddr
 * (0: state is already precise), then cpu_loop_exit. */
TERN_NORETURN void cpu_loop_exit_restore(CPUState *cs, uintptr_t retaddr);
/* Restore state only (the block is not left: -icount's budget stays);
 * returns false if retaddr is not in generated code. */
bool cpu_restore_state(CPUState *cs, uintptr_t retaddr);
/* cs->io_alone: a device access from a block of more than one instruction
 * unwinds to redo the instruction alone; returns if the block is just it. */
void cpu_io_alone(CPUState *cs, uintptr_t retaddr);

/* For the translator: leave the block for the block at guest pc (virtual,
 * cs_base included), probing the jump cache inline for one with tb's key,
 * else through helper_lookup_tb_ptr (accel/tcg/cpu-exec.c).  Only when no
 * instruction of tb changed its key; jmp_cache_off: CPUState's
 * tb_jmp_cache relative to env. */
void tb_gen_lookup_and_goto(TCGv_i64 pc, const TranslationBlock *tb, intptr_t jmp_cache_off);

/* Install a translation: vaddr's page -> paddr's page with prot. */
void tlb_set_page(CPUState *cs, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx);
/* The same for the 4 KiB piece at vaddr of a mapping of size bytes (a
 * large page), which INVLPG anywhere in it drops whole. */
void tlb_set_page_sized(CPUState *cs, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                        uint64_t size);
/* Flush cs's TLB; from another thread than cs's own, at cs's next block
 * boundary (queued), as no thread writes another's TLB. */
void tlb_flush(CPUState *cs);
/* Flush every entry not installed with PAGE_GLOBAL. */
void tlb_flush_nonglobal(CPUState *cs);
/* Flush vaddr's page in every MMU index, global or not. */
void tlb_flush_page(CPUState *cs, uint64_t vaddr);

/* Guest memory from helpers, through the TLB; faults unwind via ra. */
uint64_t cpu_ld_data_ra(CPUState *cs, uint64_t addr, MemOp op, int mmu_idx, uintptr_t ra);
void cpu_st_data_ra(CPUState *cs, uint64_t addr, uint64_t val, MemOp op, int mmu_idx,
                    uintptr_t ra);
/* Fault now, as a store of size bytes at addr would (both pages of a
 * page-crossing store), without storing: for stores done in pieces. */
void probe_write(CPUState *cs, uint64_t addr, unsigned size, int mmu_idx, uintptr_t ra);
/* Guest atomics (accel/tcg/atomic.c): compare-and-swap of the size in op
 * at addr, atomic against every vCPU; returns the value found (the swap
 * happened iff it equals old).  Faults as a store would, via ra. */
uint64_t cpu_atomic_cmpxchg(CPUState *cs, uint64_t addr, uint64_t old, uint64_t new,
                            MemOp op, int mmu_idx, uintptr_t ra);
/* The same for 16 bytes (addr 16-aligned): true if *lo:*hi matched and
 * nlo:nhi was stored; *lo:*hi become the value found. */
bool cpu_atomic_cmpxchg16(CPUState *cs, uint64_t addr, uint64_t *lo, uint64_t *hi,
                          uint64_t nlo, uint64_t nhi, int mmu_idx, uintptr_t ra);
/* Guest code bytes for the translator (may fault with ra = 0). */
uint64_t cpu_ld_code(CPUState *cs, uint64_t addr, MemOp op, int mmu_idx);

/* Drop every translated block (e.g. after a mode change that affects
 * translation in a way the TB flags do not capture). */
void tb_flush(CPUState *cs);

#endif
