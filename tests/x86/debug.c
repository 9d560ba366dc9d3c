// tern-nested: allow int1/* QEMU 7.2 TCG (the nested CPU) raises #UD, not #DB, for INT1 (0xf1) in SVM guest mode
// tern-nested: allow gd/* DR7.GD: no #DB on a debug-register access (KVM intercepts them; seen nested only)
// tern-nested: allow mov-dr/dr7-reserved DR7's reserved bits read back as KVM keeps them (seen nested only)
/*
 * debug.c: the debug architecture (SDM vol.3 ch.17).
 *   - Single step: with EFLAGS.TF a #DB trap follows each instruction, not
 *     the POPF that sets TF but the one that clears it; MOV SS defers the
 *     trap past the next instruction.  DR6.BS is set, rip is the next
 *     instruction.
 *   - INT1 (F1): a #DB trap, rip after it.
 *   - MOV DR at CPL 3 #GP(0); DR8 (REX.R) #UD.
 *   Guest only (ring 0):
 *   - boot values DR6 = FFFF0FF0, DR7 = 400; DR6's fixed bits; DR4/DR5
 *     alias DR6/DR7 unless CR4.DE (then #UD); bits 63:32 of DR6/DR7 #GP(0); DR7.GD
 *     makes MOV DR a #DB fault with DR6.BD, GD cleared.
 *   - Instruction breakpoints (DR0, L0, R/W = 00): a #DB fault before the
 *     instruction with DR6.B0, also for code translated before the
 *     breakpoint was set and in the middle of a block; RF in the IRET frame
 *     lets it run once; clearing L0 disables it.
 * The native build proves the single-step counts (SIGTRAP), INT1 and the
 * CPL 3 cases on the host CPU.
 */
#include "tern.h"

#ifdef TERN_NATIVE
#include <signal.h>
#include <string.h>
#endif

#define DR6_BD 0x2000u
#define DR6_BS 0x4000u
#define DR7_GD 0x2000u

/* TF on; five NOPs; TF off: a trap after each NOP, PUSHF, AND and the POPF
 * that clears TF: 8. */
void ss_seq(void);
extern char ss_seq_end[];
__asm__(".text\n.globl ss_seq, ss_seq_end\nss_seq:\n"
        "    pushfq\n    orq $0x100, (%rsp)\n    popfq\n"
        "    nop\n    nop\n    nop\n    nop\n    nop\n"
        "    pushfq\n    andq $~0x100, (%rsp)\n    popfq\n"
        "ss_seq_end:\n    ret\n");
/* MOV SS: no trap after it, one after the next instruction: 5 */
void ss_shadow(void);
__asm__(".text\n.globl ss_shadow\nss_shadow:\n"
        "    pushfq\n    orq $0x100, (%rsp)\n    popfq\n"
        "    mov %ss, %eax\n    mov %eax, %ss\n    nop\n"
        "    pushfq\n    andq $~0x100, (%rsp)\n    popfq\n    ret\n");

FAULT_FN_AT(int1_fn, "", ".byte 0xf1", "");
FAULT_FN(rd_dr7_fn, "mov %dr7, %rax");
FAULT_FN(rd_dr8_fn, ".byte 0x44, 0x0f, 0x21, 0xc0");       /* mov %dr8, %rax */

static volatile uint64_t db_count;

#ifdef TERN_NATIVE
static void db_signal(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    db_count++;
}

/* Count #DB traps while fn runs (SIGTRAP natively). */
static uint64_t count_traps(void (*fn)(void))
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = db_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, &old);
    db_count = 0;
    fn();
    sigaction(SIGTRAP, &old, NULL);
    return db_count;
}
#else
/* A #DB handler that counts, records DR6 and rip, and returns, with RF in
 * the frame when db_set_rf. */
volatile uint64_t db_last_dr6, db_last_rip, db_set_rf;
void db_handler(void);
__asm__(".text\n.globl db_handler\ndb_handler:\n"
        "    push %rax\n"
        "    incq db_count(%rip)\n"
        "    mov %dr6, %rax\n    mov %rax, db_last_dr6(%rip)\n"
        "    mov 8(%rsp), %rax\n    mov %rax, db_last_rip(%rip)\n"
        "    cmpq $0, db_set_rf(%rip)\n    je 1f\n"
        "    orq $0x10000, 24(%rsp)\n"
        "1:  pop %rax\n    iretq\n");

struct gate { uint64_t lo, hi; };

/* Point IDT vector vec at h (0: put back saved); returns the old gate. */
static struct gate set_gate(int vec, void (*h)(void), struct gate saved)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
    struct gate *idt, old;
    uint64_t a = (uint64_t)(uintptr_t)h;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    idt = (struct gate *)(uintptr_t)idtr.base;
    old = idt[vec];
    if (h) {
        idt[vec].lo = (old.lo & 0x0000ffffffff0000ull) | (a & 0xffff) | ((a >> 16) << 48);
        idt[vec].hi = a >> 32;
    } else {
        idt[vec] = saved;
    }
    return old;
}

