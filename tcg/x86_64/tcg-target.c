/*
 * tcg-target.c: the x86-64 host back end: instruction encoding, operand
 * constraints, the prologue/epilogue, block chaining and the inline
 * soft-MMU fast path for guest loads and stores.
 *
 * Register use: rbp holds env for the whole block (TCG_AREG0); r11 is the
 * back end's scratch; rsp points at the spill frame, 16-byte aligned so
 * helpers can be called directly.  rdi/rsi are the soft-MMU fast path's
 * scratch registers (guest access operands are constrained away from them
 * and from the helper argument registers).
 * i32 values live in 64-bit registers with undefined high halves; every
 * i32 op uses 32-bit encodings, and widening ops extend explicitly.
 * Locking: none here; code is emitted under the region lock (region.c).
 */
#include "util/osdep.h"
#include "tcg/tcg-runtime.h"
#include "tcg/tcg-internal.h"

/* Opcode flags above the low opcode byte. */
#define P_EXT     0x100    /* 0x0f escape */
#define P_DATA16  0x400    /* 0x66 operand-size prefix */
#define P_REXW    0x1000   /* REX.W: 64-bit operand */
#define P_REXB_R  0x2000   /* reg field names a byte register */
#define P_REXB_RM 0x4000   /* r/m field names a byte register */
#define P_F3      0x8000   /* 0xf3 prefix */

#define OPC_ARITH_EvIz  0x81
#define OPC_ARITH_EvIb  0x83
#define OPC_ARITH_GvEv  0x03        /* + (ARITH_* << 3) */
#define OPC_BSWAP       (0xc8 | P_EXT)
#define OPC_CALL_Jz     0xe8
#define OPC_CMOVCC      (0x40 | P_EXT)
#define OPC_JCC_long    (0x80 | P_EXT)
#define OPC_JMP_long    0xe9
#define OPC_LEA         0x8d
#define OPC_MOVB_EvGv   (0x88 | P_REXB_R)
#define OPC_MOVL_EvGv   0x89
#define OPC_MOVL_GvEv   0x8b
#define OPC_MOVB_EvIz   0xc6
#define OPC_MOVL_EvIz   0xc7
#define OPC_MOVL_Iv     0xb8
#define OPC_MOVSBL      (0xbe | P_EXT)
#define OPC_MOVSWL      (0xbf | P_EXT)
#define OPC_MOVSLQ      (0x63 | P_REXW)
#define OPC_MOVZBL      (0xb6 | P_EXT)
#define OPC_MOVZWL      (0xb7 | P_EXT)
#define OPC_IMUL_GvEv   (0xaf | P_EXT)
#define OPC_IMUL_GvEvIb 0x6b
#define OPC_IMUL_GvEvIz 0x69
#define OPC_POPCNT      (0xb8 | P_EXT | P_F3)
#define OPC_PUSH_r      0x50
#define OPC_POP_r       0x58
#define OPC_RET         0xc3
#define OPC_SETCC       (0x90 | P_EXT | P_REXB_RM)
#define OPC_SHIFT_1     0xd1
#define OPC_SHIFT_Ib    0xc1
#define OPC_SHIFT_cl    0xd3
#define OPC_TESTL       0x85
#define OPC_GRP3_Ev     0xf7
#define OPC_GRP5        0xff

enum { ARITH_ADD = 0, ARITH_OR = 1, ARITH_AND = 4, ARITH_SUB = 5, ARITH_XOR = 6, ARITH_CMP = 7 };
enum { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5, SHIFT_SAR = 7 };
enum { EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5 };
enum { EXT5_CALLN_Ev = 2, EXT5_JMPN_Ev = 4 };

static const uint8_t tcg_cond_to_jcc[16] = {
    [TCG_COND_EQ] = 0x4,  [TCG_COND_NE] = 0x5,
    [TCG_COND_LT] = 0xc,  [TCG_COND_GE] = 0xd,
    [TCG_COND_LE] = 0xe,  [TCG_COND_GT] = 0xf,
    [TCG_COND_LTU] = 0x2, [TCG_COND_GEU] = 0x3,
    [TCG_COND_LEU] = 0x6, [TCG_COND_GTU] = 0x7,
};

