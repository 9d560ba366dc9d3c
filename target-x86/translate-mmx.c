/*
 * translate-mmx.c: the MMX instruction forms -> IR.
 *
 * The MMX registers MM0-MM7 are the significands (bits 0-63) of the x87
 * physical registers R0-R7 (env->fpregs[i].low, independent of TOP).  An
 * MMX write also sets the register's sign and exponent word to all ones.
 * Every instruction with an MMX register operand makes the x87 -> MMX
 * transition: TOP = 0 and all tags valid; EMMS sets all tags empty and,
 * like the Intel host it was checked on, TOP = 0 too.
 *
 * The decoder gives an MMX form the kind of the SSE form of the same
 * operation (PADDB for paddb mm and paddb xmm); gen_SSE hands every form
 * with an MMX operand (P, Q, N: x86_insn_is_mmx) to gen_MMX.  The lane
 * arithmetic is not duplicated: the operands go into the low quadwords of
 * the XMM scratch registers env->xmm_t1 (the destination, SSE_XMM_T1) and
 * env->xmm_t0 (the source, SSE_XMM_T0), the 128-bit helper of
 * sse_int_helper.c or sse_helper.c runs on them, and the low quadword of
 * xmm_t1 is the result.  The operations whose lanes cross the 64-bit
 * boundary are formulated so that the 128-bit helper gives the 64-bit
 * answer (MMXForm below): packs and horizontal ops see {a, b} as one
 * register, punpckh* is punpckl* of the operands' high halves, pshufb
 * indexes {a, a}, palignr shifts {b, a}:{0, 0}, pshufw is pshuflw.
 *
 * Checks, in the SDM's order: #UD if CR0.EM (and, for the forms with an
 * XMM operand, if !CR4.OSFXSR), #NM if CR0.TS (from hflags, at
 * translation), then a pending unmasked x87 exception (#MF) through the
 * x87 prologue helper.  cvtpi2ps/cvtpi2pd with a memory source have no MMX
 * operand: no #MF and no transition (as the host CPU does).  Anything that
 * can fault (guest memory, #XM from a conversion, #GP alignment of
 * cvt(t)pd2pi m128) comes before the first write of guest-visible state.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "target-x86/x87.h"

_Static_assert(sizeof(((CPUX86State *)0)->fptags) == 8, "fptags: one 64-bit store");


/* How a 128-bit helper computes the 64-bit operation (a: MMX destination,
 * b: source; T1 = xmm_t1 is the helper's destination, T0 = xmm_t0) */
typedef enum MMXForm {
    MMX_LANE,       /* T1 = {a, 0}, T0 = {b, 0}: lane-wise */
    MMX_PAIR,       /* T1 = {a, b}, op(T1, T1): packs, phadd/phsub */
    MMX_HIGH,       /* T1 = {a >> 32, 0}, T0 = {b >> 32, 0}, the punpckl* helper */
    MMX_PSHUFB,     /* T1 = {a, a}, T0 = {b, 0}: index & 15 reads a[index & 7] */
    MMX_PALIGNR,    /* T1 = {0, 0}, T0 = {b, a}: bytes imm.. of a:b, zeros past */
    MMX_SHUF,       /* T0 = {b, 0}, T1 = op(T0, imm8): pshufw by pshuflw */
    MMX_IR,         /* a 64-bit IR operation (logic, paddq, psubq) */
} MMXForm;

enum { MMX_IR_AND, MMX_IR_ANDN, MMX_IR_OR, MMX_IR_XOR, MMX_IR_ADD, MMX_IR_SUB };

/* The helper of a form is the SSE kind's own (sse_kind_helper2/3), so each
 * kind's operation is named once, in translate-sse.c's table; only the
 * high unpacks override it (the punpckl* helper on the high halves). */
typedef struct MMXGen {
    X86GenFn gen;
    SSEHelper2 h2_override;
    uint8_t form;       /* MMXForm, or the MMX_IR_* operation */
    uint8_t arg;
} MMXGen;

static const MMXGen *mmx_gen(X86DecodedInsn *d);

/* ---- state ----------------------------------------------------------------- */

/* env offset of MMX register r (the significand of x87 register Rr) */
static intptr_t mmx_off(int r)
{
    return (intptr_t)offsetof(CPUX86State, fpregs) + r * (intptr_t)sizeof(floatx80) +
           (intptr_t)offsetof(floatx80, low);
}

