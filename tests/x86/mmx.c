// tern-nested: allow alias/* QEMU 7.2 TCG (the nested CPU): x87/MMX aliasing (exponent of an MMX write) differs
// tern-nested: allow cr0-* QEMU 7.2 TCG (the nested CPU) does not fault EMMS on CR0.EM/TS
// tern-nested: allow cr4-osfxsr/* QEMU 7.2 TCG (the nested CPU) does not #UD CVTPI2PS/MOVQ2DQ without CR4.OSFXSR
// tern-nested: allow cvtpi2ps-mem/* QEMU 7.2 TCG (the nested CPU): CVTPI2PS with a memory operand changes TOP and tags
// tern-nested: allow emms/* QEMU 7.2 TCG (the nested CPU): EMMS leaves TOP and the status word differently
// tern-nested: allow mf/* QEMU 7.2 TCG (the nested CPU) does not deliver a pending #MF at MMX instructions
// tern-nested: allow rex-ignored/* QEMU 7.2 TCG (the nested CPU) does not ignore REX on MMX register operands
/*
 * mmx.c: the MMX instruction forms: every integer SIMD operation on MMX
 * registers (register, memory and same-register sources) against a scalar
 * C model over random vectors with boundary lanes; shifts by register,
 * memory and imm8; palignr and pshufw over their immediates; moves between
 * MMX, general registers, memory and XMM (movd/movq with REX.W, movntq,
 * movq2dq, movdq2q), pinsrw/pextrw, pmovmskb, maskmovq; REX.R/REX.B are
 * ignored; the conversions cvtpi2ps/cvtpi2pd/cvt(t)ps2pi/cvt(t)pd2pi with
 * their MXCSR flags; and the x87 interplay: MM0-7 are the significands of
 * R0-R7, an MMX write sets the exponent word to 0xffff, the transition
 * (TOP 0, tags valid: FNSTENV's tag word), EMMS (tags empty, TOP 0 on the
 * Intel host), no transition for cvtpi2ps/cvtpi2pd from memory, and (guest
 * only) #MF for a pending x87 exception, #NM with CR0.TS, #UD with CR0.EM,
 * and without CR4.OSFXSR #UD for the forms with an XMM operand only.
 *
 * The instructions under test are inline asm with explicit registers; the
 * models are simd.h's scalar C, on 8-byte operands.  The native build
 * proves the expected values.
 */
#include "simd.h"

typedef union M {
    uint64_t q;
    uint32_t l[2];
    uint16_t w[4];
    uint8_t b[8];
} M;

/* Random vectors with boundary bytes (0, -1, min, max, 1) mixed in. */
static uint64_t rnd_mm(void)
{
    return rnd_vec_n(8).q[0];
}

/* ---- the models: r = op(a, b), a the destination, b the source ---------- */

/* simd.h's model m on 8-byte operands */
static uint64_t mm_model(Model m, uint64_t a, uint64_t b)
{
    X xa = mk(a, 0), xb = mk(b, 0), r;

    m(&r, &xa, &xb, 8);
    return r.q[0];
}

/* palignr: bytes imm.. of the 16-byte a:b (b low), zeros past the end */
static uint64_t m_palignr(uint64_t a, uint64_t b, unsigned imm)
{
    uint8_t cat[16];
    M r;

    memcpy(cat, &b, 8);
    memcpy(cat + 8, &a, 8);
    for (unsigned i = 0; i < 8; i++) {
        r.b[i] = i + imm < 16 ? cat[i + imm] : 0;
    }
    return r.q;
}

static uint64_t m_pshufw(uint64_t b_, unsigned imm)
{
    M b = { .q = b_ }, r;
    for (int i = 0; i < 4; i++) {
        r.w[i] = b.w[(imm >> (2 * i)) & 3];
    }
    return r.q;
}

/* ---- running an operation ------------------------------------------------ */

static uint64_t g_mem;

/* insn mm5, mm2 (mm2 = a, mm5 = b) */
#define RUN_REG(insn, a, b, r)                                               \
    __asm__ volatile("movq %[pa], %%mm2\n\tmovq %[pb], %%mm5\n\t"            \
                     insn " %%mm5, %%mm2\n\tmovq %%mm2, %[pr]\n\temms"       \
                     : [pr] "=m"(r) : [pa] "m"(a), [pb] "m"(b) : "mm2", "mm5")
/* insn m64, mm6 */
#define RUN_MEM(insn, a, b, r)                                               \
    do {                                                                     \
        g_mem = (b);                                                         \
        __asm__ volatile("movq %[pa], %%mm6\n\t" insn " %[m], %%mm6\n\t"     \
                         "movq %%mm6, %[pr]\n\temms"                         \
                         : [pr] "=m"(r) : [pa] "m"(a), [m] "m"(g_mem) : "mm6"); \
    } while (0)
