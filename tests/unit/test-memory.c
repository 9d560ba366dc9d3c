/*
 * test-memory.c: the memory API (softmmu/memory.c, softmmu/flatview.c):
 * rendering (priority, add order, aliases, containers, enable/disable),
 * accesses (unmapped, read-only, device access sizes, range boundaries),
 * listeners and transactions, FlatView lookup and lifetime, and the
 * per-thread view cache behind address_space_lookup.
 *
 * Every region and listener lives in static storage and each test starts
 * with fx_setup(), which tears down what the previous test left: a failing
 * CHECK returns early, and nothing later may see a dangling region.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "exec/memory.h"
#include "test.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

TEST_GLOBALS;

/* ---- fixture ----------------------------------------------------------- */

#define POOL_SIZE 32

static struct {
    MemoryRegion root;
    AddressSpace as;
    MemoryRegion pool[POOL_SIZE];
    unsigned used;
    bool live;
} fx;

static void fx_teardown(void)
{
    if (!fx.live) {
        return;
    }
    address_space_destroy(&fx.as);
    for (unsigned i = 0; i < fx.used; i++) {
        fx.pool[i].container = NULL;
    }
    fx.root.container = NULL;
    for (unsigned i = 0; i < fx.used; i++) {
        memory_region_destroy(&fx.pool[i]);
    }
    memory_region_destroy(&fx.root);
    fx.used = 0;
    fx.live = false;
}

static void fx_setup(void)
{
    fx_teardown();
    memory_region_init_container(&fx.root, "root", UINT64_MAX);
    address_space_init(&fx.as, &fx.root, "test-as");
    fx.live = true;
}

static MemoryRegion *fx_alloc(void)
{
    assert(fx.used < POOL_SIZE);
    return &fx.pool[fx.used++];
}

/* RAM whose every byte is fill. */
static MemoryRegion *new_ram(const char *name, uint64_t size, uint8_t fill)
{
    MemoryRegion *mr = fx_alloc();
    int ret = memory_region_init_ram(mr, name, size, NULL);
    assert(ret == 0);
    memset(mr->ram_ptr, fill, size);
    return mr;
}

static MemoryRegion *new_container(const char *name, uint64_t size)
{
    MemoryRegion *mr = fx_alloc();
    memory_region_init_container(mr, name, size);
    return mr;
}

static MemoryRegion *new_alias(const char *name, MemoryRegion *orig, uint64_t off,
                               uint64_t size)
{
    MemoryRegion *mr = fx_alloc();
    memory_region_init_alias(mr, name, orig, off, size);
    return mr;
}

static uint8_t read8(uint64_t addr)
{
    uint8_t b = 0;
    address_space_read(&fx.as, addr, &b, 1);
    return b;
}

/* ---- a test device that records its callbacks -------------------------- */

typedef struct DevCall {
    bool write;
    uint64_t addr;
    unsigned size;
    uint64_t val;
} DevCall;

typedef struct TestDev {
    uint8_t regs[64];            /* little-endian register bytes */
    DevCall calls[32];
    unsigned nr_calls;
} TestDev;

static TestDev dev;

static uint64_t testdev_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)d->regs[(addr + i) % sizeof(d->regs)] << (i * 8);
    }
    if (d->nr_calls < ARRAY_SIZE(d->calls)) {
        d->calls[d->nr_calls++] = (DevCall){ false, addr, size, v };
    }
    return v;
}

static void testdev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    TestDev *d = opaque;
    for (unsigned i = 0; i < size; i++) {
        d->regs[(addr + i) % sizeof(d->regs)] = val >> (i * 8);
    }
    if (d->nr_calls < ARRAY_SIZE(d->calls)) {
        d->calls[d->nr_calls++] = (DevCall){ true, addr, size, val };
    }
}

