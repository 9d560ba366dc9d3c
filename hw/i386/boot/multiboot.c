/*
 * multiboot.c: the -kernel loader for Multiboot 1 images (Multiboot
 * Specification 0.6.96).
 *
 * A Multiboot image carries a 12-byte header (magic, flags, checksum;
 * with flag 16 also five address fields) 4-byte aligned in its first
 * 8 KiB.  The image is loaded either from those address fields (flag 16,
 * any file format: the "a.out kludge") or, without them, as an ELF32 i386
 * executable (elf.c).  -initrd modules follow the kernel, page-aligned.
 * tern then plays the boot loader: it writes a flat GDT and the Multiboot
 * information structure (memory, memory map, command line, modules, boot
 * loader name) into low RAM and enters the kernel in 32-bit protected mode
 * with paging off, EAX = 0x2BADB002 and EBX = the structure's address.
 * docs/boot.md lists the layout.  Everything is checked before guest RAM
 * is written, and every error is one line naming the file.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"

#include <glib.h>
#include <unistd.h>

#define MB_SEARCH         8192          /* the header lies in these bytes */
#define MB_HEADER_MAGIC   0x1badb002u
#define MB_BOOT_MAGIC     0x2badb002u   /* EAX at entry */

/* Header flags: 0-15 are requirements (an unknown one refuses the image),
 * 16-31 optional. */
#define MB_FLAG_PAGE_ALIGN 0x00000001u  /* modules page-aligned: always */
#define MB_FLAG_MEMORY     0x00000002u  /* mem_* and mmap: always */
#define MB_FLAG_VIDEO      0x00000004u  /* a video mode: not provided */
#define MB_FLAG_AOUT       0x00010000u  /* the address fields are valid */
#define MB_FLAGS_KNOWN     (MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY)

/* Information structure flags tern sets. */
#define MBI_MEM      (1u << 0)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_LOADER   (1u << 9)

/* The low-RAM area (docs/boot.md): info structure, memory map, module
 * list, then the strings. */
#define MB_AREA_ADDR   0x9000
#define MB_AREA_SIZE   0x4000
#define MB_MMAP_OFF    0x100
#define MB_MODS_OFF    0x200
#define MB_STR_OFF     0x400
#define MB_MAX_MODS    ((MB_STR_OFF - MB_MODS_OFF) / 16)
#define MB_PAGE        4096ull

/* Flat 32-bit code at 0x08, flat data at 0x10 (boot.h's selectors). */
static const uint64_t mb_gdt[] = {
    0,
    0x00cf9b000000ffffull,
    0x00cf93000000ffffull,
};

#define MB_MEM_LOWER_KB (0x9fc00 / 1024)   /* RAM below the EBDA (e820.c) */

typedef struct MbHeader {
    uint32_t offset;        /* in the file */
    uint32_t flags;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
} MbHeader;

/* 1 with *h filled, 0 if there is no header, < 0 on a bad one. */
static int mb_find_header(const char *path, const uint8_t *img, size_t len, MbHeader *h,
                          Error **errp)
{
    size_t lim = MIN(len, (size_t)MB_SEARCH);
    long bad = -1;

    for (size_t off = 0; off + 12 <= lim; off += 4) {
        const uint8_t *p = img + off;
        if ((uint32_t)ld_le(p, 4) != MB_HEADER_MAGIC) {
            continue;
        }
        if ((uint32_t)(ld_le(p, 4) + ld_le(p + 4, 4) + ld_le(p + 8, 4)) != 0) {
            bad = bad < 0 ? (long)off : bad;
            continue;
        }
        *h = (MbHeader){ .offset = (uint32_t)off, .flags = (uint32_t)ld_le(p + 4, 4) };
        if (h->flags & MB_FLAG_AOUT) {
            if (off + 32 > len) {
                error_setg(errp, "-kernel %s is truncated: its Multiboot header's address "
                           "fields lie past the end of the file", path);
                return -EINVAL;
            }
            h->header_addr = (uint32_t)ld_le(p + 12, 4);
            h->load_addr = (uint32_t)ld_le(p + 16, 4);
            h->load_end_addr = (uint32_t)ld_le(p + 20, 4);
            h->bss_end_addr = (uint32_t)ld_le(p + 24, 4);
            h->entry_addr = (uint32_t)ld_le(p + 28, 4);
        }
        return 1;
    }
    if (bad >= 0) {
        error_setg(errp, "-kernel %s: the Multiboot header at offset 0x%lx has a bad "
                   "checksum", path, bad);
        return -EINVAL;
    }
    return 0;
}

