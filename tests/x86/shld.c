// tern-nested: allow mem/* QEMU 7.2 TCG (the nested CPU) gives other results for SHLD/SHRD with a memory operand and an undefined count
// tern-native-amd: allow sh?d16-cl??/result a 16-bit SHLD/SHRD count of 17..31 leaves the result undefined: AMD's is not Intel's dst:src:dst rule
/*
 * shld.c: shld/shrd with an imm8 and with CL, 16/32/64-bit, register and
 * memory destinations: result, CF (last bit out), SF ZF PF, OF for a count
 * of 1; a count of 0 (nothing changes, flags kept), count masking (5 bits,
 * 6 for 64-bit) and Intel's results for 16-bit counts 17..31 (the 48-bit
 * dst:src:dst rule, translate-bitops.c).  OF/AF for counts > 1 are
 * undefined and masked.  Also rcl/rcr, whose count wraps mod 9/17 for
 * 8/16-bit operands.  The native build proves the values.
 */
#include "tern.h"

#define N1 (FL_CF | FL_OF | FL_ZF | FL_SF | FL_PF)   /* count 1 */
#define NN (FL_CF | FL_ZF | FL_SF | FL_PF)           /* count > 1 */

#define SD(name, text, d0, s0, cnt, fin, dres, fres, mask)                    \
    do {                                                                     \
        uint64_t d_ = (d0), s_ = (s0), c_ = (cnt), f_ = (fin) | 2;           \
        __asm__ volatile("push %[f]\n\tpopf\n\t" text "\n\tpushf\n\tpop %[f]" \
                         : [d] "+r"(d_), [f] "+r"(f_)                        \
                         : [s] "r"(s_), "c"(c_) : "cc");                      \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (dres));                                \
        CHECK_EQ_NAMED("flags", f_ & (mask), (fres));                        \
    } while (0)

static void test_shld(void)
{
    SD("shld32-imm4", "shldl $4, %k[s], %k[d]", 0x12345678, 0xabcdef01, 0, 0,
       0x2345678a, FL_CF, NN);
    SD("shld32-cl1", "shldl %%cl, %k[s], %k[d]", 0x40000000, 0x80000000, 1, 0,
       0x80000001, FL_OF | FL_SF, N1);
    SD("shld32-cl33", "shldl %%cl, %k[s], %k[d]", 0x40000000, 0x80000000, 33, 0,
       0x80000001, FL_OF | FL_SF, N1);
    /* a zero count keeps the flags; the 32-bit register is still zero-extended */
    SD("shld32-cl0", "shldl %%cl, %k[s], %k[d]", 0xffffffff80000003ull, 1, 0, FL_ARITH,
       0x80000003, FL_ARITH, FL_ARITH);
    SD("shld32-imm0", "shldl $0, %k[s], %k[d]", 0x80000003, 1, 0, FL_CF | FL_ZF,
       0x80000003, FL_CF | FL_ZF, FL_ARITH);
    SD("shld64-cl", "shldq %%cl, %q[s], %q[d]", 0x8123456789abcdefull, 0xf000000000000000ull,
       8, 0, 0x23456789abcdeff0ull, FL_CF | FL_PF, NN);
    SD("shld64-imm63", "shldq $63, %q[s], %q[d]", 3, 0x8000000000000000ull, 0, 0,
       0xc000000000000000ull, FL_CF | FL_SF | FL_PF, NN);
    SD("shld64-cl64", "shldq %%cl, %q[s], %q[d]", 0x1234, 0xffff, 64, FL_CF,
       0x1234, FL_CF, FL_ARITH);
    SD("shld16-cl4", "shldw %%cl, %w[s], %w[d]", 0xffffffffffff1234ull, 0xabcd, 4, 0,
       0xffffffffffff234aull, FL_CF, NN);
    SD("shld16-imm16", "shldw $16, %w[s], %w[d]", 0x1234, 0xabcd, 0, 0, 0xabcd, FL_SF,
       FL_ZF | FL_SF);
    /* counts above 16: dst:src:dst */
    SD("shld16-cl20", "shldw %%cl, %w[s], %w[d]", 0x1234, 0x0014, 20, 0, 0x0141, 0,
       FL_ZF | FL_SF);
    SD("shld16-cl31", "shldw %%cl, %w[s], %w[d]", 0x8421, 0x1248, 31, 0,
       (uint16_t)(((0x8421ull << 32 | 0x1248ull << 16 | 0x8421) << 31) >> 32), 0, 0);
}

