/*
 * i8259.c: the Intel 8259A programmable interrupt controller (8259A data
 * sheet, 8086 mode) with its byte of the PIIX ELCR (82371AB data sheet,
 * "ELCR1/ELCR2").
 *
 * Ports (A0): 0 command: ICW1 (D4=1), OCW2 (D4:3=00), OCW3 (D4:3=01);
 *               reads IRR or ISR (OCW3 RR/RIS), or the poll word.
 *             1 data: ICW2-ICW4 during initialisation, else OCW1 (IMR).
 * Priority: the eight levels rotate; `lowest` is the IR with the lowest
 * priority (IR7 after ICW1), and a request is passed to INT when it beats
 * every level in service.
 * Triggering: an input in edge mode sets its IRR bit on a rising edge and
 * the bit stays latched until the acknowledge (as QEMU and KVM do: emulated
 * devices may pulse a line).  In level mode (the input's ELCR bit, or
 * ICW1.LTIM for all eight) IRR follows the input, so a request that drops
 * before INTA leaves nothing to acknowledge: the chip answers with IR7's
 * vector and sets no ISR bit (a spurious interrupt).  A cascade input is
 * an edge input like the others, so a slave whose request goes away after
 * the master latched it answers the acknowledge with its own IR7 vector
 * (spurious IRQ 15, with the master's IR2 in service); a slave that still
 * requests after an acknowledge (automatic EOI) is latched again.
 * Not modelled: MCS-80/85 mode (ICW4 uPM=0: 8086 vectors anyway), buffered
 * mode, ICW3 (the board's wiring decides the cascade).
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/i8259.h"

#define ICW1_IC4   0x01          /* ICW4 follows */
#define ICW1_SNGL  0x02          /* single: no ICW3 */
#define ICW1_LTIM  0x08          /* level triggered */
#define ICW1_SEL   0x10          /* D4 with A0=0: this is ICW1 */
#define OCW3_SEL   0x08          /* D4:3 = 01 with A0=0: OCW3 */

#define ICW4_UPM   0x01          /* 8086 mode */
#define ICW4_AEOI  0x02
#define ICW4_SFNM  0x10

#define OCW3_RIS   0x01          /* read ISR (with RR) */
#define OCW3_RR    0x02
#define OCW3_P     0x04          /* poll */
#define OCW3_SMM   0x20
#define OCW3_ESMM  0x40

/* OCW2's R, SL and EOI bits (D7-D5). */
enum {
    OCW2_ROTATE_AEOI_CLEAR = 0, OCW2_EOI = 1, OCW2_NOP = 2, OCW2_SPECIFIC_EOI = 3,
    OCW2_ROTATE_AEOI_SET = 4, OCW2_ROTATE_EOI = 5, OCW2_SET_PRIORITY = 6,
    OCW2_ROTATE_SPECIFIC_EOI = 7,
};

#define NO_LEVEL 8

/* The inputs whose IRR bit follows the level. */
static uint8_t i8259_level_mask(const I8259State *s)
{
    return s->ltim ? 0xff : s->elcr;
}

/* The IR at a priority (0 highest): the one after the lowest comes first. */
static unsigned i8259_ir_of(const I8259State *s, unsigned priority)
{
    return (s->lowest + 1 + priority) & 7;
}

/* The priority (0 highest, NO_LEVEL if none) of the best bit in bits. */
static unsigned i8259_best(const I8259State *s, uint8_t bits)
{
    for (unsigned p = 0; p < 8; p++) {
        if (bits & (1u << i8259_ir_of(s, p))) {
            return p;
        }
    }
    return NO_LEVEL;
}

/* The IR that INT is raised for, or -1. */
static int i8259_pending(const I8259State *s)
{
    unsigned req = i8259_best(s, s->irr & ~s->imr);
    uint8_t in_service = s->isr;

    if (req == NO_LEVEL) {
        return -1;
    }
    if (s->smm) {
        in_service &= ~s->imr;   /* masked levels in service block nothing */
    }
    unsigned cur = i8259_best(s, in_service);
    unsigned ir = i8259_ir_of(s, req);
    /* Special fully nested: a slave in service may still pass a higher
     * request of its own, which arrives on the same level. */
    if (req < cur || (s->sfnm && req == cur && s->slave[ir])) {
        return (int)ir;
    }
    return -1;
}

