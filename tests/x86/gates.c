// tern-nested: allow delivery-stack/*noncanonical* QEMU 7.2 TCG (the nested CPU) delivers through a non-canonical RSP0/IRET target differently
// tern-nested: allow gate-faults/* QEMU 7.2 TCG (the nested CPU) reports gate faults at a different RIP or vector
// tern-nested: allow gate-conforming/gate-cs-rpl3 QEMU 7.2 TCG (the nested CPU) keeps the gate CS's RPL
/*
 * gates.c: far transfers that change privilege in long mode (docs/cpu.md,
 * "Far JMP, CALL and RET"): a CALL from ring 3 through a 64-bit call gate
 * to ring 0 (the stack switch to the TSS's RSP0, a null SS with RPL 0, the
 * pushed SS:RSP and CS:RIP), the RETF (and RETF imm16) back to ring 3 that
 * makes a DPL 0 data segment in DS null, conforming code keeping the CPL,
 * and the faults: JMP through a gate to an inner level, gate checks
 * (not present, upper type, a non-64-bit target), a non-canonical RSP0,
 * and the return SS checks of the RETF.  Guest only: it edits the GDT and
 * the TSS (tests/x86/runtime/sys.c).  Same-level gates: tests/x86/far.c.
 */
#include "tern.h"

#define IDX_GATE   TERN_GDT_FREE            /* 16 bytes: entries 7 and 8 */
#define IDX_KDATA  (TERN_GDT_FREE + 2)      /* data, DPL 0 */
#define IDX_CONF0  (TERN_GDT_FREE + 3)      /* conforming code64, DPL 0 */
#define IDX_CODE32 (TERN_GDT_FREE + 4)      /* 32-bit code, DPL 0 */
#define IDX_NPDATA (TERN_GDT_FREE + 5)      /* data, DPL 3, not present */
#define IDX_CONF3  (TERN_GDT_FREE + 6)      /* conforming code64, DPL 3 */
#define SEL(i)     ((uint16_t)((i) * 8))
#define SEL_GATE   (SEL(IDX_GATE) | 3)

struct far64 {
    uint64_t off;
    uint16_t sel;
} __attribute__((packed));

struct far64 gt_fp;
/* what the ring-0 gate entry saw: rsp, cs, ss, the 4 qwords at rsp */
uint64_t gt_k_rsp, gt_k_cs, gt_k_ss, gt_k_frame[4];
/* what it does: the selector it loads into DS, whether it releases 16
 * bytes (lretq $16), the SS it writes into the frame (gt_entry_bad_ss) */
uint64_t gt_k_ds = 0x1b, gt_k_release, gt_k_bad_ss;
/* ring 3 around the lcall */
uint64_t gt_u_rsp_before, gt_u_rsp_after, gt_u_cs, gt_u_ss, gt_u_ds, gt_u_es;

__asm__(".text\n"
        "gt_entry:\n"
        "\tmov %rsp, gt_k_rsp(%rip)\n"
        "\tmov %cs, %eax\n\tmov %rax, gt_k_cs(%rip)\n"
        "\tmov %ss, %eax\n\tmov %rax, gt_k_ss(%rip)\n"
        "\tmov (%rsp), %rax\n\tmov %rax, gt_k_frame(%rip)\n"
        "\tmov 8(%rsp), %rax\n\tmov %rax, gt_k_frame+8(%rip)\n"
        "\tmov 16(%rsp), %rax\n\tmov %rax, gt_k_frame+16(%rip)\n"
        "\tmov 24(%rsp), %rax\n\tmov %rax, gt_k_frame+24(%rip)\n"
        "\tmov gt_k_ds(%rip), %rax\n\tmov %eax, %ds\n"
        "\tcmpq $0, gt_k_release(%rip)\n\tjne 1f\n"
        "\tlretq\n"
        /* RETF imm16 skips imm16 bytes of the inner stack too: put two
         * qwords (a 64-bit gate copies none) between CS:RIP and SS:RSP */
        "1:\tpop %rax\n\tpop %rcx\n\tpop %rdx\n\tpop %rsi\n"
        "\tpush %rsi\n\tpush %rdx\n\tpush $0\n\tpush $0\n\tpush %rcx\n\tpush %rax\n"
        "\tlretq $16\n"
        /* return with gt_k_bad_ss as the outer SS */
        "gt_entry_bad_ss:\n"
        "\tmov gt_k_bad_ss(%rip), %rax\n\tmov %rax, 24(%rsp)\n"
        ".globl gt_entry_bad_ss_at\n"
        "gt_entry_bad_ss_at:\n"
        "\tlretq\n"
        /* conforming code: report CS, return at the same level */
        "gt_conf_entry:\n"
        "\tmov %cs, %eax\n\tmov %rax, gt_k_cs(%rip)\n\tmov %rsp, gt_k_rsp(%rip)\n"
        "\tlretq\n");
