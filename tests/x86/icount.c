// tern-args: -icount shift=0
// tern-kvm: skip -icount counts TCG's instructions (not allowed with KVM)
/*
 * icount.c: -icount's exact instruction counting (docs/tcg-ir.md,
 * "Instruction counting").  Under -icount shift=S the virtual clock is
 * instructions << S ns (plus idle time) and the TSC, at 2 GHz, follows
 * it, so:
 *   - RDTSC around a loop of n iterations of two instructions differs by
 *     exactly (2n + 4) << S << 1 ticks (the 4: the instructions after the
 *     first RDTSC and the second one itself); S is found from n = 1 and
 *     the other counts must agree, also with a masked APIC timer cutting
 *     the loop's blocks at odd points (its deadlines end the vCPU's
 *     budget mid-block);
 *   - a one-shot APIC timer of T ns (divide by 1: 1 ns a count) armed by
 *     a store interrupts a one-instruction loop (LOOP) after exactly
 *     ceil(T / 2^S) of its instructions, before the next one;
 *   - a timer that ends a HLT: the clock jumps to its deadline.
 * Every value is printed on an "icount:" line, so that two runs can be
 * compared (tests/scripts/suite-icount.sh: identical output).  Any shift
 * works; suite-x86 runs it with the "tern-args" line's.  Guest only.
 */
#include "tern.h"

#define APIC_BASE   0xfee00000ul
#define APIC_EOI    0xb0
#define APIC_SVR    0xf0
#define APIC_LVTT   0x320
#define APIC_TMICT  0x380
#define APIC_TDCR   0x3e0
#define VEC_TIMER   0x50
#define LVT_MASKED  0x10000u
#define LVT_PERIODIC 0x20000u

static volatile uint32_t *const apic = (volatile uint32_t *)APIC_BASE;

static void apic_wr(unsigned off, uint32_t v) { apic[off / 4] = v; }

/* rdi = n >= 1: the TSC ticks from the first RDTSC to the second. */
uint64_t icount_loop(uint64_t n);
__asm__(
    "    .text\n"
    "    .globl icount_loop\n"
    "icount_loop:\n"
    "    mov %rdi, %rcx\n"
    "    rdtsc\n"
    "    shl $32, %rdx\n"
    "    or %rdx, %rax\n"
    "    mov %rax, %r8\n"
    "1:  dec %rcx\n"
    "    jnz 1b\n"
    "    rdtsc\n"
    "    shl $32, %rdx\n"
    "    or %rdx, %rax\n"
    "    sub %r8, %rax\n"
    "    ret\n");

/* rdi = the TMICT register, esi = T, rdx = n: arm the timer, then run
 * LOOP n times at most; returns rCX (the ISR makes the loop end at its
 * next iteration). */
uint64_t icount_timer(volatile uint32_t *tmict, uint32_t t, uint64_t n);
extern char icount_timer_loop[];
__asm__(
    "    .text\n"
    "    .globl icount_timer\n"
    "icount_timer:\n"
    "    mov %rdx, %rcx\n"
    "    sti\n"
    "    movl %esi, (%rdi)\n"
    "    .globl icount_timer_loop\n"
    "icount_timer_loop:\n"
    "    loop icount_timer_loop\n"
    "    cli\n"
    "    mov %rcx, %rax\n"
    "    ret\n");

/* The timer's interrupt: note the interrupted rip and rCX, set rCX to 1
 * (LOOP falls through next), EOI. */
volatile uint64_t isr_rip, isr_rcx, isr_count;
void icount_isr(void);
__asm__(
    "    .text\n"
    "    .globl icount_isr\n"
    "icount_isr:\n"
    "    push %rax\n"
    "    mov 8(%rsp), %rax\n"
    "    mov %rax, isr_rip(%rip)\n"
    "    mov %rcx, isr_rcx(%rip)\n"
    "    incq isr_count(%rip)\n"
    "    mov $1, %ecx\n"
    "    mov $0xfee000b0, %eax\n"
    "    movl $0, (%rax)\n"
    "    pop %rax\n"
    "    iretq\n");

static void isr_dummy(unsigned vector)
{
    (void)vector;
}

/* Point vector's gate at icount_isr (after tern_irq_set built the IDT). */
static void isr_install(int vector)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
    uint64_t a = (uint64_t)(uintptr_t)icount_isr;
    uint64_t *g;

    tern_irq_set(vector, isr_dummy);
    __asm__ volatile("sidt %0" : "=m"(idtr));
    g = (uint64_t *)(uintptr_t)(idtr.base + 16 * (unsigned)vector);
    g[0] = (a & 0xffff) | (uint64_t)TERN_SEL_KCODE << 16 | (uint64_t)0x8e << 40 |
           ((a >> 16) & 0xffff) << 48;
    g[1] = a >> 32;
}

