// tern-nested: allow pae-nx/xd-rsvd-without-nxe QEMU 7.2 TCG (the nested CPU) reports reserved-bit page faults without the P bit
// tern-nested: allow pdpte/* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: PDPTEs are not loaded (or checked) at MOV CR3
// tern-nested: allow la57-cpuid/lstar-noncanonical57-gp QEMU 7.2 TCG (the nested CPU) does not #GP on a non-canonical LSTAR
/*
 * paging32.c: the paging modes a 32-bit kernel sets up itself (runtime32
 * enters with paging off; docs/cpu.md, "Paging and the TLB"):
 *   - 32-bit paging (CR4.PAE = 0): 4K pages and, with CR4.PSE, 4M pages;
 *     a load sets A, a store A and D, in the PTE or the 4M PDE (a PDE
 *     that points to a page table gets A only); #PF error codes P, W, U,
 *     and no I/D bit for a fetch (it needs PAE with EFER.NXE, or SMEP;
 *     SDM vol. 3 4.7); CR2 exact; CR0.WP at CPL 0, U/S at CPL 3;
 *   - PAE paging (CR4.PAE = 1 outside long mode): 2M pages, A/D; the four
 *     PDPTEs are loaded by MOV CR3 (a PDPTE changed in memory is not seen
 *     until the next load), and a present one with reserved bits makes the
 *     MOV CR3, or the MOV CR0 that turns paging on, #GP(0) (4.4.1);
 *     EFER.NXE: an XD page's fetch is #PF with I/D, a not-present fetch
 *     too, and without NXE bit 63 is reserved (RSVD);
 *   - 5-level paging: CPUID.7.0:ECX.LA57 and 57 linear-address bits in
 *     0x80000008; WRMSR takes 57-bit canonical addresses even with
 *     CR4.LA57 = 0 (Intel's 5-level paging white paper); long mode
 *     entered from here with CR4.LA57 (la57_run, 64-bit assembly below):
 *     an address canonical at 57 bits but not 48
 *     works, one that differs from a mapped address only in bits 48-56 is
 *     its own page (#PF, full CR2), one not canonical at 57 bits is #GP(0)
 *     as data or as a jump target, code runs at a 57-bit address, and
 *     CR4.LA57 cannot change in long mode (#GP(0)).
 * Guest only (32-bit, ring 0).
 */
#include "tern.h"

#define P    0x1u
#define RW   0x2u
#define US   0x4u
#define A    0x20u
#define D    0x40u
#define PS   0x80u
#define XD   (1ull << 63)

#define SEL_CODE64 (TERN_GDT_FREE * 8)      /* la57_run's ljmp $0x38 */
_Static_assert(SEL_CODE64 == 0x38, "la57_run's 64-bit selector");

#define V4K  0x400000u                  /* the 4K pages (both modes) */
#define V4M  0x800000u                  /* 32-bit paging: a 4M alias of 0-4M */
#define V2M  0x600000u                  /* PAE: a 2M alias of 0-2M */
#define VPDP1 0x40000000u               /* PAE: PDPTE 1, a 2M alias of 0-2M */

/* volatile: the CPU sets their A and D bits */
static volatile uint32_t pd32[1024] __attribute__((aligned(4096)));
static volatile uint32_t pt32[1024] __attribute__((aligned(4096)));
static volatile uint64_t pdpt[4] __attribute__((aligned(32)));
static volatile uint64_t pdpt_bad[4] __attribute__((aligned(32)));
static volatile uint64_t pae_pd[512] __attribute__((aligned(4096)));
static volatile uint64_t pae_pd1[512] __attribute__((aligned(4096)));
static volatile uint64_t pae_pt[512] __attribute__((aligned(4096)));
static uint8_t frames[4][4096] __attribute__((aligned(4096)));

/* Read through an alias; scratch takes writes through one. */
volatile uint32_t magic = 0x5eed1234u;
static volatile uint32_t scratch;

