/*
 * test-ide.c: an IDE channel (hw/ide/) through its registers, as a
 * driver programs it: signatures, an absent slave, IDENTIFY, PIO
 * read/write round trips (single and multiple), bus-master DMA with a
 * PRD table in a test RAM, bad PRD tables, LBAs past the end (IDNF),
 * block errors (UNC/ABRT), flush, nIEN and SRST, unknown commands, and
 * the ATAPI CD-ROM (INQUIRY, READ(10) by PIO and DMA, no-disc sense,
 * DATA PROTECT).  The block layer is a fake in memory here, so that
 * failures can be injected.
 */
#include "util/osdep.h"
#include "util/bytes.h"
#include "exec/memory.h"
#include "hw/ide/internal.h"
#include "test.h"
#include "test-ram.h"

TEST_GLOBALS;

/* ---- a fake block layer ---------------------------------------------------- */

struct BlockBackend {
    uint8_t *data;
    uint64_t len;
    bool fail_read, fail_write, fail_flush;
    int flushes, reads, writes;
};

uint64_t blk_length(const BlockBackend *blk)
{
    return blk->len;
}

int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t len)
{
    if (offset + len > blk->len) {
        return -EINVAL;
    }
    blk->reads++;
    if (blk->fail_read) {
        return -EIO;
    }
    memcpy(buf, blk->data + offset, len);
    return 0;
}

int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf, size_t len)
{
    if (offset + len > blk->len) {
        return -EINVAL;
    }
    blk->writes++;
    if (blk->fail_write) {
        return -EIO;
    }
    memcpy(blk->data + offset, buf, len);
    return 0;
}

int blk_flush(BlockBackend *blk)
{
    blk->flushes++;
    return blk->fail_flush ? -EIO : 0;
}

/* ---- the channel under test ------------------------------------------------- */

#define RAM_SIZE     0x40000
#define DISK_SECTORS 64
#define CD_SECTORS   10
#define PRD          0x1000     /* where the tests put PRD tables */
#define BUF          0x20000    /* DMA buffers */

static uint8_t ram[RAM_SIZE];
static struct test_ram tram;
static AddressSpace *as;
static uint8_t disk_data[DISK_SECTORS * IDE_SECTOR_SIZE];
static uint8_t cd_data[CD_SECTORS * ATAPI_SECTOR_SIZE];
static BlockBackend disk, cd;
static IDEBus bus;
static IRQLine irq;
static int irq_level, irq_raises;

static void irq_handler(void *opaque, int n, int level)
{
    if (level && !irq_level) {
        irq_raises++;
    }
    irq_level = level;
}

/* A channel with the disk as master and, with cdrom, a CD as slave. */
static void setup(bool with_cd, bool cd_disc)
{
    memset(ram, 0, sizeof(ram));
    for (unsigned i = 0; i < sizeof(disk_data); i++) {
        disk_data[i] = (uint8_t)(i * 7 + i / IDE_SECTOR_SIZE);
    }
    for (unsigned i = 0; i < sizeof(cd_data); i++) {
        cd_data[i] = (uint8_t)(i * 13 + i / ATAPI_SECTOR_SIZE);
    }
    disk = (BlockBackend){ .data = disk_data, .len = sizeof(disk_data) };
    cd = (BlockBackend){ .data = cd_data, .len = sizeof(cd_data) };
    irq_level = irq_raises = 0;
    irq_line_init(&irq, irq_handler, NULL, 0);
    ide_bus_init(&bus, "ide0", &irq, as);
    assert(ide_bus_attach(&bus, 0, IDE_DISK, &disk, NULL) == 0);
    if (with_cd) {
        assert(ide_bus_attach(&bus, 1, IDE_CDROM, cd_disc ? &cd : NULL, NULL) == 0);
    }
}

static void teardown(void)
{
    ide_bus_destroy(&bus);
}

static uint8_t rd(unsigned reg)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&bus.cmd_io, reg, &v, 1);
    return v;
}

static void wr(unsigned reg, uint8_t v)
{
    memory_region_dispatch_write(&bus.cmd_io, reg, v, 1);
}

