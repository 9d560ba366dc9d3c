/*
 * debug_helper.c: the debug registers and the #DB exceptions translated
 * code raises (SDM vol.3 ch.17; translate-debug.c says when).
 *
 * DR4 and DR5 alias DR6 and DR7 unless CR4.DE, when they are #UD.  With
 * DR7.GD any MOV DR faults with #DB and DR6.BD, and the processor clears
 * GD so that the handler can use the registers.  DR6 keeps its bits until
 * software clears them: #DB only ever sets B0-B3, BD and BS.
 *
 * Data breakpoints (R/W = 01 write, 11 read or write) are BP_CPU
 * watchpoints (exec/watchpoint.h), re-installed from DR0-DR3/DR7 by
 * x86_debug_sync_watchpoints; the engine reports their hits after the
 * instruction (x86_cpu_watchpoint_trap).  I/O breakpoints (R/W = 10, only
 * with CR4.DE; without it R/W = 10 is undefined and tern ignores it) are
 * checked by helper_io_breakpoint, which translated IN/OUT/INS/OUTS call
 * only while HF_IOBPT_MASK says one is armed.  See docs/cpu.md.
 */
#include "util/osdep.h"
#include "exec/exec-all.h"
#include "exec/watchpoint.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* DR6 bits software may write: B0-B3, BD, BS, BT. */
#define DR6_WRITABLE 0xe00full
/* DR7 bits that read as zero: 11, 12, 14, 15 and 63:32. */
#define DR7_RESERVED 0xffffffff0000d800ull

/* DR7's fields for DRn (SDM vol.3 18.2.4): L/G enables, R/W, LEN. */
enum { DR7_RW_EXEC = 0, DR7_RW_WRITE = 1, DR7_RW_IO = 2, DR7_RW_ACCESS = 3 };

static bool dr7_enabled(uint64_t dr7, int n)
{
    return (dr7 >> (2 * n)) & 3;
}

static unsigned dr7_rw(uint64_t dr7, int n)
{
    return (dr7 >> (16 + 4 * n)) & 3;
}

/* LEN 00, 01, 10, 11: 1, 2, 8, 4 bytes; the range is DRn rounded down to
 * a multiple of its length (the low address bits are ignored). */
static unsigned dr7_len(uint64_t dr7, int n)
{
    static const uint8_t len[4] = { 1, 2, 8, 4 };

    return len[(dr7 >> (18 + 4 * n)) & 3];
}

/* The armed DRn of a kind, as a mask (0-3). */
static unsigned dr7_armed(const CPUX86State *env, unsigned rw)
{
    unsigned m = 0;

    for (int n = 0; n < 4; n++) {
        if (dr7_enabled(env->dr[7], n) && dr7_rw(env->dr[7], n) == rw) {
            m |= 1u << n;
        }
    }
    return m;
}

bool x86_debug_io_armed(const CPUX86State *env)
{
    return (env->cr[4] & CR4_DE_MASK) && dr7_armed(env, DR7_RW_IO);
}

void x86_debug_sync_watchpoints(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);
    unsigned w = dr7_armed(env, DR7_RW_WRITE), a = dr7_armed(env, DR7_RW_ACCESS);

    cpu_watchpoint_remove_all(cs, BP_CPU);
    for (int n = 0; n < 4; n++) {
        uint64_t len = dr7_len(env->dr[7], n);
        int flags = BP_CPU | ((a >> n) & 1 ? BP_MEM_ACCESS : BP_MEM_WRITE);

        env->cpu_watchpoint[n] = NULL;
        if (((w | a) >> n) & 1) {
            /* four BP_CPU slots always fit: cannot fail */
            cpu_watchpoint_insert(cs, env->dr[n] & ~(len - 1), len, flags,
                                  &env->cpu_watchpoint[n]);
        }
    }
}

