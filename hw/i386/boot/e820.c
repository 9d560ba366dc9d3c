/*
 * e820.c: the memory map the loaders report (Multiboot's mmap, Linux's
 * boot_params e820 table), one table for both (docs/boot.md).
 *
 * Below 4 GiB it is the map QEMU's firmware reports: RAM up to the EBDA,
 * the EBDA (0x9fc00-0x9ffff) and the BIOS area (0xf0000-0xfffff) reserved,
 * RAM from 1 MiB to the end of RAM below 4 GiB, the BIOS ROM at the top of
 * 4 GiB reserved; then the RAM above 4 GiB.  The board's firmware tables
 * (X86BootFirmware: the ACPI tables) are cut out of whatever they overlap.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"

static const struct {
    uint64_t start, end;    /* end 0: up to the end of RAM below 4 GiB */
    uint32_t type;
} e820_fixed[] = {
    { 0x0, 0x9fc00, E820_RAM },
    { 0x9fc00, 0xa0000, E820_RESERVED },
    { 0xf0000, 0x100000, E820_RESERVED },
    { 0x100000, 0, E820_RAM },
    { 0xfffc0000, X86_ABOVE_4G_BASE, E820_RESERVED },
};

static unsigned e820_add(E820Entry *map, unsigned n, uint64_t start, uint64_t end, uint32_t type)
{
    if (end > start) {
        assert(n < E820_MAP_MAX);
        map[n++] = (E820Entry){ start, end - start, type };
    }
    return n;
}

/* Replace what [x.addr, x.addr + x.size) overlaps in map by x, keeping the
 * map sorted. */
static unsigned e820_carve(E820Entry *map, unsigned n, const E820Entry *x)
{
    E820Entry out[E820_MAP_MAX];
    uint64_t xend = x->addr + x->size;
    unsigned m = 0;
    bool placed = false;

    for (unsigned i = 0; i < n; i++) {
        uint64_t s = map[i].addr, e = s + map[i].size;

        if (!placed && s >= x->addr) {
            m = e820_add(out, m, x->addr, xend, x->type);
            placed = true;
        }
        if (e <= x->addr || s >= xend) {
            m = e820_add(out, m, s, e, map[i].type);
            continue;
        }
        m = e820_add(out, m, s, MIN(e, x->addr), map[i].type);
        if (!placed) {
            m = e820_add(out, m, x->addr, xend, x->type);
            placed = true;
        }
        m = e820_add(out, m, MAX(s, xend), e, map[i].type);
    }
    if (!placed) {
        m = e820_add(out, m, x->addr, xend, x->type);
    }
    memcpy(map, out, m * sizeof(*map));
    return m;
}

unsigned x86_e820_build(const X86RamLayout *ram, const X86BootFirmware *fw, E820Entry *map)
{
    unsigned n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(e820_fixed); i++) {
        n = e820_add(map, n, e820_fixed[i].start,
                     e820_fixed[i].end ? e820_fixed[i].end : ram->below_4g, e820_fixed[i].type);
    }
    n = e820_add(map, n, X86_ABOVE_4G_BASE, X86_ABOVE_4G_BASE + ram->above_4g, E820_RAM);
    for (unsigned i = 0; fw && i < fw->e820_count && i < X86_BOOT_FW_E820_MAX; i++) {
        n = e820_carve(map, n, &fw->e820[i]);
    }
    return n;
}
