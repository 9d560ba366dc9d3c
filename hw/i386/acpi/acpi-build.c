/*
 * acpi-build.c: the ACPI tables of the pc machine (include/hw/i386/acpi.h),
 * laid out in one buffer for a guest physical base.  Layouts from ACPI 6.0:
 * RSDP 5.2.5, header 5.2.6, RSDT/XSDT 5.2.7-8, FADT 5.2.9 (revision 6,
 * 276 bytes), FACS 5.2.10, MADT 5.2.12, DSDT 5.2.11.1; HPET from the IA-PC
 * HPET specification 1.0a, 3.2.4.  Every multi-byte field is little endian.
 */
#include "hw/i386/acpi.h"
#include "util/bytes.h"
#include "hw/i386/acpi/aml.h"
#include "hw/pci/piix3.h"
#include "hw/nvram/fw_cfg.h"

#define ACPI_OEM_ID         "TERN  "    /* 6 bytes */
#define ACPI_OEM_TABLE_PFX  "TERN"      /* + signature: 8 bytes */
#define ACPI_CREATOR_ID     "TERN"
#define ACPI_HEADER_LEN     36
#define ACPI_RSDP_LEN       36
#define ACPI_RSDP_V1_LEN    20          /* the part the first checksum covers */
#define ACPI_FACS_LEN       64
#define ACPI_FADT_LEN       276
#define ACPI_HPET_LEN       56

#define LAPIC_DEFAULT_ADDR  0xfee00000u
#define PCAT_COMPAT         1           /* MADT flags: dual 8259s present */
#define APIC_ENABLED        1
#define ISO_LEVEL_HIGH      0x000d      /* MPS INTI flags: level (3 << 2), active high (1) */
#define NMI_ALL_CPUS        0xff        /* Local APIC NMI: processor UID "all" */
#define PIT_GSI             2           /* the IOAPIC's pin for ISA IRQ 0 */

/* FADT Flags (5.2.9, table 5-35) */
#define FADT_WBINVD             (1u << 0)
#define FADT_PROC_C1            (1u << 2)
#define FADT_SLP_BUTTON         (1u << 5)   /* no fixed sleep button */
#define FADT_RTC_S4             (1u << 7)
#define FADT_TMR_VAL_EXT        (1u << 8)   /* 32-bit PM timer */
#define FADT_RESET_REG_SUP      (1u << 10)
#define FADT_USE_PLATFORM_CLOCK (1u << 15)
/* IAPC_BOOT_ARCH (table 5-36) */
#define BOOT_ARCH_LEGACY_DEVICES (1u << 0)
#define BOOT_ARCH_8042           (1u << 1)

#define GAS_SYSTEM_MEMORY   0
#define GAS_SYSTEM_IO       1
#define GAS_ACCESS_BYTE     1
#define GAS_ACCESS_WORD     2
#define GAS_ACCESS_DWORD    3

#define PC_RESET_PORT       0xcf9       /* PIIX reset control register */
#define PC_RESET_VALUE      0x06        /* SYS_RST | RST_CPU: hard reset */
#define RTC_CENTURY         0x32        /* CMOS index of the century byte */
#define HPET_BLOCK_ID       0x8086a201u /* vendor 8086, legacy capable, 64-bit, 3 comparators, rev 1 */
#define HPET_MMIO_LEN       0x400
#define ISA_BRIDGE_ADR      0x00010000  /* PIIX3 at PCI 00:01.0 */
#define PCI_HOLE_END        0xfebfffffu /* up to the IOAPIC */
#define PCI_PRT_ANY_FUNC    0xffff      /* _PRT address: slot << 16 | any function */
#define PCI_LINK_STA_OFF    0x09        /* _STA: present, functioning, not enabled */
#define PCI_LINK_STA_ON     0x0b        /* _STA: present, enabled, functioning */

