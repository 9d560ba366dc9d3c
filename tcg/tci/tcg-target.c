/*
 * tcg-target.c: the interpreter back end's emitter: every op becomes one
 * bytecode instruction (layout in tci.h) that tci.c runs.  Also the
 * bytecode's disassembler for -d out_asm.
 *
 * Registers are virtual (tcg-target.h), so there are no operand
 * constraints beyond the helper-call registers: every op is three-address
 * and its second input may be an inline 64-bit constant.  The soft-MMU
 * fast path and slow path are both in the interpreter, so a guest access
 * is one instruction carrying its slow path's list of dirty globals, and
 * tcg_out_ldst_finalize emits nothing.
 * Locking: none here; code is emitted under the region lock (region.c).
 */
#include "util/osdep.h"
#include "tcg/tcg-internal.h"
#include "tci.h"

static void tci_out_op(TCGContext *s, TCGOpcode opc, TCGType type, bool imm)
{
    tcg_out8(s, (uint8_t)(TCI_OP(opc, type) | (imm ? TCI_IMM : 0)));
}

static void tci_out_off32(TCGContext *s, intptr_t off)
{
    assert(off == (int32_t)off);
    tcg_out32(s, (uint32_t)off);
}

void tcg_target_patch_rel32(uint8_t *rw, const uint8_t *target_rw)
{
    tcg_patch_rel32_field(rw, target_rw);
}

static void tci_out_label(TCGContext *s, TCGLabel *l)
{
    uint8_t *p = s->code_ptr;

    s->code_ptr += 4;
    tcg_out_reloc(s, p, l);
}

/* ---- moves -------------------------------------------------------------------- */

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    (void)type;     /* i32 high halves are undefined: copy all 64 bits */
    if (dst != src) {
        tci_out_op(s, INDEX_op_mov, TCG_TYPE_I64, false);
        tcg_out8(s, (uint8_t)dst);
        tcg_out8(s, (uint8_t)src);
    }
}

void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;    /* i32 values are zero-extended (tci.c) */
    }
    tci_out_op(s, INDEX_op_mov, TCG_TYPE_I64, true);
    tcg_out8(s, (uint8_t)reg);
    tcg_out64(s, (uint64_t)val);
}

void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tci_out_op(s, INDEX_op_ld, type, false);
    tcg_out8(s, (uint8_t)reg);
    tcg_out8(s, (uint8_t)base);
    tci_out_off32(s, off);
}

void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tci_out_op(s, INDEX_op_st, type, false);
    tcg_out8(s, (uint8_t)reg);
    tcg_out8(s, (uint8_t)base);
    tci_out_off32(s, off);
}

bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base, intptr_t off)
{
    return false;   /* the allocator moves the constant into a register */
}

/* ---- constraints ------------------------------------------------------------------ */

void tcg_target_op_constraints(TCGOpcode opc, TCGType type,
                               TCGArgConstraint *out, TCGArgConstraint *in)
{
    int imm = tci_imm_input(opc);

    (void)type;
    for (int i = 0; i < 2; i++) {
        out[i] = (TCGArgConstraint){ .regs = TCG_TARGET_ALL_REGS, .ct = 0, .alias = -1 };
    }
    for (int i = 0; i < TCG_MAX_CALL_ARGS; i++) {
        in[i] = (TCGArgConstraint){ .regs = TCG_TARGET_ALL_REGS, .ct = 0, .alias = -1 };
    }
    if (imm >= 0) {
        in[imm].ct = TCG_CT_CONST_ANY;
    }
}

bool tcg_target_const_match(int64_t val, TCGType type, unsigned ct)
{
    return ct & TCG_CT_CONST_ANY;
}

/* ---- control flow ------------------------------------------------------------------- */

bool tcg_out_ldst_finalize(TCGContext *s)
{
    return true;    /* the slow paths are in the interpreter */
}

void tcg_out_call(TCGContext *s, const void *func)
{
    tci_out_op(s, INDEX_op_call, TCG_TYPE_I64, false);
    tcg_out64(s, (uint64_t)(uintptr_t)func);
}

void tcg_out_exit_tb(TCGContext *s, uintptr_t val)
{
    tci_out_op(s, INDEX_op_exit_tb, TCG_TYPE_I64, false);
    tcg_out64(s, (uint64_t)val);
}

void tcg_out_goto_tb(TCGContext *s, unsigned slot)
{
    tci_out_op(s, INDEX_op_goto_tb, TCG_TYPE_I64, false);
    /* the rel32 must be 4-byte aligned to be patched with one store */
    while ((uintptr_t)tcg_rw_to_rx(s->code_ptr) & 3) {
        tcg_out8(s, 0);
    }
    tcg_out_jmp_rel32_field(s, slot);
}

void tb_target_set_jmp_target(const TranslationBlock *tb, int n, uintptr_t addr)
{
    tcg_patch_jmp_rel32(tb, n, addr);
}

/* No machine code: the epilogue is an exit_tb 0 that goto_ptr can reach. */
void tcg_target_emit_prologue(TCGContext *s, const void **entry, const void **epilogue)
{
    *entry = *epilogue = tcg_rw_to_rx(s->code_ptr);
    tcg_out_exit_tb(s, 0);
}

