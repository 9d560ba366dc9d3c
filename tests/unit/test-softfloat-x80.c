/*
 * test-softfloat-x80.c: util/softfloat-x80.c against the host's x87.
 *
 * Each operation runs on random and edge-case operands (zeros, denormals,
 * pseudo-denormals, unnormals, pseudo-NaNs, infinities, NaNs, values near
 * the overflow/underflow thresholds, operands of close exponents) under a
 * random rounding and precision control, once on the host FPU (inline asm:
 * fninit, fldcw, the instruction, fnstsw) and once in software; the result
 * bits, the exception flags and C1 must agree (C0/C2/C3 too for compares
 * and FPREM).  The _trapped tests do the same with OE, UE and PE (and IE
 * for the stores) randomly unmasked, on operands near the exponent
 * limits: the host reads its state with non-waiting instructions only
 * (fnstsw, fnclex), so it takes no #MF, and the rebiased results, the
 * flags, C1 and whether a store happened must agree.  The arithmetic and
 * compares also run through softfloat as tern runs them (on this host:
 * the host's x87 path, whose control word and flag handling this checks),
 * with and without PE already raised.  Needs an x86 host; elsewhere the test
 * is skipped.
 */
#include "util/osdep.h"
#include "util/softfloat.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__) || defined(__i386__)

#define N_PER_OP 200000

/* A significand: random, or with few bits set (exact results, ties). */
static uint64_t rnd_sig(void)
{
    switch (test_rnd() % 4) {
    case 0:  return (1ull << 63) | (test_rnd() & (~0ull << (test_rnd() % 64)));
    case 1:  return (1ull << 63) | (test_rnd() >> (test_rnd() % 64));
    case 2:  return ~0ull << (test_rnd() % 64);
    default: return (1ull << 63) | test_rnd();
    }
}

static floatx80 rnd_x80(void)
{
    uint16_t sign = (test_rnd() & 1) << 15;
    uint64_t sig = rnd_sig();
    int32_t e;

    switch (test_rnd() % 16) {
    case 0:  return make_floatx80(sign, 0);                          /* zero */
    case 1:  return make_floatx80(sign, sig >> (1 + test_rnd() % 63));    /* denormal */
    case 2:  return make_floatx80(sign, sig);                        /* pseudo-denormal */
    case 3:  return make_floatx80(sign | 0x7fff, 1ull << 63);        /* infinity */
    case 4:  return make_floatx80(sign | 0x7fff, sig | (3ull << 62)); /* QNaN */
    case 5:  /* SNaN */
        sig = (sig & ~(1ull << 62)) | (1ull << 63);
        return make_floatx80(sign | 0x7fff, sig == (1ull << 63) ? sig | 1 : sig);
    case 6:  /* unnormal, pseudo-NaN/infinity (rarely) */
        e = test_rnd() % 8 ? 1 + test_rnd() % 0x7ffe : 0x7fff;
        return make_floatx80(sign | e, sig & ~(1ull << 63));
    case 7:  e = 1 + test_rnd() % 80;                     break;   /* near underflow */
    case 8:  e = 0x7ffe - test_rnd() % 80;                break;   /* near overflow */
    case 9:  e = 0x3fff + test_rnd() % 70;                break;   /* integers */
    case 10: e = 0x3fff - 70 + test_rnd() % 140;          break;   /* near 1 */
    default: e = 1 + test_rnd() % 0x7ffe;                 break;
    }
    return make_floatx80(sign | e, sig);
}

