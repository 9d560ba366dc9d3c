/*
 * debugexit.c: a write to isa-debug-exit ends the guest before the next
 * instruction.  The same straight-line asm (one translation block, unless
 * tern ends blocks after port I/O) goes on to write a FAIL line straight to
 * the UART's transmit register, so running past the write fails the test.
 */
#include "tern.h"

#define PUTC(c) "movb $" #c ", %%al\n\toutb %%al, %%dx\n\t"

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_group("debugexit");
    CHECK_NAMED("reached", 1);
    /* test_done()'s summary now: the exit below must be the last thing */
    tern_printf("1 passed, 0 failed\n");
    /* value 0: tern exits with status 1, the suite's pass status */
    __asm__ volatile("xor %%eax, %%eax\n\t"
                     "outb %%al, $0xf4\n\t"
                     "mov $0x3f8, %%dx\n\t"
                     PUTC('F') PUTC('A') PUTC('I') PUTC('L') PUTC(' ')
                     PUTC('x') PUTC(10)
                     : : : "rax", "rdx", "memory");
    tern_printf("FAIL debugexit/immediate: ran past the debug-exit write\n");
    tern_exit(1);
}
