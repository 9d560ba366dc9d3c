/*
 * sse-internal.h: what translate-sse.c and the SSE helper files share.
 */
#ifndef TARGET_X86_SSE_INTERNAL_H
#define TARGET_X86_SSE_INTERNAL_H

#include "target-x86/cpu.h"

/* Helper register arguments: XMM0-15, or this for env->xmm_t0 (the memory
 * operand the translator loaded). */
#define SSE_XMM_T0 16
/* ... and env->xmm_t1, a second scratch (MMX operands, translate-mmx.c) */
#define SSE_XMM_T1 17

static inline X86XMMReg *sse_xmm(CPUX86State *env, uint32_t i)
{
    return i < SSE_XMM_T0 ? &env->xmm_regs[i] : i == SSE_XMM_T0 ? &env->xmm_t0 : &env->xmm_t1;
}

/* The env offset of byte off of that register (the translators' view) */
static inline intptr_t sse_xmm_off(int reg, intptr_t off)
{
    intptr_t base = reg == SSE_XMM_T0 ? (intptr_t)offsetof(CPUX86State, xmm_t0)
                    : reg == SSE_XMM_T1 ? (intptr_t)offsetof(CPUX86State, xmm_t1)
                    : (intptr_t)offsetof(CPUX86State, xmm_regs) + reg * (intptr_t)sizeof(X86XMMReg);
    return base + off;
}

/* MXCSR overflow and underflow masks (MXCSR_MASKS has them all) */
/* What a lane helper returns when the full helper must run: a signalling
 * NaN, which no SSE arithmetic result is (they are quietened). */
#define SSE_LANE_SLOW 0x7ff0000000000001ull
#define MXCSR_OM (1u << 10)
#define MXCSR_UM (1u << 11)

/* helper_sse_cvtss2si/cvtsd2si mode bits */
#define SSE_CVT_64    1     /* 64-bit integer result */
#define SSE_CVT_TRUNC 2     /* truncate (CVTT*) instead of MXCSR rounding */

/* helper_fxsave/fxrstor mode bits */
#define SSE_FX_64     1     /* REX.W: 64-bit FPU instruction/data pointers */

/*
 * The FXSAVE image by parts (sse_helper.c), shared by FXSAVE/FXRSTOR and
 * the legacy region of XSAVE/XRSTOR (xsave_helper.c): x87 state, MXCSR
 * (with MXCSR_MASK), XMM registers (16 in 64-bit mode, else 8); w64 is
 * REX.W (64-bit FPU IP/DP, no FCS/FDS).  A restore loads the parts it
 * needs into an X86FxImage (faulting, #GP for reserved MXCSR bits, before
 * anything changes), then commits them.
 */
typedef struct X86FxImage {
    uint16_t fcw, fsw, fop, fcs, fds;
    uint8_t ftw;                  /* abridged: bit i set = physical register i valid */
    uint64_t fip, fdp;
    floatx80 st[8];               /* ST(0)..ST(7) */
    uint32_t mxcsr;
    X86XMMReg xmm[16];
} X86FxImage;

void x86_fx_save_x87(CPUX86State *env, uint64_t a, bool w64, uintptr_t ra);
void x86_fx_save_mxcsr(CPUX86State *env, uint64_t a, uintptr_t ra);
void x86_fx_save_xmm(CPUX86State *env, uint64_t a, uintptr_t ra);
void x86_fx_load_x87(CPUX86State *env, uint64_t a, bool w64, X86FxImage *im, uintptr_t ra);
void x86_fx_load_mxcsr(CPUX86State *env, uint64_t a, X86FxImage *im, uintptr_t ra);
void x86_fx_load_xmm(CPUX86State *env, uint64_t a, X86FxImage *im, uintptr_t ra);
void x86_fx_commit_x87(CPUX86State *env, const X86FxImage *im);
void x86_fx_commit_mxcsr(CPUX86State *env, uint32_t mxcsr);
void x86_fx_commit_xmm(CPUX86State *env, const X86FxImage *im);

/*
 * helper_sse_pcmpstr's desc (sse42_helper.c): xmm1 and xmm2 register
 * numbers, imm8, and the form.  It returns EFLAGS << 32 | the index (the
 * I forms' ECX); the M forms write XMM0.
 */
#define SSE_PCMPSTR_DESC(d, s, imm) ((d) | (s) << 5 | ((imm) & 0xff) << 10)
#define SSE_PCMPSTR_D(desc)   ((desc) & 31)
#define SSE_PCMPSTR_S(desc)   (((desc) >> 5) & 31)
#define SSE_PCMPSTR_IMM(desc) (((desc) >> 10) & 0xff)
#define SSE_PCMPSTR_EXPLICIT  (1u << 18)   /* PCMPESTRx: lengths in rAX, rDX */
#define SSE_PCMPSTR_MASK      (1u << 19)   /* PCMPxSTRM: the mask to XMM0 */
#define SSE_PCMPSTR_64        (1u << 20)   /* REX.W: RAX, RDX, not EAX, EDX */

/* Derive env->sse_status from env->mxcsr (after any MXCSR write). */
void x86_sse_update_status(CPUX86State *env);

/*
 * A floating-point helper's frame (sse_helper.c): sse_begin() clears
 * env->sse_status's flags; sse_end() merges them into MXCSR and raises #XM
 * (#UD without CR4.OSXMMEXCPT) for an unmasked one, ra = the helper's
 * GETPC().  Results are written to the destination after sse_end().
 */
void sse_begin(CPUX86State *env);
void sse_end(CPUX86State *env, uintptr_t ra);

#endif
