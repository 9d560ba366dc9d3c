/*
 * tlb.h: the software TLB's layout, shared by the back end (which emits the
 * inline hit path) and accel/tcg/cputlb.c (which fills and flushes it).
 *
 * Direct-mapped, one table per MMU index whose size adapts to the guest
 * (CPU_TLB_MIN_BITS..CPU_TLB_MAX_BITS entries; accel/tcg/cputlb.c): a
 * table that keeps missing (more fills than entries since it was last
 * cleared) doubles, so a program sorting 8 MiB or walking 256 MiB at
 * random keeps its pages; one that a flush finds mostly unused halves,
 * which keeps the flushes of a guest that switches address spaces
 * often (a memset of the table, or a scan for global entries) cheap.
 * The inline hit path reads the table's address and index mask from
 * CPUTLB.f[mmu_idx] (CPUTLBFast, at the offset tcg_set_tlb_offset gives).
 * An entry maps one guest-virtual page: each tag is the page address, or
 * TLB_INVALID (-1);
 * flag bits in a tag's low bits (below the page size) make the inline
 * compare fail and send the access to the slow path, which looks at them:
 *   TLB_MMIO      the page is device memory: go through the memory API
 *   TLB_NOTDIRTY  the page holds translated code: invalidate before writing
 *   TLB_WATCHPOINT  a watchpoint overlaps the page: check the access
 * Hit path:  host = guest_vaddr + addend.
 */
#ifndef TCG_TLB_H
#define TCG_TLB_H

#include "util/osdep.h"

#define TARGET_PAGE_BITS   12
#define TARGET_PAGE_SIZE   (1ull << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK   (~(TARGET_PAGE_SIZE - 1))

#define CPU_TLB_MIN_BITS   10           /* 4 MiB of 4 KiB pages */
#define CPU_TLB_MAX_BITS   17           /* 512 MiB; 4 MiB of entries */
#define CPU_TLB_ENTRY_BITS 5
#define NB_MMU_MODES       5

#define TLB_INVALID   ((uint64_t)-1)
#define TLB_MMIO      (1ull << 1)
#define TLB_NOTDIRTY  (1ull << 2)
#define TLB_WATCHPOINT (1ull << 3)

typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} CPUTLBEntry;

_Static_assert(sizeof(CPUTLBEntry) == (1 << CPU_TLB_ENTRY_BITS), "TLB entry size");

/* Per-entry extra data only the slow path needs (not read by host code). */
typedef struct CPUTLBEntryFull {
    uint64_t phys_addr;      /* guest-physical page address */
    uint64_t mr_offset;      /* for TLB_MMIO: offset of the page in the section */
    void *section;           /* for TLB_MMIO: the MemoryRegion */
    int prot;
} CPUTLBEntryFull;

/* What the inline hit path reads: one per MMU index. */
typedef struct CPUTLBFast {
    uintptr_t mask;             /* (entries - 1) << CPU_TLB_ENTRY_BITS */
    CPUTLBEntry *table;
} CPUTLBFast;

/* The rest, for the fill and flush paths. */
typedef struct CPUTLBDesc {
    CPUTLBEntryFull *full;      /* parallel to table */
    unsigned bits;              /* log2 of the entries */
    unsigned fills;             /* entries filled since the table was cleared */
    /* The range that holds every large-page fragment in the table (its
     * 4 KiB pieces are entered one by one): INVLPG of an address in it
     * must drop them all, so it flushes the table.  mask 0: none. */
    uint64_t large_page_addr, large_page_mask;
} CPUTLBDesc;

typedef struct CPUTLB {
    CPUTLBFast f[NB_MMU_MODES];  /* first: generated code finds it here */
    CPUTLBDesc d[NB_MMU_MODES];
    /* Bit m: table m holds no valid entry (flushed, not filled since), so
     * the next flush may skip it.  Zero (all unknown) is always safe, so
     * code that resets the table by other means need not update it.
     * Owned by the vCPU thread. */
    unsigned clean;
    /* Bit m: table m may hold a PAGE_GLOBAL entry (set by a fill, cleared
     * by a full flush), so tlb_flush_nonglobal must scan it rather than
     * clear it.  Owned by the vCPU thread. */
    unsigned global;
} CPUTLB;

static inline size_t tlb_n_entries(const CPUTLB *tlb, int mmu_idx)
{
    return (tlb->f[mmu_idx].mask >> CPU_TLB_ENTRY_BITS) + 1;
}

static inline size_t tlb_index(const CPUTLB *tlb, int mmu_idx, uint64_t addr)
{
    return (addr >> TARGET_PAGE_BITS) & (tlb->f[mmu_idx].mask >> CPU_TLB_ENTRY_BITS);
}

static inline CPUTLBEntry *tlb_entry(const CPUTLB *tlb, int mmu_idx, uint64_t addr)
{
    return &tlb->f[mmu_idx].table[tlb_index(tlb, mmu_idx, addr)];
}

/* Give each MMU index an empty table of the smallest size (the first
 * time) or invalidate the tables it has (accel/tcg/cputlb.c). */
void tlb_init(CPUTLB *tlb);
/* Free the tables (the CPU goes away). */
void tlb_destroy(CPUTLB *tlb);

#endif
