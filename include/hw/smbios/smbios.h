/*
 * smbios.h: the SMBIOS (DMI) tables tern writes for a kernel booted
 * without firmware (hw/smbios/smbios.c; docs/pc.md, "Firmware tables").
 *
 * smbios_build() lays out, in one buffer meant for guest physical address
 * `base`, a 64-bit SMBIOS 3.0 entry point ("_SM3_", at base, which must
 * be 16-byte aligned: Linux's dmi_scan finds it by scanning
 * 0xF0000-0xFFFFF on 16-byte boundaries) followed by the structure table:
 * BIOS (type 0), system (1), chassis (3), one processor per socket (4),
 * the memory array (16), its devices (17, one per 16 GiB, as QEMU), one
 * mapped address range per RAM range (19), boot status (32) and the end
 * marker (127).  Handles are type << 8 | instance.  smbios_tables_install()
 * builds them and writes them into guest memory; the board keeps them in
 * a range the memory map already reserves.
 */
#ifndef HW_SMBIOS_SMBIOS_H
#define HW_SMBIOS_SMBIOS_H

#include "util/osdep.h"
#include "util/error.h"
#include "exec/memory.h"

#define SMBIOS_EP3_LEN       24      /* the 64-bit entry point */
#define SMBIOS_DIMM_MAX_SIZE (16ull << 30)

/* What the tables describe that the board decides. */
typedef struct SmbiosConfig {
    unsigned sockets;           /* one type 4 each */
    unsigned cores;             /* per socket, one thread each */
    uint32_t cpu_signature;     /* CPUID.1:EAX */
    uint32_t cpu_features;      /* CPUID.1:EDX */
    const char *cpu_version;    /* the brand string */
    uint64_t ram_below_4g;      /* RAM at [0, ram_below_4g) */
    uint64_t ram_above_4g;      /* and at [4 GiB, 4 GiB + ram_above_4g) */
    const uint8_t *uuid;        /* type 1's UUID (16 bytes, text order); NULL: zeros */
} SmbiosConfig;

typedef struct SmbiosTables {
    uint8_t *data;              /* size bytes, for guest address base */
    size_t size;
    uint64_t base;              /* the entry point */
    uint64_t table_addr;        /* the structure table, table_len bytes */
    size_t table_len;
} SmbiosTables;

/* Build the tables for guest address base; fails (-ENOSPC) if they need
 * more than max bytes or (-EINVAL) if base or cfg is out of range. */
int smbios_build(SmbiosTables *t, const SmbiosConfig *cfg, uint64_t base, size_t max,
                 Error **errp);
void smbios_tables_free(SmbiosTables *t);

/* Build the tables for [base, base + size) and write them there in as. */
int smbios_tables_install(AddressSpace *as, const SmbiosConfig *cfg, uint64_t base,
                          uint64_t size, Error **errp);

#endif
