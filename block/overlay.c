/*
 * overlay.c: -snapshot.  The guest's writes go to a temporary file (made
 * with mkstemp in $TMPDIR, else /var/tmp, and unlinked at once, so it
 * disappears with tern however tern ends); a bitmap says which clusters
 * the overlay holds.  Reads take each cluster from the overlay or from
 * the image, which is open read-only and never written.
 *
 * Clusters are 4 KiB: the guest's page cache writes whole 4 KiB pages,
 * so a write rarely needs the rest of its cluster copied from the image
 * first, and the bitmap stays small (32 KiB of it per GiB of image).
 * The temporary file is sparse and at the image's offsets: its size is
 * what the guest wrote, rounded to clusters.
 */
#include "util/osdep.h"
#include "block/block-int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DIV_ROUND_UP_U64(n, d) (((n) + (d) - 1) / (d))

struct Overlay {
    RawFile *base;              /* the image, read-only */
    RawFile tmp;                /* the written clusters */
    uint64_t length;
    uint8_t *bitmap;            /* bit c: cluster c is in tmp */
};

static bool overlay_has(const Overlay *ov, uint64_t c)
{
    return ov->bitmap[c / 8] >> (c % 8) & 1;
}

static void overlay_set(Overlay *ov, uint64_t c)
{
    ov->bitmap[c / 8] |= (uint8_t)(1u << (c % 8));
}

Overlay *overlay_new(RawFile *base, uint64_t length, int *err)
{
    const char *dir = getenv("TMPDIR");
    uint64_t clusters = DIV_ROUND_UP_U64(length, OVERLAY_CLUSTER_SIZE);
    char path[4096];
    Overlay *ov;
    int fd;

    if (!dir || !*dir) {
        dir = "/var/tmp";
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/tern-snapshot-XXXXXX", dir) >= sizeof(path)) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    unlink(path);
    ov = tern_malloc0(sizeof(*ov));
    ov->base = base;
    ov->tmp = (RawFile){ .fd = fd };
    ov->length = length;
    ov->bitmap = tern_malloc0((size_t)DIV_ROUND_UP_U64(clusters, 8) + 1);
    return ov;
}

void overlay_free(Overlay *ov)
{
    if (ov) {
        raw_file_close(&ov->tmp);
        free(ov->bitmap);
        free(ov);
    }
}

/* The bytes of cluster c that lie within the image. */
static size_t overlay_cluster_len(const Overlay *ov, uint64_t c)
{
    return (size_t)MIN((uint64_t)OVERLAY_CLUSTER_SIZE, ov->length - c * OVERLAY_CLUSTER_SIZE);
}

int overlay_pread(Overlay *ov, uint64_t offset, void *buf, size_t len)
{
    while (len) {
        uint64_t c = offset / OVERLAY_CLUSTER_SIZE;
        bool in_tmp = overlay_has(ov, c);
        size_t n = 0;
        int ret;

        /* the longest run of clusters on the same side */
        do {
            uint64_t cur = offset + n;
            n += (size_t)MIN((uint64_t)(len - n),
                             OVERLAY_CLUSTER_SIZE - cur % OVERLAY_CLUSTER_SIZE);
        } while (n < len && overlay_has(ov, (offset + n) / OVERLAY_CLUSTER_SIZE) == in_tmp);
        ret = raw_file_pread(in_tmp ? &ov->tmp : ov->base, offset, buf, n);
        if (ret < 0) {
            return ret;
        }
        buf = (char *)buf + n;
        offset += n;
        len -= n;
    }
    return 0;
}

int overlay_pwrite(Overlay *ov, uint64_t offset, const void *buf, size_t len)
{
    uint8_t cluster[OVERLAY_CLUSTER_SIZE];

    while (len) {
        uint64_t c = offset / OVERLAY_CLUSTER_SIZE;
        size_t in = (size_t)(offset % OVERLAY_CLUSTER_SIZE);
        size_t clen = overlay_cluster_len(ov, c);
        size_t n = MIN(len, clen - in);
        int ret;

        if (overlay_has(ov, c) || (in == 0 && n == clen)) {
            ret = raw_file_pwrite(&ov->tmp, offset, buf, n);
        } else {
            /* first write to a cluster it covers only partly: copy the
             * rest of the cluster from the image */
            ret = raw_file_pread(ov->base, c * OVERLAY_CLUSTER_SIZE, cluster, clen);
            if (ret == 0) {
                memcpy(cluster + in, buf, n);
                ret = raw_file_pwrite(&ov->tmp, c * OVERLAY_CLUSTER_SIZE, cluster, clen);
            }
        }
        if (ret < 0) {
            return ret;
        }
        overlay_set(ov, c);
        buf = (const char *)buf + n;
        offset += n;
        len -= n;
    }
    return 0;
}
