/*
 * fpu_helper.c: the x87 FPU, called from translate-x87.c's code.
 *
 * The register stack: ST(i) is fpregs[(fpstt + i) & 7], fptags[p] = 1 when
 * physical register p is empty; fpus holds the status word without TOP.
 * A memory operand is converted into FT0 (a helper-private slot, see
 * fpu_ft0) by an fload helper and then used by the arithmetic helper; the
 * pair forms one instruction, so the exception flags of the conversion and
 * of the operation accumulate in fp_status and are merged into fpus once,
 * by fpu_end().  Arithmetic is util/softfloat-x80.c (the host's x87 on an
 * x86 host); fp_status follows fpuc (rounding and precision control) at
 * every fpuc write.
 *
 * Exceptions: a masked one gives the x87 default result (the QNaN
 * indefinite for IE, stack faults included).  An unmasked one sets ES and B
 * in the status word; the #MF itself is raised by the next waiting x87
 * instruction's prologue (helper_fpu_prologue) when CR0.NE is set.  What
 * else it does, as the host CPU does it: an unmasked IE, DE or ZE leaves
 * the destination alone and cancels the instruction's pops and pushes
 * (compares still set C0/C2/C3 or ZF PF CF; FLD m32/m64 of a denormal
 * with DE unmasked still loads); an unmasked OE or UE
 * delivers the result with its exponent rebiased by -/+24576
 * (util/softfloat-x80.c) and pops; a store to memory (helper_fstore) with
 * an unmasked IE, OE or UE stores nothing, does not pop and accesses no
 * memory.
 *
 * The transcendentals (F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS FSINCOS)
 * run on the host's x87 with the guest's control word, which makes them
 * bit-exact with the host CPU on Intel hosts; on other hosts (AMD's x87
 * differs in the last bits; and with TERN_X87_SOFT=1)
 * util/x87-transcendental.c computes them, within
 * one ulp of the x87 (docs/isa.md).
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/x87.h"
#include "util/log.h"
#include "util/host-cpu.h"
#include "util/x87-transcendental.h"

#define FPUS_EXC_MASK 0x3f
#define FPUS_CC_MASK  (FPUS_C0 | FPUS_C1 | FPUS_C2 | FPUS_C3)

/* FT0: the converted memory operand between an fload and its operation.
 * Per thread, like the translator's state: one instruction at a time.
 * Its conversion raises nothing itself: an SNaN stays signalling and a
 * denormal is remembered (fpu_ft0_denormal), so that the operation applies
 * the x87 priorities (a NaN operand hides DE). */
static __thread floatx80 fpu_ft0;
static __thread bool fpu_ft0_denormal;

static inline int fpu_phys(CPUX86State *env, int i)
{
    return (env->fpstt + i) & 7;
}

#define ST(i) (env->fpregs[fpu_phys(env, (i))])

static inline bool fpu_empty(CPUX86State *env, int i)
{
    return env->fptags[fpu_phys(env, i)];
}

void x86_fpu_sync_control(CPUX86State *env)
{
    env->fp_status.rounding_mode = (env->fpuc >> 10) & 3;
    env->fp_status.floatx80_precision = (env->fpuc >> 8) & 3;
    if (env->fp_status.floatx80_precision == 1) {
        env->fp_status.floatx80_precision = floatx80_precision_x;   /* reserved */
    }
    env->fp_status.overflow_unmasked = !(env->fpuc & float_flag_overflow);
    env->fp_status.underflow_unmasked = !(env->fpuc & float_flag_underflow);
}

/* Raise x87 exception bits: ES and B when any of them is unmasked. */
static void fpu_raise(CPUX86State *env, unsigned flags)
{
    env->fpus |= flags;
    if (flags & ~env->fpuc & FPUS_EXC_MASK) {
        env->fpus |= FPUS_ES | FPUS_B;
    }
}

/* The flags an operation starts from: PE when the guest's PE is set and
 * masked already, which raising it again cannot change, and with which
 * softfloat's host path need not clear the host's flags (softfloat.h). */
static uint8_t fpu_flags_seed(CPUX86State *env)
{
    return env->fpus & env->fpuc & float_flag_inexact;
}

static void fpu_begin(CPUX86State *env)
{
    env->fp_status.exception_flags = fpu_flags_seed(env);
    env->fp_status.floatx80_rounded_up = false;
}

/* Merge the operation's flags; C1 = rounded up.  Returns false when an
 * unmasked IE, DE or ZE forbids writing the result: the operation stopped
 * there, so (as on the host) only those flags are raised and C1 = 0. */
static bool fpu_end(CPUX86State *env)
{
    const unsigned pre = float_flag_invalid | float_flag_denormal | float_flag_divbyzero;
    unsigned f = env->fp_status.exception_flags;
    bool stop = f & ~env->fpuc & pre;

    env->fpus &= ~FPUS_C1;
    if (stop) {
        f &= pre;
    } else if (env->fp_status.floatx80_rounded_up) {
        env->fpus |= FPUS_C1;
    }
    fpu_raise(env, f);
    return !stop;
}

/* Stack overflow (push onto a full register) or underflow (an empty
 * operand): IE + SF, C1 = overflow.  Returns true when IE is masked, i.e.
 * the instruction goes on with the indefinite. */
static bool fpu_stack_fault(CPUX86State *env, bool overflow)
{
    env->fpus &= ~FPUS_C1;
    env->fpus |= FPUS_SE | (overflow ? FPUS_C1 : 0);
    fpu_raise(env, float_flag_invalid);
    return env->fpuc & float_flag_invalid;
}

