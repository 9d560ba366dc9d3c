/*
 * tcg.c: the TCG core: contexts, temporaries, labels, the op list, the IR
 * dump and tcg_gen_code, which drives optimise -> liveness -> allocate+emit.
 *
 * Invariants: globals are registered before any block temp (temps[] is
 * globals first); constants are interned per block in const_hash, so two
 * tcg_constant_i64(5) in a block are the same temp; tcg_func_start drops
 * every block temp, op and label but keeps globals.
 * Locking: tcg_ctx is thread-local; the process-wide state here (the
 * prologue's entry point, the epilogue address) is written once by
 * tcg_init before any thread translates.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "util/perfmap.h"
#include "tcg/tcg-runtime.h"
#include "tcg/tcg-internal.h"

__thread TCGContext *tcg_ctx;
__thread TCGv_ptr tcg_env;

const void *tcg_code_gen_epilogue;
static const void *tcg_prologue_entry;

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(n, o, i, c, f) [INDEX_op_##n] = { #n, o, i, c, f },
#include "tcg/tcg-opc.def"
#undef DEF
};

/* ---- init --------------------------------------------------------------- */

int tcg_init(size_t code_size, Error **errp)
{
    TCGContext tmp = { 0 };
    uint8_t *start, *end;
    int ret;

    assert(!tcg_prologue_entry);
    ret = tcg_region_init(code_size, errp);
    if (ret < 0) {
        return ret;
    }
    tcg_region_begin(&start, &end);
    tmp.code_buf = tmp.code_ptr = start;
    tmp.code_end = end;
    tcg_target_emit_prologue(&tmp, &tcg_prologue_entry, &tcg_code_gen_epilogue);
    tcg_region_flush_icache(start, tcg_current_code_size(&tmp));
    tcg_region_end(tcg_current_code_size(&tmp));
    tcg_region_commit_prologue(tcg_current_code_size(&tmp));
    perfmap_add(tcg_rw_to_rx(start), tcg_current_code_size(&tmp), "tcg-prologue");
    if (log_enabled(LOG_OUT_ASM)) {
        FILE *f = log_file();
        fprintf(f, "PROLOGUE: [size=%zu]\n", tcg_current_code_size(&tmp));
        disas_host(f, tcg_rw_to_rx(start), tcg_current_code_size(&tmp));
        fprintf(f, "\n");
    }
    return 0;
}

void tcg_patch_rel32_field(uint8_t *rw, const uint8_t *target_rw)
{
    intptr_t disp = target_rw - (rw + 4);
    int32_t d = (int32_t)disp;

    assert(disp == d);
    memcpy(rw, &d, 4);
}

void tcg_out_jmp_rel32_field(TCGContext *s, unsigned slot)
{
    assert(((uintptr_t)tcg_rw_to_rx(s->code_ptr) & 3) == 0);
    s->jmp_insn_offset[slot] = (uint16_t)tcg_current_code_size(s);
    tcg_out32(s, 0);        /* initially: fall through to the exit path */
    s->jmp_reset_offset[slot] = (uint16_t)tcg_current_code_size(s);
}

void tcg_patch_jmp_rel32(const TranslationBlock *tb, int n, uintptr_t addr)
{
    uintptr_t field = (uintptr_t)tb->tc_ptr + tb->jmp_insn_offset[n];
    intptr_t disp = (intptr_t)addr - (intptr_t)(field + 4);

    assert(disp == (int32_t)disp);
    assert((field & 3) == 0);
    tcg_region_patch32(tcg_rx_to_rw((const void *)field), (uint32_t)disp);
}

uintptr_t tcg_tb_exec(void *env, const void *tc_ptr)
{
    return tcg_target_exec(tcg_prologue_entry, env, tc_ptr);
}

static TCGTemp *tcg_temp_alloc(TCGContext *s)
{
    TCGTemp *t;

    assert(s->nb_temps < TCG_MAX_TEMPS);
    t = &s->temps[s->nb_temps++];
    memset(t, 0, sizeof(*t));
    t->prev_copy = t->next_copy = t;    /* the optimizer's copy ring */
    return t;
}

static TCGTemp *tcg_global_alloc(TCGContext *s)
{
    assert(s->nb_temps == s->nb_globals);   /* globals come first */
    s->nb_globals++;
    return tcg_temp_alloc(s);
}

