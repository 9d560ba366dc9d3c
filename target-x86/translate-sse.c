/*
 * translate-sse.c: SSE, SSE2, SSE3 and SSSE3 instructions -> IR.
 *
 * XMM registers live in env (xmm_regs), not in TCG globals: moves, logic
 * and 64-bit lane arithmetic (PAND..PXOR, PADDQ/PSUBQ) are IR loads and
 * stores on their two quadwords; everything else calls one helper per
 * operation on register numbers (sse_helper.c, sse_int_helper.c).  A
 * memory source operand is first loaded into env->xmm_t0, register number
 * SSE_XMM_T0, so the helpers never touch guest memory.
 *
 * Checks, in the SDM's order: #UD if CR0.EM or !CR4.OSFXSR, then #NM if
 * CR0.TS (from hflags, so at translation time); #GP(0) for a 16-byte
 * memory operand that is not 16-byte aligned, except for the unaligned
 * moves (MOVU: movups, movupd, movdqu, lddqu).  A 128-bit store that
 * crosses into a page it cannot write faults before writing anything.
 *
 * sse_gen_table maps each SSE kind to its generator and helper.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

typedef void (*SSEHelperRet)(TCGv_i64, TCGv_ptr, TCGv_i32, TCGv_i32);
typedef void (*SSELaneHelper)(TCGv_i64, TCGv_ptr, TCGv_i64, TCGv_i64);
typedef void (*SSEPackedHelper)(TCGv_i32, TCGv_ptr, TCGv_i32, TCGv_i32);

typedef struct SSEGen {
    X86GenFn gen;
    SSEHelper2 h2;        /* d = op(d, s) */
    SSEHelper3 h3;        /* d = op(d, s, imm8) */
    SSEHelperRet hr;      /* value = op(d, s) */
    SSELaneHelper lane;   /* gen_sse_farith: one lane, or SSE_LANE_SLOW */
    SSEPackedHelper packed; /* gen_sse_farith, PS/PD: every lane, or 0 */
    uint8_t arg;          /* generator-specific: size, tcg op, mode */
} SSEGen;

static const SSEGen *sse_gen(X86DecodedInsn *d);

/* env offset of quadword q of XMM register reg (SSE_XMM_T0: the scratch) */
static intptr_t xmm_off(int reg, int q)
{
    return sse_xmm_off(reg, 8 * q);
}

static void gen_align16(DisasContext *s, X86DecodedInsn *d)
{
    gen_helper_sse_align16(tcg_env, gen_a0(s, d));
}

/* Operand i's quadword q (a register's, or memory at A0 + 8q) */
static TCGv_i64 gen_xmm_ld(DisasContext *s, X86DecodedInsn *d, int i, int q, MemOp ot)
{
    TCGv_i64 t = tcg_temp_new_i64();
    X86DecodedOp *o = &d->op[i];

    if (o->kind == X86_OPK_XMM) {
        tcg_gen_ld_i64(t, tcg_env, xmm_off(o->reg, q));
    } else {
        TCGv_i64 a = gen_a0(s, d);
        if (q) {
            a = tcg_temp_new_i64();
            tcg_gen_addi_i64(a, gen_a0(s, d), 8 * q);
        }
        tcg_gen_guest_ld_i64(t, a, o->ot == X86_OT_128 ? gen_mmu_idx_noac(s) : s->mmu_idx, ot);
    }
    return t;
}

static void gen_xmm_st(DisasContext *s, X86DecodedInsn *d, int i, int q, MemOp ot, TCGv_i64 v)
{
    X86DecodedOp *o = &d->op[i];

    if (o->kind == X86_OPK_XMM) {
        tcg_gen_st_i64(v, tcg_env, xmm_off(o->reg, q));
    } else {
        TCGv_i64 a = gen_a0_st(s, d);
        if (q) {
            a = tcg_temp_new_i64();
            tcg_gen_addi_i64(a, gen_a0(s, d), 8 * q);
        }
        tcg_gen_guest_st_i64(v, a, o->ot == X86_OT_128 ? gen_mmu_idx_noac(s) : s->mmu_idx, ot);
    }
}

static void gen_xmm_set(int reg, int q, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, xmm_off(reg, q));
}