static TCGv_i64 gen_mmx_get(int r)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_ld_i64(t, tcg_env, mmx_off(r));
    return t;
}

/* An MMX write sets the sign and exponent word to all ones */
static void gen_mmx_set_exp(int r)
{
    tcg_gen_st16_i32(tcg_constant_i32(0xffff), tcg_env,
                     mmx_off(r) - (intptr_t)offsetof(floatx80, low) +
                     (intptr_t)offsetof(floatx80, high));
}

static void gen_mmx_set(int r, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, mmx_off(r));
    gen_mmx_set_exp(r);
}

static TCGv_i64 gen_xmm_get(int reg, int q)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_ld_i64(t, tcg_env, sse_xmm_off(reg, 8 * q));
    return t;
}

static void gen_xmm_put(int reg, int q, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, sse_xmm_off(reg, 8 * q));
}

/* XMM register reg (or a scratch) = {lo, hi} */
static void gen_xmm_put2(int reg, TCGv_i64 lo, TCGv_i64 hi)
{
    gen_xmm_put(reg, 0, lo);
    gen_xmm_put(reg, 1, hi);
}

/* The x87 -> MMX transition (TOP = 0, tags valid); EMMS: tags empty */
static void gen_mmx_transition(bool emms)
{
    tcg_gen_st_i32(tcg_constant_i32(0), tcg_env, offsetof(CPUX86State, fpstt));
    tcg_gen_st_i64(tcg_constant_i64(emms ? 0x0101010101010101ll : 0), tcg_env,
                   offsetof(CPUX86State, fptags));
}

/* ---- operands -------------------------------------------------------------- */

static bool mmx_am_is(uint16_t t, unsigned a, unsigned b, unsigned c)
{
    unsigned am = X86_OPND_AM(t);
    return am == a || am == b || am == c;
}

bool x86_insn_is_mmx(const X86DecodedInsn *d)
{
    if (d->e.kind == X86_INSN_EMMS) {
        return true;
    }
    for (int i = 0; i < 3; i++) {
        if (mmx_am_is(d->e.op[i], X86_AM_P, X86_AM_Q, X86_AM_N)) {
            return true;
        }
    }
    return false;
}

static bool mmx_has_mmx_reg(X86DecodedInsn *d)
{
    for (int i = 0; i < 3; i++) {
        if (d->op[i].kind == X86_OPK_MMX) {
            return true;
        }
    }
    return false;
}

/* Operand i as 64 bits: an MMX register, an XMM register's low quadword,
 * memory of the operand's size (zero-extended) or an imm8 */
static TCGv_i64 gen_mmx_ld(DisasContext *s, X86DecodedInsn *d, int i)
{
    X86DecodedOp *o = &d->op[i];
    TCGv_i64 t;

    switch (o->kind) {
    case X86_OPK_MMX:
        return gen_mmx_get(o->reg);
    case X86_OPK_XMM:
        return gen_xmm_get(o->reg, 0);
    case X86_OPK_IMM:
        return tcg_constant_i64(o->imm & 0xff);
    default:
        t = tcg_temp_new_i64();
        tcg_gen_guest_ld_i64(t, gen_a0(s, d), s->mmu_idx, o->ot == MO_32 ? MO_32 : MO_64);
        return t;
    }
}

/* ---- generators -------------------------------------------------------------- */