/* The address the FAULT_FNs access, and what a load gave. */
uint32_t pg_addr, pg_val, cr_arg;
FAULT_FN_AT(pg_load, "mov pg_addr, %eax", "mov (%eax), %eax", "mov %eax, pg_val");
FAULT_FN_AT(pg_store, "mov pg_addr, %eax", "movl $0x5a, (%eax)", "");
FAULT_FN_AT(pg_exec, "mov pg_addr, %eax", "call *%eax", "");
FAULT_FN(wr_cr0_fn, "mov cr_arg, %eax\n\tmov %eax, %cr0");
FAULT_FN(wr_cr3_fn, "mov cr_arg, %eax\n\tmov %eax, %cr3");
uint64_t msr_arg;
FAULT_FN(wr_lstar_fn, "mov $0xc0000082, %ecx\n\tmov msr_arg, %eax\n\tmov msr_arg + 4, %edx\n\twrmsr");

static uint32_t va(const volatile void *p)
{
    return (uint32_t)(uintptr_t)p;
}

/* Expect a #PF at pg_addr + the fault function's access: error and CR2. */
static void check_pf(const char *name, void (*fn)(void), uint32_t addr, uint32_t err)
{
    pg_addr = addr;
    CHECK_EQ_NAMED(name, tern_catch_fault(fn), 14);
    CHECK_EQ_NAMED(name, tern_last_fault.error_code, err);
    CHECK_EQ_NAMED(name, read_cr(2), addr);
}

static void check_pf_user(const char *name, void (*fn)(void), uint32_t addr, uint32_t err)
{
    pg_addr = addr;
    CHECK_EQ_NAMED(name, tern_run_user(fn, 0), 14);
    CHECK_EQ_NAMED(name, tern_last_fault.error_code, err);
    CHECK_EQ_NAMED(name, read_cr(2), addr);
}

/* Turn paging on with these tables and CR4 (PSE, PAE, ...), CR0.WP set. */
static void paging_on(uint32_t cr3, uint32_t cr4)
{
    write_cr(3, cr3);
    write_cr(4, cr4);
    write_cr(0, read_cr(0) | CR0_PG | CR0_WP);
}

static void paging_off(void)
{
    write_cr(0, read_cr(0) & ~CR0_PG);
    write_cr(4, 0);
}

/* ---- 32-bit paging -------------------------------------------------------- */

