// tern-nested: skip QEMU 7.2 TCG (the nested CPU)'s softfloat x87: no C1 round-up bit, FCW reserved bits, stack-fault flags differ
/*
 * x87.c: the x87 FPU: arithmetic in every rounding and precision control,
 * loads and stores in every format (m32/m64/m80, m16/m32/m64 integers,
 * FISTTP, packed BCD), compares (FCOM, FUCOM, FCOMI into EFLAGS), FXAM
 * classes, the constants per rounding mode, FRNDINT/FSCALE/FXTRACT/FPREM,
 * stack overflow and underflow, FCMOV, FNSTENV/FLDENV and FNSAVE/FRSTOR
 * round trips, and the transcendentals on a few values (to within one unit
 * in the last place: they may differ between CPU models).
 *
 * Only inline asm touches the FPU (the guest flags forbid x87 code from
 * C); values are written as 80-bit (exponent, significand) pairs.  The
 * native build proves the expected values on the host CPU.
 */
#include "tern.h"

typedef struct __attribute__((packed)) X80 {
    uint64_t m;
    uint16_t e;
} X80;

#define X(e_, m_) ((X80){ .m = (m_), .e = (e_) })
#define ONE    X(0x3fff, 0x8000000000000000ull)
#define TWO    X(0x4000, 0x8000000000000000ull)
#define THREE  X(0x4000, 0xc000000000000000ull)
#define TENTH  X(0x3ffb, 0xcccccccccccccccdull)
#define MTHREE X(0xc000, 0xc000000000000000ull)
#define HALF   X(0x3ffe, 0x8000000000000000ull)
#define ZERO   X(0x0000, 0)
#define DENORM X(0x0000, 0x0000000000001234ull)
#define PINF   X(0x7fff, 0x8000000000000000ull)
#define QNAN   X(0x7fff, 0xc000000000000001ull)
#define SNAN   X(0x7fff, 0xa000000000000000ull)
#define UNNORM X(0x3fff, 0x4000000000000000ull)
#define BIG    X(0x403d, 0xd000000000000000ull)   /* 2^62 * 1.625 */
#define HUGE_  X(0x7ffe, 0xffffffffffffffffull)

#define RC_N 0x0000
#define RC_D 0x0400
#define RC_U 0x0800
#define RC_Z 0x0c00
#define PC_S 0x0000
#define PC_D 0x0200
#define PC_X 0x0300
#define CW(rc, pc) (0x7f | (rc) | (pc))

/* status word bits checked: exceptions, SF, C0-C3 (not TOP, ES, B) */
#define SWM 0x477f

static void check_x80(const char *name, X80 got, X80 want, uint16_t sw, uint16_t want_sw)
{
    test_group(name);
    CHECK_EQ_NAMED("exp", got.e, want.e);
    CHECK_EQ_NAMED("sig", got.m, want.m);
    CHECK_EQ_NAMED("sw", sw & SWM, want_sw);
}

/* ST0 = a, ST1 = b, run insn, then the status word and the new ST0. */
#define BIN(name, insn, cw, a, b, want, want_sw)                              \
    do {                                                                     \
        X80 a_ = (a), b_ = (b), r_;                                          \
        uint16_t c_ = (cw), sw_;                                             \
        __asm__ volatile("fninit\n\tfldcw %[c]\n\tfldt %[pb]\n\tfldt %[pa]\n\t"  \
                         insn "\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit"      \
                         : [sw] "=m"(sw_), [r] "=m"(r_)                      \
                         : [c] "m"(c_), [pa] "m"(a_), [pb] "m"(b_));           \
        check_x80(name, r_, (want), sw_, (want_sw));                        \
    } while (0)

