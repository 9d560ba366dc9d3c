/*
 * softfloat.c: float32 and float64 arithmetic with x86 (SSE) semantics.
 *
 * Both formats share one implementation over a format descriptor
 * (SFFormat): operands are unpacked to SFParts (class, sign, exponent and a
 * significand with its leading 1 at bit SF_POINT), computed exactly or with
 * a sticky bit in integer arithmetic, then rounded and packed once by
 * sf_round_pack().  No host floating point is used, so results are the
 * same on every host.
 *
 * x86 specifics, as the SSE unit does them:
 *  - NaN operands: an SNaN raises IE; the result is the first operand's NaN
 *    if it is one, else the second's, quietened.  Invalid operations
 *    (inf - inf, 0 * inf, 0/0, inf/inf, sqrt(-x)) give the default NaN
 *    (negative, quiet, zero payload).
 *  - DE: an arithmetic operation on a denormal input raises DE (unless
 *    DAZ, which reads denormal inputs as zero); NaN operands take
 *    precedence.  Conversions to integer do not raise DE.
 *  - Underflow: tininess is detected after rounding; a tiny result raises
 *    UE (and PE) when it is also inexact.  With FTZ a tiny result becomes a
 *    signed zero and raises UE and PE.  Overflow raises OE and PE.
 *  - Unmasked (trapping) overflow/underflow, as the handler would see a
 *    result with a wrapped exponent: a tiny result raises UE even when
 *    exact, and either raises PE only if the full-precision rounding was
 *    inexact (float_status.overflow_unmasked / underflow_unmasked).
 *  - Float to integer: NaN or out of range gives the "integer indefinite"
 *    (the most negative integer) and raises IE.
 */
#include "util/softfloat-internal.h"
#include "util/softfloat-host.h"     /* the host fast path: its rules and inline parts */

const SFFormat sf_fmt32 = { 8, 23, 127 };
const SFFormat sf_fmt64 = { 11, 52, 1023 };

#define SF_EXP_MAX(f)   ((1 << (f)->exp_bits) - 1)
#define SF_FRAC_MASK(f) ((1ull << (f)->frac_bits) - 1)
#define SF_SIGN(f)      (1ull << ((f)->exp_bits + (f)->frac_bits))
#define SF_QUIET(f)     (1ull << ((f)->frac_bits - 1))

static inline void sf_raise(float_status *s, int flags)
{
    s->exception_flags |= flags;
}

static uint64_t sf_pack(const SFFormat *f, bool sign, uint64_t exp, uint64_t frac)
{
    return (sign ? SF_SIGN(f) : 0) | exp << f->frac_bits | frac;
}

static uint64_t sf_default_nan(const SFFormat *f)
{
    return sf_pack(f, true, SF_EXP_MAX(f), SF_QUIET(f));
}

static uint64_t sf_inf(const SFFormat *f, bool sign)
{
    return sf_pack(f, sign, SF_EXP_MAX(f), 0);
}

SFParts sf_unpack(const SFFormat *f, uint64_t bits, float_status *s)
{
    SFParts p = { 0 };
    uint64_t exp = (bits >> f->frac_bits) & SF_EXP_MAX(f);
    uint64_t frac = bits & SF_FRAC_MASK(f);
    int shift = SF_POINT - f->frac_bits;

    p.sign = (bits & SF_SIGN(f)) != 0;
    if (exp == (uint64_t)SF_EXP_MAX(f)) {
        p.cls = frac == 0 ? SF_INF : (frac & SF_QUIET(f)) ? SF_QNAN : SF_SNAN;
    } else if (exp == 0) {
        if (frac == 0 || s->denormals_are_zero) {
            p.cls = SF_ZERO;
        } else {
            int n = sf_clz64(frac) - (63 - SF_POINT);
            p.cls = SF_NORMAL;
            p.denormal = true;
            p.sig = frac << n;
            p.exp = 1 - f->bias - (n - shift);
        }
    } else {
        p.cls = SF_NORMAL;
        p.exp = (int32_t)exp - f->bias;
        p.sig = (frac | 1ull << f->frac_bits) << shift;
    }
    return p;
}

