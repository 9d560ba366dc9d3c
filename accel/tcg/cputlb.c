/*
 * cputlb.c: the soft-MMU TLB: filling, flushing and the slow paths of
 * guest memory accesses.
 *
 * Each vCPU has a direct-mapped TLB per MMU index (tcg/tlb.h).  A tag is a
 * page address, TLB_INVALID (all ones: bit 0 set, so it never equals a page
 * address) or a page address with flag bits that make the inline compare
 * fail:
 *   TLB_MMIO      device memory, unmapped space, or (in the write tag)
 *                 read-only RAM: the access goes through the memory API
 *                 under the machine lock, which drops writes to ROM.
 *   TLB_NOTDIRTY  (write tag) the page holds translated code: invalidate
 *                 those TBs, then write; cleared once no code remains.
 *   TLB_WATCHPOINT  (read and/or write tag) a data watchpoint overlaps the
 *                 page: cpu_watchpoint_check (watchpoint.c) sees the access.
 * For a RAM page, addend = host address - guest virtual page address.  The
 * full entry remembers the physical page and, when the page lies wholly in
 * one FlatRange, its region and offset; otherwise (partial pages, holes)
 * accesses go through address_space_ld/st by physical address.
 *
 * The only target knowledge here is x86_cpu_tlb_fill (the page walker),
 * which calls back tlb_set_page, x86_cpu_mmu_check (an MMU index whose TLB
 * stays empty sends every access here to be checked, e.g. for alignment,
 * and names the index that serves it) and cpu_tlb() (internal.h) to find
 * the TLB.
 *
 * Locking: device accesses take the machine lock (unless the caller holds
 * it); the machine lock comes before the TB lock, so code is never fetched
 * from a device while translating.  A TLB is written by its own vCPU thread,
 * except that tlb_protect_code (any thread translating code, TB lock held)
 * sets TLB_NOTDIRTY atomically.  The fill path takes no lock (the vCPU
 * thread's FlatView cache makes the lookup lock-free, see exec/memory.h);
 * it and tlb_protect_code cannot miss each other because each stores, then
 * fences (seq_cst), then loads what the other stores:
 *   tlb_set_page:     store the entry; fence; load the page's code filter
 *                     (tb_cache_page_may_have_code): set NOTDIRTY if hit.
 *   tb_gen_code:      the insert bumps the filter; tlb_protect_code fences;
 *                     load every entry: set NOTDIRTY where it maps the page.
 * At least one side sees the other; setting NOTDIRTY twice is harmless, and
 * a filter false positive costs one slow write (which clears the flag).
 * Flushes requested by other threads (memory map changes, reset, tlb_flush
 * called for another running vCPU) are queued as asynchronous work (tcg-cpus.c) that the vCPU's own thread runs at its
 * next block boundary: no thread writes another's TLB entries, except the
 * atomic NOTDIRTY bit above.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/runstate.h"
#include "exec/memory.h"
#include "exec/watchpoint.h"
#include "tcg/tcg-runtime.h"
#include "accel/tcg/internal.h"

_Static_assert(TARGET_PAGE_BITS == TB_JMP_PAGE_SHIFT, "the jump cache groups by page");

/* ---- small helpers ------------------------------------------------------- */

static inline bool tlb_hit(uint64_t tag, uint64_t addr)
{
    return (tag & (TARGET_PAGE_MASK | 1)) == (addr & TARGET_PAGE_MASK);
}

static inline uint64_t tlb_tag(const CPUTLBEntry *e, MMUAccessType type)
{
    switch (type) {
    case MMU_DATA_LOAD:
        return e->addr_read;
    case MMU_DATA_STORE:
        /* other threads may set TLB_NOTDIRTY in it */
        return __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
    default:
        return e->addr_code;
    }
}

/* Hosts are little-endian.  One fixed-size copy per size, which the
 * compiler turns into a single load or store (a memcpy of a variable
 * size is a byte loop). */
