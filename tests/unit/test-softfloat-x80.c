/*
 * test-softfloat-x80.c: util/softfloat-x80.c against the host's x87.
 *
 * Each operation runs on random and edge-case operands (zeros, denormals,
 * pseudo-denormals, unnormals, pseudo-NaNs, infinities, NaNs, values near
 * the overflow/underflow thresholds, operands of close exponents) under a
 * random rounding and precision control, once on the host FPU (inline asm:
 * fninit, fldcw, the instruction, fnstsw) and once in software; the result
 * bits, the exception flags and C1 must agree (C0/C2/C3 too for compares
 * and FPREM).  Needs an x86 host; elsewhere the test is skipped.
 */
#include "util/osdep.h"
#include "util/softfloat.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__) || defined(__i386__)

#define N_PER_OP 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* A significand: random, or with few bits set (exact results, ties). */
static uint64_t rnd_sig(void)
{
    switch (rnd() % 4) {
    case 0:  return (1ull << 63) | (rnd() & (~0ull << (rnd() % 64)));
    case 1:  return (1ull << 63) | (rnd() >> (rnd() % 64));
    case 2:  return ~0ull << (rnd() % 64);
    default: return (1ull << 63) | rnd();
    }
}

static floatx80 rnd_x80(void)
{
    uint16_t sign = (rnd() & 1) << 15;
    uint64_t sig = rnd_sig();
    int32_t e;

    switch (rnd() % 16) {
    case 0:  return make_floatx80(sign, 0);                          /* zero */
    case 1:  return make_floatx80(sign, sig >> (1 + rnd() % 63));    /* denormal */
    case 2:  return make_floatx80(sign, sig);                        /* pseudo-denormal */
    case 3:  return make_floatx80(sign | 0x7fff, 1ull << 63);        /* infinity */
    case 4:  return make_floatx80(sign | 0x7fff, sig | (3ull << 62)); /* QNaN */
    case 5:  /* SNaN */
        sig = (sig & ~(1ull << 62)) | (1ull << 63);
        return make_floatx80(sign | 0x7fff, sig == (1ull << 63) ? sig | 1 : sig);
    case 6:  /* unnormal, pseudo-NaN/infinity (rarely) */
        e = rnd() % 8 ? 1 + rnd() % 0x7ffe : 0x7fff;
        return make_floatx80(sign | e, sig & ~(1ull << 63));
    case 7:  e = 1 + rnd() % 80;                     break;   /* near underflow */
    case 8:  e = 0x7ffe - rnd() % 80;                break;   /* near overflow */
    case 9:  e = 0x3fff + rnd() % 70;                break;   /* integers */
    case 10: e = 0x3fff - 70 + rnd() % 140;          break;   /* near 1 */
    default: e = 1 + rnd() % 0x7ffe;                 break;
    }
    return make_floatx80(sign | e, sig);
}

/* A second operand: independent, or close to a (cancellation, rem). */
static floatx80 rnd_x80_near(floatx80 a)
{
    int32_t e;

    if (rnd() % 2) {
        return rnd_x80();
    }
    e = (a.high & 0x7fff) + (int32_t)(rnd() % 140) - 70;
    if (e < 1 || e > 0x7ffe) {
        e = 0x3fff;
    }
    return make_floatx80((rnd() & 1) << 15 | e,
                         rnd() % 4 ? a.low ^ (rnd() >> (rnd() % 64)) : rnd_sig());
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_RNDINT, OP_SCALE, OP_PREM, OP_PREM1,
       OP_COM, OP_UCOM, OP_XTRACT, OP_NB };
static const char *const op_names[OP_NB] = {
    "fadd", "fsub", "fmul", "fdiv", "fsqrt", "frndint", "fscale", "fprem", "fprem1",
    "fcom", "fucom", "fxtract",
};

/* Run op on the host with ST0 = a, ST1 = b; returns the status word, the
 * new ST0 in *r0 and ST1 in *r1. */
