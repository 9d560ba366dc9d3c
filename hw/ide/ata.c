/*
 * ata.c: an IDE channel's registers and its ATA devices (ATA8-ACS; the
 * register protocol of ATA8-APT).
 *
 * Command block (offset: read / write):
 *   0 data (16 or 32 bits)   1 error / features   2 sector count
 *   3 LBA low   4 LBA mid   5 LBA high   6 device   7 status / command
 * Control block: alternate status (read, no side effect) / device control
 * (nIEN, SRST, HOB).
 *
 * Writes of registers 1-6 reach both devices (the cable is shared);
 * reads come from the selected one.  An absent device reads status 0
 * (Linux's classification then finds nothing there) and takes no
 * commands; a channel with no device reads 0 everywhere.  The LBA48
 * registers keep their previous byte (HOB), read back with HOB set.
 *
 * PIO: a command opens a DRQ window on the device's buffer; data port
 * accesses move bytes through it and, when it drains, its end_fn loads
 * the next block or finishes.  A read raises INTRQ as each block is
 * ready; a write raises it after each block was written (none before the
 * first).  DMA commands leave DRQ set and wait for the bus-master engine
 * (bmdma.c); the transfer and the completion interrupt happen when both
 * the command and the engine's start bit are there.
 */
#include "util/osdep.h"
#include "util/bytes.h"
#include "util/log.h"
#include "hw/ide/internal.h"

#define ATA_GEOM_HEADS    16
#define ATA_GEOM_SECTORS  63
#define ATA_LBA28_MAX     0x0fffffffull
#define ATA_LBA48_MAX     0xffffffffffffull
#define ATA_MODEL_DISK    "TERN HARDDISK"
#define ATA_FIRMWARE      "1.0"

/* SET FEATURES 03h: mode classes in the sector count's bits 7:3 */
#define XFER_PIO_DEFAULT  0x00
#define XFER_PIO_FLOW     0x08
#define XFER_MWDMA        0x20
#define XFER_UDMA         0x40

static IDEDevice *ide_selected(IDEBus *bus)
{
    return &bus->devs[bus->unit];
}

static bool ide_bus_empty(const IDEBus *bus)
{
    return bus->devs[0].kind == IDE_NONE && bus->devs[1].kind == IDE_NONE;
}

/* ---- interrupts ------------------------------------------------------- */

/* Drive the line on changes only: IRQ 14/15 are edge triggered at the 8259. */
static void ide_update_irq(IDEBus *bus)
{
    bool level = bus->irq_pending && !(bus->devctl & ATA_CTL_NIEN);

    if (level != bus->irq_level) {
        bus->irq_level = level;
        irq_line_set(bus->irq, level);
    }
}

void ide_raise_irq(IDEBus *bus)
{
    bus->irq_pending = true;
    bus->bm.status |= BM_STATUS_INTR;      /* the PIIX latches the device's INTRQ */
    ide_update_irq(bus);
}

static void ide_clear_irq(IDEBus *bus)
{
    if (bus->irq_pending) {
        bus->irq_pending = false;
        ide_update_irq(bus);
    }
}

/* ---- PIO windows ------------------------------------------------------- */

void ide_transfer_start(IDEDevice *d, uint32_t pos, uint32_t len, void (*end_fn)(IDEDevice *d))
{
    assert(pos <= IDE_BUF_SIZE && len <= IDE_BUF_SIZE - pos);
    d->pos = pos;
    d->end = pos + len;
    d->end_fn = end_fn;
    d->status |= ATA_STAT_DRQ;
}

void ide_transfer_stop(IDEDevice *d)
{
    d->pos = d->end = 0;
    d->end_fn = NULL;
    d->status &= ~ATA_STAT_DRQ;
}

/* The window drained: its owner goes on (or the command is over). */
static void ide_transfer_drained(IDEDevice *d)
{
    void (*fn)(IDEDevice *d) = d->end_fn;

    ide_transfer_stop(d);
    if (fn) {
        fn(d);
    }
}

/* Move size bytes between the window and *val (little endian). */
static void ide_data_access(IDEBus *bus, uint64_t *val, unsigned size, bool write)
{
    IDEDevice *d = ide_selected(bus);
    uint32_t n;

    if (!(d->status & ATA_STAT_DRQ) || d->pos >= d->end) {
        if (!write) {
            *val = 0;
        }
        return;
    }
    n = MIN(size, d->end - d->pos);
    if (write) {
        for (unsigned i = 0; i < n; i++) {
            d->buf[d->pos + i] = *val >> (8 * i);
        }
    } else {
        *val = 0;
        for (unsigned i = 0; i < n; i++) {
            *val |= (uint64_t)d->buf[d->pos + i] << (8 * i);
        }
    }
    d->pos += n;
    if (d->pos >= d->end) {
        ide_transfer_drained(d);
    }
}

