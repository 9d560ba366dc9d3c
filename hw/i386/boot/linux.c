/*
 * linux.c: -kernel for a Linux bzImage, entered through the 64-bit boot
 * protocol (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol").
 *
 * A bzImage is the real-mode setup (the boot sector and setup_sects more
 * 512-byte sectors, with the setup header at 0x1f1) followed by the
 * protected-mode kernel.  tern plays the boot loader and the setup code:
 * it copies the protected-mode kernel to its load address, the -initrd
 * file as high as the header and RAM allow, and the command line into low
 * RAM, fills boot_params (the "zero page": the setup header, the e820
 * map), then starts the CPU in long mode at the load address + 0x200 with
 * RSI = boot_params, the identity-mapping page tables of longmode.c and a
 * GDT with __BOOT_CS (0x10) and __BOOT_DS (0x18).  The real-mode setup
 * code never runs.  Everything is checked before guest RAM is written;
 * every error is one line naming the file.  docs/boot.md has the layout.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"

#include <glib.h>
#include <unistd.h>

/* Setup header fields: offsets in the file and in boot_params alike. */
#define HDR_START           0x1f1
#define HDR_SETUP_SECTS     0x1f1   /* 1 byte; 0 means 4 */
#define HDR_SYSSIZE         0x1f4   /* 4: protected-mode code, 16-byte units */
#define HDR_BOOT_FLAG       0x1fe   /* 2: 0xaa55 */
#define HDR_JUMP            0x200   /* 2: jmp short; its offset ends the header */
#define HDR_MAGIC           0x202   /* 4: "HdrS" */
#define HDR_VERSION         0x206   /* 2 */
#define HDR_TYPE_OF_LOADER  0x210   /* 1 */
#define HDR_LOADFLAGS       0x211   /* 1 */
#define HDR_CODE32_START    0x214   /* 4 */
#define HDR_RAMDISK_IMAGE   0x218   /* 4 */
#define HDR_RAMDISK_SIZE    0x21c   /* 4 */
#define HDR_CMD_LINE_PTR    0x228   /* 4 */
#define HDR_INITRD_ADDR_MAX 0x22c   /* 4: highest byte the initrd may use */
#define HDR_KERNEL_ALIGN    0x230   /* 4 */
#define HDR_RELOCATABLE     0x234   /* 1 */
#define HDR_XLOADFLAGS      0x236   /* 2 */
#define HDR_CMDLINE_SIZE    0x238   /* 4: maximum length, NUL excluded */
#define HDR_PREF_ADDRESS    0x258   /* 8 */
#define HDR_INIT_SIZE       0x260   /* 4 */
#define HDR_END_2_12        0x268   /* the 2.12 header ends after handover_offset */
#define HDR_END_MAX         0x290   /* boot_params has room for the header up to here */

#define LOADED_HIGH         0x01    /* loadflags: the kernel runs at 1 MiB up */
#define XLF_KERNEL_64       0x0001  /* xloadflags: the 64-bit entry at +0x200 */
#define PROTOCOL_MIN        0x020c  /* 2.12: xloadflags */

/* boot_params ("zero page") fields outside the setup header. */
#define BP_ACPI_RSDP_ADDR   0x070   /* 8, protocol 2.14 */
#define BP_E820_ENTRIES     0x1e8   /* 1 */
#define BP_E820_TABLE       0x2d0   /* 20 bytes each: addr, size, type */
#define BP_E820_MAX         128
#define BP_SIZE             0x1000

/* Where tern puts them (docs/boot.md): QEMU's real-mode area. */
#define LINUX_ZERO_PAGE     0x10000
#define LINUX_CMDLINE       0x20000
#define LINUX_CMDLINE_AREA  0x10000 /* bytes at LINUX_CMDLINE, NUL included */
#define LINUX_KERNEL_LOW    0x100000
#define LINUX_ENTRY_64      0x200   /* from the load address */
#define LINUX_BOOT_CS       0x10
#define LINUX_BOOT_DS       0x18
#define LINUX_PAGE          0x1000ull

static const uint64_t linux_gdt[] = {
    0,
    0,
    BOOT_DESC_CODE64,   /* __BOOT_CS */
    BOOT_DESC_DATA,     /* __BOOT_DS */
};

/* What the checks decide, written to RAM only when all of them passed. */
typedef struct LinuxImage {
    const uint8_t *img;
    size_t len;
    size_t hdr_end;         /* the setup header is [HDR_START, hdr_end) */
    size_t kernel_off;      /* the protected-mode kernel: [kernel_off, len) */
    uint64_t load;          /* where it goes */
    uint64_t init_size;     /* bytes from load it needs */
} LinuxImage;