typedef struct AcpiBuf {
    AcpiTables *t;
    size_t len, cap;
} AcpiBuf;

/* Reserve len zeroed bytes at the next multiple of align; their offset. */
static size_t acpi_alloc(AcpiBuf *b, size_t len, size_t align)
{
    size_t off = (b->len + align - 1) & ~(align - 1);

    if (off + len > b->cap) {
        size_t cap = MAX(b->cap * 2, off + len + 4096);

        b->t->data = tern_realloc(b->t->data, cap);
        memset(b->t->data + b->cap, 0, cap - b->cap);
        b->cap = cap;
    }
    b->len = off + len;
    return off;
}

static void put_le(AcpiBuf *b, size_t off, uint64_t v, unsigned bytes)
{
    st_le(b->t->data + off, v, bytes);
}

/* Generic Address Structure (5.2.3.2), 12 bytes */
static void put_gas(AcpiBuf *b, size_t off, uint8_t space, uint8_t bits, uint8_t access,
                    uint64_t addr)
{
    put_le(b, off, space, 1);
    put_le(b, off + 1, bits, 1);
    put_le(b, off + 2, 0, 1);           /* bit offset */
    put_le(b, off + 3, access, 1);
    put_le(b, off + 4, addr, 8);
}

static uint64_t acpi_addr(const AcpiBuf *b, size_t off)
{
    return b->t->base + off;
}

static void acpi_toc_add(AcpiBuf *b, const char *sig, size_t off, size_t len)
{
    AcpiTables *t = b->t;
    AcpiTableEntry *e = &t->toc[t->ntables++];

    assert(t->ntables <= ACPI_MAX_TABLES);
    memcpy(e->sig, sig, 4);
    e->sig[4] = 0;
    e->addr = acpi_addr(b, off);
    e->len = (uint32_t)len;
}

/* Start a table with the standard header; returns its offset. */
static size_t acpi_table_begin(AcpiBuf *b, const char *sig, size_t len, uint8_t rev)
{
    size_t off = acpi_alloc(b, len, 16);
    uint8_t *h = b->t->data + off;

    memcpy(h, sig, 4);
    h[8] = rev;
    memcpy(h + 10, ACPI_OEM_ID, 6);
    memcpy(h + 16, ACPI_OEM_TABLE_PFX, 4);
    memcpy(h + 20, sig, 4);
    put_le(b, off + 24, 1, 4);          /* OEM revision */
    memcpy(h + 28, ACPI_CREATOR_ID, 4);
    put_le(b, off + 32, 1, 4);          /* creator revision */
    return off;
}

/* Set the length (everything allocated since off) and the checksum. */
static size_t acpi_table_end(AcpiBuf *b, size_t off)
{
    size_t len = b->len - off;
    uint8_t *h = b->t->data + off;

    put_le(b, off + 4, len, 4);
    h[9] = 0;
    h[9] = byte_checksum(h, len);
    acpi_toc_add(b, (const char *)h, off, len);
    return off;
}

static size_t build_facs(AcpiBuf *b)
{
    size_t off = acpi_alloc(b, ACPI_FACS_LEN, 64);  /* 64-byte aligned (5.2.10) */

    memcpy(b->t->data + off, "FACS", 4);
    put_le(b, off + 4, ACPI_FACS_LEN, 4);
    put_le(b, off + 32, 2, 1);          /* version; no waking vector: S3 is not offered */
    acpi_toc_add(b, "FACS", off, ACPI_FACS_LEN);
    return off;
}

