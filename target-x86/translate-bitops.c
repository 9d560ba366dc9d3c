/*
 * translate-bitops.c: bit tests (bt bts btr btc), bit scans (bsf bsr tzcnt
 * lzcnt), popcnt, the double shifts (shld shrd) and bswap.
 *
 * Flags, as the Intel hardware tern is checked against (a Xeon; tests/x86
 * bitops.c and shld.c prove them natively) produces them, undefined ones
 * included where one rule covers them:
 *   bt*          CF = the bit; every other flag unchanged.
 *   bsf/bsr      ZF = (source == 0); PF = parity of the bit index (of 0
 *                for a zero source); CF OF SF AF clear.  A zero source
 *                leaves the destination register unchanged, all 64 bits
 *                (not zero-extended).
 *   tzcnt/lzcnt  CF = (source == 0), ZF = (result == 0), the rest clear.
 *   popcnt       ZF = (source == 0), the rest clear.
 *   shld/shrd    as shl/shr: CF = last bit out, SF ZF PF of the result,
 *                OF = sign change of the first one-bit step (the SDM
 *                defines it for a count of 1 only; Intel computes it so for
 *                every count), AF clear (docs/isa.md).  A count of
 *                0 changes nothing.  16-bit operands with counts 17..31
 *                (undefined in the SDM) follow Intel hardware: shld/shrd
 *                shift the 48-bit concatenation dst:src:dst (shld: bits out
 *                of the top, shrd: out of the bottom of src:dst:... read as
 *                dst:src:dst >> count).
 *   bswap        16-bit operand (undefined): the low word becomes 0, as on
 *                Intel hardware; bits 16-63 are kept.
 *
 * The IR has no ctz/clz: ctz(x) = ctpop(~x & (x - 1)) and the highest set
 * bit comes from ctpop of x with every bit below its top bit set (smear).
 */
#include "target-x86/translate.h"

static unsigned ot_bits(unsigned ot)
{
    return 8u << ot;
}

/* ---- bt bts btr btc ---------------------------------------------------- */

void gen_BT(DisasContext *s, X86DecodedInsn *d)
{
    unsigned kind = d->e.kind, ot = d->op[0].ot, bits = ot_bits(ot);
    TCGv_i64 bitno = tcg_temp_new_i64(), val, cf = tcg_temp_new_i64();
    TCGv_i64 f, nf = tcg_temp_new_i64(), mask = tcg_temp_new_i64(), res = NULL;

    if (d->op[1].kind == X86_OPK_IMM) {
        tcg_gen_movi_i64(bitno, d->op[1].imm & (bits - 1));
    } else {
        TCGv_i64 off = gen_op_ld(s, d, 1);

        if (d->op[0].kind == X86_OPK_MEM) {
            /* a register bit offset is signed and may address beyond the
             * operand: displace the address by (offset >> log2(bits)) units */
            TCGv_i64 disp = tcg_temp_new_i64();

            tcg_gen_sari_i64(disp, gen_ext_tmp(ot, off, true), 3 + ot);
            tcg_gen_shli_i64(disp, disp, ot);
            s->A0 = gen_ea_extra(s, d, disp);
        }
        tcg_gen_andi_i64(bitno, off, bits - 1);
    }
    val = gen_op_ld(s, d, 0);
    tcg_gen_shr_i64(cf, val, bitno);
    tcg_gen_andi_i64(cf, cf, 1);
    f = gen_compute_eflags_tmp(s);
    tcg_gen_andi_i64(nf, f, ~(uint64_t)CC_C);
    tcg_gen_or_i64(nf, nf, cf);

    if (kind != X86_INSN_BT) {
        res = tcg_temp_new_i64();
        tcg_gen_shl_i64(mask, tcg_constant_i64(1), bitno);
        if (kind == X86_INSN_BTS) {
            tcg_gen_or_i64(res, val, mask);
        } else if (kind == X86_INSN_BTR) {
            tcg_gen_andc_i64(res, val, mask);
        } else {
            tcg_gen_xor_i64(res, val, mask);
        }
        if (d->op[0].kind == X86_OPK_MEM) {
            gen_op_st(s, d, 0, res);        /* may fault: before the flags */
        }
    }
    tcg_gen_mov_i64(cpu_cc_src, nf);
    set_cc_op(s, CC_OP_EFLAGS);
    if (res && d->op[0].kind != X86_OPK_MEM) {
        gen_op_st(s, d, 0, res);
    }
}

