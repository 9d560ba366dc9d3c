/*
 * fwcfg.c: QEMU's fw_cfg device at 0x510 as firmware and Linux's
 * qemu_fw_cfg driver use it (docs/pc.md, "fw_cfg"): the signature and ID
 * through the selector/data ports, fixed items, the file directory
 * (sorted, selectors from 0x20), etc/e820 for this -m (with the ACPI
 * tables' ranges), the legacy E820 table, the two -fw_cfg files of the
 * tern-args line below, then the DMA interface: the "QEMU CFG" signature
 * in the address register, READ with SELECT, SKIP, reads past an item's
 * end (zeros), the cursor shared with the data port, WRITE and a buffer
 * outside RAM (ERROR), and an invalid key.
 * Native build: skipped, port I/O needs ring 0.
 */
// tern-args: -m 256 -fw_cfg name=opt/tern/greeting,string=hello-fw_cfg -fw_cfg opt/tern/source,file=tests/x86/fwcfg.c
#include "tern.h"

#define FW_CFG_SEL   0x510
#define FW_CFG_DATA  0x511
#define FW_CFG_DMA   0x514

enum {
    KEY_SIGNATURE = 0x00, KEY_ID = 0x01, KEY_RAM_SIZE = 0x03, KEY_NOGRAPHIC = 0x04,
    KEY_NB_CPUS = 0x05, KEY_MAX_CPUS = 0x0f, KEY_FILE_DIR = 0x19, KEY_FILE_FIRST = 0x20,
    KEY_E820_TABLE = 0x8003,
};

#define DMA_ERROR  0x01u
#define DMA_READ   0x02u
#define DMA_SKIP   0x04u
#define DMA_SELECT 0x08u
#define DMA_WRITE  0x10u

#define RAM_SIZE   (256ull << 20)       /* the tern-args line's -m */
#define GREETING   "hello-fw_cfg"
#define NAME_LEN   56

struct dma_access {
    uint32_t control, length;           /* big endian */
    uint64_t address;
} __attribute__((packed, aligned(16)));

static struct dma_access dma;
static uint8_t buf[4096];
static uint8_t dir[4 + 64 * 16];

static void select_key(uint16_t key)
{
    outw(FW_CFG_SEL, key);
}

static void read_data(void *dst, unsigned n)
{
    uint8_t *p = dst;

    while (n--) {
        *p++ = inb(FW_CFG_DATA);
    }
}

static uint64_t read_le(uint16_t key, unsigned n)
{
    uint8_t b[8] = { 0 };
    uint64_t v = 0;

    select_key(key);
    read_data(b, n);
    for (unsigned i = n; i-- > 0;) {
        v = v << 8 | b[i];
    }
    return v;
}

static uint64_t be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = n; i-- > 0;) {
        v = v << 8 | p[i];
    }
    return v;
}

/* One DMA transfer, its address written as Linux does (two big-endian
 * halves, the low one starts it); returns the control word after it. */
static uint32_t dma_run(uint32_t control, uint32_t len, uint64_t addr)
{
    uint64_t desc = (uint64_t)(uintptr_t)&dma;

    dma.control = __builtin_bswap32(control);
    dma.length = __builtin_bswap32(len);
    dma.address = __builtin_bswap64(addr);
    outl(FW_CFG_DMA, __builtin_bswap32((uint32_t)(desc >> 32)));
    outl(FW_CFG_DMA + 4, __builtin_bswap32((uint32_t)desc));
    return __builtin_bswap32(*(volatile uint32_t *)&dma.control);
}

/* The file directory entry called name: its size and selector (0: none). */
static uint16_t find_file(const char *name, uint32_t *size)
{
    unsigned n = (unsigned)be(dir, 4);

    for (unsigned i = 0; i < n && i < 16; i++) {
        const uint8_t *e = dir + 4 + 64 * i;

        if (!strcmp((const char *)e + 8, name)) {
            *size = (uint32_t)be(e, 4);
            return (uint16_t)be(e + 4, 2);
        }
    }
    return 0;
}

