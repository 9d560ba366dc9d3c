/*
 * boot.h: loading a -kernel and building the state it starts in.
 *
 * elf_kernel_load() copies an ELF64 x86-64 executable into guest RAM;
 * x86_boot_longmode_setup() then writes the page tables, GDT, boot info
 * block and command line into low RAM and puts the CPU in 64-bit mode at
 * the entry point.  multiboot_boot() does the whole job for a Multiboot 1
 * kernel (32-bit protected mode), and is tried after linux_boot(), which
 * boots a Linux bzImage through the 64-bit boot protocol (linux.c).
 * docs/boot.md is the specification of all of them; the addresses below
 * are its table.
 */
#ifndef HW_I386_BOOT_H
#define HW_I386_BOOT_H

#include "util/osdep.h"
#include "util/error.h"
#include "util/bytes.h"
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

/* e820 memory map entries (the BIOS INT 15h AX=E820h format; ACPI
 * "Address Range Types"). */
#define E820_RAM       1
#define E820_RESERVED  2
#define E820_ACPI      3
#define E820_NVS       4

typedef struct E820Entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} E820Entry;

#define X86_BOOT_FW_E820_MAX 2   /* the ACPI tables: one ACPI, one NVS range */
/* The fixed map's five entries, above 4 GiB, and at most two more per
 * board entry (a split RAM range); Multiboot's map area holds ten. */
#define E820_MAP_MAX         (6 + 2 * X86_BOOT_FW_E820_MAX)

/* What the board's firmware tables add to the boot information: ranges
 * carved out of the memory map (ACPI tables: E820_ACPI or E820_NVS) and
 * the ACPI RSDP's address (0: none).  All zero: no firmware tables. */
typedef struct X86BootFirmware {
    E820Entry e820[X86_BOOT_FW_E820_MAX];
    unsigned e820_count;
    uint64_t acpi_rsdp;
} X86BootFirmware;

/* The memory map every loader reports (e820.c, docs/boot.md): RAM below
 * the EBDA, the EBDA, the BIOS area and ROM reserved, RAM from 1 MiB and
 * above 4 GiB, with fw's entries (may be NULL) replacing what they
 * overlap.  Fills map (E820_MAP_MAX entries) sorted by address; returns
 * the count. */
unsigned x86_e820_build(const X86RamLayout *ram, const X86BootFirmware *fw, E820Entry *map);

/* Load the PT_LOAD segments of filename at their physical addresses in as
 * (bss zeroed) and return its entry point.  Every error is one line that
 * names the file: unreadable, not ELF, wrong class or machine, not
 * ET_EXEC, truncated, or a segment outside RAM or below 1 MiB. */
int elf_kernel_load(AddressSpace *as, const char *filename, const X86RamLayout *ram,
                    uint64_t *entry, Error **errp);

/* The same for a Multiboot kernel (multiboot.c): ELF32 i386 files are
 * accepted too; *end is where the highest segment ends. */
int elf_multiboot_load(AddressSpace *as, const char *filename, const X86RamLayout *ram,
                       uint64_t *entry, uint64_t *end, Error **errp);

/* Boot -kernel filename if it is a Multiboot 1 image (a header in its first
 * 8 KiB): load it and its -initrd modules, build the information structure
 * in low RAM and set env to the Multiboot entry state (docs/boot.md).
 * Returns 1 when it did, 0 when the file has no Multiboot header (nothing
 * touched), or a negative errno with a one-line *errp naming the file. */
int multiboot_boot(AddressSpace *as, CPUX86State *env, const char *filename,
                   const char *cmdline, const char *initrd, const X86RamLayout *ram,
                   const X86BootFirmware *fw, Error **errp);

/* Boot -kernel filename if it is a Linux bzImage ("HdrS" at 0x202): load
 * the protected-mode kernel, the -initrd file (one file, the initramfs)
 * and the -append command line, build boot_params with the e820 map and
 * enter the kernel's 64-bit entry point (linux.c, docs/boot.md).  Returns 1
 * when it did, 0 when the file is not a bzImage (nothing touched), or a
 * negative errno with a one-line *errp naming the file. */
int linux_boot(AddressSpace *as, CPUX86State *env, const char *filename,
               const char *cmdline, const char *initrd, const X86RamLayout *ram,
               const X86BootFirmware *fw, Error **errp);

/* The ELF and Multiboot GDTs hold code at selector 0x08 and flat data at
 * 0x10 (Linux's: linux.c). */
#define BOOT_SEL_CODE 0x08
#define BOOT_SEL_DATA 0x10

/* Flat descriptors: 64-bit code (DPL 0, readable, accessed) and data
 * (writable, accessed, 4 GiB, big). */
#define BOOT_DESC_CODE64 0x00af9b000000ffffull
#define BOOT_DESC_DATA   0x00cf93000000ffffull

/* Start env at entry with CS = code_sel and the data segments = data_sel,
 * flat, from gdt (already written at BOOT_GDT_ADDR), zeroed GPRs, RFLAGS
 * 0x2, no IDT and the given control registers (longmode.c). */
void boot_set_flat_state(CPUX86State *env, uint64_t entry, const uint64_t *gdt,
                         unsigned gdt_entries, uint32_t code_sel, uint32_t data_sel,
                         uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer);

/* The long-mode start shared by the ELF and Linux boots (longmode.c):
 * write the identity-mapping page tables (2 MiB pages over the first
 * 4 GiB) and gdt at BOOT_GDT_ADDR, then set env to 64-bit mode at entry
 * with those selectors and RSP = BOOT_STACK_TOP. */
int boot_enter_longmode(AddressSpace *as, CPUX86State *env, uint64_t entry, const uint64_t *gdt,
                        unsigned gdt_entries, uint32_t code_sel, uint32_t data_sel,
                        Error **errp);

/* Write a loader's bytes into guest RAM (longmode.c); an address that is
 * not RAM is a one-line error naming what. */
int boot_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len,
               const char *what, Error **errp);

/* Write the long-mode boot structures (docs/boot.md) into as and set env
 * to start at entry.  cmdline may be NULL; one too long for its 3,840-byte
 * slot is an error. */
int x86_boot_longmode_setup(AddressSpace *as, CPUX86State *env, uint64_t entry,
                            uint64_t ram_size, const char *cmdline, Error **errp);

/* Map the raw firmware image filename as ROM ending at 4 GiB (bios) and
 * alias its last 128 KiB at 0xE0000 (isa_bios), in system_memory (docs/cpu.md,
 * "Reset and firmware").  Returns 0, or a negative errno with a one-line
 * *errp naming the file. */
int pc_bios_load(MemoryRegion *system_memory, MemoryRegion *bios, MemoryRegion *isa_bios,
                 const char *filename, Error **errp);

#endif
