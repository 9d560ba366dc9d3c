/*
 * decode.h: the x86 instruction decoder.
 *
 * Decoding is pure: x86_decode() reads bytes through a fetch callback (or a
 * plain buffer, x86_decode_buf) and fills an X86DecodedInsn with the
 * instruction's prefixes, effective sizes, addressing form and operands.
 * It needs no CPU and emits no code, so it is unit-tested on its own.
 *
 * What an opcode means is one table per opcode map (decode-table.c), written
 * in the SDM's operand notation: an entry names the instruction, its kind
 * (which code generator handles it, X86_INSN_*), up to three operand types
 * (Eb, Gv, Iz, ...), flags (d64, lockable, ...) and, for opcodes extended
 * by ModRM.reg, a group whose table gives the entry per /reg.  An entry
 * with a prefix table (pfx) is chosen by its mandatory prefix or VEX.pp:
 * pfx[0..3] = none, 66, F3, F2 (the order of VEX.pp); one with a ModRM
 * table (rm) by its memory form or, for mod = 3, by ModRM.rm (0F 01 D0
 * xgetbv, 0F 01 F9 rdtscp, ...).  The three-byte maps
 * 0F 38 and 0F 3A and the VEX prefixes (C4/C5) are decoded here as well.
 */
#ifndef TARGET_X86_DECODE_H
#define TARGET_X86_DECODE_H

#include "util/osdep.h"

/*
 * SSE, SSE2, SSE3, SSSE3 kinds (translate-sse.c), one per operation;
 * MOVA/MOVU are the aligned/unaligned 128-bit moves.  Keep MOVA first and
 * FXRSTOR last: translate-sse.c dispatches the range.
 */
