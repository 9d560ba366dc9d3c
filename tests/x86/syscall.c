// tern-nested: allow sysenter* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: SYSENTER/SYSEXIT #UD in long mode
// tern-nested: allow compat/* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: SYSCALL works in compatibility mode
// tern-nested: allow sysret-faults/* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: SYSRET to a non-canonical RIP faults at CPL 3
// tern-nested: allow syscall/rflags-masked QEMU 7.2 TCG (the nested CPU) SYSCALL's RFLAGS masking seen differently
/*
 * syscall.c: the fast system calls (target-x86/syscall_helper.c).
 *   - CPUID announces SEP (leaf 1 EDX 11) and SYSCALL (0x80000001 EDX 11);
 *   - SYSCALL from ring 3 enters LSTAR at CPL 0 with RCX = the next rip,
 *     R11 = RFLAGS, RFLAGS & ~FMASK, CS/SS from STAR[47:32], the stack
 *     untouched; SYSRETQ returns with CS/SS from STAR[63:48] (RPL 3) and
 *     RFLAGS = R11;
 *   - SYSRET with a non-canonical RCX is #GP(0) at CPL 0 (Intel), SYSRET
 *     at CPL 3 is #GP(0); without EFER.SCE both are #UD (before the CPL
 *     check);
 *   - SYSENTER from ring 3 enters SYSENTER_EIP/ESP with CS = SYSENTER_CS,
 *     SS = CS + 8 and IF clear; SYSEXITQ (REX.W) returns to RDX/RCX with
 *     CS = SYSENTER_CS + 32, SS = + 40, RPL 3; SYSEXIT at CPL 3, SYSENTER
 *     with a null SYSENTER_CS and SYSEXIT with a non-canonical RDX are
 *     #GP(0);
 *   - compatibility mode (32-bit code at CPL 3 in IA-32e mode): SYSRET
 *     without REX.W returns to CS = STAR[63:48], SS = + 8 with EIP = ECX
 *     (RCX's upper half dropped) and EFLAGS = R11; SYSENTER from there
 *     enters the 64-bit SYSENTER_EIP; SYSEXIT without REX.W returns to
 *     CS = SYSENTER_CS + 16, SS = + 24 with EIP = EDX, ESP = ECX; SYSCALL
 *     there is #UD (Intel: 64-bit mode only; AMD's CSTAR is unused).
 * Natively: SYSCALL to Linux (getpid) shows the RCX/R11 convention.
 */
#include "tern.h"

#ifdef TERN_NATIVE
uint64_t nat_rcx, nat_r11;
FAULT_FN_AT(native_syscall, "mov $39, %eax\n\tstc", "syscall",
            "mov %rcx, nat_rcx(%rip)\n\tmov %r11, nat_r11(%rip)");

static void test_native(void)
{
    test_group("linux");
    native_syscall();
    CHECK_EQ_NAMED("rcx-next-rip", nat_rcx, (uint64_t)(uintptr_t)native_syscall_at + 2);
    CHECK_EQ_NAMED("r11-rflags-cf", nat_r11 & FL_CF, FL_CF);
}
#else
#define SEL_SYSENTER     (TERN_GDT_FREE * 8)     /* 0x38: kernel code, data, user... */
#define SEL_COMPAT       ((TERN_GDT_FREE + 6) * 8) /* 0x68: STAR[63:48] for compat mode */

/* What the handlers and the user side saw */
uint64_t sc_rcx, sc_r11, sc_flags, sc_rsp, before_rsp, after_flags, after_rsp;
uint16_t sc_cs, sc_ss, after_cs, after_ss;
static uint8_t se_stack[4096] __attribute__((aligned(16)));

#define RECORD_AFTER \
    "pushfq\n\tpopq after_flags(%rip)\n\tcld\n\tmovw %cs, after_cs(%rip)\n\t" \
    "movw %ss, after_ss(%rip)\n\tmov %rsp, after_rsp(%rip)"
#define RECORD_KERNEL \
    "pushfq\n\tpopq sc_flags(%rip)\n\tmovw %cs, sc_cs(%rip)\n\tmovw %ss, sc_ss(%rip)\n\t" \
    "mov %rsp, sc_rsp(%rip)\n\t"

