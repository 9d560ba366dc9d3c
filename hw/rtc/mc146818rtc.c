/*
 * mc146818rtc.c: the Motorola MC146818A RTC and CMOS RAM (see the header).
 *
 * Registers (datasheet names): 0-9 seconds, seconds alarm, minutes,
 * minutes alarm, hours, hours alarm, day of week, date, month, year; A-D
 * at 10-13; RAM from 14 (the PC puts the century at 0x32).
 *
 * The clock is "running" when register B's SET is clear and the divider
 * (A's DV bits) is not held in reset.  Running, the time registers are not
 * stored: reads compute them from the guest time, in the format of B's DM
 * and 24/12 bits.  Frozen (SET, or the divider in reset), the stored
 * registers are the time; leaving that state makes them the guest time
 * again.  The divider's phase (where in its second the chain is) is the
 * guest time's fraction of a second: SET leaves it running, leaving
 * divider reset puts it half a second before the next update.  The
 * update happens at the second boundary; UIP reads 1 for the 244 us
 * before it.
 *
 * Register C's flags are computed lazily, for the interval since they were
 * last brought up to date, whenever they can be seen or the schedule of
 * events changes (rtc_update_flags before every write to A, B, the time
 * or alarm registers).  The timer is armed only for the next event whose
 * interrupt is enabled, and not while IRQ is already asserted: a guest
 * with no interrupt enabled costs no host time.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/rtc/mc146818rtc.h"

enum {
    RTC_SECONDS = 0, RTC_SECONDS_ALARM = 1, RTC_MINUTES = 2, RTC_MINUTES_ALARM = 3,
    RTC_HOURS = 4, RTC_HOURS_ALARM = 5, RTC_DAY_OF_WEEK = 6, RTC_DATE = 7,
    RTC_MONTH = 8, RTC_YEAR = 9, RTC_REG_A = 10, RTC_REG_B = 11, RTC_REG_C = 12,
    RTC_REG_D = 13,
};

#define REG_A_UIP   0x80
#define REG_A_DV    0x70
#define REG_A_RS    0x0f
#define REG_A_DV_RESET 0x60      /* DV2-0 = 11x: divider held in reset */

#define REG_B_SET   0x80
#define REG_B_PIE   0x40
#define REG_B_AIE   0x20
#define REG_B_UIE   0x10
#define REG_B_SQWE  0x08
#define REG_B_DM    0x04         /* 1: binary, 0: BCD */
#define REG_B_24H   0x02
#define REG_B_DSE   0x01

#define REG_C_IRQF  0x80
#define REG_C_PF    0x40
#define REG_C_AF    0x20
#define REG_C_UF    0x10
#define REG_C_FLAGS (REG_C_PF | REG_C_AF | REG_C_UF)   /* same bits as their enables in B */

#define REG_D_VRT   0x80
#define RTC_HOURS_PM 0x80
#define RTC_ALARM_DONT_CARE 0xc0 /* 11xxxxxx in an alarm register */

#define RTC_NS      NANOSECONDS_PER_SECOND
#define RTC_XTAL_HZ 32768        /* the PC's time base */
#define RTC_UIP_NS  244000       /* UIP rises this long before the update */
#define SECS_PER_DAY 86400
#define RTC_CYCLE_FIRST_YEAR 1800

