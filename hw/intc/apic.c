/*
 * apic.c: the local APIC (Intel SDM vol. 3 ch. 11), xAPIC and x2APIC.
 *
 * Registers by xAPIC offset (x2APIC MSR = 0x800 + offset / 16); apic_regs[]
 * says which exist in each mode and which way (SDM table 11-6).  Version
 * 0x14 with 6 LVT entries (max LVT 5: no CMCI), no EOI-broadcast
 * suppression.
 *
 * Priority (SDM 11.8.3): PPR = TPR if TPR[7:4] >= ISRV[7:4], else
 * ISRV & 0xF0; the CPU is interrupted while the highest IRR vector's class
 * is above PPR's.  Acknowledge moves it IRR -> ISR; EOI clears the highest
 * ISR bit and, when its TMR bit is set, tells the IOAPIC.
 *
 * Errors (ESR, SDM 11.5.3) collect in esr_pending; a write to ESR makes
 * them visible and starts over.  A new error raises the error LVT.
 *
 * Timer (SDM 11.5.4): the count runs at APIC_BUS_HZ / divide, computed
 * from the virtual clock when read (never decremented one by one).
 * TSC-deadline mode: the CPU converts IA32_TSC_DEADLINE into a virtual
 * time (apic_set_tsc_deadline); the MSR reads 0 once it fires.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/apic.h"
#include "sysemu/runstate.h"

/* register offsets (xAPIC) */
enum {
    APIC_ID = 0x20, APIC_VERSION = 0x30, APIC_TPR = 0x80, APIC_APR = 0x90,
    APIC_PPR = 0xa0, APIC_EOI = 0xb0, APIC_RRD = 0xc0, APIC_LDR = 0xd0,
    APIC_DFR = 0xe0, APIC_SVR = 0xf0, APIC_ISR = 0x100, APIC_TMR = 0x180,
    APIC_IRR = 0x200, APIC_ESR = 0x280, APIC_ICR_LO = 0x300, APIC_ICR_HI = 0x310,
    APIC_LVT_TIMER = 0x320, APIC_LVT_ERROR = 0x370, APIC_TMICT = 0x380,
    APIC_TMCCT = 0x390, APIC_TDCR = 0x3e0, APIC_SELF_IPI = 0x3f0,
};

/* LVT indices, in register order from 0x320 */
enum { LVT_TIMER, LVT_THERMAL, LVT_PMC, LVT_LINT0, LVT_LINT1, LVT_ERROR };

#define APIC_VERSION_VALUE (0x14 | ((APIC_LVT_NB - 1) << 16))
#define LVT_MASKED         (1u << 16)
#define LVT_LEVEL          (1u << 15)
#define LVT_REMOTE_IRR     (1u << 14)
#define LVT_DELIV_STATUS   (1u << 12)
#define LVT_TIMER_MODE(v)  (((v) >> 17) & 3)
enum { TIMER_ONESHOT = 0, TIMER_PERIODIC = 1, TIMER_TSC_DEADLINE = 2 };
/* Periodic interrupts come at most this often (a tiny count would keep the
 * main loop busy; KVM clamps too); the count itself runs at the real rate */
#define TIMER_MIN_PERIOD_NS 10000

/* The writable bits of each LVT (SDM figure 11-8) */
static const uint32_t lvt_writable[APIC_LVT_NB] = {
    [LVT_TIMER] = 0x700ff, [LVT_THERMAL] = 0x107ff, [LVT_PMC] = 0x107ff,
    [LVT_LINT0] = 0x1a7ff, [LVT_LINT1] = 0x1a7ff, [LVT_ERROR] = 0x100ff,
};

#define SVR_ENABLE    (1u << 8)
#define SVR_WRITABLE  0x3ffu             /* vector, APIC enable, focus (bit 9) */
#define DFR_FLAT      0xffffffffu

/* ESR bits */
#define ESR_SEND_ILLEGAL    (1u << 5)
#define ESR_RECV_ILLEGAL    (1u << 6)
#define ESR_ILLEGAL_REG     (1u << 7)

/* ICR fields */
#define ICR_VECTOR(v)      ((v) & 0xff)
#define ICR_MODE(v)        (((v) >> 8) & 7)
#define ICR_LOGICAL        (1u << 11)
#define ICR_DELIV_STATUS   (1u << 12)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_TRIGGER_LEVEL  (1u << 15)
#define ICR_SHORTHAND(v)   (((v) >> 18) & 3)
#define ICR_LO_WRITABLE    0x000ccfffu
enum { SH_NONE, SH_SELF, SH_ALL_INCL, SH_ALL_EXCL };

