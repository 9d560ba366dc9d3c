// tern-nested: skip its #TS-after-the-commit-point check (test_late_fault) never returns: SVM intercepts task switches and KVM emulates them; seen nested only, where it costs the 60 s timeout
/*
 * task.c: hardware task switches (SDM vol.3 ch.8) in 32-bit protected
 * mode.  The runtime's TSS (TERN_SEL_TSS) is the main task's; the test
 * adds TSSes and a task gate in free GDT entries and checks:
 *   call   CALL to a TSS: the new task's registers, EFLAGS.NT, back link,
 *          busy bits, TR and CR0.TS, the old task's state in its TSS;
 *   iret   IRET with NT back to it: the old task's registers intact, the
 *          new task's busy bit cleared, its state saved (EIP after IRET);
 *   jmp    JMP through a task gate: no NT, no back link, the old busy bit
 *          cleared while away, and a JMP back;
 *   gp, df an exception through an IDT task gate (#GP with its error code,
 *          a #DF from #DE with a broken #DE gate) on the new task's stack,
 *          the handler task fixing the faulting task's EIP and IRETing;
 *   faults CALL and JMP to a busy TSS #GP(sel), a short TSS #TS(sel), TSS
 *          and gate DPL against CPL 3 and RPL #GP(sel), IRET with NT and a
 *          back link that is not a busy TSS #TS(link), nothing changed.
 * Guest only (32-bit, ring 0).
 */
#include "tern.h"

#define SEL_TSS_A   0x38        /* entries TERN_GDT_FREE.. */
#define SEL_TSS_B   0x40
#define SEL_GATE_B  0x48
#define SEL_TSS_S   0x50        /* limit too small */
#define SEL_TSS_F   0x58        /* fault handler task */
#define GDT_IDX(sel) ((sel) >> 3)

#define TYPE_TSS_AVL  0x9
#define TYPE_TSS_BUSY 0xb

static struct tern_tss32 tss_a, tss_b, tss_s, tss_f;
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint8_t stack_f[4096] __attribute__((aligned(16)));

static unsigned gdt_type(uint16_t sel)
{
    return (tern_gdt[GDT_IDX(sel)] >> 40) & 0xf;
}

static void tss_init(struct tern_tss32 *t, void (*entry)(void), uint8_t *stack_top)
{
    memset(t, 0, sizeof(*t));
    t->eip = (uint32_t)(uintptr_t)entry;
    t->esp = (uint32_t)(uintptr_t)stack_top;
    t->eflags = 2;
    t->cs = TERN_SEL_KCODE;
    t->ss = t->ds = t->es = t->fs = t->gs = TERN_SEL_KDATA;
    t->iomap = sizeof(*t);              /* no I/O bitmap */
}

static void tss_desc(uint16_t sel, struct tern_tss32 *t, uint32_t limit, unsigned dpl)
{
    tern_gdt[GDT_IDX(sel)] = tern_seg_desc((uint32_t)(uintptr_t)t, limit, 0x89 | dpl << 5, 0);
}

/* ---- task A: entered by CALL, leaves by IRET ----------------------------- */

/* What task A saw: its registers at entry, then task_a_body's records. */
struct seen {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eflags, cr0, tr, link, type_self, type_main;
    uint32_t main_eip, main_eax, main_edi;
} seen_a;

void task_a_body(void);
void task_a_body(void)
{
    seen_a.eflags = read_flags();
    seen_a.cr0 = read_cr(0);
    seen_a.tr = read_tr();
    seen_a.link = tss_a.link;
    seen_a.type_self = gdt_type(SEL_TSS_A);
    seen_a.type_main = gdt_type(TERN_SEL_TSS);
    seen_a.main_eip = tern_tss->eip;
    seen_a.main_eax = tern_tss->eax;
    seen_a.main_edi = tern_tss->edi;
}

