// tern-kvm: allow readback/*held* KVM's in-kernel PIT (kernel-irqchip=on) counts channel 2 with its gate low
// tern-kvm: allow readback/counts-down KVM's in-kernel PIT (kernel-irqchip=on) counts channel 2 with its gate low, so it is not at 0x1234 when the gate opens
// tern-kvm: allow readback/control-reads-ff KVM's in-kernel PIT answers reads of the write-only control port 0x43 itself, without an exit (not 0xff as an 8254 does)
// tern-nested: allow linux-loop/many-polls each exit costs about 0.1 ms nested, so a loaded host polls port 0x61 fewer than 100 times in 10 ms
// tern-nested: allow calibrate/run each exit costs about 0.1 ms nested, so no PIT latch read is bracketed within 20 us
// tern-kvm: allow calibrate/sane the TSC is the host's under KVM, not tern's 2 GHz one
/*
 * pit.c: the 8254 PIT and port 0x61 as a kernel drives them.
 *
 * - Linux's pit_calibrate_tsc loop: counter 2 in mode 0 with a 10 ms
 *   count, gate 2 on and the speaker off through port 0x61, then poll 0x61
 *   bit 5 (OUT 2): it must rise, and not before 10 ms of TSC time.  (On a
 *   loaded host a poll can be held up for milliseconds, so this loop
 *   cannot measure the rate here.)
 * - The TSC rate against counter 2, as quick_pit_calibrate measures it:
 *   counts read between two close TSC reads, 40 ms apart.  Three runs must
 *   agree within 0.5% and give tern's TSC rate, 2 GHz
 *   (target-x86/misc_insn_helper.c), within 1%.
 * - Read-back: with gate 2 low a loaded mode 0 count stands still, so the
 *   count and status bytes are exact; with the gate on, latched counts go
 *   down; counter 0 in mode 2 reports OUT high and its mode.
 * - Port 0x61: bits 6-7 read 0, bit 4 (refresh) toggles.
 * Native build: skipped, port I/O needs ring 0.
 */
#include "tern.h"

#define PIT_CH0     0x40
#define PIT_CH2     0x42
#define PIT_CTRL    0x43
#define PORT61      0x61
#define PIT_HZ      1193182u
#define TERN_TSC_HZ 2000000000ull

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint16_t latch_read(uint16_t port, uint8_t latch_cmd)
{
    outb(PIT_CTRL, latch_cmd);
    uint8_t lo = inb(port);

    return (uint16_t)(lo | inb(port) << 8);
}

/* Linux's pit_calibrate_tsc loop: counter 2 in mode 0 with a 10 ms count,
 * poll OUT 2 in port 0x61 bit 5.  Returns the TSC ticks from the count
 * write until OUT was seen high (0: it never rose within 1 s). */
static uint64_t linux_poll_loop(unsigned *polls)
{
    const uint32_t latch = PIT_HZ / 100;
    uint64_t t0;

    *polls = 0;
    outb(PORT61, (inb(PORT61) & ~0x02) | 0x01);
    outb(PIT_CTRL, 0xb0);                   /* counter 2, LSB/MSB, mode 0 */
    outb(PIT_CH2, latch & 0xff);
    outb(PIT_CH2, latch >> 8);              /* the count starts here */
    t0 = rdtsc();
    while (!(inb(PORT61) & 0x20)) {
        if (rdtsc() - t0 > TERN_TSC_HZ) {
            return 0;
        }
        (*polls)++;
    }
    return rdtsc() - t0;
}

/* Counter 2's count and the TSC at its read, bracketed within 20 us (a
 * read the host interrupted is retried, as quick_pit_calibrate does). */
static int pit_sample(uint64_t *tsc, uint16_t *count)
{
    for (int tries = 0; tries < 1000; tries++) {
        uint64_t a = rdtsc();
        uint16_t c = latch_read(PIT_CH2, 0x80);
        uint64_t b = rdtsc();

        if (b - a < TERN_TSC_HZ / 50000) {
            *tsc = a + (b - a) / 2;
            *count = c;
            return 1;
        }
    }
    return 0;
}

/* TSC ticks per second over 40 ms of counter 2 (mode 0 from 0xffff), or
 * 0 if no clean sample came or the host stalled past the 55 ms count. */
static uint64_t tsc_hz_once(void)
{
    uint64_t t1, t2;
    uint16_t c1, c2;

    outb(PORT61, (inb(PORT61) & ~0x02) | 0x01);
    outb(PIT_CTRL, 0xb0);
    outb(PIT_CH2, 0xff);
    outb(PIT_CH2, 0xff);
    if (!pit_sample(&t1, &c1)) {
        return 0;
    }
    while (rdtsc() - t1 < TERN_TSC_HZ / 25) {
    }
    if (!pit_sample(&t2, &c2) || t2 - t1 > TERN_TSC_HZ / 20 || c2 >= c1) {
        return 0;
    }
    return (t2 - t1) * PIT_HZ / (c1 - c2);
}

