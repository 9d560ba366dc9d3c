/*
 * compare-accel.c: -accel compare: one guest on two engines in lockstep,
 * stopping at the first step where they disagree (docs/compare.md).
 *
 * Options (-accel compare,OPT,...):
 *   ref=tcg        the reference engine: TCG itself (the default), or
 *   ref=kvm        a KVM vCPU, single-stepped (ref-kvm.c)
 *   ram-check=N    compare all of RAM every N steps (default 1000000) as
 *                  well as at the end; 0: only at the end
 *   step=insn      the two compare after every instruction (ref=tcg's
 *                  default), or
 *   step=event     they run freely between events and compare at each
 *                  (ref=kvm's default; below)
 *
 * The vCPU thread loops: the reference steps with the recording hook set
 * (exec/replay.h), filling the log; DMA writes other threads made to RAM
 * meanwhile are applied to the shadow's RAM; the shadow steps, consuming
 * the log; registers are compared.  The first difference is reported on
 * stderr and ends the run: tern then exits with status 2 (exit_status),
 * else with the guest's own status.
 *
 * -record FILE and -replay FILE (docs/compare.md) are two more modes of
 * the same loop: recording steps the reference alone and writes each
 * step's log to the file (replay-file.c); replaying steps the shadow
 * alone, its log read from the file, and compares the final state with
 * the recorded one.
 *
 * step=event: the shadow leads, running freely (compare_shadow_run); the
 * reference is run lazily behind it (compare_refill): to its next device
 * access when the shadow makes one, to the instruction and one step over
 * it when the shadow reads the TSC, RDRAND, CPUID, an MSR or CR8.  The
 * shadow stops right after each such event (or at HLT, where a pending
 * interrupt can be taken, every COMPARE_SLICE_MS): the reference is
 * brought to the same place (compare_catch_up) and the two compared.  A
 * stop with no event is found on the reference as the first arrival at
 * the shadow's rip (a patched HLT/INT3): if the states differ there the
 * shadow was further on (a loop), so it is run again to its own first
 * arrival... (see compare_catch_up).  Devices run only between intervals:
 * the compare thread holds the machine lock throughout one, so that DMA
 * and interrupts land where both engines are at the same instruction.
 *
 * One vCPU only.  Locking: the DMA log (compare_dma_lock) is the only
 * state other threads touch; everything else belongs to the vCPU thread,
 * or to the main thread while the vCPU is stopped (reset).
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"
#include "tcg/tcg.h"
#include "accel/tcg/internal.h"
#include "accel/compare/compare.h"
#include "accel/compare/replay-file.h"
#include "util/write-undo.h"
#ifdef CONFIG_KVM
#include "accel/kvm/kvm-ref.h"
#endif

#define COMPARE_IDLE_MS 100
#define COMPARE_SLICE_MS 20           /* step=event: the longest interval */
#define COMPARE_REF_LIMIT_MS 20000    /* step=event: a reference run this long is lost */
#define COMPARE_RERUN_MAX 10000000u   /* step=event: a rerun's steps before giving up */
#define COMPARE_RERUN_PAGES 64        /* step=event: a rerun checks written RAM while under */

typedef enum CompareGrain {
    COMPARE_GRAIN_DEFAULT,
    COMPARE_GRAIN_INSN,
    COMPARE_GRAIN_EVENT,
} CompareGrain;

typedef struct CompareDma {
    uint64_t addr, len;
    uint8_t *buf;
} CompareDma;

typedef enum CompareMode {
    COMPARE_LOCKSTEP,            /* -accel compare: reference and shadow */
    COMPARE_RECORD,              /* -record: the reference, logged to a file */
    COMPARE_REPLAY,              /* -replay: the shadow, fed from a file */
} CompareMode;

static struct {
    CompareMode mode;
    ReplayFile *file;            /* record, replay */
    uint64_t a20_off;            /* record: the A20 state last written */
    bool failed;                 /* replay: a bad file (exit status 1) */
    int recorded_status;         /* replay: the guest's status, recorded */
    bool replayed;               /* replay: the end of the file was reached */
    const CompareRefOps *ref;
    uint64_t ram_check;          /* steps between RAM compares; 0: at the end */
    CompareGrain grain;          /* step= */
    uint64_t undefined_taken;    /* steps whose undefined flags differed */
    /* step=event: the reference at the interval's start, and a rerun's
     * device accesses (the interval's, replayed) */
    CPUX86State ref_saved;       /* up to io_as */
    bool ref_saved_halted;
    CompareLog rerun;            /* next: the rerun's cursor */
    ReplayHook rerun_rec;
    uint64_t reruns, intervals;
    bool catch_up_by_arrival;    /* the interval ended with no event */
    /* step=event, TERN_COMPARE_VERBOSE: where the time goes (ns) */
    int64_t ns_checkpoint, ns_shadow, ns_catch_up;
    /* step=event: the watchdog thread's view of the vCPU thread (atomic) */
    bool in_interval, ref_running, shadow_running, watchdog_stop;
    int64_t ref_run_start_ns, shadow_run_start_ns;
    pthread_t watchdog;
    bool watchdog_running;
    MachineState *ms;
    CPUState *cs;                /* the reference CPU */
    CompareShadow shadow;
    CompareLog log;
    ReplayHook rec;              /* the reference's recording hook */
    CompareReport report;
    uint64_t steps;
    bool resync;                 /* a reset: copy the reference again */
    pthread_mutex_t lock;        /* the sleep */
    pthread_cond_t cond;
} cmp = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

static pthread_mutex_t compare_dma_lock = PTHREAD_MUTEX_INITIALIZER;
static CompareDma *compare_dma;
static size_t compare_nr_dma;

