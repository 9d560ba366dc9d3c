/*
 * tci.h: the interpreter's bytecode, shared by its emitter (tcg-target.c)
 * and the interpreter (tci.c).
 *
 * One instruction per op, byte-aligned, read through the code buffer's RX
 * view as data:
 *   op byte      TCI_OP(TCG opcode, type), | TCI_IMM when an input is a
 *                constant
 *   operands     one byte per register operand, outputs then inputs; the
 *                constant input (the second input, or mov's only one) is
 *                instead its 8-byte value in place
 *   fields       the op's constant arguments:
 *     ld*, st*           i32 offset from the base register
 *     setcond, movcond   u8 condition
 *     brcond             u8 condition, rel32 to the label
 *     br                 rel32 to the label
 *     call               the helper's address (8 bytes)
 *     exit_tb            the value to return (8 bytes)
 *     goto_tb            zero bytes up to a 4-byte boundary, rel32 (patched
 *                        atomically by tb_target_set_jmp_target)
 *     mb                 u8 TCG_MO_* bits
 *     guest_ld, guest_st u32 MemOpIdx, i32 env offset of the CPUTLBFast,
 *                        u8 n, n x TciSync (globals to store before the
 *                        slow path's helper)
 * A rel32 is relative to the end of its own 4 bytes.  Values are in host
 * byte order; multi-byte fields are unaligned except goto_tb's.
 */
#ifndef TCG_TCI_TCI_H
#define TCG_TCI_TCI_H

#include "tcg/tcg.h"

#define TCI_OP(opc, type) ((uint8_t)((unsigned)(opc) << 1 | ((type) == TCG_TYPE_I64)))
#define TCI_IMM 0x80

_Static_assert(NB_OPS * 2 <= TCI_IMM, "a TCG opcode and its type fit in 7 bits");

/* The input that may be a constant (TCI_IMM), or -1: one fact for the
 * constraints, the emitter and the disassembler. */
static inline int tci_imm_input(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_mov:
        return 0;
    case INDEX_op_add: case INDEX_op_sub: case INDEX_op_mul:
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor: case INDEX_op_andc:
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr:
    case INDEX_op_setcond: case INDEX_op_brcond: case INDEX_op_movcond:
        return 1;
    default:
        return -1;
    }
}

/* One global a guest access's slow path stores to env (TCGLdstSync). */
#define TCI_SYNC_SIZE 6         /* u8 register, u8 TCGType, i32 env offset */

#endif
