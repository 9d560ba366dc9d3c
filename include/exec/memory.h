/*
 * memory.h: tern's memory API.
 *
 * Guest-visible address spaces are built from a tree of MemoryRegions:
 *   RAM        host memory backing guest RAM or ROM (ram_ptr)
 *   I/O        a device window served by a MemoryRegionOps table
 *   alias      a window onto part of another region
 *   container  holds subregions at offsets, with priorities
 * Each AddressSpace (system memory, I/O ports) has a root region.  After any
 * change to the tree the tree is flattened into a FlatView: a sorted array of
 * non-overlapping FlatRanges, each naming the leaf region (RAM or I/O) that
 * owns that range, with higher-priority (and, at equal priority, later-added)
 * subregions hiding lower ones.  Listeners (the TCG TLB, KVM memslots) are
 * told of each range removed and added, then of the commit.
 *
 * Accesses: address_space_read/write split an access by FlatRange and by the
 * ops' valid/implemented access sizes.  Reads of unmapped space return all
 * ones and writes are dropped; both are logged under -d guest_errors.
 *
 * Locking: the tree is changed only under the machine lock (see
 * sysemu/runstate.h); a FlatView is immutable once published and is reference
 * counted, so a vCPU may keep using the one it holds until it drops it.
 * Taking a reference takes a mutex; a thread that looks addresses up often
 * (a TCG vCPU) enables its per-thread view cache instead, which makes
 * address_space_lookup lock-free until the next topology change
 * (docs/memory-api.md, "Locking").
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;
typedef struct FlatRange FlatRange;
typedef struct MemoryListener MemoryListener;

typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_DECODE_ERROR = 1,   /* nothing mapped there */
    MEMTX_ERROR = 2,          /* the device refused the access */
} MemTxResult;

typedef struct MemoryRegionOps {
    /* addr is relative to the region; size in bytes (1, 2, 4 or 8). */
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t val, unsigned size);
    struct {
        /* Sizes the guest may use; other accesses are errors (all ones /
         * dropped).  0 means 1 (min) and 4 (max). */
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;           /* accept addr % size != 0 */
    } valid;
    struct {
        /* Sizes the read/write callbacks handle; the core splits or widens
         * other valid accesses.  0 means 1 (min) and 4 (max). */
        unsigned min_access_size;
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

typedef enum MemoryRegionType {
    MR_RAM,
    MR_IO,
    MR_ALIAS,
    MR_CONTAINER,
} MemoryRegionType;

struct MemoryRegion {
    MemoryRegionType type;
    char *name;
    uint64_t size;
    bool enabled;
    bool readonly;                 /* RAM used as ROM: writes dropped */
    /* MR_RAM */
    uint8_t *ram_ptr;
    bool ram_owned;                /* allocated by memory_region_init_ram */
    /* MR_IO */
    const MemoryRegionOps *ops;
    void *opaque;
    /* MR_ALIAS */
    MemoryRegion *alias;
    uint64_t alias_offset;
    /* position in the parent container */
    MemoryRegion *container;
    uint64_t addr;
    int priority;
    unsigned add_seq;              /* insertion order, breaks priority ties */
    /* MR_CONTAINER: children, kept sorted by (priority, add_seq) */
    MemoryRegion **subregions;
    unsigned nr_subregions;
};

struct FlatRange {
    uint64_t start;                /* address in the address space */
    uint64_t size;
    MemoryRegion *mr;              /* leaf: MR_RAM or MR_IO */
    uint64_t offset_in_region;     /* offset of start within mr */
    bool readonly;
};

struct FlatView {
    int refcount;
    FlatRange *ranges;             /* sorted by start, non-overlapping */
    unsigned nr;
};

struct MemoryListener {
    /* Each is optional.  Called under the machine lock, after the new
     * FlatView is built: first region_del for every range that went away or
     * changed, then region_add for every new or changed range, then commit. */
    void (*region_add)(MemoryListener *l, const FlatRange *fr);
    void (*region_del)(MemoryListener *l, const FlatRange *fr);
    void (*commit)(MemoryListener *l);
    void *opaque;
    /* private */
    AddressSpace *as;
    MemoryListener *next;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;
    MemoryListener *listeners;
    AddressSpace *next;            /* in the list of all address spaces */
};

/* ---- regions ---------------------------------------------------------- */

/* RAM of the given size, zero-filled, allocated with mmap (so guests of
 * several GiB cost nothing until touched).  Fails only if mmap fails. */
int memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, Error **errp);
/* RAM backed by caller-owned host memory (ROM images, tests). */
void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *ptr);
void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size);
void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size);
/* Free what init allocated (name, RAM, child array).  The region must not
 * be mapped. */
