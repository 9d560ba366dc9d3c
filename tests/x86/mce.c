// tern-kvm: allow mcg/* KVM runs the machine-check MSRs itself (KVM_X86_SETUP_MCE): MCG_CAP and MCG_STATUS are KVM's
// tern-kvm: allow banks/* KVM runs the machine-check MSRs itself: MCi_CTL writes follow KVM's rules
/*
 * mce.c: the machine-check architecture's MSRs (target-x86/msr_helper.c;
 * SDM vol. 3 §15.3), as QEMU's default model has them.
 *   - CPUID.1:EDX announces MCE (7) and MCA (14); CR4.MCE can be set;
 *   - IA32_MCG_CAP (0x179) reads 10 banks, MCG_CTL_P and MCG_SER_P, no
 *     CMCI, and is read-only;
 *   - reset: MCG_STATUS 0, MCG_CTL and every MCi_CTL all ones, MCi_STATUS,
 *     ADDR, MISC 0;
 *   - MCG_STATUS keeps RIPV/EIPV/MCIP, #GP for bit 3 and above; MCG_CTL
 *     and MCi_CTL take all zeros or all ones, #GP otherwise; MCi_STATUS
 *     takes only 0; MCi_ADDR and MCi_MISC read back any value;
 *   - #GP(0) for the MSR past the last bank (0x428) and for MC0_CTL2
 *     (0x280: no CMCI); a faulting write changes nothing.
 * Natively: the CPUID bits (the MSRs need ring 0).
 */
#include "tern.h"

#define MCE_BANKS 10

#ifndef TERN_NATIVE
#define MSR_MCG_CAP    0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MCG_CTL    0x17b
#define MSR_MC0_CTL2   0x280
#define MSR_MC_CTL(b)    (0x400 + 4 * (b))
#define MSR_MC_STATUS(b) (0x401 + 4 * (b))
#define MSR_MC_ADDR(b)   (0x402 + 4 * (b))
#define MSR_MC_MISC(b)   (0x403 + 4 * (b))
#define MCG_CAP_WANT   (MCE_BANKS | (1ull << 8) | (1ull << 24))   /* count, CTL_P, SER_P */
#define CR4_MCE        (1ul << 6)

/* Readable and holding want */
static int reads(uint32_t idx, uint64_t want)
{
    uint64_t v;

    return tern_rdmsr_catch(idx, &v) == -1 && v == want;
}

/* The write succeeds and reads back */
static int takes(uint32_t idx, uint64_t v)
{
    return tern_wrmsr_catch(idx, v) == -1 && reads(idx, v);
}

static void test_global(void)
{
    test_group("mcg");
    CHECK_NAMED("cap", reads(MSR_MCG_CAP, MCG_CAP_WANT));
    CHECK_NAMED("cap-read-only", tern_wrmsr_refused(MSR_MCG_CAP, MCG_CAP_WANT));
    CHECK_NAMED("status-reset", reads(MSR_MCG_STATUS, 0));
    CHECK_NAMED("status-ripv-eipv-mcip", takes(MSR_MCG_STATUS, 7));
    CHECK_NAMED("status-bit3", tern_wrmsr_refused(MSR_MCG_STATUS, 8));
    CHECK_NAMED("status-bit63", tern_wrmsr_refused(MSR_MCG_STATUS, 1ull << 63));
    CHECK_NAMED("status-clear", takes(MSR_MCG_STATUS, 0));
    CHECK_NAMED("ctl-reset", reads(MSR_MCG_CTL, ~0ull));
    CHECK_NAMED("ctl-zeros", takes(MSR_MCG_CTL, 0));
    CHECK_NAMED("ctl-partial", tern_wrmsr_refused(MSR_MCG_CTL, 1));
    CHECK_NAMED("ctl-ones", takes(MSR_MCG_CTL, ~0ull));
    CHECK_NAMED("ctl-partial-high", tern_wrmsr_refused(MSR_MCG_CTL, ~0ull >> 1));
}

static void test_banks(void)
{
    int reset = 1, ctl = 1, status = 1, addr = 1, misc = 1;

    test_group("banks");
    for (unsigned b = 0; b < MCE_BANKS; b++) {
        reset &= reads(MSR_MC_CTL(b), ~0ull) && reads(MSR_MC_STATUS(b), 0) &&
                 reads(MSR_MC_ADDR(b), 0) && reads(MSR_MC_MISC(b), 0);
        ctl &= takes(MSR_MC_CTL(b), 0) && tern_wrmsr_refused(MSR_MC_CTL(b), 0x400) &&
               takes(MSR_MC_CTL(b), ~0ull) && tern_wrmsr_refused(MSR_MC_CTL(b), ~1ull);
        status &= takes(MSR_MC_STATUS(b), 0) && tern_wrmsr_refused(MSR_MC_STATUS(b), 1ull << 63) &&
                  tern_wrmsr_refused(MSR_MC_STATUS(b), 1);
        addr &= takes(MSR_MC_ADDR(b), 0x12345678000ull + b) && takes(MSR_MC_ADDR(b), 0);
        misc &= takes(MSR_MC_MISC(b), 0x86ull << 56 | b) && takes(MSR_MC_MISC(b), 0);
    }
    CHECK_NAMED("reset", reset);
    CHECK_NAMED("ctl-zeros-or-ones", ctl);
    CHECK_NAMED("status-only-cleared", status);
    CHECK_NAMED("addr-any", addr);
    CHECK_NAMED("misc-any", misc);
}

static void test_gp(void)
{
    uint64_t v;

    test_group("gp");
    CHECK_EQ_NAMED("past-last-bank-read", tern_rdmsr_catch(MSR_MC_CTL(MCE_BANKS), &v), 13);
    CHECK_EQ_NAMED("past-last-bank-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("past-last-bank-write", tern_wrmsr_catch(MSR_MC_CTL(MCE_BANKS), 0), 13);
    CHECK_EQ_NAMED("ctl2-no-cmci-read", tern_rdmsr_catch(MSR_MC0_CTL2, &v), 13);
    CHECK_EQ_NAMED("ctl2-no-cmci-write", tern_wrmsr_catch(MSR_MC0_CTL2, 0), 13);
}

static void test_cr4(void)
{
    unsigned long cr4 = read_cr(4);

    test_group("cr4");
    write_cr(4, cr4 | CR4_MCE);
    CHECK_NAMED("mce-set", read_cr(4) & CR4_MCE);
    write_cr(4, cr4 & ~CR4_MCE);
    CHECK_NAMED("mce-clear", !(read_cr(4) & CR4_MCE));
    write_cr(4, cr4);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    uint32_t r[4];

    (void)bi;
    test_group("cpuid");
    tern_cpuid(1, 0, r);
    CHECK_EQ_NAMED("mce", (r[3] >> 7) & 1, 1);
    CHECK_EQ_NAMED("mca", (r[3] >> 14) & 1, 1);
#ifndef TERN_NATIVE
    idt_install();
    test_global();
    test_banks();
    test_gp();
    test_cr4();
#endif
    test_done();
}
