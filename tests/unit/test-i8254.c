/*
 * test-i8254.c: the 8254 PIT (hw/timer/i8254.c) and port 0x61
 * (hw/i386/port61.c) through their ports, on a fake clock: each mode's
 * counter sequence and OUT tick by tick, counter 0's interrupt edges
 * (timed from the load, without drift), the latch and read-back commands,
 * BCD, the LSB/MSB formats, gates, out-of-range programming, and the
 * Linux TSC calibration loop on counter 2.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/timer/i8254.h"
#include "hw/i386/port61.h"
#include "test.h"

TEST_GLOBALS;

#define T0 1000003ull            /* tick of the fake clock's "0": not a round number */

static int64_t fake_ns;

static int64_t fake_now(void)
{
    return fake_ns;
}

/* The first ns at PIT tick T0 + t. */
static int64_t ns_at(uint64_t t)
{
    return (int64_t)(((unsigned __int128)(T0 + t) * NANOSECONDS_PER_SECOND + PIT_FREQ_HZ - 1) /
                     PIT_FREQ_HZ);
}

/* Counter 0's line: every level change, with its tick. */
#define MAX_EDGES 4096
static struct { uint64_t tick; int level; } edges[MAX_EDGES];
static unsigned nedges, nedges_total;

static struct {
    MemoryRegion io;
    AddressSpace as;
    IRQLine irq;
    PITState *pit;
    Port61State *port61;
} fx;

static void on_irq(void *opaque, int n, int level)
{
    if (nedges < MAX_EDGES) {
        edges[nedges].tick = pit_now_tick(fx.pit) - T0;
        edges[nedges].level = level;
        nedges++;
    }
    nedges_total++;
}

static void teardown(void);

/* A failed CHECK returns before its test's teardown: setup does it then. */
static void setup(void)
{
    if (fx.pit) {
        teardown();
    }
    memory_region_init_container(&fx.io, "io", 0x10000);
    irq_line_init(&fx.irq, on_irq, NULL, 0);
    fx.pit = pit_init(&fx.io, 0x40, &fx.irq);
    fx.pit->now_ns = fake_now;
    fx.port61 = port61_init(&fx.io, fx.pit);
    address_space_init(&fx.as, &fx.io, "test-io");
    fake_ns = ns_at(0);
    nedges = nedges_total = 0;
}

static void teardown(void)
{
    address_space_destroy(&fx.as);
    port61_destroy(fx.port61, &fx.io);
    pit_destroy(fx.pit, &fx.io);
    memory_region_destroy(&fx.io);
    fx.pit = NULL;
}

static void outb(uint16_t port, uint8_t v)
{
    address_space_st(&fx.as, port, 1, v);
}

static uint8_t inb(uint16_t port)
{
    uint64_t v;

    address_space_ld(&fx.as, port, 1, &v);
    return (uint8_t)v;
}

/* Move the clock to tick t, firing counter 0's timer on time on the way. */
static void at(uint64_t t)
{
    /* bounded: a broken model that re-arms for the same time must not hang */
    for (int n = 0; n < 100000 && timer_pending(&fx.pit->timer) &&
                    fx.pit->timer.expire_ns <= ns_at(t); n++) {
        fake_ns = fx.pit->timer.expire_ns;
        timer_del(&fx.pit->timer);
        pit_timer_cb(fx.pit);
    }
    fake_ns = ns_at(t);
}

static void program(int ch, uint8_t mode_rw_bcd, uint16_t count)
{
    outb(0x43, (uint8_t)(ch << 6 | mode_rw_bcd));
    outb(0x40 + ch, count & 0xff);
    outb(0x40 + ch, count >> 8);
}

static uint16_t read16(int ch)
{
    uint8_t lo = inb(0x40 + ch);

    return (uint16_t)(lo | inb(0x40 + ch) << 8);
}

static uint8_t status(int ch)
{
    outb(0x43, (uint8_t)(0xe0 | 2 << ch));      /* read-back: status only */
    return inb(0x40 + ch);
}

#define OUT(ch) (pit_get_out(fx.pit, (ch)))

