/*
 * port92.c: System Control Port A (see port92.h).  Accesses come with the
 * machine lock held, from the vCPU that made them.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/i386/port92.h"
#include "sysemu/runstate.h"

#define PORT92_FAST_RESET 0x01
#define PORT92_A20        0x02

static uint64_t port92_read(void *opaque, uint64_t addr, unsigned size)
{
    Port92State *s = opaque;

    return s->value & ~PORT92_FAST_RESET;
}

static void port92_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Port92State *s = opaque;
    uint8_t old = s->value;

    s->value = (uint8_t)val;
    if ((old ^ s->value) & PORT92_A20) {
        irq_line_set(s->a20, !!(s->value & PORT92_A20));
    }
    if (val & PORT92_FAST_RESET) {
        log_mask(LOG_INT, "port92: fast reset\n");
        runstate_request_reset();
    }
}

static const MemoryRegionOps port92_ops = {
    .read = port92_read,
    .write = port92_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void port92_reset(Port92State *s)
{
    s->value = PORT92_A20;
    irq_line_set(s->a20, 1);
}

Port92State *port92_init(MemoryRegion *io, IRQLine *a20)
{
    Port92State *s = tern_malloc0(sizeof(*s));

    s->value = PORT92_A20;
    s->a20 = a20;
    memory_region_init_io(&s->io, &port92_ops, s, "port92", 1);
    memory_region_add_subregion(io, PORT92_ADDR, &s->io);
    return s;
}
