/*
 * simd.h: what the SIMD guest tests (sse.c, sse41.c, sse42.c, aes.c,
 * mmx.c, sse-faults.c) share: the 128-bit value X, MXCSR access and its
 * bits, the checks of a vector, CPUID leaf 1, random vectors with boundary
 * lanes, the scalar C models of the integer SIMD operations (for 16-byte
 * XMM and 8-byte MMX operands alike) and the guest's fault scaffolding.
 *
 * Header only: static functions, built with each test's own flags.  The
 * vector types need SSE code generation, so a test that includes it sets
 * NAME_CFLAGS := -msse2 ... in build.mk (not -mgeneral-regs-only); its C
 * models stay scalar with -fno-tree-vectorize.
 */
#ifndef TESTS_X86_SIMD_H
#define TESTS_X86_SIMD_H

#include "tern.h"
#include "../rand.h"

/* ---- values ----------------------------------------------------------------- */

typedef long long v2di __attribute__((vector_size(16)));
typedef union X {
    v2di v;             /* for "x" asm operands */
    uint8_t b[16];
    uint16_t w[8];
    uint32_t l[4];
    uint64_t q[2];
    float f[4];
    double d[2];
} X;

static inline X mk(uint64_t lo, uint64_t hi)
{
    X x;

    x.q[0] = lo;
    x.q[1] = hi;
    return x;
}

static inline X mk4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    X x;

    x.l[0] = a;
    x.l[1] = b;
    x.l[2] = c;
    x.l[3] = d;
    return x;
}

/* Check both quadwords of x: checks "name/lo" and "name/hi" */
#define CHECK_X(name, x, lo, hi)                                             \
    do {                                                                     \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("lo", (x).q[0], (lo));                                \
        CHECK_EQ_NAMED("hi", (x).q[1], (hi));                                \
    } while (0)

/* ... against the X want */
#define CHECK_XEQ(name, x, want)                                             \
    do {                                                                     \
        X w_ = (want);                                                       \
        CHECK_X(name, x, w_.q[0], w_.q[1]);                                  \
    } while (0)

/* ---- MXCSR -------------------------------------------------------------------- */

