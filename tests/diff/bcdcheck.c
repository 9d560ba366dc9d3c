/*
 * bcdcheck: every input of DAA, DAS, AAA, AAS, AAM and AAD run natively in
 * compatibility mode (through the difftest runner: a compat class's slot,
 * gen.c diff_install) against tern's model of them (target-x86/bcd.h,
 * the function helper_bcd calls).  Inputs: every AL with AH 00 01 7F 80
 * FE FF (with -a: all 65,536 AX values, about 25 s) times CF, AF and two
 * settings of OF SF ZF PF; AAM and AAD with immediates 10, 1, 7, 16, 128
 * and 255.  Prints "PASS bcd/host: N inputs" or "FAIL bcd/host"
 * with the first differences; exit status 1 on a difference, 2 when the
 * scratch area cannot be mapped.  "SKIP bcd/host: why" (status 0) where
 * the kernel gives user space no 32-bit code segment.  tern writes the
 * flags the SDM leaves undefined as Intel does; against another vendor's
 * CPU those (the sdm column of the daa-das, aaa-aas and aam-aad rows of
 * diff_classes[]) are not compared.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "diff.h"
#include "native.h"
#include "target-x86/bcd.h"
#include "util/host-cpu.h"

#define ARITH_TO_EFLAGS_MASK 0x8d5u     /* CF PF AF ZF SF OF */

/* The flags of op not compared: on a host that is not Intel, the SDM's
 * undefined ones, from its class row (diff_classes[], classes.c). */
static unsigned undefined_flags(uint8_t op)
{
    const char *cls = op == 0x27 || op == 0x2f ? "daa-das" : op == 0x37 || op == 0x3f
                      ? "aaa-aas" : "aam-aad";
    unsigned c;

    if (host_cpu_is_intel()) {
        return 0;
    }
    for (c = 0; c < diff_nclasses && strcmp(diff_classes[c].name, cls); c++) {
    }
    return c < diff_nclasses ? diff_classes[c].sdm_undef : ARITH_TO_EFLAGS_MASK;
}

/* Run code (one instruction) with AX and the flags; the new AX and flags. */
static void run(DiffSeq *s, const uint8_t *code, unsigned len, unsigned ax,
                unsigned fl, unsigned *oax, unsigned *ofl)
{
    const DiffRegs *out = (const DiffRegs *)DIFF_OUT;

    diff_set_code(s, code, len);
    s->in.r[RAX] = ax;
    s->in.rflags = 0x2 | fl;
    diff_install(s);
    diff_enter();
    *oax = (unsigned)out->r[RAX] & 0xffff;
    *ofl = (unsigned)out->rflags & ARITH_TO_EFLAGS_MASK;
}

int main(int argc, char **argv)
{
    static const uint8_t ops[] = { 0x27, 0x2f, 0x37, 0x3f, 0xd4, 0xd5 };
    static const uint8_t imms[] = { 10, 1, 7, 16, 128, 255 };
    static const uint8_t ahs[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff };
    bool all = argc > 1 && !strcmp(argv[1], "-a");
    static DiffSeq s;
    unsigned long n = 0, bad = 0;
    unsigned c;
    const char *why;

    if (mmap((void *)DIFF_SCRATCH, DIFF_MAP_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)DIFF_SCRATCH) {
        printf("FAIL bcd/host: cannot map the scratch area at %#x: %s\n", DIFF_SCRATCH,
               strerror(errno));
        return 2;
    }
    diff_sel32 = 0x23;      /* Linux's __USER32_CS and __USER_CS */
    diff_sel64 = 0x33;
    why = diff_native_compat_why(diff_sel32);
    if (why) {
        printf("SKIP bcd/host: %s\n", why);
        return 0;
    }
    printf("host CPU %s: %s\n", host_cpu_vendor(), host_cpu_is_intel()
           ? "every flag compared" : "not Intel: the flags the SDM leaves undefined are not compared");
    /* a compat class's sequence: its initial FP state and slot */
    for (c = 0; c < diff_nclasses && !diff_classes[c].compat; c++) {
    }
    diff_generate(&s, 1, c, 1ull << c);

    for (unsigned i = 0; i < sizeof(ops); i++) {
        unsigned nimm = ops[i] >= 0xd4 ? sizeof(imms) : 1;
        unsigned cmp = ARITH_TO_EFLAGS_MASK & ~undefined_flags(ops[i]);
        for (unsigned k = 0; k < nimm; k++) {
            uint8_t code[2] = { ops[i], imms[k] };
            for (unsigned x = 0; x < (all ? 0x10000u : 256u * sizeof(ahs)); x++) {
                unsigned ax = all ? x : (unsigned)ahs[x >> 8] << 8 | (x & 0xff);
                for (unsigned f = 0; f < 8; f++) {
                    unsigned fl = (f & 1 ? 0x01 : 0) | (f & 2 ? 0x10 : 0) | (f & 4 ? 0x8c4 : 0);
                    unsigned hax, hfl, r = x86_bcd(ops[i], imms[k], ax, fl);
                    run(&s, code, nimm > 1 ? 2 : 1, ax, fl, &hax, &hfl);
                    n++;
                    if (hax == (r & 0xffff) && (hfl & cmp) == ((r >> 16) & cmp)) {
                        continue;
                    }
                    if (bad++ < 8) {
                        printf("  %02x %02x: ax %04x flags %03x: host ax %04x flags %03x, "
                               "model ax %04x flags %03x\n", ops[i], code[1], ax, fl, hax,
                               hfl, r & 0xffff, (r >> 16) & ARITH_TO_EFLAGS_MASK);
                    }
                }
            }
        }
    }
    if (bad) {
        printf("FAIL bcd/host: %lu of %lu inputs differ from the model\n", bad, n);
        return 1;
    }
    printf("PASS bcd/host: %lu inputs\n", n);
    return 0;
}
