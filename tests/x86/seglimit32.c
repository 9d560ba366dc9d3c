// tern-nested: skip QEMU 7.2 TCG (the nested CPU) does not check segment limits in protected mode
/*
 * seglimit32.c: the limits that are not data accesses (docs/cpu.md,
 * "Segment limit and type checks"; SDM vol.3 5.3, vol.2 JMP/CALL/RET/INT
 * n/IRET): code fetch beyond CS.limit (the last instruction that fits
 * runs, one crossing or starting past the limit is #GP(0) at it, and the
 * same bytes run again under a bigger limit: blocks are keyed by the
 * limit), near JMP/Jcc/CALL/RET/JMP r32 to a target beyond the limit
 * (#GP(0) at the branch), and the stack accesses the helpers make: a far
 * CALL, far RET and IRET on an SS without room (#SS(0), expand-up and
 * expand-down), and INT n to ring 1 whose TSS stack has no room for the
 * frame (#SS(SS1), delivered on the ring-0 stack); and a 16-bit call gate
 * from 16-bit code (its frame and parameter count in words).  Guest only
 * (32-bit).
 */
#include "tern.h"

#define IDX_CL_ALL   TERN_GDT_FREE          /* code32, base cl_blob: all of it */
#define IDX_CL_CROSS (TERN_GDT_FREE + 1)    /* ends inside the mov at cl_cross */
#define IDX_CL_END   (TERN_GDT_FREE + 2)    /* ends just before cl_cross */
#define IDX_CL_NEAR  (TERN_GDT_FREE + 3)    /* ends just before cl_far */
#define IDX_USS      (TERN_GDT_FREE + 4)    /* DPL 3 data, base stk, limit 0xff */
#define IDX_UDOWN    (TERN_GDT_FREE + 5)    /* DPL 3 expand-down, limit 0xfff */
#define IDX_CODE1    (TERN_GDT_FREE + 6)    /* code32, DPL 1, flat */
#define IDX_SS1      (TERN_GDT_FREE + 7)    /* DPL 1 data, base stk + 0x300 */
#define SEL(i)       ((uint16_t)((i) * 8))
#define S(x) #x
#define XS(x) S(x)
#define INT_VEC      0x40

struct far32 {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed));

struct far32 cl_fp;
static uint8_t stk[0x400] __attribute__((aligned(16)));

/* cl_run far-jumps to cl_fp; the blob comes back to cl_done through the
 * flat kernel CS.  Offsets in the blob are EIPs under its segments. */
__asm__(".text\n"
        ".globl cl_run\ncl_run:\n\tljmp *cl_fp\n"
        "cl_done:\n\tret\n"
        ".balign 16\n"
        ".globl cl_blob\ncl_blob:\n"
        ".globl cl_seq\ncl_seq:\n\tmov $1, %eax\n\tmov $2, %eax\n"
        ".globl cl_cross\ncl_cross:\n\tmov $3, %eax\n"
        "\tljmp $" XS(TERN_SEL_KCODE) ", $cl_done\n"
        ".globl cl_jd\ncl_jd:\n\tjmp cl_far\n"
        ".globl cl_ji\ncl_ji:\n\tmov $(cl_far - cl_blob), %ecx\n"
        ".globl cl_ji_at\ncl_ji_at:\n\tjmp *%ecx\n"
        ".globl cl_call\ncl_call:\n\tcall cl_far\n"
        ".globl cl_ret\ncl_ret:\n\tpush $(cl_far - cl_blob)\n"
        ".globl cl_ret_at\ncl_ret_at:\n\tret\n"
        ".globl cl_jcc\ncl_jcc:\n\txor %eax, %eax\n"
        ".globl cl_jcc_at\ncl_jcc_at:\n\tjz cl_far\n\tud2\n"
        ".globl cl_far\ncl_far:\n\tljmp $" XS(TERN_SEL_KCODE) ", $cl_done\n"
        ".globl cl_end\ncl_end:\n");
void cl_run(void);
extern char cl_blob[], cl_seq[], cl_cross[], cl_jd[], cl_ji[], cl_ji_at[], cl_call[], cl_ret[],
    cl_ret_at[], cl_jcc[], cl_jcc_at[], cl_far[], cl_end[];

static uint32_t off(const char *p)
{
    return (uint32_t)(p - cl_blob);
}

/* Run the blob from entry under the segment idx: back through cl_done
 * (at NULL) or #GP(0) at the EIP of at with CS = idx. */
static void check_code(const char *name, int idx, const char *entry, const char *at)
{
    int v;

    cl_fp = (struct far32){ off(entry), SEL(idx) };
    v = tern_catch_fault(cl_run);
    if (!at) {
        CHECK_EQ_NAMED(name, v, -1);
        return;
    }
    CHECK_FAULT(name, v, 13, 0, (const void *)(uintptr_t)off(at), SEL(idx));
}