static struct gate set_db_gate(void (*h)(void), struct gate saved)
{
    return set_gate(1, h, saved);
}

static uint64_t count_traps(void (*fn)(void))
{
    struct gate old = set_db_gate(db_handler, (struct gate){ 0, 0 });

    db_count = 0;
    fn();
    set_db_gate(NULL, old);
    return db_count;
}

uint64_t wr_cr4_fn_val;
FAULT_FN(wr_cr4_fn, "mov wr_cr4_fn_val(%rip), %rax\n\tmov %rax, %cr4");

FAULT_FN(wr_dr4_fn, "xor %eax, %eax\n\t.byte 0x0f, 0x23, 0xe0");
static uint64_t rd_dr4(void) { uint64_t v; __asm__ volatile(".byte 0x0f, 0x21, 0xe0" : "=a"(v)); return v; }
static uint64_t rd_dr5(void) { uint64_t v; __asm__ volatile(".byte 0x0f, 0x21, 0xe8" : "=a"(v)); return v; }
uint64_t dr_val;
FAULT_FN_AT(wr_dr6_fn, "mov dr_val(%rip), %rax", "mov %rax, %dr6", "");
FAULT_FN_AT(wr_dr7_fn, "mov dr_val(%rip), %rax", "mov %rax, %dr7", "");
FAULT_FN_AT(rd_dr0_fn, "", "mov %dr0, %rax", "");
/* the breakpoint goes on bp_fn_at, the second instruction of the block */
FAULT_FN_AT(bp_fn, "xor %eax, %eax", "mov $42, %eax", "");
int bp_call(void);
__asm__(".text\nbp_call:\n    call bp_fn\n    ret\n");
/* div by ECX = 0; de_fix_handler sets ECX = 2 and returns: the div runs
 * again, with the RF its fault frame got (18.3.1.1) */
FAULT_FN_AT(div_fn, "xor %edx, %edx\n\tmov $84, %eax\n\txor %ecx, %ecx", "div %ecx", "");
int div_call(void);
__asm__(".text\ndiv_call:\n    call div_fn\n    ret\n");
volatile uint64_t de_count, de_rflags;
void de_fix_handler(void);
__asm__(".text\n.globl de_fix_handler\nde_fix_handler:\n"
        "    incq de_count(%rip)\n"
        "    push %rax\n    mov 24(%rsp), %rax\n    mov %rax, de_rflags(%rip)\n    pop %rax\n"
        "    mov $2, %ecx\n    iretq\n");

