/*
 * tb-maint.c: translation blocks' life: translation, chaining,
 * invalidation by guest-physical range, flushing, and unwinding from
 * generated code with precise guest state.
 *
 * Translation: tb_gen_code holds the TB lock from the hash re-check to the
 * commit, so one thread at a time emits into the shared code buffer and
 * TBs stay in tc_ptr order.  A guest fault while fetching code longjmps out
 * with the lock held; cpu_exec releases it (tb_cache_lock_reset) and the
 * uncommitted TB is reused.  A full code buffer (tcg_gen_code == -1) flushes
 * everything and retries once.
 *
 * Pages with translated code are write-protected in the TLB (TLB_NOTDIRTY):
 * the store slow path calls tb_invalidate_phys_range_for_store first.
 *
 * tb_flush from a helper or another thread is deferred: it sets a request
 * and every vCPU's exit_request; a vCPU thread performs it at its next block
 * boundary (tb_flush_if_requested) inside an exclusive section (tcg-cpus.c),
 * so that no vCPU runs code from the buffer being reset or holds a TB
 * pointer across it (cpu_exec re-checks tb_cache_generation).  A full code
 * buffer during translation does the same: the TB lock is dropped, the world
 * stopped, the buffer reset, and the translation retried.
 *
 * Invalidation (self-modifying code, also by another vCPU) only unlinks:
 * jumps into the TB are re-pointed at its exit with one aligned 32-bit store
 * (tb_target_set_jmp_target), it leaves the hash table and the jump caches,
 * and its memory stays valid until the next flush; a vCPU inside it finishes
 * that block at most.  A block that loops to its own start (tb->loops) is
 * left at its next iteration: every vCPU's exit_request is set.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "util/perfmap.h"
#include "sysemu/runstate.h"
#include "tcg/tcg.h"
#include "accel/tcg/internal.h"

#include <capstone/capstone.h>
#include <glib.h>

static bool tb_flush_requested;   /* atomic */

/* ---- chaining ------------------------------------------------------------ */

static void tb_set_jmp(TranslationBlock *tb, int n, uintptr_t addr)
{
    tb_target_set_jmp_target(tb, n, addr);
    tb->jmp_target_addr[n] = addr;
}

/* Point slot n back at its own exit path. */
static void tb_reset_jump(TranslationBlock *tb, int n)
{
    tb_set_jmp(tb, n, (uintptr_t)tb->tc_ptr + tb->jmp_reset_offset[n]);
}

void tb_add_jump(TranslationBlock *src, int n, TranslationBlock *dst)
{
    tb_cache_lock();
    if (tb_jmp_link(src, n, dst)) {
        if (log_enabled_pc(LOG_EXEC, src->pc)) {
            log_printf("Linking TBs %p index %d -> %p\n", src->tc_ptr, n, dst->tc_ptr);
        }
        tb_set_jmp(src, n, (uintptr_t)dst->tc_ptr);
    }
    tb_cache_unlock();
}

/* Every vCPU leaves its block at the next exit-request check (no kick:
 * one halted has no block to leave). */
static void tb_exit_all_vcpus(void)
{
    unsigned ncpu = cpus_count();

    for (unsigned i = 0; i < ncpu; i++) {
        __atomic_store_n(&cpus_get(i)->exit_request, 1, __ATOMIC_RELEASE);
    }
}

/* ---- invalidation -------------------------------------------------------- */

