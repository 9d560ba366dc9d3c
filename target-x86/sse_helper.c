/*
 * sse_helper.c: SSE/SSE2/SSE3 floating point, conversions, MXCSR and
 * FXSAVE/FXRSTOR, called from translate-sse.c.
 *
 * Helpers take XMM register numbers (0-15; 16 names env->xmm_t0, where the
 * translator loaded a memory operand) and work in place on env.  Every
 * floating-point helper computes its whole result into a local copy with
 * env->sse_status (rounding, FTZ, DAZ from MXCSR), ORs the exception flags
 * into MXCSR, and raises #XM (#UD without CR4.OSXMMEXCPT) before writing
 * the destination if a flag it raised is unmasked, as SSE does.
 *
 * RCPSS/RCPPS/RSQRTSS/RSQRTPS: Intel documents only |error| <= 1.5 * 2^-12
 * and the exact values differ by CPU model.  tern's rule: the correctly
 * rounded (to nearest) 1/x or 1/sqrt(x), truncated to 12 significant bits;
 * denormal inputs count as zero, tiny results flush to zero, no flags.
 * The differential tester masks these results.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"
#include "target-x86/x87.h"
#include "util/softfloat-host.h"

/* ---- MXCSR and exceptions -------------------------------------------- */

void x86_sse_update_status(CPUX86State *env)
{
    float_status *s = &env->sse_status;

    s->rounding_mode = (env->mxcsr >> MXCSR_RC_SHIFT) & 3;
    s->denormals_are_zero = env->mxcsr & MXCSR_DAZ;
    /* FTZ applies only while underflow is masked; unmasked, exact tiny
     * results raise UE too */
    s->underflow_unmasked = !(env->mxcsr & MXCSR_UM);
    s->overflow_unmasked = !(env->mxcsr & MXCSR_OM);
    s->flush_to_zero = (env->mxcsr & MXCSR_FZ) && !s->underflow_unmasked;
}

void sse_begin(CPUX86State *env)
{
    /* A PE already set in MXCSR and masked cannot change whatever this
     * instruction does; starting with it lets softfloat compute on the host
     * (see "host fast path" in util/softfloat.c). */
    bool pe_sticky = (env->mxcsr & float_flag_inexact) &&
                     ((env->mxcsr >> 7) & float_flag_inexact);

    env->sse_status.exception_flags = pe_sticky ? float_flag_inexact : 0;
}

/*
 * Merge the flags into MXCSR; unmasked ones fault (ra: the helper's GETPC).
 * SSE checks in two phases: an unmasked pre-computation exception (IE, DE,
 * ZE of any lane) faults before any result exists, so only those flags are
 * set; otherwise all flags are set and an unmasked OE, UE or PE faults
 * (softfloat reports trapped OE/UE as x86 does, see float_status).
 */
void sse_end(CPUX86State *env, uintptr_t ra)
{
    uint32_t flags = env->sse_status.exception_flags;
    uint32_t unmasked = ~(env->mxcsr >> 7) & MXCSR_FLAGS_MASK;
    uint32_t pre = flags & (float_flag_invalid | float_flag_denormal | float_flag_divbyzero);

    if (pre & unmasked) {
        flags = pre;
    }
    env->mxcsr |= flags;
    if (flags & unmasked) {
        raise_exception_ra(env, (env->cr[4] & CR4_OSXMMEXCPT_MASK) ? EXCP13_XF : EXCP06_ILLOP,
                           ra);
    }
}

void helper_sse_align16(CPUX86State *env, uint64_t addr)
{
    if (addr & 15) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
}

void helper_sse_probe_st16(CPUX86State *env, uint64_t addr)
{
    probe_write(env_cpu(env), addr, 16, x86_cpu_mmu_index(env), GETPC());
}

/* ---- lane operations ---------------------------------------------------- */

static float32 daz32(float32 a, float_status *s)
{
    return s->denormals_are_zero && float32_is_denormal(a) ? a & 0x80000000u : a;
}

static float64 daz64(float64 a, float_status *s)
{
    return s->denormals_are_zero && float64_is_denormal(a) ? a & (1ull << 63) : a;
}

/* MIN/MAX: the first operand if it compares less (greater), else the
 * second: so the second on NaN (IE even for QNaN) or equal values. */
