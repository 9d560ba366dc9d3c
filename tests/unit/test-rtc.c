/*
 * test-rtc.c: the MC146818A RTC (hw/rtc/mc146818rtc.c) and the PC's CMOS
 * layout (hw/i386/pc_cmos.c), driven through ports 0x70/0x71 of an I/O
 * address space as a guest would, on a hand-driven virtual clock
 * (fake-timer.h) so that every update and periodic edge has an exact time.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/i386/pc_cmos.h"
#include "test.h"
#include "fake-timer.h"

#include <time.h>

TEST_GLOBALS;

#define NS NANOSECONDS_PER_SECOND
#define MS 1000000LL
#define US 1000LL

enum { SEC = 0, SEC_ALARM = 1, MIN = 2, MIN_ALARM = 3, HOUR = 4, HOUR_ALARM = 5,
       WDAY = 6, DATE = 7, MONTH = 8, YEAR = 9, REG_A = 10, REG_B = 11, REG_C = 12,
       REG_D = 13, CENTURY = 0x32 };

static MemoryRegion io;
static AddressSpace io_as;
static IRQLine irq;
static RTCState *rtc;
static int irq_level, irq_raises;

static void on_irq(void *opaque, int n, int level)
{
    irq_raises += level && !irq_level;
    irq_level = level;
}

static void outb(unsigned port, uint8_t v)
{
    address_space_st(&io_as, port, 1, v);
}

static uint8_t inb(unsigned port)
{
    uint64_t v = 0;

    address_space_ld(&io_as, port, 1, &v);
    return (uint8_t)v;
}

static uint8_t rd(unsigned idx)
{
    outb(0x70, idx);
    return inb(0x71);
}

static void wr(unsigned idx, uint8_t v)
{
    outb(0x70, idx);
    outb(0x71, v);
}

/* A fresh RTC whose host time is the given UTC date plus frac_ns. */
static void setup(int y, int mo, int d, int h, int mi, int s, int64_t frac_ns)
{
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                     .tm_hour = h, .tm_min = mi, .tm_sec = s };

    if (rtc) {
        rtc_destroy(rtc, &io);
    }
    fake_host_ns = (int64_t)timegm(&tm) * NS + frac_ns;
    irq_level = irq_raises = 0;
    rtc = rtc_init(&io, 0x70, &irq, 0);
}

/* Set the time through SET, as Linux's mc146818_set_time does, with the
 * divider reset so that the first update comes 500 ms after SET clears. */
static void set_time_bcd(uint8_t cent, uint8_t yr, uint8_t mon, uint8_t date, uint8_t hr,
                         uint8_t min, uint8_t sec)
{
    uint8_t b = rd(REG_B), a = rd(REG_A);

    wr(REG_B, b | 0x80);
    wr(REG_A, 0x70);
    wr(CENTURY, cent);
    wr(YEAR, yr);
    wr(MONTH, mon);
    wr(DATE, date);
    wr(HOUR, hr);
    wr(MIN, min);
    wr(SEC, sec);
    wr(REG_B, b & ~0x80);
    wr(REG_A, a & 0x7f);
}

/* The date starts at the host's, in BCD and 24-hour mode as a BIOS leaves
 * it; D reads VRT; the day of week counts Sunday as 1. */
static void test_host_time_bcd(void)
{
    setup(2026, 12, 1, 5, 54, 30, 250 * MS);
    CHECK_EQ(rd(SEC), 0x30);
    CHECK_EQ(rd(MIN), 0x54);
    CHECK_EQ(rd(HOUR), 0x05);
    CHECK_EQ(rd(WDAY), 3);                /* Tuesday */
    CHECK_EQ(rd(DATE), 0x01);
    CHECK_EQ(rd(MONTH), 0x12);
    CHECK_EQ(rd(YEAR), 0x26);
    CHECK_EQ(rd(CENTURY), 0x20);
    CHECK_EQ(rd(REG_A), 0x26);
    CHECK_EQ(rd(REG_B), 0x02);
    CHECK_EQ(rd(REG_D), 0x80);
    fake_clock_advance(750 * MS, 10);     /* the update at 05:54:31 */
    CHECK_EQ(rd(SEC), 0x31);
    fake_clock_advance(29 * NS, 10);
    CHECK_EQ(rd(SEC), 0x00);
    CHECK_EQ(rd(MIN), 0x55);
}