/* insn mm7, mm7 */
#define RUN_SAME(insn, a, r)                                                 \
    __asm__ volatile("movq %[pa], %%mm7\n\t" insn " %%mm7, %%mm7\n\t"        \
                     "movq %%mm7, %[pr]\n\temms"                             \
                     : [pr] "=m"(r) : [pa] "m"(a) : "mm7")

#define RUN_OP(insn, model, a, b)                                            \
    do {                                                                     \
        uint64_t r_;                                                         \
        test_group(insn);                                                    \
        RUN_REG(insn, a, b, r_);                                             \
        CHECK_EQ_NAMED("reg", r_, mm_model(model, a, b));                    \
        RUN_MEM(insn, a, b, r_);                                             \
        CHECK_EQ_NAMED("mem", r_, mm_model(model, a, b));                    \
        RUN_SAME(insn, a, r_);                                               \
        CHECK_EQ_NAMED("same", r_, mm_model(model, a, a));                   \
    } while (0)

static void test_int_simd(void)
{
    static const uint64_t edges[][2] = {
        { 0, 0 }, { ~0ull, ~0ull }, { 0x8000800080008000ull, 0x8000800080008000ull },
        { 0x7fff7fff7fff7fffull, 0x8080808080808080ull },
        { 0x800000007fffffffull, 0xffffffff80000000ull },
        { 0x0123456789abcdefull, 0x0f0e0d0c8b8a8988ull },
    };

    for (unsigned n = 0; n < sizeof(edges) / sizeof(edges[0]) + 14; n++) {
        uint64_t a = n < 6 ? edges[n][0] : rnd_mm(), b = n < 6 ? edges[n][1] : rnd_mm();
#define RUN_X(insn, model) RUN_OP(insn, model, a, b);
        SIMD_INT_OPS(RUN_X)
#undef RUN_X
    }
}

/* shift counts, by register, memory and imm8 */
#define RUN_IMM(insn, cnt, a, r)                                             \
    __asm__ volatile("movq %[pa], %%mm3\n\t" insn " $" #cnt ", %%mm3\n\t"    \
                     "movq %%mm3, %[pr]\n\temms" : [pr] "=m"(r) : [pa] "m"(a) : "mm3")

#define SHIFTS(X_)                                                           \
    X_("psllw", m_psllw) X_("pslld", m_pslld) X_("psllq", m_psllq)           \
    X_("psrlw", m_psrlw) X_("psrld", m_psrld) X_("psrlq", m_psrlq)           \
    X_("psraw", m_psraw) X_("psrad", m_psrad)

