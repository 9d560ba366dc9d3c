/*
 * test-sse42-helper.c: the SSE4.2 helpers (target-x86/sse42_helper.c)
 * against the host CPU's SSE4.2 unit.
 *
 * PCMPGTQ: random and edge quadwords, compared with _mm_cmpgt_epi64.
 * PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM: every imm8 (the 128
 * meaningful values, and bit 7 set, which the host ignores), each with
 * random strings (small alphabets so that elements match, NULs, needles
 * copied into the haystack, signed extremes) and random lengths in EAX/EDX
 * (in range, negative, past 16, -2^31, garbage in bits 63:32) with and
 * without REX.W (RAX/RDX, -2^63).  Compared: ECX (the whole RCX, its upper
 * half zeroed) or XMM0, and EFLAGS' OF SF ZF AF PF CF.
 *
 * Built with -msse4.2 (tests/unit/build.mk); the string compares are
 * emitted as bytes so that REX.W and every imm8 are exact.  Says SKIP on a
 * host without SSE4.2.
 */
#include "util/osdep.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__)
#include <nmmintrin.h>

#define N_PER_IMM 1200
#define FLAGS_MASK (CC_O | CC_S | CC_Z | CC_A | CC_P | CC_C)

/* ---- PCMPGTQ ----------------------------------------------------------- */

static uint64_t rnd_q(void)
{
    static const uint64_t edge[] = {
        0, 1, ~0ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
        0x8000000000000001ull, 0x7ffffffffffffffeull, 0xffffffff, 0x100000000ull,
    };

    switch (test_rnd() % 4) {
    case 0: return edge[test_rnd() % ARRAY_SIZE(edge)];
    case 1: return test_rnd() >> (test_rnd() % 64);
    default: return test_rnd();
    }
}

static void test_pcmpgtq_vs_host(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long n, bad = 0;

    for (n = 0; n < 200000; n++) {
        X86XMMReg a, b, h;
        a.q[0] = rnd_q();
        a.q[1] = rnd_q();
        b.q[0] = n % 8 == 0 ? a.q[0] : rnd_q();
        b.q[1] = n % 8 == 1 ? a.q[1] : rnd_q();
        _mm_storeu_si128((__m128i *)&h, _mm_cmpgt_epi64(_mm_loadu_si128((__m128i *)&a),
                                                        _mm_loadu_si128((__m128i *)&b)));
        env->xmm_regs[3] = a;
        env->xmm_t0 = b;
        helper_sse_pcmpgtq(env, 3, n % 2 ? SSE_XMM_T0 : 3);
        if (n % 2 == 0) {
            /* pcmpgtq x, x: never greater */
            h.q[0] = h.q[1] = 0;
        }
        if (memcmp(&env->xmm_regs[3], &h, 16)) {
            test_mismatch(&bad, "pcmpgtq %016" PRIx64 ":%016" PRIx64 " %016" PRIx64 ":%016"
                          PRIx64, a.q[1], a.q[0], b.q[1], b.q[0]);
        }
    }
    test_compared("pcmpgtq", n, bad);
    CHECK_EQ(bad, 0);
}

/* ---- PCMPxSTRx --------------------------------------------------------- */

typedef struct HostOut {
    uint64_t rcx, flags;
    X86XMMReg xmm0;
} HostOut;

/* The forms, as the helper's desc bits; REX.W only matters for PCMPESTRx. */
enum { F_ESTRI, F_ESTRI_W, F_ESTRM, F_ESTRM_W, F_ISTRI, F_ISTRM, F_NB };

static const char *const form_names[F_NB] = {
    "pcmpestri", "pcmpestri rex.w", "pcmpestrm", "pcmpestrm rex.w", "pcmpistri", "pcmpistrm",
};

static const uint32_t form_desc[F_NB] = {
    SSE_PCMPSTR_EXPLICIT, SSE_PCMPSTR_EXPLICIT | SSE_PCMPSTR_64,
    SSE_PCMPSTR_EXPLICIT | SSE_PCMPSTR_MASK,
    SSE_PCMPSTR_EXPLICIT | SSE_PCMPSTR_MASK | SSE_PCMPSTR_64, 0, SSE_PCMPSTR_MASK,
};

static const X86XMMReg xmm0_in = { .q = { 0x0123456789abcdefull, 0xfedcba9876543210ull } };

/* 66 [REX.W] 0F 3A op /r ib with xmm1 = a (ModRM.reg), xmm2 = b (r/m) */
#define PCMP_ASM(op, rex, imm)                                                \
    __asm__ volatile("movdqu %[a], %%xmm1\n\t"                                \
                     "movdqu %[b], %%xmm2\n\t"                                \
                     "movdqu %[x0in], %%xmm0\n\t"                             \
                     ".byte 0x66" rex ", 0x0f, 0x3a, " op ", 0xca, %c[i]\n\t" \
                     "lea -128(%%rsp), %%rsp\n\t"                             \
                     "pushfq\n\t"                                             \
                     "pop %[f]\n\t"                                           \
                     "lea 128(%%rsp), %%rsp\n\t"                              \
                     "movdqu %%xmm0, %[x0]"                                   \
                     : [f] "=&r"(o->flags), "+c"(o->rcx), [x0] "=m"(o->xmm0)  \
                     : [a] "m"(*a), [b] "m"(*b), "a"(rax), "d"(rdx),          \
                       [x0in] "m"(xmm0_in), [i] "i"(imm)                      \
                     : "xmm0", "xmm1", "xmm2", "cc")