static void test_paging32(void)
{
    pd32[0] = 0 | P | RW | US | PS;                       /* 0-4M: the program */
    pd32[1] = va(pt32) | P | RW | US;                     /* V4K */
    pd32[2] = 0 | P | RW | PS;                            /* V4M: alias of 0-4M */
    pt32[0] = va(frames[0]) | P | RW | US;
    pt32[1] = 0;                                          /* not present */
    pt32[2] = va(frames[1]) | P;                          /* read-only, supervisor */
    pt32[3] = va(frames[2]) | P | US;                     /* read-only, user */
    pt32[4] = va(frames[3]) | P | RW;                     /* supervisor */
    paging_on(va(pd32), CR4_PSE);

    test_group("pse32");
    CHECK_EQ_NAMED("alias-read", *(volatile uint32_t *)(V4M + va(&magic)), 0x5eed1234u);
    CHECK_EQ_NAMED("read-a", pd32[2] & (A | D), A);
    *(volatile uint32_t *)(V4M + va(&scratch)) = 77;
    CHECK_EQ_NAMED("write-d", pd32[2] & (A | D), A | D);
    CHECK_EQ_NAMED("alias-write", scratch, 77);

    test_group("ad32");
    CHECK_EQ_NAMED("clear", (pd32[1] | pt32[0]) & (A | D), 0);
    pg_addr = V4K;
    CHECK_EQ_NAMED("load", tern_catch_fault(pg_load), -1);
    CHECK_EQ_NAMED("load-pte", pt32[0] & (A | D), A);
    CHECK_EQ_NAMED("load-pde", pd32[1] & (A | D), A);
    CHECK_EQ_NAMED("store", tern_catch_fault(pg_store), -1);
    CHECK_EQ_NAMED("store-pte", pt32[0] & (A | D), A | D);
    CHECK_EQ_NAMED("store-pde", pd32[1] & (A | D), A);

    test_group("pf32");
    check_pf("np-read", pg_load, V4K + 0x1123, 0);
    check_pf("np-write", pg_store, V4K + 0x1ffc, PF_W);
    check_pf("np-fetch-no-id", pg_exec, V4K + 0x1000, 0);
    CHECK_EQ_NAMED("np-fetch-eip", tern_last_fault.rip, V4K + 0x1000);
    check_pf("wp-write", pg_store, V4K + 0x2010, PF_P | PF_W);
    CHECK_EQ_NAMED("wp-write-no-ad", pt32[2] & (A | D), 0);
    write_cr(0, read_cr(0) & ~CR0_WP);
    pg_addr = V4K + 0x2010;
    CHECK_EQ_NAMED("wp0-write", tern_catch_fault(pg_store), -1);
    CHECK_EQ_NAMED("wp0-write-d", pt32[2] & (A | D), A | D);
    write_cr(0, read_cr(0) | CR0_WP);
    check_pf_user("user-read-super", pg_load, V4K + 0x4008, PF_P | PF_U);
    check_pf_user("user-write-ro", pg_store, V4K + 0x3008, PF_P | PF_W | PF_U);
    check_pf_user("user-np", pg_load, V4K + 0x1000, PF_U);
    pg_addr = V4K + 0x3008;
    CHECK_EQ_NAMED("user-read", tern_run_user(pg_load, 0), -1);
    paging_off();
}

/* ---- PAE paging ----------------------------------------------------------- */

static void test_pae(void)
{
    pdpt[0] = va(pae_pd) | P;
    pae_pd[0] = 0 | P | RW | US | PS;                     /* 0-2M: the program */
    pae_pd[1] = 0x200000 | P | RW | US | PS;
    pae_pd[2] = va(pae_pt) | P | RW | US;                 /* V4K */
    pae_pd[3] = 0 | P | RW | PS;                          /* V2M: alias of 0-2M */
    pae_pd1[0] = 0 | P | RW | PS;                         /* VPDP1: alias of 0-2M */
    pae_pt[0] = va(frames[0]) | P | RW;
    pae_pt[1] = va(frames[1]) | P | RW | XD;
    pae_pt[2] = 0;                                        /* not present */
    frames[1][0] = 0xc3;                                  /* ret */
    paging_on(va(pdpt), CR4_PAE);

    test_group("pae");
    CHECK_EQ_NAMED("alias-2m", *(volatile uint32_t *)(V2M + va(&magic)), 0x5eed1234u);
    CHECK_EQ_NAMED("read-a", pae_pd[3] & (A | D), A);
    *(volatile uint32_t *)(V2M + va(&scratch)) = 99;
    CHECK_EQ_NAMED("write-d", pae_pd[3] & (A | D), A | D);
    CHECK_EQ_NAMED("alias-write", scratch, 99);
    pg_addr = V4K;
    CHECK_EQ_NAMED("store-4k", tern_catch_fault(pg_store), -1);
    CHECK_EQ_NAMED("store-4k-ad", pae_pt[0] & (A | D), A | D);
    CHECK_EQ_NAMED("store-4k-pde", pae_pd[2] & (A | D), A);

    test_group("pae-nx");
    check_pf("xd-rsvd-without-nxe", pg_load, V4K + 0x1004, PF_P | PF_RSVD);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    pg_addr = V4K + 0x1000;
    CHECK_EQ_NAMED("xd-read", tern_catch_fault(pg_load), -1);
    check_pf("xd-fetch", pg_exec, V4K + 0x1000, PF_P | PF_I);
    check_pf("np-fetch", pg_exec, V4K + 0x2000, PF_I);
    check_pf("np-read", pg_load, V4K + 0x2000, 0);
    pae_pt[1] &= ~XD;
    __asm__ volatile("invlpg (%0)" : : "r"(V4K + 0x1000) : "memory");
    pg_addr = V4K + 0x1000;
    CHECK_EQ_NAMED("exec", tern_catch_fault(pg_exec), -1);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(uint64_t)EFER_NXE);

    test_group("pdpte");
    /* The PDPTE registers, not memory: a new PDPTE counts from MOV CR3 on. */
    pdpt[1] = va(pae_pd1) | P;
    check_pf("stale-pdpte", pg_load, VPDP1 + va(&magic), 0);
    write_cr(3, va(pdpt));
    pg_addr = VPDP1 + va(&magic);
    CHECK_EQ_NAMED("reloaded", tern_catch_fault(pg_load), -1);
    CHECK_EQ_NAMED("reloaded-val", pg_val, 0x5eed1234u);
    for (int i = 0; i < 4; i++) {
        pdpt_bad[i] = pdpt[i];
    }
    pdpt_bad[1] |= RW;                                    /* reserved in a PDPTE */
    cr_arg = va(pdpt_bad);
    CHECK_EQ_NAMED("rsvd-mov-cr3", tern_catch_fault(wr_cr3_fn), 13);
    CHECK_EQ_NAMED("rsvd-mov-cr3-error", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("rsvd-cr3-kept", read_cr(3), va(pdpt));
    pdpt_bad[1] = va(pae_pd1);                            /* not present: anything goes */
    pdpt_bad[1] |= RW;
    CHECK_EQ_NAMED("np-pdpte-rsvd-ok", tern_catch_fault(wr_cr3_fn), -1);
    write_cr(3, va(pdpt));
    write_cr(0, read_cr(0) & ~CR0_PG);
    pdpt_bad[1] |= P;
    write_cr(3, va(pdpt_bad));                               /* paging off: not loaded */
    cr_arg = read_cr(0) | CR0_PG;
    CHECK_EQ_NAMED("rsvd-mov-cr0", tern_catch_fault(wr_cr0_fn), 13);
    CHECK_EQ_NAMED("rsvd-pg-still-off", read_cr(0) & CR0_PG, 0);
    write_cr(3, va(pdpt));
    paging_off();
}

