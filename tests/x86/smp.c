// tern-args: -smp 4 -append cpus=4
/*
 * smp.c: a multiprocessor guest (runtime/smp.c starts the APs with INIT,
 * SIPI, SIPI).  Checks, BSP only (APs record what they see):
 *   start/   every MADT CPU comes up once, with the APIC ID the MADT
 *            gives it (its xAPIC ID register and CPUID.1:EBX[31:24]),
 *            all distinct, and as many as the "cpus=N" of -append says;
 *            every AP's TSC agrees with the BSP's;
 *   atomic/  every CPU at once, ITERS times: LOCK XADD, LOCK INC, LOCK
 *            ADD, a LOCK CMPXCHG retry loop, a CMPXCHG spinlock and an
 *            XCHG spinlock around a plain increment; each total must be
 *            exact (a lost update shows that two CPUs raced inside a
 *            read-modify-write).  An unlocked ADD is run too and its lost
 *            updates printed, not checked: they show the vCPUs really run
 *            in parallel;
 *   ipi/     each delivery mode reaches the right CPUs and only them:
 *            fixed (physical, logical flat), lowest priority (exactly one
 *            of the logical set), NMI, self, all-excluding-self,
 *            all-including-self, AP -> BSP; a SIPI to a running AP
 *            is ignored: it neither restarts it nor disturbs what it
 *            reads from its APIC meanwhile (tern's KVM engine once tore
 *            an APIC read when a SIPI came between its exit and re-entry);
 *   tlb/     shootdown: the BSP repoints a PTE, INVLPGs, IPIs the others,
 *            whose handler INVLPGs and must then read the new page.
 * tests/x86/smp2.c runs the same with -smp 2.  Guest only.
 */
#include "tern.h"

#define ITERS       2000000u
#define LOCK_ITERS  (ITERS / 4)         /* spinlocks: slower per iteration */
#define VEC_FIXED   0x40
#define VEC_LOGICAL 0x41
#define VEC_PAIR    0x42
#define VEC_LOWEST  0x43
#define VEC_SELF    0x44
#define VEC_OTHERS  0x45
#define VEC_ALL     0x46
#define VEC_TO_BSP  0x47
#define VEC_FLUSH   0x48
#define VEC_NMI     2
#define WAIT_MS     2000u               /* for an interrupt that must come */
#define SETTLE_US   2000u               /* for one that must not */

static unsigned ncpus;
static volatile uint32_t hits[TERN_SMP_MAX_CPUS][256];

/* ---- start-up ---------------------------------------------------------- */
static volatile uint32_t start_ran[TERN_SMP_MAX_CPUS];
static volatile uint32_t cpuid_id[TERN_SMP_MAX_CPUS];

static void ap_start(unsigned cpu)
{
    uint32_t r[4];

    tern_cpuid(1, 0, r);
    cpuid_id[cpu] = r[1] >> 24;
    start_ran[cpu]++;
}

/* TSC handshakes: the BSP reads its TSC, then lets the AP read its own;
 * the AP reads, then lets the BSP read.  One TSC for all (INIT does not
 * reset it, SDM vol.3 17.17): each later read must not be smaller. */
static volatile uint32_t tsc_turn;
static volatile uint64_t tsc_bsp, tsc_ap;

static void tsc_handshake_ap(unsigned cpu)
{
    while (tsc_turn != 1) {
        __asm__ volatile("pause");
    }
    tsc_ap = tern_rdtsc();              /* after the BSP's first read */
    tsc_turn = 2;
    (void)cpu;
}

static unsigned tsc_synced(unsigned cpu)
{
    uint64_t t0, t1;

    tsc_turn = 0;
    smp_call(cpu, tsc_handshake_ap);
    t0 = tern_rdtsc();
    tsc_turn = 1;
    while (tsc_turn != 2) {
        __asm__ volatile("pause");
    }
    t1 = tern_rdtsc();                  /* after the AP's read */
    smp_wait(cpu);
    if (tsc_ap < t0 || tsc_ap > t1) {
        tern_printf("  cpu %u: TSC %llu not within the BSP's %llu..%llu\n", cpu,
                    (unsigned long long)tsc_ap, (unsigned long long)t0, (unsigned long long)t1);
        return 0;
    }
    return 1;
}

