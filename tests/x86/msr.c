// tern-kvm: allow cpuid/* the host's KVM does not offer SPEC_CTRL/STIBP/SSBD (KVM_GET_SUPPORTED_CPUID)
// tern-kvm: allow reset/* KVM owns these MSRs: SPEC_CTRL absent, ARCH_CAPABILITIES is the host's
// tern-kvm: allow round-trip/* KVM owns these MSRs (SPEC_CTRL absent, MISC_ENABLE's bits)
// tern-kvm: allow tsc/* the TSC is the host's, run by KVM
// tern-kvm: allow gp/spec-ctrl-bit3 no SPEC_CTRL under this KVM
// tern-kvm: allow gp/pred-cmd-ibpb no PRED_CMD under this KVM
// tern-nested: allow gp/* QEMU 7.2 TCG (the nested CPU) does not #GP on non-canonical or reserved values written to MSRs KVM passes through
/*
 * msr.c: RDMSR and WRMSR (target-x86/msr_helper.c).
 *   - CPUID announces MSR, MTRR, PAT (leaf 1 EDX 5, 12, 16) and, guest
 *     only, ARCH_CAPABILITIES, SPEC_CTRL, STIBP, SSBD (leaf 7 EDX);
 *   - reset values: PAT, APIC_BASE (BSP, enabled, 0xfee00000), MISC_ENABLE
 *     (fast strings), MTRRcap (8 variable ranges, fixed, WC), MTRRdefType,
 *     EFER as the boot leaves it, TSC_ADJUST, TSC_AUX, SPEC_CTRL;
 *   - every writable MSR reads back what was written; FS_BASE and GS_BASE
 *     are the segment bases, KERNEL_GS_BASE is what SWAPGS exchanges;
 *   - #GP(0) for reserved bits, non-canonical addresses, bad memory types,
 *     writes of read-only MSRs, reads of PRED_CMD, unknown MSRs, a change
 *     of EFER.LME with paging on, and at CPL 3; a faulting write changes
 *     nothing; a write's EFER.LMA is ignored;
 *   - writing the TSC moves RDTSC and TSC_ADJUST by the same amount,
 *     writing TSC_ADJUST moves RDTSC; TSC_AUX is RDTSCP's ECX.
 * Natively: the CPUID bits and RDTSCP after RDTSC (the MSRs need ring 0).
 */
#include "tern.h"

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t rdtscp(uint32_t *aux)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
    return (uint64_t)hi << 32 | lo;
}

#ifndef TERN_NATIVE
#define MSR_TSC            0x10
#define MSR_APIC_BASE      0x1b
#define MSR_TSC_ADJUST     0x3b
#define MSR_SPEC_CTRL      0x48
#define MSR_PRED_CMD       0x49
#define MSR_MTRRCAP        0xfe
#define MSR_ARCH_CAP       0x10a
#define MSR_PLATFORM_ID    0x17
#define MSR_MISC_ENABLE    0x1a0
#define MSR_MTRR_PHYSBASE0 0x200
#define MSR_MTRR_FIX64K    0x250
#define MSR_MTRR_FIX4K_F8  0x26f
#define MSR_PAT            0x277
#define MSR_MTRR_DEF_TYPE  0x2ff
#define MSR_CSTAR          0xc0000083u
#define MSR_FS_BASE        0xc0000100u
#define MSR_GS_BASE        0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define MSR_TSC_AUX        0xc0000103u

/* not canonical at 48 or 57 bits (max has la57: MSRs take 57-bit values) */
#define NONCANON 0x0100000000000000ull

FAULT_FN(swapgs_fn, "swapgs");

static uint64_t rdv(uint32_t idx)
{
    uint64_t v;

    CHECK_EQ_NAMED("rdmsr-ok", tern_rdmsr_catch(idx, &v), -1);
    return v;
}

/* Write, read back, restore */
static int round_trip(uint32_t idx, uint64_t v)
{
    uint64_t old = rdv(idx), got;
    int ok = tern_wrmsr_catch(idx, v) == -1 && tern_rdmsr_catch(idx, &got) == -1 && got == v;

    tern_wrmsr_catch(idx, old);
    return ok;
}