static const MemoryRegionOps ops_any = {
    .read = testdev_read, .write = testdev_write,
    .valid = { .min_access_size = 1, .max_access_size = 8, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};
static const MemoryRegionOps ops_impl_max4 = {
    .read = testdev_read, .write = testdev_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};
static const MemoryRegionOps ops_impl_min4 = {
    .read = testdev_read, .write = testdev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};
static const MemoryRegionOps ops_aligned4 = {     /* valid 1..4, aligned only */
    .read = testdev_read, .write = testdev_write,
};

static MemoryRegion *new_dev(const char *name, const MemoryRegionOps *ops, uint64_t size)
{
    MemoryRegion *mr = fx_alloc();
    memset(&dev, 0, sizeof(dev));
    for (unsigned i = 0; i < sizeof(dev.regs); i++) {
        dev.regs[i] = 0x10 + i;
    }
    memory_region_init_io(mr, ops, &dev, name, size);
    return mr;
}

/* ---- a listener that records what it is told --------------------------- */

static struct {
    MemoryListener l;
    char log[2048];
    unsigned commits;
} rec, rec2;

static void rec_append(MemoryListener *l, const char *what, const FlatRange *fr)
{
    char *log = l == &rec.l ? rec.log : rec2.log;
    size_t n = strlen(log);
    if (fr) {
        snprintf(log + n, sizeof(rec.log) - n, "%s %s 0x%" PRIx64 "+0x%" PRIx64 "@0x%" PRIx64 "; ",
                 what, fr->mr->name, fr->start, fr->size, fr->offset_in_region);
    } else {
        snprintf(log + n, sizeof(rec.log) - n, "%s; ", what);
    }
}

static void rec_add(MemoryListener *l, const FlatRange *fr) { rec_append(l, "add", fr); }
static void rec_del(MemoryListener *l, const FlatRange *fr) { rec_append(l, "del", fr); }
static void rec_commit(MemoryListener *l)
{
    rec_append(l, "commit", NULL);
    (l == &rec.l ? &rec : &rec2)->commits++;
}

static void rec_register(void)
{
    memory_listener_unregister(&rec.l);
    memset(&rec, 0, sizeof(rec));
    rec.l.region_add = rec_add;
    rec.l.region_del = rec_del;
    rec.l.commit = rec_commit;
    memory_listener_register(&rec.l, &fx.as);
}

static void rec_clear(void)
{
    rec.log[0] = 0;
    rec.commits = 0;
}

/* ---- rendering: priorities --------------------------------------------- */

static void test_priority_higher_wins(void)
{
    fx_setup();
    MemoryRegion *lo = new_ram("lo", 0x4000, 0xaa);
    MemoryRegion *hi = new_ram("hi", 0x1000, 0xbb);
    memory_region_add_subregion_overlap(&fx.root, 0, lo, 0);
    memory_region_add_subregion_overlap(&fx.root, 0x1000, hi, 1);
    CHECK_EQ(read8(0xfff), 0xaa);
    CHECK_EQ(read8(0x1000), 0xbb);
    CHECK_EQ(read8(0x1fff), 0xbb);
    CHECK_EQ(read8(0x2000), 0xaa);
    /* adding the lower one later must not change who wins */
    MemoryRegion *lo2 = new_ram("lo2", 0x4000, 0xcc);
    memory_region_add_subregion_overlap(&fx.root, 0, lo2, 0);
    CHECK_EQ(read8(0x1000), 0xbb);
    CHECK_EQ(read8(0x0), 0xcc);
}

static void test_equal_priority_later_added_wins(void)
{
    fx_setup();
    MemoryRegion *a = new_ram("a", 0x2000, 0xaa);
    MemoryRegion *b = new_ram("b", 0x1000, 0xbb);
    memory_region_add_subregion(&fx.root, 0, a);
    memory_region_add_subregion(&fx.root, 0x1000, b);
    CHECK_EQ(read8(0x0), 0xaa);
    CHECK_EQ(read8(0x1000), 0xbb);
    MemoryRegion *c = new_ram("c", 0x2000, 0xcc);
    memory_region_add_subregion(&fx.root, 0, c);
    CHECK_EQ(read8(0x1000), 0xcc);
    CHECK_EQ(read8(0x0), 0xcc);
}

static void test_disable_uncovers_lower(void)
{
    fx_setup();
    MemoryRegion *lo = new_ram("lo", 0x2000, 0xaa);
    MemoryRegion *hi = new_ram("hi", 0x2000, 0xbb);
    memory_region_add_subregion_overlap(&fx.root, 0, lo, 0);
    memory_region_add_subregion_overlap(&fx.root, 0, hi, 5);
    CHECK_EQ(read8(0x100), 0xbb);
    memory_region_set_enabled(hi, false);
    CHECK_EQ(read8(0x100), 0xaa);
    memory_region_set_enabled(lo, false);
    CHECK_EQ(read8(0x100), 0xff);
    memory_region_set_enabled(hi, true);
    CHECK_EQ(read8(0x100), 0xbb);
}

/* A higher-priority container is transparent where it has no children:
 * lower regions show through its gaps; a lower container never punches
 * holes into a higher region. */
static void test_container_priority_no_holes(void)
{
    fx_setup();
    MemoryRegion *hc = new_container("hc", 0x4000);
    MemoryRegion *h = new_ram("h", 0x1000, 0xbb);
    MemoryRegion *l = new_ram("l", 0x4000, 0xaa);
    memory_region_add_subregion(hc, 0, h);
    memory_region_add_subregion_overlap(&fx.root, 0, hc, 1);
    memory_region_add_subregion_overlap(&fx.root, 0, l, 0);
    CHECK_EQ(read8(0x0), 0xbb);
    CHECK_EQ(read8(0x1000), 0xaa);
    CHECK_EQ(read8(0x3fff), 0xaa);

    MemoryRegion *lc = new_container("lc", 0x4000);
    MemoryRegion *inner = new_ram("inner", 0x1000, 0xcc);
    MemoryRegion *top = new_ram("top", 0x4000, 0xdd);
    memory_region_add_subregion_overlap(lc, 0x1000, inner, 100);
    memory_region_add_subregion_overlap(&fx.root, 0x10000, lc, 0);
    memory_region_add_subregion_overlap(&fx.root, 0x10000, top, 1);
    CHECK_EQ(read8(0x11000), 0xdd);
    CHECK_EQ(read8(0x10000), 0xdd);
}

static void test_nested_containers(void)
{
    fx_setup();
    MemoryRegion *c1 = new_container("c1", 0x10000);
    MemoryRegion *c2 = new_container("c2", 0x1000);
    MemoryRegion *r = new_ram("r", 0x2000, 0x5a);
    memory_region_add_subregion(&fx.root, 0x100000, c1);
    memory_region_add_subregion(c1, 0x4000, c2);
    memory_region_add_subregion(c2, 0x800, r);   /* clipped to c2: 0x800 bytes */
    CHECK_EQ(read8(0x1047ff), 0xff);
    CHECK_EQ(read8(0x104800), 0x5a);
    CHECK_EQ(read8(0x104fff), 0x5a);
    CHECK_EQ(read8(0x105000), 0xff);
    FlatView *fv = address_space_get_flatview(&fx.as);
    CHECK_EQ(fv->nr, 1);
    CHECK_EQ(fv->ranges[0].start, 0x104800);
    CHECK_EQ(fv->ranges[0].size, 0x800);
    CHECK(fv->ranges[0].mr == r);
    flatview_unref(fv);
    /* moving the outer container moves everything in it */
    memory_region_set_address(c1, 0x200000);
    CHECK_EQ(read8(0x104800), 0xff);
    CHECK_EQ(read8(0x204800), 0x5a);
}

/* ---- aliases ----------------------------------------------------------- */

static void test_alias_offset(void)
{
    fx_setup();
    MemoryRegion *r = new_ram("r", 0x4000, 0);
    for (unsigned i = 0; i < 0x4000; i++) {
        r->ram_ptr[i] = i >> 8;
    }
    MemoryRegion *a = new_alias("a", r, 0x1000, 0x2000);
    memory_region_add_subregion(&fx.root, 0x10000, a);
    CHECK_EQ(read8(0x10000), 0x10);
    CHECK_EQ(read8(0x11fff), 0x2f);
    CHECK_EQ(read8(0x12000), 0xff);
    /* an alias of an alias adds the offsets */
    MemoryRegion *aa = new_alias("aa", a, 0x800, 0x100);
    memory_region_add_subregion(&fx.root, 0x20000, aa);
    CHECK_EQ(read8(0x20000), 0x18);
    /* an alias window past the end of its target is clipped */
    MemoryRegion *big = new_alias("big", r, 0x3000, 0x4000);
    memory_region_add_subregion(&fx.root, 0x30000, big);
    CHECK_EQ(read8(0x30fff), 0x3f);
    CHECK_EQ(read8(0x31000), 0xff);
    /* writes through an alias land in the target */
    uint8_t v = 0x77;
    CHECK_EQ(address_space_write(&fx.as, 0x10010, &v, 1), MEMTX_OK);
    CHECK_EQ(r->ram_ptr[0x1010], 0x77);
}

static void test_alias_of_container(void)
{
    fx_setup();
    MemoryRegion *c = new_container("c", 0x10000);
    MemoryRegion *r1 = new_ram("r1", 0x1000, 0x11);
    MemoryRegion *r2 = new_ram("r2", 0x1000, 0x22);
    memory_region_add_subregion(c, 0x0, r1);
    memory_region_add_subregion(c, 0x8000, r2);
    /* the unmapped container itself is not visible, only the alias is */
    MemoryRegion *a = new_alias("a", c, 0x7000, 0x3000);
    memory_region_add_subregion(&fx.root, 0x50000, a);
    CHECK_EQ(read8(0x50000), 0xff);
    CHECK_EQ(read8(0x51000), 0x22);
    CHECK_EQ(read8(0x51fff), 0x22);
    CHECK_EQ(read8(0x52000), 0xff);
    FlatView *fv = address_space_get_flatview(&fx.as);
    const FlatRange *fr = flatview_lookup(fv, 0x51000);
    CHECK(fr && fr->mr == r2);
    CHECK_EQ(fr->offset_in_region, 0);
    flatview_unref(fv);
    /* changing the target's tree shows through the alias */
    memory_region_set_address(r1, 0x7000);
    CHECK_EQ(read8(0x50000), 0x11);
}

/* Adjacent ranges of one region with contiguous offsets become one range. */
static void test_adjacent_ranges_merge(void)
{
    fx_setup();
    MemoryRegion *r = new_ram("r", 0x2000, 0);
    memory_region_add_subregion(&fx.root, 0, new_alias("a1", r, 0, 0x1000));
    memory_region_add_subregion(&fx.root, 0x1000, new_alias("a2", r, 0x1000, 0x1000));
    memory_region_add_subregion(&fx.root, 0x2000, new_alias("a3", r, 0x0, 0x1000));
    FlatView *fv = address_space_get_flatview(&fx.as);
    CHECK_EQ(fv->nr, 2);
    CHECK_EQ(fv->ranges[0].size, 0x2000);
    CHECK_EQ(fv->ranges[1].start, 0x2000);
    CHECK_EQ(fv->ranges[1].offset_in_region, 0);
    flatview_unref(fv);
}

/* ---- unmapped, read-only ----------------------------------------------- */

static bool log_contains(const char *path, const char *needle)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    if (f) {
        fclose(f);
    }
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

static void test_unmapped_read_all_ones_write_dropped(void)
{
    fx_setup();
    MemoryRegion *r = new_ram("r", 0x1000, 0x33);
    memory_region_add_subregion(&fx.root, 0x1000, r);

    char path[] = "/tmp/tern-test-memory-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK_EQ(log_set_file(path, NULL), 0);
    tern_log_mask = LOG_GUEST_ERROR;

    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x9000, 4, &v), MEMTX_DECODE_ERROR);
    CHECK_EQ(v, 0xffffffff);
    CHECK_EQ(address_space_ld(&fx.as, 0x9000, 8, &v), MEMTX_DECODE_ERROR);
    CHECK_EQ(v, UINT64_MAX);
    CHECK_EQ(address_space_st(&fx.as, 0xa000, 4, 0x12345678), MEMTX_DECODE_ERROR);
    /* straddling the end of RAM: mapped bytes read, the rest are 0xff */
    uint8_t buf[4];
    CHECK_EQ(address_space_read(&fx.as, 0x1ffe, buf, 4), MEMTX_DECODE_ERROR);
    CHECK(buf[0] == 0x33 && buf[1] == 0x33 && buf[2] == 0xff && buf[3] == 0xff);
    /* a straddling write stores the mapped part only */
    CHECK_EQ(address_space_st(&fx.as, 0xffe, 4, 0x44444444), MEMTX_DECODE_ERROR);
    CHECK_EQ(r->ram_ptr[0], 0x44);
    CHECK_EQ(r->ram_ptr[1], 0x44);
    CHECK_EQ(r->ram_ptr[2], 0x33);
    log_flush();
    tern_log_mask = 0;
    CHECK(log_contains(path, "test-as: unmapped read of 4 bytes at 0x9000"));
    CHECK(log_contains(path, "test-as: unmapped write of 4 bytes at 0xa000"));
    unlink(path);
    close(fd);
}

