/*
 * tcg.h: the Tiny Code Generator's IR and builder API.
 *
 * A front end (target-x86/translate.c) describes one translation block as a
 * list of TCGOps on typed temporaries; tcg_gen_code() then optimises it
 * (constant folding, copy propagation, dead code), computes liveness,
 * allocates host registers and emits host code through the back end chosen
 * by include path (tcg/<host>/tcg-target.h).
 *
 * Temporaries:
 *   global  a value that lives in a field of the CPU state (env + offset):
 *           guest registers.  Kept in host registers inside a basic block,
 *           written back ("synced") at the end of each basic block, before
 *           helper calls that may read globals and before guest memory
 *           accesses (which may fault).  In a block that loops to its
 *           start (tcg_gen_br_tb_start) the most used ones are pinned in a
 *           host register for the whole block instead.
 *   fixed   the env pointer, pinned in a host register for the whole block.
 *   ebb     tcg_temp_new_*: dead at the end of its basic block (after a
 *           branch or label its value is undefined).
 *   tb      tcg_temp_local_new_*: lives across labels within the block.
 *   const   tcg_constant_*: an immutable, interned constant.
 *
 * Context: tcg_ctx is the calling thread's translator context, one of the
 * few documented globals (thread-local, so translators can run in parallel
 * for multi-threaded TCG).  Hosts are 64-bit; a pointer is an i64.
 */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include "util/osdep.h"
#include "util/error.h"

typedef enum TCGType {
    TCG_TYPE_I32,
    TCG_TYPE_I64,
    TCG_TYPE_PTR = TCG_TYPE_I64,
} TCGType;

typedef enum TCGOpcode {
#define DEF(name, oargs, iargs, cargs, flags) INDEX_op_##name,
#include "tcg/tcg-opc.def"
#undef DEF
    NB_OPS,
} TCGOpcode;

/* TCGOpDef.flags */
enum {
    TCG_OPF_BB_END       = 0x01,  /* ends a basic block: globals synced, ebb temps die */
    TCG_OPF_BB_EXIT      = 0x02,  /* leaves the translation block */
    TCG_OPF_CALL_CLOBBER = 0x04,  /* clobbers the host's call-clobbered registers */
    TCG_OPF_SIDE_EFFECTS = 0x08,  /* never removed as dead */
    TCG_OPF_NOT_PRESENT  = 0x10,  /* emits no host code by itself */
    TCG_OPF_TYPED        = 0x20,  /* exists for i32 and i64 */
    /* with BB_END: a conditional branch.  Globals and tb temps are synced
     * for the taken path, but the fall-through keeps every register,
     * ebb temps included (they die at the next label, not here). */
    TCG_OPF_COND_BRANCH  = 0x40,
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

/* Conditions.  Bit layout follows QEMU's so that inversion is a xor. */
typedef enum TCGCond {
    TCG_COND_NEVER  = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ     = 8,
    TCG_COND_NE     = 8 | 1,
    TCG_COND_LT     = 2,
    TCG_COND_GE     = 2 | 1,
    TCG_COND_LE     = 8 | 2,
    TCG_COND_GT     = 8 | 2 | 1,
    TCG_COND_LTU    = 4,
    TCG_COND_GEU    = 4 | 1,
    TCG_COND_LEU    = 8 | 4,
    TCG_COND_GTU    = 8 | 4 | 1,
} TCGCond;

static inline TCGCond tcg_invert_cond(TCGCond c) { return (TCGCond)(c ^ 1); }
/* Whether a c b holds for two values of type (an i32 compares its low
 * halves): constant folding and the interpreter (tcg/tci). */
static inline bool tcg_cond_eval(TCGType type, TCGCond c, uint64_t a, uint64_t b)
{
    int64_t sa = (int64_t)a, sb = (int64_t)b;

    if (type == TCG_TYPE_I32) {
        a = (uint32_t)a, b = (uint32_t)b;
        sa = (int32_t)a, sb = (int32_t)b;
    }
    switch (c) {
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_NEVER:  return false;
    case TCG_COND_EQ:     return a == b;
    case TCG_COND_NE:     return a != b;
    case TCG_COND_LT:     return sa < sb;
    case TCG_COND_GE:     return sa >= sb;
    case TCG_COND_LE:     return sa <= sb;
    case TCG_COND_GT:     return sa > sb;
    case TCG_COND_LTU:    return a < b;
    case TCG_COND_GEU:    return a >= b;
    case TCG_COND_LEU:    return a <= b;
    case TCG_COND_GTU:    return a > b;
    }
    return false;
}
/* a cond b  ==  b swap(cond) a */
TCGCond tcg_swap_cond(TCGCond c);

/* Guest memory operation: size, sign, and the MMU index it uses. */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,
    MO_UB = MO_8, MO_UW = MO_16, MO_UL = MO_32, MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN, MO_SW = MO_16 | MO_SIGN, MO_SL = MO_32 | MO_SIGN,
} MemOp;