uint64_t sf_round_pack(const SFFormat *f, bool sign, int32_t exp, uint64_t sig,
                       float_status *s)
{
    FloatRoundMode mode = (FloatRoundMode)s->rounding_mode;
    int rbits = SF_POINT - f->frac_bits;
    uint64_t half = 1ull << (rbits - 1), rmask = (1ull << rbits) - 1;
    int lead = 63 - sf_clz64(sig);
    int32_t e;
    bool tiny = false, full_inexact;

    /* normalise to the leading 1 at SF_POINT */
    if (lead > SF_POINT) {
        sig = sf_shr_jam64(sig, lead - SF_POINT);
    } else {
        sig <<= SF_POINT - lead;
    }
    exp += lead - SF_POINT;
    e = exp + f->bias;
    full_inexact = (sig & rmask) != 0;

    if (e <= 0) {
        /* tiny after rounding: even rounded at full precision the result
         * stays below the smallest normal */
        uint64_t up = sf_round_up(mode, sign, (sig >> rbits) & 1, sig & rmask, half);
        tiny = e < 0 || !up || ((sig >> rbits) + 1) >> (f->frac_bits + 1) == 0;
        if (tiny && s->flush_to_zero) {
            sf_raise(s, float_flag_underflow | float_flag_inexact);
            return sf_pack(f, sign, 0, 0);
        }
        sig = sf_shr_jam64(sig, 1 - e);
        e = 0;
    }
    if (tiny && s->underflow_unmasked) {
        /* trapped: the handler's result keeps full precision, so UE even
         * when exact, and PE only if that result is inexact */
        sf_raise(s, float_flag_underflow | (full_inexact ? float_flag_inexact : 0));
    } else if (sig & rmask) {
        sf_raise(s, float_flag_inexact | (tiny ? float_flag_underflow : 0));
    }
    if (sf_round_up(mode, sign, (sig >> rbits) & 1, sig & rmask, half)) {
        sig += 1ull << rbits;
        if (sig >> (SF_POINT + 1)) {
            sig >>= 1;
            e++;
        }
    }
    if (e == 0 && (sig >> SF_POINT)) {
        e = 1;                   /* a denormal rounded up to the smallest normal */
    }
    if (e >= SF_EXP_MAX(f)) {
        /* trapped (unmasked) overflow: PE only if the rounding was inexact */
        sf_raise(s, float_flag_overflow | (s->overflow_unmasked ? 0 : float_flag_inexact));
        return sf_overflow_to_inf(mode, sign) ? sf_inf(f, sign)
               : sf_pack(f, sign, SF_EXP_MAX(f) - 1, SF_FRAC_MASK(f));
    }
    return sf_pack(f, sign, (uint64_t)e, (sig >> rbits) & SF_FRAC_MASK(f));
}

static bool sf_is_nan(const SFParts *p)
{
    return p->cls == SF_QNAN || p->cls == SF_SNAN;
}

/* x86 NaN propagation for two operands, at least one a NaN. */
static uint64_t sf_propagate_nan(const SFFormat *f, uint64_t a, const SFParts *pa,
                                 uint64_t b, const SFParts *pb, float_status *s)
{
    if (pa->cls == SF_SNAN || pb->cls == SF_SNAN) {
        sf_raise(s, float_flag_invalid);
    }
    return (sf_is_nan(pa) ? a : b) | SF_QUIET(f);
}

/* Raise DE for denormal inputs (after NaNs had their chance). */
static void sf_check_denormal(const SFParts *pa, const SFParts *pb, float_status *s)
{
    if (pa->denormal || (pb && pb->denormal)) {
        sf_raise(s, float_flag_denormal);
    }
}

