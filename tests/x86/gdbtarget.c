/*
 * gdbtarget.c: the guest tests/scripts/suite-gdb.sh debugs with gdb (it
 * also runs alone in suite-x86).  gdb breaks at gdb_break_here, reads
 * gdb_marker, steps over the store of 1 and watches gdb_counter become 2.
 */
#include "tern.h"

volatile uint64_t gdb_counter;                 /* written once per call */
volatile uint64_t gdb_marker = 0x1234abcd;     /* gdb prints it */

__attribute__((noinline)) void gdb_break_here(uint64_t n)
{
    gdb_counter = n;
    __asm__ volatile("" ::: "memory");
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_group("gdbtarget");
    for (uint64_t i = 1; i <= 3; i++) {
        gdb_break_here(i);
    }
    CHECK_EQ_NAMED("counter", gdb_counter, 3);
    CHECK_EQ_NAMED("marker", gdb_marker, 0x1234abcd);
    test_done();
}
