/*
 * pku_helper.c: RDPKRU and WRPKRU, the protection-key rights register
 * (SDM vol.2, vol.3 §4.6.2).  Any CPL; #UD without CR4.PKE (the
 * translator's feature table gives #UD without CPUID PKU), then #GP(0)
 * for ECX != 0 (and EDX != 0 for WRPKRU).  mmu.c applies PKRU to the
 * rights it enters in the TLB, so WRPKRU flushes it.  PKRU is not an
 * XSAVE component here: XCR0 bit 9 stays unsupported.
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

static void pkru_check(CPUX86State *env, bool bad, uintptr_t ra)
{
    if (!(env->cr[4] & CR4_PKE_MASK)) {
        raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    if (bad) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

uint64_t helper_rdpkru(CPUX86State *env, uint32_t ecx)
{
    pkru_check(env, ecx != 0, GETPC());
    return env->pkru;
}

void helper_wrpkru(CPUX86State *env, uint32_t ecx, uint32_t edx, uint32_t eax)
{
    pkru_check(env, (ecx | edx) != 0, GETPC());
    env->pkru = eax;
    tlb_flush(env_cpu(env));
}
