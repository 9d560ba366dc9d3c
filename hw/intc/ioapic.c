/*
 * ioapic.c: the I/O APIC (82093AA datasheet, version 0x20 with 24 pins).
 *
 * Indirect registers: IOREGSEL (offset 0x00) selects, IOWIN (0x10) reads
 * and writes the selected one: 0x00 IOAPICID, 0x01 IOAPICVER, 0x02
 * IOAPICARB, 0x10 + 2n / + 2n + 1 the low / high half of redirection entry
 * n.  Offset 0x40 is the EOI register of version 0x20 (write a vector:
 * Remote IRR clears on the pins that use it).
 *
 * Pins (datasheet 3.2.4): an edge pin sends one message per rising edge
 * while unmasked (edges on a masked pin are lost).  A level pin sends
 * while asserted, unmasked and Remote IRR is clear, and sets Remote IRR;
 * the EOI clears it and the pin sends again if still asserted.  The board
 * gives each pin its asserted state, so Interrupt Input Pin Polarity is
 * stored and not applied (as QEMU does; ISA lines are active high).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/ioapic.h"

enum { IOAPIC_IOREGSEL = 0x00, IOAPIC_IOWIN = 0x10, IOAPIC_EOI = 0x40 };
enum { IOAPIC_REG_ID = 0x00, IOAPIC_REG_VER = 0x01, IOAPIC_REG_ARB = 0x02,
       IOAPIC_REG_REDTBL = 0x10 };

#define IOAPIC_VERSION   0x20
#define IOAPIC_VER_VALUE (IOAPIC_VERSION | ((IOAPIC_NUM_PINS - 1) << 16))

/* Redirection entry fields */
#define RTE_VECTOR(e)    ((uint8_t)(e))
#define RTE_MODE(e)      (((e) >> 8) & 7)
#define RTE_LOGICAL      (1ull << 11)
#define RTE_DELIV_STATUS (1ull << 12)
#define RTE_REMOTE_IRR   (1ull << 14)
#define RTE_LEVEL        (1ull << 15)
#define RTE_MASKED       (1ull << 16)
#define RTE_DEST(e)      ((uint8_t)((e) >> 56))
/* vector, mode, dest mode, polarity, trigger, mask, destination */
#define RTE_WRITABLE     0xff0000000001afffull

/* Send what pin n has to send, if anything */
static void ioapic_service_pin(IOAPICState *s, unsigned n)
{
    uint64_t *e = &s->redtbl[n];
    bool level = *e & RTE_LEVEL;

    if (!(s->irr & (1u << n)) || (*e & RTE_MASKED) || (level && (*e & RTE_REMOTE_IRR))) {
        return;
    }
    if (level) {
        *e |= RTE_REMOTE_IRR;
    } else {
        s->irr &= ~(1u << n);
    }
    s->deliver(s->opaque, RTE_MODE(*e), RTE_VECTOR(*e), RTE_DEST(*e), *e & RTE_LOGICAL,
               level);
}

void ioapic_set_irq(void *opaque, int n, int level)
{
    IOAPICState *s = opaque;
    uint32_t bit;
    uint64_t e;

    if (n < 0 || n >= IOAPIC_NUM_PINS) {
        return;
    }
    bit = 1u << n;
    e = s->redtbl[n];
    if (e & RTE_LEVEL) {
        s->irr = level ? s->irr | bit : s->irr & ~bit;
    } else {
        bool rising = level && !(s->input & bit);

        if (rising && !(e & RTE_MASKED)) {
            s->irr |= bit;
        }
    }
    s->input = level ? s->input | bit : s->input & ~bit;
    ioapic_service_pin(s, n);
}

void ioapic_eoi(void *opaque, uint8_t vector)
{
    IOAPICState *s = opaque;

    for (unsigned n = 0; n < IOAPIC_NUM_PINS; n++) {
        if ((s->redtbl[n] & RTE_REMOTE_IRR) && RTE_VECTOR(s->redtbl[n]) == vector) {
            s->redtbl[n] &= ~RTE_REMOTE_IRR;
            ioapic_service_pin(s, n);
        }
    }
}

