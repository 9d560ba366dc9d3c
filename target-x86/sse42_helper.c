/*
 * sse42_helper.c: SSE4.2 PCMPGTQ and the string compares PCMPESTRI,
 * PCMPESTRM, PCMPISTRI, PCMPISTRM, called from translate-sse.c on XMM
 * register numbers (SSE_XMM_T0 = the loaded memory operand).  CRC32 and
 * POPCNT, also SSE4.2, are in bmi_helper.c and translate-bitops.c.
 *
 * The string compares follow SDM vol. 2B, "4.1 Imm8 control byte operation
 * for PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM"; bit 7 of imm8 is
 * ignored, as the Intel host ignores it.  Neither helper can fault.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

void helper_sse_pcmpgtq(CPUX86State *env, uint32_t d, uint32_t s)
{
    X86XMMReg *r = sse_xmm(env, d), b = *sse_xmm(env, s);

    for (int i = 0; i < 2; i++) {
        r->q[i] = (int64_t)r->q[i] > (int64_t)b.q[i] ? ~0ull : 0;
    }
}

/* Element i of x in the format of imm8[1:0]: ubyte, uword, sbyte, sword. */
static int pcmpstr_elem(const X86XMMReg *x, int i, unsigned imm)
{
    switch (imm & 3) {
    case 0: return x->b[i];
    case 1: return x->w[i];
    case 2: return (int8_t)x->b[i];
    default: return (int16_t)x->w[i];
    }
}

/*
 * Explicit length: the absolute value of EAX/EDX (RAX/RDX with REX.W),
 * saturated to the element count n.  -2^31 (-2^63) saturates too.
 */
static int pcmpstr_explicit_len(uint64_t v, bool w64, int n)
{
    int64_t x = w64 ? (int64_t)v : (int32_t)v;
    uint64_t mag = x < 0 ? -(uint64_t)x : (uint64_t)x;

    return mag > (uint64_t)n ? n : (int)mag;
}

/* Implicit length: the index of the first zero element, or n. */
static int pcmpstr_implicit_len(const X86XMMReg *x, unsigned imm, int n)
{
    for (int i = 0; i < n; i++) {
        if (pcmpstr_elem(x, i, imm) == 0) {
            return i;
        }
    }
    return n;
}

/*
 * IntRes1 of the aggregation imm8[3:2] over a (xmm1, la valid elements)
 * and b (xmm2/m128, lb valid elements); bit j is element j of b (for
 * equal each, element j of both).  Comparisons with an invalid element
 * take the SDM's override values.
 */
static uint32_t pcmpstr_aggregate(const X86XMMReg *a, int la, const X86XMMReg *b, int lb,
                                  unsigned imm, int n)
{
    uint32_t res = 0;

    switch ((imm >> 2) & 3) {
    case 0:     /* equal any: b[j] is one of a[0..la) */
        for (int j = 0; j < lb; j++) {
            for (int i = 0; i < la; i++) {
                if (pcmpstr_elem(a, i, imm) == pcmpstr_elem(b, j, imm)) {
                    res |= 1u << j;
                    break;
                }
            }
        }
        break;
    case 1:     /* ranges: a[2k] <= b[j] <= a[2k+1] for some complete pair */
        for (int j = 0; j < lb; j++) {
            int v = pcmpstr_elem(b, j, imm);
            for (int i = 0; i + 1 < la; i += 2) {
                if (pcmpstr_elem(a, i, imm) <= v && v <= pcmpstr_elem(a, i + 1, imm)) {
                    res |= 1u << j;
                    break;
                }
            }
        }
        break;
    case 2:     /* equal each: both valid and equal, or both invalid */
        for (int j = 0; j < n; j++) {
            bool eq = j < la && j < lb ? pcmpstr_elem(a, j, imm) == pcmpstr_elem(b, j, imm)
                                       : j >= la && j >= lb;
            res |= (uint32_t)eq << j;
        }
        break;
    default:    /* equal ordered: a occurs in b at j (a may run past n) */
        for (int j = 0; j < n; j++) {
            bool match = true;
            for (int i = 0; i < la && j + i < n; i++) {
                if (j + i >= lb || pcmpstr_elem(a, i, imm) != pcmpstr_elem(b, j + i, imm)) {
                    match = false;
                    break;
                }
            }
            res |= (uint32_t)match << j;
        }
        break;
    }
    return res;
}

uint64_t helper_sse_pcmpstr(CPUX86State *env, uint32_t desc, uint64_t rax, uint64_t rdx)
{
    unsigned imm = SSE_PCMPSTR_IMM(desc);
    int n = (imm & 1) ? 8 : 16;
    X86XMMReg a = *sse_xmm(env, SSE_PCMPSTR_D(desc)), b = *sse_xmm(env, SSE_PCMPSTR_S(desc));
    uint32_t all = (1u << n) - 1, res;
    uint64_t flags, index;
    int la, lb;

    if (desc & SSE_PCMPSTR_EXPLICIT) {
        la = pcmpstr_explicit_len(rax, desc & SSE_PCMPSTR_64, n);
        lb = pcmpstr_explicit_len(rdx, desc & SSE_PCMPSTR_64, n);
    } else {
        la = pcmpstr_implicit_len(&a, imm, n);
        lb = pcmpstr_implicit_len(&b, imm, n);
    }
    res = pcmpstr_aggregate(&a, la, &b, lb, imm, n);

    /* polarity, imm8[5:4]: +, -, masked +, masked - (valid elements of b) */
    switch ((imm >> 4) & 3) {
    case 1: res ^= all; break;
    case 3: res ^= (1u << lb) - 1; break;
    default: break;
    }

    flags = (res ? CC_C : 0) | (lb < n ? CC_Z : 0) | (la < n ? CC_S : 0) |
            ((res & 1) ? CC_O : 0);
    if (desc & SSE_PCMPSTR_MASK) {
        /* XMM0: the bits (imm8[6] = 0) or one element mask per bit */
        X86XMMReg m = { .q = { 0, 0 } };
        if (!(imm & 0x40)) {
            m.l[0] = res;
        } else if (n == 8) {
            for (int i = 0; i < 8; i++) {
                m.w[i] = (res >> i) & 1 ? 0xffff : 0;
            }
        } else {
            for (int i = 0; i < 16; i++) {
                m.b[i] = (res >> i) & 1 ? 0xff : 0;
            }
        }
        env->xmm_regs[0] = m;
        index = 0;
    } else if (!res) {
        index = (uint64_t)n;
    } else {
        /* imm8[6]: the most significant set bit, else the least */
        index = (imm & 0x40) ? 31 - (uint64_t)__builtin_clz(res) : (uint64_t)__builtin_ctz(res);
    }
    return flags << 32 | index;
}
