/*
 * debugexit.c: isa-debug-exit.  A write of v requests a shutdown with
 * status (v << 1) | 1 (QEMU's convention); the VM stops once every vCPU
 * has left guest code, so the access that requested it is the last one.
 */
#include "util/osdep.h"
#include "hw/misc/debugexit.h"
#include "sysemu/runstate.h"

static uint64_t debugexit_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void debugexit_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    /* val is at most 32 bits wide (max_access_size 4); the status wraps
     * like QEMU's exit((val << 1) | 1) does. */
    runstate_request_shutdown((int)(((uint32_t)val << 1) | 1));
}

static const MemoryRegionOps debugexit_ops = {
    .read = debugexit_read,
    .write = debugexit_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

DebugExitState *debugexit_init(MemoryRegion *io, uint64_t iobase, uint64_t iosize)
{
    DebugExitState *s = tern_malloc0(sizeof(*s));

    memory_region_init_io(&s->io, &debugexit_ops, s, "isa-debug-exit", iosize);
    memory_region_add_subregion(io, iobase, &s->io);
    return s;
}

void debugexit_destroy(DebugExitState *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}
