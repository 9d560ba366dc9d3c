/*
 * translate.h: state shared by the x86 translator's files (translate.c:
 * block loop, operands, control flow, system; translate-alu.c: arithmetic,
 * lazy flags and conditions).  Internal to target-x86.
 *
 * Precise-state invariant: within one instruction, the cc_* globals and the
 * static cc_op are changed only after the instruction's last operation that
 * can fault (guest store, faulting helper), so a fault restores a consistent
 * (pc, cc_op) from the insn_start record.
 */
#ifndef TARGET_X86_TRANSLATE_H
#define TARGET_X86_TRANSLATE_H

#include "target-x86/cpu.h"
#include "target-x86/decode.h"
#include "tcg/tcg.h"

typedef enum DisasJumpType {
    DISAS_NEXT,        /* go on with the next instruction */
    DISAS_TOO_MANY,    /* stop here; continue at pc_next (direct jump) */
    DISAS_JUMP,        /* rip is stored; look the next block up */
    DISAS_EOB_NEXT,    /* stop; rip = pc_next; return to the exec loop */
    DISAS_NORETURN,    /* the block's exit is emitted already */
} DisasJumpType;

/* A direct jump target inside the block (x86_translate_block: a region). */
typedef struct X86RegionEntry {
    uint64_t pc;
    TCGLabel *label;       /* the code translated at pc */
    TCGLabel *stop;        /* back edges' exit on an exit request, or NULL */
    CCOp cc_op;            /* what every edge into it has (else DYNAMIC) */
    bool placed;           /* label set: a jump to it is a back edge */
} X86RegionEntry;

#define X86_REGION_MAX 32

typedef struct DisasContext {
    TranslationBlock *tb;
    CPUX86State *env;
    uint64_t pc;           /* linear address of the current instruction */
    uint64_t pc_next;      /* linear address of the next instruction */
    uint64_t cs_base;
    uint32_t cs_limit;     /* outside 64-bit mode (0xffffffff: unchecked) */
    uint32_t flags;        /* tb->flags */
    int cpl, iopl;
    bool code64;
    X86DecodeMode mode;
    int mmu_idx;
    CCOp cc_op;            /* static cc_op, or CC_OP_DYNAMIC */
    bool cc_op_dirty;      /* cc_op differs from the value in env */
    /* The first operand of a SUB or CMP (cc_op CC_OP_SUBB + ot), for the
     * instruction right after it (at cc_srcT_pc, with no label between: an
     * ebb temp): its condition compares that and cc_src directly instead of
     * recomputing it as cc_dst + cc_src.  NULL when unknown. */
    TCGv_i64 cc_srcT;
    CCOp cc_srcT_op;
    uint64_t cc_srcT_pc;
    DisasJumpType is_jmp;
    bool jmp_opt;          /* direct block chaining allowed */
    TCGv_i64 A0;           /* the effective address, once computed */
    int A0_seg;            /* its segment (for the write check of gen_op_st) */
    bool db_shadow;        /* MOV SS/POP SS: no single-step trap after it */
    bool lock_rmw;         /* LOCK or XCHG on memory: op 0's store is a CAS */
    TCGv_i64 lock_old;     /* op 0's loaded value, what the CAS expects */
    unsigned goto_tb_used; /* goto_tb slots taken (bit mask) */
    /* translate-region.c */
    bool region_ok;        /* direct jumps may stay inside the block */
    int region_allowed_n, region_n;
    uint64_t region_allowed[X86_REGION_MAX];   /* the targets that may */
    X86RegionEntry region[X86_REGION_MAX];     /* those jumped to */
} DisasContext;

/* TCG globals (per translator thread, made by x86_translate_init) */
extern __thread TCGv_i64 cpu_regs[CPU_NB_REGS];
extern __thread TCGv_i64 cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
extern __thread TCGv_i32 cpu_cc_op;

/* The block's code bytes for x86_decode (translate.c): -1 past the
 * block's page (but for its first instruction) or CS.limit. */
typedef struct X86CodeFetch {
    CPUState *cs;
    DisasContext *s;
    bool first;         /* the block's first instruction may cross a page */
    bool past_limit;    /* a byte lay beyond CS.limit */
    unsigned fetched;   /* bytes read, for tb->size on a decode error */
} X86CodeFetch;
int x86_code_fetch(void *opaque, unsigned offset);
/* Decode the instruction at s->pc into *d, the fetch state reset first
 * (first: the block's first instruction, which may cross its page). */
