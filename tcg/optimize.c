/*
 * optimize.c: a forward pass over the op list doing constant propagation and
 * folding, copy propagation, algebraic identities and folding of branches on
 * constant conditions, then the threading of branches through labels that
 * only branch on.  Dead code is removed later by liveness.
 *
 * Invariants: what is known about a temp (its constant value, the ring of
 * temps holding the same value) is only trusted inside one basic block: it
 * is dropped at every op that ends a basic block, for a temp when it is
 * written, and for all globals at a call that may write them.  Copies only
 * link temps of one type.
 */
#include "util/osdep.h"
#include "tcg/tcg-internal.h"

typedef struct OptState {
    TCGContext *s;
    TCGTemp **touched;         /* temps whose info is set, for a cheap reset */
    int nb_touched, cap_touched;
} OptState;

static void opt_touch(OptState *os, TCGTemp *t)
{
    if (t->opt_touched) {
        return;
    }
    if (os->nb_touched == os->cap_touched) {
        os->cap_touched = os->cap_touched ? os->cap_touched * 2 : 64;
        os->touched = tern_realloc(os->touched, sizeof(TCGTemp *) * os->cap_touched);
    }
    os->touched[os->nb_touched++] = t;
    t->opt_touched = true;
}

static void opt_init_temp(TCGTemp *t)
{
    t->opt_const = t->kind == TEMP_CONST;
    t->opt_val = t->val;
    t->opt_z32 = false;
    t->prev_copy = t->next_copy = t;
    t->opt_touched = false;
}

/* Forget what is known about t. */
static void opt_reset_temp(TCGTemp *t)
{
    t->prev_copy->next_copy = t->next_copy;
    t->next_copy->prev_copy = t->prev_copy;
    t->prev_copy = t->next_copy = t;
    t->opt_const = t->kind == TEMP_CONST;
    t->opt_z32 = false;
}

static void opt_reset_all(OptState *os)
{
    for (int i = 0; i < os->nb_touched; i++) {
        TCGTemp *t = os->touched[i];
        opt_reset_temp(t);
        t->opt_touched = false;
    }
    os->nb_touched = 0;
}

static void opt_reset_globals(OptState *os)
{
    for (int i = 0; i < os->s->nb_globals; i++) {
        if (os->s->temps[i].kind == TEMP_GLOBAL) {
            opt_reset_temp(&os->s->temps[i]);
        }
    }
}

static int opt_rank(TCGTemp *t)
{
    /* prefer the longest-lived copy */
    if (t->pinned) {
        return 3;       /* always in its register */
    }
    switch (t->kind) {
    case TEMP_CONST:  return 4;
    case TEMP_FIXED:  return 3;
    case TEMP_GLOBAL: return 2;
    case TEMP_TB:     return 1;
    default:          return 0;
    }
}

static TCGTemp *opt_best_copy(TCGTemp *t)
{
    TCGTemp *best = t;

    for (TCGTemp *i = t->next_copy; i != t; i = i->next_copy) {
        if (opt_rank(i) > opt_rank(best)) {
            best = i;
        }
    }
    return best;
}

/* The source for a move into a pinned global: a temp of the block if the
 * ring has one, so that the register allocator can compute the value
 * straight into the global's register (regalloc.c, fold_pinned_mov). */
static TCGTemp *opt_copy_for_pinned(TCGTemp *t)
{
    TCGTemp *i = t;

    do {
        if (i->kind == TEMP_EBB) {
            return i;
        }
        i = i->next_copy;
    } while (i != t);
    return opt_best_copy(t);
}

static bool opt_is_const(TCGArg a) { return arg_temp(a)->opt_const; }
static int64_t opt_val(TCGArg a) { return arg_temp(a)->opt_val; }

/* ---- folding ---------------------------------------------------------------- */

static uint64_t opt_bswap16(uint64_t x) { return ((x & 0xff) << 8) | ((x >> 8) & 0xff); }