/* ST(i) = v, tagged valid. */
static void fpu_set(CPUX86State *env, int i, floatx80 v)
{
    ST(i) = v;
    env->fptags[fpu_phys(env, i)] = 0;
}

/* Push v whether ST(7) is empty or not: no overflow check. */
static void fpu_push_over(CPUX86State *env, floatx80 v)
{
    env->fpstt = (env->fpstt - 1) & 7;
    fpu_set(env, 0, v);
}

/* ST(7) holds a value: a push overflows. */
static bool fpu_full(CPUX86State *env)
{
    return !env->fptags[(env->fpstt - 1) & 7];
}

/* Push v; onto a full ST(7) the overflow response. */
static void fpu_push(CPUX86State *env, floatx80 v)
{
    if (fpu_full(env)) {
        if (!fpu_stack_fault(env, true)) {
            return;
        }
        v = floatx80_default_nan();
    }
    fpu_push_over(env, v);
}

static void fpu_pop(CPUX86State *env)
{
    env->fptags[env->fpstt] = 1;
    env->fpstt = (env->fpstt + 1) & 7;
}

void x86_fpu_reset(CPUX86State *env)
{
    env->fpuc = FPUC_DEFAULT;
    env->fpus = 0;
    env->fpstt = 0;
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    x86_fpu_sync_control(env);
}

/* ---- prologue: #NM, pending #MF -------------------------------------- */

void helper_fpu_prologue(CPUX86State *env, uint32_t mode)
{
    uint64_t cr0 = env->cr[0];

    if (mode & X87_PRO_FWAIT) {
        if ((cr0 & (CR0_MP_MASK | CR0_TS_MASK)) == (CR0_MP_MASK | CR0_TS_MASK)) {
            raise_exception_ra(env, EXCP07_PREX, GETPC());
        }
    } else if (cr0 & (CR0_EM_MASK | CR0_TS_MASK)) {
        raise_exception_ra(env, EXCP07_PREX, GETPC());
    }
    if ((mode & X87_PRO_WAIT) && (env->fpus & FPUS_ES)) {
        if (cr0 & CR0_NE_MASK) {
            raise_exception_ra(env, EXCP10_COPR, GETPC());
        }
        /* CR0.NE = 0 would signal IRQ13 through the chipset: not modelled */
        log_mask(LOG_UNIMP, "x87: pending exception with CR0.NE=0 (IRQ13) ignored\n");
    }
}

/* ---- loads and stores -------------------------------------------------- */

static floatx80 fpu_convert_in(CPUX86State *env, uint64_t v, unsigned fmt)
{
    switch (fmt) {
    case X87_FMT_F32: return float32_to_floatx80((float32)v, &env->fp_status);
    case X87_FMT_F64: return float64_to_floatx80(v, &env->fp_status);
    default:          return int64_to_floatx80((int64_t)v, &env->fp_status);
    }
}

void helper_fload(CPUX86State *env, uint64_t v, uint32_t mode)
{
    fpu_begin(env);
    if (mode & X87_LD_FT0) {
        fpu_ft0 = fpu_convert_in(env, v, mode & X87_FMT_MASK);
        if (env->fp_status.exception_flags & float_flag_invalid) {
            fpu_ft0.low &= ~(1ull << 62);    /* an SNaN: keep it signalling */
        }
        fpu_ft0_denormal = env->fp_status.exception_flags & float_flag_denormal;
        env->fp_status.exception_flags = fpu_flags_seed(env);
        return;
    }
    {
        floatx80 r = fpu_convert_in(env, v, mode & X87_FMT_MASK);
        int p = (env->fpstt - 1) & 7;
        if (!env->fptags[p]) {
            fpu_push(env, r);                /* overflow */
            return;
        }
        /* an unmasked DE (a denormal m32/m64) still loads, as on the host */
        fpu_end(env);
        if (!(env->fp_status.exception_flags & ~env->fpuc & float_flag_invalid)) {
            fpu_push(env, r);
        }
    }
}

void helper_fldt(CPUX86State *env, uint64_t addr)
{
    int mmu = x86_cpu_mmu_index(env);
    floatx80 v;

    x86_check_alignment(env, addr, 8, GETPC());
    v.low = cpu_ld_data_ra(env_cpu(env), addr, MO_64, mmu, GETPC());
    v.high = (uint16_t)cpu_ld_data_ra(env_cpu(env), addr + 8, MO_16, mmu, GETPC());
    env->fpus &= ~FPUS_C1;
    fpu_push(env, v);
}

void helper_fbld(CPUX86State *env, uint64_t addr)
{
    int mmu = x86_cpu_mmu_index(env);
    uint8_t bcd[10];
    int i;

    x86_check_alignment(env, addr, 8, GETPC());
    for (i = 0; i < 10; i++) {
        bcd[i] = (uint8_t)cpu_ld_data_ra(env_cpu(env), addr + i, MO_8, mmu, GETPC());
    }
    fpu_begin(env);
    env->fpus &= ~FPUS_C1;
    fpu_push(env, floatx80_from_bcd(bcd, &env->fp_status));
}

/* ST(0) for reading; on an empty register the underflow response. */
static bool fpu_read_st0(CPUX86State *env, floatx80 *v)
{
    if (fpu_empty(env, 0)) {
        *v = floatx80_default_nan();
        return false;
    }
    *v = ST(0);
    return true;
}