/* DM selects binary; without 24/12 the hours are 1-12 with bit 7 for PM. */
static void test_binary_and_12_hour(void)
{
    static const struct { int hour; uint8_t b, reg; } cases[] = {
        { 23, 0x06, 23 },   { 23, 0x04, 0x80 | 11 }, { 23, 0x00, 0x91 },
        { 12, 0x04, 0x8c }, { 12, 0x00, 0x92 },       { 0, 0x04, 12 },
        { 0, 0x00, 0x12 },  { 9, 0x00, 0x09 },        { 0, 0x02, 0x00 },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        setup(2024, 2, 29, cases[i].hour, 59, 58, 0);
        wr(REG_B, cases[i].b);
        CHECK_EQ(rd(HOUR), cases[i].reg);
        CHECK_EQ(rd(MIN), (cases[i].b & 0x04) ? 59 : 0x59);
        CHECK_EQ(rd(DATE), (cases[i].b & 0x04) ? 29 : 0x29);
    }
    /* a 12-hour binary hour written with SET becomes the time */
    setup(2024, 2, 29, 0, 0, 0, 0);
    wr(REG_B, 0x84);                      /* SET, binary, 12-hour */
    wr(HOUR, 0x80 | 3);                   /* 3 PM */
    wr(REG_B, 0x04);                      /* running: read in the same mode */
    CHECK_EQ(rd(HOUR), 0x83);
    wr(REG_B, 0x06);                      /* now 24-hour */
    CHECK_EQ(rd(HOUR), 15);
}

/* With SET the registers hold still and take writes; clearing SET makes
 * them the time, which then rolls over the century. */
static void test_set_and_rollover(void)
{
    setup(2026, 1, 1, 0, 0, 0, 0);
    wr(REG_B, 0x82);
    CHECK_EQ(rd(REG_A) & 0x80, 0);        /* no UIP while SET */
    wr(SEC, 0x56);
    wr(MIN, 0x34);
    wr(HOUR, 0x12);
    wr(DATE, 0x15);
    wr(MONTH, 0x06);
    wr(YEAR, 0x30);
    fake_clock_advance(5 * NS, 10);
    CHECK_EQ(rd(SEC), 0x56);
    CHECK_EQ(rd(YEAR), 0x30);
    wr(REG_B, 0x02);
    CHECK_EQ(rd(SEC), 0x56);
    CHECK_EQ(rd(WDAY), 7);                /* 2030-06-15 is a Saturday */
    fake_clock_advance(NS, 10);           /* the divider kept its phase: 1 s on */
    CHECK_EQ(rd(SEC), 0x57);

    set_time_bcd(0x20, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59);
    fake_clock_advance(499 * MS, 10);
    CHECK_EQ(rd(SEC), 0x59);
    fake_clock_advance(2 * MS, 10);
    CHECK_EQ(rd(SEC), 0x00);
    CHECK_EQ(rd(HOUR), 0x00);
    CHECK_EQ(rd(DATE), 0x01);
    CHECK_EQ(rd(MONTH), 0x01);
    CHECK_EQ(rd(YEAR), 0x00);
    CHECK_EQ(rd(CENTURY), 0x21);
    CHECK_EQ(rd(WDAY), 6);                /* 2100-01-01 is a Friday */

    /* a write while running sets that field at once */
    wr(MIN, 0x42);
    CHECK_EQ(rd(MIN), 0x42);
    CHECK_EQ(rd(HOUR), 0x00);
}

/* UIP reads 1 for the 244 us before each update and 0 otherwise; the
 * divider reset puts the first update 500 ms after its release. */
