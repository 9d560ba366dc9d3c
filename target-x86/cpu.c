/*
 * cpu.c: the x86 CPU object: creation, the architectural reset state, the
 * mode bits (hflags) derived from the control and segment registers, the
 * CPUID model and the register dump ("info registers", -d int).
 *
 * The CPU models (-cpu) are cpu-models.c's table; docs/cpu.md describes
 * them.  Every model: 40-bit physical addresses (internal.h), 48-bit
 * virtual ones (57 with LA57, x86_linear_bits), a 2 GHz invariant TSC from the host clock
 * (misc_insn_helper.c).
 *
 * hflags invariant: every bit except HF_INHIBIT_IRQ_MASK is a function of
 * CR0, CR4, EFER, EFLAGS.TF/VM, DR7 and the segment caches; x86_update_hflags
 * recomputes them and must run after any change to those (segment loads
 * through cpu_x86_load_seg_cache do it themselves).
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/x87.h"
#include "target-x86/cpu-models.h"

/* ---- CPUID (the model: cpu-models.c, topology: cpu-topology.c) ---------- */

void cpu_x86_cpuid(CPUX86State *env, uint32_t leaf, uint32_t subleaf,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    /* Leaves past the maximum return the highest basic leaf (as Intel does). */
    if (leaf >= 0x80000000u ? leaf > env->cpuid_xlevel : leaf > env->cpuid_level) {
        leaf = env->cpuid_level;
    }
    *eax = *ebx = *ecx = *edx = 0;

    switch (leaf) {
    case 0:
        *eax = env->cpuid_level;
        *ebx = env->cpuid_vendor[0];
        *edx = env->cpuid_vendor[1];
        *ecx = env->cpuid_vendor[2];
        break;
    case 1:
        *eax = env->cpuid_version;
        *ecx = env->cpuid_ext_features;
        if (env->cr[4] & CR4_OSXSAVE_MASK) {
            *ecx |= 1u << 27;                   /* OSXSAVE */
        }
        *edx = env->cpuid_features;
        x86_cpuid_topology_leaf1(env, ebx, edx);
        break;
    case 2:
    case 4:
    case 0xb:
        x86_cpuid_cache_topology_leaf(env, leaf, subleaf, eax, ebx, ecx, edx);
        break;
    case 0xd:
        if (x86_feature_enabled(env, X86_FEAT_XSAVE)) {
            x86_cpuid_xsave_leaf(env, subleaf, eax, ebx, ecx, edx);
        }
        break;
    case 7:
        if (subleaf == 0) {
            *ebx = env->cpuid_7_0_ebx;
            *ecx = env->cpuid_7_0_ecx;
            if (env->cr[4] & CR4_PKE_MASK) {
                *ecx |= 1u << 4;                /* OSPKE */
            }
            *edx = env->cpuid_7_0_edx;
        }
        break;
    case 0x80000000u:
        *eax = env->cpuid_xlevel;
        break;
    case 0x80000001u:
        *ecx = env->cpuid_ext3_features;
        *edx = env->cpuid_ext2_features;
        break;
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u: {
        const char *p = env->cpuid_model_id + (leaf - 0x80000002u) * 16;
        memcpy(eax, p, 4);
        memcpy(ebx, p + 4, 4);
        memcpy(ecx, p + 8, 4);
        memcpy(edx, p + 12, 4);
        break;
    }
    case 0x80000008u:
        *eax = (x86_linear_bits(env) << 8) | X86_PHYS_ADDR_BITS;
        break;
    default:
        break;
    }
}

/* ---- mode bits -------------------------------------------------------- */

