/*
 * tcg-internal.h: the TCG core's private data structures, shared by the
 * core files (tcg.c, tcg-op.c, optimize.c, regalloc.c, region.c) and the
 * host back end (tcg/<host>/tcg-target.c).  Nothing outside tcg/ includes it.
 *
 * Invariants:
 *   - temps[0 .. nb_globals) are the fixed env temp and the globals; they
 *     survive tcg_func_start.  temps[nb_globals .. nb_temps) belong to the
 *     current block.
 *   - A TCGOp's args[] hold outputs, then inputs (both TCGTemp pointers
 *     cast to TCGArg), then constant arguments.
 *   - The code buffer is written only through its RW view; every address
 *     that generated code runs at or jumps to is an RX address
 *     (rw + tcg_splitwx_diff).
 * Locking: a TCGContext belongs to one thread.  The code buffer is shared:
 *   tcg_gen_code holds the region lock while it emits (region.c).
 */
#ifndef TCG_TCG_INTERNAL_H
#define TCG_TCG_INTERNAL_H

#include "util/osdep.h"
#include "tcg/tcg.h"
#include "tcg/tlb.h"
#include "exec/translation-block.h"
#include "tcg-target.h"

typedef uintptr_t TCGArg;

#define TCG_MAX_TEMPS     16384
#define TCG_MAX_OP_ARGS   10     /* call: 1 out + 6 in + 2 const */
#define TCG_MAX_INSNS     TB_MAX_INSNS

/* Where a temp's value is right now (register allocator state). */
typedef enum TCGTempVal {
    TEMP_VAL_DEAD,
    TEMP_VAL_REG,
    TEMP_VAL_MEM,
    TEMP_VAL_CONST,
} TCGTempVal;

struct TCGTemp {
    TCGTempKind kind;
    TCGType type;
    bool temp_allocated;      /* in use by the current block (not on a free list) */
    int64_t val;              /* TEMP_CONST: the value (i32: sign-extended) */
    const char *name;         /* globals */
    TCGTemp *mem_base;        /* globals: the env temp; spill slots: NULL (frame) */
    intptr_t mem_offset;
    bool mem_allocated;       /* has a memory home (globals always) */

    /* register allocator */
    TCGTempVal val_type;
    int reg;
    bool mem_coherent;        /* memory holds the same value as the register */
    bool pinned;              /* a global kept in register reg for the whole
                                 block (loops: tcg_pin_loop_globals) */

    /* liveness */
    unsigned state;

    /* optimizer: constant and copy information */
    bool opt_const;
    int64_t opt_val;
    bool opt_z32;             /* an i64 whose bits 63:32 are known zero */
    TCGTemp *prev_copy, *next_copy;
    bool opt_touched;

    TCGTemp *next_free;       /* free list / const hash chain */
};

typedef struct TCGRelocation {
    uint8_t *ptr;             /* RW address of a rel32 field */
} TCGRelocation;

struct TCGLabel {
    int id;
    TCGLabel *forward;        /* optimizer: the label is only "br forward" */
    int refs;                 /* optimizer: branches to it */
    int pos, loop_end;        /* tcg_pin_loop_globals: index of its op, of
                                 the last branch back to it (or -1) */
    bool has_value;
    uint8_t *value_ptr;       /* RW address of the label */
    TCGRelocation *relocs;
    int nb_relocs, cap_relocs;
};

struct TCGOp {
    TCGOpcode opc;
    TCGType type;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint32_t life;            /* DEAD_ARG / SYNC_ARG bits from liveness */
    TCGOp *prev, *next;
    TCGArg args[TCG_MAX_OP_ARGS];
};

#define DEAD_ARG(n)  (1u << (n))
#define SYNC_ARG(n)  (1u << ((n) + 16))

/*
 * A guest register to write to env on a soft-MMU slow path before its
 * helper runs.  The allocator keeps dirty globals in host registers across
 * guest accesses: only the slow path, which may fault or reach a device,
 * needs env up to date (tcg_out_ldst_sync).
 */
typedef struct TCGLdstSync {
    int8_t reg;
    uint8_t type;               /* TCGType */
    intptr_t offset;            /* from env */
} TCGLdstSync;

#define TCG_MAX_LDST_SYNC 16

/* Out-of-line soft-MMU slow path, emitted after the block's main code. */
typedef struct TCGLdstLabel {
    uint8_t nb_sync;
    TCGLdstSync sync[TCG_MAX_LDST_SYNC];
    bool is_ld;
    TCGType type;
    MemOpIdx oi;
    int data_reg;
    int addr_reg;
    uint8_t *label_ptr;       /* RW address of the jne's rel32 */
    uint8_t *raddr;           /* RW address to return to */
} TCGLdstLabel;