static uint32_t ioapic_reg_read(IOAPICState *s, uint8_t index)
{
    unsigned n = (index - IOAPIC_REG_REDTBL) / 2;

    switch (index) {
    case IOAPIC_REG_ID:
    case IOAPIC_REG_ARB:         /* the arbitration ID is loaded from the ID */
        return (uint32_t)s->id << 24;
    case IOAPIC_REG_VER:
        return IOAPIC_VER_VALUE;
    }
    if (index < IOAPIC_REG_REDTBL || n >= IOAPIC_NUM_PINS) {
        return 0;                   /* reserved: reads 0 */
    }
    return index & 1 ? s->redtbl[n] >> 32 : (uint32_t)s->redtbl[n];
}

static void ioapic_reg_write(IOAPICState *s, uint8_t index, uint32_t val)
{
    unsigned n = (index - IOAPIC_REG_REDTBL) / 2;
    uint64_t e;

    if (index == IOAPIC_REG_ID) {
        s->id = (val >> 24) & 0xf;
        return;
    }
    if (index < IOAPIC_REG_REDTBL || n >= IOAPIC_NUM_PINS) {
        log_mask(LOG_GUEST_ERROR, "ioapic: write to read-only/reserved register 0x%x\n", index);
        return;
    }
    e = s->redtbl[n];
    e = index & 1 ? (e & 0xffffffffull) | ((uint64_t)val << 32)
                  : (e & ~0xffffffffull) | val;
    s->redtbl[n] = (s->redtbl[n] & ~RTE_WRITABLE) | (e & RTE_WRITABLE);
    if (!(s->redtbl[n] & RTE_LEVEL)) {
        s->redtbl[n] &= ~RTE_REMOTE_IRR;    /* only defined for level pins */
        s->irr &= ~(1u << n);               /* a new edge is needed */
    } else if (s->input & (1u << n)) {
        s->irr |= 1u << n;                  /* an asserted level pin now counts */
    }
    ioapic_service_pin(s, n);
}

/* 32-bit accesses to IOREGSEL, IOWIN and EOI; the rest reads 0 */
static uint64_t ioapic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    IOAPICState *s = opaque;

    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "ioapic: %u-byte read at 0x%" PRIx64 "\n", size, addr);
        return 0;
    }
    switch (addr) {
    case IOAPIC_IOREGSEL:
        return s->ioregsel;
    case IOAPIC_IOWIN:
        return ioapic_reg_read(s, s->ioregsel);
    }
    return 0;
}

static void ioapic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IOAPICState *s = opaque;

    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "ioapic: %u-byte write at 0x%" PRIx64 "\n", size, addr);
        return;
    }
    switch (addr) {
    case IOAPIC_IOREGSEL:
        s->ioregsel = val & 0xff;
        break;
    case IOAPIC_IOWIN:
        ioapic_reg_write(s, s->ioregsel, val);
        break;
    case IOAPIC_EOI:
        ioapic_eoi(s, val & 0xff);
        break;
    }
}

static const MemoryRegionOps ioapic_mmio_ops = {
    .read = ioapic_mmio_read,
    .write = ioapic_mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

void ioapic_reset(IOAPICState *s)
{
    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (unsigned n = 0; n < IOAPIC_NUM_PINS; n++) {
        s->redtbl[n] = RTE_MASKED;
    }
}

IOAPICState *ioapic_init(IOAPICDeliver deliver, void *opaque)
{
    IOAPICState *s = tern_malloc0(sizeof(*s));

    s->deliver = deliver;
    s->opaque = opaque;
    memory_region_init_io(&s->mmio, &ioapic_mmio_ops, s, "ioapic", IOAPIC_MMIO_SIZE);
    ioapic_reset(s);
    return s;
}

void ioapic_destroy(IOAPICState *s)
{
    memory_region_destroy(&s->mmio);
    free(s);
}
