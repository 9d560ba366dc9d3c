/*
 * tcg-op.c: the IR builder, one tcg_gen_* per op and width (see tcg.h).
 *
 * Each builder appends one or a few ops to tcg_ctx's op list.  Immediate
 * forms go through interned constants (tcg_constant_*); a few identities
 * (add 0, and -1, always/never conditions) fold here so that the optimizer
 * and the back end never see them.
 */
#include "util/osdep.h"
#include "tcg/tcg-runtime.h"
#include "tcg/tcg-internal.h"

#define T32(v) temp_arg(tcgv_i32_temp(v))
#define T64(v) temp_arg(tcgv_i64_temp(v))

static void gen_op2(TCGOpcode opc, TCGType type, TCGArg a0, TCGArg a1)
{
    TCGOp *op = tcg_emit_op(opc, type, 2);
    op->args[0] = a0;
    op->args[1] = a1;
}

static void gen_op3(TCGOpcode opc, TCGType type, TCGArg a0, TCGArg a1, TCGArg a2)
{
    TCGOp *op = tcg_emit_op(opc, type, 3);
    op->args[0] = a0;
    op->args[1] = a1;
    op->args[2] = a2;
}

static void gen_op4(TCGOpcode opc, TCGType type, TCGArg a0, TCGArg a1, TCGArg a2,
                    TCGArg a3)
{
    TCGOp *op = tcg_emit_op(opc, type, 4);
    op->args[0] = a0;
    op->args[1] = a1;
    op->args[2] = a2;
    op->args[3] = a3;
}

/* ---- moves ---------------------------------------------------------------- */

void tcg_gen_mov_i32(TCGv_i32 ret, TCGv_i32 a)
{
    if (ret != a) {
        gen_op2(INDEX_op_mov, TCG_TYPE_I32, T32(ret), T32(a));
    }
}

void tcg_gen_mov_i64(TCGv_i64 ret, TCGv_i64 a)
{
    if (ret != a) {
        gen_op2(INDEX_op_mov, TCG_TYPE_I64, T64(ret), T64(a));
    }
}

void tcg_gen_movi_i32(TCGv_i32 ret, int32_t v) { tcg_gen_mov_i32(ret, tcg_constant_i32(v)); }
void tcg_gen_movi_i64(TCGv_i64 ret, int64_t v) { tcg_gen_mov_i64(ret, tcg_constant_i64(v)); }

/* ---- binary and unary ops, both widths ------------------------------------- */

#define GEN_BINARY(name)                                                      \
void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b)                \
{                                                                             \
    gen_op3(INDEX_op_##name, TCG_TYPE_I32, T32(ret), T32(a), T32(b));         \
}                                                                             \
void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)                \
{                                                                             \
    gen_op3(INDEX_op_##name, TCG_TYPE_I64, T64(ret), T64(a), T64(b));         \
}
GEN_BINARY(add) GEN_BINARY(sub) GEN_BINARY(mul)
GEN_BINARY(and) GEN_BINARY(or) GEN_BINARY(xor) GEN_BINARY(andc)
GEN_BINARY(shl) GEN_BINARY(shr) GEN_BINARY(sar) GEN_BINARY(rotl) GEN_BINARY(rotr)

#define GEN_UNARY(name)                                                       \
void tcg_gen_##name##_i32(TCGv_i32 ret, TCGv_i32 a)                            \
{                                                                             \
    gen_op2(INDEX_op_##name, TCG_TYPE_I32, T32(ret), T32(a));                 \
}                                                                             \
void tcg_gen_##name##_i64(TCGv_i64 ret, TCGv_i64 a)                            \
{                                                                             \
    gen_op2(INDEX_op_##name, TCG_TYPE_I64, T64(ret), T64(a));                 \
}
GEN_UNARY(neg) GEN_UNARY(not)
GEN_UNARY(ext8s) GEN_UNARY(ext8u) GEN_UNARY(ext16s) GEN_UNARY(ext16u)
GEN_UNARY(bswap16) GEN_UNARY(bswap32) GEN_UNARY(ctpop)

void tcg_gen_bswap64_i64(TCGv_i64 ret, TCGv_i64 a) { gen_op2(INDEX_op_bswap64, TCG_TYPE_I64, T64(ret), T64(a)); }
void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 a) { gen_op2(INDEX_op_ext32s, TCG_TYPE_I64, T64(ret), T64(a)); }
void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 a) { gen_op2(INDEX_op_ext32u, TCG_TYPE_I64, T64(ret), T64(a)); }
void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 a) { gen_op2(INDEX_op_extu_i32_i64, TCG_TYPE_I64, T64(ret), T32(a)); }
void tcg_gen_exts_i32_i64(TCGv_i64 ret, TCGv_i32 a) { gen_op2(INDEX_op_exts_i32_i64, TCG_TYPE_I64, T64(ret), T32(a)); }
void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 a) { gen_op2(INDEX_op_extrl_i64_i32, TCG_TYPE_I32, T32(ret), T64(a)); }

