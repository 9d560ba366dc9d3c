// tern-nested: allow dpp* QEMU 7.2 TCG (the nested CPU): DPPS/DPPD NaN and denormal results differ
// tern-nested: allow faults/* QEMU 7.2 TCG (the nested CPU) does not #GP on misaligned operands or raise #XM for ROUND*
// tern-native-amd: allow dpp?-nan-* which NaN (and sign) a DPPS/DPPD lane returns from several NaNs is the implementation's: Intel sums each lane in its own order, AMD does not
/*
 * sse41.c: every SSE4.1 instruction: integer SIMD (min/max, multiplies,
 * pack, compare, PHMINPOSUW, sign/zero extension from registers and from
 * unaligned m64/m32/m16) and the blends against scalar C models over
 * varied vectors, register and memory forms; PTEST's flags; ROUNDxx in
 * every mode (imm8 and MXCSR.RC), with PE suppression, SNaN, denormals and
 * DAZ; DPPS/DPPD's rounding order, lane masks, NaN choice per lane and
 * flags; MPSADBW, INSERTPS and the blends for random imm8; the lane moves
 * (PEXTRB/W/D/Q, EXTRACTPS, PINSRB/D/Q) to and from registers, including
 * REX ones and ESI's low byte, and memory; MOVNTDQA; CPUID.1:ECX.SSE4_1.
 * Under tern also the faults: #GP(0) for a misaligned m128 but not for the
 * smaller operands, #XM for an unmasked PE unless imm8[3], #UD without 66.
 *
 * Built with -msse2 -fno-tree-vectorize: the C models stay SSE2 scalar
 * code; the instructions under test are inline asm.
 */
#include "simd.h"
#include <stdbool.h>

static X g_mem[4] __attribute__((aligned(16)));
static uint8_t g_buf[64] __attribute__((aligned(16)));

/* ---- integer SIMD against C models ---------------------------------------- */

MODEL(pminsb, b, (int8_t)A < (int8_t)B ? A : B)
MODEL(pminsd, l, (int32_t)A < (int32_t)B ? A : B)
MODEL(pminuw, w, A < B ? A : B)
MODEL(pminud, l, A < B ? A : B)
MODEL(pmaxsb, b, (int8_t)A > (int8_t)B ? A : B)
MODEL(pmaxsd, l, (int32_t)A > (int32_t)B ? A : B)
MODEL(pmaxuw, w, A > B ? A : B)
MODEL(pmaxud, l, A > B ? A : B)
MODEL(pmulld, l, (uint32_t)((uint64_t)A * B))
MODEL(pcmpeqq, q, A == B ? ~0ull : 0)

/* The signed products of the even doublewords */
static void m_pmuldq(X *r, const X *a, const X *b, int bytes)
{
    for (int i = 0; i < bytes / 8; i++) {
        r->q[i] = (uint64_t)((int64_t)(int32_t)a->l[2 * i] * (int32_t)b->l[2 * i]);
    }
}

PACK_MODEL(packusdw, w, l, int32_t, 0, 65535)

static void m_phminposuw(X *r, const X *a, const X *b, int bytes)
{
    unsigned idx = 0;

    (void)a;
    (void)bytes;
    for (unsigned i = 1; i < 8; i++) {
        if (b->w[i] < b->w[idx]) {
            idx = i;
        }
    }
    *r = mk(b->w[idx] | idx << 16, 0);
}

/* The low lanes of b, sign- or zero-extended (as T) */
#define PMOVX_MODEL(name, TO, FROM, T)                                       \
    static void m_##name(X *r, const X *a, const X *b, int bytes)            \
    {                                                                        \
        (void)a;                                                             \
        for (int i = 0; i < bytes / (int)sizeof(r->TO[0]); i++) {            \
            r->TO[i] = (__typeof__(r->TO[0]))(T)b->FROM[i];                  \
        }                                                                    \
    }
PMOVX_MODEL(pmovsxbw, w, b, int8_t) PMOVX_MODEL(pmovsxbd, l, b, int8_t)
PMOVX_MODEL(pmovsxbq, q, b, int8_t) PMOVX_MODEL(pmovsxwd, l, w, int16_t)
PMOVX_MODEL(pmovsxwq, q, w, int16_t) PMOVX_MODEL(pmovsxdq, q, l, int32_t)
PMOVX_MODEL(pmovzxbw, w, b, uint8_t) PMOVX_MODEL(pmovzxbd, l, b, uint8_t)
PMOVX_MODEL(pmovzxbq, q, b, uint8_t) PMOVX_MODEL(pmovzxwd, l, w, uint16_t)
PMOVX_MODEL(pmovzxwq, q, w, uint16_t) PMOVX_MODEL(pmovzxdq, q, l, uint32_t)

/* blendv: lanes of b where m's lane has its sign bit set */
static void blendv_model(X *r, const X *a, const X *b, const X *m, int size)
{
    *r = *a;
    for (int i = 0; i < 16; i += size) {
        if (m->b[i + size - 1] & 0x80) {
            memcpy(&r->b[i], &b->b[i], size);
        }
    }
}

/* pmovsx/zx from memory at an odd address: bytes 0.. of b, then a guard */
#define RUN_PMOVX_MEM(insn, model, a, b)                                     \
    do {                                                                     \
        X r_ = (a), e_;                                                      \
        memcpy(g_buf + 3, (b).b, 16);                                        \
        __asm__ volatile(insn " (%[p]), %[d]" : [d] "+x"(r_.v)               \
                         : [p] "r"(g_buf + 3) : "memory");                   \
        model(&e_, &(a), &(b), 16);                                          \
        CHECK_X(insn "-mem", r_, e_.q[0], e_.q[1]);                          \
    } while (0)

