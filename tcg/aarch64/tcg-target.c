/*
 * tcg-target.c: the AArch64 host back end: instruction encoding, operand
 * constraints, the prologue/epilogue, block chaining and the inline
 * soft-MMU fast path for guest loads and stores.
 *
 * Register use (tcg-target.h): x19 holds env for the whole block; x16,
 * x17 and x30 are the back end's scratch; sp points at the spill frame,
 * 16-byte aligned so helpers can be called directly.  Arm is
 * three-address, so no output shares an input's register by constraint.
 * i32 values live in 64-bit registers; every i32 op uses the 32-bit (w)
 * form, which zeroes the high half, and widening ops extend explicitly.
 *
 * Memory ordering (docs/porting-a-host.md): x86 TSO on Arm's weaker model
 * by barriers around each guest access: "dmb ishst" before a store (at
 * the fork between the fast and the slow path) and "dmb ishld" after a
 * load (at the join), so the slow path's C accesses are ordered too.
 * Locking: none here; code is emitted under the region lock (region.c).
 */
#include "util/osdep.h"
#include "tcg/tcg-runtime.h"
#include "tcg/tcg-internal.h"

/* ---- instruction words (sf, bit 31, selects the 64-bit form) ------------ */

#define SF64             (1u << 31)
#define I_ADD_IMM        0x11000000u   /* | sh << 22 | imm12 << 10 */
#define I_SUB_IMM        0x51000000u
#define I_ADDS_IMM       0x31000000u
#define I_SUBS_IMM       0x71000000u
#define I_ADD            0x0b000000u   /* shifted register */
#define I_SUB            0x4b000000u
#define I_SUBS           0x6b000000u
#define I_AND            0x0a000000u
#define I_BIC            0x0a200000u
#define I_ORR            0x2a000000u
#define I_ORN            0x2a200000u
#define I_EOR            0x4a000000u
#define I_AND_IMM        0x12000000u   /* | N:immr:imms << 10 */
#define I_ORR_IMM        0x32000000u
#define I_EOR_IMM        0x52000000u
#define I_MOVN           0x12800000u   /* | hw << 21 | imm16 << 5 */
#define I_MOVZ           0x52800000u
#define I_MOVK           0x72800000u
#define I_SBFM           0x13000000u   /* | N << 22 | immr << 16 | imms << 10 */
#define I_UBFM           0x53000000u
#define I_EXTR           0x13800000u
#define I_LSLV           0x1ac02000u
#define I_LSRV           0x1ac02400u
#define I_ASRV           0x1ac02800u
#define I_RORV           0x1ac02c00u
#define I_MADD           0x1b000000u   /* | Ra << 10 */
#define I_SMADDL         0x9b200000u
#define I_UMADDL         0x9ba00000u
#define I_SMULH          0x9b407c00u
#define I_UMULH          0x9bc07c00u
#define I_REV16          0x5ac00400u
#define I_REV32          0x5ac00800u   /* w form: rev */
#define I_REV64          0xdac00c00u
#define I_CSEL           0x1a800000u   /* | cond << 12 */
#define I_CSINC          0x1a800400u
#define I_B              0x14000000u
#define I_BL             0x94000000u
#define I_BCOND          0x54000000u
#define I_CBZ            0x34000000u
#define I_CBNZ           0x35000000u
#define I_BR             0xd61f0000u
#define I_BLR            0xd63f0000u
#define I_RET            0xd65f03c0u
#define I_ADR            0x10000000u
#define I_DMB_ISH        0xd5033bbfu
#define I_DMB_ISHLD      0xd50339bfu
#define I_DMB_ISHST      0xd5033abfu
#define I_STP_PRE        0xa9800000u   /* 64-bit | imm7 << 15 | Rt2 << 10 */
#define I_STP            0xa9000000u
#define I_LDP            0xa9400000u
#define I_LDP_POST       0xa8c00000u
/* popcount through the SIMD unit (v31 is call-clobbered and never live) */
#define I_FMOV_DX        0x9e670000u
#define I_FMOV_XD        0x9e660000u
#define I_FMOV_SW        0x1e270000u
#define I_FMOV_WS        0x1e260000u
#define I_CNT_8B         0x0e205800u
#define I_ADDV_8B        0x0e31b800u
#define VREG_TMP         31

/* Loads and stores, unsigned scaled offset form: size in bits 31:30. */
#define I_STRB           0x39000000u
#define I_LDRB           0x39400000u
#define I_LDRSBX         0x39800000u
#define I_LDRSBW         0x39c00000u
#define I_STRH           0x79000000u
#define I_LDRH           0x79400000u
#define I_LDRSHX         0x79800000u
#define I_LDRSHW         0x79c00000u
#define I_STRW           0xb9000000u
#define I_LDRW           0xb9400000u
#define I_LDRSW          0xb9800000u
#define I_STRX           0xf9000000u
#define I_LDRX           0xf9400000u
#define LDST_UNSCALED(i) ((i) & ~0x01000000u)                  /* | imm9 << 12 */
#define LDST_REGOFF(i)   (((i) & ~0x01000000u) | 0x00206800u)  /* | Rm << 16, lsl 0 */