static void test_ports(const struct tern_bootinfo *bi)
{
    char sig[5] = { 0 };

    test_group("ports");
    select_key(KEY_SIGNATURE);
    read_data(sig, 4);
    CHECK_NAMED("signature", !memcmp(sig, "QEMU", 4));
    CHECK_EQ_NAMED("past-end-zero", inb(FW_CFG_DATA), 0);
    select_key(KEY_SIGNATURE);
    CHECK_EQ_NAMED("reselect-rewinds", inb(FW_CFG_DATA), 'Q');
    CHECK_EQ_NAMED("id-traditional-and-dma", read_le(KEY_ID, 4), 3);
    CHECK_EQ_NAMED("ram-size", read_le(KEY_RAM_SIZE, 8), RAM_SIZE);
    CHECK_EQ_NAMED("ram-size-bootinfo", read_le(KEY_RAM_SIZE, 8), bi->ram_size);
    CHECK_EQ_NAMED("nb-cpus", read_le(KEY_NB_CPUS, 2), 1);
    CHECK_EQ_NAMED("max-cpus", read_le(KEY_MAX_CPUS, 2), 1);
    CHECK_EQ_NAMED("nographic", read_le(KEY_NOGRAPHIC, 2), 1);
    select_key(0x3fff);                 /* past the table: nothing selected */
    CHECK_EQ_NAMED("invalid-key-zero", inb(FW_CFG_DATA), 0);
}

static void test_directory(void)
{
    unsigned n;
    int sorted = 1, dense = 1;

    test_group("dir");
    select_key(KEY_FILE_DIR);
    read_data(dir, 4);
    n = (unsigned)be(dir, 4);
    CHECK_NAMED("count", n >= 3 && n <= 16);
    read_data(dir + 4, 64 * (n <= 16 ? n : 16));
    for (unsigned i = 0; i < n && i < 16; i++) {
        const uint8_t *e = dir + 4 + 64 * i;

        dense &= be(e + 4, 2) == KEY_FILE_FIRST + i && be(e + 6, 2) == 0 && e[63] == 0;
        sorted &= i == 0 || strcmp((const char *)e - 56, (const char *)e + 8) < 0;
    }
    CHECK_NAMED("selectors-from-0x20", dense);
    CHECK_NAMED("sorted-by-name", sorted);
}

/* etc/e820 for -m 256 (docs/boot.md): RAM exactly [0, 0x9fc00) and
 * [1 MiB, 256 MiB); the EBDA and the ROM below 4 GiB reserved; the BIOS
 * area [0xf0000, 1 MiB) tiled by reserved, ACPI and NVS ranges (how the
 * firmware tables divide it is docs/pc.md's business), an NVS and an ACPI
 * range among them.  Entries sorted and not overlapping. */
#define E820_RAM  1
#define E820_ACPI 3
#define E820_NVS  4
#define BIOS_AREA 0xf0000ull
#define MAX_E820  16

static void test_e820(void)
{
    uint32_t size = 0;
    uint16_t key;
    unsigned n, nres = 0, ram_ok = 0, fixed_ok = 0, types = 0, sorted = 1, same = 1;
    uint64_t bios_next = BIOS_AREA, end = 0;

    test_group("e820");
    key = find_file("etc/e820", &size);
    CHECK_NAMED("file", key != 0);
    CHECK_NAMED("size", size % 20 == 0 && size >= 20 * 5 && size <= 20 * MAX_E820);
    n = size / 20 <= MAX_E820 ? size / 20 : MAX_E820;
    select_key(key);
    read_data(buf, 20 * n);
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *e = buf + 20 * i;
        uint64_t addr = le(e, 8), len = le(e + 8, 8);
        uint32_t type = (uint32_t)le(e + 16, 4);

        tern_printf("  e820[%u]: 0x%llx + 0x%llx type %u\n", i, (unsigned long long)addr,
                    (unsigned long long)len, type);
        sorted &= addr >= end && len != 0;
        end = addr + len;
        nres += type != E820_RAM;
        if (type == E820_RAM) {
            ram_ok += (addr == 0 && len == 0x9fc00) ||
                      (addr == 0x100000 && len == RAM_SIZE - 0x100000);
        } else if (addr >= BIOS_AREA && end <= 0x100000) {
            bios_next = addr == bios_next ? end : 0;
            types |= 1u << type;
        } else {
            fixed_ok += (addr == 0x9fc00 && len == 0x400) ||
                        (addr == 0xfffc0000 && len == 0x40000);
        }
    }
    CHECK_NAMED("sorted", sorted);
    CHECK_EQ_NAMED("ram-from-m", ram_ok, 2);
    CHECK_EQ_NAMED("ebda-and-rom-reserved", fixed_ok, 2);
    CHECK_EQ_NAMED("bios-area-tiled", bios_next, 0x100000);
    CHECK_NAMED("acpi-and-nvs", (types & (1u << E820_ACPI)) && (types & (1u << E820_NVS)));

    /* the legacy table: le32 count, then the same entries but RAM */
    memcpy(buf + 20 * n, buf, 20 * n);          /* keep etc/e820 after it (n <= 16) */
    select_key(KEY_E820_TABLE);
    read_data(buf, 4 + 20 * n);
    CHECK_EQ_NAMED("legacy-count", le(buf, 4), nres);
    for (unsigned i = 0, j = 0; i < n; i++) {
        const uint8_t *e = buf + 20 * n + 20 * i;

        if (le(e + 16, 4) != E820_RAM) {
            same &= !memcmp(buf + 4 + 20 * j++, e, 20);
        }
    }
    CHECK_NAMED("legacy-entries", same);
}