/* The ISA devices Linux probes on a PC (fixed IBM PC ports and IRQs). */
static const struct {
    const char *name, *hid;
    struct { uint16_t base; uint8_t align, len; } io[2];    /* len 0: none */
    uint8_t irq;
} isa_devices[] = {
    { "KBD", "PNP0303", { { 0x60, 1, 1 }, { 0x64, 1, 1 } }, 1 },   /* i8042 */
    { "MOU", "PNP0F13", { { 0 } }, 12 },                           /* i8042 aux port */
    { "COM1", "PNP0501", { { 0x3f8, 0, 8 } }, 4 },                 /* 16550A */
    { "RTC", "PNP0B00", { { 0x70, 1, 2 } }, 8 },                   /* MC146818 */
    { "PIT", "PNP0100", { { 0x40, 1, 4 } }, 0 },                   /* 8254 */
};

static Aml *isa_device(const char *name, const char *hid, Aml *crs)
{
    Aml *dev = aml_device(name);

    aml_append(dev, aml_name_decl("_HID", aml_eisaid(hid)));
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

/* QEMU's fw_cfg (hw/nvram/fw_cfg.c), as QEMU describes it: Linux's
 * qemu_fw_cfg driver binds to QEMU0002 and takes its ports from _CRS. */
static Aml *build_fw_cfg(void)
{
    Aml *dev = aml_device("FWCF");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_string("QEMU0002")));
    aml_append(dev, aml_name_decl("_STA", aml_int(0x0b)));  /* present, enabled, working */
    aml_append(crs, aml_io(FW_CFG_IO_BASE, FW_CFG_IO_BASE, 1, FW_CFG_IO_SIZE));
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

/* The ISA bridge (PIIX3 at 00:01.0) with the devices above, the HPET and
 * fw_cfg. */
static Aml *build_isa_bridge(const AcpiConfig *cfg)
{
    Aml *isa = aml_device("ISA");
    Aml *crs;

    aml_append(isa, aml_name_decl("_ADR", aml_int(ISA_BRIDGE_ADR)));
    /* PIRQRC[A:D]: the link devices' routing (build_pci_links) */
    aml_append(isa, aml_operation_region("PIRQ", AML_PCI_CONFIG, PIIX3_PIRQRC, PCI_NUM_PINS));
    for (size_t i = 0; i < ARRAY_SIZE(isa_devices); i++) {
        crs = aml_resource_template();
        for (size_t j = 0; j < ARRAY_SIZE(isa_devices[i].io) && isa_devices[i].io[j].len; j++) {
            uint16_t port = isa_devices[i].io[j].base;

            aml_append(crs, aml_io(port, port, isa_devices[i].io[j].align,
                                   isa_devices[i].io[j].len));
        }
        aml_append(crs, aml_irq_no_flags(isa_devices[i].irq));
        aml_append(isa, isa_device(isa_devices[i].name, isa_devices[i].hid, crs));
    }
    crs = aml_resource_template();
    aml_append(crs, aml_memory32_fixed(cfg->hpet_addr, HPET_MMIO_LEN, false));
    aml_append(isa, isa_device("HPET", "PNP0103", crs));
    aml_append(isa, build_fw_cfg());
    return isa;
}

/* _PRT of bus 0 (ACPI 6.0 6.2.13): every slot's INTA#-INTD# to the link
 * device of the PIRQ the board wires it to (cfg->pci_map_irq). */
static Aml *build_prt(const AcpiConfig *cfg)
{
    Aml *prt = aml_package();

    for (unsigned slot = 1; slot < PCI_SLOT_MAX; slot++) {
        for (int pin = 0; pin < PCI_NUM_PINS; pin++) {
            Aml *entry = aml_package();
            char link[5];

            snprintf(link, sizeof(link), "LNK%c",
                     'A' + (cfg->pci_map_irq(PCI_DEVFN(slot, 0), pin) & (PCI_NUM_PINS - 1)));
            aml_append(entry, aml_int((uint64_t)slot << 16 | PCI_PRT_ANY_FUNC));
            aml_append(entry, aml_int((uint64_t)pin));
            aml_append(entry, aml_name(link));
            aml_append(entry, aml_int(0));          /* source index */
            aml_append(prt, entry);
        }
    }
    return prt;
}

