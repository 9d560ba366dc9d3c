/*
 * translate-legacy.c: instructions that firmware and 16/32-bit code use
 * beyond the 64-bit set: PUSHA/POPA (60, 61; #UD in 64-bit mode) and the
 * far-pointer loads LES, LDS (C4, C5 outside 64-bit mode), LSS, LFS, LGS
 * (0F B2, B4, B5).  Stack accesses go through gen_stack_addr, so they obey
 * SS.base and the 16/32-bit stack size; every memory access comes before
 * any register changes, so a fault leaves the state at the instruction.
 */
#include "target-x86/translate.h"
#include "target-x86/internal.h"

/* 60: push eAX, eCX, eDX, eBX, the original eSP, eBP, eSI, eDI. */
void gen_PUSHA(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->ot, size = 1u << ot;
    TCGv_i64 sp = tcg_temp_new_i64();

    for (int reg = R_EAX; reg <= R_EDI; reg++) {
        tcg_gen_subi_i64(sp, cpu_regs[R_ESP], (int64_t)(reg + 1) * size);
        tcg_gen_guest_st_i64(cpu_regs[reg], gen_stack_addr(s, sp, ot, true), s->mmu_idx,
                             (MemOp)ot);
    }
    gen_sp_set(s, sp);
}

/* 61: pop eDI, eSI, eBP, (eSP skipped), eBX, eDX, eCX, eAX. */
void gen_POPA(DisasContext *s, X86DecodedInsn *d)
{
    unsigned ot = d->ot, size = 1u << ot;
    TCGv_i64 vals[8], sp = tcg_temp_new_i64();

    for (int reg = R_EAX; reg <= R_EDI; reg++) {
        if (reg == R_ESP) {
            continue;
        }
        vals[reg] = tcg_temp_new_i64();
        tcg_gen_addi_i64(sp, cpu_regs[R_ESP], (int64_t)(R_EDI - reg) * size);
        tcg_gen_guest_ld_i64(vals[reg], gen_stack_addr(s, sp, ot, false), s->mmu_idx,
                             (MemOp)ot);
    }
    for (int reg = R_EAX; reg <= R_EDI; reg++) {
        if (reg != R_ESP) {
            gen_reg_st(ot, reg, false, vals[reg]);
        }
    }
    gen_sp_add(s, 8 * size);
}

/* The segment a far-pointer load writes, by opcode. */
static int x86_lseg_seg(const X86DecodedInsn *d)
{
    switch (d->opcode) {
    case 0xc4:
        return R_ES;
    case 0xc5:
        return R_DS;
    case 0x0fb2:
        return R_SS;
    case 0x0fb4:
        return R_FS;
    default:
        return R_GS;
    }
}

/* les/lds/lss/lfs/lgs r, m16:16/32/64: the segment (helper_load_seg's
 * checks) first, then the register.  A register operand is #UD. */
void gen_LSEG(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 a0, off, sel;

    if (d->op[1].kind != X86_OPK_MEM) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    a0 = gen_a0(s, d);
    off = tcg_temp_new_i64();
    sel = tcg_temp_new_i64();
    tcg_gen_guest_ld_i64(off, a0, s->mmu_idx, (MemOp)d->ot);
    tcg_gen_addi_i64(sel, a0, 1 << d->ot);
    tcg_gen_guest_ld_i64(sel, sel, s->mmu_idx, MO_16);
    gen_load_seg(s, x86_lseg_seg(d), sel);
    gen_op_st(s, d, 0, off);
}
