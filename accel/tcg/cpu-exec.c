/*
 * cpu-exec.c: the TCG execution loop.
 *
 * cpu_exec runs translated blocks for one vCPU until something needs the
 * vCPU thread: an exception or halt, an exit request (kick, shutdown,
 * deferred flush), or a debug stop.  Around each block it:
 *   - delivers a pending guest exception (cs->exception_index < 256) or
 *     returns the EXCP_* code to the thread loop;
 *   - takes deliverable interrupts (x86_cpu_exec_interrupt) and honours
 *     exit_request, clearing it once handled;
 *   - finds the next block: the per-vCPU jump cache by virtual pc, then the
 *     TB hash table by physical pc, else translates it;
 *   - chains the previous block's goto_tb slot to it when that block left
 *     through an unchained slot (TB_EXIT_IDX0/1).
 * Generated code returns (last TB | exit code); TB_EXIT_REQUESTED means the
 * block's entry check saw exit_request, so rip is the block's start.
 * TB_EXIT_ICOUNT_EXPIRED (-icount) likewise, for a budget short of the
 * block's count: the rest of the budget runs as a block cut to it, and an
 * empty budget leaves cpu_exec (EXCP_INTERRUPT) for the virtual timers.
 *
 * Unwinding: cpu_loop_exit longjmps to the sigsetjmp in cpu_exec_setjmp.
 * Locals that live across it are re-read afterwards; the TB lock, the
 * machine lock and an exclusive section (atomic.c's serialised path), which
 * a longjmp may leave held, are released there.
 *
 * Several vCPU threads run cpu_exec at once (tcg-cpus.c: each is marked
 * running between cpu_exec_start and cpu_exec_end).  At each block boundary
 * a vCPU runs its queued asynchronous work (e.g. a TLB flush another thread
 * asked for) and a requested tb_flush, which stops the world first.
 *
 * Locking: x86_cpu_exec_interrupt (which acknowledges the interrupt
 * controller) and x86_cpu_do_interrupt run under the machine lock, as in
 * QEMU; generated code runs without it.  The jump cache is written by its
 * own vCPU thread; other threads only clear entries (atomically).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/runstate.h"
#include "tcg/tcg.h"
#include "tcg/tcg-runtime.h"
#include "accel/tcg/internal.h"

/* ---- helpers ------------------------------------------------------------- */

bool tcg_cpu_has_work(CPUState *cs)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    if (req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI | CPU_INTERRUPT_RESET)) {
        return true;
    }
    if ((req & CPU_INTERRUPT_NMI) && !cpu_env(cs)->nmi_blocked) {
        return true;    /* a blocked NMI stays pending until IRET */
    }
    return (req & CPU_INTERRUPT_HARD) && (cpu_env(cs)->eflags & IF_MASK);
}

/* Clear group g's entries, or only the untagged ones. */
static void jmp_cache_clear_group(CPUState *cs, unsigned g, bool keep_global)
{
    TranslationBlock **e = &cs->tb_jmp_cache[g << TB_JMP_SLOT_BITS];

    for (unsigned i = 0; i < 1u << TB_JMP_SLOT_BITS; i++) {
        uintptr_t v = (uintptr_t)__atomic_load_n(&e[i], __ATOMIC_RELAXED);

        if (v && !(keep_global && (v & TB_JMP_CACHE_GLOBAL))) {
            __atomic_store_n(&e[i], NULL, __ATOMIC_RELAXED);
        }
    }
}

/* Set group g's bit; the locked OR only when it is not set yet. */
static void jmp_cache_mark(uint64_t *bits, unsigned g)
{
    if (!(__atomic_load_n(bits, __ATOMIC_RELAXED) & (1ull << g))) {
        __atomic_fetch_or(bits, 1ull << g, __ATOMIC_RELAXED);
    }
}

