// tern-kvm: allow firmware/a20/* KVM does not emulate the A20 gate: memory never wraps at 1 MiB
// tern-nested: allow firmware/real/*limit* QEMU 7.2 TCG (the nested CPU) does not check real-mode segment limits
/*
 * modes.S: a tiny firmware that walks the CPU through its modes from the
 * reset state and checks each step (docs/cpu.md, "Reset and firmware").
 *
 *   reset (F000:FFF0, CS.base 0xFFFF0000) -> far jmp into the 0xE0000 alias
 *   real mode: 16-bit arithmetic, offset and stack wraparound, ROM writes
 *     dropped, the A20 gate (port 0x92), far jmp/call/ret, INT/IRET,
 *     push/pop of segment registers, PUSHA/POPA, LES/LSS, the 64 KiB
 *     segment limits (#GP, #SS, rep movs stopping at the limit, an
 *     instruction fetched across CS's limit)
 *   16-bit protected mode (a 4 GiB data segment)
 *   32-bit protected mode: flat code, the ROM's top copy below 4 GiB, far
 *     call, PUSHAD/POPAD
 *   long mode (PAE, EFER.LME, CR0.PG) and back through compatibility mode
 *   back to real mode with DS's 4 GiB limit kept (unreal mode: no limit
 *     fault at 0xffff)
 *
 * Each check stores 1 in results[index] (RAM 0x600) when it passes; back in
 * real mode the report prints one "PASS firmware/NAME" or "FAIL ..." line
 * per name in check_names, then "N passed, N failed", and writes 0 (all
 * passed) or 1 to isa-debug-exit (port 0xf4).  A check whose step never
 * ran stays 0: FAIL.
 *
 * Memory: stack below 0x7000; IVT entries 12, 13 and 0x80; far pointers and
 * saved values at 0x520-0x563; results at 0x600; A20 probes at 0x500 / 0x100500; page
 * tables at 0x10000-0x12fff; data at 0x100600, 0x200000, 0x300000.
 */

#define ROM_BASE   0xf0000
#define LIN(x)     ((x) + ROM_BASE)
#define RESULTS    0x600
#define COM1       0x3f8
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20
#define SEL_CODE64 0x28
#define MSR_EFER   0xc0000080

/* ZF set: the check passed (in any mode: results are at an absolute address
 * with a zero DS base). */
.macro RESULT idx
    jnz .Lresult_fail\@
    movb $1, RESULTS + \idx
.Lresult_fail\@:
.endm

    .text
    .code16

/* ---- report helpers (real mode, DS = 0) ------------------------------- */

/* al -> COM1, once the transmitter is empty */
putc:
    push %dx
    push %ax
1:  mov $COM1 + 5, %dx
    in %dx, %al
    test $0x20, %al
    jz 1b
    pop %ax
    mov $COM1, %dx
    out %al, %dx
    pop %dx
    ret

/* print the NUL-terminated string at cs:si; si is left at the NUL */
puts:
    push %ax
1:  movb %cs:(%si), %al
    test %al, %al
    jz 2f
    call putc
    inc %si
    jmp 1b
2:  pop %ax
    ret

/* print ax in decimal */
print_dec:
    push %ax
    push %bx
    push %cx
    push %dx
    mov $10, %bx
    xor %cx, %cx
1:  xor %dx, %dx
    div %bx
    push %dx
    inc %cx
    test %ax, %ax
    jnz 1b
2:  pop %ax
    add $'0', %al
    call putc
    dec %cx
    jnz 2b
    pop %dx
    pop %cx
    pop %bx
    pop %ax
    ret

/* far targets for the real-mode checks */
far_fn:                         /* returns cs in ax */
    mov %cs, %ax
    lret
far_fn_pop4:                    /* retf 4: drops two words the caller pushed */
    lret $4
int80_handler:                  /* cx = 0x77, CF cleared (IRET restores it) */
    mov $0x77, %cx
    clc
    iret
/* #SS (12) and #GP (13) in real mode: record the vector at 0x560 and
 * resume at the IP the check stored at 0x562 (DS = SS = 0) */
fault12_handler:
    movb $12, 0x560
    jmp 1f
fault13_handler:
    movb $13, 0x560
1:  push %bp
    mov %sp, %bp
    push %ax
    mov 0x562, %ax
    mov %ax, 2(%bp)             /* the pushed IP */
    pop %ax
    pop %bp
    iret