static int mb_check_flags(const char *path, uint32_t flags, Error **errp)
{
    if (flags & MB_FLAG_VIDEO) {
        error_setg(errp, "-kernel %s: the Multiboot header asks for a video mode "
                   "(flag 2), which tern does not provide", path);
        return -EINVAL;
    }
    if (flags & 0xffffu & ~MB_FLAGS_KNOWN) {
        error_setg(errp, "-kernel %s: the Multiboot header requires features tern does "
                   "not know (flags 0x%x)", path, flags & 0xffffu & ~MB_FLAGS_KNOWN);
        return -EINVAL;
    }
    return 0;
}

/* [start, end) must be RAM below 4 GiB and at or above 1 MiB (low RAM
 * holds the boot structures). */
static int mb_check_range(const char *opt, const char *path, const char *what,
                          uint64_t start, uint64_t end, const X86RamLayout *ram, Error **errp)
{
    if (start < BOOT_KERNEL_MIN) {
        error_setg(errp, "%s %s: %s at 0x%" PRIx64 " lies below 1 MiB, where tern puts the "
                   "boot structures", opt, path, what, start);
        return -EINVAL;
    }
    if (end < start || end > ram->below_4g) {
        error_setg(errp, "%s %s: %s at 0x%" PRIx64 "-0x%" PRIx64 " lies outside RAM "
                   "from 1 MiB to 0x%" PRIx64 " (try a larger -m)", opt, path, what,
                   start, end - 1, ram->below_4g - 1);
        return -EINVAL;
    }
    return 0;
}

/* Flag 16: copy the file from the header's address fields. */
static int mb_load_aout(AddressSpace *as, const char *path, const uint8_t *img, size_t len,
                        const MbHeader *h, const X86RamLayout *ram, uint64_t *end,
                        Error **errp)
{
    uint64_t text_off, load_len, mem_end;

    if (h->load_addr > h->header_addr || h->header_addr - h->load_addr > h->offset) {
        error_setg(errp, "-kernel %s: Multiboot load_addr 0x%x does not fit header_addr "
                   "0x%x at file offset 0x%x", path, h->load_addr, h->header_addr, h->offset);
        return -EINVAL;
    }
    text_off = h->offset - (h->header_addr - h->load_addr);
    load_len = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr : len - text_off;
    if (h->load_end_addr && (h->load_end_addr < h->load_addr || load_len > len - text_off)) {
        error_setg(errp, "-kernel %s: Multiboot load_end_addr 0x%x lies outside the file "
                   "(0x%zx bytes from load_addr 0x%x)", path, h->load_end_addr,
                   len - (size_t)text_off, h->load_addr);
        return -EINVAL;
    }
    mem_end = h->load_addr + load_len;
    if (h->bss_end_addr) {
        if (h->bss_end_addr < mem_end) {
            error_setg(errp, "-kernel %s: Multiboot bss_end_addr 0x%x lies below the end "
                       "of the loaded image 0x%" PRIx64, path, h->bss_end_addr, mem_end);
            return -EINVAL;
        }
        mem_end = h->bss_end_addr;
    }
    if (mb_check_range("-kernel", path, "the image", h->load_addr, mem_end, ram, errp) < 0) {
        return -EINVAL;
    }
    if (boot_write(as, h->load_addr, img + text_off, load_len, "kernel", errp) < 0) {
        return -EIO;
    }
    if (mem_end > h->load_addr + load_len) {
        uint8_t *zero = tern_malloc0(mem_end - h->load_addr - load_len);
        int ret = boot_write(as, h->load_addr + load_len, zero,
                             mem_end - h->load_addr - load_len, "kernel bss", errp);
        free(zero);
        if (ret < 0) {
            return ret;
        }
    }
    *end = mem_end;
    return 0;
}

