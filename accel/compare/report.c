/*
 * report.c: comparing the reference with the shadow after a step, and the
 * report of the first divergence.
 *
 * Registers are compared after every step: RIP, RFLAGS (the arithmetic
 * flags named one by one), the GPRs, the segment registers, CR0/2/3/4,
 * EFER, x87 and SSE registers, and whether the CPU halted.  RAM is
 * compared every ram-check steps and at the end, page by page, then byte
 * by byte within the pages that differ (both copies are local: memcmp is
 * the page hash).  The report names the step, the instruction (address,
 * bytes, capstone disassembly), the instructions before it, each
 * difference and the command line to rerun.
 */
#include "util/osdep.h"
#include "accel/compare/compare.h"
#include "util/write-undo.h"

#include <stdarg.h>
#include <capstone/capstone.h>

#define COMPARE_MAX_BYTES 16     /* differing RAM bytes listed */

void compare_note(CompareReport *r, const char *fmt, ...)
{
    va_list ap;

    if (!r) {
        return;                /* compare_cpus asked only whether any differ */
    }
    if (!r->why) {
        r->why = g_string_new("");
    }
    r->diverged = true;
    g_string_append(r->why, "  ");
    va_start(ap, fmt);
    g_string_append_vprintf(r->why, fmt, ap);
    va_end(ap);
    g_string_append_c(r->why, '\n');
}

/* ---- registers ---------------------------------------------------------- */

static const struct { uint32_t mask; const char *name; } flag_names[] = {
    { CC_C, "CF" }, { CC_P, "PF" }, { CC_A, "AF" }, { CC_Z, "ZF" }, { CC_S, "SF" },
    { TF_MASK, "TF" }, { IF_MASK, "IF" }, { DF_MASK, "DF" }, { CC_O, "OF" },
};

static const char *const gpr_names[CPU_NB_REGS] = {
    "RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
    "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
};

static const char *const seg_names[NB_SEGS] = { "ES", "CS", "SS", "DS", "FS", "GS" };

static void cmp_u64(CompareReport *r, bool *any, const char *name, uint64_t a, uint64_t b)
{
    if (a != b) {
        compare_note(r, "%-8s reference 0x%016" PRIx64 "  shadow 0x%016" PRIx64, name, a, b);
        *any = true;
    }
}

