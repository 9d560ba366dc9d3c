/*
 * softfloat-x80.c: the x87 80-bit extended format (floatx80) in software,
 * bit-exact with x86 hardware (tests/unit/test-softfloat-x80.c compares it
 * against the host's x87).
 *
 * Values are unpacked into X80Parts: a class, a sign, a biased exponent
 * and a 64-bit significand normalised so that bit 63 is the integer bit
 * (denormal and pseudo-denormal inputs are normalised, with an exponent
 * that may go below 1).  Operations compute an exact or sticky ("jammed")
 * 128-bit significand whose bit 127 weighs 2^(exp - bias), and
 * x80_round_pack() rounds it to the precision, raising OE/UE/PE and
 * recording the x87 C1 "rounded up" indication.
 *
 * x87 rules, as Intel documents them (SDM vol. 1, 4.8.3 and 8.5) and the
 * host comparison confirms: unsupported encodings are invalid operands and
 * give the default NaN; a NaN operand wins over every exception but IE; of
 * two NaNs the QNaN, else the larger significand, wins (ties: the positive
 * one); DE is raised for denormal operands of an operation that reaches
 * its arithmetic; tininess is detected after rounding and, with UE
 * masked, UE needs an inexact result.
 *
 * Unmasked (trapping) OE/UE, float_status.overflow_unmasked/
 * underflow_unmasked (SDM vol. 1, 8.5.4-8.5.5, and the host): an
 * arithmetic result that overflows or is tiny after rounding to the
 * precision control with an unbounded exponent is delivered with its
 * exponent rebiased by -24576 / +24576, raising OE / UE (UE even when
 * exact), PE only if inexact, C1 = rounded up; a result out of range even
 * then (only FSCALE gets there) is infinity with OE PE C1 = 1, or zero with
 * UE PE, in every rounding mode.  FST to binary32/binary64 instead raises
 * only OE or UE (no PE, C1 = 0): the caller stores nothing.
 *
 * The binary32/binary64 rounding of FST lives here too (x80_to_binary)
 * since it needs the C1 indication that util/softfloat.c's rounding does
 * not report.
 */
#include "util/softfloat-internal.h"

X80Parts x80_unpack(floatx80 a)
{
    X80Parts p = { .sign = a.high >> 15, .exp = a.high & 0x7fff, .sig = a.low };

    if (p.exp == X80_EXP_MAX) {
        if (!(p.sig >> 63)) {
            p.cls = X80_UNSUPPORTED;         /* pseudo-infinity / pseudo-NaN */
        } else if (!(p.sig << 1)) {
            p.cls = SF_INF;
        } else {
            p.cls = (p.sig >> 62) & 1 ? SF_QNAN : SF_SNAN;
        }
    } else if (p.exp == 0) {
        if (!p.sig) {
            p.cls = SF_ZERO;
        } else {
            /* denormal; a pseudo-denormal (J set) has the same value */
            int n = sf_clz64(p.sig);
            p.cls = SF_NORMAL;
            p.denormal = true;
            p.sig <<= n;
            p.exp = 1 - n;
        }
    } else {
        p.cls = p.sig >> 63 ? SF_NORMAL : X80_UNSUPPORTED;   /* unnormal */
    }
    return p;
}

static bool x80_is_nan(const X80Parts *p)
{
    return p->cls == SF_QNAN || p->cls == SF_SNAN;
}

static floatx80 x80_pack(bool sign, int32_t exp, uint64_t sig)
{
    return make_floatx80((uint16_t)((sign << 15) | exp), sig);
}

static floatx80 x80_zero(bool sign)
{
    return x80_pack(sign, 0, 0);
}

static floatx80 x80_inf(bool sign)
{
    return x80_pack(sign, X80_EXP_MAX, 1ull << 63);
}

static floatx80 x80_invalid(float_status *s)
{
    s->exception_flags |= float_flag_invalid;
    return floatx80_default_nan();
}

/* The NaN result of an operation with a NaN operand (at least one). */
static floatx80 x80_pick_nan(floatx80 a, const X80Parts *pa, floatx80 b,
                             const X80Parts *pb, float_status *s)
{
    floatx80 r;

    if (pa->cls == SF_SNAN || (pb && pb->cls == SF_SNAN)) {
        s->exception_flags |= float_flag_invalid;
    }
    if (!pb || !x80_is_nan(pb)) {
        r = a;
    } else if (!x80_is_nan(pa)) {
        r = b;
    } else if (pa->cls != pb->cls) {
        r = pa->cls == SF_QNAN ? a : b;
    } else if (a.low != b.low) {
        r = a.low > b.low ? a : b;
    } else {
        r = a.high < b.high ? a : b;
    }
    r.low |= 1ull << 62;
    return r;
}

/*
 * Checks every operation starts with: unsupported encodings (IE) and NaN
 * operands.  Returns true with *r set when they decide the result.  pb is
 * NULL for a unary operation.
 */
