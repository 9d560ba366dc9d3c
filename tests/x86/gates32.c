// tern-nested: allow gate32-stack-faults/* QEMU 7.2 TCG (the nested CPU) raises #TS, not #SS, for a not-present or full inner stack
/*
 * gates32.c: privilege-changing far transfers in 32-bit protected mode
 * (docs/cpu.md, "Far JMP, CALL and RET"): a CALL from ring 3 through a
 * 32-bit call gate with a parameter count of 2 to ring 0 (the stack
 * SS0:ESP0 from the TSS, the old SS:ESP, the two dwords copied, CS:EIP),
 * RETF 8 back to ring 3 (both stacks released, DS holding DPL 0 data made
 * null), and the faults of the new stack, through a gate to ring 1 whose
 * SS1:ESP1 the test breaks: null or wrong-DPL SS #TS(SS), not present
 * #SS(SS), no room for the frame #SS(SS); a RETF with a null outer SS
 * #GP(0).  Guest only (32-bit runtime, ring 0).
 */
#include "tern.h"

#define IDX_GATE   TERN_GDT_FREE            /* 32-bit call gate, DPL 3 */
#define IDX_CODE1  (TERN_GDT_FREE + 1)      /* code32, DPL 1 */
#define IDX_DATA1  (TERN_GDT_FREE + 2)      /* data, DPL 1 */
#define IDX_NPD1   (TERN_GDT_FREE + 3)      /* data, DPL 1, not present */
#define SEL(i)     ((uint16_t)((i) * 8))

struct far32 {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed));

struct far32 g32_fp = { 0, SEL(IDX_GATE) | 3 };
/* what the ring-0 entry saw: esp, cs, ss and the 6 dwords at esp */
uint32_t g32_k_esp, g32_k_cs, g32_k_ss, g32_k_frame[6];
uint32_t g32_k_ds = TERN_SEL_KDATA;         /* what it loads into DS */
/* ring 3 before and after the call */
uint32_t g32_u_esp_before, g32_u_esp_after, g32_u_cs, g32_u_ss, g32_u_ds, g32_u_es;

__asm__(".text\n"
        "g32_entry:\n"
        "\tmov %esp, g32_k_esp\n"
        "\tmov %cs, %eax\n\tmov %eax, g32_k_cs\n"
        "\tmov %ss, %eax\n\tmov %eax, g32_k_ss\n"
        "\tmov $0, %ecx\n"
        "1:\tmov (%esp,%ecx,4), %eax\n\tmov %eax, g32_k_frame(,%ecx,4)\n"
        "\tinc %ecx\n\tcmp $6, %ecx\n\tjb 1b\n"
        "\tmov g32_k_ds, %eax\n\tmov %eax, %ds\n"
        "\tlret $8\n"
        /* the same return with a null outer SS */
        "g32_entry_null_ss:\n"
        "\tmovl $0, 20(%esp)\n"
        ".globl g32_entry_null_ss_at\n"
        "g32_entry_null_ss_at:\n"
        "\tlret $8\n");
extern char g32_entry[], g32_entry_null_ss[], g32_entry_null_ss_at[];

/* Ring 3: two dword parameters, the call (whose RETF 8 releases them),
 * then DS back to user data before anything else touches memory (the
 * return may have made it null). */
FAULT_FN_AT(g32_user_call,
            "mov %esp, g32_u_esp_before\n\tpushl $0x11111111\n\tpushl $0x22222222",
            "lcall *g32_fp",
            "mov %ds, %eax\n\tmov $0x1b, %ecx\n\tmov %ecx, %ds\n\tmov %eax, g32_u_ds\n\t"
            "mov %esp, g32_u_esp_after\n\tmov %cs, %eax\n\tmov %eax, g32_u_cs\n\t"
            "mov %ss, %eax\n\tmov %eax, g32_u_ss\n\tmov %es, %eax\n\tmov %eax, g32_u_es");

static void set_gate(uint16_t sel, const void *entry)
{
    tern_gdt[IDX_GATE] = tern_gate_desc(sel, (uint32_t)(uintptr_t)entry, 0xec, 2);
    tern_gdt_load();
}

static void check_user_fault(const char *name, const void *rip, int vector, uint64_t code,
                             uint64_t cs)
{
    CHECK_FAULT(name, tern_run_user(g32_user_call, 0), vector, code, rip, cs);
}