/*
 * FST/FSTP m32/m64/m80, FIST/FISTP/FISTTP m16/m32/m64 and FBSTP: ST(0) to
 * memory at addr in mode's format, popped with X87_ST_POP.  As the host
 * CPU does it: with an unmasked IE (stack underflow included), OE or UE
 * nothing is stored, nothing popped and no memory accessed (so no #PF);
 * the status word gets only that flag (no PE) and C1 = 0.  Otherwise the
 * store is checked before anything changes, so that a #PF leaves the FPU
 * as it was, then the flags are merged, the value stored and ST(0) popped.
 */
void helper_fstore(CPUX86State *env, uint64_t addr, uint32_t mode)
{
    static const uint8_t size[] = {
        [X87_FMT_F32] = 4, [X87_FMT_F64] = 8, [X87_FMT_I16] = 2, [X87_FMT_I32] = 4,
        [X87_FMT_I64] = 8, [X87_FMT_F80] = 10, [X87_FMT_BCD] = 10,
    };
    static const MemOp memop[] = {
        [X87_FMT_F32] = MO_32, [X87_FMT_F64] = MO_64, [X87_FMT_I16] = MO_16,
        [X87_FMT_I32] = MO_32, [X87_FMT_I64] = MO_64,
        [X87_FMT_F80] = MO_64, [X87_FMT_BCD] = MO_64,   /* then 2 bytes at +8 */
    };
    static const int int_bits[] = { [X87_FMT_I16] = 16, [X87_FMT_I32] = 32,
                                    [X87_FMT_I64] = 64 };
    float_status *s = &env->fp_status;
    unsigned fmt = mode & X87_FMT_MASK, trapped;
    int mmu = x86_cpu_mmu_index(env);
    CPUState *cs = env_cpu(env);
    uintptr_t ra = GETPC();
    bool empty = fpu_empty(env, 0);
    floatx80 v = empty ? floatx80_default_nan() : ST(0);
    uint64_t lo = 0;
    uint16_t hi = 0;
    uint8_t bcd[10];
    int i;

    assert(fmt < ARRAY_SIZE(size));
    fpu_begin(env);
    switch (fmt) {
    case X87_FMT_F32: lo = floatx80_to_float32(v, s); break;
    case X87_FMT_F64: lo = floatx80_to_float64(v, s); break;
    case X87_FMT_F80:
        lo = v.low;
        hi = v.high;
        break;
    case X87_FMT_BCD:
        floatx80_to_bcd(v, bcd, s);
        for (i = 7; i >= 0; i--) {
            lo = lo << 8 | bcd[i];
        }
        hi = (uint16_t)(bcd[8] | bcd[9] << 8);
        break;
    default:
        lo = (uint64_t)floatx80_to_int(v, int_bits[fmt], mode & X87_ST_TRUNC, s);
        break;
    }
    if (empty) {
        /* stack underflow: IE, C1 = 0, the indefinite of the format */
        s->exception_flags = float_flag_invalid;
        s->floatx80_rounded_up = false;
    }
    trapped = s->exception_flags & ~env->fpuc &
              (float_flag_invalid | float_flag_overflow | float_flag_underflow);
    if (trapped) {
        s->exception_flags = trapped;
        s->floatx80_rounded_up = false;
    } else {
        /* the 10-byte formats need 8-byte alignment */
        x86_check_alignment(env, addr, size[fmt] == 10 ? 8 : size[fmt], ra);
        probe_write(cs, addr, size[fmt], mmu, ra);
    }
    if (empty) {
        env->fpus |= FPUS_SE;
    }
    fpu_end(env);
    if (trapped) {
        return;
    }
    cpu_st_data_ra(cs, addr, lo, memop[fmt], mmu, ra);
    if (size[fmt] == 10) {
        cpu_st_data_ra(cs, addr + 8, hi, MO_16, mmu, ra);
    }
    if (mode & X87_ST_POP) {
        fpu_pop(env);
    }
}

void helper_fpop(CPUX86State *env)
{
    fpu_pop(env);
}

/* FLD ST(i): push a copy.  An empty ST(i) is an underflow, reported as
 * such (C1 = 0) even with ST(7) full: the masked response pushes the
 * indefinite over it (as the host CPU does). */
void helper_fld_sti(CPUX86State *env, uint32_t i)
{
    env->fpus &= ~FPUS_C1;
    if (fpu_empty(env, i)) {
        if (fpu_stack_fault(env, false)) {
            fpu_push_over(env, floatx80_default_nan());
        }
        return;
    }
    fpu_push(env, ST(i));
}

/* FST ST(i), FSTP ST(i) with X87_AR_POP (arg: i | X87_AR_POP). */
void helper_fst_sti(CPUX86State *env, uint32_t arg)
{
    unsigned i = arg & 7;
    floatx80 v;

    env->fpus &= ~FPUS_C1;
    if (!fpu_read_st0(env, &v) && !fpu_stack_fault(env, false)) {
        return;
    }
    ST(i) = v;
    env->fptags[fpu_phys(env, i)] = 0;
    if (arg & X87_AR_POP) {
        fpu_pop(env);
    }
}

