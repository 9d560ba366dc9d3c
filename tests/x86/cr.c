/*
 * cr.c: the control registers and the exceptions they govern.
 *   - MOV from CR0/CR3/CR4/CR8 gives the boot state (docs/boot.md); CR2
 *     and CR8 read back what was written.
 *   - MOV to CR0: #GP(0) for bits 63:32, PG without PE, NW without CD,
 *     clearing PG in 64-bit mode; CR4: #GP(0) for bits the CPU does not
 *     have (LA57, VMXE, FSGSBASE, 31, 32) and for clearing PAE in
 *     long mode; CR3: #GP(0) above MAXPHYADDR and bit 63 (CR4.PCIDE clear);
 *     CR8: #GP(0) above bit 3.  A faulting write changes nothing.
 *   - CR1, CR5-CR7, CR9, CR15 and LOCK MOV CR0 are #UD; at CPL 3 MOV CR
 *     and CLTS are #GP(0).
 *   - #NM (vector 7): CR0.TS makes x87 instructions, SSE instructions,
 *     FXSAVE and XSAVE fault, WAIT only with CR0.MP; CLTS clears TS.
 *     CR0.EM makes SSE #UD, x87 and FXSAVE #NM, and leaves XSAVE alone;
 *     CR4.OSFXSR clear makes SSE #UD but not FXSAVE.
 * The native build runs the CPL 3 cases (and #UD ones) on the host CPU.
 */
#include "tern.h"

#define CR0_MP 0x2ull
#define CR0_EM 0x4ull
#define CR0_TS 0x8ull
#define CR0_ET 0x10ull
#define CR0_NE 0x20ull
#define CR0_WP 0x10000ull
#define CR0_AM 0x40000ull
#define CR0_NW 0x20000000ull
#define CR0_CD 0x40000000ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define CR4_OSFXSR 0x200ull
#define CR4_OSXSAVE 0x40000ull

static uint64_t rd_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint64_t rd_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static uint64_t rd_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static uint64_t rd_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static uint64_t rd_cr8(void) { uint64_t v; __asm__ volatile("mov %%cr8, %0" : "=r"(v)); return v; }
static void wr_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static void wr_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

/* MOV to CRn of cr_val (rax), at a known address */
uint64_t cr_val;
#define WR_FN(name, n) FAULT_FN_AT(name, "mov cr_val(%rip), %rax", "mov %rax, %cr" #n, "")
WR_FN(wr_cr0_fn, 0);
WR_FN(wr_cr3_fn, 3);
WR_FN(wr_cr4_fn, 4);
WR_FN(wr_cr8_fn, 8);

#define BYTES_FN(name, bytes) FAULT_FN(name, ".byte " bytes)
BYTES_FN(rd_cr1_fn, "0x0f, 0x20, 0xc8");          /* mov %cr1, %rax */
BYTES_FN(wr_cr1_fn, "0x0f, 0x22, 0xc8");
BYTES_FN(rd_cr5_fn, "0x0f, 0x20, 0xe8");
BYTES_FN(wr_cr6_fn, "0x0f, 0x22, 0xf0");
BYTES_FN(rd_cr7_fn, "0x0f, 0x20, 0xf8");
BYTES_FN(rd_cr9_fn, "0x44, 0x0f, 0x20, 0xc8");    /* REX.R: cr9 */
BYTES_FN(wr_cr15_fn, "0x44, 0x0f, 0x22, 0xf8");
BYTES_FN(lock_rd_cr0_fn, "0xf0, 0x0f, 0x20, 0xc0");
BYTES_FN(rd_cr0_mod0_fn, "0x0f, 0x20, 0x00");     /* mod is ignored: mov %cr0, %rax */

void rd_cr0_user(void);
__asm__(".text\nrd_cr0_user:\n\tmov %cr0, %rax\n\tret\n");
void wr_cr0_user(void);
__asm__(".text\nwr_cr0_user:\n\txor %eax, %eax\n\tmov %rax, %cr0\n\tret\n");
void rd_cr8_user(void);
__asm__(".text\nrd_cr8_user:\n\tmov %cr8, %rax\n\tret\n");
void clts_user(void);
__asm__(".text\nclts_user:\n\tclts\n\tret\n");

/* #NM/#UD probes */
static uint8_t fx_area[512] __attribute__((aligned(64), used));
BYTES_FN(nm_fld1, "0xd9, 0xe8, 0xdd, 0xd8");       /* fld1; fstp %st(0) */
BYTES_FN(nm_fwait, "0x9b");
BYTES_FN(nm_addps, "0x0f, 0x58, 0xc0");           /* addps %xmm0, %xmm0 */
BYTES_FN(nm_movaps, "0x0f, 0x28, 0xc8");          /* movaps %xmm0, %xmm1 */
void nm_fxsave(void);
__asm__(".text\nnm_fxsave:\n\tfxsave fx_area(%rip)\n\tret\n");
void nm_xsave(void);
__asm__(".text\nnm_xsave:\n\tmov $3, %eax\n\txor %edx, %edx\n\txsave fx_area_x(%rip)\n\tret\n");
uint8_t fx_area_x[1024] __attribute__((aligned(64)));

