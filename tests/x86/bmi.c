// tern-nested: allow */flags QEMU 7.2 TCG (the nested CPU) sets the undefined flags (AF, PF) of BMI1/BMI2/ADX differently
// tern-native-amd: allow andn*/flags AMD sets the flags BMI1/BMI2 leave undefined (AF PF, SF for BEXTR) otherwise than Intel, which clears them
// tern-native-amd: allow bextr*/flags AMD sets the flags BMI1/BMI2 leave undefined (AF PF, SF for BEXTR) otherwise than Intel, which clears them
// tern-native-amd: allow bls*/flags AMD sets the flags BMI1/BMI2 leave undefined (AF PF, SF for BEXTR) otherwise than Intel, which clears them
// tern-native-amd: allow bzhi*/flags AMD sets the flags BMI1/BMI2 leave undefined (AF PF, SF for BEXTR) otherwise than Intel, which clears them
/*
 * bmi.c: BMI1 (andn bextr blsi blsmsk blsr), BMI2 (bzhi mulx pdep pext rorx
 * sarx shlx shrx), ADX (adcx adox), MOVBE and CRC32 on 32- and 64-bit
 * operands, register and memory sources: results in the whole register
 * (32-bit writes zero-extend) and all six arithmetic flags.
 *
 * The flags the SDM leaves undefined (AF, PF; SF for bextr) are checked
 * too: tern clears them, which is what the Intel host does (docs/isa.md,
 * "Undefined flags"), and the native build proves it.  Instructions that
 * define no flags must keep all of them; adcx/adox only CF/OF.
 */
#include "tern.h"

#define C FL_CF
#define P FL_PF
#define A FL_AF
#define Z FL_ZF
#define S FL_SF
#define O FL_OF
#define ALL FL_ARITH

/*
 * One instruction: asm text over %[d] (destination, preloaded with d0),
 * %[a] and %[b] (registers), %[m] (a memory copy of a); flags in, then
 * the result and all arithmetic flags checked.
 */
#define T(name, text, d0, xa, xb, fin, res, fl)                              \
    do {                                                                     \
        uint64_t d_ = (d0), a_ = (xa), b_ = (xb), m_ = (xa), f_ = (fin) | 2; \
        __asm__ volatile("push %[f]\n\tpopf\n\t" text "\n\t"                 \
                         "pushf\n\tpop %[f]"                                 \
                         : [d] "+&r"(d_), [f] "+&r"(f_), [m] "+m"(m_)        \
                         : [a] "r"(a_), [b] "r"(b_)                          \
                         : "cc");                                            \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (res));                                 \
        CHECK_EQ_NAMED("flags", f_ & ALL, (fl));                             \
    } while (0)

#define G 0xdeadbeefcafef00dull       /* destination garbage */

static void test_andn(void)
{
    T("andn64", "andn %[b], %[a], %[d]", G, 0x00ff00ff00ff00ffull, 0x0f0f0f0f0f0f0f0full,
      ALL, 0x0f000f000f000f00ull, 0);
    T("andn64-zero", "andn %[b], %[a], %[d]", G, ~0ull, 0x1234, ALL, 0, Z);
    T("andn64-sign", "andn %[b], %[a], %[d]", G, 0, 0x8000000000000001ull, 0,
      0x8000000000000001ull, S);
    T("andn32", "andn %k[b], %k[a], %k[d]", G, 0xffff0000ffff0000ull, 0x12345678ffffffffull,
      ALL, 0xffff, 0);
    T("andn32-sign", "andn %k[b], %k[a], %k[d]", G, 0x1, 0x80000003, C | O, 0x80000002, S);
    T("andn64-mem", "andn %[m], %[b], %[d]", G, 0x00ff, 0xf0f0, 0, 0xf, 0);
}

