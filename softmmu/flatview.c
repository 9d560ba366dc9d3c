/*
 * flatview.c: flattening the MemoryRegion tree into FlatViews, looking
 * addresses up in them, and telling listeners what changed.
 *
 * Rendering follows QEMU: a container renders its subregions from the
 * highest (priority, add order) to the lowest, and each leaf only fills the
 * gaps the ranges already rendered left inside its window.  So a higher
 * priority subregion hides everything below it, a lower priority container
 * never punches holes into a higher one, and at equal priority the region
 * added later wins.  Aliases render their target shifted, clipped to the
 * alias window; disabled regions (and everything under them) render nothing.
 * Addresses are computed in 128 bits so windows reaching 2^64 and aliases
 * whose target starts below address 0 clip correctly.
 *
 * Invariants: a published FlatView is sorted by start, non-overlapping, has
 * no empty ranges, and every range lies inside its region
 * (offset_in_region + size <= mr->size); it is never modified afterwards.
 * Adjacent ranges of one region with contiguous offsets are merged.
 *
 * Locking: rendering and publishing run under the machine lock (the tree is
 * only changed under it).  flatview_lock guards the as->current_map pointer
 * swap against address_space_get_flatview() callers that do not hold the
 * machine lock: they take their reference under it, so the old view cannot
 * be freed between reading the pointer and taking the reference.
 * Reference counts use atomic operations.
 *
 * The per-thread view cache (flatview_thread_cache_enable) lets a thread that
 * makes many lookups (a TCG vCPU filling its TLB) skip that lock and the
 * reference count: it keeps one reference per address space it uses, tagged
 * with flatview_generation, which every publish bumps (after the swap, under
 * flatview_lock).  A lookup whose tag still matches uses the cached view as
 * is; otherwise it takes a fresh reference the ordinary way and drops the
 * old one.  So a replaced view is freed only once every thread that cached
 * it has refreshed or disabled its cache: reclamation is deferred, never
 * early.  Cached views are used only inside address_space_lookup, which
 * calls out to nothing, so no borrowed view survives a refresh.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "softmmu/memory-internal.h"

#include <pthread.h>

typedef __int128 i128;

static pthread_mutex_t flatview_lock = PTHREAD_MUTEX_INITIALIZER;
/* Bumped by every publish, of any address space (atomic; written under
 * flatview_lock).  One counter for all: topology changes are rare, and a
 * destroyed address space cannot alias a live cache entry. */
static unsigned flatview_generation;

/* ---- building ---------------------------------------------------------- */

typedef struct FlatViewBuilder {
    FlatView *fv;
    unsigned cap;
} FlatViewBuilder;

static void flatview_insert(FlatViewBuilder *b, unsigned pos, const FlatRange *fr)
{
    FlatView *fv = b->fv;

    if (fv->nr == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        fv->ranges = tern_realloc(fv->ranges, b->cap * sizeof(*fv->ranges));
    }
    memmove(&fv->ranges[pos + 1], &fv->ranges[pos], (fv->nr - pos) * sizeof(*fv->ranges));
    fv->ranges[pos] = *fr;
    fv->nr++;
}

static i128 flatrange_end(const FlatRange *fr)
{
    return (i128)fr->start + fr->size;
}

/* Fill the parts of [start, end) not yet covered with leaf mr, which is
 * mapped at base (so address a is offset a - base in mr). */
static void flatview_fill_gaps(FlatViewBuilder *b, MemoryRegion *mr, i128 base,
                               i128 start, i128 end, bool readonly)
{
    FlatView *fv = b->fv;
    unsigned i = 0;

    while (start < end) {
        while (i < fv->nr && flatrange_end(&fv->ranges[i]) <= start) {
            i++;
        }
        if (i < fv->nr && (i128)fv->ranges[i].start <= start) {
            /* covered by something rendered earlier (higher priority) */
            start = flatrange_end(&fv->ranges[i]);
            i++;
            continue;
        }
        i128 piece_end = end;
        if (i < fv->nr && (i128)fv->ranges[i].start < piece_end) {
            piece_end = fv->ranges[i].start;
        }
        FlatRange fr = {
            .start = (uint64_t)start,
            .size = (uint64_t)(piece_end - start),
            .mr = mr,
            .offset_in_region = (uint64_t)(start - base),
            .readonly = readonly,
        };
        flatview_insert(b, i, &fr);
        i++;
        start = piece_end;
    }
}

/* Render mr, whose container is at base, inside the window [clip_start,
 * clip_end). */
static void flatview_render_region(FlatViewBuilder *b, MemoryRegion *mr, i128 base,
                                   i128 clip_start, i128 clip_end, bool readonly,
                                   unsigned depth)
{
    /* an alias cycle would recurse forever */
    assert(depth < 256);
    if (!mr->enabled) {
        return;
    }
    base += mr->addr;
    i128 start = MAX(base, clip_start);
    i128 end = MIN(base + (i128)mr->size, clip_end);
    if (start >= end) {
        return;
    }
    readonly |= mr->readonly;

    switch (mr->type) {
    case MR_ALIAS:
        /* the target's offset alias_offset appears at base */
        base -= mr->alias->addr;
        base -= mr->alias_offset;
        flatview_render_region(b, mr->alias, base, start, end, readonly, depth + 1);
        break;
    case MR_CONTAINER:
        for (unsigned i = mr->nr_subregions; i-- > 0;) {
            flatview_render_region(b, mr->subregions[i], base, start, end, readonly,
                                   depth + 1);
        }
        break;
    case MR_RAM:
    case MR_IO:
        flatview_fill_gaps(b, mr, base, start, end, readonly);
        break;
    }
}