static void test_reset(void)
{
    test_group("reset");
    CHECK_EQ_NAMED("pat", rdv(MSR_PAT), 0x0007040600070406ull);
    CHECK_EQ_NAMED("apic-base", rdv(MSR_APIC_BASE), 0xfee00900ull);
    CHECK_EQ_NAMED("misc-enable", rdv(MSR_MISC_ENABLE), 1);
    CHECK_EQ_NAMED("mtrrcap", rdv(MSR_MTRRCAP), 0x508);
    CHECK_EQ_NAMED("mtrr-def-type", rdv(MSR_MTRR_DEF_TYPE), 0);
    CHECK_EQ_NAMED("mtrr-physbase0", rdv(MSR_MTRR_PHYSBASE0), 0);
    CHECK_EQ_NAMED("efer", rdv(MSR_EFER), 0xd00);          /* LME LMA NXE (docs/boot.md) */
    CHECK_EQ_NAMED("tsc-adjust", rdv(MSR_TSC_ADJUST), 0);
    CHECK_EQ_NAMED("tsc-aux", rdv(MSR_TSC_AUX), 0);
    CHECK_EQ_NAMED("spec-ctrl", rdv(MSR_SPEC_CTRL), 0);
    CHECK_EQ_NAMED("sysenter-cs", rdv(MSR_SYSENTER_CS), 0);
    /* RDCL_NO IBRS_ALL SKIP_L1DFL SSB_NO MDS_NO PSCHANGE_MC_NO TAA_NO
     * SBDR_SSDP_NO FBSDP_NO PSDP_NO PBRSB_NO GDS_NO RFDS_NO */
    CHECK_EQ_NAMED("arch-capabilities", rdv(MSR_ARCH_CAP), 0xd10e17bull);
    CHECK_EQ_NAMED("platform-id", rdv(MSR_PLATFORM_ID), 0);
}

static void test_round_trip(void)
{
    static const struct { const char *name; uint32_t idx; uint64_t v; } rt[] = {
        { "star", MSR_STAR, 0x0023001000080000ull },
        { "lstar", MSR_LSTAR, 0xffff800012345678ull },
        { "cstar", MSR_CSTAR, 0x00007fff87654321ull },
        { "fmask", MSR_FMASK, 0x47700 },
        { "kernel-gs-base", MSR_KERNEL_GS_BASE, 0xffff888000001000ull },
        { "sysenter-cs", MSR_SYSENTER_CS, 0x38 },
        { "sysenter-esp", MSR_SYSENTER_ESP, 0xffff800000002000ull },
        { "sysenter-eip", MSR_SYSENTER_EIP, 0x0000000000401000ull },
        { "tsc-aux", MSR_TSC_AUX, 0xfedcba98 },
        { "pat", MSR_PAT, 0x0007010600070405ull },
        { "misc-enable", MSR_MISC_ENABLE, 0x850089 },
        { "spec-ctrl", MSR_SPEC_CTRL, 7 },
        { "mtrr-def-type", MSR_MTRR_DEF_TYPE, 0xc06 },
        { "mtrr-physbase0", MSR_MTRR_PHYSBASE0, 0xc0000000ull | 6 },
        { "mtrr-physmask0", MSR_MTRR_PHYSBASE0 + 1, 0xffc0000800ull },
        { "mtrr-physmask7", MSR_MTRR_PHYSBASE0 + 15, 0xff00000800ull },
        { "mtrr-fix64k", MSR_MTRR_FIX64K, 0x0606060606060606ull },
        { "mtrr-fix4k-f8000", MSR_MTRR_FIX4K_F8, 0x0500010400050600ull },
        { "apic-base", MSR_APIC_BASE, 0xfec00900ull },
    };

    test_group("round-trip");
    for (unsigned i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
        CHECK_NAMED(rt[i].name, round_trip(rt[i].idx, rt[i].v));
    }
}

static void test_bases(void)
{
    static uint64_t area[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };
    uint64_t v, gs_old = rdv(MSR_GS_BASE), k_old = rdv(MSR_KERNEL_GS_BASE);

    test_group("segment-bases");
    CHECK_EQ_NAMED("fs-write", tern_wrmsr_catch(MSR_FS_BASE, (uint64_t)(uintptr_t)area), -1);
    __asm__ volatile("mov %%fs:8, %0" : "=r"(v));
    CHECK_EQ_NAMED("fs-access", v, 0x2222);
    CHECK_EQ_NAMED("fs-read", rdv(MSR_FS_BASE), (uint64_t)(uintptr_t)area);
    CHECK_EQ_NAMED("kgs-write", tern_wrmsr_catch(MSR_KERNEL_GS_BASE, (uint64_t)(uintptr_t)&area[2]), -1);
    CHECK_EQ_NAMED("swapgs", tern_catch_fault(swapgs_fn), -1);
    __asm__ volatile("mov %%gs:0, %0" : "=r"(v));
    CHECK_EQ_NAMED("gs-access", v, 0x3333);
    CHECK_EQ_NAMED("gs-is-old-kgs", rdv(MSR_GS_BASE), (uint64_t)(uintptr_t)&area[2]);
    CHECK_EQ_NAMED("kgs-is-old-gs", rdv(MSR_KERNEL_GS_BASE), gs_old);
    tern_wrmsr_catch(MSR_FS_BASE, 0);
    tern_wrmsr_catch(MSR_GS_BASE, gs_old);
    tern_wrmsr_catch(MSR_KERNEL_GS_BASE, k_old);
}