/* ---- signatures and reset --------------------------------------------- */

static void ide_set_signature(IDEDevice *d)
{
    d->select &= ATA_DEV_DEV | 0xa0;
    d->nsector = d->sector = 1;
    if (d->kind == IDE_CDROM) {
        d->lcyl = 0x14;
        d->hcyl = 0xeb;
    } else {
        d->lcyl = d->hcyl = 0;      /* absent: an ATA signature with status 0 means "none" */
    }
}

/* A device's power-on/reset state (settings SET FEATURES made survive a
 * soft reset on real drives; Linux re-programs them, so we reset all). */
static void ide_device_reset(IDEDevice *d)
{
    ide_transfer_stop(d);
    d->error = d->kind == IDE_NONE ? 0 : 0x01;     /* diagnostic code: passed */
    d->feature = d->hob_feature = d->hob_nsector = d->hob_sector = 0;
    d->hob_lcyl = d->hob_hcyl = 0;
    d->select = 0xa0 | (d->unit ? ATA_DEV_DEV : 0);
    ide_set_signature(d);
    d->status = d->kind == IDE_DISK ? ATA_STAT_READY : 0;
    d->mult_sectors = IDE_MAX_MULT;
    d->write_cache = true;
    d->xfer_mode = XFER_UDMA | 5;
    d->heads = ATA_GEOM_HEADS;
    d->sectors = ATA_GEOM_SECTORS;
    d->sectors_left = 0;
    if (d->kind == IDE_CDROM) {
        atapi_reset(d);
    }
}

void ide_bus_reset(IDEBus *bus)
{
    bus->devctl = 0;
    bus->unit = 0;
    bus->dma_pending = NULL;
    ide_device_reset(&bus->devs[0]);
    ide_device_reset(&bus->devs[1]);
    bmdma_reset(&bus->bm);
    ide_clear_irq(bus);
}

/* ---- task file --------------------------------------------------------- */

static uint32_t ata_sector_count(const IDEDevice *d)
{
    if (d->lba48) {
        uint32_t n = d->hob_nsector << 8 | d->nsector;
        return n ? n : 65536;
    }
    return d->nsector ? d->nsector : 256;
}

/* The address in the task file, or UINT64_MAX for an invalid CHS one. */
static uint64_t ata_get_sector(const IDEDevice *d)
{
    if (d->lba48) {
        return (uint64_t)d->hob_hcyl << 40 | (uint64_t)d->hob_lcyl << 32 |
               (uint64_t)d->hob_sector << 24 | (uint64_t)d->hcyl << 16 | d->lcyl << 8 | d->sector;
    }
    if (d->select & ATA_DEV_LBA) {
        return (uint64_t)(d->select & 0x0f) << 24 | d->hcyl << 16 | d->lcyl << 8 | d->sector;
    }
    if (d->sector == 0 || d->sector > d->sectors || (d->select & 0x0f) >= d->heads) {
        return UINT64_MAX;
    }
    return ((uint64_t)(d->hcyl << 8 | d->lcyl) * d->heads + (d->select & 0x0f)) * d->sectors +
           d->sector - 1;
}

/* Put lba in the task file (error reports, READ NATIVE MAX ADDRESS). */
static void ata_set_sector(IDEDevice *d, uint64_t lba)
{
    if (d->lba48) {
        d->sector = lba;
        d->lcyl = lba >> 8;
        d->hcyl = lba >> 16;
        d->hob_sector = lba >> 24;
        d->hob_lcyl = lba >> 32;
        d->hob_hcyl = lba >> 40;
    } else if (d->select & ATA_DEV_LBA) {
        d->select = (d->select & 0xf0) | ((lba >> 24) & 0x0f);
        d->hcyl = lba >> 16;
        d->lcyl = lba >> 8;
        d->sector = lba;
    } else {
        uint64_t cyl = lba / (d->heads * d->sectors);
        uint32_t r = lba % (d->heads * d->sectors);

        d->hcyl = cyl >> 8;
        d->lcyl = cyl;
        d->select = (d->select & 0xf0) | ((r / d->sectors) & 0x0f);
        d->sector = r % d->sectors + 1;
    }
}

/* ---- completion --------------------------------------------------------- */

static void ata_cmd_done(IDEDevice *d)
{
    ide_transfer_stop(d);
    d->status = ATA_STAT_READY;
    ide_raise_irq(d->bus);
}

static void ata_cmd_error(IDEDevice *d, uint8_t error)
{
    ide_transfer_stop(d);
    d->sectors_left = 0;
    d->error = error;
    d->status = ATA_STAT_DRDY | ATA_STAT_ERR;
    ide_raise_irq(d->bus);
}

static void ata_abort(IDEDevice *d)
{
    ata_cmd_error(d, ATA_ERR_ABRT);
}

/* A failed block request at lba: its address in the task file, UNC for
 * reads (the data is not there), ABRT for writes and flushes. */
