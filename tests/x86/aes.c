// tern-nested: allow align/*-gp QEMU 7.2 TCG (the nested CPU) does not #GP on a misaligned 16-byte legacy-SSE memory operand
/*
 * aes.c: AES-NI and PCLMULQDQ.  The FIPS-197 appendix C.1 AES-128 vector
 * through the round instructions: key expansion with AESKEYGENASSIST,
 * encryption with AESENC/AESENCLAST, decryption (the equivalent inverse
 * cipher) with AESIMC/AESDEC/AESDECLAST, register and memory round keys,
 * XMM8-15; AESKEYGENASSIST on a hand-worked input; PCLMULQDQ under the
 * four quadword selections (and imm8 bits that must be ignored) on
 * hand-worked products, and GHASH of the GCM specification's test case 2
 * (the 256-bit products by PCLMULQDQ, the bit reflection and reduction in
 * C); #GP(0) for a misaligned m128 (guest only).  CPUID leaf 1 ECX bits
 * 25 (AES) and 1 (PCLMULQDQ) must be set.
 *
 * Built with -msse2 -fno-tree-vectorize; the instructions are inline asm.
 */
#include "simd.h"

static X from_hex(const char *s)
{
    X x;

    for (int i = 0; i < 16; i++) {
        int hi = s[2 * i], lo = s[2 * i + 1];
        hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
        lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
        x.b[i] = (uint8_t)(hi << 4 | lo);
    }
    return x;
}

static X g_key[11] __attribute__((aligned(16)));
static X g_mem __attribute__((aligned(16)));

/* next round key from k with RCON rc: AESKEYGENASSIST, then the xor chain */
#define EXPAND(key, rc)                                                      \
    ({                                                                       \
        X k_ = (key), t_, n_;                                                \
        __asm__ volatile("aeskeygenassist $" #rc ", %[k], %[t]"              \
                         : [t] "=x"(t_.v) : [k] "x"(k_.v));                  \
        uint32_t w_ = t_.l[3];                                               \
        for (int i_ = 0; i_ < 4; i_++) {                                     \
            w_ ^= k_.l[i_];                                                  \
            n_.l[i_] = w_;                                                   \
        }                                                                    \
        n_;                                                                  \
    })