static void test_gp(void)
{
    uint64_t v;

    test_group("gp");
    CHECK_NAMED("lstar-noncanonical", tern_wrmsr_refused(MSR_LSTAR, NONCANON));
    CHECK_NAMED("cstar-noncanonical", tern_wrmsr_refused(MSR_CSTAR, NONCANON));
    CHECK_NAMED("fs-base-noncanonical", tern_wrmsr_refused(MSR_FS_BASE, NONCANON));
    CHECK_NAMED("gs-base-noncanonical", tern_wrmsr_refused(MSR_GS_BASE, 0x8000000000000000ull));
    CHECK_NAMED("kgs-base-noncanonical", tern_wrmsr_refused(MSR_KERNEL_GS_BASE, NONCANON));
    CHECK_NAMED("sysenter-eip-noncanonical", tern_wrmsr_refused(MSR_SYSENTER_EIP, NONCANON));
    CHECK_NAMED("sysenter-esp-noncanonical", tern_wrmsr_refused(MSR_SYSENTER_ESP, NONCANON));
    CHECK_NAMED("fmask-bit32", tern_wrmsr_refused(MSR_FMASK, 1ull << 32));
    CHECK_NAMED("tsc-aux-bit32", tern_wrmsr_refused(MSR_TSC_AUX, 1ull << 32));
    CHECK_NAMED("pat-type2", tern_wrmsr_refused(MSR_PAT, 0x0007040600070402ull));
    CHECK_NAMED("pat-type8", tern_wrmsr_refused(MSR_PAT, 0x0807040600070406ull));
    CHECK_NAMED("mtrr-def-bit12", tern_wrmsr_refused(MSR_MTRR_DEF_TYPE, 0x1006));
    CHECK_NAMED("mtrr-def-type7", tern_wrmsr_refused(MSR_MTRR_DEF_TYPE, 0x807));
    CHECK_NAMED("mtrr-base-bit8", tern_wrmsr_refused(MSR_MTRR_PHYSBASE0, 0x100));
    CHECK_NAMED("mtrr-base-maxphyaddr", tern_wrmsr_refused(MSR_MTRR_PHYSBASE0, 1ull << 40));
    CHECK_NAMED("mtrr-mask-bit0", tern_wrmsr_refused(MSR_MTRR_PHYSBASE0 + 1, 0x801));
    CHECK_NAMED("mtrr-fixed-uc-minus", tern_wrmsr_refused(MSR_MTRR_FIX64K, 0x07));
    CHECK_NAMED("apic-base-extd-without-en", tern_wrmsr_refused(MSR_APIC_BASE, 0xfee00500ull));
    CHECK_NAMED("apic-base-maxphyaddr", tern_wrmsr_refused(MSR_APIC_BASE, (1ull << 40) | 0xfee00900ull));
    CHECK_NAMED("spec-ctrl-bit3", tern_wrmsr_refused(MSR_SPEC_CTRL, 8));
    CHECK_NAMED("sysenter-cs-bit32", tern_wrmsr_refused(MSR_SYSENTER_CS, 1ull << 32));
    CHECK_NAMED("mtrrcap-read-only", tern_wrmsr_refused(MSR_MTRRCAP, 0x508));
    CHECK_NAMED("arch-cap-read-only", tern_wrmsr_refused(MSR_ARCH_CAP, 0));
    CHECK_NAMED("platform-id-read-only", tern_wrmsr_refused(MSR_PLATFORM_ID, 0));
    CHECK_EQ_NAMED("pred-cmd-ibpb", tern_wrmsr_catch(MSR_PRED_CMD, 1), -1);
    CHECK_EQ_NAMED("pred-cmd-bit1", tern_wrmsr_catch(MSR_PRED_CMD, 2), 13);
    CHECK_EQ_NAMED("pred-cmd-read", tern_rdmsr_catch(MSR_PRED_CMD, &v), 13);
    CHECK_EQ_NAMED("unknown-read", tern_rdmsr_catch(0x12345678, &v), 13);
    CHECK_EQ_NAMED("unknown-read-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("unknown-write", tern_wrmsr_catch(0xc0001234u, 0), 13);
    CHECK_EQ_NAMED("unknown-between-rows", tern_rdmsr_catch(0x201 + 16, &v), 13);   /* past PHYSMASK7 */
}

static void test_efer(void)
{
    uint64_t efer = rdv(MSR_EFER);

    test_group("efer");
    CHECK_NAMED("sce", round_trip(MSR_EFER, efer | 1));
    CHECK_NAMED("reserved-bit1", tern_wrmsr_refused(MSR_EFER, efer | 2));
    CHECK_NAMED("reserved-bit63", tern_wrmsr_refused(MSR_EFER, efer | (1ull << 63)));
    CHECK_NAMED("lme-clear-paging", tern_wrmsr_refused(MSR_EFER, efer & ~0x100ull));
    /* LMA is the processor's: writing it clear changes nothing */
    CHECK_EQ_NAMED("lma-ignored", tern_wrmsr_catch(MSR_EFER, efer & ~0x400ull), -1);
    CHECK_EQ_NAMED("lma-kept", rdv(MSR_EFER), efer);
    tern_wrmsr_catch(MSR_EFER, efer);
}

static void test_tsc(void)
{
    const uint64_t target = 1ull << 50, slack = 20000000000ull;   /* 10 s at 2 GHz */
    uint64_t t0, t1, adj, adj2;
    uint32_t aux;

    test_group("tsc");
    t0 = rdtsc();
    CHECK_EQ_NAMED("write-tsc", tern_wrmsr_catch(MSR_TSC, target), -1);
    t1 = rdtsc();
    CHECK_NAMED("rdtsc-follows", t1 >= target && t1 - target < slack);
    CHECK_NAMED("rdmsr-tsc", rdv(MSR_TSC) - target < slack);
    adj = rdv(MSR_TSC_ADJUST);
    /* TSC_ADJUST moved by what the write added: target - (TSC at the write) */
    CHECK_NAMED("adjust-follows", (target - t0) - adj < slack);
    CHECK_EQ_NAMED("write-adjust", tern_wrmsr_catch(MSR_TSC_ADJUST, adj + (1ull << 40)), -1);
    adj2 = rdv(MSR_TSC_ADJUST);
    CHECK_EQ_NAMED("adjust-reads-back", adj2, adj + (1ull << 40));
    t1 = rdtsc();
    CHECK_NAMED("rdtsc-moved", t1 - (target + (1ull << 40)) < slack);

    CHECK_EQ_NAMED("write-aux", tern_wrmsr_catch(MSR_TSC_AUX, 0x1234), -1);
    t0 = rdtscp(&aux);
    CHECK_EQ_NAMED("rdtscp-ecx", aux, 0x1234);
    CHECK_NAMED("rdtscp-tsc", t0 >= t1);
    tern_wrmsr_catch(MSR_TSC_AUX, 0);
}

static void test_user(void)
{
    test_group("cpl3");
    tern_msr_idx = MSR_PAT;
    CHECK_EQ_NAMED("rdmsr", tern_run_user(tern_rdmsr_fn, 0), 13);
    CHECK_EQ_NAMED("rdmsr-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("wrmsr", tern_run_user(tern_wrmsr_fn, 0), 13);
    tern_msr_idx = 0x12345678;           /* CPL first: #GP even for an unknown MSR */
    CHECK_EQ_NAMED("rdmsr-unknown", tern_run_user(tern_rdmsr_fn, 0), 13);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    uint32_t r[4], aux;
    uint64_t t0, t1;

    (void)bi;
    test_group("cpuid");
    tern_cpuid(1, 0, r);
    CHECK_EQ_NAMED("msr", (r[3] >> 5) & 1, 1);
    CHECK_EQ_NAMED("mtrr", (r[3] >> 12) & 1, 1);
    CHECK_EQ_NAMED("pat", (r[3] >> 16) & 1, 1);
    t0 = rdtsc();
    t1 = rdtscp(&aux);
    CHECK_NAMED("rdtscp-after-rdtsc", t1 >= t0);
#ifdef TERN_NATIVE
    test_done();
#else
    tern_cpuid(7, 0, r);
    CHECK_EQ_NAMED("spec-ctrl", (r[3] >> 26) & 1, 1);
    CHECK_EQ_NAMED("stibp", (r[3] >> 27) & 1, 1);
    CHECK_EQ_NAMED("arch-capabilities", (r[3] >> 29) & 1, 1);
    CHECK_EQ_NAMED("ssbd", (r[3] >> 31) & 1, 1);
    tern_sys_install();
    test_reset();
    test_round_trip();
    test_bases();
    test_gp();
    test_efer();
    test_tsc();
    test_user();
    test_done();
#endif
}
