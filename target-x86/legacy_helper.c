/*
 * legacy_helper.c: the conditional exceptions of BOUND (#BR, a fault,
 * through the restore table) and INTO (#OF, a trap: the translator has
 * stored the instruction's address, the delivery adds its length).
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"

void helper_bound(CPUX86State *env, uint64_t idx, uint64_t lo, uint64_t hi)
{
    if ((int64_t)idx < (int64_t)lo || (int64_t)idx > (int64_t)hi) {
        raise_exception_ra(env, EXCP05_BOUND, GETPC());
    }
}

void helper_into(CPUX86State *env, uint64_t eflags, uint32_t len)
{
    if (eflags & CC_O) {
        raise_interrupt(env, EXCP04_INTO, (int)len);
    }
}
