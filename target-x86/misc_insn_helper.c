/*
 * misc_insn_helper.c: the time stamp counter (rdtsc, rdtscp), the random
 * numbers of rdrand/rdseed, and clflush's access check.
 *
 * TSC: the host's CLOCK_MONOTONIC scaled to the CPU models' fixed TSC
 * frequency, X86_TSC_HZ (2 GHz, invariant), plus env->tsc_offset (what a
 * guest write of the TSC MSR sets).  It is monotonic and advances in real
 * time whether or not the vCPU runs.  Under -icount it is the virtual
 * clock instead (instructions << shift, plus idle time), so that a guest
 * timing itself with RDTSC sees the same values on every run.
 *
 * RDRAND/RDSEED: a per-CPU xorshift128+ generator seeded from getrandom()
 * on first use.  Statistically fine for a guest's entropy pool and
 * randomised layouts; not a cryptographic source.  It never fails (CF=1).
 */
#include <sys/random.h>
#include <time.h>

#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "sysemu/timer.h"
#include "exec/replay.h"

#define X86_TSC_HZ 2000000000ull

uint64_t x86_tsc_host(void)
{
    struct timespec ts;

    if (timer_icount_enabled()) {
        return (uint64_t)timer_clock_ns(TIMER_CLOCK_VIRTUAL) * (X86_TSC_HZ / 1000000000ull);
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) *
           (X86_TSC_HZ / 1000000000ull);
}

/* The virtual-clock time at which this CPU's TSC reaches tsc (what a
 * TSC-deadline timer needs: both clocks run in real time while the VM runs) */
int64_t x86_tsc_to_virtual_ns(CPUX86State *env, uint64_t tsc)
{
    uint64_t now = x86_tsc_host() + env->tsc_offset;
    int64_t ns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    uint64_t ahead = tsc > now ? (tsc - now) / (X86_TSC_HZ / 1000000000ull) : 0;

    /* a deadline centuries away saturates instead of wrapping into the past */
    return ahead > (uint64_t)(INT64_MAX - ns) ? INT64_MAX : ns + (int64_t)ahead;
}

uint64_t helper_rdtsc(CPUX86State *env)
{
    if ((env->cr[4] & CR4_TSD_MASK) && (env->hflags & HF_CPL_MASK) != 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    return replay_value(REPLAY_TSC, NULL, 0, 8, x86_tsc_host() + env->tsc_offset);
}

uint64_t helper_rdrand(CPUX86State *env)
{
    uint64_t *st = env->rng_state, a, b;

    while (st[0] == 0 && st[1] == 0) {
        if (getrandom(st, 2 * sizeof(*st), 0) != 2 * sizeof(*st)) {
            /* no entropy source: a fixed, non-zero seed per CPU */
            st[0] = 0x9e3779b97f4a7c15ull ^ (uint64_t)env_cpu(env)->cpu_index;
            st[1] = 0xbf58476d1ce4e5b9ull;
        }
    }
    a = st[0];
    b = st[1];
    st[0] = b;
    a ^= a << 23;
    st[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
    return replay_value(REPLAY_RAND, NULL, 0, 8, st[1] + b);
}

/* clflush/clflushopt: no cache to flush; fault as a byte read would
 * (#PF), without reading (the line may be a device's). */
void helper_clflush(CPUX86State *env, uint64_t addr)
{
    x86_cpu_tlb_fill(env_cpu(env), addr, 1, MMU_DATA_LOAD, x86_cpu_mmu_index(env), false,
                     GETPC());
}
