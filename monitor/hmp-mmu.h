/*
 * hmp-mmu.h: the monitor's page-table walks (hmp-mmu.c).  The CPU must be
 * paused with its registers in env (vm_inspect_begin, synchronize_state).
 */
#ifndef MONITOR_HMP_MMU_H
#define MONITOR_HMP_MMU_H

#include "util/osdep.h"
#include "hw/core/cpu.h"

#include <glib.h>

/* "info tlb": each mapped page, "VADDR: PADDR XGPDACTUW". */
void hmp_mmu_info_tlb(CPUState *cs, GString *out);
/* "info mem": ranges of equal rights, "START-END SIZE urw". */
void hmp_mmu_info_mem(CPUState *cs, GString *out);
/* Read len bytes at guest-virtual addr; false if a page is not mapped. */
bool hmp_mmu_read_virtual(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len);

#endif