/* Without flag 16 the image must be an ELF32 i386 executable. */
static int mb_load_elf(AddressSpace *as, const char *path, const uint8_t *img, size_t len,
                       const X86RamLayout *ram, uint64_t *entry, uint64_t *end, Error **errp)
{
    if (len < 5 || memcmp(img, "\177ELF", 4)) {
        error_setg(errp, "-kernel %s: a Multiboot image that is not ELF needs the address "
                   "fields (header flag 16)", path);
        return -EINVAL;
    }
    if (img[4] != 1) {   /* EI_CLASS: ELFCLASS32 */
        error_setg(errp, "-kernel %s: a 64-bit ELF Multiboot image needs the address "
                   "fields (header flag 16)", path);
        return -EINVAL;
    }
    return elf_multiboot_load(as, path, ram, entry, end, errp);
}

/* The info area being built in host memory. */
typedef struct MbInfo {
    uint8_t buf[MB_AREA_SIZE];
    uint32_t str;           /* next free byte for strings */
} MbInfo;

/* Copy s into the string space; its guest address, or 0 if full. */
static uint32_t mb_add_string(MbInfo *mi, const char *s, size_t n)
{
    if (n + 1 > MB_AREA_SIZE - mi->str) {
        return 0;
    }
    memcpy(mi->buf + mi->str, s, n);
    mi->buf[mi->str + n] = 0;
    mi->str += (uint32_t)n + 1;
    return MB_AREA_ADDR + mi->str - (uint32_t)n - 1;
}

/* -initrd "file1 args,file2": load each at the next page after *next. */
static int mb_load_modules(AddressSpace *as, MbInfo *mi, const char *initrd,
                           const X86RamLayout *ram, uint64_t next, uint32_t *count,
                           Error **errp)
{
    gchar **items = g_strsplit(initrd, ",", -1);
    int ret = 0;

    *count = 0;
    for (unsigned i = 0; items[i] && ret == 0; i++) {
        const char *item = items[i];
        gchar *file = g_strndup(item, strcspn(item, " "));
        gchar *data = NULL;
        gsize size = 0;
        uint8_t *m = mi->buf + MB_MODS_OFF + 16 * i;
        uint32_t str;

        next = (next + MB_PAGE - 1) & ~(MB_PAGE - 1);
        if (i == MB_MAX_MODS) {
            error_setg(errp, "-initrd %s: too many Multiboot modules (at most %u)", file,
                       (unsigned)MB_MAX_MODS);
            ret = -EINVAL;
        } else if (!*file) {
            error_setg(errp, "-initrd %s: empty module file name", initrd);
            ret = -EINVAL;
        } else if (access(file, R_OK) < 0) {
            ret = -errno;
            error_setg_errno(errp, errno, "-initrd %s", file);
        } else if (!g_file_get_contents(file, &data, &size, NULL)) {
            error_setg(errp, "-initrd %s: cannot read the module", file);
            ret = -EIO;
        } else if ((ret = mb_check_range("-initrd", file, "the module", next, next + size,
                                         ram, errp)) == 0) {
            if (!(str = mb_add_string(mi, item, strlen(item)))) {
                error_setg(errp, "-initrd %s: the module strings do not fit in %d bytes",
                           file, MB_AREA_SIZE - MB_STR_OFF);
                ret = -EINVAL;
            } else if ((ret = boot_write(as, next, data, size, "module", errp)) == 0) {
                st_le(m + 0, next, 4);
                st_le(m + 4, next + size, 4);
                st_le(m + 8, str, 4);
                next += size;
                (*count)++;
            }
        }
        g_free(data);
        g_free(file);
    }
    g_strfreev(items);
    return ret;
}

/* The memory map entries: 24 bytes each (size 20, base, length, type). */
static uint32_t mb_build_mmap(MbInfo *mi, const X86RamLayout *ram, const X86BootFirmware *fw)
{
    _Static_assert(E820_MAP_MAX * 24 <= MB_MODS_OFF - MB_MMAP_OFF, "mmap area");
    E820Entry map[E820_MAP_MAX];
    unsigned n = x86_e820_build(ram, fw, map);
    uint8_t *p = mi->buf + MB_MMAP_OFF;

    for (unsigned i = 0; i < n; i++, p += 24) {
        st_le(p, 20, 4);
        st_le(p + 4, map[i].addr, 8);
        st_le(p + 12, map[i].size, 8);
        st_le(p + 20, map[i].type, 4);
    }
    return (uint32_t)(p - (mi->buf + MB_MMAP_OFF));
}