static void ata_io_error(IDEDevice *d, uint64_t lba, int ret, bool is_read)
{
    log_mask(LOG_GUEST_ERROR, "ide: %s %s at sector %" PRIu64 " failed: %s\n", d->bus->name,
             is_read ? "read" : "write", lba, strerror(-ret));
    ata_set_sector(d, lba);
    ata_cmd_error(d, is_read ? ATA_ERR_UNC : ATA_ERR_ABRT);
}

/* Check the command's range: false (IDNF reported) when it leaves the medium. */
static bool ata_range_ok(IDEDevice *d)
{
    uint64_t lba = ata_get_sector(d);

    if (lba == UINT64_MAX || lba + ata_sector_count(d) > d->nb_sectors) {
        ata_cmd_error(d, ATA_ERR_IDNF);
        return false;
    }
    d->lba = lba;
    d->sectors_left = ata_sector_count(d);
    return true;
}

static int ata_write_blocks(IDEDevice *d, const uint8_t *buf, uint32_t n)
{
    int ret = blk_pwrite(d->blk, d->lba * IDE_SECTOR_SIZE, buf, (size_t)n * IDE_SECTOR_SIZE);

    if (ret == 0 && !d->write_cache) {
        ret = blk_flush(d->blk);        /* write cache off: stable before completion */
    }
    return ret;
}

/* ---- PIO data commands ------------------------------------------------- */

/* Load the next block and raise INTRQ, or end the command after the last. */
static void ata_pio_read_next(IDEDevice *d)
{
    uint32_t n;
    int ret;

    if (d->sectors_left == 0) {
        d->status = ATA_STAT_READY;
        return;
    }
    n = MIN(d->sectors_left, d->block_sectors);
    ret = blk_pread(d->blk, d->lba * IDE_SECTOR_SIZE, d->buf, (size_t)n * IDE_SECTOR_SIZE);
    if (ret < 0) {
        ata_io_error(d, d->lba, ret, true);
        return;
    }
    d->lba += n;
    d->sectors_left -= n;
    d->status = ATA_STAT_READY;
    ide_transfer_start(d, 0, n * IDE_SECTOR_SIZE, ata_pio_read_next);
    ide_raise_irq(d->bus);
}

static void ata_pio_write_open(IDEDevice *d);

/* A block arrived: write it, then ask for the next or finish. */
static void ata_pio_write_block(IDEDevice *d)
{
    uint32_t n = MIN(d->sectors_left, d->block_sectors);
    int ret = ata_write_blocks(d, d->buf, n);

    if (ret < 0) {
        ata_io_error(d, d->lba, ret, false);
        return;
    }
    d->lba += n;
    d->sectors_left -= n;
    if (d->sectors_left == 0) {
        ata_cmd_done(d);
        return;
    }
    ata_pio_write_open(d);
    ide_raise_irq(d->bus);
}

static void ata_pio_write_open(IDEDevice *d)
{
    uint32_t n = MIN(d->sectors_left, d->block_sectors);

    d->status = ATA_STAT_READY;
    ide_transfer_start(d, 0, n * IDE_SECTOR_SIZE, ata_pio_write_block);
}

static bool ata_is_write(uint8_t cmd);

static void ata_cmd_rw_pio(IDEDevice *d, uint32_t block)
{
    if (!ata_range_ok(d)) {
        return;
    }
    d->block_sectors = block;
    if (ata_is_write(d->cmd)) {
        ata_pio_write_open(d);          /* no interrupt before the first block */
    } else {
        ata_pio_read_next(d);
    }
}

static void ata_cmd_rw_sectors(IDEDevice *d)
{
    ata_cmd_rw_pio(d, 1);
}

static void ata_cmd_rw_multiple(IDEDevice *d)
{
    if (!d->mult_sectors) {
        ata_abort(d);
        return;
    }
    ata_cmd_rw_pio(d, d->mult_sectors);
}

/* ---- DMA data commands -------------------------------------------------- */

static void ata_cmd_rw_dma(IDEDevice *d)
{
    if (!ata_range_ok(d)) {
        return;
    }
    d->status = ATA_STAT_READY | ATA_STAT_DRQ;
    ide_dma_begin(d);
}

