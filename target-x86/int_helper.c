/*
 * int_helper.c: integer helpers too large to inline: div and idiv.
 *
 * They read rDX:rAX from env and write the quotient and remainder back;
 * a zero divisor or a quotient that does not fit raises #DE, unwinding to
 * the instruction through the restore table (GETPC in the helper itself).
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"

static void int_reg_set(CPUX86State *env, int reg, unsigned ot, uint64_t v)
{
    switch (ot) {
    case MO_8:
        env->regs[reg] = (env->regs[reg] & ~0xffull) | (v & 0xff);
        break;
    case MO_16:
        env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
        break;
    case MO_32:
        env->regs[reg] = (uint32_t)v;
        break;
    default:
        env->regs[reg] = v;
        break;
    }
}

void helper_div(CPUX86State *env, uint64_t src, uint32_t ot)
{
    uintptr_t ra = GETPC();
    unsigned bits = 8u << ot;
    uint64_t mask = ot == MO_64 ? ~0ull : (1ull << bits) - 1;
    unsigned __int128 num, q, rem, den = src & mask;

    if (ot == MO_8) {
        num = env->regs[R_EAX] & 0xffff;
    } else {
        num = ((unsigned __int128)(env->regs[R_EDX] & mask) << bits) | (env->regs[R_EAX] & mask);
    }
    if (den == 0) {
        raise_exception_ra(env, EXCP00_DIVZ, ra);
    }
    if (!(num >> 64)) {
        /* the usual case (rDX = 0): the host's 64-bit divide, not a
         * 128-bit library call */
        q = (uint64_t)num / (uint64_t)den;
        rem = (uint64_t)num % (uint64_t)den;
    } else {
        q = num / den;
        rem = num % den;
    }
    if (q > mask) {
        raise_exception_ra(env, EXCP00_DIVZ, ra);
    }
    if (ot == MO_8) {
        int_reg_set(env, R_EAX, MO_16, (uint64_t)(rem << 8 | q));
    } else {
        int_reg_set(env, R_EAX, ot, (uint64_t)q);
        int_reg_set(env, R_EDX, ot, (uint64_t)rem);
    }
}

void helper_idiv(CPUX86State *env, uint64_t src, uint32_t ot)
{
    uintptr_t ra = GETPC();
    unsigned bits = 8u << ot, sh = 64 - bits;
    uint64_t mask = ot == MO_64 ? ~0ull : (1ull << bits) - 1;
    __int128 num, den = (int64_t)(src << sh) >> sh, q, r;
    __int128 qmax = ((__int128)1 << (bits - 1)) - 1, qmin = -qmax - 1;

    if (ot == MO_8) {
        num = (int16_t)env->regs[R_EAX];
    } else {
        unsigned __int128 u = ((unsigned __int128)(env->regs[R_EDX] & mask) << bits) |
                              (env->regs[R_EAX] & mask);
        /* sign-extend the 2*bits-wide dividend */
        if (ot == MO_64) {
            num = (__int128)u;
        } else {
            num = (__int128)(u << (128 - 2 * bits)) >> (128 - 2 * bits);
        }
    }
    if (den == 0) {
        raise_exception_ra(env, EXCP00_DIVZ, ra);
    }
    if (den == -1) {
        /* -num: the only division that could overflow __int128 */
        if (num < -qmax) {
            raise_exception_ra(env, EXCP00_DIVZ, ra);
        }
        q = -num;
        r = 0;
    } else if (num == (int64_t)num) {
        /* the usual case (rDX the sign of rAX): a 64-bit divide; den is
         * not -1 here, so it cannot overflow */
        q = (int64_t)num / (int64_t)den;
        r = (int64_t)num % (int64_t)den;
    } else {
        q = num / den;
        r = num % den;
    }
    if (q > qmax || q < qmin) {
        raise_exception_ra(env, EXCP00_DIVZ, ra);
    }
    if (ot == MO_8) {
        int_reg_set(env, R_EAX, MO_16, ((uint64_t)r & 0xff) << 8 | ((uint64_t)q & 0xff));
    } else {
        int_reg_set(env, R_EAX, ot, (uint64_t)q);
        int_reg_set(env, R_EDX, ot, (uint64_t)r);
    }
}