/* "cpus=N" of the -append string, 0 without one. */
static unsigned want_cpus(const struct tern_bootinfo *bi)
{
    const char *s = bi && bi->cmdline ? (const char *)(uintptr_t)bi->cmdline : "";
    unsigned n = 0;

    while (*s && memcmp(s, "cpus=", 5)) {
        s++;
    }
    for (s += *s ? 5 : 0; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (unsigned)(*s - '0');
    }
    return n;
}

static void test_start(const struct tern_bootinfo *bi)
{
    unsigned up, ran = 0, once = 0, ids = 0, cpuids = 0, distinct = 1, synced = 0;
    uint32_t r[4];

    tern_cpuid(1, 0, r);
    cpuid_id[0] = r[1] >> 24;
    start_ran[0] = 1;
    ncpus = smp_cpu_count();
    up = smp_start_aps(ap_start);
    test_group("start");
    CHECK_EQ_NAMED("cpus", ncpus, want_cpus(bi));
    CHECK_EQ_NAMED("up", up, ncpus);
    for (unsigned i = 0; i < ncpus; i++) {
        tern_printf("  cpu %u: MADT APIC ID %u, APIC %u, CPUID %u, starts %u\n", i,
                    smp_apic_id(i), smp_apic_id_seen(i), cpuid_id[i], smp_starts(i));
        ran += start_ran[i] == 1;
        once += i == 0 || smp_starts(i) == 1;
        ids += smp_apic_id_seen(i) == smp_apic_id(i);
        cpuids += cpuid_id[i] == smp_apic_id(i);
        for (unsigned j = 0; j < i; j++) {
            distinct &= smp_apic_id_seen(i) != smp_apic_id_seen(j);
        }
    }
    CHECK_EQ_NAMED("start-fn", ran, ncpus);
    CHECK_EQ_NAMED("sipi-once", once, ncpus);
    CHECK_EQ_NAMED("apic-id", ids, ncpus);
    CHECK_EQ_NAMED("cpuid-apic-id", cpuids, ncpus);
    CHECK_NAMED("apic-ids-distinct", distinct);
    for (unsigned i = 1; i < ncpus && i < up; i++) {
        synced += tsc_synced(i);
    }
    CHECK_EQ_NAMED("tsc-synced", synced, ncpus - 1);
}

/* ---- atomics ------------------------------------------------------------- */
static volatile uint32_t arrived;

/* Wait for every CPU to reach the same point, so the loops overlap. */
static void barrier(void)
{
    uint32_t n = __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
    uint32_t want = (n + ncpus - 1) / ncpus * ncpus;
    uint64_t end = tern_rdtsc() + WAIT_MS * 1000 * TERN_TSC_PER_US;

    while (arrived < want && tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
}

static uint32_t counter32;
static uint64_t counter64;
static volatile uint32_t lock_word;
static volatile uint32_t guarded;

static void run_xadd(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < ITERS; i++) {
        uint32_t one = 1;

        __asm__ volatile("lock xaddl %0, %1" : "+r"(one), "+m"(counter32) : : "memory");
    }
    (void)cpu;
}

static void run_inc(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < ITERS; i++) {
        __asm__ volatile("lock incl %0" : "+m"(counter32) : : "memory");
    }
    (void)cpu;
}

static void run_add(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < ITERS; i++) {
        __asm__ volatile("lock addq $3, %0" : "+m"(counter64) : : "memory");
    }
    (void)cpu;
}

static void run_cas_loop(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < ITERS; i++) {
        uint64_t old = counter64, ok;

        do {
            uint64_t new_val = old + 1;

            __asm__ volatile("lock cmpxchgq %3, %1\n\tsete %b2"
                             : "+a"(old), "+m"(counter64), "=q"(ok) : "r"(new_val)
                             : "memory", "cc");
        } while (!(ok & 1));
    }
    (void)cpu;
}

