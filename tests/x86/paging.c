// tern-kvm: allow cpuid-*pcid the host's KVM does not offer PCID/INVPCID (QEMU's TCG has none)
// tern-kvm: allow tlb/* stale TLB entries are allowed, not required: KVM's VM exits flush them
// tern-nested: allow pf-rsvd-*/error-code QEMU 7.2 TCG (the nested CPU) reports reserved-bit page faults without the P bit
/*
 * paging.c: 4-level paging as a kernel sees it.  The test maps 4K pages at
 * PG_BASE (PML4[1]) with its own PDPT, PD and PT, then checks:
 *   - accessed and dirty bits: set by a load (A), a store (A and D) and a
 *     fetch (A) on the leaf, and left clear by accesses that fault;
 *   - #PF error codes and CR2 (the exact faulting address) for not
 *     present, user/supervisor, read-only (CR0.WP, and WP = 0 lets the
 *     supervisor write), NX (I bit), reserved bits (RSVD), SMEP (I) and
 *     SMAP (EFLAGS.AC via STAC/CLAC lifts it; STAC/CLAC at CPL 3 are #UD);
 *   - the TLB: a PTE changed behind its back is not seen until INVLPG or a
 *     CR3 write, except a global page (CR4.PGE), which survives the CR3
 *     write but not INVLPG or a CR4.PGE toggle;
 *   - PCIDs: CR4.PCIDE's #GP rules, CR3 bit 63 keeping the current PCID's
 *     entries (and not stored), a PCID change flushing, INVPCID types 0-3
 *     and its #GP cases (type, reserved descriptor bits, PCID without
 *     PCIDE, non-canonical address, CPL 3).
 * Ring 0 only: the native build skips.
 */
#include "tern.h"

#define PG_BASE 0x8000000000ull          /* PML4[1] */
#define P   0x1ull
#define RW  0x2ull
#define US  0x4ull
#define A   0x20ull
#define D   0x40ull
#define G   0x100ull
#define XD  (1ull << 63)

#define CR3_NOFLUSH (1ull << 63)

#define NFRAMES 4

#ifndef TERN_NATIVE
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t frames[NFRAMES][4096] __attribute__((aligned(4096)));

/* The address the FAULT_FNs access, and the value a load gave. */
uint64_t pg_addr, pg_val;

FAULT_FN_AT(pg_load, "mov pg_addr(%rip), %rax", "mov (%rax), %rax", "mov %rax, pg_val(%rip)");
FAULT_FN_AT(pg_store, "mov pg_addr(%rip), %rax", "movq $0x5a, (%rax)", "");
FAULT_FN_AT(pg_exec, "mov pg_addr(%rip), %rax", "call *%rax", "");
FAULT_FN(pg_stac, "stac");
uint64_t cr_arg;
FAULT_FN(wr_cr4_fn, "mov cr_arg(%rip), %rax\n\tmov %rax, %cr4");
FAULT_FN(pg_clac, "clac");
/* invpcid pg_type, pg_desc */
uint64_t pg_type, pg_desc[2] __attribute__((aligned(16)));
FAULT_FN_AT(pg_invpcid, "mov pg_type(%rip), %rax", "invpcid pg_desc(%rip), %rax", "");
/* the SMAP case in one function: stac, load, clac */
FAULT_FN(pg_load_stac, "stac\n\tmov pg_addr(%rip), %rax\n\tmov (%rax), %rax\n\t"
                       "mov %rax, pg_val(%rip)\n\tclac");

static void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static uint64_t va(int i) { return PG_BASE + (uint64_t)i * 4096; }
static uint64_t frame(int f) { return (uint64_t)(uintptr_t)frames[f]; }

/* PT[i] = entry, its old translation flushed */
static void map(int i, uint64_t entry)
{
    pt[i] = entry;
    invlpg(va(i));
}

/* Run fn at CPL 0 (user: CPL 3) on addr: the vector, -1 if none */
static int run(void (*fn)(void), uint64_t addr, int user)
{
    pg_addr = addr;
    return user ? tern_run_user(fn, 0) : tern_catch_fault(fn);
}

/* fn on addr takes #PF with error code err, CR2 = addr, rip at at */
static void check_pf(const char *name, void (*fn)(void), const char *at, uint64_t addr, int user,
                     uint64_t err)
{
    test_group(name);
    CHECK_EQ_NAMED("vector", run(fn, addr, user), 14);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, err);
    CHECK_EQ_NAMED("cr2", read_cr(2), addr);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)at);
    test_group(NULL);
}

