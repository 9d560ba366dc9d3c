// tern-nested: skip QEMU 7.2 TCG (the nested CPU) does not check segment limits or types in protected mode
/*
 * segments32.c: segment limit and type checks in 32-bit protected mode
 * (SDM vol.3 5.3, 5.4, 3.4.5.1; docs/cpu.md "Segment limit and type
 * checks"): a small data segment at its exact limit, expand-down segments
 * (32- and 16-bit) on both sides of theirs, SS's limit (#SS(0)), writes
 * (integer, string and x87) through read-only data and code segments,
 * reads through execute-only
 * code, a NULL DS, rep movs stopping at the limit, an FS override with
 * flat DS/ES/SS, and the flat segments faulting on none of it.  Guest only
 * (32-bit, ring 0).
 */
#include "tern.h"

/* the test's GDT entries (from TERN_GDT_FREE = 7) */
#define SEL_SMALL   0x38    /* data, base buf, limit 0xfff */
#define SEL_DOWN    0x40    /* data, expand-down, base buf, limit 0xfff, B = 1 */
#define SEL_RO      0x48    /* data, read-only, base buf, 4 GiB */
#define SEL_XO      0x50    /* code, execute-only, base 0, 4 GiB */
#define SEL_STACK   0x58    /* stack data, base 0, limit 0x3fffff */
#define SEL_DOWN16  0x60    /* data, expand-down, base buf, limit 0xfff, B = 0 */
#define S(x) #x
#define XS(x) S(x)

static uint8_t buf[0x2000] __attribute__((aligned(16)));
static uint32_t dst[8];

/* load DS (or SS, ES, FS) for the access, back to the kernel's after it */
#define WITH(seg, sel) "mov $" XS(sel) ", %eax\n\tmov %eax, %" #seg
#define RESTORE(seg) "mov $0x10, %eax\n\tmov %eax, %" #seg

FAULT_FN_AT(small_last, WITH(ds, SEL_SMALL) "\n\tmov $0xfff, %ebx", "movb (%ebx), %al", RESTORE(ds));
FAULT_FN_AT(small_past, WITH(ds, SEL_SMALL) "\n\tmov $0x1000, %ebx", "movb (%ebx), %al", RESTORE(ds));
FAULT_FN_AT(small_word, WITH(ds, SEL_SMALL) "\n\tmov $0xfff, %ebx", "movw (%ebx), %ax", RESTORE(ds));
FAULT_FN_AT(small_dword_ok, WITH(ds, SEL_SMALL) "\n\tmov $0xffc, %ebx", "movl (%ebx), %eax",
            RESTORE(ds));
FAULT_FN_AT(small_store, WITH(ds, SEL_SMALL) "\n\tmov $0xffe, %ebx", "movl $0x11223344, (%ebx)",
            RESTORE(ds));
/* fnstcw m16 in the last two bytes (its operand has no size in the table) */
FAULT_FN_AT(small_fnstcw, WITH(ds, SEL_SMALL) "\n\tmov $0xffe, %ebx", "fnstcw (%ebx)", RESTORE(ds));
FAULT_FN_AT(small_rmw, WITH(ds, SEL_SMALL) "\n\tmov $0xffd, %ebx", "addl $1, (%ebx)", RESTORE(ds));
FAULT_FN_AT(down_at_limit, WITH(ds, SEL_DOWN) "\n\tmov $0xfff, %ebx", "movb (%ebx), %al", RESTORE(ds));
FAULT_FN_AT(down_above, WITH(ds, SEL_DOWN) "\n\tmov $0x1000, %ebx", "movl (%ebx), %eax", RESTORE(ds));
FAULT_FN_AT(down_top, WITH(ds, SEL_DOWN) "\n\tmov $0xfffffffc, %ebx", "movl (%ebx), %eax",
            RESTORE(ds));
FAULT_FN_AT(down_wrap, WITH(ds, SEL_DOWN) "\n\tmov $0xfffffffe, %ebx", "movl (%ebx), %eax",
            RESTORE(ds));
FAULT_FN_AT(down16_top, WITH(ds, SEL_DOWN16) "\n\tmov $0xffff, %ebx", "movb (%ebx), %al",
            RESTORE(ds));
FAULT_FN_AT(down16_cross, WITH(ds, SEL_DOWN16) "\n\tmov $0xfffe, %ebx", "movl (%ebx), %eax",
            RESTORE(ds));