/* Which registers exist in each mode, and how (SDM table 11-6) */
enum {
    XR = 1, XW = 2,         /* xAPIC MMIO: readable, writable */
    X2R = 4, X2W = 8,       /* x2APIC MSR: readable, writable */
};
static const uint8_t apic_regs[APIC_MMIO_SIZE >> 4] = {
    [APIC_ID >> 4] = XR | XW | X2R,
    [APIC_VERSION >> 4] = XR | X2R,
    [APIC_TPR >> 4] = XR | XW | X2R | X2W,
    [APIC_APR >> 4] = XR,
    [APIC_PPR >> 4] = XR | X2R,
    [APIC_EOI >> 4] = XW | X2W,
    [APIC_LDR >> 4] = XR | XW | X2R,
    [APIC_DFR >> 4] = XR | XW,
    [APIC_SVR >> 4] = XR | XW | X2R | X2W,
    [0x10 ... 0x27] = XR | X2R,          /* ISR, TMR, IRR */
    [APIC_ESR >> 4] = XR | XW | X2R | X2W,
    [APIC_ICR_LO >> 4] = XR | XW | X2R | X2W,
    [APIC_ICR_HI >> 4] = XR | XW,
    [0x32 ... 0x37] = XR | XW | X2R | X2W,   /* LVTs */
    [APIC_TMICT >> 4] = XR | XW | X2R | X2W,
    [APIC_TMCCT >> 4] = XR | X2R,
    [APIC_TDCR >> 4] = XR | XW | X2R | X2W,
    [APIC_SELF_IPI >> 4] = X2W,
};

static bool apic_x2(const APICState *s)
{
    return (s->apicbase & APIC_BASE_EXTD) != 0;
}

static bool apic_sw_enabled(const APICState *s)
{
    return (s->svr & SVR_ENABLE) != 0;
}

static bool apic_hw_enabled(const APICState *s)
{
    return (s->apicbase & APIC_BASE_ENABLE) != 0;
}

/* ---- 256-bit vector sets ----------------------------------------------- */

static void vec_set(uint32_t *set, unsigned v) { set[v >> 5] |= 1u << (v & 31); }
static void vec_clear(uint32_t *set, unsigned v) { set[v >> 5] &= ~(1u << (v & 31)); }
static bool vec_test(const uint32_t *set, unsigned v) { return set[v >> 5] >> (v & 31) & 1; }

/* The highest vector in the set, or -1 */
static int vec_highest(const uint32_t *set)
{
    for (int i = 7; i >= 0; i--) {
        if (set[i]) {
            return i * 32 + 31 - __builtin_clz(set[i]);
        }
    }
    return -1;
}

/* ---- priorities and the INTR line -------------------------------------- */

static uint8_t apic_ppr(const APICState *s)
{
    int isrv = vec_highest(s->isr);
    uint8_t isr_class = isrv < 0 ? 0 : (isrv & 0xf0);

    return (s->tpr & 0xf0) >= isr_class ? s->tpr : isr_class;
}

/* SDM 11.6.2.4: the arbitration priority */
static uint8_t apic_apr(const APICState *s)
{
    int irrv = vec_highest(s->irr), isrv = vec_highest(s->isr);
    uint8_t irr_class = irrv < 0 ? 0 : irrv & 0xf0, isr_class = isrv < 0 ? 0 : isrv & 0xf0;

    if ((s->tpr & 0xf0) >= irr_class && (s->tpr & 0xf0) > isr_class) {
        return s->tpr;
    }
    return MAX(s->tpr & 0xf0, MAX(irr_class, isr_class));
}

/* The vector the CPU would take now, or -1 */
static int apic_deliverable(const APICState *s)
{
    int irrv = vec_highest(s->irr);

    if (!apic_hw_enabled(s) || !apic_sw_enabled(s) || irrv < 0 ||
        (irrv & 0xf0) <= (apic_ppr(s) & 0xf0)) {
        return -1;
    }
    return irrv;
}

