/*
 * internal.h: declarations shared inside target-x86 only.
 */
#ifndef TARGET_X86_INTERNAL_H
#define TARGET_X86_INTERNAL_H

#include "target-x86/cpu.h"
#include "exec/exec-all.h"

/* Raise a guest exception from a helper; ra = GETPC() (0: state precise).
 * Implemented in excp_helper.c. */
TERN_NORETURN void raise_exception(CPUX86State *env, int vector);
TERN_NORETURN void raise_exception_ra(CPUX86State *env, int vector, uintptr_t ra);
TERN_NORETURN void raise_exception_err(CPUX86State *env, int vector, int error_code);
TERN_NORETURN void raise_exception_err_ra(CPUX86State *env, int vector, int error_code,
                                          uintptr_t ra);
/* Software interrupt (INT n, INT3, INTO): next_eip_addend is the
 * instruction length, so delivery pushes the following rip. */
TERN_NORETURN void raise_interrupt(CPUX86State *env, int vector, int next_eip_addend);

/* The I/O map base (TSS offset 0x66) of a present 32- or 64-bit TSS whose
 * limit holds it; false for any other TR (priv_helper.c).  The software
 * interrupt redirection bitmap (VME) is the 32 bytes below it. */
bool x86_tss_iomap_base(CPUX86State *env, uint32_t *base, uintptr_t ra);

/* Outside 64-bit mode: #GP(0) (#SS(0) for SS) unless an access of size
 * bytes at offset off through segment seg is within its limit and allowed
 * by its type; size 0 checks the type alone (seg_check.c). */
void x86_seg_check(CPUX86State *env, int seg, uint64_t off, unsigned size, bool write,
                   uintptr_t ra);
/* The limit rule alone: is an access of size (> 0) bytes at offset off
 * within a segment of these cached flags (or descriptor high word) and
 * this (byte-granular) limit, expand-up or expand-down? */
bool x86_seg_range_ok(uint32_t flags, uint32_t limit, uint64_t off, unsigned size);

/* Debug registers (debug_helper.c): does CR4.DE with DR7 arm an I/O
 * breakpoint (HF_IOBPT_MASK)?  Re-install DR0-DR3's data breakpoints as
 * BP_CPU watchpoints after DR0-DR3/DR7 change (and at reset).  The B bits
 * of the data breakpoints hit since the last call (clears the hits). */
bool x86_debug_io_armed(const CPUX86State *env);
void x86_debug_sync_watchpoints(CPUX86State *env);
unsigned x86_debug_take_watch_hits(CPUX86State *env);

/* The CPU model's CPUID leaves (cpu.c). */
void cpu_x86_cpuid(CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);

/* The CPU model's physical address size (CPUID 0x80000008; the linear one
 * is x86_linear_bits): MAXPHYADDR bounds the frame addresses the page
 * walker accepts. */
#define X86_PHYS_ADDR_BITS 40

/* System descriptor types (DESC_TYPE bits of a descriptor with S = 0);
 * in long mode 9/11/12/14/15 are the 64-bit TSS and gates. */
enum {
    SYS_TSS16_AVL = 1, SYS_LDT = 2, SYS_TSS16_BUSY = 3, SYS_CALL_GATE16 = 4,
    SYS_TASK_GATE = 5, SYS_INT_GATE16 = 6, SYS_TRAP_GATE16 = 7, SYS_TSS32_AVL = 9,
    SYS_TSS32_BUSY = 11, SYS_CALL_GATE32 = 12, SYS_INT_GATE32 = 14, SYS_TRAP_GATE32 = 15,
};

/*
 * The second word of an instruction's insn_start record: its static cc_op,
 * and X86_INSN_STK_* << X86_INSN_STK_SHIFT, kept in env->insn_stack_info
 * by a restore, which tell mmu.c whether a non-canonical access was a
 * stack one (#SS) or not (#GP).
 */
#define X86_INSN_STK_SHIFT    8
#define X86_INSN_STK_EXPLICIT 1   /* its memory operand is SS's (base rSP/rBP or SS:) */
#define X86_INSN_STK_IMPLICIT 2   /* it pushes or pops */
#define X86_INSN_STK_MEM      4   /* it has a memory operand (ModRM or moffs) */

