// tern-nested: allow bswap/16-undefined QEMU 7.2 TCG (the nested CPU) gives a different result for the undefined 16-bit BSWAP
/*
 * misc.c: bswap (32/64, and the undefined 16-bit form: Intel clears the
 * low word), lahf/sahf, enter (levels 0, 1 and 3) and leave, loop/loope/
 * loopne/jrcxz/jecxz (the 67 prefix counts with ECX), xlat, rdtsc and
 * rdtscp (monotonic), rdrand/rdseed (CF = 1, values vary), and that pause,
 * the fences, clflush/clflushopt and the prefetches run.  The native build
 * proves the values.
 */
#include "tern.h"

static void test_bswap(void)
{
    uint64_t r;

    test_group("bswap");
    r = 0xffffffff12345678ull;
    __asm__ volatile("bswap %k0" : "+r"(r));
    CHECK_EQ_NAMED("32", r, 0x78563412);
    r = 0x0102030405060708ull;
    __asm__ volatile("bswap %0" : "+r"(r));
    CHECK_EQ_NAMED("64", r, 0x0807060504030201ull);
    r = 0x0102030405060708ull;
    __asm__ volatile("mov %0, %%r9\n\tbswap %%r9\n\tmov %%r9, %0" : "+r"(r) : : "r9");
    CHECK_EQ_NAMED("r9", r, 0x0807060504030201ull);
    r = 0x1234567812345678ull;
    __asm__ volatile(".byte 0x66; bswap %k0" : "+r"(r));
    CHECK_EQ_NAMED("16-undefined", r, 0x1234567812340000ull);
}

static void test_lahf_sahf(void)
{
    uint64_t a, f;

    test_group("lahf");
    a = 0xffffffffffffffffull;
    __asm__ volatile("xor %%ecx, %%ecx\n\tstc\n\tmov $0xffffffffffffffff, %%rax\n\tlahf"
                     : "=a"(a) : : "rcx", "cc");
    CHECK_EQ_NAMED("zf-pf-cf", a, 0xffffffffffff47ffull);
    __asm__ volatile("mov $0x7f, %%cl\n\tinc %%cl\n\tmov $0, %%eax\n\tlahf"
                     : "=a"(a) : : "rcx", "cc");
    CHECK_EQ_NAMED("sf-af", a, 0x9200);
    test_group("sahf");
    a = 0xd5 << 8;
    __asm__ volatile("mov $0x7f, %%cl\n\tinc %%cl\n\tsahf\n\tpushf\n\tpop %0"
                     : "=r"(f), "+a"(a) : : "rcx", "cc");
    CHECK_EQ_NAMED("all-keep-of", f & FL_ARITH, FL_ARITH);
    a = 0x02 << 8;
    __asm__ volatile("sahf\n\tpushf\n\tpop %0" : "=r"(f), "+a"(a) : : "cc");
    CHECK_EQ_NAMED("none", f & (FL_ARITH & ~FL_OF), 0);
}

/* enter N, L in a scratch frame; returns rsp and rbp after, and the stack */
static uint64_t stack_area[64];

/* rsp/rbp after the instructions go through memory: the asm cannot name
 * rsp or rbp as operands while it has replaced them */
static volatile uint64_t enter_sp __attribute__((used)), enter_bp __attribute__((used));
#define ENTER(text, rbp_in, rsp_out, rbp_out)                                 \
    do {                                                                     \
        __asm__ volatile("mov %%rsp, %%r8\n\tmov %%rbp, %%r9\n\t"              \
                         "mov %[sp], %%rsp\n\tmov %[bp], %%rbp\n\t" text "\n\t" \
                         "mov %%rsp, enter_sp(%%rip)\n\t"                      \
                         "mov %%rbp, enter_bp(%%rip)\n\t"                      \
                         "mov %%r8, %%rsp\n\tmov %%r9, %%rbp"                    \
                         : : [sp] "r"(&stack_area[48]), [bp] "r"((uint64_t)(rbp_in)) \
                         : "r8", "r9", "memory");                             \
        rsp_out = enter_sp;                                                  \
        rbp_out = enter_bp;                                                  \
    } while (0)

static void test_enter_leave(void)
{
    uint64_t sp, bp, base = (uint64_t)&stack_area[48];

    test_group("enter");
    for (int i = 0; i < 64; i++) {
        stack_area[i] = 0x1000 + i;
    }
    ENTER("enter $16, $0", (uint64_t)&stack_area[56], sp, bp);
    CHECK_EQ_NAMED("l0-rbp", bp, base - 8);
    CHECK_EQ_NAMED("l0-rsp", sp, base - 8 - 16);
    CHECK_EQ_NAMED("l0-saved", stack_area[47], (uint64_t)&stack_area[56]);
    ENTER("enter $8, $1", (uint64_t)&stack_area[56], sp, bp);
    CHECK_EQ_NAMED("l1-rbp", bp, base - 8);
    CHECK_EQ_NAMED("l1-rsp", sp, base - 16 - 8);
    CHECK_EQ_NAMED("l1-frame", stack_area[46], base - 8);
    ENTER("enter $0, $3", (uint64_t)&stack_area[56], sp, bp);
    CHECK_EQ_NAMED("l3-rsp", sp, base - 8 * 4);
    CHECK_EQ_NAMED("l3-copy1", stack_area[46], 0x1000 + 55);
    CHECK_EQ_NAMED("l3-copy2", stack_area[45], 0x1000 + 54);
    CHECK_EQ_NAMED("l3-frame", stack_area[44], base - 8);
    ENTER("enter $4, $1\n\tleave", 0x1234, sp, bp);
    CHECK_EQ_NAMED("leave", (sp - base) << 16 | bp, 0x1234);
    ENTER("data16 enter $2, $0", 0xffff, sp, bp);
    CHECK_EQ_NAMED("16-rsp", sp, base - 4);
    CHECK_EQ_NAMED("16-bp", bp & 0xffff, (base - 2) & 0xffff);
}