void task_a_entry(void);
extern char task_a_after_iret[];
__asm__(
    ".text\n"
    "task_a_entry:\n"
    "    mov %eax, seen_a+0\n    mov %ecx, seen_a+4\n    mov %edx, seen_a+8\n"
    "    mov %ebx, seen_a+12\n   mov %esp, seen_a+16\n   mov %ebp, seen_a+20\n"
    "    mov %esi, seen_a+24\n   mov %edi, seen_a+28\n"
    "    call task_a_body\n"
    "    mov $0x5555, %eax\n"
    "    iret\n"
    ".globl task_a_after_iret\n"
    "task_a_after_iret:\n"
    "    jmp task_a_entry\n");

/* The main task's registers after it was resumed, and its EFLAGS. */
struct back {
    uint32_t eax, ecx, edx, ebx, ebp, esi, edi, eflags;
} back;

/* Set known registers, switch by insn, record them once resumed. */
#define SWITCH_FN(name, insn)                                                \
    void name(void);                                                         \
    extern char name##_next[];                                               \
    __asm__(".text\n.globl " #name "\n" #name ":\n"                         \
            "    push %ebx\n    push %esi\n    push %edi\n    push %ebp\n"  \
            "    mov $0xa1, %eax\n    mov $0xc1, %ecx\n    mov $0xd1, %edx\n" \
            "    mov $0xb1, %ebx\n    mov $0x71, %ebp\n    mov $0xe1, %esi\n" \
            "    mov $0xf1, %edi\n"                                          \
            "    " insn "\n"                                                 \
            ".globl " #name "_next\n" #name "_next:\n"                      \
            "    mov %eax, back+0\n    mov %ecx, back+4\n    mov %edx, back+8\n" \
            "    mov %ebx, back+12\n   mov %ebp, back+16\n   mov %esi, back+20\n" \
            "    mov %edi, back+24\n   pushf\n    popl back+28\n"             \
            "    pop %ebp\n    pop %edi\n    pop %esi\n    pop %ebx\n    ret\n")

SWITCH_FN(call_task_a, "lcall $0x38, $0");
SWITCH_FN(jmp_gate_b, "ljmp $0x48, $0");

static void check_back(void)
{
    CHECK_EQ(back.eax, 0xa1);
    CHECK_EQ(back.ecx, 0xc1);
    CHECK_EQ(back.edx, 0xd1);
    CHECK_EQ(back.ebx, 0xb1);
    CHECK_EQ(back.ebp, 0x71);
    CHECK_EQ(back.esi, 0xe1);
    CHECK_EQ(back.edi, 0xf1);
    CHECK_EQ(back.eflags & FL_NT, 0);
}

static void test_call_iret(void)
{
    tss_init(&tss_a, task_a_entry, stack_a + sizeof(stack_a));
    tss_a.eax = 0x1111;
    tss_a.ecx = 0x2222;
    tss_a.edx = 0x3333;
    tss_a.ebx = 0x4444;
    tss_a.ebp = 0x6666;
    tss_a.esi = 0x7777;
    tss_a.edi = 0x8888;
    tss_a.eflags = 2 | FL_CF | FL_ZF;
    tss_desc(SEL_TSS_A, &tss_a, sizeof(tss_a) - 1, 0);
    tern_gdt_load();
    __asm__ volatile("clts");

    call_task_a();

    test_group("call");
    CHECK_EQ(seen_a.eax, 0x1111);
    CHECK_EQ(seen_a.ecx, 0x2222);
    CHECK_EQ(seen_a.edx, 0x3333);
    CHECK_EQ(seen_a.ebx, 0x4444);
    CHECK_EQ(seen_a.esp, (uint32_t)(uintptr_t)(stack_a + sizeof(stack_a)));
    CHECK_EQ(seen_a.ebp, 0x6666);
    CHECK_EQ(seen_a.esi, 0x7777);
    CHECK_EQ(seen_a.edi, 0x8888);
    CHECK_EQ(seen_a.eflags & (FL_NT | FL_CF | FL_ZF), FL_NT | FL_CF | FL_ZF);
    CHECK_EQ(seen_a.cr0 & CR0_TS, CR0_TS);
    CHECK_EQ(seen_a.tr, SEL_TSS_A);
    CHECK_EQ(seen_a.link, TERN_SEL_TSS);
    CHECK_EQ(seen_a.type_self, TYPE_TSS_BUSY);
    CHECK_EQ(seen_a.type_main, TYPE_TSS_BUSY);      /* CALL keeps it busy */
    /* the old task's state went to its TSS: EIP after the CALL */
    CHECK_EQ(seen_a.main_eip, (uint32_t)(uintptr_t)call_task_a_next);
    CHECK_EQ(seen_a.main_eax, 0xa1);
    CHECK_EQ(seen_a.main_edi, 0xf1);

    test_group("iret");
    check_back();
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    CHECK_EQ(gdt_type(SEL_TSS_A), TYPE_TSS_AVL);
    CHECK_EQ(gdt_type(TERN_SEL_TSS), TYPE_TSS_BUSY);
    CHECK_EQ(read_cr(0) & CR0_TS, CR0_TS);
    /* task A's state saved by the IRET: EIP after it, EAX changed, NT clear */
    CHECK_EQ(tss_a.eip, (uint32_t)(uintptr_t)task_a_after_iret);
    CHECK_EQ(tss_a.eax, 0x5555);
    CHECK_EQ(tss_a.eflags & FL_NT, 0);
    __asm__ volatile("clts");

    /* a second CALL resumes task A after its IRET */
    seen_a.eax = 0;
    call_task_a();
    CHECK_EQ(seen_a.eax, 0x5555);
    CHECK_EQ(seen_a.link, TERN_SEL_TSS);
    check_back();
    __asm__ volatile("clts");
}