static void test_bextr(void)
{
    /* control: bits 7:0 start, 15:8 length */
    T("bextr64", "bextr %[b], %[a], %[d]", G, 0x123456789abcdef0ull, 0x0804, ALL, 0xef, 0);
    T("bextr64-zero", "bextr %[b], %[a], %[d]", G, 0xff00, 0x0800, 0, 0, Z);
    T("bextr64-len0", "bextr %[b], %[a], %[d]", G, ~0ull, 0x0010, ALL, 0, Z);
    T("bextr64-msb", "bextr %[b], %[a], %[d]", G, 0x8000000000000000ull, 0x4000, ALL,
      0x8000000000000000ull, 0);                        /* SF undefined: clear */
    T("bextr64-len-big", "bextr %[b], %[a], %[d]", G, 0xf000000000000000ull, 0xff3c, 0, 0xf, 0);
    T("bextr64-start-big", "bextr %[b], %[a], %[d]", G, ~0ull, 0x0840, ALL, 0, Z);
    T("bextr64-start-ff", "bextr %[b], %[a], %[d]", G, ~0ull, 0x08ff, 0, 0, Z);
    T("bextr32", "bextr %k[b], %k[a], %k[d]", G, 0xffffffff87654321ull, 0x1010, ALL, 0x8765, 0);
    T("bextr32-start-32", "bextr %k[b], %k[a], %k[d]", G, ~0ull, 0x0820, 0, 0, Z);
    T("bextr32-len-40", "bextr %k[b], %k[a], %k[d]", G, 0xfedcba9887654321ull, 0x2804, 0,
      0x08765432, 0);
    T("bextr32-ctl-high", "bextr %k[b], %k[a], %k[d]", G, 0xf0, 0xffff0404ull, 0, 0xf, 0);
    T("bextr64-mem", "bextr %[b], %[m], %[d]", G, 0xabcd, 0x0404, 0, 0xc, 0);
}

static void test_bls(void)
{
    T("blsi64", "blsi %[a], %[d]", G, 0x00f0000000000000ull, 0, ALL, 0x0010000000000000ull, C);
    T("blsi64-zero", "blsi %[a], %[d]", G, 0, 0, ALL, 0, Z);
    T("blsi64-sign", "blsi %[a], %[d]", G, 0x8000000000000000ull, 0, 0,
      0x8000000000000000ull, S | C);
    T("blsi32", "blsi %k[a], %k[d]", G, 0xffffffff00000600ull, 0, 0, 0x200, C);
    T("blsi32-zero", "blsi %k[a], %k[d]", G, 0xffffffff00000000ull, 0, 0, 0, Z);
    T("blsmsk64", "blsmsk %[a], %[d]", G, 0x0000000000001800ull, 0, ALL, 0xfff, 0);
    T("blsmsk64-zero", "blsmsk %[a], %[d]", G, 0, 0, 0, ~0ull, S | C);
    T("blsmsk32-zero", "blsmsk %k[a], %k[d]", G, 0x1234567800000000ull, 0, 0, 0xffffffff, S | C);
    T("blsmsk32-sign", "blsmsk %k[a], %k[d]", G, 0x80000000, 0, ALL, 0xffffffff, S);
    T("blsr64", "blsr %[a], %[d]", G, 0x8000000000000100ull, 0, ALL, 0x8000000000000000ull, S);
    T("blsr64-one", "blsr %[a], %[d]", G, 0x0000000000000100ull, 0, 0, 0, Z);
    T("blsr64-zero", "blsr %[a], %[d]", G, 0, 0, 0, 0, Z | C);
    T("blsr32", "blsr %k[a], %k[d]", G, 0x1000000030ull, 0, ALL, 0x20, 0);
    T("blsr32-mem", "blsr %[m], %k[d]", G, 0xc0000000, 0, 0, 0x80000000, S);
}

static void test_bzhi(void)
{
    T("bzhi64", "bzhi %[b], %[a], %[d]", G, ~0ull, 12, ALL, 0xfff, 0);
    T("bzhi64-0", "bzhi %[b], %[a], %[d]", G, ~0ull, 0, 0, 0, Z);
    T("bzhi64-63", "bzhi %[b], %[a], %[d]", G, ~0ull, 63, 0, 0x7fffffffffffffffull, 0);
    T("bzhi64-64", "bzhi %[b], %[a], %[d]", G, ~0ull, 64, 0, ~0ull, S | C);
    T("bzhi64-255", "bzhi %[b], %[a], %[d]", G, 0x8000000000000000ull, 0xff, 0,
      0x8000000000000000ull, S | C);
    T("bzhi64-idx-low-byte", "bzhi %[b], %[a], %[d]", G, ~0ull, 0x104, ALL, 0xf, 0);
    T("bzhi32-31", "bzhi %k[b], %k[a], %k[d]", G, ~0ull, 31, 0, 0x7fffffff, 0);
    T("bzhi32-32", "bzhi %k[b], %k[a], %k[d]", G, ~0ull, 32, 0, 0xffffffff, S | C);
    T("bzhi32-zero-cf", "bzhi %k[b], %k[a], %k[d]", G, 0xffffffff00000000ull, 40, 0, 0, Z | C);
    T("bzhi64-mem", "bzhi %[b], %[m], %[d]", G, 0xffff, 8, 0, 0xff, 0);
}

