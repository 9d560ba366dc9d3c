/*
 * seg_helper.c: interrupt and exception delivery, IRET, the loads of
 * segment registers (MOV Sreg, POP Sreg), LDTR (LLDT) and TR (LTR), and
 * the checks that only look at a descriptor (LAR, LSL, VERR, VERW).
 *
 * x86_cpu_do_interrupt delivers cs->exception_index through the IVT (real
 * mode), a 32-bit IDT (protected mode) or a 64-bit IDT (long mode), and
 * x86_cpu_exec_interrupt takes a pending external interrupt through the
 * board's acknowledge hook (env->get_pic_interrupt), and INIT and SIPI
 * from the local APIC (seg_do_init_sipi).
 *
 * Invariant: delivery reads the IDT, GDT, TSS and new stack and pushes the
 * whole frame before it changes any register, so a fault part way (which
 * unwinds through cpu_loop_exit from inside the memory access) leaves the
 * interrupted state intact and the exec loop delivers the new exception
 * instead (as #DF where excp_helper.c says so).  All delivery accesses are
 * implicit supervisor accesses (MMU_KSMAP_IDX) that cannot be precise
 * about a guest instruction: ra = 0.  IRET runs from generated code and
 * unwinds with its own GETPC().
 *
 * Descriptors are read here only (seg_desc_load and friends): delivery,
 * IRET, the loads and the checks share them.
 *
 * NMI blocking: delivering an NMI sets env->nmi_blocked; any IRET that
 * completes clears it (even one that returns from another handler, as on
 * hardware).
 *
 * Task gates in the IDT and IRET with NT = 1 switch tasks (task_helper.c);
 * far calls and jumps are far_helper.c's.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/seg-internal.h"
#include "target-x86/task-internal.h"
#include "exec/replay.h"

/* Vectors that push an error code (SDM table 6-1). */
static bool seg_vector_has_error_code(int vector)
{
    switch (vector) {
    case EXCP08_DBLE:
    case EXCP0A_TSS:
    case EXCP0B_NOSEG:
    case EXCP0C_STACK:
    case EXCP0D_GPF:
    case EXCP0E_PAGE:
    case EXCP11_ALGN:
        return true;
    default:
        return false;
    }
}

/* Fault-class exceptions (SDM table 6-1) push EFLAGS with RF = 1 (SDM
 * vol.3 18.3.1.1), so the restarted instruction's own instruction
 * breakpoint does not fire again.  #DB is a fault only for instruction
 * breakpoints (RF as it is) and DR7.GD (debug_helper.c sets RF itself). */
static bool seg_vector_is_fault(int vector)
{
    switch (vector) {
    case EXCP00_DIVZ: case EXCP05_BOUND: case EXCP06_ILLOP: case EXCP07_PREX:
    case EXCP0A_TSS: case EXCP0B_NOSEG: case EXCP0C_STACK: case EXCP0D_GPF:
    case EXCP0E_PAGE: case EXCP10_COPR: case EXCP11_ALGN: case EXCP13_XF:
        return true;
    default:
        return false;
    }
}

/* ---- descriptors ------------------------------------------------------ */

static uint32_t seg_ldl(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    return (uint32_t)cpu_ld_data_ra(env_cpu(env), addr, MO_32, MMU_KSMAP_IDX, ra);
}

/* Read the descriptor for selector from the GDT or LDT; false if the
 * selector lies beyond the table's limit. */
bool seg_desc_load(CPUX86State *env, uint32_t selector, uint32_t *e1, uint32_t *e2,
                          uintptr_t ra)
{
    const SegmentCache *dt = (selector & 4) ? &env->ldt : &env->gdt;
    uint32_t index = selector & ~7u;

    if (index + 7 > dt->limit) {
        return false;
    }
    *e1 = seg_ldl(env, dt->base + index, ra);
    *e2 = seg_ldl(env, dt->base + index + 4, ra);
    return true;
}

uint64_t seg_desc_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000u);
}

uint32_t seg_desc_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000u);
    return (e2 & DESC_G_MASK) ? (limit << 12) | 0xfff : limit;
}

void seg_load_from_desc(CPUX86State *env, int seg, uint32_t selector,
                               uint32_t e1, uint32_t e2)
{
    cpu_x86_load_seg_cache(env, seg, selector, seg_desc_base(e1, e2),
                           seg_desc_limit(e1, e2), e2);
}

unsigned seg_dpl(uint32_t e2)
{
    return (e2 >> DESC_DPL_SHIFT) & 3;
}

/*
 * Load the code segment an interrupt or trap gate names and check it:
 * non-null, a present code segment whose DPL does not exceed the CPL.
 * Returns the privilege level the handler runs at (the CPL for a
 * conforming segment).  Raises #GP or #NP with the selector otherwise.
 */
