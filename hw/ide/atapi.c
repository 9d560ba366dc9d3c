/*
 * atapi.c: the ATAPI CD-ROM's packet commands (SPC-3, MMC-5; the packet
 * protocol of ATA8-APT).
 *
 * PACKET opens a 12-byte DRQ window (interrupt reason CoD, no interrupt);
 * when the packet is in, its command runs from atapi_commands[].  A reply
 * goes by PIO in DRQ chunks of at most the byte count limit the driver
 * put in LBA mid/high (each chunk: its size there, reason IO, INTRQ), or,
 * with the packet's DMA bit, through the bus-master engine.  The end: DRDY,
 * reason IO|CoD, INTRQ; a failure also sets ERR, the sense key in the
 * error register's high nibble and the sense data REQUEST SENSE returns.
 *
 * READ(10)/(12) stage up to IDE_BUF_SIZE bytes of 2048-byte sectors at a
 * time; every other reply is built whole in the buffer and cut to the
 * allocation length.  Without a disc the media commands fail with NOT
 * READY / MEDIUM NOT PRESENT; the drive is read-only (writes: DATA
 * PROTECT).  No audio, no tray (START STOP UNIT changes nothing).
 */
#include "util/osdep.h"
#include "util/bytes.h"
#include "util/log.h"
#include "hw/ide/internal.h"

#define ATAPI_PACKET_SIZE     12
#define ATAPI_PIO_LIMIT_MAX   0xfffe        /* a 0 byte count limit means this */
#define ATAPI_CD_MAX_SECTORS  (800u * 1024 * 1024 / ATAPI_SECTOR_SIZE)   /* larger: a DVD */

/* MMC profiles */
#define MMC_PROFILE_NONE      0x0000
#define MMC_PROFILE_CD_ROM    0x0008
#define MMC_PROFILE_DVD_ROM   0x0010

void atapi_reset(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;

    a->sense_key = SENSE_NONE;
    a->asc = a->ascq = 0;
    a->locked = false;
    a->bytes_left = a->sectors_left = a->staged = a->staged_pos = 0;
}

static bool atapi_has_disc(const IDEDevice *d)
{
    return d->blk != NULL;
}

/* ---- completion ----------------------------------------------------------- */

static void atapi_cmd_ok(IDEDevice *d)
{
    ide_transfer_stop(d);
    d->atapi.sense_key = SENSE_NONE;
    d->atapi.asc = d->atapi.ascq = 0;
    d->error = 0;
    d->status = ATA_STAT_READY;
    d->nsector = ATAPI_INT_IO | ATAPI_INT_COD;
    ide_raise_irq(d->bus);
}

static void atapi_cmd_error(IDEDevice *d, uint8_t key, uint8_t asc)
{
    ide_transfer_stop(d);
    d->atapi.sense_key = key;
    d->atapi.asc = asc;
    d->atapi.ascq = 0;
    d->atapi.bytes_left = d->atapi.sectors_left = 0;
    d->error = key << 4;
    d->status = ATA_STAT_READY | ATA_STAT_ERR;
    d->nsector = ATAPI_INT_IO | ATAPI_INT_COD;
    ide_raise_irq(d->bus);
}

/* ---- data phase ------------------------------------------------------------ */

/* Make unread reply bytes available: read the next sectors of a READ. */
static int atapi_stage(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;
    uint32_t n;
    int ret;

    if (a->staged_pos < a->staged) {
        return 0;
    }
    n = MIN(a->sectors_left, IDE_BUF_SIZE / ATAPI_SECTOR_SIZE);
    assert(n > 0);          /* bytes_left > 0 and nothing staged: a READ */
    ret = blk_pread(d->blk, (uint64_t)a->lba * ATAPI_SECTOR_SIZE, d->buf,
                    (size_t)n * ATAPI_SECTOR_SIZE);
    if (ret < 0) {
        log_mask(LOG_GUEST_ERROR, "ide: %s CD read at sector %u failed: %s\n", d->bus->name,
                 a->lba, strerror(-ret));
        return ret;
    }
    a->lba += n;
    a->sectors_left -= n;
    a->staged = n * ATAPI_SECTOR_SIZE;
    a->staged_pos = 0;
    return 0;
}

