/*
 * ref-kvm.c: KVM as the compare engine's reference (-accel compare,ref=kvm).
 *
 * The machine's CPU runs in a KVM vCPU (accel/kvm/kvm-ref.h) one
 * instruction per step (KVM_SET_GUEST_DEBUG single-step) with tern's own
 * interrupt controllers.  Interrupts and NMIs are delivered here, between
 * instructions, by tern's own delivery code (x86_cpu_exec_interrupt), so
 * each is a step of its own at a known point with its vector recorded,
 * as under ref=tcg; the delivery itself is therefore not hardware's.
 * Port and MMIO exits go through the memory API: recorded there.
 *
 * What KVM answers without an exit is read back after the step and
 * recorded as the TCG helpers would consume it: RDTSC/RDTSCP (REPLAY_TSC),
 * RDRAND/RDSEED (REPLAY_RAND), CPUID (REPLAY_CPUID: KVM's CPUID is the
 * host's in places), RDMSR/WRMSR (REPLAY_MSR*).  The instruction is known
 * by its bytes at RIP, read before the step.
 */
#include "util/osdep.h"
#include "accel/compare/compare.h"
#include "accel/kvm/kvm-ref.h"
#include "target-x86/gdbstub.h"
#include "sysemu/runstate.h"

typedef enum RefOp {
    OP_NONE, OP_TSC, OP_RAND, OP_CPUID, OP_RDMSR, OP_WRMSR, OP_CR8, OP_PUSHF,
} RefOp;

typedef struct RefInsn {
    RefOp op;
    unsigned len;            /* bytes, prefixes included */
    int reg;                 /* OP_RAND: the destination */
    uint64_t rip;
    uint64_t ecx, msr_val;   /* OP_WRMSR, OP_CPUID: the inputs */
    uint64_t eax;
    uint32_t undef;          /* CC_* the instruction leaves undefined */
    int undef_reg;           /* a register it leaves undefined, or -1 */
    uint16_t undef_fpus;     /* x87 status bits it leaves undefined */
    unsigned size;           /* OP_PUSHF: bytes pushed */
    bool tf;                 /* OP_PUSHF: the guest's own TF */
    bool ss_load;            /* MOV SS, POP SS: the trap comes one later */
    bool rep;                /* REP string: KVM traps after each iteration */
} RefInsn;

static uint32_t ref_kvm_undef;   /* of the last step (one vCPU) */
static int ref_kvm_undef_reg = -1;
static uint16_t ref_kvm_undef_fpus;
static unsigned ref_kvm_insns;

static bool is_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
           b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