#define X86_SSE_INSN_LIST(X) \
    X(MOVA) X(MOVU) X(MOVSS) X(MOVSD) X(MOVLPS) X(MOVHPS) X(MOVD_LD) X(MOVD_ST) X(MOVQ) \
    X(MOVMSKPS) X(MOVMSKPD) X(PMOVMSKB) X(PINSRW) X(PEXTRW) X(MASKMOVDQU) \
    X(PAND) X(PANDN) X(POR) X(PXOR) X(PADDQ) X(PSUBQ) \
    X(ADDPS) X(ADDPD) X(ADDSS) X(ADDSD) X(SUBPS) X(SUBPD) X(SUBSS) X(SUBSD) \
    X(MULPS) X(MULPD) X(MULSS) X(MULSD) X(DIVPS) X(DIVPD) X(DIVSS) X(DIVSD) \
    X(MINPS) X(MINPD) X(MINSS) X(MINSD) X(MAXPS) X(MAXPD) X(MAXSS) X(MAXSD) \
    X(SQRTPS) X(SQRTPD) X(SQRTSS) X(SQRTSD) X(RCPPS) X(RCPSS) X(RSQRTPS) X(RSQRTSS) \
    X(CMPPS) X(CMPPD) X(CMPSS) X(CMPSD) X(COMISS) X(COMISD) X(UCOMISS) X(UCOMISD) \
    X(CVTPS2PD) X(CVTPD2PS) X(CVTSS2SD) X(CVTSD2SS) X(CVTDQ2PS) X(CVTPS2DQ) \
    X(CVTTPS2DQ) X(CVTDQ2PD) X(CVTPD2DQ) X(CVTTPD2DQ) \
    X(CVTSI2SS) X(CVTSI2SD) X(CVTSS2SI) X(CVTSD2SI) X(CVTTSS2SI) X(CVTTSD2SI) \
    X(PADDB) X(PADDW) X(PADDD) X(PSUBB) X(PSUBW) X(PSUBD) \
    X(PADDSB) X(PADDSW) X(PADDUSB) X(PADDUSW) X(PSUBSB) X(PSUBSW) X(PSUBUSB) X(PSUBUSW) \
    X(PCMPEQB) X(PCMPEQW) X(PCMPEQD) X(PCMPGTB) X(PCMPGTW) X(PCMPGTD) \
    X(PMULLW) X(PMULHW) X(PMULHUW) X(PMULUDQ) X(PMADDWD) X(PSADBW) X(PAVGB) X(PAVGW) \
    X(PMINUB) X(PMAXUB) X(PMINSW) X(PMAXSW) \
    X(PSLLW) X(PSLLD) X(PSLLQ) X(PSRLW) X(PSRLD) X(PSRLQ) X(PSRAW) X(PSRAD) \
    X(PSLLDQ) X(PSRLDQ) \
    X(PUNPCKLBW) X(PUNPCKLWD) X(PUNPCKLDQ) X(PUNPCKLQDQ) \
    X(PUNPCKHBW) X(PUNPCKHWD) X(PUNPCKHDQ) X(PUNPCKHQDQ) \
    X(PACKSSWB) X(PACKSSDW) X(PACKUSWB) X(UNPCKLPS) X(UNPCKHPS) X(UNPCKLPD) X(UNPCKHPD) \
    X(PSHUFD) X(PSHUFHW) X(PSHUFLW) X(SHUFPS) X(SHUFPD) \
    /* SSE3 */ \
    X(ADDSUBPS) X(ADDSUBPD) X(HADDPS) X(HADDPD) X(HSUBPS) X(HSUBPD) \
    X(MOVSHDUP) X(MOVSLDUP) X(MOVDDUP) \
    /* SSSE3 */ \
    X(PSHUFB) X(PHADDW) X(PHADDD) X(PHADDSW) X(PHSUBW) X(PHSUBD) X(PHSUBSW) \
    X(PABSB) X(PABSW) X(PABSD) X(PSIGNB) X(PSIGNW) X(PSIGND) X(PMADDUBSW) X(PMULHRSW) \
    X(PALIGNR) \
    /* SSE4.1 (movntdqa is MOVA) */ \
    X(PBLENDVB) X(BLENDVPS) X(BLENDVPD) X(PTEST) \
    X(PMOVSXBW) X(PMOVSXBD) X(PMOVSXBQ) X(PMOVSXWD) X(PMOVSXWQ) X(PMOVSXDQ) \
    X(PMOVZXBW) X(PMOVZXBD) X(PMOVZXBQ) X(PMOVZXWD) X(PMOVZXWQ) X(PMOVZXDQ) \
    X(PMULDQ) X(PCMPEQQ) X(PACKUSDW) X(PMINSB) X(PMINSD) X(PMINUW) X(PMINUD) \
    X(PMAXSB) X(PMAXSD) X(PMAXUW) X(PMAXUD) X(PMULLD) X(PHMINPOSUW) \
    X(ROUNDPS) X(ROUNDPD) X(ROUNDSS) X(ROUNDSD) X(BLENDPS) X(BLENDPD) X(PBLENDW) \
    X(PEXTRB) X(PEXTRW_M) X(PEXTRD) X(EXTRACTPS) X(PINSRB) X(INSERTPS) X(PINSRD) \
    X(DPPS) X(DPPD) X(MPSADBW) \
    /* SSE4.2 (but crc32, popcnt), AES-NI, PCLMULQDQ */ \
    X(PCMPGTQ) X(PCMPESTRI) X(PCMPESTRM) X(PCMPISTRI) X(PCMPISTRM) \
    X(AESENC) X(AESENCLAST) X(AESDEC) X(AESDECLAST) X(AESIMC) X(AESKEYGENASSIST) X(PCLMULQDQ) \
    /* state */ \
    X(LDMXCSR) X(STMXCSR) X(FXSAVE) X(FXRSTOR)

