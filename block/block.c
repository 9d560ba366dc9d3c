/*
 * block.c: BlockBackend, an open disk image (include/block/block.h).
 *
 * blk_open checks the file (exists, a regular file or block device,
 * writable if the drive is), opens it with the cache mode's flags
 * (block/raw.c), takes the image locks, probes the format (raw; qcow2 is
 * named and refused) and, for -snapshot, puts a temporary overlay in
 * front (block/overlay.c).  Every request is checked against the length
 * here, once, before any I/O.  Callers serialise requests on one backend
 * (the devices run under the machine lock).
 */
#include "util/osdep.h"
#include "block/block-int.h"

#include <sys/stat.h>

struct BlockBackend {
    char *filename;
    RawFile file;
    Overlay *overlay;           /* -snapshot: the writes; file is read-only */
    uint64_t length;
    bool read_only;             /* the guest may not write */
    BlockCacheMode cache;
};

static const char qcow2_magic[4] = { 'Q', 'F', 'I', (char)0xfb };
#define QCOW2_REFUSED "qcow2 images are not supported yet (convert with qemu-img convert -O raw)"

/* "-hda disk.img" in messages ("disk.img" without an option name). */
typedef struct BlkName {
    char s[4200];
} BlkName;

static BlkName blk_name(const BlockOpenOptions *o)
{
    BlkName n;
    snprintf(n.s, sizeof(n.s), "%s%s%s", o->what ? o->what : "", o->what ? " " : "",
             o->filename);
    return n;
}

/* Is the file one tern can use as a disk, and writable if it must be? */
static int blk_check_file(const BlockOpenOptions *o, bool writable, Error **errp)
{
    struct stat st;

    if (stat(o->filename, &st) < 0) {
        error_setg_errno(errp, errno, "%s", blk_name(o).s);
        return -errno;
    }
    if (S_ISDIR(st.st_mode)) {
        error_setg(errp, "%s: is a directory, not a disk image", blk_name(o).s);
        return -EISDIR;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        error_setg(errp, "%s: not a regular file or a block device", blk_name(o).s);
        return -EINVAL;
    }
    /* root may write anything: a file without write permission is still
     * meant to be read-only */
    if (writable && !(st.st_mode & 0222)) {
        error_setg(errp, "%s: the file is read-only (use readonly=on, or -snapshot to "
                   "discard the guest's writes)", blk_name(o).s);
        return -EACCES;
    }
    return 0;
}

static int blk_check_format(const BlockOpenOptions *o, Error **errp)
{
    if (!o->format || !strcmp(o->format, "raw")) {
        return 0;
    }
    if (!strcmp(o->format, "qcow2")) {
        error_setg(errp, "%s: " QCOW2_REFUSED, blk_name(o).s);
    } else {
        error_setg(errp, "%s: unknown image format '%s' (tern reads raw images)",
                   blk_name(o).s, o->format);
    }
    return -ENOTSUP;
}

/* Without format=: refuse what is recognisably not a raw disk. */
static int blk_probe(BlockBackend *blk, const BlockOpenOptions *o, Error **errp)
{
    char magic[sizeof(qcow2_magic)];
    int ret;

    if (o->format || blk->length < sizeof(magic)) {
        return 0;
    }
    ret = raw_file_pread(&blk->file, 0, magic, sizeof(magic));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "%s: reading the header", blk_name(o).s);
        return ret;
    }
    if (!memcmp(magic, qcow2_magic, sizeof(magic))) {
        error_setg(errp, "%s: " QCOW2_REFUSED, blk_name(o).s);
        return -ENOTSUP;
    }
    return 0;
}