/*
 * The register number holding operand i for a helper: its own, or
 * SSE_XMM_T0 after loading memory of the operand's size there (128-bit
 * memory checked for alignment unless unaligned).
 */
static int gen_xmm_src(DisasContext *s, X86DecodedInsn *d, int i, bool unaligned)
{
    X86DecodedOp *o = &d->op[i];

    if (o->kind == X86_OPK_XMM) {
        return o->reg;
    }
    if (o->ot == X86_OT_128) {
        TCGv_i64 lo, hi;
        if (!unaligned) {
            gen_align16(s, d);
        }
        lo = gen_xmm_ld(s, d, i, 0, MO_64);
        hi = gen_xmm_ld(s, d, i, 1, MO_64);
        gen_xmm_set(SSE_XMM_T0, 0, lo);
        gen_xmm_set(SSE_XMM_T0, 1, hi);
    } else {
        TCGv_i64 v = gen_xmm_ld(s, d, i, 0, (MemOp)o->ot);
        gen_xmm_set(SSE_XMM_T0, 0, v);
    }
    return SSE_XMM_T0;
}

/* ---- availability ------------------------------------------------------ */

/* #UD / #NM checks; false if an exception was generated. */
static bool gen_sse_check(DisasContext *s, X86DecodedInsn *d)
{
    bool fx = d->e.kind == X86_INSN_FXSAVE || d->e.kind == X86_INSN_FXRSTOR;

    /* FXSAVE/FXRSTOR work without OSFXSR and give #NM (not #UD) for EM */
    if (!fx && ((s->flags & HF_EM_MASK) || !(s->flags & HF_OSFXSR_MASK))) {
        gen_exception(s, EXCP06_ILLOP);
        return false;
    }
    if ((s->flags & HF_TS_MASK) || (fx && (s->flags & HF_EM_MASK))) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }
    return true;
}

/* ---- moves --------------------------------------------------------------- */

/* MOVA / MOVU: 128 bits, register or memory to register or memory */
static void gen_sse_mov128(DisasContext *s, X86DecodedInsn *d)
{
    bool mem = d->op[0].kind == X86_OPK_MEM || d->op[1].kind == X86_OPK_MEM;
    TCGv_i64 lo, hi;

    if (mem && d->e.kind == X86_INSN_MOVA) {
        gen_align16(s, d);
    }
    if (d->op[0].kind == X86_OPK_MEM && d->e.kind == X86_INSN_MOVU) {
        /* Stored in two halves: a store that crosses into a page it may
         * not write must fault before either half is written, as on
         * hardware.  Only a store within 15 bytes of a page end can. */
        TCGLabel *inpage = gen_new_label();
        TCGv_i64 a = tcg_temp_local_new_i64(), off = tcg_temp_new_i64();

        tcg_gen_mov_i64(a, gen_a0(s, d));
        s->A0 = a;
        tcg_gen_andi_i64(off, a, TARGET_PAGE_SIZE - 1);
        tcg_gen_brcondi_i64(TCG_COND_LEU, off, TARGET_PAGE_SIZE - 16, inpage);
        gen_helper_sse_probe_st16(tcg_env, a);
        gen_set_label(inpage);
    }
    lo = gen_xmm_ld(s, d, 1, 0, MO_64);
    hi = gen_xmm_ld(s, d, 1, 1, MO_64);
    gen_xmm_st(s, d, 0, 0, MO_64, lo);
    gen_xmm_st(s, d, 0, 1, MO_64, hi);
}

/* MOVSS / MOVSD: a load zero-extends, a register move merges the low lane */
static void gen_sse_movs(DisasContext *s, X86DecodedInsn *d)
{
    MemOp ot = d->e.kind == X86_INSN_MOVSS ? MO_32 : MO_64;
    TCGv_i64 v = gen_xmm_ld(s, d, 1, 0, ot);

    if (d->op[0].kind == X86_OPK_MEM) {
        gen_xmm_st(s, d, 0, 0, ot, v);
    } else if (d->op[1].kind == X86_OPK_MEM) {
        if (ot == MO_32) {
            tcg_gen_ext32u_i64(v, v);
        }
        gen_xmm_set(d->op[0].reg, 0, v);
        gen_xmm_set(d->op[0].reg, 1, tcg_constant_i64(0));
    } else if (ot == MO_32) {
        tcg_gen_st32_i64(v, tcg_env, xmm_off(d->op[0].reg, 0));
    } else {
        gen_xmm_set(d->op[0].reg, 0, v);
    }
}

