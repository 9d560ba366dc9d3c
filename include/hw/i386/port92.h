/*
 * port92.h: System Control Port A (port 0x92), the PS/2 "fast A20" port.
 *
 * Bit 1 is the A20 gate: the board wires the a20 line to the CPU
 * (x86_cpu_set_a20); it is raised (gate open) at creation, as after reset.
 * Writing bit 0 (fast reset) as 1 requests a system reset
 * (runstate_request_reset); it reads as 0.  Other bits read back as
 * written.  port92_reset restores the power-on value (gate open).
 */
#ifndef HW_I386_PORT92_H
#define HW_I386_PORT92_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"

#define PORT92_ADDR 0x92

typedef struct Port92State {
    MemoryRegion io;
    uint8_t value;
    IRQLine *a20;                /* level 1: gate open */
} Port92State;

Port92State *port92_init(MemoryRegion *io, IRQLine *a20);
void port92_reset(Port92State *s);

#endif
