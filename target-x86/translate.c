/*
 * translate.c: the x86 front end's block loop: guest code -> TCG IR.
 *
 * x86_translate_block decodes one instruction at a time (decode.c, from
 * code bytes fetched with cpu_ld_code) and calls the generator its table
 * entry's kind selects (x86_gen_table).  This file holds the block
 * structure of docs/CONTRACTS.md (exit-request check, insn_start, block
 * ends and chaining), operand and address generation, the stack, control
 * transfers and the system instructions; translate-alu.c holds arithmetic
 * and the lazy flags.
 *
 * Guest registers are TCG globals (rax..r15, cc_*); rip is not: it is
 * stored to env when a block ends or before a helper that needs it.  The
 * globals are thread-local, registered per translator context.
 *
 * Atomics (multi-threaded TCG): an instruction with LOCK, or XCHG, whose
 * operand 0 is memory sets s->lock_rmw.  Its generator is written as load
 * op 0 -> compute -> store op 0 -> registers and flags; gen_op_ld keeps the
 * loaded value and gen_op_st turns the store into helper_atomic_cmpxchg
 * (loaded -> new), which re-runs the instruction if another vCPU wrote the
 * location in between.  The helper's host CAS is also the full barrier a
 * locked instruction implies; no IR memory op moves across a call.
 */
#include "target-x86/translate.h"
#include "target-x86/internal.h"
#include "target-x86/cpu-models.h"
#include "exec/exec-all.h"
#include "exec/translation-block.h"

#define HELPER_DEFINE_INFO
#include "target-x86/helper.h"

__thread TCGv_i64 cpu_regs[CPU_NB_REGS];
__thread TCGv_i64 cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
__thread TCGv_i32 cpu_cc_op;

void x86_translate_init(void)
{
    static const char *const names[CPU_NB_REGS] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    int i;

    for (i = 0; i < CPU_NB_REGS; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(offsetof(CPUX86State, regs[i]), names[i]);
    }
    cpu_cc_dst = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_dst), "cc_dst");
    cpu_cc_src = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_src), "cc_src");
    cpu_cc_src2 = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_src2), "cc_src2");
    cpu_cc_op = tcg_global_mem_new_i32(offsetof(CPUX86State, cc_op), "cc_op");
}

static uint64_t x86_cs_base(CPUX86State *env)
{
    return (env->hflags & HF_CS64_MASK) ? 0 : env->segs[R_CS].base;
}

void x86_get_tb_cpu_state(CPUX86State *env, uint64_t *pc, uint64_t *cs_base,
                          uint32_t *flags)
{
    *cs_base = x86_cs_base(env);
    *pc = *cs_base + env->rip;
    if (!(env->hflags & HF_CS64_MASK)) {
        *cs_base |= (uint64_t)~env->segs[R_CS].limit << 32;
    }
    /* translation checks IOPL (cli/sti/in/out); VM and AC for later */
    *flags = env->hflags | (uint32_t)(env->eflags & (IOPL_MASK | VM_MASK | AC_MASK)) |
             ((env->eflags & RF_MASK) ? HF_RF_MASK : 0);
}

_Static_assert(CC_OP_NB <= (1 << X86_INSN_STK_SHIFT), "cc_op fits below X86_INSN_STK_SHIFT");

/* data: pc, cc_op | X86_INSN_STK_* << X86_INSN_STK_SHIFT (internal.h) */
void x86_restore_state_to_opc(CPUX86State *env, const uint64_t data[2])
{
    uint32_t cc_op = (uint32_t)data[1] & ((1u << X86_INSN_STK_SHIFT) - 1);

    env->rip = data[0] - x86_cs_base(env);
    if (cc_op != CC_OP_DYNAMIC) {
        env->cc_op = cc_op;
    }
    env->insn_stack_info = (uint32_t)(data[1] >> X86_INSN_STK_SHIFT);
}

/*
 * Which of an instruction's memory accesses are stack ones (X86_INSN_STK_*):
 * the restore record's part that lets a non-canonical access be #SS.  In
 * 64-bit mode the ES/CS/SS/DS overrides are ignored here too: base rSP or
 * rBP is a stack reference unless FS or GS overrides it (as the Intel host
 * reports, tests/x86/canonical.c).
 */
static uint64_t x86_insn_stack_info(const DisasContext *s, const X86DecodedInsn *d)
{
    unsigned info = 0;
    int i;

    for (i = 0; i < 3; i++) {
        if (d->op[i].kind == X86_OPK_MEM) {
            bool ss_base = !d->mem.rip_rel &&
                           (d->mem.base == R_ESP || d->mem.base == R_EBP);
            bool ss = s->code64 ? ss_base && d->seg != R_FS && d->seg != R_GS
                                : d->seg == R_SS || (d->seg < 0 && ss_base);
            info |= X86_INSN_STK_MEM | (ss ? X86_INSN_STK_EXPLICIT : 0);
            break;
        }
    }
    switch (d->e.kind) {
    case X86_INSN_PUSH: case X86_INSN_POP: case X86_INSN_PUSHF: case X86_INSN_POPF:
    case X86_INSN_CALL: case X86_INSN_CALL_IND: case X86_INSN_RET: case X86_INSN_IRET:
    case X86_INSN_ENTER: case X86_INSN_LEAVE: case X86_INSN_PUSH_SEG: case X86_INSN_POP_SEG:
        info |= X86_INSN_STK_IMPLICIT;
        break;
    default:
        break;
    }
    return info;
}

/* ---- lazy flags state ---------------------------------------------------- */

/* Which of cc_dst, cc_src, cc_src2 an operation's flags are computed from
 * (the CCOp list in cpu.h) */
enum { CC_LIVE_DST = 1, CC_LIVE_SRC = 2, CC_LIVE_SRC2 = 4, CC_LIVE_ALL = 7 };

static unsigned cc_op_live(CCOp op)
{
    if (op >= CC_OP_MULB && op <= CC_OP_BMILGQ) {
        switch (op - ((op - CC_OP_MULB) & 3)) {
        case CC_OP_ADCB: case CC_OP_SBBB: case CC_OP_SHLB: case CC_OP_SARB:
            return CC_LIVE_ALL;
        case CC_OP_LOGICB:
            return CC_LIVE_DST;
        default:
            return CC_LIVE_DST | CC_LIVE_SRC;
        }
    }
    switch (op) {
    case CC_OP_EFLAGS: return CC_LIVE_SRC;
    case CC_OP_CLR:    return 0;
    default:           return CC_LIVE_ALL;      /* dynamic */
    }
}

/*
 * The flags now come from op.  The cc globals the previous operation used
 * and op does not are dead from here: discarding them lets liveness drop
 * their earlier stores (a shift's cc_src2 when an add follows).
 */
void set_cc_op(DisasContext *s, CCOp op)
{
    s->cc_srcT = NULL;      /* a new producer: its operand is not known */
    if (s->cc_op != op) {
        unsigned dead = op == CC_OP_DYNAMIC ? 0 : cc_op_live(s->cc_op) & ~cc_op_live(op);

        if (dead & CC_LIVE_DST) {
            tcg_gen_discard_i64(cpu_cc_dst);
        }
        if (dead & CC_LIVE_SRC) {
            tcg_gen_discard_i64(cpu_cc_src);
        }
        if (dead & CC_LIVE_SRC2) {
            tcg_gen_discard_i64(cpu_cc_src2);
        }
        s->cc_op = op;
        s->cc_op_dirty = op != CC_OP_DYNAMIC;
    }
}

