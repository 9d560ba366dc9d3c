/*
 * tlb.h: the software TLB's layout, shared by the back end (which emits the
 * inline hit path) and accel/tcg/cputlb.c (which fills and flushes it).
 *
 * Direct-mapped, CPU_TLB_SIZE entries per MMU index (1024: 4 MiB of 4K
 * pages; a 256-entry TLB made strided loops over a few MiB miss on almost
 * every access).  The cost of the size is the flush, a memset of the table
 * (32 KiB per index): only the MMU indexes filled since the last flush are
 * cleared (CPUTLB.clean).  An entry maps one
 * guest-virtual page: each tag is the page address, or TLB_INVALID (-1);
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

#define CPU_TLB_BITS       10
#define CPU_TLB_SIZE       (1u << CPU_TLB_BITS)
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

typedef struct CPUTLB {
    CPUTLBEntry table[NB_MMU_MODES][CPU_TLB_SIZE];
    CPUTLBEntryFull full[NB_MMU_MODES][CPU_TLB_SIZE];
    /* Bit m: table[m] holds no valid entry (flushed, not filled since), so
     * the next flush may skip it.  Zero (all unknown) is always safe, so
     * code that resets the table by other means need not update it.
     * Owned by the vCPU thread. */
    unsigned clean;
    /* Bit m: table[m] may hold a PAGE_GLOBAL entry (set by a fill, cleared
     * by a full flush), so tlb_flush_nonglobal must scan it rather than
     * clear it.  Owned by the vCPU thread. */
    unsigned global;
} CPUTLB;

static inline unsigned tlb_index(uint64_t addr)
{
    return (addr >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1);
}

#endif
