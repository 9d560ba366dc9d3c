/*
 * hpet.c: the HPET timer block (IA-PC HPET specification 1.0a, section 2.3).
 *
 * Registers (64-bit, accessed as a whole or as 32-bit halves):
 *   0x000 GCAP_ID    0x010 GEN_CONF    0x020 GINTR_STA    0x0F0 MAIN_CNT
 *   0x100 + 0x20 * n: Tn_CONF_CAP, +0x08 Tn_COMPARATOR, +0x10 Tn_FSB_ROUTE
 * Everything else in the 1 KiB window reads 0 and ignores writes.
 *
 * A comparator matches when the counter (its low 32 bits in 32-bit mode)
 * equals it.  One-shot comparators match again only after the counter
 * wraps; periodic ones add their period at each match (the comparator is
 * the accumulator).  Tn_INT_STS is set by a level-triggered match and held
 * until written with 1; the timer's line is high while it is set (and the
 * timer's and the block's interrupts are enabled).  Edge-triggered matches
 * pulse the line and leave the status bit alone (the spec: "should be
 * ignored by software").  As in QEMU, a comparator with Tn_INT_ENB_CNF
 * clear is not armed: it neither matches nor advances.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/timer/hpet.h"

enum {
    HPET_GCAP_ID = 0x000, HPET_GEN_CONF = 0x010, HPET_GINTR_STA = 0x020,
    HPET_MAIN_CNT = 0x0f0, HPET_TIMER_BASE = 0x100, HPET_TIMER_STRIDE = 0x20,
    HPET_TN_CONF = 0x00, HPET_TN_CMP = 0x08, HPET_TN_FSB = 0x10,
};

#define HPET_NS_PER_TICK     (NANOSECONDS_PER_SECOND / HPET_FREQ_HZ)
#define HPET_CLK_PERIOD_FS   100000000ull      /* 10 MHz; the spec allows at most 100 ns */
#define HPET_VENDOR_ID       0x8086ull

/* GCAP_ID */
#define HPET_CAP_REV_ID      0x01ull
#define HPET_CAP_NUM_TIM_SHIFT 8               /* the last timer's number */
#define HPET_CAP_COUNT_SIZE  (1ull << 13)      /* 64-bit main counter */
#define HPET_CAP_LEG_RT      (1ull << 15)

/* GEN_CONF */
#define HPET_CFG_ENABLE      (1ull << 0)
#define HPET_CFG_LEG_RT      (1ull << 1)

/* Tn_CONF_CAP */
#define HPET_TN_INT_TYPE     (1ull << 1)       /* 1: level triggered */
#define HPET_TN_INT_ENB      (1ull << 2)
#define HPET_TN_TYPE         (1ull << 3)       /* 1: periodic */
#define HPET_TN_PER_INT_CAP  (1ull << 4)
#define HPET_TN_SIZE_CAP     (1ull << 5)       /* 64-bit comparator */
#define HPET_TN_VAL_SET      (1ull << 6)
#define HPET_TN_32MODE       (1ull << 8)
#define HPET_TN_ROUTE_SHIFT  9
#define HPET_TN_ROUTE        (0x1full << HPET_TN_ROUTE_SHIFT)
#define HPET_TN_FSB_EN       (1ull << 14)      /* FSB delivery: not offered (cap 0) */
#define HPET_TN_ROUTE_CAP_SHIFT 32

/* IOAPIC pins 20-23 for every timer: no other PC device drives them, so a
 * routed HPET line is never shared with the PIT, RTC or COM1. */
#define HPET_ROUTE_CAP       0x00f00000u

/* Read-only capability bits of each timer (one row per comparator). */
static const uint64_t hpet_timer_caps[HPET_NUM_TIMERS] = {
    HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | (uint64_t)HPET_ROUTE_CAP << HPET_TN_ROUTE_CAP_SHIFT,
    HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | (uint64_t)HPET_ROUTE_CAP << HPET_TN_ROUTE_CAP_SHIFT,
    HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | (uint64_t)HPET_ROUTE_CAP << HPET_TN_ROUTE_CAP_SHIFT,
};
_Static_assert((HPET_ROUTE_CAP >> HPET_NUM_LINES) == 0, "routes must name board lines");

/* A periodic timer re-arms at most this often on the host; its comparator
 * still advances by whole periods (the local APIC clamps the same way). */