/* The callee-saved registers the prologue saves, in push order. */
static const int tcg_target_callee_save_regs[] = {
    TCG_REG_RBP, TCG_REG_RBX, TCG_REG_R12, TCG_REG_R13, TCG_REG_R14, TCG_REG_R15,
};

/* rsp adjustment: spill frame, keeping rsp 16-byte aligned after the
 * return address and the six pushes (7 * 8 bytes). */
#define TCG_STACK_ADJ \
    (ROUND_UP(TCG_STATIC_CALL_ARGS_SIZE + TCG_STATIC_FRAME_SIZE, 16) + 8)

static const void *tb_ret_addr;     /* RX: the epilogue after "xor eax,eax" */

/* ---- encoding --------------------------------------------------------------- */

static void tcg_out_opc(TCGContext *s, int opc, int r, int rm, int x)
{
    int rex = 0;

    if (opc & P_DATA16) {
        tcg_out8(s, 0x66);
    }
    if (opc & P_F3) {
        tcg_out8(s, 0xf3);
    }
    if (opc & P_REXW) {
        rex |= 8;
    }
    rex |= (r & 8) >> 1;
    rex |= (x & 8) >> 2;
    rex |= (rm & 8) >> 3;
    /* spl/bpl/sil/dil need a REX prefix to be byte registers */
    if (((opc & P_REXB_R) && r >= 4) || ((opc & P_REXB_RM) && rm >= 4)) {
        rex |= 0x40;
    }
    if (rex) {
        tcg_out8(s, (uint8_t)(0x40 | rex));
    }
    if (opc & P_EXT) {
        tcg_out8(s, 0x0f);
    }
    tcg_out8(s, (uint8_t)opc);
}

static void tcg_out_modrm(TCGContext *s, int opc, int r, int rm)
{
    tcg_out_opc(s, opc, r, rm, 0);
    tcg_out8(s, (uint8_t)(0xc0 | ((r & 7) << 3) | (rm & 7)));
}

/* [base + index << shift + offset]; index < 0 for none. */
static void tcg_out_modrm_sib_offset(TCGContext *s, int opc, int r, int base, int index,
                                     int shift, intptr_t offset)
{
    int mod, len;

    assert(offset == (int32_t)offset);
    assert(index != TCG_REG_RSP);
    if (offset == 0 && (base & 7) != TCG_REG_RBP) {
        mod = 0x00, len = 0;
    } else if (offset == (int8_t)offset) {
        mod = 0x40, len = 1;
    } else {
        mod = 0x80, len = 4;
    }
    if (index < 0 && (base & 7) != TCG_REG_RSP) {
        tcg_out_opc(s, opc, r, base, 0);
        tcg_out8(s, (uint8_t)(mod | ((r & 7) << 3) | (base & 7)));
    } else {
        int idx = index < 0 ? 4 : index;
        tcg_out_opc(s, opc, r, base, index < 0 ? 0 : index);
        tcg_out8(s, (uint8_t)(mod | ((r & 7) << 3) | 4));
        tcg_out8(s, (uint8_t)((shift << 6) | ((idx & 7) << 3) | (base & 7)));
    }
    if (len == 1) {
        tcg_out8(s, (uint8_t)offset);
    } else if (len == 4) {
        tcg_out32(s, (uint32_t)offset);
    }
}

static void tcg_out_modrm_offset(TCGContext *s, int opc, int r, int base, intptr_t offset)
{
    tcg_out_modrm_sib_offset(s, opc, r, base, -1, 0, offset);
}

static int rexw(TCGType type)
{
    return type == TCG_TYPE_I64 ? P_REXW : 0;
}

static void tgen_arithr(TCGContext *s, int c, int dst, int src, int w)
{
    tcg_out_modrm(s, OPC_ARITH_GvEv + (c << 3) + w, dst, src);
}

