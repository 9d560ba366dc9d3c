/*
 * decodecheck.c: tern's decoder (x86_decode_buf, 64-bit mode) against
 * capstone (CS_MODE_64) on random byte strings.
 *
 *   decodecheck [-n N] [-s SEED] [-e ERRATA] [-k KNOWN-BUGS] [--lines] [-v]
 *
 * The strings are biased toward real instructions: a few legacy prefixes,
 * often a REX byte, an opcode of the one-byte or 0F map, then ModRM/SIB
 * bytes drawn to cover every mod/rm/SIB form, then random bytes to 15.
 * For each string the verdicts are compared:
 *
 *   both valid, same length      agree
 *   both invalid                 agree
 *   capstone valid, tern #UD on an opcode tern has no row for, on the
 *   register form of a memory-only row, or on any VEX encoding
 *                                unimplemented (counted, not a failure)
 *   anything else                a disagreement, unless a line of the
 *                                errata file (capstone-errata.txt) matches
 *
 * An errata line is "VERDICT PATTERN  # reason": VERDICT is what differs
 * (len: both valid, lengths differ; tern-valid: capstone rejects what tern
 * accepts; tern-ud: tern rejects what capstone accepts), PATTERN a list of
 * hex bytes matched against the instruction after its legacy prefixes and
 * REX, where "..", "x." or ".x" match any byte / nibble, and "/N" matches a
 * ModRM whose reg field is N; "+PP" requires legacy prefix PP before it,
 * and "*" alone matches any instruction.  Every line must carry a reason.
 *
 * -k names a second file of the same format, decoder-bugs.txt: tern bugs
 * found and not yet fixed, counted apart and not failures.
 * Prints the counts and "N strings, M disagreements"; --lines prints
 * PASS/FAIL decode/capstone for tests/scripts/suite-diff.sh.
 */
#include <capstone/capstone.h>
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "target-x86/decode.h"

enum { V_LEN, V_TERN_VALID, V_TERN_UD, V_NB };
static const char *const verdict_names[V_NB] = { "len", "tern-valid", "tern-ud" };

typedef struct Erratum {
    int verdict;
    unsigned n;
    uint8_t val[8], mask[8];
    int digit[8];               /* -1, or the ModRM.reg this byte must have */
    uint8_t need_pfx[4];        /* legacy prefixes that must be present */
    unsigned npfx;
    char text[520];
    uint64_t hits;
} Erratum;

static Erratum errata[128];
static unsigned nerrata;
static unsigned nknown_first = ~0u;         /* errata[] from here on: known tern bugs */

static int load_errata(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int lineno = 0;

    if (!f) {
        perror(path);
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        Erratum *e = &errata[nerrata];
        char *p = line, *hash = strchr(line, '#'), *tok;
        int v;

        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            fprintf(stderr, "%s:%d: line too long (over %zu bytes)\n", path, lineno,
                    sizeof(line) - 2);
            fclose(f);
            return -1;
        }
        while (isspace((unsigned char)*p)) {
            p++;
        }
        if (*p == '#' || *p == 0) {
            continue;
        }
        if (!hash || strlen(hash + 1) < 3 || nerrata == sizeof(errata) / sizeof(errata[0])) {
            fprintf(stderr, "%s:%d: an erratum needs a reason (# ...)\n", path, lineno);
            fclose(f);
            return -1;
        }
        *hash = 0;
        memset(e, 0, sizeof(*e));
        snprintf(e->text, sizeof(e->text), "%s#%s", p, hash + 1);
        e->text[strcspn(e->text, "\n")] = 0;
        tok = strtok(p, " \t");
        for (v = 0; v < V_NB && strcmp(tok, verdict_names[v]); v++) {
        }
        if (v == V_NB) {
            fprintf(stderr, "%s:%d: unknown verdict %s\n", path, lineno, tok);
            fclose(f);
            return -1;
        }
        e->verdict = v;
        while ((tok = strtok(NULL, " \t\n")) && e->n < 8) {
            unsigned i = e->n++;
            e->digit[i] = -1;
            if (tok[0] == '+' && e->npfx < 4) {
                e->need_pfx[e->npfx++] = (uint8_t)strtoul(tok + 1, NULL, 16);
                e->n--;
                continue;
            }
            if (!strcmp(tok, "*")) {
                e->n--;
                continue;
            }
            if (tok[0] == '/') {
                e->digit[i] = tok[1] - '0';
                continue;
            }
            for (int k = 0; k < 2; k++) {
                char c = (char)tolower((unsigned char)tok[k]);
                unsigned sh = k ? 0 : 4;
                if (c != '.' && c != 'x') {
                    e->val[i] |= (uint8_t)((c <= '9' ? c - '0' : c - 'a' + 10) << sh);
                    e->mask[i] |= (uint8_t)(0xf << sh);
                }
            }
        }
        nerrata++;
    }
    fclose(f);
    return 0;
}

