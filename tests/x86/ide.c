/*
 * ide.c: the PIIX3 IDE function (00:01.1) as Linux's ata_piix drives it:
 * its PCI header (8086:7010, class 0101, programming interface 80h,
 * IDETIM decode enabled), BAR4 sized and placed by the guest (tern has no
 * firmware), bus mastering on.  Primary channel: SRST and the ATA
 * signature, the absent slave reading status 0, IDENTIFY DEVICE, PIO
 * WRITE/READ SECTORS round trip (status and the bus-master interrupt bit
 * per block), READ/WRITE DMA through a two-entry PRD table, a PRD table
 * shorter than the transfer (error bits, the machine keeps running), and
 * an LBA past the end (IDNF).  Secondary channel: the ATAPI signature,
 * INQUIRY, READ CAPACITY and READ(10) by PIO, WRITE(10) refused.
 * The suite gives it a blank 1 MiB disk (index 0) and a blank 64 KiB CD
 * (index 2).  Native build: skipped, port I/O needs ring 0.
 */
// tern-disk: 1M if=ide,index=0
// tern-disk: 64K if=ide,index=2,media=cdrom
#include "tern.h"

#include <stdbool.h>

#define IDE_DEVFN      0x09            /* 00:01.1 */
#define BM_BASE        0xc000          /* where this test puts BAR4 */
#define PRI_CMD        0x1f0
#define PRI_CTL        0x3f6
#define SEC_CMD        0x170
#define DISK_SECTORS   2048            /* the 1 MiB image */
#define CD_SECTORS     32              /* the 64 KiB image */

#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_BSY  0x80

static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t buf2[4096] __attribute__((aligned(4096)));
static uint32_t prd[4][2] __attribute__((aligned(16)));

/* Wait for BSY to clear (bounded); the status as it then reads. */
static uint8_t wait_ready(uint16_t cmd)
{
    uint8_t st = inb(cmd + 7);

    for (int i = 0; i < 100000 && (st & ST_BSY); i++) {
        st = inb(cmd + 7);
    }
    return st;
}

static void lba28(uint16_t cmd, unsigned dev, uint32_t lba, uint8_t count)
{
    outb(cmd + 6, 0xe0 | dev << 4 | ((lba >> 24) & 0xf));
    outb(cmd + 2, count);
    outb(cmd + 3, lba);
    outb(cmd + 4, lba >> 8);
    outb(cmd + 5, lba >> 16);
}

static void test_pci(void)
{
    test_group("pci");
    CHECK_EQ_NAMED("id", pci_cfg_read(IDE_DEVFN, 0x00, 4), 0x70108086u);
    CHECK_EQ_NAMED("class", pci_cfg_read(IDE_DEVFN, 0x08, 4) >> 8, 0x010180u);
    CHECK_EQ_NAMED("header", (pci_cfg_read(IDE_DEVFN, 0x0c, 4) >> 16) & 0xff, 0x00);
    CHECK_EQ_NAMED("idetim", pci_cfg_read(IDE_DEVFN, 0x40, 4), 0x80008000u);
    pci_cfg_write(IDE_DEVFN, 0x20, 4, 0xffffffffu);
    CHECK_EQ_NAMED("bar4-size", pci_cfg_read(IDE_DEVFN, 0x20, 4), 0xfffffff1u);
    pci_cfg_write(IDE_DEVFN, 0x20, 4, BM_BASE);
    CHECK_EQ_NAMED("bar4", pci_cfg_read(IDE_DEVFN, 0x20, 4), BM_BASE | 1);
    pci_cfg_write(IDE_DEVFN, 0x04, 4, 0x0005);                     /* I/O space, bus master */
    CHECK_EQ_NAMED("bm-status", inb(BM_BASE + 2) & 0x07, 0);
}

static void test_signature(void)
{
    test_group("signature");
    outb(PRI_CTL, 0x06);                           /* SRST, nIEN */
    CHECK_EQ_NAMED("srst-busy", inb(PRI_CTL) & ST_BSY, ST_BSY);
    outb(PRI_CTL, 0x02);
    CHECK_EQ_NAMED("status", wait_ready(PRI_CMD), 0x50);
    CHECK_EQ_NAMED("diag", inb(PRI_CMD + 1), 0x01);
    CHECK_EQ_NAMED("nsect", inb(PRI_CMD + 2), 1);
    CHECK_EQ_NAMED("lbal", inb(PRI_CMD + 3), 1);
    CHECK_EQ_NAMED("lbam", inb(PRI_CMD + 4), 0);
    CHECK_EQ_NAMED("lbah", inb(PRI_CMD + 5), 0);
    outb(PRI_CMD + 6, 0xb0);                       /* the slave: absent */
    CHECK_EQ_NAMED("no-slave", inb(PRI_CMD + 7), 0);
    outb(PRI_CMD + 6, 0xa0);
    outb(PRI_CTL, 0x00);                           /* interrupts on */
}

