/*
 * decode-table.c: the x86 opcode maps, one table per map, in SDM notation.
 *
 * Each row reads like the SDM's opcode map (Vol. 2, appendix A): name,
 * kind (the translator's generator), flags (d64/f64 operand size rules,
 * LOCK-able, invalid in 64-bit mode), operands.  A GROUP row's operands are
 * inherited by the rows of its group table (appendix A.4) unless the group
 * row lists its own.  Rows left out are undefined (#UD) for now; adding an
 * instruction means adding its row and, if its kind is new, a generator.
 */
#include "target-x86/decode.h"

/* SDM operand notation */
#define Eb  X86_OPND(X86_AM_E, X86_SZ_b, 0)
#define Ew  X86_OPND(X86_AM_E, X86_SZ_w, 0)
#define Ed  X86_OPND(X86_AM_E, X86_SZ_d, 0)
#define Ev  X86_OPND(X86_AM_E, X86_SZ_v, 0)
#define Gb  X86_OPND(X86_AM_G, X86_SZ_b, 0)
#define Gv  X86_OPND(X86_AM_G, X86_SZ_v, 0)
#define M   X86_OPND(X86_AM_M, X86_SZ_NONE, 0)
#define Ib  X86_OPND(X86_AM_I, X86_SZ_b, 0)
#define Iw  X86_OPND(X86_AM_I, X86_SZ_w, 0)
#define Iz  X86_OPND(X86_AM_I, X86_SZ_z, 0)
#define Iv  X86_OPND(X86_AM_I, X86_SZ_v, 0)
#define Jb  X86_OPND(X86_AM_J, X86_SZ_b, 0)
#define Jz  X86_OPND(X86_AM_J, X86_SZ_z, 0)
#define Ob  X86_OPND(X86_AM_O, X86_SZ_b, 0)
#define Ov  X86_OPND(X86_AM_O, X86_SZ_v, 0)
#define Zb  X86_OPND(X86_AM_Z, X86_SZ_b, 0)
#define Zv  X86_OPND(X86_AM_Z, X86_SZ_v, 0)
#define AL  X86_OPND(X86_AM_R, X86_SZ_b, 0)
#define rAX X86_OPND(X86_AM_R, X86_SZ_v, 0)
#define eAX X86_OPND(X86_AM_R, X86_SZ_z, 0)
#define CL  X86_OPND(X86_AM_R, X86_SZ_b, 1)
#define DX  X86_OPND(X86_AM_R, X86_SZ_w, 2)
#define ONE X86_OPND(X86_AM_ONE, X86_SZ_b, 0)

#define d64 X86_F_D64
#define f64 X86_F_F64
#define i64 X86_F_I64

/* I(name, kind, flags, operands...): one instruction row */
#define I(nm, k, fl, ...) { .name = nm, .kind = X86_INSN_##k, .flags = (fl), .op = { __VA_ARGS__ } }
/* G(group, flags, operands...): a row whose /reg selects the instruction */
#define G(grp, fl, ...) { .name = #grp, .kind = X86_INSN_GROUP, .group = X86_##grp, \
                          .flags = (fl), .op = { __VA_ARGS__ } }

