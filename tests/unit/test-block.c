/*
 * test-block.c: the block layer (block/): raw images read, written and
 * flushed in every cache mode, requests past the end and writes to a
 * read-only drive refused before any I/O, -snapshot leaving the image
 * untouched, the image locks, qcow2 refused by name, and the drive
 * table's numbering and checks (block/drive.c).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "block/block.h"
#include "block/drive.h"
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

TEST_GLOBALS;

#define IMG_SIZE (256u * 1024)

static char dir[64];
static char img[128];

/* A fresh image of IMG_SIZE bytes: byte i is (i * 7) & 0xff. */
static void img_create(const char *path)
{
    static uint8_t data[IMG_SIZE];
    FILE *f;

    /* a new inode: a test that failed with the old one open (and locked)
     * does not disturb the next */
    unlink(path);
    f = fopen(path, "wb");
    for (size_t i = 0; i < IMG_SIZE; i++) {
        data[i] = (uint8_t)(i * 7);
    }
    assert(f && fwrite(data, 1, IMG_SIZE, f) == IMG_SIZE);
    fclose(f);
    chmod(path, 0644);
}

/* The image file's bytes, read behind the block layer's back. */
static bool img_read(const char *path, uint64_t offset, void *buf, size_t len)
{
    FILE *f = fopen(path, "rb");
    bool ok = f && fseek(f, (long)offset, SEEK_SET) == 0 && fread(buf, 1, len, f) == len;
    if (f) {
        fclose(f);
    }
    return ok;
}

static BlockBackend *open_img(BlockCacheMode cache, bool read_only, bool snapshot, Error **errp)
{
    BlockOpenOptions o = {
        .filename = img, .read_only = read_only, .snapshot = snapshot, .cache = cache,
        .what = "-hda",
    };
    return blk_open(&o, errp);
}

/* The error message of a failed open, which then must be one line. */
static bool open_fails_with(const BlockOpenOptions *o, const char *want)
{
    Error *err = NULL;
    BlockBackend *blk = blk_open(o, &err);
    bool ok = !blk && err && strstr(error_get_pretty(err), want) &&
              !strchr(error_get_pretty(err), '\n');
    if (!ok) {
        printf("    got: %s\n", err ? error_get_pretty(err) : "(opened)");
    }
    blk_close(blk);
    error_free(err);
    return ok;
}

/* write, read back, flush, close, and the bytes are in the file */
static void roundtrip(BlockCacheMode cache)
{
    uint8_t buf[3000], back[3000], file[3000];
    Error *err = NULL;
    BlockBackend *blk;

    img_create(img);
    blk = open_img(cache, false, false, &err);
    CHECK(blk && !err);
    CHECK_EQ(blk_length(blk), IMG_SIZE);
    CHECK(!blk_is_read_only(blk) && !strcmp(blk_filename(blk), img));
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i ^ 0x5a);
    }
    /* 8192 + 100: unaligned offset and length (cache=none bounces) */
    CHECK_EQ(blk_pwrite(blk, 8292, buf, sizeof(buf)), 0);
    CHECK_EQ(blk_pread(blk, 8292, back, sizeof(back)), 0);
    CHECK(!memcmp(buf, back, sizeof(buf)));
    CHECK_EQ(blk_pread(blk, 8192, back, 100), 0);    /* the bytes before: unchanged */
    for (unsigned i = 0; i < 100; i++) {
        CHECK_EQ(back[i], (uint8_t)((8192 + i) * 7));
    }
    CHECK_EQ(blk_pread(blk, 8292 + sizeof(buf), back, 10), 0);   /* and after */
    CHECK_EQ(back[0], (uint8_t)((8292 + sizeof(buf)) * 7));
    CHECK_EQ(blk_flush(blk), 0);
    CHECK(img_read(img, 8292, file, sizeof(file)) && !memcmp(buf, file, sizeof(file)));
    /* the last byte of the image is reachable */
    CHECK_EQ(blk_pwrite(blk, IMG_SIZE - 1, buf, 1), 0);
    blk_close(blk);
    CHECK(img_read(img, IMG_SIZE - 1, file, 1) && file[0] == buf[0]);
}

