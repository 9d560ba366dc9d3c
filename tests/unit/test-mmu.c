/*
 * test-mmu.c: the x86 page walker (target-x86/mmu.c) against page tables
 * built in a plain buffer: 4K/2M/1G (and 32-bit 4M) pages, the exact #PF
 * error codes for not-present, U/S, R/W (CR0.WP), NX and reserved bits,
 * accessed/dirty updates, canonical checks, and the side-effect-free walk
 * (also through the memory API: x86_cpu_get_phys_page_debug).  The TLB fill
 * walks the same tables through the memory API: in RAM (host pointers,
 * atomic A/D updates, with and without the view cache), in ROM (A/D writes
 * dropped) and in device memory (entries through the device's callbacks).
 */
#include "util/osdep.h"
#include "exec/memory.h"
#include "target-x86/internal.h"
#include "accel/tcg/internal.h"
#include "test.h"
#include "test-ram.h"

TEST_GLOBALS;

#define RAM_SIZE (4u << 20)

#define P   (1ull << 0)
#define RW  (1ull << 1)
#define US  (1ull << 2)
#define A   (1ull << 5)
#define D   (1ull << 6)
#define PS  (1ull << 7)
#define G   (1ull << 8)
#define XD  (1ull << 63)

/* page-aligned like guest RAM, so the fill path's host-pointer atomics apply */
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static unsigned ram_writes;
static CPUX86State env;

static uint64_t ram_ld(void *opaque, uint64_t paddr, unsigned size)
{
    uint64_t v = 0;
    if (paddr + size > RAM_SIZE) {
        return ~0ull;
    }
    memcpy(&v, ram + paddr, size);
    return v;
}

static void ram_st(void *opaque, uint64_t paddr, uint64_t val, unsigned size)
{
    assert(paddr + size <= RAM_SIZE);
    memcpy(ram + paddr, &val, size);
    ram_writes++;
}

static const X86PTEAccess ram_access = { ram_ld, ram_st, NULL };
static const X86PTEAccess ram_access_ro = { ram_ld, NULL, NULL };

static uint64_t q(uint64_t paddr)
{
    return ram_ld(NULL, paddr, 8);
}

static void setq(uint64_t paddr, uint64_t val)
{
    memcpy(ram + paddr, &val, 8);
}

static void setl(uint64_t paddr, uint32_t val)
{
    memcpy(ram + paddr, &val, 4);
}

/*
 * Long-mode tables: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000.
 *   0x0000000000400000 (PD[2] -> PT, PT[0])  4K page -> 0x123000, user+write
 *   0x0000000000401000 (PT[1])               4K page -> 0x124000, supervisor, read-only
 *   0x0000000000402000 (PT[2])               4K page -> 0x125000, user, read-only, XD
 *   0x0000000000403000 (PT[3])               not present
 *   0x0000000000600000 (PD[3])               2M page -> 0x200000, user+write
 *   0x0000000040000000 (PDPT[1])             1G page -> 0x40000000, supervisor+write
 */
static void setup_long_mode(void)
{
    memset(ram, 0, sizeof(ram));
    memset(&env, 0, sizeof(env));
    env.cr[0] = CR0_PE_MASK | CR0_PG_MASK;
    env.cr[3] = 0x1000;
    env.cr[4] = CR4_PAE_MASK;
    env.efer = EFER_LME | EFER_LMA | EFER_NXE;
    setq(0x1000, 0x2000 | P | RW | US);
    setq(0x2000, 0x3000 | P | RW | US);
    setq(0x2008, 0x40000000 | P | RW | PS);
    setq(0x3010, 0x4000 | P | RW | US);
    setq(0x3018, 0x200000 | P | RW | US | PS);
    setq(0x4000, 0x123000 | P | RW | US);
    setq(0x4008, 0x124000 | P);
    setq(0x4010, 0x125000 | P | US | XD);
    ram_writes = 0;
}

/* Translate and return true/false; res is left in *r. */
static bool xlate(uint64_t va, int access, int mmu_idx, X86TranslateResult *r)
{
    return x86_mmu_translate(&env, &ram_access, va, access, mmu_idx, r);
}