enum {
    COND_EQ = 0, COND_NE = 1, COND_HS = 2, COND_LO = 3, COND_HI = 8, COND_LS = 9,
    COND_GE = 10, COND_LT = 11, COND_GT = 12, COND_LE = 13,
};

static const uint8_t tcg_cond_to_arm[16] = {
    [TCG_COND_EQ] = COND_EQ,  [TCG_COND_NE] = COND_NE,
    [TCG_COND_LT] = COND_LT,  [TCG_COND_GE] = COND_GE,
    [TCG_COND_LE] = COND_LE,  [TCG_COND_GT] = COND_GT,
    [TCG_COND_LTU] = COND_LO, [TCG_COND_GEU] = COND_HS,
    [TCG_COND_LEU] = COND_LS, [TCG_COND_GTU] = COND_HI,
};

/* The call-saved pairs the prologue stores above the frame record. */
static const int tcg_target_callee_save_pairs[][2] = {
    { TCG_REG_X19, TCG_REG_X20 }, { TCG_REG_X21, TCG_REG_X22 },
    { TCG_REG_X23, TCG_REG_X24 }, { TCG_REG_X25, TCG_REG_X26 },
    { TCG_REG_X27, TCG_REG_X28 },
};
#define SAVE_AREA   (16 * (1 + (int)ARRAY_SIZE(tcg_target_callee_save_pairs)))
#define FRAME_SIZE  ROUND_UP(TCG_STATIC_CALL_ARGS_SIZE + TCG_STATIC_FRAME_SIZE, 16)

static const void *tb_ret_addr;     /* RX: the epilogue after "mov x0, #0" */

/* ---- encoding --------------------------------------------------------------- */

static uint32_t sf(TCGType type)
{
    return type == TCG_TYPE_I64 ? SF64 : 0;
}

static int width(TCGType type)
{
    return type == TCG_TYPE_I64 ? 64 : 32;
}

/* Three registers: Rd, Rn, Rm (shifted-register and 2-source forms). */
static void out_rrr(TCGContext *s, uint32_t insn, TCGType type, int d, int n, int m)
{
    tcg_out32(s, insn | sf(type) | (uint32_t)m << 16 | (uint32_t)n << 5 | (uint32_t)d);
}

/* Bitfield and extract forms: N must equal sf. */
static void out_bfm(TCGContext *s, uint32_t insn, TCGType type, int d, int n,
                    unsigned immr, unsigned imms)
{
    uint32_t n_bit = type == TCG_TYPE_I64 ? 1u << 22 : 0;

    tcg_out32(s, insn | sf(type) | n_bit | immr << 16 | imms << 10 |
                 (uint32_t)n << 5 | (uint32_t)d);
}

static void out_extr(TCGContext *s, TCGType type, int d, int n, int m, unsigned lsb)
{
    uint32_t n_bit = type == TCG_TYPE_I64 ? 1u << 22 : 0;

    tcg_out32(s, I_EXTR | sf(type) | n_bit | (uint32_t)m << 16 | lsb << 10 |
                 (uint32_t)n << 5 | (uint32_t)d);
}

static bool arith_imm_fits(uint64_t v)
{
    return (v & ~0xfffull) == 0 || (v & ~0xfff000ull) == 0;
}

/* add/sub (flag-setting if s_flags) of an immediate that fits, either
 * sign: a negative one flips the operation. */
static void out_arith_imm(TCGContext *s, bool sub, bool set_flags, TCGType type,
                          int d, int n, int64_t v)
{
    uint32_t insn;
    uint64_t u;

    if (v < 0) {
        sub = !sub;
        v = -v;
    }
    u = (uint64_t)v;
    assert(arith_imm_fits(u));
    insn = sub ? (set_flags ? I_SUBS_IMM : I_SUB_IMM) : (set_flags ? I_ADDS_IMM : I_ADD_IMM);
    if (u & ~0xfffull) {
        insn |= 1u << 22;
        u >>= 12;
    }
    tcg_out32(s, insn | sf(type) | (uint32_t)u << 10 | (uint32_t)n << 5 | (uint32_t)d);
}

/* d = n + v for any v below 2^24 in magnitude (sp allowed): the frame. */
static void out_addi_wide(TCGContext *s, int d, int n, int64_t v)
{
    int64_t hi = v / 4096 * 4096, lo = v - hi;

    if (hi) {
        out_arith_imm(s, false, false, TCG_TYPE_I64, d, n, hi);
        n = d;
    }
    if (lo || !hi) {
        out_arith_imm(s, false, false, TCG_TYPE_I64, d, n, lo);
    }
}

/*
 * A logical (bitmask) immediate: a 2, 4, ..., 64-bit element, replicated,
 * that is a rotated run of ones.  Returns N:immr:imms (13 bits) or -1.
 */
