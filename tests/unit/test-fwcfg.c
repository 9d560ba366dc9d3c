/*
 * test-fwcfg.c: the fw_cfg device (hw/nvram/fw_cfg.c) through its port
 * and DMA register ops, on a 64 KiB RAM address space, and the PC's
 * contents (hw/i386/fw_cfg.c): files added out of order keep the
 * directory sorted and their selectors follow; bad names and duplicates
 * are refused; odd port accesses; the 64-bit DMA register write; DMA
 * descriptors and buffers outside RAM; reset; -fw_cfg options (parsing
 * and files); the e820 file and the bzImage items for a hand-made image.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/i386/fw_cfg.h"
#include "test.h"
#include "test-ram.h"

#include <unistd.h>

TEST_GLOBALS;

#define RAM_SIZE 0x10000
#define DESC     0x1000         /* where the tests put a DMA descriptor */
#define BUF      0x2000

static uint8_t ram[RAM_SIZE];
static struct test_ram tram;
static AddressSpace *as;

static FWCfgState *new_fw_cfg(void)
{
    memset(ram, 0, sizeof(ram));
    return fw_cfg_init(as);
}

static void sel(FWCfgState *s, uint16_t key)
{
    memory_region_dispatch_write(&s->ports, 0, key, 2);
}

static uint8_t data(FWCfgState *s)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&s->ports, 1, &v, 1);
    return (uint8_t)v;
}

static uint64_t read_le(FWCfgState *s, uint16_t key, unsigned n)
{
    uint64_t v = 0;

    sel(s, key);
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)data(s) << (8 * i);
    }
    return v;
}

static void read_item(FWCfgState *s, uint16_t key, void *dst, unsigned n)
{
    sel(s, key);
    for (unsigned i = 0; i < n; i++) {
        ((uint8_t *)dst)[i] = data(s);
    }
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = n; i-- > 0; v >>= 8) {
        p[i] = (uint8_t)v;
    }
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A descriptor at desc in RAM (when it is there), started with one 64-bit
 * write of its address. */
static void dma64(FWCfgState *s, uint64_t desc, uint32_t control, uint32_t len, uint64_t addr)
{
    if (desc + FW_CFG_DMA_ACCESS_SIZE <= RAM_SIZE) {
        put_be(ram + desc, control, 4);
        put_be(ram + desc + 4, len, 4);
        put_be(ram + desc + 8, addr, 8);
    }
    memory_region_dispatch_write(&s->dma, 0, __builtin_bswap64(desc), 8);
}

static void test_files_sorted(void)
{
    FWCfgState *s = new_fw_cfg();
    uint8_t dir[4 + 3 * FW_CFG_FILE_DIR_ENTRY];
    static const char *const want[] = { "a/first", "m/middle", "z/last" };
    static const uint32_t sizes[] = { 1, 3, 2 };

    CHECK_EQ(fw_cfg_add_file(s, "z/last", "zz", 2, NULL), 0);
    CHECK_EQ(fw_cfg_add_file(s, "a/first", "a", 1, NULL), 0);
    CHECK_EQ(fw_cfg_add_file(s, "m/middle", "mmm", 3, NULL), 0);
    read_item(s, FW_CFG_FILE_DIR, dir, sizeof(dir));
    CHECK_EQ(get_be32(dir), 3);
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t *e = dir + 4 + i * FW_CFG_FILE_DIR_ENTRY;
        CHECK(!strcmp((const char *)e + 8, want[i]));
        CHECK_EQ(get_be32(e), sizes[i]);
        CHECK_EQ(e[4] << 8 | e[5], FW_CFG_FILE_FIRST + i);
    }
    /* the keys moved with the names */
    CHECK_EQ(read_le(s, FW_CFG_FILE_FIRST, 1), 'a');
    CHECK_EQ(read_le(s, FW_CFG_FILE_FIRST + 1, 3), 0x6d6d6d);
    CHECK_EQ(read_le(s, FW_CFG_FILE_FIRST + 2, 2), 0x7a7a);
    fw_cfg_destroy(s);
}