static void test_roundtrip_writeback(void)
{
    roundtrip(BLK_CACHE_WRITEBACK);
}

static void test_roundtrip_writethrough(void)
{
    roundtrip(BLK_CACHE_WRITETHROUGH);
}

static void test_roundtrip_unsafe(void)
{
    roundtrip(BLK_CACHE_UNSAFE);
}

/* cache=none: O_DIRECT, with buffers, offsets and lengths unaligned
 * (roundtrip) and a large unaligned request that bounces in pieces */
static void test_cache_none_unaligned(void)
{
    Error *err = NULL;
    BlockBackend *blk;
    uint8_t *big = malloc(IMG_SIZE), *back = malloc(IMG_SIZE), last;

    roundtrip(BLK_CACHE_NONE);
    if (test_failed) {
        goto out;
    }
    blk = open_img(BLK_CACHE_NONE, false, false, &err);
    CHECK(blk);
    CHECK_EQ(blk_pread(blk, IMG_SIZE - 1, &last, 1), 0);
    for (size_t i = 0; i < IMG_SIZE; i++) {
        big[i] = (uint8_t)(i * 13 + 1);
    }
    /* from 1 byte in to 1 byte short of the end: > RAW_BOUNCE_MAX is not
     * reached with 256 KiB, but both partial blocks are */
    CHECK_EQ(blk_pwrite(blk, 1, big + 1, IMG_SIZE - 2), 0);
    CHECK_EQ(blk_pread(blk, 0, back + 1, IMG_SIZE - 1), 0);     /* unaligned buffer */
    blk_close(blk);
    CHECK(!memcmp(back + 2, big + 1, IMG_SIZE - 2));
    CHECK_EQ(back[1], 0);                                       /* byte 0 unchanged */
    CHECK(img_read(img, IMG_SIZE - 1, back, 1) && back[0] == last);     /* and the last */
    CHECK(img_read(img, 1, back, IMG_SIZE - 2) && !memcmp(back, big + 1, IMG_SIZE - 2));
out:
    free(big);
    free(back);
}

/* a request reaching past the end: -EINVAL, and nothing written */
static void test_past_end_refused(void)
{
    uint8_t buf[1024] = { 0xee }, file[1];
    Error *err = NULL;
    BlockBackend *blk;
    struct stat st;

    img_create(img);
    blk = open_img(BLK_CACHE_WRITEBACK, false, false, &err);
    CHECK(blk);
    CHECK_EQ(blk_pwrite(blk, IMG_SIZE - 512, buf, 1024), -EINVAL);
    CHECK_EQ(blk_pwrite(blk, IMG_SIZE, buf, 1), -EINVAL);
    CHECK_EQ(blk_pwrite(blk, UINT64_MAX - 10, buf, 20), -EINVAL);   /* wraps */
    CHECK_EQ(blk_pread(blk, IMG_SIZE - 1, buf, 2), -EINVAL);
    CHECK_EQ(blk_pread(blk, IMG_SIZE, buf, 0), 0);                  /* empty, at the end */
    blk_close(blk);
    CHECK(stat(img, &st) == 0 && st.st_size == IMG_SIZE);
    CHECK(img_read(img, IMG_SIZE - 512, file, 1) && file[0] == (uint8_t)((IMG_SIZE - 512) * 7));
}

