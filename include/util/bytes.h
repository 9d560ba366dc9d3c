/*
 * bytes.h: integers of 1 to 8 bytes in byte buffers, little or big
 * endian, whatever the host's order and alignment, and the byte-sum
 * checksum of firmware tables.  For boot headers, firmware tables (ACPI,
 * SMBIOS) and device data structures that the guest reads as bytes.
 */
#ifndef UTIL_BYTES_H
#define UTIL_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t ld_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = bytes; i-- > 0;) {
        v = v << 8 | p[i];
    }
    return v;
}

static inline void st_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++, v >>= 8) {
        p[i] = (uint8_t)v;
    }
}

static inline uint64_t ld_be(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static inline void st_be(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = bytes; i-- > 0; v >>= 8) {
        p[i] = (uint8_t)v;
    }
}

/* The byte that makes the sum of len bytes 0 (ACPI, SMBIOS, MP tables). */
static inline uint8_t byte_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--) {
        sum += *p++;
    }
    return (uint8_t)-sum;
}

#endif
