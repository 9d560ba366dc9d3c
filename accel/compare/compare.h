/*
 * compare.h: the lockstep compare engine's parts (docs/compare.md).
 *
 *   compare-accel.c  the AccelOps table, the options, the vCPU thread's
 *                    step loop and the event log the reference fills
 *   ref-tcg.c        a reference engine: TCG itself (ref=tcg)
 *   ref-kvm.c        the other: a KVM vCPU single-stepped (ref=kvm)
 *   shadow.c         the shadow: a second TCG CPU in a mirror of the
 *                    machine's memory map, fed from the event log
 *   report.c         comparing the two and reporting the first divergence
 *   replay-file.c    the log on disk: -record writes it, -replay feeds
 *                    it to the shadow alone
 *
 * One thread does everything: the reference steps (one instruction or one
 * delivered event, recording what it got from outside into the log), then
 * the shadow takes the same step consuming the log, then the two are
 * compared.  Nothing here is shared with other threads but the DMA log.
 */
#ifndef ACCEL_COMPARE_COMPARE_H
#define ACCEL_COMPARE_COMPARE_H

#include "util/osdep.h"
#include "util/error.h"
#include "exec/memory.h"
#include "exec/replay.h"
#include "hw/core/machine.h"
#include "target-x86/cpu.h"

#include <glib.h>

/* ---- the event log of one step -------------------------------------- */

typedef struct CompareEvent {
    ReplayKind kind;
    unsigned size;
    const void *obj;          /* REPLAY_IO_*: the machine's region */
    uint64_t key;             /* its offset; REPLAY_MSR: the index */
    uint64_t val;
} CompareEvent;

typedef struct CompareLog {
    CompareEvent *ev;
    size_t n, cap;
    size_t next;              /* the shadow's cursor */
} CompareLog;

void compare_log_push(CompareLog *log, const CompareEvent *e);

/* ---- a reference engine --------------------------------------------- */

typedef enum CompareStep {
    COMPARE_STEP_NONE,        /* nothing ran (exit request, halted) */
    COMPARE_STEP_INSN,        /* one instruction, or one delivered event */
    COMPARE_STEP_HLT,         /* HLT ran: the CPU now waits */
} CompareStep;

/* How a reference's free run (step=event) ended. */
typedef enum CompareRun {
    COMPARE_RUN_NONE,         /* failed, or a shutdown/reset is due */
    COMPARE_RUN_HLT,          /* HLT ran */
    COMPARE_RUN_EVENT,        /* a device access, logged (the instruction
                               * completes by the next sync_state or run) */
    COMPARE_RUN_AT,           /* at the stop rip, before its instruction */
    COMPARE_RUN_KICKED,       /* interrupted by kick */
} CompareRun;

/*
 * What the shadow is compared against.  The reference runs the machine's
 * CPU with the real devices; the core sets the recording hook around
 * step, so every device read, acknowledged interrupt, TSC or RDRAND value
 * it meets lands in the log.  ref=kvm steps with KVM_SET_GUEST_DEBUG
 * single-stepping and syncs with KVM_GET_REGS/SREGS (ref-kvm.c).
 */
typedef struct CompareRefOps {
    const char *name;
    /* On the vCPU thread, before the first step. */
    void (*thread_init)(CPUState *cs);
    /* One step of cs: at most one instruction or one delivered event. */
    CompareStep (*step)(CPUState *cs);
    /* step=event (optional: NULL, only step=insn): one instruction, no
     * interrupt delivered (the shadow asked for what it reads). */
    CompareStep (*step_insn)(CPUState *cs);
    /* step=event: run freely until the next exit to tern: a device access
     * (logged), HLT, a kick, or (stop) arrival at stop_rip of the current
     * code segment, stopped before it runs.  env current. */
    CompareRun (*run)(CPUState *cs, bool stop, uint64_t stop_rip);
    /* step=event: make a run on the compare thread return soon (any thread). */
    void (*kick)(CPUState *cs);
    /* step=event: env was set by the engine (an interval rewound): the
     * next step or run must start from it. */
    void (*env_changed)(CPUState *cs);
    /* step=event: serve the device accesses from these address spaces
     * (NULL, NULL: the machine's), for a rerun's replayed accesses. */
    void (*device_spaces)(CPUState *cs, AddressSpace *mem, AddressSpace *io);
    /* Make env hold the engine's registers (KVM: fetch them). */
    void (*sync_state)(CPUState *cs);
    /* After a machine reset: drop what the engine derived from the old
     * memory contents. */
    void (*reset)(CPUState *cs);
    /* Optional: the arithmetic flags (CC_*) the step just run leaves
     * architecturally undefined; hardware may set them either way, so the
     * shadow takes the reference's.  NULL: none (TCG is TCG). */
    uint32_t (*undefined_flags)(CPUState *cs);
    /* Optional: a general register the step left undefined (BSF of zero),
     * taken from the reference the same way; -1: none. */
    int (*undefined_reg)(CPUState *cs);
    /* Optional: x87 status bits (C0 C2 C3) the step left undefined. */
    uint16_t (*undefined_fpus)(CPUState *cs);
    /* Optional: the instructions the step just run covered, 1 or 2 (KVM's
     * single-step cannot stop after MOV SS or POP SS: its trap waits one
     * more instruction).  NULL: always 1. */
    unsigned (*insns)(CPUState *cs);
} CompareRefOps;

extern const CompareRefOps compare_ref_tcg;
#ifdef CONFIG_KVM
extern const CompareRefOps compare_ref_kvm;   /* ref-kvm.c */
#endif