static void test_read_only_refused(void)
{
    uint8_t buf[512] = { 1 }, file[1];
    Error *err = NULL;
    BlockBackend *blk;

    img_create(img);
    blk = open_img(BLK_CACHE_WRITEBACK, true, false, &err);
    CHECK(blk && blk_is_read_only(blk));
    CHECK_EQ(blk_pwrite(blk, 0, buf, sizeof(buf)), -EROFS);
    CHECK_EQ(blk_pread(blk, 512, buf, sizeof(buf)), 0);
    CHECK_EQ(buf[1], (uint8_t)(513 * 7));
    CHECK_EQ(blk_flush(blk), 0);
    blk_close(blk);
    CHECK(img_read(img, 0, file, 1) && file[0] == 0);
}

/* -snapshot: reads see the writes, the image stays byte for byte */
static void test_snapshot(void)
{
    static uint8_t before[IMG_SIZE], after[IMG_SIZE], back[IMG_SIZE];
    uint8_t buf[10000];
    Error *err = NULL;
    BlockBackend *blk;

    img_create(img);
    CHECK(img_read(img, 0, before, IMG_SIZE));
    blk = open_img(BLK_CACHE_WRITEBACK, false, true, &err);
    CHECK(blk && !blk_is_read_only(blk));
    memset(buf, 0xab, sizeof(buf));
    /* partial clusters at both ends, and whole ones between */
    CHECK_EQ(blk_pwrite(blk, 5000, buf, sizeof(buf)), 0);
    memset(buf, 0xcd, 100);
    CHECK_EQ(blk_pwrite(blk, 5050, buf, 100), 0);               /* again, inside */
    CHECK_EQ(blk_pwrite(blk, IMG_SIZE - 10, buf, 10), 0);       /* the last cluster */
    CHECK_EQ(blk_flush(blk), 0);
    CHECK_EQ(blk_pread(blk, 0, back, IMG_SIZE), 0);
    CHECK(!memcmp(back, before, 5000));
    CHECK(back[5000] == 0xab && back[5049] == 0xab && back[5050] == 0xcd &&
          back[5149] == 0xcd && back[5150] == 0xab && back[14999] == 0xab);
    CHECK(!memcmp(back + 15000, before + 15000, IMG_SIZE - 15010));
    CHECK(back[IMG_SIZE - 10] == 0xcd && back[IMG_SIZE - 1] == 0xcd);
    CHECK(img_read(img, 0, after, IMG_SIZE) && !memcmp(before, after, IMG_SIZE));
    blk_close(blk);
    CHECK(img_read(img, 0, after, IMG_SIZE) && !memcmp(before, after, IMG_SIZE));
}

/* -snapshot opens the image read-only: a read-only file is fine */
static void test_snapshot_read_only_file(void)
{
    Error *err = NULL;
    BlockBackend *blk;
    uint8_t b = 0x11;

    img_create(img);
    chmod(img, 0444);
    blk = open_img(BLK_CACHE_WRITEBACK, false, true, &err);
    CHECK(blk);
    CHECK_EQ(blk_pwrite(blk, 0, &b, 1), 0);
    blk_close(blk);
    chmod(img, 0644);
}

/* OFD locks: two writable opens conflict even in one process; readers
 * share; a reader keeps a writer out; closing releases */
static void test_lock(void)
{
    BlockOpenOptions rw = { .filename = img, .what = "-hda" };
    BlockOpenOptions ro = { .filename = img, .what = "-hda", .read_only = true };
    BlockBackend *a, *b;
    Error *err = NULL;

    img_create(img);
    a = blk_open(&rw, &err);
    CHECK(a);
    CHECK(open_fails_with(&rw, "the image is locked by another process"));
    CHECK(open_fails_with(&ro, "the image is locked by another process"));
    blk_close(a);
    a = blk_open(&ro, &err);
    b = blk_open(&ro, &err);
    CHECK(a && b);
    blk_close(b);
    CHECK(open_fails_with(&rw, "the image is locked"));
    blk_close(a);
    a = blk_open(&rw, &err);
    CHECK(a);
    blk_close(a);
}

