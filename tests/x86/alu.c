/*
 * alu.c: the integer ALU instructions on 8/16/32/64-bit operands: add sub
 * adc sbb and or xor cmp test inc dec neg not, with the results checked in
 * the whole 64-bit register (a 32-bit write zeroes bits 63:32, an 8/16-bit
 * write keeps them), the flags checked through pushf, and the legacy high
 * byte registers AH/BH/CH/DH and the REX byte registers.
 *
 * Every expected value is a constant worked out by hand from the SDM; the
 * native build of this file checks them on the host CPU.  Flags an
 * instruction leaves undefined (AF after a logic op) are masked out.
 */
#include "tern.h"

#define C FL_CF
#define P FL_PF
#define A FL_AF
#define Z FL_ZF
#define S FL_SF
#define O FL_OF
#define ALL FL_ARITH
#define LOGIC (ALL & ~FL_AF)        /* AF is undefined after and/or/xor/test */

/* Garbage for the upper bits of source operands: an instruction must not read it. */
#define JUNK 0x5a5a5a5a5a5a5a00ull     /* for 8-bit sources */
#define JUNK16 0x5a5a5a5a5a5a0000ull   /* for 16-bit sources */

/*
 * Run "insn src, dst" with RFLAGS = fin; dst and src are whole 64-bit
 * registers named with the size modifier mod ("b", "w", "k", "q").
 */
#define BINOP(insn, mod, dst, src, fin, fout)                                \
    __asm__ volatile("push %[f]\n\tpopf\n\t"                                 \
                     insn " %" mod "[s], %" mod "[d]\n\t"                    \
                     "pushf\n\tpop %[f]"                                     \
                     : [d] "+r"(dst), [f] "=&r"(fout)                        \
                     : [s] "r"(src), "[f]"(fin)                              \
                     : "cc")

#define UNOP(insn, mod, dst, fin, fout)                                      \
    __asm__ volatile("push %[f]\n\tpopf\n\t"                                 \
                     insn " %" mod "[d]\n\t"                                 \
                     "pushf\n\tpop %[f]"                                     \
                     : [d] "+r"(dst), [f] "=r"(fout)                         \
                     : "[f]"(fin)                                            \
                     : "cc")

/* One vector: name, instruction, size modifier, a, b, flags in,
 * expected 64-bit result, expected flags, flag mask. */
#define T2(name, insn, mod, a, b, fin, res, fl, mask)                        \
    do {                                                                     \
        uint64_t d_ = (a), s_ = (b), fin_ = (fin) | 2, f_;                   \
        BINOP(insn, mod, d_, s_, fin_, f_);                                  \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (res));                                 \
        CHECK_EQ_NAMED("flags", f_ & (mask), (fl));                          \
    } while (0)

#define T1(name, insn, mod, a, fin, res, fl, mask)                           \
    do {                                                                     \
        uint64_t d_ = (a), fin_ = (fin) | 2, f_;                             \
        UNOP(insn, mod, d_, fin_, f_);                                       \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (res));                                 \
        CHECK_EQ_NAMED("flags", f_ & (mask), (fl));                          \
    } while (0)

#define H8  0xfedcba9876543200ull   /* upper bits kept by 8-bit writes */
#define H16 0xfedcba9876540000ull   /* upper bits kept by 16-bit writes */
#define H32 0xfedcba9800000000ull   /* upper bits a 32-bit write zeroes */

static void test_add(void)
{
    T2("add8-ovf", "addb", "b", H8 | 0x7f, JUNK | 0x01, 0, H8 | 0x80, S | O | A, ALL);
    T2("add8-carry", "addb", "b", H8 | 0xff, JUNK | 0x01, 0, H8 | 0x00, C | Z | A | P, ALL);
    T2("add8-both", "addb", "b", H8 | 0x80, JUNK | 0x80, 0, H8 | 0x00, C | Z | O | P, ALL);
    T2("add8-plain", "addb", "b", H8 | 0x12, JUNK | 0x34, ALL, H8 | 0x46, 0, ALL);
    T2("add8-af", "addb", "b", H8 | 0x0f, JUNK | 0x01, 0, H8 | 0x10, A, ALL);
    T2("add8-pf", "addb", "b", H8 | 0x03, JUNK | 0x00, 0, H8 | 0x03, P, ALL);
    T2("add16-ovf", "addw", "w", H16 | 0x7fff, JUNK16 | 0x01, 0, H16 | 0x8000, S | O | A | P, ALL);
    T2("add16-carry", "addw", "w", H16 | 0xffff, JUNK16 | 0x01, 0, H16 | 0x0000, C | Z | A | P, ALL);
    T2("add32-ovf", "addl", "k", H32 | 0x7fffffff, 1, 0, 0x80000000, S | O | A | P, ALL);
    T2("add32-carry", "addl", "k", H32 | 0xffffffff, 1, 0, 0, C | Z | A | P, ALL);
    T2("add64-ovf", "addq", "q", 0x7fffffffffffffffull, 1, 0, 0x8000000000000000ull, S | O | A | P, ALL);
    T2("add64-carry", "addq", "q", 0xffffffffffffffffull, 1, 0, 0, C | Z | A | P, ALL);
    T2("add64-plain", "addq", "q", 0x123456789abcdef0ull, 0x0fedcba987654321ull, 0,
       0x2222222222222211ull, P, ALL);
}