/* tb starts at pc; tag it when its code is on global pages (cpu.h). */
static void jmp_cache_insert(CPUState *cs, uint64_t pc, TranslationBlock *tb)
{
    int mmu_idx = x86_cpu_mmu_index(cpu_env(cs));
    uintptr_t v = (uintptr_t)tb;

    if (tlb_code_page_global(cs, pc, mmu_idx) &&
        tlb_code_page_global(cs, pc + (tb->size ? tb->size - 1 : 0), mmu_idx)) {
        v |= TB_JMP_CACHE_GLOBAL;
    }
    __atomic_store_n(&cs->tb_jmp_cache[tb_jmp_cache_hash(pc)], (TranslationBlock *)v,
                     __ATOMIC_RELAXED);
    jmp_cache_mark(&cs->tb_jmp_cache_used, tb_jmp_cache_group(pc));
    if (!(v & TB_JMP_CACHE_GLOBAL)) {
        jmp_cache_mark(&cs->tb_jmp_cache_local, tb_jmp_cache_group(pc));
    }
}

/* Clear the groups of the bit set (a few: the pages of code run). */
static void jmp_cache_clear_groups(CPUState *cs, uint64_t groups, bool keep_global)
{
    while (groups) {
        jmp_cache_clear_group(cs, (unsigned)__builtin_ctzll(groups), keep_global);
        groups &= groups - 1;
    }
}

void tcg_jmp_cache_clear(CPUState *cs)
{
    __atomic_store_n(&cs->tb_jmp_cache_local, 0, __ATOMIC_RELAXED);
    jmp_cache_clear_groups(cs, __atomic_exchange_n(&cs->tb_jmp_cache_used, 0, __ATOMIC_RELAXED),
                           false);
}

/* A CR3 write: the untagged entries, in the groups that have some (user
 * code); the kernel's global ones stay, as its global TLB entries do. */
void tcg_jmp_cache_clear_nonglobal(CPUState *cs)
{
    jmp_cache_clear_groups(cs, __atomic_exchange_n(&cs->tb_jmp_cache_local, 0, __ATOMIC_RELAXED),
                           true);
}

/* The blocks that start in vaddr's page or the one before (which may run
 * into it): two groups (tb_jmp_cache_hash). */
void tcg_jmp_cache_clear_page(CPUState *cs, uint64_t vaddr)
{
    jmp_cache_clear_group(cs, tb_jmp_cache_group(vaddr), false);
    jmp_cache_clear_group(cs, tb_jmp_cache_group(vaddr - ((uint64_t)1 << TB_JMP_PAGE_SHIFT)),
                          false);
}

/* -d nochain: blocks end with an exit to this loop, never a chained jump
 * or a lookup_and_goto_ptr, so exec and cpu see every block. */
static uint32_t curr_cflags(CPUState *cs)
{
    return (cs->singlestep ? CF_SINGLE_STEP : 0) | (log_enabled(LOG_NOCHAIN) ? CF_NO_CHAIN : 0) |
           (cs->shadow ? CF_SHADOW : 0) | (tcg_use_icount ? CF_USE_ICOUNT : 0);
}

/* The cached block for this key, or NULL.  Never faults. */
static TranslationBlock *tb_lookup(CPUState *cs, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags)
{
    unsigned h = tb_jmp_cache_hash(pc);
    TranslationBlock *tb = (TranslationBlock *)((uintptr_t)__atomic_load_n(
        &cs->tb_jmp_cache[h], __ATOMIC_RELAXED) & ~TB_JMP_CACHE_GLOBAL);
    int64_t phys_pc;

    if (tb && !tb->invalid && tb->pc == pc && tb->cs_base == cs_base &&
        tb->flags == flags && tb->cflags == cflags) {
        return tb;
    }
    phys_pc = tlb_get_code_paddr(cs, pc, x86_cpu_mmu_index(cpu_env(cs)), true);
    if (phys_pc < 0) {
        return NULL;   /* tb_gen_code will raise the fault */
    }
    tb = tb_cache_lookup((uint64_t)phys_pc, pc, cs_base, flags, cflags);
    if (tb) {
        jmp_cache_insert(cs, pc, tb);
    }
    return tb;
}

