/*
 * kvm-arch.c: the x86 half of the KVM engine (kvm-arch.h).
 *
 * Register state: env is tern's one description of a CPU; KVM holds its
 * own copy while the vCPU runs.  put writes env into KVM's regs, sregs,
 * FPU, XCR0, MSRs, debug registers and vCPU events; get reads them back
 * and recomputes hflags, so the monitor, the reset code and the loaders
 * see the same env under both engines.  kvm-all.c decides when (the dirty
 * flag, docs/kvm.md "State synchronisation").
 *
 * CPUID: every leaf comes from cpu_x86_cpuid (the -cpu model, its vendor,
 * brand and topology: cpu-models.c's table, not repeated here); the
 * feature words are then ANDed with what KVM_GET_SUPPORTED_CPUID offers,
 * so a guest never sees a feature the host cannot run.  With tern's own
 * interrupt controllers x2APIC and the TSC-deadline timer go too: KVM
 * implements their MSRs only in its in-kernel local APIC.
 *
 * Interrupts (kernel-irqchip=off): the board's PIC/IOAPIC/LAPIC raise
 * CPU_INTERRUPT_HARD as under TCG; before each entry the vector is taken
 * with the same INTA hook (env->get_pic_interrupt, under the machine
 * lock) and injected with KVM_INTERRUPT once KVM says the window is open,
 * else an interrupt-window exit is requested.
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/cpu-models.h"
#include "target-x86/sse-internal.h"
#include "target-x86/kvm-arch.h"
#include "target-x86/gdbstub.h"
#include "sysemu/runstate.h"

#include <sys/ioctl.h>
#include <asm/kvm_para.h>

#define KVM_X86_MAX_CPUID 128

/* CPUID.1:ECX bits that need KVM's in-kernel local APIC */
#define CPUID_1_ECX_X2APIC       (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_EDX_MCE_MCA      ((1u << 7) | (1u << 14))
#define CPUID_1_ECX_HYPERVISOR   (1u << 31)
/* KVM's paravirtual leaves (QEMU offers them too): kvm-clock gives the
 * guest the TSC frequency, so Linux needs no PIT/HPET calibration, which
 * fails when each I/O exit costs 0.1 ms (nested).  Only the clock
 * features: PV EOI, PV unhalt and async page faults need KVM's in-kernel
 * local APIC. */
#define KVM_X86_PV_FEATURES ((1u << KVM_FEATURE_CLOCKSOURCE) | (1u << KVM_FEATURE_NOP_IO_DELAY) | \
                             (1u << KVM_FEATURE_CLOCKSOURCE2) |                               \
                             (1u << KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))
/* IA32_MCG_CAP fields (SDM vol. 3 15.3.1.1) */
#define MCG_CAP_CTL_P      (1ull << 8)
#define MCG_CAP_SER_P      (1ull << 24)

/* The MSRs kept in env that KVM saves (EFER and the FS/GS bases travel in
 * sregs; the TSC is written at reset only): count consecutive indexes
 * from index, at offset in env.  Machine-check rows go in only when
 * KVM_X86_SETUP_MCE gave the vCPU its banks (KVMArchVCPU.mce_banks). */
static const struct {
    uint32_t index;
    uint32_t count;
    size_t offset;
    bool mce;
} kvm_x86_msrs[] = {
#define KVM_MSR(idx, field) { idx, 1, offsetof(CPUX86State, field), false }
    KVM_MSR(0x174, sysenter_cs),
    KVM_MSR(0x175, sysenter_esp),
    KVM_MSR(0x176, sysenter_eip),
    KVM_MSR(0x1a0, misc_enable),
    KVM_MSR(0x277, pat),
    KVM_MSR(0x2ff, mtrr_deftype),
    KVM_MSR(0xc0000081u, star),
    KVM_MSR(0xc0000082u, lstar),
    KVM_MSR(0xc0000083u, cstar),
    KVM_MSR(0xc0000084u, fmask),
    KVM_MSR(0xc0000102u, kernelgsbase),
    KVM_MSR(0xc0000103u, tsc_aux),
#undef KVM_MSR
    { 0x17a, 1, offsetof(CPUX86State, mcg_status), true },
    { 0x17b, 1, offsetof(CPUX86State, mcg_ctl), true },
    { 0x400, 4 * X86_MCE_BANKS, offsetof(CPUX86State, mce_banks), true },
};
_Static_assert(ARRAY_SIZE(kvm_x86_msrs) <= 64, "msr_ok is a uint64_t");
#define KVM_X86_MSRS_MAX (ARRAY_SIZE(kvm_x86_msrs) + 4 * X86_MCE_BANKS + 3)
#define KVM_X86_MSR_TSC 0x10

/* The capabilities this file uses. */
static const KVMCapability kvm_x86_caps[] = {
    KVM_CAP_ENTRY(KVM_CAP_SET_TSS_ADDR),
    KVM_CAP_ENTRY(KVM_CAP_SET_IDENTITY_MAP_ADDR),
    KVM_CAP_ENTRY(KVM_CAP_EXT_CPUID),
    KVM_CAP_ENTRY(KVM_CAP_VCPU_EVENTS),
    KVM_CAP_ENTRY(KVM_CAP_DEBUGREGS),
};

const char *kvm_caps_missing(int kvm_fd, const KVMCapability *caps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, caps[i].cap) <= 0) {
            return caps[i].name;
        }
    }
    return NULL;
}

const char *kvm_arch_missing_cap(int kvm_fd)
{
    return kvm_caps_missing(kvm_fd, kvm_x86_caps, ARRAY_SIZE(kvm_x86_caps));
}

