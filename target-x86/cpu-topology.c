/*
 * cpu-topology.c: the CPUID leaves that describe caches and topology
 * (1's EBX and HTT, 2, 4, 0xB), and the initial APIC IDs, from the
 * machine's -smp topology (env->topo: sockets * cores * threads slots).
 *
 * APIC ID layout (SDM 8.9.1, "Hierarchical Mapping of Shared Resources"):
 * the SMT field is ceil(log2(threads)) bits, the core field above it
 * ceil(log2(cores)) bits, the package number above that.  CPU index i is
 * thread i % threads of core (i / threads) % cores of package
 * i / (cores * threads), as QEMU numbers them, so with powers of two the
 * IDs are 0..n-1 and otherwise they have gaps.  Caches: 32 KiB 8-way L1
 * data and instruction caches and a 1 MiB 16-way L2 per core (shared by
 * its threads), a 16 MiB 16-way L3 shared by the package; 64-byte lines.
 * Leaf 0x1F (V2 extended topology) is not announced: every model's max
 * leaf is below it; nor are AMD's 0x80000008 ECX and 0x8000001E (every
 * model says GenuineIntel).
 */
#include "util/osdep.h"
#include "target-x86/cpu-models.h"

/* Bits of an ID field that numbers n things */
static unsigned x86_topo_bits(unsigned n)
{
    unsigned bits = 0;

    while ((1u << bits) < n) {
        bits++;
    }
    return bits;
}

static unsigned x86_smt_bits(const CpuTopology *t)
{
    return x86_topo_bits(t->threads);
}

/* The SMT and core fields together: the package's share of the ID */
static unsigned x86_pkg_shift(const CpuTopology *t)
{
    return x86_smt_bits(t) + x86_topo_bits(t->cores);
}

uint32_t x86_topo_apic_id(const CpuTopology *t, unsigned index)
{
    unsigned thread = index % t->threads;
    unsigned core = (index / t->threads) % t->cores;
    unsigned pkg = index / (t->threads * t->cores);

    return (uint32_t)pkg << x86_pkg_shift(t) | (uint32_t)core << x86_smt_bits(t) | thread;
}

static uint32_t x86_apic_id(const CPUX86State *env)
{
    return x86_topo_apic_id(&env->topo, (unsigned)env_cpu((CPUX86State *)env)->cpu_index);
}

void x86_cpuid_topology_leaf1(const CPUX86State *env, uint32_t *ebx, uint32_t *edx)
{
    /* CLFLUSH line size in 8-byte units; addressable IDs in the package
     * (valid with HTT, which means "more than one logical processor in
     * the package"); initial APIC ID. */
    *ebx = (8u << 8) | ((1u << x86_pkg_shift(&env->topo)) << 16) | (x86_apic_id(env) << 24);
    if (env->topo.cores * env->topo.threads > 1) {
        *edx |= 1u << 28;
    }
}

typedef struct X86CacheInfo {
    uint8_t type;        /* 1 data, 2 instruction, 3 unified */
    uint8_t level;
    bool shared;         /* by the whole package, else one core */
    uint32_t size;
    uint16_t ways;
} X86CacheInfo;

static const X86CacheInfo x86_caches[] = {
    { 1, 1, false, 32u << 10, 8 },
    { 2, 1, false, 32u << 10, 8 },
    { 3, 2, false, 1u << 20, 16 },
    { 3, 3, true, 16u << 20, 16 },
};

#define X86_CACHE_LINE 64

void x86_cpuid_cache_topology_leaf(const CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                                   uint32_t *edx)
{
    const CpuTopology *t = &env->topo;

    switch (leaf) {
    case 2:
        /* 01: call once; FF: no descriptors here, use leaf 4 */
        *eax = 0xff01;
        break;
    case 4:
        if (subleaf < ARRAY_SIZE(x86_caches)) {
            const X86CacheInfo *c = &x86_caches[subleaf];
            uint32_t sets = c->size / (c->ways * X86_CACHE_LINE);
            /* IDs sharing it: the package's or the core's threads' */
            uint32_t sharing = 1u << (c->shared ? x86_pkg_shift(t) : x86_smt_bits(t));

            *eax = c->type | (uint32_t)c->level << 5 | 1u << 8 /* self-initialising */ |
                   (sharing - 1) << 14 |
                   ((1u << (x86_pkg_shift(t) - x86_smt_bits(t))) - 1) << 26;
            *ebx = (X86_CACHE_LINE - 1) | (uint32_t)(c->ways - 1) << 22;
            *ecx = sets - 1;
            *edx = c->level == 3 ? 2 : 0;        /* L3 inclusive */
        }
        break;
    case 0xb:
        /* level 0: SMT, level 1: core, then none; EAX: the shift to the
         * next level's ID, EBX: logical processors at this level */
        if (subleaf == 0) {
            *eax = x86_smt_bits(t);
            *ebx = t->threads;
            *ecx = 1u << 8;
        } else if (subleaf == 1) {
            *eax = x86_pkg_shift(t);
            *ebx = t->cores * t->threads;
            *ecx = 2u << 8 | 1;
        } else {
            *ecx = subleaf & 0xff;
        }
        *edx = x86_apic_id(env);
        break;
    default:
        break;
    }
}
