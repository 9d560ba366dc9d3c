/*
 * i8259.h: one Intel 8259A programmable interrupt controller, with its
 * byte of the PIIX's edge/level control register (ELCR).
 *
 * A PC has two, made by calling i8259_init twice: the master, whose INT
 * drives the CPU's INTR, and a slave whose INT is the master's input 2
 * (i8259_cascade).  Devices (through the board) set the levels of the
 * chip's eight inputs, in[0..7]; the chip drives int_out on every change
 * of its INT output; the board runs the CPU's interrupt acknowledge cycle
 * with i8259_intack on the master, which returns the vector.  All entry
 * points run with the machine lock held.
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"

typedef struct I8259State I8259State;

struct I8259State {
    MemoryRegion io;             /* command (A0=0) and data (A0=1) ports */
    MemoryRegion elcr_io;        /* this chip's ELCR byte */
    IRQLine in[8];               /* IR0-IR7: the board sets their levels */
    IRQLine *int_out;            /* INT; NULL: not connected */
    I8259State *slave[8];        /* the slave cascaded on IRn (master only) */
    int int_level;               /* INT as last driven; -1 after reset */

    uint8_t input;               /* current IR levels */
    uint8_t irr, isr, imr;
    uint8_t elcr, elcr_mask;     /* elcr_mask: the writable ELCR bits */
    uint8_t vector_base;         /* ICW2 T7-T3 */
    uint8_t icw_step;            /* 0: ready; 2, 3, 4: the next ICW expected */
    uint8_t lowest;              /* the IR with the lowest priority (rotation) */
    bool ltim, sngl, ic4;        /* ICW1 */
    bool aeoi, sfnm;             /* ICW4 */
    bool rotate_aeoi;            /* OCW2 rotate in automatic EOI mode */
    bool smm;                    /* OCW3 special mask mode */
    bool read_isr;               /* OCW3 RR/RIS: command port reads ISR, else IRR */
    bool poll;                   /* OCW3 P: the next read is a poll */
};

/* Create a chip with its two ports at base in io and its ELCR byte at
 * elcr_port (elcr_mask: the bits the guest can set; the others read as
 * 0), driving int_out, and reset it. */
I8259State *i8259_init(MemoryRegion *io, uint64_t base, uint64_t elcr_port,
                       uint8_t elcr_mask, IRQLine *int_out);
/* Wire slave's INT to master's input ir; the master's acknowledge cycle on
 * ir takes the vector from the slave. */
void i8259_cascade(I8259State *master, unsigned ir, I8259State *slave);
/* Power-on state: everything masked, no requests, vectors from 0, edge
 * triggered; INT driven low. */
void i8259_reset(I8259State *s);
/* The CPU's INTA cycle on this (master) chip: the vector of the highest
 * priority request, from the slave for a cascaded input, or IR7's vector
 * (spurious) if the request went away. */
int i8259_intack(I8259State *s);
/* Unmap and free. */
void i8259_destroy(I8259State *s, MemoryRegion *io);

#endif
