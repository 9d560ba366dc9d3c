/*
 * translate-misc.c: compare-exchange and exchange-add (cmpxchg,
 * cmpxchg8b/16b, xadd), lahf/sahf, enter, rdtsc/rdtscp, rdrand/rdseed,
 * the fences and clflush; lgdt/lidt (so that guest tests can catch faults).
 *
 * LOCK: vCPUs run in parallel, one host thread each.  Each RMW below is
 * written as load -> new value -> one store (cmpxchg stores
 * unconditionally, as the locked bus cycle does); with LOCK the store is a
 * compare-and-swap against the loaded value (gen_op_st, translate.c), and
 * lock cmpxchg8b/16b call the CAS helpers directly.  Which instructions
 * accept LOCK is the decoder's X86_F_LOCK (decode.c: #UD otherwise, or with
 * a register destination).
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"

/* A copy of operand i (gen_op_ld may return the register global itself). */
static TCGv_i64 gen_op_ld_copy(DisasContext *s, X86DecodedInsn *d, int i)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_mov_i64(t, gen_op_ld(s, d, i));
    return t;
}

/* cmpxchg: flags of rAX - dst; equal: dst = src, else rAX = dst. */
void gen_CMPXCHG(DisasContext *s, X86DecodedInsn *d)
{
    X86DecodedOp *o = &d->op[0];
    unsigned ot = o->ot;
    TCGv_i64 cmpv = gen_ext_tmp(ot, cpu_regs[R_EAX], false), cmp = tcg_temp_new_i64();
    TCGv_i64 newv = gen_op_ld_copy(s, d, 1), oldv = gen_op_ld_copy(s, d, 0);

    tcg_gen_mov_i64(cmp, cmpv);               /* rAX may change below */
    if (o->kind == X86_OPK_MEM) {
        TCGv_i64 st = tcg_temp_new_i64();

        tcg_gen_movcond_i64(TCG_COND_EQ, st, oldv, cmp, newv, oldv);
        gen_op_st(s, d, 0, st);
    }
    tcg_gen_sub_i64(cpu_cc_dst, cmp, oldv);
    tcg_gen_mov_i64(cpu_cc_src, oldv);
    set_cc_op(s, CC_OP_SUBB + ot);
    if (o->kind == X86_OPK_REG) {
        gen_reg_st_cond(TCG_COND_EQ, oldv, cmp, ot, o->reg, o->high_byte, newv);
    }
    gen_reg_st_cond(TCG_COND_NE, oldv, cmp, ot, R_EAX, false, oldv);
}

/* cmpxchg8b m64 / cmpxchg16b m128 (REX.W): rDX:rAX vs memory; only ZF. */
void gen_CMPXCHG8B(DisasContext *s, X86DecodedInsn *d)
{
    bool wide = d->rex & 8;
    TCGv_i64 a0, lo = tcg_temp_new_i64(), hi = NULL, eq = tcg_temp_new_i64();
    TCGv_i64 nlo = tcg_temp_new_i64();

    if (wide) {
        /* #GP(0) unless 16-byte aligned */
        TCGLabel *ok = gen_new_label();
        TCGv_i64 t = tcg_temp_new_i64();

        gen_update_cc_op(s);
        tcg_gen_andi_i64(t, gen_a0(s, d), 15);
        tcg_gen_brcondi_i64(TCG_COND_EQ, t, 0, ok);
        gen_store_rip(s, s->pc);
        gen_helper_raise_exception_err(tcg_env, tcg_constant_i32(EXCP0D_GPF),
                                       tcg_constant_i32(0));
        gen_set_label(ok);
        s->A0 = NULL;                         /* temps died at the label */
    }
    a0 = gen_a0(s, d);
    if (wide && s->lock_rmw) {
        /* one 16-byte CAS; on failure the helper loads rDX:rAX itself */
        gen_helper_atomic_cmpxchg16b(eq, tcg_env, a0, tcg_constant_i32(s->mmu_idx));
        gen_set_zf(s, eq);
        return;
    }
    tcg_gen_guest_ld_i64(lo, a0, s->mmu_idx, MO_64);
    if (wide) {
        TCGv_i64 a8 = tcg_temp_new_i64(), nhi = tcg_temp_new_i64(), t = tcg_temp_new_i64();

        hi = tcg_temp_new_i64();
        tcg_gen_addi_i64(a8, a0, 8);
        tcg_gen_guest_ld_i64(hi, a8, s->mmu_idx, MO_64);
        tcg_gen_setcond_i64(TCG_COND_EQ, eq, lo, cpu_regs[R_EAX]);
        tcg_gen_setcond_i64(TCG_COND_EQ, t, hi, cpu_regs[R_EDX]);
        tcg_gen_and_i64(eq, eq, t);
        tcg_gen_movcond_i64(TCG_COND_NE, nlo, eq, tcg_constant_i64(0), cpu_regs[R_EBX], lo);
        tcg_gen_movcond_i64(TCG_COND_NE, nhi, eq, tcg_constant_i64(0), cpu_regs[R_ECX], hi);
        tcg_gen_guest_st_i64(nlo, a0, s->mmu_idx, MO_64);
        tcg_gen_guest_st_i64(nhi, a8, s->mmu_idx, MO_64);
    } else {
        TCGv_i64 cmp = tcg_temp_new_i64(), nv = tcg_temp_new_i64(), t = tcg_temp_new_i64();

        tcg_gen_shli_i64(cmp, cpu_regs[R_EDX], 32);
        tcg_gen_ext32u_i64(t, cpu_regs[R_EAX]);
        tcg_gen_or_i64(cmp, cmp, t);
        tcg_gen_shli_i64(nv, cpu_regs[R_ECX], 32);
        tcg_gen_ext32u_i64(t, cpu_regs[R_EBX]);
        tcg_gen_or_i64(nv, nv, t);
        tcg_gen_setcond_i64(TCG_COND_EQ, eq, lo, cmp);
        tcg_gen_movcond_i64(TCG_COND_NE, nlo, eq, tcg_constant_i64(0), nv, lo);
        if (s->lock_rmw) {
            gen_helper_atomic_cmpxchg(tcg_env, a0, lo, nlo,
                                      tcg_constant_i32(make_memop_idx(MO_64,
                                                                      (unsigned)s->mmu_idx)));
        } else {
            tcg_gen_guest_st_i64(nlo, a0, s->mmu_idx, MO_64);
        }
        hi = tcg_temp_new_i64();
        tcg_gen_shri_i64(hi, lo, 32);
    }

    gen_set_zf(s, eq);
    /* on failure rDX:rAX = memory (eq is now 0 or CC_Z) */
    {
        TCGv_i64 zero = tcg_constant_i64(0);
        unsigned ot = wide ? MO_64 : MO_32;

        gen_reg_st_cond(TCG_COND_EQ, eq, zero, ot, R_EAX, false, lo);
        gen_reg_st_cond(TCG_COND_EQ, eq, zero, ot, R_EDX, false, hi);
    }
}

