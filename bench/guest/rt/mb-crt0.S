/*
 * mb-crt0.S: entry of the benchmark guests, booted by tern and by QEMU
 * alike as Multiboot 1 kernels (flag 16: the header's address fields say
 * where the file goes, so the image can be an ELF64 file, which QEMU
 * would otherwise refuse).  The loader enters _start in 32-bit protected
 * mode, paging off, with no stack.  We zero .bss, identity-map the first
 * 4 GiB with 2 MiB pages (present, writable, executable), load a GDT with
 * a 64-bit code segment, enable PAE, EFER.LME and paging, SSE (CR0.MP,
 * not EM; CR4.OSFXSR and OSXMMEXCPT) and the x87 (fninit), and enter
 * 64-bit code, which calls main(NULL) and exits through isa-debug-exit
 * with main's return value (tern_exit: the emulator exits (v << 1) | 1).
 * No IDT: an exception is a triple fault, which the runner sees as a
 * failed run.
 */
#define MB_MAGIC    0x1badb002
#define MB_FLAGS    0x00010000      /* the address fields are valid */

#define CR0_PE      0x00000001
#define CR0_MP      0x00000002
#define CR0_ET      0x00000010
#define CR0_NE      0x00000020
#define CR0_WP      0x00010000
#define CR0_PG      0x80000000
#define CR4_PAE     0x00000020
#define CR4_OSFXSR  0x00000200
#define CR4_OSXMMEXCPT 0x00000400
#define MSR_EFER    0xc0000080
#define EFER_LME    0x00000100
#define PTE_P_RW    0x003
#define PDE_2M      0x083           /* present, writable, 2 MiB page */
#define SEL_CODE64  0x08
#define SEL_DATA    0x10
#define STACK_SIZE  65536

    .section .multiboot, "a"
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header             /* header_addr */
    .long _start_image          /* load_addr */
    .long _edata                /* load_end_addr */
    .long _end                  /* bss_end_addr */
    .long _start                /* entry_addr */

    .section .text.start, "ax"
    .code32
    .globl _start
    .type _start, @function
_start:
    cld
    /* zero .bss, which holds the page tables and the stack */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    shr     $2, %ecx
    xor     %eax, %eax
    rep stosl

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories */
    mov     $pdpt, %eax
    or      $PTE_P_RW, %eax
    mov     %eax, pml4
    mov     $pd, %eax
    or      $PTE_P_RW, %eax
    xor     %ecx, %ecx
1:  mov     %eax, pdpt(,%ecx,8)
    add     $4096, %eax
    inc     %ecx
    cmp     $4, %ecx
    jb      1b
    /* 2048 2 MiB pages: entry i maps i << 21 (bits 32-35 of the address
     * go into the high dword) */
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $21, %eax
    or      $PDE_2M, %eax
    mov     %eax, pd(,%ecx,8)
    mov     %ecx, %eax
    shr     $11, %eax
    mov     %eax, pd+4(,%ecx,8)
    inc     %ecx
    cmp     $2048, %ecx
    jb      2b

    lgdt    gdt_ptr
    mov     $pml4, %eax
    mov     %eax, %cr3
    mov     $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov     %eax, %cr4
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     $(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $start64

    .code64
start64:
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %eax, %fs
    mov     %eax, %gs
    lea     stack_top(%rip), %rsp
    fninit
    xor     %edi, %edi              /* no tern boot info block */
    call    main                    /* RSP is 16-byte aligned here */
    mov     %eax, %edi
    call    tern_exit
3:  hlt
    jmp     3b
    .size _start, . - _start

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff        /* 0x10: flat data */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .section .bss
    .balign 4096
pml4:   .space 4096
pdpt:   .space 4096
pd:     .space 4 * 4096
    .balign 16
    .space STACK_SIZE
stack_top:

    .section .note.GNU-stack, "", @progbits
