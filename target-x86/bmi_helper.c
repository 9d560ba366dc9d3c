/*
 * bmi_helper.c: the BMI2 bit gather/scatter (pdep, pext) and SSE4.2's
 * CRC32 (the Castagnoli polynomial, CRC-32C), called by translate-bmi.c.
 */
#include "target-x86/cpu.h"
#include "target-x86/helper.h"

/* The low bits of src to the positions of mask's set bits, in order. */
uint64_t helper_pdep(uint64_t src, uint64_t mask)
{
    uint64_t res = 0, bit;

    for (; mask; mask &= mask - 1, src >>= 1) {
        bit = mask & -mask;
        if (src & 1) {
            res |= bit;
        }
    }
    return res;
}

/* The bits of src at mask's set bits, packed into the low bits. */
uint64_t helper_pext(uint64_t src, uint64_t mask)
{
    uint64_t res = 0, out = 1, bit;

    for (; mask; mask &= mask - 1, out <<= 1) {
        bit = mask & -mask;
        if (src & bit) {
            res |= out;
        }
    }
    return res;
}

/*
 * crc32: CRC-32C (reflected polynomial 0x82F63B78) of the low bits/8 bytes
 * of val, least significant first, continuing from crc.  No pre- or
 * post-inversion: the instruction leaves those to software.
 */
uint64_t helper_crc32(uint64_t crc, uint64_t val, uint32_t bits)
{
    uint32_t c = (uint32_t)crc;
    unsigned i;

    for (i = 0; i < bits; i++) {
        c = ((c ^ (uint32_t)(val >> i)) & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
    }
    return c;
}
