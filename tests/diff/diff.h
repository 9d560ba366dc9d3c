/*
 * diff.h: the differential tester's shared core, compiled twice: into the
 * host tool (difftest, which runs each sequence on the host CPU) and into the
 * guest (difftest.elf, which runs the same sequences inside tern).
 *
 * Both sides generate sequence number i of seed s with the same code
 * (gen.c, classes.c), so nothing but the seed, the index range and the mask
 * of enabled classes travels between them.  A sequence runs between the
 * prologue and epilogue of runner.S, at the same fixed addresses on both
 * sides:
 *
 *   DIFF_SCRATCH   0x10000000  two data pages (memory operands; page-crossing
 *                              accesses straddle +0x1000) and one stack page
 *   DIFF_CTL       0x10003000  the in/out register blocks, runner links and
 *                              the three FXSAVE images (in, out, caller's)
 *   DIFF_CODE      0x10010000  DIFF_SLOTS code slots of DIFF_SLOT_SIZE bytes;
 *                              sequence i runs in slot i % DIFF_SLOTS (the
 *                              guest then rarely rewrites translated code)
 *
 * Compatibility-mode classes (DiffClass.compat) run 32-bit code: the slot
 * far-jumps to a 32-bit code segment and back (diff_install); the hash
 * then takes the low halves of RAX..RDI only (the SDM leaves the upper
 * halves undefined across the mode switch, and R8-R15 with them).
 *
 * The result of a sequence is a 64-bit hash (diff_hash) over the 16 GPRs,
 * RFLAGS masked to the arithmetic flags and DF minus the flags the sequence
 * may leave undefined, the x87/SSE state (the FXSAVE image the epilogue
 * stores, masked by diff_fx_mask) and the scratch memory (data and stack
 * pages).
 *
 * x87 and SSE state: the prologue saves the caller's FPU/SSE state
 * (fxsave64 to DIFF_FX_HOST) and loads the sequence's initial image
 * (fxrstor64 from DIFF_FX_IN); the epilogue stores the final image
 * (fxsave64 to DIFF_FX_OUT) and restores the caller's.  Classes that use
 * FP state (DiffClass.fp) start from a random image (gen.c: random x87
 * stack, control words and XMM lanes biased to edge values); the others
 * from a fixed FNINIT-like image.  The final image is always compared.
 *
 * Freestanding: only compiler headers and __builtin_mem*.
 */
#ifndef TESTS_DIFF_DIFF_H
#define TESTS_DIFF_DIFF_H

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

/* ---- fixed layout (same on the host and in the guest) ------------------- */
#define DIFF_SCRATCH        0x10000000
#define DIFF_DATA_SIZE      0x2000u          /* two pages of data operands */
#define DIFF_STACK_LO       (DIFF_SCRATCH + 0x2000)
#define DIFF_STACK_TOP      (DIFF_SCRATCH + 0x2f00)   /* initial RSP */
#define DIFF_HASHED_SIZE    0x3000u          /* data + stack pages */
#define DIFF_CTL            (DIFF_SCRATCH + 0x3000)
#define DIFF_IN             (DIFF_CTL + 0x000)   /* DiffRegs loaded by the prologue */
#define DIFF_OUT            (DIFF_CTL + 0x100)   /* DiffRegs stored by the epilogue */
#define DIFF_HOST_RSP       (DIFF_CTL + 0x200)   /* runner's own RSP */
#define DIFF_EXIT_PTR       (DIFF_CTL + 0x208)   /* &diff_exit: slots jump through it */
#define DIFF_CODE_PTR       (DIFF_CTL + 0x210)   /* slot to enter */
#define DIFF_COMPAT_PTR     (DIFF_CTL + 0x218)   /* m16:32: a compat slot's 32-bit code */
#define DIFF_FX_IN          (DIFF_CTL + 0x400)   /* FXSAVE image loaded by the prologue */
#define DIFF_FX_OUT         (DIFF_CTL + 0x600)   /* FXSAVE image stored by the epilogue */
#define DIFF_FX_HOST        (DIFF_CTL + 0x800)   /* the caller's own FPU/SSE state */
#define DIFF_FX_SIZE        512u
#define DIFF_CODE           (DIFF_SCRATCH + 0x10000)
#define DIFF_SLOT_SIZE      256u
#define DIFF_SLOTS          1024u
#define DIFF_MAP_SIZE       (0x10000u + DIFF_SLOT_SIZE * DIFF_SLOTS)
#define DIFF_MAX_CODE       (DIFF_SLOT_SIZE - 8)   /* room for the jump out */
#define DIFF_MAX_INSNS      48
/* Compatibility-mode classes: a slot starts with 64-bit "ljmp *DIFF_COMPAT_PTR"
 * (7 bytes) and ends with 32-bit "ljmp sel64:next" (7) and 64-bit
 * "jmp *DIFF_EXIT_PTR" (7) instead of the plain jump out (gen.c diff_install) */
