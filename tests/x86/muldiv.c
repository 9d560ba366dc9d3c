/*
 * muldiv.c: mul and imul in all forms (one operand into rDX:rAX, two
 * operand, three operand with imm8 and imm32, register and memory
 * sources), div and idiv of 8/16/32/64-bit operands (quotient and
 * remainder, truncation toward zero), and the sign extensions
 * cbw/cwde/cdqe/cwd/cdq/cqo.  After mul/imul only CF and OF are defined;
 * after div nothing is.  No division faults here (no IDT yet).
 *
 * Expected values are hand-written constants; the native build checks them.
 */
#include "tern.h"

#define C FL_CF
#define O FL_OF
#define CO (FL_CF | FL_OF)

/* One-operand forms: in/out rax and rdx, source in a register. */
#define MD1(name, text, a, d, src, ra, rd, fl)                               \
    do {                                                                     \
        uint64_t a_ = (a), d_ = (d), s_ = (src), f_;                         \
        __asm__ volatile(text "\n\tpushf\n\tpop %[f]"                        \
                         : "+a"(a_), "+d"(d_), [f] "=r"(f_)                  \
                         : [s] "r"(s_)                                       \
                         : "cc");                                            \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("rax", a_, (ra));                                     \
        CHECK_EQ_NAMED("rdx", d_, (rd));                                     \
        if ((fl) != ~0u) {                                                   \
            CHECK_EQ_NAMED("cf-of", f_ & CO, (fl));                          \
        }                                                                    \
    } while (0)

#define NOFLAGS (~0u)

static void test_mul(void)
{
    /* mul r/m8: AX = AL * src; the rest of rax and all of rdx are kept. */
    MD1("mul8-ovf", "mulb %b[s]", 0x1122334455667780ull, 0x1111, 0x02,
        0x1122334455660100ull, 0x1111, CO);
    MD1("mul8", "mulb %b[s]", 0x112233445566770full, 0x1111, 0xab0f,
        0x11223344556600e1ull, 0x1111, 0);
    /* mul r/m16: DX:AX, both keep bits 63:16. */
    MD1("mul16", "mulw %w[s]", 0xaaaaaaaaaaaaffffull, 0xbbbbbbbbbbbb1234ull, 0xffff,
        0xaaaaaaaaaaaa0001ull, 0xbbbbbbbbbbbbfffeull, CO);
    /* mul r/m32: EDX:EAX, both zero-extended. */
    MD1("mul32-ovf", "mull %k[s]", 0xaaaaaaaa80000000ull, 0xbbbbbbbbbbbbbbbbull, 2,
        0, 1, CO);
    MD1("mul32", "mull %k[s]", 0xaaaaaaaa00010000ull, 0xbbbbbbbbbbbbbbbbull, 0x10,
        0x00100000, 0, 0);
    MD1("mul64-max", "mulq %q[s]", 0xffffffffffffffffull, 0, 0xffffffffffffffffull,
        1, 0xfffffffffffffffeull, CO);
    MD1("mul64-2^64", "mulq %q[s]", 0x100000000ull, 0, 0x100000000ull, 0, 1, CO);
    MD1("mul64", "mulq %q[s]", 0x123456789ull, 7, 0x10, 0x1234567890ull, 0, 0);

    /* imul one operand: CF = OF = (the high half is not the sign of the low). */
    MD1("imul8", "imulb %b[s]", 0x11223344556677ffull, 0, 0x02,
        0x112233445566fffeull, 0, 0);
    MD1("imul8-ovf", "imulb %b[s]", 0x1122334455667740ull, 0, 0x02,
        0x1122334455660080ull, 0, CO);
    MD1("imul16-ovf", "imulw %w[s]", 0x8000, 0xbbbbbbbbbbbbbbbbull, 0xffff,
        0x8000, 0xbbbbbbbbbbbb0000ull, CO);
    MD1("imul32", "imull %k[s]", 0xfffffffe, 0, 3, 0xfffffffa, 0xffffffff, 0);
    MD1("imul64-ovf", "imulq %q[s]", 0x4000000000000000ull, 0, 2,
        0x8000000000000000ull, 0, CO);
    MD1("imul64-neg", "imulq %q[s]", 0xfffffffffffffffdull, 0, 7,
        0xffffffffffffffebull, 0xffffffffffffffffull, 0);
}

/* Two- and three-operand imul: the result is truncated to the operand size. */
#define IM(name, text, a, src, res, fl)                                      \
    do {                                                                     \
        uint64_t d_ = (a), s_ = (src), f_;                                   \
        __asm__ volatile(text "\n\tpushf\n\tpop %[f]"                        \
                         : [d] "+r"(d_), [f] "=r"(f_)                        \
                         : [s] "r"(s_)                                       \
                         : "cc");                                            \
        test_group(name);                                                    \
        CHECK_EQ_NAMED("result", d_, (res));                                 \
        CHECK_EQ_NAMED("cf-of", f_ & CO, (fl));                              \
    } while (0)