/* MOVLPS/MOVLPD (MOVHLPS from a register) and MOVHPS/MOVHPD (MOVLHPS):
 * the quadword q of the destination register, or a store of it */
static void gen_sse_movlh(DisasContext *s, X86DecodedInsn *d)
{
    int q = d->e.kind == X86_INSN_MOVHPS;

    if (d->op[0].kind == X86_OPK_MEM) {
        gen_xmm_st(s, d, 0, 0, MO_64, gen_xmm_ld(s, d, 1, q, MO_64));
    } else if (d->op[1].kind == X86_OPK_MEM) {
        gen_xmm_set(d->op[0].reg, q, gen_xmm_ld(s, d, 1, 0, MO_64));
    } else {
        /* movhlps: low = source high; movlhps: high = source low */
        gen_xmm_set(d->op[0].reg, q, gen_xmm_ld(s, d, 1, !q, MO_64));
    }
}

/* MOVD/MOVQ xmm, r/m32/64: zero-extends into the register */
static void gen_sse_movd_ld(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_op_ld(s, d, 1);

    gen_xmm_set(d->op[0].reg, 0, v);
    gen_xmm_set(d->op[0].reg, 1, tcg_constant_i64(0));
}

static void gen_sse_movd_st(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_xmm_ld(s, d, 1, 0, MO_64);

    gen_op_st(s, d, 0, gen_ext_tmp(d->op[0].ot, v, false));
}

/* MOVQ xmm, xmm/m64 (F3 0F 7E) and xmm/m64, xmm (66 0F D6): the low
 * quadword; a register destination has its high quadword cleared */
static void gen_sse_movq(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_xmm_ld(s, d, 1, 0, MO_64);

    gen_xmm_st(s, d, 0, 0, MO_64, v);
    if (d->op[0].kind == X86_OPK_XMM) {
        gen_xmm_set(d->op[0].reg, 1, tcg_constant_i64(0));
    }
}

static void gen_sse_pinsrw(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_op_ld(s, d, 1);

    tcg_gen_st16_i64(v, tcg_env, xmm_off(d->op[0].reg, 0) + 2 * (d->op[2].imm & 7));
}

static void gen_sse_pextrw(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_ld16u_i64(v, tcg_env, xmm_off(d->op[1].reg, 0) + 2 * (d->op[2].imm & 7));
    gen_op_st(s, d, 0, v);
}

/* MASKMOVDQU: DS:rDI (segment override allowed) at the address size */
static void gen_sse_maskmovdqu(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a = gen_seg_linear(s, gen_ext_tmp(d->aflag, cpu_regs[R_EDI], false),
                                d->seg >= 0 ? d->seg : R_DS);

    gen_helper_sse_maskmovdqu(tcg_env, tcg_constant_i32(d->op[0].reg),
                              tcg_constant_i32(d->op[1].reg), a);
}

/* ---- 64-bit lane operations in IR -------------------------------------- */

enum { SSE_IR_AND, SSE_IR_ANDN, SSE_IR_OR, SSE_IR_XOR, SSE_IR_ADD, SSE_IR_SUB };

static void gen_sse_ir64(DisasContext *s, X86DecodedInsn *d)
{
    static void (*const ops[])(TCGv_i64, TCGv_i64, TCGv_i64) = {
        [SSE_IR_AND] = tcg_gen_and_i64, [SSE_IR_ANDN] = tcg_gen_andc_i64,
        [SSE_IR_OR] = tcg_gen_or_i64, [SSE_IR_XOR] = tcg_gen_xor_i64,
        [SSE_IR_ADD] = tcg_gen_add_i64, [SSE_IR_SUB] = tcg_gen_sub_i64,
    };
    uint8_t op = sse_gen(d)->arg;
    TCGv_i64 b[2], a;
    int q;

    if (d->op[1].kind == X86_OPK_MEM) {
        gen_align16(s, d);
    }
    b[0] = gen_xmm_ld(s, d, 1, 0, MO_64);
    b[1] = gen_xmm_ld(s, d, 1, 1, MO_64);
    for (q = 0; q < 2; q++) {
        a = gen_xmm_ld(s, d, 0, q, MO_64);
        if (op == SSE_IR_ANDN) {
            tcg_gen_andc_i64(a, b[q], a);          /* ~dest & src */
        } else {
            ops[op](a, a, b[q]);
        }
        gen_xmm_set(d->op[0].reg, q, a);
    }
}

