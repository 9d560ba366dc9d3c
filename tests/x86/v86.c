// tern-nested: allow paging/cpuid* the nested KVM does not offer VME
// tern-nested: allow vme* the nested KVM does not offer VME
// tern-nested: allow pvi/* the nested KVM does not offer VME/PVI
/*
 * v86.c: virtual-8086 mode (SDM vol.3 ch.20).  The 32-bit guest copies a
 * 16-bit blob to 0x20000 and enters it by IRET with EFLAGS.VM in the frame
 * (v86_enter, run under tern_catch_fault).  Each run ends in an event
 * delivered to ring 0 through a 32-bit gate: exceptions and INT3 reach the
 * runtime's stubs (tern_last_fault holds the v86 frame with its ES, DS, FS
 * and GS); INT 0x40 reaches v86_int_stub, which notes what the handler
 * itself sees and can IRET back into v86 mode.
 *
 * Checked: segment arithmetic (selector << 4) through CS, DS, ES and SS;
 * the INT n frame, the ring-0 stack and nulled data segments; IRET back to
 * v86; CLI, STI, PUSHF, POPF, INT n and IRET #GP(0) with IOPL < 3 and
 * running with IOPL 3, where POPF still cannot change IOPL or VM; INT3 not
 * IOPL-sensitive; IN/OUT/INS/OUTS by the TSS I/O bitmap whatever IOPL; a
 * DPL 0 gate (#GP(vector * 8 + 2)) and a gate to a DPL 3 segment
 * (#GP(selector)); #GP and #PF (user rights under paging) from v86 with
 * their frames; #UD for VERR, VERW, LAR and LSL.  Guest only (32-bit, ring 0).
 */
#include "tern.h"

#define V86_CODE_SEG  0x2000            /* the blob runs at 0x20000 */
#define V86_DATA_SEG  0x2100            /* DS: 0x21000 */
#define V86_EXTRA_SEG 0x2200            /* ES: 0x22000 */
#define V86_STACK_SEG 0x3000            /* SS:SP = 0x3000:0x1000 = 0x31000 */
#define V86_SP        0x1000
#define V86_STR_(x) #x
#define V86_STR(x) V86_STR_(x)
#define V86_LIN(seg, off) ((volatile uint8_t *)(uintptr_t)(((seg) << 4) + (off)))

#define VEC_INT  0x40   /* DPL 3 gate to v86_int_stub */
#define VEC_INT0 0x41   /* DPL 0: INT 0x41 from v86 is #GP(0x41 * 8 + 2) */
#define VEC_UCS  0x42   /* DPL 3 gate to the DPL 3 code segment: #GP(sel) */
#define V86_DONE 32     /* what tern_catch_fault says when INT 0x40 arrived */

/* The state v86_enter IRETs to (the frame, then general registers). */
struct v86_state {
    uint32_t eip, cs, eflags, esp, ss, es, ds, fs, gs;
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
};
struct v86_state v86_state;

/* For tern_catch_fault: IRET to v86_state.  The v86 code ends in an
 * exception or INT, whose handler resumes tern_catch_fault's caller. */
void v86_enter(void);
__asm__(".text\n.globl v86_enter\nv86_enter:\n"
        "    mov $v86_state, %eax\n"
        "    pushl 32(%eax)\n    pushl 28(%eax)\n    pushl 24(%eax)\n    pushl 20(%eax)\n"
        "    pushl 16(%eax)\n    pushl 12(%eax)\n    pushl 8(%eax)\n    pushl 4(%eax)\n"
        "    pushl 0(%eax)\n"
        "    mov 40(%eax), %ebx\n    mov 44(%eax), %ecx\n    mov 48(%eax), %edx\n"
        "    mov 52(%eax), %esi\n    mov 56(%eax), %edi\n    mov 60(%eax), %ebp\n"
        "    mov 36(%eax), %eax\n"
        "    iret\n");

/*
 * INT 0x40's handler: what the handler itself sees (its data selectors,
 * EFLAGS, CS, SS, ESP), written through SS, the only data segment v86
 * delivery leaves usable; then IRET back to v86 mode while v86_resume
 * counts down, else on to the runtime's vector-32 stub, which records
 * the frame in tern_last_fault and resumes tern_catch_fault's caller.
 */