/* The engine runs: move every sector, then complete. */
static void ata_dma_run(IDEDevice *d)
{
    IDEBus *bus = d->bus;
    bool is_read = !ata_is_write(d->cmd);
    int ret = 0;

    if (!!(bus->bm.cmd & BM_CMD_WRITE) != is_read) {
        log_mask(LOG_GUEST_ERROR, "ide: %s: bus-master direction does not match the command\n",
                 bus->name);
        ret = -EINVAL;
    }
    while (ret == 0 && d->sectors_left) {
        uint32_t n = MIN(d->sectors_left, IDE_BUF_SIZE / IDE_SECTOR_SIZE);
        uint32_t len = n * IDE_SECTOR_SIZE;

        if (is_read) {
            ret = blk_pread(d->blk, d->lba * IDE_SECTOR_SIZE, d->buf, len);
            if (ret < 0) {
                bmdma_finish(bus, false);
                ata_io_error(d, d->lba, ret, true);
                return;
            }
            ret = bmdma_rw(bus, d->buf, len, true);
        } else {
            ret = bmdma_rw(bus, d->buf, len, false);
            if (ret == 0) {
                ret = ata_write_blocks(d, d->buf, n);
                if (ret < 0) {
                    bmdma_finish(bus, false);
                    ata_io_error(d, d->lba, ret, false);
                    return;
                }
            }
        }
        if (ret == 0) {
            d->lba += n;
            d->sectors_left -= n;
        }
    }
    if (ret < 0) {
        /* the PRD table or guest memory failed: a host bus error */
        bmdma_finish(bus, true);
        ata_set_sector(d, d->lba);
        ata_abort(d);
        return;
    }
    bmdma_finish(bus, false);
    ata_cmd_done(d);
}

/* ---- other ATA commands ----------------------------------------------- */

static void ata_put_lba48(uint16_t *w, uint64_t n)
{
    for (int i = 0; i < 4; i++) {
        w[i] = n >> (16 * i);
    }
}

/* Words both IDENTIFY DEVICE and IDENTIFY PACKET DEVICE carry. */
void ide_identify_common(IDEDevice *d, uint16_t *w)
{
    char serial[21];
    uint8_t mode = d->xfer_mode;

    snprintf(serial, sizeof(serial), "TERN%s-%u", d->bus->name, d->unit);
    ide_put_string(w + 10, serial, 10);
    ide_put_string(w + 23, ATA_FIRMWARE, 4);
    w[49] = 1 << 11 | 1 << 9 | 1 << 8;          /* IORDY, LBA, DMA */
    w[51] = 0x200;                              /* PIO timing mode 2 (obsolete) */
    w[53] = 1 << 2 | 1 << 1 | 1 << 0;           /* words 88, 64-70, 54-58 valid */
    w[63] = 0x07 | ((mode & 0xf8) == XFER_MWDMA ? 1 << (8 + (mode & 7)) : 0);
    w[64] = 0x03;                               /* PIO modes 3 and 4 */
    w[65] = w[66] = w[67] = w[68] = 120;        /* cycle times, ns */
    w[80] = 0xf0;                               /* ATA/ATAPI-4 to -7 */
    w[88] = 0x3f | ((mode & 0xf8) == XFER_UDMA ? 1 << (8 + (mode & 7)) : 0);
    w[93] = 1 << 14 | 1 << 13 | 1;              /* 80-wire cable, device 0 passed */
}

void ide_put_string(uint16_t *words, const char *s, unsigned nwords)
{
    size_t len = strlen(s);

    for (unsigned i = 0; i < nwords * 2; i++) {
        uint8_t c = i < len ? s[i] : ' ';

        words[i / 2] = (i & 1) ? (words[i / 2] & 0xff00) | c : (uint16_t)(c << 8);
    }
}

static void ata_identify_done(IDEDevice *d)
{
    d->status = ATA_STAT_READY;
}

/* The IDENTIFY (PACKET) DEVICE block, little-endian words, as one PIO
 * sector for the host to read. */
static void ata_identify_send(IDEDevice *d, const uint16_t *w)
{
    for (int i = 0; i < 256; i++) {
        st_le(d->buf + 2 * i, w[i], 2);
    }
    d->status = ATA_STAT_READY;
    ide_transfer_start(d, 0, IDE_SECTOR_SIZE, ata_identify_done);
    ide_raise_irq(d->bus);
}

static void ata_cmd_identify(IDEDevice *d)
{
    uint16_t w[256] = { 0 };
    uint64_t lba28 = MIN(d->nb_sectors, ATA_LBA28_MAX);
    uint32_t cyls = MIN(d->nb_sectors / (ATA_GEOM_HEADS * ATA_GEOM_SECTORS), 16383);
    uint32_t cur_cyls = MIN(d->nb_sectors / (d->heads * d->sectors), 65535);

    if (d->kind == IDE_CDROM) {
        ide_set_signature(d);                   /* "I am ATAPI" */
        ata_abort(d);
        return;
    }
    ide_identify_common(d, w);
    w[0] = 0x0040;                              /* fixed device */
    w[1] = cyls;
    w[3] = ATA_GEOM_HEADS;
    w[6] = ATA_GEOM_SECTORS;
    ide_put_string(w + 27, ATA_MODEL_DISK, 20);
    w[47] = 0x8000 | IDE_MAX_MULT;
    w[54] = cur_cyls;
    w[55] = d->heads;
    w[56] = d->sectors;
    w[57] = (uint16_t)((uint32_t)cur_cyls * d->heads * d->sectors);
    w[58] = ((uint32_t)cur_cyls * d->heads * d->sectors) >> 16;
    w[59] = d->mult_sectors ? 0x100 | d->mult_sectors : 0;
    w[60] = lba28;
    w[61] = lba28 >> 16;
    w[81] = 0;
    w[82] = 1 << 14 | 1 << 5 | 1 << 3;          /* write cache, power management */
    w[83] = 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10;      /* FLUSH CACHE (EXT), LBA48 */
    w[84] = 1 << 14;
    w[85] = 1 << 14 | (d->write_cache ? 1 << 5 : 0) | 1 << 3;
    w[86] = 1 << 13 | 1 << 12 | 1 << 10;
    w[87] = 1 << 14;
    ata_put_lba48(w + 100, MIN(d->nb_sectors, ATA_LBA48_MAX));
    ata_identify_send(d, w);
}

