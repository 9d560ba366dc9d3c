// tern-nested: allow far-same-cs/lgs-m16:64* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: REX.W LGS takes m16:32
// tern-nested: allow far-faults/ljmp-noncanonical-rip the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: #GP for a non-canonical far-jump target is raised at the target
// tern-native-amd: allow far-same-cs/lcall-m16:64* AMD ignores REX.W on far CALL/JMP and LGS through memory (m16:32: the selector is the offset's bytes 4-5); Intel takes m16:64
// tern-native-amd: allow far-same-cs/lret-imm16* AMD ignores REX.W on far CALL/JMP and LGS through memory (m16:32: the selector is the offset's bytes 4-5); Intel takes m16:64
// tern-native-amd: allow far-same-cs/ljmp-m16:64* AMD ignores REX.W on far CALL/JMP and LGS through memory (m16:32: the selector is the offset's bytes 4-5); Intel takes m16:64
// tern-native-amd: allow far-same-cs/lgs-m16:64* AMD ignores REX.W on far CALL/JMP and LGS through memory (m16:32: the selector is the offset's bytes 4-5); Intel takes m16:64
// tern-native-amd: allow far-faults/ljmp-*-code AMD ignores REX.W on far CALL/JMP and LGS through memory (m16:32: the selector is the offset's bytes 4-5); Intel takes m16:64
/*
 * far.c: far JMP, CALL and RET in 64-bit mode (FF /5, FF /3, CB, CA), LGS
 * m16:64, and the far transfers' descriptor faults (docs/cpu.md, "Far JMP, CALL and RET").  The
 * native build proves the same-segment transfers and the faults a user
 * program can take (null and data selectors, a selector beyond the GDT, a
 * non-canonical offset, a RET to a more privileged RPL); the not-present,
 * wrong-DPL and call-gate cases run under tern only.  Real and protected mode
 * forms: tests/firmware/modes.S.
 */
#include "tern.h"

/* A far pointer in memory: m16:64 and m16:32. */
struct far64 {
    uint64_t off;
    uint16_t sel;
} __attribute__((packed));
struct far32 {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed));

struct far64 fp64;
struct far32 fp32;
uint64_t fr_rsp_before, fr_rsp_after, fr_cs_seen;

/* The targets: report CS, return with lretq, lretq 16, lretl. */
__asm__(".text\n"
        "far_target_q:\n\tmov %cs, %eax\n\tmov %rax, fr_cs_seen(%rip)\n\tlretq\n"
        "far_target_q16:\n\tlretq $16\n"
        "far_target_l:\n\tmov %cs, %eax\n\tmov %rax, fr_cs_seen(%rip)\n\tlretl\n"
        "far_landing:\n\tmovq $1, fr_cs_seen(%rip)\n\tret\n");
extern char far_target_q[], far_target_q16[], far_target_l[], far_landing[];

FAULT_FN(far_call_q, "mov %rsp, fr_rsp_before(%rip)\n\t"
                     "rex.W lcall *fp64(%rip)\n\t"
                     "mov %rsp, fr_rsp_after(%rip)");
FAULT_FN(far_call_q16, "mov %rsp, fr_rsp_before(%rip)\n\tpush $1\n\tpush $2\n\t"
                       "rex.W lcall *fp64(%rip)\n\t"
                       "mov %rsp, fr_rsp_after(%rip)");
FAULT_FN(far_call_l, "mov %rsp, fr_rsp_before(%rip)\n\t"
                     "lcall *fp32(%rip)\n\t"
                     "mov %rsp, fr_rsp_after(%rip)");
/* ljmp lands in far_landing, whose ret returns from this function */
FAULT_FN_AT(far_jmp_q, "", "rex.W ljmp *fp64(%rip)", "");
/* lretq with fp64 pushed as the return frame (selector, then offset) */
FAULT_FN_AT(far_ret_q, "mov %rsp, %rdx\n\tmovzwq fp64+8(%rip), %rax\n\tpush %rax\n\t"
                       "push fp64(%rip)",
            "lretq", "");