static void test_arith(void)
{
    BIN("fadd", "fadd %%st(1), %%st", CW(RC_N, PC_X), ONE, TENTH,
        X(0x3fff, 0x8ccccccccccccccdull), 0x0220);
    BIN("fdiv-n-x", "fdiv %%st(1), %%st", CW(RC_N, PC_X), ONE, THREE,
        X(0x3ffd, 0xaaaaaaaaaaaaaaabull), 0x0220);
    BIN("fdiv-d-x", "fdiv %%st(1), %%st", CW(RC_D, PC_X), ONE, THREE,
        X(0x3ffd, 0xaaaaaaaaaaaaaaaaull), 0x0020);
    BIN("fdiv-u-d", "fdiv %%st(1), %%st", CW(RC_U, PC_D), ONE, THREE,
        X(0x3ffd, 0xaaaaaaaaaaaab000ull), 0x0220);
    BIN("fdiv-z-s", "fdiv %%st(1), %%st", CW(RC_Z, PC_S), ONE, THREE,
        X(0x3ffd, 0xaaaaaa0000000000ull), 0x0020);
    BIN("fdiv-n-s-neg", "fdiv %%st(1), %%st", CW(RC_N, PC_S), ONE, MTHREE,
        X(0xbffd, 0xaaaaab0000000000ull), 0x0220);
    BIN("fsub", "fsub %%st(1), %%st", CW(RC_N, PC_X), ONE, ONE, ZERO, 0x0000);
    BIN("fsub-d-zero", "fsub %%st(1), %%st", CW(RC_D, PC_X), ONE, ONE,
        X(0x8000, 0), 0x0000);
    BIN("fsubr", "fsubr %%st(1), %%st", CW(RC_N, PC_X), ONE, THREE, TWO, 0x0000);
    BIN("fmul-overflow", "fmul %%st(1), %%st", CW(RC_N, PC_X), HUGE_, TWO, PINF, 0x0228);
    BIN("fmul-overflow-z", "fmul %%st(1), %%st", CW(RC_Z, PC_X), HUGE_, TWO, HUGE_, 0x0028);
    BIN("fmul-denormal", "fmul %%st(1), %%st", CW(RC_N, PC_X), DENORM, TWO,
        X(0x0000, 0x0000000000002468ull), 0x0002);
    BIN("fdiv-zero", "fdiv %%st(1), %%st", CW(RC_N, PC_X), ONE, ZERO, PINF, 0x0004);
    BIN("fdiv-0/0", "fdiv %%st(1), %%st", CW(RC_N, PC_X), ZERO, ZERO,
        X(0xffff, 0xc000000000000000ull), 0x0001);
    BIN("fadd-snan", "fadd %%st(1), %%st", CW(RC_N, PC_X), ONE, SNAN,
        X(0x7fff, 0xe000000000000000ull), 0x0001);
    BIN("fadd-qnan", "fadd %%st(1), %%st", CW(RC_N, PC_X), QNAN, ONE, QNAN, 0x0000);
    BIN("fadd-unnormal", "fadd %%st(1), %%st", CW(RC_N, PC_X), UNNORM, ONE,
        X(0xffff, 0xc000000000000000ull), 0x0001);
    BIN("fsqrt", "fsqrt", CW(RC_N, PC_X), TWO, ZERO,
        X(0x3fff, 0xb504f333f9de6484ull), 0x0020);
    BIN("fsqrt-d", "fsqrt", CW(RC_D, PC_D), TWO, ZERO,
        X(0x3fff, 0xb504f333f9de6000ull), 0x0020);
    BIN("fsqrt-neg", "fsqrt", CW(RC_N, PC_X), MTHREE, ZERO,
        X(0xffff, 0xc000000000000000ull), 0x0001);
    BIN("frndint-n", "frndint", CW(RC_N, PC_X), X(0x4000, 0xa000000000000000ull), ZERO,
        TWO, 0x0020);
    BIN("frndint-u", "frndint", CW(RC_U, PC_X), X(0x4000, 0xa000000000000000ull), ZERO,
        THREE, 0x0220);
    BIN("fscale", "fscale", CW(RC_N, PC_X), THREE, THREE, X(0x4003, 0xc000000000000000ull),
        0x0000);
    BIN("fprem", "fprem", CW(RC_N, PC_X), X(0x4002, 0xb000000000000000ull), THREE,
        TWO, 0x4200);                           /* 11 rem 3 = 2, q = 3: C3 C1 */
    BIN("fprem1", "fprem1", CW(RC_N, PC_X), X(0x4002, 0xb000000000000000ull), THREE,
        X(0xbfff, 0x8000000000000000ull), 0x0100);   /* -1, q = 4: C0 */
    BIN("fxtract", "fxtract", CW(RC_N, PC_X), X(0x4005, 0xc000000000000000ull), ZERO,
        X(0x3fff, 0xc000000000000000ull), 0x0000);
    BIN("fchs", "fchs", CW(RC_N, PC_X), ONE, ZERO, X(0xbfff, 0x8000000000000000ull), 0);
    BIN("fabs", "fabs", CW(RC_N, PC_X), MTHREE, ZERO, THREE, 0);
    /* register forms with other destinations */
    BIN("fsubp", "fsubrp %%st, %%st(1)", CW(RC_N, PC_X), ONE, THREE, TWO, 0);
    BIN("fdivrp", "fdivp %%st, %%st(1)", CW(RC_N, PC_X), TWO, THREE,
        X(0x3ffe, 0xaaaaaaaaaaaaaaabull), 0x0220);
}

static void test_constants(void)
{
    BIN("fldpi-n", "fldpi", CW(RC_N, PC_X), ZERO, ZERO, X(0x4000, 0xc90fdaa22168c235ull), 0);
    BIN("fldpi-d", "fldpi", CW(RC_D, PC_X), ZERO, ZERO, X(0x4000, 0xc90fdaa22168c234ull), 0);
    BIN("fldl2t-u", "fldl2t", CW(RC_U, PC_X), ZERO, ZERO, X(0x4000, 0xd49a784bcd1b8affull), 0);
    BIN("fldl2e-z", "fldl2e", CW(RC_Z, PC_X), ZERO, ZERO, X(0x3fff, 0xb8aa3b295c17f0bbull), 0);
    BIN("fldlg2", "fldlg2", CW(RC_N, PC_X), ZERO, ZERO, X(0x3ffd, 0x9a209a84fbcff799ull), 0);
    BIN("fldln2", "fldln2", CW(RC_N, PC_X), ZERO, ZERO, X(0x3ffe, 0xb17217f7d1cf79acull), 0);
    BIN("fld1", "fld1", CW(RC_N, PC_X), ZERO, ZERO, ONE, 0);
    BIN("fldz", "fldz", CW(RC_N, PC_X), ONE, ZERO, ZERO, 0);
}