static uint8_t alt_status(void)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&bus.ctl_io, 0, &v, 1);
    return v;
}

static void devctl(uint8_t v)
{
    memory_region_dispatch_write(&bus.ctl_io, 0, v, 1);
}

static uint16_t data16(void)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&bus.cmd_io, 0, &v, 2);
    return v;
}

static void data16_write(uint16_t v)
{
    memory_region_dispatch_write(&bus.cmd_io, 0, v, 2);
}

static uint8_t bm_read(unsigned reg)
{
    uint64_t v = 0;

    memory_region_dispatch_read(&bus.bm_io, reg, &v, 1);
    return v;
}

static void bm_write(unsigned reg, uint64_t v, unsigned size)
{
    memory_region_dispatch_write(&bus.bm_io, reg, v, size);
}

/* Task file for an LBA28 command on device dev. */
static void lba28(unsigned dev, uint32_t lba, uint8_t count)
{
    wr(6, 0xe0 | dev << 4 | ((lba >> 24) & 0xf));
    wr(2, count);
    wr(3, lba);
    wr(4, lba >> 8);
    wr(5, lba >> 16);
}

static void read_words(uint16_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        w[i] = data16();
    }
}

static void prd(unsigned i, uint32_t addr, uint32_t count, bool eot)
{
    uint8_t *e = ram + PRD + 8 * i;

    e[0] = addr;
    e[1] = addr >> 8;
    e[2] = addr >> 16;
    e[3] = addr >> 24;
    e[4] = count;
    e[5] = count >> 8;
    e[6] = 0;
    e[7] = eot ? 0x80 : 0;
}

/* ---- ATA -------------------------------------------------------------------- */

static void test_signature_and_absent_slave(void)
{
    setup(false, false);
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(rd(1), 0x01);                  /* diagnostic: passed */
    CHECK_EQ(rd(2), 1);
    CHECK_EQ(rd(3), 1);
    CHECK_EQ(rd(4), 0);
    CHECK_EQ(rd(5), 0);
    wr(6, 0xb0);                            /* the slave: not there */
    CHECK_EQ(rd(7), 0);
    CHECK_EQ(alt_status(), 0);
    wr(7, 0xec);                            /* no one answers */
    CHECK_EQ(rd(7), 0);
    CHECK_EQ(irq_raises, 0);
    teardown();
}

static void test_identify(void)
{
    uint16_t w[256];
    char model[9];

    setup(false, false);
    wr(6, 0xa0);
    wr(7, 0xec);
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(alt_status(), 0x58);           /* DRDY DSC DRQ */
    CHECK_EQ(irq_level, 1);                 /* the alternate status leaves it */
    CHECK_EQ(rd(7), 0x58);
    CHECK_EQ(irq_level, 0);                 /* the status register clears it */
    read_words(w, 256);
    CHECK_EQ(rd(7), 0x50);
    for (int i = 0; i < 4; i++) {
        model[2 * i] = w[27 + i] >> 8;
        model[2 * i + 1] = w[27 + i];
    }
    model[8] = 0;
    CHECK(!strcmp(model, "TERN HAR"));
    CHECK_EQ(w[60] | (uint32_t)w[61] << 16, DISK_SECTORS);
    CHECK_EQ(w[100], DISK_SECTORS);
    CHECK(w[83] & (1 << 10));               /* LBA48 */
    CHECK(w[83] & (1 << 12));               /* FLUSH CACHE */
    CHECK(w[49] & (1 << 8));                /* DMA */
    CHECK_EQ(w[63] & 7, 7);                 /* MWDMA 0-2 */
    CHECK_EQ(w[88] & 0x3f, 0x3f);           /* UDMA 0-5 */
    CHECK(w[85] & (1 << 5));                /* write cache on */
    teardown();
}