int kvm_arch_vm_init(int vm_fd, Error **errp)
{
    uint64_t identity = KVM_X86_IDENTITY_MAP_ADDR;

    if (ioctl(vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_SET_IDENTITY_MAP_ADDR");
        return -errno;
    }
    if (ioctl(vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_X86_TSS_ADDR) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_SET_TSS_ADDR");
        return -errno;
    }
    return 0;
}

/* ---- CPUID ---------------------------------------------------------------- */

typedef struct KVMCPUID {
    struct kvm_cpuid2 h;
    struct kvm_cpuid_entry2 e[KVM_X86_MAX_CPUID];
} KVMCPUID;

static const struct kvm_cpuid_entry2 *kvm_cpuid_find(const KVMCPUID *c, uint32_t fn,
                                                     uint32_t index)
{
    for (uint32_t i = 0; i < c->h.nent; i++) {
        if (c->e[i].function == fn &&
            (!(c->e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || c->e[i].index == index)) {
            return &c->e[i];
        }
    }
    return NULL;
}

/* The feature words: what the model has and KVM can run. */
static void kvm_cpuid_filter(struct kvm_cpuid_entry2 *e, const KVMCPUID *sup,
                             bool user_irqchip)
{
    const struct kvm_cpuid_entry2 *s = kvm_cpuid_find(sup, e->function, e->index);
    static const struct kvm_cpuid_entry2 none;

    if (!s) {
        s = &none;
    }
    switch (e->function) {
    case 1:
        e->ecx &= s->ecx;
        e->edx &= s->edx;
        if (user_irqchip) {
            e->ecx &= ~(CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE);
        }
        break;
    case 7:
        e->ebx &= s->ebx;
        e->ecx &= s->ecx;
        e->edx &= s->edx;
        break;
    case 0xd:
        if (e->index == 0) {
            e->eax &= s->eax;           /* the XCR0 bits */
            e->edx &= s->edx;
        }
        break;
    case 0x80000001u:
        e->ecx &= s->ecx;
        e->edx &= s->edx;
        break;
    default:
        break;
    }
}

/* Leaves whose subleaf (ECX) matters, and when their list ends. */
static bool kvm_cpuid_indexed(uint32_t fn)
{
    return fn == 4 || fn == 7 || fn == 0xb || fn == 0xd;
}

static bool kvm_cpuid_last_index(uint32_t fn, uint32_t index, const struct kvm_cpuid_entry2 *e)
{
    switch (fn) {
    case 4:
        return (e->eax & 0x1f) == 0;          /* no more cache levels */
    case 0xb:
        return ((e->ecx >> 8) & 0xff) == 0;   /* no more topology levels */
    case 0xd:
        return index >= 63;
    default:
        return true;
    }
}

static void kvm_cpuid_add(KVMCPUID *c, CPUX86State *env, uint32_t fn, const KVMCPUID *sup,
                          bool user_irqchip)
{
    for (uint32_t index = 0; c->h.nent < KVM_X86_MAX_CPUID; index++) {
        struct kvm_cpuid_entry2 *e = &c->e[c->h.nent];

        memset(e, 0, sizeof(*e));
        e->function = fn;
        e->index = index;
        cpu_x86_cpuid(env, fn, index, &e->eax, &e->ebx, &e->ecx, &e->edx);
        if (kvm_cpuid_indexed(fn)) {
            e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
        }
        bool last = !kvm_cpuid_indexed(fn) || kvm_cpuid_last_index(fn, index, e);
        /* 0xd: only the subleaves that describe something (KVM fills in
         * 0xd.0 EBX from XCR0 when the leaf exists, even for a model
         * without XSAVE) */
        if (fn != 0xd || e->eax || e->ebx || e->ecx || e->edx) {
            kvm_cpuid_filter(e, sup, user_irqchip);
            c->h.nent++;
        }
        if (last) {
            return;
        }
    }
}

/* -cpu host: every leaf KVM supports as it is, with this vCPU's APIC ID,
 * less what needs the in-kernel local APIC when tern's own runs; the
 * paravirtual leaves come from kvm_cpuid_add_pv as for every model. */
static void kvm_cpuid_host(KVMCPUID *c, const KVMCPUID *sup, const CPUState *cs,
                           bool user_irqchip)
{
    uint32_t apic_id = (uint32_t)cs->cpu_index;

    for (uint32_t i = 0; i < sup->h.nent && c->h.nent < KVM_X86_MAX_CPUID; i++) {
        struct kvm_cpuid_entry2 *e = &c->e[c->h.nent];

        if ((sup->e[i].function & 0xffff0000u) == KVM_CPUID_SIGNATURE) {
            continue;
        }
        *e = sup->e[i];
        c->h.nent++;
        if (e->function == 1) {
            e->ebx = (e->ebx & 0x00ffffffu) | apic_id << 24;
            if (user_irqchip) {
                e->ecx &= ~(CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE);
            }
        } else if (e->function == 0xb || e->function == 0x1f) {
            e->edx = apic_id;
        }
    }
}

/* The hypervisor bit and KVM's signature and clock leaves. */
static void kvm_cpuid_add_pv(KVMCPUID *c, const KVMCPUID *sup)
{
    struct kvm_cpuid_entry2 *leaf1 = (struct kvm_cpuid_entry2 *)kvm_cpuid_find(c, 1, 0);
    const struct kvm_cpuid_entry2 *pv = kvm_cpuid_find(sup, KVM_CPUID_FEATURES, 0);

    if (!leaf1 || c->h.nent + 2 > KVM_X86_MAX_CPUID) {
        return;
    }
    leaf1->ecx |= CPUID_1_ECX_HYPERVISOR;
    c->e[c->h.nent++] = (struct kvm_cpuid_entry2){
        .function = KVM_CPUID_SIGNATURE, .eax = KVM_CPUID_FEATURES,
        .ebx = 0x4b4d564b, .ecx = 0x564b4d56, .edx = 0x4d,      /* "KVMKVMKVM\0\0\0" */
    };
    c->e[c->h.nent++] = (struct kvm_cpuid_entry2){
        .function = KVM_CPUID_FEATURES, .eax = (pv ? pv->eax : 0) & KVM_X86_PV_FEATURES,
    };
}

/* KVM reports the TSC-deadline timer as a capability of its in-kernel
 * local APIC, not in KVM_GET_SUPPORTED_CPUID (QEMU adds it the same way). */
static void kvm_cpuid_add_tsc_deadline(KVMCPUID *sup, int kvm_fd, bool user_irqchip)
{
    struct kvm_cpuid_entry2 *leaf1 = (struct kvm_cpuid_entry2 *)kvm_cpuid_find(sup, 1, 0);

    if (leaf1 && !user_irqchip &&
        ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0) {
        leaf1->ecx |= CPUID_1_ECX_TSC_DEADLINE;
    }
}

static int kvm_cpuid_setup(CPUState *cs, KVMArchVCPU *v, int kvm_fd, bool user_irqchip,
                           Error **errp)
{
    CPUX86State *env = cpu_env(cs);
    KVMCPUID *sup = tern_malloc0(sizeof(*sup));
    KVMCPUID *c = tern_malloc0(sizeof(*c));
    int ret = 0;

    sup->h.nent = KVM_X86_MAX_CPUID;
    if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, sup) < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "kvm: KVM_GET_SUPPORTED_CPUID");
        goto out;
    }
    kvm_cpuid_add_tsc_deadline(sup, kvm_fd, user_irqchip);
    if (env->cpuid_host) {
        kvm_cpuid_host(c, sup, cs, user_irqchip);
    }
    for (uint32_t fn = 0; !env->cpuid_host && fn <= env->cpuid_level; fn++) {
        kvm_cpuid_add(c, env, fn, sup, user_irqchip);
    }
    for (uint32_t fn = 0x80000000u; !env->cpuid_host && fn <= env->cpuid_xlevel; fn++) {
        kvm_cpuid_add(c, env, fn, sup, user_irqchip);
    }
    kvm_cpuid_add_pv(c, sup);
    if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "kvm: KVM_SET_CPUID2 (%u leaves)", c->h.nent);
        goto out;
    }
    /* env's feature words as the guest sees them: x86_feature_enabled and
     * the monitor agree with the guest's CPUID */
    const struct kvm_cpuid_entry2 *e;
    if ((e = kvm_cpuid_find(c, 1, 0))) {
        env->cpuid_ext_features = e->ecx;
        env->cpuid_features = e->edx;
    }
    if ((e = kvm_cpuid_find(c, 7, 0))) {
        env->cpuid_7_0_ebx = e->ebx;
        env->cpuid_7_0_ecx = e->ecx;
        env->cpuid_7_0_edx = e->edx;
    }
    if ((e = kvm_cpuid_find(c, 0x80000001u, 0))) {
        env->cpuid_ext3_features = e->ecx;
        env->cpuid_ext2_features = e->edx;
    }
