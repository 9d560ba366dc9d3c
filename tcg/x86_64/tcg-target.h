/*
 * tcg-target.h: the x86-64 host back end's register model.
 *
 * The back-end interface.  A host back end lives in tcg/<host>/ and is
 * selected by the include path (-Itcg/$(HOST_ARCH)); the core never names a
 * host.  A back end provides:
 *
 *   tcg-target.h (this file), included by tcg/tcg-internal.h:
 *     TCG_TARGET_NB_REGS, TCGRegSet (a bit mask type), TCG_REG_CALL_STACK
 *     (stack pointer), TCG_AREG0 (register pinned to env for the whole block),
 *     TCG_TARGET_RESERVED_REGS (never allocated), TCG_TARGET_CALL_CLOBBER_REGS,
 *     tcg_target_call_iarg_regs[] / TCG_TARGET_CALL_OARG_REG (the C ABI),
 *     tcg_target_reg_alloc_order[] (allocation preference),
 *     tcg_target_pin_regs[] (homes of a looping block's pinned globals),
 *     tcg_target_reg_names[] (for dumps), TCG_STATIC_CALL_ARGS_SIZE and
 *     TCG_STATIC_FRAME_SIZE (spill slots live at [CALL_STACK + ARGS_SIZE ..
 *     + FRAME_SIZE)), TCG_CT_CONST_* immediate classes.
 *
 *   tcg-target.c, functions declared in tcg/tcg-internal.h:
 *     tcg_target_op_constraints  operand constraints per opcode
 *     tcg_target_const_match     does a constant fit an immediate class
 *     tcg_out_mov/movi/ld/st/sti  moves the allocator needs
 *     tcg_out_op                 every generic op (args already in registers)
 *     tcg_out_call, tcg_out_exit_tb, tcg_out_goto_tb
 *     tcg_out_ldst_finalize      soft-MMU slow paths after the main code
 *     tcg_target_emit_prologue   tcg_tb_exec's entry and the epilogue
 *     tcg_target_patch_rel32     label relocation
 *     tb_target_set_jmp_target   (public, tcg.h) chain patching
 *   and tcg_target_exec (here or in tcg-target.c): tcg_tb_exec's way into
 *   generated code, given the prologue's entry point.
 *   guest_ld/guest_st are generic ops: the back end emits the inline TLB
 *   lookup (see tcg/tlb.h) and queues a TCGLdstLabel for its slow path.
 */
#ifndef TCG_X86_64_TCG_TARGET_H
#define TCG_X86_64_TCG_TARGET_H

#include "util/osdep.h"

typedef enum TCGReg {
    TCG_REG_RAX, TCG_REG_RCX, TCG_REG_RDX, TCG_REG_RBX,
    TCG_REG_RSP, TCG_REG_RBP, TCG_REG_RSI, TCG_REG_RDI,
    TCG_REG_R8, TCG_REG_R9, TCG_REG_R10, TCG_REG_R11,
    TCG_REG_R12, TCG_REG_R13, TCG_REG_R14, TCG_REG_R15,
} TCGReg;

#define TCG_TARGET_NB_REGS 16
typedef uint32_t TCGRegSet;

#define TCG_REG_CALL_STACK  TCG_REG_RSP
#define TCG_AREG0           TCG_REG_RBP     /* env */
#define TCG_REG_TMP         TCG_REG_R11     /* back-end scratch, never allocated */

#define TCG_TARGET_RESERVED_REGS \
    ((1u << TCG_REG_RSP) | (1u << TCG_REG_RBP) | (1u << TCG_REG_R11))
#define TCG_TARGET_CALL_CLOBBER_REGS                                         \
    ((1u << TCG_REG_RAX) | (1u << TCG_REG_RCX) | (1u << TCG_REG_RDX) |       \
     (1u << TCG_REG_RSI) | (1u << TCG_REG_RDI) | (1u << TCG_REG_R8) |        \
     (1u << TCG_REG_R9) | (1u << TCG_REG_R10) | (1u << TCG_REG_R11))
#define TCG_TARGET_ALL_REGS 0xffffu
#define TCG_TARGET_CALL_OARG_REG TCG_REG_RAX

static const int tcg_target_call_iarg_regs[6] = {
    TCG_REG_RDI, TCG_REG_RSI, TCG_REG_RDX, TCG_REG_RCX, TCG_REG_R8, TCG_REG_R9,
};

/* Callee-saved first, so values survive helper calls without spilling. */
static const int tcg_target_reg_alloc_order[] = {
    TCG_REG_RBX, TCG_REG_R12, TCG_REG_R13, TCG_REG_R14, TCG_REG_R15,
    TCG_REG_R10, TCG_REG_R9, TCG_REG_R8, TCG_REG_RCX, TCG_REG_RDX,
    TCG_REG_RSI, TCG_REG_RDI, TCG_REG_RAX,
};

/* Homes for the globals of a block that loops to its start (regalloc.c,
 * tcg_pin_loop_globals): call-saved, so helper calls and soft-MMU slow
 * paths keep them, and never an operand constraint's fixed register.  RBX
 * stays for temps that live across calls. */
static const int tcg_target_pin_regs[] = {
    TCG_REG_R15, TCG_REG_R14, TCG_REG_R13, TCG_REG_R12,
};

static const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

#define TCG_STATIC_CALL_ARGS_SIZE 0          /* all helper args in registers */
#define TCG_STATIC_FRAME_SIZE     (1024 * 8) /* spill slots */

/* Immediate classes for TCGArgConstraint.ct */
#define TCG_CT_CONST_S32  1   /* sign-extended 32-bit (any i32 value) */
#define TCG_CT_CONST_ANY  2   /* any value (shift counts are masked) */

/* The prologue follows the SysV ABI: (env, tc_ptr) in, exit value out. */
static inline uintptr_t tcg_target_exec(const void *entry, void *env, const void *tc_ptr)
{
    uintptr_t (*fn)(void *, const void *);

    memcpy(&fn, &entry, sizeof(fn));
    return fn(env, tc_ptr);
}

/* capstone's architecture and mode for -d out_asm (tcg/disas-capstone.c) */
#define TCG_TARGET_CAPSTONE CS_ARCH_X86, CS_MODE_64

#endif
