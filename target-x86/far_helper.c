/*
 * far_helper.c: far JMP, CALL and RET (EA, 9A, FF /3, FF /5, CB, CA).
 *
 * Real and virtual-8086 mode: CS = selector, base = selector << 4, its
 * limit and attributes kept (so a big limit survives: unreal mode).
 * Protected and long mode: the selector must name a code segment the CPL
 * may enter (conforming: DPL <= CPL; otherwise RPL <= CPL and DPL = CPL,
 * the RPL becoming the CPL), present (#NP), with the offset inside its
 * limit (#GP(0)) or canonical for 64-bit code; a far RET may return to
 * the same or an outer level only by RPL (SDM vol.2 RET, JMP, CALL).
 * Call gates (16/32-bit, 64-bit in long mode) lead to a code segment at
 * the same level (JMP: also a conforming one of a lower DPL) or, for a
 * CALL, to a more privileged non-conforming one on the stack the TSS gives
 * for that level (far_call_inner); a far RET to an outer level pops that
 * level's SS:rSP as well (helper_lret).  A TSS or task gate target
 * (outside long mode) is a task switch (task_helper.c).
 *
 * Every check and stack access happens before any register changes, so a
 * fault leaves the state at the instruction (ra: GETPC() of the helper).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/seg-internal.h"
#include "target-x86/task-internal.h"

static bool far_real_mode(const CPUX86State *env)
{
    return !(env->cr[0] & CR0_PE_MASK) || (env->eflags & VM_MASK);
}

/* The current stack (SS:rSP, at its width) for pushes and pops. */
static X86Stack far_stack(CPUX86State *env, uintptr_t ra)
{
    return seg_stack_cur(env, x86_cpu_mmu_index(env), ra);
}

/* Real mode: CS = selector, base selector << 4, limit and flags kept. */
static void far_load_cs_real(CPUX86State *env, uint32_t selector, uint64_t new_eip)
{
    selector &= 0xffff;
    cpu_x86_load_seg_cache(env, R_CS, selector, (uint64_t)selector << 4,
                           env->segs[R_CS].limit, env->segs[R_CS].flags);
    env->rip = new_eip;
}

/* The offset new_eip must lie in the target code segment: canonical for
 * 64-bit code, else within its limit (#GP(0)). */
