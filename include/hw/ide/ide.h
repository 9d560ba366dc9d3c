/*
 * ide.h: an IDE channel (ATA/ATAPI-8 ATA8-ACS and ATA8-APT): its two
 * device positions (master, slave), the task file registers a driver
 * sees at the command block (8 ports) and the control block (1 port),
 * and the bus-master DMA engine (the PIIX's BMIDE registers) that moves
 * a DMA command's data through a PRD table in guest memory.
 *
 * Each position holds nothing, a disk (ATA) or a CD-ROM (ATAPI, maybe
 * without a disc).  Commands complete synchronously: the block layer
 * (include/block/block.h) is synchronous, so a PIO command has its first
 * block ready (DRQ) or is done when the command register write returns,
 * and a DMA command runs to its end in the write that both issued it and
 * started the engine (whichever came second).  INTRQ: the channel's line
 * is high while an interrupt is pending and nIEN is clear; reading the
 * status register clears it.
 *
 * Guest input is bounded everywhere: transfer windows stay inside the
 * device's buffer, LBAs past the medium give IDNF / LBA OUT OF RANGE,
 * and a PRD table is walked at most IDE_PRD_MAX entries.
 *
 * Locking: everything runs under the machine lock (port I/O).
 */
#ifndef HW_IDE_IDE_H
#define HW_IDE_IDE_H

#include "util/osdep.h"
#include "util/error.h"
#include "exec/memory.h"
#include "hw/core/irq.h"
#include "block/block.h"

#define IDE_SECTOR_SIZE     512
#define ATAPI_SECTOR_SIZE   2048
#define IDE_MAX_MULT        16          /* READ/WRITE MULTIPLE block limit */
#define IDE_BUF_SIZE        (32 * ATAPI_SECTOR_SIZE)   /* a PIO/DMA staging buffer */
#define IDE_PRD_MAX         (65536 / 8) /* a PRD table fits in 64 KiB */
#define IDE_CMD_BLOCK_SIZE  8           /* data, error/features, ..., status/command */
#define IDE_BM_SIZE         8           /* one channel's BMIDE registers */

typedef enum IDEDriveKind {
    IDE_NONE,
    IDE_DISK,
    IDE_CDROM,
} IDEDriveKind;

typedef struct IDEBus IDEBus;
typedef struct IDEDevice IDEDevice;

/* ATAPI state: the packet, sense data, and a reply in progress. */
typedef struct ATAPIState {
    uint8_t packet[12];
    uint8_t sense_key, asc, ascq;
    bool locked;                 /* PREVENT ALLOW MEDIUM REMOVAL */
    uint32_t lba;                /* READ: the next 2048-byte sector */
    uint32_t sectors_left;       /* READ: sectors not yet staged */
    uint64_t bytes_left;         /* the reply's bytes not yet moved */
    uint32_t staged;             /* buffer bytes [0, staged) hold reply data */
    uint32_t staged_pos;         /* ... of which [staged_pos, staged) are unread */
    uint32_t chunk;              /* the PIO window open now: staged_pos + chunk */
    uint16_t byte_limit;         /* PIO chunk limit (LBA mid/high at PACKET) */
    bool dma;                    /* the packet's features bit 0 */
} ATAPIState;

struct IDEDevice {
    IDEBus *bus;
    unsigned unit;
    IDEDriveKind kind;
    BlockBackend *blk;           /* NULL: no disc (CD-ROM) */
    uint64_t nb_sectors;         /* in 512-byte sectors (disk) or 2048-byte ones (CD) */
    /* task file, with the previous contents (HOB) of the LBA48 registers */
    uint8_t feature, nsector, sector, lcyl, hcyl, select;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
    uint8_t status, error;
    /* ATA */
    uint16_t heads, sectors, cylinders;    /* CHS translation (INITIALIZE DEVICE PARAMETERS) */
    uint8_t mult_sectors;        /* SET MULTIPLE MODE; 0: READ/WRITE MULTIPLE abort */
    uint8_t xfer_mode;           /* SET FEATURES 03h: the selected mode */
    bool write_cache;
    uint8_t cmd;                 /* the command in progress */
    bool lba48;
    uint64_t lba;                /* next sector of the command in progress */
    uint32_t sectors_left;       /* its sectors not yet transferred */
    uint32_t block_sectors;      /* sectors per DRQ block */
    /* PIO: the DRQ window buf[pos, end) and what runs when it drains */
    uint8_t *buf;
    uint32_t pos, end;
    void (*end_fn)(IDEDevice *d);
    ATAPIState atapi;
};

/* The bus-master engine of one channel (PIIX BMICx, BMISx, BMIDTPx). */
typedef struct BMDMAState {
    uint8_t cmd;                 /* BM_CMD_START, BM_CMD_WRITE */
    uint8_t status;              /* BM_STATUS_* */
    uint32_t prd_table;          /* the descriptor table's address (dword aligned) */
    /* the walk: next entry, and what is left of the current one */
    uint32_t prd_next;
    unsigned prd_count;          /* entries read */
    uint32_t cur_addr, cur_len;
    bool eot;                    /* the current entry is the last */
} BMDMAState;

#define BM_CMD_START        0x01
#define BM_CMD_WRITE        0x08        /* the engine writes memory (a device read) */
#define BM_STATUS_ACTIVE    0x01
#define BM_STATUS_ERROR     0x02
#define BM_STATUS_INTR      0x04
#define BM_STATUS_DRV_DMA   0x60        /* drive 0/1 DMA capable (software's bits) */

struct IDEBus {
    IDEDevice devs[2];
    unsigned unit;               /* the selected position (DEV bit) */
    uint8_t devctl;              /* device control: nIEN, SRST, HOB */
    bool irq_pending;            /* INTRQ asserted by the selected device */
    bool irq_level;              /* what irq is driven to */
    IRQLine *irq;
    AddressSpace *dma_as;        /* where PRD tables and buffers live */
    IDEDevice *dma_pending;      /* a DMA command waits for the engine */
    BMDMAState bm;
    MemoryRegion cmd_io;         /* command block, IDE_CMD_BLOCK_SIZE ports */
    MemoryRegion ctl_io;         /* control block: alternate status / device control */
    MemoryRegion bm_io;          /* BMIDE registers, IDE_BM_SIZE ports */
    const char *name;
};

/* Set up an empty channel (no device) whose INTRQ is irq and whose
 * engine reaches memory through dma_as; the regions are not mapped. */
void ide_bus_init(IDEBus *bus, const char *name, IRQLine *irq, AddressSpace *dma_as);
void ide_bus_destroy(IDEBus *bus);
/* Put a disk (blk required) or a CD-ROM (blk NULL: no disc) at unit 0
 * or 1; -EBUSY (with *errp) if the position is taken. */
int ide_bus_attach(IDEBus *bus, unsigned unit, IDEDriveKind kind, BlockBackend *blk,
                   Error **errp);
/* Hardware reset: both devices to their signatures, the engine stopped. */
void ide_bus_reset(IDEBus *bus);

#endif