extern char gt_entry[], gt_entry_bad_ss[], gt_entry_bad_ss_at[], gt_conf_entry[];

/* Ring 3: DS and ES hold user data, then the call through gt_fp; the
 * registers after it. */
#define GT_USER_AFTER                                                      \
    "mov %rsp, gt_u_rsp_after(%rip)\n\t"                                 \
    "mov %cs, %eax\n\tmov %rax, gt_u_cs(%rip)\n\t"                       \
    "mov %ss, %eax\n\tmov %rax, gt_u_ss(%rip)\n\t"                       \
    "mov %ds, %eax\n\tmov %rax, gt_u_ds(%rip)\n\t"                       \
    "mov %es, %eax\n\tmov %rax, gt_u_es(%rip)"
FAULT_FN_AT(gt_user_call,
            "mov $0x1b, %eax\n\tmov %eax, %ds\n\tmov %eax, %es\n\t"
            "mov %rsp, gt_u_rsp_before(%rip)",
            "rex.W lcall *gt_fp(%rip)", GT_USER_AFTER);
/* the same with two qwords of parameters that lretq $16 releases */
FAULT_FN_AT(gt_user_call_params,
            "mov $0x1b, %eax\n\tmov %eax, %ds\n\tmov %eax, %es\n\t"
            "mov %rsp, gt_u_rsp_before(%rip)\n\tpush $1\n\tpush $2",
            "rex.W lcall *gt_fp(%rip)", GT_USER_AFTER);
FAULT_FN_AT(gt_user_jmp, "", "rex.W ljmp *gt_fp(%rip)", "");

/* A 64-bit call gate at entries i, i + 1 to sel:off; type_hi: the type
 * field of the upper half (must be 0). */
static void set_gate(uint16_t sel, uint64_t off, unsigned dpl, int present, unsigned type_hi)
{
    tern_gdt[IDX_GATE] = (off & 0xffff) | (uint64_t)sel << 16 |
                         (uint64_t)(0xc | dpl << 5 | (present ? 0x80 : 0)) << 40 |
                         (off & 0xffff0000ull) << 32;
    tern_gdt[IDX_GATE + 1] = (off >> 32) | (uint64_t)type_hi << 40;
    tern_gdt_load();
}

/* The 64-bit TSS the runtime loaded (GDT entries 5 and 6) and its RSP0. */
static uint8_t *tss_base(void)
{
    uint64_t lo = tern_gdt[TERN_SEL_TSS / 8], hi = tern_gdt[TERN_SEL_TSS / 8 + 1];

    return (uint8_t *)(uintptr_t)(((lo >> 16) & 0xffffff) | ((lo >> 56) & 0xff) << 24 |
                                  (hi & 0xffffffffull) << 32);
}

static uint64_t tss_rsp0(void)
{
    uint64_t v;

    memcpy(&v, tss_base() + 4, 8);
    return v;
}

static void set_tss_rsp0(uint64_t v)
{
    memcpy(tss_base() + 4, &v, 8);
}

static void gdt_setup(void)
{
    tern_gdt[IDX_KDATA] = 0x00cf93000000ffffull;
    tern_gdt[IDX_CONF0] = 0x00af9f000000ffffull;
    tern_gdt[IDX_CODE32] = 0x00cf9b000000ffffull;
    tern_gdt[IDX_NPDATA] = 0x00cf73000000ffffull;
    tern_gdt[IDX_CONF3] = 0x00afff000000ffffull;
    tern_gdt_load();
}

/* Does fn at CPL 3 fault with vector and code at rip, caught from ring cs? */
static void check_user_fault(const char *name, void (*fn)(void), const void *rip, int vector,
                             uint64_t code, uint64_t cs)
{
    CHECK_FAULT(name, tern_run_user(fn, 0), vector, code, rip, cs);
}

