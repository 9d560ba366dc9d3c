/*
 * decode-table.c: the x86 opcode maps, one table per map, in SDM notation.
 *
 * Each row reads like the SDM's opcode map (Vol. 2, appendix A): name,
 * kind (the translator's generator), flags (d64/f64 operand size rules,
 * LOCK-able, invalid in 64-bit mode), operands.  A GROUP row's operands are
 * inherited by the rows of its group table (appendix A.4) unless the group
 * row lists its own.  Rows left out are undefined (#UD) for now; adding an
 * instruction means adding its row and, if its kind is new, a generator.
 *
 * Mandatory prefixes.  P(none, 66, F3, F2) is a row chosen by prefix (the
 * SDM's "66 0F 38 F6" notation); its four entries are ordinary rows, which
 * may be groups, and a group row may itself be a P() row.  The choice:
 *  - under VEX, VEX.pp picks the entry (0 none, 1 66, 2 F3, 3 F2), exactly;
 *  - else F2 over F3 over 66 over none (of F2/F3 the last one counts); an
 *    F2/F3 so used is not a REP prefix, and a 66 that picks its own entry
 *    is not an operand-size prefix;
 *  - an empty 66 entry (written __) means 66 is just the operand-size
 *    prefix of the none entry (66 0F 38 F0 = movbe r16); to make 66 #UD,
 *    write an INVALID row there.  Empty none/F3/F2 entries are #UD.
 * The chosen prefix is kept in X86DecodedInsn.mpfx for the generator.
 *
 * VEX.  Rows marked vex (X86_F_VEX) decode only under a VEX prefix, every
 * other row only without one; VEX.mmmmm selects the 0F, 0F 38 or 0F 3A
 * table.  lz (X86_F_VEX_LZ) requires VEX.L = 0.  The By operand is the
 * register VEX.vvvv names; a VEX row without one needs vvvv = 1111b.
 */
#include "target-x86/decode.h"

/* SDM operand notation */
#define Eb  X86_OPND(X86_AM_E, X86_SZ_b, 0)
#define Ew  X86_OPND(X86_AM_E, X86_SZ_w, 0)
#define Ed  X86_OPND(X86_AM_E, X86_SZ_d, 0)
#define Ev  X86_OPND(X86_AM_E, X86_SZ_v, 0)
#define Gb  X86_OPND(X86_AM_G, X86_SZ_b, 0)
#define Gv  X86_OPND(X86_AM_G, X86_SZ_v, 0)
#define Gw  X86_OPND(X86_AM_G, X86_SZ_w, 0)
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
#define Ey  X86_OPND(X86_AM_E, X86_SZ_y, 0)
#define Gy  X86_OPND(X86_AM_G, X86_SZ_y, 0)
#define Gd  X86_OPND(X86_AM_G, X86_SZ_d, 0)
#define Mv  X86_OPND(X86_AM_M, X86_SZ_v, 0)
#define By  X86_OPND(X86_AM_B, X86_SZ_y, 0)
/* SSE: V = XMM in ModRM.reg, W = XMM or memory, U = XMM only; x = 128 bits,
 * d/q = the ss/sd scalar (or dword/qword) memory size */
#define Vx  X86_OPND(X86_AM_V, X86_SZ_x, 0)
#define Wx  X86_OPND(X86_AM_W, X86_SZ_x, 0)
#define Wd  X86_OPND(X86_AM_W, X86_SZ_d, 0)
#define Wq  X86_OPND(X86_AM_W, X86_SZ_q, 0)
#define Ww  X86_OPND(X86_AM_W, X86_SZ_w, 0)
#define Ux  X86_OPND(X86_AM_U, X86_SZ_x, 0)
#define Mx  X86_OPND(X86_AM_M, X86_SZ_x, 0)
#define Mq  X86_OPND(X86_AM_M, X86_SZ_q, 0)
#define Md  X86_OPND(X86_AM_M, X86_SZ_d, 0)
#define My  X86_OPND(X86_AM_M, X86_SZ_y, 0)
/* MMX: P = MMX register in ModRM.reg, Q = MMX register or memory, N = MMX
 * register only (REX.R/B ignored: mm0-mm7); q = 64 bits, d = 32-bit memory */
#define Pq  X86_OPND(X86_AM_P, X86_SZ_q, 0)
#define Qq  X86_OPND(X86_AM_Q, X86_SZ_q, 0)
#define Qd  X86_OPND(X86_AM_Q, X86_SZ_d, 0)
#define Nq  X86_OPND(X86_AM_N, X86_SZ_q, 0)
/* System: C = control register in ModRM.reg, R = general register in
 * ModRM.rm whatever ModRM.mod says (MOV CR), S = segment register in
 * ModRM.reg */
#define Cy  X86_OPND(X86_AM_C, X86_SZ_y, 0)
#define Dy  X86_OPND(X86_AM_D, X86_SZ_y, 0)   /* debug register in ModRM.reg */
#define Ry  X86_OPND(X86_AM_GR, X86_SZ_y, 0)
#define Sw  X86_OPND(X86_AM_S, X86_SZ_w, 0)

#define d64 X86_F_D64
#define f64 X86_F_F64
#define i64 X86_F_I64
#define vex X86_F_VEX
#define lz  X86_F_VEX_LZ

/* I(name, kind, flags, operands...): one instruction row */
#define I(nm, k, fl, ...) { .name = nm, .kind = X86_INSN_##k, .flags = (fl), .op = { __VA_ARGS__ } }
/* G(group, flags, operands...): a row whose /reg selects the instruction */
#define G(grp, fl, ...) { .name = #grp, .kind = X86_INSN_GROUP, .group = X86_##grp, \
                          .flags = (fl), .op = { __VA_ARGS__ } }