static unsigned shift;

/* TSC ticks for n loop iterations at this shift */
static uint64_t loop_ticks(uint64_t n)
{
    return ((2 * n + 4) << shift) * 2;
}

static void test_tsc(const char *group)
{
    static const uint64_t ns[] = { 1, 2, 10, 511, 1000, 100000 };

    test_group(group);
    for (unsigned i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
        uint64_t d = icount_loop(ns[i]);

        tern_printf("icount: %s n=%lu ticks=%lu\n", group, (unsigned long)ns[i],
                    (unsigned long)d);
        CHECK_EQ_NAMED(group, d, loop_ticks(ns[i]));
    }
}

/* ceil(t / 2^shift): the instructions after the store until t ns later */
static uint64_t insns_for(uint64_t t)
{
    return (t + (1ull << shift) - 1) >> shift;
}

static void test_timer(void)
{
    static const uint32_t ts[] = { 1, 7, 100, 1001, 54321 };
    const uint64_t n = 1000000;

    test_group("timer");
    apic_wr(APIC_TDCR, 0xb);                        /* divide by 1: 1 ns a count */
    apic_wr(APIC_LVTT, VEC_TIMER);                  /* one-shot */
    for (unsigned i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
        uint64_t left;

        isr_count = 0;
        left = icount_timer(&apic[APIC_TMICT / 4], ts[i], n);
        tern_printf("icount: timer t=%u loops=%lu rip-ok=%d\n", ts[i],
                    (unsigned long)(n - isr_rcx),
                    isr_rip == (uint64_t)(uintptr_t)icount_timer_loop);
        CHECK_EQ_NAMED("fired-once", isr_count, 1);
        CHECK_EQ_NAMED("at-the-loop", isr_rip, (uint64_t)(uintptr_t)icount_timer_loop);
        CHECK_EQ_NAMED("exact-count", n - isr_rcx, insns_for(ts[i]));
        CHECK_EQ_NAMED("loop-ended", left, 0);
    }
}

/* A one-shot timer ending HLT: time jumps (sleep=off) or runs (sleep=on)
 * to the deadline, not past it. */
static void test_hlt(void)
{
    const uint32_t t = 2000000;                     /* 2 ms */
    uint64_t t0, dt;

    test_group("hlt");
    isr_count = 0;
    t0 = tern_rdtsc();
    apic_wr(APIC_TMICT, t);
    __asm__ volatile("sti\n\thlt\n\tcli" : : : "rcx", "memory");   /* the ISR sets rCX */
    dt = tern_rdtsc() - t0;
    tern_printf("icount: hlt ticks=%lu\n", (unsigned long)dt);
    CHECK_EQ_NAMED("woken", isr_count, 1);
    CHECK_NAMED("not-early", dt >= 2ull * t);
    CHECK_NAMED("not-late", dt < 2ull * t + loop_ticks(1000));
}

int main(const struct tern_bootinfo *bi)
{
    uint64_t d;

    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("programs the local APIC; needs tern -icount");
    }
    __asm__ volatile("cli");
    outb(0x21, 0xff);                               /* 8259s masked */
    outb(0xa1, 0xff);
    isr_install(VEC_TIMER);
    apic_wr(APIC_SVR, 0x1ff);                       /* enabled, spurious 0xff */

    /* the shift: n = 1 runs 6 instructions */
    test_group("shift");
    d = icount_loop(1);
    while (shift < 10 && loop_ticks(1) < d) {
        shift++;
    }
    tern_printf("icount: shift=%u first=%lu\n", shift, (unsigned long)d);
    CHECK_EQ_NAMED("found", d, loop_ticks(1));

    test_tsc("tsc");
    /* a masked periodic timer every 997 ns: its deadlines cut blocks */
    apic_wr(APIC_TDCR, 0xb);
    apic_wr(APIC_LVTT, LVT_MASKED | LVT_PERIODIC | VEC_TIMER);
    apic_wr(APIC_TMICT, 997);
    test_tsc("tsc-cut");
    apic_wr(APIC_TMICT, 0);

    test_timer();
    test_hlt();
    tern_printf("icount: end tsc=%lu\n", (unsigned long)tern_rdtsc());
    test_done();
}
