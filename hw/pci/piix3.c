/*
 * piix3.c: the 82371SB PIIX3 function 0 (Intel 82371FB/SB datasheet,
 * 2.2): vendor 8086, device 7000, class 0601 (ISA bridge), header type 80h
 * (multi-function: IDE is function 1), PCICMD 0007h, PCISTS 0200h (DEVSEL
 * medium).  PIRQRC[A:D] (60h-63h, reset 80h): bit 7 IRQROUTEN (1 = not
 * routed), bits 3:0 the ISA IRQ; 0, 1, 2, 8 and 13 are reserved values
 * and route nowhere.  An ISA IRQ is high while any PIRQ routed to it is
 * (the bus counts the functions on each PIRQ): level semantics, as the
 * ELCR must then say.  Other PIIX3 registers are not modelled (read 0).
 */
#include "util/osdep.h"
#include "hw/pci/piix3.h"

#define PIIX3_PIRQRC_IRQ    0x0f
#define PIIX3_PIRQRC_WMASK  0x8f
#define PIIX3_IRQ_ROUTABLE  0xdef8      /* IRQ 3-7, 9-12, 14, 15 */

/* Drive each ISA IRQ to the OR of the PIRQs routed to it. */
static void piix3_update(PIIX3State *s)
{
    uint16_t want = 0, changed;

    for (int n = 0; n < PCI_NUM_PINS; n++) {
        uint8_t r = s->dev.config[PIIX3_PIRQRC + n];
        unsigned irq = r & PIIX3_PIRQRC_IRQ;

        if (s->dev.bus && pci_bus_line_level(s->dev.bus, n) && !(r & PIIX3_PIRQRC_DISABLE) &&
            (PIIX3_IRQ_ROUTABLE & (1u << irq))) {
            want |= 1u << irq;
        }
    }
    changed = want ^ s->irq_raised;
    s->irq_raised = want;
    for (unsigned irq = 0; irq < PIIX_NUM_ISA_IRQS; irq++) {
        if (changed & (1u << irq)) {
            irq_line_set(&s->isa_irq[irq], (want >> irq) & 1);
        }
    }
}

void piix3_set_pirq(void *opaque, int pirq, int level)
{
    piix3_update(opaque);       /* the bus holds the level */
}

static void piix3_config_write(PCIDevice *d, unsigned addr, uint32_t val, unsigned len)
{
    if (addr < PIIX3_PIRQRC + PCI_NUM_PINS && PIIX3_PIRQRC < addr + len) {
        piix3_update(container_of(d, PIIX3State, dev));
    }
}

static void piix3_reset(PCIDevice *d)
{
    piix3_update(container_of(d, PIIX3State, dev));
}

static const PCIDeviceOps piix3_ops = {
    .config_write = piix3_config_write,
    .reset = piix3_reset,
};

PIIX3State *piix3_init(PCIBus *bus, uint8_t devfn, IRQLine *isa_irq)
{
    PIIX3State *s = tern_malloc0(sizeof(*s));
    PCIDevice *d = &s->dev;

    pci_device_init(d, "PIIX3", &piix3_ops);
    s->isa_irq = isa_irq;
    pci_config_set_ids(d, PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82371SB_0, 0,
                       PCI_CLASS_BRIDGE_ISA, 0);
    d->config[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_MULTI_FUNCTION;
    pci_set_word(d->config + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    pci_set_word(d->config + PCI_STATUS, 0x0200);
    for (int n = 0; n < PCI_NUM_PINS; n++) {
        d->config[PIIX3_PIRQRC + n] = PIIX3_PIRQRC_DISABLE;
        d->wmask[PIIX3_PIRQRC + n] = PIIX3_PIRQRC_WMASK;
    }
    pci_bus_plug(bus, d, devfn);
    return s;
}

void piix3_destroy(PIIX3State *s)
{
    if (s) {
        pci_bus_unplug(&s->dev);
        free(s);
    }
}
