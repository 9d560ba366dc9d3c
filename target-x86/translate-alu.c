/*
 * translate-alu.c: x86 arithmetic, logic, shifts, multiply/divide, and the
 * lazy-flags side of the translator: condition codes for jcc/setcc/cmov.
 *
 * Flags: each generator leaves its result and operands in cc_dst/cc_src/
 * cc_src2 and sets the static cc_op (set_cc_op); nothing computes EFLAGS
 * until a consumer needs it.  A consumer (gen_prepare_cc) derives the
 * condition inline when the static cc_op allows (cmp+jcc becomes a compare
 * of the recovered operands), else it calls cc_compute_all into a temp.
 * The cc globals are only written after an instruction's last faulting
 * operation (see translate.h).
 *
 * Operand values from gen_op_ld may be the register global itself (64-bit
 * registers) or, for the "raw" ALU path, carry garbage above the operand
 * size: cc_* values are only meaningful in their low 8 << size bits, and
 * every consumer extends them.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

enum { JCC_O, JCC_B, JCC_Z, JCC_BE, JCC_S, JCC_P, JCC_L, JCC_LE };

static unsigned ot_bits(unsigned ot)
{
    return 8u << ot;
}

static uint64_t ot_signbit(unsigned ot)
{
    return 1ull << (ot_bits(ot) - 1);
}

/* ---- conditions ------------------------------------------------------- */

static CCPrepare cc_imm(TCGCond cond, TCGv_i64 reg, int64_t imm)
{
    return (CCPrepare){ .cond = cond, .reg = reg, .imm = imm };
}

static CCPrepare cc_reg2(TCGCond cond, TCGv_i64 a, TCGv_i64 b)
{
    return (CCPrepare){ .cond = cond, .reg = a, .reg2 = b, .use_reg2 = true };
}

static CCPrepare cc_const(bool v)
{
    return cc_imm(v ? TCG_COND_EQ : TCG_COND_NE, tcg_constant_i64(0), 0);
}

/* EFLAGS (as CC_* bits) into a temp, leaving the cc globals alone. */
TCGv_i64 gen_compute_eflags_tmp(DisasContext *s)
{
    TCGv_i64 t;
    TCGv_i32 op;

    if (s->cc_op == CC_OP_EFLAGS) {
        return cpu_cc_src;
    }
    if (s->cc_op == CC_OP_CLR) {
        return tcg_constant_i64(CC_Z | CC_P);
    }
    op = s->cc_op == CC_OP_DYNAMIC ? cpu_cc_op : tcg_constant_i32(s->cc_op);
    t = tcg_temp_new_i64();
    gen_helper_cc_compute_all(t, cpu_cc_dst, cpu_cc_src, cpu_cc_src2, op);
    return t;
}

/* ZF = eq (0/1; eq itself becomes 0 or CC_Z), the other flags kept. */
void gen_set_zf(DisasContext *s, TCGv_i64 eq)
{
    TCGv_i64 f = gen_compute_eflags_tmp(s), nf = tcg_temp_new_i64();

    tcg_gen_andi_i64(nf, f, ~(uint64_t)CC_Z);
    tcg_gen_shli_i64(eq, eq, 6);
    tcg_gen_or_i64(cpu_cc_src, nf, eq);
    set_cc_op(s, CC_OP_EFLAGS);
}

static CCPrepare cc_from_eflags(TCGv_i64 f, int jcc)
{
    static const uint64_t bits[8] = {
        [JCC_O] = CC_O, [JCC_B] = CC_C, [JCC_Z] = CC_Z, [JCC_BE] = CC_C | CC_Z,
        [JCC_S] = CC_S, [JCC_P] = CC_P,
    };
    TCGv_i64 t = tcg_temp_new_i64();

    if (jcc == JCC_L || jcc == JCC_LE) {
        /* SF != OF: OF (bit 11) shifted onto SF (bit 7) */
        tcg_gen_shri_i64(t, f, 4);
        tcg_gen_xor_i64(t, t, f);
        tcg_gen_andi_i64(t, t, CC_S);
        if (jcc == JCC_LE) {
            TCGv_i64 z = tcg_temp_new_i64();
            tcg_gen_andi_i64(z, f, CC_Z);
            tcg_gen_or_i64(t, t, z);
        }
    } else {
        tcg_gen_andi_i64(t, f, bits[jcc]);
    }
    return cc_imm(TCG_COND_NE, t, 0);
}

