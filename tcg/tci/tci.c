/*
 * tci.c: the bytecode interpreter (layout in tci.h): tcg_tb_exec's way into
 * a block under the interpreter back end.
 *
 * The virtual registers and the spill frame live in tcg_target_exec's C
 * frame; a chained block (goto_tb, goto_ptr) continues in the same loop,
 * and exit_tb returns its value.  Helpers are called through a pointer
 * cast to six uint64_t arguments and a uint64_t result: every TCG helper
 * takes at most six integer or pointer arguments, and on the 64-bit ABIs
 * tern supports (SysV x86-64, AAPCS64) passing unused argument registers
 * is harmless and a narrower result leaves only the high bits undefined,
 * which the allocator treats as such.  Helpers read their return address
 * (GETPC) from tci_retaddr: the bytecode address after the calling
 * instruction, inside its guest instruction's range of the block.
 * Guest memory is little-endian; so must the host be.
 * Locking: none; the state is the calling thread's.
 */
#include "util/osdep.h"
#include "tcg/tcg-runtime.h"
#include "tcg/tcg-internal.h"
#include "tci.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the interpreter assumes a little-endian host");

__thread uintptr_t tci_retaddr;

typedef uint64_t (*TciHelper)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

static inline uint8_t tci_rd8(const uint8_t **p)
{
    return *(*p)++;
}

static inline int32_t tci_rd32(const uint8_t **p)
{
    int32_t v;

    memcpy(&v, *p, 4);
    *p += 4;
    return v;
}

static inline uint64_t tci_rd64(const uint8_t **p)
{
    uint64_t v;

    memcpy(&v, *p, 8);
    *p += 8;
    return v;
}

/* ---- host memory ------------------------------------------------------------ */

static uint64_t tci_host_ld(const void *h, MemOp mop)
{
    uint8_t b; uint16_t w; uint32_t l; uint64_t q;

    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB: memcpy(&b, h, 1); return b;
    case MO_SB: memcpy(&b, h, 1); return (uint64_t)(int8_t)b;
    case MO_UW: memcpy(&w, h, 2); return w;
    case MO_SW: memcpy(&w, h, 2); return (uint64_t)(int16_t)w;
    case MO_UL: memcpy(&l, h, 4); return l;
    case MO_SL: memcpy(&l, h, 4); return (uint64_t)(int32_t)l;
    default: memcpy(&q, h, 8); return q;
    }
}

/* One store of each size: a memcpy of variable size may store some bytes
 * twice (glibc writes 4..7 bytes as two overlapping 4-byte stores), and a
 * second store of a value another vCPU has since overwritten undoes its
 * store (a spinlock's release would free a lock someone else took). */
static void tci_host_st(void *h, unsigned size, uint64_t v)
{
    uint8_t b = (uint8_t)v; uint16_t w = (uint16_t)v; uint32_t l = (uint32_t)v;

    switch (size) {
    case 1: memcpy(h, &b, 1); break;
    case 2: memcpy(h, &w, 2); break;
    case 4: memcpy(h, &l, 4); break;
    default: memcpy(h, &v, 8); break;
    }
}

/* ---- guest memory ----------------------------------------------------------- */

/* The host address of a guest access on a TLB hit, else NULL: the same
 * test as the native fast path (tcg/tlb.h), so flagged pages, misses and
 * page-crossing accesses take the helper. */
