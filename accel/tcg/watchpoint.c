/*
 * watchpoint.c: the per-vCPU data watchpoint list (exec/watchpoint.h) and
 * how hits become traps.
 *
 * Cost: nothing on pages without a watchpoint.  tlb_set_page asks
 * cpu_watchpoint_page_flags (one load while the list is empty) and puts
 * TLB_WATCHPOINT in the tags of a watched page, which sends that page's
 * accesses to cputlb.c's slow path and from there to cpu_watchpoint_check.
 * Changing the list flushes the TLB entries of the pages it covers.
 *
 * Trap semantics: a hit is reported after the instruction that made it.
 * The first hit restarts the instruction as a one-instruction block
 * (CF_ONE_SHOT, the precise-state restart the not-dirty path uses) with
 * wp.trap set; during that block hits are only recorded, and when it
 * returns to the exec loop cpu_watchpoint_report raises them.  A fault in
 * the restarted instruction drops them (the instruction did not complete).
 * Instructions that do many accesses in a helper (rep movs) stop after the
 * iteration that hit (cpu_watchpoint_hit_pending).
 */
#include "util/osdep.h"
#include "exec/exec-all.h"
#include "exec/watchpoint.h"
#include "accel/tcg/internal.h"

static bool wp_overlaps(const CPUWatchpoint *wp, uint64_t addr, uint64_t len)
{
    return addr <= wp->vaddr + (wp->len - 1) && wp->vaddr <= addr + (len - 1);
}

/* The TLB entries that may carry (or now need) TLB_WATCHPOINT for a range. */
static void wp_flush_range(CPUState *cs, uint64_t addr, uint64_t len)
{
    uint64_t first = addr & TARGET_PAGE_MASK, last = (addr + len - 1) & TARGET_PAGE_MASK;

    if (last - first >= 16 * TARGET_PAGE_SIZE) {
        tlb_flush(cs);
        return;
    }
    for (uint64_t p = first;; p += TARGET_PAGE_SIZE) {
        tlb_flush_page(cs, p);
        if (p == last) {
            break;
        }
    }
}

int cpu_watchpoint_insert(CPUState *cs, uint64_t addr, uint64_t len, int flags,
                          CPUWatchpoint **out)
{
    CPUWatchpoints *w = &cs->wp;

    if (len == 0 || !(flags & BP_MEM_ACCESS) || addr + (len - 1) < addr) {
        return -EINVAL;
    }
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        CPUWatchpoint *wp = &w->wp[i];

        if (wp->len == 0) {
            *wp = (CPUWatchpoint){ addr, len, flags & ~BP_WATCHPOINT_HIT };
            w->count++;
            wp_flush_range(cs, addr, len);
            if (out) {
                *out = wp;
            }
            return 0;
        }
    }
    return -ENOSPC;
}

void cpu_watchpoint_remove_by_ref(CPUState *cs, CPUWatchpoint *wp)
{
    uint64_t addr = wp->vaddr, len = wp->len;

    assert(len != 0 && cs->wp.count > 0);
    *wp = (CPUWatchpoint){ 0, 0, 0 };
    cs->wp.count--;
    wp_flush_range(cs, addr, len);
}

int cpu_watchpoint_remove(CPUState *cs, uint64_t addr, uint64_t len, int flags)
{
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        CPUWatchpoint *wp = &cs->wp.wp[i];

        if (wp->len == len && wp->vaddr == addr &&
            (wp->flags & ~BP_WATCHPOINT_HIT) == (flags & ~BP_WATCHPOINT_HIT)) {
            cpu_watchpoint_remove_by_ref(cs, wp);
            return 0;
        }
    }
    return -ENOENT;
}

void cpu_watchpoint_remove_all(CPUState *cs, int owner_mask)
{
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        CPUWatchpoint *wp = &cs->wp.wp[i];

        if (wp->len && (wp->flags & owner_mask)) {
            cpu_watchpoint_remove_by_ref(cs, wp);
        }
    }
}

int cpu_watchpoint_page_flags(CPUState *cs, uint64_t vaddr)
{
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    int flags = 0;

    if (likely(cs->wp.count == 0)) {
        return 0;
    }
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        const CPUWatchpoint *wp = &cs->wp.wp[i];

        if (wp->len && wp_overlaps(wp, page, TARGET_PAGE_SIZE)) {
            flags |= wp->flags & BP_MEM_ACCESS;
        }
    }
    return flags;
}

void cpu_watchpoint_check(CPUState *cs, uint64_t addr, unsigned size, int kind, uintptr_t ra)
{
    CPUWatchpoints *w = &cs->wp;
    int hit = kind == BP_MEM_READ ? BP_WATCHPOINT_HIT_READ : BP_WATCHPOINT_HIT_WRITE;
    bool any = false;

    if (ra == 0) {
        return;
    }
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        CPUWatchpoint *wp = &w->wp[i];

        if (wp->len && (wp->flags & kind) && wp_overlaps(wp, addr, size)) {
            any = true;
            if (w->trap) {
                wp->flags |= hit;
            }
        }
    }
    if (!any || w->trap) {
        return;
    }
    /* First hit: run this instruction again, alone, to trap after it. */
    tcg_vcpu_get_or_create(cs)->one_shot_next = true;
    w->trap = true;
    cpu_loop_exit_restore(cs, ra);
}

bool cpu_watchpoint_hit_pending(CPUState *cs)
{
    if (!cs->wp.trap) {
        return false;
    }
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        if (cs->wp.wp[i].flags & BP_WATCHPOINT_HIT) {
            return true;
        }
    }
    return false;
}

void cpu_watchpoint_cancel(CPUState *cs)
{
    cs->wp.trap = false;
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        cs->wp.wp[i].flags &= ~BP_WATCHPOINT_HIT;
    }
}

void cpu_watchpoint_report(CPUState *cs, uint64_t insn_pc)
{
    bool gdb = false;

    cs->wp.trap = false;
    for (unsigned i = 0; i < CPU_MAX_WATCHPOINTS; i++) {
        int f = cs->wp.wp[i].flags;

        gdb |= (f & BP_GDB) && (f & BP_WATCHPOINT_HIT);
    }
    if (gdb) {
        /* the stub reads (and clears) the hit bits */
        cs->exception_index = EXCP_DEBUG;
        cpu_loop_exit(cs);
    }
    x86_cpu_watchpoint_trap(cs, insn_pc);
}
