/*
 * reset.c: system reset.  Boot 1 dirties an image variable and port 0x92
 * and triple-faults; boot 2 checks that the reset re-loaded the image and
 * reset port 0x92, then requests a fast reset through port 0x92 bit 0;
 * boot 3 checks the count and ends.  The boot count lives in
 * TERN_RESET_SCRATCH, which a reset keeps.  Guest only: it needs ring 0.
 */
// tern-reboot: yes
#include "tern.h"

#define RESET_MAGIC 0x54534552u    /* "REST" */
#define PORT92      0x92

static volatile int image_var = 5;     /* .data: re-loaded by each reset */

int main(const struct tern_bootinfo *bi)
{
    volatile uint32_t *scratch = (volatile uint32_t *)(uintptr_t)TERN_RESET_SCRATCH;
    uint32_t boot;

    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("the IDT needs ring 0");
    }
    if (scratch[0] != RESET_MAGIC) {
        scratch[0] = RESET_MAGIC;
        scratch[1] = 0;
    }
    boot = ++scratch[1];
    test_group("reset");
    CHECK_EQ_NAMED("image-reloaded", image_var, 5);
    CHECK_EQ_NAMED("port92-reset", inb(PORT92), 0x02);
    image_var = 7;
    outb(PORT92, 0x42);                /* bit 6 reads back until a reset */
    if (boot == 1) {
        tern_triple_fault();
        CHECK_NAMED("triple-fault-resets", 0);
    } else if (boot == 2) {
        outb(PORT92, 0x43);            /* fast reset */
        CHECK_NAMED("port92-fast-reset", 0);
    } else {
        CHECK_EQ_NAMED("boots", boot, 3);
    }
    test_done();
}
