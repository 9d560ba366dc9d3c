/*
 * mmu.c: the x86 page walk.
 *
 * x86_mmu_translate() is a pure function of the control registers in env
 * and of a pair of physical "read entry / write entry" callbacks, so the
 * same walker serves three callers:
 *   x86_cpu_tlb_fill             the soft-MMU slow path: entries through
 *                                cs->as, A/D bits written back, faults raised
 *                                (#PF; #GP or #SS for a non-canonical address)
 *   x86_cpu_get_phys_page_debug  debuggers: no write callback, no faults
 *   tests/unit/test-mmu.c        page tables in a plain buffer
 *
 * Modes: paging off (identity), 32-bit (4K and 4M pages, PSE-36), PAE
 * (4K, 2M; its four PDPTEs come from env->pdptrs, the registers MOV to
 * CR0/CR3/CR4 load with x86_mmu_read_pdptrs, as the CPU caches them), 4-level
 * and 5-level long mode (4K, 2M, 1G).  Rights are the
 * AND of R/W and U/S and the OR of XD over all levels (SDM vol.3 §4.6),
 * with CR0.WP, EFER.NXE, CR4.SMEP, CR4.SMAP and CR4.PKE (protection keys:
 * PKRU is folded into the rights entered in the TLB, which WRPKRU
 * flushes).  Accessed bits are set on
 * each entry used, as the walk passes it; the dirty bit on the leaf only
 * for a permitted write.  The TLB gets PAGE_WRITE only once the leaf is
 * dirty, so the first write to a clean page comes back here to set D.
 * A leaf with G set under CR4.PGE is entered with PAGE_GLOBAL, which keeps
 * it across the flush of a CR3 write (tlb_flush_nonglobal).
 *
 * Entries in RAM (the normal case) are read through a host pointer with one
 * memory-API lookup per walk, not per level: the walk keeps the RAM range
 * that held its last entry.  Their A/D bits are set with an atomic OR, so a
 * concurrent change by another vCPU is never lost.  Entries elsewhere (ROM,
 * device memory, unmapped space) go through address_space_ld/st.
 *
 * A20 gate: while env->a20_off is set (x86_cpu_set_a20), bit 20 of every
 * physical address a CPU access forms is cleared: of each entry the walk
 * reads and of the frame entered in the TLB.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "exec/memory.h"
#include "target-x86/internal.h"

/* Paging-structure entry bits */
#define PG_PRESENT_MASK  (1ull << 0)
#define PG_RW_MASK       (1ull << 1)
#define PG_USER_MASK     (1ull << 2)
#define PG_ACCESSED_MASK (1ull << 5)
#define PG_DIRTY_MASK    (1ull << 6)
#define PG_PSE_MASK      (1ull << 7)
#define PG_GLOBAL_MASK   (1ull << 8)
#define PG_NX_MASK       (1ull << 63)

/* Frame address bits of a PAE/long-mode entry, and the ones above
 * MAXPHYADDR that must be zero. */
#define PG_ADDRESS_MASK  (((1ull << X86_PHYS_ADDR_BITS) - 1) & ~0xfffull)
#define PG_HI_RSVD_MASK  (0x000fffffffffffffull & ~((1ull << X86_PHYS_ADDR_BITS) - 1))

#define PAGE_SIZE_4K (1ull << 12)
#define PAGE_SIZE_2M (1ull << 21)
#define PAGE_SIZE_4M (1ull << 22)
#define PAGE_SIZE_1G (1ull << 30)

/* The state of one walk. */
typedef struct X86Walk {
    const CPUX86State *env;
    const X86PTEAccess *pa;
    int access_type;
    int mmu_idx;
    unsigned entry_size;      /* 4 (32-bit paging) or 8 */
    uint64_t rights;          /* AND of RW/USER so far; NX: OR so far */
} X86Walk;

/* Read the entry at paddr (the walk's own accesses obey the A20 gate too). */
static uint64_t mmu_walk_load(X86Walk *w, uint64_t paddr)
{
    uint64_t entry = w->pa->ld(w->pa->opaque, paddr & ~w->env->a20_off, w->entry_size);
    return w->entry_size == 4 ? (uint32_t)entry : entry;
}

/* Set bits in the entry at paddr (which holds *entry) if not yet set. */
static void mmu_walk_set_bits(X86Walk *w, uint64_t paddr, uint64_t *entry, uint64_t bits)
{
    if ((*entry & bits) == bits) {
        return;
    }
    *entry |= bits;
    if (w->pa->st) {
        w->pa->st(w->pa->opaque, paddr & ~w->env->a20_off, *entry, w->entry_size);
    }
}

