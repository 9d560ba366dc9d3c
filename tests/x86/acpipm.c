/*
 * acpipm.c: the ACPI PM registers the FADT describes (docs/pc.md, "ACPI
 * power management"), as a kernel's ACPI code uses them.
 *
 * - PM1a_CNT (0x604) reads SCI_EN: the machine is always in ACPI mode.
 * - The PM timer (0x608) never goes back between reads and runs at about
 *   3.579545 MHz against the TSC (tern's TSC: 2 GHz, tests/x86/pit.c)
 *   over 40 ms; the bound is 2x either way, as a loaded host can stall
 *   the vCPU between a TSC read and a port read.
 * - PM1_STS bits clear by writing 1; PM1_EN reads back.
 * - Then SLP_TYP 0 (the DSDT's _S5) with SLP_EN powers off: tern exits
 *   with status 0 before test_done() runs.
 * Native build: skipped, port I/O needs ring 0.
 */
// tern-expect-status: 0
#include "tern.h"

#define PM1_STS       0x600
#define PM1_EN        0x602
#define PM1_CNT       0x604
#define PM_TMR        0x608
#define SCI_EN        0x0001
#define PWRBTN        0x0100
#define SLP_EN        0x2000
#define PM_TIMER_HZ   3579545ull
#define TERN_TSC_HZ   2000000000ull

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* PM timer ticks over about 40 ms of TSC time. */
static uint64_t pm_ticks_in_40ms(uint64_t *tsc_elapsed)
{
    uint64_t t0 = rdtsc(), t1;
    uint32_t p0 = inl(PM_TMR), p1;

    while (rdtsc() - t0 < TERN_TSC_HZ / 25) {
    }
    p1 = inl(PM_TMR);
    t1 = rdtsc();
    *tsc_elapsed = t1 - t0;
    return (uint32_t)(p1 - p0);     /* 32-bit counter: wraps every 20 min */
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("port I/O needs ring 0");
    }
    test_group("acpipm");
    CHECK_NAMED("sci-en", inw(PM1_CNT) & SCI_EN);

    uint32_t prev = inl(PM_TMR);
    int backwards = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t now = inl(PM_TMR);
        backwards |= (int32_t)(now - prev) < 0;
        prev = now;
    }
    CHECK_NAMED("timer-monotonic", !backwards);

    uint64_t tsc, ticks = pm_ticks_in_40ms(&tsc);
    uint64_t want = tsc * PM_TIMER_HZ / TERN_TSC_HZ;
    tern_printf("  pm timer: %u ticks in %u TSC kcycles (want about %u)\n",
                (unsigned)ticks, (unsigned)(tsc / 1000), (unsigned)want);
    CHECK_NAMED("timer-rate", ticks >= want / 2 && ticks <= want * 2);

    outw(PM1_EN, PWRBTN);
    CHECK_EQ_NAMED("en-readback", inw(PM1_EN), PWRBTN);
    outw(PM1_EN, 0);
    outw(PM1_STS, 0xffff);      /* clears whatever is set */
    CHECK_EQ_NAMED("sts-w1c", inw(PM1_STS) & PWRBTN, 0);

    /* S5: SLP_TYP 0, then SLP_EN */
    outw(PM1_CNT, 0);
    outw(PM1_CNT, SLP_EN);
    CHECK_NAMED("poweroff", 0);
    test_done();
}
