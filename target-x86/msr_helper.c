/*
 * msr_helper.c: RDMSR and WRMSR (translate-msr.c checks CPL 0).
 *
 * x86_msrs is the one table of the model-specific registers tern
 * implements: index (and how many consecutive ones, for the MTRR arrays),
 * name, where the value lives in env, the bits a write must leave clear
 * (#GP(0) otherwise), and read/write functions (NULL: the MSR is write-
 * or read-only, #GP(0) the other way).  An index the table lacks is
 * #GP(0), logged under -d unimp.  A write checks the whole value before it
 * changes anything.  Sources: SDM vol. 4 (MSR tables), vol. 3 §2.2.1
 * (EFER), §11.11 (MTRRs), §11.12 (PAT), §15.3 (machine-check MSRs),
 * §17.17.3 (TSC_ADJUST).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "target-x86/internal.h"
#include "target-x86/cpu-models.h"
#include "target-x86/helper.h"
#include "sysemu/runstate.h"
#include "exec/replay.h"

#define MSR_APICBASE_BSP    (1ull << 8)
#define MSR_APICBASE_ENABLE (1ull << 11)
#define APIC_DEFAULT_BASE   0xfee00000ull
#define PAT_RESET           0x0007040600070406ull
#define MISC_ENABLE_FAST_STRINGS 1ull
/* Bits at or above MAXPHYADDR: reserved in physical-address MSRs */
#define PHYS_RSVD           (~0ull << X86_PHYS_ADDR_BITS)

/* MTRRcap: 8 variable ranges (VCNT), fixed ranges (FIX), write combining (WC) */
#define MTRR_VCNT           8
#define MTRRCAP_VALUE       (MTRR_VCNT | (1ull << 8) | (1ull << 10))

/* IA32_ARCH_CAPABILITIES of a CPU without the speculation bugs: RDCL_NO,
 * IBRS_ALL, SKIP_L1DFL_VMENTRY, SSB_NO, MDS_NO, PSCHANGE_MC_NO, TAA_NO,
 * SBDR_SSDP_NO, FBSDP_NO, PSDP_NO, BHI_NO, PBRSB_NO, GDS_NO, RFDS_NO.
 * (Without BHI_NO Linux clears the branch history with a loop of ~30
 * branches on every system call.) */
#define ARCH_CAP_VALUE ((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | \
                        (1ull << 6) | (1ull << 8) | (1ull << 13) | (1ull << 14) |            \
                        (1ull << 15) | (1ull << 20) | (1ull << 24) | (1ull << 26) |          \
                        (1ull << 27))
/* IA32_MCG_CAP: the bank count, MCG_CTL_P (IA32_MCG_CTL exists) and
 * MCG_SER_P (software error recovery), QEMU's default; no CMCI (so no
 * MCi_CTL2), no LMCE.  MCG_STATUS holds RIPV, EIPV, MCIP. */
#define MCG_CTL_P           (1ull << 8)
#define MCG_SER_P           (1ull << 24)
#define MCG_CAP_VALUE       (X86_MCE_BANKS | MCG_CTL_P | MCG_SER_P)
#define MCG_STATUS_BITS     7ull
#define MC_BANK_CTL         0           /* i % 4 of a bank row element */
#define MC_BANK_STATUS      1

/* IA32_SPEC_CTRL: IBRS, STIBP, SSBD; IA32_PRED_CMD: IBPB (CPUID.7.0:EDX 26/27/31) */
#define SPEC_CTRL_BITS      7ull
#define PRED_CMD_IBPB       1ull

typedef struct X86MSR X86MSR;
struct X86MSR {
    uint32_t index;
    uint32_t count;         /* consecutive MSRs sharing the row (0 means 1) */
    const char *name;
    size_t field;           /* offset in env of the value (of element 0) */
    uint64_t rsvd;          /* bits a write must leave clear */
    uint64_t reset;         /* value at reset, for rows with msr_field storage */
    uint64_t (*read)(CPUX86State *env, const X86MSR *m, uint32_t i);
    /* false: #GP(0), nothing changed */
    bool (*write)(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val);
    /* instead of read, for MSRs whose reads can #GP (false) */
    bool (*read_ok)(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t *val);
};