#define HPET_MIN_REARM_NS    10000

static bool hpet_enabled(const HPETState *s)
{
    return s->config & HPET_CFG_ENABLE;
}

bool hpet_legacy_mode(const HPETState *s)
{
    return s->config & HPET_CFG_LEG_RT;
}

static uint64_t hpet_count(const HPETState *s)
{
    if (!hpet_enabled(s)) {
        return s->count_base;
    }
    return s->count_base +
           (uint64_t)(timer_clock_ns(TIMER_CLOCK_VIRTUAL) - s->enable_ns) / HPET_NS_PER_TICK;
}

/* The comparator's width: 32 bits in Tn_32MODE_CNF (or without Tn_SIZE_CAP). */
static uint64_t hpet_timer_mask(const HPETTimer *t)
{
    bool wide = (hpet_timer_caps[t->n] & HPET_TN_SIZE_CAP) && !(t->config & HPET_TN_32MODE);
    return wide ? UINT64_MAX : UINT32_MAX;
}

static bool hpet_timer_armable(const HPETTimer *t)
{
    return hpet_enabled(t->hpet) && (t->config & HPET_TN_INT_ENB);
}

/* The gsi[] line timer t drives, or -1 (a route outside the capability:
 * only the reset value 0, which drives nothing). */
static int hpet_timer_line(const HPETTimer *t)
{
    unsigned route = (t->config & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;

    if (hpet_legacy_mode(t->hpet) && t->n < 2) {
        return t->n == 0 ? HPET_LEGACY_IRQ0 : HPET_LEGACY_IRQ8;
    }
    return (hpet_timer_caps[t->n] >> HPET_TN_ROUTE_CAP_SHIFT) & (1ull << route) ? (int)route : -1;
}

/* Bring every line to the OR of the level-triggered timers on it. */
static void hpet_update_lines(HPETState *s)
{
    uint32_t level = 0;

    for (unsigned n = 0; n < HPET_NUM_TIMERS; n++) {
        HPETTimer *t = &s->timers[n];
        int line = hpet_timer_line(t);

        if (line >= 0 && hpet_timer_armable(t) && (t->config & HPET_TN_INT_TYPE) &&
            (s->isr & (1u << n))) {
            level |= 1u << line;
        }
    }
    for (unsigned i = 0; i < HPET_NUM_LINES; i++) {
        if ((level ^ s->line_level) & (1u << i)) {
            irq_line_set(&s->gsi[i], (level >> i) & 1);
        }
    }
    s->line_level = level;
}

/* Arm t for its next match, or disarm it.  After a match (fired) a
 * comparator equal to the counter waits for the counter to wrap. */
static void hpet_timer_arm(HPETTimer *t, bool fired)
{
    HPETState *s = t->hpet;
    uint64_t mask = hpet_timer_mask(t);
    uint64_t now = hpet_count(s);
    uint64_t ticks = (t->cmp - now) & mask;
    int64_t expire;

    if (!hpet_timer_armable(t)) {
        timer_del(&t->timer);
        return;
    }
    if (ticks == 0 && fired) {
        if (mask == UINT64_MAX) {
            timer_del(&t->timer);          /* 2^64 ticks: never */
            return;
        }
        ticks = mask + 1;
    }
    if (ticks > (uint64_t)INT64_MAX / HPET_NS_PER_TICK / 4) {
        timer_del(&t->timer);              /* centuries away */
        return;
    }
    /* the virtual time at which the counter reads now + ticks */
    expire = s->enable_ns + (int64_t)((now - s->count_base) + ticks) * HPET_NS_PER_TICK;
    if (fired && (t->config & HPET_TN_TYPE)) {
        expire = MAX(expire, timer_clock_ns(TIMER_CLOCK_VIRTUAL) + HPET_MIN_REARM_NS);
    }
    timer_mod(&t->timer, expire);
}

static void hpet_timer_cb(void *opaque)
{
    HPETTimer *t = opaque;
    HPETState *s = t->hpet;
    uint64_t mask = hpet_timer_mask(t);
    int line = hpet_timer_line(t);

    if (t->config & HPET_TN_INT_TYPE) {
        s->isr |= 1u << t->n;
        hpet_update_lines(s);
    } else if (line >= 0 && !(s->line_level & (1u << line))) {
        irq_line_raise(&s->gsi[line]);     /* an edge (a line held by a level timer stays high) */
        irq_line_lower(&s->gsi[line]);
    }
    if ((t->config & HPET_TN_TYPE) && t->period) {
        /* whole periods up to past the counter, however late we are */
        uint64_t behind = (hpet_count(s) - t->cmp) & mask;

        t->cmp = (t->cmp + (behind / t->period + 1) * t->period) & mask;
    }
    hpet_timer_arm(t, true);
}

static uint64_t hpet_gcap_id(void)
{
    return HPET_CAP_REV_ID | (uint64_t)(HPET_NUM_TIMERS - 1) << HPET_CAP_NUM_TIM_SHIFT |
           HPET_CAP_COUNT_SIZE | HPET_CAP_LEG_RT | HPET_VENDOR_ID << 16 |
           HPET_CLK_PERIOD_FS << 32;
}

static uint64_t hpet_reg_read(HPETState *s, uint64_t reg)
{
    switch (reg) {
    case HPET_GCAP_ID:
        return hpet_gcap_id();
    case HPET_GEN_CONF:
        return s->config;
    case HPET_GINTR_STA:
        return s->isr;
    case HPET_MAIN_CNT:
        return hpet_count(s);
    }
    if (reg >= HPET_TIMER_BASE &&
        reg < HPET_TIMER_BASE + HPET_NUM_TIMERS * HPET_TIMER_STRIDE) {
        HPETTimer *t = &s->timers[(reg - HPET_TIMER_BASE) / HPET_TIMER_STRIDE];

        switch ((reg - HPET_TIMER_BASE) % HPET_TIMER_STRIDE) {
        case HPET_TN_CONF:
            return t->config | hpet_timer_caps[t->n];
        case HPET_TN_CMP:
            return t->cmp & hpet_timer_mask(t);
        }
    }
    return 0;                  /* reserved, and Tn_FSB_ROUTE (no FSB delivery) */
}

static void hpet_gen_conf_write(HPETState *s, uint64_t val)
{
    uint64_t old = s->config;
    uint64_t count = hpet_count(s);

    s->config = val & (HPET_CFG_ENABLE | HPET_CFG_LEG_RT);
    if ((old ^ s->config) & HPET_CFG_ENABLE) {
        /* the counter runs from where it stood */
        s->count_base = count;
        s->enable_ns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    }
    /* the board lets go of IRQ 0/8 before the HPET drives them, and takes
     * them back after */
    if (hpet_legacy_mode(s) && !(old & HPET_CFG_LEG_RT)) {
        irq_line_raise(s->leg_rt);
    }
    for (unsigned n = 0; n < HPET_NUM_TIMERS; n++) {
        hpet_timer_arm(&s->timers[n], false);
    }
    hpet_update_lines(s);
    if (!hpet_legacy_mode(s) && (old & HPET_CFG_LEG_RT)) {
        irq_line_lower(s->leg_rt);
    }
}

static void hpet_timer_conf_write(HPETTimer *t, uint64_t val)
{
    uint64_t caps = hpet_timer_caps[t->n];
    uint64_t writable = HPET_TN_INT_TYPE | HPET_TN_INT_ENB | HPET_TN_VAL_SET | HPET_TN_ROUTE;
    unsigned route = (val & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;

    writable |= caps & HPET_TN_PER_INT_CAP ? HPET_TN_TYPE : 0;
    writable |= caps & HPET_TN_SIZE_CAP ? HPET_TN_32MODE : 0;
    if (!((caps >> HPET_TN_ROUTE_CAP_SHIFT) & (1ull << route))) {
        /* the spec: an unsupported route does not read back */
        log_mask(LOG_GUEST_ERROR, "hpet: timer %u: route %u not in the capability\n", t->n, route);
        writable &= ~HPET_TN_ROUTE;
    }
    t->config = (t->config & ~writable) | (val & writable);
    if (!(t->config & HPET_TN_INT_TYPE)) {
        t->hpet->isr &= ~(1u << t->n);     /* status means nothing for edges */
    }
    t->cmp &= hpet_timer_mask(t);
    t->period &= hpet_timer_mask(t);
    hpet_timer_arm(t, false);
    hpet_update_lines(t->hpet);
}

/* A write of val to the bits of the comparator in bits (one half or all).
 * One-shot: the comparator.  Periodic: the period, and with Tn_VAL_SET_CNF
 * the accumulator too (Linux writes both so); VAL_SET then clears. */
static void hpet_timer_cmp_write(HPETTimer *t, uint64_t val, uint64_t bits)
{
    uint64_t mask = hpet_timer_mask(t);
    bool periodic = t->config & HPET_TN_TYPE;

    if (!periodic || (t->config & HPET_TN_VAL_SET)) {
        t->cmp = ((t->cmp & ~bits) | (val & bits)) & mask;
    }
    if (periodic) {
        t->period = ((t->period & ~bits) | (val & bits)) & mask;
    }
    t->config &= ~HPET_TN_VAL_SET;
    hpet_timer_arm(t, false);
}

/* Write val to the bits of register reg selected by bits. */
static void hpet_reg_write(HPETState *s, uint64_t reg, uint64_t val, uint64_t bits)
{
    switch (reg) {
    case HPET_GEN_CONF:
        hpet_gen_conf_write(s, (s->config & ~bits) | (val & bits));
        return;
    case HPET_GINTR_STA:
        s->isr &= ~(val & bits);           /* write 1 to clear */
        hpet_update_lines(s);
        return;
    case HPET_MAIN_CNT:
        if (hpet_enabled(s)) {
            log_mask(LOG_GUEST_ERROR, "hpet: main counter written while enabled\n");
            return;
        }
        s->count_base = (s->count_base & ~bits) | (val & bits);
        return;
    }
    if (reg >= HPET_TIMER_BASE &&
        reg < HPET_TIMER_BASE + HPET_NUM_TIMERS * HPET_TIMER_STRIDE) {
        HPETTimer *t = &s->timers[(reg - HPET_TIMER_BASE) / HPET_TIMER_STRIDE];

        switch ((reg - HPET_TIMER_BASE) % HPET_TIMER_STRIDE) {
        case HPET_TN_CONF:
            hpet_timer_conf_write(t, (t->config & ~bits) | (val & bits));
            return;
        case HPET_TN_CMP:
            hpet_timer_cmp_write(t, val, bits);
            return;
        }
    }
    /* GCAP_ID, Tn_FSB_ROUTE and reserved space: read-only or nothing */
}

/* 32-bit accesses reach one half of the 64-bit register at addr & ~7. */
static uint64_t hpet_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t v = hpet_reg_read(opaque, addr & ~7ull);

    return size == 8 ? v : (uint32_t)(v >> ((addr & 4) * 8));
}

static void hpet_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    unsigned shift = (addr & 4) * 8;
    uint64_t bits = size == 8 ? UINT64_MAX : (uint64_t)UINT32_MAX << shift;

    hpet_reg_write(opaque, addr & ~7ull, val << shift, bits);
}