static void tgen_arithi(TCGContext *s, int c, int r, int64_t val, int w)
{
    if (val == (int8_t)val) {
        tcg_out_modrm(s, OPC_ARITH_EvIb + w, c, r);
        tcg_out8(s, (uint8_t)val);
    } else {
        assert(val == (int32_t)val || !w);
        tcg_out_modrm(s, OPC_ARITH_EvIz + w, c, r);
        tcg_out32(s, (uint32_t)val);
    }
}

void tcg_target_patch_rel32(uint8_t *rw, const uint8_t *target_rw)
{
    tcg_patch_rel32_field(rw, target_rw);
}

/* jcc (or jmp when jcc < 0) to a label, always rel32 */
static void tcg_out_jxx(TCGContext *s, int jcc, TCGLabel *l)
{
    uint8_t *p;

    if (jcc < 0) {
        tcg_out8(s, OPC_JMP_long);
    } else {
        tcg_out_opc(s, OPC_JCC_long + jcc, 0, 0, 0);
    }
    p = s->code_ptr;
    s->code_ptr += 4;
    tcg_out_reloc(s, p, l);
}

/* jmp or call to an absolute RX address */
static void tcg_out_branch_abs(TCGContext *s, bool call, const void *target)
{
    intptr_t disp = (intptr_t)target - ((intptr_t)tcg_rw_to_rx(s->code_ptr) + 5);

    if (disp == (int32_t)disp) {
        tcg_out8(s, call ? OPC_CALL_Jz : OPC_JMP_long);
        tcg_out32(s, (uint32_t)disp);
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_TMP, (intptr_t)target);
        tcg_out_modrm(s, OPC_GRP5, call ? EXT5_CALLN_Ev : EXT5_JMPN_Ev, TCG_REG_TMP);
    }
}

/* ---- moves -------------------------------------------------------------------- */

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst != src) {
        tcg_out_modrm(s, OPC_MOVL_GvEv + rexw(type), dst, src);
    }
}

void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;
    }
    if (val == 0) {
        tgen_arithr(s, ARITH_XOR, reg, reg, 0);
    } else if (val == (int64_t)(uint32_t)val) {
        tcg_out_opc(s, OPC_MOVL_Iv + (reg & 7), 0, reg, 0);
        tcg_out32(s, (uint32_t)val);
    } else if (val == (int32_t)val) {
        tcg_out_modrm(s, OPC_MOVL_EvIz + P_REXW, 0, reg);
        tcg_out32(s, (uint32_t)val);
    } else {
        tcg_out_opc(s, OPC_MOVL_Iv + P_REXW + (reg & 7), 0, reg, 0);
        tcg_out64(s, (uint64_t)val);
    }
}

void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_MOVL_GvEv + rexw(type), reg, base, off);
}

void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_MOVL_EvGv + rexw(type), reg, base, off);
}

bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base, intptr_t off)
{
    if (type == TCG_TYPE_I64 && val != (int32_t)val) {
        return false;
    }
    tcg_out_modrm_offset(s, OPC_MOVL_EvIz + rexw(type), 0, base, off);
    tcg_out32(s, (uint32_t)val);
    return true;
}

/* ---- constraints ------------------------------------------------------------------ */

#define R_ALL TCG_TARGET_ALL_REGS
/* guest access operands: not the fast path's scratch nor helper arguments */
#define R_L   (R_ALL & ~((1u << TCG_REG_RAX) | (1u << TCG_REG_RCX) | (1u << TCG_REG_RDX) | \
                         (1u << TCG_REG_RSI) | (1u << TCG_REG_RDI) | (1u << TCG_REG_R8)))