/* The instruction after legacy prefixes and REX. */
static const uint8_t *skip_prefixes(const uint8_t *b, unsigned *n)
{
    unsigned i = 0;

    while (i < 14 && ((b[i] && strchr("\x26\x2e\x36\x3e\x64\x65\x66\x67\xf0\xf2\xf3", b[i])) ||
                      (b[i] & 0xf0) == 0x40)) {
        i++;
    }
    *n = 15 - i;
    return b + i;
}

static Erratum *match_errata(int verdict, const uint8_t *buf)
{
    unsigned n, i, k;
    const uint8_t *b = skip_prefixes(buf, &n);

    for (k = 0; k < nerrata; k++) {
        Erratum *e = &errata[k];
        if (e->verdict != verdict || e->n > n) {
            continue;
        }
        for (i = 0; i < e->npfx; i++) {
            if (!memchr(buf, e->need_pfx[i], (size_t)(b - buf))) {
                break;
            }
        }
        if (i < e->npfx) {
            continue;
        }
        for (i = 0; i < e->n; i++) {
            if (e->digit[i] >= 0 ? ((b[i] >> 3) & 7) != e->digit[i]
                                 : (b[i] & e->mask[i]) != e->val[i]) {
                break;
            }
        }
        if (i == e->n) {
            e->hits++;
            return e;
        }
    }
    return NULL;
}

static void gen_bytes(DiffRng *r, uint8_t *b)
{
    static const uint8_t pfx[] = { 0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65 };
    unsigned i = 0, k, npfx = (unsigned)diff_rng_below(r, 8);

    for (k = 0; k < 15; k++) {
        b[k] = (uint8_t)diff_rng_next(r);
    }
    npfx = npfx < 4 ? 0 : npfx - 3;                     /* 0 half of the time, up to 4 */
    for (k = 0; k < npfx; k++) {
        b[i++] = pfx[diff_rng_below(r, sizeof(pfx))];
    }
    if (diff_rng_below(r, 2)) {
        b[i++] = (uint8_t)(0x40 | diff_rng_below(r, 16));
    }
    if (diff_rng_below(r, 10) < 3) {
        b[i++] = 0x0f;
    }
    b[i++] = (uint8_t)diff_rng_next(r);                 /* opcode */
    /* ModRM: every mod equally, rm=4 (SIB) and rm=5 often */
    b[i] = (uint8_t)(diff_rng_below(r, 4) << 6 | diff_rng_below(r, 8) << 3 |
                     (diff_rng_below(r, 3) ? diff_rng_below(r, 8) : 4 + diff_rng_below(r, 2)));
    i++;
    if (diff_rng_below(r, 4) == 0) {                    /* SIB with base 5 */
        b[i] = (uint8_t)((b[i] & ~7) | 5);
    }
}

/* The strings tern leaves unimplemented, counted by capstone's mnemonic
 * (VEX forms apart), so that what goes untested is printed, not hidden. */
typedef struct Unimpl {
    char mnemonic[32];
    uint64_t count;
} Unimpl;
static Unimpl unimpl_tab[512];
static unsigned n_unimpl_tab;
static uint64_t unimpl_vex;

static void unimpl_count(const char *mnemonic, bool vex)
{
    unsigned k;

    if (vex) {
        unimpl_vex++;
        return;
    }
    for (k = 0; k < n_unimpl_tab && strcmp(unimpl_tab[k].mnemonic, mnemonic); k++) {
    }
    if (k == n_unimpl_tab) {
        if (k == sizeof(unimpl_tab) / sizeof(unimpl_tab[0])) {
            return;
        }
        snprintf(unimpl_tab[k].mnemonic, sizeof(unimpl_tab[k].mnemonic), "%s", mnemonic);
        n_unimpl_tab++;
    }
    unimpl_tab[k].count++;
}

static int unimpl_cmp(const void *a, const void *b)
{
    const Unimpl *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->mnemonic, y->mnemonic);
}

static void unimpl_print(void)
{
    unsigned k;

    qsort(unimpl_tab, n_unimpl_tab, sizeof(unimpl_tab[0]), unimpl_cmp);
    printf("  unimplemented: %" PRIu64 " VEX/EVEX-encoded (AVX and later);", unimpl_vex);
    for (k = 0; k < n_unimpl_tab; k++) {
        printf("%s %s %" PRIu64, k ? "," : "", unimpl_tab[k].mnemonic, unimpl_tab[k].count);
    }
    printf("\n");
}

/* VEX- or EVEX-encoded (C4/C5, 62 in 64-bit mode): AVX and AVX-512 are
 * later issues, so such a string tern rejects is unimplemented (BMI is
 * checked by difftest; 62 is BOUND only outside 64-bit mode). */
static bool is_vex(const uint8_t *buf)
{
    unsigned n;
    const uint8_t *b = skip_prefixes(buf, &n);
    return b[0] == 0xc4 || b[0] == 0xc5 || b[0] == 0x62;
}

/*
 * Does tern implement what these bytes encode?  Not when the opcode has no
 * row, nor when the row is memory-only (M) and ModRM.mod is 3: those
 * register forms are other instructions (0F 01 D0 XGETBV, ...).
 */
