/*
 * i8042-reset.c: CPU reset through the 8042.  Boot 1 changes the command
 * byte and pulses the reset line with command 0xFE (Linux's reboot=kbd);
 * boot 2 checks that the system reset restored the controller, then
 * writes the output port with bit 0 clear (0xD1); boot 3 checks the count
 * and ends.  The boot count lives in TERN_RESET_SCRATCH, which a reset
 * keeps.  Guest only: it needs ring 0.
 */
// tern-reboot: yes
#include "tern.h"

#define RESET_MAGIC 0x3234384bu    /* "K842" */
#define KBC_DATA    0x60
#define KBC_STATUS  0x64
#define ST_OBF      0x01
#define ST_IBF      0x02
#define CTR_RESET   0x65           /* the power-on command byte (docs/pc.md) */

static void kbc_cmd(uint8_t cmd)
{
    for (int i = 0; i < 100000 && (inb(KBC_STATUS) & ST_IBF); i++) {
    }
    outb(KBC_STATUS, cmd);
}

static int kbc_read(void)
{
    for (int i = 0; i < 100000; i++) {
        if (inb(KBC_STATUS) & ST_OBF) {
            return inb(KBC_DATA);
        }
    }
    return -1;
}

int main(const struct tern_bootinfo *bi)
{
    volatile uint32_t *scratch = (volatile uint32_t *)(uintptr_t)TERN_RESET_SCRATCH;
    uint32_t boot;

    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("port I/O needs ring 0");
    }
    if (scratch[0] != RESET_MAGIC) {
        scratch[0] = RESET_MAGIC;
        scratch[1] = 0;
    }
    boot = ++scratch[1];
    test_group("i8042-reset");
    kbc_cmd(0x20);
    CHECK_EQ_NAMED("ctr-reset", kbc_read(), CTR_RESET);
    kbc_cmd(0xd0);
    CHECK_EQ_NAMED("outport-reset", kbc_read(), 0xcd);
    kbc_cmd(0x60);
    outb(KBC_DATA, 0x30);              /* reads back until a reset */
    if (boot == 1) {
        kbc_cmd(0xfe);
        CHECK_NAMED("pulse-fe-resets", 0);
    } else if (boot == 2) {
        kbc_cmd(0xd1);
        outb(KBC_DATA, 0xde);          /* bit 0 low: reset */
        CHECK_NAMED("outport-bit0-resets", 0);
    } else {
        CHECK_EQ_NAMED("boots", boot, 3);
    }
    test_done();
}