/* The condition jcc (not inverted) from the static cc_op where possible. */
static CCPrepare cc_prepare_jcc(DisasContext *s, int jcc)
{
    CCOp op = s->cc_op;

    if (op == CC_OP_CLR) {
        return cc_const(jcc == JCC_Z || jcc == JCC_BE || jcc == JCC_P || jcc == JCC_LE);
    }
    if (op >= CC_OP_MULB && op <= CC_OP_BMILGQ) {
        unsigned ot = (op - CC_OP_MULB) & 3;
        CCOp base = op - ot;
        TCGv_i64 t;

        if (jcc == JCC_Z) {
            if (base == CC_OP_MULB) {
                return cc_const(false);         /* mul/imul clear ZF (cc_helper.c) */
            }
            return cc_imm(TCG_COND_EQ, gen_ext_tmp(ot, cpu_cc_dst, false), 0);
        }
        if (jcc == JCC_S) {
            return cc_imm(TCG_COND_LT, gen_ext_tmp(ot, cpu_cc_dst, true), 0);
        }
        switch (base) {
        case CC_OP_SUBB:
            if (jcc == JCC_B || jcc == JCC_BE || jcc == JCC_L || jcc == JCC_LE) {
                static const TCGCond conds[8] = {
                    [JCC_B] = TCG_COND_LTU, [JCC_BE] = TCG_COND_LEU,
                    [JCC_L] = TCG_COND_LT, [JCC_LE] = TCG_COND_LE,
                };
                bool sign = jcc >= JCC_L;
                TCGv_i64 src1 = s->cc_srcT;

                if (!src1 || s->cc_srcT_op != op || s->cc_srcT_pc != s->pc) {
                    src1 = tcg_temp_new_i64();
                    tcg_gen_add_i64(src1, cpu_cc_dst, cpu_cc_src);   /* a = (a - b) + b */
                }
                return cc_reg2(conds[jcc], gen_ext_tmp(ot, src1, sign),
                               gen_ext_tmp(ot, cpu_cc_src, sign));
            }
            break;
        case CC_OP_ADDB:
            if (jcc == JCC_B) {
                return cc_reg2(TCG_COND_LTU, gen_ext_tmp(ot, cpu_cc_dst, false),
                               gen_ext_tmp(ot, cpu_cc_src, false));
            }
            break;
        case CC_OP_LOGICB:
            switch (jcc) {
            case JCC_O: case JCC_B:
                return cc_const(false);
            case JCC_BE:
                return cc_imm(TCG_COND_EQ, gen_ext_tmp(ot, cpu_cc_dst, false), 0);
            case JCC_L:
                return cc_imm(TCG_COND_LT, gen_ext_tmp(ot, cpu_cc_dst, true), 0);
            case JCC_LE:
                return cc_imm(TCG_COND_LE, gen_ext_tmp(ot, cpu_cc_dst, true), 0);
            }
            break;
        case CC_OP_INCB:
        case CC_OP_DECB:
            if (jcc == JCC_B) {
                return cc_imm(TCG_COND_NE, cpu_cc_src, 0);
            }
            break;
        case CC_OP_SHLB:
            if (jcc == JCC_B) {
                t = tcg_temp_new_i64();
                tcg_gen_andi_i64(t, cpu_cc_src, ot_signbit(ot));
                return cc_imm(TCG_COND_NE, t, 0);
            }
            break;
        case CC_OP_SARB:
            if (jcc == JCC_B) {
                t = tcg_temp_new_i64();
                tcg_gen_andi_i64(t, cpu_cc_src, 1);
                return cc_imm(TCG_COND_NE, t, 0);
            }
            break;
        case CC_OP_MULB:
            if (jcc == JCC_B || jcc == JCC_O) {
                return cc_imm(TCG_COND_NE, cpu_cc_src, 0);
            }
            break;
        default:
            break;
        }
    }
    return cc_from_eflags(gen_compute_eflags_tmp(s), jcc);
}

