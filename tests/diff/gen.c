/*
 * gen.c: the sequence generator and the state a sequence runs in, shared
 * by the host tool and the guest (see diff.h): the PRNG, the x86 encoder
 * (prefixes, REX, VEX, ModRM/SIB, displacements, immediates), operand
 * choice under the register constraints of gen.h, the flag tracking that
 * yields each sequence's undefined-flag mask, and the scratch fill and hash.
 *
 * Determinism: everything a sequence contains derives from (seed, index)
 * through one DiffRng, so the two sides agree without exchanging code.
 */
#include <stdarg.h>

#include "gen.h"
#include "../rand.h"

/* ---- PRNG ------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void diff_rng_seed(DiffRng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
    r->s = splitmix64(&x) | 1;
}

uint64_t diff_rng_next(DiffRng *r)
{
    return xorshift64s(&r->s);
}

uint64_t diff_rng_below(DiffRng *r, uint64_t n)
{
    return n ? diff_rng_next(r) % n : 0;
}

uint64_t diff_rand(DiffGen *g, uint64_t n)
{
    return diff_rng_below(&g->rng, n);
}

bool diff_chance(DiffGen *g, unsigned percent)
{
    return diff_rand(g, 100) < percent;
}

unsigned diff_rand_size(DiffGen *g, bool bytes)
{
    static const uint8_t sizes[4] = { 1, 2, 4, 8 };
    return bytes ? sizes[diff_rand(g, 4)] : sizes[1 + diff_rand(g, 3)];
}

uint64_t diff_value(DiffGen *g)
{
    static const uint64_t edge[] = {
        0, 1, 2, 0xffffffffffffffffull, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
        0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
        0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffff80000000ull,
        0xffffffffffff8000ull, 0xffffffffffffff80ull,
    };
    switch (diff_rand(g, 6)) {
    case 0:
        return edge[diff_rand(g, sizeof(edge) / sizeof(edge[0]))];
    case 1:
        return diff_rand(g, 70);                          /* small: counts */
    case 2:
        return -diff_rand(g, 4);
    default:
        return diff_rng_next(&g->rng);
    }
}

/* ---- registers and operands -------------------------------------------- */

bool diff_writable(DiffGen *g, const DiffInsn *in, int r, unsigned size)
{
    if (size == 1 && in->legacy && r >= 4) {
        r -= 4;                                         /* AH..BH */
    }
    return !(g->ro & (1u << r));
}

int diff_pick_reg(DiffGen *g, DiffInsn *in, unsigned size, bool write)
{
    for (;;) {
        int r = (int)diff_rand(g, in->legacy ? 8 : 16);
        if (write && !diff_writable(g, in, r, size)) {
            continue;
        }
        if (size == 1 && !in->legacy && r >= 4 && r < 8) {
            in->need_rex = true;                        /* SPL..DIL */
        }
        return r;
    }
}

static bool diff_usable_ptr(const DiffInsn *in, int r)
{
    return r >= 0 && !(in->legacy && r >= 8);
}

DiffRM diff_pick_mem_align(DiffGen *g, DiffInsn *in, unsigned size, unsigned align)
{
    DiffRM m = { .mem = true, .base = -1, .index = -1 };
    uint64_t target;
    int64_t adj = 0;

    /* A quarter of the unaligned accesses straddle the page boundary. */
    if (align <= 1 && size > 1 && diff_chance(g, 25)) {
        target = DIFF_SCRATCH + 0x1000 - 1 - diff_rand(g, size - 1);
    } else {
        if (align < 1) {
            align = 1;
        }
        target = DIFF_SCRATCH + align * diff_rand(g, (DIFF_DATA_SIZE - size) / align + 1);
    }
    m.addr = target;
    for (;;) {
        m.form = (uint8_t)diff_rand(g, 5);
        if (m.form == MEM_BASE && diff_usable_ptr(in, g->base)) {
            m.base = (int8_t)g->base;
            adj = (int64_t)g->base_val;
            break;
        }
        if (m.form == MEM_BASE_INDEX && diff_usable_ptr(in, g->base) &&
            diff_usable_ptr(in, g->index)) {
            m.base = (int8_t)g->base;
            m.index = (int8_t)g->index;
            m.scale = (uint8_t)diff_rand(g, 4);
            adj = (int64_t)(g->base_val + (g->index_val << m.scale));
            break;
        }
        if (m.form == MEM_INDEX && diff_usable_ptr(in, g->index)) {
            m.index = (int8_t)g->index;
            m.scale = (uint8_t)diff_rand(g, 4);
            adj = (int64_t)(g->index_val << m.scale);
            break;
        }
        if (m.form == MEM_ABS || m.form == MEM_RIP) {
            break;
        }
    }
    m.disp = m.form == MEM_RIP ? (int64_t)target : (int64_t)target - adj;
    return m;
}

DiffRM diff_pick_mem(DiffGen *g, DiffInsn *in, unsigned size)
{
    return diff_pick_mem_align(g, in, size, 1);
}

