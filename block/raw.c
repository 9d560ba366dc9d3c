/*
 * raw.c: a host file or block device as a disk: pread/pwrite with every
 * transfer completed (EINTR and short counts retried), the cache modes'
 * open flags, O_DIRECT with an aligned bounce buffer for the requests
 * that are not aligned, fdatasync, and QEMU's image locks.
 *
 * Locking follows QEMU (block/file-posix.c, raw_apply_lock_bytes) so that
 * tern and QEMU exclude each other: open file description (OFD) read
 * locks on single bytes, byte 100 + p for each permission p held and byte
 * 200 + p for each permission p not shared with others.  A conflict is
 * a held permission whose "not shared" byte someone else locks, or an
 * unshared permission whose "held" byte someone else locks.  OFD locks
 * belong to the open file, not the process: two opens of one image in
 * one process conflict too, and closing the fd drops them.
 */
#include "util/osdep.h"
#include "block/block-int.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest bounce buffer: bigger unaligned requests go in pieces. */
#define RAW_BOUNCE_MAX (1u << 20)

int raw_file_open(RawFile *f, const char *path, bool writable, BlockCacheMode cache)
{
    int flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC;

    if (cache == BLK_CACHE_WRITETHROUGH) {
        flags |= O_DSYNC;
    } else if (cache == BLK_CACHE_NONE) {
        flags |= O_DIRECT;
    }
    f->direct = cache == BLK_CACHE_NONE;
    do {
        f->fd = open(path, flags);
    } while (f->fd < 0 && errno == EINTR);
    if (f->fd < 0) {
        /* tmpfs and some others refuse O_DIRECT with EINVAL */
        return errno == EINVAL && f->direct ? -ENOTSUP : -errno;
    }
    return 0;
}

void raw_file_close(RawFile *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
}

int raw_file_length(RawFile *f, uint64_t *len)
{
    struct stat st;

    if (fstat(f->fd, &st) < 0) {
        return -errno;
    }
    if (S_ISBLK(st.st_mode)) {
        return ioctl(f->fd, BLKGETSIZE64, len) < 0 ? -errno : 0;
    }
    *len = (uint64_t)st.st_size;
    return 0;
}

/* pread or pwrite all of len bytes, whatever the buffer's alignment. */
static int raw_transfer(int fd, bool write, uint64_t offset, void *buf, size_t len)
{
    while (len) {
        ssize_t n = write ? pwrite(fd, buf, len, (off_t)offset)
                          : pread(fd, buf, len, (off_t)offset);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return -EIO;        /* end of file: the image shrank under us */
        }
        buf = (char *)buf + n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static bool raw_is_aligned(uint64_t offset, const void *buf, size_t len)
{
    return !((offset | (uintptr_t)buf | len) % RAW_DIRECT_ALIGN);
}

/* O_DIRECT for an unaligned request of at most RAW_BOUNCE_MAX bytes: go
 * through an aligned buffer covering the whole blocks it touches (a write
 * reads the partial first and last blocks first).  blk_open checked that
 * the image is a whole number of blocks, so those blocks exist. */
static int raw_bounce(RawFile *f, bool write, uint64_t offset, void *buf, size_t len)
{
    uint64_t start = QEMU_ALIGN_DOWN(offset, RAW_DIRECT_ALIGN);
    uint64_t end = ROUND_UP(offset + len, (uint64_t)RAW_DIRECT_ALIGN);
    size_t size = (size_t)(end - start), head = (size_t)(offset - start);
    void *bounce;
    int ret = 0;

    if (posix_memalign(&bounce, RAW_DIRECT_ALIGN, size)) {
        return -ENOMEM;
    }
    if (!write) {
        ret = raw_transfer(f->fd, false, start, bounce, size);
        if (ret == 0) {
            memcpy(buf, (char *)bounce + head, len);
        }
        goto out;
    }
    if (head) {
        ret = raw_transfer(f->fd, false, start, bounce, RAW_DIRECT_ALIGN);
    }
    if (ret == 0 && (offset + len) % RAW_DIRECT_ALIGN &&
        (size > RAW_DIRECT_ALIGN || !head)) {
        ret = raw_transfer(f->fd, false, end - RAW_DIRECT_ALIGN,
                           (char *)bounce + size - RAW_DIRECT_ALIGN, RAW_DIRECT_ALIGN);
    }
    if (ret == 0) {
        memcpy((char *)bounce + head, buf, len);
        ret = raw_transfer(f->fd, true, start, bounce, size);
    }
out:
    free(bounce);
    return ret;
}

static int raw_rw(RawFile *f, bool write, uint64_t offset, void *buf, size_t len)
{
    if (!f->direct || raw_is_aligned(offset, buf, len)) {
        return raw_transfer(f->fd, write, offset, buf, len);
    }
    while (len) {
        /* pieces end on block boundaries, so only the first and last
         * piece can be partial */
        size_t chunk = (size_t)MIN((uint64_t)len, RAW_BOUNCE_MAX -
                                   offset % RAW_DIRECT_ALIGN);
        int ret = raw_bounce(f, write, offset, buf, chunk);
        if (ret < 0) {
            return ret;
        }
        buf = (char *)buf + chunk;
        offset += chunk;
        len -= chunk;
    }
    return 0;
}

int raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len)
{
    return raw_rw(f, false, offset, buf, len);
}

