/*
 * ioapic.h: the I/O APIC (Intel 82093AA datasheet; version 0x20, as on
 * the ICH/PIIX4-era chipsets QEMU models: 24 pins and an EOI register).
 *
 * The board sets the level of each input pin (ioapic_set_irq, from
 * pc_gsi_set); the IOAPIC sends interrupt messages through the board's
 * deliver callback, which finds the local APICs the destination selects.
 * A local APIC's EOI of a level-triggered vector comes back through
 * ioapic_eoi (clearing Remote IRR).  All entry points run with the machine
 * lock held.
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "util/osdep.h"
#include "exec/memory.h"

#define IOAPIC_DEFAULT_ADDRESS 0xfec00000ull
#define IOAPIC_NUM_PINS        24
#define IOAPIC_MMIO_SIZE       0x1000

/* One interrupt message: delivery mode (APIC_DM_*), vector, destination
 * (8 bits), logical destination mode, level triggered. */
typedef void (*IOAPICDeliver)(void *opaque, unsigned mode, uint8_t vector, uint8_t dest,
                              bool logical, bool level);

typedef struct IOAPICState {
    MemoryRegion mmio;
    uint8_t id;                  /* IOAPICID bits 27:24 */
    uint8_t ioregsel;
    uint32_t input;              /* pin levels as last set */
    uint32_t irr;                /* pins with a message to send (edge: latched) */
    uint64_t redtbl[IOAPIC_NUM_PINS];
    IOAPICDeliver deliver;
    void *opaque;
} IOAPICState;

/* Create the IOAPIC (its mmio not mapped: the board maps it). */
IOAPICState *ioapic_init(IOAPICDeliver deliver, void *opaque);
/* Reset: ID 0, every redirection entry masked. */
void ioapic_reset(IOAPICState *s);
void ioapic_destroy(IOAPICState *s);
/* The level of input pin n (0-23). */
void ioapic_set_irq(void *opaque, int n, int level);
/* A local APIC EOIed level-triggered vector: clear Remote IRR of the pins
 * with that vector, and resend those still asserted. */
void ioapic_eoi(void *opaque, uint8_t vector);

#endif
