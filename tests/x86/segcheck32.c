/*
 * segcheck32.c: LAR and LSL in legacy protected mode, which accept more
 * system types than IA-32e mode (SDM vol.2 tables 3-52, 3-60): the 16-bit
 * TSSes, and for LAR the call and task gates; VERR and VERW none.  The
 * rest of the four instructions, in 64-bit mode: segcheck.c.  Guest only
 * (32-bit, ring 0).
 */
#include "tern.h"

#define DEST_INIT 0xcafef00du

/* ZF of LAR or LSL of sel; *dest: its 32-bit destination (from DEST_INIT) */
static int lar(uint16_t sel, uint32_t *dest)
{
    uint32_t v = DEST_INIT;
    uint8_t zf;

    __asm__ volatile("lar %w2, %0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"(sel) : "cc");
    *dest = v;
    return zf;
}

static int lsl(uint16_t sel, uint32_t *dest)
{
    uint32_t v = DEST_INIT;
    uint8_t zf;

    __asm__ volatile("lsl %w2, %0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"(sel) : "cc");
    *dest = v;
    return zf;
}

static int verr(uint16_t sel)
{
    uint8_t zf;

    __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(zf) : "r"(sel) : "cc");
    return zf;
}

static int verw(uint16_t sel)
{
    uint8_t zf;

    __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(zf) : "r"(sel) : "cc");
    return zf;
}

/* LSL with a 16-bit destination: the low word of the limit, merged */
static uint32_t lsl16(uint16_t sel)
{
    uint32_t v = DEST_INIT;

    __asm__ volatile("lsl %w1, %w0" : "+r"(v) : "r"(sel) : "cc");
    return v;
}

int main(const struct tern_bootinfo *bi)
{
    static const char *const types[16] = {
        "0-reserved", "1-tss16", "2-ldt", "3-tss16-busy", "4-call-gate16", "5-task-gate",
        "6-int-gate16", "7-trap-gate16", "8-reserved", "9-tss32", "a-reserved",
        "b-tss32-busy", "c-call-gate32", "d-reserved", "e-int-gate32", "f-trap-gate32",
    };
    const uint16_t lar_ok = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 9 |
                            1u << 0xb | 1u << 0xc;
    const uint16_t lsl_ok = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 9 | 1u << 0xb;
    const uint16_t sel = TERN_GDT_FREE * 8;
    uint32_t v;

    (void)bi;
    tern_sys_install();

    /* the runtime's 32-bit code: G and D, a present DPL 0 code segment */
    test_group("cs");
    CHECK_EQ_NAMED("lar-zf", lar(read_seg(cs), &v), 1);
    CHECK_EQ_NAMED("lar-gd", (v >> 20) & 0xf, 0xc);
    CHECK_EQ_NAMED("lar-access", (v >> 8) & 0xf8, 0x98);

    for (unsigned type = 0; type < 16; type++) {
        tern_gdt[TERN_GDT_FREE] = tern_seg_desc(0x1000, 0x67, 0x80 | type, 0);
        tern_gdt_load();
        test_group("system-types/lar");
        CHECK_EQ_NAMED(types[type], lar(sel, &v), (lar_ok >> type) & 1);
        test_group("system-types/lar-value");
        CHECK_EQ_NAMED(types[type], v, (lar_ok >> type) & 1 ? 0x8000u | type << 8 : DEST_INIT);
        test_group("system-types/lsl");
        CHECK_EQ_NAMED(types[type], lsl(sel, &v), (lsl_ok >> type) & 1);
        test_group("system-types/lsl-value");
        CHECK_EQ_NAMED(types[type], v, (lsl_ok >> type) & 1 ? 0x67 : DEST_INIT);
        test_group("system-types/verr");
        CHECK_EQ_NAMED(types[type], verr(sel), 0);
        test_group("system-types/verw");
        CHECK_EQ_NAMED(types[type], verw(sel), 0);
    }

    /* a 16-bit TSS's limit with G, into a 16-bit destination */
    test_group("lsl16");
    tern_gdt[TERN_GDT_FREE] = tern_seg_desc(0x1000, 0x12, 0x81, 0x8);
    tern_gdt_load();
    CHECK_EQ_NAMED("tss16-g", lsl16(sel), (DEST_INIT & 0xffff0000u) | 0x2fff);
    tern_gdt[TERN_GDT_FREE] = 0;
    tern_gdt_load();
    test_done();
}
