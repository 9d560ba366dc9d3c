/*
 * sysregs.c: IRETQ, the segment registers, LDTR/TR, the descriptor-table
 * registers, SWAPGS and INVLPG.
 *   - IRETQ at CPL 3 (tern_run_user; natively the process): a good frame
 *     returns; #GP(selector) for a CS beyond the GDT, a data segment as CS,
 *     CS.RPL < CPL, a DPL 0 code segment, SS.RPL != CS.RPL, a code segment
 *     as SS; #GP(0) for a null CS, a null SS (return to CPL 3) and a
 *     non-canonical rip; RFLAGS.IOPL and IF do not change at CPL 3 (IOPL
 *     0).  At CPL 0 (guest): same-privilege IRETQ loads IOPL, a null SS is
 *     allowed, a not-present CS is #NP(selector); ring 3 runs with CS 0x23,
 *     SS 0x1b.
 *   - MOV Sreg and POP FS/GS (guest: descriptor checks, #GP/#NP/#SS with
 *     the selector, null selectors); MOV from Sreg zero-extends to 32/64
 *     bits and merges 16; PUSH FS writes the zero-extended selector; a
 *     faulting POP FS leaves rsp.
 *   - STR/LTR/SLDT/LLDT (guest): TR = 0x28 and busy in the GDT, LTR of a
 *     busy TSS, null, data or LDT-type selectors #GP, LLDT of a TSS #GP,
 *     of a not-present LDT #NP; LTR/LLDT at CPL 3 #GP(0).
 *   - SGDT/SIDT give the loaded tables; SWAPGS exchanges GS.base with
 *     IA32_KERNEL_GS_BASE; INVLPG and a CR3 reload drop a changed mapping;
 *     SWAPGS and INVLPG at CPL 3 #GP(0).
 * The native build runs the CPL 3 cases on the host CPU.
 */
#include "tern.h"

#ifdef TERN_NATIVE
#define KCODE 0x10               /* Linux's __KERNEL_CS */
#else
#define KCODE TERN_SEL_KCODE
#endif

/* ---- IRETQ -------------------------------------------------------------- */

uint64_t ir_cs, ir_ss, ir_rip, ir_flags, ir_flags_out, ir_cs_out, ir_ss_out;
void ir_iret(void), ir_getsel(void);
extern char ir_iret_at[];
__asm__(
    ".text\n.globl ir_iret, ir_iret_at, ir_getsel\n"
    "ir_iret:\n"
    "    mov %rsp, %rax\n"
    "    pushq ir_ss(%rip)\n    pushq %rax\n    pushq ir_flags(%rip)\n    pushq ir_cs(%rip)\n"
    "    mov ir_rip(%rip), %rcx\n    test %rcx, %rcx\n    jnz 2f\n    lea 1f(%rip), %rcx\n"
    "2:  pushq %rcx\n"
    "ir_iret_at:\n"
    "    iretq\n"
    "1:  pushfq\n    pop ir_flags_out(%rip)\n"
    "ir_getsel:\n"
    "    mov %cs, %eax\n    mov %rax, ir_cs_out(%rip)\n"
    "    mov %ss, %eax\n    mov %rax, ir_ss_out(%rip)\n"
    "    ret\n");

/* IRETD (no REX.W) in 64-bit mode: 4-byte EIP, CS, EFLAGS, ESP, SS, the
 * new rsp a static stack below 4 GiB (the native binary is not PIE) */
uint64_t ir_saved_rsp, ir_rsp_out;
static uint8_t ir_stack[256] __attribute__((aligned(16), used));
void ir_iretd(void);
__asm__(
    ".text\n.globl ir_iretd\n"
    "ir_iretd:\n"
    "    mov %rsp, ir_saved_rsp(%rip)\n"
    "    lea ir_stack+128(%rip), %rsp\n"
    "    sub $20, %rsp\n"
    "    lea 1f(%rip), %rax\n    mov %eax, 0(%rsp)\n"
    "    mov %cs, %eax\n    mov %eax, 4(%rsp)\n"
    "    mov ir_flags(%rip), %eax\n    mov %eax, 8(%rsp)\n"
    "    lea ir_stack+192(%rip), %rax\n    mov %eax, 12(%rsp)\n"
    "    mov %ss, %eax\n    mov %eax, 16(%rsp)\n"
    "    iretl\n"
    "1:  mov %rsp, ir_rsp_out(%rip)\n"
    "    pushfq\n    pop ir_flags_out(%rip)\n"
    "    mov ir_saved_rsp(%rip), %rsp\n"
    "    ret\n");