/* LINT0 routes the 8259's INT (ExtINT, unmasked) */
bool apic_accept_pic(const APICState *s)
{
    uint32_t lvt0 = s->lvt[LVT_LINT0];

    return !apic_hw_enabled(s) ||
           (!(lvt0 & LVT_MASKED) && ((lvt0 >> 8) & 7) == APIC_DM_EXTINT);
}

/* Drive the CPU's INTR: an IRR vector it can take, or the 8259 via LINT0 */
static void apic_update_irq(APICState *s)
{
    if (apic_deliverable(s) >= 0 || (s->lint_level[0] && apic_accept_pic(s))) {
        cpu_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    } else {
        cpu_reset_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    }
}

/* ---- accepting interrupts ---------------------------------------------- */

static void apic_error(APICState *s, uint32_t bits);

static void apic_set_irr(APICState *s, uint8_t vector, bool level)
{
    if (vector < 16) {
        apic_error(s, ESR_RECV_ILLEGAL);
        return;
    }
    vec_set(s->irr, vector);
    if (level) {
        vec_set(s->tmr, vector);
    } else {
        vec_clear(s->tmr, vector);
    }
    apic_update_irq(s);
}

void apic_deliver(APICState *s, unsigned mode, uint8_t vector, bool level)
{
    if (s->wait_for_sipi && mode != APIC_DM_INIT && mode != APIC_DM_SIPI) {
        return;     /* wait-for-SIPI: only INIT and SIPI are recognised */
    }
    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        apic_set_irr(s, vector, level);
        break;
    case APIC_DM_NMI:
        cpu_interrupt(s->cpu, CPU_INTERRUPT_NMI);
        break;
    case APIC_DM_EXTINT:
        apic_update_irq(s);     /* the CPU asks the 8259 for the vector */
        break;
    case APIC_DM_INIT:
        s->sipi_vector = -1;    /* only a SIPI sent after this INIT starts the CPU */
        cpu_interrupt(s->cpu, CPU_INTERRUPT_INIT);     /* apic_cpu_init on its thread */
        break;
    case APIC_DM_SIPI:
        s->sipi_vector = vector;
        cpu_interrupt(s->cpu, CPU_INTERRUPT_SIPI);     /* apic_cpu_sipi on its thread */
        break;
    default:
        log_mask(LOG_UNIMP, "apic: delivery mode %u (%s) not supported\n", mode,
                 mode == APIC_DM_SMI ? "SMI" : "reserved");
        break;
    }
}

/* A local interrupt (LVT entry n) fires */
static void apic_lvt_fire(APICState *s, unsigned n)
{
    uint32_t lvt = s->lvt[n];
    unsigned mode = (n == LVT_TIMER || n == LVT_ERROR) ? APIC_DM_FIXED : (lvt >> 8) & 7;

    if (lvt & LVT_MASKED) {
        return;
    }
    apic_deliver(s, mode, lvt & 0xff, mode == APIC_DM_FIXED && (lvt & LVT_LEVEL));
}

static void apic_error(APICState *s, uint32_t bits)
{
    bool fresh = (s->esr_pending & bits) != bits;

    s->esr_pending |= bits;
    /* an illegal error vector must not recurse: it only sets the bit */
    if (fresh && (s->lvt[LVT_ERROR] & 0xff) >= 16) {
        apic_lvt_fire(s, LVT_ERROR);
    }
}

void apic_set_lint(APICState *s, unsigned pin, int level)
{
    uint32_t lvt = s->lvt[LVT_LINT0 + pin];
    bool old = s->lint_level[pin];

    s->lint_level[pin] = level != 0;
    if (((lvt >> 8) & 7) == APIC_DM_EXTINT) {
        apic_update_irq(s);         /* INTR follows the 8259's INT */
    } else if (level && (!old || (lvt & LVT_LEVEL))) {
        apic_lvt_fire(s, LVT_LINT0 + pin);
    }
}

int apic_get_interrupt(APICState *s)
{
    int v = apic_deliverable(s);

    if (v >= 0) {
        vec_clear(s->irr, v);
        vec_set(s->isr, v);
    }
    apic_update_irq(s);
    return v;
}

uint8_t apic_spurious_vector(const APICState *s)
{
    return s->svr & 0xff;
}

static void apic_eoi(APICState *s)
{
    int v = vec_highest(s->isr);

    if (v < 0) {
        return;
    }
    vec_clear(s->isr, v);
    if (vec_test(s->tmr, v) && s->eoi_handler) {
        s->eoi_handler(s->eoi_opaque, v);
    }
    apic_update_irq(s);
}

