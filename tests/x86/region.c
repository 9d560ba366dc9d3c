/*
 * region.c: loops of several basic blocks inside one translated block
 * (target-x86/translate-region.c).  Each loop is a function in assembly
 * whose entry lies before its loop, so the loop's head is a label inside
 * the block rather than the block's start:
 *   nested   two nested loops with a forward branch in the inner one;
 *   flags    a label whose first instructions read the flags (inc keeps
 *            CF, adc adds it), reached from paths that left them in
 *            different states (add, sub, cmp);
 *   irq      (guest only) a loop spinning on a flag that the local APIC
 *            timer's interrupt handler sets: its back edge must let the
 *            interrupt in, else it runs to its iteration limit.
 * The native build checks nested and flags on the host CPU.
 */
#include "tern.h"

/* count of (i, j), 0 <= j < i < n, with i ^ j odd */
uint64_t region_nested(uint64_t n);
__asm__(
    "    .text\n"
    "    .globl region_nested\n"
    "region_nested:\n"
    "    xor %eax, %eax\n"
    "    xor %ecx, %ecx\n"
    "1:  xor %edx, %edx\n"
    "    cmp %ecx, %edx\n"
    "    jae 3f\n"
    "2:  mov %ecx, %r8d\n"
    "    xor %edx, %r8d\n"
    "    test $1, %r8d\n"
    "    jz 4f\n"
    "    inc %rax\n"
    "4:  inc %edx\n"
    "    cmp %ecx, %edx\n"
    "    jb 2b\n"
    "3:  inc %ecx\n"
    "    cmp %edi, %ecx\n"
    "    jb 1b\n"
    "    ret\n");

/*
 * For i < n: i < 5 adds 2^31 (add), else subtracts -100 (sub, which sets
 * CF for a small accumulator); both jump to label 3, which increments i (inc
 * keeps CF) and adds CF (adc): its code depends on the flags each path
 * brings, add's or sub's, whichever reached it first (add's CF, read as
 * sub's, would differ).  A jb at label 2, right after the jae that led
 * there, must see that cmp's CF.
 */
uint64_t region_flags(uint64_t n);
__asm__(
    "    .text\n"
    "    .globl region_flags\n"
    "region_flags:\n"
    "    xor %eax, %eax\n"
    "    xor %ecx, %ecx\n"
    "1:  cmp $5, %ecx\n"
    "    jae 2f\n"
    "    add $0x80000000, %eax\n"
    "    jmp 3f\n"
    "2:  jb 9f\n"
    "    sub $-100, %eax\n"
    "    jmp 3f\n"
    "3:  inc %ecx\n"
    "    adc $0, %eax\n"
    "    cmp %edi, %ecx\n"
    "    jb 1b\n"
    "    ret\n"
    "9:  mov $-1, %eax\n"
    "    ret\n");

static void test_nested(void)
{
    static const uint64_t ns[] = { 0, 1, 2, 7, 64, 301 };

    for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
        uint64_t want = 0;
        for (uint64_t i = 0; i < ns[k]; i++) {
            want += (i + 1) / 2;            /* the j < i of the other parity */
        }
        CHECK_EQ_NAMED("pairs", region_nested(ns[k]), want);
    }
}

static void test_flags(void)
{
    static const uint64_t ns[] = { 1, 5, 6, 40, 1000 };

    for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
        uint32_t acc = 0;
        for (uint32_t i = 0; i < ns[k]; i++) {
            uint32_t cf;
            if (i < 5) {
                cf = acc + 0x80000000u < acc;
                acc += 0x80000000u;
            } else {
                cf = acc < (uint32_t)-100;  /* sub $-100: borrow */
                acc -= (uint32_t)-100;
            }
            acc += cf;
        }
        CHECK_EQ_NAMED("acc", region_flags(ns[k]), acc);
    }
}

#ifndef TERN_NATIVE
#define APIC_LVTT  0x320
#define APIC_TMICT 0x380
#define APIC_TDCR  0x3e0
#define VEC_TIMER  0x50
#define SPIN_LIMIT (1ull << 32)

static volatile uint32_t timer_fired;

/* iterations until *flag became nonzero, or limit */
uint64_t region_spin(volatile uint32_t *flag, uint64_t limit);
__asm__(
    "    .text\n"
    "    .globl region_spin\n"
    "region_spin:\n"
    "    xor %eax, %eax\n"
    "1:  mov (%rdi), %edx\n"
    "    test %edx, %edx\n"
    "    jnz 2f\n"
    "    add $1, %rax\n"
    "    cmp %rsi, %rax\n"
    "    jb 1b\n"
    "2:  ret\n");

static void timer_handler(unsigned vector)
{
    (void)vector;
    timer_fired = 1;
    lapic_write(LAPIC_EOI, 0);
}

static void test_irq(void)
{
    uint64_t n;

    tern_irq_set(VEC_TIMER, timer_handler);
    lapic_write(LAPIC_SVR, 0x1ff);
    lapic_write(APIC_TDCR, 0xb);            /* divide by 1 */
    lapic_write(APIC_LVTT, VEC_TIMER);      /* one-shot */
    __asm__ volatile("sti");
    lapic_write(APIC_TMICT, 5000000);      /* 5 ms: the loop is running by then */
    n = region_spin(&timer_fired, SPIN_LIMIT);
    __asm__ volatile("cli");
    CHECK_NAMED("interrupted", timer_fired && n < SPIN_LIMIT);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_group("region/nested");
    test_nested();
    test_group("region/flags");
    test_flags();
#ifndef TERN_NATIVE
    test_group("region/irq");
    test_irq();
#endif
    test_done();
}