static void test_file_errors(void)
{
    FWCfgState *s = new_fw_cfg();
    char name[FW_CFG_MAX_FILE_PATH + 1];
    Error *err = NULL;

    memset(name, 'x', FW_CFG_MAX_FILE_PATH);
    name[FW_CFG_MAX_FILE_PATH] = 0;
    CHECK(fw_cfg_add_file(s, name, "", 0, &err) == -EINVAL && err);
    error_free(err);
    err = NULL;
    name[FW_CFG_MAX_FILE_PATH - 1] = 0;        /* 55 characters: the longest */
    CHECK_EQ(fw_cfg_add_file(s, name, "", 0, NULL), 0);
    CHECK(fw_cfg_add_file(s, "", "", 0, &err) == -EINVAL && err);
    error_free(err);
    err = NULL;
    CHECK(fw_cfg_add_file(s, name, "", 0, &err) == -EEXIST && err);
    CHECK(strstr(error_get_pretty(err), "already"));
    error_free(err);
    err = NULL;
    for (unsigned i = 1; i < FW_CFG_FILE_SLOTS; i++) {
        char n[16];
        snprintf(n, sizeof(n), "f%u", i);
        CHECK_EQ(fw_cfg_add_file(s, n, "", 0, NULL), 0);
    }
    CHECK(fw_cfg_add_file(s, "one/more", "", 0, &err) == -ENOSPC && err);
    error_free(err);
    fw_cfg_destroy(s);
}

static void test_ports(void)
{
    FWCfgState *s = new_fw_cfg();
    uint64_t v = 0;

    CHECK_EQ(read_le(s, FW_CFG_SIGNATURE, 4), 0x554d4551);     /* "QEMU" */
    CHECK_EQ(data(s), 0);                                        /* past the end */
    CHECK_EQ(read_le(s, FW_CFG_ID, 4), FW_CFG_VERSION | FW_CFG_VERSION_DMA);
    CHECK_EQ(read_le(s, FW_CFG_UUID, 8), 0);
    /* the write-channel bit is ignored; arch keys are their own bank */
    CHECK_EQ(read_le(s, FW_CFG_SIGNATURE | FW_CFG_WRITE_CHANNEL, 1), 'Q');
    CHECK_EQ(read_le(s, FW_CFG_ARCH_LOCAL | FW_CFG_SIGNATURE, 1), 0);
    sel(s, FW_CFG_MAX_ENTRY);                                    /* past the table */
    CHECK_EQ(s->cur_key, FW_CFG_INVALID);
    CHECK_EQ(data(s), 0);
    /* a byte at the selector and a data write do nothing */
    sel(s, FW_CFG_SIGNATURE);
    memory_region_dispatch_write(&s->ports, 0, FW_CFG_ID, 1);
    memory_region_dispatch_write(&s->ports, 1, 0x55, 1);
    CHECK_EQ(data(s), 'Q');
    /* a word read at the selector gives the next data byte, as QEMU's */
    memory_region_dispatch_read(&s->ports, 0, &v, 2);
    CHECK_EQ(v, 'E');
    fw_cfg_destroy(s);
}

