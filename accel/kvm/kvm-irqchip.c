/*
 * kvm-irqchip.c: KVM's in-kernel interrupt controllers, the default
 * under -accel kvm (-machine kernel-irqchip=on; docs/kvm.md).
 *
 * KVM_CREATE_IRQCHIP puts the 8259 pair and the IOAPIC in the kernel,
 * and each vCPU then gets its local APIC there (its MMIO page, timer,
 * TSC-deadline and x2APIC MSRs never exit); KVM_CREATE_PIT2 adds the 8254
 * with its speaker port 0x61 (KVM_PIT_SPEAKER_DUMMY, as QEMU creates it:
 * KVM answers 0x61 with channel 2's gate and OUT).  The board then builds
 * none of those (ms->irqchip) and hands each GSI's level here: set_gsi is
 * KVM_IRQ_LINE, which the kernel routes as the board would (pc.h's
 * pc_gsi_pic_irq and pc_gsi_ioapic_pin: ISA IRQ 0 on IOAPIC pin 2, GSI 2
 * not on the 8259).  Level lines (the ACPI SCI, PCI INTx) are asserted and
 * deasserted; the IOAPIC re-delivers one still asserted at EOI.
 *
 * Reset: the kernel's power-on state of each chip is read once, right
 * after it is created, and written back at each system reset (the local
 * APICs with their vCPU's reset put, kvm-all.c).
 *
 * Globals: kvm_irqchip (one VM per process).  set_gsi and the HPET hook
 * run under the machine lock; vm_fd is written once, before the vCPUs
 * start, with the machine lock held.
 */
#include "util/osdep.h"
#include "hw/i386/pc.h"
#include "accel/kvm/kvm-irqchip.h"
#include "target-x86/kvm-arch.h"

#include <sys/ioctl.h>

static const KVMCapability kvm_irqchip_caps[] = {
    KVM_CAP_ENTRY(KVM_CAP_IRQCHIP),
    KVM_CAP_ENTRY(KVM_CAP_IRQ_ROUTING),
    KVM_CAP_ENTRY(KVM_CAP_PIT2),
    KVM_CAP_ENTRY(KVM_CAP_PIT_STATE2),
    KVM_CAP_ENTRY(KVM_CAP_MP_STATE),
};

/* KVM_GET_IRQCHIP's chips, in chip_id order */
static const unsigned kvm_irqchip_ids[] = {
    KVM_IRQCHIP_PIC_MASTER, KVM_IRQCHIP_PIC_SLAVE, KVM_IRQCHIP_IOAPIC,
};

#define KVM_IRQCHIP_NUM_CHIPS 3
/* per GSI at most one 8259 and one IOAPIC route */
#define KVM_IRQCHIP_MAX_ROUTES (2 * PC_NUM_GSI)

static struct {
    int vm_fd;                      /* -1 until kvm_irqchip_create */
    uint32_t levels;                /* each GSI's level, by bit */
    struct kvm_irqchip power_on[KVM_IRQCHIP_NUM_CHIPS];
    struct kvm_pit_state2 pit_power_on;
} kvm_irqchip = { .vm_fd = -1 };

/* The board's GSI n is now at level; kept for the VM not yet created. */
static void kvm_irqchip_set_gsi(unsigned gsi, int level)
{
    struct kvm_irq_level l = { .irq = gsi, .level = level != 0 };

    kvm_irqchip.levels = level ? kvm_irqchip.levels | 1u << gsi
                               : kvm_irqchip.levels & ~(1u << gsi);
    if (kvm_irqchip.vm_fd >= 0 && ioctl(kvm_irqchip.vm_fd, KVM_IRQ_LINE, &l) < 0) {
        error_report("kvm: KVM_IRQ_LINE GSI %u level %d: %s", gsi, l.level, strerror(errno));
    }
}

/* The HPET's LEG_RT_CNF: KVM's PIT stops (and later restarts) injecting
 * IRQ 0 with KVM_PIT_FLAGS_HPET_LEGACY, as QEMU's kvm_pit_irq_control. */
static void kvm_irqchip_set_pit_hpet_legacy(bool on)
{
    struct kvm_pit_state2 pit;

    if (kvm_irqchip.vm_fd < 0 || ioctl(kvm_irqchip.vm_fd, KVM_GET_PIT2, &pit) < 0) {
        return;         /* not created yet: the power-on state has the flag clear */
    }
    if (!!(pit.flags & KVM_PIT_FLAGS_HPET_LEGACY) == on) {
        return;
    }
    pit.flags ^= KVM_PIT_FLAGS_HPET_LEGACY;
    if (ioctl(kvm_irqchip.vm_fd, KVM_SET_PIT2, &pit) < 0) {
        error_report("kvm: KVM_SET_PIT2 (HPET legacy %d): %s", on, strerror(errno));
    }
}

/* System reset: the PICs, IOAPIC and PIT as KVM created them. */
static void kvm_irqchip_reset(void)
{
    if (kvm_irqchip.vm_fd < 0) {
        return;
    }
    for (unsigned i = 0; i < KVM_IRQCHIP_NUM_CHIPS; i++) {
        if (ioctl(kvm_irqchip.vm_fd, KVM_SET_IRQCHIP, &kvm_irqchip.power_on[i]) < 0) {
            error_report("kvm: KVM_SET_IRQCHIP %u at reset: %s", i, strerror(errno));
        }
    }
    if (ioctl(kvm_irqchip.vm_fd, KVM_SET_PIT2, &kvm_irqchip.pit_power_on) < 0) {
        error_report("kvm: KVM_SET_PIT2 at reset: %s", strerror(errno));
    }
}