/* ---- options ------------------------------------------------------------- */

static const CompareRefOps *const compare_refs[] = {
    &compare_ref_tcg,
#ifdef CONFIG_KVM
    &compare_ref_kvm,
#endif
};

static int compare_parse(const char *opts, Error **errp)
{
    const char *p = opts;

    cmp.ref = &compare_ref_tcg;
    cmp.ram_check = 1000000;
    while (p && *p) {
        size_t len = strcspn(p, ",");
        char item[64];
        char *end;

        snprintf(item, sizeof(item), "%.*s", (int)MIN(len, sizeof(item) - 1), p);
        if (!strncmp(item, "ref=", 4)) {
            cmp.ref = NULL;
            for (size_t i = 0; i < ARRAY_SIZE(compare_refs); i++) {
                if (!strcmp(item + 4, compare_refs[i]->name)) {
                    cmp.ref = compare_refs[i];
                }
            }
#ifndef CONFIG_KVM
            if (!cmp.ref && !strcmp(item + 4, "kvm")) {
                error_setg(errp, "-accel kvm: this tern was built without KVM "
                           "(" CONFIG_KVM_ABSENT "); use -accel tcg");
                return -EINVAL;
            }
#endif
            if (!cmp.ref) {
                error_setg(errp, "-accel compare: unknown reference '%s' (ref=tcg, ref=kvm)",
                           item + 4);
                return -EINVAL;
            }
        } else if (!strcmp(item, "step=insn") || !strcmp(item, "step=event")) {
            cmp.grain = item[5] == 'i' ? COMPARE_GRAIN_INSN : COMPARE_GRAIN_EVENT;
        } else if (!strncmp(item, "step=", 5)) {
            error_setg(errp, "-accel compare: step=%s: not insn or event", item + 5);
            return -EINVAL;
        } else if (!strncmp(item, "ram-check=", 10)) {
            errno = 0;
            cmp.ram_check = strtoull(item + 10, &end, 0);
            if (errno || end == item + 10 || *end) {
                error_setg(errp, "-accel compare: ram-check=%s: not a number", item + 10);
                return -EINVAL;
            }
        } else {
            error_setg(errp, "-accel compare: unknown option '%s' (ref=, step=, ram-check=)",
                       item);
            return -EINVAL;
        }
        p += len + (p[len] ? 1 : 0);
    }
    if (cmp.grain == COMPARE_GRAIN_DEFAULT) {
        cmp.grain = cmp.ref->run ? COMPARE_GRAIN_EVENT : COMPARE_GRAIN_INSN;
    }
    if (cmp.grain == COMPARE_GRAIN_EVENT && !cmp.ref->run) {
        error_setg(errp, "-accel compare: step=event: not with ref=%s yet (step=insn)",
                   cmp.ref->name);
        return -EINVAL;
    }
    return 0;
}

/* ---- recording -------------------------------------------------------------- */

void compare_log_push(CompareLog *log, const CompareEvent *e)
{
    if (log->n == log->cap) {
        log->cap = log->cap ? 2 * log->cap : 16;
        log->ev = realloc(log->ev, log->cap * sizeof(*log->ev));
        assert(log->ev);
    }
    log->ev[log->n++] = *e;
}

static uint64_t compare_record(ReplayHook *h, ReplayKind kind, const void *obj, uint64_t key,
                               unsigned size, uint64_t val)
{
    compare_log_push(&cmp.log, &(CompareEvent){ kind, size, obj, key, val });
    return val;
}

/* RAM written through the memory API: the reference CPU's own writes (in
 * a step, the recording hook set) the shadow makes itself; anything else
 * written to the machine's RAM (DMA, a device serving the CPU) is queued
 * for the shadow's RAM. */
static void compare_ram_written(AddressSpace *as, uint64_t addr, uint64_t len)
{
    tcg_ram_written(as, addr, len);
    if (as != cmp.shadow.machine_mem_as || replay_hook == &cmp.rec) {
        return;
    }
    CompareDma d = { addr, len, tern_malloc0(len) };
    address_space_read(as, addr, d.buf, len);   /* RAM: no device is touched */
    pthread_mutex_lock(&compare_dma_lock);
    compare_dma = realloc(compare_dma, (compare_nr_dma + 1) * sizeof(*compare_dma));
    assert(compare_dma);
    compare_dma[compare_nr_dma++] = d;
    pthread_mutex_unlock(&compare_dma_lock);
}

static void dma_to_shadow(uint64_t addr, const void *buf, uint64_t len)
{
    compare_shadow_dma(&cmp.shadow, addr, buf, len);
}

static void dma_to_file(uint64_t addr, const void *buf, uint64_t len)
{
    replay_file_put_dma(cmp.file, addr, buf, len);
}

/* Hand the queued DMA writes to put (NULL: drop them, before a sync). */
static void compare_dma_flush(void (*put)(uint64_t addr, const void *buf, uint64_t len))
{
    pthread_mutex_lock(&compare_dma_lock);
    for (size_t i = 0; i < compare_nr_dma; i++) {
        if (put) {
            put(compare_dma[i].addr, compare_dma[i].buf, compare_dma[i].len);
        }
        free(compare_dma[i].buf);
    }
    compare_nr_dma = 0;
    pthread_mutex_unlock(&compare_dma_lock);
}

/* ---- the step loop ---------------------------------------------------------- */

static void compare_sync(void)
{
    cmp.ref->sync_state(cmp.cs);
    compare_dma_flush(NULL);
    compare_shadow_sync(&cmp.shadow, cmp.cs);
    cmp.a20_off = cpu_env(cmp.cs)->a20_off;
}

