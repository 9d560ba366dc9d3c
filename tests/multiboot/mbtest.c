/*
 * mbtest.c: the Multiboot 1 test guest (32-bit protected mode, paging
 * off).  tests/scripts/suite-multiboot.sh boots it with
 *     -m 64 -append "mbtest mem=64 two words"
 *     -initrd "DIR/mod1.txt one,DIR/mod2.txt"
 * and it checks what the boot loader promised: the magic in EAX, the
 * information structure's flags, mem_lower/mem_upper, the memory map, the
 * command line, both modules and the boot loader name, and the entry
 * state (CR0, EFLAGS, A20).  Output: PASS/FAIL lines and "N passed, M
 * failed" on COM1; exit through isa-debug-exit (0 passed, 1 failed).
 */
#include <stddef.h>
#include <stdint.h>

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4
#define RAM_MB 64
#define CMDLINE "mbtest mem=64 two words"

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table;
    uint32_t boot_loader_name, apm_table;
};
struct mb_mod {
    uint32_t start, end, string, reserved;
};
struct mb_mmap {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

static unsigned npass, nfail;

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void putc_(char c)
{
    while (!(inb(COM1 + 5) & 0x20)) {
    }
    outb(COM1, (uint8_t)c);
}
static void puts_(const char *s)
{
    while (*s) {
        putc_(*s++);
    }
}
static void putu(uint32_t v)
{
    char b[11];
    int i = 10;

    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_(b + i);
}
static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4) {
        if (v >> i || i == 0) {
            putc_("0123456789abcdef"[(v >> i) & 0xf]);
        }
    }
}

static void check(const char *name, uint64_t got, uint64_t want)
{
    if (got == want) {
        npass++;
        puts_("PASS multiboot/");
        puts_(name);
    } else {
        nfail++;
        puts_("FAIL multiboot/");
        puts_(name);
        puts_(": got ");
        puthex(got);
        puts_(", want ");
        puthex(want);
    }
    putc_('\n');
}

static size_t len_(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}
static int same(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}
static int ends_with(const char *s, const char *suffix)
{
    size_t n = len_(s), m = len_(suffix);

    return n >= m && same(s + n - m, suffix, m);
}

static void check_module(const char *name, const struct mb_mod *m, const char *suffix,
                         const char *text)
{
    size_t n = len_(text);

    check(name, m->start & 0xfff, 0);
    check(name, m->end - m->start, n);
    check(name, same((const char *)m->start, text, n), 1);
    check(name, ends_with((const char *)m->string, suffix), 1);
}

static void check_mmap(const struct mb_info *mi)
{
    uint64_t ram = 0, low = 0, high = 0;
    unsigned n = 0, reserved = 0;

    for (uint32_t off = 0; off < mi->mmap_length; n++) {
        const struct mb_mmap *e = (const struct mb_mmap *)(mi->mmap_addr + off);
        if (e->type == 1) {
            ram += e->len;
            if (e->base == 0) {
                low = e->len;
            } else if (e->base == 0x100000) {
                high = e->len;
            }
        } else {
            reserved++;
        }
        off += e->size + 4;
    }
    check("mmap/entries", n >= 3, 1);
    check("mmap/reserved", reserved >= 1, 1);
    check("mmap/low", low, (uint64_t)mi->mem_lower * 1024);
    check("mmap/high", high, (uint64_t)mi->mem_upper * 1024);
    check("mmap/ram", ram, 0x9fc00 + (uint64_t)(RAM_MB - 1) * 1024 * 1024);
}

extern uint32_t mb_data_word;     /* entry.S: 0x600dda7a in .data */
static uint32_t bss_word;

void mb_main(uint32_t magic, const struct mb_info *mi, uint32_t eflags);

void mb_main(uint32_t magic, const struct mb_info *mi, uint32_t eflags)
{
    const struct mb_mod *mods = (const struct mb_mod *)mi->mods_addr;
    uintptr_t lo_addr = 0x500, hi_addr = 0x100500;
    volatile uint8_t *lo, *hi;
    uint32_t cr0, cs;

    __asm__("" : "+r"(lo_addr), "+r"(hi_addr));     /* plain addresses, not objects */
    lo = (volatile uint8_t *)lo_addr;
    hi = (volatile uint8_t *)hi_addr;

    check("magic", magic, 0x2badb002);
    check("data-loaded", mb_data_word, 0x600dda7a);
    check("bss-zeroed", bss_word, 0);
    check("flags", mi->flags & 0x24d, 0x24d);     /* mem, cmdline, mods, mmap, name */
    check("mem_lower", mi->mem_lower, 639);
    check("mem_upper", mi->mem_upper, (RAM_MB - 1) * 1024);
    check_mmap(mi);
    check("cmdline", len_((const char *)mi->cmdline) == len_(CMDLINE) &&
                     same((const char *)mi->cmdline, CMDLINE, len_(CMDLINE)), 1);
    check("loader-name", same((const char *)mi->boot_loader_name, "tern", 5), 1);
    check("mods_count", mi->mods_count, 2);
    if (mi->mods_count == 2) {
        check_module("mod1", &mods[0], "mod1.txt one", "tern module one\n");
        check_module("mod2", &mods[1], "mod2.txt", "the second module, a little longer\n");
        check("mods-order", mods[1].start >= mods[0].end, 1);
    }

    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    check("cr0-pe", cr0 & 1, 1);
    check("cr0-pg", cr0 >> 31, 0);
    check("eflags-if", eflags & 0x200, 0);
    check("eflags-vm", eflags & 0x20000, 0);
    check("cs-rpl", cs & 3, 0);
    /* A20 open: 0x500 and 0x100500 are different bytes */
    *lo = 0x5a;
    *hi = 0xa5;
    check("a20", *lo, 0x5a);

    puts_("\n");
    putu(npass);
    puts_(" passed, ");
    putu(nfail);
    puts_(" failed\n");
    outb(DEBUG_EXIT, nfail ? 1 : 0);
}