/* A second operand: independent, or close to a (cancellation, rem). */
static floatx80 rnd_x80_near(floatx80 a)
{
    int32_t e;

    if (test_rnd() % 2) {
        return rnd_x80();
    }
    e = (a.high & 0x7fff) + (int32_t)(test_rnd() % 140) - 70;
    if (e < 1 || e > 0x7ffe) {
        e = 0x3fff;
    }
    return make_floatx80((test_rnd() & 1) << 15 | e,
                         test_rnd() % 4 ? a.low ^ (test_rnd() >> (test_rnd() % 64)) : rnd_sig());
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
                     insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfstpt %[r1]\n\t" \
                     "fninit"                                                  \
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
                         "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfstpt %[r1]\n\t"
                         "fninit"
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

/* The float_status of an x87 control word (as fpu_helper.c sets it), on
 * the soft path. */
static float_status cw_status(uint16_t cw, bool precision)
{
    float_status s = {
        .rounding_mode = (cw >> 10) & 3,
        .floatx80_precision = precision ? (cw >> 8) & 3 : floatx80_precision_x,
        .overflow_unmasked = !(cw & float_flag_overflow),
        .underflow_unmasked = !(cw & float_flag_underflow),
        .soft_only = true,
    };
    return s;
}

/* op through util/softfloat-x80.c: its soft path, or (soft_only false)
 * the path tern takes, which on this host is the host's x87 for the
 * arithmetic and compares. */
static uint16_t soft_op(int op, uint16_t cw, floatx80 a, floatx80 b, floatx80 *r0,
                        floatx80 *r1, bool soft_only, uint8_t seed)
{
    float_status s = cw_status(cw, true);
    s.soft_only = soft_only;
    s.exception_flags = seed;
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
    return 0x7f | (uint16_t)((test_rnd() % 4) << 10) | (uint16_t)(pc[test_rnd() % 4] << 8);
}

static bool x80_eq(floatx80 a, floatx80 b)
{
    return a.low == b.low && a.high == b.high;
}

/* Cases left out on a host other than Intel's (arith_vendor_specific). */
static unsigned long arith_vendor_skipped;

/*
 * A denormal ST0 that FSCALE by zero or FPREM/FPREM1 by an infinity passes
 * through with UE unmasked: Intel returns it as is (softfloat-x80.c's
 * x80_operand_result), AMD rounds it, raising UE with a rebiased result.
 */
static bool arith_vendor_specific(int op, uint16_t cw, floatx80 a, floatx80 b)
{
    bool through = op == OP_SCALE ? (b.high & 0x7fff) == 0 && b.low == 0
                 : (op == OP_PREM || op == OP_PREM1) &&
                   (b.high & 0x7fff) == 0x7fff && b.low == 1ull << 63;
    bool denormal = (a.high & 0x7fff) == 0 && a.low && !(a.low >> 63);

    return through && denormal && !(cw & float_flag_underflow) && !test_host_intel();
}

/*
 * One operation on the host and through softfloat: on the soft path, on
 * tern's path, and on tern's path with PE already raised (the flags seed
 * fpu_helper.c gives it, under which the host path skips clearing the
 * host's flags: a stale flag from the run before would show).  False (and
 * a line) if any differs from the host.
 */
static bool arith_agrees(int op, uint16_t cw, floatx80 a, floatx80 b, unsigned long *bad)
{
    static const struct { bool soft_only; uint8_t seed; const char *name; } path[] = {
        { true, 0, "soft" }, { false, 0, "tern" }, { false, float_flag_inexact, "tern+PE" },
    };
    floatx80 h0 = { 0 }, h1 = { 0 };
    uint16_t mask = 0x3f | SW_C1 |
                    (op == OP_PREM || op == OP_PREM1 || op == OP_COM ||
                     op == OP_UCOM ? SW_C0 | SW_C2 | SW_C3 : 0);
    uint16_t hsw;
    size_t i;

    if (arith_vendor_specific(op, cw, a, b)) {
        arith_vendor_skipped++;
        return true;
    }
    hsw = host_op(op, cw, a, b, &h0, &h1) & mask;

    for (i = 0; i < ARRAY_SIZE(path); i++) {
        floatx80 s0 = { 0 }, s1 = { 0 };
        float_status stale = { .rounding_mode = float_round_nearest_even,
                               .floatx80_precision = floatx80_precision_x };

        if (path[i].seed) {
            /* leave IE, DE and ZE in the host's flags from tern's path */
            floatx80_sqrt(make_floatx80(0xbfff, 1ull << 63), &stale);
            floatx80_div(make_floatx80(0, 1), make_floatx80(0, 0), &stale);
        }
        uint16_t ssw = soft_op(op, cw, a, b, &s0, &s1, path[i].soft_only, path[i].seed) & mask;

        if ((hsw | path[i].seed) == ssw && x80_eq(h0, s0) &&
            !((op == OP_XTRACT || op == OP_PREM) && !x80_eq(h1, s1))) {
            continue;
        }
        test_mismatch(bad, "%s cw=%04x a=%04x:%016" PRIx64 " b=%04x:%016" PRIx64
                      " host=%04x:%016" PRIx64 " sw=%04x %s=%04x:%016" PRIx64 " sw=%04x",
                      op_names[op], cw, a.high, a.low, b.high, b.low, h0.high, h0.low,
                      hsw, path[i].name, s0.high, s0.low, ssw);
        return false;
    }
    return true;
}

/* Mostly small scale factors for FSCALE: |b| < 2^16. */
static floatx80 rnd_scale(void)
{
    return make_floatx80((test_rnd() & 1) << 15 | (0x3fff + test_rnd() % 16), rnd_sig());
}

static void test_arith_vs_host(void)
{
    unsigned long bad_total = 0;
    int op, i;

    for (op = 0; op < OP_NB; op++) {
        unsigned long bad = 0;
        for (i = 0; i < N_PER_OP; i++) {
            floatx80 a = rnd_x80(), b = rnd_x80_near(a);

            if (op == OP_SCALE && test_rnd() % 2) {
                b = rnd_scale();
            }
            arith_agrees(op, rnd_cw(op), a, b, &bad);
        }
        test_compared(op_names[op], N_PER_OP, bad);
        bad_total += bad;
    }
    CHECK_EQ(bad_total, 0);
}

/* An operand near the exponent limits (or near 1, to scale the others). */
static floatx80 rnd_x80_extreme(void)
{
    uint16_t sign = (test_rnd() & 1) << 15;
    uint64_t sig = rnd_sig();

    switch (test_rnd() % 6) {
    case 0:  return make_floatx80(sign | (0x7ffe - test_rnd() % 80), sig);
    case 1:  return make_floatx80(sign | (1 + test_rnd() % 80), sig);
    case 2:  return make_floatx80(sign, sig >> (test_rnd() % 64));   /* (pseudo-)denormal */
    case 3:  return make_floatx80(sign | (0x3fff - 40 + test_rnd() % 80), sig);
    case 4:  return make_floatx80(sign | (0x7ffe - test_rnd() % 0x4000), sig);
    default: return rnd_x80();
    }
}

/* Rounding, precision; OE, UE and PE each masked or not; IE DE ZE masked. */
static uint16_t rnd_cw_trapped(void)
{
    static const uint16_t pc[4] = { 0, 2, 3, 3 };
    uint16_t unmask = (uint16_t)(test_rnd() % 8) << 3;   /* OM UM PM */

    return (0x7f & ~unmask) | (uint16_t)((test_rnd() % 4) << 10) |
           (uint16_t)(pc[test_rnd() % 4] << 8);
}

static void test_arith_trapped_vs_host(void)
{
    unsigned long bad_total = 0;
    int op, i;

    for (op = 0; op < OP_NB; op++) {
        unsigned long bad = 0;
        char name[64];

        snprintf(name, sizeof(name), "%s (OE/UE/PE unmasked at random)", op_names[op]);
        for (i = 0; i < N_PER_OP / 2; i++) {
            floatx80 a = rnd_x80_extreme(), b;

            switch (test_rnd() % 3) {
            case 0:  b = rnd_x80_extreme(); break;
            case 1:  b = rnd_x80_near(a); break;
            default: b = op == OP_SCALE ? rnd_scale() : rnd_x80_extreme(); break;
            }
            arith_agrees(op, rnd_cw_trapped(), a, b, &bad);
        }
        test_compared(name, N_PER_OP / 2, bad);
        bad_total += bad;
    }
    if (arith_vendor_skipped) {
        printf("  %lu cases not compared: the host is not Intel's, and a denormal that FSCALE by 0 "
               "or FPREM/FPREM1 by an infinity passes through with UE unmasked is the vendor's\n",
               arith_vendor_skipped);
    }
    CHECK_EQ(bad_total, 0);
}

/* The rebiased results of SDM vol. 1, 8.5.4-8.5.5, written down. */
static void test_trapped_rebias(void)
{
    float_status s = cw_status(0x0360, true);   /* OM UM PM unmasked, RN, 64 bits */
    floatx80 big = make_floatx80(0x3fff + 16000, 0xc000000000000000ull);
    floatx80 tiny = make_floatx80(0x3fff - 16000, 0xc000000000000000ull);
    floatx80 r;

    /* 1.5 * 2^16000 squared = 1.125 * 2^32001: exponent 0xbd00 - 0x6000 */
    r = floatx80_mul(big, big, &s);
    CHECK_EQ(r.high, 0x5d00);
    CHECK_EQ(r.low, 0x9000000000000000ull);
    CHECK_EQ(s.exception_flags, float_flag_overflow);        /* exact: no PE */
    s.exception_flags = 0;
    /* 1.125 * 2^-31999: exponent -0x3d00 + 0x6000, UE although exact */
    r = floatx80_mul(tiny, tiny, &s);
    CHECK_EQ(r.high, 0x2300);
    CHECK_EQ(r.low, 0x9000000000000000ull);
    CHECK_EQ(s.exception_flags, float_flag_underflow);
    s.exception_flags = 0;
    /* FSCALE beyond even the rebiased range: infinity, OE PE, C1 */
    r = floatx80_scale(make_floatx80(0x3fff, 1ull << 63),
                       make_floatx80(0x400e, 0xa000000000000000ull), &s);   /* 2^40960 */
    CHECK_EQ(r.high, 0x7fff);
    CHECK_EQ(r.low, 1ull << 63);
    CHECK_EQ(s.exception_flags, float_flag_overflow | float_flag_inexact);
    CHECK(s.floatx80_rounded_up);
    s.exception_flags = 0;
    /* FST m32 of a value beyond binary32: only OE, nothing rounded */
    floatx80_to_float32(make_floatx80(0x3fff + 200, 0xc000000000000001ull), &s);
    CHECK_EQ(s.exception_flags, float_flag_overflow);
    CHECK(!s.floatx80_rounded_up);
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

/* Software: as host_cv; like helper_fstore, an unmasked IE, OE or UE
 * stores nothing. */
static uint16_t soft_cv(int cv, uint16_t cw, floatx80 a, uint8_t io_[10], floatx80 *r)
{
    float_status s = cw_status(cw, false);
    static const int bits[] = { 16, 32, 64 };
    uint8_t io[10];
    uint32_t v32;
    uint64_t v64;
    int64_t iv;

    memcpy(io, io_, 10);
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
    if (!(s.exception_flags & ~cw &
          (float_flag_invalid | float_flag_overflow | float_flag_underflow))) {
        memcpy(io_, io, 10);
    }
    return (s.floatx80_rounded_up ? SW_C1 : 0) | (s.exception_flags & 0x3f);
}

/*
 * Every conversion on random operands, half of them near the format's
 * limits; trapped: the stores only, with IE, OE, UE and PE each masked or
 * not at random.  Returns the number of mismatches.
 */
static unsigned long convert_vs_host(bool trapped)
{
    static const unsigned io_len[CV_NB] = { 4, 8, 0, 0, 2, 4, 8, 2, 4, 8, 10 };
    int cv, i, n = trapped ? N_PER_OP / 2 : N_PER_OP;
    unsigned long bad_total = 0;

    for (cv = 0; cv < CV_NB; cv++) {
        unsigned long bad = 0;
        char name[64];

        if (trapped && (cv == CV_FLD32 || cv == CV_FLD64)) {
            continue;
        }
        for (i = 0; i < n; i++) {
            floatx80 a = rnd_x80(), hr = { 0 }, sr = { 0 };
            uint8_t hio[10] = { 0 }, sio[10] = { 0 };
            uint16_t cw = rnd_cw(cv), hsw, ssw, mask = 0x3f | SW_C1;

            if (trapped) {
                cw = rnd_cw_trapped() & ~(uint16_t)(test_rnd() % 2);   /* and IM */
            }

            if (cv == CV_FLD32 || cv == CV_FLD64) {
                uint64_t v = test_rnd();
                if (test_rnd() % 4 == 0) {
                    /* exponent all zeros or all ones */
                    v = cv == CV_FLD32 ? (v & 0x807fffffu) | (test_rnd() % 2 ? 0x7f800000u : 0)
                                       : (v & 0x800fffffffffffffull) |
                                         (test_rnd() % 2 ? 0x7ff0000000000000ull : 0);
                }
                memcpy(hio, &v, 8);
                memcpy(sio, &v, 8);
            } else if (cv >= CV_FIST16 && test_rnd() % 2) {
                /* around the integer ranges */
                a.high = (uint16_t)((a.high & 0x8000) | (0x3fff + test_rnd() % 66));
                a.low |= 1ull << 63;
            } else if ((cv == CV_FST32 || cv == CV_FST64) && test_rnd() % 2) {
                /* around the binary formats' ranges */
                int32_t b = cv == CV_FST32 ? 127 : 1023;
                int32_t e = 0x3fff + (test_rnd() % 2 ? b : -b) + (int32_t)(test_rnd() % 80) - 60;
                a.high = (uint16_t)((a.high & 0x8000) | e);
                a.low |= 1ull << 63;
            }
            hsw = host_cv(cv, cw, a, hio, &hr) & mask;
            ssw = soft_cv(cv, cw, a, sio, &sr) & mask;
            if (hsw != ssw || memcmp(hio, sio, io_len[cv]) || !x80_eq(hr, sr)) {
                uint64_t hv, sv;
                memcpy(&hv, hio, 8);
                memcpy(&sv, sio, 8);
                test_mismatch(&bad, "%s cw=%04x a=%04x:%016" PRIx64 " host=%016" PRIx64
                              "/%04x:%016" PRIx64 " sw=%04x soft=%016" PRIx64 "/%04x:%016"
                              PRIx64 " sw=%04x", cv_names[cv], cw, a.high, a.low, hv,
                              hr.high, hr.low, hsw, sv, sr.high, sr.low, ssw);
            }
        }
        snprintf(name, sizeof(name), "%s%s", cv_names[cv],
                 trapped ? " (IE/OE/UE/PE unmasked at random)" : "");
        test_compared(name, (unsigned long)n, bad);
        bad_total += bad;
    }
    return bad_total;
}

static void test_convert_vs_host(void)
{
    CHECK_EQ(convert_vs_host(false), 0);
}

static void test_convert_trapped_vs_host(void)
{
    CHECK_EQ(convert_vs_host(true), 0);
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
    RUN_TEST(test_arith_trapped_vs_host);
    RUN_TEST(test_trapped_rebias);
    RUN_TEST(test_convert_vs_host);
    RUN_TEST(test_convert_trapped_vs_host);
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
