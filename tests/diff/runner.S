/*
 * runner.S: the prologue and epilogue around a generated sequence, the same
 * on the host and in the guest.  diff_enter() saves the caller's registers
 * and its x87/SSE state (fxsave64 to DIFF_FX_HOST), loads the sequence's
 * FXSAVE image (fxrstor64 from DIFF_FX_IN), the 16 GPRs and RFLAGS from
 * DIFF_IN and jumps to the slot at DIFF_CODE_PTR.  The slot ends with
 * "jmp *DIFF_EXIT_PTR", which lands on diff_exit: it stores the GPRs and
 * RFLAGS to DIFF_OUT (RFLAGS first, before any instruction that changes
 * flags), the final image to DIFF_FX_OUT (fxsave64), restores the caller's
 * image and returns to diff_enter's caller.
 * Every address used while the sequence's registers are live is an
 * absolute disp32, so no register is needed to find the blocks.
 */
#include "diff.h"

    .text
    .globl diff_enter
    .type diff_enter, @function
diff_enter:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, DIFF_HOST_RSP
    fxsave64 DIFF_FX_HOST
    fxrstor64 DIFF_FX_IN
    lea     diff_exit(%rip), %rax
    mov     %rax, DIFF_EXIT_PTR
    mov     $DIFF_IN, %rsp
    pop     %rax
    pop     %rcx
    pop     %rdx
    pop     %rbx
    lea     8(%rsp), %rsp           /* RSP: loaded last */
    pop     %rbp
    pop     %rsi
    pop     %rdi
    pop     %r8
    pop     %r9
    pop     %r10
    pop     %r11
    pop     %r12
    pop     %r13
    pop     %r14
    pop     %r15
    popfq
    mov     DIFF_IN + 32, %rsp
    jmp     *DIFF_CODE_PTR

diff_exit:
    mov     %rsp, DIFF_OUT + 32
    mov     $DIFF_OUT + 136, %rsp
    pushfq
    push    %r15
    push    %r14
    push    %r13
    push    %r12
    push    %r11
    push    %r10
    push    %r9
    push    %r8
    push    %rdi
    push    %rsi
    push    %rbp
    lea     -8(%rsp), %rsp          /* RSP: stored above */
    push    %rbx
    push    %rdx
    push    %rcx
    push    %rax
    fxsave64 DIFF_FX_OUT
    fxrstor64 DIFF_FX_HOST
    mov     DIFF_HOST_RSP, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret
    .size diff_enter, . - diff_enter

    .section .note.GNU-stack, "", @progbits