/* Check counter ch from tick `from`: values and OUT per tick. */
#define CHECK_SEQ(ch, from, vals, outs)                                      \
    do {                                                                     \
        for (unsigned i_ = 0; i_ < ARRAY_SIZE(vals); i_++) {                 \
            at((from) + i_);                                                 \
            CHECK_EQ(read16(ch), (vals)[i_]);                                \
            CHECK_EQ(OUT(ch), (outs)[i_]);                                   \
        }                                                                    \
    } while (0)

/* Mode 0: OUT low from the control word, high at terminal count, where it
 * stays while the counter wraps on; one rising edge on the line. */
static void test_mode0_interrupt_on_terminal_count(void)
{
    static const uint16_t vals[] = { 5, 4, 3, 2, 1, 0, 0xffff, 0xfffe };
    static const int outs[] = { 0, 0, 0, 0, 0, 1, 1, 1 };

    setup();
    outb(0x43, 0x30);
    CHECK_EQ(OUT(0), 0);
    program(0, 0x30, 5);
    CHECK_SEQ(0, 0, vals, outs);
    at(100000);
    CHECK_EQ(OUT(0), 1);
    CHECK_EQ(nedges, 1);
    CHECK_EQ(edges[0].tick, 5);
    CHECK_EQ(edges[0].level, 1);
    CHECK(!timer_pending(&fx.pit->timer));
    teardown();
}

/* Mode 0: the first byte of a two-byte count stops counting with OUT low;
 * the second starts the new count. */
static void test_mode0_rewrite(void)
{
    setup();
    program(0, 0x30, 10);
    at(12);
    CHECK_EQ(OUT(0), 1);
    outb(0x40, 3);
    CHECK_EQ(OUT(0), 0);
    CHECK_EQ(read16(0), 0xfffe);
    at(20);
    CHECK_EQ(read16(0), 0xfffe);            /* stopped */
    outb(0x40, 0);
    CHECK_EQ(read16(0), 3);
    at(22);
    CHECK_EQ(OUT(0), 0);
    at(23);
    CHECK_EQ(OUT(0), 1);
    CHECK_EQ(nedges, 3);                    /* up at 10, down at 12, up at 23 */
    CHECK_EQ(edges[1].tick, 12);
    CHECK_EQ(edges[2].tick, 23);
    teardown();
}

/* Mode 1 (counter 2, gate from port 0x61): nothing before a trigger; a
 * rising gate edge starts the one-shot (OUT low for N ticks); a trigger
 * while counting restarts it. */
static void test_mode1_hardware_one_shot(void)
{
    static const uint16_t vals[] = { 4, 3, 2, 1, 0, 0xffff };
    static const int outs[] = { 0, 0, 0, 0, 1, 1 };

    setup();
    program(2, 0x32, 4);
    CHECK_EQ(OUT(2), 1);
    CHECK_EQ(status(2) & 0x40, 0x40);       /* null count: not loaded yet */
    at(10);
    outb(0x61, 1);                          /* gate 2 rises */
    CHECK_EQ(status(2) & 0x40, 0);
    CHECK_SEQ(2, 10, vals, outs);
    outb(0x61, 0);
    at(30);
    outb(0x61, 1);
    at(32);
    outb(0x61, 0);
    outb(0x61, 1);                          /* retrigger */
    at(35);
    CHECK_EQ(OUT(2), 0);
    at(36);
    CHECK_EQ(OUT(2), 1);
    teardown();
}

/* Mode 2: N..1 with OUT low for the tick at 1; the line rises at every
 * multiple of N from the load, with no drift over 1000 periods. */
static void test_mode2_rate_generator(void)
{
    static const uint16_t vals[] = { 4, 3, 2, 1, 4, 3, 2, 1, 4 };
    static const int outs[] = { 1, 1, 1, 0, 1, 1, 1, 0, 1 };
    const uint32_t n = 11932;               /* 100 Hz */
    unsigned rises = 0;

    setup();
    program(0, 0x34, 4);
    CHECK_SEQ(0, 0, vals, outs);
    CHECK_EQ(nedges, 5);                    /* up at the control word, then */
    CHECK_EQ(edges[0].tick, 0);
    CHECK_EQ(edges[1].tick, 3);
    CHECK_EQ(edges[1].level, 0);
    CHECK_EQ(edges[2].tick, 4);
    CHECK_EQ(edges[2].level, 1);
    teardown();

    setup();
    program(0, 0x34, n);
    at((uint64_t)n * 1000);
    CHECK_EQ(edges[0].tick, 0);
    CHECK_EQ(edges[0].level, 1);
    for (unsigned i = 1; i < nedges; i++) {
        if (edges[i].level) {
            rises++;
            CHECK_EQ(edges[i].tick, (uint64_t)n * rises);
        } else {
            CHECK_EQ(edges[i].tick, (uint64_t)n * (rises + 1) - 1);
        }
    }
    CHECK_EQ(rises, 1000);
    teardown();
}

