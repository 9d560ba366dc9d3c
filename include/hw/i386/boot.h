/*
 * boot.h: loading a -kernel and building the state it starts in.
 *
 * elf_kernel_load() copies an ELF64 x86-64 executable into guest RAM;
 * x86_boot_longmode_setup() then writes the page tables, GDT, boot info
 * block and command line into low RAM and puts the CPU in 64-bit mode at
 * the entry point.  docs/boot.md is the specification of both; the
 * addresses below are its table.
 */
#ifndef HW_I386_BOOT_H
#define HW_I386_BOOT_H

#include "util/osdep.h"
#include "util/error.h"
#include "exec/memory.h"
#include "target-x86/cpu.h"

/* docs/boot.md's fixed addresses in guest physical memory. */
#define BOOT_GDT_ADDR      0x800
#define BOOT_PML4_ADDR     0x1000
#define BOOT_PDPT_ADDR     0x2000
#define BOOT_PD_ADDR       0x3000   /* four page directories, to 0x6fff */
#define BOOT_INFO_ADDR     0x7000
#define BOOT_CMDLINE_ADDR  0x7100
#define BOOT_CMDLINE_SIZE  3840     /* bytes at 0x7100, NUL included */
#define BOOT_STACK_TOP     0x80000
#define BOOT_KERNEL_MIN    0x100000 /* segments load at or above 1 MiB */
#define BOOT_INFO_MAGIC    0x4e524554u  /* "TERN" */
#define BOOT_INFO_VERSION  1

/* Where the board put guest RAM: [0, below_4g) and, if above_4g is not 0,
 * [4 GiB, 4 GiB + above_4g). */
typedef struct X86RamLayout {
    uint64_t below_4g;
    uint64_t above_4g;
} X86RamLayout;

#define X86_ABOVE_4G_BASE ((uint64_t)1 << 32)

/* Load the PT_LOAD segments of filename at their physical addresses in as
 * (bss zeroed) and return its entry point.  Every error is one line that
 * names the file: unreadable, not ELF, wrong class or machine, not
 * ET_EXEC, truncated, or a segment outside RAM or below 1 MiB. */
int elf_kernel_load(AddressSpace *as, const char *filename, const X86RamLayout *ram,
                    uint64_t *entry, Error **errp);

/* Write the long-mode boot structures (docs/boot.md) into as and set env
 * to start at entry.  cmdline may be NULL; one too long for its 3,840-byte
 * slot is an error. */
int x86_boot_longmode_setup(AddressSpace *as, CPUX86State *env, uint64_t entry,
                            uint64_t ram_size, const char *cmdline, Error **errp);

#endif
