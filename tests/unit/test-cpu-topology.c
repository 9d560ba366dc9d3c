/*
 * test-cpu-topology.c: the initial APIC IDs and CPUID topology leaves
 * (target-x86/cpu-topology.c) for -smp topologies: threads and cores as
 * powers of two (dense IDs), 3 cores per package (IDs with gaps), one
 * core per package, and one CPU; leaves 1 (EBX 23:16 and 31:24, HTT), 4
 * (EAX 31:26 and 25:14 per cache) and 0xB (shifts, counts, level types,
 * x2APIC ID in EDX), each CPU answering with its own ID.
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "test.h"

TEST_GLOBALS;

typedef struct Regs { uint32_t a, b, c, d; } Regs;

/* CPU number index of a machine of topology t (NULL: one CPU); "max" */
static X86CPU *cpu_new(const CpuTopology *t, unsigned index)
{
    X86CPU *cpu = x86_cpu_create((int)index, NULL, NULL, NULL);

    if (!cpu || x86_cpu_configure(cpu, NULL, t, false, NULL) < 0) {
        abort();            /* the default model cannot fail */
    }
    return cpu;
}

static Regs cpuid(X86CPU *cpu, uint32_t leaf, uint32_t sub)
{
    Regs r;

    cpu_x86_cpuid(&cpu->env, leaf, sub, &r.a, &r.b, &r.c, &r.d);
    return r;
}

/* -smp 8,sockets=2,cores=2,threads=2: 1 SMT bit, 1 core bit, package at bit 2 */
static void test_smp8_2x2x2(void)
{
    CpuTopology t = { .cpus = 8, .sockets = 2, .cores = 2, .threads = 2, .max_cpus = 8 };

    for (unsigned i = 0; i < 8; i++) {
        CHECK_EQ(x86_topo_apic_id(&t, i), i);
        X86CPU *cpu = cpu_new(&t, i);
        Regs l1 = cpuid(cpu, 1, 0);

        CHECK_EQ(l1.b >> 24, i);                    /* initial APIC ID */
        CHECK_EQ((l1.b >> 16) & 0xff, 4);           /* IDs per package */
        CHECK(l1.d & (1u << 28));                   /* HTT */
        CHECK_EQ(cpuid(cpu, 0xb, 0).d, i);          /* x2APIC ID */
        CHECK_EQ(cpuid(cpu, 0xb, 1).d, i);
        x86_cpu_destroy(cpu);
    }
    X86CPU *cpu = cpu_new(&t, 5);
    Regs smt = cpuid(cpu, 0xb, 0), core = cpuid(cpu, 0xb, 1), none = cpuid(cpu, 0xb, 2);
    CHECK_EQ(smt.a, 1);                             /* shift to the core ID */
    CHECK_EQ(smt.b, 2);                             /* threads per core */
    CHECK_EQ(smt.c, 0x100);                         /* level 0, type SMT */
    CHECK_EQ(core.a, 2);                            /* shift to the package ID */
    CHECK_EQ(core.b, 4);                            /* logical processors per package */
    CHECK_EQ(core.c, 0x201);                        /* level 1, type core */
    CHECK_EQ(none.a, 0);
    CHECK_EQ(none.b, 0);
    CHECK_EQ(none.c, 2);                            /* level 2, type invalid */
    for (unsigned sub = 0; sub < 4; sub++) {
        Regs c = cpuid(cpu, 4, sub);
        unsigned sharing = sub == 3 ? 3 : 1;        /* L3: package; L1, L2: core */

        CHECK_EQ(c.a >> 26, 1);                     /* cores per package - 1 */
        CHECK_EQ((c.a >> 14) & 0xfff, sharing);
    }
    CHECK_EQ(cpuid(cpu, 4, 4).a & 0x1f, 0);         /* no fifth cache */
    x86_cpu_destroy(cpu);
}

/* -smp 6,sockets=2,cores=3: a 2-bit core field, so package 1 starts at 4 */
static void test_smp6_three_cores(void)
{
    CpuTopology t = { .cpus = 6, .sockets = 2, .cores = 3, .threads = 1, .max_cpus = 6 };
    static const uint32_t want[6] = { 0, 1, 2, 4, 5, 6 };

    for (unsigned i = 0; i < 6; i++) {
        CHECK_EQ(x86_topo_apic_id(&t, i), want[i]);
    }
    X86CPU *cpu = cpu_new(&t, 4);
    CHECK_EQ(cpuid(cpu, 1, 0).b >> 24, 5);
    CHECK_EQ((cpuid(cpu, 1, 0).b >> 16) & 0xff, 4);
    CHECK_EQ(cpuid(cpu, 0xb, 0).a, 0);
    CHECK_EQ(cpuid(cpu, 0xb, 0).b, 1);
    CHECK_EQ(cpuid(cpu, 0xb, 1).a, 2);
    CHECK_EQ(cpuid(cpu, 0xb, 1).b, 3);
    CHECK_EQ(cpuid(cpu, 0xb, 1).d, 5);
    CHECK_EQ(cpuid(cpu, 4, 0).a >> 26, 3);
    CHECK_EQ((cpuid(cpu, 4, 0).a >> 14) & 0xfff, 0);    /* L1: one thread */
    CHECK_EQ((cpuid(cpu, 4, 3).a >> 14) & 0xfff, 3);
    x86_cpu_destroy(cpu);
}

/* -smp 2,sockets=2: one logical processor per package, no HTT */
static void test_smp2_two_sockets(void)
{
    CpuTopology t = { .cpus = 2, .sockets = 2, .cores = 1, .threads = 1, .max_cpus = 2 };
    X86CPU *cpu = cpu_new(&t, 1);

    CHECK_EQ(x86_topo_apic_id(&t, 1), 1);
    CHECK_EQ(cpuid(cpu, 1, 0).b >> 24, 1);
    CHECK_EQ((cpuid(cpu, 1, 0).b >> 16) & 0xff, 1);
    CHECK_EQ(cpuid(cpu, 1, 0).d & (1u << 28), 0);
    CHECK_EQ(cpuid(cpu, 0xb, 1).a, 0);
    CHECK_EQ(cpuid(cpu, 0xb, 1).b, 1);
    CHECK_EQ(cpuid(cpu, 4, 3).a >> 26, 0);
    x86_cpu_destroy(cpu);
}

/* One CPU (x86_cpu_create's default, and NULL to x86_cpu_configure) */
static void test_smp1(void)
{
    X86CPU *cpu = cpu_new(NULL, 0);

    CHECK_EQ(cpuid(cpu, 1, 0).b >> 16, 1);          /* ID 0, 1 addressable ID */
    CHECK_EQ(cpuid(cpu, 1, 0).d & (1u << 28), 0);
    CHECK_EQ(cpuid(cpu, 0xb, 1).b, 1);
    CHECK_EQ((cpuid(cpu, 4, 3).a >> 14) & 0xfff, 0);
    x86_cpu_destroy(cpu);
}

int main(void)
{
    RUN_TEST(test_smp8_2x2x2);
    RUN_TEST(test_smp6_three_cores);
    RUN_TEST(test_smp2_two_sockets);
    RUN_TEST(test_smp1);
    TEST_MAIN_END();
}