static void test_shifts(void)
{
    static const uint64_t counts[] = { 0, 1, 7, 15, 16, 31, 32, 63, 64, 255, 1ull << 32,
                                       0x8000000000000001ull };

    for (unsigned n = 0; n < sizeof(counts) / sizeof(counts[0]); n++) {
        uint64_t a = rnd_mm() | 0x8000000080008080ull, c = counts[n], r;
#define SH(insn, model)                                                      \
        test_group(insn);                                                    \
        RUN_REG(insn, a, c, r);                                              \
        CHECK_EQ_NAMED("reg", r, mm_model(model, a, c));                     \
        RUN_MEM(insn, a, c, r);                                              \
        CHECK_EQ_NAMED("mem", r, mm_model(model, a, c));
        SHIFTS(SH)
#undef SH
    }
    {
        uint64_t a = 0x8421f00f12345678ull, r;
#define SHI(insn, model, cnt)                                                \
        test_group(insn "-imm" #cnt);                                        \
        RUN_IMM(insn, cnt, a, r);                                            \
        CHECK_EQ_NAMED("imm", r, mm_model(model, a, cnt));
#define SHI_ALL(insn, model) SHI(insn, model, 0) SHI(insn, model, 1) SHI(insn, model, 5) \
        SHI(insn, model, 15) SHI(insn, model, 16) SHI(insn, model, 33) SHI(insn, model, 64) \
        SHI(insn, model, 255)
        SHIFTS(SHI_ALL)
#undef SHI_ALL
#undef SHI
    }
}

/* palignr and pshufw over their immediates */
#define RUN_PALIGNR(imm, a, b, r)                                            \
    __asm__ volatile("movq %[pa], %%mm0\n\tmovq %[pb], %%mm1\n\t"            \
                     "palignr $" #imm ", %%mm1, %%mm0\n\tmovq %%mm0, %[pr]\n\temms" \
                     : [pr] "=m"(r) : [pa] "m"(a), [pb] "m"(b) : "mm0", "mm1")
#define RUN_PALIGNR_MEM(imm, a, b, r)                                        \
    do {                                                                     \
        g_mem = (b);                                                         \
        __asm__ volatile("movq %[pa], %%mm4\n\tpalignr $" #imm ", %[m], %%mm4\n\t" \
                         "movq %%mm4, %[pr]\n\temms"                         \
                         : [pr] "=m"(r) : [pa] "m"(a), [m] "m"(g_mem) : "mm4"); \
    } while (0)
#define RUN_PSHUFW(imm, b, r)                                                \
    __asm__ volatile("movq %[pb], %%mm1\n\tpshufw $" #imm ", %%mm1, %%mm6\n\t" \
                     "movq %%mm6, %[pr]\n\temms" : [pr] "=m"(r) : [pb] "m"(b) : "mm1", "mm6")
#define RUN_PSHUFW_MEM(imm, b, r)                                            \
    do {                                                                     \
        g_mem = (b);                                                         \
        __asm__ volatile("pshufw $" #imm ", %[m], %%mm2\n\tmovq %%mm2, %[pr]\n\temms" \
                         : [pr] "=m"(r) : [m] "m"(g_mem) : "mm2");            \
    } while (0)

static void test_imm_shuffles(void)
{
    for (int n = 0; n < 4; n++) {
        uint64_t a = rnd_mm(), b = rnd_mm(), r;
#define PA(imm)                                                              \
        test_group("palignr-" #imm);                                         \
        RUN_PALIGNR(imm, a, b, r);                                           \
        CHECK_EQ_NAMED("reg", r, m_palignr(a, b, imm));                      \
        RUN_PALIGNR_MEM(imm, a, b, r);                                       \
        CHECK_EQ_NAMED("mem", r, m_palignr(a, b, imm));
        PA(0) PA(1) PA(3) PA(7) PA(8) PA(9) PA(13) PA(15) PA(16) PA(17) PA(200)
#undef PA
#define PS(imm)                                                              \
        test_group("pshufw-" #imm);                                          \
        RUN_PSHUFW(imm, b, r);                                               \
        CHECK_EQ_NAMED("reg", r, m_pshufw(b, imm));                          \
        RUN_PSHUFW_MEM(imm, b, r);                                           \
        CHECK_EQ_NAMED("mem", r, m_pshufw(b, imm));
        PS(0x00) PS(0x1b) PS(0xe4) PS(0x4e) PS(0xff) PS(0x93)
#undef PS
    }
}

/* ---- moves ------------------------------------------------------------------ */

static void test_moves(void)
{
    uint64_t v = 0xfedcba9876543210ull, r, g;
    uint32_t m32;
    uint64_t buf[2];

    test_group("movq");
    __asm__ volatile("movq %[s], %%mm1\n\tmovq %%mm1, %%mm4\n\tmovq %%mm4, %[d]\n\temms"
                     : [d] "=m"(r) : [s] "m"(v) : "mm1", "mm4");
    CHECK_EQ_NAMED("mm-mm-mem", r, v);
    /* 0F 6F / 0F 7F register forms, spelled out: 0F 6F C1 = movq mm1 -> mm0,
     * 0F 7F CA = movq mm1 -> mm2 */
    __asm__ volatile("movq %[s], %%mm1\n\t.byte 0x0f, 0x6f, 0xc1\n\t.byte 0x0f, 0x7f, 0xca\n\t"
                     "movq %%mm0, %[d]\n\tmovq %%mm2, %[e]\n\temms"
                     : [d] "=m"(r), [e] "=m"(g) : [s] "m"(v) : "mm0", "mm1", "mm2");
    CHECK_EQ_NAMED("6f-reg", r, v);
    CHECK_EQ_NAMED("7f-reg", g, v);
    __asm__ volatile("movq %[s], %%rax\n\tmovq %%rax, %%mm3\n\tmovq %%mm3, %%rcx\n\t"
                     "movq %%rcx, %[d]\n\temms" : [d] "=m"(r) : [s] "m"(v) : "rax", "rcx", "mm3");
    CHECK_EQ_NAMED("gpr64", r, v);
    r = 0;
    __asm__ volatile("movq %[s], %%mm3\n\tmovntq %%mm3, %[d]\n\temms" : [d] "=m"(r) : [s] "m"(v)
                     : "mm3");
    CHECK_EQ_NAMED("movntq", r, v);

    test_group("movd");
    __asm__ volatile("movl $0x89abcdef, %%eax\n\tmovq %[s], %%mm5\n\tmovd %%eax, %%mm5\n\t"
                     "movq %%mm5, %[d]\n\temms" : [d] "=m"(r) : [s] "m"(v) : "rax", "mm5");
    CHECK_EQ_NAMED("load-r32-zext", r, 0x89abcdefull);
    m32 = 0x13572468;
    __asm__ volatile("movq %[s], %%mm5\n\tmovd %[m], %%mm5\n\tmovq %%mm5, %[d]\n\temms"
                     : [d] "=m"(r) : [s] "m"(v), [m] "m"(m32) : "mm5");
    CHECK_EQ_NAMED("load-m32-zext", r, 0x13572468ull);
    g = ~0ull;
    __asm__ volatile("movq %[s], %%mm6\n\tmovd %%mm6, %k[g]\n\temms" : [g] "+r"(g) : [s] "m"(v)
                     : "mm6");
    CHECK_EQ_NAMED("store-r32-zext", g, 0x76543210ull);
    m32 = 0;
    __asm__ volatile("movq %[s], %%mm6\n\tmovd %%mm6, %[m]\n\temms" : [m] "=m"(m32) : [s] "m"(v)
                     : "mm6");
    CHECK_EQ_NAMED("store-m32", m32, 0x76543210u);
    /* REX.W 0F 6E / 0F 7E with memory: movq m64 <-> mm */
    __asm__ volatile("movq %[s], %%mm0\n\t.byte 0x48, 0x0f, 0x7e, 0x07\n\t"
                     ".byte 0x48, 0x0f, 0x6e, 0x0f\n\tmovq %%mm1, %[d]\n\temms"
                     : [d] "=m"(r) : [s] "m"(v), "D"(buf) : "mm0", "mm1", "memory");
    CHECK_EQ_NAMED("rex.w-mem", buf[0], v);
    CHECK_EQ_NAMED("rex.w-mem-load", r, v);

    /* REX.R and REX.B do not extend MMX registers: 45 0F FC C1 is paddb mm1, mm0 */
    test_group("rex-ignored");
    {
        uint64_t a = 0x0102030405060708ull, b = 0x1010101010101010ull;
        __asm__ volatile("movq %[a], %%mm0\n\tmovq %[b], %%mm1\n\t.byte 0x45, 0x0f, 0xfc, 0xc1\n\t"
                         "movq %%mm0, %[d]\n\temms" : [d] "=m"(r) : [a] "m"(a), [b] "m"(b)
                         : "mm0", "mm1");
        CHECK_EQ_NAMED("paddb", r, 0x1112131415161718ull);
        /* 4D 0F 6F C1: movq mm1 -> mm0 */
        __asm__ volatile("movq %[a], %%mm0\n\tmovq %[b], %%mm1\n\t.byte 0x4d, 0x0f, 0x6f, 0xc1\n\t"
                         "movq %%mm0, %[d]\n\temms" : [d] "=m"(r) : [a] "m"(a), [b] "m"(b)
                         : "mm0", "mm1");
        CHECK_EQ_NAMED("movq", r, b);
    }

    test_group("xmm");
    {
        X x = mk(0x1111111122222222ull, 0x3333333344444444ull);
        __asm__ volatile("movq %[s], %%mm2\n\tmovq2dq %%mm2, %[x]\n\temms"
                         : [x] "+x"(x.v) : [s] "m"(v) : "mm2");
        CHECK_EQ_NAMED("movq2dq-lo", x.q[0], v);
        CHECK_EQ_NAMED("movq2dq-hi", x.q[1], 0);
        x.q[0] = 0x5555666677778888ull;
        x.q[1] = 0x9999aaaabbbbccccull;
        __asm__ volatile("movdq2q %[x], %%mm7\n\tmovq %%mm7, %[d]\n\temms"
                         : [d] "=m"(r) : [x] "x"(x.v) : "mm7");
        CHECK_EQ_NAMED("movdq2q", r, 0x5555666677778888ull);
    }

    test_group("pinsrw");
    {
        uint16_t m16 = 0xbeef;
        __asm__ volatile("movq %[s], %%mm1\n\tmovl $0x12345678, %%eax\n\tpinsrw $2, %%eax, %%mm1\n\t"
                         "movq %%mm1, %[d]\n\temms" : [d] "=m"(r) : [s] "m"(v) : "rax", "mm1");
        CHECK_EQ_NAMED("r32", r, 0xfedc567876543210ull);
        /* imm8 & 3: 7 is word 3 */
        __asm__ volatile("movq %[s], %%mm1\n\tpinsrw $7, %[m], %%mm1\n\t"
                         "movq %%mm1, %[d]\n\temms" : [d] "=m"(r) : [s] "m"(v), [m] "m"(m16)
                         : "mm1");
        CHECK_EQ_NAMED("m16", r, 0xbeefba9876543210ull);
    }
    test_group("pextrw");
    for (int i = 0; i < 8; i++) {
        g = ~0ull;
        switch (i) {
#define PX(n) case n: __asm__ volatile("movq %[s], %%mm4\n\tpextrw $" #n ", %%mm4, %k[g]\n\temms" \
                                       : [g] "+r"(g) : [s] "m"(v) : "mm4"); break;
        PX(0) PX(1) PX(2) PX(3) PX(4) PX(5) PX(6) PX(7)
#undef PX
        }
        CHECK_EQ_NAMED("word", g, (v >> (16 * (i & 3))) & 0xffff);
    }
    /* REX.W: pextrw r64, zero-extended (48 0F C5 C1 03: pextrw $3, mm1, rax) */
    g = ~0ull;
    __asm__ volatile("movq %[s], %%mm1\n\t.byte 0x48, 0x0f, 0xc5, 0xc1, 0x03\n\temms"
                     : "=a"(g) : [s] "m"(v) : "mm1");
    CHECK_EQ_NAMED("rex.w", g, 0xfedc);

    test_group("pmovmskb");
    for (int n = 0; n < 8; n++) {
        uint64_t a = n ? rnd_mm() : 0x80ff7f0001fe8081ull, want = 0;
        for (int i = 0; i < 8; i++) {
            want |= ((a >> (8 * i + 7)) & 1) << i;
        }
        g = ~0ull;
        __asm__ volatile("movq %[s], %%mm3\n\tpmovmskb %%mm3, %k[g]\n\temms"
                         : [g] "+r"(g) : [s] "m"(a) : "mm3");
        CHECK_EQ_NAMED("mask", g, want);
    }

    test_group("maskmovq");
    {
        static uint8_t mbuf[16];
        uint64_t data = 0x8877665544332211ull, mask = 0x80007f80ff000180ull;
        memset(mbuf, 0xcc, sizeof(mbuf));
        __asm__ volatile("movq %[d], %%mm0\n\tmovq %[m], %%mm1\n\tmaskmovq %%mm1, %%mm0\n\temms"
                         : : [d] "m"(data), [m] "m"(mask), "D"(mbuf + 4) : "mm0", "mm1", "memory");
        memcpy(&r, mbuf, 8);
        CHECK_EQ_NAMED("lo", r, 0x44cccc11ccccccccull);
        memcpy(&r, mbuf + 8, 8);
        CHECK_EQ_NAMED("hi", r, 0xcccccccc88cccc55ull);
    }
}

/* ---- conversions with MXCSR ------------------------------------------------ */

static X g_x128 __attribute__((aligned(16)));

static void test_convert(void)
{
    X x;
    uint64_t r, m = 0x0100000180000000ull;   /* { -2^31, 2^24 + 1 } */

    /* cvtpi2ps: the low quadword, the high one kept; 2^24 + 1 is inexact */
    test_group("cvtpi2ps");
    x.q[0] = 0;
    x.q[1] = 0xabcdef0123456789ull;
    set_mxcsr(MX_DEFAULT);
    __asm__ volatile("movq %[s], %%mm1\n\tcvtpi2ps %%mm1, %[x]\n\temms" : [x] "+x"(x.v)
                     : [s] "m"(m) : "mm1");
    CHECK_EQ_NAMED("reg", x.q[0], 0x4b800000cf000000ull);
    CHECK_EQ_NAMED("reg-hi", x.q[1], 0xabcdef0123456789ull);
    CHECK_EQ_NAMED("reg-flags", get_mxcsr() & 0x3f, PE);
    set_mxcsr(MX_DEFAULT | RC(2));
    __asm__ volatile("cvtpi2ps %[s], %[x]" : [x] "+x"(x.v) : [s] "m"(m));
    CHECK_EQ_NAMED("mem-ru", x.q[0], 0x4b800001cf000000ull);
    CHECK_EQ_NAMED("mem-hi", x.q[1], 0xabcdef0123456789ull);
    set_mxcsr(MX_DEFAULT);

    test_group("cvtpi2pd");
    x.q[0] = x.q[1] = ~0ull;
    __asm__ volatile("movq %[s], %%mm2\n\tcvtpi2pd %%mm2, %[x]\n\temms" : [x] "+x"(x.v)
                     : [s] "m"(m) : "mm2");
    CHECK_EQ_NAMED("reg-lo", x.q[0], 0xc1e0000000000000ull);
    CHECK_EQ_NAMED("reg-hi", x.q[1], 0x4170000010000000ull);
    x.q[0] = x.q[1] = 0;
    __asm__ volatile("cvtpi2pd %[s], %[x]" : [x] "+x"(x.v) : [s] "m"(m));
    CHECK_EQ_NAMED("mem-lo", x.q[0], 0xc1e0000000000000ull);
    CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, 0);

    /* cvtps2pi / cvttps2pi: { 2.5, -1.5 }, then a NaN and 2^31 (indefinite, IE) */
    test_group("cvtps2pi");
    x.q[0] = 0xbfc0000040200000ull;
    x.q[1] = 0x7fc000007fc00000ull;           /* ignored */
    set_mxcsr(MX_DEFAULT);
    __asm__ volatile("cvtps2pi %[x], %%mm3\n\tmovq %%mm3, %[d]\n\temms" : [d] "=m"(r)
                     : [x] "x"(x.v) : "mm3");
    CHECK_EQ_NAMED("rne", r, 0xfffffffe00000002ull);
    CHECK_EQ_NAMED("rne-flags", get_mxcsr() & 0x3f, PE);
    set_mxcsr(MX_DEFAULT | RC(2));
    __asm__ volatile("cvtps2pi %[x], %%mm3\n\tmovq %%mm3, %[d]\n\temms" : [d] "=m"(r)
                     : [x] "x"(x.v) : "mm3");
    CHECK_EQ_NAMED("ru", r, 0xffffffff00000003ull);
    set_mxcsr(MX_DEFAULT);
    g_x128.q[0] = 0x4f0000007fc00000ull;      /* { QNaN, 2^31 } */
    __asm__ volatile("cvtps2pi %[m], %%mm3\n\tmovq %%mm3, %[d]\n\temms" : [d] "=m"(r)
                     : [m] "m"(g_x128.q[0]) : "mm3");
    CHECK_EQ_NAMED("nan-mem", r, 0x8000000080000000ull);
    CHECK_EQ_NAMED("nan-flags", get_mxcsr() & 0x3f, IE);
    test_group("cvttps2pi");
    set_mxcsr(MX_DEFAULT);
    __asm__ volatile("cvttps2pi %[x], %%mm4\n\tmovq %%mm4, %[d]\n\temms" : [d] "=m"(r)
                     : [x] "x"(x.v) : "mm4");
    CHECK_EQ_NAMED("trunc", r, 0xffffffff00000002ull);
    CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, PE);

    /* cvtpd2pi / cvttpd2pi: { 2.5, -3.75 } from xmm and aligned m128 */
    test_group("cvtpd2pi");
    x.q[0] = 0x4004000000000000ull;
    x.q[1] = 0xc00e000000000000ull;
    g_x128 = x;
    set_mxcsr(MX_DEFAULT);
    __asm__ volatile("cvtpd2pi %[x], %%mm5\n\tmovq %%mm5, %[d]\n\temms" : [d] "=m"(r)
                     : [x] "x"(x.v) : "mm5");
    CHECK_EQ_NAMED("reg", r, 0xfffffffc00000002ull);
    CHECK_EQ_NAMED("flags", get_mxcsr() & 0x3f, PE);
    __asm__ volatile("cvtpd2pi %[m], %%mm5\n\tmovq %%mm5, %[d]\n\temms" : [d] "=m"(r)
                     : [m] "m"(g_x128) : "mm5");
    CHECK_EQ_NAMED("mem", r, 0xfffffffc00000002ull);
    test_group("cvttpd2pi");
    __asm__ volatile("cvttpd2pi %[m], %%mm6\n\tmovq %%mm6, %[d]\n\temms" : [d] "=m"(r)
                     : [m] "m"(g_x128) : "mm6");
    CHECK_EQ_NAMED("mem", r, 0xfffffffd00000002ull);
    x.q[1] = 0x41e0000000000000ull;           /* 2^31: out of range */
    set_mxcsr(MX_DEFAULT);
    __asm__ volatile("cvttpd2pi %[x], %%mm6\n\tmovq %%mm6, %[d]\n\temms" : [d] "=m"(r)
                     : [x] "x"(x.v) : "mm6");
    CHECK_EQ_NAMED("range", r, 0x8000000000000002ull);
    CHECK_EQ_NAMED("range-flags", get_mxcsr() & 0x3f, IE | PE);
    set_mxcsr(MX_DEFAULT);
}

