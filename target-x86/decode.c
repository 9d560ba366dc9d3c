/*
 * decode.c: the x86 decoder engine (prefixes, REX, opcode maps, ModRM, SIB,
 * displacements, immediates) over the tables of decode-table.c.
 *
 * Order of work: legacy prefixes and REX (or VEX), the opcode (one to
 * three bytes), the prefix row (P() rows: by mandatory prefix or VEX.pp),
 * ModRM if any operand or the group needs it, the group row, the prefix
 * and ModRM rows below it (P() and R() rows), the effective
 * operand/address sizes, then the addressing bytes and immediates in
 * operand order.  Every byte goes through x86_fetch(), which enforces the
 * 15-byte limit (#GP) and reports a fetch that ran out of bytes.
 */
#include "target-x86/decode.h"
#include "tcg/tcg.h"

typedef struct X86DecodeState {
    X86FetchFn fetch;
    void *opaque;
    unsigned pos;
    int error;           /* first error, 0 if none */
} X86DecodeState;

static uint8_t x86_fetch(X86DecodeState *st)
{
    int b;

    if (st->error) {
        return 0;
    }
    if (st->pos >= X86_MAX_INSN_LEN) {
        st->error = X86_DECODE_GP;
        return 0;
    }
    b = st->fetch(st->opaque, st->pos);
    if (b < 0) {
        st->error = X86_DECODE_TRUNC;
        return 0;
    }
    st->pos++;
    return (uint8_t)b;
}

/* Little-endian immediate of 1 << ot bytes, sign-extended. */
static int64_t x86_fetch_imm(X86DecodeState *st, unsigned ot)
{
    uint64_t v = 0;
    unsigned i, n = 1u << ot;

    for (i = 0; i < n; i++) {
        v |= (uint64_t)x86_fetch(st) << (8 * i);
    }
    if (n < 8) {
        unsigned sh = 64 - 8 * n;
        return (int64_t)(v << sh) >> sh;
    }
    return (int64_t)v;
}

/* The MemOp size an operand size letter stands for. */
static unsigned x86_size_resolve(unsigned sz, unsigned ot)
{
    switch (sz) {
    case X86_SZ_b: return MO_8;
    case X86_SZ_w: return MO_16;
    case X86_SZ_d: return MO_32;
    case X86_SZ_q: return MO_64;
    case X86_SZ_v: return ot;
    case X86_SZ_z: return ot == MO_16 ? MO_16 : MO_32;
    case X86_SZ_y: return ot == MO_64 ? MO_64 : MO_32;
    case X86_SZ_x: return X86_OT_128;
    default:       return ot;
    }
}

static bool x86_opnd_needs_modrm(uint16_t t)
{
    unsigned am = X86_OPND_AM(t);
    return am == X86_AM_E || am == X86_AM_G || am == X86_AM_M ||
           am == X86_AM_V || am == X86_AM_W || am == X86_AM_U ||
           am == X86_AM_P || am == X86_AM_Q || am == X86_AM_N ||
           am == X86_AM_C || am == X86_AM_S || am == X86_AM_GR;
}