static void test_loop(void)
{
    uint64_t c, n, a;

    test_group("loop");
    c = 10, n = 0;
    __asm__ volatile("1: inc %1\n\tloop 1b" : "+c"(c), "+r"(n) : : "cc");
    CHECK_EQ_NAMED("count", n << 8 | c, 10 << 8);
    c = 0x100000003ull, n = 0;
    __asm__ volatile("1: inc %1\n\taddr32 loop 1b" : "+c"(c), "+r"(n) : : "cc");
    CHECK_EQ_NAMED("ecx", n << 40 | c, 3ull << 40);
    /* loope: stop when ZF = 0 */
    c = 10, n = 0;
    __asm__ volatile("1: inc %1\n\tcmp $3, %1\n\tloopne 1b" : "+c"(c), "+r"(n) : : "cc");
    CHECK_EQ_NAMED("loopne", n << 8 | c, 3 << 8 | 7);
    c = 10, n = 0, a = 0;
    __asm__ volatile("1: inc %1\n\tcmp %2, %2\n\tloope 1b" : "+c"(c), "+r"(n) : "r"(a) : "cc");
    CHECK_EQ_NAMED("loope-all", n << 8 | c, 10 << 8);
    c = 10, n = 0;
    __asm__ volatile("1: inc %1\n\ttest %1, %1\n\tloope 1b" : "+c"(c), "+r"(n) : : "cc");
    CHECK_EQ_NAMED("loope-stop", n << 8 | c, 1 << 8 | 9);
    /* jrcxz / jecxz */
    c = 0x100000000ull, n = 0;
    __asm__ volatile("jrcxz 1f\n\tinc %0\n1:" : "+r"(n) : "c"(c) : "cc");
    CHECK_EQ_NAMED("jrcxz-not", n, 1);
    __asm__ volatile("jecxz 1f\n\tinc %0\n1:" : "+r"(n) : "c"(c) : "cc");
    CHECK_EQ_NAMED("jecxz-taken", n, 1);
}

static void test_xlat(void)
{
    static const uint8_t table[256] = { [0] = 0x10, [5] = 0x55, [255] = 0xff };
    uint64_t a;

    test_group("xlat");
    a = 0xabcd05;
    __asm__ volatile("xlat" : "+a"(a) : "b"(table) : "memory");
    CHECK_EQ_NAMED("al", a, 0xabcd55);
    a = 0xff;
    __asm__ volatile("xlatb" : "+a"(a) : "b"(table) : "memory");
    CHECK_EQ_NAMED("al-ff", a, 0xff);
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void test_tsc_rand(void)
{
    uint64_t t0, t1, t2, v0, v1 = 0, f;
    uint32_t lo, hi, aux;
    int differ = 0;

    test_group("tsc");
    t0 = rdtsc();
    for (volatile int i = 0; i < 1000; i++) {
    }
    t1 = rdtsc();
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    t2 = (uint64_t)hi << 32 | lo;
    CHECK_NAMED("monotonic", t1 > t0 && t2 >= t1);
    (void)aux;

    test_group("rdrand");
    for (int i = 0; i < 4; i++) {
        __asm__ volatile("rdrand %0\n\tpushf\n\tpop %1" : "=r"(v0), "=r"(f) : : "cc");
        CHECK_EQ_NAMED("cf", f & FL_ARITH, FL_CF);
        differ |= i > 0 && v0 != v1;
        v1 = v0;
    }
    CHECK_NAMED("varies", differ);
    v0 = 0xffffffffffffffffull;
    __asm__ volatile("rdrand %w0" : "+r"(v0) : : "cc");
    CHECK_EQ_NAMED("16-keeps", v0 >> 16, 0xffffffffffffull);
    __asm__ volatile("rdseed %k0\n\tpushf\n\tpop %1" : "=r"(v0), "=r"(f) : : "cc");
    CHECK_EQ_NAMED("seed-32", v0 >> 32, 0);
    /* rdseed may fail on hardware under load (CF = 0); tern's never does */
    CHECK_EQ_NAMED("seed-flags", f & (FL_ARITH & ~FL_CF), 0);
}

static void test_hints(void)
{
    static uint64_t line[8] __attribute__((aligned(64))) = { 1 };

    test_group("hints");
    __asm__ volatile("pause\n\tlfence\n\tmfence\n\tsfence" : : : "memory");
    __asm__ volatile("clflush %0" : : "m"(line[0]) : "memory");
    __asm__ volatile("clflushopt %0" : : "m"(line[1]) : "memory");
    __asm__ volatile("prefetcht0 %0\n\tprefetcht1 %0\n\tprefetcht2 %0\n\tprefetchnta %0\n\t"
                     "prefetchw %0" : : "m"(line[2]));
    CHECK_EQ_NAMED("line-kept", line[0], 1);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_bswap();
    test_lahf_sahf();
    test_enter_leave();
    test_loop();
    test_xlat();
    test_tsc_rand();
    test_hints();
    test_done();
}