TCGContext *tcg_context_create(void)
{
    TCGContext *s = tern_malloc0(sizeof(*s));
    TCGTemp *env;

    s->temps = tern_malloc0(sizeof(TCGTemp) * TCG_MAX_TEMPS);
    env = tcg_global_alloc(s);
    env->kind = TEMP_FIXED;
    env->type = TCG_TYPE_PTR;
    env->name = "env";
    env->reg = TCG_AREG0;
    env->temp_allocated = true;
    tcg_ctx = s;
    tcg_env = temp_tcgv_i64(env);
    tcg_func_start(s);
    return s;
}

void tcg_set_tlb_offset(TCGContext *s, intptr_t tlb_offset)
{
    s->tlb_offset = tlb_offset;
}

static TCGTemp *tcg_global_mem_new(TCGType type, intptr_t offset, const char *name)
{
    TCGContext *s = tcg_ctx;
    TCGTemp *t = tcg_global_alloc(s);

    t->kind = TEMP_GLOBAL;
    t->type = type;
    t->name = name;
    t->mem_base = &s->temps[0];
    t->mem_offset = offset;
    t->mem_allocated = true;
    t->temp_allocated = true;
    return t;
}

TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name)
{
    return temp_tcgv_i64(tcg_global_mem_new(TCG_TYPE_I64, offset, name));
}

TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name)
{
    return temp_tcgv_i32(tcg_global_mem_new(TCG_TYPE_I32, offset, name));
}

/* ---- block temps ---------------------------------------------------------- */

static TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind)
{
    TCGContext *s = tcg_ctx;
    TCGTemp **list = &s->free_temps[kind == TEMP_TB][type];
    TCGTemp *t = *list;

    if (t) {
        *list = t->next_free;
        t->next_free = NULL;
    } else {
        t = tcg_temp_alloc(s);
        t->kind = kind;
        t->type = type;
    }
    t->temp_allocated = true;
    return t;
}

TCGv_i64 tcg_temp_new_i64(void) { return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB)); }
TCGv_i32 tcg_temp_new_i32(void) { return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_EBB)); }
TCGv_i64 tcg_temp_local_new_i64(void) { return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB)); }
TCGv_i32 tcg_temp_local_new_i32(void) { return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB)); }

static void tcg_temp_free_internal(TCGTemp *t)
{
    TCGContext *s = tcg_ctx;
    TCGTemp **list;

    if (t->kind != TEMP_EBB && t->kind != TEMP_TB) {
        return;     /* constants and globals are never freed */
    }
    assert(t->temp_allocated);
    t->temp_allocated = false;
    list = &s->free_temps[t->kind == TEMP_TB][t->type];
    t->next_free = *list;
    *list = t;
}

void tcg_temp_free_i64(TCGv_i64 t) { tcg_temp_free_internal(tcgv_i64_temp(t)); }
void tcg_temp_free_i32(TCGv_i32 t) { tcg_temp_free_internal(tcgv_i32_temp(t)); }

TCGTemp *tcg_constant_internal(TCGType type, int64_t val)
{
    TCGContext *s = tcg_ctx;
    unsigned h;
    TCGTemp *t;

    val = tcg_const_norm(type, val);
    h = (unsigned)(((uint64_t)val * 0x9e3779b97f4a7c15ull) >> 56) ^ type;
    h &= ARRAY_SIZE(s->const_hash) - 1;
    for (t = s->const_hash[h]; t; t = t->next_free) {
        if (t->type == type && t->val == val) {
            return t;
        }
    }
    t = tcg_temp_alloc(s);
    t->kind = TEMP_CONST;
    t->type = type;
    t->val = val;
    t->opt_const = true;
    t->opt_val = val;
    t->temp_allocated = true;
    t->next_free = s->const_hash[h];
    s->const_hash[h] = t;
    return t;
}

TCGv_i64 tcg_constant_i64(int64_t v) { return temp_tcgv_i64(tcg_constant_internal(TCG_TYPE_I64, v)); }
TCGv_i32 tcg_constant_i32(int32_t v) { return temp_tcgv_i32(tcg_constant_internal(TCG_TYPE_I32, v)); }

/* ---- labels ---------------------------------------------------------------- */

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l;

    if (s->nb_labels == s->cap_labels) {
        s->cap_labels = s->cap_labels ? s->cap_labels * 2 : 32;
        s->label_pool = tern_realloc(s->label_pool, sizeof(*s->label_pool) * s->cap_labels);
        for (int i = s->nb_labels; i < s->cap_labels; i++) {
            s->label_pool[i] = tern_malloc0(sizeof(TCGLabel));
        }
    }
    l = s->label_pool[s->nb_labels];
    l->id = s->nb_labels++;
    l->has_value = false;
    l->forward = NULL;
    l->value_ptr = NULL;
    l->nb_relocs = 0;
    return l;
}

