/*
 * entry.S: the Multiboot header and entry of the multiboot test guest.
 * Built twice: as an ELF32 loaded by its program headers, and with
 * MB_AOUT as an image whose header carries the address fields (flag 16),
 * then turned into a raw binary and an ELF64 (build.mk).
 */
#define MB_MAGIC 0x1badb002
#ifdef MB_AOUT
#define MB_FLAGS 0x00010003     /* page-aligned modules, memory info, addresses */
#else
#define MB_FLAGS 0x00000003
#endif

    .section .multiboot, "a"
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
#ifdef MB_AOUT
    .long mb_header             /* header_addr */
    .long _start_image          /* load_addr */
    .long _edata                /* load_end_addr */
    .long _end                  /* bss_end_addr */
    .long _start                /* entry_addr */
#endif

    .text
    .code32
    .globl _start
_start:
    movl $stack_top, %esp
    pushfl                      /* the entry EFLAGS */
    pushl %ebx                  /* the information structure */
    pushl %eax                  /* the boot magic */
    call mb_main
1:  hlt
    jmp 1b

    /* The data segment's word: the guest checks that it was loaded. */
    .data
    .globl mb_data_word
mb_data_word:
    .long 0x600dda7a

    .bss
    .balign 16
    .space 16384
stack_top:
