/*
 * smbios.c: the SMBIOS tables of the pc machine (include/hw/smbios/smbios.h),
 * laid out in one buffer for a guest physical base.  Layouts from DMTF
 * DSP0134 3.0.0: the 64-bit entry point 5.2.2, structure header and string
 * set 6.1, types 0 (7.1), 1 (7.2), 3 (7.4), 4 (7.5), 16 (7.17), 17 (7.18),
 * 19 (7.20), 32 (7.33), 127 (7.45).  Every multi-byte field is little
 * endian.  The strings say what QEMU's say, with "tern" for "QEMU".
 */
#include "hw/smbios/smbios.h"
#include "util/bytes.h"
#include <glib.h>

#define SMBIOS_VENDOR       "tern"
#define SMBIOS_PRODUCT      "Standard PC (i440FX + PIIX, 1996)"
#define SMBIOS_BIOS_DATE    "01/01/2026"
#define SMBIOS_TABLE_OFFSET 32              /* the table after the entry point */

/* Formatted-area lengths of the 3.0 layouts */
enum {
    SMBIOS_T0_LEN = 0x18,
    SMBIOS_T1_LEN = 0x1b,
    SMBIOS_T3_LEN = 0x16,
    SMBIOS_T4_LEN = 0x30,
    SMBIOS_T16_LEN = 0x17,
    SMBIOS_T17_LEN = 0x28,
    SMBIOS_T19_LEN = 0x1f,
    SMBIOS_T32_LEN = 0x0b,
    SMBIOS_T127_LEN = 0x04,
};

#define SMBIOS_UNKNOWN16    0xffff          /* no cache handle, unknown width */
#define SMBIOS_NO_ERR_INFO  0xfffe          /* error information: not provided */
#define SMBIOS_SIZE_EXT     0x7fff          /* type 17: see the extended size */
#define SMBIOS_KB_EXT       0xffffffffu     /* type 19: see the extended addresses */
#define SMBIOS_CPU_MHZ      2000            /* QEMU's */

/* One structure being built: its start in the table and its strings so far */
typedef struct SmbiosStruct {
    GByteArray *t;
    size_t off;
    unsigned nstr;
} SmbiosStruct;

static void smbios_put(SmbiosStruct *s, unsigned field, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        s->t->data[s->off + field + i] = (uint8_t)(v >> (8 * i));
    }
}

/* Append a structure's zeroed formatted area with its header. */
static SmbiosStruct smbios_begin(GByteArray *t, uint8_t type, uint8_t len, uint16_t instance)
{
    SmbiosStruct s = { t, t->len, 0 };

    g_byte_array_set_size(t, t->len + len);
    memset(t->data + s.off, 0, len);
    smbios_put(&s, 0, type, 1);
    smbios_put(&s, 1, len, 1);
    smbios_put(&s, 2, (uint16_t)(type << 8 | instance), 2);
    return s;
}

/* Append str to the string set; the byte at field numbers it (from 1). */
static void smbios_string(SmbiosStruct *s, unsigned field, const char *str)
{
    g_byte_array_append(s->t, (const uint8_t *)str, (guint)strlen(str) + 1);
    smbios_put(s, field, ++s->nstr, 1);
}

/* End the string set: one more NUL, or two when it is empty. */
static void smbios_end(SmbiosStruct *s)
{
    static const uint8_t nul[2];

    g_byte_array_append(s->t, nul, s->nstr ? 1 : 2);
}

/* Type 0: BIOS information */
static void build_type0(GByteArray *t)
{
    SmbiosStruct s = smbios_begin(t, 0, SMBIOS_T0_LEN, 0);

    smbios_string(&s, 4, SMBIOS_VENDOR);
    smbios_string(&s, 5, TERN_VERSION);
    smbios_put(&s, 6, 0xe800, 2);            /* starting segment, as SeaBIOS */
    smbios_string(&s, 8, SMBIOS_BIOS_DATE);
    smbios_put(&s, 9, 0, 1);                 /* ROM size: 64 KiB */
    smbios_put(&s, 0x0a, 1u << 3, 8);        /* characteristics not supported */
    smbios_put(&s, 0x13, 0x14, 1);           /* targeted content distribution, VM */
    smbios_put(&s, 0x14, 0xffff, 2);         /* no BIOS release */
    smbios_put(&s, 0x16, 0xffff, 2);         /* no embedded controller */
    smbios_end(&s);
}

/* Type 1: system information (UUID 0: none).  The UUID's first three
 * fields are stored little-endian (SMBIOS 2.6, 7.2.1), as dmidecode and
 * QEMU read them. */
static void build_type1(GByteArray *t, const uint8_t *uuid)
{
    SmbiosStruct s = smbios_begin(t, 1, SMBIOS_T1_LEN, 0);

    smbios_string(&s, 4, SMBIOS_VENDOR);
    smbios_string(&s, 5, SMBIOS_PRODUCT);
    smbios_string(&s, 6, TERN_VERSION);
    if (uuid) {
        smbios_put(&s, 8, (uint64_t)uuid[3] | uuid[2] << 8 | uuid[1] << 16 |
                   (uint64_t)uuid[0] << 24, 4);
        smbios_put(&s, 12, (uint64_t)(uuid[5] | uuid[4] << 8), 2);
        smbios_put(&s, 14, (uint64_t)(uuid[7] | uuid[6] << 8), 2);
        for (unsigned i = 8; i < 16; i++) {
            smbios_put(&s, 8 + i, uuid[i], 1);
        }
    }
    smbios_put(&s, 0x18, 0x06, 1);           /* wake-up type: power switch */
    smbios_end(&s);
}

/* Type 3: system enclosure */
static void build_type3(GByteArray *t)
{
    SmbiosStruct s = smbios_begin(t, 3, SMBIOS_T3_LEN, 0);

    smbios_string(&s, 4, SMBIOS_VENDOR);
    smbios_put(&s, 5, 0x01, 1);              /* type: other */
    smbios_string(&s, 6, TERN_VERSION);
    smbios_put(&s, 9, 0x03, 1);              /* boot-up, power supply, thermal: safe */
    smbios_put(&s, 0x0a, 0x03, 1);
    smbios_put(&s, 0x0b, 0x03, 1);
    smbios_put(&s, 0x0c, 0x02, 1);           /* security status: unknown */
    smbios_end(&s);
}

/* Type 4: processor (one package of cfg->cores cores, one thread each) */
static void build_type4(GByteArray *t, const SmbiosConfig *cfg, unsigned socket)
{
    SmbiosStruct s = smbios_begin(t, 4, SMBIOS_T4_LEN, (uint16_t)socket);
    char name[16];

    snprintf(name, sizeof(name), "CPU %u", socket);
    smbios_string(&s, 4, name);
    smbios_put(&s, 5, 0x03, 1);              /* central processor */
    smbios_put(&s, 6, 0xfe, 1);              /* family: see family 2 */
    smbios_string(&s, 7, SMBIOS_VENDOR);
    smbios_put(&s, 8, cfg->cpu_signature, 4);
    smbios_put(&s, 0x0c, cfg->cpu_features, 4);
    smbios_string(&s, 0x10, cfg->cpu_version);
    smbios_put(&s, 0x14, SMBIOS_CPU_MHZ, 2);  /* max and current speed */
    smbios_put(&s, 0x16, SMBIOS_CPU_MHZ, 2);
    smbios_put(&s, 0x18, 0x41, 1);           /* socket populated, CPU enabled */
    smbios_put(&s, 0x19, 0x01, 1);           /* upgrade: other */
    smbios_put(&s, 0x1a, SMBIOS_UNKNOWN16, 2);
    smbios_put(&s, 0x1c, SMBIOS_UNKNOWN16, 2);
    smbios_put(&s, 0x1e, SMBIOS_UNKNOWN16, 2);
    smbios_put(&s, 0x23, MIN(cfg->cores, 0xffu), 1);   /* 0xff: see the word fields */
    smbios_put(&s, 0x24, MIN(cfg->cores, 0xffu), 1);
    smbios_put(&s, 0x25, MIN(cfg->cores, 0xffu), 1);
    smbios_put(&s, 0x26, 1u << 2, 2);        /* 64-bit capable */
    smbios_put(&s, 0x28, 0x01, 2);           /* family 2: other */
    smbios_put(&s, 0x2a, cfg->cores, 2);
    smbios_put(&s, 0x2c, cfg->cores, 2);
    smbios_put(&s, 0x2e, cfg->cores, 2);
    smbios_end(&s);
}