CCPrepare gen_prepare_cc(DisasContext *s, int b)
{
    CCPrepare cc = cc_prepare_jcc(s, (b >> 1) & 7);

    if (b & 1) {
        cc.cond = tcg_invert_cond(cc.cond);
    }
    return cc;
}

static void gen_setcond_cc(CCPrepare cc, TCGv_i64 dst)
{
    if (cc.use_reg2) {
        tcg_gen_setcond_i64(cc.cond, dst, cc.reg, cc.reg2);
    } else {
        tcg_gen_setcondi_i64(cc.cond, dst, cc.reg, cc.imm);
    }
}

/* CF as 0/1 in a temp. */
static TCGv_i64 gen_compute_c(DisasContext *s)
{
    TCGv_i64 t = tcg_temp_new_i64();
    gen_setcond_cc(cc_prepare_jcc(s, JCC_B), t);
    return t;
}

/*
 * Store the result and then the flags: for a memory destination the store
 * comes first (it may fault); for a register, the flags come first, as
 * their sources may be that very register.
 */
static void gen_finish(DisasContext *s, X86DecodedInsn *d, bool store, TCGv_i64 res,
                       TCGv_i64 src, TCGv_i64 src2, CCOp op)
{
    bool mem = d->op[0].kind == X86_OPK_MEM;

    if (store && mem) {
        gen_op_st(s, d, 0, res);
    }
    if (src) {
        tcg_gen_mov_i64(cpu_cc_src, src);
    }
    if (src2) {
        tcg_gen_mov_i64(cpu_cc_src2, src2);
    }
    tcg_gen_mov_i64(cpu_cc_dst, res);
    if (store && !mem) {
        gen_op_st(s, d, 0, res);
    }
    set_cc_op(s, op);
}

static TCGv_i64 gen_op_ld_raw(DisasContext *s, X86DecodedInsn *d, int i)
{
    X86DecodedOp *o = &d->op[i];

    if (o->kind == X86_OPK_REG && !o->high_byte) {
        return cpu_regs[o->reg];   /* the low bits are what counts */
    }
    return gen_op_ld(s, d, i);
}

/* ---- ALU ---------------------------------------------------------------- */

void gen_ALU(DisasContext *s, X86DecodedInsn *d)
{
    unsigned kind = d->e.kind, ot = d->op[0].ot;
    bool store = !(d->e.flags & X86_F_NOP0);
    TCGv_i64 a, b, res, cf = NULL, srcT = NULL;
    CCOp op;

    if (kind == X86_INSN_XOR && d->op[0].kind == X86_OPK_REG &&
        d->op[1].kind == X86_OPK_REG && d->op[0].reg == d->op[1].reg &&
        d->op[0].high_byte == d->op[1].high_byte) {
        gen_op_st(s, d, 0, tcg_constant_i64(0));
        set_cc_op(s, CC_OP_CLR);
        return;
    }
    if (kind == X86_INSN_ADC || kind == X86_INSN_SBB) {
        cf = gen_compute_c(s);
    }
    a = gen_op_ld_raw(s, d, 0);
    b = gen_op_ld_raw(s, d, 1);
    res = tcg_temp_new_i64();
    if (kind == X86_INSN_SUB || kind == X86_INSN_CMP) {
        /* a copy the optimizer folds away while a is unchanged */
        srcT = tcg_temp_new_i64();
        tcg_gen_mov_i64(srcT, a);
    }
    switch (kind) {
    case X86_INSN_ADD:
        tcg_gen_add_i64(res, a, b);
        op = CC_OP_ADDB;
        break;
    case X86_INSN_ADC:
        tcg_gen_add_i64(res, a, b);
        tcg_gen_add_i64(res, res, cf);
        op = CC_OP_ADCB;
        break;
    case X86_INSN_SUB:
    case X86_INSN_CMP:
        tcg_gen_sub_i64(res, a, b);
        op = CC_OP_SUBB;
        break;
    case X86_INSN_SBB:
        tcg_gen_sub_i64(res, a, b);
        tcg_gen_sub_i64(res, res, cf);
        op = CC_OP_SBBB;
        break;
    case X86_INSN_AND:
    case X86_INSN_TEST:
        tcg_gen_and_i64(res, a, b);
        op = CC_OP_LOGICB;
        break;
    case X86_INSN_OR:
        tcg_gen_or_i64(res, a, b);
        op = CC_OP_LOGICB;
        break;
    default:
        tcg_gen_xor_i64(res, a, b);
        op = CC_OP_LOGICB;
        break;
    }
    gen_finish(s, d, store, res, op == CC_OP_LOGICB ? NULL : b, cf, op + ot);
    if (srcT) {
        s->cc_srcT = srcT;
        s->cc_srcT_op = op + ot;
        s->cc_srcT_pc = s->pc_next;
    }
}