static inline uint64_t ldn_le(const void *p, unsigned size)
{
    uint8_t b;
    uint16_t w;
    uint32_t l;
    uint64_t q;

    switch (size) {
    case 1: memcpy(&b, p, 1); return b;
    case 2: memcpy(&w, p, 2); return w;
    case 4: memcpy(&l, p, 4); return l;
    default: assert(size == 8); memcpy(&q, p, 8); return q;
    }
}

static inline void stn_le(void *p, unsigned size, uint64_t v)
{
    uint8_t b = (uint8_t)v;
    uint16_t w = (uint16_t)v;
    uint32_t l = (uint32_t)v;

    switch (size) {
    case 1: memcpy(p, &b, 1); break;
    case 2: memcpy(p, &w, 2); break;
    case 4: memcpy(p, &l, 4); break;
    default: assert(size == 8); memcpy(p, &v, 8); break;
    }
}

static uint64_t memop_extend(uint64_t v, MemOp op)
{
    switch (op & (MO_SIZE | MO_SIGN)) {
    case MO_UB:
        return (uint8_t)v;
    case MO_UW:
        return (uint16_t)v;
    case MO_UL:
        return (uint32_t)v;
    case MO_SB:
        return (uint64_t)(int64_t)(int8_t)v;
    case MO_SW:
        return (uint64_t)(int64_t)(int16_t)v;
    case MO_SL:
        return (uint64_t)(int64_t)(int32_t)v;
    default:
        return v;
    }
}

/* ---- table sizes (tcg/tlb.h) --------------------------------------------- */

static void tlb_table_clear(CPUTLB *tlb, int m)
{
    memset(tlb->f[m].table, 0xff, tlb_n_entries(tlb, m) * sizeof(CPUTLBEntry));
    tlb->d[m].fills = 0;
    tlb->d[m].large_page_mask = 0;
}

/* Widen table m's large-page range to cover [vaddr, vaddr + size). */
static void tlb_add_large_page(CPUTLBDesc *d, uint64_t vaddr, uint64_t size)
{
    uint64_t mask = ~(size - 1);

    if (d->large_page_mask) {
        mask &= d->large_page_mask;
        while ((d->large_page_addr ^ vaddr) & mask) {
            mask <<= 1;
        }
    }
    d->large_page_mask = mask;
    d->large_page_addr = vaddr & mask;
}

/* Empty tables of 2^bits entries for index m.  Under the TB lock, which
 * tlb_protect_code holds while it walks every vCPU's tables.  No caller
 * may hold an entry pointer across this. */
static void tlb_table_resize(CPUTLB *tlb, int m, unsigned bits)
{
    size_t n = (size_t)1 << bits;
    CPUTLBEntry *table = tern_realloc(NULL, n * sizeof(CPUTLBEntry));
    CPUTLBEntryFull *full = tern_malloc0(n * sizeof(CPUTLBEntryFull));
    CPUTLBEntry *old_table;
    CPUTLBEntryFull *old_full;

    memset(table, 0xff, n * sizeof(CPUTLBEntry));
    tb_cache_lock();
    old_table = tlb->f[m].table;
    old_full = tlb->d[m].full;
    tlb->f[m].table = table;
    tlb->f[m].mask = (uintptr_t)(n - 1) << CPU_TLB_ENTRY_BITS;
    tlb->d[m].full = full;
    tlb->d[m].bits = bits;
    tlb->d[m].fills = 0;
    tlb->d[m].large_page_mask = 0;
    tb_cache_unlock();
    free(old_table);
    free(old_full);
}

void tlb_init(CPUTLB *tlb)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        if (!tlb->f[m].table) {
            tlb_table_resize(tlb, m, CPU_TLB_MIN_BITS);
        } else {
            tlb_table_clear(tlb, m);
        }
    }
    tlb->clean = (1u << NB_MMU_MODES) - 1;
    tlb->global = 0;
}

void tlb_destroy(CPUTLB *tlb)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        free(tlb->f[m].table);
        free(tlb->d[m].full);
        tlb->f[m].table = NULL;
        tlb->d[m].full = NULL;
    }
}

/* A table filled more times than it has entries since it was cleared is
 * too small for what the guest touches: double it (on a miss, before the
 * slow path looks at any entry). */