uint16_t v86_h_ds, v86_h_es, v86_h_fs, v86_h_gs, v86_h_cs, v86_h_ss;
uint32_t v86_h_eflags, v86_h_esp, v86_resume, v86_exit_stub;
void v86_int_stub(void);
__asm__(".text\n.globl v86_int_stub\nv86_int_stub:\n"
        "    mov %ds, %ss:v86_h_ds\n    mov %es, %ss:v86_h_es\n"
        "    mov %fs, %ss:v86_h_fs\n    mov %gs, %ss:v86_h_gs\n"
        "    mov %cs, %ss:v86_h_cs\n    mov %ss, %ss:v86_h_ss\n"
        "    mov %esp, %ss:v86_h_esp\n"
        "    pushf\n    popl %ss:v86_h_eflags\n"
        "    cmpl $0, %ss:v86_resume\n    je 1f\n"
        "    decl %ss:v86_resume\n    iret\n"
        "1:  jmp *%ss:v86_exit_stub\n");

/* ---- the 16-bit code ----------------------------------------------------- */

/* Labels in the blob (v86_blob..v86_blob_end, copied to V86_CODE_SEG << 4);
 * OFF() is a label's IP. */
extern const char v86_blob[], v86_blob_end[];
#define V86_LABELS(X) \
    X(seg) X(seg2) X(seg2_end) X(cli) X(sti) X(pushf) X(pushf_at) X(popf) X(popf_at) \
    X(int) X(iret) X(iret_at) X(iret_ret) X(flags) X(popf_iopl) X(out80) X(inw80) \
    X(outsb) X(outsb_at) X(insb) X(insb_at) X(int41) X(int42) X(pf_read) X(pf_write) \
    X(cr0) X(int3) X(pushf16) X(popf_vif) X(popf_vif_at) X(popf_tf) X(popf_tf_at) X(popfd) \
    X(popfd_at) X(iretd) X(vme_isr) X(verr) X(verw) X(lar) X(lsl)
#define V86_DECL(l) extern const char v86_##l[];
V86_LABELS(V86_DECL)
#define OFF(l) ((uint32_t)(v86_##l - v86_blob))
#define L(l) ".globl v86_" #l "\nv86_" #l ":\n"

__asm__(".section .rodata\n.code16\n.globl v86_blob\nv86_blob:\n"
        /* segment arithmetic: read DS:[0x10], write ES:[0x20], push on SS */
        L(seg) "    mov (0x10), %ax\n    mov %ax, %es:(0x20)\n    mov %cs, %bx\n"
        "    push $0x1234\n    int $0x40\n"
        /* after the IRET back: the segments came from the frame */
        L(seg2) "    mov (0x12), %cx\n    mov %ds, %dx\n    pop %si\n    int $0x40\n"
        L(seg2_end)
        /* each sensitive instruction, then INT3 (not IOPL-sensitive) */
        L(cli) "    cli\n    int3\n"
        L(sti) "    sti\n    int3\n"
        L(pushf) L(pushf_at) "    pushfl\n    pop %eax\n    int3\n"
        L(popf) "    push $0x0002\n" L(popf_at) "    popf\n    int3\n"
        L(int) "    int $0x40\n"
        L(iret) "    push $0x0002\n    push $" V86_STR(V86_CODE_SEG) "\n"
        "    push $(v86_iret_ret - v86_blob)\n" L(iret_at) "    iret\n"
        L(iret_ret) "    int3\n"
        /* POPF with IOPL 3: IOPL 0 and VM 0 in the image change nothing,
         * IF and DF do */
        L(flags) "    pushl $0x00000602\n    popfl\n    pushfl\n    pop %eax\n    int3\n"
        L(popf_iopl) "    push $0x0002\n    popf\n    pushf\n    pop %ax\n    int3\n"
        /* port I/O: the bitmap decides */
        L(out80) "    outb %al, $0x80\n    int3\n"
        L(inw80) "    inw $0x80, %ax\n    int3\n"
        L(outsb) "    mov $0x80, %dx\n    xor %si, %si\n" L(outsb_at) "    outsb\n    int3\n"
        L(insb) "    mov $0x80, %dx\n    xor %di, %di\n" L(insb_at) "    insb\n    int3\n"
        L(int41) "    int $0x41\n"
        L(int42) "    int $0x42\n"
        /* DS = 0x6000: 0x60000 not present, 0x61000 supervisor (paging on) */
        L(pf_read) "    mov (0x4), %al\n    int3\n"
        L(pf_write) "    movb $1, (0x1008)\n    int3\n"
        L(cr0) "    mov %cr0, %eax\n    int3\n"
        L(int3) "    int3\n"
        /* VME: 16-bit forms work on VIF, 32-bit ones are #GP(0) */
        L(pushf16) "    pushf\n    pop %ax\n    int3\n"
        L(popf_vif) "    push $0x0202\n" L(popf_vif_at) "    popf\n    int3\n"
        L(popf_tf) "    push $0x0102\n" L(popf_tf_at) "    popf\n    int3\n"
        L(popfd) "    pushl $0x0202\n" L(popfd_at) "    popfl\n    int3\n"
        L(iretd) "    iretl\n"
        /* an 8086 handler INT 0x40 is redirected to: its frame into CX, DX, SI */
        L(vme_isr) "    pop %cx\n    pop %dx\n    pop %si\n    int3\n"
        /* protected-mode only: #UD here */
        L(verr) "    verr %ax\n    int3\n"
        L(verw) "    verw %ax\n    int3\n"
        L(lar) "    lar %ax, %ax\n    int3\n"
        L(lsl) "    lsl %ax, %ax\n    int3\n"
        L(blob_end)
        ".code32\n.previous\n");