void gen_update_cc_op(DisasContext *s)
{
    if (s->cc_op_dirty) {
        tcg_gen_movi_i32(cpu_cc_op, s->cc_op);
        s->cc_op_dirty = false;
    }
}

/* ---- registers and operands -------------------------------------------- */

TCGv_i64 gen_ext_tmp(unsigned ot, TCGv_i64 v, bool sign)
{
    static void (*const ext[2][3])(TCGv_i64, TCGv_i64) = {
        { tcg_gen_ext8u_i64, tcg_gen_ext16u_i64, tcg_gen_ext32u_i64 },
        { tcg_gen_ext8s_i64, tcg_gen_ext16s_i64, tcg_gen_ext32s_i64 },
    };
    TCGv_i64 t;

    if (ot >= MO_64) {
        return v;
    }
    t = tcg_temp_new_i64();
    ext[sign][ot](t, v);
    return t;
}

/* Register value zero-extended from ot (the global itself for 64 bits). */
TCGv_i64 gen_reg_ld(unsigned ot, int reg, bool high)
{
    TCGv_i64 t;

    if (high) {
        t = tcg_temp_new_i64();
        tcg_gen_shri_i64(t, cpu_regs[reg], 8);
        tcg_gen_ext8u_i64(t, t);
        return t;
    }
    return gen_ext_tmp(ot, cpu_regs[reg], false);
}

/* 32-bit writes zero-extend; 8/16-bit writes merge into the old value. */
void gen_reg_st(unsigned ot, int reg, bool high, TCGv_i64 val)
{
    TCGv_i64 r = cpu_regs[reg], t;
    uint64_t mask;
    int shift = 0;

    switch (ot) {
    case MO_64:
        tcg_gen_mov_i64(r, val);
        return;
    case MO_32:
        tcg_gen_ext32u_i64(r, val);
        return;
    case MO_16:
        mask = 0xffff;
        break;
    default:
        mask = 0xff;
        shift = high ? 8 : 0;
        break;
    }
    t = tcg_temp_new_i64();
    tcg_gen_andi_i64(t, val, mask);
    if (shift) {
        tcg_gen_shli_i64(t, t, shift);
    }
    tcg_gen_andi_i64(r, r, ~(mask << shift));
    tcg_gen_or_i64(r, r, t);
}

/* Write val at size ot to reg only where cond(a, b) holds (whole register
 * untouched otherwise: a failed cmpxchg does not even zero-extend). */
void gen_reg_st_cond(TCGCond cond, TCGv_i64 a, TCGv_i64 b, unsigned ot, int reg, bool high,
                     TCGv_i64 val)
{
    TCGv_i64 old = tcg_temp_new_i64();

    tcg_gen_mov_i64(old, cpu_regs[reg]);
    gen_reg_st(ot, reg, high, val);
    tcg_gen_movcond_i64(cond, cpu_regs[reg], a, b, cpu_regs[reg], old);
}

/* Base + index*scale + disp (or rip-relative), at the address size. */
static TCGv_i64 gen_lea(DisasContext *s, X86DecodedInsn *d)
{
    X86DecodedMem *m = &d->mem;
    TCGv_i64 ea = tcg_temp_new_i64();

    if (m->rip_rel) {
        tcg_gen_movi_i64(ea, (int64_t)(s->pc_next - s->cs_base) + m->disp);
    } else if (m->base >= 0 && m->index >= 0) {
        tcg_gen_shli_i64(ea, cpu_regs[m->index], m->scale);
        tcg_gen_add_i64(ea, ea, cpu_regs[m->base]);
        tcg_gen_addi_i64(ea, ea, m->disp);
    } else if (m->base >= 0) {
        tcg_gen_addi_i64(ea, cpu_regs[m->base], m->disp);
    } else if (m->index >= 0) {
        tcg_gen_shli_i64(ea, cpu_regs[m->index], m->scale);
        tcg_gen_addi_i64(ea, ea, m->disp);
    } else {
        tcg_gen_movi_i64(ea, m->disp);
    }
    if (d->aflag == MO_32) {
        tcg_gen_ext32u_i64(ea, ea);
    } else if (d->aflag == MO_16) {
        tcg_gen_ext16u_i64(ea, ea);
    }
    return ea;
}

/* Offset ea (already at the address size) plus segment seg's base. */
TCGv_i64 gen_seg_linear(DisasContext *s, TCGv_i64 ea, int seg)
{
    TCGv_i64 base, t;

    if (s->code64) {
        if (seg != R_FS && seg != R_GS) {
            return ea;          /* ES/CS/SS/DS bases are ignored in 64-bit mode */
        }
    } else if (!(s->flags & HF_ADDSEG_MASK) && (seg == R_DS || seg == R_ES || seg == R_SS)) {
        return ea;              /* ADDSEG clear: those bases are all 0 */
    }
    base = tcg_temp_new_i64();
    t = tcg_temp_new_i64();
    tcg_gen_ld_i64(base, tcg_env, offsetof(CPUX86State, segs[seg].base));
    tcg_gen_add_i64(t, ea, base);
    if (!s->code64) {
        tcg_gen_ext32u_i64(t, t);
    }
    return t;
}

bool gen_seg_checked(DisasContext *s, int seg, bool write)
{
    bool pm = (s->flags & HF_PE_MASK) && !(s->flags & VM_MASK);

    if (s->code64) {
        return false;
    }
    if (seg == R_CS || seg == R_FS || seg == R_GS) {
        /* code segments are never writable in protected mode */
        return (s->flags & HF_SEGCHK_OVR_MASK) || (seg == R_CS && write && pm);
    }
    return s->flags & HF_SEGCHK_MASK;
}

void gen_seg_check(DisasContext *s, TCGv_i64 off, int seg, unsigned size, bool write)
{
    if (gen_seg_checked(s, seg, write)) {
        gen_helper_seg_check(tcg_env, off, tcg_constant_i32(seg | (write ? X86_SEGCHK_WRITE : 0) |
                                                            size << X86_SEGCHK_SIZE_SHIFT));
    }
}

/* The bytes the memory operand's size names, 16 at most; an operand of
 * no stated size (M, x87, state areas) counts as 1 byte, so that a check
 * never covers bytes the instruction does not access. */
static unsigned gen_mem_size(X86DecodedInsn *d)
{
    for (int i = 0; i < 3; i++) {
        if (d->op[i].kind == X86_OPK_MEM) {
            if (X86_OPND_SZ(d->e.op[i]) == X86_SZ_NONE) {
                return 1;
            }
            return 1u << MIN(d->op[i].ot, 4u);
        }
    }
    return 1;
}

/* The linear address of the memory operand displaced by extra bytes (NULL:
 * none; bt's bit offset), the offset wrapping at the address size.  The
 * operand is checked for reading (a segment that denies reads denies writes
 * too); gen_op_st adds the write check. */