static void test_pio_write_read(void)
{
    uint16_t w[2 * 256];

    setup(false, false);
    lba28(0, 5, 2);
    wr(7, 0x30);                            /* WRITE SECTORS */
    CHECK_EQ(irq_raises, 0);                /* none before the first block */
    CHECK_EQ(rd(7), 0x58);
    for (int i = 0; i < 256; i++) {
        data16_write(0x1234 + i);
    }
    CHECK_EQ(irq_raises, 1);                /* the next block wanted */
    CHECK_EQ(rd(7), 0x58);
    for (int i = 0; i < 256; i++) {
        data16_write(0xab00 + i);
    }
    CHECK_EQ(irq_raises, 2);
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(disk_data[5 * 512], 0x34);
    CHECK_EQ(disk_data[5 * 512 + 1], 0x12);
    CHECK_EQ(disk_data[6 * 512 + 2], 0x01);
    CHECK_EQ(disk_data[6 * 512 + 3], 0xab);

    lba28(0, 5, 2);
    wr(7, 0x20);                            /* READ SECTORS */
    CHECK_EQ(irq_raises, 3);
    CHECK_EQ(rd(7), 0x58);                  /* the driver acknowledges each block */
    read_words(w, 256);
    CHECK_EQ(irq_raises, 4);
    read_words(w + 256, 256);
    CHECK_EQ(irq_raises, 4);                /* none after the last block */
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(w[0], 0x1234);
    CHECK_EQ(w[255], 0x1234 + 255);
    CHECK_EQ(w[256], 0xab00);
    teardown();
}

static void test_pio_multiple_lba48(void)
{
    uint64_t v = 0;

    setup(false, false);
    wr(6, 0xa0);
    wr(2, 4);
    wr(7, 0xc6);                            /* SET MULTIPLE MODE 4 */
    CHECK_EQ(rd(7), 0x50);
    /* READ MULTIPLE EXT: 8 sectors at LBA 16, two 4-sector blocks */
    wr(6, 0x40);
    wr(2, 0);
    wr(2, 8);
    wr(3, 0);
    wr(3, 16);
    wr(4, 0);
    wr(4, 0);
    wr(5, 0);
    wr(5, 0);
    devctl(0x80);                           /* HOB: the previous bytes */
    CHECK_EQ(rd(2), 0);
    devctl(0x00);
    irq_raises = 0;
    wr(7, 0x29);
    CHECK_EQ(irq_raises, 1);
    CHECK_EQ(rd(7), 0x58);
    memory_region_dispatch_read(&bus.cmd_io, 0, &v, 4);    /* a dword access */
    CHECK_EQ(v, ld_le(disk_data + 16 * 512, 4));
    for (int i = 4; i < 4 * 512; i += 2) {
        data16();
    }
    CHECK_EQ(irq_raises, 2);                /* the second block */
    CHECK_EQ(data16(), ld_le(disk_data + 20 * 512, 2));
    teardown();
}

/* Each taskfile write moves the register's old value to its HOB byte
 * (LBA48's high-order half): HOB set reads those back, clear the new
 * ones (the features register reads as the error register). */
static void test_hob_readback(void)
{
    setup(false, false);
    wr(6, 0x40);
    for (unsigned reg = 1; reg <= 5; reg++) {
        wr(reg, 0x10 + reg);                /* becomes the HOB byte */
        wr(reg, 0x20 + reg);
    }
    devctl(0x80);
    for (unsigned reg = 1; reg <= 5; reg++) {
        CHECK_EQ(rd(reg), 0x10 + reg);
    }
    devctl(0x00);
    for (unsigned reg = 2; reg <= 5; reg++) {
        CHECK_EQ(rd(reg), 0x20 + reg);
    }
    CHECK_EQ(rd(1), 1);                     /* error: the reset's diagnostic code 01h */
    teardown();
}

static void test_lba_past_end_idnf(void)
{
    setup(false, false);
    lba28(0, DISK_SECTORS - 1, 2);
    wr(7, 0x20);
    CHECK_EQ(rd(7), 0x41);                  /* DRDY ERR */
    CHECK_EQ(rd(1), 0x10);                  /* IDNF */
    CHECK_EQ(irq_raises, 1);
    lba28(0, DISK_SECTORS - 1, 1);          /* the last sector is fine */
    wr(7, 0x40);                            /* READ VERIFY */
    CHECK_EQ(rd(7), 0x50);
    lba28(0, 0x0fffffff, 1);
    wr(7, 0xc8);                            /* READ DMA */
    CHECK_EQ(rd(1), 0x10);
    teardown();
}