static void code_tests(void)
{
    uint32_t b = (uint32_t)(uintptr_t)cl_blob;

    tern_gdt[IDX_CL_ALL] = tern_seg_desc(b, off(cl_end) - 1, 0x9b, 0x4);
    tern_gdt[IDX_CL_CROSS] = tern_seg_desc(b, off(cl_cross) + 1, 0x9b, 0x4);
    tern_gdt[IDX_CL_END] = tern_seg_desc(b, off(cl_cross) - 1, 0x9b, 0x4);
    tern_gdt[IDX_CL_NEAR] = tern_seg_desc(b, off(cl_far) - 1, 0x9b, 0x4);
    tern_gdt_load();

    test_group("fetch");
    check_code("all-fits", IDX_CL_ALL, cl_seq, NULL);
    check_code("crosses-limit", IDX_CL_CROSS, cl_seq, cl_cross);
    CHECK_EQ_NAMED("crosses-limit-eax", tern_last_fault.rax, 2);
    check_code("starts-past-limit", IDX_CL_END, cl_seq, cl_cross);
    CHECK_EQ_NAMED("starts-past-limit-eax", tern_last_fault.rax, 2);
    check_code("all-fits-again", IDX_CL_ALL, cl_seq, NULL);

    test_group("near-branch");
    check_code("jmp-ok", IDX_CL_ALL, cl_jd, NULL);
    check_code("jmp-past", IDX_CL_NEAR, cl_jd, cl_jd);
    check_code("jmp-r32-past", IDX_CL_NEAR, cl_ji, cl_ji_at);
    check_code("call-past", IDX_CL_NEAR, cl_call, cl_call);
    check_code("ret-past", IDX_CL_NEAR, cl_ret, cl_ret_at);
    check_code("jcc-past", IDX_CL_NEAR, cl_jcc, cl_jcc_at);
}

/* Ring 3 on a small SS (set up before the _at label). */
#define USS(idx, esp) "mov $" XS(idx) " * 8 + 3, %eax\n\tmov %eax, %ss\n\tmov $" XS(esp) ", %esp"
FAULT_FN_AT(us_lcall, USS(IDX_USS, 6), "lcall $" XS(TERN_SEL_UCODE) ", $us_target", "");
FAULT_FN_AT(us_lcall_ok, USS(IDX_USS, 8), "lcall $" XS(TERN_SEL_UCODE) ", $us_target", "");
FAULT_FN_AT(us_lcall_down, USS(IDX_UDOWN, 0x1006), "lcall $" XS(TERN_SEL_UCODE) ", $us_target",
            "");
FAULT_FN_AT(us_lret, USS(IDX_USS, 0xfc), "lret", "");
FAULT_FN_AT(us_iret, USS(IDX_USS, 0xf8), "iret", "");
FAULT_FN_AT(us_int, "", "int $" XS(INT_VEC), "");
__asm__(".text\n.globl us_target\nus_target:\n\tud2\n"
        ".globl r1_entry\nr1_entry:\n\tud2\n");
extern char us_target[], r1_entry[];

static void check_user(const char *name, void (*fn)(void), int vector, uint64_t code,
                       const void *rip, uint64_t cs)
{
    CHECK_FAULT(name, tern_run_user(fn, 0), vector, code, rip, cs);
}

static void stack_tests(void)
{
    uint32_t s = (uint32_t)(uintptr_t)stk;

    tern_gdt[IDX_USS] = tern_seg_desc(s, 0xff, 0xf3, 0x4);
    tern_gdt[IDX_UDOWN] = tern_seg_desc(s + 0x100 - 0x1000, 0xfff, 0xf7, 0x4);
    tern_gdt[IDX_CODE1] = tern_seg_desc(0, 0xfffff, 0xbb, 0xc);
    tern_gdt[IDX_SS1] = tern_seg_desc(s + 0x300, 0xff, 0xb3, 0x4);
    tern_gdt_load();
    memset(stk, 0, sizeof(stk));

    test_group("helper-stack");
    /* CALL's frame is CS then EIP: the EIP push at ESP - 8 wraps below 0 */
    check_user("lcall-no-room", us_lcall, 12, 0, us_lcall_at, TERN_SEL_UCODE);
    check_user("lcall-room", us_lcall_ok, 6, 0, us_target, TERN_SEL_UCODE);
    check_user("lcall-expand-down", us_lcall_down, 12, 0, us_lcall_down_at, TERN_SEL_UCODE);
    /* the CS pop at ESP + 4 is past the limit 0xff */
    check_user("lret-past-limit", us_lret, 12, 0, us_lret_at, TERN_SEL_UCODE);
    /* EFLAGS at ESP + 8 is past it */
    check_user("iret-past-limit", us_iret, 12, 0, us_iret_at, TERN_SEL_UCODE);

    /* INT n to ring 1: the 20-byte frame on SS1:ESP1 from the TSS */
    tern_idt_set_gate(INT_VEC, tern_gate_desc(SEL(IDX_CODE1), (uint32_t)(uintptr_t)r1_entry,
                                              0xee, 0));
    tern_tss->ss1 = SEL(IDX_SS1) | 1;
    tern_tss->esp1 = 16;
    check_user("int-no-room", us_int, 12, SEL(IDX_SS1), us_int_at, TERN_SEL_UCODE);
    tern_tss->esp1 = 20;
    check_user("int-room", us_int, 6, 0, r1_entry, SEL(IDX_CODE1) | 1);
    tern_idt_set_gate(INT_VEC, 0);
}