void tcg_target_op_constraints(TCGOpcode opc, TCGType type,
                               TCGArgConstraint *out, TCGArgConstraint *in)
{
    (void)type;
    for (int i = 0; i < 2; i++) {
        out[i] = (TCGArgConstraint){ .regs = R_ALL, .ct = 0, .alias = -1 };
    }
    for (int i = 0; i < TCG_MAX_CALL_ARGS; i++) {
        in[i] = (TCGArgConstraint){ .regs = R_ALL, .ct = 0, .alias = -1 };
    }
    switch (opc) {
    case INDEX_op_add: case INDEX_op_sub: case INDEX_op_mul:
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor:
        out[0].alias = 0;               /* two-address */
        in[1].ct = TCG_CT_CONST_S32;
        break;
    case INDEX_op_andc:
    case INDEX_op_neg: case INDEX_op_not:
    case INDEX_op_bswap16: case INDEX_op_bswap32: case INDEX_op_bswap64:
        out[0].alias = 0;
        break;
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr:
        out[0].alias = 0;
        in[1].regs = 1u << TCG_REG_RCX; /* count in cl */
        in[1].ct = TCG_CT_CONST_ANY;
        break;
    case INDEX_op_mulu2: case INDEX_op_muls2:
        out[0].alias = 0;               /* rax */
        out[1].regs = 1u << TCG_REG_RDX;
        in[0].regs = 1u << TCG_REG_RAX;
        break;
    case INDEX_op_setcond:
    case INDEX_op_brcond:
        in[1].ct = TCG_CT_CONST_S32;
        break;
    case INDEX_op_movcond:
        out[0].alias = 3;               /* out = v2; cmov v1 over it */
        in[1].ct = TCG_CT_CONST_S32;
        break;
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        in[0].ct = TCG_CT_CONST_S32;
        break;
    case INDEX_op_guest_ld:
        in[0].regs = R_L;
        break;
    case INDEX_op_guest_st:
        in[0].regs = R_L;
        in[1].regs = R_L;
        break;
    default:
        break;
    }
}

bool tcg_target_const_match(int64_t val, TCGType type, unsigned ct)
{
    if (ct & TCG_CT_CONST_ANY) {
        return true;
    }
    if (ct & TCG_CT_CONST_S32) {
        return type == TCG_TYPE_I32 || val == (int32_t)val;
    }
    return false;
}

/* ---- soft-MMU fast path ------------------------------------------------------------ */

static void tcg_out_guest_access(TCGContext *s, bool is_ld, TCGType type, MemOp mop,
                                 int data, int base, int index)
{
    int w = rexw(type);

    switch (mop & (MO_SIZE | (is_ld ? MO_SIGN : 0))) {
    case MO_UB:
        if (is_ld) {
            tcg_out_modrm_sib_offset(s, OPC_MOVZBL, data, base, index, 0, 0);
        } else {
            tcg_out_modrm_sib_offset(s, OPC_MOVB_EvGv, data, base, index, 0, 0);
        }
        break;
    case MO_SB:
        tcg_out_modrm_sib_offset(s, OPC_MOVSBL + w, data, base, index, 0, 0);
        break;
    case MO_UW:
        if (is_ld) {
            tcg_out_modrm_sib_offset(s, OPC_MOVZWL, data, base, index, 0, 0);
        } else {
            tcg_out_modrm_sib_offset(s, OPC_MOVL_EvGv + P_DATA16, data, base, index, 0, 0);
        }
        break;
    case MO_SW:
        tcg_out_modrm_sib_offset(s, OPC_MOVSWL + w, data, base, index, 0, 0);
        break;
    case MO_UL:
        tcg_out_modrm_sib_offset(s, is_ld ? OPC_MOVL_GvEv : OPC_MOVL_EvGv, data, base, index, 0, 0);
        break;
    case MO_SL:
        tcg_out_modrm_sib_offset(s, w ? OPC_MOVSLQ : OPC_MOVL_GvEv, data, base, index, 0, 0);
        break;
    default: /* MO_UQ */
        tcg_out_modrm_sib_offset(s, (is_ld ? OPC_MOVL_GvEv : OPC_MOVL_EvGv) + P_REXW,
                                 data, base, index, 0, 0);
        break;
    }
}

/*
 * Inline TLB lookup (see tcg/tlb.h; the table's size varies, so its mask
 * and address come from env):
 *   rdi = (addr >> (PAGE_BITS - ENTRY_BITS)) & f[mmu_idx].mask
 *   rdi += f[mmu_idx].table                     the entry
 *   rsi = (addr + size - 1) & PAGE_MASK        page of the last byte
 *   cmp rsi, [rdi].addr_read/addr_write
 *   jne slow                                   miss, flags or page crossing
 *   rdi = [rdi].addend
 *   access [addr + rdi]
 */
