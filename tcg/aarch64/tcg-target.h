/*
 * tcg-target.h: the AArch64 host back end's register model (see
 * tcg/x86_64/tcg-target.h for the whole back-end contract).
 *
 * AAPCS64: x0-x7 carry arguments (x0 the result), x0-x18 and x30 are
 * call-clobbered, x19-x28 call-saved, x29 the frame pointer, x30 the
 * link register; register number 31 is sp or xzr by instruction.
 * Reserved here: x19 (env), x16/x17 (IP0/IP1: the back end's scratch,
 * which a linker veneer may also clobber), x18 (the platform register:
 * never touched), x29 (frame records stay walkable), x30 (third scratch:
 * every call clobbers it anyway) and sp.
 */
#ifndef TCG_AARCH64_TCG_TARGET_H
#define TCG_AARCH64_TCG_TARGET_H

#include "util/osdep.h"

typedef enum TCGReg {
    TCG_REG_X0, TCG_REG_X1, TCG_REG_X2, TCG_REG_X3,
    TCG_REG_X4, TCG_REG_X5, TCG_REG_X6, TCG_REG_X7,
    TCG_REG_X8, TCG_REG_X9, TCG_REG_X10, TCG_REG_X11,
    TCG_REG_X12, TCG_REG_X13, TCG_REG_X14, TCG_REG_X15,
    TCG_REG_X16, TCG_REG_X17, TCG_REG_X18, TCG_REG_X19,
    TCG_REG_X20, TCG_REG_X21, TCG_REG_X22, TCG_REG_X23,
    TCG_REG_X24, TCG_REG_X25, TCG_REG_X26, TCG_REG_X27,
    TCG_REG_X28, TCG_REG_X29, TCG_REG_X30, TCG_REG_SP,
} TCGReg;

#define TCG_REG_XZR 31          /* the same number as sp, by instruction */

#define TCG_TARGET_NB_REGS 32
typedef uint32_t TCGRegSet;

#define TCG_REG_CALL_STACK  TCG_REG_SP
#define TCG_AREG0           TCG_REG_X19     /* env */
#define TCG_REG_TMP0        TCG_REG_X16     /* scratch, never allocated */
#define TCG_REG_TMP1        TCG_REG_X17     /* scratch: large memory offsets */
#define TCG_REG_TMP2        TCG_REG_X30     /* scratch: the TLB fast path */

#define TCG_TARGET_RESERVED_REGS                                              \
    ((1u << TCG_REG_SP) | (1u << TCG_REG_X19) | (1u << TCG_REG_X16) |         \
     (1u << TCG_REG_X17) | (1u << TCG_REG_X18) | (1u << TCG_REG_X29) |        \
     (1u << TCG_REG_X30))
/* x0-x18 and x30 */
#define TCG_TARGET_CALL_CLOBBER_REGS (0x0007ffffu | (1u << TCG_REG_X30))
#define TCG_TARGET_ALL_REGS 0x7fffffffu
#define TCG_TARGET_CALL_OARG_REG TCG_REG_X0

static const int tcg_target_call_iarg_regs[6] = {
    TCG_REG_X0, TCG_REG_X1, TCG_REG_X2, TCG_REG_X3, TCG_REG_X4, TCG_REG_X5,
};

/* Callee-saved first, so values survive helper calls without spilling;
 * the argument registers last. */
static const int tcg_target_reg_alloc_order[] = {
    TCG_REG_X20, TCG_REG_X21, TCG_REG_X22, TCG_REG_X23, TCG_REG_X24,
    TCG_REG_X25, TCG_REG_X26, TCG_REG_X27, TCG_REG_X28,
    TCG_REG_X8, TCG_REG_X9, TCG_REG_X10, TCG_REG_X11, TCG_REG_X12,
    TCG_REG_X13, TCG_REG_X14, TCG_REG_X15,
    TCG_REG_X7, TCG_REG_X6, TCG_REG_X5, TCG_REG_X4, TCG_REG_X3,
    TCG_REG_X2, TCG_REG_X1, TCG_REG_X0,
};

/* Homes for a looping block's pinned globals (regalloc.c): call-saved and
 * never an operand constraint's fixed register. */
static const int tcg_target_pin_regs[] = {
    TCG_REG_X28, TCG_REG_X27, TCG_REG_X26, TCG_REG_X25,
};

static const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS] = {
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
    "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
    "x16", "x17", "x18", "env", "x20", "x21", "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",
};

#define TCG_STATIC_CALL_ARGS_SIZE 0          /* all helper args in registers */
#define TCG_STATIC_FRAME_SIZE     (1024 * 8) /* spill slots */

/* Immediate classes for TCGArgConstraint.ct */
#define TCG_CT_CONST_ANY    1   /* any value (shift counts are masked) */
#define TCG_CT_CONST_ARITH  2   /* add/sub/cmp: +-imm12, optionally << 12 */
#define TCG_CT_CONST_LOGIC  4   /* and/or/xor: a bitmask immediate */
#define TCG_CT_CONST_ZERO   8   /* 0: the zero register */

/* The prologue follows AAPCS64: (env, tc_ptr) in x0/x1, exit value in x0. */
static inline uintptr_t tcg_target_exec(const void *entry, void *env, const void *tc_ptr)
{
    uintptr_t (*fn)(void *, const void *);

    memcpy(&fn, &entry, sizeof(fn));
    return fn(env, tc_ptr);
}

/* capstone's architecture and mode for -d out_asm (tcg/disas-capstone.c) */
#define TCG_TARGET_CAPSTONE CS_ARCH_ARM64, CS_MODE_ARM

#endif
