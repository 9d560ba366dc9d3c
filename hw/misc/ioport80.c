/*
 * ioport80.c: the POST diagnostic port (see ioport80.h): one byte port
 * that swallows writes and reads 0xff, QEMU's behaviour.
 */
#include "util/osdep.h"
#include "hw/misc/ioport80.h"

static uint64_t ioport80_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0xff;
}

static void ioport80_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    /* a POST code or an io_delay: nothing to do */
}

static const MemoryRegionOps ioport80_ops = {
    .read = ioport80_read,
    .write = ioport80_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

IOPort80State *ioport80_init(MemoryRegion *io, uint64_t base)
{
    IOPort80State *s = tern_malloc0(sizeof(*s));

    memory_region_init_io(&s->io, &ioport80_ops, s, "ioport80", 1);
    memory_region_add_subregion(io, base, &s->io);
    return s;
}

void ioport80_destroy(IOPort80State *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}