static void test_accessed_dirty(void)
{
    map(0, frame(0) | P | RW);
    frames[0][0] = 0x42;
    frames[0][1] = 0xc3;                      /* ret, at offset 1 */
    CHECK_EQ_NAMED("ad/load", run(pg_load, va(0), 0), -1);
    CHECK_EQ_NAMED("ad/load-value", pg_val & 0xff, 0x42);
    CHECK_EQ_NAMED("ad/load-sets-a", pt[0] & (A | D), A);
    CHECK_EQ_NAMED("ad/store", run(pg_store, va(0) + 8, 0), -1);
    CHECK_EQ_NAMED("ad/store-sets-d", pt[0] & (A | D), A | D);
    CHECK_EQ_NAMED("ad/store-value", frames[0][8], 0x5a);

    map(1, frame(0) | P | RW);
    CHECK_EQ_NAMED("ad/exec", run(pg_exec, va(1) + 1, 0), -1);
    CHECK_EQ_NAMED("ad/exec-sets-a", pt[1] & (A | D), A);

    /* a non-leaf entry's A bit is set again by the next walk */
    pd[0] &= ~A;
    map(2, frame(0) | P | RW);
    CHECK_EQ_NAMED("ad/nonleaf-load", run(pg_load, va(2), 0), -1);
    CHECK_EQ_NAMED("ad/nonleaf-sets-a", pd[0] & (A | D), A);

    /* a store to a clean page whose TLB entry came from a load sets D */
    map(3, frame(1) | P | RW);
    CHECK_EQ_NAMED("ad/load-then-store-1", run(pg_load, va(3), 0), -1);
    CHECK_EQ_NAMED("ad/load-then-store-2", run(pg_store, va(3), 0), -1);
    CHECK_EQ_NAMED("ad/load-then-store-d", pt[3] & (A | D), A | D);
}

static void test_faults(void)
{
    /* not present: the leaf stays untouched */
    map(4, frame(1) | RW);
    check_pf("pf-not-present-load", pg_load, pg_load_at, va(4) + 0x123, 0, 0);
    check_pf("pf-not-present-store", pg_store, pg_store_at, va(4) + 0x8, 0, PF_W);
    check_pf("pf-not-present-user", pg_load, pg_load_at, va(4) + 0x10, 1, PF_U);
    CHECK_EQ_NAMED("pf-not-present/no-a", pt[4], frame(1) | RW);

    /* user access to a supervisor page; the leaf's A stays clear */
    map(5, frame(1) | P | RW);
    check_pf("pf-user-supervisor", pg_load, pg_load_at, va(5) + 0x20, 1, PF_P | PF_U);
    CHECK_EQ_NAMED("pf-user-supervisor/no-a", pt[5] & (A | D), 0);

    /* user write to a read-only user page; user read is fine */
    map(6, frame(1) | P | US);
    check_pf("pf-user-readonly", pg_store, pg_store_at, va(6) + 0x30, 1, PF_P | PF_W | PF_U);
    CHECK_EQ_NAMED("pf-user-readonly/no-a", pt[6] & (A | D), 0);
    CHECK_EQ_NAMED("user-read", run(pg_load, va(6), 1), -1);
    CHECK_EQ_NAMED("user-read/a", pt[6] & (A | D), A);

    /* CR0.WP: a supervisor write to a read-only page faults, without WP it
     * writes and sets D */
    map(7, frame(2) | P);
    check_pf("pf-wp", pg_store, pg_store_at, va(7) + 0x40, 0, PF_P | PF_W);
    CHECK_EQ_NAMED("pf-wp/no-d", pt[7] & D, 0);
    write_cr(0, read_cr(0) & ~CR0_WP);
    CHECK_EQ_NAMED("wp0/store", run(pg_store, va(7) + 0x40, 0), -1);
    write_cr(0, read_cr(0) | CR0_WP);
    CHECK_EQ_NAMED("wp0/stored", frames[2][0x40], 0x5a);
    CHECK_EQ_NAMED("wp0/d", pt[7] & (A | D), A | D);
    /* CR0.WP set again: the TLB entry allowing the write is gone */
    check_pf("pf-wp-again", pg_store, pg_store_at, va(7) + 0x48, 0, PF_P | PF_W);

    /* NX: a fetch faults with I; data accesses are fine */
    map(8, frame(0) | P | RW | XD);
    check_pf("pf-nx", pg_exec, (const char *)(uintptr_t)(va(8) + 1), va(8) + 1, 0,
             PF_P | PF_I);
    CHECK_EQ_NAMED("pf-nx/no-a", pt[8] & A, 0);
    CHECK_EQ_NAMED("nx-load", run(pg_load, va(8), 0), -1);

    /* reserved bits: above MAXPHYADDR in a PTE, PS in a PML4E */
    map(9, frame(1) | P | RW | (1ull << 45));
    check_pf("pf-rsvd-load", pg_load, pg_load_at, va(9) + 0x50, 0, PF_P | PF_RSVD);
    check_pf("pf-rsvd-store-user", pg_store, pg_store_at, va(9), 1,
             PF_P | PF_RSVD | PF_W | PF_U);
    CHECK_EQ_NAMED("pf-rsvd/no-a", pt[9] & A, 0);
    volatile uint64_t *pml4 = (volatile uint64_t *)(uintptr_t)(read_cr(3) & ~0xfffull);
    pml4[1] |= 0x80;
    write_cr(3, read_cr(3));
    map(10, frame(1) | P | RW);
    check_pf("pf-rsvd-pml4-ps", pg_load, pg_load_at, va(10), 0, PF_P | PF_RSVD);
    pml4[1] &= ~0x80ull;
    write_cr(3, read_cr(3));
}

