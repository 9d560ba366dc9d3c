/*
 * crt0.S: Multiboot header and entry of a 32-bit guest test (guest32-tests
 * in tests/x86/build.mk).  tern's Multiboot loader (docs/boot.md) enters
 * _start in 32-bit protected mode, paging off, flat segments from its own
 * GDT.  Load the runtime's GDT (runtime32/sys.c's tern_gdt: code32 0x08,
 * data 0x10), clear .bss, call main(NULL) and exit with its return value.
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003         /* page-aligned modules, memory info */

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text.start, "ax"
    .code32
    .globl _start
    .type _start, @function
_start:
    movl    $tern_stack_top, %esp
    call    tern_gdt_load           /* sys.c: tern_gdt is initialised data */
    ljmp    $0x08, $1f
1:  movl    $0x10, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %fs
    movl    %eax, %gs
    movl    %eax, %ss
    movl    $__bss_start, %edi
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    cld
    rep stosb
    subl    $12, %esp               /* 16-byte aligned at the call */
    pushl   $0                      /* no tern_bootinfo in a Multiboot boot */
    call    main
    movl    %eax, (%esp)
    call    tern_exit
2:  hlt
    jmp     2b
    .size _start, . - _start

    /* The boot stack lives in .data, not .bss: rep stosb above clears
     * .bss while running on it. */
    .data
    .balign 16
    .space 16384
tern_stack_top:

    .section .note.GNU-stack, "", @progbits
