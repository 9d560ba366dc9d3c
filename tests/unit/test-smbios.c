/*
 * test-smbios.c: the SMBIOS tables (hw/smbios/smbios.c) parsed as Linux's
 * dmi_scan does: the 64-bit entry point (anchor, checksum, length,
 * version, table address and size), every structure's formatted length
 * for its type and its string set (terminated inside the table, every
 * string field naming an existing string), unique handles, the end
 * marker last, the strings Linux shows (DMI: tern Standard PC ...), the
 * processor's CPUID words and core count, the memory array, devices and
 * mapped ranges adding up to the RAM, and the errors.
 */
#include "util/osdep.h"
#include "hw/smbios/smbios.h"
#include "test.h"

TEST_GLOBALS;

#define BASE  0xf8000u
#define SIZE  0x8000u
#define MIB   (1ull << 20)
#define GIB   (1ull << 30)
#define MAX_STRUCTS 64
#define MAX_STRINGS 16

static const SmbiosConfig cfg512 = {
    .sockets = 1, .cores = 1, .cpu_signature = 0x000206a1, .cpu_features = 0x0789fbfd,
    .cpu_version = "tern virtual CPU", .ram_below_4g = 512 * MIB,
};

/* A parsed structure */
typedef struct Smb {
    uint8_t type, len;
    uint16_t handle;
    const uint8_t *p;
    const char *str[MAX_STRINGS + 1];   /* str[1..nstr] */
    unsigned nstr;
} Smb;

/* DSP0134 3.0.0's formatted lengths and string fields of each type built */
static const struct {
    uint8_t type, len;
    uint8_t strings[6];                 /* offsets of string fields, 0-terminated */
} layouts[] = {
    { 0, 0x18, { 0x04, 0x05, 0x08 } },
    { 1, 0x1b, { 0x04, 0x05, 0x06, 0x07, 0x19, 0x1a } },
    { 3, 0x16, { 0x04, 0x06, 0x07, 0x08, 0x15 } },
    { 4, 0x30, { 0x04, 0x07, 0x10, 0x20, 0x21, 0x22 } },
    { 16, 0x17, { 0 } },
    { 17, 0x28, { 0x10, 0x11, 0x17, 0x18, 0x19, 0x1a } },
    { 19, 0x1f, { 0 } },
    { 32, 0x0b, { 0 } },
    { 127, 0x04, { 0 } },
};

static bool build(SmbiosTables *t, const SmbiosConfig *cfg)
{
    Error *err = NULL;

    if (smbios_build(t, cfg, BASE, SIZE, &err) < 0) {
        error_report_err(err);
        return false;
    }
    return true;
}

/* Walk the structure table into s[]: the count, or -1 (with a line that
 * says why) if a structure or string set runs off the table, a type has
 * the wrong length or a string field names a missing string. */
static int walk(const SmbiosTables *t, Smb *s, unsigned max)
{
    const uint8_t *p = t->data + (t->table_addr - t->base), *end = p + t->table_len;
    unsigned n = 0;

    while (p + 4 <= end && n < max) {
        Smb *m = &s[n++];
        const uint8_t *q;
        bool known = false;

        *m = (Smb){ .type = p[0], .len = p[1], .handle = (uint16_t)test_le(p + 2, 2), .p = p };
        if (m->len < 4 || p + m->len + 2 > end) {
            printf("  structure %u (type %u): length %u runs off the table\n", n, m->type,
                   m->len);
            return -1;
        }
        q = p + m->len;
        if (!q[0] && !q[1]) {
            q += 2;                          /* no strings */
        } else {
            while (q < end && *q) {
                if (m->nstr == MAX_STRINGS) {
                    return -1;
                }
                m->str[++m->nstr] = (const char *)q;
                q += strnlen((const char *)q, (size_t)(end - q)) + 1;
            }
            if (q >= end) {
                printf("  type %u: string set not terminated\n", m->type);
                return -1;
            }
            q++;
        }
        for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
            if (layouts[i].type != m->type) {
                continue;
            }
            known = true;
            if (layouts[i].len != m->len) {
                printf("  type %u: length 0x%x, want 0x%x\n", m->type, m->len, layouts[i].len);
                return -1;
            }
            for (unsigned f = 0; f < 6 && layouts[i].strings[f]; f++) {
                if (p[layouts[i].strings[f]] > m->nstr) {
                    printf("  type %u: field 0x%x names string %u of %u\n", m->type,
                           layouts[i].strings[f], p[layouts[i].strings[f]], m->nstr);
                    return -1;
                }
            }
        }
        if (!known) {
            printf("  unexpected type %u\n", m->type);
            return -1;
        }
        p = q;
        if (m->type == 127) {
            return p == end ? (int)n : -1;  /* the end marker ends the table */
        }
    }
    printf("  no end marker\n");
    return -1;
}