int x86_decode_at(DisasContext *s, X86CodeFetch *fetch, bool first, X86DecodedInsn *d);
/* Is pc on the block's (first) page, where its code may continue? */
static inline bool x86_in_block_page(const DisasContext *s, uint64_t pc)
{
    return (pc & TARGET_PAGE_MASK) == (s->tb->pc & TARGET_PAGE_MASK);
}
/* Branch to exit when another thread asked this vCPU to leave. */
void gen_exit_request_check(TCGLabel *exit);

/* translate-region.c: decode ahead from the block's start and allow the
 * jump targets on loops reachable from it to become labels */
void x86_region_scan(DisasContext *s, X86CodeFetch *fetch, int max_insns);
/* Place the next label jumped to and not yet translated, and set s up to
 * translate from it; false when none is left. */
bool x86_region_next(DisasContext *s, X86CodeFetch *fetch);
/* The exits of the loops' exit-request checks, after the paths. */
void x86_region_finish(DisasContext *s);

typedef void (*X86GenFn)(DisasContext *s, X86DecodedInsn *d);

/* translate.c: operands and state */
TCGv_i64 gen_op_ld(DisasContext *s, X86DecodedInsn *d, int i);
void gen_op_st(DisasContext *s, X86DecodedInsn *d, int i, TCGv_i64 val);
TCGv_i64 gen_reg_ld(unsigned ot, int reg, bool high);
void gen_reg_st(unsigned ot, int reg, bool high, TCGv_i64 val);
/* gen_reg_st where cond(a, b) holds, else the whole register kept */
void gen_reg_st_cond(TCGCond cond, TCGv_i64 a, TCGv_i64 b, unsigned ot, int reg, bool high,
                     TCGv_i64 val);
TCGv_i64 gen_ext_tmp(unsigned ot, TCGv_i64 v, bool sign);
void gen_update_cc_op(DisasContext *s);
void set_cc_op(DisasContext *s, CCOp op);
void gen_exception(DisasContext *s, int vector);
void gen_exception_gp0(DisasContext *s);
TCGv_i64 gen_a0(DisasContext *s, X86DecodedInsn *d);
/* gen_a0 for a store: adds the segment's write check (gen_seg_check) */
TCGv_i64 gen_a0_st(DisasContext *s, X86DecodedInsn *d);
TCGv_i64 gen_ea_extra(DisasContext *s, X86DecodedInsn *d, TCGv_i64 extra);
TCGv_i64 gen_seg_linear(DisasContext *s, TCGv_i64 ea, int seg);
/* Outside 64-bit mode, where the hflags say seg may not be flat: the limit
 * and type check of an access of size bytes (0: type only) at offset off
 * (helper_seg_check: #GP(0), #SS(0) for SS, at this instruction);
 * gen_seg_checked: whether such an access is checked at all. */
bool gen_seg_checked(DisasContext *s, int seg, bool write);
void gen_seg_check(DisasContext *s, TCGv_i64 off, int seg, unsigned size, bool write);
void gen_store_rip(DisasContext *s, uint64_t pc);
/* Around an instruction that reads a value from outside the guest's state
 * (the TSC, RDRAND, CPUID, an MSR, CR8): in the compare engine's shadow
 * blocks (CF_SHADOW) rip is stored before it, where the engine finds the
 * instruction to run on its reference, and the block ends after it, where
 * the two are compared (docs/compare.md). */
void gen_outside_read_start(DisasContext *s);
void gen_outside_read_end(DisasContext *s);
/* Leave the block for dest (chained where a goto_tb slot is free). */
void gen_goto_tb(DisasContext *s, uint64_t dest);
/* An instruction's direct jump: to a label inside the block when dest is
 * one of its region's (translate-region.c), else gen_goto_tb. */
void gen_jump(DisasContext *s, uint64_t dest);
uint64_t x86_jump_target(DisasContext *s, int64_t off, unsigned ot);
/* Jump targets are canonical at the block's linear-address width (HF_LA57). */
static inline unsigned x86_dest_bits(const DisasContext *s)
{
    return (s->flags & HF_LA57_MASK) ? 57 : 48;
}

static inline bool x86_dest_canonical(const DisasContext *s, uint64_t dest)
{
    return x86_canonical(dest, x86_dest_bits(s));
}

/* May a near branch go to (linear) dest: canonical in 64-bit mode, its
 * EIP within CS.limit elsewhere?  Else #GP(0) at the branch (SDM vol.2
 * JMP, Jcc, CALL, LOOP "tempEIP not within code segment limit"). */
