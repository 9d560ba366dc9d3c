/*
 * runstate.h: the VM's run state, shutdown/reset requests and the machine
 * lock.
 *
 * The machine lock (bql: "big lock") serialises device state: a vCPU thread
 * takes it around every device access (port I/O, MMIO) and the main loop
 * holds it while servicing timers and character input.  Generated code and
 * RAM accesses run without it.
 *
 * Requests (shutdown with a status, reset) may come from any thread; they
 * kick every vCPU and wake the main loop, which acts on them.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "util/osdep.h"
#include "hw/core/cpu.h"

void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);
/* For paths that may run with the lock already held (the compare engine
 * holds it across a whole interval, docs/compare.md): take it unless this
 * thread holds it; true if taken (then bql_unlock after). */
bool bql_lock_unless_held(void);
/* Holding the lock: let threads waiting for it (the main loop) have it
 * once, then take it back. */
void bql_yield(void);

/* vCPU registry: the board registers each CPU; kick is the accelerator's. */
void cpus_register(CPUState *cpu);
unsigned cpus_count(void);
CPUState *cpus_get(unsigned index);
void cpus_set_kick(void (*kick)(CPUState *cpu));
void cpus_kick_all(void);
/* The vCPU whose thread this is (set by accel_vcpu_thread_start), NULL on
 * other threads: device models that are per CPU (the local APIC's page)
 * find the caller with it. */
void cpus_set_current(CPUState *cpu);
CPUState *cpus_current(void);

/*
 * Interrupt lines into a vCPU (interrupt controllers, NMI sources): any
 * thread may call these.  cpu_interrupt ORs mask (CPU_INTERRUPT_*) into
 * interrupt_request and kicks the vCPU, whose generated code already tests
 * exit_request at every block entry, so the fast path gains nothing; the
 * exec loop then calls x86_cpu_exec_interrupt (docs/cpu.md).
 * cpu_reset_interrupt clears mask (a line deasserted before it was taken).
 */
void cpu_interrupt(CPUState *cpu, unsigned mask);
void cpu_reset_interrupt(CPUState *cpu, unsigned mask);

/* Pause every vCPU at its next block boundary (cs->stop); the accelerator
 * sets cs->stopped once it sleeps.  cpus_wait_stopped returns when all
 * have stopped or a shutdown is requested; cpus_resume_all restarts them. */
void cpus_pause_all(void);
void cpus_wait_stopped(void);
void cpus_resume_all(void);

/*
 * Reset the VM (triple fault, port 0x92 fast reset, ...): any thread.  The
 * vCPUs pause at once; the main thread resets the machine and resumes
 * them.  With runstate_set_no_reboot(true) (-no-reboot) a reset request is
 * a shutdown with status 0 instead, as in QEMU.
 */
void runstate_request_reset(void);
void runstate_set_no_reboot(bool no_reboot);

/*
 * The guest shut itself down (ACPI power-off; a triple fault or reset
 * under -no-reboot): tern exits with status 0, or under -no-shutdown
 * (runstate_set_no_shutdown) the vCPUs and guest time stop where they are
 * and tern keeps running until the console's Ctrl-A x or the monitor's
 * quit ends it (cont resumes), as QEMU does.  Any thread.
 */
void runstate_request_guest_shutdown(void);
void runstate_set_no_shutdown(bool no_shutdown);

/* End the VM: tern exits with this status once the vCPUs have stopped. */
void runstate_request_shutdown(int exit_status);
bool runstate_shutdown_requested(void);
/* The main loop's check (sysemu/main-loop.h): a pending shutdown (with
 * *status set) wins over a reset, which is consumed (the caller resets
 * and resumes the vCPUs).  Requests wake the main loop. */
typedef enum RunstateEvent {
    RUNSTATE_EVENT_NONE,
    RUNSTATE_EVENT_RESET,
    RUNSTATE_EVENT_SHUTDOWN,
} RunstateEvent;
RunstateEvent runstate_take_event(int *status);

/*
 * The VM's run state as the monitor, QMP and gdb see it (QEMU's
 * vm_stop/vm_start): stopped, the vCPUs are paused and guest time stands
 * still.  vm_stop and vm_start are for the main thread (fd handlers of
 * the main loop, with or without the machine lock; vm_stop drops a held
 * lock while it waits for the vCPUs); called before the vCPUs start (-S)
 * vm_stop only marks them to stay paused.  A vCPU thread (a gdb
 * breakpoint) calls vm_stop_request instead: the vCPUs pause at once and
 * the main loop completes the stop.  A reset keeps a stopped VM stopped.
 */
void vm_stop(void);
void vm_stop_request(void);
void vm_start(void);
bool vm_running(void);

/* A look at (or a change of) vCPU state from the main thread while the VM
 * may run (monitor, gdb): pause the vCPUs of a running VM and wait for
 * them (dropping a held machine lock meanwhile); returns whether it
 * paused.  vm_inspect_end(paused) lets them go on unless a reset or a
 * stop came meanwhile.  No listener hears of it. */
bool vm_inspect_begin(void);
void vm_inspect_end(bool paused);

/* Run-state changes, told on the main thread with the machine lock held,
 * in the order they happen (a guest power-off under -no-shutdown is
 * SHUTDOWN then STOP; a quit is SHUTDOWN). */
typedef enum RunstateListenerEvent {
    RUNSTATE_LISTENER_STOP,
    RUNSTATE_LISTENER_RESUME,
    RUNSTATE_LISTENER_RESET,
    RUNSTATE_LISTENER_SHUTDOWN,
} RunstateListenerEvent;
typedef void (*RunstateListener)(RunstateListenerEvent ev, void *opaque);
void runstate_add_listener(RunstateListener fn, void *opaque);
/* The VM's state as "info status" and query-status name it: "running",
 * "paused", "shutdown". */
const char *runstate_name(void);

#endif
