/*
 * translate-system.c: system instructions: MOV to and from the control
 * registers, CLTS, INT n, IRET, SLDT/STR/LLDT/LTR, VERR/VERW, LAR/LSL, MOV
 * Sreg, PUSH/POP FS/GS, SGDT/SIDT, SMSW/LMSW, INVD/WBINVD, INVLPG, INVPCID,
 * STAC/CLAC, SWAPGS and the XSAVE family (XGETBV, XSETBV, XSAVE, XRSTOR).
 * LGDT/LIDT are in translate-misc.c.
 *
 * What the translator knows it checks here, in the SDM's order: #UD for
 * encodings that name no register (CR1, CR5-CR7, CR9-CR15; MOV to CS),
 * for instructions outside their mode (SLDT..LTR, VERR, VERW, LAR and LSL
 * in real and virtual-8086 mode, SWAPGS outside 64-bit mode) and for the
 * XSAVE family without CR4.OSXSAVE; #GP(0) at CPL > 0 for the privileged
 * ones; #NM for XSAVE and XRSTOR with CR0.TS.  Values are checked by the
 * helpers (system_helper.c, seg_helper.c, xsave_helper.c), which raise
 * with the instruction's state.  An instruction that changes what the TB flags
 * capture (CR0, CR3, CR4, CR8, segment registers, IRET) or the mapping of
 * the following code (INVLPG) ends the block and returns to the exec loop,
 * so that the next instruction is translated under the new state.
 */
#include "target-x86/translate.h"
#include "target-x86/helper.h"
#include "target-x86/sse-internal.h"

/* Protected mode, not virtual-8086 (SLDT, STR, LLDT, LTR, ...) */
static bool x86_protected(DisasContext *s)
{
    return (s->flags & HF_PE_MASK) && !(s->flags & VM_MASK);
}

/* ---- control registers ------------------------------------------------ */

/* 0F 20 (read), 0F 22 (write): CR0, CR2, CR3, CR4, CR8 (REX.R). */
void gen_MOV_CR(DisasContext *s, X86DecodedInsn *d)
{
    bool write = d->op[0].kind == X86_OPK_CR;
    int cr = d->op[write ? 0 : 1].reg;

    if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    if (write) {
        gen_helper_write_cr(tcg_env, tcg_constant_i32(cr), gen_op_ld(s, d, 1));
        if (cr != 2) {
            s->is_jmp = DISAS_EOB_NEXT;     /* mode bits, paging, TPR */
        }
    } else {
        TCGv_i64 v = tcg_temp_new_i64();

        if (cr == 8) {
            gen_outside_read_start(s);
            gen_helper_read_cr8(v, tcg_env);        /* the APIC's TPR */
        } else {
            tcg_gen_ld_i64(v, tcg_env, offsetof(CPUX86State, cr[0]) + 8 * cr);
        }
        gen_op_st(s, d, 0, v);
        if (cr == 8) {
            gen_outside_read_end(s);
        }
    }
}

void gen_CLTS(DisasContext *s, X86DecodedInsn *d)
{
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    gen_helper_clts(tcg_env);
    s->is_jmp = DISAS_EOB_NEXT;             /* HF_TS */
}

/* ---- INT n, IRET -------------------------------------------------------- */

/* CD ib: a software interrupt through IDT entry n, whose gate DPL must
 * admit the CPL (#GP(n * 8 + 2) at delivery).  In virtual-8086 mode
 * vme_helper.c decides: IOPL 3, or CR4.VME's redirection to the 8086 IVT
 * (after which the block ends at the new CS:IP), else #GP(0). */
void gen_INT(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 vector = tcg_constant_i32(d->op[0].imm & 0xff);

    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    if (s->flags & VM_MASK) {
        gen_helper_v86_int(tcg_env, vector, tcg_constant_i32(d->len));
        if (!gen_single_step(s)) {
            tcg_gen_exit_tb(NULL, 0);
        }
    } else {
        gen_helper_raise_interrupt(tcg_env, vector, tcg_constant_i32(d->len));
    }
    s->is_jmp = DISAS_NORETURN;
}

/* CF: iret (66), iretd, iretq (REX.W).  The helper pops the frame, checks
 * the descriptors and loads CS, SS (64-bit mode and privilege changes),
 * RFLAGS by CPL and IOPL; any fault leaves the state at the IRET. */