/* P(none, 66, F3, F2): a row chosen by mandatory prefix (see above); __ is empty */
#define __ { 0 }
#define P(none, p66, pf3, pf2) { .name = "pfx", .pfx = (const X86OpEntry[4]){ none, p66, pf3, pf2 } }
/* SSE rows: S4 = ps, pd, ss, sd forms of V,W; S2 = ps, pd; X66 = a 66-only row */
#define S4(nm, K) P(I(nm "ps", K##PS, 0, Vx, Wx), I(nm "pd", K##PD, 0, Vx, Wx), \
                    I(nm "ss", K##SS, 0, Vx, Wd), I(nm "sd", K##SD, 0, Vx, Wq))
#define S2(nm, K, K2) P(I(nm "ps", K, 0, Vx, Wx), I(nm "pd", K2, 0, Vx, Wx), __, __)
#define X66(nm, K, ...) P(__, I(nm, K, 0, __VA_ARGS__), __, __)
#define UD66 I("(bad)", INVALID, 0)
/* R(mem, rm0, ..., rm7): a row chosen by ModRM (the SDM's table A-6, whose
 * mod = 11B rows name one instruction per ModRM.rm): mem is the memory
 * form, rmN the register form with ModRM.rm = N; missing entries are #UD.
 * The entries may be P() rows.  R8(mem, reg): one register form for all. */
#define R(mem, ...) { .name = "rm", .rm = (const X86OpEntry[9]){ mem, __VA_ARGS__ } }
#define R8(mem, r) R(mem, r, r, r, r, r, r, r, r)
/* MMX66: the MMX form (no prefix: Pq, Qq) and the SSE2/SSSE3 form (66: Vx,
 * Wx) of one integer SIMD operation, one kind (translate-mmx.c takes the
 * forms with an MMX operand); MMX66L: the punpckl* rows (MMX memory: m32);
 * MMX66G: a 0F 71-73 group entry (MMX: Nq, Ib) */
#define MMX66(nm, K) P(I(nm, K, 0, Pq, Qq), I(nm, K, 0, Vx, Wx), __, __)
#define MMX66L(nm, K) P(I(nm, K, 0, Pq, Qd), I(nm, K, 0, Vx, Wx), __, __)
#define MMX66G(nm, K) P(I(nm, K, 0, Nq, Ib), I(nm, K, 0), __, __)

const X86OpEntry x86_row_arpl = I("arpl", ARPL, 0, Ew, Gw);

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
    /* 16/32-bit code only (translate-system.c, translate-legacy.c) */
    [0x06] = I("push es", PUSH_SEG, i64), [0x07] = I("pop es", POP_SEG, i64),
    [0x0e] = I("push cs", PUSH_SEG, i64),
    [0x16] = I("push ss", PUSH_SEG, i64), [0x17] = I("pop ss", POP_SEG, i64),
    [0x1e] = I("push ds", PUSH_SEG, i64), [0x1f] = I("pop ds", POP_SEG, i64),
    [0x60] = I("pusha", PUSHA, i64), [0x61] = I("popa", POPA, i64),
    /* C4/C5 with ModRM.mod != 3 outside 64-bit mode (decode.c: else VEX) */
    [0xc4] = I("les", LSEG, i64, Gv, M), [0xc5] = I("lds", LSEG, i64, Gv, M),
    [0x27] = I("daa", BCD, i64), [0x2f] = I("das", BCD, i64),
    [0x37] = I("aaa", BCD, i64), [0x3f] = I("aas", BCD, i64),
    [0x62] = I("bound", BOUND, i64, Gv, M),     /* EVEX in 64-bit mode: #UD */
    [0x82] = G(GRP1, i64, Eb, Ib),              /* alias of 80 */
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
    [0x9e] = I("sahf", SAHF, 0),
    [0x9f] = I("lahf", LAHF, 0),
    [0x9b] = I("fwait", FWAIT, 0),
    [0x8c] = I("mov", MOV_SEG, 0, Ev, Sw),      /* memory: always 16 bits */
    [0x8e] = I("mov", MOV_SEG, 0, Sw, Ew),
    [0xcd] = I("int", INT, 0, Ib),
    [0xcf] = I("iret", IRET, 0),                /* 66: iret, REX.W: iretq */
    [0x9c] = I("pushf", PUSHF, d64),
    [0x9d] = I("popf", POPF, d64),
    [0xa0] = I("mov", MOV, 0, AL, Ob),
    [0xa1] = I("mov", MOV, 0, rAX, Ov),
    [0xa2] = I("mov", MOV, 0, Ob, AL),
    [0xa3] = I("mov", MOV, 0, Ov, rAX),
    [0xa8] = I("test", TEST, X86_F_NOP0, AL, Ib),
    [0xa9] = I("test", TEST, X86_F_NOP0, rAX, Iz),
    /* strings: the even opcode is the byte form (translate-string.c) */
    [0xa4 ... 0xa5] = I("movs", MOVS, 0),
    [0xa6 ... 0xa7] = I("cmps", CMPS, 0),
    [0xaa ... 0xab] = I("stos", STOS, 0),
    [0xac ... 0xad] = I("lods", LODS, 0),
    [0x6c ... 0x6d] = I("ins", INS, 0), [0x6e ... 0x6f] = I("outs", OUTS, 0),
    [0xae ... 0xaf] = I("scas", SCAS, 0),
    [0xb0 ... 0xb7] = I("mov", MOV, 0, Zb, Ib),
    [0xb8 ... 0xbf] = I("mov", MOV, 0, Zv, Iv),
    [0xc0] = G(GRP2, 0, Eb, Ib),
    [0xc1] = G(GRP2, 0, Ev, Ib),
    [0xc2] = I("ret", RET, f64, Iw),
    [0xc3] = I("ret", RET, f64),
    /* far transfers (translate-far.c): ptr16:16/32 is the offset (Iz) then
     * the selector (Iw) */
    [0x9a] = I("lcall", LCALL, i64, Iz, Iw),
    [0xca] = I("lret", LRET, 0, Iw),
    [0xcb] = I("lret", LRET, 0),
    [0xea] = I("ljmp", LJMP, i64, Iz, Iw),
    [0xc6] = G(GRP11, 0, Eb, Ib),
    [0xc7] = G(GRP11, 0, Ev, Iz),
    [0xc8] = I("enter", ENTER, d64, Iw, Ib),
    [0xc9] = I("leave", LEAVE, d64),
    [0xcc] = I("int3", INT3, 0),
    [0xce] = I("into", INTO, i64),
    [0xd0] = G(GRP2, 0, Eb, ONE),
    [0xd1] = G(GRP2, 0, Ev, ONE),
    [0xd2] = G(GRP2, 0, Eb, CL),
    [0xd3] = G(GRP2, 0, Ev, CL),
    [0xd4] = I("aam", BCD, i64, Ib), [0xd5] = I("aad", BCD, i64, Ib),
    [0xd6] = I("salc", SALC, i64),              /* undocumented */
    [0xd8 ... 0xdf] = I("x87", X87ESC, 0, X86_OPND(X86_AM_E, X86_SZ_NONE, 0)),
    [0xd7] = I("xlat", XLAT, 0),
    [0xe0 ... 0xe2] = I("loop", LOOP, f64, Jb),   /* loopne, loope, loop */
    [0xe3] = I("jrcxz", JRCXZ, f64, Jb),
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
    [0xf1] = I("int1", INT1, 0),
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
    /* SSE, SSE2, SSE3 (translate-sse.c) */
    [0x10] = P(I("movups", MOVU, 0, Vx, Wx), I("movupd", MOVU, 0, Vx, Wx),
               I("movss", MOVSS, 0, Vx, Wd), I("movsd", MOVSD, 0, Vx, Wq)),
    [0x11] = P(I("movups", MOVU, 0, Wx, Vx), I("movupd", MOVU, 0, Wx, Vx),
               I("movss", MOVSS, 0, Wd, Vx), I("movsd", MOVSD, 0, Wq, Vx)),
    /* none, reg form: movhlps; 66: memory only */
    [0x12] = P(I("movlps", MOVLPS, 0, Vx, Wq), I("movlpd", MOVLPS, 0, Vx, Mq),
               I("movsldup", MOVSLDUP, 0, Vx, Wx), I("movddup", MOVDDUP, 0, Vx, Wq)),
    [0x13] = P(I("movlps", MOVLPS, 0, Mq, Vx), I("movlpd", MOVLPS, 0, Mq, Vx), __, __),
    [0x14] = S2("unpckl", UNPCKLPS, UNPCKLPD),
    [0x15] = S2("unpckh", UNPCKHPS, UNPCKHPD),
    /* none, reg form: movlhps */
    [0x16] = P(I("movhps", MOVHPS, 0, Vx, Wq), I("movhpd", MOVHPS, 0, Vx, Mq),
               I("movshdup", MOVSHDUP, 0, Vx, Wx), __),
    [0x17] = P(I("movhps", MOVHPS, 0, Mq, Vx), I("movhpd", MOVHPS, 0, Mq, Vx), __, __),
    [0x28] = P(I("movaps", MOVA, 0, Vx, Wx), I("movapd", MOVA, 0, Vx, Wx), __, __),
    [0x29] = P(I("movaps", MOVA, 0, Wx, Vx), I("movapd", MOVA, 0, Wx, Vx), __, __),
    /* 0F 2A, 2C, 2D none and 66: the MMX conversions (kinds of the XMM ones) */
    [0x2a] = P(I("cvtpi2ps", CVTDQ2PS, 0, Vx, Qq), I("cvtpi2pd", CVTDQ2PD, 0, Vx, Qq),
               I("cvtsi2ss", CVTSI2SS, 0, Vx, Ey), I("cvtsi2sd", CVTSI2SD, 0, Vx, Ey)),
    [0x2b] = P(I("movntps", MOVA, 0, Mx, Vx), I("movntpd", MOVA, 0, Mx, Vx), __, __),
    [0x2c] = P(I("cvttps2pi", CVTTPS2DQ, 0, Pq, Wq), I("cvttpd2pi", CVTTPD2DQ, 0, Pq, Wx),
               I("cvttss2si", CVTTSS2SI, 0, Gy, Wd),
               I("cvttsd2si", CVTTSD2SI, 0, Gy, Wq)),
    [0x2d] = P(I("cvtps2pi", CVTPS2DQ, 0, Pq, Wq), I("cvtpd2pi", CVTPD2DQ, 0, Pq, Wx),
               I("cvtss2si", CVTSS2SI, 0, Gy, Wd), I("cvtsd2si", CVTSD2SI, 0, Gy, Wq)),
    [0x2e] = P(I("ucomiss", UCOMISS, 0, Vx, Wd), I("ucomisd", UCOMISD, 0, Vx, Wq), __, __),
    [0x2f] = P(I("comiss", COMISS, 0, Vx, Wd), I("comisd", COMISD, 0, Vx, Wq), __, __),
    [0x50] = P(I("movmskps", MOVMSKPS, 0, Gy, Ux), I("movmskpd", MOVMSKPD, 0, Gy, Ux), __, __),
    [0x51] = S4("sqrt", SQRT),
    /* 66 0F 52, 53, C3 are #UD, not the none form with a 16-bit operand size */
    [0x52] = P(I("rsqrtps", RSQRTPS, 0, Vx, Wx), UD66, I("rsqrtss", RSQRTSS, 0, Vx, Wd), __),
    [0x53] = P(I("rcpps", RCPPS, 0, Vx, Wx), UD66, I("rcpss", RCPSS, 0, Vx, Wd), __),
    [0x54] = S2("and", PAND, PAND),
    [0x55] = S2("andn", PANDN, PANDN),
    [0x56] = S2("or", POR, POR),
    [0x57] = S2("xor", PXOR, PXOR),
    [0x58] = S4("add", ADD),
    [0x59] = S4("mul", MUL),
    [0x5a] = P(I("cvtps2pd", CVTPS2PD, 0, Vx, Wq), I("cvtpd2ps", CVTPD2PS, 0, Vx, Wx),
               I("cvtss2sd", CVTSS2SD, 0, Vx, Wd), I("cvtsd2ss", CVTSD2SS, 0, Vx, Wq)),
    [0x5b] = P(I("cvtdq2ps", CVTDQ2PS, 0, Vx, Wx), I("cvtps2dq", CVTPS2DQ, 0, Vx, Wx),
               I("cvttps2dq", CVTTPS2DQ, 0, Vx, Wx), __),
    [0x5c] = S4("sub", SUB),
    [0x5d] = S4("min", MIN),
    [0x5e] = S4("div", DIV),
    [0x5f] = S4("max", MAX),
    [0x60] = MMX66L("punpcklbw", PUNPCKLBW),
    [0x61] = MMX66L("punpcklwd", PUNPCKLWD),
    [0x62] = MMX66L("punpckldq", PUNPCKLDQ),
    [0x63] = MMX66("packsswb", PACKSSWB),
    [0x64] = MMX66("pcmpgtb", PCMPGTB),
    [0x65] = MMX66("pcmpgtw", PCMPGTW),
    [0x66] = MMX66("pcmpgtd", PCMPGTD),
    [0x67] = MMX66("packuswb", PACKUSWB),
    [0x68] = MMX66("punpckhbw", PUNPCKHBW),
    [0x69] = MMX66("punpckhwd", PUNPCKHWD),
    [0x6a] = MMX66("punpckhdq", PUNPCKHDQ),
    [0x6b] = MMX66("packssdw", PACKSSDW),
    [0x6c] = X66("punpcklqdq", PUNPCKLQDQ, Vx, Wx),
    [0x6d] = X66("punpckhqdq", PUNPCKHQDQ, Vx, Wx),
    [0x6e] = P(I("movd", MOVD_LD, 0, Pq, Ey), I("movd", MOVD_LD, 0, Vx, Ey), __, __),
    [0x6f] = P(I("movq", MOVQ, 0, Pq, Qq), I("movdqa", MOVA, 0, Vx, Wx),
               I("movdqu", MOVU, 0, Vx, Wx), __),
    /* pshufw: the MMX form of pshuflw's operation */
    [0x70] = P(I("pshufw", PSHUFLW, 0, Pq, Qq, Ib), I("pshufd", PSHUFD, 0, Vx, Wx, Ib),
               I("pshufhw", PSHUFHW, 0, Vx, Wx, Ib), I("pshuflw", PSHUFLW, 0, Vx, Wx, Ib)),
    [0x71] = G(GRP12, 0, Ux, Ib),
    [0x72] = G(GRP13, 0, Ux, Ib),
    [0x73] = G(GRP14, 0, Ux, Ib),
    [0x74] = MMX66("pcmpeqb", PCMPEQB),
    [0x75] = MMX66("pcmpeqw", PCMPEQW),
    [0x76] = MMX66("pcmpeqd", PCMPEQD),
    [0x77] = P(I("emms", EMMS, 0), UD66, __, __),
    [0x7c] = P(__, I("haddpd", HADDPD, 0, Vx, Wx), __, I("haddps", HADDPS, 0, Vx, Wx)),
    [0x7d] = P(__, I("hsubpd", HSUBPD, 0, Vx, Wx), __, I("hsubps", HSUBPS, 0, Vx, Wx)),
    [0x7e] = P(I("movd", MOVD_ST, 0, Ey, Pq), I("movd", MOVD_ST, 0, Ey, Vx),
               I("movq", MOVQ, 0, Vx, Wq), __),
    [0x7f] = P(I("movq", MOVQ, 0, Qq, Pq), I("movdqa", MOVA, 0, Wx, Vx),
               I("movdqu", MOVU, 0, Wx, Vx), __),
    [0xc2] = P(I("cmpps", CMPPS, 0, Vx, Wx, Ib), I("cmppd", CMPPD, 0, Vx, Wx, Ib),
               I("cmpss", CMPSS, 0, Vx, Wd, Ib), I("cmpsd", CMPSD, 0, Vx, Wq, Ib)),
    [0xc3] = P(I("movnti", MOV, 0, My, Gy), UD66, __, __),
    [0xc4] = P(I("pinsrw", PINSRW, 0, Pq, Ew, Ib), I("pinsrw", PINSRW, 0, Vx, Ew, Ib), __, __),
    [0xc5] = P(I("pextrw", PEXTRW, 0, Gd, Nq, Ib), I("pextrw", PEXTRW, 0, Gy, Ux, Ib), __, __),
    [0xc6] = P(I("shufps", SHUFPS, 0, Vx, Wx, Ib), I("shufpd", SHUFPD, 0, Vx, Wx, Ib), __, __),
    [0xd0] = P(__, I("addsubpd", ADDSUBPD, 0, Vx, Wx), __, I("addsubps", ADDSUBPS, 0, Vx, Wx)),
    [0xd1] = MMX66("psrlw", PSRLW),
    [0xd2] = MMX66("psrld", PSRLD),
    [0xd3] = MMX66("psrlq", PSRLQ),
    [0xd4] = MMX66("paddq", PADDQ),
    [0xd5] = MMX66("pmullw", PMULLW),
    [0xd6] = P(__, I("movq", MOVQ, 0, Wq, Vx), I("movq2dq", MOVQ, 0, Vx, Nq),
               I("movdq2q", MOVQ, 0, Pq, Ux)),
    [0xd7] = P(I("pmovmskb", PMOVMSKB, 0, Gd, Nq), I("pmovmskb", PMOVMSKB, 0, Gy, Ux), __, __),
    [0xd8] = MMX66("psubusb", PSUBUSB),
    [0xd9] = MMX66("psubusw", PSUBUSW),
    [0xda] = MMX66("pminub", PMINUB),
    [0xdb] = MMX66("pand", PAND),
    [0xdc] = MMX66("paddusb", PADDUSB),
    [0xdd] = MMX66("paddusw", PADDUSW),
    [0xde] = MMX66("pmaxub", PMAXUB),
    [0xdf] = MMX66("pandn", PANDN),
    [0xe0] = MMX66("pavgb", PAVGB),
    [0xe1] = MMX66("psraw", PSRAW),
    [0xe2] = MMX66("psrad", PSRAD),
    [0xe3] = MMX66("pavgw", PAVGW),
    [0xe4] = MMX66("pmulhuw", PMULHUW),
    [0xe5] = MMX66("pmulhw", PMULHW),
    [0xe6] = P(__, I("cvttpd2dq", CVTTPD2DQ, 0, Vx, Wx), I("cvtdq2pd", CVTDQ2PD, 0, Vx, Wq),
               I("cvtpd2dq", CVTPD2DQ, 0, Vx, Wx)),
    [0xe7] = P(I("movntq", MOVQ, 0, Mq, Pq), I("movntdq", MOVA, 0, Mx, Vx), __, __),
    [0xe8] = MMX66("psubsb", PSUBSB),
    [0xe9] = MMX66("psubsw", PSUBSW),
    [0xea] = MMX66("pminsw", PMINSW),
    [0xeb] = MMX66("por", POR),
    [0xec] = MMX66("paddsb", PADDSB),
    [0xed] = MMX66("paddsw", PADDSW),
    [0xee] = MMX66("pmaxsw", PMAXSW),
    [0xef] = MMX66("pxor", PXOR),
    [0xf0] = P(__, __, __, I("lddqu", MOVU, 0, Vx, Mx)),
    [0xf1] = MMX66("psllw", PSLLW),
    [0xf2] = MMX66("pslld", PSLLD),
    [0xf3] = MMX66("psllq", PSLLQ),
    [0xf4] = MMX66("pmuludq", PMULUDQ),
    [0xf5] = MMX66("pmaddwd", PMADDWD),
    [0xf6] = MMX66("psadbw", PSADBW),
    [0xf7] = P(I("maskmovq", MASKMOVDQU, 0, Pq, Nq), I("maskmovdqu", MASKMOVDQU, 0, Vx, Ux),
               __, __),
    [0xf8] = MMX66("psubb", PSUBB),
    [0xf9] = MMX66("psubw", PSUBW),
    [0xfa] = MMX66("psubd", PSUBD),
    [0xfb] = MMX66("psubq", PSUBQ),
    [0xfc] = MMX66("paddb", PADDB),
    [0xfd] = MMX66("paddw", PADDW),
    [0xfe] = MMX66("paddd", PADDD),
    [0x0b] = I("ud2", UD2, 0),
    [0x00] = G(GRP6, 0),
    [0x01] = G(GRP7, 0),
    [0x02] = I("lar", LAR, 0, Gv, Ew), [0x03] = I("lsl", LSL, 0, Gv, Ew),
    [0x06] = I("clts", CLTS, 0),
    [0x08] = I("invd", INVD, 0), [0x09] = I("wbinvd", INVD, 0),   /* no caches: no-ops */
    /* MOV from/to CR0-CR15 (CR8 with REX.R); 64-bit operands; LOCK (AMD's
     * CR8 alias) is #UD as on Intel */
    [0x20] = I("mov", MOV_CR, f64, Ry, Cy),
    [0x22] = I("mov", MOV_CR, f64, Cy, Ry),
    [0x21] = I("mov", MOV_DR, f64, Ry, Dy),
    [0x23] = I("mov", MOV_DR, f64, Dy, Ry),
    [0xa0] = I("push fs", PUSH_SEG, d64), [0xa1] = I("pop fs", POP_SEG, d64),
    [0xb2] = I("lss", LSEG, 0, Gv, M),
    [0xb4] = I("lfs", LSEG, 0, Gv, M), [0xb5] = I("lgs", LSEG, 0, Gv, M),
    [0xa8] = I("push gs", PUSH_SEG, d64), [0xa9] = I("pop gs", POP_SEG, d64),
    [0x0d] = I("prefetchw", NOP, 0, Ev),
    [0x31] = I("rdtsc", RDTSC, 0),
    [0x30] = I("wrmsr", WRMSR, 0), [0x32] = I("rdmsr", RDMSR, 0),
    [0x05] = I("syscall", SYSCALL, 0), [0x07] = I("sysret", SYSRET, 0),
    [0x34] = I("sysenter", SYSENTER, 0), [0x35] = I("sysexit", SYSEXIT, 0),
    [0x18 ... 0x1f] = I("nop", NOP, 0, Ev),     /* hint nops, 0F 1F /0 = NOP Ev */
    [0x40 ... 0x4f] = I("cmovcc", CMOV, 0, Gv, Ev),
    [0x80 ... 0x8f] = I("jcc", JCC, f64, Jz),
    [0x90 ... 0x9f] = I("setcc", SETCC, 0, Eb),
    [0xa2] = I("cpuid", CPUID, 0),
    [0xa3] = I("bt", BT, X86_F_NOP0, Ev, Gv),
    [0xa4] = I("shld", SHLD, 0, Ev, Gv, Ib),
    [0xa5] = I("shld", SHLD, 0, Ev, Gv, CL),
    [0xab] = I("bts", BTS, X86_F_LOCK, Ev, Gv),
    [0xac] = I("shrd", SHRD, 0, Ev, Gv, Ib),
    [0xad] = I("shrd", SHRD, 0, Ev, Gv, CL),
    [0xae] = G(GRP15, 0),
    [0xaf] = I("imul", IMUL, 0, Gv, Ev),
    [0xb0] = I("cmpxchg", CMPXCHG, X86_F_LOCK, Eb, Gb),
    [0xb1] = I("cmpxchg", CMPXCHG, X86_F_LOCK, Ev, Gv),
    [0xb3] = I("btr", BTR, X86_F_LOCK, Ev, Gv),
    [0xb6] = I("movzx", MOVZX, 0, Gv, Eb),
    [0xb7] = I("movzx", MOVZX, 0, Gv, Ew),
    [0xb8] = P(__, __, I("popcnt", POPCNT, 0, Gv, Ev), __),
    [0xba] = G(GRP8, 0, Ev, Ib),
    [0xbb] = I("btc", BTC, X86_F_LOCK, Ev, Gv),
    /* F2 is ignored here: F2 0F BC is bsf */
    [0xbc] = P(I("bsf", BSF, 0, Gv, Ev), __, I("tzcnt", TZCNT, 0, Gv, Ev),
               I("bsf", BSF, 0, Gv, Ev)),
    [0xbd] = P(I("bsr", BSR, 0, Gv, Ev), __, I("lzcnt", LZCNT, 0, Gv, Ev),
               I("bsr", BSR, 0, Gv, Ev)),
    [0xbe] = I("movsx", MOVSX, 0, Gv, Eb),
    [0xbf] = I("movsx", MOVSX, 0, Gv, Ew),
    [0xc0] = I("xadd", XADD, X86_F_LOCK, Eb, Gb),
    [0xc1] = I("xadd", XADD, X86_F_LOCK, Ev, Gv),
    [0xc7] = G(GRP9, 0),
    [0xc8 ... 0xcf] = I("bswap", BSWAP, 0, Zv),
};