static unsigned gate_target_cs_load(CPUX86State *env, uint32_t selector, unsigned cpl,
                                    uint32_t *e1, uint32_t *e2)
{
    unsigned dpl;

    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!seg_desc_load(env, selector, e1, e2, 0)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (!(*e2 & DESC_S_MASK) || !(*e2 & DESC_CS_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    dpl = seg_dpl(*e2);
    if (dpl > cpl) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (!(*e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc);
    }
    return (*e2 & DESC_C_MASK) ? cpl : dpl;
}

unsigned seg_cpl(const CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

/* ---- stacks ----------------------------------------------------------- */

uint64_t seg_stack_mask(uint32_t ss_flags)
{
    return (ss_flags & DESC_B_MASK) ? 0xffffffffu : 0xffff;
}

X86Stack seg_stack_cur(CPUX86State *env, int mmu_idx, uintptr_t ra)
{
    const SegmentCache *ss = &env->segs[R_SS];

    if (env->hflags & HF_CS64_MASK) {
        return (X86Stack){ env, 0, env->regs[R_ESP], ~0ull, mmu_idx, ra };
    }
    return (X86Stack){ env, ss->base, env->regs[R_ESP], seg_stack_mask(ss->flags), mmu_idx, ra,
                       true, 0, ss->flags, ss->limit };
}

X86Stack seg_stack_new(CPUX86State *env, uint16_t err, uint32_t e1, uint32_t e2, uint64_t sp,
                       uintptr_t ra)
{
    return (X86Stack){ env, seg_desc_base(e1, e2), sp, seg_stack_mask(e2), MMU_KSMAP_IDX, ra,
                       true, err, e2, seg_desc_limit(e1, e2) };
}

/* An access of size bytes at stack offset sp (before the mask). */
static void seg_stack_check(X86Stack *st, uint64_t sp, unsigned size)
{
    if (st->chk && !x86_seg_range_ok(st->ss_flags, st->ss_limit, sp & st->mask, size)) {
        raise_exception_err_ra(st->env, EXCP0C_STACK, st->err, st->ra);
    }
}

void seg_push(X86Stack *st, uint64_t val, unsigned size)
{
    static const MemOp ops[9] = { [2] = MO_16, [4] = MO_32, [8] = MO_64 };

    seg_stack_check(st, st->sp - size, size);
    st->sp -= size;
    cpu_st_data_ra(env_cpu(st->env), st->base + (st->sp & st->mask), val, ops[size],
                   st->mmu_idx, st->ra);
}

uint64_t seg_pop(X86Stack *st, unsigned size)
{
    static const MemOp ops[9] = { [2] = MO_16, [4] = MO_32, [8] = MO_64 };
    uint64_t val;

    seg_stack_check(st, st->sp, size);
    val = cpu_ld_data_ra(env_cpu(st->env), st->base + (st->sp & st->mask), ops[size],
                         st->mmu_idx, st->ra);
    st->sp += size;
    return val;
}

/* Write sp back into RSP, keeping the bits above the stack's width. */
void seg_set_rsp(CPUX86State *env, uint64_t mask, uint64_t sp)
{
    env->regs[R_ESP] = (env->regs[R_ESP] & ~mask) | (sp & mask);
}

/* ---- logging ---------------------------------------------------------- */

/* Deliveries logged so far, numbering the -d int lines (log only). */
static unsigned seg_int_log_count;

static void seg_log_delivery(CPUX86State *env, int vector, int error_code, bool is_int,
                             bool is_hw, uint64_t next_eip)
{
    if (!log_enabled(LOG_INT)) {
        return;
    }
    uint64_t ip = env->rip;
    unsigned n = __atomic_fetch_add(&seg_int_log_count, 1, __ATOMIC_RELAXED);
    log_printf("%6u: v=%02x e=%04x i=%d cpl=%u IP=%04x:%016" PRIx64 " pc=%016" PRIx64
               " SP=%04x:%016" PRIx64,
               n, vector, error_code & 0xffff, is_int, seg_cpl(env), env->segs[R_CS].selector,
               ip, env->segs[R_CS].base + ip, env->segs[R_SS].selector, env->regs[R_ESP]);
    if (vector == EXCP0E_PAGE) {
        log_printf(" CR2=%016" PRIx64 "\n", env->cr[2]);
    } else {
        log_printf(" EAX=%016" PRIx64 "\n", env->regs[R_EAX]);
    }
    if (!is_hw) {
        x86_cpu_dump_state(env_cpu(env), log_file());
    }
}

/* ---- long mode -------------------------------------------------------- */

/* RSPn (level 0-2) or ISTn (level 4-10 = IST1-7) from the 64-bit TSS. */
uint64_t seg_tss64_rsp(CPUX86State *env, unsigned level, uintptr_t ra)
{
    uint32_t index = 8 * level + 4;

    if (!(env->tr.flags & DESC_P_MASK) || index + 7 > env->tr.limit) {
        raise_exception_err_ra(env, EXCP0A_TSS, env->tr.selector & 0xfffc, ra);
    }
    return cpu_ld_data_ra(env_cpu(env), env->tr.base + index, MO_64, MMU_KSMAP_IDX, ra);
}

static void seg_do_interrupt64(CPUX86State *env, unsigned vector, bool is_int, int error_code,
                               uint64_t next_eip, bool has_error_code)
{
    unsigned cpl = seg_cpl(env);
    uint32_t gate_err = vector * 8 + 2 + !is_int;   /* IDT, EXT unless INT n */
    uint32_t e1, e2, e3, selector;
    unsigned type, dpl, ist;
    uint64_t offset, rsp;
    bool new_stack;

    if (vector * 16 + 15 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    uint64_t ptr = env->idt.base + vector * 16;
    e1 = seg_ldl(env, ptr, 0);
    e2 = seg_ldl(env, ptr + 4, 0);
    e3 = seg_ldl(env, ptr + 8, 0);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;   /* S bit included: must be 0 */
    if (type != SYS_INT_GATE32 && type != SYS_TRAP_GATE32) {
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    if (is_int && seg_dpl(e2) < cpl) {
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, gate_err);
    }
    selector = e1 >> 16;
    offset = ((uint64_t)e3 << 32) | (e2 & 0xffff0000u) | (e1 & 0xffff);
    ist = e2 & 7;

    /* The target code segment: a present, 64-bit code segment. */
    dpl = gate_target_cs_load(env, selector, cpl, &e1, &e2);
    if (!(e2 & DESC_L_MASK) || (e2 & DESC_B_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }

    new_stack = dpl < cpl || ist != 0;
    if (new_stack) {
        rsp = seg_tss64_rsp(env, ist ? ist + 3 : dpl, 0);
    } else {
        if (env->eflags & VM_MASK) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        rsp = env->regs[R_ESP];
    }
    /* A frame outside canonical space is #SS(EXT), not the push's #GP
     * (SDM vol.2 INT n, IA-32e mode). */
    if (!x86_addr_canonical(env, (rsp & ~0xfull) - 1) ||
        !x86_addr_canonical(env, (rsp & ~0xfull) - (has_error_code ? 48 : 40))) {
        raise_exception_err(env, EXCP0C_STACK, !is_int);
    }

    X86Stack st = { env, 0, rsp & ~0xfull, ~0ull, MMU_KSMAP_IDX, 0 };
    seg_push(&st, env->segs[R_SS].selector, 8);
    seg_push(&st, env->regs[R_ESP], 8);
    seg_push(&st, cpu_compute_eflags(env), 8);
    seg_push(&st, env->segs[R_CS].selector, 8);
    seg_push(&st, is_int ? next_eip : env->rip, 8);
    if (has_error_code) {
        seg_push(&st, (uint32_t)error_code, 8);
    }

    /* Commit. */
    if (dpl < cpl) {
        /* A null SS carrying the new privilege level. */
        cpu_x86_load_seg_cache(env, R_SS, dpl, 0, 0, dpl << DESC_DPL_SHIFT);
    }
    env->regs[R_ESP] = st.sp;
    seg_load_from_desc(env, R_CS, (selector & ~3u) | dpl, e1, e2);
    env->rip = offset;
    if (type == SYS_INT_GATE32) {
        env->eflags &= ~(uint64_t)IF_MASK;
    }
    env->eflags &= ~(uint64_t)(TF_MASK | VM_MASK | RF_MASK | NT_MASK);
    x86_update_hflags(env);
}

/* ---- protected mode --------------------------------------------------- */

/* SS:ESP for privilege level dpl from the 16- or 32-bit TSS. */
void seg_tss32_stack(CPUX86State *env, unsigned dpl, uint32_t *ss, uint32_t *esp,
                     uintptr_t ra)
{
    unsigned tss_type = (env->tr.flags >> DESC_TYPE_SHIFT) & 0xf;
    unsigned shift = tss_type >> 3;   /* 0: 16-bit TSS, 1: 32-bit */
    uint32_t index = (dpl * 4 + 2) << shift;

    if (!(env->tr.flags & DESC_P_MASK) || index + (4 << shift) - 1 > env->tr.limit) {
        raise_exception_err_ra(env, EXCP0A_TSS, env->tr.selector & 0xfffc, ra);
    }
    if (shift == 0) {
        *esp = (uint16_t)cpu_ld_data_ra(env_cpu(env), env->tr.base + index, MO_16,
                                        MMU_KSMAP_IDX, ra);
        *ss = (uint16_t)cpu_ld_data_ra(env_cpu(env), env->tr.base + index + 2, MO_16,
                                       MMU_KSMAP_IDX, ra);
    } else {
        *esp = seg_ldl(env, env->tr.base + index, ra);
        *ss = (uint16_t)cpu_ld_data_ra(env_cpu(env), env->tr.base + index + 4, MO_16,
                                       MMU_KSMAP_IDX, ra);
    }
}

/* The SS a stack switch to privilege level dpl loads (from the TSS): a
 * present, writable data segment with RPL = DPL = dpl, else #TS(ss), or
 * #SS(ss) when not present (SDM vol.2 CALL, INT n). */
void seg_inner_ss_load(CPUX86State *env, uint32_t ss, unsigned dpl, uint32_t *e1,
                       uint32_t *e2, uintptr_t ra)
{
    if ((ss & 0xfffc) == 0 || (ss & 3) != dpl || !seg_desc_load(env, ss, e1, e2, ra)) {
        raise_exception_err_ra(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if (seg_dpl(*e2) != dpl || !(*e2 & DESC_S_MASK) || (*e2 & DESC_CS_MASK) ||
        !(*e2 & DESC_W_MASK)) {
        raise_exception_err_ra(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if (!(*e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc, ra);
    }
}

static void seg_do_interrupt_protected(CPUX86State *env, unsigned vector, bool is_int,
                                       int error_code, uint64_t next_eip, bool has_error_code)
{
    unsigned cpl = seg_cpl(env);
    uint32_t gate_err = vector * 8 + 2 + !is_int;   /* IDT, EXT unless INT n */
    uint32_t e1, e2, selector, offset;
    uint32_t ss = 0, ss_e1 = 0, ss_e2 = 0, esp;
    unsigned type, dpl;
    bool new_stack, vm86 = env->eflags & VM_MASK;

    if (vector * 8 + 7 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    uint64_t ptr = env->idt.base + vector * 8;
    e1 = seg_ldl(env, ptr, 0);
    e2 = seg_ldl(env, ptr + 4, 0);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    switch (type) {
    case SYS_TASK_GATE:
    case SYS_INT_GATE16:
    case SYS_TRAP_GATE16:
    case SYS_INT_GATE32:
    case SYS_TRAP_GATE32:
        break;
    default:
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    if (is_int && seg_dpl(e2) < cpl) {
        raise_exception_err(env, EXCP0D_GPF, gate_err);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, gate_err);
    }
    if (type == SYS_TASK_GATE) {
        task_gate_interrupt(env, e1, !is_int, has_error_code, error_code,
                            is_int ? next_eip : env->rip);
        return;
    }
    unsigned shift = type >> 3;    /* 0: 16-bit gate, 1: 32-bit */
    selector = e1 >> 16;
    offset = (e2 & 0xffff0000u) | (e1 & 0xffff);

    dpl = gate_target_cs_load(env, selector, cpl, &e1, &e2);

    new_stack = dpl < cpl;
    if (new_stack) {
        if (vm86 && dpl != 0) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        seg_tss32_stack(env, dpl, &ss, &esp, 0);
        seg_inner_ss_load(env, ss, dpl, &ss_e1, &ss_e2, 0);
    } else {
        if (vm86) {
            /* Virtual-8086 mode handlers must run at privilege 0. */
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        esp = env->regs[R_ESP];
    }

    X86Stack st = new_stack ? seg_stack_new(env, (ss & 0xfffc) | !is_int, ss_e1, ss_e2, esp, 0)
                            : seg_stack_cur(env, MMU_KSMAP_IDX, 0);
    if (!new_stack) {
        st.err = !is_int;       /* #SS(EXT) */
    }
    unsigned size = 2u << shift;
    if (new_stack) {
        if (vm86) {
            seg_push(&st, env->segs[R_GS].selector, size);
            seg_push(&st, env->segs[R_FS].selector, size);
            seg_push(&st, env->segs[R_DS].selector, size);
            seg_push(&st, env->segs[R_ES].selector, size);
        }
        seg_push(&st, env->segs[R_SS].selector, size);
        seg_push(&st, env->regs[R_ESP], size);
    }
    seg_push(&st, cpu_compute_eflags(env), size);
    seg_push(&st, env->segs[R_CS].selector, size);
    seg_push(&st, is_int ? next_eip : env->rip, size);
    if (has_error_code) {
        seg_push(&st, (uint32_t)error_code, size);
    }

    /* Commit. */
    if (new_stack) {
        if (vm86) {
            for (int seg = R_ES; seg < NB_SEGS; seg++) {
                if (seg != R_CS && seg != R_SS) {
                    cpu_x86_load_seg_cache(env, seg, 0, 0, 0, 0);
                }
            }
        }
        seg_load_from_desc(env, R_SS, (ss & ~3u) | dpl, ss_e1, ss_e2);
    }
    seg_set_rsp(env, st.mask, st.sp);
    env->eflags &= ~(uint64_t)(TF_MASK | VM_MASK | RF_MASK | NT_MASK);
    if ((type & 1) == 0) {     /* interrupt gate */
        env->eflags &= ~(uint64_t)IF_MASK;
    }
    seg_load_from_desc(env, R_CS, (selector & ~3u) | dpl, e1, e2);
    env->rip = shift ? offset : (offset & 0xffff);
    x86_update_hflags(env);
}

/* ---- real mode -------------------------------------------------------- */

static void seg_do_interrupt_real(CPUX86State *env, unsigned vector, bool is_int, uint64_t next_eip)
{
    if (vector * 4 + 3 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2);
    }
    uint64_t ptr = env->idt.base + vector * 4;
    uint32_t vec = seg_ldl(env, ptr, 0);
    uint32_t offset = vec & 0xffff, selector = vec >> 16;

    X86Stack st = seg_stack_cur(env, MMU_KSMAP_IDX, 0);

    st.mask = 0xffff;           /* real-mode delivery pushes at SP */
    seg_push(&st, cpu_compute_eflags(env), 2);
    seg_push(&st, env->segs[R_CS].selector, 2);
    seg_push(&st, is_int ? next_eip : env->rip, 2);

    seg_set_rsp(env, st.mask, st.sp);
    env->rip = offset;
    cpu_x86_load_seg_cache(env, R_CS, selector, (uint64_t)selector << 4,
                           env->segs[R_CS].limit, env->segs[R_CS].flags);
    env->eflags &= ~(uint64_t)(IF_MASK | TF_MASK | AC_MASK | RF_MASK);
    x86_update_hflags(env);
}

/* ---- entry points ----------------------------------------------------- */

/* Deliver vector; is_hw: an external interrupt (never an error code). */
static void seg_do_interrupt_all(CPUX86State *env, int vector, bool is_int, int error_code,
                                 uint64_t next_eip, bool is_hw)
{
    bool has_error_code = !is_int && !is_hw && seg_vector_has_error_code(vector);

    seg_log_delivery(env, vector, error_code, is_int, is_hw, next_eip);
    if (!is_int && !is_hw && seg_vector_is_fault(vector)) {
        env->eflags |= RF_MASK;     /* pushed, then cleared by the delivery */
    }
    if (env->cr[0] & CR0_PE_MASK) {
        if (env->hflags & HF_LMA_MASK) {
            seg_do_interrupt64(env, vector, is_int, error_code, next_eip, has_error_code);
        } else {
            seg_do_interrupt_protected(env, vector, is_int, error_code, next_eip,
                                       has_error_code);
        }
    } else {
        seg_do_interrupt_real(env, vector, is_int, next_eip);
    }
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
}

void x86_cpu_do_interrupt(CPUState *cs)
{
    CPUX86State *env = cpu_env(cs);

    seg_do_interrupt_all(env, cs->exception_index, env->exception_is_int, env->error_code,
                         env->exception_next_eip, false);
    /* Delivered: a later exception is no longer a double fault. */
    env->old_exception = -1;
    env->exception_is_int = false;
    cs->exception_index = EXCP_NONE;
}

/* INIT (SDM 9.1, table 9-1): the power-on state, except for what INIT
 * leaves alone: the x87 and SSE registers, MTRRs, PAT, the machine-check
 * banks, the TSC, MISC_ENABLE, and the A20 gate (a pin, not the CPU's). */
static void seg_cpu_init_reset(CPUState *cs)
{
    CPUX86State *env = cpu_env(cs);
    CPUX86State *old = tern_malloc0(sizeof(*old));

    memcpy(old, env, sizeof(*old));
    x86_cpu_reset(container_of(cs, X86CPU, parent));
    memcpy(env->fpregs, old->fpregs, sizeof(env->fpregs));
    env->fpstt = old->fpstt;
    env->fpus = old->fpus;
    env->fpuc = old->fpuc;
    memcpy(env->fptags, old->fptags, sizeof(env->fptags));
    env->fpop = old->fpop;
    env->fpcs = old->fpcs;
    env->fpds = old->fpds;
    env->fpip = old->fpip;
    env->fpdp = old->fpdp;
    env->fp_status = old->fp_status;
    memcpy(env->xmm_regs, old->xmm_regs, sizeof(env->xmm_regs));
    env->mxcsr = old->mxcsr;
    env->sse_status = old->sse_status;
    env->mtrr_deftype = old->mtrr_deftype;
    memcpy(env->mtrr_fixed, old->mtrr_fixed, sizeof(env->mtrr_fixed));
    memcpy(env->mtrr_var, old->mtrr_var, sizeof(env->mtrr_var));
    env->pat = old->pat;
    env->mcg_status = old->mcg_status;
    env->mcg_ctl = old->mcg_ctl;
    memcpy(env->mce_banks, old->mce_banks, sizeof(env->mce_banks));
    env->tsc_offset = old->tsc_offset;
    env->tsc_adjust = old->tsc_adjust;
    env->misc_enable = old->misc_enable;
    env->a20_off = old->a20_off;
    free(old);
}

/* INIT and SIPI, raised by the local APIC (hw/intc/apic.c) and acted on
 * here, on the CPU's own thread, as QEMU's do_cpu_init / do_cpu_sipi.
 * INIT resets the CPU and its APIC; an AP then waits for a SIPI (halted),
 * the BSP runs from the reset vector.  A SIPI to a CPU that waits starts
 * it in real mode at CS:IP = (vector << 8):0, CS base vector << 12; to
 * one that does not, it is ignored.  Both pending: INIT first.  The exec
 * loop is made to return (exit_request), so a CPU halted here stops. */
static bool seg_do_init_sipi(CPUState *cs, unsigned req)
{
    CPUX86State *env = cpu_env(cs);

    __atomic_fetch_and(&cs->interrupt_request,
                       ~(unsigned)(req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)),
                       __ATOMIC_SEQ_CST);
    if (!env->apic_ops || !env->apic_ops->init) {
        return false;           /* no APIC of the board's sends them */
    }
    if (req & CPU_INTERRUPT_INIT) {
        __atomic_fetch_and(&cs->interrupt_request, ~(unsigned)CPU_INTERRUPT_NMI,
                           __ATOMIC_SEQ_CST);
        seg_cpu_init_reset(cs);
        cs->halted = env->apic_ops->init(env->apic);
        log_mask(LOG_INT, "CPU %d: INIT%s\n", cs->cpu_index,
                 cs->halted ? ", waiting for SIPI" : "");
    }
    if (req & CPU_INTERRUPT_SIPI) {
        int vector = env->apic_ops->sipi(env->apic);

        if (vector >= 0) {
            cpu_x86_load_seg_cache(env, R_CS, (uint32_t)vector << 8, (uint64_t)vector << 12,
                                   0xffff, env->segs[R_CS].flags);
            env->rip = 0;
            cs->halted = false;
            log_mask(LOG_INT, "CPU %d: SIPI vector 0x%02x: start at %04x:0000\n",
                     cs->cpu_index, vector, vector << 8);
        }
    }
    __atomic_store_n(&cs->exit_request, 1, __ATOMIC_RELEASE);
    return true;
}

bool x86_cpu_exec_interrupt(CPUState *cs, unsigned interrupt_request)
{
    CPUX86State *env = cpu_env(cs);

    if (interrupt_request & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) {
        return seg_do_init_sipi(cs, interrupt_request);
    }
    if (env->hflags & HF_INHIBIT_IRQ_MASK) {
        return false;
    }
    if ((interrupt_request & CPU_INTERRUPT_NMI) && !env->nmi_blocked) {
        __atomic_fetch_and(&cs->interrupt_request, ~(unsigned)CPU_INTERRUPT_NMI,
                           __ATOMIC_SEQ_CST);
        cs->halted = false;
        replay_value(REPLAY_NMI, NULL, 0, 0, 0);
        seg_do_interrupt_all(env, EXCP02_NMI, false, 0, 0, true);
        env->nmi_blocked = true;    /* until the next IRET (SDM 6.7.1) */
        return true;
    }
    if ((interrupt_request & CPU_INTERRUPT_HARD) && (env->eflags & IF_MASK) &&
        env->get_pic_interrupt) {
        /* The hook re-asserts the line if more interrupts remain pending. */
        __atomic_fetch_and(&cs->interrupt_request, ~(unsigned)CPU_INTERRUPT_HARD,
                           __ATOMIC_SEQ_CST);
        int vector = (int)replay_value(REPLAY_IRQ, NULL, 0, 4,
                                       (uint64_t)env->get_pic_interrupt(env->pic_opaque));
        if (vector < 0) {
            return false;
        }
        cs->halted = false;
        seg_do_interrupt_all(env, vector & 0xff, false, 0, 0, true);
        return true;
    }
    return false;
}

/* ---- IRET ------------------------------------------------------------- */

void helper_iret_real(CPUX86State *env, uint32_t shift)
{
    uintptr_t ra = GETPC();
    unsigned size = 2u << shift;
    X86Stack st = seg_stack_cur(env, x86_cpu_mmu_index(env), ra);
    uint64_t new_eip = seg_pop(&st, size);
    uint32_t new_cs = seg_pop(&st, size) & 0xffff;
    uint64_t new_eflags = seg_pop(&st, size);
    uint64_t mask = TF_MASK | AC_MASK | ID_MASK | IF_MASK | IOPL_MASK | NT_MASK | RF_MASK |
                    DF_MASK | CC_ALL;

    if (env->eflags & VM_MASK) {
        mask &= ~(uint64_t)IOPL_MASK;   /* IOPL stays in virtual-8086 mode */
    }
    if (shift == 0) {
        mask &= 0xffff;
    }
    seg_set_rsp(env, st.mask, st.sp);
    cpu_x86_load_seg_cache(env, R_CS, new_cs, (uint64_t)new_cs << 4,
                           env->segs[R_CS].limit, env->segs[R_CS].flags);
    env->rip = new_eip & (shift ? 0xffffffffu : 0xffff);
    cpu_load_eflags(env, new_eflags, mask);
    env->nmi_blocked = false;
    x86_update_hflags(env);
}

void seg_load_v86_segments(CPUX86State *env, const uint32_t sel[NB_SEGS])
{
    uint32_t flags = DESC_P_MASK | DESC_S_MASK | (3u << DESC_DPL_SHIFT) | DESC_W_MASK |
                     DESC_A_MASK;

    for (int seg = 0; seg < NB_SEGS; seg++) {
        uint32_t s = sel[seg] & 0xffff;

        cpu_x86_load_seg_cache(env, seg, s, (uint64_t)s << 4, 0xffff,
                               flags | (seg == R_CS ? DESC_CS_MASK : 0));
    }
}

/* Null a data segment register the new, less privileged CPL may not use. */
static void seg_validate_on_return(CPUX86State *env, int seg, unsigned cpl)
{
    uint32_t flags = env->segs[seg].flags;
    bool conforming_code = (flags & DESC_CS_MASK) && (flags & DESC_C_MASK);

    if ((env->segs[seg].selector & 0xfffc) == 0) {
        return;
    }
    if (!conforming_code && seg_dpl(flags) < cpl) {
        cpu_x86_load_seg_cache(env, seg, 0, 0, 0, 0);
    }
}

/* After a return to the outer level cpl (far RET, IRET): ES, DS, FS and
 * GS holding data or non-conforming code of a lower DPL become null (SDM
 * vol.2 RET and IRET; a null one keeps its base, as FS/GS may have one). */
void seg_null_outer_data(CPUX86State *env, unsigned cpl)
{
    static const int segs[] = { R_ES, R_DS, R_FS, R_GS };

    for (unsigned i = 0; i < ARRAY_SIZE(segs); i++) {
        seg_validate_on_return(env, segs[i], cpl);
    }
}

/* The SS a far RET to an outer level or an IRET pops, for CPL rpl: null
 * only back to 64-bit code below CPL 3 (else #GP(0)); otherwise a
 * writable data segment with RPL = DPL = rpl (#GP(ss)), present (#SS(ss))
 * (SDM vol.2 IRET, RET).  *e1, *e2: the descriptor for seg_return_ss_set. */
void seg_return_ss_load(CPUX86State *env, uint32_t ss, unsigned rpl, bool to_64,
                        uint32_t *e1, uint32_t *e2, uintptr_t ra)
{
    if ((ss & 0xfffc) == 0) {
        if (!to_64 || rpl == 3) {
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        *e1 = 0;
        *e2 = rpl << DESC_DPL_SHIFT;      /* a null SS carrying the CPL */
        return;
    }
    if ((ss & 3) != rpl || !seg_desc_load(env, ss, e1, e2, ra) || !(*e2 & DESC_S_MASK) ||
        (*e2 & DESC_CS_MASK) || !(*e2 & DESC_W_MASK) || seg_dpl(*e2) != rpl) {
        raise_exception_err_ra(env, EXCP0D_GPF, ss & 0xfffc, ra);
    }
    if (!(*e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc, ra);
    }
}

void seg_return_ss_set(CPUX86State *env, uint32_t ss, uint32_t e1, uint32_t e2)
{
    if ((ss & 0xfffc) == 0) {
        cpu_x86_load_seg_cache(env, R_SS, ss, 0, 0, e2);
    } else {
        seg_load_from_desc(env, R_SS, ss, e1, e2);
    }
}

void helper_iret_protected(CPUX86State *env, uint32_t shift, uint32_t next_eip)
{
    uintptr_t ra = GETPC();
    unsigned cpl = seg_cpl(env);
    unsigned size = 2u << shift;
    X86Stack st = seg_stack_cur(env, x86_cpu_mmu_index(env), ra);
    uint32_t e1, e2, ss_e1 = 0, ss_e2 = 0;

    if (env->eflags & NT_MASK) {
        if (env->hflags & HF_LMA_MASK) {
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        task_iret(env, next_eip, ra);
        return;
    }

    uint64_t new_eip = seg_pop(&st, size);
    uint32_t new_cs = seg_pop(&st, size) & 0xffff;
    uint64_t new_eflags = seg_pop(&st, size);
    if (shift == 0) {
        new_eflags = (env->eflags & ~0xffffull) | (new_eflags & 0xffff);
    }

    if (shift == 1 && (new_eflags & VM_MASK) && cpl == 0 && !(env->hflags & HF_LMA_MASK)) {
        /* Return to virtual-8086 mode. */
        uint32_t new_esp = seg_pop(&st, 4);
        uint32_t new_ss = seg_pop(&st, 4) & 0xffff;
        uint32_t new_es = seg_pop(&st, 4) & 0xffff;
        uint32_t new_ds = seg_pop(&st, 4) & 0xffff;
        uint32_t new_fs = seg_pop(&st, 4) & 0xffff;
        uint32_t new_gs = seg_pop(&st, 4) & 0xffff;
        const uint32_t sels[NB_SEGS] = {
            [R_ES] = new_es, [R_CS] = new_cs, [R_SS] = new_ss,
            [R_DS] = new_ds, [R_FS] = new_fs, [R_GS] = new_gs,
        };

        if (new_eip > 0xffff) {     /* beyond the v86 code segment's limit */
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        cpu_load_eflags(env, new_eflags, CC_ALL | DF_MASK | TF_MASK | AC_MASK | ID_MASK |
                        IF_MASK | IOPL_MASK | NT_MASK | RF_MASK | VM_MASK | VIF_MASK |
                        VIP_MASK);
        seg_load_v86_segments(env, sels);
        env->regs[R_ESP] = new_esp;
        env->rip = new_eip & 0xffff;
        env->nmi_blocked = false;
        x86_update_hflags(env);
        return;
    }

    /* The return code segment. */
    if ((new_cs & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!seg_desc_load(env, new_cs, &e1, &e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }
    unsigned rpl = new_cs & 3;
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || rpl < cpl) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }
    unsigned dpl = seg_dpl(e2);
    if ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, new_cs & 0xfffc, ra);
    }
    bool to_64 = (env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK);
    if ((env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK) && (e2 & DESC_B_MASK)) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }

    /* IRET in 64-bit mode always pops SS:RSP; otherwise only on a
     * privilege change. */
    bool pop_stack = (env->hflags & HF_CS64_MASK) || rpl != cpl;
    uint64_t new_esp = 0;
    uint32_t new_ss = 0;
    if (pop_stack) {
        new_esp = seg_pop(&st, size);
        new_ss = seg_pop(&st, size) & 0xffff;
        seg_return_ss_load(env, new_ss, rpl, to_64, &ss_e1, &ss_e2, ra);
    }

    /* A non-canonical return address is #GP(0) at the IRET. */
    if (to_64 && !x86_addr_canonical(env, new_eip)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }

    /* Commit. */
    seg_load_from_desc(env, R_CS, new_cs, e1, e2);
    if (pop_stack) {
        seg_return_ss_set(env, new_ss, ss_e1, ss_e2);
        if (to_64) {
            env->regs[R_ESP] = new_esp;
        } else {
            seg_set_rsp(env, seg_stack_mask(env->segs[R_SS].flags), new_esp);
        }
    } else {
        seg_set_rsp(env, st.mask, st.sp);
    }
    env->rip = to_64 ? new_eip : (shift == 0 ? new_eip & 0xffff : (uint32_t)new_eip);

    /* Which flags this privilege level may change (IOPL, VIF, VIP at CPL 0
     * only, IF only when CPL <= IOPL); VM is never set by a protected-mode
     * IRET. */
    uint64_t mask = CC_ALL | DF_MASK | TF_MASK | AC_MASK | ID_MASK | NT_MASK | RF_MASK;
    unsigned iopl = (env->eflags & IOPL_MASK) >> 12;
    if (cpl == 0) {
        mask |= IOPL_MASK | VIF_MASK | VIP_MASK;
    }
    if (cpl <= iopl) {
        mask |= IF_MASK;
    }
    if (shift == 0) {
        mask &= 0xffff;
    }
    cpu_load_eflags(env, new_eflags, mask);

    if (rpl > cpl) {
        seg_null_outer_data(env, rpl);
    }
    env->nmi_blocked = false;
    x86_update_hflags(env);
}

/* ---- segment, LDT and task register loads ------------------------------ */

/* Set the accessed bit of the descriptor for selector (whose high dword is
 * e2) in its table, as a load does. */
void seg_desc_set_accessed(CPUX86State *env, uint32_t selector, uint32_t e2,
                                  uintptr_t ra)
{
    const SegmentCache *dt = (selector & 4) ? &env->ldt : &env->gdt;

    if (!(e2 & DESC_A_MASK)) {
        cpu_st_data_ra(env_cpu(env), dt->base + (selector & ~7u) + 4, e2 | DESC_A_MASK, MO_32,
                       MMU_KSMAP_IDX, ra);
    }
}

/* May the CPL and a selector's RPL see the descriptor whose high dword is
 * e2: DPL >= both, or conforming code (SDM vol.3 5.6, 5.8.1.2)?  The rule
 * of the data-segment loads, LAR, LSL, VERR and VERW. */
static bool seg_visible(uint32_t e2, unsigned cpl, unsigned rpl)
{
    bool conforming = (e2 & DESC_S_MASK) && (e2 & DESC_CS_MASK) && (e2 & DESC_C_MASK);

    return conforming || (seg_dpl(e2) >= cpl && seg_dpl(e2) >= rpl);
}

/*
 * MOV Sreg / POP Sreg (seg: R_ES, R_SS, R_DS, R_FS, R_GS).  Protected and
 * long mode: a null selector is allowed but in SS (there only in 64-bit
 * mode at CPL < 3 with RPL = CPL) and clears the cache; otherwise a
 * present data segment (SS: writable, DPL = RPL = CPL) or readable code
 * segment (not SS) whose DPL admits the CPL and RPL, else #GP(selector),
 * #SS(selector) for a not-present SS, #NP(selector) for the others.
 */
void helper_load_seg(CPUX86State *env, uint32_t seg, uint32_t selector)
{
    uintptr_t ra = GETPC();
    unsigned cpl = seg_cpl(env), rpl = selector & 3, dpl;
    uint32_t e1, e2;

    selector &= 0xffff;
    if (!(env->cr[0] & CR0_PE_MASK) || (env->eflags & VM_MASK)) {
        /* real and virtual-8086 mode: base = selector * 16 */
        cpu_x86_load_seg_cache(env, (int)seg, selector, (uint64_t)selector << 4,
                               env->segs[seg].limit, env->segs[seg].flags);
        return;
    }
    if ((selector & 0xfffc) == 0) {
        if (seg == R_SS) {
            if (!(env->hflags & HF_CS64_MASK) || cpl == 3 || rpl != cpl) {
                raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            }
            /* a null SS carrying the privilege level */
            cpu_x86_load_seg_cache(env, R_SS, selector, 0, 0, cpl << DESC_DPL_SHIFT);
        } else {
            cpu_x86_load_seg_cache(env, (int)seg, selector, 0, 0, 0);
        }
        return;
    }
    if (!seg_desc_load(env, selector, &e1, &e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    dpl = seg_dpl(e2);
    if (seg == R_SS) {
        if (rpl != cpl || !(e2 & DESC_S_MASK) || (e2 & DESC_CS_MASK) || !(e2 & DESC_W_MASK) ||
            dpl != cpl) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err_ra(env, EXCP0C_STACK, selector & 0xfffc, ra);
        }
    } else {
        if (!(e2 & DESC_S_MASK) || ((e2 & DESC_CS_MASK) && !(e2 & DESC_R_MASK))) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        if (!seg_visible(e2, cpl, rpl)) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err_ra(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
        }
    }
    seg_desc_set_accessed(env, selector, e2, ra);
    seg_load_from_desc(env, (int)seg, selector, e1, e2 | DESC_A_MASK);
}

/*
 * The system descriptor (LDT or TSS) a GDT selector names, for LLDT/LTR:
 * 16 bytes in long mode (base bits 63:32 in the third dword; the fourth's
 * type field must be 0), else 8.  #GP(selector) for a selector in the LDT,
 * beyond the GDT's limit or with a non-canonical base.
 */
static void seg_sys_desc_load(CPUX86State *env, uint32_t selector, uint32_t *e1, uint32_t *e2,
                              uint64_t *base, uintptr_t ra)
{
    bool lma = env->hflags & HF_LMA_MASK;
    uint32_t index = selector & ~7u;

    if ((selector & 4) || index + (lma ? 15 : 7) > env->gdt.limit) {
        raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    *e1 = seg_ldl(env, env->gdt.base + index, ra);
    *e2 = seg_ldl(env, env->gdt.base + index + 4, ra);
    *base = seg_desc_base(*e1, *e2);
    if (lma) {
        uint32_t e3 = seg_ldl(env, env->gdt.base + index + 8, ra);
        uint32_t e4 = seg_ldl(env, env->gdt.base + index + 12, ra);

        *base |= (uint64_t)e3 << 32;
        if (((e4 >> DESC_TYPE_SHIFT) & 0x1f) != 0 ||
            !x86_base_canonical(env, *base)) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
    }
}

/* LLDT: a null selector leaves the LDT unusable; else an LDT descriptor
 * (#GP(selector) for another type, #NP(selector) if not present). */
void helper_lldt(CPUX86State *env, uint32_t selector)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2;
    uint64_t base;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0) {
        env->ldt = (SegmentCache){ selector, 0, 0, 0 };
        return;
    }
    seg_sys_desc_load(env, selector, &e1, &e2, &base, ra);
    if (((e2 >> DESC_TYPE_SHIFT) & 0x1f) != SYS_LDT) {
        raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    env->ldt = (SegmentCache){ selector, base, seg_desc_limit(e1, e2), e2 };
}

/* LTR: an available TSS (64-bit in long mode, 16- or 32-bit otherwise),
 * marked busy in the GDT; #GP(0) for a null selector, #GP(selector) for
 * another type, #NP(selector) if not present. */
void helper_ltr(CPUX86State *env, uint32_t selector)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2, type;
    uint64_t base;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    seg_sys_desc_load(env, selector, &e1, &e2, &base, ra);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != SYS_TSS32_AVL && (type != SYS_TSS16_AVL || (env->hflags & HF_LMA_MASK))) {
        raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    e2 |= 2u << DESC_TYPE_SHIFT;            /* busy */
    cpu_st_data_ra(env_cpu(env), env->gdt.base + (selector & ~7u) + 4, e2, MO_32,
                   MMU_KSMAP_IDX, ra);
    env->tr = (SegmentCache){ selector, base, seg_desc_limit(e1, e2), e2 };
}

/* ---- LAR, LSL, VERR, VERW ------------------------------------------------ */

/* The descriptor selector names, if the CPL and the selector's RPL may see
 * it: false for a null selector, one beyond its table's limit or one not
 * visible (seg_visible).  These instructions answer in ZF and never fault
 * on the selector; the present bit is not checked (SDM vol.2 LAR, LSL,
 * VERR/VERW).  Only the first 8 bytes of a 16-byte system descriptor are
 * read: Intel's pseudocode reads no more. */
static bool seg_check_desc_load(CPUX86State *env, uint32_t selector, uint32_t *e1,
                                uint32_t *e2, uintptr_t ra)
{
    return (selector & 0xfffc) != 0 && seg_desc_load(env, selector, e1, e2, ra) &&
           seg_visible(*e2, seg_cpl(env), selector & 3);
}

/* The system types LAR and LSL accept, one bit per type, [lsl][IA-32e mode]
 * (SDM vol.2 tables 3-52 and 3-60): outside IA-32e mode the TSSes and the
 * LDT, for LAR also the call and task gates; in IA-32e mode the 64-bit
 * TSSes, for LAR the 64-bit call gate, for LSL the LDT and type 0 (the
 * upper half of a 16-byte descriptor).  Code and data segments are all
 * accepted. */
#define SEG_T(type) (1u << (type))
static const uint16_t seg_lar_lsl_types[2][2] = {
    {   /* LAR */
        SEG_T(SYS_TSS16_AVL) | SEG_T(SYS_LDT) | SEG_T(SYS_TSS16_BUSY) | SEG_T(SYS_CALL_GATE16) |
        SEG_T(SYS_TASK_GATE) | SEG_T(SYS_TSS32_AVL) | SEG_T(SYS_TSS32_BUSY) |
        SEG_T(SYS_CALL_GATE32),
        SEG_T(SYS_TSS32_AVL) | SEG_T(SYS_TSS32_BUSY) | SEG_T(SYS_CALL_GATE32),
    },
    {   /* LSL */
        SEG_T(SYS_TSS16_AVL) | SEG_T(SYS_LDT) | SEG_T(SYS_TSS16_BUSY) | SEG_T(SYS_TSS32_AVL) |
        SEG_T(SYS_TSS32_BUSY),
        SEG_T(0) | SEG_T(SYS_LDT) | SEG_T(SYS_TSS32_AVL) | SEG_T(SYS_TSS32_BUSY),
    },
};

/* LAR (lsl = 0): the descriptor's high dword & 00FFFF00H (the SDM's
 * 00FxFF00H, x the limit's bits 19:16 as the Intel host returns them);
 * LSL (1): the limit in bytes.  UINT64_MAX, which no 32-bit result is,
 * for ZF = 0. */
uint64_t helper_lar_lsl(CPUX86State *env, uint32_t selector, uint32_t lsl)
{
    bool ia32e = env->hflags & HF_LMA_MASK;
    uint32_t e1, e2;

    if (!seg_check_desc_load(env, selector, &e1, &e2, GETPC())) {
        return UINT64_MAX;
    }
    if (!(e2 & DESC_S_MASK) &&
        !(seg_lar_lsl_types[lsl][ia32e] & SEG_T((e2 >> DESC_TYPE_SHIFT) & 0xf))) {
        return UINT64_MAX;
    }
    return lsl ? seg_desc_limit(e1, e2) : e2 & 0x00ffff00u;
}

/* VERR (write = 0), VERW (1): may the CPL read (write) the segment
 * through this selector?  1 for a readable code or any data segment
 * (VERR), a writable data segment (VERW); system descriptors never. */
uint32_t helper_verr_verw(CPUX86State *env, uint32_t selector, uint32_t write)
{
    uint32_t e1, e2;

    if (!seg_check_desc_load(env, selector, &e1, &e2, GETPC()) || !(e2 & DESC_S_MASK)) {
        return 0;
    }
    if (e2 & DESC_CS_MASK) {
        return !write && (e2 & DESC_R_MASK);
    }
    return !write || (e2 & DESC_W_MASK);
}
