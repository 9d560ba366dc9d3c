/*
 * portcf9.c: the PIIX3 reset control register at 0xCF9 (see portcf9.h).
 * Accesses come with the machine lock held.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/i386/portcf9.h"
#include "sysemu/runstate.h"

#define RC_SYS_RST  0x02
#define RC_RST_CPU  0x04
#define RC_FULL_RST 0x08
#define RC_RW       (RC_SYS_RST | RC_RST_CPU | RC_FULL_RST)

static uint64_t portcf9_read(void *opaque, uint64_t addr, unsigned size)
{
    PortCF9State *s = opaque;

    return s->value;
}

static void portcf9_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PortCF9State *s = opaque;
    uint8_t old = s->value;

    s->value = val & RC_RW;
    if (s->value & ~old & RC_RST_CPU) {
        log_mask(LOG_INT, "portcf9: reset (RC 0x%02x)\n", s->value);
        runstate_request_reset();
    }
}

static const MemoryRegionOps portcf9_ops = {
    .read = portcf9_read,
    .write = portcf9_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void portcf9_reset(PortCF9State *s)
{
    s->value = 0;
}

PortCF9State *portcf9_init(MemoryRegion *io)
{
    PortCF9State *s = tern_malloc0(sizeof(*s));

    memory_region_init_io(&s->io, &portcf9_ops, s, "portcf9", 1);
    memory_region_add_subregion_overlap(io, PORTCF9_ADDR, &s->io, PORTCF9_PRIORITY);
    return s;
}

void portcf9_destroy(PortCF9State *s, MemoryRegion *io)
{
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}