/* ---- generic ops ---------------------------------------------------------------------- */

static void tci_out_guest_ldst(TCGContext *s, MemOpIdx oi)
{
    intptr_t fast = s->tlb_offset + (intptr_t)get_mmuidx(oi) * (intptr_t)sizeof(CPUTLBFast);

    tcg_out32(s, oi);
    tci_out_off32(s, fast);
    tcg_out8(s, (uint8_t)s->nb_ldst_sync);
    for (int i = 0; i < s->nb_ldst_sync; i++) {
        tcg_out8(s, (uint8_t)s->ldst_sync[i].reg);
        tcg_out8(s, s->ldst_sync[i].type);
        tci_out_off32(s, s->ldst_sync[i].offset);
    }
}

/* The constant arguments after the operands (tci.h). */
static void tci_out_fields(TCGContext *s, TCGOpcode opc, const TCGArg *c)
{
    switch (opc) {
    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u: case INDEX_op_ld16s:
    case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_ld:
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        tci_out_off32(s, (intptr_t)c[0]);
        break;
    case INDEX_op_setcond: case INDEX_op_movcond:
        tcg_out8(s, (uint8_t)c[0]);
        break;
    case INDEX_op_brcond:
        tcg_out8(s, (uint8_t)c[0]);
        tci_out_label(s, arg_label(c[1]));
        break;
    case INDEX_op_br:
        tci_out_label(s, arg_label(c[0]));
        break;
    case INDEX_op_mb:
        tcg_out8(s, (uint8_t)c[0]);
        break;
    case INDEX_op_guest_ld: case INDEX_op_guest_st:
        tci_out_guest_ldst(s, (MemOpIdx)c[0]);
        break;
    default:
        break;
    }
}

void tcg_out_op(TCGContext *s, TCGOpcode opc, TCGType type,
                const TCGArg *args, const bool *const_args)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    int nb = def->nb_oargs + def->nb_iargs;
    int imm = tci_imm_input(opc);

    switch (opc) {
    case INDEX_op_exit_tb:
        tcg_out_exit_tb(s, args[0]);
        return;
    case INDEX_op_goto_tb:
        tcg_out_goto_tb(s, (unsigned)args[0]);
        return;
    default:
        break;
    }
    imm = imm >= 0 && const_args[def->nb_oargs + imm] ? def->nb_oargs + imm : -1;
    tci_out_op(s, opc, type, imm >= 0);
    for (int i = 0; i < nb; i++) {
        assert(!const_args[i] || i == imm);
        if (i == imm) {
            tcg_out64(s, (uint64_t)args[i]);
        } else {
            tcg_out8(s, (uint8_t)args[i]);
        }
    }
    tci_out_fields(s, opc, args + nb);
}

/* ---- disassembly ------------------------------------------------------------------------ */

/* Bytes of the fields after the operands of the instruction at p + 1 + operands. */
static size_t tci_fields_size(TCGOpcode opc, const uint8_t *f)
{
    switch (opc) {
    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u: case INDEX_op_ld16s:
    case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_ld:
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
    case INDEX_op_br:
        return 4;
    case INDEX_op_setcond: case INDEX_op_movcond: case INDEX_op_mb:
        return 1;
    case INDEX_op_brcond:
        return 5;
    case INDEX_op_call: case INDEX_op_exit_tb:
        return 8;
    case INDEX_op_goto_tb:
        return (size_t)((-(uintptr_t)f) & 3) + 4;
    case INDEX_op_guest_ld: case INDEX_op_guest_st:
        return 9 + (size_t)f[8] * TCI_SYNC_SIZE;
    default:
        return 0;
    }
}

void disas_host(FILE *f, const void *code, size_t size)
{
    const uint8_t *p = code, *end = p + size;

    while (p < end) {
        const uint8_t *start = p;
        unsigned op = *p++;
        TCGOpcode opc = (TCGOpcode)((op & ~TCI_IMM) >> 1);
        const TCGOpDef *def;
        int nb, imm;
        size_t fields;

        if (opc >= NB_OPS) {
            fprintf(f, "0x%016" PRIxPTR ":  .byte 0x%02x\n", (uintptr_t)start, op);
            continue;
        }
        def = &tcg_op_defs[opc];
        nb = def->nb_oargs + def->nb_iargs;
        imm = (op & TCI_IMM) ? def->nb_oargs + tci_imm_input(opc) : -1;
        fprintf(f, "0x%016" PRIxPTR ":  %s%s ", (uintptr_t)start, def->name,
                !(def->flags & TCG_OPF_TYPED) ? "" : (op & 1) ? "_i64" : "_i32");
        for (int i = 0; i < nb && p < end; i++) {
            if (i == imm) {
                uint64_t v;
                memcpy(&v, p, 8);
                p += 8;
                fprintf(f, "%s$0x%" PRIx64, i ? "," : "", v);
            } else {
                fprintf(f, "%s%s", i ? "," : "", tcg_target_reg_names[*p++ & 31]);
            }
        }
        fields = tci_fields_size(opc, p);
        fprintf(f, "%s[", nb ? " " : "");
        for (size_t i = 0; i < fields && p < end; i++) {
            fprintf(f, "%s%02x", i ? " " : "", *p++);
        }
        fprintf(f, "]\n");
    }
}
