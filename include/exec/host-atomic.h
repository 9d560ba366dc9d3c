/*
 * host-atomic.h: compare-and-swap on host memory, the primitive every guest
 * atomic read-modify-write of multi-threaded TCG ends in (accel/tcg/atomic.c).
 *
 * Sequentially consistent: on any host it is also the full barrier a guest
 * LOCKed instruction implies.  p must be naturally aligned (the caller takes
 * a serialised path otherwise).  Values are little-endian guest values of
 * the host's byte order: these are x86 hosts and guests (a big-endian host
 * would swap here).  The 16-byte form needs the host's double-width CAS
 * (x86-64: cmpxchg16b, through libatomic).
 */
#ifndef EXEC_HOST_ATOMIC_H
#define EXEC_HOST_ATOMIC_H

#include "util/osdep.h"

/* Store new at p if *p == old (size 1, 2, 4 or 8 bytes, old and new
 * truncated to it); returns the value found, zero-extended: the swap
 * happened iff it equals old truncated to size. */
static inline uint64_t host_atomic_cmpxchg(void *p, unsigned size, uint64_t old, uint64_t new)
{
    switch (size) {
    case 1: {
        uint8_t o = (uint8_t)old;
        __atomic_compare_exchange_n((uint8_t *)p, &o, (uint8_t)new, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return o;
    }
    case 2: {
        uint16_t o = (uint16_t)old;
        __atomic_compare_exchange_n((uint16_t *)p, &o, (uint16_t)new, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return o;
    }
    case 4: {
        uint32_t o = (uint32_t)old;
        __atomic_compare_exchange_n((uint32_t *)p, &o, (uint32_t)new, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return o;
    }
    default: {
        uint64_t o = old;
        assert(size == 8);
        __atomic_compare_exchange_n((uint64_t *)p, &o, new, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        return o;
    }
    }
}

/* 16 bytes at p (16-aligned): if they equal *lo:*hi store nlo:nhi and
 * return true, else return false with *lo:*hi set to what was found. */
static inline bool host_atomic_cmpxchg16(void *p, uint64_t *lo, uint64_t *hi,
                                         uint64_t nlo, uint64_t nhi)
{
    unsigned __int128 o = ((unsigned __int128)*hi << 64) | *lo;
    unsigned __int128 n = ((unsigned __int128)nhi << 64) | nlo;
    bool ok = __atomic_compare_exchange_n((unsigned __int128 *)p, &o, n, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);

    *lo = (uint64_t)o;
    *hi = (uint64_t)(o >> 64);
    return ok;
}

#endif