/* ---- set-up ---------------------------------------------------------------- */

static const struct { int vector; unsigned access; uint16_t sel; } v86_gates[] = {
    { 3, 0xee, TERN_SEL_KCODE },                /* INT3 from v86 needs DPL 3 */
    { VEC_INT, 0xee, TERN_SEL_KCODE },
    { VEC_INT0, 0x8e, TERN_SEL_KCODE },
    { VEC_UCS, 0xee, TERN_SEL_UCODE },
};

static void v86_gates_install(void)
{
    for (unsigned i = 0; i < sizeof(v86_gates) / sizeof(v86_gates[0]); i++) {
        int v = v86_gates[i].vector;
        uint32_t fn = v < 32 ? tern_idt_stub(v) : (uint32_t)(uintptr_t)v86_int_stub;

        tern_idt_set_gate(v, tern_gate_desc(v86_gates[i].sel, fn, v86_gates[i].access, 0));
    }
    v86_exit_stub = tern_idt_stub(V86_DONE);
}

/* Enter the blob at IP off with EFLAGS VM | fl, DS = ds; returns the
 * vector that ended it (tern_last_fault has the frame). */
static int v86_go(uint32_t off, uint32_t fl, uint32_t ds)
{
    v86_state = (struct v86_state){
        .eip = off, .cs = V86_CODE_SEG, .eflags = FL_VM | fl | 2,
        .esp = V86_SP, .ss = V86_STACK_SEG, .es = V86_EXTRA_SEG, .ds = ds,
        .fs = 0x1111, .gs = 0x2222, .eax = 0xdead0000u,
    };
    return tern_catch_fault(v86_enter);
}

static int v86_run_ds(uint32_t off, unsigned iopl, uint32_t ds)
{
    return v86_go(off, FL_IF | FL_IOPL(iopl), ds);
}

static int v86_run(uint32_t off, unsigned iopl)
{
    return v86_run_ds(off, iopl, V86_DATA_SEG);
}

static const char *const iopl_name[4] = { "iopl0", "iopl1", "iopl2", "iopl3" };

/* ---- tests ------------------------------------------------------------------ */

