/*
 * test-sse.h: the SSE helpers (target-x86/sse_helper.c, sse41_helper.c)
 * against the host's SSE unit; shared by test-sse-helper.c and
 * test-sse41-helper.c (x86_64 hosts only).
 *
 * A case is a helper "d = op(d, s)" or "d = op(d, s, imm8)" on XMM register
 * numbers and the host function that runs the same instruction on XMM2 = d
 * and XMM1 = s, with XMM0 = m (the implicit mask of the blendv forms),
 * under a given MXCSR.  Both run on random operands biased toward the edge
 * cases (test_sse_operands), with a random imm8:
 *  - test_sse_vs_host: in each of the 16 MXCSR configurations (rounding,
 *    FTZ, DAZ; all exceptions masked); compared: the destination and MXCSR;
 *  - test_sse_unmasked_vs_host: with random exception masks, the helper on
 *    a CPU state whose CR4.OSXMMEXCPT is set: an unmasked exception must
 *    raise #XM (SIGFPE on the host) with the same MXCSR flags and the
 *    destination unchanged.
 */
#ifndef TESTS_UNIT_TEST_SSE_H
#define TESTS_UNIT_TEST_SSE_H

#include "util/osdep.h"
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "test.h"

/* What a case's operands hold */
typedef enum SseLanes { SSE_INT, SSE_F32, SSE_F64 } SseLanes;

/* host(d, s, m, mx, fl, imm): d = insn(d, s[, imm]) with XMM0 = m under
 * MXCSR mx; *fl is MXCSR after */
typedef void (*SseHostFn)(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m, uint32_t mx,
                          uint32_t *fl, unsigned imm);

typedef struct SseCase {
    const char *name;
    void (*h2)(CPUX86State *env, uint32_t d, uint32_t s);                /* or */
    void (*h3)(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm);
    SseHostFn host;
    SseLanes lanes;
    bool nan_vendor;     /* which NaN of several a lane returns is the vendor's */
} SseCase;

static const uint32_t test_sse_mxcsr_default = 0x1f80;

/* The body of a host function: text (using XMM0-2) between the loads of
 * MXCSR and the operands and the stores of the destination and MXCSR;
 * more asm inputs after text */
#define TEST_SSE_ASM(text, ...)                                               \
    __asm__ volatile("ldmxcsr %[mx]\n\t movdqu %[m], %%xmm0\n\t"              \
                     "movdqu %[s], %%xmm1\n\t movdqu %[d], %%xmm2\n\t"        \
                     text "\n\t movdqu %%xmm2, %[d]\n\t"                      \
                     "stmxcsr %[o]\n\t ldmxcsr %[df]"                         \
                     : [d] "+m"(*d), [o] "=m"(*fl)                            \
                     : [s] "m"(*s), [m] "m"(*m), [mx] "m"(mx),                \
                       [df] "m"(test_sse_mxcsr_default), ##__VA_ARGS__        \
                     : "xmm0", "xmm1", "xmm2")

/* host_fn: "insn %xmm1, %xmm2" */
#define TEST_SSE_HOST2(fn, insn)                                              \
static void host_##fn(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m,  \
                      uint32_t mx, uint32_t *fl, unsigned imm)                \
{                                                                             \
    TEST_SSE_ASM(insn " %%xmm1, %%xmm2");                                     \
}

/*
 * A helper that returns EFLAGS (COMISS, PTEST): host_fn gives the host's
 * arithmetic flags (every one set before) and helper_fn the helper's, as
 * the destination's low quadword.
 */
