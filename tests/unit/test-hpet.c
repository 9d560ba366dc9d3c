/*
 * test-hpet.c: the HPET model (hw/timer/hpet.c) through its MMIO ops, on a
 * hand-driven virtual clock: capabilities and reset values, the main
 * counter (running only while enabled, writable only while halted),
 * one-shot and periodic comparators (VAL_SET, the accumulator, catching up
 * when late), 32-bit mode and wrap-around, level status W1C and shared
 * lines, edges, routes and their capability, legacy replacement and the
 * order of its hand-over, odd accesses.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/timer/hpet.h"
#include "test.h"
#include "fake-timer.h"

TEST_GLOBALS;

#define GCAP_ID   0x000
#define GEN_CONF  0x010
#define GINTR_STA 0x020
#define MAIN_CNT  0x0f0
#define TN_CONF(n) (0x100 + 0x20 * (n))
#define TN_CMP(n)  (0x108 + 0x20 * (n))
#define TN_FSB(n)  (0x110 + 0x20 * (n))

#define ENABLE    1ull
#define LEG_RT    2ull
#define INT_LEVEL (1ull << 1)
#define INT_ENB   (1ull << 2)
#define PERIODIC  (1ull << 3)
#define VAL_SET   (1ull << 6)
#define MODE32    (1ull << 8)
#define ROUTE(r)  ((uint64_t)(r) << 9)
#define FSB_EN    (1ull << 14)

#define US        1000                      /* ns */
#define TICK_NS   100                       /* 10 MHz */
#define CAPS      0x00f0000000000030ull     /* routes 20-23, 64-bit, periodic */

static IRQLine lines[HPET_NUM_LINES], leg_rt;
static int level[HPET_NUM_LINES], raises[HPET_NUM_LINES], leg_level;
static char events[64];                     /* 'L'/'l' leg_rt, 'A'+n/'a'+n line n */
static unsigned nevents;
static HPETState *s;

static void on_line(void *opaque, int n, int lvl)
{
    raises[n] += lvl && !level[n];
    level[n] = lvl;
    if (nevents < sizeof(events) - 1) {
        events[nevents++] = (lvl ? 'A' : 'a') + n;
    }
}

static void on_leg_rt(void *opaque, int n, int lvl)
{
    leg_level = lvl;
    if (nevents < sizeof(events) - 1) {
        events[nevents++] = lvl ? 'L' : 'l';
    }
}

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&s->mmio, addr, &v, size);
    return v;
}

static uint64_t rd64(uint64_t addr) { return rd(addr, 8); }

static void wr(uint64_t addr, uint64_t v, unsigned size)
{
    memory_region_dispatch_write(&s->mmio, addr, v, size);
}

static void wr64(uint64_t addr, uint64_t v) { wr(addr, v, 8); }

static void new_hpet(void)
{
    if (s) {
        hpet_destroy(s);
    }
    memset(level, 0, sizeof(level));
    memset(raises, 0, sizeof(raises));
    memset(events, 0, sizeof(events));
    nevents = 0;
    leg_level = 0;
    for (int i = 0; i < HPET_NUM_LINES; i++) {
        irq_line_init(&lines[i], on_line, NULL, i);
    }
    irq_line_init(&leg_rt, on_leg_rt, NULL, 0);
    s = hpet_init(lines, &leg_rt);
}

static void test_capabilities_and_reset(void)
{
    new_hpet();
    CHECK_EQ(rd64(GCAP_ID), 0x05f5e1008086a201ull);    /* 100 ns, 8086, LEG_RT, 64-bit, 3 timers */
    CHECK_EQ(rd(GCAP_ID, 4), 0x8086a201);               /* the ACPI table's block ID */
    CHECK_EQ(rd(GCAP_ID + 4, 4), 100000000);            /* COUNTER_CLK_PERIOD, fs */
    wr64(GCAP_ID, 0);
    CHECK_EQ(rd64(GCAP_ID), 0x05f5e1008086a201ull);     /* read-only */
    CHECK_EQ(rd64(GEN_CONF), 0);
    CHECK_EQ(rd64(GINTR_STA), 0);
    CHECK_EQ(rd64(MAIN_CNT), 0);
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        CHECK_EQ(rd64(TN_CONF(n)), CAPS);
        CHECK_EQ(rd64(TN_CMP(n)), UINT64_MAX);
        CHECK_EQ(rd64(TN_FSB(n)), 0);
    }
    fake_clock_advance(NANOSECONDS_PER_SECOND, 10);
    CHECK_EQ(rd64(MAIN_CNT), 0);                        /* halted */
}

