/*
 * translate-bmi.c: BMI1 (andn bextr blsi blsmsk blsr), BMI2 (bzhi mulx pdep
 * pext rorx sarx shlx shrx), ADX (adcx adox), MOVBE and CRC32.
 *
 * The BMI instructions are VEX-encoded with 32/64-bit operands (y, by
 * VEX.W); all but pdep/pext/crc32 are plain IR.  Flags: the BMI1 ones and
 * bzhi define ZF/SF/CF (OF cleared) and leave AF/PF (bextr: SF too)
 * undefined; tern clears the undefined ones, as the Intel hardware we
 * observed does (docs/isa.md, "Undefined flags").  Those flags are computed
 * right away into cc_src with CC_OP_EFLAGS: a few IR ops, and no CC_OP
 * needs to know that PF reads 0.  adcx/adox must keep every other flag, so
 * they materialise EFLAGS the same way.  The BMI2 shifts, mulx, rorx,
 * pdep/pext, movbe and crc32 leave the flags alone.
 *
 * Destinations are registers (G or VEX.vvvv), so the only faulting
 * operation is the load of Ey, which comes first (translate.h invariant).
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

static unsigned bmi_bits(unsigned ot)
{
    return 8u << ot;
}

/*
 * EFLAGS := ZF and (if sf) SF of res at size ot, CF from cf (0/1, or NULL
 * for 0); OF, AF, PF and the rest read 0.
 */
static void gen_bmi_flags(DisasContext *s, unsigned ot, TCGv_i64 res, TCGv_i64 cf, bool sf)
{
    TCGv_i64 f = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    res = gen_ext_tmp(ot, res, false);
    tcg_gen_setcondi_i64(TCG_COND_EQ, f, res, 0);
    tcg_gen_shli_i64(f, f, 6);                       /* ZF */
    if (sf) {
        tcg_gen_shri_i64(t, res, bmi_bits(ot) - 1);
        tcg_gen_shli_i64(t, t, 7);                   /* SF */
        tcg_gen_or_i64(f, f, t);
    }
    if (cf) {
        tcg_gen_or_i64(f, f, cf);                    /* CF */
    }
    tcg_gen_mov_i64(cpu_cc_src, f);
    set_cc_op(s, CC_OP_EFLAGS);
}

/* andn Gy, By, Ey: Gy = ~By & Ey */
void gen_ANDN(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 src = gen_op_ld(s, d, 2), res = tcg_temp_new_i64();

    tcg_gen_andc_i64(res, src, gen_op_ld(s, d, 1));
    gen_op_st(s, d, 0, res);
    gen_bmi_flags(s, d->op[0].ot, res, NULL, true);
}

/* bextr Gy, Ey, By: By[7:0] = start, By[15:8] = length */
void gen_BEXTR(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 src = gen_op_ld(s, d, 1), ctl = gen_op_ld(s, d, 2);
    TCGv_i64 start = tcg_temp_new_i64(), len = tcg_temp_new_i64();
    TCGv_i64 res = tcg_temp_new_i64(), mask = tcg_temp_new_i64();
    TCGv_i64 zero = tcg_constant_i64(0), c64 = tcg_constant_i64(64);

    tcg_gen_andi_i64(start, ctl, 0xff);
    tcg_gen_shri_i64(len, ctl, 8);
    tcg_gen_andi_i64(len, len, 0xff);
    /* src is zero-extended: a start at or past the width shifts in zeros */
    tcg_gen_andi_i64(mask, start, 63);
    tcg_gen_shr_i64(res, src, mask);
    tcg_gen_movcond_i64(TCG_COND_LTU, res, start, c64, res, zero);
    tcg_gen_andi_i64(mask, len, 63);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), mask);
    tcg_gen_subi_i64(mask, mask, 1);
    tcg_gen_movcond_i64(TCG_COND_LTU, mask, len, c64, mask, tcg_constant_i64(-1));
    tcg_gen_and_i64(res, res, mask);
    gen_op_st(s, d, 0, res);
    gen_bmi_flags(s, d->op[0].ot, res, NULL, false);
}