static uint16_t host_op(int op, uint16_t cw, floatx80 a, floatx80 b, floatx80 *r0,
                        floatx80 *r1)
{
    uint16_t sw;

#define HOST_OP(insn)                                                       \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"    \
                     insn "\n\tfnstsw %[sw]\n\tfstpt %[r0]\n\tfstpt %[r1]\n\tfninit" \
                     : [sw] "=m"(sw), [r0] "=m"(*r0), [r1] "=m"(*r1)           \
                     : [cw] "m"(cw), [a] "m"(a), [b] "m"(b))
    switch (op) {
    case OP_ADD:    HOST_OP("fadd %%st(1), %%st"); break;
    case OP_SUB:    HOST_OP("fsub %%st(1), %%st"); break;
    case OP_MUL:    HOST_OP("fmul %%st(1), %%st"); break;
    case OP_DIV:    HOST_OP("fdiv %%st(1), %%st"); break;
    case OP_SQRT:   HOST_OP("fsqrt"); break;
    case OP_RNDINT: HOST_OP("frndint"); break;
    case OP_SCALE:  HOST_OP("fscale"); break;
    case OP_PREM:   HOST_OP("fprem"); break;
    case OP_PREM1:  HOST_OP("fprem1"); break;
    case OP_COM:    HOST_OP("fcom %%st(1)"); break;
    case OP_UCOM:   HOST_OP("fucom %%st(1)"); break;
    case OP_XTRACT:
        /* pushes: ST0 = significand, ST1 = exponent */
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\tfxtract\n\t"
                         "fnstsw %[sw]\n\tfstpt %[r0]\n\tfstpt %[r1]\n\tfninit"
                         : [sw] "=m"(sw), [r0] "=m"(*r0), [r1] "=m"(*r1)
                         : [cw] "m"(cw), [a] "m"(a));
        break;
    }
#undef HOST_OP
    return sw;
}

#define SW_C0 0x0100
#define SW_C1 0x0200
#define SW_C2 0x0400
#define SW_C3 0x4000

static int relation_cc(int rel)
{
    switch (rel) {
    case float_relation_less:  return SW_C0;
    case float_relation_equal: return SW_C3;
    case float_relation_greater: return 0;
    default: return SW_C0 | SW_C2 | SW_C3;
    }
}

static uint16_t soft_op(int op, uint16_t cw, floatx80 a, floatx80 b, floatx80 *r0,
                        floatx80 *r1)
{
    float_status s = {
        .rounding_mode = (cw >> 10) & 3,
        .floatx80_precision = (cw >> 8) & 3,
    };
    uint16_t cc = 0;
    uint64_t q;
    bool partial;

    *r1 = b;
    switch (op) {
    case OP_ADD:    *r0 = floatx80_add(a, b, &s); break;
    case OP_SUB:    *r0 = floatx80_sub(a, b, &s); break;
    case OP_MUL:    *r0 = floatx80_mul(a, b, &s); break;
    case OP_DIV:    *r0 = floatx80_div(a, b, &s); break;
    case OP_SQRT:   *r0 = floatx80_sqrt(a, &s); break;
    case OP_RNDINT: *r0 = floatx80_round_to_int(a, &s); break;
    case OP_SCALE:  *r0 = floatx80_scale(a, b, &s); break;
    case OP_PREM:
    case OP_PREM1:
        *r0 = floatx80_rem(a, b, op == OP_PREM1, &q, &partial, &s);
        if (partial) {
            cc = SW_C2;
        } else {
            cc = (q & 4 ? SW_C0 : 0) | (q & 2 ? SW_C3 : 0) | (q & 1 ? SW_C1 : 0);
        }
        return cc | (s.exception_flags & 0x3f);
    case OP_COM:
    case OP_UCOM:
        *r0 = a;
        cc = relation_cc(floatx80_compare(a, b, op == OP_UCOM, &s));
        return cc | (s.exception_flags & 0x3f);
    case OP_XTRACT:
        *r0 = floatx80_extract(a, r1, &s);
        break;
    }
    return (s.floatx80_rounded_up ? SW_C1 : 0) | (s.exception_flags & 0x3f);
}

static uint16_t rnd_cw(int op)
{
    static const uint16_t pc[4] = { 0, 2, 3, 3 };
    /* all exceptions masked; precision control only matters for some ops */
    return 0x7f | (uint16_t)((rnd() % 4) << 10) | (uint16_t)(pc[rnd() % 4] << 8);
}

static bool x80_eq(floatx80 a, floatx80 b)
{
    return a.low == b.low && a.high == b.high;
}