void gen_INCDEC(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    bool inc = d->e.kind == X86_INSN_INC;
    TCGv_i64 cf = gen_compute_c(s);
    TCGv_i64 a = gen_op_ld_raw(s, d, 0);
    TCGv_i64 res = tcg_temp_new_i64();

    tcg_gen_addi_i64(res, a, inc ? 1 : -1);
    gen_finish(s, d, true, res, cf, NULL, (inc ? CC_OP_INCB : CC_OP_DECB) + ot);
}

void gen_NEG(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a = gen_op_ld_raw(s, d, 0);
    TCGv_i64 res = tcg_temp_new_i64();

    tcg_gen_neg_i64(res, a);
#ifdef TERN_PLANTED_BUG
    /* tests/scripts/suite-compare.sh: a translator bug for the compare
     * mode to find, in the shadow's blocks only: NEG's flags as a logical
     * operation's (CF = 0 where it should be operand != 0) */
    if (s->tb->cflags & CF_SHADOW) {
        gen_finish(s, d, true, res, NULL, NULL, CC_OP_LOGICB + d->op[0].ot);
        return;
    }
#endif
    /* flags of 0 - a */
    gen_finish(s, d, true, res, a, NULL, CC_OP_SUBB + d->op[0].ot);
}

void gen_NOT(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 res = tcg_temp_new_i64();

    tcg_gen_not_i64(res, gen_op_ld_raw(s, d, 0));
    gen_op_st(s, d, 0, res);
}

/* ---- shifts and rotates ------------------------------------------------- */

/* The masked shift count: a constant (*cnt NULL) or a temp. */
static int64_t gen_shift_count(DisasContext *s, X86DecodedInsn *d, unsigned ot, TCGv_i64 *cnt)
{
    int64_t mask = ot == MO_64 ? 63 : 31;

    if (d->op[1].kind == X86_OPK_IMM) {
        *cnt = NULL;
        return d->op[1].imm & mask;
    }
    *cnt = tcg_temp_new_i64();
    tcg_gen_andi_i64(*cnt, cpu_regs[R_ECX], mask);
    return -1;
}

void gen_SHIFT(DisasContext *s, X86DecodedInsn *d)
{
    unsigned kind = d->e.kind, ot = d->op[0].ot;
    TCGv_i64 cnt, cm1, a, res = tcg_temp_new_i64(), tmp = tcg_temp_new_i64();
    int64_t c = gen_shift_count(s, d, ot, &cnt);
    CCOp op = (kind == X86_INSN_SHL ? CC_OP_SHLB : CC_OP_SARB) + ot;
    TCGv_i64 ofv;

    a = gen_op_ld(s, d, 0);                   /* zero-extended */
    if (kind == X86_INSN_SAR) {
        a = gen_ext_tmp(ot, a, true);
    }
    /* OF's sign bit: the sign change of the first one-bit step */
    switch (kind) {
    case X86_INSN_SHL:
        ofv = tcg_temp_new_i64();
        tcg_gen_shli_i64(ofv, a, 1);
        tcg_gen_xor_i64(ofv, ofv, a);
        break;
    case X86_INSN_SHR:
        ofv = a;
        break;
    default:
        ofv = tcg_constant_i64(0);
        break;
    }
    if (!cnt) {
        if (c == 0) {
            gen_op_st(s, d, 0, a);            /* no flags; 32-bit still zero-extends */
            return;
        }
        switch (kind) {
        case X86_INSN_SHL:
            tcg_gen_shli_i64(res, a, c);
            tcg_gen_shli_i64(tmp, a, c - 1);
            break;
        case X86_INSN_SHR:
            tcg_gen_shri_i64(res, a, c);
            tcg_gen_shri_i64(tmp, a, c - 1);
            break;
        default:
            tcg_gen_sari_i64(res, a, c);
            tcg_gen_sari_i64(tmp, a, c - 1);
            break;
        }
        gen_shift_finish(s, d, NULL, res, tmp, ofv, op);
        return;
    }

    cm1 = tcg_temp_new_i64();
    tcg_gen_subi_i64(cm1, cnt, 1);
    switch (kind) {
    case X86_INSN_SHL:
        tcg_gen_shl_i64(res, a, cnt);
        tcg_gen_shl_i64(tmp, a, cm1);
        break;
    case X86_INSN_SHR:
        tcg_gen_shr_i64(res, a, cnt);
        tcg_gen_shr_i64(tmp, a, cm1);
        break;
    default:
        tcg_gen_sar_i64(res, a, cnt);
        tcg_gen_sar_i64(tmp, a, cm1);
        break;
    }
    gen_shift_finish(s, d, cnt, res, tmp, ofv, op);
}