static void *tci_tlb_hit(uintptr_t env, int32_t fast_off, uint64_t addr, unsigned size, bool is_ld)
{
    const CPUTLBFast *f = (const CPUTLBFast *)(env + fast_off);
    const CPUTLBEntry *e = (const CPUTLBEntry *)((uintptr_t)f->table +
        ((addr >> (TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS)) & f->mask));
    uint64_t tag = is_ld ? e->addr_read : e->addr_write;

    if (((addr + size - 1) & TARGET_PAGE_MASK) != tag) {
        return NULL;
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

/* Before the slow path's helper: store the dirty globals listed at *p. */
static void tci_ldst_sync(uint64_t *regs, const uint8_t *p, unsigned n)
{
    uintptr_t env = (uintptr_t)regs[TCI_REG_ENV];

    for (unsigned i = 0; i < n; i++, p += TCI_SYNC_SIZE) {
        int32_t off;

        memcpy(&off, p + 2, 4);
        memcpy((void *)(env + off), &regs[p[0]], p[1] == TCG_TYPE_I32 ? 4 : 8);
    }
}

/* guest_ld / guest_st: operands and fields at *pp (tci.h) */
static void tci_guest_ldst(uint64_t *regs, const uint8_t **pp, bool is_ld, bool is64)
{
    const uint8_t *p = *pp;
    uint8_t data = tci_rd8(&p), areg = tci_rd8(&p);
    MemOpIdx oi = (MemOpIdx)tci_rd32(&p);
    int32_t fast = tci_rd32(&p);
    unsigned n = tci_rd8(&p);
    const uint8_t *sync = p;
    uint64_t addr = regs[areg];
    MemOp mop = get_memop(oi);
    unsigned size = 1u << (mop & MO_SIZE);
    uintptr_t env = (uintptr_t)regs[TCI_REG_ENV];
    void *h = tci_tlb_hit(env, fast, addr, size, is_ld);
    uint64_t v;

    p += n * TCI_SYNC_SIZE;
    *pp = p;
    if (h && is_ld) {
        v = tci_host_ld(h, mop);
        regs[data] = is64 ? v : (uint32_t)v;
        return;
    }
    if (h) {
        tci_host_st(h, size, regs[data]);
        return;
    }
    tci_ldst_sync(regs, sync, n);
    if (is_ld) {
        v = helper_ld_mmu((void *)env, addr, oi, (uintptr_t)p);
        regs[data] = is64 ? v : (uint32_t)v;
    } else {
        helper_st_mmu((void *)env, addr, regs[data], oi, (uintptr_t)p);
    }
}

static void tci_call(uint64_t *regs, const uint8_t **pp)
{
    uintptr_t f = (uintptr_t)tci_rd64(pp);
    TciHelper fn;

    memcpy(&fn, &f, sizeof(fn));
    tci_retaddr = (uintptr_t)*pp;
    regs[0] = fn(regs[0], regs[1], regs[2], regs[3], regs[4], regs[5]);
    tci_retaddr = 0;
}

/* ---- the loop ----------------------------------------------------------------- */

/* The second input: a register, or the inline constant when TCI_IMM. */
#define OPND()  ((op & TCI_IMM) ? tci_rd64(&p) : regs[tci_rd8(&p)])
#define REG()   regs[tci_rd8(&p)]
/* An i32 result is zero-extended, as on x86-64: helpers may take it as a
 * uint64_t argument. */
#define SET(r, v) (regs[r] = (op & 1) ? (uint64_t)(v) : (uint32_t)(v))
#define CASE(name) case TCI_OP(INDEX_op_##name, TCG_TYPE_I32): case TCI_OP(INDEX_op_##name, TCG_TYPE_I64)
#define CASE32(name) case TCI_OP(INDEX_op_##name, TCG_TYPE_I32)
#define CASE64(name) case TCI_OP(INDEX_op_##name, TCG_TYPE_I64)

static inline uint64_t rol32(uint32_t x, unsigned n) { n &= 31; return (uint32_t)(x << n | x >> (-n & 31)); }
static inline uint64_t rol64(uint64_t x, unsigned n) { n &= 63; return x << n | x >> (-n & 63); }

uintptr_t tcg_target_exec(const void *entry, void *env, const void *tc_ptr)
{
    uint64_t regs[TCG_TARGET_NB_REGS] = { 0 };
    uint64_t frame[(TCG_STATIC_CALL_ARGS_SIZE + TCG_STATIC_FRAME_SIZE) / 8];
    const uint8_t *p = tc_ptr;

    (void)entry;
    regs[TCI_REG_ENV] = (uintptr_t)env;
    regs[TCI_REG_FRAME] = (uintptr_t)frame;
    for (;;) {
        uint8_t op = *p++;
        uint8_t d, d2;
        uint64_t a, b, c;
        uintptr_t base;
        int32_t off;
        TCGType type = (op & 1) ? TCG_TYPE_I64 : TCG_TYPE_I32;

        switch (op & ~TCI_IMM) {
        CASE(mov):
            d = tci_rd8(&p); SET(d, OPND()); break;
        CASE(add):
            d = tci_rd8(&p); a = REG(); SET(d, a + OPND()); break;
        CASE(sub):
            d = tci_rd8(&p); a = REG(); SET(d, a - OPND()); break;
        CASE(mul):
            d = tci_rd8(&p); a = REG(); SET(d, a * OPND()); break;
        CASE(and):
            d = tci_rd8(&p); a = REG(); SET(d, a & OPND()); break;
        CASE(or):
            d = tci_rd8(&p); a = REG(); SET(d, a | OPND()); break;
        CASE(xor):
            d = tci_rd8(&p); a = REG(); SET(d, a ^ OPND()); break;
        CASE(andc):
            d = tci_rd8(&p); a = REG(); SET(d, a & ~OPND()); break;
        CASE(shl):
            d = tci_rd8(&p); a = REG(); SET(d, a << (OPND() & 63)); break;
        CASE32(shr):
            d = tci_rd8(&p); a = REG(); SET(d, (uint32_t)a >> (OPND() & 31)); break;
        CASE64(shr):
            d = tci_rd8(&p); a = REG(); SET(d, a >> (OPND() & 63)); break;
        CASE32(sar):
            d = tci_rd8(&p); a = REG(); SET(d, (uint64_t)((int32_t)a >> (OPND() & 31))); break;
        CASE64(sar):
            d = tci_rd8(&p); a = REG(); SET(d, (uint64_t)((int64_t)a >> (OPND() & 63))); break;
        CASE32(rotl):
            d = tci_rd8(&p); a = REG(); SET(d, rol32((uint32_t)a, (unsigned)OPND())); break;
        CASE64(rotl):
            d = tci_rd8(&p); a = REG(); SET(d, rol64(a, (unsigned)OPND())); break;
        CASE32(rotr):
            d = tci_rd8(&p); a = REG(); SET(d, rol32((uint32_t)a, -(unsigned)OPND())); break;
        CASE64(rotr):
            d = tci_rd8(&p); a = REG(); SET(d, rol64(a, -(unsigned)OPND())); break;
        CASE(neg):
            d = tci_rd8(&p); SET(d, -REG()); break;
        CASE(not):
            d = tci_rd8(&p); SET(d, ~REG()); break;
        CASE32(mulu2): {
            d = tci_rd8(&p); d2 = tci_rd8(&p); a = REG(); b = REG();
            uint64_t r = (uint64_t)(uint32_t)a * (uint32_t)b;
            SET(d, r); SET(d2, r >> 32);
            break;
        }
        CASE64(mulu2): {
            d = tci_rd8(&p); d2 = tci_rd8(&p); a = REG(); b = REG();
            unsigned __int128 r = (unsigned __int128)a * b;
            SET(d, (uint64_t)r); SET(d2, (uint64_t)(r >> 64));
            break;
        }
        CASE32(muls2): {
            d = tci_rd8(&p); d2 = tci_rd8(&p); a = REG(); b = REG();
            int64_t r = (int64_t)(int32_t)a * (int32_t)b;
            SET(d, (uint64_t)r); SET(d2, (uint64_t)(r >> 32));
            break;
        }
        CASE64(muls2): {
            d = tci_rd8(&p); d2 = tci_rd8(&p); a = REG(); b = REG();
            __int128 r = (__int128)(int64_t)a * (int64_t)b;
            SET(d, (uint64_t)r); SET(d2, (uint64_t)(r >> 64));
            break;
        }
        CASE(bswap16):
            d = tci_rd8(&p); SET(d, __builtin_bswap16((uint16_t)REG())); break;
        CASE(bswap32):
            d = tci_rd8(&p); SET(d, __builtin_bswap32((uint32_t)REG())); break;
        CASE(bswap64):
            d = tci_rd8(&p); SET(d, __builtin_bswap64(REG())); break;
        CASE32(ctpop):
            d = tci_rd8(&p); SET(d, (uint64_t)__builtin_popcount((uint32_t)REG())); break;
        CASE64(ctpop):
            d = tci_rd8(&p); SET(d, (uint64_t)__builtin_popcountll(REG())); break;
        CASE(ext8s):
            d = tci_rd8(&p); SET(d, (uint64_t)(int8_t)REG()); break;
        CASE(ext8u):
            d = tci_rd8(&p); SET(d, (uint8_t)REG()); break;
        CASE(ext16s):
            d = tci_rd8(&p); SET(d, (uint64_t)(int16_t)REG()); break;
        CASE(ext16u):
            d = tci_rd8(&p); SET(d, (uint16_t)REG()); break;
        CASE(ext32s): CASE(exts_i32_i64):
            d = tci_rd8(&p); SET(d, (uint64_t)(int32_t)REG()); break;
        CASE(ext32u): CASE(extu_i32_i64): CASE(extrl_i64_i32):
            d = tci_rd8(&p); SET(d, (uint32_t)REG()); break;

        CASE(setcond):
            d = tci_rd8(&p); a = REG(); b = OPND();
            SET(d, tcg_cond_eval(type, (TCGCond)tci_rd8(&p), a, b));
            break;
        CASE(movcond):
            d = tci_rd8(&p); a = REG(); b = OPND(); c = REG();
            {
                uint64_t v2 = REG();
                SET(d, tcg_cond_eval(type, (TCGCond)tci_rd8(&p), a, b) ? c : v2);
            }
            break;
        CASE(brcond):
            a = REG(); b = OPND();
            c = tcg_cond_eval(type, (TCGCond)tci_rd8(&p), a, b);
            off = tci_rd32(&p);
            if (c) {
                p += off;
            }
            break;
        CASE(br):
            off = tci_rd32(&p);
            p += off;
            break;

#define LOAD(name, T, expr)                                                    \
        CASE(name):                                                            \
            d = tci_rd8(&p); base = (uintptr_t)REG(); off = tci_rd32(&p);      \
            { T v; memcpy(&v, (const void *)(base + off), sizeof(v)); SET(d, expr); } \
            break;
        LOAD(ld8u, uint8_t, v)
        LOAD(ld8s, int8_t, (uint64_t)v)
        LOAD(ld16u, uint16_t, v)
        LOAD(ld16s, int16_t, (uint64_t)v)
        LOAD(ld32u, uint32_t, v)
        LOAD(ld32s, int32_t, (uint64_t)v)
#undef LOAD
        CASE32(ld):
            d = tci_rd8(&p); base = (uintptr_t)REG(); off = tci_rd32(&p);
            { uint32_t v; memcpy(&v, (const void *)(base + off), 4); SET(d, v); }
            break;
        CASE64(ld):
            d = tci_rd8(&p); base = (uintptr_t)REG(); off = tci_rd32(&p);
            { uint64_t v; memcpy(&v, (const void *)(base + off), 8); regs[d] = v; }
            break;
#define STORE(name, size)                                                      \
        CASE(name):                                                            \
            a = REG(); base = (uintptr_t)REG(); off = tci_rd32(&p);            \
            memcpy((void *)(base + off), &a, (size));                          \
            break;
        STORE(st8, 1)
        STORE(st16, 2)
        STORE(st32, 4)
        STORE(st, type == TCG_TYPE_I32 ? 4 : 8)
#undef STORE

        CASE(guest_ld):
            tci_guest_ldst(regs, &p, true, op & 1);
            break;
        CASE(guest_st):
            tci_guest_ldst(regs, &p, false, op & 1);
            break;
        CASE(call):
            tci_call(regs, &p);
            break;
        CASE(mb):
            if (tci_rd8(&p) & TCG_MO_ST_LD) {
                __atomic_thread_fence(__ATOMIC_SEQ_CST);
            } else {
                __atomic_thread_fence(__ATOMIC_ACQ_REL);
            }
            break;
        CASE(exit_tb):
            return (uintptr_t)tci_rd64(&p);
        CASE(goto_tb): {
            const uint8_t *f = (const uint8_t *)ROUND_UP((uintptr_t)p, 4);
            /* acquire: the chained block's bytecode is complete */
            p = f + 4 + __atomic_load_n((const int32_t *)f, __ATOMIC_ACQUIRE);
            break;
        }
        CASE(goto_ptr):
            p = (const uint8_t *)(uintptr_t)REG();
            break;
        default:
            fprintf(stderr, "tci: bad bytecode 0x%02x at %p\n", op, (const void *)(p - 1));
            abort();
        }
    }
}
