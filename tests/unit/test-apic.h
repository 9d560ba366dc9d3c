/*
 * test-apic.h: 32-bit register access to a local APIC's xAPIC page, as a
 * guest's MOV does, for the APIC unit tests.
 */
#ifndef TESTS_UNIT_TEST_APIC_H
#define TESTS_UNIT_TEST_APIC_H

#include "exec/memory.h"
#include "hw/intc/apic.h"

static inline uint32_t rd(APICState *s, uint32_t off)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&s->mmio, off, &v, 4);
    return v;
}

static inline void wr(APICState *s, uint32_t off, uint32_t v)
{
    memory_region_dispatch_write(&s->mmio, off, v, 4);
}

#endif