/* Plain load, add, store under the lock: exact only with mutual exclusion. */
static void guarded_inc(void)
{
    uint32_t v = guarded;

    guarded = v + 1;
}

static void run_cmpxchg_lock(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < LOCK_ITERS; i++) {
        for (;;) {
            uint32_t expect = 0;

            __asm__ volatile("lock cmpxchgl %2, %1"
                             : "+a"(expect), "+m"(lock_word) : "r"(1u) : "memory", "cc");
            if (expect == 0) {
                break;
            }
            while (lock_word) {
                __asm__ volatile("pause");
            }
        }
        guarded_inc();
        __asm__ volatile("movl $0, %0" : "=m"(lock_word) : : "memory");   /* release */
    }
    (void)cpu;
}

static void run_xchg_lock(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < LOCK_ITERS; i++) {
        for (;;) {
            uint32_t v = 1;

            __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(lock_word) : : "memory");
            if (v == 0) {
                break;
            }
            while (lock_word) {
                __asm__ volatile("pause");
            }
        }
        guarded_inc();
        __asm__ volatile("movl $0, %0" : "=m"(lock_word) : : "memory");
    }
    (void)cpu;
}

static void run_unlocked(unsigned cpu)
{
    barrier();
    for (unsigned i = 0; i < ITERS; i++) {
        __asm__ volatile("addl $1, %0" : "+m"(counter32) : : "memory");
    }
    (void)cpu;
}

static void test_atomics(void)
{
    uint64_t n = ncpus;

    test_group("atomic");
    counter32 = 0;
    smp_run(run_xadd);
    CHECK_EQ_NAMED("lock-xadd", counter32, n * ITERS);
    counter32 = 0;
    smp_run(run_inc);
    CHECK_EQ_NAMED("lock-inc", counter32, n * ITERS);
    counter64 = 0;
    smp_run(run_add);
    CHECK_EQ_NAMED("lock-add", counter64, 3 * n * ITERS);
    counter64 = 0;
    smp_run(run_cas_loop);
    CHECK_EQ_NAMED("lock-cmpxchg-loop", counter64, n * ITERS);
    guarded = 0;
    smp_run(run_cmpxchg_lock);
    CHECK_EQ_NAMED("cmpxchg-spinlock", guarded, n * LOCK_ITERS);
    CHECK_EQ_NAMED("cmpxchg-spinlock-free", lock_word, 0);
    guarded = 0;
    smp_run(run_xchg_lock);
    CHECK_EQ_NAMED("xchg-spinlock", guarded, n * LOCK_ITERS);
    counter32 = 0;
    smp_run(run_unlocked);
    tern_printf("  unlocked add: %u of %llu updates lost (not checked)\n",
                (unsigned)(n * ITERS - counter32), (unsigned long long)(n * ITERS));
}

/* ---- IPIs ----------------------------------------------------------------- */
static volatile uint32_t stop_listening, listening;

static void irq_count(unsigned vector)
{
    hits[smp_this_cpu()][vector]++;
    if (vector != VEC_NMI) {
        lapic_write(LAPIC_EOI, 0);
    }
}

/* APs: take interrupts until stop_listening. */
static void listen(unsigned cpu)
{
    __atomic_add_fetch(&listening, 1, __ATOMIC_SEQ_CST);
    __asm__ volatile("sti" ::: "memory");
    while (!stop_listening) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli" ::: "memory");
    (void)cpu;
}

static void start_listening(void)
{
    uint64_t end = tern_rdtsc() + WAIT_MS * 1000 * TERN_TSC_PER_US;

    stop_listening = 0;
    listening = 0;
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        smp_call(cpu, listen);
    }
    while (listening < ncpus - 1 && tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
}

static void stop_all_listening(void)
{
    stop_listening = 1;
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        smp_wait(cpu);
    }
}

