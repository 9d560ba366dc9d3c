/*
 * cpu.h: the x86-64 CPU: architectural state and the target's entry points.
 *
 * X86CPU = CPUState (generic) followed by CPUX86State (env).  Generated code
 * holds env in a host register and reaches guest registers, the lazy flags
 * and the soft-MMU TLB at fixed offsets from it; exit_request lies before
 * env (a negative offset), see x86_env_exit_request_offset().
 *
 * Lazy flags: the arithmetic flags (CF PF AF ZF SF OF) are not kept in
 * eflags while code runs.  cc_op says which operation last set them and
 * cc_dst/cc_src/cc_src2 hold its operands/result; cpu_cc_compute_all()
 * derives the flags on demand.  CC_OP_EFLAGS means cc_src holds them as bits.
 */
#ifndef TARGET_X86_CPU_H
#define TARGET_X86_CPU_H

#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "tcg/tlb.h"
#include "util/softfloat.h"
#include "util/option.h"
#include "exec/translation-block.h"

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
       R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15, CPU_NB_REGS };
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS, NB_SEGS };

/* EFLAGS bits */
#define CC_C    0x0001
#define CC_P    0x0004
#define CC_A    0x0010
#define CC_Z    0x0040
#define CC_S    0x0080
#define CC_O    0x0800
#define TF_MASK 0x0100
#define IF_MASK 0x0200
#define DF_MASK 0x0400
#define IOPL_MASK 0x3000
#define NT_MASK 0x4000
#define RF_MASK 0x10000
#define VM_MASK 0x20000
#define AC_MASK 0x40000
#define VIF_MASK 0x80000
#define VIP_MASK 0x100000
#define ID_MASK 0x200000
#define CC_ALL  (CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O)

/* CR0/CR4/EFER bits */
#define CR0_PE_MASK (1u << 0)
#define CR0_MP_MASK (1u << 1)
#define CR0_EM_MASK (1u << 2)
#define CR0_TS_MASK (1u << 3)
#define CR0_ET_MASK (1u << 4)
#define CR0_NE_MASK (1u << 5)
#define CR0_WP_MASK (1u << 16)
#define CR0_AM_MASK (1u << 18)
#define CR0_NW_MASK (1u << 29)
#define CR0_CD_MASK (1u << 30)
#define CR0_PG_MASK (1u << 31)
#define CR4_VME_MASK (1u << 0)
#define CR4_PVI_MASK (1u << 1)
#define CR4_TSD_MASK (1u << 2)
#define CR4_DE_MASK  (1u << 3)
#define CR4_PSE_MASK (1u << 4)
#define CR4_PAE_MASK (1u << 5)
#define CR4_MCE_MASK (1u << 6)
#define CR4_PGE_MASK (1u << 7)
#define CR4_PCE_MASK (1u << 8)
#define CR4_OSFXSR_MASK (1u << 9)
#define CR4_OSXMMEXCPT_MASK (1u << 10)
#define CR4_UMIP_MASK (1u << 11)
#define CR4_LA57_MASK (1u << 12)
#define CR4_VMXE_MASK (1u << 13)
#define CR4_SMXE_MASK (1u << 14)
#define CR4_FSGSBASE_MASK (1u << 16)
#define CR4_PCIDE_MASK (1u << 17)
#define CR4_OSXSAVE_MASK (1u << 18)
#define CR4_SMEP_MASK (1u << 20)
#define CR4_SMAP_MASK (1u << 21)
#define CR4_PKE_MASK (1u << 22)
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

/* Segment descriptor flags as cached in SegmentCache.flags: the upper
 * dword of the descriptor (type, S, DPL, P, AVL, L, D/B, G). */
#define DESC_TYPE_SHIFT 8
#define DESC_S_MASK   (1u << 12)
#define DESC_DPL_SHIFT 13
#define DESC_P_MASK   (1u << 15)
#define DESC_L_MASK   (1u << 21)
#define DESC_B_MASK   (1u << 22)
#define DESC_G_MASK   (1u << 23)
#define DESC_A_MASK   (1u << 8)
#define DESC_W_MASK   (1u << 9)    /* data: writable */
#define DESC_R_MASK   (1u << 9)    /* code: readable */
#define DESC_CS_MASK  (1u << 11)   /* code segment */
#define DESC_C_MASK   (1u << 10)   /* code: conforming */
#define DESC_E_MASK   (1u << 10)   /* data: expand-down */
#define DESC_DPL_MASK (3u << DESC_DPL_SHIFT)
#define DESC_TYPE_MASK (15u << DESC_TYPE_SHIFT)