/* The instructions whose result KVM computes without telling us. */
static void ref_kvm_decode(CPUState *cs, RefInsn *in)
{
    CPUX86State *env = cpu_env(cs);
    bool code64 = env->hflags & HF_CS64_MASK;
    uint64_t pc = env->segs[R_CS].base + env->rip;
    uint8_t b[16];
    unsigned n, i = 0, rex = 0;

    *in = (RefInsn){ .op = OP_NONE, .undef_reg = -1, .rip = env->rip, .ecx = env->regs[R_ECX],
                     .eax = env->regs[R_EAX],
                     .msr_val = (env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_EAX] };
    pc = code64 ? pc : (uint32_t)pc;
    for (n = 0; n < sizeof(b) && x86_gdb_rw_memory(cs, pc + n, &b[n], 1, false) == 0; n++) {
    }
    bool repz = false, f3 = false, o16 = false;

    while (i < n && is_prefix(b[i])) {
        repz |= b[i] == 0xf2 || b[i] == 0xf3;
        f3 |= b[i] == 0xf3;
        o16 |= b[i] == 0x66;
        i++;
    }
    if (code64 && i < n && (b[i] & 0xf0) == 0x40) {
        rex = b[i++];
    }
    if (repz && i < n && ((b[i] >= 0x6c && b[i] <= 0x6f) || (b[i] >= 0xa4 && b[i] <= 0xa7) ||
                          (b[i] >= 0xaa && b[i] <= 0xaf))) {
        in->rep = true;
        return;
    }
    /* 8e /2: MOV SS, r/m; 17: POP SS (not in 64-bit code); fb: STI, whose
     * shadow held the trap back too in the nested environment (KVM on
     * QEMU's SVM: pic's sti ran with the next instruction) */
    if ((i + 1 < n && b[i] == 0x8e && ((b[i + 1] >> 3) & 7) == 2) ||
        (i < n && ((b[i] == 0x17 && !code64) || b[i] == 0xfb))) {
        in->ss_load = true;
        return;
    }
    /* shifts and rotates by a count (C0/C1 register form: imm8; D2/D3:
     * CL): OF is undefined unless the count is 1, a shift's AF unless it is 0 */
    if (i + 1 < n && (b[i] == 0xc0 || b[i] == 0xc1 || b[i] == 0xd2 || b[i] == 0xd3)) {
        unsigned modrm = b[i + 1], shift = ((modrm >> 3) & 7) >= 4;
        int count = b[i] >= 0xd2 ? (int)(env->regs[R_ECX] & 0xff)
                  : (modrm >> 6) == 3 && i + 2 < n ? b[i + 2] : -1;

        if (count >= 0) {
            count &= (rex & 8) ? 0x3f : 0x1f;
            in->undef = (count > 1 ? CC_O : 0) | (shift && count ? CC_A : 0);
        }
        return;
    }
    /* F6/F7 /4../7: MUL and IMUL leave SF ZF AF PF undefined, DIV and
     * IDIV all six; 69, 6B: IMUL with an immediate */
    if (i + 1 < n && (b[i] == 0xf6 || b[i] == 0xf7) && ((b[i + 1] >> 3) & 7) >= 4) {
        in->undef = ((b[i + 1] >> 3) & 7) >= 6 ? CC_C | CC_O | CC_S | CC_Z | CC_A | CC_P
                  : CC_S | CC_Z | CC_A | CC_P;
        return;
    }
    if (i < n && (b[i] == 0x69 || b[i] == 0x6b)) {
        in->undef = CC_S | CC_Z | CC_A | CC_P;
        return;
    }
    /* x87: C0 C2 C3 are undefined after most instructions; defined by the
     * compares, FTST, FXAM, FPREM(1), the trigonometric ones' C2, and the
     * loads of the whole environment */
    if (i + 1 < n && b[i] >= 0xd8 && b[i] <= 0xdf) {
        unsigned op = b[i], m = b[i + 1], reg = (m >> 3) & 7;
        bool mem = (m >> 6) != 3;
        bool defines =
            ((op == 0xd8 || op == 0xdc) && (reg == 2 || reg == 3)) ||      /* FCOM(P) */
            ((op == 0xda || op == 0xde) && mem && (reg == 2 || reg == 3)) || /* FICOM(P) */
            (op == 0xde && m == 0xd9) || (op == 0xda && m == 0xe9) ||     /* FCOMPP FUCOMPP */
            (op == 0xdd && !mem && (reg == 4 || reg == 5)) ||             /* FUCOM(P) */
            (op == 0xd9 && (m == 0xe4 || m == 0xe5 || m == 0xf5 || m == 0xf8 || m == 0xf2 ||
                            m == 0xfb || m == 0xfe || m == 0xff)) ||
            ((op == 0xd9 || op == 0xdd) && mem && reg == 4) ||            /* FLDENV FRSTOR */
            (op == 0xdb && m == 0xe3);                                    /* FNINIT */

        in->undef_fpus = defines ? 0 : 0x4500;
        return;
    }
    /* 9C: PUSHF pushes KVM's single-step TF too: taken out after the step */
    if (i < n && b[i] == 0x9c) {
        in->op = OP_PUSHF;
        in->size = o16 ? 2 : code64 ? 8 : (env->segs[R_CS].flags & DESC_B_MASK) ? 4 : 2;
        in->tf = env->eflags & TF_MASK;
        return;
    }
    if (i + 2 > n || b[i] != 0x0f) {
        return;
    }
    in->len = i + 2;
    switch (b[i + 1]) {
    case 0xaf:                                   /* IMUL r, r/m */
        in->undef = CC_S | CC_Z | CC_A | CC_P;
        break;
    case 0xbc:                                   /* BSF, BSR; F3: TZCNT, LZCNT */
    case 0xbd:
        in->undef = (f3 ? 0 : CC_C) | CC_O | CC_S | CC_A | CC_P;
        /* BSF/BSR of a zero register: the destination is undefined too
         * (kept, or zero-extended from 32 bits: both seen) */
        if (!f3 && i + 2 < n && (b[i + 2] >> 6) == 3) {
            unsigned src = (b[i + 2] & 7) | ((rex & 1) << 3);
            uint64_t v = env->regs[src];

            v = (rex & 8) ? v : o16 ? (uint16_t)v : (uint32_t)v;
            if (!v) {
                in->undef_reg = ((b[i + 2] >> 3) & 7) | ((rex & 4) << 1);
            }
        }
        break;
    case 0xa3:                                   /* BT BTS BTR BTC */
    case 0xab:
    case 0xb3:
    case 0xbb:
    case 0xba:
        in->undef = CC_O | CC_S | CC_A | CC_P;
        break;
    case 0xa4:                                   /* SHLD, SHRD */
    case 0xa5:
    case 0xac:
    case 0xad:
        in->undef = CC_O | CC_A;
        break;
    case 0x20:                                   /* MOV r, CR8 (REX.R, reg 0) */
        if ((rex & 4) && i + 2 < n && ((b[i + 2] >> 3) & 7) == 0) {
            in->op = OP_CR8;
            in->reg = (b[i + 2] & 7) | ((rex & 1) << 3);
        }
        break;
    case 0x31:
        in->op = OP_TSC;
        break;
    case 0xa2:
        in->op = OP_CPUID;
        break;
    case 0x32:
        in->op = OP_RDMSR;
        break;
    case 0x30:
        in->op = OP_WRMSR;
        break;
    case 0x01:                                   /* 0f 01 f9: RDTSCP */
        if (i + 2 < n && b[i + 2] == 0xf9) {
            in->op = OP_TSC;
            in->len = i + 3;
        }
        break;
    case 0xc7:                                   /* 0f c7 /6 /7, register: RDRAND, RDSEED */
        if (i + 2 < n && (b[i + 2] >> 6) == 3 && ((b[i + 2] >> 3) & 7) >= 6) {
            in->op = OP_RAND;
            in->reg = (b[i + 2] & 7) | ((rex & 1) << 3);
            in->len = i + 3;
        }
        break;
    }
}