/* Wait (the BSP with interrupts on) until cpu took vector want times. */
static void wait_hits(unsigned cpu, unsigned vector, uint32_t want)
{
    uint64_t end = tern_rdtsc() + WAIT_MS * 1000 * TERN_TSC_PER_US;

    __asm__ volatile("sti" ::: "memory");
    while (hits[cpu][vector] < want && tern_rdtsc() < end) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli" ::: "memory");
}

/* How many CPUs took vector exactly as want(cpu) says, after a settle time
 * for stray deliveries. */
static unsigned hits_as(unsigned vector, uint32_t (*want)(unsigned cpu, unsigned arg),
                        unsigned arg)
{
    unsigned ok = 0;

    __asm__ volatile("sti" ::: "memory");
    tern_delay_us(SETTLE_US);
    __asm__ volatile("cli" ::: "memory");
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        uint32_t w = want(cpu, arg);

        if (hits[cpu][vector] != w) {
            tern_printf("  vector 0x%x: cpu %u took it %u times, want %u\n", vector, cpu,
                        hits[cpu][vector], w);
        }
        ok += hits[cpu][vector] == w;
    }
    return ok;
}

static uint32_t want_aps(unsigned cpu, unsigned arg) { (void)arg; return cpu != 0; }
static uint32_t want_all(unsigned cpu, unsigned arg) { (void)cpu; (void)arg; return 1; }
static uint32_t want_in_mask(unsigned cpu, unsigned mask)
{
    return cpu < 8 && (mask >> cpu & 1);
}
static uint32_t want_bsp(unsigned cpu, unsigned n) { return cpu == 0 ? n : 0; }

/* Flat logical mode: CPU i < 8 answers to logical bit i. */
static void set_logical_id(unsigned cpu)
{
    lapic_write(LAPIC_DFR, 0xffffffffu);
    lapic_write(LAPIC_LDR, cpu < 8 ? (1u << cpu) << 24 : 0);
}

static void self_ipi(unsigned cpu)
{
    lapic_send_ipi(0, LAPIC_SH_SELF | VEC_SELF);
    wait_hits(cpu, VEC_SELF, 1);
}

static void ipi_to_bsp(unsigned cpu)
{
    lapic_send_ipi(smp_apic_id(0), VEC_TO_BSP);
    (void)cpu;
}

/* SIPIs to a running AP (SDM 10.4.4: only a CPU in wait-for-SIPI takes
 * one): the AP reads its APIC ID in a loop while the BSP sends them. */
#define SIPI_ROUNDS 200u
static volatile uint32_t id_reads[TERN_SMP_MAX_CPUS], id_wrong[TERN_SMP_MAX_CPUS];

static void read_own_id(unsigned cpu)
{
    __atomic_add_fetch(&listening, 1, __ATOMIC_SEQ_CST);
    while (!stop_listening) {
        id_wrong[cpu] += lapic_read(LAPIC_ID) >> 24 != smp_apic_id(cpu);
        id_reads[cpu]++;
    }
}

static void test_sipi_running(void)
{
    unsigned restarted = 0, wrong = 0, reading = 0;

    stop_listening = 0;
    listening = 0;
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        smp_call(cpu, read_own_id);
    }
    while (listening < ncpus - 1) {
        __asm__ volatile("pause");
    }
    for (unsigned i = 0; i < SIPI_ROUNDS; i++) {
        for (unsigned cpu = 1; cpu < ncpus; cpu++) {
            lapic_send_ipi(smp_apic_id(cpu), LAPIC_DM_STARTUP | (TERN_SMP_TRAMPOLINE >> 12));
        }
        tern_delay_us(50);
    }
    stop_all_listening();
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        restarted += smp_starts(cpu) != 1;
        wrong += id_wrong[cpu];
        reading += id_reads[cpu] > 0;
    }
    CHECK_EQ_NAMED("sipi-running-ignored", restarted, 0);
    CHECK_EQ_NAMED("sipi-running-reads", reading, ncpus - 1);
    CHECK_EQ_NAMED("sipi-running-apic-id", wrong, 0);
}

