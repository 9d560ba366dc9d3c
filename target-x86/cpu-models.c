/*
 * cpu-models.c: the CPU models, -cpu parsing and -cpu help, and which
 * instructions each CPUID feature gates.
 *
 * A model is a row of x86_cpu_models[]; its features are a set of
 * X86_FEATURE_LIST rows (cpu-models.h).  "-cpu NAME,+f,-f,f=on,f=off"
 * starts from the model's set and applies the items left to right; the
 * result is written into env->cpuid_* words, which CPUID (cpu.c), the
 * CR4 reserved-bit check (system_helper.c) and the translator
 * (x86_insn_feature_ok) all read.  Every model uses the GenuineIntel
 * vendor: where the SDM and the APM differ, tern does what Intel does.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "target-x86/cpu-models.h"
#include "target-x86/decode.h"

typedef struct X86FeatureInfo {
    uint8_t word;        /* X86FeatureWord */
    uint8_t bit;
    const char *name;    /* QEMU's name, used by -cpu help */
    const char *alias;   /* another accepted spelling, or NULL */
} X86FeatureInfo;

static const X86FeatureInfo x86_features[X86_FEAT_NB] = {
#define X86_FEATURE_ROW(id, w, b, n, a) [X86_FEAT_##id] = { w, b, n, a },
    X86_FEATURE_LIST(X86_FEATURE_ROW)
#undef X86_FEATURE_ROW
};

_Static_assert(X86_FEAT_NB <= 64, "a model's feature set is a uint64_t");

#define FB(id) (1ull << X86_FEAT_##id)
#define X86_FEAT_ALL (((X86_FEAT_NB == 64) ? 0 : (1ull << X86_FEAT_NB)) - 2) /* not NONE */

typedef struct X86CPUModel {
    const char *name;
    const char *desc;            /* for -cpu help */
    uint8_t family, model, stepping;
    const char *brand;           /* CPUID 0x80000002-4, at most 47 characters */
    uint32_t level, xlevel;      /* max basic and extended leaves */
    uint64_t features;           /* FB(...) set */
} X86CPUModel;

/* The x86-64 baseline (QEMU's qemu64), less what tern does not implement
 * (PSE36) */
#define X86_BASELINE_FEATURES \
    (FB(FPU) | FB(DE) | FB(PSE) | FB(TSC) | FB(MSR) | FB(PAE) | FB(MCE) | FB(CX8) | FB(APIC) | \
     FB(SEP) | FB(MTRR) | FB(PGE) | FB(MCA) | FB(CMOV) | FB(PAT) | FB(CLFLUSH) | FB(SYSCALL) | \
     FB(MMX) | FB(FXSR) | FB(SSE) | FB(SSE2) | FB(SSE3) | FB(CX16) | FB(NX) | FB(LM) | \
     FB(LAHF_LM))

static const X86CPUModel x86_cpu_models[] = {
    { "max", "everything tern implements (the default)",
      6, 0x2a, 1, "tern virtual CPU", 0xd, 0x80000008u, X86_FEAT_ALL },
    { "qemu64", "the x86-64 baseline: QEMU's qemu64 as far as tern implements it",
      15, 107, 1, "QEMU Virtual CPU version 2.5+", 0xd, 0x80000008u, X86_BASELINE_FEATURES },
};

#define X86_CPU_MODEL_DEFAULT "max"

/* The instructions a feature gates: #UD when its bit is clear (the SDM's
 * "#UD If CPUID.xx:yy.FEATURE[bit n] = 0").  Kinds shared by instructions
 * of different features (MOVA: movaps, movapd and movntdqa; CLFLUSH:
 * clflush and clflushopt; the MMX/SSE/SSE2 kinds) are not gated, nor are
 * LZCNT and TZCNT, which run as BSR and BSF without ABM and BMI1. */