static bool flatrange_can_merge(const FlatRange *a, const FlatRange *b)
{
    return a->mr == b->mr && a->readonly == b->readonly &&
           flatrange_end(a) == (i128)b->start &&
           a->offset_in_region + a->size == b->offset_in_region;
}

static void flatview_simplify(FlatView *fv)
{
    unsigned out = 0;

    for (unsigned i = 0; i < fv->nr; i++) {
        if (out && flatrange_can_merge(&fv->ranges[out - 1], &fv->ranges[i])) {
            fv->ranges[out - 1].size += fv->ranges[i].size;
        } else {
            fv->ranges[out++] = fv->ranges[i];
        }
    }
    fv->nr = out;
}

FlatView *flatview_render(MemoryRegion *root)
{
    FlatViewBuilder b = { .fv = tern_malloc0(sizeof(FlatView)) };

    b.fv->refcount = 1;
    if (root) {
        flatview_render_region(&b, root, 0, 0, (i128)1 << 64, false, 0);
    }
    flatview_simplify(b.fv);
    return b.fv;
}

/* ---- references and lookup --------------------------------------------- */

static void flatview_ref(FlatView *fv)
{
    __atomic_add_fetch(&fv->refcount, 1, __ATOMIC_RELAXED);
}

void flatview_unref(FlatView *fv)
{
    if (fv && __atomic_sub_fetch(&fv->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
        free(fv->ranges);
        free(fv);
    }
}

FlatView *address_space_get_flatview(AddressSpace *as)
{
    pthread_mutex_lock(&flatview_lock);
    FlatView *fv = as->current_map;
    if (fv) {
        flatview_ref(fv);
    }
    pthread_mutex_unlock(&flatview_lock);
    return fv;
}

unsigned flatview_upper_bound(const FlatView *fv, uint64_t addr)
{
    unsigned lo = 0, hi = fv->nr;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (fv->ranges[mid].start <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr)
{
    /* the last range with start <= addr */
    unsigned lo = flatview_upper_bound(fv, addr);

    if (lo == 0) {
        return NULL;
    }
    const FlatRange *fr = &fv->ranges[lo - 1];
    return addr - fr->start < fr->size ? fr : NULL;
}

/* ---- the per-thread view cache ------------------------------------------ */

#define VIEW_CACHE_SLOTS 4   /* a vCPU uses "memory" and "I/O" */

typedef struct ViewCacheSlot {
    AddressSpace *as;        /* NULL: free */
    FlatView *fv;            /* a reference owned by the slot */
    unsigned generation;     /* flatview_generation when fv was current */
} ViewCacheSlot;

typedef struct ViewCache {
    bool enabled;
    unsigned victim;         /* next slot to reuse when all are taken */
    ViewCacheSlot slot[VIEW_CACHE_SLOTS];
} ViewCache;

static __thread ViewCache view_cache;

void flatview_thread_cache_enable(void)
{
    view_cache.enabled = true;
}

void flatview_thread_cache_disable(void)
{
    for (unsigned i = 0; i < VIEW_CACHE_SLOTS; i++) {
        flatview_unref(view_cache.slot[i].fv);
    }
    memset(&view_cache, 0, sizeof(view_cache));
}

/* as's view from this thread's cache, refreshed if a publish happened since
 * it was taken.  Borrowed: valid until this thread's next lookup. */
static FlatView *view_cache_get(ViewCache *c, AddressSpace *as)
{
    unsigned gen = __atomic_load_n(&flatview_generation, __ATOMIC_ACQUIRE);
    ViewCacheSlot *s = NULL;

    for (unsigned i = 0; i < VIEW_CACHE_SLOTS; i++) {
        if (c->slot[i].as == as) {
            s = &c->slot[i];
            if (s->generation == gen) {
                return s->fv;
            }
            break;
        }
    }
    if (!s) {
        s = &c->slot[c->victim];
        c->victim = (c->victim + 1) % VIEW_CACHE_SLOTS;
    }
    /* gen was read before the view: a publish in between only makes the
     * next lookup refresh again, never keeps an old view. */
    flatview_unref(s->fv);
    s->as = as;
    s->fv = address_space_get_flatview(as);
    s->generation = gen;
    return s->fv;
}

bool address_space_lookup(AddressSpace *as, uint64_t addr, FlatRange *out)
{
    bool cached = view_cache.enabled;
    FlatView *fv = cached ? view_cache_get(&view_cache, as) : address_space_get_flatview(as);
    const FlatRange *fr = fv ? flatview_lookup(fv, addr) : NULL;

    if (fr) {
        *out = *fr;
    }
    if (!cached) {
        flatview_unref(fv);
    }
    return fr != NULL;
}

/* ---- publishing and listeners ------------------------------------------ */

static bool flatrange_equal(const FlatRange *a, const FlatRange *b)
{
    return a->start == b->start && a->size == b->size && a->mr == b->mr &&
           a->offset_in_region == b->offset_in_region && a->readonly == b->readonly;
}

static bool flatview_equal(const FlatView *a, const FlatView *b)
{
    if (a->nr != b->nr) {
        return false;
    }
    for (unsigned i = 0; i < a->nr; i++) {
        if (!flatrange_equal(&a->ranges[i], &b->ranges[i])) {
            return false;
        }
    }
    return true;
}

/* One pass of the old/new merge walk: adding false reports ranges that went
 * away or changed (region_del), adding true new or changed ones. */
static void listener_update_pass(MemoryListener *l, const FlatView *old,
                                 const FlatView *new, bool adding)
{
    unsigned io = 0, in = 0;

    while (io < old->nr || in < new->nr) {
        const FlatRange *fo = io < old->nr ? &old->ranges[io] : NULL;
        const FlatRange *fn = in < new->nr ? &new->ranges[in] : NULL;

        if (fo && (!fn || fo->start < fn->start ||
                   (fo->start == fn->start && !flatrange_equal(fo, fn)))) {
            if (!adding && l->region_del) {
                l->region_del(l, fo);
            }
            io++;
        } else if (fo && fn && flatrange_equal(fo, fn)) {
            io++;
            in++;
        } else {
            if (adding && l->region_add) {
                l->region_add(l, fn);
            }
            in++;
        }
    }
}

static void address_space_publish(AddressSpace *as, FlatView *fv)
{
    pthread_mutex_lock(&flatview_lock);
    FlatView *old = as->current_map;
    as->current_map = fv;
    /* after the swap: a cache that sees the new generation gets fv */
    __atomic_add_fetch(&flatview_generation, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&flatview_lock);
    flatview_unref(old);
}

void address_space_init_flatview(AddressSpace *as)
{
    /* published, so that a cache slot left by an earlier address space at
     * this address goes stale */
    address_space_publish(as, flatview_render(as->root));
}

void address_space_update_topology(AddressSpace *as)
{
    FlatView *new = flatview_render(as->root);
    FlatView *old = as->current_map;

    if (flatview_equal(old, new)) {
        flatview_unref(new);
        return;
    }
    /* keep old alive for the diff; publishing drops the map's reference */
    flatview_ref(old);
    address_space_publish(as, new);
    for (MemoryListener *l = as->listeners; l; l = l->next) {
        listener_update_pass(l, old, new, false);
    }
    for (MemoryListener *l = as->listeners; l; l = l->next) {
        listener_update_pass(l, old, new, true);
    }
    for (MemoryListener *l = as->listeners; l; l = l->next) {
        if (l->commit) {
            l->commit(l);
        }
    }
    flatview_unref(old);
}

void address_space_drop_flatview(AddressSpace *as)
{
    for (MemoryListener *l = as->listeners, *next; l; l = next) {
        next = l->next;
        l->as = NULL;
        l->next = NULL;
    }
    as->listeners = NULL;
    address_space_publish(as, NULL);
}

/* A new listener is told of every range already mapped, as if each had just
 * been added, so it needs no separate initial scan. */
void memory_listener_register(MemoryListener *l, AddressSpace *as)
{
    static const FlatView empty;
    MemoryListener **p = &as->listeners;

    assert(!l->as);
    while (*p) {
        p = &(*p)->next;
    }
    l->as = as;
    l->next = NULL;
    *p = l;
    listener_update_pass(l, &empty, as->current_map, true);
    if (l->commit) {
        l->commit(l);
    }
}

/* An unregistered listener is told every range goes away (KVM drops its
 * memslots); after address_space_destroy it is already detached. */
void memory_listener_unregister(MemoryListener *l)
{
    static const FlatView empty;
    AddressSpace *as = l->as;

    if (!as) {
        return;
    }
    for (MemoryListener **p = &as->listeners; *p; p = &(*p)->next) {
        if (*p == l) {
            *p = l->next;
            break;
        }
    }
    listener_update_pass(l, as->current_map, &empty, false);
    if (l->commit) {
        l->commit(l);
    }
    l->as = NULL;
    l->next = NULL;
}

void flatview_print(FILE *f, const FlatView *fv)
{
    fprintf(f, "FlatView (%u ranges)\n", fv->nr);
    for (unsigned i = 0; i < fv->nr; i++) {
        const FlatRange *fr = &fv->ranges[i];
        const char *kind = fr->mr->type == MR_IO ? "i/o" : fr->readonly ? "rom" : "ram";
        fprintf(f, "  %016" PRIx64 "-%016" PRIx64 " (%s): %s @%016" PRIx64 "\n",
                fr->start, fr->start + fr->size - 1, kind, fr->mr->name,
                fr->offset_in_region);
    }
}
