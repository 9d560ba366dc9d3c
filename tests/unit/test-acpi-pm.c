/*
 * test-acpi-pm.c: the ACPI PM1a event/control blocks and PM timer
 * (hw/acpi/acpi-pm.c) and the reset control register at 0xCF9
 * (hw/i386/portcf9.c), through their ports as a guest reaches them, on a
 * hand-driven virtual clock (fake-timer.h).  The S5 power-off ends the
 * process-wide run state, so it runs last.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/acpi/acpi-pm.h"
#include "hw/i386/portcf9.h"
#include "sysemu/runstate.h"
#include "test.h"
#include "fake-timer.h"

TEST_GLOBALS;

#define PM_BASE  0x600
#define PM1_STS  (PM_BASE + 0)
#define PM1_EN   (PM_BASE + 2)
#define PM1_CNT  (PM_BASE + 4)
#define PM_TMR   (PM_BASE + 8)
#define SLP_EN   0x2000
#define SLP_TYP(n) ((n) << 10)
#define MSB_PERIOD (1ull << 31)          /* ticks between TMR_STS settings */

static struct {
    MemoryRegion io;
    AddressSpace as;
    IRQLine sci;
    int sci_level;
    unsigned sci_changes;
    ACPIPMState *pm;
} fx;

static void on_sci(void *opaque, int n, int level)
{
    fx.sci_changes += level != fx.sci_level;
    fx.sci_level = level;
}

static void setup(void)
{
    if (fx.pm) {
        acpi_pm_destroy(fx.pm, &fx.io);
        address_space_destroy(&fx.as);
        memory_region_destroy(&fx.io);
    }
    memory_region_init_container(&fx.io, "io", 0x10000);
    irq_line_init(&fx.sci, on_sci, NULL, 9);
    fx.sci_level = 0;
    fx.sci_changes = 0;
    fx.pm = acpi_pm_init(&fx.io, PM_BASE, &fx.sci);
    address_space_init(&fx.as, &fx.io, "test-io");
}

static uint64_t in(uint16_t port, unsigned size)
{
    uint64_t v = 0;

    address_space_ld(&fx.as, port, size, &v);
    return v;
}

static void out(uint16_t port, unsigned size, uint64_t v)
{
    address_space_st(&fx.as, port, size, v);
}

static uint64_t tick_now(void)
{
    return (uint64_t)((unsigned __int128)fake_vns * ACPI_PM_TIMER_HZ / NANOSECONDS_PER_SECOND);
}

/* Move the clock to delta_ns from the first ns of the next tick that is
 * a multiple of period. */
static void to_next_multiple(uint64_t period, int64_t delta_ns)
{
    uint64_t t = (tick_now() / period + 1) * period;
    int64_t ns = (int64_t)(((unsigned __int128)t * NANOSECONDS_PER_SECOND +
                            ACPI_PM_TIMER_HZ - 1) / ACPI_PM_TIMER_HZ);

    fake_clock_advance(ns + delta_ns - fake_vns, 100);
}

/* Just before (-1) or at (0) the next change of bit 31. */
static void to_next_toggle(int64_t delta_ns)
{
    to_next_multiple(MSB_PERIOD, delta_ns);
}

static void test_sts_write_one_to_clear(void)
{
    setup();
    CHECK_EQ(in(PM1_STS, 2), 0);
    acpi_pm_power_button(fx.pm);
    CHECK_EQ(in(PM1_STS, 2), ACPI_PM1_PWRBTN);
    CHECK_EQ(in(PM1_STS + 1, 1), ACPI_PM1_PWRBTN >> 8);
    out(PM1_STS, 2, 0);                     /* 0s leave bits alone */
    out(PM1_STS, 1, 0xff);                  /* the other byte */
    CHECK_EQ(in(PM1_STS, 2), ACPI_PM1_PWRBTN);
    out(PM1_STS + 1, 1, ACPI_PM1_PWRBTN >> 8);
    CHECK_EQ(in(PM1_STS, 2), 0);
    /* 1s to bits without a source set nothing */
    out(PM1_STS, 2, 0xffff);
    CHECK_EQ(in(PM1_STS, 2), 0);
    /* a dword at PM1_STS writes PM1_EN too */
    out(PM1_STS, 4, (uint32_t)ACPI_PM1_PWRBTN << 16);
    CHECK_EQ(in(PM1_EN, 2), ACPI_PM1_PWRBTN);
    CHECK_EQ(in(PM1_STS, 4), (uint32_t)ACPI_PM1_PWRBTN << 16);
}

