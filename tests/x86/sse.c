// tern-nested: allow addss-*/* QEMU 7.2 TCG (the nested CPU)'s softfloat: denormal (DE) and SNaN results differ
// tern-nested: allow *comiss/mxcsr QEMU 7.2 TCG (the nested CPU) sets COMISS/UCOMISS MXCSR flags differently
// tern-native-amd: allow fxsave/mxcsr-mask AMD's MXCSR_MASK is 0x2ffff: bit 17 is its MM (misaligned exception mask), which Intel lacks
/*
 * sse.c: SSE, SSE2, SSE3 and SSSE3 instructions: moves (aligned,
 * unaligned, scalar merge vs load, low/high halves, GPR <-> XMM, masks),
 * logic, integer SIMD (each operation against a scalar C model over
 * varied vectors), float arithmetic, compares and conversions with their
 * MXCSR flags in each rounding mode and with FTZ/DAZ, LDMXCSR/STMXCSR and
 * FXSAVE/FXRSTOR.
 *
 * Built with -msse2 -fno-tree-vectorize so that the C models (simd.h)
 * stay scalar; the instructions under test are inline asm.  Faults:
 * sse-faults.c.
 */
#include "simd.h"

/* r = insn(src, r) with MXCSR mx; flags after in *fl */
#define XOP(insn, r, src, mx, fl)                                            \
    do {                                                                     \
        set_mxcsr(mx);                                                       \
        __asm__ volatile(insn " %[s], %[d]" : [d] "+x"((r).v) : [s] "x"((src).v)); \
        *(fl) = get_mxcsr() & 0x3f;                                          \
        set_mxcsr(MX_DEFAULT);                                               \
    } while (0)

static X g_mem[4] __attribute__((aligned(16)));

/* ---- moves ------------------------------------------------------------- */

