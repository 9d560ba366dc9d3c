// tern-nested: allow */rip the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: #GP for a non-canonical branch target is raised at the target
// tern-nested: allow */rsp the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: the faulting RSP after a non-canonical target
// tern-nested: allow */vector QEMU 7.2 TCG (the nested CPU) raises #GP, not #SS, for a non-canonical stack access
// tern-nested: allow edge/* the nested CPU is AMD (QEMU -cpu max under SVM), not the Intel CPU the expected values come from: #GP for a non-canonical branch target is raised at the target
/*
 * canonical.c: non-canonical addresses.  A data access through a
 * non-canonical linear address is #GP(0), or #SS(0) when it references the
 * stack: base rSP or rBP without an FS/GS override (in 64-bit mode the
 * DS/SS overrides change nothing: ds:[rbp] is #SS, ss:[rax] is #GP), and
 * the implicit stack accesses of push, enter, ...; beside an explicit DS
 * operand (push [rax], pop [rax], call [rax]) the DS one is #GP.  Jumping,
 * calling or returning to a non-canonical address is #GP(0) at the jump,
 * with rsp unchanged.  Each fault reports rip at the instruction, error
 * code 0, rsp and rCX as before it (rep movs/stos).  The cases with a
 * non-canonical rsp are caught on IST1 (runtime/sys.c).  The native build
 * runs the same cases on the host CPU (SIGSEGV/SIGBUS, trap numbers 13/12).
 *
 * Guest only ("edge"): direct branches from the last bytes of the lower
 * half (a 2 MiB page mapped at 0x7fffffe00000, which a Linux process
 * cannot map) to just above it: jmp rel32, jcc rel32, call rel32 and a
 * taken loop are #GP(0) at the branch with rsp and rCX unchanged; a loop
 * that is not taken falls through.
 */
#include "tern.h"

uint64_t cn_addr, cn_rsp, cn_saved;
static uint8_t cn_buf[64] __attribute__((used));

/* setup; record rsp; name_at: the instruction; cleanup if it did not fault */
#define CN_FN(name, setup, insn, cleanup) \
    FAULT_FN_AT(name, setup "\n\tmov %rsp, cn_rsp(%rip)", insn, cleanup)

#define LD_RAX "mov cn_addr(%rip), %rax"
#define SET_RBP "push %rbp\n\tmov cn_addr(%rip), %rbp"
#define SET_RSP "push %rbp\n\tmov %rsp, cn_saved(%rip)\n\tmov cn_addr(%rip), %rsp"
#define RESTORE_RSP "mov cn_saved(%rip), %rsp\n\tpop %rbp"

CN_FN(cn_load, LD_RAX, "mov (%rax), %rcx", "");
CN_FN(cn_store, LD_RAX, "mov %rcx, (%rax)", "");
CN_FN(cn_rmw, LD_RAX, "lock addl $1, (%rax)", "");
CN_FN(cn_movs_src, "mov cn_addr(%rip), %rsi\n\tlea cn_buf(%rip), %rdi\n\tmov $8, %ecx",
      "rep movsb", "");
CN_FN(cn_stos_dst, "mov cn_addr(%rip), %rdi\n\tmov $8, %ecx", "rep stosb", "");
CN_FN(cn_jmp, LD_RAX, "jmp *%rax", "");
CN_FN(cn_call, LD_RAX, "call *%rax", "");
CN_FN(cn_ret, LD_RAX "\n\tpush %rax", "ret", "");
CN_FN(cn_call_mem, LD_RAX, "call *(%rax)", "");
CN_FN(cn_push_mem, LD_RAX, "push (%rax)", "pop %rax");
CN_FN(cn_pop_mem, LD_RAX "\n\tpush $1", "pop (%rax)", "");
CN_FN(cn_rbp, SET_RBP, "mov (%rbp), %rcx", "pop %rbp");
CN_FN(cn_ds_rbp, SET_RBP, ".byte 0x3e\n\tmov (%rbp), %rcx", "pop %rbp");
CN_FN(cn_fs_rbp, SET_RBP, "mov %fs:(%rbp), %rcx", "pop %rbp");
CN_FN(cn_ss_rax, LD_RAX, ".byte 0x36\n\tmov (%rax), %rcx", "");
CN_FN(cn_rbp_index, "push %rbp\n\tlea cn_buf(%rip), %rbp\n\t" LD_RAX,
      "mov (%rbp,%rax), %rcx", "pop %rbp");