static int logic_imm_encode(uint64_t v, TCGType type)
{
    unsigned e = 64, ones, r;
    uint64_t mask, elem;

    if (type == TCG_TYPE_I32) {
        v = (uint32_t)v;
        v |= v << 32;
    }
    if (v == 0 || v == ~0ull) {
        return -1;
    }
    /* the smallest element the value repeats */
    while (e > 2) {
        unsigned h = e / 2;
        uint64_t hm = (1ull << h) - 1;
        if ((v & hm) != ((v >> h) & hm)) {
            break;
        }
        e = h;
    }
    mask = e == 64 ? ~0ull : (1ull << e) - 1;
    elem = v & mask;
    ones = (unsigned)__builtin_popcountll(elem);
    /* rotate left until the ones are at the bottom: immr is that count */
    for (r = 0; r < e; r++) {
        uint64_t rot = r ? ((elem << r) | (elem >> (e - r))) & mask : elem;
        if (rot == (1ull << ones) - 1) {
            unsigned n = e == 64;
            unsigned imms = ((~(e - 1) << 1) & 0x3f) | (ones - 1);
            return (int)(n << 12 | r << 6 | imms);
        }
    }
    return -1;
}

static void out_logic_imm(TCGContext *s, uint32_t insn, TCGType type, int d, int n, int enc)
{
    assert(enc >= 0);
    tcg_out32(s, insn | sf(type) | (uint32_t)enc << 10 | (uint32_t)n << 5 | (uint32_t)d);
}

/* Branch displacements in instructions; true if disp fits bits. */
static bool disp_fits(intptr_t disp, int bits)
{
    return disp >= -((intptr_t)1 << (bits - 1)) && disp < ((intptr_t)1 << (bits - 1));
}

/*
 * Point the branch (b, bl, b.cond, cbz/cbnz, tbz/tbnz) or adr at rw to
 * the RW address target: both views are one copy, so the distance is the
 * same in RX.
 */
void tcg_target_patch_rel32(uint8_t *rw, const uint8_t *target_rw)
{
    intptr_t disp = target_rw - rw;
    uint32_t insn;

    memcpy(&insn, rw, 4);
    if ((insn & 0x9f000000u) == I_ADR) {
        assert(disp_fits(disp, 21));
        insn = (insn & 0x9f00001fu) | ((uint32_t)disp & 3) << 29 |
               ((uint32_t)(disp >> 2) & 0x7ffff) << 5;
    } else if ((insn & 0x7c000000u) == I_B) {
        assert(disp_fits(disp >> 2, 26));
        insn = (insn & 0xfc000000u) | ((uint32_t)(disp >> 2) & 0x3ffffff);
    } else if ((insn & 0xff000010u) == I_BCOND || (insn & 0x7e000000u) == I_CBZ) {
        assert(disp_fits(disp >> 2, 19));
        insn = (insn & 0xff00001fu) | ((uint32_t)(disp >> 2) & 0x7ffff) << 5;
    } else {
        assert((insn & 0x7e000000u) == 0x36000000u);     /* tbz/tbnz */
        assert(disp_fits(disp >> 2, 14));
        insn = (insn & 0xfff8001fu) | ((uint32_t)(disp >> 2) & 0x3fff) << 5;
    }
    memcpy(rw, &insn, 4);
}

/* A branch to a label: the instruction with displacement 0, then the reloc. */
static void out_branch_label(TCGContext *s, uint32_t insn, TCGLabel *l)
{
    uint8_t *p = s->code_ptr;

    tcg_out32(s, insn);
    tcg_out_reloc(s, p, l);
}

/* b/bl to an absolute RX address, through x16 when out of range. */
static void out_branch_abs(TCGContext *s, bool link, const void *target)
{
    intptr_t disp = (intptr_t)target - (intptr_t)tcg_rw_to_rx(s->code_ptr);

    if (disp_fits(disp >> 2, 26)) {
        tcg_out32(s, (link ? I_BL : I_B) | ((uint32_t)(disp >> 2) & 0x3ffffff));
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_TMP0, (intptr_t)target);
        tcg_out32(s, (link ? I_BLR : I_BR) | TCG_REG_TMP0 << 5);
    }
}

/* ---- moves -------------------------------------------------------------------- */

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst == src) {
        return;
    }
    if (dst == TCG_REG_SP || src == TCG_REG_SP) {
        out_arith_imm(s, false, false, TCG_TYPE_I64, dst, src, 0);
    } else {
        out_rrr(s, I_ORR, type, dst, TCG_REG_XZR, src);
    }
}

/* movz or movn for the first halfword, movk for the rest that differ. */
void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    int nhw = type == TCG_TYPE_I32 ? 2 : 4;
    uint64_t v = type == TCG_TYPE_I32 ? (uint32_t)val : (uint64_t)val;
    int nzero = 0, nones = 0, enc;
    uint16_t fill;
    bool first = true;

    for (int i = 0; i < nhw; i++) {
        uint16_t hw = (uint16_t)(v >> (16 * i));
        nzero += hw == 0;
        nones += hw == 0xffff;
    }
    if (nhw - (nzero > nones ? nzero : nones) > 1 &&
        (enc = logic_imm_encode(v, type)) >= 0) {
        out_logic_imm(s, I_ORR_IMM, type, reg, TCG_REG_XZR, enc);
        return;
    }
    fill = nones > nzero ? 0xffff : 0;
    for (int i = 0; i < nhw; i++) {
        uint16_t hw = (uint16_t)(v >> (16 * i));
        if (hw == fill) {
            continue;
        }
        if (first) {
            uint16_t imm = fill ? (uint16_t)~hw : hw;
            tcg_out32(s, (fill ? I_MOVN : I_MOVZ) | sf(type) | (uint32_t)i << 21 |
                         (uint32_t)imm << 5 | (uint32_t)reg);
            first = false;
        } else {
            tcg_out32(s, I_MOVK | sf(type) | (uint32_t)i << 21 | (uint32_t)hw << 5 |
                         (uint32_t)reg);
        }
    }
    if (first) {        /* every halfword was the fill: 0 or -1 */
        tcg_out32(s, (fill ? I_MOVN : I_MOVZ) | sf(type) | (uint32_t)reg);
    }
}

