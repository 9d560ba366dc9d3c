// tern-nested: skip QEMU 7.2 TCG accepts MOV to CR3 with bit 63 set (cr3/bit63, CR4.PCIDE=0) instead of #GP, and the next VM entry then fails (KVM_EXIT_FAIL_ENTRY), ending the run
// tern-nested: allow cr?/bit32 QEMU 7.2 TCG (the nested CPU) does not #GP on MOV to CR0/CR4 with bits 63:32 set
// tern-nested: allow cr0/rip QEMU 7.2 TCG (the nested CPU) does not #GP on MOV to CR0 with bits 63:32 set
// tern-native-amd: allow ud/lock-rd-cr0 AMD reads LOCK MOV CR0 as MOV CR8 (AltMovCr8): #GP at CPL 3, where Intel raises #UD
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

static void check_gp_wr(const char *name, void (*fn)(void), const char *at, uint64_t val)
{
    CHECK_EQ_NAMED(name, try_wr(fn, val), 13);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)at);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
}
/* Writing val to CRn (wr_crN_fn) must #GP and leave CRn as it was. */
#define CHECK_GP_WR(name, n, val)                                            \
    do {                                                                     \
        uint64_t before_ = read_cr(n);                                       \
        check_gp_wr(name, wr_cr##n##_fn, wr_cr##n##_fn_at, val);             \
        CHECK_EQ_NAMED("unchanged", read_cr(n), before_);                    \
    } while (0)

static void ring0_tests(void)
{
    uint64_t cr0 = read_cr(0), cr4 = read_cr(4), cr3 = read_cr(3);

    test_group("read");
    CHECK_EQ_NAMED("cr0-boot", cr0, 0x80010033);        /* PE MP ET NE WP PG */
    CHECK_EQ_NAMED("cr4-boot", cr4, 0x620);             /* PAE OSFXSR OSXMMEXCPT */
    CHECK_EQ_NAMED("cr3-boot", cr3, 0x1000);
    CHECK_EQ_NAMED("cr8-boot", read_cr(8), 0);
    CHECK_EQ_NAMED("mod-ignored", tern_catch_fault(rd_cr0_mod0_fn), -1);
    __asm__ volatile("mov %0, %%cr2" : : "r"(0xfedcba9876543210ull));
    CHECK_EQ_NAMED("cr2", read_cr(2), 0xfedcba9876543210ull);

    test_group("cr0");
    CHECK_GP_WR("bit32", 0, cr0 | (1ull << 32));
    CHECK_GP_WR("pg-without-pe", 0, cr0 & ~1ull);
    CHECK_GP_WR("nw-without-cd", 0, cr0 | CR0_NW);
    CHECK_GP_WR("clear-pg-64bit", 0, cr0 & ~CR0_PG);
    CHECK_EQ_NAMED("et-reads-1", (try_wr(wr_cr0_fn, cr0 & ~CR0_ET), read_cr(0)), cr0);
    CHECK_EQ_NAMED("cd-nw", (try_wr(wr_cr0_fn, cr0 | CR0_CD | CR0_NW), read_cr(0)),
                   cr0 | CR0_CD | CR0_NW);
    CHECK_EQ_NAMED("am-wp", (try_wr(wr_cr0_fn, (cr0 | CR0_AM) & ~CR0_WP), read_cr(0)),
                   (cr0 | CR0_AM) & ~CR0_WP);
    write_cr(0, cr0);
    CHECK_EQ_NAMED("restored", read_cr(0), cr0);

    test_group("cr4");
    CHECK_GP_WR("la57", 4, cr4 | (1u << 12));
    CHECK_GP_WR("vmxe", 4, cr4 | (1u << 13));
    CHECK_GP_WR("bit31", 4, cr4 | (1ull << 31));
    CHECK_GP_WR("bit32", 4, cr4 | (1ull << 32));
    CHECK_GP_WR("clear-pae", 4, cr4 & ~CR4_PAE);
    CHECK_EQ_NAMED("pge-tsd-osxsave", (try_wr(wr_cr4_fn, cr4 | 0x80 | 0x4 | CR4_OSXSAVE), read_cr(4)),
                   cr4 | 0x80 | 0x4 | CR4_OSXSAVE);
    write_cr(4, cr4);
    CHECK_EQ_NAMED("restored", read_cr(4), cr4);

    test_group("cr3");
    CHECK_GP_WR("bit63", 3, cr3 | (1ull << 63));
    CHECK_GP_WR("bit40", 3, cr3 | (1ull << 40));
    CHECK_EQ_NAMED("pwt-pcd", (try_wr(wr_cr3_fn, cr3 | 0x18), read_cr(3)), cr3 | 0x18);
    CHECK_EQ_NAMED("restored", (try_wr(wr_cr3_fn, cr3), read_cr(3)), cr3);

    test_group("cr8");
    CHECK_EQ_NAMED("write-f", (try_wr(wr_cr8_fn, 0xf), read_cr(8)), 0xf);
    CHECK_GP_WR("bit4", 8, 0x10);
    CHECK_EQ_NAMED("write-0", (try_wr(wr_cr8_fn, 0), read_cr(8)), 0);

    test_group("nm-ts");
    __asm__ volatile("fninit");
    write_cr(0, cr0 | CR0_TS);
    CHECK_EQ_NAMED("ts-set", read_cr(0) & CR0_TS, CR0_TS);
    CHECK_EQ_NAMED("fld1", tern_catch_fault(nm_fld1), 7);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)nm_fld1);
    CHECK_EQ_NAMED("addps", tern_catch_fault(nm_addps), 7);
    CHECK_EQ_NAMED("movaps", tern_catch_fault(nm_movaps), 7);
    CHECK_EQ_NAMED("fxsave", tern_catch_fault(nm_fxsave), 7);
    write_cr(4, cr4 | CR4_OSXSAVE);
    CHECK_EQ_NAMED("xsave", tern_catch_fault(nm_xsave), 7);
    write_cr(4, cr4);
    write_cr(0, (cr0 | CR0_TS) & ~CR0_MP);
    CHECK_EQ_NAMED("fwait-mp0", tern_catch_fault(nm_fwait), -1);
    write_cr(0, cr0 | CR0_TS | CR0_MP);
    CHECK_EQ_NAMED("fwait-mp1", tern_catch_fault(nm_fwait), 7);
    __asm__ volatile("clts");
    CHECK_EQ_NAMED("clts-clears-ts", read_cr(0), cr0);
    CHECK_EQ_NAMED("fld1-after-clts", tern_catch_fault(nm_fld1), -1);
    CHECK_EQ_NAMED("addps-after-clts", tern_catch_fault(nm_addps), -1);
    CHECK_EQ_NAMED("fwait-after-clts", tern_catch_fault(nm_fwait), -1);

    test_group("em");
    write_cr(0, cr0 | CR0_EM);
    CHECK_EQ_NAMED("addps-ud", tern_catch_fault(nm_addps), 6);
    CHECK_EQ_NAMED("movaps-ud", tern_catch_fault(nm_movaps), 6);
    CHECK_EQ_NAMED("fld1-nm", tern_catch_fault(nm_fld1), 7);
    CHECK_EQ_NAMED("fxsave-nm", tern_catch_fault(nm_fxsave), 7);
    CHECK_EQ_NAMED("fwait-ok", tern_catch_fault(nm_fwait), -1);
    write_cr(4, cr4 | CR4_OSXSAVE);
    CHECK_EQ_NAMED("xsave-ok", tern_catch_fault(nm_xsave), -1);
    write_cr(4, cr4);
    write_cr(0, cr0);

    test_group("osfxsr");
    write_cr(4, cr4 & ~CR4_OSFXSR);
    CHECK_EQ_NAMED("addps-ud", tern_catch_fault(nm_addps), 6);
    CHECK_EQ_NAMED("fxsave-ok", tern_catch_fault(nm_fxsave), -1);
    write_cr(4, cr4);
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