void helper_fxch(CPUX86State *env, uint32_t i)
{
    floatx80 t;

    env->fpus &= ~FPUS_C1;
    if (fpu_empty(env, 0) || fpu_empty(env, i)) {
        if (!fpu_stack_fault(env, false)) {
            return;
        }
        /* masked: empty registers become the indefinite, then exchange */
        if (fpu_empty(env, 0)) {
            ST(0) = floatx80_default_nan();
            env->fptags[fpu_phys(env, 0)] = 0;
        }
        if (fpu_empty(env, i)) {
            ST(i) = floatx80_default_nan();
            env->fptags[fpu_phys(env, i)] = 0;
        }
    }
    t = ST(0);
    ST(0) = ST(i);
    ST(i) = t;
}

/* FFREE, FFREEP (then helper_fpop): C1 = 0 (SDM: undefined; the host
 * clears it and keeps C0 C2 C3). */
void helper_ffree(CPUX86State *env, uint32_t i)
{
    env->fptags[fpu_phys(env, i)] = 1;
    env->fpus &= ~FPUS_C1;
}

/* FCMOVcc: cond (a jcc condition code) is evaluated on the guest EFLAGS.
 * C0-C3 are kept; an empty ST(0) or ST(i) is an underflow whose masked
 * response stores the indefinite in ST(0) whatever the condition (C1 = 0),
 * as the host CPU does. */
void helper_fcmov(CPUX86State *env, uint32_t arg)
{
    unsigned i = arg & 7, cc = arg >> 4;
    uint64_t fl = cpu_cc_compute_all(env, env->cc_op);
    bool take;

    switch (cc >> 1) {
    case 1:  take = fl & CC_C; break;               /* b */
    case 2:  take = fl & CC_Z; break;               /* e */
    case 3:  take = fl & (CC_C | CC_Z); break;      /* be */
    default: take = fl & CC_P; break;               /* u (p) */
    }
    take ^= cc & 1;
    if (fpu_empty(env, 0) || fpu_empty(env, i)) {
        if (fpu_stack_fault(env, false)) {
            fpu_set(env, 0, floatx80_default_nan());
        }
        return;
    }
    if (take) {
        ST(0) = ST(i);
    }
}

/* ---- arithmetic and compares ----------------------------------------- */

/*
 * The operands of an arithmetic or compare (X87_AR_* in arg): a = the
 * destination, b = the source: ST(0) op FT0, ST(0) op ST(n), or with
 * X87_AR_TO_STI ST(n) op ST(0).  Returns false after a stack underflow,
 * whose masked response (if store_indefinite) is stored already.
 */
static bool fpu_operands(CPUX86State *env, uint32_t arg, floatx80 *a, floatx80 *b,
                         int *dst, bool store_indefinite)
{
    int n = (arg >> 4) & 7;
    bool empty;

    if (arg & X87_AR_TO_STI) {
        *dst = n;
        *b = ST(0);
        empty = fpu_empty(env, n) || fpu_empty(env, 0);
    } else {
        *dst = 0;
        *b = (arg & X87_AR_FT0) ? fpu_ft0 : ST(n);
        empty = fpu_empty(env, 0) || (!(arg & X87_AR_FT0) && fpu_empty(env, n));
    }
    *a = ST(*dst);
    if (empty) {
        if (fpu_stack_fault(env, false) && store_indefinite) {
            ST(*dst) = floatx80_default_nan();
            env->fptags[fpu_phys(env, *dst)] = 0;
        }
        return false;
    }
    return true;
}

/* The pops of arg (X87_AR_POP, X87_AR_POP2) when the instruction
 * completed (done: no unmasked IE, DE or ZE). */
static void fpu_arith_pop(CPUX86State *env, uint32_t arg, bool done)
{
    if (done && (arg & (X87_AR_POP | X87_AR_POP2))) {
        fpu_pop(env);
        if (arg & X87_AR_POP2) {
            fpu_pop(env);
        }
    }
}

/* A denormal memory operand raises DE unless the operation stopped at a
 * NaN operand, IE or ZE (the x87 exception priorities). */
static void fpu_ft0_check_denormal(CPUX86State *env, uint32_t arg, floatx80 a)
{
    if ((arg & X87_AR_FT0) && fpu_ft0_denormal && !floatx80_is_any_nan(a) &&
        !(env->fp_status.exception_flags & (float_flag_invalid | float_flag_divbyzero))) {
        env->fp_status.exception_flags |= float_flag_denormal;
    }
}

void helper_farith(CPUX86State *env, uint32_t arg)
{
    float_status *s = &env->fp_status;
    floatx80 a, b, r;
    bool done;
    int dst;

    if (!(arg & X87_AR_FT0)) {
        fpu_begin(env);
    }
    if (!fpu_operands(env, arg, &a, &b, &dst, true)) {
        fpu_arith_pop(env, arg, env->fpuc & float_flag_invalid);
        return;
    }
    switch (arg & 7) {
    case 0:  r = floatx80_add(a, b, s); break;
    case 1:  r = floatx80_mul(a, b, s); break;
    case 4:  r = floatx80_sub(a, b, s); break;
    case 5:  r = floatx80_sub(b, a, s); break;
    case 6:  r = floatx80_div(a, b, s); break;
    default: r = floatx80_div(b, a, s); break;
    }
    fpu_ft0_check_denormal(env, arg, a);
    done = fpu_end(env);
    if (done) {
        ST(dst) = r;
    }
    fpu_arith_pop(env, arg, done);
}

/*
 * Compare ST(0) with FT0 or ST(n): returns the relation (unordered after a
 * stack underflow), which sets the condition codes even when an unmasked
 * exception cancels the pops (as the host CPU does).
 */
