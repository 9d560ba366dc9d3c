/*
 * lbtest.c: the synthetic bzImage's kernel (64-bit, linked at its load
 * address).  tests/scripts/suite-linuxboot.sh boots it with -m 64 and
 * either nothing or -append LB_CMDLINE_PREFIX" initrd=CRC:SIZE" -initrd
 * FILE; it checks what the 64-bit boot protocol promises: RSI =
 * boot_params with the setup header copied and the loader's fields filled
 * (type_of_loader, loadflags, code32_start, cmd_line_ptr, ramdisk), the
 * e820 map, the initrd's bytes (POSIX cksum), the entry state (selectors,
 * IF, long mode, identity mapping).  Then it spoils boot_params and resets
 * through port 0x92: tern must rebuild everything, and the second boot
 * checks again.  Output, checks and exit: the guest tests' runtime
 * (tests/x86/runtime: tern.h's CHECK_EQ_NAMED and test_done, COM1 and
 * isa-debug-exit).
 */
#include <stddef.h>
#include <stdint.h>
#include "lbtest.h"
#include "tern.h"

#define BP_ACPI_RSDP 0x070
#define BP_SENTINEL  0x1ef
#define BP_E820_N    0x1e8
#define BP_E820      0x2d0

extern uint64_t entry_rsi, entry_rflags;
extern uint16_t entry_cs, entry_ds, entry_es, entry_ss;
extern char startup_32[];


static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n--) {
        v = v << 8 | p[n];
    }
    return v;
}

/* POSIX cksum: CRC-32 (0x04c11db7, MSB first) over the bytes, then the
 * length's bytes, least significant first; complemented. */
static uint32_t cksum(const uint8_t *p, uint64_t len)
{
    static uint32_t table[256];
    uint32_t crc = 0;

    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++) {
            c = c & 0x80000000u ? (c << 1) ^ 0x04c11db7u : c << 1;
        }
        table[i] = c;
    }
    for (uint64_t i = 0; i < len; i++) {
        crc = (crc << 8) ^ table[(crc >> 24) ^ p[i]];
    }
    for (; len; len >>= 8) {
        crc = (crc << 8) ^ table[(crc >> 24) ^ (len & 0xff)];
    }
    return ~crc;
}

/* The physical address va translates to through CR3's 4-level tables,
 * or ~0 if it is not mapped. */
static uint64_t translate(uint64_t va)
{
    uint64_t cr3, e = 0, table;
    int shift = 39;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    table = cr3 & 0x000ffffffffff000ull;
    for (int level = 4; level >= 1; level--, shift -= 9) {
        e = ((const uint64_t *)table)[(va >> shift) & 511];
        if (!(e & 1)) {
            return ~0ull;
        }
        if (level < 4 && level > 1 && (e & 0x80)) {
            uint64_t mask = (1ull << shift) - 1;
            return (e & 0x000ffffffffff000ull & ~mask) | (va & mask);
        }
        table = e & 0x000ffffffffff000ull;
    }
    return table | (va & 0xfff);
}

static int streq_prefix(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++) {
            return 0;
        }
    }
    return 1;
}

/* Parse "DIGITS" at *s up to stop; ~0 if malformed. */
static uint64_t parse_u(const char **s, char stop)
{
    uint64_t v = 0;
    const char *p = *s;

    if (*p < '0' || *p > '9') {
        return ~0ull;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p != stop) {
        return ~0ull;
    }
    *s = p + (stop ? 1 : 0);
    return v;
}

/* The fixed entries exactly; the BIOS area 0xf0000-0xfffff wholly covered
 * by reserved, ACPI or NVS entries (the board's ACPI tables live there);
 * nothing else, sorted, no overlaps. */