static void test_int_frame(void)
{
    const struct tern_fault *f = &tern_last_fault;

    test_group("int-frame");
    *(volatile uint16_t *)V86_LIN(V86_DATA_SEG, 0x10) = 0xbeef;
    *(volatile uint16_t *)V86_LIN(V86_DATA_SEG, 0x12) = 0x5a5a;
    *(volatile uint16_t *)V86_LIN(V86_EXTRA_SEG, 0x20) = 0;
    v86_resume = 1;                     /* IRET back after the first INT */
    CHECK_EQ(v86_run(OFF(seg), 3), V86_DONE);
    CHECK_EQ(v86_resume, 0);
    /* the first INT's effects: DS, ES, CS and SS at selector << 4 */
    CHECK_EQ(*(volatile uint16_t *)V86_LIN(V86_EXTRA_SEG, 0x20), 0xbeef);
    CHECK_EQ(f->rax, 0xdeadbeef);                   /* upper half kept */
    CHECK_EQ(f->rbx & 0xffff, V86_CODE_SEG);
    CHECK_EQ(*(volatile uint16_t *)V86_LIN(V86_STACK_SEG, V86_SP - 2), 0x1234);
    /* after the IRET back: DS from the frame, the stack as it was */
    CHECK_EQ(f->rcx & 0xffff, 0x5a5a);
    CHECK_EQ(f->rdx & 0xffff, V86_DATA_SEG);
    CHECK_EQ(f->rsi & 0xffff, 0x1234);
    /* the second INT's frame: EIP after it, VM and IOPL in EFLAGS, all
     * segment registers */
    CHECK_EQ(f->rip, OFF(seg2_end));
    CHECK_EQ(f->cs, V86_CODE_SEG);
    CHECK_EQ(f->rflags & (FL_VM | FL_IOPL(3) | FL_IF | FL_RF), FL_VM | FL_IOPL(3) | FL_IF);
    CHECK_EQ(f->rsp, V86_SP);
    CHECK_EQ(f->ss, V86_STACK_SEG);
    CHECK_EQ(f->es, V86_EXTRA_SEG);
    CHECK_EQ(f->ds, V86_DATA_SEG);
    CHECK_EQ(f->fs, 0x1111);
    CHECK_EQ(f->gs, 0x2222);
    CHECK_EQ(f->error_code, 0);
    /* the handler: ring 0 on SS0:ESP0 (nine dwords pushed), data segments
     * null, VM, IF (interrupt gate), TF, NT and RF clear, IOPL kept */
    CHECK_EQ(v86_h_ds, 0);
    CHECK_EQ(v86_h_es, 0);
    CHECK_EQ(v86_h_fs, 0);
    CHECK_EQ(v86_h_gs, 0);
    CHECK_EQ(v86_h_cs, TERN_SEL_KCODE);
    CHECK_EQ(v86_h_ss, TERN_SEL_KDATA);
    CHECK_EQ(v86_h_esp, tern_tss->esp0 - 36);
    CHECK_EQ(v86_h_eflags & (FL_VM | FL_IF | FL_TF | FL_NT | FL_RF), 0);
    CHECK_EQ(v86_h_eflags & FL_IOPL(3), FL_IOPL(3));
}

/* CLI, STI, PUSHF, POPF, INT n and IRET: #GP(0) at the instruction with
 * IOPL < 3; with IOPL 3 they run (then INT3 traps, or INT n arrives). */