/* Device-owned CPU state the shadow cannot get from its replayed writes. */
static void compare_copy_device_state(void)
{
    CPUX86State *renv = cpu_env(cmp.cs), *senv = &cmp.shadow.cpu->env;

    if (renv->a20_off != senv->a20_off) {
        x86_cpu_set_a20(cmp.shadow.cpu, !renv->a20_off);   /* port 0x92 */
    }
}

static const char *const step_name[] = {
    [COMPARE_STEP_NONE] = "nothing", [COMPARE_STEP_INSN] = "one step",
    [COMPARE_STEP_HLT] = "HLT",
};

/* The history entry of the step that just ran names the interrupt it
 * delivered, if any. */
static void compare_mark_interrupt(CompareReport *r, const CompareLog *log)
{
    for (size_t i = 0; i < log->n; i++) {
        const CompareEvent *e = &log->ev[i];

        if ((e->kind == REPLAY_IRQ && (int)e->val >= 0) || e->kind == REPLAY_NMI) {
            r->ring[(r->ring_n - 1) % COMPARE_RING].vector =
                e->kind == REPLAY_NMI ? 2 : (int)(e->val & 0xff);
        }
    }
}

/* After the shadow's step: it must have ended as the reference's did and
 * consumed the whole log. */
static void compare_step_ends(CompareReport *r, CompareStep rs, CompareStep ss)
{
    if (ss != rs) {
        compare_note(r, "the reference ran %s, the shadow %s", step_name[rs], step_name[ss]);
    }
    if (cmp.log.next < cmp.log.n) {
        char what[160];

        compare_describe_event(&cmp.shadow, &cmp.log.ev[cmp.log.next], what, sizeof(what));
        compare_note(r, "events: the reference %s; the shadow did not", what);
    }
}

/* Host monotonic time, for the watchdog and the verbose statistics. */
static int64_t compare_now_ns(void)
{
    return timer_clock_ns(TIMER_CLOCK_REALTIME);
}

/* A reference run or step is under way (the watchdog kicks it if it
 * lasts); shadow_running below is the shadow's. */
static void ref_running(bool on)
{
    __atomic_store_n(&cmp.ref_run_start_ns, compare_now_ns(), __ATOMIC_RELAXED);
    __atomic_store_n(&cmp.ref_running, on, __ATOMIC_RELEASE);
}

/* Flags the step left undefined: the shadow's become the reference's. */
static void compare_take_undefined_flags(void)
{
    CPUX86State *senv = &cmp.shadow.cpu->env;
    uint32_t m = cmp.ref->undefined_flags ? cmp.ref->undefined_flags(cmp.cs) : 0;
    uint64_t rf, sf;

    if (m) {
        rf = cpu_compute_eflags(cpu_env(cmp.cs));
        sf = cpu_compute_eflags(senv);
        cpu_load_eflags(senv, (sf & ~(uint64_t)m) | (rf & m), 0);
        cmp.undefined_taken += ((rf ^ sf) & m) != 0;
    }
    uint16_t fm = cmp.ref->undefined_fpus ? cmp.ref->undefined_fpus(cmp.cs) : 0;

    if (fm) {
        cmp.undefined_taken += ((senv->fpus ^ cpu_env(cmp.cs)->fpus) & fm) != 0;
        senv->fpus = (senv->fpus & ~fm) | (cpu_env(cmp.cs)->fpus & fm);
    }
    int reg = cmp.ref->undefined_reg ? cmp.ref->undefined_reg(cmp.cs) : -1;

    if (reg >= 0) {
        cmp.undefined_taken += senv->regs[reg] != cpu_env(cmp.cs)->regs[reg];
        senv->regs[reg] = cpu_env(cmp.cs)->regs[reg];
    }
}

/* One step of both, the reference's by step with hook; false after a
 * divergence. */
static bool compare_step_by(CompareStep (*step)(CPUState *cs), ReplayHook *hook)
{
    CompareReport *r = &cmp.report;
    CompareStep rs, ss;

    cmp.log.n = 0;
    compare_history_push(r, cmp.steps + 1, cpu_env(cmp.cs));
    replay_hook = hook;
    ref_running(true);
    rs = step(cmp.cs);
    ref_running(false);
    replay_hook = NULL;
    if (rs == COMPARE_STEP_NONE) {
        r->ring_n--;              /* nothing ran: not a step */
        return true;              /* (an acknowledge that found no vector) */
    }
    cmp.steps++;
    r->step = cmp.steps;
    compare_mark_interrupt(r, &cmp.log);
    cmp.ref->sync_state(cmp.cs);
    compare_dma_flush(dma_to_shadow);
    compare_copy_device_state();
    ss = compare_shadow_step(&cmp.shadow, &cmp.log);
    if (ss == COMPARE_STEP_INSN && cmp.ref->insns && cmp.ref->insns(cmp.cs) == 2 &&
        cmp.shadow.cpu->env.rip != cpu_env(cmp.cs)->rip) {
        ss = compare_shadow_step_more(&cmp.shadow, &cmp.log);
    }
    compare_step_ends(r, rs, ss);
    compare_take_undefined_flags();
    compare_cpus(r, cpu_env(cmp.cs), &cmp.shadow.cpu->env);
    if (!r->diverged && cmp.ram_check && cmp.steps % cmp.ram_check == 0) {
        compare_ram(r, &cmp.shadow);
    }
    return !r->diverged;
}

static bool compare_step(void)
{
    return compare_step_by(cmp.ref->step, &cmp.rec);
}

/* ---- step=event ------------------------------------------------------------ */

