/*
 * port61.c: System Control Port B (see port61.h).  Accesses come with the
 * machine lock held, from the vCPU that made them.
 */
#include "util/osdep.h"
#include "hw/i386/port61.h"

#define PORT61_GATE2      0x01
#define PORT61_WRITABLE   0x0f
#define PORT61_REFRESH    0x10
#define PORT61_OUT2       0x20
#define PORT61_REFRESH_TICKS 18     /* 15.085 us */

static uint64_t port61_read(void *opaque, uint64_t addr, unsigned size)
{
    Port61State *s = opaque;
    uint8_t v = s->value;

    if ((pit_now_tick(s->pit) / PORT61_REFRESH_TICKS) & 1) {
        v |= PORT61_REFRESH;
    }
    if (pit_get_out(s->pit, 2)) {
        v |= PORT61_OUT2;
    }
    return v;
}

static void port61_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Port61State *s = opaque;

    s->value = val & PORT61_WRITABLE;
    pit_set_gate(s->pit, 2, s->value & PORT61_GATE2);
}

static const MemoryRegionOps port61_ops = {
    .read = port61_read,
    .write = port61_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void port61_reset(Port61State *s)
{
    s->value = 0;
    pit_set_gate(s->pit, 2, false);
}

void port61_destroy(Port61State *s, MemoryRegion *io)
{
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}

Port61State *port61_init(MemoryRegion *io, PITState *pit)
{
    Port61State *s = tern_malloc0(sizeof(*s));

    s->pit = pit;
    memory_region_init_io(&s->io, &port61_ops, s, "port61", 1);
    memory_region_add_subregion(io, PORT61_ADDR, &s->io);
    return s;
}