/* blsi/blsmsk/blsr By, Ey: lowest set bit isolated, masked up to, reset */
static void gen_bls(DisasContext *s, X86DecodedInsn *d, X86InsnKind kind)
{
    TCGv_i64 src = gen_op_ld(s, d, 1), res = tcg_temp_new_i64(), cf = tcg_temp_new_i64();
    unsigned ot = d->op[0].ot;

    src = gen_ext_tmp(ot, src, false);
    if (kind == X86_INSN_BLSI) {
        tcg_gen_neg_i64(res, src);
        tcg_gen_and_i64(res, res, src);
        tcg_gen_setcondi_i64(TCG_COND_NE, cf, src, 0);
    } else {
        tcg_gen_subi_i64(res, src, 1);
        if (kind == X86_INSN_BLSMSK) {
            tcg_gen_xor_i64(res, res, src);
        } else {
            tcg_gen_and_i64(res, res, src);
        }
        tcg_gen_setcondi_i64(TCG_COND_EQ, cf, src, 0);
    }
    gen_op_st(s, d, 0, res);
    gen_bmi_flags(s, ot, res, cf, true);
}

void gen_BLSI(DisasContext *s, X86DecodedInsn *d)
{
    gen_bls(s, d, X86_INSN_BLSI);
}

void gen_BLSMSK(DisasContext *s, X86DecodedInsn *d)
{
    gen_bls(s, d, X86_INSN_BLSMSK);
}

void gen_BLSR(DisasContext *s, X86DecodedInsn *d)
{
    gen_bls(s, d, X86_INSN_BLSR);
}

/* bzhi Gy, Ey, By: clear the bits from index By[7:0] up; CF: index too big */
void gen_BZHI(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    TCGv_i64 src = gen_op_ld(s, d, 1), idx = tcg_temp_new_i64();
    TCGv_i64 mask = tcg_temp_new_i64(), res = tcg_temp_new_i64(), cf = tcg_temp_new_i64();
    TCGv_i64 width = tcg_constant_i64(bmi_bits(ot));

    tcg_gen_andi_i64(idx, gen_op_ld(s, d, 2), 0xff);
    tcg_gen_andi_i64(mask, idx, 63);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), mask);
    tcg_gen_subi_i64(mask, mask, 1);
    tcg_gen_movcond_i64(TCG_COND_LTU, mask, idx, width, mask, tcg_constant_i64(-1));
    tcg_gen_and_i64(res, src, mask);
    tcg_gen_setcond_i64(TCG_COND_GEU, cf, idx, width);
    gen_op_st(s, d, 0, res);
    gen_bmi_flags(s, ot, res, cf, true);
}

/* mulx Gy, By, Ey: Gy:By = rDX * Ey, unsigned; the high half wins if Gy == By */
void gen_MULX(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    TCGv_i64 src = gen_op_ld(s, d, 2), lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    TCGv_i64 rdx = gen_reg_ld(ot, R_EDX, false);

    if (ot == MO_64) {
        tcg_gen_mulu2_i64(lo, hi, rdx, src);
    } else {
        tcg_gen_mul_i64(lo, rdx, src);               /* 32 x 32 fits in 64 */
        tcg_gen_shri_i64(hi, lo, 32);
    }
    gen_op_st(s, d, 1, lo);
    gen_op_st(s, d, 0, hi);
}

/* pdep/pext Gy, By, Ey: By's bits deposited to / extracted from mask Ey */
void gen_PDEP(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 res = tcg_temp_new_i64();

    gen_helper_pdep(res, gen_op_ld(s, d, 1), gen_op_ld(s, d, 2));
    gen_op_st(s, d, 0, res);
}

void gen_PEXT(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 res = tcg_temp_new_i64();

    gen_helper_pext(res, gen_op_ld(s, d, 1), gen_op_ld(s, d, 2));
    gen_op_st(s, d, 0, res);
}

/* rorx Gy, Ey, Ib: rotate right by Ib mod the width */
void gen_RORX(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot, n = d->op[2].imm & (bmi_bits(ot) - 1);
    TCGv_i64 src = gen_op_ld(s, d, 1), res = tcg_temp_new_i64();

    if (ot == MO_64) {
        tcg_gen_rotri_i64(res, src, n);
    } else {
        TCGv_i32 t = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(t, src);
        tcg_gen_rotri_i32(t, t, n);
        tcg_gen_extu_i32_i64(res, t);
    }
    gen_op_st(s, d, 0, res);
}

