/*
 * memory.c: the MemoryRegion tree, transactions, address spaces and the
 * access paths (address_space_read/write/ld/st, device dispatch).
 *
 * The tree is edited with memory_region_* calls; every edit marks the
 * topology dirty and, outside a transaction, re-renders every AddressSpace
 * at once (softmmu/flatview.c).  Transactions nest; the outermost commit
 * does one rebuild.  Listeners hear only of address spaces whose view
 * actually changed.
 *
 * Accesses go through the current FlatView.  RAM is copied directly
 * (ranges never extend past their region, so guest-chosen lengths cannot
 * leave the mapping).  I/O is split into accesses the device accepts
 * (ops->valid: sizes and alignment; invalid ones are guest errors that read
 * as all ones) and then into the sizes its callbacks implement (ops->impl:
 * split wide accesses, widen narrow ones to an aligned window and extract
 * the bytes; little-endian).  Unmapped reads return 0xff bytes, unmapped
 * writes and writes to read-only RAM are dropped; all are logged under
 * -d guest_errors.
 *
 * Globals: the transaction depth, the dirty flag, the add-order counter
 * and the list of address spaces.  Locking: they and the tree are changed
 * only under the machine lock; accessors take a FlatView reference and may
 * run without it (RAM only; device callbacks expect the lock).
 * address_space_ram_ptr goes through address_space_lookup (flatview.c), so
 * it is lock-free on a thread with the view cache enabled.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "exec/memory.h"
#include "exec/replay.h"
#include "softmmu/memory-internal.h"

#include <sys/mman.h>

static unsigned memory_transaction_depth;
static bool memory_topology_dirty;
static unsigned memory_add_seq;
static AddressSpace *address_spaces;

/* ---- transactions ------------------------------------------------------ */

static void memory_topology_rebuild(void)
{
    /* a listener that edits the tree marks it dirty again: loop */
    while (memory_topology_dirty) {
        memory_topology_dirty = false;
        memory_transaction_depth++;
        for (AddressSpace *as = address_spaces; as; as = as->next) {
            address_space_update_topology(as);
        }
        memory_transaction_depth--;
    }
}

static void memory_region_changed(void)
{
    memory_topology_dirty = true;
    if (!memory_transaction_depth) {
        memory_topology_rebuild();
    }
}

void memory_region_transaction_begin(void)
{
    memory_transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    assert(memory_transaction_depth > 0);
    if (--memory_transaction_depth == 0) {
        memory_topology_rebuild();
    }
}

/* ---- regions ----------------------------------------------------------- */

static void memory_region_init_common(MemoryRegion *mr, MemoryRegionType type,
                                      const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->type = type;
    mr->name = tern_strdup(name ? name : "anonymous");
    mr->size = size;
    mr->enabled = true;
}

int memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, Error **errp)
{
    memory_region_init_common(mr, MR_RAM, name, size);
    if (size == 0) {
        return 0;
    }
    if (size > SIZE_MAX) {
        error_setg(errp, "cannot allocate RAM '%s': %" PRIu64 " bytes is too large",
                   mr->name, size);
        memory_region_destroy(mr);
        return -ENOMEM;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        int err = errno;
        error_setg_errno(errp, err, "cannot allocate %" PRIu64 " bytes of RAM for '%s'",
                         size, mr->name);
        memory_region_destroy(mr);
        return -err;
    }
#ifdef MADV_HUGEPAGE
    /* 2 MiB host pages where the host allows them (THP "madvise" mode, as
     * Debian ships): fewer host TLB misses on the soft MMU's accesses and
     * for KVM's EPT, as QEMU does; a refusal changes nothing */
    madvise(p, size, MADV_HUGEPAGE);
#endif
    mr->ram_ptr = p;
    mr->ram_owned = true;
    return 0;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *ptr)
{
    assert(ptr || !size);
    memory_region_init_common(mr, MR_RAM, name, size);
    mr->ram_ptr = ptr;
}