/* 0F 38: the three-byte map (SDM table A-4) */
const X86OpEntry x86_map_0f38[256] = {
    /* SSSE3 (MMX and 66 forms) */
    [0x00] = MMX66("pshufb", PSHUFB),
    [0x01] = MMX66("phaddw", PHADDW),
    [0x02] = MMX66("phaddd", PHADDD),
    [0x03] = MMX66("phaddsw", PHADDSW),
    [0x04] = MMX66("pmaddubsw", PMADDUBSW),
    [0x05] = MMX66("phsubw", PHSUBW),
    [0x06] = MMX66("phsubd", PHSUBD),
    [0x07] = MMX66("phsubsw", PHSUBSW),
    [0x08] = MMX66("psignb", PSIGNB),
    [0x09] = MMX66("psignw", PSIGNW),
    [0x0a] = MMX66("psignd", PSIGND),
    [0x0b] = MMX66("pmulhrsw", PMULHRSW),
    [0x1c] = MMX66("pabsb", PABSB),
    [0x1d] = MMX66("pabsw", PABSW),
    [0x1e] = MMX66("pabsd", PABSD),
    /* SSE4.1: pmovsx/zx read 8, 4 or 2 bytes of memory (Wq Wd Ww), no alignment;
     * pblendvb blendvps blendvpd take their mask from XMM0 */
    [0x10] = X66("pblendvb", PBLENDVB, Vx, Wx),
    [0x14] = X66("blendvps", BLENDVPS, Vx, Wx),
    [0x15] = X66("blendvpd", BLENDVPD, Vx, Wx),
    [0x17] = X66("ptest", PTEST, Vx, Wx),
    [0x20] = X66("pmovsxbw", PMOVSXBW, Vx, Wq),
    [0x21] = X66("pmovsxbd", PMOVSXBD, Vx, Wd),
    [0x22] = X66("pmovsxbq", PMOVSXBQ, Vx, Ww),
    [0x23] = X66("pmovsxwd", PMOVSXWD, Vx, Wq),
    [0x24] = X66("pmovsxwq", PMOVSXWQ, Vx, Wd),
    [0x25] = X66("pmovsxdq", PMOVSXDQ, Vx, Wq),
    [0x28] = X66("pmuldq", PMULDQ, Vx, Wx),
    [0x29] = X66("pcmpeqq", PCMPEQQ, Vx, Wx),
    [0x2a] = X66("movntdqa", MOVA, Vx, Mx),
    [0x2b] = X66("packusdw", PACKUSDW, Vx, Wx),
    [0x30] = X66("pmovzxbw", PMOVZXBW, Vx, Wq),
    [0x31] = X66("pmovzxbd", PMOVZXBD, Vx, Wd),
    [0x32] = X66("pmovzxbq", PMOVZXBQ, Vx, Ww),
    [0x33] = X66("pmovzxwd", PMOVZXWD, Vx, Wq),
    [0x34] = X66("pmovzxwq", PMOVZXWQ, Vx, Wd),
    [0x35] = X66("pmovzxdq", PMOVZXDQ, Vx, Wq),
    [0x38] = X66("pminsb", PMINSB, Vx, Wx),
    [0x39] = X66("pminsd", PMINSD, Vx, Wx),
    [0x3a] = X66("pminuw", PMINUW, Vx, Wx),
    [0x3b] = X66("pminud", PMINUD, Vx, Wx),
    [0x3c] = X66("pmaxsb", PMAXSB, Vx, Wx),
    [0x3d] = X66("pmaxsd", PMAXSD, Vx, Wx),
    [0x3e] = X66("pmaxuw", PMAXUW, Vx, Wx),
    [0x3f] = X66("pmaxud", PMAXUD, Vx, Wx),
    [0x40] = X66("pmulld", PMULLD, Vx, Wx),
    [0x41] = X66("phminposuw", PHMINPOSUW, Vx, Wx),
    /* SSE4.2, AES-NI (translate-sse.c) */
    [0x37] = X66("pcmpgtq", PCMPGTQ, Vx, Wx),
    [0xdb] = X66("aesimc", AESIMC, Vx, Wx),
    [0xdc] = X66("aesenc", AESENC, Vx, Wx),
    [0xdd] = X66("aesenclast", AESENCLAST, Vx, Wx),
    [0xde] = X66("aesdec", AESDEC, Vx, Wx),
    [0xdf] = X66("aesdeclast", AESDECLAST, Vx, Wx),
    [0x82] = X66("invpcid", INVPCID, Gy, Mx),     /* translate-system.c */
    [0xf0] = P(I("movbe", MOVBE, 0, Gv, Mv), __, __, I("crc32", CRC32, 0, Gy, Eb)),
    [0xf1] = P(I("movbe", MOVBE, 0, Mv, Gv), __, __, I("crc32", CRC32, 0, Gy, Ev)),
    [0xf2] = P(I("andn", ANDN, vex | lz, Gy, By, Ey), __, __, __),
    [0xf3] = P(G(GRP17, vex | lz, By, Ey), __, __, __),
    [0xf5] = P(I("bzhi", BZHI, vex | lz, Gy, Ey, By), __,
               I("pext", PEXT, vex | lz, Gy, By, Ey), I("pdep", PDEP, vex | lz, Gy, By, Ey)),
    [0xf6] = P(__, I("adcx", ADCX, 0, Gy, Ey), I("adox", ADOX, 0, Gy, Ey),
               I("mulx", MULX, vex | lz, Gy, By, Ey)),
    [0xf7] = P(I("bextr", BEXTR, vex | lz, Gy, Ey, By), I("shlx", SHLX, vex | lz, Gy, Ey, By),
               I("sarx", SARX, vex | lz, Gy, Ey, By), I("shrx", SHRX, vex | lz, Gy, Ey, By)),
};