/* ---- destinations and IPIs --------------------------------------------- */

bool apic_match_dest(const APICState *s, uint32_t dest, bool logical)
{
    if (apic_x2(s)) {
        if (dest == 0xffffffffu) {
            return true;
        }
        if (!logical) {
            return dest == s->id;
        }
        /* cluster (31:16) and a bit in the cluster (15:0) */
        return (dest >> 16) == (s->ldr >> 16) && (dest & s->ldr & 0xffff);
    }
    dest &= 0xff;
    if (dest == 0xff) {
        return true;
    }
    if (!logical) {
        return dest == (s->id & 0xff);
    }
    uint8_t ldr = s->ldr >> 24;
    if ((s->dfr >> 28) == 0xf) {                    /* flat model */
        return (dest & ldr) != 0;
    }
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);   /* cluster */
}

void apic_bus_attach(APICBus *bus, APICState *s)
{
    unsigned i = (unsigned)s->cpu->cpu_index;

    assert(i < APIC_BUS_MAX && !bus->apic[i]);
    bus->apic[i] = s;
    bus->n = MAX(bus->n, i + 1);
    s->bus = bus;
}

void apic_bus_deliver(APICBus *bus, uint32_t dest, bool logical, unsigned mode,
                      uint8_t vector, bool level)
{
    APICState *lowest = NULL;

    for (unsigned i = 0; i < bus->n; i++) {
        APICState *t = bus->apic[i];

        if (!t || !apic_match_dest(t, dest, logical)) {
            continue;
        }
        if (mode != APIC_DM_LOWEST) {
            apic_deliver(t, mode, vector, level);
        } else if (!lowest || apic_apr(t) < apic_apr(lowest)) {
            lowest = t;
        }
    }
    if (lowest) {
        apic_deliver(lowest, mode, vector, level);
    }
}

/* ICR write: send the IPI to the APICs the shorthand or the destination
 * selects (SDM 11.6.1): on the bus, or only this one without a bus.
 * dest: 8 bits in xAPIC mode (0xFF: broadcast), 32 in x2APIC mode. */
static void apic_send_ipi(APICState *s, uint32_t lo, uint32_t dest)
{
    unsigned mode = ICR_MODE(lo), sh = ICR_SHORTHAND(lo);
    uint8_t vector = ICR_VECTOR(lo);
    bool logical = lo & ICR_LOGICAL;

    if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
        apic_error(s, ESR_SEND_ILLEGAL);
        return;
    }
    if (mode == APIC_DM_INIT && !(lo & ICR_LEVEL_ASSERT) && (lo & ICR_TRIGGER_LEVEL)) {
        return;     /* INIT level de-assert: no message (SDM 11.6.1) */
    }
    if (!apic_x2(s) && dest == 0xff) {
        dest = 0xffffffffu;     /* the xAPIC broadcast reaches x2APIC ones too */
    }
    if (sh == SH_SELF || (!s->bus && sh != SH_ALL_EXCL)) {
        if (sh != SH_NONE || apic_match_dest(s, dest, logical)) {
            apic_deliver(s, mode, vector, false);
        }
        return;
    }
    if (sh == SH_NONE) {
        apic_bus_deliver(s->bus, dest, logical, mode, vector, false);
        return;
    }
    for (unsigned i = 0; s->bus && i < s->bus->n; i++) {     /* all, with or without self */
        APICState *t = s->bus->apic[i];

        if (t && (t != s || sh == SH_ALL_INCL)) {
            apic_deliver(t, mode, vector, false);
        }
    }
}

/* ---- the timer --------------------------------------------------------- */

static int64_t apic_now(void)
{
    return timer_clock_ns(TIMER_CLOCK_VIRTUAL);
}

/* Nanoseconds per count: the divide configuration (bits 0, 1, 3) */
static int64_t apic_timer_period(const APICState *s)
{
    unsigned v = (s->divide_conf & 3) | ((s->divide_conf >> 1) & 4);
    unsigned shift = (v + 1) & 7;       /* 111 = divide by 1 */

    return (int64_t)(NANOSECONDS_PER_SECOND / APIC_BUS_HZ) << shift;
}

static unsigned apic_timer_mode(const APICState *s)
{
    return LVT_TIMER_MODE(s->lvt[LVT_TIMER]);
}

