/*
 * translate-x87.c: the x87 escapes (D8-DF) and FWAIT -> IR.
 *
 * The decoder resolves an escape to a kind (x86_x87_mem/x86_x87_reg); the
 * generators here read the escape byte and ModRM for the operand format
 * and register and emit helper calls (fpu_helper.c): the IR only loads
 * memory operands (converted by helper_fload into FT0 or pushed); a store
 * to memory is helper_fstore's, which checks the access first, and stores
 * and pops only when no unmasked exception forbids it.  Every x87
 * instruction starts with the #NM and (waiting ones) pending-#MF checks
 * (gen_x87_start); the non-control ones then record the FPU instruction
 * and data pointers and the opcode.  Pops are done by the helpers
 * (X87_AR_POP, X87_ST_POP), since an unmasked exception cancels them.
 */
#include "target-x86/translate.h"
#include "target-x86/x87.h"
#include "target-x86/helper.h"

static unsigned x87_esc(X86DecodedInsn *d)
{
    return d->opcode & 7;
}

static unsigned x87_reg(X86DecodedInsn *d)
{
    return (d->modrm >> 3) & 7;
}

static bool x87_mem(X86DecodedInsn *d)
{
    return d->modrm < 0xc0;
}

static TCGv_i32 x87_const(unsigned v)
{
    return tcg_constant_i32((int32_t)v);
}

/* #NM / #MF checks; for non-control instructions the FPU pointers.  #NM
 * depends on CR0.EM/TS/MP only, which are in the block's key (hflags):
 * decided here.  A pending #MF (FSW.ES) is checked inline; the helper
 * raises either. */
static void gen_x87_start(DisasContext *s, X86DecodedInsn *d, unsigned mode, bool pointers)
{
    bool nm = (mode & X87_PRO_FWAIT)
        ? (s->flags & (HF_MP_MASK | HF_TS_MASK)) == (HF_MP_MASK | HF_TS_MASK)
        : (s->flags & (HF_EM_MASK | HF_TS_MASK)) != 0;

    if (nm) {
        gen_helper_fpu_prologue(tcg_env, x87_const(mode));
    } else if (mode & X87_PRO_WAIT) {
        TCGLabel *no_error = gen_new_label();
        TCGv_i32 sw = tcg_temp_new_i32();

        tcg_gen_ld16u_i32(sw, tcg_env, offsetof(CPUX86State, fpus));
        tcg_gen_andi_i32(sw, sw, FPUS_ES);
        tcg_gen_brcondi_i32(TCG_COND_EQ, sw, 0, no_error);
        gen_helper_fpu_prologue(tcg_env, x87_const(mode));
        gen_set_label(no_error);
        s->cc_srcT = NULL;          /* an ebb temp: not past the label */
    }
    if (!pointers) {
        return;
    }
    tcg_gen_st16_i32(x87_const((x87_esc(d) << 8) | d->modrm), tcg_env,
                     offsetof(CPUX86State, fpop));
    tcg_gen_st_i64(tcg_constant_i64((int64_t)(s->pc - s->cs_base)), tcg_env,
                   offsetof(CPUX86State, fpip));
    if (x87_mem(d)) {
        tcg_gen_st_i64(gen_a0(s, d), tcg_env, offsetof(CPUX86State, fpdp));
    }
}

static TCGv_i64 gen_x87_ld(DisasContext *s, X86DecodedInsn *d, MemOp op)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_guest_ld_i64(t, gen_a0(s, d), s->mmu_idx, op);
    return t;
}

static void gen_x87_st(DisasContext *s, X86DecodedInsn *d, TCGv_i64 v, MemOp op)
{
    tcg_gen_guest_st_i64(v, gen_a0_st(s, d), s->mmu_idx, op);
}

/* ST(0) to memory in an X87_FMT_* format (helper_fstore). */
static void gen_x87_fstore(DisasContext *s, X86DecodedInsn *d, unsigned mode)
{
    gen_helper_fstore(tcg_env, gen_a0_st(s, d), x87_const(mode));
}

/* The memory operand of D8/DA/DC/DE (m32fp, m32int, m64fp, m16int) into FT0. */
static void gen_x87_arith_operand(DisasContext *s, X86DecodedInsn *d)
{
    static const struct { MemOp op; unsigned fmt; } f[4] = {
        { MO_32, X87_FMT_F32 }, { MO_SL, X87_FMT_I32 },
        { MO_64, X87_FMT_F64 }, { MO_SW, X87_FMT_I16 },
    };
    unsigned i = x87_esc(d) >> 1;

    gen_helper_fload(tcg_env, gen_x87_ld(s, d, f[i].op), x87_const(f[i].fmt | X87_LD_FT0));
}

static void gen_FLD(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    if (!x87_mem(d)) {
        gen_helper_fld_sti(tcg_env, x87_const(d->modrm & 7));
    } else if (x87_esc(d) == 3) {
        gen_helper_fldt(tcg_env, gen_a0(s, d));
    } else {
        bool m64 = x87_esc(d) == 5;
        gen_helper_fload(tcg_env, gen_x87_ld(s, d, m64 ? MO_64 : MO_32),
                         x87_const(m64 ? X87_FMT_F64 : X87_FMT_F32));
    }
}