#define TEST_SSE_FLAGS(fn, insn)                                              \
static void host_##fn(X86XMMReg *d, const X86XMMReg *s, const X86XMMReg *m,  \
                      uint32_t mx, uint32_t *fl, unsigned imm)                \
{                                                                             \
    uint64_t f;                                                               \
                                                                              \
    __asm__ volatile("ldmxcsr %[mx]\n\t movdqu %[s], %%xmm1\n\t"              \
                     "movdqu %[d], %%xmm2\n\t"                                \
                     "lea -128(%%rsp), %%rsp\n\t"       /* past the red zone */ \
                     "pushfq\n\t orq $0x8d5, (%%rsp)\n\t popfq\n\t"           \
                     insn " %%xmm1, %%xmm2\n\t pushfq\n\t popq %[f]\n\t"      \
                     "lea 128(%%rsp), %%rsp\n\t"                              \
                     "stmxcsr %[o]\n\t ldmxcsr %[df]"                         \
                     : [f] "=&r"(f), [o] "=m"(*fl)                            \
                     : [d] "m"(*d), [s] "m"(*s), [mx] "m"(mx),                \
                       [df] "m"(test_sse_mxcsr_default)                       \
                     : "xmm1", "xmm2", "cc");                                 \
    d->q[0] = f & CC_ALL;                                                     \
    d->q[1] = 0;                                                              \
}                                                                             \
static void helper_##fn(CPUX86State *env, uint32_t d, uint32_t s)            \
{                                                                             \
    uint64_t f = helper_sse_##fn(env, d, s);                                  \
                                                                              \
    env->xmm_regs[d].q[0] = f;                                                \
    env->xmm_regs[d].q[1] = 0;                                                \
}

/* ---- operands --------------------------------------------------------------- */

/* Random lanes: floats from test_rnd_float (near near's lanes, if given);
 * integers of random magnitude, half the time with boundary bytes */