/* A load or store at base + off, insn in the scaled unsigned form; x17
 * carries an offset no immediate form holds. */
static void out_ldst(TCGContext *s, uint32_t insn, int rt, int base, intptr_t off)
{
    unsigned size = insn >> 30;

    if (off >= 0 && (off & ((1 << size) - 1)) == 0 && (off >> size) < 0x1000) {
        tcg_out32(s, insn | (uint32_t)(off >> size) << 10 | (uint32_t)base << 5 | (uint32_t)rt);
    } else if (off >= -256 && off < 256) {
        tcg_out32(s, LDST_UNSCALED(insn) | ((uint32_t)off & 0x1ff) << 12 |
                     (uint32_t)base << 5 | (uint32_t)rt);
    } else {
        assert(rt != TCG_REG_TMP1 && base != TCG_REG_TMP1);
        tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_TMP1, off);
        tcg_out32(s, LDST_REGOFF(insn) | TCG_REG_TMP1 << 16 | (uint32_t)base << 5 |
                     (uint32_t)rt);
    }
}

void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    out_ldst(s, type == TCG_TYPE_I64 ? I_LDRX : I_LDRW, reg, base, off);
}

void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    out_ldst(s, type == TCG_TYPE_I64 ? I_STRX : I_STRW, reg, base, off);
}

bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base, intptr_t off)
{
    if (val != 0) {
        return false;
    }
    tcg_out_st(s, type, TCG_REG_XZR, base, off);
    return true;
}

/* ---- constraints ------------------------------------------------------------------ */

#define R_ALL TCG_TARGET_ALL_REGS
/* guest access operands: not the slow path's helper arguments */
#define R_L   (R_ALL & ~0x1fu)

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
    case INDEX_op_add: case INDEX_op_sub:
        in[1].ct = TCG_CT_CONST_ARITH;
        break;
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor:
        in[1].ct = TCG_CT_CONST_LOGIC;
        break;
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr:
        in[1].ct = TCG_CT_CONST_ANY;
        break;
    case INDEX_op_setcond:
    case INDEX_op_brcond:
        in[1].ct = TCG_CT_CONST_ARITH;
        break;
    case INDEX_op_movcond:
        in[1].ct = TCG_CT_CONST_ARITH;
        in[2].ct = TCG_CT_CONST_ZERO;
        in[3].ct = TCG_CT_CONST_ZERO;
        break;
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        in[0].ct = TCG_CT_CONST_ZERO;
        break;
    case INDEX_op_guest_ld:
        out[0].regs = R_L;
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
    if (type == TCG_TYPE_I32) {
        val = (int32_t)val;
    }
    if (ct & TCG_CT_CONST_ANY) {
        return true;
    }
    if ((ct & TCG_CT_CONST_ZERO) && val == 0) {
        return true;
    }
    if ((ct & TCG_CT_CONST_ARITH) && val != INT64_MIN &&
        arith_imm_fits((uint64_t)(val < 0 ? -val : val))) {
        return true;
    }
    if ((ct & TCG_CT_CONST_LOGIC) && logic_imm_encode((uint64_t)val, type) >= 0) {
        return true;
    }
    return false;
}

/* ---- soft-MMU fast path ------------------------------------------------------------ */

/* The access's instruction (unsigned-offset form) for memop and type. */
static uint32_t guest_access_insn(bool is_ld, TCGType type, MemOp mop)
{
    bool x = type == TCG_TYPE_I64;

    if (!is_ld) {
        static const uint32_t st[4] = { I_STRB, I_STRH, I_STRW, I_STRX };
        return st[mop & MO_SIZE];
    }
    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB: return I_LDRB;
    case MO_SB: return x ? I_LDRSBX : I_LDRSBW;
    case MO_UW: return I_LDRH;
    case MO_SW: return x ? I_LDRSHX : I_LDRSHW;
    case MO_UL: return I_LDRW;
    case MO_SL: return x ? I_LDRSW : I_LDRW;
    default:    return I_LDRX;
    }
}

/*
 * Inline TLB lookup (see tcg/tlb.h; the table's size varies, so its mask
 * and address come from env):
 *   [dmb ishst]                              stores: TSO's store order
 *   x16 = f[mmu_idx].mask, x17 = f[mmu_idx].table
 *   x16 = x16 & (addr >> (PAGE_BITS - ENTRY_BITS)); x16 += x17   the entry
 *   x17 = [x16].addr_read/addr_write
 *   x30 = (addr + size - 1) & PAGE_MASK      page of the last byte
 *   cmp x30, x17; b.ne slow                  miss, flags or page crossing
 *   x16 = [x16].addend
 *   access [x16 + addr]
 * raddr:                                     the slow path returns here
 *   [dmb ishld]                              loads: TSO's load order
 */