static float32 sse_min32(float32 a, float32 b, float_status *s)
{
    a = daz32(a, s);
    b = daz32(b, s);
    return float32_compare(a, b, s) == float_relation_less ? a : b;
}

static float32 sse_max32(float32 a, float32 b, float_status *s)
{
    a = daz32(a, s);
    b = daz32(b, s);
    return float32_compare(a, b, s) == float_relation_greater ? a : b;
}

static float64 sse_min64(float64 a, float64 b, float_status *s)
{
    a = daz64(a, s);
    b = daz64(b, s);
    return float64_compare(a, b, s) == float_relation_less ? a : b;
}

static float64 sse_max64(float64 a, float64 b, float_status *s)
{
    a = daz64(a, s);
    b = daz64(b, s);
    return float64_compare(a, b, s) == float_relation_greater ? a : b;
}

/* The RCP/RSQRT approximation rule (see the header comment). */
static float32 sse_approx(float32 b, bool rsqrt)
{
    float_status st = { .rounding_mode = float_round_nearest_even,
                        .flush_to_zero = true, .denormals_are_zero = true };
    float32 r;

    if (rsqrt) {
        b = float32_sqrt(b, &st);
    }
    r = float32_div(0x3f800000u, b, &st);
    return float32_is_any_nan(r) ? r : r & ~0x7ffu;
}

static float32 sse_rcp32(float32 b, float_status *s)
{
    return sse_approx(b, false);
}

static float32 sse_rsqrt32(float32 b, float_status *s)
{
    return sse_approx(b, true);
}

/* ---- arithmetic helpers ------------------------------------------------- */