static void test_aes128(void)
{
    X pt = from_hex("00112233445566778899aabbccddeeff");
    X ct = from_hex("69c4e0d86a7b0430d8cdb78070b4c55a");
    X s, dk;

    g_key[0] = from_hex("000102030405060708090a0b0c0d0e0f");
    g_key[1] = EXPAND(g_key[0], 0x01);
    g_key[2] = EXPAND(g_key[1], 0x02);
    g_key[3] = EXPAND(g_key[2], 0x04);
    g_key[4] = EXPAND(g_key[3], 0x08);
    g_key[5] = EXPAND(g_key[4], 0x10);
    g_key[6] = EXPAND(g_key[5], 0x20);
    g_key[7] = EXPAND(g_key[6], 0x40);
    g_key[8] = EXPAND(g_key[7], 0x80);
    g_key[9] = EXPAND(g_key[8], 0x1b);
    g_key[10] = EXPAND(g_key[9], 0x36);
    /* FIPS-197 C.1: round[1].k_sch and round[10].k_sch */
    CHECK_XEQ("aes128/key1", g_key[1], from_hex("d6aa74fdd2af72fadaa678f1d6ab76fe"));
    CHECK_XEQ("aes128/key10", g_key[10], from_hex("13111d7fe3944a17f307a78b4d2b30c5"));

    /* encryption: round keys from memory (1-5) and from xmm8-15 (6-10) */
    s = pt;
    s.q[0] ^= g_key[0].q[0];
    s.q[1] ^= g_key[0].q[1];
    for (int r = 1; r <= 5; r++) {
        __asm__ volatile("aesenc %[k], %[s]" : [s] "+x"(s.v) : [k] "m"(g_key[r]));
    }
    /* FIPS-197 C.1 round[6].start: the state after five rounds */
    CHECK_XEQ("aes128/round5", s, from_hex("c81677bc9b7ac93b25027992b0261996"));
    {
        register v2di k6 __asm__("xmm8") = g_key[6].v;
        register v2di k9 __asm__("xmm13") = g_key[9].v;
        register v2di k10 __asm__("xmm15") = g_key[10].v;
        register v2di st __asm__("xmm11") = s.v;
        __asm__ volatile("aesenc %[k6], %[s]\n\t"
                         "aesenc %[k7], %[s]\n\t"
                         "aesenc %[k8], %[s]\n\t"
                         "aesenc %[k9], %[s]\n\t"
                         "aesenclast %[k10], %[s]"
                         : [s] "+x"(st)
                         : [k6] "x"(k6), [k7] "m"(g_key[7]), [k8] "x"(g_key[8].v),
                           [k9] "x"(k9), [k10] "x"(k10));
        s.v = st;
    }
    CHECK_XEQ("aes128/encrypt", s, ct);

    /* decryption: AESIMC round keys 9..1 (one from memory), AESDECLAST key 0 */
    s.q[0] ^= g_key[10].q[0];
    s.q[1] ^= g_key[10].q[1];
    for (int r = 9; r >= 1; r--) {
        if (r == 5) {
            g_mem = g_key[r];
            __asm__ volatile("aesimc %[k], %[d]" : [d] "=x"(dk.v) : [k] "m"(g_mem));
            g_mem = dk;
            __asm__ volatile("aesdec %[k], %[s]" : [s] "+x"(s.v) : [k] "m"(g_mem));
        } else {
            __asm__ volatile("aesimc %[k], %[d]" : [d] "=x"(dk.v) : [k] "x"(g_key[r].v));
            __asm__ volatile("aesdec %[k], %[s]" : [s] "+x"(s.v) : [k] "x"(dk.v));
        }
    }
    __asm__ volatile("aesdeclast %[k], %[s]" : [s] "+x"(s.v) : [k] "m"(g_key[0]));
    CHECK_XEQ("aes128/decrypt", s, pt);

    {
        /* InvMixColumns of a column of equal bytes a is a column of a (14^11^13^9 = 1) */
        X c = from_hex("5a5a5a5a010101017f7f7f7fe0e0e0e0");
        __asm__ volatile("aesimc %[c], %[d]" : [d] "=x"(dk.v) : [c] "x"(c.v));
        CHECK_XEQ("aesimc/uniform-columns", dk, c);
    }
}

static void test_aeskeygenassist(void)
{
    X z = { .q = { 0, 0 } }, r;
    X v = from_hex("00000000" "09cf4f3c" "00000000" "01020304");

    /* SubWord(0) = 63636363; RotWord(63636363) ^ 0x01 = 63636362 */
    __asm__ volatile("aeskeygenassist $1, %[s], %[d]" : [d] "=x"(r.v) : [s] "x"(z.v));
    CHECK_EQ_NAMED("aeskeygenassist/zero/l0", r.l[0], 0x63636363);
    CHECK_EQ_NAMED("aeskeygenassist/zero/l1", r.l[1], 0x63636362);
    CHECK_EQ_NAMED("aeskeygenassist/zero/l2", r.l[2], 0x63636363);
    CHECK_EQ_NAMED("aeskeygenassist/zero/l3", r.l[3], 0x63636362);
    /* X1 = 3c4fcf09 (FIPS-197 A.1 w[3]): SubWord = eb848a01 (bytes 01 8a 84 eb),
     * RotWord = 01eb848a, ^ 0xff; X3 = 04030201: SubWord f27b777c */
    g_mem = v;
    __asm__ volatile("aeskeygenassist $0xff, %[s], %[d]" : [d] "=x"(r.v) : [s] "m"(g_mem));
    CHECK_EQ_NAMED("aeskeygenassist/fips/l0", r.l[0], 0xeb848a01);
    CHECK_EQ_NAMED("aeskeygenassist/fips/l1", r.l[1], 0x01eb8475);
    CHECK_EQ_NAMED("aeskeygenassist/fips/l2", r.l[2], 0xf27b777c);
    CHECK_EQ_NAMED("aeskeygenassist/fips/l3", r.l[3], 0x7cf27b88);
}

