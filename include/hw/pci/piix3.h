/*
 * piix3.h: the 82371SB PIIX3's function 0, the PCI-to-ISA bridge, and its
 * PCI interrupt router: PIRQA#-PIRQD# (the PCI bus's 4 INTx lines) to ISA
 * IRQs by the PIRQRC registers.
 */
#ifndef HW_PCI_PIIX3_H
#define HW_PCI_PIIX3_H

#include "hw/pci/pci.h"
#include "hw/core/irq.h"

#define PCI_DEVICE_ID_INTEL_82371SB_0 0x7000
#define PIIX3_PIRQRC        0x60        /* PIRQRC[A:D], 60h-63h */
#define PIIX3_PIRQRC_DISABLE 0x80       /* IRQROUTEN: 1 = not routed */
#define PIIX_NUM_ISA_IRQS   16

typedef struct PIIX3State {
    PCIDevice dev;
    IRQLine *isa_irq;            /* ISA IRQ n = isa_irq[n], 16 lines */
    uint16_t irq_raised;         /* ISA IRQs this router holds high */
} PIIX3State;

/* Function 0 at devfn; isa_irq: the board's 16 ISA IRQ lines. */
PIIX3State *piix3_init(PCIBus *bus, uint8_t devfn, IRQLine *isa_irq);
/* The bus's INTx router callback (PCISetIRQFn; opaque: the PIIX3). */
void piix3_set_pirq(void *opaque, int pirq, int level);
void piix3_destroy(PIIX3State *s);

#endif