static int linux_check_header(const char *path, LinuxImage *li, const X86RamLayout *ram,
                              Error **errp)
{
    const uint8_t *img = li->img;
    unsigned version, sects;
    uint64_t sys_bytes, align;

    if (li->len < HDR_END_2_12) {
        error_setg(errp, "-kernel %s: bzImage too short (%zu bytes; the setup header "
                   "alone needs 0x%x)", path, li->len, HDR_END_2_12);
        return -EINVAL;
    }
    if (ld_le(img + HDR_BOOT_FLAG, 2) != 0xaa55) {
        error_setg(errp, "-kernel %s: bzImage without the boot_flag 0xAA55 at 0x1fe", path);
        return -EINVAL;
    }
    version = (unsigned)ld_le(img + HDR_VERSION, 2);
    if (version < PROTOCOL_MIN || !(ld_le(img + HDR_XLOADFLAGS, 2) & XLF_KERNEL_64)) {
        error_setg(errp, "-kernel %s: boot protocol %u.%02u%s: tern needs a 64-bit kernel "
                   "with boot protocol 2.12+", path, version >> 8, version & 0xff,
                   version < PROTOCOL_MIN ? "" : " without XLF_KERNEL_64");
        return -EINVAL;
    }
    if (!(img[HDR_LOADFLAGS] & LOADED_HIGH)) {
        error_setg(errp, "-kernel %s: a zImage (loadflags without LOADED_HIGH) is not "
                   "supported", path);
        return -EINVAL;
    }
    li->hdr_end = MIN((size_t)HDR_MAGIC + img[HDR_JUMP + 1], (size_t)HDR_END_MAX);
    sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    li->kernel_off = (size_t)(sects + 1) * 512;
    if (li->kernel_off >= li->len) {
        error_setg(errp, "-kernel %s: setup_sects %u puts the kernel at 0x%zx, beyond the "
                   "end of the file (0x%zx bytes)", path, sects, li->kernel_off, li->len);
        return -EINVAL;
    }
    sys_bytes = ld_le(img + HDR_SYSSIZE, 4) * 16;
    if (sys_bytes > li->len - li->kernel_off) {
        error_setg(errp, "-kernel %s is truncated: syssize says 0x%" PRIx64 " bytes of "
                   "kernel, the file has 0x%zx after the setup", path, sys_bytes,
                   li->len - li->kernel_off);
        return -EINVAL;
    }

    /* A relocatable kernel goes to pref_address when it fits, else to the
     * first kernel_alignment boundary from 1 MiB; others to 1 MiB. */
    li->init_size = MAX(ld_le(img + HDR_INIT_SIZE, 4), (uint64_t)(li->len - li->kernel_off));
    li->load = LINUX_KERNEL_LOW;
    if (img[HDR_RELOCATABLE]) {
        align = ld_le(img + HDR_KERNEL_ALIGN, 4);
        align = align && !(align & (align - 1)) ? align : LINUX_PAGE;
        li->load = (ld_le(img + HDR_PREF_ADDRESS, 8) + align - 1) & ~(align - 1);
        if (li->load < LINUX_KERNEL_LOW || li->load + li->init_size > ram->below_4g) {
            li->load = (LINUX_KERNEL_LOW + align - 1) & ~(align - 1);
        }
    }
    if (li->load + li->init_size > ram->below_4g) {
        error_setg(errp, "-kernel %s: the kernel needs 0x%" PRIx64 " bytes (init_size) from "
                   "0x%" PRIx64 ", more than RAM below 4 GiB (0x%" PRIx64 "; try a larger -m)",
                   path, li->init_size, li->load, ram->below_4g);
        return -EINVAL;
    }
    return 0;
}

/* The highest page-aligned place for size bytes inside one RAM entry of
 * map, below limit and above 1 MiB, not overlapping the kernel; 0 if none. */
static uint64_t linux_initrd_place(const E820Entry *map, unsigned n, uint64_t limit,
                                   const LinuxImage *li, uint64_t size)
{
    uint64_t kend = li->load + li->init_size;

    for (unsigned i = n; i-- > 0;) {
        uint64_t lo = MAX(map[i].addr, LINUX_KERNEL_LOW);
        uint64_t hi = MIN(map[i].addr + map[i].size, limit);
        uint64_t addr;

        if (map[i].type != E820_RAM || hi <= lo || hi - lo < size) {
            continue;
        }
        addr = (hi - size) & ~(LINUX_PAGE - 1);
        if (addr < kend && addr + size > li->load) {
            if (li->load < lo + size) {
                continue;
            }
            addr = (li->load - size) & ~(LINUX_PAGE - 1);
        }
        if (addr >= lo) {
            return addr;
        }
    }
    return 0;
}

static void linux_build_zero_page(uint8_t *bp, const LinuxImage *li, const E820Entry *map,
                                 unsigned n, uint64_t initrd_addr, uint64_t initrd_size,
                                 const X86BootFirmware *fw)
{
    memcpy(bp + HDR_START, li->img + HDR_START, li->hdr_end - HDR_START);
    bp[HDR_TYPE_OF_LOADER] = 0xff;          /* "undefined" boot loader */
    st_le(bp + HDR_CODE32_START, li->load, 4);
    st_le(bp + HDR_CMD_LINE_PTR, LINUX_CMDLINE, 4);
    st_le(bp + HDR_RAMDISK_IMAGE, initrd_addr, 4);
    st_le(bp + HDR_RAMDISK_SIZE, initrd_size, 4);
    st_le(bp + BP_ACPI_RSDP_ADDR, fw ? fw->acpi_rsdp : 0, 8);
    _Static_assert(E820_MAP_MAX <= BP_E820_MAX, "e820 table");
    bp[BP_E820_ENTRIES] = (uint8_t)n;
    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = bp + BP_E820_TABLE + 20 * i;
        st_le(e, map[i].addr, 8);
        st_le(e + 8, map[i].size, 8);
        st_le(e + 16, map[i].type, 4);
    }
}

