/*
 * translate-debug.c: the debug architecture in translated code (SDM vol.3
 * ch.17): MOV to and from DR0-DR7, INT1 (ICEBP), instruction breakpoints
 * and the EFLAGS.TF single-step trap.  The helpers are debug_helper.c.
 *
 * Instruction breakpoints are found at translation: an instruction whose
 * linear address is an enabled DR0-DR3 execute breakpoint starts its own
 * block, which begins with a call to helper_insn_breakpoint (RF is looked
 * at there, at run time).  Blocks are therefore only valid for one DR7 and
 * DR0-DR3: helper_set_dr flushes the translations when breakpoints change.
 * Blocks without breakpoints gain nothing.  A debugger's breakpoints
 * (CPUState.breakpoints, set by the gdbstub) work the same way but stop
 * the vCPU (helper_debug: EXCP_DEBUG) instead of raising #DB.
 *
 * Single step: under TF a block holds one instruction (translate.c) and
 * every way out of it (gen_eob_lookup, DISAS_EOB_NEXT, IRET) calls
 * gen_single_step first, which raises the #DB trap with rip at the next
 * instruction.  An instruction that faults leaves without it, as on
 * hardware.  MOV SS and POP SS suppress the trap for themselves (the
 * shadow: it comes after the next instruction instead).
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

/* 0F 21 /r mov r, DRn; 0F 23 /r mov DRn, r.  #UD for DR8-DR15 (REX.R),
 * #GP(0) at CPL > 0; the helper checks CR4.DE and DR7.GD. */
void gen_MOV_DR(DisasContext *s, X86DecodedInsn *d)
{
    bool write = d->op[0].kind == X86_OPK_DR;
    int dr = d->op[write ? 0 : 1].reg;

    if (dr > 7) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    gen_update_cc_op(s);
    if (write) {
        gen_helper_set_dr(tcg_env, tcg_constant_i32(dr), gen_op_ld(s, d, 1));
        s->is_jmp = DISAS_EOB_NEXT;     /* breakpoints may have changed */
    } else {
        TCGv_i64 v = tcg_temp_new_i64();

        gen_helper_get_dr(v, tcg_env, tcg_constant_i32(dr));
        gen_op_st(s, d, 0, v);
    }
}

/* F1 int1: a #DB trap without a gate DPL check and without DR6 bits. */
void gen_INT1(DisasContext *s, X86DecodedInsn *d)
{
    (void)d;
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc_next);
    gen_helper_raise_exception(tcg_env, tcg_constant_i32(EXCP01_DB));
    s->is_jmp = DISAS_NORETURN;
}

/* The DR0-DR3 execute breakpoints (R/W = 00) enabled at s->pc, as a mask. */
static unsigned insn_breakpoints_at(const CPUX86State *env, uint64_t pc)
{
    uint64_t dr7 = env->dr[7];
    unsigned hits = 0;

    if (!(dr7 & 0xff)) {
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        if (((dr7 >> (2 * i)) & 3) && !((dr7 >> (16 + 4 * i)) & 3) && env->dr[i] == pc) {
            hits |= 1u << i;
        }
    }
    return hits;
}

static bool debugger_breakpoint_at(const CPUState *cs, uint64_t pc)
{
    for (unsigned i = 0; i < cs->nb_breakpoints; i++) {
        if (cs->breakpoints[i] == pc) {
            return true;
        }
    }
    return false;
}

bool x86_gen_insn_breakpoint(DisasContext *s, int num_insns)
{
    unsigned hits;

    if (unlikely(debugger_breakpoint_at(env_cpu(s->env), s->pc))) {
        /* the debugger's come first, before the instruction's #DB check */
        if (num_insns > 0) {
            return true;
        }
        gen_update_cc_op(s);
        gen_store_rip(s, s->pc);
        gen_helper_debug(tcg_env);   /* does not return: the rest is dead */
        return false;
    }
    hits = insn_breakpoints_at(s->env, s->pc);

    if (!hits) {
        return false;
    }
    if (num_insns > 0) {
        return true;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_insn_breakpoint(tcg_env, tcg_constant_i32(hits));
    return false;
}

bool gen_single_step(DisasContext *s)
{
    if (!(s->flags & HF_TF_MASK) || s->db_shadow) {
        return false;
    }
    gen_helper_single_step(tcg_env);
    s->is_jmp = DISAS_NORETURN;
    return true;
}

void gen_clear_rf(DisasContext *s)
{
    TCGv_i64 f;

    if (!(s->flags & HF_RF_MASK)) {
        return;
    }
    f = tcg_temp_new_i64();
    tcg_gen_ld_i64(f, tcg_env, offsetof(CPUX86State, eflags));
    tcg_gen_andi_i64(f, f, ~(int64_t)RF_MASK);
    tcg_gen_st_i64(f, tcg_env, offsetof(CPUX86State, eflags));
}

void gen_io_breakpoint(DisasContext *s, X86DecodedInsn *d, TCGv_i32 port, unsigned ot,
                       bool rep)
{
    uint32_t desc = (1u << ot) | (uint32_t)(s->pc_next - s->pc) << X86_IOBPT_LEN_SHIFT |
                    (rep ? X86_IOBPT_REP : 0) | (uint32_t)d->aflag << X86_IOBPT_ASIZE_SHIFT;

    if (!(s->flags & HF_IOBPT_MASK)) {
        return;
    }
    if (!port) {
        port = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(port, cpu_regs[R_EDX]);
        tcg_gen_andi_i32(port, port, 0xffff);
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_io_breakpoint(tcg_env, port, tcg_constant_i32(desc));
}
