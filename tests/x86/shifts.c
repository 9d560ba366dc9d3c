/*
 * shifts.c: shl shr sar rol ror by 1, by CL and by an immediate, on
 * 8/16/32/64-bit operands: results in the whole register, CF/OF/ZF/SF/PF,
 * count masking (5 bits, 6 for 64-bit operands), a masked count of 0
 * changing nothing, and 8/16-bit rotates by a multiple of the width.
 *
 * Flags the SDM leaves undefined are masked out: AF after any shift, OF
 * unless the count is 1, CF of shl/shr when the count reaches the width.
 * Rotates never touch SF/ZF/PF/AF.  Expected values are hand-written
 * constants; the native build checks them on the host CPU.
 */
#include "tern.h"

#define C FL_CF
#define P FL_PF
#define Z FL_ZF
#define S FL_SF
#define O FL_OF
#define ALL FL_ARITH
#define SH1 (C | O | Z | S | P)     /* count 1: everything but AF */
#define SHN (C | Z | S | P)         /* count > 1: OF undefined */
#define ROT1 (C | O)
#define ROTN C

#define H8  0xfedcba9876543200ull
#define H16 0xfedcba9876540000ull
#define H32 0xfedcba9800000000ull

/* asm text uses %b[d]/%w[d]/%k[d]/%q[d] for the operand and %%cl for CL. */
#define SH(name, text, a, cnt, fin, res, fl, mask)                           \
    do {                                                                     \
        uint64_t d_ = (a), c_ = (cnt), f_ = (fin) | 2;                       \
        __asm__ volatile("push %[f]\n\tpopf\n\t" text "\n\t"                 \
                         "pushf\n\tpop %[f]"                                 \
                         : [d] "+r"(d_), [f] "+r"(f_)                        \
                         : [c] "c"(c_)                                       \
                         : "cc");                                            \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (res));                                 \
        CHECK_EQ_NAMED("flags", f_ & (mask), (fl));                          \
    } while (0)

static void test_shl(void)
{
    SH("shl8-1-carry", "shlb %b[d]", H8 | 0x81, 0, 0, H8 | 0x02, C | O, SH1);
    SH("shl8-1-sign", "shlb %b[d]", H8 | 0x40, 0, C, H8 | 0x80, O | S, SH1);
    SH("shl8-imm4", "shlb $4, %b[d]", H8 | 0xf1, 0, 0, H8 | 0x10, C, SHN);
    SH("shl16-cl20", "shlw %%cl, %w[d]", H16 | 0xffff, 20, 0, H16 | 0, Z | P, Z | S | P);
    SH("shl32-cl4", "shll %%cl, %k[d]", H32 | 0x80000001, 4, C, 0x10, 0, SHN);
    SH("shl32-cl33", "shll %%cl, %k[d]", H32 | 0x80000001, 33, 0, 0x2, C | O, SH1);
    SH("shl64-imm63", "shlq $63, %q[d]", 1, 0, C, 0x8000000000000000ull, S | P, SHN);
    SH("shl64-cl64", "shlq %%cl, %q[d]", 0x1234, 64, ALL, 0x1234, ALL, ALL);
    SH("shl32-cl0", "shll %%cl, %k[d]", H32 | 0x1234, 0, C | Z, 0x1234, C | Z, ALL);
    SH("sal64-cl", "salq %%cl, %q[d]", 0x00ff00ff00ff00ffull, 8, 0,
       0xff00ff00ff00ff00ull, S | P, SHN);
}

static void test_shr(void)
{
    SH("shr8-1", "shrb %b[d]", H8 | 0x81, 0, 0, H8 | 0x40, C | O, SH1);
    SH("shr16-1-zero", "shrw %w[d]", H16 | 0x0001, 0, 0, H16 | 0, C | Z | P, SH1);
    SH("shr32-imm31", "shrl $31, %k[d]", H32 | 0x80000000, 0, C, 1, 0, SHN);
    SH("shr64-cl65", "shrq %%cl, %q[d]", 0x8000000000000003ull, 65, 0,
       0x4000000000000001ull, C | O, SH1);
    SH("shr64-imm4", "shrq $4, %q[d]", 0x123456789abcdef0ull, 0, C,
       0x0123456789abcdefull, 0, SHN);
    SH("shr8-cl0", "shrb %%cl, %b[d]", H8 | 0x80, 0, S | P, H8 | 0x80, S | P, ALL);
}

static void test_sar(void)
{
    SH("sar8-1", "sarb %b[d]", H8 | 0x81, 0, O, H8 | 0xc0, C | S | P, SH1);
    SH("sar8-cl9", "sarb %%cl, %b[d]", H8 | 0x80, 9, 0, H8 | 0xff, S | P, Z | S | P);
    SH("sar16-cl4", "sarw %%cl, %w[d]", H16 | 0x7ff8, 4, 0, H16 | 0x07ff, C | P, SHN);
    SH("sar32-cl31", "sarl %%cl, %k[d]", H32 | 0x80000000, 31, C, 0xffffffff, S | P, SHN);
    SH("sar64-imm63", "sarq $63, %q[d]", 0x8000000000000000ull, 0, C,
       0xffffffffffffffffull, S | P, SHN);
    SH("sar64-imm1", "sarq $1, %q[d]", 0xfffffffffffffffeull, 0, C,
       0xffffffffffffffffull, S | P, SH1);
}

static void test_rotate(void)
{
    /* Rotates keep SF/ZF/PF: start with them set and check they stay. */
    SH("rol8-1", "rolb %b[d]", H8 | 0x81, 0, Z | S | P, H8 | 0x03, C | O | Z | S | P, ALL & ~FL_AF);
    SH("rol8-cl8", "rolb %%cl, %b[d]", H8 | 0x81, 8, 0, H8 | 0x81, C, ROTN);
    SH("rol16-cl17", "rolw %%cl, %w[d]", H16 | 0x8001, 17, 0, H16 | 0x0003, C, ROTN);
    SH("rol32-cl4", "roll %%cl, %k[d]", H32 | 0x80000001, 4, C, 0x18, 0, ROTN);
    SH("rol64-imm8", "rolq $8, %q[d]", 0x0123456789abcdefull, 0, 0,
       0x23456789abcdef01ull, C, ROTN);
    SH("rol64-cl0", "rolq %%cl, %q[d]", 0x8000000000000000ull, 64, O, 0x8000000000000000ull, O, ROT1);
    SH("ror8-1", "rorb %b[d]", H8 | 0x01, 0, 0, H8 | 0x80, C | O, ROT1);
    SH("ror16-1", "rorw %w[d]", H16 | 0x0002, 0, C | O, H16 | 0x0001, 0, ROT1);
    SH("ror32-cl4", "rorl %%cl, %k[d]", H32 | 0x0000001f, 4, 0, 0xf0000001, C, ROTN);
    SH("ror64-imm63", "rorq $63, %q[d]", 1, 0, C, 2, 0, ROTN);
    SH("ror64-cl", "rorq %%cl, %q[d]", 0x0123456789abcdefull, 12, 0,
       0xdef0123456789abcull, C, ROTN);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_shl();
    test_shr();
    test_sar();
    test_rotate();
    test_done();
}