/* ---- 5-level paging ------------------------------------------------------- */

static volatile uint64_t pml5[512] __attribute__((aligned(4096)));
static volatile uint64_t pml4[512] __attribute__((aligned(4096)));
static volatile uint64_t pdpt5[512] __attribute__((aligned(4096)));
static volatile uint64_t pd5[512] __attribute__((aligned(4096)));
/* 64-bit interrupt gates for #GP and #PF (16 bytes each) */
uint64_t idt64[2 * 15] __attribute__((aligned(16)));

/* What la57_run saw: each probe's fault (vector, error code, CR2; vector
 * -1 if none), the value read at the 57-bit alias, the rip code ran at
 * there, CR4.  Probes 0 and 3 should not fault, the others should. */
struct lm_fault { uint64_t vector, error, cr2; };
struct lm_fault lm_rec[6];
uint64_t lm_alias_val, lm_high_rip, lm_cr4;
uint32_t lm_esp, lm_slot, lm_resume, lm_idt32[2];
void la57_run(void);
void lm_gp(void), lm_pf(void);

/*
 * la57_run (32-bit C calling convention): long mode with the tables and
 * CR4 already set (CR3 = pml5, CR4 = PAE | LA57); back in 32-bit
 * protected mode, paging off, on return.  A probe sets lm_slot (where its
 * fault goes) and lm_resume (where to go on after a fault); the handlers
 * record and resume on lm_esp's stack.  Only RIP-relative and 32-bit
 * absolute addresses here: the object is ELF32.
 */
