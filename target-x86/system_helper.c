/*
 * system_helper.c: MOV to the control registers, CLTS and INVLPG, called
 * from translate-system.c (which checks CPL 0 and #UD for CR1, CR5-CR7,
 * CR9-CR15 at translation and ends the block after a write, so that the
 * mode bits it changes apply from the next instruction).
 *
 * A write checks the whole value before changing anything (#GP(0)), then
 * updates the register, EFER.LMA when CR0.PG switches long mode on or off,
 * the hflags (x86_update_hflags) and flushes the TLB as the SDM requires
 * (vol. 3 §4.10.4.1): CR3 every entry but the global pages'
 * (tlb_flush_nonglobal); CR0 when PG, PE or WP changes; CR4 when PGE,
 * PAE, PSE, SMEP, SMAP, LA57, PCIDE or PKE changes (the TLB holds rights
 * computed with them), globals included.  When PAE paging is in use after
 * a MOV to CR3, or after a MOV to CR0/CR4 that changes CD, NW, PG, PAE, PGE,
 * PSE or SMEP, the four PDPTEs are loaded into env->pdptrs (§4.4.1): a
 * present one with reserved bits set makes the MOV #GP(0), nothing changed.
 * Rules, SDM vol. 3 §2.5 and MOV CR:
 *   CR0  bits 63:32 #GP; the other reserved bits are ignored (read as 0);
 *        ET reads 1; PG without PE, NW without CD: #GP; setting PG with
 *        EFER.LME activates long mode (#GP without CR4.PAE or with a
 *        64-bit CS), clearing it in 64-bit mode is #GP and in
 *        compatibility mode leaves long mode.
 *   CR3  bits above MAXPHYADDR (40) #GP; with CR4.PCIDE bits 11:0 are the
 *        PCID and bit 63 (not stored) asks to keep the TLB: tern's TLB
 *        holds the current PCID's entries only (and the global ones), so
 *        it keeps them when the PCID stays the same and flushes the
 *        non-global ones when it changes (hardware may always flush more).
 *   CR4  a bit the CPU model does not support (x86_cr4_reserved_bits, from
 *        CPUID) #GP; clearing PAE in long mode #GP; setting PCIDE outside
 *        long mode or with CR3[11:0] != 0 #GP.  Clearing CR0.PG while
 *        CR4.PCIDE = 1 #GP.
 * INVPCID (SDM vol. 2): type 0 flushes the page (every PCID), 1 and 3 the
 * non-global entries (tern holds no other PCID's), 2 everything.
 *   CR8  the task priority: bits 63:4 #GP.
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "sysemu/runstate.h"
#include "exec/replay.h"

/* CR0 bits tern keeps; the others read as 0 (writes ignored). */
#define CR0_DEFINED (CR0_PE_MASK | CR0_MP_MASK | CR0_EM_MASK | CR0_TS_MASK | CR0_ET_MASK | \
                     CR0_NE_MASK | CR0_WP_MASK | CR0_AM_MASK | CR0_NW_MASK | CR0_CD_MASK | \
                     CR0_PG_MASK)

/* CR4 bits whose change makes cached translations wrong. */
#define CR4_TLB_BITS (CR4_PGE_MASK | CR4_PAE_MASK | CR4_PSE_MASK | CR4_SMEP_MASK | \
                      CR4_SMAP_MASK | CR4_LA57_MASK | CR4_PCIDE_MASK | CR4_PKE_MASK)
/* CR0 and CR4 bits whose change reloads the PDPTEs under PAE paging */
#define CR0_PDPTE_BITS (CR0_PG_MASK | CR0_CD_MASK | CR0_NW_MASK)
#define CR4_PDPTE_BITS (CR4_PAE_MASK | CR4_PGE_MASK | CR4_PSE_MASK | CR4_SMEP_MASK)

