/*
 * test-acpi.c: the ACPI tables (hw/i386/acpi/): every checksum, the
 * RSDP -> XSDT/RSDT -> tables chain, the FADT, MADT and HPET fields, and
 * the DSDT's AML parsed back by a small walker that checks that every
 * PkgLength, package count and buffer size nests exactly, the _PRT and
 * the PCI interrupt link devices.
 *
 * `test-acpi --dump DIR` instead writes each table to DIR/SIG.dat for
 * tests/scripts/suite-acpi.sh, which disassembles them with iasl.
 */
#include "util/osdep.h"
#include "hw/i386/acpi.h"
#include "hw/i386/acpi/aml.h"
#include "test.h"

TEST_GLOBALS;

#define BASE 0xf0000u
#define SIZE 0x10000u

/* The i440FX board's swizzle (hw/i386/pc.c): slot s pin p -> PIRQ (s + p - 1) mod 4 */
static int map_irq(uint8_t devfn, int pin)
{
    return (pin + PCI_SLOT(devfn) - 1) & 3;
}

static const AcpiConfig cfg1 = {
    .num_cpus = 1, .ram_below_4g = 128u << 20, .pm_io_base = 0x600, .sci_gsi = 9,
    .ioapic_addr = 0xfec00000, .hpet_addr = 0xfed00000, .pci_map_irq = map_irq,
};

/* The bytes at guest address addr, or NULL if [addr, addr + len) is not
 * inside the built tables. */
static const uint8_t *at(const AcpiTables *t, uint64_t addr, size_t len)
{
    if (addr < t->base || addr + len > t->base + t->size) {
        return NULL;
    }
    return t->data + (addr - t->base);
}

static const uint8_t *table(const AcpiTables *t, const char *sig)
{
    const AcpiTableEntry *e = acpi_tables_find(t, sig);

    return e ? at(t, e->addr, e->len) : NULL;
}

static bool build(AcpiTables *t, const AcpiConfig *cfg)
{
    Error *err = NULL;

    if (acpi_build(t, cfg, BASE, SIZE, &err) < 0) {
        error_report_err(err);
        return false;
    }
    return true;
}

/* RSDP: both checksums, revision 2, 16-byte aligned inside the legacy
 * scan area, and right after the FACS page. */
static void test_rsdp(void)
{
    AcpiTables t;
    const uint8_t *r;

    CHECK(build(&t, &cfg1));
    r = at(&t, t.rsdp_addr, 36);
    CHECK(r);
    CHECK(!memcmp(r, "RSD PTR ", 8));
    CHECK_EQ(test_byte_sum(r, 20), 0);
    CHECK_EQ(test_byte_sum(r, 36), 0);
    CHECK_EQ(r[15], 2);
    CHECK_EQ(test_le(r + 20, 4), 36);
    CHECK_EQ(t.rsdp_addr & 15, 0);
    CHECK(t.rsdp_addr >= 0xe0000 && t.rsdp_addr + 36 <= 0x100000);
    CHECK_EQ(t.rsdp_addr, BASE + ACPI_NVS_SIZE);
    CHECK(t.size <= SIZE);
    acpi_tables_free(&t);
}

/* Every table has its length in the header and sums to 0; the XSDT and
 * RSDT list the same tables, each once, and the FADT leads to the DSDT and
 * the FACS. */
static void test_chain(void)
{
    static const char *const listed[] = { "FACP", "APIC", "HPET" };
    AcpiTables t;
    const uint8_t *r, *x, *rs, *f;

    CHECK(build(&t, &cfg1));
    for (unsigned i = 0; i < t.ntables; i++) {
        const AcpiTableEntry *e = &t.toc[i];
        const uint8_t *p = at(&t, e->addr, e->len);

        CHECK(p);
        CHECK(!memcmp(p, e->sig, 4) || !strcmp(e->sig, "RSDP"));
        if (strcmp(e->sig, "RSDP") && strcmp(e->sig, "FACS")) {
            CHECK_EQ(test_le(p + 4, 4), e->len);
            CHECK_EQ(test_byte_sum(p, e->len), 0);
            CHECK(!memcmp(p + 10, "TERN  ", 6));
        }
    }
    r = at(&t, t.rsdp_addr, 36);
    x = at(&t, test_le(r + 24, 8), 36);
    rs = at(&t, test_le(r + 16, 4), 36);
    CHECK(x && rs);
    CHECK(!memcmp(x, "XSDT", 4) && !memcmp(rs, "RSDT", 4));
    CHECK_EQ(test_le(x + 4, 4), 36 + 8 * ARRAY_SIZE(listed));
    CHECK_EQ(test_le(rs + 4, 4), 36 + 4 * ARRAY_SIZE(listed));
    for (size_t i = 0; i < ARRAY_SIZE(listed); i++) {
        uint64_t a = test_le(x + 36 + 8 * i, 8);
        const uint8_t *p = at(&t, a, 36);

        CHECK(p);
        CHECK(!memcmp(p, listed[i], 4));
        CHECK_EQ(test_le(rs + 36 + 4 * i, 4), a);
    }
    f = table(&t, "FACP");
    CHECK(f);
    CHECK_EQ(test_le(f + 140, 8), acpi_tables_find(&t, "DSDT")->addr);   /* X_DSDT */
    CHECK_EQ(test_le(f + 40, 4), acpi_tables_find(&t, "DSDT")->addr);    /* DSDT */
    CHECK_EQ(test_le(f + 132, 8), acpi_tables_find(&t, "FACS")->addr);   /* X_FIRMWARE_CTRL */
    CHECK_EQ(test_le(f + 36, 4), acpi_tables_find(&t, "FACS")->addr);
    acpi_tables_free(&t);
}