static void atapi_pio_next(IDEDevice *d);

/* A PIO chunk was read by the driver. */
static void atapi_pio_chunk_done(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;

    a->staged_pos += a->chunk;
    a->bytes_left -= a->chunk;
    a->chunk = 0;
    atapi_pio_next(d);
}

/* Open the next PIO chunk, or end the command. */
static void atapi_pio_next(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;
    uint32_t limit = a->byte_limit ? a->byte_limit : ATAPI_PIO_LIMIT_MAX;
    uint32_t chunk;

    if (a->bytes_left == 0) {
        atapi_cmd_ok(d);
        return;
    }
    if (atapi_stage(d) < 0) {
        atapi_cmd_error(d, SENSE_MEDIUM_ERROR, ASC_UNRECOVERED_READ);
        return;
    }
    chunk = MIN(a->staged - a->staged_pos, limit);
    chunk = MIN(chunk, a->bytes_left);
    if (chunk < a->bytes_left && chunk > 1) {
        chunk &= ~1u;                       /* an odd limit: only the last chunk may be odd */
    }
    a->chunk = chunk;
    d->lcyl = chunk;
    d->hcyl = chunk >> 8;
    d->nsector = ATAPI_INT_IO;
    d->status = ATA_STAT_READY;
    ide_transfer_start(d, a->staged_pos, chunk, atapi_pio_chunk_done);
    ide_raise_irq(d->bus);
}