static void test_block_errors(void)
{
    setup(false, false);
    disk.fail_read = true;
    lba28(0, 9, 1);
    wr(7, 0x20);
    CHECK_EQ(rd(7), 0x41);
    CHECK_EQ(rd(1), 0x40);                  /* UNC */
    CHECK_EQ(rd(3), 9);                     /* the failing sector */
    disk.fail_read = false;
    disk.fail_write = true;
    lba28(0, 9, 1);
    wr(7, 0x30);
    for (int i = 0; i < 256; i++) {
        data16_write(0);
    }
    CHECK_EQ(rd(7), 0x41);
    CHECK_EQ(rd(1), 0x04);                  /* ABRT */
    teardown();
}

static void test_flush_and_features(void)
{
    setup(false, false);
    wr(6, 0xa0);
    wr(7, 0xe7);                            /* FLUSH CACHE */
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(disk.flushes, 1);
    wr(7, 0xea);                            /* FLUSH CACHE EXT */
    CHECK_EQ(disk.flushes, 2);
    disk.fail_flush = true;
    wr(7, 0xe7);
    CHECK_EQ(rd(7), 0x41);
    CHECK_EQ(rd(1), 0x04);
    disk.fail_flush = false;
    wr(1, 0x82);                            /* write cache off: each write flushes */
    wr(7, 0xef);
    CHECK_EQ(rd(7), 0x50);
    lba28(0, 1, 1);
    wr(7, 0x30);
    for (int i = 0; i < 256; i++) {
        data16_write(0);
    }
    CHECK_EQ(disk.flushes, 4);
    wr(1, 0x03);                            /* transfer mode: UDMA 6 does not exist */
    wr(2, 0x46);
    wr(7, 0xef);
    CHECK_EQ(rd(7), 0x41);
    wr(1, 0x03);
    wr(2, 0x22);                            /* MWDMA 2 */
    wr(7, 0xef);
    CHECK_EQ(rd(7), 0x50);
    wr(7, 0xe5);                            /* CHECK POWER MODE */
    CHECK_EQ(rd(2), 0xff);
    wr(7, 0xf8);                            /* READ NATIVE MAX ADDRESS (LBA bit set) */
    CHECK_EQ(rd(3), DISK_SECTORS - 1);
    wr(7, 0x00);                            /* NOP: always aborted */
    CHECK_EQ(rd(7), 0x41);
    CHECK_EQ(rd(1), 0x04);
    wr(7, 0xa0);                            /* PACKET to a disk */
    CHECK_EQ(rd(1), 0x04);
    teardown();
}

static void test_nien_and_srst(void)
{
    setup(false, false);
    devctl(0x02);                           /* nIEN */
    wr(6, 0xa0);
    wr(7, 0xe7);
    CHECK_EQ(irq_level, 0);
    devctl(0x00);
    CHECK_EQ(irq_level, 1);                 /* still pending: the line follows */
    rd(7);
    CHECK_EQ(irq_level, 0);
    lba28(0, 0, 1);
    wr(7, 0x20);
    CHECK_EQ(alt_status() & 0x08, 0x08);
    devctl(0x04);                           /* SRST */
    CHECK_EQ(alt_status(), 0x80);
    devctl(0x00);
    CHECK_EQ(alt_status(), 0x50);           /* DRQ gone, signature back */
    CHECK_EQ(rd(2), 1);
    CHECK_EQ(rd(3), 1);
    CHECK_EQ(data16(), 0);                  /* no window open */
    teardown();
}

/* ---- bus-master DMA ----------------------------------------------------------- */