DiffRM diff_pick_rm(DiffGen *g, DiffInsn *in, unsigned size, bool write, unsigned percent_mem)
{
    DiffRM m = { 0 };

    if (diff_chance(g, percent_mem)) {
        return diff_pick_mem(g, in, size);
    }
    m.reg = (uint8_t)diff_pick_reg(g, in, size, write);
    return m;
}

DiffRM diff_pick_addr(DiffGen *g, DiffInsn *in)
{
    DiffRM m = { .mem = true, .base = -1, .index = -1 };
    unsigned nr = in->legacy ? 8 : 16;

    m.form = (uint8_t)diff_rand(g, 5);
    if (m.form == MEM_BASE || m.form == MEM_BASE_INDEX) {
        m.base = (int8_t)diff_rand(g, nr);
    }
    if (m.form == MEM_INDEX || m.form == MEM_BASE_INDEX) {
        do {
            m.index = (int8_t)diff_rand(g, nr);
        } while (m.index == RSP);
        m.scale = (uint8_t)diff_rand(g, 4);
    }
    switch (diff_rand(g, 4)) {
    case 0: m.disp = 0; break;
    case 1: m.disp = (int8_t)diff_rand(g, 256); break;
    default: m.disp = (int32_t)diff_rng_next(&g->rng); break;
    }
    if (m.form == MEM_RIP) {
        m.disp = (int64_t)(DIFF_SCRATCH + diff_rand(g, 0x100000));
    }
    return m;
}

void diff_insn(DiffGen *g, DiffInsn *in, unsigned size, unsigned oplen, ...)
{
    va_list ap;
    unsigned i;

    __builtin_memset(in, 0, sizeof(*in));
    in->size = (uint8_t)size;
    in->zreg = -1;
    in->oplen = (uint8_t)oplen;
    va_start(ap, oplen);
    for (i = 0; i < oplen; i++) {
        in->op[i] = (uint8_t)va_arg(ap, int);
    }
    va_end(ap);
    /* Byte-sized instructions use AH..BH half of the time. */
    in->legacy = size == 1 && diff_chance(g, 40);
}

/* ---- the encoder -------------------------------------------------------- */

static bool fits8(int64_t v)
{
    return v >= -128 && v <= 127;
}