/* name: r.F[i] = fn(a.F[i], b.F[i]) for i < n; the other lanes keep a's */
#define SSE_FOP2(name, F, n, fn)                                              \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r = *a;             \
    sse_begin(env);                                                           \
    for (int i = 0; i < (n); i++) {                                           \
        r.F[i] = fn(a->F[i], b.F[i], &env->sse_status);                       \
    }                                                                         \
    sse_end(env, GETPC());                                                    \
    *a = r;                                                                   \
}
#define SSE_FOP1(name, F, n, fn)                                              \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r = *a;             \
    sse_begin(env);                                                           \
    for (int i = 0; i < (n); i++) {                                           \
        r.F[i] = fn(b.F[i], &env->sse_status);                                \
    }                                                                         \
    sse_end(env, GETPC());                                                    \
    *a = r;                                                                   \
}
/* the ps, ss, pd, sd forms */
#define SSE_FOP2_ALL(op, fn32, fn64)                                          \
    SSE_FOP2(op##ps, l, 4, fn32) SSE_FOP2(op##ss, l, 1, fn32)                \
    SSE_FOP2(op##pd, q, 2, fn64) SSE_FOP2(op##sd, q, 1, fn64)

SSE_FOP2_ALL(add, float32_add, float64_add)
SSE_FOP2_ALL(sub, float32_sub, float64_sub)
SSE_FOP2_ALL(mul, float32_mul, float64_mul)
SSE_FOP2_ALL(div, float32_div, float64_div)
SSE_FOP2_ALL(min, sse_min32, sse_min64)
SSE_FOP2_ALL(max, sse_max32, sse_max64)
SSE_FOP1(sqrtps, l, 4, float32_sqrt)
SSE_FOP1(sqrtss, l, 1, float32_sqrt)
SSE_FOP1(sqrtpd, q, 2, float64_sqrt)
SSE_FOP1(sqrtsd, q, 1, float64_sqrt)
SSE_FOP1(rcpps, l, 4, sse_rcp32)
SSE_FOP1(rcpss, l, 1, sse_rcp32)
SSE_FOP1(rsqrtps, l, 4, sse_rsqrt32)
SSE_FOP1(rsqrtss, l, 1, sse_rsqrt32)

/*
 * The lane fast path (translate-sse.c, gen_sse_farith): generated code
 * calls these pure helpers lane by lane and stores the results, with no
 * guest state written back first, when none returns SSE_LANE_SLOW.  They
 * only compute in MXCSR's common state, every exception masked, round to
 * nearest, no FZ or DAZ, and PE already raised, and only accept a lane
 * that raised no flag but PE: then the instruction's full helper would
 * give the same result and leave MXCSR as it is.  Anything else returns
 * SSE_LANE_SLOW and the full helper runs (and sets flags, or faults).
 */
#define SSE_LANE_STATE_MASK (MXCSR_MASKS | MXCSR_FZ | MXCSR_DAZ | (3u << MXCSR_RC_SHIFT) | \
                             float_flag_inexact)
static bool sse_lane_state_ok(const CPUX86State *env)
{
    return (env->mxcsr & SSE_LANE_STATE_MASK) == (MXCSR_MASKS | float_flag_inexact);
}

/* One lane, the state checked: the result or SSE_LANE_SLOW */
#define SSE_LANE_OP(name, T, op)                                              \
static inline uint64_t sse_lane_##name(T a, T b)                              \
{                                                                             \
    float_status st = { .rounding_mode = float_round_nearest_even,            \
                        .exception_flags = float_flag_inexact };              \
    T r;                                                                      \
                                                                              \
    if (T##_host_##op(a, b, &st, &r)) {         /* inline: no call */        \
        return r;                                                             \
    }                                                                         \
    r = T##_##op(a, b, &st);                                                  \
    return st.exception_flags == float_flag_inexact ? (uint64_t)r : SSE_LANE_SLOW; \
}                                                                             \
uint64_t helper_sse_lane_##name(CPUX86State *env, uint64_t a, uint64_t b)    \
{                                                                             \
    return sse_lane_state_ok(env) ? sse_lane_##name((T)a, (T)b) : SSE_LANE_SLOW; \
}
SSE_LANE_OP(add32, float32, add) SSE_LANE_OP(sub32, float32, sub)
SSE_LANE_OP(mul32, float32, mul) SSE_LANE_OP(div32, float32, div)
SSE_LANE_OP(add64, float64, add) SSE_LANE_OP(sub64, float64, sub)
SSE_LANE_OP(mul64, float64, mul) SSE_LANE_OP(div64, float64, div)

/* A packed instruction's lanes in one call (field l: 4 x 32, q: 2 x 64) */
#define SSE_PACKED(name, lane, field, n)                                      \
uint32_t helper_sse_packed_##name(CPUX86State *env, uint32_t d, uint32_t s)  \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), *b = sse_xmm(env, s), r;                  \
                                                                              \
    if (!sse_lane_state_ok(env)) {                                            \
        return 0;                                                             \
    }                                                                         \
    for (int i = 0; i < (n); i++) {                                           \
        uint64_t v = sse_lane_##lane(a->field[i], b->field[i]);              \
        if (v == SSE_LANE_SLOW) {                                             \
            return 0;                                                         \
        }                                                                     \
        r.field[i] = v;                                                       \
    }                                                                         \
    *a = r;                                                                   \
    return 1;                                                                 \
}
SSE_PACKED(addps, add32, l, 4) SSE_PACKED(subps, sub32, l, 4)
SSE_PACKED(mulps, mul32, l, 4) SSE_PACKED(divps, div32, l, 4)
SSE_PACKED(addpd, add64, q, 2) SSE_PACKED(subpd, sub64, q, 2)
SSE_PACKED(mulpd, mul64, q, 2) SSE_PACKED(divpd, div64, q, 2)

/* SSE3: lanes that pair differently */
void helper_sse_addsubps(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r;
    float_status *st = &env->sse_status;

    sse_begin(env);
    for (int i = 0; i < 4; i++) {
        r.l[i] = (i & 1) ? float32_add(a->l[i], b.l[i], st) : float32_sub(a->l[i], b.l[i], st);
    }
    sse_end(env, GETPC());
    *a = r;
}

void helper_sse_addsubpd(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r;
    float_status *st = &env->sse_status;

    sse_begin(env);
    r.q[0] = float64_sub(a->q[0], b.q[0], st);
    r.q[1] = float64_add(a->q[1], b.q[1], st);
    sse_end(env, GETPC());
    *a = r;
}