/* Instruction kinds: the translator keeps one generator per kind. */
#define X86_INSN_LIST(X) \
    X(INVALID) X(GROUP) \
    X(ADD) X(OR) X(ADC) X(SBB) X(AND) X(SUB) X(XOR) X(CMP) X(TEST) \
    X(INC) X(DEC) X(NEG) X(NOT) \
    X(ROL) X(ROR) X(RCL) X(RCR) X(SHL) X(SHR) X(SAR) \
    X(MUL) X(IMUL1) X(IMUL) X(DIV) X(IDIV) \
    X(MOV) X(MOVZX) X(MOVSX) X(LEA) X(XCHG) X(CBW) X(CWD) \
    X(PUSH) X(POP) X(LEAVE) X(PUSHF) X(POPF) \
    X(CALL) X(CALL_IND) X(RET) X(JMP) X(JMP_IND) X(JCC) X(SETCC) X(CMOV) \
    X(IN) X(OUT) X(HLT) X(NOP) X(CPUID) X(INT3) X(UD2) \
    X(CLI) X(STI) X(CLD) X(STD) X(CLC) X(STC) X(CMC) \
    /* BMI1, BMI2, ADX, MOVBE, CRC32 (translate-bmi.c) */ \
    X(ANDN) X(BEXTR) X(BLSI) X(BLSMSK) X(BLSR) X(BZHI) X(MULX) X(PDEP) X(PEXT) \
    X(RORX) X(SARX) X(SHLX) X(SHRX) X(ADCX) X(ADOX) X(MOVBE) X(CRC32) \
    /* strings, bit ops, atomics, misc (translate-string.c, translate-bitops.c, translate-misc.c) */ \
    X(MOVS) X(CMPS) X(STOS) X(LODS) X(SCAS) X(LOOP) X(JRCXZ) X(XLAT) \
    X(BT) X(BTS) X(BTR) X(BTC) X(BSF) X(BSR) X(TZCNT) X(LZCNT) X(POPCNT) \
    X(SHLD) X(SHRD) X(BSWAP) X(CMPXCHG) X(CMPXCHG8B) X(XADD) \
    X(LAHF) X(SAHF) X(ENTER) X(RDTSC) X(RDTSCP) X(RDRAND) X(RDSEED) X(FENCE) X(CLFLUSH) X(LGIDT) \
    /* system (translate-system.c) */ \
    X(MOV_CR) X(CLTS) X(INT) X(IRET) X(SLDT) X(STR) X(LLDT) X(LTR) X(VERR) X(VERW) \
    X(LAR) X(LSL) X(MOV_SEG) X(PUSH_SEG) \
    X(POP_SEG) X(LJMP) X(LCALL) X(LRET) X(PUSHA) X(POPA) X(LSEG) X(SGIDT) X(INVLPG) X(SWAPGS) X(STAC) X(INVPCID) X(FSGSBASE) X(XGETBV) X(XSETBV) X(XSAVE) X(XRSTOR) X(RDPKRU) X(WRPKRU) \
    X(SMSW) X(LMSW) X(INVD) X(INS) X(OUTS) \
    /* outside 64-bit mode only (translate-legacy-alu.c) */ \
    X(BCD) X(SALC) X(BOUND) X(INTO) X(ARPL) \
    /* MSRs, fast system calls (translate-msr.c) */ \
    X(RDMSR) X(WRMSR) X(SYSCALL) X(SYSRET) X(SYSENTER) X(SYSEXIT) \
    /* debug (translate-debug.c) */ \
    X(MOV_DR) X(INT1) \
    /* SSE */ \
    X86_SSE_INSN_LIST(X) \
    /* x87 (translate-x87.c); X87ESC is the D8-DF row before ModRM picks one */ \
    X(X87ESC) X(FLD) X(FST) X(FILD) X(FIST) X(FISTTP) X(FBLD) X(FBSTP) X(FARITH) \
    X(FCOM) X(FCOMI) X(FXCH) X(FCMOV) X(FUNARY) X(FCONST) X(FFREE) X(FLDENV) \
    X(FNSTENV) X(FRSTOR) X(FNSAVE) X(FLDCW) X(FNSTCW) X(FNSTSW) X(FNCLEX) X(FNINIT) \
    X(FNOP) X(FWAIT) \
    /* MMX (translate-mmx.c): the other MMX forms reuse the SSE kinds */ \
    X(EMMS)

typedef enum X86InsnKind {
#define X86_INSN_ENUM(name) X86_INSN_##name,
    X86_INSN_LIST(X86_INSN_ENUM)
#undef X86_INSN_ENUM
    X86_INSN_NB
} X86InsnKind;

/*
 * Operand types, SDM appendix A notation: an addressing method (the upper
 * letter) and a size (the lower letters), plus a fixed register for the
 * register-named operands (AL, rAX, CL, DX).
 */
typedef enum X86OpMethod {
    X86_AM_NONE,
    X86_AM_E,   /* ModRM r/m: register or memory */
    X86_AM_G,   /* ModRM reg: register */
    X86_AM_M,   /* ModRM r/m: memory only */
    X86_AM_I,   /* immediate */
    X86_AM_J,   /* relative offset from the next instruction */
    X86_AM_O,   /* moffs: absolute address of address size */
    X86_AM_Z,   /* register in the opcode's low 3 bits (+ REX.B) */
    X86_AM_R,   /* a fixed register (X86_OPND_REG) */
    X86_AM_ONE, /* the constant 1 (shift by one) */
    X86_AM_B,   /* VEX.vvvv: general-purpose register */
    X86_AM_V,   /* ModRM reg: XMM register */
    X86_AM_W,   /* ModRM r/m: XMM register or memory */
    X86_AM_U,   /* ModRM r/m: XMM register only (mod = 3) */
    X86_AM_P,   /* ModRM reg: MMX register (REX.R ignored) */
    X86_AM_Q,   /* ModRM r/m: MMX register (REX.B ignored) or memory */
    X86_AM_N,   /* ModRM r/m: MMX register only (mod = 3) */
    X86_AM_C,   /* ModRM reg: control register (+ REX.R) */
    X86_AM_D,   /* ModRM reg: debug register (+ REX.R) */
    X86_AM_S,   /* ModRM reg: segment register (6, 7: #UD) */
    X86_AM_GR,  /* ModRM r/m: general register, mod ignored (the SDM's "R": MOV CR) */
} X86OpMethod;