static void test_moves(void)
{
    X a = mk(0x1111111122222222ull, 0x3333333344444444ull), r;
    uint8_t buf[48] __attribute__((aligned(16)));
    uint64_t g;

    g_mem[0] = a;
    __asm__ volatile("movaps %[m], %[d]" : [d] "=x"(r.v) : [m] "m"(g_mem[0]));
    CHECK_X("movaps-load", r, a.q[0], a.q[1]);
    __asm__ volatile("movdqa %[s], %[m]" : [m] "=m"(g_mem[1]) : [s] "x"(a.v));
    CHECK_X("movdqa-store", g_mem[1], a.q[0], a.q[1]);
    memset(buf, 0, sizeof(buf));
    __asm__ volatile("movdqu %[s], 3(%[p])" : : [s] "x"(a.v), [p] "r"(buf) : "memory");
    __asm__ volatile("movups 3(%[p]), %[d]" : [d] "=x"(r.v) : [p] "r"(buf) : "memory");
    CHECK_X("movups-unaligned", r, a.q[0], a.q[1]);
    CHECK_EQ_NAMED("movdqu-bytes", buf[3] | buf[18] << 8 | buf[19] << 16, 0x3322);

    /* movss/movsd: load zero-extends, register form merges */
    r = mk(~0ull, ~0ull);
    g_mem[2] = mk(0x00000000abcdef01ull, 0x5555555555555555ull);
    __asm__ volatile("movss %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[2].l[0]));
    CHECK_X("movss-load", r, 0xabcdef01ull, 0);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movss %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(a.v));
    CHECK_X("movss-reg", r, 0xffffffff22222222ull, ~0ull);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movsd %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[2].q[0]));
    CHECK_X("movsd-load", r, 0xabcdef01ull, 0);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movsd %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(a.v));
    CHECK_X("movsd-reg", r, a.q[0], ~0ull);
    g = 0;
    __asm__ volatile("movss %[s], %[m]" : [m] "+m"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("movss-store", g, 0x22222222);

    /* halves */
    r = mk(1, 2);
    __asm__ volatile("movlps %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[0].q[1]));
    CHECK_X("movlps", r, a.q[1], 2);
    r = mk(1, 2);
    __asm__ volatile("movhpd %[m], %[d]" : [d] "+x"(r.v) : [m] "m"(g_mem[0].q[0]));
    CHECK_X("movhpd", r, 1, a.q[0]);
    r = mk(1, 2);
    __asm__ volatile("movhlps %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(a.v));
    CHECK_X("movhlps", r, a.q[1], 2);
    r = mk(1, 2);
    __asm__ volatile("movlhps %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(a.v));
    CHECK_X("movlhps", r, 1, a.q[0]);
    g = 0;
    __asm__ volatile("movhps %[s], %[m]" : [m] "=m"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("movhps-store", g, a.q[1]);

    /* GPR <-> XMM */
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movd %k[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0xffffffff87654321ull));
    CHECK_X("movd-load", r, 0x87654321ull, 0);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movq %[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0xfedcba9876543210ull));
    CHECK_X("movq-load", r, 0xfedcba9876543210ull, 0);
    g = ~0ull;
    __asm__ volatile("movd %[s], %k[g]" : [g] "+r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("movd-store", g, 0x22222222);
    __asm__ volatile("movq %[s], %[g]" : [g] "=r"(g) : [s] "x"(a.v));
    CHECK_EQ_NAMED("movq-store", g, a.q[0]);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("movq %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(a.v));
    CHECK_X("movq-xmm", r, a.q[0], 0);

    /* masks */
    r = mk4(0x80000000, 0x80000001, 0xffffffff, 0x7fffffff);
    __asm__ volatile("movmskps %[s], %k[g]" : [g] "=r"(g) : [s] "x"(r.v));
    CHECK_EQ_NAMED("movmskps", g, 7);
    __asm__ volatile("movmskpd %[s], %k[g]" : [g] "=r"(g) : [s] "x"(r.v));
    CHECK_EQ_NAMED("movmskpd", g, 1);
    r = mk(0x8000000000800080ull, 0xff00000000000001ull);
    __asm__ volatile("pmovmskb %[s], %k[g]" : [g] "=r"(g) : [s] "x"(r.v));
    CHECK_EQ_NAMED("pmovmskb", g, 0x8000 | 0x80 | 0x04 | 0x01);

    /* pinsrw / pextrw */
    r = mk(0, 0);
    __asm__ volatile("pinsrw $5, %k[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0x12345678));
    CHECK_X("pinsrw", r, 0, 0x5678ull << 16);
    __asm__ volatile("pextrw $5, %[s], %k[g]" : [g] "=r"(g) : [s] "x"(r.v));
    CHECK_EQ_NAMED("pextrw", g, 0x5678);

    /* maskmovdqu: the bytes with mask bit 7 set, to [rdi] */
    memset(buf, 0x11, 16);
    r = mk(0x8000ff7f00800001ull, 0x80ull << 56);
    __asm__ volatile("maskmovdqu %[m], %[s]" : : [s] "x"(a.v), [m] "x"(r.v), "D"(buf) : "memory");
    memcpy(&g, buf, 8);
    CHECK_EQ_NAMED("maskmovdqu-lo", g, 0x1111111111221111ull);
    memcpy(&g, buf + 8, 8);
    CHECK_EQ_NAMED("maskmovdqu-hi", g, 0x3311111111111111ull);
    /* non-temporal stores are plain stores */
    __asm__ volatile("movntdq %[s], %[m]" : [m] "=m"(g_mem[3]) : [s] "x"(a.v));
    CHECK_X("movntdq", g_mem[3], a.q[0], a.q[1]);
    __asm__ volatile("movnti %[g], %[m]" : [m] "=m"(g) : [g] "r"(0x1234ull));
    CHECK_EQ_NAMED("movnti", g, 0x1234);
}

/* ---- integer SIMD against a C model -------------------------------------- */

/* SIMD_INT_OPS, and the XMM-only forms */
#define IOPS(X_)                                                             \
    SIMD_INT_OPS(X_)                                                         \
    X_("andps", m_pand) X_("andnpd", m_pandn) X_("orps", m_por) X_("xorpd", m_pxor) \
    X_("punpcklqdq", m_punpcklqdq) X_("punpckhqdq", m_punpckhqdq)            \
    X_("unpcklps", m_punpckldq) X_("unpckhpd", m_punpckhqdq)

static void test_int_simd(void)
{
    for (int n = 0; n < 24; n++) {
        X a = rnd_vec(), b = rnd_vec();
#define RUN_BOTH(insn, model) RUN_IOP(insn, model, a, b); RUN_IOP_MEM(insn, model, a, b, g_mem[0]);
        IOPS(RUN_BOTH)
#undef RUN_BOTH
    }
}

static void test_shifts(void)
{
    static const uint64_t counts[] = { 0, 1, 7, 15, 16, 31, 32, 63, 64, 1000 };

    for (unsigned n = 0; n < sizeof(counts) / sizeof(counts[0]); n++) {
        X a = rnd_vec(), c = mk(counts[n], 0x5555);
#define SH(insn, model) RUN_IOP(insn, model, a, c);
        SH("psllw", m_psllw) SH("pslld", m_pslld) SH("psllq", m_psllq)
        SH("psrlw", m_psrlw) SH("psrld", m_psrld) SH("psrlq", m_psrlq)
        SH("psraw", m_psraw) SH("psrad", m_psrad)
#undef SH
    }
    /* by immediate, and the whole-register byte shifts */
    {
        X a = mk(0x8000700060005000ull, 0xf00000000000000full), r;
        r = a;
        __asm__ volatile("psraw $4, %[d]" : [d] "+x"(r.v));
        CHECK_X("psraw-imm", r, 0xf800070006000500ull, 0xff00000000000000ull);
        r = a;
        __asm__ volatile("psrlq $60, %[d]" : [d] "+x"(r.v));
        CHECK_X("psrlq-imm", r, 8, 15);
        r = a;
        __asm__ volatile("pslld $33, %[d]" : [d] "+x"(r.v));
        CHECK_X("pslld-imm-big", r, 0, 0);
        r = a;
        __asm__ volatile("pslldq $3, %[d]" : [d] "+x"(r.v));
        CHECK_X("pslldq", r, 0x0060005000000000ull, 0x000000000f800070ull);
        r = a;
        __asm__ volatile("psrldq $9, %[d]" : [d] "+x"(r.v));
        CHECK_X("psrldq", r, 0x00f0000000000000ull, 0);
        r = a;
        __asm__ volatile("psrldq $16, %[d]" : [d] "+x"(r.v));
        CHECK_X("psrldq-16", r, 0, 0);
    }
}

static void test_shuffles(void)
{
    X a = mk4(0x00010000, 0x00030002, 0x00050004, 0x00070006);
    X b = mk4(0xa0a0a0a0, 0xb1b1b1b1, 0xc2c2c2c2, 0xd3d3d3d3), r;

    __asm__ volatile("pshufd $0x1b, %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(a.v));
    CHECK_X("pshufd", r, 0x0005000400070006ull, 0x0001000000030002ull);
    __asm__ volatile("pshufhw $0x1b, %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(a.v));
    CHECK_X("pshufhw", r, a.q[0], 0x0004000500060007ull);
    __asm__ volatile("pshuflw $0x00, %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(a.v));
    CHECK_X("pshuflw", r, 0, a.q[1]);
    r = a;
    __asm__ volatile("shufps $0xe4, %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(b.v));
    CHECK_X("shufps", r, a.q[0], b.q[1]);
    r = a;
    __asm__ volatile("shufpd $1, %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(b.v));
    CHECK_X("shufpd", r, a.q[1], b.q[0]);
    r = a;
    __asm__ volatile("palignr $4, %[s], %[d]" : [d] "+x"(r.v) : [s] "x"(b.v));
    CHECK_X("palignr", r, 0xc2c2c2c2b1b1b1b1ull, 0x00010000d3d3d3d3ull);
    __asm__ volatile("movshdup %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(b.v));
    CHECK_X("movshdup", r, 0xb1b1b1b1b1b1b1b1ull, 0xd3d3d3d3d3d3d3d3ull);
    __asm__ volatile("movsldup %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(b.v));
    CHECK_X("movsldup", r, 0xa0a0a0a0a0a0a0a0ull, 0xc2c2c2c2c2c2c2c2ull);
    __asm__ volatile("movddup %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(b.v));
    CHECK_X("movddup", r, b.q[0], b.q[0]);
}

/* ---- floating point ------------------------------------------------------- */

#define F1   0x3f800000u      /* 1.0f */
#define F2   0x40000000u
#define F3   0x40400000u
#define FQNAN 0x7fc00000u
#define FSNAN 0x7f800001u
#define FDEN 0x00000001u      /* smallest denormal */
#define D1   0x3ff0000000000000ull
#define D3   0x4008000000000000ull

/* A scalar single op: returns lane 0, flags in *fl */
static uint32_t ss_op(int op, uint32_t a, uint32_t b, uint32_t mx, uint32_t *fl)
{
    X r = mk4(a, 0xdead, 0xbeef, 0xf00d), s = mk4(b, 1, 2, 3);

    switch (op) {
    case 0: XOP("addss", r, s, mx, fl); break;
    case 1: XOP("subss", r, s, mx, fl); break;
    case 2: XOP("mulss", r, s, mx, fl); break;
    case 3: XOP("divss", r, s, mx, fl); break;
    case 4: XOP("sqrtss", r, s, mx, fl); break;
    case 5: XOP("minss", r, s, mx, fl); break;
    default: XOP("maxss", r, s, mx, fl); break;
    }
    /* the upper lanes are kept */
    CHECK_EQ_NAMED("upper-lanes", r.l[1] | (uint64_t)r.l[3] << 32, 0xf00d0000deadull);
    return r.l[0];
}

#define SS(name, op, a, b, mx, res, flags)                                   \
    do {                                                                     \
        uint32_t fl_, r_;                                                    \
        test_group(name);                                                    \
        r_ = ss_op(op, a, b, mx, &fl_);                                      \
        CHECK_EQ_NAMED("result", r_, res);                                   \
        CHECK_EQ_NAMED("flags", fl_, flags);                                 \
    } while (0)

static void test_float_scalar(void)
{
    uint32_t third = 0x3eaaaaaa;   /* 1/3 truncated */

    SS("addss", 0, F1, F2, MX_DEFAULT, F3, 0);
    SS("subss-zero", 1, F1, F1, MX_DEFAULT, 0, 0);
    SS("subss-zero-rd", 1, F1, F1, MX_DEFAULT | RC(1), 0x80000000u, 0);
    SS("divss-rne", 3, F1, F3, MX_DEFAULT, third + 1, PE);
    SS("divss-rd", 3, F1, F3, MX_DEFAULT | RC(1), third, PE);
    SS("divss-ru", 3, F1, F3, MX_DEFAULT | RC(2), third + 1, PE);
    SS("divss-rz", 3, F1, F3, MX_DEFAULT | RC(3), third, PE);
    SS("divss-zero", 3, F1, 0, MX_DEFAULT, 0x7f800000u, ZE);
    SS("divss-0/0", 3, 0, 0, MX_DEFAULT, 0xffc00000u, IE);
    SS("mulss-overflow", 2, 0x7f000000u, F2 + 0x800000u, MX_DEFAULT, 0x7f800000u, OE | PE);
    SS("mulss-overflow-rz", 2, 0x7f000000u, F2 + 0x800000u, MX_DEFAULT | RC(3), 0x7f7fffffu,
       OE | PE);
    SS("mulss-underflow", 2, 0x00800001u, 0x3f000000u, MX_DEFAULT, 0x00400000u, UE | PE);
    SS("mulss-ftz", 2, 0x00800001u, 0x3f000000u, MX_DEFAULT | FZ, 0, UE | PE);
    SS("addss-denormal", 0, FDEN, 0, MX_DEFAULT, FDEN, DE);
    SS("addss-daz", 0, FDEN, 0, MX_DEFAULT | DAZ, 0, 0);
    SS("addss-qnan", 0, F1, FQNAN | 5, MX_DEFAULT, FQNAN | 5, 0);
    SS("addss-snan", 0, FSNAN, FQNAN | 5, MX_DEFAULT, FQNAN | 1, IE);
    SS("addss-inf-inf", 1, 0x7f800000u, 0x7f800000u, MX_DEFAULT, 0xffc00000u, IE);
    SS("sqrtss", 4, 0, F2, MX_DEFAULT, 0x3fb504f3u, PE);
    SS("sqrtss-neg", 4, 0, 0xbf800000u, MX_DEFAULT, 0xffc00000u, IE);
    /* min/max: the second operand on NaN (IE even for QNaN) and equal zeros */
    SS("minss", 5, F1, F2, MX_DEFAULT, F1, 0);
    SS("minss-nan", 5, FQNAN, F2, MX_DEFAULT, F2, IE);
    SS("minss-nan2", 5, F1, FQNAN, MX_DEFAULT, FQNAN, IE);
    SS("minss-zeros", 5, 0x80000000u, 0, MX_DEFAULT, 0, 0);
    SS("maxss-zeros", 6, 0, 0x80000000u, MX_DEFAULT, 0x80000000u, 0);
    SS("maxss", 6, F1, F2, MX_DEFAULT, F2, 0);
}

static void test_float_packed(void)
{
    X a = mk4(F1, F2, 0xc0000000u, FQNAN), b = mk4(F2, F2, F1, F1), r;
    uint32_t fl;

    r = a;
    XOP("addps", r, b, MX_DEFAULT, &fl);
    CHECK_X("addps", r, (uint64_t)0x40800000 << 32 | F3, (uint64_t)FQNAN << 32 | 0xbf800000u);
    r = a;
    XOP("cmpltps", r, b, MX_DEFAULT, &fl);
    CHECK_X("cmpltps", r, 0xffffffffull, 0xffffffffull);
    CHECK_EQ_NAMED("cmpltps-flags", fl, IE);
    r = a;
    XOP("cmpeqps", r, b, MX_DEFAULT, &fl);
    CHECK_X("cmpeqps", r, 0xffffffff00000000ull, 0);
    CHECK_EQ_NAMED("cmpeqps-flags", fl, 0);
    r = a;
    XOP("cmpunordps", r, b, MX_DEFAULT, &fl);
    CHECK_X("cmpunordps", r, 0, 0xffffffff00000000ull);
    r = a;
    XOP("cmpnleps", r, b, MX_DEFAULT, &fl);
    CHECK_X("cmpnleps", r, 0, 0xffffffff00000000ull);

    /* doubles */
    r = mk(D1, D3);
    XOP("mulpd", r, mk(D3, D3), MX_DEFAULT, &fl);
    CHECK_X("mulpd", r, D3, 0x4022000000000000ull);
    r = mk(D1, D3);
    XOP("divsd", r, mk(D3, 0), MX_DEFAULT, &fl);
    CHECK_X("divsd", r, 0x3fd5555555555555ull, D3);
    CHECK_EQ_NAMED("divsd-flags", fl, PE);
    r = mk(D1, 0xbff0000000000000ull);
    XOP("maxpd", r, mk(0, 0), MX_DEFAULT, &fl);
    CHECK_X("maxpd", r, D1, 0);
    r = mk(D1, D3);
    XOP("haddpd", r, mk(D1, D1), MX_DEFAULT, &fl);
    CHECK_X("haddpd", r, 0x4010000000000000ull, 0x4000000000000000ull);
    r = mk4(F3, F3, F3, F3);
    XOP("addsubps", r, mk4(F1, F1, F1, F1), MX_DEFAULT, &fl);
    CHECK_X("addsubps", r, (uint64_t)0x40800000 << 32 | F2, (uint64_t)0x40800000 << 32 | F2);
    r = a;
    XOP("hsubps", r, b, MX_DEFAULT, &fl);
    CHECK_X("hsubps", r, (uint64_t)FQNAN << 32 | 0xbf800000u, 0);

    /* rcp/rsqrt: only within Intel's documented error (1.5 * 2^-12) */
    r = mk4(0, 0, 0, 0);
    XOP("rcpps", r, mk4(F2, 0x40800000u, F1, 0), MX_DEFAULT, &fl);
    CHECK_NAMED("rcpps-0.5", r.l[0] >= 0x3efff000u && r.l[0] <= 0x3f000800u);
    CHECK_NAMED("rcpps-inf", r.l[3] == 0x7f800000u);
    XOP("rsqrtss", r, mk4(0x40800000u, 0, 0, 0), MX_DEFAULT, &fl);
    CHECK_NAMED("rsqrtss-0.5", r.l[0] >= 0x3efff000u && r.l[0] <= 0x3f000800u);
}

static void test_comi(void)
{
    static const struct { uint32_t a, b; uint64_t fl; uint32_t mx_comi, mx_ucomi; } t[] = {
        { F1, F2, FL_CF, 0, 0 },
        { F2, F1, 0, 0, 0 },
        { F2, F2, FL_ZF, 0, 0 },
        { FQNAN, F1, FL_ZF | FL_PF | FL_CF, IE, 0 },
        { F1, FSNAN, FL_ZF | FL_PF | FL_CF, IE, IE },
        { FDEN, 0, 0, DE, DE },
    };

    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        X a = mk4(t[i].a, 0, 0, 0), b = mk4(t[i].b, 0, 0, 0);
        uint64_t f1, f2;

        set_mxcsr(MX_DEFAULT);
        __asm__ volatile("comiss %[b], %[a]\n\tpushf\n\tpop %[f]"
                         : [f] "=r"(f1) : [a] "x"(a.v), [b] "x"(b.v) : "cc");
        test_group("comiss");
        CHECK_EQ_NAMED("eflags", f1 & FL_ARITH, t[i].fl);
        CHECK_EQ_NAMED("mxcsr", get_mxcsr() & 0x3f, t[i].mx_comi);
        set_mxcsr(MX_DEFAULT);
        __asm__ volatile("ucomiss %[b], %[a]\n\tpushf\n\tpop %[f]"
                         : [f] "=r"(f2) : [a] "x"(a.v), [b] "x"(b.v) : "cc");
        test_group("ucomiss");
        CHECK_EQ_NAMED("eflags", f2 & FL_ARITH, t[i].fl);
        CHECK_EQ_NAMED("mxcsr", get_mxcsr() & 0x3f, t[i].mx_ucomi);
    }
    {
        X a = mk(D1, 0), b = mk(D3, 0);
        uint64_t f;
        __asm__ volatile("comisd %[b], %[a]\n\tpushf\n\tpop %[f]"
                         : [f] "=r"(f) : [a] "x"(a.v), [b] "x"(b.v) : "cc");
        test_group("comisd");
        CHECK_EQ_NAMED("eflags", f & FL_ARITH, FL_CF);
    }
    set_mxcsr(MX_DEFAULT);
}

/* ---- conversions ----------------------------------------------------------- */

static void test_convert(void)
{
    X r, s;
    uint64_t g;
    uint32_t fl;

    /* float -> int in each rounding mode: 2.5f and -2.5f */
    static const struct { uint32_t rc; int32_t pos, neg; } modes[] = {
        { 0, 2, -2 }, { 1, 2, -3 }, { 2, 3, -2 }, { 3, 2, -2 },
    };
    for (unsigned i = 0; i < 4; i++) {
        s = mk4(0x40200000u, 0, 0, 0);
        set_mxcsr(MX_DEFAULT | RC(modes[i].rc));
        __asm__ volatile("cvtss2si %[s], %k[g]" : [g] "=r"(g) : [s] "x"(s.v));
        test_group("cvtss2si-rc");
        CHECK_EQ_NAMED("pos", (int32_t)g, modes[i].pos);
        s = mk4(0xc0200000u, 0, 0, 0);
        __asm__ volatile("cvtss2si %[s], %k[g]" : [g] "=r"(g) : [s] "x"(s.v));
        CHECK_EQ_NAMED("neg", (int32_t)g, modes[i].neg);
        CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, PE);
        __asm__ volatile("cvttss2si %[s], %k[g]" : [g] "=r"(g) : [s] "x"(s.v));
        CHECK_EQ_NAMED("trunc", (int32_t)g, -2);
    }
    set_mxcsr(MX_DEFAULT);
    s = mk4(0x4f400000u, 0, 0, 0);              /* 3 * 2^30: out of int32 range */
    __asm__ volatile("cvtss2si %[s], %k[g]" : [g] "=r"(g) : [s] "x"(s.v));
    test_group("cvtss2si-range");
    CHECK_EQ_NAMED("indefinite", g, 0x80000000u);
    CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, IE);
    __asm__ volatile("cvtss2si %[s], %q[g]" : [g] "=r"(g) : [s] "x"(s.v));
    CHECK_EQ_NAMED("64-bit", g, 0xc0000000ull);
    set_mxcsr(MX_DEFAULT);
    s = mk(0x43e0000000000000ull, 0);            /* 2^63 */
    __asm__ volatile("cvttsd2si %[s], %q[g]" : [g] "=r"(g) : [s] "x"(s.v));
    test_group("cvttsd2si-range");
    CHECK_EQ_NAMED("indefinite", g, 0x8000000000000000ull);
    CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, IE);
    set_mxcsr(MX_DEFAULT);

    /* int -> float */
    r = mk(~0ull, ~0ull);
    __asm__ volatile("cvtsi2ss %k[g], %[d]" : [d] "+x"(r.v) : [g] "r"(-3));
    CHECK_X("cvtsi2ss", r, 0xffffffffc0400000ull, ~0ull);
    r = mk(~0ull, ~0ull);
    __asm__ volatile("cvtsi2sdq %[g], %[d]" : [d] "+x"(r.v) : [g] "r"(0x7fffffffffffffffll));
    CHECK_X("cvtsi2sdq", r, 0x43e0000000000000ull, ~0ull);
    CHECK_EQ_NAMED("cvtsi2sdq-flags", get_mxcsr() & 0x3f, PE);
    set_mxcsr(MX_DEFAULT);

    /* float <-> float */
    r = mk(~0ull, ~0ull);
    XOP("cvtss2sd", r, mk4(0xc0200000u, 0, 0, 0), MX_DEFAULT, &fl);
    CHECK_X("cvtss2sd", r, 0xc004000000000000ull, ~0ull);
    r = mk(~0ull, ~0ull);
    XOP("cvtsd2ss", r, mk(0x3fd5555555555555ull, 0), MX_DEFAULT, &fl);
    CHECK_X("cvtsd2ss", r, 0xffffffff3eaaaaabull, ~0ull);
    CHECK_EQ_NAMED("cvtsd2ss-flags", fl, PE);
    r = mk(~0ull, ~0ull);
    XOP("cvtps2pd", r, mk4(F1, 0xffc00001u, 0, 0), MX_DEFAULT, &fl);
    CHECK_X("cvtps2pd", r, D1, 0xfff8000020000000ull);
    r = mk(~0ull, ~0ull);
    XOP("cvtpd2ps", r, mk(D1, D3), MX_DEFAULT, &fl);
    CHECK_X("cvtpd2ps", r, (uint64_t)0x40400000 << 32 | F1, 0);
    r = mk(~0ull, ~0ull);
    XOP("cvtdq2ps", r, mk4(1, (uint32_t)-2, 16777217, 0x80000000u), MX_DEFAULT, &fl);
    CHECK_X("cvtdq2ps", r, (uint64_t)0xc0000000u << 32 | F1, (uint64_t)0xcf000000u << 32 | 0x4b800000u);
    CHECK_EQ_NAMED("cvtdq2ps-flags", fl, PE);
    r = mk(~0ull, ~0ull);
    XOP("cvtps2dq", r, mk4(0x3fc00000u, 0x40200000u, 0xbfc00000u, 0x7f800000u), MX_DEFAULT, &fl);
    CHECK_X("cvtps2dq", r, 0x0000000200000002ull, 0x80000000fffffffeull);
    CHECK_EQ_NAMED("cvtps2dq-flags", fl, IE | PE);
    r = mk(~0ull, ~0ull);
    XOP("cvttps2dq", r, mk4(0x3fc00000u, 0x40200000u, 0xbfc00000u, 0), MX_DEFAULT, &fl);
    CHECK_X("cvttps2dq", r, 0x0000000200000001ull, 0x00000000ffffffffull);
    r = mk(~0ull, ~0ull);
    XOP("cvtdq2pd", r, mk4((uint32_t)-1, 3, 7, 7), MX_DEFAULT, &fl);
    CHECK_X("cvtdq2pd", r, 0xbff0000000000000ull, D3);
    r = mk(~0ull, ~0ull);
    XOP("cvtpd2dq", r, mk(0x4004000000000000ull, 0xc004000000000000ull), MX_DEFAULT, &fl);
    CHECK_X("cvtpd2dq", r, 0xfffffffe00000002ull, 0);
    r = mk(~0ull, ~0ull);
    XOP("cvttpd2dq", r, mk(0x4004000000000000ull, 0xc004000000000000ull), MX_DEFAULT, &fl);
    CHECK_X("cvttpd2dq", r, 0xfffffffe00000002ull, 0);
}

/* ---- MXCSR, FXSAVE/FXRSTOR --------------------------------------------------- */

static uint8_t fx_area[512] __attribute__((aligned(16)));

static void test_state(void)
{
    uint32_t m;
    X a = mk(0x0123456789abcdefull, 0xfedcba9876543210ull), r;

    set_mxcsr(0x7f80 | PE);
    test_group("mxcsr");
    CHECK_EQ_NAMED("stmxcsr", get_mxcsr(), 0x7f80 | PE);
    set_mxcsr(MX_DEFAULT);
    CHECK_EQ_NAMED("default", get_mxcsr(), MX_DEFAULT);

    /* fxsave: MXCSR, MXCSR_MASK and xmm1 at their offsets */
    set_mxcsr(MX_DEFAULT | RC(2));
    __asm__ volatile("movdqa %[a], %%xmm1\n\tfxsave64 %[m]"
                     : [m] "=m"(fx_area) : [a] "x"(a.v) : "xmm1");
    set_mxcsr(MX_DEFAULT);
    memcpy(&m, fx_area + 24, 4);
    test_group("fxsave");
    CHECK_EQ_NAMED("mxcsr", m, MX_DEFAULT | RC(2));
    memcpy(&m, fx_area + 28, 4);
    CHECK_EQ_NAMED("mxcsr-mask", m, 0xffff);
    memcpy(&r, fx_area + 160 + 16, 16);
    CHECK_X("fxsave-xmm1", r, a.q[0], a.q[1]);

    /* fxrstor: change xmm1 and MXCSR in the image, restore, read back */
    r = mk(0x1111, 0x2222);
    memcpy(fx_area + 160 + 16, &r, 16);
    m = MX_DEFAULT | FZ;
    memcpy(fx_area + 24, &m, 4);
    __asm__ volatile("fxrstor64 %[m]\n\tmovdqa %%xmm1, %[r]"
                     : [r] "=x"(r.v) : [m] "m"(fx_area) : "xmm1");
    CHECK_X("fxrstor-xmm1", r, 0x1111, 0x2222);
    test_group("fxrstor");
    CHECK_EQ_NAMED("mxcsr", get_mxcsr(), MX_DEFAULT | FZ);
    set_mxcsr(MX_DEFAULT);
}

int main(void)
{
    test_moves();
    test_int_simd();
    test_shifts();
    test_shuffles();
    test_float_scalar();
    test_float_packed();
    test_comi();
    test_convert();
    test_state();
    test_done();
}
