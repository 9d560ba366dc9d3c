/*
 * softfloat.h: IEEE 754 arithmetic in software, with x86 semantics.
 *
 * Translated x87 and SSE code must give bit-exact x86 results on any host,
 * so floating point is computed here rather than with the host FPU: binary32
 * (float32), binary64 (float64) and the x87 80-bit extended format
 * (floatx80), each operation rounding per a float_status and accumulating
 * exception flags in it.  The flag bits are the x86 ones (x87 status word
 * bits 0-5 = MXCSR bits 0-5), and NaN results follow x86's rules (a QNaN
 * operand propagates; an SNaN is quietened; invalid operations give the
 * x86 default NaN, the negative "real indefinite").
 *
 * float32/float64 live in util/softfloat.c, floatx80 in util/softfloat-x80.c.
 */
#ifndef UTIL_SOFTFLOAT_H
#define UTIL_SOFTFLOAT_H

#include "util/osdep.h"

typedef uint32_t float32;
typedef uint64_t float64;
typedef struct floatx80 {
    uint64_t low;     /* significand, explicit integer bit 63 */
    uint16_t high;    /* sign (bit 15) and biased exponent */
} floatx80;

/* Rounding modes: the x86 RC encoding (x87 control word bits 10-11, MXCSR
 * bits 13-14). */
typedef enum FloatRoundMode {
    float_round_nearest_even = 0,
    float_round_down = 1,
    float_round_up = 2,
    float_round_to_zero = 3,
} FloatRoundMode;

/* Exception flags: the x86 bit layout. */
enum {
    float_flag_invalid   = 1 << 0,   /* IE */
    float_flag_denormal  = 1 << 1,   /* DE: a denormal operand */
    float_flag_divbyzero = 1 << 2,   /* ZE */
    float_flag_overflow  = 1 << 3,   /* OE */
    float_flag_underflow = 1 << 4,   /* UE */
    float_flag_inexact   = 1 << 5,   /* PE */
};

/* x87 precision control (control word bits 8-9) for floatx80 results. */
typedef enum FloatX80Precision {
    floatx80_precision_s = 0,   /* 24-bit significand */
    floatx80_precision_d = 2,   /* 53-bit */
    floatx80_precision_x = 3,   /* 64-bit */
} FloatX80Precision;

typedef struct float_status {
    uint8_t rounding_mode;        /* FloatRoundMode */
    uint8_t exception_flags;      /* float_flag_*, accumulated */
    uint8_t floatx80_precision;   /* FloatX80Precision */
    bool flush_to_zero;           /* MXCSR.FZ: tiny results become zero */
    bool denormals_are_zero;      /* MXCSR.DAZ: denormal inputs read as zero */
    /* OM/UM clear (trapping): OE, and UE even for an exact tiny result,
     * with PE only if the full-precision rounding is inexact */
    bool overflow_unmasked;
    bool underflow_unmasked;
    bool floatx80_rounded_up;     /* floatx80: last result rounded up (x87 C1) */
    /* never take the host fast path (float32/float64) or the host's x87
     * (floatx80): tests compare the two paths with it */
    bool soft_only;
} float_status;

/* Results of the compare functions */
enum {
    float_relation_less = -1,
    float_relation_equal = 0,
    float_relation_greater = 1,
    float_relation_unordered = 2,
};

/* ---- float32 / float64 (util/softfloat.c) ------------------------------ */

/*
 * Arithmetic rounds per s->rounding_mode and ORs float_flag_* into
 * s->exception_flags.  MIN/MAX are not here: their x86 rule (the second
 * operand on NaN or equal zeros) is built on the compare functions by the
 * SSE helpers.
 *
 * The host FPU computes the common cases (see "host fast path" in
 * util/softfloat.c) with results and flags bit-exact with the soft path.
 * add/sub/mul/div/sqrt, int64 and float64->float32 conversions take it
 * only in round-to-nearest with PE already in s->exception_flags, so a
 * caller that wants the speed seeds PE there when its sticky PE is set
 * and masked.
 */