static void tcg_out_guest_ldst(TCGContext *s, bool is_ld, TCGType type, int data,
                               int addr, MemOpIdx oi)
{
    MemOp mop = get_memop(oi);
    unsigned size = 1u << (mop & MO_SIZE);
    intptr_t fast = s->tlb_offset + (intptr_t)get_mmuidx(oi) * (intptr_t)sizeof(CPUTLBFast);
    intptr_t cmp_off = is_ld ? offsetof(CPUTLBEntry, addr_read)
                             : offsetof(CPUTLBEntry, addr_write);
    const int r0 = TCG_REG_RDI, r1 = TCG_REG_RSI;
    TCGLdstLabel *l;

    tcg_out_mov(s, TCG_TYPE_I64, r0, addr);
    tcg_out_modrm(s, OPC_SHIFT_Ib + P_REXW, SHIFT_SHR, r0);
    tcg_out8(s, TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS);
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_AND << 3) + P_REXW, r0, TCG_AREG0,
                         fast + (intptr_t)offsetof(CPUTLBFast, mask));
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_ADD << 3) + P_REXW, r0, TCG_AREG0,
                         fast + (intptr_t)offsetof(CPUTLBFast, table));
    if (size > 1) {
        tcg_out_modrm_offset(s, OPC_LEA + P_REXW, r1, addr, size - 1);
    } else {
        tcg_out_mov(s, TCG_TYPE_I64, r1, addr);
    }
    tgen_arithi(s, ARITH_AND, r1, (int32_t)TARGET_PAGE_MASK, P_REXW);
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + P_REXW, r1, r0, cmp_off);
    tcg_out_opc(s, OPC_JCC_long + tcg_cond_to_jcc[TCG_COND_NE], 0, 0, 0);
    l = tcg_new_ldst_label(s);
    l->label_ptr = s->code_ptr;
    s->code_ptr += 4;
    tcg_out_modrm_offset(s, OPC_MOVL_GvEv + P_REXW, r0, r0,
                         (intptr_t)offsetof(CPUTLBEntry, addend));
    tcg_out_guest_access(s, is_ld, type, mop, data, addr, r0);

    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->data_reg = data;
    l->addr_reg = addr;
    l->raddr = s->code_ptr;
}

/* lea reg, [rip + (target - next insn)] */
static void tcg_out_lea_rip(TCGContext *s, int reg, const uint8_t *target_rw)
{
    tcg_out_opc(s, OPC_LEA + P_REXW, reg, 0, 0);
    tcg_out8(s, (uint8_t)(0x05 | ((reg & 7) << 3)));
    tcg_out32(s, 0);
    tcg_target_patch_rel32(s->code_ptr - 4, target_rw);
}

bool tcg_out_ldst_finalize(TCGContext *s)
{
    for (int i = 0; i < s->nb_ldst; i++) {
        TCGLdstLabel *l = &s->ldst[i];

        if (s->code_ptr + 128 + 8 * l->nb_sync > s->code_end) {
            return false;
        }
        tcg_target_patch_rel32(l->label_ptr, s->code_ptr);
        tcg_out_ldst_sync(s, l);
        /* operands are in R_L registers, so these moves do not collide */
        tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_RSI, l->addr_reg);
        tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_RDI, TCG_AREG0);
        if (l->is_ld) {
            tcg_out_movi(s, TCG_TYPE_I32, TCG_REG_RDX, l->oi);
            tcg_out_lea_rip(s, TCG_REG_RCX, l->raddr);
            tcg_out_branch_abs(s, true, (const void *)helper_ld_mmu);
            tcg_out_mov(s, l->type, l->data_reg, TCG_REG_RAX);
        } else {
            tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_RDX, l->data_reg);
            tcg_out_movi(s, TCG_TYPE_I32, TCG_REG_RCX, l->oi);
            tcg_out_lea_rip(s, TCG_REG_R8, l->raddr);
            tcg_out_branch_abs(s, true, (const void *)helper_st_mmu);
        }
        tcg_out8(s, OPC_JMP_long);
        tcg_out32(s, 0);
        tcg_target_patch_rel32(s->code_ptr - 4, l->raddr);
    }
    return true;
}