static int fpu_compare(CPUX86State *env, uint32_t arg)
{
    floatx80 a, b;
    int dst, rel;

    if (!(arg & X87_AR_FT0)) {
        fpu_begin(env);
    }
    if (!fpu_operands(env, arg, &a, &b, &dst, false)) {
        fpu_arith_pop(env, arg, env->fpuc & float_flag_invalid);
        return float_relation_unordered;
    }
    rel = floatx80_compare(a, b, arg & X87_CMP_QUIET, &env->fp_status);
    fpu_ft0_check_denormal(env, arg, a);
    fpu_arith_pop(env, arg, fpu_end(env));
    env->fpus &= ~FPUS_C1;
    return rel;
}

/* FCOM, FCOMP (X87_AR_POP), FCOMPP (X87_AR_POP2) and the FUCOM forms:
 * C3 C2 C0. */
void helper_fcom(CPUX86State *env, uint32_t arg)
{
    static const uint16_t cc[4] = { FPUS_C0, FPUS_C3, 0, FPUS_C0 | FPUS_C2 | FPUS_C3 };
    int rel = fpu_compare(env, arg);

    env->fpus = (env->fpus & ~(FPUS_C0 | FPUS_C2 | FPUS_C3)) | cc[rel + 1];
}

/* FCOMI/FUCOMI (FCOMIP/FUCOMIP: X87_AR_POP): the new ZF PF CF (other
 * arithmetic flags clear).  C0-C3 are kept but for a stack underflow's
 * C1 = 0 (as the host CPU does). */
uint64_t helper_fcomi(CPUX86State *env, uint32_t arg)
{
    static const uint64_t fl[4] = { CC_C, CC_Z, 0, CC_Z | CC_P | CC_C };
    bool fault = fpu_empty(env, 0) || fpu_empty(env, (arg >> 4) & 7);
    uint16_t c1 = env->fpus & FPUS_C1;
    uint64_t r = fl[fpu_compare(env, arg) + 1];

    if (!fault) {
        env->fpus |= c1;
    }
    return r;
}

/* ---- constants, unary operations ------------------------------------- */

/*
 * FLD1 ... FLDZ (D9 E8-EE).  The stored constants are rounded to nearest;
 * in the other modes the ones whose tail is below one half round down
 * (Intel: rounding-control dependent, within one ulp).
 */
void helper_fconst(CPUX86State *env, uint32_t idx)
{
    static const struct { uint64_t sig; uint16_t exp; bool down_if_rd; } k[7] = {
        { 0x8000000000000000ull, 0x3fff, false },   /* 1 */
        { 0xd49a784bcd1b8afeull, 0x4000, false },   /* log2(10), rounded up: tail < .5 */
        { 0xb8aa3b295c17f0bcull, 0x3fff, true },    /* log2(e) */
        { 0xc90fdaa22168c235ull, 0x4000, true },    /* pi */
        { 0x9a209a84fbcff799ull, 0x3ffd, true },    /* log10(2) */
        { 0xb17217f7d1cf79acull, 0x3ffe, true },    /* ln(2) */
        { 0, 0, false },                             /* 0 */
    };
    floatx80 v = make_floatx80(k[idx].exp, k[idx].sig);
    unsigned rc = (env->fpuc >> 10) & 3;

    /* nearest-rounded values whose exact tail is above one half: down/zero
     * modes take the smaller neighbour; l2t's tail is below: up takes next */
    if (k[idx].down_if_rd && (rc == float_round_down || rc == float_round_to_zero)) {
        v.low--;
    } else if (idx == 1 && rc == float_round_up) {
        v.low++;
    }
    env->fpus &= ~FPUS_C1;
    fpu_push(env, v);
}

/* FXAM's classes: C3 C2 C0. */
static uint16_t fpu_fxam(CPUX86State *env)
{
    floatx80 v = ST(0);
    unsigned e = v.high & 0x7fff;
    uint16_t c1 = v.high >> 15 ? FPUS_C1 : 0;

    if (fpu_empty(env, 0)) {
        return c1 | FPUS_C3 | FPUS_C0;
    }
    if (floatx80_is_unsupported(v)) {
        return c1;
    }
    if (e == 0x7fff) {
        return c1 | (v.low << 1 ? FPUS_C0 : FPUS_C2 | FPUS_C0);
    }
    if (e == 0) {
        return c1 | (v.low ? FPUS_C3 | FPUS_C2 : FPUS_C3);
    }
    return c1 | FPUS_C2;
}

static void fpu_transcendental(CPUX86State *env, unsigned op);

