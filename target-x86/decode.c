/*
 * decode.c: the x86 decoder engine (prefixes, REX, opcode maps, ModRM, SIB,
 * displacements, immediates) over the tables of decode-table.c.
 *
 * Order of work: legacy prefixes and REX, the opcode (one or two bytes),
 * ModRM if any operand or the group needs it, the group row, the effective
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
    default:       return ot;
    }
}

static bool x86_opnd_needs_modrm(uint16_t t)
{
    unsigned am = X86_OPND_AM(t);
    return am == X86_AM_E || am == X86_AM_G || am == X86_AM_M;
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

int x86_decode(X86DecodedInsn *d, X86DecodeMode mode, X86FetchFn fetch, void *opaque)
{
    X86DecodeState st = { .fetch = fetch, .opaque = opaque };
    const X86OpEntry *e;
    bool need_modrm = false;
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
    if (b == 0x0f) {
        b = x86_fetch(&st);
        d->opcode = 0x0f00 | b;
        e = &x86_map_0f[b];
    } else {
        d->opcode = b;
        e = &x86_map_1byte[b];
    }
    if (st.error) {
        return st.error;
    }

    /* ModRM */
    if (e->kind == X86_INSN_GROUP) {
        need_modrm = true;
    }
    for (i = 0; i < 3; i++) {
        need_modrm |= x86_opnd_needs_modrm(e->op[i]);
    }
    if (need_modrm) {
        d->modrm = x86_fetch(&st);
        d->has_modrm = true;
    }
    if (st.error) {
        return st.error;
    }

    /* Group row: inherits the opcode row's operands unless it has its own. */
    d->e = *e;
    if (e->kind == X86_INSN_GROUP) {
        const X86OpEntry *g = &x86_groups[e->group][(d->modrm >> 3) & 7];

        d->e = *g;
        if (!g->op[0]) {
            memcpy(d->e.op, e->op, sizeof(d->e.op));
        }
        d->e.flags |= e->flags;
        e = &d->e;
    }
    if (e->kind == X86_INSN_INVALID ||
        (mode == X86_MODE_64 && (e->flags & X86_F_I64))) {
        return X86_DECODE_UD;
    }

    /* Effective sizes */
    if (mode == X86_MODE_64) {
        if (e->flags & X86_F_F64) {
            d->ot = MO_64;
        } else if (d->rex & 8) {
            d->ot = MO_64;
        } else if (d->prefixes & X86_PFX_DATA) {
            d->ot = MO_16;
        } else {
            d->ot = (e->flags & X86_F_D64) ? MO_64 : MO_32;
        }
        d->aflag = (d->prefixes & X86_PFX_ADR) ? MO_32 : MO_64;
    } else {
        bool def32 = mode == X86_MODE_32;
        d->ot = (def32 ^ !!(d->prefixes & X86_PFX_DATA)) ? MO_32 : MO_16;
        d->aflag = (def32 ^ !!(d->prefixes & X86_PFX_ADR)) ? MO_32 : MO_16;
    }

    /* Addressing bytes, then operands (immediates) in order. */
    if (d->has_modrm && (d->modrm >> 6) != 3) {
        for (i = 0; i < 3; i++) {
            unsigned am = X86_OPND_AM(e->op[i]);
            if (am == X86_AM_E || am == X86_AM_M) {
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
