/*
 * head.S: the protected-mode kernel of the synthetic bzImage, linked at
 * its load address (lb.ld).  The 32-bit entry at +0 traps (tern must not
 * use it); the 64-bit entry at +0x200 records the entry state, clears bss,
 * takes its own stack and calls lb_main(boot_params).
 */
    .section .head, "ax"
    .code32
    .globl startup_32
startup_32:
    ud2

    .org 0x200
    .code64
    .globl startup_64
startup_64:
    movq %rsi, entry_rsi(%rip)
    movw %cs, entry_cs(%rip)
    movw %ds, entry_ds(%rip)
    movw %es, entry_es(%rip)
    movw %ss, entry_ss(%rip)
    movq %rsi, %rbx
    leaq __bss_start(%rip), %rdi
    leaq _end(%rip), %rcx
    subq %rdi, %rcx
    xorl %eax, %eax
    rep stosb
    leaq stack_top(%rip), %rsp
    pushfq                      /* IF: the caller's, not changed above */
    popq entry_rflags(%rip)
    movq %rbx, %rdi
    call lb_main
1:  hlt
    jmp 1b

    .data
    .balign 8
    .globl entry_rsi, entry_rflags, entry_cs, entry_ds, entry_es, entry_ss
entry_rsi:    .quad 0
entry_rflags: .quad 0
entry_cs:     .word 0
entry_ds:     .word 0
entry_es:     .word 0
entry_ss:     .word 0

    .bss
    .balign 16
    .space 16384
stack_top:
