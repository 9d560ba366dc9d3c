/*
 * io.c: port I/O.  in/out with the port in DX (the only form that reaches
 * ports above 0xff) on the 16550 scratch register at 0x3ff: bytes written
 * and read back, the value kept across reads of other registers, and the
 * 16-bit operand forms (outw/inw at 0x3fe cover MSR and SCR: the PC splits
 * a 16-bit access to a byte-wide device into two byte accesses; only the
 * SCR byte is checked).  The imm8 port form runs in every test's exit
 * (out to 0xf4).  Native build: skipped, port I/O needs ring 0.
 */
#include "tern.h"

#define SCR (TERN_SERIAL_BASE + 7)
#define LSR (TERN_SERIAL_BASE + 5)
#define MSR (TERN_SERIAL_BASE + 6)

static uint8_t in_dx(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %%dx, %%al" : "=a"(v) : "d"(port) : "memory");
    return v;
}

static void out_dx(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %%al, %%dx" : : "a"(v), "d"(port) : "memory");
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }

    test_group("scr");
    static const uint8_t vals[] = { 0x00, 0x5a, 0xa5, 0xff, 0x01, 0x80 };
    for (unsigned i = 0; i < sizeof(vals); i++) {
        out_dx(SCR, vals[i]);
        CHECK_EQ_NAMED("byte-readback", in_dx(SCR), vals[i]);
    }
    out_dx(SCR, 0x3c);
    uint8_t lsr = in_dx(LSR);
    CHECK_EQ_NAMED("lsr-idle-thre-temt", lsr & 0x60, 0x60);
    CHECK_EQ_NAMED("kept-across-reads", in_dx(SCR), 0x3c);

    /* in %dx into a full register: only AL changes. */
    uint64_t r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("inb %%dx, %%al" : "+a"(r) : "d"((uint16_t)SCR) : "memory");
    CHECK_EQ_NAMED("inb-keeps-upper", r, 0xaaaaaaaaaaaaaa3cull);

    test_group("io16");
    outw(MSR, 0xc300 | (inb(MSR) & 0xff));
    CHECK_EQ_NAMED("outw-high-byte-to-scr", inb(SCR), 0xc3);
    out_dx(SCR, 0x7e);
    CHECK_EQ_NAMED("inw-high-byte-from-scr", inw(MSR) >> 8, 0x7e);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("inw %%dx, %%ax" : "+a"(r) : "d"((uint16_t)MSR) : "memory");
    CHECK_EQ_NAMED("inw-keeps-upper", r >> 16, 0xaaaaaaaaaaaaull);
    CHECK_EQ_NAMED("inw-scr-byte", (r >> 8) & 0xff, 0x7e);
    r = 0xaaaaaaaaaaaaaaaaull;
    __asm__ volatile("inl %%dx, %%eax" : "+a"(r) : "d"((uint16_t)0x3fc) : "memory");
    CHECK_EQ_NAMED("inl-zeroes-upper", r >> 32, 0);
    CHECK_EQ_NAMED("inl-scr-byte", r >> 24, 0x7e);
    test_done();
}