/* The sign of an exact zero sum of operands of different signs. */
static bool sf_zero_sum_sign(float_status *s)
{
    return s->rounding_mode == float_round_down;
}

static uint64_t sf_addsub(const SFFormat *f, uint64_t a, uint64_t b, bool sub,
                          float_status *s)
{
    SFParts pa = sf_unpack(f, a, s), pb = sf_unpack(f, b, s);
    bool sb;

    if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
        return sf_propagate_nan(f, a, &pa, b, &pb, s);
    }
    sf_check_denormal(&pa, &pb, s);
    pb.sign ^= sub;
    sb = pb.sign;
    if (pa.cls == SF_INF || pb.cls == SF_INF) {
        if (pa.cls == SF_INF && pb.cls == SF_INF && pa.sign != pb.sign) {
            sf_raise(s, float_flag_invalid);
            return sf_default_nan(f);
        }
        return sf_inf(f, pa.cls == SF_INF ? pa.sign : sb);
    }
    if (pa.cls == SF_ZERO && pb.cls == SF_ZERO) {
        return sf_pack(f, pa.sign == sb ? pa.sign : sf_zero_sum_sign(s), 0, 0);
    }
    if (pa.cls == SF_ZERO) {
        return sf_round_pack(f, sb, pb.exp, pb.sig, s);
    }
    if (pb.cls == SF_ZERO) {
        return sf_round_pack(f, pa.sign, pa.exp, pa.sig, s);
    }
    /* align to the larger exponent */
    if (pa.exp < pb.exp || (pa.exp == pb.exp && pa.sig < pb.sig)) {
        SFParts t = pa;
        pa = pb;
        pb = t;
    }
    pb.sig = sf_shr_jam64(pb.sig, pa.exp - pb.exp);
    if (pa.sign == pb.sign) {
        return sf_round_pack(f, pa.sign, pa.exp, pa.sig + pb.sig, s);
    }
    if (pa.sig == pb.sig) {
        return sf_pack(f, sf_zero_sum_sign(s), 0, 0);
    }
    return sf_round_pack(f, pa.sign, pa.exp, pa.sig - pb.sig, s);
}

static uint64_t sf_mul(const SFFormat *f, uint64_t a, uint64_t b, float_status *s)
{
    SFParts pa = sf_unpack(f, a, s), pb = sf_unpack(f, b, s);
    bool sign = pa.sign ^ pb.sign;
    sf_u128 prod;

    if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
        return sf_propagate_nan(f, a, &pa, b, &pb, s);
    }
    if ((pa.cls == SF_INF && pb.cls == SF_ZERO) || (pa.cls == SF_ZERO && pb.cls == SF_INF)) {
        sf_raise(s, float_flag_invalid);
        return sf_default_nan(f);
    }
    sf_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_INF || pb.cls == SF_INF) {
        return sf_inf(f, sign);
    }
    if (pa.cls == SF_ZERO || pb.cls == SF_ZERO) {
        return sf_pack(f, sign, 0, 0);
    }
    prod = (sf_u128)pa.sig * pb.sig;               /* leading 1 at bit 124 or 125 */
    return sf_round_pack(f, sign, pa.exp + pb.exp,
                         (uint64_t)sf_shr_jam128(prod, SF_POINT), s);
}