bool x80_check_nan(floatx80 *r, floatx80 a, const X80Parts *pa, floatx80 b,
                          const X80Parts *pb, float_status *s)
{
    s->floatx80_rounded_up = false;
    if (pa->cls == X80_UNSUPPORTED || (pb && pb->cls == X80_UNSUPPORTED)) {
        *r = x80_invalid(s);
        return true;
    }
    if (x80_is_nan(pa) || (pb && x80_is_nan(pb))) {
        *r = x80_pick_nan(a, pa, b, pb, s);
        return true;
    }
    return false;
}

void x80_check_denormal(const X80Parts *pa, const X80Parts *pb, float_status *s)
{
    if (pa->denormal || (pb && pb->denormal)) {
        s->exception_flags |= float_flag_denormal;
    }
}

static int x80_precision_bits(float_status *s)
{
    switch (s->floatx80_precision) {
    case floatx80_precision_s: return 24;
    case floatx80_precision_d: return 53;
    default:                   return 64;
    }
}

#define X80_TRAP_BIAS 24576   /* 3 * 2^13: the unmasked OE/UE exponent adjustment */

/*
 * Round *sig to prec significant bits (above bit 128 - prec) in place by
 * the rounding mode; a carry out of bit 127 renormalises into *exp.
 * Returns whether it rounded up; *inexact says whether bits were lost.
 */
static bool x80_round_sig(FloatRoundMode mode, bool sign, int prec, int32_t *exp,
                          sf_u128 *sig, bool *inexact)
{
    int shift = 128 - prec;
    sf_u128 mask = ((sf_u128)1 << shift) - 1, rem = *sig & mask;
    bool up = sf_round_up(mode, sign, (*sig >> shift) & 1,
                          (uint64_t)sf_shr_jam128(rem, 64 - prec), 1ull << 63);

    *inexact = rem != 0;
    *sig &= ~mask;
    if (up) {
        *sig += (sf_u128)1 << shift;
        if (!*sig) {                         /* carried out of bit 127 */
            *sig = (sf_u128)1 << 127;
            (*exp)++;
        }
    }
    return up;
}

/*
 * The unmasked OE/UE response (see the top of the file): returns true with
 * *r set when sig, rounded to prec bits with an unbounded exponent,
 * overflows with OE unmasked or is tiny with UE unmasked.
 */
static bool x80_round_trapped(bool sign, int32_t exp, sf_u128 sig, int prec,
                              float_status *s, floatx80 *r)
{
    bool inexact;
    bool up = x80_round_sig((FloatRoundMode)s->rounding_mode, sign, prec, &exp, &sig, &inexact);
    unsigned flag;

    if (exp >= X80_EXP_MAX && s->overflow_unmasked) {
        flag = float_flag_overflow;
        exp -= X80_TRAP_BIAS;
    } else if (exp <= 0 && s->underflow_unmasked) {
        flag = float_flag_underflow;
        exp += X80_TRAP_BIAS;
    } else {
        return false;
    }
    s->exception_flags |= flag | (inexact ? float_flag_inexact : 0);
    s->floatx80_rounded_up = up;
    if (exp >= X80_EXP_MAX) {
        s->exception_flags |= float_flag_inexact;
        s->floatx80_rounded_up = true;
        *r = x80_inf(sign);
    } else if (exp <= 0) {
        s->exception_flags |= float_flag_inexact;
        s->floatx80_rounded_up = false;
        *r = x80_zero(sign);
    } else {
        *r = x80_pack(sign, exp, (uint64_t)(sig >> 64));
    }
    return true;
}

/*
 * Round sig (bit 127 set: the value is sig / 2^127 * 2^(exp - bias)) to
 * prec significant bits and pack it.  Tiny results (after rounding, with an
 * unbounded exponent) are denormalised first; an exponent out of range
 * after rounding overflows to infinity or the largest finite value.
 */
static floatx80 x80_round_pack(bool sign, int32_t exp, sf_u128 sig, int prec,
                               float_status *s)
{
    FloatRoundMode mode = (FloatRoundMode)s->rounding_mode;
    sf_u128 mask = ((sf_u128)1 << (128 - prec)) - 1;
    bool tiny = false, inexact;
    floatx80 r;

    if (((s->overflow_unmasked && exp >= X80_EXP_MAX - 1) ||
         (s->underflow_unmasked && exp <= 0)) &&
        x80_round_trapped(sign, exp, sig, prec, s, &r)) {
        return r;
    }
    if (exp >= X80_EXP_MAX) {
        goto overflow;
    }
    if (exp <= 0) {
        /* tiny unless rounding with an unbounded exponent reaches 2^emin */
        tiny = exp < 0 || (sig | mask) != ~(sf_u128)0 ||
               !sf_round_up(mode, sign, 1, (uint64_t)sf_shr_jam128(sig & mask, 64 - prec),
                            1ull << 63);
        sig = sf_shr_jam128(sig, 1 - exp);
        exp = 0;
    }
    if (x80_round_sig(mode, sign, prec, &exp, &sig, &inexact)) {
        if (exp == 0 && (sig >> 127)) {
            exp = 1;                         /* a denormal rounded to normal */
        }
        s->floatx80_rounded_up = true;
    }
    if (inexact) {
        s->exception_flags |= float_flag_inexact | (tiny ? float_flag_underflow : 0);
    }
    if (exp >= X80_EXP_MAX) {
        goto overflow;
    }
    return x80_pack(sign, exp, (uint64_t)(sig >> 64));

overflow:
    s->exception_flags |= float_flag_overflow | float_flag_inexact;
    if (sf_overflow_to_inf(mode, sign)) {
        s->floatx80_rounded_up = true;
        return x80_inf(sign);
    }
    s->floatx80_rounded_up = false;
    return x80_pack(sign, X80_EXP_MAX - 1, ~0ull << (64 - prec));
}