/* ---- PCLMULQDQ ------------------------------------------------------------ */

#define CLMUL(imm, va, vb)                                                   \
    ({                                                                       \
        X r_ = (va), s_ = (vb);                                              \
        __asm__ volatile("pclmulqdq $" #imm ", %[s], %[d]"                   \
                         : [d] "+x"(r_.v) : [s] "x"(s_.v));                  \
        r_;                                                                  \
    })

static void test_pclmulqdq(void)
{
    X a = { .q = { 0x8000000000000001ull, 3 } };
    X b = { .q = { 5, 0x8000000000000002ull } };
    X r;

    /* (x^63 + 1)(x^2 + 1) = x^65 + x^63 + x^2 + 1 */
    r = CLMUL(0x00, a, b);
    CHECK_XEQ("pclmulqdq/00", r, ((X){ .q = { 0x8000000000000005ull, 2 } }));
    /* (x + 1)(x^2 + 1) = x^3 + x^2 + x + 1 */
    r = CLMUL(0x01, a, b);
    CHECK_XEQ("pclmulqdq/01", r, ((X){ .q = { 0xf, 0 } }));
    /* (x^63 + 1)(x^63 + x) = x^126 + x^64 + x^63 + x */
    r = CLMUL(0x10, a, b);
    CHECK_XEQ("pclmulqdq/10", r, ((X){ .q = { 0x8000000000000002ull, 0x4000000000000001ull } }));
    /* (x + 1)(x^63 + x) = x^64 + x^63 + x^2 + x */
    r = CLMUL(0x11, a, b);
    CHECK_XEQ("pclmulqdq/11", r, ((X){ .q = { 0x8000000000000006ull, 1 } }));
    /* imm8 bits other than 0 and 4 are ignored: 0xee selects like 0x00 */
    r = CLMUL(0xee, a, b);
    CHECK_XEQ("pclmulqdq/ee", r, ((X){ .q = { 0x8000000000000005ull, 2 } }));
    /* all ones squared: every even power up to 126 */
    {
        X m = { .q = { ~0ull, 0 } };
        g_mem = m;
        __asm__ volatile("pclmulqdq $0, %[s], %[d]" : [d] "+x"(m.v) : [s] "m"(g_mem));
        CHECK_XEQ("pclmulqdq/ones-mem", m,
                ((X){ .q = { 0x5555555555555555ull, 0x5555555555555555ull } }));
    }
}

/* 128-bit bit reversal of a GCM block (its bytes as a big-endian number) */
static X gcm_to_poly(X blk)
{
    X p = { .q = { 0, 0 } };

    for (int i = 0; i < 128; i++) {
        /* coefficient of x^i: bit 7 - i % 8 of byte i / 8 */
        if ((blk.b[i / 8] >> (7 - i % 8)) & 1) {
            p.q[i / 64] |= 1ull << (i % 64);
        }
    }
    return p;
}

static X poly_to_gcm(X p)
{
    X blk = { .q = { 0, 0 } };

    for (int i = 0; i < 128; i++) {
        if ((p.q[i / 64] >> (i % 64)) & 1) {
            blk.b[i / 8] |= (uint8_t)(1u << (7 - i % 8));
        }
    }
    return blk;
}