/* Load the PDPTEs if cr0/cr4/efer select PAE paging; #GP(0) on reserved bits. */
static void sys_load_pdptrs(CPUX86State *env, uint64_t cr0, uint64_t cr3, uint64_t cr4,
                            uint64_t efer, uintptr_t ra)
{
    uint64_t pdptrs[4];

    if (!(cr0 & CR0_PG_MASK) || !(cr4 & CR4_PAE_MASK) || (efer & EFER_LMA)) {
        return;
    }
    if (!x86_cpu_read_pdptrs(env, cr3, pdptrs)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    memcpy(env->pdptrs, pdptrs, sizeof(pdptrs));
}

uint64_t x86_cr4_reserved_bits(const CPUX86State *env)
{
    uint64_t ok = CR4_PCE_MASK;   /* RDPMC at CPL > 0: no feature bit; RDPMC is #UD anyway */
    uint32_t f1d = env->cpuid_features, f1c = env->cpuid_ext_features;
    uint32_t f7b = env->cpuid_7_0_ebx, f7c = env->cpuid_7_0_ecx;

    ok |= (f1d & (1u << 1)) ? CR4_VME_MASK | CR4_PVI_MASK : 0;
    ok |= (f1d & (1u << 4)) ? CR4_TSD_MASK : 0;
    ok |= (f1d & (1u << 2)) ? CR4_DE_MASK : 0;
    ok |= (f1d & (1u << 3)) ? CR4_PSE_MASK : 0;
    ok |= (f1d & (1u << 6)) ? CR4_PAE_MASK : 0;
    ok |= (f1d & (1u << 7)) ? CR4_MCE_MASK : 0;
    ok |= (f1d & (1u << 13)) ? CR4_PGE_MASK : 0;
    ok |= (f1d & (1u << 24)) ? CR4_OSFXSR_MASK : 0;
    ok |= (f1d & (1u << 25)) ? CR4_OSXMMEXCPT_MASK : 0;
    ok |= (f1c & (1u << 5)) ? CR4_VMXE_MASK : 0;
    ok |= (f1c & (1u << 6)) ? CR4_SMXE_MASK : 0;
    ok |= (f1c & (1u << 17)) ? CR4_PCIDE_MASK : 0;
    ok |= (f1c & (1u << 26)) ? CR4_OSXSAVE_MASK : 0;
    ok |= (f7b & (1u << 0)) ? CR4_FSGSBASE_MASK : 0;
    ok |= (f7b & (1u << 7)) ? CR4_SMEP_MASK : 0;
    ok |= (f7b & (1u << 20)) ? CR4_SMAP_MASK : 0;
    ok |= (f7c & (1u << 2)) ? CR4_UMIP_MASK : 0;
    ok |= (f7c & (1u << 3)) ? CR4_PKE_MASK : 0;
    ok |= (f7c & (1u << 16)) ? CR4_LA57_MASK : 0;
    return ~ok;
}

static void sys_write_cr0(CPUX86State *env, uint64_t val, uintptr_t ra)
{
    uint64_t old = env->cr[0];
    uint64_t efer = env->efer;

    if (val >> 32) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    val = (val & CR0_DEFINED) | CR0_ET_MASK;
    if (((val & CR0_PG_MASK) && !(val & CR0_PE_MASK)) ||
        ((val & CR0_NW_MASK) && !(val & CR0_CD_MASK))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!(old & CR0_PG_MASK) && (val & CR0_PG_MASK) && (efer & EFER_LME)) {
        /* activating long mode: PAE paging, from code that is not 64-bit */
        if (!(env->cr[4] & CR4_PAE_MASK) || (env->segs[R_CS].flags & DESC_L_MASK)) {
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        efer |= EFER_LMA;
    } else if ((old & CR0_PG_MASK) && !(val & CR0_PG_MASK) && (efer & EFER_LMA)) {
        /* leaving long mode: only from compatibility mode */
        if ((env->hflags & HF_CS64_MASK) || (env->cr[4] & CR4_PCIDE_MASK)) {
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        efer &= ~(uint64_t)EFER_LMA;
    }
    if ((old ^ val) & CR0_PDPTE_BITS) {
        sys_load_pdptrs(env, val, env->cr[3], env->cr[4], efer, ra);
    }
    env->cr[0] = val;
    env->efer = efer;
    x86_update_hflags(env);
    if ((old ^ val) & (CR0_PG_MASK | CR0_PE_MASK | CR0_WP_MASK)) {
        tlb_flush(env_cpu(env));
    }
}

static void sys_write_cr4(CPUX86State *env, uint64_t val, uintptr_t ra)
{
    uint64_t old = env->cr[4];

    if (val & x86_cr4_reserved_bits(env)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if ((env->efer & EFER_LMA) && (!(val & CR4_PAE_MASK) || ((old ^ val) & CR4_LA57_MASK))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if ((val & ~old & CR4_PCIDE_MASK) && (!(env->efer & EFER_LMA) || (env->cr[3] & 0xfff))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if ((old ^ val) & CR4_PDPTE_BITS) {
        sys_load_pdptrs(env, env->cr[0], env->cr[3], val, env->efer, ra);
    }
    env->cr[4] = val;
    x86_update_hflags(env);
    if ((old ^ val) & CR4_TLB_BITS) {
        tlb_flush(env_cpu(env));
    }
}

static void sys_write_cr3(CPUX86State *env, uint64_t val, uintptr_t ra)
{
    bool keep = false;
    uint64_t old = env->cr[3];

    if (env->cr[4] & CR4_PCIDE_MASK) {
        keep = val >> 63;
        val &= ~(1ull << 63);
    }
    if (val >> X86_PHYS_ADDR_BITS) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    sys_load_pdptrs(env, env->cr[0], val, env->cr[4], env->efer, ra);
    env->cr[3] = val;
    if (!keep || ((old ^ val) & 0xfff)) {
        tlb_flush_nonglobal(env_cpu(env));
    }
}

/* A task switch's CR3 load (task_helper.c), with MOV to CR3's checks and flush. */
void x86_write_cr3(CPUX86State *env, uint64_t val, uintptr_t ra)
{
    sys_write_cr3(env, val, ra);
}

void helper_write_cr(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();

    switch (reg) {
    case 0:
        sys_write_cr0(env, val, ra);
        break;
    case 2:
        env->cr[2] = val;
        break;
    case 3:
        sys_write_cr3(env, val, ra);
        break;
    case 4:
        sys_write_cr4(env, val, ra);
        break;
    case 8:
        if (val & ~0xfull) {
            raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        if (env->apic_ops) {
            bql_lock();
            env->apic_ops->set_cr8(env->apic, val);    /* TPR[7:4] */
            bql_unlock();
        } else {
            env->cr8 = val;
        }
        break;
    default:
        assert(!"CR number checked at translation");
    }
}

/* MOV from CR8: the local APIC's TPR[7:4] */
uint64_t helper_read_cr8(CPUX86State *env)
{
    uint64_t v;

    if (!env->apic_ops) {
        return replay_value(REPLAY_CR8, NULL, 0, 8, env->cr8);
    }
    bql_lock();
    v = env->apic_ops->get_cr8(env->apic);
    bql_unlock();
    return replay_value(REPLAY_CR8, NULL, 0, 8, v);
}

void helper_clts(CPUX86State *env)
{
    env->cr[0] &= ~(uint64_t)CR0_TS_MASK;
    x86_update_hflags(env);
}

/* The linear address's page leaves the TLB (a non-canonical one is a no-op). */
void helper_invlpg(CPUX86State *env, uint64_t addr)
{
    tlb_flush_page(env_cpu(env), addr);
}

void helper_invpcid(CPUX86State *env, uint64_t type, uint64_t addr)
{
    uintptr_t ra = GETPC();
    int mmu_idx = x86_cpu_mmu_index(env);
    uint64_t pcid, la;

    if (type > 3) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    pcid = cpu_ld_data_ra(env_cpu(env), addr, MO_64, mmu_idx, ra);
    la = cpu_ld_data_ra(env_cpu(env), addr + 8, MO_64, mmu_idx, ra);
    if ((pcid >> 12) || (type <= 1 && pcid && !(env->cr[4] & CR4_PCIDE_MASK)) ||
        (type == 0 && !x86_base_canonical(env, la))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    switch (type) {
    case 0:
        tlb_flush_page(env_cpu(env), la);
        break;
    case 2:
        tlb_flush(env_cpu(env));
        break;
    default:
        tlb_flush_nonglobal(env_cpu(env));
        break;
    }
}

void helper_write_segbase(CPUX86State *env, uint32_t seg, uint64_t base)
{
    if (!x86_base_canonical(env, base)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->segs[seg].base = base;
}
