/*
 * task64.c: IA-32e mode has no task switching (SDM vol.3 8.7): a far JMP
 * or CALL to a TSS or a task gate is #GP(selector), IRETQ with EFLAGS.NT
 * = 1 is #GP(0), and nothing changes (tests/x86/task.c covers the switches
 * themselves in 32-bit protected mode).  Guest only (ring 0 GDT).
 */
#include "tern.h"

#define SEL_GATE (TERN_GDT_FREE * 8)

/* m16:32 far pointers: offset, then selector */
__asm__(".data\n"
        "tss_ptr: .long 0\n .word 0x28\n"
        "gate_ptr: .long 0\n .word 0x38\n"
        ".text\n");

FAULT_FN_AT(jmp_tss, "", "ljmpl *tss_ptr(%rip)", "");
FAULT_FN_AT(call_tss, "", "lcalll *tss_ptr(%rip)", "");
FAULT_FN_AT(jmp_gate, "", "ljmpl *gate_ptr(%rip)", "");
FAULT_FN_AT(iret_nt, "pushf\n\torl $0x4000, (%rsp)\n\tpopf\n\t"
            "mov %ss, %eax\n\tpush %rax\n\tlea 8(%rsp), %rax\n\tpush %rax\n\t"
            "pushf\n\tmov %cs, %eax\n\tpush %rax\n\tlea 1f(%rip), %rax\n\tpush %rax",
            "iretq", "1:");

static void check_gp(const char *name, void (*fn)(void), const char *at, uint64_t err)
{
    test_group(name);
    CHECK_EQ(tern_catch_fault(fn), 13);
    CHECK_EQ(tern_last_fault.rip, (uintptr_t)at);
    CHECK_EQ(tern_last_fault.error_code, err);
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("needs the guest's GDT and TSS");
    }
    tern_sys_install();
    /* a legacy task gate to the TSS: not a valid type in long mode */
    tern_gdt[TERN_GDT_FREE] = tern_gate_desc(TERN_SEL_TSS, 0, 0x85, 0);
    tern_gdt[TERN_GDT_FREE + 1] = 0;
    tern_gdt_load();

    check_gp("jmp-tss", jmp_tss, jmp_tss_at, TERN_SEL_TSS);
    check_gp("call-tss", call_tss, call_tss_at, TERN_SEL_TSS);
    check_gp("jmp-gate", jmp_gate, jmp_gate_at, SEL_GATE);
    check_gp("iret-nt", iret_nt, iret_nt_at, 0);
    test_done();
}
