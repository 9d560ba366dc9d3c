/*
 * string_helper.c: rep movs / rep stos in bounded chunks.
 *
 * Called by a rep movs/stos pass (translate-string.c) with rCX != 0.  It
 * runs at most REP_CHUNK_BYTES, then returns; the generated code jumps back
 * to the instruction while rCX != 0, so interrupts and exit requests are
 * seen between chunks.  Fast path: when the run of elements up to the next
 * page boundary (source and destination) is RAM already in the TLB with
 * plain tags (no MMIO, no translated code, no write protection), it is
 * copied or filled through host pointers.  Anything else (a TLB miss, MMIO,
 * a page holding code, an element that straddles pages, an overlap whose
 * element-wise result differs from memmove's) goes one element at a time
 * through cpu_ld/st_data_ra, which fills the TLB, handles the special
 * pages and raises #PF/#GP.  rCX/rSI/rDI are written back after every run,
 * before the next access that may fault: a fault restarts exactly.
 */
#include "target-x86/internal.h"
#include "target-x86/helper.h"

#define REP_CHUNK_BYTES (64 * 1024)

/* Host address of addr if its page is plain RAM in the TLB, or NULL. */
static uint8_t *rep_tlb_host(CPUX86State *env, uint64_t addr, int mmu_idx, bool write)
{
    CPUTLBEntry *e = tlb_entry(&env->tlb, mmu_idx, addr);
    uint64_t tag = write ? __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED) : e->addr_read;

    if (tag != (addr & TARGET_PAGE_MASK)) {
        return NULL;
    }
    return (uint8_t *)(uintptr_t)(addr + e->addend);
}

/*
 * The same, filling the TLB on a miss (a probe: no fault; the slow path
 * raises it).  The pointer stays valid when a later fill evicts the entry
 * (source and destination 4 MiB apart share a TLB slot): the guest cannot
 * change its memory map inside this helper.
 */
static uint8_t *rep_host(CPUX86State *env, uint64_t addr, int mmu_idx, bool write)
{
    uint8_t *h = rep_tlb_host(env, addr, mmu_idx, write);

    if (!h && x86_cpu_tlb_fill(env_cpu(env), addr, 1, write ? MMU_DATA_STORE : MMU_DATA_LOAD,
                               mmu_idx, true, 0)) {
        h = rep_tlb_host(env, addr, mmu_idx, write);
    }
    return h;
}

/* Elements of size bytes at linear addr going by dir (+1/-1) that stay
 * within addr's page; 0 if the first straddles the page end. */
static uint64_t rep_page_elems(uint64_t addr, unsigned size, int dir)
{
    uint64_t off = addr & ~TARGET_PAGE_MASK;

    if (off + size > TARGET_PAGE_SIZE) {
        return 0;
    }
    return dir > 0 ? (TARGET_PAGE_SIZE - off) / size : off / size + 1;
}

/* Elements before the address register wraps at the address size. */
static uint64_t rep_wrap_elems(uint64_t reg, uint64_t amask, unsigned size, int dir)
{
    if (amask == ~0ull) {
        return ~0ull;
    }
    return dir > 0 ? (amask - reg) / size + 1 : reg / size + 1;
}

static void rep_reg_set(CPUX86State *env, int reg, unsigned asize, uint64_t v)
{
    if (asize == MO_64) {
        env->regs[reg] = v;
    } else if (asize == MO_32) {
        env->regs[reg] = (uint32_t)v;
    } else {
        env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
    }
}

/* The fast run at (si, di): elements done through host pointers, or 0. */
static uint64_t rep_fast(CPUX86State *env, bool stos, uint64_t sa, uint64_t da, uint64_t si,
                         uint64_t di, uint64_t n, unsigned size, uint64_t amask, int mmu_idx)
{
    int dir = env->df;
    uint64_t back = dir > 0 ? 0 : size;   /* run start = addr - (n - 1) * size */
    uint8_t *hd, *hs = NULL;
    uint64_t val = env->regs[R_EAX], bytes, i;

    n = MIN(n, MIN(rep_page_elems(da, size, dir), rep_wrap_elems(di, amask, size, dir)));
    if (!stos) {
        n = MIN(n, MIN(rep_page_elems(sa, size, dir), rep_wrap_elems(si, amask, size, dir)));
    }
    if (n == 0 || (!stos && !(hs = rep_host(env, sa, mmu_idx, false))) ||
        !(hd = rep_host(env, da, mmu_idx, true))) {
        return 0;
    }
    if (!stos) {
        /* an element-wise copy reads data it has already written when the
         * destination lies ahead of the source in the direction of travel:
         * keep the run shorter than that distance */
        uintptr_t d = (uintptr_t)hd, s = (uintptr_t)hs;
        uint64_t dist = dir > 0 ? d - s : s - d;
        if (d != s && dist < n * size) {
            n = dist / size;
            if (n == 0) {
                return 0;
            }
        }
    }
    bytes = n * size;
    hd -= (n - 1) * back;
    if (stos) {
        if (size == 1) {
            memset(hd, (int)(val & 0xff), bytes);
        } else {
            for (i = 0; i < bytes; i += size) {
                memcpy(hd + i, &val, size);   /* host is little-endian, like the guest */
            }
        }
    } else {
        memmove(hd, hs - (n - 1) * back, bytes);
    }
    return n;
}

void helper_rep_movs_stos(CPUX86State *env, uint32_t desc)
{
    uintptr_t ra = GETPC();
    CPUState *cs = env_cpu(env);
    unsigned ot = desc & 3, size = 1u << ot;
    unsigned asize = (desc >> X86_REP_ASIZE_SHIFT) & 3;
    unsigned seg = (desc >> X86_REP_SEG_SHIFT) & 7;
    int mmu_idx = (desc >> X86_REP_MMU_SHIFT) & 7;
    bool stos = desc & X86_REP_STOS;
    uint64_t amask = asize == MO_64 ? ~0ull : asize == MO_32 ? 0xffffffffull : 0xffffull;
    uint64_t lmask = (desc & X86_REP_ADDR32) ? 0xffffffffull : ~0ull;
    uint64_t sbase = seg == X86_REP_SEG_NONE ? 0 : env->segs[seg].base;
    uint64_t dbase = (desc & X86_REP_ES_BASE) ? env->segs[R_ES].base : 0;
    uint64_t cnt = env->regs[R_ECX] & amask;
    uint64_t budget = REP_CHUNK_BYTES / size;
    int64_t step = (int64_t)env->df * size;

    while (cnt && budget) {
        uint64_t si = env->regs[R_ESI] & amask, di = env->regs[R_EDI] & amask;
        uint64_t sa = (sbase + si) & lmask, da = (dbase + di) & lmask;
        uint64_t n = rep_fast(env, stos, sa, da, si, di, MIN(cnt, budget), size, amask, mmu_idx);

        if (n == 0) {
            uint64_t v = stos ? env->regs[R_EAX]
                              : cpu_ld_data_ra(cs, sa, (MemOp)ot, mmu_idx, ra);
            cpu_st_data_ra(cs, da, v, (MemOp)ot, mmu_idx, ra);
            n = 1;
            /* a data breakpoint hit: trap after this iteration */
            budget = cpu_watchpoint_hit_pending(cs) ? n : budget;
        }
        if (!stos) {
            rep_reg_set(env, R_ESI, asize, si + n * step);
        }
        rep_reg_set(env, R_EDI, asize, di + n * step);
        cnt -= n;
        rep_reg_set(env, R_ECX, asize, cnt);
        budget -= n;
    }
}
