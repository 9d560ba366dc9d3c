/*
 * test-aes-helper.c: the AES-NI and PCLMULQDQ helpers (target-x86/
 * aes_helper.c) against the host CPU's instructions (<wmmintrin.h>):
 * AESENC, AESENCLAST, AESDEC, AESDECLAST, AESIMC on random and edge states
 * and round keys, AESKEYGENASSIST and PCLMULQDQ under every imm8 (only
 * bits 0 and 4 of PCLMULQDQ's select; the others must be ignored), and the
 * FIPS-197 appendix C.1 AES-128 vector run through the helpers alone (key
 * expansion with AESKEYGENASSIST, decryption with AESIMC round keys).
 *
 * Built with -maes -mpclmul (tests/unit/build.mk); says SKIP for the host
 * comparisons on a host without AES-NI or PCLMULQDQ.
 */
#include "util/osdep.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__) /* for the comparisons with the host's AES-NI */
/* A vector: random, sparse bits, all zero or all ones in a lane, repeated bytes. */
static X86XMMReg rnd_vec(void)
{
    X86XMMReg x;

    for (int i = 0; i < 2; i++) {
        switch (test_rnd() % 8) {
        case 0: x.q[i] = 0; break;
        case 1: x.q[i] = ~0ull; break;
        case 2: x.q[i] = 1ull << (test_rnd() % 64); break;
        case 3: x.q[i] = 0x0101010101010101ull * (uint8_t)test_rnd(); break;
        case 4: x.q[i] = 0x8000000000000001ull; break;
        default: x.q[i] = test_rnd(); break;
        }
    }
    return x;
}
#endif

static void set_hex(X86XMMReg *x, const char *hex)
{
    for (int i = 0; i < 16; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        x->b[i] = (uint8_t)v;
    }
}

/* FIPS-197 C.1: AES-128 encryption and decryption with the helpers only. */
static void test_aes128_fips197(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    static const uint8_t rcon[10] = { 1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };
    X86XMMReg rk[11], pt, ct, want;

    set_hex(&rk[0], "000102030405060708090a0b0c0d0e0f");
    set_hex(&pt, "00112233445566778899aabbccddeeff");
    set_hex(&want, "69c4e0d86a7b0430d8cdb78070b4c55a");

    /* key expansion: w[i] = w[i-4] ^ (i % 4 ? w[i-1] : RotWord(SubWord(w[i-1])) ^ Rcon) */
    for (int r = 1; r <= 10; r++) {
        env->xmm_regs[1] = rk[r - 1];
        helper_sse_aeskeygenassist(env, 2, 1, rcon[r - 1]);
        uint32_t t = env->xmm_regs[2].l[3];
        for (int i = 0; i < 4; i++) {
            t ^= rk[r - 1].l[i];
            rk[r].l[i] = t;
        }
    }
    {
        X86XMMReg k10;
        set_hex(&k10, "13111d7fe3944a17f307a78b4d2b30c5");
        CHECK_EQ(rk[10].q[0], k10.q[0]);
        CHECK_EQ(rk[10].q[1], k10.q[1]);
    }

    env->xmm_regs[0] = pt;
    env->xmm_regs[0].q[0] ^= rk[0].q[0];
    env->xmm_regs[0].q[1] ^= rk[0].q[1];
    for (int r = 1; r <= 10; r++) {
        env->xmm_t0 = rk[r];
        if (r < 10) {
            helper_sse_aesenc(env, 0, SSE_XMM_T0);
        } else {
            helper_sse_aesenclast(env, 0, SSE_XMM_T0);
        }
    }
    ct = env->xmm_regs[0];
    CHECK_EQ(ct.q[0], want.q[0]);
    CHECK_EQ(ct.q[1], want.q[1]);

    /* the equivalent inverse cipher: round keys 9..1 through InvMixColumns */
    env->xmm_regs[0].q[0] ^= rk[10].q[0];
    env->xmm_regs[0].q[1] ^= rk[10].q[1];
    for (int r = 9; r >= 0; r--) {
        if (r > 0) {
            env->xmm_regs[5] = rk[r];
            helper_sse_aesimc(env, 6, 5);
            helper_sse_aesdec(env, 0, 6);
        } else {
            env->xmm_regs[6] = rk[0];
            helper_sse_aesdeclast(env, 0, 6);
        }
    }
    CHECK_EQ(env->xmm_regs[0].q[0], pt.q[0]);
    CHECK_EQ(env->xmm_regs[0].q[1], pt.q[1]);
}