/* Mode 2: a new count takes effect at the end of the running period. */
static void test_mode2_new_count_at_period_end(void)
{
    static const uint16_t vals[] = { 3, 2, 1, 6, 5, 4, 3, 2, 1, 6 };
    static const int outs[] = { 1, 1, 0, 1, 1, 1, 1, 1, 0, 1 };

    setup();
    program(0, 0x34, 4);
    at(1);
    outb(0x40, 6);
    outb(0x40, 0);
    CHECK_EQ(status(0) & 0x40, 0x40);       /* null count until the reload */
    CHECK_SEQ(0, 1, vals, outs);
    CHECK_EQ(status(0) & 0x40, 0);
    teardown();
}

/* Mode 3: even N counts by 2 in each half; odd N high for (N+1)/2 ticks
 * (N, N-1, then by 2) and low for (N-1)/2 (N, N-3, then by 2). */
static void test_mode3_square_wave(void)
{
    static const uint16_t even_vals[] = { 4, 2, 4, 2, 4 };
    static const int even_outs[] = { 1, 1, 0, 0, 1 };
    static const uint16_t odd_vals[] = { 5, 4, 2, 5, 2, 5, 4 };
    static const int odd_outs[] = { 1, 1, 1, 0, 0, 1, 1 };

    setup();
    program(0, 0x36, 4);
    CHECK_SEQ(0, 0, even_vals, even_outs);
    teardown();

    setup();
    program(0, 0x36, 5);
    CHECK_SEQ(0, 0, odd_vals, odd_outs);
    CHECK_EQ(nedges, 3);                    /* up at the control word */
    CHECK_EQ(edges[1].tick, 3);
    CHECK_EQ(edges[2].tick, 5);
    teardown();

    /* a new count at the end of the half-cycle: the low half runs it */
    setup();
    program(0, 0x36, 4);
    at(1);
    outb(0x40, 8);
    outb(0x40, 0);
    at(2);
    CHECK_EQ(OUT(0), 0);
    CHECK_EQ(read16(0), 8);
    at(5);
    CHECK_EQ(read16(0), 2);
    at(6);
    CHECK_EQ(OUT(0), 1);
    CHECK_EQ(read16(0), 8);
    at(10);
    CHECK_EQ(OUT(0), 0);
    teardown();
}

/* Modes 4 and 5: OUT low for exactly the tick of terminal count, once;
 * mode 5 starts on a gate trigger. */
static void test_modes4_5_strobes(void)
{
    static const uint16_t vals[] = { 3, 2, 1, 0, 0xffff };
    static const int outs[] = { 1, 1, 1, 0, 1 };

    setup();
    program(0, 0x38, 3);
    CHECK_SEQ(0, 0, vals, outs);
    at(70000);
    CHECK_EQ(nedges, 3);                    /* up at the control word */
    CHECK_EQ(edges[1].tick, 3);
    CHECK_EQ(edges[2].tick, 4);
    teardown();

    setup();
    program(2, 0x3a, 3);
    at(50);
    CHECK_EQ(OUT(2), 1);
    outb(0x61, 1);
    CHECK_SEQ(2, 50, vals, outs);
    teardown();
}

/* The counter latch command holds the count until it is read; a second
 * latch before that is ignored. */
static void test_latch(void)
{
    setup();
    program(0, 0x34, 1000);
    at(10);
    outb(0x43, 0x00);
    at(20);
    outb(0x43, 0x00);
    at(110);
    CHECK_EQ(read16(0), 990);
    CHECK_EQ(read16(0), 890);               /* live again */
    /* MSB only: the latch is one byte */
    outb(0x43, 0x24);
    outb(0x40, 0x12);
    at(120);
    outb(0x43, 0x00);
    at(300);
    CHECK_EQ(inb(0x40), 0x11);              /* 0x1200 - 10 */
    CHECK_EQ(inb(0x40), 0x11);              /* 0x1200 - 190 = 0x1142 */
    teardown();
}

