/*
 * translate-msr.c: RDMSR/WRMSR (msr_helper.c) and the fast system calls
 * SYSCALL, SYSRET, SYSENTER, SYSEXIT (syscall_helper.c).
 *
 * Decided here, from the TB flags: #UD for SYSCALL/SYSRET outside 64-bit
 * mode, #GP(0) at CPL > 0 (RDMSR, WRMSR, SYSEXIT) and for SYSENTER/SYSEXIT
 * in real mode.  EFER.SCE is not a TB flag, so the helpers check it (#UD),
 * and SYSRET's CPL check too, which comes after it.  The helpers switch
 * CS, SS, RFLAGS and rip; these instructions then leave the block, as IRET
 * does, so the next one is translated at the new privilege and mode.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

/* 0F 32 rdmsr, 0F 30 wrmsr: CPL 0.  A write may change EFER (the mode
 * bits) or a segment base: the block ends after it. */
void gen_RDMSR_WRMSR(DisasContext *s, X86DecodedInsn *d)
{
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    gen_outside_read_start(s);
    if (d->e.kind == X86_INSN_RDMSR) {
        gen_helper_rdmsr(tcg_env);
    } else {
        gen_helper_wrmsr(tcg_env);
        s->is_jmp = DISAS_EOB_NEXT;
    }
    gen_outside_read_end(s);
}

/* Leave the block after a helper that set rip, CS and the flags */
static void gen_sys_exit_block(DisasContext *s)
{
    if (s->jmp_opt) {
        tcg_gen_lookup_and_goto_ptr();      /* by the new CPL and mode */
    } else {
        tcg_gen_exit_tb(NULL, 0);
    }
    s->is_jmp = DISAS_NORETURN;
}

/* Intel: SYSCALL and SYSRET only in 64-bit mode */
static bool gen_syscall_ud(DisasContext *s)
{
    if (!s->code64) {
        gen_exception(s, EXCP06_ILLOP);
        return true;
    }
    return false;
}

/* 0F 05 syscall */
void gen_SYSCALL(DisasContext *s, X86DecodedInsn *d)
{
    (void)d;
    if (gen_syscall_ud(s)) {
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_syscall(tcg_env, tcg_constant_i64(s->pc_next - s->cs_base));
    gen_sys_exit_block(s);
}

/* 0F 07 sysret (REX.W: to 64-bit code) */
void gen_SYSRET(DisasContext *s, X86DecodedInsn *d)
{
    if (gen_syscall_ud(s)) {
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_sysret(tcg_env, tcg_constant_i32(!!(d->rex & 8)));
    gen_sys_exit_block(s);
}

/* 0F 34 sysenter, 0F 35 sysexit (REX.W: to 64-bit code): protected mode */
void gen_SYSENTER_SYSEXIT(DisasContext *s, X86DecodedInsn *d)
{
    bool exit = d->e.kind == X86_INSN_SYSEXIT;

    if (!(s->flags & HF_PE_MASK) || (exit && s->cpl != 0)) {
        gen_exception_gp0(s);
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    if (exit) {
        gen_helper_sysexit(tcg_env, tcg_constant_i32(!!(d->rex & 8)));
    } else {
        gen_helper_sysenter(tcg_env);
    }
    gen_sys_exit_block(s);
}