/* What the shadow reads from outside that KVM answers without an exit. */
static bool is_outside_read(ReplayKind kind)
{
    return kind == REPLAY_TSC || kind == REPLAY_RAND || kind == REPLAY_MSR ||
           kind == REPLAY_MSR_WRITE || kind == REPLAY_MSR_OK || kind == REPLAY_CR8 ||
           kind == REPLAY_CPUID;
}

static const char *const run_name[] = {
    [COMPARE_RUN_NONE] = "stopped", [COMPARE_RUN_HLT] = "ran HLT",
    [COMPARE_RUN_EVENT] = "made a device access", [COMPARE_RUN_AT] = "arrived",
    [COMPARE_RUN_KICKED] = "was interrupted",
};

/* The shadow runs freely (for the watchdog). */
static void shadow_running(bool on)
{
    __atomic_store_n(&cmp.shadow_run_start_ns, compare_now_ns(), __ATOMIC_RELAXED);
    __atomic_store_n(&cmp.shadow_running, on, __ATOMIC_RELEASE);
}

/* One free run of the reference, recorded, timed for the watchdog. */
static CompareRun ref_run(bool stop, uint64_t rip)
{
    ReplayHook *saved = replay_hook;
    CompareRun rr;

    ref_running(true);
    replay_hook = &cmp.rec;
    rr = cmp.ref->run(cmp.cs, stop, rip);
    replay_hook = saved;
    ref_running(false);
    return rr;
}

/* One instruction of the reference, recorded (no interrupt delivered). */
static CompareStep ref_step_insn(void)
{
    ReplayHook *saved = replay_hook;
    CompareStep rs;

    replay_hook = &cmp.rec;
    rs = cmp.ref->step_insn(cmp.cs);
    replay_hook = saved;
    return rs;
}

/*
 * Bring the reference to its first arrival at rip (its current code
 * segment) through code the shadow ran with no event.  False, noted, if
 * it went elsewhere first.
 */
static bool ref_run_to(uint64_t rip)
{
    CPUX86State *renv = cpu_env(cmp.cs);
    int64_t start = compare_now_ns();

    for (;;) {
        cmp.ref->sync_state(cmp.cs);
        if (renv->rip == rip) {
            return true;
        }
        CompareRun rr = ref_run(true, rip);

        if (rr == COMPARE_RUN_AT) {
            continue;
        }
        if (rr == COMPARE_RUN_KICKED && !runstate_shutdown_requested() &&
            compare_now_ns() - start < COMPARE_REF_LIMIT_MS * 1000000ll) {
            continue;
        }
        cmp.ref->sync_state(cmp.cs);
        compare_note(&cmp.report, "the shadow went on to rip 0x%" PRIx64 " with no event; "
                     "the reference %s first, at rip 0x%" PRIx64, rip,
                     rr == COMPARE_RUN_KICKED ? "did not arrive in time" : run_name[rr],
                     renv->rip);
        return false;
    }
}

/* The shadow's hook found the log empty: run the reference to the event
 * the shadow asks for (step=event). */
static bool compare_refill(CompareShadow *sh, ReplayKind kind)
{
    CPUX86State *senv = &sh->cpu->env;
    size_t n = cmp.log.n;

    if (is_outside_read(kind)) {
        /* rip is at the instruction (gen_outside_read_start) */
        if (!ref_run_to(senv->rip) || ref_step_insn() == COMPARE_STEP_NONE) {
            return false;
        }
    } else {
        CompareRun rr = ref_run(false, 0);

        if (rr != COMPARE_RUN_EVENT) {
            cmp.ref->sync_state(cmp.cs);
            compare_note(&cmp.report, "the shadow made an access at rip 0x%" PRIx64
                         "; the reference %s instead, at rip 0x%" PRIx64, senv->rip,
                         run_name[rr], cpu_env(cmp.cs)->rip);
            return false;
        }
    }
    compare_dma_flush(dma_to_shadow);   /* what the access made a device write */
    return cmp.log.n > n;
}

/* After the shadow stopped: the reference to the same place. */
static void compare_catch_up(CompareStep ss)
{
    CPUX86State *renv = cpu_env(cmp.cs), *senv = &cmp.shadow.cpu->env;

    if (ss == COMPARE_STEP_HLT) {
        CompareRun rr = ref_run(false, 0);

        cmp.ref->sync_state(cmp.cs);
        if (rr != COMPARE_RUN_HLT) {
            compare_note(&cmp.report, "the shadow ran HLT; the reference %s instead, at "
                         "rip 0x%" PRIx64, run_name[rr], renv->rip);
        }
        return;
    }
    cmp.ref->sync_state(cmp.cs);
    if (cmp.log.n || !compare_cpus(NULL, renv, senv)) {
        return;            /* right after an event both are there: compared */
    }
    /* A stop with no event (a slice, an interrupt window, a kick): where
     * both can find it is the first arrival at the shadow's rip since the
     * interval's start.  The reference runs there; if the shadow had
     * passed it before (a loop), it goes back to the start and runs to
     * its own first arrival (a breakpoint). */
    uint64_t pc = senv->segs[R_CS].base + senv->rip;

    cmp.catch_up_by_arrival = true;
    if (!ref_run_to(senv->rip) || !compare_cpus(NULL, renv, senv)) {
        return;
    }
    compare_shadow_rewind(&cmp.shadow);
    shadow_running(true);
    bool there = compare_shadow_run_to(&cmp.shadow, &cmp.log, pc,
                                       COMPARE_REF_LIMIT_MS / COMPARE_SLICE_MS);

    shadow_running(false);
    if (!there) {
        compare_note(&cmp.report, "the shadow, run again from the interval's start, did not "
                     "arrive at 0x%" PRIx64, pc);
    }
}