/* d = op(d, s) through a 128-bit helper on the scratch registers (MMXForm) */
static void gen_mmx_h(DisasContext *s, X86DecodedInsn *d)
{
    const MMXGen *g = mmx_gen(d);
    SSEHelper2 h2 = g->h2_override ? g->h2_override : sse_kind_helper2(d->e.kind);
    SSEHelper3 h3 = sse_kind_helper3(d->e.kind);
    TCGv_i32 t0 = tcg_constant_i32(SSE_XMM_T0), t1 = tcg_constant_i32(SSE_XMM_T1);
    TCGv_i64 zero = tcg_constant_i64(0);
    TCGv_i64 b = gen_mmx_ld(s, d, 1);
    TCGv_i64 a = g->form == MMX_SHUF ? zero : gen_mmx_get(d->op[0].reg);
    TCGv_i64 t1_lo = a, t1_hi = zero, t0_lo = b, t0_hi = zero;

    switch (g->form) {
    case MMX_PAIR:
        t1_hi = b;
        break;
    case MMX_HIGH:
        tcg_gen_shri_i64(a, a, 32);
        tcg_gen_shri_i64(b, b, 32);
        break;
    case MMX_PSHUFB:
        t1_hi = a;
        break;
    case MMX_PALIGNR:
        t1_lo = zero;
        t0_hi = a;
        break;
    default:            /* MMX_LANE; MMX_SHUF, whose T1 is only the result */
        break;
    }
    if (g->form != MMX_SHUF) {
        gen_xmm_put2(SSE_XMM_T1, t1_lo, t1_hi);
    }
    if (g->form == MMX_PAIR) {
        h2(tcg_env, t1, t1);
    } else {
        gen_xmm_put2(SSE_XMM_T0, t0_lo, t0_hi);
        if (h3) {
            h3(tcg_env, t1, t0, tcg_constant_i32(d->op[2].imm & 0xff));
        } else {
            h2(tcg_env, t1, t0);
        }
    }
    gen_mmx_set(d->op[0].reg, gen_xmm_get(SSE_XMM_T1, 0));
    gen_mmx_transition(false);
}

/* pand pandn por pxor paddq psubq: one IR operation */
static void gen_mmx_ir(DisasContext *s, X86DecodedInsn *d)
{
    static void (*const ops[])(TCGv_i64, TCGv_i64, TCGv_i64) = {
        [MMX_IR_AND] = tcg_gen_and_i64, [MMX_IR_OR] = tcg_gen_or_i64,
        [MMX_IR_XOR] = tcg_gen_xor_i64, [MMX_IR_ADD] = tcg_gen_add_i64,
        [MMX_IR_SUB] = tcg_gen_sub_i64,
    };
    TCGv_i64 b = gen_mmx_ld(s, d, 1), a = gen_mmx_get(d->op[0].reg);
    uint8_t op = mmx_gen(d)->arg;

    if (op == MMX_IR_ANDN) {
        tcg_gen_andc_i64(a, b, a);                  /* ~dest & src */
    } else {
        ops[op](a, a, b);
    }
    gen_mmx_set(d->op[0].reg, a);
    gen_mmx_transition(false);
}

/* MOVQ mm, mm/m64; mm/m64, mm; movntq; movq2dq xmm, mm; movdq2q mm, xmm */
static void gen_mmx_movq(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_mmx_ld(s, d, 1);

    switch (d->op[0].kind) {
    case X86_OPK_MEM:
        tcg_gen_guest_st_i64(v, gen_a0_st(s, d), s->mmu_idx, MO_64);
        break;
    case X86_OPK_XMM:
        gen_xmm_put2(d->op[0].reg, v, tcg_constant_i64(0));
        break;
    default:
        gen_mmx_set(d->op[0].reg, v);
        break;
    }
    gen_mmx_transition(false);
}

/* MOVD/MOVQ mm, r/m32/64: zero-extended */
static void gen_mmx_movd_ld(DisasContext *s, X86DecodedInsn *d)
{
    gen_mmx_set(d->op[0].reg, gen_op_ld(s, d, 1));
    gen_mmx_transition(false);
}

/* MOVD/MOVQ r/m32/64, mm */
static void gen_mmx_movd_st(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_mmx_get(d->op[1].reg);

    gen_op_st(s, d, 0, gen_ext_tmp(d->op[0].ot, v, false));
    gen_mmx_transition(false);
}

static void gen_mmx_pinsrw(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_op_ld(s, d, 1);

    tcg_gen_st16_i64(v, tcg_env, mmx_off(d->op[0].reg) + 2 * (d->op[2].imm & 3));
    gen_mmx_set_exp(d->op[0].reg);
    gen_mmx_transition(false);
}

static void gen_mmx_pextrw(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_ld16u_i64(v, tcg_env, mmx_off(d->op[1].reg) + 2 * (d->op[2].imm & 3));
    gen_op_st(s, d, 0, v);
    gen_mmx_transition(false);
}

