/*
 * sse_int_helper.c: SSE2/SSSE3 integer SIMD and shuffles on XMM registers,
 * and SSE4.1's lane-wise integer operations, called from translate-sse.c
 * (the cheap 64-bit-lane operations, PAND..PXOR and PADDQ/PSUBQ, are
 * translated to IR instead).
 *
 * Every helper is "d = op(d, s)" on XMM register numbers (SSE_XMM_T0 = the
 * loaded memory operand), reading the source into a copy first so that
 * d == s works.  None of them can fault.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

static inline int32_t sat_s(int64_t v, int64_t lo, int64_t hi)
{
    return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}
#define SAT_S8(v)  ((uint8_t)sat_s((v), -128, 127))
#define SAT_U8(v)  ((uint8_t)sat_s((v), 0, 255))
#define SAT_S16(v) ((uint16_t)sat_s((v), -32768, 32767))
#define SAT_U16(v) ((uint16_t)sat_s((v), 0, 65535))

/* Lane-wise: r.F[i] = EXPR, with A = d's lane and B = s's lane. */
#define SSE_IOP(name, F, n, EXPR)                                             \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);                     \
    for (int i = 0; i < (n); i++) {                                           \
        __typeof__(b.F[0]) A = r->F[i], B = b.F[i];                           \
        (void)A;                                                              \
        r->F[i] = (__typeof__(b.F[0]))(EXPR);                                 \
    }                                                                         \
}
#define S8(x)  ((int8_t)(x))
#define S16(x) ((int16_t)(x))
#define S32(x) ((int32_t)(x))

SSE_IOP(paddb, b, 16, A + B)
SSE_IOP(paddw, w, 8, A + B)
SSE_IOP(paddd, l, 4, A + B)
SSE_IOP(psubb, b, 16, A - B)
SSE_IOP(psubw, w, 8, A - B)
SSE_IOP(psubd, l, 4, A - B)
SSE_IOP(paddsb, b, 16, SAT_S8(S8(A) + S8(B)))
SSE_IOP(paddsw, w, 8, SAT_S16(S16(A) + S16(B)))
SSE_IOP(paddusb, b, 16, SAT_U8(A + B))
SSE_IOP(paddusw, w, 8, SAT_U16(A + B))
SSE_IOP(psubsb, b, 16, SAT_S8(S8(A) - S8(B)))
SSE_IOP(psubsw, w, 8, SAT_S16(S16(A) - S16(B)))
SSE_IOP(psubusb, b, 16, SAT_U8(A - B))
SSE_IOP(psubusw, w, 8, SAT_U16(A - B))
SSE_IOP(pcmpeqb, b, 16, A == B ? 0xff : 0)
SSE_IOP(pcmpeqw, w, 8, A == B ? 0xffff : 0)
SSE_IOP(pcmpeqd, l, 4, A == B ? 0xffffffffu : 0)
SSE_IOP(pcmpgtb, b, 16, S8(A) > S8(B) ? 0xff : 0)
SSE_IOP(pcmpgtw, w, 8, S16(A) > S16(B) ? 0xffff : 0)
SSE_IOP(pcmpgtd, l, 4, S32(A) > S32(B) ? 0xffffffffu : 0)
SSE_IOP(pmullw, w, 8, (uint32_t)(S16(A) * S16(B)))
SSE_IOP(pmulhw, w, 8, (uint32_t)(S16(A) * S16(B)) >> 16)
SSE_IOP(pmulhuw, w, 8, ((uint32_t)A * B) >> 16)
SSE_IOP(pavgb, b, 16, (A + B + 1) >> 1)
SSE_IOP(pavgw, w, 8, ((uint32_t)A + B + 1) >> 1)
SSE_IOP(pminub, b, 16, A < B ? A : B)
SSE_IOP(pmaxub, b, 16, A > B ? A : B)
SSE_IOP(pminsw, w, 8, S16(A) < S16(B) ? A : B)
SSE_IOP(pmaxsw, w, 8, S16(A) > S16(B) ? A : B)
/* SSSE3 */
SSE_IOP(pabsb, b, 16, S8(B) < 0 ? -S8(B) : B)
SSE_IOP(pabsw, w, 8, S16(B) < 0 ? -S16(B) : B)
SSE_IOP(pabsd, l, 4, S32(B) < 0 ? -(uint32_t)B : B)
SSE_IOP(psignb, b, 16, S8(B) < 0 ? -A : B ? A : 0)
SSE_IOP(psignw, w, 8, S16(B) < 0 ? -A : B ? A : 0)
SSE_IOP(psignd, l, 4, S32(B) < 0 ? -A : B ? A : 0)
SSE_IOP(pmulhrsw, w, 8, ((S16(A) * S16(B) >> 14) + 1) >> 1)
/* SSE4.1 */
SSE_IOP(pcmpeqq, q, 2, A == B ? ~0ull : 0)
SSE_IOP(pminsb, b, 16, S8(A) < S8(B) ? A : B)
SSE_IOP(pminsd, l, 4, S32(A) < S32(B) ? A : B)
SSE_IOP(pminuw, w, 8, A < B ? A : B)
SSE_IOP(pminud, l, 4, A < B ? A : B)
SSE_IOP(pmaxsb, b, 16, S8(A) > S8(B) ? A : B)
SSE_IOP(pmaxsd, l, 4, S32(A) > S32(B) ? A : B)
SSE_IOP(pmaxuw, w, 8, A > B ? A : B)
SSE_IOP(pmaxud, l, 4, A > B ? A : B)
SSE_IOP(pmulld, l, 4, (uint32_t)((uint64_t)A * B))