/* a * b mod x^128 + x^7 + x^2 + x + 1: the 255-bit product from PCLMULQDQ */
static X gf128_mul(X a, X b)
{
    X p00 = CLMUL(0x00, a, b), p01 = CLMUL(0x01, a, b);
    X p10 = CLMUL(0x10, a, b), p11 = CLMUL(0x11, a, b);
    uint64_t w[4] = { p00.q[0], p00.q[1] ^ p01.q[0] ^ p10.q[0], p11.q[0] ^ p01.q[1] ^ p10.q[1],
                      p11.q[1] };
    X r;

    for (int i = 254; i >= 128; i--) {
        if ((w[i / 64] >> (i % 64)) & 1) {
            int j = i - 128;
            w[i / 64] ^= 1ull << (i % 64);
            /* x^i = x^j * (x^7 + x^2 + x + 1) */
            for (int k = 0; k < 4; k++) {
                static const int t[4] = { 0, 1, 2, 7 };
                w[(j + t[k]) / 64] ^= 1ull << ((j + t[k]) % 64);
            }
        }
    }
    r.q[0] = w[0];
    r.q[1] = w[1];
    return r;
}

static void test_ghash(void)
{
    /* GCM spec test case 2: K = 0, P = 0^128: H, C, GHASH(H, {}, C) */
    X h = gcm_to_poly(from_hex("66e94bd4ef8a2c3b884cfa59ca342b2e"));
    X c = gcm_to_poly(from_hex("0388dace60b6a392f328c2b971b2fe78"));
    X len = gcm_to_poly(from_hex("00000000000000000000000000000080"));
    X y = gf128_mul(c, h);

    y.q[0] ^= len.q[0];
    y.q[1] ^= len.q[1];
    y = poly_to_gcm(gf128_mul(y, h));
    CHECK_XEQ("ghash/gcm-test-case-2", y, from_hex("f38cbb1ad69223dcc3457ae5b6b0f885"));
}

/*
 * Alignment, guest only (the native build cannot take the fault; on the
 * Intel host each of these raises SIGSEGV): a misaligned m128 of a legacy
 * AES-NI or PCLMULQDQ instruction is #GP(0).
 */
#ifndef TERN_NATIVE
static uint8_t g_area[64] __attribute__((aligned(16)));
uint64_t aes_misaligned, aes_aligned;
FAULT_FN(aesenc_mis, "mov aes_misaligned(%rip), %rax\n\taesenc (%rax), %xmm1");
FAULT_FN(aesdeclast_mis, "mov aes_misaligned(%rip), %rax\n\taesdeclast (%rax), %xmm1");
FAULT_FN(aesimc_mis, "mov aes_misaligned(%rip), %rax\n\taesimc (%rax), %xmm1");
FAULT_FN(aeskga_mis, "mov aes_misaligned(%rip), %rax\n\taeskeygenassist $1, (%rax), %xmm1");
FAULT_FN(pclmul_mis, "mov aes_misaligned(%rip), %rax\n\tpclmulqdq $0x11, (%rax), %xmm1");
FAULT_FN(aesenc_ok, "mov aes_aligned(%rip), %rax\n\taesenc (%rax), %xmm1");

static void test_alignment(void)
{
    aes_aligned = (uint64_t)(uintptr_t)g_area + 16;
    aes_misaligned = aes_aligned + 4;
    test_group("align");
    CHECK_EQ_NAMED("aesenc-gp", tern_catch_fault(aesenc_mis), 13);
    CHECK_EQ_NAMED("aesenc-gp-error-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("aesdeclast-gp", tern_catch_fault(aesdeclast_mis), 13);
    CHECK_EQ_NAMED("aesimc-gp", tern_catch_fault(aesimc_mis), 13);
    CHECK_EQ_NAMED("aeskeygenassist-gp", tern_catch_fault(aeskga_mis), 13);
    CHECK_EQ_NAMED("pclmulqdq-gp", tern_catch_fault(pclmul_mis), 13);
    CHECK_EQ_NAMED("aesenc-aligned-ok", tern_catch_fault(aesenc_ok), -1);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifndef TERN_NATIVE
    idt_install();
#endif
    CPUID1_REQUIRE("aes", CPUID1_AES);
    CPUID1_REQUIRE("pclmulqdq", CPUID1_PCLMULQDQ);
    RUN(test_aes128);
    RUN(test_aeskeygenassist);
    RUN(test_pclmulqdq);
    RUN(test_ghash);
#ifndef TERN_NATIVE
    test_alignment();
#endif
    test_done();
}