static void test_calibration(void)
{
    uint64_t hz[3], lo = UINT64_MAX, hi = 0, dt = 0;
    unsigned polls;

    /* OUT 2 rises, and never before the 10 ms have passed (a host that
     * takes the CPU away can only make it late) */
    test_group("linux-loop");
    for (int i = 0; i < 3; i++) {
        dt = linux_poll_loop(&polls);
        CHECK_NAMED("out2-rises", dt != 0);
        CHECK_NAMED("many-polls", polls > 100);      /* the loop ran, not one slow read */
        CHECK_NAMED("not-early", dt >= TERN_TSC_HZ / 100 * 995 / 1000);
    }
    tern_printf("  last run: %u us, %u polls\n", (unsigned)(dt / (TERN_TSC_HZ / 1000000)), polls);

    test_group("calibrate");
    for (int i = 0; i < 3; i++) {
        hz[i] = 0;
        for (int tries = 0; tries < 20 && !hz[i]; tries++) {
            hz[i] = tsc_hz_once();
        }
        CHECK_NAMED("run", hz[i] != 0);
        lo = hz[i] < lo ? hz[i] : lo;
        hi = hz[i] > hi ? hz[i] : hi;
        tern_printf("  tsc: %u kHz\n", (unsigned)(hz[i] / 1000));
    }
    CHECK_NAMED("stable", (hi - lo) * 200 <= lo);
    CHECK_NAMED("sane", lo >= TERN_TSC_HZ * 99 / 100 && hi <= TERN_TSC_HZ * 101 / 100);
}

static void test_readback(void)
{
    test_group("readback");
    outb(PORT61, inb(PORT61) & ~0x03);      /* gate 2 low: counter 2 holds */
    outb(PIT_CTRL, 0xb0);
    outb(PIT_CH2, 0x34);
    outb(PIT_CH2, 0x12);
    outb(PIT_CTRL, 0xc8);                   /* read-back count + status, counter 2 */
    CHECK_EQ_NAMED("status-mode0", inb(PIT_CH2), 0x30);
    CHECK_EQ_NAMED("count-held-lsb", inb(PIT_CH2), 0x34);
    CHECK_EQ_NAMED("count-held-msb", inb(PIT_CH2), 0x12);
    CHECK_EQ_NAMED("latch-held", latch_read(PIT_CH2, 0x80), 0x1234);

    outb(PORT61, inb(PORT61) | 0x01);       /* gate on: counting */
    uint16_t a = latch_read(PIT_CH2, 0x80);
    for (volatile int i = 0; i < 20000; i++) {
    }
    uint16_t b = latch_read(PIT_CH2, 0x80);
    CHECK_NAMED("counts-down", b < a && a <= 0x1234);

    outb(PIT_CTRL, 0x34);                   /* counter 0, mode 2, 1 ms */
    outb(PIT_CH0, (PIT_HZ / 1000) & 0xff);
    outb(PIT_CH0, (PIT_HZ / 1000) >> 8);
    outb(PIT_CTRL, 0xe2);                   /* status only, counter 0 */
    CHECK_EQ_NAMED("status-mode2", inb(PIT_CH0) & ~0x80, 0x34);
    uint16_t c = latch_read(PIT_CH0, 0x00);
    CHECK_NAMED("mode2-range", c >= 1 && c <= PIT_HZ / 1000);
    CHECK_EQ_NAMED("control-reads-ff", inb(PIT_CTRL), 0xff);
    outb(PIT_CTRL, 0x30);                   /* counter 0 off again: mode 0, no count */
}

static void test_port61(void)
{
    uint8_t first = inb(PORT61) & 0x10;
    int toggled = 0;

    test_group("port61");
    CHECK_EQ_NAMED("nmi-status-clear", inb(PORT61) & 0xc0, 0);
    outb(PORT61, 0xf2);
    CHECK_EQ_NAMED("writable-bits", inb(PORT61) & 0x0f, 0x02);
    for (uint64_t t0 = rdtsc(); rdtsc() - t0 < TERN_TSC_HZ / 100 && !toggled;) {
        toggled = (inb(PORT61) & 0x10) != first;
    }
    CHECK_NAMED("refresh-toggles", toggled);
    outb(PORT61, 0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_calibration();
    test_readback();
    test_port61();
    test_done();
}