static void test_sub(void)
{
    T2("sub8-borrow", "subb", "b", H8 | 0x00, JUNK | 0x01, 0, H8 | 0xff, C | S | A | P, ALL);
    T2("sub8-ovf", "subb", "b", H8 | 0x80, JUNK | 0x01, 0, H8 | 0x7f, O | A, ALL);
    T2("sub8-zero", "subb", "b", H8 | 0x05, JUNK | 0x05, 0, H8 | 0x00, Z | P, ALL);
    T2("sub16-ovf", "subw", "w", H16 | 0x8000, JUNK16 | 0x01, 0, H16 | 0x7fff, O | A | P, ALL);
    T2("sub32-borrow", "subl", "k", H32 | 0, 1, 0, 0xffffffff, C | S | A | P, ALL);
    T2("sub64-ovf", "subq", "q", 0x8000000000000000ull, 1, 0, 0x7fffffffffffffffull, O | A | P, ALL);
    T2("sub64-neg", "subq", "q", 5, 7, 0, 0xfffffffffffffffeull, C | S | A, ALL);
}

static void test_adc_sbb(void)
{
    T2("adc8-carry", "adcb", "b", H8 | 0xff, JUNK | 0x00, C, H8 | 0x00, C | Z | A | P, ALL);
    T2("adc8-ovf", "adcb", "b", H8 | 0x7f, JUNK | 0x00, C, H8 | 0x80, S | O | A, ALL);
    T2("adc16-ovf", "adcw", "w", H16 | 0x7fff, JUNK16 | 0x00, C, H16 | 0x8000, S | O | A | P, ALL);
    T2("adc32-carry", "adcl", "k", H32 | 0xfffffffe, 1, C, 0, C | Z | A | P, ALL);
    T2("adc64-nocarry", "adcq", "q", 1, 1, 0, 2, 0, ALL);
    T2("adc64-full", "adcq", "q", 0xffffffffffffffffull, 0xffffffffffffffffull, C,
       0xffffffffffffffffull, C | S | A | P, ALL);
    T2("sbb8-borrow", "sbbb", "b", H8 | 0x00, JUNK | 0x00, C, H8 | 0xff, C | S | A | P, ALL);
    T2("sbb8-ovf", "sbbb", "b", H8 | 0x80, JUNK | 0x00, C, H8 | 0x7f, O | A, ALL);
    T2("sbb16-borrow", "sbbw", "w", H16 | 0x0001, JUNK16 | 0x0001, C, H16 | 0xffff, C | S | A | P, ALL);
    T2("sbb32-zero", "sbbl", "k", H32 | 5, 4, C, 0, Z | P, ALL);
    T2("sbb64-nocarry", "sbbq", "q", 5, 4, 0, 1, 0, ALL);
    /* 0 - (2^64 - 1) - 1 borrows out of the full width: CF = 1, ZF = 1. */
    T2("sbb64-wrap", "sbbq", "q", 0, 0xffffffffffffffffull, C, 0, C | Z | A | P, ALL);
}