static void test_uip_timing(void)
{
    setup(2026, 1, 1, 0, 0, 0, 0);
    wr(REG_A, 0x76);                      /* divider in reset: the clock stops */
    fake_clock_advance(3 * NS, 10);
    CHECK_EQ(rd(SEC), 0x00);
    CHECK_EQ(rd(REG_A), 0x76);
    wr(REG_A, 0x26);
    fake_clock_advance(500 * MS - 244 * US - 1, 10);
    CHECK_EQ(rd(REG_A), 0x26);
    fake_clock_advance(1, 10);
    CHECK_EQ(rd(REG_A), 0xa6);
    CHECK_EQ(rd(SEC), 0x00);
    fake_clock_advance(244 * US - 1, 10);
    CHECK_EQ(rd(REG_A), 0xa6);
    fake_clock_advance(1, 10);
    CHECK_EQ(rd(REG_A), 0x26);
    CHECK_EQ(rd(SEC), 0x01);
    wr(REG_A, 0xa6);                      /* UIP is read-only */
    CHECK_EQ(rd(REG_A), 0x26);
}

/* C's flags are set whether or not their interrupts are enabled; IRQF and
 * the line only for enabled ones; reading C clears it and lowers the line. */
static void test_reg_c_clear_on_read(void)
{
    setup(2026, 1, 1, 0, 0, 0, 900 * MS);
    CHECK(!timer_pending(&rtc->timer));   /* nothing enabled: no timer */
    fake_clock_advance(200 * MS, 10);
    CHECK_EQ(rd(REG_C), 0x50);            /* PF (1024 Hz) and UF, no IRQF */
    CHECK_EQ(rd(REG_C), 0x00);
    CHECK_EQ(irq_raises, 0);

    wr(REG_B, 0x12);                      /* UIE */
    CHECK(timer_pending(&rtc->timer));
    CHECK_EQ(rtc->timer.expire_ns, fake_vns + 900 * MS);
    fake_clock_advance(NS, 10);
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(irq_raises, 1);
    CHECK(!timer_pending(&rtc->timer));   /* IRQ asserted: nothing to time */
    CHECK_EQ(rd(REG_C) & 0xf0, 0xd0);     /* IRQF UF, and PF */
    CHECK_EQ(irq_level, 0);
    CHECK_EQ(rd(REG_C), 0x00);
    CHECK(timer_pending(&rtc->timer));

    wr(REG_B, 0x92);                      /* SET clears UIE */
    CHECK_EQ(rd(REG_B), 0x82);
    CHECK(!timer_pending(&rtc->timer));

    /* enabling an interrupt whose flag is already set raises IRQ at once */
    setup(2026, 1, 1, 0, 0, 0, 0);
    fake_clock_advance(10 * MS, 10);
    wr(REG_B, 0x42);
    CHECK_EQ(irq_level, 1);
    CHECK(!timer_pending(&rtc->timer));   /* until C is read, nothing to time */
    wr(REG_B, 0x02);                      /* IRQF follows the enables */
    CHECK_EQ(irq_level, 0);
    CHECK_EQ(rd(REG_C), 0x40);
    wr(REG_C, 0xff);                      /* C and D are read-only */
    wr(REG_D, 0x00);
    CHECK_EQ(rd(REG_C), 0x00);
    CHECK_EQ(rd(REG_D), 0x80);
}

/* RS3-0: 0 none, 1 and 2 are 256 and 128 Hz, 3-15 are 8192 Hz .. 2 Hz:
 * counted as acknowledged interrupts over one second. */
static void test_periodic_rates(void)
{
    static const unsigned hz[16] = { 0, 256, 128, 8192, 4096, 2048, 1024, 512, 256,
                                     128, 64, 32, 16, 8, 4, 2 };

    for (unsigned rs = 0; rs < 16; rs++) {
        unsigned count = 0;
        int64_t end;

        setup(2026, 1, 1, 0, 0, 0, 0);
        wr(REG_A, 0x70);
        wr(REG_A, 0x20 | rs);             /* phase: 500 ms, a multiple of every period */
        wr(REG_B, 0x42);                  /* PIE */
        end = fake_vns + NS;
        while (fake_clock_run_next() && fake_vns <= end && count < 10000) {
            CHECK_EQ(irq_level, 1);
            CHECK_EQ(rd(REG_C) & 0xc0, 0xc0);   /* IRQF PF (UF too, at 500 ms) */
            count++;
        }
        CHECK_EQ(count, hz[rs]);
    }
}

