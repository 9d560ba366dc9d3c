/*
 * fw_cfg.h: QEMU's firmware configuration device (docs/pc.md, "fw_cfg").
 *
 * A table of items the firmware or the OS reads by 16-bit key: fixed
 * items (signature, RAM size, CPU count, the -kernel image...), arch
 * items (FW_CFG_ARCH_LOCAL set) and named files, which get keys from
 * FW_CFG_FILE_FIRST in name order and are listed by FW_CFG_FILE_DIR.
 * Items are built by the board before the guest runs and never change
 * after; the guest only reads them.
 *
 * Guest interface (x86 I/O ports, base = FW_CFG_IO_BASE on the PC):
 *   base + 0  selector, 16-bit write: select a key, rewind to its byte 0
 *   base + 1  data, 8-bit read: the next byte of the item, 0 past its end
 *   base + 4  DMA address, big endian: 32-bit writes of the high half
 *             (+4) then the low half (+8, which starts the transfer), or
 *             one 64-bit write; reads give the signature "QEMU CFG"
 * A transfer reads an FWCfgDmaAccess {be32 control; be32 length;
 * be64 address} from guest memory, does it, and writes control back as
 * 0 or FW_CFG_DMA_ERROR.  All entry points run under the machine lock.
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include "util/osdep.h"
#include "util/error.h"
#include "util/option.h"
#include "exec/memory.h"

#define FW_CFG_IO_BASE      0x510   /* the PC's ports (QEMU's), also in the DSDT */
#define FW_CFG_IO_SIZE      0x0c    /* selector, data, DMA address to +0x0b */
#define FW_CFG_DMA_OFFSET   4

/* Keys (QEMU's include/standard-headers/linux/qemu_fw_cfg.h numbering). */
enum {
    FW_CFG_SIGNATURE    = 0x00,
    FW_CFG_ID           = 0x01,
    FW_CFG_UUID         = 0x02,
    FW_CFG_RAM_SIZE     = 0x03,
    FW_CFG_NOGRAPHIC    = 0x04,
    FW_CFG_NB_CPUS      = 0x05,
    FW_CFG_MACHINE_ID   = 0x06,
    FW_CFG_KERNEL_ADDR  = 0x07,
    FW_CFG_KERNEL_SIZE  = 0x08,
    FW_CFG_KERNEL_CMDLINE = 0x09,
    FW_CFG_INITRD_ADDR  = 0x0a,
    FW_CFG_INITRD_SIZE  = 0x0b,
    FW_CFG_BOOT_DEVICE  = 0x0c,
    FW_CFG_NUMA         = 0x0d,
    FW_CFG_BOOT_MENU    = 0x0e,
    FW_CFG_MAX_CPUS     = 0x0f,
    FW_CFG_KERNEL_ENTRY = 0x10,
    FW_CFG_KERNEL_DATA  = 0x11,
    FW_CFG_INITRD_DATA  = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13,
    FW_CFG_CMDLINE_SIZE = 0x14,
    FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR   = 0x16,
    FW_CFG_SETUP_SIZE   = 0x17,
    FW_CFG_SETUP_DATA   = 0x18,
    FW_CFG_FILE_DIR     = 0x19,
    FW_CFG_FILE_FIRST   = 0x20,
    FW_CFG_WRITE_CHANNEL = 0x4000,  /* ignored in a selector, as in QEMU */
    FW_CFG_ARCH_LOCAL   = 0x8000,
    FW_CFG_INVALID      = 0xffff,
};

/* x86 arch items (QEMU's hw/i386/fw_cfg.h). */
enum {
    FW_CFG_ACPI_TABLES    = FW_CFG_ARCH_LOCAL + 0,
    FW_CFG_SMBIOS_ENTRIES = FW_CFG_ARCH_LOCAL + 1,
    FW_CFG_IRQ0_OVERRIDE  = FW_CFG_ARCH_LOCAL + 2,
    FW_CFG_E820_TABLE     = FW_CFG_ARCH_LOCAL + 3,
    FW_CFG_HPET           = FW_CFG_ARCH_LOCAL + 4,
};

#define FW_CFG_FILE_SLOTS   0x40    /* named files */
#define FW_CFG_MAX_ENTRY    (FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS)
#define FW_CFG_ARCH_MAX     (FW_CFG_HPET - FW_CFG_ARCH_LOCAL + 1)
#define FW_CFG_MAX_FILE_PATH 56     /* a file name, NUL included */
#define FW_CFG_FILE_DIR_ENTRY 64    /* be32 size, be16 select, be16 reserved, name */

/* FW_CFG_ID bits */
#define FW_CFG_VERSION      0x01    /* the selector/data ports */
#define FW_CFG_VERSION_DMA  0x02    /* the DMA interface */

/* FWCfgDmaAccess.control bits */
#define FW_CFG_DMA_ERROR    0x01
#define FW_CFG_DMA_READ     0x02
#define FW_CFG_DMA_SKIP     0x04
#define FW_CFG_DMA_SELECT   0x08    /* the key is control >> 16 */
#define FW_CFG_DMA_WRITE    0x10
#define FW_CFG_DMA_ACCESS_SIZE 16

#define FW_CFG_DMA_SIGNATURE 0x51454d5520434647ull  /* "QEMU CFG", big endian */

typedef struct FWCfgItem {
    uint8_t *data;              /* owned; NULL: no item under this key */
    uint32_t len;
    char name[FW_CFG_MAX_FILE_PATH];    /* files only, "" otherwise */
} FWCfgItem;

typedef struct FWCfgState {
    MemoryRegion ports;         /* selector (+0, word) and data (+1, byte) */
    MemoryRegion dma;           /* the DMA address register (8 bytes) */
    AddressSpace *dma_as;       /* where DMA descriptors and buffers live */
    /* The one table: [arch][key & ~(ARCH_LOCAL | WRITE_CHANNEL)]; the
     * arch bank uses its first FW_CFG_ARCH_MAX slots. */
    FWCfgItem items[2][FW_CFG_MAX_ENTRY];
    unsigned num_files;         /* files at FW_CFG_FILE_FIRST.., sorted by name */
    uint16_t cur_key;           /* FW_CFG_INVALID: nothing selected */
    uint32_t cur_offset;        /* next byte of the selected item */
    uint64_t dma_addr;          /* high half written, waiting for the low half */
} FWCfgState;

/* Create the device with the items every machine has (signature, ID,
 * UUID, BOOT_MENU, the empty file directory).  Its regions are
 * not mapped: the board maps ports at base and dma at base + 4 of its
 * port space.  DMA goes to dma_as. */
FWCfgState *fw_cfg_init(AddressSpace *dma_as);
/* Select key 0, forget a half-written DMA address. */
void fw_cfg_reset(FWCfgState *s);
void fw_cfg_destroy(FWCfgState *s);

/* Add an item under key (a fixed or arch key, not a file key), copying
 * len bytes of data.  Adding a key twice is a bug (assert). */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, uint32_t len);
/* Little-endian integers, as QEMU stores them. */
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
/* Add a named file (copying data) and list it in FW_CFG_FILE_DIR.  Fails
 * with a one-line *errp for a name that is empty, too long, already there,
 * or when the file slots are full. */
int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, uint32_t len,
                    Error **errp);
/* The file of one -fw_cfg option: the host file's contents or the string
 * (without a NUL).  Warns, as QEMU does, when the name lacks "opt/". */
int fw_cfg_add_option(FWCfgState *s, const OptionFwCfg *opt, Error **errp);

#endif