static inline bool x86_dest_ok(const DisasContext *s, uint64_t dest)
{
    return s->code64 ? x86_dest_canonical(s, dest) : dest - s->cs_base <= s->cs_limit;
}
/* Push val (store, then rsp); load the top of stack (rsp left to the caller) */
void gen_push(DisasContext *s, unsigned ot, TCGv_i64 val);
TCGv_i64 gen_pop_ld(DisasContext *s, unsigned ot);
/* Stack offset -> linear address (SS.base, 16/32-bit wrap outside 64-bit
 * mode) for an access of 1 << ot bytes, limit-checked; rSP = sp or rSP +=
 * n, changing only SP on a 16-bit stack. */
TCGv_i64 gen_stack_addr(DisasContext *s, TCGv_i64 sp, unsigned ot, bool write);
void gen_sp_set(DisasContext *s, TCGv_i64 sp);
void gen_sp_add(DisasContext *s, int64_t n);
/* The MMU index of an access #AC never applies to (a 16-byte SSE memory
 * operand: movups is not alignment-checked; the aligned forms #GP) */
static inline int gen_mmu_idx_noac(DisasContext *s)
{
    return s->mmu_idx == MMU_USER_AC_IDX ? MMU_USER_IDX : s->mmu_idx;
}

/* translate-alu.c: condition preparation for jcc/setcc/cmov */
typedef struct CCPrepare {
    TCGCond cond;
    TCGv_i64 reg;
    TCGv_i64 reg2;        /* used if use_reg2, else imm */
    int64_t imm;
    bool use_reg2;
} CCPrepare;
CCPrepare gen_prepare_cc(DisasContext *s, int b);
/* EFLAGS' CC_* bits into a temp (or cc_src itself), cc globals untouched */
TCGv_i64 gen_compute_eflags_tmp(DisasContext *s);
/* ZF = eq (a 0/1 temp, which becomes 0 or CC_Z), the other flags kept */
void gen_set_zf(DisasContext *s, TCGv_i64 eq);
void gen_shift_finish(DisasContext *s, X86DecodedInsn *d, TCGv_i64 cnt, TCGv_i64 res,
                      TCGv_i64 tmp, TCGv_i64 ofv, CCOp op);

/* Generators, by X86InsnKind */
void gen_X87(DisasContext *s, X86DecodedInsn *d);      /* every x87 kind, FLD..FWAIT */
void gen_ALU(DisasContext *s, X86DecodedInsn *d);      /* add..cmp, test */
void gen_INCDEC(DisasContext *s, X86DecodedInsn *d);
void gen_NEG(DisasContext *s, X86DecodedInsn *d);
void gen_NOT(DisasContext *s, X86DecodedInsn *d);
void gen_SHIFT(DisasContext *s, X86DecodedInsn *d);    /* shl shr sar */
void gen_ROTATE(DisasContext *s, X86DecodedInsn *d);   /* rol ror rcl rcr */
void gen_MUL(DisasContext *s, X86DecodedInsn *d);      /* mul, imul one-operand */
void gen_IMUL(DisasContext *s, X86DecodedInsn *d);     /* two/three operands */
void gen_DIV(DisasContext *s, X86DecodedInsn *d);      /* div, idiv */
void gen_SETCC(DisasContext *s, X86DecodedInsn *d);
void gen_CMOV(DisasContext *s, X86DecodedInsn *d);
void gen_CARRY(DisasContext *s, X86DecodedInsn *d);    /* clc stc cmc */
void gen_CBW(DisasContext *s, X86DecodedInsn *d);
void gen_CWD(DisasContext *s, X86DecodedInsn *d);
/* translate-string.c */
void gen_STRING(DisasContext *s, X86DecodedInsn *d);   /* movs cmps stos lods scas */
void gen_LOOP(DisasContext *s, X86DecodedInsn *d);     /* loop loope loopne jrcxz */
void gen_XLAT(DisasContext *s, X86DecodedInsn *d);
/* translate-bitops.c */
void gen_BT(DisasContext *s, X86DecodedInsn *d);       /* bt bts btr btc */
void gen_BITSCAN(DisasContext *s, X86DecodedInsn *d);  /* bsf bsr tzcnt lzcnt */
void gen_POPCNT(DisasContext *s, X86DecodedInsn *d);
void gen_SHIFTD(DisasContext *s, X86DecodedInsn *d);   /* shld shrd */
void gen_BSWAP(DisasContext *s, X86DecodedInsn *d);
/* translate-misc.c */
void gen_CMPXCHG(DisasContext *s, X86DecodedInsn *d);
void gen_CMPXCHG8B(DisasContext *s, X86DecodedInsn *d); /* and cmpxchg16b */
void gen_XADD(DisasContext *s, X86DecodedInsn *d);
void gen_LAHF(DisasContext *s, X86DecodedInsn *d);
void gen_SAHF(DisasContext *s, X86DecodedInsn *d);
void gen_ENTER(DisasContext *s, X86DecodedInsn *d);
void gen_RDTSC(DisasContext *s, X86DecodedInsn *d);    /* rdtsc rdtscp */
void gen_RDRAND(DisasContext *s, X86DecodedInsn *d);   /* rdrand rdseed */
void gen_FENCE(DisasContext *s, X86DecodedInsn *d);    /* lfence mfence, sfence via clflush */
void gen_CLFLUSH(DisasContext *s, X86DecodedInsn *d);
void gen_LGIDT(DisasContext *s, X86DecodedInsn *d);     /* lgdt lidt */
/* translate-system.c: control registers, iret, segment and descriptor-table
 * registers, invlpg, swapgs, the XSAVE family */