void helper_sse_pmuludq(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    for (int i = 0; i < 2; i++) {
        r->q[i] = (uint64_t)r->l[2 * i] * b.l[2 * i];
    }
}

/* SSE4.1: the signed products of the even doublewords */
void helper_sse_pmuldq(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    for (int i = 0; i < 2; i++) {
        r->q[i] = (uint64_t)((int64_t)S32(r->l[2 * i]) * S32(b.l[2 * i]));
    }
}

void helper_sse_pmaddwd(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s), a = *r;

    for (int i = 0; i < 4; i++) {
        /* 0x8000 * 0x8000 twice wraps to 0x80000000, as on hardware */
        r->l[i] = (uint32_t)(S16(a.w[2 * i]) * S16(b.w[2 * i])) +
                  (uint32_t)(S16(a.w[2 * i + 1]) * S16(b.w[2 * i + 1]));
    }
}

void helper_sse_pmaddubsw(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s), a = *r;

    for (int i = 0; i < 8; i++) {
        r->w[i] = SAT_S16(a.b[2 * i] * S8(b.b[2 * i]) + a.b[2 * i + 1] * S8(b.b[2 * i + 1]));
    }
}

void helper_sse_psadbw(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s), a = *r;

    for (int h = 0; h < 2; h++) {
        uint64_t sum = 0;
        for (int i = 8 * h; i < 8 * h + 8; i++) {
            sum += a.b[i] > b.b[i] ? a.b[i] - b.b[i] : b.b[i] - a.b[i];
        }
        r->q[h] = sum;
    }
}

/* ---- shifts: the count is the source's low quadword (or imm8 put there) -- */

#define SSE_SHIFT(name, F, n, bits, EXPR)                                     \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d);                                           \
    uint64_t c = sse_xmm(env, s)->q[0];                                       \
    for (int i = 0; i < (n); i++) {                                           \
        __typeof__(r->F[0]) A = r->F[i];                                      \
        r->F[i] = (__typeof__(r->F[0]))(EXPR);                                \
    }                                                                         \
}
SSE_SHIFT(psllw, w, 8, 16, c > 15 ? 0 : (uint32_t)A << c)
SSE_SHIFT(pslld, l, 4, 32, c > 31 ? 0 : A << c)
SSE_SHIFT(psllq, q, 2, 64, c > 63 ? 0 : A << c)
SSE_SHIFT(psrlw, w, 8, 16, c > 15 ? 0 : A >> c)
SSE_SHIFT(psrld, l, 4, 32, c > 31 ? 0 : A >> c)
SSE_SHIFT(psrlq, q, 2, 64, c > 63 ? 0 : A >> c)
SSE_SHIFT(psraw, w, 8, 16, S16(A) >> (c > 15 ? 15 : c))
SSE_SHIFT(psrad, l, 4, 32, S32(A) >> (c > 31 ? 31 : c))

/* PSLLDQ/PSRLDQ: whole-register byte shifts by the count (imm8) */
void helper_sse_pslldq(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r;
    uint64_t c = sse_xmm(env, s)->q[0];

    for (int i = 0; i < 16; i++) {
        r->b[i] = (uint64_t)i >= c ? a.b[i - c] : 0;
    }
}

void helper_sse_psrldq(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r;
    uint64_t c = sse_xmm(env, s)->q[0];

    for (int i = 0; i < 16; i++) {
        r->b[i] = i + c < 16 ? a.b[i + c] : 0;
    }
}

/* ---- unpacks and packs ---------------------------------------------------- */

/* Interleave the low (hi = 0) or high halves' elements of d and s. */
#define SSE_UNPCK(name, F, n, hi)                                             \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);             \
    for (int i = 0; i < (n) / 2; i++) {                                       \
        r->F[2 * i] = a.F[i + (hi) * (n) / 2];                                \
        r->F[2 * i + 1] = b.F[i + (hi) * (n) / 2];                            \
    }                                                                         \
}
SSE_UNPCK(punpcklbw, b, 16, 0)
SSE_UNPCK(punpcklwd, w, 8, 0)
SSE_UNPCK(punpckldq, l, 4, 0)
SSE_UNPCK(punpcklqdq, q, 2, 0)
SSE_UNPCK(punpckhbw, b, 16, 1)
SSE_UNPCK(punpckhwd, w, 8, 1)
SSE_UNPCK(punpckhdq, l, 4, 1)
SSE_UNPCK(punpckhqdq, q, 2, 1)