TCGv_i64 gen_ea_extra(DisasContext *s, X86DecodedInsn *d, TCGv_i64 extra)
{
    TCGv_i64 ea = gen_lea(s, d);
    int seg = d->seg;

    if (extra) {
        tcg_gen_add_i64(ea, ea, extra);
        ea = gen_ext_tmp(d->aflag, ea, false);
    }
    if (seg < 0) {
        seg = (d->mem.base == R_ESP || d->mem.base == R_EBP) ? R_SS : R_DS;
    }
    if (d->e.kind != X86_INSN_INVLPG) {        /* invlpg accesses nothing */
        gen_seg_check(s, ea, seg, gen_mem_size(d), false);
    }
    s->A0_seg = seg;
    return gen_seg_linear(s, ea, seg);
}

static TCGv_i64 gen_ea(DisasContext *s, X86DecodedInsn *d)
{
    return gen_ea_extra(s, d, NULL);
}

TCGv_i64 gen_a0(DisasContext *s, X86DecodedInsn *d)
{
    if (!s->A0) {
        s->A0 = gen_ea(s, d);
    }
    return s->A0;
}

TCGv_i64 gen_a0_st(DisasContext *s, X86DecodedInsn *d)
{
    gen_a0(s, d);
    gen_seg_check(s, tcg_constant_i64(0), s->A0_seg, 0, true);
    return s->A0;
}

/* Operand i zero-extended from its size; may be a register global itself
 * (do not use it after writing that register). Immediates stay
 * sign-extended from their encoding. */
TCGv_i64 gen_op_ld(DisasContext *s, X86DecodedInsn *d, int i)
{
    X86DecodedOp *o = &d->op[i];
    TCGv_i64 t;

    switch (o->kind) {
    case X86_OPK_REG:
        return gen_reg_ld(o->ot, o->reg, o->high_byte);
    case X86_OPK_MEM:
        t = tcg_temp_new_i64();
        tcg_gen_guest_ld_i64(t, gen_a0(s, d), s->mmu_idx, (MemOp)o->ot);
        if (i == 0 && s->lock_rmw) {
            s->lock_old = tcg_temp_new_i64();
            tcg_gen_mov_i64(s->lock_old, t);
        }
        return t;
    default:
        return tcg_constant_i64(o->imm);
    }
}

void gen_op_st(DisasContext *s, X86DecodedInsn *d, int i, TCGv_i64 val)
{
    X86DecodedOp *o = &d->op[i];

    if (o->kind == X86_OPK_REG) {
        gen_reg_st(o->ot, o->reg, o->high_byte, val);
    } else if (i == 0 && s->lock_rmw) {
        /* atomic: store only if memory still holds what was loaded, else
         * the helper re-runs the instruction (accel/tcg/atomic.c) */
        assert(s->lock_old);
        gen_helper_atomic_cmpxchg(tcg_env, gen_a0_st(s, d), s->lock_old, val,
                                  tcg_constant_i32(make_memop_idx((MemOp)o->ot,
                                                                  (unsigned)s->mmu_idx)));
    } else {
        assert(o->kind == X86_OPK_MEM);
        tcg_gen_guest_st_i64(val, gen_a0_st(s, d), s->mmu_idx, (MemOp)o->ot);
    }
}

/* ---- rip, exceptions, block ends ---------------------------------------- */

void gen_store_rip(DisasContext *s, uint64_t pc)
{
    uint64_t rip = pc - s->cs_base;

    if (!s->code64) {
        rip = (uint32_t)rip;
    }
    tcg_gen_st_i64(tcg_constant_i64(rip), tcg_env, offsetof(CPUX86State, rip));
}

void gen_outside_read_start(DisasContext *s)
{
    if (s->tb->cflags & CF_SHADOW) {
        gen_store_rip(s, s->pc);
    }
}

/* -icount: an instruction that reads the clock (RDTSC, RDMSR) ends its
 * block, so that every instruction counted at the block's entry has run
 * when it reads (docs/tcg-ir.md, "Instruction counting"). */