/* SMEP and SMAP: the program's own 2 MiB page becomes supervisor-only for
 * the duration (its code and stack are otherwise user pages, which SMEP and
 * SMAP would refuse to the kernel). */
static void test_smep_smap(void)
{
    volatile uint64_t *pd0 = (volatile uint64_t *)0x3000;
    uint32_t ebx;

    __asm__ volatile("cpuid" : "=b"(ebx) : "a"(7), "c"(0) : "edx");
    CHECK_EQ_NAMED("cpuid-smep", (ebx >> 7) & 1, 1);
    CHECK_EQ_NAMED("cpuid-smap", (ebx >> 20) & 1, 1);

    /* STAC/CLAC at CPL 3: #UD, whatever CR4.SMAP */
    CHECK_EQ_NAMED("stac-cpl3-ud", tern_run_user(pg_stac, 0), 6);
    CHECK_EQ_NAMED("clac-cpl3-ud", tern_run_user(pg_clac, 0), 6);

    map(11, frame(0) | P | RW | US);
    frames[0][0] = 0x77;
    pd0[0] &= ~US;
    write_cr(3, read_cr(3));
    write_cr(4, read_cr(4) | CR4_SMEP);
    check_pf("pf-smep", pg_exec, (const char *)(uintptr_t)(va(11) + 1), va(11) + 1, 0,
             PF_P | PF_I);
    CHECK_EQ_NAMED("smep/load", run(pg_load, va(11), 0), -1);
    write_cr(4, read_cr(4) & ~CR4_SMEP);
    CHECK_EQ_NAMED("smep-off/exec", run(pg_exec, va(11) + 1, 0), -1);

    write_cr(4, read_cr(4) | CR4_SMAP);
    check_pf("pf-smap-load", pg_load, pg_load_at, va(11) + 0x60, 0, PF_P);
    check_pf("pf-smap-store", pg_store, pg_store_at, va(11) + 0x68, 0, PF_P | PF_W);
    pg_val = 0;
    CHECK_EQ_NAMED("smap-stac-load", run(pg_load_stac, va(11), 0), -1);
    CHECK_EQ_NAMED("smap-stac-value", pg_val & 0xff, 0x77);
    /* after CLAC the same access faults again */
    check_pf("pf-smap-after-clac", pg_load, pg_load_at, va(11) + 0x70, 0, PF_P);
    /* SMAP does not apply to fetches (SMEP's job) */
    CHECK_EQ_NAMED("smap/exec", run(pg_exec, va(11) + 1, 0), -1);
    write_cr(4, read_cr(4) & ~CR4_SMAP);
    CHECK_EQ_NAMED("smap-off/load", run(pg_load, va(11), 0), -1);

    pd0[0] |= US;
    write_cr(3, read_cr(3));
}

/* Load va(i)'s first byte (through the TLB) */
static uint8_t peek(int i)
{
    return *(volatile uint8_t *)(uintptr_t)va(i);
}

