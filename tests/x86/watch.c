// tern-nested: allow len/* QEMU 7.2 TCG (the nested CPU) does not mask data-breakpoint addresses by length
// tern-nested: allow io/* QEMU 7.2 TCG (the nested CPU) has no I/O breakpoints
// tern-nested: allow multiple/* QEMU 7.2 TCG (the nested CPU) reports one data breakpoint where several hit
// tern-nested: allow rep-movs/* QEMU 7.2 TCG (the nested CPU): data breakpoints inside REP MOVS (RF, last hit) differ
/*
 * watch.c: data and I/O breakpoints (SDM vol.3 18.2.4, 18.3.1.2-3).
 *   - Data breakpoints (DR7 R/W = 01 write, 11 read or write; LEN 1, 2,
 *     4, 8 bytes, the address rounded down to the length) are traps: the
 *     instruction completes, then #DB with DR6.Bn, rip at the next
 *     instruction.  mov, push, a page-crossing store, a read under R/W =
 *     11 (not under 01), rep movs (after the iteration that hit: rip at the
 *     instruction, rCX left, RF = 1 in the frame; after the last one: next
 *     instruction, RF = 0), FXSAVE (a helper's stores), bytes next to the
 *     range do not hit, L and G
 *     both enable, DR7 = 400 disables, several matches set several B bits,
 *     DR6 exact.
 *   - I/O breakpoints (R/W = 10) with CR4.DE: IN/OUT (imm8 and DX forms)
 *     and OUTS trap after the instruction; no trap with CR4.DE = 0.
 *   - The EFLAGS image of a fault frame has RF = 1, of a trap frame RF = 0.
 * Guest only: the debug registers need ring 0.
 */
#include "tern.h"

#define DR6_FIXED 0xffff0ff0ull
/* DR7 for DRn: L (1) or G (2) enable, R/W, LEN code (0: 1, 1: 2, 3: 4, 2: 8) */
#define DR7_BP(n, en, rw, len) \
    (0x400ull | ((uint64_t)(en) << (2 * (n))) | ((uint64_t)(rw) << (16 + 4 * (n))) | \
     ((uint64_t)(len) << (18 + 4 * (n))))
enum { RW_W = 1, RW_IO = 2, RW_RW = 3 };
enum { LEN1 = 0, LEN2 = 1, LEN8 = 2, LEN4 = 3 };

