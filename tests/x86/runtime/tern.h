/*
 * tern.h: the runtime of the self-checking guest programs under tests/x86/.
 *
 * A guest is a freestanding ELF64 program linked at 0x100000 (guest.ld) and
 * started by tern in long mode (docs/boot.md).  crt0.S clears .bss and calls
 *     int main(const struct tern_bootinfo *bi);
 * then exits with main's return value through the isa-debug-exit port.
 * A 32-bit guest (guest32-tests, runtime32/) is a Multiboot ELF32 image
 * entered in 32-bit protected mode with paging off; main gets NULL.  The
 * same API serves both; the parts that exist in one of them only say so.
 *
 * Output goes to the 16550 UART at 0x3f8.  Each check prints one line,
 *     PASS group/name
 *     FAIL group/name: file:line: expr (got 0x.., want 0x..)
 * and test_done() exits 0 when every check passed, 1 otherwise; tern then
 * exits with status (code << 1) | 1.
 *
 * The same sources also build as native Linux programs (runtime/native.c,
 * TERN_NATIVE defined, main renamed): that build runs the checks on the host
 * CPU and so proves the expected values.  Port I/O is not available there.
 */
#ifndef TERN_H
#define TERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The boot info block tern leaves at 0x7000 (docs/boot.md). */
struct tern_bootinfo {
    uint32_t magic;             /* TERN_BOOTINFO_MAGIC */
    uint32_t version;           /* 1 */
    uint64_t ram_size;          /* bytes */
    uint64_t cmdline;           /* address of the -append string, or 0 */
};
#define TERN_BOOTINFO_MAGIC 0x4e524554u   /* "TERN" */
/* Free low memory tern never writes (docs/boot.md): survives a reset, as
 * RAM is not cleared and the loader re-loads only the image's segments. */
#define TERN_RESET_SCRATCH  0x9000u

#define TERN_SERIAL_BASE    0x3f8
#define TERN_DEBUG_EXIT     0xf4

/* RFLAGS bits the tests look at. */
#define FL_CF   0x0001u
#define FL_PF   0x0004u
#define FL_AF   0x0010u
#define FL_ZF   0x0040u
#define FL_SF   0x0080u
#define FL_OF   0x0800u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* Architectural bits the system tests share (SDM vol.3 2.3, 2.5, 4.7). */
#define FL_TF   0x0100u
#define FL_IF   0x0200u
#define FL_DF   0x0400u
#define FL_IOPL(n) ((uint32_t)(n) << 12)
#define FL_NT   0x4000u
#define FL_RF   0x10000u
#define FL_VM   0x20000u
#define FL_VIF  0x80000u
#define FL_VIP  0x100000u
/* unsigned long: the control registers' width in either runtime */
#define CR0_MP  0x2ul
#define CR0_EM  0x4ul
#define CR0_TS  0x8ul
#define CR0_ET  0x10ul
#define CR0_NE  0x20ul
#define CR0_WP  0x10000ul
#define CR0_AM  0x40000ul
#define CR0_NW  0x20000000ul
#define CR0_CD  0x40000000ul
#define CR0_PG  0x80000000ul
#define CR4_VME 0x1ul
#define CR4_PVI 0x2ul
#define CR4_DE  0x8ul
#define CR4_PSE 0x10ul
#define CR4_PAE 0x20ul
#define CR4_PGE 0x80ul
#define CR4_OSFXSR 0x200ul
#define CR4_UMIP 0x800ul
#define CR4_LA57 0x1000ul
#define CR4_PCIDE 0x20000ul
#define CR4_OSXSAVE 0x40000ul
#define CR4_SMEP 0x100000ul
#define CR4_SMAP 0x200000ul
#define CR4_PKE 0x400000ul
/* #PF error code */
#define PF_P    0x1
#define PF_W    0x2
#define PF_U    0x4
#define PF_RSVD 0x8
#define PF_I    0x10
#define PF_PK   0x20
#define MSR_SYSENTER_CS  0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_EFER  0xc0000080u
#define MSR_STAR  0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_FMASK 0xc0000084u
#define EFER_LME  (1u << 8)
#define EFER_NXE  (1u << 11)

/* Does this build run with I/O privilege (under tern), or natively?  Ring
 * 0 (control registers, descriptor tables, page tables) likewise. */
