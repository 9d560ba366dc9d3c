/*
 * tcg-accel-ops.c: the TCG accelerator table and its vCPU threads.
 *
 * One host thread per vCPU.  The thread creates its translator context
 * (tcg_ctx is thread-local), registers the front end's globals on it, then
 * loops on cpu_exec until a shutdown is requested.  A halted vCPU with
 * nothing to do, or one stopped for a debugger, sleeps on its condition
 * variable; vcpu_kick (exit_request + signal) wakes it.  The wait also
 * times out every TCG_VCPU_IDLE_MS as a safety net against a lost wake-up;
 * it does not spin.
 *
 * Between cpu_exec_start and cpu_exec_end the thread counts as running for
 * exclusive sections (tcg-cpus.c); before it sleeps it runs its queued
 * asynchronous work, and queued work keeps it awake.
 *
 * -icount (one vCPU): before each cpu_exec the thread runs the virtual
 * timers that are due, under the machine lock, and grants the vCPU the
 * instructions until the next one (timer_icount_grant); a halted vCPU
 * moves the virtual clock on by the time it idles (sleep=on: real time,
 * at most to the next deadline; sleep=off: straight to it).
 *
 * Locking: TCGVCPU.lock guards the sleep and the work queue: the waker
 * sets its condition (interrupt_request, shutdown, stop, queued work)
 * before kicking, and the sleeper re-checks it under the lock before
 * waiting, so no wake-up is lost.  vcpu_kick never takes the machine lock
 * (runstate.c calls it with that lock held).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"
#include "hw/core/machine.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"
#include "exec/memory.h"
#include "tcg/tcg.h"
#include "accel/tcg/internal.h"

#include <time.h>

#define TCG_VCPU_IDLE_MS 100

static pthread_mutex_t tcg_vcpu_create_lock = PTHREAD_MUTEX_INITIALIZER;

bool tcg_use_icount;

TCGVCPU *tcg_vcpu_get_or_create(CPUState *cs)
{
    TCGVCPU *v = __atomic_load_n((TCGVCPU **)&cs->accel, __ATOMIC_ACQUIRE);
    pthread_condattr_t attr;

    if (v) {
        return v;
    }
    pthread_mutex_lock(&tcg_vcpu_create_lock);
    v = cs->accel;
    if (!v) {
        v = tern_malloc0(sizeof(*v));
        pthread_mutex_init(&v->lock, NULL);
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&v->cond, &attr);
        pthread_condattr_destroy(&attr);
        __atomic_store_n((TCGVCPU **)&cs->accel, v, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&tcg_vcpu_create_lock);
    return v;
}

static bool tcg_vcpu_should_sleep(CPUState *cs, void *opaque)
{
    if (runstate_shutdown_requested()) {
        return false;
    }
    if (tcg_cpu_has_pending_work(cs)) {
        return false;
    }
    return __atomic_load_n(&cs->stop, __ATOMIC_ACQUIRE) ||
           (cs->halted && !tcg_cpu_has_work(cs));
}

/* ---- -icount ------------------------------------------------------------- */

static void tcg_icount_kick(void)
{
    tcg_vcpu_kick(cpus_get(0));
}

/* The virtual timers due now, before the next instruction. */
static void tcg_icount_run_timers(void)
{
    if (timers_clock_deadline_ns(TIMER_CLOCK_VIRTUAL) == 0) {
        bql_lock();
        timers_clock_run_expired(TIMER_CLOCK_VIRTUAL);
        bql_unlock();
    }
}

/* Sleep until something to do, or a kick (a timer armed meanwhile). */
static bool tcg_icount_should_sleep(CPUState *cs, void *opaque)
{
    return tcg_vcpu_should_sleep(cs, opaque) &&
           !__atomic_load_n(&cs->exit_request, __ATOMIC_ACQUIRE);
}

/* Halted with nothing to do: let virtual time pass until the next
 * deadline, or until woken (an interrupt from outside). */
static void tcg_icount_idle(CPUState *cs, TCGVCPU *v)
{
    int64_t d, t0, slept;
    unsigned ms;

    __atomic_store_n(&cs->exit_request, 0, __ATOMIC_RELEASE);
    d = timers_clock_deadline_ns(TIMER_CLOCK_VIRTUAL);     /* -1: none */
    if (d == 0) {
        return;
    }
    if (!timer_icount_sleep() && d > 0) {
        timer_icount_warp(d);
        return;
    }
    ms = d < 0 ? TCG_VCPU_IDLE_MS : (unsigned)MIN(TCG_VCPU_IDLE_MS, (d + 999999) / 1000000);
    t0 = timer_clock_ns(TIMER_CLOCK_REALTIME);
    accel_vcpu_idle_wait(cs, &v->lock, &v->cond, ms, tcg_icount_should_sleep, NULL);
    if (timer_icount_sleep()) {
        slept = timer_clock_ns(TIMER_CLOCK_REALTIME) - t0;
        timer_icount_warp(d < 0 ? slept : MIN(slept, d));
    }
}