/* The first structure of type, instance i */
static const Smb *find(const Smb *s, int n, uint8_t type, unsigned i)
{
    for (int k = 0; k < n; k++) {
        if (s[k].type == type && i-- == 0) {
            return &s[k];
        }
    }
    return NULL;
}

static const char *str(const Smb *m, unsigned field)
{
    uint8_t i = m->p[field];

    return i ? m->str[i] : "";
}

static void test_entry_point(void)
{
    SmbiosTables t;
    const uint8_t *ep;

    CHECK(build(&t, &cfg512));
    ep = t.data;
    CHECK_EQ(t.base, BASE);
    CHECK(!memcmp(ep, "_SM3_", 5));
    CHECK_EQ(test_byte_sum(ep, ep[6]), 0);
    CHECK_EQ(ep[6], 0x18);
    CHECK_EQ(ep[7], 3);                     /* 3.0.0 */
    CHECK_EQ(ep[8], 0);
    CHECK_EQ(ep[10], 1);                    /* entry point revision */
    CHECK_EQ(test_le(ep + 16, 8), t.table_addr);
    CHECK_EQ(test_le(ep + 12, 4), t.table_len);
    CHECK(t.table_addr >= BASE + 0x18 && t.table_addr + t.table_len == BASE + t.size);
    CHECK(t.size <= SIZE);
    smbios_tables_free(&t);
}

/* The types in order, each structure well formed, handles unique */
static void test_structures(void)
{
    static const uint8_t order[] = { 0, 1, 3, 4, 16, 17, 19, 32, 127 };
    SmbiosTables t;
    Smb s[MAX_STRUCTS];
    int n;

    CHECK(build(&t, &cfg512));
    n = walk(&t, s, MAX_STRUCTS);
    CHECK_EQ(n, (int)ARRAY_SIZE(order));
    for (int i = 0; i < n; i++) {
        CHECK_EQ(s[i].type, order[i]);
        for (int j = 0; j < i; j++) {
            CHECK(s[i].handle != s[j].handle);
        }
        for (unsigned k = 1; k <= s[i].nstr; k++) {
            CHECK(s[i].str[k][0]);          /* no empty strings in a set */
        }
    }
    smbios_tables_free(&t);
}

/* What Linux prints and puts in /sys/class/dmi/id */
static void test_strings(void)
{
    static const uint8_t zero[16];
    SmbiosTables t;
    Smb s[MAX_STRUCTS];
    const Smb *m;
    int n;

    CHECK(build(&t, &cfg512));
    n = walk(&t, s, MAX_STRUCTS);
    CHECK(n > 0);
    CHECK((m = find(s, n, 0, 0)));
    CHECK(!strcmp(str(m, 4), "tern"));
    CHECK(!strcmp(str(m, 5), TERN_VERSION));
    CHECK(!strcmp(str(m, 8), "01/01/2026"));
    CHECK((m = find(s, n, 1, 0)));
    CHECK(!strcmp(str(m, 4), "tern"));
    CHECK(!strcmp(str(m, 5), "Standard PC (i440FX + PIIX, 1996)"));
    CHECK(!memcmp(m->p + 8, zero, 16));     /* UUID: none */
    CHECK((m = find(s, n, 3, 0)));
    CHECK(!strcmp(str(m, 4), "tern"));
    CHECK((m = find(s, n, 4, 0)));
    CHECK(!strcmp(str(m, 4), "CPU 0"));
    CHECK(!strcmp(str(m, 0x10), "tern virtual CPU"));
    CHECK_EQ(test_le(m->p + 8, 4), cfg512.cpu_signature);
    CHECK_EQ(test_le(m->p + 0x0c, 4), cfg512.cpu_features);
    CHECK_EQ(m->p[0x18], 0x41);             /* populated, enabled */
    smbios_tables_free(&t);
}

