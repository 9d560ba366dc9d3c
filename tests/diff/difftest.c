/*
 * difftest.c: the host half of the differential tester.
 *
 *   difftest [-n N] [-s SEED] [-b BATCH] [-i INDEX [-x HEX]] [-c CLASS] [-r MAX]
 *            [--lines] [--tern PATH] [--elf PATH] [--record FILE | --replay FILE]
 *
 * Decides which classes run (diff_classes[]: not pending, the host CPU has
 * the feature, tern's decoder accepts every instruction of a sample), then,
 * batch by batch, boots difftest.elf in tern on sequences [first, first+B)
 * while it runs the same sequences on the host CPU, and compares the
 * per-sequence hashes.  A mismatch is re-run on both sides with a full
 * dump and reported: seed, index, class, the bytes, capstone's disassembly,
 * each differing register and scratch byte, and a reproducer (-i INDEX).
 * It prints a per-class table (run, passed, skipped) and
 * "N sequences, M mismatches"; --lines adds PASS/FAIL/SKIP diff/<class>
 * lines for tests/scripts/suite-diff.sh.  Exit status 1 on any mismatch
 * (with -i: when the two sides differ).
 * -r: full reports per class (default 3; the others are only counted).
 * -x HEX with -i: run these code bytes instead, on the initial state of
 * sequence INDEX, both sides, nothing masked (hand-made reproducers).
 *
 * The oracle is the host CPU, or a corpus (tests/diff/corpus.txt) that
 * --record wrote on an x86-64 host: the seed, the classes that ran and each
 * sequence's native hash and fault signal.  --replay compares tern with
 * the corpus instead of running anything natively, so the same check runs
 * on a host that is not x86 (a mismatch's report then lacks the native
 * register dump: reproduce it on an x86 host).  Sequences are generated
 * from (seed, index) alone, so the corpus needs no code; a generator change
 * that moves a sequence to another class is caught ("the corpus is stale").
 *
 * Native execution: the fixed layout of diff.h is mapped at its addresses
 * (MAP_FIXED_NOREPLACE, read/write/execute); a fault in a sequence (a
 * generator bug) is caught on an alternate signal stack and reported.
 */
#include <capstone/capstone.h>
#if defined(__x86_64__)
#include <cpuid.h>
#define DIFF_NATIVE 1           /* the host CPU can be the oracle */
#else
#define DIFF_NATIVE 0           /* only --replay */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "diff.h"
#if DIFF_NATIVE
#include "native.h"
#endif
#include "target-x86/decode.h"
#include "util/host-cpu.h"

#define PROBE_SEED   0x7e57
#define PROBE_COUNT  256

typedef struct ClassStat {
    uint64_t run, passed, skipped;
    const char *why;            /* skip reason */
    char why_buf[160];
    uint64_t first_bad;         /* index of the first mismatch */
    uint64_t reported;
} ClassStat;

typedef struct Opts {
    uint64_t n, seed, batch, index, max_reports;
    uint8_t code[DIFF_MAX_CODE];
    unsigned ncode;             /* -x */
    bool one, lines;
    int only;                   /* class, or -1 */
    const char *tern, *elf;
    const char *record;         /* --record: write the corpus here */
    FILE *record_f;
} Opts;

/* --replay: the corpus, by sequence index */
typedef struct Corpus {
    uint64_t seed, n, mask;
    uint64_t *hash;
    uint8_t *sig, *cls;         /* cls: class + 1, 0 for not recorded */
} Corpus;

static Corpus replay;           /* replay.hash: replaying */
static uint64_t ulp_tolerated;  /* sequences accepted within one ulp (transcendental_tolerated) */

static ClassStat stats[DIFF_MAX_CLASSES];
static const char *compat_why;  /* why the compat classes cannot run natively */
static csh cs;
static const char *argv0;      /* for the reproducer line */

/* ---- host CPU features ------------------------------------------------------ */

#if DIFF_NATIVE
static bool host_has(DiffFeature f)
{
    unsigned a, b, c, d, b7 = 0, c7 = 0, d7 = 0, ce = 0, de = 0;

    if (!__get_cpuid(1, &a, &b, &c, &d)) {
        return false;
    }
    __get_cpuid_count(7, 0, &a, &b7, &c7, &d7);
    __get_cpuid(0x80000001, &a, &b, &ce, &de);
    switch (f) {
    case FEAT_NONE:   return true;
    case FEAT_BMI1:   return b7 & (1u << 3);
    case FEAT_BMI2:   return b7 & (1u << 8);
    case FEAT_ADX:    return b7 & (1u << 19);
    case FEAT_MOVBE:  return c & (1u << 22);
    case FEAT_POPCNT: return c & (1u << 23);
    case FEAT_LZCNT:  return ce & (1u << 5);
    case FEAT_X87:    return d & 1u;
    case FEAT_MMX:    return d & (1u << 23);
    case FEAT_SSE:    return d & (1u << 25);
    case FEAT_SSE2:   return d & (1u << 26);
    case FEAT_SSE3:   return c & 1u;
    case FEAT_SSSE3:  return c & (1u << 9);
    case FEAT_SSE41:  return c & (1u << 19);
    case FEAT_SSE42:  return c & (1u << 20);
    case FEAT_AES:    return c & (1u << 25);
    case FEAT_PCLMUL: return c & (1u << 1);
    default:          return false;
    }
}
#else
static bool host_has(DiffFeature f)
{
    (void)f;
    return false;
}
#endif

