/*
 * x87-transcendental.c: the x87 transcendentals in software, for hosts
 * without an x87 (target-x86/fpu_helper.c uses the host's x87 on x86).
 *
 * How: each function is computed in IEEE binary128 with glibc's _Float128
 * libm (sinf128 ... : on AArch64 and RISC-V the long double functions, on
 * x86-64 a separate software implementation), accurate to about one ulp
 * of 113 bits, and that result is rounded once to the x87's 64 bits by
 * util/softfloat-x80.c's rounding, which gives the rounding control, C1,
 * PE, UE/OE and the unmasked OE/UE response as the arithmetic has them.
 * 49 spare bits make the rounding almost always the correctly rounded
 * one; Intel's results are within one ulp, not always correctly rounded,
 * so the two can differ by an ulp.  Not x86's 80-bit long double: its
 * 64 bits leave nothing to round (no C1 or PE, wrong directed rounding),
 * and glibc's x86 sinl is FSIN itself.
 *
 * x87 behaviour followed (SDM vol. 2 tables, measured on an Intel Xeon):
 *  - precision control does not apply: results always have 64 bits;
 *  - every nonzero finite result raises PE, exact ones too (F2XM1(1),
 *    FYL2X(8, 3)): a sticky bit below the 113 carries that, on the side
 *    (X87_UP/X87_DOWN) that gives the x87's result where the value is
 *    exact or the argument tiny;
 *  - C1 is the x87's own rounding of its internal approximation (a few
 *    bits beyond 64): where the value is that close to a representable
 *    one, its C1 can disagree with the correct one although the results
 *    agree (about 2% of random arguments: the unit test bounds it);
 *  - FSIN FCOS FSINCOS FPTAN reduce their argument modulo pi/2 with a
 *    66-bit pi (SDM vol. 1 8.3.8), exactly: fsin(x) is sin(x - k * PI66/2
 *    + k * pi/2), which is what makes fsin(pi rounded to 64 bits) -2^-64;
 *    |x| >= 2^63 sets C2 and leaves the operand alone;
 *  - arguments outside F2XM1's [-1, 1] and FYL2XP1's |x| < 1 - sqrt(2)/2
 *    are "undefined"; they get the mathematical function here.
 * Values never go through binary128's subnormals or out of its range:
 * products and quotients are formed from [1, 2) significands with the
 * exponents kept apart, and arguments below 2^-120 take the first term of
 * the series (the next is below binary128's precision).
 */
#include "util/softfloat-internal.h"
#include "util/x87-transcendental.h"
#include <fenv.h>
#include <math.h>
#include <stdlib.h>

enum {
    OP_F2XM1 = 0x30, OP_FYL2X = 0x31, OP_FPTAN = 0x32, OP_FPATAN = 0x33,
    OP_FYL2XP1 = 0x39, OP_FSINCOS = 0x3b, OP_FSIN = 0x3e, OP_FCOS = 0x3f,
};

#define X80_BIAS FLOATX80_BIAS

bool x87_soft_transcendental_forced(void)
{
    static int forced = -1;

    if (forced < 0) {
        const char *e = getenv("TERN_X87_SOFT");
        forced = e && *e && *e != '0';
    }
    return forced;
}

#if defined(__HAVE_FLOAT128) && __HAVE_FLOAT128

typedef _Float128 f128;

/* Below 2^-120 an argument's series stops at its first term. */
#define TINY_EXP (-120)

/* Which side of the 113-bit value the sticky bit goes (the header);
 * X87_EXACT: none, the value rounds as it is and PE is raised anyway. */
enum { X87_DOWN = -1, X87_EXACT = 0, X87_UP = 1 };

bool x87_soft_transcendental_available(void)
{
    return true;
}

/* A finite nonzero value before rounding: (-1)^sign * sig / 2^127 *
 * 2^(exp - bias), sig's leading 1 anywhere. */
typedef struct XVal {
    bool sign;
    int32_t exp;
    sf_u128 sig;
} XVal;

static floatx80 x87_zero(bool sign)
{
    return make_floatx80((uint16_t)(sign << 15), 0);
}