/* One package of 4 cores: one type 4 that says so */
static void test_processor(void)
{
    SmbiosConfig cfg = cfg512;
    SmbiosTables t;
    Smb s[MAX_STRUCTS];
    const Smb *m;
    int n;

    cfg.cores = 4;
    CHECK(build(&t, &cfg));
    n = walk(&t, s, MAX_STRUCTS);
    CHECK(n > 0);
    CHECK((m = find(s, n, 4, 0)));
    CHECK(!find(s, n, 4, 1));
    CHECK_EQ(m->p[0x23], 4);
    CHECK_EQ(m->p[0x24], 4);
    CHECK_EQ(m->p[0x25], 4);
    CHECK_EQ(test_le(m->p + 0x2a, 2), 4);
    smbios_tables_free(&t);
}

/* The array's capacity and devices add up to the RAM; one mapped range
 * per RAM range, in KiB. */
static void check_memory(uint64_t below, uint64_t above, unsigned dimms)
{
    SmbiosConfig cfg = cfg512;
    SmbiosTables t;
    Smb s[MAX_STRUCTS];
    const Smb *a, *m;
    uint64_t total = 0;
    int n;

    cfg.ram_below_4g = below;
    cfg.ram_above_4g = above;
    CHECK(build(&t, &cfg));
    n = walk(&t, s, MAX_STRUCTS);
    CHECK(n > 0);
    CHECK((a = find(s, n, 16, 0)));
    CHECK_EQ(test_le(a->p + 0x0f, 8), below + above);
    CHECK_EQ(test_le(a->p + 0x0d, 2), dimms);
    for (unsigned i = 0; i < dimms; i++) {
        uint64_t mib;

        CHECK((m = find(s, n, 17, i)));
        CHECK_EQ(test_le(m->p + 4, 2), a->handle);
        mib = test_le(m->p + 0x0c, 2);
        total += (mib == 0x7fff ? test_le(m->p + 0x1c, 4) : mib) * MIB;
    }
    CHECK(!find(s, n, 17, dimms));
    CHECK_EQ(total, below + above);
    CHECK((m = find(s, n, 19, 0)));
    CHECK_EQ(test_le(m->p + 0x0c, 2), a->handle);
    CHECK_EQ(test_le(m->p + 4, 4), 0);
    CHECK_EQ(test_le(m->p + 8, 4), (below - 1) >> 10);
    m = find(s, n, 19, 1);
    if (above) {
        CHECK(m);
        CHECK_EQ(test_le(m->p + 4, 4), (4 * GIB) >> 10);
        CHECK_EQ(test_le(m->p + 8, 4), (4 * GIB + above - 1) >> 10);
    } else {
        CHECK(!m);
    }
    smbios_tables_free(&t);
}

static void test_memory(void)
{
    check_memory(512 * MIB, 0, 1);
    if (test_failed) {
        return;
    }
    check_memory(3584 * MIB, 1536 * MIB, 1);    /* -m 5G: split at the PCI hole */
    if (test_failed) {
        return;
    }
    check_memory(3584 * MIB, 37376 * MIB, 3);   /* -m 40G: 16 + 16 + 8 GiB */
}

static void test_errors(void)
{
    SmbiosConfig cfg = cfg512;
    SmbiosTables t;
    Error *err = NULL;

    CHECK_EQ(smbios_build(&t, &cfg512, BASE + 8, SIZE, &err), -EINVAL);
    CHECK(err);
    error_free(err);
    err = NULL;
    CHECK_EQ(smbios_build(&t, &cfg512, BASE, 64, &err), -ENOSPC);
    CHECK(err);
    error_free(err);
    err = NULL;
    cfg.sockets = 0;
    CHECK_EQ(smbios_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    CHECK(err);
    error_free(err);
    err = NULL;
    cfg = cfg512;
    cfg.ram_below_4g = 0;
    CHECK_EQ(smbios_build(&t, &cfg, BASE, SIZE, &err), -EINVAL);
    error_free(err);
}

int main(void)
{
    RUN_TEST(test_entry_point);
    RUN_TEST(test_structures);
    RUN_TEST(test_strings);
    RUN_TEST(test_processor);
    RUN_TEST(test_memory);
    RUN_TEST(test_errors);
    TEST_MAIN_END();
}