/* HADD/HSUB: adjacent pairs of the destination, then of the source */
#define SSE_HOP(name, F, n, fn)                                               \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r;                  \
    sse_begin(env);                                                           \
    for (int i = 0; i < (n) / 2; i++) {                                       \
        r.F[i] = fn(a->F[2 * i], a->F[2 * i + 1], &env->sse_status);          \
        r.F[i + (n) / 2] = fn(b.F[2 * i], b.F[2 * i + 1], &env->sse_status);  \
    }                                                                         \
    sse_end(env, GETPC());                                                    \
    *a = r;                                                                   \
}
SSE_HOP(haddps, l, 4, float32_add)
SSE_HOP(hsubps, l, 4, float32_sub)
SSE_HOP(haddpd, q, 2, float64_add)
SSE_HOP(hsubpd, q, 2, float64_sub)

/* ---- compares ------------------------------------------------------------ */

/* CMPccPS predicate imm & 7 on a relation; predicates 1 2 5 6 signal on QNaN */
static bool sse_cmp_true(int rel, unsigned imm)
{
    bool lt = rel == float_relation_less, eq = rel == float_relation_equal;
    bool un = rel == float_relation_unordered;

    switch (imm & 7) {
    case 0: return eq;
    case 1: return lt;
    case 2: return lt || eq;
    case 3: return un;
    case 4: return !eq;
    case 5: return !lt;
    case 6: return !(lt || eq);
    default: return !un;
    }
}

static bool sse_cmp_signals(unsigned imm)
{
    return (imm & 3) == 1 || (imm & 3) == 2;
}

#define SSE_CMP(name, F, n, T)                                                \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm) \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r = *a;             \
    sse_begin(env);                                                           \
    for (int i = 0; i < (n); i++) {                                           \
        int rel = sse_cmp_signals(imm) ? T##_compare(a->F[i], b.F[i], &env->sse_status) \
                  : T##_compare_quiet(a->F[i], b.F[i], &env->sse_status);    \
        r.F[i] = sse_cmp_true(rel, imm) ? ~(__typeof__(r.F[i]))0 : 0;         \
    }                                                                         \
    sse_end(env, GETPC());                                                    \
    *a = r;                                                                   \
}
SSE_CMP(cmpps, l, 4, float32)
SSE_CMP(cmpss, l, 1, float32)
SSE_CMP(cmppd, q, 2, float64)
SSE_CMP(cmpsd, q, 1, float64)

/* (U)COMISS/SD: ZF PF CF from the relation, OF SF AF clear (EFLAGS bits) */
static uint64_t sse_comi_flags(int rel)
{
    switch (rel) {
    case float_relation_less: return CC_C;
    case float_relation_equal: return CC_Z;
    case float_relation_greater: return 0;
    default: return CC_Z | CC_P | CC_C;
    }
}

#define SSE_COMI(name, F, T, quiet)                                           \
uint64_t helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)          \
{                                                                             \
    int rel;                                                                  \
    sse_begin(env);                                                           \
    rel = quiet ? T##_compare_quiet(sse_xmm(env, d)->F[0], sse_xmm(env, s)->F[0], \
                                    &env->sse_status)                         \
                : T##_compare(sse_xmm(env, d)->F[0], sse_xmm(env, s)->F[0],  \
                              &env->sse_status);                              \
    sse_end(env, GETPC());                                                    \
    return sse_comi_flags(rel);                                               \
}
SSE_COMI(comiss, l, float32, false)
SSE_COMI(ucomiss, l, float32, true)
SSE_COMI(comisd, q, float64, false)
SSE_COMI(ucomisd, q, float64, true)

/* ---- conversions --------------------------------------------------------- */

/* name: r.TO[i] = fn(b.FROM[i]) for i < n; with zero_hi the upper
 * quadword of the result is cleared, else r starts as a copy of a */
