/*
 * cpu-models.h: the CPU models -cpu chooses from and the CPUID features
 * they are made of (cpu-models.c).
 *
 * X86_FEATURE_LIST is the one table of the features tern implements: the
 * CPUID word and bit, the name -cpu and -cpu help use (QEMU's), and a
 * second accepted spelling.  A model is a row of x86_cpu_models[]: name,
 * signature, brand, max leaves and a set of these features.  The set a
 * CPU ends up with lives in its env->cpuid_* words (the only state); the
 * translator consults it through x86_insn_feature_ok, once per
 * instruction at translation time.
 */
#ifndef TARGET_X86_CPU_MODELS_H
#define TARGET_X86_CPU_MODELS_H

#include "target-x86/cpu.h"

typedef enum X86FeatureWord {
    FEAT_1_EDX,
    FEAT_1_ECX,
    FEAT_7_0_EBX,
    FEAT_7_0_ECX,
    FEAT_7_0_EDX,
    FEAT_8000_0001_EDX,
    FEAT_8000_0001_ECX,
    FEAT_WORDS,
} X86FeatureWord;

/*
 * X(ID, word, bit, name, alias): listed only when everything the bit
 * announces is implemented (docs/cpu.md, "CPU models").  PSE, PAE, PGE,
 * NX, LM and PDPE1GB are the page walker's (mmu.c).
 */
#define X86_FEATURE_LIST(X) \
    X(FPU, FEAT_1_EDX, 0, "fpu", NULL) \
    X(VME, FEAT_1_EDX, 1, "vme", NULL) /* vme_helper.c: CR4.VME and CR4.PVI */ \
    X(DE, FEAT_1_EDX, 2, "de", NULL) /* debug_helper.c: CR4.DE, I/O breakpoints */ \
    X(PSE, FEAT_1_EDX, 3, "pse", NULL) \
    X(TSC, FEAT_1_EDX, 4, "tsc", NULL) \
    X(MSR, FEAT_1_EDX, 5, "msr", NULL) /* msr_helper.c */ \
    X(PAE, FEAT_1_EDX, 6, "pae", NULL) \
    X(MCE, FEAT_1_EDX, 7, "mce", NULL) /* CR4.MCE; no machine check is ever raised */ \
    X(CX8, FEAT_1_EDX, 8, "cx8", NULL) \
    X(APIC, FEAT_1_EDX, 9, "apic", NULL) /* hw/intc/apic.c, through the board */ \
    X(SEP, FEAT_1_EDX, 11, "sep", NULL) /* syscall_helper.c: sysenter, sysexit */ \
    X(MTRR, FEAT_1_EDX, 12, "mtrr", NULL) /* msr_helper.c: stored, no effect */ \
    X(PGE, FEAT_1_EDX, 13, "pge", NULL) \
    X(MCA, FEAT_1_EDX, 14, "mca", NULL) /* msr_helper.c: MCG_* and 10 banks */ \
    X(CMOV, FEAT_1_EDX, 15, "cmov", NULL) \
    X(PAT, FEAT_1_EDX, 16, "pat", NULL) /* msr_helper.c: recorded, no effect */ \
    X(CLFLUSH, FEAT_1_EDX, 19, "clflush", NULL) \
    X(MMX, FEAT_1_EDX, 23, "mmx", NULL) \
    X(FXSR, FEAT_1_EDX, 24, "fxsr", NULL) \
    X(SSE, FEAT_1_EDX, 25, "sse", NULL) \
    X(SSE2, FEAT_1_EDX, 26, "sse2", NULL) \
    X(SSE3, FEAT_1_ECX, 0, "pni", "sse3") \
    X(PCLMULQDQ, FEAT_1_ECX, 1, "pclmulqdq", "pclmuldq") \
    X(SSSE3, FEAT_1_ECX, 9, "ssse3", NULL) \
    X(CX16, FEAT_1_ECX, 13, "cx16", NULL) \
    X(PCID, FEAT_1_ECX, 17, "pcid", NULL) /* system_helper.c */ \
    X(SSE41, FEAT_1_ECX, 19, "sse4.1", "sse4-1") \
    X(SSE42, FEAT_1_ECX, 20, "sse4.2", "sse4-2") \
    X(X2APIC, FEAT_1_ECX, 21, "x2apic", NULL) /* hw/intc/apic.c: MSRs 0x800-0x8ff */ \
    X(MOVBE, FEAT_1_ECX, 22, "movbe", NULL) \
    X(POPCNT, FEAT_1_ECX, 23, "popcnt", NULL) \
    X(TSC_DEADLINE, FEAT_1_ECX, 24, "tsc-deadline", NULL) /* apic.c, msr_helper.c */ \
    X(AES, FEAT_1_ECX, 25, "aes", NULL) \
    X(XSAVE, FEAT_1_ECX, 26, "xsave", NULL) \
    X(RDRAND, FEAT_1_ECX, 30, "rdrand", NULL) \
    X(FSGSBASE, FEAT_7_0_EBX, 0, "fsgsbase", NULL) \
    X(BMI1, FEAT_7_0_EBX, 3, "bmi1", NULL) \
    X(SMEP, FEAT_7_0_EBX, 7, "smep", NULL) /* mmu.c */ \
    X(BMI2, FEAT_7_0_EBX, 8, "bmi2", NULL) \
    X(INVPCID, FEAT_7_0_EBX, 10, "invpcid", NULL) \
    X(ZERO_FCS_FDS, FEAT_7_0_EBX, 13, "zero-fcs-fds", NULL) /* FCS/FDS saved as 0 */ \
    X(RDSEED, FEAT_7_0_EBX, 18, "rdseed", NULL) \
    X(ADX, FEAT_7_0_EBX, 19, "adx", NULL) \
    X(SMAP, FEAT_7_0_EBX, 20, "smap", NULL) /* mmu.c; stac, clac */ \
    X(CLFLUSHOPT, FEAT_7_0_EBX, 23, "clflushopt", NULL) \
    X(UMIP, FEAT_7_0_ECX, 2, "umip", NULL) /* priv_helper.c: sgdt..smsw #GP at CPL > 0 */ \
    X(PKU, FEAT_7_0_ECX, 3, "pku", NULL) /* mmu.c, pku_helper.c; not in XSAVE */ \
    X(LA57, FEAT_7_0_ECX, 16, "la57", NULL) /* mmu.c: 5-level paging, 57-bit canonical */ \
    X(SPEC_CTRL, FEAT_7_0_EDX, 26, "spec-ctrl", NULL) /* IA32_SPEC_CTRL, PRED_CMD */ \
    X(STIBP, FEAT_7_0_EDX, 27, "stibp", NULL) \
    X(ARCH_CAPABILITIES, FEAT_7_0_EDX, 29, "arch-capabilities", NULL) \
    X(SSBD, FEAT_7_0_EDX, 31, "ssbd", NULL) \
    X(SYSCALL, FEAT_8000_0001_EDX, 11, "syscall", NULL) /* syscall_helper.c */ \
    X(NX, FEAT_8000_0001_EDX, 20, "nx", "xd") \
    X(PDPE1GB, FEAT_8000_0001_EDX, 26, "pdpe1gb", NULL) \
    X(RDTSCP, FEAT_8000_0001_EDX, 27, "rdtscp", NULL) \
    X(LM, FEAT_8000_0001_EDX, 29, "lm", "i64") \
    X(LAHF_LM, FEAT_8000_0001_ECX, 0, "lahf_lm", NULL) \
    X(ABM, FEAT_8000_0001_ECX, 5, "abm", NULL)