static const AccelIrqchip kvm_accel_irqchip = {
    .set_gsi = kvm_irqchip_set_gsi,
    .set_pit_hpet_legacy = kvm_irqchip_set_pit_hpet_legacy,
    .reset = kvm_irqchip_reset,
};

int kvm_irqchip_configure(MachineState *ms, bool *in_kernel, Error **errp)
{
    const char *mode = ms->kernel_irqchip ? ms->kernel_irqchip : "on";

    if (!strcmp(mode, "split")) {
        error_setg(errp, "-machine kernel-irqchip=split: not supported (use on, the "
                   "default, or off)");
        return -ENOTSUP;
    }
    *in_kernel = !strcmp(mode, "on");
    ms->irqchip = *in_kernel ? &kvm_accel_irqchip : NULL;
    return 0;
}

/* The board's GSI wiring as KVM routes: each GSI to its 8259 input and
 * IOAPIC pin (replacing KVM's default, which puts GSI 0 on pin 0). */
static int kvm_irqchip_set_routing(int vm_fd, Error **errp)
{
    struct {
        struct kvm_irq_routing h;
        struct kvm_irq_routing_entry e[KVM_IRQCHIP_MAX_ROUTES];
    } r;
    uint32_t n = 0;

    memset(&r, 0, sizeof(r));
    for (unsigned gsi = 0; gsi < PC_NUM_GSI; gsi++) {
        int irq = pc_gsi_pic_irq(gsi);

        if (irq >= 0) {
            r.e[n++] = (struct kvm_irq_routing_entry){
                .gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
                .u.irqchip = { .irqchip = irq < 8 ? KVM_IRQCHIP_PIC_MASTER
                                                   : KVM_IRQCHIP_PIC_SLAVE,
                               .pin = (uint32_t)irq & 7 },
            };
        }
        r.e[n++] = (struct kvm_irq_routing_entry){
            .gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
            .u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = pc_gsi_ioapic_pin(gsi) },
        };
    }
    r.h.nr = n;
    if (ioctl(vm_fd, KVM_SET_GSI_ROUTING, &r) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_SET_GSI_ROUTING");
        return -errno;
    }
    return 0;
}

/* Read each chip's power-on state, the reset image. */
static int kvm_irqchip_save_power_on(int vm_fd, Error **errp)
{
    for (unsigned i = 0; i < KVM_IRQCHIP_NUM_CHIPS; i++) {
        kvm_irqchip.power_on[i].chip_id = kvm_irqchip_ids[i];
        if (ioctl(vm_fd, KVM_GET_IRQCHIP, &kvm_irqchip.power_on[i]) < 0) {
            error_setg_errno(errp, errno, "kvm: KVM_GET_IRQCHIP %u", kvm_irqchip_ids[i]);
            return -errno;
        }
    }
    if (ioctl(vm_fd, KVM_GET_PIT2, &kvm_irqchip.pit_power_on) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_GET_PIT2");
        return -errno;
    }
    return 0;
}

int kvm_irqchip_create(int kvm_fd, int vm_fd, Error **errp)
{
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    int ret;

    const char *missing = kvm_caps_missing(kvm_fd, kvm_irqchip_caps,
                                           ARRAY_SIZE(kvm_irqchip_caps));
    if (missing) {
        error_setg(errp, "-accel kvm: the in-kernel irqchip needs %s, which this KVM "
                   "lacks; use -machine kernel-irqchip=off", missing);
        return -ENOTSUP;
    }
    if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_CREATE_IRQCHIP");
        return -errno;
    }
    if (ioctl(vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_CREATE_PIT2");
        return -errno;
    }
    ret = kvm_irqchip_set_routing(vm_fd, errp);
    if (ret == 0) {
        ret = kvm_irqchip_save_power_on(vm_fd, errp);
    }
    if (ret < 0) {
        return ret;
    }
    kvm_irqchip.vm_fd = vm_fd;
    /* the lines the devices raised while the board was built */
    for (unsigned gsi = 0; gsi < PC_NUM_GSI; gsi++) {
        if (kvm_irqchip.levels >> gsi & 1) {
            kvm_irqchip_set_gsi(gsi, 1);
        }
    }
    return 0;
}

int kvm_irqchip_vcpu_init(int vcpu_fd, struct kvm_lapic_state *image, Error **errp)
{
    if (ioctl(vcpu_fd, KVM_GET_LAPIC, image) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_GET_LAPIC");
        return -errno;
    }
    return 0;
}

int kvm_irqchip_vcpu_reset(int vcpu_fd, const struct kvm_lapic_state *image, bool bsp,
                           Error **errp)
{
    struct kvm_mp_state mp = {
        .mp_state = bsp ? KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_UNINITIALIZED,
    };

    if (ioctl(vcpu_fd, KVM_SET_LAPIC, image) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_SET_LAPIC at reset");
        return -errno;
    }
    if (ioctl(vcpu_fd, KVM_SET_MP_STATE, &mp) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_SET_MP_STATE at reset");
        return -errno;
    }
    return 0;
}
