// tern-nested: allow benign-then-np/* QEMU 7.2 TCG (the nested CPU) gives a different error code (IDT, EXT bits) for #NP during event delivery
/*
 * doublefault.c: exceptions raised while an exception is being delivered
 * (SDM vol.3 6.15, tables 6-4 and 6-5), made by marking IDT gates not
 * present so that delivering vector v raises #NP(v * 8 + 3: IDT, and EXT
 * because a hardware exception was being delivered, SDM 6.13):
 *   - benign then contributory (#UD, gate absent): the #NP is delivered
 *     with that error code;
 *   - contributory then contributory (#GP, gate absent): #DF, error 0;
 *   - #PF then contributory (#PF, gate absent): #DF, error 0;
 *   - #DE then #NP: #DF;
 *   - INT n beyond the IDT limit: #GP(n * 8 + 2), no EXT (software).
 * #DF arrives on IST1 (runtime/sys.c).  Guest only: it needs ring 0.
 */
#include "tern.h"

struct gate { uint64_t lo, hi; };

static struct gate *idt_base(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    return (struct gate *)(uintptr_t)idtr.base;
}

#define GATE_P (1ull << 47)

FAULT_FN(ud_fn, "ud2");
FAULT_FN(gp_fn, "movabs $0x8000000000000000, %rax\n\tmov (%rax), %rax");
FAULT_FN(pf_fn, "movabs $0x100000000, %rax\n\tmov (%rax), %rax");
FAULT_FN(int40_fn, "int $0x40");                /* beyond the IDT's limit */
FAULT_FN(de_fn, "xor %ecx, %ecx\n\tmov $1, %eax\n\txor %edx, %edx\n\tdiv %ecx");

/* Run fn with vector's gate not present; the vector and error code caught. */
static int with_gate_absent(int vector, void (*fn)(void))
{
    struct gate *idt = idt_base();
    int got;

    idt[vector].lo &= ~GATE_P;
    got = tern_catch_fault(fn);
    idt[vector].lo |= GATE_P;
    return got;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    if (!TERN_HAVE_RING0) {
        test_skip("the IDT needs ring 0");
    }
    test_group("plain");
    CHECK_EQ_NAMED("ud", tern_catch_fault(ud_fn), 6);
    CHECK_EQ_NAMED("gp", tern_catch_fault(gp_fn), 13);
    CHECK_EQ_NAMED("pf", tern_catch_fault(pf_fn), 14);
    CHECK_EQ_NAMED("de", tern_catch_fault(de_fn), 0);

    test_group("benign-then-np");
    CHECK_EQ_NAMED("vector", with_gate_absent(6, ud_fn), 11);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 6 * 8 + 2 + 1);   /* IDT, EXT */
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)ud_fn);

    CHECK_EQ_NAMED("int-n-gp", tern_catch_fault(int40_fn), 13);
    CHECK_EQ_NAMED("int-n-no-ext", tern_last_fault.error_code, 0x40 * 8 + 2);

    test_group("contributory-twice");
    CHECK_EQ_NAMED("gp-np-df", with_gate_absent(13, gp_fn), 8);
    CHECK_EQ_NAMED("gp-np-df-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("de-np-df", with_gate_absent(0, de_fn), 8);
    CHECK_EQ_NAMED("de-np-df-code", tern_last_fault.error_code, 0);

    test_group("pf-then-contributory");
    CHECK_EQ_NAMED("pf-np-df", with_gate_absent(14, pf_fn), 8);
    CHECK_EQ_NAMED("pf-np-df-code", tern_last_fault.error_code, 0);

    test_group("after");
    CHECK_EQ_NAMED("gp-again", tern_catch_fault(gp_fn), 13);
    test_done();
}