void gen_MOV_CR(DisasContext *s, X86DecodedInsn *d);
/* translate-msr.c */
void gen_RDMSR_WRMSR(DisasContext *s, X86DecodedInsn *d);   /* 0F 32, 0F 30 */
void gen_SYSCALL(DisasContext *s, X86DecodedInsn *d);
void gen_SYSRET(DisasContext *s, X86DecodedInsn *d);        /* REX.W: sysretq */
void gen_SYSENTER_SYSEXIT(DisasContext *s, X86DecodedInsn *d);
/* translate-debug.c */
void gen_MOV_DR(DisasContext *s, X86DecodedInsn *d);  /* 0F 21, 0F 23 */
void gen_INT1(DisasContext *s, X86DecodedInsn *d);    /* F1 */
/* Before each instruction: true if a debugger's breakpoint
 * (CPUState.breakpoints) or an enabled DR0-DR3 execute breakpoint sits at
 * s->pc and the block must end before it (not its first insn); as the
 * first insn, emits the stop (helper_debug) or #DB check before it. */
bool x86_gen_insn_breakpoint(DisasContext *s, int num_insns);
/* At a block's exit: under EFLAGS.TF emit the single-step #DB trap (rip
 * stored, cc_op up to date) and return true; the caller emits nothing more. */
bool gen_single_step(DisasContext *s);
/* First insn of a block: with EFLAGS.RF (such a block holds one insn),
 * clear it: RF lasts one instruction, after the breakpoint check. */
void gen_clear_rf(DisasContext *s);
/* After an IN/OUT/INS/OUTS access to port (NULL: DX) of 1 << ot bytes:
 * the I/O breakpoint check, emitted only under HF_IOBPT_MASK.  rep: a
 * REP ins/outs after its rCX update (it may trap with rip unchanged). */
void gen_io_breakpoint(DisasContext *s, X86DecodedInsn *d, TCGv_i32 port, unsigned ot,
                       bool rep);
void gen_CLTS(DisasContext *s, X86DecodedInsn *d);
void gen_INT(DisasContext *s, X86DecodedInsn *d);      /* int imm8 */
void gen_IRET(DisasContext *s, X86DecodedInsn *d);
void gen_SLDT_STR(DisasContext *s, X86DecodedInsn *d);  /* sldt str */
void gen_LLDT_LTR(DisasContext *s, X86DecodedInsn *d);  /* lldt ltr */
void gen_VERR_VERW(DisasContext *s, X86DecodedInsn *d); /* verr verw */
void gen_LAR_LSL(DisasContext *s, X86DecodedInsn *d);   /* lar lsl */
void gen_MOV_SEG(DisasContext *s, X86DecodedInsn *d);   /* 8c 8e */
void gen_PUSH_SEG(DisasContext *s, X86DecodedInsn *d);
void gen_POP_SEG(DisasContext *s, X86DecodedInsn *d);
/* Load segment register seg from the low 16 bits of val (helper_load_seg's
 * checks; SS blocks interrupts for one instruction); ends the block. */
