/*
 * triple.c: a triple fault under -no-reboot makes tern exit with status 0
 * (QEMU's status for a guest reset with -no-reboot) instead of resetting.
 * A boot counter in TERN_RESET_SCRATCH catches a reset that happened
 * anyway: the second boot reports FAIL.  Guest only: it needs ring 0.
 */
// tern-args: -no-reboot
// tern-expect-status: 0
#include "tern.h"

#define TRIPLE_MAGIC 0x4c504954u   /* "TIPL" */

int main(const struct tern_bootinfo *bi)
{
    volatile uint32_t *mark = (volatile uint32_t *)(uintptr_t)TERN_RESET_SCRATCH;

    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("the IDT needs ring 0");
    }
    test_group("triple");
    CHECK_NAMED("first-boot", *mark != TRIPLE_MAGIC);
    if (*mark == TRIPLE_MAGIC) {
        test_done();            /* reset despite -no-reboot */
    }
    *mark = TRIPLE_MAGIC;
    tern_triple_fault();
    CHECK_NAMED("triple-fault-exits", 0);
    test_done();
}