/* sarx/shlx/shrx Gy, Ey, By: shift by By mod the width, flags unchanged */
static void gen_shiftx(DisasContext *s, X86DecodedInsn *d, X86InsnKind kind)
{
    unsigned ot = d->op[0].ot;
    TCGv_i64 src = gen_op_ld(s, d, 1), cnt = tcg_temp_new_i64(), res = tcg_temp_new_i64();

    tcg_gen_andi_i64(cnt, gen_op_ld(s, d, 2), bmi_bits(ot) - 1);
    switch (kind) {
    case X86_INSN_SARX:
        tcg_gen_sar_i64(res, gen_ext_tmp(ot, src, true), cnt);
        break;
    case X86_INSN_SHLX:
        tcg_gen_shl_i64(res, src, cnt);
        break;
    default:
        tcg_gen_shr_i64(res, src, cnt);             /* src is zero-extended */
        break;
    }
    gen_op_st(s, d, 0, res);
}

void gen_SARX(DisasContext *s, X86DecodedInsn *d)
{
    gen_shiftx(s, d, X86_INSN_SARX);
}

void gen_SHLX(DisasContext *s, X86DecodedInsn *d)
{
    gen_shiftx(s, d, X86_INSN_SHLX);
}

void gen_SHRX(DisasContext *s, X86DecodedInsn *d)
{
    gen_shiftx(s, d, X86_INSN_SHRX);
}

/* adcx/adox Gy, Ey: Gy += Ey + CF (OF), carry out to CF (OF) alone */
static void gen_adx(DisasContext *s, X86DecodedInsn *d, uint64_t flag)
{
    unsigned ot = d->op[0].ot, shift = flag == CC_C ? 0 : 11;
    TCGv_i64 src = gen_op_ld(s, d, 1), dst = gen_op_ld(s, d, 0);
    TCGv_i64 f = tcg_temp_new_i64(), cin = tcg_temp_new_i64();
    TCGv_i64 sum = tcg_temp_new_i64(), cout = tcg_temp_new_i64();

    tcg_gen_mov_i64(f, gen_compute_eflags_tmp(s));
    tcg_gen_shri_i64(cin, f, shift);
    tcg_gen_andi_i64(cin, cin, 1);
    if (ot == MO_64) {
        TCGv_i64 c2 = tcg_temp_new_i64();
        tcg_gen_add_i64(sum, dst, src);
        tcg_gen_setcond_i64(TCG_COND_LTU, cout, sum, src);
        tcg_gen_add_i64(sum, sum, cin);
        tcg_gen_setcond_i64(TCG_COND_LTU, c2, sum, cin);
        tcg_gen_or_i64(cout, cout, c2);
    } else {
        tcg_gen_add_i64(sum, dst, src);              /* zero-extended: no overflow */
        tcg_gen_add_i64(sum, sum, cin);
        tcg_gen_shri_i64(cout, sum, 32);
    }
    gen_op_st(s, d, 0, sum);
    tcg_gen_andi_i64(f, f, ~flag);
    tcg_gen_shli_i64(cout, cout, shift);
    tcg_gen_or_i64(cpu_cc_src, f, cout);
    set_cc_op(s, CC_OP_EFLAGS);
}

void gen_ADCX(DisasContext *s, X86DecodedInsn *d)
{
    gen_adx(s, d, CC_C);
}

void gen_ADOX(DisasContext *s, X86DecodedInsn *d)
{
    gen_adx(s, d, CC_O);
}

/* movbe Gv, Mv / Mv, Gv: a byte-swapping move */
void gen_MOVBE(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_op_ld(s, d, 1), t = tcg_temp_new_i64();

    switch (d->ot) {
    case MO_16:
        tcg_gen_bswap16_i64(t, v);
        break;
    case MO_32:
        tcg_gen_bswap32_i64(t, v);
        break;
    default:
        tcg_gen_bswap64_i64(t, v);
        break;
    }
    gen_op_st(s, d, 0, t);
}

/* crc32 Gy, Eb/Ev: CRC-32C of the source's bytes into Gy's low 32 bits */
void gen_CRC32(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 crc = tcg_temp_new_i64(), res = tcg_temp_new_i64();

    tcg_gen_ext32u_i64(crc, gen_op_ld(s, d, 0));
    gen_helper_crc32(res, crc, gen_op_ld(s, d, 1), tcg_constant_i32(8 << d->op[1].ot));
    gen_op_st(s, d, 0, res);
}