static void test_facs(void)
{
    AcpiTables t;
    const AcpiTableEntry *e;
    const uint8_t *p;

    CHECK(build(&t, &cfg1));
    e = acpi_tables_find(&t, "FACS");
    p = table(&t, "FACS");
    CHECK(p);
    CHECK_EQ(e->addr & 63, 0);
    CHECK(e->addr + e->len <= BASE + ACPI_NVS_SIZE);    /* inside the NVS page */
    CHECK_EQ(test_le(p + 4, 4), 64);
    CHECK_EQ(p[32], 2);
    acpi_tables_free(&t);
}

static void gas_check(const uint8_t *g, uint8_t space, uint8_t bits, uint64_t addr, int *bad)
{
    *bad |= g[0] != space || g[1] != bits || g[2] != 0 || test_le(g + 4, 8) != addr;
}

static void test_fadt(void)
{
    AcpiTables t;
    const uint8_t *f;
    uint32_t flags;
    int bad = 0;

    CHECK(build(&t, &cfg1));
    f = table(&t, "FACP");
    CHECK(f);
    CHECK_EQ(f[8], 6);                      /* revision */
    CHECK_EQ(test_le(f + 4, 4), 276);
    CHECK_EQ(f[131], 0);                    /* minor version */
    CHECK_EQ(test_le(f + 46, 2), 9);             /* SCI_INT */
    CHECK_EQ(test_le(f + 48, 4), 0);             /* SMI_CMD: no mode switch */
    CHECK_EQ(test_le(f + 56, 4), 0x600);         /* PM1a_EVT_BLK */
    CHECK_EQ(test_le(f + 64, 4), 0x604);         /* PM1a_CNT_BLK */
    CHECK_EQ(test_le(f + 76, 4), 0x608);         /* PM_TMR_BLK */
    CHECK_EQ(f[88], 4);
    CHECK_EQ(f[89], 2);
    CHECK_EQ(f[91], 4);
    CHECK_EQ(test_le(f + 80, 4), 0);             /* no GPE0 */
    CHECK_EQ(f[108], 0x32);                 /* CENTURY */
    CHECK_EQ(test_le(f + 109, 2), 3);            /* IAPC_BOOT_ARCH: legacy devices, 8042 */
    flags = (uint32_t)test_le(f + 112, 4);
    CHECK(flags & (1u << 8));               /* TMR_VAL_EXT */
    CHECK(flags & (1u << 10));              /* RESET_REG_SUP */
    CHECK(!(flags & (1u << 20)));           /* HW_REDUCED_ACPI clear */
    gas_check(f + 116, 1, 8, 0xcf9, &bad);  /* RESET_REG */
    CHECK_EQ(f[128], 0x06);                 /* RESET_VALUE */
    gas_check(f + 148, 1, 32, 0x600, &bad); /* X_PM1a_EVT_BLK */
    gas_check(f + 172, 1, 16, 0x604, &bad); /* X_PM1a_CNT_BLK */
    gas_check(f + 208, 1, 32, 0x608, &bad); /* X_PM_TMR_BLK */
    CHECK(!bad);
    CHECK_EQ(test_le(f + 160 + 4, 8), 0);        /* X_PM1b_EVT_BLK: none */
    acpi_tables_free(&t);
}

/* Walk the MADT's entries: each length matches its type, they end exactly
 * at the table's end; count them by type. */