/* 29 real/fetch-limit: run as CS':0xfffd (CS' = its linear address minus
 * 0xfffd, over 16), the 4-byte add crosses the 64 KiB limit: #GP at it;
 * the handler returns to CS':0xfff0, the ljmp back. */
    .balign 16
fetch_back:
    ljmp $0xf000, $fetch_done
    .fill 8, 1, 0x90
fetch_cross:
    add $0x1234, %bx
    ljmp $0xf000, $fetch_done
ljmp_alias_target:              /* reached as F001:(this - 0x10) */
    mov %cs, %bx
    ljmp $0xf000, $ljmp_alias_back

rom_byte:
    .byte 0xa5

    .p2align 3
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff    /* 0x08: code, 32-bit, base 0, 4 GiB (accessed: ROM) */
    .quad 0x00cf93000000ffff    /* 0x10: data, base 0, 4 GiB */
    .quad 0x00009b0f0000ffff    /* 0x18: code, 16-bit, base 0xf0000, 64 KiB */
    .quad 0x000093000000ffff    /* 0x20: data, 16-bit, base 0, 64 KiB */
    .quad 0x00af9b000000ffff    /* 0x28: code, 64-bit */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long LIN(gdt)

/* ---- real mode from reset --------------------------------------------- */

start:
    cli
    xor %ax, %ax
    mov %ax, %ss
    mov $0x7000, %esp
    mov %ax, %ds
    mov $RESULTS, %bx
1:  movb $0, (%bx)
    inc %bx
    cmp $RESULTS + 32, %bx
    jne 1b

    /* 0 real/arith: 16-bit results and carries */
    mov $0xffff, %ax
    add $1, %ax
    setc %cl
    mov $0x1234, %bx
    shl $4, %bx
    sub $0x2340, %bx
    or %ax, %bx
    dec %cl
    movzbw %cl, %cx
    or %cx, %bx
    RESULT 0

    /* 1 real/offset-wrap: es:(0xffff + 2) is es:1 */
    mov $0x1000, %ax
    mov %ax, %es
    movb $0, %es:1
    mov $0xffff, %bx
    movb $0x5a, %es:2(%bx)
    cmpb $0x5a, %es:1
    RESULT 1

    /* 2 real/stack-wrap: push at SP = 0 stores at ss:0xfffe and changes SP only */
    mov $0x2000, %ax
    mov %ax, %ss
    mov $0x12340000, %esp
    mov $0xbeef, %ax
    push %ax
    mov %esp, %ecx
    xor %ax, %ax
    mov %ax, %ss
    mov $0x7000, %esp
    mov $0x2000, %ax
    mov %ax, %es
    cmpw $0xbeef, %es:0xfffe
    jne 1f
    cmp $0x1234fffe, %ecx
1:  RESULT 2

    /* 3 rom/read-only: a write to the ROM is dropped */
    mov $0xf000, %ax
    mov %ax, %es
    movb $0, %es:rom_byte
    cmpb $0xa5, %es:rom_byte
    RESULT 3

    /* 4 a20/reset-on: port 0x92 bit 1 set, 0x100500 distinct from 0x500 */
    xor %ax, %ax
    mov %ax, %es
    mov $0xffff, %ax
    mov %ax, %fs
    movb $0xaa, %es:0x500
    movb $0x55, %fs:0x510
    in $0x92, %al
    test $2, %al
    jz 1f
    cmpb $0xaa, %es:0x500
1:  RESULT 4

    /* 5 a20/off-wraps: with the gate closed ffff:0510 is 0:0500 */
    in $0x92, %al
    and $~2, %al
    out %al, $0x92
    movb $0x66, %fs:0x510
    cmpb $0x66, %es:0x500
    jne 1f
    in $0x92, %al
    test $2, %al
1:  RESULT 5

    /* 6 a20/on-again: 0x100500 kept its byte */
    in $0x92, %al
    or $2, %al
    out %al, $0x92
    cmpb $0x55, %fs:0x510
    jne 1f
    cmpb $0x66, %es:0x500
1:  RESULT 6

    /* 7 real/ljmp: ea into another segment:offset of the same code */
    xor %bx, %bx
    ljmp $0xf001, $(ljmp_alias_target - 0x10)
ljmp_alias_back:
    cmp $0xf001, %bx
    RESULT 7

    /* 8 real/ljmp-mem: ff /5 through a far pointer in RAM */
    movw $ljmp_mem_target, 0x520
    movw $0xf000, 0x522
    or $1, %ax                  /* ZF clear unless the jump lands */
    ljmp *0x520
    jmp 1f
