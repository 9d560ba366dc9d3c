/*
 * replay-file.c: writing and reading the event log of -record/-replay.
 *
 * The format (docs/compare.md, "Record and replay"), one record a line,
 * numbers in hex with 0x, '#' lines ignored:
 *
 *   tern-replay 1
 *   machine ram=0x8000000 map=0x... image=0x...
 *   # the command line, for people
 *   dma 0x7000 0a0b0c...            a DMA write before the next step
 *   a20 1                           A20 masked (1) or not (0) from here on
 *   io-read 1 41:serial 0x5 0x60    KIND SIZE REGION KEY VALUE, in order
 *   irq 4 - 0x0 0x20
 *   step 17 0x101b2d                a step ran (hlt: a HLT), RIP after it
 *   end 1234 0x3                    steps, the guest's exit status
 *   rflags 0x2 / halted 0x0 / rip 0x... ...  the final registers
 *   ram 0x...                       hash of RAM at the end
 *   done
 *
 * The reader checks everything it is given (bad input: one error naming
 * the file and the line, never a crash) and resolves a region by its index
 * among the shadow's mirrored regions, checking the name.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/compare/replay-file.h"

#include <stdarg.h>

#define REPLAY_MAGIC "tern-replay"
#define REPLAY_VERSION 2     /* 2: cpuid events */

struct ReplayFile {
    FILE *fp;
    char *path;
    CompareShadow *sh;
    unsigned line;             /* reading: the line just read */
    bool cut;                  /* ... and the file ended inside it */
    char *buf;
    size_t cap;
};

/* ---- one table per fact: event kinds, the final registers ------------- */

static const char *const kind_names[REPLAY_NR_KINDS] = {
    [REPLAY_IO_READ] = "io-read", [REPLAY_IO_WRITE] = "io-write", [REPLAY_IRQ] = "irq",
    [REPLAY_NMI] = "nmi", [REPLAY_TSC] = "tsc", [REPLAY_RAND] = "rand",
    [REPLAY_MSR] = "msr", [REPLAY_MSR_WRITE] = "msr-write", [REPLAY_MSR_OK] = "msr-ok",
    [REPLAY_CR8] = "cr8", [REPLAY_CPUID] = "cpuid",
};

/* The registers of the final state: each group is count fields of size
 * bytes, stride apart, named by fmt with the index. */
typedef struct RegGroup {
    const char *fmt;
    size_t off, size, stride;
    unsigned count;
} RegGroup;

#define ENV(f) offsetof(CPUX86State, f), sizeof(((CPUX86State *)0)->f)

static const RegGroup reg_groups[] = {
    { "rip", ENV(rip), 0, 1 },
    { "gpr%u", ENV(regs[0]), 8, CPU_NB_REGS },
    { "seg%u.sel", ENV(segs[0].selector), sizeof(SegmentCache), NB_SEGS },
    { "seg%u.base", ENV(segs[0].base), sizeof(SegmentCache), NB_SEGS },
    { "seg%u.limit", ENV(segs[0].limit), sizeof(SegmentCache), NB_SEGS },
    { "seg%u.flags", ENV(segs[0].flags), sizeof(SegmentCache), NB_SEGS },
    { "cr%u", ENV(cr[0]), 8, 5 },
    { "efer", ENV(efer), 0, 1 },
    { "a20", ENV(a20_off), 0, 1 },
    { "fpstt", ENV(fpstt), 0, 1 },
    { "fpus", ENV(fpus), 0, 1 },
    { "fpuc", ENV(fpuc), 0, 1 },
    { "st%u.lo", ENV(fpregs[0].low), sizeof(floatx80), 8 },
    { "st%u.hi", ENV(fpregs[0].high), sizeof(floatx80), 8 },
    { "mxcsr", ENV(mxcsr), 0, 1 },
    { "xmm%u.lo", ENV(xmm_regs[0].q[0]), sizeof(X86XMMReg), 16 },
    { "xmm%u.hi", ENV(xmm_regs[0].q[1]), sizeof(X86XMMReg), 16 },
};

static uint64_t reg_get(const CPUX86State *env, const RegGroup *g, unsigned i)
{
    uint64_t v = 0;

    memcpy(&v, (const char *)env + g->off + i * g->stride, g->size);   /* little-endian */
    return v;
}

static void reg_set(CPUX86State *env, const RegGroup *g, unsigned i, uint64_t v)
{
    memcpy((char *)env + g->off + i * g->stride, &v, g->size);
}

