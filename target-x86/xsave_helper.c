/*
 * xsave_helper.c: the XSAVE feature set for x87 and SSE state: XGETBV,
 * XSETBV, XSAVE and XRSTOR (REX.W: XSAVE64, XRSTOR64; standard form), and
 * CPUID leaf 0xd that describes it.  translate-system.c checks
 * CR4.OSXSAVE (#UD), CR0.TS (#NM, XSAVE/XRSTOR) and CPL 0 (XSETBV).
 *
 * XCR0 supports bits 0 (x87, always set) and 1 (SSE); the XSAVE area is
 * 576 bytes: the legacy region, which is the FXSAVE image (sse_helper.c's
 * x86_fx_* parts), and the 64-byte header (XSTATE_BV at 512, XCOMP_BV at
 * 520).  RFBM = EDX:EAX & XCR0.  SDM vol. 1 §13.7-13.8:
 *   XSAVE   #GP(0) unless 64-byte aligned; writes the x87 state if RFBM[0],
 *           MXCSR and the XMM registers if RFBM[1]; XSTATE_BV[i] becomes
 *           XINUSE[i] for i in RFBM, the other bits are kept.  tern's
 *           XINUSE[i] is 0 exactly when component i is in its initial
 *           configuration (§13.6: x87 FCW 037FH, FSW 0, all tags empty,
 *           FOP, FIP, FDP, FCS, FDS and ST0-7 zero; SSE XMM0-15 zero),
 *           which the SDM allows.
 *   XRSTOR  #GP(0) unless 64-byte aligned, for XSTATE_BV bits outside
 *           XCR0, for a non-zero XCOMP_BV or header bytes 16-23 (no
 *           compacted form), and for reserved MXCSR bits; all checked and
 *           read before any state changes.  For i in RFBM: XSTATE_BV[i]
 *           set loads component i, clear initializes it; MXCSR is loaded
 *           whenever RFBM[1] is set.
 *   XGETBV  ECX = 0: XCR0; other ECX #GP(0) (no XGETBV1).
 *   XSETBV  ECX = 0 only; bit 0 set, no bits but 0-1: else #GP(0).
 * No XSAVEOPT, XSAVEC, XSAVES (CPUID 0xd.1 EAX = 0).
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

#define XSAVE_HDR_XSTATE_BV 512
#define XSAVE_HDR_XCOMP_BV  520
#define XSAVE_HDR_RSVD      528     /* bytes 16-23 of the header: must be 0 */

void x86_cpuid_xsave_leaf(CPUX86State *env, uint32_t subleaf, uint32_t *eax, uint32_t *ebx,
                          uint32_t *ecx, uint32_t *edx)
{
    (void)env;
    if (subleaf == 0) {
        *eax = X86_XCR0_SUPPORTED;        /* XCR0 bits that may be set */
        *ebx = X86_XSAVE_AREA_SIZE;       /* for the components XCR0 enables */
        *ecx = X86_XSAVE_AREA_SIZE;       /* for all supported components */
        *edx = 0;
    }
    /* subleaf 1: no XSAVEOPT/XSAVEC/XGETBV1/XSAVES; 2 up: no such component */
}

uint64_t helper_xgetbv(CPUX86State *env, uint32_t ecx)
{
    if (ecx != 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    return env->xcr0;
}

void helper_xsetbv(CPUX86State *env, uint32_t ecx, uint64_t val)
{
    if (ecx != 0 || !(val & XSTATE_FP_MASK) || (val & ~(uint64_t)X86_XCR0_SUPPORTED)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->xcr0 = val;
}

static bool xsave_x87_is_init(const CPUX86State *env)
{
    if (env->fpuc != FPUC_DEFAULT || env->fpus != 0 || env->fpstt != 0 || env->fpop != 0 ||
        env->fpip != 0 || env->fpdp != 0 || env->fpcs != 0 || env->fpds != 0) {
        return false;
    }
    for (int i = 0; i < 8; i++) {
        if (!env->fptags[i] || env->fpregs[i].low != 0 || env->fpregs[i].high != 0) {
            return false;
        }
    }
    return true;
}

static bool xsave_sse_is_init(const CPUX86State *env)
{
    for (int i = 0; i < 16; i++) {
        if (env->xmm_regs[i].q[0] | env->xmm_regs[i].q[1]) {
            return false;
        }
    }
    return true;
}

static uint64_t xsave_xinuse(const CPUX86State *env)
{
    return (xsave_x87_is_init(env) ? 0 : XSTATE_FP_MASK) |
           (xsave_sse_is_init(env) ? 0 : XSTATE_SSE_MASK);
}

static uint64_t xsave_ld64(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    return cpu_ld_data_ra(env_cpu(env), a, MO_64, x86_cpu_mmu_index(env), ra);
}

void helper_xsave(CPUX86State *env, uint64_t a, uint64_t mask, uint32_t mode)
{
    uintptr_t ra = GETPC();
    uint64_t rfbm = mask & env->xcr0, bv;

    x86_check_alignment(env, a, 4, ra);     /* #AC before #GP, as the host */
    if (a & 63) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    bv = xsave_ld64(env, a + XSAVE_HDR_XSTATE_BV, ra);
    if (rfbm & XSTATE_FP_MASK) {
        x86_fx_save_x87(env, a, mode & SSE_FX_64, ra);
    }
    if (rfbm & XSTATE_SSE_MASK) {
        x86_fx_save_mxcsr(env, a, ra);
        x86_fx_save_xmm(env, a, ra);
    }
    bv = (bv & ~rfbm) | (xsave_xinuse(env) & rfbm);
    cpu_st_data_ra(env_cpu(env), a + XSAVE_HDR_XSTATE_BV, bv, MO_64, x86_cpu_mmu_index(env), ra);
}

void helper_xrstor(CPUX86State *env, uint64_t a, uint64_t mask, uint32_t mode)
{
    static const X86FxImage x87_init = { .fcw = FPUC_DEFAULT };   /* tags: all empty */
    uintptr_t ra = GETPC();
    uint64_t rfbm = mask & env->xcr0, bv;
    X86FxImage im;

    x86_check_alignment(env, a, 4, ra);     /* #AC before #GP, as the host */
    if (a & 63) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    bv = xsave_ld64(env, a + XSAVE_HDR_XSTATE_BV, ra);
    if ((bv & ~env->xcr0) || xsave_ld64(env, a + XSAVE_HDR_XCOMP_BV, ra) ||
        xsave_ld64(env, a + XSAVE_HDR_RSVD, ra)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    /* read (and check) everything first: a fault leaves the state alone */
    if (rfbm & XSTATE_SSE_MASK) {
        x86_fx_load_mxcsr(env, a, &im, ra);
        if (bv & XSTATE_SSE_MASK) {
            x86_fx_load_xmm(env, a, &im, ra);
        }
    }
    if (rfbm & bv & XSTATE_FP_MASK) {
        x86_fx_load_x87(env, a, mode & SSE_FX_64, &im, ra);
    }

    if (rfbm & XSTATE_FP_MASK) {
        x86_fx_commit_x87(env, (bv & XSTATE_FP_MASK) ? &im : &x87_init);
    }
    if (rfbm & XSTATE_SSE_MASK) {
        if (bv & XSTATE_SSE_MASK) {
            x86_fx_commit_xmm(env, &im);
        } else {
            memset(env->xmm_regs, 0, sizeof(env->xmm_regs));
        }
        x86_fx_commit_mxcsr(env, im.mxcsr);
    }
}