/* 0F 3A: the three-byte map (SDM table A-5) */
const X86OpEntry x86_map_0f3a[256] = {
    [0x0f] = P(I("palignr", PALIGNR, 0, Pq, Qq, Ib), I("palignr", PALIGNR, 0, Vx, Wx, Ib),
               __, __),   /* SSSE3 */
    /* SSE4.1.  pextrb/pextrw/extractps: a 32-bit register (zero-extended)
     * or m8/m16/m32; pinsrb: the low byte of a 32-bit register or m8;
     * pextrd/pinsrd with REX.W are pextrq/pinsrq */
    [0x08] = X66("roundps", ROUNDPS, Vx, Wx, Ib),
    [0x09] = X66("roundpd", ROUNDPD, Vx, Wx, Ib),
    [0x0a] = X66("roundss", ROUNDSS, Vx, Wd, Ib),
    [0x0b] = X66("roundsd", ROUNDSD, Vx, Wq, Ib),
    [0x0c] = X66("blendps", BLENDPS, Vx, Wx, Ib),
    [0x0d] = X66("blendpd", BLENDPD, Vx, Wx, Ib),
    [0x0e] = X66("pblendw", PBLENDW, Vx, Wx, Ib),
    [0x14] = X66("pextrb", PEXTRB, Ed, Vx, Ib),
    [0x15] = X66("pextrw", PEXTRW_M, Ed, Vx, Ib),
    [0x16] = X66("pextrd", PEXTRD, Ey, Vx, Ib),
    [0x17] = X66("extractps", EXTRACTPS, Ed, Vx, Ib),
    [0x20] = X66("pinsrb", PINSRB, Vx, Ed, Ib),
    [0x21] = X66("insertps", INSERTPS, Vx, Wd, Ib),
    [0x22] = X66("pinsrd", PINSRD, Vx, Ey, Ib),
    [0x40] = X66("dpps", DPPS, Vx, Wx, Ib),
    [0x41] = X66("dppd", DPPD, Vx, Wx, Ib),
    [0x42] = X66("mpsadbw", MPSADBW, Vx, Wx, Ib),
    /* PCLMULQDQ, SSE4.2 string compares, AES-NI (translate-sse.c) */
    [0x44] = X66("pclmulqdq", PCLMULQDQ, Vx, Wx, Ib),
    [0x60] = X66("pcmpestrm", PCMPESTRM, Vx, Wx, Ib),
    [0x61] = X66("pcmpestri", PCMPESTRI, Vx, Wx, Ib),
    [0x62] = X66("pcmpistrm", PCMPISTRM, Vx, Wx, Ib),
    [0x63] = X66("pcmpistri", PCMPISTRI, Vx, Wx, Ib),
    [0xdf] = X66("aeskeygenassist", AESKEYGENASSIST, Vx, Wx, Ib),
    [0xf0] = P(__, __, __, I("rorx", RORX, vex | lz, Gy, Ey, Ib)),
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
        [2] = I("call", CALL_IND, f64), [3] = I("lcall", LCALL, 0, M),
        [4] = I("jmp", JMP_IND, f64), [5] = I("ljmp", LJMP, 0, M),
        [6] = I("push", PUSH, d64),
    },
    [X86_GRP11] = { [0] = I("mov", MOV, 0) },
    /* 0F 71-73: shifts of an MMX or XMM register by imm8 (psrldq/pslldq: XMM only) */
    [X86_GRP12] = {
        [2] = MMX66G("psrlw", PSRLW), [4] = MMX66G("psraw", PSRAW), [6] = MMX66G("psllw", PSLLW),
    },
    [X86_GRP13] = {
        [2] = MMX66G("psrld", PSRLD), [4] = MMX66G("psrad", PSRAD), [6] = MMX66G("pslld", PSLLD),
    },
    [X86_GRP14] = {
        [2] = MMX66G("psrlq", PSRLQ), [3] = X66("psrldq", PSRLDQ),
        [6] = MMX66G("psllq", PSLLQ), [7] = X66("pslldq", PSLLDQ),
    },
    [X86_GRP17] = {
        [1] = I("blsr", BLSR, 0), [2] = I("blsmsk", BLSMSK, 0), [3] = I("blsi", BLSI, 0),
    },
    /* 0F 01: lgdt/lidt (what fault tests need); /7: memory is invlpg, mod=3
     * rm picks swapgs/rdtscp/...: only rdtscp (F9) so far, the rest #UD in
     * the generator (Eb: the memory form's bytes are decoded) */
    /* 0F 00: selectors of the LDT and task registers; segment checks */
    [X86_GRP6] = {
        [0] = I("sldt", SLDT, 0, Ev), [1] = I("str", STR, 0, Ev),   /* memory: m16 */
        [2] = I("lldt", LLDT, 0, Ew), [3] = I("ltr", LTR, 0, Ew),
        [4] = I("verr", VERR, 0, Ew), [5] = I("verw", VERW, 0, Ew),
    },
    /* 0F 01: descriptor tables and invlpg in memory forms; the register
     * forms by ModRM.rm (CA clac, CB stac, D0 xgetbv, D1 xsetbv, F8 swapgs,
     * F9 rdtscp, EE rdpkru, EF wrpkru; the VMX, SVM, monitor, ... forms are
     * not implemented: #UD) */
    [X86_GRP7] = {
        [0] = I("sgdt", SGIDT, 0, M),
        [1] = R(I("sidt", SGIDT, 0, M), __, __, I("clac", STAC, 0), I("stac", STAC, 0)),
        [2] = R(I("lgdt", LGIDT, 0, M), P(I("xgetbv", XGETBV, 0), UD66, __, __),
                P(I("xsetbv", XSETBV, 0), UD66, __, __)),
        [3] = I("lidt", LGIDT, 0, M),
        [4] = I("smsw", SMSW, 0, Ev), [6] = I("lmsw", LMSW, 0, Ew),
        [5] = R(__, __, __, __, __, __, __, P(I("rdpkru", RDPKRU, 0), UD66, __, __),
                P(I("wrpkru", WRPKRU, 0), UD66, __, __)),
        [7] = R(I("invlpg", INVLPG, 0, M), I("swapgs", SWAPGS, 0), I("rdtscp", RDTSCP, 0)),
    },
    [X86_GRP8] = {
        [4] = I("bt", BT, X86_F_NOP0), [5] = I("bts", BTS, X86_F_LOCK),
        [6] = I("btr", BTR, X86_F_LOCK), [7] = I("btc", BTC, X86_F_LOCK),
    },
    [X86_GRP9] = {
        [1] = I("cmpxchg8b", CMPXCHG8B, X86_F_LOCK, M),   /* REX.W: cmpxchg16b */
        [6] = I("rdrand", RDRAND, 0, Ev), [7] = I("rdseed", RDSEED, 0, Ev),
    },
    /* 0F AE: mod=3 /5 /6 /7 are the fences; memory /4 /5 xsave xrstor, /7 clflush(opt) */
    [X86_GRP15] = {
        /* /0-/3: memory, no prefix only (66 is #UD too); register, F3:
         * rdfsbase rdgsbase wrfsbase wrgsbase */
        [0] = R8(P(I("fxsave", FXSAVE, 0, M), UD66, __, __),
                 P(__, __, I("rdfsbase", FSGSBASE, 0, Ey), __)),
        [1] = R8(P(I("fxrstor", FXRSTOR, 0, M), UD66, __, __),
                 P(__, __, I("rdgsbase", FSGSBASE, 0, Ey), __)),
        [2] = R8(P(I("ldmxcsr", LDMXCSR, 0, Md), UD66, __, __),
                 P(__, __, I("wrfsbase", FSGSBASE, 0, Ey), __)),
        [3] = R8(P(I("stmxcsr", STMXCSR, 0, Md), UD66, __, __),
                 P(__, __, I("wrgsbase", FSGSBASE, 0, Ey), __)),
        /* xsave, xrstor (REX.W: xsave64, xrstor64); xsaveopt is not implemented */
        [4] = P(I("xsave", XSAVE, 0, M), UD66, __, __),
        [5] = R8(P(I("xrstor", XRSTOR, 0, M), UD66, __, __), I("lfence", FENCE, 0, Eb)),
        [6] = R8(__, I("mfence", FENCE, 0, Eb)),
        [7] = I("clflush", CLFLUSH, 0, Eb),
    },
};