/* The current count (0 in TSC-deadline mode and once a one-shot ends) */
static uint32_t apic_current_count(const APICState *s)
{
    int64_t ticks;

    if (!s->initial_count || apic_timer_mode(s) == TIMER_TSC_DEADLINE) {
        return 0;
    }
    ticks = (apic_now() - s->count_start_ns) / apic_timer_period(s);
    if (apic_timer_mode(s) == TIMER_PERIODIC) {
        return s->initial_count - (uint32_t)(ticks % s->initial_count);
    }
    return ticks >= s->initial_count ? 0 : s->initial_count - (uint32_t)ticks;
}

/* Arm the host timer for the next expiry of the current mode */
static void apic_timer_arm(APICState *s)
{
    int64_t len;

    if (apic_timer_mode(s) == TIMER_TSC_DEADLINE) {
        if (s->tsc_deadline) {
            timer_mod(&s->timer, s->tsc_deadline_ns);
        } else {
            timer_del(&s->timer);
        }
        return;
    }
    if (!s->initial_count) {
        timer_del(&s->timer);
        return;
    }
    len = (int64_t)s->initial_count * apic_timer_period(s);
    if (apic_timer_mode(s) == TIMER_PERIODIC) {
        int64_t now = apic_now(), n = (now - s->count_start_ns) / len;
        timer_mod(&s->timer,
                  MAX(s->count_start_ns + (n + 1) * len, now + TIMER_MIN_PERIOD_NS));
    } else if (apic_now() < s->count_start_ns + len) {
        timer_mod(&s->timer, s->count_start_ns + len);
    } else {
        timer_del(&s->timer);
    }
}

static void apic_timer_cb(void *opaque)
{
    APICState *s = opaque;

    if (apic_timer_mode(s) == TIMER_TSC_DEADLINE) {
        s->tsc_deadline = 0;        /* disarms itself and reads 0 (SDM 11.5.4.1) */
    }
    apic_lvt_fire(s, LVT_TIMER);
    if (apic_timer_mode(s) == TIMER_PERIODIC) {
        apic_timer_arm(s);
    }
}

void apic_set_tsc_deadline(APICState *s, uint64_t tsc, int64_t deadline_ns)
{
    if (apic_timer_mode(s) != TIMER_TSC_DEADLINE) {
        return;     /* ignored outside TSC-deadline mode */
    }
    s->tsc_deadline = tsc;
    s->tsc_deadline_ns = deadline_ns;
    apic_timer_arm(s);
}

/* ---- registers --------------------------------------------------------- */

static void apic_set_svr(APICState *s, uint32_t val)
{
    s->svr = val & SVR_WRITABLE;
    if (!apic_sw_enabled(s)) {
        for (unsigned i = 0; i < APIC_LVT_NB; i++) {
            s->lvt[i] |= LVT_MASKED;   /* and they stay masked (SDM 11.4.7.2) */
        }
    }
    apic_update_irq(s);
}

static void apic_set_lvt(APICState *s, unsigned n, uint32_t val)
{
    unsigned old_mode = apic_timer_mode(s);

    if (!apic_sw_enabled(s)) {
        val |= LVT_MASKED;
    }
    if (n == LVT_TIMER && LVT_TIMER_MODE(val) == TIMER_TSC_DEADLINE &&
        !s->tsc_deadline_supported) {
        val &= ~(3u << 17);         /* reserved without the feature */
    }
    s->lvt[n] = (s->lvt[n] & ~lvt_writable[n]) | (val & lvt_writable[n]);
    if (n == LVT_TIMER && old_mode != apic_timer_mode(s)) {
        /* a mode change disarms the timer (SDM 11.5.4.1) */
        s->tsc_deadline = 0;
        s->initial_count = 0;
        timer_del(&s->timer);
    }
    if (n == LVT_LINT0) {
        apic_update_irq(s);         /* ExtINT routing may have changed */
    }
}