/* -d exec and -d cpu: the block about to run, and the state it starts in. */
static void log_cpu_exec(CPUState *cs, const TranslationBlock *tb)
{
    FILE *f;

    if (!log_enabled_pc(LOG_EXEC | LOG_CPU, tb->pc)) {
        return;
    }
    f = log_lock();
    if (log_enabled(LOG_EXEC)) {
        fprintf(f, "Trace %d: %p [%016" PRIx64 "/%016" PRIx64 "/0x%08x] \n",
                cs->cpu_index, tb->tc_ptr, tb->pc, tb->cs_base, tb->flags);
    }
    if (log_enabled(LOG_CPU)) {
        x86_cpu_dump_state(cs, f);
    }
    log_unlock();
}

/* lookup_and_goto_ptr: the next block's code, or back to cpu_exec. */
const void *helper_lookup_tb_ptr(void *env_ptr)
{
    CPUX86State *env = env_ptr;
    CPUState *cs = env_cpu(env);
    TCGVCPU *v = tcg_vcpu(cs);
    TranslationBlock *tb;
    uint64_t pc, cs_base;
    uint32_t flags;

    if (__atomic_load_n(&cs->exit_request, __ATOMIC_ACQUIRE) || tcg_cpu_has_work(cs) ||
        (v && v->one_shot_next)) {
        return tcg_code_gen_epilogue;
    }
    x86_get_tb_cpu_state(env, &pc, &cs_base, &flags);
    tb = tb_lookup(cs, pc, cs_base, flags, curr_cflags(cs));
    if (!tb) {
        return tcg_code_gen_epilogue;
    }
    log_cpu_exec(cs, tb);
    return tb->tc_ptr;
}

/*
 * The same lookup as helper_lookup_tb_ptr, emitted inline for a block's
 * direct successor across a page or an indirect jump (ret, jmp/call
 * through a register): probe pc's jump cache entry and, when it holds a
 * valid block with this block's key (cs_base, flags, cflags), jump
 * straight to its code; otherwise call the helper.  Only for a block whose
 * key is still the CPU's at its end (no instruction in it changed a flag
 * bit: those end their blocks through the exec loop) and that may chain.
 * The helper's exit_request and interrupt checks are not needed: the next
 * block's entry looks at exit_request, which cpu_interrupt sets.
 * jmp_cache_off: offset of CPUState's tb_jmp_cache from env.
 */
void tb_gen_lookup_and_goto(TCGv_i64 pc, const TranslationBlock *tb, intptr_t jmp_cache_off)
{
    TCGLabel *slow = gen_new_label();
    TCGv_i64 idx = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    TCGv_i64 cand = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    uint64_t key;

    /* idx = tb_jmp_cache_hash(pc) * sizeof(pointer): the group (page
     * number bits) above the slot, each shifted into place */
    _Static_assert(TB_JMP_PAGE_SHIFT > TB_JMP_SLOT_BITS + 3, "one right shift");
    tcg_gen_shri_i64(idx, pc, TB_JMP_PAGE_SHIFT - TB_JMP_SLOT_BITS - 3);
    tcg_gen_andi_i64(idx, idx, ((1 << TB_JMP_GROUP_BITS) - 1) << (TB_JMP_SLOT_BITS + 3));
    tcg_gen_shri_i64(t, pc, TB_JMP_SLOT_BITS);
    tcg_gen_xor_i64(t, t, pc);
    tcg_gen_andi_i64(t, t, (1 << TB_JMP_SLOT_BITS) - 1);
    tcg_gen_shli_i64(t, t, 3);
    tcg_gen_or_i64(idx, idx, t);
    tcg_gen_add_i64(idx, idx, tcg_env);
    tcg_gen_ld_i64(cand, idx, jmp_cache_off);
    tcg_gen_andi_i64(cand, cand, ~(int64_t)TB_JMP_CACHE_GLOBAL);
    tcg_gen_brcondi_i64(TCG_COND_EQ, cand, 0, slow);
    tcg_gen_ld_i64(v, cand, offsetof(TranslationBlock, pc));
    tcg_gen_brcond_i64(TCG_COND_NE, v, pc, slow);
    tcg_gen_ld_i64(v, cand, offsetof(TranslationBlock, cs_base));
    tcg_gen_brcond_i64(TCG_COND_NE, v, tcg_constant_i64((int64_t)tb->cs_base), slow);
    /* flags and cflags, one 64-bit compare */
    _Static_assert(offsetof(TranslationBlock, cflags) == offsetof(TranslationBlock, flags) + 4,
                   "flags and cflags are adjacent");
    tcg_gen_ld_i64(v, cand, offsetof(TranslationBlock, flags));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    key = tb->flags | (uint64_t)tb->cflags << 32;
#else
    key = (uint64_t)tb->flags << 32 | tb->cflags;
#endif
    tcg_gen_brcond_i64(TCG_COND_NE, v, tcg_constant_i64((int64_t)key), slow);
    tcg_gen_ld8u_i64(v, cand, offsetof(TranslationBlock, invalid));
    tcg_gen_brcondi_i64(TCG_COND_NE, v, 0, slow);
    tcg_gen_ld_i64(v, cand, offsetof(TranslationBlock, tc_ptr));
    tcg_gen_goto_ptr(v);
    gen_set_label(slow);
    tcg_gen_lookup_and_goto_ptr();
}

