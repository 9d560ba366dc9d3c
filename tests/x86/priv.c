// tern-kvm: allow invpcid/vector the host's KVM does not offer INVPCID: #UD
// tern-nested: allow xsetbv/vector QEMU 7.2's nested SVM does not intercept XSETBV
/*
 * priv.c: privileged instructions at CPL 3, IOPL and the TSS I/O
 * permission bitmap, UMIP, SMSW/LMSW.
 *   - One table: each privileged instruction run at CPL 3 (tern_run_user;
 *     natively the process, where #GP(0) arrives as SIGSEGV with trap 13)
 *     raises its vector with error code 0 at its own rip: HLT, LGDT, LIDT,
 *     LLDT, LTR, MOV CRn both ways, MOV DRn both ways, CLTS, INVLPG,
 *     INVPCID, WRMSR, RDMSR, XSETBV (#UD without CR4.OSXSAVE), SWAPGS, LMSW,
 *     WBINVD, INVD, CLI, STI, and IN/OUT/INS/OUTS at IOPL 0 with their
 *     ports denied.
 *   - Guest: IN/OUT at CPL 3 follow the TSS bitmap (runtime/sys.c): an
 *     allowed port works, a word or dword access needs every port's bit
 *     clear (also across a bitmap byte), ports beyond the TSS limit are
 *     #GP(0); with IOPL 3 the bitmap is not consulted, and CLI/STI work;
 *     rep insb stores each byte and advances rDI.
 *   - Guest: CPUID.7.0:ECX.UMIP; with CR4.UMIP clear SGDT, SIDT, SLDT, STR
 *     and SMSW work at CPL 3, with it set they are #GP(0) (at CPL 0 they
 *     still work); SMSW's register forms and memory form; LMSW sets TS and
 *     cannot clear PE; WBINVD and INVD at CPL 0 are no-ops.
 */
#include "tern.h"

FAULT_FN_AT(p_hlt, "", "hlt", "");
FAULT_FN_AT(p_lgdt, "", "lgdt (%rsp)", "");
FAULT_FN_AT(p_lidt, "", "lidt (%rsp)", "");
FAULT_FN_AT(p_lldt, "xor %eax, %eax", "lldt %ax", "");
FAULT_FN_AT(p_ltr, "xor %eax, %eax", "ltr %ax", "");
FAULT_FN_AT(p_rdcr0, "", "mov %cr0, %rax", "");
FAULT_FN_AT(p_wrcr4, "xor %eax, %eax", "mov %rax, %cr4", "");
FAULT_FN_AT(p_rdcr8, "", "mov %cr8, %rax", "");
FAULT_FN_AT(p_rddr7, "", "mov %dr7, %rax", "");
FAULT_FN_AT(p_wrdr0, "xor %eax, %eax", "mov %rax, %dr0", "");
FAULT_FN_AT(p_clts, "", "clts", "");
FAULT_FN_AT(p_invlpg, "", "invlpg (%rsp)", "");
FAULT_FN_AT(p_invpcid, "xor %eax, %eax", "invpcid (%rsp), %rax", "");
FAULT_FN_AT(p_wrmsr, "mov $0x10, %ecx\n\txor %eax, %eax\n\txor %edx, %edx", "wrmsr", "");
FAULT_FN_AT(p_rdmsr, "mov $0x10, %ecx", "rdmsr", "");
FAULT_FN_AT(p_xsetbv, "xor %ecx, %ecx\n\tmov $3, %eax\n\txor %edx, %edx", "xsetbv", "");
FAULT_FN_AT(p_swapgs, "", "swapgs", "");
FAULT_FN_AT(p_lmsw, "xor %eax, %eax", "lmsw %ax", "");
FAULT_FN_AT(p_wbinvd, "", "wbinvd", "");
FAULT_FN_AT(p_invd, "", "invd", "");
FAULT_FN_AT(p_cli, "", "cli", "");
FAULT_FN_AT(p_sti, "", "sti", "");
/* port I/O: 0x80.. are unclaimed on tern's PC (reads give 0xff) */
FAULT_FN_AT(p_inb_imm, "", "in $0x80, %al", "");
FAULT_FN_AT(p_outb_dx, "mov $0x80, %edx", "out %al, %dx", "");
FAULT_FN_AT(p_inw_imm, "", "in $0x80, %ax", "");
FAULT_FN_AT(p_outl_imm, "", "out %eax, $0x86", "");
FAULT_FN_AT(p_inl_dx_far, "mov $0x400, %edx", "in %dx, %eax", "");
FAULT_FN_AT(p_cli_sti, "", "cli", "sti");
static uint8_t desc_buf[16] __attribute__((used));
FAULT_FN_AT(p_insb, "mov $0x80, %edx\n\tlea desc_buf(%rip), %rdi", "insb", "");
FAULT_FN_AT(p_outsw, "mov $0x80, %edx\n\tlea desc_buf(%rip), %rsi", "outsw", "");
FAULT_FN_AT(p_rep_insb, "mov $0x80, %edx\n\tlea desc_buf(%rip), %rdi\n\tmov $3, %ecx",
            "rep insb", "");
