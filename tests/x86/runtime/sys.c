/*
 * sys.c: ring 3 for fault tests (guest only).  tern_sys_install() replaces
 * the boot GDT (docs/boot.md) by tern_gdt: the boot's code64 (0x08) and
 * data (0x10) segments, user data (0x1b) and user code64 (0x23), and a
 * 64-bit TSS (0x28) that it loads with LTR.  The TSS's RSP0 is the stack
 * exceptions from ring 3 arrive on; IST1 takes #DF, #SS and #GP, so a
 * fault with a non-canonical rsp is caught.  The TSS ends with an I/O
 * permission bitmap for ports 0..TERN_IOMAP_PORTS-1, all denied until
 * tern_io_allow (ports above lie beyond the TSS limit).  It makes the first 2 MiB
 * user-accessible (the U bit in the PML4, PDPT and PD entries of the
 * boot's identity map: the program, its data and its stacks live there)
 * and reloads CR3.
 *
 * tern_run_user(fn, rflags) runs fn at CPL 3 on a user stack: it saves
 * the catch frame as tern_catch_fault does and IRETQs to a trampoline that
 * calls fn and then executes INT 32 (idt.c's DPL 3 gate); an exception in
 * fn reaches its handler at CPL 0 the same way.  Either way idt.c's common
 * stub resumes the caller with the vector (32: fn returned).
 */
#include "tern.h"

void idt_set_ist(int vector, int ist);         /* idt.c */
extern uint64_t tern_catch_rsp;                 /* idt.c */
extern char __bss_end[];                        /* guest.ld */

struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3, iomap;
} __attribute__((packed));

uint64_t tern_gdt[TERN_GDT_SIZE] __attribute__((aligned(16)));
/* the bitmap, then the all-ones byte the CPU may read past its end */
static struct {
    struct tss64 t;
    uint8_t iomap[TERN_IOMAP_PORTS / 8 + 1];
} __attribute__((packed)) tss __attribute__((aligned(16)));
uint8_t *const tern_iomap = tss.iomap;           /* desc.c */
static uint8_t rsp0_stack[8192] __attribute__((aligned(16)));
static uint8_t ist1_stack[8192] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));

void tern_sys_install(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1, cr3;
    volatile uint64_t *pml4 = (volatile uint64_t *)0x1000, *pdpt = (volatile uint64_t *)0x2000;
    volatile uint64_t *pd0 = (volatile uint64_t *)0x3000;

    if ((uintptr_t)__bss_end > 0x200000) {
        tern_printf("FAIL sys: the program ends above 2 MiB\n");
        tern_exit(1);
    }
    tss.t.rsp[0] = (uint64_t)(uintptr_t)(rsp0_stack + sizeof(rsp0_stack));
    tss.t.ist[0] = (uint64_t)(uintptr_t)(ist1_stack + sizeof(ist1_stack));
    tss.t.iomap = sizeof(tss.t);
    memset(tss.iomap, 0xff, sizeof(tss.iomap));
    tern_gdt[0] = 0;
    tern_gdt[1] = 0x00af9b000000ffffull;        /* code64, DPL 0 */
    tern_gdt[2] = 0x00cf93000000ffffull;        /* data, DPL 0 */
    tern_gdt[3] = 0x00cff3000000ffffull;        /* data, DPL 3 */
    tern_gdt[4] = 0x00affb000000ffffull;        /* code64, DPL 3 */
    /* 64-bit TSS (available, type 9), 16 bytes */
    tern_gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
                  ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    tern_gdt[6] = base >> 32;
    tern_gdt_load();
    __asm__ volatile("ltr %w0" : : "r"(TERN_SEL_TSS));

    idt_install();
    idt_set_ist(8, 1);
    idt_set_ist(12, 1);
    idt_set_ist(13, 1);

    pml4[0] |= 4;
    pdpt[0] |= 4;
    pd0[0] |= 4;
    __asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
}

int tern_user_call(void (*fn)(void), uint64_t rflags, uint64_t rsp);
__asm__(
    "    .text\n"
    "    .globl tern_user_call\n"
    "tern_user_call:\n"
    TERN_CATCH_FRAME_PUSH
    "    pushq $0x1b\n"                     /* SS */
    "    pushq %rdx\n"                      /* RSP */
    "    pushq %rsi\n"                      /* RFLAGS */
    "    pushq $0x23\n"                     /* CS */
    "    lea tern_user_entry(%rip), %rax\n"
    "    pushq %rax\n"                      /* RIP */
    "    iretq\n"
    "tern_user_entry:\n"
    "    call *%rdi\n"
    "    int $32\n"
    "    ud2\n");

int tern_run_user(void (*fn)(void), uint64_t rflags)
{
    int v = tern_user_call(fn, rflags | 2, (uint64_t)(uintptr_t)(user_stack + sizeof(user_stack)));

    return v == 32 ? -1 : v;
}