void tcg_out_reloc(TCGContext *s, uint8_t *ptr, TCGLabel *l)
{
    if (l->has_value) {
        tcg_target_patch_rel32(ptr, l->value_ptr);
        return;
    }
    if (l->nb_relocs == l->cap_relocs) {
        l->cap_relocs = l->cap_relocs ? l->cap_relocs * 2 : 4;
        l->relocs = tern_realloc(l->relocs, sizeof(*l->relocs) * l->cap_relocs);
    }
    l->relocs[l->nb_relocs++].ptr = ptr;
}

TCGLdstLabel *tcg_new_ldst_label(TCGContext *s)
{
    if (s->nb_ldst == s->cap_ldst) {
        s->cap_ldst = s->cap_ldst ? s->cap_ldst * 2 : 32;
        s->ldst = tern_realloc(s->ldst, sizeof(*s->ldst) * s->cap_ldst);
    }
    memset(&s->ldst[s->nb_ldst], 0, sizeof(TCGLdstLabel));
    s->ldst[s->nb_ldst].nb_sync = (uint8_t)s->nb_ldst_sync;
    memcpy(s->ldst[s->nb_ldst].sync, s->ldst_sync, sizeof(TCGLdstSync) * s->nb_ldst_sync);
    s->nb_ldst_sync = 0;
    return &s->ldst[s->nb_ldst++];
}

/* ---- the op list ------------------------------------------------------------ */

static TCGOp *tcg_op_alloc(TCGContext *s)
{
    TCGOp *op;

    if (s->nb_ops_used == s->cap_ops) {
        s->cap_ops = s->cap_ops ? s->cap_ops * 2 : 256;
        s->op_pool = tern_realloc(s->op_pool, sizeof(*s->op_pool) * s->cap_ops);
        for (int i = s->nb_ops_used; i < s->cap_ops; i++) {
            s->op_pool[i] = tern_malloc0(sizeof(TCGOp));
        }
    }
    op = s->op_pool[s->nb_ops_used++];
    memset(op, 0, sizeof(*op));
    return op;
}

static void tcg_op_init(TCGOp *op, TCGOpcode opc, TCGType type)
{
    const TCGOpDef *def = &tcg_op_defs[opc];

    op->opc = opc;
    op->type = type;
    op->nb_oargs = def->nb_oargs;
    op->nb_iargs = def->nb_iargs;
    op->nb_cargs = def->nb_cargs;
}

/* A new op linked in after prev (NULL: at the head of the list). */
static TCGOp *tcg_op_new_after(TCGContext *s, TCGOp *prev, TCGOpcode opc, TCGType type)
{
    TCGOp *op = tcg_op_alloc(s);
    TCGOp *next = prev ? prev->next : s->first_op;

    tcg_op_init(op, opc, type);
    op->prev = prev;
    op->next = next;
    if (next) {
        next->prev = op;
    } else {
        s->last_op = op;
    }
    if (prev) {
        prev->next = op;
    } else {
        s->first_op = op;
    }
    s->nb_ops++;
    return op;
}

/* Append an op; the caller fills args[] (and, for calls, the counts). */
TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nb_args)
{
    (void)nb_args;
    return tcg_op_new_after(tcg_ctx, tcg_ctx->last_op, opc, type);
}

TCGOp *tcg_op_insert_after(TCGContext *s, TCGOp *old, TCGOpcode opc, int nb_args)
{
    (void)nb_args;
    return tcg_op_new_after(s, old, opc, old->type);
}

TCGOp *tcg_last_op(void)
{
    return tcg_ctx->last_op;
}

void tcg_op_set_input_const(TCGOp *op, unsigned i, int64_t v)
{
    assert(i < op->nb_iargs);
    op->args[op->nb_oargs + i] = temp_arg(tcg_constant_internal(op->type, v));
}

/* Put a new op at the head of the list (the label of a loop's start). */
TCGOp *tcg_op_insert_first(TCGContext *s, TCGOpcode opc)
{
    return tcg_op_new_after(s, NULL, opc, TCG_TYPE_I64);
}

void tcg_op_remove(TCGContext *s, TCGOp *op)
{
    if (op->prev) {
        op->prev->next = op->next;
    } else {
        s->first_op = op->next;
    }
    if (op->next) {
        op->next->prev = op->prev;
    } else {
        s->last_op = op->prev;
    }
    s->nb_ops--;
}

