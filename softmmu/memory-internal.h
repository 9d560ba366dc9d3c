/*
 * memory-internal.h: what softmmu/memory.c and softmmu/flatview.c share.
 * Private to softmmu/; the public API is include/exec/memory.h.
 */
#ifndef SOFTMMU_MEMORY_INTERNAL_H
#define SOFTMMU_MEMORY_INTERNAL_H

#include "util/osdep.h"
#include "exec/memory.h"

/* Flatten the tree under root into a new FlatView (refcount 1). */
FlatView *flatview_render(MemoryRegion *root);
/* Index of the first range that starts above addr (binary search). */
unsigned flatview_upper_bound(const FlatView *fv, uint64_t addr);
/* Re-render as's view; if it changed, publish it and tell the listeners. */
void address_space_update_topology(AddressSpace *as);
/* Publish the first view of a new address space. */
void address_space_init_flatview(AddressSpace *as);
/* Drop as's view and detach its listeners (address_space_destroy). */
void address_space_drop_flatview(AddressSpace *as);

#endif
