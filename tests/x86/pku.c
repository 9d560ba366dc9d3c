// tern-nested: allow wd/user-store-ro/error-code QEMU 7.2 TCG (the nested CPU) sets the PK bit for a store to a read-only page
/*
 * pku.c: protection keys for user pages (CPUID.7.ECX PKU, CR4.PKE).
 *   - RDPKRU/WRPKRU: #UD without CR4.PKE, #GP(0) for ECX != 0 (WRPKRU: or
 *     EDX != 0), EDX = 0 after RDPKRU, usable at CPL 3; CPUID OSPKE
 *     follows CR4.PKE;
 *   - a user page with key 5 (PTE bits 62:59): PKRU.AD refuses user and
 *     supervisor loads and stores, not fetches; PKRU.WD refuses user
 *     stores, and supervisor stores only with CR0.WP; the #PF error code
 *     has PK (bit 5); WRPKRU takes effect on the next access (no stale
 *     TLB entry); without CR4.PKE keys are ignored.
 * Native build: only the RDPKRU/WRPKRU round trip, if the host has OSPKE.
 */
#include "tern.h"

#define KEY 5
#define AD(k) (1u << (2 * (k)))
#define WD(k) (2u << (2 * (k)))

/* rdpkru/wrpkru with ECX, EDX, EAX from pk_ecx, pk_edx, pk_eax; the
 * result of rdpkru in pk_eax, pk_edx */
uint64_t pk_ecx, pk_edx, pk_eax;
FAULT_FN(pk_rd, "mov pk_ecx(%rip), %rcx\n\tmov $-1, %rdx\n\trdpkru\n\t"
                "mov %rax, pk_eax(%rip)\n\tmov %rdx, pk_edx(%rip)");
FAULT_FN(pk_wr, "mov pk_ecx(%rip), %rcx\n\tmov pk_edx(%rip), %rdx\n\t"
                "mov pk_eax(%rip), %rax\n\twrpkru");

static uint32_t cpuid7_ecx(void)
{
    uint32_t a = 7, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return c;
}

static uint32_t rdpkru(void)
{
    pk_ecx = 0;
    CHECK_EQ_NAMED("rdpkru", tern_catch_fault(pk_rd), -1);
    return (uint32_t)pk_eax;
}

static void wrpkru(uint32_t v)
{
    pk_ecx = pk_edx = 0;
    pk_eax = v;
    CHECK_EQ_NAMED("wrpkru", tern_catch_fault(pk_wr), -1);
}

#ifdef TERN_NATIVE
int main(void)
{
    if (!(cpuid7_ecx() & (1u << 4))) {
        test_skip("host without OSPKE");
    }
    uint32_t old = rdpkru();
    wrpkru(old ^ WD(15));
    CHECK_EQ_NAMED("round-trip", rdpkru(), old ^ WD(15));
    CHECK_EQ_NAMED("rdpkru-edx", pk_edx, 0);
    wrpkru(old);
    CHECK_EQ_NAMED("restored", rdpkru(), old);
    test_done();
}
#else
#define PG_BASE 0x8000000000ull          /* PML4[1] */
#define P   0x1ull
#define RW  0x2ull
#define US  0x4ull

static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t frame[4096] __attribute__((aligned(4096)));

uint64_t pg_addr;
FAULT_FN(pg_load, "mov pg_addr(%rip), %rax\n\tmov (%rax), %rax");
FAULT_FN(pg_store, "mov pg_addr(%rip), %rax\n\tmovq $0x5a, (%rax)");
FAULT_FN(pg_exec, "mov pg_addr(%rip), %rax\n\tcall *%rax");

/* fn on PG_BASE at CPL 0 (user: 3): vector; for #PF also the error code and CR2 */
static void check(const char *name, void (*fn)(void), int user, int vector, uint64_t err)
{
    test_group(name);
    pg_addr = PG_BASE;
    CHECK_EQ_NAMED("vector", user ? tern_run_user(fn, 0) : tern_catch_fault(fn), vector);
    if (vector == 14) {
        CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, err);
        CHECK_EQ_NAMED("cr2", read_cr(2), PG_BASE);
    }
    test_group(NULL);
}