static void test_readonly_ram_drops_writes(void)
{
    fx_setup();
    MemoryRegion *rom = new_ram("rom", 0x1000, 0x5a);
    memory_region_set_readonly(rom, true);
    memory_region_add_subregion(&fx.root, 0xf0000, rom);
    CHECK_EQ(address_space_st(&fx.as, 0xf0010, 4, 0), MEMTX_OK);
    uint64_t v;
    CHECK_EQ(address_space_ld(&fx.as, 0xf0010, 4, &v), MEMTX_OK);
    CHECK_EQ(v, 0x5a5a5a5a);
    uint8_t b = 0;
    address_space_write(&fx.as, 0xf0fff, &b, 1);
    CHECK_EQ(rom->ram_ptr[0xfff], 0x5a);
    CHECK(address_space_ram_ptr(&fx.as, 0xf0000, 0x10, true) == NULL);
    CHECK(address_space_ram_ptr(&fx.as, 0xf0000, 0x10, false) == rom->ram_ptr);
    /* read-only through an alias of writable RAM */
    MemoryRegion *r = new_ram("r", 0x1000, 0x11);
    MemoryRegion *a = new_alias("a", r, 0, 0x1000);
    memory_region_set_readonly(a, true);
    memory_region_add_subregion(&fx.root, 0x10000, a);
    address_space_st(&fx.as, 0x10000, 1, 0x99);
    CHECK_EQ(r->ram_ptr[0], 0x11);
    memory_region_set_readonly(a, false);
    address_space_st(&fx.as, 0x10000, 1, 0x99);
    CHECK_EQ(r->ram_ptr[0], 0x99);
}