/* The alarm fires when the time matches the alarm registers; 0xC0-0xFF is
 * "don't care"; a value no time register can hold never matches. */
static void test_alarm(void)
{
    setup(2026, 1, 1, 10, 0, 0, 0);
    wr(HOUR_ALARM, 0xc0);
    wr(MIN_ALARM, 0x00);
    wr(SEC_ALARM, 0x30);
    wr(REG_B, 0x22);                      /* AIE */
    CHECK_EQ(rtc->timer.expire_ns, fake_vns + 30 * NS);
    fake_clock_advance(30 * NS - 1, 10);
    CHECK_EQ(irq_level, 0);
    fake_clock_advance(1, 10);
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(rd(REG_C) & 0xb0, 0xb0);     /* IRQF AF UF */
    CHECK_EQ(rd(SEC), 0x30);
    CHECK_EQ(rtc->timer.expire_ns, fake_vns + 3600 * NS);   /* 11:00:30 */

    /* every second with all three don't care */
    wr(HOUR_ALARM, 0xff);
    wr(MIN_ALARM, 0xc0);
    wr(SEC_ALARM, 0xc5);
    CHECK_EQ(rtc->timer.expire_ns, fake_vns + NS);

    /* a specific hour in 12-hour BCD: 1 PM tomorrow-side of 10:00:30 */
    wr(REG_B, 0x20);
    wr(HOUR_ALARM, 0x81);
    wr(MIN_ALARM, 0x00);
    wr(SEC_ALARM, 0x00);
    CHECK_EQ(rtc->timer.expire_ns, fake_vns + (3 * 3600 - 30) * NS);

    /* impossible values: never (and no timer) */
    wr(REG_B, 0x22);
    wr(SEC_ALARM, 0x60);
    CHECK(!timer_pending(&rtc->timer));
    wr(SEC_ALARM, 0x0a);                  /* not BCD */
    CHECK(!timer_pending(&rtc->timer));
    fake_clock_advance(2 * 86400 * NS, 10);
    CHECK_EQ(rd(REG_C) & 0x20, 0);

    /* AF is set lazily, without AIE, when the match passed unseen */
    wr(REG_B, 0x02);
    wr(HOUR_ALARM, 0xc0);
    wr(MIN_ALARM, 0xc0);
    wr(SEC_ALARM, 0xc0);
    fake_clock_advance(NS, 10);
    CHECK_EQ(rd(REG_C), 0x70);            /* PF AF UF */
}

/* What pc_cmos_init leaves for a few -m sizes. */
static void test_memory_size_fields(void)
{
    static const struct {
        X86RamLayout ram;
        unsigned ncpus;
        uint16_t ext, above16;
        uint32_t above4g;
    } cases[] = {
        { { 8 << 20, 0 }, 1, 7 * 1024, 0, 0 },
        { { 16 << 20, 0 }, 2, 15 * 1024, 0, 0 },
        { { 128 << 20, 0 }, 1, 0xffff, 112 * 16, 0 },
        { { 512 << 20, 0 }, 4, 0xffff, 496 * 16, 0 },
        { { 0xe0000000ull, 0x120000000ull }, 1, 0xffff, 0xdf00, 0x12000 },   /* -m 8G */
        { { 0xe0000000ull, 1ull << 40 }, 1, 0xffff, 0xdf00, 0x1000000 - 0 },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        uint32_t above4g = MIN(cases[i].above4g, 0xffffff);

        setup(2026, 1, 1, 0, 0, 0, 0);
        pc_cmos_init(rtc, &cases[i].ram, cases[i].ncpus);
        CHECK_EQ(rd(0x10), 0);
        CHECK_EQ(rd(0x14), 0x02);
        CHECK_EQ(rd(0x15) | rd(0x16) << 8, 640);
        CHECK_EQ(rd(0x17) | rd(0x18) << 8, cases[i].ext);
        CHECK_EQ(rd(0x30) | rd(0x31) << 8, cases[i].ext);
        CHECK_EQ(rd(0x34) | rd(0x35) << 8, cases[i].above16);
        CHECK_EQ(rd(0x5b) | rd(0x5c) << 8 | rd(0x5d) << 16, above4g);
        CHECK_EQ(rd(0x5f), cases[i].ncpus - 1);
        CHECK_EQ(rd(CENTURY), 0x20);      /* not RAM: pc_cmos_init leaves it */
    }
}

