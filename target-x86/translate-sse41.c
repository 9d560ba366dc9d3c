/*
 * translate-sse41.c: the SSE4.1 element moves between XMM lanes and
 * general registers or memory -> IR: PEXTRB, PEXTRW (0F 3A 15), PEXTRD,
 * PEXTRQ, EXTRACTPS, PINSRB, PINSRD, PINSRQ.
 *
 * The rest of SSE4.1 goes through translate-sse.c's generic generators
 * and sse41_helper.c (registered in sse_gen_table, which also routes these
 * two generators; gen_SSE has done the #UD/#NM checks).  The lane is the
 * immediate modulo the number of lanes.  A register operand of the byte,
 * word and dword forms is a 32-bit register: extracts zero-extend into it
 * (to 64 bits, as every 32-bit write), PINSRB takes its low byte (never
 * AH..BH); a memory operand has the element's size and no alignment rule.
 */
#include "target-x86/translate.h"
#include "target-x86/sse-internal.h"

/* The element size of an insert/extract kind (PEXTRD/PINSRD: 32 or 64 by REX.W) */
static MemOp sse41_elem_size(X86DecodedInsn *d, int gpr_op)
{
    switch (d->e.kind) {
    case X86_INSN_PEXTRB:
    case X86_INSN_PINSRB:
        return MO_8;
    case X86_INSN_PEXTRW_M:
        return MO_16;
    case X86_INSN_EXTRACTPS:
        return MO_32;
    default:
        return (MemOp)d->op[gpr_op].ot;
    }
}

/* env offset of the lane (elements of 1 << ot bytes) imm selects in XMM reg */
static intptr_t sse41_lane_off(int reg, MemOp ot, int64_t imm)
{
    unsigned lanes = 16u >> ot;

    return sse_xmm_off(reg, (intptr_t)(((uint64_t)imm & (lanes - 1)) << ot));
}

/* PEXTRB/W/D/Q, EXTRACTPS: r32/r64 or memory <- a lane of XMM op[1] */
void gen_sse41_extract(DisasContext *s, X86DecodedInsn *d)
{
    MemOp ot = sse41_elem_size(d, 0);
    intptr_t off = sse41_lane_off(d->op[1].reg, ot, d->op[2].imm);
    TCGv_i64 v = tcg_temp_new_i64();

    switch (ot) {
    case MO_8:
        tcg_gen_ld8u_i64(v, tcg_env, off);
        break;
    case MO_16:
        tcg_gen_ld16u_i64(v, tcg_env, off);
        break;
    case MO_32:
        tcg_gen_ld32u_i64(v, tcg_env, off);
        break;
    default:
        tcg_gen_ld_i64(v, tcg_env, off);
        break;
    }
    if (d->op[0].kind == X86_OPK_MEM) {
        d->op[0].ot = ot;
    }
    gen_op_st(s, d, 0, v);
}

/* PINSRB/D/Q: a lane of XMM op[0] <- r32/r64 (low bits) or memory */
void gen_sse41_insert(DisasContext *s, X86DecodedInsn *d)
{
    MemOp ot = sse41_elem_size(d, 1);
    intptr_t off = sse41_lane_off(d->op[0].reg, ot, d->op[2].imm);
    TCGv_i64 v;

    if (d->op[1].kind == X86_OPK_MEM) {
        d->op[1].ot = ot;
    }
    v = gen_op_ld(s, d, 1);
    switch (ot) {
    case MO_8:
        tcg_gen_st8_i64(v, tcg_env, off);
        break;
    case MO_32:
        tcg_gen_st32_i64(v, tcg_env, off);
        break;
    default:
        tcg_gen_st_i64(v, tcg_env, off);
        break;
    }
}