static uint64_t sf_div(const SFFormat *f, uint64_t a, uint64_t b, float_status *s)
{
    SFParts pa = sf_unpack(f, a, s), pb = sf_unpack(f, b, s);
    bool sign = pa.sign ^ pb.sign;
    sf_u128 num;
    uint64_t q;

    if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
        return sf_propagate_nan(f, a, &pa, b, &pb, s);
    }
    if ((pa.cls == SF_INF && pb.cls == SF_INF) || (pa.cls == SF_ZERO && pb.cls == SF_ZERO)) {
        sf_raise(s, float_flag_invalid);
        return sf_default_nan(f);
    }
    if (pb.cls == SF_ZERO) {
        /* ZE for a finite dividend, and it takes precedence over DE */
        if (pa.cls == SF_NORMAL) {
            sf_raise(s, float_flag_divbyzero);
        }
        return sf_inf(f, sign);
    }
    sf_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_INF) {
        return sf_inf(f, sign);
    }
    if (pa.cls == SF_ZERO || pb.cls == SF_INF) {
        return sf_pack(f, sign, 0, 0);
    }
    num = (sf_u128)pa.sig << SF_POINT;
    q = (uint64_t)(num / pb.sig);                  /* leading 1 at bit 61 or 62 */
    q |= (num % pb.sig) != 0;
    return sf_round_pack(f, sign, pa.exp - pb.exp, q, s);
}

/* Integer square root of a 128-bit value, with a sticky bit 0. */
static uint64_t sf_isqrt128_jam(sf_u128 n)
{
    sf_u128 rem = 0, root = 0;
    int i;

    for (i = 0; i < 64; i++) {
        rem = (rem << 2) | (n >> 126);
        n <<= 2;
        root <<= 1;
        if (rem >= (root << 1) + 1) {
            rem -= (root << 1) + 1;
            root |= 1;
        }
    }
    return (uint64_t)root | (rem != 0);
}

static uint64_t sf_sqrt(const SFFormat *f, uint64_t a, float_status *s)
{
    SFParts p = sf_unpack(f, a, s);
    int32_t e;

    if (sf_is_nan(&p)) {
        return sf_propagate_nan(f, a, &p, a, &p, s);
    }
    if (p.cls == SF_ZERO) {
        return sf_pack(f, p.sign, 0, 0);
    }
    if (p.sign) {
        sf_raise(s, float_flag_invalid);
        return sf_default_nan(f);
    }
    sf_check_denormal(&p, NULL, s);
    if (p.cls == SF_INF) {
        return a;
    }
    /* x = sig * 2^(exp - 62); an even exponent halves exactly */
    e = p.exp;
    if (e & 1) {
        return sf_round_pack(f, false, (e - 1) / 2,
                             sf_isqrt128_jam((sf_u128)p.sig << (SF_POINT + 1)), s);
    }
    return sf_round_pack(f, false, e / 2, sf_isqrt128_jam((sf_u128)p.sig << SF_POINT), s);
}

static int sf_compare(const SFFormat *f, uint64_t a, uint64_t b, bool quiet,
                      float_status *s)
{
    SFParts pa = sf_unpack(f, a, s), pb = sf_unpack(f, b, s);
    int ka, kb;

    if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
        if (!quiet || pa.cls == SF_SNAN || pb.cls == SF_SNAN) {
            sf_raise(s, float_flag_invalid);
        }
        return float_relation_unordered;
    }
    sf_check_denormal(&pa, &pb, s);
    if (pa.cls == SF_ZERO && pb.cls == SF_ZERO) {
        return float_relation_equal;
    }
    /* order by (class, exponent, significand) magnitude, then by sign */
    ka = pa.cls == SF_ZERO ? 0 : pa.cls == SF_INF ? 2 : 1;
    kb = pb.cls == SF_ZERO ? 0 : pb.cls == SF_INF ? 2 : 1;
    if (pa.sign != pb.sign) {
        return pa.sign ? float_relation_less : float_relation_greater;
    }
    {
        int mag;
        if (ka != kb) {
            mag = ka < kb ? -1 : 1;
        } else if (ka != 1 || (pa.exp == pb.exp && pa.sig == pb.sig)) {
            return float_relation_equal;
        } else if (pa.exp != pb.exp) {
            mag = pa.exp < pb.exp ? -1 : 1;
        } else {
            mag = pa.sig < pb.sig ? -1 : 1;
        }
        return pa.sign ? -mag : mag;
    }
}