static void far_check_offset(CPUX86State *env, uint32_t e1, uint32_t e2, uint64_t new_eip,
                             uintptr_t ra)
{
    bool to_64 = (env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK);

    if (to_64 ? !x86_addr_canonical(env, new_eip) : new_eip > seg_desc_limit(e1, e2)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

/* Where a far JMP or CALL goes: the code segment (selector, descriptor)
 * and offset, and the size of a CALL's pushes (shift 0/1/2: 16/32/64-bit;
 * the operand size, or the call gate's). */
typedef struct FarTarget {
    uint32_t sel, e1, e2;
    uint64_t eip;
    unsigned shift;
    unsigned params;    /* a 16/32-bit call gate's count of stack parameters */
    bool inner;         /* a CALL through a gate to a more privileged level */
} FarTarget;

/* The code segment a call gate names (sel, e1, e2) may be entered by a JMP
 * (conforming with DPL <= CPL, or DPL = CPL) or a CALL (DPL <= CPL; to a
 * more privileged non-conforming one with a stack switch: t->inner); long
 * mode wants 64-bit code. */
static void far_gate_target_check(CPUX86State *env, FarTarget *t, bool is_call,
                                  uintptr_t ra)
{
    unsigned cpl = seg_cpl(env), dpl = seg_dpl(t->e2);
    bool conforming = t->e2 & DESC_C_MASK;

    if (!(t->e2 & DESC_S_MASK) || !(t->e2 & DESC_CS_MASK) || dpl > cpl ||
        (!is_call && !conforming && dpl != cpl) ||
        ((env->hflags & HF_LMA_MASK) &&
         (!(t->e2 & DESC_L_MASK) || (t->e2 & DESC_B_MASK)))) {
        raise_exception_err_ra(env, EXCP0D_GPF, t->sel & 0xfffc, ra);
    }
    t->inner = is_call && !conforming && dpl < cpl;
    if (!(t->e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, t->sel & 0xfffc, ra);
    }
}

/* A far JMP or CALL through the system descriptor gsel (e1, e2): a call
 * gate (16- or 32-bit; in long mode only the 16-byte 64-bit one) whose DPL
 * admits the CPL and the RPL.  Task gates and TSSs were taken before
 * (task_far_transfer); here they are long mode's, #GP(selector) as the
 * other system types. */
static void far_gate_resolve(CPUX86State *env, uint32_t gsel, uint32_t e1, uint32_t e2,
                             bool is_call, FarTarget *t, uintptr_t ra)
{
    unsigned type = (e2 >> DESC_TYPE_SHIFT) & 0xf, dpl = seg_dpl(e2);
    bool lma = env->hflags & HF_LMA_MASK;

    if (type != SYS_CALL_GATE32 && (lma || type != SYS_CALL_GATE16)) {
        raise_exception_err_ra(env, EXCP0D_GPF, gsel & 0xfffc, ra);
    }
    if (dpl < seg_cpl(env) || dpl < (gsel & 3)) {
        raise_exception_err_ra(env, EXCP0D_GPF, gsel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, gsel & 0xfffc, ra);
    }
    t->sel = e1 >> 16;
    t->eip = (e1 & 0xffff) | (type == SYS_CALL_GATE16 ? 0 : e2 & 0xffff0000u);
    t->shift = type == SYS_CALL_GATE16 ? 0 : 1;
    t->params = e2 & 0x1f;
    if (lma) {
        uint32_t e3, e4;

        /* the gate's upper half: offset 63:32, and a type field of 0 */
        if (!seg_desc_load(env, gsel + 8, &e3, &e4, ra) ||
            ((e4 >> DESC_TYPE_SHIFT) & 0x1f) != 0) {
            raise_exception_err_ra(env, EXCP0D_GPF, gsel & 0xfffc, ra);
        }
        t->eip |= (uint64_t)e3 << 32;
        t->shift = 2;
        t->params = 0;
    }
    if ((t->sel & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!seg_desc_load(env, t->sel, &t->e1, &t->e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, t->sel & 0xfffc, ra);
    }
    far_gate_target_check(env, t, is_call, ra);
}

/* Resolve the target of a far JMP or CALL to selector:new_eip (operand
 * size shift) and check it (see above). */
static void far_target_resolve(CPUX86State *env, uint32_t selector, uint64_t new_eip,
                               bool is_call, unsigned shift, FarTarget *t, uintptr_t ra)
{
    unsigned cpl = seg_cpl(env), rpl = selector & 3, dpl;

    *t = (FarTarget){ .sel = selector, .eip = new_eip, .shift = shift };
    if ((selector & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!seg_desc_load(env, selector, &t->e1, &t->e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(t->e2 & DESC_S_MASK)) {
        far_gate_resolve(env, selector, t->e1, t->e2, is_call, t, ra);
    } else {
        dpl = seg_dpl(t->e2);
        if (!(t->e2 & DESC_CS_MASK) ||
            ((t->e2 & DESC_C_MASK) ? dpl > cpl : rpl > cpl || dpl != cpl)) {
            raise_exception_err_ra(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
        if (!(t->e2 & DESC_P_MASK)) {
            raise_exception_err_ra(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
        }
    }
    far_check_offset(env, t->e1, t->e2, t->eip, ra);
}

/* Enter the checked code segment at privilege level cpl (RPL := CPL). */
static void far_enter(CPUX86State *env, const FarTarget *t, unsigned cpl, uintptr_t ra)
{
    seg_desc_set_accessed(env, t->sel, t->e2, ra);
    seg_load_from_desc(env, R_CS, (t->sel & 0xfffc) | cpl, t->e1, t->e2 | DESC_A_MASK);
    env->rip = (env->hflags & HF_CS64_MASK) ? t->eip : (uint32_t)t->eip;
}

/* Does the stack segment (e1, e2) hold the need bytes below sp (at the
 * stack's width mask), expand-up or expand-down? */
static bool far_stack_room(uint32_t e1, uint32_t e2, uint64_t sp, uint64_t mask,
                           unsigned need)
{
    uint64_t lo = (sp - need) & mask, hi = (sp - 1) & mask;

    return lo <= hi && x86_seg_range_ok(e2, seg_desc_limit(e1, e2), lo, need);
}

/*
 * A CALL through a gate to the more privileged level DPL of t's code
 * segment (SDM vol.2 CALL, MORE-PRIVILEGE; vol.3 5.8.5): the stack for
 * that level comes from the TSS (long mode: RSPn, non-canonical #SS(0),
 * and a null SS with RPL = DPL; else SSn:ESPn, checked by
 * seg_inner_ss_load, #SS(SS) without room for the frame), which gets the
 * old SS:rSP, the gate's count of words or dwords copied from the old
 * stack (16/32-bit gates) and the return CS:rIP, all pushed before any
 * register changes.  The new stack is written as a supervisor access.
 */
static void far_call_inner(CPUX86State *env, const FarTarget *t, uint64_t next_eip,
                           uintptr_t ra)
{
    unsigned dpl = seg_dpl(t->e2), size = 2u << t->shift;
    unsigned need = size * (4 + t->params);
    uint32_t ss = dpl, ss_e1 = 0, ss_e2 = dpl << DESC_DPL_SHIFT, esp;
    X86Stack old = far_stack(env, ra), st;
    uint64_t params[32];

    if (env->hflags & HF_LMA_MASK) {
        uint64_t rsp = seg_tss64_rsp(env, dpl, ra);

        if (!x86_addr_canonical(env, rsp - 1) || !x86_addr_canonical(env, rsp - need)) {
            raise_exception_err_ra(env, EXCP0C_STACK, 0, ra);
        }
        st = (X86Stack){ env, 0, rsp, ~0ull, MMU_KSMAP_IDX, ra };
    } else {
        seg_tss32_stack(env, dpl, &ss, &esp, ra);
        seg_inner_ss_load(env, ss, dpl, &ss_e1, &ss_e2, ra);
        st = seg_stack_new(env, ss & 0xfffc, ss_e1, ss_e2, esp, ra);
        if (!far_stack_room(ss_e1, ss_e2, esp, st.mask, need)) {
            raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc, ra);
        }
    }
    for (unsigned i = 0; i < t->params; i++) {
        params[i] = seg_pop(&old, size);
    }
    seg_push(&st, env->segs[R_SS].selector, size);
    seg_push(&st, env->regs[R_ESP], size);
    for (unsigned i = t->params; i-- > 0;) {
        seg_push(&st, params[i], size);
    }
    seg_push(&st, env->segs[R_CS].selector, size);
    seg_push(&st, next_eip, size);

    if (env->hflags & HF_LMA_MASK) {
        cpu_x86_load_seg_cache(env, R_SS, ss, 0, 0, ss_e2);
    } else {
        seg_desc_set_accessed(env, ss, ss_e2, ra);
        seg_load_from_desc(env, R_SS, ss, ss_e1, ss_e2 | DESC_A_MASK);
    }
    seg_set_rsp(env, st.mask, st.sp);
    far_enter(env, t, dpl, ra);
}

/* next_eip: where the old task resumes, if this is a task switch. */
void helper_ljmp(CPUX86State *env, uint32_t selector, uint64_t new_eip, uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    FarTarget t;

    selector &= 0xffff;
    if (far_real_mode(env)) {
        far_load_cs_real(env, selector, new_eip);
        return;
    }
    if (task_far_transfer(env, selector, next_eip, false, ra)) {
        return;
    }
    far_target_resolve(env, selector, new_eip, false, 0, &t, ra);
    far_enter(env, &t, seg_cpl(env), ra);
}

/* shift 0/1/2: 16/32/64-bit operand size (the size of each push, unless
 * a call gate sets its own). */
void helper_lcall(CPUX86State *env, uint32_t selector, uint64_t new_eip, uint32_t shift,
                  uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    X86Stack st = far_stack(env, ra);
    FarTarget t = { .shift = shift };
    bool real = far_real_mode(env);

    selector &= 0xffff;
    if (!real && task_far_transfer(env, selector, next_eip, true, ra)) {
        return;
    }
    if (!real) {
        far_target_resolve(env, selector, new_eip, true, shift, &t, ra);
        if (t.inner) {
            far_call_inner(env, &t, next_eip, ra);
            return;
        }
    }
    seg_push(&st, env->segs[R_CS].selector, 2u << t.shift);
    seg_push(&st, next_eip, 2u << t.shift);
    if (real) {
        far_load_cs_real(env, selector, new_eip);
    } else {
        far_enter(env, &t, seg_cpl(env), ra);
    }
    seg_set_rsp(env, st.mask, st.sp);
}

/* addend: CA iw's byte count released after the return address (and, on
 * a return to an outer level, after the outer SS:rSP too).  To an outer
 * level (SDM vol.2 RET, RETURN-TO-OUTER-PRIVILEGE-LEVEL) the SS:rSP
 * popped after the parameters is checked as IRET checks it
 * (seg_return_ss_load) and data segments the outer level may not use
 * become null. */
void helper_lret(CPUX86State *env, uint32_t shift, uint32_t addend)
{
    uintptr_t ra = GETPC();
    unsigned size = 2u << shift;
    X86Stack st = far_stack(env, ra);
    uint64_t new_eip = seg_pop(&st, size), new_esp = 0;
    uint32_t new_cs = seg_pop(&st, size) & 0xffff;
    unsigned cpl = seg_cpl(env), rpl = new_cs & 3, dpl;
    uint32_t e1, e2, new_ss = 0, ss_e1 = 0, ss_e2 = 0;
    bool to_64;

    if (shift == 0) {
        new_eip &= 0xffff;
    } else if (shift == 1) {
        new_eip = (uint32_t)new_eip;
    }
    if (far_real_mode(env)) {
        far_load_cs_real(env, new_cs, new_eip);
        seg_set_rsp(env, st.mask, st.sp + addend);
        return;
    }
    if ((new_cs & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!seg_desc_load(env, new_cs, &e1, &e2, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }
    dpl = seg_dpl(e2);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || rpl < cpl ||
        ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl)) {
        raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err_ra(env, EXCP0B_NOSEG, new_cs & 0xfffc, ra);
    }
    to_64 = (env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK);
    if (rpl > cpl) {
        st.sp += addend;
        new_esp = seg_pop(&st, size);
        new_ss = seg_pop(&st, size) & 0xffff;
        seg_return_ss_load(env, new_ss, rpl, to_64, &ss_e1, &ss_e2, ra);
    }
    far_check_offset(env, e1, e2, new_eip, ra);
    seg_desc_set_accessed(env, new_cs, e2, ra);
    seg_load_from_desc(env, R_CS, new_cs, e1, e2 | DESC_A_MASK);
    env->rip = (env->hflags & HF_CS64_MASK) ? new_eip : (uint32_t)new_eip;
    if (rpl > cpl) {
        seg_return_ss_set(env, new_ss, ss_e1, ss_e2);
        if (to_64) {
            env->regs[R_ESP] = new_esp + addend;
        } else {
            seg_set_rsp(env, seg_stack_mask(ss_e2), new_esp + addend);
        }
        seg_null_outer_data(env, rpl);
    } else {
        seg_set_rsp(env, st.mask, st.sp + addend);
    }
}
