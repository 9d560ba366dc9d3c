/*
 * i8254.c: the 8254 programmable interval timer (Intel 82C54 data sheet).
 *
 * Ports (from base): 0-2 counters 0-2, 3 control word register.
 * Control word: SC1 SC0 (counter; 3 = read-back), RW1 RW0 (0 = counter
 * latch command), M2 M1 M0, BCD.
 *
 * Time is the PIT clock's tick count, tick = ns * PIT_FREQ_HZ / 10^9, so
 * periodic modes never drift: every edge is base_tick + k * period.  A
 * counter's CE and OUT at tick t are pure functions of its state
 * (pit_eval); the state changes only on port writes and gate changes.
 * Modes 0/1/4/5 count down from base_ce loaded at base_tick, wrapping
 * modulo 65536 (10000 in BCD); modes 2/3 run a period from base_tick.
 * A count written to a running mode 2/3 counter is taken at the end of
 * the period (half-period in mode 3), recorded as pending_* and applied
 * by pit_eval for ticks from pending_tick on.
 *
 * Simplification: the CE is loaded at the tick of the write or gate
 * trigger, not on the next CLK pulse, so OUT in mode 0 goes high N ticks
 * after the write (N + 1 on the chip).
 *
 * Counter 0's OUT drives irq0: the level follows OUT at every transition,
 * each one emitted in order (a late timer or a port access catches up on
 * the missed ones, at most PIT_MAX_LAG_TICKS behind; older ones are
 * dropped).  All entry points run under the machine lock.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/timer/i8254.h"

#define PIT_CONTROL       3
#define PIT_SC_READBACK   3
#define PIT_RW_LATCH      0
#define PIT_RW_LSB        1
#define PIT_RW_MSB        2
#define PIT_RW_LSB_MSB    3
/* read-back command: COUNT# and STATUS# are active low */
#define PIT_RB_NOCOUNT    0x20
#define PIT_RB_NOSTATUS   0x10
/* status byte */
#define PIT_ST_OUT        0x80
#define PIT_ST_NULL_COUNT 0x40

#define PIT_MAX_LAG_TICKS (PIT_FREQ_HZ / 100)   /* 10 ms of edges */
#define PIT_NO_TICK       UINT64_MAX

static int64_t pit_virtual_ns(void)
{
    return timer_clock_ns(TIMER_CLOCK_VIRTUAL);
}

static uint64_t pit_tick_of_ns(int64_t ns)
{
    return ns <= 0 ? 0 : (uint64_t)((unsigned __int128)ns * PIT_FREQ_HZ / NANOSECONDS_PER_SECOND);
}

/* The first ns whose tick is t. */
static int64_t pit_ns_of_tick(uint64_t t)
{
    unsigned __int128 ns = ((unsigned __int128)t * NANOSECONDS_PER_SECOND + PIT_FREQ_HZ - 1) /
                           PIT_FREQ_HZ;

    return ns > INT64_MAX ? INT64_MAX : (int64_t)ns;
}

uint64_t pit_now_tick(PITState *s)
{
    return pit_tick_of_ns(s->now_ns());
}

/* Modes 6 and 7 are 2 and 3 (M2 is don't-care there). */
static unsigned pit_mode(const PITChannel *c)
{
    return c->mode >= 6 ? c->mode - 4 : c->mode;
}

static uint32_t pit_modulus(const PITChannel *c)
{
    return c->bcd ? 10000 : 65536;
}

static bool pit_periodic(const PITChannel *c)
{
    return pit_mode(c) == 2 || pit_mode(c) == 3;
}

