/*
 * regalloc.c: liveness analysis and the register allocator, which walks the
 * op list once, forward, and drives the back end to emit host code.
 *
 * Liveness (backward): each op gets DEAD_ARG(i) when arg i's value is not
 * needed after the op and SYNC_ARG(i) when an output must also be stored to
 * its memory home right away (a global or tb temp that must be in memory at
 * the next basic-block end, call or guest memory access).  Ops whose
 * outputs are all dead and that have no side effects are deleted.
 *
 * Allocation (forward), per temp: DEAD, REG (reg, mem_coherent), MEM, CONST.
 *   - globals are loaded lazily, stored when a definition carries SYNC_ARG,
 *     and, as a safety net, at every basic-block end and before calls;
 *     register copies are dropped after calls that may write globals;
 *   - a guest access keeps dirty globals in their registers: its slow path
 *     stores them before the helper, which may fault (tcg_out_ldst_sync);
 *   - a conditional branch syncs globals and tb temps for its taken path
 *     and keeps every register for the fall-through;
 *   - ebb temps die at the next label or unconditional exit; tb temps are stored to
 *     a frame slot and are MEM at every basic-block start;
 *   - call-clobbered registers are emptied (spilled) before calls and guest
 *     accesses; out of registers, the allocator spills in allocation order;
 *   - constants become host immediates where the back end's constraints
 *     allow, otherwise they are loaded for one op and forgotten.
 * Every move the allocator emits for an op precedes the op's own code, so
 * the back end may rely on its input registers while writing outputs (a
 * pinned output computed elsewhere is the one move that follows).
 *
 * Loops (tcg_gen_br_tb_start): a block that jumps back to its own start
 * gets its most used globals *pinned*: each lives in one call-saved host
 * register (tcg_target_pin_regs) for the whole block, loaded once on entry.
 * Labels and branches leave them alone; env is written only where it must
 * be current: before leaving the block (exit_tb, goto_tb, goto_ptr), before
 * a helper that may read globals (reloaded after one that may write them)
 * and on a soft-MMU slow path (the sync list).  Liveness does not track
 * them: they are always live and never synced by SYNC_ARG.
 */
#include "util/osdep.h"
#include "tcg/tcg-internal.h"

#define TS_DEAD 1
#define TS_MEM  2

/* Bytes that must remain before emitting one more op. */
#define TCG_HIGHWATER 4096

/* ---- liveness ------------------------------------------------------------- */

static void la_bb_end(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        switch (t->kind) {
        case TEMP_GLOBAL:
        case TEMP_TB:
            t->state = t->pinned ? 0 : TS_DEAD | TS_MEM;
            break;
        case TEMP_EBB:
            t->state = TS_DEAD;
            break;
        default:
            t->state = 0;
            break;
        }
    }
}

/* A conditional branch: the taken path needs globals and tb temps in
 * memory (as at a label); the fall-through keeps what it needs. */
static void la_cond_branch(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        if ((t->kind == TEMP_GLOBAL && !t->pinned) || t->kind == TEMP_TB) {
            t->state |= TS_MEM;
        }
    }
}

static void la_globals(TCGContext *s, bool kill)
{
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *t = &s->temps[i];
        if (t->kind == TEMP_GLOBAL && !t->pinned) {
            t->state = kill ? TS_DEAD | TS_MEM : t->state | TS_MEM;
        }
    }
}

/* A guest access may fault: every global's value must exist then (in a
 * register or in env; the slow path stores the registers). */
static void la_globals_used(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *t = &s->temps[i];
        if (t->kind == TEMP_GLOBAL) {
            t->state &= ~TS_DEAD;
        }
    }
}

static bool la_tracked(TCGTemp *t)
{
    return t->kind != TEMP_FIXED && t->kind != TEMP_CONST && !t->pinned;
}

/* A double-width multiply whose high half nobody reads: a plain multiply
 * (one host instruction, no fixed registers). */
static void la_narrow_mul2(TCGOp *op)
{
    if ((op->opc == INDEX_op_mulu2 || op->opc == INDEX_op_muls2) &&
        arg_temp(op->args[1])->state == TS_DEAD) {
        op->opc = INDEX_op_mul;
        op->nb_oargs = 1;
        op->nb_iargs = 2;
        op->args[1] = op->args[2];
        op->args[2] = op->args[3];
    }
}