/* ---- page walk (mmu.c) ------------------------------------------------ */

/* The physical accesses a page walk makes.  ld reads a paging-structure
 * entry of size 4 or 8 bytes; st writes one back with A/D bits set, or is
 * NULL for a walk without side effects (debugger). */
typedef struct X86PTEAccess {
    uint64_t (*ld)(void *opaque, uint64_t paddr, unsigned size);
    void (*st)(void *opaque, uint64_t paddr, uint64_t val, unsigned size);
    void *opaque;
} X86PTEAccess;

typedef struct X86TranslateResult {
    uint64_t paddr;       /* physical address of vaddr */
    uint64_t page_size;   /* size of the mapping: 4K, 2M, 4M or 1G */
    int prot;             /* PAGE_* allowed at mmu_idx; WRITE only once dirty */
    int exception;        /* on failure: EXCP0E_PAGE or EXCP0D_GPF */
    int error_code;       /* on failure: its error code */
} X86TranslateResult;

/* #PF error code bits */
#define PG_ERROR_P_MASK    0x01
#define PG_ERROR_W_MASK    0x02
#define PG_ERROR_U_MASK    0x04
#define PG_ERROR_RSVD_MASK 0x08
#define PG_ERROR_I_D_MASK  0x10
#define PG_ERROR_PK_MASK   0x20

/* Translate vaddr for an access of access_type (MMUAccessType) at mmu_idx
 * under env's CR0/CR3/CR4/EFER.  Pure apart from pa's accesses: returns
 * true and fills paddr/page_size/prot, or false with exception/error_code
 * (env is not changed; the caller sets CR2 and raises). */
bool x86_mmu_translate(const CPUX86State *env, const X86PTEAccess *pa, uint64_t vaddr,
                       int access_type, int mmu_idx, X86TranslateResult *out);

/* Read the four PAE PDPTEs of the table at cr3 into pdptrs; false when a
 * present one has reserved bits set (the MOV to a CR is then #GP(0)).
 * x86_cpu_read_pdptrs reads them through the CPU's address space. */
bool x86_mmu_read_pdptrs(const CPUX86State *env, const X86PTEAccess *pa, uint64_t cr3,
                         uint64_t pdptrs[4]);
bool x86_cpu_read_pdptrs(CPUX86State *env, uint64_t cr3, uint64_t pdptrs[4]);

/* ---- control registers (system_helper.c), XSAVE (xsave_helper.c) ------ */

/* CR4 bits the CPU model does not support (CPUID): MOV to CR4 #GP */
uint64_t x86_cr4_reserved_bits(const CPUX86State *env);
/* MOV to CR3 from C (a task switch): checks, PDPTEs, TLB flush; #GP(0) via ra */
void x86_write_cr3(CPUX86State *env, uint64_t val, uintptr_t ra);

/* ---- TSC (misc_insn_helper.c), MSRs (msr_helper.c) --------------------- */

/* The TSC without env->tsc_offset: the host clock at the model's rate */
uint64_t x86_tsc_host(void);
int64_t x86_tsc_to_virtual_ns(CPUX86State *env, uint64_t tsc);
/* The reset values of the MSRs that have one (x86_cpu_reset) */
void x86_msr_reset(CPUX86State *env);

/* XCR0 / XSAVE state components: x87 (always enabled) and SSE */
#define XSTATE_FP_MASK      1
#define XSTATE_SSE_MASK     2
#define X86_XCR0_SUPPORTED  (XSTATE_FP_MASK | XSTATE_SSE_MASK)
/* the legacy region (512 bytes) and the XSAVE header (64) */
#define X86_XSAVE_AREA_SIZE 576
/* CPUID leaf 0xd (XSAVE features and sizes) */
void x86_cpuid_xsave_leaf(CPUX86State *env, uint32_t subleaf, uint32_t *eax, uint32_t *ebx,
                          uint32_t *ecx, uint32_t *edx);

#endif
