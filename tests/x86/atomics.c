/*
 * atomics.c: cmpxchg (8/16/32/64, register and memory, success and
 * failure: which register is written and whether it is zero-extended),
 * cmpxchg8b/cmpxchg16b (ZF only; rDX:rAX loaded on failure), xadd
 * (register, memory, same register), xchg, all also with LOCK.  The
 * native build proves the values.
 */
#include "tern.h"

static void test_cmpxchg(void)
{
    uint64_t a, d, s, f;
    static uint32_t m32;
    static uint8_t m8[2];

    test_group("cmpxchg");
    /* 32-bit register, equal: dst = src (zero-extended), rAX untouched */
    a = 0xaaaaaaaa00000005ull, d = 0xdddddddd00000005ull, s = 0x77;
    __asm__ volatile("cmpxchgl %k[s], %k[d]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
    CHECK_EQ_NAMED("r32-eq-dst", d, 0x77);
    CHECK_EQ_NAMED("r32-eq-rax", a, 0xaaaaaaaa00000005ull);
    CHECK_EQ_NAMED("r32-eq-flags", f & FL_ARITH, FL_ZF | FL_PF);
    /* not equal: rAX = dst (zero-extended), dst untouched (not even zero-extended) */
    a = 0xaaaaaaaa00000005ull, d = 0xdddddddd00000009ull, s = 0x77;
    __asm__ volatile("cmpxchgl %k[s], %k[d]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
    CHECK_EQ_NAMED("r32-ne-dst", d, 0xdddddddd00000009ull);
    CHECK_EQ_NAMED("r32-ne-rax", a, 9);
    CHECK_EQ_NAMED("r32-ne-flags", f & FL_ARITH, FL_CF | FL_SF | FL_AF | FL_PF);
    /* 8-bit with a high-byte register */
    a = 0x1234, d = 0x5678;
    __asm__ volatile("cmpxchgb %%ah, %%dl" : "+a"(a), "+d"(d) : : "cc");
    CHECK_EQ_NAMED("r8-ne", a << 16 | d, 0x12785678);
    a = 0x7878, d = 0x5678;
    __asm__ volatile("cmpxchgb %%ah, %%dl" : "+a"(a), "+d"(d) : : "cc");
    CHECK_EQ_NAMED("r8-eq", a << 16 | d, 0x78785678);
    /* 64-bit and 16-bit */
    a = 1ull << 40, d = 1ull << 40, s = ~0ull;
    __asm__ volatile("cmpxchgq %[s], %[d]" : "+a"(a), [d] "+r"(d) : [s] "r"(s) : "cc");
    CHECK_EQ_NAMED("r64-eq", d, ~0ull);
    a = 0xffff, d = 0xffffffffffff1234ull, s = 0;
    __asm__ volatile("cmpxchgw %w[s], %w[d]" : "+a"(a), [d] "+r"(d) : [s] "r"(s) : "cc");
    CHECK_EQ_NAMED("r16-ne-rax", a, 0x1234);
    /* same register as rAX */
    a = 0x42;
    __asm__ volatile("cmpxchgl %%eax, %%eax" : "+a"(a) : : "cc");
    CHECK_EQ_NAMED("rax-rax", a, 0x42);
    /* memory, with lock */
    m32 = 10, a = 10, s = 20;
    __asm__ volatile("lock cmpxchgl %k[s], %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), [m] "+m"(m32), [f] "=r"(f) : [s] "r"(s) : "cc", "memory");
    CHECK_EQ_NAMED("mem-eq", m32, 20);
    CHECK_EQ_NAMED("mem-eq-zf", f & FL_ZF, FL_ZF);
    a = 0xffffffff00000010ull;
    __asm__ volatile("lock cmpxchgl %k[s], %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), [m] "+m"(m32), [f] "=r"(f) : [s] "r"(s) : "cc", "memory");
    CHECK_EQ_NAMED("mem-ne-rax", a, 20);
    CHECK_EQ_NAMED("mem-ne-m", m32, 20);
    m8[0] = 0x80, m8[1] = 0x55, a = 0x7f, s = 1;
    __asm__ volatile("cmpxchgb %b[s], %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), [m] "+m"(m8[0]), [f] "=r"(f) : [s] "r"(s) : "cc", "memory");
    CHECK_EQ_NAMED("mem8-ne", a | (uint64_t)m8[0] << 8 | (uint64_t)m8[1] << 16, 0x558080);
    CHECK_EQ_NAMED("mem8-ne-flags", f & FL_ARITH, FL_CF | FL_SF | FL_OF | FL_PF);
}

static void test_cmpxchg8b16b(void)
{
    static uint64_t m8 __attribute__((aligned(8)));
    static uint64_t m16[2] __attribute__((aligned(16)));
    uint64_t a, d, b, c, f;

    test_group("cmpxchg8b");
    m8 = 0x1111111122222222ull;
    a = 0xffffffff22222222ull, d = 0xffffffff11111111ull;
    b = 0x33333333, c = 0x44444444;
    __asm__ volatile("lock cmpxchg8b %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), "+d"(d), [m] "+m"(m8), [f] "=r"(f)
                     : "b"(b), "c"(c) : "cc", "memory");
    CHECK_EQ_NAMED("eq-m", m8, 0x4444444433333333ull);
    CHECK_EQ_NAMED("eq-rax", a, 0xffffffff22222222ull);
    CHECK_EQ_NAMED("eq-zf", f & FL_ZF, FL_ZF);
    a = 0xffffffff22222222ull, d = 0xffffffff11111111ull;
    __asm__ volatile("stc\n\tcmpxchg8b %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), "+d"(d), [m] "+m"(m8), [f] "=r"(f)
                     : "b"(b), "c"(c) : "cc", "memory");
    CHECK_EQ_NAMED("ne-rax", a, 0x33333333);
    CHECK_EQ_NAMED("ne-rdx", d, 0x44444444);
    CHECK_EQ_NAMED("ne-flags", f & (FL_ZF | FL_CF), FL_CF);

    test_group("cmpxchg16b");
    m16[0] = 1, m16[1] = 2;
    a = 1, d = 2, b = 0xbbbbbbbbbbbbbbbbull, c = 0xccccccccccccccccull;
    __asm__ volatile("lock cmpxchg16b %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), "+d"(d), [m] "+m"(m16), [f] "=r"(f)
                     : "b"(b), "c"(c) : "cc", "memory");
    CHECK_EQ_NAMED("eq-lo", m16[0], b);
    CHECK_EQ_NAMED("eq-hi", m16[1], c);
    CHECK_EQ_NAMED("eq-zf", f & FL_ZF, FL_ZF);
    a = b, d = 0;
    __asm__ volatile("cmpxchg16b %[m]\n\tpushf\n\tpop %[f]"
                     : "+a"(a), "+d"(d), [m] "+m"(m16), [f] "=r"(f)
                     : "b"((uint64_t)5), "c"((uint64_t)6) : "cc", "memory");
    CHECK_EQ_NAMED("ne-rax", a, b);
    CHECK_EQ_NAMED("ne-rdx", d, c);
    CHECK_EQ_NAMED("ne-m", m16[0] ^ m16[1], b ^ c);
    CHECK_EQ_NAMED("ne-zf", f & FL_ZF, 0);
}

static void test_xadd_xchg(void)
{
    static uint64_t m = 40;
    uint64_t a, b, f;

    test_group("xadd");
    a = 0xffffffff00000001ull, b = 0xffffffffffffffffull;
    __asm__ volatile("xaddl %k[a], %k[b]\n\tpushf\n\tpop %[f]"
                     : [a] "+r"(a), [b] "+r"(b), [f] "=r"(f) : : "cc");
    CHECK_EQ_NAMED("r32-src", a, 0xffffffff);
    CHECK_EQ_NAMED("r32-dst", b, 0);
    CHECK_EQ_NAMED("r32-flags", f & FL_ARITH, FL_CF | FL_ZF | FL_PF | FL_AF);
    a = 2;
    __asm__ volatile("lock xaddq %[a], %[m]" : [a] "+r"(a), [m] "+m"(m) : : "cc", "memory");
    CHECK_EQ_NAMED("mem-old", a, 40);
    CHECK_EQ_NAMED("mem-new", m, 42);
    a = 0x1234;
    __asm__ volatile("xaddw %w[a], %w[a]" : [a] "+r"(a) : : "cc");
    CHECK_EQ_NAMED("same-reg", a, 0x2468);
    a = 0x7f;
    __asm__ volatile("xaddb %%al, %%ah\n\tpushf\n\tpop %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    CHECK_EQ_NAMED("r8-high", a, 0x7f00);
    CHECK_EQ_NAMED("r8-high-flags", f & FL_ARITH, 0);

    test_group("xchg");
    a = 7;
    __asm__ volatile("lock xchgq %[a], %[m]" : [a] "+r"(a), [m] "+m"(m) : : "memory");
    CHECK_EQ_NAMED("lock-mem", a << 8 | m, 42 << 8 | 7);
    a = 0x11, b = 0xffffffff00000022ull;
    __asm__ volatile("xchgl %k[a], %k[b]" : [a] "+r"(a), [b] "+r"(b));
    CHECK_EQ_NAMED("r32-zext", a << 8 | b, 0x22 << 8 | 0x11);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_cmpxchg();
    test_cmpxchg8b16b();
    test_xadd_xchg();
    test_done();
}
