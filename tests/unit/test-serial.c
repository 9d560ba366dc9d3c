/*
 * test-serial.c: the 16550A UART (hw/char/serial.c) through its ports, with
 * input from a null Chardev, on a hand-driven virtual clock (fake-timer.h):
 * the character time from the divisor latch and LCR, and the receive FIFO's
 * character-timeout interrupt 4 character times after the last FIFO
 * activity (a byte received or read), not before, scaling with the divisor.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/char/serial.h"
#include "test.h"
#include "fake-timer.h"

TEST_GLOBALS;

#define BASE 0x3f8
enum { RBR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, LSR = 5 };

#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define IER_RDI     0x01
#define FCR_FIFO_14 0xc7     /* enable, clear both FIFOs, trigger level 14 */
#define FCR_FIFO_4  0x47     /* trigger level 4 */
#define IIR_NONE    0xc1     /* FIFOs on, no interrupt */
#define IIR_RDI     0xc4
#define IIR_CTI     0xcc

static MemoryRegion io;
static AddressSpace io_as;
static IRQLine irq;
static Chardev *chr;
static SerialState *s;
static int irq_level;

static void on_irq(void *opaque, int n, int level)
{
    irq_level = level;
}

static void outb(unsigned reg, uint8_t v)
{
    address_space_st(&io_as, BASE + reg, 1, v);
}

static uint8_t inb(unsigned reg)
{
    uint64_t v = 0;

    address_space_ld(&io_as, BASE + reg, 1, &v);
    return (uint8_t)v;
}

static void rx(const char *bytes)
{
    size_t len = strlen(bytes);

    CHECK_EQ(chardev_deliver_input(chr, (const uint8_t *)bytes, len), len);
}

/* A fresh UART as a driver leaves it: divisor, LCR, FCR, receive interrupts on. */
static void setup(uint16_t divisor, uint8_t lcr, uint8_t fcr)
{
    if (s) {
        serial_destroy(s, &io);
    }
    irq_level = 0;
    s = serial_init(&io, BASE, &irq, chr);
    outb(LCR, LCR_DLAB);
    outb(DLL, divisor & 0xff);
    outb(DLM, divisor >> 8);
    outb(LCR, lcr);
    outb(FCR, fcr);
    outb(IER, IER_RDI);
}

/* bits / (115200 / divisor) s: start + data + parity + stop bits. */
static void test_char_time(void)
{
    static const struct { uint16_t divisor; uint8_t lcr; int64_t ns; } cases[] = {
        { 1, 0x03, 10 * NANOSECONDS_PER_SECOND / 115200 },        /* 8N1 */
        { 12, 0x03, 12 * 10 * NANOSECONDS_PER_SECOND / 115200 },  /* 8N1 at 9600 */
        { 1, 0x1f, 12 * NANOSECONDS_PER_SECOND / 115200 },        /* 8E2 */
        { 1, 0x02, 9 * NANOSECONDS_PER_SECOND / 115200 },         /* 7N1 */
        { 2, 0x04, 2 * 15 * NANOSECONDS_PER_SECOND / 230400 },    /* 5N1.5 */
        { 0, 0x03, 65536 * 10 * NANOSECONDS_PER_SECOND / 115200 },/* divisor 0: 65536 */
    };

    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        setup(cases[i].divisor, cases[i].lcr, FCR_FIFO_14);
        CHECK_EQ(serial_char_ns(s), cases[i].ns);
    }
}

/* One byte below the trigger level: no interrupt until 4 character times
 * have passed, the timeout then; reading the byte ends it. */
static void test_timeout_after_four_chars(void)
{
    static const uint16_t divisors[] = { 1, 3, 12, 0x180 };

    for (unsigned i = 0; i < ARRAY_SIZE(divisors); i++) {
        int64_t four = 4 * (divisors[i] * 10 * NANOSECONDS_PER_SECOND / 115200);

        setup(divisors[i], LCR_8N1, FCR_FIFO_14);
        rx("a");
        CHECK_EQ(inb(IIR), IIR_NONE);
        CHECK_EQ(irq_level, 0);
        fake_clock_advance(four - 1, 10);
        CHECK_EQ(inb(IIR), IIR_NONE);
        CHECK_EQ(irq_level, 0);
        fake_clock_advance(1, 10);
        CHECK_EQ(irq_level, 1);
        CHECK_EQ(inb(IIR), IIR_CTI);
        CHECK_EQ(inb(RBR), 'a');
        CHECK_EQ(irq_level, 0);
        CHECK_EQ(inb(IIR), IIR_NONE);
        CHECK(!timer_pending(&s->timeout_timer));   /* empty: nothing to time out */
    }
}