/* PCI root bridge: bus 0-255, all ports but 0xCF8-0xCFF forwarded, the
 * VGA window and the hole between RAM and the IOAPIC. */
static Aml *build_pci0(const AcpiConfig *cfg)
{
    Aml *pci = aml_device("PCI0");
    Aml *crs = aml_resource_template();

    aml_append(pci, aml_name_decl("_HID", aml_eisaid("PNP0A03")));
    aml_append(pci, aml_name_decl("_UID", aml_int(0)));
    aml_append(pci, aml_name_decl("_BBN", aml_int(0)));
    aml_append(crs, aml_word_bus_number(0, 0xff));
    aml_append(crs, aml_io(0xcf8, 0xcf8, 1, 8));
    aml_append(crs, aml_word_io(0x0000, 0x0cf7));
    aml_append(crs, aml_word_io(0x0d00, 0xffff));
    aml_append(crs, aml_dword_memory(0x000a0000, 0x000bffff, true));
    aml_append(crs, aml_dword_memory((uint32_t)cfg->ram_below_4g, PCI_HOLE_END, false));
    aml_append(pci, aml_name_decl("_CRS", crs));
    aml_append(pci, aml_name_decl("_PRT", build_prt(cfg)));
    aml_append(pci, build_isa_bridge(cfg));
    return pci;
}

/* The PCI interrupt link devices LNKA-LNKD (PNP0C0F, ACPI 6.0 6.2.13):
 * PIIX3 PIRQRC[A:D] as the fields PRQA-PRQD, bit 7 set = not routed.
 * Methods shared by the four links, as in QEMU's i440FX DSDT:
 * IQST (PIRQRC) -> _STA, IQCR (PIRQRC) -> _CRS with its IRQ (0 if off). */
static const uint32_t pci_link_irqs[] = { 5, 10, 11 };     /* _PRS, as QEMU offers */

static Aml *build_iqst(void)
{
    Aml *m = aml_method("IQST", 1, false);
    Aml *off = aml_if(aml_and(aml_int(PIIX3_PIRQRC_DISABLE), aml_arg(0), NULL));

    aml_append(off, aml_return(aml_int(PCI_LINK_STA_OFF)));
    aml_append(m, off);
    aml_append(m, aml_return(aml_int(PCI_LINK_STA_ON)));
    return m;
}

/* Serialized: it creates PRR0, a fresh buffer per call. */
static Aml *build_iqcr(void)
{
    Aml *m = aml_method("IQCR", 1, true);
    Aml *crs = aml_resource_template();
    Aml *on = aml_if(aml_lless(aml_arg(0), aml_int(PIIX3_PIRQRC_DISABLE)));
    uint32_t none = 0;

    aml_append(crs, aml_interrupt_level_shared(&none, 1));
    aml_append(m, aml_name_decl("PRR0", crs));
    aml_append(m, aml_create_dword_field(aml_name("PRR0"), aml_int(AML_INTERRUPT_FIRST_OFFSET),
                                         "PRRI"));
    aml_append(on, aml_store(aml_arg(0), aml_name("PRRI")));
    aml_append(m, on);
    aml_append(m, aml_return(aml_name("PRR0")));
    return m;
}