static void madt_walk(const AcpiConfig *cfg)
{
    static const uint8_t type_len[] = { 8, 12, 10, 0, 6 };
    AcpiTables t;
    const uint8_t *m;
    size_t off, len;
    unsigned count[5] = { 0 }, cpus_seen = 0;

    CHECK(build(&t, cfg));
    m = table(&t, "APIC");
    CHECK(m);
    len = test_le(m + 4, 4);
    CHECK_EQ(m[8], 4);
    CHECK_EQ(test_le(m + 36, 4), 0xfee00000);
    CHECK_EQ(test_le(m + 40, 4), 1);             /* PCAT_COMPAT */
    for (off = 44; off + 2 <= len; off += m[off + 1]) {
        const uint8_t *e = m + off;

        CHECK(e[0] < ARRAY_SIZE(type_len) && type_len[e[0]] == e[1]);
        CHECK(off + e[1] <= len);
        count[e[0]]++;
        switch (e[0]) {
        case 0:
            CHECK_EQ(e[2], cpus_seen);      /* UID */
            CHECK_EQ(e[3], cfg->apic_ids ? cfg->apic_ids[cpus_seen] : cpus_seen); /* APIC ID */
            CHECK_EQ(test_le(e + 4, 4), 1);      /* enabled */
            cpus_seen++;
            break;
        case 1:
            CHECK_EQ(e[2], 0);
            CHECK_EQ(test_le(e + 4, 4), 0xfec00000);
            CHECK_EQ(test_le(e + 8, 4), 0);
            break;
        case 2:
            CHECK_EQ(e[2], 0);
            if (e[3] == 0) {
                CHECK_EQ(test_le(e + 4, 4), 2);
                CHECK_EQ(test_le(e + 8, 2), 0);
            } else {
                CHECK_EQ(e[3], 9);
                CHECK_EQ(test_le(e + 4, 4), 9);
                CHECK_EQ(test_le(e + 8, 2), 0xd);    /* level, active high */
            }
            break;
        case 4:
            CHECK_EQ(e[2], 0xff);
            CHECK_EQ(e[5], 1);              /* LINT1 */
            break;
        }
    }
    CHECK_EQ(off, len);
    CHECK_EQ(count[0], cfg->num_cpus);
    CHECK_EQ(count[1], 1);
    CHECK_EQ(count[2], 2);
    CHECK_EQ(count[4], 1);
    acpi_tables_free(&t);
}

static void test_madt(void)
{
    AcpiConfig cfg = cfg1;

    madt_walk(&cfg1);
    if (test_failed) {
        return;
    }
    cfg.num_cpus = 4;
    madt_walk(&cfg);
    if (test_failed) {
        return;
    }
    cfg.num_cpus = 254;
    madt_walk(&cfg);
    if (test_failed) {
        return;
    }
    /* -smp 6,sockets=2,cores=3: the topology's IDs, with a gap */
    static const uint32_t ids[6] = { 0, 1, 2, 4, 5, 6 };
    cfg.num_cpus = 6;
    cfg.apic_ids = ids;
    madt_walk(&cfg);
}

static void test_hpet(void)
{
    AcpiTables t;
    const uint8_t *h;
    int bad = 0;

    CHECK(build(&t, &cfg1));
    h = table(&t, "HPET");
    CHECK(h);
    CHECK_EQ(test_le(h + 4, 4), 56);
    CHECK_EQ(test_le(h + 36, 4) >> 16, 0x8086);          /* PCI vendor */
    CHECK_EQ(((test_le(h + 36, 4) >> 8) & 0x1f) + 1, 3); /* comparators */
    gas_check(h + 40, 0, 64, 0xfed00000, &bad);
    CHECK(!bad);
    acpi_tables_free(&t);
}

/* ---- the AML walker --------------------------------------------------- */

#define MAX_NAMES 1024

typedef struct AmlName {
    char path[64];              /* "\_SB_.PCI0._HID" */
    const uint8_t *value;       /* the DataRefObject; a Method's flags and body; an
                                   OperationRegion's space, offset, length; NULL: a field */
    size_t len;                 /* a field's width in bits */
} AmlName;

typedef struct Walk {
    AmlName names[MAX_NAMES];
    unsigned n;
    unsigned scopes, devices, packages, buffers, methods, regions, fields;
} Walk;

/* PkgLength at *p (20.2.4); advances p, returns the length or 0 if bad. */
static size_t pkglen(const uint8_t **p, const uint8_t *end)
{
    unsigned follow;
    size_t len;

    if (*p >= end) {
        return 0;
    }
    follow = **p >> 6;
    if (*p + 1 + follow > end || (follow && (**p & 0x30))) {
        return 0;
    }
    len = follow ? **p & 0xf : **p & 0x3f;
    for (unsigned i = 0; i < follow; i++) {
        len |= (size_t)(*p)[1 + i] << (4 + 8 * i);
    }
    *p += 1 + follow;
    return len;
}

static bool nameseg_ok(const uint8_t *s)
{
    for (int i = 0; i < 4; i++) {
        if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || (i && s[i] >= '0' && s[i] <= '9'))) {
            return false;
        }
    }
    return true;
}