static void test_shrd(void)
{
    SD("shrd32-imm4", "shrdl $4, %k[s], %k[d]", 0x12345678, 0xabcdef01, 0, 0,
       0x11234567, FL_CF, NN);
    SD("shrd32-cl1", "shrdl %%cl, %k[s], %k[d]", 0x80000003, 0, 1, 0,
       0x40000001, FL_CF | FL_OF, N1);
    SD("shrd32-cl2", "shrdl %%cl, %k[s], %k[d]", 0x80000003, 2, 2, 0,
       0xa0000000, FL_CF | FL_SF | FL_PF, NN);
    SD("shrd64-cl", "shrdq %%cl, %q[s], %q[d]", 0x0123456789abcdefull, 0x5, 4, 0,
       0x50123456789abcdeull, FL_CF | FL_PF, NN);
    SD("shrd64-imm1", "shrdq $1, %q[s], %q[d]", 2, 0, 0, FL_CF, 1, 0, N1);
    SD("shrd64-cl0", "shrdq %%cl, %q[s], %q[d]", 2, 1, 0, FL_OF | FL_SF, 2, FL_OF | FL_SF,
       FL_ARITH);
    SD("shrd16-imm8", "shrdw $8, %w[s], %w[d]", 0xffffffffffff1234ull, 0xabcd, 0, 0,
       0xffffffffffffcd12ull, FL_SF | FL_PF, NN);
    SD("shrd16-cl20", "shrdw %%cl, %w[s], %w[d]", 0x1234, 0x0014, 20, 0, 0x4001, 0,
       FL_ZF | FL_SF);
    SD("shrd16-cl17", "shrdw %%cl, %w[s], %w[d]", 0x8001, 0x0011, 17, 0, 0x8008, FL_SF,
       FL_ZF | FL_SF);
    SD("shrd16-cl31", "shrdw %%cl, %w[s], %w[d]", 0x8421, 0x1248, 31, 0,
       (uint16_t)((0x8421ull << 32 | 0x1248ull << 16 | 0x8421) >> 31), 0, 0);
}

/* rcl/rcr (translate-alu.c, checked here): through CF, counts mod 9/17
 * for 8/16 bits; OF defined for a count of 1 */
#define RC(name, text, d0, cnt, fin, dres, fres, mask) SD(name, text, d0, 0, cnt, fin, dres, fres, mask)
static void test_rcl_rcr(void)
{
    RC("rcl8-1", "rclb %%cl, %b[d]", 0x80, 1, 0, 0, FL_CF | FL_OF, FL_CF | FL_OF);
    RC("rcl8-9", "rclb %%cl, %b[d]", 0x81, 9, FL_CF, 0x81, FL_CF, FL_CF);
    RC("rcl8-10", "rclb %%cl, %b[d]", 0xffffffffffffff81ull, 10, 0, 0xffffffffffffff02ull, FL_CF,
       FL_CF);
    RC("rcr16-17", "rcrw %%cl, %w[d]", 0x1234, 17, 0, 0x1234, 0, FL_CF);
    RC("rcr16-1", "rcrw %%cl, %w[d]", 0x0001, 1, FL_CF, 0x8000, FL_CF | FL_OF, FL_CF | FL_OF);
    RC("rcl32-31", "rcll %%cl, %k[d]", 0xffffffff00000002ull, 31, FL_CF, 0x40000000, FL_CF,
       FL_CF);
    RC("rcr64-imm3", "rcrq $3, %q[d]", 0x5, 0, FL_CF, 0x6000000000000000ull, FL_CF, FL_CF);
    RC("rcl64-cl0", "rclq %%cl, %q[d]", 0x5, 64, FL_ARITH, 0x5, FL_ARITH, FL_ARITH);
}

static void test_mem(void)
{
    static uint32_t m = 0x12345678;
    static uint64_t q = 0xf00000000000000full;
    uint32_t s = 0x9abcdef0;
    uint64_t c = 8;

    test_group("mem");
    __asm__ volatile("shldl $8, %1, %0" : "+m"(m) : "r"(s) : "cc");
    CHECK_EQ_NAMED("shld-imm", m, 0x3456789a);
    __asm__ volatile("shrdq %%cl, %1, %0" : "+m"(q) : "r"((uint64_t)0xab), "c"(c) : "cc");
    CHECK_EQ_NAMED("shrd-cl", q, 0xabf0000000000000ull);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_shld();
    test_shrd();
    test_rcl_rcr();
    test_mem();
    test_done();
}