out:
    free(sup);
    free(c);
    return ret;
}

/* The MSRs of kvm_x86_msrs that KVM saves (KVM_GET_MSR_INDEX_LIST). */
static int kvm_msr_probe(KVMArchVCPU *v, int kvm_fd, Error **errp)
{
    struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
    int ret = 0;

    if (ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 && errno != E2BIG) {
        error_setg_errno(errp, errno, "kvm: KVM_GET_MSR_INDEX_LIST");
        return -errno;
    }
    list = tern_malloc0(sizeof(*list) + probe.nmsrs * sizeof(list->indices[0]));
    list->nmsrs = probe.nmsrs;
    if (ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, list) < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "kvm: KVM_GET_MSR_INDEX_LIST");
        goto out;
    }
    v->msr_ok = 0;
    for (size_t i = 0; i < ARRAY_SIZE(kvm_x86_msrs); i++) {
        if (kvm_x86_msrs[i].mce) {
            v->msr_ok |= 1ull << i;     /* KVM's MCE MSRs: whenever it has banks */
            continue;
        }
        for (uint32_t j = 0; j < list->nmsrs; j++) {
            if (list->indices[j] == kvm_x86_msrs[i].index) {
                v->msr_ok |= 1ull << i;
            }
        }
    }
out:
    free(list);
    return ret;
}

/* Machine-check banks, when the guest's CPUID has MCE and MCA: tern's
 * IA32_MCG_CAP (X86_MCE_BANKS banks, MCG_CTL_P, MCG_SER_P) as far as KVM
 * supports it; KVM then runs the MCE MSRs itself. */
static int kvm_mce_setup(CPUState *cs, KVMArchVCPU *v, int kvm_fd, Error **errp)
{
    const CPUX86State *env = cpu_env(cs);
    uint64_t supported = 0, cap;
    int max_banks;

    v->mce_banks = 0;
    if ((env->cpuid_features & CPUID_1_EDX_MCE_MCA) != CPUID_1_EDX_MCE_MCA ||
        (max_banks = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MCE)) <= 0 ||
        ioctl(kvm_fd, KVM_X86_GET_MCE_CAP_SUPPORTED, &supported) < 0) {
        return 0;
    }
    /* KVM_CAP_MCE is the bank limit; the supported value has the flags */
    v->mce_banks = MIN(X86_MCE_BANKS, (unsigned)max_banks);
    cap = v->mce_banks | ((MCG_CAP_CTL_P | MCG_CAP_SER_P) & supported);
    if (ioctl(v->fd, KVM_X86_SETUP_MCE, &cap) < 0) {
        error_setg_errno(errp, errno, "kvm: KVM_X86_SETUP_MCE 0x%llx", (unsigned long long)cap);
        return -errno;
    }
    return 0;
}

int kvm_arch_vcpu_init(CPUState *cs, KVMArchVCPU *v, int kvm_fd, bool user_irqchip,
                       Error **errp)
{
    int ret = kvm_cpuid_setup(cs, v, kvm_fd, user_irqchip, errp);

    if (ret < 0 || (ret = kvm_mce_setup(cs, v, kvm_fd, errp)) < 0) {
        return ret;
    }
    v->has_xcrs = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0;
    return kvm_msr_probe(v, kvm_fd, errp);
}

