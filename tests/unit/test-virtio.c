/*
 * test-virtio.c: virtio-blk-pci (hw/virtio/) driven as a guest driver
 * would: PCI configuration cycles and the BAR's registers through the
 * memory API, split rings and buffers in a fake guest RAM, a raw image
 * in a temporary file through the block layer.
 *
 * Covered: the PCI IDs and the capability list Linux's virtio_pci_modern
 * probe walks; feature negotiation (FEATURES_OK refused without
 * VERSION_1 or with an unoffered bit); queue setup; read, write, flush
 * and GET_ID round trips, direct and indirect; IOERR and UNSUPP answers;
 * interrupt suppression (NO_INTERRUPT, EVENT_IDX); and every malformed
 * ring the validator knows, each of which must give DEVICE_NEEDS_RESET
 * with a config interrupt, process nothing more, and recover on reset.
 */
#include "test.h"
#include "test-ram.h"

#include <unistd.h>
#include "util/bytes.h"
#include "block/block.h"
#include "hw/pci/pci.h"
#include "hw/virtio/virtio-blk.h"

TEST_GLOBALS;

#define RAM_SIZE     (1u << 20)
#define BAR_ADDR     0xe0000000ull
#define COMMON       (BAR_ADDR + 0x0000)
#define ISR          (BAR_ADDR + 0x1000)
#define DEVCFG       (BAR_ADDR + 0x2000)
#define NOTIFY       (BAR_ADDR + 0x3000)
#define DEVFN        PCI_DEVFN(4, 0)
#define QSIZE        16
#define DESC         0x1000         /* rings */
#define AVAIL        0x2000
#define USED         0x3000
#define HDR          0x10000        /* request header, data, status */
#define DATA         0x11000
#define STATUS       0x20000
#define INDIRECT     0x30000
#define IMG_SECTORS  64

static struct {
    uint8_t ram[RAM_SIZE];
    struct test_ram tr;
    MemoryRegion io;
    AddressSpace *as;
    PCIBus *bus;
    int irq;                        /* the bus line's level */
    char path[64];
    BlockBackend *blk;
    VirtIOBlockPCI *dev;
    uint16_t avail_idx;
} t;

static void set_irq(void *opaque, int line, int level)
{
    (void)opaque, (void)line;
    t.irq = level;
}

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    address_space_ld(t.as, addr, size, &v);
    return v;
}

static void wr(uint64_t addr, unsigned size, uint64_t v)
{
    address_space_st(t.as, addr, size, v);
}

static void teardown(void);