static uint16_t pit_bcd_encode(uint32_t v)
{
    return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

/* A written count: 0 is the largest count; BCD digits above 9 (undefined
 * on the chip) are taken at their value, modulo 10000. */
static uint32_t pit_count_of_write(const PITChannel *c, uint16_t raw)
{
    uint32_t v = raw;

    if (c->bcd) {
        v = ((raw >> 12) & 15) * 1000 + ((raw >> 8) & 15) * 100 + ((raw >> 4) & 15) * 10 +
            (raw & 15);
        v %= 10000;
    }
    return v ? v : pit_modulus(c);
}

/* Mode 3 runs OUT high for the first (N + 1) / 2 ticks of a period. */
static uint32_t pit_sq_high(uint32_t n)
{
    return (n + 1) / 2;
}

typedef struct PITEval {
    uint32_t ce;                 /* 0 .. modulus - 1 */
    bool out;
    uint64_t next;               /* tick of the next OUT transition after t, or PIT_NO_TICK */
} PITEval;

/* Modes 2 and 3 at tick t: the CE sequence N, N-1, .. 1 with OUT low at 1
 * (mode 2); N, N-2, .. in each half, odd N starting the high half with
 * N, N-1 and the low half with N, N-3 (mode 3).  A count of 1 (illegal in
 * both modes) holds OUT high. */
static void pit_eval_periodic(const PITChannel *c, uint64_t t, PITEval *e)
{
    uint64_t base = c->base_tick;
    uint32_t n = c->period;

    if (c->pending_cr && t >= c->pending_tick) {
        base = c->pending_base;
        n = c->pending_cr;
    }
    uint64_t p = (t - base) % n, start = t - p;

    if (n == 1) {
        *e = (PITEval){ .ce = 1, .out = true, .next = PIT_NO_TICK };
    } else if (pit_mode(c) == 2) {
        e->ce = n - (uint32_t)p;
        e->out = p != n - 1;
        e->next = p < n - 1 ? start + n - 1 : start + n;
    } else {
        uint32_t h = pit_sq_high(n);

        if (p < h) {
            e->ce = p == 0 ? n : (n & 1) ? n + 1 - 2 * (uint32_t)p : n - 2 * (uint32_t)p;
            e->out = true;
            e->next = start + h;
        } else {
            uint32_t q = (uint32_t)p - h;

            e->ce = q == 0 ? n : (n & 1) ? n - 1 - 2 * q : n - 2 * q;
            e->out = false;
            e->next = start + n;
        }
    }
    if (c->pending_cr && t < c->pending_tick) {
        e->next = MIN(e->next, c->pending_tick);
    }
}

/* Modes 0/1/4/5 at tick t: counting down from base_ce, terminal count at
 * d == base_ce; OUT low until it (0, 1) or for its one tick (4, 5). */
static void pit_eval_oneshot(const PITChannel *c, uint64_t t, PITEval *e)
{
    uint64_t d = t - c->base_tick;
    uint32_t m = pit_modulus(c);
    bool strobe = pit_mode(c) >= 4;

    e->ce = (uint32_t)(((uint64_t)c->base_ce + m - d % m) % m);
    e->next = PIT_NO_TICK;
    if (!c->tc_pending || d > c->base_ce) {
        e->out = true;
    } else if (d == c->base_ce) {
        e->out = !strobe;
        e->next = strobe ? t + 1 : PIT_NO_TICK;
    } else {
        e->out = strobe;
        e->next = c->base_tick + c->base_ce;
    }
}

static void pit_eval(const PITChannel *c, uint64_t t, PITEval *e)
{
    if (!c->counting) {
        *e = (PITEval){ .ce = c->idle_ce % pit_modulus(c), .out = c->idle_out, .next = PIT_NO_TICK };
    } else if (pit_periodic(c)) {
        pit_eval_periodic(c, t, e);
    } else {
        pit_eval_oneshot(c, t, e);
    }
    e->ce %= pit_modulus(c);
}

/* Fold a pending count that has come due into base_tick/period. */
static void pit_take_pending(PITChannel *c, uint64_t t)
{
    if (c->pending_cr && t >= c->pending_tick) {
        c->base_tick = c->pending_base;
        c->period = c->pending_cr;
        c->pending_cr = 0;
        c->null_count = false;
    }
}

/* Stop the CE where it is at t (gate low, or a mode 0 count being written). */
static void pit_freeze(PITChannel *c, uint64_t t)
{
    PITEval e;

    if (!c->counting) {
        return;
    }
    pit_take_pending(c, t);
    pit_eval(c, t, &e);
    if (!pit_periodic(c) && c->tc_pending && t - c->base_tick >= c->base_ce) {
        c->tc_pending = false;
    }
    c->idle_ce = e.ce;
    c->idle_out = e.out;
    c->counting = false;
}

/* Load the CE with n at t and count from there. */
static void pit_load(PITChannel *c, uint32_t n, uint64_t t)
{
    c->base_tick = t;
    c->base_ce = n;
    c->period = n;
    c->pending_cr = 0;
    c->tc_pending = true;
    c->loaded = true;
    c->null_count = false;
    c->counting = true;
}

/* ---- counter 0's interrupt line ---------------------------------------------- */

static void pit_irq_set(PITState *s, bool level)
{
    if (level != s->irq0_level) {
        s->irq0_level = level;
        irq_line_set(s->irq0, level);
    }
}

/* Emit the OUT transitions of counter 0 due up to tick t, in order. */
static void pit_irq_catch_up(PITState *s, uint64_t t)
{
    PITEval e;

    if (!s->timer_armed || s->timer_tick > t) {
        return;
    }
    if (t - s->timer_tick > PIT_MAX_LAG_TICKS) {
        s->timer_tick = t - PIT_MAX_LAG_TICKS;
    }
    while (s->timer_armed && s->timer_tick <= t) {
        pit_eval(&s->ch[0], s->timer_tick, &e);
        pit_irq_set(s, e.out);
        s->timer_armed = e.next != PIT_NO_TICK;
        s->timer_tick = e.next;
    }
}

/* Counter 0's state changed at tick t (or its timer fired): the line
 * follows OUT now and the timer waits for the next transition. */
static void pit_irq_rearm(PITState *s, uint64_t t)
{
    PITEval e;

    pit_eval(&s->ch[0], t, &e);
    pit_irq_set(s, e.out);
    s->timer_armed = e.next != PIT_NO_TICK;
    s->timer_tick = e.next;
    if (s->timer_armed) {
        /* never at or before now: a callback must not re-arm into its own pass */
        timer_mod(&s->timer, MAX(pit_ns_of_tick(e.next), s->now_ns() + 1));
    } else {
        timer_del(&s->timer);
    }
}

void pit_timer_cb(void *opaque)
{
    PITState *s = opaque;
    uint64_t t = pit_now_tick(s);

    pit_irq_catch_up(s, t);
    pit_irq_rearm(s, t);
}

/* ---- programming ------------------------------------------------------------- */

static void pit_write_control(PITChannel *c, uint8_t val, uint64_t t)
{
    PITEval e;

    pit_take_pending(c, t);
    pit_eval(c, t, &e);
    c->mode = (val >> 1) & 7;
    c->bcd = val & 1;
    c->rw = (val >> 4) & 3;
    c->cr_valid = false;
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->null_count = true;
    c->loaded = false;
    c->counting = false;
    c->pending_cr = 0;
    c->idle_ce = e.ce;
    c->idle_out = pit_mode(c) != 0;
}

static void pit_latch_count(PITChannel *c, uint64_t t)
{
    PITEval e;

    if (c->count_latched) {
        return;             /* a second latch before the read is ignored */
    }
    pit_eval(c, t, &e);
    c->latched_count = c->bcd ? pit_bcd_encode(e.ce) : (uint16_t)e.ce;
    c->count_latched = true;
    c->latched_msb_next = c->rw == PIT_RW_MSB;
}

static void pit_latch_status(PITChannel *c, uint64_t t)
{
    PITEval e;

    if (c->status_latched) {
        return;
    }
    pit_take_pending(c, t);
    pit_eval(c, t, &e);
    c->latched_status = (e.out ? PIT_ST_OUT : 0) | (c->null_count ? PIT_ST_NULL_COUNT : 0) |
                        c->rw << 4 | c->mode << 1 | c->bcd;
    c->status_latched = true;
}

/* A whole count was written to the count register. */
static void pit_write_count(PITChannel *c, uint16_t raw, uint64_t t)
{
    uint32_t n = pit_count_of_write(c, raw);

    c->cr = n;
    c->cr_valid = true;
    c->null_count = true;
    switch (pit_mode(c)) {
    case 0:
    case 4:
        pit_load(c, n, t);
        if (!c->gate) {
            pit_freeze(c, t);
        }
        break;
    case 1:
    case 5:
        break;              /* taken at the next gate trigger */
    default:
        pit_take_pending(c, t);
        if (c->counting) {
            /* the running period (mode 3: half-period) ends first */
            uint64_t p = (t - c->base_tick) % c->period, start = t - p;
            uint32_t h = pit_sq_high(c->period);

            c->pending_cr = n;
            if (pit_mode(c) == 3 && p < h) {
                c->pending_tick = start + h;
                c->pending_base = start + h - pit_sq_high(n);  /* enters the low half */
            } else {
                c->pending_tick = c->pending_base = start + c->period;
            }
        } else if (c->gate) {
            pit_load(c, n, t);
        } else {
            c->idle_ce = n;
        }
        break;
    }
}

static void pit_write_counter(PITChannel *c, uint8_t val, uint64_t t)
{
    switch (c->rw) {
    case PIT_RW_LSB:
        pit_write_count(c, val, t);
        break;
    case PIT_RW_MSB:
        pit_write_count(c, (uint16_t)(val << 8), t);
        break;
    default:
        if (!c->write_msb_next) {
            c->cr_lsb = val;
            c->write_msb_next = true;
            if (pit_mode(c) == 0) {
                pit_freeze(c, t);       /* the first byte stops mode 0, OUT low */
                c->idle_out = false;
            }
        } else {
            c->write_msb_next = false;
            pit_write_count(c, (uint16_t)(c->cr_lsb | val << 8), t);
        }
        break;
    }
}

static uint8_t pit_read_counter(PITChannel *c, uint64_t t)
{
    uint16_t v;
    bool msb;

    if (c->status_latched) {
        c->status_latched = false;
        return c->latched_status;
    }
    if (c->count_latched) {
        v = c->latched_count;
        msb = c->latched_msb_next;
        if (c->rw == PIT_RW_LSB_MSB && !msb) {
            c->latched_msb_next = true;
        } else {
            c->count_latched = false;
        }
    } else {
        PITEval e;

        pit_eval(c, t, &e);
        v = c->bcd ? pit_bcd_encode(e.ce) : (uint16_t)e.ce;
        msb = c->rw == PIT_RW_MSB || (c->rw == PIT_RW_LSB_MSB && c->read_msb_next);
        if (c->rw == PIT_RW_LSB_MSB) {
            c->read_msb_next = !c->read_msb_next;
        }
    }
    return msb ? v >> 8 : v & 0xff;
}

static uint64_t pit_ioport_read(void *opaque, uint64_t addr, unsigned size)
{
    PITState *s = opaque;

    if (addr == PIT_CONTROL) {
        return 0xff;            /* the control word register cannot be read (3-state) */
    }
    return pit_read_counter(&s->ch[addr], pit_now_tick(s));
}

static void pit_write_readback(PITState *s, uint8_t val, uint64_t t)
{
    for (int i = 0; i < PIT_NUM_CHANNELS; i++) {
        if (!(val & (2 << i))) {
            continue;
        }
        /* status first: if both are latched, the first read is the status */
        if (!(val & PIT_RB_NOSTATUS)) {
            pit_latch_status(&s->ch[i], t);
        }
        if (!(val & PIT_RB_NOCOUNT)) {
            pit_latch_count(&s->ch[i], t);
        }
    }
}

static void pit_ioport_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PITState *s = opaque;
    uint64_t t = pit_now_tick(s);
    uint8_t v = (uint8_t)val;

    pit_irq_catch_up(s, t);
    if (addr != PIT_CONTROL) {
        pit_write_counter(&s->ch[addr], v, t);
    } else if ((v >> 6) == PIT_SC_READBACK) {
        pit_write_readback(s, v, t);
    } else if (((v >> 4) & 3) == PIT_RW_LATCH) {
        pit_latch_count(&s->ch[v >> 6], t);
    } else {
        pit_write_control(&s->ch[v >> 6], v, t);
    }
    pit_irq_rearm(s, t);
}