static void test_counter(void)
{
    new_hpet();
    wr64(MAIN_CNT, 0x123456789ull);
    CHECK_EQ(rd64(MAIN_CNT), 0x123456789ull);
    wr(MAIN_CNT + 4, 0x7, 4);                           /* one half */
    CHECK_EQ(rd64(MAIN_CNT), 0x723456789ull);
    wr(MAIN_CNT, 0x1000, 4);
    CHECK_EQ(rd64(MAIN_CNT), 0x700001000ull);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(100 * US, 10);
    CHECK_EQ(rd64(MAIN_CNT), 0x700001000ull + 1000);     /* 10 ticks per us */
    CHECK_EQ(rd(MAIN_CNT + 4, 4), 7);
    wr64(MAIN_CNT, 0);                                  /* ignored while running */
    CHECK_EQ(rd64(MAIN_CNT), 0x700001000ull + 1000);
    wr64(GEN_CONF, 0);
    fake_clock_advance(100 * US, 10);
    CHECK_EQ(rd64(MAIN_CNT), 0x700001000ull + 1000);     /* held */
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(50 * US, 10);
    CHECK_EQ(rd64(MAIN_CNT), 0x700001000ull + 1500);     /* goes on from there */
    /* the 64-bit counter wraps */
    wr64(GEN_CONF, 0);
    wr64(MAIN_CNT, UINT64_MAX - 4);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(10 * TICK_NS, 10);
    CHECK_EQ(rd64(MAIN_CNT), 5);
}

/* Level triggered one-shot on route 20: status and line until W1C. */
static void test_oneshot_level(void)
{
    new_hpet();
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(20));
    CHECK_EQ(rd64(TN_CONF(0)), CAPS | INT_LEVEL | INT_ENB | ROUTE(20));
    wr64(TN_CMP(0), 1000);
    CHECK(!timer_pending(&s->timers[0].timer));          /* counter halted */
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(100 * US - 1, 10);
    CHECK_EQ(rd64(GINTR_STA), 0);
    CHECK_EQ(level[20], 0);
    fake_clock_advance(1, 10);
    CHECK_EQ(rd64(GINTR_STA), 1);
    CHECK_EQ(level[20], 1);
    fake_clock_advance(NANOSECONDS_PER_SECOND, 10);
    CHECK_EQ(raises[20], 1);
    CHECK_EQ(level[20], 1);                             /* held */
    wr64(GINTR_STA, 0);
    CHECK_EQ(rd64(GINTR_STA), 1);                       /* 0 writes do nothing */
    wr(GINTR_STA + 4, 1, 4);                            /* the other half: bit 32 */
    CHECK_EQ(rd64(GINTR_STA), 1);
    wr(GINTR_STA, 1, 4);
    CHECK_EQ(rd64(GINTR_STA), 0);
    CHECK_EQ(level[20], 0);
    CHECK(!timer_pending(&s->timers[0].timer));          /* 64 bits: 2^64 ticks away */
    CHECK_EQ(rd64(TN_CMP(0)), 1000);                    /* one-shot keeps its value */
}

/* Edge: a pulse per match, no status bit. */
static void test_edge(void)
{
    new_hpet();
    wr64(TN_CONF(1), INT_ENB | ROUTE(22));
    wr64(TN_CMP(1), 50);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(raises[22], 1);
    CHECK_EQ(level[22], 0);
    CHECK_EQ(rd64(GINTR_STA), 0);
    /* interrupts disabled: the comparator is not armed */
    wr64(TN_CONF(1), ROUTE(22));
    wr64(TN_CMP(1), rd64(MAIN_CNT) + 10);
    CHECK(!timer_pending(&s->timers[1].timer));
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(raises[22], 1);
}

/* Periodic: VAL_SET writes the accumulator and the period; later writes the
 * period only; the accumulator steps by the period at each match. */