static void *tcg_vcpu_thread_fn(void *opaque)
{
    CPUState *cs = opaque;
    TCGVCPU *v = tcg_vcpu_get_or_create(cs);
    int ret;

    v->ctx = tcg_context_create();
    tcg_ctx = v->ctx;
    x86_translate_init();
    tcg_set_tlb_offset(tcg_ctx, offsetof(CPUX86State, tlb));
    tlb_flush(cs);
    /* TLB fills and page walks look up cs->as without a lock */
    flatview_thread_cache_enable();

    while (!runstate_shutdown_requested()) {
        tcg_cpu_run_work(cs);
        if (tcg_use_icount) {
            tcg_icount_run_timers();
        }
        if (tcg_vcpu_should_sleep(cs, NULL)) {
            if (tcg_use_icount && !__atomic_load_n(&cs->stop, __ATOMIC_ACQUIRE) &&
                timer_virtual_running()) {
                tcg_icount_idle(cs, v);
            } else {
                accel_vcpu_idle_wait(cs, &v->lock, &v->cond, TCG_VCPU_IDLE_MS,
                                     tcg_vcpu_should_sleep, NULL);
            }
            continue;
        }
        __atomic_store_n(&cs->stopped, false, __ATOMIC_RELAXED);
        if (tcg_use_icount) {
            timer_icount_grant();
        }
        cpu_exec_start(cs);
        ret = cpu_exec(cs);
        cpu_exec_end(cs);
        if (ret == EXCP_DEBUG) {
            /* breakpoint or single step: wait for a debugger to resume us */
            __atomic_store_n(&cs->stop, true, __ATOMIC_RELAXED);
            accel_debug_stopped(cs);
        }
    }
    flatview_thread_cache_disable();
    __atomic_store_n(&cs->stopped, true, __ATOMIC_RELEASE);
    return NULL;
}

/* ---- AccelOps ------------------------------------------------------------- */

static bool tcg_accel_available(Error **errp)
{
    return true;
}

/* RAM written behind the TLB's back (loaders, DMA): drop the code made from
 * it when the address space is a CPU's, whose physical addresses the
 * translated blocks are indexed by. */
void tcg_ram_written(AddressSpace *as, uint64_t addr, uint64_t len)
{
    unsigned n = cpus_count();

    for (unsigned i = 0; i < n; i++) {
        if (cpus_get(i)->as == as) {
            tb_invalidate_phys_range(addr, addr + len);
            return;
        }
    }
}

static int tcg_accel_init(MachineState *ms, Error **errp)
{
    static bool tcg_initialised;
    unsigned n = cpus_count();
    int ret;

    if (!tcg_initialised) {
        ret = tcg_init(ms->tcg_code_size, errp);    /* 0: the default */
        if (ret < 0) {
            return ret;
        }
        tcg_initialised = true;
    }
    if (ms->icount) {
        if (n != 1) {
            /* QEMU counts in its single-threaded round robin; tern's TCG
             * has a thread per vCPU */
            error_setg(errp, "-icount: not supported with -smp %u (one vCPU only)", n);
            return -ENOTSUP;
        }
        tcg_use_icount = true;
        cpus_get(0)->io_alone = true;       /* device accesses end blocks */
        timer_icount_enable(ms->icount_shift, ms->icount_sleep,
                            &cpus_get(0)->icount_budget, tcg_icount_kick);
    }
    for (unsigned i = 0; i < n; i++) {
        CPUState *cs = cpus_get(i);
        tcg_vcpu_get_or_create(cs);
        tlb_register_memory_listener(cs->as);
    }
    memory_set_ram_write_hook(tcg_ram_written);
    return 0;
}

static int tcg_vcpu_start(CPUState *cs, Error **errp)
{
    tcg_vcpu_get_or_create(cs);
    tlb_register_memory_listener(cs->as);
    return accel_vcpu_thread_start(cs, tcg_vcpu_thread_fn, "TCG", errp);
}

void tcg_vcpu_kick(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu(cs);

    __atomic_store_n(&cs->exit_request, 1, __ATOMIC_RELEASE);
    if (v) {
        pthread_mutex_lock(&v->lock);
        pthread_cond_broadcast(&v->cond);
        pthread_mutex_unlock(&v->lock);
    }
}

static void tcg_vcpu_join(CPUState *cs)
{
    if (cs->thread_running) {
        pthread_join(cs->thread, NULL);
        cs->thread_running = false;
    }
}

static void tcg_synchronize_state(CPUState *cs)
{
    /* env is the only copy of the registers */
}

static void tcg_synchronize_post_reset(CPUState *cs)
{
    /* the reset changed the mode and the page tables, and may have
     * re-loaded the guest image over translated code */
    tlb_flush_async(cs);
    tb_flush(cs);
}

const AccelOps tcg_accel_ops = {
    .name = "tcg",
    .available = tcg_accel_available,
    .init = tcg_accel_init,
    .vcpu_start = tcg_vcpu_start,
    .vcpu_kick = tcg_vcpu_kick,
    .vcpu_join = tcg_vcpu_join,
    .synchronize_state = tcg_synchronize_state,
    .synchronize_post_reset = tcg_synchronize_post_reset,
    .insert_breakpoint = tcg_insert_breakpoint,
    .remove_breakpoint = tcg_remove_breakpoint,
    .remove_all_breakpoints = tcg_remove_all_breakpoints,
    .set_singlestep = tcg_set_singlestep,
};
