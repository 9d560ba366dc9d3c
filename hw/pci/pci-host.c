/*
 * pci-host.c: configuration mechanism #1 (PCI Local Bus spec 3.0,
 * 3.2.2.3.2).  CONFIG_ADDRESS (0xCF8): bit 31 enable, 23:16 bus, 15:11
 * device, 10:8 function, 7:2 register; bits 30:24 and 1:0 read 0.  It
 * decodes only dword accesses: others are not this register (the byte
 * port 0xCF9 above it gets them, docs/pc.md).  CONFIG_DATA (0xCFC-0xCFF):
 * a byte, word or dword at its offset within the dword CONFIG_ADDRESS
 * selects.  With the enable bit clear, on a bus other than 0, or for an
 * absent function, reads give all ones (master abort) and writes are
 * dropped.  Misaligned CONFIG_DATA accesses (a word at 0xCFD) are refused
 * here and reach it as bytes (the CPU's port split, target-x86).
 */
#include "util/osdep.h"
#include "hw/pci/pci-host.h"

#define CONFIG_ADDR_MASK 0x80fffffcu       /* writable: enable, bus, devfn, register */

static uint64_t pci_host_addr_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHostState *s = opaque;

    return s->config_reg;
}

static void pci_host_addr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCIHostState *s = opaque;

    s->config_reg = val & CONFIG_ADDR_MASK;
}

/* The function CONFIG_ADDRESS selects, or NULL (master abort). */
static PCIDevice *pci_host_target(PCIHostState *s)
{
    uint32_t a = s->config_reg;

    if (!(a & PCI_CONFIG_ADDR_ENABLE) || ((a >> 16) & 0xff) != 0) {
        return NULL;            /* no bridges: bus 0 only */
    }
    return pci_bus_find(s->bus, (a >> 8) & 0xff);
}

static uint64_t pci_host_data_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHostState *s = opaque;
    PCIDevice *d = pci_host_target(s);

    if (!d) {
        return UINT32_MAX >> (32 - 8 * size);
    }
    return pci_config_read(d, (s->config_reg & 0xfc) + addr, size);
}

static void pci_host_data_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCIHostState *s = opaque;
    PCIDevice *d = pci_host_target(s);

    if (d) {
        pci_config_write(d, (s->config_reg & 0xfc) + addr, (uint32_t)val, size);
    }
}

static const MemoryRegionOps pci_host_addr_ops = {
    .read = pci_host_addr_read,
    .write = pci_host_addr_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps pci_host_data_ops = {
    .read = pci_host_data_read,
    .write = pci_host_data_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

PCIHostState *pci_host_init(MemoryRegion *io, uint64_t base, PCIBus *bus)
{
    PCIHostState *s = tern_malloc0(sizeof(*s));

    s->bus = bus;
    memory_region_init_io(&s->conf_addr, &pci_host_addr_ops, s, "pci-conf-addr", 4);
    memory_region_init_io(&s->conf_data, &pci_host_data_ops, s, "pci-conf-data", 4);
    memory_region_add_subregion_overlap(io, base, &s->conf_addr, 0);
    memory_region_add_subregion(io, base + 4, &s->conf_data);
    return s;
}

void pci_host_reset(PCIHostState *s)
{
    s->config_reg = 0;
}

void pci_host_destroy(PCIHostState *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    memory_region_del_subregion(io, &s->conf_addr);
    memory_region_del_subregion(io, &s->conf_data);
    memory_region_destroy(&s->conf_addr);
    memory_region_destroy(&s->conf_data);
    free(s);
}