/* The #PF error code for this access, with the given P/RSVD bits. */
static int mmu_walk_error_code(const X86Walk *w, int bits)
{
    const CPUX86State *env = w->env;
    int code = bits;

    if (w->access_type == MMU_DATA_STORE) {
        code |= PG_ERROR_W_MASK;
    }
    if (w->mmu_idx == MMU_USER_IDX) {
        code |= PG_ERROR_U_MASK;
    }
    /* I/D is reported only where fetches can be refused (SDM §4.7). */
    if (w->access_type == MMU_INST_FETCH &&
        (((env->efer & EFER_NXE) && (env->cr[4] & CR4_PAE_MASK)) ||
         (env->cr[4] & CR4_SMEP_MASK))) {
        code |= PG_ERROR_I_D_MASK;
    }
    return code;
}

static bool mmu_walk_fault(X86Walk *w, X86TranslateResult *out, int bits)
{
    out->exception = EXCP0E_PAGE;
    out->error_code = mmu_walk_error_code(w, bits);
    return false;
}

/*
 * Use one non-leaf or leaf entry: check present and reserved bits, fold its
 * rights in, set its accessed bit (non-leaf only; the leaf's A/D bits are
 * set once the access is known to be permitted).  Returns 0, or the #PF
 * error bits to report.
 */
static int mmu_walk_entry(X86Walk *w, uint64_t paddr, uint64_t *entry, uint64_t rsvd,
                          bool leaf)
{
    if (!(*entry & PG_PRESENT_MASK)) {
        return -1;
    }
    if (*entry & rsvd) {
        return PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK;
    }
    w->rights &= *entry | PG_NX_MASK;
    w->rights |= *entry & PG_NX_MASK;
    if (!leaf) {
        mmu_walk_set_bits(w, paddr, entry, PG_ACCESSED_MASK);
    }
    return 0;
}

/*
 * Protection keys (4- and 5-level paging with CR4.PKE, user pages only):
 * the leaf's bits 62:59 pick two PKRU bits.  AD refuses data accesses, WD
 * writes (supervisor ones only with CR0.WP); fetches are not checked.
 * Returns the PAGE_* rights the key takes away.
 */
static int mmu_walk_pk_denied(const X86Walk *w, uint64_t leaf)
{
    const CPUX86State *env = w->env;
    uint32_t bits = env->pkru >> (((leaf >> 59) & 15) * 2);
    int denied = 0;

    if (!(env->efer & EFER_LMA) || !(env->cr[4] & CR4_PKE_MASK) ||
        !(w->rights & PG_USER_MASK)) {
        return 0;
    }
    if (bits & 1) {
        denied |= PAGE_READ | PAGE_WRITE;
    }
    if ((bits & 2) && (w->mmu_idx == MMU_USER_IDX || (env->cr[0] & CR0_WP_MASK))) {
        denied |= PAGE_WRITE;
    }
    return denied;
}

/*
 * The final step: rights check and A/D update on the leaf entry at
 * leaf_addr, then the result.
 */
