/*
 * sse41_helper.c: SSE4.1 helpers, called from translate-sse.c (the
 * lane-wise integer ones, PMINxx..PMULLD, PACKUSDW: sse_int_helper.c).
 *
 * Same conventions as sse_helper.c and sse_int_helper.c: XMM register
 * numbers (SSE_XMM_T0 = the memory operand the translator loaded, of the
 * operand's size), d = op(d, s) or d = op(d, s, imm8), the source copied
 * first so that d == s works.  The blend-by-mask forms (PBLENDVB, BLENDVPS,
 * BLENDVPD) read their implicit mask from XMM0.
 *
 * The floating-point ones (ROUNDxx, DPPS, DPPD) use sse_helper.c's MXCSR
 * machinery: the flags of every lane and step are gathered in
 * env->sse_status, merged into MXCSR by sse_end(), which raises #XM (or #UD)
 * before the destination is written if one is unmasked.
 *  - ROUNDxx: imm8[1:0] is the rounding mode unless imm8[2] (then MXCSR.RC);
 *    imm8[3] suppresses PE (the flag is not set and cannot fault).  An SNaN
 *    gives its QNaN and IE; DAZ reads denormal inputs as zero; no DE.
 *  - DPPS/DPPD: Intel's order (SDM "DPPS"): the products selected by
 *    imm8[7:4] each rounded, unselected ones +0.0 (never computed, so they
 *    raise nothing), then (p0 + p1) + (p2 + p3), each sum rounded; the sum
 *    goes to the lanes selected by imm8[3:0], +0.0 elsewhere.  Exceptions
 *    and NaN choice per step, as the hardware computes it (see below).
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

/* ---- blends ----------------------------------------------------------------- */

/* d's lanes of size bytes whose bit in sel is set <- s's */
static void sse_blend(CPUX86State *env, uint32_t d, uint32_t s, unsigned size, uint32_t sel)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    for (unsigned i = 0; i < 16 / size; i++) {
        if ((sel >> i) & 1) {
            memcpy(&r->b[i * size], &b.b[i * size], size);
        }
    }
}

/* The sign bits of XMM0's lanes of size bytes: the blendv forms' mask */
static uint32_t sse_blendv_sel(CPUX86State *env, unsigned size)
{
    uint32_t sel = 0;

    for (unsigned i = 0; i < 16 / size; i++) {
        sel |= (uint32_t)(env->xmm_regs[0].b[i * size + size - 1] >> 7) << i;
    }
    return sel;
}

void helper_sse_pblendvb(CPUX86State *env, uint32_t d, uint32_t s)
{
    sse_blend(env, d, s, 1, sse_blendv_sel(env, 1));
}

void helper_sse_blendvps(CPUX86State *env, uint32_t d, uint32_t s)
{
    sse_blend(env, d, s, 4, sse_blendv_sel(env, 4));
}

void helper_sse_blendvpd(CPUX86State *env, uint32_t d, uint32_t s)
{
    sse_blend(env, d, s, 8, sse_blendv_sel(env, 8));
}

/* Lanes of s where imm8 bit i is set */
void helper_sse_blendps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    sse_blend(env, d, s, 4, imm);
}

void helper_sse_blendpd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    sse_blend(env, d, s, 8, imm);
}

void helper_sse_pblendw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    sse_blend(env, d, s, 2, imm);
}

/* ---- PTEST: ZF = (d AND s) == 0, CF = (NOT d AND s) == 0 ----------------------- */

uint64_t helper_sse_ptest(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *a = sse_xmm(env, d), *b = sse_xmm(env, s);
    uint64_t z = (a->q[0] & b->q[0]) | (a->q[1] & b->q[1]);
    uint64_t c = (~a->q[0] & b->q[0]) | (~a->q[1] & b->q[1]);

    return (z ? 0 : CC_Z) | (c ? 0 : CC_C);
}

/* ---- sign and zero extension: the low lanes of s, widened ---------------------- */

#define SSE_PMOVX(name, TO, FROM, n, CAST)                                    \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);                     \
    for (int i = 0; i < (n); i++) {                                           \
        r->TO[i] = (__typeof__(r->TO[0]))(CAST)b.FROM[i];                     \
    }                                                                         \
}
SSE_PMOVX(pmovsxbw, w, b, 8, int8_t)
SSE_PMOVX(pmovsxbd, l, b, 4, int8_t)
SSE_PMOVX(pmovsxbq, q, b, 2, int8_t)
SSE_PMOVX(pmovsxwd, l, w, 4, int16_t)
SSE_PMOVX(pmovsxwq, q, w, 2, int16_t)
SSE_PMOVX(pmovsxdq, q, l, 2, int32_t)
SSE_PMOVX(pmovzxbw, w, b, 8, uint8_t)
SSE_PMOVX(pmovzxbd, l, b, 4, uint8_t)
SSE_PMOVX(pmovzxbq, q, b, 2, uint8_t)
SSE_PMOVX(pmovzxwd, l, w, 4, uint16_t)
SSE_PMOVX(pmovzxwq, q, w, 2, uint16_t)
SSE_PMOVX(pmovzxdq, q, l, 2, uint32_t)