void tcg_liveness_analysis(TCGContext *s)
{
    TCGOp *op, *prev;

    la_bb_end(s);
    for (op = s->last_op; op; op = prev) {
        const TCGOpDef *def;
        int nb_o, nb_i;
        bool removable, all_dead = true;
        unsigned call_flags = 0;
        uint32_t life = 0;

        prev = op->prev;
        la_narrow_mul2(op);
        def = &tcg_op_defs[op->opc];
        nb_o = op->nb_oargs;
        nb_i = op->nb_iargs;
        switch (op->opc) {
        case INDEX_op_insn_start:
            continue;
        case INDEX_op_discard:
            if (la_tracked(arg_temp(op->args[0]))) {
                arg_temp(op->args[0])->state = TS_DEAD;
            }
            tcg_op_remove(s, op);
            continue;
        case INDEX_op_set_label:
            la_bb_end(s);
            op->life = 0;
            continue;
        default:
            break;
        }

        if (op->opc == INDEX_op_call) {
            call_flags = ((const TCGHelperInfo *)op->args[nb_o + nb_i])->flags;
            removable = call_flags & TCG_CALL_NO_SIDE_EFFECTS;
        } else {
            removable = nb_o > 0 &&
                !(def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END | TCG_OPF_BB_EXIT));
        }
        for (int i = 0; i < nb_o; i++) {
            /* dead, and not wanted in memory either */
            if (arg_temp(op->args[i])->state != TS_DEAD) {
                all_dead = false;
            }
        }
        if (removable && all_dead) {
            tcg_op_remove(s, op);
            continue;
        }

        for (int i = 0; i < nb_o; i++) {
            TCGTemp *t = arg_temp(op->args[i]);
            if (t->state & TS_DEAD) {
                life |= DEAD_ARG(i);
            }
            if (t->state & TS_MEM) {
                life |= SYNC_ARG(i);
            }
            if (la_tracked(t)) {
                t->state = TS_DEAD;
            }
        }

        if (def->flags & TCG_OPF_COND_BRANCH) {
            la_cond_branch(s);
        } else if (def->flags & TCG_OPF_BB_END) {
            la_bb_end(s);
        } else if (op->opc == INDEX_op_call) {
            if (!(call_flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                la_globals(s, true);
            } else if (!(call_flags & TCG_CALL_NO_READ_GLOBALS)) {
                la_globals(s, false);
            }
        } else if (op->opc == INDEX_op_guest_ld || op->opc == INDEX_op_guest_st) {
            la_globals_used(s);
        }

        for (int i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *t = arg_temp(op->args[i]);
            if (la_tracked(t) && (t->state & TS_DEAD)) {
                life |= DEAD_ARG(i);
            }
        }
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            arg_temp(op->args[i])->state &= ~TS_DEAD;
        }
        op->life = life;
    }
}

/* ---- register allocator state ------------------------------------------------ */

static int temp_base_reg(TCGTemp *ts)
{
    return ts->mem_base ? TCG_AREG0 : TCG_REG_CALL_STACK;
}

static void temp_allocate_frame(TCGContext *s, TCGTemp *ts)
{
    int off;

    if (s->nb_frame_free) {
        off = s->frame_free[--s->nb_frame_free];
    } else {
        off = s->frame_next;
        s->frame_next += 8;
        assert(s->frame_next <= TCG_STATIC_FRAME_SIZE && "TCG spill frame exhausted");
    }
    ts->mem_base = NULL;
    ts->mem_offset = TCG_STATIC_CALL_ARGS_SIZE + off;
    ts->mem_allocated = true;
}

static void temp_release_frame(TCGContext *s, TCGTemp *ts)
{
    if (ts->kind != TEMP_EBB || !ts->mem_allocated) {
        return;
    }
    if (s->nb_frame_free == s->cap_frame_free) {
        s->cap_frame_free = s->cap_frame_free ? s->cap_frame_free * 2 : 64;
        s->frame_free = tern_realloc(s->frame_free, sizeof(int) * s->cap_frame_free);
    }
    s->frame_free[s->nb_frame_free++] = (int)(ts->mem_offset - TCG_STATIC_CALL_ARGS_SIZE);
    ts->mem_allocated = false;
}

static void temp_set_reg(TCGContext *s, TCGTemp *ts, int reg)
{
    if (ts->val_type == TEMP_VAL_REG && s->reg_to_temp[ts->reg] == ts) {
        s->reg_to_temp[ts->reg] = NULL;
    }
    ts->val_type = TEMP_VAL_REG;
    ts->reg = reg;
    s->reg_to_temp[reg] = ts;
}

static void temp_free_reg(TCGContext *s, TCGTemp *ts)
{
    if (ts->val_type == TEMP_VAL_REG && s->reg_to_temp[ts->reg] == ts) {
        s->reg_to_temp[ts->reg] = NULL;
    }
}

/* Make memory hold the register's value. */
static void temp_sync(TCGContext *s, TCGTemp *ts)
{
    if (ts->val_type != TEMP_VAL_REG || ts->mem_coherent ||
        ts->kind == TEMP_FIXED || ts->kind == TEMP_CONST) {
        return;
    }
    if (!ts->mem_allocated) {
        temp_allocate_frame(s, ts);
    }
    tcg_out_st(s, ts->type, ts->reg, temp_base_reg(ts), ts->mem_offset);
    ts->mem_coherent = true;
}

