/*
 * softfloat-host.h: util/softfloat.c's host fast path, inline, for callers
 * that compute one operation per call and want no call for the common
 * case (the SSE lane helpers, target-x86/sse_helper.c).
 *
 * The host FPU gives the same IEEE results as the soft path wherever x86
 * needs no more than the rounded value: round to nearest even, zero or
 * normal operands, and a normal (or provably exact zero) result.  Every
 * other case is left to the soft path (each T_host_* returns false),
 * which alone decides NaNs, infinities, denormal operands (DE, DAZ), tiny
 * results (UE, FTZ), overflow (OE), the other rounding modes and trapped
 * OE/UE.
 *
 * The one flag the host does not report is PE.  Operations that can be
 * inexact therefore run on the host only when PE is already in
 * s->exception_flags (as it is in MXCSR after the first inexact
 * operation), so their own inexactness cannot change the flags; compares
 * and exact conversions never raise PE and need no such condition, and
 * truncation to an integer checks its exactness itself.
 *
 * Requirements on the host, which tern meets: C float/double are IEEE
 * binary32/binary64 evaluated in their own precision (FLT_EVAL_METHOD 0,
 * so not x87), the host rounding mode is the default round-to-nearest
 * (nothing in tern calls fesetround), and tern is compiled with
 * -ffp-contract=off (configure) so no operation is fused.  Host FTZ/DAZ
 * could not matter: operands and results are normal.
 */
#ifndef UTIL_SOFTFLOAT_HOST_H
#define UTIL_SOFTFLOAT_HOST_H

#include "util/softfloat.h"
#include <float.h>
#include <string.h>

#if FLT_EVAL_METHOD == 0 && FLT_RADIX == 2 && FLT_MANT_DIG == 24 && DBL_MANT_DIG == 53
#define SF_HOST_FLOAT true
#else
#define SF_HOST_FLOAT false
#endif

/* May an operation that can be inexact run on the host? */
static inline bool sf_host_inexact_ok(const float_status *s)
{
    return SF_HOST_FLOAT && !s->soft_only && s->rounding_mode == float_round_nearest_even &&
           (s->exception_flags & float_flag_inexact);
}

/* May an operation that is exact, or checks its exactness, run on the host? */
static inline bool sf_host_exact_ok(const float_status *s)
{
    return SF_HOST_FLOAT && !s->soft_only;
}

/*
 * Per format T (host type H): bits <-> host value, "zero or normal" for
 * operands, and whether a host result is one the soft path gives too
 * without a flag PE does not cover: normal and finite, or a zero the
 * caller knows to be exact (zero_ok).  The smallest normal itself falls
 * back, as the value before rounding may have been tiny.  Integer tests
 * on the bits (one subtract and compare for a range): they run on every
 * operation of the SSE lane helpers.
 */
#define SF_HOST_FORMAT(T, H, FRAC_BITS, EXP_MAX)                              \
static inline H T##_to_host(T a) { H h; memcpy(&h, &a, sizeof(h)); return h; } \
static inline T T##_from_host(H h) { T a; memcpy(&a, &h, sizeof(a)); return a; } \
static inline bool T##_host_is_zero(T a) { return !(T)(a << 1); }            \
static inline bool T##_host_operand(T a)                                      \
{                                                                             \
    T e = (a >> (FRAC_BITS)) & (EXP_MAX);                                     \
    return (T)(e - 1) < (EXP_MAX) - 1 || T##_host_is_zero(a);                \
}                                                                             \
static inline bool T##_host_result(H r, bool zero_ok)                         \
{                                                                             \
    const T min = (T)1 << (FRAC_BITS), max = ((T)(EXP_MAX) << (FRAC_BITS)) - 1; \
    T m = (T)(T##_from_host(r) << 1) >> 1;          /* |r| */                 \
    return (T)(m - min - 1) <= (T)(max - min - 1) || (m == 0 && zero_ok);     \
}
SF_HOST_FORMAT(float32, float, 23, 0xffu)
SF_HOST_FORMAT(float64, double, 52, 0x7ffu)
#undef SF_HOST_FORMAT

/*
 * T_host_add/sub/mul/div(a, b, s, &r): the host's a OP b in *r when both
 * operands qualify and the result does.  Which zero results are exact: a
 * sum of normals rounds to zero only when it is zero; a product or
 * quotient only when an operand is zero.  A zero divisor (ZE or IE) is
 * the soft path's.
 */
#define SF_HOST_BINOP(T, H, NAME, OP, ZERO_OK, OK)                            \
static inline bool T##_host_##NAME(T a, T b, const float_status *s, T *r)    \
{                                                                             \
    if ((OK) && sf_host_inexact_ok(s) && T##_host_operand(a) &&              \
        T##_host_operand(b)) {                                                \
        H r_ = T##_to_host(a) OP T##_to_host(b);                              \
        if (T##_host_result(r_, (ZERO_OK))) {                                 \
            *r = T##_from_host(r_);                                           \
            return true;                                                      \
        }                                                                     \
    }                                                                         \
    return false;                                                             \
}
#define SF_HOST_BINOPS(T, H)                                                  \
SF_HOST_BINOP(T, H, add, +, true, true)                                       \
SF_HOST_BINOP(T, H, sub, -, true, true)                                       \
SF_HOST_BINOP(T, H, mul, *, T##_host_is_zero(a) || T##_host_is_zero(b), true) \
SF_HOST_BINOP(T, H, div, /, T##_host_is_zero(a), !T##_host_is_zero(b))
SF_HOST_BINOPS(float32, float)
SF_HOST_BINOPS(float64, double)
#undef SF_HOST_BINOPS
#undef SF_HOST_BINOP

#endif