/* NameString at *p relative to scope path; the absolute path in out. */
static bool namestring(const uint8_t **p, const uint8_t *end, const char *scope, char *out,
                       size_t outlen)
{
    unsigned nseg = 1;
    char path[64];

    snprintf(path, sizeof(path), "%s", scope);
    if (*p < end && **p == '\\') {
        strcpy(path, "\\");
        (*p)++;
    }
    while (*p < end && **p == '^') {
        char *dot = strrchr(path, '.');

        if (!dot) {
            return false;
        }
        *dot = 0;
        (*p)++;
    }
    if (*p >= end) {
        return false;
    }
    if (**p == 0x2e) {
        nseg = 2;
        (*p)++;
    } else if (**p == 0x2f) {
        if (*p + 1 >= end) {
            return false;
        }
        nseg = (*p)[1];
        *p += 2;
    }
    for (unsigned i = 0; i < nseg; i++) {
        size_t l = strlen(path);

        if (*p + 4 > end || !nameseg_ok(*p) || l + 6 > sizeof(path)) {
            return false;
        }
        snprintf(path + l, sizeof(path) - l, "%s%.4s", l > 1 ? "." : "", (const char *)*p);
        *p += 4;
    }
    snprintf(out, outlen, "%s", path);
    return true;
}

static bool integer(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    static const uint8_t size[] = { [0x0a] = 1, [0x0b] = 2, [0x0c] = 4, [0x0e] = 8 };
    uint8_t op;

    if (*p >= end) {
        return false;
    }
    op = **p;
    if (op == 0x00 || op == 0x01 || op == 0xff) {
        *v = op == 0xff ? ~0ull : op;
        (*p)++;
        return true;
    }
    if (op >= ARRAY_SIZE(size) || !size[op] || *p + 1 + size[op] > end) {
        return false;
    }
    *v = test_le(*p + 1, size[op]);
    *p += 1 + size[op];
    return true;
}

static bool data_object(Walk *w, const uint8_t **p, const uint8_t *end)
{
    const uint8_t *start, *stop;
    uint64_t v;
    size_t len;

    if (*p >= end) {
        return false;
    }
    switch (**p) {
    case 0x0d: {                                        /* String */
        const uint8_t *nul = memchr(*p + 1, 0, end - (*p + 1));

        if (!nul) {
            return false;
        }
        *p = nul + 1;
        return true;
    }
    case 0x12: {                                        /* Package */
        unsigned count, seen = 0;

        start = ++*p;
        len = pkglen(p, end);
        if (!len || start + len > end || *p >= start + len) {
            return false;
        }
        stop = start + len;
        count = *(*p)++;
        while (*p < stop) {
            if (!data_object(w, p, stop)) {
                return false;
            }
            seen++;
        }
        w->packages++;
        return *p == stop && seen == count;
    }
    case 0x11:                                          /* Buffer */
        start = ++*p;
        len = pkglen(p, end);
        if (!len || start + len > end) {
            return false;
        }
        stop = start + len;
        if (!integer(p, stop, &v) || *p + v != stop) {
            return false;
        }
        *p = stop;
        w->buffers++;
        return true;
    default:
        if (**p == '\\' || **p == '^' || **p == '_' || **p == 0x2e || **p == 0x2f ||
            (**p >= 'A' && **p <= 'Z')) {             /* NameString: a reference */
            char path[64];

            return namestring(p, end, "\\", path, sizeof(path));
        }
        return integer(p, end, &v);
    }
}

static bool add_name(Walk *w, const char *path, const uint8_t *value, size_t len)
{
    if (w->n == MAX_NAMES) {
        return false;
    }
    snprintf(w->names[w->n].path, sizeof(w->names[0].path), "%s", path);
    w->names[w->n].value = value;
    w->names[w->n++].len = len;
    return true;
}

/* Field's FieldList: NamedFields (NameSeg, width) in the enclosing scope. */
static bool field_list(Walk *w, const uint8_t *p, const uint8_t *end, const char *scope)
{
    while (p < end) {
        char path[64];
        size_t bits;

        if (p + 4 > end || !nameseg_ok(p)) {
            return false;
        }
        snprintf(path, sizeof(path), "%s%s%.4s", scope, strlen(scope) > 1 ? "." : "",
                 (const char *)p);
        p += 4;
        bits = pkglen(&p, end);
        if (!bits || !add_name(w, path, NULL, bits)) {
            return false;
        }
        w->fields++;
    }
    return true;
}

/* TermList of Scope, Device, Name, Method, OperationRegion and Field terms
 * between p and end.  Method bodies are not walked. */