/* Compare ST0 = a with ST1 = b: the status word (C0 C2 C3, IE). */
#define CMP(name, insn, a, b, want_sw)                                        \
    do {                                                                     \
        X80 a_ = (a), b_ = (b);                                              \
        uint16_t sw_;                                                        \
        __asm__ volatile("fninit\n\tfldt %[pb]\n\tfldt %[pa]\n\t" insn "\n\t"   \
                         "fnstsw %[sw]\n\tfninit"                            \
                         : [sw] "=m"(sw_) : [pa] "m"(a_), [pb] "m"(b_));         \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("sw", sw_ & SWM, (want_sw));                          \
    } while (0)

/* fcomi-style: EFLAGS (ZF PF CF) and the status word. */
#define CMPI(name, insn, a, b, want_fl, want_sw)                              \
    do {                                                                     \
        X80 a_ = (a), b_ = (b);                                              \
        uint16_t sw_;                                                        \
        uint64_t f_;                                                         \
        __asm__ volatile("fninit\n\tfldt %[pb]\n\tfldt %[pa]\n\t" insn "\n\t"   \
                         "pushf\n\tpop %[f]\n\tfnstsw %[sw]\n\tfninit"        \
                         : [sw] "=m"(sw_), [f] "=r"(f_)                       \
                         : [pa] "m"(a_), [pb] "m"(b_) : "cc");                  \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("flags", f_ & FL_ARITH, (want_fl));                   \
        CHECK_EQ_NAMED("sw", sw_ & SWM, (want_sw));                          \
    } while (0)

static void test_compare(void)
{
    CMP("fcom-lt", "fcom %%st(1)", ONE, TWO, 0x0100);
    CMP("fcom-gt", "fcom %%st(1)", TWO, ONE, 0x0000);
    CMP("fcom-eq", "fcom %%st(1)", ONE, ONE, 0x4000);
    CMP("fcom-zeros", "fcom %%st(1)", ZERO, X(0x8000, 0), 0x4000);
    CMP("fcom-nan", "fcom %%st(1)", QNAN, ONE, 0x4501);
    CMP("fucom-qnan", "fucom %%st(1)", QNAN, ONE, 0x4500);
    CMP("fucom-snan", "fucom %%st(1)", SNAN, ONE, 0x4501);
    CMP("ftst-neg", "ftst", MTHREE, ZERO, 0x0100);
    CMP("fcompp", "fcompp\n\tfld1\n\tfcomp %%st(0)", ONE, TWO, 0x4000);
    CMPI("fcomi-lt", "fcomi %%st(1), %%st", ONE, TWO, FL_CF, 0);
    CMPI("fcomi-eq", "fcomi %%st(1), %%st", ONE, ONE, FL_ZF, 0);
    CMPI("fcomi-gt", "fcomi %%st(1), %%st", TWO, ONE, 0, 0);
    CMPI("fucomip-nan", "fucomip %%st(1), %%st", QNAN, ONE, FL_ZF | FL_PF | FL_CF, 0);
    CMPI("fcomip-nan", "fcomip %%st(1), %%st", QNAN, ONE, FL_ZF | FL_PF | FL_CF, 0x0001);
    /* FXAM: C3 C2 C0 class, C1 sign */
    CMP("fxam-normal", "fxam", MTHREE, ONE, 0x0600);
    CMP("fxam-zero", "fxam", ZERO, ONE, 0x4000);
    CMP("fxam-denormal", "fxam", DENORM, ONE, 0x4400);
    CMP("fxam-inf", "fxam", PINF, ONE, 0x0500);
    CMP("fxam-nan", "fxam", QNAN, ONE, 0x0100);
    CMP("fxam-unsupported", "fxam", UNNORM, ONE, 0x0000);
    CMP("fxam-empty", "ffree %%st(0)\n\tfxam", ONE, ONE, 0x4100);
}

/* ---- memory formats ---------------------------------------------------- */

#define STORE(name, insn, cw, a, T, want, want_sw)                            \
    do {                                                                     \
        X80 a_ = (a);                                                        \
        T r_;                                                                \
        uint16_t c_ = (cw), sw_;                                             \
        __asm__ volatile("fninit\n\tfldcw %[c]\n\tfldt %[pa]\n\t" insn " %[r]\n\t" \
                         "fnstsw %[sw]\n\tfninit"                            \
                         : [sw] "=m"(sw_), [r] "=m"(r_) : [c] "m"(c_), [pa] "m"(a_)); \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("value", r_, (want));                                 \
        CHECK_EQ_NAMED("sw", sw_ & SWM, (want_sw));                          \
    } while (0)

#define LOAD(name, insn, T, v, want, want_sw)                                 \
    do {                                                                     \
        T v_ = (v);                                                          \
        X80 r_;                                                              \
        uint16_t sw_;                                                        \
        __asm__ volatile("fninit\n\t" insn " %[pv]\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit" \
                         : [sw] "=m"(sw_), [r] "=m"(r_) : [pv] "m"(v_));       \
        check_x80(name, r_, (want), sw_, (want_sw));                        \
    } while (0)