typedef enum X86OpSize {
    X86_SZ_NONE,
    X86_SZ_b,   /* byte */
    X86_SZ_w,   /* word */
    X86_SZ_d,   /* doubleword */
    X86_SZ_q,   /* quadword */
    X86_SZ_v,   /* word, doubleword or quadword by operand size */
    X86_SZ_z,   /* word for 16-bit operand size, else doubleword */
    X86_SZ_y,   /* doubleword, or quadword with 64-bit operand size */
    X86_SZ_x,   /* 128 bits (dq, ps, pd): X86DecodedOp.ot X86_OT_128 */
} X86OpSize;

/* X86DecodedOp.ot of a 128-bit operand (one past MO_64) */
#define X86_OT_128 4

#define X86_OPND(am, sz, reg) ((uint16_t)((am) << 4 | (sz) | (reg) << 9))
#define X86_OPND_AM(t)  (((t) >> 4) & 31)
#define X86_OPND_SZ(t)  ((t) & 15)
#define X86_OPND_REG(t) (((t) >> 9) & 15)

/* Entry flags */
enum {
    X86_F_D64  = 1 << 0,  /* 64-bit mode: operand size defaults to 64 */
    X86_F_F64  = 1 << 1,  /* 64-bit mode: operand size is always 64 */
    X86_F_LOCK = 1 << 2,  /* LOCK allowed (with a memory destination) */
    X86_F_I64  = 1 << 3,  /* invalid in 64-bit mode */
    X86_F_NOP0 = 1 << 4,  /* operand 0 is only read (cmp, test) */
    X86_F_VEX  = 1 << 5,  /* VEX-encoded only; other rows #UD under VEX */
    X86_F_VEX_LZ = 1 << 6, /* VEX.L must be 0 (SDM "VEX.LZ") */
};

/* Groups: opcodes whose ModRM.reg selects the instruction. */
typedef enum X86Group {
    X86_GRP_NONE, X86_GRP1, X86_GRP1A, X86_GRP2, X86_GRP3B, X86_GRP3V,
    X86_GRP4, X86_GRP5, X86_GRP11,
    X86_GRP17,      /* VEX 0F 38 F3: BLSR BLSMSK BLSI */
    X86_GRP7, X86_GRP8, X86_GRP9, X86_GRP15,  /* 0F 01, 0F BA, 0F C7, 0F AE */
    X86_GRP12, X86_GRP13, X86_GRP14,          /* 0F 71-73: SSE shifts by imm8 */
    X86_GRP6,                                 /* 0F 00: sldt str lldt ltr verr verw */
    X86_GRP_NB
} X86Group;

typedef struct X86OpEntry {
    const char *name;
    uint16_t kind;       /* X86InsnKind (more than 256 of them) */
    uint8_t group;       /* X86Group, for kind GROUP */
    uint16_t flags;      /* X86_F_* */
    uint16_t op[3];      /* X86_OPND(...) */
    /*
     * If set, the row is chosen by mandatory prefix: pfx[X86_MPFX_*].
     * decode-table.c's header comment gives the rules (P() rows).
     */
    const struct X86OpEntry *pfx;
    /*
     * If set, the row is chosen by ModRM (the SDM's table A-6 rows for
     * mod = 11B): rm[0] is the memory form, rm[1 + ModRM.rm] the register
     * forms (decode-table.c: R() rows).
     */
    const struct X86OpEntry *rm;
} X86OpEntry;

/* Mandatory prefix: index into X86OpEntry.pfx, equal to VEX.pp. */
enum { X86_MPFX_NONE, X86_MPFX_66, X86_MPFX_F3, X86_MPFX_F2 };

