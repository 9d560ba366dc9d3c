/*
 * sysenter32.c: SYSENTER/SYSEXIT in legacy 32-bit protected mode
 * (target-x86/syscall_helper.c; SDM vol. 2 SYSENTER, SYSEXIT):
 *   - SYSENTER from ring 3 enters SYSENTER_EIP at CPL 0 on SYSENTER_ESP
 *     (their low halves: outside IA-32e mode the upper ones are ignored)
 *     with CS = SYSENTER_CS, SS = CS + 8 and IF clear;
 *   - SYSEXIT returns to EDX with ESP = ECX, CS = SYSENTER_CS + 16,
 *     SS = + 24, RPL 3;
 *   - SYSEXIT at CPL 3 and SYSENTER with a null SYSENTER_CS are #GP(0);
 *   - SYSCALL is #UD outside 64-bit mode (Intel).
 * The segments are the runtime's free GDT entries.  Guest only (32-bit).
 */
#include "tern.h"

#define SEL_SYSENTER (TERN_GDT_FREE * 8)   /* code, data (DPL 0), code, data (DPL 3) */

/* What the handler and the user side saw */
uint32_t se_esp, se_flags, before_esp, after_esp;
uint16_t se_cs, se_ss, after_cs, after_ss;
static uint8_t se_stack[4096] __attribute__((aligned(16)));

/* SYSENTER_EIP: record, then back to EDX with ESP = ECX */
void se_handler(void);
__asm__(".text\n.globl se_handler\nse_handler:\n\t"
        "movw %cs, se_cs\n\tmovw %ss, se_ss\n\tmov %esp, se_esp\n\t"
        "pushf\n\tpopl se_flags\n\tsysexit\n");
FAULT_FN_AT(user_sysenter, "mov %esp, before_esp\n\tmov %esp, %ecx\n\tmov $1f, %edx",
            "sysenter", "1:\n\tmovw %cs, after_cs\n\tmovw %ss, after_ss\n\tmov %esp, after_esp");
FAULT_FN(sysexit_here, "mov $1f, %edx\n\tmov %esp, %ecx\n\tsysexit\n1:");
FAULT_FN(sysenter_fn, "sysenter");
FAULT_FN(syscall_fn, "syscall");

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    tern_gdt[TERN_GDT_FREE] = tern_seg_desc(0, 0xfffff, 0x9b, 0xc);       /* code32, DPL 0 */
    tern_gdt[TERN_GDT_FREE + 1] = tern_seg_desc(0, 0xfffff, 0x93, 0xc);   /* data, DPL 0 */
    tern_gdt[TERN_GDT_FREE + 2] = tern_seg_desc(0, 0xfffff, 0xfb, 0xc);   /* code32, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 3] = tern_seg_desc(0, 0xfffff, 0xf3, 0xc);   /* data, DPL 3 */
    tern_gdt_load();
    wrmsr(MSR_SYSENTER_CS, SEL_SYSENTER);
    /* canonical 64-bit values whose low halves are the ones used */
    wrmsr(MSR_SYSENTER_ESP, 0xffffffff00000000ull | (uint32_t)(uintptr_t)(se_stack + sizeof(se_stack)));
    wrmsr(MSR_SYSENTER_EIP, 0xffffffff00000000ull | (uint32_t)(uintptr_t)se_handler);

    test_group("sysenter");
    CHECK_EQ_NAMED("returns", tern_run_user(user_sysenter, FL_IF), -1);
    CHECK_EQ_NAMED("cs", se_cs, SEL_SYSENTER);
    CHECK_EQ_NAMED("ss", se_ss, SEL_SYSENTER + 8);
    CHECK_EQ_NAMED("esp", se_esp, (uint32_t)(uintptr_t)(se_stack + sizeof(se_stack)));
    CHECK_EQ_NAMED("if-clear", se_flags & FL_IF, 0);
    CHECK_EQ_NAMED("sysexit-cs", after_cs, (SEL_SYSENTER + 16) | 3);
    CHECK_EQ_NAMED("sysexit-ss", after_ss, (SEL_SYSENTER + 24) | 3);
    CHECK_EQ_NAMED("sysexit-esp", after_esp, before_esp);

    test_group("faults");
    CHECK_EQ_NAMED("sysexit-cpl3", tern_run_user(sysexit_here, 0), 13);
    CHECK_EQ_NAMED("sysexit-cpl3-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("syscall-ud", tern_catch_fault(syscall_fn), 6);
    wrmsr(MSR_SYSENTER_CS, 0);
    CHECK_EQ_NAMED("sysenter-null-cs", tern_run_user(sysenter_fn, 0), 13);
    CHECK_EQ_NAMED("sysenter-null-cs-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("sysexit-null-cs", tern_catch_fault(sysexit_here), 13);
    test_done();
}
