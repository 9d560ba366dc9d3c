// tern-kvm: allow a20/* KVM does not emulate the A20 gate: memory never wraps at 1 MiB
/*
 * i8042.c: the 8042 keyboard controller as Linux's i8042, atkbd and
 * psmouse drivers probe it, by polling: flush, self-test, command byte,
 * the aux port checks (loopback with AUXB, interface test, 0xA7/0xA8 in
 * the command byte), keyboard reset and identify, mouse reset and
 * identify through 0xD4.  IRQ 1 and IRQ 12 reach the 8259 pair (masked:
 * seen in IRR) only when the command byte enables them.  Then the A20
 * gate through the output port (0xD1): with port 0x92's bit 1 clear, the
 * 8042 alone closes it and 0x300500 aliases 0x200500, from code copied
 * below 1 MiB (the image's own addresses have bit 20 set); with either
 * source high the gate is open.  Guest only (ring 0, 64-bit: the page
 * tables and the stack are below 1 MiB, docs/boot.md).
 */
#include "tern.h"

#define KBC_DATA   0x60
#define KBC_STATUS 0x64
#define ST_OBF     0x01
#define ST_IBF     0x02
#define ST_SYS     0x04
#define ST_AUXB    0x20
#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS    0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE  0x40
#define CTR_SYS_BITS (CTR_SYS | CTR_AUXDIS | CTR_XLATE)  /* probe-time CTR: no interrupts */
#define OUT_A20    0x02
#define PORT92     0x92
#define PIC1_CMD   0x20
#define PIC1_DATA  0x21
#define PIC2_CMD   0xa0
#define PIC2_DATA  0xa1
#define OCW3_READ_IRR 0x0a
#define POLL_LIMIT 100000        /* Linux's I8042_CTL_TIMEOUT is 10000 x 50 us */

#define A20_LO     0x200500u     /* bit 20 clear: the alias of A20_HI when closed */
#define A20_HI     0x300500u
#define STUB_ADDR  0x8000u       /* free low memory (docs/boot.md) */

static int wait_write(void)
{
    for (int i = 0; i < POLL_LIMIT; i++) {
        if (!(inb(KBC_STATUS) & ST_IBF)) {
            return 0;
        }
    }
    return -1;
}

/* The next byte, or -1 after a timeout; *status gets the status it came with. */
static int read_byte(uint8_t *status)
{
    for (int i = 0; i < POLL_LIMIT; i++) {
        uint8_t st = inb(KBC_STATUS);

        if (st & ST_OBF) {
            if (status) {
                *status = st;
            }
            return inb(KBC_DATA);
        }
    }
    return -1;
}

static int ibf_timeouts;         /* checked once, at the end */

static void kbc_cmd(uint8_t cmd)
{
    ibf_timeouts -= wait_write();
    outb(KBC_STATUS, cmd);
}

static void kbc_data(uint8_t val)
{
    ibf_timeouts -= wait_write();
    outb(KBC_DATA, val);
}

static int kbc_cmd_read(uint8_t cmd)
{
    kbc_cmd(cmd);
    return read_byte(NULL);
}

static void kbc_cmd_write(uint8_t cmd, uint8_t val)
{
    kbc_cmd(cmd);
    kbc_data(val);
}

/* i8042_flush: read until the buffer is empty (bounded). */
static int flush(void)
{
    int n = 0;

    while ((inb(KBC_STATUS) & ST_OBF) && n < 64) {
        inb(KBC_DATA);
        n++;
    }
    return n;
}

static uint8_t pic_irr(uint16_t cmd_port)
{
    outb(cmd_port, OCW3_READ_IRR);
    return inb(cmd_port);
}

/* Linux's init_8259A, all masked: edges still latch in IRR. */
static void pic_init(void)
{
    static const uint8_t master[] = { 0x20, 1 << 2, 0x01 }, slave[] = { 0x28, 2, 0x01 };

    outb(PIC1_CMD, 0x11);
    for (int i = 0; i < 3; i++) {
        outb(PIC1_DATA, master[i]);
    }
    outb(PIC2_CMD, 0x11);
    for (int i = 0; i < 3; i++) {
        outb(PIC2_DATA, slave[i]);
    }
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}

/* Position-independent: writes the output port (edi), probes the alias
 * without touching the stack or the image, reopens the gate through the
 * 8042, returns 1 if A20_HI aliased A20_LO. */