/* ---- device access sizes ----------------------------------------------- */

static void test_impl_max4_splits_8byte_access(void)
{
    fx_setup();
    MemoryRegion *d = new_dev("d", &ops_impl_max4, 0x40);
    memory_region_add_subregion(&fx.root, 0x1000, d);
    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x1008, 8, &v), MEMTX_OK);
    CHECK_EQ(v, 0x1f1e1d1c1b1a1918ull);
    CHECK_EQ(dev.nr_calls, 2);
    CHECK(!dev.calls[0].write && dev.calls[0].addr == 8 && dev.calls[0].size == 4);
    CHECK(!dev.calls[1].write && dev.calls[1].addr == 12 && dev.calls[1].size == 4);
    dev.nr_calls = 0;
    CHECK_EQ(address_space_st(&fx.as, 0x1010, 8, 0x8877665544332211ull), MEMTX_OK);
    CHECK_EQ(dev.nr_calls, 2);
    CHECK(dev.calls[0].write && dev.calls[0].addr == 0x10 && dev.calls[0].size == 4);
    CHECK_EQ(dev.calls[0].val, 0x44332211);
    CHECK(dev.calls[1].write && dev.calls[1].addr == 0x14 && dev.calls[1].size == 4);
    CHECK_EQ(dev.calls[1].val, 0x88776655);
}

static void test_impl_min4_widens_1byte_read(void)
{
    fx_setup();
    MemoryRegion *d = new_dev("d", &ops_impl_min4, 0x40);
    memory_region_add_subregion(&fx.root, 0x1000, d);
    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x1006, 1, &v), MEMTX_OK);
    CHECK_EQ(v, 0x16);
    CHECK_EQ(dev.nr_calls, 1);
    CHECK(dev.calls[0].addr == 4 && dev.calls[0].size == 4);
    dev.nr_calls = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x1002, 2, &v), MEMTX_OK);
    CHECK_EQ(v, 0x1312);
    /* a widened write puts the byte in place, zeros elsewhere */
    dev.nr_calls = 0;
    CHECK_EQ(address_space_st(&fx.as, 0x1009, 1, 0xab), MEMTX_OK);
    CHECK_EQ(dev.nr_calls, 1);
    CHECK(dev.calls[0].write && dev.calls[0].addr == 8 && dev.calls[0].size == 4);
    CHECK_EQ(dev.calls[0].val, 0xab00);
}

static void test_valid_unaligned_false_is_error(void)
{
    fx_setup();
    MemoryRegion *d = new_dev("d", &ops_aligned4, 0x40);
    memory_region_add_subregion(&fx.root, 0x1000, d);
    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x1001, 2, &v), MEMTX_ERROR);
    CHECK_EQ(v, 0xffff);
    CHECK_EQ(address_space_st(&fx.as, 0x1002, 4, 0), MEMTX_ERROR);
    CHECK_EQ(dev.nr_calls, 0);
    /* a size above valid.max is refused too (default max is 4) */
    CHECK_EQ(address_space_ld(&fx.as, 0x1000, 8, &v), MEMTX_ERROR);
    CHECK_EQ(v, UINT64_MAX);
    CHECK_EQ(dev.nr_calls, 0);
    CHECK_EQ(address_space_ld(&fx.as, 0x1002, 2, &v), MEMTX_OK);
    CHECK_EQ(v, 0x1312);
}