/* A rerun's reference: its device accesses are the interval's, replayed
 * (the devices saw them once), through the shadow's mirror of the map. */
static void compare_ref_devices_replayed(bool on)
{
    cmp.ref->device_spaces(cmp.cs, on ? &cmp.shadow.mem_as : NULL,
                           on ? &cmp.shadow.io_as : NULL);
}

static uint64_t compare_rerun_record(ReplayHook *h, ReplayKind kind, const void *obj,
                                     uint64_t key, unsigned size, uint64_t val)
{
    if (kind == REPLAY_IO_READ || kind == REPLAY_IO_WRITE) {
        const CompareEvent *e = cmp.rerun.next < cmp.rerun.n ? &cmp.rerun.ev[cmp.rerun.next]
                              : NULL;

        obj = compare_shadow_orig(obj);
        if (!e || e->kind != kind || e->obj != obj || e->key != key || e->size != size ||
            (kind == REPLAY_IO_WRITE && e->val != val)) {
            compare_note(&cmp.report, "the reference, run again, made another device access "
                         "than the first time (non-deterministic guest code?)");
        } else {
            cmp.rerun.next++;
            val = kind == REPLAY_IO_READ ? e->val : val;
        }
    }
    compare_log_push(&cmp.log, &(CompareEvent){ kind, size, obj, key, val });
    return val;
}

/*
 * The interval ended with the two apart: run it again from its start one
 * instruction at a time, as step=insn, to name the instruction.  If that
 * finds nothing and flags the instruction set leaves undefined were taken
 * from the reference on the way, those were the difference: go on.  If
 * it finds nothing else, the shadow's blocks of several instructions
 * computed what its single steps did not: the interval's report stands.
 */
static bool compare_rerun(void)
{
    CompareReport *r = &cmp.report;
    CPUX86State *renv = cpu_env(cmp.cs);
    uint64_t end_rip = cmp.shadow.cpu->env.rip, steps = 0, taken = cmp.undefined_taken;
    GString *first = r->why;
    bool ok = true;

    cmp.rerun.n = cmp.rerun.next = 0;
    for (size_t i = 0; i < cmp.log.n; i++) {
        if (cmp.log.ev[i].kind == REPLAY_IO_READ || cmp.log.ev[i].kind == REPLAY_IO_WRITE) {
            compare_log_push(&cmp.rerun, &cmp.log.ev[i]);
        }
    }
    compare_shadow_rewind(&cmp.shadow);
    compare_shadow_ram_to_ref(&cmp.shadow);
    memcpy(renv, &cmp.ref_saved, offsetof(CPUX86State, io_as));
    cmp.cs->halted = cmp.ref_saved_halted;
    cmp.ref->env_changed(cmp.cs);
    r->diverged = false;
    r->why = NULL;
    compare_ref_devices_replayed(cmp.rerun.n > 0);
    while (!runstate_shutdown_requested()) {
        bool replaying = cmp.rerun.next < cmp.rerun.n;

        ok = compare_step_by(cmp.ref->step_insn, replaying ? &cmp.rerun_rec : &cmp.rec);
        steps++;
        /* a differing store is named at its instruction too, while the
         * pages written since the start are few enough to check each step */
        if (ok && write_undo_pages(cmp.shadow.undo) <= COMPARE_RERUN_PAGES) {
            ok = !compare_ram_dirty(&cmp.report, &cmp.shadow);
        }
        if (!ok) {
            break;
        }
        if (replaying && cmp.rerun.next == cmp.rerun.n) {
            compare_ref_devices_replayed(false);
            break;          /* past the interval's last access: in step again */
        }
        if (!cmp.rerun.n && renv->rip == end_rip) {
            break;
        }
        if (steps == COMPARE_RERUN_MAX) {
            compare_note(r, "the interval, run again one instruction at a time, did not end "
                         "in %u steps", COMPARE_RERUN_MAX);
            ok = false;
            break;
        }
    }
    compare_ref_devices_replayed(false);
    if (getenv("TERN_COMPARE_VERBOSE")) {
        fprintf(stderr, "tern: compare: interval %" PRIu64 " run again: %" PRIu64 " steps, %s\n",
                cmp.intervals, steps, !ok ? "diverged" : cmp.undefined_taken > taken ?
                "undefined flags differed" : "no divergence");
    }
    if (ok && runstate_shutdown_requested()) {
        r->diverged = true;          /* cut short (a step KVM did not end) */
        r->why = first;
        compare_note(r, "(run again one instruction at a time from the interval's start: "
                     "stopped after %" PRIu64 " steps, no divergence until then)", steps);
        return false;
    }
    /* nothing found: undefined flags, or an interval ended with no event
     * where the two could not find the same place (the CPU left the code
     * segment it started in) */
    if (!ok || cmp.undefined_taken > taken || cmp.catch_up_by_arrival) {
        g_string_free(first, true);
        cmp.reruns++;
        return ok;
    }
    r->diverged = true;
    r->why = first;
    compare_note(r, "(run again one instruction at a time from the interval's start, "
                 "%" PRIu64 " steps, the two did not diverge: the shadow's multi-instruction "
                 "blocks computed this)", steps);
    return false;
}