static void gen_FST(DisasContext *s, X86DecodedInsn *d)
{
    bool pop = x87_reg(d) == 3 || x87_reg(d) == 7 || x87_esc(d) == 7;

    gen_x87_start(s, d, X87_PRO_WAIT, true);
    if (!x87_mem(d)) {
        gen_helper_fst_sti(tcg_env, x87_const((d->modrm & 7) | (pop ? X87_AR_POP : 0)));
    } else {
        unsigned fmt = x87_esc(d) == 3 ? X87_FMT_F80
                       : x87_esc(d) == 5 ? X87_FMT_F64 : X87_FMT_F32;
        gen_x87_fstore(s, d, fmt | (pop ? X87_ST_POP : 0));
    }
}

/* Integer memory formats: DF m16 (/5 /7: m64), DB m32, DD (FISTTP) m64. */
static void x87_int_format(X86DecodedInsn *d, MemOp *op, unsigned *fmt)
{
    if (x87_esc(d) == 3) {
        *op = MO_SL;
        *fmt = X87_FMT_I32;
    } else if (x87_esc(d) == 5 || x87_reg(d) >= 5) {
        *op = MO_64;
        *fmt = X87_FMT_I64;
    } else {
        *op = MO_SW;
        *fmt = X87_FMT_I16;
    }
}

static void gen_FILD(DisasContext *s, X86DecodedInsn *d)
{
    MemOp op;
    unsigned fmt;

    x87_int_format(d, &op, &fmt);
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_fload(tcg_env, gen_x87_ld(s, d, op), x87_const(fmt));
}

static void gen_FIST(DisasContext *s, X86DecodedInsn *d)
{
    bool trunc = d->e.kind == X86_INSN_FISTTP;
    bool pop = trunc || x87_reg(d) == 3 || x87_reg(d) == 7;
    MemOp op;
    unsigned fmt;

    x87_int_format(d, &op, &fmt);
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_x87_fstore(s, d, fmt | (trunc ? X87_ST_TRUNC : 0) | (pop ? X87_ST_POP : 0));
}

static void gen_FBLD(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_fbld(tcg_env, gen_a0(s, d));
}

static void gen_FBSTP(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_x87_fstore(s, d, X87_FMT_BCD | X87_ST_POP);
}

static void gen_FARITH(DisasContext *s, X86DecodedInsn *d)
{
    unsigned op = x87_reg(d), n = d->modrm & 7;

    gen_x87_start(s, d, X87_PRO_WAIT, true);
    if (x87_mem(d)) {
        gen_x87_arith_operand(s, d);
        gen_helper_farith(tcg_env, x87_const(op | X87_AR_FT0));
    } else if (x87_esc(d) == 0) {
        gen_helper_farith(tcg_env, x87_const(op | n << 4));
    } else {
        /* DC/DE: ST(n) = ST(n) op ST(0), with sub/subr and div/divr swapped;
         * DE pops */
        gen_helper_farith(tcg_env, x87_const((op >= 4 ? op ^ 1 : op) | n << 4 |
                                             X87_AR_TO_STI |
                                             (x87_esc(d) == 6 ? X87_AR_POP : 0)));
    }
}

static void gen_FCOM(DisasContext *s, X86DecodedInsn *d)
{
    unsigned esc = x87_esc(d), pops;
    bool quiet = esc == 5 || d->modrm == 0xe9;
    static const unsigned pop_bits[3] = { 0, X87_AR_POP, X87_AR_POP2 };

    gen_x87_start(s, d, X87_PRO_WAIT, true);
    if (x87_mem(d)) {
        gen_x87_arith_operand(s, d);
        pops = x87_reg(d) & 1;
        gen_helper_fcom(tcg_env, x87_const(X87_AR_FT0 | pop_bits[pops]));
    } else {
        /* fcompp (DE D9), fucompp (DA E9), not fcomp/fucomp ST(1) (D8 D9,
         * DD E9); DE D0+i is an fcomp alias */
        bool pp = (esc == 6 && d->modrm == 0xd9) || (esc == 2 && d->modrm == 0xe9);
        pops = pp ? 2 : (x87_reg(d) & 1) || esc == 6;
        gen_helper_fcom(tcg_env, x87_const((d->modrm & 7) << 4 | pop_bits[pops] |
                                           (quiet ? X87_CMP_QUIET : 0)));
    }
}

static void gen_FCOMI(DisasContext *s, X86DecodedInsn *d)
{
    bool quiet = x87_reg(d) == 5;

    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_fcomi(cpu_cc_src, tcg_env,
                     x87_const((d->modrm & 7) << 4 | (quiet ? X87_CMP_QUIET : 0) |
                               (x87_esc(d) == 7 ? X87_AR_POP : 0)));
    set_cc_op(s, CC_OP_EFLAGS);
}