void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    assert(ops);
    memory_region_init_common(mr, MR_IO, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size)
{
    assert(orig && orig != mr);
    memory_region_init_common(mr, MR_ALIAS, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size)
{
    memory_region_init_common(mr, MR_CONTAINER, name, size);
}

void memory_region_destroy(MemoryRegion *mr)
{
    assert(!mr->container);
    for (AddressSpace *as = address_spaces; as; as = as->next) {
        assert(as->root != mr);
    }
    for (unsigned i = 0; i < mr->nr_subregions; i++) {
        mr->subregions[i]->container = NULL;
    }
    free(mr->subregions);
    mr->subregions = NULL;
    mr->nr_subregions = 0;
    if (mr->ram_owned && mr->size) {
        munmap(mr->ram_ptr, mr->size);
    }
    mr->ram_ptr = NULL;
    mr->ram_owned = false;
    free(mr->name);
    mr->name = NULL;
}

void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority)
{
    assert(parent->type == MR_CONTAINER);
    assert(!child->container && child != parent);
    child->container = parent;
    child->addr = offset;
    child->priority = priority;
    child->add_seq = ++memory_add_seq;

    /* keep sorted by (priority, add_seq): the newest goes after its equals */
    unsigned pos = parent->nr_subregions;
    while (pos > 0 && parent->subregions[pos - 1]->priority > priority) {
        pos--;
    }
    parent->subregions = tern_realloc(parent->subregions,
                                      (parent->nr_subregions + 1) * sizeof(MemoryRegion *));
    memmove(&parent->subregions[pos + 1], &parent->subregions[pos],
            (parent->nr_subregions - pos) * sizeof(MemoryRegion *));
    parent->subregions[pos] = child;
    parent->nr_subregions++;
    memory_region_changed();
}

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *child)
{
    memory_region_add_subregion_overlap(parent, offset, child, 0);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child)
{
    assert(child->container == parent);
    for (unsigned i = 0; i < parent->nr_subregions; i++) {
        if (parent->subregions[i] == child) {
            memmove(&parent->subregions[i], &parent->subregions[i + 1],
                    (parent->nr_subregions - i - 1) * sizeof(MemoryRegion *));
            parent->nr_subregions--;
            break;
        }
    }
    child->container = NULL;
    memory_region_changed();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_region_changed();
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        memory_region_changed();
    }
}

/* Moving keeps the region's place in the (priority, add order) ordering. */
void memory_region_set_address(MemoryRegion *mr, uint64_t addr)
{
    if (mr->addr != addr) {
        mr->addr = addr;
        memory_region_changed();
    }
}

/* ---- address spaces ---------------------------------------------------- */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = tern_strdup(name ? name : "anonymous");
    as->root = root;
    address_space_init_flatview(as);
    AddressSpace **p = &address_spaces;
    while (*p) {
        p = &(*p)->next;
    }
    *p = as;
}

void address_space_destroy(AddressSpace *as)
{
    for (AddressSpace **p = &address_spaces; *p; p = &(*p)->next) {
        if (*p == as) {
            *p = as->next;
            break;
        }
    }
    address_space_drop_flatview(as);
    free(as->name);
    as->name = NULL;
    as->root = NULL;
    as->next = NULL;
}

/* ---- device dispatch --------------------------------------------------- */

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

static bool is_pow2_size(unsigned size)
{
    return size >= 1 && size <= 8 && !(size & (size - 1));
}

static unsigned ops_valid_min(const MemoryRegionOps *ops)
{
    return ops->valid.min_access_size ? ops->valid.min_access_size : 1;
}

static unsigned ops_valid_max(const MemoryRegionOps *ops)
{
    return ops->valid.max_access_size ? ops->valid.max_access_size : 4;
}

static bool memory_region_access_valid(MemoryRegion *mr, uint64_t addr, unsigned size,
                                       bool is_write)
{
    const MemoryRegionOps *ops = mr->ops;
    const char *why = NULL;

    if (!is_pow2_size(size) || size < ops_valid_min(ops) || size > ops_valid_max(ops)) {
        why = "unsupported size";
    } else if (!ops->valid.unaligned && (addr & (size - 1))) {
        why = "unaligned";
    } else if (addr >= mr->size || size > mr->size - addr) {
        why = "outside the region";
    } else if (is_write ? !ops->write : !ops->read) {
        why = "not supported by the device";
    }
    if (why) {
        log_mask(LOG_GUEST_ERROR, "%s: invalid %s of size %u at offset 0x%" PRIx64 " (%s)\n",
                 mr->name, is_write ? "write" : "read", size, addr, why);
        return false;
    }
    return true;
}