unsigned x86_debug_take_watch_hits(CPUX86State *env)
{
    unsigned hits = 0;

    for (int n = 0; n < 4; n++) {
        CPUWatchpoint *wp = env->cpu_watchpoint[n];

        if (wp && (wp->flags & BP_WATCHPOINT_HIT)) {
            wp->flags &= ~BP_WATCHPOINT_HIT;
            hits |= 1u << n;
        }
    }
    return hits;
}

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
        env->eflags |= RF_MASK;     /* a fault: the frame gets RF = 1 */
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
    unsigned exec_before;

    if (i >= 6 && (val >> 32)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (i == 6) {
        env->dr[6] = (val & DR6_WRITABLE) | DR6_FIXED_1;
        return;
    }
    /* translations carry the execute breakpoints: drop them when any is,
     * or becomes, armed (DR writes are rare; data and I/O breakpoints are
     * not in the translations) */
    exec_before = dr7_armed(env, DR7_RW_EXEC);
    env->dr[i] = i == 7 ? (val & ~DR7_RESERVED) | DR7_FIXED_1 : val;
    if (exec_before || dr7_armed(env, DR7_RW_EXEC)) {
        tb_flush(env_cpu(env));
    }
    x86_debug_sync_watchpoints(env);
    x86_update_hflags(env);     /* HF_IOBPT_MASK */
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
    /* one #DB reports the data breakpoints of the same instruction too */
    env->dr[6] |= DR6_BS | x86_debug_take_watch_hits(env);
    raise_exception(env, EXCP01_DB);
}

/* Before an instruction at a debugger's breakpoint (CPUState.breakpoints):
 * stop for the debugger, with rip at the instruction. */
void helper_debug(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = EXCP_DEBUG;
    cpu_loop_exit(cs);
}

/* The engine's report after an instruction with data breakpoint hits.  A
 * rep string instruction with iterations left is where rip still points:
 * the frame gets RF = 1 (SDM vol.3 18.3.1.1), so its own instruction
 * breakpoint does not fire again when it resumes. */
void x86_cpu_watchpoint_trap(CPUState *cs, uint64_t insn_pc)
{
    CPUX86State *env = cpu_env(cs);
    unsigned hits = x86_debug_take_watch_hits(env);
    uint64_t pc, cs_base;
    uint32_t flags;

    if (!hits) {
        return;
    }
    x86_get_tb_cpu_state(env, &pc, &cs_base, &flags);
    if (pc == insn_pc) {
        env->eflags |= RF_MASK;     /* delivery pushes it, then clears it */
    }
    env->dr[6] |= hits;
    raise_exception(env, EXCP01_DB);
}

/* After an I/O access at port of size bytes (desc: X86_IOBPT_*), with rip
 * at the instruction: the #DB trap if it touched an armed I/O breakpoint.
 * A rep ins/outs with rCX left stays at the instruction with RF = 1. */
void helper_io_breakpoint(CPUX86State *env, uint32_t port, uint32_t desc)
{
    unsigned size = desc & X86_IOBPT_SIZE_MASK, io = dr7_armed(env, DR7_RW_IO), hits = 0;
    unsigned asize = (desc >> X86_IOBPT_ASIZE_SHIFT) & 3;
    uint64_t amask = asize == MO_64 ? ~0ull : asize == MO_32 ? 0xffffffffull : 0xffffull;

    /* called only under HF_IOBPT_MASK, so CR4.DE is set */
    for (int n = 0; n < 4; n++) {
        uint64_t len = dr7_len(env->dr[7], n), start = env->dr[n] & 0xffff & ~(len - 1);

        if (((io >> n) & 1) && port < start + len && start < port + size) {
            hits |= 1u << n;
        }
    }
    if (!hits) {
        return;
    }
    if ((desc & X86_IOBPT_REP) && (env->regs[R_ECX] & amask)) {
        env->eflags |= RF_MASK;
    } else {
        env->rip += (desc >> X86_IOBPT_LEN_SHIFT) & 15;
        if (!(env->hflags & HF_CS64_MASK)) {
            env->rip = (uint32_t)env->rip;
        }
    }
    env->dr[6] |= hits | ((env->eflags & TF_MASK) ? DR6_BS : 0);
    raise_exception(env, EXCP01_DB);
}