static void test_identify(void)
{
    uint16_t w[256];
    char model[14];

    test_group("identify");
    outb(PRI_CMD + 6, 0xa0);
    outb(PRI_CMD + 7, 0xec);
    CHECK_EQ_NAMED("drq", wait_ready(PRI_CMD), 0x58);
    for (int i = 0; i < 256; i++) {
        w[i] = inw(PRI_CMD);
    }
    CHECK_EQ_NAMED("done", inb(PRI_CMD + 7), 0x50);
    for (int i = 0; i < 13; i++) {
        model[i] = i & 1 ? (char)w[27 + i / 2] : (char)(w[27 + i / 2] >> 8);
    }
    model[13] = 0;
    CHECK_NAMED("model", !memcmp(model, "TERN HARDDISK", 13));
    CHECK_EQ_NAMED("lba28", w[60] | (uint32_t)w[61] << 16, DISK_SECTORS);
    CHECK_EQ_NAMED("lba48", w[100], DISK_SECTORS);
    CHECK_NAMED("dma", w[49] & (1 << 8));
}

static void test_pio(void)
{
    bool ok = true;

    test_group("pio");
    for (int i = 0; i < 1024; i++) {
        buf[i] = (uint8_t)(i * 3 + 1);
    }
    outb(BM_BASE + 2, 0x06);
    lba28(PRI_CMD, 0, 100, 2);
    outb(PRI_CMD + 7, 0x30);                       /* WRITE SECTORS */
    for (int s = 0; s < 2; s++) {
        ok &= (wait_ready(PRI_CMD) & (ST_DRQ | ST_ERR)) == ST_DRQ;
        for (int i = 0; i < 256; i++) {
            outw(PRI_CMD, buf[s * 512 + 2 * i] | buf[s * 512 + 2 * i + 1] << 8);
        }
    }
    CHECK_NAMED("write-drq", ok);
    CHECK_EQ_NAMED("write-done", wait_ready(PRI_CMD), 0x50);
    CHECK_EQ_NAMED("intr-bit", inb(BM_BASE + 2) & 0x04, 0x04);    /* INTRQ seen */
    outb(BM_BASE + 2, 0x04);
    CHECK_EQ_NAMED("intr-clear", inb(BM_BASE + 2) & 0x04, 0);

    memset(buf2, 0, sizeof(buf2));
    lba28(PRI_CMD, 0, 100, 2);
    outb(PRI_CMD + 7, 0x20);                       /* READ SECTORS */
    for (int s = 0; s < 2; s++) {
        ok &= (wait_ready(PRI_CMD) & (ST_DRQ | ST_ERR)) == ST_DRQ;
        for (int i = 0; i < 256; i++) {
            uint16_t v = inw(PRI_CMD);

            buf2[s * 512 + 2 * i] = v;
            buf2[s * 512 + 2 * i + 1] = v >> 8;
        }
    }
    CHECK_NAMED("read-drq", ok);
    CHECK_EQ_NAMED("read-done", inb(PRI_CMD + 7), 0x50);
    CHECK_NAMED("read-data", !memcmp(buf, buf2, 1024));
}

/* Run a DMA command: PRD table prd (n entries), direction to_memory. */
static uint8_t dma_cmd(uint8_t command, uint32_t lba, uint8_t count, bool to_memory)
{
    outb(BM_BASE, to_memory ? 0x08 : 0x00);
    outb(BM_BASE + 2, 0x06);                       /* clear ERROR, INTR */
    outl(BM_BASE + 4, (uint32_t)(uintptr_t)prd);
    lba28(PRI_CMD, 0, lba, count);
    outb(PRI_CMD + 7, command);
    outb(BM_BASE, to_memory ? 0x09 : 0x01);        /* start */
    for (int i = 0; i < 100000 && !(inb(BM_BASE + 2) & 0x04); i++) {
    }
    outb(BM_BASE, to_memory ? 0x08 : 0x00);        /* stop */
    return inb(BM_BASE + 2) & 0x07;
}

static void test_dma(void)
{
    test_group("dma");
    memset(buf2, 0, sizeof(buf2));
    prd[0][0] = (uint32_t)(uintptr_t)buf2;
    prd[0][1] = 512;
    prd[1][0] = (uint32_t)(uintptr_t)buf2 + 2048;
    prd[1][1] = 512 | 0x80000000u;                 /* EOT */
    CHECK_EQ_NAMED("read-bm", dma_cmd(0xc8, 100, 2, true), 0x04);
    CHECK_EQ_NAMED("read-status", inb(PRI_CMD + 7), 0x50);
    CHECK_NAMED("read-data", !memcmp(buf2, buf, 512) && !memcmp(buf2 + 2048, buf + 512, 512));

    for (int i = 0; i < 1024; i++) {
        buf[i] = (uint8_t)(i * 5 + 7);
    }
    prd[0][0] = (uint32_t)(uintptr_t)buf;
    prd[0][1] = 1024 | 0x80000000u;
    CHECK_EQ_NAMED("write-bm", dma_cmd(0xca, 300, 2, false), 0x04);
    CHECK_EQ_NAMED("write-status", inb(PRI_CMD + 7), 0x50);
    memset(buf2, 0, sizeof(buf2));
    prd[0][0] = (uint32_t)(uintptr_t)buf2;
    CHECK_EQ_NAMED("reread-bm", dma_cmd(0xc8, 300, 2, true), 0x04);
    CHECK_NAMED("write-data", !memcmp(buf2, buf, 1024));
}