/* PMOVMSKB r32, mm: the 128-bit helper on {mm, 0} */
static void gen_mmx_pmovmskb(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    gen_xmm_put2(SSE_XMM_T0, gen_mmx_get(d->op[1].reg), tcg_constant_i64(0));
    gen_helper_sse_pmovmskb(v, tcg_env, tcg_constant_i32(SSE_XMM_T0));
    gen_op_st(s, d, 0, v);
    gen_mmx_transition(false);
}

/* MASKMOVQ mm1, mm2: maskmovdqu's byte stores of {mm1, 0} under {mm2, 0}
 * to DS:rDI (segment override allowed) at the address size */
static void gen_mmx_maskmovq(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a = gen_seg_linear(s, gen_ext_tmp(d->aflag, cpu_regs[R_EDI], false),
                                d->seg >= 0 ? d->seg : R_DS);
    TCGv_i64 zero = tcg_constant_i64(0);

    gen_xmm_put2(SSE_XMM_T1, gen_mmx_get(d->op[0].reg), zero);
    gen_xmm_put2(SSE_XMM_T0, gen_mmx_get(d->op[1].reg), zero);
    gen_helper_sse_maskmovdqu(tcg_env, tcg_constant_i32(SSE_XMM_T1),
                              tcg_constant_i32(SSE_XMM_T0), a);
    gen_mmx_transition(false);
}

/*
 * The conversions, by the SSE helper of the same operation (its MXCSR
 * rounding, flags and #XM), on scratch registers whose extra lanes are
 * zero (exact: no flags):
 *   cvtpi2ps xmm, mm/m64    cvtdq2ps on {b, 0}; the low quadword to xmm
 *   cvtpi2pd xmm, mm/m64    cvtdq2pd from {b, 0} (exact, never faults)
 *   cvt(t)ps2pi mm, xmm/m64 cvt(t)ps2dq on {b, 0}; the low quadword to mm
 *   cvt(t)pd2pi mm, xmm/m128 cvt(t)pd2dq (m128 aligned); the low quadword
 */
static void gen_mmx_cvt(DisasContext *s, X86DecodedInsn *d)
{
    SSEHelper2 h2 = sse_kind_helper2(d->e.kind);
    TCGv_i32 t0 = tcg_constant_i32(SSE_XMM_T0), t1 = tcg_constant_i32(SSE_XMM_T1);
    TCGv_i64 zero = tcg_constant_i64(0);
    int src = SSE_XMM_T0;

    if (d->op[1].ot == X86_OT_128) {
        /* cvt(t)pd2pi: a whole XMM register, or aligned m128 */
        if (d->op[1].kind == X86_OPK_XMM) {
            src = d->op[1].reg;
        } else {
            TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64(), a;
            gen_helper_sse_align16(tcg_env, gen_a0(s, d));
            tcg_gen_guest_ld_i64(lo, gen_a0(s, d), s->mmu_idx, MO_64);
            a = tcg_temp_new_i64();
            tcg_gen_addi_i64(a, gen_a0(s, d), 8);
            tcg_gen_guest_ld_i64(hi, a, s->mmu_idx, MO_64);
            gen_xmm_put2(SSE_XMM_T0, lo, hi);
        }
        h2(tcg_env, t1, tcg_constant_i32(src));
        gen_mmx_set(d->op[0].reg, gen_xmm_get(SSE_XMM_T1, 0));
        gen_mmx_transition(false);
        return;
    }
    gen_xmm_put2(SSE_XMM_T0, gen_mmx_ld(s, d, 1), zero);
    switch (d->e.kind) {
    case X86_INSN_CVTDQ2PD:
        h2(tcg_env, tcg_constant_i32(d->op[0].reg), t0);
        break;
    case X86_INSN_CVTDQ2PS:
        h2(tcg_env, t0, t0);
        gen_xmm_put(d->op[0].reg, 0, gen_xmm_get(SSE_XMM_T0, 0));
        break;
    default:
        h2(tcg_env, t0, t0);
        gen_mmx_set(d->op[0].reg, gen_xmm_get(SSE_XMM_T0, 0));
        break;
    }
    if (mmx_has_mmx_reg(d)) {
        gen_mmx_transition(false);
    }
}

static void gen_mmx_emms(DisasContext *s, X86DecodedInsn *d)
{
    gen_mmx_transition(true);
}

/* ---- the table --------------------------------------------------------------- */

