/*
 * kvm-irqchip.h: KVM's in-kernel interrupt controllers
 * (accel/kvm/kvm-irqchip.c), for kvm-all.c.
 */
#ifndef ACCEL_KVM_KVM_IRQCHIP_H
#define ACCEL_KVM_KVM_IRQCHIP_H

#include "util/osdep.h"
#include "util/error.h"
#include "hw/core/machine.h"

#include <linux/kvm.h>

/* -machine kernel-irqchip= before the board is built: "on" and the
 * default give the board ms->irqchip (*in_kernel true); "off" leaves it
 * NULL; "split" is refused.  0, or -ENOTSUP with *errp. */
int kvm_irqchip_configure(MachineState *ms, bool *in_kernel, Error **errp);
/* Once, after KVM_CREATE_VM and before any vCPU: the 8259 pair and
 * IOAPIC, the PIT, the board's GSI routing; then the GSI levels the
 * devices set before the VM existed.  0, or a negative errno with *errp. */
int kvm_irqchip_create(int kvm_fd, int vm_fd, Error **errp);
/* After KVM_CREATE_VCPU: the local APIC's power-on state, KVM's own, kept
 * in *image for each reset. */
int kvm_irqchip_vcpu_init(int vcpu_fd, struct kvm_lapic_state *image, Error **errp);
/* A reset's put, after the registers (the APIC base is in the sregs):
 * the local APIC back to *image, the bootstrap processor runnable (KVM
 * keeps a halted vCPU's HLT in the kernel) and an application processor
 * waiting for INIT and SIPI, which KVM's local APIC delivers itself. */
int kvm_irqchip_vcpu_reset(int vcpu_fd, const struct kvm_lapic_state *image, bool bsp,
                           Error **errp);

#endif
