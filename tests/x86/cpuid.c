// tern-native-amd: allow topology/leafb-?-type-* AMD hosts may read CPUID leaf 0xB as all zeros (AMD has it from Zen 2 only; this EPYC VM hides it): its SMT/core levels are Intel's
// tern-native-amd: allow topology/leafb-counts AMD hosts may read CPUID leaf 0xB as all zeros (AMD has it from Zen 2 only; this EPYC VM hides it): its SMT/core levels are Intel's
/*
 * cpuid.c: CPUID without exceptions.  Leaf 0 gives a max basic leaf >= 1
 * and a 12-character printable vendor string (EBX, EDX, ECX); leaf
 * 0x80000000 a max extended leaf >= 0x80000001; leaf 0x80000001 has LM
 * (EDX bit 29).  CPUID writes 32-bit registers, so bits 63:32 of RAX, RBX,
 * RCX and RDX are zeroed.  The brand string, address sizes and the
 * topology leaves (1, 4, 0xB) are consistent with each other; under tern
 * they describe the default model "max" with -smp 1 (docs/cpu.md).
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

/* Brand string (0x80000002-4): printable, NUL-terminated within 48 bytes;
 * address sizes (0x80000008): MAXPHYADDR 36-52, 48 or 57 linear bits. */
static void check_brand_and_sizes(void)
{
    char brand[49];
    int ok = 1, end = -1;

    for (uint32_t i = 0; i < 3; i++) {
        struct regs r = cpuid(0x80000002u + i, 0);
        uint32_t w[4] = { (uint32_t)r.a, (uint32_t)r.b, (uint32_t)r.c, (uint32_t)r.d };
        memcpy(brand + 16 * i, w, 16);
    }
    brand[48] = 0;
    for (int i = 0; i < 48 && end < 0; i++) {
        if (!brand[i]) {
            end = i;
        } else {
            ok &= brand[i] >= 0x20 && brand[i] < 0x7f;
        }
    }
    tern_printf("brand \"%s\"\n", ok ? brand : "?");
    CHECK_NAMED("brand-printable-nul-terminated", ok && end > 0);
    struct regs r = cpuid(0x80000008u, 0);
    uint32_t phys = r.a & 0xff, virt = (r.a >> 8) & 0xff;
    CHECK_NAMED("phys-bits-36-52", phys >= 36 && phys <= 52);
    CHECK_NAMED("virt-bits-48-57", virt == 48 || virt == 57);
#ifndef TERN_NATIVE
    /* the default model "max" (docs/cpu.md); 40 bits: mmu.c's MAXPHYADDR;
     * 57 linear bits: max has la57 */
    CHECK_NAMED("brand-max", !memcmp(brand, "tern virtual CPU", 17));
    CHECK_EQ_NAMED("addr-sizes", r.a, 0x3928);
#endif
}

/* Leaves 1, 4 and 0xB agree on the topology (SDM vol.3 9.9 and the CPUID
 * entry).  leaf4: an Intel CPU (AMD reports caches in 0x8000001D). */
static void check_topology(int intel)
{
    uint32_t max = (uint32_t)cpuid(0, 0).a;
    struct regs l1 = cpuid(1, 0), s0, s1, s2;
    uint32_t ids = (l1.b >> 16) & 0xff, apic = (uint32_t)l1.b >> 24;

    test_group("topology");
    CHECK_NAMED("leaf1-clflush-64", ((l1.b >> 8) & 0xff) == 8);
    if (intel && max >= 4) {
        unsigned n = 0, have_l1d = 0;
        for (uint32_t i = 0; i < 8; i++) {
            struct regs c = cpuid(4, i);
            uint32_t type = c.a & 0x1f, level = (c.a >> 5) & 7;
            if (type == 0) {
                break;
            }
            n++;
            have_l1d |= type == 1 && level == 1;
            CHECK_NAMED("leaf4-level-1-3", level >= 1 && level <= 3);
            CHECK_NAMED("leaf4-line-64", (c.b & 0xfff) == 63);
            CHECK_NAMED("leaf4-cores-fit-ids", !(l1.d & (1u << 28)) ||
                        ((c.a >> 26) + 1) <= ids);
        }
        CHECK_NAMED("leaf4-has-caches", n >= 2 && n < 8);
        CHECK_NAMED("leaf4-l1d", have_l1d);
    }
    if (max >= 0xb) {
        s0 = cpuid(0xb, 0);
        s1 = cpuid(0xb, 1);
        s2 = cpuid(0xb, 2);
        CHECK_EQ_NAMED("leafb-0-type-smt", s0.c & 0xffff, 0x100);
        CHECK_EQ_NAMED("leafb-1-type-core", s1.c & 0xffff, 0x201);
        CHECK_EQ_NAMED("leafb-2-type-none", s2.c & 0xffff, 2);
        CHECK_NAMED("leafb-counts", (s0.b & 0xffff) >= 1 && (s1.b & 0xffff) >= (s0.b & 0xffff));
        CHECK_NAMED("leafb-shifts", (s1.a & 0x1f) >= (s0.a & 0x1f));
        CHECK_NAMED("leafb-ids-fit", (1u << (s1.a & 0x1f)) >= (s1.b & 0xffff));
#ifndef TERN_NATIVE
        /* natively the process may move to another CPU between two CPUIDs */
        CHECK_EQ_NAMED("leafb-x2apic-id", s0.d & 0xff, apic);
        CHECK_EQ_NAMED("leafb-x2apic-id-same", s1.d, s0.d);
#endif
    }
#ifndef TERN_NATIVE
    /* -smp 1: one core, APIC ID 0, no HTT, nothing shared */
    CHECK_EQ_NAMED("smp1-apic-id", apic, 0);
    CHECK_EQ_NAMED("smp1-ids", ids, 1);
    CHECK_EQ_NAMED("smp1-no-htt", l1.d & (1u << 28), 0);
    CHECK_EQ_NAMED("smp1-leafb-cores", cpuid(0xb, 1).b & 0xffff, 1);
    CHECK_EQ_NAMED("smp1-leaf4-l3-sharing", (cpuid(4, 3).a >> 14) & 0xfff, 0);
    CHECK_EQ_NAMED("leaf2-use-leaf4", (uint32_t)cpuid(2, 0).a, 0xff01);
#else
    (void)apic;
#endif
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
    check_brand_and_sizes();
    check_topology(printable && !memcmp(vendor, "GenuineIntel", 12));
    test_done();
}