#define K(k) [X86_INSN_##k]
#define L(k) K(k) = { gen_mmx_h, .form = MMX_LANE }
#define PR(k) K(k) = { gen_mmx_h, .form = MMX_PAIR }
#define HI(k, h) K(k) = { gen_mmx_h, .h2_override = gen_helper_sse_##h, .form = MMX_HIGH }
#define IR(k, op) K(k) = { gen_mmx_ir, .arg = MMX_IR_##op }
#define CVT(k) K(k) = { gen_mmx_cvt }

static const MMXGen mmx_gen_table[X86_INSN_NB] = {
    K(MOVQ) = { gen_mmx_movq }, K(MOVD_LD) = { gen_mmx_movd_ld },
    K(MOVD_ST) = { gen_mmx_movd_st }, K(PINSRW) = { gen_mmx_pinsrw },
    K(PEXTRW) = { gen_mmx_pextrw }, K(PMOVMSKB) = { gen_mmx_pmovmskb },
    K(MASKMOVDQU) = { gen_mmx_maskmovq }, K(EMMS) = { gen_mmx_emms },
    IR(PAND, AND), IR(PANDN, ANDN), IR(POR, OR), IR(PXOR, XOR), IR(PADDQ, ADD), IR(PSUBQ, SUB),
    L(PADDB), L(PADDW), L(PADDD), L(PSUBB), L(PSUBW), L(PSUBD),
    L(PADDSB), L(PADDSW), L(PADDUSB), L(PADDUSW), L(PSUBSB), L(PSUBSW), L(PSUBUSB), L(PSUBUSW),
    L(PCMPEQB), L(PCMPEQW), L(PCMPEQD), L(PCMPGTB), L(PCMPGTW), L(PCMPGTD),
    L(PMULLW), L(PMULHW), L(PMULHUW), L(PMULUDQ), L(PMADDWD), L(PSADBW), L(PAVGB), L(PAVGW),
    L(PMINUB), L(PMAXUB), L(PMINSW), L(PMAXSW),
    L(PSLLW), L(PSLLD), L(PSLLQ), L(PSRLW), L(PSRLD), L(PSRLQ), L(PSRAW), L(PSRAD),
    L(PUNPCKLBW), L(PUNPCKLWD), L(PUNPCKLDQ),
    HI(PUNPCKHBW, punpcklbw), HI(PUNPCKHWD, punpcklwd), HI(PUNPCKHDQ, punpckldq),
    PR(PACKSSWB), PR(PACKSSDW), PR(PACKUSWB),
    L(PABSB), L(PABSW), L(PABSD), L(PSIGNB), L(PSIGNW), L(PSIGND), L(PMADDUBSW), L(PMULHRSW),
    PR(PHADDW), PR(PHADDD), PR(PHADDSW), PR(PHSUBW), PR(PHSUBD), PR(PHSUBSW),
    K(PSHUFB) = { gen_mmx_h, .form = MMX_PSHUFB },
    K(PALIGNR) = { gen_mmx_h, .form = MMX_PALIGNR },
    K(PSHUFLW) = { gen_mmx_h, .form = MMX_SHUF },
    CVT(CVTDQ2PS), CVT(CVTDQ2PD), CVT(CVTPS2DQ), CVT(CVTTPS2DQ), CVT(CVTPD2DQ), CVT(CVTTPD2DQ),
};

static const MMXGen *mmx_gen(X86DecodedInsn *d)
{
    return &mmx_gen_table[d->e.kind];
}

void gen_MMX(DisasContext *s, X86DecodedInsn *d)
{
    const MMXGen *g = mmx_gen(d);
    bool xmm = false;

    for (int i = 0; i < 3; i++) {
        xmm |= mmx_am_is(d->e.op[i], X86_AM_V, X86_AM_W, X86_AM_U);
    }
    if (!g->gen || (s->flags & HF_EM_MASK) || (xmm && !(s->flags & HF_OSFXSR_MASK))) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->flags & HF_TS_MASK) {
        gen_exception(s, EXCP07_PREX);
        return;
    }
    if (mmx_has_mmx_reg(d) || d->e.kind == X86_INSN_EMMS) {
        /* a pending unmasked x87 exception: #MF (CR0.EM/TS are clear here) */
        gen_helper_fpu_prologue(tcg_env, tcg_constant_i32(X87_PRO_WAIT));
    }
    g->gen(s, d);
}
