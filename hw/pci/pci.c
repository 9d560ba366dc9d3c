/*
 * pci.c: the PCI bus and the generic configuration space of its functions
 * (PCI Local Bus spec 3.0 ch. 6): masked writes, write-1-to-clear status
 * bits, BAR sizing and mapping, INTx with per-line sharing counts.
 *
 * Invariants: a BAR's region is a subregion of the bus's memory or I/O
 * container exactly while bar->addr != PCI_BAR_UNMAPPED; a function counts
 * once in bus->irq_count[line] exactly while irq_asserted.  Everything runs
 * under the machine lock.
 */
#include "util/osdep.h"
#include "hw/pci/pci.h"

#define PCI_BAR_REG(n)  (PCI_BASE_ADDRESS_0 + 4 * (n))
#define PCI_IO_LIMIT    0xffffull          /* the 64 KiB port space */

static bool ranges_overlap(unsigned a, unsigned alen, unsigned b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

PCIBus *pci_bus_new(MemoryRegion *mem, MemoryRegion *io)
{
    PCIBus *bus = tern_malloc0(sizeof(*bus));

    bus->mem = mem;
    bus->io = io;
    return bus;
}

void pci_bus_destroy(PCIBus *bus)
{
    if (!bus) {
        return;
    }
    for (unsigned i = 0; i < PCI_DEVFN_MAX; i++) {
        if (bus->devices[i]) {
            pci_bus_unplug(bus->devices[i]);
        }
    }
    free(bus);
}

void pci_bus_set_irq_router(PCIBus *bus, PCIMapIRQFn map_irq, PCISetIRQFn set_irq,
                            void *opaque)
{
    bus->map_irq = map_irq;
    bus->set_irq = set_irq;
    bus->irq_opaque = opaque;
}

void pci_device_init(PCIDevice *d, const char *name, const PCIDeviceOps *ops)
{
    memset(d, 0, sizeof(*d));
    d->name = name;
    d->ops = ops;
    pci_set_word(d->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                 PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[PCI_LATENCY_TIMER] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;   /* scratch for the OS: the IRQ it routed */
    pci_set_word(d->w1cmask + PCI_STATUS, PCI_STATUS_ERRORS);
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        d->bars[i].addr = PCI_BAR_UNMAPPED;
    }
}

void pci_register_bar(PCIDevice *d, int n, uint8_t type, uint64_t size, MemoryRegion *mr)
{
    bool io = type & PCI_BASE_ADDRESS_SPACE_IO;
    bool is64 = !io && (type & PCI_BASE_ADDRESS_MEM_TYPE_64);
    uint64_t wmask = ~(size - 1) & (io ? ~3ull : ~0xfull);
    PCIBar *bar = &d->bars[n];

    assert(n >= 0 && n < PCI_NUM_BARS - is64 && !d->bus);
    assert(size && !(size & (size - 1)) && size >= (io ? 4u : 16u));
    bar->mr = mr;
    bar->size = size;
    bar->type = type & (io ? PCI_BASE_ADDRESS_SPACE_IO : 0xf);
    bar->addr = PCI_BAR_UNMAPPED;
    pci_set_long(d->config + PCI_BAR_REG(n), bar->type);
    pci_set_long(d->wmask + PCI_BAR_REG(n), (uint32_t)wmask);
    if (is64) {
        pci_set_long(d->config + PCI_BAR_REG(n + 1), 0);
        pci_set_long(d->wmask + PCI_BAR_REG(n + 1), (uint32_t)(wmask >> 32));
    }
}

unsigned pci_add_capability(PCIDevice *d, uint8_t cap_id, unsigned size)
{
    unsigned off = d->cap_free ? d->cap_free : PCI_CAP_FIRST;
    uint8_t *link = &d->config[PCI_CAPABILITY_LIST];

    assert(!d->bus && size >= 2 && size <= PCI_CONFIG_SIZE - off);
    while (*link) {             /* the device's own list: ends at 0 */
        link = &d->config[*link + PCI_CAP_LIST_NEXT];
    }
    *link = off;
    d->config[off + PCI_CAP_LIST_ID] = cap_id;
    d->config[off + PCI_CAP_LIST_NEXT] = 0;
    pci_set_word(d->config + PCI_STATUS,
                 pci_get_word(d->config + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    d->cap_free = (off + size + 3) & ~3u;
    return off;
}

/* Where BAR n decodes now: its space enabled in the command register and
 * an address inside that space (not 0, and not the all-ones pattern a
 * sizing write leaves). */
static uint64_t pci_bar_address(const PCIDevice *d, int n)
{
    const PCIBar *bar = &d->bars[n];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    uint32_t lo = pci_get_long(d->config + PCI_BAR_REG(n));
    uint64_t addr, last;

    if (bar->type & PCI_BASE_ADDRESS_SPACE_IO) {
        addr = lo & ~3u;
        last = addr + bar->size - 1;
        return (cmd & PCI_COMMAND_IO) && addr && last <= PCI_IO_LIMIT ? addr : PCI_BAR_UNMAPPED;
    }
    if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    }
    addr = lo & ~0xfu;
    if (bar->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (uint64_t)pci_get_long(d->config + PCI_BAR_REG(n + 1)) << 32;
        last = addr + bar->size - 1;
        return addr && last > addr && last != UINT64_MAX ? addr : PCI_BAR_UNMAPPED;
    }
    last = addr + bar->size - 1;
    return addr && last < UINT32_MAX ? addr : PCI_BAR_UNMAPPED;
}

/* Move each BAR's region to where it decodes (off: nowhere). */
static void pci_update_mappings(PCIDevice *d, bool off)
{
    if (!d->bus) {
        return;                 /* not plugged in: nothing is mapped */
    }
    memory_region_transaction_begin();
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        PCIBar *bar = &d->bars[n];
        MemoryRegion *parent;
        uint64_t addr;

        if (!bar->mr) {
            continue;
        }
        parent = bar->type & PCI_BASE_ADDRESS_SPACE_IO ? d->bus->io : d->bus->mem;
        addr = off ? PCI_BAR_UNMAPPED : pci_bar_address(d, n);
        if (addr == bar->addr) {
            continue;
        }
        if (bar->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(parent, bar->mr);
        }
        bar->addr = addr;
        if (addr != PCI_BAR_UNMAPPED) {
            /* over RAM and the chipset's ranges, as a PCI master's decode is */
            memory_region_add_subregion_overlap(parent, addr, bar->mr, 1);
        }
    }
    memory_region_transaction_commit();
}

/* Count d's INTx on its bus line while it is asserted and not disabled. */
static void pci_update_irq(PCIDevice *d)
{
    uint8_t pin = d->config[PCI_INTERRUPT_PIN];
    bool want = d->irq_level && pin >= 1 && pin <= PCI_NUM_PINS && d->bus &&
                !(pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
    PCIBus *bus = d->bus;
    int line;

    if (want == d->irq_asserted) {
        return;
    }
    d->irq_asserted = want;
    line = (bus->map_irq ? bus->map_irq(d->devfn, pin - 1) : pin - 1) & (PCI_NUM_PINS - 1);
    bus->irq_count[line] += want ? 1 : -1;
    assert(bus->irq_count[line] >= 0);
    if (bus->set_irq && bus->irq_count[line] == (want ? 1 : 0)) {
        bus->set_irq(bus->irq_opaque, line, want);
    }
}

void pci_set_irq(PCIDevice *d, int level)
{
    uint16_t status = pci_get_word(d->config + PCI_STATUS) & ~PCI_STATUS_INTERRUPT;

    d->irq_level = level != 0;
    pci_set_word(d->config + PCI_STATUS, status | (d->irq_level ? PCI_STATUS_INTERRUPT : 0));
    pci_update_irq(d);
}

void pci_bus_plug(PCIBus *bus, PCIDevice *d, uint8_t devfn)
{
    assert(!bus->devices[devfn] && !d->bus);
    d->bus = bus;
    d->devfn = devfn;
    memcpy(d->reset_config, d->config, sizeof(d->config));
    bus->devices[devfn] = d;
}

void pci_bus_unplug(PCIDevice *d)
{
    PCIBus *bus = d->bus;

    pci_set_irq(d, 0);
    pci_update_mappings(d, true);
    bus->devices[d->devfn] = NULL;
    d->bus = NULL;
}

PCIDevice *pci_bus_find(PCIBus *bus, uint8_t devfn)
{
    return bus->devices[devfn];
}

static void pci_device_reset(PCIDevice *d)
{
    pci_set_irq(d, 0);
    memcpy(d->config, d->reset_config, sizeof(d->config));
    pci_update_mappings(d, false);
    if (d->ops && d->ops->reset) {
        d->ops->reset(d);
    }
}

void pci_bus_reset(PCIBus *bus)
{
    for (unsigned i = 0; i < PCI_DEVFN_MAX; i++) {
        if (bus->devices[i]) {
            pci_device_reset(bus->devices[i]);
        }
    }
}

static bool pci_config_access_ok(unsigned addr, unsigned len)
{
    return (len == 1 || len == 2 || len == 4) && addr < PCI_CONFIG_SIZE &&
           len <= PCI_CONFIG_SIZE - addr;
}

uint32_t pci_default_config_read(PCIDevice *d, unsigned addr, unsigned len)
{
    uint32_t v = 0;

    if (!pci_config_access_ok(addr, len)) {
        return UINT32_MAX;
    }
    for (unsigned i = 0; i < len; i++) {
        v |= (uint32_t)d->config[addr + i] << (8 * i);
    }
    return v;
}

uint32_t pci_config_read(PCIDevice *d, unsigned addr, unsigned len)
{
    if (!pci_config_access_ok(addr, len)) {
        return UINT32_MAX;
    }
    if (d->ops && d->ops->config_read) {
        return d->ops->config_read(d, addr, len);
    }
    return pci_default_config_read(d, addr, len);
}

void pci_config_write(PCIDevice *d, unsigned addr, uint32_t val, unsigned len)
{
    if (!pci_config_access_ok(addr, len)) {
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = val >> (8 * i), a = addr + i;

        d->config[a] = (d->config[a] & ~d->wmask[a]) | (b & d->wmask[a]);
        d->config[a] &= ~(b & d->w1cmask[a]);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 4 * PCI_NUM_BARS)) {
        pci_update_mappings(d, false);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_irq(d);      /* INTX_DISABLE */
    }
    if (d->ops && d->ops->config_write) {
        d->ops->config_write(d, addr, val, len);
    }
}