static void test_memory_formats(void)
{
    STORE("fst-m32-n", "fsts", CW(RC_N, PC_X), TENTH, uint32_t, 0x3dcccccd, 0x0220);
    STORE("fst-m32-z", "fsts", CW(RC_Z, PC_X), TENTH, uint32_t, 0x3dcccccc, 0x0020);
    STORE("fst-m64-n", "fstl", CW(RC_N, PC_X), TENTH, uint64_t, 0x3fb999999999999aull, 0x0220);
    STORE("fst-m32-overflow", "fsts", CW(RC_N, PC_X), BIG, uint32_t, 0x5ed00000, 0x0000);
    STORE("fst-m32-inf", "fsts", CW(RC_N, PC_X), HUGE_, uint32_t, 0x7f800000, 0x0228);
    STORE("fst-m32-tiny", "fsts", CW(RC_N, PC_X), X(0x3f00, 0x8000000000000000ull),
          uint32_t, 0, 0x0030);
    STORE("fst-m32-snan", "fsts", CW(RC_N, PC_X), SNAN, uint32_t, 0x7fe00000, 0x0001);
    STORE("fistp-m16", "fistps", CW(RC_N, PC_X), X(0x4000, 0xa000000000000000ull),
          uint16_t, 2, 0x0020);
    STORE("fistp-m16-range", "fistps", CW(RC_N, PC_X), X(0x400f, 0x8000000000000000ull),
          uint16_t, 0x8000, 0x0001);
    STORE("fistp-m32-u", "fistpl", CW(RC_U, PC_X), X(0xc000, 0xa000000000000000ull),
          uint32_t, 0xfffffffe, 0x0020);
    STORE("fistp-m64", "fistpll", CW(RC_N, PC_X), BIG, uint64_t, 0x6800000000000000ull, 0);
    STORE("fisttp-m32", "fisttpl", CW(RC_U, PC_X), X(0x4000, 0xe000000000000000ull),
          uint32_t, 3, 0x0020);
    STORE("fisttp-m64-nan", "fisttpll", CW(RC_N, PC_X), QNAN, uint64_t,
          0x8000000000000000ull, 0x0001);
    LOAD("fld-m32", "flds", uint32_t, 0x3dcccccd, X(0x3ffb, 0xcccccd0000000000ull), 0);
    LOAD("fld-m32-snan", "flds", uint32_t, 0x7f800001, X(0x7fff, 0xc000010000000000ull), 0x0001);
    LOAD("fld-m32-denormal", "flds", uint32_t, 0x00000001,
         X(0x3f6a, 0x8000000000000000ull), 0x0002);
    LOAD("fld-m64", "fldl", uint64_t, 0xc008000000000000ull, MTHREE, 0);
    LOAD("fild-m16", "filds", int16_t, -3, MTHREE, 0);
    LOAD("fild-m32", "fildl", int32_t, 3, THREE, 0);
    LOAD("fild-m64", "fildll", int64_t, INT64_MIN, X(0xc03e, 0x8000000000000000ull), 0);
}

static void test_bcd(void)
{
    static const uint8_t bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 };
    uint8_t out[10];
    X80 r, big = X(0x403a, 0xde0b6b3a76400000ull);   /* 10^18 */
    uint16_t sw, sw2, cw = CW(RC_N, PC_X);
    uint64_t lo;
    uint16_t hi;

    __asm__ volatile("fninit\n\tfbld %[pb]\n\tfnstsw %[sw]\n\tfld %%st(0)\n\tfstpt %[r]\n\t"
                     "fbstp %[o]\n\tfnstsw %[sw2]\n\tfninit"
                     : [sw] "=m"(sw), [sw2] "=m"(sw2), [r] "=m"(r), [o] "=m"(out)
                     : [pb] "m"(bcd));
    check_x80("fbld", r, X(0xc019, 0xeb79a2a000000000ull), sw, 0);
    test_group("fbstp");
    CHECK(!memcmp(out, bcd, 10));
    CHECK_EQ_NAMED("sw", sw2 & SWM, 0);

    __asm__ volatile("fninit\n\tfldcw %[c]\n\tfldt %[pa]\n\tfbstp %[o]\n\tfnstsw %[sw]\n\tfninit"
                     : [sw] "=m"(sw), [o] "=m"(out) : [pa] "m"(big), [c] "m"(cw));
    memcpy(&lo, out, 8);
    memcpy(&hi, out + 8, 2);
    test_group("fbstp-range");
    CHECK_EQ_NAMED("low", lo, 0xc000000000000000ull);
    CHECK_EQ_NAMED("high", hi, 0xffff);
    CHECK_EQ_NAMED("sw", sw & SWM, 0x0001);
}

/* ---- the stack ---------------------------------------------------------- */