static void test_periodic(void)
{
    new_hpet();
    wr64(TN_CONF(0), PERIODIC | VAL_SET | INT_ENB | ROUTE(21));
    CHECK_EQ(rd64(TN_CONF(0)), CAPS | PERIODIC | VAL_SET | INT_ENB | ROUTE(21));
    wr64(TN_CMP(0), 1000);
    CHECK_EQ(rd64(TN_CONF(0)) & VAL_SET, 0);            /* clears itself */
    CHECK_EQ(rd64(TN_CMP(0)), 1000);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(100 * US, 10);
    CHECK_EQ(raises[21], 1);
    CHECK_EQ(rd64(TN_CMP(0)), 2000);
    fake_clock_advance(300 * US, 10);
    CHECK_EQ(raises[21], 4);
    CHECK_EQ(rd64(TN_CMP(0)), 5000);
    wr64(TN_CMP(0), 500);                               /* the period only */
    CHECK_EQ(rd64(TN_CMP(0)), 5000);
    fake_clock_advance(200 * US, 10);                   /* counter 4000 -> 6000 */
    CHECK_EQ(raises[21], 7);                            /* 5000, 5500, 6000 */
    CHECK_EQ(rd64(TN_CMP(0)), 6500);
    /* late by 10 s: one match, the accumulator jumps past the counter */
    fake_vns += 10 * NANOSECONDS_PER_SECOND;
    CHECK_EQ(timers_run_expired(), 1);
    CHECK_EQ(raises[21], 8);
    CHECK_EQ(rd64(TN_CMP(0)), 6000 + 100000000ull + 500);
    /* and the host timer comes at least 10 us later, whatever the period */
    wr64(TN_CONF(0), PERIODIC | VAL_SET | INT_ENB | ROUTE(21));
    wr64(TN_CMP(0), rd64(MAIN_CNT) + 1);
    wr64(TN_CMP(0), 1);
    CHECK_EQ(fake_clock_advance(100 * US, 100), 10);
    /* period 0: one match, then the counter must wrap */
    wr64(TN_CONF(0), PERIODIC | VAL_SET | INT_ENB | ROUTE(21));
    wr64(TN_CMP(0), rd64(MAIN_CNT) + 10);
    wr64(TN_CMP(0), 0);
    raises[21] = 0;
    CHECK_EQ(fake_clock_advance(NANOSECONDS_PER_SECOND, 100), 1);
    CHECK_EQ(raises[21], 1);
    CHECK(!timer_pending(&s->timers[0].timer));
}

/* 32-bit mode: the comparator is 32 bits and matches the counter's low
 * half, so a one-shot matches again every 2^32 ticks. */
static void test_32bit_mode(void)
{
    new_hpet();
    wr64(TN_CMP(2), 0x123456789ull);
    wr64(TN_CONF(2), MODE32 | INT_LEVEL | INT_ENB | ROUTE(23));
    CHECK_EQ(rd64(TN_CMP(2)), 0x23456789);              /* truncated */
    wr(TN_CMP(2) + 4, 0xffffffff, 4);
    CHECK_EQ(rd64(TN_CMP(2)), 0x23456789);              /* no high half */
    wr64(TN_CMP(2), 0x500000010ull);
    CHECK_EQ(rd64(TN_CMP(2)), 0x10);
    wr64(MAIN_CNT, 0x2ffffff00ull);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(0x110 * TICK_NS - 1, 10);
    CHECK_EQ(level[23], 0);
    fake_clock_advance(1, 10);                          /* counter 0x300000010 */
    CHECK_EQ(level[23], 1);
    wr64(GINTR_STA, 4);
    CHECK_EQ(level[23], 0);
    CHECK(timer_pending(&s->timers[2].timer));
    CHECK_EQ(s->timers[2].timer.expire_ns - fake_vns, (1ull << 32) * TICK_NS);
    CHECK(fake_clock_run_next());
    CHECK_EQ(raises[23], 2);
    CHECK_EQ(rd64(MAIN_CNT), 0x400000010ull);
    /* periodic 32-bit: the accumulator wraps too */
    wr64(GEN_CONF, 0);
    wr64(GINTR_STA, 4);
    wr64(MAIN_CNT, 0xfffffff0ull);
    wr64(TN_CONF(2), MODE32 | PERIODIC | VAL_SET | INT_ENB | ROUTE(23));
    wr64(TN_CMP(2), 0xfffffff8ull);                     /* accumulator and period */
    wr64(TN_CMP(2), 0x10);                              /* period */
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(8 * TICK_NS, 10);
    CHECK_EQ(rd64(TN_CMP(2)), 0x8);
    /* 64-bit mode back: the comparator keeps its 32-bit value */
    wr64(TN_CONF(2), INT_ENB | ROUTE(23));
    CHECK_EQ(rd64(TN_CMP(2)), 0x8);
}