void diff_emit(DiffGen *g, DiffInsn *in)
{
    DiffSeq *s = g->s;
    uint8_t pfx[8], tail[16];
    unsigned np = 0, nt = 0, i, total, disp_at = 0;
    uint8_t rex = 0;
    bool use_rex, mem = in->modrm && in->rm.mem;
    unsigned mod = 3, rm = 0, dispsz = 0;
    int64_t disp = 0;

    if (g->full) {
        return;
    }

    /* Prefixes: lock, random segment override / 67 / 66 order, mandatory. */
    if (in->lock) {
        pfx[np++] = 0xf0;
    }
    if (in->rep) {
        pfx[np++] = 0xf3;
    }
    if (!in->no_rand_pfx && mem && diff_chance(g, 15)) {
        static const uint8_t segs[4] = { 0x26, 0x2e, 0x36, 0x3e };
        pfx[np++] = segs[diff_rand(g, 4)];
    }
    if (!in->no_rand_pfx && mem && diff_chance(g, 10)) {
        pfx[np++] = 0x67;
    }
    if (in->size == 2 && in->mand != 0x66 && !in->vex) {
        pfx[np++] = 0x66;
    }
    if (np >= 2 && diff_chance(g, 50)) {                /* shuffle two */
        unsigned a = (unsigned)diff_rand(g, np), b = (unsigned)diff_rand(g, np);
        uint8_t t = pfx[a];
        pfx[a] = pfx[b];
        pfx[b] = t;
    }
    if (in->mand && !in->vex) {
        pfx[np++] = in->mand;
    }

    /* ModRM, SIB, displacement */
    if (in->modrm) {
        if (!mem) {
            rm = in->rm.reg;
        } else {
            const DiffRM *m = &in->rm;
            int b = m->base, x = m->index;
            disp = m->disp;
            switch (m->form) {
            case MEM_ABS:
                mod = 0; rm = 4;
                tail[1] = 0x25;                 /* no index, no base */
                dispsz = 4;
                break;
            case MEM_RIP:
                mod = 0; rm = 5; dispsz = 4;
                break;
            case MEM_INDEX:
                mod = 0; rm = 4;
                tail[1] = (uint8_t)(m->scale << 6 | (x & 7) << 3 | 5);
                dispsz = 4;
                break;
            default:                            /* BASE, BASE_INDEX */
                mod = disp == 0 && (b & 7) != 5 ? 0 : fits8(disp) ? 1 : 2;
                dispsz = mod == 0 ? 0 : mod == 1 ? 1 : 4;
                if (mod == 1 && diff_chance(g, 10)) {
                    mod = 2; dispsz = 4;         /* disp32 for a small value */
                }
                if (x >= 0) {
                    rm = 4;
                    tail[1] = (uint8_t)(m->scale << 6 | (x & 7) << 3 | (b & 7));
                } else if ((b & 7) == 4) {
                    rm = 4;
                    tail[1] = (uint8_t)(4 << 3 | 4);
                } else {
                    rm = (unsigned)b & 7;
                }
                break;
            }
            if (x >= 8) {
                rex |= 2;
            }
            if (b >= 8) {
                rex |= 1;
            }
        }
        if (!mem && rm >= 8) {
            rex |= 1;
        }
        if (in->reg >= 8) {
            rex |= 4;
        }
        tail[0] = (uint8_t)(mod << 6 | (in->reg & 7) << 3 | (rm & 7));
        nt = (mem && rm == 4) ? 2 : 1;
        disp_at = nt;
        nt += dispsz;
    }
    if (in->zreg >= 8) {
        rex |= 1;
    }
    for (i = 0; i < in->immsz; i++) {
        tail[nt + i] = (uint8_t)(in->imm >> (8 * i));
    }
    nt += in->immsz;
    if (in->size == 8 && !in->d64) {
        rex |= 8;
    }
    if (in->size == 1 && !in->legacy && diff_chance(g, 3)) {
        rex |= 8;                               /* REX.W on a byte op: ignored */
    }
    use_rex = !in->legacy && (rex || in->need_rex || diff_chance(g, 5));

    total = np + (in->vex ? 3 : use_rex) + in->oplen + nt;
    if (s->len + total > DIFF_MAX_CODE || s->ninsns >= DIFF_MAX_INSNS) {
        g->full = true;
        return;
    }
    if (mem && in->rm.form == MEM_RIP) {
        disp = in->rm.disp - (int64_t)(s->slot + s->len + total);
    }
    for (i = 0; i < dispsz; i++) {
        tail[disp_at + i] = (uint8_t)((uint64_t)disp >> (8 * i));
    }

    s->insn_off[s->ninsns++] = (uint8_t)s->len;
    for (i = 0; i < np; i++) {
        s->code[s->len++] = pfx[i];
    }
    if (in->vex) {
        /* 3-byte VEX: C4, ~R~X~B mmmmm, W ~vvvv L pp */
        static const uint8_t pp[4] = { 0, 0x66, 0xf3, 0xf2 };
        unsigned p = 0;
        for (i = 1; i < 4; i++) {
            if (pp[i] == in->mand) {
                p = i;
            }
        }
        s->code[s->len++] = 0xc4;
        s->code[s->len++] = (uint8_t)(((~rex & 7) << 5) | in->vex);
        s->code[s->len++] = (uint8_t)((in->vex_w ? 0x80 : 0) | ((~in->vex_v & 15) << 3) | p);
    } else if (use_rex) {
        s->code[s->len++] = (uint8_t)(0x40 | rex);
    }
    for (i = 0; i < in->oplen; i++) {
        uint8_t b = in->op[i];
        if (i + 1 == in->oplen && in->zreg >= 0) {
            b = (uint8_t)(b | (in->zreg & 7));
        }
        s->code[s->len++] = b;
    }
    for (i = 0; i < nt; i++) {
        s->code[s->len++] = tail[i];
    }
}

/* ---- flags --------------------------------------------------------------- */

uint16_t diff_cc_flags(unsigned cc)
{
    static const uint16_t f[8] = {
        DF_OF, DF_CF, DF_ZF, DF_CF | DF_ZF, DF_SF, DF_PF, DF_SF | DF_OF,
        DF_ZF | DF_SF | DF_OF,
    };
    return f[(cc >> 1) & 7];
}

void diff_need_flags(DiffGen *g, uint16_t mask)
{
    DiffInsn in;

    if (!(g->undef & mask)) {
        return;
    }
    /* cmp r64, r64: defines all six, writes nothing */
    diff_insn(g, &in, 8, 1, 0x39);
    in.modrm = true;
    in.reg = (uint8_t)diff_pick_reg(g, &in, 8, false);
    in.rm.reg = (uint8_t)diff_pick_reg(g, &in, 8, false);
    diff_emit(g, &in);
    if (!g->full) {
        g->undef = 0;
    }
}

void diff_set_reg(DiffGen *g, int r, uint64_t v)
{
    DiffInsn in;

    diff_insn(g, &in, 8, 1, 0xb8);
    in.zreg = (int8_t)r;
    in.immsz = 8;
    in.imm = v;
    diff_emit(g, &in);
}

/* ---- FP values and state ------------------------------------------------ */
/*
 * Everything here is integer code: the guest half is built with
 * -mgeneral-regs-only, so a float is made from its bits.
 */

