/*
 * serial.h: a 16550A UART.
 *
 * The board gives the UART its I/O container, base address, interrupt line
 * and character back end; the UART occupies 8 byte-wide ports from base and
 * never knows where it sits.  Output is written to the back end at once,
 * so the transmitter is always empty (LSR.THRE and LSR.TEMT stay set).
 * The receiver's character timeout runs on the virtual clock, at the rate
 * the divisor latch and LCR program.
 * All entry points run with the machine lock held.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "sysemu/chardev.h"
#include "sysemu/timer.h"

#define SERIAL_FIFO_SIZE 16

typedef struct SerialState {
    MemoryRegion io;
    IRQLine *irq;                /* NULL: not connected */
    Chardev *chr;                /* NULL: output dropped */
    int irq_level;

    uint16_t divider;            /* DLL/DLM */
    uint8_t ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    bool thr_ipending;           /* THRE interrupt pending (cleared by IIR read/THR write) */
    bool timeout_ipending;       /* character timeout interrupt pending (cleared by RBR read) */
    Timer timeout_timer;         /* virtual clock: 4 character times after FIFO activity */

    uint8_t rx_fifo[SERIAL_FIFO_SIZE];
    unsigned rx_head, rx_count;
} SerialState;

/* Create a UART at base in io (8 ports), interrupting through irq, talking
 * to chr, and reset it.  chr's input handlers are taken by the UART. */
SerialState *serial_init(MemoryRegion *io, uint64_t base, IRQLine *irq, Chardev *chr);
/* Back to the power-on state (registers, FIFOs, IRQ lowered). */
void serial_reset(SerialState *s);
/* One character time (start, data, parity and stop bits) at the rate the
 * divisor latch and LCR program now, in ns of the virtual clock. */
int64_t serial_char_ns(const SerialState *s);
/* Unmap and free (the Chardev stays the caller's). */
void serial_destroy(SerialState *s, MemoryRegion *io);

#endif