bool compare_cpus(CompareReport *r, CPUX86State *ref, CPUX86State *sh)
{
    uint64_t rf = cpu_compute_eflags(ref), sf = cpu_compute_eflags(sh);
    bool any = false;
    char name[16];

    cmp_u64(r, &any, "RIP", ref->rip, sh->rip);
    if (rf != sf) {
        uint64_t named = 0;

        cmp_u64(r, &any, "RFLAGS", rf, sf);
        for (unsigned i = 0; i < ARRAY_SIZE(flag_names); i++) {
            named |= flag_names[i].mask;
            if ((rf ^ sf) & flag_names[i].mask) {
                compare_note(r, "%-8s reference %d  shadow %d", flag_names[i].name,
                             !!(rf & flag_names[i].mask), !!(sf & flag_names[i].mask));
            }
        }
        if ((rf ^ sf) & ~named) {
            compare_note(r, "%-8s other RFLAGS bits differ: 0x%" PRIx64, "", (rf ^ sf) & ~named);
        }
    }
    for (int i = 0; i < CPU_NB_REGS; i++) {
        cmp_u64(r, &any, gpr_names[i], ref->regs[i], sh->regs[i]);
    }
    for (int i = 0; i < NB_SEGS; i++) {
        snprintf(name, sizeof(name), "%s", seg_names[i]);
        cmp_u64(r, &any, name, ref->segs[i].selector, sh->segs[i].selector);
        /* a null data or stack selector in 64-bit code: the hidden part
         * is unused (FS and GS keep their base), and hardware leaves in
         * it what TCG clears */
        if ((ref->hflags & HF_CS64_MASK) && i != R_CS && !(ref->segs[i].selector & ~3) &&
            !(sh->segs[i].selector & ~3)) {
            if (i == R_FS || i == R_GS) {
                snprintf(name, sizeof(name), "%s.base", seg_names[i]);
                cmp_u64(r, &any, name, ref->segs[i].base, sh->segs[i].base);
            }
            continue;
        }
        snprintf(name, sizeof(name), "%s.base", seg_names[i]);
        cmp_u64(r, &any, name, ref->segs[i].base, sh->segs[i].base);
        snprintf(name, sizeof(name), "%s.limit", seg_names[i]);
        cmp_u64(r, &any, name, ref->segs[i].limit, sh->segs[i].limit);
        snprintf(name, sizeof(name), "%s.flags", seg_names[i]);
        /* the accessed bit of the cached descriptor: TCG keeps it as it
         * sets it in memory, KVM (SVM's attributes) need not; the
         * descriptor in memory is compared with RAM */
        cmp_u64(r, &any, name, ref->segs[i].flags & ~DESC_A_MASK,
                sh->segs[i].flags & ~DESC_A_MASK);
    }
    cmp_u64(r, &any, "CR0", ref->cr[0], sh->cr[0]);
    cmp_u64(r, &any, "CR2", ref->cr[2], sh->cr[2]);
    cmp_u64(r, &any, "CR3", ref->cr[3], sh->cr[3]);
    cmp_u64(r, &any, "CR4", ref->cr[4], sh->cr[4]);
    cmp_u64(r, &any, "EFER", ref->efer, sh->efer);
    cmp_u64(r, &any, "A20", ref->a20_off, sh->a20_off);
    cmp_u64(r, &any, "HALTED", env_cpu(ref)->halted, env_cpu(sh)->halted);
    cmp_u64(r, &any, "FPSTT", ref->fpstt, sh->fpstt);
    cmp_u64(r, &any, "FPUS", ref->fpus, sh->fpus);
    cmp_u64(r, &any, "FPUC", ref->fpuc, sh->fpuc);
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof(name), "ST%d.lo", i);
        cmp_u64(r, &any, name, ref->fpregs[i].low, sh->fpregs[i].low);
        snprintf(name, sizeof(name), "ST%d.hi", i);
        cmp_u64(r, &any, name, ref->fpregs[i].high, sh->fpregs[i].high);
    }
    cmp_u64(r, &any, "MXCSR", ref->mxcsr, sh->mxcsr);
    for (int i = 0; i < 16; i++) {
        snprintf(name, sizeof(name), "XMM%d.lo", i);
        cmp_u64(r, &any, name, ref->xmm_regs[i].q[0], sh->xmm_regs[i].q[0]);
        snprintf(name, sizeof(name), "XMM%d.hi", i);
        cmp_u64(r, &any, name, ref->xmm_regs[i].q[1], sh->xmm_regs[i].q[1]);
    }
    return any;
}

/* ---- memory --------------------------------------------------------------- */

/* The guest-physical address of offset off of RAM region mr, or -1. */
static int64_t ram_phys(AddressSpace *as, const MemoryRegion *mr, uint64_t off)
{
    FlatView *fv = address_space_get_flatview(as);
    int64_t at = -1;

    for (unsigned i = 0; i < fv->nr && at < 0; i++) {
        const FlatRange *fr = &fv->ranges[i];

        if (fr->mr == mr && off >= fr->offset_in_region &&
            off - fr->offset_in_region < fr->size) {
            at = (int64_t)(fr->start + (off - fr->offset_in_region));
        }
    }
    flatview_unref(fv);
    return at;
}

/* Bytes [start, start + n) of RAM pair i; notes the differing bytes (up
 * to COMPARE_MAX_BYTES in all, counted in *listed).  True if any. */
static bool compare_ram_range(CompareReport *r, CompareShadow *sh, size_t i, uint64_t start,
                              uint64_t n, unsigned *listed)
{
    const uint8_t *a = sh->ram[i].orig->ram_ptr, *b = sh->ram[i].copy->ram_ptr;

    if (!memcmp(a + start, b + start, n)) {
        return false;
    }
    for (uint64_t off = start; off < start + n && *listed < COMPARE_MAX_BYTES; off++) {
        if (a[off] != b[off]) {
            int64_t phys = ram_phys(sh->machine_mem_as, sh->ram[i].orig, off);

            compare_note(r, "memory 0x%08" PRIx64 " (%s+0x%" PRIx64 "): reference %02x"
                         "  shadow %02x", phys < 0 ? off : (uint64_t)phys,
                         sh->ram[i].orig->name, off, a[off], b[off]);
            (*listed)++;
        }
    }
    return true;
}