/* Type 16: the physical memory array */
static void build_type16(GByteArray *t, uint64_t ram, unsigned ndimms)
{
    SmbiosStruct s = smbios_begin(t, 16, SMBIOS_T16_LEN, 0);

    smbios_put(&s, 4, 0x01, 1);              /* location: other */
    smbios_put(&s, 5, 0x03, 1);              /* use: system memory */
    smbios_put(&s, 6, 0x06, 1);              /* error correction: multi-bit ECC */
    smbios_put(&s, 7, 0x80000000u, 4);       /* max capacity: the extended field */
    smbios_put(&s, 0x0b, SMBIOS_NO_ERR_INFO, 2);
    smbios_put(&s, 0x0d, ndimms, 2);
    smbios_put(&s, 0x0f, ram, 8);
    smbios_end(&s);
}

/* Type 17: a memory device of size bytes in array 16:0 */
static void build_type17(GByteArray *t, unsigned dimm, uint64_t size)
{
    SmbiosStruct s = smbios_begin(t, 17, SMBIOS_T17_LEN, (uint16_t)dimm);
    uint64_t mib = size >> 20;
    char name[16];

    smbios_put(&s, 4, 16 << 8, 2);           /* the array's handle */
    smbios_put(&s, 6, SMBIOS_NO_ERR_INFO, 2);
    smbios_put(&s, 8, SMBIOS_UNKNOWN16, 2);  /* total and data width */
    smbios_put(&s, 0x0a, SMBIOS_UNKNOWN16, 2);
    smbios_put(&s, 0x0c, mib < SMBIOS_SIZE_EXT ? mib : SMBIOS_SIZE_EXT, 2);
    smbios_put(&s, 0x0e, 0x09, 1);           /* form factor: DIMM */
    snprintf(name, sizeof(name), "DIMM %u", dimm);
    smbios_string(&s, 0x10, name);
    smbios_put(&s, 0x12, 0x07, 1);           /* type: RAM */
    smbios_put(&s, 0x13, 1u << 1, 2);        /* type detail: other */
    smbios_string(&s, 0x17, SMBIOS_VENDOR);
    smbios_put(&s, 0x1c, mib < SMBIOS_SIZE_EXT ? 0 : mib, 4);
    smbios_end(&s);
}

/* Type 19: [start, start + size) of array 16:0 */
static void build_type19(GByteArray *t, unsigned n, uint64_t start, uint64_t size)
{
    SmbiosStruct s = smbios_begin(t, 19, SMBIOS_T19_LEN, (uint16_t)n);
    uint64_t end = start + size - 1;
    bool kb = (end >> 10) < SMBIOS_KB_EXT;

    smbios_put(&s, 4, kb ? start >> 10 : SMBIOS_KB_EXT, 4);
    smbios_put(&s, 8, kb ? end >> 10 : SMBIOS_KB_EXT, 4);
    smbios_put(&s, 0x0c, 16 << 8, 2);
    smbios_put(&s, 0x0e, 1, 1);              /* partition width */
    smbios_put(&s, 0x0f, kb ? 0 : start, 8);
    smbios_put(&s, 0x17, kb ? 0 : end, 8);
    smbios_end(&s);
}

/* Type 32: system boot information, no errors */
static void build_type32(GByteArray *t)
{
    SmbiosStruct s = smbios_begin(t, 32, SMBIOS_T32_LEN, 0);

    smbios_end(&s);
}

static void build_type127(GByteArray *t)
{
    SmbiosStruct s = smbios_begin(t, 127, SMBIOS_T127_LEN, 0);

    smbios_end(&s);
}