static void tlb_maybe_grow(CPUTLB *tlb, int m)
{
    if (unlikely(tlb->d[m].fills > tlb_n_entries(tlb, m)) && tlb->d[m].bits < CPU_TLB_MAX_BITS) {
        tlb_table_resize(tlb, m, tlb->d[m].bits + 1);
    }
}

/*
 * Flush table m, keeping its global entries if keep_global (a CR3 write:
 * a scan of the table).  A table that the guest filled less than a
 * quarter of since the last flush halves instead (dropping the globals
 * too, as a TLB may), so a guest that switches address spaces often
 * keeps small tables and cheap flushes.
 */
static void tlb_flush_table(CPUTLB *tlb, int m, bool keep_global)
{
    size_t n = tlb_n_entries(tlb, m);

    if (tlb->d[m].fills < n / 4 && tlb->d[m].bits > CPU_TLB_MIN_BITS) {
        tlb_table_resize(tlb, m, tlb->d[m].bits - 1);
    } else if (keep_global && (tlb->global & (1u << m))) {
        for (size_t i = 0; i < n; i++) {
            if (!(tlb->d[m].full[i].prot & PAGE_GLOBAL)) {
                memset(&tlb->f[m].table[i], 0xff, sizeof(CPUTLBEntry));
            }
        }
        tlb->d[m].fills = 0;
        return;
    } else {
        tlb_table_clear(tlb, m);
    }
    tlb->global &= ~(1u << m);
    tlb->clean |= 1u << m;
}

/* ---- fill and flush ------------------------------------------------------ */

void tlb_set_page(CPUState *cs, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx)
{
    tlb_set_page_sized(cs, vaddr, paddr, prot, mmu_idx, TARGET_PAGE_SIZE);
}

void tlb_set_page_sized(CPUState *cs, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                        uint64_t size)
{
    CPUTLB *tlb = cpu_tlb(cs);
    uint64_t vpage = vaddr & TARGET_PAGE_MASK;
    uint64_t ppage = paddr & TARGET_PAGE_MASK;
    size_t idx = tlb_index(tlb, mmu_idx, vpage);
    CPUTLBEntry *e = &tlb->f[mmu_idx].table[idx];
    CPUTLBEntryFull *full = &tlb->d[mmu_idx].full[idx];
    FlatRange fr;
    uint64_t flags = TLB_MMIO, wflags = 0, rflags = 0;
    int watch = cpu_watchpoint_page_flags(cs, vpage);
    uintptr_t addend = 0;
    MemoryRegion *mr = NULL;
    uint64_t mr_offset = 0;
    bool ram_writable = false;

    assert(mmu_idx >= 0 && mmu_idx < NB_MMU_MODES);
    if (address_space_lookup(cs->as, ppage, &fr) && fr.size >= TARGET_PAGE_SIZE &&
        ppage - fr.start <= fr.size - TARGET_PAGE_SIZE) {
        mr = fr.mr;
        mr_offset = fr.offset_in_region + (ppage - fr.start);
        if (mr->type == MR_RAM) {
            flags = 0;
            addend = (uintptr_t)(mr->ram_ptr + mr_offset) - (uintptr_t)vpage;
            if (fr.readonly || mr->readonly) {
                wflags = TLB_MMIO;
            } else {
                ram_writable = (prot & PAGE_WRITE) != 0;
            }
        }
    }

    if (unlikely(watch)) {
        rflags = (watch & BP_MEM_READ) ? TLB_WATCHPOINT : 0;
        wflags |= (watch & BP_MEM_WRITE) ? TLB_WATCHPOINT : 0;
    }
    __atomic_store_n(&full->phys_addr, ppage, __ATOMIC_RELAXED);
    full->mr_offset = mr_offset;
    full->section = mr;
    full->prot = prot;
    tlb->clean &= ~(1u << mmu_idx);
    tlb->d[mmu_idx].fills++;
    if (size > TARGET_PAGE_SIZE) {
        tlb_add_large_page(&tlb->d[mmu_idx], vaddr, size);
    }
    if (prot & PAGE_GLOBAL) {
        tlb->global |= 1u << mmu_idx;
    }
    e->addend = addend;
    e->addr_read = (prot & PAGE_READ) ? (vpage | flags | rflags) : TLB_INVALID;
    e->addr_code = (prot & PAGE_EXEC) ? (vpage | flags) : TLB_INVALID;
    __atomic_store_n(&e->addr_write,
                     (prot & PAGE_WRITE) ? (vpage | flags | wflags) : TLB_INVALID,
                     __ATOMIC_RELAXED);
    /* Entry stored, then the code check: pairs with the fence in
     * tlb_protect_code (see the overview). */
    if (ram_writable) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (tb_cache_page_may_have_code(ppage)) {
            __atomic_fetch_or(&e->addr_write, TLB_NOTDIRTY, __ATOMIC_RELAXED);
        }
    }
}

