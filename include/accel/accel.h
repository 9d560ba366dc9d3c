/*
 * accel.h: the accelerator interface.
 *
 * An accelerator runs vCPUs: TCG translates guest code, KVM lets the host
 * CPU run it.  main.c picks one AccelOps table by name (-accel, -enable-kvm)
 * and nothing else knows which one is running.  Both use the same memory
 * API and device models.
 */
#ifndef ACCEL_ACCEL_H
#define ACCEL_ACCEL_H

#include "util/osdep.h"
#include "util/error.h"
#include "hw/core/cpu.h"

typedef struct MachineState MachineState;

typedef struct AccelOps {
    const char *name;
    /* Is this accelerator usable on this host?  If not, say why. */
    bool (*available)(Error **errp);
    /* Once, before the board is built: what the machine takes from the
     * accelerator (KVM: ms->irqchip, its in-kernel interrupt controllers).
     * NULL: nothing. */
    int (*configure)(MachineState *ms, Error **errp);
    /* Once, after the board has built its memory map, before any vCPU. */
    int (*init)(MachineState *ms, Error **errp);
    /* Start the vCPU's host thread; it runs until the machine shuts down. */
    int (*vcpu_start)(CPUState *cpu, Error **errp);
    /* Make the vCPU leave guest code promptly (interrupt, stop, exit). */
    void (*vcpu_kick)(CPUState *cpu);
    /* Wait for the vCPU thread to finish (after a shutdown request). */
    void (*vcpu_join)(CPUState *cpu);
    /* Bring the accelerator's copy of register state into env, and back. */
    void (*synchronize_state)(CPUState *cpu);
    void (*synchronize_post_reset)(CPUState *cpu);
    /* Debugging (the gdbstub), with the vCPU stopped: add or remove a
     * breakpoint or watchpoint of len bytes at guest virtual addr (0 or
     * -errno: -ENOSPC full, -ENOENT not there, -ENOTSUP kind unknown);
     * remove all of them; have the vCPU stop after each instruction.
     * Hits leave the vCPU stopped and call accel_debug_stopped.  NULL: the
     * accelerator cannot debug. */
    int (*insert_breakpoint)(CPUState *cpu, AccelBreakpointType type, uint64_t addr,
                             uint64_t len);
    int (*remove_breakpoint)(CPUState *cpu, AccelBreakpointType type, uint64_t addr,
                             uint64_t len);
    void (*remove_all_breakpoints)(CPUState *cpu);
    void (*set_singlestep)(CPUState *cpu, bool on);
    /* After the vCPUs joined: tern's exit status given the guest's (compare:
     * 2 after a divergence).  NULL: the guest's. */
    int (*exit_status)(int guest_status);
} AccelOps;

extern const AccelOps tcg_accel_ops;
extern const AccelOps kvm_accel_ops;    /* built when configure found <linux/kvm.h> */
extern const AccelOps compare_accel_ops;   /* lockstep TCG against a reference (docs/compare.md) */

/* For vcpu_start: run fn(cs) on a new host thread named "CPU n/ENGINE",
 * with cs->thread_running set while it may run.  0, or -errno with *errp. */
int accel_vcpu_thread_start(CPUState *cs, void *(*fn)(void *), const char *engine,
                            Error **errp);

/* A vCPU thread with nothing to do sleeps on cond (with lock) until its
 * vcpu_kick broadcasts cond or idle_ms pass (a safety net against a lost
 * wake-up), if should_sleep(cs, opaque) still holds under lock; a vCPU
 * asleep for a stop request is marked cs->stopped.  The caller re-checks
 * its condition after. */
void accel_vcpu_idle_wait(CPUState *cs, pthread_mutex_t *lock, pthread_cond_t *cond,
                          unsigned idle_ms, bool (*should_sleep)(CPUState *cs, void *opaque),
                          void *opaque);

/* A vCPU thread stopped its vCPU (cs->stop) for a debug event (breakpoint,
 * watchpoint hit, single step): tell the debugger, whose hook (set once,
 * before the vCPUs start) must be async-safe enough for any thread. */
void accel_set_debug_hook(void (*hook)(CPUState *cs));
void accel_debug_stopped(CPUState *cs);

/* The table for a name ("tcg", "kvm"), or NULL with *errp set. */
const AccelOps *accel_find(const char *name, Error **errp);
/* -accel help: the accelerators this build has, one a line (QEMU's form). */
void accel_print_list(FILE *f);
/* The first usable accelerator of a ':'-separated list ("kvm:tcg"): each
 * one that is not usable is reported on stderr with the one tried next.
 * NULL with *errp (the last one's reason) if none is usable. */
const AccelOps *accel_choose(const char *list, Error **errp);

#endif
