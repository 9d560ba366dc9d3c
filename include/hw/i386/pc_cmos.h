/*
 * pc_cmos.h: the PC's CMOS RAM contents, as a BIOS would leave them.
 */
#ifndef HW_I386_PC_CMOS_H
#define HW_I386_PC_CMOS_H

#include "util/osdep.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/i386/boot.h"

/* Fill rtc's memory-size, CPU-count and equipment bytes for a machine with
 * RAM at ram and ncpus CPUs (QEMU's pc_cmos_init). */
void pc_cmos_init(RTCState *rtc, const X86RamLayout *ram, unsigned ncpus);

#endif