static void i8259_update(I8259State *s)
{
    int level = i8259_pending(s) >= 0;

    if (level != s->int_level) {
        s->int_level = level;
        irq_line_set(s->int_out, level);
    }
}

static void i8259_set_input(void *opaque, int n, int level)
{
    I8259State *s = opaque;
    uint8_t mask = 1u << n;

    if (level) {
        if (!(s->input & mask) || (i8259_level_mask(s) & mask)) {
            s->irr |= mask;
        }
        s->input |= mask;
    } else {
        s->input &= ~mask;
        s->irr &= ~(mask & i8259_level_mask(s));
    }
    i8259_update(s);
}

/* The chip's part of INTA (or a poll): ir goes in service. */
static void i8259_ack(I8259State *s, unsigned ir)
{
    uint8_t mask = 1u << ir;

    if (s->aeoi) {
        if (s->rotate_aeoi) {
            s->lowest = ir;
        }
    } else {
        s->isr |= mask;
    }
    s->irr &= ~mask;
    s->irr |= s->input & i8259_level_mask(s) & mask;   /* a level stays requested */
    i8259_update(s);
}

int i8259_intack(I8259State *s)
{
    int ir = i8259_pending(s);
    int vector;

    if (ir < 0) {
        return s->vector_base | 7;   /* spurious: no ISR bit */
    }
    I8259State *slave = s->slave[ir];
    if (slave) {
        int sir = i8259_pending(slave);

        if (sir >= 0) {
            i8259_ack(slave, (unsigned)sir);
            vector = slave->vector_base | sir;
        } else {
            vector = slave->vector_base | 7;
        }
    } else {
        vector = s->vector_base | ir;
    }
    i8259_ack(s, (unsigned)ir);
    if (slave && slave->int_level > 0) {
        s->irr |= 1u << ir;     /* its INT stayed high: no new edge to latch */
        i8259_update(s);
    }
    return vector;
}

/* OCW3 P: the read is the acknowledge; I (D7) and the level (D2-D0). */
static uint8_t i8259_poll(I8259State *s)
{
    int ir = i8259_pending(s);

    s->poll = false;
    if (ir < 0) {
        return 0;
    }
    i8259_ack(s, (unsigned)ir);
    return 0x80 | (uint8_t)ir;
}

static void i8259_eoi(I8259State *s, unsigned ir, bool rotate)
{
    s->isr &= ~(1u << ir);
    if (rotate) {
        s->lowest = ir;
    }
}

static void i8259_write_ocw2(I8259State *s, uint8_t val)
{
    unsigned level = val & 7;
    unsigned cmd = val >> 5;

    switch (cmd) {
    case OCW2_ROTATE_AEOI_CLEAR:
    case OCW2_ROTATE_AEOI_SET:
        s->rotate_aeoi = cmd == OCW2_ROTATE_AEOI_SET;
        return;
    case OCW2_EOI:
    case OCW2_ROTATE_EOI: {
        /* The highest level in service; in special mask mode a masked
         * one is not reset by a non-specific EOI. */
        unsigned p = i8259_best(s, s->isr & (s->smm ? ~s->imr : 0xff));
        if (p != NO_LEVEL) {
            i8259_eoi(s, i8259_ir_of(s, p), cmd == OCW2_ROTATE_EOI);
        }
        break;
    }
    case OCW2_SPECIFIC_EOI:
    case OCW2_ROTATE_SPECIFIC_EOI:
        i8259_eoi(s, level, cmd == OCW2_ROTATE_SPECIFIC_EOI);
        break;
    case OCW2_SET_PRIORITY:
        s->lowest = level;
        break;
    case OCW2_NOP:
        return;
    }
    i8259_update(s);
}

static void i8259_write_ocw3(I8259State *s, uint8_t val)
{
    if (val & OCW3_P) {
        s->poll = true;
    }
    if (val & OCW3_RR) {
        s->read_isr = val & OCW3_RIS;
    }
    if (val & OCW3_ESMM) {
        s->smm = val & OCW3_SMM;
        i8259_update(s);
    }
}

/* ICW1 starts the sequence (data sheet, "Initialization Command Words"):
 * edge sense reset, IMR cleared, IR7 lowest, SMM off, reads give IRR,
 * ICW4's functions cleared. */