/* May this thread write cs's TLB: its own vCPU thread, or cs has none? */
static bool tlb_is_own(CPUState *cs)
{
    return !tcg_vcpu(cs) || !cs->thread_running || pthread_equal(pthread_self(), cs->thread);
}

static void tlb_flush_local(CPUState *cs)
{
    CPUTLB *tlb = cpu_tlb(cs);

    for (int mmu_idx = 0; mmu_idx < NB_MMU_MODES; mmu_idx++) {
        if (!(tlb->clean & (1u << mmu_idx))) {
            tlb_flush_table(tlb, mmu_idx, false);
        }
    }
    tlb->clean = (1u << NB_MMU_MODES) - 1;
    tlb->global = 0;
    /* the jump cache is keyed by virtual pc: mappings may have changed */
    tcg_jmp_cache_clear(cs);
}

void tlb_flush(CPUState *cs)
{
    if (tlb_is_own(cs)) {
        tlb_flush_local(cs);
    } else {
        tlb_flush_async(cs);    /* e.g. A20 changed by another CPU's I/O */
    }
}

/* An index that may hold global entries is scanned (the full entries say
 * which were installed global); the others are cleared whole. */
void tlb_flush_nonglobal(CPUState *cs)
{
    CPUTLB *tlb = cpu_tlb(cs);

    for (int mmu_idx = 0; mmu_idx < NB_MMU_MODES; mmu_idx++) {
        if (!(tlb->clean & (1u << mmu_idx))) {
            tlb_flush_table(tlb, mmu_idx, true);
        }
    }
    tcg_jmp_cache_clear_nonglobal(cs);
}

/* In a large page (CPUTLBDesc.large_page_*), every 4 KiB piece of it
 * goes: the whole table, as the pieces are not tracked one by one. */
void tlb_flush_page(CPUState *cs, uint64_t vaddr)
{
    CPUTLB *tlb = cpu_tlb(cs);
    bool large = false;

    for (int mmu_idx = 0; mmu_idx < NB_MMU_MODES; mmu_idx++) {
        CPUTLBDesc *d = &tlb->d[mmu_idx];
        CPUTLBEntry *e = tlb_entry(tlb, mmu_idx, vaddr);

        if (d->large_page_mask && (vaddr & d->large_page_mask) == d->large_page_addr) {
            tlb_flush_table(tlb, mmu_idx, false);
            large = true;
        } else if (tlb_hit(e->addr_read, vaddr) || tlb_hit(e->addr_code, vaddr) ||
                   tlb_hit(tlb_tag(e, MMU_DATA_STORE), vaddr)) {
            memset(e, 0xff, sizeof(*e));
        }
    }
    if (large) {
        tcg_jmp_cache_clear(cs);
    } else {
        tcg_jmp_cache_clear_page(cs, vaddr);
    }
}

static void tlb_flush_work(CPUState *cs, void *data)
{
    __atomic_store_n(&tcg_vcpu(cs)->tlb_flush_pending, false, __ATOMIC_RELEASE);
    tlb_flush_local(cs);
}

