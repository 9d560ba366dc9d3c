/*
 * acpi.h: the ACPI tables tern writes for a kernel booted without firmware
 * (hw/i386/acpi/acpi-build.c; docs/pc.md, "Firmware tables").
 *
 * acpi_build() lays out every table in one buffer meant for guest physical
 * address `base` (4 KiB aligned): the first page holds the FACS (ACPI NVS
 * memory: the OS may write it and must keep it), then come the RSDP
 * (16-byte aligned, so that a region inside 0xE0000-0xFFFFF is also found
 * by the legacy scan), DSDT, FADT, MADT, HPET, RSDT, XSDT (ACPI memory),
 * each with its checksum.  acpi_tables_install() builds them and writes
 * them into guest memory.
 *
 * Handoff to the boot loaders: the board (hw/i386/pc.c) calls
 * acpi_tables_install() in its boot step (at start and on every reset)
 * before loading the kernel; it fills the board's X86BootFirmware
 * (hw/i386/boot.h) with
 *   - acpi_rsdp: the RSDP's address, for boot_params.acpi_rsdp_addr (with
 *     0 Linux finds it anyway by scanning 0xE0000-0xFFFFF for "RSD PTR "),
 *   - e820[0]: the FACS page, E820_NVS; e820[1]: the other tables,
 *     E820_ACPI; the loaders' memory map cuts them out of what they overlap.
 */
#ifndef HW_I386_ACPI_H
#define HW_I386_ACPI_H

#include "util/osdep.h"
#include "util/error.h"
#include "exec/memory.h"
#include "hw/i386/boot.h"
#include "hw/pci/pci.h"

/* What the tables describe that the board decides. */
typedef struct AcpiConfig {
    unsigned num_cpus;          /* one Local APIC each, ACPI processor UID 0..n-1 */
    const uint32_t *apic_ids;   /* CPU n's APIC ID (< 255); NULL: n */
    uint64_t ram_below_4g;      /* the PCI memory window starts here */
    uint16_t pm_io_base;        /* PM1a_EVT +0 (4 bytes), PM1a_CNT +4 (2), PM_TMR +8 (4) */
    uint8_t sci_gsi;            /* SCI: ISA IRQ = GSI, level, active high */
    uint32_t ioapic_addr;       /* IOAPIC ID 0, GSI base 0 */
    uint32_t hpet_addr;         /* HPET with 3 comparators, 1 KiB of registers */
    PCIMapIRQFn pci_map_irq;    /* bus 0's INTx wiring: slot and pin -> PIRQ (the _PRT) */
} AcpiConfig;

#define ACPI_MAX_TABLES 12
#define ACPI_NVS_SIZE   0x1000  /* the FACS page at base */

typedef struct AcpiTableEntry {
    char sig[5];                /* "FACP", ...; "RSDP" for the root pointer */
    uint64_t addr;              /* guest physical */
    uint32_t len;
} AcpiTableEntry;

typedef struct AcpiTables {
    uint8_t *data;              /* size bytes, for guest address base */
    size_t size;                /* ACPI_NVS_SIZE of FACS page, then the rest */
    uint64_t base;
    uint64_t rsdp_addr;
    AcpiTableEntry toc[ACPI_MAX_TABLES];
    unsigned ntables;
} AcpiTables;

/* Build the tables for guest address base; fails (-ENOSPC) if they need
 * more than max bytes or (-EINVAL) if cfg is out of range. */
int acpi_build(AcpiTables *t, const AcpiConfig *cfg, uint64_t base, size_t max,
               Error **errp);
void acpi_tables_free(AcpiTables *t);

/* The table with signature sig, or NULL. */
const AcpiTableEntry *acpi_tables_find(const AcpiTables *t, const char *sig);

/* Build the tables for [base, base + size), write them there in as and
 * describe them in fw (see above). */
int acpi_tables_install(AddressSpace *as, const AcpiConfig *cfg, uint64_t base,
                        uint64_t size, X86BootFirmware *fw, Error **errp);

#endif
