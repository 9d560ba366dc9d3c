/*
 * prot32.c: 32-bit protected mode (the 32-bit runtime's own proof, and the
 * exception frames of 32-bit delivery): exceptions with and without error
 * codes and their exact frames, a segment-load #GP/#NP naming the
 * selector, ring 3 and back through the TSS's ESP0 stack, IOPL and the
 * I/O bitmap at CPL 3, INT n through a DPL 0 gate from ring 3 (#GP with
 * the gate's IDT error code).  Guest only (32-bit, ring 0).
 */
#include "tern.h"

/* a free GDT entry: a not-present data segment */
#define SEL_NP  (TERN_GDT_FREE * 8)

FAULT_FN_AT(do_ud, "", "ud2", "");
FAULT_FN_AT(do_de, "xor %ecx, %ecx\n\tmov $1, %eax\n\txor %edx, %edx", "div %ecx", "");
FAULT_FN_AT(do_int3, "", "int3", "");
FAULT_FN_AT(do_gp_sel, "mov $0x7b, %eax", "mov %eax, %fs", "");   /* beyond the GDT */
FAULT_FN_AT(do_np, "mov $" "0x38" ", %eax", "mov %eax, %ds", "");
FAULT_FN_AT(do_int_dpl0, "", "int $0x0d", "");
FAULT_FN_AT(do_out, "mov $0x80, %dx\n\tmov $0x55, %al", "out %al, %dx", "");
FAULT_FN_AT(do_cli, "", "cli", "");
FAULT_FN_AT(do_hlt, "", "hlt", "");

static void user_nothing(void)
{
}

static void check_frame(const char *name, int vector, void (*fn)(void), const char *at,
                        uint64_t error)
{
    int v = tern_catch_fault(fn);

    test_group(name);
    CHECK_EQ(v, vector);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)at);
    CHECK_EQ(tern_last_fault.error_code, error);
    CHECK_EQ(tern_last_fault.cs, TERN_SEL_KCODE);
}

int main(const struct tern_bootinfo *bi)
{
    uint32_t cr0;

    (void)bi;
    tern_sys_install();
    _Static_assert(SEL_NP == 0x38, "do_np's selector");
    tern_gdt[TERN_GDT_FREE] = tern_seg_desc(0, 0xfffff, 0x13, 0xc);  /* data, P = 0 */

    test_group("mode");
    cr0 = read_cr(0);
    CHECK_EQ(cr0 & 0x80000001u, 1);                     /* PE, no PG */
    CHECK_EQ(read_seg(cs), TERN_SEL_KCODE);

    check_frame("ud", 6, do_ud, do_ud_at, 0);
    check_frame("de", 0, do_de, do_de_at, 0);
    /* a trap: eip after the instruction */
    check_frame("int3", 3, do_int3, do_int3_at + 1, 0);
    /* selector beyond the GDT limit: #GP(selector with RPL cleared) */
    check_frame("gp-limit", 13, do_gp_sel, do_gp_sel_at, 0x78);
    check_frame("np", 11, do_np, do_np_at, 0x38);
    /* same-privilege delivery pushes no ESP/SS: the interrupted stack is
     * the catch's, and SS stays the kernel's */
    CHECK_EQ(tern_last_fault.ss, TERN_SEL_KDATA);
    CHECK_EQ(tern_last_fault.ds, TERN_SEL_KDATA);

    test_group("ring3");
    CHECK_EQ(tern_run_user(user_nothing, 0), -1);
    /* OUT at CPL 3, IOPL 0, port denied by the bitmap: #GP(0), the frame
     * carries the user's CS, SS and data segments */
    CHECK_EQ(tern_run_user(do_out, 0), 13);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)do_out_at);
    CHECK_EQ(tern_last_fault.error_code, 0);
    CHECK_EQ(tern_last_fault.cs, TERN_SEL_UCODE);
    CHECK_EQ(tern_last_fault.ss, TERN_SEL_UDATA);
    CHECK_EQ(tern_last_fault.ds, TERN_SEL_UDATA);
    CHECK_EQ(read_seg(cs), TERN_SEL_KCODE);
    /* the bitmap allows it, or IOPL 3 does */
    tern_io_allow(0x80, 1);
    CHECK_EQ(tern_run_user(do_out, 0), -1);
    tern_io_allow(0x80, 0);
    CHECK_EQ(tern_run_user(do_out, 0x3000), -1);
    /* CLI needs IOPL >= CPL; HLT needs CPL 0 whatever IOPL is */
    CHECK_EQ(tern_run_user(do_cli, 0), 13);
    CHECK_EQ(tern_run_user(do_cli, 0x3000), -1);
    CHECK_EQ(tern_run_user(do_hlt, 0x3000), 13);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)do_hlt_at);
    /* INT 0x0d through a DPL 0 gate from CPL 3: #GP(vector * 8 + 2) */
    CHECK_EQ(tern_run_user(do_int_dpl0, 0), 13);
    CHECK_EQ(tern_last_fault.error_code, 0x0d * 8 + 2);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)do_int_dpl0_at);
    test_done();
}