/*
 * a itself, where an operation returns its operand unrounded (FSCALE by a
 * zero, FPREM by an infinity): a pseudo-denormal comes back normal, a
 * denormal as it is, with no UE even when UE is unmasked (as the host does).
 */
static floatx80 x80_operand_result(floatx80 a, const X80Parts *p)
{
    return p->denormal && (a.low >> 63) ? x80_pack(p->sign, 1, a.low) : a;
}

/* Round a nonzero sig whose top bit is at position top: normalise first. */
floatx80 x80_norm_round_pack(bool sign, int32_t exp, sf_u128 sig, int prec,
                                    float_status *s)
{
    uint64_t hi = (uint64_t)(sig >> 64);
    int n = hi ? sf_clz64(hi) : 64 + sf_clz64((uint64_t)sig);

    return x80_round_pack(sign, exp - n, sig << n, prec, s);
}

/* ---- arithmetic ------------------------------------------------------- */

static floatx80 x80_addsub(floatx80 a, floatx80 b, bool negate_b, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    sf_u128 sa, sb, r;
    int32_t exp;
    bool sign;
    floatx80 res;

    if (x80_check_nan(&res, a, &pa, b, &pb, s)) {
        return res;
    }
    pb.sign ^= negate_b;
    if (pa.cls == SF_INF || pb.cls == SF_INF) {
        if (pa.cls == SF_INF && pb.cls == SF_INF && pa.sign != pb.sign) {
            return x80_invalid(s);
        }
        x80_check_denormal(&pa, &pb, s);
        return x80_inf(pa.cls == SF_INF ? pa.sign : pb.sign);
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO && pb.cls == SF_ZERO) {
        return x80_zero(pa.sign == pb.sign ? pa.sign
                                           : s->rounding_mode == float_round_down);
    }
    if (pa.cls == SF_ZERO) {
        pa.exp = pb.exp;
    } else if (pb.cls == SF_ZERO) {
        pb.exp = pa.exp;
    }
    /* leading bit at 125: room for a carry; 62 guard bits below */
    sa = pa.cls == SF_ZERO ? 0 : (sf_u128)pa.sig << 62;
    sb = pb.cls == SF_ZERO ? 0 : (sf_u128)pb.sig << 62;
    if (pa.exp >= pb.exp) {
        sb = sf_shr_jam128(sb, pa.exp - pb.exp);
        exp = pa.exp;
    } else {
        sa = sf_shr_jam128(sa, pb.exp - pa.exp);
        exp = pb.exp;
    }
    if (pa.sign == pb.sign) {
        r = sa + sb;
        sign = pa.sign;
    } else if (sa >= sb) {
        r = sa - sb;
        sign = pa.sign;
    } else {
        r = sb - sa;
        sign = pb.sign;
    }
    if (!r) {
        return x80_zero(s->rounding_mode == float_round_down);
    }
    return x80_norm_round_pack(sign, exp + 2, r, x80_precision_bits(s), s);
}

static floatx80 x80_add_soft(floatx80 a, floatx80 b, float_status *s)
{
    return x80_addsub(a, b, false, s);
}

static floatx80 x80_sub_soft(floatx80 a, floatx80 b, float_status *s)
{
    return x80_addsub(a, b, true, s);
}

static floatx80 x80_mul_soft(floatx80 a, floatx80 b, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    bool sign = pa.sign ^ pb.sign;
    floatx80 res;

    if (x80_check_nan(&res, a, &pa, b, &pb, s)) {
        return res;
    }
    if (pa.cls == SF_INF || pb.cls == SF_INF) {
        if (pa.cls == SF_ZERO || pb.cls == SF_ZERO) {
            return x80_invalid(s);
        }
        x80_check_denormal(&pa, &pb, s);
        return x80_inf(sign);
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO || pb.cls == SF_ZERO) {
        return x80_zero(sign);
    }
    /* the product of two [1,2) significands: leading bit 126 or 127 */
    return x80_norm_round_pack(sign, pa.exp + pb.exp - FLOATX80_BIAS + 1,
                               (sf_u128)pa.sig * pb.sig, x80_precision_bits(s), s);
}