static void ata_cmd_identify_packet(IDEDevice *d)
{
    uint16_t w[256] = { 0 };

    ide_identify_common(d, w);
    w[0] = 2 << 14 | 5 << 8 | 1 << 7 | 2 << 5;  /* ATAPI, CD-ROM, removable, 50 us DRQ */
    ide_put_string(w + 27, "TERN DVD-ROM", 20);
    w[48] = 1;                                  /* dword I/O */
    w[71] = 30;                                 /* typical release times, ns */
    w[72] = 30;
    w[82] = 1 << 14 | 1 << 4 | 1 << 3;          /* PACKET, power management */
    w[85] = 1 << 14 | 1 << 4 | 1 << 3;
    ata_identify_send(d, w);
}

static void ata_cmd_set_multiple(IDEDevice *d)
{
    /* a power of two up to the maximum; 0 disables */
    if (d->nsector > IDE_MAX_MULT || (d->nsector & (d->nsector - 1))) {
        ata_abort(d);
        return;
    }
    d->mult_sectors = d->nsector;
    ata_cmd_done(d);
}

static void ata_cmd_read_verify(IDEDevice *d)
{
    if (ata_range_ok(d)) {
        d->sectors_left = 0;
        ata_cmd_done(d);
    }
}

static void ata_cmd_flush(IDEDevice *d)
{
    int ret = blk_flush(d->blk);

    if (ret < 0) {
        log_mask(LOG_GUEST_ERROR, "ide: %s flush failed: %s\n", d->bus->name, strerror(-ret));
        ata_abort(d);
        return;
    }
    ata_cmd_done(d);
}

static bool ata_xfer_mode_ok(uint8_t mode)
{
    switch (mode & 0xf8) {
    case XFER_PIO_DEFAULT:
        return mode <= 1;
    case XFER_PIO_FLOW:
        return (mode & 7) <= 4;
    case XFER_MWDMA:
        return (mode & 7) <= 2;
    case XFER_UDMA:
        return (mode & 7) <= 5;
    }
    return false;
}

static void ata_cmd_set_features(IDEDevice *d)
{
    switch (d->feature) {
    case 0x02:                                  /* enable write cache */
    case 0x82:                                  /* disable write cache */
        if (d->kind != IDE_DISK) {
            ata_abort(d);
            return;
        }
        d->write_cache = d->feature == 0x02;
        break;
    case 0x03:                                  /* set transfer mode */
        if (!ata_xfer_mode_ok(d->nsector)) {
            ata_abort(d);
            return;
        }
        d->xfer_mode = d->nsector;
        break;
    case 0x55: case 0xaa:                       /* read look-ahead off / on */
    case 0x66: case 0xcc:                       /* revert to defaults off / on */
        break;
    default:
        ata_abort(d);
        return;
    }
    ata_cmd_done(d);
}

static void ata_cmd_init_params(IDEDevice *d)
{
    if (d->nsector == 0) {
        ata_abort(d);
        return;
    }
    d->sectors = d->nsector;
    d->heads = (d->select & 0x0f) + 1;
    ata_cmd_done(d);
}

static void ata_cmd_read_native_max(IDEDevice *d)
{
    uint64_t max = d->nb_sectors ? d->nb_sectors - 1 : 0;

    if (!d->lba48 && !(d->select & ATA_DEV_LBA)) {
        ata_abort(d);
        return;
    }
    ata_set_sector(d, d->lba48 ? MIN(max, ATA_LBA48_MAX) : MIN(max, ATA_LBA28_MAX));
    ata_cmd_done(d);
}

static void ata_cmd_check_power(IDEDevice *d)
{
    d->nsector = 0xff;                          /* active or idle */
    ata_cmd_done(d);
}

static void ata_cmd_nop_done(IDEDevice *d)
{
    ata_cmd_done(d);
}

static void ide_bus_diagnose(IDEBus *bus);

static void ata_cmd_diagnostic(IDEDevice *d)
{
    ide_bus_diagnose(d->bus);
}

