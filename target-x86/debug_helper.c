/*
 * debug_helper.c: the debug registers and the #DB exceptions translated
 * code raises (SDM vol.3 ch.17; translate-debug.c says when).
 *
 * DR4 and DR5 alias DR6 and DR7 unless CR4.DE, when they are #UD.  With
 * DR7.GD any MOV DR faults with #DB and DR6.BD, and the processor clears
 * GD so that the handler can use the registers.  DR6 keeps its bits until
 * software clears them: #DB only ever sets B0-B3, BD and BS.
 *
 * Not modelled: data breakpoints (R/W = 01, 11) and I/O breakpoints
 * (R/W = 10 with CR4.DE) are stored but never fire; see docs/cpu.md.
 */
#include "util/osdep.h"
#include "exec/exec-all.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* DR6 bits software may write: B0-B3, BD, BS, BT. */
#define DR6_WRITABLE 0xe00full
/* DR7 bits that read as zero: 11, 12, 14, 15 and 63:32. */
#define DR7_RESERVED 0xffffffff0000d800ull

/* The register MOV DR names, after the CR4.DE and DR7.GD checks. */
static int debug_reg_index(CPUX86State *env, int reg, uintptr_t ra)
{
    if (reg == 4 || reg == 5) {
        if (env->cr[4] & CR4_DE_MASK) {
            raise_exception_ra(env, EXCP06_ILLOP, ra);
        }
        reg += 2;
    }
    if (env->dr[7] & DR7_GD) {
        env->dr[6] |= DR6_BD;
        env->dr[7] &= ~(uint64_t)DR7_GD;
        raise_exception_ra(env, EXCP01_DB, ra);
    }
    return reg;
}

uint64_t helper_get_dr(CPUX86State *env, uint32_t reg)
{
    return env->dr[debug_reg_index(env, (int)reg, GETPC())];
}

void helper_set_dr(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();
    int i = debug_reg_index(env, (int)reg, ra);

    if (i >= 6 && (val >> 32)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (i == 6) {
        env->dr[6] = (val & DR6_WRITABLE) | DR6_FIXED_1;
        return;
    }
    /* translations carry the execute breakpoints: drop them when any may
     * change (DR writes are rare; the common case has DR7 = 0x400) */
    if ((env->dr[7] & 0xff) || (i == 7 && (val & 0xff))) {
        tb_flush(env_cpu(env));
    }
    env->dr[i] = i == 7 ? (val & ~DR7_RESERVED) | DR7_FIXED_1 : val;
}

/* Before an instruction at an execute breakpoint: a fault unless RF, which
 * lets the instruction run once (and is consumed). */
void helper_insn_breakpoint(CPUX86State *env, uint32_t hits)
{
    if (env->eflags & RF_MASK) {
        env->eflags &= ~(uint64_t)RF_MASK;
        return;
    }
    env->dr[6] |= hits;
    raise_exception(env, EXCP01_DB);
}

/* After an instruction under TF: the single-step trap (rip is the next). */
void helper_single_step(CPUX86State *env)
{
    env->dr[6] |= DR6_BS;
    raise_exception(env, EXCP01_DB);
}