static void test_opt_files(void)
{
    uint32_t size = 0;
    uint16_t key;
    static const char head[] = "/*\n * fwcfg.c: ";

    test_group("opt");
    key = find_file("opt/tern/greeting", &size);
    CHECK_NAMED("string-listed", key != 0);
    CHECK_EQ_NAMED("string-size", size, sizeof(GREETING) - 1);
    memset(buf, 0xaa, 32);
    select_key(key);
    read_data(buf, size);
    CHECK_NAMED("string-data", !memcmp(buf, GREETING, sizeof(GREETING) - 1));
    key = find_file("opt/tern/source", &size);
    CHECK_NAMED("file-listed", key != 0);
    CHECK_NAMED("file-size", size > 1000);
    select_key(key);
    read_data(buf, sizeof(head) - 1);
    CHECK_NAMED("file-data", !memcmp(buf, head, sizeof(head) - 1));
}

static void test_dma(void)
{
    uint32_t size = 0;
    uint16_t greeting = find_file("opt/tern/greeting", &size);
    unsigned zeros = 1;

    test_group("dma");
    CHECK_EQ_NAMED("signature-hi", inl(FW_CFG_DMA), 0x554d4551);      /* "QEMU" */
    CHECK_EQ_NAMED("signature-lo", inl(FW_CFG_DMA + 4), 0x47464320);  /* " CFG" */

    memset(buf, 0xaa, 16);
    CHECK_EQ_NAMED("select-read-status", dma_run(KEY_SIGNATURE << 16 | DMA_SELECT | DMA_READ,
                                                 4, (uintptr_t)buf), 0);
    CHECK_NAMED("select-read-data", !memcmp(buf, "QEMU", 4) && buf[4] == 0xaa);

    /* skip 6 bytes of the greeting, read the rest and 4 bytes past its end */
    memset(buf, 0xaa, 16);
    CHECK_EQ_NAMED("skip-status", dma_run((uint32_t)greeting << 16 | DMA_SELECT | DMA_SKIP,
                                          6, (uintptr_t)buf), 0);
    CHECK_EQ_NAMED("skip-writes-nothing", buf[0], 0xaa);
    CHECK_EQ_NAMED("read-status", dma_run(DMA_READ, 10, (uintptr_t)buf), 0);
    CHECK_NAMED("read-after-skip", !memcmp(buf, GREETING + 6, 6));
    for (unsigned i = 6; i < 10; i++) {
        zeros &= buf[i] == 0;
    }
    CHECK_NAMED("read-past-end-zeros", zeros && buf[10] == 0xaa);

    /* DMA and the data port move one cursor */
    select_key(KEY_SIGNATURE);
    CHECK_EQ_NAMED("skip-then-port-status", dma_run(DMA_SKIP, 2, 0), 0);
    CHECK_EQ_NAMED("skip-then-port", inb(FW_CFG_DATA), 'M');

    CHECK_EQ_NAMED("write-error", dma_run(KEY_SIGNATURE << 16 | DMA_SELECT | DMA_WRITE,
                                          4, (uintptr_t)buf), DMA_ERROR);
    CHECK_EQ_NAMED("bad-address-error",
                   dma_run(KEY_SIGNATURE << 16 | DMA_SELECT | DMA_READ, 4,
                           0x0000100000000000ull), DMA_ERROR);
    CHECK_EQ_NAMED("no-op-status", dma_run(0, 4, (uintptr_t)buf), 0);
    memset(buf, 0xaa, 16);
    CHECK_EQ_NAMED("after-error-status", dma_run(KEY_ID << 16 | DMA_SELECT | DMA_READ, 4,
                                                 (uintptr_t)buf), 0);
    CHECK_EQ_NAMED("after-error-id", le(buf, 4), 3);
}

int main(const struct tern_bootinfo *bi)
{
    if (!TERN_HAVE_PORT_IO) {
        test_skip("fw_cfg needs port I/O (ring 0)");
    }
    test_ports(bi);
    test_directory();
    test_e820();
    test_opt_files();
    test_dma();
    test_done();
}
