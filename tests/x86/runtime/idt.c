/*
 * idt.c: exceptions for fault tests (guest only).  idt_install() loads an
 * IDT whose 32 exception vectors are 64-bit interrupt gates to stubs that
 * record the vector, error code, faulting rip, rCX/rSI/rDI (the string
 * registers), rAX/rDX/rBX and the interrupted rsp, rflags, cs, ss in
 * tern_last_fault and
 * resume tern_catch_fault()'s caller, longjmp-style: the faulting function
 * is abandoned, the callee-saved registers and the stack of the catch are
 * restored, DF is cleared.  The handlers run at CPL 0, so nothing needs
 * iretq; from CPL 3 (runtime/sys.c) they arrive on the TSS's stacks.
 * Vector 32 is a DPL 3 gate with the same stub: tern_run_user's way back
 * from ring 3.  Native builds take the faults a user program can take
 * through signals (runtime/native.c).
 */
#include "tern.h"
#include "idt-stubs.h"

struct tern_fault tern_last_fault;
_Static_assert(offsetof(struct tern_fault, rcx) == 24 && offsetof(struct tern_fault, rax) == 48 &&
               offsetof(struct tern_fault, rsp) == 72 && offsetof(struct tern_fault, ss) == 96,
               "tern_fault_common's offsets");

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, attr;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct idt_gate idt[33] __attribute__((aligned(16)));
uint64_t tern_catch_rsp;            /* the catch frame (asm below) */

/* The stubs (idt-stubs.h) end in tern_fault_common. */
__asm__(
    "    .text\n"
    "    .globl tern_catch_fault\n"
    "tern_catch_fault:\n"
    TERN_CATCH_FRAME_PUSH
    "    call *%rdi\n"
    "    mov $-1, %eax\n"
    "    jmp 1f\n"
    "tern_fault_common:\n"
    "    mov %rcx, tern_last_fault+24(%rip)\n"
    "    mov %rsi, tern_last_fault+32(%rip)\n"
    "    mov %rdi, tern_last_fault+40(%rip)\n"
    "    mov %rax, tern_last_fault+48(%rip)\n"
    "    mov %rdx, tern_last_fault+56(%rip)\n"
    "    mov %rbx, tern_last_fault+64(%rip)\n"
    "    pop %rax\n"
    "    mov %eax, tern_last_fault(%rip)\n"
    "    pop %rcx\n"
    "    mov %rcx, tern_last_fault+8(%rip)\n"
    "    mov (%rsp), %rcx\n"
    "    mov %rcx, tern_last_fault+16(%rip)\n"
    "    mov 8(%rsp), %rcx\n"
    "    mov %rcx, tern_last_fault+88(%rip)\n"
    "    mov 16(%rsp), %rcx\n"
    "    mov %rcx, tern_last_fault+80(%rip)\n"
    "    mov 24(%rsp), %rcx\n"
    "    mov %rcx, tern_last_fault+72(%rip)\n"
    "    mov 32(%rsp), %rcx\n"
    "    mov %rcx, tern_last_fault+96(%rip)\n"
    "    mov tern_catch_rsp(%rip), %rsp\n"
    "    cld\n"
    "1:\n"
    TERN_CATCH_FRAME_POP
    "    ret\n"
    TERN_IDT_STUBS);

void idt_install(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
    const uint16_t cs = 0x08;           /* the boot state's code64 selector (docs/boot.md) */
    int v;

    for (v = 0; v < 33; v++) {
        uint64_t a = (uint64_t)(uintptr_t)TERN_IDT_STUB(v);
        idt[v] = (struct idt_gate){
            .off0 = (uint16_t)a, .sel = cs, .ist = 0,
            .attr = v == 32 ? 0xee : 0x8e,      /* P, DPL 0 (32: DPL 3), int gate */
            .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32), .zero = 0,
        };
    }
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

/* Deliver vector on interrupt stack table entry ist (1-7; 0: none). */
void idt_set_ist(int vector, int ist)
{
    idt[vector].ist = (uint8_t)ist;
}
