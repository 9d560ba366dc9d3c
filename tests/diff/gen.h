/*
 * gen.h: the instruction generator's interface for class generators
 * (classes.c).  A generator describes one instruction as a DiffInsn (the
 * opcode bytes, operand size, ModRM reg field and r/m operand, immediate)
 * and hands it to diff_emit(), which adds the prefixes (66, REX, random
 * segment overrides, 67, redundant REX), encodes ModRM/SIB/displacement
 * and appends the bytes to the sequence.
 *
 * Registers: RSP and the sequence's pointer registers (which address the
 * scratch memory) are read-only; diff_pick_reg() with write=true never
 * returns them.  Byte registers: an instruction is either in "legacy" byte
 * mode (registers 0-7, 4-7 meaning AH..BH, no REX at all) or in REX mode
 * (0-15, 4-7 meaning SPL..DIL, REX forced when one of those is used).
 *
 * Flags: g->undef holds the flags left undefined so far; a generator whose
 * instruction reads flags calls diff_need_flags() first, which inserts a
 * CMP (defining all six) when one of them is undefined.  After each
 * instruction the class row's undef/defs update g->undef (gen.c).  The x87
 * condition codes (FSW C0-C3) are tracked the same way in g->fsw_undef,
 * from the row's fsw_undef/fsw_defs or, when the generator calls
 * diff_fsw(), from what it declares for its instruction.
 *
 * FP operands: diff_patch() sets the initial bytes of a memory operand
 * (an edge-case float, a valid control word), so that loads see more
 * than random bits; diff_f32/f64/f80 give such values.
 */
#ifndef TESTS_DIFF_GEN_H
#define TESTS_DIFF_GEN_H

#include "diff.h"

enum { MEM_ABS, MEM_RIP, MEM_BASE, MEM_BASE_INDEX, MEM_INDEX };

/* An r/m operand: a register, or a memory form. */
typedef struct DiffRM {
    bool mem;
    uint8_t reg;                /* register form */
    uint8_t form;               /* MEM_* */
    int8_t base, index;
    uint8_t scale;
    int64_t disp;               /* MEM_RIP: the target address instead */
    uint64_t addr;              /* memory: the effective address (diff_pick_mem) */
} DiffRM;

typedef struct DiffInsn {
    uint8_t size;               /* operand size in bytes: 66 / REX.W from it */
    bool d64;                   /* 64-bit by default (push/pop): no REX.W */
    bool legacy;                /* legacy byte registers: no REX */
    bool need_rex;              /* SPL..DIL used */
    bool lock;
    bool rep;                   /* F3 prefix (not mandatory) */
    bool no_rand_pfx;           /* no random prefixes */
    uint8_t mand;               /* mandatory prefix 66/F2/F3, or 0 */
    uint8_t vex;                /* 0, or VEX map (1: 0F, 2: 0F38, 3: 0F3A) */
    uint8_t vex_v;              /* VEX.vvvv register */
    bool vex_w;
    uint8_t op[3];
    uint8_t oplen;
    int8_t zreg;                /* register in the opcode's low 3 bits, or -1 */
    bool modrm;
    uint8_t reg;                /* ModRM.reg: register or /digit */
    DiffRM rm;
    uint8_t immsz;
    uint64_t imm;
} DiffInsn;

struct DiffGen {
    DiffRng rng;
    DiffSeq *s;
    uint16_t ro;                /* registers that must not be written */
    int base, index;            /* pointer registers, or -1 */
    uint64_t base_val, index_val;
    uint16_t undef;             /* flags undefined now */
    unsigned depth;             /* pushes not yet popped */
    uint8_t push_size[8];
    uint64_t enabled;
    bool full;                  /* no room for another instruction */
    uint16_t fsw_undef;         /* FSW condition codes undefined now */
    bool fsw_set;               /* this instruction's, from diff_fsw() */
    uint16_t insn_fsw_undef, insn_fsw_defs;
};

