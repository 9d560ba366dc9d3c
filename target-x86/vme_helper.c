/*
 * vme_helper.c: virtual-mode extensions (CR4.VME, SDM vol.3 20.3-20.4) and
 * protected-mode virtual interrupts (CR4.PVI, 20.4).
 *
 * The translator calls these only where IOPL would otherwise decide: CLI,
 * STI, 16-bit PUSHF, POPF and IRET in virtual-8086 mode with IOPL < 3,
 * CLI and STI at CPL 3 with IOPL < 3 in protected mode, and every INT n
 * in virtual-8086 mode.  CR4 is not in the TB flags, so each helper reads
 * it and raises #GP(0) at the instruction when the extension is off, which
 * is what the instruction does without it.  With it, IF stays as it is and
 * EFLAGS.VIF stands in for it; VIP (set only by software) makes STI, and
 * a POPF or IRET that would set VIF, #GP(0) so that the monitor can
 * deliver the pending virtual interrupt.
 *
 * INT n in virtual-8086 mode with CR4.VME consults bit n of the software
 * interrupt redirection bitmap, the 32 bytes below the TSS's I/O map base
 * (x86_tss_iomap_base; a TSS without one, or a bit beyond its limit,
 * counts as set).  A clear bit delivers the interrupt the 8086 way
 * through the IVT at linear address 0 on the v86 stack, at CPL 3 (so it
 * may #PF); a set bit goes to the protected-mode handler with IOPL 3 and
 * is #GP(0) with IOPL < 3 (SDM table 20-2, methods 1-6).
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"
#include "target-x86/seg-internal.h"

#define VME_REDIR_BYTES 32      /* the redirection bitmap: 256 bits */

/* Is the extension that stands in for IOPL here enabled?  VME in
 * virtual-8086 mode, PVI (CLI/STI only) in protected mode. */
static bool vme_enabled(const CPUX86State *env)
{
    return env->cr[4] & ((env->eflags & VM_MASK) ? CR4_VME_MASK : CR4_PVI_MASK);
}

static void vme_check(CPUX86State *env, uintptr_t ra)
{
    if (!vme_enabled(env)) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

/* IF of a 16-bit FLAGS image becomes VIF; TF set, or IF set while VIP is
 * pending, is #GP(0) before anything changed.  IF and IOPL stay. */
static void vme_load_flags(CPUX86State *env, uint32_t flags, uintptr_t ra)
{
    if ((flags & TF_MASK) || ((flags & IF_MASK) && (env->eflags & VIP_MASK))) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    cpu_load_eflags(env, flags, 0xffff & ~(uint64_t)(IF_MASK | IOPL_MASK));
    env->eflags = (env->eflags & ~(uint64_t)VIF_MASK) | ((flags & IF_MASK) ? VIF_MASK : 0);
    x86_update_hflags(env);
}

/* The FLAGS image PUSHF and a redirected INT push with IOPL < 3: VIF in
 * IF's place, IOPL 3. */
static uint32_t vme_flags_image(CPUX86State *env)
{
    uint32_t f = (uint32_t)cpu_compute_eflags(env) & 0xffff & ~(uint32_t)IF_MASK;

    return f | IOPL_MASK | ((env->eflags & VIF_MASK) ? IF_MASK : 0);
}

void helper_vme_cli(CPUX86State *env)
{
    vme_check(env, GETPC());
    env->eflags &= ~(uint64_t)VIF_MASK;
}

void helper_vme_sti(CPUX86State *env)
{
    uintptr_t ra = GETPC();

    vme_check(env, ra);
    if (env->eflags & VIP_MASK) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    env->eflags |= VIF_MASK;
}

uint64_t helper_vme_pushf(CPUX86State *env)
{
    vme_check(env, GETPC());
    return vme_flags_image(env);
}

void helper_vme_popf(CPUX86State *env, uint64_t flags)
{
    uintptr_t ra = GETPC();

    vme_check(env, ra);
    vme_load_flags(env, (uint32_t)flags, ra);
}

/* 16-bit IRET with IOPL < 3: IP, CS, FLAGS (into VIF) from the v86 stack. */
void helper_vme_iret(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    X86Stack st = seg_stack_cur(env, x86_cpu_mmu_index(env), ra);

    st.mask = 0xffff;
    vme_check(env, ra);
    uint32_t ip = (uint32_t)seg_pop(&st, 2);
    uint32_t cs = (uint32_t)seg_pop(&st, 2);
    uint32_t flags = (uint32_t)seg_pop(&st, 2);

    vme_load_flags(env, flags, ra);
    seg_set_rsp(env, st.mask, st.sp);
    cpu_x86_load_seg_cache(env, R_CS, cs, (uint64_t)cs << 4, env->segs[R_CS].limit,
                           env->segs[R_CS].flags);
    env->rip = ip;
    env->nmi_blocked = false;
}

/* Bit vector of the redirection bitmap: clear means "to the 8086 IVT". */
static bool vme_redirected(CPUX86State *env, unsigned vector, uintptr_t ra)
{
    uint32_t base;

    if (!x86_tss_iomap_base(env, &base, ra) || base < VME_REDIR_BYTES ||
        base - VME_REDIR_BYTES + vector / 8 > env->tr.limit) {
        return false;
    }
    uint8_t bits = (uint8_t)cpu_ld_data_ra(env_cpu(env), env->tr.base + base -
                                           VME_REDIR_BYTES + vector / 8, MO_8,
                                           MMU_KSMAP_IDX, ra);
    return !((bits >> (vector % 8)) & 1);
}

/* INT n in virtual-8086 mode (rip is the INT's, len its length). */
void helper_v86_int(CPUX86State *env, uint32_t vector, uint32_t len)
{
    uintptr_t ra = GETPC();
    bool iopl3 = (env->eflags & IOPL_MASK) == IOPL_MASK;

    if ((env->cr[4] & CR4_VME_MASK) && vme_redirected(env, vector, ra)) {
        X86Stack st = seg_stack_cur(env, x86_cpu_mmu_index(env), ra);
        uint32_t ivt = (uint32_t)cpu_ld_data_ra(env_cpu(env), vector * 4, MO_32,
                                                x86_cpu_mmu_index(env), ra);
        uint32_t flags = iopl3 ? (uint32_t)cpu_compute_eflags(env) & 0xffff
                               : vme_flags_image(env);

        st.mask = 0xffff;
        seg_push(&st, flags, 2);
        seg_push(&st, env->segs[R_CS].selector, 2);
        seg_push(&st, (env->rip + len) & 0xffff, 2);
        seg_set_rsp(env, st.mask, st.sp);
        env->eflags &= ~(uint64_t)(TF_MASK | (iopl3 ? IF_MASK : VIF_MASK));
        cpu_x86_load_seg_cache(env, R_CS, ivt >> 16, (uint64_t)(ivt >> 16) << 4,
                               env->segs[R_CS].limit, env->segs[R_CS].flags);
        env->rip = ivt & 0xffff;
        return;
    }
    if (!iopl3) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    raise_interrupt(env, (int)vector, (int)len);
}