static void test_sensitive(void)
{
    const struct {
        const char *name;
        uint32_t entry, at;     /* where to start, the sensitive instruction */
        int vector3;            /* what IOPL 3 reaches */
    } rows[] = {
        { "sensitive/cli", OFF(cli), OFF(cli), 3 },
        { "sensitive/sti", OFF(sti), OFF(sti), 3 },
        { "sensitive/pushf", OFF(pushf), OFF(pushf_at), 3 },
        { "sensitive/popf", OFF(popf), OFF(popf_at), 3 },
        { "sensitive/int", OFF(int), OFF(int), V86_DONE },
        { "sensitive/iret", OFF(iret), OFF(iret_at), 3 },
    };
    const struct tern_fault *f = &tern_last_fault;

    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        test_group(rows[i].name);
        for (unsigned iopl = 0; iopl < 4; iopl++) {
            int v = v86_run(rows[i].entry, iopl);

            if (iopl < 3) {
                CHECK_EQ_NAMED(iopl_name[iopl], v, 13);
                CHECK_EQ_NAMED(iopl_name[iopl], f->error_code, 0);
                CHECK_EQ_NAMED(iopl_name[iopl], f->rip, rows[i].at);
                CHECK_EQ_NAMED(iopl_name[iopl], f->rflags & (FL_VM | FL_IOPL(3)),
                               FL_VM | FL_IOPL(iopl));
            } else {
                CHECK_EQ_NAMED(iopl_name[iopl], v, rows[i].vector3);
            }
        }
    }
    test_group("sensitive-iopl3");
    /* IRET returned to v86 at its target, IF from the image, IOPL kept */
    CHECK_EQ(v86_run(OFF(iret), 3), 3);
    CHECK_EQ(f->rip, OFF(iret_ret) + 1);
    CHECK_EQ(f->cs, V86_CODE_SEG);
    CHECK_EQ(f->rflags & (FL_VM | FL_IF | FL_IOPL(3)), FL_VM | FL_IOPL(3));
    /* PUSHFD: VM and RF read as 0 */
    CHECK_EQ(v86_run(OFF(pushf), 3), 3);
    CHECK_EQ(f->rax & (FL_VM | FL_RF | FL_IOPL(3) | FL_IF), FL_IOPL(3) | FL_IF);
    /* POPFD cannot change IOPL or VM; IF and DF it can */
    CHECK_EQ(v86_run(OFF(flags), 3), 3);
    CHECK_EQ(f->rax & (FL_VM | FL_IOPL(3) | FL_IF | FL_DF), FL_IOPL(3) | FL_IF | FL_DF);
    CHECK_EQ(f->rflags & (FL_VM | FL_IOPL(3)), FL_VM | FL_IOPL(3));
    CHECK_EQ(v86_run(OFF(popf_iopl), 3), 3);
    CHECK_EQ(f->rax & (FL_IOPL(3) | FL_IF), FL_IOPL(3));
    /* INT3 is not IOPL-sensitive: a trap with EIP after it */
    CHECK_EQ(v86_run(OFF(int3), 0), 3);
    CHECK_EQ(f->rip, OFF(int3) + 1);
    CHECK_EQ(f->rflags & FL_VM, FL_VM);
}

/* IN/OUT/INS/OUTS in v86 mode: the TSS I/O bitmap decides, whatever IOPL. */
static void test_io(void)
{
    const struct { const char *name; uint32_t entry, at; int wide; } rows[] = {
        { "io/outb", OFF(out80), OFF(out80), 0 },
        { "io/inw", OFF(inw80), OFF(inw80), 1 },
        { "io/outsb", OFF(outsb), OFF(outsb_at), 0 },
        { "io/insb", OFF(insb), OFF(insb_at), 0 },
    };
    const struct tern_fault *f = &tern_last_fault;

    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        test_group(rows[i].name);
        for (unsigned iopl = 0; iopl < 4; iopl += 3) {
            const char *n = iopl_name[iopl];

            tern_io_allow(0x80, 0);
            tern_io_allow(0x81, 0);
            CHECK_EQ_NAMED(n, v86_run(rows[i].entry, iopl), 13);
            CHECK_EQ_NAMED(n, f->rip, rows[i].at);
            CHECK_EQ_NAMED(n, f->error_code, 0);
            tern_io_allow(0x80, 1);         /* a word at 0x80 needs 0x81 too */
            CHECK_EQ_NAMED(n, v86_run(rows[i].entry, iopl), rows[i].wide ? 13 : 3);
            tern_io_allow(0x81, 1);
            CHECK_EQ_NAMED(n, v86_run(rows[i].entry, iopl), 3);
        }
    }
    tern_io_allow(0x80, 0);
    tern_io_allow(0x81, 0);
}

/* Faults from v86 mode, and gates it may not use. */
static void test_faults(void)
{
    const struct tern_fault *f = &tern_last_fault;

    test_group("faults");
    /* a privileged instruction: #GP(0) at it, the whole v86 frame */
    CHECK_EQ(v86_run(OFF(cr0), 3), 13);
    CHECK_EQ(f->error_code, 0);
    CHECK_EQ(f->rip, OFF(cr0));
    CHECK_EQ(f->cs, V86_CODE_SEG);
    CHECK_EQ(f->rflags & FL_VM, FL_VM);
    CHECK_EQ(f->rsp, V86_SP);
    CHECK_EQ(f->ss, V86_STACK_SEG);
    CHECK_EQ(f->ds, V86_DATA_SEG);
    CHECK_EQ(f->es, V86_EXTRA_SEG);
    CHECK_EQ(f->fs, 0x1111);
    CHECK_EQ(f->gs, 0x2222);
    /* INT n through a DPL 0 gate: #GP(vector * 8 + 2) at the INT */
    CHECK_EQ(v86_run(OFF(int41), 3), 13);
    CHECK_EQ(f->error_code, VEC_INT0 * 8 + 2);
    CHECK_EQ(f->rip, OFF(int41));
    /* a gate to a code segment not at DPL 0: #GP(selector) */
    CHECK_EQ(v86_run(OFF(int42), 3), 13);
    CHECK_EQ(f->error_code, TERN_SEL_UCODE & 0xfffc);
    CHECK_EQ(f->rip, OFF(int42));
}