static bool term_list(Walk *w, const uint8_t *p, const uint8_t *end, const char *scope)
{
    while (p < end) {
        char path[64];
        const uint8_t *start;
        size_t len;

        if (p[0] == 0x08) {                             /* Name */
            const uint8_t *v;

            p++;
            if (!namestring(&p, end, scope, path, sizeof(path))) {
                return false;
            }
            v = p;
            if (!data_object(w, &p, end) || !add_name(w, path, v, p - v)) {
                return false;
            }
            continue;
        }
        if (p[0] == 0x5b && p + 1 < end && p[1] == 0x80) {     /* OperationRegion */
            const uint8_t *v;
            uint64_t off, len;

            p += 2;
            if (!namestring(&p, end, scope, path, sizeof(path)) || p >= end) {
                return false;
            }
            v = p++;
            if (!integer(&p, end, &off) || !integer(&p, end, &len) ||
                !add_name(w, path, v, p - v)) {
                return false;
            }
            w->regions++;
            continue;
        }
        if (p[0] == 0x14 || (p[0] == 0x5b && p + 1 < end && p[1] == 0x81)) {  /* Method, Field */
            bool method = p[0] == 0x14;

            p += method ? 1 : 2;
            start = p;
            len = pkglen(&p, end);
            if (!len || start + len > end || !namestring(&p, start + len, scope, path, sizeof(path))
                || p >= start + len) {
                return false;
            }
            if (method) {
                if (!add_name(w, path, p, start + len - p)) {
                    return false;
                }
                w->methods++;
            } else if (!field_list(w, p + 1, start + len, scope)) {
                return false;
            }
            p = start + len;
            continue;
        }
        if (p[0] == 0x10) {                             /* Scope */
            start = ++p;
            w->scopes++;
        } else if (p[0] == 0x5b && p + 1 < end && p[1] == 0x82) {   /* Device */
            p += 2;
            start = p;
            w->devices++;
        } else {
            return false;
        }
        len = pkglen(&p, end);
        if (!len || start + len > end || !namestring(&p, start + len, scope, path, sizeof(path))
            || !term_list(w, p, start + len, path)) {
            return false;
        }
        p = start + len;
    }
    return p == end;
}

static bool dsdt_walk(const AcpiTables *t, Walk *w)
{
    const uint8_t *d = table(t, "DSDT");

    memset(w, 0, sizeof(*w));
    return d && d[8] == 2 && term_list(w, d + 36, d + test_le(d + 4, 4), "\\");
}

static const AmlName *aml_find(const Walk *w, const char *path)
{
    for (unsigned i = 0; i < w->n; i++) {
        if (!strcmp(w->names[i].path, path)) {
            return &w->names[i];
        }
    }
    return NULL;
}

static bool name_int(const Walk *w, const char *path, uint64_t *v)
{
    const AmlName *n = aml_find(w, path);
    const uint8_t *p = n ? n->value : NULL;

    return n && integer(&p, n->value + n->len, v);
}

/* The descriptors of a resource template named path: each small/large
 * item's size fits and the end tag closes the buffer exactly. */
typedef struct Res {
    const uint8_t *d[16];
    unsigned n;
} Res;

static bool name_resources(const Walk *w, const char *path, Res *r)
{
    const AmlName *n = aml_find(w, path);
    const uint8_t *p, *end, *stop;
    uint64_t size;
    size_t len;

    if (!n || n->value[0] != 0x11) {
        return false;
    }
    p = n->value + 1;
    end = n->value + n->len;
    len = pkglen(&p, end);
    stop = n->value + 1 + len;
    if (!integer(&p, stop, &size) || p + size != stop) {
        return false;
    }
    r->n = 0;
    while (p < stop && r->n < ARRAY_SIZE(r->d)) {
        size_t item = p[0] & 0x80 ? 3 + (size_t)test_le(p + 1, 2) : 1 + (size_t)(p[0] & 7);

        if (p + item > stop) {
            return false;
        }
        if (p[0] == 0x79) {
            return item == 2 && p + 2 == stop;
        }
        r->d[r->n++] = p;
        p += item;
    }
    return false;
}

static uint32_t eisaid(const char *id)
{
    uint32_t v = (uint32_t)(id[0] - 0x40) << 26 | (uint32_t)(id[1] - 0x40) << 21 |
                 (uint32_t)(id[2] - 0x40) << 16 | (uint32_t)strtoul(id + 3, NULL, 16);

    return __builtin_bswap32(v);
}

