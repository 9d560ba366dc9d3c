/*
 * test-sse-helper.c: the SSE floating-point helpers (target-x86/
 * sse_helper.c) against the host's SSE unit: the x86 rules built on top
 * of softfloat (MIN/MAX operand choice, CMPccPS predicates and which of
 * them signal on QNaN, COMISS/UCOMISS flags, packed and scalar lane
 * handling, conversions, SSE3 pairings) in every rounding mode with FTZ
 * and DAZ off and on, result registers and MXCSR flags compared.
 *
 * The helpers run on a zeroed CPU state, first with all exceptions masked,
 * then with random masks: an unmasked exception must raise #XM (SIGFPE on
 * the host) with the same MXCSR flags and the destination unchanged.
 * RCPPS/RSQRTPS are model-specific (see sse_helper.c) and not compared.
 * On a non-x86_64 host the test says SKIP.
 */
#include "util/osdep.h"
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__)

#define N_PER_CONFIG 600

typedef enum Lanes { L_F32, L_F64, L_I32, L_I64 } Lanes;

typedef void (*HelperFn)(CPUX86State *env, uint32_t d, uint32_t s);
typedef void (*HostFn)(X86XMMReg *d, const X86XMMReg *s, uint32_t mx, uint32_t *flags);

static const uint32_t mxcsr_default = 0x1f80;

/* "insn %xmm1, %xmm0" on the host with MXCSR mx */
#define HOST(fn, insn)                                                        \
static void host_##fn(X86XMMReg *d, const X86XMMReg *s, uint32_t mx, uint32_t *fl) \
{                                                                             \
    __asm__ volatile("ldmxcsr %[m]\n\t movdqu %[d], %%xmm0\n\t movdqu %[s], %%xmm1\n\t" \
                     insn " %%xmm1, %%xmm0\n\t movdqu %%xmm0, %[d]\n\t"       \
                     "stmxcsr %[o]\n\t ldmxcsr %[df]"                         \
                     : [d] "+m"(*d), [o] "=m"(*fl)                            \
                     : [s] "m"(*s), [m] "m"(mx), [df] "m"(mxcsr_default)      \
                     : "xmm0", "xmm1");                                       \
}
/* a helper with an imm8, as a two-operand one */
#define IMM_HELPER(name, h, imm)                                              \
static void helper_##name(CPUX86State *env, uint32_t d, uint32_t s)           \
{                                                                             \
    helper_sse_##h(env, d, s, imm);                                           \
}

