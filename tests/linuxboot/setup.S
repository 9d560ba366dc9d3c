/*
 * setup.S: the real-mode part of the synthetic bzImage: the boot sector
 * and one setup sector, holding only the setup header (boot.rst, "The
 * Real-Mode Kernel Header").  Nothing here runs: tern enters the 64-bit
 * entry point.  SYSSIZE (16-byte units of the kernel) comes from build.mk.
 */
#include "lbtest.h"

    .section .setup, "a"
    .org 0x1f1
    .byte 1                     /* setup_sects */
    .word 0                     /* root_flags */
    .long SYSSIZE               /* syssize */
    .word 0, 0, 0               /* ram_size, vid_mode, root_dev */
    .word 0xaa55                /* boot_flag */
    .byte 0xeb, hdr_end - hdr_magic     /* jump: its offset ends the header */
hdr_magic:
    .ascii "HdrS"               /* 0x202 */
    .word LB_VERSION
    .long 0                     /* realmode_swtch */
    .word 0x1000                /* start_sys_seg */
    .word 0                     /* kernel_version */
    .byte 0                     /* 0x210 type_of_loader */
    .byte LB_LOADFLAGS
    .word 0                     /* setup_move_size */
    .long LB_CODE32_IMAGE       /* 0x214 code32_start */
    .long LB_RAMDISK_JUNK, LB_RAMDISK_JUNK  /* ramdisk_image, ramdisk_size */
    .long 0                     /* bootsect_kludge */
    .word 0                     /* heap_end_ptr */
    .byte 0, 0                  /* ext_loader_ver, ext_loader_type */
    .long 0                     /* 0x228 cmd_line_ptr */
    .long LB_INITRD_ADDR_MAX
    .long LB_KERNEL_ALIGN
    .byte LB_RELOCATABLE
    .byte 21                    /* min_alignment: 2 MiB */
    .word LB_XLOADFLAGS         /* 0x236 */
    .long LB_CMDLINE_SIZE
    .long 0                     /* hardware_subarch */
    .quad 0                     /* hardware_subarch_data */
    .long 0, 0                  /* payload_offset, payload_length */
    .quad 0                     /* setup_data */
    .quad LB_PREF_ADDRESS       /* 0x258 */
    .long LB_INIT_SIZE          /* 0x260 */
    .long 0                     /* handover_offset */
    .long 0                     /* kernel_info_offset */
hdr_end:
    .org 0x400