/* Port 0x70: bit 7 is the NMI mask, bits 6-0 the index; it reads 0xff. */
static void test_index_and_nmi(void)
{
    setup(2026, 1, 1, 0, 0, 0, 0);
    outb(0x70, 0x80 | 0x0e);
    CHECK(rtc_nmi_disabled(rtc));
    outb(0x71, 0x5a);
    outb(0x70, 0x0e);
    CHECK(!rtc_nmi_disabled(rtc));
    CHECK_EQ(inb(0x71), 0x5a);
    CHECK_EQ(inb(0x70), 0xff);
    CHECK_EQ(rd(0x80 | REG_D), 0x80);
    wr(0xff, 0x77);                       /* index 0x7f, the last byte */
    CHECK_EQ(rd(0x7f), 0x77);
    CHECK_EQ(rd(0x8e), 0x5a);
}

/* Garbage in the time registers runs without harm (year 25755 in binary;
 * 9999 rolls to 10000); reset clears the interrupt enables and C but keeps
 * the RAM. */
static void test_garbage_and_reset(void)
{
    setup(2026, 1, 1, 0, 0, 0, 0);
    wr(REG_B, 0x82);
    for (unsigned i = 0; i <= YEAR; i++) {
        wr(i, 0xff);
    }
    wr(CENTURY, 0xff);
    wr(REG_B, 0x7f & ~0x80);              /* every enable, DSE, SQWE; running */
    wr(REG_A, 0x23);                      /* 8192 Hz */
    fake_clock_advance(3 * NS, 100);
    CHECK_EQ(irq_level, 1);
    for (unsigned i = 0; i <= REG_D; i++) {
        (void)rd(i);
    }
    wr(0x40, 0xa5);
    rtc_reset(rtc);
    CHECK_EQ(irq_level, 0);
    CHECK_EQ(rd(REG_B), 0x7f & ~(0x80 | 0x40 | 0x20 | 0x10 | 0x08));
    CHECK_EQ(rd(REG_C), 0x00);
    CHECK_EQ(rd(0x40), 0xa5);
    CHECK(!timer_pending(&rtc->timer));

    /* years outside 64-bit nanoseconds since 1970 still count: 9999 -> 10000 */
    wr(REG_B, 0x02);
    set_time_bcd(0x99, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59);
    fake_clock_advance(501 * MS, 100);
    CHECK_EQ(rd(YEAR), 0x00);
    CHECK_EQ(rd(CENTURY), 0xa0);          /* 100 in BCD's only spelling */
    CHECK_EQ(rd(MONTH), 0x01);
    CHECK_EQ(rd(WDAY), 7);                /* 10000-01-01 is a Saturday, as 2000-01-01 */
}

int main(void)
{
    memory_region_init_container(&io, "io", 0x10000);
    address_space_init(&io_as, &io, "I/O");
    irq_line_init(&irq, on_irq, NULL, 8);
    RUN_TEST(test_host_time_bcd);
    RUN_TEST(test_binary_and_12_hour);
    RUN_TEST(test_set_and_rollover);
    RUN_TEST(test_uip_timing);
    RUN_TEST(test_reg_c_clear_on_read);
    RUN_TEST(test_periodic_rates);
    RUN_TEST(test_alarm);
    RUN_TEST(test_memory_size_fields);
    RUN_TEST(test_index_and_nmi);
    RUN_TEST(test_garbage_and_reset);
    TEST_MAIN_END();
}
