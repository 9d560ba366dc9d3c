/*
 * faults.c: the #UD and #GP cases of the string/bit/atomic instructions,
 * caught with the runtime's IDT helper (runtime/idt.c): LOCK on a
 * non-lockable instruction or with a register destination, cmpxchg8b with
 * a register operand, rdrand with a memory operand, cmpxchg16b on a
 * misaligned address (#GP(0)), and a #PF in the middle of a rep movsb
 * (rCX/rSI/rDI at the completed iterations, rip at the instruction), and
 * stores straddling into a not-present page that must write nothing.  The
 * native build cannot take these faults and skips.
 */
#include "tern.h"

#ifndef TERN_NATIVE
/* Each function is one faulting instruction (bytes where the assembler
 * refuses the form), its address exported for the rip check. */
FAULT_FN(lock_mov, ".byte 0xf0, 0x89, 0x07");              /* lock mov %eax,(%rdi) */
FAULT_FN(lock_add_reg, ".byte 0xf0, 0x01, 0xc0");          /* lock add %eax,%eax */
FAULT_FN(lock_cmp, ".byte 0xf0, 0x39, 0x07");              /* lock cmp %eax,(%rdi) */
FAULT_FN(lock_bt, ".byte 0xf0, 0x0f, 0xa3, 0x07");         /* lock bt %eax,(%rdi) */
FAULT_FN(lock_bt_imm, ".byte 0xf0, 0x0f, 0xba, 0x27, 0x01"); /* lock bt $1,(%rdi) */
FAULT_FN(lock_bts_reg, ".byte 0xf0, 0x0f, 0xab, 0xc0");    /* lock bts %eax,%eax */
FAULT_FN(lock_movs, ".byte 0xf0, 0xa4");                   /* lock movsb */
FAULT_FN(lock_nop, ".byte 0xf0, 0x90");
FAULT_FN(lock_xadd_reg, ".byte 0xf0, 0x0f, 0xc1, 0xc0");   /* lock xadd %eax,%eax */
FAULT_FN(cmpxchg8b_reg, ".byte 0x0f, 0xc7, 0xc8");         /* cmpxchg8b %eax */
FAULT_FN(rdrand_mem, ".byte 0x0f, 0xc7, 0x37");            /* rdrand (%rdi) */
FAULT_FN(lock_bsf, ".byte 0xf0, 0x0f, 0xbc, 0x07");        /* lock bsf (%rdi),%eax */
FAULT_FN(popcnt_noprefix, ".byte 0x0f, 0xb8, 0x07");       /* jmpe: #UD */

static uint64_t scratch[4] __attribute__((aligned(16)));

/* rdi = scratch for the memory forms */
static void (*volatile target)(void);
static void call_with_rdi(void)
{
    __asm__ volatile("call *%0" : : "r"(target), "D"(scratch) : "rax", "memory");
}

static void cmpxchg16b_misaligned(void)
{
    __asm__ volatile("cmpxchg16b %0" : "+m"(*(uint64_t(*)[2])((char *)scratch + 8))
                     : "a"(0), "d"(0), "b"(0), "c"(0) : "cc", "memory");
}

static void check_ud(const char *name, void (*fn)(void))
{
    target = fn;
    CHECK_EQ_NAMED(name, tern_catch_fault(call_with_rdi), 6);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)fn);
}

/* rep movsb across the end of a mapping: the #PF leaves rCX/rSI/rDI at
 * the completed bytes and rip at the instruction.  The 2 MiB page at
 * 64 MiB is made not-present for it (never touched before, so no TLB
 * entry to flush); PD 0 is at 0x3000 (docs/boot.md). */
FAULT_FN(rep_movsb_fn, "rep movsb");
#define HOLE 0x4000000ull
static uint8_t pf_src[64];