static void test_misaligned_accesses_split_aligned(void)
{
    fx_setup();
    MemoryRegion *d = new_dev("d", &ops_impl_max4, 0x40);
    memory_region_add_subregion(&fx.root, 0x1000, d);
    uint64_t v;
    /* valid.unaligned false here: address_space_read splits a misaligned
     * byte run into naturally aligned device accesses */
    uint8_t buf[7];
    CHECK_EQ(address_space_read(&fx.as, 0x1001, buf, 7), MEMTX_OK);
    CHECK(buf[0] == 0x11 && buf[6] == 0x17);
    CHECK_EQ(dev.nr_calls, 3);    /* 1 @1, 2 @2, 4 @4 */
    CHECK(dev.calls[0].addr == 1 && dev.calls[0].size == 1);
    CHECK(dev.calls[1].addr == 2 && dev.calls[1].size == 2);
    CHECK(dev.calls[2].addr == 4 && dev.calls[2].size == 4);

    MemoryRegion *u = new_dev("u", &ops_any, 0x40);
    memory_region_add_subregion(&fx.root, 0x2000, u);
    /* valid.unaligned true: one guest access, two aligned callbacks */
    dev.nr_calls = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0x2003, 4, &v), MEMTX_OK);
    CHECK_EQ(v, 0x16151413);
    CHECK_EQ(dev.nr_calls, 2);
    CHECK(dev.calls[0].addr == 0 && dev.calls[0].size == 4);
    CHECK(dev.calls[1].addr == 4 && dev.calls[1].size == 4);
}

static void test_access_spanning_ram_io_boundary(void)
{
    fx_setup();
    MemoryRegion *r = new_ram("r", 0x1000, 0x00);
    MemoryRegion *d = new_dev("d", &ops_aligned4, 0x10);
    memory_region_add_subregion(&fx.root, 0, r);
    memory_region_add_subregion(&fx.root, 0x1000, d);
    r->ram_ptr[0xffc] = 0xa0;
    r->ram_ptr[0xfff] = 0xa3;
    uint64_t v = 0;
    CHECK_EQ(address_space_ld(&fx.as, 0xffc, 8, &v), MEMTX_OK);
    CHECK_EQ(v, 0x13121110a30000a0ull);
    CHECK_EQ(dev.nr_calls, 1);
    CHECK(dev.calls[0].addr == 0 && dev.calls[0].size == 4);
    /* and writes */
    dev.nr_calls = 0;
    CHECK_EQ(address_space_st(&fx.as, 0xffe, 4, 0xddccbbaa), MEMTX_OK);
    CHECK_EQ(r->ram_ptr[0xffe], 0xaa);
    CHECK_EQ(r->ram_ptr[0xfff], 0xbb);
    CHECK_EQ(dev.nr_calls, 1);
    CHECK(dev.calls[0].write && dev.calls[0].addr == 0 && dev.calls[0].size == 2);
    CHECK_EQ(dev.calls[0].val, 0xddcc);
    /* a long read crossing RAM, the device and unmapped space */
    uint8_t buf[0x20];
    CHECK_EQ(address_space_read(&fx.as, 0xff8, buf, sizeof(buf)), MEMTX_DECODE_ERROR);
    CHECK_EQ(buf[7], 0xbb);
    CHECK_EQ(buf[8], 0xcc);
    CHECK_EQ(buf[0x17], 0x1f);
    CHECK_EQ(buf[0x18], 0xff);
}

/* ---- host pointers ----------------------------------------------------- */

/* The RAM-write hook sees every RAM byte address_space_write/_st change,
 * in the address space's addresses, and nothing else */
static struct {
    AddressSpace *as;
    uint64_t calls, addr, len;
} hook_seen;

static void hook_record(AddressSpace *as, uint64_t addr, uint64_t len)
{
    hook_seen.as = as;
    hook_seen.calls++;
    hook_seen.addr = addr;
    hook_seen.len = len;
}

static void test_ram_write_hook(void)
{
    uint8_t buf[0x20] = { 0 };
    uint64_t v;

    fx_setup();
    memory_region_add_subregion(&fx.root, 0x10000, new_ram("ram", 0x1000, 0));
    MemoryRegion *rom = new_ram("rom", 0x1000, 0);
    memory_region_set_readonly(rom, true);
    memory_region_add_subregion(&fx.root, 0x20000, rom);
    memory_region_add_subregion(&fx.root, 0x30000, new_dev("dev", &ops_any, 0x100));
    memory_set_ram_write_hook(hook_record);
    memset(&hook_seen, 0, sizeof(hook_seen));

    address_space_write(&fx.as, 0x10ff0, buf, sizeof(buf));    /* 0x10 RAM, 0x10 unmapped */
    CHECK_EQ(hook_seen.calls, 1);
    CHECK(hook_seen.as == &fx.as);
    CHECK_EQ(hook_seen.addr, 0x10ff0);
    CHECK_EQ(hook_seen.len, 0x10);
    address_space_st(&fx.as, 0x10008, 8, 1);
    CHECK_EQ(hook_seen.calls, 2);
    CHECK_EQ(hook_seen.addr, 0x10008);
    CHECK_EQ(hook_seen.len, 8);
    /* reads, read-only RAM and devices: no call */
    address_space_read(&fx.as, 0x10000, buf, 8);
    address_space_ld(&fx.as, 0x10000, 8, &v);
    address_space_write(&fx.as, 0x20000, buf, 8);
    address_space_st(&fx.as, 0x20000, 4, 1);
    address_space_st(&fx.as, 0x30000, 4, 1);
    CHECK_EQ(hook_seen.calls, 2);
    memory_set_ram_write_hook(NULL);
    address_space_st(&fx.as, 0x10008, 8, 2);
    CHECK_EQ(hook_seen.calls, 2);
}