static void tcg_out_guest_ldst(TCGContext *s, bool is_ld, TCGType type, int data,
                               int addr, MemOpIdx oi)
{
    MemOp mop = get_memop(oi);
    unsigned size = 1u << (mop & MO_SIZE);
    intptr_t fast = s->tlb_offset + (intptr_t)get_mmuidx(oi) * (intptr_t)sizeof(CPUTLBFast);
    intptr_t cmp_off = is_ld ? offsetof(CPUTLBEntry, addr_read)
                             : offsetof(CPUTLBEntry, addr_write);
    const int r0 = TCG_REG_TMP0, r1 = TCG_REG_TMP1, r2 = TCG_REG_TMP2;
    TCGLdstLabel *l;

    if (!is_ld) {
        tcg_out32(s, I_DMB_ISHST);
    }
    tcg_out_ld(s, TCG_TYPE_I64, r0, TCG_AREG0, fast + (intptr_t)offsetof(CPUTLBFast, mask));
    tcg_out_ld(s, TCG_TYPE_I64, r1, TCG_AREG0, fast + (intptr_t)offsetof(CPUTLBFast, table));
    /* and x16, x16, addr, lsr #(PAGE_BITS - ENTRY_BITS) */
    tcg_out32(s, I_AND | SF64 | 1u << 22 | (uint32_t)addr << 16 |
                 (TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS) << 10 | (uint32_t)r0 << 5 | (uint32_t)r0);
    out_rrr(s, I_ADD, TCG_TYPE_I64, r0, r0, r1);
    tcg_out_ld(s, TCG_TYPE_I64, r1, r0, cmp_off);
    if (size > 1) {
        out_arith_imm(s, false, false, TCG_TYPE_I64, r2, addr, size - 1);
        out_logic_imm(s, I_AND_IMM, TCG_TYPE_I64, r2, r2,
                      logic_imm_encode(TARGET_PAGE_MASK, TCG_TYPE_I64));
    } else {
        out_logic_imm(s, I_AND_IMM, TCG_TYPE_I64, r2, addr,
                      logic_imm_encode(TARGET_PAGE_MASK, TCG_TYPE_I64));
    }
    out_rrr(s, I_SUBS, TCG_TYPE_I64, TCG_REG_XZR, r2, r1);
    l = tcg_new_ldst_label(s);
    l->label_ptr = s->code_ptr;
    tcg_out32(s, I_BCOND | COND_NE);
    tcg_out_ld(s, TCG_TYPE_I64, r0, r0, offsetof(CPUTLBEntry, addend));
    tcg_out32(s, LDST_REGOFF(guest_access_insn(is_ld, type, mop)) | (uint32_t)addr << 16 |
                 (uint32_t)r0 << 5 | (uint32_t)data);

    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->data_reg = data;
    l->addr_reg = addr;
    l->raddr = s->code_ptr;
    if (is_ld) {
        tcg_out32(s, I_DMB_ISHLD);
    }
}

/* adr reg, target (within the block: +-1 MiB) */
static void out_adr(TCGContext *s, int reg, const uint8_t *target_rw)
{
    uint8_t *p = s->code_ptr;

    tcg_out32(s, I_ADR | (uint32_t)reg);
    tcg_target_patch_rel32(p, target_rw);
}

bool tcg_out_ldst_finalize(TCGContext *s)
{
    for (int i = 0; i < s->nb_ldst; i++) {
        TCGLdstLabel *l = &s->ldst[i];
        uint8_t *p;

        if (s->code_ptr + 128 + 16 * l->nb_sync > s->code_end) {
            return false;
        }
        tcg_target_patch_rel32(l->label_ptr, s->code_ptr);
        tcg_out_ldst_sync(s, l);
        /* operands are in R_L registers, so these moves do not collide */
        tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_X1, l->addr_reg);
        tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_X0, TCG_AREG0);
        if (l->is_ld) {
            tcg_out_movi(s, TCG_TYPE_I32, TCG_REG_X2, l->oi);
            out_adr(s, TCG_REG_X3, l->raddr);
            out_branch_abs(s, true, (const void *)helper_ld_mmu);
            tcg_out_mov(s, l->type, l->data_reg, TCG_REG_X0);
        } else {
            tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_X2, l->data_reg);
            tcg_out_movi(s, TCG_TYPE_I32, TCG_REG_X3, l->oi);
            out_adr(s, TCG_REG_X4, l->raddr);
            out_branch_abs(s, true, (const void *)helper_st_mmu);
        }
        p = s->code_ptr;
        tcg_out32(s, I_B);
        tcg_target_patch_rel32(p, l->raddr);
    }
    return true;
}

/* ---- control flow ------------------------------------------------------------------- */

void tcg_out_call(TCGContext *s, const void *func)
{
    out_branch_abs(s, true, func);
}

void tcg_out_exit_tb(TCGContext *s, uintptr_t val)
{
    if (val == 0) {
        out_branch_abs(s, false, tcg_code_gen_epilogue);
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_X0, (int64_t)val);
        out_branch_abs(s, false, tb_ret_addr);
    }
}

