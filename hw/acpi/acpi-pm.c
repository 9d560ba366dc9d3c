/*
 * acpi-pm.c: the ACPI PM1a event and control blocks and the PM timer
 * (see acpi-pm.h).  Accesses come with the machine lock held.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/acpi/acpi-pm.h"
#include "sysemu/runstate.h"

#define ACPI_PM_EVT_OFF     0
#define ACPI_PM_CNT_OFF     4
#define ACPI_PM_TMR_OFF     8

#define ACPI_PM1_STS_W1C    (ACPI_PM1_TMR | ACPI_PM1_PWRBTN | ACPI_PM1_WAK)
#define ACPI_PM1_EN_RW      (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | \
                             ACPI_PM1_SLPBTN | ACPI_PM1_RTC)
#define ACPI_PM1_CNT_RW     (ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SLP_TYP)
#define ACPI_SLP_TYP_S5     0       /* the DSDT's _S5 package */

/* TMR_STS sets each time bit 31 of the counter changes: every 2^31 ticks. */
#define ACPI_PM_TMR_MSB_PERIOD (1ull << 31)

static uint64_t acpi_pm_tick_of_ns(int64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * ACPI_PM_TIMER_HZ / NANOSECONDS_PER_SECOND);
}

/* The first ns at which the counter has reached tick. */
static int64_t acpi_pm_ns_of_tick(uint64_t tick)
{
    return (int64_t)(((unsigned __int128)tick * NANOSECONDS_PER_SECOND + ACPI_PM_TIMER_HZ - 1) /
                     ACPI_PM_TIMER_HZ);
}

static uint64_t acpi_pm_now_tick(void)
{
    return acpi_pm_tick_of_ns(timer_clock_ns(TIMER_CLOCK_VIRTUAL));
}

static uint64_t acpi_pm_next_toggle(uint64_t tick)
{
    return (tick / ACPI_PM_TMR_MSB_PERIOD + 1) * ACPI_PM_TMR_MSB_PERIOD;
}

uint32_t acpi_pm_timer_value(ACPIPMState *s)
{
    return (uint32_t)acpi_pm_now_tick();
}

/* Bring TMR_STS up to now, arm the overflow Timer while TMR_EN asks for
 * an interrupt, and drive the SCI from PM1_STS & PM1_EN. */
static void acpi_pm_update(ACPIPMState *s)
{
    uint64_t tick = acpi_pm_now_tick();
    int level;

    if (tick >= s->next_toggle) {
        s->sts |= ACPI_PM1_TMR;
        s->next_toggle = acpi_pm_next_toggle(tick);
    }
    if (s->en & ACPI_PM1_TMR) {
        /* never in the past: a callback that re-arms there would spin */
        timer_mod(&s->overflow, MAX(acpi_pm_ns_of_tick(s->next_toggle),
                                    timer_clock_ns(TIMER_CLOCK_VIRTUAL) + 1));
    } else {
        timer_del(&s->overflow);
    }
    level = (s->sts & s->en) != 0;
    if (level != s->sci_level) {
        s->sci_level = level;
        irq_line_set(s->sci, level);
    }
}

static void acpi_pm_overflow_cb(void *opaque)
{
    acpi_pm_update(opaque);
}

/* The 16-bit registers take byte and word accesses: a byte write changes
 * only its byte (the core passes it at the byte's own offset). */
static uint16_t acpi_pm_byte_mask(uint64_t addr, unsigned size)
{
    return size == 2 ? 0xffff : (uint16_t)(0xff << (addr & 1) * 8);
}

static uint16_t acpi_pm_shift_in(uint64_t addr, uint64_t val, unsigned size)
{
    return (uint16_t)(val << (size == 2 ? 0 : (addr & 1) * 8));
}

static uint64_t acpi_pm_shift_out(uint64_t addr, uint16_t reg, unsigned size)
{
    return size == 2 ? reg : (reg >> (addr & 1) * 8) & 0xff;
}

static uint64_t acpi_pm_evt_read(void *opaque, uint64_t addr, unsigned size)
{
    ACPIPMState *s = opaque;

    acpi_pm_update(s);
    return acpi_pm_shift_out(addr, addr & 2 ? s->en : s->sts, size);
}