static void test_ram_ptr(void)
{
    fx_setup();
    MemoryRegion *r = new_ram("r", 0x2000, 0);
    MemoryRegion *d = new_dev("d", &ops_any, 0x10);
    memory_region_add_subregion(&fx.root, 0x10000, r);
    memory_region_add_subregion(&fx.root, 0x12000, d);
    CHECK(address_space_ram_ptr(&fx.as, 0x10000, 0x2000, true) == r->ram_ptr);
    CHECK(address_space_ram_ptr(&fx.as, 0x11fff, 1, true) == r->ram_ptr + 0x1fff);
    CHECK(address_space_ram_ptr(&fx.as, 0x11fff, 2, false) == NULL);
    CHECK(address_space_ram_ptr(&fx.as, 0x10000, UINT64_MAX, false) == NULL);
    CHECK(address_space_ram_ptr(&fx.as, 0x12000, 1, false) == NULL);
    CHECK(address_space_ram_ptr(&fx.as, 0xffff, 1, false) == NULL);
    /* through an alias: the target's memory */
    MemoryRegion *a = new_alias("a", r, 0x1000, 0x1000);
    memory_region_add_subregion(&fx.root, 0x40000, a);
    CHECK(address_space_ram_ptr(&fx.as, 0x40010, 4, false) == r->ram_ptr + 0x1010);
}

static void test_large_ram_is_lazy(void)
{
    fx_setup();
    MemoryRegion *mr = fx_alloc();
    CHECK_EQ(memory_region_init_ram(mr, "big", 4ull << 30, NULL), 0);
    memory_region_add_subregion(&fx.root, 0, mr);
    CHECK_EQ(address_space_st(&fx.as, (4ull << 30) - 8, 8, 0x0123456789abcdefull), MEMTX_OK);
    uint64_t v;
    CHECK_EQ(address_space_ld(&fx.as, (4ull << 30) - 8, 8, &v), MEMTX_OK);
    CHECK_EQ(v, 0x0123456789abcdefull);
    CHECK_EQ(address_space_ld(&fx.as, 1ull << 31, 8, &v), MEMTX_OK);
    CHECK_EQ(v, 0);
}

/* ---- listeners and transactions ---------------------------------------- */

#define CHECK_LOG(expected)                                                   \
    do {                                                                      \
        if (strcmp(rec.log, expected)) {                                      \
            printf("FAIL %s: %s:%d: listener log\n  got:      %s\n  expected: %s\n", \
                   test_current, __FILE__, __LINE__, rec.log, expected);     \
            test_failed++;                                                    \
            return;                                                           \
        }                                                                     \
        rec_clear();                                                          \
    } while (0)

static void test_listener_add_del_sequence(void)
{
    fx_setup();
    MemoryRegion *a = new_ram("A", 0x2000, 0);
    MemoryRegion *b = new_ram("B", 0x1000, 0);
    rec_register();
    CHECK_LOG("commit; ");
    memory_region_add_subregion(&fx.root, 0, a);
    CHECK_LOG("add A 0x0+0x2000@0x0; commit; ");
    memory_region_add_subregion_overlap(&fx.root, 0x1000, b, 1);
    CHECK_LOG("del A 0x0+0x2000@0x0; add A 0x0+0x1000@0x0; add B 0x1000+0x1000@0x0; commit; ");
    memory_region_set_address(b, 0x4000);
    CHECK_LOG("del A 0x0+0x1000@0x0; del B 0x1000+0x1000@0x0; "
              "add A 0x0+0x2000@0x0; add B 0x4000+0x1000@0x0; commit; ");
    memory_region_set_enabled(b, false);
    CHECK_LOG("del B 0x4000+0x1000@0x0; commit; ");
    memory_region_del_subregion(&fx.root, a);
    CHECK_LOG("del A 0x0+0x2000@0x0; commit; ");
    memory_region_set_enabled(b, true);
    CHECK_LOG("add B 0x4000+0x1000@0x0; commit; ");
    /* a change that leaves the view as it was says nothing */
    memory_region_set_enabled(a, false);
    CHECK_LOG("");
    memory_region_set_readonly(b, true);
    CHECK(strstr(rec.log, "del B 0x4000") && strstr(rec.log, "add B 0x4000"));
    rec_clear();
    /* unregistering reports every range gone */
    memory_listener_unregister(&rec.l);
    CHECK_LOG("del B 0x4000+0x1000@0x0; commit; ");
    memory_region_set_readonly(b, false);
    CHECK_LOG("");
}

static void test_listener_registered_late_sees_existing(void)
{
    fx_setup();
    memory_region_add_subregion(&fx.root, 0x1000, new_ram("A", 0x1000, 0));
    memory_region_add_subregion(&fx.root, 0x3000, new_ram("B", 0x1000, 0));
    rec_register();
    CHECK_LOG("add A 0x1000+0x1000@0x0; add B 0x3000+0x1000@0x0; commit; ");
    memory_listener_unregister(&rec.l);
}

static void test_transaction_batches_one_commit(void)
{
    fx_setup();
    rec_register();
    rec_clear();
    MemoryRegion *a = new_ram("A", 0x1000, 0);
    MemoryRegion *b = new_ram("B", 0x1000, 0);
    memory_region_transaction_begin();
    memory_region_add_subregion(&fx.root, 0, a);
    memory_region_add_subregion(&fx.root, 0x1000, b);
    memory_region_transaction_begin();
    memory_region_set_address(b, 0x8000);
    memory_region_transaction_commit();
    CHECK_EQ(rec.commits, 0);           /* inner commit: nothing yet */
    CHECK_EQ(read8(0x0), 0xff);         /* nor is the new view published */
    memory_region_transaction_commit();
    CHECK_EQ(rec.commits, 1);
    CHECK_LOG("add A 0x0+0x1000@0x0; add B 0x8000+0x1000@0x0; commit; ");
    /* a transaction whose changes cancel out notifies nobody */
    memory_region_transaction_begin();
    memory_region_set_enabled(a, false);
    memory_region_set_enabled(a, true);
    memory_region_transaction_commit();
    CHECK_LOG("");
    memory_listener_unregister(&rec.l);
}

