// tern-nested: allow */cpl3-am-ac QEMU 7.2 TCG (the nested CPU) never raises #AC (CR0.AM, EFLAGS.AC at CPL 3)
// tern-nested: allow fxsave/2-ac QEMU 7.2 TCG (the nested CPU) never raises #AC
// tern-native-amd: allow movups-4/cpl3-am-ac AMD raises #AC for a misaligned MOVUPS (16-byte SSE operand without alignment rule) under CR0.AM and EFLAGS.AC; Intel never does
/*
 * ac.c: #AC(0) (vector 17), alignment checking.  At CPL 3 with CR0.AM
 * and EFLAGS.AC set, a data access not aligned to its size faults: word,
 * dword and qword loads and stores, a read-modify-write, a push with a
 * misaligned rsp, movsw, a 64-bit SSE load (movq); aligned accesses, bytes
 * and 16-byte SSE operands (movups) do not; x87 operands helpers access
 * (m80: 8, the environment: 4 or 2 bytes) and fxsave (#AC unless 4-aligned,
 * then its #GP) follow the host.  With EFLAGS.AC clear nothing
 * faults.  Guest only (ring 0 needed): with CR0.AM clear nothing faults,
 * and at CPL 0 nothing faults even with both set.  The native build runs
 * the CPL 3 cases on the host (Linux sets CR0.AM; SIGBUS, trap number 17).
 */
#include "tern.h"

static uint8_t ac_buf[1024] __attribute__((aligned(64), used));
uint64_t ac_addr;

/* setup; the access (name_at), through rax = ac_addr; cleanup */
#define AC_FN3(name, setup, insn, cleanup) \
    FAULT_FN_AT(name, "mov ac_addr(%rip), %rax\n\t" setup, insn, cleanup)
#define AC_FN(name, insn) AC_FN3(name, "", insn, "")

AC_FN(ac_ld8, "movb (%rax), %cl");
AC_FN(ac_ld16, "movw (%rax), %cx");
AC_FN(ac_ld32, "movl (%rax), %ecx");
AC_FN(ac_ld64, "movq (%rax), %rcx");
AC_FN(ac_st16, "movw %cx, (%rax)");
AC_FN(ac_st32, "movl %ecx, (%rax)");
AC_FN(ac_st64, "movq %rcx, (%rax)");
AC_FN(ac_add32, "addl $1, (%rax)");
AC_FN3(ac_movsw, "mov %rax, %rsi\n\tlea ac_buf+32(%rip), %rdi", "movsw", "");
AC_FN(ac_movq_xmm, "movq (%rax), %xmm0");
AC_FN(ac_movups, "movups (%rax), %xmm0");
/* x87 operands that helpers access: the SDM's alignment (m80 8, the
 * 32-bit environment 4, the 16-bit one 2), measured on the host */
AC_FN(ac_fldt, "fldt (%rax)");
AC_FN3(ac_fstpt, "fninit\n\tfldz", "fstpt (%rax)", "");
AC_FN(ac_fbld, "fbld (%rax)");
AC_FN3(ac_fsts, "fninit\n\tfldz", "fsts (%rax)", "");
AC_FN3(ac_fistps, "fninit\n\tfldz", "fistps (%rax)", "");
AC_FN(ac_fnstenv, "fnstenv (%rax)");
AC_FN(ac_fnstenv16, "data16 fnstenv (%rax)");
AC_FN3(ac_fnsave, "", "fnsave (%rax)", "fninit");
AC_FN3(ac_fxsave, "", "fxsave (%rax)", "");
/* push with rsp = ac_addr + 8 (the stack is ac_buf) */
AC_FN3(ac_push, "mov %rsp, %rdx\n\tlea 8(%rax), %rsp", "push %rcx", "mov %rdx, %rsp");