/* LSTAR: ring 0, on the caller's stack */
void sc_handler(void);
__asm__(".text\n.globl sc_handler\nsc_handler:\n\t"
        "mov %rcx, sc_rcx(%rip)\n\tmov %r11, sc_r11(%rip)\n\t" RECORD_KERNEL "sysretq\n");
/* SYSENTER_EIP: ring 0 on SYSENTER_ESP; back to RDX with RSP = RCX */
void se_handler(void);
__asm__(".text\n.globl se_handler\nse_handler:\n\t" RECORD_KERNEL "sysexitq\n");

FAULT_FN_AT(user_syscall, "std\n\tstc\n\tmov %rsp, before_rsp(%rip)", "syscall", RECORD_AFTER);
FAULT_FN_AT(user_sysenter, "mov %rsp, before_rsp(%rip)\n\tmov %rsp, %rcx\n\tlea 1f(%rip), %rdx",
            "sysenter", "1:\n\t" RECORD_AFTER);
FAULT_FN_AT(sysret_noncanon, "mov $0x800000000000, %rcx\n\tmov $2, %r11", "sysretq", "");
FAULT_FN(sysret_here, "lea 1f(%rip), %rcx\n\tmov $2, %r11\n\tsysretq\n1:");
FAULT_FN(syscall_fn, "syscall");
FAULT_FN(sysenter_fn, "sysenter");
FAULT_FN_AT(sysexit_noncanon, "mov $0x800000000000, %rdx\n\tmov %rsp, %rcx", "sysexitq", "");
FAULT_FN(sysexit_here, "lea 1f(%rip), %rdx\n\tmov %rsp, %rcx\n\tsysexitq\n1:");

/* Compatibility mode at CPL 3: SYSRET (no REX.W) lands at compat_sysret,
 * which SYSENTERs (edx, ecx: where SYSEXIT returns); SYSEXIT (no REX.W)
 * lands at compat_sysexit, whose SYSCALL is #UD.  DS is null after the
 * IRET to ring 3 (fine in 64-bit mode, #GP here): load SS's selector. */
uint32_t cm_esp1, cm_esp2, cm_flags1;
uint16_t cm_cs1, cm_ss1, cm_cs2, cm_ss2;
void compat_sysret(void), compat_sysexit(void), compat_syscall_at(void);
__asm__(".text\n.code32\n.globl compat_sysret, compat_sysexit, compat_syscall_at\n"
        "compat_sysret:\n\tmov %ss, %eax\n\tmov %eax, %ds\n\tmov %eax, %es\n\t"
        "movw %cs, cm_cs1\n\tmovw %ss, cm_ss1\n\tmov %esp, cm_esp1\n\t"
        "pushf\n\tpopl cm_flags1\n\t"
        "mov $compat_sysexit, %edx\n\tmov %esp, %ecx\n\tsysenter\n"
        "compat_sysexit:\n\tmovw %cs, cm_cs2\n\tmovw %ss, cm_ss2\n\tmov %esp, cm_esp2\n"
        "compat_syscall_at:\n\tsyscall\n\tud2\n.code64\n");
/* LSTAR: to compat_sysret with junk in RCX[63:32], EFLAGS = CF (IF clear) */
void cm_sc_handler(void);
__asm__(".text\n.globl cm_sc_handler\ncm_sc_handler:\n\t"
        "mov $compat_sysret, %ecx\n\tbts $40, %rcx\n\tmov $3, %r11d\n\tsysretl\n");
/* SYSENTER_EIP (64-bit, ring 0): back with junk in RDX[63:32] and RCX[63:32] */
void cm_se_handler(void);
__asm__(".text\n.globl cm_se_handler\ncm_se_handler:\n\t" RECORD_KERNEL
        "bts $40, %rdx\n\tbts $40, %rcx\n\tsysexitl\n");
FAULT_FN_AT(user_to_compat, "mov %rsp, before_rsp(%rip)", "syscall", "");

