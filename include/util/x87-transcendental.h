/*
 * x87-transcendental.h: F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS FSINCOS
 * in software, for hosts without an x87 (util/x87-transcendental.c).
 *
 * The results are the host x87's to within one unit in the last place
 * (Intel's own are not always correctly rounded), with the same exception
 * flags; C1 and PE may differ only where the result does.
 */
#ifndef UTIL_X87_TRANSCENDENTAL_H
#define UTIL_X87_TRANSCENDENTAL_H

#include "util/softfloat.h"

/* Status word bits of the result, besides the exception flags (bits 0-5) */
#define X87_SW_C1 0x0200       /* rounded up */
#define X87_SW_C2 0x0400       /* FPTAN FSIN FCOS FSINCOS: |ST0| >= 2^63, nothing done */

/* Whether this build has the software implementation (it needs IEEE
 * binary128 arithmetic and libm: glibc's _Float128 functions). */
bool x87_soft_transcendental_available(void);

/* Whether the environment asks for it on a host that has an x87
 * (TERN_X87_SOFT=1: tests of the software path on x86). */
bool x87_soft_transcendental_forced(void);

/*
 * op: the instruction's second byte after D9 (0x30 F2XM1, 0x31 FYL2X,
 * 0x32 FPTAN, 0x33 FPATAN, 0x39 FYL2XP1, 0x3b FSINCOS, 0x3e FSIN, 0x3f
 * FCOS) on ST0 = a, ST1 = b (both valid registers), under the control word
 * cw: its rounding control and its OM and UM (the unmasked OE/UE response
 * rebiases the result); precision control does not apply, as on the x87.
 * Returns the status word bits it sets (flags, C1, C2); r0 and r1 get ST0
 * and ST1 afterwards, depth +1 when it pushed (FPTAN: 1.0; FSINCOS: the
 * cosine), -1 when it popped (FYL2X FYL2XP1 FPATAN), 0 otherwise.
 */
uint16_t x87_soft_transcendental(unsigned op, uint16_t cw, floatx80 a, floatx80 b,
                                 floatx80 *r0, floatx80 *r1, int *depth);

#endif