/* UMIP */
FAULT_FN_AT(p_sgdt, "", "sgdt desc_buf(%rip)", "");
FAULT_FN_AT(p_sidt, "", "sidt desc_buf(%rip)", "");
FAULT_FN_AT(p_sldt, "", "sldt %eax", "");
FAULT_FN_AT(p_str, "", "str %eax", "");
FAULT_FN_AT(p_smsw, "", "smsw %eax", "");

struct priv_case {
    const char *name;
    void (*fn)(void);
    const char *at;              /* the rip a fault reports */
    int vector;                  /* -1: no fault */
};

#define CASE(n, v) { #n, p_##n, p_##n##_at, v }

static void run_cases(const struct priv_case *c, unsigned n, uint64_t rflags)
{
    for (unsigned i = 0; i < n; i++) {
        int v = tern_run_user(c[i].fn, rflags);

        test_group(c[i].name);
        CHECK_EQ_NAMED("vector", v, c[i].vector);
        if (v == c[i].vector && v >= 0) {
            CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)c[i].at);
        }
    }
}

static void privileged_tests(void)
{
    /* XSETBV checks CR4.OSXSAVE (#UD) before the CPL */
    int xsetbv = (!TERN_HAVE_RING0 || (read_cr(4) & CR4_OSXSAVE)) ? 13 : 6;
    const struct priv_case cases[] = {
        CASE(hlt, 13), CASE(lgdt, 13), CASE(lidt, 13), CASE(lldt, 13), CASE(ltr, 13),
        CASE(rdcr0, 13), CASE(wrcr4, 13), CASE(rdcr8, 13), CASE(rddr7, 13),
        CASE(wrdr0, 13), CASE(clts, 13), CASE(invlpg, 13), CASE(invpcid, 13),
        CASE(wrmsr, 13), CASE(rdmsr, 13), CASE(xsetbv, xsetbv), CASE(swapgs, 13),
        CASE(lmsw, 13), CASE(wbinvd, 13), CASE(invd, 13), CASE(cli, 13), CASE(sti, 13),
        CASE(inb_imm, 13), CASE(outb_dx, 13), CASE(inw_imm, 13), CASE(outl_imm, 13),
        CASE(inl_dx_far, 13), CASE(insb, 13), CASE(outsw, 13), CASE(rep_insb, 13),
    };

    run_cases(cases, sizeof(cases) / sizeof(cases[0]), 0);
}

