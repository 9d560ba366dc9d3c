/*
 * replay.h: where a vCPU meets something non-deterministic, and the hook
 * that lets an engine record or substitute it (accel/compare, docs/compare.md).
 *
 * Each place a guest instruction or an interrupt gets a value tern did not
 * compute from guest state (a device read, the TSC, RDRAND, an acknowledged
 * interrupt vector) passes it through replay_value().  With no hook on the
 * calling thread that is one predictable branch.  A recording hook logs the
 * value and returns it; a replaying hook returns the logged value instead
 * (and notes a mismatch of kind or key).  Device writes pass through too, so
 * that a replaying side can compare them instead of performing them.
 *
 * The hook is per thread: only the thread that set it is recorded.  A
 * device's own accesses made while serving one (nested dispatch) are not
 * the CPU's and are not seen: memory.c clears the hook around the callback.
 */
#ifndef EXEC_REPLAY_H
#define EXEC_REPLAY_H

#include "util/osdep.h"

typedef enum ReplayKind {
    REPLAY_IO_READ,     /* device read: obj = the region, key = offset in it */
    REPLAY_IO_WRITE,    /* device write: the same; val = the value written */
    REPLAY_IRQ,         /* interrupt acknowledge: val = vector, or -1 (none) */
    REPLAY_NMI,         /* an NMI is delivered (val unused) */
    REPLAY_TSC,         /* RDTSC/RDTSCP */
    REPLAY_RAND,        /* RDRAND/RDSEED */
    REPLAY_MSR,         /* RDMSR: key = the MSR's index */
    REPLAY_MSR_WRITE,   /* WRMSR: key = the index, val = the value written */
    REPLAY_MSR_OK,      /* WRMSR: val = 1 if it was accepted, 0 if #GP */
    REPLAY_CR8,         /* MOV from CR8 (the local APIC's TPR) */
    REPLAY_CPUID,       /* CPUID, twice: key = ECX:EAX in; val = EBX:EAX out,
                         * then EDX:ECX out (KVM's CPUID is the host's in
                         * places: a KVM reference records it) */
    REPLAY_NR_KINDS
} ReplayKind;

typedef struct ReplayHook ReplayHook;
struct ReplayHook {
    /* Returns the value the caller uses. */
    uint64_t (*value)(ReplayHook *h, ReplayKind kind, const void *obj, uint64_t key,
                      unsigned size, uint64_t val);
};

extern __thread ReplayHook *replay_hook;

static inline uint64_t replay_value(ReplayKind kind, const void *obj, uint64_t key,
                                    unsigned size, uint64_t val)
{
    ReplayHook *h = replay_hook;

    if (likely(!h)) {
        return val;
    }
    return h->value(h, kind, obj, key, size, val);
}

#endif