static void test_dma_read_write(void)
{
    setup(false, false);
    /* READ DMA of 8 sectors into two buffers: 1 KiB, then 3 KiB */
    prd(0, BUF, 1024, false);
    prd(1, BUF + 0x4000, 3072, true);
    bm_write(4, PRD, 4);
    CHECK_EQ(bm_read(4) | bm_read(5) << 8, PRD);
    bm_write(0, 0x08, 1);                   /* direction: to memory */
    lba28(0, 3, 8);
    wr(7, 0xc8);
    CHECK_EQ(irq_raises, 0);                /* waits for the engine */
    bm_write(0, 0x09, 1);                   /* start */
    CHECK_EQ(irq_raises, 1);
    CHECK_EQ(bm_read(2), 0x04);             /* INTR, not active, no error */
    CHECK_EQ(rd(7), 0x50);
    CHECK(!memcmp(ram + BUF, disk_data + 3 * 512, 1024));
    CHECK(!memcmp(ram + BUF + 0x4000, disk_data + 3 * 512 + 1024, 3072));
    bm_write(0, 0x08, 1);                   /* stop */
    bm_write(2, 0x04, 1);                   /* INTR: write 1 to clear */
    CHECK_EQ(bm_read(2), 0x00);

    /* WRITE DMA: the engine started first, then the command */
    memset(ram + BUF, 0x5a, 512);
    prd(0, BUF, 512, true);
    bm_write(0, 0x01, 1);
    CHECK_EQ(bm_read(2), 0x01);             /* active */
    lba28(0, 40, 1);
    wr(7, 0xca);
    CHECK_EQ(bm_read(2), 0x04);
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(disk_data[40 * 512], 0x5a);
    CHECK_EQ(disk_data[40 * 512 + 511], 0x5a);
    teardown();
}

static void test_dma_bad_prd(void)
{
    setup(false, false);
    /* a table that ends (EOT) before the transfer does */
    prd(0, BUF, 512, true);
    bm_write(4, PRD, 4);
    lba28(0, 0, 8);
    wr(7, 0xc8);
    bm_write(0, 0x09, 1);
    CHECK_EQ(bm_read(2), 0x06);             /* ERROR, INTR, not active */
    CHECK_EQ(rd(7), 0x41);
    CHECK_EQ(rd(1), 0x04);
    CHECK_EQ(irq_raises, 1);
    bm_write(0, 0x08, 1);
    bm_write(2, 0x06, 1);

    /* a table that never ends: 2-byte entries without EOT, past IDE_PRD_MAX */
    for (unsigned i = 0; i < IDE_PRD_MAX + 16; i++) {
        prd(i, BUF, 2, false);
    }
    lba28(0, 0, 64);                        /* 32 KiB: more than the table's 16 KiB + */
    wr(7, 0xc8);
    bm_write(0, 0x09, 1);
    CHECK_EQ(bm_read(2), 0x06);
    CHECK_EQ(rd(7), 0x41);
    bm_write(0, 0x08, 1);
    bm_write(2, 0x06, 1);

    /* a table outside RAM */
    bm_write(4, 0xfff00000u, 4);
    lba28(0, 0, 1);
    wr(7, 0xc8);
    bm_write(0, 0x09, 1);
    CHECK_EQ(bm_read(2), 0x06);
    bm_write(0, 0x08, 1);
    bm_write(2, 0x06, 1);

    /* the direction does not match the command */
    bm_write(4, PRD, 4);
    prd(0, BUF, 512, true);
    lba28(0, 0, 1);
    wr(7, 0xc8);                            /* a read, with the engine reading memory */
    bm_write(0, 0x01, 1);
    CHECK_EQ(bm_read(2), 0x06);
    CHECK_EQ(rd(7), 0x41);
    teardown();
}

/* ---- ATAPI ---------------------------------------------------------------------- */

/* Send a 12-byte packet to the CD (slave), PIO, byte count limit limit. */
static void packet(const uint8_t *pkt, uint16_t limit, bool dma)
{
    wr(6, 0xb0);
    wr(1, dma ? 1 : 0);
    wr(4, limit);
    wr(5, limit >> 8);
    wr(7, 0xa0);
    for (int i = 0; i < 12; i += 2) {
        data16_write(pkt[i] | pkt[i + 1] << 8);
    }
}