/* One b instruction, initially to the next one (the exit path); chaining
 * rewrites it whole.  Every instruction is 4-byte aligned, so one 32-bit
 * store replaces it atomically, and b is among the instructions Arm lets
 * other cores execute while it is being modified. */
void tcg_out_goto_tb(TCGContext *s, unsigned slot)
{
    s->jmp_insn_offset[slot] = (uint16_t)tcg_current_code_size(s);
    tcg_out32(s, I_B | 1);
    s->jmp_reset_offset[slot] = (uint16_t)tcg_current_code_size(s);
}

/* The code buffer (64 MiB, region.c) is within b's +-128 MiB; a target
 * out of range (a larger buffer) leaves the jump on the exit path, which
 * is slower but correct.  tcg_region_patch32 flushes the icache. */
void tb_target_set_jmp_target(const TranslationBlock *tb, int n, uintptr_t addr)
{
    uintptr_t insn_rx = (uintptr_t)tb->tc_ptr + tb->jmp_insn_offset[n];
    intptr_t disp = ((intptr_t)addr - (intptr_t)insn_rx) >> 2;

    if (!disp_fits(disp, 26)) {
        disp = (tb->jmp_reset_offset[n] - tb->jmp_insn_offset[n]) >> 2;
    }
    tcg_region_patch32(tcg_rx_to_rw((const void *)insn_rx),
                       I_B | ((uint32_t)disp & 0x3ffffff));
}

/*
 * entry:    stp x29, x30, [sp, #-SAVE_AREA]!; mov x29, sp
 *           stp x19..x28 above the frame record; sp -= FRAME_SIZE
 *           mov env, x0; br x1
 * epilogue: mov x0, #0
 * ret_addr: sp += FRAME_SIZE; ldp x19..x28; ldp x29, x30, [sp], #SAVE_AREA; ret
 */
void tcg_target_emit_prologue(TCGContext *s, const void **entry, const void **epilogue)
{
    const int npairs = (int)ARRAY_SIZE(tcg_target_callee_save_pairs);

    *entry = tcg_rw_to_rx(s->code_ptr);
    tcg_out32(s, I_STP_PRE | ((uint32_t)(-SAVE_AREA / 8) & 0x7f) << 15 |
                 TCG_REG_X30 << 10 | TCG_REG_SP << 5 | TCG_REG_X29);
    tcg_out_mov(s, TCG_TYPE_I64, TCG_REG_X29, TCG_REG_SP);
    for (int i = 0; i < npairs; i++) {
        tcg_out32(s, I_STP | (uint32_t)(2 * (i + 1)) << 15 |
                     (uint32_t)tcg_target_callee_save_pairs[i][1] << 10 |
                     TCG_REG_SP << 5 | (uint32_t)tcg_target_callee_save_pairs[i][0]);
    }
    out_addi_wide(s, TCG_REG_SP, TCG_REG_SP, -FRAME_SIZE);
    tcg_out_mov(s, TCG_TYPE_I64, TCG_AREG0, tcg_target_call_iarg_regs[0]);
    tcg_out32(s, I_BR | (uint32_t)tcg_target_call_iarg_regs[1] << 5);

    *epilogue = tcg_rw_to_rx(s->code_ptr);
    tcg_out_movi(s, TCG_TYPE_I64, TCG_REG_X0, 0);
    tb_ret_addr = tcg_rw_to_rx(s->code_ptr);
    out_addi_wide(s, TCG_REG_SP, TCG_REG_SP, FRAME_SIZE);
    for (int i = npairs - 1; i >= 0; i--) {
        tcg_out32(s, I_LDP | (uint32_t)(2 * (i + 1)) << 15 |
                     (uint32_t)tcg_target_callee_save_pairs[i][1] << 10 |
                     TCG_REG_SP << 5 | (uint32_t)tcg_target_callee_save_pairs[i][0]);
    }
    tcg_out32(s, I_LDP_POST | (uint32_t)(SAVE_AREA / 8) << 15 |
                 TCG_REG_X30 << 10 | TCG_REG_SP << 5 | TCG_REG_X29);
    tcg_out32(s, I_RET);
}

/* ---- generic ops ---------------------------------------------------------------------- */

static void out_cmp(TCGContext *s, TCGType type, TCGArg a, TCGArg b, bool b_const)
{
    if (b_const) {
        out_arith_imm(s, true, true, type, TCG_REG_XZR, (int)a, tcg_const_norm(type, (int64_t)b));
    } else {
        out_rrr(s, I_SUBS, type, TCG_REG_XZR, (int)a, (int)b);
    }
}

/* Shift or rotate by a constant: ubfm/sbfm/extr aliases. */
static void out_shift_imm(TCGContext *s, TCGOpcode opc, TCGType type, int d, int n,
                          unsigned c)
{
    unsigned w = (unsigned)width(type);

    c &= w - 1;
    switch (opc) {
    case INDEX_op_shl:
        out_bfm(s, I_UBFM, type, d, n, (w - c) & (w - 1), w - 1 - c);
        break;
    case INDEX_op_shr:
        out_bfm(s, I_UBFM, type, d, n, c, w - 1);
        break;
    case INDEX_op_sar:
        out_bfm(s, I_SBFM, type, d, n, c, w - 1);
        break;
    case INDEX_op_rotr:
        out_extr(s, type, d, n, n, c);
        break;
    default: /* rotl */
        out_extr(s, type, d, n, n, (w - c) & (w - 1));
        break;
    }
}