static void test_paging_off(void)
{
    X86TranslateResult r;
    memset(&env, 0, sizeof(env));
    CHECK(xlate(0x12345678, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x12345678);
    CHECK_EQ(r.prot, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    /* outside long mode linear addresses are 32 bits */
    CHECK(xlate(0x100000010ull, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x10);
    /* MMU_PHYS_IDX is physical whatever the mode */
    CHECK(xlate(0x100000010ull, MMU_DATA_LOAD, MMU_PHYS_IDX, &r));
    CHECK_EQ(r.paddr, 0x100000010ull);
}

static void test_4k_page_and_accessed_dirty(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(xlate(0x400abc, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.paddr, 0x123abc);
    CHECK_EQ(r.page_size, 4096);
    /* clean page: no write right yet, so the first write comes back */
    CHECK_EQ(r.prot, PAGE_READ | PAGE_EXEC);
    CHECK_EQ(q(0x1000) & (A | D), A);
    CHECK_EQ(q(0x2000) & (A | D), A);
    CHECK_EQ(q(0x3010) & (A | D), A);
    CHECK_EQ(q(0x4000) & (A | D), A);
    CHECK(xlate(0x400abc, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(q(0x4000) & (A | D), A | D);
    CHECK_EQ(r.prot, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    /* non-leaf entries never get D */
    CHECK_EQ(q(0x3010) & D, 0);
}

static void test_2m_page(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(xlate(0x7fedcb, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(r.paddr, 0x3fedcb);
    CHECK_EQ(r.page_size, 2u << 20);
    CHECK_EQ(q(0x3018) & (A | D), A | D);
}

static void test_1g_page(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(!xlate(0x47654321, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK);
    CHECK(xlate(0x47654321, MMU_INST_FETCH, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x47654321);
    CHECK_EQ(r.page_size, 1u << 30);
    CHECK_EQ(q(0x2008) & (A | D), A);
}

static void test_not_present(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(!xlate(0x403000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.exception, EXCP0E_PAGE);
    CHECK_EQ(r.error_code, 0);
    CHECK(!xlate(0x403000, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_W_MASK | PG_ERROR_U_MASK);
    /* instruction fetch with NXE and PAE reports I/D */
    CHECK(!xlate(0x403000, MMU_INST_FETCH, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_U_MASK | PG_ERROR_I_D_MASK);
    /* not present at the PML4 level */
    CHECK(!xlate(0x8000000000ull, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, 0);
}

static void test_user_supervisor(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(!xlate(0x401000, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK);
    CHECK(!xlate(0x401000, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK | PG_ERROR_U_MASK);
    /* a refused access sets no A bit on the leaf */
    CHECK_EQ(q(0x4008) & A, 0);
    CHECK(xlate(0x401000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x124000);
    /* U/S is the AND over all levels: clear it in the PDE */
    setq(0x3010, 0x4000 | P | RW);
    CHECK(!xlate(0x400000, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK);
}

static void test_read_write(void)
{
    X86TranslateResult r;
    setup_long_mode();
    /* supervisor write to a read-only page: allowed with CR0.WP = 0 */
    CHECK(xlate(0x401000, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(q(0x4008) & (A | D), A | D);
    env.cr[0] |= CR0_WP_MASK;
    CHECK(!xlate(0x401000, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK);
    /* user write to a user read-only page */
    CHECK(!xlate(0x402000, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK | PG_ERROR_U_MASK);
    /* dirty but read-only: no write right in the TLB */
    CHECK(xlate(0x401000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.prot, PAGE_READ | PAGE_EXEC);
}

static void test_nx(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(xlate(0x402000, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.prot, PAGE_READ);
    CHECK(!xlate(0x402000, MMU_INST_FETCH, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK | PG_ERROR_I_D_MASK);
    CHECK(!xlate(0x402000, MMU_INST_FETCH, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_I_D_MASK);
    /* with EFER.NXE clear, bit 63 is reserved */
    env.efer &= ~(uint64_t)EFER_NXE;
    CHECK(!xlate(0x402000, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK | PG_ERROR_RSVD_MASK);
    /* and without NXE (no SMEP) a fetch fault does not report I/D */
    CHECK(!xlate(0x403000, MMU_INST_FETCH, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_U_MASK);
}

static void test_reserved_bits(void)
{
    X86TranslateResult r;
    setup_long_mode();
    /* a frame bit above MAXPHYADDR (40) */
    setq(0x4000, q(0x4000) | (1ull << 45));
    CHECK(!xlate(0x400000, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK | PG_ERROR_RSVD_MASK);
    /* PS in a PML4E */
    setup_long_mode();
    setq(0x1000, q(0x1000) | PS);
    CHECK(!xlate(0x400000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
    /* low frame bits of a 2M page (bit 13..20) */
    setup_long_mode();
    setq(0x3018, q(0x3018) | (1ull << 14));
    CHECK(!xlate(0x600000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
    /* PAT bit (12) of a 2M page is not reserved */
    setq(0x3018, (q(0x3018) & ~(1ull << 14)) | (1ull << 12));
    CHECK(xlate(0x600000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x200000);
}

static void test_canonical(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(!xlate(0x0000800000000000ull, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.exception, EXCP0D_GPF);
    CHECK_EQ(r.error_code, 0);
    /* the top half is canonical: walks (and faults not-present) */
    CHECK(!xlate(0xffff800000000000ull, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.exception, EXCP0E_PAGE);
}

static void test_debug_walk_no_side_effects(void)
{
    X86TranslateResult r;
    setup_long_mode();
    CHECK(x86_mmu_translate(&env, &ram_access_ro, 0x401234, MMU_DATA_LOAD, MMU_KNOSMAP_IDX,
                            &r));
    CHECK_EQ(r.paddr, 0x124234);
    CHECK_EQ(ram_writes, 0);
    CHECK_EQ(q(0x1000) & A, 0);
    CHECK_EQ(q(0x4008) & A, 0);
}

static void test_smep_smap(void)
{
    X86TranslateResult r;
    setup_long_mode();
    env.cr[4] |= CR4_SMEP_MASK | CR4_SMAP_MASK;
    /* supervisor fetch from a user page */
    CHECK(!xlate(0x400000, MMU_INST_FETCH, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_I_D_MASK);
    /* SMAP: supervisor data access to a user page, unless the index waives it */
    CHECK(!xlate(0x400000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK);
    CHECK(xlate(0x400000, MMU_DATA_LOAD, MMU_KNOSMAP_IDX, &r));
    /* writes too; WP still applies to a read-only user page */
    CHECK(!xlate(0x400000, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK);
    CHECK(xlate(0x400000, MMU_DATA_STORE, MMU_KNOSMAP_IDX, &r));
    env.cr[0] |= CR0_WP_MASK;
    CHECK(!xlate(0x402000, MMU_DATA_STORE, MMU_KNOSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK);
    /* supervisor pages are not affected by SMAP; user access is unchanged */
    CHECK(xlate(0x401000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK(xlate(0x400000, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    /* SMEP: the fetch of a user access itself is fine */
    CHECK(xlate(0x400000, MMU_INST_FETCH, MMU_USER_IDX, &r));
}

/* 32-bit paging: PD at 0x1000, PT at 0x2000. */
static void test_32bit_paging(void)
{
    X86TranslateResult r;
    memset(ram, 0, sizeof(ram));
    memset(&env, 0, sizeof(env));
    env.cr[0] = CR0_PE_MASK | CR0_PG_MASK;
    env.cr[3] = 0x1000;
    setl(0x1000 + 4 * 1, 0x2000 | P | RW | US);        /* 0x00400000: PT */
    setl(0x2000 + 4 * 5, 0x345000 | P | US);           /* 0x00405000 */
    setl(0x1000 + 4 * 2, 0x00000000 | P | RW | PS);    /* 0x00800000: 4M page at 0 */
    CHECK(xlate(0x405678, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.paddr, 0x345678);
    CHECK_EQ(ram_ld(NULL, 0x2014, 4) & A, A);
    CHECK(!xlate(0x405678, MMU_DATA_STORE, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_W_MASK | PG_ERROR_U_MASK);
    /* PS is ignored without CR4.PSE: page 0 is then a page table (empty) */
    CHECK(!xlate(0x812345, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    env.cr[4] = CR4_PSE_MASK;
    CHECK(xlate(0x812345, MMU_DATA_STORE, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x012345);
    CHECK_EQ(r.page_size, 4u << 20);
    CHECK_EQ(ram_ld(NULL, 0x1008, 4) & (A | D), A | D);
}

/* 32-bit paging, 4M pages with PSE-36: PDE bits 20:13 are physical bits
 * 39:32, bit 21 is reserved; G with CR4.PGE makes the page global. */
static void test_32bit_pse36_global(void)
{
    X86TranslateResult r;
    memset(ram, 0, sizeof(ram));
    memset(&env, 0, sizeof(env));
    env.cr[0] = CR0_PE_MASK | CR0_PG_MASK;
    env.cr[3] = 0x1000;
    env.cr[4] = CR4_PSE_MASK;
    setl(0x1000 + 4 * 3, 0x00c00000 | (0x12u << 13) | P | RW | PS | G);   /* 0x00c00000 */
    CHECK(xlate(0xc01234, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x1200c01234ull);
    CHECK_EQ(r.prot & PAGE_GLOBAL, 0);                 /* no CR4.PGE */
    env.cr[4] |= CR4_PGE_MASK;
    CHECK(xlate(0xc01234, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.prot & PAGE_GLOBAL, PAGE_GLOBAL);
    setl(0x1000 + 4 * 3, ram_ld(NULL, 0x100c, 4) | (1u << 21));
    CHECK(!xlate(0xc01234, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK | PG_ERROR_RSVD_MASK);
    /* 32-bit paging has no NX: a fetch fault never reports I/D without SMEP */
    setl(0x1000 + 4 * 3, 0);
    CHECK(!xlate(0xc01234, MMU_INST_FETCH, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, 0);
    env.cr[4] |= CR4_SMEP_MASK;
    CHECK(!xlate(0xc01234, MMU_INST_FETCH, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_I_D_MASK);
}

/* PAE paging: PDPT at 0x1020 (32-byte aligned), PD at 0x2000.  The walk
 * uses the PDPTE registers, loaded with x86_mmu_read_pdptrs, not memory. */
static void test_pae_paging(void)
{
    X86TranslateResult r;
    memset(ram, 0, sizeof(ram));
    memset(&env, 0, sizeof(env));
    env.cr[0] = CR0_PE_MASK | CR0_PG_MASK;
    env.cr[3] = 0x1020;
    env.cr[4] = CR4_PAE_MASK;
    env.efer = EFER_NXE;
    setq(0x1020 + 8 * 3, 0x2000 | P);                  /* 0xc0000000 */
    setq(0x2000 + 8 * 1, 0x200000 | P | RW | PS);      /* 0xc0200000: 2M */
    setq(0x2000 + 8 * 2, 0x3000 | P | RW | US);        /* 0xc0400000: PT */
    setq(0x3000 + 8 * 1, 0x456000 | P | US | XD | G);  /* 0xc0401000 */
    CHECK(x86_mmu_read_pdptrs(&env, &ram_access, env.cr[3], env.pdptrs));
    CHECK_EQ(env.pdptrs[3], 0x2000 | P);
    CHECK(xlate(0xc0212345, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.paddr, 0x212345);
    CHECK_EQ(r.page_size, 2u << 20);
    /* the PDPTE registers get no accessed bit */
    CHECK_EQ(q(0x1020 + 8 * 3), 0x2000 | P);
    CHECK_EQ(q(0x2008) & A, A);
    /* 4K page: user read, no write (R/W clear), NX fetch with I */
    CHECK(xlate(0xc0401abc, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.paddr, 0x456abc);
    CHECK_EQ(r.prot & PAGE_GLOBAL, 0);                 /* no CR4.PGE */
    CHECK(!xlate(0xc0401abc, MMU_INST_FETCH, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK | PG_ERROR_I_D_MASK);
    /* without NXE, XD is a reserved bit */
    env.efer = 0;
    CHECK(!xlate(0xc0401abc, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.error_code, PG_ERROR_P_MASK | PG_ERROR_U_MASK | PG_ERROR_RSVD_MASK);
    /* a PDPTE changed in memory is not seen until the registers reload */
    setq(0x1020 + 8 * 3, 0);
    CHECK(xlate(0xc0212345, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK(x86_mmu_read_pdptrs(&env, &ram_access, env.cr[3], env.pdptrs));
    CHECK(!xlate(0xc0212345, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, 0);
    /* R/W (and bits 8:5, 63, above MAXPHYADDR) in a present PDPTE are
     * reserved: the load fails (the MOV to CR is #GP); not present, they
     * are ignored */
    uint64_t rsvd[] = { RW, US, A, D, PS, G, XD, 1ull << 45 };
    for (unsigned i = 0; i < ARRAY_SIZE(rsvd); i++) {
        uint64_t regs[4];
        setq(0x1020, 0x2000 | P | rsvd[i]);
        CHECK(!x86_mmu_read_pdptrs(&env, &ram_access, env.cr[3], regs));
        setq(0x1020, 0x2000 | rsvd[i]);
        CHECK(x86_mmu_read_pdptrs(&env, &ram_access, env.cr[3], regs));
    }
    /* PDPTE not present */
    CHECK(!xlate(0x00001000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.error_code, 0);
}

/* G marks a leaf global only with CR4.PGE; G in a non-leaf means nothing */
static void test_global_pages(void)
{
    X86TranslateResult r;
    setup_long_mode();
    setq(0x4000, q(0x4000) | G);
    setq(0x3018, q(0x3018) | G);
    setq(0x3010, q(0x3010) | G);
    CHECK(xlate(0x400000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.prot & PAGE_GLOBAL, 0);
    env.cr[4] |= CR4_PGE_MASK;
    CHECK(xlate(0x400000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));
    CHECK_EQ(r.prot & PAGE_GLOBAL, PAGE_GLOBAL);
    CHECK(xlate(0x600000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));     /* 2M */
    CHECK_EQ(r.prot & PAGE_GLOBAL, PAGE_GLOBAL);
    CHECK(xlate(0x401000, MMU_DATA_LOAD, MMU_KSMAP_IDX, &r));     /* PDE G only */
    CHECK_EQ(r.prot & PAGE_GLOBAL, 0);
}

static void test_5level_paging(void)
{
    X86TranslateResult r;
    setup_long_mode();
    /* PML5 at 0x5000 -> PML4 0x1000; vaddr bits 56:48 select PML5E 1 */
    env.cr[4] |= CR4_LA57_MASK;
    env.cr[3] = 0x5000;
    setq(0x5008, 0x1000 | P | RW | US);
    CHECK(xlate(0x0001000000400010ull, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.paddr, 0x123010);
    /* 48-bit canonical rules no longer apply, 57-bit ones do */
    CHECK(!xlate(0x0100000000000000ull, MMU_DATA_LOAD, MMU_USER_IDX, &r));
    CHECK_EQ(r.exception, EXCP0D_GPF);
}

/* The debug translation through the memory API, on the same tables in a
 * RAM region backed by the test buffer. */
static void test_phys_page_debug_memory_api(void)
{
    static X86CPU cpu;
    struct test_ram tram;

    setup_long_mode();
    cpu.parent.as = test_ram_init(&tram, ram, RAM_SIZE, "mmu-test");
    cpu.env = env;
    x86_update_hflags(&cpu.env);

    int64_t pa1 = x86_cpu_get_phys_page_debug(&cpu.env, 0x401234);
    int64_t pa2 = x86_cpu_get_phys_page_debug(&cpu.env, 0x40000123);
    int64_t pa3 = x86_cpu_get_phys_page_debug(&cpu.env, 0x403000);
    int64_t pa4 = x86_cpu_get_phys_page_debug(&cpu.env, 0x0000800000000000ull);
    uint64_t pml4e = q(0x1000);

    address_space_destroy(&tram.as);
    memory_region_destroy(&tram.root);
    memory_region_destroy(&tram.ram);

    CHECK_EQ(pa1, 0x124234);
    CHECK_EQ(pa2, 0x40000123);
    CHECK_EQ(pa3, -1);
    CHECK_EQ(pa4, -1);
    CHECK_EQ(pml4e & A, 0);
}

/* ---- the TLB fill through the memory API ------------------------------ */

static struct {
    MemoryRegion root, ram_mr, pt_io;
    AddressSpace as;
    X86CPU cpu;
    unsigned io_reads, io_writes;
} fill;

/* A device that serves the page table at 0x4000 out of the test buffer. */
static uint64_t pt_io_read(void *opaque, uint64_t addr, unsigned size)
{
    fill.io_reads++;
    return ram_ld(NULL, 0x4000 + addr, size);
}

static void pt_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    fill.io_writes++;
    ram_st(NULL, 0x4000 + addr, val, size);
}

static const MemoryRegionOps pt_io_ops = {
    .read = pt_io_read, .write = pt_io_write,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

/* The long-mode tables in a RAM region at 0 (read-only: rom), the page
 * table page optionally replaced by pt_io. */
static void fill_setup(bool rom, bool pt_in_io)
{
    setup_long_mode();
    memset(&fill, 0, sizeof(fill));
    memory_region_init_container(&fill.root, "root", UINT64_MAX);
    memory_region_init_ram_ptr(&fill.ram_mr, "ram", RAM_SIZE, ram);
    memory_region_set_readonly(&fill.ram_mr, rom);
    memory_region_add_subregion(&fill.root, 0, &fill.ram_mr);
    if (pt_in_io) {
        memory_region_init_io(&fill.pt_io, &pt_io_ops, NULL, "pt", 0x1000);
        memory_region_add_subregion_overlap(&fill.root, 0x4000, &fill.pt_io, 1);
    }
    address_space_init(&fill.as, &fill.root, "mmu-fill");
    fill.cpu.parent.as = &fill.as;
    fill.cpu.env = env;
    x86_update_hflags(&fill.cpu.env);
    memset(&fill.cpu.env.tlb, 0, sizeof(fill.cpu.env.tlb));
    tlb_init(&fill.cpu.env.tlb);
}

static void fill_teardown(bool pt_in_io)
{
    tlb_destroy(&fill.cpu.env.tlb);
    address_space_destroy(&fill.as);
    if (pt_in_io) {
        fill.pt_io.container = NULL;
        memory_region_destroy(&fill.pt_io);
    }
    fill.ram_mr.container = NULL;
    memory_region_destroy(&fill.root);
    memory_region_destroy(&fill.ram_mr);
}

static bool fill_page(uint64_t va, int access)
{
    return x86_cpu_tlb_fill(&fill.cpu.parent, va, 1, access, MMU_USER_IDX, true, 0);
}

static const CPUTLBEntry *fill_entry(uint64_t va)
{
    return tlb_entry(&fill.cpu.env.tlb, MMU_USER_IDX, va);
}

/* A load, then a store, to the user page 0x400000 -> 0x123000. */
static void fill_ram_accessed_dirty(void)
{
    CHECK(((uintptr_t)ram & 7) == 0);
    CHECK(fill_page(0x400010, MMU_DATA_LOAD));
    CHECK_EQ(q(0x1000) & (A | D), A);
    CHECK_EQ(q(0x2000) & (A | D), A);
    CHECK_EQ(q(0x3010) & (A | D), A);
    CHECK_EQ(q(0x4000) & (A | D), A);
    /* clean page: readable, not yet writable */
    CHECK_EQ(fill_entry(0x400000)->addr_read, 0x400000);
    CHECK_EQ(fill_entry(0x400000)->addr_write, TLB_INVALID);
    CHECK_EQ(fill_entry(0x400000)->addend + 0x400000, (uintptr_t)(ram + 0x123000));
    CHECK(fill_page(0x400010, MMU_DATA_STORE));
    CHECK_EQ(q(0x4000) & (A | D), A | D);
    CHECK_EQ(q(0x3010) & D, 0);
    /* only the A/D bits changed */
    CHECK_EQ(q(0x4000), 0x123000 | P | RW | US | A | D);
    CHECK_EQ(fill_entry(0x400000)->addr_write, 0x400000);
    /* a not-present entry still faults */
    CHECK(!fill_page(0x403000, MMU_DATA_LOAD));
}

static void test_tlb_fill_ram_page_tables(void)
{
    fill_setup(false, false);
    fill_ram_accessed_dirty();
    fill_teardown(false);
}

static void test_tlb_fill_ram_page_tables_cached(void)
{
    fill_setup(false, false);
    flatview_thread_cache_enable();
    fill_ram_accessed_dirty();
    flatview_thread_cache_disable();
    fill_teardown(false);
}

/* A flush clears the MMU indexes filled since the last one, every time
 * (it skips only the ones it knows to be clean). */
static void fill_then_flush(void)
{
    CPUState *cs = &fill.cpu.parent;

    for (int round = 0; round < 3; round++) {
        CHECK(fill_page(0x400010, MMU_DATA_STORE));
        CHECK_EQ(fill_entry(0x400000)->addr_read, 0x400000);
        tlb_flush(cs);
        CHECK_EQ(fill_entry(0x400000)->addr_read, TLB_INVALID);
        CHECK_EQ(fill_entry(0x400000)->addr_write, TLB_INVALID);
        tlb_flush(cs);
        CHECK_EQ(fill_entry(0x400000)->addr_read, TLB_INVALID);
    }
    /* a table reset by other means (CPU reset) is flushed again too */
    CHECK(fill_page(0x400010, MMU_DATA_LOAD));
    for (int m = 0; m < NB_MMU_MODES; m++) {
        size_t n = tlb_n_entries(&fill.cpu.env.tlb, m);
        memset(fill.cpu.env.tlb.f[m].table, 0, n * sizeof(CPUTLBEntry));
    }
    fill.cpu.env.tlb.clean = 0;
    tlb_flush(cs);
    for (int m = 0; m < NB_MMU_MODES; m++) {
        size_t n = tlb_n_entries(&fill.cpu.env.tlb, m);
        CHECK_EQ(fill.cpu.env.tlb.f[m].table[n - 1].addr_code, TLB_INVALID);
    }
}

static void test_tlb_flush_after_fill(void)
{
    fill_setup(false, false);
    fill_then_flush();
    fill_teardown(false);
}

/* tlb_flush_nonglobal (a CR3 write) keeps the pages filled global, in
 * every MMU index; tlb_flush and tlb_flush_page drop them. */
static void fill_then_flush_nonglobal(void)
{
    CPUState *cs = &fill.cpu.parent;

    fill.cpu.env.cr[4] |= CR4_PGE_MASK;
    setq(0x4000, q(0x4000) | G);                      /* 0x400000 global */
    CHECK(fill_page(0x400010, MMU_DATA_LOAD));
    CHECK(fill_page(0x600010, MMU_DATA_LOAD));
    CHECK(x86_cpu_tlb_fill(cs, 0x400010, 1, MMU_DATA_LOAD, MMU_KSMAP_IDX, true, 0));
    tlb_flush_nonglobal(cs);
    CHECK_EQ(fill_entry(0x400000)->addr_read, 0x400000);
    CHECK_EQ(tlb_entry(&fill.cpu.env.tlb, MMU_KSMAP_IDX, 0x400000)->addr_read, 0x400000);
    CHECK_EQ(fill_entry(0x600000)->addr_read, TLB_INVALID);
    tlb_flush_page(cs, 0x400000);
    CHECK_EQ(fill_entry(0x400000)->addr_read, TLB_INVALID);
    CHECK_EQ(tlb_entry(&fill.cpu.env.tlb, MMU_KSMAP_IDX, 0x400000)->addr_read, TLB_INVALID);
    CHECK(fill_page(0x400010, MMU_DATA_LOAD));
    tlb_flush(cs);
    CHECK_EQ(fill_entry(0x400000)->addr_read, TLB_INVALID);
    /* after a full flush no index holds globals: the next one clears all */
    fill.cpu.env.cr[4] &= ~CR4_PGE_MASK;
    CHECK(fill_page(0x400010, MMU_DATA_LOAD));
    tlb_flush_nonglobal(cs);
    CHECK_EQ(fill_entry(0x400000)->addr_read, TLB_INVALID);
}

/* The table's size follows the guest (tcg/tlb.h): more fills than entries
 * double it at the next miss, a flush that finds it under a quarter used
 * halves it, never below CPU_TLB_MIN_BITS; entries filled after a resize
 * hit. */
static void test_tlb_resize(void)
{
    CPUState *cs = &fill.cpu.parent;
    CPUTLB *tlb = &fill.cpu.env.tlb;
    size_t min = (size_t)1 << CPU_TLB_MIN_BITS;

    fill_setup(false, false);
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), min);
    for (size_t i = 0; i <= min; i++) {
        tlb_set_page(cs, 0x10000000 + (i << TARGET_PAGE_BITS), 0x123000, PAGE_READ,
                     MMU_USER_IDX);
    }
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), min);      /* not while filling */
    CHECK(tlb_get_code_paddr(cs, 0x400010, MMU_USER_IDX, true) >= 0);
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), 2 * min);  /* the miss grew it */
    CHECK_EQ(tlb_n_entries(tlb, MMU_KSMAP_IDX), min);     /* per index */
    CHECK_EQ(fill_entry(0x400000)->addr_code, 0x400000);
    tlb_flush(cs);                                        /* one entry used */
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), min);
    CHECK_EQ(fill_entry(0x400000)->addr_code, TLB_INVALID);
    tlb_flush(cs);
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), min);
    /* a CR3 write's flush, which keeps global entries, shrinks too */
    for (size_t i = 0; i <= min; i++) {
        tlb_set_page(cs, 0x10000000 + (i << TARGET_PAGE_BITS), 0x123000,
                     PAGE_READ | PAGE_GLOBAL, MMU_USER_IDX);
    }
    CHECK(tlb_get_code_paddr(cs, 0x400010, MMU_USER_IDX, true) >= 0);
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), 2 * min);
    tlb_flush_nonglobal(cs);
    CHECK_EQ(tlb_n_entries(tlb, MMU_USER_IDX), min);
    fill_teardown(false);
}

/* INVLPG of any address in a large page drops every 4 KiB piece of it
 * that the TLB holds; one outside keeps the others. */
static void test_tlb_flush_large_page(void)
{
    CPUState *cs = &fill.cpu.parent;
    const uint64_t size = 2 << 20;

    fill_setup(false, false);
    tlb_set_page_sized(cs, 0x200000, 0x123000, PAGE_READ, MMU_USER_IDX, size);
    tlb_set_page_sized(cs, 0x201000, 0x124000, PAGE_READ, MMU_USER_IDX, size);
    tlb_set_page(cs, 0x680000, 0x125000, PAGE_READ, MMU_USER_IDX);
    tlb_flush_page(cs, 0x800000);
    CHECK_EQ(fill_entry(0x200000)->addr_read, 0x200000);
    CHECK_EQ(fill_entry(0x680000)->addr_read, 0x680000);
    tlb_flush_page(cs, 0x3ff000);                 /* a piece never entered */
    CHECK_EQ(fill_entry(0x200000)->addr_read, TLB_INVALID);
    CHECK_EQ(fill_entry(0x201000)->addr_read, TLB_INVALID);
    fill_teardown(false);
}

static void test_tlb_flush_nonglobal(void)
{
    fill_setup(false, false);
    fill_then_flush_nonglobal();
    fill_teardown(false);
}

/* Tables in ROM: the walk works, its A/D writes are dropped. */
static void test_tlb_fill_rom_page_tables(void)
{
    fill_setup(true, false);
    bool ok = fill_page(0x400010, MMU_DATA_LOAD);
    fill_teardown(false);
    CHECK(ok);
    CHECK_EQ(q(0x1000) & A, 0);
    CHECK_EQ(q(0x4000) & A, 0);
}

/* A page table in device memory goes through the device. */
static void test_tlb_fill_mmio_page_table(void)
{
    fill_setup(false, true);
    bool ok = fill_page(0x400010, MMU_DATA_STORE);
    fill_teardown(true);
    CHECK(ok);
    CHECK_EQ(fill.io_reads, 1);
    CHECK_EQ(fill.io_writes, 1);
    CHECK_EQ(q(0x4000), 0x123000 | P | RW | US | A | D);
    CHECK_EQ(q(0x3010) & A, A);
}

int main(void)
{
    RUN_TEST(test_paging_off);
    RUN_TEST(test_4k_page_and_accessed_dirty);
    RUN_TEST(test_2m_page);
    RUN_TEST(test_1g_page);
    RUN_TEST(test_not_present);
    RUN_TEST(test_user_supervisor);
    RUN_TEST(test_read_write);
    RUN_TEST(test_nx);
    RUN_TEST(test_reserved_bits);
    RUN_TEST(test_canonical);
    RUN_TEST(test_debug_walk_no_side_effects);
    RUN_TEST(test_smep_smap);
    RUN_TEST(test_32bit_paging);
    RUN_TEST(test_32bit_pse36_global);
    RUN_TEST(test_pae_paging);
    RUN_TEST(test_global_pages);
    RUN_TEST(test_5level_paging);
    RUN_TEST(test_phys_page_debug_memory_api);
    RUN_TEST(test_tlb_fill_ram_page_tables);
    RUN_TEST(test_tlb_fill_ram_page_tables_cached);
    RUN_TEST(test_tlb_fill_rom_page_tables);
    RUN_TEST(test_tlb_flush_after_fill);
    RUN_TEST(test_tlb_flush_nonglobal);
    RUN_TEST(test_tlb_resize);
    RUN_TEST(test_tlb_flush_large_page);
    RUN_TEST(test_tlb_fill_mmio_page_table);
    TEST_MAIN_END();
}