/* ---- exceptions and interrupts ------------------------------------------- */

/* True: leave cpu_exec with *ret.  Guest vectors are delivered here. */
static bool cpu_handle_exception(CPUState *cs, int *ret)
{
    int excp = cs->exception_index;

    if (excp < 0) {
        return false;
    }
    if (excp >= EXCP_INTERRUPT) {
        if (excp == EXCP_HLT) {
            cs->halted = true;
        }
        cs->exception_index = EXCP_NONE;
        *ret = excp;
        return true;
    }
    bool took = bql_lock_unless_held();   /* held: a compare interval */

    x86_cpu_do_interrupt(cs);
    if (took) {
        bql_unlock();
    }
    cs->exception_index = EXCP_NONE;
    if (unlikely(cs->step_events)) {
        *ret = EXCP_DEBUG;          /* the step was this exception */
        return true;
    }
    return false;
}

/* True: leave the block loop (the caller looks at exception_index). */
static bool cpu_handle_interrupt(CPUState *cs, TranslationBlock **last_tb)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    /* a masked interrupt (IF=0) stays pending without taking the lock */
    if (unlikely(req) && tcg_cpu_has_work(cs)) {
        bool taken, took = bql_lock_unless_held();

        taken = x86_cpu_exec_interrupt(cs, req);
        if (took) {
            bql_unlock();
        }
        if (taken) {
            /* control flow changed: do not chain the previous block */
            cs->exception_index = EXCP_NONE;
            *last_tb = NULL;
            if (unlikely(cs->step_events)) {
                cs->exception_index = EXCP_DEBUG;   /* the step was this interrupt */
                return true;
            }
        }
    }
    if (unlikely(__atomic_load_n(&cs->exit_request, __ATOMIC_ACQUIRE))) {
        __atomic_store_n(&cs->exit_request, 0, __ATOMIC_RELEASE);
        if (cs->exception_index == EXCP_NONE) {
            cs->exception_index = EXCP_INTERRUPT;
        }
        return true;
    }
    return false;
}

/* ---- the block loop ------------------------------------------------------ */