/* mulx: rdx is the implicit source; hi to %[d], lo to %[b]. */
#define MULX(name, text, rdx, src, hi, lo)                                   \
    do {                                                                     \
        uint64_t h_ = G, l_ = G, s_ = (src), f_ = ALL | 2;                   \
        __asm__ volatile("push %[f]\n\tpopf\n\t" text "\n\t"                 \
                         "pushf\n\tpop %[f]"                                 \
                         : [h] "=&r"(h_), [l] "=&r"(l_), [f] "+&r"(f_),      \
                           [s] "+m"(s_)                                      \
                         : "d"((uint64_t)(rdx)), [a] "r"(s_)                 \
                         : "cc");                                            \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("hi", h_, (hi));                                      \
        CHECK_EQ_NAMED("lo", l_, (lo));                                      \
        CHECK_EQ_NAMED("flags", f_ & ALL, ALL);                              \
    } while (0)

static void test_mulx(void)
{
    MULX("mulx64", "mulx %[a], %[l], %[h]", ~0ull, ~0ull, 0xfffffffffffffffeull, 1);
    MULX("mulx64-mem", "mulx %[s], %[l], %[h]", 0x100000000ull, 0x123456789ull, 1,
         0x2345678900000000ull);
    MULX("mulx32", "mulx %k[a], %k[l], %k[h]", 0xaaaaaaaaffffffffull, 0x55555555fffffffeull,
         0xfffffffd, 2);
    MULX("mulx32-mem", "mulx %[s], %k[l], %k[h]", 0x80000000, 4, 2, 0);
    {
        /* the same destination twice: the high half wins */
        uint64_t r = G;
        __asm__ volatile("mulx %[s], %[r], %[r]" : [r] "+&r"(r) : "d"(3ull), [s] "r"(~0ull));
        test_group("mulx64-same");
        CHECK_EQ_NAMED("hi", r, 2);
    }
}

static void test_pdep_pext(void)
{
    T("pdep64", "pdep %[b], %[a], %[d]", G, 0x5, 0xf0f0f0f0f0f0f0f0ull, ALL, 0x0000000000000050ull, ALL);
    T("pdep64-full", "pdep %[b], %[a], %[d]", G, ~0ull, 0x8000000000000001ull, 0,
      0x8000000000000001ull, 0);
    T("pdep64-mask0", "pdep %[b], %[a], %[d]", G, ~0ull, 0, 0, 0, 0);
    T("pdep32", "pdep %k[b], %k[a], %k[d]", G, 0xffffffff00000007ull, 0xffffffff80000003ull, 0,
      0x80000003, 0);
    T("pdep64-mem", "pdep %[m], %[b], %[d]", G, 0xff00, 0x3, 0, 0x300, 0);
    T("pext64", "pext %[b], %[a], %[d]", G, 0x123456789abcdef0ull, 0xff000000000000ffull, ALL,
      0x12f0, ALL);
    T("pext64-msb", "pext %[b], %[a], %[d]", G, 0x8000000000000000ull, 0x8000000000000000ull, 0,
      1, 0);
    T("pext32", "pext %k[b], %k[a], %k[d]", G, 0xffffffffaaaaaaaaull, 0xffffffffffff0000ull, 0,
      0xaaaa, 0);
    T("pext64-mem", "pext %[m], %[b], %[d]", G, 0xf0, 0xabcd, 0, 0xc, 0);
}