/* MemOpIdx packs a MemOp with the MMU index: (memop << 4) | mmu_idx. */
typedef uint32_t MemOpIdx;
static inline MemOpIdx make_memop_idx(MemOp op, unsigned mmu_idx) { return (op << 4) | mmu_idx; }
static inline MemOp get_memop(MemOpIdx oi) { return (MemOp)(oi >> 4); }
static inline unsigned get_mmuidx(MemOpIdx oi) { return oi & 15; }

/* mb barrier bits */
enum {
    TCG_MO_LD_LD = 1, TCG_MO_ST_LD = 2, TCG_MO_LD_ST = 4, TCG_MO_ST_ST = 8,
    TCG_MO_ALL = 15,
};

typedef enum TCGTempKind {
    TEMP_EBB,
    TEMP_TB,
    TEMP_GLOBAL,
    TEMP_FIXED,
    TEMP_CONST,
} TCGTempKind;

typedef struct TCGTemp TCGTemp;
typedef struct TCGLabel TCGLabel;
typedef struct TCGOp TCGOp;
typedef struct TCGContext TCGContext;
typedef struct TranslationBlock TranslationBlock;

/*
 * Typed handles.  They are TCGTemp pointers under distinct, never-defined
 * struct types, so passing an i32 where an i64 is wanted does not compile.
 */
typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef TCGv_i64 TCGv_ptr;

static inline TCGTemp *tcgv_i32_temp(TCGv_i32 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_i64_temp(TCGv_i64 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_ptr_temp(TCGv_ptr v) { return (TCGTemp *)v; }
static inline TCGv_i32 temp_tcgv_i32(TCGTemp *t) { return (TCGv_i32)t; }
static inline TCGv_i64 temp_tcgv_i64(TCGTemp *t) { return (TCGv_i64)t; }

/* ---- helper calls ----------------------------------------------------- */

/* TCGHelperInfo.flags */
enum {
    TCG_CALL_NO_READ_GLOBALS  = 0x1,  /* globals need not be synced before */
    TCG_CALL_NO_WRITE_GLOBALS = 0x2,  /* register copies of globals stay valid */
    TCG_CALL_NO_SIDE_EFFECTS  = 0x4,  /* removable if the result is unused */
    TCG_CALL_NO_RWG = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_RWG_SE = TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS,
};

#define TCG_MAX_CALL_ARGS 6

/* A helper: a C function called from generated code.  Every argument is
 * passed as a 64-bit integer register (i32 values: upper bits unspecified,
 * so helpers take uint32_t for them).  The return is void, i32 or i64. */
typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    unsigned flags;
    uint8_t nb_args;
    bool has_ret;
    TCGType ret_type;
} TCGHelperInfo;

/* ---- context ---------------------------------------------------------- */

extern __thread TCGContext *tcg_ctx;
extern __thread TCGv_ptr tcg_env;   /* the env pointer (fixed temp) */

/* Process-wide: allocate the code buffer (dual-mapped RW/RX, W^X), build
 * the prologue/epilogue.  code_size 0 means the default (64 MiB). */
int tcg_init(size_t code_size, Error **errp);
/* Per translating thread: create its context.  Globals registered by the
 * front end on one context are registered on each (call the front end's
 * init once per context). */
TCGContext *tcg_context_create(void);

/* Tell the back end where the soft-MMU TLB lives in env (see tcg/tlb.h). */
void tcg_set_tlb_offset(TCGContext *s, intptr_t tlb_offset);

/* Globals: a named value at env + offset. */
TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name);
TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name);