static void i8259_write_icw1(I8259State *s, uint8_t val)
{
    s->ic4 = val & ICW1_IC4;
    s->sngl = val & ICW1_SNGL;
    s->ltim = val & ICW1_LTIM;
    s->imr = 0;
    s->isr = 0;
    s->irr = s->input & i8259_level_mask(s);   /* edges must come again */
    s->lowest = 7;
    s->smm = false;
    s->read_isr = false;
    s->poll = false;
    s->aeoi = false;
    s->sfnm = false;
    s->rotate_aeoi = false;
    s->icw_step = 2;
    i8259_update(s);
}

static void i8259_write_data(I8259State *s, uint8_t val)
{
    switch (s->icw_step) {
    case 2:
        s->vector_base = val & 0xf8;
        s->icw_step = !s->sngl ? 3 : s->ic4 ? 4 : 0;
        return;
    case 3:
        s->icw_step = s->ic4 ? 4 : 0;   /* ICW3: the board wires the cascade */
        return;
    case 4:
        if (!(val & ICW4_UPM)) {
            log_mask(LOG_UNIMP, "i8259: MCS-80/85 mode (ICW4 uPM=0) not modelled\n");
        }
        s->aeoi = val & ICW4_AEOI;
        s->sfnm = val & ICW4_SFNM;
        s->icw_step = 0;
        return;
    default:
        s->imr = val;                   /* OCW1 */
        i8259_update(s);
        return;
    }
}

static uint64_t i8259_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259State *s = opaque;

    if (s->poll) {
        return i8259_poll(s);
    }
    if (addr == 0) {
        return s->read_isr ? s->isr : s->irr;
    }
    return s->imr;
}

static void i8259_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    I8259State *s = opaque;
    uint8_t val = (uint8_t)val64;

    if (addr == 1) {
        i8259_write_data(s, val);
    } else if (val & ICW1_SEL) {
        i8259_write_icw1(s, val);
    } else if (val & OCW3_SEL) {
        i8259_write_ocw3(s, val);
    } else {
        i8259_write_ocw2(s, val);
    }
}

static uint64_t i8259_elcr_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259State *s = opaque;

    return s->elcr;
}

static void i8259_elcr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8259State *s = opaque;

    s->elcr = (uint8_t)val & s->elcr_mask;
    uint8_t level = i8259_level_mask(s);

    s->irr = (uint8_t)((s->irr & ~level) | (s->input & level));   /* levels follow */
    i8259_update(s);
}

/* Word accesses reach both ports, as the ISA bus splits them. */
static const MemoryRegionOps i8259_io_ops = {
    .read = i8259_read,
    .write = i8259_write,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8259_elcr_ops = {
    .read = i8259_elcr_read,
    .write = i8259_elcr_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void i8259_reset(I8259State *s)
{
    /* The 8259A has no reset input: until the guest's ICW1, everything
     * is masked so that a guest that never programs it sees nothing.
     * The inputs keep their levels (the lines are not reset). */
    s->irr = 0;
    s->isr = 0;
    s->imr = 0xff;
    s->elcr = 0;
    s->vector_base = 0;
    s->icw_step = 0;
    s->lowest = 7;
    s->ltim = s->sngl = s->ic4 = false;
    s->aeoi = s->sfnm = s->rotate_aeoi = false;
    s->smm = s->read_isr = s->poll = false;
    s->int_level = -1;               /* force INT to a known level */
    i8259_update(s);
}

I8259State *i8259_init(MemoryRegion *io, uint64_t base, uint64_t elcr_port,
                       uint8_t elcr_mask, IRQLine *int_out)
{
    I8259State *s = tern_malloc0(sizeof(*s));

    s->int_out = int_out;
    s->elcr_mask = elcr_mask;
    for (int ir = 0; ir < 8; ir++) {
        irq_line_init(&s->in[ir], i8259_set_input, s, ir);
    }
    memory_region_init_io(&s->io, &i8259_io_ops, s, "i8259", 2);
    memory_region_add_subregion(io, base, &s->io);
    memory_region_init_io(&s->elcr_io, &i8259_elcr_ops, s, "elcr", 1);
    memory_region_add_subregion(io, elcr_port, &s->elcr_io);
    i8259_reset(s);
    return s;
}

void i8259_cascade(I8259State *master, unsigned ir, I8259State *slave)
{
    master->slave[ir & 7] = slave;
    slave->int_out = &master->in[ir & 7];
    slave->int_level = -1;
    i8259_update(slave);
}

void i8259_destroy(I8259State *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    memory_region_del_subregion(io, &s->elcr_io);
    memory_region_destroy(&s->elcr_io);
    free(s);
}