/* The registers that hold the time (computed while running). */
static bool rtc_is_time_reg(unsigned idx)
{
    switch (idx) {
    case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_DAY_OF_WEEK:
    case RTC_DATE: case RTC_MONTH: case RTC_YEAR: case RTC_REG_CENTURY:
        return true;
    }
    return false;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (any day count: the
 * day of month is added, so out-of-range days roll into later months). */
static int64_t days_from_civil(int64_t y, int m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Register format: BCD or binary by B's DM bit. */
static uint8_t rtc_to_reg(const RTCState *s, int v)
{
    return (s->cmos[RTC_REG_B] & REG_B_DM) ? (uint8_t)v : (uint8_t)(((v / 10) << 4) | (v % 10));
}

static int rtc_from_reg(const RTCState *s, uint8_t r)
{
    return (s->cmos[RTC_REG_B] & REG_B_DM) ? r : (r >> 4) * 10 + (r & 0x0f);
}

/* Hours 0-23 to the register: 1-12 with the PM bit in 12-hour mode. */
static uint8_t rtc_hour_to_reg(const RTCState *s, int h)
{
    if (s->cmos[RTC_REG_B] & REG_B_24H) {
        return rtc_to_reg(s, h);
    }
    return rtc_to_reg(s, h % 12 ? h % 12 : 12) | (h >= 12 ? RTC_HOURS_PM : 0);
}

static int rtc_hour_from_reg(const RTCState *s, uint8_t r)
{
    if (s->cmos[RTC_REG_B] & REG_B_24H) {
        return rtc_from_reg(s, r);
    }
    return rtc_from_reg(s, r & ~RTC_HOURS_PM) % 12 + ((r & RTC_HOURS_PM) ? 12 : 0);
}

static bool rtc_divider_on(const RTCState *s)
{
    return (s->cmos[RTC_REG_A] & REG_A_DV_RESET) != REG_A_DV_RESET;
}

static bool rtc_running(const RTCState *s)
{
    return !(s->cmos[RTC_REG_B] & REG_B_SET) && rtc_divider_on(s);
}

static int64_t rtc_guest_ns(const RTCState *s, int64_t vns)
{
    return vns + s->offset_ns;
}

static int64_t rtc_guest_secs(const RTCState *s, int64_t vns)
{
    return floor_div(rtc_guest_ns(s, vns), RTC_NS);
}

/* Store the guest time at vns in the time registers. */
static void rtc_latch(RTCState *s, int64_t vns)
{
    int64_t secs = rtc_guest_secs(s, vns), days = floor_div(secs, SECS_PER_DAY);
    int64_t tod = secs - days * SECS_PER_DAY, year;
    int month, date;

    civil_from_days(days, &year, &month, &date);
    s->cmos[RTC_SECONDS] = rtc_to_reg(s, (int)(tod % 60));
    s->cmos[RTC_MINUTES] = rtc_to_reg(s, (int)(tod / 60 % 60));
    s->cmos[RTC_HOURS] = rtc_hour_to_reg(s, (int)(tod / 3600));
    s->cmos[RTC_DAY_OF_WEEK] = rtc_to_reg(s, (int)floor_mod(days + 4, 7) + 1);  /* 1970-01-01: Thursday; Sunday = 1 */
    s->cmos[RTC_DATE] = rtc_to_reg(s, date);
    s->cmos[RTC_MONTH] = rtc_to_reg(s, month);
    year += s->era_years;
    s->cmos[RTC_YEAR] = rtc_to_reg(s, (int)floor_mod(year, 100));
    s->cmos[RTC_REG_CENTURY] = rtc_to_reg(s, (int)floor_div(year, 100));
}

/* Make the time registers the guest time at vns, phase_ns into its second.
 * Out-of-range fields roll over arithmetically (a month is clamped).  The
 * year goes into the 400-year Gregorian cycle 1800-2199 (which repeats
 * dates and weekdays exactly) so that nanoseconds since 1970 fit in 64
 * bits for any register contents; era_years keeps the difference. */
static void rtc_set_time_from_regs(RTCState *s, int64_t vns, int64_t phase_ns)
{
    int64_t year = rtc_from_reg(s, s->cmos[RTC_REG_CENTURY]) * 100
                   + rtc_from_reg(s, s->cmos[RTC_YEAR]);
    int64_t cycle_year = RTC_CYCLE_FIRST_YEAR + floor_mod(year - RTC_CYCLE_FIRST_YEAR, 400);
    int month = MIN(MAX(rtc_from_reg(s, s->cmos[RTC_MONTH]), 1), 12);
    int64_t days = days_from_civil(cycle_year, month, rtc_from_reg(s, s->cmos[RTC_DATE]));
    int64_t secs = days * SECS_PER_DAY + rtc_hour_from_reg(s, s->cmos[RTC_HOURS]) * 3600
                   + rtc_from_reg(s, s->cmos[RTC_MINUTES]) * 60
                   + rtc_from_reg(s, s->cmos[RTC_SECONDS]);

    s->era_years = year - cycle_year;
    s->offset_ns = secs * RTC_NS + phase_ns - vns;
}

/* Periodic interrupt period in 32.768 kHz ticks by RS3-0 (0: none):
 * 0001 and 0010 are 256 and 128 Hz, 0011-1111 are 8192 Hz down to 2 Hz. */
static int64_t rtc_period_ticks(const RTCState *s)
{
    unsigned rs = s->cmos[RTC_REG_A] & REG_A_RS;

    if (!rs) {
        return 0;
    }
    return (int64_t)1 << (rs <= 2 ? rs + 6 : rs - 1);
}

/* The divider chain's 32.768 kHz ticks at vns (guest time in ticks). */
static int64_t rtc_ticks(const RTCState *s, int64_t vns)
{
    int64_t g = rtc_guest_ns(s, vns);

    return floor_div(g, RTC_NS) * RTC_XTAL_HZ + floor_mod(g, RTC_NS) * RTC_XTAL_HZ / RTC_NS;
}

/* The first virtual ns at which the chain has counted ticks. */
static int64_t rtc_ticks_to_vns(const RTCState *s, int64_t ticks)
{
    int64_t frac = floor_mod(ticks, RTC_XTAL_HZ);

    return floor_div(ticks, RTC_XTAL_HZ) * RTC_NS + (frac * RTC_NS + RTC_XTAL_HZ - 1) / RTC_XTAL_HZ
           - s->offset_ns;
}

/* An alarm register as a value to match: -2 don't care, -1 never matches
 * (no time register can hold it), else the field in binary. */
static int rtc_alarm_field(const RTCState *s, unsigned idx, int limit)
{
    uint8_t r = s->cmos[idx];
    int v;

    if ((r & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE) {
        return -2;
    }
    if (idx == RTC_HOURS_ALARM) {
        v = rtc_hour_from_reg(s, r);
        return rtc_hour_to_reg(s, v) == r ? v : -1;
    }
    v = rtc_from_reg(s, r);
    return v < limit && rtc_to_reg(s, v) == r ? v : -1;
}

/* The first guest second after secs whose time matches the alarm registers,
 * or INT64_MAX: a minute-by-minute walk through the next day at most. */
static int64_t rtc_next_alarm(const RTCState *s, int64_t secs)
{
    int as = rtc_alarm_field(s, RTC_SECONDS_ALARM, 60);
    int am = rtc_alarm_field(s, RTC_MINUTES_ALARM, 60);
    int ah = rtc_alarm_field(s, RTC_HOURS_ALARM, 24);
    int64_t day = floor_div(secs, SECS_PER_DAY), tod = secs - day * SECS_PER_DAY;

    if (as == -1 || am == -1 || ah == -1) {
        return INT64_MAX;
    }
    for (int64_t min = tod / 60; min <= tod / 60 + 24 * 60; min++) {
        int64_t first;

        if ((ah >= 0 && ah != min / 60 % 24) || (am >= 0 && am != min % 60)) {
            continue;
        }
        first = min * 60 + (as >= 0 ? as : 0);
        if (as < 0 && first <= tod) {
            first = tod + 1;
        }
        if (first > tod && first < (min + 1) * 60) {
            return day * SECS_PER_DAY + first;
        }
    }
    return INT64_MAX;
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE, and the IRQ pin follows it. */
static void rtc_update_irq(RTCState *s)
{
    int level = (s->cmos[RTC_REG_C] & s->cmos[RTC_REG_B] & REG_C_FLAGS) != 0;

    s->cmos[RTC_REG_C] = (s->cmos[RTC_REG_C] & ~REG_C_IRQF) | (level ? REG_C_IRQF : 0);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_line_set(s->irq, level);
    }
}

/* Set the flags of the events in (flags_vns, vns]. */
static void rtc_update_flags(RTCState *s, int64_t vns)
{
    int64_t t0 = s->flags_vns, period = rtc_period_ticks(s);

    if (vns <= t0) {
        return;
    }
    if (period && rtc_divider_on(s)
        && floor_div(rtc_ticks(s, vns), period) > floor_div(rtc_ticks(s, t0), period)) {
        s->cmos[RTC_REG_C] |= REG_C_PF;
    }
    if (rtc_running(s)) {
        int64_t s0 = rtc_guest_secs(s, t0), s1 = rtc_guest_secs(s, vns);

        if (s1 > s0) {
            s->cmos[RTC_REG_C] |= REG_C_UF;
            if (rtc_next_alarm(s, s0) <= s1) {
                s->cmos[RTC_REG_C] |= REG_C_AF;
            }
        }
    }
    s->flags_vns = vns;
    rtc_update_irq(s);
}

/* Arm the timer for the next event whose interrupt is enabled, unless IRQ
 * is already asserted (nothing can change until register C is read). */
static void rtc_arm_timer(RTCState *s, int64_t vns)
{
    uint8_t b = s->cmos[RTC_REG_B];
    int64_t next = INT64_MAX, period = rtc_period_ticks(s);

    if (!s->irq_level && (b & REG_B_PIE) && period && rtc_divider_on(s)) {
        next = rtc_ticks_to_vns(s, (floor_div(rtc_ticks(s, vns), period) + 1) * period);
    }
    if (!s->irq_level && (b & (REG_B_UIE | REG_B_AIE)) && rtc_running(s)) {
        int64_t secs = rtc_guest_secs(s, vns);
        int64_t at = (b & REG_B_UIE) ? secs + 1 : rtc_next_alarm(s, secs);

        if (at != INT64_MAX) {
            next = MIN(next, at * RTC_NS - s->offset_ns);
        }
    }
    if (next == INT64_MAX) {
        timer_del(&s->timer);
    } else {
        timer_mod(&s->timer, next);
    }
}

static void rtc_timer_cb(void *opaque)
{
    RTCState *s = opaque;
    int64_t vns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);

    rtc_update_flags(s, vns);
    rtc_arm_timer(s, vns);
}

/* Write A or B: the clock may freeze or restart. */
static void rtc_write_control(RTCState *s, unsigned idx, uint8_t val, int64_t vns)
{
    bool was_running = rtc_running(s), was_dividing = rtc_divider_on(s);
    int64_t phase = floor_mod(rtc_guest_ns(s, vns), RTC_NS);

    if (was_running) {
        rtc_latch(s, vns);       /* the registers keep the time from here */
    }
    if (idx == RTC_REG_A) {
        val = (val & ~REG_A_UIP) | (s->cmos[RTC_REG_A] & REG_A_UIP);   /* UIP is read-only */
    } else if (val & REG_B_SET) {
        val &= ~REG_B_UIE;       /* SET clears UIE */
    }
    s->cmos[idx] = val;
    if (!was_dividing && rtc_divider_on(s)) {
        phase = RTC_NS / 2;      /* first update 500 ms after leaving reset */
        rtc_set_time_from_regs(s, vns, phase);
    } else if (!was_running && rtc_running(s)) {
        rtc_set_time_from_regs(s, vns, phase);
    }
}

static uint64_t rtc_read(void *opaque, uint64_t addr, unsigned size)
{
    RTCState *s = opaque;
    int64_t vns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    unsigned idx = s->index;
    uint8_t val;

    if (addr == 0) {
        return 0xff;             /* the index port is write-only on the PC */
    }
    if (rtc_is_time_reg(idx) && rtc_running(s)) {
        rtc_latch(s, vns);
    }
    switch (idx) {
    case RTC_REG_A:
        val = s->cmos[RTC_REG_A] & ~REG_A_UIP;
        if (rtc_running(s) && floor_mod(rtc_guest_ns(s, vns), RTC_NS) >= RTC_NS - RTC_UIP_NS) {
            val |= REG_A_UIP;
        }
        return val;
    case RTC_REG_C:
        rtc_update_flags(s, vns);
        val = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;  /* reading C clears it and releases IRQ */
        rtc_update_irq(s);
        rtc_arm_timer(s, vns);
        return val;
    case RTC_REG_D:
        return REG_D_VRT;
    }
    return s->cmos[idx];
}

static void rtc_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    RTCState *s = opaque;
    int64_t vns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);
    unsigned idx = s->index;
    uint8_t val = (uint8_t)val64;

    if (addr == 0) {
        s->index = val & 0x7f;
        s->nmi_disabled = val & 0x80;
        return;
    }
    if (idx > RTC_REG_D && !rtc_is_time_reg(idx)) {
        s->cmos[idx] = val;      /* RAM */
        return;
    }
    rtc_update_flags(s, vns);    /* events so far, under the old settings */
    switch (idx) {
    case RTC_REG_A:
    case RTC_REG_B:
        rtc_write_control(s, idx, val, vns);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        log_mask(LOG_GUEST_ERROR, "rtc: write 0x%02x to read-only register %c\n", val,
                 'A' + idx - RTC_REG_A);
        return;
    default:
        if (rtc_is_time_reg(idx) && rtc_running(s)) {
            int64_t phase = floor_mod(rtc_guest_ns(s, vns), RTC_NS);

            rtc_latch(s, vns);
            s->cmos[idx] = val;
            rtc_set_time_from_regs(s, vns, phase);
        } else {
            s->cmos[idx] = val;  /* frozen time or an alarm register */
        }
        break;
    }
    rtc_update_irq(s);
    rtc_arm_timer(s, vns);
}