static bool mmu_walk_finish(X86Walk *w, uint64_t leaf_addr, uint64_t *leaf, uint64_t frame,
                            uint64_t page_size, uint64_t vaddr, X86TranslateResult *out)
{
    const CPUX86State *env = w->env;
    bool user_page = w->rights & PG_USER_MASK;
    bool writable = w->rights & PG_RW_MASK;
    bool nx = (w->rights & PG_NX_MASK) && (env->efer & EFER_NXE);
    int prot;

    if (w->mmu_idx == MMU_USER_IDX) {
        prot = 0;
        if (user_page) {
            prot = PAGE_READ | (writable ? PAGE_WRITE : 0) | (nx ? 0 : PAGE_EXEC);
        }
    } else {
        prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        if (!writable && (env->cr[0] & CR0_WP_MASK)) {
            prot &= ~PAGE_WRITE;
        }
        if (nx || (user_page && (env->cr[4] & CR4_SMEP_MASK))) {
            prot &= ~PAGE_EXEC;
        }
        if (user_page && w->mmu_idx == MMU_KSMAP_IDX && (env->cr[4] & CR4_SMAP_MASK)) {
            prot &= ~(PAGE_READ | PAGE_WRITE);
        }
    }

    static const int needed[] = {
        [MMU_DATA_LOAD] = PAGE_READ, [MMU_DATA_STORE] = PAGE_WRITE, [MMU_INST_FETCH] = PAGE_EXEC,
    };
    if (!(prot & needed[w->access_type])) {
        return mmu_walk_fault(w, out, PG_ERROR_P_MASK);
    }
    int pk_denied = mmu_walk_pk_denied(w, *leaf);
    if (pk_denied & needed[w->access_type]) {
        return mmu_walk_fault(w, out, PG_ERROR_P_MASK | PG_ERROR_PK_MASK);
    }
    prot &= ~pk_denied;

    if (w->access_type == MMU_DATA_STORE) {
        mmu_walk_set_bits(w, leaf_addr, leaf, PG_ACCESSED_MASK | PG_DIRTY_MASK);
    } else {
        mmu_walk_set_bits(w, leaf_addr, leaf, PG_ACCESSED_MASK);
    }
    if (!(*leaf & PG_DIRTY_MASK)) {
        prot &= ~PAGE_WRITE;
    }
    if ((*leaf & PG_GLOBAL_MASK) && (env->cr[4] & CR4_PGE_MASK)) {
        prot |= PAGE_GLOBAL;
    }

    out->paddr = (frame & ~(page_size - 1)) | (vaddr & (page_size - 1));
    out->page_size = page_size;
    out->prot = prot;
    return true;
}

/* 32-bit paging: CR4.PAE = 0. */
static bool mmu_walk_32(X86Walk *w, uint32_t vaddr, X86TranslateResult *out)
{
    const CPUX86State *env = w->env;
    uint64_t pde_addr, pte_addr, pde, pte;
    int err;

    w->entry_size = 4;
    pde_addr = (env->cr[3] & 0xfffff000u) + ((vaddr >> 22) << 2);
    pde = mmu_walk_load(w, pde_addr);
    if ((pde & PG_PSE_MASK) && (env->cr[4] & CR4_PSE_MASK)) {
        /* 4M page; PSE-36 puts physical bits 39:32 in bits 20:13, bit 21 is reserved. */
        err = mmu_walk_entry(w, pde_addr, &pde, 1u << 21, true);
        if (err) {
            return mmu_walk_fault(w, out, err < 0 ? 0 : err);
        }
        uint64_t frame = (pde & 0xffc00000u) | ((pde & 0x1fe000u) << (32 - 13));
        return mmu_walk_finish(w, pde_addr, &pde, frame, PAGE_SIZE_4M, vaddr, out);
    }
    err = mmu_walk_entry(w, pde_addr, &pde, 0, false);
    if (err) {
        return mmu_walk_fault(w, out, err < 0 ? 0 : err);
    }
    pte_addr = (pde & 0xfffff000u) + (((vaddr >> 12) & 0x3ff) << 2);
    pte = mmu_walk_load(w, pte_addr);
    err = mmu_walk_entry(w, pte_addr, &pte, 0, true);
    if (err) {
        return mmu_walk_fault(w, out, err < 0 ? 0 : err);
    }
    return mmu_walk_finish(w, pte_addr, &pte, pte & 0xfffff000u, PAGE_SIZE_4K, vaddr, out);
}

/*
 * PAE and long-mode paging.  levels: 3 (PAE), 4 or 5.  Each level decodes
 * 9 bits of vaddr (PAE's PDPT: 2 bits); large pages end the walk at the
 * PDPT (1G, long mode only) or the PD (2M).
 */