const X86OpEntry x86_map_1byte[256] = {
    [0x00] = I("add", ADD, X86_F_LOCK, Eb, Gb),   [0x01] = I("add", ADD, X86_F_LOCK, Ev, Gv),
    [0x02] = I("add", ADD, 0, Gb, Eb),   [0x03] = I("add", ADD, 0, Gv, Ev),
    [0x04] = I("add", ADD, 0, AL, Ib),   [0x05] = I("add", ADD, 0, rAX, Iz),
    [0x08] = I("or", OR, X86_F_LOCK, Eb, Gb),   [0x09] = I("or", OR, X86_F_LOCK, Ev, Gv),
    [0x0a] = I("or", OR, 0, Gb, Eb),   [0x0b] = I("or", OR, 0, Gv, Ev),
    [0x0c] = I("or", OR, 0, AL, Ib),   [0x0d] = I("or", OR, 0, rAX, Iz),
    [0x10] = I("adc", ADC, X86_F_LOCK, Eb, Gb),   [0x11] = I("adc", ADC, X86_F_LOCK, Ev, Gv),
    [0x12] = I("adc", ADC, 0, Gb, Eb),   [0x13] = I("adc", ADC, 0, Gv, Ev),
    [0x14] = I("adc", ADC, 0, AL, Ib),   [0x15] = I("adc", ADC, 0, rAX, Iz),
    [0x18] = I("sbb", SBB, X86_F_LOCK, Eb, Gb),   [0x19] = I("sbb", SBB, X86_F_LOCK, Ev, Gv),
    [0x1a] = I("sbb", SBB, 0, Gb, Eb),   [0x1b] = I("sbb", SBB, 0, Gv, Ev),
    [0x1c] = I("sbb", SBB, 0, AL, Ib),   [0x1d] = I("sbb", SBB, 0, rAX, Iz),
    [0x20] = I("and", AND, X86_F_LOCK, Eb, Gb),   [0x21] = I("and", AND, X86_F_LOCK, Ev, Gv),
    [0x22] = I("and", AND, 0, Gb, Eb),   [0x23] = I("and", AND, 0, Gv, Ev),
    [0x24] = I("and", AND, 0, AL, Ib),   [0x25] = I("and", AND, 0, rAX, Iz),
    [0x28] = I("sub", SUB, X86_F_LOCK, Eb, Gb),   [0x29] = I("sub", SUB, X86_F_LOCK, Ev, Gv),
    [0x2a] = I("sub", SUB, 0, Gb, Eb),   [0x2b] = I("sub", SUB, 0, Gv, Ev),
    [0x2c] = I("sub", SUB, 0, AL, Ib),   [0x2d] = I("sub", SUB, 0, rAX, Iz),
    [0x30] = I("xor", XOR, X86_F_LOCK, Eb, Gb),   [0x31] = I("xor", XOR, X86_F_LOCK, Ev, Gv),
    [0x32] = I("xor", XOR, 0, Gb, Eb),   [0x33] = I("xor", XOR, 0, Gv, Ev),
    [0x34] = I("xor", XOR, 0, AL, Ib),   [0x35] = I("xor", XOR, 0, rAX, Iz),
    [0x38] = I("cmp", CMP, X86_F_NOP0, Eb, Gb),   [0x39] = I("cmp", CMP, X86_F_NOP0, Ev, Gv),
    [0x3a] = I("cmp", CMP, X86_F_NOP0, Gb, Eb),   [0x3b] = I("cmp", CMP, X86_F_NOP0, Gv, Ev),
    [0x3c] = I("cmp", CMP, X86_F_NOP0, AL, Ib),   [0x3d] = I("cmp", CMP, X86_F_NOP0, rAX, Iz),
    [0x06] = I("push es", INVALID, i64), [0x07] = I("pop es", INVALID, i64),
    [0x0e] = I("push cs", INVALID, i64),
    [0x16] = I("push ss", INVALID, i64), [0x17] = I("pop ss", INVALID, i64),
    [0x1e] = I("push ds", INVALID, i64), [0x1f] = I("pop ds", INVALID, i64),
    [0x27] = I("daa", INVALID, i64), [0x2f] = I("das", INVALID, i64),
    [0x37] = I("aaa", INVALID, i64), [0x3f] = I("aas", INVALID, i64),
    /* 40-4f are REX prefixes in 64-bit mode */
    [0x40 ... 0x47] = I("inc", INC, i64, Zv),
    [0x48 ... 0x4f] = I("dec", DEC, i64, Zv),
    [0x50 ... 0x57] = I("push", PUSH, d64, Zv),
    [0x58 ... 0x5f] = I("pop", POP, d64, Zv),
    [0x63] = I("movsxd", MOVSX, 0, Gv, Ed),
    [0x68] = I("push", PUSH, d64, Iz),
    [0x69] = I("imul", IMUL, 0, Gv, Ev, Iz),
    [0x6a] = I("push", PUSH, d64, Ib),
    [0x6b] = I("imul", IMUL, 0, Gv, Ev, Ib),
    [0x70 ... 0x7f] = I("jcc", JCC, f64, Jb),
    [0x80] = G(GRP1, 0, Eb, Ib),
    [0x81] = G(GRP1, 0, Ev, Iz),
    [0x83] = G(GRP1, 0, Ev, Ib),
    [0x84] = I("test", TEST, X86_F_NOP0, Eb, Gb),
    [0x85] = I("test", TEST, X86_F_NOP0, Ev, Gv),
    [0x86] = I("xchg", XCHG, X86_F_LOCK, Eb, Gb),
    [0x87] = I("xchg", XCHG, X86_F_LOCK, Ev, Gv),
    [0x88] = I("mov", MOV, 0, Eb, Gb),
    [0x89] = I("mov", MOV, 0, Ev, Gv),
    [0x8a] = I("mov", MOV, 0, Gb, Eb),
    [0x8b] = I("mov", MOV, 0, Gv, Ev),
    [0x8d] = I("lea", LEA, 0, Gv, M),
    [0x8f] = G(GRP1A, d64, Ev),
    [0x90 ... 0x97] = I("xchg", XCHG, 0, Zv, rAX),   /* 90 without REX.B: nop */
    [0x98] = I("cbw", CBW, 0),
    [0x99] = I("cwd", CWD, 0),
    [0x9c] = I("pushf", PUSHF, d64),
    [0x9d] = I("popf", POPF, d64),
    [0xa0] = I("mov", MOV, 0, AL, Ob),
    [0xa1] = I("mov", MOV, 0, rAX, Ov),
    [0xa2] = I("mov", MOV, 0, Ob, AL),
    [0xa3] = I("mov", MOV, 0, Ov, rAX),
    [0xa8] = I("test", TEST, X86_F_NOP0, AL, Ib),
    [0xa9] = I("test", TEST, X86_F_NOP0, rAX, Iz),
    [0xb0 ... 0xb7] = I("mov", MOV, 0, Zb, Ib),
    [0xb8 ... 0xbf] = I("mov", MOV, 0, Zv, Iv),
    [0xc0] = G(GRP2, 0, Eb, Ib),
    [0xc1] = G(GRP2, 0, Ev, Ib),
    [0xc2] = I("ret", RET, f64, Iw),
    [0xc3] = I("ret", RET, f64),
    [0xc6] = G(GRP11, 0, Eb, Ib),
    [0xc7] = G(GRP11, 0, Ev, Iz),
    [0xc9] = I("leave", LEAVE, d64),
    [0xcc] = I("int3", INT3, 0),
    [0xce] = I("into", INVALID, i64),
    [0xd0] = G(GRP2, 0, Eb, ONE),
    [0xd1] = G(GRP2, 0, Ev, ONE),
    [0xd2] = G(GRP2, 0, Eb, CL),
    [0xd3] = G(GRP2, 0, Ev, CL),
    [0xd4] = I("aam", INVALID, i64), [0xd5] = I("aad", INVALID, i64),
    [0xe4] = I("in", IN, 0, AL, Ib),
    [0xe5] = I("in", IN, 0, eAX, Ib),
    [0xe6] = I("out", OUT, 0, Ib, AL),
    [0xe7] = I("out", OUT, 0, Ib, eAX),
    [0xe8] = I("call", CALL, f64, Jz),
    [0xe9] = I("jmp", JMP, f64, Jz),
    [0xeb] = I("jmp", JMP, f64, Jb),
    [0xec] = I("in", IN, 0, AL, DX),
    [0xed] = I("in", IN, 0, eAX, DX),
    [0xee] = I("out", OUT, 0, DX, AL),
    [0xef] = I("out", OUT, 0, DX, eAX),
    [0xf4] = I("hlt", HLT, 0),
    [0xf5] = I("cmc", CMC, 0),
    [0xf6] = G(GRP3B, 0, Eb),
    [0xf7] = G(GRP3V, 0, Ev),
    [0xf8] = I("clc", CLC, 0),
    [0xf9] = I("stc", STC, 0),
    [0xfa] = I("cli", CLI, 0),
    [0xfb] = I("sti", STI, 0),
    [0xfc] = I("cld", CLD, 0),
    [0xfd] = I("std", STD, 0),
    [0xfe] = G(GRP4, 0, Eb),
    [0xff] = G(GRP5, 0, Ev),
};