static void test_listener_only_for_changed_address_space(void)
{
    static MemoryRegion root2, r2;
    static AddressSpace as2;
    fx_setup();
    memory_region_init_container(&root2, "root2", 0x10000);
    address_space_init(&as2, &root2, "as2");
    memset(&rec2, 0, sizeof(rec2));
    rec2.l.region_add = rec_add;
    rec2.l.commit = rec_commit;
    memory_listener_register(&rec2.l, &as2);
    rec2.log[0] = 0;
    rec2.commits = 0;
    memory_region_add_subregion(&fx.root, 0, new_ram("A", 0x1000, 0));
    bool quiet = rec2.commits == 0;
    CHECK_EQ(memory_region_init_ram(&r2, "r2", 0x1000, NULL), 0);
    memory_region_add_subregion(&root2, 0, &r2);
    bool heard = rec2.commits == 1 && !strcmp(rec2.log, "add r2 0x0+0x1000@0x0; commit; ");
    memory_listener_unregister(&rec2.l);
    address_space_destroy(&as2);
    memory_region_del_subregion(&root2, &r2);
    memory_region_destroy(&r2);
    memory_region_destroy(&root2);
    CHECK(quiet);
    CHECK(heard);
}

/* ---- FlatView lookup and lifetime -------------------------------------- */

static void test_flatview_lookup_edges(void)
{
    fx_setup();
    MemoryRegion *a = new_ram("A", 0x1000, 0);
    MemoryRegion *b = new_ram("B", 0x1000, 0);
    memory_region_add_subregion(&fx.root, 0x1000, a);
    memory_region_add_subregion(&fx.root, 0x2000, b);
    MemoryRegion *top = new_ram("top", 0x1000, 0);
    memory_region_add_subregion(&fx.root, UINT64_MAX - 0xfff, top);
    FlatView *fv = address_space_get_flatview(&fx.as);
    CHECK(flatview_lookup(fv, 0) == NULL);
    CHECK(flatview_lookup(fv, 0xfff) == NULL);
    CHECK(flatview_lookup(fv, 0x1000)->mr == a);
    CHECK(flatview_lookup(fv, 0x1fff)->mr == a);
    CHECK(flatview_lookup(fv, 0x2000)->mr == b);
    CHECK(flatview_lookup(fv, 0x2fff)->mr == b);
    CHECK(flatview_lookup(fv, 0x3000) == NULL);
    CHECK(flatview_lookup(fv, UINT64_MAX - 0x1000) == NULL);
    /* the root is 2^64-1 bytes, so top's last byte is clipped off */
    CHECK(flatview_lookup(fv, UINT64_MAX - 1)->mr == top);
    flatview_unref(fv);
}

static void test_flatview_kept_across_change(void)
{
    fx_setup();
    MemoryRegion *a = new_ram("A", 0x1000, 0x11);
    memory_region_add_subregion(&fx.root, 0, a);
    FlatView *old = address_space_get_flatview(&fx.as);
    memory_region_del_subregion(&fx.root, a);
    FlatView *now = address_space_get_flatview(&fx.as);
    CHECK(old != now);
    CHECK_EQ(old->nr, 1);
    CHECK(flatview_lookup(old, 0x10)->mr == a);
    CHECK(flatview_lookup(now, 0x10) == NULL);
    flatview_unref(old);
    flatview_unref(now);
}

/* The lookups of the two view-cache tests; the callers enable and disable
 * the cache around them, so a failing CHECK cannot leave it enabled. */
static void cached_lookup_follows_changes(void)
{
    MemoryRegion *a = new_ram("A", 0x1000, 0);
    MemoryRegion *b = new_ram("B", 0x1000, 0);
    FlatRange fr;

    memory_region_add_subregion(&fx.root, 0x1000, a);
    CHECK(address_space_lookup(&fx.as, 0x1010, &fr));
    CHECK(fr.mr == a);
    CHECK_EQ(fr.start, 0x1000);
    CHECK_EQ(fr.size, 0x1000);
    CHECK(!address_space_lookup(&fx.as, 0x2000, &fr));
    /* the cached view is replaced after each topology change */
    memory_region_add_subregion_overlap(&fx.root, 0x800, b, 1);
    CHECK(address_space_lookup(&fx.as, 0x1010, &fr));
    CHECK(fr.mr == b);
    CHECK_EQ(fr.start, 0x800);
    CHECK_EQ(fr.offset_in_region, 0);
    CHECK(address_space_lookup(&fx.as, 0x1800, &fr));
    CHECK(fr.mr == a);
    CHECK_EQ(fr.start, 0x1800);
    CHECK_EQ(fr.offset_in_region, 0x800);
    memory_region_del_subregion(&fx.root, b);
    memory_region_set_readonly(a, true);
    CHECK(address_space_lookup(&fx.as, 0x1010, &fr));
    CHECK(fr.mr == a && fr.readonly);
    CHECK(address_space_ram_ptr(&fx.as, 0x1010, 4, true) == NULL);
    CHECK(address_space_ram_ptr(&fx.as, 0x1010, 4, false) == a->ram_ptr + 0x10);
    /* a new address space at the same address is not served a stale view */
    fx_setup();
    CHECK(!address_space_lookup(&fx.as, 0x1010, &fr));
    MemoryRegion *c = new_ram("C", 0x1000, 0);
    memory_region_add_subregion(&fx.root, 0x1000, c);
    CHECK(address_space_lookup(&fx.as, 0x1010, &fr));
    CHECK(fr.mr == c);
}