#define SSE_CVT(name, TO, FROM, n, fn, zero_hi)                               \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r = *a;             \
    sse_begin(env);                                                           \
    if (zero_hi) {                                                            \
        r.q[1] = 0;                                                           \
    }                                                                         \
    for (int i = 0; i < (n); i++) {                                           \
        r.TO[i] = fn(b.FROM[i], &env->sse_status);                            \
    }                                                                         \
    sse_end(env, GETPC());                                                    \
    *a = r;                                                                   \
}
SSE_CVT(cvtps2pd, q, l, 2, float32_to_float64, false)
SSE_CVT(cvtpd2ps, l, q, 2, float64_to_float32, true)
SSE_CVT(cvtss2sd, q, l, 1, float32_to_float64, false)
SSE_CVT(cvtsd2ss, l, q, 1, float64_to_float32, false)
SSE_CVT(cvtdq2ps, l, l, 4, int32_to_float32, false)
SSE_CVT(cvtps2dq, l, l, 4, float32_to_int32, false)
SSE_CVT(cvttps2dq, l, l, 4, float32_to_int32_round_to_zero, false)
SSE_CVT(cvtdq2pd, q, l, 2, int32_to_float64, false)
SSE_CVT(cvtpd2dq, l, q, 2, float64_to_int32, true)
SSE_CVT(cvttpd2dq, l, q, 2, float64_to_int32_round_to_zero, true)

/* CVTSI2SS/SD: v is the integer sign-extended to 64 bits */
void helper_sse_cvtsi2ss(CPUX86State *env, uint32_t d, uint64_t v)
{
    float32 r;

    sse_begin(env);
    r = int64_to_float32((int64_t)v, &env->sse_status);
    sse_end(env, GETPC());
    sse_xmm(env, d)->l[0] = r;
}

void helper_sse_cvtsi2sd(CPUX86State *env, uint32_t d, uint64_t v)
{
    float64 r;

    sse_begin(env);
    r = int64_to_float64((int64_t)v, &env->sse_status);
    sse_end(env, GETPC());
    sse_xmm(env, d)->q[0] = r;
}

/* CVT(T)SS2SI / CVT(T)SD2SI: mode = SSE_CVT_64 | SSE_CVT_TRUNC */
uint64_t helper_sse_cvtss2si(CPUX86State *env, uint32_t s, uint32_t mode)
{
    float32 a = sse_xmm(env, s)->l[0];
    float_status *st = &env->sse_status;
    uint64_t r;

    sse_begin(env);
    if (mode & SSE_CVT_64) {
        r = (mode & SSE_CVT_TRUNC) ? float32_to_int64_round_to_zero(a, st) : float32_to_int64(a, st);
    } else {
        r = (uint32_t)((mode & SSE_CVT_TRUNC) ? float32_to_int32_round_to_zero(a, st)
                                              : float32_to_int32(a, st));
    }
    sse_end(env, GETPC());
    return r;
}

uint64_t helper_sse_cvtsd2si(CPUX86State *env, uint32_t s, uint32_t mode)
{
    float64 a = sse_xmm(env, s)->q[0];
    float_status *st = &env->sse_status;
    uint64_t r;

    sse_begin(env);
    if (mode & SSE_CVT_64) {
        r = (mode & SSE_CVT_TRUNC) ? float64_to_int64_round_to_zero(a, st) : float64_to_int64(a, st);
    } else {
        r = (uint32_t)((mode & SSE_CVT_TRUNC) ? float64_to_int32_round_to_zero(a, st)
                                              : float64_to_int32(a, st));
    }
    sse_end(env, GETPC());
    return r;
}

/* ---- MASKMOVDQU ----------------------------------------------------------- */

/* Byte stores in order: a fault leaves the bytes before it written. */
void helper_sse_maskmovdqu(CPUX86State *env, uint32_t d, uint32_t s, uint64_t addr)
{
    X86XMMReg v = *sse_xmm(env, d), m = *sse_xmm(env, s);

    for (int i = 0; i < 16; i++) {
        if (m.b[i] & 0x80) {
            cpu_st_data_ra(env_cpu(env), addr + i, v.b[i], MO_8, x86_cpu_mmu_index(env), GETPC());
        }
    }
}

/* ---- MXCSR, FXSAVE, FXRSTOR ---------------------------------------------- */

/* MXCSR bits tern implements (FXSAVE's MXCSR_MASK): all of 0-15, DAZ too */
#define MXCSR_SUPPORTED 0xffffu

void helper_ldmxcsr(CPUX86State *env, uint32_t val)
{
    if (val & ~MXCSR_SUPPORTED) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->mxcsr = val;
    x86_sse_update_status(env);
}