typedef enum X86Feature {
    X86_FEAT_NONE,       /* "needs no feature" in per-kind tables */
#define X86_FEATURE_ENUM(id, w, b, n, a) X86_FEAT_##id,
    X86_FEATURE_LIST(X86_FEATURE_ENUM)
#undef X86_FEATURE_ENUM
    X86_FEAT_NB
} X86Feature;

/* Is feature f enabled in env's CPUID model? */
bool x86_feature_enabled(const CPUX86State *env, X86Feature f);

/* Set env's CPUID model from SPEC ("NAME[,+feat,-feat,feat=on|off...]";
 * NULL: "max") for a machine of topology topo (NULL: one CPU).  Returns 0 or -EINVAL with
 * a one-line *errp naming the unknown model or feature. */
int x86_cpu_model_init(CPUX86State *env, const char *spec, const CpuTopology *topo,
                       bool host_ok, Error **errp);

/* May the translator emit instruction kind (X86InsnKind) for env's model?
 * False means #UD: the kind's CPUID feature bit is clear. */
bool x86_insn_feature_ok(const CPUX86State *env, unsigned kind);

/* cpu-topology.c: leaf 1's EBX and HTT bit (in *edx), and leaves 2, 4
 * and 0xB, for env->topo and the CPU's own APIC ID. */
void x86_cpuid_topology_leaf1(const CPUX86State *env, uint32_t *ebx, uint32_t *edx);
void x86_cpuid_cache_topology_leaf(const CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                                   uint32_t *edx);

#endif