__asm__(
    "    .text\n"
    "    .globl a20_stub, a20_stub_end\n"
    "a20_stub:\n"
    "    mov %edi, %edx\n"
    "1:  in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz 1b\n"
    "    mov $0xd1, %al\n"
    "    out %al, $0x64\n"
    "2:  in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz 2b\n"
    "    mov %dl, %al\n"
    "    out %al, $0x60\n"
    "    movb $0xaa, 0x200500\n"
    "    movb $0x55, 0x300500\n"
    "    xor %ecx, %ecx\n"
    "    cmpb $0x55, 0x200500\n"
    "    sete %cl\n"
    "3:  in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz 3b\n"
    "    mov $0xd1, %al\n"
    "    out %al, $0x64\n"
    "4:  in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz 4b\n"
    "    mov $0xdf, %al\n"
    "    out %al, $0x60\n"
    "    mov %ecx, %eax\n"
    "    ret\n"
    "a20_stub_end:\n");
extern char a20_stub[], a20_stub_end[];

static int a20_stub_probe(uint8_t outport)
{
    int (*fn)(uint32_t) = (int (*)(uint32_t))(uintptr_t)STUB_ADDR;

    return fn(outport);
}

/* From the image: only while the gate is open, or this code vanishes. */
static int a20_wraps(void)
{
    volatile uint8_t *lo = (volatile uint8_t *)(uintptr_t)A20_LO;
    volatile uint8_t *hi = (volatile uint8_t *)(uintptr_t)A20_HI;

    *lo = 0xaa;
    *hi = 0x55;
    return *lo == 0x55;
}

static void test_probe(void)
{
    uint8_t st = 0;
    int ctr;

    test_group("probe");
    CHECK_EQ_NAMED("flush-empty", flush(), 0);
    CHECK_EQ_NAMED("sys-flag", inb(KBC_STATUS) & ST_SYS, ST_SYS);
    CHECK_EQ_NAMED("self-test", kbc_cmd_read(0xaa), 0x55);
    ctr = kbc_cmd_read(0x20);
    CHECK_EQ_NAMED("ctr-reset", ctr, CTR_KBDINT | CTR_SYS | CTR_AUXDIS | CTR_XLATE);
    /* i8042_controller_init: interrupts off while probing */
    kbc_cmd_write(0x60, (uint8_t)ctr & ~(CTR_KBDINT | CTR_AUXINT));
    CHECK_EQ_NAMED("ctr-written", kbc_cmd_read(0x20), CTR_SYS_BITS);
    /* i8042_check_aux */
    kbc_cmd_write(0xd3, 0x5a);
    CHECK_EQ_NAMED("aux-loop", read_byte(&st), 0x5a);
    CHECK_EQ_NAMED("aux-loop-auxb", st & ST_AUXB, ST_AUXB);
    CHECK_EQ_NAMED("aux-test", kbc_cmd_read(0xa9), 0x00);
    kbc_cmd(0xa7);
    CHECK_EQ_NAMED("aux-disabled", kbc_cmd_read(0x20) & CTR_AUXDIS, CTR_AUXDIS);
    kbc_cmd(0xa8);
    CHECK_EQ_NAMED("aux-enabled", kbc_cmd_read(0x20) & CTR_AUXDIS, 0);
    CHECK_EQ_NAMED("kbd-test", kbc_cmd_read(0xab), 0x00);
    kbc_cmd_write(0xd2, 0xa5);
    CHECK_EQ_NAMED("kbd-loop", read_byte(&st), 0xa5);
    CHECK_EQ_NAMED("kbd-loop-no-auxb", st & ST_AUXB, 0);
}

