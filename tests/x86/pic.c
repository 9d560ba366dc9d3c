/*
 * pic.c: the 8259A pair as a kernel drives it.  Programs the PIC as
 * Linux's init_8259A does (vectors 0x20/0x28, slave on IR2, 8086 mode),
 * checks the ELCR's read-only bits, then makes COM1 raise its THRE
 * interrupt (IER.ETBEI; MCR.OUT2 as a PC driver sets it) on IRQ 4: masked
 * it waits in IRR and never arrives; unmasked it arrives with STI/HLT as
 * vector 0x24 with IR4 in service; without an EOI a new request waits
 * until the EOI, and is then taken right after STI (no HLT: the CPU must
 * see an interrupt that became pending while IF was clear).  Guest only
 * (32-bit, ring 0).
 */
#include "tern.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define ELCR1     0x4d0
#define ELCR2     0x4d1
#define COM1      0x3f8
#define UART_IER  1
#define UART_IIR  2
#define UART_LCR  3
#define UART_MCR  4
#define IER_ETBEI 0x02           /* THR empty interrupt */
#define MCR_OUT2  0x08           /* a PC's UART interrupt enable */
#define OCW3_READ_IRR 0x0a
#define OCW3_READ_ISR 0x0b
#define OCW2_EOI      0x20
#define VEC_BASE  0x20

/* What the handler saw. */
static volatile int irq_count;
static volatile uint32_t last_vector;
static volatile uint8_t isr_seen, iir_seen;
static volatile int send_eoi = 1;

void pic_handler(uint32_t vector);
void pic_handler(uint32_t vector)
{
    irq_count++;
    last_vector = vector;
    outb(PIC1_CMD, OCW3_READ_ISR);
    isr_seen = inb(PIC1_CMD);
    iir_seen = inb(COM1 + UART_IIR);     /* acknowledges THRE: the line drops */
    if (send_eoi) {
        if (vector >= VEC_BASE + 8) {
            outb(PIC2_CMD, OCW2_EOI);
        }
        outb(PIC1_CMD, OCW2_EOI);
    }
}

/* Interrupt gates for vectors 0x20-0x2f: push the vector, call
 * pic_handler with the registers saved, IRET. */
#define PIC_STUB(n) \
    "    .globl pic_stub" #n "\npic_stub" #n ":\n    push $" #n "\n    jmp pic_common\n"
__asm__(
    "    .text\n"
    "pic_common:\n"
    "    pusha\n"
    "    push 32(%esp)\n"
    "    call pic_handler\n"
    "    add $4, %esp\n"
    "    popa\n"
    "    add $4, %esp\n"
    "    iret\n"
    PIC_STUB(32) PIC_STUB(33) PIC_STUB(34) PIC_STUB(35)
    PIC_STUB(36) PIC_STUB(37) PIC_STUB(38) PIC_STUB(39)
    PIC_STUB(40) PIC_STUB(41) PIC_STUB(42) PIC_STUB(43)
    PIC_STUB(44) PIC_STUB(45) PIC_STUB(46) PIC_STUB(47));
extern char pic_stub32[], pic_stub33[], pic_stub34[], pic_stub35[], pic_stub36[],
    pic_stub37[], pic_stub38[], pic_stub39[], pic_stub40[], pic_stub41[], pic_stub42[],
    pic_stub43[], pic_stub44[], pic_stub45[], pic_stub46[], pic_stub47[];
static char *const pic_stubs[16] = {
    pic_stub32, pic_stub33, pic_stub34, pic_stub35, pic_stub36, pic_stub37, pic_stub38,
    pic_stub39, pic_stub40, pic_stub41, pic_stub42, pic_stub43, pic_stub44, pic_stub45,
    pic_stub46, pic_stub47,
};

/* Linux's init_8259A, everything masked. */
static void pic_init(void)
{
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, 0x11);              /* ICW1: edge, cascade, ICW4 */
    outb(PIC1_DATA, VEC_BASE);         /* ICW2 */
    outb(PIC1_DATA, 1 << 2);           /* ICW3: slave on IR2 */
    outb(PIC1_DATA, 0x01);             /* ICW4: 8086 mode */
    outb(PIC2_CMD, 0x11);
    outb(PIC2_DATA, VEC_BASE + 8);
    outb(PIC2_DATA, 2);                /* ICW3: slave ID 2 */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}

static uint8_t pic_read(uint8_t ocw3)
{
    outb(PIC1_CMD, ocw3);
    return inb(PIC1_CMD);
}

/* COM1's THRE interrupt: a rising edge on IRQ 4 (enabling ETBEI with the
 * transmitter empty requests at once). */
static void com1_thre_request(void)
{
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_IER, IER_ETBEI);
}

static void wait_for_interrupt(void)
{
    __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
}