CN_FN(cn_rax_base, "push %rbp\n\tlea cn_buf(%rip), %rbp\n\t" LD_RAX,
      "mov (%rax,%rbp), %rcx", "pop %rbp");
CN_FN(cn_rsp_load, SET_RSP, "mov 8(%rsp), %rcx", RESTORE_RSP);
CN_FN(cn_push, SET_RSP, "push %rax", RESTORE_RSP);
CN_FN(cn_pop, SET_RSP, "pop %rcx", RESTORE_RSP);
CN_FN(cn_enter, SET_RSP, "enter $0, $0", RESTORE_RSP);
CN_FN(cn_lea, LD_RAX, "lea 8(%rax), %rcx", "");

#define NC  0x8000000000000000ull        /* bits 63:47 = 1, 0, ... */
#define NC_LOW 0x0000800000000000ull     /* just above the lower half */
#define NC_HIGH 0xffff7ffffffffff8ull    /* just below the upper half */

static const struct cn_case {
    const char *name;
    void (*fn)(void);
    const char *at;
    uint64_t addr;
    int vector;
} cn_cases[] = {
    { "load", cn_load, cn_load_at, NC, 13 },
    { "load-low", cn_load, cn_load_at, NC_LOW, 13 },
    { "load-high", cn_load, cn_load_at, NC_HIGH, 13 },
    { "store", cn_store, cn_store_at, NC, 13 },
    { "lock-add", cn_rmw, cn_rmw_at, NC_LOW, 13 },
    { "rep-movsb-src", cn_movs_src, cn_movs_src_at, NC, 13 },
    { "rep-stosb-dst", cn_stos_dst, cn_stos_dst_at, NC_LOW, 13 },
    { "jmp-reg", cn_jmp, cn_jmp_at, NC_LOW, 13 },
    { "call-reg", cn_call, cn_call_at, NC, 13 },
    { "ret", cn_ret, cn_ret_at, NC_HIGH, 13 },
    { "call-mem", cn_call_mem, cn_call_mem_at, NC, 13 },
    { "push-mem", cn_push_mem, cn_push_mem_at, NC, 13 },
    { "pop-mem", cn_pop_mem, cn_pop_mem_at, NC, 13 },
    { "rbp", cn_rbp, cn_rbp_at, NC, 12 },
    { "ds-rbp", cn_ds_rbp, cn_ds_rbp_at, NC_LOW, 12 },
    { "fs-rbp", cn_fs_rbp, cn_fs_rbp_at, NC, 13 },
    { "ss-rax", cn_ss_rax, cn_ss_rax_at, NC, 13 },
    { "rbp-base-index", cn_rbp_index, cn_rbp_index_at, NC, 12 },
    { "rax-base-rbp-index", cn_rax_base, cn_rax_base_at, NC, 13 },
    { "rsp-load", cn_rsp_load, cn_rsp_load_at, NC, 12 },
    { "push-rsp", cn_push, cn_push_at, NC_LOW + 8, 12 },
    { "pop-rsp", cn_pop, cn_pop_at, NC, 12 },
    { "enter-rsp", cn_enter, cn_enter_at, NC, 12 },
    { "lea", cn_lea, cn_lea_at, NC, -1 },
};

