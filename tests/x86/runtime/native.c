/*
 * native.c: the runtime of the native build of a guest test.  The test's
 * main is compiled as tern_guest_main (-Dmain=tern_guest_main); this file's
 * main calls it with a boot info block like tern's, output goes to stdout,
 * and tern_exit() becomes exit().  A test that needs port I/O calls
 * test_skip(), which exits 77 after a "SKIP: reason" line.
 *
 * Running the same checks on the host CPU proves their expected values.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tern.h"

int tern_guest_main(const struct tern_bootinfo *bi);

static char outbuf[4096];
static size_t outlen;

static void flush_out(void)
{
    size_t off = 0;

    while (off < outlen) {
        ssize_t n = write(1, outbuf + off, outlen - off);
        if (n <= 0) {
            break;
        }
        off += (size_t)n;
    }
    outlen = 0;
}

void tern_putchar(int c)
{
    if (outlen == sizeof(outbuf)) {
        flush_out();
    }
    outbuf[outlen++] = (char)c;
    if (c == '\n') {
        flush_out();
    }
}

_Noreturn void tern_exit(int code)
{
    flush_out();
    _exit(code);
}

_Noreturn void test_skip(const char *reason)
{
    tern_printf("SKIP: %s\n", reason);
    tern_exit(77);
}

int main(int argc, char **argv)
{
    static struct tern_bootinfo bi = {
        .magic = TERN_BOOTINFO_MAGIC,
        .version = 1,
        .ram_size = 0,          /* unknown: tests skip RAM-size checks */
    };

    if (argc > 1) {
        bi.cmdline = (uintptr_t)argv[1];
    }
    tern_exit(tern_guest_main(&bi));
}