ljmp_mem_target:
    xor %ax, %ax
1:  RESULT 8

    /* 9 real/lcall-lret: 9a and cb/ca (retf 4 drops the two words) */
    mov %sp, %dx
    xor %ax, %ax
    lcall $0xf000, $far_fn
    mov %ax, %bx
    push %ax
    push %ax
    lcall $0xf000, $far_fn_pop4
    cmp %sp, %dx
    jne 1f
    cmp $0xf000, %bx
1:  RESULT 9

    /* 10 real/lcall-mem: ff /3 */
    movw $far_fn, 0x524
    movw $0xf000, 0x526
    xor %ax, %ax
    lcall *0x524
    cmp %sp, %dx
    jne 1f
    cmp $0xf000, %ax
1:  RESULT 10

    /* 11 real/int-iret: through the IVT; IRET restores CF */
    movw $int80_handler, 0x200
    movw $0xf000, 0x202
    xor %cx, %cx
    stc
    int $0x80
    setc %al
    cmp $0x77, %cx
    jne 1f
    cmp $1, %al
1:  RESULT 11

    /* 20 real/push-pop-sreg: 06 07 0E 16 17 1E 1F */
    mov $0x1234, %ax
    mov %ax, %es
    push %es
    pop %bx
    push %cs
    pop %cx
    push %ds
    pop %es
    mov %es, %dx
    push %ss
    pop %ss
    pushw $0
    pop %ds
    cmp $0x1234, %bx
    jne 1f
    cmp $0xf000, %cx
    jne 1f
    test %dx, %dx
1:  RESULT 20

    /* 21 real/pusha-popa: the frame (DI lowest, the original SP in it) and
     * every register back */
    mov %sp, 0x540
    mov $1, %ax
    mov $2, %cx
    mov $3, %dx
    mov $4, %bx
    mov $6, %bp
    mov $7, %si
    mov $8, %di
    pusha
    mov %sp, %bp
    cmpw $8, (%bp)
    jne 1f
    cmpw $1, 14(%bp)
    jne 1f
    mov 6(%bp), %ax
    cmp 0x540, %ax
    jne 1f
    xor %ax, %ax
    xor %cx, %cx
    xor %dx, %dx
    xor %bx, %bx
    xor %bp, %bp
    xor %si, %si
    xor %di, %di
    popa
    cmp 0x540, %sp
    jne 1f
    cmp $1, %ax
    jne 1f
    cmp $2, %cx
    jne 1f
    cmp $3, %dx
    jne 1f
    cmp $4, %bx
    jne 1f
    cmp $6, %bp
    jne 1f
    cmp $7, %si
    jne 1f
    cmp $8, %di
1:  RESULT 21

    /* 22 real/les-lss: far pointers from memory into ES:BX and SS:SP */
    movw $0xabcd, 0x550
    movw $0x1234, 0x552
    movw $0x6ff0, 0x554
    movw $0, 0x556
    les 0x550, %bx
    lss 0x554, %sp
    mov %sp, %cx
    mov $0x7000, %sp
    mov %es, %ax
    cmp $0x1234, %ax
    jne 1f
    cmp $0xabcd, %bx
    jne 1f
    cmp $0x6ff0, %cx
1:  RESULT 22

    /* segment limits (docs/cpu.md, "Segment limit and type checks") */
    movw $fault12_handler, 4 * 12
    movw $0xf000, 4 * 12 + 2
    movw $fault13_handler, 4 * 13
    movw $0xf000, 4 * 13 + 2
    mov $0x1000, %ax
    mov %ax, %es

    /* 24 real/limit-last-byte: es:0xffff as a byte is within the limit */
    movb $0, 0x560
    movw $1f, 0x562
    movb $0x3c, %es:0xffff
    cmpb $0x3c, %es:0xffff
    jne 1f
    cmpb $0, 0x560
1:  RESULT 24

    /* 25 real/limit-word-gp: a word at es:0xffff crosses the 64 KiB limit:
     * #GP, nothing written, ax unchanged */
    movb $0, 0x560
    movw $1f, 0x562
    mov $0x1234, %ax
    movw $0x5678, %es:0xffff
    mov %es:0xffff, %ax
1:  cmpb $13, 0x560
    jne 1f
    cmp $0x1234, %ax
    jne 1f
    cmpb $0x3c, %es:0xffff
1:  RESULT 25

    /* 26 real/limit-ss: a word at ss:0xffff (bp-based): #SS */
    movb $0, 0x560
    movw $1f, 0x562
    mov $0xffff, %bp
    mov (%bp), %ax