static void test_syscall(void)
{
    uint64_t efer = rdmsr(MSR_EFER);

    test_group("syscall");
    wrmsr(MSR_EFER, efer | 1);
    wrmsr(MSR_STAR, (0x10ull << 48) | ((uint64_t)TERN_SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)sc_handler);
    wrmsr(MSR_FMASK, FL_IF | FL_DF | FL_TF | FL_AC);
    CHECK_EQ_NAMED("returns", tern_run_user(user_syscall, FL_IF), -1);
    CHECK_EQ_NAMED("rcx", sc_rcx, (uint64_t)(uintptr_t)user_syscall_at + 2);
    CHECK_EQ_NAMED("r11", sc_r11 & (FL_CF | FL_DF | FL_IF), FL_CF | FL_DF | FL_IF);
    CHECK_EQ_NAMED("rflags-masked", sc_flags & (FL_CF | FL_DF | FL_IF), FL_CF);
    CHECK_EQ_NAMED("cs", sc_cs, TERN_SEL_KCODE);
    CHECK_EQ_NAMED("ss", sc_ss, TERN_SEL_KDATA);
    CHECK_EQ_NAMED("rsp-kept", sc_rsp, before_rsp);
    CHECK_EQ_NAMED("sysret-cs", after_cs, TERN_SEL_UCODE);
    CHECK_EQ_NAMED("sysret-ss", after_ss, TERN_SEL_UDATA);
    CHECK_EQ_NAMED("sysret-rflags", after_flags & (FL_CF | FL_DF | FL_IF), FL_CF | FL_DF | FL_IF);
    CHECK_EQ_NAMED("sysret-rsp", after_rsp, before_rsp);

    test_group("sysret-faults");
    CHECK_EQ_NAMED("noncanonical-gp", tern_catch_fault(sysret_noncanon), 13);
    CHECK_EQ_NAMED("noncanonical-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("noncanonical-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)sysret_noncanon_at);
    CHECK_EQ_NAMED("noncanonical-at-cpl0", tern_last_fault.cs, TERN_SEL_KCODE);
    CHECK_EQ_NAMED("cpl3-gp", tern_run_user(sysret_here, 0), 13);

    test_group("no-sce");
    wrmsr(MSR_EFER, efer & ~1ull);
    CHECK_EQ_NAMED("syscall-ud", tern_catch_fault(syscall_fn), 6);
    CHECK_EQ_NAMED("syscall-ud-cpl3", tern_run_user(syscall_fn, 0), 6);
    CHECK_EQ_NAMED("sysret-ud-cpl3", tern_run_user(sysret_here, 0), 6);
    CHECK_EQ_NAMED("sysret-ud", tern_catch_fault(sysret_here), 6);
    wrmsr(MSR_EFER, efer);
}