/* After the step: record what the TCG helper will ask for, in its order. */
static void ref_kvm_record(CPUState *cs, const RefInsn *in)
{
    CPUX86State *env = cpu_env(cs);
    bool done = env->rip != in->rip;   /* faulted: rip at the handler, also moved */
    uint32_t index = (uint32_t)in->ecx;
    uint64_t edx_eax = (env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_EAX];
    bool code64 = env->hflags & HF_CS64_MASK;

    if (!done) {
        return;
    }
    switch (in->op) {
    case OP_NONE:
        break;
    case OP_TSC:
        replay_value(REPLAY_TSC, NULL, 0, 8, edx_eax);
        break;
    case OP_RAND:
        replay_value(REPLAY_RAND, NULL, 0, 8, env->regs[in->reg]);
        break;
    case OP_CR8:
        replay_value(REPLAY_CR8, NULL, 0, 8, env->regs[in->reg]);
        break;
    case OP_PUSHF: {
        uint64_t sp = env->segs[R_SS].base +
                      (code64 ? env->regs[R_ESP] : (uint32_t)env->regs[R_ESP]);
        uint8_t flags;

        /* byte 1 of the image holds TF (bit 8) */
        if (!in->tf && x86_gdb_rw_memory(cs, sp + 1, &flags, 1, false) == 0 &&
            (flags & (TF_MASK >> 8))) {
            flags &= ~(TF_MASK >> 8);
            x86_gdb_rw_memory(cs, sp + 1, &flags, 1, true);
        }
        break;
    }
    case OP_CPUID: {
        uint64_t key = (in->ecx << 32) | (uint32_t)in->eax;

        replay_value(REPLAY_CPUID, NULL, key, 8,
                     ((uint64_t)(uint32_t)env->regs[R_EBX] << 32) | (uint32_t)env->regs[R_EAX]);
        replay_value(REPLAY_CPUID, NULL, key, 8,
                     ((uint64_t)(uint32_t)env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_ECX]);
        break;
    }
    case OP_RDMSR: {
        bool ok = env->rip == in->rip + in->len;

        replay_value(REPLAY_MSR_OK, NULL, index, 1, ok);
        if (ok) {
            replay_value(REPLAY_MSR, NULL, index, 8, edx_eax);
        }
        break;
    }
    case OP_WRMSR:
        replay_value(REPLAY_MSR_WRITE, NULL, index, 8, in->msr_val);
        replay_value(REPLAY_MSR_OK, NULL, index, 1, env->rip == in->rip + in->len);
        break;
    }
}

static void ref_kvm_thread_init(CPUState *cs)
{
    kvm_ref_thread_init(cs);
}

static CompareStep ref_kvm_step_insn(CPUState *cs);