void helper_funary(CPUX86State *env, uint32_t op)
{
    float_status *s = &env->fp_status;
    uint64_t q;
    bool partial;
    floatx80 a, r;

    fpu_begin(env);
    switch (op) {
    case 0x25:                               /* fxam */
        env->fpus = (env->fpus & ~FPUS_CC_MASK) | fpu_fxam(env);
        return;
    case 0x36:                               /* fdecstp */
        env->fpstt = (env->fpstt - 1) & 7;
        env->fpus &= ~FPUS_C1;
        return;
    case 0x37:                               /* fincstp */
        env->fpstt = (env->fpstt + 1) & 7;
        env->fpus &= ~FPUS_C1;
        return;
    case 0x24:                               /* ftst */
        fpu_ft0 = make_floatx80(0, 0);
        fpu_ft0_denormal = false;
        helper_fcom(env, X87_AR_FT0);
        return;
    }
    if (op >= 0x30 && op != 0x34 && op != 0x35 && op != 0x38 && op != 0x3a &&
        op != 0x3c && op != 0x3d) {
        fpu_transcendental(env, op);
        return;
    }
    if (op == 0x35 || op == 0x38) {
        /* FPREM, FPREM1: C1 C2 cleared and C0 C3 kept unless a
         * non-NaN result is stored (as the host CPU does) */
        env->fpus &= ~(FPUS_C1 | FPUS_C2);
    }
    if (!fpu_read_st0(env, &a)) {
        /* underflow, which FXTRACT reports (C1 = 0) even with ST(7) full */
        if (fpu_stack_fault(env, false)) {
            fpu_set(env, 0, a);
            if (op == 0x34) {
                fpu_push_over(env, a);
            }
        }
        return;
    }
    switch (op) {
    case 0x20:                               /* fchs */
        ST(0).high ^= 0x8000;
        env->fpus &= ~FPUS_C1;
        return;
    case 0x21:                               /* fabs */
        ST(0).high &= 0x7fff;
        env->fpus &= ~FPUS_C1;
        return;
    case 0x34: {                             /* fxtract */
        floatx80 e;
        if (fpu_full(env)) {
            /* overflow, before any operand exception: two indefinites */
            if (fpu_stack_fault(env, true)) {
                ST(0) = floatx80_default_nan();
                fpu_push_over(env, floatx80_default_nan());
            }
            return;
        }
        r = floatx80_extract(a, &e, s);
        if (fpu_end(env)) {
            ST(0) = e;
            fpu_push(env, r);
        }
        return;
    }
    case 0x35:                               /* fprem1 */
    case 0x38:                               /* fprem */
        if (fpu_empty(env, 1)) {
            if (fpu_stack_fault(env, false)) {
                ST(0) = floatx80_default_nan();
            }
            return;
        }
        r = floatx80_rem(a, ST(1), op == 0x35, &q, &partial, s);
        env->fp_status.floatx80_rounded_up = false;
        if (fpu_end(env)) {
            ST(0) = r;
            if (floatx80_is_any_nan(r)) {
                return;
            }
            env->fpus &= ~FPUS_CC_MASK;
            if (partial) {
                env->fpus |= FPUS_C2;
            } else {
                env->fpus |= (q & 4 ? FPUS_C0 : 0) | (q & 2 ? FPUS_C3 : 0) |
                             (q & 1 ? FPUS_C1 : 0);
            }
        }
        return;
    case 0x3a:                               /* fsqrt */
        r = floatx80_sqrt(a, s);
        break;
    case 0x3c:                               /* frndint */
        r = floatx80_round_to_int(a, s);
        break;
    default:                                 /* 0x3d fscale */
        if (fpu_empty(env, 1)) {
            if (fpu_stack_fault(env, false)) {
                ST(0) = floatx80_default_nan();
            }
            return;
        }
        r = floatx80_scale(a, ST(1), s);
        break;
    }
    if (fpu_end(env)) {
        ST(0) = r;
    }
}

/* ---- control ---------------------------------------------------------- */

void x86_fpu_load_control(CPUX86State *env, uint16_t cw)
{
    env->fpuc = (cw & FPUC_WRITABLE) | 0x40;     /* bit 6 reads as 1 */
    x86_fpu_sync_control(env);
    /* unmasking a pending exception makes it pending for #MF */
    if (env->fpus & ~env->fpuc & FPUS_EXC_MASK) {
        env->fpus |= FPUS_ES | FPUS_B;
    } else {
        env->fpus &= ~(FPUS_ES | FPUS_B);
    }
}

void helper_fldcw(CPUX86State *env, uint32_t cw)
{
    x86_fpu_load_control(env, (uint16_t)cw);
}

uint32_t helper_fnstsw(CPUX86State *env)
{
    return (env->fpus & ~(7u << FPUS_TOP_SHIFT)) | (env->fpstt << FPUS_TOP_SHIFT);
}

void helper_fnclex(CPUX86State *env)
{
    env->fpus &= ~(FPUS_EXC_MASK | FPUS_SE | FPUS_ES | FPUS_B);
}

void helper_fninit(CPUX86State *env)
{
    x86_fpu_reset(env);
}

/* The tag word: 2 bits per physical register (valid, zero, special, empty). */
static uint16_t fpu_tag_word(CPUX86State *env)
{
    uint16_t tw = 0;
    int p;

    for (p = 7; p >= 0; p--) {
        floatx80 v = env->fpregs[p];
        unsigned e = v.high & 0x7fff, t;

        if (env->fptags[p]) {
            t = 3;
        } else if (e == 0 && v.low == 0) {
            t = 1;
        } else if (e == 0x7fff || e == 0 || !(v.low >> 63)) {
            t = 2;
        } else {
            t = 0;
        }
        tw = (uint16_t)(tw << 2 | t);
    }
    return tw;
}

/* FNSTENV/FLDENV layouts: 16-bit (7 words) or 32-bit (7 dwords), the
 * protected-mode formats. */