/*
 * Store a shift's result res and set its flags (cc_dst = res, cc_src =
 * tmp, cc_src2 = ofv, cc_op op).  With the count in CL (cnt != NULL), a
 * zero count leaves the flags and cc_op alone, so cc_op becomes dynamic.
 *
 * OF for every count is the sign change of the first one-bit step, which
 * is what Intel hardware computes (the SDM defines OF for a count of 1
 * only); ofv's sign bit holds it.
 */
void gen_shift_finish(DisasContext *s, X86DecodedInsn *d, TCGv_i64 cnt, TCGv_i64 res,
                      TCGv_i64 tmp, TCGv_i64 ofv, CCOp op)
{
    if (!cnt) {
        gen_finish(s, d, true, res, tmp, ofv, op);
        return;
    }
    if (d->op[0].kind == X86_OPK_MEM) {
        gen_op_st(s, d, 0, res);
    }
    {
        TCGv_i64 zero = tcg_constant_i64(0);
        TCGv_i32 cnt32 = tcg_temp_new_i32();
        TCGv_i32 old = s->cc_op == CC_OP_DYNAMIC ? cpu_cc_op : tcg_constant_i32(s->cc_op);

        tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_dst, cnt, zero, res, cpu_cc_dst);
        tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_src, cnt, zero, tmp, cpu_cc_src);
        tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_src2, cnt, zero, ofv, cpu_cc_src2);
        tcg_gen_extrl_i64_i32(cnt32, cnt);
        tcg_gen_movcond_i32(TCG_COND_NE, cpu_cc_op, cnt32, tcg_constant_i32(0),
                            tcg_constant_i32(op), old);
    }
    if (d->op[0].kind != X86_OPK_MEM) {
        gen_op_st(s, d, 0, res);
    }
    s->cc_op = CC_OP_DYNAMIC;
    s->cc_op_dirty = false;
}