/* Release ts's register, keeping its value in memory. */
static void temp_spill(TCGContext *s, TCGTemp *ts)
{
    assert(ts->kind != TEMP_FIXED && !ts->pinned);
    if (ts->kind == TEMP_CONST) {
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_CONST;
        return;
    }
    if (ts->val_type == TEMP_VAL_REG) {
        temp_sync(s, ts);
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_MEM;
    }
}

/* ts's value is no longer needed (liveness said so). */
static void temp_dead(TCGContext *s, TCGTemp *ts)
{
    if (ts->pinned) {
        return;
    }
    switch (ts->kind) {
    case TEMP_FIXED:
        return;
    case TEMP_CONST:
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_CONST;
        return;
    case TEMP_GLOBAL:
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_MEM;
        return;
    case TEMP_TB:
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_DEAD;
        return;
    case TEMP_EBB:
        temp_free_reg(s, ts);
        ts->val_type = TEMP_VAL_DEAD;
        temp_release_frame(s, ts);
        return;
    }
}

/* A register from required, avoiding allocated; spills if none is free. */
static int reg_alloc(TCGContext *s, TCGRegSet required, TCGRegSet allocated)
{
    TCGRegSet set = required & ~allocated & ~TCG_TARGET_RESERVED_REGS & ~s->pinned_regs;

    for (size_t i = 0; i < ARRAY_SIZE(tcg_target_reg_alloc_order); i++) {
        int r = tcg_target_reg_alloc_order[i];
        if ((set >> r & 1) && !s->reg_to_temp[r]) {
            return r;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(tcg_target_reg_alloc_order); i++) {
        int r = tcg_target_reg_alloc_order[i];
        if (set >> r & 1) {
            temp_spill(s, s->reg_to_temp[r]);
            return r;
        }
    }
    assert(!"no allocatable register");
    return -1;
}

/* Put ts's value into reg without changing where ts lives. */
static void temp_copy_to_reg(TCGContext *s, TCGTemp *ts, TCGType type, int reg)
{
    switch (ts->val_type) {
    case TEMP_VAL_REG:
        if (ts->reg != reg) {
            tcg_out_mov(s, type, reg, ts->reg);
        }
        break;
    case TEMP_VAL_CONST:
        tcg_out_movi(s, type, reg, ts->val);
        break;
    case TEMP_VAL_MEM:
        if (!ts->mem_allocated) {
            temp_allocate_frame(s, ts);
        }
        tcg_out_ld(s, ts->type, reg, temp_base_reg(ts), ts->mem_offset);
        break;
    case TEMP_VAL_DEAD:
        break;      /* undefined value: anything will do */
    }
}

/* Make ts live in a register of required (avoiding allocated). */
static void temp_load(TCGContext *s, TCGTemp *ts, TCGRegSet required, TCGRegSet allocated)
{
    int reg;

    if (ts->val_type == TEMP_VAL_REG) {
        if (required >> ts->reg & 1) {
            return;
        }
        assert(ts->kind != TEMP_FIXED);
        reg = reg_alloc(s, required, allocated | (1u << ts->reg));
        tcg_out_mov(s, ts->type, reg, ts->reg);
        temp_set_reg(s, ts, reg);
        return;
    }
    reg = reg_alloc(s, required, allocated);
    temp_copy_to_reg(s, ts, ts->type, reg);
    ts->mem_coherent = ts->val_type == TEMP_VAL_MEM;
    temp_set_reg(s, ts, reg);
}

static void sync_globals(TCGContext *s, bool drop)
{
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL && ts->val_type == TEMP_VAL_REG) {
            temp_sync(s, ts);
            if (drop && !ts->pinned) {
                temp_free_reg(s, ts);
                ts->val_type = TEMP_VAL_MEM;
            }
        }
    }
}

/* Globals considered for pinning: the first ones registered (a front end
 * registers its guest registers first; x86 has 20). */
#define TCG_MAX_PINNABLE 64

/* Bytes a host-memory op (ld*, st*) accesses; 0 for other ops. */
static int tcg_host_mem_size(const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_st8:
        return 1;
    case INDEX_op_ld16u: case INDEX_op_ld16s: case INDEX_op_st16:
        return 2;
    case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_st32:
        return 4;
    case INDEX_op_ld: case INDEX_op_st:
        return op->type == TCG_TYPE_I32 ? 4 : 8;
    default:
        return 0;
    }
}

/* After a helper that may have written globals: the pinned ones again. */
static void reload_pinned(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->pinned) {
            tcg_out_ld(s, ts->type, ts->reg, TCG_AREG0, ts->mem_offset);
            ts->mem_coherent = true;
        }
    }
}