/* hflags: the CPU mode bits a translation depends on (the TB flags). */
#define HF_CPL_MASK    0x0003u
#define HF_CS32_MASK   (1u << 2)   /* 32-bit code segment */
#define HF_SS32_MASK   (1u << 3)
#define HF_CS64_MASK   (1u << 4)   /* 64-bit mode (LMA and CS.L) */
#define HF_LMA_MASK    (1u << 5)   /* long mode active */
#define HF_PE_MASK     (1u << 6)
#define HF_ADDSEG_MASK (1u << 7)   /* a segment base among DS/ES/SS may be non-zero */
#define HF_INHIBIT_IRQ_MASK (1u << 8) /* after STI/MOV SS: no interrupt for one insn */
#define HF_TF_MASK     (1u << 9)   /* single-step trap (copy of EFLAGS.TF) */
#define HF_PG_MASK     (1u << 10)
/* SSE/x87 availability (from CR0.EM/TS/MP and CR4.OSFXSR): #UD/#NM at
 * translation.  Bits 12-13, 17-18 are taken: the TB flags add EFLAGS.IOPL/VM/AC. */
#define HF_OSFXSR_MASK (1u << 11)
#define HF_EM_MASK     (1u << 14)
#define HF_TS_MASK     (1u << 15)
#define HF_MP_MASK     (1u << 16)
#define HF_OSXSAVE_MASK (1u << 19) /* CR4.OSXSAVE: XSAVE, XRSTOR, XGETBV, XSETBV */
#define HF_AM_MASK     (1u << 20)  /* CR0.AM: with EFLAGS.AC at CPL 3, #AC */
#define HF_FSGSBASE_MASK (1u << 21) /* CR4.FSGSBASE: RDFSBASE..WRGSBASE */
#define HF_IOBPT_MASK  (1u << 22)  /* CR4.DE and an enabled DR7 I/O breakpoint */
#define HF_RF_MASK     (1u << 23)  /* EFLAGS.RF (TB key only: x86_get_tb_cpu_state) */
#define HF_LA57_MASK   (1u << 25)  /* CR4.LA57: 57-bit canonical jump targets */
/* Segment limit and type checks outside 64-bit mode (seg_check.c):
 * SEGCHK: DS, ES or SS is not flat, so every access is checked;
 * SEGCHK_OVR: CS, FS or GS is not flat, so accesses through them are. */
#define HF_SEGCHK_MASK     (1u << 26)
#define HF_SEGCHK_OVR_MASK (1u << 24)
/* Each bit once (the TB key compares them all, with EFLAGS.IOPL, VM, AC):
 * the masks' sum equals their union only if no two overlap. */
#define HF_ALL_MASKS(op)                                                       \
    (HF_CPL_MASK op HF_CS32_MASK op HF_SS32_MASK op HF_CS64_MASK op            \
     HF_LMA_MASK op HF_PE_MASK op HF_ADDSEG_MASK op HF_INHIBIT_IRQ_MASK op     \
     HF_TF_MASK op HF_PG_MASK op HF_OSFXSR_MASK op HF_EM_MASK op HF_TS_MASK op \
     HF_MP_MASK op HF_OSXSAVE_MASK op HF_AM_MASK op HF_FSGSBASE_MASK op        \
     HF_IOBPT_MASK op HF_RF_MASK op HF_LA57_MASK op HF_SEGCHK_MASK op          \
     HF_SEGCHK_OVR_MASK op 0x3000u /* IOPL */ op 0x60000u /* VM, AC */)
_Static_assert(HF_ALL_MASKS(+) == HF_ALL_MASKS(|), "two hflags share a bit");

