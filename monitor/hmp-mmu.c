/*
 * hmp-mmu.c: the monitor's view of a CPU's page tables: guest-virtual
 * reads (x), "info tlb" (every mapped page) and "info mem" (ranges of
 * equal rights), as QEMU prints them.
 *
 * One walker serves both listings: it visits each present leaf (4K, 2M/4M,
 * 1G) of the 32-bit, PAE or 4-level long-mode tables with the rights
 * combined over the levels (writable and user only if every level says so,
 * no-execute if any does).  Entries are read through the CPU's address
 * space without side effects on A/D bits.  Listings stop after
 * HMP_MMU_MAX_LINES lines, so a guest with huge tables cannot make the
 * monitor build a gigantic reply.
 */
#include "util/osdep.h"
#include "monitor/hmp-mmu.h"
#include "exec/memory.h"
#include "target-x86/cpu.h"

#define PTE_P     (1ull << 0)
#define PTE_RW    (1ull << 1)
#define PTE_US    (1ull << 2)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_A     (1ull << 5)
#define PTE_D     (1ull << 6)
#define PTE_PS    (1ull << 7)
#define PTE_G     (1ull << 8)
#define PTE_NX    (1ull << 63)
#define PTE_ADDR  0x000ffffffffff000ull

#define HMP_MMU_MAX_LINES 65536

/* The paging mode's shape: the shift of each level, top first. */
typedef struct WalkMode {
    unsigned levels;
    unsigned shift[4];
    unsigned entries_top;        /* PAE's top level has 4 entries */
    unsigned entry_size;         /* 4 or 8 bytes */
    bool large_ok;               /* PS honoured below the top (CR4.PSE for 32-bit) */
} WalkMode;

typedef struct WalkLeaf {
    uint64_t vaddr, paddr, size;
    uint64_t pte;                /* the leaf entry, with combined RW/US/NX */
} WalkLeaf;

typedef bool (*WalkFn)(const WalkLeaf *leaf, void *opaque);   /* false: stop */

static uint64_t walk_read_entry(CPUState *cs, uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    if (address_space_read(cs->as, addr, &v, size) != MEMTX_OK) {
        return 0;                /* not present */
    }
    return v;
}

/* Visit the leaves under the table at table_pa (level lvl); rights is the
 * combination so far.  Returns false once fn asked to stop. */
static bool walk_level(CPUState *cs, const WalkMode *m, unsigned lvl, uint64_t table_pa,
                       uint64_t vbase, uint64_t rights, WalkFn fn, void *opaque)
{
    unsigned n = lvl == 0 ? m->entries_top : 4096 / m->entry_size;

    for (unsigned i = 0; i < n; i++) {
        uint64_t pte = walk_read_entry(cs, table_pa + (uint64_t)i * m->entry_size, m->entry_size);
        uint64_t va = vbase | ((uint64_t)i << m->shift[lvl]);
        uint64_t r;

        if (!(pte & PTE_P)) {
            continue;
        }
        if (m->entries_top == 4 && lvl == 0) {
            r = rights;          /* PAE PDPTEs carry no rights */
        } else {
            r = (rights & pte & (PTE_RW | PTE_US)) | ((rights | pte) & PTE_NX);
        }
        if (lvl + 1 == m->levels || (lvl > 0 && m->large_ok && (pte & PTE_PS)) ||
            (lvl == 0 && m->entry_size == 4 && m->large_ok && (pte & PTE_PS))) {
            uint64_t size = 1ull << m->shift[lvl];
            uint64_t pa = pte & PTE_ADDR & ~(size - 1);
            WalkLeaf leaf;

            if (m->entry_size == 4 && size > 4096) {
                pa = (pte & 0xffc00000ull) | ((pte & 0x1fe000ull) << 19);   /* PSE-36 */
            } else if (m->entry_size == 4) {
                pa = pte & 0xfffff000ull;
            }
            if (m->levels == 4 && (va & (1ull << 47))) {
                va |= 0xffff000000000000ull;     /* canonical form */
            }
            leaf = (WalkLeaf){ va, pa, size, (pte & ~(PTE_RW | PTE_US | PTE_NX)) | r };
            if (!fn(&leaf, opaque)) {
                return false;
            }
            continue;
        }
        if (!walk_level(cs, m, lvl + 1, pte & (m->entry_size == 4 ? 0xfffff000ull : PTE_ADDR),
                        va, r, fn, opaque)) {
            return false;
        }
    }
    return true;
}

/* Walk cs's current tables; false with a one-line reason in out if the
 * mode has none to walk. */