static void test_dsdt_structure(void)
{
    AcpiTables t;
    Walk w;
    const AmlName *s5;
    const uint8_t *d;
    AcpiConfig cfg = cfg1;
    uint64_t v;

    CHECK(build(&t, &cfg1));
    CHECK(dsdt_walk(&t, &w));
    CHECK_EQ(w.scopes, 1);
    CHECK_EQ(w.devices, 1 + 2 + 7 + 4);         /* C000, PCI0, ISA, seven ISA devices, LNKA-D */
    s5 = aml_find(&w, "\\_S5_");
    CHECK(s5);
    /* Package (4) { 0, 0, 0, 0 }: SLP_TYP 0 for S5 */
    CHECK_EQ(s5->len, 7);
    CHECK(!memcmp(s5->value, "\x12\x06\x04\x00\x00\x00\x00", 7));
    CHECK(name_int(&w, "\\_SB_.C000._UID", &v) && v == 0);
    CHECK(name_int(&w, "\\_SB_.PCI0.ISA_.FWCF._STA", &v) && v == 0x0b);   /* fw_cfg */
    acpi_tables_free(&t);

    cfg.num_cpus = 254;                         /* \_SB over 4 KiB: 3-byte PkgLength */
    CHECK(build(&t, &cfg));
    CHECK(dsdt_walk(&t, &w));
    d = table(&t, "DSDT");
    CHECK_EQ(d[36 + 12], 0x10);                 /* Scope (_SB) after Name (_S5) */
    CHECK_EQ(d[36 + 13] >> 6, 2);
    CHECK_EQ(w.devices, 254 + 2 + 7 + 4);
    CHECK(name_int(&w, "\\_SB_.C0FD._UID", &v) && v == 253);
    acpi_tables_free(&t);
}

static void test_dsdt_pci(void)
{
    AcpiTables t;
    Walk w;
    Res r;
    uint64_t v;

    CHECK(build(&t, &cfg1));
    CHECK(dsdt_walk(&t, &w));
    CHECK(name_int(&w, "\\_SB_.PCI0._HID", &v) && v == eisaid("PNP0A03"));
    CHECK(name_int(&w, "\\_SB_.PCI0._UID", &v) && v == 0);
    CHECK(name_int(&w, "\\_SB_.PCI0._BBN", &v) && v == 0);
    CHECK(name_resources(&w, "\\_SB_.PCI0._CRS", &r));
    CHECK_EQ(r.n, 6);
    /* WordBusNumber 0-255: type 2, min, max, length */
    CHECK_EQ(r.d[0][0], 0x88);
    CHECK_EQ(r.d[0][3], 2);
    CHECK_EQ(test_le(r.d[0] + 8, 2), 0);
    CHECK_EQ(test_le(r.d[0] + 10, 2), 0xff);
    CHECK_EQ(test_le(r.d[0] + 14, 2), 0x100);
    /* IO 0xCF8, 8 ports */
    CHECK_EQ(r.d[1][0], 0x47);
    CHECK_EQ(test_le(r.d[1] + 2, 2), 0xcf8);
    CHECK_EQ(r.d[1][7], 8);
    /* WordIO around it */
    CHECK_EQ(test_le(r.d[2] + 10, 2), 0xcf7);
    CHECK_EQ(test_le(r.d[3] + 8, 2), 0xd00);
    CHECK_EQ(test_le(r.d[3] + 14, 2), 0xf300);
    /* DWordMemory: VGA window, then RAM end up to the IOAPIC */
    CHECK_EQ(r.d[4][0], 0x87);
    CHECK_EQ(test_le(r.d[4] + 10, 4), 0xa0000);
    CHECK_EQ(test_le(r.d[4] + 22, 4), 0x20000);
    CHECK_EQ(test_le(r.d[5] + 10, 4), 128u << 20);
    CHECK_EQ(test_le(r.d[5] + 14, 4), 0xfebfffff);
    CHECK(name_int(&w, "\\_SB_.PCI0.ISA_._ADR", &v) && v == 0x10000);
    acpi_tables_free(&t);
}

/* Each ISA device: its EISA ID, its ports and its IRQ. */
static void test_dsdt_isa(void)
{
    static const struct {
        const char *dev, *hid;
        uint16_t port, port2;
        int irq;
    } want[] = {
        { "KBD_", "PNP0303", 0x60, 0x64, 1 },
        { "MOU_", "PNP0F13", 0, 0, 12 },                /* the 8042's aux port: IRQ only */
        { "COM1", "PNP0501", 0x3f8, 0, 4 },
        { "RTC_", "PNP0B00", 0x70, 0, 8 },
        { "PIT_", "PNP0100", 0x40, 0, 0 },
    };
    AcpiTables t;
    Walk w;
    Res r;
    uint64_t v;
    char path[64];

    CHECK(build(&t, &cfg1));
    CHECK(dsdt_walk(&t, &w));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        unsigned k = 0;

        snprintf(path, sizeof(path), "\\_SB_.PCI0.ISA_.%s._HID", want[i].dev);
        CHECK(name_int(&w, path, &v) && v == eisaid(want[i].hid));
        snprintf(path, sizeof(path), "\\_SB_.PCI0.ISA_.%s._CRS", want[i].dev);
        CHECK(name_resources(&w, path, &r));
        CHECK_EQ(r.n, 1 + !!want[i].port + !!want[i].port2);
        if (want[i].port) {
            CHECK_EQ(r.d[k][0], 0x47);
            CHECK_EQ(test_le(r.d[k] + 2, 2), want[i].port);
            k++;
        }
        if (want[i].port2) {
            CHECK_EQ(test_le(r.d[k] + 2, 2), want[i].port2);
            k++;
        }
        CHECK_EQ(r.d[k][0], 0x22);
        CHECK_EQ(test_le(r.d[k] + 1, 2), 1u << want[i].irq);
    }
    CHECK(name_int(&w, "\\_SB_.PCI0.ISA_.HPET._HID", &v) && v == eisaid("PNP0103"));
    CHECK(name_resources(&w, "\\_SB_.PCI0.ISA_.HPET._CRS", &r));
    CHECK_EQ(r.n, 1);
    CHECK_EQ(r.d[0][0], 0x86);
    CHECK_EQ(test_le(r.d[0] + 4, 4), 0xfed00000);
    CHECK_EQ(test_le(r.d[0] + 8, 4), 0x400);
    acpi_tables_free(&t);
}