1:  cmpb $12, 0x560
    RESULT 26

    /* 27 real/limit-rep-movs: rep movsw from ds:0xfffd stops at the word
     * at 0xffff with cx, si, di after the completed word */
    movb $0, 0x560
    movw $1f, 0x562
    mov $0xfffd, %si
    mov $0x100, %di
    mov $3, %cx
    cld
    rep movsw
1:  cmpb $13, 0x560
    jne 1f
    cmp $2, %cx
    jne 1f
    cmp $0xffff, %si
    jne 1f
    cmp $0x102, %di
1:  RESULT 27

    movb $0, 0x560
    movw $0xfff0, 0x562
    mov $0x1111, %bx
    mov $fetch_cross + 3, %ax
    shr $4, %ax
    add $0xe000, %ax
    push %ax
    push $0xfffd
    lret
fetch_done:
    cmpb $13, 0x560
    jne 1f
    cmp $0x1111, %bx
1:  RESULT 29

    /* 12 pm16/data32: protected mode, 16-bit code, a 4 GiB data segment */
    lgdt %cs:gdt_desc
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmp $SEL_CODE16, $pm16
pm16:
    mov $SEL_DATA32, %ax
    mov %ax, %ds
    mov $0x100600, %ebx
    movl $0xcafef00d, (%ebx)
    cmpl $0xcafef00d, (%ebx)
    jne 1f
    mov %cs, %ax
    cmp $SEL_CODE16, %ax
1:  RESULT 12
    ljmpl $SEL_CODE32, $LIN(pm32)

/* ---- 32-bit protected mode -------------------------------------------- */

    .code32
pm32:
    mov $SEL_DATA32, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7000, %esp

    /* 13 pm32/flat: 32-bit arithmetic and a flat store above 1 MiB */
    mov $0x80000000, %eax
    add %eax, %eax
    setc %cl
    movl $0x12345678, 0x200000
    cmpl $0x12345678, 0x200000
    jne 1f
    or %eax, %eax
    jnz 1f
    cmp $1, %cl
1:  RESULT 13

    /* 14 pm32/rom-top: the image's last 16 bytes at 0xfffffff0 and 0xffff0;
     * writes are dropped */
    mov 0xfffffff0, %eax
    cmp LIN(0xfff0), %eax
    jne 1f
    movl $0, 0xfffffff0
    cmp 0xfffffff0, %eax
1:  RESULT 14

    /* 15 pm32/lcall-lret */
    mov %esp, %edx
    lcall $SEL_CODE32, $LIN(pm32_far_fn)
    cmp %esp, %edx
    jne 1f
    cmp $SEL_CODE32, %eax
1:  RESULT 15

    /* 23 pm32/pusha-popa: 32-bit frame */
    mov $0x11111111, %eax
    mov $0x88888888, %edi
    mov %esp, %edx
    pushal
    cmp 12(%esp), %edx
    jne 1f
    cmpl $0x11111111, 28(%esp)
    jne 1f
    xor %eax, %eax
    xor %edi, %edi
    popal
    cmp %esp, %edx
    jne 1f
    cmp $0x11111111, %eax
    jne 1f
    cmp $0x88888888, %edi
1:  RESULT 23

    /* 16 long/64bit: identity-map 4 MiB with 2 MiB pages, PAE, LME, PG */
    mov $0x10000, %edi
    mov $0x3000 / 4, %ecx
    xor %eax, %eax
1:  mov %eax, (%edi)
    add $4, %edi
    dec %ecx
    jnz 1b
    movl $0x11003, 0x10000      /* PML4[0] -> PDPT */
    movl $0x12003, 0x11000      /* PDPT[0] -> PD */
    movl $0x000083, 0x12000     /* 2 MiB pages: present, writable */
    movl $0x200083, 0x12008
    mov $0x10000, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax              /* PAE */
    mov %eax, %cr4
    mov $MSR_EFER, %ecx
    rdmsr
    or $0x100, %eax             /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax        /* PG: long mode active */
    mov %eax, %cr0
    ljmp $SEL_CODE64, $LIN(lm64)

pm32_far_fn:
    mov %cs, %eax
    lret

    .code64
lm64:
    movabs $0x123456789, %rax
    shr $4, %rax
    cmp $0x12345678, %rax
    RESULT 16
    /* to compatibility mode through an m16:32 far pointer */
    movl $LIN(compat32), 0x530
    movw $SEL_CODE32, 0x534
    ljmpl *0x530

    .code32