static void gen_FXCH(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_fxch(tcg_env, x87_const(d->modrm & 7));
}

static void gen_FFREE(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_ffree(tcg_env, x87_const(d->modrm & 7));
    if (x87_esc(d) == 7) {
        gen_helper_fpop(tcg_env);                     /* ffreep */
    }
}

static void gen_FCMOV(DisasContext *s, X86DecodedInsn *d)
{
    /* b e be u as jcc condition codes; DB negates */
    static const uint8_t cc[4] = { 0x2, 0x4, 0x6, 0xa };
    unsigned c = cc[x87_reg(d) & 3] | (x87_esc(d) == 3);

    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_update_cc_op(s);                              /* the helper reads EFLAGS */
    gen_helper_fcmov(tcg_env, x87_const((d->modrm & 7) | c << 4));
}

static void gen_FUNARY(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_funary(tcg_env, x87_const(d->modrm & 0x3f));
}

static void gen_FCONST(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
    gen_helper_fconst(tcg_env, x87_const(d->modrm & 7));
}

static TCGv_i32 x87_data32(X86DecodedInsn *d)
{
    return x87_const(d->ot != MO_16);
}

static void gen_FLDENV(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, false);
    gen_helper_fldenv(tcg_env, gen_a0(s, d), x87_data32(d));
}

static void gen_FNSTENV(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, 0, false);
    gen_helper_fnstenv(tcg_env, gen_a0(s, d), x87_data32(d));
}

static void gen_FRSTOR(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, false);
    gen_helper_frstor(tcg_env, gen_a0(s, d), x87_data32(d));
}

static void gen_FNSAVE(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, 0, false);
    gen_helper_fnsave(tcg_env, gen_a0(s, d), x87_data32(d));
}

static void gen_FLDCW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 cw = tcg_temp_new_i32();

    gen_x87_start(s, d, X87_PRO_WAIT, false);
    tcg_gen_extrl_i64_i32(cw, gen_x87_ld(s, d, MO_16));
    gen_helper_fldcw(tcg_env, cw);
}

static void gen_FNSTCW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 cw = tcg_temp_new_i64();

    gen_x87_start(s, d, 0, false);
    tcg_gen_ld16u_i64(cw, tcg_env, offsetof(CPUX86State, fpuc));
    gen_x87_st(s, d, cw, MO_16);
}

static void gen_FNSTSW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 sw = tcg_temp_new_i32();
    TCGv_i64 v = tcg_temp_new_i64();

    gen_x87_start(s, d, 0, false);
    gen_helper_fnstsw(sw, tcg_env);
    tcg_gen_extu_i32_i64(v, sw);
    if (x87_mem(d)) {
        gen_x87_st(s, d, v, MO_16);
    } else {
        gen_reg_st(MO_16, R_EAX, false, v);           /* fnstsw ax */
    }
}

static void gen_FNCLEX(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, 0, false);
    gen_helper_fnclex(tcg_env);
}

static void gen_FNINIT(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, 0, false);
    gen_helper_fninit(tcg_env);
}

static void gen_FNOP(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT, true);
}

static void gen_FWAIT(DisasContext *s, X86DecodedInsn *d)
{
    gen_x87_start(s, d, X87_PRO_WAIT | X87_PRO_FWAIT, false);
}

static const X86GenFn x87_gen_table[X86_INSN_NB] = {
    [X86_INSN_FLD] = gen_FLD, [X86_INSN_FST] = gen_FST, [X86_INSN_FILD] = gen_FILD,
    [X86_INSN_FIST] = gen_FIST, [X86_INSN_FISTTP] = gen_FIST,
    [X86_INSN_FBLD] = gen_FBLD, [X86_INSN_FBSTP] = gen_FBSTP,
    [X86_INSN_FARITH] = gen_FARITH, [X86_INSN_FCOM] = gen_FCOM,
    [X86_INSN_FCOMI] = gen_FCOMI, [X86_INSN_FXCH] = gen_FXCH,
    [X86_INSN_FCMOV] = gen_FCMOV, [X86_INSN_FUNARY] = gen_FUNARY,
    [X86_INSN_FCONST] = gen_FCONST, [X86_INSN_FFREE] = gen_FFREE,
    [X86_INSN_FLDENV] = gen_FLDENV, [X86_INSN_FNSTENV] = gen_FNSTENV,
    [X86_INSN_FRSTOR] = gen_FRSTOR, [X86_INSN_FNSAVE] = gen_FNSAVE,
    [X86_INSN_FLDCW] = gen_FLDCW, [X86_INSN_FNSTCW] = gen_FNSTCW,
    [X86_INSN_FNSTSW] = gen_FNSTSW, [X86_INSN_FNCLEX] = gen_FNCLEX,
    [X86_INSN_FNINIT] = gen_FNINIT, [X86_INSN_FNOP] = gen_FNOP,
    [X86_INSN_FWAIT] = gen_FWAIT,
};

void gen_X87(DisasContext *s, X86DecodedInsn *d)
{
    x87_gen_table[d->e.kind](s, d);
}