/* ---- control flow ------------------------------------------------------------------- */

void tcg_out_call(TCGContext *s, const void *func)
{
    tcg_out_branch_abs(s, true, func);
}

void tcg_out_exit_tb(TCGContext *s, uintptr_t val)
{
    if (val == 0) {
        tcg_out_branch_abs(s, false, tcg_code_gen_epilogue);
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_RAX, (int64_t)val);
        tcg_out_branch_abs(s, false, tb_ret_addr);
    }
}

void tcg_out_goto_tb(TCGContext *s, unsigned slot)
{
    /* the rel32 must be 4-byte aligned to be patched with one store */
    while (((uintptr_t)tcg_rw_to_rx(s->code_ptr) + 1) & 3) {
        tcg_out8(s, 0x90);
    }
    tcg_out8(s, OPC_JMP_long);
    tcg_out_jmp_rel32_field(s, slot);
}

void tb_target_set_jmp_target(const TranslationBlock *tb, int n, uintptr_t addr)
{
    tcg_patch_jmp_rel32(tb, n, addr);
}

void tcg_target_emit_prologue(TCGContext *s, const void **entry, const void **epilogue)
{
    *entry = tcg_rw_to_rx(s->code_ptr);
    for (size_t i = 0; i < ARRAY_SIZE(tcg_target_callee_save_regs); i++) {
        int r = tcg_target_callee_save_regs[i];
        tcg_out_opc(s, OPC_PUSH_r + (r & 7), 0, r, 0);
    }
    tcg_out_mov(s, TCG_TYPE_PTR, TCG_AREG0, tcg_target_call_iarg_regs[0]);
    tgen_arithi(s, ARITH_SUB, TCG_REG_RSP, TCG_STACK_ADJ, P_REXW);
    tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, tcg_target_call_iarg_regs[1]);

    *epilogue = tcg_rw_to_rx(s->code_ptr);
    tgen_arithr(s, ARITH_XOR, TCG_REG_RAX, TCG_REG_RAX, 0);
    tb_ret_addr = tcg_rw_to_rx(s->code_ptr);
    tgen_arithi(s, ARITH_ADD, TCG_REG_RSP, TCG_STACK_ADJ, P_REXW);
    for (int i = (int)ARRAY_SIZE(tcg_target_callee_save_regs) - 1; i >= 0; i--) {
        int r = tcg_target_callee_save_regs[i];
        tcg_out_opc(s, OPC_POP_r + (r & 7), 0, r, 0);
    }
    tcg_out8(s, OPC_RET);
}

/* ---- generic ops ---------------------------------------------------------------------- */

static void tcg_out_cmp(TCGContext *s, TCGArg a, TCGArg b, bool b_const, int w)
{
    if (b_const && (int64_t)b == 0) {
        tcg_out_modrm(s, OPC_TESTL + w, (int)a, (int)a);
    } else if (b_const) {
        tgen_arithi(s, ARITH_CMP, (int)a, (int64_t)b, w);
    } else {
        tgen_arithr(s, ARITH_CMP, (int)a, (int)b, w);
    }
}

