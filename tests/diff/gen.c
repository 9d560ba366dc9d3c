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
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
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

DiffRM diff_pick_mem(DiffGen *g, DiffInsn *in, unsigned size)
{
    DiffRM m = { .mem = true, .base = -1, .index = -1 };
    uint64_t target;
    int64_t adj = 0;

    /* A quarter of the accesses straddle the page boundary when they can. */
    if (size > 1 && diff_chance(g, 25)) {
        target = DIFF_SCRATCH + 0x1000 - 1 - diff_rand(g, size - 1);
    } else {
        target = DIFF_SCRATCH + diff_rand(g, DIFF_DATA_SIZE - size + 1);
    }
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
    g->undef = 0;
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
    uint16_t clobbers = 0;
    unsigned i, n, mix;

    __builtin_memset(s, 0, sizeof(*s));
    s->index = index;
    s->cls = diff_class_of(seed, index);
    s->slot = DIFF_CODE + (index % DIFF_SLOTS) * DIFF_SLOT_SIZE;
    diff_rng_seed(&g.rng, seed, index);
    s->fill_seed = diff_rng_next(&g.rng);
    c = &diff_classes[s->cls];
    mix = c->mix;

    for (i = 0; i < 16; i++) {
        s->in.r[i] = diff_value(&g);
    }
    s->in.r[RSP] = DIFF_STACK_TOP;
    s->in.rflags = 0x2 | (diff_rng_next(&g.rng) & DF_ARITH);

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
            } while (!(enabled >> k & 1) || diff_classes[k].mix);
            e = &diff_classes[k];
        }
        /* Keep room for the pops that balance the stack (3 bytes each). */
        if (s->len + 3 * g.depth + 40 > DIFF_MAX_CODE) {
            break;
        }
        e->gen(&g, e->arg);
        g.undef = (uint16_t)((g.undef & ~e->defs) | e->undef);
    }
    diff_pop_all(&g);
    s->undef = g.undef;
}

/* ---- state: fill, install, hash ------------------------------------------ */

void diff_fill_scratch(const DiffSeq *s)
{
    uint64_t *p = (uint64_t *)DIFF_SCRATCH;
    DiffRng r;
    unsigned i;

    diff_rng_seed(&r, s->fill_seed, 0);
    for (i = 0; i < DIFF_HASHED_SIZE / 8; i++) {
        p[i] = diff_rng_next(&r);
    }
}

void diff_install(const DiffSeq *s)
{
    uint8_t *code = (uint8_t *)s->slot;
    unsigned i;

    for (i = 0; i < s->len; i++) {
        code[i] = s->code[i];
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
    *(volatile uint64_t *)DIFF_CODE_PTR = s->slot;
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
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned i;

    for (i = 0; i < 16; i++) {
        h = mix64(h, out->r[i]);
    }
    h = mix64(h, out->rflags & DF_COMPARED & ~(uint64_t)s->undef);
    for (i = 0; i < DIFF_HASHED_SIZE / 8; i++) {
        h = mix64(h, p[i]);
    }
    return h;
}

void diff_collect(const DiffSeq *s, DiffDump *d)
{
    const uint8_t *p = (const uint8_t *)DIFF_SCRATCH;
    DiffRng r;
    unsigned i, j;

    __builtin_memcpy(&d->out, (const void *)DIFF_OUT, sizeof(d->out));
    d->out.rflags &= DF_COMPARED & ~(uint64_t)s->undef;
    d->nmem = 0;
    diff_rng_seed(&r, s->fill_seed, 0);
    for (i = 0; i < DIFF_HASHED_SIZE; i += 8) {
        uint64_t v = diff_rng_next(&r);
        for (j = 0; j < 8; j++) {
            if (p[i + j] != (uint8_t)(v >> (8 * j)) && d->nmem < DIFF_DUMP_MAX_MEM) {
                d->mem_off[d->nmem] = (uint16_t)(i + j);
                d->mem_val[d->nmem++] = p[i + j];
            }
        }
    }
}
