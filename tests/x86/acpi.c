/*
 * acpi.c: the ACPI tables tern writes for -kernel guests (docs/pc.md,
 * "Firmware tables"), found as Linux finds them without boot_params: the
 * legacy scan of 0xE0000-0xFFFFF for "RSD PTR " on a 16-byte boundary,
 * then RSDP -> XSDT -> FADT -> DSDT/FACS and the MADT, each checksum
 * verified in guest memory, and the MADT's local APIC matching this CPU's
 * initial APIC ID (CPUID.1:EBX[31:24]).
 */
#include "tern.h"

static uint8_t sum(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static const uint8_t *ptr(uint64_t addr)
{
    return (const uint8_t *)(uintptr_t)addr;
}

/* A table at addr with signature sig, length and checksum right; NULL if not. */
static const uint8_t *sdt(uint64_t addr, const char *sig)
{
    const uint8_t *t = ptr(addr);

    if (addr < 0xe0000 || addr >= 0x100000 || __builtin_memcmp(t, sig, 4)) {
        return NULL;
    }
    return sum(t, (uint32_t)le(t + 4, 4)) == 0 ? t : NULL;
}

int main(const struct tern_bootinfo *bi)
{
    const uint8_t *rsdp = NULL, *xsdt, *fadt = NULL, *madt = NULL, *dsdt, *facs;
    uint32_t ebx, eax, ecx, edx;
    unsigned n, lapics = 0;

    (void)bi;
#ifdef TERN_NATIVE
    test_skip("reads the firmware tables in guest memory");
#endif
    test_group("acpi");
    for (uint64_t a = 0xe0000; a < 0x100000; a += 16) {
        if (!__builtin_memcmp(ptr(a), "RSD PTR ", 8)) {
            rsdp = ptr(a);
            break;
        }
    }
    CHECK_NAMED("rsdp-found", rsdp);
    if (!rsdp) {
        test_done();
    }
    CHECK_EQ_NAMED("rsdp-checksum", sum(rsdp, 20), 0);
    CHECK_EQ_NAMED("rsdp-xchecksum", sum(rsdp, 36), 0);
    CHECK_EQ_NAMED("rsdp-revision", rsdp[15], 2);
    xsdt = sdt(le(rsdp + 24, 8), "XSDT");
    CHECK_NAMED("xsdt", xsdt);
    CHECK_NAMED("rsdt", sdt(le(rsdp + 16, 4), "RSDT"));
    if (!xsdt) {
        test_done();
    }
    n = (unsigned)(le(xsdt + 4, 4) - 36) / 8;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = le(xsdt + 36 + 8 * i, 8);

        fadt = fadt ? fadt : sdt(a, "FACP");
        madt = madt ? madt : sdt(a, "APIC");
    }
    CHECK_NAMED("fadt", fadt);
    CHECK_NAMED("madt", madt);
    if (!fadt || !madt) {
        test_done();
    }
    dsdt = sdt(le(fadt + 140, 8), "DSDT");
    CHECK_NAMED("dsdt", dsdt);
    facs = ptr(le(fadt + 132, 8));
    CHECK_NAMED("facs", !__builtin_memcmp(facs, "FACS", 4) && ((uintptr_t)facs & 63) == 0);
    CHECK_EQ_NAMED("pm1a-cnt", le(fadt + 64, 4), 0x604);
    CHECK_EQ_NAMED("sci", le(fadt + 46, 2), 9);

    __asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
    for (uint32_t off = 44; off + 2 <= le(madt + 4, 4) && madt[off + 1]; off += madt[off + 1]) {
        if (madt[off] == 0) {
            CHECK_EQ_NAMED("lapic-id", madt[off + 3], ebx >> 24);
            lapics++;
        }
    }
    CHECK_EQ_NAMED("lapic-count", lapics, 1);
    test_done();
}
