/*
 * cpu-topology.c: the CPUID leaves that describe caches and topology
 * (1's EBX and HTT, 2, 4, 0xB), consistent with the machine's vCPU count.
 *
 * The topology every model reports: one package of env->nr_cpus cores,
 * one thread per core, APIC ID = cpu_index (so the core field of the APIC
 * ID is ceil(log2(nr_cpus)) bits wide and the SMT field 0 bits).  Caches:
 * 32 KiB 8-way L1 data and instruction caches and a 1 MiB 16-way L2 per
 * core, a 16 MiB 16-way L3 shared by the package; 64-byte lines.  Leaf
 * 0x1F (V2 extended topology) is not announced: every model's max leaf is
 * below it.
 */
#include "util/osdep.h"
#include "target-x86/cpu-models.h"

/* Bits of the APIC ID that number the cores of a package. */
static unsigned x86_core_id_bits(const CPUX86State *env)
{
    unsigned bits = 0;

    while ((1u << bits) < env->nr_cpus) {
        bits++;
    }
    return bits;
}

static uint32_t x86_apic_id(const CPUX86State *env)
{
    return (uint32_t)env_cpu((CPUX86State *)env)->cpu_index;
}

void x86_cpuid_topology_leaf1(const CPUX86State *env, uint32_t *ebx, uint32_t *edx)
{
    /* CLFLUSH line size in 8-byte units; addressable IDs in the package
     * (valid with HTT, which means "more than one logical processor");
     * initial APIC ID. */
    *ebx = (8u << 8) | ((1u << x86_core_id_bits(env)) << 16) | (x86_apic_id(env) << 24);
    if (env->nr_cpus > 1) {
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
    unsigned bits = x86_core_id_bits(env);

    switch (leaf) {
    case 2:
        /* 01: call once; FF: no descriptors here, use leaf 4 */
        *eax = 0xff01;
        break;
    case 4:
        if (subleaf < ARRAY_SIZE(x86_caches)) {
            const X86CacheInfo *c = &x86_caches[subleaf];
            uint32_t sets = c->size / (c->ways * X86_CACHE_LINE);
            uint32_t sharing = c->shared ? (1u << bits) : 1;

            *eax = c->type | (uint32_t)c->level << 5 | 1u << 8 /* self-initialising */ |
                   (sharing - 1) << 14 | ((1u << bits) - 1) << 26;
            *ebx = (X86_CACHE_LINE - 1) | (uint32_t)(c->ways - 1) << 22;
            *ecx = sets - 1;
            *edx = c->level == 3 ? 2 : 0;        /* L3 inclusive */
        }
        break;
    case 0xb:
        /* level 0: SMT (no bits, one thread), level 1: core, then none */
        if (subleaf == 0) {
            *eax = 0;
            *ebx = 1;
            *ecx = 1u << 8;
        } else if (subleaf == 1) {
            *eax = bits;
            *ebx = env->nr_cpus;
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
