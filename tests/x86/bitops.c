// tern-nested: allow */flags QEMU 7.2 TCG (the nested CPU) sets BSF/BSR's undefined flags differently
// tern-nested: allow bs?*-zero/result QEMU 7.2 TCG (the nested CPU) zero-extends BSF/BSR's destination for a zero source
// tern-native-amd: allow ?zcnt*/flags AMD sets the flags TZCNT and LZCNT leave undefined (OF SF AF PF) otherwise than Intel, which clears them
/*
 * bitops.c: bt/bts/btr/btc (register and imm8 bit numbers, memory operands
 * with register bit offsets reaching beyond the operand, negative ones),
 * bsf/bsr (zero source: destination unchanged, all 64 bits), tzcnt, lzcnt,
 * popcnt, in 16/32/64 bits, with their flags.  Intel's rules for the
 * flags the SDM leaves undefined (translate-bitops.c) are checked too:
 * bt* change only CF; bsf/bsr clear CF OF SF AF and set PF from the index
 * (as if 0 for a zero source);
 * tzcnt/lzcnt/popcnt clear them.  The native build proves the values.
 */
#include "tern.h"

#define ALL FL_ARITH

/* op %[s], %[d] with flags in = fin; d and the flags come back */
#define OP2(name, text, d0, s0, fin, dres, fres)                              \
    do {                                                                     \
        uint64_t d_ = (d0), s_ = (s0), f_ = (fin) | 2;                       \
        __asm__ volatile("push %[f]\n\tpopf\n\t" text "\n\tpushf\n\tpop %[f]" \
                         : [d] "+r"(d_), [f] "+r"(f_) : [s] "r"(s_) : "cc");  \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (dres));                                \
        CHECK_EQ_NAMED("flags", f_ & ALL, (fres));                           \
    } while (0)

static void test_bt_reg(void)
{
    OP2("bt32-set", "btl %k[s], %k[d]", 0x80000000, 31, 0, 0x80000000, FL_CF);
    OP2("bt32-keep", "btl %k[s], %k[d]", 0x5, 33, ALL & ~FL_CF, 0x5, ALL & ~FL_CF);
    OP2("bt64", "btq %q[s], %q[d]", 1ull << 40, 40 + 64 * 3, FL_ZF, 1ull << 40, FL_ZF | FL_CF);
    OP2("bt16", "btw %w[s], %w[d]", 0x8000, 0x1f, FL_CF, 0x8000, FL_CF);
    OP2("bts32", "btsl %k[s], %k[d]", 0xffffffff00000004ull, 0, ALL, 0x5, ALL & ~FL_CF);
    OP2("bts16", "btsw %w[s], %w[d]", 0xffff000000000000ull, 15, 0,
        0xffff000000008000ull, 0);
    OP2("btr64", "btrq %q[s], %q[d]", ~0ull, 63, 0, ~0ull >> 1, FL_CF);
    OP2("btc32", "btcl %k[s], %k[d]", 0x10, 4, FL_SF, 0, FL_SF | FL_CF);
    OP2("btc-imm", "btcq $62, %q[d]", 0, 0, 0, 1ull << 62, 0);
    OP2("bt-imm16", "btw $17, %w[d]", 0x2, 0, 0, 0x2, FL_CF);       /* imm masked to 4 bits */
    OP2("btr-imm32", "btrl $35, %k[d]", 0xff0000000000000full, 0, 0, 0x7, FL_CF);
}

static uint32_t bitmem[8];

static void test_bt_mem(void)
{
    uint64_t f, off;
    uint32_t *p = &bitmem[4];

    test_group("bt-mem");
    bitmem[6] = 1u << 5;
    off = 64 + 5;           /* two dwords beyond p */
    __asm__ volatile("btl %k[o], %[m]\n\tpushf\n\tpop %[f]"
                     : [f] "=r"(f) : [o] "r"(off), [m] "m"(*p) : "cc", "memory");
    CHECK_EQ_NAMED("far", f & FL_CF, FL_CF);
    off = (uint64_t)-33;    /* bit 31 of the dword two before p */
    __asm__ volatile("btsl %k[o], %[m]\n\tpushf\n\tpop %[f]"
                     : [f] "=r"(f), [m] "+m"(*p) : [o] "r"(off) : "cc", "memory");
    CHECK_EQ_NAMED("neg-cf", f & FL_CF, 0);
    CHECK_EQ_NAMED("neg-set", bitmem[2], 0x80000000u);
    off = (uint64_t)-1;     /* 64-bit offset -1: bit 63 of the qword before */
    __asm__ volatile("btcq %q[o], %[m]\n\tpushf\n\tpop %[f]"
                     : [f] "=r"(f), [m] "+m"(*(uint64_t *)p) : [o] "r"(off) : "cc", "memory");
    CHECK_EQ_NAMED("neg64-cf", f & FL_CF, 0);
    CHECK_EQ_NAMED("neg64-set", bitmem[3], 0x80000000u);
    off = 16 * 2 + 3;       /* 16-bit: two words on */
    __asm__ volatile("btsw %w[o], %[m]\n\tpushf\n\tpop %[f]"
                     : [f] "=r"(f), [m] "+m"(*(uint16_t *)p) : [o] "r"(off) : "cc", "memory");
    CHECK_EQ_NAMED("w-set", bitmem[5], 0x8);
    off = 0xffffffffull;    /* 32-bit -1: sign-extended from the operand size */
    __asm__ volatile("btrl %k[o], %[m]\n\tpushf\n\tpop %[f]"
                     : [f] "=r"(f), [m] "+m"(*p) : [o] "r"(off) : "cc", "memory");
    CHECK_EQ_NAMED("neg32-cf", f & FL_CF, FL_CF);
    CHECK_EQ_NAMED("neg32-clear", bitmem[3], 0);
    CHECK_EQ_NAMED("imm-mem", ({
        __asm__ volatile("btsl $36, %[m]" : [m] "+m"(bitmem[0]) : : "cc");
        bitmem[0]; }), 0x10);
}