static void test_arith_vs_host(void)
{
    int op, i, bad_total = 0;

    for (op = 0; op < OP_NB; op++) {
        int bad = 0;
        for (i = 0; i < N_PER_OP; i++) {
            floatx80 a = rnd_x80(), b = rnd_x80_near(a), h0, h1, s0, s1;
            uint16_t cw = rnd_cw(op), hsw, ssw;
            uint16_t mask = 0x3f | SW_C1 |
                            (op == OP_PREM || op == OP_PREM1 || op == OP_COM ||
                             op == OP_UCOM ? SW_C0 | SW_C2 | SW_C3 : 0);

            if (op == OP_SCALE && rnd() % 2) {
                /* mostly small scale factors */
                b = make_floatx80((rnd() & 1) << 15 | (0x3fff + rnd() % 16), rnd_sig());
            }
            hsw = host_op(op, cw, a, b, &h0, &h1) & mask;
            ssw = soft_op(op, cw, a, b, &s0, &s1) & mask;
            if (hsw != ssw || !x80_eq(h0, s0) ||
                ((op == OP_XTRACT || op == OP_PREM) && !x80_eq(h1, s1))) {
                if (bad++ < 8) {
                    printf("# %s cw=%04x a=%04x:%016" PRIx64 " b=%04x:%016" PRIx64
                           " host=%04x:%016" PRIx64 " sw=%04x soft=%04x:%016" PRIx64
                           " sw=%04x\n", op_names[op], cw, a.high, a.low, b.high, b.low,
                           h0.high, h0.low, hsw, s0.high, s0.low, ssw);
                }
            }
        }
        printf("# %s: %d compared, %d mismatches\n", op_names[op], N_PER_OP, bad);
        bad_total += bad;
    }
    CHECK_EQ(bad_total, 0);
}

/* ---- conversions ------------------------------------------------------ */

enum { CV_FST32, CV_FST64, CV_FLD32, CV_FLD64, CV_FIST16, CV_FIST32, CV_FIST64,
       CV_FISTTP16, CV_FISTTP32, CV_FISTTP64, CV_FBSTP, CV_NB };
static const char *const cv_names[CV_NB] = {
    "fst m32", "fst m64", "fld m32", "fld m64", "fist m16", "fist m32", "fistp m64",
    "fisttp m16", "fisttp m32", "fisttp m64", "fbstp",
};

/* Host: load a (or the m32/m64 value in *io), convert; the result in *io
 * (integer, binary or BCD bytes) or as floatx80 in *r. */
static uint16_t host_cv(int cv, uint16_t cw, floatx80 a, uint8_t io[10], floatx80 *r)
{
    uint16_t sw;

#define HOST_ST(insn)                                                       \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn " %[io]\n\t" \
                     "fnstsw %[sw]\n\tfninit"                                  \
                     : [sw] "=m"(sw), [io] "=m"(*(uint8_t(*)[10])io)            \
                     : [cw] "m"(cw), [a] "m"(a))
#define HOST_LD(insn)                                                       \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\t" insn " %[io]\n\t"              \
                     "fnstsw %[sw]\n\tfstpt %[r]\n\tfninit"                    \
                     : [sw] "=m"(sw), [r] "=m"(*r)                             \
                     : [cw] "m"(cw), [io] "m"(*(uint8_t(*)[10])io))
    switch (cv) {
    case CV_FST32:    HOST_ST("fsts"); break;
    case CV_FST64:    HOST_ST("fstl"); break;
    case CV_FLD32:    HOST_LD("flds"); break;
    case CV_FLD64:    HOST_LD("fldl"); break;
    case CV_FIST16:   HOST_ST("fists"); break;
    case CV_FIST32:   HOST_ST("fistl"); break;
    case CV_FIST64:   HOST_ST("fistpll"); break;
    case CV_FISTTP16: HOST_ST("fisttps"); break;
    case CV_FISTTP32: HOST_ST("fisttpl"); break;
    case CV_FISTTP64: HOST_ST("fisttpll"); break;
    case CV_FBSTP:    HOST_ST("fbstp"); break;
    }
#undef HOST_ST
#undef HOST_LD
    return sw;
}

