/*
 * desc.c: what both guest runtimes do alike with the tables their sys.c
 * owns (not in the native build).  tern_gdt_load: LGDT of tern_gdt, whose
 * pseudo-descriptor base is as wide as a pointer (64 or 32 bits).
 * tern_io_allow: sys.c points tern_iomap at the I/O permission bitmap in
 * its TSS, one bit per port, set = denied (SDM vol.1 19.5.2).
 */
#include "tern.h"

void tern_gdt_load(void)
{
    struct { uint16_t limit; uintptr_t base; } __attribute__((packed)) gdtr = {
        sizeof(tern_gdt) - 1, (uintptr_t)tern_gdt,
    };
    __asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
}

void tern_io_allow(unsigned port, int allow)
{
    uint8_t bit = (uint8_t)(1u << (port % 8));

    if (allow) {
        tern_iomap[port / 8] &= (uint8_t)~bit;
    } else {
        tern_iomap[port / 8] |= bit;
    }
}