/* One IRETQ case at CPL 3: frame = the current selectors with changes. */
static void iret_user_case(const char *name, uint64_t cs, uint64_t ss, uint64_t rip, int vector,
                           uint64_t code)
{
    int v;

    test_group(name);
    ir_cs = cs;
    ir_ss = ss;
    ir_rip = rip;
    ir_flags = 0x202;
    v = tern_run_user(ir_iret, 0);
    CHECK_EQ_NAMED("vector", v, vector);
    if (v >= 0 && v == vector) {
        CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, code);
        CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)ir_iret_at);
    }
}

static void iret_tests(void)
{
    uint64_t ucs, uss, before;

    tern_run_user(ir_getsel, 0);
    ucs = ir_cs_out;
    uss = ir_ss_out;
    test_group("iret-user");
    CHECK_EQ_NAMED("cpl3", ucs & 3, 3);
    if (TERN_HAVE_RING0) {
        CHECK_EQ_NAMED("cs", ucs, TERN_SEL_UCODE);
        CHECK_EQ_NAMED("ss", uss, TERN_SEL_UDATA);
    }
    iret_user_case("iret-good", ucs, uss, 0, -1, 0);
    iret_user_case("iret-cs-null", 0, uss, 0, 13, 0);
    iret_user_case("iret-cs-limit", 0xfffb, uss, 0, 13, 0xfff8);
    iret_user_case("iret-cs-data", uss, uss, 0, 13, uss & ~3ull);
    iret_user_case("iret-cs-rpl0", ucs & ~3ull, uss, 0, 13, ucs & ~3ull);
    iret_user_case("iret-cs-dpl0", KCODE | 3, uss, 0, 13, KCODE);
    iret_user_case("iret-ss-null", ucs, 0, 0, 13, 0);
    iret_user_case("iret-ss-rpl0", ucs, uss & ~3ull, 0, 13, uss & ~3ull);
    iret_user_case("iret-ss-code", ucs, ucs, 0, 13, ucs & ~3ull);
    iret_user_case("iret-rip-noncanonical", ucs, uss, 0x8000000000000000ull, 13, 0);

    /* IOPL and IF are not the user's to change */
    test_group("iret-user-flags");
    ir_cs = ucs;
    ir_ss = uss;
    ir_rip = 0;
    ir_flags = 0x2 | FL_CF | FL_IOPL(3) | FL_IF;
    tern_run_user(ir_getsel, 0);
    before = tern_run_user(ir_iret, 0);
    CHECK_EQ_NAMED("no-fault", before, -1);
    CHECK_EQ_NAMED("cf", ir_flags_out & FL_CF, FL_CF);
    CHECK_EQ_NAMED("iopl-0", ir_flags_out & FL_IOPL(3), 0);
    ir_flags = 0x2;
    tern_run_user(ir_iret, 0);
    before = ir_flags_out & FL_IF;           /* what IF is in ring 3 */
    ir_flags = 0x2 | (before ^ FL_IF);
    tern_run_user(ir_iret, 0);
    CHECK_EQ_NAMED("if-unchanged", ir_flags_out & FL_IF, before);

    test_group("iretd");
    ir_flags = 0x2 | FL_CF;
    CHECK_EQ_NAMED("no-fault", tern_catch_fault(ir_iretd), -1);
    CHECK_EQ_NAMED("rsp", ir_rsp_out, (uint64_t)(uintptr_t)ir_stack + 192);
    CHECK_EQ_NAMED("cf", ir_flags_out & FL_CF, FL_CF);

    if (!TERN_HAVE_RING0) {
        return;
    }
    test_group("iret-kernel");
    ir_cs = TERN_SEL_KCODE;
    ir_ss = TERN_SEL_KDATA;
    ir_rip = 0;
    ir_flags = 0x2 | FL_CF | FL_IOPL(3);
    CHECK_EQ_NAMED("same-cpl", tern_catch_fault(ir_iret), -1);
    CHECK_EQ_NAMED("cf", ir_flags_out & FL_CF, FL_CF);
    CHECK_EQ_NAMED("iopl-3", ir_flags_out & FL_IOPL(3), FL_IOPL(3));
    CHECK_EQ_NAMED("ss", ir_ss_out, TERN_SEL_KDATA);
    __asm__ volatile("push $2\n\tpopf" : : : "memory", "cc");
    CHECK_EQ_NAMED("iopl-0-again", read_flags() & FL_IOPL(3), 0);
    ir_ss = 0;
    ir_flags = 0x2;
    CHECK_EQ_NAMED("null-ss-cpl0", tern_catch_fault(ir_iret), -1);
    CHECK_EQ_NAMED("null-ss", ir_ss_out, 0);
    tern_gdt[TERN_GDT_FREE] = 0x00af1b000000ffffull;   /* code64, DPL 0, not present */
    ir_cs = TERN_GDT_FREE * 8;
    ir_ss = TERN_SEL_KDATA;
    CHECK_EQ_NAMED("cs-not-present", tern_catch_fault(ir_iret), 11);
    CHECK_EQ_NAMED("cs-not-present-code", tern_last_fault.error_code, TERN_GDT_FREE * 8);
}

