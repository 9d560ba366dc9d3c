/*
 * cpuid.c: CPUID without exceptions.  Leaf 0 gives a max basic leaf >= 1
 * and a 12-character printable vendor string (EBX, EDX, ECX); leaf
 * 0x80000000 a max extended leaf >= 0x80000001; leaf 0x80000001 has LM
 * (EDX bit 29).  CPUID writes 32-bit registers, so bits 63:32 of RAX, RBX,
 * RCX and RDX are zeroed.
 */
#include "tern.h"

struct regs {
    uint64_t a, b, c, d;
};

static struct regs cpuid(uint32_t leaf, uint32_t sub)
{
    struct regs r;
    r.a = 0xaaaaaaaa00000000ull | leaf;
    r.c = 0xcccccccc00000000ull | sub;
    /* rbx is written by cpuid: give it garbage first. */
    __asm__ volatile("movabsq $0xbbbbbbbbbbbbbbbb, %%rbx\n\tcpuid"
                     : "+a"(r.a), "=b"(r.b), "+c"(r.c), "=d"(r.d));
    return r;
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    test_group("cpuid");
    struct regs r = cpuid(0, 0);
    char vendor[13];
    for (int i = 0; i < 4; i++) {
        vendor[i] = (char)(r.b >> (8 * i));
        vendor[4 + i] = (char)(r.d >> (8 * i));
        vendor[8 + i] = (char)(r.c >> (8 * i));
    }
    vendor[12] = 0;
    int printable = 1;
    for (int i = 0; i < 12; i++) {
        printable &= vendor[i] >= 0x20 && vendor[i] < 0x7f;
    }
    tern_printf("vendor \"%s\", max leaf 0x%x\n", printable ? vendor : "?",
                (unsigned)r.a);
    CHECK_NAMED("max-leaf>=1", (uint32_t)r.a >= 1);
    CHECK_NAMED("vendor-printable", printable);
    CHECK_EQ_NAMED("upper-halves-zero", (r.a | r.b | r.c | r.d) >> 32, 0);

    r = cpuid(1, 0);
    tern_printf("leaf 1: eax=%08x ebx=%08x ecx=%08x edx=%08x\n", (unsigned)r.a,
                (unsigned)r.b, (unsigned)r.c, (unsigned)r.d);
    CHECK_EQ_NAMED("leaf1-upper-halves-zero", (r.a | r.b | r.c | r.d) >> 32, 0);

    r = cpuid(0x80000000, 0);
    CHECK_NAMED("max-ext-leaf>=0x80000001", (uint32_t)r.a >= 0x80000001u &&
                (uint32_t)r.a < 0x80010000u);
    r = cpuid(0x80000001, 0);
    CHECK_NAMED("ext-leaf-lm", r.d & (1u << 29));
    test_done();
}