#define IOPS(X_)                                                             \
    X_("pminsb", m_pminsb) X_("pminsd", m_pminsd) X_("pminuw", m_pminuw)     \
    X_("pminud", m_pminud) X_("pmaxsb", m_pmaxsb) X_("pmaxsd", m_pmaxsd)     \
    X_("pmaxuw", m_pmaxuw) X_("pmaxud", m_pmaxud) X_("pmulld", m_pmulld)     \
    X_("pmuldq", m_pmuldq) X_("pcmpeqq", m_pcmpeqq) X_("packusdw", m_packusdw) \
    X_("phminposuw", m_phminposuw)
#define PMOVX(X_)                                                            \
    X_("pmovsxbw", m_pmovsxbw) X_("pmovsxbd", m_pmovsxbd) X_("pmovsxbq", m_pmovsxbq) \
    X_("pmovsxwd", m_pmovsxwd) X_("pmovsxwq", m_pmovsxwq) X_("pmovsxdq", m_pmovsxdq) \
    X_("pmovzxbw", m_pmovzxbw) X_("pmovzxbd", m_pmovzxbd) X_("pmovzxbq", m_pmovzxbq) \
    X_("pmovzxwd", m_pmovzxwd) X_("pmovzxwq", m_pmovzxwq) X_("pmovzxdq", m_pmovzxdq)