void gen_outside_read_end(DisasContext *s)
{
    if ((s->tb->cflags & (CF_SHADOW | CF_USE_ICOUNT)) && s->is_jmp == DISAS_NEXT) {
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

static void gen_store_rip_tcg(DisasContext *s, TCGv_i64 rip)
{
    if (!s->code64) {
        TCGv_i64 t = tcg_temp_new_i64();
        tcg_gen_ext32u_i64(t, rip);
        rip = t;
    }
    tcg_gen_st_i64(rip, tcg_env, offsetof(CPUX86State, rip));
}

/* Raise vector at the current instruction (state stored, no unwinding). */
void gen_exception(DisasContext *s, int vector)
{
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_raise_exception(tcg_env, tcg_constant_i32(vector));
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception_gp0(DisasContext *s)
{
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_raise_exception_err(tcg_env, tcg_constant_i32(EXCP0D_GPF), tcg_constant_i32(0));
    s->is_jmp = DISAS_NORETURN;
}

/* Leave with rip stored: chain through the lookup, or back to the loop. */
static void gen_eob_lookup(DisasContext *s)
{
    gen_update_cc_op(s);
    if (gen_single_step(s)) {
        return;
    }
    if (s->jmp_opt) {
        tcg_gen_lookup_and_goto_ptr();
    } else {
        tcg_gen_exit_tb(NULL, 0);
    }
    s->is_jmp = DISAS_NORETURN;
}

/*
 * Leave for the block at rip (already stored; rip_const when rip is NULL):
 * with the jump cache probed inline (tb_gen_lookup_and_goto), for a jump,
 * call or return.  Those do not change the block's key; a block that began
 * with RF set (cleared after its one instruction) goes the helper's way.
 */
static void gen_eob_jump(DisasContext *s, TCGv_i64 rip, uint64_t rip_const)
{
    TCGv_i64 pc;

    if (!s->jmp_opt || (s->tb->flags & HF_RF_MASK) || (s->flags & HF_TF_MASK)) {
        gen_eob_lookup(s);
        return;
    }
    gen_update_cc_op(s);
    if (rip) {
        pc = tcg_temp_new_i64();
        if (s->code64) {
            tcg_gen_mov_i64(pc, rip);
        } else {
            tcg_gen_ext32u_i64(pc, rip);
        }
        tcg_gen_addi_i64(pc, pc, (int64_t)s->cs_base);
    } else {
        pc = tcg_constant_i64((int64_t)(s->cs_base + rip_const));
    }
    tb_gen_lookup_and_goto(pc, s->tb, x86_env_jmp_cache_offset());
    s->is_jmp = DISAS_NORETURN;
}

/* Leave for dest: through a free goto_tb slot (chained) when on the block's
 * page, else the jump-cache lookup; or back to the block's start. */
void gen_goto_tb(DisasContext *s, uint64_t dest)
{
    unsigned slot = s->goto_tb_used & 1 ? 1 : 0;

    if (dest != s->pc_next && !x86_dest_ok(s, dest)) {
        /* a jump to a non-canonical address or beyond CS.limit faults at
         * the jump */
        gen_exception_gp0(s);
        return;
    }
    gen_update_cc_op(s);
    if (s->jmp_opt && dest == s->tb->pc && !(s->tb->flags & HF_RF_MASK)) {
        /* back to this block's start, whose key still holds (a block that
         * began with RF set has cleared it): a loop inside the block */
        tcg_gen_br_tb_start();
        s->is_jmp = DISAS_NORETURN;
        return;
    }
    if (s->jmp_opt && x86_in_block_page(s, dest) &&
        !(s->goto_tb_used & (1u << slot))) {
        s->goto_tb_used |= 1u << slot;
        tcg_gen_goto_tb(slot);
        gen_store_rip(s, dest);
        tcg_gen_exit_tb(s->tb, slot);
        s->is_jmp = DISAS_NORETURN;
        return;
    }
    gen_store_rip(s, dest);
    gen_eob_jump(s, NULL, s->code64 ? dest - s->cs_base : (uint32_t)(dest - s->cs_base));
}

uint64_t x86_jump_target(DisasContext *s, int64_t off, unsigned ot)
{
    uint64_t dest = s->pc_next + off;

    if (!s->code64) {
        dest = s->cs_base + (uint32_t)((dest - s->cs_base) & (ot == MO_16 ? 0xffff : ~0u));
    }
    return dest;
}

/* ---- stack ----------------------------------------------------------- */

/* The stack pointer's size: rSP in 64-bit mode, else ESP or SP by SS.B. */
static unsigned gen_stack_ot(DisasContext *s)
{
    return s->code64 ? MO_64 : (s->flags & HF_SS32_MASK) ? MO_32 : MO_16;
}

/* The linear address of stack offset sp: wrapped at the stack size, plus
 * SS.base outside 64-bit mode (where ADDSEG says it may be non-zero). */
TCGv_i64 gen_stack_addr(DisasContext *s, TCGv_i64 sp, unsigned ot, bool write)
{
    if (s->code64) {
        return sp;
    }
    sp = gen_ext_tmp(gen_stack_ot(s), sp, false);
    gen_seg_check(s, sp, R_SS, 1u << ot, write);
    return gen_seg_linear(s, sp, R_SS);
}

/* rSP = sp; a 16-bit stack changes SP only. */
void gen_sp_set(DisasContext *s, TCGv_i64 sp)
{
    gen_reg_st(gen_stack_ot(s), R_ESP, false, sp);
}

void gen_push(DisasContext *s, unsigned ot, TCGv_i64 val)
{
    TCGv_i64 sp = tcg_temp_new_i64();

    tcg_gen_subi_i64(sp, cpu_regs[R_ESP], 1 << ot);
    tcg_gen_guest_st_i64(val, gen_stack_addr(s, sp, ot, true), s->mmu_idx, (MemOp)ot);
    gen_sp_set(s, sp);
}

/* Load the top of stack; rsp is updated by the caller (after any fault). */
TCGv_i64 gen_pop_ld(DisasContext *s, unsigned ot)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_guest_ld_i64(t, gen_stack_addr(s, cpu_regs[R_ESP], ot, false), s->mmu_idx, (MemOp)ot);
    return t;
}

void gen_sp_add(DisasContext *s, int64_t n)
{
    TCGv_i64 sp = tcg_temp_new_i64();

    tcg_gen_addi_i64(sp, cpu_regs[R_ESP], n);
    gen_sp_set(s, sp);
}

static void gen_PUSH(DisasContext *s, X86DecodedInsn *d)
{
    gen_push(s, d->ot, gen_op_ld(s, d, 0));
}

static void gen_POP(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 t = gen_pop_ld(s, d->ot);

    if (d->op[0].kind == X86_OPK_MEM) {
        /* pop [rsp] addresses the new rsp, but the store (which may
         * fault) comes before rsp changes */
        gen_sp_add(s, 1 << d->ot);
        gen_a0(s, d);
        gen_sp_add(s, -(1 << d->ot));
        gen_op_st(s, d, 0, t);
        gen_sp_add(s, 1 << d->ot);
        return;
    }
    /* rsp first: pop rsp gets the loaded value */
    gen_sp_add(s, 1 << d->ot);
    gen_op_st(s, d, 0, t);
}

static void gen_LEAVE(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 t = tcg_temp_new_i64();

    TCGv_i64 sp = tcg_temp_new_i64();

    tcg_gen_guest_ld_i64(t, gen_stack_addr(s, cpu_regs[R_EBP], d->ot, false), s->mmu_idx,
                         (MemOp)d->ot);
    tcg_gen_addi_i64(sp, cpu_regs[R_EBP], 1 << d->ot);
    gen_sp_set(s, sp);
    gen_reg_st(d->ot, R_EBP, false, t);
}

/* ---- data movement ------------------------------------------------------ */

static void gen_MOV(DisasContext *s, X86DecodedInsn *d)
{
    gen_op_st(s, d, 0, gen_op_ld(s, d, 1));
}

static void gen_MOVZX(DisasContext *s, X86DecodedInsn *d)
{
    gen_op_st(s, d, 0, gen_op_ld(s, d, 1));
}

static void gen_MOVSX(DisasContext *s, X86DecodedInsn *d)
{
    gen_op_st(s, d, 0, gen_ext_tmp(d->op[1].ot, gen_op_ld(s, d, 1), true));
}

static void gen_LEA(DisasContext *s, X86DecodedInsn *d)
{
    gen_op_st(s, d, 0, gen_lea(s, d));
}

static void gen_XCHG(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a = tcg_temp_new_i64(), b;

    if (d->opcode == 0x90 && !(d->rex & 1)) {
        return;                              /* nop / pause */
    }
    tcg_gen_mov_i64(a, gen_op_ld(s, d, 0));
    b = gen_op_ld(s, d, 1);
    gen_op_st(s, d, 0, b);                   /* memory (may fault) first */
    gen_op_st(s, d, 1, a);
}

/* ---- control transfers -------------------------------------------------- */

/*
 * The target of an indirect jump, call or return, with #GP(0) at this
 * instruction, before anything changes, if it is not canonical in 64-bit
 * mode or lies beyond a CS limit below 4 GiB outside it (x86_dest_ok).
 * The fault is out of line: the check branches to *fault, which the
 * caller places after the block's exit (gen_jump_dest_fault), so the
 * fall-through keeps its registers and dest needs no frame slot.
 */
static TCGv_i64 gen_jump_dest(DisasContext *s, TCGv_i64 val, TCGLabel **fault)
{
    TCGv_i64 dest = tcg_temp_new_i64(), t;

    tcg_gen_mov_i64(dest, val);
    *fault = NULL;
    if (!s->code64 && s->cs_limit == 0xffffffffu) {
        return dest;
    }
    *fault = gen_new_label();
    gen_update_cc_op(s);                     /* both paths leave with the same state */
    if (s->code64) {
        /* canonical: adding 2^(bits-1) leaves nothing above bit bits-1 */
        t = tcg_temp_new_i64();
        tcg_gen_addi_i64(t, dest, 1ull << (x86_dest_bits(s) - 1));
        tcg_gen_shri_i64(t, t, x86_dest_bits(s));
        tcg_gen_brcondi_i64(TCG_COND_NE, t, 0, *fault);
    } else {
        tcg_gen_brcondi_i64(TCG_COND_GTU, dest, s->cs_limit, *fault);
    }
    return dest;
}

/* gen_jump_dest's #GP(0), after the instruction's block exit. */
static void gen_jump_dest_fault(DisasContext *s, TCGLabel *fault)
{
    if (fault) {
        gen_set_label(fault);
        gen_store_rip(s, s->pc);
        gen_helper_raise_exception_err(tcg_env, tcg_constant_i32(EXCP0D_GPF), tcg_constant_i32(0));
    }
}

static void gen_JMP(DisasContext *s, X86DecodedInsn *d)
{
    gen_jump(s, x86_jump_target(s, d->op[0].imm, d->ot));
}

static void gen_JMP_IND(DisasContext *s, X86DecodedInsn *d)
{
    TCGLabel *fault;
    TCGv_i64 dest = gen_jump_dest(s, gen_op_ld(s, d, 0), &fault);

    gen_store_rip_tcg(s, dest);
    gen_eob_jump(s, dest, 0);
    gen_jump_dest_fault(s, fault);
}

static void gen_CALL(DisasContext *s, X86DecodedInsn *d)
{
    uint64_t dest = x86_jump_target(s, d->op[0].imm, d->ot);

    if (!x86_dest_ok(s, dest)) {
        gen_exception_gp0(s);                /* before the push */
        return;
    }
    gen_push(s, d->ot, tcg_constant_i64(s->pc_next - s->cs_base));
    gen_goto_tb(s, dest);
}

static void gen_CALL_IND(DisasContext *s, X86DecodedInsn *d)
{
    /* before the push: call [rsp] */
    TCGLabel *fault;
    TCGv_i64 dest = gen_jump_dest(s, gen_op_ld(s, d, 0), &fault);

    gen_push(s, d->ot, tcg_constant_i64(s->pc_next - s->cs_base));
    gen_store_rip_tcg(s, dest);
    gen_eob_jump(s, dest, 0);
    gen_jump_dest_fault(s, fault);
}

static void gen_RET(DisasContext *s, X86DecodedInsn *d)
{
    TCGLabel *fault;
    TCGv_i64 dest = gen_jump_dest(s, gen_pop_ld(s, d->ot), &fault);
    int64_t extra = d->op[0].kind == X86_OPK_IMM ? (uint16_t)d->op[0].imm : 0;

    gen_sp_add(s, (1 << d->ot) + extra);
    gen_store_rip_tcg(s, dest);
    gen_eob_jump(s, dest, 0);
    gen_jump_dest_fault(s, fault);
}

static void gen_JCC(DisasContext *s, X86DecodedInsn *d)
{
    uint64_t dest = x86_jump_target(s, d->op[0].imm, d->ot);
    TCGLabel *taken = gen_new_label();
    CCPrepare cc = gen_prepare_cc(s, d->opcode & 15);

    gen_update_cc_op(s);                     /* both paths leave with the same state */
    if (cc.use_reg2) {
        tcg_gen_brcond_i64(cc.cond, cc.reg, cc.reg2, taken);
    } else {
        tcg_gen_brcondi_i64(cc.cond, cc.reg, cc.imm, taken);
    }
    gen_jump(s, s->pc_next);
    gen_set_label(taken);
    gen_jump(s, dest);
}

/* ---- system ------------------------------------------------------------- */

/* Virtual-8086 mode with IOPL < 3, where CLI, STI, PUSHF, POPF, INT n
 * and IRET are IOPL-sensitive (SDM vol.3 20.2.7): the 16-bit forms go to
 * vme_helper.c, which raises #GP(0) without CR4.VME. */
bool x86_v86_sensitive(DisasContext *s)
{
    return (s->flags & VM_MASK) && s->iopl != 3;
}

/* The 32-bit PUSHFD, POPFD and IRETD there are #GP(0) even with VME:
 * false after raising it. */
bool gen_v86_op16_check(DisasContext *s, MemOp ot)
{
    if (x86_v86_sensitive(s) && ot != MO_16) {
        gen_exception_gp0(s);
        return false;
    }
    return true;
}

/* CLI/STI: CPL <= IOPL in protected and virtual-8086 mode (else VME/PVI's
 * helpers or #GP(0): gen_CLI_STI). */
static bool x86_iopl_ok(DisasContext *s)
{
    return !(s->flags & HF_PE_MASK) || s->cpl <= s->iopl;
}

/* Port I/O: above IOPL or in virtual-8086 mode the TSS I/O bitmap decides
 * (priv_helper.c); known at translation time, so ring 0 pays nothing. */
void gen_check_io(DisasContext *s, TCGv_i32 port, unsigned ot)
{
    if ((s->flags & HF_PE_MASK) && (s->cpl > s->iopl || (s->flags & VM_MASK))) {
        gen_helper_check_io(tcg_env, port, tcg_constant_i32(1 << ot));
    }
}

static TCGv_i32 gen_port(DisasContext *s, X86DecodedInsn *d, int i)
{
    TCGv_i32 p = tcg_temp_new_i32();

    if (d->op[i].kind == X86_OPK_IMM) {
        return tcg_constant_i32(d->op[i].imm & 0xff);
    }
    tcg_gen_extrl_i64_i32(p, cpu_regs[R_EDX]);
    tcg_gen_andi_i32(p, p, 0xffff);
    return p;
}

/*
 * A device access may have requested a shutdown or raised an interrupt:
 * end the block so that the request is seen before the next instruction
 * (lookup_and_goto_ptr returns to the exec loop when exit_request is set).
 */
static void gen_eob_after_io(DisasContext *s)
{
    gen_store_rip(s, s->pc_next);
    s->is_jmp = DISAS_JUMP;
}

static void gen_IN(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[0].ot;
    TCGv_i64 v = tcg_temp_new_i64();
    TCGv_i32 port = gen_port(s, d, 1);

    gen_check_io(s, port, ot);
    gen_helper_in(v, tcg_env, port, tcg_constant_i32(1 << ot));
    gen_reg_st(ot, R_EAX, false, v);
    gen_io_breakpoint(s, d, port, ot, false);
    gen_eob_after_io(s);
}

static void gen_OUT(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->op[1].ot;
    TCGv_i32 port = gen_port(s, d, 0);

    gen_check_io(s, port, ot);
    gen_helper_out(tcg_env, port, gen_reg_ld(ot, R_EAX, false),
                   tcg_constant_i32(1 << ot));
    gen_io_breakpoint(s, d, port, ot, false);
    gen_eob_after_io(s);
}

static void gen_HLT(DisasContext *s, X86DecodedInsn *d)
{
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc_next);
    gen_helper_hlt(tcg_env);
    s->is_jmp = DISAS_NORETURN;
}

static void gen_CPUID(DisasContext *s, X86DecodedInsn *d)
{
    gen_outside_read_start(s);
    gen_helper_cpuid(tcg_env);
    gen_outside_read_end(s);
}

static void gen_INT3(DisasContext *s, X86DecodedInsn *d)
{
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    gen_helper_raise_interrupt(tcg_env, tcg_constant_i32(EXCP03_INT3),
                               tcg_constant_i32(d->len));
    s->is_jmp = DISAS_NORETURN;
}

static void gen_UD(DisasContext *s, X86DecodedInsn *d)
{
    gen_exception(s, EXCP06_ILLOP);
}

static void gen_NOP(DisasContext *s, X86DecodedInsn *d)
{
}

static void gen_eflags_update(uint64_t clear, uint64_t set)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_ld_i64(t, tcg_env, offsetof(CPUX86State, eflags));
    if (clear) {
        tcg_gen_andi_i64(t, t, ~clear);
    }
    if (set) {
        tcg_gen_ori_i64(t, t, set);
    }
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUX86State, eflags));
}

