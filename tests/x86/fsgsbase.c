// tern-nested: allow non-canonical/* QEMU 7.2 TCG (the nested CPU) does not #GP on WRFSBASE with a non-canonical base
/*
 * fsgsbase.c: RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE (F3 0F AE /0-/3,
 * register forms), guest only (they need CR4.FSGSBASE, which ring 0 sets):
 *   - CPUID.7.0:EBX bit 0 is set (native too: the host has the feature);
 *   - with CR4.FSGSBASE clear each is #UD; once set, CR4 reads it back;
 *   - 64-bit writes and reads round-trip, and FS:/GS: accesses use the new
 *     base while the selectors stay as they were;
 *   - the 32-bit forms write the zero-extended value and read the low
 *     half zero-extended;
 *   - a non-canonical 64-bit write is #GP(0) and leaves the base alone.
 */
#include "tern.h"

#ifndef TERN_NATIVE
static uint64_t scratch[4];

/* rax in, rax out: each function is one instruction */
#define BASE_FN(name, insn) \
    FAULT_FN(name, "mov base_in(%rip), %rax\n\t" insn "\n\tmov %rax, base_out(%rip)")
uint64_t base_in, base_out;
BASE_FN(rdfs64, "rdfsbase %rax");
BASE_FN(rdgs64, "rdgsbase %rax");
BASE_FN(wrfs64, "wrfsbase %rax");
BASE_FN(wrgs64, "wrgsbase %rax");
BASE_FN(rdfs32, "rdfsbase %eax");
BASE_FN(wrgs32, "wrgsbase %eax");

static uint64_t run(void (*fn)(void), uint64_t in)
{
    base_in = in;
    base_out = 0x5555;
    CHECK_EQ_NAMED("no-fault", tern_catch_fault(fn), -1);
    return base_out;
}
#endif

int main(const struct tern_bootinfo *bi)
{
    uint32_t a, b, c, d;

    (void)bi;
    test_group("cpuid");
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    CHECK_EQ_NAMED("leaf7-ebx0", b & 1, 1);
#ifdef TERN_NATIVE
    test_skip("CR4.FSGSBASE needs ring 0");
#else
    uint64_t cr4 = read_cr(4);
    uint16_t fs_sel, gs_sel, fs_after, gs_after;

    idt_install();
    test_group("ud-without-cr4");
    CHECK_EQ_NAMED("cr4-clear", cr4 & (1u << 16), 0);
    CHECK_NAMED("rdfsbase", expect_fault(6, rdfs64));
    CHECK_NAMED("rdgsbase", expect_fault(6, rdgs64));
    CHECK_NAMED("wrfsbase", expect_fault(6, wrfs64));
    CHECK_NAMED("wrgsbase", expect_fault(6, wrgs64));

    write_cr(4, cr4 | (1u << 16));
    CHECK_EQ_NAMED("cr4-set", read_cr(4), cr4 | (1u << 16));
    __asm__ volatile("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs_sel), "=r"(gs_sel));

    test_group("64-bit");
    run(wrfs64, (uint64_t)(uintptr_t)scratch);
    CHECK_EQ_NAMED("rdfsbase", run(rdfs64, 0), (uint64_t)(uintptr_t)scratch);
    run(wrgs64, (uint64_t)(uintptr_t)&scratch[1]);
    CHECK_EQ_NAMED("rdgsbase", run(rdgs64, 0), (uint64_t)(uintptr_t)&scratch[1]);
    __asm__ volatile("movq $0x1111, %%fs:8\n\tmovq $0x2222, %%gs:16" : : : "memory");
    CHECK_EQ_NAMED("fs-access", scratch[1], 0x1111);
    CHECK_EQ_NAMED("gs-access", scratch[3], 0x2222);
    __asm__ volatile("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs_after), "=r"(gs_after));
    CHECK_EQ_NAMED("fs-selector", fs_after, fs_sel);
    CHECK_EQ_NAMED("gs-selector", gs_after, gs_sel);
    run(wrgs64, 0xffff800000001000ull);
    CHECK_EQ_NAMED("canonical-high", run(rdgs64, 0), 0xffff800000001000ull);

    test_group("32-bit");
    run(wrgs32, 0xfedcba9889abcdefull);
    CHECK_EQ_NAMED("wrgsbase-zero-extends", run(rdgs64, 0), 0x89abcdefull);
    run(wrfs64, 0x123456789ull);
    CHECK_EQ_NAMED("rdfsbase-low-half", run(rdfs32, 0), 0x23456789ull);

    test_group("non-canonical");
    run(wrfs64, 0x1000);
    base_in = 0x0100000000000000ull;          /* not canonical at 48 or 57 bits */
    CHECK_EQ_NAMED("wrfsbase-gp", tern_catch_fault(wrfs64), 13);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("unchanged", run(rdfs64, 0), 0x1000);

    run(wrfs64, 0);
    run(wrgs64, 0);
    write_cr(4, cr4);
#endif
    test_done();
}