static void test_en_bits(void)
{
    setup();
    out(PM1_EN, 2, 0xffff);
    CHECK_EQ(in(PM1_EN, 2), ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN |
                            ACPI_PM1_SLPBTN | ACPI_PM1_RTC);
    out(PM1_EN, 1, 0);                      /* low byte only */
    CHECK_EQ(in(PM1_EN, 2), ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC);
    out(PM1_EN + 1, 1, 0);
    CHECK_EQ(in(PM1_EN, 2), 0);
}

static void test_sci_follows_sts_and_en(void)
{
    setup();
    acpi_pm_power_button(fx.pm);
    CHECK_EQ(fx.sci_level, 0);              /* PWRBTN_EN clear */
    out(PM1_EN, 2, ACPI_PM1_PWRBTN);
    CHECK_EQ(fx.sci_level, 1);
    out(PM1_EN, 2, 0);
    CHECK_EQ(fx.sci_level, 0);
    out(PM1_EN, 2, ACPI_PM1_PWRBTN);
    CHECK_EQ(fx.sci_level, 1);
    out(PM1_STS, 2, ACPI_PM1_PWRBTN);       /* the handler acknowledges */
    CHECK_EQ(fx.sci_level, 0);
    acpi_pm_power_button(fx.pm);            /* pressed with PWRBTN_EN set */
    CHECK_EQ(fx.sci_level, 1);
    CHECK_EQ(fx.sci_changes, 5);
    /* reset clears status and enables, and with them the SCI */
    acpi_pm_reset(fx.pm);
    CHECK_EQ(fx.sci_level, 0);
    CHECK_EQ(in(PM1_STS, 2), 0);
    CHECK_EQ(in(PM1_EN, 2), 0);
}

static void test_timer_rate(void)
{
    setup();
    uint32_t t0 = (uint32_t)in(PM_TMR, 4);

    CHECK_EQ(t0, (uint32_t)tick_now());
    fake_clock_advance(NANOSECONDS_PER_SECOND, 100);
    CHECK_EQ((uint32_t)in(PM_TMR, 4) - t0, ACPI_PM_TIMER_HZ);
    fake_clock_advance(NANOSECONDS_PER_SECOND / 1000, 100);
    CHECK_EQ((uint32_t)in(PM_TMR, 4) - t0, ACPI_PM_TIMER_HZ + ACPI_PM_TIMER_HZ / 1000);
    /* byte reads pick the bytes of the same counter; writes are dropped */
    uint32_t t = (uint32_t)in(PM_TMR, 4);
    CHECK_EQ(in(PM_TMR + 3, 1), t >> 24);
    CHECK_EQ(in(PM_TMR + 2, 2), t >> 16);
    out(PM_TMR, 4, 0);
    CHECK_EQ((uint32_t)in(PM_TMR, 4), t);
    /* 32 bits: it wraps past 0xffffffff (every 1200 s) */
    to_next_multiple(1ull << 32, -1);
    CHECK_EQ((uint32_t)in(PM_TMR, 4), 0xffffffffu);
    fake_clock_advance(1, 100);
    CHECK_EQ((uint32_t)in(PM_TMR, 4), 0);
    /* reset leaves it counting */
    fake_clock_advance(NANOSECONDS_PER_SECOND, 100);
    acpi_pm_reset(fx.pm);
    CHECK_EQ((uint32_t)in(PM_TMR, 4), ACPI_PM_TIMER_HZ);
}