static CompareStep ref_kvm_step(CPUState *cs)
{
    unsigned req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_ACQUIRE) &
                   (CPU_INTERRUPT_HARD | CPU_INTERRUPT_NMI | CPU_INTERRUPT_INIT |
                    CPU_INTERRUPT_SIPI);

    ref_kvm_undef = 0;
    ref_kvm_undef_reg = -1;
    ref_kvm_undef_fpus = 0;
    ref_kvm_insns = 1;
    kvm_ref_sync(cs);           /* env current: the delivery and the decoder read it */
    if (req) {
        bool took, locked = bql_lock_unless_held();

        took = x86_cpu_exec_interrupt(cs, req);
        if (locked) {
            bql_unlock();
        }
        if (took) {
            kvm_ref_env_changed(cs);
            return COMPARE_STEP_INSN;
        }
    }
    if (cs->halted) {
        return COMPARE_STEP_NONE;
    }
    return ref_kvm_step_insn(cs);
}

static CompareStep ref_kvm_step_insn(CPUState *cs)
{
    RefInsn in;
    KVMRefStep r;

    ref_kvm_undef = 0;
    ref_kvm_insns = 1;
    kvm_ref_sync(cs);
    ref_kvm_decode(cs, &in);
    ref_kvm_undef = in.undef;
    ref_kvm_undef_reg = in.undef_reg;
    ref_kvm_undef_fpus = in.undef_fpus;
    ref_kvm_insns = 1;
    /* a REP string instruction is one step, as the shadow's TCG runs it:
     * step KVM's iterations until rip leaves it */
    do {
        r = kvm_ref_step(cs);
        if (r == KVM_REF_NONE) {
            return COMPARE_STEP_NONE;
        }
        kvm_ref_sync(cs);
    } while (in.rep && r == KVM_REF_INSN && cpu_env(cs)->rip == in.rip &&
             !runstate_shutdown_requested());
    /* up to two ran (one if MOV SS faulted): compare-accel.c steps the
     * shadow again while its rip differs */
    if (in.ss_load) {       /* the second may be HLT */
        ref_kvm_insns = 2;
    }
    ref_kvm_record(cs, &in);
    return r == KVM_REF_HLT ? COMPARE_STEP_HLT : COMPARE_STEP_INSN;
}

/* A put env is read back first, so that the shadow starts from KVM's
 * view of it (the nested test CPU reads MXCSR 0 after a put of 0x1f80). */
static void ref_kvm_sync_state(CPUState *cs)
{
    kvm_ref_load(cs);
}

static CompareRun ref_kvm_run(CPUState *cs, bool stop, uint64_t stop_rip)
{
    static const CompareRun as_run[] = {
        [KVM_REF_NONE] = COMPARE_RUN_NONE, [KVM_REF_INSN] = COMPARE_RUN_NONE,
        [KVM_REF_HLT] = COMPARE_RUN_HLT, [KVM_REF_IO] = COMPARE_RUN_EVENT,
        [KVM_REF_AT] = COMPARE_RUN_AT, [KVM_REF_KICKED] = COMPARE_RUN_KICKED,
    };

    return as_run[kvm_ref_run(cs, stop, stop_rip)];
}

static void ref_kvm_reset(CPUState *cs)
{
    kvm_ref_reset(cs);
}

static uint32_t ref_kvm_undefined_flags(CPUState *cs)
{
    return ref_kvm_undef;
}

static int ref_kvm_undefined_reg(CPUState *cs)
{
    return ref_kvm_undef_reg;
}

static uint16_t ref_kvm_undefined_fpus(CPUState *cs)
{
    return ref_kvm_undef_fpus;
}

static unsigned ref_kvm_insns_run(CPUState *cs)
{
    return ref_kvm_insns;
}

const CompareRefOps compare_ref_kvm = {
    .name = "kvm",
    .thread_init = ref_kvm_thread_init,
    .step = ref_kvm_step,
    .step_insn = ref_kvm_step_insn,
    .run = ref_kvm_run,
    .kick = kvm_ref_kick,
    .env_changed = kvm_ref_env_changed,
    .device_spaces = kvm_ref_device_spaces,
    .sync_state = ref_kvm_sync_state,
    .reset = ref_kvm_reset,
    .undefined_flags = ref_kvm_undefined_flags,
    .undefined_reg = ref_kvm_undefined_reg,
    .undefined_fpus = ref_kvm_undefined_fpus,
    .insns = ref_kvm_insns_run,
};