static floatx80 x80_div_soft(floatx80 a, floatx80 b, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    bool sign = pa.sign ^ pb.sign;
    sf_u128 n, q1, r1, q2, r2;
    floatx80 res;

    if (x80_check_nan(&res, a, &pa, b, &pb, s)) {
        return res;
    }
    if (pa.cls == SF_INF) {
        if (pb.cls == SF_INF) {
            return x80_invalid(s);
        }
        x80_check_denormal(&pa, &pb, s);
        return x80_inf(sign);
    }
    if (pb.cls == SF_INF) {
        x80_check_denormal(&pa, &pb, s);
        return x80_zero(sign);
    }
    if (pb.cls == SF_ZERO) {
        if (pa.cls == SF_ZERO) {
            return x80_invalid(s);
        }
        s->exception_flags |= float_flag_divbyzero;
        return x80_inf(sign);
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO) {
        return x80_zero(sign);
    }
    /* two steps of long division: 128 quotient bits and a sticky bit */
    n = (sf_u128)pa.sig << 64;
    q1 = n / pb.sig;
    r1 = n % pb.sig;
    n = r1 << 64;
    q2 = n / pb.sig;
    r2 = n % pb.sig;
    /* a/b = (q1 * 2^64 + q2) / 2^128, q1 < 2^65: keep it at bit 126 */
    n = (q1 << 62) | (q2 >> 2) | ((q2 & 3) != 0 || r2 != 0);
    return x80_norm_round_pack(sign, pa.exp - pb.exp + FLOATX80_BIAS + 1, n,
                               x80_precision_bits(s), s);
}

