// tern-kvm: allow stop/* KVM's in-kernel PIT (kernel-irqchip=on) keeps its timer running after a mode 0 control word until a count is written
// tern-nested: allow mode?/rate each exit costs about 0.1 ms nested (kernel-irqchip=off: every tick is several): timer interrupts are lost at that rate
// tern-nested: allow mode?/never-fast each exit costs about 0.1 ms nested (kernel-irqchip=off: every tick is several): ticks arrive late and in bursts
/*
 * pit-irq.c: the 8254's counter 0 on IRQ 0 through the 8259.  The PIC is
 * set up as Linux's init_8259A does (vectors 0x20-0x2f) with only IRQ 0
 * unmasked; counter 0 runs mode 2, then mode 3, at 1000 Hz (count 1193).
 * Interrupts are counted, with IF set, over 50 ms measured by counter 2
 * (mode 0, gate through port 0x61, bit 5 checked after each HLT): a window
 * must see 50 interrupts, give or take 2 for the window's ends, all as
 * vector 0x20.  On a loaded host a window can come out short (requests
 * merge in IRR while tern is held up), so up to 20 windows are tried; none
 * may come out long.
 * Then counter 0 goes back to mode 0 without a count (OUT low: after
 * one window for a request already in IRR, no more interrupts).  Guest only (32-bit, ring 0).
 */
#include "tern.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIT_CH0   0x40
#define PIT_CH2   0x42
#define PIT_CTRL  0x43
#define PORT61    0x61
#define PIT_HZ    1193182u
#define VEC_IRQ0  0x20
#define RATE_HZ   1000u
#define WINDOW_MS 50u

#define TERN_TSC_HZ 2000000000ull  /* bounds a window to 1 s if OUT 2 never rises */

static volatile unsigned irq0_count, other_count;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void pit_irq_handler(uint32_t vector);
void pit_irq_handler(uint32_t vector)
{
    if (vector == VEC_IRQ0) {
        irq0_count++;
    } else {
        other_count++;
    }
    outb(PIC1_CMD, 0x20);               /* non-specific EOI */
}

/* Interrupt gates: push the vector, call the handler, IRET. */
#define IRQ_STUB(n) \
    "    .globl pit_irq_stub" #n "\npit_irq_stub" #n ":\n    push $" #n "\n    jmp pit_irq_common\n"
__asm__(
    "    .text\n"
    "pit_irq_common:\n"
    "    pusha\n"
    "    push 32(%esp)\n"
    "    call pit_irq_handler\n"
    "    add $4, %esp\n"
    "    popa\n"
    "    add $4, %esp\n"
    "    iret\n"
    IRQ_STUB(32) IRQ_STUB(39));
extern char pit_irq_stub32[], pit_irq_stub39[];

static void pic_init(void)
{
    outb(PIC1_CMD, 0x11);               /* ICW1: edge, cascade, ICW4 */
    outb(PIC1_DATA, VEC_IRQ0);          /* ICW2 */
    outb(PIC1_DATA, 1 << 2);            /* ICW3: slave on IR2 */
    outb(PIC1_DATA, 0x01);              /* ICW4: 8086 mode */
    outb(PIC2_CMD, 0x11);
    outb(PIC2_DATA, VEC_IRQ0 + 8);
    outb(PIC2_DATA, 2);
    outb(PIC2_DATA, 0x01);
    outb(PIC2_DATA, 0xff);
    outb(PIC1_DATA, 0xff & ~0x01);      /* IRQ 0 only */
}

/* Interrupts counted with IF set while counter 2 runs WINDOW_MS.  With
 * halt, the CPU waits in HLT between looks at OUT 2 (as an idle kernel
 * does) instead of polling port 0x61 without a pause. */
static unsigned count_window(int halt)
{
    const uint32_t latch = PIT_HZ / 1000 * WINDOW_MS;
    unsigned start;

    outb(PORT61, (inb(PORT61) & ~0x03));
    outb(PIT_CTRL, 0xb0);
    outb(PIT_CH2, latch & 0xff);
    outb(PIT_CH2, latch >> 8);
    start = irq0_count;
    outb(PORT61, inb(PORT61) | 0x01);   /* gate 2 on: the window starts */
    __asm__ volatile("sti" ::: "memory");
    for (uint64_t t0 = rdtsc(); !(inb(PORT61) & 0x20) && rdtsc() - t0 < TERN_TSC_HZ;) {
        if (halt) {
            __asm__ volatile("hlt" ::: "memory");
        }
    }
    __asm__ volatile("cli" ::: "memory");
    return irq0_count - start;
}

static void run_mode(const char *group, uint8_t control)
{
    const uint16_t count = PIT_HZ / RATE_HZ;

    test_group(group);
    outb(PIT_CTRL, control);
    outb(PIT_CH0, count & 0xff);
    outb(PIT_CH0, count >> 8);
    const unsigned want = WINDOW_MS * RATE_HZ / 1000;
    unsigned n, most = 0, tries = 0;

    /* A host that holds tern up merges requests in the PIC's IRR, so a
     * window can only come out short: take the first that is not. */
    do {
        n = count_window(1);
        most = n > most ? n : most;
        tries++;
    } while (tries < 20 && n + 2 < want);
    tern_printf("  %s: %u interrupts in %u ms (window %u)\n", group, n, WINDOW_MS, tries);
    CHECK_NAMED("rate", n + 2 >= want && n <= want + 2);
    CHECK_NAMED("never-fast", most <= want + 2);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    tern_idt_set_gate(VEC_IRQ0, tern_gate_desc(TERN_SEL_KCODE,
                      (uint32_t)(uintptr_t)pit_irq_stub32, 0x8e, 0));
    tern_idt_set_gate(VEC_IRQ0 + 7, tern_gate_desc(TERN_SEL_KCODE,
                      (uint32_t)(uintptr_t)pit_irq_stub39, 0x8e, 0));   /* spurious */
    pic_init();
    run_mode("mode2", 0x34);
    run_mode("mode3", 0x36);

    test_group("stop");
    outb(PIT_CTRL, 0x30);               /* mode 0, no count: OUT low */
    CHECK_NAMED("drain", count_window(0) <= 1);  /* an edge just before may wait in IRR */
    CHECK_EQ(count_window(0), 0);
    CHECK_EQ(other_count, 0);
    outb(PIC1_DATA, 0xff);
    test_done();
}