static void test_dma_register(void)
{
    FWCfgState *s = new_fw_cfg();
    uint64_t v = 0;

    memory_region_dispatch_read(&s->dma, 0, &v, 8);
    CHECK_EQ(v, __builtin_bswap64(FW_CFG_DMA_SIGNATURE));
    memory_region_dispatch_read(&s->dma, 4, &v, 4);
    CHECK_EQ(v, 0x47464320);                                     /* " CFG" */
    /* one 64-bit write runs the transfer */
    dma64(s, DESC, FW_CFG_ID << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 4, BUF);
    CHECK_EQ(get_be32(ram + DESC), 0);
    CHECK_EQ(ram[BUF], FW_CFG_VERSION | FW_CFG_VERSION_DMA);
    /* a high half alone does nothing; reset forgets it */
    memory_region_dispatch_write(&s->dma, 0, __builtin_bswap32(1), 4);
    CHECK_EQ(s->dma_addr, 1ull << 32);
    fw_cfg_reset(s);
    CHECK_EQ(s->dma_addr, 0);
    CHECK_EQ(s->cur_key, FW_CFG_SIGNATURE);
    put_be(ram + DESC, FW_CFG_DMA_READ, 4);
    put_be(ram + DESC + 4, 4, 4);
    put_be(ram + DESC + 8, BUF + 8, 8);
    memory_region_dispatch_write(&s->dma, 4, __builtin_bswap32(DESC), 4);
    CHECK_EQ(get_be32(ram + DESC), 0);
    CHECK(!memcmp(ram + BUF + 8, "QEMU", 4));
    fw_cfg_destroy(s);
}

static void test_dma_outside_ram(void)
{
    FWCfgState *s = new_fw_cfg();

    /* a buffer that runs off the end of RAM: what fits is written, ERROR */
    dma64(s, DESC, FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 4, RAM_SIZE - 2);
    CHECK_EQ(get_be32(ram + DESC), FW_CFG_DMA_ERROR);
    CHECK(ram[RAM_SIZE - 2] == 'Q' && ram[RAM_SIZE - 1] == 'E');
    /* zeros past an item's end, far outside RAM */
    dma64(s, DESC, FW_CFG_DMA_READ, 0xffffffffu, 1ull << 40);
    CHECK_EQ(get_be32(ram + DESC), FW_CFG_DMA_ERROR);
    /* a descriptor outside RAM: nothing to read, nothing to crash */
    dma64(s, 1ull << 40, FW_CFG_DMA_READ, 4, BUF);
    dma64(s, RAM_SIZE - 8, FW_CFG_DMA_READ, 4, BUF);
    CHECK_EQ(get_be32(ram + RAM_SIZE - 8), FW_CFG_DMA_ERROR);
    /* a long skip past the end is cheap and fine */
    dma64(s, DESC, FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP, 0xffffffffu, 0);
    CHECK_EQ(get_be32(ram + DESC), 0);
    fw_cfg_destroy(s);
}

static void test_option_parse(void)
{
    TernOptions o;
    Error *err = NULL;
    char *ok[] = { "tern", "-fw_cfg", "name=opt/a,string=x,y", "-fw_cfg", "opt/b,file=/f" };
    char *bad[][3] = {
        { "tern", "-fw_cfg", "string=x" },
        { "tern", "-fw_cfg", "name=opt/a" },
        { "tern", "-fw_cfg", "name=opt/a,string=x,file=y" },
        { "tern", "-fw_cfg", "name=opt/a,gen_id=1" },
        { "tern", "-fw_cfg", "name=opt/a,file=" },
        { "tern", "-fw_cfg", "name=opt/0123456789012345678901234567890123456789012345678901,string=x" },
    };

    CHECK_EQ(option_parse(&o, 5, ok, NULL), -EINVAL);          /* ",y" is not a parameter */
    ok[2] = "name=opt/a,string=x";
    CHECK_EQ(option_parse(&o, 5, ok, NULL), 0);
    CHECK_EQ(o.fw_cfg_count, 2);
    CHECK(!strcmp(o.fw_cfg[0].name, "opt/a") && !o.fw_cfg[0].is_file);
    CHECK(o.fw_cfg[0].value_len == 1 && o.fw_cfg[0].value[0] == 'x');
    CHECK(!strcmp(o.fw_cfg[1].name, "opt/b") && o.fw_cfg[1].is_file);
    CHECK(o.fw_cfg[1].value_len == 2 && !memcmp(o.fw_cfg[1].value, "/f", 2));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(option_parse(&o, 3, bad[i], &err), -EINVAL);
        CHECK(strstr(error_get_pretty(err), "-fw_cfg"));
        error_free(err);
        err = NULL;
    }
}