/* _PRT: one Package (4) { slot << 16 | 0xFFFF, pin, LNKx, 0 } per slot 1-31
 * and pin, naming the link of the PIRQ the board wires it to. */
static void test_dsdt_prt(void)
{
    AcpiTables t;
    Walk w;
    const AmlName *prt;
    const uint8_t *p, *end;
    size_t len;
    unsigned n = 0;

    CHECK(build(&t, &cfg1));
    CHECK(dsdt_walk(&t, &w));
    prt = aml_find(&w, "\\_SB_.PCI0._PRT");
    CHECK(prt && prt->value[0] == 0x12);
    if (!prt) {
        acpi_tables_free(&t);
        return;
    }
    p = prt->value + 1;
    end = prt->value + prt->len;
    len = pkglen(&p, end);
    CHECK(prt->value + 1 + len == end);
    CHECK_EQ(*p++, 31 * 4);
    for (unsigned slot = 1; slot < 32; slot++) {
        for (unsigned pin = 0; pin < 4; pin++) {
            uint64_t addr = 0, pin_got = 9, idx = 1;
            char link[64], want[64];
            const uint8_t *q = p + 3;               /* Package, PkgLength, NumElements */

            snprintf(want, sizeof(want), "\\LNK%c", 'A' + (int)map_irq(PCI_DEVFN(slot, 0), pin));
            CHECK(p + 3 < end && p[0] == 0x12 && p[2] == 4);
            CHECK(integer(&q, end, &addr) && integer(&q, end, &pin_got) &&
                  namestring(&q, end, "\\", link, sizeof(link)) && integer(&q, end, &idx));
            n += addr == ((uint64_t)slot << 16 | 0xffff) && pin_got == pin &&
                 !strcmp(link, want) && idx == 0;
            CHECK(q == p + 1 + p[1]);
            p = q;
        }
    }
    CHECK_EQ(n, 31 * 4);
    CHECK(p == end);
    acpi_tables_free(&t);
}

/* LNKA-LNKD: PNP0C0F, _UID, _PRS {5, 10, 11} level shared, the four methods
 * over fields PRQA-PRQD of PIIX3 config 0x60-0x63. */
static void test_dsdt_links(void)
{
    static const char *const methods[] = { "_STA", "_DIS", "_CRS", "_SRS" };
    AcpiTables t;
    Walk w;
    Res r;
    uint64_t v;
    char path[64];
    const AmlName *n;

    CHECK(build(&t, &cfg1));
    CHECK(dsdt_walk(&t, &w));
    n = aml_find(&w, "\\_SB_.PCI0.ISA_.PIRQ");
    CHECK(n && n->len == 5 && !memcmp(n->value, "\x02\x0a\x60\x0a\x04", 5));
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "\\_SB_.PRQ%c", 'A' + i);
        n = aml_find(&w, path);
        CHECK(n && !n->value && n->len == 8);
        snprintf(path, sizeof(path), "\\_SB_.LNK%c._HID", 'A' + i);
        CHECK(name_int(&w, path, &v) && v == eisaid("PNP0C0F"));
        snprintf(path, sizeof(path), "\\_SB_.LNK%c._UID", 'A' + i);
        CHECK(name_int(&w, path, &v) && v == (uint64_t)i);
        snprintf(path, sizeof(path), "\\_SB_.LNK%c._PRS", 'A' + i);
        CHECK(name_resources(&w, path, &r) && r.n == 1);
        /* Extended Interrupt: consumer, level, active high, shared; 3 IRQs */
        CHECK(r.d[0][0] == 0x89 && test_le(r.d[0] + 1, 2) == 2 + 3 * 4 && r.d[0][3] == 0x09 &&
              r.d[0][4] == 3 && test_le(r.d[0] + 5, 4) == 5 && test_le(r.d[0] + 9, 4) == 10 &&
              test_le(r.d[0] + 13, 4) == 11);
        for (size_t m = 0; m < ARRAY_SIZE(methods); m++) {
            snprintf(path, sizeof(path), "\\_SB_.LNK%c.%s", 'A' + i, methods[m]);
            n = aml_find(&w, path);
            CHECK(n && n->value[0] == (m == 3 ? 1 : 0));    /* argument count */
        }
    }
    CHECK((n = aml_find(&w, "\\_SB_.IQST")) && n->value[0] == 1);
    CHECK((n = aml_find(&w, "\\_SB_.IQCR")) && n->value[0] == (1 | 8));  /* Serialized */
    CHECK_EQ(w.methods, 2 + 4 * 4);
    CHECK_EQ(w.regions, 1);
    CHECK_EQ(w.fields, 4);
    acpi_tables_free(&t);
}