/* floor(sqrt(n)), bit by bit. */
static uint64_t x80_isqrt128(sf_u128 n)
{
    sf_u128 res = 0, bit = (sf_u128)1 << 126;

    while (bit > n) {
        bit >>= 2;
    }
    while (bit) {
        if (n >= res + bit) {
            n -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return (uint64_t)res;
}

static floatx80 x80_sqrt_soft(floatx80 a, float_status *s)
{
    X80Parts p = x80_unpack(a);
    int32_t e;
    sf_u128 n, rem;
    uint64_t r, low;
    floatx80 res;

    if (x80_check_nan(&res, a, &p, a, NULL, s)) {
        return res;
    }
    if (p.cls == SF_ZERO) {
        return a;
    }
    if (p.sign) {
        return x80_invalid(s);
    }
    if (p.cls == SF_INF) {
        return a;
    }
    x80_check_denormal(&p, NULL, s);
    /* an even unbiased exponent; the radicand in [2^126, 2^128) */
    e = p.exp - FLOATX80_BIAS;
    n = (sf_u128)p.sig << (63 + (e & 1));
    e -= e & 1;
    r = x80_isqrt128(n);
    rem = n - (sf_u128)r * r;
    /* sqrt(n) >= r + 1/2 iff rem > r; never exactly half */
    low = rem > r ? 0x8000000000000001ull : rem != 0;
    return x80_round_pack(false, e / 2 + FLOATX80_BIAS, ((sf_u128)r << 64) | low,
                          x80_precision_bits(s), s);
}

/*
 * The integer nearest a finite nonzero p per mode: *mag its magnitude,
 * *inexact, *up (rounded away from zero).  Returns false if the magnitude
 * is 2^64 or more.
 */
static bool x80_round_int(const X80Parts *p, FloatRoundMode mode, uint64_t *mag,
                          bool *inexact, bool *up)
{
    int32_t e = p->exp - FLOATX80_BIAS;
    int shift = 63 - e;
    uint64_t q, rem, half;

    if (e >= 64) {
        return false;
    }
    if (shift <= 0) {
        q = p->sig;
        rem = 0;
        half = 1;
    } else if (shift < 64) {
        q = p->sig >> shift;
        rem = p->sig & ((1ull << shift) - 1);
        half = 1ull << (shift - 1);
    } else if (shift == 64) {
        q = 0;
        rem = p->sig;
        half = 1ull << 63;
    } else {
        q = 0;
        rem = 1;                 /* below one half, nonzero */
        half = 2;
    }
    *inexact = rem != 0;
    *up = sf_round_up(mode, p->sign, q & 1, rem, half);
    *mag = q + *up;              /* shift >= 1 here when up: no overflow */
    return true;
}

static floatx80 x80_from_mag(bool sign, uint64_t mag)
{
    int n;

    if (!mag) {
        return x80_zero(sign);
    }
    n = sf_clz64(mag);
    return x80_pack(sign, FLOATX80_BIAS + 63 - n, mag << n);
}

floatx80 floatx80_round_to_int(floatx80 a, float_status *s)
{
    X80Parts p = x80_unpack(a);
    uint64_t mag;
    bool inexact, up;
    floatx80 res;

    if (x80_check_nan(&res, a, &p, a, NULL, s)) {
        return res;
    }
    if (p.cls != SF_NORMAL) {
        return a;
    }
    x80_check_denormal(&p, NULL, s);
    if (p.exp - FLOATX80_BIAS >= 63) {
        return a;
    }
    x80_round_int(&p, (FloatRoundMode)s->rounding_mode, &mag, &inexact, &up);
    if (inexact) {
        s->exception_flags |= float_flag_inexact;
        s->floatx80_rounded_up = up;
    }
    return x80_from_mag(p.sign, mag);
}

floatx80 floatx80_scale(floatx80 a, floatx80 b, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    int32_t eb, n;
    floatx80 res;

    if (x80_check_nan(&res, a, &pa, b, &pb, s)) {
        return res;
    }
    if (pb.cls == SF_INF) {
        if (pb.sign ? pa.cls == SF_INF : pa.cls == SF_ZERO) {
            return x80_invalid(s);
        }
        x80_check_denormal(&pa, NULL, s);
        return pb.sign ? x80_zero(pa.sign) : x80_inf(pa.sign);
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls != SF_NORMAL) {
        return a;
    }
    if (pb.cls == SF_ZERO) {
        return x80_operand_result(a, &pa);
    }
    /* trunc(b), saturated well beyond any finite result's range */
    eb = pb.exp - FLOATX80_BIAS;
    if (eb < 0) {
        n = 0;
    } else if (eb >= 30) {
        n = 1 << 30;
    } else {
        n = (int32_t)(pb.sig >> (63 - eb));
    }
    if (pb.sign) {
        n = -n;
    }
    return x80_round_pack(pa.sign, pa.exp + n, (sf_u128)pa.sig << 64, 64, s);
}

floatx80 floatx80_rem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                      bool *partial, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    int32_t d, unit;
    sf_u128 na, nb, q, r;
    bool sign;
    floatx80 res;

    *quotient = 0;
    *partial = false;
    if (x80_check_nan(&res, a, &pa, b, &pb, s)) {
        return res;
    }
    if (pa.cls == SF_INF || pb.cls == SF_ZERO) {
        return x80_invalid(s);
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO) {
        return a;
    }
    if (pb.cls == SF_INF) {
        return x80_operand_result(a, &pa);
    }
    d = pa.exp - pb.exp;
    if (d < (ieee ? -1 : 0)) {
        /* |a| < |b| (/ 2): quotient 0, a (normalised if pseudo-denormal) */
        return x80_round_pack(pa.sign, pa.exp, (sf_u128)pa.sig << 64, 64, s);
    }
    if (d >= 64) {
        /* partial remainder: reduce the exponent by 32..63 bits (AMD's
         * documented choice, which Intel follows), truncating */
        *partial = true;
        ieee = false;
        d = 32 + d % 32;
    }
    /* both as integers in units of 2^(unit - bias - 63) */
    unit = pa.exp - (d > 0 ? d : 0);
    na = (sf_u128)pa.sig << (d > 0 ? d : 0);
    nb = (sf_u128)pb.sig << (d < 0 ? -d : 0);
    q = na / nb;
    r = na % nb;
    sign = pa.sign;
    if (ieee && (2 * r > nb || (2 * r == nb && (q & 1)))) {
        q++;
        r = nb - r;
        sign = !sign;
    }
    *quotient = (uint64_t)q;
    if (!r) {
        return x80_zero(pa.sign);
    }
    return x80_norm_round_pack(sign, unit + 64, r, 64, s);
}

floatx80 floatx80_extract(floatx80 a, floatx80 *exp, float_status *s)
{
    X80Parts p = x80_unpack(a);
    floatx80 res;

    if (x80_check_nan(&res, a, &p, a, NULL, s)) {
        *exp = res;
        return res;
    }
    if (p.cls == SF_ZERO) {
        s->exception_flags |= float_flag_divbyzero;
        *exp = x80_inf(true);
        return a;
    }
    if (p.cls == SF_INF) {
        *exp = x80_inf(false);
        return a;
    }
    x80_check_denormal(&p, NULL, s);
    *exp = int64_to_floatx80(p.exp - FLOATX80_BIAS, s);
    return x80_pack(p.sign, FLOATX80_BIAS, p.sig);
}

static int x80_compare_soft(floatx80 a, floatx80 b, bool quiet, float_status *s)
{
    X80Parts pa = x80_unpack(a), pb = x80_unpack(b);
    int32_t ea, eb;
    int rel;

    s->floatx80_rounded_up = false;
    if (pa.cls == X80_UNSUPPORTED || pb.cls == X80_UNSUPPORTED ||
        pa.cls == SF_SNAN || pb.cls == SF_SNAN ||
        (!quiet && (x80_is_nan(&pa) || x80_is_nan(&pb)))) {
        s->exception_flags |= float_flag_invalid;
        return float_relation_unordered;
    }
    if (x80_is_nan(&pa) || x80_is_nan(&pb)) {
        return float_relation_unordered;
    }
    x80_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO && pb.cls == SF_ZERO) {
        return float_relation_equal;
    }
    if (pa.cls == SF_ZERO || pb.cls == SF_ZERO || pa.sign != pb.sign) {
        /* differing signs, or one zero: the nonzero one's sign decides */
        bool neg = pa.cls == SF_ZERO ? !pb.sign : pa.sign;
        return neg ? float_relation_less : float_relation_greater;
    }
    ea = pa.cls == SF_INF ? 0x10000 : pa.exp;
    eb = pb.cls == SF_INF ? 0x10000 : pb.exp;
    if (ea != eb) {
        rel = ea < eb ? float_relation_less : float_relation_greater;
    } else if (pa.sig != pb.sig) {
        rel = pa.sig < pb.sig ? float_relation_less : float_relation_greater;
    } else {
        return float_relation_equal;
    }
    return pa.sign ? -rel : rel;
}