static void out_shift_reg(TCGContext *s, TCGOpcode opc, TCGType type, int d, int n, int m)
{
    switch (opc) {
    case INDEX_op_shl:  out_rrr(s, I_LSLV, type, d, n, m); break;
    case INDEX_op_shr:  out_rrr(s, I_LSRV, type, d, n, m); break;
    case INDEX_op_sar:  out_rrr(s, I_ASRV, type, d, n, m); break;
    case INDEX_op_rotr: out_rrr(s, I_RORV, type, d, n, m); break;
    default: /* rotl by n is rotr by -n (rorv takes the count modulo width) */
        out_rrr(s, I_SUB, TCG_TYPE_I32, TCG_REG_TMP0, TCG_REG_XZR, m);
        out_rrr(s, I_RORV, type, d, n, TCG_REG_TMP0);
        break;
    }
}

/* Popcount through v31: fmov in (w zero-extends), cnt, addv, fmov out. */
static void out_ctpop(TCGContext *s, TCGType type, int d, int n)
{
    bool x = type == TCG_TYPE_I64;

    tcg_out32(s, (x ? I_FMOV_DX : I_FMOV_SW) | (uint32_t)n << 5 | VREG_TMP);
    tcg_out32(s, I_CNT_8B | VREG_TMP << 5 | VREG_TMP);
    tcg_out32(s, I_ADDV_8B | VREG_TMP << 5 | VREG_TMP);
    tcg_out32(s, (x ? I_FMOV_XD : I_FMOV_WS) | VREG_TMP << 5 | (uint32_t)d);
}

/* (lo, hi) = a * b: the low half goes through x16 in case lo is a or b. */
static void out_mul2(TCGContext *s, bool is_signed, TCGType type, int lo, int hi,
                     int a, int b)
{
    if (type == TCG_TYPE_I64) {
        out_rrr(s, I_MADD | TCG_REG_XZR << 10, TCG_TYPE_I64, TCG_REG_TMP0, a, b);
        out_rrr(s, is_signed ? I_SMULH : I_UMULH, TCG_TYPE_I32, hi, a, b);
        tcg_out_mov(s, TCG_TYPE_I64, lo, TCG_REG_TMP0);
    } else {
        /* the 64-bit product of the 32-bit inputs: smull/umull */
        out_rrr(s, (is_signed ? I_SMADDL : I_UMADDL) | TCG_REG_XZR << 10, TCG_TYPE_I32,
                TCG_REG_TMP0, a, b);
        out_bfm(s, I_UBFM, TCG_TYPE_I64, hi, TCG_REG_TMP0, 32, 63);
        out_rrr(s, I_ORR, TCG_TYPE_I32, lo, TCG_REG_XZR, TCG_REG_TMP0);
    }
}

/* Host memory relative to a base (env fields): the unsigned-offset insn. */
static uint32_t host_ldst_insn(TCGOpcode opc, TCGType type)
{
    bool x = type == TCG_TYPE_I64;

    switch (opc) {
    case INDEX_op_ld8u:  return I_LDRB;
    case INDEX_op_ld8s:  return x ? I_LDRSBX : I_LDRSBW;
    case INDEX_op_ld16u: return I_LDRH;
    case INDEX_op_ld16s: return x ? I_LDRSHX : I_LDRSHW;
    case INDEX_op_ld32u: return I_LDRW;
    case INDEX_op_ld32s: return I_LDRSW;
    case INDEX_op_ld:    return x ? I_LDRX : I_LDRW;
    case INDEX_op_st8:   return I_STRB;
    case INDEX_op_st16:  return I_STRH;
    case INDEX_op_st32:  return I_STRW;
    default:             return x ? I_STRX : I_STRW;     /* st */
    }
}

static void out_barrier(TCGContext *s, unsigned bar)
{
    /* guest accesses carry their own ordering; this is for x86's
     * explicit fences and what C helpers access between them */
    if (bar & TCG_MO_ST_LD) {
        tcg_out32(s, I_DMB_ISH);
    } else if (bar & (TCG_MO_LD_LD | TCG_MO_LD_ST)) {
        tcg_out32(s, bar & TCG_MO_ST_ST ? I_DMB_ISH : I_DMB_ISHLD);
    } else if (bar & TCG_MO_ST_ST) {
        tcg_out32(s, I_DMB_ISHST);
    }
}