#define HOST_PCMP(_, imm)                                                     \
static void host_pcmp_##imm(int form, const X86XMMReg *a, const X86XMMReg *b, \
                            uint64_t rax, uint64_t rdx, HostOut *o)           \
{                                                                             \
    o->rcx = 0x5555555555555555ull;                                           \
    switch (form) {                                                           \
    case F_ESTRI: PCMP_ASM("0x61", "", imm); break;                           \
    case F_ESTRI_W: PCMP_ASM("0x61", ", 0x48", imm); break;                   \
    case F_ESTRM: PCMP_ASM("0x60", "", imm); break;                           \
    case F_ESTRM_W: PCMP_ASM("0x60", ", 0x48", imm); break;                   \
    case F_ISTRI: PCMP_ASM("0x63", "", imm); break;                           \
    default: PCMP_ASM("0x62", "", imm); break;                                \
    }                                                                         \
}
TEST_IMM8(HOST_PCMP, _)

typedef void (*HostPcmpFn)(int form, const X86XMMReg *a, const X86XMMReg *b,
                           uint64_t rax, uint64_t rdx, HostOut *o);
#define HP(_, i) [i] = host_pcmp_##i,
static const HostPcmpFn host_pcmp[256] = { TEST_IMM8(HP, _) };

/* An element value: mostly from a small alphabet, so that compares hit. */
static uint16_t rnd_elem(bool words)
{
    static const uint16_t alpha[] = { 'a', 'b', 'c', 'z', 1, 0x7f, 0x80, 0xff };
    static const uint16_t walpha[] = { 'a', 'b', 0x100, 0x7fff, 0x8000, 0xffff, 0xff, 0x8080 };

    switch (test_rnd() % 8) {
    case 0: return (uint16_t)test_rnd();
    case 1: return 0;
    default: return words ? walpha[test_rnd() % ARRAY_SIZE(walpha)] : alpha[test_rnd() % 4 + test_rnd() % 5];
    }
}

static void set_elem(X86XMMReg *x, bool words, int i, uint16_t v)
{
    if (words) {
        x->w[i] = v;
    } else {
        x->b[i] = (uint8_t)v;
    }
}

static uint16_t get_elem(const X86XMMReg *x, bool words, int i)
{
    return words ? x->w[i] : x->b[i];
}

/* A string of n elements: random, alphabet, or with NULs (early or late). */
static void rnd_str(X86XMMReg *x, bool words)
{
    int n = words ? 8 : 16;

    switch (test_rnd() % 4) {
    case 0:
        x->q[0] = test_rnd();
        x->q[1] = test_rnd();
        break;
    default:
        for (int i = 0; i < n; i++) {
            set_elem(x, words, i, rnd_elem(words));
        }
        break;
    }
    if (test_rnd() % 3 == 0) {
        set_elem(x, words, (int)(test_rnd() % n), 0);
    } else if (test_rnd() % 4 == 0) {
        /* no NUL at all: implicit length n */
        for (int i = 0; i < n; i++) {
            if (!get_elem(x, words, i)) {
                set_elem(x, words, i, 'q');
            }
        }
    }
}

/* A length register: in range, just out of range, negative, extremes. */
static uint64_t rnd_len(void)
{
    static const uint64_t edge[] = {
        0, 8, 9, 16, 17, -8ull, -9ull, -16ull, -17ull, 0x7fffffff, 0x80000000,
        0xffffffff, 0x80000001, 0x100000000ull, 0xffffffff00000000ull,
        0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
        0xfffffffffffffff0ull, 0x7fffffff00000005ull,
    };

    switch (test_rnd() % 8) {
    case 0: case 1: case 2:
        return (uint64_t)(int64_t)((int)(test_rnd() % 41) - 20);
    case 3:     /* garbage in bits 63:32: only REX.W reads them */
        return test_rnd() << 32 | (uint32_t)((int)(test_rnd() % 41) - 20);
    case 4: case 5:
        return edge[test_rnd() % ARRAY_SIZE(edge)];
    case 6:
        return (uint64_t)(test_rnd() % 17);
    default:
        return test_rnd();
    }
}