/*
 * A 16-bit call gate from 16-bit ring-3 code to ring 0 (SDM vol.3 5.8.5):
 * the frame and the parameter count are in words.  The caller runs on a
 * 16-bit stack below 64 KiB (the gate saves SP only) and comes back to
 * 32-bit code; the ring-0 entry (a 32-bit segment based at the blob: the
 * gate's offset is 16 bits) records its ESP and frame, then RETF 4 (16-bit).
 */
#define IDX_U16    IDX_CL_ALL       /* code16, DPL 3, base g16_blob */
#define IDX_K32B   IDX_CL_CROSS     /* code32, DPL 0, base g16_blob */
#define IDX_GATE16 IDX_CL_END       /* 16-bit call gate, DPL 3, 2 words */
#define IDX_STK16  IDX_CL_NEAR      /* data16, DPL 3, base stk16 */
static uint8_t stk16[0x100] __attribute__((aligned(16)));
uint32_t g16_u_esp, g16_u_sp_after, g16_u_ss_after, g16_k_esp, g16_k_frame[3];

__asm__(".text\n"
        ".globl g16_user\ng16_user:\n"
        "\tmov %esp, g16_u_esp\n"
        "\tmov $" XS(IDX_STK16) " * 8 + 3, %eax\n\tmov %eax, %ss\n\tmov $0x100, %esp\n"
        "\tpushw $0x1111\n\tpushw $0x2222\n"
        "\tljmp $" XS(IDX_U16) " * 8 + 3, $0\n"
        "g16_back:\n"
        "\tmov %esp, g16_u_sp_after\n\tmov %ss, %eax\n\tmov %eax, g16_u_ss_after\n"
        "\tmov $" XS(TERN_SEL_UDATA) ", %eax\n\tmov %eax, %ss\n\tmov g16_u_esp, %esp\n"
        "\tret\n"
        ".balign 16\n"
        ".globl g16_blob\ng16_blob:\n"
        ".code16\n"
        "\tlcall $" XS(IDX_GATE16) " * 8 + 3, $0\n"
        "\tljmpl $" XS(TERN_SEL_UCODE) ", $g16_back\n"
        ".code32\n"
        ".globl g16_entry\ng16_entry:\n"
        "\tmov %esp, g16_k_esp\n"
        "\tmov (%esp), %eax\n\tmov %eax, g16_k_frame\n"
        "\tmov 4(%esp), %eax\n\tmov %eax, g16_k_frame + 4\n"
        "\tmov 8(%esp), %eax\n\tmov %eax, g16_k_frame + 8\n"
        "\tlretw $4\n");
void g16_user(void);
extern char g16_blob[], g16_entry[];

static void gate16_tests(void)
{
    uint32_t b = (uint32_t)(uintptr_t)g16_blob;
    uint16_t ss16 = SEL(IDX_STK16) | 3;

    tern_gdt[IDX_U16] = tern_seg_desc(b, 0xffff, 0xfb, 0x0);
    tern_gdt[IDX_K32B] = tern_seg_desc(b, 0xfff, 0x9b, 0x4);
    tern_gdt[IDX_GATE16] = tern_gate_desc(SEL(IDX_K32B), (uint32_t)(g16_entry - g16_blob),
                                          0xe4, 2);
    tern_gdt[IDX_STK16] = tern_seg_desc((uint32_t)(uintptr_t)stk16, 0xffff, 0xf3, 0x0);
    tern_gdt_load();

    test_group("gate16");
    CHECK_EQ_NAMED("call", tern_run_user(g16_user, 0), -1);
    CHECK_EQ_NAMED("esp-esp0-12", g16_k_esp, tern_tss->esp0 - 12);
    CHECK_EQ_NAMED("ip-cs", g16_k_frame[0], 5u | (uint32_t)(SEL(IDX_U16) | 3) << 16);
    CHECK_EQ_NAMED("params-words", g16_k_frame[1], 0x11112222u);
    CHECK_EQ_NAMED("sp-ss", g16_k_frame[2], (0x100u - 4) | (uint32_t)ss16 << 16);
    /* SP only: on a 16-bit stack ESP's upper half is the inner one's (the
     * leak Linux's espfix hides) */
    CHECK_EQ_NAMED("sp-released", g16_u_sp_after & 0xffff, 0x100);
    CHECK_EQ_NAMED("ss-back", g16_u_ss_after, ss16);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    code_tests();
    stack_tests();
    gate16_tests();
    test_done();
}