/* One interval of both (step=event); false after a divergence. */
static bool compare_interval(void)
{
    CompareReport *r = &cmp.report;
    CPUState *cs = cmp.cs;
    bool irq = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE) & CPU_INTERRUPT_HARD;
    CompareStep ss;

    cmp.log.n = 0;
    cmp.catch_up_by_arrival = false;
    compare_history_push(r, cmp.steps + 1, cpu_env(cs));
    memcpy(&cmp.ref_saved, cpu_env(cs), offsetof(CPUX86State, io_as));
    cmp.ref_saved_halted = cs->halted;
    int64_t t0 = compare_now_ns(), t1, t2;

    compare_shadow_checkpoint(&cmp.shadow);
    cmp.intervals++;
    bql_lock();
    bql_yield();               /* the main loop's turn, if it waits */
    t1 = compare_now_ns();
    __atomic_store_n(&cmp.in_interval, true, __ATOMIC_RELEASE);
    shadow_running(true);
    ss = compare_shadow_run(&cmp.shadow, &cmp.log, irq);
    shadow_running(false);
    __atomic_store_n(&cmp.in_interval, false, __ATOMIC_RELEASE);
    cmp.steps++;
    r->step = cmp.steps;
    t2 = compare_now_ns();
    if (!r->diverged) {
        compare_catch_up(ss);
    }
    bql_unlock();
    cmp.ns_checkpoint += t1 - t0;
    cmp.ns_shadow += t2 - t1;          /* the reference's runs to events too */
    cmp.ns_catch_up += compare_now_ns() - t2;
    if (!r->diverged) {
        compare_step_ends(r, ss, ss);
        compare_cpus(r, cpu_env(cs), &cmp.shadow.cpu->env);
    }
    if (!r->diverged) {
        /* a wrong value stored shows here, not only when it is read back */
        compare_ram_dirty(r, &cmp.shadow);
    }
    if (!r->diverged && cmp.ram_check && cmp.steps % cmp.ram_check == 0) {
        compare_ram(r, &cmp.shadow);
    }
    return !r->diverged || compare_rerun();
}

/* step=event: ends a shadow run every COMPARE_SLICE_MS (a slice; the
 * loops that run the shadow count them) and kicks a reference run every
 * second (ref_run_to gives up after COMPARE_REF_LIMIT_MS); both at once
 * on a shutdown request. */
static void *compare_watchdog_fn(void *opaque)
{
    CPUState *shadow = &cmp.shadow.cpu->parent;

    while (!__atomic_load_n(&cmp.watchdog_stop, __ATOMIC_ACQUIRE)) {
        bool down = runstate_shutdown_requested();
        int64_t now;

        g_usleep(COMPARE_SLICE_MS * 1000 / 2);
        now = compare_now_ns();
        if (__atomic_load_n(&cmp.shadow_running, __ATOMIC_ACQUIRE) &&
            (down || now - __atomic_load_n(&cmp.shadow_run_start_ns, __ATOMIC_RELAXED) >
                     COMPARE_SLICE_MS * 1000000ll)) {
            __atomic_store_n(&shadow->exit_request, 1, __ATOMIC_RELEASE);
        }
        if (__atomic_load_n(&cmp.ref_running, __ATOMIC_ACQUIRE) &&
            (down || now - __atomic_load_n(&cmp.ref_run_start_ns, __ATOMIC_RELAXED) >
                     1000000000ll)) {
            cmp.ref->kick(cmp.cs);
        }
    }
    return NULL;
}

/* step=event: an interval, or a step when an interrupt is to be delivered
 * (or the reference sits in HLT: the step takes it out). */
static bool compare_event_step(void)
{
    CPUState *cs = cmp.cs;
    CPUX86State *env = cpu_env(cs);
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE);

    cmp.ref->sync_state(cs);
    if ((req & (CPU_INTERRUPT_NMI | CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) || cs->halted ||
        ((req & CPU_INTERRUPT_HARD) && (env->eflags & IF_MASK) &&
         !(env->hflags & HF_INHIBIT_IRQ_MASK))) {
        return compare_step();
    }
    return compare_interval();
}

/* -record: one step of the reference, written out. */
static void record_step(void)
{
    CPUX86State *env = cpu_env(cmp.cs);
    CompareStep rs;

    cmp.log.n = 0;
    replay_hook = &cmp.rec;
    rs = cmp.ref->step(cmp.cs);
    replay_hook = NULL;
    if (rs == COMPARE_STEP_NONE) {
        return;                   /* not a step: nothing the replay must do */
    }
    cmp.steps++;
    cmp.ref->sync_state(cmp.cs);
    compare_dma_flush(dma_to_file);
    if (env->a20_off != cmp.a20_off) {   /* port 0x92: no replayed value carries it */
        cmp.a20_off = env->a20_off;
        replay_file_put_a20(cmp.file, cmp.a20_off != 0);
    }
    replay_file_put_step(cmp.file, cmp.steps, rs, env->rip, &cmp.log);
}

/* -replay: the end of the recording.  The recorded registers are loaded
 * into the machine's CPU, which never runs in this mode, so that the
 * lockstep compare serves. */
static void replay_final(const ReplayFinal *fin)
{
    CompareReport *r = &cmp.report;
    uint64_t ram = replay_ram_hash(&cmp.shadow, true);

    compare_dma_flush(NULL);
    if (fin->steps != cmp.steps) {
        compare_note(r, "the recording ran %" PRIu64 " steps, the replay %" PRIu64,
                     fin->steps, cmp.steps);
    }
    compare_cpus(r, cpu_env(cmp.cs), &cmp.shadow.cpu->env);
    if (ram != fin->ram_hash) {
        compare_note(r, "RAM hash reference 0x%016" PRIx64 "  shadow 0x%016" PRIx64, fin->ram_hash,
                     ram);
    }
    cmp.recorded_status = fin->status;
    cmp.replayed = true;
}