/* ---- bit scans and popcnt ----------------------------------------------- */

/* x | x >> 1 | x >> 2 ...: every bit below x's highest set bit set. */
static TCGv_i64 gen_smear(TCGv_i64 x)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    int sh;

    tcg_gen_mov_i64(t, x);
    for (sh = 1; sh < 64; sh <<= 1) {
        tcg_gen_shri_i64(u, t, sh);
        tcg_gen_or_i64(t, t, u);
    }
    return t;
}

/* cc_src = CC_* bits: a (0/1 temp) at bit_a, b at bit_b (b may be NULL). */
static void gen_set_eflags2(DisasContext *s, TCGv_i64 a, unsigned bit_a, TCGv_i64 b,
                            unsigned bit_b)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_shli_i64(cpu_cc_src, a, bit_a);
    if (b) {
        tcg_gen_shli_i64(t, b, bit_b);
        tcg_gen_or_i64(cpu_cc_src, cpu_cc_src, t);
    }
    set_cc_op(s, CC_OP_EFLAGS);
}

void gen_BITSCAN(DisasContext *s, X86DecodedInsn *d)
{
    unsigned kind = d->e.kind, ot = d->op[0].ot, bits = ot_bits(ot);
    TCGv_i64 src = tcg_temp_new_i64(), res = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    int reg = d->op[0].reg;

    tcg_gen_mov_i64(src, gen_op_ld(s, d, 1));     /* zero-extended, a copy */
    switch (kind) {
    case X86_INSN_BSF:
    case X86_INSN_TZCNT:
        /* tzcnt of 0 is the width: a guard bit just above the operand */
        tcg_gen_ori_i64(t, src, ot == MO_64 ? 0 : 1ull << bits);
        tcg_gen_subi_i64(res, t, 1);
        tcg_gen_andc_i64(res, res, t);
        tcg_gen_ctpop_i64(res, res);
        break;
    case X86_INSN_BSR:
        tcg_gen_ctpop_i64(res, gen_smear(src));
        tcg_gen_subi_i64(res, res, 1);
        break;
    default:    /* lzcnt */
        tcg_gen_ctpop_i64(res, gen_smear(src));
        tcg_gen_neg_i64(res, res);
        tcg_gen_addi_i64(res, res, bits);
        break;
    }

    if (kind == X86_INSN_BSF || kind == X86_INSN_BSR) {
        /* a zero source keeps the whole destination register */
        TCGv_i64 old = tcg_temp_new_i64(), zero = tcg_constant_i64(0);

        tcg_gen_mov_i64(old, cpu_regs[reg]);
        gen_op_st(s, d, 0, res);
        tcg_gen_movcond_i64(TCG_COND_EQ, cpu_regs[reg], src, zero, old, cpu_regs[reg]);
        /* PF: even parity of the index (0 < 64: one byte), 0 for a zero source */
        tcg_gen_movcond_i64(TCG_COND_EQ, t, src, zero, zero, res);
        tcg_gen_ctpop_i64(t, t);
        tcg_gen_andi_i64(t, t, 1);
        tcg_gen_xori_i64(t, t, 1);
        tcg_gen_setcondi_i64(TCG_COND_EQ, old, src, 0);
        gen_set_eflags2(s, t, 2, old, 6);
        return;
    }
    {
        TCGv_i64 cf = tcg_temp_new_i64(), zf = tcg_temp_new_i64();

        tcg_gen_setcondi_i64(TCG_COND_EQ, cf, src, 0);
        tcg_gen_setcondi_i64(TCG_COND_EQ, zf, res, 0);
        gen_set_eflags2(s, cf, 0, zf, 6);
    }
    gen_op_st(s, d, 0, res);
}

void gen_POPCNT(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 src = gen_op_ld(s, d, 1), res = tcg_temp_new_i64(), zf = tcg_temp_new_i64();

    tcg_gen_ctpop_i64(res, src);
    tcg_gen_setcondi_i64(TCG_COND_EQ, zf, src, 0);
    gen_set_eflags2(s, zf, 6, NULL, 0);
    gen_op_st(s, d, 0, res);
}