static void test_logic(void)
{
    /* CF and OF start set to see them cleared. */
    T2("and8", "andb", "b", H8 | 0xf0, JUNK | 0x3c, C | O, H8 | 0x30, P, LOGIC);
    T2("and32-sign", "andl", "k", H32 | 0x80000000, 0xffffffff, C | O, 0x80000000, S | P, LOGIC);
    T2("and64-zero", "andq", "q", 0x5555, 0xaaaa, C | O, 0, Z | P, LOGIC);
    T2("or8", "orb", "b", H8 | 0x80, JUNK | 0x01, C | O, H8 | 0x81, S | P, LOGIC);
    T2("or16-zero", "orw", "w", H16 | 0, JUNK16 | 0, C | O, H16 | 0, Z | P, LOGIC);
    T2("or64-sign", "orq", "q", 0x8000000000000000ull, 1, C | O, 0x8000000000000001ull, S, LOGIC);
    T2("xor8-zero", "xorb", "b", H8 | 0xff, JUNK | 0xff, C | O, H8 | 0, Z | P, LOGIC);
    T2("xor32", "xorl", "k", H32 | 0x12345678, 0xffffffff, C | O, 0xedcba987, S | P, LOGIC);
    T2("xor64", "xorq", "q", 0x0123456789abcdefull, 0xfedcba9876543210ull, C | O,
       0xffffffffffffffffull, S | P, LOGIC);
}

static void test_cmp_test(void)
{
    /* cmp and test write no register: not even the 32-bit forms. */
    T2("cmp8-borrow", "cmpb", "b", H8 | 0x00, JUNK | 0x01, 0, H8 | 0x00, C | S | A | P, ALL);
    T2("cmp16-ovf", "cmpw", "w", H16 | 0x7fff, JUNK16 | 0xffff, 0, H16 | 0x7fff, C | O | S | P, ALL);
    T2("cmp32-eq", "cmpl", "k", H32 | 5, 5, 0, H32 | 5, Z | P, ALL);
    T2("cmp64-ovf", "cmpq", "q", 0x8000000000000000ull, 1, 0, 0x8000000000000000ull, O | A | P, ALL);
    T2("test8-sign", "testb", "b", H8 | 0x80, JUNK | 0x80, C | O, H8 | 0x80, S, LOGIC);
    T2("test32-keep", "testl", "k", H32 | 3, 0xffffffff, C | O, H32 | 3, P, LOGIC);
    T2("test64-zero", "testq", "q", 0xff00, 0x00ff, C | O, 0xff00, Z | P, LOGIC);
}

static void test_unary(void)
{
    /* inc and dec keep CF. */
    T1("inc8-wrap", "incb", "b", H8 | 0xff, C, H8 | 0x00, C | Z | A | P, ALL);
    T1("inc8-ovf", "incb", "b", H8 | 0x7f, 0, H8 | 0x80, O | S | A, ALL);
    T1("inc16-wrap", "incw", "w", H16 | 0xffff, 0, H16 | 0, Z | A | P, ALL);
    T1("inc32-wrap", "incl", "k", H32 | 0xffffffff, C, 0, C | Z | A | P, ALL);
    T1("inc64-ovf", "incq", "q", 0x7fffffffffffffffull, C, 0x8000000000000000ull,
       C | O | S | A | P, ALL);
    T1("dec8-wrap", "decb", "b", H8 | 0x00, 0, H8 | 0xff, S | A | P, ALL);
    T1("dec8-ovf", "decb", "b", H8 | 0x80, C, H8 | 0x7f, C | O | A, ALL);
    T1("dec16-ovf", "decw", "w", H16 | 0x8000, 0, H16 | 0x7fff, O | A | P, ALL);
    T1("dec32-zero", "decl", "k", H32 | 1, C, 0, C | Z | P, ALL);
    T1("dec64-wrap", "decq", "q", 0, C, 0xffffffffffffffffull, C | S | A | P, ALL);
    /* neg: CF = (operand != 0). */
    T1("neg8-one", "negb", "b", H8 | 0x01, 0, H8 | 0xff, C | S | A | P, ALL);
    T1("neg8-min", "negb", "b", H8 | 0x80, 0, H8 | 0x80, C | O | S, ALL);
    T1("neg8-zero", "negb", "b", H8 | 0x00, C, H8 | 0x00, Z | P, ALL);
    T1("neg16", "negw", "w", H16 | 0x0010, 0, H16 | 0xfff0, C | S | P, ALL);
    T1("neg32-one", "negl", "k", H32 | 1, 0, 0xffffffff, C | S | A | P, ALL);
    T1("neg64-min", "negq", "q", 0x8000000000000000ull, 0, 0x8000000000000000ull,
       C | O | S | P, ALL);
    /* not changes no flag. */
    T1("not8", "notb", "b", H8 | 0x0f, ALL, H8 | 0xf0, ALL, ALL);
    T1("not16", "notw", "w", H16 | 0x1234, 0, H16 | 0xedcb, 0, ALL);
    T1("not32", "notl", "k", H32 | 0x0000ffff, C | Z, 0xffff0000, C | Z, ALL);
    T1("not64", "notq", "q", 0, S | O, 0xffffffffffffffffull, S | O, ALL);
}