/* A fresh instruction: opcode bytes (up to 3) and operand size. */
void diff_insn(DiffGen *g, DiffInsn *in, unsigned size, unsigned oplen, ...);
/* Random choices */
uint64_t diff_rand(DiffGen *g, uint64_t n);        /* 0..n-1 */
bool diff_chance(DiffGen *g, unsigned percent);
unsigned diff_rand_size(DiffGen *g, bool bytes);   /* 1,2,4,8 (no 1 unless bytes) */
uint64_t diff_value(DiffGen *g);                    /* random or edge value */
/* A register for an operand of size bytes; write: must be writable. */
int diff_pick_reg(DiffGen *g, DiffInsn *in, unsigned size, bool write);
/* A memory operand of size bytes inside the scratch data pages. */
DiffRM diff_pick_mem(DiffGen *g, DiffInsn *in, unsigned size);
/* The same, aligned to align bytes (a power of two; 1: may cross the page). */
DiffRM diff_pick_mem_align(DiffGen *g, DiffInsn *in, unsigned size, unsigned align);
/* Register or memory (percent_mem: chance of memory). */
DiffRM diff_pick_rm(DiffGen *g, DiffInsn *in, unsigned size, bool write, unsigned percent_mem);
/* Any address form with any registers (LEA, NOP: nothing is accessed). */
DiffRM diff_pick_addr(DiffGen *g, DiffInsn *in);
/* Is register r writable as an operand of size bytes in this instruction? */
bool diff_writable(DiffGen *g, const DiffInsn *in, int r, unsigned size);
/* Append the instruction to the sequence. */
void diff_emit(DiffGen *g, DiffInsn *in);
/* Make sure the flags in mask are defined (emits a CMP if not). */
void diff_need_flags(DiffGen *g, uint16_t mask);
/* Flags read by condition code cc (Jcc/SETcc/CMOVcc low nibble). */
uint16_t diff_cc_flags(unsigned cc);
/* Set register r (full width) to v with MOV r64, imm64. */
void diff_set_reg(DiffGen *g, int r, uint64_t v);

/* ---- FP state and operands (gen.c) ---- */
/* Declare the FSW condition codes this generator call leaves undefined and
 * defines (instead of the class row's). */
void diff_fsw(DiffGen *g, uint16_t undef, uint16_t defs);
/* Make C0-C3 defined before an instruction that reads them (FNSTSW): FXAM. */
void diff_need_fsw(DiffGen *g);
/* Initial contents of memory operand m (n <= 16 bytes). */
void diff_patch(DiffGen *g, const DiffRM *m, const void *bytes, unsigned n);
/* Random values biased to edge cases: zeros, infinities, QNaN/SNaN,
 * denormals, extreme normals, integers, values near 1 (f80: 10 bytes, also
 * pseudo-denormals and unnormals at a low rate). */
uint32_t diff_f32(DiffGen *g);
uint64_t diff_f64(DiffGen *g);
void diff_f80(DiffGen *g, uint8_t out[10]);
/* A 64-bit XMM/MMX lane: two f32, one f64, small integers or random bits. */
uint64_t diff_lane(DiffGen *g);
/* Valid control words with every exception masked, random rounding (and
 * x87 precision 24/53/64, MXCSR FTZ/DAZ/flags). */
uint16_t diff_fcw(DiffGen *g);
uint32_t diff_mxcsr(DiffGen *g);

/* The FP class generators (classes-fp.c); arg: which instruction set. */
enum {
    SSE_SET_SSE1, SSE_SET_SSE2FP, SSE_SET_SSE2INT, SSE_SET_SSE3, SSE_SET_SSSE3,
    SSE_SET_SSE41, SSE_SET_SSE42, SSE_SET_AES, SSE_SET_PCLMUL, SSE_SET_MMX, SSE_SET_NB
};
enum { X87_ARITH, X87_CMP, X87_LDST, X87_TRANS, X87_NB };
DiffGenFn diff_gen_sse, diff_gen_x87;
/* The compatibility-mode class generators (classes32.c) */
DiffGenFn diff_gen_bcd, diff_gen_aam, diff_gen_legacy32;

#endif
