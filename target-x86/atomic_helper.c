/*
 * atomic_helper.c: the helpers of LOCKed read-modify-writes (translate.c,
 * "Atomics"); the host side, paths and fallbacks are accel/tcg/atomic.c.
 * No state, no locking of their own.
 */
#include "target-x86/cpu.h"
#include "target-x86/helper.h"
#include "exec/exec-all.h"

/* The store of a locked RMW: only if memory still holds old, else the
 * instruction starts over (its registers and flags are not written yet). */
void helper_atomic_cmpxchg(CPUX86State *env, uint64_t addr, uint64_t old, uint64_t new,
                           uint32_t oi)
{
    CPUState *cs = env_cpu(env);
    uintptr_t ra = GETPC();

    if (cpu_atomic_cmpxchg(cs, addr, old, new, get_memop(oi), (int)get_mmuidx(oi), ra) != old) {
        cpu_loop_exit_restore(cs, ra);
    }
}

/* lock cmpxchg16b (addr 16-aligned, checked by the caller): returns ZF;
 * on failure rDX:rAX = memory. */
uint64_t helper_atomic_cmpxchg16b(CPUX86State *env, uint64_t addr, uint32_t mmu_idx)
{
    uint64_t lo = env->regs[R_EAX], hi = env->regs[R_EDX];

    if (cpu_atomic_cmpxchg16(env_cpu(env), addr, &lo, &hi, env->regs[R_EBX],
                             env->regs[R_ECX], (int)mmu_idx, GETPC())) {
        return 1;
    }
    env->regs[R_EAX] = lo;
    env->regs[R_EDX] = hi;
    return 0;
}