static void inner_call_tests(void)
{
    uint64_t rsp0 = tss_rsp0();
    uint64_t ret = (uint64_t)(uintptr_t)gt_user_call_at + 7;   /* rex.W lcall *rel32 */

    test_group("gate-inner");
    set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry, 3, 1, 0);
    gt_fp = (struct far64){ 0xdead, SEL_GATE };
    gt_k_ds = SEL(IDX_KDATA);
    gt_k_release = 0;
    CHECK_EQ_NAMED("call", tern_run_user(gt_user_call, 0), -1);
    CHECK_EQ_NAMED("cs", gt_k_cs, TERN_SEL_KCODE);
    CHECK_EQ_NAMED("ss-null-rpl0", gt_k_ss, 0);
    CHECK_EQ_NAMED("rsp-rsp0", gt_k_rsp, rsp0 - 32);
    CHECK_EQ_NAMED("pushed-rip", gt_k_frame[0], ret);
    CHECK_EQ_NAMED("pushed-cs", gt_k_frame[1], TERN_SEL_UCODE);
    CHECK_EQ_NAMED("pushed-rsp", gt_k_frame[2], gt_u_rsp_before);
    CHECK_EQ_NAMED("pushed-ss", gt_k_frame[3], TERN_SEL_UDATA);

    test_group("gate-retf-outer");
    CHECK_EQ_NAMED("cs", gt_u_cs, TERN_SEL_UCODE);
    CHECK_EQ_NAMED("ss", gt_u_ss, TERN_SEL_UDATA);
    CHECK_EQ_NAMED("rsp", gt_u_rsp_after, gt_u_rsp_before);
    CHECK_EQ_NAMED("ds-dpl0-nulled", gt_u_ds, 0);
    CHECK_EQ_NAMED("es-dpl3-kept", gt_u_es, TERN_SEL_UDATA);

    gt_k_ds = TERN_SEL_UDATA;
    CHECK_EQ_NAMED("call-ds-user", tern_run_user(gt_user_call, 0), -1);
    CHECK_EQ_NAMED("ds-dpl3-kept", gt_u_ds, TERN_SEL_UDATA);

    /* lretq $16 releases the two parameters on the outer stack */
    gt_k_release = 1;
    CHECK_EQ_NAMED("imm16", tern_run_user(gt_user_call_params, 0), -1);
    CHECK_EQ_NAMED("imm16-pushed-rsp", gt_k_frame[2], gt_u_rsp_before - 16);
    CHECK_EQ_NAMED("imm16-rsp", gt_u_rsp_after, gt_u_rsp_before);
    CHECK_EQ_NAMED("imm16-inner-rsp", gt_k_rsp, rsp0 - 32);
    gt_k_release = 0;
}

static void gate_fault_tests(void)
{
    test_group("gate-faults");
    /* JMP through a gate to a more privileged non-conforming segment */
    set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry, 3, 1, 0);
    gt_fp = (struct far64){ 0, SEL_GATE };
    check_user_fault("jmp-inner", gt_user_jmp, gt_user_jmp_at, 13, TERN_SEL_KCODE,
                     TERN_SEL_UCODE);
    set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry, 3, 0, 0);
    check_user_fault("not-present", gt_user_call, gt_user_call_at, 11, SEL(IDX_GATE),
                     TERN_SEL_UCODE);
    set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry, 3, 1, 0xc);
    check_user_fault("upper-type", gt_user_call, gt_user_call_at, 13, SEL(IDX_GATE),
                     TERN_SEL_UCODE);
    set_gate(SEL(IDX_CODE32), (uint64_t)(uintptr_t)gt_entry, 3, 1, 0);
    check_user_fault("target-32bit", gt_user_call, gt_user_call_at, 13, SEL(IDX_CODE32),
                     TERN_SEL_UCODE);
    set_gate(SEL(IDX_KDATA), (uint64_t)(uintptr_t)gt_entry, 3, 1, 0);
    check_user_fault("target-data", gt_user_call, gt_user_call_at, 13, SEL(IDX_KDATA),
                     TERN_SEL_UCODE);

    /* a non-canonical RSP0 is #SS(0) at the CALL, still at CPL 3 */
    {
        uint64_t rsp0 = tss_rsp0();

        set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry, 3, 1, 0);
        set_tss_rsp0(0x0000800000000010ull);
        check_user_fault("rsp0-noncanonical", gt_user_call, gt_user_call_at, 12, 0,
                         TERN_SEL_UCODE);
        set_tss_rsp0(rsp0);
    }

    /* RETF to ring 3 with a bad outer SS: caught at CPL 0 */
    set_gate(TERN_SEL_KCODE, (uint64_t)(uintptr_t)gt_entry_bad_ss, 3, 1, 0);
    gt_k_bad_ss = 0;
    check_user_fault("retf-ss-null", gt_user_call, gt_entry_bad_ss_at, 13, 0, TERN_SEL_KCODE);
    gt_k_bad_ss = TERN_SEL_KDATA | 3;
    check_user_fault("retf-ss-dpl0", gt_user_call, gt_entry_bad_ss_at, 13, TERN_SEL_KDATA,
                     TERN_SEL_KCODE);
    gt_k_bad_ss = TERN_SEL_UDATA & ~3u;
    check_user_fault("retf-ss-rpl", gt_user_call, gt_entry_bad_ss_at, 13,
                     TERN_SEL_UDATA & ~3u, TERN_SEL_KCODE);
    gt_k_bad_ss = TERN_SEL_UCODE;
    check_user_fault("retf-ss-code", gt_user_call, gt_entry_bad_ss_at, 13,
                     TERN_SEL_UCODE & ~3u, TERN_SEL_KCODE);
    gt_k_bad_ss = SEL(IDX_NPDATA) | 3;
    check_user_fault("retf-ss-not-present", gt_user_call, gt_entry_bad_ss_at, 12,
                     SEL(IDX_NPDATA), TERN_SEL_KCODE);
}

