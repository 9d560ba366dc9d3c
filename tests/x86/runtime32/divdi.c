/*
 * divdi.c: the 64-bit division routines gcc calls in 32-bit code (there
 * is no 32-bit libgcc on the build host).  Shift-and-subtract: the guests
 * divide rarely (printf's digits).
 */
#include "tern.h"

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;

    for (i = 63; i >= 0; i--) {
        r = r << 1 | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    if (rem) {
        *rem = r;
    }
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;

    __udivmoddi4(n, d, &r);
    return r;
}

static uint64_t abs64(int64_t v)
{
    return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t q = __udivmoddi4(abs64(n), abs64(d), 0);

    return (int64_t)((n < 0) != (d < 0) ? -q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
    uint64_t r;

    __udivmoddi4(abs64(n), abs64(d), &r);
    return (int64_t)(n < 0 ? -r : r);
}