static void test_tlb(void)
{
    frames[2][0] = 0xa2;
    frames[3][0] = 0xa3;

    /* INVLPG: a PTE changed behind the TLB is seen only after it */
    map(12, frame(2) | P | RW);
    CHECK_EQ_NAMED("tlb/fill", peek(12), 0xa2);
    pt[12] = frame(3) | P | RW;
    CHECK_EQ_NAMED("tlb/stale", peek(12), 0xa2);
    invlpg(va(12));
    CHECK_EQ_NAMED("tlb/invlpg", peek(12), 0xa3);

    /* CR3 write: flushes the non-global page, keeps the global one */
    write_cr(4, read_cr(4) | CR4_PGE);
    map(13, frame(2) | P | RW);
    map(14, frame(2) | P | RW | G);
    CHECK_EQ_NAMED("tlb/fill-nonglobal", peek(13), 0xa2);
    CHECK_EQ_NAMED("tlb/fill-global", peek(14), 0xa2);
    pt[13] = frame(3) | P | RW;
    pt[14] = frame(3) | P | RW | G;
    write_cr(3, read_cr(3));
    CHECK_EQ_NAMED("tlb/cr3-flushes-nonglobal", peek(13), 0xa3);
    CHECK_EQ_NAMED("tlb/cr3-keeps-global", peek(14), 0xa2);
    /* INVLPG flushes a global page */
    invlpg(va(14));
    CHECK_EQ_NAMED("tlb/invlpg-global", peek(14), 0xa3);
    /* so does toggling CR4.PGE */
    pt[14] = frame(2) | P | RW | G;
    write_cr(3, read_cr(3));
    CHECK_EQ_NAMED("tlb/global-again", peek(14), 0xa3);
    write_cr(4, read_cr(4) & ~CR4_PGE);
    CHECK_EQ_NAMED("tlb/pge-toggle-flushes", peek(14), 0xa2);
    /* without CR4.PGE the G bit means nothing */
    pt[14] = frame(3) | P | RW | G;
    write_cr(3, read_cr(3));
    CHECK_EQ_NAMED("tlb/g-without-pge", peek(14), 0xa3);
}

static int invpcid(uint64_t type, uint64_t pcid, uint64_t addr)
{
    pg_type = type;
    pg_desc[0] = pcid;
    pg_desc[1] = addr;
    return tern_catch_fault(pg_invpcid);
}

/* fill va(i) (reads frame 2), then point it at frame 3 behind the TLB */
static void stale(int i, uint64_t flags)
{
    map(i, frame(2) | P | RW | flags);
    peek(i);
    pt[i] = frame(3) | P | RW | flags;
}