/* Interrupts enabled for a while: whatever is deliverable arrives. */
static void window_open(void)
{
    __asm__ volatile("sti" ::: "memory");
    for (volatile int i = 0; i < 20000; i++) {
    }
    __asm__ volatile("cli" ::: "memory");
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    for (int i = 0; i < 16; i++) {
        tern_idt_set_gate(VEC_BASE + i, tern_gate_desc(TERN_SEL_KCODE,
                          (uint32_t)(uintptr_t)pic_stubs[i], 0x8e, 0));
    }

    test_group("init");
    pic_init();
    CHECK_EQ(inb(PIC1_DATA), 0xff);
    CHECK_EQ(inb(PIC2_DATA), 0xff);
    CHECK_EQ(pic_read(OCW3_READ_ISR), 0);

    test_group("elcr");
    outb(ELCR1, 0xff);
    outb(ELCR2, 0xff);
    CHECK_EQ(inb(ELCR1), 0xf8);        /* IRQ 0, 1, 2: edge only */
    CHECK_EQ(inb(ELCR2), 0xde);        /* IRQ 8, 13: edge only */
    outb(ELCR1, 0);
    outb(ELCR2, 0);
    CHECK_EQ(inb(ELCR1), 0);

    /* From here to the checks nothing prints: with ETBEI set, each THR
     * write would request IRQ 4 again.  What happens goes into r. */
    struct {
        uint8_t masked_irr; int masked;
        int if_clear, delivered; uint32_t vector; uint8_t isr, iir, isr_after, irr_after;
        int once;
        int no_eoi; uint8_t no_eoi_isr; int blocked; uint8_t blocked_irr;
        int after_eoi; uint32_t after_eoi_vector; uint8_t after_eoi_isr;
        int remasked, unmasked;
    } r;
    outb(COM1 + UART_LCR, 0x03);       /* 8N1 */
    outb(COM1 + UART_MCR, MCR_OUT2 | 0x03);

    /* Masked: the request waits in IRR and does not arrive. */
    com1_thre_request();
    r.masked_irr = pic_read(OCW3_READ_IRR) & 0x10;
    window_open();
    r.masked = irq_count;

    /* Unmasked: it arrives once IF is set, as vector 0x24, IR4 in service. */
    outb(PIC1_DATA, 0xff & ~0x10);
    r.if_clear = irq_count;
    wait_for_interrupt();
    r.delivered = irq_count;
    r.vector = last_vector;
    r.isr = isr_seen;
    r.iir = iir_seen;
    r.isr_after = pic_read(OCW3_READ_ISR);
    r.irr_after = pic_read(OCW3_READ_IRR) & 0x10;
    window_open();
    r.once = irq_count;

    /* No EOI: IR4 stays in service and a new request waits for the EOI. */
    send_eoi = 0;
    com1_thre_request();
    wait_for_interrupt();
    r.no_eoi = irq_count;
    r.no_eoi_isr = pic_read(OCW3_READ_ISR);
    com1_thre_request();
    window_open();
    r.blocked = irq_count;
    r.blocked_irr = pic_read(OCW3_READ_IRR) & 0x10;
    send_eoi = 1;
    outb(PIC1_CMD, OCW2_EOI);          /* taken at STI, without HLT */
    window_open();
    r.after_eoi = irq_count;
    r.after_eoi_vector = last_vector;
    r.after_eoi_isr = pic_read(OCW3_READ_ISR);

    /* Masked again, then unmasked: the waiting request arrives. */
    outb(PIC1_DATA, 0xff);
    com1_thre_request();
    window_open();
    r.remasked = irq_count;
    outb(PIC1_DATA, 0xff & ~0x10);
    wait_for_interrupt();
    r.unmasked = irq_count;

    outb(COM1 + UART_IER, 0);
    outb(PIC1_DATA, 0xff);

    test_group("masked");
    CHECK_EQ(r.masked_irr, 0x10);
    CHECK_EQ(r.masked, 0);
    test_group("deliver");
    CHECK_EQ(r.if_clear, 0);
    CHECK_EQ(r.delivered, 1);
    CHECK_EQ(r.vector, VEC_BASE + 4);
    CHECK_EQ(r.isr, 0x10);
    CHECK_EQ(r.iir & 0x0f, 0x02);      /* THRE */
    CHECK_EQ(r.isr_after, 0);
    CHECK_EQ(r.irr_after, 0);
    CHECK_EQ(r.once, 1);               /* the line dropped: once */
    test_group("in-service");
    CHECK_EQ(r.no_eoi, 2);
    CHECK_EQ(r.no_eoi_isr, 0x10);
    CHECK_EQ(r.blocked, 2);
    CHECK_EQ(r.blocked_irr, 0x10);
    CHECK_EQ(r.after_eoi, 3);
    CHECK_EQ(r.after_eoi_vector, VEC_BASE + 4);
    CHECK_EQ(r.after_eoi_isr, 0);
    test_group("mask-again");
    CHECK_EQ(r.remasked, 3);
    CHECK_EQ(r.unmasked, 4);
    CHECK_EQ(irq_count, 4);
    test_done();
}