static void test_int_simd(void)
{
    for (int n = 0; n < 16; n++) {
        X a = rnd_vec(), b = rnd_vec(), m = rnd_vec();

        if (n % 4 == 0) {
            b.q[n & 1] = a.q[n & 1];       /* equal lanes: pcmpeqq, min/max ties */
        }
#define RUN_BOTH(insn, model) RUN_IOP(insn, model, a, b); RUN_IOP_MEM(insn, model, a, b, g_mem[0]);
        IOPS(RUN_BOTH)
#undef RUN_BOTH
#define RUN_X(insn, model) RUN_IOP(insn, model, a, b); RUN_PMOVX_MEM(insn, model, a, b);
        PMOVX(RUN_X)
#undef RUN_X
        /* blendv: the mask is XMM0 */
        {
            X r = a, e;
            __asm__ volatile("movdqa %[m], %%xmm0\n\tpblendvb %[s], %[d]"
                             : [d] "+x"(r.v) : [s] "x"(b.v), [m] "x"(m.v) : "xmm0");
            blendv_model(&e, &a, &b, &m, 1);
            CHECK_X("pblendvb", r, e.q[0], e.q[1]);
            r = a;
            g_mem[1] = b;
            __asm__ volatile("movdqa %[m], %%xmm0\n\tblendvps %[s], %[d]"
                             : [d] "+x"(r.v) : [s] "m"(g_mem[1]), [m] "x"(m.v) : "xmm0");
            blendv_model(&e, &a, &b, &m, 4);
            CHECK_X("blendvps-mem", r, e.q[0], e.q[1]);
            r = a;
            __asm__ volatile("movdqa %[m], %%xmm0\n\tblendvpd %[s], %[d]"
                             : [d] "+x"(r.v) : [s] "x"(b.v), [m] "x"(m.v) : "xmm0");
            blendv_model(&e, &a, &b, &m, 8);
            CHECK_X("blendvpd", r, e.q[0], e.q[1]);
            /* XMM0 as both the mask and the destination */
            __asm__ volatile("movdqa %[m], %%xmm0\n\tpblendvb %[s], %%xmm0\n\t"
                             "movdqa %%xmm0, %[r]"
                             : [r] "=x"(r.v) : [s] "x"(b.v), [m] "x"(m.v) : "xmm0");
            blendv_model(&e, &m, &b, &m, 1);
            CHECK_X("pblendvb-xmm0", r, e.q[0], e.q[1]);
        }
    }
    /* phminposuw: ties take the lowest index */
    {
        X r, s = mk(0x0005000700050009ull, 0x0006000500080005ull);
        __asm__ volatile("phminposuw %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(s.v));
        CHECK_X("phminposuw-tie", r, 0x00010005ull, 0);
        s = mk(~0ull, 0xfffe000000000000ull);
        r = mk(~0ull, ~0ull);
        __asm__ volatile("phminposuw %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(s.v));
        CHECK_X("phminposuw-zero", r, 0x00040000ull, 0);
    }
}

/* ---- PTEST ------------------------------------------------------------------ */

/* the arithmetic flags after ptest, every one of them set before */
static uint64_t ptest_flags(X a, X b)
{
    uint64_t f;

    g_mem[2] = b;
    __asm__ volatile("pushfq\n\torq $0x8d5, (%%rsp)\n\tpopfq\n\t"
                     "ptest %[m], %[a]\n\tpushfq\n\tpopq %[f]"
                     : [f] "=r"(f) : [a] "x"(a.v), [m] "m"(g_mem[2]) : "cc");
    return f & FL_ARITH;
}

static void test_ptest(void)
{
    X ones = mk(~0ull, ~0ull), z = mk(0, 0);

    test_group("ptest");
    CHECK_EQ_NAMED("zero-zero", ptest_flags(z, z), FL_ZF | FL_CF);
    CHECK_EQ_NAMED("ones-ones", ptest_flags(ones, ones), FL_CF);
    CHECK_EQ_NAMED("zero-ones", ptest_flags(z, ones), FL_ZF);
    CHECK_EQ_NAMED("disjoint", ptest_flags(mk(0xf0, 0), mk(0x0f, 1ull << 63)), FL_ZF);
    CHECK_EQ_NAMED("subset", ptest_flags(mk(0xff, 1ull << 63), mk(0x0f, 1ull << 63)), FL_CF);
    CHECK_EQ_NAMED("neither", ptest_flags(mk(0xf0, 0), mk(0x18, 0)), 0);
    CHECK_EQ_NAMED("high-only", ptest_flags(mk(0, 2), mk(0, 3)), 0);
    for (int n = 0; n < 16; n++) {
        X a = rnd_vec(), b = rnd_vec();
        uint64_t want = (((a.q[0] & b.q[0]) | (a.q[1] & b.q[1])) ? 0 : FL_ZF) |
                        (((~a.q[0] & b.q[0]) | (~a.q[1] & b.q[1])) ? 0 : FL_CF);
        if (n & 1) {
            b.q[0] &= ~a.q[0];
            b.q[1] &= ~a.q[1];
            want = FL_ZF | ((b.q[0] | b.q[1]) ? 0 : FL_CF);
        }
        CHECK_EQ_NAMED("random", ptest_flags(a, b), want);
    }
}

/* ---- ROUNDxx ------------------------------------------------------------------ */

/* roundss/roundsd $imm (any imm8 0-15) on lane 0 of r, source s */
#define RCASE(insn, i) case i: __asm__ volatile(insn " $" #i ", %[s], %[d]" \
                                                : [d] "+x"(r->v) : [s] "x"(s.v)); break;
#define RSWITCH(insn)                                                        \
    switch (imm) {                                                           \
    RCASE(insn, 0) RCASE(insn, 1) RCASE(insn, 2) RCASE(insn, 3) RCASE(insn, 4) \
    RCASE(insn, 5) RCASE(insn, 6) RCASE(insn, 7) RCASE(insn, 8) RCASE(insn, 9) \
    RCASE(insn, 10) RCASE(insn, 11) RCASE(insn, 12) RCASE(insn, 13) RCASE(insn, 14) \
    RCASE(insn, 15)                                                          \
    }

static void do_round(int which, X *r, X s, int imm, uint32_t mx, uint32_t *fl)
{
    set_mxcsr(mx);
    switch (which) {
    case 0: RSWITCH("roundss") break;
    case 1: RSWITCH("roundps") break;
    case 2: RSWITCH("roundsd") break;
    default: RSWITCH("roundpd") break;
    }
    *fl = get_mxcsr() & 0x3f;
    set_mxcsr(MX_DEFAULT);
}

/* value; results in RN, RD, RU, RZ; flags (PE when inexact) */
static const struct { uint32_t v, r[4], fl; } round_f32[] = {
    { 0x3fc00000, { 0x40000000, 0x3f800000, 0x40000000, 0x3f800000 }, PE },  /* 1.5 */
    { 0x40200000, { 0x40000000, 0x40000000, 0x40400000, 0x40000000 }, PE },  /* 2.5 */
    { 0xbfc00000, { 0xc0000000, 0xc0000000, 0xbf800000, 0xbf800000 }, PE },  /* -1.5 */
    { 0xbf000000, { 0x80000000, 0xbf800000, 0x80000000, 0x80000000 }, PE },  /* -0.5 */
    { 0x3e99999a, { 0, 0, 0x3f800000, 0 }, PE },                              /* 0.3 */
    { 0x3f7fffff, { 0x3f800000, 0, 0x3f800000, 0 }, PE },                     /* 1 - ulp */
    { 0x4abfffff, { 0x4ac00000, 0x4abffffe, 0x4ac00000, 0x4abffffe }, PE },  /* 6291455.5 */
    { 0x80000000, { 0x80000000, 0x80000000, 0x80000000, 0x80000000 }, 0 },
    { 0x501502f9, { 0x501502f9, 0x501502f9, 0x501502f9, 0x501502f9 }, 0 },  /* 1e10 */
    { 0x00000001, { 0, 0, 0x3f800000, 0 }, PE },                              /* denormal */
    { 0x80400000, { 0x80000000, 0xbf800000, 0x80000000, 0x80000000 }, PE },
    { 0xff800000, { 0xff800000, 0xff800000, 0xff800000, 0xff800000 }, 0 },
    { 0x7fc00001, { 0x7fc00001, 0x7fc00001, 0x7fc00001, 0x7fc00001 }, 0 },
    { 0xff800001, { 0xffc00001, 0xffc00001, 0xffc00001, 0xffc00001 }, IE },  /* SNaN */
};

static const struct { uint64_t v, r[4]; uint32_t fl; } round_f64[] = {
    { 0x3ff8000000000000ull, { 0x4000000000000000ull, 0x3ff0000000000000ull,
                               0x4000000000000000ull, 0x3ff0000000000000ull }, PE },
    { 0xc004000000000000ull, { 0xc000000000000000ull, 0xc008000000000000ull,
                               0xc000000000000000ull, 0xc000000000000000ull }, PE },
    /* 2^51 + 0.5: a tie, to even */
    { 0x4320000000000001ull, { 0x4320000000000000ull, 0x4320000000000000ull,
                               0x4320000000000002ull, 0x4320000000000000ull }, PE },
    { 0x4330000000000001ull, { 0x4330000000000001ull, 0x4330000000000001ull,
                               0x4330000000000001ull, 0x4330000000000001ull }, 0 },
    { 0x8000000000000001ull, { 0x8000000000000000ull, 0xbff0000000000000ull,
                               0x8000000000000000ull, 0x8000000000000000ull }, PE },
    { 0x7ff0000000000001ull, { 0x7ff8000000000001ull, 0x7ff8000000000001ull,
                               0x7ff8000000000001ull, 0x7ff8000000000001ull }, IE },
    { 0x0000000000000000ull, { 0, 0, 0, 0 }, 0 },
};

static void test_round(void)
{
    X r, s;
    uint32_t fl;
    unsigned n32 = sizeof(round_f32) / sizeof(round_f32[0]);
    unsigned n64 = sizeof(round_f64) / sizeof(round_f64[0]);

    for (int mode = 0; mode < 4; mode++) {
        for (unsigned i = 0; i < n32; i++) {
            uint32_t want = round_f32[i].r[mode];
            s = mk4(round_f32[i].v, 1, 2, 3);
            /* imm8 rounding, MXCSR.RC another mode */
            r = mk4(0xdead, 0x11111111, 0x22222222, 0x33333333);
            do_round(0, &r, s, mode, MX_DEFAULT | RC(mode + 1), &fl);
            test_group("roundss-imm");
            CHECK_EQ_NAMED("result", r.l[0], want);
            CHECK_EQ_NAMED("lane1", r.l[1], 0x11111111);
            CHECK_EQ_NAMED("high", r.q[1], 0x3333333322222222ull);
            CHECK_EQ_NAMED("flags", fl, round_f32[i].fl);
            /* imm8[2]: MXCSR.RC */
            do_round(0, &r, s, 4, MX_DEFAULT | RC(mode), &fl);
            test_group("roundss-mxcsr");
            CHECK_EQ_NAMED("result", r.l[0], want);
            CHECK_EQ_NAMED("flags", fl, round_f32[i].fl);
            /* imm8[3]: no PE */
            do_round(0, &r, s, 12, MX_DEFAULT | RC(mode), &fl);
            test_group("roundss-nope");
            CHECK_EQ_NAMED("result", r.l[0], want);
            CHECK_EQ_NAMED("flags", fl, round_f32[i].fl & ~PE);
        }
        /* roundps: four table rows at a time */
        for (unsigned i = 0; i + 4 <= n32; i += 2) {
            s = mk4(round_f32[i].v, round_f32[i + 1].v, round_f32[i + 2].v, round_f32[i + 3].v);
            r = mk(0, 0);
            do_round(1, &r, s, 8 | mode, MX_DEFAULT, &fl);
            test_group("roundps");
            for (int k = 0; k < 4; k++) {
                CHECK_EQ_NAMED("lane", r.l[k], round_f32[i + k].r[mode]);
            }
            CHECK_EQ_NAMED("flags", fl, (round_f32[i].fl | round_f32[i + 1].fl |
                                         round_f32[i + 2].fl | round_f32[i + 3].fl) & ~PE);
        }
        for (unsigned i = 0; i < n64; i++) {
            s = mk(round_f64[i].v, 7);
            r = mk(1, 0x4444444444444444ull);
            do_round(2, &r, s, mode, MX_DEFAULT | RC(3 - mode), &fl);
            CHECK_X("roundsd", r, round_f64[i].r[mode], 0x4444444444444444ull);
            test_group("roundsd");
            CHECK_EQ_NAMED("flags", fl, round_f64[i].fl);
            if (i + 1 < n64) {
                s = mk(round_f64[i].v, round_f64[i + 1].v);
                do_round(3, &r, s, 4, MX_DEFAULT | RC(mode), &fl);
                CHECK_X("roundpd", r, round_f64[i].r[mode], round_f64[i + 1].r[mode]);
                test_group("roundpd");
                CHECK_EQ_NAMED("flags", fl, round_f64[i].fl | round_f64[i + 1].fl);
            }
        }
    }
    /* DAZ: a denormal reads as zero (no PE); FTZ changes nothing */
    s = mk4(0x00000001, 0x807fffff, 0x3fc00000, 0);
    do_round(1, &r, s, 2, MX_DEFAULT | DAZ, &fl);
    CHECK_X("roundps-daz", r, 0x8000000000000000ull, 0x40000000ull);
    test_group("roundps-daz");
    CHECK_EQ_NAMED("flags", fl, PE);
    do_round(1, &r, s, 2, MX_DEFAULT | FZ, &fl);
    CHECK_X("roundps-ftz", r, 0x800000003f800000ull, 0x40000000ull);
    /* memory sources: m32/m64 unaligned, m128 aligned */
    memcpy(g_buf + 1, &round_f32[1].v, 4);
    r = mk(0, 0);
    __asm__ volatile("roundss $2, (%[p]), %[d]" : [d] "+x"(r.v) : [p] "r"(g_buf + 1) : "memory");
    CHECK_X("roundss-mem", r, 0x40400000ull, 0);
    memcpy(g_buf + 5, &round_f64[1].v, 8);
    __asm__ volatile("roundsd $1, (%[p]), %[d]" : [d] "+x"(r.v) : [p] "r"(g_buf + 5) : "memory");
    CHECK_X("roundsd-mem", r, 0xc008000000000000ull, 0);
    g_mem[0] = mk(round_f64[0].v, round_f64[2].v);
    __asm__ volatile("roundpd $3, %[m], %[d]" : [d] "=x"(r.v) : [m] "m"(g_mem[0]));
    CHECK_X("roundpd-mem", r, 0x3ff0000000000000ull, 0x4320000000000000ull);
    set_mxcsr(MX_DEFAULT);
}

/* ---- DPPS, DPPD ----------------------------------------------------------------- */

#define F(x) ((uint32_t)(x))
static X dp_run(int pd, X a, X b, int imm, uint32_t mx, uint32_t *fl)
{
    set_mxcsr(mx);
#define DCASE(i)                                                             \
    case i:                                                                  \
        if (pd) {                                                            \
            __asm__ volatile("dppd $" #i ", %[s], %[d]" : [d] "+x"(a.v) : [s] "x"(b.v)); \
        } else {                                                             \
            __asm__ volatile("dpps $" #i ", %[s], %[d]" : [d] "+x"(a.v) : [s] "x"(b.v)); \
        }                                                                    \
        break;
    switch (imm) {
    DCASE(0xff) DCASE(0x71) DCASE(0xf1) DCASE(0xe1) DCASE(0x1f) DCASE(0x31) DCASE(0x33)
    DCASE(0x12) DCASE(0x00) DCASE(0xf0) DCASE(0x2c)
    }
#undef DCASE
    *fl = get_mxcsr() & 0x3f;
    set_mxcsr(MX_DEFAULT);
    return a;
}

#define ONES4 mk4(0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000)

static void test_dp(void)
{
    X r;
    uint32_t fl;
    X a = mk4(0x3f800000, 0x40000000, 0x40400000, 0x40800000);     /* 1 2 3 4 */
    X b = mk4(0x40a00000, 0x40c00000, 0x40e00000, 0x41000000);     /* 5 6 7 8 */

    r = dp_run(0, a, b, 0xff, MX_DEFAULT, &fl);
    CHECK_X("dpps-70", r, 0x428c0000428c0000ull, 0x428c0000428c0000ull);
    test_group("dpps-70");
    CHECK_EQ_NAMED("flags", fl, 0);
    r = dp_run(0, a, b, 0x71, MX_DEFAULT, &fl);
    CHECK_X("dpps-mask", r, 0x42180000ull, 0);                     /* 5 + 12 + 21 */
    r = dp_run(0, a, b, 0xf0, MX_DEFAULT, &fl);
    CHECK_X("dpps-nolanes", r, 0, 0);
    r = dp_run(0, a, b, 0x2c, MX_DEFAULT, &fl);
    CHECK_X("dpps-one-product", r, 0, 0x4140000041400000ull);     /* 12 */

    /* the order: (p0 + p1) + (p2 + p3), each rounded */
    a = mk4(0x4b800000, 0x3f800000, 0x3f800000, 0xcb800000);      /* 2^24 1 1 -2^24 */
    r = dp_run(0, a, ONES4, 0xf1, MX_DEFAULT, &fl);
    CHECK_X("dpps-order-rn", r, 0x3f800000ull, 0);
    test_group("dpps-order-rn");
    CHECK_EQ_NAMED("flags", fl, PE);
    r = dp_run(0, a, ONES4, 0xf1, MX_DEFAULT | RC(2), &fl);
    CHECK_X("dpps-order-ru", r, 0x40400000ull, 0);
    /* -0 product and +0 masked ones: +0, or -0 rounding down */
    a = mk4(0xbf800000, 0x3f800000, 0x3f800000, 0x3f800000);
    r = dp_run(0, a, mk(0, 0), 0x1f, MX_DEFAULT, &fl);
    CHECK_X("dpps-zero-rn", r, 0, 0);
    r = dp_run(0, a, mk(0, 0), 0x1f, MX_DEFAULT | RC(1), &fl);
    CHECK_X("dpps-zero-rd", r, 0x8000000080000000ull, 0x8000000080000000ull);
    /* NaNs: each lane's sums take their operands in its own order */
    a = mk4(0x7fc00001, 0x7fc00002, 0x3f800000, 0x3f800000);
    r = dp_run(0, a, ONES4, 0xff, MX_DEFAULT, &fl);
    CHECK_X("dpps-nan-lanes", r, 0x7fc000017fc00002ull, 0x7fc000017fc00002ull);
    a = mk4(0x7fc00001, 0x7fc00002, 0x7fc00003, 0x7fc00004);
    r = dp_run(0, a, ONES4, 0xff, MX_DEFAULT, &fl);
    CHECK_X("dpps-nan-4", r, 0x7fc000017fc00002ull, 0x7fc000037fc00004ull);
    /* a masked-out SNaN product is never computed */
    a = mk4(0x7f800001, 0x3f800000, 0x40000000, 0x40400000);
    r = dp_run(0, a, ONES4, 0xe1, MX_DEFAULT, &fl);
    CHECK_X("dpps-masked-snan", r, 0x40c00000ull, 0);
    test_group("dpps-masked-snan");
    CHECK_EQ_NAMED("flags", fl, 0);
    r = dp_run(0, a, ONES4, 0xf1, MX_DEFAULT, &fl);
    CHECK_X("dpps-snan", r, 0x7fc00001ull, 0);
    test_group("dpps-snan");
    CHECK_EQ_NAMED("flags", fl, IE);
    /* overflow in the sum */
    a = mk4(0x7f000000, 0x7f000000, 0, 0);
    r = dp_run(0, a, ONES4, 0x31, MX_DEFAULT, &fl);
    CHECK_X("dpps-overflow", r, 0x7f800000ull, 0);
    test_group("dpps-overflow");
    CHECK_EQ_NAMED("flags", fl, OE | PE);
    /* a denormal product is a denormal operand of the sums; DAZ reads it as 0 */
    a = mk4(0x00800000, 0x3f800000, 0, 0);
    b = mk4(0x3f000000, 0, 0, 0);
    r = dp_run(0, a, b, 0x31, MX_DEFAULT, &fl);
    CHECK_X("dpps-denormal", r, 0x00400000ull, 0);
    test_group("dpps-denormal");
    CHECK_EQ_NAMED("flags", fl, DE);
    r = dp_run(0, a, b, 0x31, MX_DEFAULT | DAZ, &fl);
    CHECK_X("dpps-daz", r, 0, 0);                 /* the sums read it as 0 */

    /* DPPD */
    a = mk(0x3ff8000000000000ull, 0x4004000000000000ull);          /* 1.5 2.5 */
    b = mk(0x4000000000000000ull, 0x4010000000000000ull);          /* 2 4 */
    r = dp_run(1, a, b, 0x33, MX_DEFAULT, &fl);
    CHECK_X("dppd", r, 0x402a000000000000ull, 0x402a000000000000ull);
    r = dp_run(1, a, b, 0x12, MX_DEFAULT, &fl);
    CHECK_X("dppd-mask", r, 0, 0x4008000000000000ull);
    a = mk(0x7ff8000000000001ull, 0x7ff8000000000002ull);
    r = dp_run(1, a, b, 0x33, MX_DEFAULT, &fl);
    CHECK_X("dppd-nan-lanes", r, 0x7ff8000000000001ull, 0x7ff8000000000002ull);
    a = mk(0x3ff0000000000001ull, 0xbff0000000000000ull);          /* 1+ulp, -1 */
    b = mk(0x3ff0000000000001ull, 0x3ff0000000000000ull);
    r = dp_run(1, a, b, 0x31, MX_DEFAULT, &fl);
    CHECK_X("dppd-cancel", r, 0x3cc0000000000000ull, 0);           /* 2^-51, the product rounded */
    test_group("dppd-cancel");
    CHECK_EQ_NAMED("flags", fl, PE);
    g_mem[3] = b;
    __asm__ volatile("dppd $0x31, %[m], %[d]" : [d] "+x"(a.v) : [m] "m"(g_mem[3]));
    CHECK_X("dppd-mem", a, 0x3cc0000000000000ull, 0);
    set_mxcsr(MX_DEFAULT);
}

/* ---- imm8 blends, MPSADBW, INSERTPS ---------------------------------------------- */

#define I8CASE(insn, i) case i: __asm__ volatile(insn " $" #i ", %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(b.v)); break;
#define I8CASE_M(insn, i) case i: __asm__ volatile(insn " $" #i ", %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[1])); break;
#define I8CASE4(C, insn, i) C(insn, i) C(insn, i + 1) C(insn, i + 2) C(insn, i + 3)
#define I8CASE16(C, insn, i) I8CASE4(C, insn, i) I8CASE4(C, insn, i + 4) \
    I8CASE4(C, insn, i + 8) I8CASE4(C, insn, i + 12)
/* the imm8 values tried: 0x00-0x0f, 0xf0-0xff, and 0x34, 0x5a, 0x96, 0xc3, 0x69 */
#define I8SWITCH(C, insn)                                                    \
    switch (imm) {                                                           \
    I8CASE16(C, insn, 0x00) I8CASE16(C, insn, 0xf0)                          \
    C(insn, 0x34) C(insn, 0x5a) C(insn, 0x96) C(insn, 0xc3) C(insn, 0x69)   \
    }
static const uint8_t imms[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
                                0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
                                0x34, 0x5a, 0x96, 0xc3, 0x69 };

static X imm_run(int op, X r, X b, unsigned imm, bool mem)
{
    g_mem[1] = b;
    switch (op * 2 + mem) {
    case 0: I8SWITCH(I8CASE, "blendps") break;
    case 1: I8SWITCH(I8CASE_M, "blendps") break;
    case 2: I8SWITCH(I8CASE, "blendpd") break;
    case 3: I8SWITCH(I8CASE_M, "blendpd") break;
    case 4: I8SWITCH(I8CASE, "pblendw") break;
    case 5: I8SWITCH(I8CASE_M, "pblendw") break;
    case 6: I8SWITCH(I8CASE, "mpsadbw") break;
    case 7: I8SWITCH(I8CASE_M, "mpsadbw") break;
    case 8: I8SWITCH(I8CASE, "insertps") break;
    default:
        /* insertps m32: the dword at g_mem[1] */
        switch (imm) {
#define I8CASE_M32(insn, i) case i: __asm__ volatile(insn " $" #i ", %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[1].l[0])); break;
        I8CASE16(I8CASE_M32, "insertps", 0x00) I8CASE16(I8CASE_M32, "insertps", 0xf0)
        I8CASE_M32("insertps", 0x34) I8CASE_M32("insertps", 0x5a) I8CASE_M32("insertps", 0x96)
        I8CASE_M32("insertps", 0xc3) I8CASE_M32("insertps", 0x69)
#undef I8CASE_M32
        }
        break;
    }
    return r;
}

static X imm_model(int op, X a, X b, unsigned imm, bool mem)
{
    X r = a;

    switch (op) {
    case 0:
        for (int i = 0; i < 4; i++) {
            r.l[i] = (imm >> i) & 1 ? b.l[i] : a.l[i];
        }
        break;
    case 1:
        for (int i = 0; i < 2; i++) {
            r.q[i] = (imm >> i) & 1 ? b.q[i] : a.q[i];
        }
        break;
    case 2:
        for (int i = 0; i < 8; i++) {
            r.w[i] = (imm >> i) & 1 ? b.w[i] : a.w[i];
        }
        break;
    case 3:
        for (int i = 0; i < 8; i++) {
            unsigned sum = 0;
            for (int j = 0; j < 4; j++) {
                int x = a.b[((imm >> 2) & 1) * 4 + i + j], y = b.b[(imm & 3) * 4 + j];
                sum += x > y ? x - y : y - x;
            }
            r.w[i] = sum;
        }
        break;
    default:
        r.l[(imm >> 4) & 3] = mem ? b.l[0] : b.l[imm >> 6];
        for (int i = 0; i < 4; i++) {
            if ((imm >> i) & 1) {
                r.l[i] = 0;
            }
        }
        break;
    }
    return r;
}

static void test_imm_ops(void)
{
    static const char *const names[] = { "blendps", "blendpd", "pblendw", "mpsadbw", "insertps" };
    static const char *const mnames[] = { "blendps-mem", "blendpd-mem", "pblendw-mem",
                                          "mpsadbw-mem", "insertps-mem" };

    for (int op = 0; op < 5; op++) {
        for (unsigned k = 0; k < sizeof(imms); k++) {
            for (int mem = 0; mem < 2; mem++) {
                X a = rnd_vec(), b = rnd_vec();
                X r = imm_run(op, a, b, imms[k], mem), e = imm_model(op, a, b, imms[k], mem);
                CHECK_X(mem ? mnames[op] : names[op], r, e.q[0], e.q[1]);
            }
        }
    }
    /* mpsadbw: the largest sums */
    {
        X r = mk(~0ull, ~0ull), b = mk(0, 0);
        __asm__ volatile("mpsadbw $5, %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(b.v));
        CHECK_X("mpsadbw-max", r, 0x03fc03fc03fc03fcull, 0x03fc03fc03fc03fcull);
    }
}

/* ---- lane moves ------------------------------------------------------------------- */

static void test_extract_insert(void)
{
    X a = mk(0x8877665544332211ull, 0xfffeeddccbbaa998ull), r;
    uint64_t g;
    uint32_t g32;

    /* to registers: zero-extended to 64 bits */
    g = ~0ull;
    __asm__ volatile("pextrb $15, %[s], %k[g]" : [g] "+r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("pextrb", g, 0xff);
    g = ~0ull;
    __asm__ volatile("pextrb $17, %[s], %k[g]" : [g] "+r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("pextrb-wrap", g, 0x22);                      /* 17 & 15 = 1 */
    g = ~0ull;
    __asm__ volatile("movdqa %[s], %%xmm9\n\tmov $-1, %%r10\n\tpextrb $7, %%xmm9, %%r10d\n\t"
                     "mov %%r10, %[g]" : [g] "=r"(g) : [s] "x"(a.v) : "xmm9", "r10");
    CHECK_EQ_NAMED("pextrb-rex", g, 0x88);
    /* pextrw, the 0F 3A 15 form (66 0F 3A 15 C8 05: eax, xmm1, 5) */
    g = ~0ull;
    __asm__ volatile("movdqa %[s], %%xmm1\n\t.byte 0x66, 0x0f, 0x3a, 0x15, 0xc8, 0x05"
                     : "+a"(g) : [s] "x"(a.v) : "xmm1");
    CHECK_EQ_NAMED("pextrw-3a", g, 0xcbba);
    g = ~0ull;
    __asm__ volatile("pextrd $3, %[s], %k[g]" : [g] "+r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("pextrd", g, 0xfffeeddcull);
    __asm__ volatile("pextrq $1, %[s], %[g]" : [g] "=r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("pextrq", g, a.q[1]);
    g = ~0ull;
    __asm__ volatile("extractps $1, %[s], %k[g]" : [g] "+r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("extractps", g, 0x88776655ull);
    /* extractps rax, xmm1, 2 with REX.W (66 48 0F 3A 17 C8 02) */
    g = ~0ull;
    __asm__ volatile("movdqa %[s], %%xmm1\n\t.byte 0x66, 0x48, 0x0f, 0x3a, 0x17, 0xc8, 0x02"
                     : "+a"(g) : [s] "x"(a.v) : "xmm1");
    CHECK_EQ_NAMED("extractps-rexw", g, 0xcbbaa998ull);

    /* to memory: exactly the element's bytes, unaligned */
    memset(g_buf, 0x55, 32);
    __asm__ volatile("pextrb $9, %[s], 1(%[p])" : : [s] "x"(a.v), [p] "r"(g_buf) : "memory");
    __asm__ volatile("pextrw $6, %[s], 3(%[p])" : : [s] "x"(a.v), [p] "r"(g_buf) : "memory");
    __asm__ volatile("pextrd $1, %[s], 5(%[p])" : : [s] "x"(a.v), [p] "r"(g_buf) : "memory");
    __asm__ volatile("pextrq $0, %[s], 9(%[p])" : : [s] "x"(a.v), [p] "r"(g_buf) : "memory");
    __asm__ volatile("extractps $3, %[s], 17(%[p])" : : [s] "x"(a.v), [p] "r"(g_buf) : "memory");
    memcpy(&g, g_buf, 8);
    CHECK_EQ_NAMED("pextr-mem0", g, 0x776655eddc55a955ull);
    memcpy(&g, g_buf + 8, 8);
    CHECK_EQ_NAMED("pextr-mem8", g, 0x7766554433221188ull);
    memcpy(&g, g_buf + 16, 8);
    CHECK_EQ_NAMED("pextr-mem16", g, 0x555555fffeeddc88ull);

    /* pinsrb: the low byte of ESI (never DH), of memory */
    r = mk(0, 0);
    __asm__ volatile("pinsrb $5, %%esi, %[d]" : [d] "+x"(r.v) : "S"(0x12345678u));
    CHECK_X("pinsrb-esi", r, 0x0000780000000000ull, 0);
    __asm__ volatile("pinsrb $31, %%edi, %[d]" : [d] "+x"(r.v) : "D"(0xabcdu));
    CHECK_X("pinsrb-wrap", r, 0x0000780000000000ull, 0xcd00000000000000ull);
    g_buf[7] = 0x99;
    __asm__ volatile("pinsrb $0, 7(%[p]), %[d]" : [d] "+x"(r.v) : [p] "r"(g_buf) : "memory");
    CHECK_X("pinsrb-mem", r, 0x0000780000000099ull, 0xcd00000000000000ull);
    __asm__ volatile("pinsrd $2, %k[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0xffffffff01020304ull));
    CHECK_X("pinsrd", r, 0x0000780000000099ull, 0xcd00000001020304ull);
    g32 = 0xa5a5a5a5;
    __asm__ volatile("pinsrd $1, %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g32));
    CHECK_X("pinsrd-mem", r, 0xa5a5a5a500000099ull, 0xcd00000001020304ull);
    __asm__ volatile("pinsrq $1, %[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0x0123456789abcdefull));
    CHECK_X("pinsrq", r, 0xa5a5a5a500000099ull, 0x0123456789abcdefull);
    memcpy(g_buf + 3, &a.q[1], 8);
    __asm__ volatile("pinsrq $0, 3(%[p]), %[d]" : [d] "+x"(r.v) : [p] "r"(g_buf) : "memory");
    CHECK_X("pinsrq-mem", r, a.q[1], 0x0123456789abcdefull);
    __asm__ volatile("movdqa %[r], %%xmm12\n\tmov $0xdeadbeef, %%r11d\n\t"
                     "pinsrd $3, %%r11d, %%xmm12\n\tmovdqa %%xmm12, %[r]"
                     : [r] "+x"(r.v) : : "xmm12", "r11");
    CHECK_X("pinsrd-rex", r, a.q[1], 0xdeadbeef89abcdefull);
}

static void test_movntdqa(void)
{
    X r;

    g_mem[2] = mk(0x0102030405060708ull, 0x1112131415161718ull);
    __asm__ volatile("movntdqa %[m], %[d]" : [d] "=x"(r.v) : [m] "m"(g_mem[2]));
    CHECK_X("movntdqa", r, g_mem[2].q[0], g_mem[2].q[1]);
}

/* ---- faults (tern only) --------------------------------------------------------------- */

#ifndef TERN_NATIVE
uint64_t sse41_misaligned;
uint32_t sse41_pe_unmasked = MX_DEFAULT & ~MX_MASK(PE);


FAULT_FN(f_movntdqa, "mov sse41_misaligned(%rip), %rax\n\tmovntdqa (%rax), %xmm0");
FAULT_FN(f_ptest, "mov sse41_misaligned(%rip), %rax\n\tptest (%rax), %xmm0");
FAULT_FN(f_dpps, "mov sse41_misaligned(%rip), %rax\n\tdpps $0xff, (%rax), %xmm0");
FAULT_FN(f_pmovzxbw, "mov sse41_misaligned(%rip), %rax\n\tpmovzxbw (%rax), %xmm0");
FAULT_FN(f_roundsd, "mov sse41_misaligned(%rip), %rax\n\troundsd $0, (%rax), %xmm0");
FAULT_FN(f_pinsrq, "mov sse41_misaligned(%rip), %rax\n\tpinsrq $1, (%rax), %xmm0");
FAULT_FN(f_pextrd, "mov sse41_misaligned(%rip), %rax\n\tpextrd $1, %xmm0, (%rax)");
/* 1.5 rounded with PE unmasked: #XM, unless imm8[3] */
FAULT_FN(f_round_pe, "ldmxcsr sse41_pe_unmasked(%rip)\n\troundss $0, %xmm1, %xmm0");
FAULT_FN(f_round_nope, "ldmxcsr sse41_pe_unmasked(%rip)\n\troundss $8, %xmm1, %xmm0");
FAULT_FN(f_no66, ".byte 0x0f, 0x38, 0x10, 0xc1");             /* pblendvb without 66 */
FAULT_FN(f_lock, ".byte 0xf0, 0x66, 0x0f, 0x38, 0x40, 0xc1"); /* lock pmulld */

static void test_faults(void)
{
    static uint8_t area[64] __attribute__((aligned(16)));
    uint32_t mx, r, mxd = MX_DEFAULT;

    idt_install();
    sse41_misaligned = (uint64_t)(uintptr_t)area + 8;
    test_group("faults");
    CHECK_EQ_NAMED("movntdqa-gp", tern_catch_fault(f_movntdqa), 13);
    CHECK_EQ_NAMED("ptest-gp", tern_catch_fault(f_ptest), 13);
    CHECK_EQ_NAMED("dpps-gp", tern_catch_fault(f_dpps), 13);
    CHECK_EQ_NAMED("pmovzxbw-m64-ok", tern_catch_fault(f_pmovzxbw), -1);
    CHECK_EQ_NAMED("roundsd-m64-ok", tern_catch_fault(f_roundsd), -1);
    CHECK_EQ_NAMED("pinsrq-m64-ok", tern_catch_fault(f_pinsrq), -1);
    CHECK_EQ_NAMED("pextrd-m32-ok", tern_catch_fault(f_pextrd), -1);
    __asm__ volatile("movd %0, %%xmm1\n\tpxor %%xmm0, %%xmm0" : : "r"(0x3fc00000u) : "xmm0", "xmm1");
    CHECK_EQ_NAMED("round-pe-xm", tern_catch_fault(f_round_pe), 19);
    __asm__ volatile("stmxcsr %0\n\tmovd %%xmm0, %1\n\tldmxcsr %2" : "=m"(mx), "=r"(r) : "m"(mxd));
    CHECK_EQ_NAMED("round-pe-flags", mx & 0x3f, PE);
    CHECK_EQ_NAMED("round-pe-dest", r, 0);
    CHECK_EQ_NAMED("round-nope-ok", tern_catch_fault(f_round_nope), -1);
    __asm__ volatile("stmxcsr %0\n\tmovd %%xmm0, %1\n\tldmxcsr %2" : "=m"(mx), "=r"(r) : "m"(mxd));
    CHECK_EQ_NAMED("round-nope-flags", mx & 0x3f, 0);
    CHECK_EQ_NAMED("round-nope-dest", r, 0x40000000);
    CHECK_EQ_NAMED("no66-ud", tern_catch_fault(f_no66), 6);
    CHECK_EQ_NAMED("lock-ud", tern_catch_fault(f_lock), 6);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    CPUID1_REQUIRE("sse4.1", CPUID1_SSE41);
    test_int_simd();
    test_ptest();
    test_round();
    test_dp();
    test_imm_ops();
    test_extract_insert();
    test_movntdqa();
#ifndef TERN_NATIVE
    test_faults();
#endif
    test_done();
}