void tlb_flush_async(CPUState *cs)
{
    TCGVCPU *v = tcg_vcpu(cs);

    /* one queued flush covers every request made before it runs */
    if (v && __atomic_exchange_n(&v->tlb_flush_pending, true, __ATOMIC_ACQ_REL)) {
        return;
    }
    if (!v) {
        tlb_flush_local(cs);
        return;
    }
    async_run_on_cpu(cs, tlb_flush_work, NULL);
}

void tlb_protect_code(uint64_t paddr)
{
    uint64_t page = paddr & TARGET_PAGE_MASK;
    unsigned ncpu = tcg_cpus_count();

    assert(tb_cache_locked());
    /* the caller's tb_cache_insert before our loads: see the overview */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < ncpu; i++) {
        CPUTLB *tlb = cpu_tlb(tcg_cpus_get(i));

        for (int m = 0; m < NB_MMU_MODES; m++) {
            for (size_t j = 0, n = tlb_n_entries(tlb, m); j < n; j++) {
                CPUTLBEntry *e = &tlb->f[m].table[j];
                uint64_t tag = tlb_tag(e, MMU_DATA_STORE);
                uint64_t phys = __atomic_load_n(&tlb->d[m].full[j].phys_addr,
                                                __ATOMIC_RELAXED);

                if (phys == page && !(tag & (TLB_MMIO | 1))) {
                    __atomic_fetch_or(&e->addr_write, TLB_NOTDIRTY, __ATOMIC_RELAXED);
                }
            }
        }
    }
}

bool tlb_code_page_global(CPUState *cs, uint64_t vaddr, int mmu_idx)
{
    CPUTLB *tlb = cpu_tlb(cs);
    size_t idx = tlb_index(tlb, mmu_idx, vaddr);

    return tlb_hit(tlb->f[mmu_idx].table[idx].addr_code, vaddr) &&
           (tlb->d[mmu_idx].full[idx].prot & PAGE_GLOBAL);
}

int64_t tlb_get_code_paddr(CPUState *cs, uint64_t vaddr, int mmu_idx, bool probe)
{
    CPUTLB *tlb = cpu_tlb(cs);
    CPUTLBEntry *e;

    tlb_maybe_grow(tlb, mmu_idx);
    e = tlb_entry(tlb, mmu_idx, vaddr);
    if (!tlb_hit(e->addr_code, vaddr)) {
        if (!x86_cpu_tlb_fill(cs, vaddr, 1, MMU_INST_FETCH, mmu_idx, probe, 0)) {
            return -1;
        }
        if (!tlb_hit(e->addr_code, vaddr)) {
            return -1;
        }
    }
    return (int64_t)(tlb->d[mmu_idx].full[tlb_index(tlb, mmu_idx, vaddr)].phys_addr |
                     (vaddr & ~TARGET_PAGE_MASK));
}

/* ---- memory topology changes ---------------------------------------------- */

#define TLB_MAX_LISTENERS 4

typedef struct TLBListener {
    MemoryListener l;
    bool ram_removed;
} TLBListener;

static TLBListener tlb_listeners[TLB_MAX_LISTENERS];
static unsigned tlb_nb_listeners;

static void tlb_listener_region_del(MemoryListener *l, const FlatRange *fr)
{
    if (fr->mr->type == MR_RAM) {
        container_of(l, TLBListener, l)->ram_removed = true;
    }
}

/* Called under the machine lock, maybe while vCPUs run: TLBs are flushed
 * by their own threads, and RAM that went away (TBs are keyed by physical
 * address) drops every TB by a deferred flush; topology changes are rare. */
static void tlb_listener_commit(MemoryListener *l)
{
    TLBListener *tl = container_of(l, TLBListener, l);
    unsigned ncpu = cpus_count();

    for (unsigned i = 0; i < ncpu; i++) {
        CPUState *cpu = cpus_get(i);
        if (cpu->as == l->as) {
            tlb_flush_async(cpu);
        }
    }
    if (tl->ram_removed) {
        tl->ram_removed = false;
        tb_flush(NULL);
    }
}

