/*
 * task_helper.c: hardware task switching (SDM vol.3 ch.8), protected mode
 * outside IA-32e mode.  task_switch does the switch; its sources
 * (task-internal.h) check what the SDM's JMP, CALL, INT n and IRET
 * pseudocode checks before it and then call it.
 *
 * The switch, in the order of SDM 8.3 and table 8-2:
 *   1. In the old task's context (ra puts a fault at the instruction and
 *      nothing has changed): the new TSS present (#NP), its limit at
 *      least 0x67 (32-bit TSS) or 0x2b (16-bit) (#TS), the old TSS's
 *      likewise (#TS(TR)); the new TSS is read, then the old task's EIP,
 *      EFLAGS (NT cleared for IRET), general registers and segment
 *      selectors are written to the old TSS (LDTR and CR3 are not).
 *   2. The commit: JMP and IRET clear the old TSS's busy bit, JMP, CALL
 *      and events set the new one's; CALL and events write the back link
 *      (the old TR) and set NT in the new EFLAGS; TR, CR0.TS, then CR3
 *      (32-bit TSS with paging: the non-global TLB entries go, as for
 *      MOV to CR3), EFLAGS, EIP, the general registers and the selectors.
 *   3. In the new task's context (ra = 0: a fault is delivered at the new
 *      task's first instruction, as the SDM says): LDTR (#TS(ldt)), then
 *      CS, SS, ES, DS, FS, GS with their checks (#TS(sel), #NP(sel),
 *      #SS(ss)); an exception's error code is pushed on the new stack;
 *      EIP must lie within CS (#GP(0)).
 * A 16-bit TSS has no CR3, FS or GS slots and 16-bit fields: as on
 * Bochs and QEMU, loading one nulls FS and GS, sets the upper halves of
 * the general registers to ffff and clears those of EIP and EFLAGS.
 * A TSS with EFLAGS.VM enters virtual-8086 mode (seg_load_v86_segments).
 * Not modelled: the T bit (debug trap on entry, TSS offset 0x64) is
 * ignored; segment limits are not checked against the error-code push.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "target-x86/internal.h"
#include "target-x86/seg-internal.h"
#include "target-x86/task-internal.h"

typedef enum TaskSource { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT } TaskSource;

#define TSS_BUSY_BIT  (2u << DESC_TYPE_SHIFT)   /* type 1/9 available, 3/11 busy */
#define TSS_BACK_LINK 0

/* Where a TSS keeps the dynamic fields (SDM figures 8-2 and 8-11): one row
 * per TSS size, indexed by the type's bit 3.  regs and segs are the first
 * of 8 general registers (EAX..EDI) and nsegs selectors (ES CS SS DS FS
 * GS), width bytes apart. */
typedef struct TaskLayout {
    uint32_t eip, eflags, regs, segs, ldt, cr3;     /* cr3 0: none */
    unsigned width, nsegs;
    uint32_t min_limit;
} TaskLayout;

static const TaskLayout task_layouts[2] = {
    { 0x0e, 0x10, 0x12, 0x22, 0x2a, 0,    2, 4, 0x2b },    /* 16-bit TSS */
    { 0x20, 0x24, 0x28, 0x48, 0x60, 0x1c, 4, 6, 0x67 },    /* 32-bit TSS */
};

static const TaskLayout *task_layout(uint32_t e2)
{
    return &task_layouts[(e2 >> (DESC_TYPE_SHIFT + 3)) & 1];
}

/* The new task's state, read before anything changes. */
typedef struct TaskState {
    uint32_t eip, eflags, cr3, ldt;
    uint32_t regs[8];
    uint32_t segs[NB_SEGS];
} TaskState;

static uint32_t task_ld(CPUX86State *env, uint64_t addr, unsigned width, uintptr_t ra)
{
    return (uint32_t)cpu_ld_data_ra(env_cpu(env), addr, width == 2 ? MO_16 : MO_32,
                                    MMU_KSMAP_IDX, ra);
}

static void task_st(CPUX86State *env, uint64_t addr, uint32_t val, unsigned width, uintptr_t ra)
{
    cpu_st_data_ra(env_cpu(env), addr, val, width == 2 ? MO_16 : MO_32, MMU_KSMAP_IDX, ra);
}

