/*
 * elf.c: the -kernel loader for ELF executables.
 *
 * elf_kernel_load takes ELF64 x86-64 executables (the long-mode boot);
 * elf_multiboot_load also takes ELF32 i386 ones (Multiboot, multiboot.c).
 * Two passes over the program headers: the first checks every PT_LOAD
 * segment (inside the file, inside RAM, at or above 1 MiB) so that a bad
 * file fails with one clear line before guest RAM is touched; the second
 * copies file bytes with address_space_write and zeroes each bss tail.
 * libelf parses the headers; the bytes themselves are read with pread so
 * a large kernel is never held twice in host memory.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#define ELF_COPY_CHUNK (64 * 1024)

/* Names for the "is an ELF for X" message; others print as a number. */
static const struct {
    unsigned machine;
    const char *name;
} elf_machine_names[] = {
    { EM_386, "i386" },
    { EM_ARM, "32-bit Arm" },
    { EM_AARCH64, "AArch64" },
    { EM_PPC, "PowerPC" },
    { EM_PPC64, "64-bit PowerPC" },
    { EM_S390, "s390" },
    { EM_MIPS, "MIPS" },
    { EM_SPARCV9, "SPARC64" },
    { EM_IA_64, "Itanium" },
    { 243, "RISC-V" },        /* EM_RISCV, missing from older <elf.h> */
    { 258, "LoongArch" },     /* EM_LOONGARCH */
};

static const char *elf_machine_name(unsigned machine, char *buf, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(elf_machine_names); i++) {
        if (elf_machine_names[i].machine == machine) {
            return elf_machine_names[i].name;
        }
    }
    snprintf(buf, len, "machine %u", machine);
    return buf;
}

static const char *elf_type_name(unsigned type)
{
    switch (type) {
    case ET_REL:  return "a relocatable object (ET_REL)";
    case ET_DYN:  return "position-independent (ET_DYN)";
    case ET_CORE: return "a core dump (ET_CORE)";
    default:      return "of an unknown type";
    }
}

static bool elf_range_in_ram(const X86RamLayout *ram, uint64_t start, uint64_t end)
{
    if (end <= ram->below_4g) {
        return true;
    }
    return ram->above_4g && start >= X86_ABOVE_4G_BASE &&
           end - X86_ABOVE_4G_BASE <= ram->above_4g;
}

static void elf_describe_ram(const X86RamLayout *ram, char *buf, size_t len)
{
    if (ram->above_4g) {
        snprintf(buf, len, "RAM is 0x0-0x%" PRIx64 " and 0x%" PRIx64 "-0x%" PRIx64,
                 ram->below_4g - 1, X86_ABOVE_4G_BASE,
                 X86_ABOVE_4G_BASE + ram->above_4g - 1);
    } else {
        snprintf(buf, len, "RAM is 0x0-0x%" PRIx64, ram->below_4g - 1);
    }
}

/* Check one PT_LOAD header against the file and the RAM map. */
static int elf_check_segment(const char *path, size_t idx, const GElf_Phdr *ph,
                             uint64_t file_size, const X86RamLayout *ram, Error **errp)
{
    uint64_t start = ph->p_paddr, end = ph->p_paddr + ph->p_memsz;
    char desc[128];

    if (ph->p_filesz > ph->p_memsz) {
        error_setg(errp, "-kernel %s: segment %zu has a file size (0x%" PRIx64
                   ") larger than its memory size (0x%" PRIx64 ")",
                   path, idx, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
        return -EINVAL;
    }
    if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset) {
        error_setg(errp, "-kernel %s is truncated: segment %zu needs file bytes 0x%" PRIx64
                   "-0x%" PRIx64 " but the file has 0x%" PRIx64 " bytes", path, idx,
                   (uint64_t)ph->p_offset, (uint64_t)ph->p_offset + ph->p_filesz, file_size);
        return -EINVAL;
    }
    if (end < start) {
        error_setg(errp, "-kernel %s: segment %zu at 0x%" PRIx64 " wraps around the "
                   "address space", path, idx, start);
        return -EINVAL;
    }
    if (start < BOOT_KERNEL_MIN) {
        error_setg(errp, "-kernel %s: segment %zu at 0x%" PRIx64 "-0x%" PRIx64
                   " lies below 1 MiB (link at 0x100000 or above)", path, idx, start, end - 1);
        return -EINVAL;
    }
    if (!elf_range_in_ram(ram, start, end)) {
        elf_describe_ram(ram, desc, sizeof(desc));
        error_setg(errp, "-kernel %s: segment %zu at 0x%" PRIx64 "-0x%" PRIx64
                   " lies outside RAM (%s; try a larger -m)", path, idx, start, end - 1, desc);
        return -EINVAL;
    }
    return 0;
}