static floatx80 x87_inf(bool sign)
{
    return make_floatx80((uint16_t)((sign << 15) | 0x7fff), 1ull << 63);
}

static floatx80 x87_one(bool sign)
{
    return make_floatx80((uint16_t)((sign << 15) | X80_BIAS), 1ull << 63);
}

static floatx80 x87_invalid(float_status *s)
{
    s->exception_flags |= float_flag_invalid;
    return floatx80_default_nan();
}

/* An unpacked finite nonzero operand's significand in [1, 2), signed,
 * and its unbiased exponent. */
static f128 x87_mant(const X80Parts *p, int32_t *e)
{
    f128 m = (f128)p->sig * 0x1p-63f128;

    *e = p->exp - X80_BIAS;
    return p->sign ? -m : m;
}

/* The operand itself in binary128 (exact: binary128's exponent range holds
 * the x87's, denormals included). */
static f128 x87_to_f128(const X80Parts *p)
{
    int32_t e;
    f128 m = x87_mant(p, &e);

    return scalbnf128(m, e);
}

static XVal xv_from_f128(f128 v, int32_t adj)
{
    int e;
    f128 m = frexpf128(fabsf128(v), &e);             /* [0.5, 1) */
    XVal r = { .sign = signbit(v) != 0, .exp = e - 1 + X80_BIAS + adj };

    r.sig = (sf_u128)scalbnf128(m, 113) << 15;
    return r;
}

static XVal xv_from_parts(const X80Parts *p)
{
    XVal r = { .sign = p->sign, .exp = p->exp, .sig = (sf_u128)p->sig << 64 };
    return r;
}

/* Round v to 64 bits as an inexact result: the sticky bit on side dir. */
static floatx80 xv_round(XVal v, int dir, float_status *s)
{
    floatx80 r;

    if (dir != X87_EXACT) {
        v.sig = dir == X87_UP ? v.sig | 1 : v.sig - 1;
    }
    r = x80_norm_round_pack(v.sign, v.exp, v.sig, 64, s);
    s->exception_flags |= float_flag_inexact;
    if (!(r.high & 0x7fff)) {
        s->exception_flags |= float_flag_underflow;  /* tiny and (declared) inexact */
    }
    return r;
}

static floatx80 f128_round(f128 v, int32_t adj, int dir, float_status *s)
{
    if (isinf(v)) {                                  /* past binary128: overflows */
        XVal big = { .sign = signbit(v) != 0, .exp = X80_EXP_MAX, .sig = (sf_u128)1 << 127 };
        return xv_round(big, X87_UP, s);
    }
    return xv_round(xv_from_f128(v, adj), dir, s);
}

/* ---- FSIN FCOS FSINCOS FPTAN ------------------------------------------ */

enum { TRIG_SIN, TRIG_COS, TRIG_TAN };

/* PI66/2: pi rounded to 66 bits (0xC90FDAA22168C234C * 2^-66), halved,
 * split into two 33-bit halves so that k * half is exact for k < 2^63. */
#define PI66_INT (((sf_u128)0xc90fdaa22168c234ull << 4) | 0xc)
#define PI66_HI_MASK (~(((sf_u128)1 << 35) - 1))

/* x = k * PI66/2 + r exactly, |r| <= ~pi/4; returns k mod 4. */
static unsigned trig_reduce(f128 x, f128 *r)
{
    const f128 hi = (f128)(PI66_INT & PI66_HI_MASK) * 0x1p-67f128;
    const f128 lo = (f128)(PI66_INT & ~PI66_HI_MASK) * 0x1p-67f128;
    f128 k;

    if (fabsf128(x) < 0.78f128) {
        *r = x;
        return 0;
    }
    k = floorf128(x / (hi + lo) + 0.5f128);
    *r = (x - k * hi) - k * lo;
    return (unsigned)((int64_t)k & 3);
}