static void test_stack(void)
{
    X80 r;
    uint16_t sw, sw2;

    /* nine pushes: the ninth overflows (IE SF C1) and leaves the indefinite */
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\t"
                     "fld1\n\tfldz\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit"
                     : [sw] "=m"(sw), [r] "=m"(r));
    check_x80("overflow", r, X(0xffff, 0xc000000000000000ull), sw, 0x0241);
    /* an operation on an empty register underflows (IE SF, C1 = 0) */
    __asm__ volatile("fninit\n\tfld1\n\tfadd %%st(1), %%st\n\tfnstsw %[sw]\n\tfstpt %[r]\n\t"
                     "fnstsw %[sw2]\n\tfninit"
                     : [sw] "=m"(sw), [sw2] "=m"(sw2), [r] "=m"(r));
    check_x80("underflow", r, X(0xffff, 0xc000000000000000ull), sw, 0x0041);
    test_group("top");
    CHECK_EQ_NAMED("top-after-pop", (sw2 >> 11) & 7, 0);
    /* fxch, fincstp, fdecstp, fcmov */
    __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tfxch %%st(1)\n\tfstpt %[r]\n\tfnstsw %[sw]\n\t"
                     "fninit" : [sw] "=m"(sw), [r] "=m"(r));
    check_x80("fxch", r, ONE, sw, 0);
    {
        uint64_t one = 1;
        __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tcmp $1, %[pv]\n\tfcmove %%st(1), %%st\n\t"
                         "fstpt %[r]\n\tfnstsw %[sw]\n\tfninit"
                         : [sw] "=m"(sw), [r] "=m"(r) : [pv] "r"(one) : "cc");
        check_x80("fcmove", r, ONE, sw, 0);
        __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tcmp $1, %[pv]\n\tfcmovne %%st(1), %%st\n\t"
                         "fstpt %[r]\n\tfnstsw %[sw]\n\tfninit"
                         : [sw] "=m"(sw), [r] "=m"(r) : [pv] "r"(one) : "cc");
        check_x80("fcmovne", r, ZERO, sw, 0);
    }
}

/* ---- environment -------------------------------------------------------- */

static void test_env(void)
{
    uint8_t env[28], save[108], save2[108];
    uint16_t cw = CW(RC_U, PC_D), cw2, sw;
    X80 r;
    uint32_t w;

    /* FNSTENV: control, status (TOP), tags; FNSTENV then masks everything */
    __asm__ volatile("fninit\n\tfldcw %[c]\n\tfld1\n\tfldz\n\tfnstenv %[e]\n\t"
                     "fnstcw %[c2]\n\tfninit"
                     : [e] "=m"(env), [c2] "=m"(cw2) : [c] "m"(cw));
    test_group("fnstenv");
    memcpy(&w, env, 4);
    CHECK_EQ_NAMED("cw", w & 0xffff, cw);
    memcpy(&w, env + 4, 4);
    CHECK_EQ_NAMED("sw", w & 0xffff, 6 << 11);
    memcpy(&w, env + 8, 4);
    CHECK_EQ_NAMED("tw", w & 0xffff, 0x1fff);    /* ST0 zero, ST1 valid, rest empty */
    CHECK_EQ_NAMED("cw-after", cw2, cw);
    /* FLDENV back into a reset FPU: the same stack shape */
    __asm__ volatile("fninit\n\tfldenv %[e]\n\tfnstsw %[sw]\n\tfnstcw %[c2]\n\tfninit"
                     : [sw] "=m"(sw), [c2] "=m"(cw2) : [e] "m"(env));
    test_group("fldenv");
    CHECK_EQ_NAMED("sw", sw, 6 << 11);
    CHECK_EQ_NAMED("cw", cw2, cw);

    /* FNSAVE resets the FPU; FRSTOR brings the registers back */
    __asm__ volatile("fninit\n\tfldpi\n\tfld1\n\tfnsave %[s]\n\tfnstcw %[c2]\n\t"
                     "frstor %[s]\n\tfnsave %[s2]\n\tfrstor %[s2]\n\tfstp %%st(0)\n\t"
                     "fstpt %[r]\n\tfnstsw %[sw]\n\tfninit"
                     : [s] "=m"(save), [s2] "=m"(save2), [c2] "=m"(cw2), [sw] "=m"(sw),
                       [r] "=m"(r));
    test_group("fnsave");
    CHECK_EQ_NAMED("cw-after", cw2, 0x037f);
    CHECK(!memcmp(save + 28, save2 + 28, 80));
    check_x80("frstor", r, X(0x4000, 0xc90fdaa22168c235ull), sw, 0);
}

/* ---- stack faults and condition codes, on states FRSTOR builds ---------- */

typedef struct __attribute__((packed)) FpuImage {
    uint32_t cw, sw, tw, fip, fop, fdp, fds;
    X80 st[8];                                  /* ST(0)..ST(7) */
} FpuImage;

#define INDEF X(0xffff, 0xc000000000000000ull)

/* TOP = 3, C0-C3 = cc, ST(0) = a, ST(1) = b, ST(2)..ST(7) fixed values;
 * ST(i) empty where bit i of empty is set */