void gen_load_seg(DisasContext *s, int seg, TCGv_i64 val);
/* translate-legacy.c */
void gen_PUSHA(DisasContext *s, X86DecodedInsn *d);     /* 60 */
void gen_POPA(DisasContext *s, X86DecodedInsn *d);      /* 61 */
void gen_LSEG(DisasContext *s, X86DecodedInsn *d);      /* les lds lss lfs lgs */
/* translate-legacy-alu.c */
void gen_BCD(DisasContext *s, X86DecodedInsn *d);       /* daa das aaa aas aam aad */
void gen_SALC(DisasContext *s, X86DecodedInsn *d);
void gen_BOUND(DisasContext *s, X86DecodedInsn *d);
void gen_INTO(DisasContext *s, X86DecodedInsn *d);
void gen_ARPL(DisasContext *s, X86DecodedInsn *d);
/* translate-far.c */
void gen_LJMP(DisasContext *s, X86DecodedInsn *d);      /* ea, ff /5 */
void gen_LCALL(DisasContext *s, X86DecodedInsn *d);     /* 9a, ff /3 */
void gen_LRET(DisasContext *s, X86DecodedInsn *d);      /* cb, ca */
void gen_SGIDT(DisasContext *s, X86DecodedInsn *d);     /* sgdt sidt */
void gen_SMSW(DisasContext *s, X86DecodedInsn *d);
void gen_LMSW(DisasContext *s, X86DecodedInsn *d);
void gen_INVD(DisasContext *s, X86DecodedInsn *d);      /* invd wbinvd */
/* port I/O above IOPL or in virtual-8086 mode: the TSS bitmap (translate.c) */
void gen_check_io(DisasContext *s, TCGv_i32 port, unsigned ot);
bool x86_v86_sensitive(DisasContext *s);
bool gen_v86_op16_check(DisasContext *s, MemOp ot);
void gen_INVLPG(DisasContext *s, X86DecodedInsn *d);
void gen_SWAPGS(DisasContext *s, X86DecodedInsn *d);
void gen_STAC(DisasContext *s, X86DecodedInsn *d);     /* stac clac */
void gen_INVPCID(DisasContext *s, X86DecodedInsn *d);
void gen_FSGSBASE(DisasContext *s, X86DecodedInsn *d);
void gen_XGETBV(DisasContext *s, X86DecodedInsn *d);    /* xgetbv xsetbv */
void gen_PKRU(DisasContext *s, X86DecodedInsn *d);      /* rdpkru wrpkru */
void gen_XSAVE(DisasContext *s, X86DecodedInsn *d);     /* xsave xrstor */

/* translate-bmi.c: BMI1, BMI2, ADX, MOVBE, CRC32 */
void gen_ANDN(DisasContext *s, X86DecodedInsn *d);
void gen_BEXTR(DisasContext *s, X86DecodedInsn *d);
void gen_BLSI(DisasContext *s, X86DecodedInsn *d);
void gen_BLSMSK(DisasContext *s, X86DecodedInsn *d);
void gen_BLSR(DisasContext *s, X86DecodedInsn *d);
void gen_BZHI(DisasContext *s, X86DecodedInsn *d);
void gen_MULX(DisasContext *s, X86DecodedInsn *d);
void gen_PDEP(DisasContext *s, X86DecodedInsn *d);
void gen_PEXT(DisasContext *s, X86DecodedInsn *d);
void gen_RORX(DisasContext *s, X86DecodedInsn *d);
void gen_SARX(DisasContext *s, X86DecodedInsn *d);
void gen_SHLX(DisasContext *s, X86DecodedInsn *d);
void gen_SHRX(DisasContext *s, X86DecodedInsn *d);
void gen_ADCX(DisasContext *s, X86DecodedInsn *d);
void gen_ADOX(DisasContext *s, X86DecodedInsn *d);
void gen_MOVBE(DisasContext *s, X86DecodedInsn *d);
void gen_CRC32(DisasContext *s, X86DecodedInsn *d);

/* translate-sse.c: SSE, SSE2, SSE3, SSSE3 (kinds MOVA..FXRSTOR) */
void gen_SSE(DisasContext *s, X86DecodedInsn *d);
/* The 128-bit helpers of an SSE kind (NULL where it has none of that
 * shape): translate-mmx.c runs the 64-bit MMX form of a kind through
 * them on the low halves of the scratch registers. */
typedef void (*SSEHelper2)(TCGv_ptr, TCGv_i32, TCGv_i32);              /* d = op(d, s) */
typedef void (*SSEHelper3)(TCGv_ptr, TCGv_i32, TCGv_i32, TCGv_i32);    /* d = op(d, s, imm8) */
SSEHelper2 sse_kind_helper2(X86InsnKind kind);
SSEHelper3 sse_kind_helper3(X86InsnKind kind);
/* translate-sse41.c: SSE4.1 lane extracts and inserts, routed by gen_SSE */
void gen_sse41_extract(DisasContext *s, X86DecodedInsn *d);  /* pextrb/w/d/q extractps */
void gen_sse41_insert(DisasContext *s, X86DecodedInsn *d);   /* pinsrb/d/q */
/* translate-mmx.c: the forms with an MMX operand (of SSE kinds, routed by
 * gen_SSE) and EMMS */
bool x86_insn_is_mmx(const X86DecodedInsn *d);
void gen_MMX(DisasContext *s, X86DecodedInsn *d);

#endif