/* A fresh fixture; one a failed CHECK left behind is torn down first. */
static void setup(bool read_only)
{
    BlockOpenOptions o = { .read_only = read_only, .cache = BLK_CACHE_WRITEBACK, .what = "test" };
    Error *err = NULL;
    uint8_t sector[512];
    int fd;

    if (t.dev) {
        teardown();
    }
    memset(&t, 0, sizeof(t));
    t.as = test_ram_init(&t.tr, t.ram, RAM_SIZE, "virtio-test");
    memory_region_init_container(&t.io, "io", 0x10000);
    snprintf(t.path, sizeof(t.path), "/tmp/test-virtio-XXXXXX");
    fd = mkstemp(t.path);
    assert(fd >= 0);
    for (unsigned i = 0; i < IMG_SECTORS; i++) {
        memset(sector, i, sizeof(sector));
        assert(write(fd, sector, sizeof(sector)) == sizeof(sector));
    }
    close(fd);
    o.filename = t.path;
    t.blk = blk_open(&o, &err);
    assert(t.blk);
    t.bus = pci_bus_new(&t.tr.root, &t.io);
    pci_bus_set_irq_router(t.bus, NULL, set_irq, NULL);
    t.dev = virtio_blk_pci_new(t.bus, DEVFN, t.as, t.blk, "tern-serial-0123456789");
    /* what Linux's PCI core does: assign the BAR, enable memory and mastering */
    pci_config_write(&t.dev->proxy.pci, PCI_BASE_ADDRESS_0 + 4 * VIRTIO_PCI_BAR, BAR_ADDR, 4);
    pci_config_write(&t.dev->proxy.pci, PCI_BASE_ADDRESS_0 + 4 * VIRTIO_PCI_BAR + 4, 0, 4);
    pci_config_write(&t.dev->proxy.pci, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static void teardown(void)
{
    virtio_blk_pci_free(t.dev);
    pci_bus_destroy(t.bus);
    blk_close(t.blk);
    unlink(t.path);
    address_space_destroy(t.as);
    memory_region_del_subregion(&t.tr.root, &t.tr.ram);
    memory_region_destroy(&t.io);
    memory_region_destroy(&t.tr.ram);
    memory_region_destroy(&t.tr.root);
    t.dev = NULL;
}

static uint8_t status(void)
{
    return rd(COMMON + VIRTIO_PCI_COMMON_STATUS, 1);
}

/* The driver's side of 3.1.1, queue 0 of QSIZE entries; returns the
 * status read back after FEATURES_OK. */
static uint8_t driver_init(uint64_t features)
{
    uint8_t st;

    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    for (unsigned sel = 0; sel < 2; sel++) {
        wr(COMMON + VIRTIO_PCI_COMMON_GFSELECT, 4, sel);
        wr(COMMON + VIRTIO_PCI_COMMON_GF, 4, (uint32_t)(features >> (32 * sel)));
    }
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    st = status();
    if (!(st & VIRTIO_STATUS_FEATURES_OK)) {
        return st;
    }
    memset(t.ram, 0, 0x4000);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2, QSIZE);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_DESCLO, 4, DESC);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_DESCHI, 4, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_AVAILLO, 4, AVAIL);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_AVAILHI, 4, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_USEDLO, 4, USED);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_USEDHI, 4, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, st | VIRTIO_STATUS_DRIVER_OK);
    t.avail_idx = 0;
    return st;
}

#define FEAT_BASIC (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_BLK_F_FLUSH)

static void desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                    uint16_t next)
{
    uint8_t *d = t.ram + table + 16 * i;

    st_le(d, addr, 8);
    st_le(d + 8, len, 4);
    st_le(d + 12, flags, 2);
    st_le(d + 14, next, 2);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    desc_at(DESC, i, addr, len, flags, next);
}

/* Publish head in the avail ring and notify queue 0. */
static void kick(uint16_t head)
{
    st_le(t.ram + AVAIL + 4 + 2 * (t.avail_idx % QSIZE), head, 2);
    t.avail_idx++;
    st_le(t.ram + AVAIL + 2, t.avail_idx, 2);
    wr(NOTIFY, 2, 0);
}

static void req_header(uint32_t type, uint64_t sector)
{
    st_le(t.ram + HDR, type, 4);
    st_le(t.ram + HDR + 4, 0, 4);
    st_le(t.ram + HDR + 8, sector, 8);
    t.ram[STATUS] = 0xee;
}