static bool mmu_walk_pae(X86Walk *w, int levels, uint64_t vaddr, X86TranslateResult *out)
{
    const CPUX86State *env = w->env;
    uint64_t rsvd = PG_HI_RSVD_MASK | ((env->efer & EFER_NXE) ? 0 : PG_NX_MASK);
    uint64_t table, entry_addr, entry;
    int level, err;

    w->entry_size = 8;
    if (levels == 3) {
        /* The PDPTE registers: no rights bits, no accessed bit, reserved
         * bits already refused when they were loaded. */
        entry = env->pdptrs[(vaddr >> 30) & 3];
        if (!(entry & PG_PRESENT_MASK)) {
            return mmu_walk_fault(w, out, 0);
        }
        table = entry & PG_ADDRESS_MASK;
        level = 2;
    } else {
        table = env->cr[3] & PG_ADDRESS_MASK;
        level = levels;
    }

    for (;; level--) {
        int shift = 12 + 9 * (level - 1);
        entry_addr = table + ((vaddr >> shift) & 0x1ff) * 8;
        entry = mmu_walk_load(w, entry_addr);

        if (level == 1) {
            err = mmu_walk_entry(w, entry_addr, &entry, rsvd, true);
            if (err) {
                return mmu_walk_fault(w, out, err < 0 ? 0 : err);
            }
            return mmu_walk_finish(w, entry_addr, &entry, entry & PG_ADDRESS_MASK,
                                   PAGE_SIZE_4K, vaddr, out);
        }
        if (level <= 3 && (entry & PG_PSE_MASK) && (level == 2 || levels > 3)) {
            /* 2M or 1G page: the frame bits below the page size, save PAT (bit 12),
             * are reserved. */
            uint64_t size = level == 2 ? PAGE_SIZE_2M : PAGE_SIZE_1G;
            uint64_t low_rsvd = (size - 1) & ~0x1fffull;
            err = mmu_walk_entry(w, entry_addr, &entry, rsvd | low_rsvd, true);
            if (err) {
                return mmu_walk_fault(w, out, err < 0 ? 0 : err);
            }
            return mmu_walk_finish(w, entry_addr, &entry, entry & PG_ADDRESS_MASK, size,
                                   vaddr, out);
        }
        /* PS is reserved in PML5Es and PML4Es. */
        err = mmu_walk_entry(w, entry_addr, &entry, rsvd | (level >= 4 ? PG_PSE_MASK : 0),
                             false);
        if (err) {
            return mmu_walk_fault(w, out, err < 0 ? 0 : err);
        }
        table = entry & PG_ADDRESS_MASK;
    }
}

/* PAE PDPTEs: bits 2:1, 8:5 and 63:MAXPHYADDR are reserved. */
#define PDPTE_RSVD_MASK (PG_HI_RSVD_MASK | PG_NX_MASK | 0x1e6)

bool x86_mmu_read_pdptrs(const CPUX86State *env, const X86PTEAccess *pa, uint64_t cr3,
                         uint64_t pdptrs[4])
{
    uint64_t table = (cr3 & 0xffffffe0u) & ~env->a20_off;

    for (int i = 0; i < 4; i++) {
        pdptrs[i] = pa->ld(pa->opaque, table + i * 8, 8);
        if ((pdptrs[i] & PG_PRESENT_MASK) && (pdptrs[i] & PDPTE_RSVD_MASK)) {
            return false;
        }
    }
    return true;
}

/* Physical = linear, every right (paging off, or MMU_PHYS_IDX). */
static bool mmu_identity(uint64_t paddr, X86TranslateResult *out)
{
    out->paddr = paddr;
    out->page_size = PAGE_SIZE_4K;
    out->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    return true;
}

bool x86_mmu_translate(const CPUX86State *env, const X86PTEAccess *pa, uint64_t vaddr,
                       int access_type, int mmu_idx, X86TranslateResult *out)
{
    X86Walk w = {
        .env = env, .pa = pa, .access_type = access_type, .mmu_idx = mmu_idx,
        .rights = PG_RW_MASK | PG_USER_MASK,
    };
    bool lma = env->efer & EFER_LMA;

    assert(access_type >= MMU_DATA_LOAD && access_type <= MMU_INST_FETCH);
    out->exception = 0;
    out->error_code = 0;

    if (mmu_idx == MMU_PHYS_IDX) {
        return mmu_identity(vaddr, out);
    }
    if (lma) {
        /* Canonical: the bits above the top translated bit copy it. */
        if (!x86_addr_canonical(env, vaddr)) {
            out->exception = EXCP0D_GPF;
            return false;
        }
    } else {
        vaddr = (uint32_t)vaddr;
    }

    if (!(env->cr[0] & CR0_PG_MASK)) {
        return mmu_identity(vaddr, out);
    }
    if (lma) {
        return mmu_walk_pae(&w, (env->cr[4] & CR4_LA57_MASK) ? 5 : 4, vaddr, out);
    }
    if (env->cr[4] & CR4_PAE_MASK) {
        return mmu_walk_pae(&w, 3, vaddr, out);
    }
    return mmu_walk_32(&w, (uint32_t)vaddr, out);
}

/* ---- physical entry access through the CPU's address space ----------- */