/* ---- the x87 interplay ------------------------------------------------------ */

struct fenv32 {
    uint32_t cw, sw, tw, ip, cs, dp, ds;
};

typedef struct __attribute__((packed)) X80 {
    uint64_t m;
    uint16_t e;
} X80;

/* Write all eight MMX registers, so that every register's tag is "special"
 * (exponent 0x7fff) for FNSTENV; then fnstenv to e (before EMMS). */
static void fill_mmx(uint64_t v, struct fenv32 *e)
{
    __asm__ volatile("movq %[s], %%mm0\n\tmovq %%mm0, %%mm1\n\tmovq %%mm0, %%mm2\n\t"
                     "movq %%mm0, %%mm3\n\tmovq %%mm0, %%mm4\n\tmovq %%mm0, %%mm5\n\t"
                     "movq %%mm0, %%mm6\n\tmovq %%mm0, %%mm7\n\tfnstenv %[e]\n\temms"
                     : [e] "=m"(*e) : [s] "m"(v)
                     : "mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7");
}

static void test_x87(void)
{
    struct fenv32 e;
    uint64_t v = 0x0123456789abcdefull, r;
    X80 t;

    fill_mmx(v, &e);
    test_group("transition");
    CHECK_EQ_NAMED("top", (e.sw >> 11) & 7, 0);
    CHECK_EQ_NAMED("tags-special", e.tw & 0xffff, 0xaaaa);

    /* TOP 6 (two pushes), then one MMX instruction: TOP 0, all valid */
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tpaddb %%mm1, %%mm1\n\tfnstenv %[e]\n\tfninit"
                     : [e] "=m"(e) : : "mm1");
    CHECK_EQ_NAMED("top-after-paddb", (e.sw >> 11) & 7, 0);
    CHECK_EQ_NAMED("tags-after-paddb", e.tw & 0xffff, 0x0aaa);
    /* pmovmskb and movd to a GPR read MMX registers: a transition too */
    fill_mmx(v, &e);
    __asm__ volatile("fninit\n\tfld1\n\tpmovmskb %%mm3, %%eax\n\tfnstenv %[e]\n\tfninit"
                     : [e] "=m"(e) : : "rax");
    CHECK_EQ_NAMED("top-after-pmovmskb", (e.sw >> 11) & 7, 0);
    CHECK_EQ_NAMED("tags-after-pmovmskb", e.tw & 0xffff, 0x2aaa);
    /* EMMS: all tags empty (and TOP 0 on Intel) */
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\temms\n\tfnstenv %[e]\n\tfninit" : [e] "=m"(e));
    test_group("emms");
    CHECK_EQ_NAMED("top", (e.sw >> 11) & 7, 0);
    CHECK_EQ_NAMED("tags-empty", e.tw & 0xffff, 0xffff);
    CHECK_EQ_NAMED("sw", e.sw & 0xffff, 0);
    /* cvtpi2ps/cvtpi2pd from memory have no MMX operand: no transition */
    test_group("cvtpi2ps-mem");
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tcvtpi2ps %[m], %%xmm0\n\tfnstenv %[e]\n\tfninit"
                     : [e] "=m"(e) : [m] "m"(v) : "xmm0");
    CHECK_EQ_NAMED("top", (e.sw >> 11) & 7, 6);
    CHECK_EQ_NAMED("tags", e.tw & 0xffff, 0x0fff);
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tcvtpi2pd %[m], %%xmm0\n\tfnstenv %[e]\n\tfninit"
                     : [e] "=m"(e) : [m] "m"(v) : "xmm0");
    CHECK_EQ_NAMED("pd-top", (e.sw >> 11) & 7, 6);
    /* ... but the register forms and cvtps2pi from memory do it */
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tcvtps2pi %[m], %%mm0\n\tfnstenv %[e]\n\tfninit"
                     : [e] "=m"(e) : [m] "m"(v) : "mm0");
    CHECK_EQ_NAMED("cvtps2pi-top", (e.sw >> 11) & 7, 0);

    /* an MMX write sets the exponent word: FSTP m80 of ST(0) = R0 */
    test_group("alias");
    __asm__ volatile("fninit\n\tmovq %[s], %%mm0\n\tfstpt %[t]\n\tfninit"
                     : [t] "=m"(t) : [s] "m"(v) : "mm0");
    CHECK_EQ_NAMED("mm0-exp", t.e, 0xffff);
    CHECK_EQ_NAMED("mm0-sig", t.m, v);
    /* FLD ST(i) of an MMX register (R7 freed first) */
    __asm__ volatile("movq %[s], %%mm3\n\tffree %%st(7)\n\tfld %%st(3)\n\tfstpt %[t]\n\tfninit"
                     : [t] "=m"(t) : [s] "m"(v) : "mm3");
    CHECK_EQ_NAMED("fld-exp", t.e, 0xffff);
    CHECK_EQ_NAMED("fld-sig", t.m, v);
    /* the other way: FLD1 fills R7 (TOP 7); MM7 reads its significand */
    __asm__ volatile("fninit\n\tfld1\n\tmovq %%mm7, %[d]\n\tfninit" : [d] "=m"(r) : : "mm7");
    CHECK_EQ_NAMED("fld1-mm7", r, 0x8000000000000000ull);
    /* an MMX read does not touch the exponent: R7 stays 1.0 (TOP 0: ST(7)) */
    __asm__ volatile("fninit\n\tfld1\n\tmovq %%mm7, %%mm0\n\tfxch %%st(7)\n\tfstpt %[t]\n\t"
                     "fninit" : [t] "=m"(t) : : "mm0");
    CHECK_EQ_NAMED("read-keeps-exp", t.e, 0x3fff);
}