static void test_tmr_sts_without_en(void)
{
    setup();
    to_next_toggle(-1);
    CHECK_EQ(in(PM1_STS, 2), 0);
    CHECK(!timer_pending(&fx.pm->overflow));    /* no Timer without TMR_EN */
    fake_clock_advance(1, 100);
    CHECK_EQ(in(PM1_STS, 2), ACPI_PM1_TMR);     /* caught up on the read */
    CHECK_EQ(fx.sci_level, 0);
    out(PM1_STS, 2, ACPI_PM1_TMR);
    CHECK_EQ(in(PM1_STS, 2), 0);
    /* enabling it afterwards with the status still set raises the SCI */
    to_next_toggle(0);
    out(PM1_EN, 2, ACPI_PM1_TMR);
    CHECK_EQ(fx.sci_level, 1);
}

static void test_tmr_overflow_interrupt(void)
{
    setup();
    out(PM1_EN, 2, ACPI_PM1_TMR);
    CHECK(timer_pending(&fx.pm->overflow));
    to_next_toggle(-1);
    CHECK_EQ(fx.sci_level, 0);
    fake_clock_advance(1, 100);                 /* bit 31 changes: the Timer runs */
    CHECK_EQ(fx.sci_level, 1);
    CHECK_EQ(in(PM1_STS, 2), ACPI_PM1_TMR);
    out(PM1_STS, 2, ACPI_PM1_TMR);
    CHECK_EQ(fx.sci_level, 0);
    /* the next change is 2^31 ticks (about 600 s) later */
    CHECK_EQ(fake_clock_advance(599 * NANOSECONDS_PER_SECOND, 100), 0);
    CHECK_EQ(fx.sci_level, 0);
    CHECK_EQ(fake_clock_advance(NANOSECONDS_PER_SECOND, 100), 1);
    CHECK_EQ(fx.sci_level, 1);
    /* TMR_EN off: the Timer goes, the status stays until cleared */
    out(PM1_EN, 2, 0);
    CHECK(!timer_pending(&fx.pm->overflow));
    CHECK_EQ(fx.sci_level, 0);
    CHECK_EQ(in(PM1_STS, 2), ACPI_PM1_TMR);
    /* on again: the Timer is armed for the next change, not a past one */
    out(PM1_STS, 2, ACPI_PM1_TMR);
    out(PM1_EN, 2, ACPI_PM1_TMR);
    CHECK_EQ(fx.sci_level, 0);
    CHECK(fake_clock_run_next());
    CHECK_EQ(fx.sci_level, 1);
    CHECK_EQ((uint32_t)in(PM_TMR, 4) & 0x7fffffffu, 0);
}

static void test_cnt_register(void)
{
    setup();
    CHECK_EQ(in(PM1_CNT, 2), ACPI_PM1_CNT_SCI_EN);
    out(PM1_CNT, 2, 0);                         /* SCI_EN stays: no legacy mode */
    CHECK_EQ(in(PM1_CNT, 2), ACPI_PM1_CNT_SCI_EN);
    out(PM1_CNT, 2, SLP_TYP(5) | ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_GBL_RLS);
    CHECK_EQ(in(PM1_CNT, 2), SLP_TYP(5) | ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SCI_EN);
    CHECK_EQ(in(PM1_CNT + 1, 1), SLP_TYP(5) >> 8);
    acpi_pm_reset(fx.pm);
    CHECK_EQ(in(PM1_CNT, 2), ACPI_PM1_CNT_SCI_EN);
    /* ports 0x606-0x607 are not there */
    CHECK_EQ(in(PM_BASE + 6, 2), 0xffff);
    out(PM_BASE + 6, 2, SLP_EN);
    CHECK(!runstate_shutdown_requested());
}

