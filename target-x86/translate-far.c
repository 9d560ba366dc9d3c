/*
 * translate-far.c: far JMP, CALL and RET.  The far pointer comes from the
 * instruction (EA, 9A: ptr16:16/32, offset then selector) or memory
 * (FF /5, FF /3: m16:16/32/64, the offset first); far_helper.c checks
 * and loads CS.  A block ends after each: CS changes the mode bits.
 */
#include "target-x86/translate.h"
#include "target-x86/internal.h"
#include "exec/exec-all.h"
#include "exec/translation-block.h"
#include "target-x86/helper.h"

/* Load the far pointer into *sel and *off; false (after #UD) for a
 * register operand of FF /3 or /5. */
static bool gen_far_ptr(DisasContext *s, X86DecodedInsn *d, TCGv_i32 *sel, TCGv_i64 *off)
{
    TCGv_i64 a0, t;

    if (d->op[0].kind == X86_OPK_IMM) {
        *off = tcg_constant_i64(d->op[0].imm & (d->ot == MO_16 ? 0xffff : 0xffffffffu));
        *sel = tcg_constant_i32((uint32_t)d->op[1].imm & 0xffff);
        return true;
    }
    if (d->op[0].kind != X86_OPK_MEM) {
        gen_exception(s, EXCP06_ILLOP);
        return false;
    }
    a0 = gen_a0(s, d);
    *off = tcg_temp_new_i64();
    tcg_gen_guest_ld_i64(*off, a0, s->mmu_idx, (MemOp)d->ot);
    t = tcg_temp_new_i64();
    tcg_gen_addi_i64(t, a0, 1 << d->ot);
    tcg_gen_guest_ld_i64(t, t, s->mmu_idx, MO_16);
    *sel = tcg_temp_new_i32();
    tcg_gen_extrl_i64_i32(*sel, t);
    return true;
}

/* The helper has set CS and rip: leave for the new mode's blocks (after
 * the single-step trap under TF). */
static void gen_far_end(DisasContext *s)
{
    if (!gen_single_step(s)) {
        tcg_gen_exit_tb(NULL, 0);
    }
    s->is_jmp = DISAS_NORETURN;
}

void gen_LJMP(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 sel;
    TCGv_i64 off;

    if (!gen_far_ptr(s, d, &sel, &off)) {
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    /* the next EIP: what a task switch saves in the old TSS */
    gen_helper_ljmp(tcg_env, sel, off, tcg_constant_i64(s->pc_next - s->cs_base));
    gen_far_end(s);
}

void gen_LCALL(DisasContext *s, X86DecodedInsn *d)
{
    uint64_t next = s->pc_next - s->cs_base;
    TCGv_i32 sel;
    TCGv_i64 off;

    if (!gen_far_ptr(s, d, &sel, &off)) {
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_lcall(tcg_env, sel, off, tcg_constant_i32(d->ot - MO_16),
                     tcg_constant_i64(d->ot == MO_16 ? next & 0xffff : next));
    gen_far_end(s);
}

void gen_LRET(DisasContext *s, X86DecodedInsn *d)
{
    uint32_t addend = d->op[0].kind == X86_OPK_IMM ? (uint16_t)d->op[0].imm : 0;

    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_lret(tcg_env, tcg_constant_i32(d->ot - MO_16), tcg_constant_i32(addend));
    gen_far_end(s);
}