struct TCGContext {
    /* temps */
    TCGTemp *temps;           /* TCG_MAX_TEMPS entries */
    int nb_globals, nb_temps;
    TCGTemp *free_temps[2][2];      /* [kind == TB][type] */
    TCGTemp *const_hash[256];       /* interned constants of the block */

    /* ops and labels (pools reused block after block) */
    TCGOp *first_op, *last_op;
    TCGOp **op_pool;
    int nb_ops_used, cap_ops;
    int nb_ops;
    TCGLabel **label_pool;
    int nb_labels, cap_labels;

    intptr_t tlb_offset;

    /* code emission (valid inside tcg_gen_code) */
    uint8_t *code_buf;        /* RW start of this block */
    uint8_t *code_ptr;        /* RW emit pointer */
    uint8_t *code_end;        /* RW end of the usable buffer (minus margin) */
    uint16_t jmp_insn_offset[2];
    uint16_t jmp_reset_offset[2];
    TCGLdstLabel *ldst;
    int nb_ldst, cap_ldst;
    /* the allocator's list for the guest access being emitted; a new
     * TCGLdstLabel takes it */
    TCGLdstSync ldst_sync[TCG_MAX_LDST_SYNC];
    int nb_ldst_sync;

    /* loops: the label of tcg_gen_br_tb_start (the first op), and the
     * host registers its pinned globals occupy */
    TCGLabel *tb_start;
    bool loops;            /* tcg_gen_br_tb_start or tcg_gen_br_loop used */
    TCGRegSet pinned_regs;

    /* register allocator */
    TCGTemp *reg_to_temp[TCG_TARGET_NB_REGS];
    int frame_next;           /* next never-used spill slot offset */
    int *frame_free;          /* released spill slot offsets */
    int nb_frame_free, cap_frame_free;

    /* restore table under construction */
    int icount;
    uint16_t insn_end_off[TCG_MAX_INSNS];
    uint64_t insn_data[TCG_MAX_INSNS][2];
};

/* ---- helpers shared by core files -------------------------------------- */

static inline TCGTemp *arg_temp(TCGArg a) { return (TCGTemp *)a; }
static inline TCGArg temp_arg(TCGTemp *t) { return (TCGArg)t; }
static inline TCGLabel *arg_label(TCGArg a) { return (TCGLabel *)a; }
/* The label operand of a branch op (br, brcond), or -1. */
static inline int tcg_op_label_arg(const TCGOp *op)
{
    return op->opc == INDEX_op_br ? 0 : op->opc == INDEX_op_brcond ? 3 : -1;
}
static inline int temp_idx(TCGContext *s, TCGTemp *t) { return (int)(t - s->temps); }

/* Normalise a constant to its type: i32 values are kept sign-extended. */
static inline int64_t tcg_const_norm(TCGType type, int64_t v)
{
    return type == TCG_TYPE_I32 ? (int64_t)(int32_t)v : v;
}

TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nb_args);
TCGOp *tcg_op_insert_after(TCGContext *s, TCGOp *old, TCGOpcode opc, int nb_args);
TCGOp *tcg_op_insert_first(TCGContext *s, TCGOpcode opc);
void tcg_op_remove(TCGContext *s, TCGOp *op);
TCGTemp *tcg_constant_internal(TCGType type, int64_t val);
const char *tcg_cond_name(TCGCond c);

/* optimize.c / regalloc.c */
void tcg_optimize(TCGContext *s);
void tcg_liveness_analysis(TCGContext *s);
/* A block that loops to its start: give the globals it uses most a host
 * register each (tcg_target_pin_regs) for the whole block. */
void tcg_pin_loop_globals(TCGContext *s);
/* Emit the whole block; false if the code buffer ran out of space. */
bool tcg_reg_alloc_code(TCGContext *s, TranslationBlock *tb);

/* ---- the code buffer (region.c) ----------------------------------------- */

extern intptr_t tcg_splitwx_diff;     /* rx - rw */
static inline const void *tcg_rw_to_rx(const void *rw)
{
    return (const uint8_t *)rw + tcg_splitwx_diff;
}
static inline void *tcg_rx_to_rw(const void *rx)
{
    return (uint8_t *)rx - tcg_splitwx_diff;
}
int tcg_region_init(size_t size, Error **errp);
/* Claim the buffer for one block: returns [start, end) in the RW view. */
void tcg_region_begin(uint8_t **start, uint8_t **end);
/* Release it, keeping used bytes (0 to drop the attempt). */
void tcg_region_end(size_t used);
/* Make [rw, rw+len) writable / executable again (no-op with dual mapping). */
void tcg_region_make_writable(void *rw, size_t len);
void tcg_region_make_executable(void *rw, size_t len);
/* Make fresh code at [rw, rw+len) visible to instruction fetch: after a
 * block or the prologue is emitted, before anything can run it. */
