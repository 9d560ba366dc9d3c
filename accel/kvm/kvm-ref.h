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

typedef enum KVMRefStep {
    KVM_REF_NONE,          /* nothing ran (shutdown requested, a failure) */
    KVM_REF_INSN,          /* one instruction ran */
    KVM_REF_HLT,           /* HLT ran: rip past it, cs->halted set */
} KVMRefStep;

/* Can KVM run here?  Else *errp is -accel kvm's own one-line refusal. */
bool kvm_ref_available(Error **errp);
/* The VM, its memory and vCPUs, tern's interrupt controllers; single-step
 * on.  After the board, before the vCPU threads. */
int kvm_ref_init(MachineState *ms, Error **errp);
/* One instruction of cs (env put first when it changed), its port and
 * MMIO exits served through the memory API. */
KVMRefStep kvm_ref_step(CPUState *cs);
/* env = KVM's registers (read once per step). */
void kvm_ref_sync(CPUState *cs);
/* Put env into KVM and read it back: the state as KVM holds it (what a
 * shadow copies at the start or after a reset). */
void kvm_ref_load(CPUState *cs);
/* tern changed env (an interrupt delivered): put it before the next step. */
void kvm_ref_env_changed(CPUState *cs);
/* env holds a reset state: put it all (TSC, events) before the next step. */
void kvm_ref_reset(CPUState *cs);

#endif