/* The weight of each op of the block, by index, for choosing what to pin:
 * the sum over the loops it lies in of 1024 / the loop's length, a loop
 * being the ops from a label to the last branch back to it.  Small loops,
 * which tend to be the inner ones, weigh most.  Returns the array, one
 * entry per op (free it). */
static int *loop_weights(TCGContext *s)
{
    int n = 0, i, *weight;
    TCGOp *op;

    for (i = 0; i < s->nb_labels; i++) {
        s->label_pool[i]->pos = s->label_pool[i]->loop_end = -1;
    }
    for (op = s->first_op; op; op = op->next, n++) {
        if (op->opc == INDEX_op_set_label) {
            arg_label(op->args[0])->pos = n;
        }
    }
    for (op = s->first_op, i = 0; op; op = op->next, i++) {
        int a = tcg_op_label_arg(op);
        TCGLabel *l = a >= 0 ? arg_label(op->args[a]) : NULL;
        if (l && l->pos >= 0 && l->pos < i) {
            l->loop_end = i;
        }
    }
    weight = tern_malloc0(sizeof(int) * (n + 1));
    for (i = 0; i < s->nb_labels; i++) {
        TCGLabel *l = s->label_pool[i];
        if (l->loop_end >= 0) {
            int w = 1024 / (l->loop_end - l->pos + 1) + 1;
            weight[l->pos] += w;        /* +w over [pos, loop_end] */
            weight[l->loop_end + 1] -= w;
        }
    }
    for (i = 1; i < n; i++) {
        weight[i] += weight[i - 1];
    }
    return weight;
}

/* A block that loops: choose its pinned globals (see the top of the file).
 * Uses count only inside loops, the more the smaller the loop
 * (loop_weights).  First the globals read before they are written in a
 * basic block there, whose value one iteration passes to the next through
 * env otherwise, then those only read, by number of uses.  A global the loops only or mostly write stays
 * unpinned (its register is a renamed temp's, stored at exits, and
 * liveness can drop its dead values, the flags' above all, which it cannot
 * for a pinned one), as does one whose field the block also reaches by a
 * plain env load or store.  Runs before the optimizer, which prefers
 * pinned copies. */
void tcg_pin_loop_globals(TCGContext *s)
{
    int nb = s->nb_globals, score[TCG_MAX_PINNABLE] = { 0 };
    int reads[TCG_MAX_PINNABLE] = { 0 }, writes[TCG_MAX_PINNABLE] = { 0 };
    /* written: in this basic block so far; wrote: anywhere */
    bool written[TCG_MAX_PINNABLE] = { false }, wrote[TCG_MAX_PINNABLE] = { false };
    bool carried[TCG_MAX_PINNABLE] = { false }, aliased[TCG_MAX_PINNABLE] = { false };
    int *weight = loop_weights(s), idx = 0;

    nb = MIN(nb, TCG_MAX_PINNABLE);
    for (TCGOp *op = s->first_op; op; op = op->next, idx++) {
        int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
        int size = tcg_host_mem_size(op);
        int d = weight[idx];

        if (size) {
            /* ld: out, base; st: value, base; c: offset */
            TCGTemp *base = arg_temp(op->args[1]);
            intptr_t off = (intptr_t)op->args[2];
            for (int g = 0; g < nb && base->kind == TEMP_FIXED; g++) {
                TCGTemp *t = &s->temps[g];
                int gsize = t->type == TCG_TYPE_I32 ? 4 : 8;
                if (t->kind == TEMP_GLOBAL && off < t->mem_offset + gsize &&
                    t->mem_offset < off + size) {
                    aliased[g] = true;
                }
            }
        }
        if (op->opc == INDEX_op_set_label) {
            /* paths meet: what was written before may not have been */
            memset(written, 0, sizeof(written));
            continue;
        }
        if (op->opc == INDEX_op_insn_start) {
            continue;
        }
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            int g = temp_idx(s, arg_temp(op->args[i]));
            if (g < nb && s->temps[g].kind == TEMP_GLOBAL) {
                reads[g] += d;
                carried[g] |= d && !written[g];
            }
        }
        for (int i = 0; i < nb_o; i++) {
            int g = temp_idx(s, arg_temp(op->args[i]));
            if (g < nb && s->temps[g].kind == TEMP_GLOBAL) {
                writes[g] += d;
                written[g] = true;
                wrote[g] |= d > 0;
            }
        }
    }
    free(weight);
    for (int g = 0; g < nb; g++) {
        score[g] = reads[g] + writes[g];
        if (aliased[g] || (wrote[g] && !carried[g]) || writes[g] > reads[g]) {
            /* only written, or mostly: renaming serves it as well, and
             * liveness can drop its dead values (the flags'), which it
             * cannot for a pinned global */
            score[g] = 0;
        } else if (wrote[g]) {
            score[g] += 1 << 24;
        }
    }
    for (size_t k = 0; k < ARRAY_SIZE(tcg_target_pin_regs); k++) {
        int best = -1;
        for (int g = 0; g < nb; g++) {
            if (score[g] > 0 && !s->temps[g].pinned && (best < 0 || score[g] > score[best])) {
                best = g;
            }
        }
        if (best < 0) {
            break;
        }
        s->temps[best].pinned = true;
        s->temps[best].reg = tcg_target_pin_regs[k];
        s->pinned_regs |= 1u << tcg_target_pin_regs[k];
    }
}