/* ---- on the host's x87 ------------------------------------------------- */
/*
 * On an x86 host the arithmetic and the compares run as the very x87
 * instruction the guest executed, with its rounding and precision control,
 * all exceptions masked (fpu_helper.c applies the guest's masks to the
 * flags): the hardware the soft path above is checked against
 * (test-softfloat-x80), at a fraction of its cost.  A trapping OE or UE
 * (the rebiased result, which the host would deliver with a pending #MF)
 * takes the soft path, as does float_status.soft_only and any other host.
 *
 * The host's flags are sticky and FNCLEX costs more than the operation
 * (15 ns of 23 on the development VM), so x80_host_flags remembers what
 * the host's status word holds and they are cleared only when one of them
 * is not in s->exception_flags already (the caller seeds PE there when the
 * guest's PE is set and masked, which makes the common case clear-free).
 * The ABI leaves the x87 stack empty at a call (ST0 and ST1 are free) and
 * its control word is put back.
 */
enum { X80_HOST_ADD, X80_HOST_SUB, X80_HOST_MUL, X80_HOST_DIV, X80_HOST_SQRT,
       X80_HOST_COM, X80_HOST_UCOM };

#if defined(__x86_64__) || defined(__i386__)
#define X80_HOST 1

#define X80_SW_C0 0x0100
#define X80_SW_C1 0x0200
#define X80_SW_C2 0x0400
#define X80_SW_C3 0x4000

/* The host x87's exception flags as last read on this thread; unknown
 * (all) at first. */
static __thread uint8_t x80_host_flags = 0x3f;

/* ST0 = a, ST1 = b; op; returns the status word and the new ST0 in *r. */
static uint16_t x80_host(int op, floatx80 a, floatx80 b, floatx80 *r, float_status *s)
{
    uint16_t cw = (uint16_t)(0x7f | s->floatx80_precision << 8 | s->rounding_mode << 10);
    uint16_t sw, save;

    if (x80_host_flags & ~s->exception_flags) {
        __asm__ volatile("fnclex");
    }
#define X80_HOST_INSN(insn)                                                   \
    __asm__ volatile("fnstcw %[save]\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" \
                     insn "\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfstp %%st(0)\n\t"  \
                     "fldcw %[save]"                                           \
                     : [sw] "=m"(sw), [r] "=m"(*r), [save] "=m"(save)          \
                     : [cw] "m"(cw), [a] "m"(a), [b] "m"(b))
    switch (op) {
    case X80_HOST_ADD:  X80_HOST_INSN("fadd %%st(1), %%st"); break;
    case X80_HOST_SUB:  X80_HOST_INSN("fsub %%st(1), %%st"); break;
    case X80_HOST_MUL:  X80_HOST_INSN("fmul %%st(1), %%st"); break;
    case X80_HOST_DIV:  X80_HOST_INSN("fdiv %%st(1), %%st"); break;
    case X80_HOST_SQRT: X80_HOST_INSN("fsqrt"); break;
    case X80_HOST_COM:  X80_HOST_INSN("fcom %%st(1)"); break;
    default:            X80_HOST_INSN("fucom %%st(1)"); break;
    }
#undef X80_HOST_INSN
    x80_host_flags = sw & 0x3f;
    s->exception_flags |= x80_host_flags;
    s->floatx80_rounded_up = sw & X80_SW_C1;
    return sw;
}

static floatx80 x80_host_arith(int op, floatx80 a, floatx80 b, float_status *s)
{
    floatx80 r;

    x80_host(op, a, b, &r, s);
    return r;
}