/* The callback size for a valid access of size bytes: clamp to ops->impl
 * (0 meaning 1 and 4). */
static unsigned memory_region_impl_size(const MemoryRegionOps *ops, unsigned size)
{
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size : 4;
    unsigned access = MAX(MIN(size, imax), imin);
    assert(is_pow2_size(access));
    return access;
}

__thread ReplayHook *replay_hook;

/* One callback access, through the thread's replay hook when it has one
 * (exec/replay.h): the device's own nested accesses are not recorded. */
static uint64_t mr_read(MemoryRegion *mr, uint64_t a, unsigned size)
{
    ReplayHook *h = replay_hook;
    uint64_t v;

    if (likely(!h)) {
        return mr->ops->read(mr->opaque, a, size);
    }
    replay_hook = NULL;
    v = mr->ops->read(mr->opaque, a, size);
    replay_hook = h;
    return h->value(h, REPLAY_IO_READ, mr, a, size, v);
}

static void mr_write(MemoryRegion *mr, uint64_t a, uint64_t v, unsigned size)
{
    ReplayHook *h = replay_hook;

    if (likely(!h)) {
        mr->ops->write(mr->opaque, a, v, size);
        return;
    }
    h->value(h, REPLAY_IO_WRITE, mr, a, size, v);
    replay_hook = NULL;
    mr->ops->write(mr->opaque, a, v, size);
    replay_hook = h;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, uint64_t addr, uint64_t *val,
                                        unsigned size)
{
    assert(mr->type == MR_IO);
    if (!memory_region_access_valid(mr, addr, size, false)) {
        *val = size_mask(size);
        return MEMTX_ERROR;
    }
    /* cover [addr, addr+size) with aligned callback-sized windows and pick
     * each window's bytes out (splits wide accesses, widens narrow ones) */
    unsigned access = memory_region_impl_size(mr->ops, size);
    uint64_t first = addr & ~(uint64_t)(access - 1);
    uint64_t end = addr + size;
    uint64_t result = 0;

    for (uint64_t a = first; a < end; a += access) {
        uint64_t v = mr_read(mr, a, access);
        uint64_t lo = MAX(a, addr), hi = MIN(a + access, end);
        v = (v >> ((lo - a) * 8)) & size_mask(hi - lo);
        result |= v << ((lo - addr) * 8);
    }
    *val = result;
    return MEMTX_OK;
}

/* A widened write carries zeros in the bytes outside the access: reading
 * them back first could have device side effects. */
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, uint64_t addr, uint64_t val,
                                         unsigned size)
{
    assert(mr->type == MR_IO);
    if (!memory_region_access_valid(mr, addr, size, true)) {
        return MEMTX_ERROR;
    }
    unsigned access = memory_region_impl_size(mr->ops, size);
    uint64_t first = addr & ~(uint64_t)(access - 1);
    uint64_t end = addr + size;

    for (uint64_t a = first; a < end; a += access) {
        uint64_t lo = MAX(a, addr), hi = MIN(a + access, end);
        uint64_t v = (val >> ((lo - addr) * 8)) & size_mask(hi - lo);
        mr_write(mr, a, v << ((lo - a) * 8), access);
    }
    return MEMTX_OK;
}

/* ---- address space accesses -------------------------------------------- */

static MemTxResult memtx_worst(MemTxResult a, MemTxResult b)
{
    return a > b ? a : b;
}

static uint64_t ldn_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (i * 8);
    }
    return v;
}

static void stn_le(uint8_t *p, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = v >> (i * 8);
    }
}

/* Bytes from addr (inside no range) up to the next range or len. */
static uint64_t flatview_unmapped_len(const FlatView *fv, uint64_t addr, uint64_t len)
{
    unsigned next = flatview_upper_bound(fv, addr);

    return next < fv->nr ? MIN(len, fv->ranges[next].start - addr) : len;
}

/* The largest device access at region offset off of at most len bytes the
 * guest may make: ops->valid.max, naturally aligned unless unaligned is
 * allowed, a power of two. */
