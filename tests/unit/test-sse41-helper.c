/*
 * test-sse41-helper.c: the SSE4.1 helpers (target-x86/sse41_helper.c)
 * against the host's SSE4.1 unit, which must have it (else SKIP).
 *
 * Every helper runs on XMM2 = op(XMM2, XMM1) with XMM0 as the implicit
 * mask of the blendv forms (and once with XMM0 as the destination too),
 * on random vectors biased toward the edge cases (boundary integers;
 * zeros, denormals, infinities, QNaNs, SNaNs, halves and near-integers),
 * every imm8 at random; the floating-point ones (ROUNDxx, DPPS, DPPD) in
 * all four rounding modes with FTZ and DAZ off and on, comparing the
 * destination, MXCSR flags and (PTEST) the arithmetic EFLAGS.  Then with
 * random exception masks: an unmasked exception must raise #XM (SIGFPE on
 * the host) with the same MXCSR flags and the destination unchanged (the
 * comparison itself: test-sse.h).
 */
#include "util/osdep.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__)

#include "test-sse.h"

#ifndef N_PER_CONFIG
#define N_PER_CONFIG 1000
#endif


/* the imm8 forms: one asm per imm8 value */
#define ICASE(insn, i)                                                        \
    case (i): TEST_SSE_ASM(insn " $%c[imm], %%xmm1, %%xmm2", [imm] "i"(i)); break;
#define HOST3(fn, insn)                                                       \
static void host_##fn(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m, \
                      uint32_t mx, uint32_t *fl, unsigned imm)                \
{                                                                             \
    switch (imm & 255) {                                                      \
    TEST_IMM8(ICASE, insn)                                                    \
    }                                                                         \
}

TEST_SSE_HOST2(pblendvb, "pblendvb") TEST_SSE_HOST2(blendvps, "blendvps")
TEST_SSE_HOST2(blendvpd, "blendvpd") TEST_SSE_HOST2(pmovsxbw, "pmovsxbw")
TEST_SSE_HOST2(pmovsxbd, "pmovsxbd") TEST_SSE_HOST2(pmovsxbq, "pmovsxbq")
TEST_SSE_HOST2(pmovsxwd, "pmovsxwd") TEST_SSE_HOST2(pmovsxwq, "pmovsxwq")
TEST_SSE_HOST2(pmovsxdq, "pmovsxdq") TEST_SSE_HOST2(pmovzxbw, "pmovzxbw")
TEST_SSE_HOST2(pmovzxbd, "pmovzxbd") TEST_SSE_HOST2(pmovzxbq, "pmovzxbq")
TEST_SSE_HOST2(pmovzxwd, "pmovzxwd") TEST_SSE_HOST2(pmovzxwq, "pmovzxwq")
TEST_SSE_HOST2(pmovzxdq, "pmovzxdq") TEST_SSE_HOST2(pmuldq, "pmuldq")
TEST_SSE_HOST2(pcmpeqq, "pcmpeqq") TEST_SSE_HOST2(packusdw, "packusdw")
TEST_SSE_HOST2(pminsb, "pminsb") TEST_SSE_HOST2(pminsd, "pminsd")
TEST_SSE_HOST2(pminuw, "pminuw") TEST_SSE_HOST2(pminud, "pminud")
TEST_SSE_HOST2(pmaxsb, "pmaxsb") TEST_SSE_HOST2(pmaxsd, "pmaxsd")
TEST_SSE_HOST2(pmaxuw, "pmaxuw") TEST_SSE_HOST2(pmaxud, "pmaxud")
TEST_SSE_HOST2(pmulld, "pmulld") TEST_SSE_HOST2(phminposuw, "phminposuw")
HOST3(blendps, "blendps") HOST3(blendpd, "blendpd") HOST3(pblendw, "pblendw")
HOST3(mpsadbw, "mpsadbw") HOST3(insertps, "insertps")
HOST3(roundps, "roundps") HOST3(roundpd, "roundpd") HOST3(roundss, "roundss")
HOST3(roundsd, "roundsd") HOST3(dpps, "dpps") HOST3(dppd, "dppd")

/* the blendv forms with XMM0 both the mask and the destination */
#define HOST_X0(fn, insn)                                                     \
static void host_##fn##_x0(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m, \
                           uint32_t mx, uint32_t *fl, unsigned imm)           \
{                                                                             \
    TEST_SSE_ASM("movdqa %%xmm2, %%xmm0\n\t" insn " %%xmm1, %%xmm0\n\t"       \
                 "movdqa %%xmm0, %%xmm2");                                    \
}                                                                             \
static void helper_##fn##_x0(CPUX86State *env, uint32_t d, uint32_t s)       \
{                                                                             \
    env->xmm_regs[0] = env->xmm_regs[d];                                      \
    helper_sse_##fn(env, 0, s);                                               \
    env->xmm_regs[d] = env->xmm_regs[0];                                      \
}
HOST_X0(pblendvb, "pblendvb") HOST_X0(blendvps, "blendvps") HOST_X0(blendvpd, "blendvpd")

