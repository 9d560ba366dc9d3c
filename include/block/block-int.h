/*
 * block-int.h: the block layer's internal pieces, for block/ only (and
 * its unit test): the raw host file (block/raw.c) and the -snapshot
 * overlay (block/overlay.c) that block/block.c puts together.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"

/* O_DIRECT requests must be aligned (buffer, offset, length) to the
 * device's logical block size; 4096 covers 512e and 4Kn disks alike. */
#define RAW_DIRECT_ALIGN 4096u

/* A host file or block device, read and written with pread/pwrite. */
typedef struct RawFile {
    int fd;
    bool direct;                /* O_DIRECT: unaligned requests bounce */
} RawFile;

/* Open path (read-only or read-write) with cache's flags.  0, or a
 * negative errno; -ENOTSUP when the file system refuses O_DIRECT. */
int raw_file_open(RawFile *f, const char *path, bool writable, BlockCacheMode cache);
void raw_file_close(RawFile *f);
/* The size in bytes of a regular file or a block device. */
int raw_file_length(RawFile *f, uint64_t *len);
/* Whole transfers (EINTR and short counts retried): 0 or -errno.  A read
 * past the end of the file fails with -EIO. */
int raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len);
int raw_file_pwrite(RawFile *f, uint64_t offset, const void *buf, size_t len);
int raw_file_flush(RawFile *f);
/* Take QEMU's image locks (OFD byte-range locks): shared use of the image
 * for reading, exclusive for writing.  0, or -EAGAIN if another open
 * (this process or another) holds a conflicting lock. */
int raw_file_lock(RawFile *f, bool writable);

/* -snapshot: the clusters the guest wrote, kept in a temporary file. */
#define OVERLAY_CLUSTER_SIZE 4096u

typedef struct Overlay Overlay;

/* A new, empty overlay over base (length bytes), or NULL with -errno in
 * *err (no temporary file could be made). */
Overlay *overlay_new(RawFile *base, uint64_t length, int *err);
void overlay_free(Overlay *ov);
/* Both 0 or -errno; the range lies within length (the caller checked). */
int overlay_pread(Overlay *ov, uint64_t offset, void *buf, size_t len);
int overlay_pwrite(Overlay *ov, uint64_t offset, const void *buf, size_t len);

#endif
