/*
 * bios.c: the -bios loader for raw firmware images.
 *
 * The image (a multiple of 64 KiB, at most 16 MiB) becomes a ROM region
 * ending at 4 GiB, where the reset vector 0xFFFFFFF0 lies; its last
 * 128 KiB (or all of it, if smaller) are aliased read-only at
 * 0xE0000-0xFFFFF, below RAM's priority-0 alias, so that real-mode code at
 * F000:xxxx reaches it (QEMU's pc does the same with its isa-bios alias).
 * Guest writes to either are dropped and logged under -d guest_errors by
 * the memory API.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIOS_SIZE_UNIT  (64u * 1024)
#define BIOS_SIZE_MAX   (16u * 1024 * 1024)
#define ISA_BIOS_SIZE   (128u * 1024)
#define ISA_BIOS_END    0x100000ull
#define BIOS_TOP        (1ull << 32)

/* Read all len bytes of fd into buf; 0 or -errno (-EIO for a short read). */
static int bios_read_all(int fd, uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = pread(fd, buf + done, len - done, (off_t)done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : -EIO;
        }
        done += (size_t)n;
    }
    return 0;
}

int pc_bios_load(MemoryRegion *system_memory, MemoryRegion *bios, MemoryRegion *isa_bios,
                 const char *filename, Error **errp)
{
    struct stat st;
    uint64_t size, isa_size;
    int fd, ret;

    fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error_setg(errp, "-bios %s: %s", filename, strerror(errno));
        return -errno;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        error_setg(errp, "-bios %s: not a regular file", filename);
        ret = -EINVAL;
        goto out;
    }
    size = (uint64_t)st.st_size;
    if (size == 0 || size % BIOS_SIZE_UNIT || size > BIOS_SIZE_MAX) {
        error_setg(errp, "-bios %s: size %" PRIu64 " is not a multiple of 64 KiB "
                   "between 64 KiB and 16 MiB", filename, size);
        ret = -EINVAL;
        goto out;
    }
    ret = memory_region_init_ram(bios, "pc.bios", size, errp);
    if (ret < 0) {
        goto out;
    }
    ret = bios_read_all(fd, bios->ram_ptr, size);
    if (ret < 0) {
        error_setg(errp, "-bios %s: read failed: %s", filename, strerror(-ret));
        goto out;
    }
    memory_region_set_readonly(bios, true);
    memory_region_add_subregion(system_memory, BIOS_TOP - size, bios);

    isa_size = MIN(size, (uint64_t)ISA_BIOS_SIZE);
    memory_region_init_alias(isa_bios, "isa-bios", bios, size - isa_size, isa_size);
    memory_region_set_readonly(isa_bios, true);
    memory_region_add_subregion_overlap(system_memory, ISA_BIOS_END - isa_size, isa_bios, 1);
    ret = 0;
out:
    close(fd);
    return ret;
}