static void test_devices(void)
{
    uint8_t st = 0;

    test_group("devices");
    /* atkbd: reset, then identify (translated: AB 41) */
    kbc_data(0xff);
    CHECK_EQ_NAMED("kbd-reset-ack", read_byte(NULL), 0xfa);
    CHECK_EQ_NAMED("kbd-reset-bat", read_byte(NULL), 0xaa);
    kbc_data(0xf2);
    CHECK_EQ_NAMED("kbd-id-ack", read_byte(NULL), 0xfa);
    CHECK_EQ_NAMED("kbd-id0", read_byte(NULL), 0xab);
    CHECK_EQ_NAMED("kbd-id1", read_byte(NULL), 0x41);
    kbc_data(0xed);
    kbc_data(0x02);
    CHECK_EQ_NAMED("kbd-leds", (read_byte(NULL) << 8) | read_byte(NULL), 0xfafa);
    kbc_data(0x99);
    CHECK_EQ_NAMED("kbd-unknown", read_byte(NULL), 0xfe);
    /* psmouse: reset through 0xD4, then identify */
    kbc_cmd_write(0xd4, 0xff);
    CHECK_EQ_NAMED("aux-reset-ack", read_byte(&st), 0xfa);
    CHECK_EQ_NAMED("aux-reset-auxb", st & ST_AUXB, ST_AUXB);
    CHECK_EQ_NAMED("aux-reset-bat", read_byte(NULL), 0xaa);
    CHECK_EQ_NAMED("aux-reset-id", read_byte(NULL), 0x00);
    kbc_cmd_write(0xd4, 0xf2);
    CHECK_EQ_NAMED("aux-id-ack", read_byte(NULL), 0xfa);
    CHECK_EQ_NAMED("aux-id", read_byte(&st), 0x00);
    CHECK_EQ_NAMED("aux-id-auxb", st & ST_AUXB, ST_AUXB);
    CHECK_EQ_NAMED("empty", flush(), 0);
}

static void test_irqs(void)
{
    test_group("irq");
    pic_init();
    CHECK_EQ_NAMED("irr-clear", (pic_irr(PIC2_CMD) << 8) | pic_irr(PIC1_CMD), 0);
    kbc_data(0xee);                      /* interrupts disabled in the CTR */
    CHECK_EQ_NAMED("echo", read_byte(NULL), 0xee);
    CHECK_EQ_NAMED("irq1-disabled", pic_irr(PIC1_CMD) & 0x02, 0);
    kbc_cmd_write(0x60, CTR_KBDINT | CTR_SYS);
    kbc_data(0xee);
    CHECK_EQ_NAMED("irq1", pic_irr(PIC1_CMD) & 0x02, 0x02);
    CHECK_EQ_NAMED("irq1-echo", read_byte(NULL), 0xee);
    kbc_cmd_write(0xd4, 0xf2);           /* aux interrupt still disabled */
    CHECK_EQ_NAMED("aux-bytes", flush(), 2);
    CHECK_EQ_NAMED("irq12-disabled", pic_irr(PIC2_CMD) & 0x10, 0);
    kbc_cmd_write(0x60, CTR_KBDINT | CTR_AUXINT | CTR_SYS);
    kbc_cmd_write(0xd4, 0xf2);
    CHECK_EQ_NAMED("irq12", pic_irr(PIC2_CMD) & 0x10, 0x10);
    CHECK_EQ_NAMED("irq12-bytes", flush(), 2);
    kbc_cmd_write(0x60, CTR_SYS_BITS);
}

static void test_a20(void)
{
    test_group("a20");
    memcpy((void *)(uintptr_t)STUB_ADDR, a20_stub, (size_t)(a20_stub_end - a20_stub));
    CHECK_EQ_NAMED("open-at-reset", a20_wraps(), 0);
    CHECK_EQ_NAMED("outport-reset", kbc_cmd_read(0xd0) & (OUT_A20 | 0x01), 0x01);
    kbc_cmd_write(0xd1, 0xdf);           /* Linux's enable_a20_kbc */
    outb(PORT92, inb(PORT92) & ~OUT_A20);
    CHECK_EQ_NAMED("kbc-holds-open", a20_wraps(), 0);
    CHECK_EQ_NAMED("kbc-closes", a20_stub_probe(0xdd), 1);
    CHECK_EQ_NAMED("kbc-reopens", a20_wraps(), 0);
    CHECK_EQ_NAMED("outport-a20", kbc_cmd_read(0xd0) & OUT_A20, OUT_A20);
    CHECK_EQ_NAMED("kbc-open-control", a20_stub_probe(0xdf), 0);
    outb(PORT92, inb(PORT92) | OUT_A20);
    kbc_cmd_write(0xd1, 0xdd);           /* port 0x92 holds it open */
    CHECK_EQ_NAMED("port92-holds-open", a20_wraps(), 0);
    CHECK_EQ_NAMED("outport-a20-off", kbc_cmd_read(0xd0) & OUT_A20, 0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("port I/O needs ring 0");
    }
    __asm__ volatile("cli");
    test_probe();
    test_devices();
    test_irqs();
    test_a20();
    CHECK_EQ_NAMED("ibf-never-stuck", ibf_timeouts, 0);
    test_done();
}
