/*
 * test-ioport80.c: the POST port (hw/misc/ioport80.c) in an I/O address
 * space: writes are taken and reads return 0xff, both as a device access
 * (MEMTX_OK), not the unmapped path (MEMTX_DECODE_ERROR, logged under
 * -d guest_errors) that the neighbouring port 0x81 takes.
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "hw/misc/ioport80.h"
#include "test.h"

TEST_GLOBALS;

static MemoryRegion io;
static AddressSpace io_as;

static void test_write_ignored_read_ff(void)
{
    IOPort80State *s = ioport80_init(&io, 0x80);
    uint64_t v = 0;

    CHECK_EQ(address_space_st(&io_as, 0x80, 1, 0x42), MEMTX_OK);
    CHECK_EQ(address_space_ld(&io_as, 0x80, 1, &v), MEMTX_OK);
    CHECK_EQ(v, 0xff);
    CHECK_EQ(address_space_ld(&io_as, 0x81, 1, &v), MEMTX_DECODE_ERROR);
    ioport80_destroy(s, &io);
    CHECK_EQ(address_space_ld(&io_as, 0x80, 1, &v), MEMTX_DECODE_ERROR);
}

int main(void)
{
    memory_region_init_container(&io, "io", 0x10000);
    address_space_init(&io_as, &io, "I/O");
    RUN_TEST(test_write_ignored_read_ff);
    TEST_MAIN_END();
}