int multiboot_boot(AddressSpace *as, CPUX86State *env, const char *path, const char *cmdline,
                   const char *initrd, const X86RamLayout *ram, const X86BootFirmware *fw,
                   Error **errp)
{
    uint8_t head[MB_SEARCH + 32];
    gchar *img = NULL;
    gsize len = 0;
    MbHeader h;
    MbInfo *mi = NULL;
    uint64_t entry = 0, end = 0;
    uint32_t nmods = 0, flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP | MBI_LOADER, cmd, name;
    uint8_t gdt[sizeof(mb_gdt)];
    int ret;

    FILE *f = fopen(path, "rb");
    size_t nhead;

    if (!f) {
        return 0;       /* elf.c reports an unreadable file */
    }
    nhead = fread(head, 1, sizeof(head), f);
    fclose(f);
    ret = mb_find_header(path, head, nhead, &h, errp);
    if (ret <= 0 || (ret = mb_check_flags(path, h.flags, errp)) < 0) {
        return ret;
    }
    if (!g_file_get_contents(path, &img, &len, NULL)) {
        error_setg(errp, "-kernel %s: cannot read the file", path);
        return -EIO;
    }
    if (h.flags & MB_FLAG_AOUT) {
        ret = mb_load_aout(as, path, (const uint8_t *)img, len, &h, ram, &end, errp);
        entry = h.entry_addr;
    } else {
        ret = mb_load_elf(as, path, (const uint8_t *)img, len, ram, &entry, &end, errp);
    }
    if (ret < 0) {
        goto out;
    }

    mi = tern_malloc0(sizeof(*mi));
    mi->str = MB_STR_OFF;
    name = mb_add_string(mi, "tern", 4);
    cmd = mb_add_string(mi, cmdline ? cmdline : "", cmdline ? strlen(cmdline) : 0);
    if (!cmd) {
        error_setg(errp, "-append: command line too long for the Multiboot area "
                   "(%zu bytes)", strlen(cmdline));
        ret = -EINVAL;
        goto out;
    }
    if (initrd) {
        ret = mb_load_modules(as, mi, initrd, ram, end, &nmods, errp);
        if (ret < 0) {
            goto out;
        }
        flags |= MBI_MODS;
    }
    st_le(mi->buf + 0, flags, 4);
    st_le(mi->buf + 4, MB_MEM_LOWER_KB, 4);
    st_le(mi->buf + 8, (ram->below_4g - BOOT_KERNEL_MIN) / 1024, 4);
    st_le(mi->buf + 16, cmd, 4);
    st_le(mi->buf + 20, nmods, 4);
    st_le(mi->buf + 24, MB_AREA_ADDR + MB_MODS_OFF, 4);
    st_le(mi->buf + 44, mb_build_mmap(mi, ram, fw), 4);
    st_le(mi->buf + 48, MB_AREA_ADDR + MB_MMAP_OFF, 4);
    st_le(mi->buf + 64, name, 4);
    for (size_t i = 0; i < ARRAY_SIZE(mb_gdt); i++) {
        st_le(gdt + 8 * i, mb_gdt[i], 8);
    }
    if ((ret = boot_write(as, BOOT_GDT_ADDR, gdt, sizeof(gdt), "GDT", errp)) < 0 ||
        (ret = boot_write(as, MB_AREA_ADDR, mi->buf, MB_AREA_SIZE, "Multiboot information",
                          errp)) < 0) {
        goto out;
    }

    /* Paging off, IF off, A20 open (the reset state). */
    boot_set_flat_state(env, entry, mb_gdt, ARRAY_SIZE(mb_gdt), BOOT_SEL_CODE, BOOT_SEL_DATA,
                        CR0_PE_MASK | CR0_ET_MASK, 0, 0, 0);
    env->regs[R_EAX] = MB_BOOT_MAGIC;
    env->regs[R_EBX] = MB_AREA_ADDR;
    ret = 1;
out:
    free(mi);
    g_free(img);
    return ret;
}