/* ---- disassembly ------------------------------------------------------------- */

static void print_insn(FILE *f, const DiffSeq *s, unsigned k)
{
    unsigned off = s->insn_off[k], end = k + 1 < s->ninsns ? s->insn_off[k + 1] : s->len;
    cs_insn *insn;
    char hex[64] = "";
    unsigned i;

    for (i = off; i < end && strlen(hex) < sizeof(hex) - 4; i++) {
        snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x ", s->code[i]);
    }
    if (cs_disasm(cs, s->code + off, end - off, s->slot + off, 1, &insn) == 1) {
        fprintf(f, "      %-48s %s %s\n", hex, insn->mnemonic, insn->op_str);
        cs_free(insn, 1);
    } else {
        fprintf(f, "      %-48s (capstone: invalid)\n", hex);
    }
}

/* ---- which classes run --------------------------------------------------------- */

/* The compatibility-mode classes, which mix does not draw from */
static uint64_t compat_mask(void)
{
    uint64_t m = 0;

    for (unsigned c = 0; c < diff_nclasses; c++) {
        m |= (uint64_t)diff_classes[c].compat << c;
    }
    return m;
}

static uint64_t choose_classes(const Opts *o)
{
    uint64_t enabled = 0, probe_mask;
    static DiffSeq s;
    unsigned c, k, j;

    for (c = 0; c < diff_nclasses; c++) {
        const DiffClass *dc = &diff_classes[c];
        ClassStat *st = &stats[c];
        if (o->only >= 0 && (int)c != o->only) {
            st->why = "not selected (-c)";
        } else if (dc->pending) {
            st->why = dc->pending;
        } else if (replay.hash ? !(replay.mask >> c & 1) : !host_has(dc->feature)) {
            st->why = replay.hash ? "not in the corpus (its host lacked the feature)"
                                  : "the host CPU lacks the feature";
        } else if (dc->compat && !replay.hash && compat_why) {
            st->why = compat_why;
        } else if (dc->intel_only && diff_sdm_only) {
            st->why = dc->intel_only;
        } else {
            enabled |= 1ull << c;
        }
    }
    /* Probe: every instruction of a sample must decode in tern. */
    probe_mask = enabled;
    for (c = 0; c < diff_nclasses; c++) {
        if (!(probe_mask >> c & 1) || diff_classes[c].mix) {
            continue;
        }
        for (k = 0; k < PROBE_COUNT; k++) {
            uint64_t idx = k * diff_nclasses + (c + diff_nclasses - PROBE_SEED % diff_nclasses) % diff_nclasses;
            diff_generate(&s, PROBE_SEED, idx, 1ull << c);
            for (j = 0; j < s.ninsns; j++) {
                X86DecodedInsn d;
                unsigned off = s.insn_off[j];
                if (x86_decode_buf(&d, diff_classes[c].compat ? X86_MODE_32 : X86_MODE_64,
                                   s.code + off, s.len - off) < 0) {
                    ClassStat *st = &stats[c];
                    cs_insn *insn;
                    int n = snprintf(st->why_buf, sizeof(st->why_buf),
                                     "pending: tern does not decode");
                    unsigned end = j + 1 < s.ninsns ? s.insn_off[j + 1] : s.len, i;
                    for (i = off; i < end && n < 100; i++) {
                        n += snprintf(st->why_buf + n, sizeof(st->why_buf) - (size_t)n,
                                      " %02x", s.code[i]);
                    }
                    if (cs_disasm(cs, s.code + off, end - off, 0, 1, &insn) == 1) {
                        snprintf(st->why_buf + n, sizeof(st->why_buf) - (size_t)n,
                                 " (%s %s)", insn->mnemonic, insn->op_str);
                        cs_free(insn, 1);
                    }
                    st->why = st->why_buf;
                    enabled &= ~(1ull << c);
                    goto next;
                }
            }
        }
next:;
    }
    /* mix runs only if something else does */
    for (c = 0; c < diff_nclasses; c++) {
        if (diff_classes[c].mix && !(enabled & ~(1ull << c) & ~compat_mask())) {
            enabled &= ~(1ull << c);
            stats[c].why = "no class to mix";
        }
    }
    return enabled;
}

/* ---- native execution ------------------------------------------------------------ */

#if DIFF_NATIVE
static sigjmp_buf native_jmp;
static volatile sig_atomic_t native_sig;
static volatile uint64_t native_rip;    /* where it faulted */

static void native_fault(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    native_sig = sig;
    native_rip = (uint64_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    siglongjmp(native_jmp, 1);
}

static void native_init(void)
{
    static uint8_t altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa;
    void *p;

    p = mmap((void *)DIFF_SCRATCH, DIFF_MAP_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)DIFF_SCRATCH) {
        fprintf(stderr, "difftest: cannot map the scratch area at %#lx: %s\n",
                (unsigned long)DIFF_SCRATCH, p == MAP_FAILED ? strerror(errno) : "taken");
        exit(2);
    }
    /* Linux's 32-bit and 64-bit user code segments (__USER32_CS, __USER_CS) */
    diff_sel32 = 0x23;
    diff_sel64 = 0x33;
    compat_why = diff_native_compat_why(diff_sel32);
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = native_fault;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER | SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
}