/* ---- shld shrd ------------------------------------------------------- */

/*
 * 16/32-bit operands: shift a 64-bit concatenation (shld: dst:src, or
 * dst:src:dst for 16 bits, shifted left and read at bit 32; shrd: src:dst,
 * or dst:src:dst, shifted right).  64-bit operands: two shifts; the bits
 * shifted in are (src >> 1) >> (63 - n) so that n = 0 stays a valid shift.
 * cc_src is the value shifted by n - 1, as shl/shr leave it; OF as theirs.
 */
void gen_SHIFTD(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    bool left = d->e.kind == X86_INSN_SHLD;
    int64_t mask = ot == MO_64 ? 63 : 31;
    TCGv_i64 cnt = NULL, a, b, n, nm1 = tcg_temp_new_i64();
    TCGv_i64 res = tcg_temp_new_i64(), tmp = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    TCGv_i64 ofv = tcg_temp_new_i64();

    b = gen_op_ld(s, d, 1);
    a = gen_op_ld(s, d, 0);
    if (d->op[2].kind == X86_OPK_IMM) {
        if ((d->op[2].imm & mask) == 0) {
            gen_op_st(s, d, 0, a);              /* no flags; 32-bit still zero-extends */
            return;
        }
        n = tcg_constant_i64(d->op[2].imm & mask);
    } else {
        cnt = n = tcg_temp_new_i64();
        tcg_gen_andi_i64(cnt, cpu_regs[R_ECX], mask);
    }
    tcg_gen_subi_i64(nm1, n, 1);

    if (ot == MO_64) {
        TCGv_i64 in = tcg_temp_new_i64();

        tcg_gen_sub_i64(t, tcg_constant_i64(63), n);
        if (left) {
            tcg_gen_shri_i64(in, b, 1);
            tcg_gen_shr_i64(in, in, t);
            tcg_gen_shl_i64(res, a, n);
            tcg_gen_shl_i64(tmp, a, nm1);
        } else {
            tcg_gen_shli_i64(in, b, 1);
            tcg_gen_shl_i64(in, in, t);
            tcg_gen_shr_i64(res, a, n);
            tcg_gen_shr_i64(tmp, a, nm1);
        }
        tcg_gen_or_i64(res, res, in);
    } else {
        TCGv_i64 comb = tcg_temp_new_i64();

        if (ot == MO_16) {
            tcg_gen_shli_i64(comb, a, 32);
            tcg_gen_shli_i64(t, b, 16);
            tcg_gen_or_i64(comb, comb, t);
            tcg_gen_or_i64(comb, comb, a);
        } else {
            tcg_gen_shli_i64(comb, left ? a : b, 32);
            tcg_gen_or_i64(comb, comb, left ? b : a);
        }
        if (left) {
            tcg_gen_shl_i64(res, comb, n);
            tcg_gen_shri_i64(res, res, 32);
            tcg_gen_shl_i64(tmp, comb, nm1);
            tcg_gen_shri_i64(tmp, tmp, 32);
        } else {
            tcg_gen_shr_i64(res, comb, n);
            tcg_gen_shr_i64(tmp, comb, nm1);
        }
    }
    /* OF's sign bit, the first one-bit step: shld msb ^ msb-1 of dst,
     * shrd msb of dst ^ bit 0 of src */
    if (left) {
        tcg_gen_shli_i64(ofv, a, 1);
    } else {
        tcg_gen_shli_i64(ofv, b, 8 * (1 << ot) - 1);
    }
    tcg_gen_xor_i64(ofv, ofv, a);
    gen_shift_finish(s, d, cnt, res, tmp, ofv, (left ? CC_OP_SHLB : CC_OP_SARB) + ot);
}

/* ---- bswap -------------------------------------------------------------- */

void gen_BSWAP(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    TCGv_i64 v = tcg_temp_new_i64();

    if (ot == MO_64) {
        tcg_gen_bswap64_i64(v, cpu_regs[d->op[0].reg]);
    } else if (ot == MO_32) {
        tcg_gen_bswap32_i64(v, cpu_regs[d->op[0].reg]);
    } else {
        tcg_gen_movi_i64(v, 0);     /* undefined; Intel clears the low word */
    }
    gen_op_st(s, d, 0, v);
}