static void test_shiftx(void)
{
    T("rorx64", "rorx $8, %[a], %[d]", G, 0x0123456789abcdefull, 0, ALL, 0xef0123456789abcdull, ALL);
    T("rorx64-0", "rorx $64, %[a], %[d]", G, 0x0123456789abcdefull, 0, 0, 0x0123456789abcdefull, 0);
    T("rorx32", "rorx $4, %k[a], %k[d]", G, 0xffffffff12345678ull, 0, 0, 0x81234567, 0);
    T("rorx32-33", "rorx $33, %k[a], %k[d]", G, 0x3, 0, 0, 0x80000001, 0);
    T("rorx64-mem", "rorx $1, %[m], %[d]", G, 0x1, 0, 0, 0x8000000000000000ull, 0);
    T("sarx64", "sarx %[b], %[a], %[d]", G, 0x8000000000000000ull, 63, ALL, ~0ull, ALL);
    T("sarx64-mod", "sarx %[b], %[a], %[d]", G, 0x8000000000000000ull, 65, 0,
      0xc000000000000000ull, 0);
    T("sarx32", "sarx %k[b], %k[a], %k[d]", G, 0x80000000, 4, 0, 0xf8000000, 0);
    T("sarx32-mod", "sarx %k[b], %k[a], %k[d]", G, 0xffffffff80000000ull, 33, 0, 0xc0000000, 0);
    T("sarx64-mem", "sarx %[b], %[m], %[d]", G, 0x100, 4, 0, 0x10, 0);
    T("shlx64", "shlx %[b], %[a], %[d]", G, 0x8000000000000001ull, 1, ALL, 2, ALL);
    T("shlx64-mod", "shlx %[b], %[a], %[d]", G, 1, 0x7f, 0, 0x8000000000000000ull, 0);
    T("shlx32", "shlx %k[b], %k[a], %k[d]", G, 0xffffffff, 4, 0, 0xfffffff0, 0);
    T("shlx32-mod", "shlx %k[b], %k[a], %k[d]", G, 1, 0x21, 0, 2, 0);
    T("shrx64", "shrx %[b], %[a], %[d]", G, 0x8000000000000000ull, 63, ALL, 1, ALL);
    T("shrx64-0", "shrx %[b], %[a], %[d]", G, 0x8000000000000000ull, 64, 0,
      0x8000000000000000ull, 0);
    T("shrx32", "shrx %k[b], %k[a], %k[d]", G, 0xffffffff80000000ull, 31, 0, 1, 0);
    T("shrx32-mem", "shrx %k[b], %[m], %k[d]", G, 0xf0, 36, 0, 0xf, 0);
}

static void test_adx(void)
{
    /* adcx: CF in and out, the others kept; adox: the same with OF */
    T("adcx64-carry", "adcx %[a], %[d]", ~0ull, 1, 0, Z | S | O, 0, C | Z | S | O);
    T("adcx64-cin", "adcx %[a], %[d]", 5, 6, 0, C | P | A, 12, P | A);
    T("adcx64-cin-wrap", "adcx %[a], %[d]", ~0ull, 0, 0, C, 0, C);
    T("adcx64-both", "adcx %[a], %[d]", ~0ull, ~0ull, 0, C, ~0ull, C);
    T("adcx32", "adcx %k[a], %k[d]", 0xffffffff00000001ull, 0xffffffff, 0, O, 0, C | O);
    T("adcx32-cin", "adcx %k[a], %k[d]", 0x7fffffff, 0, 0, C | Z, 0x80000000, Z);
    T("adcx64-mem", "adcx %[m], %[d]", 1, 2, 0, C, 4, 0);
    T("adox64-carry", "adox %[a], %[d]", ~0ull, 1, 0, C | Z | S, 0, C | Z | S | O);
    T("adox64-cin", "adox %[a], %[d]", 5, 6, 0, O | P, 12, P);
    T("adox64-both", "adox %[a], %[d]", ~0ull, ~0ull, 0, O | C, ~0ull, O | C);
    T("adox32", "adox %k[a], %k[d]", 0x80000000, 0x80000000, 0, A, 0, A | O);
    T("adox32-mem", "adox %k[m], %k[d]", 0x1, 0xfffffffe, 0, O, 0, O);
    {
        /* a chain after a flag-setting add: the lazy flags materialised */
        uint64_t x = ~0ull, y = 0, f;
        __asm__ volatile("add $1, %[x]\n\tadcx %[x], %[y]\n\tpushf\n\tpop %[f]"
                         : [x] "+r"(x), [y] "+r"(y), [f] "=r"(f) : : "cc");
        test_group("adcx-after-add");
        CHECK_EQ_NAMED("result", y, 1);
        CHECK_EQ_NAMED("flags", f & ALL, Z | P | A);
    }
}