TCGv_i64 tcg_temp_new_i64(void);
TCGv_i32 tcg_temp_new_i32(void);
TCGv_i64 tcg_temp_local_new_i64(void);
TCGv_i32 tcg_temp_local_new_i32(void);
/* Optional: let the slot be reused within this block. */
void tcg_temp_free_i64(TCGv_i64 t);
void tcg_temp_free_i32(TCGv_i32 t);
TCGv_i64 tcg_constant_i64(int64_t v);
TCGv_i32 tcg_constant_i32(int32_t v);

TCGLabel *gen_new_label(void);
void gen_set_label(TCGLabel *l);

/* Start a new block: reset ops, temps (not globals), labels. */
void tcg_func_start(TCGContext *s);

/*
 * Generate host code for the ops built since tcg_func_start into the code
 * buffer, filling tb->tc (host code), tb->jmp_insn_offset[] and
 * tb->jmp_reset_offset[] for goto_tb, tb->icount, and the restore table
 * tb->insn_end_off / tb->insn_data (malloc'd here, freed by the TB cache; see
 * TranslationBlock).  Returns the host code size, or -1 if the code buffer
 * is full (the caller flushes the cache and retries), or -2 if the block's
 * host code exceeds the TB's 16-bit offsets (retry with fewer instructions).
 */
int tcg_gen_code(TCGContext *s, TranslationBlock *tb);

/* Print the current op list to the log (-d op / op_opt). */
void tcg_dump_ops(TCGContext *s, FILE *f);

/* ---- builder: one function per op and width ---------------------------- */

#define TCG_GEN_BINARY(op) \
    void tcg_gen_##op##_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b); \
    void tcg_gen_##op##_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
#define TCG_GEN_UNARY(op) \
    void tcg_gen_##op##_i32(TCGv_i32 ret, TCGv_i32 a); \
    void tcg_gen_##op##_i64(TCGv_i64 ret, TCGv_i64 a);
#define TCG_GEN_BINARY_IMM(op) \
    void tcg_gen_##op##i_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b); \
    void tcg_gen_##op##i_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

TCG_GEN_UNARY(mov)
TCG_GEN_BINARY(add) TCG_GEN_BINARY(sub) TCG_GEN_BINARY(mul)
TCG_GEN_BINARY(and) TCG_GEN_BINARY(or) TCG_GEN_BINARY(xor) TCG_GEN_BINARY(andc)
TCG_GEN_BINARY(shl) TCG_GEN_BINARY(shr) TCG_GEN_BINARY(sar)
TCG_GEN_BINARY(rotl) TCG_GEN_BINARY(rotr)
TCG_GEN_BINARY_IMM(add) TCG_GEN_BINARY_IMM(sub) TCG_GEN_BINARY_IMM(mul)
TCG_GEN_BINARY_IMM(and) TCG_GEN_BINARY_IMM(or) TCG_GEN_BINARY_IMM(xor)
TCG_GEN_BINARY_IMM(shl) TCG_GEN_BINARY_IMM(shr) TCG_GEN_BINARY_IMM(sar)
TCG_GEN_BINARY_IMM(rotl) TCG_GEN_BINARY_IMM(rotr)
TCG_GEN_UNARY(neg) TCG_GEN_UNARY(not)
TCG_GEN_UNARY(ext8s) TCG_GEN_UNARY(ext8u) TCG_GEN_UNARY(ext16s) TCG_GEN_UNARY(ext16u)
TCG_GEN_UNARY(bswap16) TCG_GEN_UNARY(bswap32) TCG_GEN_UNARY(ctpop)
void tcg_gen_bswap64_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_movi_i32(TCGv_i32 ret, int32_t v);
void tcg_gen_movi_i64(TCGv_i64 ret, int64_t v);

