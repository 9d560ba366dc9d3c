/*
 * sys.c: segments, the TSS and ring 3 for 32-bit guest tests.  tern_gdt
 * is initialised data, so crt0.S can load it before .bss is cleared: flat
 * 32-bit code (0x08) and data (0x10) at DPL 0, user data (0x1b) and code
 * (0x23) at DPL 3; tern_sys_install() adds a 32-bit TSS (0x28) and loads
 * it with LTR.  Entry 6 is free as well (the 64-bit runtime's TSS takes
 * two entries), entries TERN_GDT_FREE.. are the tests'.  The TSS's SS0:ESP0
 * is the stack events from ring 3 and virtual-8086 mode arrive on; the TSS
 * ends with an I/O permission bitmap for ports 0..TERN_IOMAP_PORTS-1, all
 * denied until tern_io_allow (ports above lie beyond the TSS limit).
 * Paging stays off; tests that want it build their own tables.
 *
 * tern_run_user(fn, eflags) runs fn at CPL 3: it saves the catch frame as
 * tern_catch_fault does, loads the user data selector into DS/ES/FS/GS and
 * IRETs to a trampoline that calls fn and then executes INT 32 (idt.c's
 * DPL 3 gate); an exception in fn reaches its handler at CPL 0 the same
 * way.  Either way idt.c's common stub resumes the caller with the vector.
 */
#include "tern.h"

extern uint32_t tern_catch_rsp;                 /* idt.c */

uint64_t tern_gdt[TERN_GDT_SIZE] __attribute__((aligned(16))) = {
    [1] = 0x00cf9b000000ffffull,                /* code32, DPL 0 */
    [2] = 0x00cf93000000ffffull,                /* data, DPL 0 */
    [3] = 0x00cff3000000ffffull,                /* data, DPL 3 */
    [4] = 0x00cffb000000ffffull,                /* code32, DPL 3 */
};

/* the bitmap, then the all-ones byte the CPU may read past its end */
struct tern_tss32_iomap {
    struct tern_tss32 t;
    uint8_t iomap[TERN_IOMAP_PORTS / 8 + 1];
} __attribute__((packed));
static struct tern_tss32_iomap tss __attribute__((aligned(16)));
struct tern_tss32 *const tern_tss = &tss.t;
uint8_t *const tern_iomap = tss.iomap;           /* desc.c */
static uint8_t esp0_stack[8192] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));

void tern_sys_install(void)
{
    tss.t.esp0 = (uint32_t)(uintptr_t)(esp0_stack + sizeof(esp0_stack));
    tss.t.ss0 = TERN_SEL_KDATA;
    tss.t.iomap = sizeof(tss.t);
    memset(tss.iomap, 0xff, sizeof(tss.iomap));
    tern_gdt[5] = tern_seg_desc((uint32_t)(uintptr_t)&tss, sizeof(tss) - 1, 0x89, 0);
    tern_gdt_load();
    __asm__ volatile("ltr %w0" : : "r"(TERN_SEL_TSS));
    idt_install();
}

/* (fn, eflags, esp): after the catch frame the return address is at
 * 28(%esp), the arguments at 32, 36, 40; each push moves them by 4. */
int tern_user_call(void (*fn)(void), uint32_t eflags, uint32_t esp);
__asm__(
    "    .text\n"
    "    .globl tern_user_call\n"
    "tern_user_call:\n"
    TERN_CATCH_FRAME_PUSH
    "    mov 32(%esp), %ebx\n"              /* fn, callee-saved */
    "    mov $0x1b, %eax\n"
    "    mov %eax, %ds\n"
    "    mov %eax, %es\n"
    "    mov %eax, %fs\n"
    "    mov %eax, %gs\n"
    "    pushl $0x1b\n"                     /* SS */
    "    pushl 44(%esp)\n"                  /* ESP */
    "    pushl 44(%esp)\n"                  /* EFLAGS */
    "    pushl $0x23\n"                     /* CS */
    "    pushl $tern_user_entry\n"          /* EIP */
    "    iret\n"
    "tern_user_entry:\n"
    "    call *%ebx\n"
    "    int $32\n"
    "    ud2\n");

int tern_run_user(void (*fn)(void), uint64_t rflags)
{
    int v = tern_user_call(fn, (uint32_t)rflags | 2, (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack)));

    return v == 32 ? -1 : v;
}