#define SF_DECLARE(T)                                                        \
T T##_add(T a, T b, float_status *s);                                        \
T T##_sub(T a, T b, float_status *s);                                        \
T T##_mul(T a, T b, float_status *s);                                        \
T T##_div(T a, T b, float_status *s);                                        \
T T##_sqrt(T a, float_status *s);                                            \
/* to an integral value in s's rounding mode (PE when inexact) */            \
T T##_round_to_int(T a, float_status *s);                                    \
/* float_relation_*; _compare raises IE for any NaN, _quiet for SNaNs */     \
int T##_compare(T a, T b, float_status *s);                                  \
int T##_compare_quiet(T a, T b, float_status *s);                            \
T int32_to_##T(int32_t v, float_status *s);                                  \
T int64_to_##T(int64_t v, float_status *s);                                  \
/* NaN / out of range: the integer indefinite (INT_MIN) and IE */            \
int32_t T##_to_int32(T a, float_status *s);                                  \
int32_t T##_to_int32_round_to_zero(T a, float_status *s);                    \
int64_t T##_to_int64(T a, float_status *s);                                  \
int64_t T##_to_int64_round_to_zero(T a, float_status *s);                    \
bool T##_is_any_nan(T a);                                                    \
bool T##_is_signaling_nan(T a);                                              \
bool T##_is_denormal(T a);
SF_DECLARE(float32)
SF_DECLARE(float64)
#undef SF_DECLARE
float64 float32_to_float64(float32 a, float_status *s);
float32 float64_to_float32(float64 a, float_status *s);

#define float32_default_nan 0xffc00000u
#define float64_default_nan 0xfff8000000000000ull

/* ---- floatx80 (util/softfloat-x80.c) ----------------------------------- */
/*
 * x87 semantics throughout: operands of unsupported encodings (unnormals,
 * pseudo-NaNs, pseudo-infinities) are invalid; pseudo-denormals are
 * denormal operands; a denormal operand raises DE; tininess is detected
 * after rounding; two NaN operands give the one with the larger
 * significand.  The arithmetic operations round their result's significand
 * to s->floatx80_precision (x87 precision control), everything else to 64
 * bits.  Every operation sets s->floatx80_rounded_up (x87 C1): the result
 * was rounded away from zero.  On an x86 host add, sub, mul, div, sqrt and
 * compare run on the host's x87 itself unless OE or UE trap
 * (util/softfloat-x80.c); they are cheapest with PE already in
 * s->exception_flags, which a caller seeds when its sticky PE is set and
 * masked.
 */

#define FLOATX80_BIAS 16383

static inline floatx80 make_floatx80(uint16_t high, uint64_t low)
{
    floatx80 r = { .low = low, .high = high };
    return r;
}

/* The "real indefinite" QNaN that masked invalid operations give. */
static inline floatx80 floatx80_default_nan(void)
{
    return make_floatx80(0xffff, 0xc000000000000000ull);
}

static inline bool floatx80_is_any_nan(floatx80 a)
{
    return (a.high & 0x7fff) == 0x7fff && (a.low << 1) != 0;
}

/* Unnormal, pseudo-NaN or pseudo-infinity: an invalid operand on x87. */
static inline bool floatx80_is_unsupported(floatx80 a)
{
    return (a.high & 0x7fff) != 0 && !(a.low >> 63);
}

floatx80 floatx80_add(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_sub(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_mul(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_div(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_sqrt(floatx80 a, float_status *s);
/* FRNDINT: a rounded to an integer per the rounding mode. */
floatx80 floatx80_round_to_int(floatx80 a, float_status *s);
/* FSCALE: a * 2^trunc(b). */
floatx80 floatx80_scale(floatx80 a, floatx80 b, float_status *s);
/*
 * FPREM (ieee false: truncated quotient) and FPREM1 (ieee: quotient rounded
 * to nearest even).  When the exponents differ by 64 or more the result is
 * a partial remainder (*partial, x87 C2); else *quotient gets the low bits
 * of the quotient.
 */
floatx80 floatx80_rem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                      bool *partial, float_status *s);
/* FXTRACT: returns the significand (exponent 0, a's sign), *exp the
 * unbiased exponent as a floatx80. */
floatx80 floatx80_extract(floatx80 a, floatx80 *exp, float_status *s);
/* float_relation_*; quiet (FUCOM) raises IE only for SNaN operands. */
int floatx80_compare(floatx80 a, floatx80 b, bool quiet, float_status *s);

floatx80 float32_to_floatx80(float32 a, float_status *s);
floatx80 float64_to_floatx80(float64 a, float_status *s);
float32 floatx80_to_float32(floatx80 a, float_status *s);
float64 floatx80_to_float64(floatx80 a, float_status *s);
floatx80 int64_to_floatx80(int64_t a, float_status *s);
/* FIST/FISTTP: a as a bits-wide integer (16, 32 or 64), rounded per the
 * mode or truncated; out of range: the integer indefinite (the most
 * negative value) and IE. */
int64_t floatx80_to_int(floatx80 a, int bits, bool truncate, float_status *s);
/* FBLD/FBSTP: the 10-byte packed BCD format (18 digits, sign in byte 9). */
floatx80 floatx80_from_bcd(const uint8_t bcd[10], float_status *s);
void floatx80_to_bcd(floatx80 a, uint8_t bcd[10], float_status *s);

#endif