void gen_ROTATE(DisasContext *s, X86DecodedInsn *d)
{
    static const uint64_t replicate[4] = {
        0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull, 1,
    };
    unsigned kind = d->e.kind, ot = d->op[0].ot, bits = ot_bits(ot);
    TCGv_i64 cnt, a, f, nf, res = tcg_temp_new_i64();
    int64_t c = gen_shift_count(s, d, ot, &cnt);

    a = gen_op_ld(s, d, 0);
    if (!cnt && c == 0) {
        gen_op_st(s, d, 0, a);
        return;
    }
    f = gen_compute_eflags_tmp(s);
    nf = tcg_temp_new_i64();

    if (kind == X86_INSN_RCL || kind == X86_INSN_RCR) {
        TCGv_i64 n = cnt ? cnt : tcg_constant_i64(c);
        unsigned mode = ot | (kind == X86_INSN_RCR ? X86_ROTC_RIGHT : 0);

        gen_helper_rotc(res, a, n, f, tcg_constant_i32(mode));
        gen_helper_rotc(nf, a, n, f, tcg_constant_i32(mode | X86_ROTC_FLAGS));
    } else {
        /* Rotate a 64-bit replica: the low bits then rotate at size. */
        TCGv_i64 rep = a, cf = tcg_temp_new_i64(), of = tcg_temp_new_i64();
        TCGv_i64 t1 = tcg_temp_new_i64();
        bool left = kind == X86_INSN_ROL;

        if (ot != MO_64) {
            rep = tcg_temp_new_i64();
            tcg_gen_muli_i64(rep, a, replicate[ot]);
        }
        if (cnt) {
            (left ? tcg_gen_rotl_i64 : tcg_gen_rotr_i64)(res, rep, cnt);
        } else {
            (left ? tcg_gen_rotli_i64 : tcg_gen_rotri_i64)(res, rep, c);
        }
        /* ROL: CF = bit 0 of the result, ROR: CF = its msb.  OF, for any
         * count, is the sign change of the first one-bit step: ROL
         * msb ^ msb-1 of the operand, ROR msb ^ bit 0 (Intel) */
        if (left) {
            tcg_gen_andi_i64(cf, res, 1);
            tcg_gen_shri_i64(of, rep, bits - 2);
        } else {
            tcg_gen_shri_i64(cf, res, bits - 1);
            tcg_gen_andi_i64(cf, cf, 1);
            tcg_gen_mov_i64(of, a);
        }
        tcg_gen_shri_i64(t1, rep, bits - 1);
        tcg_gen_xor_i64(of, of, t1);
        tcg_gen_andi_i64(of, of, 1);
        tcg_gen_shli_i64(of, of, 11);
        if (!cnt && c > 1 && d->op[0].kind != X86_OPK_MEM) {
            /* a register rotated by an immediate count above 1 keeps OF
             * (Intel; memory operands and CL counts do not) */
            tcg_gen_andi_i64(nf, f, ~(uint64_t)CC_C);
        } else {
            tcg_gen_andi_i64(nf, f, ~(uint64_t)(CC_C | CC_O));
            tcg_gen_or_i64(nf, nf, of);
        }
        tcg_gen_or_i64(nf, nf, cf);
        if (cnt) {
            /* a zero count keeps the old flags (as EFLAGS) */
            tcg_gen_movcond_i64(TCG_COND_NE, nf, cnt, tcg_constant_i64(0), nf, f);
        }
    }
    if (d->op[0].kind == X86_OPK_MEM) {
        gen_op_st(s, d, 0, res);
    }
    tcg_gen_mov_i64(cpu_cc_src, nf);
    if (d->op[0].kind != X86_OPK_MEM) {
        gen_op_st(s, d, 0, res);
    }
    set_cc_op(s, CC_OP_EFLAGS);
}

/* ---- multiply and divide ------------------------------------------------ */

/* The overflow indicator of a signed product: 0 iff t fits the size. */
static TCGv_i64 gen_imul_overflow(unsigned ot, TCGv_i64 t)
{
    TCGv_i64 o = tcg_temp_new_i64();
    tcg_gen_sub_i64(o, t, gen_ext_tmp(ot, t, true));
    return o;
}

/* mul / imul with one operand: rDX:rAX (AX for bytes) = rAX * src */
void gen_MUL(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    bool sign = d->e.kind == X86_INSN_IMUL1;
    TCGv_i64 src = gen_ext_tmp(ot, gen_op_ld(s, d, 0), sign);
    TCGv_i64 acc = gen_ext_tmp(ot, gen_reg_ld(ot, R_EAX, false), sign);
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64(), ov;

    if (ot == MO_64) {
        (sign ? tcg_gen_muls2_i64 : tcg_gen_mulu2_i64)(lo, hi, acc, src);
        if (sign) {
            ov = tcg_temp_new_i64();
            tcg_gen_sari_i64(ov, lo, 63);
            tcg_gen_sub_i64(ov, hi, ov);
        } else {
            ov = hi;
        }
    } else {
        tcg_gen_mul_i64(lo, acc, src);           /* exact in 64 bits */
        tcg_gen_shri_i64(hi, lo, ot_bits(ot));
        if (sign) {
            ov = gen_imul_overflow(ot, lo);
        } else if (ot == MO_8) {
            ov = tcg_temp_new_i64();
            tcg_gen_andi_i64(ov, lo, 0xff00);
        } else {
            ov = hi;
        }
    }
    tcg_gen_mov_i64(cpu_cc_src, ov);
    tcg_gen_mov_i64(cpu_cc_dst, lo);
    if (ot == MO_8) {
        gen_reg_st(MO_16, R_EAX, false, lo);
    } else {
        gen_reg_st(ot, R_EAX, false, lo);
        gen_reg_st(ot, R_EDX, false, hi);
    }
    set_cc_op(s, CC_OP_MULB + ot);
}