/* ---- task B: entered by JMP through a task gate, JMPs back ---------------- */

struct {
    uint32_t eflags, tr, link, type_self, type_main, main_eip;
} seen_b;

void task_b_body(void);
void task_b_body(void)
{
    seen_b.eflags = read_flags();
    seen_b.tr = read_tr();
    seen_b.link = tss_b.link;
    seen_b.type_self = gdt_type(SEL_TSS_B);
    seen_b.type_main = gdt_type(TERN_SEL_TSS);
    seen_b.main_eip = tern_tss->eip;
}

void task_b_entry(void);
__asm__(
    ".text\n"
    "task_b_entry:\n"
    "    call task_b_body\n"
    "    ljmp $0x28, $0\n"
    "    jmp task_b_entry\n");

static void test_jmp_gate(void)
{
    tss_init(&tss_b, task_b_entry, stack_b + sizeof(stack_b));
    tss_b.link = 0x1234;                /* a JMP leaves it alone */
    tss_desc(SEL_TSS_B, &tss_b, sizeof(tss_b) - 1, 0);
    tern_gdt[GDT_IDX(SEL_GATE_B)] = tern_gate_desc(SEL_TSS_B, 0, 0x85, 0);
    tern_gdt_load();

    jmp_gate_b();

    test_group("jmp");
    CHECK_EQ(seen_b.eflags & FL_NT, 0);
    CHECK_EQ(seen_b.tr, SEL_TSS_B);
    CHECK_EQ(seen_b.link, 0x1234);
    CHECK_EQ(seen_b.type_self, TYPE_TSS_BUSY);
    CHECK_EQ(seen_b.type_main, TYPE_TSS_AVL);       /* JMP frees the old one */
    CHECK_EQ(seen_b.main_eip, (uint32_t)(uintptr_t)jmp_gate_b_next);
    check_back();
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    CHECK_EQ(gdt_type(TERN_SEL_TSS), TYPE_TSS_BUSY);
    CHECK_EQ(gdt_type(SEL_TSS_B), TYPE_TSS_AVL);
    __asm__ volatile("clts");
}

/* ---- a fault handler task behind an IDT task gate ------------------------ */

struct {
    uint32_t err, esp, eflags, tr, link, main_eip, type_main;
} seen_f;
uint32_t fault_resume;                  /* where the faulting task goes on */
static void (*fault_fix)(void);         /* what task F repairs */

/* the main task faulted: skip its faulting instruction */
static void fix_main_eip(void)
{
    tern_tss->eip = fault_resume;
}

void fault_task_body(void);
void fault_task_body(void)
{
    seen_f.eflags = read_flags();
    seen_f.tr = read_tr();
    seen_f.link = tss_f.link;
    seen_f.main_eip = tern_tss->eip;
    seen_f.type_main = gdt_type(TERN_SEL_TSS);
    fault_fix();
}