/* Event delivery onto a non-canonical stack (RSP0 here) is #SS(EXT):
 * EXT (error code 1) for an exception, 0 for INT n.  IRETQ popping from
 * a non-canonical rsp is #SS(0). */
FAULT_FN_AT(gt_user_ud2, "", "ud2", "");
FAULT_FN_AT(gt_user_int, "", "int $32", "");
uint64_t gt_saved_rsp;
FAULT_FN_AT(gt_iretq_nc, "mov %rsp, gt_saved_rsp(%rip)\n\tmovabs $0x0000800000000000, %rsp",
            "iretq", "mov gt_saved_rsp(%rip), %rsp");

static void delivery_tests(void)
{
    uint64_t rsp0 = tss_rsp0();

    test_group("delivery-stack");
    set_tss_rsp0(0x0000800000000010ull);
    check_user_fault("exception-rsp0-noncanonical", gt_user_ud2, gt_user_ud2_at, 12, 1,
                     TERN_SEL_UCODE);
    check_user_fault("int-rsp0-noncanonical", gt_user_int, gt_user_int_at, 12, 0,
                     TERN_SEL_UCODE);
    set_tss_rsp0(rsp0);
    CHECK_EQ_NAMED("iretq-noncanonical", tern_catch_fault(gt_iretq_nc), 12);
    CHECK_EQ_NAMED("iretq-noncanonical-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("iretq-noncanonical-rip", tern_last_fault.rip,
                   (uint64_t)(uintptr_t)gt_iretq_nc_at);
}

/* CPL 0 calling conforming DPL 3 code: DPL > CPL */
FAULT_FN_AT(gt_kernel_call, "", "rex.W lcall *gt_fp(%rip)", "");

static void conforming_tests(void)
{
    test_group("gate-conforming");
    /* ring 3 calls DPL 0 conforming code directly: CPL 3 kept (CS.RPL 3) */
    gt_fp = (struct far64){ (uint64_t)(uintptr_t)gt_conf_entry, SEL(IDX_CONF0) };
    gt_k_cs = 0;
    CHECK_EQ_NAMED("direct", tern_run_user(gt_user_call, 0), -1);
    CHECK_EQ_NAMED("direct-cs-rpl3", gt_k_cs, SEL(IDX_CONF0) | 3);
    CHECK_EQ_NAMED("direct-back", gt_u_cs, TERN_SEL_UCODE);
    /* through a gate: no stack switch either */
    set_gate(SEL(IDX_CONF0), (uint64_t)(uintptr_t)gt_conf_entry, 3, 1, 0);
    gt_fp = (struct far64){ 0, SEL_GATE };
    gt_k_cs = 0;
    CHECK_EQ_NAMED("gate", tern_run_user(gt_user_call, 0), -1);
    CHECK_EQ_NAMED("gate-cs-rpl3", gt_k_cs, SEL(IDX_CONF0) | 3);
    CHECK_EQ_NAMED("gate-same-stack", gt_k_rsp, gt_u_rsp_before - 16);
    /* CPL 0 to conforming DPL 3: #GP(selector) */
    gt_fp = (struct far64){ (uint64_t)(uintptr_t)gt_conf_entry, SEL(IDX_CONF3) };
    CHECK_EQ_NAMED("dpl-above-cpl", tern_catch_fault(gt_kernel_call), 13);
    CHECK_EQ_NAMED("dpl-above-cpl-code", tern_last_fault.error_code, SEL(IDX_CONF3));
    CHECK_EQ_NAMED("dpl-above-cpl-rip", tern_last_fault.rip,
                   (uint64_t)(uintptr_t)gt_kernel_call_at);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_RING0) {
        test_skip("call gates to ring 0 need the guest's GDT and TSS");
    }
    tern_sys_install();
    gdt_setup();
    inner_call_tests();
    gate_fault_tests();
    conforming_tests();
    delivery_tests();
    test_done();
}