/* GF(2)[x] products worked by hand */
static void test_pclmul_examples(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;

    /* (x^63 + 1) * (x^63 + x) = x^126 + x^64 + x^63 + x */
    env->xmm_regs[1].q[0] = 0x8000000000000001ull;
    env->xmm_regs[1].q[1] = 0;
    env->xmm_regs[2].q[0] = 0;
    env->xmm_regs[2].q[1] = 0x8000000000000002ull;
    helper_sse_pclmulqdq(env, 1, 2, 0x10);
    CHECK_EQ(env->xmm_regs[1].q[0], 0x8000000000000002ull);
    CHECK_EQ(env->xmm_regs[1].q[1], 0x4000000000000001ull);
    /* (x + 1)^2 = x^2 + 1; imm8 bits other than 0 and 4 are ignored */
    env->xmm_regs[3].q[0] = 0;
    env->xmm_regs[3].q[1] = 3;
    helper_sse_pclmulqdq(env, 3, 3, 0xee | 0x11);
    CHECK_EQ(env->xmm_regs[3].q[0], 5);
    CHECK_EQ(env->xmm_regs[3].q[1], 0);
}

#if defined(__x86_64__)
#include <wmmintrin.h>

#define N_CASES 100000

static __m128i ld(const X86XMMReg *x)
{
    return _mm_loadu_si128((const __m128i *)x);
}

static void st(X86XMMReg *x, __m128i v)
{
    _mm_storeu_si128((__m128i *)x, v);
}

typedef void (*Helper2)(CPUX86State *env, uint32_t d, uint32_t s);

/* the intrinsics are inline only: wrappers to take their addresses */
static __m128i host_aesenc(__m128i a, __m128i b) { return _mm_aesenc_si128(a, b); }
static __m128i host_aesenclast(__m128i a, __m128i b) { return _mm_aesenclast_si128(a, b); }
static __m128i host_aesdec(__m128i a, __m128i b) { return _mm_aesdec_si128(a, b); }
static __m128i host_aesdeclast(__m128i a, __m128i b) { return _mm_aesdeclast_si128(a, b); }
static __m128i host_aesimc(__m128i a, __m128i b)
{
    (void)a;
    return _mm_aesimc_si128(b);
}

static const struct {
    const char *name;
    Helper2 helper;
    __m128i (*host)(__m128i, __m128i);
} aes_cases[] = {
    { "aesenc", helper_sse_aesenc, host_aesenc },
    { "aesenclast", helper_sse_aesenclast, host_aesenclast },
    { "aesdec", helper_sse_aesdec, host_aesdec },
    { "aesdeclast", helper_sse_aesdeclast, host_aesdeclast },
    { "aesimc", helper_sse_aesimc, host_aesimc },
};

