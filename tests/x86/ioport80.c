/*
 * ioport80.c: the POST diagnostic port 0x80, where firmware writes progress
 * codes and Linux's io_delay writes to wait.  Writes are ignored and reads
 * return 0xff (QEMU's behaviour), whatever was written before; a write
 * there disturbs no other device (the UART's scratch register keeps its
 * value).  Native build: skipped, port I/O needs ring 0.
 */
#include "tern.h"

#define POST_PORT 0x80
#define SCR       (TERN_SERIAL_BASE + 7)

int main(const struct tern_bootinfo *bi)
{
    static const uint8_t codes[] = { 0x00, 0x55, 0xaa, 0xff, 0x80 };

    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_group("port80");
    CHECK_EQ_NAMED("read-at-start", inb(POST_PORT), 0xff);
    outb(SCR, 0x3c);
    for (unsigned i = 0; i < sizeof(codes); i++) {
        outb(POST_PORT, codes[i]);
        CHECK_EQ_NAMED("read-after-write", inb(POST_PORT), 0xff);
    }
    CHECK_EQ_NAMED("scr-untouched", inb(SCR), 0x3c);
    test_done();
}