/* The FXSAVE area (SDM vol. 1 table 10-2) */
enum {
    FXS_FCW = 0, FXS_FSW = 2, FXS_FTW = 4, FXS_FOP = 6, FXS_FIP = 8, FXS_FCS = 12,
    FXS_FDP = 16, FXS_FDS = 20, FXS_MXCSR = 24, FXS_MXCSR_MASK = 28,
    FXS_ST0 = 32, FXS_XMM0 = 160,
};

static void fx_st(CPUX86State *env, uint64_t a, uint64_t v, MemOp op, uintptr_t ra)
{
    cpu_st_data_ra(env_cpu(env), a, v, op, x86_cpu_mmu_index(env), ra);
}

static uint64_t fx_ld(CPUX86State *env, uint64_t a, MemOp op, uintptr_t ra)
{
    return cpu_ld_data_ra(env_cpu(env), a, op, x86_cpu_mmu_index(env), ra);
}

/* XMM registers the FXSAVE image holds: 16 in 64-bit mode, else 8 */
static int fx_nb_xmm(CPUX86State *env)
{
    return (env->hflags & HF_CS64_MASK) ? 16 : 8;
}

/*
 * The parts of the image, shared with XSAVE/XRSTOR (xsave_helper.c, whose
 * legacy region is this image): x87 state (bytes 0-23 but MXCSR, 32-159),
 * MXCSR and MXCSR_MASK (24-31), XMM registers (160-415).
 */
void x86_fx_save_x87(CPUX86State *env, uint64_t a, bool w64, uintptr_t ra)
{
    uint16_t fsw = (env->fpus & ~(7u << FPUS_TOP_SHIFT)) | (env->fpstt & 7) << FPUS_TOP_SHIFT;
    uint8_t ftw = 0;
    int i;

    for (i = 0; i < 8; i++) {
        ftw |= (!env->fptags[i]) << i;       /* abridged: 1 = valid */
    }
    fx_st(env, a + FXS_FCW, env->fpuc, MO_16, ra);
    fx_st(env, a + FXS_FSW, fsw, MO_16, ra);
    fx_st(env, a + FXS_FTW, ftw, MO_16, ra);     /* byte 5 reserved: 0 */
    fx_st(env, a + FXS_FOP, env->fpop, MO_16, ra);
    if (w64) {
        fx_st(env, a + FXS_FIP, env->fpip, MO_64, ra);
        fx_st(env, a + FXS_FDP, env->fpdp, MO_64, ra);
    } else {
        fx_st(env, a + FXS_FIP, (uint32_t)env->fpip, MO_32, ra);
        fx_st(env, a + FXS_FCS, env->fpcs, MO_32, ra);
        fx_st(env, a + FXS_FDP, (uint32_t)env->fpdp, MO_32, ra);
        fx_st(env, a + FXS_FDS, env->fpds, MO_32, ra);
    }
    for (i = 0; i < 8; i++) {
        const floatx80 *f = &env->fpregs[(env->fpstt + i) & 7];
        uint64_t p = a + FXS_ST0 + 16 * i;
        fx_st(env, p, f->low, MO_64, ra);
        fx_st(env, p + 8, f->high, MO_64, ra);   /* bytes 10-15 reserved: 0 */
    }
}

void x86_fx_save_mxcsr(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    fx_st(env, a + FXS_MXCSR, env->mxcsr, MO_32, ra);
    fx_st(env, a + FXS_MXCSR_MASK, MXCSR_SUPPORTED, MO_32, ra);
}

void x86_fx_save_xmm(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    for (int i = 0; i < fx_nb_xmm(env); i++) {
        fx_st(env, a + FXS_XMM0 + 16 * i, env->xmm_regs[i].q[0], MO_64, ra);
        fx_st(env, a + FXS_XMM0 + 16 * i + 8, env->xmm_regs[i].q[1], MO_64, ra);
    }
}

