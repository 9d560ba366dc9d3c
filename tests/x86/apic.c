// tern-kvm: allow esr/* KVM's in-kernel local APIC (kernel-irqchip=on, the default) does not flag an illegal vector sent in the ESR
// tern-kvm: allow ioapic/version KVM's in-kernel IOAPIC (kernel-irqchip=on) is version 0x11, tern's 0x20
// tern-kvm: allow timer/deadline-* kernel-irqchip=off: KVM implements the TSC-deadline MSR only in its in-kernel local APIC, so tern takes it out of CPUID
/*
 * apic.c: the local APIC and the IOAPIC as a kernel drives them (64-bit).
 * The 8259s stay masked.  Local APIC in xAPIC mode (MMIO at 0xFEE00000):
 * enable through SVR, a self-IPI through ICR taken with its ISR bit set
 * and ended by EOI, TPR and CR8 (one value) blocking a class and
 * unblocking it, the ESR and error LVT for an illegal vector, one-shot and
 * periodic timer interrupts timed against RDTSC, TSC-deadline; then the
 * IOAPIC routing COM1's THRE interrupt (GSI 4) to a vector, masked,
 * edge and level triggered (Remote IRR until the EOI); last x2APIC mode:
 * SELF_IPI, ICR as one MSR, #GP for missing registers.  Guest only.
 */
#include "tern.h"

#define APIC_BASE    0xfee00000ul
#define IOAPIC_BASE  0xfec00000ul
#define APIC_ID      0x20
#define APIC_VER     0x30
#define APIC_TPR     0x80
#define APIC_EOI     0xb0
#define APIC_SVR     0xf0
#define APIC_ISR     0x100
#define APIC_IRR     0x200
#define APIC_ESR     0x280
#define APIC_ICR     0x300
#define APIC_LVTT    0x320
#define APIC_LVTERR  0x370
#define APIC_TMICT   0x380
#define APIC_TMCCT   0x390
#define APIC_TDCR    0x3e0
#define MSR_APIC_BASE    0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define TSC_PER_US   2000ull     /* tern's TSC: 2 GHz (docs/cpu.md) */

#define VEC_IPI      0x40
#define VEC_TPR      0x41
#define VEC_X2       0x42
#define VEC_TIMER    0x50
#define VEC_COM1     0x34
#define VEC_ERROR    0x60
#define VEC_SPURIOUS 0xff

static volatile uint32_t *const apic = (volatile uint32_t *)APIC_BASE;
static volatile uint32_t *const ioapic = (volatile uint32_t *)IOAPIC_BASE;

static uint32_t apic_rd(unsigned off) { return apic[off / 4]; }
static void apic_wr(unsigned off, uint32_t v) { apic[off / 4] = v; }
static uint32_t io_rd(unsigned idx) { ioapic[0] = idx; return ioapic[4]; }
static void io_wr(unsigned idx, uint32_t v) { ioapic[0] = idx; ioapic[4] = v; }

static volatile int count[256];
static volatile uint32_t isr_in_handler, rte_in_handler;
static volatile int x2_mode;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void apic_handler(uint64_t vector);
void apic_handler(uint64_t vector)
{
    count[vector]++;
    if (vector == VEC_SPURIOUS) {
        return;                 /* no EOI for the spurious vector */
    }
    if (x2_mode) {
        wrmsr(0x80b, 0);
        return;
    }
    isr_in_handler = apic_rd(APIC_ISR + (vector >> 5) * 16) >> (vector & 31) & 1;
    if (vector == VEC_COM1) {
        rte_in_handler = io_rd(0x10 + 2 * 4);
        (void)inb(0x3f8 + 2);   /* IIR: acknowledges THRE, the line drops */
    }
    apic_wr(APIC_EOI, 0);
}

/* 64-bit interrupt stubs: push the vector, save the caller-saved
 * registers and rbx (used to realign the stack), call apic_handler, IRETQ. */
#define STUB(n) "    .globl apic_stub" #n "\napic_stub" #n ":\n    push $" #n "\n    jmp apic_common\n"
__asm__(
    "    .text\n"
    "apic_common:\n"
    "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
    "    push %r8\n push %r9\n push %r10\n push %r11\n push %rbx\n"
    "    mov 80(%rsp), %rdi\n"
    "    mov %rsp, %rbx\n"       /* the handler keeps rbx: rsp before the alignment */
    "    and $-16, %rsp\n"
    "    call apic_handler\n"
    "    mov %rbx, %rsp\n"
    "    pop %rbx\n pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
    "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
    "    add $8, %rsp\n"
    "    iretq\n"
    STUB(52) STUB(64) STUB(65) STUB(66) STUB(80) STUB(96) STUB(255));