/* Read-back: status (OUT, null count, RW, mode, BCD) then count, for any
 * set of counters; the status byte comes first when both are latched. */
static void test_readback(void)
{
    setup();
    outb(0x61, 1);
    outb(0x43, 0x36);
    CHECK_EQ(status(0), 0x80 | 0x40 | 0x36);
    outb(0x40, 0x34);
    outb(0x40, 0x12);
    CHECK_EQ(status(0), 0x80 | 0x36);
    program(2, 0x30, 0x100);
    at(0x10);
    outb(0x43, 0xc0 | 0x08 | 0x02);         /* count and status of 0 and 2 */
    at(0x20);
    CHECK_EQ(inb(0x40), 0x80 | 0x36);
    CHECK_EQ(read16(0), 0x1234 - 0x10 * 2);
    CHECK_EQ(inb(0x42), 0x30);              /* mode 0, OUT low */
    CHECK_EQ(read16(2), 0xf0);
    /* count only; then the status byte reports mode bits as written */
    outb(0x43, 0xbe);                       /* counter 2, mode "7" = 3 */
    CHECK_EQ(status(2), 0x80 | 0x40 | 0x3e);
    outb(0x42, 6);
    outb(0x42, 0);
    outb(0x61, 1);
    at(0x21);
    CHECK_EQ(read16(2), 4);                 /* square wave: 6, 4, 2 */
    teardown();
}

/* BCD: the counter counts 0000-9999 in BCD; 0 is 10000. */
static void test_bcd(void)
{
    static const uint16_t vals[] = { 0x0010, 0x0009, 0x0008 };
    static const int outs[] = { 0, 0, 0 };

    setup();
    program(0, 0x31, 0x0010);
    CHECK_SEQ(0, 0, vals, outs);
    at(10);
    CHECK_EQ(read16(0), 0x0000);
    at(11);
    CHECK_EQ(read16(0), 0x9999);
    CHECK_EQ(OUT(0), 1);
    program(0, 0x31, 0);
    CHECK_EQ(read16(0), 0x0000);
    at(12);
    CHECK_EQ(read16(0), 0x9999);
    at(11 + 9999);
    CHECK_EQ(OUT(0), 0);
    at(11 + 10000);
    CHECK_EQ(OUT(0), 1);
    /* non-decimal digits: taken at their value */
    program(0, 0x31, 0x00ff);
    CHECK_EQ(read16(0), 0x0165);
    teardown();
}

/* LSB-only and MSB-only counts; reads alternate bytes in LSB-then-MSB. */
static void test_formats(void)
{
    setup();
    outb(0x43, 0x10);
    outb(0x40, 0x80);
    CHECK_EQ(inb(0x40), 0x80);
    CHECK_EQ(inb(0x40), 0x80);
    at(1);
    CHECK_EQ(inb(0x40), 0x7f);
    outb(0x43, 0x20);
    outb(0x40, 0x12);
    CHECK_EQ(inb(0x40), 0x12);
    at(2);
    CHECK_EQ(inb(0x40), 0x11);              /* 0x11ff */
    outb(0x43, 0x30);
    outb(0x40, 0x34);
    outb(0x40, 0x12);
    CHECK_EQ(inb(0x40), 0x34);
    CHECK_EQ(inb(0x40), 0x12);
    CHECK_EQ(inb(0x40), 0x34);
    teardown();
}

/* Gates: low pauses modes 0/4 (they go on from where they were); in modes
 * 2/3 it forces OUT high and the rising edge reloads. */
static void test_gate(void)
{
    setup();
    outb(0x61, 1);
    program(2, 0x30, 100);
    at(10);
    outb(0x61, 0);
    at(50);
    CHECK_EQ(read16(2), 90);
    outb(0x61, 1);
    at(139);
    CHECK_EQ(OUT(2), 0);
    at(140);
    CHECK_EQ(OUT(2), 1);

    program(2, 0x34, 10);
    at(149);
    CHECK_EQ(OUT(2), 0);
    outb(0x61, 0);
    CHECK_EQ(OUT(2), 1);
    CHECK_EQ(read16(2), 1);
    at(200);
    CHECK_EQ(read16(2), 1);
    outb(0x61, 1);
    CHECK_EQ(read16(2), 10);
    at(203);
    CHECK_EQ(read16(2), 7);
    /* gate low before the count: mode 2 waits for the gate */
    outb(0x61, 0);
    program(2, 0x34, 10);
    at(300);
    CHECK_EQ(read16(2), 10);
    CHECK_EQ(status(2) & 0x40, 0x40);
    outb(0x61, 1);
    at(305);
    CHECK_EQ(read16(2), 5);
    teardown();
}

