/*
 * pci.h: a PCI bus (bus 0 only) and the generic part of every PCI
 * function (PCI Local Bus spec 3.0, ch. 6: configuration space).
 *
 * A PCIBus has 32 slots x 8 functions, addressed by devfn = slot << 3 | fn.
 * A device embeds a PCIDevice, fills its header (pci_config_set_*), declares
 * its BARs (pci_register_bar) and writable device-specific bytes (wmask),
 * then plugs in with pci_bus_plug, which snapshots the header as its reset
 * state.  Configuration accesses (from the host bridge, hw/pci/pci-host.c)
 * go through pci_config_read/write: the write mask keeps read-only bits,
 * status error bits are write-1-to-clear, and a write to the command
 * register or a BAR re-maps the BARs' regions in the bus's memory or I/O
 * container.  INTx: pci_set_irq; the bus counts the functions asserting
 * each of its 4 lines (PIRQA-D) and tells the board's router (PIIX3) when
 * a count becomes or stops being non-zero.
 *
 * Locking: all under the machine lock (configuration cycles are port I/O).
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "util/osdep.h"
#include "exec/memory.h"

#define PCI_SLOT_MAX        32
#define PCI_FUNC_MAX        8
#define PCI_DEVFN_MAX       (PCI_SLOT_MAX * PCI_FUNC_MAX)
#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 7))
#define PCI_SLOT(devfn)     (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)     ((devfn) & 7)
#define PCI_CONFIG_SIZE     256
#define PCI_NUM_PINS        4          /* INTA#-INTD#, and the bus's 4 lines */
#define PCI_NUM_BARS        6

/* Type 0 header (spec 6.1) */
#define PCI_VENDOR_ID       0x00
#define PCI_DEVICE_ID       0x02
#define PCI_COMMAND         0x04
#define PCI_STATUS          0x06
#define PCI_REVISION_ID     0x08
#define PCI_CLASS_PROG      0x09
#define PCI_CLASS_DEVICE    0x0a       /* base class << 8 | sub-class */
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER   0x0d
#define PCI_HEADER_TYPE     0x0e
#define PCI_BASE_ADDRESS_0  0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID    0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_INTERRUPT_PIN   0x3d       /* 0 none, 1-4 INTA#-INTD# */
#define PCI_CAP_FIRST       0x40       /* capabilities: after the type 0 header */
#define PCI_CAP_LIST_ID     0          /* capability header: ID, next pointer */
#define PCI_CAP_LIST_NEXT   1

#define PCI_COMMAND_IO      0x0001
#define PCI_COMMAND_MEMORY  0x0002
#define PCI_COMMAND_MASTER  0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_INTERRUPT 0x0008    /* INTx asserted (read-only) */
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_STATUS_ERRORS   0xf900     /* parity, aborts, SERR#: write 1 to clear */
#define PCI_HEADER_TYPE_MULTI_FUNCTION 0x80

#define PCI_BASE_ADDRESS_SPACE_IO  0x01
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_BAR_UNMAPPED    UINT64_MAX

#define PCI_VENDOR_ID_INTEL 0x8086
#define PCI_CLASS_BRIDGE_HOST 0x0600
#define PCI_CLASS_BRIDGE_ISA  0x0601

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

/* Device-specific configuration registers; either hook may be NULL. */
typedef struct PCIDeviceOps {
    /* Replaces the read of len bytes at addr (then call pci_default_config_read
     * for the bytes it does not compute). */
    uint32_t (*config_read)(PCIDevice *d, unsigned addr, unsigned len);
    /* After the generic masked write of len bytes at addr: react to it. */
    void (*config_write)(PCIDevice *d, unsigned addr, uint32_t val, unsigned len);
    /* After the header went back to its reset state. */
    void (*reset)(PCIDevice *d);
} PCIDeviceOps;

typedef struct PCIBar {
    MemoryRegion *mr;            /* NULL: not implemented (reads 0) */
    uint64_t size;               /* a power of two */
    uint8_t type;                /* PCI_BASE_ADDRESS_* bits 3:0 */
    uint64_t addr;               /* where mr is mapped, or PCI_BAR_UNMAPPED */
} PCIBar;