void tcg_func_start(TCGContext *s)
{
    s->nb_temps = s->nb_globals;
    memset(s->free_temps, 0, sizeof(s->free_temps));
    memset(s->const_hash, 0, sizeof(s->const_hash));
    s->first_op = s->last_op = NULL;
    s->nb_ops_used = 0;
    s->nb_ops = 0;
    s->nb_labels = 0;
    s->nb_ldst = 0;
    s->tb_start = NULL;
    s->loops = false;
    s->pinned_regs = 0;
    for (int i = 0; i < s->nb_globals; i++) {
        s->temps[i].pinned = false;
    }
}

/* ---- conditions --------------------------------------------------------------- */

TCGCond tcg_swap_cond(TCGCond c)
{
    /* Swapping operands exchanges "less" and "greater"; EQ/NE keep. */
    switch (c) {
    case TCG_COND_LT:  return TCG_COND_GT;
    case TCG_COND_GT:  return TCG_COND_LT;
    case TCG_COND_LE:  return TCG_COND_GE;
    case TCG_COND_GE:  return TCG_COND_LE;
    case TCG_COND_LTU: return TCG_COND_GTU;
    case TCG_COND_GTU: return TCG_COND_LTU;
    case TCG_COND_LEU: return TCG_COND_GEU;
    case TCG_COND_GEU: return TCG_COND_LEU;
    default:           return c;
    }
}

const char *tcg_cond_name(TCGCond c)
{
    switch (c) {
    case TCG_COND_NEVER:  return "never";
    case TCG_COND_ALWAYS: return "always";
    case TCG_COND_EQ:     return "eq";
    case TCG_COND_NE:     return "ne";
    case TCG_COND_LT:     return "lt";
    case TCG_COND_GE:     return "ge";
    case TCG_COND_LE:     return "le";
    case TCG_COND_GT:     return "gt";
    case TCG_COND_LTU:    return "ltu";
    case TCG_COND_GEU:    return "geu";
    case TCG_COND_LEU:    return "leu";
    case TCG_COND_GTU:    return "gtu";
    }
    return "?";
}

/* ---- dump ------------------------------------------------------------------------ */

static void tcg_temp_name(TCGContext *s, TCGTemp *t, char *buf, size_t len)
{
    int idx = temp_idx(s, t);

    switch (t->kind) {
    case TEMP_FIXED:
    case TEMP_GLOBAL:
        snprintf(buf, len, "%s", t->name);
        break;
    case TEMP_TB:
        snprintf(buf, len, "loc%d", idx - s->nb_globals);
        break;
    case TEMP_EBB:
        snprintf(buf, len, "tmp%d", idx - s->nb_globals);
        break;
    case TEMP_CONST:
        snprintf(buf, len, "$0x%" PRIx64,
                 t->type == TCG_TYPE_I32 ? (uint64_t)(uint32_t)t->val : (uint64_t)t->val);
        break;
    }
}

static void tcg_dump_op(TCGContext *s, FILE *f, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_targs = op->nb_oargs + op->nb_iargs;
    char buf[64];
    int k = 0;

    if (op->opc == INDEX_op_insn_start) {
        fprintf(f, " ---- %016" PRIx64 " %016" PRIx64 "\n",
                (uint64_t)op->args[0], (uint64_t)op->args[1]);
        return;
    }
    if (op->opc == INDEX_op_call) {
        const TCGHelperInfo *info = (const TCGHelperInfo *)op->args[nb_targs];
        fprintf(f, " call %s,$0x%x,$%d", info->name, info->flags, op->nb_oargs);
        for (int i = 0; i < nb_targs; i++) {
            tcg_temp_name(s, arg_temp(op->args[i]), buf, sizeof(buf));
            fprintf(f, ",%s", buf);
        }
        fprintf(f, "\n");
        return;
    }
    if (def->flags & TCG_OPF_TYPED) {
        fprintf(f, " %s_%s ", def->name, op->type == TCG_TYPE_I32 ? "i32" : "i64");
    } else {
        fprintf(f, " %s ", def->name);
    }
    for (int i = 0; i < nb_targs; i++) {
        tcg_temp_name(s, arg_temp(op->args[i]), buf, sizeof(buf));
        fprintf(f, "%s%s", k++ ? "," : "", buf);
    }
    for (int i = 0; i < op->nb_cargs; i++) {
        TCGArg a = op->args[nb_targs + i];
        const char *sep = k++ ? "," : "";

        switch (op->opc) {
        case INDEX_op_brcond:
            if (i == 0) {
                fprintf(f, "%s%s", sep, tcg_cond_name((TCGCond)a));
            } else {
                fprintf(f, "%s$L%d", sep, arg_label(a)->id);
            }
            break;
        case INDEX_op_setcond:
        case INDEX_op_movcond:
            fprintf(f, "%s%s", sep, tcg_cond_name((TCGCond)a));
            break;
        case INDEX_op_set_label:
        case INDEX_op_br:
            fprintf(f, "%s$L%d", sep, arg_label(a)->id);
            break;
        case INDEX_op_guest_ld:
        case INDEX_op_guest_st: {
            MemOp mop = get_memop((MemOpIdx)a);
            static const char sz[4] = { 'b', 'w', 'l', 'q' };
            fprintf(f, "%s%c%c,%u", sep, (mop & MO_SIGN) ? 's' : 'u',
                    sz[mop & MO_SIZE], get_mmuidx((MemOpIdx)a));
            break;
        }
        default:
            fprintf(f, "%s$0x%" PRIx64, sep, (uint64_t)a);
            break;
        }
    }
    fprintf(f, "\n");
}

