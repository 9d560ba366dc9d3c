// tern-kvm: allow cpu-nosse41/*-ud under hardware virtualisation a feature cleared from CPUID still executes (no #UD)
// tern-args: -cpu max,-sse4.1
/*
 * cpu-nosse41.c: -cpu max,-sse4.1 removes exactly SSE4.1.  CPUID.1:ECX
 * bit 19 reads 0 (SSE4.2, bit 20, stays 1), and the SSE4.1 instructions
 * raise #UD as the SDM says for CPUID.01H:ECX.SSE4_1[bit 19] = 0, at the
 * instruction itself; SSSE3 and SSE4.2 instructions still run.
 * Guest-only: the host CPU has SSE4.1.
 */
#include "tern.h"

FAULT_FN_AT(pmovzxbw_fn, "", "pmovzxbw %xmm1, %xmm0", "");
FAULT_FN_AT(ptest_fn, "", "ptest %xmm1, %xmm0", "");
FAULT_FN_AT(pextrd_fn, "", "pextrd $1, %xmm0, %eax", "");
FAULT_FN(pshufb_fn, "pshufb %xmm1, %xmm0");        /* SSSE3 */
FAULT_FN(pcmpgtq_fn, "pcmpgtq %xmm1, %xmm0");      /* SSE4.2 */

/* fn raises #UD at its instruction at (the rip the handler sees). */
static void check_ud(const char *name, const char *rip_name, void (*fn)(void), const char *at)
{
    int v = tern_catch_fault(fn);
    CHECK_EQ_NAMED(name, v, 6);
    if (v == 6) {
        CHECK_EQ_NAMED(rip_name, tern_last_fault.rip, (uint64_t)(uintptr_t)at);
    }
}

int main(const struct tern_bootinfo *bi)
{
    uint32_t a = 1, b, c = 0, d;

    (void)bi;
#ifdef TERN_NATIVE
    test_skip("needs tern -cpu max,-sse4.1");
#endif
    idt_install();
    test_group("cpu-nosse41");
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    CHECK_EQ_NAMED("cpuid-sse4.1-clear", c & (1u << 19), 0);
    CHECK_EQ_NAMED("cpuid-sse4.2-set", c & (1u << 20), 1u << 20);
    CHECK_EQ_NAMED("cpuid-ssse3-set", c & (1u << 9), 1u << 9);
    check_ud("pmovzxbw-ud", "pmovzxbw-rip", pmovzxbw_fn, pmovzxbw_fn_at);
    check_ud("ptest-ud", "ptest-rip", ptest_fn, ptest_fn_at);
    check_ud("pextrd-ud", "pextrd-rip", pextrd_fn, pextrd_fn_at);
    CHECK_EQ_NAMED("pshufb-runs", tern_catch_fault(pshufb_fn), -1);
    CHECK_EQ_NAMED("pcmpgtq-runs", tern_catch_fault(pcmpgtq_fn), -1);
    test_done();
}