void atapi_dma_run(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;
    IDEBus *bus = d->bus;

    if (!(bus->bm.cmd & BM_CMD_WRITE)) {
        log_mask(LOG_GUEST_ERROR, "ide: %s: ATAPI DMA reads memory; the CD only writes it\n",
                 bus->name);
        bmdma_finish(bus, true);
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    while (a->bytes_left) {
        uint32_t n;

        if (atapi_stage(d) < 0) {
            bmdma_finish(bus, false);
            atapi_cmd_error(d, SENSE_MEDIUM_ERROR, ASC_UNRECOVERED_READ);
            return;
        }
        n = (uint32_t)MIN(a->staged - a->staged_pos, a->bytes_left);
        if (bmdma_rw(bus, d->buf + a->staged_pos, n, true) < 0) {
            bmdma_finish(bus, true);
            atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        a->staged_pos += n;
        a->bytes_left -= n;
    }
    bmdma_finish(bus, false);
    atapi_cmd_ok(d);
}

/* Start the data phase of bytes_left bytes (staged, or sectors to read). */
static void atapi_start_data(IDEDevice *d)
{
    if (d->atapi.bytes_left == 0) {
        atapi_cmd_ok(d);
    } else if (d->atapi.dma) {
        d->status = ATA_STAT_READY | ATA_STAT_DRQ;
        ide_dma_begin(d);
    } else {
        atapi_pio_next(d);
    }
}

/* Reply with the buffer's first len bytes, cut to the allocation length. */
static void atapi_reply(IDEDevice *d, uint32_t len, uint32_t alloc)
{
    ATAPIState *a = &d->atapi;

    assert(len <= IDE_BUF_SIZE);
    a->staged = a->bytes_left = MIN(len, alloc);
    a->staged_pos = 0;
    a->sectors_left = 0;
    atapi_start_data(d);
}

/* ---- commands ---------------------------------------------------------------- */

static uint32_t atapi_be16(const uint8_t *p) { return (uint32_t)ld_be(p, 2); }
static uint32_t atapi_be32(const uint8_t *p) { return (uint32_t)ld_be(p, 4); }

static void atapi_lba_to_msf(uint8_t *p, uint32_t lba)
{
    lba += 150;                             /* the 2-second pregap */
    p[0] = 0;
    p[1] = lba / (75 * 60);
    p[2] = (lba / 75) % 60;
    p[3] = lba % 75;
}

static void atapi_cmd_test_unit_ready(IDEDevice *d, const uint8_t *pkt)
{
    atapi_cmd_ok(d);
}

static void atapi_cmd_request_sense(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf;

    memset(b, 0, 18);
    b[0] = 0x70;                            /* current error, fixed format */
    b[2] = d->atapi.sense_key;
    b[7] = 10;                              /* additional length */
    b[12] = d->atapi.asc;
    b[13] = d->atapi.ascq;
    d->atapi.sense_key = SENSE_NONE;        /* reported: cleared */
    d->atapi.asc = d->atapi.ascq = 0;
    atapi_reply(d, 18, pkt[4]);
}

static void atapi_cmd_inquiry(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf;

    if (pkt[1] & 1) {                       /* EVPD: no vital product data pages */
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05;                            /* CD/DVD device */
    b[1] = 0x80;                            /* removable */
    b[2] = 0x00;
    b[3] = 0x21;                            /* ATAPI; response data format 1 */
    b[4] = 36 - 5;
    memcpy(b + 8, "TERN    ", 8);
    memcpy(b + 16, "TERN DVD-ROM    ", 16);
    memcpy(b + 32, "1.0 ", 4);
    atapi_reply(d, 36, atapi_be16(pkt + 3));
}

static void atapi_cmd_read_capacity(IDEDevice *d, const uint8_t *pkt)
{
    st_be(d->buf, d->nb_sectors ? d->nb_sectors - 1 : 0, 4);
    st_be(d->buf + 4, ATAPI_SECTOR_SIZE, 4);
    atapi_reply(d, 8, 8);
}

static void atapi_read(IDEDevice *d, uint32_t lba, uint32_t count)
{
    ATAPIState *a = &d->atapi;

    if ((uint64_t)lba + count > d->nb_sectors) {
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    a->lba = lba;
    a->sectors_left = count;
    a->bytes_left = (uint64_t)count * ATAPI_SECTOR_SIZE;
    a->staged = a->staged_pos = 0;
    atapi_start_data(d);
}

static void atapi_cmd_read10(IDEDevice *d, const uint8_t *pkt)
{
    atapi_read(d, atapi_be32(pkt + 2), atapi_be16(pkt + 7));
}

static void atapi_cmd_read12(IDEDevice *d, const uint8_t *pkt)
{
    atapi_read(d, atapi_be32(pkt + 2), atapi_be32(pkt + 6));
}

static void atapi_cmd_mode_sense(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf, *p = b + 8;
    unsigned page = pkt[2] & 0x3f, control = pkt[2] >> 6;

    if (control == 3) {                     /* saved values: not supported */
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, 0x39);
        return;
    }
    memset(b, 0, 64);
    b[2] = 0x70;                            /* medium type: as QEMU says */
    if (page == 0x01 || page == 0x3f) {     /* read/write error recovery */
        p[0] = 0x01;
        p[1] = 0x06;
        p[3] = 5;                           /* read retry count */
        p += 8;
    }
    if (page == 0x2a || page == 0x3f) {     /* CD/DVD capabilities and mechanical status */
        p[0] = 0x2a;
        p[1] = 0x12;
        p[2] = 0x3b;                        /* reads CD-R, CD-RW, DVD-ROM, DVD-R, DVD-RAM */
        p[4] = 0x71;                        /* audio play, multi-session, mode 2 forms */
        p[5] = 0x60;                        /* CD-DA commands, accurate stream */
        p[6] = 0x29 | (d->atapi.locked ? 0x02 : 0);  /* tray, eject, lock (state) */
        st_be(p + 8, 706, 2);               /* maximum speed, kB/s */
        st_be(p + 10, 2, 2);                /* volume levels */
        st_be(p + 12, 512, 2);              /* buffer size, KiB */
        st_be(p + 14, 706, 2);              /* current speed */
        p += 20;
    }
    if (p == b + 8) {
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    st_be(b, p - b - 2, 2);                 /* mode data length */
    atapi_reply(d, p - b, atapi_be16(pkt + 7));
}

static void atapi_cmd_read_toc(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf, *p = b + 4;
    bool msf = pkt[1] & 2;
    unsigned format = pkt[2] & 0xf, track = pkt[6];

    if (format == 0 && pkt[9] >> 6) {
        format = pkt[9] >> 6;               /* the older place of the format */
    }
    memset(b, 0, 32);
    switch (format) {
    case 0:                                 /* TOC: track 1, then the lead-out */
        if (track > 1 && track != 0xaa) {
            atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        b[2] = b[3] = 1;                    /* first and last track */
        if (track <= 1) {
            p[1] = 0x14;                    /* ADR 1, data track */
            p[2] = 1;
            if (msf) {
                atapi_lba_to_msf(p + 4, 0);
            }
            p += 8;
        }
        p[1] = 0x14;
        p[2] = 0xaa;
        if (msf) {
            atapi_lba_to_msf(p + 4, d->nb_sectors);
        } else {
            st_be(p + 4, d->nb_sectors, 4);
        }
        p += 8;
        break;
    case 1:                                 /* session information: one session */
        b[2] = b[3] = 1;
        p[1] = 0x14;
        p[2] = 1;
        if (msf) {
            atapi_lba_to_msf(p + 4, 0);
        }
        p += 8;
        break;
    default:
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    st_be(b, p - b - 2, 2);
    atapi_reply(d, p - b, atapi_be16(pkt + 7));
}

static uint16_t atapi_profile(const IDEDevice *d)
{
    if (!atapi_has_disc(d)) {
        return MMC_PROFILE_NONE;
    }
    return d->nb_sectors > ATAPI_CD_MAX_SECTORS ? MMC_PROFILE_DVD_ROM : MMC_PROFILE_CD_ROM;
}

static void atapi_cmd_get_configuration(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf, *p = b + 8;
    uint16_t cur = atapi_profile(d);

    memset(b, 0, 64);
    st_be(b + 6, cur, 2);                   /* current profile */
    /* feature 0: the profile list, persistent and current */
    p[2] = 0x03;
    p[3] = 8;
    st_be(p + 4, MMC_PROFILE_DVD_ROM, 2);
    p[6] = cur == MMC_PROFILE_DVD_ROM;
    st_be(p + 8, MMC_PROFILE_CD_ROM, 2);
    p[10] = cur == MMC_PROFILE_CD_ROM;
    p += 12;
    /* feature 1: core, ATAPI physical interface */
    st_be(p, 0x0001, 2);
    p[2] = 0x07;                            /* version 1, persistent, current */
    p[3] = 8;
    st_be(p + 4, 2, 4);                     /* ATAPI */
    p += 12;
    st_be(b, p - b - 4, 4);                 /* data length */
    atapi_reply(d, p - b, atapi_be16(pkt + 7));
}

static void atapi_cmd_get_event_status(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf;
    uint32_t len;

    if (!(pkt[1] & 1)) {                    /* only polled operation */
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10;                            /* supported classes: media */
    if (pkt[4] & 0x10) {
        b[1] = 6;                           /* event data length */
        b[2] = 0x04;                        /* media class */
        b[5] = atapi_has_disc(d) ? 0x02 : 0x00;  /* media present, door closed */
        len = 8;
    } else {
        b[1] = 2;
        b[2] = 0x80;                        /* no event available */
        len = 4;
    }
    atapi_reply(d, len, atapi_be16(pkt + 7));
}

static void atapi_cmd_read_disc_info(IDEDevice *d, const uint8_t *pkt)
{
    uint8_t *b = d->buf;

    if (pkt[1] & 7) {                       /* only the standard disc information */
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 34);
    b[1] = 32;                              /* data length */
    b[2] = 0x0e;                            /* complete session, finalized disc */
    b[3] = 1;                               /* first track */
    b[4] = 1;                               /* sessions */
    b[5] = 1;                               /* first and last track of the last session */
    b[6] = 1;
    atapi_reply(d, 34, atapi_be16(pkt + 7));
}

static void atapi_cmd_prevent_allow(IDEDevice *d, const uint8_t *pkt)
{
    d->atapi.locked = pkt[4] & 1;
    atapi_cmd_ok(d);
}

static void atapi_cmd_mechanism_status(IDEDevice *d, const uint8_t *pkt)
{
    memset(d->buf, 0, 8);                   /* idle, no changer, no slots */
    atapi_reply(d, 8, atapi_be16(pkt + 8));
}

static void atapi_cmd_data_protect(IDEDevice *d, const uint8_t *pkt)
{
    atapi_cmd_error(d, SENSE_DATA_PROTECT, ASC_WRITE_PROTECTED);
}

enum {
    ATAPI_F_MEDIA = 1 << 0,     /* fails with NOT READY without a disc */
};

typedef struct ATAPICommand {
    void (*fn)(IDEDevice *d, const uint8_t *pkt);
    uint8_t flags;
} ATAPICommand;

static const ATAPICommand atapi_commands[256] = {
    [0x00] = { atapi_cmd_test_unit_ready, ATAPI_F_MEDIA },
    [0x03] = { atapi_cmd_request_sense, 0 },
    [0x12] = { atapi_cmd_inquiry, 0 },
    [0x1b] = { atapi_cmd_test_unit_ready, 0 },          /* START STOP UNIT: nothing moves */
    [0x1e] = { atapi_cmd_prevent_allow, 0 },
    [0x25] = { atapi_cmd_read_capacity, ATAPI_F_MEDIA },
    [0x28] = { atapi_cmd_read10, ATAPI_F_MEDIA },
    [0x2a] = { atapi_cmd_data_protect, 0 },             /* WRITE(10) */
    [0x2e] = { atapi_cmd_data_protect, 0 },             /* WRITE AND VERIFY(10) */
    [0x35] = { atapi_cmd_test_unit_ready, 0 },          /* SYNCHRONIZE CACHE: nothing cached */
    [0x43] = { atapi_cmd_read_toc, ATAPI_F_MEDIA },
    [0x46] = { atapi_cmd_get_configuration, 0 },
    [0x4a] = { atapi_cmd_get_event_status, 0 },
    [0x51] = { atapi_cmd_read_disc_info, ATAPI_F_MEDIA },
    [0x5a] = { atapi_cmd_mode_sense, 0 },
    [0xa8] = { atapi_cmd_read12, ATAPI_F_MEDIA },
    [0xaa] = { atapi_cmd_data_protect, 0 },             /* WRITE(12) */
    [0xbb] = { atapi_cmd_test_unit_ready, 0 },          /* SET CD SPEED: accepted */
    [0xbd] = { atapi_cmd_mechanism_status, 0 },
};

/* The packet is in: run it. */
static void atapi_packet_received(IDEDevice *d)
{
    uint8_t *pkt = d->atapi.packet;
    const ATAPICommand *c;

    memcpy(pkt, d->buf, ATAPI_PACKET_SIZE);
    c = &atapi_commands[pkt[0]];
    d->status = ATA_STAT_BSY | ATA_STAT_DRDY;
    if (!c->fn) {
        log_mask(LOG_UNIMP, "ide: %s: ATAPI command 0x%02x rejected\n", d->bus->name, pkt[0]);
        atapi_cmd_error(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
        return;
    }
    if ((c->flags & ATAPI_F_MEDIA) && !atapi_has_disc(d)) {
        atapi_cmd_error(d, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT);
        return;
    }
    c->fn(d, pkt);
}

void atapi_cmd_packet(IDEDevice *d)
{
    ATAPIState *a = &d->atapi;

    if (d->feature & 0x02) {                /* overlapped commands: not supported */
        ide_transfer_stop(d);
        d->error = 0x04;
        d->status = ATA_STAT_READY | ATA_STAT_ERR;
        ide_raise_irq(d->bus);
        return;
    }
    a->dma = d->feature & 0x01;
    a->byte_limit = d->hcyl << 8 | d->lcyl;
    a->bytes_left = a->sectors_left = a->staged = a->staged_pos = a->chunk = 0;
    d->nsector = ATAPI_INT_COD;
    d->status = ATA_STAT_READY;
    ide_transfer_start(d, 0, ATAPI_PACKET_SIZE, atapi_packet_received);
}