static unsigned io_access_len(const MemoryRegionOps *ops, uint64_t off, uint64_t len)
{
    uint64_t l = MIN(len, (uint64_t)MIN(ops_valid_max(ops), 8u));

    if (!ops->valid.unaligned) {
        uint64_t align = off & -off;
        if (align && align < l) {
            l = align;
        }
    }
    while (l & (l - 1)) {
        l &= l - 1;
    }
    return l ? l : 1;
}

static MemoryRamWriteHook *ram_write_hook;

void memory_set_ram_write_hook(MemoryRamWriteHook *fn)
{
    ram_write_hook = fn;
}

static void ram_written(AddressSpace *as, uint64_t addr, uint64_t len)
{
    if (ram_write_hook) {
        ram_write_hook(as, addr, len);
    }
}

/* The RAM bytes a range offers at addr: never past the region's end. */
static uint8_t *flatrange_ram(const FlatRange *fr, uint64_t addr, uint64_t n)
{
    uint64_t off = fr->offset_in_region + (addr - fr->start);
    assert(off <= fr->mr->size && n <= fr->mr->size - off);
    return fr->mr->ram_ptr + off;
}

static MemTxResult flatview_rw(AddressSpace *as, const FlatView *fv, uint64_t addr,
                               uint8_t *buf, uint64_t len, bool is_write)
{
    MemTxResult res = MEMTX_OK;

    while (len) {
        const FlatRange *fr = flatview_lookup(fv, addr);
        uint64_t n;

        if (!fr) {
            n = flatview_unmapped_len(fv, addr, len);
            log_mask(LOG_GUEST_ERROR, "%s: unmapped %s of %" PRIu64 " bytes at 0x%" PRIx64 "\n",
                     as->name, is_write ? "write" : "read", n, addr);
            if (!is_write) {
                memset(buf, 0xff, n);
            }
            res = memtx_worst(res, MEMTX_DECODE_ERROR);
        } else {
            MemoryRegion *mr = fr->mr;
            uint64_t off = fr->offset_in_region + (addr - fr->start);
            n = MIN(len, fr->size - (addr - fr->start));

            if (mr->type == MR_RAM) {
                if (!is_write) {
                    memcpy(buf, flatrange_ram(fr, addr, n), n);
                } else if (fr->readonly) {
                    log_mask(LOG_GUEST_ERROR, "%s: write of %" PRIu64 " bytes at 0x%" PRIx64
                             " to read-only %s dropped\n", as->name, n, addr, mr->name);
                } else {
                    memcpy(flatrange_ram(fr, addr, n), buf, n);
                    ram_written(as, addr, n);
                }
            } else if (is_write && fr->readonly) {
                log_mask(LOG_GUEST_ERROR, "%s: write at 0x%" PRIx64 " to read-only %s dropped\n",
                         as->name, addr, mr->name);
            } else {
                unsigned l = io_access_len(mr->ops, off, n);
                uint64_t v;
                n = l;
                if (is_write) {
                    res = memtx_worst(res, memory_region_dispatch_write(mr, off,
                                                                         ldn_le(buf, l), l));
                } else {
                    res = memtx_worst(res, memory_region_dispatch_read(mr, off, &v, l));
                    stn_le(buf, l, v);
                }
            }
        }
        addr += n;
        buf += n;
        len -= n;
    }
    return res;
}

MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    FlatView *fv = address_space_get_flatview(as);
    MemTxResult res = flatview_rw(as, fv, addr, buf, len, false);
    flatview_unref(fv);
    return res;
}

MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len)
{
    FlatView *fv = address_space_get_flatview(as);
    /* flatview_rw does not write to buf when is_write */
    MemTxResult res = flatview_rw(as, fv, addr, (uint8_t *)buf, len, true);
    flatview_unref(fv);
    return res;
}

/* The range holding all of [addr, addr+size), or NULL.  A device region
 * whose own extent holds the access takes all of it even where a
 * higher-priority region covers a later byte, as in QEMU: the PCI host's
 * dword at 0xCF8 and the byte register at 0xCF9 (docs/pc.md). */