/* Evaluate opc on constants; false if opc is not foldable here. */
static bool opt_eval(TCGOpcode opc, TCGType type, int64_t sx, int64_t sy, int64_t *res)
{
    uint64_t x = (uint64_t)sx, y = (uint64_t)sy, r;
    int bits = type == TCG_TYPE_I32 ? 32 : 64;
    unsigned sh = (unsigned)y & (bits - 1);

    if (type == TCG_TYPE_I32) {
        x = (uint32_t)x;
    }
    switch (opc) {
    case INDEX_op_mov:     r = x; break;
    case INDEX_op_add:     r = x + y; break;
    case INDEX_op_sub:     r = x - y; break;
    case INDEX_op_mul:     r = x * y; break;
    case INDEX_op_and:     r = x & y; break;
    case INDEX_op_or:      r = x | y; break;
    case INDEX_op_xor:     r = x ^ y; break;
    case INDEX_op_andc:    r = x & ~y; break;
    case INDEX_op_neg:     r = -x; break;
    case INDEX_op_not:     r = ~x; break;
    case INDEX_op_shl:     r = x << sh; break;
    case INDEX_op_shr:     r = x >> sh; break;
    case INDEX_op_sar:
        r = bits == 32 ? (uint64_t)((int32_t)x >> sh) : (uint64_t)((int64_t)x >> sh);
        break;
    case INDEX_op_rotl:
        r = sh ? (x << sh) | (x >> (bits - sh)) : x;
        break;
    case INDEX_op_rotr:
        r = sh ? (x >> sh) | (x << (bits - sh)) : x;
        break;
    case INDEX_op_ext8s:   r = (int8_t)x; break;
    case INDEX_op_ext8u:   r = (uint8_t)x; break;
    case INDEX_op_ext16s:  r = (int16_t)x; break;
    case INDEX_op_ext16u:  r = (uint16_t)x; break;
    case INDEX_op_ext32s:  r = (int32_t)x; break;
    case INDEX_op_ext32u:  r = (uint32_t)x; break;
    case INDEX_op_bswap16: r = opt_bswap16(x); break;
    case INDEX_op_bswap32: r = __builtin_bswap32((uint32_t)x); break;
    case INDEX_op_bswap64: r = __builtin_bswap64(x); break;
    case INDEX_op_ctpop:   r = __builtin_popcountll(x); break;
    case INDEX_op_extu_i32_i64: r = (uint32_t)sx; break;
    case INDEX_op_exts_i32_i64: r = (int32_t)sx; break;
    case INDEX_op_extrl_i64_i32: r = (uint32_t)sx; break;
    default:
        return false;
    }
    *res = tcg_const_norm(type, (int64_t)r);
    return true;
}

/* Turn op into "mov out, src". */
static void opt_make_mov(TCGOp *op, TCGTemp *src)
{
    TCGArg out = op->args[0];

    op->opc = INDEX_op_mov;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->nb_cargs = 0;
    op->args[0] = out;
    op->args[1] = temp_arg(src);
}

static void opt_make_movi(TCGOp *op, int64_t val)
{
    opt_make_mov(op, tcg_constant_internal(op->type, val));
}

static bool opt_is_commutative(TCGOpcode opc)
{
    return opc == INDEX_op_add || opc == INDEX_op_mul || opc == INDEX_op_and ||
           opc == INDEX_op_or || opc == INDEX_op_xor;
}

/* Algebraic identities with one constant (in args[2]) or equal inputs. */
static void opt_simplify(TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[1]), *b = arg_temp(op->args[2]);
    int64_t ones = op->type == TCG_TYPE_I32 ? (int64_t)-1 : -1;

    if (b->opt_const) {
        int64_t v = tcg_const_norm(op->type, b->opt_val);
        switch (op->opc) {
        case INDEX_op_add: case INDEX_op_sub: case INDEX_op_or: case INDEX_op_xor:
        case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
        case INDEX_op_rotl: case INDEX_op_rotr: case INDEX_op_andc:
            if (v == 0) {
                opt_make_mov(op, a);
            }
            return;
        case INDEX_op_and:
            if (v == ones) {
                opt_make_mov(op, a);
            } else if (v == 0) {
                opt_make_movi(op, 0);
            }
            return;
        case INDEX_op_mul:
            if (v == 1) {
                opt_make_mov(op, a);
            } else if (v == 0) {
                opt_make_movi(op, 0);
            }
            return;
        default:
            return;
        }
    }
    if (a == b) {
        switch (op->opc) {
        case INDEX_op_sub: case INDEX_op_xor: case INDEX_op_andc:
            opt_make_movi(op, 0);
            return;
        case INDEX_op_and: case INDEX_op_or:
            opt_make_mov(op, a);
            return;
        default:
            return;
        }
    }
}

/* Record the effect of "mov out, src" (after propagation). */
static void opt_record_mov(OptState *os, TCGTemp *out, TCGTemp *src)
{
    opt_reset_temp(out);
    opt_touch(os, out);
    out->opt_z32 = src->opt_z32;
    if (src->opt_const) {
        out->opt_const = true;
        out->opt_val = src->opt_val;
        return;
    }
    opt_touch(os, src);
    out->next_copy = src->next_copy;
    out->prev_copy = src;
    src->next_copy->prev_copy = out;
    src->next_copy = out;
}

/* Bits 63:32 of i64 temp t known zero: a constant, or a value one of its
 * copies got from a zero-extending op (so ext32u of it is a move) */
static bool opt_known_z32(TCGTemp *t)
{
    TCGTemp *i = t;

    if (t->opt_const) {
        return (uint64_t)t->opt_val >> 32 == 0;
    }
    do {
        if (i->opt_z32) {
            return true;
        }
        i = i->next_copy;
    } while (i != t);
    return false;
}

