/*
 * test-e820.c: the memory map the loaders report (hw/i386/boot/e820.c):
 * the fixed map, RAM above 4 GiB, and the board's firmware ranges (the
 * ACPI tables' hook) cut out of what they overlap.
 */
#include "util/osdep.h"
#include "hw/i386/boot.h"
#include "test.h"

TEST_GLOBALS;

#define MiB (1ull << 20)

static void check_entry(const E820Entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
    CHECK_EQ(e->addr, addr);
    CHECK_EQ(e->size, size);
    CHECK_EQ(e->type, type);
}

static void test_fixed_map(void)
{
    X86RamLayout ram = { .below_4g = 64 * MiB };
    E820Entry map[E820_MAP_MAX];

    CHECK_EQ(x86_e820_build(&ram, NULL, map), 5u);
    check_entry(&map[0], 0, 0x9fc00, E820_RAM);
    check_entry(&map[1], 0x9fc00, 0x400, E820_RESERVED);
    check_entry(&map[2], 0xf0000, 0x10000, E820_RESERVED);
    check_entry(&map[3], 0x100000, 63 * MiB, E820_RAM);
    check_entry(&map[4], 0xfffc0000, 0x40000, E820_RESERVED);
}

static void test_above_4g(void)
{
    X86RamLayout ram = { .below_4g = 0xe0000000, .above_4g = 512 * MiB };
    E820Entry map[E820_MAP_MAX];

    CHECK_EQ(x86_e820_build(&ram, NULL, map), 6u);
    check_entry(&map[3], 0x100000, 0xe0000000 - 0x100000, E820_RAM);
    check_entry(&map[5], X86_ABOVE_4G_BASE, 512 * MiB, E820_RAM);
}

/* ACPI tables at the top of RAM and NVS inside the BIOS area. */
static void test_firmware_ranges(void)
{
    X86RamLayout ram = { .below_4g = 64 * MiB };
    X86BootFirmware fw = {
        .e820 = { { 63 * MiB, 128 * 1024, E820_ACPI }, { 0xf8000, 0x1000, E820_NVS } },
        .e820_count = 2,
    };
    E820Entry map[E820_MAP_MAX];

    CHECK_EQ(x86_e820_build(&ram, &fw, map), 9u);
    check_entry(&map[2], 0xf0000, 0x8000, E820_RESERVED);
    check_entry(&map[3], 0xf8000, 0x1000, E820_NVS);
    check_entry(&map[4], 0xf9000, 0x7000, E820_RESERVED);
    check_entry(&map[5], 0x100000, 62 * MiB, E820_RAM);
    check_entry(&map[6], 63 * MiB, 128 * 1024, E820_ACPI);
    check_entry(&map[7], 63 * MiB + 128 * 1024, MiB - 128 * 1024, E820_RAM);
    check_entry(&map[8], 0xfffc0000, 0x40000, E820_RESERVED);
}

/* A range across several entries replaces all it covers. */
static void test_range_across_entries(void)
{
    X86RamLayout ram = { .below_4g = 64 * MiB };
    X86BootFirmware fw = { .e820 = { { 0x9f000, 0xf4000 - 0x9f000, E820_NVS } },
                           .e820_count = 1 };
    E820Entry map[E820_MAP_MAX];

    CHECK_EQ(x86_e820_build(&ram, &fw, map), 5u);
    check_entry(&map[0], 0, 0x9f000, E820_RAM);
    check_entry(&map[1], 0x9f000, 0xf4000 - 0x9f000, E820_NVS);
    check_entry(&map[2], 0xf4000, 0xc000, E820_RESERVED);
    check_entry(&map[3], 0x100000, 63 * MiB, E820_RAM);
}

int main(void)
{
    RUN_TEST(test_fixed_map);
    RUN_TEST(test_above_4g);
    RUN_TEST(test_firmware_ranges);
    RUN_TEST(test_range_across_entries);
    TEST_MAIN_END();
}