/* Exception vectors */
enum {
    EXCP00_DIVZ = 0, EXCP01_DB = 1, EXCP02_NMI = 2, EXCP03_INT3 = 3, EXCP04_INTO = 4,
    EXCP05_BOUND = 5, EXCP06_ILLOP = 6, EXCP07_PREX = 7, EXCP08_DBLE = 8,
    EXCP0A_TSS = 10, EXCP0B_NOSEG = 11, EXCP0C_STACK = 12, EXCP0D_GPF = 13,
    EXCP0E_PAGE = 14, EXCP10_COPR = 16, EXCP11_ALGN = 17, EXCP12_MCHK = 18,
    EXCP13_XF = 19,
};

/* DR6 and DR7 bits (SDM vol.3 17.2) */
#define DR6_FIXED_1  0xffff0ff0ull   /* reads as ones */
#define DR6_BD       (1u << 13)      /* #DB: debug-register access with DR7.GD */
#define DR6_BS       (1u << 14)      /* #DB: single step */
#define DR7_FIXED_1  0x400ull
#define DR7_GD       (1u << 13)

/*
 * MMU indexes (tlb.h's NB_MMU_MODES): the privilege the access is checked
 * at.  MMU_USER_AC_IDX is CPL 3 with alignment checking (CR0.AM and
 * EFLAGS.AC): its TLB is never filled, so every access through it takes the
 * slow path, where x86_cpu_mmu_check raises #AC or names MMU_USER_IDX.
 */
enum { MMU_KSMAP_IDX = 0, MMU_USER_IDX = 1, MMU_KNOSMAP_IDX = 2, MMU_PHYS_IDX = 3,
       MMU_USER_AC_IDX = 4 };

/* Lazy flag operations: which operation last set the flags.  The sized
 * ones come in B/W/L/Q order so that CC_OP_xxxB + ot selects the size. */
typedef enum CCOp {
    CC_OP_DYNAMIC,   /* unknown at translation time: read env->cc_op */
    CC_OP_EFLAGS,    /* cc_src holds the flags as EFLAGS bits */
#define CC_OP_SIZED(X) X##B, X##W, X##L, X##Q
    CC_OP_SIZED(CC_OP_MUL),  /* dst = result, src = hi half / overflow indicator */
    CC_OP_SIZED(CC_OP_ADD),  /* dst = result, src = src2 (second operand) */
    CC_OP_SIZED(CC_OP_ADC),  /* dst = result, src = src2, src2 = carry in */
    CC_OP_SIZED(CC_OP_SUB),  /* dst = result, src = src2 */
    CC_OP_SIZED(CC_OP_SBB),  /* dst = result, src = src2, src2 = borrow in */
    CC_OP_SIZED(CC_OP_LOGIC),/* dst = result */
    CC_OP_SIZED(CC_OP_INC),  /* dst = result, src = old CF */
    CC_OP_SIZED(CC_OP_DEC),  /* dst = result, src = old CF */
    CC_OP_SIZED(CC_OP_SHL),  /* dst = result, src = value shifted by count-1,
                              * src2 = a value whose sign bit is OF */
    CC_OP_SIZED(CC_OP_SAR),  /* as SHL (SHR, SAR, SHRD) */
    CC_OP_SIZED(CC_OP_BMILG),/* dst = result, src = CF source */
#undef CC_OP_SIZED
    CC_OP_CLR,       /* ZF and PF set, the rest clear (xor r,r) */
    CC_OP_NB,
} CCOp;

typedef struct SegmentCache {
    uint32_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t flags;
} SegmentCache;

/* An XMM register, little-endian lanes. */
typedef union X86XMMReg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t l[4];
    uint64_t q[2];
} X86XMMReg;

/* MXCSR bits */
#define MXCSR_FLAGS_MASK 0x003f     /* IE DE ZE OE UE PE */
#define MXCSR_DAZ        (1u << 6)
#define MXCSR_MASKS      0x1f80     /* IM DM ZM OM UM PM */
#define MXCSR_RC_SHIFT   13
#define MXCSR_FZ         (1u << 15)
#define MXCSR_DEFAULT    0x1f80

/* x87 control/status word bits */
#define FPUC_DEFAULT     0x037f
#define FPUS_TOP_SHIFT   11
#define FPUS_SE          (1u << 6)    /* stack fault */
#define FPUS_ES          (1u << 7)    /* error summary */
#define FPUS_C0          (1u << 8)
#define FPUS_C1          (1u << 9)
#define FPUS_C2          (1u << 10)
#define FPUS_C3          (1u << 14)
#define FPUS_B           (1u << 15)

