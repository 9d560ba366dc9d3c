/*
 * x87fault.c: x87 exceptions that reach the IDT (guest only, caught with
 * runtime/idt.c): an unmasked exception is recorded (ES, B) and raised as
 * #MF by the next waiting x87 instruction when CR0.NE is set, with rip at
 * that instruction (tern boots with CR0.NE set); non-waiting instructions
 * (FNSTSW, FNCLEX) do not raise it.  #NM (CR0.TS/EM) waits for MOV to
 * CR0 in the translator.  The native build cannot take these faults and
 * skips.
 */
#include "tern.h"

#ifndef TERN_NATIVE
#define FAULT_FN(name, text)                                                 \
    void name(void);                                                         \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" text "\n\tret\n")

/* 1/0 with ZE unmasked (control word 0x37b): pending, no fault yet */
uint16_t cw_ze = 0x037b, sw_after;
FAULT_FN(div_by_zero, "fninit\n\tfldcw cw_ze(%rip)\n\tfldz\n\tfld1\n\tfdiv %st(1), %st\n\t"
                      "fnstsw sw_after(%rip)");
FAULT_FN(fwait_fn, ".globl fwait_at\nfwait_at:\n\tfwait");
FAULT_FN(fnstsw_fn, "fnstsw sw_after(%rip)");
FAULT_FN(fld1_fn, ".globl fld1_at\nfld1_at:\n\tfld1");
extern char fwait_at[], fld1_at[];

#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("x87 faults need the guest's IDT and CR0");
#else
    idt_install();

    test_group("mf");
    CHECK_EQ_NAMED("pending-no-fault", tern_catch_fault(div_by_zero), -1);
    CHECK_EQ_NAMED("sw-es-ze", sw_after & 0x80bf, 0x8084);
    CHECK_EQ_NAMED("fnstsw-no-fault", tern_catch_fault(fnstsw_fn), -1);
    CHECK_EQ_NAMED("fwait", tern_catch_fault(fwait_fn), 16);
    CHECK_EQ_NAMED("fwait-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)fwait_at);
    CHECK_EQ_NAMED("still-pending", tern_catch_fault(fld1_fn), 16);
    __asm__ volatile("fnclex");
    CHECK_EQ_NAMED("after-fnclex", tern_catch_fault(fwait_fn), -1);
    __asm__ volatile("fninit");

    test_done();
#endif
}
