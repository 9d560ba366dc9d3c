/*
 * serial.c: guest-side output and exit: the 16550 UART at 0x3f8 (polled,
 * no interrupts, no initialisation: tern's UART needs none) and the
 * isa-debug-exit port at 0xf4.
 */
#include "tern.h"

#define UART_THR    0           /* transmit holding register */
#define UART_LSR    5           /* line status register */
#define UART_LSR_THRE 0x20      /* transmit holding register empty */

void tern_putchar(int c)
{
    while (!(inb(TERN_SERIAL_BASE + UART_LSR) & UART_LSR_THRE)) {
        /* wait */
    }
    outb(TERN_SERIAL_BASE + UART_THR, (uint8_t)c);
}

_Noreturn void tern_exit(int code)
{
    outb(TERN_DEBUG_EXIT, (uint8_t)code);
    /* Still here: no isa-debug-exit device.  Stop; the runner times out. */
    tern_puts("tern_exit: no isa-debug-exit device at 0xf4; halting\n");
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

_Noreturn void test_skip(const char *reason)
{
    tern_printf("SKIP: %s\n", reason);
    tern_exit(1);
}