static bool tern_has_row(const X86DecodedInsn *d)
{
    int i;

    if (d->e.kind == X86_INSN_INVALID || d->e.kind == X86_INSN_GROUP) {
        return false;
    }
    for (i = 0; i < 3; i++) {
        if (X86_OPND_AM(d->e.op[i]) == X86_AM_M && d->has_modrm && (d->modrm >> 6) == 3) {
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        { "lines", no_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t n = 1000000, seed = 1, i;
    uint64_t agree_valid = 0, agree_invalid = 0, unimpl = 0, errata_hits = 0, bad = 0;
    uint64_t by_verdict[V_NB] = { 0 };
    const char *errata_path = NULL, *bugs_path = NULL;
    uint64_t known_hits = 0;
    bool lines = false;
    int verbose = 0, ch;
    DiffRng r;
    csh cs;
    cs_insn *insn;
    unsigned k;

    while ((ch = getopt_long(argc, argv, "n:s:e:k:v", lopts, NULL)) != -1) {
        switch (ch) {
        case 'n': n = strtoull(optarg, NULL, 0); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'e': errata_path = optarg; break;
        case 'k': bugs_path = optarg; break;
        case 'v': verbose++; break;
        case 'l': lines = true; break;
        default:
            fprintf(stderr, "usage: decodecheck [-n N] [-s SEED] [-e ERRATA] [-k BUGS] [--lines] [-v]\n");
            return 2;
        }
    }
    if (errata_path && load_errata(errata_path) < 0) {
        return 2;
    }
    nknown_first = nerrata;
    if (bugs_path && load_errata(bugs_path) < 0) {
        return 2;
    }
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        fprintf(stderr, "decodecheck: capstone does not open\n");
        return 2;
    }
    insn = cs_malloc(cs);
    diff_rng_seed(&r, seed, 0xdec0de);

    for (i = 0; i < n; i++) {
        uint8_t b[15];
        const uint8_t *code = b;
        size_t size = sizeof(b);
        uint64_t addr = 0x1000;
        X86DecodedInsn d;
        int tl, cl, verdict;
        Erratum *e;

        gen_bytes(&r, b);
        tl = x86_decode_buf(&d, X86_MODE_64, b, sizeof(b));
        cl = cs_disasm_iter(cs, &code, &size, &addr, insn) ? (int)insn->size : -1;
        if (tl > 0 && cl > 0 && tl == cl) {
            agree_valid++;
            continue;
        }
        if (tl <= 0 && cl <= 0) {
            agree_invalid++;
            continue;
        }
        if (tl <= 0 && (!tern_has_row(&d) || is_vex(b))) {
            unimpl++;
            unimpl_count(insn->mnemonic, is_vex(b));
            continue;
        }
        verdict = tl > 0 && cl > 0 ? V_LEN : tl > 0 ? V_TERN_VALID : V_TERN_UD;
        e = match_errata(verdict, b);
        if (e) {
            if (e - errata >= (ptrdiff_t)nknown_first) {
                known_hits++;
            } else {
                errata_hits++;
            }
            continue;
        }
        by_verdict[verdict]++;
        if (bad++ < 40 || verbose) {
            printf("  disagree (%s):", verdict_names[verdict]);
            for (k = 0; k < sizeof(b); k++) {
                printf(" %02x", b[k]);
            }
            printf("  tern %d (%s), capstone %d", tl, tl > 0 || tern_has_row(&d) ? d.e.name : "-", cl);
            if (cl > 0) {
                printf(" (%s %s)", insn->mnemonic, insn->op_str);
            }
            printf("\n");
        }
    }
    printf("  decoder cross-check, seed %#" PRIx64 ":\n", seed);
    printf("  %12" PRIu64 " agree, valid (same length)\n", agree_valid);
    printf("  %12" PRIu64 " agree, invalid\n", agree_invalid);
    printf("  %12" PRIu64 " unimplemented in tern (capstone decodes, tern has no row)\n", unimpl);
    if (verbose || !lines) {
        unimpl_print();
    }
    printf("  %12" PRIu64 " matched capstone errata\n", errata_hits);
    printf("  %12" PRIu64 " matched known tern decoder bugs\n", known_hits);
    for (k = 0; k < V_NB; k++) {
        printf("  %12" PRIu64 " disagree: %s\n", by_verdict[k], verdict_names[k]);
    }
    for (k = 0; k < nerrata; k++) {
        if (verbose || errata[k].hits) {
            printf("  %12" PRIu64 " x %s %s\n", errata[k].hits,
                   k >= nknown_first ? "tern bug" : "erratum", errata[k].text);
        }
    }
    printf("%" PRIu64 " strings, %" PRIu64 " disagreements\n", n, bad);
    if (lines) {
        if (bad) {
            printf("FAIL decode/capstone: %" PRIu64 " of %" PRIu64 " strings disagree\n", bad, n);
        } else {
            printf("PASS decode/capstone\n");
        }
        if (known_hits) {
            printf("SKIP decode/known-bugs: %" PRIu64 " strings hit known tern decoder bugs "
                   "(tests/diff/decoder-bugs.txt)\n", known_hits);
        }
    }
    cs_free(insn, 1);
    cs_close(&cs);
    return bad ? 1 : 0;
}