void fault_task_entry(void);
__asm__(
    ".text\n"
    "fault_task_entry:\n"
    "    mov (%esp), %eax\n"
    "    mov %eax, seen_f+0\n"
    "    mov %esp, seen_f+4\n"
    "    call fault_task_body\n"
    "    iret\n"
    "    jmp fault_task_entry\n");

/* fn: setup; fn_at: the faulting instruction; fn_resume: ret */
#define RESUME_FN(name, setup, insn)                                         \
    void name(void);                                                         \
    extern char name##_at[], name##_resume[];                                \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" setup "\n"            \
            ".globl " #name "_at\n" #name "_at:\n\t" insn "\n"              \
            ".globl " #name "_resume\n" #name "_resume:\n\tret\n")

RESUME_FN(gp_fs, "mov $0x7b, %eax", "mov %eax, %fs");
RESUME_FN(de_div, "xor %ecx, %ecx\n\tmov $1, %eax\n\txor %edx, %edx", "div %ecx");

/* Run fn with vector's IDT entry a task gate to task F; fn's fault must
 * reach task F with error code err and fn then return normally. */
static void check_fault_task(const char *name, int vector, void (*fn)(void), const char *at,
                             const char *resume, uint32_t err)
{
    uint8_t *top = stack_f + sizeof(stack_f);

    tss_init(&tss_f, fault_task_entry, top);
    tss_desc(SEL_TSS_F, &tss_f, sizeof(tss_f) - 1, 0);
    tern_gdt_load();
    tern_idt_set_gate(vector, tern_gate_desc(SEL_TSS_F, 0, 0x85, 0));
    fault_resume = (uint32_t)(uintptr_t)resume;
    fault_fix = fix_main_eip;
    seen_f.err = 0xdead;

    int v = tern_catch_fault(fn);

    tern_idt_set_gate(vector, tern_gate_desc(TERN_SEL_KCODE, tern_idt_stub(vector), 0x8e, 0));
    test_group(name);
    CHECK_EQ(v, -1);
    CHECK_EQ(seen_f.err, err);
    CHECK_EQ(seen_f.esp, (uint32_t)(uintptr_t)top - 4);
    CHECK_EQ(seen_f.eflags & FL_NT, FL_NT);
    CHECK_EQ(seen_f.tr, SEL_TSS_F);
    CHECK_EQ(seen_f.link, TERN_SEL_TSS);
    CHECK_EQ(seen_f.main_eip, (uint32_t)(uintptr_t)at);
    CHECK_EQ(seen_f.type_main, TYPE_TSS_BUSY);
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    CHECK_EQ(gdt_type(SEL_TSS_F), TYPE_TSS_AVL);
    __asm__ volatile("clts");
}

static void test_fault_tasks(void)
{
    /* #GP(0x78) through a task gate: the error code on task F's stack */
    check_fault_task("gp", 13, gp_fs, gp_fs_at, gp_fs_resume, 0x78);
    /* #DE whose gate is empty: #GP during delivery, so #DF(0), whose
     * handler is a task, as 32-bit OSes have it */
    uint64_t de_gate = tern_gate_desc(TERN_SEL_KCODE, tern_idt_stub(0), 0x8e, 0);
    tern_idt_set_gate(0, 0);
    check_fault_task("df", 8, de_div, de_div_at, de_div_resume, 0);
    tern_idt_set_gate(0, de_gate);
}

/* After the commit point a fault is the new task's: task A's TSS names a
 * code segment as SS, so #TS(0x08) arrives (through a task gate to task F)
 * from task A at its first instruction; F repairs A's SS and IRETs to A,
 * which runs and IRETs back to the main task. */
static uint32_t late_a_eip;

static void fix_a_ss(void)
{
    late_a_eip = tss_a.eip;
    tss_a.ss = TERN_SEL_KDATA;
}