void gen_IRET(DisasContext *s, X86DecodedInsn *d)
{
    gen_update_cc_op(s);
    gen_store_rip(s, s->pc);
    if (!(s->flags & HF_PE_MASK)) {
        gen_helper_iret_real(tcg_env, tcg_constant_i32(d->ot == MO_32));
    } else if (s->flags & VM_MASK) {
        if (!gen_v86_op16_check(s, d->ot)) {
            return;
        }
        if (x86_v86_sensitive(s)) {
            gen_helper_vme_iret(tcg_env);     /* #GP(0) without CR4.VME */
        } else {
            gen_helper_iret_real(tcg_env, tcg_constant_i32(d->ot == MO_32));
        }
    } else {
        gen_helper_iret_protected(tcg_env, tcg_constant_i32(d->ot - MO_16),
                                  tcg_constant_i32((uint32_t)(s->pc_next - s->cs_base)));
    }
    /* rip, CS, the flags and the lazy flags state are the helper's */
    if (!gen_single_step(s)) {
        tcg_gen_exit_tb(NULL, 0);
    }
    s->is_jmp = DISAS_NORETURN;
}

/* ---- LDTR, TR, segment registers, descriptor tables --------------------- */

/* CR4.UMIP hides the system registers from CPL > 0 (priv_helper.c); CR4 is
 * not in the TB flags, so the helper reads it, and only above ring 0. */
static void gen_umip_check(DisasContext *s)
{
    if (s->cpl != 0) {
        gen_helper_check_umip(tcg_env);
    }
}

/* 0F 00 /0 sldt, /1 str: a register gets the selector zero-extended (or
 * its low word with a 16-bit operand), memory always 16 bits. */