/* Does op's i64 output have bits 63:32 zero? */
static bool opt_makes_z32(const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_extu_i32_i64:
        return true;
    case INDEX_op_ext8u: case INDEX_op_ext16u: case INDEX_op_ext32u:
    case INDEX_op_ld8u: case INDEX_op_ld16u: case INDEX_op_ld32u:
        return op->type == TCG_TYPE_I64;
    case INDEX_op_guest_ld: {
        MemOp mop = get_memop((MemOpIdx)op->args[2]);
        return op->type == TCG_TYPE_I64 && (mop & MO_SIZE) <= MO_32 && !(mop & MO_SIGN);
    }
    default:
        return false;
    }
}

static bool opt_in_ring(TCGTemp *a, TCGTemp *b)
{
    for (TCGTemp *i = a->next_copy; i != a; i = i->next_copy) {
        if (i == b) {
            return true;
        }
    }
    return a == b;
}

/* Drop a reference to l; its label op goes with the last (label_op: where
 * it is set, if known). */
static void opt_label_unref(TCGContext *s, TCGLabel *l, TCGOp *label_op)
{
    if (--l->refs == 0 && label_op) {
        tcg_op_remove(s, label_op);
    }
}

/*
 * Branches, after the rest: a branch to a label whose only code is
 * "br L2" goes to L2 directly (a loop's conditional back edge, for one);
 * code that nothing reaches (after an unconditional branch or exit, up to
 * the next label branched to) goes, and so do labels no branch names;
 * "br L; L:" loses the br, and "brcond c, L1; br L2; L1:" becomes
 * "brcond !c, L2; L1:".  Fewer labels matter beyond the jumps: the
 * allocator syncs the globals at each.  Nothing is lost: the allocator
 * syncs at each branch what a label expects, and what it emits for a
 * label (the fall-through's spills) lies before the label's address.
 */
static void opt_branches(TCGContext *s)
{
    TCGOp *op, *next;
    bool dead = false;

    for (op = s->first_op; op; op = op->next) {
        if (op->opc == INDEX_op_set_label) {
            TCGLabel *l = arg_label(op->args[0]);
            l->forward = op->next && op->next->opc == INDEX_op_br ? arg_label(op->next->args[0]) : NULL;
            l->refs = 0;
        }
    }
    for (op = s->first_op; op; op = op->next) {
        int i = tcg_op_label_arg(op);
        TCGLabel *l;

        if (i < 0) {
            continue;
        }
        l = arg_label(op->args[i]);
        for (int hop = 0; hop < 4 && l->forward && l->forward != l; hop++) {
            l = l->forward;
        }
        op->args[i] = (TCGArg)l;
        l->refs++;
    }
    for (op = s->first_op; op; op = next) {
        next = op->next;
        if (op->opc == INDEX_op_set_label && arg_label(op->args[0])->refs) {
            dead = false;
        } else if (op->opc == INDEX_op_set_label || dead) {
            int i = tcg_op_label_arg(op);
            if (i >= 0) {
                opt_label_unref(s, arg_label(op->args[i]), NULL);
            }
            tcg_op_remove(s, op);
        } else {
            dead = op->opc == INDEX_op_br || op->opc == INDEX_op_exit_tb ||
                   op->opc == INDEX_op_goto_ptr;
        }
    }
    for (op = s->first_op; op; op = next) {
        TCGOp *br = op->opc == INDEX_op_brcond ? op->next : op;
        TCGOp *label = br && br->opc == INDEX_op_br ? br->next : NULL;

        next = op->next;
        if (!label || label->opc != INDEX_op_set_label) {
            continue;
        }
        if (op == br && arg_label(br->args[0]) == arg_label(label->args[0])) {
            next = label->next;
            tcg_op_remove(s, br);
            opt_label_unref(s, arg_label(label->args[0]), label);
        } else if (op != br && arg_label(op->args[3]) == arg_label(label->args[0])) {
            TCGLabel *l1 = arg_label(op->args[3]);
            next = label->next;
            op->args[2] = tcg_invert_cond((TCGCond)op->args[2]);
            op->args[3] = br->args[0];
            tcg_op_remove(s, br);
            opt_label_unref(s, l1, label);
        }
    }
}