/* ---- segments ------------------------------------------------------------- */

#define DESC_AVL_MASK (1u << 20)

static void kvm_seg_put(struct kvm_segment *k, const SegmentCache *sc, bool vm86)
{
    uint32_t f = sc->flags;

    memset(k, 0, sizeof(*k));
    k->base = sc->base;
    k->limit = sc->limit;
    k->selector = (uint16_t)sc->selector;
    if (vm86) {
        /* virtual-8086 segments as VMX wants them (QEMU's set_v8086_seg) */
        k->type = 3;
        k->present = 1;
        k->dpl = 3;
        k->s = 1;
        return;
    }
    k->type = (f >> DESC_TYPE_SHIFT) & 15;
    k->present = !!(f & DESC_P_MASK);
    k->dpl = (f >> DESC_DPL_SHIFT) & 3;
    k->db = !!(f & DESC_B_MASK);
    k->s = !!(f & DESC_S_MASK);
    k->l = !!(f & DESC_L_MASK);
    k->g = !!(f & DESC_G_MASK);
    k->avl = !!(f & DESC_AVL_MASK);
    k->unusable = !k->present;
}

static void kvm_seg_get(SegmentCache *sc, const struct kvm_segment *k)
{
    /* limit bits 19:16 sit in flags as in the descriptor (TCG's form:
     * the compare mode compares flags) */
    uint32_t limit_hi = ((k->g ? k->limit >> 12 : k->limit) >> 16) & 0xf;

    sc->selector = k->selector;
    sc->base = k->base;
    sc->limit = k->limit;
    sc->flags = k->unusable ? 0 :
                (uint32_t)k->type << DESC_TYPE_SHIFT | (k->s ? DESC_S_MASK : 0) |
                (uint32_t)k->dpl << DESC_DPL_SHIFT | (k->present ? DESC_P_MASK : 0) |
                (k->avl ? DESC_AVL_MASK : 0) | (k->l ? DESC_L_MASK : 0) |
                (k->db ? DESC_B_MASK : 0) | (k->g ? DESC_G_MASK : 0) | limit_hi << 16;
}

/* ---- registers ------------------------------------------------------------ */

static void kvm_regs_put(CPUX86State *env, struct kvm_regs *r)
{
    r->rax = env->regs[R_EAX];
    r->rbx = env->regs[R_EBX];
    r->rcx = env->regs[R_ECX];
    r->rdx = env->regs[R_EDX];
    r->rsi = env->regs[R_ESI];
    r->rdi = env->regs[R_EDI];
    r->rsp = env->regs[R_ESP];
    r->rbp = env->regs[R_EBP];
    r->r8 = env->regs[R_R8];
    r->r9 = env->regs[R_R9];
    r->r10 = env->regs[R_R10];
    r->r11 = env->regs[R_R11];
    r->r12 = env->regs[R_R12];
    r->r13 = env->regs[R_R13];
    r->r14 = env->regs[R_R14];
    r->r15 = env->regs[R_R15];
    r->rip = env->rip;
    r->rflags = cpu_compute_eflags(env);
}

static void kvm_regs_get(CPUX86State *env, const struct kvm_regs *r)
{
    env->regs[R_EAX] = r->rax;
    env->regs[R_EBX] = r->rbx;
    env->regs[R_ECX] = r->rcx;
    env->regs[R_EDX] = r->rdx;
    env->regs[R_ESI] = r->rsi;
    env->regs[R_EDI] = r->rdi;
    env->regs[R_ESP] = r->rsp;
    env->regs[R_EBP] = r->rbp;
    env->regs[R_R8] = r->r8;
    env->regs[R_R9] = r->r9;
    env->regs[R_R10] = r->r10;
    env->regs[R_R11] = r->r11;
    env->regs[R_R12] = r->r12;
    env->regs[R_R13] = r->r13;
    env->regs[R_R14] = r->r14;
    env->regs[R_R15] = r->r15;
    env->rip = r->rip;
    cpu_load_eflags(env, r->rflags, ~0ull);
}

static uint64_t kvm_cr8_get(CPUX86State *env)
{
    uint64_t cr8;

    if (!env->apic_ops) {
        return env->cr8;
    }
    bool took = bql_lock_unless_held();   /* held: a compare interval */

    cr8 = env->apic_ops->get_cr8(env->apic);
    if (took) {
        bql_unlock();
    }
    return cr8;
}

static void kvm_cr8_set(CPUX86State *env, uint64_t cr8)
{
    if (!env->apic_ops) {
        env->cr8 = cr8;
        return;
    }
    bool took = bql_lock_unless_held();

    env->apic_ops->set_cr8(env->apic, cr8);
    if (took) {
        bql_unlock();
    }
}

static void kvm_sregs_put(CPUX86State *env, struct kvm_sregs *s)
{
    bool vm86 = env->eflags & VM_MASK;

    memset(s, 0, sizeof(*s));
    kvm_seg_put(&s->cs, &env->segs[R_CS], vm86);
    kvm_seg_put(&s->ds, &env->segs[R_DS], vm86);
    kvm_seg_put(&s->es, &env->segs[R_ES], vm86);
    kvm_seg_put(&s->fs, &env->segs[R_FS], vm86);
    kvm_seg_put(&s->gs, &env->segs[R_GS], vm86);
    kvm_seg_put(&s->ss, &env->segs[R_SS], vm86);
    kvm_seg_put(&s->tr, &env->tr, false);
    kvm_seg_put(&s->ldt, &env->ldt, false);
    s->gdt.base = env->gdt.base;
    s->gdt.limit = (uint16_t)env->gdt.limit;
    s->idt.base = env->idt.base;
    s->idt.limit = (uint16_t)env->idt.limit;
    s->cr0 = env->cr[0];
    s->cr2 = env->cr[2];
    s->cr3 = env->cr[3];
    s->cr4 = env->cr[4];
    s->cr8 = kvm_cr8_get(env);
    s->efer = env->efer;
    s->apic_base = env->apic_base;
}

