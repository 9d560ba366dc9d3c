/*
 * kvm-ref.h: the KVM engine as the compare mode's reference
 * (accel/compare/ref-kvm.c, docs/compare.md).
 *
 * The same VM and vCPU as -accel kvm, with tern's own interrupt
 * controllers (kernel-irqchip=off) and KVM_SET_GUEST_DEBUG single-step:
 * the compare engine's vCPU thread drives it one instruction at a time,
 * delivering interrupts itself, so no vCPU thread of KVM's runs.
 */
#ifndef ACCEL_KVM_KVM_REF_H
#define ACCEL_KVM_KVM_REF_H

#include "util/osdep.h"
#include "util/error.h"
#include "hw/core/machine.h"
#include "exec/memory.h"

typedef enum KVMRefStep {
    KVM_REF_NONE,          /* nothing ran (shutdown requested, a failure) */
    KVM_REF_INSN,          /* one instruction ran */
    KVM_REF_HLT,           /* HLT ran: rip past it, cs->halted set */
    KVM_REF_IO,            /* kvm_ref_run: a port or MMIO exit, served; the
                            * instruction completes at the next run or sync */
    KVM_REF_AT,            /* kvm_ref_run: at the stop rip, nothing of it run */
    KVM_REF_KICKED,        /* kvm_ref_run: interrupted by kvm_ref_kick */
} KVMRefStep;

/* Can KVM run here?  Else *errp is -accel kvm's own one-line refusal. */
bool kvm_ref_available(Error **errp);
/* The VM, its memory and vCPUs, tern's interrupt controllers; single-step
 * on.  After the board, before the vCPU threads. */
int kvm_ref_init(MachineState *ms, Error **errp);
/* Serve cs's port and MMIO exits from these address spaces (NULL, NULL:
 * the machine's again), e.g. a mirror whose accesses are replayed. */
void kvm_ref_device_spaces(CPUState *cs, AddressSpace *mem, AddressSpace *io);
/* On the thread that drives cs: let kvm_ref_kick interrupt it. */
void kvm_ref_thread_init(CPUState *cs);
/* One instruction of cs (env put first when it changed), its port and
 * MMIO exits served through the memory API. */
KVMRefStep kvm_ref_step(CPUState *cs);
/* Run cs freely (no single-step) until its next exit to tern: a port or
 * MMIO access, HLT, a kick, or (stop) arriving at rip stop_rip of the
 * current code segment, stopped before that instruction runs (a byte
 * patched in meanwhile: HLT at CPL 0, else INT3; env must be current). */
KVMRefStep kvm_ref_run(CPUState *cs, bool stop, uint64_t stop_rip);
/* Make a kvm_ref_run on the vCPU's thread return KVM_REF_KICKED soon
 * (any thread). */
void kvm_ref_kick(CPUState *cs);
/* env = KVM's registers (read once per step; an access kvm_ref_run
 * stopped in is completed first). */
void kvm_ref_sync(CPUState *cs);
/* Put env into KVM and read it back: the state as KVM holds it (what a
 * shadow copies at the start or after a reset). */
void kvm_ref_load(CPUState *cs);
/* tern changed env (an interrupt delivered): put it before the next step. */
void kvm_ref_env_changed(CPUState *cs);
/* env holds a reset state: put it all (TSC, events) before the next step. */
void kvm_ref_reset(CPUState *cs);

#endif