#define DIFF_COMPAT_EXTRA   14

/* RFLAGS bits */
#define DF_CF 0x0001u
#define DF_PF 0x0004u
#define DF_AF 0x0010u
#define DF_ZF 0x0040u
#define DF_SF 0x0080u
#define DF_DF 0x0400u
#define DF_OF 0x0800u
#define DF_ARITH (DF_CF | DF_PF | DF_AF | DF_ZF | DF_SF | DF_OF)
#define DF_COMPARED (DF_ARITH | DF_DF)

/* The 64-bit FXSAVE image (SDM vol. 1 table 10-2) */
#define FX_FCW        0         /* 16 bits */
#define FX_FSW        2         /* 16 bits */
#define FX_FTW        4         /* abridged tag: bit i = physical register i valid */
#define FX_FOP        6         /* 16 bits; then FIP (8), FDP (8) */
#define FX_MXCSR      24
#define FX_MXCSR_MASK 28
#define FX_ST0        32        /* ST(i) at 32 + 16 i: 64-bit significand, 16-bit sign/exponent */
#define FX_XMM0       160       /* XMMi at 160 + 16 i */
#define FX_END_XMM    416       /* 416-511: reserved and available */

/* FSW bits */
#define FSW_C0  0x0100u
#define FSW_C1  0x0200u
#define FSW_C2  0x0400u
#define FSW_C3  0x4000u
#define FSW_CC  (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

#ifndef __ASSEMBLER__
/* GPR numbers (architectural order) */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

/* The register block the prologue loads and the epilogue stores. */
typedef struct DiffRegs {
    uint64_t r[16];
    uint64_t rflags;
} DiffRegs;

/* CPU features a class may need (checked on the host with CPUID). */
typedef enum DiffFeature {
    FEAT_NONE, FEAT_BMI1, FEAT_BMI2, FEAT_ADX, FEAT_MOVBE, FEAT_POPCNT,
    FEAT_LZCNT, FEAT_X87, FEAT_MMX, FEAT_SSE, FEAT_SSE2, FEAT_SSE3, FEAT_SSSE3,
    FEAT_SSE41, FEAT_SSE42, FEAT_AES, FEAT_PCLMUL, FEAT_NB
} DiffFeature;

typedef struct DiffGen DiffGen;
/* Emit one instruction of the class (plus any set-up it needs). */
typedef void DiffGenFn(DiffGen *g, int arg);

/*
 * A row of the class table (classes.c).  undef: the flags an instruction of
 * the class may leave undefined (the SDM's "undefined", the rule the compare
 * masks); defs: the flags every instruction of the class sets to a defined
 * value; clobbers: registers it writes without naming them (kept out of the
 * pointer registers that address memory).  fp: the class uses x87/SSE state
 * (its sequences start from a random FXSAVE image).  fsw_undef/fsw_defs:
 * the x87 condition codes (FSW C0-C3) an instruction of the class may leave
 * undefined / always defines, tracked along the sequence like the flags (a
 * generator may declare its own instruction's with diff_fsw(), gen.h).  A
 * class with a pending reason, or whose instructions tern's decoder
 * rejects, is pending and skipped with a count.
 */
typedef struct DiffClass {
    const char *name;
    DiffGenFn *gen;
    int arg;
    DiffFeature feature;
    uint16_t undef;
    uint16_t defs;
    uint16_t clobbers;
    uint16_t fsw_undef;
    uint16_t fsw_defs;
    bool fp;                    /* uses x87/SSE state */
    bool mix;                   /* draws each instruction from every class */
    const char *pending;        /* why it cannot run yet, or NULL */
    bool compat;                /* 32-bit code in compatibility mode (classes32.c):
                                 * never mixed; the low 32 bits of RAX..RDI compared */
    uint16_t sdm_undef;         /* the flags the SDM leaves undefined for some
                                 * instruction of the class, which tern sets as
                                 * Intel does (docs/isa.md): treated like undef
                                 * only with diff_sdm_only (a host not Intel) */
    const char *intel_only;     /* why its results are the implementation's, so
                                 * that it runs only against an Intel host (the
                                 * corpus checks it elsewhere), or NULL */
} DiffClass;