FAULT_FN_AT(down16_past, WITH(ds, SEL_DOWN16) "\n\tmov $0x10000, %ebx", "movb (%ebx), %al",
            RESTORE(ds));
FAULT_FN_AT(ss_past, WITH(ss, SEL_STACK) "\n\tmov $0x3ffffe, %ebp", "movl (%ebp), %eax",
            RESTORE(ss));
FAULT_FN_AT(ss_last, WITH(ss, SEL_STACK) "\n\tmov $0x3ffffc, %ebp", "movl (%ebp), %eax",
            RESTORE(ss));
FAULT_FN_AT(ro_read, WITH(ds, SEL_RO) "\n\tmov $0x10, %ebx", "movl (%ebx), %eax", RESTORE(ds));
FAULT_FN_AT(ro_write, WITH(ds, SEL_RO) "\n\tmov $0x10, %ebx", "movl $0x55, (%ebx)", RESTORE(ds));
FAULT_FN_AT(ro_rmw, WITH(ds, SEL_RO) "\n\tmov $0x10, %ebx", "addl $1, (%ebx)", RESTORE(ds));
FAULT_FN_AT(ro_fst, WITH(ds, SEL_RO) "\n\tmov $0x10, %ebx\n\tfninit\n\tfld1", "fstps (%ebx)",
            "fninit\n\t" RESTORE(ds));
FAULT_FN_AT(ro_fistp, WITH(ds, SEL_RO) "\n\tmov $0x10, %ebx\n\tfninit\n\tfld1", "fistpl (%ebx)",
            "fninit\n\t" RESTORE(ds));
FAULT_FN_AT(ro_stos, WITH(es, SEL_RO) "\n\tmov $0x10, %edi\n\tcld", "stosb", RESTORE(es));
/* CS: execute-only (far jump to it and back), and the flat readable one */
FAULT_FN_AT(xo_read, "ljmp $" XS(SEL_XO) ", $1f\n1:\tmov $buf, %ebx", "movl %cs:(%ebx), %eax",
            "ljmp $0x08, $2f\n2:");
FAULT_FN_AT(cs_read, "mov $buf, %ebx", "movl %cs:(%ebx), %eax", "");
FAULT_FN_AT(cs_write, "mov $buf, %ebx", "movl %eax, %cs:(%ebx)", "");
FAULT_FN_AT(null_ds, "xor %eax, %eax\n\tmov %eax, %ds\n\tmov $buf, %ebx", "movl (%ebx), %eax",
            RESTORE(ds));
FAULT_FN_AT(null_fs, "xor %eax, %eax\n\tmov %eax, %fs\n\tmov $buf, %ebx", "movl %fs:(%ebx), %eax",
            RESTORE(fs));
/* FS alone is small: DS/ES/SS stay flat */
FAULT_FN_AT(fs_past, WITH(fs, SEL_SMALL) "\n\tmov $0xffe, %ebx", "movw %fs:1(%ebx), %ax",
            RESTORE(fs));
/* rep movsl from DS:0xff8 (small) to flat ES: two dwords, then #GP */
FAULT_FN_AT(rep_movs, WITH(ds, SEL_SMALL) "\n\tmov $0xff8, %esi\n\tmov $dst, %edi\n\t"
            "mov $4, %ecx\n\tcld", "rep movsl", RESTORE(ds));
/* the flat kernel segments: far offsets, stack, strings, none faults */
FAULT_FN_AT(flat_all, WITH(fs, 0x10) "\n\t" WITH(gs, 0x10) "\n\tmov $buf, %ebx\n\tmov $dst, %edi\n\tmov $buf, %esi\n\tmov $8, %ecx\n\tcld",
            "movl $7, 0x1800(%ebx)\n\taddl $1, 0x1800(%ebx)\n\tpush 0x1800(%ebx)\n\tpop %eax\n\t"
            "rep movsl\n\tmovl %fs:(%ebx), %eax\n\tmovl %gs:(%ebx), %eax", "");

static void load_ss_kdata(void)
{
    __asm__ volatile("mov %0, %%ss" : : "r"(TERN_SEL_KDATA));
}

/* fn raises vector with error code 0 at its instruction (or returns: -1). */
static void check_fault(const char *name, int vector, void (*fn)(void), const char *at)
{
    int v = tern_catch_fault(fn);

    load_ss_kdata();
    CHECK_EQ_NAMED(name, v, vector);
    if (vector >= 0 && v == vector) {
        test_check_eq(tern_last_fault.rip, (uint32_t)(uintptr_t)at, name, __FILE__, __LINE__,
                      "rip");
        test_check_eq(tern_last_fault.error_code, 0, name, __FILE__, __LINE__, "error code");
    }
}