/* Which function of r, and its sign, fn(x) is for x = k * pi/2 + r. */
static const struct {
    uint8_t fn;          /* TRIG_SIN TRIG_COS: of r; TRIG_TAN: cot r when k is odd */
    bool neg;
} trig_quadrant[3][4] = {
    [TRIG_SIN] = { { TRIG_SIN, 0 }, { TRIG_COS, 0 }, { TRIG_SIN, 1 }, { TRIG_COS, 1 } },
    [TRIG_COS] = { { TRIG_COS, 0 }, { TRIG_SIN, 1 }, { TRIG_COS, 1 }, { TRIG_SIN, 0 } },
    [TRIG_TAN] = { { TRIG_TAN, 0 }, { TRIG_TAN, 1 }, { TRIG_TAN, 0 }, { TRIG_TAN, 1 } },
};

/* The sticky side of the reduced functions: the series' next term's. */
static const int8_t trig_dir[3] = { X87_DOWN, X87_DOWN, X87_UP };

/* fn of a finite nonzero operand below 2^63. */
static floatx80 trig_finite(unsigned fn, const X80Parts *p, float_status *s)
{
    unsigned q;
    f128 r, v;

    if (p->exp - X80_BIAS < TINY_EXP) {
        /* sin x = tan x = x, cos x = 1: the x87 gives them as they are (PE) */
        XVal one = { .exp = X80_BIAS, .sig = (sf_u128)1 << 127 };
        return xv_round(fn == TRIG_COS ? one : xv_from_parts(p), X87_EXACT, s);
    }
    q = trig_reduce(x87_to_f128(p), &r);
    switch (trig_quadrant[fn][q].fn) {
    case TRIG_SIN: v = sinf128(r); break;
    case TRIG_COS: v = cosf128(r); break;
    default:       v = q & 1 ? 1 / tanf128(r) : tanf128(r); break;
    }
    if (trig_quadrant[fn][q].neg) {
        v = -v;
    }
    return f128_round(v, 0, fn == TRIG_TAN && (q & 1) ? X87_DOWN : trig_dir[fn], s);
}

/* fn of an operand that is a valid register; *c2 for |x| >= 2^63. */
static floatx80 trig(unsigned fn, floatx80 a, float_status *s, bool *c2)
{
    X80Parts p = x80_unpack(a);
    floatx80 r;

    if (x80_check_nan(&r, a, &p, a, NULL, s)) {
        return r;
    }
    if (p.cls == SF_INF) {
        return x87_invalid(s);
    }
    if (p.cls == SF_ZERO) {
        return fn == TRIG_COS ? x87_one(false) : a;
    }
    x80_check_denormal(&p, NULL, s);
    if (p.exp - X80_BIAS >= 63) {
        *c2 = true;
        return a;
    }
    return trig_finite(fn, &p, s);
}

/* ---- F2XM1 ------------------------------------------------------------- */

static floatx80 f2xm1(floatx80 a, float_status *s)
{
    X80Parts p = x80_unpack(a);
    floatx80 r;
    int32_t e;
    f128 m;

    if (x80_check_nan(&r, a, &p, a, NULL, s)) {
        return r;
    }
    if (p.cls == SF_INF) {
        return p.sign ? x87_one(true) : a;           /* 2^-inf - 1 = -1 */
    }
    if (p.cls == SF_ZERO) {
        return a;
    }
    x80_check_denormal(&p, NULL, s);
    m = x87_mant(&p, &e);
    if (e >= 0 && !(e == 0 && p.sig == 1ull << 63)) {
        s->exception_flags |= float_flag_inexact;    /* |x| > 1: the x87 returns x */
        return a;
    }
    if (e < TINY_EXP) {
        return f128_round(m * M_LN2f128, e, X87_UP, s);     /* x ln 2 */
    }
    return f128_round(expm1f128(scalbnf128(m, e) * M_LN2f128), 0, X87_UP, s);
}

/* ---- FYL2X FYL2XP1 ----------------------------------------------------- */

/* y * l for a finite nonzero y and l = the log's value * 2^adj. */
static floatx80 times_y(const X80Parts *py, f128 l, int32_t adj, float_status *s)
{
    int32_t e;
    f128 m = x87_mant(py, &e);
    /* the x87's logs: a positive integer one exact (log2(2) * y is y in
     * every rounding), the others a little short */
    int dir = l >= 1 && l == floorf128(l) ? X87_EXACT : X87_DOWN;

    return f128_round(m * l, e + adj, dir, s);
}