static void gen_CLI_STI(DisasContext *s, X86DecodedInsn *d)
{
    if (!x86_iopl_ok(s)) {
        if ((s->flags & VM_MASK) || s->cpl == 3) {
            /* VIF under CR4.VME (v86) or CR4.PVI (CPL 3), else #GP(0) */
            if (d->e.kind == X86_INSN_CLI) {
                gen_helper_vme_cli(tcg_env);
            } else {
                gen_helper_vme_sti(tcg_env);
            }
        } else {
            gen_exception_gp0(s);
        }
        return;
    }
    if (d->e.kind == X86_INSN_CLI) {
        gen_eflags_update(IF_MASK, 0);
        return;
    }
    /* STI: interrupts stay blocked for one more instruction */
    {
        TCGv_i32 h = tcg_temp_new_i32();
        gen_eflags_update(0, IF_MASK);
        tcg_gen_ld_i32(h, tcg_env, offsetof(CPUX86State, hflags));
        tcg_gen_ori_i32(h, h, HF_INHIBIT_IRQ_MASK);
        tcg_gen_st_i32(h, tcg_env, offsetof(CPUX86State, hflags));
    }
    s->is_jmp = DISAS_EOB_NEXT;
}

static void gen_CLD_STD(DisasContext *s, X86DecodedInsn *d)
{
    bool std = d->e.kind == X86_INSN_STD;

    gen_eflags_update(std ? 0 : DF_MASK, std ? DF_MASK : 0);
    tcg_gen_st_i32(tcg_constant_i32(std ? -1 : 1), tcg_env, offsetof(CPUX86State, df));
}