/* -replay: one step of the shadow as the file says; false at the end. */
static bool replay_step(void)
{
    CompareReport *r = &cmp.report;
    CPUX86State *env = &cmp.shadow.cpu->env;
    ReplayFinal fin;
    Error *err = NULL;
    CompareStep rs, ss;
    uint64_t rip;

    switch (replay_file_next(cmp.file, &cmp.log, cmp.steps + 1, &rs, &rip, cmp.cs, &fin, &err)) {
    case REPLAY_NEXT_ERROR:
        error_report_err(err);
        cmp.failed = true;
        return false;
    case REPLAY_NEXT_END:
        replay_final(&fin);
        r->step = cmp.steps;
        return false;
    case REPLAY_NEXT_STEP:
        break;
    }
    cmp.steps++;
    r->step = cmp.steps;
    compare_history_push(r, cmp.steps, env);
    compare_mark_interrupt(r, &cmp.log);
    ss = compare_shadow_step(&cmp.shadow, &cmp.log);
    compare_step_ends(r, rs, ss);
    if (env->rip != rip) {
        compare_note(r, "%-8s reference 0x%016" PRIx64 "  shadow 0x%016" PRIx64, "RIP", rip,
                     env->rip);
    }
    return !r->diverged;
}

static void replay_run(CPUState *cs)
{
    while (!runstate_shutdown_requested() && replay_step()) {
    }
    if (cmp.failed) {
        runstate_request_shutdown(1);
    } else if (cmp.report.diverged) {
        compare_print(&cmp.report, &cmp.shadow.cpu->parent,
                      "tern: replay: the replay diverged from the recording", cmp.ms->cmdline);
        runstate_request_shutdown(2);
    } else if (!runstate_shutdown_requested()) {
        fprintf(stderr, "tern: replay: final state matches the recording (%" PRIu64 " steps)\n",
                cmp.steps);
        runstate_request_shutdown(cmp.recorded_status);
    }
}

static bool compare_should_sleep(CPUState *cs, void *opaque)
{
    if (runstate_shutdown_requested() || tcg_cpu_has_pending_work(cs)) {
        return false;
    }
    return __atomic_load_n(&cs->stop, __ATOMIC_ACQUIRE) || cmp.report.diverged ||
           (cs->halted && !tcg_cpu_has_work(cs));
}

static void *compare_vcpu_thread_fn(void *opaque)
{
    CPUState *cs = opaque;
    TCGVCPU *v = tcg_vcpu_get_or_create(cs);

    v->ctx = tcg_context_create();
    tcg_ctx = v->ctx;
    x86_translate_init();
    tcg_set_tlb_offset(tcg_ctx, offsetof(CPUX86State, tlb));
    tlb_flush(cs);
    flatview_thread_cache_enable();
    cmp.ref->thread_init(cs);
    compare_sync();
    if (cmp.mode == COMPARE_LOCKSTEP && cmp.grain == COMPARE_GRAIN_EVENT) {
        cmp.shadow.refill = compare_refill;
    }
    if (cmp.mode != COMPARE_REPLAY && cmp.ref->kick) {
        cmp.watchdog_running = pthread_create(&cmp.watchdog, NULL, compare_watchdog_fn,
                                              NULL) == 0;
    }
    if (cmp.mode == COMPARE_REPLAY) {
        __atomic_store_n(&cs->stopped, false, __ATOMIC_RELAXED);
        replay_run(cs);
    }

    while (!runstate_shutdown_requested()) {
        tcg_cpu_run_work(cs);
        if (compare_should_sleep(cs, NULL)) {
            accel_vcpu_idle_wait(cs, &cmp.lock, &cmp.cond, COMPARE_IDLE_MS,
                                 compare_should_sleep, NULL);
            continue;
        }
        __atomic_store_n(&cs->stopped, false, __ATOMIC_RELAXED);
        if (cmp.resync) {
            cmp.resync = false;
            if (cmp.mode == COMPARE_RECORD) {
                replay_file_put_reset(cmp.file);
            }
            compare_sync();
        }
        if (cmp.mode == COMPARE_RECORD) {
            record_step();
        } else if (!(cmp.grain == COMPARE_GRAIN_EVENT ? compare_event_step() : compare_step())) {
            char title[128];

            snprintf(title, sizeof(title), "tern: compare: the shadow (TCG) diverged from the "
                     "reference (%s)", cmp.ref->name);
            compare_print(&cmp.report, cs, title, cmp.ms->cmdline);
            runstate_request_shutdown(2);
        }
    }
    if (cmp.mode == COMPARE_LOCKSTEP && !cmp.report.diverged) {
        compare_dma_flush(dma_to_shadow);
        if (compare_ram(&cmp.report, &cmp.shadow)) {
            cmp.report.step = cmp.steps;
            compare_print(&cmp.report, cs, "tern: compare: the shadow (TCG) diverged at the end "
                          "from the reference", cmp.ms->cmdline);
        }
    }
    if (cmp.mode == COMPARE_LOCKSTEP && !cmp.report.diverged && getenv("TERN_COMPARE_VERBOSE")) {
        fprintf(stderr, "tern: compare: %" PRIu64 " steps, no divergence\n", cmp.steps);
    }
    if (cmp.intervals && getenv("TERN_COMPARE_VERBOSE")) {
        fprintf(stderr, "tern: compare: %" PRIu64 " intervals, %" PRIu64 " run again; "
                "seconds: checkpoints %.3f, shadow and reference to events %.3f, "
                "catching up %.3f\n", cmp.intervals, cmp.reruns, cmp.ns_checkpoint / 1e9,
                cmp.ns_shadow / 1e9, cmp.ns_catch_up / 1e9);
    }
    if (cmp.watchdog_running) {
        __atomic_store_n(&cmp.watchdog_stop, true, __ATOMIC_RELEASE);
        pthread_join(cmp.watchdog, NULL);
        cmp.watchdog_running = false;
    }
    flatview_thread_cache_disable();
    __atomic_store_n(&cs->stopped, true, __ATOMIC_RELEASE);
    return NULL;
}