void tcg_region_flush_icache(const void *rw, size_t len);
/* Atomically store a 4-byte-aligned word of generated code (chaining),
 * then flush it. */
void tcg_region_patch32(void *rw, uint32_t val);
/* Called once by tcg_init after the prologue: keep it across resets. */
void tcg_region_commit_prologue(size_t used);

/* ---- code emission primitives for the back end ------------------------- */

static inline void tcg_out8(TCGContext *s, uint8_t v) { *s->code_ptr++ = v; }
static inline void tcg_out16(TCGContext *s, uint16_t v)
{
    memcpy(s->code_ptr, &v, 2);
    s->code_ptr += 2;
}
static inline void tcg_out32(TCGContext *s, uint32_t v)
{
    memcpy(s->code_ptr, &v, 4);
    s->code_ptr += 4;
}
static inline void tcg_out64(TCGContext *s, uint64_t v)
{
    memcpy(s->code_ptr, &v, 8);
    s->code_ptr += 8;
}
static inline size_t tcg_current_code_size(TCGContext *s)
{
    return (size_t)(s->code_ptr - s->code_buf);
}
/* Record that the rel32 at ptr must point to l once l is placed. */
void tcg_out_reloc(TCGContext *s, uint8_t *ptr, TCGLabel *l);
TCGLdstLabel *tcg_new_ldst_label(TCGContext *s);
/* On a slow path, before its helper call: store l's dirty globals
 * (regalloc.c; the registers are intact on the way to the slow path). */
void tcg_out_ldst_sync(TCGContext *s, const TCGLdstLabel *l);

/* ---- the back-end interface (tcg/<host>/tcg-target.c) ------------------ */

/* Per-operand constraint: allowed registers, immediates, aliasing. */
typedef struct TCGArgConstraint {
    TCGRegSet regs;           /* registers the operand may live in */
    unsigned ct;              /* TCG_CT_CONST_* immediates accepted (inputs) */
    int alias;                /* outputs: input index it shares a register with, or -1 */
} TCGArgConstraint;

/* Constraints for opc/type: fills out[nb_oargs] then in[nb_iargs]. */
void tcg_target_op_constraints(TCGOpcode opc, TCGType type,
                               TCGArgConstraint *out, TCGArgConstraint *in);
bool tcg_target_const_match(int64_t val, TCGType type, unsigned ct);
void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src);
void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val);
void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off);
void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off);
/* Store an immediate; false if the host cannot for this value. */
bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base, intptr_t off);
/* Generic ops: args are host registers, or immediates where const_args[i]. */
void tcg_out_op(TCGContext *s, TCGOpcode opc, TCGType type,
                const TCGArg *args, const bool *const_args);
void tcg_out_call(TCGContext *s, const void *func);
void tcg_out_exit_tb(TCGContext *s, uintptr_t val);
void tcg_out_goto_tb(TCGContext *s, unsigned slot);
/* Emit out-of-line slow paths; false if out of space. */
bool tcg_out_ldst_finalize(TCGContext *s);
/* Emit prologue/epilogue at s->code_ptr; sets the entry and exit points. */
void tcg_target_emit_prologue(TCGContext *s, const void **entry,
                              const void **epilogue);
/* tcg_target_patch_rel32 for a back end whose label references are 32-bit
 * displacements counted from the end of the field (x86-64, tci). */
void tcg_patch_rel32_field(uint8_t *rw, const uint8_t *target_rw);
/* goto_tb's displacement field at s->code_ptr, which the back end has
 * aligned to 4 bytes (in the RX view): records slot's offsets; initially 0,
 * falling through to the exit path after it. */
void tcg_out_jmp_rel32_field(TCGContext *s, unsigned slot);
/* tb_target_set_jmp_target for a back end whose goto_tb jump is a 4-byte
 * aligned displacement counted from its end (x86-64's jmp rel32, tci's
 * jump): one aligned store, which a thread running the jump sees whole. */
void tcg_patch_jmp_rel32(const TranslationBlock *tb, int n, uintptr_t addr);
/* Point the rel32 at rw to the RW address target. */
void tcg_target_patch_rel32(uint8_t *rw, const uint8_t *target_rw);

#endif