/*
 * x87 (SDM vol. 2, A.5).  The D8-DF row above only fetches ModRM; the
 * entry comes from these tables, memory forms by /reg and register forms by
 * ModRM's low six bits.  Each generator reads the escape byte and ModRM for
 * the operand format (m32fp, m16int, ...) and the register index.
 */
#define X87ARITH(k) { I("fadd", k, 0), I("fmul", k, 0), I("fcom", FCOM, 0), \
    I("fcomp", FCOM, 0), I("fsub", k, 0), I("fsubr", k, 0), I("fdiv", k, 0), \
    I("fdivr", k, 0) }
#define X87R(base, name, k) [base ... base + 7] = I(name, k, 0)

const X86OpEntry x86_x87_mem[8][8] = {
    [0] = X87ARITH(FARITH),                                         /* m32fp */
    [1] = { I("fld", FLD, 0), {0}, I("fst", FST, 0), I("fstp", FST, 0),
            I("fldenv", FLDENV, 0), I("fldcw", FLDCW, 0),
            I("fnstenv", FNSTENV, 0), I("fnstcw", FNSTCW, 0) },
    [2] = X87ARITH(FARITH),                                         /* m32int */
    [3] = { I("fild", FILD, 0), I("fisttp", FISTTP, 0), I("fist", FIST, 0),
            I("fistp", FIST, 0), {0}, I("fld", FLD, 0), {0}, I("fstp", FST, 0) },
    [4] = X87ARITH(FARITH),                                         /* m64fp */
    [5] = { I("fld", FLD, 0), I("fisttp", FISTTP, 0), I("fst", FST, 0),
            I("fstp", FST, 0), I("frstor", FRSTOR, 0), {0},
            I("fnsave", FNSAVE, 0), I("fnstsw", FNSTSW, 0) },
    [6] = X87ARITH(FARITH),                                         /* m16int */
    [7] = { I("fild", FILD, 0), I("fisttp", FISTTP, 0), I("fist", FIST, 0),
            I("fistp", FIST, 0), I("fbld", FBLD, 0), I("fild", FILD, 0),
            I("fbstp", FBSTP, 0), I("fistp", FIST, 0) },
};