static void test_lookup_uncached(void)
{
    fx_setup();
    cached_lookup_follows_changes();
}

static void test_lookup_cached_view_refreshed(void)
{
    fx_setup();
    flatview_thread_cache_enable();
    cached_lookup_follows_changes();
    /* drops the cached references: ASan reports a leak otherwise */
    flatview_thread_cache_disable();
}

/* Another thread's cache: it sees each change the main thread publishes
 * before it is told about it (the vCPU situation). */
static struct {
    MemoryRegion *want;       /* what 0x1000 must map to; NULL: quit */
    unsigned round, done;     /* atomic */
    bool ok;
} cache_thr;

static void *cache_thread_fn(void *opaque)
{
    FlatRange fr;

    flatview_thread_cache_enable();
    for (unsigned seen = 0;;) {
        unsigned round = __atomic_load_n(&cache_thr.round, __ATOMIC_ACQUIRE);
        if (round == seen) {
            /* lookups between rounds must not disturb anything */
            address_space_lookup(&fx.as, 0x1000, &fr);
            continue;
        }
        seen = round;
        if (!cache_thr.want) {
            break;
        }
        if (!address_space_lookup(&fx.as, 0x1000, &fr) || fr.mr != cache_thr.want) {
            cache_thr.ok = false;
        }
        __atomic_store_n(&cache_thr.done, seen, __ATOMIC_RELEASE);
    }
    flatview_thread_cache_disable();
    return NULL;
}

static void cache_thread_round(MemoryRegion *want, unsigned round)
{
    cache_thr.want = want;
    __atomic_store_n(&cache_thr.round, round, __ATOMIC_RELEASE);
    while (want && __atomic_load_n(&cache_thr.done, __ATOMIC_ACQUIRE) != round) {
        sched_yield();
    }
}

static void test_lookup_cached_in_other_thread(void)
{
    fx_setup();
    MemoryRegion *a = new_ram("A", 0x1000, 0);
    MemoryRegion *b = new_ram("B", 0x1000, 0);
    pthread_t t;

    memory_region_add_subregion(&fx.root, 0x1000, a);
    cache_thr.ok = true;
    cache_thr.round = cache_thr.done = 0;
    CHECK(pthread_create(&t, NULL, cache_thread_fn, NULL) == 0);
    unsigned round = 0;
    for (int i = 0; i < 50; i++) {
        cache_thread_round(a, ++round);
        memory_region_add_subregion_overlap(&fx.root, 0x1000, b, 1);
        cache_thread_round(b, ++round);
        memory_region_del_subregion(&fx.root, b);
    }
    cache_thread_round(NULL, ++round);
    pthread_join(t, NULL);
    CHECK(cache_thr.ok);
}

static void test_print_tree_and_flatview(void)
{
    fx_setup();
    MemoryRegion *c = new_container("pci", 0x10000);
    MemoryRegion *r = new_ram("pc.ram", 0x1000, 0);
    memory_region_add_subregion_overlap(&fx.root, 0x100000, c, 2);
    memory_region_add_subregion(c, 0x1000, r);
    memory_region_add_subregion(&fx.root, 0, new_alias("low", r, 0, 0x800));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    memory_region_print_tree(f, &fx.root);
    FlatView *fv = address_space_get_flatview(&fx.as);
    flatview_print(f, fv);
    flatview_unref(fv);
    fclose(f);
    bool ok = strstr(text, "  0000000000100000-000000000010ffff (prio 2, container): pci\n") &&
              strstr(text, "    0000000000101000-0000000000101fff (prio 0, ram): pc.ram\n") &&
              strstr(text, "(prio 0, alias): low @pc.ram 0000000000000000-00000000000007ff") &&
              strstr(text, "  0000000000101000-0000000000101fff (ram): pc.ram @0000000000000000");
    if (!ok) {
        printf("%s", text);
    }
    free(text);
    CHECK(ok);
}

int main(void)
{
    RUN_TEST(test_priority_higher_wins);
    RUN_TEST(test_equal_priority_later_added_wins);
    RUN_TEST(test_disable_uncovers_lower);
    RUN_TEST(test_container_priority_no_holes);
    RUN_TEST(test_nested_containers);
    RUN_TEST(test_alias_offset);
    RUN_TEST(test_alias_of_container);
    RUN_TEST(test_adjacent_ranges_merge);
    RUN_TEST(test_unmapped_read_all_ones_write_dropped);
    RUN_TEST(test_readonly_ram_drops_writes);
    RUN_TEST(test_impl_max4_splits_8byte_access);
    RUN_TEST(test_impl_min4_widens_1byte_read);
    RUN_TEST(test_valid_unaligned_false_is_error);
    RUN_TEST(test_misaligned_accesses_split_aligned);
    RUN_TEST(test_access_spanning_ram_io_boundary);
    RUN_TEST(test_ram_ptr);
    RUN_TEST(test_large_ram_is_lazy);
    RUN_TEST(test_listener_add_del_sequence);
    RUN_TEST(test_listener_registered_late_sees_existing);
    RUN_TEST(test_transaction_batches_one_commit);
    RUN_TEST(test_listener_only_for_changed_address_space);
    RUN_TEST(test_flatview_lookup_edges);
    RUN_TEST(test_flatview_kept_across_change);
    RUN_TEST(test_print_tree_and_flatview);
    RUN_TEST(test_lookup_uncached);
    RUN_TEST(test_lookup_cached_view_refreshed);
    RUN_TEST(test_lookup_cached_in_other_thread);
    RUN_TEST(test_ram_write_hook);
    fx_teardown();
    TEST_MAIN_END();
}
