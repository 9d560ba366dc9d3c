/*
 * irq.c: interrupt handlers in C for guest tests (guest only; natively
 * tern_irq_set skips the test).  The first tern_irq_set() replaces the IDT
 * by a 256-gate copy of the current one (idt_install's exception gates
 * stay), then points the vector's gate at a stub that saves the
 * caller-saved registers, calls handler(vector) on the interrupted stack
 * (realigned) and returns with IRETQ.  The IDT is one table for every CPU:
 * set the handlers before smp_start_aps(), which gives the APs the BSP's
 * IDTR.  Vector 2 (NMI) may be routed here too; handlers send their own
 * EOI.
 */
#include "tern.h"

struct irq_gate {
    uint16_t off0, sel;
    uint8_t ist, attr;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct irq_gate irq_idt[256] __attribute__((aligned(16)));
static int irq_idt_loaded;
void (*tern_irq_handlers[256])(unsigned vector);   /* irq_common below */

/* 256 stubs, 16 bytes apart: push the vector, jump to irq_common. */
__asm__(
    "    .text\n"
    "irq_common:\n"
    "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
    "    push %r8\n push %r9\n push %r10\n push %r11\n push %rbx\n"
    "    mov 80(%rsp), %rdi\n"
    "    mov %rsp, %rbx\n"              /* callee-saved: rsp before the alignment */
    "    and $-16, %rsp\n"
    "    cld\n"
    "    call *tern_irq_handlers(,%rdi,8)\n"
    "    mov %rbx, %rsp\n"
    "    pop %rbx\n pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
    "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
    "    add $8, %rsp\n"
    "    iretq\n"
    "    .align 16\n"
    "irq_stubs:\n"
    "    .set irq_v, 0\n"
    "    .rept 256\n"
    "    .align 16\n"
    "    pushq $irq_v\n"
    "    jmp irq_common\n"
    "    .set irq_v, irq_v + 1\n"
    "    .endr\n");
extern const char irq_stubs[];

void tern_irq_set(int vector, void (*handler)(unsigned vector))
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
    uint64_t a = (uint64_t)(uintptr_t)(irq_stubs + 16 * vector);

    if (!TERN_HAVE_RING0) {
        test_skip("interrupt handlers need ring 0");
    }
    if (!irq_idt_loaded) {
        __asm__ volatile("sidt %0" : "=m"(idtr));
        if (idtr.limit + 1u <= sizeof(irq_idt)) {
            memcpy(irq_idt, (const void *)(uintptr_t)idtr.base, idtr.limit + 1u);
        }
        idtr.limit = sizeof(irq_idt) - 1;
        idtr.base = (uint64_t)(uintptr_t)irq_idt;
        __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
        irq_idt_loaded = 1;
    }
    tern_irq_handlers[vector & 255] = handler;
    irq_idt[vector & 255] = (struct irq_gate){
        .off0 = (uint16_t)a, .sel = TERN_SEL_KCODE, .ist = 0, .attr = 0x8e,
        .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32), .zero = 0,
    };
}