static Aml *build_pci_link(unsigned pirq)
{
    char name[5], field[5];
    Aml *dev, *prs = aml_resource_template(), *m;

    snprintf(name, sizeof(name), "LNK%c", 'A' + pirq);
    snprintf(field, sizeof(field), "PRQ%c", 'A' + pirq);
    dev = aml_device(name);
    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0C0F")));
    aml_append(dev, aml_name_decl("_UID", aml_int(pirq)));
    aml_append(prs, aml_interrupt_level_shared(pci_link_irqs, ARRAY_SIZE(pci_link_irqs)));
    aml_append(dev, aml_name_decl("_PRS", prs));
    m = aml_method("_STA", 0, false);
    aml_append(m, aml_return(aml_call1("IQST", aml_name(field))));
    aml_append(dev, m);
    m = aml_method("_DIS", 0, false);
    aml_append(m, aml_or(aml_name(field), aml_int(PIIX3_PIRQRC_DISABLE), aml_name(field)));
    aml_append(dev, m);
    m = aml_method("_CRS", 0, false);
    aml_append(m, aml_return(aml_call1("IQCR", aml_name(field))));
    aml_append(dev, m);
    /* _SRS: Arg0 is a _PRS-shaped template holding the chosen IRQ */
    m = aml_method("_SRS", 1, false);
    aml_append(m, aml_create_dword_field(aml_arg(0), aml_int(AML_INTERRUPT_FIRST_OFFSET),
                                         "PRRI"));
    aml_append(m, aml_store(aml_name("PRRI"), aml_name(field)));
    aml_append(dev, m);
    return dev;
}

/* Appends the PIRQRC fields, IQST, IQCR and the links to \_SB, after PCI0
 * (iasl's disassembler needs a method defined before its calls). */
static void build_pci_links(Aml *sb)
{
    Aml *field = aml_field("PCI0.ISA.PIRQ", AML_FIELD_BYTE_ACC);

    for (unsigned pirq = 0; pirq < PCI_NUM_PINS; pirq++) {
        char name[5];

        snprintf(name, sizeof(name), "PRQ%c", 'A' + pirq);
        aml_append(field, aml_named_field(name, 8));
    }
    aml_append(sb, field);
    aml_append(sb, build_iqst());
    aml_append(sb, build_iqcr());
    for (unsigned pirq = 0; pirq < PCI_NUM_PINS; pirq++) {
        aml_append(sb, build_pci_link(pirq));
    }
}

/* Names at the root are relative ("_SB", not "\\_SB"): the encoding iasl
 * produces, so that compiling the disassembly gives back the same AML. */
static Aml *build_dsdt_aml(const AcpiConfig *cfg)
{
    Aml *root = aml_root();
    Aml *sb = aml_scope("_SB");
    Aml *s5 = aml_package();

    /* \_S5: PM1a_CNT.SLP_TYP, PM1b_CNT.SLP_TYP, reserved, reserved.
     * SLP_TYP 0 with SLP_EN is power off, as on QEMU's PIIX4 PM. */
    for (int i = 0; i < 4; i++) {
        aml_append(s5, aml_int(0));
    }
    aml_append(root, aml_name_decl("_S5", s5));
    for (unsigned i = 0; i < cfg->num_cpus; i++) {
        char name[8];
        Aml *cpu;

        snprintf(name, sizeof(name), "C%03X", i & 0xfff);   /* i <= 254 */
        cpu = aml_device(name);
        aml_append(cpu, aml_name_decl("_HID", aml_string("ACPI0007")));
        aml_append(cpu, aml_name_decl("_UID", aml_int(i)));
        aml_append(sb, cpu);
    }
    aml_append(sb, build_pci0(cfg));
    build_pci_links(sb);
    aml_append(root, sb);
    return root;
}

static size_t build_dsdt(AcpiBuf *b, const AcpiConfig *cfg)
{
    Aml *root = build_dsdt_aml(cfg);
    size_t len, off = acpi_table_begin(b, "DSDT", ACPI_HEADER_LEN, 2); /* rev 2: 64-bit ints */
    const uint8_t *aml = aml_bytes(root, &len);
    size_t body = acpi_alloc(b, len, 1);

    memcpy(b->t->data + body, aml, len);
    aml_free(root);
    return acpi_table_end(b, off);
}

