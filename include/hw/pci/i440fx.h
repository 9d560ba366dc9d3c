/*
 * i440fx.h: the 82441FX PCI and memory controller (PMC) as function
 * 00:00.0, the host bridge of the pc machine: identity and the PAM and
 * SMRAM registers, stored (the memory map does not follow them yet).
 */
#ifndef HW_PCI_I440FX_H
#define HW_PCI_I440FX_H

#include "hw/pci/pci.h"

#define PCI_DEVICE_ID_INTEL_82441 0x1237
#define I440FX_PAM      0x59            /* PAM0-PAM6 */
#define I440FX_PAM_NUM  7
#define I440FX_SMRAM    0x72

typedef struct I440FXState {
    PCIDevice dev;
} I440FXState;

I440FXState *i440fx_init(PCIBus *bus, uint8_t devfn);
void i440fx_destroy(I440FXState *s);

#endif