static void test_imul_forms(void)
{
    IM("imul16-rr", "imulw %w[s], %w[d]", 0xaaaaaaaaaaaa0100ull, 0x0100,
       0xaaaaaaaaaaaa0000ull, CO);
    IM("imul32-rr", "imull %k[s], %k[d]", 0xaaaaaaaa00010000ull, 0x10000, 0, CO);
    IM("imul64-rr", "imulq %q[s], %q[d]", 0xfffffffffffffffdull, 7,
       0xffffffffffffffebull, 0);
    IM("imul32-imm8", "imull $-5, %k[s], %k[d]", 0xaaaaaaaaaaaaaaaaull, 7,
       0xffffffdd, 0);
    IM("imul64-imm32", "imulq $0x12345, %q[s], %q[d]", 0, 0x10000, 0x123450000ull, 0);
    IM("imul16-imm16", "imulw $1000, %w[s], %w[d]", 0xaaaaaaaaaaaaaaaaull, 1000,
       0xaaaaaaaaaaaa4240ull, CO);
    IM("imul64-imm8-ovf", "imulq $2, %q[s], %q[d]", 0, 0x4000000000000000ull,
       0x8000000000000000ull, CO);

    /* Memory sources. */
    static volatile uint64_t m64 = 0x100000001ull;
    static volatile uint32_t m32 = 0xffffffff;
    uint64_t r = 3, f;
    __asm__ volatile("imulq %[m], %[r]\n\tpushf\n\tpop %[f]"
                     : [r] "+r"(r), [f] "=r"(f) : [m] "m"(m64) : "cc");
    test_group("imul-mem");
    CHECK_EQ_NAMED("imul64-rm", r, 0x300000003ull);
    CHECK_EQ_NAMED("imul64-rm-flags", f & CO, 0);
    __asm__ volatile("imull $3, %[m], %k[r]" : [r] "=r"(r) : [m] "m"(m32) : "cc");
    CHECK_EQ_NAMED("imul32-mri", r, 0xfffffffd);
    uint64_t a = 0xffffffff, d = 0;
    __asm__ volatile("mulq %[m]" : "+a"(a), "+d"(d) : [m] "m"(m64) : "cc");
    CHECK_EQ_NAMED("mul64-m-rax", a, 0xffffffffffffffffull);
    CHECK_EQ_NAMED("mul64-m-rdx", d, 0);
    a = 0x80000000;
    d = 0;
    __asm__ volatile("mull %[m]" : "+a"(a), "+d"(d) : [m] "m"(m32) : "cc");
    CHECK_EQ_NAMED("mul32-m-eax", a, 0x80000000);
    CHECK_EQ_NAMED("mul32-m-edx", d, 0x7fffffff);
}

static void test_div(void)
{
    /* div r/m8: AL = AX / src, AH = AX % src. */
    MD1("div8", "divb %b[s]", 0x11223344556600feull, 0x1111, 0x10,
        0x1122334455660e0full, 0x1111, NOFLAGS);
    MD1("div16", "divw %w[s]", 0xaaaaaaaaaaaa0000ull, 0xbbbbbbbbbbbb0001ull, 0x0100,
        0xaaaaaaaaaaaa0100ull, 0xbbbbbbbbbbbb0000ull, NOFLAGS);
    MD1("div32-big", "divl %k[s]", 0xaaaaaaaa00000000ull, 0xbbbbbbbb00000001ull, 3,
        0x55555555, 1, NOFLAGS);
    MD1("div32", "divl %k[s]", 100, 0, 7, 14, 2, NOFLAGS);
    MD1("div64-2^64", "divq %q[s]", 0, 1, 0x10, 0x1000000000000000ull, 0, NOFLAGS);
    MD1("div64", "divq %q[s]", 0xffffffffffffffffull, 0, 0x100000000ull,
        0xffffffff, 0xffffffff, NOFLAGS);

    /* idiv truncates toward zero; the remainder has the dividend's sign. */
    MD1("idiv8", "idivb %b[s]", 0x112233445566fff7ull, 0, 4,
        0x112233445566fffeull, 0, NOFLAGS);
    MD1("idiv16", "idivw %w[s]", 0xfff9, 0xffff, 2, 0xfffd, 0xffff, NOFLAGS);
    MD1("idiv32", "idivl %k[s]", 0xfffffff9, 0xffffffff, 2, 0xfffffffd, 0xffffffff, NOFLAGS);
    MD1("idiv64-negdivisor", "idivq %q[s]", 7, 0, 0xfffffffffffffffeull,
        0xfffffffffffffffdull, 1, NOFLAGS);
    MD1("idiv64", "idivq %q[s]", 0xffffffffffffff9cull, 0xffffffffffffffffull, 7,
        0xfffffffffffffff2ull, 0xfffffffffffffffeull, NOFLAGS);
    MD1("idiv64-min", "idivq %q[s]", 0x8000000000000000ull, 0xffffffffffffffffull, 1,
        0x8000000000000000ull, 0, NOFLAGS);
}

static void test_sext(void)
{
    MD1("cbw", "cbtw", 0x1122334455667780ull, 5, 0, 0x112233445566ff80ull, 5, NOFLAGS);
    MD1("cwde", "cwtl", 0x1122334455668000ull, 5, 0, 0xffff8000, 5, NOFLAGS);
    MD1("cdqe", "cltq", 0x1122334480000000ull, 5, 0, 0xffffffff80000000ull, 5, NOFLAGS);
    MD1("cwd", "cwtd", 0x8000, 0x1122334455667788ull, 0, 0x8000, 0x112233445566ffffull, NOFLAGS);
    MD1("cdq", "cltd", 0x80000000, 0x1122334455667788ull, 0, 0x80000000, 0xffffffff, NOFLAGS);
    MD1("cdq-pos", "cltd", 0x7fffffff, 0x1122334455667788ull, 0, 0x7fffffff, 0, NOFLAGS);
    MD1("cqo", "cqto", 0x8000000000000000ull, 0, 0, 0x8000000000000000ull,
        0xffffffffffffffffull, NOFLAGS);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_mul();
    test_imul_forms();
    test_div();
    test_sext();
    test_done();
}