static void acpi_pm_evt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ACPIPMState *s = opaque;
    uint16_t mask = acpi_pm_byte_mask(addr, size);
    uint16_t v = acpi_pm_shift_in(addr, val, size) & mask;

    acpi_pm_update(s);          /* a due TMR_STS is set before it can be cleared */
    if (addr & 2) {
        s->en = (s->en & ~mask) | (v & ACPI_PM1_EN_RW);
    } else {
        s->sts &= ~(v & ACPI_PM1_STS_W1C);
    }
    acpi_pm_update(s);
}

static uint64_t acpi_pm_cnt_read(void *opaque, uint64_t addr, unsigned size)
{
    ACPIPMState *s = opaque;

    return acpi_pm_shift_out(addr, s->cnt_val | ACPI_PM1_CNT_SCI_EN, size);
}

static void acpi_pm_sleep(ACPIPMState *s, unsigned slp_typ)
{
    if (slp_typ == ACPI_SLP_TYP_S5) {
        log_mask(LOG_INT, "acpi-pm: S5 power off\n");
        runstate_request_guest_shutdown();
        return;
    }
    log_mask(LOG_UNIMP, "acpi-pm: sleep with SLP_TYP %u is not supported, ignored\n", slp_typ);
}

static void acpi_pm_cnt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ACPIPMState *s = opaque;
    uint16_t mask = acpi_pm_byte_mask(addr, size);
    uint16_t v = acpi_pm_shift_in(addr, val, size) & mask;

    s->cnt_val = (s->cnt_val & ~mask) | (v & ACPI_PM1_CNT_RW);
    if (v & ACPI_PM1_CNT_SLP_EN) {
        acpi_pm_sleep(s, (s->cnt_val & ACPI_PM1_CNT_SLP_TYP) >> ACPI_PM1_CNT_SLP_TYP_SHIFT);
    }
}

static uint64_t acpi_pm_tmr_read(void *opaque, uint64_t addr, unsigned size)
{
    return acpi_pm_timer_value(opaque);
}

static const MemoryRegionOps acpi_pm_evt_ops = {
    .read = acpi_pm_evt_read,
    .write = acpi_pm_evt_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

static const MemoryRegionOps acpi_pm_cnt_ops = {
    .read = acpi_pm_cnt_read,
    .write = acpi_pm_cnt_write,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

/* Read-only: a write is a guest error (-d guest_errors) and is dropped. */
static const MemoryRegionOps acpi_pm_tmr_ops = {
    .read = acpi_pm_tmr_read,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

void acpi_pm_power_button(ACPIPMState *s)
{
    s->sts |= ACPI_PM1_PWRBTN;
    acpi_pm_update(s);
}

void acpi_pm_reset(ACPIPMState *s)
{
    s->sts = 0;
    s->en = 0;
    s->cnt_val = 0;
    s->next_toggle = acpi_pm_next_toggle(acpi_pm_now_tick());
    acpi_pm_update(s);
}

ACPIPMState *acpi_pm_init(MemoryRegion *io, uint16_t base, IRQLine *sci)
{
    ACPIPMState *s = tern_malloc0(sizeof(*s));

    s->sci = sci;
    timer_init(&s->overflow, TIMER_CLOCK_VIRTUAL, acpi_pm_overflow_cb, s);
    memory_region_init_container(&s->io, "acpi-pm", ACPI_PM_IO_SIZE);
    memory_region_init_io(&s->evt, &acpi_pm_evt_ops, s, "acpi-pm1-evt", 4);
    memory_region_init_io(&s->cnt, &acpi_pm_cnt_ops, s, "acpi-pm1-cnt", 2);
    memory_region_init_io(&s->tmr, &acpi_pm_tmr_ops, s, "acpi-pm-tmr", 4);
    memory_region_add_subregion(&s->io, ACPI_PM_EVT_OFF, &s->evt);
    memory_region_add_subregion(&s->io, ACPI_PM_CNT_OFF, &s->cnt);
    memory_region_add_subregion(&s->io, ACPI_PM_TMR_OFF, &s->tmr);
    memory_region_add_subregion(io, base, &s->io);
    acpi_pm_reset(s);
    return s;
}

void acpi_pm_destroy(ACPIPMState *s, MemoryRegion *io)
{
    timer_del(&s->overflow);
    memory_region_del_subregion(io, &s->io);
    memory_region_del_subregion(&s->io, &s->evt);
    memory_region_del_subregion(&s->io, &s->cnt);
    memory_region_del_subregion(&s->io, &s->tmr);
    memory_region_destroy(&s->evt);
    memory_region_destroy(&s->cnt);
    memory_region_destroy(&s->tmr);
    memory_region_destroy(&s->io);
    free(s);
}