/* Two level timers sharing pin 20; INT_ENB and ENABLE gate the line, not
 * the status; switching to edge drops the status. */
static void test_status_and_shared_line(void)
{
    new_hpet();
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(20));
    wr64(TN_CONF(1), INT_LEVEL | INT_ENB | ROUTE(20));
    wr64(TN_CMP(0), 10);
    wr64(TN_CMP(1), 20);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(rd64(GINTR_STA), 3);
    CHECK_EQ(level[20], 1);
    CHECK_EQ(raises[20], 1);
    wr64(GINTR_STA, 1);
    CHECK_EQ(level[20], 1);                             /* timer 1 still holds it */
    wr64(GINTR_STA, 2);
    CHECK_EQ(level[20], 0);
    /* status held, line dropped while the timer or the block is disabled */
    wr64(TN_CMP(0), rd64(MAIN_CNT) + 10);
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(level[20], 1);
    wr64(TN_CONF(0), INT_LEVEL | ROUTE(20));
    CHECK_EQ(level[20], 0);
    CHECK_EQ(rd64(GINTR_STA), 1);
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(20));
    CHECK_EQ(level[20], 1);
    wr64(GEN_CONF, 0);
    CHECK_EQ(level[20], 0);
    CHECK_EQ(rd64(GINTR_STA), 1);
    CHECK(!timer_pending(&s->timers[0].timer) && !timer_pending(&s->timers[1].timer));
    wr64(GEN_CONF, ENABLE);
    CHECK_EQ(level[20], 1);
    wr64(TN_CONF(0), INT_ENB | ROUTE(20));              /* to edge */
    CHECK_EQ(rd64(GINTR_STA), 0);
    CHECK_EQ(level[20], 0);
}

/* Routes outside Tn_INT_ROUTE_CAP do not read back; the reset route 0 is
 * not in it and drives no line. */
static void test_routes(void)
{
    new_hpet();
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(2));
    CHECK_EQ(rd64(TN_CONF(0)), CAPS | INT_LEVEL | INT_ENB);
    wr64(TN_CMP(0), 10);
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(rd64(GINTR_STA), 1);                       /* matched, on no line */
    for (int i = 0; i < HPET_NUM_LINES; i++) {
        CHECK_EQ(raises[i], 0);
    }
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(21));
    CHECK_EQ(level[21], 1);                             /* the held status, on its new line */
    for (unsigned r = 0; r < 32; r++) {
        if (r < 20 || r > 23) {
            wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(r));
            CHECK_EQ(rd64(TN_CONF(0)), CAPS | INT_LEVEL | INT_ENB | ROUTE(21));
        }
    }
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(23));
    CHECK_EQ(level[21], 0);
    CHECK_EQ(level[23], 1);
    /* FSB delivery is not offered: FSB_EN does not stick */
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(23) | FSB_EN);
    CHECK_EQ(rd64(TN_CONF(0)), CAPS | INT_LEVEL | INT_ENB | ROUTE(23));
}

/* LEG_RT_CNF: timer 0 on IRQ 0, timer 1 on IRQ 8, timer 2 on its route;
 * the board is told before the HPET drives IRQ 0/8 and after it let go. */
static void test_legacy(void)
{
    new_hpet();
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        wr64(TN_CONF(n), INT_LEVEL | INT_ENB | ROUTE(20 + n));
        wr64(TN_CMP(n), 10);
    }
    wr64(GEN_CONF, ENABLE);
    fake_clock_advance(10 * US, 10);
    CHECK(level[20] && level[21] && level[22]);
    nevents = 0;
    wr64(GEN_CONF, ENABLE | LEG_RT);
    CHECK_EQ(rd64(GEN_CONF), ENABLE | LEG_RT);
    CHECK_EQ(leg_level, 1);
    CHECK_EQ(events[0], 'L');                           /* the board first */
    CHECK(level[0] && level[8] && !level[20] && !level[21] && level[22]);
    nevents = 0;
    wr64(GEN_CONF, ENABLE);
    CHECK_EQ(leg_level, 0);
    CHECK_EQ(events[nevents - 1], 'l');                 /* the board last */
    CHECK(!level[0] && !level[8] && level[20] && level[21] && level[22]);
    /* a match in legacy mode */
    wr64(GINTR_STA, 7);
    wr64(TN_CONF(0), INT_ENB | ROUTE(20));              /* edge */
    wr64(TN_CMP(0), rd64(MAIN_CNT) + 10);
    wr64(GEN_CONF, ENABLE | LEG_RT);
    fake_clock_advance(10 * US, 10);
    CHECK_EQ(raises[0], 2);
    CHECK_EQ(level[0], 0);
    CHECK_EQ(raises[20], 2);                            /* the level match and its return */
}