/* Set or clear the busy bit of the GDT's TSS descriptor for sel. */
static void task_set_busy(CPUX86State *env, uint32_t sel, bool busy, uintptr_t ra)
{
    uint64_t addr = env->gdt.base + (sel & ~7u) + 4;
    uint32_t e2 = task_ld(env, addr, 4, ra);

    task_st(env, addr, busy ? e2 | TSS_BUSY_BIT : e2 & ~TSS_BUSY_BIT, 4, ra);
}

static void task_read(CPUX86State *env, const TaskLayout *l, uint64_t base, TaskState *ts,
                      uintptr_t ra)
{
    ts->eip = task_ld(env, base + l->eip, l->width, ra);
    ts->eflags = task_ld(env, base + l->eflags, l->width, ra);
    for (unsigned i = 0; i < 8; i++) {
        ts->regs[i] = task_ld(env, base + l->regs + i * l->width, l->width, ra);
        if (l->width == 2) {
            ts->regs[i] |= 0xffff0000u;
        }
    }
    for (unsigned i = 0; i < NB_SEGS; i++) {
        ts->segs[i] = i < l->nsegs ? task_ld(env, base + l->segs + i * l->width, 2, ra) : 0;
    }
    ts->ldt = task_ld(env, base + l->ldt, 2, ra);
    ts->cr3 = l->cr3 ? task_ld(env, base + l->cr3, 4, ra) : 0;
}

static void task_save(CPUX86State *env, const TaskLayout *l, uint64_t base, uint32_t eip,
                      uint32_t eflags, uintptr_t ra)
{
    task_st(env, base + l->eip, eip, l->width, ra);
    task_st(env, base + l->eflags, eflags, l->width, ra);
    for (unsigned i = 0; i < 8; i++) {
        task_st(env, base + l->regs + i * l->width, (uint32_t)env->regs[i], l->width, ra);
    }
    for (unsigned i = 0; i < l->nsegs; i++) {
        task_st(env, base + l->segs + i * l->width, env->segs[i].selector, 2, ra);
    }
}

/* The new task's LDTR: null, or an LDT descriptor in the GDT, present;
 * anything else #TS(ldt) (table 8-2, conditions 5 and 10). */
static void task_load_ldt(CPUX86State *env, uint32_t sel)
{
    uint32_t e1, e2;

    env->ldt = (SegmentCache){ sel, 0, 0, 0 };
    if ((sel & 0xfffc) == 0) {
        return;
    }
    if ((sel & 4) || !seg_desc_load(env, sel, &e1, &e2, 0) ||
        ((e2 >> DESC_TYPE_SHIFT) & 0x1f) != SYS_LDT || !(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0A_TSS, sel & 0xfffc);
    }
    env->ldt = (SegmentCache){ sel, seg_desc_base(e1, e2), seg_desc_limit(e1, e2), e2 };
}

/* One of the new task's segment registers, at the new CPL (CS's RPL):
 * CS code whose DPL is its RPL (conforming: at most), SS writable data
 * with RPL = DPL = CPL, the others null or data or readable code that the
 * CPL and RPL may use (table 8-2, conditions 6-17).  #TS(sel), or when
 * not present #SS(sel) for SS and #NP(sel) for the others. */
static void task_load_seg(CPUX86State *env, int seg, uint32_t sel, unsigned cpl)
{
    unsigned rpl = sel & 3, dpl;
    uint32_t e1, e2;
    bool ok;

    if ((sel & 0xfffc) == 0) {
        if (seg == R_CS || seg == R_SS) {
            raise_exception_err(env, EXCP0A_TSS, 0);
        }
        return;                 /* already loaded null */
    }
    if (!seg_desc_load(env, sel, &e1, &e2, 0) || !(e2 & DESC_S_MASK)) {
        raise_exception_err(env, EXCP0A_TSS, sel & 0xfffc);
    }
    dpl = seg_dpl(e2);
    bool code = e2 & DESC_CS_MASK, conforming = code && (e2 & DESC_C_MASK);
    switch (seg) {
    case R_CS:
        ok = code && (conforming ? dpl <= rpl : dpl == rpl);
        break;
    case R_SS:
        ok = !code && (e2 & DESC_W_MASK) && dpl == cpl && rpl == cpl;
        break;
    default:
        ok = (!code || (e2 & DESC_R_MASK)) && (conforming || (dpl >= cpl && dpl >= rpl));
        break;
    }
    if (!ok) {
        raise_exception_err(env, EXCP0A_TSS, sel & 0xfffc);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, seg == R_SS ? EXCP0C_STACK : EXCP0B_NOSEG, sel & 0xfffc);
    }
    seg_desc_set_accessed(env, sel, e2, 0);
    seg_load_from_desc(env, seg, sel, e1, e2 | DESC_A_MASK);
}