uint32_t apic_reg_read(APICState *s, uint32_t offset)
{
    unsigned idx = offset >> 4;

    switch (offset) {
    case APIC_ID:
        return apic_x2(s) ? s->id : s->id << 24;
    case APIC_VERSION:
        return APIC_VERSION_VALUE;
    case APIC_TPR:
        return s->tpr;
    case APIC_APR:
        return apic_apr(s);
    case APIC_PPR:
        return apic_ppr(s);
    case APIC_LDR:
        return s->ldr;
    case APIC_DFR:
        return s->dfr;
    case APIC_SVR:
        return s->svr;
    case APIC_ESR:
        return s->esr;
    case APIC_ICR_LO:
        return s->icr_lo;
    case APIC_ICR_HI:
        return s->icr_hi;
    case APIC_TMICT:
        return s->initial_count;
    case APIC_TMCCT:
        return apic_current_count(s);
    case APIC_TDCR:
        return s->divide_conf;
    }
    if (idx >= 0x10 && idx < 0x18) {
        return s->isr[idx - 0x10];
    }
    if (idx >= 0x18 && idx < 0x20) {
        return s->tmr[idx - 0x18];
    }
    if (idx >= 0x20 && idx < 0x28) {
        return s->irr[idx - 0x20];
    }
    if (idx >= 0x32 && idx < 0x32 + APIC_LVT_NB) {
        return s->lvt[idx - 0x32];
    }
    return 0;
}

void apic_reg_write(APICState *s, uint32_t offset, uint32_t val)
{
    unsigned idx = offset >> 4;

    switch (offset) {
    case APIC_ID:
        s->id = val >> 24;      /* xAPIC only: x2APIC's is read-only */
        return;
    case APIC_TPR:
        s->tpr = val & 0xff;
        apic_update_irq(s);
        return;
    case APIC_EOI:
        apic_eoi(s);
        return;
    case APIC_LDR:
        s->ldr = val & 0xff000000u;
        return;
    case APIC_DFR:
        s->dfr = val | 0x0fffffffu;
        return;
    case APIC_SVR:
        apic_set_svr(s, val);
        return;
    case APIC_ESR:
        s->esr = s->esr_pending;
        s->esr_pending = 0;
        return;
    case APIC_ICR_LO:
        s->icr_lo = val & ICR_LO_WRITABLE;   /* delivery status reads idle */
        apic_send_ipi(s, s->icr_lo, apic_x2(s) ? s->icr_hi : s->icr_hi >> 24);
        return;
    case APIC_ICR_HI:
        s->icr_hi = val & 0xff000000u;
        return;
    case APIC_TMICT:
        if (apic_timer_mode(s) == TIMER_TSC_DEADLINE) {
            return;     /* ignored in TSC-deadline mode */
        }
        s->initial_count = val;
        s->count_start_ns = apic_now();
        apic_timer_arm(s);
        return;
    case APIC_TDCR: {
        uint32_t left = apic_current_count(s);
        int64_t now = apic_now();

        s->divide_conf = val & 0xb;
        /* the count carries on from where it is, at the new rate */
        if (s->initial_count && left) {
            s->count_start_ns = now - (int64_t)(s->initial_count - left) * apic_timer_period(s);
            apic_timer_arm(s);
        }
        return;
    }
    case APIC_SELF_IPI:
        apic_send_ipi(s, (val & 0xff) | (SH_SELF << 18), 0);   /* fixed, to self */
        return;
    }
    if (idx >= 0x32 && idx < 0x32 + APIC_LVT_NB) {
        apic_set_lvt(s, idx - 0x32, val);
    }
}

/* ---- xAPIC MMIO -------------------------------------------------------- */

/* Registers are 32 bits at 16-byte aligned offsets; other accesses read 0
 * and are ignored.  An unimplemented register sets ESR bit 7. */
static bool apic_mmio_ok(APICState *s, uint64_t addr, unsigned size, uint8_t need)
{
    if ((addr & 0xf) || size != 4) {
        log_mask(LOG_GUEST_ERROR, "apic: %u-byte access at offset 0x%" PRIx64 " ignored\n",
                 size, addr);
        return false;
    }
    if (!(apic_regs[addr >> 4] & need)) {
        apic_error(s, ESR_ILLEGAL_REG);
        return false;
    }
    return true;
}

/* Every APIC's page is at the same address, so the flat view reaches one
 * of them: the access belongs to the calling vCPU's own APIC (to page's
 * when no vCPU calls: the main thread, unit tests).  NULL: that APIC's
 * page is not live at this address (disabled, moved, x2APIC mode); the
 * access is dropped (reads 0) instead of reaching another CPU's APIC. */