/* The smallest unsigned word of s and its (lowest) index; the rest zero */
void helper_sse_phminposuw(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);
    unsigned idx = 0;

    for (unsigned i = 1; i < 8; i++) {
        if (b.w[i] < b.w[idx]) {
            idx = i;
        }
    }
    r->q[1] = 0;
    r->q[0] = b.w[idx] | (uint64_t)idx << 16;
}

/*
 * MPSADBW: eight sums of absolute differences of four bytes: the source
 * block at dword imm8[1:0] of s against d's bytes from 4 * imm8[2] + i.
 */
void helper_sse_mpsadbw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);
    unsigned so = (imm & 3) * 4, dof = ((imm >> 2) & 1) * 4;

    for (unsigned i = 0; i < 8; i++) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            int x = a.b[dof + i + j], y = b.b[so + j];
            sum += (unsigned)(x > y ? x - y : y - x);
        }
        r->w[i] = (uint16_t)sum;
    }
}

/*
 * INSERTPS: dword imm8[7:6] of a register source (a memory source is the
 * loaded dword itself) into lane imm8[5:4], then the lanes in imm8[3:0]
 * zeroed.
 */
void helper_sse_insertps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d);
    uint32_t v = s == SSE_XMM_T0 ? env->xmm_t0.l[0] : sse_xmm(env, s)->l[(imm >> 6) & 3];

    r->l[(imm >> 4) & 3] = v;
    for (int i = 0; i < 4; i++) {
        if ((imm >> i) & 1) {
            r->l[i] = 0;
        }
    }
}

/* ---- floating point -------------------------------------------------------------- */

/* ROUNDxx imm8: the rounding mode (bits 1:0, or MXCSR.RC with bit 2) */
static void sse_round_begin(CPUX86State *env, uint32_t imm, uint8_t *saved_rc)
{
    sse_begin(env);
    *saved_rc = env->sse_status.rounding_mode;
    if (!(imm & 4)) {
        env->sse_status.rounding_mode = imm & 3;
    }
}

/* and bit 3: PE neither set nor raised */
static void sse_round_end(CPUX86State *env, uint32_t imm, uint8_t saved_rc, uintptr_t ra)
{
    env->sse_status.rounding_mode = saved_rc;
    if (imm & 8) {
        env->sse_status.exception_flags &= ~float_flag_inexact;
    }
    sse_end(env, ra);
}

#define SSE_ROUND(name, F, n, fn)                                             \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm) \
{                                                                             \
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r = *a;             \
    uint8_t rc;                                                               \
    sse_round_begin(env, imm, &rc);                                           \
    for (int i = 0; i < (n); i++) {                                           \
        r.F[i] = fn(b.F[i], &env->sse_status);                                \
    }                                                                         \
    sse_round_end(env, imm, rc, GETPC());                                     \
    *a = r;                                                                   \
}
SSE_ROUND(roundps, l, 4, float32_round_to_int)
SSE_ROUND(roundss, l, 1, float32_round_to_int)
SSE_ROUND(roundpd, q, 2, float64_round_to_int)
SSE_ROUND(roundsd, q, 1, float64_round_to_int)

/*
 * DPPS/DPPD run as SIMD steps, as on Intel hardware: the products, then
 * one (DPPD) or two (DPPS) rounds of sums; each step ends like a whole
 * SSE instruction (sse_end: its flags into MXCSR, #XM if one is unmasked),
 * so a fault in the products reports only theirs.  The steps' operand
 * order matters for NaNs (the first NaN operand wins): DPPS lane i gets
 * q[i] + q[i ^ 2] with q[i] = p[i ^ 1] + p[i]; DPPD lane i gets
 * p[i] + p[i ^ 1].
 */
void helper_sse_dpps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r;
    float_status *st = &env->sse_status;
    uintptr_t ra = GETPC();
    float32 p[4], q[4];

    sse_begin(env);
    for (int i = 0; i < 4; i++) {
        p[i] = ((imm >> (4 + i)) & 1) ? float32_mul(a->l[i], b.l[i], st) : 0;
    }
    sse_end(env, ra);
    sse_begin(env);
    for (int i = 0; i < 4; i++) {
        q[i] = float32_add(p[i ^ 1], p[i], st);
    }
    sse_end(env, ra);
    sse_begin(env);
    for (int i = 0; i < 4; i++) {
        r.l[i] = float32_add(q[i], q[i ^ 2], st);
    }
    sse_end(env, ra);
    for (int i = 0; i < 4; i++) {
        r.l[i] = ((imm >> i) & 1) ? r.l[i] : 0;
    }
    *a = r;
}

void helper_sse_dppd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *a = sse_xmm(env, d), b = *sse_xmm(env, s), r;
    float_status *st = &env->sse_status;
    uintptr_t ra = GETPC();
    float64 p[2];

    sse_begin(env);
    for (int i = 0; i < 2; i++) {
        p[i] = ((imm >> (4 + i)) & 1) ? float64_mul(a->q[i], b.q[i], st) : 0;
    }
    sse_end(env, ra);
    sse_begin(env);
    for (int i = 0; i < 2; i++) {
        r.q[i] = float64_add(p[i], p[i ^ 1], st);
    }
    sse_end(env, ra);
    for (int i = 0; i < 2; i++) {
        r.q[i] = ((imm >> i) & 1) ? r.q[i] : 0;
    }
    *a = r;
}