#define F4(op) HOST(op##ps, #op "ps") HOST(op##ss, #op "ss") HOST(op##pd, #op "pd") \
               HOST(op##sd, #op "sd")
F4(add) F4(sub) F4(mul) F4(div) F4(min) F4(max) F4(sqrt)
HOST(cvtps2pd, "cvtps2pd") HOST(cvtpd2ps, "cvtpd2ps") HOST(cvtss2sd, "cvtss2sd")
HOST(cvtsd2ss, "cvtsd2ss") HOST(cvtdq2ps, "cvtdq2ps") HOST(cvtps2dq, "cvtps2dq")
HOST(cvttps2dq, "cvttps2dq") HOST(cvtdq2pd, "cvtdq2pd") HOST(cvtpd2dq, "cvtpd2dq")
HOST(cvttpd2dq, "cvttpd2dq")
HOST(addsubps, "addsubps") HOST(addsubpd, "addsubpd") HOST(haddps, "haddps")
HOST(haddpd, "haddpd") HOST(hsubps, "hsubps") HOST(hsubpd, "hsubpd")

#define CMP(imm) \
    HOST(cmpps##imm, "cmpps $" #imm ",") HOST(cmpss##imm, "cmpss $" #imm ",") \
    HOST(cmppd##imm, "cmppd $" #imm ",") HOST(cmpsd##imm, "cmpsd $" #imm ",") \
    IMM_HELPER(cmpps##imm, cmpps, imm) IMM_HELPER(cmpss##imm, cmpss, imm)      \
    IMM_HELPER(cmppd##imm, cmppd, imm) IMM_HELPER(cmpsd##imm, cmpsd, imm)
CMP(0) CMP(1) CMP(2) CMP(3) CMP(4) CMP(5) CMP(6) CMP(7)

/* (U)COMISx: the flags as a value in the destination's low quadword */
#define COMI(fn, insn)                                                        \
static void host_##fn(X86XMMReg *d, const X86XMMReg *s, uint32_t mx, uint32_t *fl) \
{                                                                             \
    uint8_t z, p, c;                                                          \
    __asm__ volatile("ldmxcsr %[m]\n\t movdqu %[d], %%xmm0\n\t movdqu %[s], %%xmm1\n\t" \
                     insn " %%xmm1, %%xmm0\n\t setz %[z]\n\t setp %[p]\n\t setc %[c]\n\t" \
                     "stmxcsr %[o]\n\t ldmxcsr %[df]"                         \
                     : [z] "=&q"(z), [p] "=&q"(p), [c] "=&q"(c), [o] "=m"(*fl) \
                     : [d] "m"(*d), [s] "m"(*s), [m] "m"(mx), [df] "m"(mxcsr_default) \
                     : "xmm0", "xmm1", "cc");                                 \
    d->q[0] = (uint64_t)z * CC_Z | (uint64_t)p * CC_P | (uint64_t)c * CC_C;   \
    d->q[1] = 0;                                                              \
}                                                                             \
static void helper_##fn(CPUX86State *env, uint32_t d, uint32_t s)            \
{                                                                             \
    uint64_t f = helper_sse_##fn(env, d, s);                                  \
    env->xmm_regs[d].q[0] = f;                                                \
    env->xmm_regs[d].q[1] = 0;                                                \
}
COMI(comiss, "comiss") COMI(ucomiss, "ucomiss") COMI(comisd, "comisd") COMI(ucomisd, "ucomisd")

typedef struct Case {
    const char *name;
    HelperFn helper;
    HostFn host;
    Lanes lanes;        /* of the source (and destination) */
} Case;

#define C(n, l) { #n, helper_sse_##n, host_##n, l }
#define CL(n, l) { #n, helper_##n, host_##n, l }
#define C4(op) C(op##ps, L_F32), C(op##ss, L_F32), C(op##pd, L_F64), C(op##sd, L_F64)
#define CMPC(imm) CL(cmpps##imm, L_F32), CL(cmpss##imm, L_F32), CL(cmppd##imm, L_F64), \
                  CL(cmpsd##imm, L_F64)

static const Case cases[] = {
    C4(add), C4(sub), C4(mul), C4(div), C4(min), C4(max), C4(sqrt),
    CMPC(0), CMPC(1), CMPC(2), CMPC(3), CMPC(4), CMPC(5), CMPC(6), CMPC(7),
    CL(comiss, L_F32), CL(ucomiss, L_F32), CL(comisd, L_F64), CL(ucomisd, L_F64),
    C(cvtps2pd, L_F32), C(cvtpd2ps, L_F64), C(cvtss2sd, L_F32), C(cvtsd2ss, L_F64),
    C(cvtdq2ps, L_I32), C(cvtps2dq, L_F32), C(cvttps2dq, L_F32), C(cvtdq2pd, L_I32),
    C(cvtpd2dq, L_F64), C(cvttpd2dq, L_F64),
    C(addsubps, L_F32), C(addsubpd, L_F64), C(haddps, L_F32), C(haddpd, L_F64),
    C(hsubps, L_F32), C(hsubpd, L_F64),
};

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* A lane value biased toward the interesting classes. */
static uint64_t rnd_lane(int ebits, int fbits)
{
    uint64_t emax = (1ull << ebits) - 1, frac = rnd() & ((1ull << fbits) - 1), exp;

    switch (rnd() % 8) {
    case 0: exp = 0; break;
    case 1: exp = emax; frac = rnd() % 3 ? frac : 0; break;
    case 2: exp = 1; break;
    case 3: exp = emax - 1; break;
    case 4: exp = (emax >> 1) + rnd() % 40 - 20; break;
    default: exp = rnd() & emax; break;
    }
    if (rnd() % 4 == 0) {
        frac &= ~0ull << (rnd() % (fbits + 1));
    }
    return (rnd() & 1) << (ebits + fbits) | (exp & emax) << fbits | frac;
}

static X86XMMReg rnd_vec(Lanes l)
{
    X86XMMReg x;

    for (int i = 0; i < 4; i++) {
        switch (l) {
        case L_F32: x.l[i] = (uint32_t)rnd_lane(8, 23); break;
        case L_F64: x.q[i / 2] = rnd_lane(11, 52); break;
        default: x.l[i] = (uint32_t)(rnd() >> (rnd() % 32)); break;
        }
    }
    return x;
}

static void test_sse_helpers_vs_host(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long total = 0, bad_total = 0;

    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        unsigned long bad = 0;

        for (int cfg = 0; cfg < 16; cfg++) {
            uint32_t mx = 0x1f80 | (cfg & 3) << 13 | ((cfg & 4) ? 0x8000 : 0) |
                          ((cfg & 8) ? 0x40 : 0);
            for (int n = 0; n < N_PER_CONFIG; n++) {
                X86XMMReg d = rnd_vec(cases[c].lanes), s = rnd_vec(cases[c].lanes);
                X86XMMReg hd = d;
                uint32_t hf;

                if (n % 4 == 0) {
                    s = d;          /* equal operands: min/max, compares */
                }
                cases[c].host(&hd, &s, mx, &hf);
                env->mxcsr = mx;
                x86_sse_update_status(env);
                env->xmm_regs[0] = d;
                env->xmm_regs[1] = s;
                cases[c].helper(env, 0, 1);
                total++;
                if (memcmp(&env->xmm_regs[0], &hd, 16) || (env->mxcsr & 0x3f) != (hf & 0x3f)) {
                    if (bad < 4) {
                        printf("  MISMATCH %s mxcsr=%04x d=%016" PRIx64 ":%016" PRIx64
                               " s=%016" PRIx64 ":%016" PRIx64 ": host %016" PRIx64 ":%016"
                               PRIx64 " %02x, tern %016" PRIx64 ":%016" PRIx64 " %02x\n",
                               cases[c].name, mx, d.q[1], d.q[0], s.q[1], s.q[0],
                               hd.q[1], hd.q[0], hf & 0x3f, env->xmm_regs[0].q[1],
                               env->xmm_regs[0].q[0], env->mxcsr & 0x3f);
                    }
                    bad++;
                }
            }
        }
        bad_total += bad;
        if (bad) {
            printf("  %s: %lu mismatches\n", cases[c].name, bad);
        }
    }
    printf("  %zu operations, %lu compared with the host, %lu mismatches\n",
           ARRAY_SIZE(cases), total, bad_total);
    CHECK_EQ(bad_total, 0);
}

/* ---- unmasked exceptions: #XM, the destination kept, the flags ------------ */

static sigjmp_buf fpe_jmp;
static uint32_t fpe_mxcsr;

static void on_sigfpe(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    fpe_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(fpe_jmp, 1);
}

/* Run a case on the host: true if it raised #XM (SIGFPE). */
static bool host_run_unmasked(const Case *c, X86XMMReg *d, const X86XMMReg *s, uint32_t mx,
                              uint32_t *flags)
{
    if (sigsetjmp(fpe_jmp, 1)) {
        *flags = fpe_mxcsr & 0x3f;
        return true;
    }
    c->host(d, s, mx, flags);
    *flags &= 0x3f;
    return false;
}

/* Run a case in tern on XMM0, XMM1: true if it raised #XM. */
static bool tern_run_unmasked(const Case *c, CPUX86State *env, const X86XMMReg *d,
                              const X86XMMReg *s, uint32_t mx)
{
    CPUState *cs = env_cpu(env);

    env->mxcsr = mx;
    x86_sse_update_status(env);
    env->xmm_regs[0] = *d;
    env->xmm_regs[1] = *s;
    cs->exception_index = -1;
    if (sigsetjmp(cs->jmp_env, 0) == 0) {
        c->helper(env, 0, 1);
        return false;
    }
    return cs->exception_index == EXCP13_XF;
}

static void test_sse_helpers_unmasked_vs_host(void)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    struct sigaction sa = { .sa_sigaction = on_sigfpe, .sa_flags = SA_SIGINFO }, old;
    unsigned long total = 0, faults = 0, bad = 0;

    sigaction(SIGFPE, &sa, &old);
    env->cr[4] = CR4_OSXMMEXCPT_MASK;
    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        for (int n = 0; n < 16 * N_PER_CONFIG / 4; n++) {
            /* random masks, rounding, FTZ, DAZ */
            uint32_t mx = (uint32_t)(rnd() & 0xffc0);
            X86XMMReg d = rnd_vec(cases[c].lanes), s = rnd_vec(cases[c].lanes), hd = d;
            uint32_t hf, tf;
            bool hfault = host_run_unmasked(&cases[c], &hd, &s, mx, &hf);

            bool tfault = tern_run_unmasked(&cases[c], env, &d, &s, mx);

            tf = env->mxcsr & 0x3f;
            total++;
            faults += hfault;
            if (hfault != tfault || hf != tf || memcmp(&env->xmm_regs[0], &hd, 16)) {
                if (bad < 8) {
                    printf("  MISMATCH %s mxcsr=%04x d=%016" PRIx64 ":%016" PRIx64
                           " s=%016" PRIx64 ":%016" PRIx64 ": host %s %016" PRIx64 ":%016"
                           PRIx64 " %02x, tern %s %016" PRIx64 ":%016" PRIx64 " %02x\n",
                           cases[c].name, mx, d.q[1], d.q[0], s.q[1], s.q[0],
                           hfault ? "#XM" : "ok", hd.q[1], hd.q[0], hf,
                           tfault ? "#XM" : "ok", env->xmm_regs[0].q[1],
                           env->xmm_regs[0].q[0], tf);
                }
                bad++;
            }
        }
    }
    sigaction(SIGFPE, &old, NULL);
    printf("  %lu compared with the host, %lu raised #XM, %lu mismatches\n", total, faults, bad);
    CHECK_EQ(bad, 0);
}

int main(void)
{
    RUN_TEST(test_sse_helpers_vs_host);
    RUN_TEST(test_sse_helpers_unmasked_vs_host);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP test-sse-helper: no x86 host to compare with\n");
    return 0;
}

#endif