/* ---- helper calls -------------------------------------------------------- */

/* gen_sse_farith's arg: the lanes */
enum { SSE_FA_SS, SSE_FA_PS, SSE_FA_SD, SSE_FA_PD };

/*
 * ADD/SUB/MUL/DIV PS/SS/PD/SD: the scalar lane through the pure lane
 * helper (sse_helper.c, "lane fast path"), which needs no guest state
 * written back, and the result stored if it succeeded; the packed forms'
 * lanes all in one call to the packed helper, which writes the register
 * only when every lane succeeded.  A lane that cannot take the fast path
 * (an MXCSR state or a result that may change MXCSR or fault) sends the
 * instruction to its full helper instead.
 */
static void gen_sse_farith(DisasContext *s, X86DecodedInsn *d)
{
    const SSEGen *g = sse_gen(d);
    int dst = d->op[0].reg, src = gen_xmm_src(s, d, 1, false);
    TCGLabel *slow = gen_new_label(), *done = gen_new_label();

    if (g->packed) {
        TCGv_i32 ok = tcg_temp_new_i32();

        g->packed(ok, tcg_env, tcg_constant_i32(dst), tcg_constant_i32(src));
        tcg_gen_brcondi_i32(TCG_COND_EQ, ok, 0, slow);
    } else {
        TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64(), r = tcg_temp_new_i64();

        tcg_gen_ld_i64(a, tcg_env, xmm_off(dst, 0));
        tcg_gen_ld_i64(b, tcg_env, xmm_off(src, 0));
        if (g->arg == SSE_FA_SS) {
            tcg_gen_ext32u_i64(a, a);
            tcg_gen_ext32u_i64(b, b);
        }
        g->lane(r, tcg_env, a, b);
        tcg_gen_brcondi_i64(TCG_COND_EQ, r, (int64_t)SSE_LANE_SLOW, slow);
        if (g->arg == SSE_FA_SS) {
            tcg_gen_st32_i64(r, tcg_env, xmm_off(dst, 0));
        } else {
            gen_xmm_set(dst, 0, r);
        }
    }
    tcg_gen_br(done);
    gen_set_label(slow);
    g->h2(tcg_env, tcg_constant_i32(dst), tcg_constant_i32(src));
    gen_set_label(done);
}

/* d = op(d, s); an imm8 second operand (shift groups) goes through xmm_t0 */
static void gen_sse_h2(DisasContext *s, X86DecodedInsn *d)
{
    int src;

    if (d->op[1].kind == X86_OPK_IMM) {
        gen_xmm_set(SSE_XMM_T0, 0, tcg_constant_i64(d->op[1].imm & 0xff));
        src = SSE_XMM_T0;
    } else {
        src = gen_xmm_src(s, d, 1, d->e.kind == X86_INSN_MOVU);
    }
    sse_gen(d)->h2(tcg_env, tcg_constant_i32(d->op[0].reg), tcg_constant_i32(src));
}

static void gen_sse_h3(DisasContext *s, X86DecodedInsn *d)
{
    int src = gen_xmm_src(s, d, 1, false);

    sse_gen(d)->h3(tcg_env, tcg_constant_i32(d->op[0].reg), tcg_constant_i32(src),
                   tcg_constant_i32(d->op[2].imm & 0xff));
}

/* (U)COMISS/SD: the helper returns ZF PF CF (OF SF AF clear) */
static void gen_sse_comi(DisasContext *s, X86DecodedInsn *d)
{
    int src = gen_xmm_src(s, d, 1, false);
    TCGv_i64 f = tcg_temp_new_i64();

    sse_gen(d)->hr(f, tcg_env, tcg_constant_i32(d->op[0].reg), tcg_constant_i32(src));
    tcg_gen_mov_i64(cpu_cc_src, f);
    set_cc_op(s, CC_OP_EFLAGS);
}