/* Narrow d's elements into the low half and s's into the high, saturating. */
#define SSE_PACK(name, TO, FROM, n, SAT)                                      \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);             \
    for (int i = 0; i < (n); i++) {                                           \
        r->TO[i] = SAT(a.FROM[i]);                                            \
        r->TO[i + (n)] = SAT(b.FROM[i]);                                      \
    }                                                                         \
}
#define SAT_S8W(x)  SAT_S8(S16(x))
#define SAT_U8W(x)  SAT_U8(S16(x))
#define SAT_S16D(x) SAT_S16(S32(x))
#define SAT_U16D(x) SAT_U16(S32(x))
SSE_PACK(packsswb, b, w, 8, SAT_S8W)
SSE_PACK(packuswb, b, w, 8, SAT_U8W)
SSE_PACK(packssdw, w, l, 4, SAT_S16D)
SSE_PACK(packusdw, w, l, 4, SAT_U16D)             /* SSE4.1 */

/* ---- horizontal (SSSE3) ------------------------------------------------------ */

#define SSE_HIOP(name, F, n, EXPR)                                            \
void helper_sse_##name(CPUX86State *env, uint32_t d, uint32_t s)              \
{                                                                             \
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);             \
    for (int i = 0; i < (n) / 2; i++) {                                       \
        __typeof__(a.F[0]) A = a.F[2 * i], B = a.F[2 * i + 1];                \
        r->F[i] = (__typeof__(a.F[0]))(EXPR);                                 \
        A = b.F[2 * i];                                                       \
        B = b.F[2 * i + 1];                                                   \
        r->F[i + (n) / 2] = (__typeof__(a.F[0]))(EXPR);                       \
    }                                                                         \
}
SSE_HIOP(phaddw, w, 8, A + B)
SSE_HIOP(phaddd, l, 4, A + B)
SSE_HIOP(phaddsw, w, 8, SAT_S16(S16(A) + S16(B)))
SSE_HIOP(phsubw, w, 8, A - B)
SSE_HIOP(phsubd, l, 4, A - B)
SSE_HIOP(phsubsw, w, 8, SAT_S16(S16(A) - S16(B)))

void helper_sse_pshufb(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);

    for (int i = 0; i < 16; i++) {
        r->b[i] = (b.b[i] & 0x80) ? 0 : a.b[b.b[i] & 15];
    }
}

/* ---- shuffles with an immediate ------------------------------------------- */

void helper_sse_pshufd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    for (int i = 0; i < 4; i++) {
        r->l[i] = b.l[(imm >> (2 * i)) & 3];
    }
}

void helper_sse_pshufhw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    r->q[0] = b.q[0];
    for (int i = 0; i < 4; i++) {
        r->w[4 + i] = b.w[4 + ((imm >> (2 * i)) & 3)];
    }
}

void helper_sse_pshuflw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    r->q[1] = b.q[1];
    for (int i = 0; i < 4; i++) {
        r->w[i] = b.w[(imm >> (2 * i)) & 3];
    }
}

void helper_sse_shufps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);

    r->l[0] = a.l[imm & 3];
    r->l[1] = a.l[(imm >> 2) & 3];
    r->l[2] = b.l[(imm >> 4) & 3];
    r->l[3] = b.l[(imm >> 6) & 3];
}

void helper_sse_shufpd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d), a = *r, b = *sse_xmm(env, s);

    r->q[0] = a.q[imm & 1];
    r->q[1] = b.q[(imm >> 1) & 1];
}

/* PALIGNR: bytes imm.. of the 32-byte d:s (s in the low half) */
void helper_sse_palignr(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm)
{
    X86XMMReg *r = sse_xmm(env, d);
    uint8_t cat[32];

    memcpy(cat, sse_xmm(env, s)->b, 16);
    memcpy(cat + 16, r->b, 16);
    for (unsigned i = 0; i < 16; i++) {
        r->b[i] = i + imm < 32 ? cat[i + imm] : 0;
    }
}

/* SSE3 duplicating moves */
void helper_sse_movshdup(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    r->l[0] = r->l[1] = b.l[1];
    r->l[2] = r->l[3] = b.l[3];
}

void helper_sse_movsldup(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    r->l[0] = r->l[1] = b.l[0];
    r->l[2] = r->l[3] = b.l[2];
}

void helper_sse_movddup(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d);

    r->q[1] = r->q[0] = sse_xmm(env, s)->q[0];
}

/* ---- masks ----------------------------------------------------------------- */

uint64_t helper_sse_pmovmskb(CPUX86State *env, uint32_t s)
{
    X86XMMReg *b = sse_xmm(env, s);
    uint64_t m = 0;

    for (int i = 0; i < 16; i++) {
        m |= (uint64_t)(b->b[i] >> 7) << i;
    }
    return m;
}

uint64_t helper_sse_movmskps(CPUX86State *env, uint32_t s)
{
    X86XMMReg *b = sse_xmm(env, s);
    uint64_t m = 0;

    for (int i = 0; i < 4; i++) {
        m |= (uint64_t)(b->l[i] >> 31) << i;
    }
    return m;
}

uint64_t helper_sse_movmskpd(CPUX86State *env, uint32_t s)
{
    X86XMMReg *b = sse_xmm(env, s);

    return (b->q[0] >> 63) | (b->q[1] >> 63) << 1;
}