/* ---- AccelOps ------------------------------------------------------------------ */

static bool compare_available(Error **errp)
{
    return true;
}

static int compare_configure(MachineState *ms, Error **errp)
{
    if (ms->smp.cpus > 1) {
        error_setg(errp, "-accel compare: one vCPU only (-smp 1)");
        return -EINVAL;
    }
    cmp.mode = ms->record_file ? COMPARE_RECORD : ms->replay_file ? COMPARE_REPLAY
             : COMPARE_LOCKSTEP;
    int ret = compare_parse(ms->accel_opts, errp);

    if (cmp.mode == COMPARE_REPLAY) {
        cmp.ref = &compare_ref_tcg;    /* the reference never runs: the file is it */
    }
#ifdef CONFIG_KVM
    /* the one-line refusal -accel kvm gives (replaying needs no reference) */
    if (ret == 0 && cmp.ref == &compare_ref_kvm &&
        !kvm_ref_available(errp)) {
        return -ENODEV;
    }
#endif
    return ret;
}

static int compare_init(MachineState *ms, Error **errp)
{
    pthread_condattr_t attr;
    int ret;

    if (cpus_count() != 1) {
        error_setg(errp, "-accel compare: one vCPU only (-smp 1)");
        return -EINVAL;
    }
    ret = tcg_accel_ops.init(ms, errp);
    if (ret < 0) {
        return ret;
    }
#ifdef CONFIG_KVM
    if (cmp.ref == &compare_ref_kvm) {
        ret = kvm_ref_init(ms, errp);
        if (ret < 0) {
            return ret;
        }
    }
#endif
    cmp.ms = ms;
    cmp.cs = cpus_get(0);
    cmp.rec.value = compare_record;
    cmp.rerun_rec.value = compare_rerun_record;
    cmp.shadow.report = &cmp.report;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&cmp.cond, &attr);
    pthread_condattr_destroy(&attr);
    ret = compare_shadow_init(&cmp.shadow, cmp.cs, errp);
    if (ret < 0) {
        return ret;
    }
    if (cmp.mode != COMPARE_LOCKSTEP) {
        ReplayMachine m;

        replay_machine_of(&m, &cmp.shadow, cpu_env(cmp.cs));
        cmp.file = cmp.mode == COMPARE_RECORD
                 ? replay_file_create(ms->record_file, &cmp.shadow, &m, ms->cmdline, errp)
                 : replay_file_open(ms->replay_file, &cmp.shadow, &m, errp);
        if (!cmp.file) {
            return -EINVAL;
        }
    }
    if (cmp.mode != COMPARE_REPLAY) {     /* replaying, the DMA comes from the file */
        memory_set_ram_write_hook(compare_ram_written);
    }
    return 0;
}

static int compare_vcpu_start(CPUState *cs, Error **errp)
{
    return accel_vcpu_thread_start(cs, compare_vcpu_thread_fn, "compare", errp);
}

static void compare_vcpu_kick(CPUState *cs)
{
    __atomic_store_n(&cs->exit_request, 1, __ATOMIC_RELEASE);
    if (__atomic_load_n(&cmp.in_interval, __ATOMIC_ACQUIRE)) {   /* end the shadow's */
        __atomic_store_n(&cmp.shadow.cpu->parent.exit_request, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_lock(&cmp.lock);
    pthread_cond_broadcast(&cmp.cond);
    pthread_mutex_unlock(&cmp.lock);
}

static void compare_vcpu_join(CPUState *cs)
{
    if (cs->thread_running) {
        pthread_join(cs->thread, NULL);
        cs->thread_running = false;
    }
}

static void compare_synchronize_state(CPUState *cs)
{
    cmp.ref->sync_state(cs);
}

/* A machine reset (vCPU stopped): start both over from the new state. */
static void compare_synchronize_post_reset(CPUState *cs)
{
    cmp.ref->reset(cs);
    cmp.resync = true;
}

static int compare_exit_status(int guest_status)
{
    Error *err = NULL;

    switch (cmp.mode) {
    case COMPARE_RECORD:       /* the vCPU has stopped: the final state */
        compare_dma_flush(dma_to_file);
        if (replay_file_finish(cmp.file, cmp.steps, guest_status, cmp.cs,
                               replay_ram_hash(&cmp.shadow, false), &err) < 0) {
            error_report_err(err);
            return 1;
        }
        if (getenv("TERN_COMPARE_VERBOSE")) {
            fprintf(stderr, "tern: record: %" PRIu64 " steps\n", cmp.steps);
        }
        return guest_status;
    case COMPARE_REPLAY:
        /* stopped before the end (a signal): tern's own status */
        return cmp.failed ? 1 : cmp.report.diverged ? 2
             : cmp.replayed ? cmp.recorded_status : guest_status;
    default:
        return cmp.report.diverged ? 2 : guest_status;
    }
}

const AccelOps compare_accel_ops = {
    .name = "compare",
    .available = compare_available,
    .configure = compare_configure,
    .init = compare_init,
    .vcpu_start = compare_vcpu_start,
    .vcpu_kick = compare_vcpu_kick,
    .vcpu_join = compare_vcpu_join,
    .synchronize_state = compare_synchronize_state,
    .synchronize_post_reset = compare_synchronize_post_reset,
    .exit_status = compare_exit_status,
};