/* ---- segment registers ---------------------------------------------------- */

uint64_t sg_val, sg_out, sg_mem;
uint16_t sg_sel;
#define SEG_FN(name, insn) FAULT_FN(name, insn)
SEG_FN(sg_mov_ds, "mov sg_sel(%rip), %ax\n\tmov %ax, %ds");
SEG_FN(sg_mov_ss, "mov sg_sel(%rip), %ax\n\tmov %ax, %ss");
SEG_FN(sg_mov_es_mem, "mov %es, sg_mem(%rip)\n\tmov sg_sel(%rip), %es");
SEG_FN(sg_rd_ds, "mov $-1, %rax\n\tmov %ds, %eax\n\tmov %rax, sg_out(%rip)\n\t"
                 "mov $-1, %rax\n\tmov %ds, %ax\n\tmov %rax, sg_val(%rip)\n\t"
                 "movq $-1, sg_mem(%rip)\n\tmov %ds, sg_mem(%rip)");
SEG_FN(sg_push_fs, "mov %rsp, %rdx\n\tlea sg_mem+8(%rip), %rsp\n\tmovq $-1, sg_mem(%rip)\n\t"
                   "push %fs\n\tmov %rdx, %rsp");
SEG_FN(sg_pop_fs, "mov %rsp, sg_val(%rip)\n\tmovzwq sg_sel(%rip), %rax\n\tpush %rax\n\t"
                  ".globl sg_pop_fs_at\nsg_pop_fs_at:\n\tpop %fs");
extern char sg_pop_fs_at[];

static int load_seg(void (*fn)(void), uint16_t sel)
{
    sg_sel = sel;
    return tern_catch_fault(fn);
}

static void seg_tests(void)
{
    uint64_t ds;
    int v;

    test_group("mov-from-seg");
    tern_catch_fault(sg_rd_ds);
    ds = sg_out;
    CHECK_EQ_NAMED("r32-zero-extends", ds >> 16, 0);
    CHECK_EQ_NAMED("r16-merges", sg_val, ~0xffffull | ds);
    CHECK_EQ_NAMED("m16", sg_mem, ~0xffffull | ds);
    tern_catch_fault(sg_push_fs);
    {
        uint64_t fs;
        __asm__ volatile("mov %%fs, %k0" : "=r"(fs));
        CHECK_EQ_NAMED("push-fs", sg_mem, fs);
    }

    test_group("pop-fs-bad");
    v = load_seg(sg_pop_fs, 0xfff8);
    CHECK_EQ_NAMED("vector", v, 13);
    CHECK_EQ_NAMED("error-code", tern_last_fault.error_code, 0xfff8);
    CHECK_EQ_NAMED("rip", tern_last_fault.rip, (uint64_t)(uintptr_t)sg_pop_fs_at);
    CHECK_EQ_NAMED("rsp-unchanged", tern_last_fault.rsp, sg_val - 8);

    if (!TERN_HAVE_RING0) {
        return;
    }
    test_group("mov-seg");
    CHECK_EQ_NAMED("ds-data", load_seg(sg_mov_ds, TERN_SEL_KDATA), -1);
    CHECK_EQ_NAMED("ds-null", load_seg(sg_mov_ds, 0), -1);
    CHECK_EQ_NAMED("ds-code-readable", load_seg(sg_mov_ds, TERN_SEL_KCODE), -1);
    CHECK_EQ_NAMED("ds-beyond-limit", load_seg(sg_mov_ds, 0x80), 13);
    CHECK_EQ_NAMED("ds-beyond-limit-code", tern_last_fault.error_code, 0x80);
    CHECK_EQ_NAMED("ds-tss", load_seg(sg_mov_ds, TERN_SEL_TSS), 13);
    CHECK_EQ_NAMED("ds-tss-code", tern_last_fault.error_code, TERN_SEL_TSS);
    CHECK_EQ_NAMED("ds-dpl3-rpl3", load_seg(sg_mov_ds, TERN_SEL_UDATA), -1);
    tern_gdt[TERN_GDT_FREE + 1] = 0x00cf13000000ffffull;  /* data, DPL 0, not present */
    CHECK_EQ_NAMED("ds-not-present", load_seg(sg_mov_ds, (TERN_GDT_FREE + 1) * 8), 11);
    CHECK_EQ_NAMED("ds-not-present-code", tern_last_fault.error_code, (TERN_GDT_FREE + 1) * 8);
    CHECK_EQ_NAMED("ss-not-present", load_seg(sg_mov_ss, (TERN_GDT_FREE + 1) * 8), 12);
    CHECK_EQ_NAMED("ss-not-present-code", tern_last_fault.error_code, (TERN_GDT_FREE + 1) * 8);
    CHECK_EQ_NAMED("ss-rpl3", load_seg(sg_mov_ss, TERN_SEL_UDATA), 13);
    CHECK_EQ_NAMED("ss-rpl3-code", tern_last_fault.error_code, TERN_SEL_UDATA & ~3);
    CHECK_EQ_NAMED("ss-dpl3", load_seg(sg_mov_ss, TERN_SEL_UDATA & ~3), 13);
    CHECK_EQ_NAMED("ss-code", load_seg(sg_mov_ss, TERN_SEL_KCODE), 13);
    CHECK_EQ_NAMED("ss-null-cpl0", load_seg(sg_mov_ss, 0), -1);
    CHECK_EQ_NAMED("ss-data", load_seg(sg_mov_ss, TERN_SEL_KDATA), -1);
    CHECK_EQ_NAMED("ds-restore", load_seg(sg_mov_ds, TERN_SEL_KDATA), -1);
    CHECK_EQ_NAMED("es-mem", load_seg(sg_mov_es_mem, TERN_SEL_KDATA), -1);
    CHECK_EQ_NAMED("pop-fs", load_seg(sg_pop_fs, TERN_SEL_KDATA), -1);
    {
        uint64_t fs;
        __asm__ volatile("mov %%fs, %k0" : "=r"(fs));
        CHECK_EQ_NAMED("fs", fs, TERN_SEL_KDATA);
    }
}