/* The environment (and FNSAVE/FRSTOR images) is aligned to its word size */
static void fpu_env_store(CPUX86State *env, uint64_t addr, bool data32, uintptr_t ra)
{
    int mmu = x86_cpu_mmu_index(env);
    CPUState *cs = env_cpu(env);
    unsigned w = data32 ? 4 : 2;
    MemOp op = data32 ? MO_32 : MO_16;
    uint32_t hi = data32 ? 0xffff0000u : 0;  /* reserved halves read as ones */

    x86_check_alignment(env, addr, w, ra);
    cpu_st_data_ra(cs, addr + 0 * w, env->fpuc | hi, op, mmu, ra);
    cpu_st_data_ra(cs, addr + 1 * w, helper_fnstsw(env) | hi, op, mmu, ra);
    cpu_st_data_ra(cs, addr + 2 * w, fpu_tag_word(env) | hi, op, mmu, ra);
    if (data32) {
        cpu_st_data_ra(cs, addr + 12, (uint32_t)env->fpip, MO_32, mmu, ra);
        cpu_st_data_ra(cs, addr + 16, env->fpcs | ((uint32_t)env->fpop << 16), MO_32, mmu, ra);
        cpu_st_data_ra(cs, addr + 20, (uint32_t)env->fpdp, MO_32, mmu, ra);
        cpu_st_data_ra(cs, addr + 24, env->fpds | hi, MO_32, mmu, ra);
    } else {
        cpu_st_data_ra(cs, addr + 6, (uint16_t)env->fpip, MO_16, mmu, ra);
        cpu_st_data_ra(cs, addr + 8, env->fpcs, MO_16, mmu, ra);
        cpu_st_data_ra(cs, addr + 10, (uint16_t)env->fpdp, MO_16, mmu, ra);
        cpu_st_data_ra(cs, addr + 12, env->fpds, MO_16, mmu, ra);
    }
}

static void fpu_env_load(CPUX86State *env, uint64_t addr, bool data32, uintptr_t ra)
{
    int mmu = x86_cpu_mmu_index(env);
    CPUState *cs = env_cpu(env);
    unsigned w = data32 ? 4 : 2, p;
    MemOp op = data32 ? MO_32 : MO_16;
    uint16_t cw, sw, tw;

    x86_check_alignment(env, addr, w, ra);
    cw = (uint16_t)cpu_ld_data_ra(cs, addr, op, mmu, ra);
    sw = (uint16_t)cpu_ld_data_ra(cs, addr + w, op, mmu, ra);
    tw = (uint16_t)cpu_ld_data_ra(cs, addr + 2 * w, op, mmu, ra);
    if (data32) {
        env->fpip = (uint32_t)cpu_ld_data_ra(cs, addr + 12, MO_32, mmu, ra);
        env->fpop = (uint16_t)(cpu_ld_data_ra(cs, addr + 16, MO_32, mmu, ra) >> 16) & 0x7ff;
        env->fpdp = (uint32_t)cpu_ld_data_ra(cs, addr + 20, MO_32, mmu, ra);
    } else {
        env->fpip = (uint16_t)cpu_ld_data_ra(cs, addr + 6, MO_16, mmu, ra);
        env->fpdp = (uint16_t)cpu_ld_data_ra(cs, addr + 10, MO_16, mmu, ra);
    }
    env->fpstt = (sw >> FPUS_TOP_SHIFT) & 7;
    env->fpus = sw & ~(7u << FPUS_TOP_SHIFT);
    for (p = 0; p < 8; p++) {
        env->fptags[p] = ((tw >> (2 * p)) & 3) == 3;
    }
    x86_fpu_load_control(env, cw);
}

void helper_fnstenv(CPUX86State *env, uint64_t addr, uint32_t data32)
{
    fpu_env_store(env, addr, data32, GETPC());
    env->fpuc |= 0x3f;                       /* FNSTENV masks all exceptions */
    x86_fpu_sync_control(env);
}

void helper_fldenv(CPUX86State *env, uint64_t addr, uint32_t data32)
{
    fpu_env_load(env, addr, data32, GETPC());
}

void helper_fnsave(CPUX86State *env, uint64_t addr, uint32_t data32)
{
    int mmu = x86_cpu_mmu_index(env), i;
    uint64_t r = addr + (data32 ? 28 : 14);

    fpu_env_store(env, addr, data32, GETPC());
    for (i = 0; i < 8; i++, r += 10) {
        cpu_st_data_ra(env_cpu(env), r, ST(i).low, MO_64, mmu, GETPC());
        cpu_st_data_ra(env_cpu(env), r + 8, ST(i).high, MO_16, mmu, GETPC());
    }
    x86_fpu_reset(env);
}

void helper_frstor(CPUX86State *env, uint64_t addr, uint32_t data32)
{
    int mmu = x86_cpu_mmu_index(env), i;
    uint64_t r = addr + (data32 ? 28 : 14);
    floatx80 regs[8];

    x86_check_alignment(env, addr, data32 ? 4 : 2, GETPC());
    for (i = 0; i < 8; i++, r += 10) {
        regs[i].low = cpu_ld_data_ra(env_cpu(env), r, MO_64, mmu, GETPC());
        regs[i].high = (uint16_t)cpu_ld_data_ra(env_cpu(env), r + 8, MO_16, mmu, GETPC());
    }
    fpu_env_load(env, addr, data32, GETPC());
    for (i = 0; i < 8; i++) {
        ST(i) = regs[i];
    }
}

/* ---- transcendentals on the host x87 ---------------------------------- */

#if defined(__x86_64__) || defined(__i386__)
/*
 * Run one transcendental on the host with the guest's control word (all
 * exceptions but OE and UE masked; FNCLEX before the results are read, so
 * the host takes no #MF) on ST0 = a, ST1 = b.  Returns the host status word,
 * the resulting ST0 and ST1 in r0 and r1, and in depth +1 if it pushed
 * (FPTAN, FSINCOS), -1 if it popped (FYL2X, FYL2XP1, FPATAN).
 */