static void gen_sse_movmsk(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (d->e.kind == X86_INSN_PMOVMSKB) {
        gen_helper_sse_pmovmskb(v, tcg_env, tcg_constant_i32(d->op[1].reg));
    } else if (d->e.kind == X86_INSN_MOVMSKPS) {
        gen_helper_sse_movmskps(v, tcg_env, tcg_constant_i32(d->op[1].reg));
    } else {
        gen_helper_sse_movmskpd(v, tcg_env, tcg_constant_i32(d->op[1].reg));
    }
    gen_op_st(s, d, 0, v);
}

/* CVTSI2SS/SD: the integer operand sign-extended to 64 bits */
static void gen_sse_cvtsi2f(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = gen_ext_tmp(d->op[1].ot, gen_op_ld(s, d, 1), true);
    TCGv_i32 reg = tcg_constant_i32(d->op[0].reg);

    if (d->e.kind == X86_INSN_CVTSI2SS) {
        gen_helper_sse_cvtsi2ss(tcg_env, reg, v);
    } else {
        gen_helper_sse_cvtsi2sd(tcg_env, reg, v);
    }
}

/* CVT(T)SS2SI / CVT(T)SD2SI into a 32- or 64-bit register */
static void gen_sse_cvtf2si(DisasContext *s, X86DecodedInsn *d)
{
    int src = gen_xmm_src(s, d, 1, false);
    unsigned mode = sse_gen(d)->arg | (d->op[0].ot == MO_64 ? SSE_CVT_64 : 0);
    TCGv_i64 v = tcg_temp_new_i64();
    bool sd = d->e.kind == X86_INSN_CVTSD2SI || d->e.kind == X86_INSN_CVTTSD2SI;

    if (sd) {
        gen_helper_sse_cvtsd2si(v, tcg_env, tcg_constant_i32(src), tcg_constant_i32(mode));
    } else {
        gen_helper_sse_cvtss2si(v, tcg_env, tcg_constant_i32(src), tcg_constant_i32(mode));
    }
    gen_op_st(s, d, 0, v);
}

/* ---- SSE4.2 string compares ---------------------------------------------- */

/*
 * PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM xmm1, xmm2/m128, imm8: the m128
 * needs no alignment.  The helper returns EFLAGS << 32 | the index; the I
 * forms write it to ECX (RCX zero-extended), the M forms wrote XMM0.
 */
static void gen_sse_pcmpstr(DisasContext *s, X86DecodedInsn *d)
{
    int src = gen_xmm_src(s, d, 1, true);
    X86InsnKind k = d->e.kind;
    bool explicit = k == X86_INSN_PCMPESTRI || k == X86_INSN_PCMPESTRM;
    bool mask = k == X86_INSN_PCMPESTRM || k == X86_INSN_PCMPISTRM;
    uint32_t desc = SSE_PCMPSTR_DESC((uint32_t)d->op[0].reg, (uint32_t)src,
                                     (uint32_t)d->op[2].imm) |
                    (explicit ? SSE_PCMPSTR_EXPLICIT : 0) | (mask ? SSE_PCMPSTR_MASK : 0) |
                    ((d->rex & 8) ? SSE_PCMPSTR_64 : 0);
    TCGv_i64 r = tcg_temp_new_i64();

    gen_helper_sse_pcmpstr(r, tcg_env, tcg_constant_i32(desc),
                           explicit ? cpu_regs[R_EAX] : tcg_constant_i64(0),
                           explicit ? cpu_regs[R_EDX] : tcg_constant_i64(0));
    if (!mask) {
        tcg_gen_ext32u_i64(cpu_regs[R_ECX], r);
    }
    tcg_gen_shri_i64(cpu_cc_src, r, 32);
    set_cc_op(s, CC_OP_EFLAGS);
}

/* ---- state ---------------------------------------------------------------- */

static void gen_sse_ldmxcsr(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 v = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(v, gen_op_ld(s, d, 0));
    gen_helper_ldmxcsr(tcg_env, v);
}

static void gen_sse_stmxcsr(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_ld32u_i64(v, tcg_env, offsetof(CPUX86State, mxcsr));
    gen_op_st(s, d, 0, v);
}

static void gen_sse_fxsave(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 mode = tcg_constant_i32((d->rex & 8) ? SSE_FX_64 : 0);

    if (d->e.kind == X86_INSN_FXSAVE) {
        gen_helper_fxsave(tcg_env, gen_a0(s, d), mode);
    } else {
        gen_helper_fxrstor(tcg_env, gen_a0(s, d), mode);
    }
}