static void mov_dr_tests(void)
{
    uint64_t cr4 = read_cr(4);

    test_group("mov-dr");
    write_dr(6, 0);
    CHECK_EQ_NAMED("dr6-fixed", read_dr(6), 0xffff0ff0);
    write_dr(6, 0xf);
    CHECK_EQ_NAMED("dr6-b0-b3", read_dr(6), 0xffff0fff);
    CHECK_EQ_NAMED("dr4-is-dr6", rd_dr4(), 0xffff0fff);
    CHECK_EQ_NAMED("dr5-is-dr7", rd_dr5(), 0x400);
    write_dr(0, 0x123456789abcull);
    CHECK_EQ_NAMED("dr0", read_dr(0), 0x123456789abcull);
    CHECK_EQ_NAMED("dr4-write-ok", tern_catch_fault(wr_dr4_fn), -1);
    CHECK_EQ_NAMED("dr4-write-is-dr6", read_dr(6), 0xffff0ff0);
    /* CR4.DE: DR4/DR5 #UD */
    wr_cr4_fn_val = cr4 | CR4_DE;
    CHECK_EQ_NAMED("cr4-de", tern_catch_fault(wr_cr4_fn), -1);
    CHECK_EQ_NAMED("de-dr4-ud", tern_catch_fault(wr_dr4_fn), 6);
    wr_cr4_fn_val = cr4;
    CHECK_EQ_NAMED("cr4-de-off", tern_catch_fault(wr_cr4_fn), -1);
    CHECK_EQ_NAMED("cr4-restored", read_cr(4), cr4);
    dr_val = 1ull << 32;
    CHECK_EQ_NAMED("dr6-bit32-gp", tern_catch_fault(wr_dr6_fn), 13);
    CHECK_EQ_NAMED("dr6-bit32-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)wr_dr6_fn_at);
    dr_val = 0x400 | (1ull << 40);
    CHECK_EQ_NAMED("dr7-bit40-gp", tern_catch_fault(wr_dr7_fn), 13);
    dr_val = 0xffffdfffull;                         /* all but GD */
    CHECK_EQ_NAMED("dr7-reserved", (tern_catch_fault(wr_dr7_fn), read_dr(7)), 0xffff07ff);
    write_dr(7, 0x400);

    test_group("gd");
    write_dr(7, 0x400 | DR7_GD);
    CHECK_EQ_NAMED("gd-db", tern_catch_fault(rd_dr0_fn), 1);
    CHECK_EQ_NAMED("gd-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)rd_dr0_fn_at);
    CHECK_EQ_NAMED("gd-bd", read_dr(6), 0xffff0ff0 | DR6_BD);
    CHECK_EQ_NAMED("gd-cleared", read_dr(7), 0x400);
    write_dr(6, 0);
}

static void breakpoint_tests(void)
{
    struct gate old;

    test_group("breakpoint");
    CHECK_EQ_NAMED("before", bp_call(), 42);        /* translated without it */
    write_dr(0, (uint64_t)(uintptr_t)bp_fn_at);
    write_dr(7, 0x401);                                  /* L0, execute, 1 byte */
    CHECK_EQ_NAMED("hit", tern_catch_fault(bp_fn), 1);
    CHECK_EQ_NAMED("hit-rip", tern_last_fault.rip, (uint64_t)(uintptr_t)bp_fn_at);
    CHECK_EQ_NAMED("hit-not-run", tern_last_fault.rax, 0);
    CHECK_EQ_NAMED("hit-b0", read_dr(6), 0xffff0ff1);
    write_dr(6, 0);

    old = set_db_gate(db_handler, (struct gate){ 0, 0 });
    db_count = 0;
    db_set_rf = 1;
    CHECK_EQ_NAMED("rf-runs-once", bp_call(), 42);
    CHECK_EQ_NAMED("rf-count", db_count, 1);
    CHECK_EQ_NAMED("rf-rip", db_last_rip, (uint64_t)(uintptr_t)bp_fn_at);
    CHECK_EQ_NAMED("rf-again", bp_call(), 42);
    CHECK_EQ_NAMED("rf-count-2", db_count, 2);
    db_set_rf = 0;
    set_db_gate(NULL, old);
    write_dr(7, 0x400);
    CHECK_EQ_NAMED("disabled", tern_catch_fault(bp_fn), -1);
    write_dr(6, 0);

    /* breakpoint on a div that faults: #DB (handler sets RF), #DE (frame
     * RF = 1), restart without a second #DB */
    test_group("rf-fault-restart");
    old = set_db_gate(db_handler, (struct gate){ 0, 0 });
    struct gate old_de = set_gate(0, de_fix_handler, (struct gate){ 0, 0 });
    db_count = de_count = 0;
    db_set_rf = 1;
    write_dr(0, (uint64_t)(uintptr_t)div_fn_at);
    write_dr(7, 0x401);
    CHECK_EQ_NAMED("result", div_call(), 42);
    CHECK_EQ_NAMED("db-once", db_count, 1);
    CHECK_EQ_NAMED("de-once", de_count, 1);
    CHECK_EQ_NAMED("de-frame-rf", de_rflags & FL_RF, FL_RF);
    write_dr(7, 0x400);
    db_set_rf = 0;
    set_gate(0, NULL, old_de);
    set_db_gate(NULL, old);
    write_dr(6, 0);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();

#ifndef TERN_NATIVE
    test_group("boot");
    CHECK_EQ_NAMED("dr6", read_dr(6), 0xffff0ff0);
    CHECK_EQ_NAMED("dr7", read_dr(7), 0x400);
#endif
    test_group("single-step");
    CHECK_EQ_NAMED("count", count_traps(ss_seq), 8);
#ifndef TERN_NATIVE
    CHECK_EQ_NAMED("bs", db_last_dr6, 0xffff0ff0 | DR6_BS);
    CHECK_EQ_NAMED("last-rip", db_last_rip, (uint64_t)(uintptr_t)ss_seq_end);
    write_dr(6, 0);
#endif
    CHECK_EQ_NAMED("mov-ss-shadow", count_traps(ss_shadow), 5);

    test_group("int1");
    CHECK_EQ_NAMED("db", tern_catch_fault(int1_fn), 1);
    CHECK_EQ_NAMED("rip-after", tern_last_fault.rip, (uint64_t)(uintptr_t)int1_fn_at + 1);

    test_group("ud-gp");
    CHECK_EQ_NAMED("dr8-ud", tern_catch_fault(rd_dr8_fn), 6);
    CHECK_EQ_NAMED("cpl3-gp", tern_run_user(rd_dr7_fn, 0), 13);
    CHECK_EQ_NAMED("cpl3-code", tern_last_fault.error_code, 0);
#ifndef TERN_NATIVE
    mov_dr_tests();
    breakpoint_tests();
#endif
    test_done();
}