static size_t build_fadt(AcpiBuf *b, const AcpiConfig *cfg, size_t facs, size_t dsdt)
{
    size_t off = acpi_table_begin(b, "FACP", ACPI_FADT_LEN, 6);
    uint16_t pm = cfg->pm_io_base;

    put_le(b, off + 36, acpi_addr(b, facs), 4);     /* FIRMWARE_CTRL */
    put_le(b, off + 40, acpi_addr(b, dsdt), 4);     /* DSDT */
    put_le(b, off + 46, cfg->sci_gsi, 2);           /* SCI_INT */
    /* SMI_CMD 0: always in ACPI mode, no enable handshake */
    put_le(b, off + 56, pm, 4);                     /* PM1a_EVT_BLK */
    put_le(b, off + 64, pm + 4, 4);                 /* PM1a_CNT_BLK */
    put_le(b, off + 76, pm + 8, 4);                 /* PM_TMR_BLK */
    put_le(b, off + 88, 4, 1);                      /* PM1_EVT_LEN */
    put_le(b, off + 89, 2, 1);                      /* PM1_CNT_LEN */
    put_le(b, off + 91, 4, 1);                      /* PM_TMR_LEN */
    put_le(b, off + 96, 0xfff, 2);                  /* P_LVL2_LAT: no C2 */
    put_le(b, off + 98, 0xfff, 2);                  /* P_LVL3_LAT: no C3 */
    put_le(b, off + 108, RTC_CENTURY, 1);           /* CENTURY */
    put_le(b, off + 109, BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042, 2);
    put_le(b, off + 112, FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_RTC_S4 |
                         FADT_TMR_VAL_EXT | FADT_RESET_REG_SUP | FADT_USE_PLATFORM_CLOCK, 4);
    put_gas(b, off + 116, GAS_SYSTEM_IO, 8, GAS_ACCESS_BYTE, PC_RESET_PORT);
    put_le(b, off + 128, PC_RESET_VALUE, 1);        /* RESET_VALUE */
    put_le(b, off + 131, 0, 1);                     /* FADT minor version: 6.0 */
    put_le(b, off + 132, acpi_addr(b, facs), 8);    /* X_FIRMWARE_CTRL */
    put_le(b, off + 140, acpi_addr(b, dsdt), 8);    /* X_DSDT */
    put_gas(b, off + 148, GAS_SYSTEM_IO, 32, GAS_ACCESS_WORD, pm);      /* X_PM1a_EVT_BLK */
    put_gas(b, off + 172, GAS_SYSTEM_IO, 16, GAS_ACCESS_WORD, pm + 4);  /* X_PM1a_CNT_BLK */
    put_gas(b, off + 208, GAS_SYSTEM_IO, 32, GAS_ACCESS_DWORD, pm + 8); /* X_PM_TMR_BLK */
    return acpi_table_end(b, off);
}

/* CPU n's APIC ID (the board's topology), or n without a list */
static uint32_t acpi_cpu_apic_id(const AcpiConfig *cfg, unsigned n)
{
    return cfg->apic_ids ? cfg->apic_ids[n] : n;
}