/* A three-descriptor request at descriptors 0-2: header, data, status. */
static void request(uint32_t type, uint64_t sector, uint32_t len)
{
    req_header(type, sector);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, DATA, len, VRING_DESC_F_NEXT | (type == VIRTIO_BLK_T_OUT ? 0 : VRING_DESC_F_WRITE),
         2);
    desc(2, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

static uint16_t used_idx(void)
{
    return ld_le(t.ram + USED + 2, 2);
}

static uint32_t used_len(unsigned i)
{
    return ld_le(t.ram + USED + 4 + 8 * (i % QSIZE) + 4, 4);
}

static void test_pci_ids_caps(void)
{
    PCIDevice *d;
    unsigned seen = 0, ptr, guard = 0;

    setup(false);
    d = &t.dev->proxy.pci;
    CHECK_EQ(pci_config_read(d, PCI_VENDOR_ID, 2), 0x1af4);
    CHECK_EQ(pci_config_read(d, PCI_DEVICE_ID, 2), 0x1042);
    CHECK_EQ(pci_config_read(d, PCI_REVISION_ID, 1), 1);
    CHECK_EQ(pci_config_read(d, PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
    CHECK(pci_config_read(d, PCI_SUBSYSTEM_ID, 2) >= 0x40);
    CHECK_EQ(pci_config_read(d, PCI_INTERRUPT_PIN, 1), 1);
    CHECK(pci_config_read(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    /* BAR 4 is 64-bit memory of 16 KiB */
    CHECK_EQ(pci_config_read(d, PCI_BASE_ADDRESS_0 + 16, 4) & 0xf, PCI_BASE_ADDRESS_MEM_TYPE_64);
    for (ptr = pci_config_read(d, PCI_CAPABILITY_LIST, 1); ptr; ptr = d->config[ptr + 1]) {
        unsigned type = d->config[ptr + VIRTIO_PCI_CAP_CFG_TYPE];
        uint32_t off = pci_get_long(d->config + ptr + VIRTIO_PCI_CAP_OFFSET);
        uint32_t len = pci_get_long(d->config + ptr + VIRTIO_PCI_CAP_LENGTH);

        CHECK(++guard < 48 && ptr >= 0x40 && !(ptr & 3));
        CHECK_EQ(d->config[ptr], PCI_CAP_ID_VNDR);
        CHECK_EQ(d->config[ptr + VIRTIO_PCI_CAP_BAR], VIRTIO_PCI_BAR);
        CHECK(off + len <= VIRTIO_PCI_BAR_SIZE && !(off & 3));
        CHECK(type >= 1 && type <= 4);
        seen |= 1u << type;
        switch (type) {
        case VIRTIO_PCI_CAP_COMMON_CFG:
            CHECK_EQ(off, COMMON - BAR_ADDR);
            CHECK(len >= VIRTIO_PCI_COMMON_CFG_SIZE);
            break;
        case VIRTIO_PCI_CAP_NOTIFY_CFG:
            CHECK_EQ(d->config[ptr + 2], VIRTIO_PCI_NOTIFY_CAP_SIZE);
            CHECK_EQ(pci_get_long(d->config + ptr + VIRTIO_PCI_NOTIFY_CAP_MULT), 4);
            CHECK_EQ(off, NOTIFY - BAR_ADDR);
            break;
        case VIRTIO_PCI_CAP_ISR_CFG:
            CHECK_EQ(off, ISR - BAR_ADDR);
            break;
        case VIRTIO_PCI_CAP_DEVICE_CFG:
            CHECK_EQ(off, DEVCFG - BAR_ADDR);
            break;
        }
    }
    CHECK_EQ(seen, 0x1e);
    /* device configuration: capacity, seg_max, blk_size, as 64/32-bit reads */
    CHECK_EQ(rd(DEVCFG + VIRTIO_BLK_CFG_CAPACITY, 4), IMG_SECTORS);
    CHECK_EQ(rd(DEVCFG + VIRTIO_BLK_CFG_CAPACITY + 4, 4), 0);
    CHECK_EQ(rd(DEVCFG + VIRTIO_BLK_CFG_SEG_MAX, 4), VIRTIO_BLK_QUEUE_SIZE - 2);
    CHECK_EQ(rd(DEVCFG + VIRTIO_BLK_CFG_BLK_SIZE, 4), 512);
    teardown();
}

static void test_features(void)
{
    uint64_t offered;

    setup(false);
    wr(COMMON + VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
    offered = rd(COMMON + VIRTIO_PCI_COMMON_DF, 4);
    wr(COMMON + VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
    offered |= rd(COMMON + VIRTIO_PCI_COMMON_DF, 4) << 32;
    CHECK(offered >> VIRTIO_F_VERSION_1 & 1);
    CHECK(offered >> VIRTIO_BLK_F_FLUSH & 1);
    CHECK(offered >> VIRTIO_F_RING_INDIRECT_DESC & 1);
    CHECK(!(offered >> VIRTIO_BLK_F_RO & 1));
    wr(COMMON + VIRTIO_PCI_COMMON_DFSELECT, 4, 2);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_DF, 4), 0);
    /* no VERSION_1: FEATURES_OK does not stick */
    CHECK(!(driver_init(1ull << VIRTIO_BLK_F_FLUSH) & VIRTIO_STATUS_FEATURES_OK));
    /* a bit the device never offered */
    CHECK(!(driver_init(FEAT_BASIC | 1ull << 40) & VIRTIO_STATUS_FEATURES_OK));
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    wr(COMMON + VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_GF, 4), 1);       /* VERSION_1 */
    CHECK_EQ(status(), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                       VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
    /* reset: 0 written, 0 read */
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, 0);
    CHECK_EQ(status(), 0);
    teardown();
}

static void test_queue_setup(void)
{
    setup(false);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_MSIX, 2), VIRTIO_NO_VECTOR);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2), VIRTIO_BLK_QUEUE_SIZE);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_NOFF, 2), 0);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SELECT, 2, 1);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);   /* no queue 1 */
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2), QSIZE);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_USEDLO, 4), USED);
    /* fixed while enabled */
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2, 8);
    CHECK_EQ(rd(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2), QSIZE);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    teardown();
}