extern char apic_stub52[], apic_stub64[], apic_stub65[], apic_stub66[], apic_stub80[],
    apic_stub96[], apic_stub255[];

struct gate { uint16_t off0, sel; uint8_t ist, attr; uint16_t off1; uint32_t off2, zero; }
    __attribute__((packed));
static struct gate idt[256] __attribute__((aligned(16)));

static void set_gate(int v, void *fn)
{
    uint64_t a = (uint64_t)(uintptr_t)fn;

    idt[v] = (struct gate){ (uint16_t)a, 0x08, 0, 0x8e, (uint16_t)(a >> 16),
                            (uint32_t)(a >> 32), 0 };
}

/* The runtime's IDT (exceptions, tern_catch_fault) extended to 256 gates */
static void idt_extend(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    __builtin_memcpy(idt, (void *)(uintptr_t)idtr.base, idtr.limit + 1);
    set_gate(VEC_COM1, apic_stub52);
    set_gate(VEC_IPI, apic_stub64);
    set_gate(VEC_TPR, apic_stub65);
    set_gate(VEC_X2, apic_stub66);
    set_gate(VEC_TIMER, apic_stub80);
    set_gate(VEC_ERROR, apic_stub96);
    set_gate(VEC_SPURIOUS, apic_stub255);
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

static void sti(void) { __asm__ volatile("sti; nop" ::: "memory"); }
static void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static void write_cr8(uint64_t v) { __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory"); }
static uint64_t read_cr8(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr8, %0" : "=r"(v));
    return v;
}

/* Wait with interrupts on until count[v] reaches n or about ms pass */
static int wait_for(int v, int n, unsigned ms)
{
    uint64_t end = rdtsc() + ms * 1000 * TSC_PER_US;

    sti();
    while (count[v] < n && rdtsc() < end) {
        __asm__ volatile("pause");
    }
    cli();
    return count[v];
}

/*
 * Arms the TSC deadline us microseconds ahead, with interrupts off, and
 * returns it.  The vCPU's TSC follows the host clock, so a host that
 * deschedules it past the deadline before the next instruction lets the
 * timer fire (the MSR then reads 0), and a slow one (tern under
 * qemu-aarch64 in make check) always outruns 1 ms: such a try is taken
 * and tried again ten times further ahead, at most four times (up to
 * 1000 us * 1000); the checks after it then see a late fire.
 */
static uint64_t arm_deadline(unsigned us)
{
    uint64_t d = 0;

    for (int tries = 0; tries < 4; tries++, us *= 10) {
        d = rdtsc() + us * TSC_PER_US;
        wrmsr(MSR_TSC_DEADLINE, d);
        if (rdmsr(MSR_TSC_DEADLINE) == d || rdtsc() < d) {
            break;
        }
        wait_for(VEC_TIMER, count[VEC_TIMER] + 1, 100);
        count[VEC_TIMER] = 0;
    }
    return d;
}

static void test_ipi(void)
{
    test_group("xapic");
    CHECK_EQ_NAMED("version", apic_rd(APIC_VER), 0x50014);
    CHECK_EQ_NAMED("id", apic_rd(APIC_ID), 0);
    CHECK_EQ_NAMED("base-msr", rdmsr(MSR_APIC_BASE), 0xfee00900);
    apic_wr(APIC_SVR, 0x100 | VEC_SPURIOUS);
    CHECK_EQ_NAMED("svr", apic_rd(APIC_SVR), 0x1ff);
    apic_wr(APIC_ICR, 0x40000 | VEC_IPI);            /* self, fixed */
    CHECK_EQ_NAMED("ipi-not-while-cli", count[VEC_IPI], 0);
    CHECK_NAMED("ipi-in-irr", apic_rd(APIC_IRR + 0x20) & 1);
    CHECK_EQ_NAMED("ipi-taken", wait_for(VEC_IPI, 1, 100), 1);
    CHECK_EQ_NAMED("ipi-isr-in-handler", isr_in_handler, 1);
    CHECK_EQ_NAMED("ipi-isr-after-eoi", apic_rd(APIC_ISR + 0x20), 0);
    apic_wr(APIC_ICR, 0x80000 | VEC_IPI);            /* all including self */
    CHECK_EQ_NAMED("ipi-all-incl-self", wait_for(VEC_IPI, 2, 100), 2);
}

static void test_tpr(void)
{
    test_group("tpr");
    write_cr8(5);
    CHECK_EQ_NAMED("cr8-to-tpr", apic_rd(APIC_TPR), 0x50);
    apic_wr(APIC_ICR, 0x40000 | VEC_TPR);            /* class 4 <= 5: blocked */
    CHECK_EQ_NAMED("blocked", wait_for(VEC_TPR, 1, 20), 0);
    CHECK_NAMED("pending-in-irr", apic_rd(APIC_IRR + 0x20) & 2);
    apic_wr(APIC_TPR, 0x40);
    CHECK_EQ_NAMED("tpr-to-cr8", read_cr8(), 4);
    CHECK_EQ_NAMED("same-class-blocked", wait_for(VEC_TPR, 1, 20), 0);
    sti();
    write_cr8(3);                                    /* unblocks at once */
    cli();
    CHECK_EQ_NAMED("unblocked", count[VEC_TPR], 1);
    write_cr8(0);
}

static void test_esr(void)
{
    test_group("esr");
    apic_wr(APIC_ESR, 0);
    apic_wr(APIC_LVTERR, VEC_ERROR);
    apic_wr(APIC_ICR, 0x40000 | 3);                  /* illegal vector 3 */
    CHECK_EQ_NAMED("error-interrupt", wait_for(VEC_ERROR, 1, 100), 1);
    CHECK_EQ_NAMED("before-write", apic_rd(APIC_ESR), 0);
    apic_wr(APIC_ESR, 0);
    CHECK_EQ_NAMED("send-illegal", apic_rd(APIC_ESR), 0x20);
    apic_wr(APIC_ESR, 0);
    CHECK_EQ_NAMED("cleared", apic_rd(APIC_ESR), 0);
    apic_wr(APIC_LVTERR, 0x10000 | VEC_ERROR);
}

static void test_timer(void)
{
    uint64_t t0, dt, v, now;
    uint32_t c1, c2;

    test_group("timer");
    apic_wr(APIC_TDCR, 0xb);                         /* divide by 1: 1 GHz */
    apic_wr(APIC_LVTT, VEC_TIMER);                   /* one-shot */
    t0 = rdtsc();
    apic_wr(APIC_TMICT, 2000000);                    /* 2 ms */
    c1 = apic_rd(APIC_TMCCT);
    c2 = apic_rd(APIC_TMCCT);
    CHECK_NAMED("counting-down", c1 <= 2000000 && c2 <= c1);
    CHECK_EQ_NAMED("oneshot-fires", wait_for(VEC_TIMER, 1, 2000), 1);
    dt = rdtsc() - t0;
    CHECK_NAMED("oneshot-not-early", dt >= 2000 * TSC_PER_US);
    CHECK_EQ_NAMED("oneshot-once", wait_for(VEC_TIMER, 2, 10), 1);
    CHECK_EQ_NAMED("oneshot-count-0", apic_rd(APIC_TMCCT), 0);

    count[VEC_TIMER] = 0;
    apic_wr(APIC_TDCR, 0x0);                         /* divide by 2 */
    apic_wr(APIC_LVTT, 0x20000 | VEC_TIMER);         /* periodic */
    t0 = rdtsc();
    apic_wr(APIC_TMICT, 500000);                     /* 1 ms at 500 MHz */
    CHECK_EQ_NAMED("periodic-5", wait_for(VEC_TIMER, 5, 5000), 5);
    dt = rdtsc() - t0;
    CHECK_NAMED("periodic-not-early", dt >= 5000 * TSC_PER_US);
    apic_wr(APIC_TMICT, 0);                          /* stops it */
    wait_for(VEC_TIMER, 1000, 1);                    /* one may be pending already */
    count[VEC_TIMER] = 0;
    CHECK_EQ_NAMED("periodic-stopped", wait_for(VEC_TIMER, 1, 5), 0);

    apic_wr(APIC_LVTT, 0x40000 | VEC_TIMER);         /* TSC-deadline */
    t0 = arm_deadline(1000);
    v = rdmsr(MSR_TSC_DEADLINE);
    now = rdtsc();
    /* reads back, unless it has already fired (0: a very slow host, as
     * tern under qemu-aarch64, outran even the longest try) */
    CHECK_NAMED("deadline-reads", v == t0 || (v == 0 && now >= t0));
    CHECK_EQ_NAMED("deadline-fires", wait_for(VEC_TIMER, 1, 2000), 1);
    CHECK_NAMED("deadline-not-early", rdtsc() >= t0);
    CHECK_EQ_NAMED("deadline-disarmed", rdmsr(MSR_TSC_DEADLINE), 0);
    count[VEC_TIMER] = 0;
    t0 = arm_deadline(20000);
    wrmsr(MSR_TSC_DEADLINE, 0);                      /* disarm */
    CHECK_EQ_NAMED("deadline-zero-disarms", wait_for(VEC_TIMER, 1, 30), 0);
    apic_wr(APIC_LVTT, 0x10000 | VEC_TIMER);
}

/* COM1's THRE interrupt (IER.ETBEI with MCR.OUT2) on GSI 4 */
static void com1_thre(int on)
{
    outb(0x3f8 + 4, on ? 0x0b : 0x03);
    outb(0x3f8 + 1, on ? 0x02 : 0x00);
}

static void test_ioapic(void)
{
    int masked, edge, level;
    uint32_t rte_level, rte_after;

    test_group("ioapic");
    CHECK_EQ_NAMED("version", io_rd(1), 0x00170020);
    CHECK_EQ_NAMED("rte-masked", io_rd(0x10 + 2 * 4), 0x10000);
    io_wr(0x11 + 2 * 4, 0);                          /* destination APIC 0 */
    io_wr(0x10 + 2 * 4, 0x10000 | VEC_COM1);         /* masked */
    com1_thre(1);
    masked = wait_for(VEC_COM1, 1, 10);
    com1_thre(0);
    io_wr(0x10 + 2 * 4, VEC_COM1);                   /* edge, fixed, physical */
    com1_thre(1);
    edge = wait_for(VEC_COM1, 1, 100);
    com1_thre(0);
    count[VEC_COM1] = 0;
    io_wr(0x10 + 2 * 4, 0x8000 | VEC_COM1);          /* level */
    com1_thre(1);
    level = wait_for(VEC_COM1, 1, 100);
    rte_level = rte_in_handler;
    rte_after = io_rd(0x10 + 2 * 4);
    com1_thre(0);
    io_wr(0x10 + 2 * 4, 0x10000 | VEC_COM1);
    CHECK_EQ_NAMED("masked-not-delivered", masked, 0);
    CHECK_EQ_NAMED("edge-delivered", edge, 1);
    CHECK_EQ_NAMED("level-delivered", level, 1);
    CHECK_NAMED("remote-irr-in-handler", rte_level & (1u << 14));
    CHECK_EQ_NAMED("remote-irr-after-eoi", rte_after & (1u << 14), 0);
}

static uint32_t fault_msr;
static void rdmsr_fault(void) { (void)rdmsr(fault_msr); }

static void test_x2apic(void)
{
    test_group("x2apic");
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 0x400);
    x2_mode = 1;
    CHECK_EQ_NAMED("base", rdmsr(MSR_APIC_BASE), 0xfee00d00);
    CHECK_EQ_NAMED("version", rdmsr(0x803), 0x50014);
    CHECK_EQ_NAMED("ldr", rdmsr(0x80d), 1);
    wrmsr(0x83f, VEC_X2);                            /* SELF_IPI */
    CHECK_EQ_NAMED("self-ipi", wait_for(VEC_X2, 1, 100), 1);
    wrmsr(0x830, 0x40000 | VEC_X2);                  /* ICR, shorthand self */
    CHECK_EQ_NAMED("icr", wait_for(VEC_X2, 2, 100), 2);
    fault_msr = 0x809;                               /* APR: not in x2APIC mode */
    CHECK_EQ_NAMED("apr-gp", tern_catch_fault(rdmsr_fault), 13);
    fault_msr = 0x83f;                               /* SELF_IPI: write-only */
    CHECK_EQ_NAMED("self-ipi-read-gp", tern_catch_fault(rdmsr_fault), 13);
    write_cr8(2);
    CHECK_EQ_NAMED("cr8-tpr", rdmsr(0x808), 0x20);
    write_cr8(0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("programs the local APIC and IOAPIC");
#endif
    idt_install();
    idt_extend();
    outb(0x21, 0xff);                                /* both 8259s masked */
    outb(0xa1, 0xff);
    test_ipi();
    test_tpr();
    test_esr();
    test_timer();
    test_ioapic();
    test_x2apic();
    CHECK_EQ_NAMED("no-spurious", count[VEC_SPURIOUS], 0);
    test_done();
}
