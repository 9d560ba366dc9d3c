/*
 * gdbstub.h: x86-64 for the gdb remote protocol (gdbstub/): the target
 * description gdb reads (qXfer:features:read:target.xml), the registers in
 * its numbering, and guest virtual memory through the page tables.
 *
 * The register table in target-x86/gdbstub.c is the one fact: the XML,
 * the 'g' packet layout and 'p'/'P' numbers all come from it.  Called
 * with the vCPU stopped.
 */
#ifndef TARGET_X86_GDBSTUB_H
#define TARGET_X86_GDBSTUB_H

#include "util/osdep.h"
#include "hw/core/cpu.h"

#define X86_GDB_MAX_REG_BYTES 16   /* the widest register (xmm) */

/* The target description: an XML document, built once. */
const char *x86_gdb_target_xml(void);
unsigned x86_gdb_num_regs(void);
/* Register n (gdb's number) into buf, little-endian: its size in bytes,
 * or 0 if there is no such register. */
unsigned x86_gdb_read_register(CPUState *cs, unsigned n, uint8_t buf[X86_GDB_MAX_REG_BYTES]);
/* Set register n from its len bytes: 0, -EINVAL (no such register or
 * wrong size) or -EPERM (a value tern cannot load this way, e.g. a new
 * segment selector in protected mode or a control register). */
int x86_gdb_write_register(CPUState *cs, unsigned n, const uint8_t *buf, size_t len);
/* Resume at addr ('c ADDR', 's ADDR'). */
void x86_gdb_set_pc(CPUState *cs, uint64_t addr);
/* Read or write len bytes of guest virtual memory at addr as the CPU
 * sees it (page tables, A20): 0, or -EFAULT if a page is not mapped. */
int x86_gdb_rw_memory(CPUState *cs, uint64_t addr, uint8_t *buf, size_t len, bool write);

#endif
