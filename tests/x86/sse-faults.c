// tern-nested: allow gp-mxcsr/* QEMU 7.2 TCG (the nested CPU) does not #GP on reserved MXCSR bits
// tern-nested: allow ud/movlpd-reg QEMU 7.2 TCG (the nested CPU) does not #UD MOVLPD with a register operand
// tern-nested: allow xm/* QEMU 7.2 TCG (the nested CPU) does not raise #XM for unmasked SIMD exceptions
/*
 * sse-faults.c: SSE exceptions, caught with the runtime's IDT helper
 * (runtime/idt.c): #GP(0) for a misaligned 16-byte operand (movaps,
 * movapd, movdqa loads and stores, movntps/pd/dq, the memory source of
 * addps and pxor, fxsave) but not for movups, movdqu, lddqu; #GP(0) for
 * LDMXCSR with reserved bits; #XM (vector 19, CR4.OSXMMEXCPT is set at
 * boot) for an unmasked exception, which leaves the destination alone and
 * sets the MXCSR flag; #UD for LOCK and for invalid prefix/ModRM forms.
 * The #UD of CR4.OSFXSR = 0 and CR0.EM, the #NM of CR0.TS: tests/x86/cr.c.
 * The native build cannot take these faults and skips.
 */
#include "simd.h"

#ifndef TERN_NATIVE
static uint8_t area[1024] __attribute__((aligned(16)));
uint64_t misaligned_addr, aligned_addr;
uint32_t bad_mxcsr = 0x10000, xm_mxcsr = MX_DEFAULT & ~MX_MASK(ZE);

FAULT_FN(movaps_load, "mov misaligned_addr(%rip), %rax\n\tmovaps (%rax), %xmm0");
FAULT_FN(movaps_store, "mov misaligned_addr(%rip), %rax\n\tmovaps %xmm0, (%rax)");
FAULT_FN(movapd_load, "mov misaligned_addr(%rip), %rax\n\tmovapd (%rax), %xmm0");
FAULT_FN(movdqa_load, "mov misaligned_addr(%rip), %rax\n\tmovdqa (%rax), %xmm0");
FAULT_FN(movdqa_store, "mov misaligned_addr(%rip), %rax\n\tmovdqa %xmm0, (%rax)");
FAULT_FN(movntps_store, "mov misaligned_addr(%rip), %rax\n\tmovntps %xmm0, (%rax)");
FAULT_FN(movntpd_store, "mov misaligned_addr(%rip), %rax\n\tmovntpd %xmm0, (%rax)");
FAULT_FN(movntdq_store, "mov misaligned_addr(%rip), %rax\n\tmovntdq %xmm0, (%rax)");
FAULT_FN(pxor_mem, "mov misaligned_addr(%rip), %rax\n\tpxor (%rax), %xmm0");
FAULT_FN(movdqu_load, "mov misaligned_addr(%rip), %rax\n\tmovdqu (%rax), %xmm0");
FAULT_FN(lddqu_load, "mov misaligned_addr(%rip), %rax\n\tlddqu (%rax), %xmm0");
FAULT_FN(movdqa_aligned, "mov aligned_addr(%rip), %rax\n\tmovdqa (%rax), %xmm0");
FAULT_FN(movups_load, "mov misaligned_addr(%rip), %rax\n\tmovups (%rax), %xmm0");
FAULT_FN(addps_mem, "mov misaligned_addr(%rip), %rax\n\taddps (%rax), %xmm0");
FAULT_FN(addss_mem, "mov misaligned_addr(%rip), %rax\n\taddss (%rax), %xmm0");
FAULT_FN(fxsave_mis, "mov misaligned_addr(%rip), %rax\n\tfxsave (%rax)");
FAULT_FN(ldmxcsr_bad, "ldmxcsr bad_mxcsr(%rip)");
FAULT_FN(lock_addps, ".byte 0xf0, 0x0f, 0x58, 0xc1");        /* lock addps %xmm1,%xmm0 */
FAULT_FN(movlpd_reg, ".byte 0x66, 0x0f, 0x12, 0xc1");        /* movlpd needs memory */
FAULT_FN(f3_movaps, ".byte 0xf3, 0x0f, 0x28, 0xc1");         /* no F3 form */
/* 1/0 with ZE unmasked: #XM, xmm0 unchanged */
FAULT_FN(divss_zero, "ldmxcsr xm_mxcsr(%rip)\n\t.globl divss_at\ndivss_at:\n\tdivss %xmm1, %xmm0");
extern char divss_at[];
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("faults need the guest's IDT");
#else
    idt_install();
    misaligned_addr = (uint64_t)(uintptr_t)area + 8;
    aligned_addr = (uint64_t)(uintptr_t)area;

    test_group("gp-align");
    CHECK_EQ_NAMED("movaps-load", tern_catch_fault(movaps_load), 13);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("movaps-store", tern_catch_fault(movaps_store), 13);
    CHECK_EQ_NAMED("addps-mem", tern_catch_fault(addps_mem), 13);
    CHECK_EQ_NAMED("fxsave", tern_catch_fault(fxsave_mis), 13);
    CHECK_EQ_NAMED("movapd-load", tern_catch_fault(movapd_load), 13);
    CHECK_EQ_NAMED("movdqa-load", tern_catch_fault(movdqa_load), 13);
    CHECK_EQ_NAMED("movdqa-store", tern_catch_fault(movdqa_store), 13);
    CHECK_EQ_NAMED("movntps", tern_catch_fault(movntps_store), 13);
    CHECK_EQ_NAMED("movntpd", tern_catch_fault(movntpd_store), 13);
    CHECK_EQ_NAMED("movntdq", tern_catch_fault(movntdq_store), 13);
    CHECK_EQ_NAMED("pxor-mem", tern_catch_fault(pxor_mem), 13);
    CHECK_EQ_NAMED("pxor-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)pxor_mem + 7);
    CHECK_EQ_NAMED("movdqu-ok", tern_catch_fault(movdqu_load), -1);
    CHECK_EQ_NAMED("lddqu-ok", tern_catch_fault(lddqu_load), -1);
    CHECK_EQ_NAMED("movdqa-aligned-ok", tern_catch_fault(movdqa_aligned), -1);
    CHECK_EQ_NAMED("movups-ok", tern_catch_fault(movups_load), -1);
    CHECK_EQ_NAMED("addss-ok", tern_catch_fault(addss_mem), -1);

    test_group("gp-mxcsr");
    CHECK_EQ_NAMED("ldmxcsr-reserved", tern_catch_fault(ldmxcsr_bad), 13);

    test_group("ud");
    CHECK_EQ_NAMED("lock", tern_catch_fault(lock_addps), 6);
    CHECK_EQ_NAMED("movlpd-reg", tern_catch_fault(movlpd_reg), 6);
    CHECK_EQ_NAMED("f3-movaps", tern_catch_fault(f3_movaps), 6);

    test_group("xm");
    {
        uint32_t one = 0x3f800000, mx, r;
        __asm__ volatile("movd %0, %%xmm0\n\tpxor %%xmm1, %%xmm1" : : "r"(one) : "xmm0", "xmm1");
        CHECK_EQ_NAMED("divss-zero", tern_catch_fault(divss_zero), 19);
        CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)divss_at);
        __asm__ volatile("stmxcsr %0\n\tmovd %%xmm0, %1" : "=m"(mx), "=r"(r));
        CHECK_EQ_NAMED("mxcsr-ze", mx & 0x3f, ZE);
        CHECK_EQ_NAMED("dest-unchanged", r, one);
        set_mxcsr(MX_DEFAULT);
    }
    test_done();
#endif
}