static uint64_t *msr_field(CPUX86State *env, const X86MSR *m, uint32_t i)
{
    return (uint64_t *)((char *)env + m->field) + i;
}

/* ---- read and write functions ------------------------------------------- */

static uint64_t rd_field(CPUX86State *env, const X86MSR *m, uint32_t i)
{
    return *msr_field(env, m, i);
}

static bool wr_field(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    if (val & m->rsvd) {
        return false;
    }
    *msr_field(env, m, i) = val;
    return true;
}

/* A linear address: must be canonical (at the CPU's widest width) */
static bool wr_canonical(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return x86_base_canonical(env, val) && wr_field(env, m, i, val);
}

/* A constant (read-only MSRs): the value is in the reset column */
static uint64_t rd_const(CPUX86State *env, const X86MSR *m, uint32_t i)
{
    (void)env, (void)i;
    return m->reset;
}

/* Writes accepted and dropped (BIOS_SIGN_ID: a microcode update trigger) */
static bool wr_ignore(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    (void)env, (void)m, (void)i, (void)val;
    return true;
}

/* EFER bits the CPU model has: SCE with SYSCALL, LME/LMA with LM, NXE with NX */
static uint64_t efer_valid_bits(const CPUX86State *env)
{
    uint32_t f = env->cpuid_ext2_features;

    return ((f & (1u << 11)) ? EFER_SCE : 0) | ((f & (1u << 29)) ? EFER_LME | EFER_LMA : 0) |
           ((f & (1u << 20)) ? EFER_NXE : 0);
}

/* LMA is the processor's (CR0.PG with LME, system_helper.c): a write's LMA
 * is ignored.  LME cannot change while paging is on. */
static bool wr_efer(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    uint64_t old = env->efer;

    (void)m, (void)i;
    if ((val & ~efer_valid_bits(env)) ||
        ((env->cr[0] & CR0_PG_MASK) && ((val ^ old) & EFER_LME))) {
        return false;
    }
    env->efer = (val & ~(uint64_t)EFER_LMA) | (old & EFER_LMA);
    x86_update_hflags(env);
    if ((old ^ env->efer) & EFER_NXE) {
        tlb_flush(env_cpu(env));        /* the TLB holds rights computed with NX */
    }
    return true;
}

/* TSC: a write sets the offset so that RDTSC continues from val, and moves
 * TSC_ADJUST by the same amount (SDM vol. 3 §17.17.3) */
static uint64_t rd_tsc(CPUX86State *env, const X86MSR *m, uint32_t i)
{
    (void)m, (void)i;
    return x86_tsc_host() + env->tsc_offset;
}

static bool wr_tsc(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    uint64_t host = x86_tsc_host();

    (void)m, (void)i;
    env->tsc_adjust += val - (host + env->tsc_offset);
    env->tsc_offset = val - host;
    return true;
}

/* TSC_ADJUST: a write moves the TSC by the difference */
static bool wr_tsc_adjust(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    (void)m, (void)i;
    env->tsc_offset += val - env->tsc_adjust;
    env->tsc_adjust = val;
    return true;
}

/* APIC_BASE: BSP is read-only; no x2APIC (EXTD reserved) without a local APIC */
static bool wr_apic_base(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return wr_field(env, m, i, (val & ~MSR_APICBASE_BSP) | (env->apic_base & MSR_APICBASE_BSP));
}

/* The local APIC's MSRs (APIC_BASE, x2APIC registers) go to the APIC
 * (hw/intc/apic.c) under the machine lock; without one, APIC_BASE is a
 * stored value and the rest #GP. */
static bool apic_msr(CPUX86State *env, uint32_t index, uint64_t *val, bool write)
{
    bool ok;

    bql_lock();
    ok = write ? env->apic_ops->msr_write(env->apic, index, *val)
               : env->apic_ops->msr_read(env->apic, index, val);
    bql_unlock();
    return ok;
}

static bool rd_apic_ok(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t *val)
{
    if (!env->apic_ops) {
        if (m->index != 0x1b) {
            return false;
        }
        *val = env->apic_base;
        return true;
    }
    return apic_msr(env, m->index + i, val, false);
}

