/*
 * pc_cmos.c: the PC's CMOS layout (see pc_cmos.h): what the IBM AT BIOS and
 * its successors left in the MC146818's RAM, at QEMU's pc_cmos_init
 * offsets, which SeaBIOS and Linux read.  16-bit fields are little endian.
 */
#include "util/osdep.h"
#include "hw/i386/pc_cmos.h"

#define CMOS_FLOPPY_TYPES   0x10   /* drives A and B: 0 = none */
#define CMOS_EQUIPMENT      0x14
#define CMOS_BASE_MEM       0x15   /* KiB below 1 MiB, 2 bytes */
#define CMOS_EXT_MEM        0x17   /* KiB above 1 MiB (to 64 MiB), 2 bytes */
#define CMOS_EXT_MEM_COPY   0x30   /* the same, as the POST reports it */
#define CMOS_MEM_ABOVE_16M  0x34   /* 64 KiB units from 16 MiB to the 4 GiB hole, 2 bytes */
#define CMOS_MEM_ABOVE_4G   0x5b   /* 64 KiB units above 4 GiB, 3 bytes */
#define CMOS_NCPUS_MINUS_1  0x5f

#define EQUIPMENT_FPU       0x02   /* bits 5-4 = 00: EGA/VGA display; no floppy */

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)

static void cmos_set_le(RTCState *rtc, unsigned addr, uint64_t val, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        rtc_cmos_set(rtc, addr + i, (uint8_t)(val >> (8 * i)));
    }
}

void pc_cmos_init(RTCState *rtc, const X86RamLayout *ram, unsigned ncpus)
{
    uint64_t ext_kib = ram->below_4g > MIB ? (ram->below_4g - MIB) / KIB : 0;
    uint64_t above_16m = ram->below_4g > 16 * MIB ? (ram->below_4g - 16 * MIB) / (64 * KIB) : 0;

    rtc_cmos_set(rtc, CMOS_FLOPPY_TYPES, 0);
    rtc_cmos_set(rtc, CMOS_EQUIPMENT, EQUIPMENT_FPU);
    cmos_set_le(rtc, CMOS_BASE_MEM, 640, 2);
    cmos_set_le(rtc, CMOS_EXT_MEM, MIN(ext_kib, 0xffff), 2);
    cmos_set_le(rtc, CMOS_EXT_MEM_COPY, MIN(ext_kib, 0xffff), 2);
    cmos_set_le(rtc, CMOS_MEM_ABOVE_16M, MIN(above_16m, 0xffff), 2);
    cmos_set_le(rtc, CMOS_MEM_ABOVE_4G, MIN(ram->above_4g / (64 * KIB), 0xffffff), 3);
    rtc_cmos_set(rtc, CMOS_NCPUS_MINUS_1, (uint8_t)(ncpus - 1));
}
