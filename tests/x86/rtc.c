/*
 * rtc.c: the MC146818 RTC and CMOS at ports 0x70/0x71, as a driver sees
 * them.  The date is read the way Linux's mc146818_get_time does (wait for
 * UIP to clear, read every field, read again until two reads agree) and
 * must be a plausible present (the host's date: year 2025-2100); the
 * seconds must advance while the guest spins; the memory-size bytes must
 * describe this -m; and with the 8259 pair programmed (slave IR0, ISA IRQ
 * 8, at vector 32: the one non-exception vector the runtime's IDT
 * catches) a 1024 Hz periodic interrupt arrives and register C reports it.
 * Native build: skipped, port I/O needs ring 0.
 */
// tern-args: -m 512
#include "tern.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define NMI_DISABLE 0x80

enum { SEC = 0, MIN = 2, HOUR = 4, DATE = 7, MONTH = 8, YEAR = 9,
       REG_A = 10, REG_B = 11, REG_C = 12, REG_D = 13, CENTURY = 0x32 };

#define REG_A_UIP 0x80
#define REG_B_PIE 0x40
#define REG_B_DM  0x04
#define REG_B_24H 0x02
#define REG_C_IRQF 0x80
#define REG_C_PF   0x40

#define SPIN_LIMIT 20000000u      /* polls before a wait counts as hung */

static uint8_t cmos_read(uint8_t idx)
{
    outb(CMOS_INDEX, idx);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t idx, uint8_t v)
{
    outb(CMOS_INDEX, idx);
    outb(CMOS_DATA, v);
}

static unsigned bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0x0f);
}

struct rtc_time { unsigned sec, min, hour, date, month, year; };

/* One snapshot after UIP has cleared (false if it never did). */
static int read_fields(struct rtc_time *t)
{
    unsigned spins = 0;

    while (cmos_read(REG_A) & REG_A_UIP) {
        if (++spins > SPIN_LIMIT) {
            return 0;
        }
    }
    t->sec = bcd(cmos_read(SEC));
    t->min = bcd(cmos_read(MIN));
    t->hour = bcd(cmos_read(HOUR));
    t->date = bcd(cmos_read(DATE));
    t->month = bcd(cmos_read(MONTH));
    t->year = bcd(cmos_read(CENTURY)) * 100 + bcd(cmos_read(YEAR));
    return 1;
}

/* Read until two snapshots agree, as Linux does (an update between
 * them changes the seconds). */
static int read_time(struct rtc_time *t)
{
    struct rtc_time again;

    for (int tries = 0; tries < 10; tries++) {
        if (!read_fields(t) || !read_fields(&again)) {
            return 0;
        }
        if (t->sec == again.sec && t->min == again.min && t->hour == again.hour
            && t->date == again.date && t->month == again.month && t->year == again.year) {
            return 1;
        }
    }
    return 0;
}

static void test_date(void)
{
    struct rtc_time t;

    test_group("date");
    CHECK_EQ_NAMED("reg-d-vrt", cmos_read(REG_D), 0x80);
    CHECK_EQ_NAMED("reg-b-bcd-24h", cmos_read(REG_B) & (REG_B_DM | REG_B_24H), REG_B_24H);
    CHECK_NAMED("read", read_time(&t));
    tern_printf("rtc: %u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month, t.date, t.hour,
                t.min, t.sec);
    CHECK_NAMED("year", t.year >= 2025 && t.year <= 2100);
    CHECK_NAMED("month", t.month >= 1 && t.month <= 12);
    CHECK_NAMED("date", t.date >= 1 && t.date <= 31);
    CHECK_NAMED("time", t.hour < 24 && t.min < 60 && t.sec < 60);
}

/* The seconds register changes within SPIN_LIMIT polls, and UIP was seen. */
static void test_seconds_advance(void)
{
    uint8_t first = cmos_read(SEC);
    unsigned spins = 0;
    int saw_uip = 0;

    test_group("advance");
    while (cmos_read(SEC) == first && spins++ < SPIN_LIMIT) {
        saw_uip |= !!(cmos_read(REG_A) & REG_A_UIP);
    }
    CHECK_NAMED("seconds-change", spins < SPIN_LIMIT);
    tern_printf("rtc: second changed after %u polls, UIP %s\n", spins,
                saw_uip ? "seen" : "not seen");
}

/* -m 512: 640 KiB base, extended memory capped at 0xffff KiB, 496 MiB
 * above 16 MiB in 64 KiB units, nothing above 4 GiB, one CPU. */
static void test_memory_size(void)
{
    test_group("memory");
    CHECK_EQ_NAMED("base", cmos_read(0x15) | cmos_read(0x16) << 8, 640);
    CHECK_EQ_NAMED("ext", cmos_read(0x17) | cmos_read(0x18) << 8, 0xffff);
    CHECK_EQ_NAMED("ext-copy", cmos_read(0x30) | cmos_read(0x31) << 8, 0xffff);
    CHECK_EQ_NAMED("above-16m", cmos_read(0x34) | cmos_read(0x35) << 8, 496 * 16);
    CHECK_EQ_NAMED("above-4g", cmos_read(0x5b) | cmos_read(0x5c) << 8 | cmos_read(0x5d) << 16, 0);
    CHECK_EQ_NAMED("cpus-1", cmos_read(0x5f), 0);
    /* bit 7 of the index is the NMI mask, not part of the index */
    outb(CMOS_INDEX, NMI_DISABLE | 0x15);
    CHECK_EQ_NAMED("nmi-bit-masked", inb(CMOS_DATA), 0x80);
    outb(CMOS_INDEX, 0x15);
}

/* The 8259 pair: master at 0x20 (vectors 0x28.., everything masked but the
 * cascade), slave at 0xa0 (vectors 32.., only IR0 = the RTC). */
static void pic_init(void)
{
    outb(0x20, 0x11);
    outb(0x21, 0x28);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, 0x20);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0xfb);
    outb(0xa1, 0xfe);
}

static void wait_for_interrupt(void)
{
    __asm__ volatile("sti");
    for (unsigned i = 0; i < SPIN_LIMIT; i++) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli");
}

static void test_periodic_interrupt(void)
{
    test_group("periodic");
    pic_init();
    cmos_write(REG_A, 0x26);                         /* 32.768 kHz, 1024 Hz */
    (void)cmos_read(REG_C);
    cmos_write(REG_B, cmos_read(REG_B) | REG_B_PIE);
    for (int n = 0; n < 3; n++) {
        CHECK_EQ_NAMED("vector", tern_catch_fault(wait_for_interrupt), 32);
        CHECK_EQ_NAMED("reg-c", cmos_read(REG_C) & (REG_C_IRQF | REG_C_PF),
                       REG_C_IRQF | REG_C_PF);
        outb(0xa0, 0x20);                            /* non-specific EOI, slave then master */
        outb(0x20, 0x20);
    }
    cmos_write(REG_B, cmos_read(REG_B) & ~REG_B_PIE);
    CHECK_EQ_NAMED("no-irqf", cmos_read(REG_C) & REG_C_IRQF, 0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    idt_install();
    test_date();
    test_seconds_advance();
    test_memory_size();
    test_periodic_interrupt();
    test_done();
}