const X86OpEntry x86_map_0f[256] = {
    [0x0b] = I("ud2", UD2, 0),
    [0x18 ... 0x1f] = I("nop", NOP, 0, Ev),     /* hint nops, 0F 1F /0 = NOP Ev */
    [0x40 ... 0x4f] = I("cmovcc", CMOV, 0, Gv, Ev),
    [0x80 ... 0x8f] = I("jcc", JCC, f64, Jz),
    [0x90 ... 0x9f] = I("setcc", SETCC, 0, Eb),
    [0xa2] = I("cpuid", CPUID, 0),
    [0xaf] = I("imul", IMUL, 0, Gv, Ev),
    [0xb6] = I("movzx", MOVZX, 0, Gv, Eb),
    [0xb7] = I("movzx", MOVZX, 0, Gv, Ew),
    [0xbe] = I("movsx", MOVSX, 0, Gv, Eb),
    [0xbf] = I("movsx", MOVSX, 0, Gv, Ew),
};

/* Rows without operands take the opcode row's (SDM table A-6). */
const X86OpEntry x86_groups[X86_GRP_NB][8] = {
    [X86_GRP1] = {
        I("add", ADD, X86_F_LOCK), I("or", OR, X86_F_LOCK),
        I("adc", ADC, X86_F_LOCK), I("sbb", SBB, X86_F_LOCK),
        I("and", AND, X86_F_LOCK), I("sub", SUB, X86_F_LOCK),
        I("xor", XOR, X86_F_LOCK), I("cmp", CMP, X86_F_NOP0),
    },
    [X86_GRP1A] = { [0] = I("pop", POP, d64) },
    [X86_GRP2] = {
        I("rol", ROL, 0), I("ror", ROR, 0), I("rcl", RCL, 0), I("rcr", RCR, 0),
        I("shl", SHL, 0), I("shr", SHR, 0), I("sal", SHL, 0), I("sar", SAR, 0),
    },
    [X86_GRP3B] = {
        I("test", TEST, X86_F_NOP0, Eb, Ib), I("test", TEST, X86_F_NOP0, Eb, Ib),
        I("not", NOT, X86_F_LOCK), I("neg", NEG, X86_F_LOCK),
        I("mul", MUL, 0), I("imul", IMUL1, 0), I("div", DIV, 0), I("idiv", IDIV, 0),
    },
    [X86_GRP3V] = {
        I("test", TEST, X86_F_NOP0, Ev, Iz), I("test", TEST, X86_F_NOP0, Ev, Iz),
        I("not", NOT, X86_F_LOCK), I("neg", NEG, X86_F_LOCK),
        I("mul", MUL, 0), I("imul", IMUL1, 0), I("div", DIV, 0), I("idiv", IDIV, 0),
    },
    [X86_GRP4] = { I("inc", INC, X86_F_LOCK), I("dec", DEC, X86_F_LOCK) },
    [X86_GRP5] = {
        [0] = I("inc", INC, X86_F_LOCK), [1] = I("dec", DEC, X86_F_LOCK),
        [2] = I("call", CALL_IND, f64), [4] = I("jmp", JMP_IND, f64),
        [6] = I("push", PUSH, d64),
    },
    [X86_GRP11] = { [0] = I("mov", MOV, 0) },
};

const char *const x86_insn_kind_names[X86_INSN_NB] = {
#define X86_INSN_NAME(name) [X86_INSN_##name] = #name,
    X86_INSN_LIST(X86_INSN_NAME)
#undef X86_INSN_NAME
};
