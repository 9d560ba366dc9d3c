/*
 * pc-testdev.c: QEMU's pc-testdev (see pc-testdev.h), the register layout
 * of QEMU's hw/misc/pc-testdev.c.
 *
 * The flush window takes 4-byte writes (a guest-physical address in QEMU)
 * and does nothing.  QEMU mprotects the host page behind that address to
 * PROT_NONE and back, which under KVM makes the kernel drop its mapping of
 * the guest page and under TCG changes nothing.  tern does not: another
 * vCPU thread touching the page in between would fault in the host, and
 * the compare engine owns RAM's page protections (util/write-undo.c).
 */
#include "util/osdep.h"
#include "hw/misc/pc-testdev.h"

#define PC_TESTDEV_FLUSH_OFF       4
#define PC_TESTDEV_IOPORT_BYTE_OFF 8

/* The register's bytes [addr & 3, + size) as a mask of the 32-bit value. */
static uint32_t pc_testdev_ioport_mask(uint64_t addr, unsigned size)
{
    uint64_t bytes = size >= 8 ? UINT64_MAX : (1ull << (size * 8)) - 1;

    return (uint32_t)(bytes << ((addr & 3) * 8));
}

static uint64_t pc_testdev_ioport_read(void *opaque, uint64_t addr, unsigned size)
{
    PCTestdevState *s = opaque;

    return (s->ioport_data & pc_testdev_ioport_mask(addr, size)) >> ((addr & 3) * 8);
}

static void pc_testdev_ioport_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCTestdevState *s = opaque;
    uint32_t mask = pc_testdev_ioport_mask(addr, size);

    s->ioport_data = (s->ioport_data & ~mask) | ((uint32_t)(val << ((addr & 3) * 8)) & mask);
}

/* Unaligned accesses are refused, so the CPU splits them into bytes, as
 * QEMU's port dispatch does. */
static const MemoryRegionOps pc_testdev_ioport_ops = {
    .read = pc_testdev_ioport_read,
    .write = pc_testdev_ioport_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps pc_testdev_ioport_byte_ops = {
    .read = pc_testdev_ioport_read,
    .write = pc_testdev_ioport_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t pc_testdev_zero_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void pc_testdev_flush_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    /* see the top of the file */
}

static const MemoryRegionOps pc_testdev_flush_ops = {
    .read = pc_testdev_zero_read,
    .write = pc_testdev_flush_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void pc_testdev_irq_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCTestdevState *s = opaque;
    int level = val != 0;

    if (addr >= PC_TESTDEV_IRQS) {
        return;
    }
    s->irq_level = (s->irq_level & ~(1u << addr)) | (uint32_t)level << addr;
    irq_line_set(&s->irqs[addr], level);
}

/* One byte per line, as QEMU's; wider accesses arrive as bytes. */
static const MemoryRegionOps pc_testdev_irq_ops = {
    .read = pc_testdev_zero_read,
    .write = pc_testdev_irq_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t pc_testdev_iomem_read(void *opaque, uint64_t addr, unsigned size)
{
    PCTestdevState *s = opaque;
    uint64_t v = 0;

    if (addr >= PC_TESTDEV_IOMEM_SIZE || size > PC_TESTDEV_IOMEM_SIZE - addr) {
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)s->iomem_buf[addr + i] << (i * 8);
    }
    return v;
}

static void pc_testdev_iomem_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCTestdevState *s = opaque;

    if (addr >= PC_TESTDEV_IOMEM_SIZE || size > PC_TESTDEV_IOMEM_SIZE - addr) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        s->iomem_buf[addr + i] = (uint8_t)(val >> (i * 8));
    }
}

/* Plain memory: any width up to 8, aligned or not.  Byte callbacks, as the
 * core would pad an unaligned write's aligned windows with zeros. */
static const MemoryRegionOps pc_testdev_iomem_ops = {
    .read = pc_testdev_iomem_read,
    .write = pc_testdev_iomem_write,
    .valid = { .min_access_size = 1, .max_access_size = 8, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

PCTestdevState *pc_testdev_init(MemoryRegion *io, uint64_t iobase, uint64_t irqbase,
                                MemoryRegion *mem, uint64_t membase, IRQLine *irqs)
{
    PCTestdevState *s = tern_malloc0(sizeof(*s));

    s->irqs = irqs;
    memory_region_init_io(&s->ioport, &pc_testdev_ioport_ops, s, "pc-testdev-ioport", 4);
    memory_region_init_io(&s->flush, &pc_testdev_flush_ops, s, "pc-testdev-flush-page", 4);
    memory_region_init_io(&s->ioport_byte, &pc_testdev_ioport_byte_ops, s,
                          "pc-testdev-ioport-byte", 4);
    memory_region_init_io(&s->irq, &pc_testdev_irq_ops, s, "pc-testdev-irq-line",
                          PC_TESTDEV_IRQS);
    memory_region_init_io(&s->iomem, &pc_testdev_iomem_ops, s, "pc-testdev-iomem",
                          PC_TESTDEV_IOMEM_SIZE);
    memory_region_add_subregion(io, iobase, &s->ioport);
    memory_region_add_subregion(io, iobase + PC_TESTDEV_FLUSH_OFF, &s->flush);
    memory_region_add_subregion(io, iobase + PC_TESTDEV_IOPORT_BYTE_OFF, &s->ioport_byte);
    memory_region_add_subregion(io, irqbase, &s->irq);
    memory_region_add_subregion(mem, membase, &s->iomem);
    return s;
}

void pc_testdev_reset(PCTestdevState *s)
{
    for (unsigned n = 0; n < PC_TESTDEV_IRQS; n++) {
        if (s->irq_level & (1u << n)) {
            irq_line_lower(&s->irqs[n]);
        }
    }
    s->irq_level = 0;
}

void pc_testdev_destroy(PCTestdevState *s, MemoryRegion *io, MemoryRegion *mem)
{
    if (!s) {
        return;
    }
    memory_region_del_subregion(io, &s->ioport);
    memory_region_del_subregion(io, &s->flush);
    memory_region_del_subregion(io, &s->ioport_byte);
    memory_region_del_subregion(io, &s->irq);
    memory_region_del_subregion(mem, &s->iomem);
    memory_region_destroy(&s->ioport);
    memory_region_destroy(&s->flush);
    memory_region_destroy(&s->ioport_byte);
    memory_region_destroy(&s->irq);
    memory_region_destroy(&s->iomem);
    free(s);
}
