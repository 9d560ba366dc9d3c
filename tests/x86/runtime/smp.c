/*
 * smp.c: application processors for guest tests (guest only; natively
 * smp_start_aps skips the test, exit 77).
 *
 * The CPUs are the enabled Processor Local APIC entries of the ACPI MADT
 * (docs/pc.md, "Firmware tables"): CPU index 0 is the BSP, the others
 * follow in MADT order.  smp_start_aps() copies a real-mode trampoline to
 * TERN_SMP_TRAMPOLINE (page-aligned, below 1 MiB) and starts the APs one
 * at a time with the MP start-up sequence through the xAPIC ICR: INIT,
 * 10 ms, SIPI, 200 us, SIPI (a second SIPI is ignored by a CPU that has
 * already left wait-for-SIPI), then waits for the AP to report alive.
 * The trampoline goes real mode -> protected mode (its own GDT) -> long
 * mode with the BSP's CR0/CR3/CR4/EFER, loads the BSP's GDTR and IDTR
 * (set up tables and tern_irq_set handlers before the start), takes the
 * stack and CPU index of its parameter block, and calls smp_ap_main():
 * software-enable the local APIC, record the APIC ID, count the entry,
 * report alive, run fn(cpu), then wait for work from smp_call().
 *
 * Invariants: the BSP changes the parameter block only while no AP is
 * between SIPI and alive; one smp_call() at a time per AP (a mailbox of
 * a function and two sequence numbers, x86 stores are ordered).  APs must
 * not print or use the check API or tern_catch_fault (one global state):
 * they record, and the BSP checks.
 */
#include "tern.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The parameter block, at the end of the trampoline page. */
#define SMP_PARAMS      (TERN_SMP_TRAMPOLINE + 0xf00)
#define P_CR0           (SMP_PARAMS + 0)
#define P_CR3           (SMP_PARAMS + 8)
#define P_CR4           (SMP_PARAMS + 16)
#define P_EFER          (SMP_PARAMS + 24)
#define P_STACK         (SMP_PARAMS + 32)
#define P_CPU           (SMP_PARAMS + 40)
#define P_GDTR          (SMP_PARAMS + 48)   /* limit (2 bytes), base (8) */
#define P_IDTR          (SMP_PARAMS + 64)
#define SMP_STACK_SIZE  8192
#define EFER_SCE        1u

struct smp_params {
    uint64_t cr0, cr3, cr4, efer, stack, cpu;
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr;
    uint8_t pad0[6];
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
};
_Static_assert(offsetof(struct smp_params, cpu) == P_CPU - SMP_PARAMS &&
               offsetof(struct smp_params, gdtr) == P_GDTR - SMP_PARAMS &&
               offsetof(struct smp_params, idtr) == P_IDTR - SMP_PARAMS,
               "the trampoline's parameter offsets");

/*
 * The trampoline, copied to TERN_SMP_TRAMPOLINE and entered by SIPI with
 * CS = TERN_SMP_TRAMPOLINE >> 4, IP = 0.  Its GDT: 0x08 code32, 0x10 data,
 * 0x18 code64.  CR4.PCIDE can only be set in long mode: it comes last.
 */
#define T(label) "(" STR(TERN_SMP_TRAMPOLINE) " + " label " - smp_tramp_start)"
__asm__(
    "    .text\n"
    "    .globl smp_tramp_start, smp_tramp_end\n"
    "    .code16\n"
    "smp_tramp_start:\n"
    "    cli\n"
    "    cld\n"
    "    mov %cs, %ax\n"
    "    mov %ax, %ds\n"
    "    lgdtl smp_tramp_gdtr - smp_tramp_start\n"
    "    mov %cr0, %eax\n"
    "    or $1, %eax\n"
    "    mov %eax, %cr0\n"
    "    ljmpl $0x08, $" T("smp_tramp_pm") "\n"
    "    .code32\n"
    "smp_tramp_pm:\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %ss\n"
    "    mov 0+" STR(P_CR4) ", %eax\n"
    "    and $~0x20000, %eax\n"              /* CR4.PCIDE */
    "    mov %eax, %cr4\n"
    "    mov 0+" STR(P_CR3) ", %eax\n"
    "    mov %eax, %cr3\n"
    "    mov $0xc0000080, %ecx\n"            /* EFER */
    "    mov 0+" STR(P_EFER) ", %eax\n"
    "    xor %edx, %edx\n"
    "    wrmsr\n"
    "    mov 0+" STR(P_CR0) ", %eax\n"
    "    mov %eax, %cr0\n"                  /* paging on: long mode active */
    "    ljmp $0x18, $" T("smp_tramp_lm") "\n"
    "    .code64\n"
    "smp_tramp_lm:\n"
    "    mov 0+" STR(P_CR4) ", %rax\n"
    "    mov %rax, %cr4\n"
    "    lgdt 0+" STR(P_GDTR) "\n"
    "    lidt 0+" STR(P_IDTR) "\n"
    "    mov $" STR(TERN_SEL_KDATA) ", %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %ss\n"
    "    mov %ax, %fs\n"
    "    mov %ax, %gs\n"
    "    mov 0+" STR(P_STACK) ", %rsp\n"
    "    mov 0+" STR(P_CPU) ", %rdi\n"
    "    pushq $" STR(TERN_SEL_KCODE) "\n"   /* CS from the BSP's GDT */
    "    movabs $smp_ap_main, %rax\n"
    "    push %rax\n"
    "    lretq\n"
    "    .align 8\n"
    "smp_tramp_gdt:\n"
    "    .quad 0\n"
    "    .quad 0x00cf9a000000ffff\n"        /* 0x08: code32 */
    "    .quad 0x00cf92000000ffff\n"        /* 0x10: data */
    "    .quad 0x00af9a000000ffff\n"        /* 0x18: code64 */
    "smp_tramp_gdtr:\n"
    "    .word 31\n"
    "    .long " T("smp_tramp_gdt") "\n"
    "smp_tramp_end:\n");
