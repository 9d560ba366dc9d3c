/*
 * bmdma.c: the bus-master IDE engine of one channel (Intel 82371SB PIIX3
 * datasheet 2.7, BMIBA registers; the SFF-8038i programming interface).
 *
 * Registers (offsets in the channel's 8 bytes; byte, word or dword):
 *   0 BMICx  bit 0 start/stop, bit 3 direction (1: the engine writes memory)
 *   2 BMISx  bit 0 active (read-only), bit 1 error and bit 2 interrupt
 *            (write 1 to clear), bits 6:5 drive DMA capable (software's)
 *   4 BMIDTPx  the PRD table's physical address, bits 31:2
 * A PRD entry is 8 bytes: a 32-bit buffer address (bit 0 ignored), a byte
 * count in bits 15:1 of the next word (0 means 64 KiB) and EOT in bit 31
 * of the second dword.
 *
 * Writing start (0 -> 1) sets active and rewinds the walk to the table's
 * first entry; a DMA command waiting for the engine then runs at once.
 * The walk is bounded: a table that ends before the transfer does, or one
 * longer than IDE_PRD_MAX entries, or guest memory that refuses an access,
 * fails the transfer (ERROR, interrupt, the device aborts the command).
 * A table longer than the transfer is fine (the rest is not read).  Our
 * own registers are port I/O, so DMA through the memory address space
 * can never reach them.
 */
#include "util/osdep.h"
#include "util/bytes.h"
#include "util/log.h"
#include "hw/ide/internal.h"

enum { BM_REG_CMD = 0, BM_REG_STATUS = 2, BM_REG_PRD = 4 };

#define BM_PRD_EOT      0x80        /* in the entry's last byte */

void bmdma_reset(BMDMAState *bm)
{
    memset(bm, 0, sizeof(*bm));
}

/* Read the next PRD entry into the walk. */
static int bmdma_next_prd(IDEBus *bus)
{
    BMDMAState *bm = &bus->bm;
    uint8_t e[8];
    uint32_t count;

    if (bm->eot) {
        return -ENOSPC;
    }
    if (bm->prd_count >= IDE_PRD_MAX) {
        return -ELOOP;
    }
    if (address_space_read(bus->dma_as, bm->prd_next, e, sizeof(e)) != MEMTX_OK) {
        return -EIO;
    }
    bm->prd_next += sizeof(e);
    bm->prd_count++;
    bm->cur_addr = (uint32_t)ld_le(e, 4) & ~1u;
    count = (uint32_t)ld_le(e + 4, 2) & 0xfffe;
    bm->cur_len = count ? count : 0x10000;
    bm->eot = e[7] & BM_PRD_EOT;
    return 0;
}

int bmdma_rw(IDEBus *bus, uint8_t *buf, uint32_t len, bool to_memory)
{
    BMDMAState *bm = &bus->bm;

    while (len) {
        uint32_t n;
        MemTxResult r;

        if (bm->cur_len == 0) {
            int ret = bmdma_next_prd(bus);

            if (ret < 0) {
                log_mask(LOG_GUEST_ERROR, "ide: %s: PRD table at 0x%x: %s\n", bus->name,
                         bm->prd_table, ret == -ENOSPC ? "ends before the transfer" :
                         ret == -ELOOP ? "has no end" : "unreadable");
                return ret;
            }
        }
        n = MIN(len, bm->cur_len);
        r = to_memory ? address_space_write(bus->dma_as, bm->cur_addr, buf, n)
                      : address_space_read(bus->dma_as, bm->cur_addr, buf, n);
        if (r != MEMTX_OK) {
            log_mask(LOG_GUEST_ERROR, "ide: %s: DMA buffer at 0x%x refused\n", bus->name,
                     bm->cur_addr);
            return -EIO;
        }
        bm->cur_addr += n;
        bm->cur_len -= n;
        buf += n;
        len -= n;
    }
    return 0;
}

void bmdma_finish(IDEBus *bus, bool failed)
{
    bus->bm.status &= ~BM_STATUS_ACTIVE;
    if (failed) {
        bus->bm.status |= BM_STATUS_ERROR;
    }
}

static void bmdma_cmd_write(IDEBus *bus, uint8_t val)
{
    BMDMAState *bm = &bus->bm;
    bool start = val & BM_CMD_START, was = bm->cmd & BM_CMD_START;

    bm->cmd = val & (BM_CMD_START | BM_CMD_WRITE);
    if (start && !was) {
        bm->status |= BM_STATUS_ACTIVE;
        bm->prd_next = bm->prd_table;
        bm->prd_count = 0;
        bm->cur_len = 0;
        bm->eot = false;
        ide_dma_run(bus);
    } else if (!start && was) {
        bm->status &= ~BM_STATUS_ACTIVE;
    }
}

static uint64_t bmdma_read(void *opaque, uint64_t addr, unsigned size)
{
    IDEBus *bus = opaque;

    if (addr >= BM_REG_PRD) {
        return (bus->bm.prd_table >> (8 * (addr - BM_REG_PRD))) & 0xff;
    }
    switch (addr) {
    case BM_REG_CMD:
        return bus->bm.cmd;
    case BM_REG_STATUS:
        return bus->bm.status;
    }
    return 0;
}

static void bmdma_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IDEBus *bus = opaque;
    BMDMAState *bm = &bus->bm;

    if (addr >= BM_REG_PRD) {
        unsigned shift = 8 * (addr - BM_REG_PRD);

        bm->prd_table = ((bm->prd_table & ~(0xffu << shift)) | (uint32_t)(val & 0xff) << shift) &
                        ~3u;
        return;
    }
    switch (addr) {
    case BM_REG_CMD:
        bmdma_cmd_write(bus, val);
        break;
    case BM_REG_STATUS:
        /* error and interrupt: write 1 to clear; the capable bits: stored */
        bm->status = (bm->status & ~(BM_STATUS_DRV_DMA | (val & (BM_STATUS_ERROR | BM_STATUS_INTR)))) |
                     (val & BM_STATUS_DRV_DMA);
        break;
    }
}

const MemoryRegionOps bmdma_ops = {
    .read = bmdma_read,
    .write = bmdma_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};
