/*
 * uart-timeout.c: the 16550A's receive character timeout, end to end (the
 * UART's timer on the virtual clock, run by tern's main loop).  In
 * loopback at 300 baud, 8N1 (33.3 ms a character) with the FIFO's trigger
 * level at 14, one byte sent to itself must not interrupt at once; the
 * timeout (IIR 0xcc) must come no sooner than 4 character times later,
 * timed by the ACPI PM timer (3.579545 MHz), and reading the byte ends it.
 * Loopback swallows output, so the checks print after it is off.
 * Native build: skipped, port I/O needs ring 0.
 */
#include "tern.h"

#define UART(r)      (TERN_SERIAL_BASE + (r))
#define RBR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5

#define DIVISOR      384         /* 115200 / 384 = 300 baud */
#define PM_TMR       0x608       /* docs/pc.md: 32-bit, 3.579545 MHz */
#define PM_HZ        3579545ull
/* 4 characters of 10 bits at 300 baud, in PM timer ticks (rounded down) */
#define TIMEOUT_TICKS (4 * 10 * PM_HZ * DIVISOR / 115200)

int main(const struct tern_bootinfo *bi)
{
    uint8_t iir_at_once, iir_later, lsr, byte, iir_after_read;
    uint32_t t0, t1;
    unsigned long spins = 0;

    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    outb(UART(LCR), 0x80);
    outb(UART(DLL), DIVISOR & 0xff);
    outb(UART(DLM), DIVISOR >> 8);
    outb(UART(LCR), 0x03);                 /* 8N1 */
    outb(UART(FCR), 0xc7);                 /* FIFOs on, cleared, trigger 14 */
    outb(UART(IER), 0x01);                 /* received data (and its timeout) */
    outb(UART(MCR), 0x18);                 /* loopback, OUT2 */

    t0 = inl(PM_TMR);
    outb(UART(RBR), 'x');
    iir_at_once = inb(UART(IIR));
    do {
        iir_later = inb(UART(IIR));
    } while (iir_later == iir_at_once && ++spins < 100000000ul);
    t1 = inl(PM_TMR);
    lsr = inb(UART(LSR));
    byte = inb(UART(RBR));
    iir_after_read = inb(UART(IIR));

    outb(UART(MCR), 0x08);                 /* back as reset left it */
    outb(UART(IER), 0);
    outb(UART(FCR), 0);
    outb(UART(LCR), 0x80);
    outb(UART(DLL), 0x0c);
    outb(UART(DLM), 0);
    outb(UART(LCR), 0);

    test_group("uart-timeout");
    CHECK_EQ_NAMED("no-interrupt-at-once", iir_at_once, 0xc1);
    CHECK_EQ_NAMED("timeout", iir_later, 0xcc);
    CHECK_EQ_NAMED("data-ready", lsr & 0x01, 0x01);
    CHECK_EQ_NAMED("byte", byte, 'x');
    CHECK_EQ_NAMED("read-ends-timeout", iir_after_read, 0xc1);
    tern_printf("    timeout after %u PM ticks (4 characters: %u)\n", t1 - t0,
                (unsigned)TIMEOUT_TICKS);
    CHECK_NAMED("not-before-4-chars", t1 - t0 >= TIMEOUT_TICKS);
    CHECK_NAMED("within-1s", t1 - t0 < PM_HZ);
    test_done();
}