static void test_atapi_identify_inquiry(void)
{
    static const uint8_t inquiry[12] = { 0x12, 0, 0, 0, 36, 0 };
    uint16_t w[256];
    uint8_t b[36];

    setup(true, true);
    wr(6, 0xb0);
    CHECK_EQ(rd(4), 0x14);                  /* the ATAPI signature */
    CHECK_EQ(rd(5), 0xeb);
    wr(7, 0xec);                            /* IDENTIFY DEVICE: aborted, signature kept */
    CHECK_EQ(rd(7) & 0x01, 0x01);
    CHECK_EQ(rd(4), 0x14);
    wr(7, 0xa1);                            /* IDENTIFY PACKET DEVICE */
    CHECK_EQ(rd(7), 0x58);
    read_words(w, 256);
    CHECK_EQ(w[0] >> 14, 2);                /* ATAPI */
    CHECK_EQ((w[0] >> 8) & 0x1f, 5);        /* CD-ROM */
    irq_raises = 0;
    packet(inquiry, 0xfffe, false);
    CHECK_EQ(irq_raises, 1);
    CHECK_EQ(rd(2), 0x02);                  /* data to the host */
    CHECK_EQ(rd(4) | rd(5) << 8, 36);
    for (int i = 0; i < 36; i += 2) {
        uint16_t v = data16();

        b[i] = v;
        b[i + 1] = v >> 8;
    }
    CHECK_EQ(rd(2), 0x03);                  /* command done */
    CHECK_EQ(rd(7), 0x50);
    CHECK_EQ(b[0], 0x05);
    CHECK(!memcmp(b + 16, "TERN DVD-ROM", 12));
    teardown();
}

static void test_atapi_read(void)
{
    static const uint8_t read10[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 2 };   /* LBA 3, 2 sectors */
    static const uint8_t past_end[12] = { 0x28, 0, 0, 0, 0, 9, 0, 0, 2 };
    uint8_t got[2 * ATAPI_SECTOR_SIZE];
    unsigned chunks = 0, n = 0;

    setup(true, true);
    packet(read10, 1000, false);            /* chunks of at most 1000 bytes */
    while (rd(7) & 0x08) {
        unsigned len = rd(4) | rd(5) << 8;

        CHECK(len <= 1000 && len > 0);
        for (unsigned i = 0; i < len; i += 2) {
            uint16_t v = data16();

            got[n++] = v;
            got[n++] = v >> 8;
        }
        chunks++;
    }
    CHECK_EQ(n, sizeof(got));
    CHECK(chunks >= 5);
    CHECK(!memcmp(got, cd_data + 3 * ATAPI_SECTOR_SIZE, sizeof(got)));
    CHECK_EQ(rd(2), 0x03);

    /* the same by DMA */
    prd(0, BUF, 0, true);                   /* 0: 64 KiB */
    bm_write(4, PRD, 4);
    bm_write(0, 0x08, 1);
    packet(read10, 0, true);
    bm_write(0, 0x09, 1);
    CHECK_EQ(bm_read(2), 0x04);
    CHECK_EQ(rd(7), 0x50);
    CHECK(!memcmp(ram + BUF, cd_data + 3 * ATAPI_SECTOR_SIZE, sizeof(got)));
    bm_write(0, 0x08, 1);

    packet(past_end, 0xfffe, false);
    CHECK_EQ(rd(7), 0x51);
    CHECK_EQ(rd(1) >> 4, 0x05);             /* ILLEGAL REQUEST */
    teardown();
}

static void test_atapi_no_disc_and_write(void)
{
    static const uint8_t tur[12] = { 0x00 };
    static const uint8_t sense[12] = { 0x03, 0, 0, 0, 18 };
    static const uint8_t write10[12] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1 };
    uint8_t b[18];

    setup(true, false);
    packet(tur, 0xfffe, false);
    CHECK_EQ(rd(7), 0x51);
    CHECK_EQ(rd(1) >> 4, 0x02);             /* NOT READY */
    packet(sense, 0xfffe, false);
    for (int i = 0; i < 18; i += 2) {
        uint16_t v = data16();

        b[i] = v;
        b[i + 1] = v >> 8;
    }
    CHECK_EQ(b[2], 0x02);
    CHECK_EQ(b[12], 0x3a);                  /* MEDIUM NOT PRESENT */
    teardown();

    setup(true, true);
    packet(write10, 0xfffe, false);
    CHECK_EQ(rd(1) >> 4, 0x07);             /* DATA PROTECT */
    packet(tur, 0xfffe, false);
    CHECK_EQ(rd(7), 0x50);
    teardown();
}