static void test_ipis(void)
{
    unsigned n = ncpus, logical = n < 8 ? n : 8, aps_mask = ((1u << logical) - 1) & ~1u;

    test_group("ipi");
    smp_run(set_logical_id);
    start_listening();
    CHECK_EQ_NAMED("listening", listening, n - 1);

    for (unsigned cpu = 1; cpu < n; cpu++) {
        lapic_send_ipi(smp_apic_id(cpu), LAPIC_DM_FIXED | VEC_FIXED);
        wait_hits(cpu, VEC_FIXED, 1);
    }
    CHECK_EQ_NAMED("fixed-physical", hits_as(VEC_FIXED, want_aps, 0), n);

    for (unsigned cpu = 1; cpu < logical; cpu++) {
        lapic_send_ipi(1u << cpu, LAPIC_DEST_LOGICAL | LAPIC_DM_FIXED | VEC_LOGICAL);
        wait_hits(cpu, VEC_LOGICAL, 1);
    }
    CHECK_EQ_NAMED("fixed-logical", hits_as(VEC_LOGICAL, want_in_mask, aps_mask), n);

    lapic_send_ipi(aps_mask, LAPIC_DEST_LOGICAL | LAPIC_DM_FIXED | VEC_PAIR);
    for (unsigned cpu = 1; cpu < logical; cpu++) {
        wait_hits(cpu, VEC_PAIR, 1);
    }
    CHECK_EQ_NAMED("fixed-logical-set", hits_as(VEC_PAIR, want_in_mask, aps_mask), n);

    lapic_send_ipi(aps_mask, LAPIC_DEST_LOGICAL | LAPIC_DM_LOWEST | VEC_LOWEST);
    {
        uint64_t end = tern_rdtsc() + WAIT_MS * 1000 * TERN_TSC_PER_US;
        unsigned total = 0, outside = 0;

        do {
            total = 0;
            for (unsigned cpu = 1; cpu < logical; cpu++) {
                total += hits[cpu][VEC_LOWEST];
            }
        } while (total == 0 && tern_rdtsc() < end);
        tern_delay_us(SETTLE_US);
        total = 0;
        for (unsigned cpu = 0; cpu < n; cpu++) {
            total += hits[cpu][VEC_LOWEST];
            outside += hits[cpu][VEC_LOWEST] && !want_in_mask(cpu, aps_mask);
        }
        CHECK_EQ_NAMED("lowest-priority-one", total, 1);
        CHECK_EQ_NAMED("lowest-priority-in-set", outside, 0);
    }

    for (unsigned cpu = 1; cpu < n; cpu++) {
        lapic_send_ipi(smp_apic_id(cpu), LAPIC_DM_NMI);
        wait_hits(cpu, VEC_NMI, 1);
    }
    CHECK_EQ_NAMED("nmi", hits_as(VEC_NMI, want_aps, 0), n);

    lapic_send_ipi(0, LAPIC_SH_OTHERS | VEC_OTHERS);
    for (unsigned cpu = 1; cpu < n; cpu++) {
        wait_hits(cpu, VEC_OTHERS, 1);
    }
    CHECK_EQ_NAMED("all-excluding-self", hits_as(VEC_OTHERS, want_aps, 0), n);

    lapic_send_ipi(0, LAPIC_SH_ALL | VEC_ALL);
    for (unsigned cpu = 0; cpu < n; cpu++) {
        wait_hits(cpu, VEC_ALL, 1);
    }
    CHECK_EQ_NAMED("all-including-self", hits_as(VEC_ALL, want_all, 0), n);
    stop_all_listening();

    smp_run(self_ipi);
    CHECK_EQ_NAMED("self", hits_as(VEC_SELF, want_all, 0), n);
    /* one AP at a time: the same vector sent twice while the BSP has
     * interrupts off is one IRR bit, delivered once */
    for (unsigned cpu = 1; cpu < n; cpu++) {
        smp_call(cpu, ipi_to_bsp);
        wait_hits(0, VEC_TO_BSP, cpu);
        smp_wait(cpu);
    }
    CHECK_EQ_NAMED("ap-to-bsp", hits_as(VEC_TO_BSP, want_bsp, n - 1), n);
    test_sipi_running();
}