static void test_insns(void)
{
    CHECK_EQ_NAMED("cpuid-pku", (cpuid7_ecx() >> 3) & 1, 1);
    CHECK_EQ_NAMED("cpuid-ospke-off", (cpuid7_ecx() >> 4) & 1, 0);
    pk_ecx = pk_edx = 0;
    CHECK_EQ_NAMED("rdpkru-nopke-ud", tern_catch_fault(pk_rd), 6);
    CHECK_EQ_NAMED("wrpkru-nopke-ud", tern_catch_fault(pk_wr), 6);
    pk_ecx = 1;                                 /* #UD comes first */
    CHECK_EQ_NAMED("rdpkru-nopke-ecx-ud", tern_catch_fault(pk_rd), 6);

    write_cr(4, read_cr(4) | CR4_PKE);
    CHECK_EQ_NAMED("cr4-pke", read_cr(4) & CR4_PKE, CR4_PKE);
    CHECK_EQ_NAMED("cpuid-ospke-on", (cpuid7_ecx() >> 4) & 1, 1);
    CHECK_EQ_NAMED("pkru-reset", rdpkru(), 0);
    CHECK_EQ_NAMED("rdpkru-edx", pk_edx, 0);
    pk_ecx = 1;
    CHECK_EQ_NAMED("rdpkru-ecx-gp", tern_catch_fault(pk_rd), 13);
    CHECK_EQ_NAMED("rdpkru-ecx-gp-code", tern_last_fault.error_code, 0);
    pk_ecx = 1, pk_edx = 0, pk_eax = 0;
    CHECK_EQ_NAMED("wrpkru-ecx-gp", tern_catch_fault(pk_wr), 13);
    pk_ecx = 0, pk_edx = 1;
    CHECK_EQ_NAMED("wrpkru-edx-gp", tern_catch_fault(pk_wr), 13);
    CHECK_EQ_NAMED("wrpkru-gp-unchanged", rdpkru(), 0);

    /* any CPL */
    pk_ecx = pk_edx = 0, pk_eax = WD(15);
    CHECK_EQ_NAMED("wrpkru-cpl3", tern_run_user(pk_wr, 0), -1);
    pk_eax = 0;
    CHECK_EQ_NAMED("rdpkru-cpl3", tern_run_user(pk_rd, 0), -1);
    CHECK_EQ_NAMED("rdpkru-cpl3-value", pk_eax, WD(15));
    wrpkru(0);
}

static void test_keys(void)
{
    pt[0] = (uint64_t)(uintptr_t)frame | P | RW | US | ((uint64_t)KEY << 59);
    __asm__ volatile("invlpg (%0)" : : "r"(PG_BASE) : "memory");

    check("none/user-store", pg_store, 1, -1, 0);     /* fills the TLB */
    wrpkru(AD(KEY));                                  /* ... which WRPKRU flushes */
    check("ad/user-load", pg_load, 1, 14, PF_P | PF_U | PF_PK);
    check("ad/user-store", pg_store, 1, 14, PF_P | PF_W | PF_U | PF_PK);
    check("ad/sup-load", pg_load, 0, 14, PF_P | PF_PK);
    check("ad/sup-store", pg_store, 0, 14, PF_P | PF_W | PF_PK);
    frame[0] = 0xc3;                            /* ret (through the key-0 alias) */
    check("ad/user-exec", pg_exec, 1, -1, 0);
    wrpkru(AD(KEY ^ 1) | WD(KEY ^ 1));                /* another key: no effect */
    check("other-key/user-store", pg_store, 1, -1, 0);

    wrpkru(WD(KEY));
    check("wd/user-load", pg_load, 1, -1, 0);
    check("wd/user-store", pg_store, 1, 14, PF_P | PF_W | PF_U | PF_PK);
    check("wd/sup-store-wp", pg_store, 0, 14, PF_P | PF_W | PF_PK);
    write_cr(0, read_cr(0) & ~CR0_WP);
    check("wd/sup-store-nowp", pg_store, 0, -1, 0);
    write_cr(0, read_cr(0) | CR0_WP);
    /* a read-only page: the ordinary fault, without PK */
    pt[0] &= ~RW;
    __asm__ volatile("invlpg (%0)" : : "r"(PG_BASE) : "memory");
    check("wd/user-store-ro", pg_store, 1, 14, PF_P | PF_W | PF_U);
    pt[0] |= RW;
    __asm__ volatile("invlpg (%0)" : : "r"(PG_BASE) : "memory");

    /* a supervisor page is not keyed */
    wrpkru(AD(KEY));
    pt[0] &= ~US;
    __asm__ volatile("invlpg (%0)" : : "r"(PG_BASE) : "memory");
    check("sup-page/sup-store", pg_store, 0, -1, 0);
    pt[0] |= US;
    __asm__ volatile("invlpg (%0)" : : "r"(PG_BASE) : "memory");

    /* CR4.PKE off: keys ignored (the CR4 write flushes the TLB) */
    check("ad/user-load-again", pg_load, 1, 14, PF_P | PF_U | PF_PK);
    write_cr(4, read_cr(4) & ~CR4_PKE);
    check("nopke/user-load", pg_load, 1, -1, 0);
    write_cr(4, read_cr(4) | CR4_PKE);
    CHECK_EQ_NAMED("nopke/pkru-kept", rdpkru(), AD(KEY));
    wrpkru(0);
}

int main(void)
{
    volatile uint64_t *pml4;

    tern_sys_install();
    __asm__ volatile("mov %%cr3, %0" : "=r"(pml4));
    pml4 = (volatile uint64_t *)((uintptr_t)pml4 & ~0xfffull);
    pdpt[0] = (uint64_t)(uintptr_t)pd | P | RW | US;
    pd[0] = (uint64_t)(uintptr_t)pt | P | RW | US;
    pml4[1] = (uint64_t)(uintptr_t)pdpt | P | RW | US;
    __asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" : : : "rax", "memory");

    test_insns();
    test_keys();
    test_done();
}
#endif
