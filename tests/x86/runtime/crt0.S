/*
 * crt0.S: entry of a tern guest test.  tern starts us in long mode with
 * RSP = 0x80000 and RDI = the boot info block (docs/boot.md).  Clear .bss
 * (tern already zeroes it; a program must not rely on the loader), call
 * main(bi) and exit with its return value.  Only plain instructions here:
 * the foundation translator runs this before any test.
 */
    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    mov     %rdi, %r12              /* boot info, callee-saved across main */
    lea     __bss_start(%rip), %rax
    lea     __bss_end(%rip), %rcx
1:  cmp     %rcx, %rax
    jae     2f
    movq    $0, (%rax)
    add     $8, %rax
    jmp     1b
2:  mov     %r12, %rdi
    call    main                    /* RSP is 16-byte aligned here */
    mov     %eax, %edi
    call    tern_exit
3:  hlt
    jmp     3b
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