bool compare_ram(CompareReport *r, CompareShadow *sh)
{
    unsigned listed = 0;
    bool any = false;

    for (size_t i = 0; i < sh->nr_ram; i++) {
        uint64_t size = sh->ram[i].orig->size;

        for (uint64_t page = 0; page < size; page += 4096) {
            any |= compare_ram_range(r, sh, i, page, MIN(4096, size - page), &listed);
        }
    }
    return any;
}

bool compare_ram_dirty(CompareReport *r, CompareShadow *sh)
{
    unsigned listed = 0;
    bool any = false;

    for (size_t n = 0; n < write_undo_pages(sh->undo); n++) {
        unsigned range;
        size_t off, len;

        write_undo_page(sh->undo, n, &range, &off, &len);
        any |= compare_ram_range(r, sh, range, off, len, &listed);
    }
    return any;
}

/* ---- the report ------------------------------------------------------------ */

void compare_history_push(CompareReport *r, uint64_t step, CPUX86State *env)
{
    CompareHistory *h = &r->ring[r->ring_n++ % COMPARE_RING];
    uint64_t cs_base;

    h->step = step;
    h->vector = -1;
    x86_get_tb_cpu_state(env, &h->pc, &cs_base, &h->flags);
}

/* "0x...: bytes  mnemonic operands" for the instruction at h->pc, read from
 * the reference's RAM now (code changed since is shown as it is now). */
static void print_insn(FILE *f, CPUState *ref, const CompareHistory *h)
{
    CPUX86State *env = cpu_env(ref);
    cs_mode mode = (h->flags & HF_CS64_MASK) ? CS_MODE_64
                 : (h->flags & HF_CS32_MASK) ? CS_MODE_32 : CS_MODE_16;
    uint8_t buf[15];
    unsigned n = 0;
    cs_insn *insn = NULL;
    csh handle;
    size_t count = 0;

    while (n < sizeof(buf)) {
        uint64_t va = h->pc + n;
        int64_t page = x86_cpu_get_phys_page_debug(env, va & ~0xfffull);
        uint8_t *p;

        if (page < 0) {
            break;
        }
        p = address_space_ram_ptr(ref->as, (uint64_t)page + (va & 0xfff), 1, false);
        if (!p) {
            break;
        }
        buf[n++] = *p;
    }
    if (h->vector >= 0) {
        fprintf(f, "interrupt 0x%02x delivered, before ", h->vector);
    }
    fprintf(f, "0x%016" PRIx64 ":", h->pc);
    if (n && cs_open(CS_ARCH_X86, mode, &handle) == CS_ERR_OK) {
        count = cs_disasm(handle, buf, n, h->pc, 1, &insn);
        if (count) {
            for (unsigned i = 0; i < insn[0].size; i++) {
                fprintf(f, " %02x", insn[0].bytes[i]);
            }
            fprintf(f, "  %s %s", insn[0].mnemonic, insn[0].op_str);
            cs_free(insn, count);
        }
        cs_close(&handle);
    }
    if (!count) {
        fprintf(f, " (%u bytes readable, not disassembled)", n);
    }
    fprintf(f, "\n");
}

void compare_print(CompareReport *r, CPUState *ref, const char *title, const char *cmdline)
{
    FILE *f = stderr;
    unsigned last = r->ring_n - 1;
    unsigned first = r->ring_n > COMPARE_RING ? r->ring_n - COMPARE_RING : 0;

    fprintf(f, "%s at step %" PRIu64 "\n", title, r->step);
    if (r->ring_n) {
        fprintf(f, "  step %" PRIu64 " ran: ", r->ring[last % COMPARE_RING].step);
        print_insn(f, ref, &r->ring[last % COMPARE_RING]);
        if (first < last) {
            fprintf(f, "  the steps before:\n");
        }
        for (unsigned i = first; i < last; i++) {
            fprintf(f, "    step %" PRIu64 ": ", r->ring[i % COMPARE_RING].step);
            print_insn(f, ref, &r->ring[i % COMPARE_RING]);
        }
    }
    fprintf(f, "  differences (after that step):\n%s", r->why ? r->why->str : "");
    fprintf(f, "  rerun: %s\n", cmdline ? cmdline : "(unknown)");
}