static void test_movbe(void)
{
    uint64_t m = 0x0123456789abcdefull, r = G;

    test_group("movbe");
    __asm__ volatile("movbe %[m], %[r]" : [r] "+r"(r) : [m] "m"(m));
    CHECK_EQ_NAMED("load64", r, 0xefcdab8967452301ull);
    r = G;
    __asm__ volatile("movbe %[m], %k[r]" : [r] "+r"(r) : [m] "m"(m));
    CHECK_EQ_NAMED("load32", r, 0xefcdab89);
    r = G;
    __asm__ volatile("movbe %[m], %w[r]" : [r] "+r"(r) : [m] "m"(m));
    CHECK_EQ_NAMED("load16", r, 0xdeadbeefcafeefcdull);
    __asm__ volatile("movbe %[r], %[m]" : [m] "=m"(m) : [r] "r"(0x1122334455667788ull));
    CHECK_EQ_NAMED("store64", m, 0x8877665544332211ull);
    __asm__ volatile("movbe %k[r], %[m]" : [m] "+m"(m) : [r] "r"(0xaabbccddull));
    CHECK_EQ_NAMED("store32", m, 0x88776655ddccbbaaull);
    __asm__ volatile("movbe %w[r], %[m]" : [m] "+m"(m) : [r] "r"(0x1234ull));
    CHECK_EQ_NAMED("store16", m, 0x88776655ddcc1234ull >> 16 << 16 | 0x3412);
}

static void test_crc32(void)
{
    /* CRC-32C check value: "123456789" with ~0 in and out is 0xe3069283 */
    static const char msg[] = "123456789";
    uint64_t c = 0xffffffff, f = ALL | 2;
    unsigned i;

    for (i = 0; i < 9; i++) {
        uint8_t b = (uint8_t)msg[i];
        __asm__ volatile("crc32b %[b], %k[c]" : [c] "+r"(c) : [b] "q"(b));
    }
    test_group("crc32");
    CHECK_EQ_NAMED("bytes", c ^ 0xffffffff, 0xe3069283);
    c = 0xffffffffffffffffull;
    __asm__ volatile("push %[f]\n\tpopf\n\tcrc32q %[v], %[c]\n\tpushf\n\tpop %[f]"
                     : [c] "+r"(c), [f] "+r"(f) : [v] "r"(0x3837363534333231ull) : "cc");
    CHECK_EQ_NAMED("q-flags", f & ALL, ALL);
    {
        uint64_t c2 = c, w = 0x39;
        __asm__ volatile("crc32b %b[w], %[c]" : [c] "+r"(c2) : [w] "q"(w));
        CHECK_EQ_NAMED("q-then-b", c2 ^ 0xffffffff, 0xe3069283);
        CHECK_EQ_NAMED("q-upper-zero", c >> 32, 0);
    }
    c = 0xffffffff;
    __asm__ volatile("crc32l %k[v], %k[c]\n\tcrc32l %k[v2], %k[c]\n\tcrc32b %b[v3], %k[c]"
                     : [c] "+r"(c)
                     : [v] "r"(0x34333231ull), [v2] "r"(0x38373635ull), [v3] "q"(0x39ull));
    CHECK_EQ_NAMED("l", c ^ 0xffffffff, 0xe3069283);
    c = 0xffffffff;
    {
        uint16_t h = 0x3231;
        uint64_t rest = 0x39383736353433ull;   /* 7 bytes "3456789" */
        __asm__ volatile("crc32w %[h], %k[c]" : [c] "+r"(c) : [h] "m"(h));
        for (i = 0; i < 7; i++) {
            uint8_t b = (uint8_t)(rest >> (8 * i));
            __asm__ volatile("crc32b %[b], %k[c]" : [c] "+r"(c) : [b] "q"(b));
        }
        CHECK_EQ_NAMED("w-mem", c ^ 0xffffffff, 0xe3069283);
    }
}

#ifdef TERN_NATIVE
/* The host must have what this test runs (tern always has it). */
static int host_has_all(void)
{
    uint32_t a, b, c, d;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (!(b & (1u << 3)) || !(b & (1u << 8)) || !(b & (1u << 19))) {
        return 0;                                /* bmi1 bmi2 adx */
    }
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return (c & (1u << 22)) && (c & (1u << 20));  /* movbe sse4.2 */
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    if (!host_has_all()) {
        test_skip("host lacks BMI1, BMI2, ADX, MOVBE or SSE4.2");
    }
#endif
    test_andn();
    test_bextr();
    test_bls();
    test_bzhi();
    test_mulx();
    test_pdep_pext();
    test_shiftx();
    test_adx();
    test_movbe();
    test_crc32();
    test_done();
}