int main(const struct tern_bootinfo *bi)
{
    uint32_t b = (uint32_t)(uintptr_t)buf;

    (void)bi;
    tern_sys_install();
    tern_gdt[7] = tern_seg_desc(b, 0xfff, 0x93, 0x4);
    tern_gdt[8] = tern_seg_desc(b, 0xfff, 0x97, 0x4);
    tern_gdt[9] = tern_seg_desc(b, 0xfffff, 0x91, 0xc);
    tern_gdt[10] = tern_seg_desc(0, 0xfffff, 0x99, 0xc);
    tern_gdt[11] = tern_seg_desc(0, 0x3ff, 0x93, 0xc);
    tern_gdt[12] = tern_seg_desc(b, 0xfff, 0x97, 0x0);
    tern_gdt_load();

    test_group("limit");
    check_fault("last-byte", -1, small_last, small_last_at);
    check_fault("one-past", 13, small_past, small_past_at);
    check_fault("word-straddles", 13, small_word, small_word_at);
    check_fault("dword-at-end", -1, small_dword_ok, small_dword_ok_at);
    check_fault("fnstcw-at-end", -1, small_fnstcw, small_fnstcw_at);
    buf[0xffe] = 0xaa;
    check_fault("store-straddles", 13, small_store, small_store_at);
    CHECK_EQ_NAMED("store-nothing-written", buf[0xffe], 0xaa);
    buf[0xffd] = 0x41;
    check_fault("rmw-straddles", 13, small_rmw, small_rmw_at);
    CHECK_EQ_NAMED("rmw-nothing-written", buf[0xffd], 0x41);

    test_group("expand-down");
    check_fault("at-limit", 13, down_at_limit, down_at_limit_at);
    check_fault("above-limit", -1, down_above, down_above_at);
    check_fault("top", -1, down_top, down_top_at);
    check_fault("past-4g", 13, down_wrap, down_wrap_at);
    check_fault("b0-top", -1, down16_top, down16_top_at);
    check_fault("b0-crosses-64k", 13, down16_cross, down16_cross_at);
    check_fault("b0-past-64k", 13, down16_past, down16_past_at);

    test_group("stack");
    check_fault("ss-past", 12, ss_past, ss_past_at);
    check_fault("ss-last", -1, ss_last, ss_last_at);

    test_group("type");
    check_fault("ro-read", -1, ro_read, ro_read_at);
    buf[0x10] = 0x33;
    check_fault("ro-write", 13, ro_write, ro_write_at);
    check_fault("ro-rmw", 13, ro_rmw, ro_rmw_at);
    check_fault("ro-stos", 13, ro_stos, ro_stos_at);
    check_fault("ro-fst", 13, ro_fst, ro_fst_at);
    check_fault("ro-fistp", 13, ro_fistp, ro_fistp_at);
    __asm__ volatile("fninit");
    CHECK_EQ_NAMED("ro-unchanged", buf[0x10], 0x33);
    check_fault("xo-read", 13, xo_read, xo_read_at);
    check_fault("cs-read", -1, cs_read, cs_read_at);
    check_fault("cs-write", 13, cs_write, cs_write_at);
    check_fault("null-ds", 13, null_ds, null_ds_at);
    check_fault("null-fs", 13, null_fs, null_fs_at);
    check_fault("fs-past", 13, fs_past, fs_past_at);

    test_group("rep-movs");
    memset(dst, 0, sizeof(dst));
    for (int i = 0; i < 16; i++) {
        buf[0xff0 + i] = (uint8_t)(0x80 + i);
    }
    check_fault("stops", 13, rep_movs, rep_movs_at);
    CHECK_EQ_NAMED("ecx", tern_last_fault.rcx, 2);
    CHECK_EQ_NAMED("esi", tern_last_fault.rsi, 0x1000);
    CHECK_EQ_NAMED("edi", tern_last_fault.rdi, (uint32_t)(uintptr_t)&dst[2]);
    CHECK_EQ_NAMED("copied", dst[1], 0x8f8e8d8cu);
    CHECK_EQ_NAMED("not-copied", dst[2], 0);

    test_group("flat");
    check_fault("none", -1, flat_all, flat_all_at);
    CHECK_EQ_NAMED("value", buf[0x1800], 8);
    test_done();
}
