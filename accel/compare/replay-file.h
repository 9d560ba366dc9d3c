/*
 * replay-file.h: the event log on disk, for -record and -replay
 * (docs/compare.md, "Record and replay", has the format).
 *
 * A text file, one record a line: a header naming the machine it belongs
 * to, then per step the DMA writes, A20 changes and events of that step
 * followed by the step line, then the final state.  Device regions are
 * named by their index among the shadow's mirrored regions plus their
 * name (pointers do not survive a run); the index is what is resolved,
 * the name is checked.
 */
#ifndef ACCEL_COMPARE_REPLAY_FILE_H
#define ACCEL_COMPARE_REPLAY_FILE_H

#include "accel/compare/compare.h"

typedef struct ReplayFile ReplayFile;

/* What must be equal for a recording to replay on this machine. */
typedef struct ReplayMachine {
    uint64_t ram;            /* bytes of RAM, all RAM regions */
    uint64_t map;            /* hash of the mirrored region tree */
    uint64_t image;          /* hash of the initial RAM and registers */
} ReplayMachine;

/* The machine of sh (its RAM and map) with env's registers. */
void replay_machine_of(ReplayMachine *m, CompareShadow *sh, CPUX86State *env);
/* Hash of the RAM regions: the machine's (copy=false) or the shadow's. */
uint64_t replay_ram_hash(CompareShadow *sh, bool copy);

/* ---- writing (-record) ---------------------------------------------- */

ReplayFile *replay_file_create(const char *path, CompareShadow *sh, const ReplayMachine *m,
                               const char *cmdline, Error **errp);
void replay_file_put_dma(ReplayFile *f, uint64_t addr, const void *buf, uint64_t len);
void replay_file_put_a20(ReplayFile *f, bool off);
/* The events of step n (log), then its line: kind and RIP after it. */
void replay_file_put_step(ReplayFile *f, uint64_t n, CompareStep kind, uint64_t rip,
                          const CompareLog *log);
/* A machine reset: replay refuses it (not supported yet). */
void replay_file_put_reset(ReplayFile *f);
/* The final state, then close.  -1 (errp set) if anything failed to be
 * written. */
int replay_file_finish(ReplayFile *f, uint64_t steps, int status, CPUState *cs,
                       uint64_t ram_hash, Error **errp);

/* ---- reading (-replay) -------------------------------------------------- */

typedef enum ReplayNext {
    REPLAY_NEXT_STEP,        /* a step: its events are in the log */
    REPLAY_NEXT_END,         /* the final state was read */
    REPLAY_NEXT_ERROR,       /* a malformed line: errp says which */
} ReplayNext;

typedef struct ReplayFinal {
    uint64_t steps;
    int status;              /* the guest's exit status */
    uint64_t ram_hash;
} ReplayFinal;

/* Open path and check its header against m (this machine). */
ReplayFile *replay_file_open(const char *path, CompareShadow *sh, const ReplayMachine *m,
                             Error **errp);
/* Read up to the next step line, which must be step n: DMA writes and A20
 * changes are applied to the shadow, events fill log; *kind and *rip are
 * the step's.  At
 * the end, the final registers are loaded into cs (a CPU that no longer
 * runs) and *fin filled. */
ReplayNext replay_file_next(ReplayFile *f, CompareLog *log, uint64_t n, CompareStep *kind,
                            uint64_t *rip, CPUState *cs, ReplayFinal *fin, Error **errp);
void replay_file_close(ReplayFile *f);

#endif
