/*
 * cpu.h: the architecture-independent part of a virtual CPU.
 *
 * A target embeds CPUState first in its CPU object (X86CPU) followed by its
 * architectural state (env); code that has only env finds the CPUState with
 * env_cpu().  Fields written by other threads (exit_request, stop,
 * interrupt_request) are read by the vCPU thread at safe points.
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "util/osdep.h"
#include "exec/memory.h"
#include "exec/watchpoint.h"

#include <pthread.h>
#include <setjmp.h>

#define TB_JMP_PAGE_SHIFT 12             /* x86's 4 KiB pages */
#define TB_JMP_GROUP_BITS 6              /* 64 groups: tb_jmp_cache_used */
#define TB_JMP_SLOT_BITS 8               /* of 256 entries */
#define TB_JMP_CACHE_BITS (TB_JMP_GROUP_BITS + TB_JMP_SLOT_BITS)
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)
/* Tag in a jump cache entry's low bit: the block's code pages were mapped
 * global in this CPU's TLB, so the entry outlives a CR3 write as the
 * TLB's global entries do (TranslationBlock is 8-byte aligned). */
#define TB_JMP_CACHE_GLOBAL ((uintptr_t)1)
#define CPU_MAX_BREAKPOINTS 32

/* A debugger's breakpoint kinds (AccelOps' debug entries, the engines'
 * implementations); the values are gdb's Z packet types. */
typedef enum AccelBreakpointType {
    ACCEL_BP_SOFTWARE = 0,
    ACCEL_BP_HARDWARE = 1,
    ACCEL_WP_WRITE = 2,
    ACCEL_WP_READ = 3,
    ACCEL_WP_ACCESS = 4,
} AccelBreakpointType;

/* CPUState.interrupt_request bits */
enum {
    CPU_INTERRUPT_HARD  = 1 << 0,   /* maskable interrupt line asserted */
    CPU_INTERRUPT_NMI   = 1 << 1,
    CPU_INTERRUPT_INIT  = 1 << 2,
    CPU_INTERRUPT_SIPI  = 1 << 3,
    CPU_INTERRUPT_RESET = 1 << 4,
};

#define EXCP_NONE      -1
#define EXCP_INTERRUPT  0x10000  /* leave the exec loop: exit_request */
#define EXCP_HLT        0x10001  /* the CPU halted */
#define EXCP_DEBUG      0x10002  /* breakpoint / single step hit */
#define EXCP_HALTED     0x10003  /* the CPU is halted and has nothing to do */

typedef struct CPUState CPUState;
struct TranslationBlock;

struct CPUState {
    int cpu_index;
    /* -icount (TCG): the instructions this vCPU may still run before the
     * next virtual timer expires; each block subtracts its count at entry
     * and leaves instead when that would go negative (docs/tcg-ir.md).
     * Here, in a hole: without -icount the layout is as it was. */
    int32_t icount_budget;
    AddressSpace *as;                 /* the CPU's view of physical memory */
    void *env_ptr;                    /* the target's architectural state */

    /* Set by any thread to make the vCPU leave generated code at the next
     * block boundary; read by generated code at each block entry. */
    volatile int32_t exit_request;
    volatile unsigned interrupt_request;
    volatile bool stop;               /* asked to pause */
    volatile bool stopped;            /* has paused */
    bool halted;                      /* HLT: wait for an interrupt */
    bool singlestep;                  /* translate one instruction per block */
    /* With singlestep, the lockstep engine's step (accel/compare): cpu_exec
     * also returns (EXCP_DEBUG) right after delivering an interrupt or an
     * exception, so that a step is one instruction or one event. */
    bool step_events;
    /* The compare engine's shadow CPU: its blocks are translated apart
     * (CF_SHADOW), and it is in no machine's CPU list. */
    bool shadow;

    int exception_index;              /* EXCP_* or a guest vector, while unwinding */
    sigjmp_buf jmp_env;               /* cpu_loop_exit unwinds to here */
    /* The compare engine's shadow in free run: a device access is made
     * only by a block of one instruction (a longer block is cut there and
     * the instruction redone alone), so that the shadow can stop right
     * after it (docs/compare.md). */
    bool io_alone;
    CPUWatchpoints wp;                /* data watchpoints (exec/watchpoint.h) */
    /* The debugger's breakpoints (guest virtual pcs), looked at by the
     * translator; changed only while the vCPU is stopped, with the
     * translations dropped after (the accelerator's insert_breakpoint). */
    uint64_t breakpoints[CPU_MAX_BREAKPOINTS];
    unsigned nb_breakpoints;

    /* Recently executed blocks by virtual pc (TCG). */
    struct TranslationBlock *tb_jmp_cache[TB_JMP_CACHE_SIZE];   /* | TB_JMP_CACHE_GLOBAL */
    uint64_t tb_jmp_cache_used;       /* bit g: group g may hold entries */
    uint64_t tb_jmp_cache_local;      /* bit g: ... untagged ones */

    pthread_t thread;
    bool thread_running;
    void *accel;                      /* the accelerator's per-vCPU data */
    void *kvm;                        /* KVM's: apart, so that -accel compare,ref=kvm
                                       * keeps TCG's accel data on the same CPU */
};

/*
 * The jump cache's index of a virtual pc.  2^14 entries in 64 groups of
 * 256: the group comes from the page number only (its low bits) and the
 * slot from the offset in the page (its low byte xor the rest, so code
 * laid out every 256 bytes does not collide), so one page's blocks share a group
 * (256 slots: a page of dense code,
 * an interpreter's handlers, rarely collides) and dropping a page (INVLPG)
 * clears two groups (the page and the one before, whose blocks may run
 * into it) instead of the whole cache; a full flush clears only the
 * groups used since the last one (tb_jmp_cache_used).  Generated code
 * computes the same function (tb_gen_lookup_and_goto): change both
 * together.
 */
static inline unsigned tb_jmp_cache_group(uint64_t pc)
{
    return (unsigned)(pc >> TB_JMP_PAGE_SHIFT) & ((1u << TB_JMP_GROUP_BITS) - 1);
}

static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    return tb_jmp_cache_group(pc) << TB_JMP_SLOT_BITS |
           ((unsigned)(pc ^ (pc >> TB_JMP_SLOT_BITS)) & ((1u << TB_JMP_SLOT_BITS) - 1));
}

#endif
