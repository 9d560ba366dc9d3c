/*
 * mbtest.c: the Multiboot 1 test guest (32-bit protected mode, paging
 * off).  tests/scripts/suite-multiboot.sh boots it with
 *     -m 64 -append "mbtest mem=64 two words"
 *     -initrd "DIR/mod1.txt one,DIR/mod2.txt"
 * and it checks what the boot loader promised: the magic in EAX, the
 * information structure's flags, mem_lower/mem_upper, the memory map, the
 * command line, both modules and the boot loader name, and the entry
 * state (CR0, EFLAGS, A20).  Output, checks and exit: the guest tests'
 * runtime (tests/x86/runtime: tern.h's CHECK_EQ_NAMED and test_done, COM1
 * and isa-debug-exit).
 */
#include <stddef.h>
#include <stdint.h>
#include "tern.h"

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

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void check_module(const char *name, const struct mb_mod *m, const char *suffix,
                         const char *text)
{
    size_t n = strlen(text);

    CHECK_EQ_NAMED(name, m->start & 0xfff, 0);
    CHECK_EQ_NAMED(name, m->end - m->start, n);
    CHECK_EQ_NAMED(name, memcmp((const char *)m->start, text, n) == 0, 1);
    CHECK_EQ_NAMED(name, ends_with((const char *)m->string, suffix), 1);
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
    CHECK_EQ_NAMED("mmap/entries", n >= 3, 1);
    CHECK_EQ_NAMED("mmap/reserved", reserved >= 1, 1);
    CHECK_EQ_NAMED("mmap/low", low, (uint64_t)mi->mem_lower * 1024);
    CHECK_EQ_NAMED("mmap/high", high, (uint64_t)mi->mem_upper * 1024);
    CHECK_EQ_NAMED("mmap/ram", ram, 0x9fc00 + (uint64_t)(RAM_MB - 1) * 1024 * 1024);
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

    test_group("multiboot");
    CHECK_EQ_NAMED("magic", magic, 0x2badb002);
    CHECK_EQ_NAMED("data-loaded", mb_data_word, 0x600dda7a);
    CHECK_EQ_NAMED("bss-zeroed", bss_word, 0);
    CHECK_EQ_NAMED("flags", mi->flags & 0x24d, 0x24d);     /* mem, cmdline, mods, mmap, name */
    CHECK_EQ_NAMED("mem_lower", mi->mem_lower, 639);
    CHECK_EQ_NAMED("mem_upper", mi->mem_upper, (RAM_MB - 1) * 1024);
    check_mmap(mi);
    CHECK_EQ_NAMED("cmdline", strcmp((const char *)mi->cmdline, CMDLINE) == 0, 1);
    CHECK_EQ_NAMED("loader-name", strcmp((const char *)mi->boot_loader_name, "tern") == 0, 1);
    CHECK_EQ_NAMED("mods_count", mi->mods_count, 2);
    if (mi->mods_count == 2) {
        check_module("mod1", &mods[0], "mod1.txt one", "tern module one\n");
        check_module("mod2", &mods[1], "mod2.txt", "the second module, a little longer\n");
        CHECK_EQ_NAMED("mods-order", mods[1].start >= mods[0].end, 1);
    }

    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    CHECK_EQ_NAMED("cr0-pe", cr0 & 1, 1);
    CHECK_EQ_NAMED("cr0-pg", cr0 >> 31, 0);
    CHECK_EQ_NAMED("eflags-if", eflags & 0x200, 0);
    CHECK_EQ_NAMED("eflags-vm", eflags & 0x20000, 0);
    CHECK_EQ_NAMED("cs-rpl", cs & 3, 0);
    /* A20 open: 0x500 and 0x100500 are different bytes */
    *lo = 0x5a;
    *hi = 0xa5;
    CHECK_EQ_NAMED("a20", *lo, 0x5a);

    test_done();
}