static void test_pcid(void)
{
    uint64_t cr3 = read_cr(3), cr4 = read_cr(4);
    uint32_t ecx, ebx;

    __asm__ volatile("cpuid" : "=c"(ecx) : "a"(1) : "ebx", "edx");
    CHECK_EQ_NAMED("cpuid-pcid", (ecx >> 17) & 1, 1);
    __asm__ volatile("cpuid" : "=b"(ebx) : "a"(7), "c"(0) : "edx");
    CHECK_EQ_NAMED("cpuid-invpcid", (ebx >> 10) & 1, 1);
    if (!((ecx >> 17) & 1) || !((ebx >> 10) & 1)) {
        return;     /* a KVM host without them (QEMU's TCG nested): the rest needs both */
    }

    /* without PCIDE: INVPCID types 0/1 want PCID 0, 2/3 ignore it */
    CHECK_EQ_NAMED("invpcid-nopcide-type0", invpcid(0, 1, va(0)), 13);
    CHECK_EQ_NAMED("invpcid-nopcide-type1", invpcid(1, 1, 0), 13);
    CHECK_EQ_NAMED("invpcid-nopcide-type2", invpcid(2, 1, 0), -1);
    CHECK_EQ_NAMED("invpcid-nopcide-type0-pcid0", invpcid(0, 0, va(0)), -1);
    /* setting PCIDE with CR3[11:0] != 0 */
    write_cr(3, cr3 | 0x8);                              /* PWT */
    test_group("pcide-cr3-low-bits");
    cr_arg = cr4 | CR4_PCIDE;
    CHECK_EQ_NAMED("gp", tern_catch_fault(wr_cr4_fn), 13);
    CHECK_EQ_NAMED("unchanged", read_cr(4), cr4);
    test_group(NULL);
    write_cr(3, cr3);

    write_cr(4, cr4 | CR4_PCIDE);
    CHECK_EQ_NAMED("pcide-set", read_cr(4) & CR4_PCIDE, CR4_PCIDE);

    /* CR3 bit 63 with the same PCID keeps the TLB, and is not stored */
    stale(20, 0);
    write_cr(3, cr3 | CR3_NOFLUSH);
    CHECK_EQ_NAMED("cr3-noflush-keeps", peek(20), 0xa2);
    CHECK_EQ_NAMED("cr3-bit63-not-stored", read_cr(3), cr3);
    write_cr(3, cr3);
    CHECK_EQ_NAMED("cr3-flushes", peek(20), 0xa3);
    /* a new PCID, even with bit 63: never-used PCID 1 walks the tables */
    stale(21, 0);
    write_cr(3, cr3 | 1 | CR3_NOFLUSH);
    CHECK_EQ_NAMED("cr3-pcid1", read_cr(3), cr3 | 1);
    CHECK_EQ_NAMED("cr3-new-pcid-walks", peek(21), 0xa3);

    /* INVPCID: 0 one address, 1 the PCID's non-global, 3 all non-global,
     * 2 everything */
    write_cr(4, read_cr(4) | CR4_PGE);
    stale(22, 0);
    stale(23, 0);
    CHECK_EQ_NAMED("invpcid-type0", invpcid(0, 1, va(22)), -1);
    CHECK_EQ_NAMED("invpcid-type0-flushed", peek(22), 0xa3);
    CHECK_EQ_NAMED("invpcid-type0-only-that", peek(23), 0xa2);
    stale(22, 0);
    stale(23, G);
    CHECK_EQ_NAMED("invpcid-type1", invpcid(1, 1, 0), -1);
    CHECK_EQ_NAMED("invpcid-type1-nonglobal", peek(22), 0xa3);
    CHECK_EQ_NAMED("invpcid-type1-keeps-global", peek(23), 0xa2);
    stale(22, 0);
    CHECK_EQ_NAMED("invpcid-type3", invpcid(3, 0, 0), -1);
    CHECK_EQ_NAMED("invpcid-type3-nonglobal", peek(22), 0xa3);
    CHECK_EQ_NAMED("invpcid-type3-keeps-global", peek(23), 0xa2);
    CHECK_EQ_NAMED("invpcid-type2", invpcid(2, 0, 0), -1);
    CHECK_EQ_NAMED("invpcid-type2-global", peek(23), 0xa3);
    write_cr(4, read_cr(4) & ~CR4_PGE);

    /* #GP(0): type > 3, descriptor bits 63:12, non-canonical type 0 */
    CHECK_EQ_NAMED("invpcid-type4", invpcid(4, 0, 0), 13);
    CHECK_EQ_NAMED("invpcid-type4/error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("invpcid-type-high", invpcid(1ull << 32, 0, 0), 13);
    CHECK_EQ_NAMED("invpcid-rsvd", invpcid(2, 0x1000, 0), 13);
    /* not canonical at 48 or 57 bits (INVPCID checks the CPU's widest) */
    CHECK_EQ_NAMED("invpcid-noncanonical", invpcid(0, 1, 0x0100000000000000ull), 13);
    CHECK_EQ_NAMED("invpcid-noncanonical-type1", invpcid(1, 1, 0x0100000000000000ull), -1);
    pg_type = 2;
    CHECK_EQ_NAMED("invpcid-cpl3", tern_run_user(pg_invpcid, 0), 13);

    write_cr(3, cr3);                                    /* PCID 0 */
    write_cr(4, read_cr(4) & ~CR4_PCIDE);
    CHECK_EQ_NAMED("pcide-cleared", read_cr(4), cr4);
}

int main(void)
{
    volatile uint64_t *pml4;

    tern_sys_install();
    pml4 = (volatile uint64_t *)(uintptr_t)(read_cr(3) & ~0xfffull);
    pdpt[0] = (uint64_t)(uintptr_t)pd | P | RW | US;
    pd[0] = (uint64_t)(uintptr_t)pt | P | RW | US;
    pml4[1] = (uint64_t)(uintptr_t)pdpt | P | RW | US;
    write_cr(3, read_cr(3));

    test_accessed_dirty();
    test_faults();
    test_smep_smap();
    test_tlb();
    test_pcid();
    test_done();
}
#else
int main(void)
{
    test_skip("page tables need ring 0");
}
#endif