/* Random register traffic on both devices and the engine, with random
 * PRD tables in RAM: nothing may crash, hang or touch memory out of
 * bounds (the sanitizer build checks the latter), and the channel must
 * still work afterwards. */
static void test_random_guest(void)
{
    static const uint8_t cmds[] = { 0x20, 0x24, 0x25, 0x29, 0x30, 0x35, 0x39, 0xa0, 0xa1, 0xc4,
                                    0xc5, 0xc6, 0xc8, 0xca, 0xec, 0xef, 0x08, 0x90, 0x91, 0xe7 };
    uint64_t seed = 0x1de5eed;
    uint16_t w[256];

    setup(true, true);
    for (unsigned i = 0; i < PRD + 0x1000; i += 8) {
        uint64_t r = xorshift64s(&seed);

        prd(i / 8, (uint32_t)r & (RAM_SIZE * 2 - 1), (r >> 32) & 0xffff, (r >> 48) % 4 == 0);
    }
    for (int i = 0; i < 200000; i++) {
        uint64_t r = xorshift64s(&seed);
        unsigned reg = r % 8;
        uint64_t v = 0;

        switch ((r >> 8) % 8) {
        case 0:
            wr(7, cmds[(r >> 16) % sizeof(cmds)]);
            break;
        case 1:
            wr(reg ? reg : 2, r >> 16);
            break;
        case 2:
            devctl((r >> 16) & 0x86);
            break;
        case 3:
            bm_write((r >> 16) % 8, r >> 24, 1);
            break;
        case 4:
        case 5:
            for (int j = 0; j < 64; j++) {
                memory_region_dispatch_write(&bus.cmd_io, 0, r >> (j % 32), 1 << ((r >> 40) % 3));
            }
            break;
        case 6: {                           /* a packet, mostly READs of the CD */
            static const uint8_t ops[] = { 0x28, 0xa8, 0x12, 0x03, 0x43, 0x46, 0x4a, 0x5a, 0x25 };
            uint8_t pkt[12] = { ops[(r >> 16) % sizeof(ops)], 0, 0, 0, 0, (r >> 24) % 12, 0xff,
                                0, (r >> 32) % 4, (r >> 36) & 0xff, 0, 0 };

            pkt[1] = (r >> 44) & 3;
            packet(pkt, r >> 48, (r >> 47) & 1);
            break;
        }
        default:
            memory_region_dispatch_read(&bus.cmd_io, reg, &v, 1 << ((r >> 40) % 3));
            break;
        }
    }
    CHECK(disk.reads > 0 && disk.writes > 0 && cd.reads > 0);  /* it reached the data paths */
    devctl(0x04);
    devctl(0x00);
    bm_write(0, 0, 1);
    wr(6, 0xa0);
    wr(7, 0xec);
    CHECK_EQ(rd(7), 0x58);
    read_words(w, 256);
    CHECK_EQ(w[60], DISK_SECTORS);
    teardown();
}

int main(void)
{
    as = test_ram_init(&tram, ram, sizeof(ram), "ide-test");
    RUN_TEST(test_signature_and_absent_slave);
    RUN_TEST(test_identify);
    RUN_TEST(test_pio_write_read);
    RUN_TEST(test_pio_multiple_lba48);
    RUN_TEST(test_hob_readback);
    RUN_TEST(test_lba_past_end_idnf);
    RUN_TEST(test_block_errors);
    RUN_TEST(test_flush_and_features);
    RUN_TEST(test_nien_and_srst);
    RUN_TEST(test_dma_read_write);
    RUN_TEST(test_dma_bad_prd);
    RUN_TEST(test_atapi_identify_inquiry);
    RUN_TEST(test_atapi_read);
    RUN_TEST(test_atapi_no_disc_and_write);
    RUN_TEST(test_random_guest);
    TEST_MAIN_END();
}