static void build_structures(GByteArray *t, const SmbiosConfig *cfg)
{
    uint64_t ram = cfg->ram_below_4g + cfg->ram_above_4g, left = ram;
    unsigned ndimms = (unsigned)((ram + SMBIOS_DIMM_MAX_SIZE - 1) / SMBIOS_DIMM_MAX_SIZE);
    unsigned nranges = 0;

    build_type0(t);
    build_type1(t, cfg->uuid);
    build_type3(t);
    for (unsigned i = 0; i < cfg->sockets; i++) {
        build_type4(t, cfg, i);
    }
    build_type16(t, ram, ndimms);
    for (unsigned i = 0; i < ndimms; i++, left -= SMBIOS_DIMM_MAX_SIZE) {
        build_type17(t, i, MIN(left, SMBIOS_DIMM_MAX_SIZE));
    }
    if (cfg->ram_below_4g) {
        build_type19(t, nranges++, 0, cfg->ram_below_4g);
    }
    if (cfg->ram_above_4g) {
        build_type19(t, nranges++, 1ull << 32, cfg->ram_above_4g);
    }
    build_type32(t);
    build_type127(t);
}

/* The 64-bit entry point at data[0] for a table of len bytes at addr */
static void build_entry_point(uint8_t *ep, uint64_t addr, size_t len)
{
    memcpy(ep, "_SM3_", 5);
    ep[6] = SMBIOS_EP3_LEN;
    ep[7] = 3;                                /* version 3.0.0 */
    ep[8] = 0;
    ep[9] = 0;
    ep[10] = 1;                               /* entry point revision: 3.0 */
    for (unsigned i = 0; i < 4; i++) {
        ep[12 + i] = (uint8_t)(len >> (8 * i));
    }
    for (unsigned i = 0; i < 8; i++) {
        ep[16 + i] = (uint8_t)(addr >> (8 * i));
    }
    ep[5] = byte_checksum(ep, SMBIOS_EP3_LEN);
}

int smbios_build(SmbiosTables *t, const SmbiosConfig *cfg, uint64_t base, size_t max,
                 Error **errp)
{
    uint64_t ram = cfg->ram_below_4g + cfg->ram_above_4g;
    GByteArray *b;

    memset(t, 0, sizeof(*t));
    if ((base & 15) || base + max > (1ull << 32)) {
        error_setg(errp, "SMBIOS: entry point at 0x%" PRIx64 ": it must be 16-byte "
                   "aligned below 4 GiB", base);
        return -EINVAL;
    }
    /* instances (sockets, DIMMs) are the low byte of a handle */
    if (cfg->sockets < 1 || cfg->sockets > 0xff || cfg->cores < 1 || cfg->cores > 0xffff ||
        !ram || ram > 0xff * SMBIOS_DIMM_MAX_SIZE) {
        error_setg(errp, "SMBIOS: %u sockets of %u cores, %" PRIu64 " bytes of RAM: "
                   "out of range", cfg->sockets, cfg->cores, ram);
        return -EINVAL;
    }
    b = g_byte_array_sized_new(4096);
    g_byte_array_set_size(b, SMBIOS_TABLE_OFFSET);
    memset(b->data, 0, SMBIOS_TABLE_OFFSET);
    build_structures(b, cfg);
    if (b->len > max) {
        error_setg(errp, "SMBIOS: the tables need %u bytes, the board gave %zu", b->len, max);
        g_byte_array_free(b, TRUE);
        return -ENOSPC;
    }
    t->base = base;
    t->table_addr = base + SMBIOS_TABLE_OFFSET;
    t->table_len = b->len - SMBIOS_TABLE_OFFSET;
    build_entry_point(b->data, t->table_addr, t->table_len);
    t->size = b->len;
    t->data = g_byte_array_free(b, FALSE);
    return 0;
}

void smbios_tables_free(SmbiosTables *t)
{
    g_free(t->data);
    memset(t, 0, sizeof(*t));
}

int smbios_tables_install(AddressSpace *as, const SmbiosConfig *cfg, uint64_t base,
                          uint64_t size, Error **errp)
{
    SmbiosTables t;
    int ret = smbios_build(&t, cfg, base, size, errp);

    if (ret < 0) {
        return ret;
    }
    if (address_space_write(as, base, t.data, t.size) != MEMTX_OK) {
        error_setg(errp, "SMBIOS: no RAM at 0x%" PRIx64 " for the tables", base);
        ret = -EFAULT;
    }
    smbios_tables_free(&t);
    return ret;
}