static bool wr_apic(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    if (!env->apic_ops) {
        return m->index == 0x1b && !(val & m->rsvd) && wr_apic_base(env, m, i, val);
    }
    if (!apic_msr(env, m->index + i, &val, true)) {
        return false;
    }
    if (m->index == 0x1b) {
        tlb_flush(env_cpu(env));    /* the xAPIC page may have moved or gone */
    }
    return true;
}

/* TSC_DEADLINE: the APIC arms its timer for the virtual time the TSC
 * reaches the value (misc_insn_helper.c keeps the two consistent) */
static uint64_t rd_tsc_deadline(CPUX86State *env, const X86MSR *m, uint32_t i)
{
    uint64_t val = 0;

    if (env->apic_ops) {
        apic_msr(env, m->index + i, &val, false);
    }
    return val;
}

static bool wr_tsc_deadline(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    (void)m, (void)i;
    if (env->apic_ops) {
        int64_t ns = x86_tsc_to_virtual_ns(env, val);

        bql_lock();
        env->apic_ops->set_tsc_deadline(env->apic, val, val ? ns : 0);
        bql_unlock();
    }
    return true;
}

/* Memory types: PAT allows UC WC WT WP WB UC- (0 1 4 5 6 7), MTRRs
 * the same without UC- */
static bool mem_type_ok(unsigned t, bool pat)
{
    return t == 0 || t == 1 || (t >= 4 && t <= 6) || (pat && t == 7);
}

/* Every byte a memory type (PAT, fixed-range MTRRs) */
static bool types_ok(uint64_t val, bool pat)
{
    for (unsigned b = 0; b < 8; b++) {
        if (!mem_type_ok((val >> (8 * b)) & 0xff, pat)) {
            return false;
        }
    }
    return true;
}

static bool wr_pat(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return types_ok(val, true) && wr_field(env, m, i, val);
}

static bool wr_mtrr_fixed(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return types_ok(val, false) && wr_field(env, m, i, val);
}

/* MTRRdefType: type (7:0), FE (10), E (11) */
static bool wr_mtrr_deftype(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return mem_type_ok(val & 0xff, false) && wr_field(env, m, i, val);
}

/* Variable MTRRs: even index PHYSBASE (type 7:0, base), odd PHYSMASK
 * (valid 11, mask); bits 11:8 / 10:0 and those above MAXPHYADDR reserved */
static bool wr_mtrr_var(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    if (i & 1) {
        if (val & (PHYS_RSVD | 0x7ff)) {
            return false;
        }
    } else if ((val & (PHYS_RSVD | 0xf00)) || !mem_type_ok(val & 0xff, false)) {
        return false;
    }
    return wr_field(env, m, i, val);
}

/* PRED_CMD: write-only; IBPB has nothing to flush */
static bool wr_pred_cmd(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    (void)env, (void)i;
    return !(val & m->rsvd);
}

/* Machine-check MSRs: only with CPUID.1:EDX.MCA, #GP(0) without */
static bool rd_mca_const(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t *val)
{
    if (!x86_feature_enabled(env, X86_FEAT_MCA)) {
        return false;
    }
    *val = rd_const(env, m, i);
    return true;
}

static bool rd_mca_field(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t *val)
{
    if (!x86_feature_enabled(env, X86_FEAT_MCA)) {
        return false;
    }
    *val = rd_field(env, m, i);
    return true;
}

/* MCG_CTL and MCi_CTL take all ones (report every error) or all zeros */
static bool mca_ctl_ok(uint64_t val)
{
    return val == 0 || val == ~0ull;
}

static bool wr_mcg_status(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return x86_feature_enabled(env, X86_FEAT_MCA) && wr_field(env, m, i, val);
}

static bool wr_mcg_ctl(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    return x86_feature_enabled(env, X86_FEAT_MCA) && mca_ctl_ok(val) &&
           wr_field(env, m, i, val);
}

/* Banks: CTL as MCG_CTL; STATUS may only be cleared (writing 1s #GPs, SDM
 * §15.3.2.2; Intel has no MCi_STATUS write enable); ADDR and MISC take any
 * value, as under KVM. */
static bool wr_mc_bank(CPUX86State *env, const X86MSR *m, uint32_t i, uint64_t val)
{
    if (!x86_feature_enabled(env, X86_FEAT_MCA) ||
        (i % 4 == MC_BANK_CTL && !mca_ctl_ok(val)) || (i % 4 == MC_BANK_STATUS && val)) {
        return false;
    }
    return wr_field(env, m, i, val);
}