void x86_update_hflags(CPUX86State *env)
{
    uint32_t hf = env->hflags & HF_INHIBIT_IRQ_MASK;
    uint32_t cs_flags = env->segs[R_CS].flags;

    if (env->cr[0] & CR0_PE_MASK) {
        hf |= HF_PE_MASK;
        if (env->eflags & VM_MASK) {
            hf |= 3;
        } else {
            /* SS.DPL is the CPL (equal to CS.DPL except for conforming code). */
            hf |= (env->segs[R_SS].flags >> DESC_DPL_SHIFT) & 3;
        }
    }
    if (env->cr[0] & CR0_PG_MASK) {
        hf |= HF_PG_MASK;
    }
    if (env->efer & EFER_LMA) {
        hf |= HF_LMA_MASK;
    }
    if ((hf & HF_LMA_MASK) && (cs_flags & DESC_L_MASK)) {
        /* 64-bit mode: default operand size 32, so CS32/SS32 are set too. */
        hf |= HF_CS64_MASK | HF_CS32_MASK | HF_SS32_MASK;
    } else {
        if (cs_flags & DESC_B_MASK) {
            hf |= HF_CS32_MASK;
        }
        if (env->segs[R_SS].flags & DESC_B_MASK) {
            hf |= HF_SS32_MASK;
        }
    }
    if (env->eflags & TF_MASK) {
        hf |= HF_TF_MASK;
    }
    hf |= (env->cr[4] & CR4_OSFXSR_MASK) ? HF_OSFXSR_MASK : 0;
    hf |= (env->cr[0] & CR0_EM_MASK) ? HF_EM_MASK : 0;
    hf |= (env->cr[0] & CR0_TS_MASK) ? HF_TS_MASK : 0;
    hf |= (env->cr[0] & CR0_MP_MASK) ? HF_MP_MASK : 0;
    hf |= (env->cr[4] & CR4_OSXSAVE_MASK) ? HF_OSXSAVE_MASK : 0;
    hf |= (env->cr[0] & CR0_AM_MASK) ? HF_AM_MASK : 0;
    hf |= (env->cr[4] & CR4_FSGSBASE_MASK) ? HF_FSGSBASE_MASK : 0;
    hf |= x86_debug_io_armed(env) ? HF_IOBPT_MASK : 0;   /* DR7, CR4.DE */
    hf |= (env->cr[4] & CR4_LA57_MASK) ? HF_LA57_MASK : 0;
    /* ADDSEG: the translator must add DS/ES/SS bases.  64-bit mode
     * ignores them; 16-bit and real/v86 code always adds them. */
    if (!(hf & HF_CS64_MASK)) {
        if (!(hf & HF_PE_MASK) || (env->eflags & VM_MASK) || !(hf & HF_CS32_MASK)) {
            hf |= HF_ADDSEG_MASK;
        } else if ((env->segs[R_DS].base | env->segs[R_ES].base | env->segs[R_SS].base) != 0) {
            hf |= HF_ADDSEG_MASK;
        }
    }
    env->hflags = hf | x86_segchk_hflags(env, hf);
}

void cpu_x86_load_seg_cache(CPUX86State *env, int seg, uint32_t selector,
                            uint64_t base, uint32_t limit, uint32_t flags)
{
    SegmentCache *sc = &env->segs[seg];

    assert(seg >= 0 && seg < NB_SEGS);
    sc->selector = selector;
    sc->base = base;
    sc->limit = limit;
    sc->flags = flags;
    x86_update_hflags(env);
}

/* ---- lifecycle -------------------------------------------------------- */

#define CR0_RESET_VALUE     0x60000010u   /* CD, NW, ET */

void x86_cpu_reset(X86CPU *cpu)
{
    CPUState *cs = &cpu->parent;
    CPUX86State *env = &cpu->env;
    /* Data segments: present, writable, accessed; CS also code, readable. */
    const uint32_t data_flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK;
    const uint32_t code_flags = DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK |
                                DESC_A_MASK;

    /* Everything before the CPUID model is architectural state. */
    memset(env, 0, offsetof(CPUX86State, cpuid_level));

    /* SDM vol.3 §9.1.1, table 9-1 */
    env->regs[R_EDX] = env->cpuid_version;
    env->rip = 0xfff0;
    env->eflags = 0x2;
    env->df = 1;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    env->cr[0] = CR0_RESET_VALUE;
    for (int seg = 0; seg < NB_SEGS; seg++) {
        env->segs[seg] = (SegmentCache){ 0, 0, 0xffff, data_flags };
    }
    env->segs[R_CS] = (SegmentCache){ 0xf000, 0xffff0000u, 0xffff, code_flags };
    env->ldt = (SegmentCache){ 0, 0, 0xffff, DESC_P_MASK | (SYS_LDT << DESC_TYPE_SHIFT) };
    env->tr = (SegmentCache){ 0, 0, 0xffff, DESC_P_MASK | (SYS_TSS32_BUSY << DESC_TYPE_SHIFT) };
    env->gdt.limit = 0xffff;
    env->idt.limit = 0xffff;
    env->xcr0 = 1;
    env->mxcsr = MXCSR_DEFAULT;    /* sse_status (zeroed) matches it */
    x86_fpu_reset(env);
    x86_msr_reset(env);     /* PAT, APIC_BASE, MISC_ENABLE, MCA (msr_helper.c) */
    env->old_exception = -1;
    env->dr[6] = DR6_FIXED_1;
    env->dr[7] = DR7_FIXED_1;
    x86_debug_sync_watchpoints(env);
    x86_update_hflags(env);

    tlb_init(&env->tlb);
    cs->halted = false;
    cs->exception_index = EXCP_NONE;
}