/*
 * The cases the logarithm's value does not decide alone: y zero or
 * infinite, or log infinite (x87 tables).  lsign: the log's sign, linf:
 * it is infinite, lzero: it is zero.  Returns true with *r set.
 */
static bool log_special(const X80Parts *py, bool lsign, bool linf, bool lzero,
                        floatx80 *r, float_status *s)
{
    bool sign = py->sign ^ lsign;

    if ((py->cls == SF_ZERO && linf) || (py->cls == SF_INF && lzero)) {
        *r = x87_invalid(s);                         /* 0 * inf */
    } else if (py->cls == SF_INF || linf) {
        *r = x87_inf(sign);
    } else if (py->cls == SF_ZERO || lzero) {
        *r = x87_zero(sign);
    } else {
        return false;
    }
    return true;
}

/* FYL2X: y * log2(x), x = ST0, y = ST1. */
static floatx80 fyl2x(floatx80 x, floatx80 y, float_status *s)
{
    X80Parts px = x80_unpack(x), py = x80_unpack(y);
    bool lzero, linf;
    floatx80 r;

    if (x80_check_nan(&r, x, &px, y, &py, s)) {
        return r;
    }
    if (px.sign && px.cls != SF_ZERO) {
        return x87_invalid(s);                       /* log of a negative */
    }
    if (px.cls != SF_ZERO) {
        x80_check_denormal(&px, &py, s);             /* log2(0): ZE alone */
    }
    linf = px.cls == SF_ZERO || px.cls == SF_INF;
    lzero = px.cls == SF_NORMAL && px.exp == X80_BIAS && px.sig == 1ull << 63;
    if (px.cls == SF_ZERO && py.cls == SF_NORMAL) {
        s->exception_flags |= float_flag_divbyzero;  /* log2(0) = -inf */
    }
    if (log_special(&py, px.cls == SF_ZERO || px.exp < X80_BIAS, linf, lzero, &r, s)) {
        return r;
    }
    return times_y(&py, log2f128(x87_to_f128(&px)), 0, s);
}

/* FYL2XP1: y * log2(x + 1), x = ST0, y = ST1. */
static floatx80 fyl2xp1(floatx80 x, floatx80 y, float_status *s)
{
    X80Parts px = x80_unpack(x), py = x80_unpack(y);
    floatx80 r;
    int32_t e;
    f128 m, l;

    if (x80_check_nan(&r, x, &px, y, &py, s)) {
        return r;
    }
    if (px.sign && px.cls == SF_INF) {
        return x87_invalid(s);
    }
    if (px.sign && px.cls != SF_ZERO && px.exp >= X80_BIAS) {
        /* finite x <= -1: the x87 returns x (or y's zero or infinity) */
        if (py.cls != SF_NORMAL) {
            return py.cls == SF_ZERO ? x87_zero(!py.sign) : x87_inf(!py.sign);
        }
        x80_check_denormal(&px, &py, s);
        s->exception_flags |= float_flag_inexact;
        return x;
    }
    x80_check_denormal(&px, &py, s);
    if (log_special(&py, px.sign, px.cls == SF_INF, px.cls == SF_ZERO, &r, s)) {
        return r;
    }
    m = x87_mant(&px, &e);
    if (e < TINY_EXP) {
        return times_y(&py, m * M_LOG2Ef128, e, s);          /* x / ln 2 */
    }
    /* log2 itself where 1 + x is exact: powers of two give exact logs */
    l = e >= -49 ? log2f128(1 + scalbnf128(m, e)) : log1pf128(scalbnf128(m, e)) * M_LOG2Ef128;
    return times_y(&py, l, 0, s);
}

/* ---- FPATAN ------------------------------------------------------------ */

/* FPATAN: the angle of (x, y), x = ST0, y = ST1 (atan2's rules: no
 * invalid for zeros and infinities). */