/* xadd: tmp = dst + src; src = dst; dst = tmp (same register: the sum) */
void gen_XADD(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a = gen_op_ld_copy(s, d, 0), b = gen_op_ld_copy(s, d, 1);
    TCGv_i64 sum = tcg_temp_new_i64();
    bool mem = d->op[0].kind == X86_OPK_MEM;

    tcg_gen_add_i64(sum, a, b);
    if (mem) {
        gen_op_st(s, d, 0, sum);
    }
    tcg_gen_mov_i64(cpu_cc_src, b);
    tcg_gen_mov_i64(cpu_cc_dst, sum);
    set_cc_op(s, CC_OP_ADDB + d->op[0].ot);
    gen_op_st(s, d, 1, a);
    if (!mem) {
        gen_op_st(s, d, 0, sum);
    }
}

/* ---- flags to and from AH ------------------------------------------------ */

#define AH_FLAGS (CC_S | CC_Z | CC_A | CC_P | CC_C)

void gen_LAHF(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_andi_i64(t, gen_compute_eflags_tmp(s), AH_FLAGS);
    tcg_gen_ori_i64(t, t, 2);                  /* bit 1 reads as 1 */
    gen_reg_st(MO_8, R_EAX, true, t);
}

void gen_SAHF(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 f = tcg_temp_new_i64(), ah = gen_reg_ld(MO_8, R_EAX, true);

    tcg_gen_andi_i64(f, gen_compute_eflags_tmp(s), CC_O);
    tcg_gen_andi_i64(ah, ah, AH_FLAGS);
    tcg_gen_or_i64(cpu_cc_src, f, ah);
    set_cc_op(s, CC_OP_EFLAGS);
}

/* ---- enter ----------------------------------------------------------------- */

/*
 * enter imm16, level: push rBP; with level > 0 copy level - 1 frame
 * pointers from the old frame and push the new one; rBP = the new frame,
 * rSP -= imm16.  Every store comes before the register writes.
 */
