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

/* The CPU model's CPUID leaves (cpu.c). */
void cpu_x86_cpuid(CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);

/* The CPU model's address sizes (CPUID 0x80000008): MAXPHYADDR bounds the
 * frame addresses the page walker accepts. */
#define X86_PHYS_ADDR_BITS 40
#define X86_VIRT_ADDR_BITS 48

/* System descriptor types (DESC_TYPE bits of a descriptor with S = 0);
 * in long mode 9/11/14/15 are the 64-bit TSS and gates. */
enum {
    SYS_TSS16_AVL = 1, SYS_LDT = 2, SYS_TSS16_BUSY = 3, SYS_TASK_GATE = 5,
    SYS_INT_GATE16 = 6, SYS_TRAP_GATE16 = 7, SYS_TSS32_AVL = 9, SYS_TSS32_BUSY = 11,
    SYS_INT_GATE32 = 14, SYS_TRAP_GATE32 = 15,
};

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

/* Translate vaddr for an access of access_type (MMUAccessType) at mmu_idx
 * under env's CR0/CR3/CR4/EFER.  Pure apart from pa's accesses: returns
 * true and fills paddr/page_size/prot, or false with exception/error_code
 * (env is not changed; the caller sets CR2 and raises). */
bool x86_mmu_translate(const CPUX86State *env, const X86PTEAccess *pa, uint64_t vaddr,
                       int access_type, int mmu_idx, X86TranslateResult *out);

/* ---- IRET (seg_helper.c), called from generated code ----------------- */

/* IRET in real and virtual-8086 mode; shift: 0 = 16-bit, 1 = 32-bit
 * operand size.  The guest rip must be stored before the call. */
void helper_iret_real(CPUX86State *env, int shift);
/* IRET/IRETD/IRETQ in protected and long mode (shift 0/1/2); next_eip is
 * the address after the IRET, used only for a task return (unsupported). */
void helper_iret_protected(CPUX86State *env, int shift, int next_eip);

#endif