static void kvm_sregs_get(CPUX86State *env, const struct kvm_sregs *s)
{
    kvm_seg_get(&env->segs[R_CS], &s->cs);
    kvm_seg_get(&env->segs[R_DS], &s->ds);
    kvm_seg_get(&env->segs[R_ES], &s->es);
    kvm_seg_get(&env->segs[R_FS], &s->fs);
    kvm_seg_get(&env->segs[R_GS], &s->gs);
    kvm_seg_get(&env->segs[R_SS], &s->ss);
    kvm_seg_get(&env->tr, &s->tr);
    kvm_seg_get(&env->ldt, &s->ldt);
    env->gdt.base = s->gdt.base;
    env->gdt.limit = s->gdt.limit;
    env->idt.base = s->idt.base;
    env->idt.limit = s->idt.limit;
    env->cr[0] = s->cr0;
    env->cr[2] = s->cr2;
    env->cr[3] = s->cr3;
    env->cr[4] = s->cr4;
    env->efer = s->efer;
    env->apic_base = s->apic_base;
}

/* x87 and SSE: kvm_fpu is the FXSAVE image's content in its own layout. */
static void kvm_fpu_put(CPUX86State *env, struct kvm_fpu *f)
{
    memset(f, 0, sizeof(*f));
    f->fcw = env->fpuc;
    f->fsw = (uint16_t)((env->fpus & ~(7u << FPUS_TOP_SHIFT)) | (env->fpstt & 7) << FPUS_TOP_SHIFT);
    for (int i = 0; i < 8; i++) {
        f->ftwx |= (uint8_t)(!env->fptags[i] << i);        /* abridged: 1 = valid */
        floatx80 st = env->fpregs[(env->fpstt + i) & 7];
        memcpy(&f->fpr[i][0], &st.low, 8);
        memcpy(&f->fpr[i][8], &st.high, 2);
    }
    f->last_opcode = env->fpop;
    f->last_ip = env->fpip;
    f->last_dp = env->fpdp;
    memcpy(f->xmm, env->xmm_regs, sizeof(f->xmm));
    f->mxcsr = env->mxcsr;
}

static void kvm_fpu_get(CPUX86State *env, const struct kvm_fpu *f)
{
    X86FxImage im = {
        .fcw = f->fcw, .fsw = f->fsw, .fop = f->last_opcode, .ftw = f->ftwx,
        .fip = f->last_ip, .fdp = f->last_dp, .mxcsr = f->mxcsr,
    };

    for (int i = 0; i < 8; i++) {
        memcpy(&im.st[i].low, &f->fpr[i][0], 8);
        memcpy(&im.st[i].high, &f->fpr[i][8], 2);
    }
    memcpy(im.xmm, f->xmm, sizeof(im.xmm));
    x86_fx_commit_x87(env, &im);
    x86_fx_commit_xmm(env, &im);
    x86_fx_commit_mxcsr(env, im.mxcsr);
}

typedef struct KVMMsrs {
    struct kvm_msrs h;
    struct kvm_msr_entry e[KVM_X86_MSRS_MAX];
} KVMMsrs;

/* The MSR list of v, with env's values. */
static void kvm_msrs_fill(const CPUX86State *env, const KVMArchVCPU *v, KVMMsrs *m, bool reset)
{
    memset(m, 0, sizeof(*m));
    for (size_t i = 0; i < ARRAY_SIZE(kvm_x86_msrs); i++) {
        uint32_t count = kvm_x86_msrs[i].count;

        if (!(v->msr_ok & (1ull << i)) || (kvm_x86_msrs[i].mce && !v->mce_banks)) {
            continue;
        }
        if (kvm_x86_msrs[i].mce && count > 1) {
            count = 4 * v->mce_banks;   /* the banks KVM gave */
        }
        for (uint32_t k = 0; k < count; k++) {
            m->e[m->h.nmsrs].index = kvm_x86_msrs[i].index + k;
            memcpy(&m->e[m->h.nmsrs].data, (const char *)env + kvm_x86_msrs[i].offset + 8 * k, 8);
            m->h.nmsrs++;
        }
    }
    if (reset) {
        m->e[m->h.nmsrs++] = (struct kvm_msr_entry){ .index = KVM_X86_MSR_TSC, .data = 0 };
        /* kvm-clock off, or KVM keeps writing the old guest's clock page */
        m->e[m->h.nmsrs++] = (struct kvm_msr_entry){ .index = MSR_KVM_SYSTEM_TIME, .data = 0 };
        m->e[m->h.nmsrs++] = (struct kvm_msr_entry){ .index = MSR_KVM_SYSTEM_TIME_NEW, .data = 0 };
    }
}

static void kvm_msrs_store(CPUX86State *env, const KVMMsrs *m)
{
    for (uint32_t j = 0; j < m->h.nmsrs; j++) {
        for (size_t i = 0; i < ARRAY_SIZE(kvm_x86_msrs); i++) {
            uint32_t k = m->e[j].index - kvm_x86_msrs[i].index;
            if (k < kvm_x86_msrs[i].count) {
                memcpy((char *)env + kvm_x86_msrs[i].offset + 8 * k, &m->e[j].data, 8);
            }
        }
    }
}

static void kvm_debugregs_put(const CPUX86State *env, struct kvm_debugregs *d)
{
    memset(d, 0, sizeof(*d));
    for (int i = 0; i < 4; i++) {
        d->db[i] = env->dr[i];
    }
    d->dr6 = env->dr[6];
    d->dr7 = env->dr[7];
}

