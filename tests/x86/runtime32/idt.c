/*
 * idt.c: exceptions for 32-bit fault tests.  idt_install() loads a
 * 256-entry IDT whose vectors 0-31 are 32-bit interrupt gates (DPL 0) to
 * stubs that record the event in tern_last_fault and resume
 * tern_catch_fault()'s caller with the vector, longjmp-style (the faulting
 * function is abandoned; callee-saved registers, the catch's stack and
 * DF are restored).  Vector 32 is a DPL 3 gate to the same stub:
 * tern_run_user's way back from ring 3 (sys.c).  Events from ring 3 or
 * virtual-8086 mode arrive on the TSS's ESP0 stack; the stub reloads the
 * kernel data segments before touching memory, as v86 delivery leaves
 * DS/ES/FS/GS null.  The other vectors are free for tests
 * (tern_idt_set_gate).  The 64-bit runtime's idt.c is the model.
 */
#include "tern.h"
#include "idt-stubs.h"

struct tern_fault tern_last_fault;
uint32_t tern_catch_rsp;            /* the catch frame (asm below) */
static uint64_t idt[256] __attribute__((aligned(16)));

/* What the common stub leaves on the stack, lowest address first. */
struct frame32 {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;     /* PUSHA */
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t esp, ss;                   /* from an outer level or v86 only */
    uint32_t v86_es, v86_ds, v86_fs, v86_gs;     /* from v86 only */
};

int tern_fault_record(struct frame32 *f);
int tern_fault_record(struct frame32 *f)
{
    struct tern_fault *t = &tern_last_fault;
    int outer = (f->eflags & FL_VM) || (f->cs & 3) != 0;
    uint16_t ss;

    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    *t = (struct tern_fault){
        .vector = (int)f->vector, .error_code = f->error, .rip = f->eip,
        .rcx = f->ecx, .rsi = f->esi, .rdi = f->edi,
        .rax = f->eax, .rdx = f->edx, .rbx = f->ebx,
        .rsp = outer ? f->esp : (uint32_t)(uintptr_t)&f->esp,
        .rflags = f->eflags, .cs = f->cs & 0xffff,
        .ss = outer ? (f->ss & 0xffff) : ss,
        .ds = (f->eflags & FL_VM) ? f->v86_ds & 0xffff : f->ds & 0xffff,
        .es = (f->eflags & FL_VM) ? f->v86_es & 0xffff : f->es & 0xffff,
        .fs = (f->eflags & FL_VM) ? f->v86_fs & 0xffff : f->fs & 0xffff,
        .gs = (f->eflags & FL_VM) ? f->v86_gs & 0xffff : f->gs & 0xffff,
    };
    return (int)f->vector;
}

/* The stubs (idt-stubs.h) end in tern_fault_common. */
__asm__(
    "    .text\n"
    "    .globl tern_catch_fault\n"
    "tern_catch_fault:\n"
    TERN_CATCH_FRAME_PUSH
    "    call *32(%esp)\n"
    "    mov $-1, %eax\n"
    "    jmp 1f\n"
    "tern_fault_common:\n"
    "    pusha\n"
    "    push %ds\n"
    "    push %es\n"
    "    push %fs\n"
    "    push %gs\n"
    "    mov $0x10, %eax\n"
    "    mov %eax, %ds\n"
    "    mov %eax, %es\n"
    "    mov %eax, %fs\n"
    "    mov %eax, %gs\n"
    "    push %esp\n"
    "    call tern_fault_record\n"
    "    mov tern_catch_rsp, %esp\n"
    "    cld\n"
    "1:\n"
    TERN_CATCH_FRAME_POP
    "    ret\n"
    TERN_IDT_STUBS);

uint32_t tern_idt_stub(int vector)
{
    return (uint32_t)(uintptr_t)TERN_IDT_STUB(vector);
}

void tern_idt_set_gate(int vector, uint64_t descriptor)
{
    idt[vector] = descriptor;
}

void idt_install(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr;
    int v;

    for (v = 0; v <= 32; v++) {
        idt[v] = tern_gate_desc(TERN_SEL_KCODE, tern_idt_stub(v), v == 32 ? 0xee : 0x8e, 0);
    }
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint32_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}
