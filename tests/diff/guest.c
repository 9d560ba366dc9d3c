/*
 * guest.c: the guest half of the differential tester (difftest.elf).
 * The host tool boots it with -append "seed=S first=F count=C mask=M"
 * (all hex) and it runs sequences F..F+C-1 of seed S whose class is in the mask,
 * ("code=HEX": run these bytes instead of the generated code, difftest -x),
 * printing one line per sequence on serial:
 *     H <index> <hash>
 * and "E" when done.  "sdm=1": the host compared against is not Intel
 * (diff_sdm_only: the sequences and masks change with it).  With "dump=1" it prints, per sequence, the final
 * state in detail instead (diff_collect):
 *     R <reg> <value>      (reg 16 = RFLAGS, masked)
 *     X <n> <qword>        (qword n of the masked FXSAVE image, n = 0..63)
 *     M <offset> <byte>    (scratch bytes the sequence changed)
 */
#include "tern.h"
#include "diff.h"

static uint64_t arg(const char *cmdline, const char *key, uint64_t dflt)
{
    size_t n = strlen(key);
    const char *p = cmdline;

    while (p && *p) {
        if (!memcmp(p, key, n) && p[n] == '=') {
            uint64_t v = 0;
            for (p += n + 1; *p && *p != ' '; p++) {
                v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
            }
            return v;
        }
        while (*p && *p != ' ') {
            p++;
        }
        while (*p == ' ') {
            p++;
        }
    }
    return dflt;
}

/* The bytes of "code=HEX", or 0 */
static unsigned arg_code(const char *cmdline, uint8_t *code, unsigned max)
{
    const char *p = cmdline;
    unsigned n = 0;

    while (p && *p && memcmp(p, "code=", 5)) {
        while (*p && *p != ' ') {
            p++;
        }
        while (*p == ' ') {
            p++;
        }
    }
    if (!p || !*p) {
        return 0;
    }
    for (p += 5; p[0] && p[0] != ' ' && p[1] && n < max; p += 2) {
        unsigned hi = (unsigned)(p[0] <= '9' ? p[0] - '0' : (p[0] | 0x20) - 'a' + 10);
        unsigned lo = (unsigned)(p[1] <= '9' ? p[1] - '0' : (p[1] | 0x20) - 'a' + 10);
        code[n++] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}

int main(const struct tern_bootinfo *bi)
{
    const char *cmd = (const char *)bi->cmdline;
    uint64_t seed = arg(cmd, "seed", 1), first = arg(cmd, "first", 0);
    uint64_t count = arg(cmd, "count", 1), mask = arg(cmd, "mask", ~0ull);
    bool dump = arg(cmd, "dump", 0);
    static DiffSeq s;
    static DiffDump d;
    static uint8_t code[DIFF_MAX_CODE];
    unsigned k, ncode = arg_code(cmd, code, DIFF_MAX_CODE);
    uint64_t i;

    /* the compat classes' 32-bit code segment (DPL 0, D = 1, L = 0) */
    tern_sys_install();
    tern_gdt[TERN_GDT_FREE] = 0x00cf9b000000ffffull;
    tern_gdt_load();
    diff_sel32 = TERN_GDT_FREE * 8;
    diff_sel64 = TERN_SEL_KCODE;
    if (bi->ram_size < DIFF_SCRATCH + DIFF_MAP_SIZE) {
        tern_printf("difftest.elf: needs -m %lu or more\n",
                    (unsigned long)((DIFF_SCRATCH + DIFF_MAP_SIZE) >> 20) + 1);
        return 1;
    }
    diff_sdm_only = arg(cmd, "sdm", 0);
    for (i = first; i < first + count; i++) {
        if (!(mask >> diff_class_of(seed, i) & 1)) {
            continue;
        }
        diff_generate(&s, seed, i, mask);
        if (ncode) {
            diff_set_code(&s, code, ncode);
        }
        diff_fill_scratch(&s);
        diff_install(&s);
        diff_enter();
        if (!dump) {
            tern_printf("H %lx %lx\n", (unsigned long)i, (unsigned long)diff_hash(&s));
            continue;
        }
        diff_collect(&s, &d);
        for (k = 0; k < 16; k++) {
            tern_printf("R %x %lx\n", k, (unsigned long)d.out.r[k]);
        }
        tern_printf("R 10 %lx\n", (unsigned long)d.out.rflags);
        for (k = 0; k < DIFF_FX_SIZE / 8; k++) {
            uint64_t q;
            __builtin_memcpy(&q, d.fx + 8 * k, 8);
            tern_printf("X %x %lx\n", k, (unsigned long)q);
        }
        for (k = 0; k < d.nmem; k++) {
            tern_printf("M %x %x\n", d.mem_off[k], d.mem_val[k]);
        }
    }
    tern_printf("E\n");
    return 0;
}