/* vCPU events: at reset none pending; otherwise put back what get read
 * (an exception or interrupt KVM was delivering), with env's interrupt
 * shadow and NMI blocking. */
static void kvm_events_put(const CPUX86State *env, KVMArchVCPU *v, bool reset,
                           struct kvm_vcpu_events *ev)
{
    if (reset || !v->events_valid) {
        memset(ev, 0, sizeof(*ev));
    } else {
        *ev = v->events;
    }
    ev->flags = KVM_VCPUEVENT_VALID_SHADOW;
    ev->interrupt.shadow = (env->hflags & HF_INHIBIT_IRQ_MASK) ? KVM_X86_SHADOW_INT_MOV_SS : 0;
    ev->nmi.masked = env->nmi_blocked;
    ev->nmi.pending = 0;
    ev->nmi.injected = reset ? 0 : ev->nmi.injected;
    ev->sipi_vector = 0;
}

/* One vCPU ioctl of kvm_arch_put/get_registers: on failure, the one-line
 * error "kvm: VERB the WHAT of CPU n" and -errno. */
#define KVM_VCPU_IOCTL(req, arg, verb, what)                                \
    do {                                                                    \
        if (ioctl(v->fd, req, arg) < 0) {                                   \
            error_setg_errno(errp, errno, "kvm: %s the %s of CPU %d",       \
                             verb, what, cs->cpu_index);                    \
            return -errno;                                                  \
        }                                                                   \
    } while (0)
#define KVM_PUT(req, arg, what) KVM_VCPU_IOCTL(req, arg, "setting", what)

int kvm_arch_put_registers(CPUState *cs, KVMArchVCPU *v, bool reset, Error **errp)
{
    CPUX86State *env = cpu_env(cs);
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
    struct kvm_debugregs dbg;
    struct kvm_vcpu_events ev;
    KVMMsrs msrs;
    int n;

    kvm_regs_put(env, &regs);
    kvm_sregs_put(env, &sregs);
    kvm_fpu_put(env, &fpu);
    KVM_PUT(KVM_SET_SREGS, &sregs, "system registers");
    KVM_PUT(KVM_SET_REGS, &regs, "registers");
    KVM_PUT(KVM_SET_FPU, &fpu, "x87/SSE state");
    if (v->has_xcrs) {
        struct kvm_xcrs xcrs = { .nr_xcrs = 1, .xcrs[0] = { .xcr = 0, .value = env->xcr0 } };
        KVM_PUT(KVM_SET_XCRS, &xcrs, "XCR0");
    }
    kvm_msrs_fill(env, v, &msrs, reset);
    n = ioctl(v->fd, KVM_SET_MSRS, &msrs);
    if (n < 0 || (uint32_t)n != msrs.h.nmsrs) {
        error_setg(errp, "kvm: CPU %d: KVM refused MSR 0x%x = 0x%llx", cs->cpu_index,
                   msrs.e[n < 0 ? 0 : n].index, (unsigned long long)msrs.e[n < 0 ? 0 : n].data);
        return -EINVAL;
    }
    kvm_debugregs_put(env, &dbg);
    KVM_PUT(KVM_SET_DEBUGREGS, &dbg, "debug registers");
    kvm_events_put(env, v, reset, &ev);
    KVM_PUT(KVM_SET_VCPU_EVENTS, &ev, "pending events");
    if (reset) {
        v->events_valid = false;
    }
    return 0;
}

#define KVM_GET(req, arg, what) KVM_VCPU_IOCTL(req, arg, "reading", what)

int kvm_arch_get_registers(CPUState *cs, KVMArchVCPU *v, Error **errp)
{
    CPUX86State *env = cpu_env(cs);
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
    struct kvm_debugregs dbg;
    KVMMsrs msrs;
    int n;

    KVM_GET(KVM_GET_REGS, &regs, "registers");
    KVM_GET(KVM_GET_SREGS, &sregs, "system registers");
    KVM_GET(KVM_GET_FPU, &fpu, "x87/SSE state");
    KVM_GET(KVM_GET_DEBUGREGS, &dbg, "debug registers");
    KVM_GET(KVM_GET_VCPU_EVENTS, &v->events, "pending events");
    v->events_valid = true;
    kvm_msrs_fill(env, v, &msrs, false);
    n = ioctl(v->fd, KVM_GET_MSRS, &msrs);
    if (n < 0) {
        error_setg_errno(errp, errno, "kvm: reading the MSRs of CPU %d", cs->cpu_index);
        return -errno;
    }
    msrs.h.nmsrs = (uint32_t)n;
    if (v->has_xcrs) {
        struct kvm_xcrs xcrs;
        KVM_GET(KVM_GET_XCRS, &xcrs, "XCR0");
        for (uint32_t i = 0; i < xcrs.nr_xcrs; i++) {
            if (xcrs.xcrs[i].xcr == 0) {
                env->xcr0 = xcrs.xcrs[i].value;
            }
        }
    }

    kvm_regs_get(env, &regs);
    kvm_sregs_get(env, &sregs);
    kvm_fpu_get(env, &fpu);
    kvm_msrs_store(env, &msrs);
    for (int i = 0; i < 4; i++) {
        env->dr[i] = dbg.db[i];
    }
    env->dr[6] = dbg.dr6;
    env->dr[7] = dbg.dr7;
    env->nmi_blocked = v->events.nmi.masked;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    if (v->events.interrupt.shadow) {
        env->hflags |= HF_INHIBIT_IRQ_MASK;
    }
    x86_update_hflags(env);
    return 0;
}

/* ---- interrupts and I/O ---------------------------------------------------- */