static void test_sysenter(void)
{
    test_group("sysenter");
    tern_gdt[TERN_GDT_FREE] = 0x00af9b000000ffffull;       /* SYSENTER_CS: code64, DPL 0 */
    tern_gdt[TERN_GDT_FREE + 1] = 0x00cf93000000ffffull;   /* + 8: data, DPL 0 */
    tern_gdt[TERN_GDT_FREE + 2] = 0x00cffb000000ffffull;   /* + 16: code32, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 3] = 0x00cff3000000ffffull;   /* + 24: data, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 4] = 0x00affb000000ffffull;   /* + 32: code64, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 5] = 0x00cff3000000ffffull;   /* + 40: data, DPL 3 */
    tern_gdt_load();
    wrmsr(MSR_SYSENTER_CS, SEL_SYSENTER);
    wrmsr(MSR_SYSENTER_ESP, (uint64_t)(uintptr_t)(se_stack + sizeof(se_stack)));
    wrmsr(MSR_SYSENTER_EIP, (uint64_t)(uintptr_t)se_handler);
    CHECK_EQ_NAMED("returns", tern_run_user(user_sysenter, FL_IF), -1);
    CHECK_EQ_NAMED("cs", sc_cs, SEL_SYSENTER);
    CHECK_EQ_NAMED("ss", sc_ss, SEL_SYSENTER + 8);
    CHECK_EQ_NAMED("rsp", sc_rsp, (uint64_t)(uintptr_t)(se_stack + sizeof(se_stack)));
    CHECK_EQ_NAMED("if-clear", sc_flags & FL_IF, 0);
    CHECK_EQ_NAMED("sysexit-cs", after_cs, (SEL_SYSENTER + 32) | 3);
    CHECK_EQ_NAMED("sysexit-ss", after_ss, (SEL_SYSENTER + 40) | 3);
    CHECK_EQ_NAMED("sysexit-rsp", after_rsp, before_rsp);

    test_group("sysenter-faults");
    CHECK_EQ_NAMED("sysexit-cpl3", tern_run_user(sysexit_here, 0), 13);
    CHECK_EQ_NAMED("sysexit-noncanonical", tern_catch_fault(sysexit_noncanon), 13);
    CHECK_EQ_NAMED("sysexit-noncanonical-rip", tern_last_fault.rip,
                   (uint64_t)(uintptr_t)sysexit_noncanon_at);
    wrmsr(MSR_SYSENTER_CS, 0);
    CHECK_EQ_NAMED("sysenter-null-cs", tern_run_user(sysenter_fn, 0), 13);
    CHECK_EQ_NAMED("sysenter-null-cs-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("sysexit-null-cs", tern_catch_fault(sysexit_here), 13);
}

static void test_compat(void)
{
    uint64_t efer = rdmsr(MSR_EFER);

    test_group("compat");
    tern_gdt[TERN_GDT_FREE + 6] = 0x00cffb000000ffffull;   /* STAR[63:48]: code32, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 7] = 0x00cff3000000ffffull;   /* + 8: data, DPL 3 */
    tern_gdt[TERN_GDT_FREE + 8] = 0x00affb000000ffffull;   /* + 16: code64, DPL 3 */
    tern_gdt_load();
    wrmsr(MSR_EFER, efer | 1);
    wrmsr(MSR_STAR, ((uint64_t)SEL_COMPAT << 48) | ((uint64_t)TERN_SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)cm_sc_handler);
    wrmsr(MSR_FMASK, FL_IF);
    wrmsr(MSR_SYSENTER_CS, SEL_SYSENTER);
    wrmsr(MSR_SYSENTER_ESP, (uint64_t)(uintptr_t)(se_stack + sizeof(se_stack)));
    wrmsr(MSR_SYSENTER_EIP, (uint64_t)(uintptr_t)cm_se_handler);
    sc_cs = 0;
    CHECK_EQ_NAMED("syscall-ud", tern_run_user(user_to_compat, 0), 6);
    CHECK_EQ_NAMED("sysret-cs", cm_cs1, SEL_COMPAT | 3);
    CHECK_EQ_NAMED("sysret-ss", cm_ss1, (SEL_COMPAT + 8) | 3);
    CHECK_EQ_NAMED("sysret-esp", cm_esp1, (uint32_t)before_rsp);
    CHECK_EQ_NAMED("sysret-eflags", cm_flags1 & (FL_CF | FL_IF), FL_CF);
    CHECK_EQ_NAMED("sysenter-cs", sc_cs, SEL_SYSENTER);
    CHECK_EQ_NAMED("sysexit-cs", cm_cs2, (SEL_SYSENTER + 16) | 3);
    CHECK_EQ_NAMED("sysexit-ss", cm_ss2, (SEL_SYSENTER + 24) | 3);
    CHECK_EQ_NAMED("sysexit-esp", cm_esp2, cm_esp1);
    CHECK_EQ_NAMED("syscall-ud-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)compat_syscall_at);
    CHECK_EQ_NAMED("syscall-ud-cs", tern_last_fault.cs, (SEL_SYSENTER + 16) | 3);
    wrmsr(MSR_SYSENTER_CS, 0);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    uint32_t r[4];

    (void)bi;
    test_group("cpuid");
    tern_cpuid(1, 0, r);
    CHECK_EQ_NAMED("sep", (r[3] >> 11) & 1, 1);
    tern_cpuid(0x80000001u, 0, r);
    CHECK_EQ_NAMED("syscall", (r[3] >> 11) & 1, 1);
#ifdef TERN_NATIVE
    test_native();
#else
    tern_sys_install();
    test_syscall();
    test_sysenter();
    test_compat();
#endif
    test_done();
}