static const FlatRange *flatview_lookup_whole(const FlatView *fv, uint64_t addr, uint64_t size)
{
    const FlatRange *fr = flatview_lookup(fv, addr);

    if (!fr || size <= fr->size - (addr - fr->start)) {
        return fr;
    }
    uint64_t off = fr->offset_in_region + (addr - fr->start);
    return fr->mr->type == MR_IO && size <= fr->mr->size - off ? fr : NULL;
}

MemTxResult address_space_ld(AddressSpace *as, uint64_t addr, unsigned size, uint64_t *val)
{
    assert(is_pow2_size(size));
    FlatView *fv = address_space_get_flatview(as);
    const FlatRange *fr = flatview_lookup_whole(fv, addr, size);
    MemTxResult res = MEMTX_OK;

    if (fr && fr->mr->type == MR_RAM) {
        *val = ldn_le(flatrange_ram(fr, addr, size), size);
    } else if (fr) {
        /* one device access, exactly as the guest made it */
        res = memory_region_dispatch_read(fr->mr, fr->offset_in_region + (addr - fr->start),
                                          val, size);
    } else {
        uint8_t b[8];
        res = flatview_rw(as, fv, addr, b, size, false);
        *val = ldn_le(b, size);
    }
    flatview_unref(fv);
    return res;
}

MemTxResult address_space_st(AddressSpace *as, uint64_t addr, unsigned size, uint64_t val)
{
    assert(is_pow2_size(size));
    FlatView *fv = address_space_get_flatview(as);
    const FlatRange *fr = flatview_lookup_whole(fv, addr, size);
    MemTxResult res = MEMTX_OK;

    if (fr && fr->mr->type == MR_RAM && !fr->readonly) {
        stn_le(flatrange_ram(fr, addr, size), size, val);
        ram_written(as, addr, size);
    } else if (fr && fr->mr->type == MR_IO && !fr->readonly) {
        res = memory_region_dispatch_write(fr->mr, fr->offset_in_region + (addr - fr->start),
                                           val, size);
    } else {
        uint8_t b[8];
        stn_le(b, size, val);
        res = flatview_rw(as, fv, addr, b, size, true);
    }
    flatview_unref(fv);
    return res;
}

void *address_space_ram_ptr(AddressSpace *as, uint64_t addr, uint64_t len, bool is_write)
{
    FlatRange fr;

    if (!address_space_lookup(as, addr, &fr) || fr.mr->type != MR_RAM ||
        (is_write && fr.readonly) || MAX(len, 1) > fr.size - (addr - fr.start)) {
        return NULL;
    }
    return flatrange_ram(&fr, addr, len);
}

/* ---- info mtree -------------------------------------------------------- */

static const char *memory_region_kind(const MemoryRegion *mr)
{
    switch (mr->type) {
    case MR_RAM:
        return mr->readonly ? "rom" : "ram";
    case MR_IO:
        return mr->readonly ? "i/o, readonly" : "i/o";
    case MR_ALIAS:
        return mr->readonly ? "alias, readonly" : "alias";
    case MR_CONTAINER:
        return mr->readonly ? "container, readonly" : "container";
    }
    return "?";
}

static void memory_region_print_level(FILE *f, const MemoryRegion *mr, uint64_t base,
                                      unsigned level)
{
    uint64_t start = base + mr->addr;

    fprintf(f, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): %s", (int)level * 2, "",
            start, start + mr->size - (mr->size ? 1 : 0), mr->priority,
            memory_region_kind(mr), mr->name);
    if (mr->type == MR_ALIAS) {
        fprintf(f, " @%s %016" PRIx64 "-%016" PRIx64, mr->alias->name, mr->alias_offset,
                mr->alias_offset + mr->size - (mr->size ? 1 : 0));
    }
    if (!mr->size) {
        fprintf(f, " [empty]");
    }
    if (!mr->enabled) {
        fprintf(f, " [disabled]");
    }
    fputc('\n', f);
    /* highest priority first: the order in which they claim addresses */
    for (unsigned i = mr->nr_subregions; i-- > 0;) {
        memory_region_print_level(f, mr->subregions[i], start, level + 1);
    }
}

void memory_region_print_tree(FILE *f, const MemoryRegion *root)
{
    memory_region_print_level(f, root, 0, 0);
}