static void test_errors(void)
{
    test_group("errors");
    prd[0][0] = (uint32_t)(uintptr_t)buf2;
    prd[0][1] = 512 | 0x80000000u;                 /* one sector's worth for four */
    CHECK_EQ_NAMED("short-prd-bm", dma_cmd(0xc8, 0, 4, true), 0x06);
    CHECK_EQ_NAMED("short-prd-status", inb(PRI_CMD + 7), 0x41);
    CHECK_EQ_NAMED("short-prd-error", inb(PRI_CMD + 1), 0x04);
    lba28(PRI_CMD, 0, DISK_SECTORS - 1, 2);
    outb(PRI_CMD + 7, 0x20);
    CHECK_EQ_NAMED("idnf-status", wait_ready(PRI_CMD), 0x41);
    CHECK_EQ_NAMED("idnf", inb(PRI_CMD + 1), 0x10);
    outb(PRI_CMD + 6, 0xa0);
    outb(PRI_CMD + 7, 0xe7);                       /* FLUSH CACHE */
    CHECK_EQ_NAMED("flush", wait_ready(PRI_CMD), 0x50);
}

/* Send a packet to the secondary master; returns the bytes read into buf. */
static unsigned atapi(const uint8_t *pkt, uint16_t limit)
{
    unsigned n = 0;

    outb(SEC_CMD + 6, 0xa0);
    outb(SEC_CMD + 1, 0);
    outb(SEC_CMD + 4, limit);
    outb(SEC_CMD + 5, limit >> 8);
    outb(SEC_CMD + 7, 0xa0);
    wait_ready(SEC_CMD);
    for (int i = 0; i < 12; i += 2) {
        outw(SEC_CMD, pkt[i] | pkt[i + 1] << 8);
    }
    while ((wait_ready(SEC_CMD) & ST_DRQ) && n < sizeof(buf)) {
        unsigned len = inb(SEC_CMD + 4) | inb(SEC_CMD + 5) << 8;

        for (unsigned i = 0; i < len && n + 1 < sizeof(buf); i += 2) {
            uint16_t v = inw(SEC_CMD);

            buf[n++] = v;
            buf[n++] = v >> 8;
        }
    }
    return n;
}

static void test_atapi(void)
{
    static const uint8_t inquiry[12] = { 0x12, 0, 0, 0, 36 };
    static const uint8_t capacity[12] = { 0x25 };
    static const uint8_t read10[12] = { 0x28, 0, 0, 0, 0, 5, 0, 0, 1 };
    static const uint8_t write10[12] = { 0x2a, 0, 0, 0, 0, 5, 0, 0, 1 };

    test_group("atapi");
    outb(SEC_CMD + 6, 0xa0);
    CHECK_EQ_NAMED("sig-lbam", inb(SEC_CMD + 4), 0x14);
    CHECK_EQ_NAMED("sig-lbah", inb(SEC_CMD + 5), 0xeb);
    CHECK_EQ_NAMED("inquiry-len", atapi(inquiry, 0xfffe), 36);
    CHECK_EQ_NAMED("inquiry-type", buf[0], 0x05);
    CHECK_NAMED("inquiry-product", !memcmp(buf + 16, "TERN DVD-ROM", 12));
    CHECK_EQ_NAMED("inquiry-reason", inb(SEC_CMD + 2), 0x03);
    CHECK_EQ_NAMED("capacity-len", atapi(capacity, 0xfffe), 8);
    CHECK_EQ_NAMED("capacity-last", buf[3], CD_SECTORS - 1);
    CHECK_EQ_NAMED("capacity-block", buf[6], 0x08);
    memset(buf, 0xff, sizeof(buf));
    CHECK_EQ_NAMED("read-len", atapi(read10, 512), 2048);   /* in 512-byte chunks */
    CHECK_EQ_NAMED("read-data", buf[0] | buf[2047], 0);
    CHECK_EQ_NAMED("read-status", inb(SEC_CMD + 7), 0x50);
    CHECK_EQ_NAMED("write-len", atapi(write10, 0xfffe), 0);
    CHECK_EQ_NAMED("write-status", inb(SEC_CMD + 7), 0x51);
    CHECK_EQ_NAMED("write-sense", inb(SEC_CMD + 1) >> 4, 0x07);   /* DATA PROTECT */
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_pci();
    test_signature();
    test_identify();
    test_pio();
    test_dma();
    test_errors();
    test_atapi();
    test_done();
}
