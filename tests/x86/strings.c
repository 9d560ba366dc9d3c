/*
 * strings.c: movs cmps stos lods scas in every size, with and without
 * rep/repe/repne: results, the final rCX/rSI/rDI, flags, DF = 1 (going
 * down), a rep with rCX = 0 (nothing happens, flags kept), repe/repne
 * stopping early, the 67 prefix (ECX/ESI/EDI, written as 32-bit
 * registers), lods' partial-register rule, an overlapping rep movsb (the
 * element-wise result, not memmove's), and big (4 MiB) rep movsb/stosb
 * with a throughput line.  The native build proves the expected values.
 */
#include "tern.h"

#define BIG (4u << 20)

static uint8_t src[512] __attribute__((aligned(64)));
static uint8_t dst[512] __attribute__((aligned(64)));
static uint8_t big_a[BIG] __attribute__((aligned(4096)));
static uint8_t big_b[BIG] __attribute__((aligned(4096)));

static void fill(void)
{
    for (unsigned i = 0; i < sizeof(src); i++) {
        src[i] = (uint8_t)(i * 7 + 1);
        dst[i] = 0xee;
    }
}

static void test_movs(void)
{
    uint64_t si, di, cx;

    test_group("movs");
    fill();
    si = (uint64_t)src, di = (uint64_t)dst, cx = 100;
    __asm__ volatile("rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("b-rcx", cx, 0);
    CHECK_EQ_NAMED("b-rsi", si, (uint64_t)src + 100);
    CHECK_EQ_NAMED("b-rdi", di, (uint64_t)dst + 100);
    CHECK_EQ_NAMED("b-data", memcmp(src, dst, 100), 0);
    CHECK_EQ_NAMED("b-after", dst[100], 0xee);

    fill();
    si = (uint64_t)src, di = (uint64_t)dst;
    __asm__ volatile("movsw\n\tmovsl\n\tmovsq" : "+S"(si), "+D"(di) : : "memory");
    CHECK_EQ_NAMED("single-rsi", si, (uint64_t)src + 14);
    CHECK_EQ_NAMED("single-data", memcmp(src, dst, 14), 0);
    CHECK_EQ_NAMED("single-after", dst[14], 0xee);

    /* DF = 1: from the last element down */
    fill();
    si = (uint64_t)(src + 8 * 9), di = (uint64_t)(dst + 8 * 9), cx = 10;
    __asm__ volatile("std\n\trep movsq\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("q-down-rsi", si, (uint64_t)src - 8);
    CHECK_EQ_NAMED("q-down-rdi", di, (uint64_t)dst - 8);
    CHECK_EQ_NAMED("q-down-data", memcmp(src, dst, 80), 0);
    CHECK_EQ_NAMED("q-down-after", dst[80], 0xee);

    fill();
    si = (uint64_t)(src + 2 * 20), di = (uint64_t)(dst + 2 * 20), cx = 21;
    __asm__ volatile("std\n\trep movsw\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("w-down-data", memcmp(src, dst, 42), 0);

    /* rCX = 0: nothing moves */
    fill();
    si = (uint64_t)src, di = (uint64_t)dst, cx = 0;
    __asm__ volatile("rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("zero-rsi", si, (uint64_t)src);
    CHECK_EQ_NAMED("zero-data", dst[0], 0xee);

    /* overlap: dst = src + 1 replicates the first byte (element-wise) */
    fill();
    si = (uint64_t)src, di = (uint64_t)(src + 1), cx = 200;
    __asm__ volatile("rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("overlap-fwd", src[150] | (uint64_t)src[200] << 8 | (uint64_t)src[201] << 16,
                   0x01 | 0x01 << 8 | (uint64_t)(uint8_t)(201 * 7 + 1) << 16);
    /* going down with dst = src - 8 (quadwords) replicates the top one */
    fill();
    si = (uint64_t)(src + 8 * 20), di = (uint64_t)(src + 8 * 19), cx = 10;
    __asm__ volatile("std\n\trep movsq\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("overlap-down", src[8 * 10] | (uint64_t)src[8 * 19] << 8,
                   (uint8_t)(8 * 20 * 7 + 1) | (uint64_t)(uint8_t)(8 * 20 * 7 + 1) << 8);

    /* 67: ECX/ESI/EDI; the registers are written as 32-bit ones */
    fill();
    si = (uint64_t)src | 0xabcd00000000ull, di = (uint64_t)dst | 0x1200000000ull;
    cx = 0x7700000003ull;
    __asm__ volatile("addr32 rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("a32-rcx", cx, 0);
    CHECK_EQ_NAMED("a32-rsi", si, (uint64_t)src + 3);
    CHECK_EQ_NAMED("a32-rdi", di, (uint64_t)dst + 3);
    CHECK_EQ_NAMED("a32-data", memcmp(src, dst, 3) == 0 && dst[3] == 0xee, 1);

    /* a segment override on the source (ds: no base in 64-bit mode) */
    fill();
    si = (uint64_t)src, di = (uint64_t)dst;
    __asm__ volatile("movsb %%ds:(%%rsi), %%es:(%%rdi)" : "+S"(si), "+D"(di) : : "memory");
    CHECK_EQ_NAMED("ds-override", dst[0], src[0]);
}

static void test_stos_lods(void)
{
    uint64_t di, si, cx, ax;

    test_group("stos");
    fill();
    di = (uint64_t)dst, cx = 5, ax = 0x1122334455667788ull;
    __asm__ volatile("rep stosw" : "+D"(di), "+c"(cx) : "a"(ax) : "memory");
    CHECK_EQ_NAMED("w-rdi", di, (uint64_t)dst + 10);
    CHECK_EQ_NAMED("w-data", *(uint64_t *)(dst + 2), 0x7788778877887788ull);
    CHECK_EQ_NAMED("w-after", dst[10], 0xee);
    di = (uint64_t)dst, cx = 3;
    __asm__ volatile("rep stosq" : "+D"(di), "+c"(cx) : "a"(ax) : "memory");
    CHECK_EQ_NAMED("q-data", *(uint64_t *)(dst + 16), ax);
    di = (uint64_t)(dst + 12);
    __asm__ volatile("std\n\tstosl\n\tstosb\n\tcld" : "+D"(di) : "a"(ax) : "memory");
    CHECK_EQ_NAMED("down-rdi", di, (uint64_t)dst + 7);
    CHECK_EQ_NAMED("down-data", *(uint64_t *)(dst + 8), 0x5566778855667788ull);
    CHECK_EQ_NAMED("down-byte", dst[8], 0x88);

    test_group("lods");
    fill();
    si = (uint64_t)src, ax = 0xffffffffffffffffull;
    __asm__ volatile("lodsb" : "+S"(si), "+a"(ax) : : "memory");
    CHECK_EQ_NAMED("b-partial", ax, 0xffffffffffffff00ull | src[0]);
    __asm__ volatile("lodsl" : "+S"(si), "+a"(ax) : : "memory");
    CHECK_EQ_NAMED("l-zext", ax, *(uint32_t *)(src + 1));
    __asm__ volatile("lodsw" : "+S"(si), "+a"(ax) : : "memory");
    CHECK_EQ_NAMED("w-merge", ax, (*(uint32_t *)(src + 1) & 0xffff0000u) | *(uint16_t *)(src + 5));
    cx = 4, si = (uint64_t)src;
    __asm__ volatile("rep lodsq" : "+S"(si), "+a"(ax), "+c"(cx) : : "memory");
    CHECK_EQ_NAMED("rep-last", ax, *(uint64_t *)(src + 24));
    CHECK_EQ_NAMED("rep-rsi", si, (uint64_t)src + 32);
}

static void test_cmps_scas(void)
{
    uint64_t si, di, cx, f;

    test_group("cmps");
    fill();
    memcpy(dst, src, 64);
    dst[37] ^= 0x80;
    si = (uint64_t)src, di = (uint64_t)dst, cx = 64;
    __asm__ volatile("repe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(si), "+D"(di), "+c"(cx), "=r"(f) : : "memory", "cc");
    CHECK_EQ_NAMED("repe-stop-rcx", cx, 64 - 38);
    CHECK_EQ_NAMED("repe-stop-rsi", si, (uint64_t)src + 38);
    CHECK_EQ_NAMED("repe-stop-zf", f & FL_ZF, 0);
    /* src[37] = 0x04, dst[37] = 0x84: 0x04 - 0x84 = 0x80 borrows and overflows */
    CHECK_EQ_NAMED("repe-stop-flags", f & FL_ARITH, FL_CF | FL_SF | FL_OF);
    si = (uint64_t)src, di = (uint64_t)dst, cx = 16;
    __asm__ volatile("repe cmpsl\n\tpushf\n\tpop %3"
                     : "+S"(si), "+D"(di), "+c"(cx), "=r"(f) : : "memory", "cc");
    CHECK_EQ_NAMED("repe-stop-l-rcx", cx, 16 - 10);
    si = (uint64_t)src, di = (uint64_t)dst, cx = 30;
    __asm__ volatile("repe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(si), "+D"(di), "+c"(cx), "=r"(f) : : "memory", "cc");
    CHECK_EQ_NAMED("repe-all-rcx", cx, 0);
    CHECK_EQ_NAMED("repe-all-flags", f & FL_ARITH, FL_ZF | FL_PF);
    /* rCX = 0: flags untouched */
    si = (uint64_t)src, di = (uint64_t)dst, cx = 0;
    __asm__ volatile("stc\n\trepe cmpsq\n\tpushf\n\tpop %3"
                     : "+S"(si), "+D"(di), "+c"(cx), "=r"(f) : : "memory", "cc");
    CHECK_EQ_NAMED("zero-cf", f & FL_CF, FL_CF);
    CHECK_EQ_NAMED("zero-rsi", si, (uint64_t)src);
    /* single cmpsw, DF = 1 */
    si = (uint64_t)(src + 2), di = (uint64_t)(dst + 2);
    __asm__ volatile("std\n\tcmpsw\n\tcld\n\tpushf\n\tpop %2"
                     : "+S"(si), "+D"(di), "=r"(f) : : "memory", "cc");
    CHECK_EQ_NAMED("down-rsi", si, (uint64_t)src);
    CHECK_EQ_NAMED("down-zf", f & FL_ZF, FL_ZF);

    test_group("scas");
    {
        static char str[] = "hello, strings";
        uint64_t ax = 0;

        di = (uint64_t)str, cx = ~0ull;
        __asm__ volatile("repne scasb\n\tpushf\n\tpop %2"
                         : "+D"(di), "+c"(cx), "=r"(f) : "a"(ax) : "memory", "cc");
        CHECK_EQ_NAMED("strlen", ~cx - 1, 14);
        CHECK_EQ_NAMED("strlen-rdi", di, (uint64_t)str + 15);
        CHECK_EQ_NAMED("strlen-zf", f & FL_ZF, FL_ZF);
        ax = 'z', di = (uint64_t)str, cx = 5;
        __asm__ volatile("repne scasb\n\tpushf\n\tpop %2"
                         : "+D"(di), "+c"(cx), "=r"(f) : "a"(ax) : "memory", "cc");
        CHECK_EQ_NAMED("notfound-rcx", cx, 0);
        CHECK_EQ_NAMED("notfound-zf", f & FL_ZF, 0);
        ax = 0x6c6c, di = (uint64_t)(str + 2);
        __asm__ volatile("scasw\n\tpushf\n\tpop %1" : "+D"(di), "=r"(f) : "a"(ax) : "memory", "cc");
        CHECK_EQ_NAMED("scasw-zf", f & FL_ZF, FL_ZF);
        /* 67 prefix: ECX counts */
        ax = 'o', di = (uint64_t)str, cx = 0x100000000ull | 20;
        __asm__ volatile("addr32 repne scasb" : "+D"(di), "+c"(cx) : "a"(ax) : "memory", "cc");
        CHECK_EQ_NAMED("a32-rcx", cx, 15);
    }
}

static uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void test_big(void)
{
    uint64_t di, si, cx, t0, t1, t2, sum = 0;

    test_group("big");
    di = (uint64_t)big_a, cx = BIG;
    t0 = rdtsc_now();
    __asm__ volatile("rep stosb" : "+D"(di), "+c"(cx) : "a"(0x5a) : "memory");
    t1 = rdtsc_now();
    CHECK_EQ_NAMED("stosb-rdi", di, (uint64_t)big_a + BIG);
    CHECK_EQ_NAMED("stosb-edges", big_a[0] | big_a[BIG / 2] << 8 | big_a[BIG - 1] << 16,
                   0x5a5a5a);
    for (unsigned i = 0; i < BIG; i += 4096) {
        big_a[i + (i >> 12) % 4096] = (uint8_t)(i >> 12);
    }
    si = (uint64_t)big_a, di = (uint64_t)big_b, cx = BIG;
    t2 = rdtsc_now();
    __asm__ volatile("rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    t2 = rdtsc_now() - t2;
    CHECK_EQ_NAMED("movsb-rcx", cx, 0);
    CHECK_EQ_NAMED("movsb-data", memcmp(big_a, big_b, BIG), 0);
    for (unsigned i = 0; i < BIG; i += 64) {
        sum += big_b[i];
    }
    CHECK_NAMED("movsb-sum", sum != 0);
    /* not a check: TSC ticks per 4 MiB (tern's TSC runs at 2 GHz) */
    tern_printf("big: rep stosb 4 MiB %lu ticks, rep movsb 4 MiB %lu ticks\n",
                (unsigned long)(t1 - t0), (unsigned long)t2);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_movs();
    test_stos_lods();
    test_cmps_scas();
    test_big();
    test_done();
}
