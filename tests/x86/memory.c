/*
 * memory.c: loads and stores of 8/16/32/64 bits with every addressing form
 * (base, base+disp8/disp32, base+index*scale+disp for each scale, index
 * without base, RIP-relative, absolute disp32, the RSP/RBP/R12/R13 special
 * encodings, REX index registers), movzx/movsx, partial-register loads,
 * stores that must not touch their neighbours, unaligned and page-crossing
 * accesses, push/pop of every operand kind, xchg with memory, lea, and a
 * 4 MiB buffer written and read back with a checksum (plus, under tern, a
 * sweep of RAM up to the size in the boot info block).
 *
 * The load table holds bytes[k] = k & 0xff, so a little-endian load of n
 * bytes at offset o reads o, o+1, ... and the constants below can be
 * written down by hand.  The native build checks them on the host CPU.
 */
#include "tern.h"

static const uint8_t bytes[512] __attribute__((aligned(64))) = {
#define B16(h) h##0, h##1, h##2, h##3, h##4, h##5, h##6, h##7,                 \
               h##8, h##9, h##a, h##b, h##c, h##d, h##e, h##f
#define B256 B16(0x0), B16(0x1), B16(0x2), B16(0x3), B16(0x4), B16(0x5),       \
             B16(0x6), B16(0x7), B16(0x8), B16(0x9), B16(0xa), B16(0xb),       \
             B16(0xc), B16(0xd), B16(0xe), B16(0xf)
    B256, B256
};