/* ---- #MF: a pending x87 exception (guest only) ------------------------------ */

#ifndef TERN_NATIVE
uint16_t mmx_cw_ze = 0x037b;
uint64_t mmx_m64 = 0x0000000100000002ull;
FAULT_FN(mmx_pending, "fninit\n\tfldcw mmx_cw_ze(%rip)\n\tfldz\n\tfld1\n\tfdiv %st(1), %st");
FAULT_FN(mmx_paddb_fn, ".globl mmx_paddb_at\nmmx_paddb_at:\n\tpaddb %mm1, %mm0");
FAULT_FN(mmx_emms_fn, "emms");
FAULT_FN(mmx_cvtpi2ps_mem_fn, "cvtpi2ps mmx_m64(%rip), %xmm0");
FAULT_FN(mmx_cvtpi2ps_reg_fn, "cvtpi2ps %mm1, %xmm0");
FAULT_FN(mmx_movq2dq_fn, "movq2dq %mm1, %xmm0");
FAULT_FN(mmx_fld1_fn, "fld1\n\tfstp %st(0)");
extern char mmx_paddb_at[];

static void test_mf(void)
{
    idt_install();
    test_group("mf");
    CHECK_EQ_NAMED("pending", tern_catch_fault(mmx_pending), -1);
    CHECK_EQ_NAMED("paddb", tern_catch_fault(mmx_paddb_fn), 16);
    CHECK_EQ_NAMED("paddb-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)mmx_paddb_at);
    CHECK_EQ_NAMED("emms", tern_catch_fault(mmx_emms_fn), 16);
    CHECK_EQ_NAMED("cvtpi2ps-reg", tern_catch_fault(mmx_cvtpi2ps_reg_fn), 16);
    CHECK_EQ_NAMED("cvtpi2ps-mem", tern_catch_fault(mmx_cvtpi2ps_mem_fn), -1);
    __asm__ volatile("fnclex\n\tfninit");
    CHECK_EQ_NAMED("after-fnclex", tern_catch_fault(mmx_paddb_fn), -1);
    __asm__ volatile("emms");
}

/* CR0.TS: #NM; CR0.EM: #UD (x87: #NM); CR4.OSFXSR clear: MMX runs, the
 * forms with an XMM operand are #UD.  Only runtime code (general registers)
 * runs between the CR writes. */
static void test_cr(void)
{
    uint64_t cr0 = read_cr(0), cr4 = read_cr(4);
    int ts_paddb, ts_emms, em_paddb, em_emms, em_fld1, fx_paddb, fx_cvt, fx_movq2dq;

    write_cr(0, cr0 | CR0_TS);
    ts_paddb = tern_catch_fault(mmx_paddb_fn);
    ts_emms = tern_catch_fault(mmx_emms_fn);
    write_cr(0, cr0 | CR0_EM);
    em_paddb = tern_catch_fault(mmx_paddb_fn);
    em_emms = tern_catch_fault(mmx_emms_fn);
    em_fld1 = tern_catch_fault(mmx_fld1_fn);
    write_cr(0, cr0);
    write_cr(4, cr4 & ~(uint64_t)CR4_OSFXSR);
    fx_paddb = tern_catch_fault(mmx_paddb_fn);
    fx_cvt = tern_catch_fault(mmx_cvtpi2ps_reg_fn);
    fx_movq2dq = tern_catch_fault(mmx_movq2dq_fn);
    write_cr(4, cr4);
    __asm__ volatile("emms");

    test_group("cr0-ts");
    CHECK_EQ_NAMED("paddb-nm", ts_paddb, 7);
    CHECK_EQ_NAMED("emms-nm", ts_emms, 7);
    test_group("cr0-em");
    CHECK_EQ_NAMED("paddb-ud", em_paddb, 6);
    CHECK_EQ_NAMED("emms-ud", em_emms, 6);
    CHECK_EQ_NAMED("x87-nm", em_fld1, 7);
    test_group("cr4-osfxsr");
    CHECK_EQ_NAMED("paddb-runs", fx_paddb, -1);
    CHECK_EQ_NAMED("cvtpi2ps-ud", fx_cvt, 6);
    CHECK_EQ_NAMED("movq2dq-ud", fx_movq2dq, 6);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    CPUID1_REQUIRE("mmx", CPUID1_MMX);
    test_int_simd();
    test_shifts();
    test_imm_shuffles();
    test_moves();
    test_convert();
    test_x87();
#ifndef TERN_NATIVE
    test_mf();
    test_cr();
#endif
    test_done();
}
