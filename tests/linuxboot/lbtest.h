/*
 * lbtest.h: the setup header values of the synthetic bzImage (setup.S)
 * that the guest (lbtest.c) expects to find again in boot_params.
 * Two forms: the default one is not relocatable (tern loads it at 1 MiB);
 * with LB_RELOC it is relocatable with pref_address 16 MiB and a lower
 * initrd_addr_max, so tern must honour both.
 */
#ifndef LBTEST_H
#define LBTEST_H

#define LB_VERSION         0x020f       /* boot protocol 2.15 */
#define LB_LOADFLAGS       0x01         /* LOADED_HIGH */
#define LB_XLOADFLAGS      0x0003       /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
#define LB_KERNEL_ALIGN    0x200000
#define LB_CMDLINE_SIZE    255
#define LB_INIT_SIZE       0x100000     /* the image and its bss fit (lb.ld) */
#define LB_CODE32_IMAGE    0x100000     /* code32_start in the file */
#define LB_RAMDISK_JUNK    0xdeadbeef   /* ramdisk fields in the file: tern overwrites */
#ifdef LB_RELOC
#define LB_RELOCATABLE     1
#define LB_PREF_ADDRESS    0x1000000
#define LB_INITRD_ADDR_MAX 0x2ffffff    /* below 48 MiB */
#else
#define LB_RELOCATABLE     0
#define LB_PREF_ADDRESS    0x100000
#define LB_INITRD_ADDR_MAX 0x7fffffff
#endif
#define LB_LOAD_ADDR       LB_PREF_ADDRESS

/* The run's facts (suite-linuxboot.sh): -m 64, and this -append text
 * followed by " initrd=CRC:SIZE" (POSIX cksum of the -initrd file). */
#define LB_RAM_BYTES       0x4000000
#define LB_CMDLINE_PREFIX  "lbtest  console=ttyS0 \"two words\""
#define LB_RESET_MARK_ADDR 0x9000       /* free low RAM (docs/boot.md): survives reset */
#define LB_RESET_MARK      0x4c42524bu  /* "KRBL" */

#endif