/* The opaque of a walk through an address space. */
typedef struct MMUWalkMem {
    AddressSpace *as;
    FlatRange ram;            /* RAM range of the last entry; size 0: none */
} MMUWalkMem;

/* Host address of the entry at paddr if it lies in RAM and is naturally
 * aligned there (the atomics need it), else NULL. */
static void *mmu_mem_host(MMUWalkMem *m, uint64_t paddr, unsigned size)
{
    FlatRange *fr = &m->ram;

    if (paddr - fr->start >= fr->size || size > fr->size - (paddr - fr->start)) {
        if (!address_space_lookup(m->as, paddr, fr) || fr->mr->type != MR_RAM ||
            size > fr->size - (paddr - fr->start)) {
            fr->size = 0;
            return NULL;
        }
    }
    uint8_t *p = fr->mr->ram_ptr + fr->offset_in_region + (paddr - fr->start);
    return ((uintptr_t)p & (size - 1)) ? NULL : p;
}

static uint64_t mmu_as_ld(void *opaque, uint64_t paddr, unsigned size)
{
    void *p = mmu_mem_host(opaque, paddr, size);
    uint64_t val = 0;

    if (p) {
        /* hosts are little-endian; other vCPUs may be setting bits */
        return size == 4 ? __atomic_load_n((uint32_t *)p, __ATOMIC_RELAXED)
                         : __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
    }
    /* Unmapped space reads as all ones: a reserved-bit fault at worst. */
    address_space_ld(((MMUWalkMem *)opaque)->as, paddr, size, &val);
    return val;
}

/* The walker writes an entry back only to set A/D bits: OR just those in,
 * so that a concurrent change to the other bits survives. */
static void mmu_as_st(void *opaque, uint64_t paddr, uint64_t val, unsigned size)
{
    MMUWalkMem *m = opaque;
    void *p = mmu_mem_host(m, paddr, size);
    uint64_t bits = val & (PG_ACCESSED_MASK | PG_DIRTY_MASK);

    if (p && !m->ram.readonly) {
        if (size == 4) {
            __atomic_fetch_or((uint32_t *)p, (uint32_t)bits, __ATOMIC_RELAXED);
        } else {
            __atomic_fetch_or((uint64_t *)p, bits, __ATOMIC_RELAXED);
        }
        return;
    }
    /* ROM drops the write, a device gets the whole entry */
    address_space_st(m->as, paddr, size, val);
}

/*
 * A non-canonical data access is #SS(0) when it references the stack
 * segment (SDM vol. 1 §3.3.7.1), else #GP(0).  The access does not say
 * which it is, its instruction does: its insn_start record (restored here
 * from ra) carries X86_INSN_STK_* (translate.c).  Pushes and pops beside
 * an explicit DS operand (push m, pop m, call m) are told apart by the
 * address: the stack accesses lie within 16 bytes of RSP, which faulting
 * leaves at its value before the instruction.  Accesses without ra (event
 * delivery) and code fetches are #GP(0).
 */
static int mmu_noncanonical_vector(CPUState *cs, uint64_t vaddr, int access_type,
                                   uintptr_t ra)
{
    CPUX86State *env = cpu_env(cs);
    uint32_t info;

    if (access_type == MMU_INST_FETCH || !ra) {
        return EXCP0D_GPF;
    }
    env->insn_stack_info = 0;
    if (!cpu_restore_state(cs, ra)) {
        return EXCP0D_GPF;
    }
    info = env->insn_stack_info;
    if (!(info & X86_INSN_STK_IMPLICIT)) {
        return (info & X86_INSN_STK_EXPLICIT) ? EXCP0C_STACK : EXCP0D_GPF;
    }
    if (!(info & X86_INSN_STK_MEM) || (info & X86_INSN_STK_EXPLICIT)) {
        return EXCP0C_STACK;
    }
    return vaddr - (env->regs[R_ESP] - 16) < 32 ? EXCP0C_STACK : EXCP0D_GPF;
}

int x86_cpu_mmu_check_align(CPUState *cs, uint64_t addr, unsigned size, int access_type,
                            uintptr_t ra)
{
    /* natural alignment: the operand size, 8 for a 10-byte x87 operand */
    unsigned align = size >= 16 ? 16 : size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;

    if (access_type != MMU_INST_FETCH && (addr & (align - 1))) {
        raise_exception_err_ra(cpu_env(cs), EXCP11_ALGN, 0, ra);
    }
    return MMU_USER_IDX;
}