static const uint8_t x86_insn_feature[X86_INSN_NB] = {
    [X86_INSN_ADDSUBPS ... X86_INSN_MOVDDUP] = X86_FEAT_SSE3,
    [X86_INSN_PSHUFB ... X86_INSN_PALIGNR] = X86_FEAT_SSSE3,
    [X86_INSN_PBLENDVB ... X86_INSN_MPSADBW] = X86_FEAT_SSE41,
    [X86_INSN_PCMPGTQ ... X86_INSN_PCMPISTRM] = X86_FEAT_SSE42,
    [X86_INSN_CRC32] = X86_FEAT_SSE42,
    [X86_INSN_AESENC ... X86_INSN_AESKEYGENASSIST] = X86_FEAT_AES,
    [X86_INSN_PCLMULQDQ] = X86_FEAT_PCLMULQDQ,
    [X86_INSN_ANDN ... X86_INSN_BLSR] = X86_FEAT_BMI1,
    [X86_INSN_BZHI ... X86_INSN_SHRX] = X86_FEAT_BMI2,
    [X86_INSN_ADCX ... X86_INSN_ADOX] = X86_FEAT_ADX,
    [X86_INSN_MOVBE] = X86_FEAT_MOVBE,
    [X86_INSN_POPCNT] = X86_FEAT_POPCNT,
    [X86_INSN_RDRAND] = X86_FEAT_RDRAND,
    [X86_INSN_RDSEED] = X86_FEAT_RDSEED,
    [X86_INSN_RDTSCP] = X86_FEAT_RDTSCP,
    [X86_INSN_FSGSBASE] = X86_FEAT_FSGSBASE,
    [X86_INSN_STAC] = X86_FEAT_SMAP,
    [X86_INSN_INVPCID] = X86_FEAT_INVPCID,
    [X86_INSN_RDPKRU ... X86_INSN_WRPKRU] = X86_FEAT_PKU,
    [X86_INSN_XGETBV ... X86_INSN_XRSTOR] = X86_FEAT_XSAVE,
    [X86_INSN_RDMSR ... X86_INSN_WRMSR] = X86_FEAT_MSR,
    [X86_INSN_SYSCALL ... X86_INSN_SYSRET] = X86_FEAT_SYSCALL,
    [X86_INSN_SYSENTER ... X86_INSN_SYSEXIT] = X86_FEAT_SEP,
};

/* ---- feature words ------------------------------------------------------ */

/* Where each CPUID feature word lives in env. */
static const size_t x86_feature_word_offset[FEAT_WORDS] = {
    [FEAT_1_EDX] = offsetof(CPUX86State, cpuid_features),
    [FEAT_1_ECX] = offsetof(CPUX86State, cpuid_ext_features),
    [FEAT_7_0_EBX] = offsetof(CPUX86State, cpuid_7_0_ebx),
    [FEAT_7_0_ECX] = offsetof(CPUX86State, cpuid_7_0_ecx),
    [FEAT_7_0_EDX] = offsetof(CPUX86State, cpuid_7_0_edx),
    [FEAT_8000_0001_EDX] = offsetof(CPUX86State, cpuid_ext2_features),
    [FEAT_8000_0001_ECX] = offsetof(CPUX86State, cpuid_ext3_features),
};

static uint32_t *x86_feature_word(CPUX86State *env, X86FeatureWord w)
{
    return (uint32_t *)((char *)env + x86_feature_word_offset[w]);
}

bool x86_feature_enabled(const CPUX86State *env, X86Feature f)
{
    const X86FeatureInfo *fi = &x86_features[f];
    const uint32_t *word;

    assert(f > X86_FEAT_NONE && f < X86_FEAT_NB);
    word = (const uint32_t *)((const char *)env + x86_feature_word_offset[fi->word]);
    return *word & (1u << fi->bit);
}

bool x86_insn_feature_ok(const CPUX86State *env, unsigned kind)
{
    assert(kind < X86_INSN_NB);
    return x86_insn_feature[kind] == X86_FEAT_NONE ||
           x86_feature_enabled(env, x86_insn_feature[kind]);
}

/* ---- -cpu parsing ------------------------------------------------------- */

/* Names compare with '-' and '_' as one character, as QEMU's do. */
static bool x86_name_eq(const char *name, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len && name[i]; i++) {
        char a = name[i] == '_' ? '-' : name[i], b = s[i] == '_' ? '-' : s[i];
        if (a != b) {
            return false;
        }
    }
    return i == len && !name[i];
}

static X86Feature x86_feature_lookup(const char *s, size_t len)
{
    for (unsigned f = X86_FEAT_NONE + 1; f < X86_FEAT_NB; f++) {
        if (x86_name_eq(x86_features[f].name, s, len) ||
            (x86_features[f].alias && x86_name_eq(x86_features[f].alias, s, len))) {
            return (X86Feature)f;
        }
    }
    return X86_FEAT_NONE;
}

/* One item after the model: +f, -f, f, f=on, f=off.  Updates *set. */
static int x86_cpu_parse_item(const char *spec, const char *p, size_t len, uint64_t *set,
                              Error **errp)
{
    const char *eq = memchr(p, '=', len);
    size_t nlen = eq ? (size_t)(eq - p) : len;
    bool on = true;
    X86Feature f;

    if (len && (p[0] == '+' || p[0] == '-')) {
        on = p[0] == '+';
        p++;
        len--;
        nlen--;
        if (eq) {
            error_setg(errp, "-cpu %s: '%c%.*s': use +FEATURE, -FEATURE or FEATURE=on|off",
                       spec, on ? '+' : '-', (int)len, p);
            return -EINVAL;
        }
    } else if (eq) {
        const char *v = eq + 1;
        size_t vlen = len - nlen - 1;
        if (x86_name_eq("on", v, vlen) || x86_name_eq("true", v, vlen)) {
            on = true;
        } else if (x86_name_eq("off", v, vlen) || x86_name_eq("false", v, vlen)) {
            on = false;
        } else {
            error_setg(errp, "-cpu %s: '%.*s': the value must be on or off", spec, (int)len, p);
            return -EINVAL;
        }
    }
    f = nlen ? x86_feature_lookup(p, nlen) : X86_FEAT_NONE;
    if (f == X86_FEAT_NONE) {
        error_setg(errp, "-cpu %s: unknown or unimplemented CPU feature '%.*s' "
                   "(-cpu help lists them)", spec, (int)nlen, p);
        return -EINVAL;
    }
    *set = on ? *set | (1ull << f) : *set & ~(1ull << f);
    return 0;
}