static int x80_host_compare(floatx80 a, floatx80 b, bool quiet, float_status *s)
{
    floatx80 r;
    uint16_t cc = x80_host(quiet ? X80_HOST_UCOM : X80_HOST_COM, a, b, &r, s) &
                  (X80_SW_C0 | X80_SW_C2 | X80_SW_C3);

    s->floatx80_rounded_up = false;
    return cc == 0 ? float_relation_greater : cc == X80_SW_C0 ? float_relation_less
           : cc == X80_SW_C3 ? float_relation_equal : float_relation_unordered;
}
#else
#define X80_HOST 0
/* never called: X80_HOST_OK() is false */
static floatx80 x80_host_arith(int op, floatx80 a, floatx80 b, float_status *s)
{
    (void)op, (void)a, (void)b, (void)s;
    abort();
}

static int x80_host_compare(floatx80 a, floatx80 b, bool quiet, float_status *s)
{
    (void)a, (void)b, (void)quiet, (void)s;
    abort();
}
#endif

#define X80_HOST_OK(s) \
    (X80_HOST && !(s)->soft_only && !(s)->overflow_unmasked && !(s)->underflow_unmasked)

floatx80 floatx80_add(floatx80 a, floatx80 b, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_arith(X80_HOST_ADD, a, b, s) : x80_add_soft(a, b, s);
}

floatx80 floatx80_sub(floatx80 a, floatx80 b, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_arith(X80_HOST_SUB, a, b, s) : x80_sub_soft(a, b, s);
}

floatx80 floatx80_mul(floatx80 a, floatx80 b, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_arith(X80_HOST_MUL, a, b, s) : x80_mul_soft(a, b, s);
}

floatx80 floatx80_div(floatx80 a, floatx80 b, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_arith(X80_HOST_DIV, a, b, s) : x80_div_soft(a, b, s);
}

floatx80 floatx80_sqrt(floatx80 a, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_arith(X80_HOST_SQRT, a, a, s) : x80_sqrt_soft(a, s);
}

int floatx80_compare(floatx80 a, floatx80 b, bool quiet, float_status *s)
{
    return X80_HOST_OK(s) ? x80_host_compare(a, b, quiet, s)
                          : x80_compare_soft(a, b, quiet, s);
}

/* ---- conversions ------------------------------------------------------ */

/* From a binary32/binary64 encoding (exact; SNaN quietened with IE). */
static floatx80 x80_from_binary(uint64_t bits, int exp_bits, int frac_bits,
                                float_status *s)
{
    bool sign = (bits >> (exp_bits + frac_bits)) & 1;
    int32_t e = (int32_t)((bits >> frac_bits) & ((1u << exp_bits) - 1));
    int32_t bias = (1 << (exp_bits - 1)) - 1;
    uint64_t frac = bits & ((1ull << frac_bits) - 1);
    uint64_t sig = frac << (63 - frac_bits);
    int n;

    s->floatx80_rounded_up = false;
    if (e == (1 << exp_bits) - 1) {
        if (!frac) {
            return x80_inf(sign);
        }
        if (!(frac >> (frac_bits - 1))) {
            s->exception_flags |= float_flag_invalid;
        }
        return x80_pack(sign, X80_EXP_MAX, sig | (3ull << 62));
    }
    if (e == 0) {
        if (!frac) {
            return x80_zero(sign);
        }
        s->exception_flags |= float_flag_denormal;
        n = sf_clz64(sig);
        return x80_pack(sign, FLOATX80_BIAS - bias + 1 - n, sig << n);
    }
    return x80_pack(sign, e - bias + FLOATX80_BIAS, sig | (1ull << 63));
}

floatx80 float32_to_floatx80(float32 a, float_status *s)
{
    return x80_from_binary(a, 8, 23, s);
}

floatx80 float64_to_floatx80(float64 a, float_status *s)
{
    return x80_from_binary(a, 11, 52, s);
}

/*
 * To a binary32/binary64 encoding, rounding per the mode (FST): the same
 * steps as x80_round_pack at the format's precision and exponent range.
 */