/* The timer's one expiry is the timeout, exactly 4 character times on. */
static void test_timeout_deadline(void)
{
    setup(6, LCR_8N1, FCR_FIFO_14);
    int64_t start = timer_clock_ns(TIMER_CLOCK_VIRTUAL);

    rx("a");
    CHECK(fake_clock_run_next());
    CHECK_EQ(timer_clock_ns(TIMER_CLOCK_VIRTUAL) - start, 4 * serial_char_ns(s));
    CHECK_EQ(inb(IIR), IIR_CTI);
    CHECK(!fake_clock_run_next());               /* one interrupt, no re-arming */
}

/* Each received byte starts the 4 character times over. */
static void test_timeout_restarts_on_receive(void)
{
    setup(1, LCR_8N1, FCR_FIFO_14);
    int64_t ch = serial_char_ns(s);

    rx("a");
    fake_clock_advance(3 * ch, 10);
    rx("b");
    fake_clock_advance(3 * ch, 10);
    CHECK_EQ(irq_level, 0);
    fake_clock_advance(ch, 10);
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(inb(IIR), IIR_CTI);
}

/* A read clears the timeout and starts it over while data remains. */
static void test_timeout_restarts_on_read(void)
{
    setup(1, LCR_8N1, FCR_FIFO_14);
    int64_t ch = serial_char_ns(s);

    rx("ab");
    fake_clock_advance(3 * ch, 10);
    CHECK_EQ(inb(RBR), 'a');
    fake_clock_advance(3 * ch, 10);
    CHECK_EQ(irq_level, 0);
    fake_clock_advance(ch, 10);
    CHECK_EQ(inb(IIR), IIR_CTI);
    CHECK_EQ(inb(RBR), 'b');
    CHECK_EQ(irq_level, 0);
    fake_clock_advance(100 * ch, 10);
    CHECK_EQ(irq_level, 0);
    CHECK_EQ(inb(LSR) & 0x01, 0);
}

/* At the trigger level the data interrupt comes at once; the timeout
 * still follows if the guest leaves bytes behind. */
static void test_trigger_level_immediate(void)
{
    setup(1, LCR_8N1, FCR_FIFO_4);
    int64_t ch = serial_char_ns(s);

    rx("abc");
    CHECK_EQ(irq_level, 0);
    rx("d");
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(inb(IIR), IIR_RDI);
    CHECK_EQ(inb(RBR), 'a');
    CHECK_EQ(irq_level, 0);
    fake_clock_advance(4 * ch, 10);
    CHECK_EQ(inb(IIR), IIR_CTI);
}

/* FIFOs off (16450 mode): each byte interrupts at once and no timer runs;
 * turning the FIFOs off or clearing the receive FIFO disarms the timer. */
static void test_no_timeout_without_fifo(void)
{
    setup(1, LCR_8N1, 0);
    rx("a");
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(inb(IIR), 0x04);
    CHECK(!timer_pending(&s->timeout_timer));

    setup(1, LCR_8N1, FCR_FIFO_14);
    rx("a");
    CHECK(timer_pending(&s->timeout_timer));
    outb(FCR, 0x03);                         /* FIFO on, clear the receive FIFO */
    CHECK(!timer_pending(&s->timeout_timer));
    rx("a");
    outb(FCR, 0);
    CHECK(!timer_pending(&s->timeout_timer));
    fake_clock_advance(NANOSECONDS_PER_SECOND, 10);
    CHECK_EQ(irq_level, 0);
}

/* A reset disarms a pending timeout. */
static void test_reset_disarms(void)
{
    setup(1, LCR_8N1, FCR_FIFO_14);
    rx("a");
    serial_reset(s);
    CHECK(!timer_pending(&s->timeout_timer));
    CHECK_EQ(fake_clock_advance(NANOSECONDS_PER_SECOND, 10), 0);
    CHECK_EQ(irq_level, 0);
}

int main(void)
{
    Error *err = NULL;

    memory_region_init_container(&io, "io", 0x10000);
    address_space_init(&io_as, &io, "I/O");
    irq_line_init(&irq, on_irq, NULL, 4);
    chr = chardev_new("-serial", "null", &err);
    assert(chr);
    RUN_TEST(test_char_time);
    RUN_TEST(test_timeout_after_four_chars);
    RUN_TEST(test_timeout_deadline);
    RUN_TEST(test_timeout_restarts_on_receive);
    RUN_TEST(test_timeout_restarts_on_read);
    RUN_TEST(test_trigger_level_immediate);
    RUN_TEST(test_no_timeout_without_fifo);
    RUN_TEST(test_reset_disarms);
    serial_destroy(s, &io);
    chardev_free(chr);
    TEST_MAIN_END();
}
