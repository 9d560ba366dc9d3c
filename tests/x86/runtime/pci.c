/*
 * pci.c: PCI configuration mechanism #1 (ports 0xcf8/0xcfc) on bus 0, for
 * the tests that find and program PCI functions.  Reads and writes of 1
 * or 2 bytes go to the byte lanes of CONFIG_DATA that reg selects, as an
 * OS does.
 */
#include "tern.h"

static void pci_cfg_select(unsigned devfn, unsigned reg)
{
    outl(PCI_CONFIG_ADDRESS, 0x80000000u | devfn << 8 | (reg & 0xfc));
}

uint32_t pci_cfg_read(unsigned devfn, unsigned reg, unsigned size)
{
    pci_cfg_select(devfn, reg);
    return size == 4 ? inl(PCI_CONFIG_DATA)
         : size == 2 ? inw(PCI_CONFIG_DATA + (reg & 2))
                     : inb(PCI_CONFIG_DATA + (reg & 3));
}

void pci_cfg_write(unsigned devfn, unsigned reg, unsigned size, uint32_t v)
{
    pci_cfg_select(devfn, reg);
    if (size == 4) {
        outl(PCI_CONFIG_DATA, v);
    } else if (size == 2) {
        outw(PCI_CONFIG_DATA + (reg & 2), (uint16_t)v);
    } else {
        outb(PCI_CONFIG_DATA + (reg & 3), (uint8_t)v);
    }
}

int pci_find(uint16_t vendor, uint16_t device)
{
    for (unsigned slot = 0; slot < 32; slot++) {
        if (pci_cfg_read(slot << 3, 0, 4) == ((uint32_t)device << 16 | vendor)) {
            return (int)(slot << 3);
        }
    }
    return -1;
}