void memory_region_destroy(MemoryRegion *mr);

/* Map child at offset in parent with priority 0 / the given priority. */
void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *child);
void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority);
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
void memory_region_set_address(MemoryRegion *mr, uint64_t addr);

/* Batch several changes into one FlatView rebuild.  Nestable. */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* Dispatch one access of size 1..8 to an I/O region, splitting or widening
 * per ops->impl.  addr is relative to mr. */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, uint64_t addr, uint64_t *val,
                                        unsigned size);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, uint64_t addr, uint64_t val,
                                         unsigned size);

/* ---- address spaces --------------------------------------------------- */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
void address_space_destroy(AddressSpace *as);

/* The current FlatView, with a reference taken; drop it with flatview_unref. */
FlatView *address_space_get_flatview(AddressSpace *as);
void flatview_unref(FlatView *fv);
/* The range containing addr, or NULL if unmapped.  Binary search. */
const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr);

/* Byte-granular accesses of any length; split across ranges and device
 * access sizes.  Unmapped bytes read as 0xff. */
MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);
MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len);
/* One little-endian access of size 1, 2, 4 or 8. */
MemTxResult address_space_ld(AddressSpace *as, uint64_t addr, unsigned size, uint64_t *val);
MemTxResult address_space_st(AddressSpace *as, uint64_t addr, unsigned size, uint64_t val);
/* Host pointer for [addr, addr+len) if it lies entirely in one RAM range,
 * else NULL.  Valid until the next topology change.  Writes through it are
 * not seen by the RAM-write hook below (the CPU's TLB tracks its own). */
void *address_space_ram_ptr(AddressSpace *as, uint64_t addr, uint64_t len, bool is_write);

/*
 * The RAM-write hook: called after address_space_write/address_space_st
 * (loaders, device DMA) changed RAM bytes [addr, addr+len) of as, so that
 * the accelerator can drop translated code made from them.  One hook;
 * NULL (the default) for none.  It may run on any thread.
 */
typedef void MemoryRamWriteHook(AddressSpace *as, uint64_t addr, uint64_t len);
void memory_set_ram_write_hook(MemoryRamWriteHook *fn);
/* Copy the range of the current view that contains addr to *out; false if
 * addr is unmapped.  The copy names its region (which lives as long as it
 * is mapped), not the view, so it needs no reference.  Lock-free on a thread
 * whose view cache is enabled. */
bool address_space_lookup(AddressSpace *as, uint64_t addr, FlatRange *out);

/* The calling thread's view cache: while enabled, address_space_lookup
 * keeps one FlatView reference per address space in thread-local storage
 * and takes a new one only when a topology change was published since.
 * For threads that look up often (vCPUs); disable before the thread exits,
 * which drops the cached references (until then, replaced views stay
 * allocated). */
void flatview_thread_cache_enable(void);
void flatview_thread_cache_disable(void);

void memory_listener_register(MemoryListener *l, AddressSpace *as);
void memory_listener_unregister(MemoryListener *l);

/* Print the region tree ("info mtree") and the flat view. */
void memory_region_print_tree(FILE *f, const MemoryRegion *root);
void flatview_print(FILE *f, const FlatView *fv);

#endif