static void ata_cmd_device_reset(IDEDevice *d)
{
    ide_device_reset(d);                        /* status 0, no interrupt (ATA8-ACS 7.6) */
}

/* ---- the command table -------------------------------------------------- */

enum {
    ATA_F_DISK  = 1 << 0,       /* an ATA device takes it */
    ATA_F_CD    = 1 << 1,       /* an ATAPI device takes it */
    ATA_F_LBA48 = 1 << 2,       /* 48-bit addressing and counts */
    ATA_F_WRITE = 1 << 3,       /* data flows to the device */
};

typedef struct ATACommand {
    void (*fn)(IDEDevice *d);
    uint8_t flags;
} ATACommand;

#define DISK ATA_F_DISK
#define BOTH (ATA_F_DISK | ATA_F_CD)
static const ATACommand ata_commands[256] = {
    [0x08] = { ata_cmd_device_reset, ATA_F_CD },
    [0x10] = { ata_cmd_nop_done, DISK },                        /* RECALIBRATE */
    [0x20] = { ata_cmd_rw_sectors, DISK },                      /* READ SECTORS */
    [0x21] = { ata_cmd_rw_sectors, DISK },                      /* ... without retries */
    [0x24] = { ata_cmd_rw_sectors, DISK | ATA_F_LBA48 },        /* READ SECTORS EXT */
    [0x25] = { ata_cmd_rw_dma, DISK | ATA_F_LBA48 },            /* READ DMA EXT */
    [0x27] = { ata_cmd_read_native_max, DISK | ATA_F_LBA48 },
    [0x29] = { ata_cmd_rw_multiple, DISK | ATA_F_LBA48 },       /* READ MULTIPLE EXT */
    [0x30] = { ata_cmd_rw_sectors, DISK | ATA_F_WRITE },        /* WRITE SECTORS */
    [0x31] = { ata_cmd_rw_sectors, DISK | ATA_F_WRITE },
    [0x34] = { ata_cmd_rw_sectors, DISK | ATA_F_WRITE | ATA_F_LBA48 },
    [0x35] = { ata_cmd_rw_dma, DISK | ATA_F_WRITE | ATA_F_LBA48 },      /* WRITE DMA EXT */
    [0x39] = { ata_cmd_rw_multiple, DISK | ATA_F_WRITE | ATA_F_LBA48 },
    [0x40] = { ata_cmd_read_verify, DISK },                     /* READ VERIFY SECTORS */
    [0x41] = { ata_cmd_read_verify, DISK },
    [0x42] = { ata_cmd_read_verify, DISK | ATA_F_LBA48 },
    [0x90] = { ata_cmd_diagnostic, BOTH },                      /* EXECUTE DEVICE DIAGNOSTIC */
    [0x91] = { ata_cmd_init_params, DISK },                     /* INITIALIZE DEVICE PARAMETERS */
    [0x94] = { ata_cmd_nop_done, BOTH },                        /* STANDBY IMMEDIATE (old) */
    [0x95] = { ata_cmd_nop_done, BOTH },                        /* IDLE IMMEDIATE (old) */
    [0x98] = { ata_cmd_check_power, BOTH },                     /* CHECK POWER MODE (old) */
    [0xa0] = { atapi_cmd_packet, ATA_F_CD },                    /* PACKET */
    [0xa1] = { ata_cmd_identify_packet, ATA_F_CD },             /* IDENTIFY PACKET DEVICE */
    [0xc4] = { ata_cmd_rw_multiple, DISK },                     /* READ MULTIPLE */
    [0xc5] = { ata_cmd_rw_multiple, DISK | ATA_F_WRITE },       /* WRITE MULTIPLE */
    [0xc6] = { ata_cmd_set_multiple, DISK },                    /* SET MULTIPLE MODE */
    [0xc8] = { ata_cmd_rw_dma, DISK },                          /* READ DMA */
    [0xc9] = { ata_cmd_rw_dma, DISK },
    [0xca] = { ata_cmd_rw_dma, DISK | ATA_F_WRITE },            /* WRITE DMA */
    [0xcb] = { ata_cmd_rw_dma, DISK | ATA_F_WRITE },
    [0xe0] = { ata_cmd_nop_done, BOTH },                        /* STANDBY IMMEDIATE */
    [0xe1] = { ata_cmd_nop_done, BOTH },                        /* IDLE IMMEDIATE */
    [0xe2] = { ata_cmd_nop_done, BOTH },                        /* STANDBY */
    [0xe3] = { ata_cmd_nop_done, BOTH },                        /* IDLE */
    [0xe5] = { ata_cmd_check_power, BOTH },                     /* CHECK POWER MODE */
    [0xe7] = { ata_cmd_flush, DISK },                           /* FLUSH CACHE */
    [0xea] = { ata_cmd_flush, DISK | ATA_F_LBA48 },             /* FLUSH CACHE EXT */
    [0xec] = { ata_cmd_identify, BOTH },                        /* IDENTIFY DEVICE */
    [0xef] = { ata_cmd_set_features, BOTH },                    /* SET FEATURES */
    [0xf8] = { ata_cmd_read_native_max, DISK },                 /* READ NATIVE MAX ADDRESS */
};
#undef DISK
#undef BOTH