struct PCIDevice {
    uint8_t config[PCI_CONFIG_SIZE];
    uint8_t wmask[PCI_CONFIG_SIZE];      /* bits a configuration write changes */
    uint8_t w1cmask[PCI_CONFIG_SIZE];    /* bits a write of 1 clears */
    uint8_t reset_config[PCI_CONFIG_SIZE];
    const char *name;
    const PCIDeviceOps *ops;
    PCIBus *bus;
    uint8_t devfn;
    bool irq_level;              /* what the device drives on its pin */
    bool irq_asserted;           /* counted on the bus (level and not INTX_DISABLE) */
    PCIBar bars[PCI_NUM_BARS];
    unsigned cap_free;           /* where pci_add_capability puts the next (0: 0x40) */
};

/* The board's INTx wiring: the bus line (0-3) a function's pin (0-3:
 * INTA#-INTD#) reaches, and the router told of each line's level. */
typedef int (*PCIMapIRQFn)(uint8_t devfn, int pin);
typedef void (*PCISetIRQFn)(void *opaque, int line, int level);

struct PCIBus {
    PCIDevice *devices[PCI_DEVFN_MAX];
    MemoryRegion *mem;           /* where memory BARs map (system memory) */
    MemoryRegion *io;            /* where I/O BARs map (the 64 KiB port space) */
    PCIMapIRQFn map_irq;
    PCISetIRQFn set_irq;
    void *irq_opaque;
    int irq_count[PCI_NUM_PINS]; /* functions asserting each bus line */
};

PCIBus *pci_bus_new(MemoryRegion *mem, MemoryRegion *io);
void pci_bus_destroy(PCIBus *bus);
/* Route INTx (the board, once, before devices raise lines). */
void pci_bus_set_irq_router(PCIBus *bus, PCIMapIRQFn map_irq, PCISetIRQFn set_irq,
                            void *opaque);
/* Bus line level: any function asserting it. */
static inline bool pci_bus_line_level(const PCIBus *bus, int line)
{
    return bus->irq_count[line & 3] > 0;
}

/* Start a function: zero header, the type 0 writable bits (command, cache
 * line, latency, interrupt line, status error bits), name and ops. */
void pci_device_init(PCIDevice *d, const char *name, const PCIDeviceOps *ops);
/* BAR n: mr answers at the address the guest programs while the command
 * register enables its space.  size: a power of two (4 or more for I/O,
 * 16 or more for memory); type: PCI_BASE_ADDRESS_SPACE_IO or memory bits
 * (a 64-bit BAR uses n and n + 1). */
void pci_register_bar(PCIDevice *d, int n, uint8_t type, uint64_t size, MemoryRegion *mr);
/* Append a capability of size bytes (its ID and next pointer included)
 * to d's list, before pci_bus_plug: the list pointer, PCI_STATUS_CAP_LIST
 * and the next pointers are set, the rest is 0 and read-only.  Returns
 * its offset in configuration space. */
unsigned pci_add_capability(PCIDevice *d, uint8_t cap_id, unsigned size);
/* Plug d in at devfn (must be free); its header now is its reset state. */
void pci_bus_plug(PCIBus *bus, PCIDevice *d, uint8_t devfn);
void pci_bus_unplug(PCIDevice *d);
PCIDevice *pci_bus_find(PCIBus *bus, uint8_t devfn);
/* Every device back to its reset header (BARs unmapped, INTx low). */
void pci_bus_reset(PCIBus *bus);

/* Configuration cycles: len 1, 2 or 4 bytes at addr, not crossing a dword. */
uint32_t pci_config_read(PCIDevice *d, unsigned addr, unsigned len);
void pci_config_write(PCIDevice *d, unsigned addr, uint32_t val, unsigned len);
uint32_t pci_default_config_read(PCIDevice *d, unsigned addr, unsigned len);

/* The device's INTx level (its PCI_INTERRUPT_PIN); 0 or 1. */
void pci_set_irq(PCIDevice *d, int level);

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}

/* The identity registers a device sets before pci_bus_plug. */
static inline void pci_config_set_ids(PCIDevice *d, uint16_t vendor, uint16_t device,
                                      uint8_t revision, uint16_t class_code, uint8_t prog_if)
{
    pci_set_word(d->config + PCI_VENDOR_ID, vendor);
    pci_set_word(d->config + PCI_DEVICE_ID, device);
    d->config[PCI_REVISION_ID] = revision;
    d->config[PCI_CLASS_PROG] = prog_if;
    pci_set_word(d->config + PCI_CLASS_DEVICE, class_code);
}

#endif
