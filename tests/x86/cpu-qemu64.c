// tern-kvm: allow cpu-qemu64/leaf1-ecx under KVM tern adds the hypervisor bit (CPUID.1:ECX[31]) that announces KVM's paravirtual leaves
// tern-kvm: allow cpu-qemu64/*-ud under hardware virtualisation a feature cleared from CPUID still executes (no #UD)
// tern-args: -cpu qemu64
/*
 * cpu-qemu64.c: the baseline model.  CPUID reports qemu64's signature
 * (family 15, model 107, stepping 1), brand and features (SSE3 and CX16
 * in leaf 1 ECX, nothing in leaf 7), and each instruction family with a
 * CPUID bit of its own that the model lacks raises #UD (POPCNT, MOVBE,
 * BMI1, BMI2, ADX, RDRAND, RDSEED, RDTSCP, AES, PCLMULQDQ, SSSE3,
 * SSE4.1, SSE4.2, XSAVE); SSE3 runs.  Guest-only: the host is a
 * different CPU.
 */
#include "tern.h"

FAULT_FN(popcnt_fn, "popcnt %rax, %rax");
FAULT_FN(movbe_fn, "movbe (%rsp), %rax");
FAULT_FN(andn_fn, "andn %rax, %rax, %rax");
FAULT_FN(pdep_fn, "pdep %rax, %rax, %rax");
FAULT_FN(adcx_fn, "adcx %rax, %rax");
FAULT_FN(rdrand_fn, "rdrand %rax");
FAULT_FN(rdseed_fn, "rdseed %rax");
FAULT_FN(rdtscp_fn, "rdtscp");
FAULT_FN(aesenc_fn, "aesenc %xmm1, %xmm0");
FAULT_FN(pclmul_fn, "pclmulqdq $0, %xmm1, %xmm0");
FAULT_FN(pshufb_fn, "pshufb %xmm1, %xmm0");
FAULT_FN(pminsd_fn, "pminsd %xmm1, %xmm0");
FAULT_FN(crc32_fn, "crc32b %al, %eax");
FAULT_FN(xgetbv_fn, "xor %ecx, %ecx\n\txgetbv");
FAULT_FN(haddps_fn, "haddps %xmm1, %xmm0");       /* SSE3: in the model */

int main(const struct tern_bootinfo *bi)
{
    static const struct { const char *name; void (*fn)(void); } ud[] = {
        { "popcnt-ud", popcnt_fn }, { "movbe-ud", movbe_fn }, { "andn-ud", andn_fn },
        { "pdep-ud", pdep_fn }, { "adcx-ud", adcx_fn }, { "rdrand-ud", rdrand_fn },
        { "rdseed-ud", rdseed_fn }, { "rdtscp-ud", rdtscp_fn }, { "aesenc-ud", aesenc_fn },
        { "pclmulqdq-ud", pclmul_fn }, { "pshufb-ud", pshufb_fn },
        { "pminsd-ud", pminsd_fn }, { "crc32-ud", crc32_fn }, { "xgetbv-ud", xgetbv_fn },
    };
    uint32_t r[4], brand[12];

    (void)bi;
#ifdef TERN_NATIVE
    test_skip("needs tern -cpu qemu64");
#endif
    idt_install();
    test_group("cpu-qemu64");
    tern_cpuid(1, 0, r);
    CHECK_EQ_NAMED("signature", r[0], 0x00060fb1u);     /* ext model 6, family 15, model 0xb */
    CHECK_EQ_NAMED("leaf1-ecx", r[2], (1u << 0) | (1u << 13));
    CHECK_EQ_NAMED("leaf1-edx", r[3], 0x0789fbfdu);   /* QEMU's 0x078bfbfd less pse36 */
    tern_cpuid(7, 0, r);
    CHECK_EQ_NAMED("leaf7-ebx", r[1], 0);
    tern_cpuid(0x80000001u, 0, r);
    CHECK_EQ_NAMED("ext-ecx", r[2], 1u);                /* lahf_lm */
    CHECK_EQ_NAMED("ext-edx", r[3], (1u << 11) | (1u << 20) | (1u << 29)); /* syscall nx lm */
    tern_cpuid(0xd, 0, r);
    CHECK_EQ_NAMED("leaf-d-empty", r[0] | r[1] | r[2] | r[3], 0);
    for (int i = 0; i < 3; i++) {
        tern_cpuid(0x80000002u + (uint32_t)i, 0, &brand[4 * i]);
    }
    CHECK_NAMED("brand", !memcmp(brand, "QEMU Virtual CPU version 2.5+", 30));
    for (unsigned i = 0; i < sizeof(ud) / sizeof(ud[0]); i++) {
        CHECK_EQ_NAMED(ud[i].name, tern_catch_fault(ud[i].fn), 6);
    }
    CHECK_EQ_NAMED("haddps-runs", tern_catch_fault(haddps_fn), -1);
    test_done();
}