/* Out-of-range programming: the control register reads 0xff, a count of
 * 1 in modes 2/3 holds OUT high with no timer, 0 is 65536, a timer that
 * fires 10 s late emits a bounded number of edges. */
static void test_out_of_range(void)
{
    setup();
    CHECK_EQ(inb(0x43), 0xff);
    program(0, 0x34, 1);
    at(5);
    CHECK_EQ(OUT(0), 1);
    CHECK(!timer_pending(&fx.pit->timer));
    program(0, 0x36, 1);
    CHECK(!timer_pending(&fx.pit->timer));
    program(0, 0x34, 0);
    at(5 + 65535);
    CHECK_EQ(OUT(0), 0);
    CHECK_EQ(read16(0), 1);
    at(5 + 65536);
    CHECK_EQ(read16(0), 0);
    CHECK_EQ(OUT(0), 1);
    program(0, 0x34, 2);
    nedges_total = 0;
    fake_ns = ns_at(5 + 65536 + 10ull * PIT_FREQ_HZ);
    pit_timer_cb(fx.pit);
    CHECK(nedges_total > 0 && nedges_total <= PIT_FREQ_HZ / 100 + 2);
    CHECK_EQ(fx.pit->timer.expire_ns > fake_ns, 1);
    pit_reset(fx.pit);
    CHECK_EQ(fx.pit->irq0_level, 0);
    CHECK(!timer_pending(&fx.pit->timer));
    teardown();
}

/* Port 0x61: bits 0-3 as written, 4 toggles every 18 ticks, 5 is OUT 2,
 * 6-7 read 0; writes to 4-7 are ignored. */
static void test_port61(void)
{
    setup();
    outb(0x61, 0xff);
    CHECK_EQ(inb(0x61) & 0xcf, 0x0f);
    at(18 * ((T0 / 18) + 1) - T0);
    uint8_t r = inb(0x61) & 0x10;
    at(18 * ((T0 / 18) + 1) - T0 + 17);
    CHECK_EQ(inb(0x61) & 0x10, r);
    at(18 * ((T0 / 18) + 1) - T0 + 18);
    CHECK_EQ(inb(0x61) & 0x10, r ^ 0x10);
    outb(0x61, 0);
    CHECK_EQ(inb(0x61) & 0x2f, 0);
    teardown();
}

/* Linux's pit_calibrate_tsc: gate 2 on, speaker off, mode 0 on counter 2
 * with a 10 ms count, then poll port 0x61 bit 5 (here one tick a poll). */
static void test_linux_calibration_loop(void)
{
    const unsigned latch = PIT_FREQ_HZ / 100;
    unsigned polls = 0;

    setup();
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    outb(0x42, latch & 0xff);
    outb(0x42, latch >> 8);
    while (!(inb(0x61) & 0x20) && polls < 2 * latch) {
        at(++polls);
    }
    CHECK_EQ(polls, latch);
    teardown();
}

int main(void)
{
    RUN_TEST(test_mode0_interrupt_on_terminal_count);
    RUN_TEST(test_mode0_rewrite);
    RUN_TEST(test_mode1_hardware_one_shot);
    RUN_TEST(test_mode2_rate_generator);
    RUN_TEST(test_mode2_new_count_at_period_end);
    RUN_TEST(test_mode3_square_wave);
    RUN_TEST(test_modes4_5_strobes);
    RUN_TEST(test_latch);
    RUN_TEST(test_readback);
    RUN_TEST(test_bcd);
    RUN_TEST(test_formats);
    RUN_TEST(test_gate);
    RUN_TEST(test_out_of_range);
    RUN_TEST(test_port61);
    RUN_TEST(test_linux_calibration_loop);
    if (fx.pit) {
        teardown();
    }
    TEST_MAIN_END();
}