static void spill_call_clobbered(TCGContext *s)
{
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++) {
        if ((TCG_TARGET_CALL_CLOBBER_REGS >> r & 1) && s->reg_to_temp[r]) {
            temp_spill(s, s->reg_to_temp[r]);
        }
    }
}

/* At a label (exit false) or an op that ends a basic block; exit: one
 * that leaves the block, after which env must hold the pinned globals too. */
static void tcg_reg_alloc_bb_end(TCGContext *s, bool exit)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_GLOBAL:
            if (!ts->pinned) {
                temp_spill(s, ts);
            } else if (exit) {
                temp_sync(s, ts);
            }
            break;
        case TEMP_TB:
            temp_spill(s, ts);
            ts->val_type = TEMP_VAL_MEM;    /* whatever path comes next */
            break;
        case TEMP_EBB:
            temp_dead(s, ts);
            break;
        case TEMP_CONST:
            temp_dead(s, ts);
            break;
        case TEMP_FIXED:
            break;
        }
    }
}

/* Before a conditional branch: memory holds every global and tb temp for
 * the taken path (a label: MEM there); registers stay valid for the
 * fall-through. */
static void tcg_reg_alloc_cond_branch(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if ((ts->kind == TEMP_GLOBAL && !ts->pinned) || ts->kind == TEMP_TB) {
            temp_sync(s, ts);
        }
    }
}

/*
 * Before a guest access: the dirty globals (all in call-saved registers
 * now) go on the access's slow-path list instead of being stored here;
 * past TCG_MAX_LDST_SYNC they are stored now.  skip: the op's outputs,
 * whose registers hold no guest state yet.
 */
static void ldst_sync_list(TCGContext *s, TCGOp *op)
{
    s->nb_ldst_sync = 0;
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        bool output = false;

        if (ts->kind != TEMP_GLOBAL || ts->val_type != TEMP_VAL_REG || ts->mem_coherent) {
            continue;
        }
        for (int o = 0; o < op->nb_oargs; o++) {
            output |= arg_temp(op->args[o]) == ts;
        }
        if (output) {
            continue;
        }
        if (s->nb_ldst_sync == TCG_MAX_LDST_SYNC) {
            temp_sync(s, ts);
            continue;
        }
        s->ldst_sync[s->nb_ldst_sync++] = (TCGLdstSync){
            .reg = (int8_t)ts->reg, .type = (uint8_t)ts->type, .offset = ts->mem_offset,
        };
    }
}

void tcg_out_ldst_sync(TCGContext *s, const TCGLdstLabel *l)
{
    for (int i = 0; i < l->nb_sync; i++) {
        tcg_out_st(s, (TCGType)l->sync[i].type, l->sync[i].reg, TCG_AREG0, l->sync[i].offset);
    }
}

/* After an output is written: store and/or release per liveness. */
static void tcg_reg_alloc_output_done(TCGContext *s, TCGTemp *ts, uint32_t life, int i)
{
    if (life & SYNC_ARG(i)) {
        temp_sync(s, ts);
    }
    if (life & DEAD_ARG(i)) {
        temp_dead(s, ts);
    }
}

/* ---- per-op allocation ---------------------------------------------------------- */

