/*
 * block.h: the block layer: disk images behind one small interface
 * (docs/block.md).
 *
 * A BlockBackend is an open image: raw files today (qcow2 is refused by
 * name).  Devices (hw/ide/, hw/virtio/virtio-blk.c) call it synchronously,
 * on the vCPU thread that made the request, under the machine lock: a
 * request is complete, or has failed, when the call returns.  Offsets
 * and lengths are bytes; a request that reaches past blk_length() fails
 * with -EINVAL before touching the file, so a guest can never make the
 * image grow.
 *
 * Data safety (the guarantees docs/block.md states):
 *   - a completed blk_pwrite is in the host's page cache at least (it
 *     survives tern being killed; with cache=none it is past the
 *     page cache); with cache=writethrough it is on stable storage
 *     before the call returns;
 *   - blk_flush makes every completed write stable (fdatasync), except
 *     with cache=unsafe, where it does nothing until blk_close;
 *   - blk_close flushes (every mode) before it closes;
 *   - -snapshot (or snapshot=on): writes go to a temporary overlay that is
 *     deleted at close; the image itself is opened read-only;
 *   - a writable image is locked (an OFD write lock on the file): a second
 *     tern, or QEMU, opening it for writing is refused with a clear error.
 *
 * Layer: util <- block <- hw (tests/scripts/suite-layering.sh).
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "util/osdep.h"
#include "util/error.h"
#include "util/option.h"        /* BlockCacheMode */

typedef struct BlockBackend BlockBackend;

/* An image is a whole number of sectors, at least one (blk_open refuses
 * others: a truncated or empty image). */
#define BLK_SECTOR_SIZE 512u

typedef struct BlockOpenOptions {
    const char *filename;        /* the image */
    const char *format;          /* "raw", or NULL: probe (raw; qcow2 refused by name) */
    bool read_only;              /* readonly=on, or a CD-ROM */
    bool snapshot;               /* -snapshot / snapshot=on: a discarded overlay */
    BlockCacheMode cache;
    const char *what;            /* for messages: "-hda", "-drive id=x", ... */
} BlockOpenOptions;

/* Open an image; NULL with a one-line *errp naming the file and the
 * reason (missing, a directory, not readable, read-only file for a
 * writable drive, locked by another process, an unsupported format). */
BlockBackend *blk_open(const BlockOpenOptions *opts, Error **errp);
/* Flush (every cache mode), unlock, close; the overlay is deleted. */
void blk_close(BlockBackend *blk);

uint64_t blk_length(const BlockBackend *blk);      /* bytes */
bool blk_is_read_only(const BlockBackend *blk);
const char *blk_filename(const BlockBackend *blk);
BlockCacheMode blk_cache_mode(const BlockBackend *blk);
bool blk_is_snapshot(const BlockBackend *blk);     /* writes go to an overlay */

/* 0, or a negative errno: -EINVAL past the end (nothing done), -EROFS on
 * a read-only backend, -EIO (or the host's errno) when the host failed. */
int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t len);
int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf, size_t len);
int blk_flush(BlockBackend *blk);

#endif