/* ---- the shadow (shadow.c) -------------------------------------------- */

typedef struct ShadowRam {
    MemoryRegion *orig, *copy;   /* the machine's RAM region, its copy */
} ShadowRam;

typedef struct CompareShadow {
    X86CPU *cpu;
    MemoryRegion *mem_root, *io_root;
    AddressSpace mem_as, io_as;
    AddressSpace *machine_mem_as, *machine_io_as;
    /* every region mirrored: (orig, copy) pairs, for aliases and reports */
    MemoryRegion **mirror_orig, **mirror_copy;
    size_t nr_mirror, cap_mirror;
    ShadowRam *ram;
    size_t nr_ram;
    ReplayHook hook;             /* consumes the log */
    CompareLog *log;
    /* step=event: the shadow runs freely and the log fills on demand:
     * refill runs the reference to its next event of this kind; true if
     * it logged some.  window: the run stopped where an interrupt the
     * reference holds could be taken. */
    bool (*refill)(struct CompareShadow *sh, ReplayKind kind);
    bool free_run, window;
    /* step=event: the state at the interval's start (compare_shadow_checkpoint) */
    struct WriteUndo *undo;      /* its RAM: util/write-undo.h */
    CPUX86State saved;           /* up to io_as */
    bool saved_halted;
    struct CompareReport *report;   /* where mismatches go */
} CompareShadow;

/* Build the shadow of ref: the memory map mirrored (RAM copied later by
 * compare_shadow_sync), a CPU not in the machine's list.  Machine lock
 * held. */
int compare_shadow_init(CompareShadow *sh, CPUState *ref, Error **errp);
/* Make the shadow equal to ref: registers and RAM. */
void compare_shadow_sync(CompareShadow *sh, CPUState *ref);
/* step=event: remember the shadow's state (registers, RAM) at an
 * interval's start... */
void compare_shadow_checkpoint(CompareShadow *sh);
/* ...and go back to it. */
void compare_shadow_rewind(CompareShadow *sh);
/* The reference machine's RAM made the shadow's (where it differs). */
void compare_shadow_ram_to_ref(CompareShadow *sh);
/* The machine's region a shadow replay region mirrors. */
const void *compare_shadow_orig(const void *region);
/* Apply a DMA write the reference's machine saw to the shadow's RAM. */
void compare_shadow_dma(CompareShadow *sh, uint64_t addr, const void *buf, uint64_t len);
/* The shadow's step, consuming log; COMPARE_STEP_* as the reference's. */
CompareStep compare_shadow_step(CompareShadow *sh, CompareLog *log);
/* One event in words ("read port 0x71 (cmos) (1 bytes, value 0x5)"). */
void compare_describe_event(CompareShadow *sh, const CompareEvent *e, char *buf, size_t len);
/* One more instruction in the same step, consuming the rest of log (a
 * reference step that covered two: see CompareRefOps.insns). */
CompareStep compare_shadow_step_more(CompareShadow *sh, CompareLog *log);
/* step=event: run the shadow freely until it stops: HLT, or
 * COMPARE_STEP_INSN at a block boundary right after an event or an
 * outside read, where an interrupt can be taken (irq: the reference has
 * one pending), or when asked to (exit_request).  The log fills through
 * sh->refill. */
CompareStep compare_shadow_run(CompareShadow *sh, CompareLog *log, bool irq);
/* Run the shadow to its first arrival at linear address pc (a
 * breakpoint), consuming log; false if it stopped otherwise first, or
 * after slices returns of cpu_exec (exit requests). */
bool compare_shadow_run_to(CompareShadow *sh, CompareLog *log, uint64_t pc, unsigned slices);
/* Where the machine maps region mr's offset off ("port 0x70", "MMIO
 * 0xfee000b0"), for messages. */
void compare_describe_io(CompareShadow *sh, const void *mr, uint64_t off, char *buf,
                         size_t len);

/* ---- divergences (report.c) ----------------------------------------- */

#define COMPARE_RING 8

typedef struct CompareHistory {
    uint64_t step;
    uint64_t pc;              /* linear */
    uint32_t flags;           /* the TB flags (code size) */
    int vector;               /* the step delivered this interrupt; -1: none */
} CompareHistory;

typedef struct CompareReport {
    bool diverged;
    GString *why;             /* what differs, one indented line each */
    uint64_t step;
    CompareHistory ring[COMPARE_RING];
    unsigned ring_n;          /* entries written, ever */
} CompareReport;

/* A difference found while stepping (an event mismatch); printf style. */
void compare_note(CompareReport *r, const char *fmt, ...) TERN_PRINTF(2, 3);
/* Compare the registers; notes each difference (r NULL: none, only the
 * answer).  True if any differ. */
bool compare_cpus(CompareReport *r, CPUX86State *ref, CPUX86State *sh);
/* Compare the RAM copies page by page; notes the differing bytes. */
bool compare_ram(CompareReport *r, CompareShadow *sh);
/* step=event: the same for the pages the shadow wrote in the interval. */
bool compare_ram_dirty(CompareReport *r, CompareShadow *sh);
/* Record the step about to run at ref's state. */
void compare_history_push(CompareReport *r, uint64_t step, CPUX86State *env);
/* Print the report of the first divergence on stderr: "TITLE at step N",
 * the steps (their bytes read through cpu's page tables and memory), the
 * differences. */
void compare_print(CompareReport *r, CPUState *cpu, const char *title, const char *cmdline);

#endif