/* VERR, VERW, LAR and LSL are #UD in virtual-8086 mode, whatever IOPL. */
static void test_ud(void)
{
    const struct { const char *name; uint32_t at; } rows[] = {
        { "ud/verr", OFF(verr) }, { "ud/verw", OFF(verw) },
        { "ud/lar", OFF(lar) }, { "ud/lsl", OFF(lsl) },
    };
    const struct tern_fault *f = &tern_last_fault;

    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        test_group(rows[i].name);
        for (unsigned iopl = 0; iopl < 4; iopl += 3) {
            CHECK_EQ_NAMED(iopl_name[iopl], v86_run(rows[i].at, iopl), 6);
            CHECK_EQ_NAMED(iopl_name[iopl], f->rip, rows[i].at);
        }
    }
}

/* Paging applies with user rights: 4 MiB identity-mapped with 4 KiB pages,
 * all user-writable but 0x60000 (not present) and 0x61000 (supervisor). */
static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[1024] __attribute__((aligned(4096)));
extern char __bss_end[];

static void test_paging(void)
{
    const struct tern_fault *f = &tern_last_fault;
    uint32_t cr0, cr2;

    test_group("paging");
    if ((uintptr_t)__bss_end > 0x400000) {
        CHECK_NAMED("program below 4 MiB", 0);
        return;
    }
    for (uint32_t i = 0; i < 1024; i++) {
        pt[i] = i << 12 | 7;
    }
    pt[0x60] = 0;
    pt[0x61] = 0x61000 | 3;
    pd[0] = (uint32_t)(uintptr_t)pt | 7;
    __asm__ volatile("mov %1, %%cr3\n\tmov %%cr0, %0\n\tor $0x80000000, %0\n\tmov %0, %%cr0"
                     : "=&r"(cr0) : "r"(pd) : "memory");

    CHECK_EQ(v86_run_ds(OFF(pf_read), 3, 0x6000), 14);
    cr2 = read_cr(2);
    CHECK_EQ(f->error_code, 4);                 /* user, read, not present */
    CHECK_EQ(cr2, 0x60004);
    CHECK_EQ(f->rip, OFF(pf_read));
    CHECK_EQ(f->rflags & FL_VM, FL_VM);
    CHECK_EQ(f->ds, 0x6000);
    CHECK_EQ(f->rsp, V86_SP);
    CHECK_EQ(v86_run_ds(OFF(pf_write), 3, 0x6000), 14);
    cr2 = read_cr(2);
    CHECK_EQ(f->error_code, 7);                 /* user, write, protection */
    CHECK_EQ(cr2, 0x61008);
    CHECK_EQ(f->rip, OFF(pf_write));
    /* the code and stack pages are user pages: INT3 arrives */
    CHECK_EQ(v86_run(OFF(int3), 3), 3);

    __asm__ volatile("mov %%cr0, %0\n\tand $0x7fffffff, %0\n\tmov %0, %%cr0"
                     : "=&r"(cr0) : : "memory");
}

static void cr4_set(uint32_t bits, int on)
{
    unsigned long cr4 = read_cr(4);

    write_cr(4, on ? cr4 | bits : cr4 & ~bits);
}

/* CR4.VME with IOPL 0: CLI, STI, 16-bit PUSHF/POPF/IRET on VIF (IF as it
 * was), VIP and TF #GP(0), the 32-bit forms #GP(0); without VME all #GP(0). */
