/*
 * bcd_helper.c: DAA, DAS, AAA, AAS, AAM, AAD (SDM vol. 2 pseudocode).
 * Their undefined flags are what an Intel CPU writes, measured in
 * compatibility mode by tests/diff (classes "bcd-*"; docs/isa.md lists
 * the rules).
 */
#include "target-x86/bcd.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* SF ZF PF of an 8-bit result */
static unsigned bcd_szp(unsigned v)
{
    v &= 0xff;
    return (v & 0x80 ? CC_S : 0) | (v ? 0 : CC_Z) |
           (__builtin_parity(v) ? 0 : CC_P);
}

/* The flags of the 8-bit addition a + b = r (c: carry out) */
static unsigned bcd_add_flags(unsigned a, unsigned b, unsigned r, bool c)
{
    return bcd_szp(r) | (c ? CC_C : 0) | ((a ^ b ^ r) & 0x10 ? CC_A : 0) |
           ((~(a ^ b) & (a ^ r)) & 0x80 ? CC_O : 0);
}

uint32_t x86_bcd(unsigned op, unsigned imm, unsigned ax, unsigned eflags)
{
    unsigned al = ax & 0xff, ah = (ax >> 8) & 0xff, f = 0;
    bool cf = eflags & CC_C, af = eflags & CC_A;

    switch (op) {
    case 0x27:      /* daa */
    case 0x2f: {    /* das */
        unsigned old = al, adj = 0;
        bool sub = op == 0x2f;
        if ((al & 0x0f) > 9 || af) {
            adj = 6;
            f |= CC_A | (sub && old < 6 ? CC_C : 0);   /* DAS: the borrow */
        }
        if (old > 0x99 || cf) {
            adj += 0x60;
            f |= CC_C;
        }
        al = sub ? (old - adj) & 0xff : (old + adj) & 0xff;
        f |= bcd_szp(al);
        break;
    }
    case 0x37:      /* aaa */
    case 0x3f:      /* aas */
        if ((al & 0x0f) > 9 || af) {
            ax = op == 0x37 ? ax + 0x106 : ax - 6 - 0x100;
            f |= CC_A | CC_C;
        }
        ax &= 0xff0f;
        f |= bcd_szp(ax);
        return ax | f << 16;
    case 0xd4:      /* aam; imm 0 is #DE, the translator's */
        if (!imm) {
            return ax | (eflags & CC_ALL) << 16;
        }
        ah = al / imm;
        al = al % imm;
        f = bcd_szp(al);
        break;
    default: {      /* d5: aad */
        unsigned p = (ah * imm) & 0xff, r = (al + p) & 0xff;
        f = bcd_add_flags(al, p, r, al + p > 0xff);
        al = r;
        ah = 0;
        break;
    }
    }
    return (al | ah << 8) | f << 16;
}

/* op: the opcode | the D4/D5 immediate << 8; returns x86_bcd's value */
uint64_t helper_bcd(uint64_t ax, uint64_t eflags, uint32_t op)
{
    return x86_bcd(op & 0xff, op >> 8, (unsigned)ax & 0xffff, (unsigned)eflags);
}
