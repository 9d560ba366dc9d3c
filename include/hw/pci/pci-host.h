/*
 * pci-host.h: configuration mechanism #1 of a host bridge (PCI Local Bus
 * spec 3.0, 3.2.2.3.2): CONFIG_ADDRESS at base (0xCF8, dword accesses
 * only) and CONFIG_DATA at base + 4 (0xCFC-0xCFF, byte, word or dword).
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/pci/pci.h"

#define PCI_HOST_CONFIG_ADDR    0xcf8
#define PCI_CONFIG_ADDR_ENABLE  0x80000000u

typedef struct PCIHostState {
    MemoryRegion conf_addr;      /* 4 bytes at base */
    MemoryRegion conf_data;      /* 4 bytes at base + 4 */
    uint32_t config_reg;         /* CONFIG_ADDRESS */
    PCIBus *bus;
} PCIHostState;

/* The two registers in io at base and base + 4, for bus (bus number 0).
 * CONFIG_ADDRESS decodes only dword accesses and sits at priority 0, so a
 * byte port inside it (the reset control register at 0xCF9) added with
 * priority 1 gets the other accesses. */
PCIHostState *pci_host_init(MemoryRegion *io, uint64_t base, PCIBus *bus);
void pci_host_reset(PCIHostState *s);
void pci_host_destroy(PCIHostState *s, MemoryRegion *io);

#endif
