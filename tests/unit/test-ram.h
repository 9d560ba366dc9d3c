/*
 * test-ram.h: an address space whose only region is a test's RAM buffer
 * at physical address 0, for the unit tests that run a CPU on it.
 */
#ifndef TESTS_UNIT_TEST_RAM_H
#define TESTS_UNIT_TEST_RAM_H

#include "exec/memory.h"

struct test_ram {
    MemoryRegion root, ram;
    AddressSpace as;
};

/* Build r over buf[0..size) and return its address space. */
static inline AddressSpace *test_ram_init(struct test_ram *r, void *buf, uint64_t size,
                                          const char *name)
{
    memory_region_init_container(&r->root, "root", UINT64_MAX);
    memory_region_init_ram_ptr(&r->ram, "ram", size, buf);
    memory_region_add_subregion(&r->root, 0, &r->ram);
    address_space_init(&r->as, &r->root, name);
    return &r->as;
}

#endif