/* Run s natively; returns 0, or the signal it died of. */
static int native_run(const DiffSeq *s)
{
    native_sig = 0;
    diff_fill_scratch(s);
    diff_install(s);
    if (sigsetjmp(native_jmp, 1) == 0) {
        diff_enter();
    }
    if (native_sig) {
        /* the fault left the sequence's FPU state: back to the caller's */
        __asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t (*)[DIFF_FX_SIZE])DIFF_FX_HOST));
    }
    return native_sig;
}
#else
/* Not an x86 host: the corpus is the only oracle (main insists on --replay). */
static volatile uint64_t native_rip;

static void native_init(void)
{
}

static int native_run(const DiffSeq *s)
{
    (void)s;
    abort();
}
#endif

/* ---- the corpus (--record, --replay) ------------------------------------------ */

#define CORPUS_MAGIC "tern-difftest-corpus 1"

static void corpus_begin(Opts *o, uint64_t enabled)
{
    o->record_f = fopen(o->record, "w");
    if (!o->record_f) {
        fprintf(stderr, "difftest: %s: %s\n", o->record, strerror(errno));
        exit(2);
    }
    fprintf(o->record_f, "%s seed=%#" PRIx64 " n=%" PRIu64 " mask=%#" PRIx64 "\n",
            CORPUS_MAGIC, o->seed, o->n, enabled);
    fprintf(o->record_f, "# difftest --record on an x86-64 host (make difftest-corpus): "
            "INDEX CLASS HASH SIGNAL per sequence that ran\n");
}

static void corpus_load(const char *path, Opts *o)
{
    FILE *f = fopen(path, "r");
    char line[160];
    uint64_t idx, h;
    unsigned c, sig;

    if (!f || !fgets(line, sizeof(line), f) ||
        sscanf(line, CORPUS_MAGIC " seed=%" SCNx64 " n=%" SCNu64 " mask=%" SCNx64,
               &replay.seed, &replay.n, &replay.mask) != 3 || replay.n == 0) {
        fprintf(stderr, "difftest: %s: %s\n", path, f ? "not a difftest corpus" : strerror(errno));
        exit(2);
    }
    replay.hash = calloc(replay.n, sizeof(*replay.hash));
    replay.sig = calloc(replay.n, 1);
    replay.cls = calloc(replay.n, 1);
    if (!replay.hash || !replay.sig || !replay.cls) {
        fprintf(stderr, "difftest: %s: out of memory\n", path);
        exit(2);
    }
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#') {
            continue;
        }
        if (sscanf(line, "%" SCNu64 " %u %" SCNx64 " %u", &idx, &c, &h, &sig) != 4 ||
            idx >= replay.n || c >= diff_nclasses) {
            fprintf(stderr, "difftest: %s: bad line: %s", path, line);
            exit(2);
        }
        replay.hash[idx] = h;
        replay.sig[idx] = (uint8_t)sig;
        replay.cls[idx] = (uint8_t)(c + 1);
    }
    fclose(f);
}

/* The oracle for sequence idx: its final-state hash and the signal the
 * native run died of (0: none), from the host CPU (recorded with --record)
 * or from the corpus. */
static uint64_t oracle(const Opts *o, const DiffSeq *s, uint64_t idx, uint8_t *sig)
{
    uint64_t h;

    if (replay.hash) {
        if (replay.cls[idx] != s->cls + 1) {
            fprintf(stderr, "difftest: the corpus is stale at sequence %" PRIu64 " (class %s, "
                    "recorded %s): regenerate it on an x86-64 host (make difftest-corpus)\n",
                    idx, diff_classes[s->cls].name,
                    replay.cls[idx] ? diff_classes[replay.cls[idx] - 1].name : "none");
            exit(2);
        }
        *sig = replay.sig[idx];
        return replay.hash[idx];
    }
    *sig = (uint8_t)native_run(s);
    h = diff_hash(s);
    if (o->record_f) {
        fprintf(o->record_f, "%" PRIu64 " %u %016" PRIx64 " %u\n", idx, s->cls, h, *sig);
    }
    return h;
}

/* ---- tern -------------------------------------------------------------------------- */