static void rep_movs_into_hole(void)
{
    uint64_t si = (uint64_t)pf_src, di = HOLE - 16, cx = 40;

    __asm__ volatile("call rep_movsb_fn" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
}

/* Stores that straddle the end of the mapping: nothing may be written
 * (hardware checks both pages first).  movups is done in two halves by
 * tern; the hole starts 8 (between the halves) or 4 (inside the first
 * half) bytes after the store's start. */
#define STORE_FN(name, at, insns) FAULT_FN(name, "movabs $" #at ", %rax\n\t" insns)
STORE_FN(movups_hole8, 0x3fffff8, "pcmpeqb %xmm0, %xmm0\n\tmovups %xmm0, (%rax)");
STORE_FN(movups_hole4, 0x3fffffc, "pcmpeqb %xmm0, %xmm0\n\tmovups %xmm0, (%rax)");
STORE_FN(movq_hole4, 0x3fffffc, "movq $-1, %rdx\n\tmovq %rdx, (%rax)");
_Static_assert(HOLE == 0x4000000, "STORE_FN addresses");

/* Bytes [HOLE - 16, HOLE) still zero after fn faulted on the hole */
static void check_no_partial_store(const char *name, void (*fn)(void))
{
    volatile uint8_t *below = (volatile uint8_t *)(uintptr_t)(HOLE - 16);
    unsigned nonzero = 0;

    for (int i = 0; i < 16; i++) {
        below[i] = 0;
    }
    CHECK_EQ_NAMED(name, tern_catch_fault(fn), 14);
    for (int i = 0; i < 16; i++) {
        nonzero += below[i] != 0;
    }
    CHECK_EQ_NAMED("bytes-written", nonzero, 0);
}
#endif

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
#ifdef TERN_NATIVE
    test_skip("faults need the guest's IDT");
#else
    idt_install();
    test_group("lock-ud");
    check_ud("mov", lock_mov);
    check_ud("add-reg", lock_add_reg);
    check_ud("cmp", lock_cmp);
    check_ud("bt", lock_bt);
    check_ud("bt-imm", lock_bt_imm);
    check_ud("bts-reg", lock_bts_reg);
    check_ud("movs", lock_movs);
    check_ud("nop", lock_nop);
    check_ud("xadd-reg", lock_xadd_reg);
    check_ud("bsf", lock_bsf);
    test_group("ud");
    check_ud("cmpxchg8b-reg", cmpxchg8b_reg);
    check_ud("rdrand-mem", rdrand_mem);
    check_ud("0f-b8", popcnt_noprefix);

    test_group("gp");
    CHECK_EQ_NAMED("cmpxchg16b-misaligned", tern_catch_fault(cmpxchg16b_misaligned), 13);
    CHECK_EQ_NAMED("cmpxchg16b-code", tern_last_fault.error_code, 0);

    test_group("pf");
    {
        volatile uint64_t *pde = (volatile uint64_t *)(uintptr_t)(0x3000 + (HOLE >> 21) * 8);
        uint64_t saved = *pde;

        for (int i = 0; i < 64; i++) {
            pf_src[i] = (uint8_t)(i + 1);
        }
        *pde = 0;
        CHECK_EQ_NAMED("rep-movsb", tern_catch_fault(rep_movs_into_hole), 14);
        *pde = saved;
        CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)rep_movsb_fn);
        CHECK_EQ_NAMED("rcx", tern_last_fault.rcx, 24);
        CHECK_EQ_NAMED("rsi", tern_last_fault.rsi, (uint64_t)pf_src + 16);
        CHECK_EQ_NAMED("rdi", tern_last_fault.rdi, HOLE);
        CHECK_EQ_NAMED("code", tern_last_fault.error_code, 2);     /* write, not present */
        CHECK_EQ_NAMED("done-bytes", *(volatile uint8_t *)(uintptr_t)(HOLE - 1), 16);

        *pde = 0;
        check_no_partial_store("movups-crossing-8", movups_hole8);
        check_no_partial_store("movups-crossing-4", movups_hole4);
        check_no_partial_store("movq-crossing", movq_hole4);
        *pde = saved;
    }
#endif
    test_done();
}