void tcg_out_op(TCGContext *s, TCGOpcode opc, TCGType type,
                const TCGArg *args, const bool *const_args)
{
    int a0 = (int)args[0], a1 = (int)args[1], a2 = (int)args[2];
    static const uint32_t logic_reg[] = {
        [INDEX_op_and] = I_AND, [INDEX_op_or] = I_ORR, [INDEX_op_xor] = I_EOR,
    };
    static const uint32_t logic_imm[] = {
        [INDEX_op_and] = I_AND_IMM, [INDEX_op_or] = I_ORR_IMM, [INDEX_op_xor] = I_EOR_IMM,
    };

    switch (opc) {
    case INDEX_op_add: case INDEX_op_sub:
        if (const_args[2]) {
            out_arith_imm(s, opc == INDEX_op_sub, false, type, a0, a1,
                          tcg_const_norm(type, (int64_t)args[2]));
        } else {
            out_rrr(s, opc == INDEX_op_sub ? I_SUB : I_ADD, type, a0, a1, a2);
        }
        break;
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor:
        if (const_args[2]) {
            out_logic_imm(s, logic_imm[opc], type, a0, a1,
                          logic_imm_encode((uint64_t)args[2], type));
        } else {
            out_rrr(s, logic_reg[opc], type, a0, a1, a2);
        }
        break;
    case INDEX_op_andc:
        out_rrr(s, I_BIC, type, a0, a1, a2);
        break;
    case INDEX_op_mul:
        out_rrr(s, I_MADD | TCG_REG_XZR << 10, type, a0, a1, a2);
        break;
    case INDEX_op_neg:
        out_rrr(s, I_SUB, type, a0, TCG_REG_XZR, a1);
        break;
    case INDEX_op_not:
        out_rrr(s, I_ORN, type, a0, TCG_REG_XZR, a1);
        break;
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr:
        if (const_args[2]) {
            out_shift_imm(s, opc, type, a0, a1, (unsigned)args[2]);
        } else {
            out_shift_reg(s, opc, type, a0, a1, a2);
        }
        break;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        out_mul2(s, opc == INDEX_op_muls2, type, a0, a1, a2, (int)args[3]);
        break;

    case INDEX_op_setcond:
        out_cmp(s, type, args[1], args[2], const_args[2]);
        /* cset: csinc d, xzr, xzr, !cond */
        tcg_out32(s, I_CSINC | (uint32_t)(tcg_cond_to_arm[args[3]] ^ 1) << 12 |
                     TCG_REG_XZR << 16 | TCG_REG_XZR << 5 | (uint32_t)a0);
        break;
    case INDEX_op_movcond:
        out_cmp(s, type, args[1], args[2], const_args[2]);
        out_rrr(s, I_CSEL | (uint32_t)tcg_cond_to_arm[args[5]] << 12, type, a0,
                const_args[3] ? TCG_REG_XZR : (int)args[3],
                const_args[4] ? TCG_REG_XZR : (int)args[4]);
        break;
    case INDEX_op_brcond: {
        TCGCond c = (TCGCond)args[2];
        if (const_args[1] && args[1] == 0 && (c == TCG_COND_EQ || c == TCG_COND_NE)) {
            out_branch_label(s, (c == TCG_COND_EQ ? I_CBZ : I_CBNZ) | sf(type) | (uint32_t)a0,
                             arg_label(args[3]));
        } else {
            out_cmp(s, type, args[0], args[1], const_args[1]);
            out_branch_label(s, I_BCOND | tcg_cond_to_arm[c], arg_label(args[3]));
        }
        break;
    }
    case INDEX_op_br:
        out_branch_label(s, I_B, arg_label(args[0]));
        break;

    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u: case INDEX_op_ld16s:
    case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_ld:
        out_ldst(s, host_ldst_insn(opc, type), a0, a1, (intptr_t)args[2]);
        break;
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        out_ldst(s, host_ldst_insn(opc, type), const_args[0] ? TCG_REG_XZR : a0, a1,
                 (intptr_t)args[2]);
        break;

    case INDEX_op_ext8s:
        out_bfm(s, I_SBFM, type, a0, a1, 0, 7);
        break;
    case INDEX_op_ext16s:
        out_bfm(s, I_SBFM, type, a0, a1, 0, 15);
        break;
    case INDEX_op_ext32s:
    case INDEX_op_exts_i32_i64:
        out_bfm(s, I_SBFM, TCG_TYPE_I64, a0, a1, 0, 31);
        break;
    /* the w forms zero-extend to 64 bits */
    case INDEX_op_ext8u:
        out_bfm(s, I_UBFM, TCG_TYPE_I32, a0, a1, 0, 7);
        break;
    case INDEX_op_ext16u:
        out_bfm(s, I_UBFM, TCG_TYPE_I32, a0, a1, 0, 15);
        break;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        out_rrr(s, I_ORR, TCG_TYPE_I32, a0, TCG_REG_XZR, a1);     /* even onto itself */
        break;
    case INDEX_op_bswap16:
        out_rrr(s, I_REV16, TCG_TYPE_I32, a0, a1, 0);
        out_bfm(s, I_UBFM, TCG_TYPE_I32, a0, a0, 0, 15);
        break;
    case INDEX_op_bswap32:
        out_rrr(s, I_REV32, TCG_TYPE_I32, a0, a1, 0);
        break;
    case INDEX_op_bswap64:
        out_rrr(s, I_REV64, TCG_TYPE_I32, a0, a1, 0);
        break;
    case INDEX_op_ctpop:
        out_ctpop(s, type, a0, a1);
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
        tcg_out32(s, I_BR | (uint32_t)a0 << 5);
        break;
    case INDEX_op_mb:
        out_barrier(s, (unsigned)args[0]);
        break;
    default:
        fprintf(stderr, "tcg: aarch64 back end cannot emit %s\n", tcg_op_defs[opc].name);
        assert(!"unhandled opcode");
        break;
    }
}