static void test_late_fault(void)
{
    tss_init(&tss_a, task_a_entry, stack_a + sizeof(stack_a));
    tss_a.eax = 0x1212;
    tss_a.ss = TERN_SEL_KCODE;
    tss_desc(SEL_TSS_A, &tss_a, sizeof(tss_a) - 1, 0);
    tss_init(&tss_f, fault_task_entry, stack_f + sizeof(stack_f));
    tss_desc(SEL_TSS_F, &tss_f, sizeof(tss_f) - 1, 0);
    tern_gdt_load();
    tern_idt_set_gate(10, tern_gate_desc(SEL_TSS_F, 0, 0x85, 0));
    fault_fix = fix_a_ss;
    seen_a.eax = 0;

    call_task_a();

    tern_idt_set_gate(10, tern_gate_desc(TERN_SEL_KCODE, tern_idt_stub(10), 0x8e, 0));
    test_group("late");
    CHECK_EQ(seen_f.err, TERN_SEL_KCODE);
    CHECK_EQ(seen_f.link, SEL_TSS_A);
    CHECK_EQ(late_a_eip, (uint32_t)(uintptr_t)task_a_entry);
    CHECK_EQ(seen_a.eax, 0x1212);
    CHECK_EQ(seen_a.link, TERN_SEL_TSS);
    check_back();
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    CHECK_EQ(gdt_type(SEL_TSS_A), TYPE_TSS_AVL);
    CHECK_EQ(gdt_type(SEL_TSS_F), TYPE_TSS_AVL);
    __asm__ volatile("clts");
}

/* ---- CR3: each task its own page directory ------------------------------- */

/* 32-bit paging with 4 MiB pages, identity but for linear 8M-12M: the
 * main task's directory maps it to physical 0, task A's to 4M. */
static uint32_t pd_main[1024] __attribute__((aligned(4096)));
static uint32_t pd_a[1024] __attribute__((aligned(4096)));
/* a page of its own: a TLB entry for its alias survives the switch's
 * accesses to the TSSes, GDT and stacks (a soft TLB may be direct-mapped) */
static volatile uint32_t marker_page[1024] __attribute__((aligned(4096)));
#define marker marker_page[0]
uint32_t seen_cr3, seen_marker;

void task_a_cr3_body(void);
void task_a_cr3_entry(void);
__asm__(
    ".text\n"
    "task_a_cr3_entry:\n"
    "    call task_a_cr3_body\n"
    "    iret\n"
    "    jmp task_a_cr3_entry\n");

static volatile uint32_t *marker_alias(void)
{
    return (volatile uint32_t *)(0x800000 + (uintptr_t)&marker);
}

void task_a_cr3_body(void)
{
    seen_cr3 = read_cr(3);
    seen_marker = *marker_alias();
}

static void test_cr3(void)
{
    uint32_t cr0 = read_cr(0), cr4;

    for (unsigned i = 0; i < 1024; i++) {
        pd_main[i] = pd_a[i] = (i << 22) | 0x83;      /* P, RW, PS */
    }
    pd_main[2] = 0x83;
    pd_a[2] = (1u << 22) | 0x83;
    marker = 0x12345678;
    *(volatile uint32_t *)(0x400000 + (uintptr_t)&marker) = 0xabcdef;

    tss_init(&tss_a, task_a_cr3_entry, stack_a + sizeof(stack_a));
    tss_a.cr3 = (uint32_t)(uintptr_t)pd_a;
    tss_desc(SEL_TSS_A, &tss_a, sizeof(tss_a) - 1, 0);
    tern_gdt_load();
    tern_tss->cr3 = (uint32_t)(uintptr_t)pd_main;   /* read when we return */
    __asm__ volatile("mov %%cr4, %0\n\tor $0x10, %0\n\tmov %0, %%cr4\n\t"
                     "mov %1, %%cr3\n\tmov %2, %%cr0"
                     : "=&r"(cr4) : "r"(pd_main), "r"(cr0 | 0x80000000u) : "memory");
    test_group("cr3");
    CHECK_EQ(*marker_alias(), 0x12345678);      /* in the TLB now */

    call_task_a();

    CHECK_EQ(seen_cr3, (uint32_t)(uintptr_t)pd_a);
    CHECK_EQ(seen_marker, 0xabcdef);
    /* back: the main task's directory, and no stale TLB entry */
    CHECK_EQ(*marker_alias(), 0x12345678);
    CHECK_EQ(read_cr(3), (uint32_t)(uintptr_t)pd_main);
    check_back();
    __asm__ volatile("mov %0, %%cr0\n\tclts" : : "r"(cr0) : "memory");
}