static void test_vme_flags(void)
{
    const struct {
        const char *name;
        uint32_t entry, at;     /* start, the sensitive instruction */
        uint32_t fl;            /* EFLAGS besides VM (IOPL 0) */
        int vector;             /* with VME: 3 (ran), 13 (#GP(0) at at) */
        uint32_t want;          /* with VME, ran: IF and VIF after */
    } rows[] = {
        { "vme/cli", OFF(cli), OFF(cli), FL_IF | FL_VIF, 3, FL_IF },
        { "vme/sti", OFF(sti), OFF(sti), 0, 3, FL_VIF },
        { "vme/sti-vip", OFF(sti), OFF(sti), FL_VIP, 13, 0 },
        { "vme/popf", OFF(popf), OFF(popf_at), FL_IF | FL_VIF, 3, FL_IF },
        { "vme/popf-vif", OFF(popf_vif), OFF(popf_vif_at), 0, 3, FL_VIF },
        { "vme/popf-vip", OFF(popf_vif), OFF(popf_vif_at), FL_VIP, 13, 0 },
        { "vme/popf-vip-if0", OFF(popf), OFF(popf_at), FL_VIP | FL_VIF, 3, 0 },
        { "vme/popf-tf", OFF(popf_tf), OFF(popf_tf_at), 0, 13, 0 },
        { "vme/popfd", OFF(popfd), OFF(popfd_at), 0, 13, 0 },
        { "vme/pushfd", OFF(pushf), OFF(pushf_at), 0, 13, 0 },
        { "vme/iret", OFF(iret), OFF(iret_at), FL_IF | FL_VIF, 3, FL_IF },
        { "vme/iretd", OFF(iretd), OFF(iretd), 0, 13, 0 },
    };
    const struct tern_fault *f = &tern_last_fault;

    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        test_group(rows[i].name);
        cr4_set(CR4_VME, 0);
        CHECK_EQ_NAMED("novme", v86_go(rows[i].entry, rows[i].fl, V86_DATA_SEG), 13);
        CHECK_EQ_NAMED("novme", f->rip, rows[i].at);
        cr4_set(CR4_VME, 1);
        CHECK_EQ_NAMED("vme", v86_go(rows[i].entry, rows[i].fl, V86_DATA_SEG),
                       rows[i].vector);
        if (rows[i].vector == 13) {
            CHECK_EQ_NAMED("at", f->rip, rows[i].at);
            CHECK_EQ_NAMED("error", f->error_code, 0);
        } else {
            CHECK_EQ_NAMED("flags", f->rflags & (FL_IF | FL_VIF | FL_IOPL(3) | FL_VM),
                           rows[i].want | FL_VM);
        }
    }
    /* 16-bit PUSHF: VIF as IF, IOPL 3 */
    test_group("vme/pushf");
    CHECK_EQ(v86_go(OFF(pushf16), FL_VIF, V86_DATA_SEG), 3);
    CHECK_EQ(f->rax & (FL_IF | FL_IOPL(3)), FL_IF | FL_IOPL(3));
    CHECK_EQ(v86_go(OFF(pushf16), FL_IF, V86_DATA_SEG), 3);
    CHECK_EQ(f->rax & (FL_IF | FL_IOPL(3)), FL_IOPL(3));
    cr4_set(CR4_VME, 0);
}

/* CR4.VME: INT n through the redirection bitmap (the 32 bytes below the
 * TSS's I/O map base): clear → the 8086 handler from the IVT at 0 on the
 * v86 stack; set → the protected-mode handler with IOPL 3, else #GP(0). */