static void gen_PUSHF(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 f = tcg_temp_new_i64();

    if (!gen_v86_op16_check(s, d->ot)) {
        return;
    }
    gen_update_cc_op(s);
    if (x86_v86_sensitive(s)) {
        gen_helper_vme_pushf(f, tcg_env);
    } else {
        gen_helper_read_eflags(f, tcg_env);
    }
    gen_push(s, d->ot, f);
}

static void gen_POPF(DisasContext *s, X86DecodedInsn *d)
{
    if (!gen_v86_op16_check(s, d->ot)) {
        return;
    }
    TCGv_i64 f = gen_pop_ld(s, d->ot);

    if (x86_v86_sensitive(s)) {
        gen_helper_vme_popf(tcg_env, f);
    } else {
        gen_helper_write_eflags(tcg_env, f, tcg_constant_i32(d->ot));
    }
    gen_sp_add(s, 1 << d->ot);
    /* the helper left the flags in cc_src with cc_op = EFLAGS in env */
    s->cc_op = CC_OP_EFLAGS;
    s->cc_op_dirty = false;
    s->is_jmp = DISAS_EOB_NEXT;              /* IF/TF/IOPL may have changed */
}

/* ---- dispatch ----------------------------------------------------------- */

static const X86GenFn x86_gen_table[X86_INSN_NB] = {
    [X86_INSN_ADD] = gen_ALU, [X86_INSN_OR] = gen_ALU, [X86_INSN_ADC] = gen_ALU,
    [X86_INSN_SBB] = gen_ALU, [X86_INSN_AND] = gen_ALU, [X86_INSN_SUB] = gen_ALU,
    [X86_INSN_XOR] = gen_ALU, [X86_INSN_CMP] = gen_ALU, [X86_INSN_TEST] = gen_ALU,
    [X86_INSN_INC] = gen_INCDEC, [X86_INSN_DEC] = gen_INCDEC,
    [X86_INSN_NEG] = gen_NEG, [X86_INSN_NOT] = gen_NOT,
    [X86_INSN_ROL] = gen_ROTATE, [X86_INSN_ROR] = gen_ROTATE,
    [X86_INSN_RCL] = gen_ROTATE, [X86_INSN_RCR] = gen_ROTATE,
    [X86_INSN_SHL] = gen_SHIFT, [X86_INSN_SHR] = gen_SHIFT, [X86_INSN_SAR] = gen_SHIFT,
    [X86_INSN_MUL] = gen_MUL, [X86_INSN_IMUL1] = gen_MUL, [X86_INSN_IMUL] = gen_IMUL,
    [X86_INSN_DIV] = gen_DIV, [X86_INSN_IDIV] = gen_DIV,
    [X86_INSN_MOV] = gen_MOV, [X86_INSN_MOVZX] = gen_MOVZX, [X86_INSN_MOVSX] = gen_MOVSX,
    [X86_INSN_LEA] = gen_LEA, [X86_INSN_XCHG] = gen_XCHG,
    [X86_INSN_CBW] = gen_CBW, [X86_INSN_CWD] = gen_CWD,
    [X86_INSN_PUSH] = gen_PUSH, [X86_INSN_POP] = gen_POP, [X86_INSN_LEAVE] = gen_LEAVE,
    [X86_INSN_PUSHF] = gen_PUSHF, [X86_INSN_POPF] = gen_POPF,
    [X86_INSN_CALL] = gen_CALL, [X86_INSN_CALL_IND] = gen_CALL_IND, [X86_INSN_RET] = gen_RET,
    [X86_INSN_JMP] = gen_JMP, [X86_INSN_JMP_IND] = gen_JMP_IND, [X86_INSN_JCC] = gen_JCC,
    [X86_INSN_SETCC] = gen_SETCC, [X86_INSN_CMOV] = gen_CMOV,
    [X86_INSN_IN] = gen_IN, [X86_INSN_OUT] = gen_OUT, [X86_INSN_HLT] = gen_HLT,
    [X86_INSN_NOP] = gen_NOP, [X86_INSN_CPUID] = gen_CPUID, [X86_INSN_INT3] = gen_INT3,
    [X86_INSN_UD2] = gen_UD,
    [X86_INSN_CLI] = gen_CLI_STI, [X86_INSN_STI] = gen_CLI_STI,
    [X86_INSN_CLD] = gen_CLD_STD, [X86_INSN_STD] = gen_CLD_STD,
    [X86_INSN_CLC] = gen_CARRY, [X86_INSN_STC] = gen_CARRY, [X86_INSN_CMC] = gen_CARRY,
    /* strings, bit ops, atomics, misc */
    [X86_INSN_MOVS] = gen_STRING, [X86_INSN_CMPS] = gen_STRING, [X86_INSN_STOS] = gen_STRING,
    [X86_INSN_LODS] = gen_STRING, [X86_INSN_SCAS] = gen_STRING,
    [X86_INSN_INS] = gen_STRING, [X86_INSN_OUTS] = gen_STRING,
    [X86_INSN_LOOP] = gen_LOOP, [X86_INSN_JRCXZ] = gen_LOOP, [X86_INSN_XLAT] = gen_XLAT,
    [X86_INSN_BT] = gen_BT, [X86_INSN_BTS] = gen_BT, [X86_INSN_BTR] = gen_BT,
    [X86_INSN_BTC] = gen_BT, [X86_INSN_BSF] = gen_BITSCAN, [X86_INSN_BSR] = gen_BITSCAN,
    [X86_INSN_TZCNT] = gen_BITSCAN, [X86_INSN_LZCNT] = gen_BITSCAN,
    [X86_INSN_POPCNT] = gen_POPCNT, [X86_INSN_SHLD] = gen_SHIFTD, [X86_INSN_SHRD] = gen_SHIFTD,
    [X86_INSN_BSWAP] = gen_BSWAP, [X86_INSN_CMPXCHG] = gen_CMPXCHG,
    [X86_INSN_CMPXCHG8B] = gen_CMPXCHG8B, [X86_INSN_XADD] = gen_XADD,
    [X86_INSN_LAHF] = gen_LAHF, [X86_INSN_SAHF] = gen_SAHF, [X86_INSN_ENTER] = gen_ENTER,
    [X86_INSN_RDTSC] = gen_RDTSC, [X86_INSN_RDTSCP] = gen_RDTSC,
    [X86_INSN_RDRAND] = gen_RDRAND, [X86_INSN_RDSEED] = gen_RDRAND,
    [X86_INSN_FENCE] = gen_FENCE, [X86_INSN_CLFLUSH] = gen_CLFLUSH,
    [X86_INSN_LGIDT] = gen_LGIDT,
    /* system (translate-system.c) */
    [X86_INSN_MOV_CR] = gen_MOV_CR, [X86_INSN_CLTS] = gen_CLTS,
    [X86_INSN_INT] = gen_INT, [X86_INSN_IRET] = gen_IRET,
    [X86_INSN_MOV_DR] = gen_MOV_DR, [X86_INSN_INT1] = gen_INT1,
    [X86_INSN_SLDT] = gen_SLDT_STR, [X86_INSN_STR] = gen_SLDT_STR,
    [X86_INSN_LLDT] = gen_LLDT_LTR, [X86_INSN_LTR] = gen_LLDT_LTR,
    [X86_INSN_VERR] = gen_VERR_VERW, [X86_INSN_VERW] = gen_VERR_VERW,
    [X86_INSN_LAR] = gen_LAR_LSL, [X86_INSN_LSL] = gen_LAR_LSL,
    [X86_INSN_MOV_SEG] = gen_MOV_SEG, [X86_INSN_PUSH_SEG] = gen_PUSH_SEG,
    [X86_INSN_POP_SEG] = gen_POP_SEG, [X86_INSN_SGIDT] = gen_SGIDT,
    [X86_INSN_SMSW] = gen_SMSW, [X86_INSN_LMSW] = gen_LMSW, [X86_INSN_INVD] = gen_INVD,
    [X86_INSN_LJMP] = gen_LJMP, [X86_INSN_LCALL] = gen_LCALL, [X86_INSN_LRET] = gen_LRET,
    [X86_INSN_PUSHA] = gen_PUSHA, [X86_INSN_POPA] = gen_POPA, [X86_INSN_LSEG] = gen_LSEG,
    [X86_INSN_BCD] = gen_BCD, [X86_INSN_SALC] = gen_SALC, [X86_INSN_BOUND] = gen_BOUND,
    [X86_INSN_INTO] = gen_INTO, [X86_INSN_ARPL] = gen_ARPL,
    [X86_INSN_INVLPG] = gen_INVLPG, [X86_INSN_SWAPGS] = gen_SWAPGS,
    [X86_INSN_STAC] = gen_STAC, [X86_INSN_INVPCID] = gen_INVPCID,
    [X86_INSN_FSGSBASE] = gen_FSGSBASE,
    [X86_INSN_XGETBV] = gen_XGETBV, [X86_INSN_XSETBV] = gen_XGETBV,
    [X86_INSN_RDPKRU] = gen_PKRU, [X86_INSN_WRPKRU] = gen_PKRU,
    [X86_INSN_XSAVE] = gen_XSAVE, [X86_INSN_XRSTOR] = gen_XSAVE,
    /* MSRs, fast system calls (translate-msr.c) */
    [X86_INSN_RDMSR] = gen_RDMSR_WRMSR, [X86_INSN_WRMSR] = gen_RDMSR_WRMSR,
    [X86_INSN_SYSCALL] = gen_SYSCALL, [X86_INSN_SYSRET] = gen_SYSRET,
    [X86_INSN_SYSENTER] = gen_SYSENTER_SYSEXIT, [X86_INSN_SYSEXIT] = gen_SYSENTER_SYSEXIT,
    /* BMI1, BMI2, ADX, MOVBE, CRC32 (translate-bmi.c) */
    [X86_INSN_ANDN] = gen_ANDN, [X86_INSN_BEXTR] = gen_BEXTR, [X86_INSN_BLSI] = gen_BLSI,
    [X86_INSN_BLSMSK] = gen_BLSMSK, [X86_INSN_BLSR] = gen_BLSR, [X86_INSN_BZHI] = gen_BZHI,
    [X86_INSN_MULX] = gen_MULX, [X86_INSN_PDEP] = gen_PDEP, [X86_INSN_PEXT] = gen_PEXT,
    [X86_INSN_RORX] = gen_RORX, [X86_INSN_SARX] = gen_SARX, [X86_INSN_SHLX] = gen_SHLX,
    [X86_INSN_SHRX] = gen_SHRX, [X86_INSN_ADCX] = gen_ADCX, [X86_INSN_ADOX] = gen_ADOX,
    [X86_INSN_MOVBE] = gen_MOVBE, [X86_INSN_CRC32] = gen_CRC32,
    /* x87 (translate-x87.c dispatches by kind) */
    [X86_INSN_FLD ... X86_INSN_FWAIT] = gen_X87,
    [X86_INSN_EMMS] = gen_MMX,
    /* SSE..SSSE3 (translate-sse.c dispatches by kind) */
    [X86_INSN_MOVA ... X86_INSN_FXRSTOR] = gen_SSE,
};