#ifdef TERN_NATIVE
#define TERN_HAVE_PORT_IO 0
#define TERN_HAVE_RING0 0
#else
#define TERN_HAVE_PORT_IO 1
#define TERN_HAVE_RING0 1
#endif

/* CPUID leaf, subleaf: r = EAX, EBX, ECX, EDX (both builds). */
static inline void tern_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

/* ---- port I/O ---------------------------------------------------------- */
static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

/* PCI configuration space of bus 0 through ports 0xcf8/0xcfc (pci.c):
 * size 1, 2 or 4 bytes at reg of function devfn (slot << 3 | function). */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
uint32_t pci_cfg_read(unsigned devfn, unsigned reg, unsigned size);
void pci_cfg_write(unsigned devfn, unsigned reg, unsigned size, uint32_t v);
/* The devfn of the first function 0 on bus 0 with these ids, or -1. */
int pci_find(uint16_t vendor, uint16_t device);

/* ---- system registers ------------------------------------------------------ */
/* Guest only (ring 0: natively they raise SIGSEGV; native builds may compile
 * calls they never reach).  One width for both runtimes: unsigned long is
 * 64 bits in the 64-bit runtime, 32 in the 32-bit one.  n is a literal:
 * read_cr(4), write_dr(7, v).  A test that must fault on an exact
 * instruction uses FAULT_FN/FAULT_FN_AT instead. */
#define read_cr(n)                                                           \
    ({ unsigned long v_; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v_)); v_; })
#define write_cr(n, v)                                                       \
    __asm__ volatile("mov %0, %%cr" #n : : "r"((unsigned long)(v)) : "memory")
#define read_dr(n)                                                           \
    ({ unsigned long v_; __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v_)); v_; })
#define write_dr(n, v)                                                       \
    __asm__ volatile("mov %0, %%dr" #n : : "r"((unsigned long)(v)) : "memory")
/* A segment register's selector: read_seg(cs), read_seg(ss), ... */
#define read_seg(name)                                                       \
    ({ uint16_t s_; __asm__ volatile("mov %%" #name ", %0" : "=r"(s_)); s_; })
static inline uint16_t read_tr(void)
{
    uint16_t tr;

    __asm__ volatile("str %0" : "=r"(tr));
    return tr;
}
static inline unsigned long read_flags(void)
{
    unsigned long fl;

    __asm__ volatile("pushf\n\tpop %0" : "=r"(fl));
    return fl;
}
static inline uint64_t rdmsr(uint32_t idx)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
    return (uint64_t)hi << 32 | lo;
}
static inline void wrmsr(uint32_t idx, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                     : "memory");
}

/* Hide a value from the optimizer so a computation happens at run time. */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))

/* ---- output and exit ----------------------------------------------------- */
void tern_putchar(int c);
void tern_puts(const char *s);          /* no newline added */
int tern_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tern_vprintf(const char *fmt, va_list ap);
/* Exit through isa-debug-exit: tern exits with (code << 1) | 1. */
_Noreturn void tern_exit(int code);

/* ---- checks ---------------------------------------------------------------- */
/* Prefix for the names of the following checks ("group/name"); NULL: none. */
void test_group(const char *group);
void test_check(int ok, const char *name, const char *file, int line,
                const char *expr);
void test_check_eq(uint64_t got, uint64_t want, const char *name,
                   const char *file, int line, const char *expr);
int test_failures(void);
/* Exit 0 if every check passed (and there was one), 1 otherwise. */
_Noreturn void test_done(void);
/* This program cannot run here (native build of an I/O test): say why. */
_Noreturn void test_skip(const char *reason);