/*
 * Compare only what the SDM defines: the host CPU is not Intel's, so the
 * flags the SDM leaves undefined (each row's sdm_undef) are its own
 * (AMD's differ) and are masked, and the generator defines them again
 * before an instruction that reads them, as it does for undef; forms whose
 * result is the implementation's (SseOp NANORD) are not generated.  The
 * sequences then differ from an Intel host's: both sides must agree on it
 * (difftest passes sdm=1 to the guest), and the corpus is Intel's (never
 * with it).
 */
extern bool diff_sdm_only;

extern const DiffClass diff_classes[];
extern const unsigned diff_nclasses;
#define DIFF_MAX_CLASSES 64

/* Initial scratch bytes a generator chose (FP operands), applied over the fill. */
#define DIFF_MAX_PATCH 48
typedef struct DiffPatch {
    uint16_t off;               /* from DIFF_SCRATCH */
    uint8_t len;
    uint8_t b[16];
} DiffPatch;

/* One generated sequence and its initial state. */
typedef struct DiffSeq {
    uint8_t fx[DIFF_FX_SIZE] __attribute__((aligned(16)));   /* initial FXSAVE image */
    uint64_t index;
    unsigned cls;               /* row of diff_classes */
    uint8_t code[DIFF_SLOT_SIZE];
    unsigned len;               /* bytes of code, without the jump out */
    unsigned ninsns;
    uint8_t insn_off[DIFF_MAX_INSNS + 1];
    DiffRegs in;
    uint64_t fill_seed;         /* scratch memory contents */
    uint16_t undef;             /* flags left undefined at the end */
    uint16_t fsw_undef;         /* FSW condition codes left undefined at the end */
    bool fp;                    /* started from a random FP image */
    bool compat;                /* runs as 32-bit code (DiffClass.compat) */
    uint64_t slot;              /* address the code runs at */
    unsigned npatch;
    DiffPatch patch[DIFF_MAX_PATCH];
} DiffSeq;

/* PRNG (xorshift64*, seeded through splitmix64) */
typedef struct DiffRng { uint64_t s; } DiffRng;
void diff_rng_seed(DiffRng *r, uint64_t seed, uint64_t stream);
uint64_t diff_rng_next(DiffRng *r);
uint64_t diff_rng_below(DiffRng *r, uint64_t n);   /* 0..n-1 */

/* The class sequence index belongs to (independent of what is enabled). */
unsigned diff_class_of(uint64_t seed, uint64_t index);
/* Generate sequence index of seed into s. */
void diff_generate(DiffSeq *s, uint64_t seed, uint64_t index, uint64_t enabled);
/* Replace the code of a generated sequence by len given bytes (a hand-made
 * reproducer on the sequence's initial state; nothing is masked). */
void diff_set_code(DiffSeq *s, const uint8_t *code, unsigned len);
/* Fill the hashed scratch pages with the sequence's initial contents. */
void diff_fill_scratch(const DiffSeq *s);
/* Copy the code and the jump out into its slot, the registers to DIFF_IN and
 * the initial FXSAVE image to DIFF_FX_IN. */
void diff_install(const DiffSeq *s);
/* The compared part of the final FXSAVE image (DIFF_FX_OUT): FOP, FIP, FDP,
 * MXCSR_MASK, the reserved bytes (5, 10-15 of each x87 register slot,
 * 416-511) and the FSW condition codes left undefined are zeroed. */
void diff_fx_mask(const DiffSeq *s, uint8_t img[DIFF_FX_SIZE]);
/* The hash of the final state (DIFF_OUT, the masked image, the scratch pages). */
uint64_t diff_hash(const DiffSeq *s);

/* The final state in detail: registers and the scratch bytes that changed. */
#define DIFF_DUMP_MAX_MEM 512
typedef struct DiffDump {
    DiffRegs out;               /* RFLAGS masked like the hash */
    uint8_t fx[DIFF_FX_SIZE];   /* masked like the hash (diff_fx_mask) */
    unsigned nmem;              /* changed bytes (at most DIFF_DUMP_MAX_MEM) */
    uint16_t mem_off[DIFF_DUMP_MAX_MEM];
    uint8_t mem_val[DIFF_DUMP_MAX_MEM];
} DiffDump;
void diff_collect(const DiffSeq *s, DiffDump *d);
/* diff_hash() of the state a dump describes (it has every changed byte:
 * nmem < DIFF_DUMP_MAX_MEM). */
uint64_t diff_hash_dump(const DiffSeq *s, const DiffDump *d);

/* The code selectors of the compat classes' far jumps: a 32-bit and the
 * 64-bit code segment (difftest.c: Linux's __USER32_CS and __USER_CS;
 * guest.c: its own GDT's). */
extern uint16_t diff_sel32, diff_sel64;

/* runner.S: run the installed sequence (prologue, code, epilogue). */
void diff_enter(void);

#endif /* __ASSEMBLER__ */
#endif