#ifndef TERN_NATIVE
/* Guest: the bitmap decides at IOPL 0, IOPL 3 bypasses it. */
static void iomap_tests(void)
{
    static const unsigned allow[] = { 0x80, 0x86, 0x87, 0x88, 0x89 };
    const struct priv_case allowed[] = {
        CASE(inb_imm, -1), CASE(outb_dx, -1),
        CASE(inw_imm, 13),           /* 0x81 still denied */
        CASE(outl_imm, -1),          /* 0x86-0x89: across a bitmap byte */
        CASE(inl_dx_far, 13),        /* beyond the TSS limit */
        CASE(insb, -1), CASE(outsw, 13),
    };
    const struct priv_case last_denied[] = {
        CASE(outl_imm, 13),          /* 0x89, in the next bitmap byte */
        CASE(inw_imm, -1), CASE(outsw, -1),
    };
    const struct priv_case iopl3[] = {
        CASE(inl_dx_far, -1), CASE(inw_imm, -1), CASE(cli_sti, -1),
    };

    for (unsigned i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) {
        tern_io_allow(allow[i], 1);
    }
    run_cases(allowed, sizeof(allowed) / sizeof(allowed[0]), 0);
    tern_io_allow(0x89, 0);
    tern_io_allow(0x81, 1);
    run_cases(last_denied, sizeof(last_denied) / sizeof(last_denied[0]), 0);
    for (unsigned i = 0; i < sizeof(allow) / sizeof(allow[0]); i++) {
        tern_io_allow(allow[i], 0);
    }
    tern_io_allow(0x81, 0);
    run_cases(iopl3, sizeof(iopl3) / sizeof(iopl3[0]), FL_IOPL(3));

    /* rep insb at CPL 0: three bytes of the unclaimed port, rDI advanced */
    memset(desc_buf, 0, sizeof(desc_buf));
    tern_catch_fault(p_rep_insb);
    test_group("rep-insb");
    CHECK_EQ_NAMED("bytes", desc_buf[0] & desc_buf[1] & desc_buf[2], 0xff);
    CHECK_EQ_NAMED("stops", desc_buf[3], 0);
}

/* Guest: CR4.UMIP hides the system registers from CPL 3 only. */
static void umip_tests(void)
{
    uint32_t a, b, c, d;
    uint64_t cr4 = read_cr(4);
    const struct priv_case off[] = {
        CASE(sgdt, -1), CASE(sidt, -1), CASE(sldt, -1), CASE(str, -1), CASE(smsw, -1),
    };
    const struct priv_case on[] = {
        CASE(sgdt, 13), CASE(sidt, 13), CASE(sldt, 13), CASE(str, 13), CASE(smsw, 13),
    };

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    test_group("umip-cpuid");
    CHECK_EQ_NAMED("ecx-bit2", (c >> 2) & 1, 1);
    run_cases(off, 5, 0);
    write_cr(4, cr4 | CR4_UMIP);
    test_group("umip-cr4");
    CHECK_EQ_NAMED("set", read_cr(4) & CR4_UMIP, CR4_UMIP);
    run_cases(on, 5, 0);
    test_group("umip-ring0");
    CHECK_EQ_NAMED("sgdt", tern_catch_fault(p_sgdt), -1);
    CHECK_EQ_NAMED("smsw", tern_catch_fault(p_smsw), -1);
    write_cr(4, cr4);
}

/* Guest: SMSW's forms, LMSW's PE rule, WBINVD/INVD at CPL 0. */
static void msw_tests(void)
{
    uint64_t cr0, r;
    uint16_t m = 0;

    cr0 = read_cr(0);
    test_group("smsw");
    r = ~0ull;
    __asm__ volatile("smsw %k0" : "+r"(r));
    CHECK_EQ_NAMED("r32-zero-extends", r, (uint32_t)cr0);
    r = ~0ull;
    __asm__ volatile("smsw %w0" : "+r"(r));
    CHECK_EQ_NAMED("r16-merges", r, (~0ull & ~0xffffull) | (cr0 & 0xffff));
    __asm__ volatile("smsw %q0" : "=r"(r));
    CHECK_EQ_NAMED("r64", r, cr0);
    __asm__ volatile("smsw %0" : "=m"(m));
    CHECK_EQ_NAMED("m16", m, cr0 & 0xffff);

    test_group("lmsw");
    __asm__ volatile("lmsw %w0" : : "r"((uint32_t)(cr0 | CR0_TS)) : "memory");
    r = read_cr(0);
    CHECK_EQ_NAMED("sets-ts", r, cr0 | CR0_TS);
    __asm__ volatile("lmsw %w0" : : "r"(0u) : "memory");
    r = read_cr(0);
    CHECK_EQ_NAMED("keeps-pe-clears-mp-em-ts", r, cr0 & ~0xeull);
    write_cr(0, cr0);

    test_group("cache");
    CHECK_EQ_NAMED("wbinvd", tern_catch_fault(p_wbinvd), -1);
    CHECK_EQ_NAMED("invd", tern_catch_fault(p_invd), -1);
}

#endif

int main(void)
{
    tern_sys_install();
    privileged_tests();
#ifndef TERN_NATIVE
    iomap_tests();
    umip_tests();
    msw_tests();
#endif
    test_done();
}