/* Between formats: NaNs keep their sign and top payload bits. */
static uint64_t sf_convert(const SFFormat *to, const SFFormat *from, uint64_t a,
                           float_status *s)
{
    SFParts p = sf_unpack(from, a, s);

    switch (p.cls) {
    case SF_SNAN:
    case SF_QNAN: {
        uint64_t frac = a & SF_FRAC_MASK(from);
        int d = to->frac_bits - from->frac_bits;

        if (p.cls == SF_SNAN) {
            sf_raise(s, float_flag_invalid);
        }
        frac = d >= 0 ? frac << d : frac >> -d;
        return sf_pack(to, p.sign, SF_EXP_MAX(to), frac | SF_QUIET(to));
    }
    case SF_INF:
        return sf_inf(to, p.sign);
    case SF_ZERO:
        return sf_pack(to, p.sign, 0, 0);
    default:
        sf_check_denormal(&p, NULL, s);
        return sf_round_pack(to, p.sign, p.exp, p.sig, s);
    }
}

static uint64_t sf_from_int(const SFFormat *f, int64_t v, float_status *s)
{
    bool sign = v < 0;
    uint64_t mag = sign ? -(uint64_t)v : (uint64_t)v;

    if (mag == 0) {
        return 0;
    }
    return sf_round_pack(f, sign, SF_POINT, mag, s);
}

/*
 * To a signed integer of `bits` bits in rounding mode `mode`; NaN and
 * out-of-range values give the integer indefinite with IE.
 */
static int64_t sf_to_int(const SFFormat *f, uint64_t a, int bits, FloatRoundMode mode,
                         float_status *s)
{
    SFParts p = sf_unpack(f, a, s);
    uint64_t indefinite = 1ull << (bits - 1), ipart, rem, half;
    int sh;

    if (p.cls == SF_ZERO) {
        return 0;
    }
    if (p.cls != SF_NORMAL || p.exp >= bits) {
        sf_raise(s, float_flag_invalid);
        return (int64_t)indefinite;
    }
    /* value = sig * 2^(exp - SF_POINT): the integer part and the rest */
    sh = SF_POINT - p.exp;
    if (sh >= 64) {
        ipart = 0;
        rem = 1;                 /* below 0.5: nonzero, below a half */
        half = 2;
    } else if (sh > 0) {
        ipart = p.sig >> sh;
        rem = p.sig & ((1ull << sh) - 1);
        half = 1ull << (sh - 1);
    } else {
        ipart = p.sig << -sh;
        rem = 0;
        half = 1;
    }
    if (sf_round_up(mode, p.sign, ipart & 1, rem, half)) {
        ipart++;
    }
    if (ipart > indefinite - !p.sign) {
        sf_raise(s, float_flag_invalid);
        return (int64_t)indefinite;
    }
    if (rem) {
        sf_raise(s, float_flag_inexact);
    }
    ipart = p.sign ? -ipart : ipart;
    return bits == 32 ? (int32_t)ipart : (int64_t)ipart;
}

/* Round to an integral value in the current rounding mode (ROUNDSS). */
static uint64_t sf_round_to_int(const SFFormat *f, uint64_t a, float_status *s)
{
    SFParts p = sf_unpack(f, a, s);
    FloatRoundMode mode = (FloatRoundMode)s->rounding_mode;
    uint64_t ipart, rem, half;
    int sh;

    if (sf_is_nan(&p)) {
        return sf_propagate_nan(f, a, &p, a, &p, s);
    }
    if (p.cls == SF_INF) {
        return a;
    }
    if (p.cls == SF_ZERO) {
        return sf_pack(f, p.sign, 0, 0);
    }
    if (p.exp >= f->frac_bits) {
        return a;                /* already integral */
    }
    sh = SF_POINT - p.exp;
    if (sh >= 64) {
        ipart = 0;
        rem = 1;
        half = 2;
    } else {
        ipart = p.sig >> sh;
        rem = p.sig & ((1ull << sh) - 1);
        half = 1ull << (sh - 1);
    }
    if (sf_round_up(mode, p.sign, ipart & 1, rem, half)) {
        ipart++;
    }
    if (rem) {
        sf_raise(s, float_flag_inexact);
    }
    if (ipart == 0) {
        return sf_pack(f, p.sign, 0, 0);
    }
    {
        /* exact: no flags from packing */
        uint8_t flags = s->exception_flags;
        uint64_t r = sf_round_pack(f, p.sign, SF_POINT, ipart, s);
        s->exception_flags = flags;
        return r;
    }
}