/* The spec allows 32- and 64-bit accesses; the memory core answers others
 * as invalid (all ones, write dropped, logged). */
static const MemoryRegionOps hpet_mmio_ops = {
    .read = hpet_mmio_read,
    .write = hpet_mmio_write,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

void hpet_reset(HPETState *s)
{
    hpet_gen_conf_write(s, 0);             /* halts, drops legacy routing */
    s->isr = 0;
    s->count_base = 0;
    for (unsigned n = 0; n < HPET_NUM_TIMERS; n++) {
        HPETTimer *t = &s->timers[n];

        timer_del(&t->timer);
        t->config = 0;
        t->cmp = UINT64_MAX;
        t->period = 0;
    }
    hpet_update_lines(s);
}

HPETState *hpet_init(IRQLine *gsi, IRQLine *leg_rt)
{
    HPETState *s = tern_malloc0(sizeof(*s));

    s->gsi = gsi;
    s->leg_rt = leg_rt;
    for (unsigned n = 0; n < HPET_NUM_TIMERS; n++) {
        s->timers[n].hpet = s;
        s->timers[n].n = n;
        timer_init(&s->timers[n].timer, TIMER_CLOCK_VIRTUAL, hpet_timer_cb, &s->timers[n]);
    }
    memory_region_init_io(&s->mmio, &hpet_mmio_ops, s, "hpet", HPET_MMIO_SIZE);
    hpet_reset(s);
    return s;
}

void hpet_destroy(HPETState *s)
{
    for (unsigned n = 0; n < HPET_NUM_TIMERS; n++) {
        timer_del(&s->timers[n].timer);
    }
    memory_region_destroy(&s->mmio);
    free(s);
}