X86CPU *x86_cpu_create(int index, AddressSpace *mem, AddressSpace *io, Error **errp)
{
    X86CPU *cpu;

    if (index < 0 || index > 255) {
        error_setg(errp, "CPU index %d out of range (0-255)", index);
        return NULL;
    }
    cpu = tern_malloc0(sizeof(*cpu));
    cpu->parent.cpu_index = index;
    cpu->parent.as = mem;
    cpu->parent.env_ptr = &cpu->env;
    cpu->env.io_as = io;
    x86_cpu_model_init(&cpu->env, NULL, NULL, false, NULL);     /* "max": cannot fail */
    x86_cpu_reset(cpu);
    return cpu;
}

void x86_cpu_destroy(X86CPU *cpu)
{
    tlb_destroy(&cpu->env.tlb);
    free(cpu);
}

/* ---- register dump ---------------------------------------------------- */

static void x86_dump_seg(CPUX86State *env, FILE *f, const char *name, const SegmentCache *sc)
{
    static const char *const sys_type_name[2][16] = {
        { "Reserved", "TSS16-avl", "LDT", "TSS16-busy", "CallGate16", "TaskGate",
          "IntGate16", "TrapGate16", "Reserved", "TSS32-avl", "Reserved", "TSS32-busy",
          "CallGate32", "Reserved", "IntGate32", "TrapGate32" },
        { "<hiword>", "Reserved", "LDT", "Reserved", "Reserved", "Reserved", "Reserved",
          "Reserved", "Reserved", "TSS64-avl", "Reserved", "TSS64-busy", "CallGate64",
          "Reserved", "IntGate64", "TrapGate64" },
    };
    uint32_t fl = sc->flags;

    if (env->hflags & HF_CS64_MASK) {
        fprintf(f, "%-3s=%04x %016" PRIx64 " %08x %08x", name, sc->selector, sc->base,
                sc->limit, fl & 0x00ffff00);
    } else {
        fprintf(f, "%-3s=%04x %08x %08x %08x", name, sc->selector, (uint32_t)sc->base,
                sc->limit, fl & 0x00ffff00);
    }
    if ((env->hflags & HF_PE_MASK) && (fl & DESC_P_MASK)) {
        fprintf(f, " DPL=%u ", (fl & DESC_DPL_MASK) >> DESC_DPL_SHIFT);
        if (!(fl & DESC_S_MASK)) {
            fprintf(f, "%s", sys_type_name[(env->hflags & HF_LMA_MASK) ? 1 : 0]
                                          [(fl & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT]);
        } else if (fl & DESC_CS_MASK) {
            fprintf(f, "%s [%c%c%c]",
                    (fl & DESC_L_MASK) ? "CS64" : (fl & DESC_B_MASK) ? "CS32" : "CS16",
                    (fl & DESC_C_MASK) ? 'C' : '-', (fl & DESC_R_MASK) ? 'R' : '-',
                    (fl & DESC_A_MASK) ? 'A' : '-');
        } else {
            fprintf(f, "%s [%c%c%c]",
                    ((fl & DESC_B_MASK) || (env->hflags & HF_LMA_MASK)) ? "DS  " : "DS16",
                    (fl & DESC_E_MASK) ? 'E' : '-', (fl & DESC_W_MASK) ? 'W' : '-',
                    (fl & DESC_A_MASK) ? 'A' : '-');
        }
    }
    fprintf(f, "\n");
}

void x86_cpu_dump_state(CPUState *cs, FILE *f)
{
    CPUX86State *env = cpu_env(cs);
    uint64_t eflags = cpu_compute_eflags(env);
    static const char *const seg_names[NB_SEGS] = { "ES", "CS", "SS", "DS", "FS", "GS" };
    static const char *const reg_names64[CPU_NB_REGS] = {
        "RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
        "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
    };
    /* QEMU's order: A B C D, SI DI BP SP, then R8-R15. */
    static const int order[CPU_NB_REGS] = {
        R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
        R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    };
    char flag_letters[8];
    static const struct { uint32_t mask; char letter; } flag_table[] = {
        { DF_MASK, 'D' }, { CC_O, 'O' }, { CC_S, 'S' }, { CC_Z, 'Z' },
        { CC_A, 'A' }, { CC_P, 'P' }, { CC_C, 'C' },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(flag_table); i++) {
        flag_letters[i] = (eflags & flag_table[i].mask) ? flag_table[i].letter : '-';
    }
    flag_letters[ARRAY_SIZE(flag_table)] = 0;

    if (env->hflags & HF_LMA_MASK) {
        for (int i = 0; i < CPU_NB_REGS; i++) {
            fprintf(f, "%-3s=%016" PRIx64 "%c", reg_names64[order[i]], env->regs[order[i]],
                    (i & 3) == 3 ? '\n' : ' ');
        }
        fprintf(f, "RIP=%016" PRIx64 " RFL=%08x [%s] CPL=%u II=%d A20=%d SMM=0 HLT=%d\n",
                env->rip, (uint32_t)eflags, flag_letters, env->hflags & HF_CPL_MASK,
                !!(env->hflags & HF_INHIBIT_IRQ_MASK), !env->a20_off, cs->halted);
    } else {
        static const char *const reg_names32[8] = {
            "EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI",
        };
        for (int i = 0; i < 8; i++) {
            fprintf(f, "%s=%08x%c", reg_names32[order[i]], (uint32_t)env->regs[order[i]],
                    (i & 3) == 3 ? '\n' : ' ');
        }
        fprintf(f, "EIP=%08x EFL=%08x [%s] CPL=%u II=%d A20=%d SMM=0 HLT=%d\n",
                (uint32_t)env->rip, (uint32_t)eflags, flag_letters,
                env->hflags & HF_CPL_MASK, !!(env->hflags & HF_INHIBIT_IRQ_MASK), !env->a20_off,
                cs->halted);
    }
    for (int seg = 0; seg < NB_SEGS; seg++) {
        x86_dump_seg(env, f, seg_names[seg], &env->segs[seg]);
    }
    x86_dump_seg(env, f, "LDT", &env->ldt);
    x86_dump_seg(env, f, "TR", &env->tr);
    if (env->hflags & HF_LMA_MASK) {
        fprintf(f, "GDT=     %016" PRIx64 " %08x\n", env->gdt.base, env->gdt.limit);
        fprintf(f, "IDT=     %016" PRIx64 " %08x\n", env->idt.base, env->idt.limit);
        fprintf(f, "CR0=%08x CR2=%016" PRIx64 " CR3=%016" PRIx64 " CR4=%08x\n",
                (uint32_t)env->cr[0], env->cr[2], env->cr[3], (uint32_t)env->cr[4]);
    } else {
        fprintf(f, "GDT=     %08x %08x\n", (uint32_t)env->gdt.base, env->gdt.limit);
        fprintf(f, "IDT=     %08x %08x\n", (uint32_t)env->idt.base, env->idt.limit);
        fprintf(f, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", (uint32_t)env->cr[0],
                (uint32_t)env->cr[2], (uint32_t)env->cr[3], (uint32_t)env->cr[4]);
    }
    fprintf(f, "CCS=%016" PRIx64 " CCD=%016" PRIx64 " CCO=%u\n", env->cc_src, env->cc_dst,
            env->cc_op);
    fprintf(f, "EFER=%016" PRIx64 "\n", env->efer);
}