/* Immediate forms; "ident" is the value that makes the op a plain move. */
#define GEN_BINARY_IMM(name, ident)                                           \
void tcg_gen_##name##i_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b)                \
{                                                                             \
    if (b == (ident)) {                                                       \
        tcg_gen_mov_i32(ret, a);                                              \
    } else {                                                                  \
        tcg_gen_##name##_i32(ret, a, tcg_constant_i32(b));                    \
    }                                                                         \
}                                                                             \
void tcg_gen_##name##i_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b)                \
{                                                                             \
    if (b == (ident)) {                                                       \
        tcg_gen_mov_i64(ret, a);                                              \
    } else {                                                                  \
        tcg_gen_##name##_i64(ret, a, tcg_constant_i64(b));                    \
    }                                                                         \
}
GEN_BINARY_IMM(add, 0) GEN_BINARY_IMM(sub, 0) GEN_BINARY_IMM(mul, 1)
GEN_BINARY_IMM(and, -1) GEN_BINARY_IMM(or, 0) GEN_BINARY_IMM(xor, 0)
GEN_BINARY_IMM(shl, 0) GEN_BINARY_IMM(shr, 0) GEN_BINARY_IMM(sar, 0)
GEN_BINARY_IMM(rotl, 0) GEN_BINARY_IMM(rotr, 0)

/* ---- double-width multiply ---------------------------------------------------- */

void tcg_gen_mulu2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b)
{
    gen_op4(INDEX_op_mulu2, TCG_TYPE_I32, T32(lo), T32(hi), T32(a), T32(b));
}

void tcg_gen_muls2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b)
{
    gen_op4(INDEX_op_muls2, TCG_TYPE_I32, T32(lo), T32(hi), T32(a), T32(b));
}

void tcg_gen_mulu2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b)
{
    gen_op4(INDEX_op_mulu2, TCG_TYPE_I64, T64(lo), T64(hi), T64(a), T64(b));
}

void tcg_gen_muls2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b)
{
    gen_op4(INDEX_op_muls2, TCG_TYPE_I64, T64(lo), T64(hi), T64(a), T64(b));
}

/* ---- conditions ------------------------------------------------------------------ */

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        tcg_gen_movi_i32(ret, c == TCG_COND_ALWAYS);
        return;
    }
    gen_op4(INDEX_op_setcond, TCG_TYPE_I32, T32(ret), T32(a), T32(b), c);
}

void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        tcg_gen_movi_i64(ret, c == TCG_COND_ALWAYS);
        return;
    }
    gen_op4(INDEX_op_setcond, TCG_TYPE_I64, T64(ret), T64(a), T64(b), c);
}

void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, int64_t b)
{
    tcg_gen_setcond_i64(c, ret, a, tcg_constant_i64(b));
}

static void gen_movcond(TCGType type, TCGCond c, TCGArg ret, TCGArg c1, TCGArg c2,
                        TCGArg v1, TCGArg v2)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        TCGArg v = c == TCG_COND_ALWAYS ? v1 : v2;
        if (v != ret) {
            gen_op2(INDEX_op_mov, type, ret, v);
        }
        return;
    }
    op = tcg_emit_op(INDEX_op_movcond, type, 6);
    op->args[0] = ret;
    op->args[1] = c1;
    op->args[2] = c2;
    op->args[3] = v1;
    op->args[4] = v2;
    op->args[5] = c;
}