void tcg_out_op(TCGContext *s, TCGOpcode opc, TCGType type,
                const TCGArg *args, const bool *const_args)
{
    int w = rexw(type);
    int a0 = (int)args[0], a1 = (int)args[1];
    static const uint8_t arith[] = {
        [INDEX_op_add] = ARITH_ADD, [INDEX_op_sub] = ARITH_SUB,
        [INDEX_op_and] = ARITH_AND, [INDEX_op_or] = ARITH_OR, [INDEX_op_xor] = ARITH_XOR,
    };
    static const uint8_t shift[] = {
        [INDEX_op_shl] = SHIFT_SHL, [INDEX_op_shr] = SHIFT_SHR, [INDEX_op_sar] = SHIFT_SAR,
        [INDEX_op_rotl] = SHIFT_ROL, [INDEX_op_rotr] = SHIFT_ROR,
    };

    switch (opc) {
    case INDEX_op_add: case INDEX_op_sub:
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor:
        assert(a0 == a1);
        if (const_args[2]) {
            tgen_arithi(s, arith[opc], a0, (int64_t)args[2], w);
        } else {
            tgen_arithr(s, arith[opc], a0, (int)args[2], w);
        }
        break;
    case INDEX_op_mul:
        assert(a0 == a1);
        if (const_args[2]) {
            int64_t v = (int64_t)args[2];
            if (v == (int8_t)v) {
                tcg_out_modrm(s, OPC_IMUL_GvEvIb + w, a0, a0);
                tcg_out8(s, (uint8_t)v);
            } else {
                tcg_out_modrm(s, OPC_IMUL_GvEvIz + w, a0, a0);
                tcg_out32(s, (uint32_t)v);
            }
        } else {
            tcg_out_modrm(s, OPC_IMUL_GvEv + w, a0, (int)args[2]);
        }
        break;
    case INDEX_op_andc:
        assert(a0 == a1);
        tcg_out_mov(s, type, TCG_REG_TMP, (int)args[2]);
        tcg_out_modrm(s, OPC_GRP3_Ev + w, EXT3_NOT, TCG_REG_TMP);
        tgen_arithr(s, ARITH_AND, a0, TCG_REG_TMP, w);
        break;
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr:
        assert(a0 == a1);
        if (const_args[2]) {
            int n = (int)(args[2] & (type == TCG_TYPE_I32 ? 31 : 63));
            if (n == 1) {
                tcg_out_modrm(s, OPC_SHIFT_1 + w, shift[opc], a0);
            } else {
                tcg_out_modrm(s, OPC_SHIFT_Ib + w, shift[opc], a0);
                tcg_out8(s, (uint8_t)n);
            }
        } else {
            assert(args[2] == TCG_REG_RCX);
            tcg_out_modrm(s, OPC_SHIFT_cl + w, shift[opc], a0);
        }
        break;
    case INDEX_op_neg:
        tcg_out_modrm(s, OPC_GRP3_Ev + w, EXT3_NEG, a0);
        break;
    case INDEX_op_not:
        tcg_out_modrm(s, OPC_GRP3_Ev + w, EXT3_NOT, a0);
        break;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        assert(a0 == TCG_REG_RAX && a1 == TCG_REG_RDX && args[2] == TCG_REG_RAX);
        tcg_out_modrm(s, OPC_GRP3_Ev + w, opc == INDEX_op_mulu2 ? EXT3_MUL : EXT3_IMUL,
                      (int)args[3]);
        break;
    case INDEX_op_setcond:
        tcg_out_cmp(s, args[1], args[2], const_args[2], w);
        tcg_out_modrm(s, OPC_SETCC | tcg_cond_to_jcc[args[3]], 0, a0);
        tcg_out_modrm(s, OPC_MOVZBL + P_REXB_RM, a0, a0);
        break;
    case INDEX_op_movcond:
        assert(args[0] == args[4]);
        tcg_out_cmp(s, args[1], args[2], const_args[2], w);
        tcg_out_modrm(s, (OPC_CMOVCC | tcg_cond_to_jcc[args[5]]) + w, a0, (int)args[3]);
        break;
    case INDEX_op_brcond:
        tcg_out_cmp(s, args[0], args[1], const_args[1], w);
        tcg_out_jxx(s, tcg_cond_to_jcc[args[2]], arg_label(args[3]));
        break;
    case INDEX_op_br:
        tcg_out_jxx(s, -1, arg_label(args[0]));
        break;

    case INDEX_op_ld8u:
        tcg_out_modrm_offset(s, OPC_MOVZBL, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld8s:
        tcg_out_modrm_offset(s, OPC_MOVSBL + w, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld16u:
        tcg_out_modrm_offset(s, OPC_MOVZWL, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld16s:
        tcg_out_modrm_offset(s, OPC_MOVSWL + w, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld32u:
        tcg_out_modrm_offset(s, OPC_MOVL_GvEv, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld32s:
        tcg_out_modrm_offset(s, OPC_MOVSLQ, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_ld:
        tcg_out_ld(s, type, a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_st8:
        if (const_args[0]) {
            tcg_out_modrm_offset(s, OPC_MOVB_EvIz, 0, a1, (intptr_t)args[2]);
            tcg_out8(s, (uint8_t)args[0]);
        } else {
            tcg_out_modrm_offset(s, OPC_MOVB_EvGv, a0, a1, (intptr_t)args[2]);
        }
        break;
    case INDEX_op_st16:
        if (const_args[0]) {
            tcg_out_modrm_offset(s, OPC_MOVL_EvIz + P_DATA16, 0, a1, (intptr_t)args[2]);
            tcg_out16(s, (uint16_t)args[0]);
        } else {
            tcg_out_modrm_offset(s, OPC_MOVL_EvGv + P_DATA16, a0, a1, (intptr_t)args[2]);
        }
        break;
    case INDEX_op_st32:
    case INDEX_op_st: {
        TCGType t = opc == INDEX_op_st32 ? TCG_TYPE_I32 : type;
        if (const_args[0]) {
            bool ok = tcg_out_sti(s, t, (int64_t)args[0], a1, (intptr_t)args[2]);
            assert(ok);
            (void)ok;
        } else {
            tcg_out_st(s, t, a0, a1, (intptr_t)args[2]);
        }
        break;
    }

    case INDEX_op_ext8s:
        tcg_out_modrm(s, OPC_MOVSBL + P_REXB_RM + w, a0, a1);
        break;
    case INDEX_op_ext8u:
        tcg_out_modrm(s, OPC_MOVZBL + P_REXB_RM, a0, a1);
        break;
    case INDEX_op_ext16s:
        tcg_out_modrm(s, OPC_MOVSWL + w, a0, a1);
        break;
    case INDEX_op_ext16u:
        tcg_out_modrm(s, OPC_MOVZWL, a0, a1);
        break;
    case INDEX_op_ext32s:
    case INDEX_op_exts_i32_i64:
        tcg_out_modrm(s, OPC_MOVSLQ, a0, a1);
        break;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        /* a 32-bit move zero-extends, even onto itself */
        tcg_out_modrm(s, OPC_MOVL_GvEv, a0, a1);
        break;
    case INDEX_op_bswap16:
        tcg_out_modrm(s, OPC_SHIFT_Ib + P_DATA16, SHIFT_ROL, a0);
        tcg_out8(s, 8);
        tcg_out_modrm(s, OPC_MOVZWL, a0, a0);
        break;
    case INDEX_op_bswap32:
        tcg_out_opc(s, OPC_BSWAP + (a0 & 7), 0, a0, 0);
        break;
    case INDEX_op_bswap64:
        tcg_out_opc(s, OPC_BSWAP + P_REXW + (a0 & 7), 0, a0, 0);
        break;
    case INDEX_op_ctpop:
        tcg_out_modrm(s, OPC_POPCNT + w, a0, a1);
        break;

    case INDEX_op_guest_ld:
        tcg_out_guest_ldst(s, true, type, a0, a1, (MemOpIdx)args[2]);
        break;
    case INDEX_op_guest_st:
        tcg_out_guest_ldst(s, false, type, a0, a1, (MemOpIdx)args[2]);
        break;

    case INDEX_op_exit_tb:
        tcg_out_exit_tb(s, args[0]);
        break;
    case INDEX_op_goto_tb:
        tcg_out_goto_tb(s, (unsigned)args[0]);
        break;
    case INDEX_op_goto_ptr:
        tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, a0);
        break;
    case INDEX_op_mb:
        if (args[0] & TCG_MO_ST_LD) {
            /* x86 only reorders stores after later loads: mfence */
            tcg_out8(s, 0x0f);
            tcg_out8(s, 0xae);
            tcg_out8(s, 0xf0);
        }
        break;
    default:
        fprintf(stderr, "tcg: x86_64 back end cannot emit %s\n", tcg_op_defs[opc].name);
        assert(!"unhandled opcode");
        break;
    }
}
