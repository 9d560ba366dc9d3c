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
 * the host) with the same MXCSR flags and the destination unchanged (the
 * comparison itself: test-sse.h).
 * RCPPS/RSQRTPS are model-specific (see sse_helper.c) and not compared.
 * On a non-x86_64 host the test says SKIP.
 */
#include "util/osdep.h"
#include "test.h"

TEST_GLOBALS;

#if defined(__x86_64__)

#include "test-sse.h"

#define N_PER_CONFIG 600

/* a helper with an imm8, as a two-operand one */
#define IMM_HELPER(name, h, imm)                                              \
static void helper_##name(CPUX86State *env, uint32_t d, uint32_t s)           \
{                                                                             \
    helper_sse_##h(env, d, s, imm);                                           \
}

#define HOST TEST_SSE_HOST2
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
TEST_SSE_FLAGS(comiss, "comiss") TEST_SSE_FLAGS(ucomiss, "ucomiss")
TEST_SSE_FLAGS(comisd, "comisd") TEST_SSE_FLAGS(ucomisd, "ucomisd")

#define C(n, l) { #n, helper_sse_##n, NULL, host_##n, l }
#define CL(n, l) { #n, helper_##n, NULL, host_##n, l }
#define C4(op) C(op##ps, SSE_F32), C(op##ss, SSE_F32), C(op##pd, SSE_F64), C(op##sd, SSE_F64)
#define CMPC(imm) CL(cmpps##imm, SSE_F32), CL(cmpss##imm, SSE_F32), CL(cmppd##imm, SSE_F64), \
                  CL(cmpsd##imm, SSE_F64)

static const SseCase cases[] = {
    C4(add), C4(sub), C4(mul), C4(div), C4(min), C4(max), C4(sqrt),
    CMPC(0), CMPC(1), CMPC(2), CMPC(3), CMPC(4), CMPC(5), CMPC(6), CMPC(7),
    CL(comiss, SSE_F32), CL(ucomiss, SSE_F32), CL(comisd, SSE_F64), CL(ucomisd, SSE_F64),
    C(cvtps2pd, SSE_F32), C(cvtpd2ps, SSE_F64), C(cvtss2sd, SSE_F32), C(cvtsd2ss, SSE_F64),
    C(cvtdq2ps, SSE_INT), C(cvtps2dq, SSE_F32), C(cvttps2dq, SSE_F32), C(cvtdq2pd, SSE_INT),
    C(cvtpd2dq, SSE_F64), C(cvttpd2dq, SSE_F64),
    C(addsubps, SSE_F32), C(addsubpd, SSE_F64), C(haddps, SSE_F32), C(haddpd, SSE_F64),
    C(hsubps, SSE_F32), C(hsubpd, SSE_F64),
};

static void test_sse_helpers_vs_host(void)
{
    test_sse_vs_host(cases, ARRAY_SIZE(cases), N_PER_CONFIG, N_PER_CONFIG);
}

/*
 * The lane fast path (helper_sse_lane_* for the scalar forms,
 * helper_sse_packed_* for the packed ones, used by translate-sse.c's
 * gen_sse_farith): what the generated code does, the fast helper and the
 * full helper when it declines, must leave exactly what the full helper
 * alone leaves, in every MXCSR configuration with PE clear and preset;
 * and it must take the fast way in the common state often enough to be
 * tested at all.
 */
typedef uint64_t (*LaneFn)(CPUX86State *env, uint64_t a, uint64_t b);
typedef uint32_t (*PackedFn)(CPUX86State *env, uint32_t d, uint32_t s);
typedef void (*FullFn)(CPUX86State *env, uint32_t d, uint32_t s);

static bool lane_path(CPUX86State *env, LaneFn lane, PackedFn packed, FullFn full, bool wide)
{
    X86XMMReg *a = &env->xmm_regs[2], *b = &env->xmm_regs[1];
    uint64_t v;

    if (packed) {
        if (!packed(env, 2, 1)) {
            full(env, 2, 1);
            return false;
        }
        return true;
    }
    v = wide ? lane(env, a->q[0], b->q[0]) : lane(env, a->l[0], b->l[0]);
    if (v == SSE_LANE_SLOW) {
        full(env, 2, 1);
        return false;
    }
    if (wide) {
        a->q[0] = v;
    } else {
        a->l[0] = (uint32_t)v;
    }
    return true;
}

static void test_sse_lane_fast_path(void)
{
    static const struct { const char *name; LaneFn lane; PackedFn packed; FullFn full; bool wide; } ops[] = {
#define LANE4(op) { #op "ss", helper_sse_lane_##op##32, NULL, helper_sse_##op##ss, false }, \
                  { #op "ps", NULL, helper_sse_packed_##op##ps, helper_sse_##op##ps, false }, \
                  { #op "sd", helper_sse_lane_##op##64, NULL, helper_sse_##op##sd, true },  \
                  { #op "pd", NULL, helper_sse_packed_##op##pd, helper_sse_##op##pd, true }
        LANE4(add), LANE4(sub), LANE4(mul), LANE4(div),
#undef LANE4
    };
    static X86CPU cpu_a, cpu_b;
    CPUX86State *ea = &cpu_a.env, *eb = &cpu_b.env;
    unsigned long fast = 0, bad = 0;

    for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
        for (int cfg = 0; cfg < 32; cfg++) {
            /* the 16 rounding/FTZ/DAZ configurations, PE clear and preset
             * (all masked: an unmasked one sends every lane to the full
             * helper, which the other tests cover) */
            uint32_t mx = test_mxcsr_config(cfg & 15) | ((cfg & 16) ? 0x20u : 0);

            for (int n = 0; n < 400; n++) {
                X86XMMReg d, s, m;

                test_sse_operands(ops[o].wide ? SSE_F64 : SSE_F32, &d, &s, &m);
                test_sse_tern_set(ea, &d, &s, &m, mx);
                test_sse_tern_set(eb, &d, &s, &m, mx);
                ops[o].full(ea, 2, 1);
                fast += lane_path(eb, ops[o].lane, ops[o].packed, ops[o].full, ops[o].wide);
                if (memcmp(&ea->xmm_regs[2], &eb->xmm_regs[2], 16) || ea->mxcsr != eb->mxcsr) {
                    test_mismatch(&bad, "%s mxcsr=%04x d=%016" PRIx64 ":%016" PRIx64
                                  " s=%016" PRIx64 ":%016" PRIx64 ": helper %016" PRIx64
                                  ":%016" PRIx64 " %04x, lanes %016" PRIx64 ":%016" PRIx64
                                  " %04x\n", ops[o].name, mx, d.q[1], d.q[0], s.q[1], s.q[0],
                                  ea->xmm_regs[2].q[1], ea->xmm_regs[2].q[0], ea->mxcsr,
                                  eb->xmm_regs[2].q[1], eb->xmm_regs[2].q[0], eb->mxcsr);
                }
            }
        }
    }
    printf("  %lu lane-path runs took the fast way, %lu mismatches\n", fast, bad);
    CHECK_EQ(bad, 0);
    CHECK(fast > 2000);     /* of 6400 runs in the common state */
}

static void test_sse_helpers_unmasked_vs_host(void)
{
    test_sse_unmasked_vs_host(cases, ARRAY_SIZE(cases), 16 * N_PER_CONFIG / 4,
                              16 * N_PER_CONFIG / 4);
}

int main(void)
{
    RUN_TEST(test_sse_helpers_vs_host);
    RUN_TEST(test_sse_helpers_unmasked_vs_host);
    RUN_TEST(test_sse_lane_fast_path);
    TEST_MAIN_END();
}

#else

int main(void)
{
    printf("SKIP test-sse-helper: no x86 host to compare with\n");
    return 0;
}

#endif
