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
} float_status;

/* Results of the compare functions */
enum {
    float_relation_less = -1,
    float_relation_equal = 0,
    float_relation_greater = 1,
    float_relation_unordered = 2,
};

/* ---- float32 / float64 (util/softfloat.c) ------------------------------ */
/* ---- floatx80 (util/softfloat-x80.c) ----------------------------------- */

#endif