/* INSERTPS from memory: the dword at [m] (the first lane of s) */
static void host_insertps_mem(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m,
                              uint32_t mx, uint32_t *fl, unsigned imm)
{
    switch (imm & 255) {
#define MCASE(_, i) case (i): TEST_SSE_ASM("insertps $%c[imm], %[s], %%xmm2", [imm] "i"(i)); break;
    TEST_IMM8(MCASE, _)
#undef MCASE
    }
}

static void helper_insertps_mem(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    env->xmm_t0.q[0] = env->xmm_regs[s].l[0];     /* as the translator loads m32 */
    env->xmm_t0.q[1] = 0x5a5a5a5a5a5a5a5aull;
    helper_sse_insertps(env, d, SSE_XMM_T0, imm);
}

/* PTEST: the arithmetic EFLAGS in the destination's low quadword */
TEST_SSE_FLAGS(ptest, "ptest")

#define C2(n, l) { #n, helper_sse_##n, NULL, host_##n, l }
#define C3(n, l) { #n, NULL, helper_sse_##n, host_##n, l }
/* DPPS/DPPD: which NaN a lane returns of several is the vendor's */
#define C3_NAN_VENDOR(n, l) { #n, NULL, helper_sse_##n, host_##n, l, true }

static const SseCase cases[] = {
    C2(pblendvb, SSE_INT), C2(blendvps, SSE_INT), C2(blendvpd, SSE_INT),
    { "pblendvb-xmm0", helper_pblendvb_x0, NULL, host_pblendvb_x0, SSE_INT },
    { "blendvps-xmm0", helper_blendvps_x0, NULL, host_blendvps_x0, SSE_INT },
    { "blendvpd-xmm0", helper_blendvpd_x0, NULL, host_blendvpd_x0, SSE_INT },
    { "ptest", helper_ptest, NULL, host_ptest, SSE_INT },
    C2(pmovsxbw, SSE_INT), C2(pmovsxbd, SSE_INT), C2(pmovsxbq, SSE_INT),
    C2(pmovsxwd, SSE_INT), C2(pmovsxwq, SSE_INT), C2(pmovsxdq, SSE_INT),
    C2(pmovzxbw, SSE_INT), C2(pmovzxbd, SSE_INT), C2(pmovzxbq, SSE_INT),
    C2(pmovzxwd, SSE_INT), C2(pmovzxwq, SSE_INT), C2(pmovzxdq, SSE_INT),
    C2(pmuldq, SSE_INT), C2(pcmpeqq, SSE_INT), C2(packusdw, SSE_INT),
    C2(pminsb, SSE_INT), C2(pminsd, SSE_INT), C2(pminuw, SSE_INT), C2(pminud, SSE_INT),
    C2(pmaxsb, SSE_INT), C2(pmaxsd, SSE_INT), C2(pmaxuw, SSE_INT), C2(pmaxud, SSE_INT),
    C2(pmulld, SSE_INT), C2(phminposuw, SSE_INT),
    C3(blendps, SSE_INT), C3(blendpd, SSE_INT), C3(pblendw, SSE_INT), C3(mpsadbw, SSE_INT),
    C3(insertps, SSE_INT),
    { "insertps-mem", NULL, helper_insertps_mem, host_insertps_mem, SSE_INT },
    C3(roundps, SSE_F32), C3(roundss, SSE_F32), C3(roundpd, SSE_F64), C3(roundsd, SSE_F64),
    C3_NAN_VENDOR(dpps, SSE_F32), C3_NAN_VENDOR(dppd, SSE_F64),
};

static void test_sse41_helpers_vs_host(void)
{
    test_sse_vs_host(cases, ARRAY_SIZE(cases), N_PER_CONFIG, N_PER_CONFIG / 4);
}

static void test_sse41_helpers_unmasked_vs_host(void)
{
    test_sse_unmasked_vs_host(cases, ARRAY_SIZE(cases), 16 * N_PER_CONFIG / 2, 0);
}

int main(void)
{
    if (!__builtin_cpu_supports("sse4.1")) {
        printf("SKIP test-sse41-helper: the host CPU has no SSE4.1 to compare with\n");
        return 0;
    }
    RUN_TEST(test_sse41_helpers_vs_host);
    RUN_TEST(test_sse41_helpers_unmasked_vs_host);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP test-sse41-helper: no x86 host to compare with\n");
    return 0;
}

#endif