extern const char smp_tramp_start[], smp_tramp_end[];

/* One AP's state; [0] is the BSP. */
struct smp_cpu {
    uint32_t apic_id;               /* the MADT's */
    volatile uint32_t apic_id_seen; /* what the CPU read from its APIC */
    volatile uint32_t alive;
    volatile uint32_t starts;       /* trampoline entries */
    void (*volatile fn)(unsigned cpu);
    volatile uint64_t req, done;    /* smp_call mailbox */
};

static struct smp_cpu smp_cpus[TERN_SMP_MAX_CPUS];
static unsigned smp_ncpus;          /* in the MADT */
static void (*smp_start_fn)(unsigned cpu);
static uint8_t smp_stacks[TERN_SMP_MAX_CPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));

uint32_t lapic_read(unsigned reg)
{
    return *(volatile uint32_t *)(uintptr_t)(TERN_LAPIC_BASE + reg);
}

void lapic_write(unsigned reg, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(TERN_LAPIC_BASE + reg) = v;
}

void lapic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
    uint64_t end = tern_rdtsc() + 100000 * TERN_TSC_PER_US;

    lapic_write(LAPIC_ICR_HI, dest << 24);
    lapic_write(LAPIC_ICR_LO, icr_lo);
    while ((lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_BUSY) && tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
}

void tern_delay_us(uint64_t us)
{
    uint64_t end = tern_rdtsc() + us * TERN_TSC_PER_US;

    while (tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
}

/* The MADT through RSDP (scanned for in 0xE0000-0xFFFFF) and XSDT. */
static const uint8_t *smp_find_madt(void)
{
    const uint8_t *rsdp = NULL, *xsdt;
    uint32_t n;

    for (uintptr_t a = 0xe0000; a < 0x100000 && !rsdp; a += 16) {
        if (!memcmp((const void *)a, "RSD PTR ", 8)) {
            rsdp = (const uint8_t *)a;
        }
    }
    if (!rsdp || rsdp[15] < 2) {
        return NULL;
    }
    xsdt = (const uint8_t *)(uintptr_t)*(const uint64_t *)(rsdp + 24);
    n = (*(const uint32_t *)(xsdt + 4) - 36) / 8;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *t;

        memcpy(&t, xsdt + 36 + 8 * i, 8);
        if (!memcmp(t, "APIC", 4)) {
            return t;
        }
    }
    return NULL;
}

/* smp_cpus[].apic_id from the MADT's enabled Processor Local APIC entries
 * (type 0), the BSP first; the number of CPUs. */
static unsigned smp_read_madt(void)
{
    const uint8_t *madt = smp_find_madt();
    uint32_t bsp = lapic_read(LAPIC_ID) >> 24, len;
    unsigned n = 1;

    smp_cpus[0].apic_id = bsp;
    if (!madt) {
        return 1;
    }
    len = *(const uint32_t *)(madt + 4);
    for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
        if (madt[off] == 0 && (madt[off + 4] & 1) && madt[off + 3] != bsp &&
            n < TERN_SMP_MAX_CPUS) {
            smp_cpus[n++].apic_id = madt[off + 3];
        }
    }
    return n;
}

unsigned smp_cpu_count(void)
{
    return smp_ncpus ? smp_ncpus : smp_read_madt();
}

uint32_t smp_apic_id(unsigned cpu)
{
    return cpu < TERN_SMP_MAX_CPUS ? smp_cpus[cpu].apic_id : 0xffffffffu;
}

uint32_t smp_apic_id_seen(unsigned cpu)
{
    return cpu < TERN_SMP_MAX_CPUS ? smp_cpus[cpu].apic_id_seen : 0xffffffffu;
}