const X86OpEntry x86_x87_reg[8][64] = {
    [0] = { X87R(0x00, "fadd", FARITH), X87R(0x08, "fmul", FARITH),
            X87R(0x10, "fcom", FCOM), X87R(0x18, "fcomp", FCOM),
            X87R(0x20, "fsub", FARITH), X87R(0x28, "fsubr", FARITH),
            X87R(0x30, "fdiv", FARITH), X87R(0x38, "fdivr", FARITH) },
    [1] = { X87R(0x00, "fld", FLD), X87R(0x08, "fxch", FXCH),
            [0x10] = I("fnop", FNOP, 0),
            [0x20] = I("fchs", FUNARY, 0), [0x21] = I("fabs", FUNARY, 0),
            [0x24] = I("ftst", FUNARY, 0), [0x25] = I("fxam", FUNARY, 0),
            [0x28] = I("fld1", FCONST, 0), [0x29] = I("fldl2t", FCONST, 0),
            [0x2a] = I("fldl2e", FCONST, 0), [0x2b] = I("fldpi", FCONST, 0),
            [0x2c] = I("fldlg2", FCONST, 0), [0x2d] = I("fldln2", FCONST, 0),
            [0x2e] = I("fldz", FCONST, 0),
            [0x30] = I("f2xm1", FUNARY, 0), [0x31] = I("fyl2x", FUNARY, 0),
            [0x32] = I("fptan", FUNARY, 0), [0x33] = I("fpatan", FUNARY, 0),
            [0x34] = I("fxtract", FUNARY, 0), [0x35] = I("fprem1", FUNARY, 0),
            [0x36] = I("fdecstp", FUNARY, 0), [0x37] = I("fincstp", FUNARY, 0),
            [0x38] = I("fprem", FUNARY, 0), [0x39] = I("fyl2xp1", FUNARY, 0),
            [0x3a] = I("fsqrt", FUNARY, 0), [0x3b] = I("fsincos", FUNARY, 0),
            [0x3c] = I("frndint", FUNARY, 0), [0x3d] = I("fscale", FUNARY, 0),
            [0x3e] = I("fsin", FUNARY, 0), [0x3f] = I("fcos", FUNARY, 0) },
    [2] = { X87R(0x00, "fcmovb", FCMOV), X87R(0x08, "fcmove", FCMOV),
            X87R(0x10, "fcmovbe", FCMOV), X87R(0x18, "fcmovu", FCMOV),
            [0x29] = I("fucompp", FCOM, 0) },
    [3] = { X87R(0x00, "fcmovnb", FCMOV), X87R(0x08, "fcmovne", FCMOV),
            X87R(0x10, "fcmovnbe", FCMOV), X87R(0x18, "fcmovnu", FCMOV),
            /* feni, fdisi, fsetpm: no-ops since the 287 */
            [0x20] = I("feni", FNOP, 0), [0x21] = I("fdisi", FNOP, 0),
            [0x22] = I("fnclex", FNCLEX, 0), [0x23] = I("fninit", FNINIT, 0),
            [0x24] = I("fsetpm", FNOP, 0),
            X87R(0x28, "fucomi", FCOMI), X87R(0x30, "fcomi", FCOMI) },
    /* DC and DE: ST(i) = ST(i) op ST(0); sub/subr and div/divr swap names */
    [4] = { X87R(0x00, "fadd", FARITH), X87R(0x08, "fmul", FARITH),
            X87R(0x10, "fcom", FCOM), X87R(0x18, "fcomp", FCOM),
            X87R(0x20, "fsubr", FARITH), X87R(0x28, "fsub", FARITH),
            X87R(0x30, "fdivr", FARITH), X87R(0x38, "fdiv", FARITH) },
    [5] = { X87R(0x00, "ffree", FFREE), X87R(0x08, "fxch", FXCH),
            X87R(0x10, "fst", FST), X87R(0x18, "fstp", FST),
            X87R(0x20, "fucom", FCOM), X87R(0x28, "fucomp", FCOM) },
    [6] = { X87R(0x00, "faddp", FARITH), X87R(0x08, "fmulp", FARITH),
            X87R(0x10, "fcomp", FCOM), [0x19] = I("fcompp", FCOM, 0),
            X87R(0x20, "fsubrp", FARITH), X87R(0x28, "fsubp", FARITH),
            X87R(0x30, "fdivrp", FARITH), X87R(0x38, "fdivp", FARITH) },
    [7] = { X87R(0x00, "ffreep", FFREE), X87R(0x08, "fxch", FXCH),
            X87R(0x10, "fstp", FST), X87R(0x18, "fstp", FST),
            [0x20] = I("fnstsw", FNSTSW, 0),
            X87R(0x28, "fucomip", FCOMI), X87R(0x30, "fcomip", FCOMI) },
};
#undef X87ARITH
#undef X87R

const char *const x86_insn_kind_names[X86_INSN_NB] = {
#define X86_INSN_NAME(name) [X86_INSN_##name] = #name,
    X86_INSN_LIST(X86_INSN_NAME)
#undef X86_INSN_NAME
};