#define CHECK(cond) \
    test_check(!!(cond), #cond, __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b) \
    test_check_eq((uint64_t)(a), (uint64_t)(b), #a, __FILE__, __LINE__, #a " == " #b)
#define CHECK_NAMED(name, cond) \
    test_check(!!(cond), name, __FILE__, __LINE__, #cond)
#define CHECK_EQ_NAMED(name, a, b) \
    test_check_eq((uint64_t)(a), (uint64_t)(b), name, __FILE__, __LINE__, #a " == " #b)

/* ---- exceptions (runtime/idt.c; natively, runtime/native.c) ---------------- */
/* What the last caught exception was: vector, error code (0 if the vector
 * has none), the rip it reported (the faulting instruction for faults),
 * rCX/rSI/rDI (string instructions restart from them), rAX/rDX/rBX and the
 * interrupted rsp, rflags, cs and ss at that point.  The layout is used by
 * idt.c's assembly. */
struct tern_fault {
    int vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t rcx, rsi, rdi;
    uint64_t rax, rdx, rbx;
    uint64_t rsp, rflags, cs, ss;
    uint64_t ds, es, fs, gs;    /* 32-bit runtime only: at the event (from
                                   v86 mode: the frame's, as delivery nulls
                                   the registers) */
};
extern struct tern_fault tern_last_fault;
/* Load an IDT whose exception vectors 0-31 are caught (64-bit interrupt
 * gates).  Call once before tern_catch_fault.  Natively: signal handlers
 * (on an alternate stack) that report the CPU's vector, error code and
 * registers from the signal context, so that native builds can prove the
 * #UD, #DE, #GP, #SS and #AC a user program can take. */
void idt_install(void);
/* Guest only: an empty IDT makes ud2's #UD a #GP, then #DF, then a triple
 * fault (a system reset; an exit with -no-reboot).  Returns if it didn't. */
static inline void tern_triple_fault(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = { 0, 0 };

    __asm__ volatile("lidt %0\n\tud2" : : "m"(idtr) : "memory");
}
/* Run fn(); return the vector of the exception it raised (fn is abandoned,
 * tern_last_fault says more) or -1 if it returned normally. */
int tern_catch_fault(void (*fn)(void));
/* The catch frame (asm, idt.c and sys.c): callee-saved registers and a pad
 * that keeps the callee's stack aligned as the ABI wants; an exception
 * handler resumes at the frame tern_catch_rsp names. */
#ifdef __x86_64__
#define TERN_CATCH_FRAME_PUSH                                                 \
    "    push %rbx\n    push %rbp\n    push %r12\n    push %r13\n"            \
    "    push %r14\n    push %r15\n    sub $8, %rsp\n"                        \
    "    mov %rsp, tern_catch_rsp(%rip)\n"
#define TERN_CATCH_FRAME_POP                                                  \
    "    add $8, %rsp\n    pop %r15\n    pop %r14\n    pop %r13\n"           \
    "    pop %r12\n    pop %rbp\n    pop %rbx\n"
#else   /* the callee's stack is 16-byte aligned: 28 bytes + return address */
#define TERN_CATCH_FRAME_PUSH                                                 \
    "    push %ebx\n    push %ebp\n    push %esi\n    push %edi\n"            \
    "    sub $12, %esp\n    mov %esp, tern_catch_rsp\n"
#define TERN_CATCH_FRAME_POP                                                  \
    "    add $12, %esp\n    pop %edi\n    pop %esi\n    pop %ebp\n    pop %ebx\n"
#endif

/* ---- ring 3 (runtime/sys.c; natively, runtime/native.c) -------------------- */
/* Selectors of tern_sys_install's GDT: the boot's code and data, user data
 * and code (RPL 3), the TSS (64-bit: entries 5-6; 32-bit: entry 5, and 6
 * is free); entries 7-15 are free for tests.  Code segments are 64-bit in
 * the 64-bit runtime, 32-bit in the 32-bit one. */
#define TERN_SEL_KCODE 0x08
#define TERN_SEL_KDATA 0x10
#define TERN_SEL_UDATA 0x1b
#define TERN_SEL_UCODE 0x23
#define TERN_SEL_TSS   0x28
#define TERN_GDT_FREE  7
#define TERN_GDT_SIZE  16
extern uint64_t tern_gdt[TERN_GDT_SIZE];
/* Reload GDTR after editing tern_gdt (its limit covers all 16 entries;
 * runtime/desc.c). */
void tern_gdt_load(void);
/* A code or data segment or system descriptor: access byte (P, DPL, S,
 * type: 0x9b code32 DPL 0, 0x93 data, 0x89 TSS, ...), flags nibble (G,
 * D/B, L, AVL: 0xc for a 4 GiB page-granular 32-bit segment). */
static inline uint64_t tern_seg_desc(uint32_t base, uint32_t limit, unsigned access,
                                     unsigned flags)
{
    return (limit & 0xffffu) | (uint64_t)(base & 0xffffffu) << 16 |
           (uint64_t)(access & 0xff) << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
           (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}
/* A legacy (8-byte) gate: access 0x8e interrupt, 0x8f trap, 0x8c call,
 * 0x85 task gate (DPL in bits 5-6); params: a call gate's parameter
 * count.  64-bit gates are 16 bytes: the upper half is offset bits 63:32. */
static inline uint64_t tern_gate_desc(uint16_t sel, uint32_t offset, unsigned access,
                                      unsigned params)
{
    return (offset & 0xffffu) | (uint64_t)sel << 16 | (uint64_t)(params & 0x1f) << 32 |
           (uint64_t)(access & 0xff) << 40 | (uint64_t)(offset >> 16) << 48;
}
#ifndef __x86_64__
/* The 32-bit runtime's TSS (SDM vol.3 figure 8-2), tern_sys_install's. */
struct tern_tss32 {
    uint16_t link, rsvd0;
    uint32_t esp0;
    uint16_t ss0, rsvd1;
    uint32_t esp1;
    uint16_t ss1, rsvd2;
    uint32_t esp2;
    uint16_t ss2, rsvd3;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, rsvd4, cs, rsvd5, ss, rsvd6, ds, rsvd7, fs, rsvd8, gs, rsvd9;
    uint16_t ldt, rsvd10, trap, iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tern_tss32) == 104, "32-bit TSS layout");
extern struct tern_tss32 *const tern_tss;
/* Install a raw IDT entry (after idt_install; vectors 33-255 start empty). */
void tern_idt_set_gate(int vector, uint64_t descriptor);
/* The address of idt.c's recording stub for vector 0-32, to build gates
 * of another type or DPL that still end in tern_catch_fault's caller. */
uint32_t tern_idt_stub(int vector);
#endif
/* Guest: load a GDT with user segments and a 64-bit TSS (LTR), whose RSP0
 * stack takes exceptions from ring 3 and whose IST1 takes #DF, #SS and #GP
 * (so a fault with a broken rsp is caught), make the first 2 MiB (the
 * program, its data and stacks) user-accessible, and idt_install().
 * Natively: idt_install(). */
void tern_sys_install(void);
/* Run fn() at CPL 3 (guest: IRETQ with rflags, e.g. with FL_AC; natively
 * the process already runs at CPL 3 and only FL_AC of rflags is applied).
 * Returns -1 when fn returned, else the vector of the exception it raised
 * (caught at CPL 0, tern_last_fault says more). */
#define FL_AC 0x40000u
int tern_run_user(void (*fn)(void), uint64_t rflags);
/* Guest: allow (or deny again) CPL 3 access to port (< TERN_IOMAP_PORTS)
 * in the TSS I/O bitmap; all ports start denied.  Not in the native build. */
#define TERN_IOMAP_PORTS 0x400
void tern_io_allow(unsigned port, int allow);
/* The bitmap in sys.c's TSS that tern_io_allow (runtime/desc.c) edits. */
extern uint8_t *const tern_iomap;
/* Functions for fault tests, in asm so that the faulting instruction and
 * the registers around it are exactly known.  FAULT_FN: text, then ret.
 * FAULT_FN_AT: setup, then the global label name_at (the rip a fault at
 * insn reports), insn, cleanup, ret. */
#define FAULT_FN(name, text)                                                 \
    void name(void);                                                         \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" text "\n\tret\n")
#define FAULT_FN_AT(name, setup, insn, cleanup)                              \
    void name(void);                                                         \
    extern char name##_at[];                                                 \
    __asm__(".text\n.globl " #name "\n" #name ":\n\t" setup "\n"            \
            ".globl " #name "_at\n" #name "_at:\n\t" insn "\n\t" cleanup "\n\tret\n")

/* Checks NAME-vector (got: what tern_catch_fault or tern_run_user
 * returned), then tern_last_fault's NAME-code, NAME-rip (rip: the
 * instruction a fault reports) and, if cs is not 0, NAME-cs. */
void test_check_fault(const char *name, const struct tern_fault *f, int got, int vector,
                      uint64_t code, const void *rip, uint64_t cs, const char *file, int line);
#define CHECK_FAULT(name, got, vector, code, rip, cs) \
    test_check_fault(name, &tern_last_fault, got, vector, code, rip, cs, __FILE__, __LINE__)

/* RDMSR/WRMSR through tern_catch_fault (runtime/msr.c): the vector they
 * raise, -1 if none (*v: the value read).  tern_wrmsr_refused: the write
 * raises #GP(0) and the MSR keeps its value. */
int tern_rdmsr_catch(uint32_t idx, uint64_t *v);
int tern_wrmsr_catch(uint32_t idx, uint64_t v);
int tern_wrmsr_refused(uint32_t idx, uint64_t v);
/* The instructions themselves, for tern_run_user: RDMSR/WRMSR of
 * tern_msr_idx (WRMSR writes tern_msr_in). */
extern uint32_t tern_msr_idx;
extern uint64_t tern_msr_in;
void tern_rdmsr_fn(void);
void tern_wrmsr_fn(void);

/* Does fn raise exactly vector? */
static inline int expect_fault(int vector, void (*fn)(void))
{
    return tern_catch_fault(fn) == vector;
}

/* ---- time ------------------------------------------------------------------ */
#define TERN_TSC_PER_US 2000ull     /* tern's TSC: 2 GHz (docs/cpu.md) */
static inline uint64_t tern_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
/* Spin for about us microseconds of TSC time (runtime/smp.c). */
void tern_delay_us(uint64_t us);

/* ---- interrupts and SMP (runtime/irq.c, runtime/smp.c; guest only:
 * natively tern_irq_set and smp_start_aps skip the test, exit 77) ---------- */
/* Route vector (2: NMI, or 32-255) to handler(vector) on whichever CPU
 * takes it; the IDT becomes a 256-gate copy of the current one, shared by
 * every CPU, so set handlers before smp_start_aps.  Handlers send EOI. */
void tern_irq_set(int vector, void (*handler)(unsigned vector));

/* The local APIC in xAPIC mode (SDM vol.3 10.4-10.6). */
#define TERN_LAPIC_BASE     0xfee00000u
#define LAPIC_ID            0x20
#define LAPIC_TPR           0x80
#define LAPIC_EOI           0xb0
#define LAPIC_LDR           0xd0
#define LAPIC_DFR           0xe0
#define LAPIC_SVR           0xf0
#define LAPIC_ICR_LO        0x300
#define LAPIC_ICR_HI        0x310
#define LAPIC_DM_FIXED      0x000u      /* ICR delivery modes */
#define LAPIC_DM_LOWEST     0x100u
#define LAPIC_DM_NMI        0x400u
#define LAPIC_DM_INIT       0x500u
#define LAPIC_DM_STARTUP    0x600u
#define LAPIC_DEST_LOGICAL  0x800u
#define LAPIC_ICR_BUSY      0x1000u     /* delivery status: send pending */
#define LAPIC_LEVEL_ASSERT  0x4000u
#define LAPIC_SH_SELF       0x40000u    /* destination shorthands */
#define LAPIC_SH_ALL        0x80000u
#define LAPIC_SH_OTHERS     0xc0000u
uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t v);
/* Send an IPI: ICR high = dest << 24, then ICR low = icr_lo (vector,
 * delivery mode, ...); wait until the APIC has sent it. */
void lapic_send_ipi(uint32_t dest, uint32_t icr_lo);

/* CPUs: index 0 is the BSP, then the MADT's other enabled local APICs. */
#define TERN_SMP_MAX_CPUS   64
#define TERN_SMP_TRAMPOLINE 0x8000      /* the SIPI page (free low memory, docs/boot.md) */
/* Start every AP of the MADT (INIT, SIPI, SIPI, one at a time); each
 * takes the BSP's page tables, GDT and IDT, its own 8 KiB stack, runs
 * fn(cpu) (fn may be NULL) and then waits for smp_call.  Returns how many
 * CPUs are up, the BSP included.  APs must not print or check. */
unsigned smp_start_aps(void (*fn)(unsigned cpu));
unsigned smp_cpu_count(void);           /* CPUs in the MADT */
uint32_t smp_apic_id(unsigned cpu);     /* the MADT's APIC ID of cpu */
uint32_t smp_apic_id_seen(unsigned cpu);   /* the ID cpu read from its APIC */
unsigned smp_starts(unsigned cpu);      /* times AP cpu entered the trampoline */
unsigned smp_this_cpu(void);            /* the running CPU's index */
/* Run fn(cpu) on AP cpu without waiting (after its previous call ended);
 * smp_wait(cpu) waits for it.  smp_run: fn on every CPU at once, the BSP
 * too, returning when all are done. */
void smp_call(unsigned cpu, void (*fn)(unsigned cpu));
void smp_wait(unsigned cpu);
void smp_run(void (*fn)(unsigned cpu));

/* ---- freestanding libc bits (the guest runtime provides them) ------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