/* lgs r64, m16:64: the offset into rax, the selector into GS */
uint64_t fr_lseg_out, fr_gs_seen;
FAULT_FN(far_lgs_q, "rex.W lgs fp64(%rip), %eax\n\tmov %rax, fr_lseg_out(%rip)\n\t"
                    "mov %gs, %eax\n\tmov %rax, fr_gs_seen(%rip)");

static void same_segment_tests(void)
{
    uint16_t cs = read_seg(cs);

    test_group("far-same-cs");
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_target_q, cs };
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("lcall-m16:64", tern_catch_fault(far_call_q), -1);
    CHECK_EQ_NAMED("lcall-m16:64-cs", fr_cs_seen, cs);
    CHECK_EQ_NAMED("lcall-m16:64-rsp", fr_rsp_after, fr_rsp_before);

    fp64.off = (uint64_t)(uintptr_t)far_target_q16;
    CHECK_EQ_NAMED("lret-imm16", tern_catch_fault(far_call_q16), -1);
    CHECK_EQ_NAMED("lret-imm16-rsp", fr_rsp_after, fr_rsp_before);

    fp32 = (struct far32){ (uint32_t)(uintptr_t)far_target_l, cs };
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("lcall-m16:32", tern_catch_fault(far_call_l), -1);
    CHECK_EQ_NAMED("lcall-m16:32-cs", fr_cs_seen, cs);
    CHECK_EQ_NAMED("lcall-m16:32-rsp", fr_rsp_after, fr_rsp_before);

    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_landing, cs };
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("ljmp-m16:64", tern_catch_fault(far_jmp_q), -1);
    CHECK_EQ_NAMED("ljmp-m16:64-landed", fr_cs_seen, 1);

    {
        uint16_t gs;
        __asm__ volatile("mov %%gs, %0" : "=r"(gs));
        fp64 = (struct far64){ 0x123456789abcdef0ull, gs };
        CHECK_EQ_NAMED("lgs-m16:64", tern_catch_fault(far_lgs_q), -1);
        CHECK_EQ_NAMED("lgs-m16:64-offset", fr_lseg_out, 0x123456789abcdef0ull);
        CHECK_EQ_NAMED("lgs-m16:64-selector", fr_gs_seen, gs);
    }
}

/* Does fn fault with vector and error code, at the instruction at? */
static void check_far_fault(const char *name, void (*fn)(void), const char *at, int vector,
                            uint64_t error_code)
{
    CHECK_FAULT(name, tern_catch_fault(fn), vector, error_code, at, 0);
}

static void fault_tests(void)
{
    uint16_t cs = read_seg(cs), ss = read_seg(ss);

    test_group("far-faults");
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_landing, 0 };
    check_far_fault("ljmp-null", far_jmp_q, far_jmp_q_at, 13, 0);
    fp64.sel = ss;
    check_far_fault("ljmp-data", far_jmp_q, far_jmp_q_at, 13, ss & 0xfffc);
    fp64.sel = 0xfff8;
    check_far_fault("ljmp-beyond-gdt", far_jmp_q, far_jmp_q_at, 13, 0xfff8);
    fp64 = (struct far64){ 0x0000800000000000ull, cs };
    check_far_fault("ljmp-noncanonical", far_jmp_q, far_jmp_q_at, 13, 0);
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_landing, ss };
    check_far_fault("lret-data", far_ret_q, far_ret_q_at, 13, ss & 0xfffc);
}