static void tcg_reg_alloc_mov(TCGContext *s, TCGOp *op)
{
    TCGTemp *ots = arg_temp(op->args[0]), *ts = arg_temp(op->args[1]);
    uint32_t life = op->life;
    int reg;

    if (ots->pinned) {
        temp_copy_to_reg(s, ts, op->type, ots->reg);
        if (life & DEAD_ARG(1)) {
            temp_dead(s, ts);
        }
        ots->mem_coherent = false;
        return;
    }
    if (ts->val_type == TEMP_VAL_REG && ts->kind != TEMP_CONST &&
        (life & SYNC_ARG(0)) && (life & DEAD_ARG(0)) && ots->kind != TEMP_EBB) {
        /* only the memory copy is wanted: store the source's register */
        if (!ots->mem_allocated) {
            temp_allocate_frame(s, ots);
        }
        tcg_out_st(s, op->type, ts->reg, temp_base_reg(ots), ots->mem_offset);
        temp_free_reg(s, ots);
        ots->val_type = ots->kind == TEMP_GLOBAL ? TEMP_VAL_MEM : TEMP_VAL_DEAD;
        ots->mem_coherent = true;
        if (life & DEAD_ARG(1)) {
            temp_dead(s, ts);
        }
        return;
    }
    if (ts->kind == TEMP_CONST) {
        if ((life & SYNC_ARG(0)) && (life & DEAD_ARG(0)) && ots->kind != TEMP_EBB) {
            /* a store of the immediate is all that is needed */
            if (!ots->mem_allocated) {
                temp_allocate_frame(s, ots);
            }
            if (tcg_out_sti(s, op->type, ts->val, temp_base_reg(ots), ots->mem_offset)) {
                temp_free_reg(s, ots);
                ots->val_type = ots->kind == TEMP_GLOBAL ? TEMP_VAL_MEM : TEMP_VAL_DEAD;
                ots->mem_coherent = true;
                return;
            }
        }
        reg = ots->val_type == TEMP_VAL_REG ? ots->reg
                                            : reg_alloc(s, TCG_TARGET_ALL_REGS, 0);
        tcg_out_movi(s, op->type, reg, ts->val);
    } else if (ts->val_type == TEMP_VAL_REG && (life & DEAD_ARG(1)) &&
               ts->kind != TEMP_FIXED && !ts->pinned) {
        /* rename: the output takes over the dying input's register */
        reg = ts->reg;
        temp_dead(s, ts);
        if (ots->val_type == TEMP_VAL_REG) {
            temp_free_reg(s, ots);
        }
    } else {
        temp_load(s, ts, TCG_TARGET_ALL_REGS, 0);
        reg = ots->val_type == TEMP_VAL_REG ? ots->reg
                                            : reg_alloc(s, TCG_TARGET_ALL_REGS, 1u << ts->reg);
        tcg_out_mov(s, op->type, reg, ts->reg);
        if (life & DEAD_ARG(1)) {
            temp_dead(s, ts);
        }
    }
    temp_set_reg(s, ots, reg);
    ots->mem_coherent = false;
    tcg_reg_alloc_output_done(s, ots, life, 0);
}

static void tcg_reg_alloc_call(TCGContext *s, TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    const TCGHelperInfo *info = (const TCGHelperInfo *)op->args[nb_o + nb_i];
    const void *func = (const void *)op->args[nb_o + nb_i + 1];
    uint32_t life = op->life;

    if ((info->flags & TCG_CALL_NO_RWG) != TCG_CALL_NO_RWG) {
        sync_globals(s, false);
    }
    spill_call_clobbered(s);
    /* Every clobbered register is free now and no argument lives in one. */
    for (int i = 0; i < nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[nb_o + i]);
        temp_copy_to_reg(s, ts, TCG_TYPE_I64, tcg_target_call_iarg_regs[i]);
    }
    for (int i = 0; i < nb_i; i++) {
        if (life & DEAD_ARG(nb_o + i)) {
            temp_dead(s, arg_temp(op->args[nb_o + i]));
        }
    }
    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        sync_globals(s, true);
    }
    tcg_out_call(s, func);
    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        reload_pinned(s);
    }
    if (nb_o) {
        TCGTemp *ots = arg_temp(op->args[0]);
        assert(!s->reg_to_temp[TCG_TARGET_CALL_OARG_REG]);
        if (ots->pinned) {
            tcg_out_mov(s, ots->type, ots->reg, TCG_TARGET_CALL_OARG_REG);
            ots->mem_coherent = false;
            return;
        }
        temp_set_reg(s, ots, TCG_TARGET_CALL_OARG_REG);
        ots->mem_coherent = false;
        tcg_reg_alloc_output_done(s, ots, life, 0);
    }
}

static int popcount32(uint32_t x) { return __builtin_popcount(x); }