static size_t build_madt(AcpiBuf *b, const AcpiConfig *cfg)
{
    size_t off = acpi_table_begin(b, "APIC", ACPI_HEADER_LEN + 8, 4);
    size_t e;

    put_le(b, off + 36, LAPIC_DEFAULT_ADDR, 4);
    put_le(b, off + 40, PCAT_COMPAT, 4);
    for (unsigned i = 0; i < cfg->num_cpus; i++) {          /* Processor Local APIC */
        e = acpi_alloc(b, 8, 1);
        put_le(b, e, 0, 1);
        put_le(b, e + 1, 8, 1);
        put_le(b, e + 2, i, 1);                             /* ACPI processor UID */
        put_le(b, e + 3, acpi_cpu_apic_id(cfg, i), 1);      /* APIC ID */
        put_le(b, e + 4, APIC_ENABLED, 4);
    }
    e = acpi_alloc(b, 12, 1);                               /* I/O APIC */
    put_le(b, e, 1, 1);
    put_le(b, e + 1, 12, 1);
    put_le(b, e + 2, 0, 1);                                 /* IOAPIC ID */
    put_le(b, e + 4, cfg->ioapic_addr, 4);
    put_le(b, e + 8, 0, 4);                                 /* GSI base */
    const struct { uint8_t irq; uint32_t gsi; uint16_t flags; } iso[] = {
        { 0, PIT_GSI, 0 },                          /* bus-conforming: edge, high */
        { cfg->sci_gsi, cfg->sci_gsi, ISO_LEVEL_HIGH },
    };
    for (size_t i = 0; i < ARRAY_SIZE(iso); i++) {          /* Interrupt Source Override */
        e = acpi_alloc(b, 10, 1);
        put_le(b, e, 2, 1);
        put_le(b, e + 1, 10, 1);
        put_le(b, e + 2, 0, 1);                             /* bus: ISA */
        put_le(b, e + 3, iso[i].irq, 1);
        put_le(b, e + 4, iso[i].gsi, 4);
        put_le(b, e + 8, iso[i].flags, 2);
    }
    e = acpi_alloc(b, 6, 1);                                /* Local APIC NMI */
    put_le(b, e, 4, 1);
    put_le(b, e + 1, 6, 1);
    put_le(b, e + 2, NMI_ALL_CPUS, 1);
    put_le(b, e + 3, 0, 2);                                 /* flags: conforming */
    put_le(b, e + 5, 1, 1);                                 /* LINT1 */
    return acpi_table_end(b, off);
}

static size_t build_hpet(AcpiBuf *b, const AcpiConfig *cfg)
{
    size_t off = acpi_table_begin(b, "HPET", ACPI_HPET_LEN, 1);

    put_le(b, off + 36, HPET_BLOCK_ID, 4);
    put_gas(b, off + 40, GAS_SYSTEM_MEMORY, 64, 0, cfg->hpet_addr);
    put_le(b, off + 52, 0, 1);                              /* HPET number */
    put_le(b, off + 53, 0, 2);                              /* minimum periodic tick */
    put_le(b, off + 55, 0, 1);                              /* no page protection */
    return acpi_table_end(b, off);
}

/* RSDT (4-byte entries) or XSDT (8-byte entries) listing tables[]. */
static size_t build_sdt(AcpiBuf *b, const char *sig, unsigned width, const size_t *tables,
                        unsigned n)
{
    size_t off = acpi_table_begin(b, sig, ACPI_HEADER_LEN + width * n, 1);

    for (unsigned i = 0; i < n; i++) {
        put_le(b, off + ACPI_HEADER_LEN + width * i, acpi_addr(b, tables[i]), width);
    }
    return acpi_table_end(b, off);
}

static void build_rsdp(AcpiBuf *b, size_t off, size_t rsdt, size_t xsdt)
{
    uint8_t *p = b->t->data + off;

    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, ACPI_OEM_ID, 6);
    p[15] = 2;                                              /* revision: ACPI 2.0+ */
    put_le(b, off + 16, acpi_addr(b, rsdt), 4);
    put_le(b, off + 20, ACPI_RSDP_LEN, 4);
    put_le(b, off + 24, acpi_addr(b, xsdt), 8);
    p[8] = byte_checksum(p, ACPI_RSDP_V1_LEN);
    p[32] = byte_checksum(p, ACPI_RSDP_LEN);
    b->t->rsdp_addr = acpi_addr(b, off);
}