static unsigned msb64(uint64_t v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

/* k * 2^e as binary32 bits (k != 0, k < 2^24, e in range) */
static uint32_t mk_f32(uint32_t sign, uint64_t k, int e)
{
    unsigned p = msb64(k);
    return sign | (uint32_t)(p + e + 127) << 23 | (uint32_t)((k << (23 - p)) & 0x7fffff);
}

/* k * 2^e as binary64 bits (k != 0, k < 2^53) */
static uint64_t mk_f64(uint64_t sign, uint64_t k, int e)
{
    unsigned p = msb64(k);
    return sign | (uint64_t)(p + e + 1023) << 52 | ((k << (52 - p)) & 0xfffffffffffffull);
}

/* k * 2^e as an 80-bit value: significand and sign/exponent (k != 0) */
static void mk_f80(uint8_t out[10], uint16_t sign, uint64_t k, int e)
{
    unsigned p = msb64(k);
    uint64_t m = k << (63 - p);
    uint16_t se = (uint16_t)(sign | (uint16_t)(p + e + 16383));

    __builtin_memcpy(out, &m, 8);
    __builtin_memcpy(out + 8, &se, 2);
}

/* An integer whose conversions are interesting: small, halves, boundaries. */
static uint64_t fp_int_k(DiffGen *g, int *e, unsigned maxbits)
{
    static const uint8_t pow2[] = { 15, 16, 31, 32, 63, 64 };
    uint64_t k;
    unsigned b;

    *e = 0;
    switch (diff_rand(g, 4)) {
    case 0:
        return 1 + diff_rand(g, 300);                   /* small integers */
    case 1:
        *e = -1 - (int)diff_rand(g, 2);                 /* halves and quarters */
        return 1 + diff_rand(g, 40);
    case 2:                                             /* near 2^15 2^31 2^63 ... */
        b = pow2[diff_rand(g, sizeof(pow2))];
        if (b > maxbits) {
            *e = (int)(b - maxbits);
            b = maxbits;
        }
        return (1ull << (b - 1)) + (diff_chance(g, 50) ? 0 : (1ull << (b - 1)) - 1 -
                                     diff_rand(g, 2));
    default:
        k = diff_rng_next(&g->rng) >> (64 - maxbits);
        return k ? k : 1;
    }
}

uint32_t diff_f32(DiffGen *g)
{
    uint32_t sign = diff_chance(g, 50) ? 0x80000000u : 0;
    uint32_t m = (uint32_t)diff_rng_next(&g->rng) & 0x7fffff;
    uint64_t k;
    int e;

    switch (diff_rand(g, 14)) {
    case 0:  return sign;                                       /* zero */
    case 1:  return sign | 0x7f800000;                          /* infinity */
    case 2:  return sign | 0x7fc00000 | (diff_chance(g, 50) ? 0 : m);       /* QNaN */
    case 3:  return sign | 0x7f800000 | ((m & 0x3fffff) ? (m & 0x3fffff) : 1);  /* SNaN */
    case 4:  return sign | (diff_chance(g, 20) ? 1 + diff_rand(g, 2) * 0x7ffffe : (m ? m : 1));
    case 5:  return sign | 0x00800000 | (diff_chance(g, 50) ? (uint32_t)diff_rand(g, 3) : m);
    case 6:  return sign | (0x7f7fffff - (diff_chance(g, 50) ? (uint32_t)diff_rand(g, 3) : m));
    case 7:
    case 8:
        k = fp_int_k(g, &e, 24);
        return mk_f32(sign, k, e);
    case 9:                                                     /* near 1 */
        return sign | (diff_chance(g, 50) ? 0x3f800000 + (uint32_t)diff_rand(g, 3)
                                          : 0x3f7fffff - (uint32_t)diff_rand(g, 2));
    case 10:
    case 11:                                                    /* moderate normals */
        return sign | (uint32_t)(127 - 30 + diff_rand(g, 60)) << 23 | m;
    default:
        return (uint32_t)diff_rng_next(&g->rng);
    }
}

uint64_t diff_f64(DiffGen *g)
{
    uint64_t sign = diff_chance(g, 50) ? 1ull << 63 : 0;
    uint64_t m = diff_rng_next(&g->rng) & 0xfffffffffffffull;
    uint64_t k;
    int e;

    switch (diff_rand(g, 14)) {
    case 0:  return sign;
    case 1:  return sign | 0x7ff0000000000000ull;
    case 2:  return sign | 0x7ff8000000000000ull | (diff_chance(g, 50) ? 0 : m);
    case 3:  return sign | 0x7ff0000000000000ull | ((m >> 1) ? (m >> 1) : 1);
    case 4:  return sign | (diff_chance(g, 20) ? 1 + diff_rand(g, 2) * 0xffffffffffffeull : (m ? m : 1));
    case 5:  return sign | 0x0010000000000000ull | (diff_chance(g, 50) ? diff_rand(g, 3) : m);
    case 6:  return sign | (0x7fefffffffffffffull - (diff_chance(g, 50) ? diff_rand(g, 3) : m));
    case 7:
    case 8:
        k = fp_int_k(g, &e, 53);
        return mk_f64(sign, k, e);
    case 9:
        return sign | (diff_chance(g, 50) ? 0x3ff0000000000000ull + diff_rand(g, 3)
                                          : 0x3fefffffffffffffull - diff_rand(g, 2));
    case 10:
    case 11:
        return sign | (1023 - 60 + diff_rand(g, 120)) << 52 | m;
    default:
        return diff_rng_next(&g->rng);
    }
}

void diff_f80(DiffGen *g, uint8_t out[10])
{
    uint16_t sign = diff_chance(g, 50) ? 0x8000 : 0, se;
    uint64_t m = diff_rng_next(&g->rng), k;
    int e;

    switch (diff_rand(g, 32)) {
    case 0:
    case 1:  se = 0; m = 0; break;                              /* zero */
    case 2:
    case 3:  se = 0x7fff; m = 1ull << 63; break;                /* infinity */
    case 4:
    case 5:                                                     /* QNaN (or indefinite) */
        se = 0x7fff;
        m = (3ull << 62) | (diff_chance(g, 30) ? 0 : m);
        break;
    case 6:
    case 7:                                                     /* SNaN */
        se = 0x7fff;
        m = (1ull << 63) | ((m & ~(3ull << 62)) ? (m & ~(3ull << 62)) : 1);
        break;
    case 8:
    case 9:                                                     /* denormal */
        se = 0;
        m &= ~(1ull << 63);
        m = m ? m : 1;
        break;
    case 10:                                                    /* pseudo-denormal */
        se = 0;
        m |= 1ull << 63;
        break;
    case 11:                                                    /* unnormal, pseudo-NaN/inf */
        se = diff_chance(g, 50) ? 0x7fff : (uint16_t)(1 + diff_rand(g, 0x7ffe));
        m &= ~(1ull << 63);
        break;
    case 12:
    case 13:                                                    /* smallest normals */
        se = 1;
        m = (1ull << 63) | (diff_chance(g, 50) ? diff_rand(g, 3) : m);
        break;
    case 14:
    case 15:                                                    /* largest normals */
        se = 0x7ffe;
        m = diff_chance(g, 50) ? ~diff_rand(g, 3) : m | 1ull << 63;
        break;
    case 16:
    case 17:
    case 18:
    case 19:                                                    /* integers, halves */
        k = fp_int_k(g, &e, 64);
        mk_f80(out, sign, k, e);
        return;
    case 20:
    case 21:                                                    /* near 1 */
        if (diff_chance(g, 50)) {
            se = 0x3fff;
            m = (1ull << 63) + diff_rand(g, 3);
        } else {
            se = 0x3ffe;
            m = ~diff_rand(g, 2);
        }
        break;
    case 22:
    case 23:
    case 24:
    case 25:
    case 26:                                                    /* moderate normals */
        se = (uint16_t)(16383 - 70 + diff_rand(g, 140));
        m |= 1ull << 63;
        break;
    default:                                                    /* any normal */
        se = (uint16_t)(1 + diff_rand(g, 0x7ffe));
        m |= 1ull << 63;
        break;
    }
    se |= sign;
    __builtin_memcpy(out, &m, 8);
    __builtin_memcpy(out + 8, &se, 2);
}

uint64_t diff_lane(DiffGen *g)
{
    switch (diff_rand(g, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5:
        return diff_f32(g) | (uint64_t)diff_f32(g) << 32;
    case 6: case 7: case 8: case 9: case 10: case 11:
        return diff_f64(g);
    case 12: case 13:
        return diff_value(g);                           /* integer edges */
    case 14:
        return diff_rand(g, 70);                        /* shift counts */
    case 15: {                                          /* small words */
        uint64_t w0 = (diff_rand(g, 5) - 2) & 0xffff, w1 = diff_rand(g, 0x300);
        return w0 | w1 << 16 | diff_rand(g, 0x10000) << 48;
    }
    default:
        return diff_rng_next(&g->rng);
    }
}

static void fx_put16(uint8_t *fx, unsigned off, uint16_t v)
{
    __builtin_memcpy(fx + off, &v, 2);
}

static void fx_put32(uint8_t *fx, unsigned off, uint32_t v)
{
    __builtin_memcpy(fx + off, &v, 4);
}

/* The image of a fresh FPU: FNINIT's control/status/tags, MXCSR 0x1f80. */
static void diff_fx_default(uint8_t *fx)
{
    __builtin_memset(fx, 0, DIFF_FX_SIZE);
    fx_put16(fx, FX_FCW, 0x037f);
    fx_put32(fx, FX_MXCSR, 0x1f80);
}

/* A random x87 control word with every exception masked: precision 24, 53
 * or 64 bits (not the reserved 01), any rounding. */
uint16_t diff_fcw(DiffGen *g)
{
    static const uint8_t pc[3] = { 0, 2, 3 };
    unsigned p = pc[diff_rand(g, 3)];

    return (uint16_t)(0x7f | p << 8 | diff_rand(g, 4) << 10);
}

/* A random MXCSR with every exception masked: any rounding, FTZ, DAZ, flags */
uint32_t diff_mxcsr(DiffGen *g)
{
    uint32_t m = 0x1f80 | (uint32_t)diff_rand(g, 4) << 13;

    m |= diff_chance(g, 25) ? 0x8000 : 0;
    m |= diff_chance(g, 25) ? 0x40 : 0;
    return m | (diff_chance(g, 50) ? (uint32_t)diff_rand(g, 64) : 0);
}

static void diff_fx_random(DiffGen *g, uint8_t *fx)
{
    uint16_t fsw;
    unsigned i, k, top;

    __builtin_memset(fx, 0, DIFF_FX_SIZE);
    fx_put16(fx, FX_FCW, diff_fcw(g));
    /* random TOP and condition codes, no exception flags */
    top = (unsigned)diff_rand(g, 8);
    fsw = (uint16_t)(top << 11 | (diff_rand(g, 8) * FSW_C0 & (FSW_C0 | FSW_C1 | FSW_C2)));
    fsw |= diff_chance(g, 50) ? FSW_C3 : 0;
    fx_put16(fx, FX_FSW, fsw);
    switch (diff_rand(g, 10)) {                 /* abridged tags: 1 = valid */
    case 0:
        fx[FX_FTW] = 0xff;                      /* full: pushes overflow */
        break;
    case 1:
        fx[FX_FTW] = 0;                         /* empty: operands underflow */
        break;
    case 2:
    case 3:
    case 4:
        fx[FX_FTW] = (uint8_t)diff_rand(g, 256);
        break;
    default:                                    /* ST(0)..ST(k-1) valid, as in code */
        for (k = (unsigned)diff_rand(g, 9), i = 0; i < k; i++) {
            fx[FX_FTW] |= (uint8_t)(1u << ((top + i) & 7));
        }
        break;
    }
    fx_put32(fx, FX_MXCSR, diff_mxcsr(g));
    for (i = 0; i < 8; i++) {
        diff_f80(g, fx + FX_ST0 + 16 * i);
    }
    for (i = 0; i < 32; i++) {
        uint64_t v = diff_lane(g);
        __builtin_memcpy(fx + FX_XMM0 + 8 * i, &v, 8);
    }
}

void diff_patch(DiffGen *g, const DiffRM *m, const void *bytes, unsigned n)
{
    DiffSeq *s = g->s;
    DiffPatch *p;

    if (!m->mem || g->full || s->npatch >= DIFF_MAX_PATCH || n > sizeof(p->b)) {
        return;
    }
    p = &s->patch[s->npatch++];
    p->off = (uint16_t)(m->addr - DIFF_SCRATCH);
    p->len = (uint8_t)n;
    __builtin_memcpy(p->b, bytes, n);
}

void diff_fsw(DiffGen *g, uint16_t undef, uint16_t defs)
{
    g->fsw_set = true;
    g->insn_fsw_undef = undef;
    g->insn_fsw_defs = defs;
}

void diff_need_fsw(DiffGen *g)
{
    DiffInsn in;

    if (!(g->fsw_undef & FSW_CC)) {
        return;
    }
    diff_insn(g, &in, 4, 2, 0xd9, 0xe5);        /* fxam: C0-C3 from ST0 */
    diff_emit(g, &in);
    if (!g->full) {
        g->fsw_undef = 0;
    }
}

/* ---- sequences ------------------------------------------------------------ */

unsigned diff_class_of(uint64_t seed, uint64_t index)
{
    return (unsigned)((index + seed) % diff_nclasses);
}

static void diff_pop_all(DiffGen *g)
{
    while (g->depth) {
        DiffInsn in;
        unsigned sz = g->push_size[--g->depth];

        diff_insn(g, &in, sz, 1, 0x58);
        in.d64 = true;
        in.no_rand_pfx = true;
        in.zreg = (int8_t)diff_pick_reg(g, &in, sz, true);
        g->full = false;        /* room for the pops was kept: diff_generate */
        diff_emit(g, &in);
    }
}

void diff_generate(DiffSeq *s, uint64_t seed, uint64_t index, uint64_t enabled)
{
    static const uint8_t ptr_regs[] = { RBX, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
    DiffGen g = { .s = s, .base = -1, .index = -1, .enabled = enabled };
    const DiffClass *c;
    uint16_t clobbers = 0, fsw_undef, fsw_defs, undef;
    unsigned i, n, mix;

    __builtin_memset(s, 0, sizeof(*s));
    s->index = index;
    s->cls = diff_class_of(seed, index);
    s->slot = DIFF_CODE + (index % DIFF_SLOTS) * DIFF_SLOT_SIZE;
    diff_rng_seed(&g.rng, seed, index);
    s->fill_seed = diff_rng_next(&g.rng);
    c = &diff_classes[s->cls];
    mix = c->mix;
    s->compat = c->compat;

    for (i = 0; i < 16; i++) {
        s->in.r[i] = diff_value(&g);
    }
    s->in.r[RSP] = DIFF_STACK_TOP;
    s->in.rflags = 0x2 | (diff_rng_next(&g.rng) & DF_ARITH);

    /* x87/SSE state: random for the FP classes (and a mix that draws them) */
    s->fp = c->fp;
    for (i = 0; mix && i < diff_nclasses; i++) {
        if ((enabled >> i & 1) && diff_classes[i].fp) {
            s->fp = true;
        }
    }
    if (s->fp) {
        diff_fx_random(&g, s->fx);
    } else {
        diff_fx_default(s->fx);
    }

    /* Pointer registers: never one the classes write implicitly. */
    for (i = 0; i < diff_nclasses; i++) {
        if ((mix && (enabled >> i & 1)) || i == s->cls) {
            clobbers |= diff_classes[i].clobbers;
        }
    }
    g.ro = 1u << RSP;
    for (i = 0; i < 2; i++) {
        int r = ptr_regs[diff_rand(&g, sizeof(ptr_regs))];
        if ((clobbers | g.ro) & (1u << r) || diff_chance(&g, 15)) {
            continue;
        }
        g.ro |= (uint16_t)(1u << r);
        if (i == 0) {
            g.base = r;
            g.base_val = DIFF_SCRATCH + diff_rand(&g, DIFF_DATA_SIZE);
            s->in.r[r] = g.base_val;
        } else {
            g.index = r;
            g.index_val = diff_rand(&g, 0x400);
            s->in.r[r] = g.index_val;
        }
    }

    n = mix ? 4 + (unsigned)diff_rand(&g, 12) : 1 + (unsigned)diff_rand(&g, 8);
    for (i = 0; i < n && !g.full; i++) {
        const DiffClass *e = c;
        if (mix) {
            unsigned k;
            do {
                k = (unsigned)diff_rand(&g, diff_nclasses);
            } while (!(enabled >> k & 1) || diff_classes[k].mix || diff_classes[k].compat);
            e = &diff_classes[k];
        }
        /* Keep room for the pops that balance the stack (3 bytes each). */
        if (s->len + 3 * g.depth + 40 > DIFF_MAX_CODE) {
            break;
        }
        g.fsw_set = false;
        e->gen(&g, e->arg);
        fsw_undef = g.fsw_set ? g.insn_fsw_undef : e->fsw_undef;
        fsw_defs = g.fsw_set ? g.insn_fsw_defs : e->fsw_defs;
        undef = e->undef | (diff_sdm_only ? e->sdm_undef : 0);
        if (g.full) {
            /* the set-up part may have been emitted: nothing is defined
             * (an x87 set-up, FFREE say, may leave any of C0-C3 undefined) */
            g.undef |= undef;
            g.fsw_undef |= g.fsw_set ? FSW_CC : fsw_undef;
        } else {
            g.undef = (uint16_t)((g.undef & ~e->defs) | undef);
            g.fsw_undef = (uint16_t)((g.fsw_undef & ~fsw_defs) | fsw_undef);
        }
    }
    diff_pop_all(&g);
    s->undef = g.undef;
    s->fsw_undef = g.fsw_undef;
}

void diff_set_code(DiffSeq *s, const uint8_t *code, unsigned len)
{
    unsigned max = DIFF_MAX_CODE - (s->compat ? DIFF_COMPAT_EXTRA : 0);

    if (len > max) {
        len = max;
    }
    __builtin_memcpy(s->code, code, len);
    s->len = len;
    s->ninsns = 1;
    s->insn_off[0] = 0;
    s->undef = 0;
    s->fsw_undef = 0;
}

/* ---- state: fill, install, hash ------------------------------------------ */

/* The initial contents of the hashed scratch pages: random, then the patches. */
static void diff_initial(const DiffSeq *s, uint8_t *p)
{
    uint64_t *q = (uint64_t *)p;
    DiffRng r;
    unsigned i;

    diff_rng_seed(&r, s->fill_seed, 0);
    for (i = 0; i < DIFF_HASHED_SIZE / 8; i++) {
        q[i] = diff_rng_next(&r);
    }
    for (i = 0; i < s->npatch; i++) {
        __builtin_memcpy(p + s->patch[i].off, s->patch[i].b, s->patch[i].len);
    }
}

void diff_fill_scratch(const DiffSeq *s)
{
    diff_initial(s, (uint8_t *)DIFF_SCRATCH);
}

uint16_t diff_sel32, diff_sel64;
bool diff_sdm_only;

static unsigned put32(uint8_t *p, unsigned i, uint32_t v)
{
    p[i++] = (uint8_t)v;
    p[i++] = (uint8_t)(v >> 8);
    p[i++] = (uint8_t)(v >> 16);
    p[i++] = (uint8_t)(v >> 24);
    return i;
}

void diff_install(const DiffSeq *s)
{
    uint8_t *code = (uint8_t *)s->slot;
    unsigned i = 0, k;

    if (s->compat) {
        /* 64-bit: ljmp *DIFF_COMPAT_PTR (m16:32) to the code below */
        code[i++] = 0xff;
        code[i++] = 0x2c;
        code[i++] = 0x25;
        i = put32(code, i, DIFF_COMPAT_PTR);
        put32((uint8_t *)DIFF_COMPAT_PTR, 0, (uint32_t)(s->slot + i));
        *(volatile uint16_t *)(DIFF_COMPAT_PTR + 4) = diff_sel32;
    }
    for (k = 0; k < s->len; k++) {
        code[i++] = s->code[k];
    }
    if (s->compat) {
        /* 32-bit: ljmp sel64:(the jump out below) */
        code[i++] = 0xea;
        i = put32(code, i, (uint32_t)(s->slot + i + 6));
        code[i++] = (uint8_t)diff_sel64;
        code[i++] = (uint8_t)(diff_sel64 >> 8);
    }
    /* jmp *DIFF_EXIT_PTR */
    code[i++] = 0xff;
    code[i++] = 0x24;
    code[i++] = 0x25;
    code[i++] = (uint8_t)DIFF_EXIT_PTR;
    code[i++] = (uint8_t)(DIFF_EXIT_PTR >> 8);
    code[i++] = (uint8_t)(DIFF_EXIT_PTR >> 16);
    code[i++] = (uint8_t)(DIFF_EXIT_PTR >> 24);
    __builtin_memcpy((void *)DIFF_IN, &s->in, sizeof(s->in));
    __builtin_memcpy((void *)DIFF_FX_IN, s->fx, DIFF_FX_SIZE);
    *(volatile uint64_t *)DIFF_CODE_PTR = s->slot;
}

void diff_fx_mask(const DiffSeq *s, uint8_t img[DIFF_FX_SIZE])
{
    uint16_t fsw;
    unsigned i;

    __builtin_memcpy(img, (const void *)DIFF_FX_OUT, DIFF_FX_SIZE);
    img[FX_FTW + 1] = 0;                                        /* reserved */
    __builtin_memset(img + FX_FOP, 0, FX_MXCSR - FX_FOP);       /* FOP FIP FDP (FCS FDS) */
    __builtin_memset(img + FX_MXCSR_MASK, 0, 4);
    for (i = 0; i < 8; i++) {
        __builtin_memset(img + FX_ST0 + 16 * i + 10, 0, 6);     /* slot padding */
    }
    __builtin_memset(img + FX_END_XMM, 0, DIFF_FX_SIZE - FX_END_XMM);
    __builtin_memcpy(&fsw, img + FX_FSW, 2);
    fsw &= (uint16_t)~s->fsw_undef;
    __builtin_memcpy(img + FX_FSW, &fsw, 2);
}

/* Register i of the final state as compared: compat classes, the low
 * halves of RAX..RDI only */
static uint64_t diff_reg_compared(const DiffSeq *s, const DiffRegs *out, unsigned i)
{
    if (s->compat) {
        return i < 8 ? (uint32_t)out->r[i] : 0;
    }
    return out->r[i];
}

static uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;
    return h ^ (h >> 29);
}

uint64_t diff_hash(const DiffSeq *s)
{
    const DiffRegs *out = (const DiffRegs *)DIFF_OUT;
    const uint64_t *p = (const uint64_t *)DIFF_SCRATCH;
    static uint64_t img[DIFF_FX_SIZE / 8];
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned i;

    for (i = 0; i < 16; i++) {
        h = mix64(h, diff_reg_compared(s, out, i));
    }
    h = mix64(h, out->rflags & DF_COMPARED & ~(uint64_t)s->undef);
    diff_fx_mask(s, (uint8_t *)img);
    for (i = 0; i < DIFF_FX_SIZE / 8; i++) {
        h = mix64(h, img[i]);
    }
    for (i = 0; i < DIFF_HASHED_SIZE / 8; i++) {
        h = mix64(h, p[i]);
    }
    return h;
}

void diff_collect(const DiffSeq *s, DiffDump *d)
{
    static uint64_t init[DIFF_HASHED_SIZE / 8];
    const uint8_t *p = (const uint8_t *)DIFF_SCRATCH, *q = (const uint8_t *)init;
    unsigned i;

    __builtin_memcpy(&d->out, (const void *)DIFF_OUT, sizeof(d->out));
    for (i = 0; i < 16; i++) {
        d->out.r[i] = diff_reg_compared(s, (const DiffRegs *)DIFF_OUT, i);
    }
    d->out.rflags &= DF_COMPARED & ~(uint64_t)s->undef;
    diff_fx_mask(s, d->fx);
    d->nmem = 0;
    diff_initial(s, (uint8_t *)init);
    for (i = 0; i < DIFF_HASHED_SIZE; i++) {
        if (p[i] != q[i] && d->nmem < DIFF_DUMP_MAX_MEM) {
            d->mem_off[d->nmem] = (uint16_t)i;
            d->mem_val[d->nmem++] = p[i];
        }
    }
}

uint64_t diff_hash_dump(const DiffSeq *s, const DiffDump *d)
{
    static uint64_t mem[DIFF_HASHED_SIZE / 8], img[DIFF_FX_SIZE / 8];
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned i;

    diff_initial(s, (uint8_t *)mem);
    for (i = 0; i < d->nmem; i++) {
        ((uint8_t *)mem)[d->mem_off[i]] = d->mem_val[i];
    }
    for (i = 0; i < 16; i++) {
        h = mix64(h, d->out.r[i]);
    }
    h = mix64(h, d->out.rflags);
    __builtin_memcpy(img, d->fx, DIFF_FX_SIZE);
    for (i = 0; i < DIFF_FX_SIZE / 8; i++) {
        h = mix64(h, img[i]);
    }
    for (i = 0; i < DIFF_HASHED_SIZE / 8; i++) {
        h = mix64(h, mem[i]);
    }
    return h;
}