/* ---- the table ---------------------------------------------------------- */

#define F(member) offsetof(CPUX86State, member)
#define NOF 0

static const X86MSR x86_msrs[] = {
    { 0x10, 0, "IA32_TSC", NOF, 0, 0, rd_tsc, wr_tsc },
    /* read-only; Linux's microcode driver reads it on every CPU */
    { 0x17, 0, "IA32_PLATFORM_ID", NOF, 0, 0, rd_const, NULL },
    { 0x1b, 0, "IA32_APIC_BASE", F(apic_base), PHYS_RSVD | 0x6ff, 0, NULL, wr_apic, rd_apic_ok },
    { 0x3b, 0, "IA32_TSC_ADJUST", F(tsc_adjust), 0, 0, rd_field, wr_tsc_adjust },
    { 0x48, 0, "IA32_SPEC_CTRL", F(spec_ctrl), ~SPEC_CTRL_BITS, 0, rd_field, wr_field },
    { 0x49, 0, "IA32_PRED_CMD", NOF, ~PRED_CMD_IBPB, 0, NULL, wr_pred_cmd },
    { 0x8b, 0, "IA32_BIOS_SIGN_ID", NOF, 0, 0, rd_const, wr_ignore },
    { 0xfe, 0, "IA32_MTRRCAP", NOF, 0, MTRRCAP_VALUE, rd_const, NULL },
    { 0x10a, 0, "IA32_ARCH_CAPABILITIES", NOF, 0, ARCH_CAP_VALUE, rd_const, NULL },
    { 0x174, 0, "IA32_SYSENTER_CS", F(sysenter_cs), ~0xffffffffull, 0, rd_field, wr_field },
    { 0x175, 0, "IA32_SYSENTER_ESP", F(sysenter_esp), 0, 0, rd_field, wr_canonical },
    { 0x176, 0, "IA32_SYSENTER_EIP", F(sysenter_eip), 0, 0, rd_field, wr_canonical },
    { 0x179, 0, "IA32_MCG_CAP", NOF, 0, MCG_CAP_VALUE, NULL, NULL, rd_mca_const },
    { 0x17a, 0, "IA32_MCG_STATUS", F(mcg_status), ~MCG_STATUS_BITS, 0, NULL, wr_mcg_status,
      rd_mca_field },
    { 0x17b, 0, "IA32_MCG_CTL", F(mcg_ctl), 0, 0, NULL, wr_mcg_ctl, rd_mca_field },
    { 0x1a0, 0, "IA32_MISC_ENABLE", F(misc_enable), 0, MISC_ENABLE_FAST_STRINGS,
      rd_field, wr_field },
    { 0x200, 2 * MTRR_VCNT, "IA32_MTRR_PHYSBASE0..PHYSMASK7", F(mtrr_var), 0, 0,
      rd_field, wr_mtrr_var },
    { 0x250, 0, "IA32_MTRR_FIX64K_00000", F(mtrr_fixed[0]), 0, 0, rd_field, wr_mtrr_fixed },
    { 0x258, 2, "IA32_MTRR_FIX16K_80000..A0000", F(mtrr_fixed[1]), 0, 0, rd_field,
      wr_mtrr_fixed },
    { 0x268, 8, "IA32_MTRR_FIX4K_C0000..F8000", F(mtrr_fixed[3]), 0, 0, rd_field,
      wr_mtrr_fixed },
    { 0x277, 0, "IA32_PAT", F(pat), 0, PAT_RESET, rd_field, wr_pat },
    { 0x2ff, 0, "IA32_MTRR_DEF_TYPE", F(mtrr_deftype), ~0xcffull, 0, rd_field,
      wr_mtrr_deftype },
    { 0x400, 4 * X86_MCE_BANKS, "IA32_MC0_CTL..MC9_MISC", F(mce_banks), 0, 0, NULL,
      wr_mc_bank, rd_mca_field },
    { 0x6e0, 0, "IA32_TSC_DEADLINE", NOF, 0, 0, rd_tsc_deadline, wr_tsc_deadline },
    { 0x800, 0x100, "x2APIC registers", NOF, 0, 0, NULL, wr_apic, rd_apic_ok },
    { 0xc0000080u, 0, "IA32_EFER", F(efer), 0, 0, rd_field, wr_efer },
    { 0xc0000081u, 0, "IA32_STAR", F(star), 0, 0, rd_field, wr_field },
    { 0xc0000082u, 0, "IA32_LSTAR", F(lstar), 0, 0, rd_field, wr_canonical },
    { 0xc0000083u, 0, "IA32_CSTAR", F(cstar), 0, 0, rd_field, wr_canonical },
    { 0xc0000084u, 0, "IA32_FMASK", F(fmask), ~0xffffffffull, 0, rd_field, wr_field },
    { 0xc0000100u, 0, "IA32_FS_BASE", F(segs[R_FS].base), 0, 0, rd_field, wr_canonical },
    { 0xc0000101u, 0, "IA32_GS_BASE", F(segs[R_GS].base), 0, 0, rd_field, wr_canonical },
    { 0xc0000102u, 0, "IA32_KERNEL_GS_BASE", F(kernelgsbase), 0, 0, rd_field, wr_canonical },
    { 0xc0000103u, 0, "IA32_TSC_AUX", F(tsc_aux), ~0xffffffffull, 0, rd_field, wr_field },
};