void gen_ENTER(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->ot, size = 1u << ot;
    unsigned level = d->op[1].imm & 31, i;
    uint16_t alloc = (uint16_t)d->op[0].imm;
    TCGv_i64 frame = tcg_temp_new_i64(), a = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    tcg_gen_subi_i64(frame, cpu_regs[R_ESP], size);
    tcg_gen_guest_st_i64(cpu_regs[R_EBP], gen_stack_addr(s, frame, ot, true), s->mmu_idx,
                         (MemOp)ot);
    if (level) {
        for (i = 1; i < level; i++) {
            tcg_gen_subi_i64(a, cpu_regs[R_EBP], (int64_t)i * size);
            tcg_gen_guest_ld_i64(t, gen_stack_addr(s, a, ot, false), s->mmu_idx, (MemOp)ot);
            tcg_gen_subi_i64(a, frame, (int64_t)i * size);
            tcg_gen_guest_st_i64(t, gen_stack_addr(s, a, ot, true), s->mmu_idx, (MemOp)ot);
        }
        tcg_gen_subi_i64(a, frame, (int64_t)level * size);
        tcg_gen_guest_st_i64(frame, gen_stack_addr(s, a, ot, true), s->mmu_idx, (MemOp)ot);
    }
    gen_reg_st(ot, R_EBP, false, frame);
    tcg_gen_subi_i64(a, frame, (int64_t)level * size + alloc);
    gen_sp_set(s, a);
}

/* ---- time stamp counter, random numbers -------------------------------- */

/* rdtsc: EDX:EAX = TSC; rdtscp (0F 01 F9) also ECX = IA32_TSC_AUX. */
void gen_RDTSC(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 tsc = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

    gen_outside_read_start(s);
    gen_helper_rdtsc(tsc, tcg_env);
    tcg_gen_shri_i64(hi, tsc, 32);
    gen_reg_st(MO_32, R_EAX, false, tsc);
    gen_reg_st(MO_32, R_EDX, false, hi);
    if (d->e.kind == X86_INSN_RDTSCP) {
        TCGv_i64 aux = tcg_temp_new_i64();

        tcg_gen_ld_i64(aux, tcg_env, offsetof(CPUX86State, tsc_aux));
        gen_reg_st(MO_32, R_ECX, false, aux);
    }
    gen_outside_read_end(s);
}

/* rdrand/rdseed r16/32/64: a value from tern's generator; CF = 1, rest 0 */
void gen_RDRAND(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    /* F3/F2 0F C7 /6 /7 are other instructions (senduipi, rdpid) */
    if (d->op[0].kind != X86_OPK_REG || (d->prefixes & (X86_PFX_REPZ | X86_PFX_REPNZ))) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_outside_read_start(s);
    gen_helper_rdrand(v, tcg_env);
    gen_op_st(s, d, 0, v);
    tcg_gen_movi_i64(cpu_cc_src, CC_C);
    set_cc_op(s, CC_OP_EFLAGS);
    gen_outside_read_end(s);
}

/* ---- fences, cache-line flushes ----------------------------------------- */

/* 0F AE /5 lfence, /6 mfence (register forms; the memory forms are the
 * xsave family, not implemented here). */
void gen_FENCE(DisasContext *s, X86DecodedInsn *d)
{
    bool lfence = ((d->modrm >> 3) & 7) == 5;

    if (d->op[0].kind != X86_OPK_REG) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    tcg_gen_mb(lfence ? TCG_MO_LD_LD | TCG_MO_LD_ST : TCG_MO_ALL);
}

/* 0F AE /7: register form sfence; memory form clflush (66: clflushopt),
 * which has no cache to act on but checks the access like a byte read. */
void gen_CLFLUSH(DisasContext *s, X86DecodedInsn *d)
{
    if (d->op[0].kind == X86_OPK_REG) {
        tcg_gen_mb(TCG_MO_ST_ST);
        return;
    }
    if (d->prefixes & (X86_PFX_REPZ | X86_PFX_REPNZ)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_helper_clflush(tcg_env, gen_a0(s, d));
}

/* ---- descriptor tables -------------------------------------------------- */

/* lgdt/lidt m: a 16-bit limit, then the base: 8 bytes in 64-bit mode, else
 * 4 (24 bits used with a 16-bit operand size).  CPL 0 only. */
void gen_LGIDT(DisasContext *s, X86DecodedInsn *d)
{
    bool idt = ((d->modrm >> 3) & 7) == 3;
    TCGv_i64 a0, a2 = tcg_temp_new_i64(), limit = tcg_temp_new_i64(), base = tcg_temp_new_i64();

    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    a0 = gen_a0(s, d);
    tcg_gen_addi_i64(a2, a0, 2);
    tcg_gen_guest_ld_i64(limit, a0, s->mmu_idx, MO_16);
    tcg_gen_guest_ld_i64(base, a2, s->mmu_idx, s->code64 ? MO_64 : MO_32);
    if (!s->code64 && d->ot == MO_16) {
        tcg_gen_andi_i64(base, base, 0xffffff);
    }
    tcg_gen_st32_i64(limit, tcg_env, idt ? offsetof(CPUX86State, idt.limit)
                                         : offsetof(CPUX86State, gdt.limit));
    tcg_gen_st_i64(base, tcg_env, idt ? offsetof(CPUX86State, idt.base)
                                      : offsetof(CPUX86State, gdt.base));
}
