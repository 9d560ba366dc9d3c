/*
 * translate-string.c: the string instructions (movs cmps stos lods scas,
 * and ins outs through the port I/O helpers) with their REP prefixes, and the other instructions that address through
 * rCX/rSI/rDI/rBX at the address size: loop/loopcc/jrcxz and xlat.
 *
 * Registers as addresses: rSI/rDI/rCX are used at the address size (67
 * prefix: ECX/ESI/EDI in 64-bit mode) and written back at that size (a
 * 32-bit write zero-extends, a 16-bit one merges).  The source segment is
 * DS or the override, the destination always ES.
 *
 * REP: a rep-prefixed string instruction ends its block and runs one pass
 * per block entry: if rCX is 0 go on to the next instruction, else do one
 * iteration (rep movs/stos: a helper doing a bounded chunk), decrement rCX,
 * and jump back to the same instruction unless rCX reached 0 or the
 * REPE/REPNE condition stops it.  The jump back is a chainable goto_tb to
 * the block itself, so the loop stays in generated code while every pass
 * still checks exit_request (interrupts, kicks).  rCX/rSI/rDI are written
 * after each iteration's memory accesses, so a fault leaves them at the
 * completed iterations with rip at the instruction: the restart is exact.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

/* The element size: the even opcodes (6c 6e a4 a6 aa ac ae) are the byte
 * forms; ins/outs have no 64-bit form (REX.W: 32 bits). */
static unsigned string_ot(X86DecodedInsn *d)
{
    unsigned io = d->e.kind == X86_INSN_INS || d->e.kind == X86_INSN_OUTS;

    return !(d->opcode & 1) ? MO_8 : (io && d->ot > MO_32) ? MO_32 : d->ot;
}

/* ins/outs: the port is DX, checked against IOPL and the TSS bitmap first */
static TCGv_i32 gen_string_port(DisasContext *s, unsigned ot)
{
    TCGv_i32 p = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(p, cpu_regs[R_EDX]);
    tcg_gen_andi_i32(p, p, 0xffff);
    gen_check_io(s, p, ot);
    return p;
}

/* Register reg as an address: zero-extended from the address size. */
static TCGv_i64 gen_areg(X86DecodedInsn *d, int reg)
{
    return gen_ext_tmp(d->aflag, cpu_regs[reg], false);
}

/* reg += delta at the address size. */
static void gen_areg_add(X86DecodedInsn *d, int reg, TCGv_i64 delta)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_add_i64(t, cpu_regs[reg], delta);
    gen_reg_st(d->aflag, reg, false, t);
}

static int string_src_seg(X86DecodedInsn *d)
{
    return d->seg >= 0 ? d->seg : R_DS;
}

/* The source (read) and destination addresses of an element of 1 << ot
 * bytes, limit- and type-checked where the segments may not be flat. */
static TCGv_i64 gen_src_addr(DisasContext *s, X86DecodedInsn *d, unsigned ot)
{
    TCGv_i64 off = gen_areg(d, R_ESI);

    gen_seg_check(s, off, string_src_seg(d), 1u << ot, false);
    return gen_seg_linear(s, off, string_src_seg(d));
}

static TCGv_i64 gen_dst_addr(DisasContext *s, X86DecodedInsn *d, unsigned ot, bool write)
{
    TCGv_i64 off = gen_areg(d, R_EDI);

    gen_seg_check(s, off, R_ES, 1u << ot, write);
    return gen_seg_linear(s, off, R_ES);
}

