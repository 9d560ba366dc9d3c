/*
 * tcg-target.h: the interpreter back end's register model (see
 * tcg/x86_64/tcg-target.h for the whole back-end contract).
 *
 * The "host" is a virtual machine run by tcg/tci/tci.c: 32 64-bit
 * registers in the interpreter's C frame.  r0-r5 carry helper arguments
 * (r0 also the result) and are the only registers a call clobbers; r30 is
 * env, r31 points at the spill frame.  i32 results are zero-extended to
 * 64 bits, as on x86-64, though the allocator assumes no more than that
 * the low half is right.
 */
#ifndef TCG_TCI_TCG_TARGET_H
#define TCG_TCI_TCG_TARGET_H

#include "util/osdep.h"

#define TCG_TARGET_NB_REGS 32
typedef uint32_t TCGRegSet;

#define TCI_REG_ENV   30
#define TCI_REG_FRAME 31

#define TCG_REG_CALL_STACK  TCI_REG_FRAME
#define TCG_AREG0           TCI_REG_ENV

#define TCG_TARGET_RESERVED_REGS ((1u << TCI_REG_ENV) | (1u << TCI_REG_FRAME))
/* the interpreter passes r0-r5 to the helper and writes r0 back */
#define TCG_TARGET_CALL_CLOBBER_REGS 0x3fu
#define TCG_TARGET_ALL_REGS 0xffffffffu
#define TCG_TARGET_CALL_OARG_REG 0

static const int tcg_target_call_iarg_regs[6] = { 0, 1, 2, 3, 4, 5 };

/* Call-saved first, so values survive helper calls without spilling. */
static const int tcg_target_reg_alloc_order[] = {
    6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
    22, 23, 24, 25, 26, 27, 28, 29, 5, 4, 3, 2, 1, 0,
};

/* Homes for a looping block's pinned globals (regalloc.c): call-saved and
 * never an operand constraint's fixed register. */
static const int tcg_target_pin_regs[] = { 29, 28, 27, 26 };

static const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23",
    "r24", "r25", "r26", "r27", "r28", "r29", "env", "frame",
};

#define TCG_STATIC_CALL_ARGS_SIZE 0          /* all helper args in registers */
#define TCG_STATIC_FRAME_SIZE     (1024 * 8) /* spill slots */

/* Immediate classes for TCGArgConstraint.ct */
#define TCG_CT_CONST_ANY  1   /* any value: an inline 64-bit immediate */

/* Interpret the block at tc_ptr (tcg_tb_exec); entry is unused.  tci.c. */
uintptr_t tcg_target_exec(const void *entry, void *env, const void *tc_ptr);

#endif
