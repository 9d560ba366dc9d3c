/*
 * syscall_helper.c: the fast system calls SYSCALL/SYSRET (STAR, LSTAR,
 * FMASK) and SYSENTER/SYSEXIT (IA32_SYSENTER_CS/ESP/EIP), called from
 * translate-msr.c, which has raised the #UD and CPL faults it can decide at
 * translation (EFER.SCE is checked here: it is not a TB flag).  The
 * helpers check the values (#GP(0) before any state
 * changes, so a non-canonical SYSRET target faults at CPL 0 as on Intel)
 * and load CS and SS with the fixed flat descriptors the SDM specifies,
 * never reading the GDT.  Model: Intel (GenuineIntel), so SYSCALL and
 * SYSRET exist in 64-bit mode only and CSTAR is stored but not used.
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* Flat 4 GiB segments (limit FFFFF, G): code execute/read accessed, data
 * read/write accessed; L for 64-bit code, D/B for 32-bit code and stacks */
#define FLAT_CODE (DESC_G_MASK | DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK | \
                   DESC_A_MASK)
#define FLAT_DATA (DESC_G_MASK | DESC_B_MASK | DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | \
                   DESC_A_MASK)

/* Load CS and SS with flat segments of privilege rpl (the selectors' RPL
 * becomes rpl); SS's DPL sets the CPL.  The hflags once for both (this is
 * every system call's path twice). */
static void sys_load_flat(CPUX86State *env, uint32_t cs_sel, uint32_t ss_sel, unsigned rpl,
                          bool code64)
{
    uint32_t dpl = rpl << DESC_DPL_SHIFT;

    env->segs[R_CS] = (SegmentCache){
        (cs_sel & 0xfffc) | rpl, 0, 0xffffffffu,
        FLAT_CODE | dpl | (code64 ? DESC_L_MASK : DESC_B_MASK),
    };
    env->segs[R_SS] = (SegmentCache){ (ss_sel & 0xfffc) | rpl, 0, 0xffffffffu, FLAT_DATA | dpl };
    x86_update_hflags(env);
}

/* 0F 05 in 64-bit mode with EFER.SCE: RCX = next_rip, R11 = RFLAGS, to
 * ring 0 at LSTAR with RFLAGS & ~FMASK */
void helper_syscall(CPUX86State *env, uint64_t next_rip)
{
    uint64_t rflags = cpu_compute_eflags(env);
    uint32_t sel = (uint32_t)(env->star >> 32) & 0xffff;

    if (!(env->efer & EFER_SCE)) {
        raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    env->regs[R_ECX] = next_rip;
    env->regs[R_R11] = rflags;
    cpu_load_eflags(env, rflags & ~env->fmask, ~0ull);
    sys_load_flat(env, sel, sel + 8, 0, true);
    env->rip = env->lstar;
}

/* 0F 07 (64: REX.W sysretq, else sysretl) in 64-bit mode, CPL 0:
 * RIP = RCX (ECX), RFLAGS = R11 without RF and VM, to ring 3 */
void helper_sysret(CPUX86State *env, uint32_t rex_w)
{
    uint32_t sel = (uint32_t)(env->star >> 48);
    uint64_t rip = rex_w ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX];

    if (!(env->efer & EFER_SCE)) {
        raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if ((env->hflags & HF_CPL_MASK) != 0 || !x86_addr_canonical(env, rip)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    cpu_load_eflags(env, (env->regs[R_R11] & 0x3c7fd7) | 2, ~0ull);
    sys_load_flat(env, rex_w ? sel + 16 : sel, sel + 8, 3, rex_w);
    env->rip = rip;
}

/* 0F 34 in protected mode: to ring 0 at SYSENTER_EIP/ESP with IF, VM, RF
 * clear; 64-bit code in IA-32e mode */
void helper_sysenter(CPUX86State *env)
{
    bool lma = env->efer & EFER_LMA;

    if ((env->sysenter_cs & 0xfffc) == 0) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    cpu_load_eflags(env, cpu_compute_eflags(env) & ~(uint64_t)(VM_MASK | IF_MASK | RF_MASK),
                    ~0ull);
    sys_load_flat(env, (uint32_t)env->sysenter_cs, (uint32_t)env->sysenter_cs + 8, 0, lma);
    env->regs[R_ESP] = lma ? env->sysenter_esp : (uint32_t)env->sysenter_esp;
    env->rip = lma ? env->sysenter_eip : (uint32_t)env->sysenter_eip;
}

/* 0F 35 (REX.W: to 64-bit code) at CPL 0: RIP = RDX, RSP = RCX, to ring 3
 * with CS = SYSENTER_CS + 16 (+ 32 for 64-bit), SS = CS + 8 */
void helper_sysexit(CPUX86State *env, uint32_t rex_w)
{
    uint64_t rip = env->regs[R_EDX], rsp = env->regs[R_ECX];
    uint32_t cs = (uint32_t)env->sysenter_cs + (rex_w ? 32 : 16);

    if (!rex_w) {
        rip = (uint32_t)rip;
        rsp = (uint32_t)rsp;
    }
    if ((env->sysenter_cs & 0xfffc) == 0 || !x86_addr_canonical(env, rip) ||
        !x86_addr_canonical(env, rsp)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    sys_load_flat(env, cs, cs + 8, 3, rex_w);
    env->regs[R_ESP] = rsp;
    env->rip = rip;
}
