/*
 * branches.c: control flow.  All 16 jcc conditions, setcc and cmovcc
 * (each against a hand-written table of which conditions hold for a given
 * RFLAGS, set both by popf and by real cmp/test/add instructions), call/ret
 * (a recursion), indirect jmp/call through registers, memory and tables
 * (a switch jump table), and loops.
 *
 * A condition mask has bit n set when condition n holds, in encoding order:
 *   0 o  1 no  2 b  3 ae  4 e  5 ne  6 be  7 a
 *   8 s  9 ns 10 p 11 np 12 l 13 ge 14 le 15 g
 * The native build checks every table on the host CPU.
 */
#include "tern.h"

#define FOR_EACH_CC(X)                                                       \
    X("o", 0) X("no", 1) X("b", 2) X("ae", 3) X("e", 4) X("ne", 5)           \
    X("be", 6) X("a", 7) X("s", 8) X("ns", 9) X("p", 10) X("np", 11)         \
    X("l", 12) X("ge", 13) X("le", 14) X("g", 15)

/*
 * Condition masks by jcc, setcc and cmovcc after the flag-setting asm text
 * pre (operands %[a], %[b]).  setcc/cmov results that are not 0/1, or
 * upper bits that change when they must not, count in *bad.
 */
#define DEFINE_CC_FUNCS(fn, pre)                                             \
static unsigned fn##_jcc(uint64_t a, uint64_t b)                             \
{                                                                            \
    unsigned m = 0;                                                          \
    FOR_EACH_CC(fn##_J)                                                      \
    return m;                                                                \
}                                                                            \
static unsigned fn##_setcc(uint64_t a, uint64_t b, unsigned *bad)            \
{                                                                            \
    unsigned m = 0;                                                          \
    FOR_EACH_CC(fn##_SET)                                                    \
    return m;                                                                \
}                                                                            \
static unsigned fn##_cmov(uint64_t a, uint64_t b, unsigned *bad)             \
{                                                                            \
    unsigned m = 0;                                                          \
    FOR_EACH_CC(fn##_CMOV)                                                   \
    return m;                                                                \
}

#define CC_J(pre, cc, n)                                                     \
    __asm__ volatile(pre "\n\tj" cc " 1f\n\tjmp 2f\n1:\n\torl %[bit], %[m]\n2:" \
                     : [m] "+r"(m)                                           \
                     : [a] "r"(a), [b] "r"(b), [bit] "i"(1u << (n))          \
                     : "cc", "r11");
#define CC_SET(pre, cc, n)                                                   \
    {                                                                        \
        uint64_t r_ = 0xaaaaaaaaaaaaaaaaull;                                 \
        __asm__ volatile(pre "\n\tset" cc " %b[r]"                           \
                         : [r] "+r"(r_) : [a] "r"(a), [b] "r"(b) : "cc", "r11"); \
        *bad += (r_ >> 8) != 0xaaaaaaaaaaaaaaull || (r_ & 0xff) > 1;         \
        m |= (unsigned)(r_ & 1) << (n);                                      \
    }
/* 64-bit cmov into a register; 32-bit cmov zeroes bits 63:32 even when it
 * does not move; 16-bit cmov keeps them. */
#define CC_CMOV(pre, cc, n)                                                  \
    {                                                                        \
        uint64_t r_ = 0, s_ = 1, r32_ = 0xffffffff00000000ull;               \
        uint64_t s32_ = 0xbbbbbbbb00000001ull, r16_ = 0xcccccccccccc0000ull; \
        __asm__ volatile(pre "\n\tcmov" cc "q %[s], %[r]\n\t"                \
                         "cmov" cc "l %k[s32], %k[r32]\n\t"                  \
                         "cmov" cc "w %w[s32], %w[r16]"                      \
                         : [r] "+r"(r_), [r32] "+r"(r32_), [r16] "+r"(r16_)  \
                         : [s] "r"(s_), [s32] "r"(s32_),                     \
                           [a] "r"(a), [b] "r"(b)                            \
                         : "cc", "r11");                                     \
        *bad += r_ > 1 || r32_ != r_ || r16_ != (0xcccccccccccc0000ull | r_); \
        m |= (unsigned)r_ << (n);                                            \
    }

/* Flags straight from popf: a = RFLAGS. */
#define PRE_POPF "push %[a]\n\tpopf"
#define popf_J(cc, n) CC_J(PRE_POPF, cc, n)
#define popf_SET(cc, n) CC_SET(PRE_POPF, cc, n)
#define popf_CMOV(cc, n) CC_CMOV(PRE_POPF, cc, n)
DEFINE_CC_FUNCS(popf, PRE_POPF)

#define PRE_CMP64 "cmpq %q[b], %q[a]"
#define cmp64_J(cc, n) CC_J(PRE_CMP64, cc, n)
#define cmp64_SET(cc, n) CC_SET(PRE_CMP64, cc, n)
#define cmp64_CMOV(cc, n) CC_CMOV(PRE_CMP64, cc, n)
DEFINE_CC_FUNCS(cmp64, PRE_CMP64)

#define PRE_CMP32 "cmpl %k[b], %k[a]"
#define cmp32_J(cc, n) CC_J(PRE_CMP32, cc, n)
#define cmp32_SET(cc, n) CC_SET(PRE_CMP32, cc, n)
#define cmp32_CMOV(cc, n) CC_CMOV(PRE_CMP32, cc, n)
DEFINE_CC_FUNCS(cmp32, PRE_CMP32)

#define PRE_CMP8 "cmpb %b[b], %b[a]"
#define cmp8_J(cc, n) CC_J(PRE_CMP8, cc, n)
#define cmp8_SET(cc, n) CC_SET(PRE_CMP8, cc, n)
#define cmp8_CMOV(cc, n) CC_CMOV(PRE_CMP8, cc, n)
DEFINE_CC_FUNCS(cmp8, PRE_CMP8)

#define PRE_TEST64 "testq %q[a], %q[a]"
#define test64_J(cc, n) CC_J(PRE_TEST64, cc, n)
#define test64_SET(cc, n) CC_SET(PRE_TEST64, cc, n)
#define test64_CMOV(cc, n) CC_CMOV(PRE_TEST64, cc, n)
DEFINE_CC_FUNCS(test64, PRE_TEST64)

/* Flags of a real add (a + b), computed on a stack copy of a; lea drops the
 * copy without touching the flags. */
#define PRE_ADD64 "push %q[a]\n\taddq %q[b], (%%rsp)\n\tlea 8(%%rsp), %%rsp"
#define add64_J(cc, n) CC_J(PRE_ADD64, cc, n)
#define add64_SET(cc, n) CC_SET(PRE_ADD64, cc, n)
#define add64_CMOV(cc, n) CC_CMOV(PRE_ADD64, cc, n)
DEFINE_CC_FUNCS(add64, PRE_ADD64)

/* A real sub whose result overwrites its first operand (a copy of a in
 * r11): the condition right after it needs a's old value. */
#define PRE_SUB64 "movq %q[a], %%r11\n\tsubq %q[b], %%r11"
#define sub64_J(cc, n) CC_J(PRE_SUB64, cc, n)
#define sub64_SET(cc, n) CC_SET(PRE_SUB64, cc, n)
#define sub64_CMOV(cc, n) CC_CMOV(PRE_SUB64, cc, n)
DEFINE_CC_FUNCS(sub64, PRE_SUB64)

#define PRE_SUB32 "movq %q[a], %%r11\n\tsubl %k[b], %%r11d"
#define sub32_J(cc, n) CC_J(PRE_SUB32, cc, n)
#define sub32_SET(cc, n) CC_SET(PRE_SUB32, cc, n)
#define sub32_CMOV(cc, n) CC_CMOV(PRE_SUB32, cc, n)
DEFINE_CC_FUNCS(sub32, PRE_SUB32)

#define PRE_CMPIMM "cmpq $-1, %q[a]"
#define cmpimm_J(cc, n) CC_J(PRE_CMPIMM, cc, n)
#define cmpimm_SET(cc, n) CC_SET(PRE_CMPIMM, cc, n)
#define cmpimm_CMOV(cc, n) CC_CMOV(PRE_CMPIMM, cc, n)
DEFINE_CC_FUNCS(cmpimm, PRE_CMPIMM)

#define CC_CHECK(name, fn, a, b, want)                                       \
    do {                                                                     \
        unsigned bad_ = 0;                                                   \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("jcc", fn##_jcc((a), (b)), (want));                   \
        CHECK_EQ_NAMED("setcc", fn##_setcc((a), (b), &bad_), (want));        \
        CHECK_EQ_NAMED("cmovcc", fn##_cmov((a), (b), &bad_), (want));        \
        CHECK_EQ_NAMED("setcc-cmovcc-width", bad_, 0);                       \
    } while (0)

static void test_conditions(void)
{
    CC_CHECK("flags-none", popf, 0x002, 0, 0xaaaa);
    CC_CHECK("flags-all", popf, 0x8d7, 0, 0x6555);
    CC_CHECK("flags-cf", popf, 0x003, 0, 0xaa66);
    CC_CHECK("flags-zf", popf, 0x042, 0, 0x6a5a);
    CC_CHECK("flags-sf", popf, 0x082, 0, 0x59aa);
    CC_CHECK("flags-of", popf, 0x802, 0, 0x5aa9);
    CC_CHECK("flags-pf", popf, 0x006, 0, 0xa6aa);
    CC_CHECK("flags-sf-of", popf, 0x882, 0, 0xa9a9);
    CC_CHECK("flags-cf-zf", popf, 0x043, 0, 0x6a56);

    CC_CHECK("cmp64-1-2", cmp64, 1, 2, 0x5566);
    CC_CHECK("cmp64-m1-1", cmp64, 0xffffffffffffffffull, 1, 0x59aa);
    CC_CHECK("cmp64-eq", cmp64, 5, 5, 0x665a);
    CC_CHECK("cmp64-min-1", cmp64, 0x8000000000000000ull, 1, 0x56a9);
    CC_CHECK("cmp32-low-half", cmp32, 0x100000001ull, 0x200000002ull, 0x5566);
    CC_CHECK("cmp8-7f-80", cmp8, 0x7f, 0x80, 0xa565);
    CC_CHECK("test64-zero", test64, 0, 0, 0x665a);
    CC_CHECK("test64-neg", test64, 0x8000000000000000ull, 0, 0x55aa);
    CC_CHECK("add64-carry", add64, 0xffffffffffffffffull, 1, 0x6656);
    CC_CHECK("cmp64-imm-m1", cmpimm, 0, 0, 0xaa66);
    CC_CHECK("sub64-1-2", sub64, 1, 2, 0x5566);
    CC_CHECK("sub64-min-1", sub64, 0x8000000000000000ull, 1, 0x56a9);
    CC_CHECK("sub32-low-half", sub32, 0x100000001ull, 0x200000002ull, 0x5566);
}

/* ---- calls, returns, indirect transfers ---------------------------------- */
static __attribute__((noinline)) uint64_t fib(uint64_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static __attribute__((noinline)) uint64_t depth(uint64_t n)
{
    uint64_t r = n ? depth(n - 1) + 1 : 0;
    OPAQUE(r);
    return r;
}

static __attribute__((noinline)) uint64_t op_add(uint64_t a, uint64_t b) { return a + b; }
static __attribute__((noinline)) uint64_t op_sub(uint64_t a, uint64_t b) { return a - b; }
static __attribute__((noinline)) uint64_t op_mul(uint64_t a, uint64_t b) { return a * b; }
static __attribute__((noinline)) uint64_t op_xor(uint64_t a, uint64_t b) { return a ^ b; }

static uint64_t (*const op_table[4])(uint64_t, uint64_t) = {
    op_add, op_sub, op_mul, op_xor,
};

static __attribute__((noinline)) int classify(int v)
{
    switch (v) {            /* dense: gcc makes a jump table */
    case 0: return 10;
    case 1: return 21;
    case 2: return 32;
    case 3: return 43;
    case 4: return 54;
    case 5: return 65;
    case 6: return 76;
    case 7: return 87;
    case 8: return 98;
    default: return -1;
    }
}

static void test_calls(void)
{
    test_group("call");
    uint64_t n = 20;
    OPAQUE(n);
    CHECK_EQ_NAMED("fib20", fib(n), 6765);
    n = 2000;
    OPAQUE(n);
    CHECK_EQ_NAMED("depth2000", depth(n), 2000);

    /* call pushes the address of the next instruction. */
    uint64_t pushed, label;
    __asm__ volatile("call 1f\n1:\n\tpop %0\n\tlea 1b(%%rip), %1"
                     : "=r"(pushed), "=r"(label));
    CHECK_EQ_NAMED("call-pushes-next-rip", pushed, label);

    /* Indirect calls through a table in memory, one by one. */
    uint64_t want[4] = { 12, 4, 32, 12 }, got = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned j = i;
        OPAQUE(j);
        got = op_table[j](8, 4);
        CHECK_EQ_NAMED("call-table", got, want[i]);
    }
    /* call *reg and call *mem. */
    uint64_t (*fp)(uint64_t, uint64_t) = op_sub;
    OPAQUE(fp);
    CHECK_EQ_NAMED("call-reg", fp(100, 1), 99);
    uint64_t r;
    __asm__ volatile("mov $7, %%edi\n\tmov $5, %%esi\n\tcall *%[t]"
                     : "=a"(r) : [t] "m"(op_table[2])
                     : "rdi", "rsi", "rdx", "rcx", "r8", "r9", "r10", "r11",
                       "cc", "memory");
    CHECK_EQ_NAMED("call-mem", r, 35);

    /* switch through a jump table. */
    int sum = 0;
    for (int v = -1; v <= 9; v++) {
        int x = v;
        OPAQUE(x);
        sum += classify(x);
    }
    CHECK_EQ_NAMED("switch-table", sum, 486 - 2);

    /* jmp *reg and jmp *mem skip an instruction. */
    uint64_t skipped = 0;
    __asm__ volatile("lea 1f(%%rip), %%rax\n\tjmp *%%rax\n\tmov $1, %0\n1:"
                     : "+r"(skipped) : : "rax");
    CHECK_EQ_NAMED("jmp-reg", skipped, 0);
    static uint64_t target;
    __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %1\n\tjmp *%1\n\tmov $1, %0\n1:"
                     : "+r"(skipped), "=m"(target) : : "rax");
    CHECK_EQ_NAMED("jmp-mem", skipped, 0);
}

static void test_loops(void)
{
    test_group("loop");
    uint64_t n = 1000, sum = 0;
    OPAQUE(n);
    for (uint64_t i = 1; i <= n; i++) {
        sum += i;
        OPAQUE(sum);
    }
    CHECK_EQ_NAMED("sum-1000", sum, 500500);

    uint64_t count = 0;
    for (int i = 0; i < 37; i++) {
        for (int j = 0; j < 53; j++) {
            count += (i ^ j) & 1;
            OPAQUE(count);
        }
    }
    CHECK_EQ_NAMED("nested", count, 980);

    /* A backward jnz loop in asm, and a forward/backward jmp pair. */
    uint64_t c = 100000, acc = 0;
    __asm__ volatile("1:\n\tadd %0, %1\n\tdec %0\n\tjnz 1b" : "+r"(c), "+r"(acc) : : "cc");
    CHECK_EQ_NAMED("dec-jnz", acc, 5000050000ull);
    CHECK_EQ_NAMED("dec-jnz-count", c, 0);
    acc = 0;
    __asm__ volatile("jmp 2f\n1:\n\tadd $3, %0\n\tjmp 3f\n2:\n\tadd $1, %0\n\tjmp 1b\n3:"
                     : "+r"(acc) : : "cc");
    CHECK_EQ_NAMED("jmp-around", acc, 4);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_conditions();
    test_calls();
    test_loops();
    test_done();
}