/* Partial registers: mov writes of each width and the legacy high bytes. */
static void test_partial(void)
{
    uint64_t r, s;

    test_group("partial");
    r = 0x1122334455667788ull;
    __asm__ volatile("movb $0x99, %b0" : "+r"(r));
    CHECK_EQ_NAMED("mov8-keeps", r, 0x1122334455667799ull);
    r = 0x1122334455667788ull;
    __asm__ volatile("movw $0xbeef, %w0" : "+r"(r));
    CHECK_EQ_NAMED("mov16-keeps", r, 0x112233445566beefull);
    r = 0x1122334455667788ull;
    __asm__ volatile("movl $0x99, %k0" : "+r"(r));
    CHECK_EQ_NAMED("mov32-zeroes", r, 0x99);
    r = 0x1122334455667788ull;
    __asm__ volatile("movl %k0, %k0" : "+r"(r));
    CHECK_EQ_NAMED("mov32-self-zeroes", r, 0x55667788);
    r = 0x1122334455667788ull;
    __asm__ volatile("movq $-2, %q0" : "+r"(r));
    CHECK_EQ_NAMED("mov64-imm32-sext", r, 0xfffffffffffffffeull);
    r = 0;
    __asm__ volatile("movabsq $0x123456789abcdef0, %q0" : "+r"(r));
    CHECK_EQ_NAMED("movabs", r, 0x123456789abcdef0ull);

    /* AH/BH/CH/DH: bits 15:8 of rax/rbx/rcx/rdx. */
    r = 0x1122334455667788ull;
    __asm__ volatile("movb $0xab, %h0" : "+Q"(r));
    CHECK_EQ_NAMED("mov-ah", r, 0x112233445566ab88ull);
    r = 0x1122334455667788ull;
    s = 0;
    __asm__ volatile("movzbl %h1, %k0" : "=r"(s) : "Q"(r));
    CHECK_EQ_NAMED("read-ah", s, 0x77);
    r = 0x11223344556677f0ull;
    s = 0xaaaaaaaaaaaa20bbull;
    __asm__ volatile("addb %h1, %h0" : "+Q"(r) : "Q"(s) : "cc");
    CHECK_EQ_NAMED("add-bh-ah", r, 0x11223344556697f0ull);
    r = 0x1122334455667788ull;
    __asm__ volatile("xchgb %h0, %b0" : "+Q"(r));
    CHECK_EQ_NAMED("xchg-ah-al", r, 0x1122334455668877ull);
    r = 0x11223344556677ffull;
    __asm__ volatile("incb %h0" : "+Q"(r) : : "cc");
    CHECK_EQ_NAMED("inc-ch", r, 0x11223344556678ffull);
    r = 0x1122334455660088ull;
    s = 0;
    __asm__ volatile("movb %h1, %b0" : "+Q"(s) : "Q"(r));
    CHECK_EQ_NAMED("mov-ah-to-low", s, 0x00);

    /* The REX byte registers SIL/DIL/R9B are bits 7:0, not high bytes. */
    __asm__ volatile("movabsq $0x1122334455667788, %%rsi\n\t"
                     "movb $0x5a, %%sil\n\t"
                     "mov %%rsi, %0" : "=r"(r) : : "rsi");
    CHECK_EQ_NAMED("mov-sil", r, 0x112233445566775aull);
    __asm__ volatile("movabsq $0x1122334455667788, %%r9\n\t"
                     "movb $0x77, %%r9b\n\t"
                     "movabsq $0x1122334455667788, %%r10\n\t"
                     "movw $0x1234, %%r10w\n\t"
                     "add %%r10, %%r9\n\t"
                     "mov %%r9, %0" : "=r"(r) : : "r9", "r10", "cc");
    CHECK_EQ_NAMED("mov-r9b-r10w", r, 0x22446688aacc89abull);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_add();
    test_sub();
    test_adc_sbb();
    test_logic();
    test_cmp_test();
    test_unary();
    test_partial();
    test_done();
}