/* ---- the table ------------------------------------------------------------ */

#define K(k) [X86_INSN_##k - X86_INSN_MOVA]
#define H2(k, h) K(k) = { gen_sse_h2, .h2 = gen_helper_sse_##h }
#define H3(k, h) K(k) = { gen_sse_h3, .h3 = gen_helper_sse_##h }
#define IR(k, op) K(k) = { gen_sse_ir64, .arg = SSE_IR_##op }

static const SSEGen sse_gen_table[X86_INSN_FXRSTOR - X86_INSN_MOVA + 1] = {
    K(MOVA) = { gen_sse_mov128 }, K(MOVU) = { gen_sse_mov128 },
    K(MOVSS) = { gen_sse_movs }, K(MOVSD) = { gen_sse_movs },
    K(MOVLPS) = { gen_sse_movlh }, K(MOVHPS) = { gen_sse_movlh },
    K(MOVD_LD) = { gen_sse_movd_ld }, K(MOVD_ST) = { gen_sse_movd_st },
    K(MOVQ) = { gen_sse_movq },
    K(MOVMSKPS) = { gen_sse_movmsk }, K(MOVMSKPD) = { gen_sse_movmsk },
    K(PMOVMSKB) = { gen_sse_movmsk },
    K(PINSRW) = { gen_sse_pinsrw }, K(PEXTRW) = { gen_sse_pextrw },
    K(MASKMOVDQU) = { gen_sse_maskmovdqu },
    IR(PAND, AND), IR(PANDN, ANDN), IR(POR, OR), IR(PXOR, XOR),
    IR(PADDQ, ADD), IR(PSUBQ, SUB),
#define FA(OP, op, FORM, form, bits, pk)                                      \
    K(OP##FORM) = { gen_sse_farith, .h2 = gen_helper_sse_##op##form,          \
                    .lane = gen_helper_sse_lane_##op##bits, .packed = pk,     \
                    .arg = SSE_FA_##FORM }
#define FA4(op, OP) FA(OP, op, PS, ps, 32, gen_helper_sse_packed_##op##ps),  \
                    FA(OP, op, SS, ss, 32, NULL),                             \
                    FA(OP, op, PD, pd, 64, gen_helper_sse_packed_##op##pd),  \
                    FA(OP, op, SD, sd, 64, NULL)
    FA4(add, ADD), FA4(sub, SUB), FA4(mul, MUL), FA4(div, DIV),
#undef FA4
#undef FA
#define H2_F4(op, OP) H2(OP##PS, op##ps), H2(OP##PD, op##pd), H2(OP##SS, op##ss), H2(OP##SD, op##sd)
    H2_F4(min, MIN), H2_F4(max, MAX), H2_F4(sqrt, SQRT),
#undef H2_F4
    H2(RCPPS, rcpps), H2(RCPSS, rcpss), H2(RSQRTPS, rsqrtps), H2(RSQRTSS, rsqrtss),
    H3(CMPPS, cmpps), H3(CMPPD, cmppd), H3(CMPSS, cmpss), H3(CMPSD, cmpsd),
    K(COMISS) = { gen_sse_comi, .hr = gen_helper_sse_comiss },
    K(COMISD) = { gen_sse_comi, .hr = gen_helper_sse_comisd },
    K(UCOMISS) = { gen_sse_comi, .hr = gen_helper_sse_ucomiss },
    K(UCOMISD) = { gen_sse_comi, .hr = gen_helper_sse_ucomisd },
    H2(CVTPS2PD, cvtps2pd), H2(CVTPD2PS, cvtpd2ps), H2(CVTSS2SD, cvtss2sd),
    H2(CVTSD2SS, cvtsd2ss), H2(CVTDQ2PS, cvtdq2ps), H2(CVTPS2DQ, cvtps2dq),
    H2(CVTTPS2DQ, cvttps2dq), H2(CVTDQ2PD, cvtdq2pd), H2(CVTPD2DQ, cvtpd2dq),
    H2(CVTTPD2DQ, cvttpd2dq),
    K(CVTSI2SS) = { gen_sse_cvtsi2f }, K(CVTSI2SD) = { gen_sse_cvtsi2f },
    K(CVTSS2SI) = { gen_sse_cvtf2si }, K(CVTSD2SI) = { gen_sse_cvtf2si },
    K(CVTTSS2SI) = { gen_sse_cvtf2si, .arg = SSE_CVT_TRUNC },
    K(CVTTSD2SI) = { gen_sse_cvtf2si, .arg = SSE_CVT_TRUNC },
    H2(PADDB, paddb), H2(PADDW, paddw), H2(PADDD, paddd),
    H2(PSUBB, psubb), H2(PSUBW, psubw), H2(PSUBD, psubd),
    H2(PADDSB, paddsb), H2(PADDSW, paddsw), H2(PADDUSB, paddusb), H2(PADDUSW, paddusw),
    H2(PSUBSB, psubsb), H2(PSUBSW, psubsw), H2(PSUBUSB, psubusb), H2(PSUBUSW, psubusw),
    H2(PCMPEQB, pcmpeqb), H2(PCMPEQW, pcmpeqw), H2(PCMPEQD, pcmpeqd),
    H2(PCMPGTB, pcmpgtb), H2(PCMPGTW, pcmpgtw), H2(PCMPGTD, pcmpgtd),
    H2(PMULLW, pmullw), H2(PMULHW, pmulhw), H2(PMULHUW, pmulhuw), H2(PMULUDQ, pmuludq),
    H2(PMADDWD, pmaddwd), H2(PSADBW, psadbw), H2(PAVGB, pavgb), H2(PAVGW, pavgw),
    H2(PMINUB, pminub), H2(PMAXUB, pmaxub), H2(PMINSW, pminsw), H2(PMAXSW, pmaxsw),
    H2(PSLLW, psllw), H2(PSLLD, pslld), H2(PSLLQ, psllq),
    H2(PSRLW, psrlw), H2(PSRLD, psrld), H2(PSRLQ, psrlq),
    H2(PSRAW, psraw), H2(PSRAD, psrad), H2(PSLLDQ, pslldq), H2(PSRLDQ, psrldq),
    H2(PUNPCKLBW, punpcklbw), H2(PUNPCKLWD, punpcklwd), H2(PUNPCKLDQ, punpckldq),
    H2(PUNPCKLQDQ, punpcklqdq), H2(PUNPCKHBW, punpckhbw), H2(PUNPCKHWD, punpckhwd),
    H2(PUNPCKHDQ, punpckhdq), H2(PUNPCKHQDQ, punpckhqdq),
    H2(PACKSSWB, packsswb), H2(PACKSSDW, packssdw), H2(PACKUSWB, packuswb),
    /* the float unpacks are the integer ones of the same lane size */
    H2(UNPCKLPS, punpckldq), H2(UNPCKHPS, punpckhdq),
    H2(UNPCKLPD, punpcklqdq), H2(UNPCKHPD, punpckhqdq),
    H3(PSHUFD, pshufd), H3(PSHUFHW, pshufhw), H3(PSHUFLW, pshuflw),
    H3(SHUFPS, shufps), H3(SHUFPD, shufpd),
    H2(ADDSUBPS, addsubps), H2(ADDSUBPD, addsubpd), H2(HADDPS, haddps), H2(HADDPD, haddpd),
    H2(HSUBPS, hsubps), H2(HSUBPD, hsubpd),
    H2(MOVSHDUP, movshdup), H2(MOVSLDUP, movsldup), H2(MOVDDUP, movddup),
    H2(PSHUFB, pshufb), H2(PHADDW, phaddw), H2(PHADDD, phaddd), H2(PHADDSW, phaddsw),
    H2(PHSUBW, phsubw), H2(PHSUBD, phsubd), H2(PHSUBSW, phsubsw),
    H2(PABSB, pabsb), H2(PABSW, pabsw), H2(PABSD, pabsd),
    H2(PSIGNB, psignb), H2(PSIGNW, psignw), H2(PSIGND, psignd),
    H2(PMADDUBSW, pmaddubsw), H2(PMULHRSW, pmulhrsw), H3(PALIGNR, palignr),
    /* SSE4.1 (sse41_helper.c; lane moves: translate-sse41.c) */
    H2(PBLENDVB, pblendvb), H2(BLENDVPS, blendvps), H2(BLENDVPD, blendvpd),
    K(PTEST) = { gen_sse_comi, .hr = gen_helper_sse_ptest },
    H2(PMOVSXBW, pmovsxbw), H2(PMOVSXBD, pmovsxbd), H2(PMOVSXBQ, pmovsxbq),
    H2(PMOVSXWD, pmovsxwd), H2(PMOVSXWQ, pmovsxwq), H2(PMOVSXDQ, pmovsxdq),
    H2(PMOVZXBW, pmovzxbw), H2(PMOVZXBD, pmovzxbd), H2(PMOVZXBQ, pmovzxbq),
    H2(PMOVZXWD, pmovzxwd), H2(PMOVZXWQ, pmovzxwq), H2(PMOVZXDQ, pmovzxdq),
    H2(PMULDQ, pmuldq), H2(PCMPEQQ, pcmpeqq), H2(PACKUSDW, packusdw),
    H2(PMINSB, pminsb), H2(PMINSD, pminsd), H2(PMINUW, pminuw), H2(PMINUD, pminud),
    H2(PMAXSB, pmaxsb), H2(PMAXSD, pmaxsd), H2(PMAXUW, pmaxuw), H2(PMAXUD, pmaxud),
    H2(PMULLD, pmulld), H2(PHMINPOSUW, phminposuw),
    H3(ROUNDPS, roundps), H3(ROUNDPD, roundpd), H3(ROUNDSS, roundss), H3(ROUNDSD, roundsd),
    H3(BLENDPS, blendps), H3(BLENDPD, blendpd), H3(PBLENDW, pblendw),
    H3(INSERTPS, insertps), H3(DPPS, dpps), H3(DPPD, dppd), H3(MPSADBW, mpsadbw),
    K(PEXTRB) = { gen_sse41_extract }, K(PEXTRW_M) = { gen_sse41_extract },
    K(PEXTRD) = { gen_sse41_extract }, K(EXTRACTPS) = { gen_sse41_extract },
    K(PINSRB) = { gen_sse41_insert }, K(PINSRD) = { gen_sse41_insert },
    /* SSE4.2 (sse42_helper.c), AES-NI and PCLMULQDQ (aes_helper.c) */
    H2(PCMPGTQ, pcmpgtq),
    K(PCMPESTRI) = { gen_sse_pcmpstr }, K(PCMPESTRM) = { gen_sse_pcmpstr },
    K(PCMPISTRI) = { gen_sse_pcmpstr }, K(PCMPISTRM) = { gen_sse_pcmpstr },
    H2(AESENC, aesenc), H2(AESENCLAST, aesenclast), H2(AESDEC, aesdec),
    H2(AESDECLAST, aesdeclast), H2(AESIMC, aesimc),
    H3(AESKEYGENASSIST, aeskeygenassist), H3(PCLMULQDQ, pclmulqdq),
    K(LDMXCSR) = { gen_sse_ldmxcsr }, K(STMXCSR) = { gen_sse_stmxcsr },
    K(FXSAVE) = { gen_sse_fxsave }, K(FXRSTOR) = { gen_sse_fxsave },
};

static const SSEGen *sse_gen(X86DecodedInsn *d)
{
    return &sse_gen_table[d->e.kind - X86_INSN_MOVA];
}

static const SSEGen *sse_kind_gen(X86InsnKind kind)
{
    return kind >= X86_INSN_MOVA && kind <= X86_INSN_FXRSTOR
           ? &sse_gen_table[kind - X86_INSN_MOVA] : NULL;
}

SSEHelper2 sse_kind_helper2(X86InsnKind kind)
{
    const SSEGen *g = sse_kind_gen(kind);

    return g ? g->h2 : NULL;
}

SSEHelper3 sse_kind_helper3(X86InsnKind kind)
{
    const SSEGen *g = sse_kind_gen(kind);

    return g ? g->h3 : NULL;
}

void gen_SSE(DisasContext *s, X86DecodedInsn *d)
{
    const SSEGen *g = sse_gen(d);

    if (x86_insn_is_mmx(d)) {
        gen_MMX(s, d);                  /* translate-mmx.c */
        return;
    }
    if (!g->gen) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (gen_sse_check(s, d)) {
        g->gen(s, d);
    }
}