static bool walk_tables(CPUState *cs, WalkFn fn, void *opaque, GString *out)
{
    CPUX86State *env = cpu_env(cs);
    uint64_t all = PTE_RW | PTE_US;
    WalkMode m;

    if (!(env->cr[0] & CR0_PG_MASK)) {
        g_string_append(out, "PG disabled\n");
        return false;
    }
    if (env->hflags & HF_LMA_MASK) {
        if (env->cr[4] & CR4_LA57_MASK) {
            g_string_append(out, "5-level paging is not listed yet\n");
            return false;
        }
        m = (WalkMode){ 4, { 39, 30, 21, 12 }, 512, 8, true };
    } else if (env->cr[4] & CR4_PAE_MASK) {
        m = (WalkMode){ 3, { 30, 21, 12 }, 4, 8, true };
    } else {
        m = (WalkMode){ 2, { 22, 12 }, 1024, 4, (env->cr[4] & CR4_PSE_MASK) != 0 };
    }
    walk_level(cs, &m, 0, env->cr[3] & (m.entries_top == 4 ? ~0x1full : ~0xfffull), 0, all,
               fn, opaque);
    return true;
}

/* ---- info tlb ----------------------------------------------------------- */

typedef struct TlbCtx {
    GString *out;
    unsigned lines;
} TlbCtx;

static bool tlb_print(const WalkLeaf *l, void *opaque)
{
    TlbCtx *c = opaque;
    uint64_t p = l->pte;

    if (c->lines++ == HMP_MMU_MAX_LINES) {
        g_string_append(c->out, "... (listing truncated)\n");
        return false;
    }
    g_string_append_printf(c->out, "%016" PRIx64 ": %016" PRIx64 " %c%c%c%c%c%c%c%c%c\n",
                           l->vaddr, l->paddr,
                           p & PTE_NX ? 'X' : '-', p & PTE_G ? 'G' : '-',
                           l->size > 4096 ? 'P' : '-', p & PTE_D ? 'D' : '-',
                           p & PTE_A ? 'A' : '-', p & PTE_PCD ? 'C' : '-',
                           p & PTE_PWT ? 'T' : '-', p & PTE_US ? 'U' : '-',
                           p & PTE_RW ? 'W' : '-');
    return true;
}

void hmp_mmu_info_tlb(CPUState *cs, GString *out)
{
    TlbCtx c = { out, 0 };

    walk_tables(cs, tlb_print, &c, out);
}

/* ---- info mem ----------------------------------------------------------- */

typedef struct MemCtx {
    GString *out;
    unsigned lines;
    bool open;                   /* a range is being gathered */
    uint64_t start, end;         /* [start, end) */
    uint64_t rights;             /* PTE_US | PTE_RW of the range */
} MemCtx;

static bool mem_flush(MemCtx *c)
{
    if (!c->open) {
        return true;
    }
    c->open = false;
    if (c->lines++ == HMP_MMU_MAX_LINES) {
        g_string_append(c->out, "... (listing truncated)\n");
        return false;
    }
    g_string_append_printf(c->out, "%016" PRIx64 "-%016" PRIx64 " %016" PRIx64 " %cr%c\n",
                           c->start, c->end, c->end - c->start,
                           c->rights & PTE_US ? 'u' : '-', c->rights & PTE_RW ? 'w' : '-');
    return true;
}

static bool mem_add(const WalkLeaf *l, void *opaque)
{
    MemCtx *c = opaque;
    uint64_t rights = l->pte & (PTE_US | PTE_RW);

    if (c->open && c->end == l->vaddr && c->rights == rights) {
        c->end += l->size;
        return true;
    }
    if (!mem_flush(c)) {
        return false;
    }
    *c = (MemCtx){ c->out, c->lines, true, l->vaddr, l->vaddr + l->size, rights };
    return true;
}

void hmp_mmu_info_mem(CPUState *cs, GString *out)
{
    MemCtx c = { .out = out };

    if (walk_tables(cs, mem_add, &c, out)) {
        mem_flush(&c);
    }
}

/* ---- guest-virtual reads ------------------------------------------------ */

bool hmp_mmu_read_virtual(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len)
{
    while (len > 0) {
        int64_t pa = x86_cpu_get_phys_page_debug(cpu_env(cs), addr);
        size_t chunk = MIN(len, 4096 - (addr & 4095));

        if (pa < 0 || address_space_read(cs->as, (uint64_t)pa, buf, chunk) != MEMTX_OK) {
            return false;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}