/* What the CPU asks of its local APIC (the board fills it with
 * hw/intc/apic.c's functions): RDMSR/WRMSR of 0x1B and 0x800-0x8FF
 * (false: #GP(0)), IA32_TSC_DEADLINE as a TSC value and the virtual time
 * it stands for, CR8 = TPR[7:4].  Called with the machine lock held. */
struct APICState;
typedef struct X86APICOps {
    bool (*msr_read)(struct APICState *apic, uint32_t index, uint64_t *val);
    bool (*msr_write)(struct APICState *apic, uint32_t index, uint64_t val);
    void (*set_tsc_deadline)(struct APICState *apic, uint64_t tsc, int64_t deadline_ns);
    uint64_t (*get_cr8)(struct APICState *apic);
    void (*set_cr8)(struct APICState *apic, uint64_t val);
    /* INIT (SDM 9.1, 11.4.7.3): the APIC's INIT reset; true if its CPU
     * now waits for a SIPI (an AP), false if it runs from the reset
     * vector (the BSP) */
    bool (*init)(struct APICState *apic);
    /* A start-up IPI arrived: its vector if the APIC was waiting for one
     * (it stops waiting), else -1 (the SIPI is ignored) */
    int (*sipi)(struct APICState *apic);
} X86APICOps;

/* Machine-check banks (IA32_MCG_CAP.Count), QEMU's default */
#define X86_MCE_BANKS 10