/* Sizes other than 4 and 8, unaligned ones, reserved registers, the
 * timers that do not exist: the hardware's values, never a crash. */
static void test_odd_accesses(void)
{
    uint64_t v;

    new_hpet();
    CHECK_EQ(memory_region_dispatch_read(&s->mmio, GCAP_ID, &v, 1), MEMTX_ERROR);
    CHECK_EQ(v, 0xff);
    CHECK_EQ(memory_region_dispatch_read(&s->mmio, GCAP_ID + 2, &v, 2), MEMTX_ERROR);
    CHECK_EQ(memory_region_dispatch_read(&s->mmio, GCAP_ID + 2, &v, 4), MEMTX_ERROR);
    CHECK_EQ(memory_region_dispatch_write(&s->mmio, GEN_CONF, ENABLE, 1), MEMTX_ERROR);
    CHECK_EQ(rd64(GEN_CONF), 0);
    CHECK_EQ(memory_region_dispatch_read(&s->mmio, HPET_MMIO_SIZE - 4, &v, 8), MEMTX_ERROR);
    for (uint64_t a = 0; a < HPET_MMIO_SIZE; a += 4) {
        bool reg = a < 0x8 || (a >= 0x100 && a < 0x160 && (a & 0x1f) < 0x10);

        if (!reg && a != GEN_CONF && a != GINTR_STA && a != MAIN_CNT && a != MAIN_CNT + 4) {
            wr(a, 0xffffffff, 4);
            CHECK_EQ(rd(a, 4), 0);
        }
    }
    CHECK_EQ(rd64(0x160), 0);                           /* timer 3: none */
    CHECK_EQ(rd64(0x3f8), 0);
    CHECK_EQ(rd64(GEN_CONF), 0);
    wr64(GEN_CONF, UINT64_MAX);
    CHECK_EQ(rd64(GEN_CONF), ENABLE | LEG_RT);          /* reserved bits stay 0 */
    wr64(TN_CONF(0), UINT64_MAX);
    CHECK_EQ(rd64(TN_CONF(0)), CAPS | INT_LEVEL | INT_ENB | PERIODIC | VAL_SET | MODE32);
    wr64(GINTR_STA, UINT64_MAX);
    CHECK_EQ(rd64(GINTR_STA), 0);
}

static void test_reset(void)
{
    new_hpet();
    wr64(TN_CONF(0), INT_LEVEL | INT_ENB | ROUTE(20));
    wr64(TN_CMP(0), 10);
    wr64(GEN_CONF, ENABLE | LEG_RT);
    fake_clock_advance(10 * US, 10);
    CHECK(level[0] && leg_level);
    hpet_reset(s);
    CHECK(!level[0] && !leg_level);
    CHECK_EQ(rd64(GEN_CONF), 0);
    CHECK_EQ(rd64(GINTR_STA), 0);
    CHECK_EQ(rd64(MAIN_CNT), 0);
    CHECK_EQ(rd64(TN_CONF(0)), CAPS);
    CHECK_EQ(rd64(TN_CMP(0)), UINT64_MAX);
    CHECK(!timer_pending(&s->timers[0].timer));
}

int main(void)
{
    RUN_TEST(test_capabilities_and_reset);
    RUN_TEST(test_counter);
    RUN_TEST(test_oneshot_level);
    RUN_TEST(test_edge);
    RUN_TEST(test_periodic);
    RUN_TEST(test_32bit_mode);
    RUN_TEST(test_status_and_shared_line);
    RUN_TEST(test_routes);
    RUN_TEST(test_legacy);
    RUN_TEST(test_odd_accesses);
    RUN_TEST(test_reset);
    hpet_destroy(s);
    TEST_MAIN_END();
}