int raw_file_pwrite(RawFile *f, uint64_t offset, const void *buf, size_t len)
{
    return raw_rw(f, true, offset, (void *)buf, len);
}

int raw_file_flush(RawFile *f)
{
    int ret;

    do {
        ret = fdatasync(f->fd);
    } while (ret < 0 && errno == EINTR);
    return ret < 0 ? -errno : 0;
}

/* QEMU's permission bits (include/block/block-common.h) and lock bytes. */
enum {
    RAW_PERM_CONSISTENT_READ,
    RAW_PERM_WRITE,
    RAW_PERM_WRITE_UNCHANGED,
    RAW_PERM_RESIZE,
    RAW_PERM_COUNT,
};
#define RAW_LOCK_PERM_BASE   100
#define RAW_LOCK_SHARED_BASE 200

/* F_OFD_SETLK (take a read lock) or F_OFD_GETLK (would a write lock
 * conflict?) on one byte.  Returns 0, -EAGAIN for a conflict, or -errno. */
static int raw_lock_byte(int fd, bool test, off_t byte)
{
    struct flock fl = {
        .l_type = test ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1,
    };

    if (fcntl(fd, test ? F_OFD_GETLK : F_OFD_SETLK, &fl) < 0) {
        return errno == EACCES ? -EAGAIN : -errno;
    }
    return test && fl.l_type != F_UNLCK ? -EAGAIN : 0;
}

int raw_file_lock(RawFile *f, bool writable)
{
    /* what QEMU's disk devices ask for: read, write if writable; others
     * may read too, but neither write nor resize */
    unsigned perm = 1u << RAW_PERM_CONSISTENT_READ | (unsigned)writable << RAW_PERM_WRITE;
    unsigned shared = 1u << RAW_PERM_CONSISTENT_READ | 1u << RAW_PERM_WRITE_UNCHANGED;
    int ret = 0;

    /* take our locks first, then look for others': two openers racing
     * both see the conflict */
    for (int p = 0; p < RAW_PERM_COUNT && ret == 0; p++) {
        if (perm & 1u << p) {
            ret = raw_lock_byte(f->fd, false, RAW_LOCK_PERM_BASE + p);
        }
        if (ret == 0 && !(shared & 1u << p)) {
            ret = raw_lock_byte(f->fd, false, RAW_LOCK_SHARED_BASE + p);
        }
    }
    for (int p = 0; p < RAW_PERM_COUNT && ret == 0; p++) {
        if (perm & 1u << p) {
            ret = raw_lock_byte(f->fd, true, RAW_LOCK_SHARED_BASE + p);
        }
        if (ret == 0 && !(shared & 1u << p)) {
            ret = raw_lock_byte(f->fd, true, RAW_LOCK_PERM_BASE + p);
        }
    }
    return ret;
}