/* ---- a 16-bit TSS ------------------------------------------------------ */

/* SDM vol.3 figure 8-11.  Its IP and SP are 16-bit, so task C runs in a
 * code segment based at its entry's 64 KiB block, on a 16-bit stack
 * segment based at its stack's. */
struct tss16 {
    uint16_t link, sp0, ss0, sp1, ss1, sp2, ss2, ip, flags;
    uint16_t ax, cx, dx, bx, sp, bp, si, di, es, cs, ss, ds, ldt;
} __attribute__((packed));
_Static_assert(sizeof(struct tss16) == 44, "16-bit TSS layout");

#define SEL_TSS_C   0x60
#define SEL_CODE_C  0x68
#define SEL_STACK_C 0x70

static struct tss16 tss_c;
static uint8_t stack_c[4096] __attribute__((aligned(16)));
struct {
    uint32_t eax, ebx, esp, eflags, tr, fs;
} seen_c;

void task_c_entry(void);
extern char task_c_after_iret[];
__asm__(
    ".text\n"
    "task_c_entry:\n"
    "    mov %eax, seen_c+0\n"
    "    mov %ebx, seen_c+4\n"
    "    mov %esp, seen_c+8\n"
    "    pushf\n"
    "    popl seen_c+12\n"
    "    str seen_c+16\n"
    "    mov %fs, seen_c+20\n"
    "    mov $0x5a5a, %ax\n"
    "    iret\n"
    ".globl task_c_after_iret\n"
    "task_c_after_iret:\n"
    "    jmp task_c_entry\n");

SWITCH_FN(call_task_c, "lcall $0x60, $0");

static void test_tss16(void)
{
    uint32_t code_base = (uint32_t)(uintptr_t)task_c_entry & ~0xffffu;
    uint32_t stack_base = (uint32_t)(uintptr_t)stack_c & ~0xffffu;
    uint16_t sp = (uint16_t)((uintptr_t)stack_c + sizeof(stack_c) - 16 - stack_base);

    memset(&tss_c, 0, sizeof(tss_c));
    tss_c.ip = (uint16_t)((uintptr_t)task_c_entry - code_base);
    tss_c.flags = 2 | FL_CF;
    tss_c.ax = 0x1234;
    tss_c.bx = 0x5678;
    tss_c.sp = sp;
    tss_c.cs = SEL_CODE_C;
    tss_c.ss = SEL_STACK_C;
    tss_c.ds = tss_c.es = TERN_SEL_KDATA;
    tern_gdt[GDT_IDX(SEL_TSS_C)] = tern_seg_desc((uint32_t)(uintptr_t)&tss_c, 0x2b, 0x81, 0);
    tern_gdt[GDT_IDX(SEL_CODE_C)] = tern_seg_desc(code_base, 0xfffff, 0x9b, 0xc);
    tern_gdt[GDT_IDX(SEL_STACK_C)] = tern_seg_desc(stack_base, 0xffff, 0x93, 0);
    tern_gdt_load();

    call_task_c();

    test_group("tss16");
    /* SDM 8.6: the upper halves are "modified": ffff, as Bochs and QEMU */
    CHECK_EQ(seen_c.eax, 0xffff1234u);
    CHECK_EQ(seen_c.ebx, 0xffff5678u);
    CHECK_EQ(seen_c.esp & 0xffff, sp);
    CHECK_EQ(seen_c.eflags & (FL_NT | FL_CF), FL_NT | FL_CF);
    CHECK_EQ(seen_c.tr & 0xffff, SEL_TSS_C);
    CHECK_EQ(seen_c.fs & 0xffff, 0);                /* no FS/GS slots: null */
    CHECK_EQ(tss_c.link, TERN_SEL_TSS);
    check_back();
    CHECK_EQ(tss_c.ip, (uint16_t)((uintptr_t)task_c_after_iret - code_base));
    CHECK_EQ(tss_c.ax, 0x5a5a);
    CHECK_EQ(tss_c.flags & FL_NT, 0);
    CHECK_EQ(gdt_type(SEL_TSS_C), 0x1);             /* 16-bit, available */
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    __asm__ volatile("clts");
}