static void test_open_errors(void)
{
    BlockOpenOptions o = { .filename = img, .what = "-hda" };
    static const uint8_t qcow2[8] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    char missing[160];
    FILE *f;

    img_create(img);
    o.format = "qcow2";
    CHECK(open_fails_with(&o, "-hda "));
    CHECK(open_fails_with(&o, ": qcow2 images are not supported yet (convert with qemu-img "
                              "convert -O raw)"));
    o.format = "vmdk";
    CHECK(open_fails_with(&o, ": unknown image format 'vmdk'"));
    o.format = NULL;
    f = fopen(img, "r+b");
    CHECK(f && fwrite(qcow2, 1, sizeof(qcow2), f) == sizeof(qcow2));
    fclose(f);
    CHECK(open_fails_with(&o, ": qcow2 images are not supported yet"));
    o.format = "raw";                   /* said so: then it is raw */
    BlockBackend *blk = blk_open(&o, NULL);
    CHECK(blk);
    blk_close(blk);
    o.format = NULL;

    snprintf(missing, sizeof(missing), "%s/missing.img", dir);
    o.filename = missing;
    CHECK(open_fails_with(&o, "-hda "));
    CHECK(open_fails_with(&o, "/missing.img: No such file or directory"));
    o.filename = dir;
    CHECK(open_fails_with(&o, ": is a directory"));
    o.filename = "/dev/null";
    CHECK(open_fails_with(&o, "/dev/null: not a regular file or a block device"));
    o.filename = img;
    img_create(img);
    chmod(img, 0444);
    CHECK(open_fails_with(&o, ": the file is read-only (use readonly=on, or -snapshot"));
    o.read_only = true;
    blk = blk_open(&o, NULL);
    chmod(img, 0644);
    CHECK(blk);
    blk_close(blk);
}

/* an empty raw image is legal (QEMU accepts it): only empty requests fit */
/* An empty or truncated image (not a whole number of sectors) is refused
 * with a message that says so; nothing stays open. */
static void test_partial_sector(void)
{
    static const uint64_t sizes[] = { 0, 1, 511, 1000, 4096 + 100 };
    BlockOpenOptions o = { .filename = img };

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        Error *err = NULL;
        int fd = open(img, O_WRONLY | O_TRUNC);

        CHECK(fd >= 0 && ftruncate(fd, (off_t)sizes[i]) == 0);
        close(fd);
        CHECK(!blk_open(&o, &err));
        CHECK(err && strstr(error_get_pretty(err), sizes[i] ? "truncated" : "empty"));
        error_free(err);
    }
}

/* ---- drive tables --------------------------------------------------- */

static int parse(TernOptions *o, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    Error *err = NULL;

    argv[argc++] = (char *)"tern";
    for (; *args; args++) {
        argv[argc++] = (char *)*args;
    }
    if (option_parse(o, argc, argv, &err) < 0) {
        printf("    parse: %s\n", error_get_pretty(err));
        error_free(err);
        return -1;
    }
    return 0;
}

#define PARSE(o, ...) parse(o, (const char *const[]){ __VA_ARGS__, NULL })

/* the build fails with a one-line message containing want */
static bool build_fails_with(const TernOptions *o, const char *want)
{
    DriveTable t;
    Error *err = NULL;
    bool ok = drive_table_build(&t, o, &err) == -EINVAL && err &&
              strstr(error_get_pretty(err), want) && !strchr(error_get_pretty(err), '\n');
    if (!ok) {
        printf("    got: %s\n", err ? error_get_pretty(err) : "(built)");
    }
    error_free(err);
    return ok;
}