static int blk_open_file(BlockBackend *blk, const BlockOpenOptions *o, bool writable,
                         Error **errp)
{
    int ret = raw_file_open(&blk->file, o->filename, writable, o->cache);

    if (ret == -ENOTSUP) {
        error_setg(errp, "%s: cache=none: the file system does not support O_DIRECT "
                   "(use cache=writeback or cache=writethrough)", blk_name(o).s);
    } else if (writable && (ret == -EACCES || ret == -EROFS || ret == -EPERM)) {
        error_setg(errp, "%s: the file is read-only (%s; use readonly=on, or -snapshot to "
                   "discard the guest's writes)", blk_name(o).s, strerror(-ret));
    } else if (ret < 0) {
        error_setg_errno(errp, -ret, "%s", blk_name(o).s);
    }
    if (ret < 0) {
        return ret;
    }
    ret = raw_file_length(&blk->file, &blk->length);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "%s: cannot get its size", blk_name(o).s);
        return ret;
    }
    /* a partial sector could be neither read nor written whole by a
     * disk's guest: an image cut short (or not an image) is refused */
    if (blk->length == 0 || blk->length % BLK_SECTOR_SIZE) {
        error_setg(errp, "%s: %s (%" PRIu64 " bytes is not a whole number of %u-byte "
                   "sectors)", blk_name(o).s, blk->length ? "the image is truncated" :
                   "the image is empty", blk->length, BLK_SECTOR_SIZE);
        return -EINVAL;
    }
    if (blk->file.direct && blk->length % RAW_DIRECT_ALIGN) {
        error_setg(errp, "%s: cache=none needs an image size that is a multiple of %u bytes",
                   blk_name(o).s, RAW_DIRECT_ALIGN);
        return -EINVAL;
    }
    ret = raw_file_lock(&blk->file, writable);
    if (ret == -EAGAIN) {
        error_setg(errp, "%s: the image is locked by another process (is another tern or "
                   "QEMU using it?)", blk_name(o).s);
        return ret;
    }
    if (ret == -ENOLCK || ret == -EINVAL || ret == -EOPNOTSUPP) {
        /* a file system without OFD locks (QEMU's locking=auto goes on too) */
        warn_report("%s: the file system cannot lock the image (%s); nothing keeps "
                    "another tern or QEMU from using it", blk_name(o).s, strerror(-ret));
        return 0;
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "%s: cannot lock the image", blk_name(o).s);
        return ret;
    }
    return 0;
}

BlockBackend *blk_open(const BlockOpenOptions *o, Error **errp)
{
    bool writable = !o->read_only && !o->snapshot;
    BlockBackend *blk;
    int ret;

    if (blk_check_format(o, errp) < 0 || blk_check_file(o, writable, errp) < 0) {
        return NULL;
    }
    blk = tern_malloc0(sizeof(*blk));
    blk->file.fd = -1;
    blk->filename = tern_strdup(o->filename);
    blk->read_only = o->read_only;
    blk->cache = o->cache;
    ret = blk_open_file(blk, o, writable, errp);
    if (ret == 0) {
        ret = blk_probe(blk, o, errp);
    }
    if (ret == 0 && o->snapshot) {
        blk->overlay = overlay_new(&blk->file, blk->length, &ret);
        if (!blk->overlay) {
            error_setg_errno(errp, -ret, "%s: cannot create the -snapshot overlay in "
                             "$TMPDIR or /var/tmp", blk_name(o).s);
        }
    }
    if (ret < 0) {
        blk_close(blk);
        return NULL;
    }
    return blk;
}

void blk_close(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    if (!blk->read_only && !blk->overlay && blk->file.fd >= 0) {
        raw_file_flush(&blk->file);     /* every mode, unsafe included */
    }
    overlay_free(blk->overlay);
    raw_file_close(&blk->file);         /* drops the locks */
    free(blk->filename);
    free(blk);
}

uint64_t blk_length(const BlockBackend *blk)
{
    return blk->length;
}

bool blk_is_read_only(const BlockBackend *blk)
{
    return blk->read_only;
}

const char *blk_filename(const BlockBackend *blk)
{
    return blk->filename;
}

BlockCacheMode blk_cache_mode(const BlockBackend *blk)
{
    return blk->cache;
}

bool blk_is_snapshot(const BlockBackend *blk)
{
    return blk->overlay != NULL;
}

static bool blk_in_range(const BlockBackend *blk, uint64_t offset, size_t len)
{
    return offset <= blk->length && len <= blk->length - offset;
}

int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t len)
{
    if (!blk_in_range(blk, offset, len)) {
        return -EINVAL;
    }
    if (blk->overlay) {
        return overlay_pread(blk->overlay, offset, buf, len);
    }
    return raw_file_pread(&blk->file, offset, buf, len);
}

int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf, size_t len)
{
    if (!blk_in_range(blk, offset, len)) {
        return -EINVAL;
    }
    if (blk->read_only) {
        return -EROFS;
    }
    if (blk->overlay) {
        return overlay_pwrite(blk->overlay, offset, buf, len);
    }
    return raw_file_pwrite(&blk->file, offset, buf, len);
}

int blk_flush(BlockBackend *blk)
{
    /* the overlay is thrown away: nothing to make stable */
    if (blk->read_only || blk->overlay || blk->cache == BLK_CACHE_UNSAFE) {
        return 0;
    }
    return raw_file_flush(&blk->file);
}