/* ---- TLB shootdown ---------------------------------------------------------- */
#define TLB_VA   0x8000000000ull        /* PML4 entry 1: nothing else maps there */
#define PTE_PW   3ull                   /* present, writable */
static uint64_t tlb_pdpt[512] __attribute__((aligned(4096)));
static uint64_t tlb_pd[512] __attribute__((aligned(4096)));
static uint64_t tlb_pt[512] __attribute__((aligned(4096)));
static uint64_t page_old[512] __attribute__((aligned(4096)));
static uint64_t page_new[512] __attribute__((aligned(4096)));
static volatile uint64_t seen_before[TERN_SMP_MAX_CPUS], seen_after[TERN_SMP_MAX_CPUS];
#define OLD_VALUE 0x0101010101010101ull
#define NEW_VALUE 0x0202020202020202ull

static uint64_t read_va(void)
{
    return *(volatile uint64_t *)(uintptr_t)TLB_VA;
}

static void invlpg_va(void)
{
    __asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)TLB_VA) : "memory");
}

static void tlb_map(uint64_t *page)
{
    tlb_pt[0] = (uint64_t)(uintptr_t)page | PTE_PW;
}

static void tlb_read_before(unsigned cpu)
{
    seen_before[cpu] = read_va();
}

static void irq_flush(unsigned vector)
{
    unsigned cpu = smp_this_cpu();

    invlpg_va();
    seen_after[cpu] = read_va();
    hits[cpu][vector]++;
    lapic_write(LAPIC_EOI, 0);
}

static void tlb_setup(void)
{
    volatile uint64_t *pml4 = (volatile uint64_t *)0x1000;   /* docs/boot.md */

    page_old[0] = OLD_VALUE;
    page_new[0] = NEW_VALUE;
    tlb_pdpt[0] = (uint64_t)(uintptr_t)tlb_pd | PTE_PW;
    tlb_pd[0] = (uint64_t)(uintptr_t)tlb_pt | PTE_PW;
    tlb_map(page_old);
    pml4[1] = (uint64_t)(uintptr_t)tlb_pdpt | PTE_PW;
}

static void test_tlb(void)
{
    unsigned old_ok = 0, new_ok = 0;

    test_group("tlb");
    smp_run(tlb_read_before);       /* every CPU caches the old translation */
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        old_ok += seen_before[cpu] == OLD_VALUE;
    }
    CHECK_EQ_NAMED("old-mapping", old_ok, ncpus);
    tlb_map(page_new);
    invlpg_va();
    CHECK_EQ_NAMED("local-invlpg", read_va(), NEW_VALUE);
    start_listening();
    lapic_send_ipi(0, LAPIC_SH_OTHERS | VEC_FLUSH);
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        wait_hits(cpu, VEC_FLUSH, 1);
    }
    stop_all_listening();
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        if (seen_after[cpu] != NEW_VALUE) {
            tern_printf("  cpu %u read 0x%llx after its INVLPG\n", cpu,
                        (unsigned long long)seen_after[cpu]);
        }
        new_ok += seen_after[cpu] == NEW_VALUE;
    }
    CHECK_EQ_NAMED("shootdown", new_ok, ncpus - 1);
}

int main(const struct tern_bootinfo *bi)
{
    if (!TERN_HAVE_RING0) {
        test_skip("starts CPUs through the local APIC");
    }
    idt_install();
    for (unsigned v = VEC_FIXED; v <= VEC_TO_BSP; v++) {
        tern_irq_set((int)v, irq_count);
    }
    tern_irq_set(VEC_NMI, irq_count);
    tern_irq_set(VEC_FLUSH, irq_flush);
    tlb_setup();
    test_start(bi);
    if (ncpus < 2 || test_failures()) {
        test_done();            /* the rest needs working APs */
    }
    test_atomics();
    test_ipis();
    test_tlb();
    test_done();
}