static void tcg_reg_alloc_op(TCGContext *s, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    TCGArgConstraint ocons[2], icons[TCG_MAX_CALL_ARGS];
    TCGArg new_args[TCG_MAX_OP_ARGS];
    bool const_args[TCG_MAX_OP_ARGS] = { false };
    int alias_out[TCG_MAX_CALL_ARGS], order[TCG_MAX_CALL_ARGS], n = 0;
    TCGRegSet i_allocated = 0, o_allocated = TCG_TARGET_RESERVED_REGS, copies = 0;
    uint32_t life = op->life;

    assert(nb_o <= 2 && nb_i <= TCG_MAX_CALL_ARGS);
    tcg_target_op_constraints(op->opc, op->type, ocons, icons);
    for (int i = 0; i < nb_i; i++) {
        alias_out[i] = -1;
    }
    for (int o = 0; o < nb_o; o++) {
        if (ocons[o].alias >= 0) {
            alias_out[ocons[o].alias] = o;
        }
    }
    /* inputs pinned to one register go first, so nothing evicts them */
    for (int i = 0; i < nb_i; i++) {
        if (popcount32(icons[i].regs) == 1) {
            order[n++] = i;
        }
    }
    for (int i = 0; i < nb_i; i++) {
        if (popcount32(icons[i].regs) != 1) {
            order[n++] = i;
        }
    }

    for (int k = 0; k < nb_i; k++) {
        int i = order[k], a = nb_o + i;
        TCGTemp *ts = arg_temp(op->args[a]);
        bool copy;

        if (ts->kind == TEMP_CONST && alias_out[i] < 0 && icons[i].ct &&
            tcg_target_const_match(ts->val, op->type, icons[i].ct)) {
            const_args[a] = true;
            new_args[a] = (TCGArg)ts->val;
            continue;
        }
        /* an aliased input is overwritten by the op: keep a live value
         * safe.  Fixed and pinned temps never move; a pinned one may be
         * overwritten in place by its own new value. */
        if (ts->kind == TEMP_FIXED || ts->pinned) {
            bool in_place = ts->pinned && alias_out[i] >= 0 &&
                            arg_temp(op->args[alias_out[i]]) == ts;
            copy = (alias_out[i] >= 0 && !in_place) || !(icons[i].regs >> ts->reg & 1);
        } else {
            copy = alias_out[i] >= 0 && ts->kind != TEMP_CONST && !(life & DEAD_ARG(a));
        }
        if (copy && ts->kind != TEMP_FIXED && !ts->pinned && ts->val_type == TEMP_VAL_REG &&
            icons[i].regs == 1u << ts->reg) {
            /* it sits in the one register allowed: move it out to memory
             * and let the op have the register */
            int reg = ts->reg;
            temp_spill(s, ts);
            new_args[a] = (TCGArg)reg;
            i_allocated |= 1u << reg;
            copies |= 1u << reg;
            continue;
        }
        if (copy) {
            TCGRegSet avoid = i_allocated;
            int reg;
            if (ts->val_type == TEMP_VAL_REG) {
                avoid |= 1u << ts->reg;
            }
            reg = reg_alloc(s, icons[i].regs, avoid);
            temp_copy_to_reg(s, ts, op->type, reg);
            new_args[a] = (TCGArg)reg;
            i_allocated |= 1u << reg;
            copies |= 1u << reg;
            continue;
        }
        temp_load(s, ts, icons[i].regs, i_allocated);
        new_args[a] = (TCGArg)ts->reg;
        i_allocated |= 1u << ts->reg;
    }

    /* inputs that die here free their registers for the outputs */
    for (int i = 0; i < nb_i; i++) {
        int a = nb_o + i;
        TCGTemp *ts = arg_temp(op->args[a]);
        if (const_args[a]) {
            continue;
        }
        if (ts->kind == TEMP_CONST || (life & DEAD_ARG(a))) {
            temp_dead(s, ts);
        }
    }

    if (def->flags & TCG_OPF_COND_BRANCH) {
        tcg_reg_alloc_cond_branch(s);
    } else if (def->flags & TCG_OPF_BB_END) {
        tcg_reg_alloc_bb_end(s, def->flags & TCG_OPF_BB_EXIT);
    }
    if (def->flags & TCG_OPF_CALL_CLOBBER) {
        spill_call_clobbered(s);
    }
    if (op->opc == INDEX_op_guest_ld && arg_temp(op->args[0])->kind == TEMP_GLOBAL) {
        /* a global loaded into: its old value is the one a fault shows */
        temp_sync(s, arg_temp(op->args[0]));
    }

    /* outputs: live input registers and aliased copies are taken */
    for (int i = 0; i < nb_i; i++) {
        int a = nb_o + i;
        TCGTemp *ts = arg_temp(op->args[a]);
        if (!const_args[a] && ts->val_type == TEMP_VAL_REG &&
            s->reg_to_temp[ts->reg] == ts) {
            o_allocated |= 1u << ts->reg;
        }
    }
    o_allocated |= copies;
    for (int o = 0; o < nb_o; o++) {
        TCGTemp *ts = arg_temp(op->args[o]);
        int reg;

        if (ocons[o].alias >= 0) {
            reg = (int)new_args[nb_o + ocons[o].alias];
            if (s->reg_to_temp[reg] && s->reg_to_temp[reg] != ts) {
                temp_spill(s, s->reg_to_temp[reg]);
            }
        } else if (ts->pinned && !(o_allocated >> ts->reg & 1) &&
                   (ocons[o].regs >> ts->reg & 1)) {
            reg = ts->reg;      /* computed in its home: no input is there */
        } else if (popcount32(ocons[o].regs) == 1) {
            reg = __builtin_ctz(ocons[o].regs);
            if (s->reg_to_temp[reg] && s->reg_to_temp[reg] != ts) {
                temp_spill(s, s->reg_to_temp[reg]);
            }
        } else {
            reg = reg_alloc(s, ocons[o].regs, o_allocated);
        }
        new_args[o] = (TCGArg)reg;
        o_allocated |= 1u << reg;
        if (ts->pinned) {
            continue;           /* stays in its home: moved there after the op */
        }
        temp_set_reg(s, ts, reg);
        ts->mem_coherent = false;
    }

    for (int i = nb_o + nb_i; i < nb_o + nb_i + op->nb_cargs; i++) {
        new_args[i] = op->args[i];
    }
    if (op->opc == INDEX_op_guest_ld || op->opc == INDEX_op_guest_st) {
        ldst_sync_list(s, op);        /* the access may fault */
    }
    tcg_out_op(s, op->opc, op->type, new_args, const_args);

    for (int o = 0; o < nb_o; o++) {
        TCGTemp *ts = arg_temp(op->args[o]);
        if (ts->pinned) {
            if ((int)new_args[o] != ts->reg) {
                tcg_out_mov(s, ts->type, ts->reg, (int)new_args[o]);
            }
            ts->mem_coherent = false;
            continue;
        }
        tcg_reg_alloc_output_done(s, ts, life, o);
    }
}