void x86_check_alignment(CPUX86State *env, uint64_t addr, unsigned align, uintptr_t ra)
{
    if ((env->hflags & HF_CPL_MASK) == 3 && (env->hflags & HF_AM_MASK) &&
        (env->eflags & AC_MASK) && (addr & (align - 1))) {
        raise_exception_err_ra(env, EXCP11_ALGN, 0, ra);
    }
}

/* -d mmu: one line per TLB fill, its result or its fault. */
static void mmu_log_fill(CPUState *cs, uint64_t vaddr, int access_type, int mmu_idx,
                         bool probe, const X86TranslateResult *res, bool ok)
{
    static const char access_names[] = "rwx";

    if (ok) {
        log_printf("tlb_fill: CPU %d %c vaddr 0x%016" PRIx64 " mmu %d -> paddr 0x%016" PRIx64
                   " prot %c%c%c%s\n", cs->cpu_index, access_names[access_type], vaddr, mmu_idx,
                   res->paddr, (res->prot & PAGE_READ) ? 'r' : '-',
                   (res->prot & PAGE_WRITE) ? 'w' : '-', (res->prot & PAGE_EXEC) ? 'x' : '-',
                   probe ? " (probe)" : "");
    } else {
        log_printf("tlb_fill: CPU %d %c vaddr 0x%016" PRIx64 " mmu %d -> fault vector %d"
                   " error 0x%x%s\n", cs->cpu_index, access_names[access_type], vaddr, mmu_idx,
                   res->exception, res->error_code, probe ? " (probe, not raised)" : "");
    }
}

bool x86_cpu_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type,
                      int mmu_idx, bool probe, uintptr_t retaddr)
{
    CPUX86State *env = cpu_env(cs);
    MMUWalkMem mem = { .as = cs->as };
    X86PTEAccess pa = { mmu_as_ld, mmu_as_st, &mem };
    X86TranslateResult res;
    bool ok;

    if (mmu_idx == MMU_USER_AC_IDX) {
        /* its TLB stays empty: accesses go through x86_cpu_mmu_check */
        assert(probe);
        return false;
    }
    ok = x86_mmu_translate(env, &pa, vaddr, access_type, mmu_idx, &res);
    if (log_enabled(LOG_MMU)) {
        mmu_log_fill(cs, vaddr, access_type, mmu_idx, probe, &res, ok);
    }
    if (ok) {
        /* A large page is entered one 4K page at a time; a closed A20
         * gate clears bit 20 of the frame (x86_cpu_set_a20 flushes). */
        tlb_set_page_sized(cs, vaddr & TARGET_PAGE_MASK,
                           res.paddr & TARGET_PAGE_MASK & ~env->a20_off, res.prot, mmu_idx,
                           res.page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    if (res.exception == EXCP0E_PAGE) {
        env->cr[2] = vaddr;
    } else if (res.exception == EXCP0D_GPF) {
        res.exception = mmu_noncanonical_vector(cs, vaddr, access_type, retaddr);
    }
    raise_exception_err_ra(env, res.exception, res.error_code, retaddr);
}

bool x86_cpu_read_pdptrs(CPUX86State *env, uint64_t cr3, uint64_t pdptrs[4])
{
    MMUWalkMem mem = { .as = env_cpu(env)->as };
    X86PTEAccess pa = { mmu_as_ld, NULL, &mem };

    return x86_mmu_read_pdptrs(env, &pa, cr3, pdptrs);
}

/* Returns vaddr's physical address (the offset in the page kept). */
int64_t x86_cpu_get_phys_page_debug(CPUX86State *env, uint64_t vaddr)
{
    MMUWalkMem mem = { .as = env_cpu(env)->as };
    X86PTEAccess pa = { mmu_as_ld, NULL, &mem };
    X86TranslateResult res;

    /* A supervisor read without SMAP is allowed on every present page. */
    if (!x86_mmu_translate(env, &pa, vaddr, MMU_DATA_LOAD, MMU_KNOSMAP_IDX, &res)) {
        return -1;
    }
    return (int64_t)(res.paddr & ~env->a20_off);
}

void x86_cpu_set_a20(X86CPU *cpu, bool enabled)
{
    uint64_t off = enabled ? 0 : 1ull << 20;

    if (cpu->env.a20_off != off) {
        cpu->env.a20_off = off;
        tlb_flush(&cpu->parent);    /* entries hold frames masked the old way */
    }
}