/*
 * Switch to the task whose TSS descriptor (sel, e1, e2) the source has
 * checked (type, busy state, privilege).  next_eip: where the old task
 * resumes.  has_error_code: push error_code on the new task's stack (an
 * exception through a task gate).  See the top of the file.
 */
static void task_switch(CPUX86State *env, uint32_t sel, uint32_t e1, uint32_t e2,
                        TaskSource src, uint64_t next_eip, bool has_error_code,
                        uint32_t error_code, uintptr_t ra)
{
    const TaskLayout *nl = task_layout(e2), *ol = task_layout(env->tr.flags);
    uint64_t base = seg_desc_base(e1, e2), old_base = env->tr.base;
    uint32_t limit = seg_desc_limit(e1, e2), old_sel = env->tr.selector;
    TaskState ts;

    sel &= 0xffff;
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    if (limit < nl->min_limit) {
        raise_exception_err_ra(env, EXCP0A_TSS, sel & 0xfffc, ra);
    }
    if (env->tr.limit < ol->min_limit) {
        raise_exception_err_ra(env, EXCP0A_TSS, old_sel & 0xfffc, ra);
    }
    task_read(env, nl, base, &ts, ra);

    uint32_t old_eflags = (uint32_t)cpu_compute_eflags(env);
    if (src == TASK_IRET) {
        old_eflags &= ~NT_MASK;
    }
    task_save(env, ol, old_base, (uint32_t)next_eip, old_eflags, ra);

    /* The commit: from here on the state is the new task's. */
    if (src == TASK_JMP || src == TASK_IRET) {
        task_set_busy(env, old_sel, false, ra);
    }
    if (src != TASK_IRET) {
        task_set_busy(env, sel, true, ra);
    }
    if (src == TASK_CALL || src == TASK_INT) {
        task_st(env, base + TSS_BACK_LINK, old_sel, 2, ra);
        ts.eflags |= NT_MASK;
    }
    env->tr = (SegmentCache){ sel, base, limit, e2 | TSS_BUSY_BIT };
    env->cr[0] |= CR0_TS_MASK;
    if (nl->cr3 && (env->cr[0] & CR0_PG_MASK)) {
        x86_write_cr3(env, ts.cr3, 0);
    }
    cpu_load_eflags(env, ts.eflags, CC_ALL | DF_MASK | TF_MASK | IF_MASK | IOPL_MASK |
                    NT_MASK | RF_MASK | VM_MASK | AC_MASK | VIF_MASK | VIP_MASK | ID_MASK);
    env->rip = ts.eip;
    for (unsigned i = 0; i < 8; i++) {
        env->regs[i] = ts.regs[i];
    }
    unsigned cpl = ts.segs[R_CS] & 3;
    if (env->eflags & VM_MASK) {
        seg_load_v86_segments(env, ts.segs);
    } else {
        /* Selectors with empty caches until checked; SS carries the CPL. */
        for (int seg = 0; seg < NB_SEGS; seg++) {
            cpu_x86_load_seg_cache(env, seg, ts.segs[seg], 0, 0,
                                   seg == R_SS ? cpl << DESC_DPL_SHIFT : 0);
        }
    }
    x86_update_hflags(env);

    /* Checks in the new task's context. */
    task_load_ldt(env, ts.ldt);
    if (!(env->eflags & VM_MASK)) {
        static const int order[] = { R_CS, R_SS, R_ES, R_DS, R_FS, R_GS };

        for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
            task_load_seg(env, order[i], ts.segs[order[i]], cpl);
        }
    }
    if (has_error_code) {
        X86Stack st = seg_stack_cur(env, x86_cpu_mmu_index(env), 0);

        seg_push(&st, error_code, nl->width);
        seg_set_rsp(env, st.mask, st.sp);
    }
    if (env->rip > env->segs[R_CS].limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

/* The TSS a task gate names: in the GDT, an available TSS (#GP(tss)),
 * present (#NP(tss)); ext: the error codes' EXT bit. */
static void task_gate_tss(CPUX86State *env, uint32_t tss, uint32_t *e1, uint32_t *e2,
                          unsigned ext, uintptr_t ra)
{
    unsigned type;

    if ((tss & 4) || !seg_desc_load(env, tss, e1, e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, (tss & 0xfffc) | ext, ra);
    }
    type = (*e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != SYS_TSS16_AVL && type != SYS_TSS32_AVL) {
        raise_exception_err_ra(env, EXCP0D_GPF, (tss & 0xfffc) | ext, ra);
    }
    if (!(*e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, (tss & 0xfffc) | ext, ra);
    }
}

/* SDM vol.2 JMP and CALL, TASK-GATE and TASK-STATE-SEGMENT: the gate's or
 * the TSS's DPL must admit the CPL and the selector's RPL (#GP(sel)); a
 * TSS must be an available one in the GDT (#GP(sel)), present (#NP). */
bool task_far_transfer(CPUX86State *env, uint32_t selector, uint64_t next_eip, bool is_call,
                       uintptr_t ra)
{
    unsigned cpl = seg_cpl(env), rpl = selector & 3, type, dpl;
    uint32_t e1, e2, tss = selector;

    if ((env->hflags & HF_LMA_MASK) || (selector & 0xfffc) == 0 ||
        !seg_desc_load(env, selector, &e1, &e2, ra)) {
        return false;           /* the caller raises what is due */
    }
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;     /* S included: 0 for these */
    dpl = seg_dpl(e2);
    switch (type) {
    case SYS_TASK_GATE:
        if (dpl < cpl || dpl < rpl) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err_ra(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
        }
        tss = e1 >> 16;
        task_gate_tss(env, tss, &e1, &e2, 0, ra);
        break;
    case SYS_TSS16_AVL:
    case SYS_TSS32_AVL:
    case SYS_TSS16_BUSY:
    case SYS_TSS32_BUSY:
        if (dpl < cpl || dpl < rpl || (type & 2) || (selector & 4)) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        break;
    default:
        return false;
    }
    task_switch(env, tss, e1, e2, is_call ? TASK_CALL : TASK_JMP, next_eip, false, 0, ra);
    return true;
}

/* SDM vol.2 IRET, TASK-RETURN: the back link must name a busy TSS in the
 * GDT (#TS(link)); the old task's busy bit is cleared. */
void task_iret(CPUX86State *env, uint64_t next_eip, uintptr_t ra)
{
    uint32_t link = task_ld(env, env->tr.base + TSS_BACK_LINK, 2, ra), e1, e2;

    if ((link & 4) || !seg_desc_load(env, link, &e1, &e2, ra) ||
        ((e2 >> DESC_TYPE_SHIFT) & 0x17) != SYS_TSS16_BUSY) {
        raise_exception_err_ra(env, EXCP0A_TSS, link & 0xfffc, ra);
    }
    task_switch(env, link, e1, e2, TASK_IRET, next_eip, false, 0, ra);
    env->nmi_blocked = false;
}

/* SDM vol.2 INT n, TASK-GATE: the error codes carry EXT; the event's error
 * code goes on the new task's stack. */
void task_gate_interrupt(CPUX86State *env, uint32_t gate_e1, unsigned ext, bool has_error_code,
                         uint32_t error_code, uint64_t old_eip)
{
    uint32_t tss = gate_e1 >> 16, e1, e2;

    task_gate_tss(env, tss, &e1, &e2, ext, 0);
    task_switch(env, tss, e1, e2, TASK_INT, old_eip, has_error_code, error_code, 0);
}