/*
 * An op whose output X only feeds the next op, "mov P, X" into a pinned
 * global (X dies there): the op writes P itself and the move goes.  The
 * value is then computed in P's register, in place for a two-address op
 * on P (the optimizer leaves such moves reading the block's temp).
 */
static void fold_pinned_mov(TCGContext *s, TCGOp *op)
{
    TCGOp *mov = op->next;

    if (!mov || mov->opc != INDEX_op_mov || !(mov->life & DEAD_ARG(1)) ||
        !arg_temp(mov->args[0])->pinned) {
        return;
    }
    for (int o = 0; o < op->nb_oargs; o++) {
        if (op->args[o] == mov->args[1] && arg_temp(op->args[o])->kind == TEMP_EBB &&
            !(op->life & (DEAD_ARG(o) | SYNC_ARG(o))) && op->type == mov->type) {
            op->args[o] = mov->args[0];
            tcg_op_remove(s, mov);
            return;
        }
    }
}

static void tcg_reg_alloc_label(TCGContext *s, TCGLabel *l)
{
    tcg_reg_alloc_bb_end(s, false);
    /* a pinned global may arrive dirty by any path to the label */
    for (int i = 0; i < s->nb_globals; i++) {
        if (s->temps[i].pinned) {
            s->temps[i].mem_coherent = false;
        }
    }
    l->has_value = true;
    l->value_ptr = s->code_ptr;
    for (int i = 0; i < l->nb_relocs; i++) {
        tcg_target_patch_rel32(l->relocs[i].ptr, l->value_ptr);
    }
    l->nb_relocs = 0;
}

bool tcg_reg_alloc_code(TCGContext *s, TranslationBlock *tb)
{
    (void)tb;
    memset(s->reg_to_temp, 0, sizeof(s->reg_to_temp));
    s->frame_next = 0;
    s->nb_frame_free = 0;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_FIXED:
            ts->val_type = TEMP_VAL_REG;
            ts->reg = TCG_AREG0;
            break;
        case TEMP_GLOBAL:
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_coherent = true;
            if (ts->pinned) {
                /* loaded once, before the loop's label */
                ts->val_type = TEMP_VAL_REG;
                s->reg_to_temp[ts->reg] = ts;
                tcg_out_ld(s, ts->type, ts->reg, TCG_AREG0, ts->mem_offset);
            }
            break;
        case TEMP_CONST:
            ts->val_type = TEMP_VAL_CONST;
            break;
        case TEMP_TB:
        case TEMP_EBB:
            ts->val_type = TEMP_VAL_DEAD;
            ts->mem_allocated = false;
            ts->mem_base = NULL;
            break;
        }
    }

    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (s->code_ptr + TCG_HIGHWATER > s->code_end) {
            return false;
        }
        if (s->pinned_regs && op->opc != INDEX_op_mov && op->nb_oargs) {
            fold_pinned_mov(s, op);
        }
        switch (op->opc) {
        case INDEX_op_insn_start:
            assert(s->icount < TCG_MAX_INSNS);
            if (s->icount) {
                s->insn_end_off[s->icount - 1] = (uint16_t)tcg_current_code_size(s);
            }
            s->insn_data[s->icount][0] = op->args[0];
            s->insn_data[s->icount][1] = op->args[1];
            s->icount++;
            break;
        case INDEX_op_set_label:
            tcg_reg_alloc_label(s, arg_label(op->args[0]));
            break;
        case INDEX_op_mov:
            tcg_reg_alloc_mov(s, op);
            break;
        case INDEX_op_call:
            tcg_reg_alloc_call(s, op);
            break;
        default:
            tcg_reg_alloc_op(s, op);
            break;
        }
    }
    if (s->icount) {
        s->insn_end_off[s->icount - 1] = (uint16_t)tcg_current_code_size(s);
    }
    return true;
}