/* One iteration of the string instruction; cmps/scas set the flags. */
static void gen_string_once(DisasContext *s, X86DecodedInsn *d, unsigned ot)
{
    unsigned kind = d->e.kind;
    TCGv_i64 step = tcg_temp_new_i64(), v = tcg_temp_new_i64(), w;
    TCGv_i32 port;

    /* step = df << size, df = +1/-1 mirroring EFLAGS.DF */
    tcg_gen_ld32s_i64(step, tcg_env, offsetof(CPUX86State, df));
    tcg_gen_shli_i64(step, step, ot);

    switch (kind) {
    case X86_INSN_MOVS:
        tcg_gen_guest_ld_i64(v, gen_src_addr(s, d, ot), s->mmu_idx, (MemOp)ot);
        tcg_gen_guest_st_i64(v, gen_dst_addr(s, d, ot, true), s->mmu_idx, (MemOp)ot);
        gen_areg_add(d, R_ESI, step);
        gen_areg_add(d, R_EDI, step);
        break;
    case X86_INSN_STOS:
        tcg_gen_guest_st_i64(cpu_regs[R_EAX], gen_dst_addr(s, d, ot, true), s->mmu_idx,
                             (MemOp)ot);
        gen_areg_add(d, R_EDI, step);
        break;
    case X86_INSN_INS:
        gen_helper_in(v, tcg_env, gen_string_port(s, ot), tcg_constant_i32(1 << ot));
        tcg_gen_guest_st_i64(v, gen_dst_addr(s, d, ot, true), s->mmu_idx, (MemOp)ot);
        gen_areg_add(d, R_EDI, step);
        break;
    case X86_INSN_OUTS:
        port = gen_string_port(s, ot);  /* the check before the load */
        tcg_gen_guest_ld_i64(v, gen_src_addr(s, d, ot), s->mmu_idx, (MemOp)ot);
        gen_helper_out(tcg_env, port, v, tcg_constant_i32(1 << ot));
        gen_areg_add(d, R_ESI, step);
        break;
    case X86_INSN_LODS:
        tcg_gen_guest_ld_i64(v, gen_src_addr(s, d, ot), s->mmu_idx, (MemOp)ot);
        gen_reg_st(ot, R_EAX, false, v);
        gen_areg_add(d, R_ESI, step);
        break;
    case X86_INSN_SCAS:
        /* flags of rAX - [rDI] */
        tcg_gen_guest_ld_i64(v, gen_dst_addr(s, d, ot, false), s->mmu_idx, (MemOp)ot);
        tcg_gen_sub_i64(cpu_cc_dst, cpu_regs[R_EAX], v);
        tcg_gen_mov_i64(cpu_cc_src, v);
        gen_areg_add(d, R_EDI, step);
        set_cc_op(s, CC_OP_SUBB + ot);
        break;
    default:
        /* cmps: flags of [rSI] - [rDI] */
        w = tcg_temp_new_i64();
        tcg_gen_guest_ld_i64(v, gen_src_addr(s, d, ot), s->mmu_idx, (MemOp)ot);
        tcg_gen_guest_ld_i64(w, gen_dst_addr(s, d, ot, false), s->mmu_idx, (MemOp)ot);
        tcg_gen_sub_i64(cpu_cc_dst, v, w);
        tcg_gen_mov_i64(cpu_cc_src, w);
        gen_areg_add(d, R_ESI, step);
        gen_areg_add(d, R_EDI, step);
        set_cc_op(s, CC_OP_SUBB + ot);
        break;
    }
}

/* The helper's descriptor of a rep movs/stos (X86_REP_* in helper.h). */
static uint32_t rep_desc(DisasContext *s, X86DecodedInsn *d, unsigned ot)
{
    int seg = d->seg >= 0 ? d->seg : R_DS;
    bool es_base = !s->code64 && (s->flags & HF_ADDSEG_MASK);

    /* as gen_seg_linear: which bases count in this mode */
    if (s->code64 ? (seg != R_FS && seg != R_GS)
                  : (!(s->flags & HF_ADDSEG_MASK) &&
                     (seg == R_DS || seg == R_ES || seg == R_SS))) {
        seg = X86_REP_SEG_NONE;
    }
    return ot | (uint32_t)d->aflag << X86_REP_ASIZE_SHIFT | (uint32_t)seg << X86_REP_SEG_SHIFT |
           (d->e.kind == X86_INSN_STOS ? X86_REP_STOS : 0) | (es_base ? X86_REP_ES_BASE : 0) |
           (s->code64 ? 0 : X86_REP_ADDR32) | (uint32_t)s->mmu_idx << X86_REP_MMU_SHIFT;
}

