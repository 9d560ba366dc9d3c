/*
 * de.c: #DE (vector 0) from DIV and IDIV: division by zero and a quotient
 * too large for the destination, in 8-, 16-, 32- and 64-bit forms, and
 * IDIV's most negative dividend by -1.  A fault reports rip at the
 * division and leaves every register as it was (rAX, rDX and the divisor
 * are checked); a division that fits does not fault.  The native build
 * runs the same cases on the host CPU (SIGFPE, trap number 0).
 */
#include "tern.h"

/* Each case: rax/rdx = dividend, rbx = divisor; the division, then ret.
 * The label *_at is the division itself. */
#define DE_FN(name, insn)                                                    \
    FAULT_FN_AT(name, "push %rbx\n\tmov de_rax(%rip), %rax\n\t"                \
                "mov de_rdx(%rip), %rdx\n\tmov de_rbx(%rip), %rbx", insn,     \
                "mov %rax, de_rax(%rip)\n\tmov %rdx, de_rdx(%rip)\n\tpop %rbx")

uint64_t de_rax, de_rdx, de_rbx;

DE_FN(div8, "divb %bl");
DE_FN(div16, "divw %bx");
DE_FN(div32, "divl %ebx");
DE_FN(div64, "divq %rbx");
DE_FN(idiv8, "idivb %bl");
DE_FN(idiv16, "idivw %bx");
DE_FN(idiv32, "idivl %ebx");
DE_FN(idiv64, "idivq %rbx");

static const struct de_case {
    const char *name;
    void (*fn)(void);
    const char *at;
    uint64_t rax, rdx, rbx;
    int vector;                 /* 0: #DE, -1: no fault */
} de_cases[] = {
    /* divide by zero */
    { "div8-zero", div8, div8_at, 0x1234, 0x5678, 0xff00, 0 },
    { "div16-zero", div16, div16_at, 0xaaaa1234, 0x5678, 0xffff0000, 0 },
    { "div32-zero", div32, div32_at, 0x12345678, 0x9, 0xffffffff00000000ull, 0 },
    { "div64-zero", div64, div64_at, 0x123456789abcdefull, 0x1, 0, 0 },
    { "idiv8-zero", idiv8, idiv8_at, 0x80, 0, 0x100, 0 },
    { "idiv16-zero", idiv16, idiv16_at, 0x8000, 0xffff, 0x10000, 0 },
    { "idiv32-zero", idiv32, idiv32_at, 0x80000000, 0xffffffff, 0x100000000ull, 0 },
    { "idiv64-zero", idiv64, idiv64_at, 5, 0, 0, 0 },
    /* quotient overflow: dividend high half >= divisor */
    { "div8-overflow", div8, div8_at, 0x0200, 0, 2, 0 },
    { "div16-overflow", div16, div16_at, 0, 3, 3, 0 },
    { "div32-overflow", div32, div32_at, 0, 0x10, 0x10, 0 },
    { "div64-overflow", div64, div64_at, 0, 1, 1, 0 },
    /* idiv: the quotient must fit the signed range */
    { "idiv8-overflow", idiv8, idiv8_at, 0x0100, 0, 1, 0 },
    { "idiv16-overflow", idiv16, idiv16_at, 0, 1, 1, 0 },
    { "idiv32-overflow", idiv32, idiv32_at, 0, 1, 1, 0 },
    { "idiv64-overflow", idiv64, idiv64_at, 0, 1, 1, 0 },
    /* INT_MIN / -1 */
    { "idiv8-min", idiv8, idiv8_at, 0xff80, 0, 0xff, 0 },
    { "idiv16-min", idiv16, idiv16_at, 0x8000, 0xffff, 0xffff, 0 },
    { "idiv32-min", idiv32, idiv32_at, 0x80000000, 0xffffffff, 0xffffffff, 0 },
    { "idiv64-min", idiv64, idiv64_at, 0x8000000000000000ull, ~0ull, ~0ull, 0 },
    /* the largest quotients that fit */
    { "div8-fits", div8, div8_at, 0x01ff, 0, 2, -1 },
    { "div64-fits", div64, div64_at, ~0ull, 0, 1, -1 },
    { "idiv8-fits", idiv8, idiv8_at, 0xff81, 0, 0xff, -1 },
    { "idiv64-fits", idiv64, idiv64_at, 0x8000000000000000ull, ~0ull, 1, -1 },
};

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    idt_install();
    for (unsigned i = 0; i < sizeof(de_cases) / sizeof(de_cases[0]); i++) {
        const struct de_case *c = &de_cases[i];
        int v;

        test_group(c->name);
        de_rax = c->rax;
        de_rdx = c->rdx;
        de_rbx = c->rbx;
        v = tern_catch_fault(c->fn);
        CHECK_EQ_NAMED("vector", v, c->vector);
        if (c->vector == 0 && v == 0) {
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)c->at);
            CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
            CHECK_EQ_NAMED("rax", tern_last_fault.rax, c->rax);
            CHECK_EQ_NAMED("rdx", tern_last_fault.rdx, c->rdx);
            CHECK_EQ_NAMED("rbx", tern_last_fault.rbx, c->rbx);
        }
    }
    test_group("results");
    /* 0x1ff / 2 = 0xff r 1; -127 / -1 = 127 */
    de_rax = 0x01ff; de_rdx = 0; de_rbx = 2;
    tern_catch_fault(div8);
    CHECK_EQ_NAMED("div8-fits", de_rax & 0xffff, 0x01ff);
    de_rax = 0xff81; de_rbx = 0xff;
    tern_catch_fault(idiv8);
    CHECK_EQ_NAMED("idiv8-fits", de_rax & 0xffff, 0x007f);
    test_done();
}