/* PkgLength at each encoding's boundaries, and the walker reading it back. */
static void test_pkglen(void)
{
    static const size_t body[] = { 0, 62, 63, 4093, 4094, 1048572, 1048573, 0xffffffb };
    static const unsigned bytes[] = { 1, 1, 2, 2, 3, 3, 4, 4 };
    uint8_t enc[4];

    for (size_t i = 0; i < ARRAY_SIZE(body); i++) {
        const uint8_t *p = enc;
        unsigned n = aml_pkglen_encode(body[i], enc);

        CHECK_EQ(n, bytes[i]);
        CHECK_EQ(pkglen(&p, enc + n), body[i] + n);
        CHECK(p == enc + n);
    }
    CHECK_EQ(aml_pkglen_encode(0xffffffc, enc), 0);     /* 2^28 with its 4 bytes */
}

static void test_name_encoding(void)
{
    Aml *root = aml_root();
    size_t len;
    const uint8_t *b;

    aml_append(root, aml_name_decl("\\_SB.PCI0.A", aml_int(0x12345)));
    aml_append(root, aml_name_decl("^B", aml_eisaid("PNP0A03")));
    b = aml_bytes(root, &len);
    CHECK_EQ(len, 1 + 1 + 2 + 12 + 5 + 1 + 1 + 4 + 5);
    CHECK(!memcmp(b, "\x08\\\x2f\x03_SB_PCI0A___\x0c\x45\x23\x01\x00", 21));
    CHECK(!memcmp(b + 21, "\x08^B___\x0c\x41\xd0\x0a\x03", 11));
    aml_free(root);
}

/* Configurations the tables cannot describe fail with an error. */
static void test_bad_config(void)
{
    AcpiTables t;
    AcpiConfig cfg = cfg1;
    Error *err = NULL;

    cfg.num_cpus = 0;
    CHECK_EQ(acpi_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    CHECK(err);
    error_free(err);
    err = NULL;
    cfg.num_cpus = 255;
    CHECK_EQ(acpi_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    error_free(err);
    err = NULL;
    static const uint32_t id255[2] = { 0, 255 };    /* would need an x2APIC entry */
    cfg = cfg1;
    cfg.num_cpus = 2;
    cfg.apic_ids = id255;
    CHECK_EQ(acpi_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    CHECK(err && strstr(error_get_pretty(err), "APIC ID 255"));
    error_free(err);
    err = NULL;
    cfg = cfg1;
    cfg.sci_gsi = 16;                           /* the MADT override needs an ISA IRQ */
    CHECK_EQ(acpi_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    error_free(err);
    err = NULL;
    CHECK_EQ(acpi_build(&t, &cfg1, BASE, 0x1400, &err), -ENOSPC);
    CHECK(!t.data);
    error_free(err);
    err = NULL;
    CHECK_EQ(acpi_build(&t, &cfg1, BASE + 16, SIZE, &err), -EINVAL);
    error_free(err);
}

static int dump(const char *dir)
{
    AcpiTables t;

    if (!build(&t, &cfg1)) {
        return 1;
    }
    for (unsigned i = 0; i < t.ntables; i++) {
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s.dat", dir, t.toc[i].sig);
        f = fopen(path, "wb");
        if (!f || fwrite(at(&t, t.toc[i].addr, t.toc[i].len), 1, t.toc[i].len, f) != t.toc[i].len
            || fclose(f)) {
            fprintf(stderr, "test-acpi: cannot write %s\n", path);
            return 1;
        }
        printf("%s\n", path);
    }
    acpi_tables_free(&t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--dump")) {
        return dump(argv[2]);
    }
    RUN_TEST(test_rsdp);
    RUN_TEST(test_chain);
    RUN_TEST(test_facs);
    RUN_TEST(test_fadt);
    RUN_TEST(test_madt);
    RUN_TEST(test_hpet);
    RUN_TEST(test_dsdt_structure);
    RUN_TEST(test_dsdt_pci);
    RUN_TEST(test_dsdt_isa);
    RUN_TEST(test_dsdt_prt);
    RUN_TEST(test_dsdt_links);
    RUN_TEST(test_pkglen);
    RUN_TEST(test_name_encoding);
    RUN_TEST(test_bad_config);
    TEST_MAIN_END();
}