static void cpu_exec_block_loop(CPUState *cs)
{
    CPUX86State *env = cpu_env(cs);
    TCGVCPU *v = tcg_vcpu_get_or_create(cs);
    TranslationBlock *last_tb = NULL;
    unsigned last_gen = tb_cache_generation();
    int tb_exit = 0;

    while (!cpu_handle_interrupt(cs, &last_tb)) {
        uint32_t cflags = curr_cflags(cs);
        TranslationBlock *tb;
        uint64_t pc, cs_base;
        uint32_t flags;
        uintptr_t ret;

        tcg_cpu_run_work(cs);
        tb_flush_if_requested(cs);
        x86_get_tb_cpu_state(env, &pc, &cs_base, &flags);

        if (unlikely(v->one_shot_next)) {
            v->one_shot_next = false;
            tb = tb_gen_code(cs, pc, cs_base, flags, cflags | CF_ONE_SHOT | CF_NO_CHAIN);
            last_tb = NULL;
        } else if (unlikely(v->icount_partial)) {
            /* what is left of the budget: fewer than the block's count */
            uint32_t n = (uint32_t)MIN(cs->icount_budget, TB_MAX_INSNS);

            v->icount_partial = false;
            tb = tb_gen_code(cs, pc, cs_base, flags,
                             cflags | CF_ONE_SHOT | CF_NO_CHAIN | n << CF_COUNT_SHIFT);
            last_tb = NULL;
        } else {
            tb = tb_lookup(cs, pc, cs_base, flags, cflags);
            if (!tb) {
                tb = tb_gen_code(cs, pc, cs_base, flags, cflags);
                jmp_cache_insert(cs, pc, tb);
            }
        }
        if (tb_cache_generation() != last_gen) {
            last_tb = NULL;   /* flushed: last_tb's memory was recycled */
            last_gen = tb_cache_generation();
        }
        if (last_tb && tb_exit <= TB_EXIT_IDX1) {
            tb_add_jump(last_tb, tb_exit, tb);
        }

        log_cpu_exec(cs, tb);
        ret = tcg_tb_exec(env, tb->tc_ptr);
        last_tb = (TranslationBlock *)(ret & ~(uintptr_t)TB_EXIT_MASK);
        tb_exit = (int)(ret & TB_EXIT_MASK);
        if (tb_exit >= TB_EXIT_ICOUNT_EXPIRED) {
            /* the entry check fired: last_tb is at its start (nothing of
             * it ran, or it loops and ran whole iterations) */
            assert(last_tb);
            env->rip = last_tb->pc - x86_tb_cs_base(last_tb->cs_base);
            last_tb = NULL;
        }
        if (unlikely(tb_exit == TB_EXIT_ICOUNT_EXPIRED)) {
            if (cs->icount_budget <= 0) {
                /* a timer is due; an instruction to redo alone (io_alone,
                 * a watchpoint) still is, after it */
                v->one_shot_next |= (tb->cflags & (CF_ONE_SHOT | CF_COUNT_MASK)) == CF_ONE_SHOT;
                cs->exception_index = EXCP_INTERRUPT;
                return;
            }
            v->icount_partial = true;
        }
        if (unlikely(cs->wp.trap) && (tb->cflags & CF_ONE_SHOT)) {
            /* the instruction a watchpoint hit has completed */
            cpu_watchpoint_report(cs, tb->pc);
        }
        if (unlikely(cs->singlestep) && tb_exit < TB_EXIT_ICOUNT_EXPIRED) {
            /* the debugger's single step: one instruction ran */
            cs->exception_index = EXCP_DEBUG;
            return;
        }
    }
}

/* The machine lock was held when cpu_exec was entered (the compare
 * engine's intervals): a longjmp keeps it. */
static __thread bool bql_held_outside;

/* Kept apart from cpu_exec so no local is live across sigsetjmp. */
static int __attribute__((noinline)) cpu_exec_setjmp(CPUState *cs)
{
    int ret = EXCP_NONE;

    if (sigsetjmp(cs->jmp_env, 0) != 0) {
        /* a longjmp may leave these held (fault in translation or I/O) */
        tb_cache_lock_reset();
        if (bql_locked() && !bql_held_outside) {
            bql_unlock();
        }
        cpu_exec_exclusive_reset(cs);
        if (cs->exception_index >= 0 && cs->exception_index < EXCP_INTERRUPT) {
            cpu_watchpoint_cancel(cs);   /* a fault: no data breakpoint trap */
        }
    }
    while (!cpu_handle_exception(cs, &ret)) {
        cpu_exec_block_loop(cs);
    }
    return ret;
}

int cpu_exec(CPUState *cs)
{
    if (cs->halted) {
        if (!tcg_cpu_has_work(cs)) {
            return EXCP_HALTED;
        }
        cs->halted = false;
    }
    bql_held_outside = bql_locked();
    return cpu_exec_setjmp(cs);
}