/* ---- LDTR, TR, GDTR, IDTR --------------------------------------------------- */

void ltr_user(void), lldt_user(void);
__asm__(".text\nltr_user:\n\tmov $0x28, %eax\n\tltr %ax\n\tret\n"
        "lldt_user:\n\txor %eax, %eax\n\tlldt %ax\n\tret\n");
SEG_FN(do_ltr, "mov sg_sel(%rip), %ax\n\tltr %ax");
SEG_FN(do_lldt, "mov sg_sel(%rip), %ax\n\tlldt %ax");

static void table_tests(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) dtr;
    uint64_t sel, tss_desc = tern_gdt[5];
    int ldt = TERN_GDT_FREE + 2;            /* 16 bytes: entries 9 and 10 */

    test_group("tr");
    CHECK_EQ_NAMED("ltr-cpl3", tern_run_user(ltr_user, 0), 13);
    CHECK_EQ_NAMED("ltr-cpl3-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("lldt-cpl3", tern_run_user(lldt_user, 0), 13);
    if (!TERN_HAVE_RING0) {
        return;
    }
    __asm__ volatile("str %0" : "=r"(sel));
    CHECK_EQ_NAMED("str", sel, TERN_SEL_TSS);
    CHECK_EQ_NAMED("busy", (tss_desc >> 40) & 0x1f, 0x0b);
    CHECK_EQ_NAMED("ltr-busy", load_seg(do_ltr, TERN_SEL_TSS), 13);
    CHECK_EQ_NAMED("ltr-busy-code", tern_last_fault.error_code, TERN_SEL_TSS);
    CHECK_EQ_NAMED("ltr-null", load_seg(do_ltr, 0), 13);
    CHECK_EQ_NAMED("ltr-null-code", tern_last_fault.error_code, 0);
    CHECK_EQ_NAMED("ltr-data", load_seg(do_ltr, TERN_SEL_KDATA), 13);
    CHECK_EQ_NAMED("ltr-data-code", tern_last_fault.error_code, TERN_SEL_KDATA);
    tern_gdt[5] &= ~(2ull << 40);           /* available again */
    CHECK_EQ_NAMED("ltr-again", load_seg(do_ltr, TERN_SEL_TSS), -1);
    CHECK_EQ_NAMED("busy-again", (tern_gdt[5] >> 40) & 0x1f, 0x0b);

    test_group("ldt");
    __asm__ volatile("sldt %0" : "=r"(sel));
    CHECK_EQ_NAMED("sldt-boot", sel, 0);
    CHECK_EQ_NAMED("lldt-null", load_seg(do_lldt, 0), -1);
    CHECK_EQ_NAMED("lldt-tss", load_seg(do_lldt, TERN_SEL_TSS), 13);
    CHECK_EQ_NAMED("lldt-tss-code", tern_last_fault.error_code, TERN_SEL_TSS);
    CHECK_EQ_NAMED("ltr-ldt-type", load_seg(do_ltr, ldt * 8), 13);
    tern_gdt[ldt] = 0x000002000000ffffull;  /* LDT, not present */
    tern_gdt[ldt + 1] = 0;
    CHECK_EQ_NAMED("lldt-not-present", load_seg(do_lldt, ldt * 8), 11);
    tern_gdt[ldt] |= 1ull << 47;
    CHECK_EQ_NAMED("lldt", load_seg(do_lldt, ldt * 8), -1);
    __asm__ volatile("sldt %0" : "=r"(sel));
    CHECK_EQ_NAMED("sldt", sel, (uint64_t)ldt * 8);
    load_seg(do_lldt, 0);

    test_group("gdtr-idtr");
    __asm__ volatile("sgdt %0" : "=m"(dtr));
    CHECK_EQ_NAMED("gdt-limit", dtr.limit, sizeof(tern_gdt) - 1);
    CHECK_EQ_NAMED("gdt-base", dtr.base, (uint64_t)(uintptr_t)tern_gdt);
    __asm__ volatile("sidt %0" : "=m"(dtr));
    CHECK_EQ_NAMED("idt-limit", dtr.limit, 33 * 16 - 1);
}