static void tb_invalidate_locked(TranslationBlock *tb)
{
    unsigned h = tb_jmp_cache_hash(tb->pc);
    unsigned ncpu = tcg_cpus_count();

    if (tb->invalid) {
        return;
    }
    tb_cache_remove(tb);
    for (unsigned i = 0; i < ncpu; i++) {
        CPUState *cpu = tcg_cpus_get(i);
        /* only clear our own entry (tagged or not: cpu.h): the slot may
         * already hold another TB */
        TranslationBlock *tagged = (TranslationBlock *)((uintptr_t)tb | TB_JMP_CACHE_GLOBAL);

        __atomic_compare_exchange_n(&cpu->tb_jmp_cache[h], &(TranslationBlock *){ tb },
                                    NULL, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
        __atomic_compare_exchange_n(&cpu->tb_jmp_cache[h], &tagged, NULL, false,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    }
    tb_jmp_unlink_incoming(tb, tb_reset_jump);
    tb_jmp_unlink_outgoing(tb);
    if (tb->loops) {
        /* its jump back to its start is not a chain: a vCPU looping in it
         * leaves at the loop's exit-request check */
        tb_exit_all_vcpus();
    }
}

/* Invalidate the TBs with code in [start, end); report whether cur is one. */
static bool tb_invalidate_range_locked(uint64_t start, uint64_t end, TranslationBlock *cur)
{
    TranslationBlock *batch[32];
    bool hit = false;
    unsigned n;

    do {
        n = tb_cache_find_range(start, end, batch, ARRAY_SIZE(batch));
        for (unsigned i = 0; i < n; i++) {
            hit |= batch[i] == cur;
            tb_invalidate_locked(batch[i]);
        }
    } while (n == ARRAY_SIZE(batch));
    return hit;
}

void tb_invalidate_phys_range(uint64_t start, uint64_t end)
{
    tb_cache_lock();
    tb_invalidate_range_locked(start, end, NULL);
    tb_cache_unlock();
}

bool tb_invalidate_phys_range_for_store(uint64_t start, uint64_t end, uintptr_t ra)
{
    TranslationBlock *cur = ra ? tb_cache_find_by_host(ra) : NULL;

    assert(tb_cache_locked());
    /* A one-instruction block ends right after the store: it may go on,
     * unless it loops back to itself. */
    if (cur && cur->icount <= 1 && !cur->loops) {
        cur = NULL;
    }
    return tb_invalidate_range_locked(start, end, cur);
}

/* ---- flush --------------------------------------------------------------- */

void tb_flush_locked(void)
{
    unsigned ncpu = tcg_cpus_count();

    assert(tb_cache_locked());
    tb_cache_reset();
    tcg_region_reset();
    for (unsigned i = 0; i < ncpu; i++) {
        tcg_jmp_cache_clear(tcg_cpus_get(i));
    }
    __atomic_store_n(&tb_flush_requested, false, __ATOMIC_RELEASE);
}

void tb_flush(CPUState *cs)
{
    __atomic_store_n(&tb_flush_requested, true, __ATOMIC_RELEASE);
    tb_exit_all_vcpus();
    if (cs) {
        __atomic_store_n(&cs->exit_request, 1, __ATOMIC_RELEASE);
    }
}

/* Flush in an exclusive section; only if still requested when force is
 * false (another vCPU may have done it meanwhile). */
static void tb_flush_exclusive(CPUState *cs, bool force)
{
    if (cs) {
        cpu_exec_exclusive_begin(cs);
    } else {
        start_exclusive();
    }
    tb_cache_lock();
    if (force || __atomic_load_n(&tb_flush_requested, __ATOMIC_ACQUIRE)) {
        tb_flush_locked();
    }
    tb_cache_unlock();
    if (cs) {
        cpu_exec_exclusive_end(cs);
    } else {
        end_exclusive();
    }
}

void tb_flush_if_requested(CPUState *cs)
{
    if (unlikely(__atomic_load_n(&tb_flush_requested, __ATOMIC_ACQUIRE))) {
        tb_flush_exclusive(cs, false);
    }
}

/* ---- translation --------------------------------------------------------- */

/* -d in_asm: the guest code of a new block, QEMU style. */
static void tb_log_in_asm(CPUState *cs, const TranslationBlock *tb)
{
    CPUX86State *env = cpu_env(cs);
    cs_mode mode = (tb->flags & HF_CS64_MASK) ? CS_MODE_64
                 : (tb->flags & HF_CS32_MASK) ? CS_MODE_32 : CS_MODE_16;
    int mmu_idx = x86_cpu_mmu_index(env);
    uint8_t *buf = g_malloc(tb->size ? tb->size : 1);
    GString *s = g_string_new("----------------\nIN: \n");
    cs_insn *insn = NULL;
    csh handle;
    size_t count = 0;

    for (uint32_t i = 0; i < tb->size; i++) {
        buf[i] = (uint8_t)cpu_ld_code(cs, tb->pc + i, MO_UB, mmu_idx);
    }
    if (cs_open(CS_ARCH_X86, mode, &handle) == CS_ERR_OK) {
        count = cs_disasm(handle, buf, tb->size, tb->pc, 0, &insn);
        for (size_t i = 0; i < count; i++) {
            g_string_append_printf(s, "0x%016" PRIx64 ":  %-6s %s\n", insn[i].address,
                                   insn[i].mnemonic, insn[i].op_str);
        }
        if (count) {
            cs_free(insn, count);
        }
        cs_close(&handle);
    }
    if (!count && tb->size) {
        g_string_append_printf(s, "0x%016" PRIx64 ":  (%u bytes, not disassembled)\n",
                               tb->pc, tb->size);
    }
    g_string_append_c(s, '\n');
    log_printf("%s", s->str);
    g_string_free(s, TRUE);
    g_free(buf);
}

/* -d page: the guest pages a new block's code lies on. */
static void tb_log_pages(const TranslationBlock *tb)
{
    uint64_t last = tb->pc + tb->size - 1;
    FILE *f = log_lock();

    fprintf(f, "page: TB %p pc 0x%016" PRIx64 " size %u: virt 0x%016" PRIx64 " phys 0x%016" PRIx64,
            tb->tc_ptr, tb->pc, tb->size, (uint64_t)(tb->pc & TARGET_PAGE_MASK), tb->page_addr[0]);
    if (tb->page_addr[1] != (uint64_t)-1) {
        fprintf(f, ", virt 0x%016" PRIx64 " phys 0x%016" PRIx64,
                (uint64_t)(last & TARGET_PAGE_MASK), tb->page_addr[1]);
    }
    fprintf(f, "%s\n", (tb->cflags & CF_ONE_SHOT) ? " (one shot)" : "");
    log_unlock();
}

TranslationBlock *tb_gen_code(CPUState *cs, uint64_t pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags)
{
    CPUX86State *env = cpu_env(cs);
    int mmu_idx = x86_cpu_mmu_index(env);
    int max_insns = TB_MAX_INSNS;
    TranslationBlock *tb;
    int64_t phys_pc;
    uint64_t last;
    int ret;

    if (cs->singlestep || (cflags & CF_SINGLE_STEP)) {
        max_insns = 1;
    } else if (cflags & CF_ONE_SHOT) {
        max_insns = MAX((cflags & CF_COUNT_MASK) >> CF_COUNT_SHIFT, 1u);
    }
    /* May raise #PF/#GP for the first byte: the state is precise (pc). */
    phys_pc = tlb_get_code_paddr(cs, pc, mmu_idx, false);

    tb_cache_lock();
    if (!(cflags & CF_ONE_SHOT)) {
        tb = tb_cache_lookup((uint64_t)phys_pc, pc, cs_base, flags, cflags);
        if (tb) {
            tb_cache_unlock();
            return tb;   /* another vCPU was faster */
        }
    }
    for (unsigned flushes = 0;;) {
        tb = tb_cache_alloc();
        tb->pc = pc;
        tb->cs_base = cs_base;
        tb->flags = flags;
        tb->cflags = cflags;
        tb->page_addr[0] = (uint64_t)phys_pc & TARGET_PAGE_MASK;

        tcg_func_start(tcg_ctx);
        x86_translate_block(env, tb, max_insns);
        ret = tcg_gen_code(tcg_ctx, tb);
        if (ret >= 0) {
            break;
        }
        if (ret == -2) {
            /* The block's host code outgrew the TB's 16-bit offsets:
             * translate fewer guest instructions. */
            assert(tb->icount > 1);
            max_insns = tb->icount / 2;
            continue;
        }
        /* Code buffer full: start over with an empty one, with no other
         * vCPU in it.  Translations by others may fill it again meanwhile,
         * but not forever. */
        assert(++flushes < 8 && tb_cache_locked());
        tb_cache_unlock();
        tb_flush_exclusive(cs, true);
        tb_cache_lock();
    }
    assert(tb->size > 0);

    last = pc + tb->size - 1;
    if ((last & TARGET_PAGE_MASK) != (pc & TARGET_PAGE_MASK)) {
        /* The translator fetched these bytes, so the probe succeeds. */
        int64_t p1 = tlb_get_code_paddr(cs, last, mmu_idx, true);
        assert(p1 >= 0);
        tb->page_addr[1] = (uint64_t)p1 & TARGET_PAGE_MASK;
    }
    tb->jmp_target_addr[0] = (uintptr_t)tb->tc_ptr + tb->jmp_reset_offset[0];
    tb->jmp_target_addr[1] = (uintptr_t)tb->tc_ptr + tb->jmp_reset_offset[1];
    tb_cache_commit(tb);
    perfmap_add(tb->tc_ptr, tb->tc_size, "tb:0x%" PRIx64, tb->pc);

    if (!(cflags & CF_ONE_SHOT)) {
        bool had0 = tb_cache_page_has_code(tb->page_addr[0]);
        bool had1 = tb->page_addr[1] == (uint64_t)-1 || tb_cache_page_has_code(tb->page_addr[1]);

        tb_cache_insert(tb);
        /* First code on a page: writes to it must now take the slow path. */
        if (!had0) {
            tlb_protect_code(tb->page_addr[0]);
        }
        if (!had1) {
            tlb_protect_code(tb->page_addr[1]);
        }
    }
    tb_cache_unlock();

    if (log_enabled_pc(LOG_IN_ASM, tb->pc)) {
        tb_log_in_asm(cs, tb);
    }
    if (log_enabled(LOG_PAGE)) {
        tb_log_pages(tb);
    }
    return tb;
}

/* ---- unwinding ----------------------------------------------------------- */

/* Restore the state of the instruction at retaddr.  unwind: the block is
 * left there, so under -icount the instructions its entry counted but
 * that did not complete (that one and the rest) go back to the budget. */
static bool cpu_restore_state_at(CPUState *cs, uintptr_t retaddr, bool unwind)
{
    TranslationBlock *tb;
    uint64_t data[2];
    int i;

    if (!retaddr) {
        return false;
    }
    tb_cache_lock();
    tb = tb_cache_find_by_host(retaddr);
    i = tb ? tb_insn_index_at(tb, retaddr) : -1;
    if (i >= 0) {
        data[0] = tb->insn_data[i][0];
        data[1] = tb->insn_data[i][1];
    }
    tb_cache_unlock();
    if (i < 0) {
        return false;
    }
    x86_restore_state_to_opc(cpu_env(cs), data);
    if (unwind && (tb->cflags & CF_USE_ICOUNT)) {
        cs->icount_budget += tb->icount - i;
    }
    return true;
}

bool cpu_restore_state(CPUState *cs, uintptr_t retaddr)
{
    return cpu_restore_state_at(cs, retaddr, false);
}

void cpu_io_alone(CPUState *cs, uintptr_t retaddr)
{
    TranslationBlock *tb;
    bool cut;

    if (!retaddr) {
        return;
    }
    tb_cache_lock();
    tb = tb_cache_find_by_host(retaddr);
    cut = tb && tb->icount > 1;
    tb_cache_unlock();
    if (cut) {
        tcg_vcpu_get_or_create(cs)->one_shot_next = true;
        cpu_loop_exit_restore(cs, retaddr);
    }
}

void cpu_loop_exit(CPUState *cs)
{
    /* cpu_exec releases the TB lock and the machine lock if they are held */
    GETPC_RESET();
    siglongjmp(cs->jmp_env, 1);
}

void cpu_loop_exit_restore(CPUState *cs, uintptr_t retaddr)
{
    if (retaddr) {
        cpu_restore_state_at(cs, retaddr, true);
    }
    cpu_loop_exit(cs);
}