/* ---- the block loop ------------------------------------------------------ */

int x86_code_fetch(void *opaque, unsigned offset)
{
    X86CodeFetch *f = opaque;
    uint64_t addr = f->s->pc + offset;

    if (!f->s->code64 && f->s->cs_limit != 0xffffffffu &&
        addr - f->s->cs_base > f->s->cs_limit) {
        f->past_limit = true;
        return -1;
    }
    if (!f->first && !x86_in_block_page(f->s, addr)) {
        return -1;
    }
    if (offset + 1 > f->fetched) {
        f->fetched = offset + 1;
    }
    return (int)cpu_ld_code(f->cs, addr, MO_8, f->s->mmu_idx);
}

int x86_decode_at(DisasContext *s, X86CodeFetch *fetch, bool first, X86DecodedInsn *d)
{
    fetch->first = first;
    fetch->fetched = 0;
    fetch->past_limit = false;
    return x86_decode(d, s->mode, x86_code_fetch, fetch);
}

void gen_exit_request_check(TCGLabel *exit)
{
    TCGv_i32 req = tcg_temp_new_i32();

    tcg_gen_ld_i32(req, tcg_env, x86_env_exit_request_offset());
    tcg_gen_brcondi_i32(TCG_COND_NE, req, 0, exit);
}

/* -icount: budget -= the block's count (set by gen_icount_end), leaving
 * through expired instead when the budget is short.  Returns the op whose
 * constant gen_icount_end fills in. */