static void test_rw_roundtrip(void)
{
    uint8_t buf[1024];

    setup(false);
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    /* write sectors 5-6 */
    for (unsigned i = 0; i < 1024; i++) {
        t.ram[DATA + i] = i * 7 + 3;
    }
    request(VIRTIO_BLK_T_OUT, 5, 1024);
    CHECK_EQ(used_idx(), 1);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(ld_le(t.ram + USED + 4, 4), 0);                 /* id: head 0 */
    CHECK_EQ(used_len(0), 1);
    CHECK_EQ(t.irq, 1);
    CHECK_EQ(rd(ISR, 1), VIRTIO_ISR_QUEUE);
    CHECK_EQ(t.irq, 0);                                      /* read clears */
    CHECK_EQ(rd(ISR, 1), 0);
    CHECK_EQ(blk_pread(t.blk, 5 * 512, buf, 1024), 0);
    CHECK(memcmp(buf, t.ram + DATA, 1024) == 0);
    /* read sectors 4-6 back */
    memset(t.ram + DATA, 0, 2048);
    request(VIRTIO_BLK_T_IN, 4, 1536);
    CHECK_EQ(used_idx(), 2);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(used_len(1), 1536 + 1);
    CHECK_EQ(t.ram[DATA], 4);                                /* the image's pattern */
    CHECK_EQ(t.ram[DATA + 511], 4);
    CHECK(memcmp(t.ram + DATA + 512, buf, 1024) == 0);
    /* flush: header and status only */
    req_header(VIRTIO_BLK_T_FLUSH, 0);
    desc(3, HDR, 16, VRING_DESC_F_NEXT, 4);
    desc(4, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(3);
    CHECK_EQ(used_idx(), 3);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    /* GET_ID: the serial, cut to 20 bytes */
    request(VIRTIO_BLK_T_GET_ID, 0, 20);
    CHECK_EQ(used_idx(), 4);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK(memcmp(t.ram + DATA, "tern-serial-01234567", 20) == 0);
    /* an unknown type */
    request(77, 0, 512);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_UNSUPP);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    teardown();
}