static inline void set_mxcsr(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static inline uint32_t get_mxcsr(void)
{
    uint32_t v;

    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

#define MX_DEFAULT 0x1f80u              /* all exceptions masked, RN */
#define IE 0x01u                        /* the flags (bits 0-5) */
#define DE 0x02u
#define ZE 0x04u
#define OE 0x08u
#define UE 0x10u
#define PE 0x20u
#define DAZ 0x40u
#define MX_MASK(flag) ((uint32_t)(flag) << 7)   /* the flag's mask bit */
#define RC(n) ((uint32_t)(n) << 13)     /* rounding: RN, RD, RU, RZ */
#define FZ 0x8000u

/* ---- CPUID ---------------------------------------------------------------------- */

/* Leaf 1's feature flags, as bits of EDX:ECX */
#define CPUID1_PCLMULQDQ (1ull << 1)
#define CPUID1_SSE41     (1ull << 19)
#define CPUID1_SSE42     (1ull << 20)
#define CPUID1_AES       (1ull << 25)
#define CPUID1_MMX       (1ull << (32 + 23))

/* The check "cpuid/name" that the CPU has the feature (a string literal
 * name and a CPUID1_* bit); natively, a host without it skips the test */
#define CPUID1_REQUIRE(name, feature) cpuid1_require(name, feature, "the host has no " name)

static inline void cpuid1_require(const char *name, uint64_t feature, const char *skip)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
#ifdef TERN_NATIVE
    if (!(((uint64_t)d << 32 | c) & feature)) {
        test_skip(skip);
    }
#else
    (void)skip;
#endif
    test_group("cpuid");
    CHECK_NAMED(name, ((uint64_t)d << 32 | c) & feature);
    test_group(NULL);
}

/* ---- random vectors ------------------------------------------------------------ */

static inline uint64_t rnd64(void)
{
    static uint64_t state = 0x6a09e667f3bcc908ull;

    return xorshift64s(&state);
}

/* bytes (8 or 16) random bytes, the rest zero, with boundary lanes (0, -1,
 * min, max, 1) mixed in three times in four */
static inline X rnd_vec_n(int bytes)
{
    static const uint8_t specials[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
    X x = mk(rnd64(), bytes > 8 ? rnd64() : 0);

    if (rnd64() % 4) {
        for (int i = 0; i < bytes; i++) {
            if (rnd64() % 3 == 0) {
                x.b[i] = specials[rnd64() % sizeof(specials)];
            }
        }
    }
    return x;
}

static inline X rnd_vec(void)
{
    return rnd_vec_n(16);
}

/* ---- scalar models of the integer operations ------------------------------------ */

/* The integer operations with an MMX and an XMM form: X_(mnemonic, model) */
#define SIMD_INT_OPS(X_)                                                     \
    X_("paddb", m_paddb) X_("paddw", m_paddw) X_("paddd", m_paddd) X_("paddq", m_paddq) \
    X_("psubb", m_psubb) X_("psubw", m_psubw) X_("psubd", m_psubd) X_("psubq", m_psubq) \
    X_("paddsb", m_paddsb) X_("paddsw", m_paddsw) X_("paddusb", m_paddusb)  \
    X_("paddusw", m_paddusw) X_("psubsb", m_psubsb) X_("psubsw", m_psubsw)  \
    X_("psubusb", m_psubusb) X_("psubusw", m_psubusw)                        \
    X_("pcmpeqb", m_pcmpeqb) X_("pcmpeqw", m_pcmpeqw) X_("pcmpeqd", m_pcmpeqd) \
    X_("pcmpgtb", m_pcmpgtb) X_("pcmpgtw", m_pcmpgtw) X_("pcmpgtd", m_pcmpgtd) \
    X_("pmullw", m_pmullw) X_("pmulhw", m_pmulhw) X_("pmulhuw", m_pmulhuw)   \
    X_("pmuludq", m_pmuludq) X_("pmaddwd", m_pmaddwd) X_("psadbw", m_psadbw) \
    X_("pavgb", m_pavgb) X_("pavgw", m_pavgw) X_("pminub", m_pminub)         \
    X_("pmaxub", m_pmaxub) X_("pminsw", m_pminsw) X_("pmaxsw", m_pmaxsw)     \
    X_("pand", m_pand) X_("pandn", m_pandn) X_("por", m_por) X_("pxor", m_pxor) \
    X_("punpcklbw", m_punpcklbw) X_("punpckhbw", m_punpckhbw)                \
    X_("punpcklwd", m_punpcklwd) X_("punpckhwd", m_punpckhwd)                \
    X_("punpckldq", m_punpckldq) X_("punpckhdq", m_punpckhdq)                \
    X_("packsswb", m_packsswb) X_("packuswb", m_packuswb) X_("packssdw", m_packssdw) \
    X_("pshufb", m_pshufb) X_("phaddw", m_phaddw) X_("phaddd", m_phaddd)     \
    X_("phaddsw", m_phaddsw) X_("phsubw", m_phsubw) X_("phsubd", m_phsubd)   \
    X_("phsubsw", m_phsubsw) X_("pabsb", m_pabsb) X_("pabsw", m_pabsw)       \
    X_("pabsd", m_pabsd) X_("psignb", m_psignb) X_("psignw", m_psignw)       \
    X_("psignd", m_psignd) X_("pmaddubsw", m_pmaddubsw) X_("pmulhrsw", m_pmulhrsw)

static inline int sat(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/*
 * r = op(a, b) on the low bytes (16: XMM, 8: MMX) of the operands, a the
 * destination and b the source; lanes past bytes are left as a's.
 */
typedef void (*Model)(X *r, const X *a, const X *b, int bytes);

/* Lane-wise: r.F[i] = EXPR of A = a.F[i] and B = b.F[i] */
#define MODEL(name, F, EXPR)                                                 \
    static inline void m_##name(X *r, const X *a, const X *b, int bytes)     \
    {                                                                        \
        *r = *a;                                                             \
        for (int i = 0; i < bytes / (int)sizeof(a->F[0]); i++) {             \
            __typeof__(a->F[0]) A = a->F[i], B = b->F[i];                    \
            (void)A; (void)B;                                                \
            r->F[i] = (__typeof__(a->F[0]))(EXPR);                           \
        }                                                                    \
    }

MODEL(paddb, b, A + B) MODEL(paddw, w, A + B) MODEL(paddd, l, A + B) MODEL(paddq, q, A + B)
MODEL(psubb, b, A - B) MODEL(psubw, w, A - B) MODEL(psubd, l, A - B) MODEL(psubq, q, A - B)
MODEL(paddsb, b, sat((int8_t)A + (int8_t)B, -128, 127))
MODEL(paddsw, w, sat((int16_t)A + (int16_t)B, -32768, 32767))
MODEL(paddusb, b, sat(A + B, 0, 255)) MODEL(paddusw, w, sat(A + B, 0, 65535))
MODEL(psubsb, b, sat((int8_t)A - (int8_t)B, -128, 127))
MODEL(psubsw, w, sat((int16_t)A - (int16_t)B, -32768, 32767))
MODEL(psubusb, b, sat(A - B, 0, 255)) MODEL(psubusw, w, sat(A - B, 0, 65535))
MODEL(pcmpeqb, b, A == B ? 0xff : 0) MODEL(pcmpeqw, w, A == B ? 0xffff : 0)
MODEL(pcmpeqd, l, A == B ? ~0u : 0)
MODEL(pcmpgtb, b, (int8_t)A > (int8_t)B ? 0xff : 0)
MODEL(pcmpgtw, w, (int16_t)A > (int16_t)B ? 0xffff : 0)
MODEL(pcmpgtd, l, (int32_t)A > (int32_t)B ? ~0u : 0)
MODEL(pmullw, w, (int16_t)A * (int16_t)B)
MODEL(pmulhw, w, ((int16_t)A * (int16_t)B) >> 16)
MODEL(pmulhuw, w, ((uint32_t)A * B) >> 16)
MODEL(pavgb, b, (A + B + 1) >> 1) MODEL(pavgw, w, (A + B + 1) >> 1)
MODEL(pminub, b, A < B ? A : B) MODEL(pmaxub, b, A > B ? A : B)
MODEL(pminsw, w, (int16_t)A < (int16_t)B ? A : B)
MODEL(pmaxsw, w, (int16_t)A > (int16_t)B ? A : B)
MODEL(pand, q, A & B) MODEL(pandn, q, ~A & B) MODEL(por, q, A | B) MODEL(pxor, q, A ^ B)
MODEL(pabsb, b, (int8_t)B < 0 ? -(int8_t)B : B)
MODEL(pabsw, w, (int16_t)B < 0 ? -(int16_t)B : B)
MODEL(pabsd, l, (int32_t)B < 0 ? -B : B)
MODEL(psignb, b, (int8_t)B < 0 ? -A : B ? A : 0)
MODEL(psignw, w, (int16_t)B < 0 ? -A : B ? A : 0)
MODEL(psignd, l, (int32_t)B < 0 ? -A : B ? A : 0)
MODEL(pmulhrsw, w, ((((int16_t)A * (int16_t)B) >> 14) + 1) >> 1)

/* The unsigned products of the even doublewords */
static inline void m_pmuludq(X *r, const X *a, const X *b, int bytes)
{
    *r = *a;
    for (int i = 0; i < bytes / 8; i++) {
        r->q[i] = (uint64_t)a->l[2 * i] * b->l[2 * i];
    }
}

static inline void m_pmaddwd(X *r, const X *a, const X *b, int bytes)
{
    *r = *a;
    for (int i = 0; i < bytes / 4; i++) {
        r->l[i] = (uint32_t)((int16_t)a->w[2 * i] * (int16_t)b->w[2 * i]) +
                  (uint32_t)((int16_t)a->w[2 * i + 1] * (int16_t)b->w[2 * i + 1]);
    }
}

/* The sum of the absolute byte differences of each quadword */
static inline void m_psadbw(X *r, const X *a, const X *b, int bytes)
{
    *r = *a;
    for (int h = 0; h < bytes / 8; h++) {
        uint64_t s = 0;
        for (int i = 8 * h; i < 8 * h + 8; i++) {
            s += a->b[i] > b->b[i] ? a->b[i] - b->b[i] : b->b[i] - a->b[i];
        }
        r->q[h] = s;
    }
}

static inline void m_pmaddubsw(X *r, const X *a, const X *b, int bytes)
{
    *r = *a;
    for (int i = 0; i < bytes / 2; i++) {
        r->w[i] = sat(a->b[2 * i] * (int8_t)b->b[2 * i] +
                      a->b[2 * i + 1] * (int8_t)b->b[2 * i + 1], -32768, 32767);
    }
}

/* Interleave the low (hi = 0) or high halves' elements of a and b */
#define UNPCK_MODEL(name, F, hi)                                             \
    static inline void m_##name(X *r, const X *a, const X *b, int bytes)     \
    {                                                                        \
        X t = *a;                                                            \
        int n = bytes / (int)sizeof(a->F[0]);                                \
        for (int i = 0; i < n / 2; i++) {                                    \
            t.F[2 * i] = a->F[i + (hi) * n / 2];                             \
            t.F[2 * i + 1] = b->F[i + (hi) * n / 2];                         \
        }                                                                    \
        *r = t;                                                              \
    }
UNPCK_MODEL(punpcklbw, b, 0) UNPCK_MODEL(punpckhbw, b, 1)
UNPCK_MODEL(punpcklwd, w, 0) UNPCK_MODEL(punpckhwd, w, 1)
UNPCK_MODEL(punpckldq, l, 0) UNPCK_MODEL(punpckhdq, l, 1)
UNPCK_MODEL(punpcklqdq, q, 0) UNPCK_MODEL(punpckhqdq, q, 1)

/* Narrow a's FROM elements (as signed S) into the low half and b's into the
 * high, saturating to [lo, hi] */
#define PACK_MODEL(name, TO, FROM, S, lo, hi)                                \
    static inline void m_##name(X *r, const X *a, const X *b, int bytes)     \
    {                                                                        \
        X t = *a;                                                            \
        int n = bytes / (int)sizeof(a->FROM[0]);                             \
        for (int i = 0; i < n; i++) {                                        \
            t.TO[i] = (__typeof__(t.TO[0]))sat((S)a->FROM[i], lo, hi);       \
            t.TO[i + n] = (__typeof__(t.TO[0]))sat((S)b->FROM[i], lo, hi);   \
        }                                                                    \
        *r = t;                                                              \
    }
PACK_MODEL(packsswb, b, w, int16_t, -128, 127)
PACK_MODEL(packuswb, b, w, int16_t, 0, 255)
PACK_MODEL(packssdw, w, l, int32_t, -32768, 32767)

/* Bytes of a indexed by b's (zero where b's bit 7 is set) */
static inline void m_pshufb(X *r, const X *a, const X *b, int bytes)
{
    X t = *a;

    for (int i = 0; i < bytes; i++) {
        t.b[i] = (b->b[i] & 0x80) ? 0 : a->b[b->b[i] & (bytes - 1)];
    }
    *r = t;
}

/* Horizontal: EXPR of the pairs A, B of a, then of b */
#define HMODEL(name, F, EXPR)                                                \
    static inline void m_##name(X *r, const X *a, const X *b, int bytes)     \
    {                                                                        \
        X t = *a;                                                            \
        int n = bytes / (int)sizeof(a->F[0]);                                \
        for (int i = 0; i < n / 2; i++) {                                    \
            int64_t A = a->F[2 * i], B = a->F[2 * i + 1];                    \
            t.F[i] = (__typeof__(a->F[0]))(EXPR);                            \
            A = b->F[2 * i];                                                 \
            B = b->F[2 * i + 1];                                             \
            t.F[i + n / 2] = (__typeof__(a->F[0]))(EXPR);                    \
        }                                                                    \
        *r = t;                                                              \
    }
HMODEL(phaddw, w, A + B) HMODEL(phsubw, w, A - B)
HMODEL(phaddsw, w, sat((int16_t)A + (int16_t)B, -32768, 32767))
HMODEL(phsubsw, w, sat((int16_t)A - (int16_t)B, -32768, 32767))
HMODEL(phaddd, l, A + B) HMODEL(phsubd, l, A - B)

/* Shifts: the count c is b's whole low quadword */
#define SHIFT_MODEL(name, F, EXPR)                                           \
    static inline void m_##name(X *r, const X *a, const X *b, int bytes)     \
    {                                                                        \
        uint64_t c = b->q[0];                                                \
        *r = *a;                                                             \
        for (int i = 0; i < bytes / (int)sizeof(a->F[0]); i++) {             \
            __typeof__(a->F[0]) A = a->F[i];                                 \
            r->F[i] = (__typeof__(a->F[0]))(EXPR);                           \
        }                                                                    \
    }
SHIFT_MODEL(psllw, w, c > 15 ? 0 : (uint32_t)A << c)
SHIFT_MODEL(pslld, l, c > 31 ? 0 : A << c)
SHIFT_MODEL(psllq, q, c > 63 ? 0 : A << c)
SHIFT_MODEL(psrlw, w, c > 15 ? 0 : A >> c)
SHIFT_MODEL(psrld, l, c > 31 ? 0 : A >> c)
SHIFT_MODEL(psrlq, q, c > 63 ? 0 : A >> c)
SHIFT_MODEL(psraw, w, (int16_t)A >> (c > 15 ? 15 : c))
SHIFT_MODEL(psrad, l, (int32_t)A >> (c > 31 ? 31 : c))

/* One "insn xmm, xmm" on the CPU and in the model: CHECK_X(insn) */
#define RUN_IOP(insn, model, a, b)                                           \
    do {                                                                     \
        X r_ = (a), e_;                                                      \
        __asm__ volatile(insn " %[s], %[d]" : [d] "+x"(r_.v) : [s] "x"((b).v)); \
        model(&e_, &(a), &(b), 16);                                          \
        CHECK_X(insn, r_, e_.q[0], e_.q[1]);                                 \
    } while (0)

/* ... with the source from mem, an aligned X: CHECK_X(insn "-mem") */
#define RUN_IOP_MEM(insn, model, a, b, mem)                                  \
    do {                                                                     \
        X r_ = (a), e_;                                                      \
        (mem) = (b);                                                         \
        __asm__ volatile(insn " %[m], %[d]" : [d] "+x"(r_.v) : [m] "m"(mem)); \
        model(&e_, &(a), &(b), 16);                                          \
        CHECK_X(insn "-mem", r_, e_.q[0], e_.q[1]);                          \
    } while (0)

/* ---- faults (guest only) ---------------------------------------------------------- */

#ifdef TERN_NATIVE
/* RUN(fn): a group of checks; natively just the call */
#define RUN(fn) fn()
#else
/* RUN(fn): a group of checks under the runtime's IDT (idt_install() first),
 * so that an unexpected exception is the failed check "fn/no-exception"
 * rather than a triple fault (tern_catch_fault calls fn with the ABI's
 * stack alignment, which the compiler's movaps spills need). */
#define RUN(fn)                                                              \
    do {                                                                     \
        int v_ = tern_catch_fault(fn);                                       \
        test_group(NULL);                                                    \
        CHECK_EQ_NAMED(#fn "/no-exception", v_, -1);                         \
    } while (0)
#endif

#endif
