/*
 * watchpoint.h: data watchpoints on guest linear addresses, kept per vCPU
 * (CPUState.wp) by accel/tcg/watchpoint.c.  Target independent: x86's
 * DR0-DR3 install theirs as BP_CPU, a debugger stub its own as BP_GDB.
 *
 * How an access finds them: a TLB entry for a page that overlaps a
 * watchpoint carries TLB_WATCHPOINT in its read and/or write tag, so
 * accesses to that page (and only those) take the slow path, which calls
 * cpu_watchpoint_check.  A hit marks the watchpoint (BP_WATCHPOINT_HIT_*)
 * and has the instruction finish alone; then the engine reports it after
 * the instruction (a trap): BP_GDB hits leave the exec loop with
 * EXCP_DEBUG, BP_CPU hits go to the target (x86_cpu_watchpoint_trap).
 */
#ifndef EXEC_WATCHPOINT_H
#define EXEC_WATCHPOINT_H

#include "util/osdep.h"

enum {
    BP_MEM_READ  = 1 << 0,
    BP_MEM_WRITE = 1 << 1,
    BP_MEM_ACCESS = BP_MEM_READ | BP_MEM_WRITE,
    BP_CPU = 1 << 4,                  /* owner: the guest (debug registers) */
    BP_GDB = 1 << 5,                  /* owner: the debugger stub */
    BP_WATCHPOINT_HIT_READ  = 1 << 6, /* set by a hit, cleared when reported */
    BP_WATCHPOINT_HIT_WRITE = 1 << 7,
    BP_WATCHPOINT_HIT = BP_WATCHPOINT_HIT_READ | BP_WATCHPOINT_HIT_WRITE,
};

#define CPU_MAX_WATCHPOINTS 16

typedef struct CPUWatchpoint {
    uint64_t vaddr;
    uint64_t len;             /* bytes, >= 1; 0: free slot */
    int flags;                /* BP_MEM_*, owner, BP_WATCHPOINT_HIT_* */
} CPUWatchpoint;

typedef struct CPUWatchpoints {
    CPUWatchpoint wp[CPU_MAX_WATCHPOINTS];   /* slots never move */
    unsigned count;           /* slots in use: 0 keeps the TLB fill unchanged */
    bool trap;                /* the hitting instruction runs alone now */
} CPUWatchpoints;

struct CPUState;

/* Watch [addr, addr + len) for flags' accesses; *wp (if not NULL) gets the
 * slot, stable until removed.  -EINVAL for len 0 or no BP_MEM_* bit,
 * -ENOSPC when all slots are used. */
int cpu_watchpoint_insert(struct CPUState *cs, uint64_t addr, uint64_t len, int flags,
                          CPUWatchpoint **wp);
/* Remove the watchpoint with exactly these address, length and flags
 * (hit bits ignored); -ENOENT if there is none. */
int cpu_watchpoint_remove(struct CPUState *cs, uint64_t addr, uint64_t len, int flags);
void cpu_watchpoint_remove_by_ref(struct CPUState *cs, CPUWatchpoint *wp);
/* Remove every watchpoint whose flags share a bit with owner_mask. */
void cpu_watchpoint_remove_all(struct CPUState *cs, int owner_mask);

/* The BP_MEM_* kinds some watchpoint wants on the page of vaddr (0: none);
 * tlb_set_page's question. */
int cpu_watchpoint_page_flags(struct CPUState *cs, uint64_t vaddr);
/* Slow path of an access of size bytes at addr of kind BP_MEM_READ or
 * BP_MEM_WRITE from host return address ra: records hits; the first hit of
 * an instruction restarts it alone (does not return).  ra = 0 (no
 * generated code, e.g. event delivery): not watched. */
void cpu_watchpoint_check(struct CPUState *cs, uint64_t addr, unsigned size, int kind,
                          uintptr_t ra);
/* Has an access of the running instruction hit a watchpoint yet?  (For
 * helpers that run many iterations: stop after the one that hit.) */
bool cpu_watchpoint_hit_pending(struct CPUState *cs);

#endif