/* imul Gv, Ev / imul Gv, Ev, imm */
void gen_IMUL(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    int i = d->op[2].kind != X86_OPK_NONE ? 1 : 0;
    TCGv_i64 a = gen_ext_tmp(ot, gen_op_ld(s, d, i), true);
    TCGv_i64 b = gen_ext_tmp(ot, gen_op_ld(s, d, i + 1), true);
    TCGv_i64 lo = tcg_temp_new_i64(), ov;

    if (ot == MO_64) {
        TCGv_i64 hi = tcg_temp_new_i64();
        ov = tcg_temp_new_i64();
        tcg_gen_muls2_i64(lo, hi, a, b);
        tcg_gen_sari_i64(ov, lo, 63);
        tcg_gen_sub_i64(ov, hi, ov);
    } else {
        tcg_gen_mul_i64(lo, a, b);
        ov = gen_imul_overflow(ot, lo);
    }
    tcg_gen_mov_i64(cpu_cc_src, ov);
    tcg_gen_mov_i64(cpu_cc_dst, lo);
    gen_op_st(s, d, 0, lo);
    set_cc_op(s, CC_OP_MULB + ot);
}

void gen_DIV(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 src = gen_op_ld(s, d, 0);
    TCGv_i32 ot = tcg_constant_i32(d->op[0].ot);

    if (d->e.kind == X86_INSN_IDIV) {
        gen_helper_idiv(tcg_env, src, ot);
    } else {
        gen_helper_div(tcg_env, src, ot);
    }
}

/* ---- flag consumers and carry ops --------------------------------------- */

void gen_SETCC(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 t = tcg_temp_new_i64();

    gen_setcond_cc(gen_prepare_cc(s, d->opcode & 15), t);
    gen_op_st(s, d, 0, t);
}

void gen_CMOV(DisasContext *s, X86DecodedInsn *d)
{
    CCPrepare cc;
    TCGv_i64 val = gen_op_ld(s, d, 1);            /* the load happens either way */
    TCGv_i64 res = tcg_temp_new_i64();

    cc = gen_prepare_cc(s, d->opcode & 15);
    tcg_gen_movcond_i64(cc.cond, res, cc.reg, cc.use_reg2 ? cc.reg2 : tcg_constant_i64(cc.imm),
                        val, cpu_regs[d->op[0].reg]);
    gen_op_st(s, d, 0, res);                      /* 32-bit: zero-extends either way */
}

/* clc / stc / cmc */
void gen_CARRY(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 f = gen_compute_eflags_tmp(s), nf = tcg_temp_new_i64();

    switch (d->e.kind) {
    case X86_INSN_CLC:
        tcg_gen_andi_i64(nf, f, ~(uint64_t)CC_C);
        break;
    case X86_INSN_STC:
        tcg_gen_ori_i64(nf, f, CC_C);
        break;
    default:
        tcg_gen_xori_i64(nf, f, CC_C);
        break;
    }
    tcg_gen_mov_i64(cpu_cc_src, nf);
    set_cc_op(s, CC_OP_EFLAGS);
}

/* cbw / cwde / cdqe: rAX = sign-extended half of rAX */
void gen_CBW(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->ot;
    TCGv_i64 v = gen_ext_tmp(ot - 1, cpu_regs[R_EAX], true);

    gen_reg_st(ot, R_EAX, false, v);
}

/* cwd / cdq / cqo: rDX = sign of rAX */
void gen_CWD(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->ot;
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_sari_i64(v, gen_ext_tmp(ot, cpu_regs[R_EAX], true), 63);
    gen_reg_st(ot, R_EDX, false, v);
}