/* Write cr_val with fn: the vector (-1: none); the register afterwards */
static int try_wr(void (*fn)(void), uint64_t val)
{
    cr_val = val;
    return tern_catch_fault(fn);
}

static void check_gp_wr(const char *name, void (*fn)(void), const char *at, uint64_t val,
                        uint64_t (*rd)(void))
{
    uint64_t before = rd();

    CHECK_EQ_NAMED(name, try_wr(fn, val), 13);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)at);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("unchanged", rd(), before);
}

static void ring0_tests(void)
{
    uint64_t cr0 = rd_cr0(), cr4 = rd_cr4(), cr3 = rd_cr3();

    test_group("read");
    CHECK_EQ_NAMED("cr0-boot", cr0, 0x80010033);        /* PE MP ET NE WP PG */
    CHECK_EQ_NAMED("cr4-boot", cr4, 0x620);             /* PAE OSFXSR OSXMMEXCPT */
    CHECK_EQ_NAMED("cr3-boot", cr3, 0x1000);
    CHECK_EQ_NAMED("cr8-boot", rd_cr8(), 0);
    CHECK_EQ_NAMED("mod-ignored", tern_catch_fault(rd_cr0_mod0_fn), -1);
    __asm__ volatile("mov %0, %%cr2" : : "r"(0xfedcba9876543210ull));
    CHECK_EQ_NAMED("cr2", rd_cr2(), 0xfedcba9876543210ull);

    test_group("cr0");
    check_gp_wr("bit32", wr_cr0_fn, wr_cr0_fn_at, cr0 | (1ull << 32), rd_cr0);
    check_gp_wr("pg-without-pe", wr_cr0_fn, wr_cr0_fn_at, cr0 & ~1ull, rd_cr0);
    check_gp_wr("nw-without-cd", wr_cr0_fn, wr_cr0_fn_at, cr0 | CR0_NW, rd_cr0);
    check_gp_wr("clear-pg-64bit", wr_cr0_fn, wr_cr0_fn_at, cr0 & ~CR0_PG, rd_cr0);
    CHECK_EQ_NAMED("et-reads-1", (try_wr(wr_cr0_fn, cr0 & ~CR0_ET), rd_cr0()), cr0);
    CHECK_EQ_NAMED("cd-nw", (try_wr(wr_cr0_fn, cr0 | CR0_CD | CR0_NW), rd_cr0()),
                   cr0 | CR0_CD | CR0_NW);
    CHECK_EQ_NAMED("am-wp", (try_wr(wr_cr0_fn, (cr0 | CR0_AM) & ~CR0_WP), rd_cr0()),
                   (cr0 | CR0_AM) & ~CR0_WP);
    wr_cr0(cr0);
    CHECK_EQ_NAMED("restored", rd_cr0(), cr0);

    test_group("cr4");
    check_gp_wr("la57", wr_cr4_fn, wr_cr4_fn_at, cr4 | (1u << 12), rd_cr4);
    check_gp_wr("vmxe", wr_cr4_fn, wr_cr4_fn_at, cr4 | (1u << 13), rd_cr4);
    check_gp_wr("bit31", wr_cr4_fn, wr_cr4_fn_at, cr4 | (1ull << 31), rd_cr4);
    check_gp_wr("bit32", wr_cr4_fn, wr_cr4_fn_at, cr4 | (1ull << 32), rd_cr4);
    check_gp_wr("clear-pae", wr_cr4_fn, wr_cr4_fn_at, cr4 & ~CR4_PAE, rd_cr4);
    CHECK_EQ_NAMED("pge-tsd-osxsave", (try_wr(wr_cr4_fn, cr4 | 0x80 | 0x4 | CR4_OSXSAVE), rd_cr4()),
                   cr4 | 0x80 | 0x4 | CR4_OSXSAVE);
    wr_cr4(cr4);
    CHECK_EQ_NAMED("restored", rd_cr4(), cr4);

    test_group("cr3");
    check_gp_wr("bit63", wr_cr3_fn, wr_cr3_fn_at, cr3 | (1ull << 63), rd_cr3);
    check_gp_wr("bit40", wr_cr3_fn, wr_cr3_fn_at, cr3 | (1ull << 40), rd_cr3);
    CHECK_EQ_NAMED("pwt-pcd", (try_wr(wr_cr3_fn, cr3 | 0x18), rd_cr3()), cr3 | 0x18);
    CHECK_EQ_NAMED("restored", (try_wr(wr_cr3_fn, cr3), rd_cr3()), cr3);

    test_group("cr8");
    CHECK_EQ_NAMED("write-f", (try_wr(wr_cr8_fn, 0xf), rd_cr8()), 0xf);
    check_gp_wr("bit4", wr_cr8_fn, wr_cr8_fn_at, 0x10, rd_cr8);
    CHECK_EQ_NAMED("write-0", (try_wr(wr_cr8_fn, 0), rd_cr8()), 0);

    test_group("nm-ts");
    __asm__ volatile("fninit");
    wr_cr0(cr0 | CR0_TS);
    CHECK_EQ_NAMED("ts-set", rd_cr0() & CR0_TS, CR0_TS);
    CHECK_EQ_NAMED("fld1", tern_catch_fault(nm_fld1), 7);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)nm_fld1);
    CHECK_EQ_NAMED("addps", tern_catch_fault(nm_addps), 7);
    CHECK_EQ_NAMED("movaps", tern_catch_fault(nm_movaps), 7);
    CHECK_EQ_NAMED("fxsave", tern_catch_fault(nm_fxsave), 7);
    wr_cr4(cr4 | CR4_OSXSAVE);
    CHECK_EQ_NAMED("xsave", tern_catch_fault(nm_xsave), 7);
    wr_cr4(cr4);
    wr_cr0((cr0 | CR0_TS) & ~CR0_MP);
    CHECK_EQ_NAMED("fwait-mp0", tern_catch_fault(nm_fwait), -1);
    wr_cr0(cr0 | CR0_TS | CR0_MP);
    CHECK_EQ_NAMED("fwait-mp1", tern_catch_fault(nm_fwait), 7);
    __asm__ volatile("clts");
    CHECK_EQ_NAMED("clts-clears-ts", rd_cr0(), cr0);
    CHECK_EQ_NAMED("fld1-after-clts", tern_catch_fault(nm_fld1), -1);
    CHECK_EQ_NAMED("addps-after-clts", tern_catch_fault(nm_addps), -1);
    CHECK_EQ_NAMED("fwait-after-clts", tern_catch_fault(nm_fwait), -1);

    test_group("em");
    wr_cr0(cr0 | CR0_EM);
    CHECK_EQ_NAMED("addps-ud", tern_catch_fault(nm_addps), 6);
    CHECK_EQ_NAMED("movaps-ud", tern_catch_fault(nm_movaps), 6);
    CHECK_EQ_NAMED("fld1-nm", tern_catch_fault(nm_fld1), 7);
    CHECK_EQ_NAMED("fxsave-nm", tern_catch_fault(nm_fxsave), 7);
    CHECK_EQ_NAMED("fwait-ok", tern_catch_fault(nm_fwait), -1);
    wr_cr4(cr4 | CR4_OSXSAVE);
    CHECK_EQ_NAMED("xsave-ok", tern_catch_fault(nm_xsave), -1);
    wr_cr4(cr4);
    wr_cr0(cr0);

    test_group("osfxsr");
    wr_cr4(cr4 & ~CR4_OSFXSR);
    CHECK_EQ_NAMED("addps-ud", tern_catch_fault(nm_addps), 6);
    CHECK_EQ_NAMED("fxsave-ok", tern_catch_fault(nm_fxsave), -1);
    wr_cr4(cr4);
    CHECK_EQ_NAMED("addps-ok", tern_catch_fault(nm_addps), -1);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    if (TERN_HAVE_RING0) {
        ring0_tests();
    }
    test_group("ud");
    CHECK_EQ_NAMED("rd-cr1", tern_catch_fault(rd_cr1_fn), 6);
    CHECK_EQ_NAMED("wr-cr1", tern_catch_fault(wr_cr1_fn), 6);
    CHECK_EQ_NAMED("rd-cr5", tern_catch_fault(rd_cr5_fn), 6);
    CHECK_EQ_NAMED("wr-cr6", tern_catch_fault(wr_cr6_fn), 6);
    CHECK_EQ_NAMED("rd-cr7", tern_catch_fault(rd_cr7_fn), 6);
    CHECK_EQ_NAMED("rd-cr9", tern_catch_fault(rd_cr9_fn), 6);
    CHECK_EQ_NAMED("wr-cr15", tern_catch_fault(wr_cr15_fn), 6);
    CHECK_EQ_NAMED("lock-rd-cr0", tern_catch_fault(lock_rd_cr0_fn), 6);

    test_group("cpl3");
    CHECK_EQ_NAMED("rd-cr0", tern_run_user(rd_cr0_user, 0), 13);
    CHECK_EQ_NAMED("rd-cr0-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("wr-cr0", tern_run_user(wr_cr0_user, 0), 13);
    CHECK_EQ_NAMED("rd-cr8", tern_run_user(rd_cr8_user, 0), 13);
    CHECK_EQ_NAMED("clts", tern_run_user(clts_user, 0), 13);
    CHECK_EQ_NAMED("clts-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)clts_user);
    test_done();
}