static TCGOp *gen_icount_start(TCGLabel *expired)
{
    TCGv_i32 b = tcg_temp_new_i32();
    TCGOp *count;

    tcg_gen_ld_i32(b, tcg_env, x86_env_icount_budget_offset());
    tcg_gen_sub_i32(b, b, tcg_constant_i32(0));
    count = tcg_last_op();
    tcg_gen_brcondi_i32(TCG_COND_LT, b, 0, expired);
    tcg_gen_st_i32(b, tcg_env, x86_env_icount_budget_offset());
    return count;
}

static void gen_icount_end(TCGOp *count, int num_insns)
{
    tcg_op_set_input_const(count, 1, num_insns);
}

/* Translate from s->pc until the instruction that ends this path (a jump,
 * an exception, the page's end or max_insns in all); *num_insns counts. */
static void translate_path(DisasContext *s, X86CodeFetch *fetch, int *num_insns, int max_insns)
{
    int n = *num_insns;

    for (;;) {
        X86DecodedInsn d;
        int len;

        if (x86_gen_insn_breakpoint(s, n)) {
            s->pc_next = s->pc;     /* the breakpoint starts the next block */
            s->is_jmp = DISAS_TOO_MANY;
            break;
        }
        len = x86_decode_at(s, fetch, n == 0, &d);
        if (len == X86_DECODE_TRUNC && fetch->past_limit && n == 0) {
            /* a byte beyond CS.limit: #GP(0) at the instruction (SDM 5.3) */
            len = X86_DECODE_GP;
        } else if (len == X86_DECODE_TRUNC) {
            /* crosses onto the next page or CS.limit: the next block starts
             * with it */
            s->pc_next = s->pc;
            s->is_jmp = DISAS_TOO_MANY;
            break;
        }
        tcg_gen_insn_start(s->pc, s->cc_op |
                           (len > 0 ? x86_insn_stack_info(s, &d) << X86_INSN_STK_SHIFT : 0));
        n++;
        if (n == 1 && (s->flags & HF_INHIBIT_IRQ_MASK)) {
            TCGv_i32 h = tcg_temp_new_i32();
            tcg_gen_ld_i32(h, tcg_env, offsetof(CPUX86State, hflags));
            tcg_gen_andi_i32(h, h, ~HF_INHIBIT_IRQ_MASK);
            tcg_gen_st_i32(h, tcg_env, offsetof(CPUX86State, hflags));
        }
        if (n == 1) {
            gen_clear_rf(s);
        }
        s->A0 = NULL;
        s->lock_old = NULL;
        s->lock_rmw = len > 0 && d.op[0].kind == X86_OPK_MEM &&
                      ((d.prefixes & X86_PFX_LOCK) || d.e.kind == X86_INSN_XCHG);
        if (len < 0) {
            s->pc_next = s->pc + MAX(fetch->fetched, 1u);
            if (len == X86_DECODE_GP) {
                gen_exception_gp0(s);
            } else {
                gen_exception(s, EXCP06_ILLOP);
            }
            break;
        }
        s->pc_next = s->pc + len;
        if (x86_gen_table[d.e.kind] && x86_insn_feature_ok(s->env, d.e.kind)) {
            x86_gen_table[d.e.kind](s, &d);
        } else {
            gen_exception(s, EXCP06_ILLOP);
        }
        if (s->is_jmp != DISAS_NEXT) {
            break;
        }
        s->pc = s->pc_next;
        if (n >= max_insns || !x86_in_block_page(s, s->pc)) {
            s->is_jmp = DISAS_TOO_MANY;
            break;
        }
    }

    switch (s->is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb(s, s->pc_next);
        break;
    case DISAS_EOB_NEXT:
        /* the CPU state the block was translated for changed: the next
         * block by the new state (helper_lookup_tb_ptr) */
        gen_store_rip(s, s->pc_next);
        gen_eob_lookup(s);
        break;
    case DISAS_JUMP:
        gen_eob_lookup(s);
        break;
    default:
        break;
    }
    *num_insns = n;
}

void x86_translate_block(CPUX86State *env, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx = { 0 }, *s = &ctx;
    X86CodeFetch fetch = { .cs = env_cpu(env), .s = s };
    TCGLabel *exit_label = gen_new_label();
    TCGLabel *icount_label = NULL;
    TCGOp *icount_op = NULL;
    int num_insns = 0;
    uint64_t hi;

    s->tb = tb;
    s->env = env;
    s->cs_base = x86_tb_cs_base(tb->cs_base);
    s->cs_limit = x86_tb_cs_limit(tb->cs_base);
    s->flags = tb->flags;
    s->cpl = tb->flags & HF_CPL_MASK;
    s->iopl = (tb->flags & IOPL_MASK) >> 12;
    s->code64 = tb->flags & HF_CS64_MASK;
    s->mode = s->code64 ? X86_MODE_64 : (tb->flags & HF_CS32_MASK) ? X86_MODE_32 : X86_MODE_16;
    /* EFLAGS.AC lifts SMAP for the explicit accesses of CPL 0-2 */
    s->mmu_idx = s->cpl != 3 ? ((tb->flags & AC_MASK) ? MMU_KNOSMAP_IDX : MMU_KSMAP_IDX)
                 : (tb->flags & HF_AM_MASK) && (tb->flags & AC_MASK) ? MMU_USER_AC_IDX
                 : MMU_USER_IDX;
    s->cc_op = CC_OP_DYNAMIC;
    s->cc_srcT = NULL;
    /* The instruction in an STI/MOV SS shadow does not chain: the next
     * block is looked up (helper_lookup_tb_ptr), which takes an interrupt
     * that was pending while IF was clear. */
    s->jmp_opt = !(tb->cflags & (CF_NO_CHAIN | CF_SINGLE_STEP)) &&
                 !(tb->flags & (HF_TF_MASK | HF_INHIBIT_IRQ_MASK));
    s->pc = tb->pc;
    if ((tb->cflags & CF_SINGLE_STEP) ||
        (tb->flags & (HF_TF_MASK | HF_INHIBIT_IRQ_MASK | HF_RF_MASK))) {
        max_insns = 1;
    }
    max_insns = MIN(max_insns, TB_MAX_INSNS);
    /* -icount: one count per block entry, so every path through the
     * block must run all of it: no regions (a loop back to the start is
     * a new entry, counted again) */
    if (s->jmp_opt && max_insns > 1 && !(tb->cflags & CF_USE_ICOUNT)) {
        x86_region_scan(s, &fetch, max_insns);
    }

    gen_exit_request_check(exit_label);
    if (tb->cflags & CF_USE_ICOUNT) {
        icount_label = gen_new_label();
        icount_op = gen_icount_start(icount_label);
    }

    translate_path(s, &fetch, &num_insns, max_insns);
    hi = s->pc_next;
    while (x86_region_next(s, &fetch)) {
        if (num_insns >= max_insns) {
            gen_goto_tb(s, s->pc);      /* no room left: leave from here */
            continue;
        }
        translate_path(s, &fetch, &num_insns, max_insns);
        hi = MAX(hi, s->pc_next);
    }
    x86_region_finish(s);
    tb->size = (uint32_t)(hi - tb->pc);

    gen_set_label(exit_label);
    tcg_gen_exit_tb(tb, TB_EXIT_REQUESTED);
    if (icount_op) {
        gen_icount_end(icount_op, num_insns);
        gen_set_label(icount_label);
        tcg_gen_exit_tb(tb, TB_EXIT_ICOUNT_EXPIRED);
    }
}