/* QEMU's numbering and default names */
static void test_drive_numbering(void)
{
    static TernOptions o;
    static DriveTable t;
    DriveInfo *d;

    CHECK_EQ(PARSE(&o, "-hdb", "b", "-cdrom", "c", "-drive", "file=x", "-drive", "file=y",
                   "-drive", "file=v,if=virtio", "-drive", "if=virtio,file=w,index=5",
                   "-drive", "if=none,file=n,id=data", "-device", "virtio-blk-pci,drive=data"), 0);
    CHECK_EQ(drive_table_build(&t, &o, NULL), 0);
    CHECK_EQ(t.count, 7);
    d = drive_get(&t, DRIVE_IF_IDE, 0, 1);
    CHECK(d == &t.drives[0] && !strcmp(d->id, "ide0-hd1") && d->media == DRIVE_MEDIA_DISK);
    d = drive_get(&t, DRIVE_IF_IDE, 1, 0);
    CHECK(d == &t.drives[1] && !strcmp(d->id, "ide1-cd0") && d->media == DRIVE_MEDIA_CDROM);
    /* no index: the first free position */
    CHECK(drive_get(&t, DRIVE_IF_IDE, 0, 0) == &t.drives[2]);
    CHECK(!strcmp(t.drives[2].id, "ide0-hd0"));
    CHECK(drive_get(&t, DRIVE_IF_IDE, 1, 1) == &t.drives[3]);
    CHECK(drive_get(&t, DRIVE_IF_VIRTIO, 0, 0) == &t.drives[4]);
    CHECK(!strcmp(t.drives[4].id, "virtio0"));
    CHECK(drive_get(&t, DRIVE_IF_VIRTIO, 0, 5) == &t.drives[5]);
    CHECK(!strcmp(t.drives[5].id, "virtio5"));
    d = drive_get_by_id(&t, "data");
    CHECK(d == &t.drives[6] && d->iface == DRIVE_IF_NONE && d->bus == -1 && d->unit == -1);
    CHECK_EQ(t.device_count, 1);
    CHECK(t.devices[0].kind == DRIVE_DEVICE_VIRTIO_BLK && t.devices[0].drive == d);
    CHECK(drive_get_by_id(&t, "nope") == NULL && drive_get(&t, DRIVE_IF_IDE, 2, 0) == NULL);

    /* an ide-hd -device takes the first IDE position no drive uses */
    CHECK_EQ(PARSE(&o, "-hda", "a", "-drive", "if=none,file=n,id=d1", "-device", "ide-hd,drive=d1"),
             0);
    CHECK_EQ(drive_table_build(&t, &o, NULL), 0);
    CHECK(t.devices[0].kind == DRIVE_DEVICE_IDE_HD && t.devices[0].bus == 0 &&
          t.devices[0].unit == 1);
}

static void test_drive_errors(void)
{
    static TernOptions o;

    CHECK_EQ(PARSE(&o, "-hda", "a", "-drive", "file=b,index=0"), 0);
    CHECK(build_fails_with(&o, "-drive file=b,index=0: bus 0 unit 0 is already used by drive "
                               "'ide0-hd0'"));
    CHECK_EQ(PARSE(&o, "-hdc", "a", "-cdrom", "b"), 0);
    CHECK(build_fails_with(&o, "-cdrom b: bus 1 unit 0 is already used"));
    CHECK_EQ(PARSE(&o, "-drive", "file=a,index=4"), 0);
    CHECK(build_fails_with(&o, "no IDE bus 2 unit 0"));
    CHECK_EQ(PARSE(&o, "-drive", "file=a,bus=0,unit=2"), 0);
    CHECK(build_fails_with(&o, "no IDE bus 0 unit 2"));
    CHECK_EQ(PARSE(&o, "-drive", "file=a", "-drive", "file=b", "-drive", "file=c", "-drive",
                   "file=d", "-drive", "file=e"), 0);
    CHECK(build_fails_with(&o, "-drive file=e: no IDE bus 2"));
    CHECK_EQ(PARSE(&o, "-drive", "file=a,id=x", "-drive", "file=b,id=x"), 0);
    CHECK(build_fails_with(&o, "duplicate drive id 'x'"));
    CHECK_EQ(PARSE(&o, "-drive", "if=virtio"), 0);
    CHECK(build_fails_with(&o, "file= is required"));
    CHECK_EQ(PARSE(&o, "-device", "virtio-blk-pci,drive=x"), 0);
    CHECK(build_fails_with(&o, "no drive with id 'x'"));
    CHECK_EQ(PARSE(&o, "-hda", "a", "-device", "virtio-blk-pci,drive=ide0-hd0"), 0);
    CHECK(build_fails_with(&o, "drive 'ide0-hd0' already has its device"));
    CHECK_EQ(PARSE(&o, "-drive", "if=none,file=a,id=x", "-device", "virtio-blk-pci,drive=x",
                   "-device", "ide-hd,drive=x"), 0);
    CHECK(build_fails_with(&o, "drive 'x' is used by two devices"));
    CHECK_EQ(PARSE(&o, "-hda", "a", "-drive", "if=none,file=b,id=x", "-device",
                   "ide-hd,drive=x,bus=ide.0,unit=0"), 0);
    CHECK(build_fails_with(&o, "no free IDE position there"));
}

