/*
 * ref-tcg.c: TCG as the compare engine's reference (-accel compare,ref=tcg).
 *
 * The machine's own CPU under TCG, one instruction per block
 * (cs->singlestep) and one event per step (cs->step_events): testable
 * everywhere, and what ref=kvm will replace with KVM single-stepping.
 * Its blocks and the shadow's are translated apart (CF_SHADOW), so a
 * translator bug confined to the shadow's (the planted one) shows.
 */
#include "util/osdep.h"
#include "accel/compare/compare.h"
#include "accel/tcg/internal.h"

static void ref_tcg_thread_init(CPUState *cs)
{
    cs->singlestep = true;
    cs->step_events = true;
}

static CompareStep ref_tcg_step(CPUState *cs)
{
    int ret;

    cpu_exec_start(cs);
    ret = cpu_exec(cs);
    cpu_exec_end(cs);
    return ret == EXCP_DEBUG ? COMPARE_STEP_INSN : ret == EXCP_HLT ? COMPARE_STEP_HLT
         : COMPARE_STEP_NONE;
}

static void ref_tcg_sync_state(CPUState *cs)
{
    /* env is the only copy */
}

static void ref_tcg_reset(CPUState *cs)
{
    tlb_flush(cs);
    tb_flush(cs);
}

const CompareRefOps compare_ref_tcg = {
    .name = "tcg",
    .thread_init = ref_tcg_thread_init,
    .step = ref_tcg_step,
    .sync_state = ref_tcg_sync_state,
    .reset = ref_tcg_reset,
};