typedef struct CPUX86State {
    uint64_t regs[CPU_NB_REGS];
    uint64_t rip;
    uint64_t eflags;      /* without CC_ALL while cc_op != CC_OP_EFLAGS; DF kept here too */
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;
    int32_t df;           /* +1 or -1: the string-op step sign, mirrors DF */
    uint32_t hflags;

    SegmentCache segs[NB_SEGS];
    SegmentCache ldt, tr, gdt, idt;   /* gdt/idt: base and limit only */
    uint64_t cr[5];       /* cr0, (cr1), cr2, cr3, cr4 */
    uint64_t cr8;         /* task priority (bits 3:0) without a local APIC */
    uint64_t pdptrs[4];   /* PAE paging's PDPTE registers, loaded from CR3's
                           * table by MOV to CR0/CR3/CR4 (system_helper.c) */
    uint64_t efer;
    uint64_t star, lstar, cstar, fmask, kernelgsbase;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t pat;
    uint64_t tsc_offset;
    uint64_t tsc_aux;     /* IA32_TSC_AUX (MSR 0xc0000103): RDTSCP's ECX */
    uint64_t rng_state[2];/* RDRAND/RDSEED generator (xorshift128+), seeded on first use */
    uint64_t apic_base;
    /* further MSR state (target-x86/msr_helper.c) */
    uint64_t tsc_adjust, misc_enable, spec_ctrl;
    uint64_t mtrr_deftype, mtrr_fixed[11], mtrr_var[16];  /* var: base, mask pairs */
    /* machine-check architecture: IA32_MCG_STATUS, IA32_MCG_CTL and each
     * bank's CTL, STATUS, ADDR, MISC (MSRs 0x400 + 4 * bank + 0..3) */
    uint64_t mcg_status, mcg_ctl, mce_banks[4 * X86_MCE_BANKS];
    uint64_t xcr0;
    uint32_t pkru;        /* protection-key rights (RDPKRU/WRPKRU; pku_helper.c) */
    /* physical address bits the A20 gate forces to 0 on CPU accesses: 0
     * (gate open, the reset state) or 1 << 20 (closed; x86_cpu_set_a20) */
    uint64_t a20_off;

    /* x87: ST(i) is fpregs[(fpstt + i) & 7]; fptags[i] = 1 when physical
     * register i is empty.  fpus holds the status word without TOP. */
    floatx80 fpregs[8];
    uint32_t fpstt;
    uint16_t fpus, fpuc;
    uint8_t fptags[8];
    uint16_t fpop;                /* last opcode (11 bits) */
    uint16_t fpcs, fpds;
    uint64_t fpip, fpdp;          /* last instruction / operand pointers */
    float_status fp_status;       /* x87 rounding and precision, from fpuc */

    /* SSE */
    X86XMMReg xmm_regs[16];
    uint32_t mxcsr;
    float_status sse_status;      /* SSE rounding, FZ, DAZ, from mxcsr */
    X86XMMReg xmm_t0;             /* scratch: an SSE instruction's memory operand */
    X86XMMReg xmm_t1;             /* scratch: MMX operands (translate-mmx.c) */

    /* exception being delivered */
    int error_code;
    bool exception_is_int;        /* software INT n */
    uint64_t exception_next_eip;  /* for INT n: return address */
    int old_exception;            /* for double-fault detection */
    bool nmi_blocked;             /* an NMI was delivered; IRET unblocks (SDM 6.7.1) */

    /* debug registers (target-x86/debug_helper.c); dr[4], dr[5] unused:
     * DR4/DR5 alias DR6/DR7 */
    uint64_t dr[8];
    /* DR0-DR3's data watchpoints (BP_CPU) or NULL (debug_helper.c) */
    struct CPUWatchpoint *cpu_watchpoint[4];
    /* X86_INSN_STK_* of the instruction whose state was last restored
     * (its insn_start record): which of its accesses are stack ones, so a
     * non-canonical one raises #SS instead of #GP (mmu.c) */
    uint32_t insn_stack_info;

    /* CPUID model */
    uint32_t cpuid_level, cpuid_xlevel;
    uint32_t cpuid_vendor[3];
    uint32_t cpuid_version;
    uint32_t cpuid_features, cpuid_ext_features;
    uint32_t cpuid_ext2_features, cpuid_ext3_features;
    uint32_t cpuid_7_0_ebx, cpuid_7_0_ecx, cpuid_7_0_edx;
    char cpuid_model_id[48];
    CpuTopology topo;             /* the machine's -smp: CPUID topology leaves, APIC ID */
    bool cpuid_host;              /* -cpu host: KVM's supported CPUID as it is (kvm-arch.c) */

    /* I/O port space the CPU's IN/OUT reach */
    AddressSpace *io_as;

    /* Interrupt acknowledge: the board's interrupt controller returns the
     * vector of the highest pending maskable interrupt (or -1) and
     * re-asserts CPU_INTERRUPT_HARD if more remain.  Called by
     * x86_cpu_exec_interrupt with the machine lock held. */
    int (*get_pic_interrupt)(void *opaque);
    void *pic_opaque;
    /* The local APIC's CPU side (hw/intc/apic.h), installed by the board;
     * NULL without one (then CR8 is env->cr8 and APIC_BASE is stored). */
    const struct X86APICOps *apic_ops;
    struct APICState *apic;

    /* soft-MMU TLB (TCG only), at a fixed offset from env */
    CPUTLB tlb;
} CPUX86State;

typedef struct X86CPU {
    CPUState parent;
    CPUX86State env;
} X86CPU;

static inline X86CPU *env_archcpu(CPUX86State *env)
{
    return container_of(env, X86CPU, env);
}

static inline CPUState *env_cpu(CPUX86State *env)
{
    return &env_archcpu(env)->parent;
}

static inline CPUX86State *cpu_env(CPUState *cs)
{
    return &container_of(cs, X86CPU, parent)->env;
}

/* Offset of CPUState.exit_request from env, for generated code. */
static inline intptr_t x86_env_exit_request_offset(void)
{
    return (intptr_t)offsetof(X86CPU, parent.exit_request) - (intptr_t)offsetof(X86CPU, env);
}

/* Offset of CPUState.icount_budget from env (-icount's block entries). */
static inline intptr_t x86_env_icount_budget_offset(void)
{
    return (intptr_t)offsetof(X86CPU, parent.icount_budget) - (intptr_t)offsetof(X86CPU, env);
}

/* The jump cache (CPUState.tb_jmp_cache), from env: for the inline probe
 * of tb_gen_lookup_and_goto. */
static inline intptr_t x86_env_jmp_cache_offset(void)
{
    return (intptr_t)offsetof(X86CPU, parent.tb_jmp_cache) - (intptr_t)offsetof(X86CPU, env);
}