/* ---- the public float32 / float64 functions ------------------------------ */

#define SF_DEFINE(T, F, H, SQRT)                                              \
T T##_add(T a, T b, float_status *s)                                          \
{                                                                             \
    T r;                                                                      \
    if (T##_host_add(a, b, s, &r)) {                                          \
        return r;                                                             \
    }                                                                         \
    return (T)sf_addsub(&F, a, b, false, s);                                  \
}                                                                             \
T T##_sub(T a, T b, float_status *s)                                          \
{                                                                             \
    T r;                                                                      \
    if (T##_host_sub(a, b, s, &r)) {                                          \
        return r;                                                             \
    }                                                                         \
    return (T)sf_addsub(&F, a, b, true, s);                                   \
}                                                                             \
T T##_mul(T a, T b, float_status *s)                                          \
{                                                                             \
    T r;                                                                      \
    if (T##_host_mul(a, b, s, &r)) {                                          \
        return r;                                                             \
    }                                                                         \
    return (T)sf_mul(&F, a, b, s);                                            \
}                                                                             \
T T##_div(T a, T b, float_status *s)                                          \
{                                                                             \
    T r;                                                                      \
    if (T##_host_div(a, b, s, &r)) {                                          \
        return r;                                                             \
    }                                                                         \
    return (T)sf_div(&F, a, b, s);                                            \
}                                                                             \
T T##_sqrt(T a, float_status *s)                                              \
{                                                                             \
    /* zero (sqrt(-0) = -0) or positive: never tiny, never overflows */       \
    if (sf_host_inexact_ok(s) && T##_host_operand(a) &&                       \
        (T##_host_is_zero(a) || !(a >> (sizeof(T) * 8 - 1)))) {               \
        return T##_from_host(SQRT(T##_to_host(a)));                           \
    }                                                                         \
    return (T)sf_sqrt(&F, a, s);                                              \
}                                                                             \
T T##_round_to_int(T a, float_status *s) { return (T)sf_round_to_int(&F, a, s); } \
int T##_compare(T a, T b, float_status *s)                                    \
{                                                                             \
    /* no NaN, no denormal: no flag, and the host orders them */              \
    if (sf_host_exact_ok(s) && T##_host_operand(a) && T##_host_operand(b)) {  \
        H x = T##_to_host(a), y = T##_to_host(b);                             \
        return x < y ? float_relation_less                                    \
               : x > y ? float_relation_greater : float_relation_equal;       \
    }                                                                         \
    return sf_compare(&F, a, b, false, s);                                    \
}                                                                             \
int T##_compare_quiet(T a, T b, float_status *s)                              \
{                                                                             \
    if (sf_host_exact_ok(s) && T##_host_operand(a) && T##_host_operand(b)) {  \
        return T##_compare(a, b, s);                                          \
    }                                                                         \
    return sf_compare(&F, a, b, true, s);                                     \
}                                                                             \
T int32_to_##T(int32_t v, float_status *s)                                    \
{                                                                             \
    /* exact in float64 (53 bits hold 32) */                                  \
    if (sizeof(T) == 8 ? sf_host_exact_ok(s) : sf_host_inexact_ok(s)) {       \
        return T##_from_host((H)v);                                           \
    }                                                                         \
    return (T)sf_from_int(&F, v, s);                                          \
}                                                                             \
T int64_to_##T(int64_t v, float_status *s)                                    \
{                                                                             \
    if (sf_host_inexact_ok(s)) {                                              \
        return T##_from_host((H)v);                                           \
    }                                                                         \
    return (T)sf_from_int(&F, v, s);                                          \
}                                                                             \
int32_t T##_to_int32(T a, float_status *s)                                    \
{ return (int32_t)sf_to_int(&F, a, 32, (FloatRoundMode)s->rounding_mode, s); } \
int32_t T##_to_int32_round_to_zero(T a, float_status *s)                      \
{                                                                             \
    T##_HOST_TRUNC(int32_t, 0x1p31);                                          \
    return (int32_t)sf_to_int(&F, a, 32, float_round_to_zero, s);             \
}                                                                             \
int64_t T##_to_int64(T a, float_status *s)                                    \
{ return sf_to_int(&F, a, 64, (FloatRoundMode)s->rounding_mode, s); }         \
int64_t T##_to_int64_round_to_zero(T a, float_status *s)                      \
{                                                                             \
    T##_HOST_TRUNC(int64_t, 0x1p63);                                          \
    return sf_to_int(&F, a, 64, float_round_to_zero, s);                      \
}                                                                             \
bool T##_is_any_nan(T a)                                                      \
{ return ((a >> F.frac_bits) & SF_EXP_MAX(&F)) == (uint64_t)SF_EXP_MAX(&F) && \
         (a & SF_FRAC_MASK(&F)); }                                            \
bool T##_is_signaling_nan(T a)                                                \
{ return T##_is_any_nan(a) && !(a & SF_QUIET(&F)); }                          \
bool T##_is_denormal(T a)                                                     \
{ return !((a >> F.frac_bits) & SF_EXP_MAX(&F)) && (a & SF_FRAC_MASK(&F)); }

/*
 * Truncation to an integer type I whose range is [-LIM, LIM): C's
 * conversion truncates, exactly for operands in (-LIM - 1, LIM) (as H
 * rounds it: the bound may be -LIM itself, which then goes soft); PE when
 * the integer differs from the operand.
 */
#define SF_HOST_TRUNC(T, H, I, LIM)                                           \
    do {                                                                      \
        if (sf_host_exact_ok(s) && T##_host_operand(a)) {                     \
            H x_ = T##_to_host(a);                                            \
            if (x_ > -(H)(LIM) - 1 && x_ < (H)(LIM)) {                        \
                I i_ = (I)x_;                                                 \
                if ((H)i_ != x_) {                                            \
                    sf_raise(s, float_flag_inexact);                          \
                }                                                             \
                return i_;                                                    \
            }                                                                 \
        }                                                                     \
    } while (0)
#define float32_HOST_TRUNC(I, LIM) SF_HOST_TRUNC(float32, float, I, LIM)
#define float64_HOST_TRUNC(I, LIM) SF_HOST_TRUNC(float64, double, I, LIM)

SF_DEFINE(float32, sf_fmt32, float, __builtin_sqrtf)
SF_DEFINE(float64, sf_fmt64, double, __builtin_sqrt)

float64 float32_to_float64(float32 a, float_status *s)
{
    if (sf_host_exact_ok(s) && float32_host_operand(a)) {
        return float64_from_host((double)float32_to_host(a));      /* exact */
    }
    return sf_convert(&sf_fmt64, &sf_fmt32, a, s);
}

float32 float64_to_float32(float64 a, float_status *s)
{
    if (sf_host_inexact_ok(s) && float64_host_operand(a)) {
        float r = (float)float64_to_host(a);

        if (float32_host_result(r, float64_host_is_zero(a))) {
            return float32_from_host(r);
        }
    }
    return (float32)sf_convert(&sf_fmt32, &sf_fmt64, a, s);
}