/* A request whose header, data and status are an indirect table. */
static void test_indirect(void)
{
    setup(false);
    CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_F_RING_INDIRECT_DESC) &
          VIRTIO_STATUS_FEATURES_OK);
    req_header(VIRTIO_BLK_T_IN, 9);
    desc_at(INDIRECT, 0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc_at(INDIRECT, 1, DATA, 256, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc_at(INDIRECT, 2, DATA + 256, 256, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 3);
    desc_at(INDIRECT, 3, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(7, INDIRECT, 4 * 16, VRING_DESC_F_INDIRECT, 0);
    kick(7);
    CHECK_EQ(used_idx(), 1);
    CHECK_EQ(ld_le(t.ram + USED + 4, 4), 7);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(t.ram[DATA], 9);
    CHECK_EQ(t.ram[DATA + 511], 9);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    teardown();
}

/* Linux's largest request: an indirect table of queue-size entries
 * (header, seg_max = QSIZE - 2 data segments, status). */
static void test_indirect_full(void)
{
    setup(false);
    CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_F_RING_INDIRECT_DESC) &
          VIRTIO_STATUS_FEATURES_OK);
    req_header(VIRTIO_BLK_T_IN, 3);
    desc_at(INDIRECT, 0, HDR, 16, VRING_DESC_F_NEXT, 1);
    for (unsigned i = 1; i < QSIZE - 1; i++) {
        desc_at(INDIRECT, i, DATA + 512 * (i - 1), 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE,
                i + 1);
    }
    desc_at(INDIRECT, QSIZE - 1, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(2, INDIRECT, QSIZE * 16, VRING_DESC_F_INDIRECT, 0);
    kick(2);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    CHECK_EQ(used_idx(), 1);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(used_len(0), 512 * (QSIZE - 2) + 1);
    CHECK_EQ(t.ram[DATA], 3);
    CHECK_EQ(t.ram[DATA + 512 * (QSIZE - 2) - 1], 3 + QSIZE - 3);
    teardown();
}

static void test_ioerr(void)
{
    setup(false);
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    request(VIRTIO_BLK_T_IN, IMG_SECTORS - 1, 1024);        /* one sector past the end */
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_OUT, UINT64_MAX / 256, 512);       /* sector * 512 would wrap */
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, 0, 100);                       /* not whole sectors */
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, IMG_SECTORS - 1, 512);         /* the last sector is fine */
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(used_idx(), 4);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    CHECK_EQ(blk_length(t.blk), IMG_SECTORS * 512);         /* the image did not grow */
    teardown();

    /* a read-only drive: RO offered, writes fail, reads work */
    setup(true);
    wr(COMMON + VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
    CHECK(rd(COMMON + VIRTIO_PCI_COMMON_DF, 4) >> VIRTIO_BLK_F_RO & 1);
    CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_BLK_F_RO) & VIRTIO_STATUS_FEATURES_OK);
    request(VIRTIO_BLK_T_OUT, 0, 512);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, 1, 512);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
    CHECK_EQ(t.ram[DATA], 1);
    teardown();
}

static void test_interrupt_suppression(void)
{
    setup(false);
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    st_le(t.ram + AVAIL, VRING_AVAIL_F_NO_INTERRUPT, 2);
    request(VIRTIO_BLK_T_IN, 0, 512);
    CHECK_EQ(used_idx(), 1);
    CHECK_EQ(t.irq, 0);
    st_le(t.ram + AVAIL, 0, 2);
    request(VIRTIO_BLK_T_IN, 0, 512);
    CHECK_EQ(t.irq, 1);
    teardown();

    /* EVENT_IDX: interrupt only when used idx passes used_event */
    setup(false);
    CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_F_RING_EVENT_IDX) &
          VIRTIO_STATUS_FEATURES_OK);
    request(VIRTIO_BLK_T_IN, 0, 512);                       /* the first always interrupts */
    CHECK_EQ(rd(ISR, 1), VIRTIO_ISR_QUEUE);
    CHECK_EQ(ld_le(t.ram + USED + 4 + 8 * QSIZE, 2), 1);     /* avail_event */
    st_le(t.ram + AVAIL + 4 + 2 * QSIZE, 2, 2);             /* used_event: after entry 2 */
    request(VIRTIO_BLK_T_IN, 0, 512);                       /* used idx 1 -> 2 */
    CHECK_EQ(t.irq, 0);
    request(VIRTIO_BLK_T_IN, 0, 512);                       /* 2 -> 3: passes 2 */
    CHECK_EQ(t.irq, 1);
    CHECK_EQ(used_idx(), 3);
    teardown();
}

/* ---- malformed rings ----------------------------------------------------- */

/* The device refused the ring: NEEDS_RESET, a config interrupt if the
 * driver was running (irq), nothing used; a later valid request is not
 * processed; a reset recovers. */
static void expect_broken(uint16_t used_before, bool irq)
{
    CHECK(status() & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(t.irq, irq);
    CHECK_EQ(rd(ISR, 1), irq ? VIRTIO_ISR_CONFIG : 0);
    CHECK_EQ(used_idx(), used_before);
    request(VIRTIO_BLK_T_IN, 0, 512);
    CHECK_EQ(used_idx(), used_before);
    CHECK(status() & VIRTIO_STATUS_NEEDS_RESET);
    CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_F_RING_INDIRECT_DESC) &
          VIRTIO_STATUS_FEATURES_OK);
    CHECK(!(status() & VIRTIO_STATUS_NEEDS_RESET));
    request(VIRTIO_BLK_T_IN, 0, 512);
    CHECK_EQ(used_idx(), 1);
    CHECK_EQ(t.ram[STATUS], VIRTIO_BLK_S_OK);
}