__asm__(
    ".text\n.code32\n.globl la57_run\nla57_run:\n\t"
    "push %ebp\n\tpush %ebx\n\tpush %esi\n\tpush %edi\n\t"
    "mov %esp, lm_esp\n\tsidt lm_idt32\n\t"
    "mov $0xc0000080, %ecx\n\trdmsr\n\tor $0x100, %eax\n\twrmsr\n\t"   /* EFER.LME */
    "mov %cr0, %eax\n\tor $0x80000000, %eax\n\tmov %eax, %cr0\n\t"     /* LMA: compat mode */
    "ljmp $" "0x38" ", $1f\n"
    ".code64\n1:\n\t"
    "lidt lm_idt64(%rip)\n"
    ".macro PROBE slot\n\t"
    "movl $(lm_rec + \\slot * 24), lm_slot(%rip)\n\t"
    "movl $9f, lm_resume(%rip)\n"
    ".endm\n\t"
    /* a 57-bit address (PML5 index 0x100): the alias of low memory */
    "movabs $0xff00000000000000, %rbx\n\t"
    "PROBE 0\n\tmov $magic, %eax\n\tmov (%rbx,%rax), %eax\n\tmov %rax, lm_alias_val(%rip)\n9:\n\t"
    /* bits 48-56 only differ from a mapped (and just used) address: #PF */
    "PROBE 1\n\tmov $magic, %eax\n\tmov (%rax), %edx\n\t"
    "bts $48, %rax\n\tmov (%rax), %edx\n9:\n\t"
    /* bit 56 set, 63:57 clear: not canonical at 57 bits, #GP(0) */
    "PROBE 2\n\tmovabs $0x0100000000000000, %rax\n\tmov (%rax), %edx\n9:\n\t"
    /* run at the 57-bit alias of label 2, come back low */
    "PROBE 3\n\tmov $2f, %eax\n\tadd %rbx, %rax\n\tjmp *%rax\n"
    "2:\n\tlea 0(%rip), %rax\n\tmov %rax, lm_high_rip(%rip)\n\t"
    "mov $9f, %eax\n\tjmp *%rax\n9:\n\t"
    /* a jump to an address not canonical at 57 bits: #GP(0) at the jump */
    "PROBE 4\n\tmovabs $0x0100000000000000, %rax\n\tjmp *%rax\n9:\n\t"
    /* clearing CR4.LA57 in long mode: #GP(0) */
    "PROBE 5\n\tmov %cr4, %rax\n\tbtr $12, %rax\n\tmov %rax, %cr4\n9:\n\t"
    "mov %cr4, %rax\n\tmov %rax, lm_cr4(%rip)\n\t"
    /* back to 32-bit code (compatibility mode), then leave long mode */
    "pushq $0x08\n\tmov $4f, %eax\n\tpush %rax\n\tlretq\n"
    ".code32\n4:\n\t"
    "mov %cr0, %eax\n\tand $0x7fffffff, %eax\n\tmov %eax, %cr0\n\t"
    "mov $0xc0000080, %ecx\n\trdmsr\n\tand $~0x100, %eax\n\twrmsr\n\t"
    "xor %eax, %eax\n\tmov %eax, %cr4\n\t"
    "lidt lm_idt32\n\t"
    "pop %edi\n\tpop %esi\n\tpop %ebx\n\tpop %ebp\n\tret\n"
    /* the handlers: record into lm_slot, resume at lm_resume */
    ".code64\n"
    ".globl lm_gp, lm_pf\n"
    "lm_gp:\n\tpushq $13\n\tjmp 5f\n"
    "lm_pf:\n\tpushq $14\n"
    "5:\n\tmov lm_slot(%rip), %edi\n\tpopq (%rdi)\n\tpopq 8(%rdi)\n\t"
    "mov %cr2, %rax\n\tmov %rax, 16(%rdi)\n\t"
    "mov lm_esp(%rip), %esp\n\tmov lm_resume(%rip), %eax\n\tjmp *%rax\n"
    ".code32\n"
    ".data\n.balign 8\nlm_idt64:\n\t.word 15 * 16 - 1\n\t.long idt64, 0\n.text\n");