/* ---- SWAPGS, INVLPG ---------------------------------------------------------- */

uint64_t gs_var = 0x1122334455667788ull, gs_other = 0x99aabbccddeeff00ull;
void swapgs_user(void), invlpg_user(void);
__asm__(".text\nswapgs_user:\n\tswapgs\n\tret\n"
        "invlpg_user:\n\tinvlpg gs_var(%rip)\n\tret\n");

static uint64_t gs_read(uint64_t off)
{
    uint64_t v;
    __asm__ volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
    return v;
}

static void swapgs_invlpg_tests(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&gs_var;

    test_group("swapgs");
    CHECK_EQ_NAMED("cpl3", tern_run_user(swapgs_user, 0), 13);
    test_group("invlpg");
    CHECK_EQ_NAMED("cpl3", tern_run_user(invlpg_user, 0), 13);
    if (!TERN_HAVE_RING0) {
        return;
    }
    test_group("swapgs");
    /* a data segment based at gs_var */
    tern_gdt[TERN_GDT_FREE + 4] = 0x00cf93000000ffffull | (base & 0xffffff) << 16 |
                                  ((base >> 24) & 0xff) << 56;
    load_seg(sg_mov_ds, TERN_SEL_KDATA);
    __asm__ volatile("mov %0, %%gs" : : "r"((TERN_GDT_FREE + 4) * 8));
    CHECK_EQ_NAMED("gs-base", gs_read(0), gs_var);
    __asm__ volatile("swapgs");             /* GS.base = KERNEL_GS_BASE = 0 */
    CHECK_EQ_NAMED("swapped", gs_read((uint64_t)(uintptr_t)&gs_other), gs_other);
    __asm__ volatile("swapgs");
    CHECK_EQ_NAMED("swapped-back", gs_read(0), gs_var);
    __asm__ volatile("mov %0, %%gs" : : "r"(TERN_SEL_KDATA));

    test_group("invlpg");
    {
        /* the 2 MiB page at 64 MiB, remapped to 66 MiB: PD 0 is at 0x3000 */
        volatile uint64_t *pde = (volatile uint64_t *)(uintptr_t)(0x3000 + 32 * 8);
        volatile uint64_t *va = (volatile uint64_t *)(uintptr_t)0x4000000;
        volatile uint64_t *pa66 = (volatile uint64_t *)(uintptr_t)0x4200000;
        uint64_t saved = *pde;

        *va = 0xaaaa;
        *pa66 = 0xbbbb;
        CHECK_EQ_NAMED("before", *va, 0xaaaa);
        *pde = (saved & ~0xfffffe00000ull) | 0x4200000;
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
        CHECK_EQ_NAMED("remapped", *va, 0xbbbb);
        *pde = saved;
        __asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" : : : "rax", "memory");
        CHECK_EQ_NAMED("cr3-reload", *va, 0xaaaa);
    }
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    iret_tests();
    seg_tests();
    table_tests();
    swapgs_invlpg_tests();
    test_done();
}