static const struct ac_case {
    const char *name;
    void (*fn)(void);
    const char *at;
    unsigned off;            /* ac_addr = ac_buf + off */
    int vector;              /* with AM and AC at CPL 3 */
} ac_cases[] = {
    { "byte", ac_ld8, ac_ld8_at, 1, -1 },
    { "word-ld-odd", ac_ld16, ac_ld16_at, 1, 17 },
    { "word-ld-aligned", ac_ld16, ac_ld16_at, 2, -1 },
    { "dword-ld-2", ac_ld32, ac_ld32_at, 2, 17 },
    { "dword-ld-aligned", ac_ld32, ac_ld32_at, 4, -1 },
    { "qword-ld-4", ac_ld64, ac_ld64_at, 4, 17 },
    { "qword-ld-aligned", ac_ld64, ac_ld64_at, 8, -1 },
    { "word-st-odd", ac_st16, ac_st16_at, 3, 17 },
    { "dword-st-1", ac_st32, ac_st32_at, 1, 17 },
    { "qword-st-6", ac_st64, ac_st64_at, 6, 17 },
    { "qword-st-aligned", ac_st64, ac_st64_at, 16, -1 },
    { "add-rmw-2", ac_add32, ac_add32_at, 2, 17 },
    { "movsw-odd-src", ac_movsw, ac_movsw_at, 1, 17 },
    { "movq-xmm-4", ac_movq_xmm, ac_movq_xmm_at, 4, 17 },
    { "movups-4", ac_movups, ac_movups_at, 4, -1 },
    { "push-rsp-4", ac_push, ac_push_at, 20, 17 },
    { "push-aligned", ac_push, ac_push_at, 16, -1 },
    { "fldt-4", ac_fldt, ac_fldt_at, 4, 17 },
    { "fldt-aligned", ac_fldt, ac_fldt_at, 8, -1 },
    { "fstpt-2", ac_fstpt, ac_fstpt_at, 2, 17 },
    { "fbld-4", ac_fbld, ac_fbld_at, 4, 17 },
    { "fsts-2", ac_fsts, ac_fsts_at, 2, 17 },
    { "fsts-aligned", ac_fsts, ac_fsts_at, 4, -1 },
    { "fistps-1", ac_fistps, ac_fistps_at, 1, 17 },
    { "fnstenv-2", ac_fnstenv, ac_fnstenv_at, 2, 17 },
    { "fnstenv-4", ac_fnstenv, ac_fnstenv_at, 4, -1 },
    { "fnstenv16-1", ac_fnstenv16, ac_fnstenv16_at, 1, 17 },
    { "fnstenv16-2", ac_fnstenv16, ac_fnstenv16_at, 2, -1 },
    { "fnsave-2", ac_fnsave, ac_fnsave_at, 2, 17 },
};

/* CR0.AM (bit 18) */
static void cr0_am(int on)
{
    unsigned long cr0 = read_cr(0);

    write_cr(0, on ? cr0 | (1u << 18) : cr0 & ~(1ul << 18));
}

/* run at CPL 0 with EFLAGS.AC set */
static int run_cpl0_ac(void (*fn)(void))
{
    int v;

    __asm__ volatile("pushf\n\torl $0x40000, (%%rsp)\n\tpopf" : : : "memory", "cc");
    v = tern_catch_fault(fn);
    __asm__ volatile("pushf\n\tandl $~0x40000, (%%rsp)\n\tpopf" : : : "memory", "cc");
    return v;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    if (TERN_HAVE_RING0) {
        cr0_am(1);
    }
    for (unsigned i = 0; i < sizeof(ac_cases) / sizeof(ac_cases[0]); i++) {
        const struct ac_case *c = &ac_cases[i];
        int v;

        test_group(c->name);
        ac_addr = (uint64_t)(uintptr_t)ac_buf + c->off;
        v = tern_run_user(c->fn, FL_AC);
        CHECK_EQ_NAMED("cpl3-am-ac", v, c->vector);
        if (v == 17 && c->vector == 17) {
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)c->at);
            CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
        }
        CHECK_EQ_NAMED("cpl3-ac-clear", tern_run_user(c->fn, 0), -1);
        if (TERN_HAVE_RING0) {
            CHECK_EQ_NAMED("cpl0-am-ac", run_cpl0_ac(c->fn), -1);
            cr0_am(0);
            CHECK_EQ_NAMED("cpl3-am-clear", tern_run_user(c->fn, FL_AC), -1);
            cr0_am(1);
        }
    }
    /* fxsave: #AC unless 4-aligned, then #GP unless 16-aligned (host) */
    test_group("fxsave");
    ac_addr = (uint64_t)(uintptr_t)ac_buf + 2;
    CHECK_EQ_NAMED("2-ac", tern_run_user(ac_fxsave, FL_AC), 17);
    CHECK_EQ_NAMED("2-no-ac", tern_run_user(ac_fxsave, 0), 13);
    ac_addr = (uint64_t)(uintptr_t)ac_buf + 4;
    CHECK_EQ_NAMED("4-ac", tern_run_user(ac_fxsave, FL_AC), 13);
    ac_addr = (uint64_t)(uintptr_t)ac_buf + 16;
    CHECK_EQ_NAMED("16-ac", tern_run_user(ac_fxsave, FL_AC), -1);
    test_done();
}