void x86_fx_load_x87(CPUX86State *env, uint64_t a, bool w64, X86FxImage *im, uintptr_t ra)
{
    im->fcw = (uint16_t)fx_ld(env, a + FXS_FCW, MO_16, ra);
    im->fsw = (uint16_t)fx_ld(env, a + FXS_FSW, MO_16, ra);
    im->ftw = (uint8_t)fx_ld(env, a + FXS_FTW, MO_8, ra);
    im->fop = (uint16_t)fx_ld(env, a + FXS_FOP, MO_16, ra);
    im->fcs = im->fds = 0;
    if (w64) {
        im->fip = fx_ld(env, a + FXS_FIP, MO_64, ra);
        im->fdp = fx_ld(env, a + FXS_FDP, MO_64, ra);
    } else {
        im->fip = fx_ld(env, a + FXS_FIP, MO_32, ra);
        im->fcs = (uint16_t)fx_ld(env, a + FXS_FCS, MO_16, ra);
        im->fdp = fx_ld(env, a + FXS_FDP, MO_32, ra);
        im->fds = (uint16_t)fx_ld(env, a + FXS_FDS, MO_16, ra);
    }
    for (int i = 0; i < 8; i++) {
        im->st[i].low = fx_ld(env, a + FXS_ST0 + 16 * i, MO_64, ra);
        im->st[i].high = (uint16_t)fx_ld(env, a + FXS_ST0 + 16 * i + 8, MO_16, ra);
    }
}

void x86_fx_load_mxcsr(CPUX86State *env, uint64_t a, X86FxImage *im, uintptr_t ra)
{
    im->mxcsr = (uint32_t)fx_ld(env, a + FXS_MXCSR, MO_32, ra);
    if (im->mxcsr & ~MXCSR_SUPPORTED) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

void x86_fx_load_xmm(CPUX86State *env, uint64_t a, X86FxImage *im, uintptr_t ra)
{
    for (int i = 0; i < fx_nb_xmm(env); i++) {
        im->xmm[i].q[0] = fx_ld(env, a + FXS_XMM0 + 16 * i, MO_64, ra);
        im->xmm[i].q[1] = fx_ld(env, a + FXS_XMM0 + 16 * i + 8, MO_64, ra);
    }
}

void x86_fx_commit_x87(CPUX86State *env, const X86FxImage *im)
{
    env->fpstt = (im->fsw >> FPUS_TOP_SHIFT) & 7;
    env->fpus = im->fsw & ~(7u << FPUS_TOP_SHIFT);
    env->fpop = im->fop & 0x7ff;
    env->fpip = im->fip;
    env->fpdp = im->fdp;
    /* FCS and FDS are deprecated (CPUID.7.EBX[13], cpu.c): saved as 0 */
    env->fpcs = env->fpds = 0;
    for (int i = 0; i < 8; i++) {
        env->fptags[i] = !((im->ftw >> i) & 1);
        env->fpregs[(env->fpstt + i) & 7] = im->st[i];
    }
    /* the control word as written (and ES/B from it), after fpus */
    x86_fpu_load_control(env, im->fcw);
}

void x86_fx_commit_mxcsr(CPUX86State *env, uint32_t mxcsr)
{
    env->mxcsr = mxcsr;
    x86_sse_update_status(env);
}

void x86_fx_commit_xmm(CPUX86State *env, const X86FxImage *im)
{
    memcpy(env->xmm_regs, im->xmm, sizeof(X86XMMReg) * fx_nb_xmm(env));
}

/* mode: SSE_FX_64 for the REX.W form (64-bit FIP/FDP) */
void helper_fxsave(CPUX86State *env, uint64_t a, uint32_t mode)
{
    uintptr_t ra = GETPC();

    x86_check_alignment(env, a, 4, ra);     /* #AC before #GP, as the host */
    if (a & 15) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    x86_fx_save_x87(env, a, mode & SSE_FX_64, ra);
    x86_fx_save_mxcsr(env, a, ra);
    x86_fx_save_xmm(env, a, ra);
}

void helper_fxrstor(CPUX86State *env, uint64_t a, uint32_t mode)
{
    uintptr_t ra = GETPC();
    X86FxImage im;

    x86_check_alignment(env, a, 4, ra);     /* #AC before #GP, as the host */
    if (a & 15) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    /* read everything before changing any state: a fault leaves it as it was */
    x86_fx_load_mxcsr(env, a, &im, ra);
    x86_fx_load_x87(env, a, mode & SSE_FX_64, &im, ra);
    x86_fx_load_xmm(env, a, &im, ra);
    x86_fx_commit_x87(env, &im);
    x86_fx_commit_xmm(env, &im);
    x86_fx_commit_mxcsr(env, im.mxcsr);
}