/* ---- hashes ------------------------------------------------------------- */

#define FNV_PRIME 0x100000001b3ull
#define FNV_BASIS 0xcbf29ce484222325ull

static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {      /* a word at a time: RAM is large */
        uint64_t w;

        memcpy(&w, b + i, 8);
        h = (h ^ w) * FNV_PRIME;
    }
    for (; i < len; i++) {
        h = (h ^ b[i]) * FNV_PRIME;
    }
    return h;
}

static uint64_t hash_u64(uint64_t h, uint64_t v)
{
    return hash_bytes(h, &v, sizeof(v));
}

uint64_t replay_ram_hash(CompareShadow *sh, bool copy)
{
    uint64_t h = FNV_BASIS;

    for (size_t i = 0; i < sh->nr_ram; i++) {
        const MemoryRegion *mr = copy ? sh->ram[i].copy : sh->ram[i].orig;

        h = hash_bytes(h, mr->ram_ptr, mr->size);
    }
    return h;
}

void replay_machine_of(ReplayMachine *m, CompareShadow *sh, CPUX86State *env)
{
    uint64_t h = FNV_BASIS;

    m->ram = 0;
    for (size_t i = 0; i < sh->nr_ram; i++) {
        m->ram += sh->ram[i].orig->size;
    }
    for (size_t i = 0; i < sh->nr_mirror; i++) {
        const MemoryRegion *mr = sh->mirror_orig[i];

        h = hash_bytes(h, mr->name, strlen(mr->name) + 1);
        h = hash_u64(hash_u64(hash_u64(h, mr->type), mr->size), mr->addr);
    }
    m->map = h;
    h = hash_u64(replay_ram_hash(sh, false), cpu_compute_eflags(env));
    for (size_t g = 0; g < ARRAY_SIZE(reg_groups); g++) {
        for (unsigned i = 0; i < reg_groups[g].count; i++) {
            h = hash_u64(h, reg_get(env, &reg_groups[g], i));
        }
    }
    m->image = h;
}

/* ---- writing -------------------------------------------------------------- */

/* "41:serial": the index among the mirrored regions, and the name with
 * anything that would split the line's fields made '_'. */
static void region_token(CompareShadow *sh, size_t idx, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%zu:%s", idx, sh->mirror_orig[idx]->name);

    for (char *p = strchr(buf, ':'); n > 0 && *p; p++) {
        if (*p <= ' ' || *p == 0x7f) {
            *p = '_';
        }
    }
}


ReplayFile *replay_file_create(const char *path, CompareShadow *sh, const ReplayMachine *m,
                               const char *cmdline, Error **errp)
{
    ReplayFile *f = tern_malloc0(sizeof(*f));

    f->fp = fopen(path, "w");
    if (!f->fp) {
        error_setg_errno(errp, errno, "-record %s", path);
        free(f);
        return NULL;
    }
    setvbuf(f->fp, NULL, _IOFBF, 1 << 20);
    f->path = strdup(path);
    f->sh = sh;
    fprintf(f->fp, "%s %d\nmachine ram=0x%" PRIx64 " map=0x%" PRIx64 " image=0x%" PRIx64 "\n",
            REPLAY_MAGIC, REPLAY_VERSION, m->ram, m->map, m->image);
    fputs("# ", f->fp);
    for (const char *p = cmdline ? cmdline : ""; *p; p++) {
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f->fp);   /* one comment line */
    }
    fputc('\n', f->fp);
    return f;
}

void replay_file_put_dma(ReplayFile *f, uint64_t addr, const void *buf, uint64_t len)
{
    const uint8_t *b = buf;

    fprintf(f->fp, "dma 0x%" PRIx64 " ", addr);
    for (uint64_t i = 0; i < len; i++) {
        fprintf(f->fp, "%02x", b[i]);
    }
    fputc('\n', f->fp);
}

void replay_file_put_a20(ReplayFile *f, bool off)
{
    fprintf(f->fp, "a20 %d\n", off);
}