void tlb_register_memory_listener(AddressSpace *as)
{
    for (unsigned i = 0; i < tlb_nb_listeners; i++) {
        if (tlb_listeners[i].l.as == as) {
            return;
        }
    }
    assert(tlb_nb_listeners < TLB_MAX_LISTENERS);
    TLBListener *tl = &tlb_listeners[tlb_nb_listeners++];
    tl->l.region_del = tlb_listener_region_del;
    tl->l.commit = tlb_listener_commit;
    memory_listener_register(&tl->l, as);
}

/* ---- slow paths ------------------------------------------------------------ */

/* The entry for addr, filled (or a fault raised through ra) if it misses. */
static CPUTLBEntry *tlb_entry_fill(CPUState *cs, uint64_t addr, unsigned size,
                                   MMUAccessType type, int mmu_idx, uintptr_t ra,
                                   uint64_t *tagp)
{
    CPUTLB *tlb = cpu_tlb(cs);
    CPUTLBEntry *e;
    uint64_t tag;

    tlb_maybe_grow(tlb, mmu_idx);
    e = tlb_entry(tlb, mmu_idx, addr);
    tag = tlb_tag(e, type);

    if (!tlb_hit(tag, addr)) {
        x86_cpu_tlb_fill(cs, addr, (int)size, type, mmu_idx, false, ra);
        tag = tlb_tag(e, type);
        /* a successful fill grants the access it was asked for */
        assert(tlb_hit(tag, addr));
    }
    *tagp = tag;
    return e;
}

static CPUTLBEntryFull *tlb_full_of(CPUState *cs, int mmu_idx, uint64_t addr)
{
    CPUTLB *tlb = cpu_tlb(cs);

    return &tlb->d[mmu_idx].full[tlb_index(tlb, mmu_idx, addr)];
}

static uint64_t tlb_io_read(CPUState *cs, const CPUTLBEntryFull *full, uint64_t addr,
                            unsigned size)
{
    uint64_t off = addr & ~TARGET_PAGE_MASK;
    MemoryRegion *mr = full->section;
    bool locked = bql_locked();
    uint64_t val = 0;

    if (mr && mr->type == MR_RAM) {
        return ldn_le(mr->ram_ptr + full->mr_offset + off, size);
    }
    if (!locked && tb_cache_locked()) {
        /* Fetching code from a device while translating: taking the
         * machine lock under the TB lock would invert the lock order. */
        log_mask(LOG_UNIMP, "execution from device memory at 0x%" PRIx64 " not supported\n",
                 full->phys_addr + off);
        return ~0ull >> (64 - 8 * size);
    }
    if (!locked) {
        bql_lock();
    }
    if (mr) {
        memory_region_dispatch_read(mr, full->mr_offset + off, &val, size);
    } else {
        address_space_ld(cs->as, full->phys_addr + off, size, &val);
    }
    if (!locked) {
        bql_unlock();
    }
    return val;
}

static void tlb_io_write(CPUState *cs, const CPUTLBEntryFull *full, uint64_t addr,
                         unsigned size, uint64_t val)
{
    uint64_t off = addr & ~TARGET_PAGE_MASK;
    MemoryRegion *mr = full->section;
    bool locked = bql_locked();

    if (mr && mr->type == MR_RAM) {
        /* read-only RAM (ROM): the write is dropped */
        log_mask(LOG_GUEST_ERROR, "write to read-only memory at 0x%" PRIx64 " dropped\n",
                 full->phys_addr + off);
        return;
    }
    if (!locked) {
        bql_lock();
    }
    if (mr) {
        memory_region_dispatch_write(mr, full->mr_offset + off, val, size);
    } else {
        address_space_st(cs->as, full->phys_addr + off, size, val);
    }
    if (!locked) {
        bql_unlock();
    }
}

