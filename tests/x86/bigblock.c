/*
 * bigblock.c: 600 read-modify-write memory instructions in a row, with no
 * branch.  Each needs two soft-MMU slow-path stubs, so a block of them
 * outgrows a translation block's 64 KiB host-code limit; tern must
 * translate the run as several smaller blocks and compute the same sum.
 */
#include "tern.h"

static volatile uint8_t cell;

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_group("bigblock");
    cell = 0;
    __asm__ volatile(".rept 600\n\taddb %%al, (%%rbx)\n\t.endr"
                     : : "a"(3), "b"(&cell) : "memory", "cc");
    /* 600 * 3 = 1800 = 0x708; the byte keeps 0x08 */
    CHECK_EQ_NAMED("sum", cell, 0x08);
    test_done();
}