static bool ata_is_write(uint8_t cmd)
{
    return ata_commands[cmd].flags & ATA_F_WRITE;
}

static void ide_exec_cmd(IDEBus *bus, uint8_t cmd)
{
    IDEDevice *d = ide_selected(bus);
    const ATACommand *c = &ata_commands[cmd];
    unsigned need = d->kind == IDE_DISK ? ATA_F_DISK : ATA_F_CD;

    if (d->kind == IDE_NONE) {
        return;                                 /* nobody answers */
    }
    if (cmd == 0x90) {
        ata_cmd_diagnostic(d);                  /* addressed to both devices */
        return;
    }
    /* a new command ends whatever was in progress */
    ide_transfer_stop(d);
    if (bus->dma_pending == d) {
        bus->dma_pending = NULL;
    }
    ide_clear_irq(bus);
    d->cmd = cmd;
    d->error = 0;
    if (!c->fn || !(c->flags & need)) {
        log_mask(LOG_UNIMP, "ide: %s: command 0x%02x aborted\n", bus->name, cmd);
        ata_abort(d);
        return;
    }
    d->lba48 = c->flags & ATA_F_LBA48;
    d->status = ATA_STAT_BSY | (d->status & ATA_STAT_DRDY);
    c->fn(d);
}

/* EXECUTE DEVICE DIAGNOSTIC and the end of SRST: every device passes and
 * shows its signature; device 0 is selected. */
static void ide_bus_diagnose(IDEBus *bus)
{
    for (unsigned u = 0; u < 2; u++) {
        IDEDevice *d = &bus->devs[u];

        ide_transfer_stop(d);
        d->error = d->kind == IDE_NONE ? 0 : 0x01;
        ide_set_signature(d);
        d->select &= ~ATA_DEV_DEV;
        d->status = d->kind == IDE_DISK ? ATA_STAT_READY : 0;
    }
    bus->unit = 0;
    bus->dma_pending = NULL;
    if (!(bus->devctl & ATA_CTL_SRST)) {
        ide_raise_irq(bus);
    }
}

/* ---- register access ---------------------------------------------------- */

static uint8_t ide_status(IDEBus *bus)
{
    IDEDevice *d = ide_selected(bus);

    if (bus->devctl & ATA_CTL_SRST) {
        return d->kind == IDE_NONE ? 0 : ATA_STAT_BSY;
    }
    return d->kind == IDE_NONE ? 0 : d->status;
}

/* Taskfile registers 1-5 (features, sector count, LBA low/mid/high) and,
 * hob, the value each held before its last write: the high-order bytes
 * LBA48 commands take, read back with HOB set in the device control. */
static uint8_t *ide_taskfile_reg(IDEDevice *d, unsigned reg, bool hob)
{
    switch (reg) {
    case 1:
        return hob ? &d->hob_feature : &d->feature;
    case 2:
        return hob ? &d->hob_nsector : &d->nsector;
    case 3:
        return hob ? &d->hob_sector : &d->sector;
    case 4:
        return hob ? &d->hob_lcyl : &d->lcyl;
    default:
        return hob ? &d->hob_hcyl : &d->hcyl;
    }
}

static uint8_t ide_reg_read(IDEBus *bus, unsigned reg)
{
    IDEDevice *d = ide_selected(bus);
    bool hob = bus->devctl & ATA_CTL_HOB;

    if (ide_bus_empty(bus)) {
        return 0;
    }
    if (reg == 1 && !hob) {
        return d->error;            /* reads of the features register */
    }
    if (reg >= 1 && reg <= 5) {
        return *ide_taskfile_reg(d, reg, hob);
    }
    if (reg == 6) {
        return d->select;
    }
    uint8_t st = ide_status(bus);

    ide_clear_irq(bus);
    return st;
}

static void ide_reg_write(IDEBus *bus, unsigned reg, uint8_t val)
{
    if (reg == 7) {
        ide_exec_cmd(bus, val);
        return;
    }
    bus->devctl &= ~ATA_CTL_HOB;                /* any register write clears HOB */
    for (unsigned u = 0; u < 2; u++) {
        IDEDevice *d = &bus->devs[u];

        if (reg >= 1 && reg <= 5) {
            *ide_taskfile_reg(d, reg, true) = *ide_taskfile_reg(d, reg, false);
            *ide_taskfile_reg(d, reg, false) = val;
        } else if (reg == 6) {
            d->select = val | 0xa0;
        }
    }
    if (reg == 6) {
        bus->unit = (val & ATA_DEV_DEV) ? 1 : 0;
    }
}