static void set_gate64(int vector, void (*handler)(void))
{
    idt64[2 * vector] = tern_gate_desc(SEL_CODE64, va(handler), 0x8e, 0);
    idt64[2 * vector + 1] = 0;
}

static void test_la57(void)
{
    uint32_t r[4];

    test_group("la57-cpuid");
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(7), "c"(0));
    CHECK_EQ_NAMED("la57", (r[2] >> 16) & 1, 1);
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(0x80000008u), "c"(0));
    CHECK_EQ_NAMED("linear-bits", (r[0] >> 8) & 0xff, 57);
    /* MSRs take addresses canonical at 57 bits whatever CR4.LA57 */
    msr_arg = 0x0000800000000000ull;
    CHECK_EQ_NAMED("lstar-57bit", tern_catch_fault(wr_lstar_fn), -1);
    CHECK_EQ_NAMED("lstar-57bit-value", rdmsr(0xc0000082u), msr_arg);
    msr_arg = 0x0100000000000000ull;
    CHECK_EQ_NAMED("lstar-noncanonical57-gp", tern_catch_fault(wr_lstar_fn), 13);
    wrmsr(0xc0000082u, 0);

    tern_gdt[TERN_GDT_FREE] = 0x00af9b000000ffffull;    /* code64, DPL 0 */
    tern_gdt_load();
    set_gate64(13, lm_gp);
    set_gate64(14, lm_pf);
    pml5[0] = va(pml4) | P | RW;
    pml5[0x100] = va(pml4) | P | RW;                     /* 0xff00_0000_0000_0000 */
    pml4[0] = va(pdpt5) | P | RW;
    pdpt5[0] = va(pd5) | P | RW;
    pd5[0] = 0 | P | RW | PS;                            /* 0-4M: 2M pages */
    pd5[1] = 0x200000 | P | RW | PS;
    for (int i = 0; i < 6; i++) {
        lm_rec[i].vector = (uint64_t)-1;
    }

    test_group("la57-cr4");
    write_cr(3, va(pml5));
    write_cr(4, CR4_PAE | CR4_LA57);                        /* outside long mode: allowed */
    CHECK_EQ_NAMED("set-outside-long-mode", read_cr(4), CR4_PAE | CR4_LA57);
    la57_run();
    CHECK_EQ_NAMED("long-mode", lm_cr4 & (CR4_PAE | CR4_LA57), CR4_PAE | CR4_LA57);
    CHECK_EQ_NAMED("clear-in-long-mode-gp", lm_rec[5].vector, 13);
    CHECK_EQ_NAMED("clear-in-long-mode-error", lm_rec[5].error, 0);
    CHECK_EQ_NAMED("back-in-32bit", read_cr(0) & CR0_PG, 0);
    CHECK_EQ_NAMED("lme-off", rdmsr(MSR_EFER) & EFER_LME, 0);

    test_group("la57");
    CHECK_EQ_NAMED("alias-57bit-no-fault", lm_rec[0].vector, (uint64_t)-1);
    CHECK_EQ_NAMED("alias-57bit", lm_alias_val, 0x5eed1234u);
    CHECK_EQ_NAMED("bit48-pf", lm_rec[1].vector, 14);
    CHECK_EQ_NAMED("bit48-error", lm_rec[1].error, 0);
    CHECK_EQ_NAMED("bit48-cr2", lm_rec[1].cr2, (1ull << 48) | va(&magic));
    CHECK_EQ_NAMED("noncanonical57-gp", lm_rec[2].vector, 13);
    CHECK_EQ_NAMED("noncanonical57-error", lm_rec[2].error, 0);
    CHECK_EQ_NAMED("jump-57bit-no-fault", lm_rec[3].vector, (uint64_t)-1);
    CHECK_EQ_NAMED("high-rip", lm_high_rip >> 56, 0xff);
    CHECK_EQ_NAMED("jump-noncanonical57-gp", lm_rec[4].vector, 13);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    test_paging32();
    test_pae();
    test_la57();
    test_done();
}