/* A store to a page with translated code: drop the TBs it overwrites. */
static void tlb_notdirty_write(CPUState *cs, CPUTLBEntry *e, const CPUTLBEntryFull *full,
                               uint64_t addr, unsigned size, uintptr_t ra)
{
    uint64_t paddr = full->phys_addr | (addr & ~TARGET_PAGE_MASK);

    tb_cache_lock();
    if (tb_invalidate_phys_range_for_store(paddr, paddr + size, ra)) {
        /* The running block was overwritten: redo this instruction alone,
         * before the store happened, then go on with fresh code. */
        tb_cache_unlock();
        tcg_vcpu_get_or_create(cs)->one_shot_next = true;
        cpu_loop_exit_restore(cs, ra);
    }
    if (!tb_cache_page_has_code(full->phys_addr)) {
        __atomic_fetch_and(&e->addr_write, ~TLB_NOTDIRTY, __ATOMIC_RELAXED);
    }
    tb_cache_unlock();
}

static uint64_t tlb_ld_page(CPUState *cs, uint64_t addr, unsigned size, MMUAccessType type,
                            int mmu_idx, uintptr_t ra)
{
    uint64_t tag;
    CPUTLBEntry *e = tlb_entry_fill(cs, addr, size, type, mmu_idx, ra, &tag);

    if (unlikely(tag & TLB_WATCHPOINT)) {
        cpu_watchpoint_check(cs, addr, size, BP_MEM_READ, ra);
    }
    if (unlikely(tag & TLB_MMIO)) {
        const CPUTLBEntryFull *full = tlb_full_of(cs, mmu_idx, addr);
        const MemoryRegion *mr = full->section;

        if (unlikely(cs->io_alone) && !(mr && mr->type == MR_RAM)) {   /* ROM: no device */
            cpu_io_alone(cs, ra);
        }
        return tlb_io_read(cs, full, addr, size);
    }
    return ldn_le((const void *)(uintptr_t)(addr + e->addend), size);
}

static void tlb_st_page(CPUState *cs, uint64_t addr, unsigned size, uint64_t val,
                        int mmu_idx, uintptr_t ra)
{
    uint64_t tag;
    CPUTLBEntry *e = tlb_entry_fill(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra, &tag);

    if (unlikely(tag & TLB_WATCHPOINT)) {
        cpu_watchpoint_check(cs, addr, size, BP_MEM_WRITE, ra);
    }
    if (unlikely(tag & TLB_MMIO)) {
        if (unlikely(cs->io_alone)) {
            cpu_io_alone(cs, ra);
        }
        tlb_io_write(cs, tlb_full_of(cs, mmu_idx, addr), addr, size, val);
        return;
    }
    if (unlikely(tag & TLB_NOTDIRTY)) {
        tlb_notdirty_write(cs, e, tlb_full_of(cs, mmu_idx, addr), addr, size, ra);
    }
    stn_le((void *)(uintptr_t)(addr + e->addend), size, val);
}

