/*
 * priv_helper.c: the privilege checks that need the machine state at run
 * time.  The translator calls them only where the TB flags say a check is
 * due (CPL > IOPL or virtual-8086 mode for port I/O, CPL > 0 for UMIP), so
 * ring-0 code pays nothing.  Both raise #GP(0) at the instruction through
 * the caller's return address, before the instruction has any effect.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"

#define TSS_IOMAP_BASE 0x66     /* 32- and 64-bit TSS: the I/O map's offset */
#define TSS_MIN_LIMIT  0x67     /* the smallest TSS that holds that offset */

bool x86_tss_iomap_base(CPUX86State *env, uint32_t *base, uintptr_t ra)
{
    unsigned type = (env->tr.flags >> DESC_TYPE_SHIFT) & 0xf;

    if (!(env->tr.flags & DESC_P_MASK) || (type & ~2u) != 9 || env->tr.limit < TSS_MIN_LIMIT) {
        return false;
    }
    *base = (uint32_t)cpu_ld_data_ra(env_cpu(env), env->tr.base + TSS_IOMAP_BASE, MO_16,
                                     MMU_KSMAP_IDX, ra);
    return true;
}

/*
 * The TSS I/O permission bitmap (SDM vol. 1, 19.5.2): each of the size
 * ports from port must have its bit clear.  The CPU reads two bytes at
 * base + port / 8 (an access may straddle a byte), so both must lie within
 * the TSS limit; a 16-bit or absent TSS has no bitmap.
 */
void helper_check_io(CPUX86State *env, uint32_t port, uint32_t size)
{
    uintptr_t ra = GETPC();
    uint32_t base;
    uint64_t index, bits;

    if (x86_tss_iomap_base(env, &base, ra)) {
        index = (uint64_t)base + (port >> 3);
        if (index + 1 <= env->tr.limit) {
            bits = cpu_ld_data_ra(env_cpu(env), env->tr.base + index, MO_16,
                                  MMU_KSMAP_IDX, ra);
            if (!((bits >> (port & 7)) & ((1u << size) - 1))) {
                return;
            }
        }
    }
    raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

/* CR4.UMIP: SGDT, SIDT, SLDT, STR and SMSW are #GP(0) above CPL 0. */
void helper_check_umip(CPUX86State *env)
{
    if (env->cr[4] & CR4_UMIP_MASK) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
}