static APICState *apic_mmio_owner(APICState *page)
{
    CPUState *cur = cpus_current();
    APICState *s;

    if (!cur || !page->bus || cur == page->cpu) {
        return page;
    }
    s = (unsigned)cur->cpu_index < page->bus->n ? page->bus->apic[cur->cpu_index] : NULL;
    if (!s || !s->mmio.enabled || apic_base_address(s) != apic_base_address(page)) {
        log_mask(LOG_GUEST_ERROR, "apic: CPU %d: xAPIC page access at 0x%" PRIx64
                 " while its own page is not there: dropped\n", cur->cpu_index,
                 apic_base_address(page));
        return NULL;
    }
    return s;
}

static uint64_t apic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    APICState *s = apic_mmio_owner(opaque);

    return s && apic_mmio_ok(s, addr, size, XR) ? apic_reg_read(s, addr) : 0;
}

static void apic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    APICState *s = apic_mmio_owner(opaque);

    if (s && apic_mmio_ok(s, addr, size, XW)) {
        apic_reg_write(s, addr, val);
    }
}

static const MemoryRegionOps apic_mmio_ops = {
    .read = apic_mmio_read,
    .write = apic_mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- MSRs ---------------------------------------------------------------- */

#define MSR_APIC_BASE     0x1b
#define MSR_TSC_DEADLINE  0x6e0
#define MSR_X2APIC_FIRST  0x800
#define MSR_X2APIC_LAST   0x8ff
#define APIC_BASE_PHYS_BITS 40   /* the CPU's MAXPHYADDR */

uint64_t apic_base_address(const APICState *s)
{
    return s->apicbase & ~0xfffull;
}

/* Enter x2APIC mode: the logical ID follows from the APIC ID (SDM 11.12.10.2) */
static void apic_enter_x2apic(APICState *s)
{
    s->ldr = ((s->id >> 4) << 16) | (1u << (s->id & 0xf));
}

/* IA32_APIC_BASE: the transitions of SDM figure 11-27; clearing EN resets
 * the APIC (its ID stays). */
static bool apic_set_base(APICState *s, uint64_t val)
{
    uint64_t rsvd = 0x2ffull | (~0ull << APIC_BASE_PHYS_BITS) |
                    (s->x2apic_supported ? 0 : APIC_BASE_EXTD);
    bool en = val & APIC_BASE_ENABLE, x2 = val & APIC_BASE_EXTD;

    if ((val & rsvd) || (x2 && !en) ||
        (apic_x2(s) && en && !x2) ||                       /* x2APIC -> xAPIC */
        (!apic_hw_enabled(s) && x2)) {                     /* disabled -> x2APIC */
        return false;
    }
    val = (val & ~APIC_BASE_BSP) | (s->apicbase & APIC_BASE_BSP);
    if (!en && apic_hw_enabled(s)) {
        uint32_t id = s->id;

        apic_reset(s);
        s->id = id;
    }
    if (x2 && !apic_x2(s)) {
        s->apicbase = val;
        apic_enter_x2apic(s);
    }
    s->apicbase = val;
    memory_region_set_enabled(&s->mmio, en && !x2);
    memory_region_set_address(&s->mmio, apic_base_address(s));
    apic_update_irq(s);
    return true;
}

bool apic_msr_read(APICState *s, uint32_t index, uint64_t *val)
{
    uint32_t off = (index - MSR_X2APIC_FIRST) << 4;

    if (index == MSR_APIC_BASE) {
        *val = s->apicbase;
        return true;
    }
    if (index == MSR_TSC_DEADLINE) {
        *val = apic_timer_mode(s) == TIMER_TSC_DEADLINE ? s->tsc_deadline : 0;
        return true;
    }
    if (index < MSR_X2APIC_FIRST || index > MSR_X2APIC_LAST || !apic_x2(s) ||
        !(apic_regs[off >> 4] & X2R)) {
        return false;
    }
    *val = off == APIC_ICR_LO ? ((uint64_t)s->icr_hi << 32) | s->icr_lo : apic_reg_read(s, off);
    return true;
}

bool apic_msr_write(APICState *s, uint32_t index, uint64_t val)
{
    uint32_t off = (index - MSR_X2APIC_FIRST) << 4;

    if (index == MSR_APIC_BASE) {
        return apic_set_base(s, val);
    }
    if (index < MSR_X2APIC_FIRST || index > MSR_X2APIC_LAST || !apic_x2(s) ||
        !(apic_regs[off >> 4] & X2W)) {
        return false;
    }
    /* x2APIC: reserved bits #GP (SDM 11.12.1.2): the upper half except for
     * ICR, EOI and ESR zero, TPR 31:8, SELF_IPI 31:8 */
    if (off != APIC_ICR_LO && (val >> 32)) {
        return false;
    }
    if (((off == APIC_EOI || off == APIC_ESR) && val) ||
        ((off == APIC_TPR || off == APIC_SELF_IPI) && (val & ~0xffull))) {
        return false;
    }
    if (off == APIC_ICR_LO) {
        s->icr_hi = val >> 32;
        s->icr_lo = val & ICR_LO_WRITABLE;
        apic_send_ipi(s, s->icr_lo, s->icr_hi);
        return true;
    }
    apic_reg_write(s, off, val);
    return true;
}

uint64_t apic_get_cr8(APICState *s)
{
    return s->tpr >> 4;
}

void apic_set_cr8(APICState *s, uint64_t val)
{
    s->tpr = (val & 0xf) << 4;     /* TPR[3:0] = 0 (SDM 10.8.6.1) */
    apic_update_irq(s);
}

/* ---- life cycle ---------------------------------------------------------- */

/* The registers' power-on values, which INIT gives them too (SDM
 * 11.4.7.1 and .3): everything but the ID and IA32_APIC_BASE. */
static void apic_regs_reset(APICState *s)
{
    timer_del(&s->timer);
    s->tpr = 0;
    s->svr = 0xff;
    s->ldr = 0;
    s->dfr = DFR_FLAT;
    if (apic_x2(s)) {
        apic_enter_x2apic(s);       /* x2APIC's LDR follows from the ID */
    }
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    memset(s->irr, 0, sizeof(s->irr));
    s->esr = s->esr_pending = 0;
    s->icr_lo = s->icr_hi = 0;
    for (unsigned i = 0; i < APIC_LVT_NB; i++) {
        s->lvt[i] = LVT_MASKED;
    }
    if (s->apicbase & APIC_BASE_BSP) {
        s->lvt[LVT_LINT0] = APIC_DM_EXTINT << 8;   /* virtual wire, as firmware leaves it */
    }
    s->initial_count = s->divide_conf = 0;
    s->count_start_ns = 0;
    s->tsc_deadline = 0;
    if (s->cpu) {
        apic_update_irq(s);
    }
}


void apic_reset(APICState *s)
{
    s->apicbase = APIC_DEFAULT_ADDRESS | APIC_BASE_ENABLE | (s->apicbase & APIC_BASE_BSP);
    memory_region_set_enabled(&s->mmio, true);
    memory_region_set_address(&s->mmio, APIC_DEFAULT_ADDRESS);
    apic_regs_reset(s);
    s->wait_for_sipi = !(s->apicbase & APIC_BASE_BSP);
    s->sipi_vector = -1;
}

/* sipi_vector stays: a SIPI sent after the INIT may arrive before the
 * CPU's thread takes the INIT (apic_deliver forgot older ones) */
bool apic_cpu_init(APICState *s)
{
    apic_regs_reset(s);
    s->wait_for_sipi = !(s->apicbase & APIC_BASE_BSP);
    return s->wait_for_sipi;
}

int apic_cpu_sipi(APICState *s)
{
    int vector = s->wait_for_sipi ? s->sipi_vector : -1;

    if (vector >= 0) {
        s->wait_for_sipi = false;
    }
    s->sipi_vector = -1;
    return vector;
}

APICState *apic_init(CPUState *cpu, uint32_t id, bool bsp, bool x2apic, bool tsc_deadline)
{
    APICState *s = tern_malloc0(sizeof(*s));

    s->cpu = cpu;
    s->id = id;
    s->apicbase = bsp ? APIC_BASE_BSP : 0;
    s->x2apic_supported = x2apic;
    s->tsc_deadline_supported = tsc_deadline;
    memory_region_init_io(&s->mmio, &apic_mmio_ops, s, "apic", APIC_MMIO_SIZE);
    timer_init(&s->timer, TIMER_CLOCK_VIRTUAL, apic_timer_cb, s);
    apic_reset(s);
    return s;
}

void apic_set_eoi_handler(APICState *s, APICEOIHandler fn, void *opaque)
{
    s->eoi_handler = fn;
    s->eoi_opaque = opaque;
}

void apic_destroy(APICState *s)
{
    timer_del(&s->timer);
    memory_region_destroy(&s->mmio);
    free(s);
}