static uint16_t fpu_host_x87(unsigned op, uint16_t cw, floatx80 a, floatx80 b,
                             floatx80 *r0, floatx80 *r1, int *depth)
{
    uint16_t sw;

#define HOST(insn, d)                                                        \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"     \
                     insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfstpt %[r1]\n\t" \
                     "fninit"                                                   \
                     : [sw] "=m"(sw), [r0] "=m"(*r0), [r1] "=m"(*r1)            \
                     : [cw] "m"(cw), [a] "m"(a), [b] "m"(b));                   \
    *depth = d
#define HOST_POP(insn)                                                       \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"     \
                     insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfninit" \
                     : [sw] "=m"(sw), [r0] "=m"(*r0)                           \
                     : [cw] "m"(cw), [a] "m"(a), [b] "m"(b));                   \
    *depth = -1
#define HOST_PUSH(insn)                                                      \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t"                  \
                     insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfstpt %[r1]\n\t" \
                     "fninit"                                                   \
                     : [sw] "=m"(sw), [r0] "=m"(*r0), [r1] "=m"(*r1)            \
                     : [cw] "m"(cw), [a] "m"(a));                               \
    *depth = (sw & FPUS_C2) ? 0 : 1
    /* OE/UE as the guest has them (the rebiased result); the rest masked */
    cw |= FPUS_EXC_MASK & ~(float_flag_overflow | float_flag_underflow);
    switch (op) {
    case 0x30: HOST("f2xm1", 0); break;
    case 0x31: HOST_POP("fyl2x"); break;
    case 0x32: HOST_PUSH("fptan"); break;
    case 0x33: HOST_POP("fpatan"); break;
    case 0x39: HOST_POP("fyl2xp1"); break;
    case 0x3b: HOST_PUSH("fsincos"); break;
    case 0x3e: HOST("fsin", 0); break;
    default:   HOST("fcos", 0); break;
    }
#undef HOST
#undef HOST_POP
#undef HOST_PUSH
    return sw;
}
#endif

/*
 * One transcendental: on the host's x87 where it is an Intel one, else (or
 * with TERN_X87_SOFT=1 in the environment, to test it on x86) in software,
 * util/x87-transcendental.c (within one ulp of the x87's results).  Not on
 * another vendor's x87: AMD's results differ from Intel's in the last bits
 * and C1, and the guest's results must not depend on the host.
 */
static uint16_t fpu_transcendental_run(unsigned op, uint16_t cw, floatx80 a, floatx80 b,
                                       floatx80 *r0, floatx80 *r1, int *depth)
{
#if defined(__x86_64__) || defined(__i386__)
    if (!x87_soft_transcendental_forced() && host_cpu_is_intel()) {
        return fpu_host_x87(op, cw, a, b, r0, r1, depth);
    }
#endif
    if (!x87_soft_transcendental_available()) {
        log_mask(LOG_UNIMP, "x87: transcendental %02x needs an x86 host or binary128 libm\n",
                 op);
    }
    return x87_soft_transcendental(op, cw, a, b, r0, r1, depth);
}

/*
 * The stack faults of the transcendentals, as the host CPU handles them:
 * an empty ST(0) (FYL2X FYL2XP1 FPATAN: or ST(1)) is an underflow, checked
 * first, so that FPTAN and FSINCOS report it (C1 = 0) even with ST(7)
 * full; FPTAN and FSINCOS with ST(7) full overflow (C1 = 1).  The masked
 * response gives the indefinite as every result: FYL2X FYL2XP1 FPATAN
 * store it in ST(1) and pop, FPTAN FSINCOS replace ST(0) with it and push
 * a second one.  The trigonometric ones clear C2 (F2XM1 and the binary
 * ones keep it), C0 C3 are kept.
 */
static void fpu_transcendental(CPUX86State *env, unsigned op)
{
    bool binary = op == 0x31 || op == 0x33 || op == 0x39;
    bool pushes = op == 0x32 || op == 0x3b;
    bool trig = pushes || op == 0x3e || op == 0x3f;
    bool underflow = fpu_empty(env, 0) || (binary && fpu_empty(env, 1));
    floatx80 r0, r1;
    int depth;
    uint16_t sw;

    if (trig) {
        env->fpus &= ~FPUS_C2;
    }
    if (underflow || (pushes && fpu_full(env))) {
        if (fpu_stack_fault(env, !underflow)) {
            if (binary) {
                fpu_set(env, 1, floatx80_default_nan());
                fpu_pop(env);
            } else {
                fpu_set(env, 0, floatx80_default_nan());
                if (pushes) {
                    fpu_push_over(env, floatx80_default_nan());
                }
            }
        }
        return;
    }
    sw = fpu_transcendental_run(op, env->fpuc, ST(0), ST(1), &r0, &r1, &depth);
    env->fp_status.exception_flags = sw & FPUS_EXC_MASK;
    env->fp_status.floatx80_rounded_up = sw & FPUS_C1;
    if (!fpu_end(env)) {
        return;
    }
    env->fpus |= sw & FPUS_C2;
    if (depth < 0) {
        fpu_pop(env);
        ST(0) = r0;
    } else if (depth > 0) {
        ST(0) = r1;
        fpu_push(env, r0);
    } else {
        ST(0) = r0;
    }
}