static void fpu_image(FpuImage *im, uint16_t cw, uint16_t cc, unsigned empty, X80 a, X80 b)
{
    static const X80 rest[6] = { ONE, TWO, THREE, ONE, TWO, THREE };
    unsigned i;

    memset(im, 0, sizeof(*im));
    im->cw = cw;
    im->sw = cc | 3u << 11;
    im->st[0] = a;
    im->st[1] = b;
    for (i = 0; i < 8; i++) {
        if (i >= 2) {
            im->st[i] = rest[i - 2];
        }
        if (empty >> i & 1) {
            im->tw |= 3u << (2 * ((3 + i) & 7));
        }
    }
}

/* The whole status word (TOP too), the empty registers in ST order, ST(0),
 * ST(1) (an empty register's contents included) and ZF PF CF. */
static void check_state(const char *name, const FpuImage *o, uint64_t fl, uint16_t want_sw,
                        unsigned want_empty, X80 want0, X80 want1, uint64_t want_fl)
{
    unsigned top = (o->sw >> 11) & 7, empty = 0, i;

    for (i = 0; i < 8; i++) {
        empty |= (((o->tw >> (2 * ((top + i) & 7))) & 3) == 3) << i;
    }
    test_group(name);
    CHECK_EQ_NAMED("sw", o->sw & 0xffff, want_sw);
    CHECK_EQ_NAMED("empty", empty, want_empty);
    CHECK_EQ_NAMED("st0-exp", o->st[0].e, want0.e);
    CHECK_EQ_NAMED("st0-sig", o->st[0].m, want0.m);
    CHECK_EQ_NAMED("st1-exp", o->st[1].e, want1.e);
    CHECK_EQ_NAMED("st1-sig", o->st[1].m, want1.m);
    CHECK_EQ_NAMED("flags", fl & (FL_ZF | FL_PF | FL_CF), want_fl);
}

/* FRSTOR the state, EFLAGS = fl_in, run insn, FNSAVE (no wait: nothing
 * traps), check. */
#define FSTATE(name, insn, cw, cc, empty, fl_in, a, b, want_sw, want_empty, want0, want1, \
               want_fl)                                                      \
    do {                                                                     \
        static FpuImage in_, out_;                                           \
        uint64_t f_, fi_ = (fl_in) | 2;                                       \
        fpu_image(&in_, (cw), (cc), (empty), (a), (b));                      \
        __asm__ volatile("push %[fi]\n\tpopf\n\tfrstor %[i]\n\t" insn "\n\t"   \
                         "pushf\n\tpop %[f]\n\tfnsave %[o]\n\tfninit"         \
                         : [o] "=m"(out_), [f] "=r"(f_)                       \
                         : [i] "m"(in_), [fi] "r"(fi_) : "cc", "memory");      \
        check_state(name, &out_, f_, (want_sw), (want_empty), (want0), (want1), (want_fl)); \
    } while (0)

#define CCS 0x4700                              /* C3 C2 C1 C0 set */
#define MASKED 0x037f
#define IE_UNMASKED 0x037e