static const MemoryRegionOps rtc_io_ops = {
    .read = rtc_read,
    .write = rtc_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void rtc_reset(RTCState *s)
{
    int64_t vns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);

    s->cmos[RTC_REG_B] &= ~(REG_B_PIE | REG_B_AIE | REG_B_UIE | REG_B_SQWE);
    s->cmos[RTC_REG_C] = 0;
    s->flags_vns = vns;
    rtc_update_irq(s);
    rtc_arm_timer(s, vns);
}

RTCState *rtc_init(MemoryRegion *io, uint64_t base, IRQLine *irq, int64_t shift_ns)
{
    RTCState *s = tern_malloc0(sizeof(*s));
    int64_t vns = timer_clock_ns(TIMER_CLOCK_VIRTUAL);

    s->irq = irq;
    timer_init(&s->timer, TIMER_CLOCK_VIRTUAL, rtc_timer_cb, s);
    s->cmos[RTC_REG_A] = 0x26;   /* 32.768 kHz divider, 1024 Hz: as a BIOS leaves it */
    s->cmos[RTC_REG_B] = REG_B_24H;
    s->offset_ns = timer_clock_ns(TIMER_CLOCK_HOST) + shift_ns - vns;
    s->flags_vns = vns;
    s->irq_level = -1;           /* rtc_reset drives the line to a known level */
    memory_region_init_io(&s->io, &rtc_io_ops, s, "rtc", 2);
    memory_region_add_subregion(io, base, &s->io);
    rtc_reset(s);
    return s;
}

void rtc_destroy(RTCState *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    timer_del(&s->timer);
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}

void rtc_cmos_set(RTCState *s, unsigned addr, uint8_t val)
{
    if (addr > RTC_REG_D && addr < RTC_CMOS_SIZE && !rtc_is_time_reg(addr)) {
        s->cmos[addr] = val;
    }
}

bool rtc_nmi_disabled(const RTCState *s)
{
    return s->nmi_disabled;
}