void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2)
{
    gen_movcond(TCG_TYPE_I32, c, T32(ret), T32(c1), T32(c2), T32(v1), T32(v2));
}

void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2)
{
    gen_movcond(TCG_TYPE_I64, c, T64(ret), T64(c1), T64(c2), T64(v1), T64(v2));
}

/* ---- branches -------------------------------------------------------------------- */

void gen_set_label(TCGLabel *l)
{
    TCGOp *op = tcg_emit_op(INDEX_op_set_label, TCG_TYPE_I64, 1);
    op->args[0] = (TCGArg)l;
}

void tcg_gen_br(TCGLabel *l)
{
    TCGOp *op = tcg_emit_op(INDEX_op_br, TCG_TYPE_I64, 1);
    op->args[0] = (TCGArg)l;
}

static void gen_brcond(TCGType type, TCGCond c, TCGArg a, TCGArg b, TCGLabel *l)
{
    if (c == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
    } else if (c != TCG_COND_NEVER) {
        gen_op4(INDEX_op_brcond, type, a, b, c, (TCGArg)l);
    }
}

void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{
    gen_brcond(TCG_TYPE_I32, c, T32(a), T32(b), l);
}

void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{
    gen_brcond(TCG_TYPE_I64, c, T64(a), T64(b), l);
}

void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l)
{
    tcg_gen_brcond_i32(c, a, tcg_constant_i32(b), l);
}

void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l)
{
    tcg_gen_brcond_i64(c, a, tcg_constant_i64(b), l);
}

/* ---- host memory ------------------------------------------------------------------- */

#define GEN_LDST(name, opc, type, T)                                          \
void tcg_gen_##name(TCGv_##type v, TCGv_ptr base, intptr_t off)                \
{                                                                             \
    gen_op3(INDEX_op_##opc, TCG_TYPE_##type, T(v), T64(base), (TCGArg)off);   \
}
#define TCG_TYPE_i32 TCG_TYPE_I32
#define TCG_TYPE_i64 TCG_TYPE_I64
GEN_LDST(ld8u_i32, ld8u, i32, T32) GEN_LDST(ld8s_i32, ld8s, i32, T32)
GEN_LDST(ld16u_i32, ld16u, i32, T32) GEN_LDST(ld16s_i32, ld16s, i32, T32)
GEN_LDST(ld_i32, ld, i32, T32)
GEN_LDST(ld8u_i64, ld8u, i64, T64) GEN_LDST(ld8s_i64, ld8s, i64, T64)
GEN_LDST(ld16u_i64, ld16u, i64, T64) GEN_LDST(ld16s_i64, ld16s, i64, T64)
GEN_LDST(ld32u_i64, ld32u, i64, T64) GEN_LDST(ld32s_i64, ld32s, i64, T64)
GEN_LDST(ld_i64, ld, i64, T64)
GEN_LDST(st8_i32, st8, i32, T32) GEN_LDST(st16_i32, st16, i32, T32)
GEN_LDST(st_i32, st, i32, T32)
GEN_LDST(st8_i64, st8, i64, T64) GEN_LDST(st16_i64, st16, i64, T64)
GEN_LDST(st32_i64, st32, i64, T64) GEN_LDST(st_i64, st, i64, T64)

/* ---- guest memory ------------------------------------------------------------------ */

static void gen_guest_ldst(TCGOpcode opc, TCGType type, TCGArg val, TCGArg addr,
                           unsigned mmu_idx, MemOp mop)
{
    assert(mmu_idx < NB_MMU_MODES);
    assert(type == TCG_TYPE_I64 || (mop & MO_SIZE) != MO_64);
    if (type == TCG_TYPE_I32 && (mop & MO_SIZE) == MO_32) {
        mop &= ~MO_SIGN;      /* the sign of a full-width i32 load is moot */
    }
    gen_op3(opc, type, val, addr, make_memop_idx(mop, mmu_idx));
}

void tcg_gen_guest_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op)
{
    gen_guest_ldst(INDEX_op_guest_ld, TCG_TYPE_I32, T32(val), T64(addr), mmu_idx, op);
}

void tcg_gen_guest_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op)
{
    gen_guest_ldst(INDEX_op_guest_st, TCG_TYPE_I32, T32(val), T64(addr), mmu_idx, op & MO_SIZE);
}