/* ---- lifecycle (target-x86/cpu.c) ----------------------------------- */

/* Create CPU number index using memory mem and I/O ports io; the CPU
 * model is "max" until x86_cpu_configure (docs/cpu.md). */
X86CPU *x86_cpu_create(int index, AddressSpace *mem, AddressSpace *io, Error **errp);
void x86_cpu_destroy(X86CPU *cpu);
/* Give cpu the model -cpu SPEC names ("NAME[,+feat,-feat,feat=on|off...]",
 * NULL: "max") in a machine of topology topo (NULL: one CPU), then reset
 * it.  "host" only where the accelerator offers it (host_ok: KVM).
 * Returns 0 or -EINVAL with a one-line *errp (target-x86/cpu-models.c). */
int x86_cpu_configure(X86CPU *cpu, const char *spec, const CpuTopology *topo, bool host_ok,
                      Error **errp);
/* The initial APIC ID of CPU number index in topology topo: its thread,
 * core and package numbers packed in fields of ceil(log2(threads)),
 * ceil(log2(cores)) and the remaining bits, as CPUID 1, 4 and 0xB
 * describe them (target-x86/cpu-topology.c). */
uint32_t x86_topo_apic_id(const CpuTopology *topo, unsigned index);
/* -cpu help: the models and the feature names. */
void x86_cpu_list(FILE *f);
/* The architectural reset state (real mode, CS:IP = F000:FFF0). */
void x86_cpu_reset(X86CPU *cpu);
/* Open or close the A20 gate (port 0x92): while closed, bit 20 of every
 * physical address the CPU forms reads as 0.  Flushes the TLB, so call
 * from the CPU's own thread (its port write) or while it is stopped. */
void x86_cpu_set_a20(X86CPU *cpu, bool enabled);
/* Recompute hflags from CR0/CR4/EFER/segments/CPL after a state change. */
void x86_update_hflags(CPUX86State *env);
/* The HF_SEGCHK_* bits of the segment registers (seg_check.c); 0 in
 * 64-bit mode. */
uint32_t x86_segchk_hflags(const CPUX86State *env, uint32_t hf);
/* Load a segment register's cached state directly (loader, reset). */
void cpu_x86_load_seg_cache(CPUX86State *env, int seg, uint32_t selector,
                            uint64_t base, uint32_t limit, uint32_t flags);
/* EFLAGS with the lazy flags folded in, and the reverse. */
uint64_t cpu_compute_eflags(CPUX86State *env);
void cpu_load_eflags(CPUX86State *env, uint64_t eflags, uint64_t update_mask);
/* The arithmetic flags (CC_ALL bits) from the lazy state. */
uint64_t cpu_cc_compute_all(CPUX86State *env, int op);
void x86_cpu_dump_state(CPUState *cs, FILE *f);

/* ---- TCG hooks (target-x86/translate.c, seg_helper.c, mmu.c) --------- */

/* The key of the block at the current state.  Its cs_base is CS.base and,
 * outside 64-bit mode, the complement of CS.limit in bits 32-63 (0 for a
 * 4 GiB limit, so a flat CS keeps the plain base): the translator stops
 * code fetch at the limit, so a block is never reused under another one. */
static inline uint64_t x86_tb_cs_base(uint64_t key)
{
    return (uint32_t)key;
}

static inline uint32_t x86_tb_cs_limit(uint64_t key)
{
    return ~(uint32_t)(key >> 32);
}

void x86_get_tb_cpu_state(CPUX86State *env, uint64_t *pc, uint64_t *cs_base,
                          uint32_t *flags);
/* Register the translator's globals on the calling thread's tcg_ctx. */
void x86_translate_init(void);
/* Build the IR for tb (pc/cs_base/flags/cflags set) into tcg_ctx; sets
 * tb->size and tb->icount.  max_insns bounds the instruction count. */
void x86_translate_block(CPUX86State *env, TranslationBlock *tb, int max_insns);
/* Restore env from an insn_start record (pc, cc_op). */
void x86_restore_state_to_opc(CPUX86State *env, const uint64_t data[2]);
/* Deliver cs->exception_index (a vector) to the guest. */
void x86_cpu_do_interrupt(CPUState *cs);
/* After an instruction that hit DR0-DR3 data breakpoints: the #DB trap
 * (debug_helper.c); insn_pc: its linear pc.  Returns if nothing hit. */
