/*
 * i8042.h: the 8042 keyboard controller with a PS/2 keyboard on its first
 * port and a PS/2 mouse on its auxiliary port.
 *
 * Data at base (0x60), status / command at base + 4 (0x64).  The board
 * gives it two interrupt lines (keyboard data: IRQ 1, aux data: IRQ 12),
 * each high while the output buffer holds a byte from that side and the
 * command byte enables it; the output port's A20 bit as a line (level 1:
 * gate open) and a reset line, pulsed high for a CPU reset (output port
 * bit 0 written 0, or a pulse command with bit 0 clear such as 0xFE).
 * Writes are taken at once: IBF never reads 1.  All entry points run with
 * the machine lock held.
 */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "hw/input/ps2.h"

#define I8042_DATA_PORT   0x60
#define I8042_CMD_PORT    0x64   /* base + 4 */
#define I8042_RAM_SIZE    32     /* internal RAM; byte 0 is the command byte */

typedef struct I8042State {
    MemoryRegion data_io, cmd_io;
    IRQLine *kbd_irq, *aux_irq, *a20, *reset;
    int kbd_level, aux_level;

    uint8_t ram[I8042_RAM_SIZE]; /* ram[0]: command byte (CTR) */
    uint8_t status;              /* OBF, SYS, A2, INH, AUXB as read at 0x64 */
    uint8_t outport;             /* output port; bits 4-5 computed when read */
    uint8_t obuf;                /* output buffer: kept after a read, as read again */
    int write_cmd;               /* controller command taking the next data byte, or -1 */
    int ctrl_byte;               /* controller answer waiting for the buffer, or -1 */
    bool ctrl_aux;               /* ... from the aux side (0xD3) */

    PS2KbdState kbd;
    PS2MouseState mouse;
} I8042State;

/* Create the controller at base / base + 4 in io and reset it.  Lines may
 * be NULL (not connected); a20 and reset are not driven until a guest
 * write or i8042_reset. */
I8042State *i8042_init(MemoryRegion *io, uint64_t base, IRQLine *kbd_irq, IRQLine *aux_irq,
                       IRQLine *a20, IRQLine *reset);
/* Power-on state: controller, keyboard and mouse; drives the A20 line. */
void i8042_reset(I8042State *s);

#endif