static void check_e820(const uint8_t *bp)
{
    static const struct { uint64_t addr, size; uint32_t type; } fixed[] = {
        { 0x0, 0x9fc00, 1 },
        { 0x9fc00, 0x400, 2 },
        { 0x100000, LB_RAM_BYTES - 0x100000, 1 },
        { 0xfffc0000, 0x40000, 2 },
    };
    unsigned n = bp[BP_E820_N], found[4] = { 0 }, other = 0, unsorted = 0;
    uint64_t bios = 0, prev_end = 0;

    CHECK_EQ_NAMED("e820/entries", n >= 5 && n <= 10, 1);
    for (unsigned i = 0; i < n && i < 128; i++) {
        const uint8_t *e = bp + BP_E820 + 20 * i;
        uint64_t addr = rd(e, 8), size = rd(e + 8, 8);
        uint32_t type = (uint32_t)rd(e + 16, 4);
        unsigned k;

        unsorted += addr < prev_end;
        prev_end = addr + size;
        for (k = 0; k < 4; k++) {
            if (addr == fixed[k].addr && size == fixed[k].size && type == fixed[k].type) {
                found[k]++;
                break;
            }
        }
        if (k < 4) {
            continue;
        }
        if (addr >= 0xf0000 && addr + size <= 0x100000 && type >= 2 && type <= 4) {
            bios += size;
        } else {
            other++;
        }
    }
    CHECK_EQ_NAMED("e820/low-ram", found[0], 1);
    CHECK_EQ_NAMED("e820/ebda", found[1], 1);
    CHECK_EQ_NAMED("e820/ram-from-1mib", found[2], 1);
    CHECK_EQ_NAMED("e820/bios-rom", found[3], 1);
    CHECK_EQ_NAMED("e820/bios-area", bios, 0x10000);
    CHECK_EQ_NAMED("e820/nothing-else", other, 0);
    CHECK_EQ_NAMED("e820/sorted", unsorted, 0);
}

/* acpi_rsdp_addr: 0, or the RSDP ("RSD PTR ") in the BIOS area. */
static void check_rsdp(const uint8_t *bp)
{
    uint64_t rsdp = rd(bp + BP_ACPI_RSDP, 8);

    if (rsdp) {
        CHECK_EQ_NAMED("bp/acpi-rsdp-in-bios-area", rsdp >= 0xf0000 && rsdp < 0x100000, 1);
        CHECK_EQ_NAMED("bp/acpi-rsdp-signature", rd((const uint8_t *)(uintptr_t)rsdp, 8),
              0x2052545020445352ull);
    }
}

static void check_header(const uint8_t *bp)
{
    uint64_t load = (uint64_t)(uintptr_t)startup_32;

    CHECK_EQ_NAMED("hdr/load-address", load, LB_LOAD_ADDR);
    CHECK_EQ_NAMED("hdr/magic", rd(bp + 0x202, 4), 0x53726448);     /* "HdrS" */
    CHECK_EQ_NAMED("hdr/boot-flag", rd(bp + 0x1fe, 2), 0xaa55);
    CHECK_EQ_NAMED("hdr/version", rd(bp + 0x206, 2), LB_VERSION);
    CHECK_EQ_NAMED("hdr/setup-sects", bp[0x1f1], 1);
    CHECK_EQ_NAMED("hdr/type-of-loader", bp[0x210], 0xff);
    CHECK_EQ_NAMED("hdr/loadflags", bp[0x211], LB_LOADFLAGS);       /* no CAN_USE_HEAP */
    CHECK_EQ_NAMED("hdr/code32-start", rd(bp + 0x214, 4), load);
    CHECK_EQ_NAMED("hdr/initrd-addr-max", rd(bp + 0x22c, 4), LB_INITRD_ADDR_MAX);
    CHECK_EQ_NAMED("hdr/kernel-alignment", rd(bp + 0x230, 4), LB_KERNEL_ALIGN);
    CHECK_EQ_NAMED("hdr/relocatable", bp[0x234], LB_RELOCATABLE);
    CHECK_EQ_NAMED("hdr/xloadflags", rd(bp + 0x236, 2), LB_XLOADFLAGS);
    CHECK_EQ_NAMED("hdr/cmdline-size", rd(bp + 0x238, 4), LB_CMDLINE_SIZE);
    CHECK_EQ_NAMED("hdr/pref-address", rd(bp + 0x258, 8), LB_PREF_ADDRESS);
    CHECK_EQ_NAMED("hdr/init-size", rd(bp + 0x260, 4), LB_INIT_SIZE);
    CHECK_EQ_NAMED("bp/sentinel", bp[BP_SENTINEL], 0);
}

