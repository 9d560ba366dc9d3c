/*
 * translate-region.c: blocks that hold loops of several basic blocks.
 *
 * A block ends at its jumps, normally: a chained goto_tb per target, each
 * crossing saving the guest registers the block changed and reloading
 * those the next one reads.  A region keeps the loops reachable from the
 * block's start inside it instead: x86_region_scan decodes ahead (decode
 * only, no code) along the direct jumps on the block's page, finds the
 * jump targets that lie on a cycle and can be reached from the start
 * through such targets, and allows those.  A direct jump to an allowed
 * target branches to a label where the target is translated once (its own
 * "path" of instructions, up to the next jump); other jumps leave as
 * before.  A branch to a label already placed may close a loop: it checks
 * exit_request first and leaves with rip at the target when set.  The
 * block pins its loops' most used globals in host registers
 * (tcg_gen_br_loop, tcg/regalloc.c), so an iteration of a nested loop
 * runs without env traffic for them.
 *
 * Loops are the criterion so that code reached once (a switch case after
 * an indirect jump, the code after a loop) stays out: translated once per
 * block, not once per block that could reach it.  A loop back to the
 * block's own start is tcg_gen_br_tb_start's, as in a one-path block.
 *
 * Flags: each label starts with the cc_op all branches into it agree on;
 * a label whose code sets the flags before reading them takes any
 * (CC_OP_DYNAMIC: each branch stored its own), and a branch placed after
 * a label whose code needs another cc_op leaves the block instead.
 */
#include "target-x86/translate.h"

/* Decoding ahead stops after this many instructions. */
#define X86_REGION_SCAN_INSNS 256

typedef struct RegionNode {
    uint64_t pc;
    uint32_t succ;          /* bit mask of successor nodes */
} RegionNode;

/* The node of pc in node[], added when new; -1 when there is no room. */
static int region_node(RegionNode *node, int *count, uint64_t pc)
{
    for (int i = 0; i < *count; i++) {
        if (node[i].pc == pc) {
            return i;
        }
    }
    if (*count == X86_REGION_MAX) {
        return -1;
    }
    node[*count] = (RegionNode){ .pc = pc };
    return (*count)++;
}

static void region_edge(DisasContext *s, RegionNode *node, int *count, int from, uint64_t dest)
{
    int to;

    if (dest >= s->tb->pc && x86_in_block_page(s, dest) && x86_dest_ok(s, dest) &&
        (to = region_node(node, count, dest)) >= 0) {
        node[from].succ |= 1u << to;
    }
}

/* Instructions after which the translator does not go on linearly. */
static bool region_path_ends(X86InsnKind kind)
{
    switch (kind) {
    case X86_INSN_CALL: case X86_INSN_CALL_IND: case X86_INSN_RET: case X86_INSN_JMP_IND:
    case X86_INSN_INT: case X86_INSN_INT3: case X86_INSN_IRET: case X86_INSN_HLT:
    case X86_INSN_UD2: case X86_INSN_INVALID:
        return true;
    default:
        return false;
    }
}

void x86_region_scan(DisasContext *s, X86CodeFetch *fetch, int max_insns)
{
    RegionNode node[X86_REGION_MAX];
    uint32_t reach[X86_REGION_MAX], cycle = 0, allowed = 0, frontier;
    int count = 1, budget = MIN(max_insns, X86_REGION_SCAN_INSNS);

    node[0] = (RegionNode){ .pc = s->tb->pc };
    for (int i = 0; i < count && budget > 0; i++) {
        uint64_t pc = node[i].pc;

        while (budget-- > 0) {
            X86DecodedInsn d;
            int len;

            s->pc = pc;
            len = x86_decode_at(s, fetch, pc == s->tb->pc, &d);
            if (len <= 0) {
                break;
            }
            s->pc_next = pc + (unsigned)len;
            if (d.e.kind == X86_INSN_JCC || d.e.kind == X86_INSN_JMP ||
                d.e.kind == X86_INSN_LOOP || d.e.kind == X86_INSN_JRCXZ) {
                region_edge(s, node, &count, i, x86_jump_target(s, d.op[0].imm, d.ot));
                if (d.e.kind != X86_INSN_JMP) {
                    region_edge(s, node, &count, i, s->pc_next);
                }
                break;
            }
            if (region_path_ends(d.e.kind) || !x86_in_block_page(s, s->pc_next)) {
                break;
            }
            pc = s->pc_next;
        }
    }
    /* transitive closure (Warshall), then the nodes on a cycle */
    for (int i = 0; i < count; i++) {
        reach[i] = node[i].succ;
    }
    for (int k = 0; k < count; k++) {
        for (int i = 0; i < count; i++) {
            if (reach[i] >> k & 1) {
                reach[i] |= reach[k];
            }
        }
    }
    for (int i = 0; i < count; i++) {
        cycle |= (reach[i] >> i & 1u) << i;
    }
    /* those reachable from the start through such nodes */
    frontier = node[0].succ & cycle & ~1u;
    while (frontier) {
        int i = __builtin_ctz(frontier);
        frontier &= frontier - 1;
        allowed |= 1u << i;
        frontier |= node[i].succ & cycle & ~allowed & ~1u;
    }
    s->region_allowed_n = 0;
    for (int i = 1; i < count; i++) {
        if (allowed >> i & 1) {
            s->region_allowed[s->region_allowed_n++] = node[i].pc;
        }
    }
    s->region_ok = s->region_allowed_n > 0;
    s->pc = s->pc_next = s->tb->pc;
}