int acpi_build(AcpiTables *t, const AcpiConfig *cfg, uint64_t base, size_t max,
               Error **errp)
{
    AcpiBuf b = { .t = t };
    size_t rsdp, facs, dsdt, sdt[3], rsdt, xsdt;

    memset(t, 0, sizeof(*t));
    if (cfg->num_cpus < 1 || cfg->num_cpus > 254) {
        error_setg(errp, "ACPI: %u CPUs: the MADT holds xAPIC IDs 0-254", cfg->num_cpus);
        return -EINVAL;
    }
    for (unsigned i = 0; i < cfg->num_cpus; i++) {
        if (acpi_cpu_apic_id(cfg, i) > 254) {
            error_setg(errp, "ACPI: CPU %u has APIC ID %u: the MADT holds xAPIC IDs 0-254",
                       i, acpi_cpu_apic_id(cfg, i));
            return -EINVAL;
        }
    }
    if (cfg->sci_gsi >= 16 || cfg->sci_gsi == 0 || cfg->sci_gsi == PIT_GSI) {
        error_setg(errp, "ACPI: SCI on GSI %u: it must be a free ISA IRQ", cfg->sci_gsi);
        return -EINVAL;
    }
    if (!cfg->pci_map_irq) {
        error_setg(errp, "ACPI: no PCI INTx wiring for the _PRT");
        return -EINVAL;
    }
    if (base & (ACPI_NVS_SIZE - 1) || max <= ACPI_NVS_SIZE || base + max > (1ull << 32) || cfg->ram_below_4g > PCI_HOLE_END) {
        error_setg(errp, "ACPI: tables at 0x%" PRIx64 " or RAM below 4 GiB 0x%" PRIx64
                   " out of range", base, cfg->ram_below_4g);
        return -EINVAL;
    }
    t->base = base;
    facs = build_facs(&b);
    acpi_alloc(&b, ACPI_NVS_SIZE - b.len, 1);       /* the rest of the NVS page */
    rsdp = acpi_alloc(&b, ACPI_RSDP_LEN, 16);
    acpi_toc_add(&b, "RSDP", rsdp, ACPI_RSDP_LEN);
    dsdt = build_dsdt(&b, cfg);
    sdt[0] = build_fadt(&b, cfg, facs, dsdt);
    sdt[1] = build_madt(&b, cfg);
    sdt[2] = build_hpet(&b, cfg);
    rsdt = build_sdt(&b, "RSDT", 4, sdt, ARRAY_SIZE(sdt));
    xsdt = build_sdt(&b, "XSDT", 8, sdt, ARRAY_SIZE(sdt));
    build_rsdp(&b, rsdp, rsdt, xsdt);
    t->size = b.len;
    if (t->size > max) {
        error_setg(errp, "ACPI: the tables need %zu bytes, the board gave %zu", t->size, max);
        acpi_tables_free(t);
        return -ENOSPC;
    }
    return 0;
}

void acpi_tables_free(AcpiTables *t)
{
    free(t->data);
    memset(t, 0, sizeof(*t));
}

const AcpiTableEntry *acpi_tables_find(const AcpiTables *t, const char *sig)
{
    for (unsigned i = 0; i < t->ntables; i++) {
        if (!strcmp(t->toc[i].sig, sig)) {
            return &t->toc[i];
        }
    }
    return NULL;
}

int acpi_tables_install(AddressSpace *as, const AcpiConfig *cfg, uint64_t base,
                        uint64_t size, X86BootFirmware *fw, Error **errp)
{
    AcpiTables t;
    int ret = acpi_build(&t, cfg, base, size, errp);

    memset(fw, 0, sizeof(*fw));
    if (ret < 0) {
        return ret;
    }
    if (address_space_write(as, base, t.data, t.size) != MEMTX_OK) {
        error_setg(errp, "ACPI: no RAM at 0x%" PRIx64 " for the tables", base);
        acpi_tables_free(&t);
        return -EFAULT;
    }
    fw->e820[0] = (E820Entry){ base, ACPI_NVS_SIZE, E820_NVS };
    fw->e820[1] = (E820Entry){ base + ACPI_NVS_SIZE, size - ACPI_NVS_SIZE, E820_ACPI };
    fw->e820_count = 2;
    fw->acpi_rsdp = t.rsdp_addr;
    acpi_tables_free(&t);
    return 0;
}