/* The row of MSR index, and the element within it */
static const X86MSR *msr_find(uint32_t index, uint32_t *elem)
{
    for (unsigned n = 0; n < ARRAY_SIZE(x86_msrs); n++) {
        const X86MSR *m = &x86_msrs[n];
        uint32_t count = m->count ? m->count : 1;

        if (index - m->index < count) {
            *elem = index - m->index;
            return m;
        }
    }
    return NULL;
}

void x86_msr_reset(CPUX86State *env)
{
    for (unsigned n = 0; n < ARRAY_SIZE(x86_msrs); n++) {
        const X86MSR *m = &x86_msrs[n];

        if (m->read == rd_field && m->reset) {
            *msr_field(env, m, 0) = m->reset;
        }
    }
    /* every error reported, as QEMU resets them */
    env->mcg_ctl = ~0ull;
    for (unsigned b = 0; b < X86_MCE_BANKS; b++) {
        env->mce_banks[4 * b + MC_BANK_CTL] = ~0ull;
    }
    env->apic_base = APIC_DEFAULT_BASE | MSR_APICBASE_ENABLE |
                     (env_cpu(env)->cpu_index == 0 ? MSR_APICBASE_BSP : 0);
}

/* 0F 32: EDX:EAX = MSR[ECX] */
void helper_rdmsr(CPUX86State *env)
{
    uint32_t index = (uint32_t)env->regs[R_ECX], i;
    const X86MSR *m = msr_find(index, &i);
    uint64_t val = 0;
    bool ok = m && (m->read || (m->read_ok && m->read_ok(env, m, i, &val)));

    if (!m) {
        log_mask(LOG_UNIMP, "rdmsr: unknown MSR 0x%x\n", index);
    }
    /* APIC, TSC: devices and clocks; a replaying CPU takes the recorded
     * outcome and value (exec/replay.h) */
    if (!replay_value(REPLAY_MSR_OK, NULL, index, 1, ok)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    if (ok && m->read) {
        val = m->read(env, m, i);
    }
    val = replay_value(REPLAY_MSR, NULL, index, 8, val);
    env->regs[R_EAX] = (uint32_t)val;
    env->regs[R_EDX] = val >> 32;
}

/* 0F 30: MSR[ECX] = EDX:EAX */
void helper_wrmsr(CPUX86State *env)
{
    uint32_t index = (uint32_t)env->regs[R_ECX], i;
    const X86MSR *m = msr_find(index, &i);
    uint64_t val = (env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_EAX];

    if (!m) {
        log_mask(LOG_UNIMP, "wrmsr: unknown MSR 0x%x = 0x%" PRIx64 "\n", index, val);
    }
    /* a device's MSR (the x2APIC) is written where the device is: a
     * replaying CPU takes the recorded outcome (exec/replay.h) */
    replay_value(REPLAY_MSR_WRITE, NULL, index, 8, val);
    if (!replay_value(REPLAY_MSR_OK, NULL, index, 1, m && m->write && m->write(env, m, i, val))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
}