static void test_vme_int(void)
{
    uint8_t *redir = (uint8_t *)tern_tss + tern_tss->iomap - 32;
    uintptr_t ivt_addr = 0;             /* the 8086 IVT, at linear 0 */
    uint8_t saved[32];
    uint32_t saved_ivt;
    const struct tern_fault *f = &tern_last_fault;

    test_group("vme-int");
    OPAQUE(ivt_addr);
    volatile uint32_t *ivt = (volatile uint32_t *)ivt_addr;
    /* here the TSS's I/O map follows its 104 bytes, so the bitmap overlays
     * the unused segment fields; its last 4 bytes are T and the map base */
    memcpy(saved, redir, sizeof(saved));
    memset(redir, 0, 28);
    redir[VEC_INT0 / 8] |= 1u << (VEC_INT0 % 8);
    __asm__ volatile("" : : : "memory");
    saved_ivt = ivt[VEC_INT];
    ivt[VEC_INT] = (uint32_t)V86_CODE_SEG << 16 | OFF(vme_isr);
    cr4_set(CR4_VME, 1);

    /* IOPL 0: FLAGS image with VIF as IF and IOPL 3; VIF cleared, IF kept */
    CHECK_EQ(v86_go(OFF(int), FL_IF | FL_VIF, V86_DATA_SEG), 3);
    CHECK_EQ(f->rip, OFF(vme_isr) + 4);
    CHECK_EQ(f->rcx & 0xffff, OFF(int) + 2);
    CHECK_EQ(f->rdx & 0xffff, V86_CODE_SEG);
    CHECK_EQ(f->rsi & (FL_IF | FL_IOPL(3)), FL_IF | FL_IOPL(3));
    CHECK_EQ(f->rflags & (FL_IF | FL_VIF | FL_VM), FL_IF | FL_VM);
    CHECK_EQ(f->rsp, V86_SP);
    /* IOPL 3: the real FLAGS; IF cleared */
    CHECK_EQ(v86_go(OFF(int), FL_IF | FL_VIF | FL_IOPL(3), V86_DATA_SEG), 3);
    CHECK_EQ(f->rsi & (FL_IF | FL_IOPL(3)), FL_IF | FL_IOPL(3));
    CHECK_EQ(f->rflags & (FL_IF | FL_VIF | FL_VM), FL_VIF | FL_VM);
    /* bit set: #GP(0) with IOPL < 3, the IDT's gate with IOPL 3 */
    CHECK_EQ(v86_go(OFF(int41), FL_IF, V86_DATA_SEG), 13);
    CHECK_EQ(f->error_code, 0);
    CHECK_EQ(f->rip, OFF(int41));
    CHECK_EQ(v86_go(OFF(int41), FL_IF | FL_IOPL(3), V86_DATA_SEG), 13);
    CHECK_EQ(f->error_code, VEC_INT0 * 8 + 2);
    redir[VEC_INT / 8] |= 1u << (VEC_INT % 8);
    CHECK_EQ(v86_run(OFF(int), 3), V86_DONE);
    CHECK_EQ(v86_run(OFF(int), 0), 13);
    CHECK_EQ(f->error_code, 0);
    /* INT3 is never redirected */
    redir[0] = 0;
    CHECK_EQ(v86_run(OFF(int3), 0), 3);
    CHECK_EQ(f->rip, OFF(int3) + 1);

    cr4_set(CR4_VME, 0);
    ivt[VEC_INT] = saved_ivt;
    memcpy(redir, saved, sizeof(saved));
}

/* CR4.PVI: CLI and STI at CPL 3 with IOPL 0 change VIF; STI with VIP and
 * both without PVI are #GP(0). */
FAULT_FN(pvi_cli, "cli");
FAULT_FN(pvi_sti, "sti");

static void test_pvi(void)
{
    const struct tern_fault *f = &tern_last_fault;

    test_group("pvi");
    CHECK_EQ(tern_run_user(pvi_cli, FL_IF | FL_VIF), 13);
    cr4_set(CR4_PVI, 1);
    CHECK_EQ(tern_run_user(pvi_cli, FL_IF | FL_VIF), -1);
    CHECK_EQ(f->rflags & (FL_IF | FL_VIF), FL_IF);
    CHECK_EQ(tern_run_user(pvi_sti, 0), -1);
    CHECK_EQ(f->rflags & (FL_IF | FL_VIF), FL_VIF);
    CHECK_EQ(tern_run_user(pvi_sti, FL_VIP), 13);
    CHECK_EQ(f->error_code, 0);
    cr4_set(CR4_PVI, 0);
    CHECK_EQ(tern_run_user(pvi_sti, 0), 13);
}

int main(void)
{
    uint32_t a = 1, b, c, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    tern_sys_install();
    memcpy((void *)(uintptr_t)(V86_CODE_SEG << 4), v86_blob,
           (size_t)(v86_blob_end - v86_blob));
    v86_gates_install();
    test_int_frame();
    test_sensitive();
    test_io();
    test_faults();
    test_ud();
    test_paging();
    CHECK_NAMED("cpuid vme", d & 2);
    test_vme_flags();
    test_vme_int();
    test_pvi();
    test_done();
}