unsigned smp_starts(unsigned cpu)
{
    return cpu < TERN_SMP_MAX_CPUS ? smp_cpus[cpu].starts : 0;
}

unsigned smp_this_cpu(void)
{
    uint32_t id = lapic_read(LAPIC_ID) >> 24;

    for (unsigned i = 0; i < smp_ncpus; i++) {
        if (smp_cpus[i].apic_id == id) {
            return i;
        }
    }
    return 0;
}

static void smp_lapic_enable(void)
{
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, 0x1ff);      /* software enable, spurious vector 0xff */
}

_Noreturn void smp_ap_main(unsigned cpu);
_Noreturn void smp_ap_main(unsigned cpu)
{
    struct smp_cpu *c = &smp_cpus[cpu];

    smp_lapic_enable();
    c->apic_id_seen = lapic_read(LAPIC_ID) >> 24;
    __atomic_fetch_add(&c->starts, 1, __ATOMIC_SEQ_CST);
    c->alive = 1;
    if (smp_start_fn) {
        smp_start_fn(cpu);
    }
    for (;;) {
        uint64_t req = c->req;

        if (req == c->done) {
            __asm__ volatile("pause" ::: "memory");
            continue;
        }
        c->fn(cpu);
        __atomic_store_n(&c->done, req, __ATOMIC_RELEASE);
    }
}

/* Start AP cpu; 1 if it reported alive. */
static int smp_start_one(unsigned cpu, struct smp_params *p)
{
    uint32_t dest = smp_cpus[cpu].apic_id;
    uint64_t end;

    p->stack = (uint64_t)(uintptr_t)(smp_stacks[cpu] + SMP_STACK_SIZE);
    p->cpu = cpu;
    lapic_send_ipi(dest, LAPIC_DM_INIT | LAPIC_LEVEL_ASSERT);
    tern_delay_us(10000);
    lapic_send_ipi(dest, LAPIC_DM_STARTUP | (TERN_SMP_TRAMPOLINE >> 12));
    tern_delay_us(200);
    lapic_send_ipi(dest, LAPIC_DM_STARTUP | (TERN_SMP_TRAMPOLINE >> 12));
    end = tern_rdtsc() + 5000000 * TERN_TSC_PER_US;     /* generous: sanitizer builds */
    while (!smp_cpus[cpu].alive && tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
    return smp_cpus[cpu].alive;
}

unsigned smp_start_aps(void (*fn)(unsigned cpu))
{
    struct smp_params *p = (struct smp_params *)(uintptr_t)SMP_PARAMS;
    unsigned up = 1;

    if (!TERN_HAVE_RING0) {
        test_skip("starting APs needs ring 0 and the local APIC");
    }
    _Static_assert(TERN_SMP_TRAMPOLINE % 4096 == 0 && TERN_SMP_TRAMPOLINE < 0x100000,
                   "a SIPI vector names a page below 1 MiB");
    if ((size_t)(smp_tramp_end - smp_tramp_start) > SMP_PARAMS - TERN_SMP_TRAMPOLINE) {
        tern_printf("FAIL smp: the trampoline overlaps its parameters\n");
        tern_exit(1);
    }
    smp_ncpus = smp_read_madt();
    smp_start_fn = fn;
    smp_lapic_enable();
    smp_cpus[0].apic_id_seen = smp_cpus[0].apic_id;
    smp_cpus[0].alive = 1;
    memcpy((void *)(uintptr_t)TERN_SMP_TRAMPOLINE, smp_tramp_start,
           (size_t)(smp_tramp_end - smp_tramp_start));
    p->cr0 = read_cr(0);
    p->cr3 = read_cr(3);
    p->cr4 = read_cr(4);
    p->efer = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_NXE);
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(p->gdtr), "=m"(p->idtr));
    for (unsigned cpu = 1; cpu < smp_ncpus; cpu++) {
        up += (unsigned)smp_start_one(cpu, p);
    }
    return up;
}

void smp_call(unsigned cpu, void (*fn)(unsigned cpu))
{
    struct smp_cpu *c = &smp_cpus[cpu];

    smp_wait(cpu);
    c->fn = fn;
    __atomic_store_n(&c->req, c->done + 1, __ATOMIC_RELEASE);
}

void smp_wait(unsigned cpu)
{
    struct smp_cpu *c = &smp_cpus[cpu];

    if (cpu == 0 || cpu >= smp_ncpus || !c->alive) {
        return;
    }
    while (__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) != c->req) {
        __asm__ volatile("pause" ::: "memory");
    }
}

void smp_run(void (*fn)(unsigned cpu))
{
    for (unsigned cpu = 1; cpu < smp_ncpus; cpu++) {
        if (smp_cpus[cpu].alive) {
            smp_call(cpu, fn);
        }
    }
    fn(0);
    for (unsigned cpu = 1; cpu < smp_ncpus; cpu++) {
        smp_wait(cpu);
    }
}
