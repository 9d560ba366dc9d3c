/*
 * console.c: input from the -nographic console (stdio) reaches the guest's
 * UART, byte by byte with flow control (the UART's FIFOs stay off, so the
 * console may only hand over one byte at a time), and the Ctrl-A escape
 * keys work: Ctrl-A Ctrl-A sends one Ctrl-A to the guest, Ctrl-A x ends
 * tern with status 0 while the guest still waits for input (Z is a
 * sentinel, below).  The suite
 * feeds the line below to tern's stdin.  Guest only.
 */
// tern-stdin: hello, console\n\001\001Z\001x
// tern-expect-status: 0
#include "tern.h"

#define UART_RBR 0
#define UART_LSR 5
#define UART_LSR_DR 0x01

static int getc_serial(void)
{
    while (!(inb(TERN_SERIAL_BASE + UART_LSR) & UART_LSR_DR)) {
        __asm__ volatile("pause");
    }
    return inb(TERN_SERIAL_BASE + UART_RBR);
}

int main(const struct tern_bootinfo *bi)
{
    static const char want[] = "hello, console";
    char line[64];
    unsigned n = 0;
    int c;

    (void)bi;
#ifdef TERN_NATIVE
    test_skip("reads the guest's UART");
#endif
    while ((c = getc_serial()) != '\n' && n < sizeof(line) - 1) {
        line[n++] = (char)c;
    }
    line[n] = 0;
    CHECK_NAMED("line", strcmp(line, want) == 0);
    CHECK_EQ_NAMED("ctrl-a-ctrl-a", getc_serial(), 0x01);
    /* The console hands over the next byte only once the guest has taken
     * this one, so the checks above are printed before tern can see the
     * Ctrl-A x that follows this sentinel. */
    (void)getc_serial();
    /* Ctrl-A x is the console's, not the guest's: anything that arrives
     * now is a failure, and tern must end while the guest waits (the
     * suite's timeout otherwise). */
    c = getc_serial();
    CHECK_EQ_NAMED("nothing-after-escape", c, -1);
    test_done();
}