static bool region_allows(const DisasContext *s, uint64_t dest)
{
    for (int i = 0; i < s->region_allowed_n; i++) {
        if (s->region_allowed[i] == dest) {
            return true;
        }
    }
    return false;
}

/* A direct jump to dest as a branch inside the block; false when dest is
 * not a region label (the caller leaves the block). */
static bool gen_region_jump(DisasContext *s, uint64_t dest)
{
    X86RegionEntry *e = NULL;

    if (!s->region_ok || !region_allows(s, dest)) {
        return false;
    }
    for (int i = 0; i < s->region_n && !e; i++) {
        e = s->region[i].pc == dest ? &s->region[i] : NULL;
    }
    if (!e) {
        e = &s->region[s->region_n++];
        *e = (X86RegionEntry){ .pc = dest, .label = gen_new_label(), .cc_op = s->cc_op };
    } else if (e->cc_op != s->cc_op && e->cc_op != CC_OP_DYNAMIC) {
        if (e->placed) {
            return false;    /* its code assumes another cc_op */
        }
        e->cc_op = CC_OP_DYNAMIC;
    }
    gen_update_cc_op(s);
    if (e->placed) {
        if (!e->stop) {
            e->stop = gen_new_label();
        }
        gen_exit_request_check(e->stop);
        tcg_gen_br_loop(e->label);
    } else {
        tcg_gen_br(e->label);
    }
    s->is_jmp = DISAS_NORETURN;
    return true;
}

void gen_jump(DisasContext *s, uint64_t dest)
{
    if (!gen_region_jump(s, dest)) {
        gen_goto_tb(s, dest);
    }
}

/* Whether the code at a region label may read the flags it is entered
 * with: decoding ahead, up to the first instruction that sets them all
 * without reading them. */
static bool region_reads_entry_cc(DisasContext *s, X86CodeFetch *fetch, uint64_t pc)
{
    for (int i = 0; i < 4; i++) {
        X86DecodedInsn d;
        int len;

        s->pc = pc;
        len = x86_decode_at(s, fetch, false, &d);
        if (len <= 0) {
            return true;
        }
        switch (d.e.kind) {
        case X86_INSN_ADD: case X86_INSN_OR: case X86_INSN_AND: case X86_INSN_SUB:
        case X86_INSN_XOR: case X86_INSN_CMP: case X86_INSN_TEST: case X86_INSN_NEG:
            return false;
        case X86_INSN_MOV: case X86_INSN_MOVZX: case X86_INSN_MOVSX: case X86_INSN_LEA:
        case X86_INSN_PUSH: case X86_INSN_POP: case X86_INSN_NOP: case X86_INSN_NOT:
            pc += (unsigned)len;
            break;
        default:
            return true;
        }
    }
    return true;
}

bool x86_region_next(DisasContext *s, X86CodeFetch *fetch)
{
    X86RegionEntry *e = NULL;

    /* the latest not placed, so that it usually follows the branch to it */
    for (int i = s->region_n - 1; i >= 0 && !e; i--) {
        e = s->region[i].placed ? NULL : &s->region[i];
    }
    if (!e) {
        return false;
    }
    if (e->cc_op != CC_OP_DYNAMIC && !region_reads_entry_cc(s, fetch, e->pc)) {
        e->cc_op = CC_OP_DYNAMIC;
    }
    e->placed = true;
    gen_set_label(e->label);
    s->pc = s->pc_next = e->pc;
    s->cc_op = e->cc_op;
    s->cc_op_dirty = false;
    s->cc_srcT = NULL;
    s->is_jmp = DISAS_NEXT;
    return true;
}

void x86_region_finish(DisasContext *s)
{
    for (int i = 0; i < s->region_n; i++) {
        if (s->region[i].stop) {
            gen_set_label(s->region[i].stop);
            gen_store_rip(s, s->region[i].pc);
            tcg_gen_exit_tb(NULL, 0);
        }
    }
}
