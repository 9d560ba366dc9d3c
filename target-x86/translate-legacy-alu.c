/*
 * translate-legacy-alu.c: the instructions that exist only outside 64-bit
 * mode (decode-table.c marks them i64: #UD there): the decimal adjusts
 * DAA, DAS, AAA, AAS, AAM, AAD (bcd_helper.c), BOUND, INTO
 * (legacy_helper.c), ARPL (63 outside 64-bit mode; decode.c picks its row)
 * and the undocumented SALC (D6).
 */
#include "target-x86/translate.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* 27 2F 37 3F, D4 ib, D5 ib: AX and the flags from helper_bcd; AAM 0 is #DE
 * (a fault, before anything changes). */
void gen_BCD(DisasContext *s, X86DecodedInsn *d)
{
    unsigned op = d->opcode, imm = 0;
    TCGv_i64 r = tcg_temp_new_i64();

    if (op == 0xd4 || op == 0xd5) {
        imm = (unsigned)d->op[0].imm & 0xff;
        if (op == 0xd4 && imm == 0) {
            gen_exception(s, EXCP00_DIVZ);
            return;
        }
    }
    gen_helper_bcd(r, gen_reg_ld(MO_16, R_EAX, false), gen_compute_eflags_tmp(s),
                   tcg_constant_i32(op | imm << 8));
    gen_reg_st(MO_16, R_EAX, false, r);
    tcg_gen_shri_i64(cpu_cc_src, r, 16);
    set_cc_op(s, CC_OP_EFLAGS);
}

/* D6 salc: AL = CF ? FF : 00; no flag changes. */
void gen_SALC(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_andi_i64(t, gen_compute_eflags_tmp(s), CC_C);
    tcg_gen_neg_i64(t, t);
    gen_reg_st(MO_8, R_EAX, false, t);
}

/* 62 /r bound r16/32, m16&16/m32&32: #BR (a fault) unless
 * lower <= index <= upper, signed; a register operand is #UD. */
void gen_BOUND(DisasContext *s, X86DecodedInsn *d)
{
    MemOp mo = (MemOp)(d->ot | MO_SIGN);
    TCGv_i64 a0, lo, hi, idx;

    if (d->op[1].kind != X86_OPK_MEM) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    a0 = gen_a0(s, d);
    lo = tcg_temp_new_i64();
    hi = tcg_temp_new_i64();
    idx = tcg_temp_new_i64();
    tcg_gen_guest_ld_i64(lo, a0, s->mmu_idx, mo);
    tcg_gen_addi_i64(hi, a0, 1 << d->ot);
    tcg_gen_guest_ld_i64(hi, hi, s->mmu_idx, mo);
    if (d->ot == MO_16) {
        tcg_gen_ext16s_i64(idx, gen_op_ld(s, d, 0));
    } else {
        tcg_gen_ext32s_i64(idx, gen_op_ld(s, d, 0));
    }
    gen_helper_bound(tcg_env, idx, lo, hi);
}

/* CE into: the #OF trap (vector 4, return address after INTO) when OF = 1;
 * delivered like INT3 (the gate's DPL is checked). */
void gen_INTO(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 f = gen_compute_eflags_tmp(s);

    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_into(tcg_env, f, tcg_constant_i32(d->len));
}

/* 63 /r arpl r/m16, r16 (protected mode only, else #UD): if the RPL of the
 * destination is below the source's, raise it to the source's and set ZF,
 * else clear ZF; the other flags are kept.  A memory destination is always
 * written back. */
void gen_ARPL(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 dst, src, drpl = tcg_temp_new_i64(), srpl = tcg_temp_new_i64();
    TCGv_i64 t = tcg_temp_new_i64(), f = tcg_temp_new_i64(), z = tcg_temp_new_i64();

    if (!(s->flags & HF_PE_MASK) || (s->flags & VM_MASK)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    dst = gen_op_ld(s, d, 0);
    src = gen_op_ld(s, d, 1);
    tcg_gen_andi_i64(drpl, dst, 3);
    tcg_gen_andi_i64(srpl, src, 3);
    tcg_gen_andi_i64(t, dst, ~3ull);
    tcg_gen_or_i64(t, t, srpl);
    tcg_gen_movcond_i64(TCG_COND_LTU, t, drpl, srpl, t, dst);
    tcg_gen_andi_i64(f, gen_compute_eflags_tmp(s), ~(uint64_t)CC_Z);
    gen_op_st(s, d, 0, t);
    tcg_gen_setcond_i64(TCG_COND_LTU, z, drpl, srpl);
    tcg_gen_shli_i64(z, z, 6);                  /* CC_Z */
    tcg_gen_or_i64(cpu_cc_src, f, z);
    set_cc_op(s, CC_OP_EFLAGS);
}
