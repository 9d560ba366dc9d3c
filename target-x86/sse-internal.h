/*
 * sse-internal.h: what translate-sse.c and the SSE helper files share.
 */
#ifndef TARGET_X86_SSE_INTERNAL_H
#define TARGET_X86_SSE_INTERNAL_H

#include "target-x86/cpu.h"

/* Helper register arguments: XMM0-15, or this for env->xmm_t0 (the memory
 * operand the translator loaded). */
#define SSE_XMM_T0 16

static inline X86XMMReg *sse_xmm(CPUX86State *env, uint32_t i)
{
    return i < SSE_XMM_T0 ? &env->xmm_regs[i] : &env->xmm_t0;
}

/* MXCSR overflow and underflow masks (MXCSR_MASKS has them all) */
#define MXCSR_OM (1u << 10)
#define MXCSR_UM (1u << 11)

/* helper_sse_cvtss2si/cvtsd2si mode bits */
#define SSE_CVT_64    1     /* 64-bit integer result */
#define SSE_CVT_TRUNC 2     /* truncate (CVTT*) instead of MXCSR rounding */

/* helper_fxsave/fxrstor mode bits */
#define SSE_FX_64     1     /* REX.W: 64-bit FPU instruction/data pointers */

/* Derive env->sse_status from env->mxcsr (after any MXCSR write). */
void x86_sse_update_status(CPUX86State *env);

#endif