void replay_file_put_step(ReplayFile *f, uint64_t n, CompareStep kind, uint64_t rip,
                          const CompareLog *log)
{
    char region[96];

    for (size_t i = 0; i < log->n; i++) {
        const CompareEvent *e = &log->ev[i];

        if (e->kind == REPLAY_IO_READ || e->kind == REPLAY_IO_WRITE) {
            size_t idx = 0;

            while (idx < f->sh->nr_mirror && f->sh->mirror_orig[idx] != e->obj) {
                idx++;
            }
            if (idx < f->sh->nr_mirror) {
                region_token(f->sh, idx, region, sizeof(region));
            } else {   /* mapped after the start: the replay will refuse it */
                snprintf(region, sizeof(region), "unmirrored:%s",
                         ((const MemoryRegion *)e->obj)->name);
            }
        } else {
            strcpy(region, "-");
        }
        fprintf(f->fp, "%s %u %s 0x%" PRIx64 " 0x%" PRIx64 "\n", kind_names[e->kind], e->size,
                region, e->key, e->val);
    }
    fprintf(f->fp, "%s %" PRIu64 " 0x%" PRIx64 "\n", kind == COMPARE_STEP_HLT ? "hlt" : "step",
            n, rip);
}

void replay_file_put_reset(ReplayFile *f)
{
    fprintf(f->fp, "reset\n");
}

int replay_file_finish(ReplayFile *f, uint64_t steps, int status, CPUState *cs,
                       uint64_t ram_hash, Error **errp)
{
    CPUX86State *env = cpu_env(cs);
    char name[32];
    int ret = 0;

    fprintf(f->fp, "end %" PRIu64 " 0x%x\nrflags 0x%" PRIx64 "\nhalted 0x%x\n", steps,
            (unsigned)status, cpu_compute_eflags(env), cs->halted);
    for (size_t g = 0; g < ARRAY_SIZE(reg_groups); g++) {
        for (unsigned i = 0; i < reg_groups[g].count; i++) {
            snprintf(name, sizeof(name), reg_groups[g].fmt, i);
            fprintf(f->fp, "%s 0x%" PRIx64 "\n", name, reg_get(env, &reg_groups[g], i));
        }
    }
    fprintf(f->fp, "ram 0x%" PRIx64 "\ndone\n", ram_hash);
    if (ferror(f->fp) | fclose(f->fp)) {
        error_setg_errno(errp, errno, "-record %s: writing failed", f->path);
        ret = -1;
    }
    free(f->path);
    free(f);
    return ret;
}

/* ---- reading ---------------------------------------------------------------- */

static void bad(ReplayFile *f, Error **errp, const char *fmt, ...) TERN_PRINTF(3, 4);

static void bad(ReplayFile *f, Error **errp, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    error_setg(errp, "-replay %s:%u: %s%s", f->path, f->line, msg,
               f->cut ? " (the file ends inside this line: truncated?)" : "");
}

/* The next line that is not a comment, split into at most max fields;
 * the number of fields, 0 at the end of the file. */
