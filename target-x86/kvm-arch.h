/*
 * kvm-arch.h: the x86 half of the KVM engine (target-x86/kvm-arch.c),
 * called by accel/kvm/kvm-all.c.
 *
 * It maps CPUX86State to KVM's register structures and back, builds the
 * vCPU's CPUID from the -cpu model, sets up the VM's x86-only addresses,
 * runs port I/O exits and injects interrupts from tern's own interrupt
 * controllers (kernel-irqchip=off).  Every function acts on one vCPU from
 * that vCPU's thread, or from another thread while the vCPU is stopped.
 */
#ifndef TARGET_X86_KVM_ARCH_H
#define TARGET_X86_KVM_ARCH_H

#include "util/osdep.h"
#include "util/error.h"
#include "hw/core/cpu.h"

#include <linux/kvm.h>

/* The guest-physical pages KVM needs for its real-mode TSS (three pages)
 * and EPT identity map (one page), just below the BIOS, as QEMU puts them. */
#define KVM_X86_TSS_ADDR          0xfeffd000ull
#define KVM_X86_IDENTITY_MAP_ADDR 0xfeffc000ull

/* Per-vCPU state of the x86 part. */
typedef struct KVMArchVCPU {
    int fd;                        /* the vCPU's file descriptor */
    struct kvm_run *run;           /* its shared run page */
    uint64_t msr_ok;               /* bit i: kvm_x86_msrs[i] is one KVM saves */
    bool has_xcrs;                 /* KVM_CAP_XCRS */
    unsigned mce_banks;            /* machine-check banks KVM gave (0: none) */
    struct kvm_vcpu_events events; /* the last events read: put back as read */
    bool events_valid;
    bool wait_sipi;                /* kernel-irqchip=off: an AP after INIT */
    /* gdb (KVM_SET_GUEST_DEBUG): hardware breakpoints and watchpoints in
     * the four debug registers, single step; debug_dirty: not given to
     * KVM yet */
    struct { uint64_t addr; uint64_t len; AccelBreakpointType type; } bp[4];
    unsigned nb_bp;
    bool singlestep;
    bool trap_int3;                /* the compare reference's stop (kvm-ref.h) */
    bool debug_dirty;
} KVMArchVCPU;

/* A KVM capability with the name errors give it; each part of the engine
 * lists what it needs (kvm-all.c, kvm-irqchip.c, here).  Kept here, the
 * lowest header they all include (target-x86 may not include accel/). */
typedef struct KVMCapability {
    int cap;
    const char *name;
} KVMCapability;
#define KVM_CAP_ENTRY(c) { c, #c }

/* The first of caps[0..n) that /dev/kvm (kvm_fd) lacks, or NULL. */
const char *kvm_caps_missing(int kvm_fd, const KVMCapability *caps, size_t n);
/* The capabilities the x86 part needs on top of the generic ones: NULL
 * when all are there, else the missing one's name. */
const char *kvm_arch_missing_cap(int kvm_fd);
/* Once per VM, before any vCPU: the TSS and identity-map addresses. */
int kvm_arch_vm_init(int vm_fd, Error **errp);
/* Once per vCPU: CPUID from KVM_GET_SUPPORTED_CPUID filtered by the -cpu
 * model; the MSRs KVM saves.  user_irqchip: tern's own PIC/IOAPIC/LAPIC. */
int kvm_arch_vcpu_init(CPUState *cs, KVMArchVCPU *v, int kvm_fd, bool user_irqchip,
                       Error **errp);
/* env -> KVM.  reset: also the state a reset defines and a later put must
 * not repeat (the TSC, pending events). */
int kvm_arch_put_registers(CPUState *cs, KVMArchVCPU *v, bool reset, Error **errp);
/* KVM -> env. */
int kvm_arch_get_registers(CPUState *cs, KVMArchVCPU *v, Error **errp);
/* Before each KVM_RUN: inject a pending NMI or interrupt from tern's own
 * interrupt controllers, or ask for an interrupt-window exit; CR8. */
void kvm_arch_pre_run(CPUState *cs, KVMArchVCPU *v);
/* Before a compare-mode step (accel/compare/ref-kvm.c): no injection and no
 * interrupt window (tern delivers interrupts itself there); CR8. */
void kvm_arch_pre_step(CPUState *cs, KVMArchVCPU *v);
/* After each KVM_RUN: CR8 back into the local APIC. */
void kvm_arch_post_run(CPUState *cs, KVMArchVCPU *v);
/* KVM_CREATE_VCPU's id: the CPU's APIC ID, which KVM's local APIC takes. */
unsigned long kvm_arch_vcpu_id(CPUState *cs);
/* kernel-irqchip=off: a reset leaves an AP halted, waiting for SIPI. */
void kvm_arch_reset(CPUState *cs, KVMArchVCPU *v);
/* kernel-irqchip=off: act on a pending INIT or SIPI from tern's local APIC
 * (x86_cpu_exec_interrupt, as under TCG) on env, read from KVM first
 * unless env_dirty; true when env changed and must be put. */
bool kvm_arch_init_sipi(CPUState *cs, KVMArchVCPU *v, bool env_dirty, Error **errp);
/* gdb's breakpoints (AccelOps' debug entries, the VM stopped, env
 * synchronised): software ones as INT3 in guest memory (one set for the
 * VM), hardware ones and watchpoints in the vCPU's four debug registers
 * (-ENOSPC beyond, -EINVAL for a length x86 cannot watch); given to KVM by
 * kvm_arch_put_guest_debug on the vCPU's thread before its next entry. */
int kvm_arch_insert_breakpoint(CPUState *cs, KVMArchVCPU *v, AccelBreakpointType type,
                               uint64_t addr, uint64_t len);
int kvm_arch_remove_breakpoint(CPUState *cs, KVMArchVCPU *v, AccelBreakpointType type,
                               uint64_t addr, uint64_t len);
void kvm_arch_remove_all_breakpoints(CPUState *cs, KVMArchVCPU *v);
void kvm_arch_set_singlestep(KVMArchVCPU *v, bool on);
int kvm_arch_put_guest_debug(CPUState *cs, KVMArchVCPU *v, Error **errp);
/* KVM_EXIT_DEBUG: true when it is gdb's (the vCPU stops for it); a #DB or
 * #BP of the guest's own goes back into the guest. */
bool kvm_arch_debug_exit(CPUState *cs, KVMArchVCPU *v);
/* Would a halted vCPU take an interrupt now? */
bool kvm_arch_has_work(CPUState *cs, KVMArchVCPU *v);
/* TERN_KVM_STATS: where the vCPU stopped (rip, IF), appended to its line. */
void kvm_arch_print_state(FILE *f, CPUState *cs, KVMArchVCPU *v);
/* KVM_EXIT_IO: the port accesses, through the same port space as TCG's. */
void kvm_arch_handle_io(CPUState *cs, KVMArchVCPU *v);

#endif