/* opening: a CD-ROM is read-only, an empty one has no backend, -snapshot
 * applies unless snapshot=off; a failed open leaves nothing open */
static void test_drive_open(void)
{
    static TernOptions o;
    static DriveTable t;
    char arg[256], missing[200];
    Error *err = NULL;

    img_create(img);
    snprintf(arg, sizeof(arg), "file=%s,if=virtio,snapshot=off", img);
    CHECK_EQ(PARSE(&o, "-cdrom", img, "-drive", "media=cdrom,if=ide,index=3", "-drive", arg,
                   "-snapshot"), 0);
    /* the CD-ROM and the virtio disk share the image: only readers */
    CHECK(drive_table_open(&t, &o, &err) == -EINVAL);
    CHECK(strstr(error_get_pretty(err), "locked"));
    error_free(err);
    err = NULL;
    snprintf(arg, sizeof(arg), "file=%s,if=virtio", img);
    CHECK_EQ(PARSE(&o, "-cdrom", img, "-drive", "media=cdrom,if=ide,index=3", "-drive", arg,
                   "-snapshot"), 0);
    CHECK_EQ(drive_table_open(&t, &o, &err), 0);
    CHECK(t.drives[0].blk && blk_is_read_only(t.drives[0].blk));
    CHECK(t.drives[1].blk == NULL);
    CHECK(t.drives[2].blk && !blk_is_read_only(t.drives[2].blk));
    CHECK_EQ(drive_table_flush(&t), 0);
    drive_table_close(&t);
    CHECK_EQ(t.count, 0);

    snprintf(missing, sizeof(missing), "%s/missing.img", dir);
    CHECK_EQ(PARSE(&o, "-hda", img, "-hdb", missing), 0);
    CHECK(drive_table_open(&t, &o, &err) == -EINVAL);
    CHECK(strstr(error_get_pretty(err), "-hdb ") && strstr(error_get_pretty(err), "No such file"));
    error_free(err);
    /* -hda was closed again: its lock is gone */
    BlockBackend *blk = open_img(BLK_CACHE_WRITEBACK, false, false, NULL);
    CHECK(blk);
    blk_close(blk);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/tern-block-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(img, sizeof(img), "%s/disk.img", dir);

    RUN_TEST(test_roundtrip_writeback);
    RUN_TEST(test_roundtrip_writethrough);
    RUN_TEST(test_roundtrip_unsafe);
    RUN_TEST(test_cache_none_unaligned);
    RUN_TEST(test_past_end_refused);
    RUN_TEST(test_read_only_refused);
    RUN_TEST(test_snapshot);
    RUN_TEST(test_snapshot_read_only_file);
    RUN_TEST(test_lock);
    RUN_TEST(test_open_errors);
    RUN_TEST(test_partial_sector);
    RUN_TEST(test_drive_numbering);
    RUN_TEST(test_drive_errors);
    RUN_TEST(test_drive_open);

    unlink(img);
    rmdir(dir);
    TEST_MAIN_END();
}