/* The -initrd file's bytes (*data, g_free), or an error naming it. */
static int linux_read_initrd(const char *initrd, gchar **data, gsize *size, Error **errp)
{
    GError *gerr = NULL;

    if (access(initrd, R_OK) < 0) {
        error_setg_errno(errp, errno, "-initrd %s", initrd);
        return -errno;
    }
    if (!g_file_get_contents(initrd, data, size, &gerr)) {
        error_setg(errp, "-initrd %s: %s", initrd, gerr->message);
        g_error_free(gerr);
        return -EIO;
    }
    return 0;
}

int linux_boot(AddressSpace *as, CPUX86State *env, const char *path, const char *cmdline,
               const char *initrd, const X86RamLayout *ram, const X86BootFirmware *fw,
               Error **errp)
{
    uint8_t head[HDR_MAGIC + 4];
    LinuxImage li = { 0 };
    gchar *img = NULL, *rd = NULL;
    gsize len = 0, rd_size = 0;
    E820Entry map[E820_MAP_MAX];
    unsigned n;
    uint64_t rd_addr = 0, limit;
    const char *cmd = cmdline ? cmdline : "";
    size_t cmdlen = strlen(cmd);
    uint8_t *bp = NULL;
    int ret;
    FILE *f = fopen(path, "rb");

    if (!f) {
        return 0;       /* elf.c reports an unreadable file */
    }
    ret = fread(head, 1, sizeof(head), f) == sizeof(head) &&
          !memcmp(head + HDR_MAGIC, "HdrS", 4);
    fclose(f);
    if (!ret) {
        return 0;
    }
    if (!g_file_get_contents(path, &img, &len, NULL)) {
        error_setg(errp, "-kernel %s: cannot read the file", path);
        return -EIO;
    }
    li.img = (const uint8_t *)img;
    li.len = len;
    if ((ret = linux_check_header(path, &li, ram, errp)) < 0) {
        goto out;
    }
    if (cmdlen > ld_le(li.img + HDR_CMDLINE_SIZE, 4) || cmdlen >= LINUX_CMDLINE_AREA) {
        error_setg(errp, "-append: the command line (%zu bytes) is longer than the "
                   "kernel's cmdline_size %" PRIu64 " (-kernel %s)", cmdlen,
                   MIN(ld_le(li.img + HDR_CMDLINE_SIZE, 4), (uint64_t)LINUX_CMDLINE_AREA - 1), path);
        ret = -EINVAL;
        goto out;
    }
    n = x86_e820_build(ram, fw, map);
    if (initrd) {
        if ((ret = linux_read_initrd(initrd, &rd, &rd_size, errp)) < 0) {
            goto out;
        }
        limit = MIN(ld_le(li.img + HDR_INITRD_ADDR_MAX, 4) + 1, ram->below_4g);
        rd_addr = linux_initrd_place(map, n, limit, &li, rd_size);
        if (!rd_addr) {
            error_setg(errp, "-initrd %s: %zu bytes do not fit in RAM below 0x%" PRIx64
                       " beside the kernel (initrd_addr_max 0x%" PRIx64 "; try a larger -m)",
                       initrd, (size_t)rd_size, limit, ld_le(li.img + HDR_INITRD_ADDR_MAX, 4));
            ret = -EINVAL;
            goto out;
        }
    }

    bp = tern_malloc0(BP_SIZE);
    linux_build_zero_page(bp, &li, map, n, rd_addr, rd_size, fw);
    if ((ret = boot_write(as, li.load, li.img + li.kernel_off, li.len - li.kernel_off,
                          "kernel", errp)) < 0 ||
        (rd && (ret = boot_write(as, rd_addr, rd, rd_size, "initrd", errp)) < 0) ||
        (ret = boot_write(as, LINUX_CMDLINE, cmd, cmdlen + 1, "command line", errp)) < 0 ||
        (ret = boot_write(as, LINUX_ZERO_PAGE, bp, BP_SIZE, "boot_params", errp)) < 0 ||
        (ret = boot_enter_longmode(as, env, li.load + LINUX_ENTRY_64, linux_gdt,
                                   ARRAY_SIZE(linux_gdt), LINUX_BOOT_CS, LINUX_BOOT_DS,
                                   errp)) < 0) {
        goto out;
    }
    env->regs[R_ESI] = LINUX_ZERO_PAGE;
    ret = 1;
out:
    free(bp);
    g_free(rd);
    g_free(img);
    return ret;
}