void x86_cpu_watchpoint_trap(CPUState *cs, uint64_t insn_pc);
/* Take a pending interrupt if the CPU can; returns true if it did. */
bool x86_cpu_exec_interrupt(CPUState *cs, unsigned interrupt_request);
/* Fill the TLB for vaddr or raise #PF (unwinding via retaddr); with probe,
 * return false instead of raising. */
bool x86_cpu_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type,
                      int mmu_idx, bool probe, uintptr_t retaddr);
/* Guest-virtual to physical for debuggers (no faults, no A/D updates);
 * returns -1 if unmapped. */
int64_t x86_cpu_get_phys_page_debug(CPUX86State *env, uint64_t vaddr);
/* The alignment check of MMU_USER_AC_IDX (#AC(0) for a misaligned data
 * access of 2, 4 or 8 bytes, unwinding via ra); returns the index whose
 * TLB the access uses. */
int x86_cpu_mmu_check_align(CPUState *cs, uint64_t addr, unsigned size, int access_type,
                            uintptr_t ra);
/* The same check for a helper's operand (helpers access through the plain
 * user index, often in pieces): #AC(0) when alignment checking is on (CPL
 * 3, CR0.AM, EFLAGS.AC) and addr is not a multiple of align, the operand's
 * alignment in the SDM's table (vol. 3, 6.15 "#AC"). */
void x86_check_alignment(CPUX86State *env, uint64_t addr, unsigned align, uintptr_t ra);

/* The soft MMU's slow paths call this before every access: the index whose
 * TLB serves mmu_idx, after its checks. */
static inline int x86_cpu_mmu_check(CPUState *cs, uint64_t addr, unsigned size,
                                    int access_type, int mmu_idx, uintptr_t ra)
{
    if (mmu_idx == MMU_USER_AC_IDX) {
        return x86_cpu_mmu_check_align(cs, addr, size, access_type, ra);
    }
    return mmu_idx;
}

/* A 64-bit linear address is canonical at a width of bits (48 or 57):
 * bits 63:bits-1 all equal. */
static inline bool x86_canonical(uint64_t addr, unsigned bits)
{
    return (uint64_t)((int64_t)(addr << (64 - bits)) >> (64 - bits)) == addr;
}

/* Canonical for the current paging mode (57 bits with CR4.LA57, else 48):
 * memory accesses and the addresses jumps load into RIP. */
static inline bool x86_addr_canonical(const CPUX86State *env, uint64_t addr)
{
    return x86_canonical(addr, (env->cr[4] & CR4_LA57_MASK) ? 57 : 48);
}

/* The widest linear address the CPU supports: 57 bits when CPUID.7.0:ECX
 * claims LA57 (bit 16), whatever CR4.LA57 says (CPUID 0x80000008). */
static inline unsigned x86_linear_bits(const CPUX86State *env)
{
    return (env->cpuid_7_0_ecx & (1u << 16)) ? 57 : 48;
}

/* Canonical at that width: values loaded into base registers and MSRs
 * (WRMSR, WRFSBASE, LLDT/LTR in long mode) and INVPCID's address (Intel's
 * 5-level paging white paper, "Canonicality checking"). */
static inline bool x86_base_canonical(const CPUX86State *env, uint64_t addr)
{
    return x86_canonical(addr, x86_linear_bits(env));
}

/* The MMU index of helpers' explicit guest accesses at the current
 * privilege (without the alignment check, which only translated accesses
 * make); EFLAGS.AC lifts SMAP below CPL 3.  Implicit supervisor accesses
 * (descriptor tables, TSS, event delivery) use MMU_KSMAP_IDX at any CPL. */
static inline int x86_cpu_mmu_index(CPUX86State *env)
{
    if ((env->hflags & HF_CPL_MASK) == 3) {
        return MMU_USER_IDX;
    }
    return (env->eflags & AC_MASK) ? MMU_KNOSMAP_IDX : MMU_KSMAP_IDX;
}

#endif
