/*
 * cc_helper.c: the lazy condition codes computed on demand.
 *
 * cc_op says which operation last set the flags; cc_dst/cc_src/cc_src2
 * hold what translate-alu.c left there (see the CCOp list in cpu.h).  Only
 * the low 8 << size bits of each value count, except MUL's cc_src, which is
 * exact.  Also EFLAGS assembly/loading (DF lives in eflags and as env->df =
 * +1/-1) and the helpers for pushf/popf and rcl/rcr.
 */
#include "target-x86/cpu.h"
#include "target-x86/helper.h"

static uint64_t cc_parity(uint64_t v)
{
    return __builtin_parity((unsigned)(v & 0xff)) ? 0 : CC_P;
}

/* The flags of a sized operation (base is its B variant). */
static uint64_t cc_compute_sized(CCOp base, unsigned ot, uint64_t dst, uint64_t src,
                                 uint64_t src2)
{
    unsigned bits = 8u << ot;
    uint64_t mask = ot == MO_64 ? ~0ull : (1ull << bits) - 1;
    uint64_t sign = 1ull << (bits - 1);
    uint64_t cf = 0, af = 0, of = 0, s1, s2 = src & mask, cin = src2 & 1;
    uint64_t zf, sf, pf;

    dst &= mask;
    zf = dst == 0 ? CC_Z : 0;
    sf = dst & sign ? CC_S : 0;
    pf = cc_parity(dst);

    switch (base) {
    case CC_OP_ADDB:
    case CC_OP_ADCB:
        if (base == CC_OP_ADDB) {
            cin = 0;
        }
        s1 = (dst - s2 - cin) & mask;
        cf = cin ? dst <= s2 : dst < s2;
        af = (dst ^ s1 ^ s2) & CC_A;
        of = (~(s1 ^ s2) & (s1 ^ dst) & sign) ? CC_O : 0;
        break;
    case CC_OP_SUBB:
    case CC_OP_SBBB:
        if (base == CC_OP_SUBB) {
            cin = 0;
        }
        s1 = (dst + s2 + cin) & mask;
        cf = cin ? s1 <= s2 : s1 < s2;
        af = (dst ^ s1 ^ s2) & CC_A;
        of = ((s1 ^ s2) & (s1 ^ dst) & sign) ? CC_O : 0;
        break;
    case CC_OP_LOGICB:
        break;
    case CC_OP_INCB:
        cf = src & 1;
        af = (dst & 0xf) == 0 ? CC_A : 0;
        of = dst == sign ? CC_O : 0;
        break;
    case CC_OP_DECB:
        cf = src & 1;
        af = (dst & 0xf) == 0xf ? CC_A : 0;
        of = dst == sign - 1 ? CC_O : 0;
        break;
    case CC_OP_SHLB:
        cf = (src >> (bits - 1)) & 1;
        of = (src2 & sign) ? CC_O : 0;
        break;
    case CC_OP_SARB:
        cf = src & 1;
        of = (src2 & sign) ? CC_O : 0;
        break;
    case CC_OP_MULB:
        /* SF ZF AF PF are undefined: Intel leaves SF and PF of the low
         * half, AF and ZF clear (even for a zero product) */
        cf = src != 0;
        of = cf ? CC_O : 0;
        zf = 0;
        break;
    case CC_OP_BMILGB:
        cf = src == 0;
        break;
    default:
        break;
    }
    return (cf ? CC_C : 0) | pf | af | zf | sf | of;
}

uint64_t helper_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2, uint32_t op)
{
    if (op >= CC_OP_MULB && op <= CC_OP_BMILGQ) {
        unsigned ot = (op - CC_OP_MULB) & 3;
        return cc_compute_sized((CCOp)(op - ot), ot, dst, src, src2);
    }
    switch (op) {
    case CC_OP_EFLAGS:
        return src & CC_ALL;
    case CC_OP_CLR:
        return CC_Z | CC_P;
    default:
        return 0;
    }
}

uint64_t cpu_cc_compute_all(CPUX86State *env, int op)
{
    return helper_cc_compute_all(env->cc_dst, env->cc_src, env->cc_src2, (uint32_t)op);
}

uint64_t cpu_compute_eflags(CPUX86State *env)
{
    return (env->eflags & ~(uint64_t)(CC_ALL | DF_MASK)) | cpu_cc_compute_all(env, env->cc_op) |
           (env->df < 0 ? DF_MASK : 0) | 2;
}

void cpu_load_eflags(CPUX86State *env, uint64_t eflags, uint64_t update_mask)
{
    env->cc_src = eflags & CC_ALL;
    env->cc_op = CC_OP_EFLAGS;
    env->eflags = (((env->eflags & ~update_mask) | (eflags & update_mask)) &
                   ~(uint64_t)CC_ALL) | 2;
    env->df = (env->eflags & DF_MASK) ? -1 : 1;
}

uint64_t helper_read_eflags(CPUX86State *env)
{
    return cpu_compute_eflags(env) & ~(uint64_t)(VM_MASK | RF_MASK);
}

/* popf: which bits may change depends on CPL and IOPL. */
void helper_write_eflags(CPUX86State *env, uint64_t val, uint32_t ot)
{
    unsigned cpl = env->hflags & HF_CPL_MASK;
    unsigned iopl = (env->eflags & IOPL_MASK) >> 12;
    uint64_t mask = CC_ALL | TF_MASK | DF_MASK | NT_MASK | AC_MASK | ID_MASK;

    if (cpl == 0) {
        mask |= IF_MASK | IOPL_MASK;
    } else if (cpl <= iopl) {
        mask |= IF_MASK;
    }
    if (ot == MO_16) {
        mask &= 0xffff;
    }
    cpu_load_eflags(env, val, mask);
    env->hflags = (env->hflags & ~HF_TF_MASK) | ((env->eflags & TF_MASK) ? HF_TF_MASK : 0);
}

/* rcl/rcr through CF: the result, or with X86_ROTC_FLAGS the new EFLAGS. */
uint64_t helper_rotc(uint64_t val, uint64_t count, uint64_t eflags, uint32_t mode)
{
    unsigned ot = mode & 3, bits = 8u << ot;
    uint64_t mask = ot == MO_64 ? ~0ull : (1ull << bits) - 1;
    uint64_t v = val & mask, cf = eflags & CC_C, of;
    unsigned n = count & (ot == MO_64 ? 63 : 31), i;

    if (ot == MO_8) {
        n %= 9;
    } else if (ot == MO_16) {
        n %= 17;
    }
    if (n == 0) {
        return (mode & X86_ROTC_FLAGS) ? eflags : val;
    }
    /* OF: the sign change of the first one-bit step (Intel, any count) */
    if (mode & X86_ROTC_RIGHT) {
        of = ((v >> (bits - 1)) ^ cf) & 1;
    } else {
        of = ((v >> (bits - 1)) ^ (v >> (bits - 2))) & 1;
    }
    for (i = 0; i < n; i++) {
        uint64_t out;
        if (mode & X86_ROTC_RIGHT) {
            out = v & 1;
            v = (v >> 1) | (cf << (bits - 1));
        } else {
            out = (v >> (bits - 1)) & 1;
            v = ((v << 1) | cf) & mask;
        }
        cf = out;
    }
    if (mode & X86_ROTC_FLAGS) {
        return (eflags & ~(uint64_t)(CC_C | CC_O)) | cf | (of ? CC_O : 0);
    }
    return v;
}