compat32:
    /* 17 long/leave: PG off clears LMA, then LME off */
    mov %cr0, %eax
    and $0x7fffffff, %eax
    mov %eax, %cr0
    mov $MSR_EFER, %ecx
    rdmsr
    and $~0x100, %eax
    wrmsr
    rdmsr
    test $0x500, %eax           /* LME, LMA */
    RESULT 17

    /* back to real mode: 16-bit code and stack segments, then PE off; DS
     * keeps its 4 GiB limit */
    movl $0xdeadbeef, 0x300000
    ljmp $SEL_CODE16, $pm16_back

    .code16
pm16_back:
    mov $SEL_DATA16, %ax
    mov %ax, %ss
    mov %cr0, %eax
    and $~1, %eax
    mov %eax, %cr0
    ljmp $0xf000, $real_back
real_back:
    xor %ax, %ax
    mov %ax, %ss
    mov $0x7000, %esp
    mov %ax, %ds                /* base 0, limit kept: unreal mode */

    /* 18 unreal/big-ds: a 32-bit offset through DS in real mode */
    mov $0x300000, %ebx
    cmpl $0xdeadbeef, (%ebx)
    RESULT 18

    /* 28 unreal/no-limit: the cached 4 GiB limit: a word at ds:0xffff */
    movb $0, 0x560
    movw $1f, 0x562
    movw $0x4321, 0xffff
    cmpw $0x4321, 0xffff
    jne 1f
    cmpb $0, 0x560
1:  RESULT 28

    /* 19 real/back: CS is a real-mode selector again */
    mov %cs, %ax
    cmp $0xf000, %ax
    RESULT 19

/* ---- report ----------------------------------------------------------- */

    xor %bx, %bx                /* check index */
    xor %di, %di                /* failures */
    mov $check_names, %si
next_check:
    cmpb $0, %cs:(%si)
    je report_done
    push %si
    cmpb $1, RESULTS(%bx)
    jne 1f
    mov $str_pass, %si
    jmp 2f
1:  mov $str_fail, %si
    inc %di
2:  call puts
    pop %si
    call puts                   /* the name; si ends at its NUL */
    cmpb $1, RESULTS(%bx)
    je 3f
    push %si
    mov $str_fail_why, %si
    call puts
    pop %si
3:  mov $'\n', %al
    call putc
    inc %si
    inc %bx
    jmp next_check
report_done:
    mov %bx, %ax
    sub %di, %ax
    call print_dec
    mov $str_passed, %si
    call puts
    mov %di, %ax
    call print_dec
    mov $str_failed, %si
    call puts
    xor %al, %al
    test %di, %di
    jz 1f
    mov $1, %al
1:  out %al, $0xf4
2:  hlt
    jmp 2b

str_pass:     .asciz "PASS firmware/"
str_fail:     .asciz "FAIL firmware/"
str_fail_why: .asciz ": check failed (or its mode was never reached)"
str_passed:   .asciz " passed, "
str_failed:   .asciz " failed\n"

/* One name per RESULT index, in order; an empty name ends the list. */
check_names:
    .asciz "real/arith"
    .asciz "real/offset-wrap"
    .asciz "real/stack-wrap"
    .asciz "rom/read-only"
    .asciz "a20/reset-on"
    .asciz "a20/off-wraps"
    .asciz "a20/on-again"
    .asciz "real/ljmp"
    .asciz "real/ljmp-mem"
    .asciz "real/lcall-lret"
    .asciz "real/lcall-mem"
    .asciz "real/int-iret"
    .asciz "pm16/data32"
    .asciz "pm32/flat"
    .asciz "pm32/rom-top"
    .asciz "pm32/lcall-lret"
    .asciz "long/64bit"
    .asciz "long/leave"
    .asciz "unreal/big-ds"
    .asciz "real/back"
    .asciz "real/push-pop-sreg"
    .asciz "real/pusha-popa"
    .asciz "real/les-lss"
    .asciz "pm32/pusha-popa"
    .asciz "real/limit-last-byte"
    .asciz "real/limit-word-gp"
    .asciz "real/limit-ss"
    .asciz "real/limit-rep-movs"
    .asciz "unreal/no-limit"
    .asciz "real/fetch-limit"
    .byte 0

/* ---- reset vector: F000:FFF0 ------------------------------------------ */

    .section .reset, "ax"
    .code16
    ljmp $0xf000, $start
    .fill 11, 1, 0xf4
