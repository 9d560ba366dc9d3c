/*
 * softfloat-internal.h: pieces shared by the soft-float files (private to
 * util/).
 *
 * For the floatx80 author (util/softfloat-x80.c): the helpers here are
 * format-independent; reuse them rather than writing your own.  They are
 *   sf_clz64, sf_shr_jam64/128  normalisation and sticky ("jamming") shifts
 *   sf_round_up                 the increment decision of a rounding mode
 *   sf_overflow_to_inf          whether an overflow rounds to infinity
 * float32/float64 use them through a format descriptor (SFFormat) and
 * sf_round_pack(), which work on a significand whose leading 1 is at
 * bit 62 (SF_POINT) with the bits below the format's precision as round
 * and sticky bits; floatx80 needs 64 bits of precision and so rounds a
 * 128-bit significand itself with the same decision helpers.
 */
#ifndef UTIL_SOFTFLOAT_INTERNAL_H
#define UTIL_SOFTFLOAT_INTERNAL_H

#include "util/softfloat.h"

typedef unsigned __int128 sf_u128;

static inline int sf_clz64(uint64_t x)
{
    return x ? __builtin_clzll(x) : 64;
}

/* x >> n, with any 1 bit shifted out ORed into bit 0 (n may be >= 64). */
static inline uint64_t sf_shr_jam64(uint64_t x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 64) {
        return x != 0;
    }
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline sf_u128 sf_shr_jam128(sf_u128 x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x << (128 - n)) != 0);
}

/*
 * Should a value be rounded away from zero?  rem: the bits below the
 * last kept bit, half: the weight of the first of them; lsb: the last
 * kept bit.
 */
static inline bool sf_round_up(FloatRoundMode mode, bool sign, bool lsb,
                               uint64_t rem, uint64_t half)
{
    switch (mode) {
    case float_round_nearest_even:
        return rem > half || (rem == half && lsb);
    case float_round_down:
        return sign && rem;
    case float_round_up:
        return !sign && rem;
    default:
        return false;
    }
}

/* An overflow gives infinity (else the largest finite number). */
static inline bool sf_overflow_to_inf(FloatRoundMode mode, bool sign)
{
    return mode == float_round_nearest_even ||
           (mode == float_round_up && !sign) || (mode == float_round_down && sign);
}

/* ---- float32 / float64 through one format descriptor ------------------- */

typedef struct SFFormat {
    int exp_bits, frac_bits, bias;
} SFFormat;

extern const SFFormat sf_fmt32, sf_fmt64;

/* Position of the leading 1 of a normalised significand in SFParts. */
#define SF_POINT 62

typedef enum SFClass {
    SF_ZERO, SF_NORMAL, SF_INF, SF_QNAN, SF_SNAN,
} SFClass;

/* An unpacked value: (-1)^sign * sig / 2^SF_POINT * 2^exp for SF_NORMAL
 * (denormals are normalised on unpacking); denormal says the input was a
 * denormal (for the DE flag). */
typedef struct SFParts {
    uint8_t cls;
    bool sign;
    bool denormal;
    int32_t exp;
    uint64_t sig;
} SFParts;

SFParts sf_unpack(const SFFormat *f, uint64_t bits, float_status *s);
/* Round sig (any nonzero value; leading 1 anywhere) to the format and pack,
 * raising OE/UE/PE, applying FTZ. */
uint64_t sf_round_pack(const SFFormat *f, bool sign, int32_t exp, uint64_t sig,
                       float_status *s);

/* ---- floatx80 pieces for util/x87-transcendental.c ---------------------- */

enum { X80_UNSUPPORTED = SF_SNAN + 1 };

#define X80_EXP_MAX 0x7fff

typedef struct X80Parts {
    uint8_t cls;          /* SFClass or X80_UNSUPPORTED */
    bool sign;
    bool denormal;        /* a denormal or pseudo-denormal input */
    int32_t exp;          /* biased, for SF_NORMAL: may be < 1 for denormals */
    uint64_t sig;         /* bit 63 set for SF_NORMAL */
} X80Parts;

/* Unpack a: denormals normalised (exp may be < 1), their DE noted. */
X80Parts x80_unpack(floatx80 a);
/* Unsupported encodings (IE, the default NaN) and NaN operands (the x87
 * NaN rules): true with *r set when they decide the result; pb NULL for a
 * unary operation.  Clears s->floatx80_rounded_up. */
bool x80_check_nan(floatx80 *r, floatx80 a, const X80Parts *pa, floatx80 b,
                   const X80Parts *pb, float_status *s);
/* DE for a denormal operand (pb may be NULL). */
void x80_check_denormal(const X80Parts *pa, const X80Parts *pb, float_status *s);
/* Round the nonzero sig (leading 1 anywhere; the value is sig / 2^127 *
 * 2^(exp - bias)) to prec bits and pack: OE UE PE, C1, the unmasked OE/UE
 * response. */
floatx80 x80_norm_round_pack(bool sign, int32_t exp, sf_u128 sig, int prec,
                             float_status *s);

#endif