static X86XMMReg test_sse_rnd_vec(SseLanes l, const X86XMMReg *near)
{
    static const uint8_t specials[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
    X86XMMReg x;

    for (int i = 0; i < 4; i++) {
        switch (l) {
        case SSE_F32: x.l[i] = (uint32_t)test_rnd_float(8, 23, near ? near->l[i] : 0); break;
        case SSE_F64: x.q[i / 2] = test_rnd_float(11, 52, near ? near->q[i / 2] : 0); break;
        default: x.l[i] = (uint32_t)(test_rnd() >> (test_rnd() % 32)); break;
        }
    }
    if (l == SSE_INT && test_rnd() % 2) {
        for (int i = 0; i < 16; i++) {
            if (test_rnd() % 3 == 0) {
                x.b[i] = specials[test_rnd() % sizeof(specials)];
            }
        }
    }
    return x;
}

/* Operands for one run: s sometimes related to d (equal: min/max and
 * compare ties, PTEST; disjoint bits; cancelling lanes: sums and dot
 * products; a zero half) */
static void test_sse_operands(SseLanes l, X86XMMReg *d, X86XMMReg *s, X86XMMReg *m)
{
    *d = test_sse_rnd_vec(l, NULL);
    *s = test_sse_rnd_vec(l, d);
    *m = test_sse_rnd_vec(SSE_INT, NULL);
    switch (test_rnd() % 8) {
    case 0: case 4:
        *s = *d;
        break;
    case 1:
        s->q[0] = ~d->q[0] & test_rnd();
        s->q[1] = ~d->q[1] & test_rnd();
        break;
    case 2:
        if (l == SSE_F32) {
            s->l[1] = s->l[0];
            d->l[1] = d->l[0] ^ 0x80000000u;           /* p0 + p1 cancels */
        } else {
            s->q[1] = s->q[0];
            d->q[1] = d->q[0] ^ (1ull << 63);
        }
        break;
    case 3:
        s->q[test_rnd() & 1] = 0;
        break;
    }
}

/* ---- running a case ------------------------------------------------------------ */

/* tern's XMM0 = m, XMM1 = s, XMM2 = d and MXCSR */
static void test_sse_tern_set(CPUX86State *env, const X86XMMReg *d, const X86XMMReg *s,
                              const X86XMMReg *m, uint32_t mx)
{
    env->mxcsr = mx;
    x86_sse_update_status(env);
    env->xmm_regs[0] = *m;
    env->xmm_regs[1] = *s;
    env->xmm_regs[2] = *d;
}

static void test_sse_tern_call(const SseCase *c, CPUX86State *env, unsigned imm)
{
    if (c->h2) {
        c->h2(env, 2, 1);
    } else {
        c->h3(env, 2, 1, imm);
    }
}

static void test_sse_report(unsigned long *bad, const char *what, const SseCase *c,
                            uint32_t mx, unsigned imm, const X86XMMReg *d,
                            const X86XMMReg *s, const X86XMMReg *m, const char *hs,
                            const X86XMMReg *hd, uint32_t hf, const char *ts,
                            const X86XMMReg *td, uint32_t tf)
{
    test_mismatch(bad, "%s%s mxcsr=%04x imm=%02x d=%016" PRIx64 ":%016" PRIx64
                  " s=%016" PRIx64 ":%016" PRIx64 " m=%016" PRIx64 ":%016" PRIx64
                  ": host %s%016" PRIx64 ":%016" PRIx64 " %02x, tern %s%016" PRIx64 ":%016"
                  PRIx64 " %02x", c->name, what, mx, imm, d->q[1], d->q[0], s->q[1], s->q[0],
                  m->q[1], m->q[0], hs, hd->q[1], hd->q[0], hf, ts, td->q[1], td->q[0], tf);
}

static bool test_sse_is_nan(SseLanes l, const X86XMMReg *x, int i)
{
    return l == SSE_F32 ? (x->l[i] & 0x7fffffffu) > 0x7f800000u
                        : (x->q[i] & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

/* Do the host's destination hd and tern's td agree?  Bit for bit; or, on a
 * host other than Intel's, for a case whose NaN choice is the vendor's
 * (DPPS/DPPD: AMD picks another NaN, and sign, than Intel's per-lane sum
 * order), lane by lane with any NaN matching any NaN: counted in *vendor. */
static bool test_sse_same(const SseCase *c, const X86XMMReg *hd, const X86XMMReg *td,
                          unsigned long *vendor)
{
    if (!memcmp(hd, td, 16)) {
        return true;
    }
    if (!c->nan_vendor || c->lanes == SSE_INT || test_host_intel()) {
        return false;
    }
    for (int i = 0; i < (c->lanes == SSE_F32 ? 4 : 2); i++) {
        bool same = c->lanes == SSE_F32 ? hd->l[i] == td->l[i] : hd->q[i] == td->q[i];

        if (!same && !(test_sse_is_nan(c->lanes, hd, i) && test_sse_is_nan(c->lanes, td, i))) {
            return false;
        }
    }
    ++*vendor;
    return true;
}

/* Every case, n_fp (SSE_F32, SSE_F64) or n_int (SSE_INT) runs in each MXCSR
 * configuration, all exceptions masked */
static void test_sse_vs_host(const SseCase *cases, size_t n_cases, int n_fp, int n_int)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    unsigned long total = 0, bad_total = 0;

    for (size_t c = 0; c < n_cases; c++) {
        int runs = cases[c].lanes == SSE_INT ? n_int : n_fp;
        unsigned long bad = 0, vendor = 0;

        for (int cfg = 0; cfg < 16; cfg++) {
            uint32_t mx = test_mxcsr_config(cfg);

            for (int n = 0; n < runs; n++) {
                X86XMMReg d, s, m, hd;
                uint32_t hf;
                unsigned imm = (unsigned)(test_rnd() & 255);

                test_sse_operands(cases[c].lanes, &d, &s, &m);
                hd = d;
                cases[c].host(&hd, &s, &m, mx, &hf, imm);
                test_sse_tern_set(env, &d, &s, &m, mx);
                test_sse_tern_call(&cases[c], env, imm);
                total++;
                if (env->mxcsr != (hf | (mx & ~0x3fu)) ||
                    !test_sse_same(&cases[c], &hd, &env->xmm_regs[2], &vendor)) {
                    test_sse_report(&bad, "", &cases[c], mx, imm, &d, &s, &m, "", &hd,
                                    hf & 0x3f, "", &env->xmm_regs[2], env->mxcsr & 0x3f);
                }
            }
        }
        bad_total += bad;
        if (bad) {
            printf("  %s: %lu mismatches\n", cases[c].name, bad);
        }
        if (vendor) {
            printf("  %s: %lu results differ from the host's only in which NaN a lane "
                   "returns, the vendor's choice (the host is not Intel's)\n",
                   cases[c].name, vendor);
        }
    }
    printf("  %zu operations, %lu compared with the host, %lu mismatches\n", n_cases, total,
           bad_total);
    CHECK_EQ(bad_total, 0);
}

static sigjmp_buf test_sse_fpe_jmp;
static uint32_t test_sse_fpe_mxcsr;

static void test_sse_on_sigfpe(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    test_sse_fpe_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(test_sse_fpe_jmp, 1);
}

/* Run a case on the host: true if it raised #XM (SIGFPE); *flags: MXCSR's */
static bool test_sse_host_unmasked(const SseCase *c, X86XMMReg *d, const X86XMMReg *s,
                                   const X86XMMReg *m, uint32_t mx, unsigned imm,
                                   uint32_t *flags)
{
    if (sigsetjmp(test_sse_fpe_jmp, 1)) {
        *flags = test_sse_fpe_mxcsr & 0x3f;
        return true;
    }
    c->host(d, s, m, mx, flags, imm);
    *flags &= 0x3f;
    return false;
}

/* Run a case in tern: true if it raised #XM */
static bool test_sse_tern_unmasked(const SseCase *c, CPUX86State *env, const X86XMMReg *d,
                                   const X86XMMReg *s, const X86XMMReg *m, uint32_t mx,
                                   unsigned imm)
{
    CPUState *cs = env_cpu(env);

    test_sse_tern_set(env, d, s, m, mx);
    cs->exception_index = -1;
    if (sigsetjmp(cs->jmp_env, 0) == 0) {
        test_sse_tern_call(c, env, imm);
        return false;
    }
    return cs->exception_index == EXCP13_XF;
}

/* Every case, n_fp or n_int runs (0: none) with random exception masks,
 * rounding, FTZ and DAZ */
static void test_sse_unmasked_vs_host(const SseCase *cases, size_t n_cases, int n_fp,
                                      int n_int)
{
    static X86CPU cpu;
    CPUX86State *env = &cpu.env;
    struct sigaction sa = { .sa_sigaction = test_sse_on_sigfpe, .sa_flags = SA_SIGINFO }, old;
    unsigned long total = 0, faults = 0, bad = 0, vendor = 0;

    sigaction(SIGFPE, &sa, &old);
    env->cr[4] = CR4_OSXMMEXCPT_MASK;
    for (size_t c = 0; c < n_cases; c++) {
        int runs = cases[c].lanes == SSE_INT ? n_int : n_fp;

        for (int n = 0; n < runs; n++) {
            uint32_t mx = (uint32_t)(test_rnd() & 0xffc0), hf, tf;
            unsigned imm = (unsigned)(test_rnd() & 255);
            X86XMMReg d, s, m, hd;
            bool hfault, tfault;

            test_sse_operands(cases[c].lanes, &d, &s, &m);
            hd = d;
            hfault = test_sse_host_unmasked(&cases[c], &hd, &s, &m, mx, imm, &hf);
            tfault = test_sse_tern_unmasked(&cases[c], env, &d, &s, &m, mx, imm);
            tf = env->mxcsr & 0x3f;
            total++;
            faults += hfault;
            if (hfault != tfault || hf != tf ||
                !test_sse_same(&cases[c], &hd, &env->xmm_regs[2], &vendor)) {
                test_sse_report(&bad, " (unmasked)", &cases[c], mx, imm, &d, &s, &m,
                                hfault ? "#XM " : "ok ", &hd, hf,
                                tfault ? "#XM " : "ok ", &env->xmm_regs[2], tf);
            }
        }
    }
    sigaction(SIGFPE, &old, NULL);
    printf("  %lu compared with the host, %lu raised #XM, %lu mismatches\n", total, faults, bad);
    if (vendor) {
        printf("  %lu results differ from the host's only in which NaN a lane returns, the "
               "vendor's choice (the host is not Intel's)\n", vendor);
    }
    CHECK_EQ(bad, 0);
}

#endif