static int next_fields(ReplayFile *f, char **field, int max)
{
    ssize_t len;
    int n = 0;
    char *save = NULL, *tok;

    do {
        len = getline(&f->buf, &f->cap, f->fp);
        if (len < 0) {
            return 0;
        }
        f->line++;
        f->cut = f->buf[len - 1] != '\n';
    } while (f->buf[0] == '#' || f->buf[strspn(f->buf, " \t\r\n")] == 0);
    for (tok = strtok_r(f->buf, " \t\r\n", &save); tok && n < max;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        field[n++] = tok;
    }
    return tok ? max + 1 : n;  /* too many: no record has that many */
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;

    if (!s || *s == '-') {
        return false;
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && end != s && !*end;
}

static bool parse_key(ReplayFile *f, const char *s, const char *key, uint64_t *v,
                      Error **errp)
{
    size_t len = strlen(key);

    if (strncmp(s, key, len) || s[len] != '=' || !parse_u64(s + len + 1, v)) {
        bad(f, errp, "want %s=NUMBER, found '%s'", key, s);
        return false;
    }
    return true;
}

ReplayFile *replay_file_open(const char *path, CompareShadow *sh, const ReplayMachine *m,
                             Error **errp)
{
    ReplayFile *f = tern_malloc0(sizeof(*f));
    ReplayMachine rec;
    char *fl[5];
    uint64_t version;

    f->fp = fopen(path, "r");
    if (!f->fp) {
        error_setg_errno(errp, errno, "-replay %s", path);
        free(f);
        return NULL;
    }
    f->path = strdup(path);
    f->sh = sh;
    if (next_fields(f, fl, 2) != 2 || strcmp(fl[0], REPLAY_MAGIC) || !parse_u64(fl[1], &version)) {
        f->line = f->line ? f->line : 1;
        bad(f, errp, "not a tern recording (no '%s %d' line)", REPLAY_MAGIC, REPLAY_VERSION);
        goto fail;
    }
    if (version != REPLAY_VERSION) {
        bad(f, errp, "format version %" PRIu64 " (this tern reads %d)", version, REPLAY_VERSION);
        goto fail;
    }
    if (next_fields(f, fl, 4) != 4 || strcmp(fl[0], "machine")) {
        bad(f, errp, "want 'machine ram=N map=H image=H'");
        goto fail;
    }
    if (!parse_key(f, fl[1], "ram", &rec.ram, errp) || !parse_key(f, fl[2], "map", &rec.map, errp) ||
        !parse_key(f, fl[3], "image", &rec.image, errp)) {
        goto fail;
    }
    if (rec.ram != m->ram) {
        bad(f, errp, "recorded with 0x%" PRIx64 " bytes of RAM, this machine has 0x%" PRIx64
            " (-m)", rec.ram, m->ram);
    } else if (rec.map != m->map) {
        bad(f, errp, "recorded on another memory map (the same -device options?)");
    } else if (rec.image != m->image) {
        bad(f, errp, "recorded from another guest image or start state (the same -kernel, "
            "-bios, -append?)");
    } else {
        return f;
    }
fail:
    replay_file_close(f);
    return NULL;
}

/* "41:serial" back to the machine's region; NULL after an error. */
static const void *parse_region(ReplayFile *f, const char *tok, Error **errp)
{
    CompareShadow *sh = f->sh;
    char *end, want[96];
    unsigned long idx;

    if (!strncmp(tok, "unmirrored:", 11)) {
        bad(f, errp, "region '%s' was mapped after the start: replaying a changed memory "
            "map is not supported yet", tok + 11);
        return NULL;
    }
    errno = 0;
    idx = strtoul(tok, &end, 10);
    if (errno || end == tok || *end != ':' || idx >= sh->nr_mirror) {
        bad(f, errp, "'%s' is not a device region of this machine (INDEX:NAME)", tok);
        return NULL;
    }
    region_token(sh, idx, want, sizeof(want));
    if (strcmp(tok, want) || sh->mirror_orig[idx]->type != MR_IO) {
        bad(f, errp, "region '%s': this machine's region %lu is '%s'", tok, idx, want);
        return NULL;
    }
    return sh->mirror_orig[idx];
}

static bool parse_dma(ReplayFile *f, char **fl, int n, Error **errp)
{
    uint64_t addr;
    size_t len = n == 3 ? strlen(fl[2]) : 0;
    uint8_t *buf;

    if (n != 3 || !parse_u64(fl[1], &addr) || len % 2 || strspn(fl[2], "0123456789abcdef") != len) {
        bad(f, errp, "want 'dma ADDRESS HEXBYTES'");
        return false;
    }
    buf = tern_malloc0(len / 2 + 1);
    for (size_t i = 0; i < len / 2; i++) {
        sscanf(fl[2] + 2 * i, "%2hhx", &buf[i]);
    }
    compare_shadow_dma(f->sh, addr, buf, len / 2);
    free(buf);
    return true;
}

static bool parse_event(ReplayFile *f, ReplayKind kind, char **fl, int n, CompareLog *log,
                        Error **errp)
{
    bool io = kind == REPLAY_IO_READ || kind == REPLAY_IO_WRITE;
    CompareEvent e = { .kind = kind };
    uint64_t size;

    if (n != 5 || !parse_u64(fl[1], &size) || size > 8 || !parse_u64(fl[3], &e.key) ||
        !parse_u64(fl[4], &e.val) || (!io && strcmp(fl[2], "-"))) {
        bad(f, errp, "want '%s SIZE %s KEY VALUE'", kind_names[kind], io ? "INDEX:REGION" : "-");
        return false;
    }
    e.size = (unsigned)size;
    if (io && !(e.obj = parse_region(f, fl[2], errp))) {
        return false;
    }
    compare_log_push(log, &e);
    return true;
}

static ReplayNext parse_final(ReplayFile *f, char **fl, int n, CPUState *cs, ReplayFinal *fin,
                              Error **errp)
{
    CPUX86State *env = cpu_env(cs);
    uint64_t status, v;
    char name[32];

    if (n != 3 || !parse_u64(fl[1], &fin->steps) || !parse_u64(fl[2], &status) ||
        status > INT_MAX) {
        bad(f, errp, "want 'end STEPS STATUS'");
        return REPLAY_NEXT_ERROR;
    }
    fin->status = (int)status;
    /* rflags, halted, the table's registers, ram, in this order */
    for (int g = -2; g <= (int)ARRAY_SIZE(reg_groups); g++) {
        unsigned count = g >= 0 && g < (int)ARRAY_SIZE(reg_groups) ? reg_groups[g].count : 1;

        for (unsigned i = 0; i < count; i++) {
            const char *want = g == -2 ? "rflags" : g == -1 ? "halted"
                             : g == (int)ARRAY_SIZE(reg_groups) ? "ram" : name;

            if (g >= 0 && g < (int)ARRAY_SIZE(reg_groups)) {
                snprintf(name, sizeof(name), reg_groups[g].fmt, i);
            }
            n = next_fields(f, fl, 2);
            if (n == 0) {
                bad(f, errp, "ends inside the final state (truncated?)");
                return REPLAY_NEXT_ERROR;
            }
            if (n != 2 || strcmp(fl[0], want) || !parse_u64(fl[1], &v)) {
                bad(f, errp, "want '%s VALUE' in the final state", want);
                return REPLAY_NEXT_ERROR;
            }
            if (g == -2) {
                cpu_load_eflags(env, v, ~0ull);
            } else if (g == -1) {
                cs->halted = v != 0;
            } else if (g < (int)ARRAY_SIZE(reg_groups)) {
                reg_set(env, &reg_groups[g], i, v);
            } else {
                fin->ram_hash = v;
            }
        }
    }
    n = next_fields(f, fl, 1);
    if (n != 1 || strcmp(fl[0], "done")) {
        bad(f, errp, n ? "want 'done' after the final state" :
            "ends inside the final state (truncated?)");
        return REPLAY_NEXT_ERROR;
    }
    return REPLAY_NEXT_END;
}

ReplayNext replay_file_next(ReplayFile *f, CompareLog *log, uint64_t want, CompareStep *kind,
                            uint64_t *rip, CPUState *cs, ReplayFinal *fin, Error **errp)
{
    char *fl[6];
    uint64_t v, step;
    int n;

    log->n = 0;
    while ((n = next_fields(f, fl, 5)) > 0) {
        if (!strcmp(fl[0], "step") || !strcmp(fl[0], "hlt")) {
            if (n != 3 || !parse_u64(fl[1], &step) || !parse_u64(fl[2], rip)) {
                bad(f, errp, "want '%s STEP RIP'", fl[0]);
                return REPLAY_NEXT_ERROR;
            }
            if (step != want) {
                bad(f, errp, "step %" PRIu64 " where step %" PRIu64 " comes", step, want);
                return REPLAY_NEXT_ERROR;
            }
            *kind = fl[0][0] == 'h' ? COMPARE_STEP_HLT : COMPARE_STEP_INSN;
            return REPLAY_NEXT_STEP;
        } else if (!strcmp(fl[0], "dma")) {
            if (!parse_dma(f, fl, n, errp)) {
                return REPLAY_NEXT_ERROR;
            }
        } else if (!strcmp(fl[0], "a20")) {
            if (n != 2 || !parse_u64(fl[1], &v) || v > 1) {
                bad(f, errp, "want 'a20 0|1'");
                return REPLAY_NEXT_ERROR;
            }
            x86_cpu_set_a20(f->sh->cpu, !v);
        } else if (!strcmp(fl[0], "end")) {
            return parse_final(f, fl, n, cs, fin, errp);
        } else if (!strcmp(fl[0], "reset")) {
            bad(f, errp, "the guest reset the machine here: replaying a reset is not "
                "supported yet");
            return REPLAY_NEXT_ERROR;
        } else {
            ReplayKind k = REPLAY_NR_KINDS;

            for (unsigned i = 0; i < REPLAY_NR_KINDS; i++) {
                if (!strcmp(fl[0], kind_names[i])) {
                    k = i;
                }
            }
            if (k == REPLAY_NR_KINDS) {
                bad(f, errp, "unknown record '%.32s'", fl[0]);
                return REPLAY_NEXT_ERROR;
            }
            if (!parse_event(f, k, fl, n, log, errp)) {
                return REPLAY_NEXT_ERROR;
            }
        }
    }
    f->line++;
    bad(f, errp, "ends without the final state (truncated?)");
    return REPLAY_NEXT_ERROR;
}

void replay_file_close(ReplayFile *f)
{
    if (f) {
        fclose(f->fp);
        free(f->buf);
        free(f->path);
        free(f);
    }
}