void kvm_arch_pre_run(CPUState *cs, KVMArchVCPU *v)
{
    CPUX86State *env = cpu_env(cs);
    struct kvm_run *run = v->run;
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    if (req & CPU_INTERRUPT_NMI) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
        if (ioctl(v->fd, KVM_NMI) < 0) {
            error_report("kvm: CPU %d: KVM_NMI: %s", cs->cpu_index, strerror(errno));
        }
    }
    if ((req & CPU_INTERRUPT_HARD) && run->ready_for_interrupt_injection && run->if_flag &&
        env->get_pic_interrupt) {
        int vector;

        /* the INTA hook re-asserts the line if more remain */
        cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
        bql_lock();
        vector = env->get_pic_interrupt(env->pic_opaque);
        bql_unlock();
        if (vector >= 0) {
            struct kvm_interrupt intr = { .irq = (uint32_t)vector & 0xff };
            if (ioctl(v->fd, KVM_INTERRUPT, &intr) < 0) {
                error_report("kvm: CPU %d: KVM_INTERRUPT %u: %s", cs->cpu_index, intr.irq,
                             strerror(errno));
            }
            /* one per entry: the window is KVM's to reopen */
            run->ready_for_interrupt_injection = 0;
        }
        req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);
    }
    /* another one waits: exit as soon as the guest can take it */
    run->request_interrupt_window = (req & CPU_INTERRUPT_HARD) != 0;
    run->cr8 = kvm_cr8_get(env);
}

void kvm_arch_pre_step(CPUState *cs, KVMArchVCPU *v)
{
    v->run->request_interrupt_window = 0;
    v->run->cr8 = kvm_cr8_get(cpu_env(cs));
}

void kvm_arch_post_run(CPUState *cs, KVMArchVCPU *v)
{
    kvm_cr8_set(cpu_env(cs), v->run->cr8);
}

/* ---- gdb: breakpoints, watchpoints, single step ------------------------------ */

/* Software breakpoints are INT3 bytes in guest memory, one set for the VM
 * (the gdbstub inserts each for every vCPU: counted), with
 * KVM_GUESTDBG_USE_SW_BP so the #BP comes to us.  Hardware breakpoints
 * and watchpoints take the vCPU's debug registers. */
#define KVM_MAX_SW_BP 64
static struct { uint64_t addr; uint8_t orig; unsigned users; } kvm_sw_bp[KVM_MAX_SW_BP];
static unsigned kvm_nb_sw_bp;          /* the gdbstub's calls: main thread */

static int kvm_sw_bp_find(uint64_t addr)
{
    for (unsigned i = 0; i < kvm_nb_sw_bp; i++) {
        if (kvm_sw_bp[i].addr == addr) {
            return (int)i;
        }
    }
    return -1;
}

static int kvm_sw_bp_insert(CPUState *cs, uint64_t addr)
{
    static const uint8_t int3 = 0xcc;
    int i = kvm_sw_bp_find(addr);
    uint8_t orig;

    if (i >= 0) {
        kvm_sw_bp[i].users++;
        return 0;
    }
    if (kvm_nb_sw_bp == KVM_MAX_SW_BP) {
        return -ENOSPC;
    }
    if (x86_gdb_rw_memory(cs, addr, &orig, 1, false) < 0 ||
        x86_gdb_rw_memory(cs, addr, (uint8_t *)&int3, 1, true) < 0) {
        return -EFAULT;
    }
    kvm_sw_bp[kvm_nb_sw_bp].addr = addr;
    kvm_sw_bp[kvm_nb_sw_bp].orig = orig;
    kvm_sw_bp[kvm_nb_sw_bp].users = 1;
    kvm_nb_sw_bp++;
    return 0;
}

static int kvm_sw_bp_remove(CPUState *cs, uint64_t addr, bool all_users)
{
    int i = kvm_sw_bp_find(addr);

    if (i < 0) {
        return -ENOENT;
    }
    if (!all_users && --kvm_sw_bp[i].users) {
        return 0;
    }
    x86_gdb_rw_memory(cs, addr, &kvm_sw_bp[i].orig, 1, true);
    kvm_sw_bp[i] = kvm_sw_bp[--kvm_nb_sw_bp];
    return 0;
}

/* DR7 for slot i: G (global enable), R/W (00 execute, 01 write, 11 read or
 * write: x86 has no read-only watch, as QEMU's KVM stub), LEN (00 1, 01 2,
 * 11 4, 10 8 bytes; execute: 00). */
static uint64_t kvm_dr7_slot(unsigned i, AccelBreakpointType type, uint64_t len)
{
    static const uint8_t len_bits[9] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };
    uint64_t rw = type == ACCEL_WP_WRITE ? 1 : type == ACCEL_WP_READ || type == ACCEL_WP_ACCESS ? 3 : 0;
    uint64_t ln = rw ? len_bits[len] : 0;

    return (2ull << (i * 2)) | (rw << (16 + i * 4)) | (ln << (18 + i * 4));
}

int kvm_arch_insert_breakpoint(CPUState *cs, KVMArchVCPU *v, AccelBreakpointType type,
                               uint64_t addr, uint64_t len)
{
    bool watch = type >= ACCEL_WP_WRITE;

    if (type > ACCEL_WP_ACCESS) {
        return -ENOTSUP;
    }
    v->debug_dirty = true;
    if (type == ACCEL_BP_SOFTWARE) {
        return kvm_sw_bp_insert(cs, addr);
    }
    if (watch && (len > 8 || (len & (len - 1)) || len == 0 || (addr & (len - 1)))) {
        return -EINVAL;     /* a debug register watches 1, 2, 4 or 8 aligned bytes */
    }
    if (v->nb_bp == ARRAY_SIZE(v->bp)) {
        return -ENOSPC;
    }
    v->bp[v->nb_bp].addr = addr;
    v->bp[v->nb_bp].len = watch ? len : 1;
    v->bp[v->nb_bp].type = type;
    v->nb_bp++;
    return 0;
}