/* The opcode maps and group tables (decode-table.c). */
extern const X86OpEntry x86_map_1byte[256];
extern const X86OpEntry x86_map_0f[256];
extern const X86OpEntry x86_map_0f38[256];
extern const X86OpEntry x86_map_0f3a[256];
extern const X86OpEntry x86_groups[X86_GRP_NB][8];
/* 63 outside 64-bit mode (arpl; movsxd in 64-bit mode) */
extern const X86OpEntry x86_row_arpl;
/* x87 escapes D8-DF: memory forms by [escape][ModRM.reg], register forms
 * by [escape][ModRM & 0x3f] (SDM vol. 2, A.5). */
extern const X86OpEntry x86_x87_mem[8][8];
extern const X86OpEntry x86_x87_reg[8][64];
extern const char *const x86_insn_kind_names[X86_INSN_NB];

/* Decoding modes: the default operand/address size of the code segment. */
typedef enum X86DecodeMode {
    X86_MODE_16, X86_MODE_32, X86_MODE_64
} X86DecodeMode;

/* Prefix bits */
enum {
    X86_PFX_REPZ  = 1 << 0,
    X86_PFX_REPNZ = 1 << 1,
    X86_PFX_LOCK  = 1 << 2,
    X86_PFX_DATA  = 1 << 3,
    X86_PFX_ADR   = 1 << 4,
    X86_PFX_REX   = 1 << 5,
    X86_PFX_VEX   = 1 << 6,  /* C4/C5; rex holds its W/R/X/B */
};

typedef enum X86OperandKind {
    X86_OPK_NONE, X86_OPK_REG, X86_OPK_MEM, X86_OPK_IMM,
    X86_OPK_XMM,         /* an XMM register (reg) */
    X86_OPK_MMX,         /* an MMX register (reg, 0-7) */
    X86_OPK_CR,          /* a control register (reg, 0-15) */
    X86_OPK_DR,          /* a debug register (reg, 0-15) */
    X86_OPK_SEG,         /* a segment register (reg, R_ES..R_GS) */
} X86OperandKind;

typedef struct X86DecodedOp {
    uint8_t kind;        /* X86OperandKind */
    uint8_t ot;          /* size as a MemOp size: 0..3 = 8..64 bits */
    uint8_t reg;         /* register number (REG) */
    bool high_byte;      /* AH/CH/DH/BH: bits 8..15 of reg */
    int64_t imm;         /* IMM: sign-extended from its encoded size;
                            J: the offset; O: the absolute address */
} X86DecodedOp;

/* Memory operand (at most one per instruction). */
typedef struct X86DecodedMem {
    int8_t base;         /* register, or -1 */
    int8_t index;        /* register, or -1 */
    uint8_t scale;       /* shift count 0..3 */
    bool rip_rel;        /* disp is relative to the next instruction */
    int64_t disp;
} X86DecodedMem;

typedef struct X86DecodedInsn {
    X86OpEntry e;        /* the final entry: group resolved, operands merged */
    uint32_t opcode;     /* byte; 0x0f00, 0x0f3800, 0x0f3a00 | byte for 0F maps */
    uint8_t len;         /* bytes, prefixes included */
    uint8_t prefixes;    /* X86_PFX_* */
    uint8_t rex;         /* the REX byte's low nibble (WRXB), or VEX's */
    uint8_t mpfx;        /* X86_MPFX_* that chose the row (pfx rows only) */
    uint8_t vex_v;       /* VEX.vvvv, un-inverted: register 0..15 */
    uint8_t vex_l;       /* VEX.L */
    int8_t seg;          /* segment override (R_ES..R_GS) or -1 */
    uint8_t ot;          /* effective operand size (MemOp size) */
    uint8_t aflag;       /* effective address size (MemOp size) */
    uint8_t modrm;
    bool has_modrm;
    X86DecodedMem mem;
    X86DecodedOp op[3];
} X86DecodedInsn;

/* x86_decode results other than a length */
enum {
    X86_DECODE_UD    = -1,  /* undefined opcode or invalid form: #UD */
    X86_DECODE_GP    = -2,  /* longer than 15 bytes: #GP(0) */
    X86_DECODE_TRUNC = -3,  /* the fetch callback had no more bytes */
};

#define X86_MAX_INSN_LEN 15

/* Return byte at offset from the instruction start, or -1 if unavailable. */
typedef int (*X86FetchFn)(void *opaque, unsigned offset);

/* Decode one instruction; returns its length or an X86_DECODE_* error. */
int x86_decode(X86DecodedInsn *d, X86DecodeMode mode, X86FetchFn fetch, void *opaque);
/* Decode from a byte buffer of len bytes. */
int x86_decode_buf(X86DecodedInsn *d, X86DecodeMode mode, const uint8_t *buf, size_t len);

#endif