typedef void MalformFn(void);

static void bad_loop(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, DATA, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc(2, STATUS, 1, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);    /* back to 1 */
    kick(0);
}

static void bad_self_loop(void)
{
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 0);
    kick(0);
}

/* next = QSIZE: past the table, though a valid status descriptor lies
 * in RAM where entry QSIZE would be */
static void bad_next_out_of_range(void)
{
    req_header(VIRTIO_BLK_T_FLUSH, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, QSIZE);
    desc(QSIZE, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

static void bad_head_out_of_range(void)
{
    kick(QSIZE + 3);
}

/* every descriptor of the queue, then an indirect table: QSIZE + 1 */
static void bad_chain_too_long(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    for (unsigned i = 0; i < QSIZE - 1; i++) {
        desc(i, HDR, 16, VRING_DESC_F_NEXT, i + 1);
    }
    desc(QSIZE - 1, INDIRECT, 2 * 16, VRING_DESC_F_INDIRECT, 0);
    desc_at(INDIRECT, 0, DATA, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
    desc_at(INDIRECT, 1, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

/* a table of QSIZE + 1 entries, though the chain in it is short */
static void bad_indirect_too_big(void)
{
    req_header(VIRTIO_BLK_T_FLUSH, 0);
    memset(t.ram + INDIRECT, 0, (QSIZE + 1) * 16);
    desc_at(INDIRECT, 0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc_at(INDIRECT, 1, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(0, INDIRECT, (QSIZE + 1) * 16, VRING_DESC_F_INDIRECT, 0);
    kick(0);
}

static void bad_indirect_loop(void)
{
    desc_at(INDIRECT, 0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc_at(INDIRECT, 1, DATA, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
    desc(0, INDIRECT, 2 * 16, VRING_DESC_F_INDIRECT, 0);
    kick(0);
}

static void bad_indirect_nested(void)
{
    desc_at(INDIRECT, 0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc_at(INDIRECT, 1, INDIRECT + 0x100, 32, VRING_DESC_F_INDIRECT, 0);
    desc_at(INDIRECT + 0x100, 0, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(0, INDIRECT, 2 * 16, VRING_DESC_F_INDIRECT, 0);
    kick(0);
}

static void bad_indirect_len(void)
{
    desc(0, INDIRECT, 17, VRING_DESC_F_INDIRECT, 0);
    kick(0);
}

static void bad_indirect_with_next(void)
{
    desc_at(INDIRECT, 0, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(0, INDIRECT, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
    kick(0);
}

static void bad_addr_outside_ram(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, 0x80000000ull, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc(2, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

static void bad_addr_wraps(void)
{
    desc(0, UINT64_MAX - 8, 16, 0, 0);
    kick(0);
}

static void bad_huge_len(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, DATA, 0xfffffff0u, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc(2, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

/* a buffer over the device's own registers: MMIO is not RAM */
static void bad_buffer_in_mmio(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, NOTIFY, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc(2, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

static void bad_avail_jump(void)
{
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    t.avail_idx += QSIZE + 1;
    st_le(t.ram + AVAIL + 2, t.avail_idx, 2);
    wr(NOTIFY, 2, 0);
    t.avail_idx = 0;
}

static void bad_readable_after_writable(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, VRING_DESC_F_NEXT, 1);
    desc(1, STATUS, 1, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    desc(2, DATA, 512, 0, 0);
    kick(0);
}

static void bad_no_status(void)
{
    req_header(VIRTIO_BLK_T_IN, 0);
    desc(0, HDR, 16, 0, 0);
    kick(0);
}

static void bad_short_header(void)
{
    desc(0, HDR, 8, VRING_DESC_F_NEXT, 1);
    desc(1, STATUS, 1, VRING_DESC_F_WRITE, 0);
    kick(0);
}

/* a queue enabled with its used ring outside RAM */
static void bad_ring_outside_ram(void)
{
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(COMMON + VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
    wr(COMMON + VIRTIO_PCI_COMMON_GF, 4, 1);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                             VIRTIO_STATUS_FEATURES_OK);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_USEDLO, 4, RAM_SIZE - 8);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                             VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void bad_queue_size(void)
{
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, 0);
    wr(COMMON + VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                             VIRTIO_STATUS_DRIVER_OK);
    wr(COMMON + VIRTIO_PCI_COMMON_Q_SIZE, 2, 12);           /* not a power of two */
    wr(COMMON + VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
}

static void run_malformed(MalformFn *fn, bool queue_ready, bool irq)
{
    setup(false);
    if (queue_ready) {
        CHECK(driver_init(FEAT_BASIC | 1ull << VIRTIO_F_RING_INDIRECT_DESC) &
              VIRTIO_STATUS_FEATURES_OK);
        request(VIRTIO_BLK_T_IN, 0, 512);                   /* one good request first */
        CHECK_EQ(used_idx(), 1);
        rd(ISR, 1);
    }
    fn();
    expect_broken(queue_ready ? 1 : 0, irq);
    teardown();
}

#define MALFORMED(name, ready) MALFORMED_IRQ(name, ready, true)
#define MALFORMED_IRQ(name, ready, irq) \
    static void test_malformed_##name(void) { run_malformed(bad_##name, ready, irq); }
MALFORMED(loop, true)
MALFORMED(self_loop, true)
MALFORMED(next_out_of_range, true)
MALFORMED(head_out_of_range, true)
MALFORMED(chain_too_long, true)
MALFORMED(indirect_too_big, true)
MALFORMED(indirect_loop, true)
MALFORMED(indirect_nested, true)
MALFORMED(indirect_len, true)
MALFORMED(indirect_with_next, true)
MALFORMED(addr_outside_ram, true)
MALFORMED(addr_wraps, true)
MALFORMED(huge_len, true)
MALFORMED(buffer_in_mmio, true)
MALFORMED(avail_jump, true)
MALFORMED(readable_after_writable, true)
MALFORMED(no_status, true)
MALFORMED(short_header, true)
MALFORMED_IRQ(ring_outside_ram, false, false)    /* before DRIVER_OK: no interrupt */
MALFORMED(queue_size, false)

/* Indirect descriptors the driver did not negotiate are malformed too. */
static void test_malformed_indirect_not_negotiated(void)
{
    setup(false);
    CHECK(driver_init(FEAT_BASIC) & VIRTIO_STATUS_FEATURES_OK);
    desc_at(INDIRECT, 0, STATUS, 1, VRING_DESC_F_WRITE, 0);
    desc(0, INDIRECT, 16, VRING_DESC_F_INDIRECT, 0);
    kick(0);
    CHECK(status() & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(used_idx(), 0);
    teardown();
}

int main(void)
{
    RUN_TEST(test_pci_ids_caps);
    RUN_TEST(test_features);
    RUN_TEST(test_queue_setup);
    RUN_TEST(test_rw_roundtrip);
    RUN_TEST(test_indirect);
    RUN_TEST(test_indirect_full);
    RUN_TEST(test_ioerr);
    RUN_TEST(test_interrupt_suppression);
    RUN_TEST(test_malformed_loop);
    RUN_TEST(test_malformed_self_loop);
    RUN_TEST(test_malformed_next_out_of_range);
    RUN_TEST(test_malformed_head_out_of_range);
    RUN_TEST(test_malformed_chain_too_long);
    RUN_TEST(test_malformed_indirect_too_big);
    RUN_TEST(test_malformed_indirect_loop);
    RUN_TEST(test_malformed_indirect_nested);
    RUN_TEST(test_malformed_indirect_len);
    RUN_TEST(test_malformed_indirect_with_next);
    RUN_TEST(test_malformed_indirect_not_negotiated);
    RUN_TEST(test_malformed_addr_outside_ram);
    RUN_TEST(test_malformed_addr_wraps);
    RUN_TEST(test_malformed_huge_len);
    RUN_TEST(test_malformed_buffer_in_mmio);
    RUN_TEST(test_malformed_avail_jump);
    RUN_TEST(test_malformed_readable_after_writable);
    RUN_TEST(test_malformed_no_status);
    RUN_TEST(test_malformed_short_header);
    RUN_TEST(test_malformed_ring_outside_ram);
    RUN_TEST(test_malformed_queue_size);
    if (t.dev) {
        teardown();
    }
    TEST_MAIN_END();
}