static void test_stack_faults(void)
{
    /* FPTAN FSINCOS: an empty ST(0) (underflow, C1 = 0, even with ST(7)
     * full) or a full ST(7) (overflow, C1 = 1): two indefinites pushed;
     * C2 cleared, C0 C3 kept */
    FSTATE("fsincos-st0-empty", "fsincos", MASKED, CCS, 0xfd, 0, HALF, HALF,
           0x5141, 0xf8, INDEF, INDEF, 0);
    FSTATE("fptan-st7-full", "fptan", MASKED, CCS, 0x7c, 0, HALF, HALF,
           0x5341, 0xf8, INDEF, INDEF, 0);
    FSTATE("fptan-st0-empty-st7-full", "fptan", MASKED, CCS, 0x7d, 0, HALF, HALF,
           0x5141, 0xf8, INDEF, INDEF, 0);
    /* FPATAN FYL2X FYL2XP1: the indefinite in ST(1), popped; C2 kept */
    FSTATE("fpatan-st1-empty", "fpatan", MASKED, CCS, 0xfe, 0, HALF, HALF,
           0x6541, 0xfe, INDEF, ONE, 0);
    FSTATE("fyl2x-st0-empty", "fyl2x", MASKED, CCS, 0xfd, 0, HALF, HALF,
           0x6541, 0xfe, INDEF, ONE, 0);
    FSTATE("fyl2xp1-both-empty", "fyl2xp1", MASKED, CCS, 0xff, 0, HALF, HALF,
           0x6541, 0xfe, INDEF, ONE, 0);
    /* FSIN clears C2, F2XM1 keeps it */
    FSTATE("fsin-st0-empty", "fsin", MASKED, CCS, 0xfd, 0, HALF, HALF,
           0x5941, 0xfc, INDEF, HALF, 0);
    FSTATE("f2xm1-st0-empty", "f2xm1", MASKED, CCS, 0xfd, 0, HALF, HALF,
           0x5d41, 0xfc, INDEF, HALF, 0);
    /* unmasked: nothing pushed, popped or stored */
    FSTATE("fptan-st0-empty-unmasked", "fptan", IE_UNMASKED, CCS, 0xfd, 0, HALF, HALF,
           0xd9c1, 0xfd, HALF, HALF, 0);
    FSTATE("fyl2x-st1-empty-unmasked", "fyl2x", IE_UNMASKED, CCS, 0xfe, 0, HALF, HALF,
           0xddc1, 0xfe, HALF, HALF, 0);

    /* FPREM FPREM1: a NaN result, a stack fault or an unmasked exception
     * clear C1 C2 and keep C0 C3; a result sets all four */
    FSTATE("fprem-qnan", "fprem", MASKED, CCS, 0xfc, 0, QNAN, ONE,
           0x5900, 0xfc, QNAN, ONE, 0);
    FSTATE("fprem1-invalid", "fprem1", MASKED, CCS, 0xfc, 0, THREE, ZERO,
           0x5901, 0xfc, INDEF, ZERO, 0);
    FSTATE("fprem-st1-empty", "fprem", MASKED, CCS, 0xfe, 0, THREE, ONE,
           0x5941, 0xfe, INDEF, ONE, 0);
    FSTATE("fprem-snan-unmasked", "fprem", IE_UNMASKED, CCS, 0xfc, 0, ONE, SNAN,
           0xd981, 0xfc, ONE, SNAN, 0);
    FSTATE("fprem-quotient", "fprem", MASKED, CCS, 0xfc, 0, THREE, ONE,
           0x5a00, 0xfc, ZERO, ONE, 0);          /* q = 3: C3 C1 */

    /* FCOMI FUCOMIP keep C1 (C0 C2 C3 too) but for a stack fault */
    FSTATE("fcomi-c1", "fcomi %%st(1), %%st", MASKED, 0x0200, 0xfc, 0, ONE, THREE,
           0x1a00, 0xfc, ONE, THREE, FL_CF);
    FSTATE("fucomip-c1", "fucomip %%st(1), %%st", MASKED, 0x0200, 0xfc, 0, ONE, THREE,
           0x2200, 0xfe, THREE, ONE, FL_CF);
    FSTATE("fcomi-snan-c1", "fcomi %%st(1), %%st", MASKED, 0x0200, 0xfc, 0, SNAN, ONE,
           0x1a01, 0xfc, SNAN, ONE, FL_ZF | FL_PF | FL_CF);
    FSTATE("fcomi-st1-empty", "fcomi %%st(1), %%st", MASKED, CCS, 0xfe, 0, ONE, THREE,
           0x5d41, 0xfe, ONE, THREE, FL_ZF | FL_PF | FL_CF);

    /* FCMOVcc keeps C0-C3; an empty operand stores the indefinite in ST(0)
     * whatever the condition */
    FSTATE("fcmovb-false-c1", "fcmovb %%st(1), %%st", MASKED, 0x0200, 0xfc, 0, ONE, THREE,
           0x1a00, 0xfc, ONE, THREE, 0);
    FSTATE("fcmovnb-true-c1", "fcmovnb %%st(1), %%st", MASKED, CCS, 0xfc, 0, ONE, THREE,
           0x5f00, 0xfc, THREE, THREE, 0);
    FSTATE("fcmovb-false-st1-empty", "fcmovb %%st(1), %%st", MASKED, CCS, 0xfe, 0, ONE, THREE,
           0x5d41, 0xfe, INDEF, THREE, 0);

    /* FCOMP ST(1) (D8 D9) and FUCOMP ST(1) (DD E9) pop once, FCOMPP twice */
    FSTATE("fcomp-st1", ".byte 0xd8, 0xd9", MASKED, 0, 0xfc, 0, ONE, THREE,
           0x2100, 0xfe, THREE, ONE, 0);
    FSTATE("fucomp-st1", ".byte 0xdd, 0xe9", MASKED, 0, 0xfc, 0, ONE, THREE,
           0x2100, 0xfe, THREE, ONE, 0);
    FSTATE("fcompp", "fcompp", MASKED, 0, 0xfc, 0, ONE, THREE,
           0x2900, 0xff, ONE, TWO, 0);

    /* FXTRACT: ST(7) full overflows before any operand exception, an empty
     * ST(0) underflows first; two indefinites */
    FSTATE("fxtract-st7-full", "fxtract", MASKED, CCS, 0x7c, 0, THREE, ONE,
           0x5741, 0xf8, INDEF, INDEF, 0);
    FSTATE("fxtract-zero-st7-full", "fxtract", MASKED, CCS, 0x7c, 0, ZERO, ONE,
           0x5741, 0xf8, INDEF, INDEF, 0);
    FSTATE("fxtract-st0-empty-st7-full", "fxtract", MASKED, CCS, 0x7d, 0, THREE, ONE,
           0x5541, 0xf8, INDEF, INDEF, 0);

    /* FLD ST(i): an empty ST(i) is an underflow even with ST(7) full */
    FSTATE("fld-st1-empty-st7-full", "fld %%st(1)", MASKED, CCS, 0x7e, 0, ONE, THREE,
           0x5541, 0xfc, INDEF, ONE, 0);
    FSTATE("fld-st1-st7-full", "fld %%st(1)", MASKED, CCS, 0x7c, 0, ONE, THREE,
           0x5741, 0xf8, INDEF, ONE, 0);

    /* FFREE, FFREEP: C1 = 0 (SDM: undefined), C0 C2 C3 kept */
    FSTATE("ffree", "ffree %%st(1)", MASKED, CCS, 0xfc, 0, ONE, THREE,
           0x5d00, 0xfe, ONE, THREE, 0);
    FSTATE("ffreep", ".byte 0xdf, 0xc1", MASKED, CCS, 0xfc, 0, ONE, THREE,
           0x6500, 0xff, THREE, ONE, 0);
}