static void test_scan(void)
{
    const uint64_t D = 0xffffffff12345678ull;

    OP2("bsf32", "bsfl %k[s], %k[d]", D, 0x80, ALL, 7, 0);
    OP2("bsf32-zero", "bsfl %k[s], %k[d]", D, 0, 0, D, FL_ZF | FL_PF);
    OP2("bsf64-zero", "bsfq %q[s], %q[d]", D, 0, ALL, D, FL_ZF | FL_PF);
    OP2("bsf16-zero", "bsfw %w[s], %w[d]", D, 0xffff0000, ALL, D, FL_ZF | FL_PF);
    OP2("bsf64", "bsfq %q[s], %q[d]", 0, 1ull << 63, 0, 63, FL_PF);
    OP2("bsf-bit0", "bsfl %k[s], %k[d]", D, 1, ALL, 0, FL_PF);
    OP2("bsf-1", "bsfl %k[s], %k[d]", D, 6, ALL, 1, 0);
    OP2("bsf-zero-odd", "bsfl %k[s], %k[d]", 1, 0, 0, 1, FL_ZF | FL_PF);
    OP2("bsr64", "bsrq %q[s], %q[d]", D, 0x180, ALL, 8, 0);
    OP2("bsr32", "bsrl %k[s], %k[d]", D, 0x80000001, 0, 31, 0);
    OP2("bsr16", "bsrw %w[s], %w[d]", D, 0x3, 0, 0xffffffff12340001ull, 0);
    OP2("bsr16-top", "bsrw %w[s], %w[d]", D, 0x8000, ALL, 0xffffffff1234000full, FL_PF);
    OP2("bsr-zero", "bsrl %k[s], %k[d]", D, 0, 0, D, FL_ZF | FL_PF);

    OP2("tzcnt32-zero", "tzcntl %k[s], %k[d]", D, 0, ALL, 32, FL_CF);
    OP2("tzcnt32", "tzcntl %k[s], %k[d]", D, 0x18, ALL, 3, 0);
    OP2("tzcnt64", "tzcntq %q[s], %q[d]", D, 0x8000000000000000ull, 0, 63, 0);
    OP2("tzcnt16-zero", "tzcntw %w[s], %w[d]", D, 0xffff0000, 0, 0xffffffff12340010ull, FL_CF);
    OP2("tzcnt-bit0", "tzcntl %k[s], %k[d]", D, 1, 0, 0, FL_ZF);
    OP2("lzcnt32", "lzcntl %k[s], %k[d]", D, 0x10, ALL, 27, 0);
    OP2("lzcnt64-zero", "lzcntq %q[s], %q[d]", D, 0, 0, 64, FL_CF);
    OP2("lzcnt64-top", "lzcntq %q[s], %q[d]", D, ~0ull, 0, 0, FL_ZF);
    OP2("lzcnt16", "lzcntw %w[s], %w[d]", D, 0x00ff, 0, 0xffffffff12340008ull, 0);

    OP2("popcnt32", "popcntl %k[s], %k[d]", D, 0xf0f0f0f0ffull, ALL, 20, 0);
    OP2("popcnt64", "popcntq %q[s], %q[d]", D, ~0ull, ALL, 64, 0);
    OP2("popcnt-zero", "popcntq %q[s], %q[d]", D, 0, ALL, 0, FL_ZF);
    OP2("popcnt16", "popcntw %w[s], %w[d]", D, 0x7, 0, 0xffffffff12340003ull, 0);
}

static void test_scan_mem(void)
{
    static uint64_t m = 0x0000010000000000ull;
    uint64_t r = 5;

    test_group("scan-mem");
    __asm__ volatile("bsfq %1, %0" : "+r"(r) : "m"(m) : "cc");
    CHECK_EQ_NAMED("bsf", r, 40);
    __asm__ volatile("popcntq %1, %0" : "=r"(r) : "m"(m) : "cc");
    CHECK_EQ_NAMED("popcnt", r, 1);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_bt_reg();
    test_bt_mem();
    test_scan();
    test_scan_mem();
    test_done();
}