static void test_addressing(void)
{
    const uint8_t *b = bytes;
    uint64_t r, i;

    test_group("addr");
    OPAQUE(b);
    __asm__ volatile("movq (%1), %0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("base", r, 0x0706050403020100ull);
    __asm__ volatile("movq 0x10(%1), %0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("base-disp8", r, 0x1716151413121110ull);
    __asm__ volatile("movq 0x1f0(%1), %0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("base-disp32", r, 0xf7f6f5f4f3f2f1f0ull);
    i = 5;
    __asm__ volatile("movq (%1,%2,1), %0" : "=r"(r) : "r"(b), "r"(i) : "memory");
    CHECK_EQ_NAMED("base-index1", r, 0x0c0b0a0908070605ull);
    i = 3;
    __asm__ volatile("movq 4(%1,%2,2), %0" : "=r"(r) : "r"(b), "r"(i) : "memory");
    CHECK_EQ_NAMED("base-index2-disp8", r, 0x11100f0e0d0c0b0aull);
    i = 0x10;
    __asm__ volatile("movq 0x100(%1,%2,4), %0" : "=r"(r) : "r"(b), "r"(i) : "memory");
    CHECK_EQ_NAMED("base-index4-disp32", r, 0x4746454443424140ull);
    i = 2;
    __asm__ volatile("movq -8(%1,%2,8), %0" : "=r"(r) : "r"(b + 0x20), "r"(i) : "memory");
    CHECK_EQ_NAMED("base-index8-negdisp", r, 0x2f2e2d2c2b2a2928ull);
    i = 3;
    __asm__ volatile("movq bytes+8(,%1,8), %0" : "=r"(r) : "r"(i) : "memory");
    CHECK_EQ_NAMED("index8-nobase", r, 0x2726252423222120ull);
    __asm__ volatile("movq bytes+0x30(%%rip), %0" : "=r"(r) : : "memory");
    CHECK_EQ_NAMED("rip-relative", r, 0x3736353433323130ull);
    __asm__ volatile("movq bytes+0x38, %0" : "=r"(r) : : "memory");
    CHECK_EQ_NAMED("absolute-disp32", r, 0x3f3e3d3c3b3a3938ull);

    /* Encodings with special cases: r12 (SIB), r13 (disp8 0), r9 index. */
    __asm__ volatile("mov %1, %%r12\n\tmovq (%%r12), %0"
                     : "=r"(r) : "r"(b + 0x40) : "r12", "memory");
    CHECK_EQ_NAMED("base-r12", r, 0x4746454443424140ull);
    __asm__ volatile("mov %1, %%r13\n\tmovq (%%r13), %0"
                     : "=r"(r) : "r"(b + 0x48) : "r13", "memory");
    CHECK_EQ_NAMED("base-r13", r, 0x4f4e4d4c4b4a4948ull);
    __asm__ volatile("mov %1, %%r12\n\tmov $7, %%r9d\n\tmovq (%%r12,%%r9,4), %0"
                     : "=r"(r) : "r"(b + 0x40) : "r9", "r12", "memory");
    CHECK_EQ_NAMED("base-r12-index-r9", r, 0x636261605f5e5d5cull);
    __asm__ volatile("mov %1, %%r13\n\tmov $7, %%r9d\n\tmovq 8(%%r13,%%r9,8), %0"
                     : "=r"(r) : "r"(b + 0x48) : "r9", "r13", "memory");
    CHECK_EQ_NAMED("base-r13-index-r9-disp", r, 0x8f8e8d8c8b8a8988ull);

    /* rsp and rbp as base. */
    __asm__ volatile("push %1\n\tmovq (%%rsp), %0\n\tlea 8(%%rsp), %%rsp"
                     : "=&r"(r) : "r"(0x1234ull));
    CHECK_EQ_NAMED("base-rsp", r, 0x1234);
    __asm__ volatile("push %%rbp\n\tmov %1, %%rbp\n\tmovq 0(%%rbp), %0\n\tpop %%rbp"
                     : "=&r"(r) : "r"(b + 0x60) : "memory");
    CHECK_EQ_NAMED("base-rbp", r, 0x6766656463626160ull);
}

static void test_sizes(void)
{
    const uint8_t *b = bytes;
    uint64_t r;

    test_group("load");
    OPAQUE(b);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movb 0x11(%1), %b0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("mov8-keeps", r, 0xaaaaaaaaaaaaaa11ull);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movw 0x21(%1), %w0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("mov16-keeps", r, 0xaaaaaaaaaaaa2221ull);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movl 0x33(%1), %k0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("mov32-zeroes", r, 0x36353433);
    __asm__ volatile("movq 0x45(%1), %0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("mov64-unaligned", r, 0x4c4b4a4948474645ull);

    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movzbl 0x85(%1), %k0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movzbl", r, 0x85);
    __asm__ volatile("movzbq 0x85(%1), %q0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movzbq", r, 0x85);
    __asm__ volatile("movzwl 0x90(%1), %k0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movzwl", r, 0x9190);
    __asm__ volatile("movsbq 0x85(%1), %q0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movsbq", r, 0xffffffffffffff85ull);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movsbl 0x85(%1), %k0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movsbl", r, 0xffffff85);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("movsbw 0x81(%1), %w0" : "+r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movsbw-keeps", r, 0xaaaaaaaaaaaaff81ull);
    __asm__ volatile("movsbq 0x75(%1), %q0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movsbq-positive", r, 0x75);
    __asm__ volatile("movswq 0x90(%1), %q0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movswq", r, 0xffffffffffff9190ull);
    __asm__ volatile("movswl 0x90(%1), %k0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movswl", r, 0xffff9190);
    __asm__ volatile("movslq 0xa0(%1), %q0" : "=r"(r) : "r"(b) : "memory");
    CHECK_EQ_NAMED("movslq", r, 0xffffffffa3a2a1a0ull);
    uint64_t s = 0x12345678abcdef80ull;
    __asm__ volatile("movsbq %b1, %q0" : "=r"(r) : "r"(s));
    CHECK_EQ_NAMED("movsbq-reg", r, 0xffffffffffffff80ull);
    __asm__ volatile("movzwq %w1, %q0" : "=r"(r) : "r"(s));
    CHECK_EQ_NAMED("movzwq-reg", r, 0xef80);
    __asm__ volatile("movslq %k1, %q0" : "=r"(r) : "r"(s));
    CHECK_EQ_NAMED("movslq-reg", r, 0xffffffffabcdef80ull);

    /* Stores touch exactly their bytes. */
    static uint64_t w[3];
    uint64_t *p = w;
    OPAQUE(p);
    test_group("store");
    w[0] = w[1] = w[2] = 0x1111111111111111ull;
    __asm__ volatile("movb %b1, 3(%0)" : : "r"(p), "r"(0xffffffffffffffabull) : "memory");
    CHECK_EQ_NAMED("mov8", w[0], 0x11111111ab111111ull);
    __asm__ volatile("movw %w1, 9(%0)" : : "r"(p), "r"(0xffffffffffffcdefull) : "memory");
    CHECK_EQ_NAMED("mov16-unaligned", w[1], 0x111111111111cdefull << 8 | 0x11);
    __asm__ volatile("movl $0xdeadbeef, 20(%0)" : : "r"(p) : "memory");
    CHECK_EQ_NAMED("mov32-imm", w[2], 0xdeadbeef11111111ull);
    __asm__ volatile("movq $-2, (%0)" : : "r"(p) : "memory");
    CHECK_EQ_NAMED("mov64-imm-sext", w[0], 0xfffffffffffffffeull);
    __asm__ volatile("movw $0x4242, 6(%0)\n\tmovb $0x99, 8(%0)" : : "r"(p) : "memory");
    CHECK_EQ_NAMED("mov16-imm", w[0], 0x4242fffffffffffeull);
    CHECK_EQ_NAMED("mov8-imm", w[1], 0x1111111111cdef99ull);
    CHECK_EQ_NAMED("untouched", w[2], 0xdeadbeef11111111ull);
}

/* Two pages; accesses that straddle the boundary. */
static uint8_t pages[8192] __attribute__((aligned(4096)));

static void test_page_cross(void)
{
    uint8_t *p = pages;
    uint64_t r;

    test_group("page-cross");
    OPAQUE(p);
    for (unsigned i = 4080; i < 4112; i++) {
        pages[i] = 0;
    }
    __asm__ volatile("movq %1, 4093(%0)" : : "r"(p), "r"(0x8877665544332211ull) : "memory");
    CHECK_EQ_NAMED("store64-bytes-before", pages[4095] | pages[4094] << 8 | pages[4093] << 16,
                   0x112233);
    CHECK_EQ_NAMED("store64-bytes-after", pages[4096] | pages[4097] << 8 | pages[4100] << 16,
                   0x885544);
    __asm__ volatile("movq 4093(%1), %0" : "=r"(r) : "r"(p) : "memory");
    CHECK_EQ_NAMED("load64", r, 0x8877665544332211ull);
    __asm__ volatile("movw %w1, 4095(%0)" : : "r"(p), "r"(0xbeefull) : "memory");
    __asm__ volatile("movzwl 4095(%1), %k0" : "=r"(r) : "r"(p) : "memory");
    CHECK_EQ_NAMED("load16", r, 0xbeef);
    __asm__ volatile("movl 4094(%1), %k0" : "=r"(r) : "r"(p) : "memory");
    CHECK_EQ_NAMED("load32", r, 0x55beef22);
}

static void test_stack(void)
{
    /* Static: a memory operand must not be RSP-relative while we push. */
    static uint64_t m = 0x5555666677778888ull, m2;
    uint64_t before, mid, after, o0, o1, o2, o3, o4;

    test_group("stack");
    __asm__ volatile("mov %%rsp, %[before]\n\t"
                     "pushq $-1\n\t"
                     "pushq $0x12345678\n\t"
                     "pushq $-0x80000000\n\t"
                     "pushq %[v]\n\t"
                     "pushq %[m]\n\t"
                     "mov %%rsp, %[mid]\n\t"
                     "popq %[m2]\n\t"
                     "popq %[o3]\n\t"
                     "popq %[o2]\n\t"
                     "popq %[o1]\n\t"
                     "popq %[o0]\n\t"
                     "mov %%rsp, %[after]"
                     : [before] "=&r"(before), [mid] "=&r"(mid), [after] "=&r"(after),
                       [o0] "=&r"(o0), [o1] "=&r"(o1), [o2] "=&r"(o2), [o3] "=&r"(o3),
                       [m2] "=m"(m2)
                     : [v] "r"(0xaabbccddeeff0011ull), [m] "m"(m)
                     : "memory");
    CHECK_EQ_NAMED("push-imm8-sext", o0, 0xffffffffffffffffull);
    CHECK_EQ_NAMED("push-imm32", o1, 0x12345678);
    CHECK_EQ_NAMED("push-imm32-sext", o2, 0xffffffff80000000ull);
    CHECK_EQ_NAMED("push-reg", o3, 0xaabbccddeeff0011ull);
    CHECK_EQ_NAMED("push-mem-pop-mem", m2, 0x5555666677778888ull);
    CHECK_EQ_NAMED("rsp-after-push", before - mid, 40);
    CHECK_EQ_NAMED("rsp-after-pop", after, before);
    /* push %rsp pushes the value before the decrement. */
    __asm__ volatile("mov %%rsp, %0\n\tpush %%rsp\n\tpop %1" : "=&r"(before), "=r"(o4));
    CHECK_EQ_NAMED("push-rsp", o4, before);
    CHECK_EQ_NAMED("rsp-aligned", before & 15, 0);
}

static void test_xchg_lea(void)
{
    static uint64_t cell;
    uint64_t r;

    test_group("xchg");
    cell = 0x1111111111111111ull;
    r = 0xaaaaaaaaaaaaaa22ull;
    __asm__ volatile("xchgb %b0, %1" : "+r"(r), "+m"(cell));
    CHECK_EQ_NAMED("xchg8-reg", r, 0xaaaaaaaaaaaaaa11ull);
    CHECK_EQ_NAMED("xchg8-mem", cell, 0x1111111111111122ull);
    r = 0xaaaaaaaaaaaa3333ull;
    __asm__ volatile("xchgw %w0, %1" : "+r"(r), "+m"(cell));
    CHECK_EQ_NAMED("xchg16-reg", r, 0xaaaaaaaaaaaa1122ull);
    CHECK_EQ_NAMED("xchg16-mem", cell, 0x1111111111113333ull);
    r = 0xaaaaaaaa44444444ull;
    __asm__ volatile("xchgl %k0, %1" : "+r"(r), "+m"(cell));
    CHECK_EQ_NAMED("xchg32-reg-zeroes", r, 0x11113333);
    CHECK_EQ_NAMED("xchg32-mem", cell, 0x1111111144444444ull);
    r = 0x0123456789abcdefull;
    __asm__ volatile("xchgq %0, %1" : "+r"(r), "+m"(cell));
    CHECK_EQ_NAMED("xchg64-reg", r, 0x1111111144444444ull);
    CHECK_EQ_NAMED("xchg64-mem", cell, 0x0123456789abcdefull);
    uint64_t a = 1, b = 2;
    __asm__ volatile("xchgq %0, %1" : "+r"(a), "+r"(b));
    CHECK_EQ_NAMED("xchg-reg-reg", a * 10 + b, 21);

    test_group("lea");
    uint64_t base = 0x1000, idx = 0x10;
    OPAQUE(base);
    OPAQUE(idx);
    __asm__ volatile("leaq 0x20(%1,%2,8), %0" : "=r"(r) : "r"(base), "r"(idx));
    CHECK_EQ_NAMED("lea64", r, 0x10a0);
    __asm__ volatile("leal -1(%1), %k0" : "=r"(r) : "r"(0ull));
    CHECK_EQ_NAMED("lea32-zeroes", r, 0xffffffff);
    __asm__ volatile("leaq -1(%1), %0" : "=r"(r) : "r"(0ull));
    CHECK_EQ_NAMED("lea64-neg", r, 0xffffffffffffffffull);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("leaw 2(%1,%1,2), %w0" : "+r"(r) : "r"(0x7fffull));
    CHECK_EQ_NAMED("lea16-keeps", r, 0xaaaaaaaaaaaa7fffull);
    uint64_t here;
    __asm__ volatile("leaq 1f(%%rip), %0\n\tcall 1f\n1:\n\tpop %1" : "=&r"(r), "=r"(here));
    CHECK_EQ_NAMED("lea-rip", r, here);
}

/* 4 MiB written with a generator and read back. */
#define BIG_WORDS (4u << 20) / 8
static uint64_t big[BIG_WORDS];

static uint64_t lcg(uint64_t x)
{
    return x * 6364136223846793005ull + 1442695040888963407ull;
}

static void test_big_buffer(void)
{
    uint64_t x = 42, wsum = 0, rsum = 0, bad = 0;

    test_group("big");
    for (unsigned i = 0; i < BIG_WORDS; i++) {
        x = lcg(x);
        big[i] = x ^ i;
        wsum += x ^ i;
    }
    x = 42;
    for (unsigned i = 0; i < BIG_WORDS; i++) {
        x = lcg(x);
        uint64_t v = big[i];
        rsum += v;
        bad += v != (x ^ i);
    }
    CHECK_EQ_NAMED("mismatches", bad, 0);
    CHECK_EQ_NAMED("checksum-read-write", rsum, wsum);
    CHECK_EQ_NAMED("checksum", rsum, 0x07e97b4dbfc80000ull);

    /* Byte stores at a stride over the whole buffer, then a byte sum. */
    uint8_t *p = (uint8_t *)big;
    uint64_t n = 0, bsum = 0;
    for (uint64_t off = 0; off < sizeof(big); off += 4099) {
        p[off] = (uint8_t)(off >> 3);
        n++;
    }
    for (uint64_t off = 0; off < sizeof(big); off += 4099) {
        bsum += p[off];
    }
    CHECK_EQ_NAMED("stride-count", n, 1024);
    CHECK_EQ_NAMED("stride-sum", bsum, 0x1a880);
}

/* Under tern: one qword every 1 MiB from 16 MiB to the top of RAM. */
static void test_ram(const struct tern_bootinfo *bi)
{
    if (bi->magic != TERN_BOOTINFO_MAGIC || bi->ram_size < (32u << 20)) {
        return;
    }
    test_group("ram");
    uint64_t top = bi->ram_size, bad = 0, n = 0;
    if (top > (4ull << 30)) {
        top = 4ull << 30;       /* the boot page tables map 4 GiB */
    }
    for (uint64_t a = 16u << 20; a + 8 <= top; a += 1u << 20) {
        *(volatile uint64_t *)(uintptr_t)a = a * 0x9e3779b97f4a7c15ull;
    }
    *(volatile uint64_t *)(uintptr_t)(top - 8) = 0x746f70;
    for (uint64_t a = 16u << 20; a + 8 <= top; a += 1u << 20) {
        bad += *(volatile uint64_t *)(uintptr_t)a != a * 0x9e3779b97f4a7c15ull;
        n++;
    }
    CHECK_NAMED("sweep-count", n > 0);
    CHECK_EQ_NAMED("sweep-mismatches", bad, 0);
    CHECK_EQ_NAMED("top-of-ram", *(volatile uint64_t *)(uintptr_t)(top - 8), 0x746f70);
}

int main(const struct tern_bootinfo *bi)
{
    test_addressing();
    test_sizes();
    test_page_cross();
    test_stack();
    test_xchg_lea();
    test_big_buffer();
    test_ram(bi);
    test_done();
}