void gen_STRING(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = string_ot(d), kind = d->e.kind;
    bool cond = kind == X86_INSN_CMPS || kind == X86_INSN_SCAS;
    TCGLabel *done;
    TCGv_i64 t;

    if (!(d->prefixes & (X86_PFX_REPZ | X86_PFX_REPNZ))) {
        gen_string_once(s, d, ot);
        if (kind == X86_INSN_INS || kind == X86_INSN_OUTS) {
            gen_io_breakpoint(s, d, NULL, ot, false);
            s->is_jmp = DISAS_EOB_NEXT;     /* a device may want attention */
        }
        return;
    }

    /* env's cc_op is current on every path out: each ends the block */
    gen_update_cc_op(s);
    done = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, gen_areg(d, R_ECX), 0, done);
    if ((kind == X86_INSN_MOVS || kind == X86_INSN_STOS) && !(s->flags & HF_TF_MASK) &&
        !gen_seg_checked(s, R_ES, true) &&
        (kind == X86_INSN_STOS || !gen_seg_checked(s, string_src_seg(d), false))) {
        /* movs/stos: many iterations per pass (single-step or segments
         * to check: one each, so a limit fault leaves exact rCX/rSI/rDI) */
        gen_helper_rep_movs_stos(tcg_env, tcg_constant_i32(rep_desc(s, d, ot)));
    } else {
        gen_string_once(s, d, ot);
        t = tcg_temp_new_i64();
        tcg_gen_subi_i64(t, cpu_regs[R_ECX], 1);
        gen_reg_st(d->aflag, R_ECX, false, t);
        if (kind == X86_INSN_INS || kind == X86_INSN_OUTS) {
            gen_io_breakpoint(s, d, NULL, ot, true);
        }
        if (cond) {
            gen_update_cc_op(s);
            /* repe stops when ZF = 0, repne when ZF = 1 */
            tcg_gen_brcondi_i64((d->prefixes & X86_PFX_REPZ) ? TCG_COND_NE : TCG_COND_EQ,
                                gen_ext_tmp(ot, cpu_cc_dst, false), 0, done);
        }
    }
    tcg_gen_brcondi_i64(TCG_COND_EQ, gen_areg(d, R_ECX), 0, done);
    gen_goto_tb(s, s->pc);
    gen_set_label(done);
    /* the paths differ in cc_op but each stored its own */
    s->cc_op = CC_OP_DYNAMIC;
    s->cc_op_dirty = false;
    gen_goto_tb(s, s->pc_next);
}

/* e0 loopne, e1 loope, e2 loop, e3 jrcxz: rCX at the address size. */
void gen_LOOP(DisasContext *s, X86DecodedInsn *d)
{
    uint64_t dest = x86_jump_target(s, d->op[0].imm, d->ot);
    TCGLabel *taken = gen_new_label(), *not_taken = gen_new_label();
    unsigned op = d->opcode & 3;
    TCGv_i64 t, old = NULL;

    if (op != 3 && !x86_dest_ok(s, dest)) {
        /* taken, it is #GP(0) at the loop: rCX as it was before */
        old = tcg_temp_local_new_i64();
        tcg_gen_mov_i64(old, cpu_regs[R_ECX]);
    }
    if (op == 3) {
        gen_update_cc_op(s);
        tcg_gen_brcondi_i64(TCG_COND_EQ, gen_areg(d, R_ECX), 0, taken);
    } else {
        t = tcg_temp_new_i64();
        tcg_gen_subi_i64(t, cpu_regs[R_ECX], 1);
        gen_reg_st(d->aflag, R_ECX, false, t);
        gen_update_cc_op(s);
        if (op == 2) {
            tcg_gen_brcondi_i64(TCG_COND_NE, gen_areg(d, R_ECX), 0, taken);
        } else {
            /* jcc codes 4 (ZF = 1, loope) and 5 (ZF = 0, loopne) */
            CCPrepare cc;

            tcg_gen_brcondi_i64(TCG_COND_EQ, gen_areg(d, R_ECX), 0, not_taken);
            cc = gen_prepare_cc(s, op == 1 ? 4 : 5);
            if (cc.use_reg2) {
                tcg_gen_brcond_i64(cc.cond, cc.reg, cc.reg2, taken);
            } else {
                tcg_gen_brcondi_i64(cc.cond, cc.reg, cc.imm, taken);
            }
        }
    }
    gen_set_label(not_taken);
    gen_jump(s, s->pc_next);
    gen_set_label(taken);
    if (old) {
        tcg_gen_mov_i64(cpu_regs[R_ECX], old);
    }
    gen_jump(s, dest);
}

/* xlat: AL = [seg:rBX + AL], DS unless overridden */
void gen_XLAT(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 ea = tcg_temp_new_i64(), v = tcg_temp_new_i64();

    tcg_gen_add_i64(ea, cpu_regs[R_EBX], gen_reg_ld(MO_8, R_EAX, false));
    ea = gen_ext_tmp(d->aflag, ea, false);
    gen_seg_check(s, ea, string_src_seg(d), 1, false);
    ea = gen_seg_linear(s, ea, string_src_seg(d));
    tcg_gen_guest_ld_i64(v, ea, s->mmu_idx, MO_UB);
    gen_reg_st(MO_8, R_EAX, false, v);
}