int x86_cpu_model_init(CPUX86State *env, const char *spec, const CpuTopology *topo,
                       bool host_ok, Error **errp)
{
    const char *p = spec ? spec : X86_CPU_MODEL_DEFAULT;
    size_t len = strcspn(p, ",");
    const X86CPUModel *m = NULL;
    static const char vendor[12] = "GenuineIntel";
    uint64_t set;

    for (size_t i = 0; i < ARRAY_SIZE(x86_cpu_models); i++) {
        if (x86_name_eq(x86_cpu_models[i].name, p, len)) {
            m = &x86_cpu_models[i];
        }
    }
    bool host = !m && x86_name_eq("host", p, len);
    if (host && !host_ok) {
        /* the host's CPUID is what KVM reports: no meaning under TCG */
        error_setg(errp, "-cpu host: needs -accel kvm; TCG offers 'max' (everything "
                   "tern implements)");
        return -EINVAL;
    }
    if (host && p[len]) {
        error_setg(errp, "-cpu %s: host takes no feature list (it is what KVM supports)", p);
        return -EINVAL;
    }
    if (host) {
        /* max's fields for tern's own use; the guest sees KVM's CPUID */
        m = &x86_cpu_models[0];
    }
    if (!m) {
        error_setg(errp, "-cpu %s: unknown CPU model '%.*s' (-cpu help lists them)",
                   p, (int)len, p);
        return -EINVAL;
    }
    set = m->features;
    for (p += len; *p; p += len) {
        p++;                                    /* the ',' */
        len = strcspn(p, ",");
        if (x86_cpu_parse_item(spec, p, len, &set, errp) < 0) {
            return -EINVAL;
        }
    }

    for (unsigned w = 0; w < FEAT_WORDS; w++) {
        *x86_feature_word(env, w) = 0;
    }
    for (unsigned f = X86_FEAT_NONE + 1; f < X86_FEAT_NB; f++) {
        if (set & (1ull << f)) {
            *x86_feature_word(env, x86_features[f].word) |= 1u << x86_features[f].bit;
        }
    }
    env->cpuid_level = m->level;
    env->cpuid_xlevel = m->xlevel;
    /* EBX, EDX, ECX order of leaf 0 */
    memcpy(&env->cpuid_vendor[0], vendor, 4);
    memcpy(&env->cpuid_vendor[1], vendor + 4, 4);
    memcpy(&env->cpuid_vendor[2], vendor + 8, 4);
    /* family > 15 and model > 15 would go to the extended fields */
    env->cpuid_version = ((uint32_t)(m->model >> 4) << 16) | ((uint32_t)m->family << 8) |
                         ((m->model & 0xfu) << 4) | m->stepping;
    memset(env->cpuid_model_id, 0, sizeof(env->cpuid_model_id));
    snprintf(env->cpuid_model_id, sizeof(env->cpuid_model_id), "%s", m->brand);
    env->topo = topo ? *topo : (CpuTopology){ .cpus = 1, .sockets = 1, .cores = 1,
                                              .threads = 1, .max_cpus = 1 };
    env->cpuid_host = host;
    return 0;
}

int x86_cpu_configure(X86CPU *cpu, const char *spec, const CpuTopology *topo, bool host_ok,
                      Error **errp)
{
    int ret = x86_cpu_model_init(&cpu->env, spec, topo, host_ok, errp);

    if (ret == 0) {
        x86_cpu_reset(cpu);                     /* EDX = the new signature */
    }
    return ret;
}

void x86_cpu_list(FILE *f)
{
    fprintf(f, "CPU models (-cpu NAME[,+FEATURE,-FEATURE,FEATURE=on|off...]):\n");
    for (size_t i = 0; i < ARRAY_SIZE(x86_cpu_models); i++) {
        fprintf(f, "  %-10s %s\n", x86_cpu_models[i].name, x86_cpu_models[i].desc);
    }
    fprintf(f, "  %-10s %s\n", "host", "what KVM supports on this host (-accel kvm only)");
    fprintf(f, "\nCPUID features (max has them all):\n");
    for (unsigned i = X86_FEAT_NONE + 1, col = 0; i < X86_FEAT_NB; i++) {
        col += (unsigned)fprintf(f, "%s%s", col ? " " : "  ", x86_features[i].name);
        if (col > 66 || i == X86_FEAT_NB - 1) {
            fprintf(f, "\n");
            col = 0;
        }
    }
}