static bool tlb_crosses_page(uint64_t addr, unsigned size)
{
    return (addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE;
}

void *tlb_vaddr_to_host_rmw(CPUState *cs, uint64_t addr, unsigned size, int mmu_idx,
                            uintptr_t ra, bool *io)
{
    uint64_t tag;
    CPUTLBEntry *e;

    *io = false;
    mmu_idx = x86_cpu_mmu_check(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (addr & (size - 1)) {
        return NULL;        /* unaligned (maybe crossing a page): serialised */
    }
    e = tlb_entry_fill(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra, &tag);
    if (tag & TLB_MMIO) {
        *io = true;
        return NULL;
    }
    if (tag & TLB_WATCHPOINT) {
        return NULL;        /* the serialised path's store checks it */
    }
    if (tag & TLB_NOTDIRTY) {
        tlb_notdirty_write(cs, e, tlb_full_of(cs, mmu_idx, addr), addr, size, ra);
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

void probe_write(CPUState *cs, uint64_t addr, unsigned size, int mmu_idx, uintptr_t ra)
{
    uint64_t tag, next = (addr & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE;

    mmu_idx = x86_cpu_mmu_check(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (!tlb_crosses_page(addr, size)) {
        tlb_entry_fill(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra, &tag);
        return;
    }
    tlb_entry_fill(cs, addr, (unsigned)(next - addr), MMU_DATA_STORE, mmu_idx, ra, &tag);
    tlb_entry_fill(cs, next, (unsigned)(addr + size - next), MMU_DATA_STORE, mmu_idx, ra, &tag);
}

static uint64_t tlb_ld(CPUState *cs, uint64_t addr, unsigned size, MMUAccessType type,
                       int mmu_idx, uintptr_t ra)
{
    uint64_t val = 0;

    mmu_idx = x86_cpu_mmu_check(cs, addr, size, type, mmu_idx, ra);
    if (likely(!tlb_crosses_page(addr, size))) {
        return tlb_ld_page(cs, addr, size, type, mmu_idx, ra);
    }
    /* byte by byte: each byte's page is checked (and may fault) in order */
    for (unsigned i = 0; i < size; i++) {
        val |= tlb_ld_page(cs, addr + i, 1, type, mmu_idx, ra) << (8 * i);
    }
    return val;
}

static void tlb_st(CPUState *cs, uint64_t addr, unsigned size, uint64_t val, int mmu_idx,
                   uintptr_t ra)
{
    mmu_idx = x86_cpu_mmu_check(cs, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    if (likely(!tlb_crosses_page(addr, size))) {
        tlb_st_page(cs, addr, size, val, mmu_idx, ra);
        return;
    }
    /* Both pages must be writable before any byte is: fault first. */
    probe_write(cs, addr, size, mmu_idx, ra);
    for (unsigned i = 0; i < size; i++) {
        tlb_st_page(cs, addr + i, 1, val >> (8 * i), mmu_idx, ra);
    }
}

uint64_t helper_ld_mmu(void *env, uint64_t addr, MemOpIdx oi, uintptr_t retaddr)
{
    MemOp op = get_memop(oi);

    return memop_extend(tlb_ld(tcg_env_cpu(env), addr, 1u << (op & MO_SIZE), MMU_DATA_LOAD,
                               (int)get_mmuidx(oi), retaddr), op);
}

void helper_st_mmu(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t retaddr)
{
    MemOp op = get_memop(oi);

    tlb_st(tcg_env_cpu(env), addr, 1u << (op & MO_SIZE), val, (int)get_mmuidx(oi), retaddr);
}

/* Generated code's hit path, for helpers: the host address when the
 * entry's tag is the page of the access's last byte with no flag (plain
 * RAM, not crossing, no watchpoint, no code to protect), else NULL.  An
 * MMU index that x86_cpu_mmu_check redirects keeps an empty table. */
static inline void *tlb_hit_host(CPUState *cs, uint64_t addr, unsigned size,
                                 MMUAccessType type, int mmu_idx)
{
    const CPUTLBEntry *e = tlb_entry(cpu_tlb(cs), mmu_idx, addr);

    if (tlb_tag(e, type) == ((addr + size - 1) & TARGET_PAGE_MASK)) {
        return (void *)(uintptr_t)(addr + e->addend);
    }
    return NULL;
}

uint64_t cpu_ld_data_ra(CPUState *cs, uint64_t addr, MemOp op, int mmu_idx, uintptr_t ra)
{
    unsigned size = 1u << (op & MO_SIZE);
    void *host = tlb_hit_host(cs, addr, size, MMU_DATA_LOAD, mmu_idx);

    if (likely(host)) {
        return memop_extend(ldn_le(host, size), op);
    }
    return memop_extend(tlb_ld(cs, addr, size, MMU_DATA_LOAD, mmu_idx, ra), op);
}

void cpu_st_data_ra(CPUState *cs, uint64_t addr, uint64_t val, MemOp op, int mmu_idx,
                    uintptr_t ra)
{
    unsigned size = 1u << (op & MO_SIZE);
    void *host = tlb_hit_host(cs, addr, size, MMU_DATA_STORE, mmu_idx);

    if (likely(host)) {
        stn_le(host, size, val);
        return;
    }
    tlb_st(cs, addr, size, val, mmu_idx, ra);
}

uint64_t cpu_ld_code(CPUState *cs, uint64_t addr, MemOp op, int mmu_idx)
{
    return memop_extend(tlb_ld(cs, addr, 1u << (op & MO_SIZE), MMU_INST_FETCH, mmu_idx, 0), op);
}