void gen_SLDT_STR(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (!x86_protected(s)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_umip_check(s);
    tcg_gen_ld32u_i64(v, tcg_env, d->e.kind == X86_INSN_SLDT
                                  ? offsetof(CPUX86State, ldt.selector)
                                  : offsetof(CPUX86State, tr.selector));
    if (d->op[0].kind == X86_OPK_MEM) {
        tcg_gen_guest_st_i64(v, gen_a0(s, d), s->mmu_idx, MO_16);
    } else {
        gen_op_st(s, d, 0, v);
    }
}

/* 0F 00 /2 lldt, /3 ltr r/m16 */
void gen_LLDT_LTR(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 sel = tcg_temp_new_i32();

    if (!x86_protected(s)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    tcg_gen_extrl_i64_i32(sel, gen_op_ld(s, d, 0));
    if (d->e.kind == X86_INSN_LLDT) {
        gen_helper_lldt(tcg_env, sel);
    } else {
        gen_helper_ltr(tcg_env, sel);
    }
}

/* 0F 00 /4 verr, /5 verw r/m16: ZF = may the CPL and the selector's RPL
 * read (write) the segment; a bad selector only clears ZF (seg_helper.c).
 * The other flags are kept. */
void gen_VERR_VERW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 sel = tcg_temp_new_i32(), ok = tcg_temp_new_i32();
    TCGv_i64 zf = tcg_temp_new_i64();

    if (!x86_protected(s)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    tcg_gen_extrl_i64_i32(sel, gen_op_ld(s, d, 0));
    gen_helper_verr_verw(ok, tcg_env, sel, tcg_constant_i32(d->e.kind == X86_INSN_VERW));
    tcg_gen_extu_i32_i64(zf, ok);
    gen_set_zf(s, zf);
}

/* 0F 02 lar, 0F 03 lsl r, r/m16: ZF = 1 and the access rights or the limit
 * in r (truncated to its size), or ZF = 0 and r untouched: with a 32-bit
 * operand not even zero-extended (as the Intel host leaves it). */
void gen_LAR_LSL(DisasContext *s, X86DecodedInsn *d)
{
    X86DecodedOp *o = &d->op[0];
    TCGv_i32 sel = tcg_temp_new_i32();
    TCGv_i64 v = tcg_temp_new_i64(), zf = tcg_temp_new_i64();

    if (!x86_protected(s)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    tcg_gen_extrl_i64_i32(sel, gen_op_ld(s, d, 1));
    gen_helper_lar_lsl(v, tcg_env, sel, tcg_constant_i32(d->e.kind == X86_INSN_LSL));
    tcg_gen_setcondi_i64(TCG_COND_NE, zf, v, -1);
    gen_reg_st_cond(TCG_COND_NE, zf, tcg_constant_i64(0), o->ot, o->reg, false, v);
    gen_set_zf(s, zf);
}

/* Interrupts stay blocked for one more instruction (MOV SS, POP SS) */
static void gen_inhibit_irq(void)
{
    TCGv_i32 h = tcg_temp_new_i32();

    tcg_gen_ld_i32(h, tcg_env, offsetof(CPUX86State, hflags));
    tcg_gen_ori_i32(h, h, HF_INHIBIT_IRQ_MASK);
    tcg_gen_st_i32(h, tcg_env, offsetof(CPUX86State, hflags));
}

/* Load segment register seg with the low 16 bits of val; ends the block. */
void gen_load_seg(DisasContext *s, int seg, TCGv_i64 val)
{
    TCGv_i32 sel = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(sel, val);
    gen_helper_load_seg(tcg_env, tcg_constant_i32(seg), sel);
    if (seg == R_SS) {
        gen_inhibit_irq();
        s->db_shadow = true;                /* and the TF trap (SDM 6.8.3) */
    }
    s->is_jmp = DISAS_EOB_NEXT;             /* hflags (CPL, ADDSEG, ...) */
}

/* 8C mov r/m, Sreg (memory: 16 bits; a register: the selector
 * zero-extended, or merged into its low word with a 16-bit operand);
 * 8E mov Sreg, r/m16 (CS: #UD). */
void gen_MOV_SEG(DisasContext *s, X86DecodedInsn *d)
{
    if (d->op[0].kind == X86_OPK_SEG) {
        if (d->op[0].reg == R_CS) {
            gen_exception(s, EXCP06_ILLOP);
            return;
        }
        gen_load_seg(s, d->op[0].reg, gen_op_ld(s, d, 1));
    } else {
        TCGv_i64 v = tcg_temp_new_i64();

        tcg_gen_ld32u_i64(v, tcg_env, offsetof(CPUX86State, segs[d->op[1].reg].selector));
        if (d->op[0].kind == X86_OPK_MEM) {
            tcg_gen_guest_st_i64(v, gen_a0(s, d), s->mmu_idx, MO_16);
        } else {
            gen_op_st(s, d, 0, v);
        }
    }
}

/* The segment register of push/pop Sreg: opcode bits 5:3 (06/07 ES, 0E CS,
 * 16/17 SS, 1E/1F DS, 0F A0/A1 FS, 0F A8/A9 GS), the R_* order. */
static int x86_push_pop_seg(const X86DecodedInsn *d)
{
    return (d->opcode >> 3) & 7;
}

/* 06 0E 16 1E (16/32-bit code), 0F A0 / 0F A8: push es/cs/ss/ds/fs/gs, the
 * selector zero-extended to the operand size (as the Intel host writes
 * it, tests/x86/sysregs.c) */
void gen_PUSH_SEG(DisasContext *s, X86DecodedInsn *d)
{
    int seg = x86_push_pop_seg(d);
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_ld32u_i64(v, tcg_env, offsetof(CPUX86State, segs[seg].selector));
    gen_push(s, d->ot, v);
}

/* 07 17 1F (16/32-bit code), 0F A1 / 0F A9: pop es/ss/ds/fs/gs; rsp moves
 * once the load succeeded */
void gen_POP_SEG(DisasContext *s, X86DecodedInsn *d)
{
    int seg = x86_push_pop_seg(d);
    TCGv_i64 v = gen_pop_ld(s, d->ot);

    gen_load_seg(s, seg, v);
    gen_sp_add(s, 1 << d->ot);
}

/* 0F 01 /0 sgdt, /1 sidt m: the 16-bit limit, then the base (8 bytes in
 * 64-bit mode, else 4).  Any CPL unless CR4.UMIP. */
void gen_SGIDT(DisasContext *s, X86DecodedInsn *d)
{
    bool idt = ((d->modrm >> 3) & 7) == 1;
    TCGv_i64 a0, a2 = tcg_temp_new_i64();
    TCGv_i64 limit = tcg_temp_new_i64(), base = tcg_temp_new_i64();

    gen_umip_check(s);
    a0 = gen_a0(s, d);
    tcg_gen_ld32u_i64(limit, tcg_env, idt ? offsetof(CPUX86State, idt.limit)
                                          : offsetof(CPUX86State, gdt.limit));
    tcg_gen_ld_i64(base, tcg_env, idt ? offsetof(CPUX86State, idt.base)
                                      : offsetof(CPUX86State, gdt.base));
    tcg_gen_addi_i64(a2, a0, 2);
    tcg_gen_guest_st_i64(limit, a0, s->mmu_idx, MO_16);
    tcg_gen_guest_st_i64(base, a2, s->mmu_idx, s->code64 ? MO_64 : MO_32);
}

/* 0F 01 /4 smsw: a register gets CR0 at the operand size (16 bits merge,
 * 32 zero-extend, REX.W all of CR0), memory always its low 16 bits. */
void gen_SMSW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 v = tcg_temp_new_i64();

    gen_umip_check(s);
    tcg_gen_ld_i64(v, tcg_env, offsetof(CPUX86State, cr[0]));
    if (d->op[0].kind == X86_OPK_MEM) {
        tcg_gen_guest_st_i64(v, gen_a0(s, d), s->mmu_idx, MO_16);
    } else {
        gen_op_st(s, d, 0, v);
    }
}

/* 0F 01 /6 lmsw r/m16: CPL 0; loads CR0 bits 3:0 (PE MP EM TS) but cannot
 * clear PE; through write_cr like MOV to CR0. */
void gen_LMSW(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 cr0 = tcg_temp_new_i64(), v = tcg_temp_new_i64();

    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    tcg_gen_andi_i64(v, gen_op_ld(s, d, 0), 0xf);
    tcg_gen_ld_i64(cr0, tcg_env, offsetof(CPUX86State, cr[0]));
    tcg_gen_andi_i64(cr0, cr0, ~(uint64_t)0xe);        /* PE stays if set */
    tcg_gen_or_i64(cr0, cr0, v);
    gen_helper_write_cr(tcg_env, tcg_constant_i32(0), cr0);
    s->is_jmp = DISAS_EOB_NEXT;                         /* PE, HF_TS, ... */
}

/* 0F 08 invd, 0F 09 wbinvd: CPL 0; tern models no caches, so no-ops. */
void gen_INVD(DisasContext *s, X86DecodedInsn *d)
{
    if (s->cpl != 0) {
        gen_exception_gp0(s);
    }
}

/* 0F 01 /7 invlpg m: the page of the linear address leaves the TLB. */
void gen_INVLPG(DisasContext *s, X86DecodedInsn *d)
{
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    gen_helper_invlpg(tcg_env, gen_a0(s, d));
    s->is_jmp = DISAS_EOB_NEXT;             /* the following code may move */
}

/* 0F 01 F8 swapgs: GS.base <-> IA32_KERNEL_GS_BASE; 64-bit mode, CPL 0. */
void gen_SWAPGS(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 gs = tcg_temp_new_i64(), k = tcg_temp_new_i64();

    if (!s->code64) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    tcg_gen_ld_i64(gs, tcg_env, offsetof(CPUX86State, segs[R_GS].base));
    tcg_gen_ld_i64(k, tcg_env, offsetof(CPUX86State, kernelgsbase));
    tcg_gen_st_i64(k, tcg_env, offsetof(CPUX86State, segs[R_GS].base));
    tcg_gen_st_i64(gs, tcg_env, offsetof(CPUX86State, kernelgsbase));
}

/* 0F 01 CB stac, 0F 01 CA clac: set or clear EFLAGS.AC; CPL 0 only (#UD
 * above, like a missing SMAP).  AC selects the MMU index (SMAP), so the
 * block ends. */
void gen_STAC(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 fl = tcg_temp_new_i64();

    if (s->cpl != 0) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    tcg_gen_ld_i64(fl, tcg_env, offsetof(CPUX86State, eflags));
    if ((d->modrm & 7) == 3) {
        tcg_gen_ori_i64(fl, fl, AC_MASK);
    } else {
        tcg_gen_andi_i64(fl, fl, ~(uint64_t)AC_MASK);
    }
    tcg_gen_st_i64(fl, tcg_env, offsetof(CPUX86State, eflags));
    s->is_jmp = DISAS_EOB_NEXT;
}

/* 66 0F 38 82 invpcid r, m128: CPL 0 in protected mode (#GP(0) otherwise,
 * real mode included); the type register is 64-bit in 64-bit mode, else
 * 32-bit whatever the operand size.  The helper checks the rest. */
void gen_INVPCID(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i64 type = tcg_temp_new_i64();

    if (!x86_protected(s) || s->cpl != 0) {
        gen_exception_gp0(s);
        return;
    }
    if (s->code64) {
        tcg_gen_mov_i64(type, cpu_regs[d->op[0].reg]);
    } else {
        tcg_gen_ext32u_i64(type, cpu_regs[d->op[0].reg]);
    }
    gen_helper_invpcid(tcg_env, type, gen_a0(s, d));
    s->is_jmp = DISAS_EOB_NEXT;             /* the following code may move */
}

/*
 * F3 0F AE /0-/3 (register): rdfsbase rdgsbase wrfsbase wrgsbase, 64-bit
 * mode with CR4.FSGSBASE, any CPL.  32-bit forms read the low half
 * (zero-extended) or write a zero-extended value; a 64-bit write must be
 * canonical (#GP(0)).  Only the base changes, not the selector.
 */
void gen_FSGSBASE(DisasContext *s, X86DecodedInsn *d)
{
    unsigned op = (d->modrm >> 3) & 3;
    intptr_t base = op & 1 ? offsetof(CPUX86State, segs[R_GS].base)
                           : offsetof(CPUX86State, segs[R_FS].base);

    if (!s->code64 || !(s->flags & HF_FSGSBASE_MASK)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (op < 2) {
        TCGv_i64 v = tcg_temp_new_i64();
        tcg_gen_ld_i64(v, tcg_env, base);
        gen_op_st(s, d, 0, v);
    } else {
        gen_helper_write_segbase(tcg_env, tcg_constant_i32(op & 1 ? R_GS : R_FS),
                                 gen_op_ld(s, d, 0));
    }
}

/* ---- XSAVE family ------------------------------------------------------- */

/* EDX:EAX, the instruction mask of XSETBV, XSAVE, XRSTOR */
static TCGv_i64 gen_edx_eax(void)
{
    TCGv_i64 v = tcg_temp_new_i64(), lo = tcg_temp_new_i64();

    tcg_gen_shli_i64(v, cpu_regs[R_EDX], 32);
    tcg_gen_ext32u_i64(lo, cpu_regs[R_EAX]);
    tcg_gen_or_i64(v, v, lo);
    return v;
}

/* 0F 01 D0 xgetbv: EDX:EAX = XCR[ECX]; 0F 01 D1 xsetbv: XCR[ECX] = EDX:EAX */
void gen_XGETBV(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 ecx = tcg_temp_new_i32();

    if (!(s->flags & HF_OSXSAVE_MASK)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    tcg_gen_extrl_i64_i32(ecx, cpu_regs[R_ECX]);
    if (d->e.kind == X86_INSN_XSETBV) {
        if (s->cpl != 0) {
            gen_exception_gp0(s);
            return;
        }
        gen_helper_xsetbv(tcg_env, ecx, gen_edx_eax());
    } else {
        TCGv_i64 v = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

        gen_helper_xgetbv(v, tcg_env, ecx);
        tcg_gen_shri_i64(hi, v, 32);
        gen_reg_st(MO_32, R_EAX, false, v);
        gen_reg_st(MO_32, R_EDX, false, hi);
    }
}

/* 0F 01 EE rdpkru: EDX:EAX = 0:PKRU; 0F 01 EF wrpkru: PKRU = EAX.  The
 * helpers check CR4.PKE and ECX/EDX at run time.  WRPKRU ends the block:
 * its helper flushes the TLB, whose entries hold key-checked rights. */
void gen_PKRU(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 ecx = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(ecx, cpu_regs[R_ECX]);
    if (d->e.kind == X86_INSN_WRPKRU) {
        TCGv_i32 edx = tcg_temp_new_i32(), eax = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(edx, cpu_regs[R_EDX]);
        tcg_gen_extrl_i64_i32(eax, cpu_regs[R_EAX]);
        gen_helper_wrpkru(tcg_env, ecx, edx, eax);
        s->is_jmp = DISAS_EOB_NEXT;
    } else {
        TCGv_i64 v = tcg_temp_new_i64();

        gen_helper_rdpkru(v, tcg_env, ecx);
        gen_reg_st(MO_32, R_EAX, false, v);
        gen_reg_st(MO_32, R_EDX, false, tcg_constant_i64(0));
    }
}

/* 0F AE /4 xsave, /5 xrstor m (REX.W: xsave64, xrstor64) */
void gen_XSAVE(DisasContext *s, X86DecodedInsn *d)
{
    TCGv_i32 mode = tcg_constant_i32((d->rex & 8) ? SSE_FX_64 : 0);

    if (!(s->flags & HF_OSXSAVE_MASK)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->flags & HF_TS_MASK) {
        gen_exception(s, EXCP07_PREX);
        return;
    }
    if (d->e.kind == X86_INSN_XSAVE) {
        gen_helper_xsave(tcg_env, gen_a0(s, d), gen_edx_eax(), mode);
    } else {
        gen_helper_xrstor(tcg_env, gen_a0(s, d), gen_edx_eax(), mode);
    }
}