void tcg_dump_ops(TCGContext *s, FILE *f)
{
    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (op->opc == INDEX_op_set_label) {
            fprintf(f, "set_label $L%d\n", arg_label(op->args[0])->id);
            continue;
        }
        tcg_dump_op(s, f, op);
    }
}

/* ---- code generation --------------------------------------------------------------- */

int tcg_gen_code(TCGContext *s, TranslationBlock *tb)
{
    uint8_t *start, *end;
    size_t size;
    bool ok;

    if (log_enabled_pc(LOG_OP, tb->pc)) {
        FILE *f = log_file();
        fprintf(f, "OP:\n");
        tcg_dump_ops(s, f);
        fprintf(f, "\n");
    }
    if (s->loops) {
        tcg_pin_loop_globals(s);
    }
    tcg_optimize(s);
    tcg_liveness_analysis(s);
    if (log_enabled_pc(LOG_OP_OPT, tb->pc)) {
        FILE *f = log_file();
        fprintf(f, "OP after optimization and liveness analysis:\n");
        tcg_dump_ops(s, f);
        fprintf(f, "\n");
    }

    tcg_region_begin(&start, &end);
    s->code_buf = s->code_ptr = start;
    s->code_end = end;
    s->nb_ldst = 0;
    s->icount = 0;
    s->jmp_insn_offset[0] = s->jmp_insn_offset[1] = 0xffff;
    s->jmp_reset_offset[0] = s->jmp_reset_offset[1] = 0xffff;

    ok = tcg_reg_alloc_code(s, tb) && tcg_out_ldst_finalize(s);
    size = tcg_current_code_size(s);
    if (!ok || s->code_ptr > s->code_end) {
        tcg_region_end(0);
        return -1;
    }
    if (size > UINT16_MAX) {
        /* Offsets in the TB are 16 bits: the front end made too big a
         * block.  Report its instruction count so the caller can retry
         * with fewer. */
        tcg_region_end(0);
        tb->icount = (uint16_t)s->icount;
        return -2;
    }
    tcg_region_flush_icache(start, size);
    tcg_region_end(size);

    tb->tc_ptr = tcg_rw_to_rx(start);
    tb->tc_size = (uint32_t)size;
    for (int i = 0; i < 2; i++) {
        tb->jmp_insn_offset[i] = s->jmp_insn_offset[i];
        tb->jmp_reset_offset[i] = s->jmp_reset_offset[i];
        tb->jmp_target_addr[i] = s->jmp_reset_offset[i] != 0xffff
            ? (uintptr_t)tb->tc_ptr + s->jmp_reset_offset[i] : 0;
    }
    tb->icount = (uint16_t)s->icount;
    tb->loops = s->loops;
    tb->insn_end_off = tern_malloc0(sizeof(uint16_t) * (s->icount ? s->icount : 1));
    tb->insn_data = tern_malloc0(sizeof(uint64_t[2]) * (s->icount ? s->icount : 1));
    memcpy(tb->insn_end_off, s->insn_end_off, sizeof(uint16_t) * s->icount);
    memcpy(tb->insn_data, s->insn_data, sizeof(uint64_t[2]) * s->icount);

    if (log_enabled_pc(LOG_OUT_ASM, tb->pc)) {
        FILE *f = log_file();
        fprintf(f, "OUT: [size=%zu]\n", size);
        disas_host(f, tb->tc_ptr, size);
        fprintf(f, "\n");
    }
    return (int)size;
}