static const MemoryRegionOps pit_ops = {
    .read = pit_ioport_read,
    .write = pit_ioport_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- gates and OUT ----------------------------------------------------------- */

void pit_set_gate(PITState *s, int n, bool level)
{
    PITChannel *c = &s->ch[n];
    uint64_t t = pit_now_tick(s);
    bool rising = level && !c->gate;

    if (level == c->gate) {
        return;
    }
    pit_irq_catch_up(s, t);
    c->gate = level;
    switch (pit_mode(c)) {
    case 0:
    case 4:
        /* the gate enables counting */
        if (!level) {
            pit_freeze(c, t);
        } else if (c->loaded) {
            bool tc = c->tc_pending;
            uint32_t ce = c->idle_ce;

            pit_load(c, ce ? ce : pit_modulus(c), t);
            c->tc_pending = tc;
        }
        break;
    case 1:
    case 5:
        /* a rising edge triggers: the CE takes the count register */
        if (rising && c->cr_valid) {
            pit_load(c, c->cr, t);
        }
        break;
    default:
        /* low stops counting with OUT high; a rising edge reloads */
        if (!level) {
            pit_freeze(c, t);
            c->idle_out = true;
        } else if (c->cr_valid) {
            pit_load(c, c->cr, t);
        }
        break;
    }
    if (n == 0) {
        pit_irq_rearm(s, t);
    }
}

bool pit_get_out(PITState *s, int n)
{
    PITEval e;

    pit_eval(&s->ch[n], pit_now_tick(s), &e);
    return e.out;
}

/* ---- life cycle -------------------------------------------------------------- */

void pit_reset(PITState *s)
{
    for (int i = 0; i < PIT_NUM_CHANNELS; i++) {
        s->ch[i] = (PITChannel){ .rw = PIT_RW_LSB_MSB, .gate = i != 2 };
    }
    timer_del(&s->timer);
    s->timer_armed = false;
    pit_irq_set(s, false);
}

PITState *pit_init(MemoryRegion *io, uint64_t base, IRQLine *irq0)
{
    PITState *s = tern_malloc0(sizeof(*s));

    s->irq0 = irq0;
    s->now_ns = pit_virtual_ns;
    timer_init(&s->timer, TIMER_CLOCK_VIRTUAL, pit_timer_cb, s);
    pit_reset(s);
    memory_region_init_io(&s->io, &pit_ops, s, "i8254", 4);
    memory_region_add_subregion(io, base, &s->io);
    return s;
}

void pit_destroy(PITState *s, MemoryRegion *io)
{
    timer_del(&s->timer);
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}