static void test_option_files(void)
{
    FWCfgState *s = new_fw_cfg();
    char path[] = "/tmp/test-fwcfg-XXXXXX";
    int fd = mkstemp(path);
    TernOptions o;
    Error *err = NULL;
    char arg1[64], arg2[] = "opt/missing,file=/nonexistent/fw_cfg";
    char *argv[] = { "tern", "-fw_cfg", "opt/s,string=hi", "-fw_cfg", arg1, "-fw_cfg", arg2 };

    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "file!", 5), 5);
    close(fd);
    snprintf(arg1, sizeof(arg1), "name=opt/f,file=%s", path);
    CHECK_EQ(option_parse(&o, 7, argv, NULL), 0);
    CHECK_EQ(fw_cfg_add_option(s, &o.fw_cfg[0], NULL), 0);
    CHECK_EQ(fw_cfg_add_option(s, &o.fw_cfg[1], NULL), 0);
    unlink(path);
    CHECK_EQ(read_le(s, FW_CFG_FILE_FIRST, 5), 0x21656c6966ull);  /* opt/f: "file!" */
    CHECK_EQ(read_le(s, FW_CFG_FILE_FIRST + 1, 3), 0x6968);         /* opt/s: "hi", no NUL */
    CHECK(fw_cfg_add_option(s, &o.fw_cfg[2], &err) < 0 && err);
    CHECK(strstr(error_get_pretty(err), "/nonexistent/fw_cfg"));
    error_free(err);
    err = NULL;
    CHECK(fw_cfg_add_option(s, &o.fw_cfg[0], &err) == -EEXIST && err);
    error_free(err);
    fw_cfg_destroy(s);
}

static void test_x86_items(void)
{
    FWCfgState *s = new_fw_cfg();
    X86RamLayout layout = { .below_4g = 64 << 20 };
    X86FwCfgConfig cfg = { .ram_size = 64 << 20, .num_cpus = 1, .ram = &layout };
    uint8_t e820[20 * 5];

    CHECK_EQ(x86_fw_cfg_build(s, &cfg, NULL), 0);
    CHECK_EQ(read_le(s, FW_CFG_RAM_SIZE, 8), 64 << 20);
    CHECK_EQ(read_le(s, FW_CFG_NB_CPUS, 2), 1);
    /* etc/e820: the loaders' map without firmware tables (5 entries) */
    read_item(s, FW_CFG_FILE_DIR, e820, 4 + 64);
    CHECK_EQ(get_be32(e820), 1);
    CHECK(!strcmp((const char *)e820 + 12, "etc/e820"));
    CHECK_EQ(get_be32(e820 + 4), sizeof(e820));
    read_item(s, FW_CFG_FILE_FIRST, e820, sizeof(e820));
    CHECK_EQ(e820[20 * 3 + 2], 0x10);           /* RAM from 1 MiB ... */
    CHECK_EQ(e820[20 * 3 + 8 + 3], 0x03);       /* ... 63 MiB of it: 0x3f00000 */
    CHECK_EQ(e820[20 * 3 + 16], 1);
    CHECK_EQ(read_le(s, FW_CFG_E820_TABLE, 4), 3);   /* EBDA, BIOS area, ROM */
    /* tern loads -kernel itself: no kernel items (hw/i386/fw_cfg.c) */
    CHECK_EQ(read_le(s, FW_CFG_KERNEL_SIZE, 4), 0);
    fw_cfg_destroy(s);
}

int main(void)
{
    as = test_ram_init(&tram, ram, sizeof(ram), "fwcfg-test");
    RUN_TEST(test_files_sorted);
    RUN_TEST(test_file_errors);
    RUN_TEST(test_ports);
    RUN_TEST(test_dma_register);
    RUN_TEST(test_dma_outside_ram);
    RUN_TEST(test_option_parse);
    RUN_TEST(test_option_files);
    RUN_TEST(test_x86_items);
    TEST_MAIN_END();
}