/* The command line, and the initrd it describes (or none). */
static void check_cmdline_initrd(const uint8_t *bp)
{
    const char *cmd = (const char *)(uintptr_t)rd(bp + 0x228, 4);
    uint64_t image = rd(bp + 0x218, 4), size = rd(bp + 0x21c, 4);
    uint64_t crc = ~0ull, want_size = ~0ull, top, load = (uint64_t)(uintptr_t)startup_32;
    const char *p;

    CHECK_EQ_NAMED("cmdline/ptr-set", cmd != 0, 1);
    if (!cmd) {
        return;
    }
    CHECK_EQ_NAMED("cmdline/identity-mapped", translate((uint64_t)(uintptr_t)cmd), (uintptr_t)cmd);
    if (!*cmd) {
        tern_puts("cmdline: (empty)\n");
        CHECK_EQ_NAMED("initrd/none-image", image, 0);
        CHECK_EQ_NAMED("initrd/none-size", size, 0);
        return;
    }
    tern_puts("cmdline: ");
    tern_puts(cmd);
    tern_putchar('\n');
    CHECK_EQ_NAMED("cmdline/prefix", streq_prefix(cmd, LB_CMDLINE_PREFIX " initrd="), 1);
    p = cmd + sizeof(LB_CMDLINE_PREFIX " initrd=") - 1;
    if (streq_prefix(cmd, LB_CMDLINE_PREFIX " initrd=")) {
        crc = parse_u(&p, ':');
        want_size = crc == ~0ull ? ~0ull : parse_u(&p, 0);
    }
    CHECK_EQ_NAMED("cmdline/initrd-field", want_size != ~0ull, 1);
    CHECK_EQ_NAMED("initrd/size", size, want_size);
    /* Highest page below min(RAM, initrd_addr_max + 1), clear of the kernel. */
    top = LB_RAM_BYTES < LB_INITRD_ADDR_MAX + 1ull ? LB_RAM_BYTES : LB_INITRD_ADDR_MAX + 1ull;
    CHECK_EQ_NAMED("initrd/placement", image, (top - size) & ~0xfffull);
    CHECK_EQ_NAMED("initrd/clear-of-kernel", image >= load + LB_INIT_SIZE || image + size <= load, 1);
    CHECK_EQ_NAMED("initrd/identity-mapped", translate(image + size - 1), image + size - 1);
    CHECK_EQ_NAMED("initrd/cksum", cksum((const uint8_t *)(uintptr_t)image, size), crc);
}

static void check_entry_state(void)
{
    uint64_t cr0, cr4, gdt_base;
    uint32_t lo, hi;
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr;
    const uint64_t *gdt;

    CHECK_EQ_NAMED("entry/cs", entry_cs, 0x10);
    CHECK_EQ_NAMED("entry/ds", entry_ds, 0x18);
    CHECK_EQ_NAMED("entry/es", entry_es, 0x18);
    CHECK_EQ_NAMED("entry/ss", entry_ss, 0x18);
    CHECK_EQ_NAMED("entry/if-clear", entry_rflags & 0x200, 0);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
    CHECK_EQ_NAMED("entry/cr0-pe-pg", cr0 & 0x80000001u, 0x80000001u);
    CHECK_EQ_NAMED("entry/cr4-pae", cr4 & 0x20, 0x20);
    CHECK_EQ_NAMED("entry/efer-lme-lma", lo & 0x500, 0x500);
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    gdt_base = gdtr.base;
    gdt = (const uint64_t *)(uintptr_t)gdt_base;
    CHECK_EQ_NAMED("gdt/limit-covers-0x18", gdtr.limit >= 0x1f, 1);
    /* __BOOT_CS: present, code, execute/read, L, base 0 */
    CHECK_EQ_NAMED("gdt/boot-cs", gdt[2] & 0x00ef9a000000ffffull, 0x00af9a000000ffffull);
    /* __BOOT_DS: present, data, read/write, 4 GiB flat */
    CHECK_EQ_NAMED("gdt/boot-ds", gdt[3] & 0x00ef9a000000ffffull, 0x00cf92000000ffffull);
    CHECK_EQ_NAMED("paging/kernel", translate((uintptr_t)startup_32), (uintptr_t)startup_32);
    CHECK_EQ_NAMED("paging/boot-params", translate(entry_rsi), entry_rsi);
    CHECK_EQ_NAMED("paging/below-4g-top", translate(0xfffff000ull), 0xfffff000ull);
}

void lb_main(uint8_t *bp)
{
    volatile uint32_t *mark = (volatile uint32_t *)LB_RESET_MARK_ADDR;
    int second = *mark == LB_RESET_MARK;

    test_group("linuxboot");
    tern_puts(second ? "linuxboot: after the reset\n" : "linuxboot: first boot\n");
    CHECK_EQ_NAMED("entry/rsi-set", entry_rsi != 0 && entry_rsi == (uintptr_t)bp, 1);
    check_entry_state();
    check_header(bp);
    check_e820(bp);
    check_rsdp(bp);
    check_cmdline_initrd(bp);
    if (second || test_failures()) {
        *mark = 0;
        test_done();
    }
    /* Spoil what tern must rebuild, then reset (port 0x92 bit 0). */
    *mark = LB_RESET_MARK;
    for (unsigned i = 0; i < 0x1000; i++) {
        bp[i] = 0xee;
    }
    outb(0x92, inb(0x92) | 1);
    for (;;) {
        __asm__ volatile("hlt");
    }
}
