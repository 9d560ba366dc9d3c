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
#define Ux  X86_OPND(X86_AM_U, X86_SZ_x, 0)
#define Mx  X86_OPND(X86_AM_M, X86_SZ_x, 0)
#define Mq  X86_OPND(X86_AM_M, X86_SZ_q, 0)
#define Md  X86_OPND(X86_AM_M, X86_SZ_d, 0)
#define My  X86_OPND(X86_AM_M, X86_SZ_y, 0)

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
    [0x9e] = I("sahf", SAHF, 0),
    [0x9f] = I("lahf", LAHF, 0),
    [0x9b] = I("fwait", FWAIT, 0),
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
    [0xae ... 0xaf] = I("scas", SCAS, 0),
    [0xb0 ... 0xb7] = I("mov", MOV, 0, Zb, Ib),
    [0xb8 ... 0xbf] = I("mov", MOV, 0, Zv, Iv),
    [0xc0] = G(GRP2, 0, Eb, Ib),
    [0xc1] = G(GRP2, 0, Ev, Ib),
    [0xc2] = I("ret", RET, f64, Iw),
    [0xc3] = I("ret", RET, f64),
    [0xc6] = G(GRP11, 0, Eb, Ib),
    [0xc7] = G(GRP11, 0, Ev, Iz),
    [0xc8] = I("enter", ENTER, d64, Iw, Ib),
    [0xc9] = I("leave", LEAVE, d64),
    [0xcc] = I("int3", INT3, 0),
    [0xce] = I("into", INVALID, i64),
    [0xd0] = G(GRP2, 0, Eb, ONE),
    [0xd1] = G(GRP2, 0, Ev, ONE),
    [0xd2] = G(GRP2, 0, Eb, CL),
    [0xd3] = G(GRP2, 0, Ev, CL),
    [0xd4] = I("aam", INVALID, i64), [0xd5] = I("aad", INVALID, i64),
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
    [0x2a] = P(__, __, I("cvtsi2ss", CVTSI2SS, 0, Vx, Ey), I("cvtsi2sd", CVTSI2SD, 0, Vx, Ey)),
    [0x2b] = P(I("movntps", MOVA, 0, Mx, Vx), I("movntpd", MOVA, 0, Mx, Vx), __, __),
    [0x2c] = P(__, __, I("cvttss2si", CVTTSS2SI, 0, Gy, Wd),
               I("cvttsd2si", CVTTSD2SI, 0, Gy, Wq)),
    [0x2d] = P(__, __, I("cvtss2si", CVTSS2SI, 0, Gy, Wd), I("cvtsd2si", CVTSD2SI, 0, Gy, Wq)),
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
    [0x60] = X66("punpcklbw", PUNPCKLBW, Vx, Wx),
    [0x61] = X66("punpcklwd", PUNPCKLWD, Vx, Wx),
    [0x62] = X66("punpckldq", PUNPCKLDQ, Vx, Wx),
    [0x63] = X66("packsswb", PACKSSWB, Vx, Wx),
    [0x64] = X66("pcmpgtb", PCMPGTB, Vx, Wx),
    [0x65] = X66("pcmpgtw", PCMPGTW, Vx, Wx),
    [0x66] = X66("pcmpgtd", PCMPGTD, Vx, Wx),
    [0x67] = X66("packuswb", PACKUSWB, Vx, Wx),
    [0x68] = X66("punpckhbw", PUNPCKHBW, Vx, Wx),
    [0x69] = X66("punpckhwd", PUNPCKHWD, Vx, Wx),
    [0x6a] = X66("punpckhdq", PUNPCKHDQ, Vx, Wx),
    [0x6b] = X66("packssdw", PACKSSDW, Vx, Wx),
    [0x6c] = X66("punpcklqdq", PUNPCKLQDQ, Vx, Wx),
    [0x6d] = X66("punpckhqdq", PUNPCKHQDQ, Vx, Wx),
    [0x6e] = X66("movd", MOVD_LD, Vx, Ey),
    [0x6f] = P(__, I("movdqa", MOVA, 0, Vx, Wx), I("movdqu", MOVU, 0, Vx, Wx), __),
    [0x70] = P(__, I("pshufd", PSHUFD, 0, Vx, Wx, Ib), I("pshufhw", PSHUFHW, 0, Vx, Wx, Ib),
               I("pshuflw", PSHUFLW, 0, Vx, Wx, Ib)),
    [0x71] = G(GRP12, 0, Ux, Ib),
    [0x72] = G(GRP13, 0, Ux, Ib),
    [0x73] = G(GRP14, 0, Ux, Ib),
    [0x74] = X66("pcmpeqb", PCMPEQB, Vx, Wx),
    [0x75] = X66("pcmpeqw", PCMPEQW, Vx, Wx),
    [0x76] = X66("pcmpeqd", PCMPEQD, Vx, Wx),
    [0x7c] = P(__, I("haddpd", HADDPD, 0, Vx, Wx), __, I("haddps", HADDPS, 0, Vx, Wx)),
    [0x7d] = P(__, I("hsubpd", HSUBPD, 0, Vx, Wx), __, I("hsubps", HSUBPS, 0, Vx, Wx)),
    [0x7e] = P(__, I("movd", MOVD_ST, 0, Ey, Vx), I("movq", MOVQ, 0, Vx, Wq), __),
    [0x7f] = P(__, I("movdqa", MOVA, 0, Wx, Vx), I("movdqu", MOVU, 0, Wx, Vx), __),
    [0xc2] = P(I("cmpps", CMPPS, 0, Vx, Wx, Ib), I("cmppd", CMPPD, 0, Vx, Wx, Ib),
               I("cmpss", CMPSS, 0, Vx, Wd, Ib), I("cmpsd", CMPSD, 0, Vx, Wq, Ib)),
    [0xc3] = P(I("movnti", MOV, 0, My, Gy), UD66, __, __),
    [0xc4] = X66("pinsrw", PINSRW, Vx, Ew, Ib),
    [0xc5] = X66("pextrw", PEXTRW, Gy, Ux, Ib),
    [0xc6] = P(I("shufps", SHUFPS, 0, Vx, Wx, Ib), I("shufpd", SHUFPD, 0, Vx, Wx, Ib), __, __),
    [0xd0] = P(__, I("addsubpd", ADDSUBPD, 0, Vx, Wx), __, I("addsubps", ADDSUBPS, 0, Vx, Wx)),
    [0xd1] = X66("psrlw", PSRLW, Vx, Wx),
    [0xd2] = X66("psrld", PSRLD, Vx, Wx),
    [0xd3] = X66("psrlq", PSRLQ, Vx, Wx),
    [0xd4] = X66("paddq", PADDQ, Vx, Wx),
    [0xd5] = X66("pmullw", PMULLW, Vx, Wx),
    [0xd6] = X66("movq", MOVQ, Wq, Vx),
    [0xd7] = X66("pmovmskb", PMOVMSKB, Gy, Ux),
    [0xd8] = X66("psubusb", PSUBUSB, Vx, Wx),
    [0xd9] = X66("psubusw", PSUBUSW, Vx, Wx),
    [0xda] = X66("pminub", PMINUB, Vx, Wx),
    [0xdb] = X66("pand", PAND, Vx, Wx),
    [0xdc] = X66("paddusb", PADDUSB, Vx, Wx),
    [0xdd] = X66("paddusw", PADDUSW, Vx, Wx),
    [0xde] = X66("pmaxub", PMAXUB, Vx, Wx),
    [0xdf] = X66("pandn", PANDN, Vx, Wx),
    [0xe0] = X66("pavgb", PAVGB, Vx, Wx),
    [0xe1] = X66("psraw", PSRAW, Vx, Wx),
    [0xe2] = X66("psrad", PSRAD, Vx, Wx),
    [0xe3] = X66("pavgw", PAVGW, Vx, Wx),
    [0xe4] = X66("pmulhuw", PMULHUW, Vx, Wx),
    [0xe5] = X66("pmulhw", PMULHW, Vx, Wx),
    [0xe6] = P(__, I("cvttpd2dq", CVTTPD2DQ, 0, Vx, Wx), I("cvtdq2pd", CVTDQ2PD, 0, Vx, Wq),
               I("cvtpd2dq", CVTPD2DQ, 0, Vx, Wx)),
    [0xe7] = X66("movntdq", MOVA, Mx, Vx),
    [0xe8] = X66("psubsb", PSUBSB, Vx, Wx),
    [0xe9] = X66("psubsw", PSUBSW, Vx, Wx),
    [0xea] = X66("pminsw", PMINSW, Vx, Wx),
    [0xeb] = X66("por", POR, Vx, Wx),
    [0xec] = X66("paddsb", PADDSB, Vx, Wx),
    [0xed] = X66("paddsw", PADDSW, Vx, Wx),
    [0xee] = X66("pmaxsw", PMAXSW, Vx, Wx),
    [0xef] = X66("pxor", PXOR, Vx, Wx),
    [0xf0] = P(__, __, __, I("lddqu", MOVU, 0, Vx, Mx)),
    [0xf1] = X66("psllw", PSLLW, Vx, Wx),
    [0xf2] = X66("pslld", PSLLD, Vx, Wx),
    [0xf3] = X66("psllq", PSLLQ, Vx, Wx),
    [0xf4] = X66("pmuludq", PMULUDQ, Vx, Wx),
    [0xf5] = X66("pmaddwd", PMADDWD, Vx, Wx),
    [0xf6] = X66("psadbw", PSADBW, Vx, Wx),
    [0xf7] = X66("maskmovdqu", MASKMOVDQU, Vx, Ux),
    [0xf8] = X66("psubb", PSUBB, Vx, Wx),
    [0xf9] = X66("psubw", PSUBW, Vx, Wx),
    [0xfa] = X66("psubd", PSUBD, Vx, Wx),
    [0xfb] = X66("psubq", PSUBQ, Vx, Wx),
    [0xfc] = X66("paddb", PADDB, Vx, Wx),
    [0xfd] = X66("paddw", PADDW, Vx, Wx),
    [0xfe] = X66("paddd", PADDD, Vx, Wx),
    [0x0b] = I("ud2", UD2, 0),
    [0x01] = G(GRP7, 0),
    [0x0d] = I("prefetchw", NOP, 0, Ev),
    [0x31] = I("rdtsc", RDTSC, 0),
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
    /* SSSE3 (66 forms; the MMX forms are not implemented) */
    [0x00] = X66("pshufb", PSHUFB, Vx, Wx),
    [0x01] = X66("phaddw", PHADDW, Vx, Wx),
    [0x02] = X66("phaddd", PHADDD, Vx, Wx),
    [0x03] = X66("phaddsw", PHADDSW, Vx, Wx),
    [0x04] = X66("pmaddubsw", PMADDUBSW, Vx, Wx),
    [0x05] = X66("phsubw", PHSUBW, Vx, Wx),
    [0x06] = X66("phsubd", PHSUBD, Vx, Wx),
    [0x07] = X66("phsubsw", PHSUBSW, Vx, Wx),
    [0x08] = X66("psignb", PSIGNB, Vx, Wx),
    [0x09] = X66("psignw", PSIGNW, Vx, Wx),
    [0x0a] = X66("psignd", PSIGND, Vx, Wx),
    [0x0b] = X66("pmulhrsw", PMULHRSW, Vx, Wx),
    [0x1c] = X66("pabsb", PABSB, Vx, Wx),
    [0x1d] = X66("pabsw", PABSW, Vx, Wx),
    [0x1e] = X66("pabsd", PABSD, Vx, Wx),
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
    [0x0f] = X66("palignr", PALIGNR, Vx, Wx, Ib),   /* SSSE3 */
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
        [2] = I("call", CALL_IND, f64), [4] = I("jmp", JMP_IND, f64),
        [6] = I("push", PUSH, d64),
    },
    [X86_GRP11] = { [0] = I("mov", MOV, 0) },
    /* 0F 71-73: shifts of an XMM register by imm8 (the MMX forms are not implemented) */
    [X86_GRP12] = { [2] = X66("psrlw", PSRLW), [4] = X66("psraw", PSRAW), [6] = X66("psllw", PSLLW) },
    [X86_GRP13] = { [2] = X66("psrld", PSRLD), [4] = X66("psrad", PSRAD), [6] = X66("pslld", PSLLD) },
    [X86_GRP14] = {
        [2] = X66("psrlq", PSRLQ), [3] = X66("psrldq", PSRLDQ),
        [6] = X66("psllq", PSLLQ), [7] = X66("pslldq", PSLLDQ),
    },
    [X86_GRP17] = {
        [1] = I("blsr", BLSR, 0), [2] = I("blsmsk", BLSMSK, 0), [3] = I("blsi", BLSI, 0),
    },
    /* 0F 01: lgdt/lidt (what fault tests need); /7: memory is invlpg, mod=3
     * rm picks swapgs/rdtscp/...: only rdtscp (F9) so far, the rest #UD in
     * the generator (Eb: the memory form's bytes are decoded) */
    [X86_GRP7] = {
        [2] = I("lgdt", LGIDT, 0, M), [3] = I("lidt", LGIDT, 0, M),
        [7] = I("rdtscp", RDTSCP, 0, Eb),
    },
    [X86_GRP8] = {
        [4] = I("bt", BT, X86_F_NOP0), [5] = I("bts", BTS, X86_F_LOCK),
        [6] = I("btr", BTR, X86_F_LOCK), [7] = I("btc", BTC, X86_F_LOCK),
    },
    [X86_GRP9] = {
        [1] = I("cmpxchg8b", CMPXCHG8B, X86_F_LOCK, M),   /* REX.W: cmpxchg16b */
        [6] = I("rdrand", RDRAND, 0, Ev), [7] = I("rdseed", RDSEED, 0, Ev),
    },
    /* 0F AE: mod=3 /5 /6 /7 are the fences; /7 memory is clflush(opt) */
    [X86_GRP15] = {
        /* /0-/3: no prefix only (66 is #UD too) */
        [0] = P(I("fxsave", FXSAVE, 0, M), UD66, __, __),
        [1] = P(I("fxrstor", FXRSTOR, 0, M), UD66, __, __),
        [2] = P(I("ldmxcsr", LDMXCSR, 0, Md), UD66, __, __),
        [3] = P(I("stmxcsr", STMXCSR, 0, Md), UD66, __, __),
        [5] = I("lfence", FENCE, 0, Eb), [6] = I("mfence", FENCE, 0, Eb),
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