int kvm_arch_remove_breakpoint(CPUState *cs, KVMArchVCPU *v, AccelBreakpointType type,
                               uint64_t addr, uint64_t len)
{
    v->debug_dirty = true;
    if (type == ACCEL_BP_SOFTWARE) {
        return kvm_sw_bp_remove(cs, addr, false);
    }
    for (unsigned i = 0; i < v->nb_bp; i++) {
        if (v->bp[i].addr == addr && v->bp[i].type == type) {
            v->bp[i] = v->bp[--v->nb_bp];
            return 0;
        }
    }
    return -ENOENT;
}

void kvm_arch_remove_all_breakpoints(CPUState *cs, KVMArchVCPU *v)
{
    while (kvm_nb_sw_bp) {
        kvm_sw_bp_remove(cs, kvm_sw_bp[0].addr, true);
    }
    v->nb_bp = 0;
    v->debug_dirty = true;
}

void kvm_arch_set_singlestep(KVMArchVCPU *v, bool on)
{
    v->singlestep = on;
    v->debug_dirty = true;
}

int kvm_arch_put_guest_debug(CPUState *cs, KVMArchVCPU *v, Error **errp)
{
    struct kvm_guest_debug dbg = { 0 };

    if (v->nb_bp || v->singlestep || kvm_nb_sw_bp || v->trap_int3) {
        dbg.control = KVM_GUESTDBG_ENABLE | (v->nb_bp ? KVM_GUESTDBG_USE_HW_BP : 0) |
                      (kvm_nb_sw_bp || v->trap_int3 ? KVM_GUESTDBG_USE_SW_BP : 0) |
                      (v->singlestep ? KVM_GUESTDBG_SINGLESTEP : 0);
        for (unsigned i = 0; i < v->nb_bp; i++) {
            dbg.arch.debugreg[i] = v->bp[i].addr;
            dbg.arch.debugreg[7] |= kvm_dr7_slot(i, v->bp[i].type, v->bp[i].len);
        }
    }
    KVM_PUT(KVM_SET_GUEST_DEBUG, &dbg, "debug (gdb) state");
    v->debug_dirty = false;
    return 0;
}

bool kvm_arch_debug_exit(CPUState *cs, KVMArchVCPU *v)
{
    const struct kvm_debug_exit_arch *d = &v->run->debug.arch;
    struct kvm_vcpu_events ev;

    if (d->exception == 1 && (v->singlestep || (d->dr6 & ((1u << v->nb_bp) - 1)))) {
        return true;    /* DR6.BS or a slot of ours (B0-B3) */
    }
    if (d->exception == 3 && kvm_sw_bp_find(d->pc) >= 0) {
        return true;    /* our INT3, rip at it (VMX) */
    }
    if (d->exception == 3 && kvm_sw_bp_find(d->pc - 1) >= 0) {
        /* our INT3, rip after it (a trap's rip, as QEMU's nested SVM
         * reports it): gdb wants the breakpoint's address */
        struct kvm_regs r;

        if (ioctl(v->fd, KVM_GET_REGS, &r) == 0 && r.rip == d->pc) {
            r.rip--;
            if (ioctl(v->fd, KVM_SET_REGS, &r) == 0) {
                return true;
            }
        }
    }
    /* the guest's own #DB or #BP (its TF or INT3 while gdb is attached) */
    if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) == 0) {
        ev.exception.injected = 1;
        ev.exception.nr = (uint8_t)d->exception;
        ev.exception.has_error_code = 0;
        ev.flags = 0;
        if (ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) == 0) {
            return false;
        }
    }
    error_report("kvm: CPU %d: cannot give the guest its debug exception %u: %s",
                 cs->cpu_index, d->exception, strerror(errno));
    return false;
}

unsigned long kvm_arch_vcpu_id(CPUState *cs)
{
    return x86_topo_apic_id(&cpu_env(cs)->topo, cs->cpu_index);
}

void kvm_arch_reset(CPUState *cs, KVMArchVCPU *v)
{
    v->wait_sipi = cs->halted;      /* the board halts the APs at reset */
}

bool kvm_arch_init_sipi(CPUState *cs, KVMArchVCPU *v, bool env_dirty, Error **errp)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE) &
                   (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI);

    if (!req) {
        return false;
    }
    if (!env_dirty && kvm_arch_get_registers(cs, v, errp) < 0) {
        return false;
    }
    bql_lock();
    x86_cpu_exec_interrupt(cs, req);
    bql_unlock();
    if (req & CPU_INTERRUPT_INIT) {
        v->events_valid = false;    /* INIT drops what KVM was delivering */
    }
    v->wait_sipi = cs->halted;
    return true;
}

bool kvm_arch_has_work(CPUState *cs, KVMArchVCPU *v)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    if (req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) {
        return true;
    }
    if (v->wait_sipi) {
        return false;               /* only INIT and SIPI reach it */
    }
    return (req & CPU_INTERRUPT_NMI) || ((req & CPU_INTERRUPT_HARD) && v->run->if_flag);
}

void kvm_arch_print_state(FILE *f, CPUState *cs, KVMArchVCPU *v)
{
    struct kvm_regs r;

    if (ioctl(v->fd, KVM_GET_REGS, &r) == 0) {
        fprintf(f, "; rip 0x%llx IF %d", (unsigned long long)r.rip, (r.rflags & IF_MASK) != 0);
    }
}

void kvm_arch_handle_io(CPUState *cs, KVMArchVCPU *v)
{
    CPUX86State *env = cpu_env(cs);
    struct kvm_run *run = v->run;
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    unsigned size = run->io.size;

    /* helper_in/helper_out: TCG's own port path, machine lock included */
    for (uint32_t i = 0; i < run->io.count; i++, data += size) {
        if (run->io.direction == KVM_EXIT_IO_OUT) {
            uint64_t val = 0;
            memcpy(&val, data, size);
            helper_out(env, run->io.port, val, size);
        } else {
            uint64_t val = helper_in(env, run->io.port, size);
            memcpy(data, &val, size);
        }
    }
}