static uint64_t x80_to_binary(floatx80 a, int exp_bits, int frac_bits, float_status *s)
{
    X80Parts p = x80_unpack(a);
    FloatRoundMode mode = (FloatRoundMode)s->rounding_mode;
    int32_t emax = (1 << exp_bits) - 1, bias = emax >> 1, e;
    uint64_t sign = (uint64_t)p.sign << (exp_bits + frac_bits);
    uint64_t inf = sign | (uint64_t)emax << frac_bits, sig, rem;
    int shift = 63 - frac_bits;
    bool tiny = false, up;

    s->floatx80_rounded_up = false;
    switch (p.cls) {
    case X80_UNSUPPORTED:
        s->exception_flags |= float_flag_invalid;
        return (1ull << (exp_bits + frac_bits)) | (uint64_t)emax << frac_bits |
               1ull << (frac_bits - 1);
    case SF_SNAN:
        s->exception_flags |= float_flag_invalid;
        /* fall through */
    case SF_QNAN:
        return inf | ((p.sig << 1) >> (64 - frac_bits)) | 1ull << (frac_bits - 1);
    case SF_INF:
        return inf;
    case SF_ZERO:
        return sign;
    }
    e = p.exp - FLOATX80_BIAS + bias;
    sig = p.sig;
    if (e <= 0) {
        /* tiny unless rounding with an unbounded exponent reaches 2^emin */
        tiny = e < 0 || (sig | ((1ull << shift) - 1)) != ~0ull ||
               !sf_round_up(mode, p.sign, 1, sig & ((1ull << shift) - 1),
                            1ull << (shift - 1));
        sig = sf_shr_jam64(sig, 1 - e);
        e = 0;
    }
    if (tiny && s->underflow_unmasked) {
        s->exception_flags |= float_flag_underflow;   /* trapped: not stored */
        return sign;
    }
    rem = sig & ((1ull << shift) - 1);
    up = sf_round_up(mode, p.sign, (sig >> shift) & 1, rem, 1ull << (shift - 1));
    sig = (sig >> shift) + up;
    if (sig >> (frac_bits + 1)) {
        sig >>= 1;
        e++;
    } else if (e == 0 && (sig >> frac_bits)) {
        e = 1;
    }
    if (e >= emax) {
        if (s->overflow_unmasked) {
            s->exception_flags |= float_flag_overflow;  /* trapped: not stored */
            return inf;
        }
        s->exception_flags |= float_flag_overflow | float_flag_inexact;
        s->floatx80_rounded_up = sf_overflow_to_inf(mode, p.sign);
        return s->floatx80_rounded_up ? inf : inf - 1;
    }
    if (rem) {
        s->exception_flags |= float_flag_inexact | (tiny ? float_flag_underflow : 0);
    }
    s->floatx80_rounded_up = up;
    return sign | (uint64_t)e << frac_bits | (sig & ((1ull << frac_bits) - 1));
}

float32 floatx80_to_float32(floatx80 a, float_status *s)
{
    return (float32)x80_to_binary(a, 8, 23, s);
}

float64 floatx80_to_float64(floatx80 a, float_status *s)
{
    return x80_to_binary(a, 11, 52, s);
}

floatx80 int64_to_floatx80(int64_t a, float_status *s)
{
    s->floatx80_rounded_up = false;
    return x80_from_mag(a < 0, a < 0 ? -(uint64_t)a : (uint64_t)a);
}

/* Round finite or not a to an integer of magnitude at most max_pos (for a
 * negative value: max_neg); false with IE (and no PE) when it does not
 * fit. */
static bool x80_to_int_mag(floatx80 a, uint64_t max_pos, uint64_t max_neg,
                           FloatRoundMode mode, bool *sign, uint64_t *mag,
                           float_status *s)
{
    X80Parts p = x80_unpack(a);
    bool inexact, up;

    s->floatx80_rounded_up = false;
    *sign = p.sign;
    *mag = 0;
    if (p.cls == SF_ZERO) {
        return true;
    }
    if (p.cls != SF_NORMAL) {
        s->exception_flags |= float_flag_invalid;
        return false;
    }
    if (!x80_round_int(&p, mode, mag, &inexact, &up) ||
        *mag > (p.sign ? max_neg : max_pos)) {
        s->exception_flags |= float_flag_invalid;
        return false;
    }
    if (inexact) {
        s->exception_flags |= float_flag_inexact;
        s->floatx80_rounded_up = up;
    }
    return true;
}

int64_t floatx80_to_int(floatx80 a, int bits, bool truncate, float_status *s)
{
    uint64_t limit = 1ull << (bits - 1), mag;
    bool sign;

    if (!x80_to_int_mag(a, limit - 1, limit, truncate ? float_round_to_zero
                                                      : (FloatRoundMode)s->rounding_mode,
                        &sign, &mag, s)) {
        return -(int64_t)(limit - 1) - 1;
    }
    return sign ? (int64_t)-mag : (int64_t)mag;
}

floatx80 floatx80_from_bcd(const uint8_t bcd[10], float_status *s)
{
    uint64_t v = 0;
    int i;

    for (i = 8; i >= 0; i--) {
        v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
    }
    s->floatx80_rounded_up = false;
    return x80_from_mag(bcd[9] >> 7, v);
}

void floatx80_to_bcd(floatx80 a, uint8_t bcd[10], float_status *s)
{
    static const uint64_t max = 999999999999999999ull;   /* 18 digits */
    uint64_t mag;
    bool sign;
    int i;

    if (!x80_to_int_mag(a, max, max, (FloatRoundMode)s->rounding_mode, &sign, &mag, s)) {
        /* the packed BCD indefinite */
        static const uint8_t indefinite[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };
        memcpy(bcd, indefinite, 10);
        return;
    }
    for (i = 0; i < 9; i++) {
        bcd[i] = (uint8_t)((mag % 10) | ((mag / 10 % 10) << 4));
        mag /= 100;
    }
    bcd[9] = sign ? 0x80 : 0;
}
