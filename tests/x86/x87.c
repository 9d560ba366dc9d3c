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
    test_transcendental();
    test_done();
}