static void inner_call_tests(void)
{
    uint32_t esp0 = tern_tss->esp0;

    test_group("gate32-inner");
    set_gate(TERN_SEL_KCODE, g32_entry);
    CHECK_EQ_NAMED("call", tern_run_user(g32_user_call, 0), -1);
    CHECK_EQ_NAMED("cs", g32_k_cs, TERN_SEL_KCODE);
    CHECK_EQ_NAMED("ss-ss0", g32_k_ss, TERN_SEL_KDATA);
    CHECK_EQ_NAMED("esp-esp0", g32_k_esp, esp0 - 24);
    CHECK_EQ_NAMED("pushed-eip", g32_k_frame[0], (uint32_t)(uintptr_t)g32_user_call_at + 6);
    CHECK_EQ_NAMED("pushed-cs", g32_k_frame[1], TERN_SEL_UCODE);
    CHECK_EQ_NAMED("param0", g32_k_frame[2], 0x22222222);
    CHECK_EQ_NAMED("param1", g32_k_frame[3], 0x11111111);
    CHECK_EQ_NAMED("pushed-esp", g32_k_frame[4], g32_u_esp_before - 8);
    CHECK_EQ_NAMED("pushed-ss", g32_k_frame[5], TERN_SEL_UDATA);

    test_group("gate32-retf-outer");
    CHECK_EQ_NAMED("cs", g32_u_cs, TERN_SEL_UCODE);
    CHECK_EQ_NAMED("ss", g32_u_ss, TERN_SEL_UDATA);
    CHECK_EQ_NAMED("esp-released", g32_u_esp_after, g32_u_esp_before);
    CHECK_EQ_NAMED("ds-dpl0-nulled", g32_u_ds, 0);
    CHECK_EQ_NAMED("es-dpl3-kept", g32_u_es, TERN_SEL_UDATA);
    g32_k_ds = TERN_SEL_UDATA;
    CHECK_EQ_NAMED("call-ds-user", tern_run_user(g32_user_call, 0), -1);
    CHECK_EQ_NAMED("ds-dpl3-kept", g32_u_ds, TERN_SEL_UDATA);

    set_gate(TERN_SEL_KCODE, g32_entry_null_ss);
    check_user_fault("retf-ss-null", g32_entry_null_ss_at, 13, 0, TERN_SEL_KCODE);
}

/* Through a gate to ring 1 with SS1:ESP1 set to ss:esp: the fault at the
 * CALL, still at CPL 3. */
static void check_ss1(const char *name, uint16_t ss, uint32_t esp, int vector, uint64_t code)
{
    tern_tss->ss1 = ss;
    tern_tss->esp1 = esp;
    check_user_fault(name, g32_user_call_at, vector, code, TERN_SEL_UCODE);
}

static void stack_fault_tests(void)
{
    test_group("gate32-stack-faults");
    tern_gdt[IDX_CODE1] = tern_seg_desc(0, 0xfffff, 0xbb, 0xc);
    tern_gdt[IDX_DATA1] = tern_seg_desc(0, 0xfffff, 0xb3, 0xc);
    tern_gdt[IDX_NPD1] = tern_seg_desc(0, 0xfffff, 0x33, 0xc);
    set_gate(SEL(IDX_CODE1) | 1, g32_entry);
    check_ss1("ss-null", 0, tern_tss->esp0, 10, 0);
    check_ss1("ss-rpl", SEL(IDX_DATA1), tern_tss->esp0, 10, SEL(IDX_DATA1));
    check_ss1("ss-dpl0", TERN_SEL_KDATA | 1, tern_tss->esp0, 10, TERN_SEL_KDATA);
    check_ss1("ss-code", SEL(IDX_CODE1) | 1, tern_tss->esp0, 10, SEL(IDX_CODE1));
    check_ss1("ss-not-present", SEL(IDX_NPD1) | 1, tern_tss->esp0, 12, SEL(IDX_NPD1));
    /* 24 bytes (4 dwords and 2 parameters) do not fit below ESP1 = 16 */
    check_ss1("no-room", SEL(IDX_DATA1) | 1, 16, 12, SEL(IDX_DATA1));
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    inner_call_tests();
    stack_fault_tests();
    test_done();
}
