/*
 * internal.h: what hw/ide/ata.c (registers, ATA commands, PIO), atapi.c
 * (packet commands) and bmdma.c (the PRD engine) share.  Not for other
 * devices: they use ide.h and piix.h.
 */
#ifndef HW_IDE_INTERNAL_H
#define HW_IDE_INTERNAL_H

#include "hw/ide/ide.h"

/* status register */
#define ATA_STAT_ERR    0x01
#define ATA_STAT_DRQ    0x08
#define ATA_STAT_DSC    0x10        /* seek complete (obsolete; drivers expect it) */
#define ATA_STAT_DF     0x20
#define ATA_STAT_DRDY   0x40
#define ATA_STAT_BSY    0x80
#define ATA_STAT_READY  (ATA_STAT_DRDY | ATA_STAT_DSC)

/* error register */
#define ATA_ERR_AMNF    0x01
#define ATA_ERR_ABRT    0x04
#define ATA_ERR_IDNF    0x10
#define ATA_ERR_UNC     0x40

/* device control */
#define ATA_CTL_NIEN    0x02
#define ATA_CTL_SRST    0x04
#define ATA_CTL_HOB     0x80

/* device/head */
#define ATA_DEV_LBA     0x40
#define ATA_DEV_DEV     0x10

/* ATAPI interrupt reason (the sector count register) */
#define ATAPI_INT_COD   0x01
#define ATAPI_INT_IO    0x02

/* SCSI sense keys and additional sense codes (SPC-3, MMC-5) */
#define SENSE_NONE              0x00
#define SENSE_NOT_READY         0x02
#define SENSE_MEDIUM_ERROR      0x03
#define SENSE_ILLEGAL_REQUEST   0x05
#define SENSE_DATA_PROTECT      0x07
#define ASC_UNRECOVERED_READ    0x11
#define ASC_INVALID_OPCODE      0x20
#define ASC_LBA_OUT_OF_RANGE    0x21
#define ASC_INVALID_FIELD       0x24
#define ASC_WRITE_PROTECTED     0x27
#define ASC_MEDIUM_NOT_PRESENT  0x3a

/* ata.c */
/* Assert INTRQ (and the engine's INTR bit). */
void ide_raise_irq(IDEBus *bus);
/* Open the PIO window buf[0, len) with DRQ set; end_fn runs once the
 * guest moved all of it (NULL: the command is then done). */
void ide_transfer_start(IDEDevice *d, uint32_t pos, uint32_t len, void (*end_fn)(IDEDevice *d));
void ide_transfer_stop(IDEDevice *d);
/* Wait for (or, if it already runs, use) the bus-master engine. */
void ide_dma_begin(IDEDevice *d);
/* The engine was started: run the DMA command that waits for it. */
void ide_dma_run(IDEBus *bus);
/* The ATA strings of IDENTIFY: s, space padded, bytes swapped per word. */
void ide_put_string(uint16_t *words, const char *s, unsigned nwords);
void ide_identify_common(IDEDevice *d, uint16_t *w);

/* atapi.c */
void atapi_cmd_packet(IDEDevice *d);
void atapi_dma_run(IDEDevice *d);
void atapi_reset(IDEDevice *d);

/* bmdma.c */
extern const MemoryRegionOps bmdma_ops;        /* opaque: the IDEBus */
/* Move len bytes between buf and the memory the PRD table names, from
 * where the walk is: 0, -ENOSPC (the table ended first), -ELOOP (more
 * than IDE_PRD_MAX entries), -EIO (memory refused an access). */
int bmdma_rw(IDEBus *bus, uint8_t *buf, uint32_t len, bool to_memory);
/* The transfer is over: the engine stops (ERROR on failure). */
void bmdma_finish(IDEBus *bus, bool failed);
void bmdma_reset(BMDMAState *bm);

#endif