static floatx80 fpatan(floatx80 x, floatx80 y, float_status *s)
{
    X80Parts px = x80_unpack(x), py = x80_unpack(y);
    floatx80 r;
    int32_t ex, ey, d;
    f128 mx, my, v;

    if (x80_check_nan(&r, x, &px, y, &py, s)) {
        return r;
    }
    x80_check_denormal(&px, &py, s);
    if (px.cls != SF_NORMAL || py.cls != SF_NORMAL) {
        f128 fx = px.cls == SF_INF ? (px.sign ? -1 : 1) * (f128)INFINITY
                                   : px.cls == SF_ZERO ? (px.sign ? -0.0f128 : 0.0f128)
                                                       : x87_to_f128(&px);
        f128 fy = py.cls == SF_INF ? (py.sign ? -1 : 1) * (f128)INFINITY
                                   : py.cls == SF_ZERO ? (py.sign ? -0.0f128 : 0.0f128)
                                                       : x87_to_f128(&py);
        v = atan2f128(fy, fx);
        return v == 0 ? x87_zero(signbit(v)) : f128_round(v, 0, X87_UP, s);
    }
    mx = x87_mant(&px, &ex);
    my = x87_mant(&py, &ey);
    d = ey - ex;
    if (!px.sign && d < TINY_EXP) {
        return f128_round(my / mx, d, X87_UP, s);            /* atan t = t */
    }
    /* |y/x| outside [2^-200, 2^16000]: the angle is +-pi or +-pi/2 anyway */
    d = d < -200 ? -200 : d > 16000 ? 16000 : d;
    v = atan2f128(scalbnf128(my, d), mx);
    return f128_round(v, 0, X87_UP, s);
}

/* ---- the instructions -------------------------------------------------- */

static float_status x87_status(uint16_t cw)
{
    float_status s = {
        .rounding_mode = (cw >> 10) & 3,
        .floatx80_precision = floatx80_precision_x,
        .overflow_unmasked = !(cw & float_flag_overflow),
        .underflow_unmasked = !(cw & float_flag_underflow),
        .soft_only = true,
    };
    return s;
}

uint16_t x87_soft_transcendental(unsigned op, uint16_t cw, floatx80 a, floatx80 b,
                                 floatx80 *r0, floatx80 *r1, int *depth)
{
    float_status s = x87_status(cw);
    bool c2 = false;
    fenv_t host_env;

    /* libm's binary128 functions raise their exceptions on the host's
     * x87 and MXCSR (libgcc's soft-fp): put the host's flags back, which
     * the host fast paths keep track of (softfloat-x80.c x80_host_flags) */
    fegetenv(&host_env);
    *r1 = b;
    *depth = 0;
    switch (op) {
    case OP_F2XM1:   *r0 = f2xm1(a, &s); break;
    case OP_FYL2X:   *r0 = fyl2x(a, b, &s); *depth = -1; break;
    case OP_FYL2XP1: *r0 = fyl2xp1(a, b, &s); *depth = -1; break;
    case OP_FPATAN:  *r0 = fpatan(a, b, &s); *depth = -1; break;
    case OP_FSIN:    *r0 = trig(TRIG_SIN, a, &s, &c2); break;
    case OP_FCOS:    *r0 = trig(TRIG_COS, a, &s, &c2); break;
    case OP_FPTAN:
        *r1 = trig(TRIG_TAN, a, &s, &c2);
        *r0 = floatx80_is_any_nan(*r1) ? *r1 : x87_one(false);     /* a NaN twice */
        *depth = 1;
        break;
    default:                                         /* FSINCOS: the cosine last (C1) */
        *r1 = trig(TRIG_SIN, a, &s, &c2);
        *r0 = trig(TRIG_COS, a, &s, &c2);
        *depth = 1;
        break;
    }
    fesetenv(&host_env);
    if (c2) {
        *r0 = a;
        *depth = 0;
        return X87_SW_C2;
    }
    return s.exception_flags | (s.floatx80_rounded_up ? X87_SW_C1 : 0);
}

#else

bool x87_soft_transcendental_available(void)
{
    return false;
}

/* No binary128 libm: the indefinite, with IE. */
uint16_t x87_soft_transcendental(unsigned op, uint16_t cw, floatx80 a, floatx80 b,
                                 floatx80 *r0, floatx80 *r1, int *depth)
{
    *r0 = *r1 = floatx80_default_nan();
    *depth = 0;
    return float_flag_invalid;
}

#endif