/* ---- faults that leave the old task running ------------------------------ */

FAULT_FN_AT(call_busy, "", "lcall $0x28, $0", "");
FAULT_FN_AT(jmp_busy, "", "ljmp $0x28, $0", "");
FAULT_FN_AT(call_short, "", "lcall $0x50, $0", "");
FAULT_FN_AT(call_rpl3, "", "lcall $0x3b, $0", "");
FAULT_FN_AT(call_tss_user, "", "lcall $0x38, $0", "");
FAULT_FN_AT(jmp_gate_user, "", "ljmp $0x48, $0", "");
FAULT_FN_AT(iret_nt, "pushf\n\torl $0x4000, (%esp)\n\tpopf", "iret", "");

static void check_fault(const char *name, void (*fn)(void), const char *at, int vector,
                        uint32_t err)
{
    test_group(name);
    CHECK_EQ(tern_catch_fault(fn), vector);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)at);
    CHECK_EQ(tern_last_fault.error_code, err);
    CHECK_EQ(read_tr(), TERN_SEL_TSS);
    CHECK_EQ(read_cr(0) & CR0_TS, 0);
}

static void test_faults(void)
{
    tss_init(&tss_s, task_a_entry, stack_a + sizeof(stack_a));
    tss_desc(SEL_TSS_S, &tss_s, 0x66, 0);       /* one byte short */
    tern_gdt_load();

    check_fault("call-busy", call_busy, call_busy_at, 13, TERN_SEL_TSS);
    check_fault("jmp-busy", jmp_busy, jmp_busy_at, 13, TERN_SEL_TSS);
    check_fault("short", call_short, call_short_at, 10, SEL_TSS_S);
    CHECK_EQ(gdt_type(SEL_TSS_S), TYPE_TSS_AVL);
    CHECK_EQ(gdt_type(TERN_SEL_TSS), TYPE_TSS_BUSY);
    tern_gdt[GDT_IDX(SEL_TSS_S)] = tern_seg_desc((uint32_t)(uintptr_t)&tss_s, 0x67, 0x09, 0);
    check_fault("not-present", call_short, call_short_at, 11, SEL_TSS_S);
    /* a DPL 0 TSS through a selector with RPL 3 */
    check_fault("rpl", call_rpl3, call_rpl3_at, 13, SEL_TSS_A);

    /* IRET with NT: the back link must be a busy TSS */
    uint16_t link = tern_tss->link;
    tern_tss->link = SEL_TSS_A;                 /* available */
    check_fault("iret-avail", iret_nt, iret_nt_at, 10, SEL_TSS_A);
    tern_tss->link = TERN_SEL_KCODE;            /* not a TSS */
    check_fault("iret-code", iret_nt, iret_nt_at, 10, TERN_SEL_KCODE);
    tern_tss->link = link;
    CHECK_EQ(gdt_type(SEL_TSS_A), TYPE_TSS_AVL);

    /* from ring 3: the TSS's and the gate's DPL 0 refuse CPL 3 */
    test_group("user");
    CHECK_EQ(tern_run_user(call_tss_user, 0), 13);
    CHECK_EQ(tern_last_fault.error_code, SEL_TSS_A);
    CHECK_EQ(tern_run_user(jmp_gate_user, 0), 13);
    CHECK_EQ(tern_last_fault.error_code, SEL_GATE_B);
    CHECK_EQ(gdt_type(SEL_TSS_A), TYPE_TSS_AVL);
    CHECK_EQ(gdt_type(SEL_TSS_B), TYPE_TSS_AVL);
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    test_call_iret();
    test_jmp_gate();
    test_fault_tasks();
    test_late_fault();
    test_cr3();
    test_tss16();
    test_faults();
    test_done();
}