void tcg_gen_mulu2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muls2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mulu2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_muls2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 a);
void tcg_gen_exts_i32_i64(TCGv_i64 ret, TCGv_i32 a);
void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 a);

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2);
void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2);

void tcg_gen_br(TCGLabel *l);
void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l);
void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l);
void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l);
void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l);

/* host memory: base + offset (base is normally tcg_env) */
void tcg_gen_ld8u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld32u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld32s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_st8_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st16_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st8_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st16_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st32_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);

/* guest memory through the soft MMU */
void tcg_gen_guest_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_guest_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_guest_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_guest_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);

/* Call a helper.  ret is NULL for void helpers; args has info->nb_args. */
void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args);

/* Record the start of a guest instruction: its pc and the front end's
 * static cc_op, used to restore precise state when a helper faults. */
void tcg_gen_insn_start(uint64_t pc, uint64_t cc_op);

/* The op last emitted, and setting input i of op (an i32 or i64 op) to a
 * constant: for a value known only once the block is complete, such as
 * -icount's instruction count at its entry. */
TCGOp *tcg_last_op(void);
void tcg_op_set_input_const(TCGOp *op, unsigned i, int64_t v);

/* Return to cpu_exec with value (uintptr_t)tb | idx; tb may be NULL. */
void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx);
/* Patchable direct jump for chaining; slot 0 or 1.  Must be followed by
 * tcg_gen_exit_tb(tb, slot) for the unchained path. */
void tcg_gen_goto_tb(unsigned slot);
/* Jump back to the first op of the block: a guest loop whose body is this
 * one block.  The block runs its entry code (the exit-request check) again
 * without leaving, and the globals it uses most stay in host registers
 * across iterations (docs/tcg-ir.md, "Loops inside a block").  The front
 * end may use it only where the CPU state the block was translated for
 * still holds at the jump. */
void tcg_gen_br_tb_start(void);
/* Branch to l, already placed earlier in the block: a loop inside the
 * block, which pins globals as tcg_gen_br_tb_start does.  The front end
 * checks the exit request on the way (the block may otherwise never
 * leave) under the same condition on the CPU state. */
void tcg_gen_br_loop(TCGLabel *l);
/* Look the next block up by the current CPU state and jump to it, or to
 * the epilogue (exit value 0) if it is not translated yet. */
void tcg_gen_lookup_and_goto_ptr(void);
/* Jump to the host code at ptr (a block's tc_ptr or the epilogue). */
void tcg_gen_goto_ptr(TCGv_ptr ptr);
void tcg_gen_mb(unsigned bar);
void tcg_gen_discard_i64(TCGv_i64 t);

/* Values cpu_exec receives from generated code, in the low bits of the
 * returned TranslationBlock pointer. */
enum {
    TB_EXIT_IDX0 = 0,          /* left through goto_tb slot 0, not chained */
    TB_EXIT_IDX1 = 1,          /* left through goto_tb slot 1, not chained */
    TB_EXIT_ICOUNT_EXPIRED = 2,  /* -icount: the budget is short of the block's count */
    TB_EXIT_REQUESTED = 3,     /* exit_request was set at block entry */
    TB_EXIT_MASK = 3,
};

/* Enter generated code: run from tc_ptr with env in the env register;
 * returns the exit value above.  Provided by the back end's prologue. */
uintptr_t tcg_tb_exec(void *env, const void *tc_ptr);

/* Patch slot n of tb (already generated) to jump straight to addr, or back
 * to its exit path when addr is the reset address.  Atomic w.r.t. other
 * threads executing the jump. */
void tb_target_set_jmp_target(const TranslationBlock *tb, int n, uintptr_t addr);

#ifdef CONFIG_TCG_INTERPRETER
/* The bytecode address after the helper call in progress (GETPC). */
extern __thread uintptr_t tci_retaddr;
#endif

/* Host code disassembly for -d out_asm / in_asm (capstone). */
void disas_host(FILE *f, const void *code, size_t size);

/* Code buffer: how full it is, and resetting it (tb_flush). */
size_t tcg_code_size(void);
size_t tcg_code_capacity(void);
void tcg_region_reset(void);

#endif