/* Ring 0 only: a GDT entry of our own. */
static void ring0_tests(void)
{
    const uint16_t sel = TERN_GDT_FREE * 8;

    test_group("far-ring0");
    tern_gdt[TERN_GDT_FREE] = 0x00af1b000000ffffull;   /* code64, not present */
    tern_gdt_load();
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_landing, sel };
    check_far_fault("ljmp-not-present", far_jmp_q, far_jmp_q_at, 11, sel);
    /* user code (DPL 3) from CPL 0, non-conforming: DPL != CPL */
    fp64.sel = TERN_SEL_UCODE;
    check_far_fault("ljmp-dpl3-from-cpl0", far_jmp_q, far_jmp_q_at, 13, TERN_SEL_UCODE & 0xfffc);
    /* conforming DPL 0 code from CPL 0: allowed, CS.RPL = CPL */
    tern_gdt[TERN_GDT_FREE] = 0x00af9f000000ffffull;
    tern_gdt_load();
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_target_q, sel };
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("lcall-conforming", tern_catch_fault(far_call_q), -1);
    CHECK_EQ_NAMED("lcall-conforming-cs", fr_cs_seen, sel);
    tern_gdt[TERN_GDT_FREE] = 0;
    tern_gdt_load();
}

/* A 64-bit call gate (two GDT entries from index i) to sel:off. */
static void set_call_gate(unsigned i, uint16_t sel, uint64_t off, unsigned dpl, int present)
{
    tern_gdt[i] = (off & 0xffff) | (uint64_t)sel << 16 |
                  (uint64_t)(0xc | dpl << 5 | (present ? 0x80 : 0)) << 40 |
                  (off & 0xffff0000ull) << 32;
    tern_gdt[i + 1] = off >> 32;
    tern_gdt_load();
}

/* CPL 3 through a DPL 0 gate */
static void user_call_gate(void)
{
    fp64 = (struct far64){ 0, (TERN_GDT_FREE + 1) * 8 };
    far_jmp_q();
}

static void gate_tests(void)
{
    const uint16_t gate = (TERN_GDT_FREE + 1) * 8;

    test_group("far-gate");
    set_call_gate(TERN_GDT_FREE + 1, TERN_SEL_KCODE, (uint64_t)(uintptr_t)far_target_q, 0, 1);
    fp64 = (struct far64){ 0xdead, gate };          /* the offset is the gate's */
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("lcall", tern_catch_fault(far_call_q), -1);
    CHECK_EQ_NAMED("lcall-cs", fr_cs_seen, TERN_SEL_KCODE);
    CHECK_EQ_NAMED("lcall-rsp", fr_rsp_after, fr_rsp_before);
    set_call_gate(TERN_GDT_FREE + 1, TERN_SEL_KCODE, (uint64_t)(uintptr_t)far_landing, 0, 1);
    fr_cs_seen = 0;
    CHECK_EQ_NAMED("ljmp", tern_catch_fault(far_jmp_q), -1);
    CHECK_EQ_NAMED("ljmp-landed", fr_cs_seen, 1);
    CHECK_EQ_NAMED("dpl0-from-cpl3", tern_run_user(user_call_gate, 0), 13);
    CHECK_EQ_NAMED("dpl0-from-cpl3-code", tern_last_fault.error_code, gate);
    set_call_gate(TERN_GDT_FREE + 1, TERN_SEL_KCODE, (uint64_t)(uintptr_t)far_landing, 0, 0);
    check_far_fault("not-present", far_jmp_q, far_jmp_q_at, 11, gate);
    set_call_gate(TERN_GDT_FREE + 1, TERN_SEL_KDATA, (uint64_t)(uintptr_t)far_landing, 0, 1);
    check_far_fault("to-data", far_jmp_q, far_jmp_q_at, 13, TERN_SEL_KDATA);
    tern_gdt[TERN_GDT_FREE + 1] = tern_gdt[TERN_GDT_FREE + 2] = 0;
    tern_gdt_load();
}

/* CPL 3: a far RET to an RPL 0 code segment is #GP(selector). */
static void user_ret_to_kernel(void)
{
    fp64 = (struct far64){ (uint64_t)(uintptr_t)far_landing, 0x08 };
    far_ret_q();
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    same_segment_tests();
    fault_tests();
    test_group("far-user");
    CHECK_EQ_NAMED("lret-to-rpl0", tern_run_user(user_ret_to_kernel, 0), 13);
    CHECK_EQ_NAMED("lret-to-rpl0-code", tern_last_fault.error_code, 0x08);
    if (TERN_HAVE_RING0) {
        ring0_tests();
        gate_tests();
    }
    test_done();
}