/* ModRM r/m memory form: SIB, displacement, RIP-relative. */
static void x86_decode_modrm_mem(X86DecodeState *st, X86DecodedInsn *d, X86DecodeMode mode)
{
    unsigned mod = d->modrm >> 6, rm = d->modrm & 7;
    X86DecodedMem *m = &d->mem;

    m->base = -1;
    m->index = -1;
    m->scale = 0;
    m->rip_rel = false;
    m->disp = 0;

    if (d->aflag == MO_16) {
        /* 16-bit forms: BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX */
        static const int8_t base16[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
        static const int8_t index16[8] = { 6, 7, 6, 7, -1, -1, -1, -1 };
        if (mod == 0 && rm == 6) {
            m->disp = (int16_t)x86_fetch_imm(st, MO_16);
            return;
        }
        m->base = base16[rm];
        m->index = index16[rm];
        if (mod == 1) {
            m->disp = x86_fetch_imm(st, MO_8);
        } else if (mod == 2) {
            m->disp = x86_fetch_imm(st, MO_16);
        }
        return;
    }

    if (rm == 4) {
        uint8_t sib = x86_fetch(st);
        unsigned index = ((sib >> 3) & 7) | ((d->rex & 2) << 2);
        unsigned base = sib & 7;

        m->scale = sib >> 6;
        m->index = index == 4 ? -1 : (int8_t)index;   /* REX.X=1 index 4 is r12 */
        if (base == 5 && mod == 0) {
            m->base = -1;                              /* no base, disp32 */
            m->disp = x86_fetch_imm(st, MO_32);
            return;
        }
        m->base = (int8_t)(base | ((d->rex & 1) << 3));
    } else if (rm == 5 && mod == 0) {
        if (mode == X86_MODE_64) {
            m->rip_rel = true;
        }
        m->disp = x86_fetch_imm(st, MO_32);
        return;
    } else {
        m->base = (int8_t)(rm | ((d->rex & 1) << 3));
    }
    if (mod == 1) {
        m->disp = x86_fetch_imm(st, MO_8);
    } else if (mod == 2) {
        m->disp = x86_fetch_imm(st, MO_32);
    }
}

/* A register operand: byte registers 4-7 are AH..BH unless REX is present. */
static void x86_set_reg(X86DecodedInsn *d, X86DecodedOp *o, unsigned reg, unsigned ot)
{
    o->kind = X86_OPK_REG;
    o->ot = ot;
    o->reg = reg;
    o->high_byte = false;
    if (ot == MO_8 && reg >= 4 && reg < 8 && !(d->prefixes & X86_PFX_REX)) {
        o->reg = reg - 4;
        o->high_byte = true;
    }
}

static void x86_decode_operand(X86DecodeState *st, X86DecodedInsn *d, int i)
{
    uint16_t t = d->e.op[i];
    X86DecodedOp *o = &d->op[i];
    unsigned ot = x86_size_resolve(X86_OPND_SZ(t), d->ot);
    unsigned mod = d->modrm >> 6;

    memset(o, 0, sizeof(*o));
    switch (X86_OPND_AM(t)) {
    case X86_AM_NONE:
        return;
    case X86_AM_E:
    case X86_AM_M:
        if (mod == 3) {
            if (X86_OPND_AM(t) == X86_AM_M) {
                st->error = st->error ? st->error : X86_DECODE_UD;
                return;
            }
            x86_set_reg(d, o, (d->modrm & 7) | ((d->rex & 1) << 3), ot);
            return;
        }
        o->kind = X86_OPK_MEM;
        o->ot = ot;
        return;
    case X86_AM_G:
        x86_set_reg(d, o, ((d->modrm >> 3) & 7) | ((d->rex & 4) << 1), ot);
        return;
    case X86_AM_Z:
        x86_set_reg(d, o, (d->opcode & 7) | ((d->rex & 1) << 3), ot);
        return;
    case X86_AM_R:
        x86_set_reg(d, o, X86_OPND_REG(t), ot);
        o->high_byte = false;
        o->reg = X86_OPND_REG(t);
        return;
    case X86_AM_V:
        o->kind = X86_OPK_XMM;
        o->ot = ot;
        o->reg = ((d->modrm >> 3) & 7) | ((d->rex & 4) << 1);
        return;
    case X86_AM_W:
    case X86_AM_U:
        /* SSE r/m: an XMM register, or memory (W only) */
        if (mod != 3) {
            if (X86_OPND_AM(t) == X86_AM_U) {
                st->error = st->error ? st->error : X86_DECODE_UD;
                return;
            }
            o->kind = X86_OPK_MEM;
            o->ot = ot;
            return;
        }
        o->kind = X86_OPK_XMM;
        o->ot = ot;
        o->reg = (d->modrm & 7) | ((d->rex & 1) << 3);
        return;
    case X86_AM_P:
        o->kind = X86_OPK_MMX;
        o->ot = ot;
        o->reg = (d->modrm >> 3) & 7;
        return;
    case X86_AM_Q:
    case X86_AM_N:
        /* MMX r/m: an MMX register, or memory (Q only) */
        if (mod != 3) {
            if (X86_OPND_AM(t) == X86_AM_N) {
                st->error = st->error ? st->error : X86_DECODE_UD;
                return;
            }
            o->kind = X86_OPK_MEM;
            o->ot = ot;
            return;
        }
        o->kind = X86_OPK_MMX;
        o->ot = ot;
        o->reg = d->modrm & 7;
        return;
    case X86_AM_C:
    case X86_AM_D:
        o->kind = X86_OPND_AM(t) == X86_AM_C ? X86_OPK_CR : X86_OPK_DR;
        o->ot = ot;
        o->reg = ((d->modrm >> 3) & 7) | ((d->rex & 4) << 1);
        return;
    case X86_AM_S:
        /* REX.R does not extend it; 6 and 7 name no segment register */
        o->kind = X86_OPK_SEG;
        o->ot = ot;
        o->reg = (d->modrm >> 3) & 7;
        if (o->reg > 5) {
            st->error = st->error ? st->error : X86_DECODE_UD;
        }
        return;
    case X86_AM_GR:
        /* a register whatever ModRM.mod says (no SIB, no displacement) */
        x86_set_reg(d, o, (d->modrm & 7) | ((d->rex & 1) << 3), ot);
        return;
    case X86_AM_B:
        x86_set_reg(d, o, d->vex_v, ot);
        return;
    case X86_AM_ONE:
        o->kind = X86_OPK_IMM;
        o->ot = MO_8;
        o->imm = 1;
        return;
    case X86_AM_I:
        o->kind = X86_OPK_IMM;
        o->ot = ot;
        /* Iv is the only 8-byte immediate (mov r64, imm64); Iz caps at 4 */
        o->imm = x86_fetch_imm(st, ot);
        return;
    case X86_AM_J:
        o->kind = X86_OPK_IMM;
        o->ot = ot;
        o->imm = x86_fetch_imm(st, ot);
        return;
    case X86_AM_O:
        /* moffs: an absolute address of the address size, used as memory */
        o->kind = X86_OPK_MEM;
        o->ot = ot;
        d->mem.base = -1;
        d->mem.index = -1;
        d->mem.scale = 0;
        d->mem.rip_rel = false;
        d->mem.disp = x86_fetch_imm(st, d->aflag);
        if (d->aflag == MO_32) {
            d->mem.disp = (uint32_t)d->mem.disp;
        } else if (d->aflag == MO_16) {
            d->mem.disp = (uint16_t)d->mem.disp;
        }
        return;
    }
}

/* The row of an opcode in its map (d->opcode's encoding). */
static const X86OpEntry *x86_opcode_entry(uint32_t opcode)
{
    switch (opcode >> 8) {
    case 0x00:   return &x86_map_1byte[opcode & 0xff];
    case 0x0f:   return &x86_map_0f[opcode & 0xff];
    case 0x0f38: return &x86_map_0f38[opcode & 0xff];
    default:     return &x86_map_0f3a[opcode & 0xff];
    }
}

/* Replace d->e by a group or prefix row, which inherits operands it lacks. */
static void x86_entry_merge(X86DecodedInsn *d, const X86OpEntry *sel)
{
    X86OpEntry outer = d->e;

    d->e = *sel;
    if (!sel->op[0]) {
        memcpy(d->e.op, outer.op, sizeof(d->e.op));
    }
    d->e.flags |= outer.flags;
}

/* Choose an R() row's entry by ModRM: the memory form, or by ModRM.rm. */
static void x86_select_rm(X86DecodedInsn *d)
{
    const X86OpEntry *r = d->e.rm;

    d->e.rm = NULL;
    x86_entry_merge(d, (d->modrm >> 6) == 3 ? &r[1 + (d->modrm & 7)] : &r[0]);
}

/*
 * Choose a P() row's entry by mandatory prefix (decode-table.c explains
 * the rules): VEX.pp, else F2 > F3 > 66 > none.  66 stops being the
 * operand-size prefix only when it selects its own row.
 */
static void x86_select_pfx(X86DecodedInsn *d, bool *data_opsize)
{
    const X86OpEntry *p = d->e.pfx;
    unsigned m;

    if (d->prefixes & X86_PFX_VEX) {
        m = d->mpfx;                      /* VEX.pp, set by x86_decode_vex */
    } else if (d->prefixes & X86_PFX_REPNZ) {
        m = X86_MPFX_F2;
    } else if (d->prefixes & X86_PFX_REPZ) {
        m = X86_MPFX_F3;
    } else if (d->prefixes & X86_PFX_DATA) {
        m = X86_MPFX_66;
        if (p[m].name) {
            *data_opsize = false;
        } else {
            m = X86_MPFX_NONE;            /* 66 is the operand-size prefix */
        }
    } else {
        m = X86_MPFX_NONE;
    }
    d->mpfx = (uint8_t)m;
    d->e.pfx = NULL;
    x86_entry_merge(d, &p[m]);
}

/*
 * C4 (three-byte) and C5 (two-byte) VEX, b being C4 or C5.  Returns 1 with
 * d->opcode set when it is a VEX prefix, 0 when (outside 64-bit mode) it is
 * LES/LDS, or an X86_DECODE_* error.  The inverted fields R X B vvvv are
 * stored un-inverted in d->rex and d->vex_v; pp goes to d->mpfx.
 */
static int x86_decode_vex(X86DecodeState *st, X86DecodedInsn *d, X86DecodeMode mode, uint8_t b)
{
    static const uint32_t map_base[4] = { 0, 0x0f00, 0x0f3800, 0x0f3a00 };
    uint8_t b1 = x86_fetch(st), b2, map = 1;

    if (st->error) {
        return st->error;
    }
    if (mode != X86_MODE_64 && (b1 & 0xc0) != 0xc0) {
        st->pos--;
        return 0;
    }
    /* a 66, F2, F3, LOCK or REX prefix before VEX is #UD */
    if (d->prefixes & (X86_PFX_DATA | X86_PFX_REPZ | X86_PFX_REPNZ |
                       X86_PFX_LOCK | X86_PFX_REX)) {
        return X86_DECODE_UD;
    }
    d->prefixes |= X86_PFX_VEX;
    if (b == 0xc5) {
        d->rex = (~b1 >> 5) & 4;          /* R */
        b2 = b1;
    } else {
        d->rex = (~b1 >> 5) & 7;          /* R X B */
        map = b1 & 0x1f;
        b2 = x86_fetch(st);
        d->rex |= (b2 >> 4) & 8;          /* W */
    }
    d->vex_v = (~b2 >> 3) & 15;
    d->vex_l = (b2 >> 2) & 1;
    d->mpfx = b2 & 3;
    if (mode != X86_MODE_64) {
        d->rex = 0;                       /* R X B W are ignored: 8 registers */
        d->vex_v &= 7;
    }
    b = x86_fetch(st);
    if (st->error) {
        return st->error;
    }
    if (map < 1 || map > 3) {
        return X86_DECODE_UD;
    }
    d->opcode = map_base[map] | b;
    return 1;
}

/* VEX rows only under VEX, with their L rule, and vvvv 1111b if unused. */
static bool x86_vex_invalid(const X86DecodedInsn *d)
{
    bool vex = d->prefixes & X86_PFX_VEX;
    int i;

    if (vex != !!(d->e.flags & X86_F_VEX)) {
        return true;
    }
    if (!vex) {
        return false;
    }
    if ((d->e.flags & X86_F_VEX_LZ) && d->vex_l) {
        return true;
    }
    for (i = 0; i < 3; i++) {
        if (X86_OPND_AM(d->e.op[i]) == X86_AM_B) {
            return false;
        }
    }
    return d->vex_v != 0;
}

int x86_decode(X86DecodedInsn *d, X86DecodeMode mode, X86FetchFn fetch, void *opaque)
{
    X86DecodeState st = { .fetch = fetch, .opaque = opaque };
    const X86OpEntry *e;
    bool need_modrm = false, data_opsize;
    uint8_t b;
    int i;

    memset(d, 0, sizeof(*d));
    d->seg = -1;

    /* Legacy prefixes; in 64-bit mode a REX counts only right before the opcode. */
    for (;;) {
        b = x86_fetch(&st);
        if (st.error) {
            return st.error;
        }
        switch (b) {
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            d->seg = (int8_t)((b >> 3) & 3);     /* ES CS SS DS */
            break;
        case 0x64: case 0x65:
            d->seg = (int8_t)(4 + (b & 1));      /* FS GS */
            break;
        case 0x66: d->prefixes |= X86_PFX_DATA; break;
        case 0x67: d->prefixes |= X86_PFX_ADR; break;
        case 0xf0: d->prefixes |= X86_PFX_LOCK; break;
        case 0xf2: d->prefixes = (d->prefixes & ~X86_PFX_REPZ) | X86_PFX_REPNZ; break;
        case 0xf3: d->prefixes = (d->prefixes & ~X86_PFX_REPNZ) | X86_PFX_REPZ; break;
        default:
            if (mode == X86_MODE_64 && (b & 0xf0) == 0x40) {
                d->prefixes |= X86_PFX_REX;
                d->rex = b & 15;
                b = x86_fetch(&st);
                if (st.error) {
                    return st.error;
                }
                if ((b & 0xf0) == 0x40) {
                    /* another REX: the last one wins */
                    st.pos--;
                    continue;
                }
                switch (b) {
                case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
                case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
                    /* a legacy prefix after REX cancels the REX */
                    d->prefixes &= ~X86_PFX_REX;
                    d->rex = 0;
                    st.pos--;
                    continue;
                }
            }
            goto opcode;
        }
    }

opcode:
    data_opsize = !!(d->prefixes & X86_PFX_DATA);
    if (b == 0xc4 || b == 0xc5) {
        /* VEX; outside 64-bit mode only if ModRM.mod would be 3 (else LES/LDS) */
        int r = x86_decode_vex(&st, d, mode, b);
        if (r < 0) {
            return r;
        }
        if (r > 0) {
            goto row;
        }
    }
    if (b == 0x0f) {
        b = x86_fetch(&st);
        if (b == 0x38 || b == 0x3a) {
            d->opcode = (b == 0x38 ? 0x0f3800 : 0x0f3a00) | x86_fetch(&st);
        } else {
            d->opcode = 0x0f00 | b;
        }
    } else {
        d->opcode = b;
    }
    if (st.error) {
        return st.error;
    }

row:
    d->e = *(d->opcode == 0x63 && mode != X86_MODE_64 ? &x86_row_arpl
                                                      : x86_opcode_entry(d->opcode));
    if (d->e.pfx) {
        x86_select_pfx(d, &data_opsize);
    }

    /* ModRM */
    if (d->e.kind == X86_INSN_GROUP || d->e.rm) {
        need_modrm = true;
    }
    for (i = 0; i < 3; i++) {
        need_modrm |= x86_opnd_needs_modrm(d->e.op[i]);
    }
    if (need_modrm) {
        d->modrm = x86_fetch(&st);
        d->has_modrm = true;
    }
    if (st.error) {
        return st.error;
    }

    /* x87 escape: the row by ModRM (memory forms by /reg, else the byte) */
    if (d->e.kind == X86_INSN_X87ESC) {
        x86_entry_merge(d, d->modrm >= 0xc0 ? &x86_x87_reg[d->opcode & 7][d->modrm & 0x3f]
                                           : &x86_x87_mem[d->opcode & 7][(d->modrm >> 3) & 7]);
    }
    /* Group row: inherits the opcode row's operands unless it has its own. */
    if (d->e.kind == X86_INSN_GROUP) {
        x86_entry_merge(d, &x86_groups[d->e.group][(d->modrm >> 3) & 7]);
    }
    /* Prefix and ModRM rows, which may nest (a P() entry that is an R()
     * row, an R() row whose entry is a P() row). */
    while (d->e.pfx || d->e.rm) {
        if (d->e.pfx) {
            x86_select_pfx(d, &data_opsize);
        } else {
            x86_select_rm(d);
        }
    }
    e = &d->e;
    if (e->kind == X86_INSN_INVALID ||
        (mode == X86_MODE_64 && (e->flags & X86_F_I64))) {
        return X86_DECODE_UD;
    }
    if (x86_vex_invalid(d)) {
        return X86_DECODE_UD;
    }

    /* Effective sizes */
    if (mode == X86_MODE_64) {
        if (e->flags & X86_F_F64) {
            d->ot = MO_64;
        } else if (d->rex & 8) {
            d->ot = MO_64;
        } else if (data_opsize) {
            d->ot = MO_16;
        } else {
            d->ot = (e->flags & X86_F_D64) ? MO_64 : MO_32;
        }
        d->aflag = (d->prefixes & X86_PFX_ADR) ? MO_32 : MO_64;
    } else {
        bool def32 = mode == X86_MODE_32;
        d->ot = (def32 ^ data_opsize) ? MO_32 : MO_16;
        d->aflag = (def32 ^ !!(d->prefixes & X86_PFX_ADR)) ? MO_32 : MO_16;
    }

    /* Addressing bytes, then operands (immediates) in order. */
    if (d->has_modrm && (d->modrm >> 6) != 3) {
        for (i = 0; i < 3; i++) {
            unsigned am = X86_OPND_AM(e->op[i]);
            if (am == X86_AM_E || am == X86_AM_M || am == X86_AM_W || am == X86_AM_Q) {
                x86_decode_modrm_mem(&st, d, mode);
                break;
            }
        }
    }
    for (i = 0; i < 3; i++) {
        x86_decode_operand(&st, d, i);
    }
    if (st.error) {
        return st.error;
    }

    /* LOCK only on a lockable instruction writing memory */
    if ((d->prefixes & X86_PFX_LOCK) &&
        (!(e->flags & X86_F_LOCK) || d->op[0].kind != X86_OPK_MEM)) {
        return X86_DECODE_UD;
    }
    d->len = (uint8_t)st.pos;
    return d->len;
}

typedef struct X86DecodeBuf {
    const uint8_t *buf;
    size_t len;
} X86DecodeBuf;

static int x86_decode_buf_fetch(void *opaque, unsigned offset)
{
    X86DecodeBuf *b = opaque;
    return offset < b->len ? b->buf[offset] : -1;
}

int x86_decode_buf(X86DecodedInsn *d, X86DecodeMode mode, const uint8_t *buf, size_t len)
{
    X86DecodeBuf b = { buf, len };
    return x86_decode(d, mode, x86_decode_buf_fetch, &b);
}