/* Copy one segment: file bytes, then zeroes up to p_memsz. */
static int elf_copy_segment(AddressSpace *as, int fd, const char *path, const GElf_Phdr *ph,
                            uint8_t *buf, Error **errp)
{
    uint64_t done = 0;

    while (done < ph->p_memsz) {
        uint64_t n = MIN((uint64_t)ELF_COPY_CHUNK, ph->p_memsz - done);
        if (done < ph->p_filesz) {
            n = MIN(n, ph->p_filesz - done);
            ssize_t got = pread(fd, buf, n, (off_t)(ph->p_offset + done));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                error_setg_errno(errp, got < 0 ? errno : EIO, "-kernel %s: read failed", path);
                return -EIO;
            }
            n = (uint64_t)got;
        } else {
            memset(buf, 0, n);
        }
        if (address_space_write(as, ph->p_paddr + done, buf, n) != MEMTX_OK) {
            error_setg(errp, "-kernel %s: cannot write guest memory at 0x%" PRIx64,
                       path, ph->p_paddr + done);
            return -EIO;
        }
        done += n;
    }
    return 0;
}

/* Load path's PT_LOAD segments; i386 says whether ELF32 i386 files are
 * accepted; *end is the end of the highest segment. */
static int elf_load(AddressSpace *as, const char *path, const X86RamLayout *ram, bool i386,
                    uint64_t *entry, uint64_t *end, Error **errp)
{
    Elf *elf = NULL;
    GElf_Ehdr eh;
    GElf_Phdr ph;
    struct stat st;
    size_t phnum, nload = 0;
    uint64_t kend = 0;
    uint8_t *buf = NULL;
    char name[32];
    int ret = -EINVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "-kernel %s", path);
        return ret;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        error_setg(errp, "-kernel %s is not a regular file", path);
        goto out;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        error_setg(errp, "libelf: %s", elf_errmsg(-1));
        goto out;
    }
    elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        error_setg(errp, "-kernel %s is not an ELF file", path);
        goto out;
    }
    if (!gelf_getehdr(elf, &eh)) {
        error_setg(errp, "-kernel %s is a truncated or corrupt ELF file (%s)", path,
                   elf_errmsg(-1));
        goto out;
    }
    if (i386 && eh.e_machine == EM_386 && eh.e_ident[EI_CLASS] == ELFCLASS32) {
        /* a Multiboot kernel: accepted like an x86-64 one */
    } else if (eh.e_machine == EM_386 ||
               (eh.e_machine == EM_X86_64 && eh.e_ident[EI_CLASS] != ELFCLASS64)) {
        error_setg(errp, "-kernel %s: a 32-bit ELF kernel needs a Multiboot header", path);
        goto out;
    } else if (eh.e_machine != EM_X86_64) {
        error_setg(errp, "-kernel %s is an ELF for %s, not x86-64", path,
                   elf_machine_name(eh.e_machine, name, sizeof(name)));
        goto out;
    }
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "-kernel %s is a big-endian ELF file", path);
        goto out;
    }
    if (eh.e_type != ET_EXEC) {
        error_setg(errp, "-kernel %s is %s, not an executable (ET_EXEC); link it "
                   "statically at a fixed address", path, elf_type_name(eh.e_type));
        goto out;
    }
    if (elf_getphdrnum(elf, &phnum) != 0 ||
        (phnum && eh.e_phoff + (uint64_t)phnum * eh.e_phentsize > (uint64_t)st.st_size)) {
        error_setg(errp, "-kernel %s is truncated: its program headers lie past the end "
                   "of the file", path);
        goto out;
    }

    for (size_t i = 0; i < phnum; i++) {
        if (!gelf_getphdr(elf, (int)i, &ph)) {
            error_setg(errp, "-kernel %s: bad program header %zu (%s)", path, i,
                       elf_errmsg(-1));
            ret = -EINVAL;
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        ret = elf_check_segment(path, i, &ph, (uint64_t)st.st_size, ram, errp);
        if (ret < 0) {
            goto out;
        }
        nload++;
        kend = MAX(kend, (uint64_t)ph.p_paddr + ph.p_memsz);
    }
    if (nload == 0) {
        error_setg(errp, "-kernel %s has no loadable segments", path);
        ret = -EINVAL;
        goto out;
    }

    buf = tern_malloc0(ELF_COPY_CHUNK);
    for (size_t i = 0; i < phnum; i++) {
        gelf_getphdr(elf, (int)i, &ph);           /* checked in the first pass */
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        ret = elf_copy_segment(as, fd, path, &ph, buf, errp);
        if (ret < 0) {
            goto out;
        }
    }
    *entry = eh.e_entry;
    *end = kend;
    ret = 0;
out:
    free(buf);
    if (elf) {
        elf_end(elf);
    }
    close(fd);
    return ret;
}

int elf_kernel_load(AddressSpace *as, const char *path, const X86RamLayout *ram,
                    uint64_t *entry, Error **errp)
{
    uint64_t end;

    return elf_load(as, path, ram, false, entry, &end, errp);
}

int elf_multiboot_load(AddressSpace *as, const char *path, const X86RamLayout *ram,
                       uint64_t *entry, uint64_t *end, Error **errp)
{
    return elf_load(as, path, ram, true, entry, end, errp);
}