/* The control word as FLDCW, FLDENV, FRSTOR and FXRSTOR write it (bits 7
 * and 13-15 read 0, bit 6 reads 1), and ES/B recomputed from the status
 * word's pending exceptions and the new masks. */
static uint8_t fx_image[512] __attribute__((aligned(16)));

static void check_cw_load(const char *name, uint16_t cw, uint16_t sw, uint16_t want_cw,
                          uint16_t want_sw)
{
    static uint32_t env[7];
    static FpuImage save;
    uint16_t c1, c2, c3, c4, s2, s3, s4;
    uint32_t mxcsr = 0x1f80;

    __asm__ volatile("fninit\n\tfldcw %[c]\n\tfnstcw %[r]\n\tfninit"
                     : [r] "=m"(c1) : [c] "m"(cw));
    memset(env, 0xff, sizeof(env));
    env[0] = 0xffff0000u | cw;
    env[1] = 0xffff0000u | sw;
    __asm__ volatile("fninit\n\tfldenv %[e]\n\tfnstcw %[r]\n\tfnstsw %[s]\n\tfninit"
                     : [r] "=m"(c2), [s] "=m"(s2) : [e] "m"(env));
    memset(&save, 0, sizeof(save));
    save.cw = cw;
    save.sw = sw;
    save.tw = 0xffff;
    __asm__ volatile("fninit\n\tfrstor %[e]\n\tfnstcw %[r]\n\tfnstsw %[s]\n\tfninit"
                     : [r] "=m"(c3), [s] "=m"(s3) : [e] "m"(save));
    memset(fx_image, 0, sizeof(fx_image));
    memcpy(fx_image, &cw, 2);
    memcpy(fx_image + 2, &sw, 2);
    memcpy(fx_image + 24, &mxcsr, 4);
    __asm__ volatile("fninit\n\tfxrstor %[e]\n\tfnstcw %[r]\n\tfnstsw %[s]\n\tfninit"
                     : [r] "=m"(c4), [s] "=m"(s4) : [e] "m"(fx_image));
    test_group(name);
    CHECK_EQ_NAMED("fldcw", c1, want_cw);
    CHECK_EQ_NAMED("fldenv", c2, want_cw);
    CHECK_EQ_NAMED("frstor", c3, want_cw);
    CHECK_EQ_NAMED("fxrstor", c4, want_cw);
    CHECK_EQ_NAMED("fldenv-sw", s2, want_sw);
    CHECK_EQ_NAMED("frstor-sw", s3, want_sw);
    CHECK_EQ_NAMED("fxrstor-sw", s4, want_sw);
}

static void test_control_word(void)
{
    check_cw_load("cw-ones", 0xffff, 0xffff, 0x1f7f, 0x7f7f);
    check_cw_load("cw-zero", 0x0000, 0x0000, 0x0040, 0x0000);
    check_cw_load("cw-reserved", 0xe0bf, 0x8080, 0x007f, 0x0000);
    check_cw_load("cw-bit12", 0x137e, 0x0001, 0x137e, 0x8081);
}

/* ---- transcendentals, within one ulp ------------------------------------ */

#define NEAR(name, insn, a, b, want)                                          \
    do {                                                                     \
        X80 a_ = (a), b_ = (b), r_, w_ = (want);                             \
        __asm__ volatile("fninit\n\tfldt %[pb]\n\tfldt %[pa]\n\t" insn "\n\t"   \
                         "fstpt %[r]\n\tfninit"                              \
                         : [r] "=m"(r_) : [pa] "m"(a_), [pb] "m"(b_));           \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("exp", r_.e, w_.e);                                   \
        CHECK_NAMED("sig", r_.m - w_.m + 1 <= 2);                            \
    } while (0)

static void test_transcendental(void)
{
    NEAR("fsin", "fsin", ONE, ZERO, X(0x3ffe, 0xd76aa47848677021ull));
    NEAR("fcos", "fcos", ONE, ZERO, X(0x3ffe, 0x8a51407da8345c92ull));
    NEAR("fptan", "fptan\n\tfstp %%st(0)", ONE, ZERO, X(0x3fff, 0xc75922e5f71d2dc6ull));
    NEAR("fpatan", "fpatan", ONE, ONE, X(0x3ffe, 0xc90fdaa22168c235ull));
    NEAR("f2xm1", "f2xm1", HALF, ZERO, X(0x3ffd, 0xd413cccfe7799211ull));
    NEAR("fyl2x", "fyl2x", TWO, THREE, THREE);
    NEAR("fsincos", "fsincos\n\tfstp %%st(0)", ONE, ZERO, X(0x3ffe, 0xd76aa47848677021ull));
}

int main(void)
{
    test_arith();
    test_constants();
    test_compare();
    test_memory_formats();
    test_bcd();
    test_stack();
    test_env();
    test_stack_faults();
    test_control_word();
    test_transcendental();
    test_done();
}
