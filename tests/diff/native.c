/*
 * native.c: what the host tools that run sequences natively (difftest,
 * bcdcheck) need to know about the host besides its CPU features.
 */
#include "native.h"

#include <stdio.h>

/*
 * LAR on the 32-bit user code selector: a present code segment (P, S and
 * the code type bit: 0x9800 of the access rights) of DPL 3 with D = 1 and
 * L = 0 (Linux's __USER32_CS reads 0x00cffb00).  A kernel without IA-32
 * emulation (or a paravirtualized one: PVM gives user space no 32-bit
 * segment at all) fails it, and the far jump to it would fault.
 */
const char *diff_native_compat_why(uint16_t sel32)
{
    uint32_t ar = 0;
    uint8_t ok = 0;

    __asm__("lar %k2, %0\n\tsetz %1" : "+r"(ar), "=qm"(ok) : "r"((uint32_t)sel32) : "cc");
    if (!ok || (ar & 0x00609800u) != 0x00409800u || (ar >> 13 & 3) != 3) {
        static char why[128];
        snprintf(why, sizeof(why), "the host kernel gives user space no 32-bit code "
                 "segment (LAR of selector %#x: %s)", sel32, ok ? "not one" : "fails");
        return why;
    }
    return NULL;
}