static void test_other_sleep_types_ignored(void)
{
    int status = -1;

    setup();
    for (unsigned typ = 1; typ < 8; typ++) {
        out(PM1_CNT, 2, SLP_TYP(typ) | SLP_EN);
        CHECK_EQ(in(PM1_CNT, 2), SLP_TYP(typ) | ACPI_PM1_CNT_SCI_EN);  /* SLP_EN reads 0 */
        CHECK(!runstate_shutdown_requested());
        CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    }
    /* SLP_TYP 0 without SLP_EN only selects */
    out(PM1_CNT, 2, SLP_TYP(0));
    out(PM1_CNT, 1, 0xff);                      /* low byte: no SLP_EN there */
    CHECK(!runstate_shutdown_requested());
}

/* A 4-byte stand-in for the PCI host's CONFIG_ADDRESS at 0xCF8. */
static uint64_t confadd_val;
static unsigned confadd_writes;

static uint64_t confadd_read(void *opaque, uint64_t addr, unsigned size)
{
    return confadd_val;
}

static void confadd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    confadd_val = val;
    confadd_writes++;
}

static const MemoryRegionOps confadd_ops = {
    .read = confadd_read,
    .write = confadd_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void test_cf9_reset(void)
{
    MemoryRegion confadd;
    PortCF9State *rc;
    int status = -1;

    setup();
    memory_region_init_io(&confadd, &confadd_ops, NULL, "confadd", 4);
    memory_region_add_subregion(&fx.io, 0xcf8, &confadd);
    rc = portcf9_init(&fx.io);
    CHECK_EQ(in(0xcf9, 1), 0);
    out(0xcf9, 1, 0x02);                        /* SYS_RST alone: no reset */
    CHECK_EQ(in(0xcf9, 1), 0x02);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    out(0xcf9, 1, 0x06);                        /* RST_CPU 0 -> 1 */
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_RESET);
    CHECK_EQ(in(0xcf9, 1), 0x06);
    out(0xcf9, 1, 0x06);                        /* no transition */
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    out(0xcf9, 1, 0xf1);                        /* reserved bits read 0 */
    CHECK_EQ(in(0xcf9, 1), 0);
    out(0xcf9, 1, 0x0e);                        /* full reset */
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_RESET);
    portcf9_reset(rc);
    CHECK_EQ(in(0xcf9, 1), 0);
    /* a dword at 0xCF8 goes whole to CONFIG_ADDRESS, not byte 1 to RC */
    confadd_writes = 0;
    out(0xcf8, 4, 0x80000600);
    CHECK_EQ(confadd_writes, 1);
    CHECK_EQ(confadd_val, 0x80000600);
    CHECK_EQ(in(0xcf8, 4), 0x80000600);
    CHECK_EQ(in(0xcf9, 1), 0);
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_NONE);
    cpus_resume_all();
    portcf9_destroy(rc, &fx.io);
    memory_region_del_subregion(&fx.io, &confadd);
    memory_region_destroy(&confadd);
}

/* Last: the power-off cannot be undone. */
static void test_s5_powers_off(void)
{
    int status = -1;

    setup();
    CHECK(!runstate_shutdown_requested());
    out(PM1_CNT + 1, 1, (SLP_TYP(0) | SLP_EN) >> 8);
    CHECK(runstate_shutdown_requested());
    CHECK_EQ(runstate_take_event(&status), RUNSTATE_EVENT_SHUTDOWN);
    CHECK_EQ(status, 0);
}

int main(void)
{
    RUN_TEST(test_sts_write_one_to_clear);
    RUN_TEST(test_en_bits);
    RUN_TEST(test_sci_follows_sts_and_en);
    RUN_TEST(test_timer_rate);
    RUN_TEST(test_tmr_sts_without_en);
    RUN_TEST(test_tmr_overflow_interrupt);
    RUN_TEST(test_cnt_register);
    RUN_TEST(test_other_sleep_types_ignored);
    RUN_TEST(test_cf9_reset);
    RUN_TEST(test_s5_powers_off);
    acpi_pm_destroy(fx.pm, &fx.io);
    address_space_destroy(&fx.as);
    memory_region_destroy(&fx.io);
    TEST_MAIN_END();
}