void tcg_optimize(TCGContext *s)
{
    OptState os = { .s = s };
    TCGOp *op, *next;

    for (int i = 0; i < s->nb_temps; i++) {
        opt_init_temp(&s->temps[i]);
    }
    for (op = s->first_op; op; op = next) {
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
        TCGArg *args = op->args;
        int64_t r;

        next = op->next;

        /* propagate constants and copies into the inputs */
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *t = arg_temp(args[i]);
            if (t->opt_const && t->kind != TEMP_CONST) {
                args[i] = temp_arg(tcg_constant_internal(t->type, t->opt_val));
            } else if (t->next_copy != t && op->opc == INDEX_op_mov &&
                       arg_temp(args[0])->pinned) {
                args[i] = temp_arg(opt_copy_for_pinned(t));
            } else if (t->next_copy != t) {
                args[i] = temp_arg(opt_best_copy(t));
            }
        }

        /* canonical operand order: constant second */
        if (opt_is_commutative(op->opc) && opt_is_const(args[1]) && !opt_is_const(args[2])) {
            TCGArg tmp = args[1];
            args[1] = args[2];
            args[2] = tmp;
        }
        if ((op->opc == INDEX_op_brcond || op->opc == INDEX_op_setcond ||
             op->opc == INDEX_op_movcond) &&
            opt_is_const(args[nb_o]) && !opt_is_const(args[nb_o + 1])) {
            int ci = nb_o + nb_i;
            TCGArg tmp = args[nb_o];
            args[nb_o] = args[nb_o + 1];
            args[nb_o + 1] = tmp;
            args[ci] = tcg_swap_cond((TCGCond)args[ci]);
        }

        switch (op->opc) {
        case INDEX_op_mov:
            if (opt_in_ring(arg_temp(args[0]), arg_temp(args[1]))) {
                tcg_op_remove(s, op);      /* already holds that value */
                continue;
            }
            break;
        case INDEX_op_brcond:
            if (opt_is_const(args[0]) && opt_is_const(args[1])) {
                if (tcg_cond_eval(op->type, (TCGCond)args[2], opt_val(args[0]), opt_val(args[1]))) {
                    TCGLabel *l = arg_label(args[3]);
                    op->opc = INDEX_op_br;
                    op->nb_iargs = 0;
                    op->nb_cargs = 1;
                    args[0] = (TCGArg)l;
                } else {
                    tcg_op_remove(s, op);
                    continue;
                }
            }
            break;
        case INDEX_op_ext32u:
            if (op->type == TCG_TYPE_I64 && opt_known_z32(arg_temp(args[1]))) {
                opt_make_mov(op, arg_temp(args[1]));   /* already zero-extended */
            }
            break;
        case INDEX_op_setcond:
            if (opt_is_const(args[1]) && opt_is_const(args[2])) {
                opt_make_movi(op, tcg_cond_eval(op->type, (TCGCond)args[3],
                                                opt_val(args[1]), opt_val(args[2])));
            }
            break;
        case INDEX_op_movcond:
            if (opt_is_const(args[1]) && opt_is_const(args[2])) {
                bool c = tcg_cond_eval(op->type, (TCGCond)args[5], opt_val(args[1]), opt_val(args[2]));
                opt_make_mov(op, arg_temp(args[c ? 3 : 4]));
            } else if (args[3] == args[4]) {
                opt_make_mov(op, arg_temp(args[3]));
            }
            break;
        default:
            if (nb_o == 1 && nb_i >= 1 && nb_i <= 2 && def->nb_cargs == 0 &&
                op->opc != INDEX_op_call) {
                bool all_const = opt_is_const(args[1]) && (nb_i == 1 || opt_is_const(args[2]));
                if (all_const &&
                    opt_eval(op->opc, op->type, opt_val(args[1]),
                             nb_i == 2 ? opt_val(args[2]) : 0, &r)) {
                    opt_make_movi(op, r);
                } else if (nb_i == 2) {
                    opt_simplify(op);
                }
            }
            break;
        }

        /* record what the op's outputs now hold */
        if (op->opc == INDEX_op_mov) {
            TCGTemp *out = arg_temp(args[0]), *src = arg_temp(args[1]);
            if (out == src || opt_in_ring(out, src)) {
                tcg_op_remove(s, op);
                continue;
            }
            opt_record_mov(&os, out, src);
            continue;
        }
        for (int i = 0; i < op->nb_oargs; i++) {
            opt_reset_temp(arg_temp(args[i]));
        }
        if (op->nb_oargs && opt_makes_z32(op)) {
            arg_temp(args[0])->opt_z32 = true;
            opt_touch(&os, arg_temp(args[0]));
        }
        if (def->flags & TCG_OPF_BB_END) {
            opt_reset_all(&os);
        } else if (op->opc == INDEX_op_call) {
            const TCGHelperInfo *info = (const TCGHelperInfo *)args[nb_o + nb_i];
            if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                opt_reset_globals(&os);
            }
        }
    }
    /* leave the rings clean for the next pass */
    for (int i = 0; i < s->nb_temps; i++) {
        opt_init_temp(&s->temps[i]);
    }
    free(os.touched);
    opt_branches(s);
}
