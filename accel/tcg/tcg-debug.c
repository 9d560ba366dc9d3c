/*
 * tcg-debug.c: the debugger's breakpoints, watchpoints and single step
 * under TCG (AccelOps' debug entries, used by the gdbstub).
 *
 * Breakpoints live in CPUState.breakpoints, which the translator looks at
 * (translate-debug.c: a block stops with EXCP_DEBUG before the
 * instruction), so changing them drops every translation.  Watchpoints are
 * BP_GDB entries of the vCPU's watchpoint list (watchpoint.c).  Single
 * step: cs->singlestep makes one-instruction blocks after which cpu_exec
 * returns EXCP_DEBUG.  Each is called with the vCPU stopped.
 */
#include "util/osdep.h"
#include "exec/exec-all.h"
#include "exec/watchpoint.h"
#include "accel/accel.h"
#include "accel/tcg/internal.h"

static int tcg_watch_flags(AccelBreakpointType type)
{
    switch (type) {
    case ACCEL_WP_WRITE:
        return BP_GDB | BP_MEM_WRITE;
    case ACCEL_WP_READ:
        return BP_GDB | BP_MEM_READ;
    case ACCEL_WP_ACCESS:
        return BP_GDB | BP_MEM_ACCESS;
    default:
        return 0;
    }
}

int tcg_insert_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr, uint64_t len)
{
    if (type == ACCEL_BP_SOFTWARE || type == ACCEL_BP_HARDWARE) {
        if (cs->nb_breakpoints == CPU_MAX_BREAKPOINTS) {
            return -ENOSPC;
        }
        cs->breakpoints[cs->nb_breakpoints++] = addr;
        tb_flush(cs);
        return 0;
    }
    if (!tcg_watch_flags(type)) {
        return -ENOTSUP;
    }
    return cpu_watchpoint_insert(cs, addr, len, tcg_watch_flags(type), NULL);
}

int tcg_remove_breakpoint(CPUState *cs, AccelBreakpointType type, uint64_t addr, uint64_t len)
{
    if (type == ACCEL_BP_SOFTWARE || type == ACCEL_BP_HARDWARE) {
        for (unsigned i = 0; i < cs->nb_breakpoints; i++) {
            if (cs->breakpoints[i] == addr) {
                cs->breakpoints[i] = cs->breakpoints[--cs->nb_breakpoints];
                tb_flush(cs);
                return 0;
            }
        }
        return -ENOENT;
    }
    if (!tcg_watch_flags(type)) {
        return -ENOTSUP;
    }
    return cpu_watchpoint_remove(cs, addr, len, tcg_watch_flags(type));
}

void tcg_remove_all_breakpoints(CPUState *cs)
{
    if (cs->nb_breakpoints) {
        cs->nb_breakpoints = 0;
        tb_flush(cs);
    }
    cpu_watchpoint_remove_all(cs, BP_GDB);
}

void tcg_set_singlestep(CPUState *cs, bool on)
{
    cs->singlestep = on;
}