static uint16_t soft_cv(int cv, uint16_t cw, floatx80 a, uint8_t io[10], floatx80 *r)
{
    float_status s = { .rounding_mode = (cw >> 10) & 3, .floatx80_precision = 3 };
    static const int bits[] = { 16, 32, 64 };
    uint32_t v32;
    uint64_t v64;
    int64_t iv;

    switch (cv) {
    case CV_FST32:
        v32 = floatx80_to_float32(a, &s);
        memcpy(io, &v32, 4);
        break;
    case CV_FST64:
        v64 = floatx80_to_float64(a, &s);
        memcpy(io, &v64, 8);
        break;
    case CV_FLD32:
        memcpy(&v32, io, 4);
        *r = float32_to_floatx80(v32, &s);
        break;
    case CV_FLD64:
        memcpy(&v64, io, 8);
        *r = float64_to_floatx80(v64, &s);
        break;
    case CV_FIST16: case CV_FIST32: case CV_FIST64:
    case CV_FISTTP16: case CV_FISTTP32: case CV_FISTTP64:
        iv = floatx80_to_int(a, bits[(cv - CV_FIST16) % 3], cv >= CV_FISTTP16, &s);
        memcpy(io, &iv, 1u << ((cv - CV_FIST16) % 3 + 1));
        break;
    case CV_FBSTP:
        floatx80_to_bcd(a, io, &s);
        break;
    }
    return (s.floatx80_rounded_up ? SW_C1 : 0) | (s.exception_flags & 0x3f);
}

static void test_convert_vs_host(void)
{
    static const unsigned io_len[CV_NB] = { 4, 8, 0, 0, 2, 4, 8, 2, 4, 8, 10 };
    int cv, i, bad_total = 0;

    for (cv = 0; cv < CV_NB; cv++) {
        int bad = 0;
        for (i = 0; i < N_PER_OP; i++) {
            floatx80 a = rnd_x80(), hr = { 0 }, sr = { 0 };
            uint8_t hio[10] = { 0 }, sio[10] = { 0 };
            uint16_t cw = rnd_cw(cv), hsw, ssw, mask = 0x3f | SW_C1;

            if (cv == CV_FLD32 || cv == CV_FLD64) {
                uint64_t v = rnd();
                if (rnd() % 4 == 0) {
                    /* exponent all zeros or all ones */
                    v = cv == CV_FLD32 ? (v & 0x807fffffu) | (rnd() % 2 ? 0x7f800000u : 0)
                                       : (v & 0x800fffffffffffffull) |
                                         (rnd() % 2 ? 0x7ff0000000000000ull : 0);
                }
                memcpy(hio, &v, 8);
                memcpy(sio, &v, 8);
            } else if (cv >= CV_FIST16 && rnd() % 2) {
                /* around the integer ranges */
                a.high = (uint16_t)((a.high & 0x8000) | (0x3fff + rnd() % 66));
                a.low |= 1ull << 63;
            } else if ((cv == CV_FST32 || cv == CV_FST64) && rnd() % 2) {
                /* around the binary formats' ranges */
                int32_t b = cv == CV_FST32 ? 127 : 1023;
                int32_t e = 0x3fff + (rnd() % 2 ? b : -b) + (int32_t)(rnd() % 80) - 60;
                a.high = (uint16_t)((a.high & 0x8000) | e);
                a.low |= 1ull << 63;
            }
            hsw = host_cv(cv, cw, a, hio, &hr) & mask;
            ssw = soft_cv(cv, cw, a, sio, &sr) & mask;
            if (hsw != ssw || memcmp(hio, sio, io_len[cv]) || !x80_eq(hr, sr)) {
                if (bad++ < 8) {
                    uint64_t hv, sv;
                    memcpy(&hv, hio, 8);
                    memcpy(&sv, sio, 8);
                    printf("# %s cw=%04x a=%04x:%016" PRIx64 " host=%016" PRIx64
                           "/%04x:%016" PRIx64 " sw=%04x soft=%016" PRIx64
                           "/%04x:%016" PRIx64 " sw=%04x\n", cv_names[cv], cw, a.high,
                           a.low, hv, hr.high, hr.low, hsw, sv, sr.high, sr.low, ssw);
                }
            }
        }
        printf("# %s: %d compared, %d mismatches\n", cv_names[cv], N_PER_OP, bad);
        bad_total += bad;
    }
    CHECK_EQ(bad_total, 0);
}

static void test_bcd_load(void)
{
    static const uint8_t bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 };
    float_status s = { 0 };
    floatx80 r = floatx80_from_bcd(bcd, &s);

    CHECK_EQ(floatx80_to_int(r, 64, false, &s), -123456789);
    CHECK_EQ(s.exception_flags, 0);
}

int main(void)
{
    RUN_TEST(test_arith_vs_host);
    RUN_TEST(test_convert_vs_host);
    RUN_TEST(test_bcd_load);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP softfloat-x80: needs an x86 host FPU to compare with\n");
    return 0;
}

#endif