void tcg_gen_guest_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op)
{
    gen_guest_ldst(INDEX_op_guest_ld, TCG_TYPE_I64, T64(val), T64(addr), mmu_idx, op);
}

void tcg_gen_guest_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op)
{
    gen_guest_ldst(INDEX_op_guest_st, TCG_TYPE_I64, T64(val), T64(addr), mmu_idx, op & MO_SIZE);
}

/* ---- calls and control ---------------------------------------------------------------- */

void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args)
{
    TCGOp *op;
    int n = 0;

    assert(info->nb_args <= TCG_MAX_CALL_ARGS);
    assert(!ret == !info->has_ret);
    op = tcg_emit_op(INDEX_op_call, TCG_TYPE_I64, 0);
    op->nb_oargs = ret ? 1 : 0;
    op->nb_iargs = info->nb_args;
    op->nb_cargs = 2;
    if (ret) {
        op->type = ret->type;
        op->args[n++] = temp_arg(ret);
    }
    for (int i = 0; i < info->nb_args; i++) {
        op->args[n++] = temp_arg(args[i]);
    }
    op->args[n++] = (TCGArg)info;
    op->args[n++] = (TCGArg)info->func;
}

void tcg_gen_insn_start(uint64_t pc, uint64_t cc_op)
{
    TCGOp *op = tcg_emit_op(INDEX_op_insn_start, TCG_TYPE_I64, 2);
    op->args[0] = (TCGArg)pc;
    op->args[1] = (TCGArg)cc_op;
}

void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx)
{
    TCGOp *op = tcg_emit_op(INDEX_op_exit_tb, TCG_TYPE_I64, 1);

    assert(idx <= TB_EXIT_MASK);
    assert(((uintptr_t)tb & TB_EXIT_MASK) == 0);
    op->args[0] = (uintptr_t)tb | idx;
}

void tcg_gen_goto_tb(unsigned slot)
{
    TCGOp *op = tcg_emit_op(INDEX_op_goto_tb, TCG_TYPE_I64, 1);

    assert(slot < 2);
    op->args[0] = slot;
}

void tcg_gen_br_tb_start(void)
{
    TCGContext *s = tcg_ctx;

    if (!s->tb_start) {
        s->tb_start = gen_new_label();
        tcg_op_insert_first(s, INDEX_op_set_label)->args[0] = (TCGArg)s->tb_start;
    }
    tcg_gen_br_loop(s->tb_start);
}

void tcg_gen_br_loop(TCGLabel *l)
{
    tcg_ctx->loops = true;
    tcg_gen_br(l);
}

static const TCGHelperInfo helper_lookup_tb_ptr_info = {
    .func = (void *)helper_lookup_tb_ptr,
    .name = "lookup_tb_ptr",
    /* reads the guest pc from env; writes no global */
    .flags = TCG_CALL_NO_WRITE_GLOBALS | TCG_CALL_NO_SIDE_EFFECTS,
    .nb_args = 1,
    .has_ret = true,
    .ret_type = TCG_TYPE_PTR,
};

void tcg_gen_lookup_and_goto_ptr(void)
{
    TCGv_ptr ptr = tcg_temp_new_i64();
    TCGTemp *args[1] = { tcgv_ptr_temp(tcg_env) };

    tcg_gen_callN(&helper_lookup_tb_ptr_info, tcgv_ptr_temp(ptr), args);
    tcg_gen_goto_ptr(ptr);
    tcg_temp_free_i64(ptr);
}

void tcg_gen_goto_ptr(TCGv_ptr ptr)
{
    TCGOp *op = tcg_emit_op(INDEX_op_goto_ptr, TCG_TYPE_I64, 1);

    op->args[0] = T64(ptr);
}

void tcg_gen_mb(unsigned bar)
{
    TCGOp *op = tcg_emit_op(INDEX_op_mb, TCG_TYPE_I64, 1);
    op->args[0] = bar;
}

void tcg_gen_discard_i64(TCGv_i64 t)
{
    TCGOp *op = tcg_emit_op(INDEX_op_discard, TCG_TYPE_I64, 1);
    op->args[0] = T64(t);
}