static void test_aes_rounds_vs_host(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long total = 0, bad = 0;

    for (size_t c = 0; c < ARRAY_SIZE(aes_cases); c++) {
        for (int n = 0; n < N_CASES; n++) {
            X86XMMReg a = rnd_vec(), b = rnd_vec(), h;
            uint32_t s = n % 3 == 0 ? SSE_XMM_T0 : n % 3 == 1 ? 9 : 4;

            if (s == 4) {
                b = a;      /* the same register as state and key */
            }
            st(&h, aes_cases[c].host(ld(&a), ld(&b)));
            env->xmm_regs[4] = a;
            env->xmm_regs[9] = b;
            env->xmm_t0 = b;
            aes_cases[c].helper(env, 4, s);
            total++;
            if (memcmp(&env->xmm_regs[4], &h, 16)) {
                test_mismatch(&bad, "%s %016" PRIx64 ":%016" PRIx64 " %016" PRIx64 ":%016"
                              PRIx64, aes_cases[c].name, a.q[1], a.q[0], b.q[1], b.q[0]);
            }
        }
    }
    test_compared("aesenc/aesenclast/aesdec/aesdeclast/aesimc", total, bad);
    CHECK_EQ(bad, 0);
}

/* Host AESKEYGENASSIST and PCLMULQDQ for every imm8 */
#define HOST_IMM(_, imm)                                                      \
static __m128i host_kga_##imm(__m128i a, __m128i b)                           \
{                                                                             \
    (void)a;                                                                  \
    return _mm_aeskeygenassist_si128(b, imm);                                 \
}                                                                             \
static __m128i host_clmul_##imm(__m128i a, __m128i b)                         \
{                                                                             \
    return _mm_clmulepi64_si128(a, b, imm);                                   \
}
TEST_IMM8(HOST_IMM, _)

typedef __m128i (*HostImmFn)(__m128i, __m128i);
#define HI(p, i) [i] = host_##p##_##i,
static const HostImmFn host_kga[256] = { TEST_IMM8(HI, kga) };
static const HostImmFn host_clmul[256] = { TEST_IMM8(HI, clmul) };

typedef void (*Helper3)(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm);

static unsigned long imm_vs_host(const char *name, Helper3 helper, const HostImmFn *host,
                                 unsigned long *total)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long bad = 0;

    for (unsigned imm = 0; imm < 256; imm++) {
        for (int n = 0; n < 2000; n++) {
            X86XMMReg a = rnd_vec(), b = rnd_vec(), h;
            uint32_t s = n % 2 ? SSE_XMM_T0 : 7;

            st(&h, host[imm](ld(&a), ld(&b)));
            env->xmm_regs[1] = a;
            env->xmm_regs[7] = b;
            env->xmm_t0 = b;
            helper(env, 1, s, imm);
            (*total)++;
            if (memcmp(&env->xmm_regs[1], &h, 16)) {
                test_mismatch(&bad, "%s imm=%02x %016" PRIx64 ":%016" PRIx64 " %016" PRIx64
                              ":%016" PRIx64, name, imm, a.q[1], a.q[0], b.q[1], b.q[0]);
            }
        }
    }
    return bad;
}

static void test_aeskeygenassist_pclmulqdq_vs_host(void)
{
    unsigned long total = 0, bad;

    bad = imm_vs_host("aeskeygenassist", helper_sse_aeskeygenassist, host_kga, &total);
    bad += imm_vs_host("pclmulqdq", helper_sse_pclmulqdq, host_clmul, &total);
    test_compared("aeskeygenassist/pclmulqdq, 256 imm8 values", total, bad);
    CHECK_EQ(bad, 0);
}

int main(void)
{
    RUN_TEST(test_aes128_fips197);
    RUN_TEST(test_pclmul_examples);
    if (!__builtin_cpu_supports("aes") || !__builtin_cpu_supports("pclmul")) {
        printf("SKIP test-aes-helper: the host has no AES-NI or PCLMULQDQ\n");
        TEST_MAIN_END();
    }
    RUN_TEST(test_aes_rounds_vs_host);
    RUN_TEST(test_aeskeygenassist_pclmulqdq_vs_host);
    TEST_MAIN_END();
}

#else

int main(void)
{
    RUN_TEST(test_aes128_fips197);
    RUN_TEST(test_pclmul_examples);
    printf("SKIP test-aes-helper: no x86 host to compare with\n");
    TEST_MAIN_END();
}

#endif