uint8_t wbuf[8192] __attribute__((aligned(4096)));
uint64_t wstack[64] __attribute__((aligned(16)));
uint64_t waddr;          /* the address the access functions use */
uint8_t wsrc[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* TRAP_FN(name, setup, insn): name_at is insn, name_end the next one. */
#define TRAP_FN(name, setup, insn)                                           \
    FAULT_FN_AT(name, setup, insn, ".globl " #name "_end\n" #name "_end:");  \
    extern char name##_end[]

TRAP_FN(st1_fn, "mov waddr(%rip), %rbx", "movb $0x5a, (%rbx)");
TRAP_FN(st4_fn, "mov waddr(%rip), %rbx", "movl $0x11223344, (%rbx)");
TRAP_FN(ld4_fn, "mov waddr(%rip), %rbx\n\txor %eax, %eax", "movl (%rbx), %eax");
/* push onto wstack's top: the slot written is wstack[63] */
TRAP_FN(push_fn, "mov %rsp, %rdx\n\tlea wstack+512(%rip), %rsp\n\tmov $0x77, %eax",
        "push %rax\n\t.globl push_fn_after\npush_fn_after:\n\tmov %rdx, %rsp");
extern char push_fn_after[];
/* rep movsb of 16 bytes from wsrc to wbuf + 128 */
TRAP_FN(movs_fn, "lea wsrc(%rip), %rsi\n\tlea wbuf+128(%rip), %rdi\n\tmov $16, %ecx\n\tcld",
        "rep movsb");
TRAP_FN(outb_fn, "mov $0x12, %al", "outb %al, $0x80");
TRAP_FN(outb81_fn, "mov $0x12, %al", "outb %al, $0x82");
TRAP_FN(inb_dx_fn, "mov $0x3ff, %edx", "inb %dx, %al");
TRAP_FN(outsb_fn, "mov $0x3ff, %edx\n\tlea wsrc(%rip), %rsi", "outsb");
TRAP_FN(ud_fn, "", "ud2");
TRAP_FN(fxsave_fn, "mov waddr(%rip), %rbx", "fxsave64 (%rbx)");

/* Arm DR0 alone, clear DR6. */
static void arm0(uint64_t addr, int en, int rw, int len)
{
    write_dr(7, 0x400);
    write_dr(0, addr);
    write_dr(6, 0);
    write_dr(7, DR7_BP(0, en, rw, len));
}

/* Run fn with waddr = addr: 1 if it trapped with #DB at name_end and DR6
 * = FIXED | b, 0 if it ran through, else 100 + the vector. */
static int trap_at(void (*fn)(void), const char *end, uint64_t addr, uint64_t b)
{
    int v;

    waddr = addr;
    write_dr(6, 0);
    v = tern_catch_fault(fn);
    if (v == -1) {
        return 0;
    }
    if (v != 1 || tern_last_fault.rip != (uint64_t)(uintptr_t)end || read_dr(6) != (DR6_FIXED | b)) {
        return 100 + v;
    }
    return 1;
}

#define W(off) ((uint64_t)(uintptr_t)&wbuf[off])

static void write_tests(void)
{
    test_group("write");
    /* (C code must not touch an armed range: its #DB would not be caught) */
    wbuf[64] = 0;
    arm0(W(64), 1, RW_W, LEN4);
    CHECK_EQ_NAMED("mov-hit", trap_at(st4_fn, st4_fn_end, W(64), 1), 1);
    CHECK_EQ_NAMED("mov-completed", *(volatile uint32_t *)&wbuf[64], 0x11223344);
    CHECK_EQ_NAMED("frame-rf-0", tern_last_fault.rflags & FL_RF, 0);
    CHECK_EQ_NAMED("read-no-hit", trap_at(ld4_fn, ld4_fn_end, W(64), 1), 0);
    CHECK_EQ_NAMED("after-no-hit", trap_at(st1_fn, st1_fn_end, W(68), 1), 0);
    CHECK_EQ_NAMED("before-no-hit", trap_at(st1_fn, st1_fn_end, W(63), 1), 0);
    CHECK_EQ_NAMED("overlap-hit", trap_at(st4_fn, st4_fn_end, W(61), 1), 1);
    CHECK_EQ_NAMED("last-byte-hit", trap_at(st1_fn, st1_fn_end, W(67), 1), 1);

    test_group("len");
    arm0(W(66), 1, RW_W, LEN4);                  /* 64..67 */
    CHECK_EQ_NAMED("len4-masked", trap_at(st1_fn, st1_fn_end, W(64), 1), 1);
    arm0(W(71), 1, RW_W, LEN8);                  /* 64..71 */
    CHECK_EQ_NAMED("len8-first", trap_at(st1_fn, st1_fn_end, W(64), 1), 1);
    CHECK_EQ_NAMED("len8-last", trap_at(st1_fn, st1_fn_end, W(71), 1), 1);
    CHECK_EQ_NAMED("len8-past", trap_at(st1_fn, st1_fn_end, W(72), 1), 0);
    arm0(W(65), 1, RW_W, LEN2);                  /* 64..65 */
    CHECK_EQ_NAMED("len2-masked", trap_at(st1_fn, st1_fn_end, W(64), 1), 1);
    CHECK_EQ_NAMED("len2-past", trap_at(st1_fn, st1_fn_end, W(66), 1), 0);
    arm0(W(65), 1, RW_W, LEN1);
    CHECK_EQ_NAMED("len1-below", trap_at(st1_fn, st1_fn_end, W(64), 1), 0);
    CHECK_EQ_NAMED("len1-hit", trap_at(st1_fn, st1_fn_end, W(65), 1), 1);

    test_group("enable");
    arm0(W(64), 2, RW_W, LEN1);                  /* G0 */
    CHECK_EQ_NAMED("g0-hit", trap_at(st1_fn, st1_fn_end, W(64), 1), 1);
    write_dr(7, 0x400);
    CHECK_EQ_NAMED("dr7-cleared", trap_at(st1_fn, st1_fn_end, W(64), 1), 0);
    arm0(W(64), 1, RW_W, LEN1);
    write_dr(7, DR7_BP(0, 0, RW_W, LEN1));          /* R/W and LEN, no L/G */
    CHECK_EQ_NAMED("no-enable", trap_at(st1_fn, st1_fn_end, W(64), 1), 0);

    test_group("kinds");
    arm0((uint64_t)(uintptr_t)&wstack[63], 1, RW_W, LEN8);
    CHECK_EQ_NAMED("push-hit", trap_at(push_fn, push_fn_after, 0, 1), 1);
    CHECK_EQ_NAMED("push-value", wstack[63], 0x77);
    arm0(W(4096), 1, RW_W, LEN1);                /* first byte of the next page */
    CHECK_EQ_NAMED("cross-page-hit", trap_at(st4_fn, st4_fn_end, W(4094), 1), 1);
    CHECK_EQ_NAMED("cross-page-value", *(volatile uint32_t *)&wbuf[4094], 0x11223344);
    CHECK_EQ_NAMED("page-before-no-hit", trap_at(st4_fn, st4_fn_end, W(4090), 1), 0);
    *(volatile uint32_t *)&wbuf[64] = 0xcafe;
    arm0(W(64), 1, RW_RW, LEN4);
    CHECK_EQ_NAMED("rw-read-hit", trap_at(ld4_fn, ld4_fn_end, W(64), 1), 1);
    CHECK_EQ_NAMED("rw-read-value", (uint32_t)tern_last_fault.rax, 0xcafe);
    CHECK_EQ_NAMED("rw-write-hit", trap_at(st1_fn, st1_fn_end, W(66), 1), 1);
    arm0(W(1024 + 160), 1, RW_W, LEN8);          /* XMM0's slot of the image */
    CHECK_EQ_NAMED("helper-fxsave-hit", trap_at(fxsave_fn, fxsave_fn_end, W(1024), 1), 1);

    test_group("rep-movs");
    arm0(W(136), 1, RW_W, LEN1);                 /* the 9th byte */
    CHECK_EQ_NAMED("mid-hit", trap_at(movs_fn, movs_fn_at, 0, 1), 1);
    CHECK_EQ_NAMED("mid-rcx", tern_last_fault.rcx, 7);
    CHECK_EQ_NAMED("mid-rdi", tern_last_fault.rdi, W(137));
    CHECK_EQ_NAMED("mid-rf", tern_last_fault.rflags & FL_RF, FL_RF);
    CHECK_EQ_NAMED("mid-byte", wbuf[136], 9);
    CHECK_EQ_NAMED("mid-not-past", wbuf[137], 0);
    arm0(W(143), 1, RW_W, LEN1);                 /* the last byte */
    CHECK_EQ_NAMED("last-hit", trap_at(movs_fn, movs_fn_end, 0, 1), 1);
    CHECK_EQ_NAMED("last-rcx", tern_last_fault.rcx, 0);
    CHECK_EQ_NAMED("last-rf", tern_last_fault.rflags & FL_RF, 0);

    test_group("multiple");
    write_dr(7, 0x400);
    write_dr(0, W(64));
    write_dr(1, W(66));
    write_dr(2, W(256));
    write_dr(3, W(67));
    write_dr(7, DR7_BP(0, 1, RW_W, LEN4) | DR7_BP(1, 2, RW_RW, LEN1) | DR7_BP(2, 1, RW_W, LEN8) |
             DR7_BP(3, 1, 0, LEN1));             /* DR3: execute, never hit */
    CHECK_EQ_NAMED("b0-b1", trap_at(st4_fn, st4_fn_end, W(64), 3), 1);
    CHECK_EQ_NAMED("b1-only", trap_at(ld4_fn, ld4_fn_end, W(64), 2), 1);
    CHECK_EQ_NAMED("b2-only", trap_at(st1_fn, st1_fn_end, W(263), 4), 1);
    write_dr(7, 0x400);
    write_dr(6, 0);
}

static void io_tests(void)
{
    uint64_t cr4 = read_cr(4);

    test_group("io");
    write_cr(4, cr4 | CR4_DE);
    arm0(0x80, 1, RW_IO, LEN1);
    CHECK_EQ_NAMED("out-imm-hit", trap_at(outb_fn, outb_fn_end, 0, 1), 1);
    CHECK_EQ_NAMED("out-other-port", trap_at(outb81_fn, outb81_fn_end, 0, 1), 0);
    arm0(0x83, 1, RW_IO, LEN4);                  /* ports 0x80..0x83 */
    CHECK_EQ_NAMED("len4-hit", trap_at(outb81_fn, outb81_fn_end, 0, 1), 1);
    arm0(0x3ff, 2, RW_IO, LEN1);
    CHECK_EQ_NAMED("in-dx-hit", trap_at(inb_dx_fn, inb_dx_fn_end, 0, 1), 1);
    CHECK_EQ_NAMED("outs-hit", trap_at(outsb_fn, outsb_fn_end, 0, 1), 1);
    CHECK_EQ_NAMED("outs-rsi", tern_last_fault.rsi, (uint64_t)(uintptr_t)&wsrc[1]);
    write_cr(4, cr4 & ~(uint64_t)CR4_DE);
    CHECK_EQ_NAMED("no-de-no-trap", trap_at(inb_dx_fn, inb_dx_fn_end, 0, 1), 0);
    write_dr(7, 0x400);
    write_dr(6, 0);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("the debug registers need ring 0");
#endif
    tern_sys_install();
    write_tests();
    io_tests();

    test_group("rf");
    CHECK_EQ_NAMED("fault-frame", tern_catch_fault(ud_fn), 6);
    CHECK_EQ_NAMED("fault-frame-rf", tern_last_fault.rflags & FL_RF, FL_RF);
    test_done();
}
