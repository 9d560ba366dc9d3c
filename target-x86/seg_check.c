/*
 * seg_check.c: segment limit and type checks on memory accesses outside
 * 64-bit mode (SDM vol.3 5.3 "Limit Checking", 5.4 "Type Checking",
 * 3.4.5.1 for expand-down segments).
 *
 * Flat guests pay nothing: x86_segchk_hflags says which segment registers
 * could make an access fault, and the translator emits helper_seg_check
 * only for accesses through those (docs/cpu.md, "Segment limit and type
 * checks").  A segment is flat when no offset and no access through it can
 * fault: present, expand-up, limit 0xffffffff, and writable data (readable
 * code for CS, whose writes the translator checks on their own).
 */
#include "util/osdep.h"
#include "target-x86/internal.h"
#include "target-x86/helper.h"

/* Type checks apply in protected mode only: real and virtual-8086 mode use
 * the cached limit (and expand-down bit) but no access rights. */
static bool segchk_types(const CPUX86State *env)
{
    return (env->cr[0] & CR0_PE_MASK) && !(env->eflags & VM_MASK);
}

static bool seg_is_code(uint32_t flags)
{
    return flags & DESC_CS_MASK;
}

static bool seg_expand_down(uint32_t flags)
{
    return !seg_is_code(flags) && (flags & DESC_E_MASK);
}

static bool seg_flat(const CPUX86State *env, int seg)
{
    const SegmentCache *sc = &env->segs[seg];

    if (sc->limit != 0xffffffffu || seg_expand_down(sc->flags)) {
        return false;
    }
    if (!segchk_types(env)) {
        return true;
    }
    return (sc->flags & DESC_P_MASK) &&
           (seg_is_code(sc->flags) ? (sc->flags & DESC_R_MASK) : (sc->flags & DESC_W_MASK));
}

uint32_t x86_segchk_hflags(const CPUX86State *env, uint32_t hf)
{
    uint32_t chk = 0;

    if (hf & HF_CS64_MASK) {
        return 0;               /* 64-bit mode checks no limits */
    }
    if (!seg_flat(env, R_DS) || !seg_flat(env, R_ES) || !seg_flat(env, R_SS)) {
        chk |= HF_SEGCHK_MASK;
    }
    if (!seg_flat(env, R_CS) || !seg_flat(env, R_FS) || !seg_flat(env, R_GS)) {
        chk |= HF_SEGCHK_OVR_MASK;
    }
    return chk;
}

/* Whether an access of size bytes (0: the type check alone) at offset off
 * through seg is allowed. */
static bool seg_access_ok(const CPUX86State *env, int seg, uint64_t off, unsigned size,
                          bool write)
{
    const SegmentCache *sc = &env->segs[seg];
    uint32_t fl = sc->flags;

    if (segchk_types(env)) {
        if (!(fl & DESC_P_MASK)) {
            return false;       /* a null selector */
        }
        if (seg_is_code(fl) ? write || !(fl & DESC_R_MASK) : write && !(fl & DESC_W_MASK)) {
            return false;
        }
    }
    return size == 0 || x86_seg_range_ok(fl, sc->limit, off, size);
}

bool x86_seg_range_ok(uint32_t flags, uint32_t limit, uint64_t off, unsigned size)
{
    uint64_t last = off + size - 1, top;

    if (seg_expand_down(flags)) {
        /* valid offsets: limit + 1 .. 0xffff or 0xffffffff by the B bit */
        top = (flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
        return off > limit && last <= top;
    }
    /* An access wrapping past 4 GiB under a 4 GiB limit is implementation
     * specific (SDM 5.3); like the unchecked path, let it wrap. */
    return limit == 0xffffffffu || last <= limit;
}

void x86_seg_check(CPUX86State *env, int seg, uint64_t off, unsigned size, bool write,
                   uintptr_t ra)
{
    if (!seg_access_ok(env, seg, off, size, write)) {
        raise_exception_err_ra(env, seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF, 0, ra);
    }
}

void helper_seg_check(CPUX86State *env, uint64_t off, uint32_t desc)
{
    x86_seg_check(env, (int)(desc & X86_SEGCHK_SEG_MASK), off, desc >> X86_SEGCHK_SIZE_SHIFT,
                  desc & X86_SEGCHK_WRITE, GETPC());
}