#ifndef TERN_NATIVE
/* The last 2 MiB of the lower half -> physical EDGE_PHYS (free RAM) */
#define EDGE_PAGE 0x00007fffffe00000ull
#define EDGE_PHYS 0x05000000ull
#define EDGE_AT   (EDGE_PAGE + 0x1ffff8)      /* 8 bytes below 2^47 */
static uint64_t edge_pdpt[512] __attribute__((aligned(4096)));
static uint64_t edge_pd[512] __attribute__((aligned(4096)));
uint64_t edge_rcx;

/* call the code at EDGE_AT with rcx = edge_rcx, ZF = 1; rcx back */
FAULT_FN(edge_call, "mov edge_rcx(%rip), %rcx\n\tmov %rsp, cn_rsp(%rip)\n\t"
                    "movabs $0x7ffffffffff8, %rax\n\tcmp %rax, %rax\n\tcall *%rax\n\t"
                    "mov %rcx, edge_rcx(%rip)");

static void edge_map(void)
{
    volatile uint64_t *pml4 = (volatile uint64_t *)0x1000;
    uint64_t cr3;

    edge_pd[511] = EDGE_PHYS | 0x83;                    /* 2 MiB, writable, present */
    edge_pdpt[511] = (uint64_t)(uintptr_t)edge_pd | 3;
    pml4[255] = (uint64_t)(uintptr_t)edge_pdpt | 3;
    __asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
}

/* Put code at EDGE_AT (then ret) and run it with rcx; the vector */
static int edge_run(const uint8_t *code, unsigned n, uint64_t rcx)
{
    volatile uint8_t *at = (volatile uint8_t *)(uintptr_t)EDGE_AT;

    for (unsigned i = 0; i < n; i++) {
        at[i] = code[i];
    }
    at[n] = 0xc3;
    edge_rcx = rcx;
    return tern_catch_fault(edge_call);
}

static void edge_cases(void)
{
    static const struct {
        const char *name;
        uint8_t code[7];
        unsigned len;
        uint64_t rcx;
        int vector;
    } cases[] = {
        { "jmp-rel32", { 0xe9, 0x10, 0, 0, 0 }, 5, 7, 13 },
        { "jz-rel32", { 0x0f, 0x84, 0x10, 0, 0, 0 }, 6, 7, 13 },
        { "call-rel32", { 0xe8, 0x10, 0, 0, 0 }, 5, 7, 13 },
        { "loop-taken", { 0xe2, 0x10 }, 2, 7, 13 },
        { "loope-taken", { 0xe1, 0x10 }, 2, 7, 13 },
        { "loop-not-taken", { 0xe2, 0x10 }, 2, 1, -1 },
    };

    edge_map();
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int v = edge_run(cases[i].code, cases[i].len, cases[i].rcx);

        test_group("edge");
        CHECK_EQ_NAMED(cases[i].name, v, cases[i].vector);
        if (v == 13) {
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, EDGE_AT);
            CHECK_EQ_NAMED("rcx", tern_last_fault.rcx, cases[i].rcx);
            CHECK_EQ_NAMED("rsp", tern_last_fault.rsp, cn_rsp - 8);   /* the call's return address only */
            CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
        } else {
            CHECK_EQ_NAMED("rcx", edge_rcx, cases[i].rcx - 1);
        }
    }
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    for (unsigned i = 0; i < sizeof(cn_cases) / sizeof(cn_cases[0]); i++) {
        const struct cn_case *c = &cn_cases[i];
        int v;

        test_group(c->name);
        cn_addr = c->addr;
        v = tern_catch_fault(c->fn);
        CHECK_EQ_NAMED("vector", v, c->vector);
        if (v >= 0 && v == c->vector) {
            CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)c->at);
            CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0);
            CHECK_EQ_NAMED("rsp", tern_last_fault.rsp, cn_rsp);
            if (c->fn == cn_movs_src || c->fn == cn_stos_dst) {
                CHECK_EQ_NAMED("rcx", tern_last_fault.rcx, 8);
            }
        }
    }
#ifndef TERN_NATIVE
    edge_cases();
#endif
    test_done();
}