/* Boot difftest.elf with the given -append; its serial output goes to *out. */
static int tern_start(const Opts *o, const char *append, FILE **out, pid_t *pid)
{
    FILE *f = tmpfile();
    char *argv[] = {
        "timeout", "300", (char *)o->tern, "-nographic", "-m", "512",
        "-kernel", (char *)o->elf, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-no-reboot",           /* a triple fault ends the run, not a reboot loop */
        "-append", (char *)append, NULL,
    };

    if (!f) {
        return -errno;
    }
    *pid = fork();
    if (*pid < 0) {
        fclose(f);
        return -errno;
    }
    if (*pid == 0) {
        dup2(fileno(f), 1);
        dup2(fileno(f), 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    *out = f;
    return 0;
}

static int tern_wait(pid_t pid, FILE *out)
{
    int st;

    waitpid(pid, &st, 0);
    rewind(out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run tern with "append" (its dump=1) and read the final state into *d;
 * false (and a line) when tern gave none. */
static bool tern_dump(const Opts *o, const char *append, DiffDump *d)
{
    char line[128];
    FILE *out;
    pid_t pid;
    bool got = false;

    memset(d, 0, sizeof(*d));
    if (tern_start(o, append, &out, &pid) != 0) {
        return false;
    }
    int st = tern_wait(pid, out);
    while (fgets(line, sizeof(line), out)) {
        unsigned a, b;
        uint64_t v;
        if (sscanf(line, "X %x %" SCNx64, &a, &v) == 2 && a < DIFF_FX_SIZE / 8) {
            memcpy(d->fx + 8 * a, &v, 8);
        } else if (sscanf(line, "R %x %" SCNx64, &a, &v) == 2 && a < 17) {
            if (a == 16) {
                d->out.rflags = v;
            } else {
                d->out.r[a] = v;
            }
            got = true;
        } else if (sscanf(line, "M %x %x", &a, &b) == 2 && d->nmem < DIFF_DUMP_MAX_MEM) {
            d->mem_off[d->nmem] = (uint16_t)a;
            d->mem_val[d->nmem++] = (uint8_t)b;
        }
    }
    fclose(out);
    if (!got) {
        printf("    tern gave no state (exit status %d)\n", st);
    }
    return got;
}

/* ---- transcendentals in software: one ulp of tolerance ------------------------------ */

/*
 * Where tern computes F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS FSINCOS
 * in software (util/x87-transcendental.c: a host that is not Intel's, or
 * TERN_X87_SOFT=1: target-x86/fpu_helper.c), its results may be one ulp from the x87's, and C1 (and
 * with a differing result PE) may differ: the x87's own results are not
 * correctly rounded and its C1 follows its internal approximation.  A
 * sequence with such an instruction whose final state differs from the
 * oracle's is then accepted when moving up to two x87 registers by one
 * ulp, and flipping FSW.C1 (and PE when a register moved), gives the
 * oracle's hash.  Up to four ulps, not one: a transcendental fed another's
 * result amplifies its one ulp by the slope (FPTAN of a cosine near 1:
 * 3.4 ulps).  Not elsewhere: any other difference still fails.
 */
static bool soft_transcendentals(void)
{
    const char *e = getenv("TERN_X87_SOFT");

    return !host_cpu_is_intel() || (e && *e && *e != '0');
}

/* Whether instruction k of s is one of the eight (D9 F0-F3, F9, FB, FE, FF). */
static bool insn_is_transcendental(const DiffSeq *s, unsigned k)
{
    const uint8_t *p = s->code + s->insn_off[k];
    const uint8_t *end = s->code + (k + 1 < s->ninsns ? s->insn_off[k + 1] : s->len);

    while (p + 1 < end && (*p == 0x66 || *p == 0x67 || *p == 0xf0 || *p == 0xf2 || *p == 0xf3 ||
                           *p == 0x26 || *p == 0x2e || *p == 0x36 || *p == 0x3e ||
                           *p == 0x64 || *p == 0x65 || (*p & 0xf0) == 0x40)) {
        p++;
    }
    if (p + 1 >= end + 1 || p[0] != 0xd9) {
        return false;
    }
    switch (p[1]) {
    case 0xf0: case 0xf1: case 0xf2: case 0xf3: case 0xf9: case 0xfb: case 0xfe: case 0xff:
        return true;
    default:
        return false;
    }
}

static bool has_transcendental(const DiffSeq *s)
{
    unsigned k;

    for (k = 0; k < s->ninsns; k++) {
        if (insn_is_transcendental(s, k)) {
            return true;
        }
    }
    return false;
}

/* Move the x87 register slot i of an FXSAVE image one ulp (dir +-1) in
 * magnitude: the significand and exponent as one number. */
static void st_ulp(uint8_t *fx, unsigned i, int dir)
{
    uint8_t *r = fx + FX_ST0 + 16 * i;
    uint64_t sig;
    unsigned se = r[8] | (unsigned)r[9] << 8, e = se & 0x7fff;

    memcpy(&sig, r, 8);
    if (dir > 0) {
        if (++sig == 0) {
            sig = 1ull << 63;
            e++;
        } else if (e == 0 && sig == 1ull << 63) {
            e = 1;                              /* denormal to normal */
        }
    } else if (e > 1 && sig == 1ull << 63) {
        sig = ~0ull;
        e--;
    } else if (e == 1 && sig == 1ull << 63) {
        sig--;
        e = 0;
    } else {
        sig--;
    }
    memcpy(r, &sig, 8);
    se = (se & 0x8000) | e;
    r[8] = (uint8_t)se;
    r[9] = (uint8_t)(se >> 8);
}

static void st_ulps(uint8_t *fx, unsigned i, int n)
{
    for (; n > 0; n--) {
        st_ulp(fx, i, 1);
    }
    for (; n < 0; n++) {
        st_ulp(fx, i, -1);
    }
}

/* The oracle's hash from tern's dump d with up to two registers moved
 * (up to 4 ulps) and C1/PE flipped? */
static bool within_ulp(const DiffSeq *s, const DiffDump *d, uint64_t want)
{
    static DiffDump t;
    static const int8_t moves[] = { 0, 1, -1, 2, -2, 3, -3, 4, -4 };
    unsigned i, j, mi, mj, f;

    for (i = 0; i < 8; i++) {
        for (j = i; j < 8; j++) {
            for (mi = 0; mi < ARRAY_SIZE(moves); mi++) {
                for (mj = 0; mj < (j > i ? ARRAY_SIZE(moves) : 1u); mj++) {
                    for (f = 0; f < (mi || mj ? 4u : 2u); f++) {
                        t = *d;
                        st_ulps(t.fx, i, moves[mi]);
                        st_ulps(t.fx, j, moves[mj]);
                        t.fx[FX_FSW + 1] ^= (f & 1) << 1;       /* C1: FSW bit 9 */
                        t.fx[FX_FSW] ^= (uint8_t)((f >> 1) << 5); /* PE */
                        if (diff_hash_dump(s, &t) == want) {
                            return true;
                        }
                    }
                }
            }
        }
    }
    return false;
}

/* Sequence index differs from the oracle's hash want: accept it as the
 * one-ulp difference of a software transcendental? */
static bool transcendental_tolerated(const Opts *o, uint64_t enabled, uint64_t index,
                                     uint64_t want)
{
    static DiffSeq s;
    static DiffDump d;
    char append[160];

    if (o->ncode || !soft_transcendentals()) {
        return false;
    }
    diff_generate(&s, o->seed, index, enabled);
    if (!has_transcendental(&s)) {
        return false;
    }
    snprintf(append, sizeof(append), "seed=%" PRIx64 " first=%" PRIx64 " count=1 mask=%" PRIx64
             " dump=1%s", o->seed, index, enabled, diff_sdm_only ? " sdm=1" : "");
    return tern_dump(o, append, &d) && d.nmem < DIFF_DUMP_MAX_MEM && within_ulp(&s, &d, want);
}

/* ---- reporting a mismatch ----------------------------------------------------------- */

static const char *const reg_names[17] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rflags",
};

static int dump_find(const DiffDump *d, unsigned off)
{
    unsigned i;

    for (i = 0; i < d->nmem; i++) {
        if (d->mem_off[i] == off) {
            return d->mem_val[i];
        }
    }
    return -1;
}

static uint64_t fx64(const uint8_t *fx, unsigned off)
{
    uint64_t v;
    memcpy(&v, fx + off, 8);
    return v;
}

static unsigned fx16(const uint8_t *fx, unsigned off)
{
    return fx[off] | (unsigned)fx[off + 1] << 8;
}

/* "sign/exponent:significand" of the x87 register slot i (ST(i)) */
static const char *fx_st(const uint8_t *fx, unsigned i, char *buf)
{
    snprintf(buf, 32, "%04x:%016" PRIx64, fx16(fx, FX_ST0 + 16 * i + 8), fx64(fx, FX_ST0 + 16 * i));
    return buf;
}

static const char *fx_xmm(const uint8_t *fx, unsigned i, char *buf)
{
    snprintf(buf, 40, "%016" PRIx64 ":%016" PRIx64, fx64(fx, FX_XMM0 + 16 * i + 8),
             fx64(fx, FX_XMM0 + 16 * i));
    return buf;
}

static void print_fx_initial(const uint8_t *fx)
{
    char b[40];
    unsigned i;

    printf("      fcw=%04x fsw=%04x (top %u) ftw=%02x mxcsr=%08x", fx16(fx, FX_FCW),
           fx16(fx, FX_FSW), fx16(fx, FX_FSW) >> 11 & 7, fx[FX_FTW], (unsigned)fx64(fx, FX_MXCSR));
    for (i = 0; i < 8; i++) {
        printf("%s st%u=%s", i % 4 ? "" : "\n     ", i, fx_st(fx, i, b));
    }
    for (i = 0; i < 16; i++) {
        printf("%s xmm%-2u=%s", i % 2 ? "" : "\n     ", i, fx_xmm(fx, i, b));
    }
    printf("\n");
}

/* The differing fields of two masked FXSAVE images */
/* Print the differing x87/SSE fields; returns how many */
static unsigned print_fx_diff(const uint8_t *a, const uint8_t *b)
{
    static const struct { const char *name; unsigned off, size; } f[] = {
        { "fcw", FX_FCW, 2 }, { "fsw", FX_FSW, 2 }, { "ftw", FX_FTW, 1 }, { "mxcsr", FX_MXCSR, 4 },
    };
    char x[40], y[40], name[8];
    unsigned i, n = 0;

    for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        uint64_t va = 0, vb = 0;
        memcpy(&va, a + f[i].off, f[i].size);
        memcpy(&vb, b + f[i].off, f[i].size);
        if (va != vb) {
            printf("    %-8s %#-18" PRIx64 " %#-18" PRIx64 "\n", f[i].name, va, vb);
            n++;
        }
    }
    for (i = 0; i < 8; i++) {
        if (memcmp(a + FX_ST0 + 16 * i, b + FX_ST0 + 16 * i, 16)) {
            snprintf(name, sizeof(name), "st%u", i);
            printf("    %-8s %-21s %s\n", name, fx_st(a, i, x), fx_st(b, i, y));
            n++;
        }
    }
    for (i = 0; i < 16; i++) {
        if (memcmp(a + FX_XMM0 + 16 * i, b + FX_XMM0 + 16 * i, 16)) {
            snprintf(name, sizeof(name), "xmm%u", i);
            printf("    %-8s %s %s\n", name, fx_xmm(a, i, x), fx_xmm(b, i, y));
            n++;
        }
    }
    for (i = 0; i < DIFF_FX_SIZE; i++) {        /* anything else: the mask is wrong */
        if ((i < FX_ST0 && i != FX_FCW && i != FX_FCW + 1 && i != FX_FSW && i != FX_FSW + 1 &&
             i != FX_FTW && (i < FX_MXCSR || i >= FX_MXCSR + 4)) || i >= FX_END_XMM) {
            if (a[i] != b[i]) {
                printf("    fx byte %u: native %02x tern %02x\n", i, a[i], b[i]);
                n++;
            }
        }
    }
    return n;
}

/* Re-run sequence index on both sides with full dumps and print the
 * differences; returns how many values differ (0: they agree). */
static unsigned report(const Opts *o, uint64_t enabled, uint64_t index, const char *why)
{
    static DiffSeq s;
    static DiffDump nat, tcg;
    char append[1024];
    unsigned k, i;
    int sig, n;
    bool got;
    unsigned ndiff = 0;

    diff_generate(&s, o->seed, index, enabled);
    if (o->ncode) {
        cs_insn *insn;
        size_t cnt, j;
        diff_set_code(&s, o->code, o->ncode);
        cnt = cs_disasm(cs, s.code, s.len, s.slot, 0, &insn);
        for (j = 0, s.ninsns = 0; j < cnt && j < DIFF_MAX_INSNS; j++) {
            s.insn_off[s.ninsns++] = (uint8_t)(insn[j].address - s.slot);
        }
        if (cnt) {
            cs_free(insn, cnt);
        } else {
            s.ninsns = 1;
        }
    }
    printf("\n  %s seed %#" PRIx64 " index %" PRIu64 " class %s: %s\n",
           o->one ? "SEQUENCE" : "MISMATCH", o->seed, index, diff_classes[s.cls].name, why);
    printf("    code at %#" PRIx64 ", undefined flags masked: %#x\n", s.slot, s.undef);
    for (k = 0; k < s.ninsns; k++) {
        print_insn(stdout, &s, k);
    }
    printf("    initial:");
    for (k = 0; k < 16; k++) {
        printf("%s %s=%#" PRIx64, k % 4 ? "" : "\n     ", reg_names[k], s.in.r[k]);
    }
    printf("\n      rflags=%#" PRIx64 "\n", s.in.rflags);
    if (s.fp) {
        printf("    initial x87/SSE state (slots in ST order; FSW C0-C3 undefined at the end masked: %#x):\n",
               s.fsw_undef);
        print_fx_initial(s.fx);
    }
    for (k = 0; k < s.npatch; k++) {
        printf("%s %#lx:", k ? "" : "    initial memory operands:\n     ",
               (unsigned long)(DIFF_SCRATCH + s.patch[k].off));
        for (i = 0; i < s.patch[k].len; i++) {
            printf("%02x", s.patch[k].b[i]);
        }
        if (k + 1 == s.npatch) {
            printf("\n");
        }
    }

    if (replay.hash) {
        printf("    replayed: the corpus's native hash %016" PRIx64 "%s differs from tern's; "
               "the register diff needs an x86-64 host:\n", replay.hash[index],
               replay.sig[index] ? " (a native fault)" : "");
        printf("    reproduce: %s -s %#" PRIx64 " -i %" PRIu64 " --tern %s --elf %s\n", argv0,
               o->seed, index, o->tern, o->elf);
        return 1;
    }
    sig = native_run(&s);
    diff_collect(&s, &nat);
    memset(&tcg, 0, sizeof(tcg));
    n = snprintf(append, sizeof(append), "seed=%" PRIx64 " first=%" PRIx64 " count=1 mask=%" PRIx64
                 " dump=1%s", o->seed, index, enabled, diff_sdm_only ? " sdm=1" : "");
    if (o->ncode) {
        n += snprintf(append + n, sizeof(append) - (size_t)n, " code=");
        for (k = 0; k < o->ncode; k++) {
            n += snprintf(append + n, sizeof(append) - (size_t)n, "%02x", o->code[k]);
        }
    }
    got = tern_dump(o, append, &tcg);
    if (sig) {
        printf("    native run died of signal %d at %#" PRIx64 " (a generator bug)\n", sig,
               native_rip);
    }
    if (got) {
        printf("    %-8s %-18s %-18s\n", "", "native", "tern");
        for (k = 0; k < 17; k++) {
            uint64_t a = k == 16 ? nat.out.rflags : nat.out.r[k];
            uint64_t b = k == 16 ? tcg.out.rflags : tcg.out.r[k];
            if (a != b) {
                printf("    %-8s %#-18" PRIx64 " %#-18" PRIx64 "\n", reg_names[k], a, b);
                ndiff++;
            }
        }
        ndiff += print_fx_diff(nat.fx, tcg.fx);
        for (i = 0; i < DIFF_HASHED_SIZE; i++) {
            int a = dump_find(&nat, i), b = dump_find(&tcg, i);
            if (a != b) {
                ndiff++;
                printf("    mem %#-8lx native %3s%02x  tern %3s%02x\n",
                       (unsigned long)(DIFF_SCRATCH + i), a < 0 ? "(=)" : "",
                       a < 0 ? 0 : a, b < 0 ? "(=)" : "", b < 0 ? 0 : b);
            }
        }
    }
    printf("    reproduce: %s -s %#" PRIx64 " -i %" PRIu64, argv0, o->seed, index);
    if (o->ncode) {
        printf(" -x ");
        for (k = 0; k < o->ncode; k++) {
            printf("%02x", o->code[k]);
        }
    }
    printf(" --tern %s --elf %s\n", o->tern, o->elf);
    if (!got || sig) {
        ndiff++;
    }
    printf("    %s\n", ndiff ? "native and tern differ" : "native and tern agree");
    return ndiff;
}

/* ---- the batch loop -------------------------------------------------------------------- */

static uint64_t run_batch(const Opts *o, uint64_t enabled, uint64_t first, uint64_t count,
                          uint64_t *mismatches)
{
    static DiffSeq s;
    uint64_t *nat = calloc(count, sizeof(*nat));
    uint8_t *have = calloc(count, 1), *natsig = calloc(count, 1);
    char append[160], line[128];
    uint64_t i, next = first + count, ran = 0;
    FILE *out = NULL;           /* set by tern_start (gcc cannot tell) */
    pid_t pid = 0;
    int st;

    snprintf(append, sizeof(append), "seed=%" PRIx64 " first=%" PRIx64 " count=%" PRIx64
             " mask=%" PRIx64 "%s", o->seed, first, count, enabled, diff_sdm_only ? " sdm=1" : "");
    if (!nat || !have || !natsig || tern_start(o, append, &out, &pid) < 0) {
        fprintf(stderr, "difftest: cannot start %s\n", o->tern);
        exit(2);
    }
    for (i = 0; i < count; i++) {
        if (!(enabled >> diff_class_of(o->seed, first + i) & 1)) {
            continue;
        }
        diff_generate(&s, o->seed, first + i, enabled);
        nat[i] = oracle(o, &s, first + i, &natsig[i]);
    }
    st = tern_wait(pid, out);
    while (fgets(line, sizeof(line), out)) {
        uint64_t idx, h;
        if (sscanf(line, "H %" SCNx64 " %" SCNx64, &idx, &h) == 2 &&
            idx >= first && idx < first + count) {
            have[idx - first] = 1;
            if (h != nat[idx - first]) {
                have[idx - first] = 2;
            }
        }
    }
    fclose(out);

    for (i = 0; i < count; i++) {
        uint64_t idx = first + i;
        unsigned c = diff_class_of(o->seed, idx);
        if (!(enabled >> c & 1)) {
            stats[c].skipped++;
            continue;
        }
        if (!have[i]) {
            /* tern stopped here: report it and go on after it */
            char why[64];
            snprintf(why, sizeof(why), "tern stopped (exit status %d)", st);
            stats[c].run++;
            ran++;
            if (!(*mismatches)++ || !stats[c].first_bad) {
                stats[c].first_bad = idx + 1;
            }
            stats[c].reported++;
            report(o, enabled, idx, why);
            next = idx + 1;
            break;
        }
        stats[c].run++;
        ran++;
        if (have[i] == 1 && !natsig[i]) {
            stats[c].passed++;
        } else if (!natsig[i] && transcendental_tolerated(o, enabled, idx, nat[i])) {
            stats[c].passed++;
            ulp_tolerated++;
        } else {
            if (!stats[c].first_bad) {
                stats[c].first_bad = idx + 1;
            }
            (*mismatches)++;
            if (stats[c].reported++ < o->max_reports) {
                report(o, enabled, idx, natsig[i] ? "native fault" : "different final state");
            }
        }
    }
    free(nat);
    free(have);
    free(natsig);
    if (next < first + count) {
        ran += run_batch(o, enabled, next, first + count - next, mismatches);
    }
    return ran;
}

static void usage(void)
{
    fprintf(stderr, "usage: difftest [-n N] [-s SEED] [-b BATCH] [-i INDEX] [-c CLASS] [-r MAX]\n"
                    "                [--lines] [--tern PATH] [--elf PATH]\n"
                    "                [--record FILE | --replay FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        { "tern", required_argument, NULL, 't' },
        { "elf", required_argument, NULL, 'e' },
        { "lines", no_argument, NULL, 'l' },
        { "record", required_argument, NULL, 'R' },
        { "replay", required_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    Opts o = { .n = 10000, .seed = 1, .batch = 5000, .only = -1, .max_reports = 3,
               .tern = "build/tern", .elf = "build/tests/diff/difftest.elf" };
    uint64_t enabled, first, ran = 0, mism = 0, skipped = 0;
    unsigned c;
    int ch;
    bool n_given = false;

    argv0 = argv[0];
    while ((ch = getopt_long(argc, argv, "n:s:b:i:c:r:x:", lopts, NULL)) != -1) {
        switch (ch) {
        case 'n': o.n = strtoull(optarg, NULL, 0); n_given = true; break;
        case 's': o.seed = strtoull(optarg, NULL, 0); break;
        case 'b': o.batch = strtoull(optarg, NULL, 0); break;
        case 'i': o.index = strtoull(optarg, NULL, 0); o.one = true; break;
        case 'c':
            for (c = 0; c < diff_nclasses && strcmp(diff_classes[c].name, optarg); c++) {
            }
            if (c == diff_nclasses) {
                fprintf(stderr, "difftest: no class %s\n", optarg);
                exit(2);
            }
            o.only = (int)c;
            break;
        case 't': o.tern = optarg; break;
        case 'e': o.elf = optarg; break;
        case 'l': o.lines = true; break;
        case 'R': o.record = optarg; break;
        case 'P': corpus_load(optarg, &o); break;
        case 'r': o.max_reports = strtoull(optarg, NULL, 0); break;
        case 'x':
            for (o.ncode = 0; optarg[0] && optarg[1] && o.ncode < DIFF_MAX_CODE; optarg += 2) {
                unsigned b;
                if (sscanf(optarg, "%2x", &b) != 1) {
                    usage();
                }
                o.code[o.ncode++] = (uint8_t)b;
            }
            break;
        default: usage();
        }
    }
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK || o.batch == 0) {
        fprintf(stderr, "difftest: capstone does not open\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if ((o.record && replay.hash) || (replay.hash && o.one && o.ncode)) {
        usage();
    }
    if (!DIFF_NATIVE && !replay.hash) {
        fprintf(stderr, "difftest: the host is not x86-64: only --replay FILE runs here\n");
        return 2;
    }
    if (replay.hash) {
        /* the corpus's sequences: its seed, at most its count */
        o.seed = replay.seed;
        o.n = n_given && o.n < replay.n ? o.n : replay.n;
        if (o.one && o.index >= replay.n) {
            fprintf(stderr, "difftest: the corpus has %" PRIu64 " sequences\n", replay.n);
            return 2;
        }
        printf("oracle: the corpus (recorded on an Intel host: every result compared)\n");
    } else {
        const char *v = host_cpu_vendor();
        /* tern models Intel: elsewhere only what the SDM defines compares */
        diff_sdm_only = !host_cpu_is_intel();
        if (diff_sdm_only && o.record) {
            fprintf(stderr, "difftest: --record needs an Intel host (the corpus holds "
                    "Intel's results, undefined flags included); this one is %s\n", v);
            return 2;
        }
        printf("oracle: the host CPU, %s: %s\n", v,
               diff_sdm_only ? "not Intel, so only what the SDM defines is compared "
                               "(its undefined flags masked, DPPS/DPPD left out)"
                             : "every result compared, the SDM's undefined flags too");
        native_init();
    }
    enabled = choose_classes(&o);
    if (replay.hash && enabled != replay.mask && o.only < 0) {
        /* mix draws from the enabled classes: another set, other sequences */
        fprintf(stderr, "difftest: tern runs classes %#" PRIx64 ", the corpus %#" PRIx64
                ": regenerate it on an x86-64 host (make difftest-corpus)\n", enabled, replay.mask);
        return 2;
    }
    if (o.record) {
        corpus_begin(&o, enabled);
    }

    if (o.one) {
        c = diff_class_of(o.seed, o.index);
        if (!(enabled >> c & 1)) {
            printf("sequence %" PRIu64 " is of class %s, which does not run: %s\n",
                   o.index, diff_classes[c].name, stats[c].why);
            return 2;
        }
        return report(&o, enabled, o.index, "reproducer (-i)") ? 1 : 0;
    }

    for (first = 0; first < o.n; first += o.batch) {
        uint64_t count = o.n - first < o.batch ? o.n - first : o.batch;
        ran += run_batch(&o, enabled, first, count, &mism);
    }

    printf("  %-10s %10s %10s %10s  %s\n", "class", "run", "passed", "skipped", "");
    for (c = 0; c < diff_nclasses; c++) {
        ClassStat *st = &stats[c];
        skipped += st->skipped;
        printf("  %-10s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "  %s\n", diff_classes[c].name,
               st->run, st->passed, st->skipped, st->why ? st->why : "");
    }
    if (o.lines) {
        for (c = 0; c < diff_nclasses; c++) {
            ClassStat *st = &stats[c];
            if (!(enabled >> c & 1)) {
                printf("SKIP diff/%s: %s\n", diff_classes[c].name, st->why);
            } else if (st->run == 0) {
                printf("FAIL diff/%s: no sequence ran (raise N)\n", diff_classes[c].name);
            } else if (st->passed != st->run) {
                printf("FAIL diff/%s: %" PRIu64 " of %" PRIu64 " sequences differ "
                       "(first: -s %#" PRIx64 " -i %" PRIu64 ")\n", diff_classes[c].name,
                       st->run - st->passed, st->run, o.seed, st->first_bad - 1);
            } else {
                printf("PASS diff/%s\n", diff_classes[c].name);
            }
        }
    }
    printf("%" PRIu64 " sequences, %" PRIu64 " mismatches (%" PRIu64 " skipped; seed %#" PRIx64 ")\n",
           ran, mism, skipped, o.seed);
    if (ulp_tolerated) {
        printf("%" PRIu64 " sequences with a software transcendental accepted within 4 ulps\n",
               ulp_tolerated);
    }
    if (o.record_f && fclose(o.record_f) != 0) {
        fprintf(stderr, "difftest: %s: %s\n", o.record, strerror(errno));
        return 2;
    }
    cs_close(&cs);
    return mism ? 1 : 0;
}