static uint64_t ide_cmd_read(void *opaque, uint64_t addr, unsigned size)
{
    IDEBus *bus = opaque;
    uint64_t val = 0;

    if (addr == 0) {
        ide_data_access(bus, &val, size, false);
        return val;
    }
    for (unsigned i = 0; i < size && addr + i < IDE_CMD_BLOCK_SIZE; i++) {
        val |= (uint64_t)ide_reg_read(bus, addr + i) << (8 * i);
    }
    return val;
}

static void ide_cmd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IDEBus *bus = opaque;

    if (addr == 0) {
        ide_data_access(bus, &val, size, true);
        return;
    }
    for (unsigned i = 0; i < size && addr + i < IDE_CMD_BLOCK_SIZE; i++) {
        ide_reg_write(bus, addr + i, val >> (8 * i));
    }
}

static const MemoryRegionOps ide_cmd_ops = {
    .read = ide_cmd_read,
    .write = ide_cmd_write,
    .valid = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t ide_ctl_read(void *opaque, uint64_t addr, unsigned size)
{
    IDEBus *bus = opaque;

    return ide_bus_empty(bus) ? 0 : ide_status(bus);      /* alternate status */
}

static void ide_ctl_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IDEBus *bus = opaque;
    uint8_t old = bus->devctl;

    bus->devctl = val & (ATA_CTL_NIEN | ATA_CTL_SRST | ATA_CTL_HOB);
    if (!(old & ATA_CTL_SRST) && (val & ATA_CTL_SRST)) {
        for (unsigned u = 0; u < 2; u++) {
            ide_transfer_stop(&bus->devs[u]);
        }
        bus->dma_pending = NULL;
        ide_clear_irq(bus);
    } else if ((old & ATA_CTL_SRST) && !(val & ATA_CTL_SRST)) {
        for (unsigned u = 0; u < 2; u++) {
            ide_device_reset(&bus->devs[u]);
        }
        bus->unit = 0;
    }
    ide_update_irq(bus);
}

static const MemoryRegionOps ide_ctl_ops = {
    .read = ide_ctl_read,
    .write = ide_ctl_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- DMA hand-off -------------------------------------------------------- */

void ide_dma_begin(IDEDevice *d)
{
    d->bus->dma_pending = d;
    if (d->bus->bm.status & BM_STATUS_ACTIVE) {
        ide_dma_run(d->bus);
    }
}

void ide_dma_run(IDEBus *bus)
{
    IDEDevice *d = bus->dma_pending;

    if (!d) {
        return;
    }
    bus->dma_pending = NULL;
    if (d->kind == IDE_CDROM) {
        atapi_dma_run(d);
    } else {
        ata_dma_run(d);
    }
}

/* ---- the channel ---------------------------------------------------------- */

void ide_bus_init(IDEBus *bus, const char *name, IRQLine *irq, AddressSpace *dma_as)
{
    memset(bus, 0, sizeof(*bus));
    bus->name = name;
    bus->irq = irq;
    bus->dma_as = dma_as;
    for (unsigned u = 0; u < 2; u++) {
        bus->devs[u].bus = bus;
        bus->devs[u].unit = u;
        bus->devs[u].buf = tern_malloc0(IDE_BUF_SIZE);
    }
    memory_region_init_io(&bus->cmd_io, &ide_cmd_ops, bus, name, IDE_CMD_BLOCK_SIZE);
    memory_region_init_io(&bus->ctl_io, &ide_ctl_ops, bus, name, 1);
    memory_region_init_io(&bus->bm_io, &bmdma_ops, bus, name, IDE_BM_SIZE);
    ide_bus_reset(bus);
}

void ide_bus_destroy(IDEBus *bus)
{
    for (unsigned u = 0; u < 2; u++) {
        free(bus->devs[u].buf);
        bus->devs[u].buf = NULL;
    }
    memory_region_destroy(&bus->cmd_io);
    memory_region_destroy(&bus->ctl_io);
    memory_region_destroy(&bus->bm_io);
}

int ide_bus_attach(IDEBus *bus, unsigned unit, IDEDriveKind kind, BlockBackend *blk,
                   Error **errp)
{
    IDEDevice *d;

    assert(unit < 2 && kind != IDE_NONE && (blk || kind == IDE_CDROM));
    d = &bus->devs[unit];
    if (d->kind != IDE_NONE) {
        error_setg(errp, "IDE %s unit %u is already in use", bus->name, unit);
        return -EBUSY;
    }
    d->kind = kind;
    d->blk = blk;
    d->nb_sectors = blk ? blk_length(blk) / (kind == IDE_CDROM ? ATAPI_SECTOR_SIZE
                                                                : IDE_SECTOR_SIZE) : 0;
    ide_device_reset(d);
    return 0;
}