static void test_pcmpstr_vs_host(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long total = 0, bad = 0;

    for (unsigned imm = 0; imm < 256; imm++) {
        bool words = imm & 1;
        int n = words ? 8 : 16;

        for (int k = 0; k < N_PER_IMM; k++) {
            X86XMMReg a, b;
            uint64_t rax = rnd_len(), rdx = rnd_len();

            rnd_str(&a, words);
            rnd_str(&b, words);
            switch (test_rnd() % 6) {
            case 0:     /* the needle a, or a prefix of it, somewhere in b */
            {
                int at = (int)(test_rnd() % n), len = (int)(test_rnd() % (n + 1));
                for (int i = 0; i < len && at + i < n; i++) {
                    set_elem(&b, words, at + i, get_elem(&a, words, i));
                }
                break;
            }
            case 1:     /* equal strings, maybe one element changed */
                b = a;
                if (test_rnd() % 2) {
                    set_elem(&b, words, (int)(test_rnd() % n), rnd_elem(words));
                }
                break;
            default:
                break;
            }
            for (int f = 0; f < F_NB; f++) {
                HostOut h;
                uint32_t s = (k & 1) ? SSE_XMM_T0 : 2;
                uint64_t r, tflags;

                host_pcmp[imm](f, &a, &b, rax, rdx, &h);
                env->xmm_regs[0] = xmm0_in;
                env->xmm_regs[1] = a;
                env->xmm_regs[2] = b;
                env->xmm_t0 = b;
                r = helper_sse_pcmpstr(env, SSE_PCMPSTR_DESC(1, s, imm) | form_desc[f], rax, rdx);
                tflags = r >> 32;
                total++;
                bool is_mask = form_desc[f] & SSE_PCMPSTR_MASK;
                bool ok = (h.flags & FLAGS_MASK) == tflags &&
                          !memcmp(&h.xmm0, &env->xmm_regs[0], 16) &&
                          (is_mask ? h.rcx == 0x5555555555555555ull : h.rcx == (uint32_t)r);
                if (!ok) {
                    test_mismatch(&bad, "%s imm=%02x a=%016" PRIx64 ":%016" PRIx64
                                  " b=%016" PRIx64 ":%016" PRIx64 " rax=%" PRIx64 " rdx=%"
                                  PRIx64 ": host rcx=%" PRIx64 " fl=%03" PRIx64 " xmm0=%016"
                                  PRIx64 ":%016" PRIx64 ", tern index=%" PRIx64 " fl=%03"
                                  PRIx64 " xmm0=%016" PRIx64 ":%016" PRIx64,
                                  form_names[f], imm, a.q[1], a.q[0], b.q[1], b.q[0], rax,
                                  rdx, h.rcx, h.flags & FLAGS_MASK, h.xmm0.q[1], h.xmm0.q[0],
                                  (uint64_t)(uint32_t)r, tflags, env->xmm_regs[0].q[1],
                                  env->xmm_regs[0].q[0]);
                }
            }
        }
    }
    test_compared("pcmpestri/pcmpestrm/pcmpistri/pcmpistrm, 256 imm8 values", total, bad);
    CHECK_EQ(bad, 0);
}

/* Hand-worked SDM examples, so that the helper is pinned down without a host. */
static void test_pcmpstr_examples(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    uint64_t r;

    /* pcmpistri "ab" in "xxabyy" (ubytes, equal ordered, LSB index) = 2 */
    memset(&env->xmm_regs[1], 0, 16);
    memset(&env->xmm_regs[2], 0, 16);
    memcpy(env->xmm_regs[1].b, "ab", 2);
    memcpy(env->xmm_regs[2].b, "xxabyy", 6);
    r = helper_sse_pcmpstr(env, SSE_PCMPSTR_DESC(1, 2, 0x0c), 0, 0);
    CHECK_EQ((uint32_t)r, 2);
    CHECK_EQ(r >> 32, CC_C | CC_Z | CC_S);
    /* pcmpistrm ranges 'a'..'z' over "aZb" (bit mask) = 0b101 */
    memset(&env->xmm_regs[1], 0, 16);
    memcpy(env->xmm_regs[1].b, "az", 2);
    memset(&env->xmm_regs[2], 0, 16);
    memcpy(env->xmm_regs[2].b, "aZb", 3);
    r = helper_sse_pcmpstr(env, SSE_PCMPSTR_DESC(1, 2, 0x04) | SSE_PCMPSTR_MASK, 0, 0);
    CHECK_EQ(env->xmm_regs[0].q[0], 5);
    CHECK_EQ(env->xmm_regs[0].q[1], 0);
    CHECK_EQ(r >> 32, CC_C | CC_Z | CC_S | CC_O);
    /* pcmpestri equal each, EAX = EDX = -2^31: both lengths 16, all equal */
    memset(&env->xmm_regs[2], 0, 16);
    memcpy(env->xmm_regs[2].b, "az", 2);
    r = helper_sse_pcmpstr(env, SSE_PCMPSTR_DESC(1, 2, 0x08) | SSE_PCMPSTR_EXPLICIT,
                           0x80000000, 0x80000000);
    CHECK_EQ((uint32_t)r, 0);
    CHECK_EQ(r >> 32, CC_C | CC_O);
}

int main(void)
{
    RUN_TEST(test_pcmpstr_examples);
    if (!__builtin_cpu_supports("sse4.2")) {
        printf("SKIP test-sse42-helper: the host has no SSE4.2\n");
        TEST_MAIN_END();
    }
    RUN_TEST(test_pcmpgtq_vs_host);
    RUN_TEST(test_pcmpstr_vs_host);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP test-sse42-helper: no x86 host to compare with\n");
    return 0;
}

#endif
