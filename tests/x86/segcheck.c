// tern-nested: allow current/lar-cs-limit-hi QEMU 7.2 TCG (the nested CPU) masks LAR's result with 00F0FF00H: limit 19:16 reads 0, not as on the Intel host
// tern-nested: allow values/lar-data0 QEMU 7.2 TCG (the nested CPU) masks LAR's result with 00F0FF00H: limit 19:16 reads 0
// tern-nested: allow values/lar-np0 QEMU 7.2 TCG (the nested CPU) masks LAR's result with 00F0FF00H: limit 19:16 reads 0
// tern-nested: allow cpl0/lar-ldt QEMU 7.2 TCG (the nested CPU) takes legacy mode's LAR/LSL system types in IA-32e mode too, not the SDM's IA-32e table
// tern-nested: allow cpl0/lsl-tss-upper QEMU 7.2 TCG (the nested CPU) takes legacy mode's LAR/LSL system types in IA-32e mode too, not the SDM's IA-32e table
// tern-nested: allow system-types/l* QEMU 7.2 TCG (the nested CPU) takes legacy mode's LAR/LSL system types in IA-32e mode too, not the SDM's IA-32e table
/*
 * segcheck.c: VERR, VERW, LAR and LSL in 64-bit mode (SDM vol.2; docs/isa.md,
 * System).  The native build proves on the host CPU, at CPL 3, what the
 * current CS and SS give (readable code, writable data, the access rights
 * and the flat limit at each operand size), that a null selector or one
 * beyond the GDT only clears ZF and leaves the destination alone (a 32-bit
 * one not even zero-extended), that the other flags are kept, that a
 * memory operand is read as a word (a non-canonical one is #GP(0)).  Under
 * tern the same checks run at CPL 0, and then, with descriptors of the
 * test's own in the GDT and an LDT, the privilege rules at CPL 0 and 3
 * (DPL against CPL and RPL, conforming code exempt), read-only data and
 * execute-only code, a not-present segment (still answered), the limit
 * with and without G, and the system types IA-32e mode accepts (the SDM's
 * tables: a user program sees no DPL 0 descriptor, so the native build
 * cannot prove them).  Legacy protected mode's types: segcheck32.c; #UD
 * in virtual-8086 mode: v86.c.
 */
#include "tern.h"

/* What LAR and LSL find in their destination; failing, they leave it. */
#define DEST_INIT 0xdeadbeefcafef00dull

enum { OP_VERR, OP_VERW, OP_LAR, OP_LSL };

/* ZF of op on sel; *dest: LAR's or LSL's 32-bit destination (from DEST_INIT). */
static int seg_op(int op, uint16_t sel, uint64_t *dest)
{
    uint64_t v = DEST_INIT;
    uint8_t zf;

    switch (op) {
    case OP_VERR:
        __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(zf) : "r"(sel) : "cc");
        break;
    case OP_VERW:
        __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(zf) : "r"(sel) : "cc");
        break;
    case OP_LAR:
        __asm__ volatile("lar %w2, %k0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"(sel) : "cc");
        break;
    default:
        __asm__ volatile("lsl %w2, %k0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"(sel) : "cc");
        break;
    }
    if (dest) {
        *dest = v;
    }
    return zf;
}

static int verr(uint16_t sel)
{
    return seg_op(OP_VERR, sel, NULL);
}

static int verw(uint16_t sel)
{
    return seg_op(OP_VERW, sel, NULL);
}

/* LAR or LSL at 16 and 64 bits (the destination from DEST_INIT) */
#define SEG_DEST_FN(name, insn)                                               \
static uint64_t name(uint16_t sel)                                            \
{                                                                             \
    uint64_t v = DEST_INIT;                                                   \
                                                                              \
    __asm__ volatile(insn : "+r"(v) : "r"(sel) : "cc");                       \
    return v;                                                                 \
}
SEG_DEST_FN(lar16, "lar %w1, %w0")
SEG_DEST_FN(lar64, "lar %w1, %0")
SEG_DEST_FN(lsl16, "lsl %w1, %w0")
SEG_DEST_FN(lsl64, "lsl %w1, %0")
#undef SEG_DEST_FN

/* RFLAGS after VERW or LAR of sel, entered with the arithmetic flags fl */
static uint64_t verw_flags(uint16_t sel, uint64_t fl)
{
    __asm__ volatile("push %0\n\tpopf\n\tverw %w1\n\tpushf\n\tpop %0"
                     : "+r"(fl) : "r"(sel) : "cc");
    return fl & FL_ARITH;
}

static uint64_t lar_flags(uint16_t sel, uint64_t fl)
{
    uint64_t v;

    __asm__ volatile("push %0\n\tpopf\n\tlar %w2, %k1\n\tpushf\n\tpop %0"
                     : "+r"(fl), "=r"(v) : "r"(sel) : "cc");
    return fl & FL_ARITH;
}

/* The selectors in memory: VERW m16, LAR/LSL r32, m16; a word, which
 * 0xffff follows (a wider read would name no descriptor) */
static struct {
    uint16_t sel, above;
} mem_sel = { 0, 0xffff };
static uint64_t mdest;

static int verw_m(uint16_t sel)
{
    uint8_t zf;

    mem_sel.sel = sel;
    __asm__ volatile("verw %1\n\tsetz %0" : "=q"(zf) : "m"(mem_sel.sel) : "cc");
    return zf;
}

/* LAR or LSL r32, m16: ZF, and the destination from DEST_INIT in *dest */
#define SEG_MEM_FN(name, insn)                                                \
static int name(uint16_t sel, uint64_t *dest)                                 \
{                                                                             \
    uint64_t v = DEST_INIT;                                                   \
    uint8_t zf;                                                               \
                                                                              \
    mem_sel.sel = sel;                                                        \
    __asm__ volatile(insn " %2, %k0\n\tsetz %1"                                \
                     : "+r"(v), "=q"(zf) : "m"(mem_sel.sel) : "cc");          \
    *dest = v;                                                                \
    return zf;                                                                \
}
SEG_MEM_FN(lsl_m, "lsl")
SEG_MEM_FN(lar_m, "lar")
#undef SEG_MEM_FN

/* A word operand at a non-canonical address: #GP(0), as a plain read */
FAULT_FN_AT(verw_noncanonical, "movabs $0x8000000000000000, %rax", "verw (%rax)", "");
FAULT_FN_AT(lsl_noncanonical, "movabs $0x8000000000000000, %rax", "lsl (%rax), %ecx", "");

#define DESC_P      0x8000u
#define DESC_S      0x1000u
#define DESC_CODE   0x0800u
#define DESC_RW     0x0200u     /* code: readable, data: writable */
#define DPL(v)      (((v) >> 13) & 3)

/* CS and SS as this program runs (CPL 0 under tern, 3 natively) */
static void current_segments(void)
{
    uint16_t cs = read_seg(cs), ss = read_seg(ss), ds = read_seg(ds);
    unsigned cpl = cs & 3;
    uint64_t v;

    test_group("current");
    CHECK_EQ_NAMED("verr-cs", verr(cs), 1);
    CHECK_EQ_NAMED("verw-cs", verw(cs), 0);
    CHECK_EQ_NAMED("verr-ss", verr(ss), 1);
    CHECK_EQ_NAMED("verw-ss", verw(ss), 1);
    /* natively DS is null in 64-bit mode; under tern the boot's data */
    CHECK_EQ_NAMED("verw-ds", verw(ds), (ds & 0xfffc) != 0);
    /* the DPL of SS is the CPL: an RPL 3 selector sees it only at CPL 3 */
    CHECK_EQ_NAMED("verr-ss-rpl3", verr(ss | 3), cpl == 3);

    CHECK_EQ_NAMED("lar-cs-zf", seg_op(OP_LAR, cs, &v), 1);
    CHECK_EQ_NAMED("lar-cs-type", v & (DESC_P | DESC_S | DESC_CODE), DESC_P | DESC_S | DESC_CODE);
    CHECK_EQ_NAMED("lar-cs-dpl", DPL(v), cpl);
    /* 00FxFF00H: x is limit 19:16 on the Intel host; a 32-bit result zero-extends */
    CHECK_EQ_NAMED("lar-cs-mask", v & ~0x00ffff00ull, 0);
    CHECK_EQ_NAMED("lar-cs-limit-hi", v & 0x000f0000, 0x000f0000);
    CHECK_EQ_NAMED("lar64-cs", lar64(cs), v);
    CHECK_EQ_NAMED("lar16-cs", lar16(cs), (DEST_INIT & ~0xffffull) | (v & 0xff00));
    CHECK_EQ_NAMED("lar-ss-zf", seg_op(OP_LAR, ss, &v), 1);
    CHECK_EQ_NAMED("lar-ss-type", v & (DESC_P | DESC_S | DESC_CODE | DESC_RW),
                   DESC_P | DESC_S | DESC_RW);
    CHECK_EQ_NAMED("lar-ss-dpl", DPL(v), cpl);

    /* flat: 4 GiB - 1, which a 16-bit destination truncates */
    CHECK_EQ_NAMED("lsl-ss-zf", seg_op(OP_LSL, ss, &v), 1);
    CHECK_EQ_NAMED("lsl-ss", v, 0xffffffffull);
    CHECK_EQ_NAMED("lsl64-ss", lsl64(ss), 0xffffffffull);
    CHECK_EQ_NAMED("lsl16-ss", lsl16(ss), (DEST_INIT & ~0xffffull) | 0xffff);
    CHECK_EQ_NAMED("lsl-cs-zf", seg_op(OP_LSL, cs, &v), 1);

    test_group("memory");
    CHECK_EQ_NAMED("verw-m-ss", verw_m(ss), 1);
    CHECK_EQ_NAMED("verw-m-cs", verw_m(cs), 0);
    CHECK_EQ_NAMED("lsl-m-ss-zf", lsl_m(ss, &mdest), 1);
    CHECK_EQ_NAMED("lsl-m-ss", mdest, 0xffffffffull);
    CHECK_EQ_NAMED("lar-m-cs-zf", lar_m(cs, &mdest), 1);
    CHECK_EQ_NAMED("lar-m-cs", mdest, v = lar64(cs));
    CHECK_EQ_NAMED("lar-m-null-zf", lar_m(0, &mdest), 0);
    CHECK_EQ_NAMED("lar-m-null", mdest, DEST_INIT);
    CHECK_FAULT("verw-noncanonical", tern_catch_fault(verw_noncanonical), 13, 0,
                verw_noncanonical_at, 0);
    CHECK_FAULT("lsl-noncanonical", tern_catch_fault(lsl_noncanonical), 13, 0,
                lsl_noncanonical_at, 0);

    /* only ZF changes */
    test_group("flags");
    CHECK_EQ_NAMED("verw-ss-clear", verw_flags(ss, 0), FL_ZF);
    CHECK_EQ_NAMED("verw-cs-set", verw_flags(cs, FL_ARITH), FL_ARITH & ~FL_ZF);
    CHECK_EQ_NAMED("lar-cs-clear", lar_flags(cs, 0), FL_ZF);
    CHECK_EQ_NAMED("lar-null-set", lar_flags(0, FL_ARITH), FL_ARITH & ~FL_ZF);
}

/* A null selector (any RPL) and selectors beyond the GDT and the empty
 * LDT: ZF = 0 for all four, LAR and LSL write nothing. */
static void bad_selectors(void)
{
    static const struct { uint16_t sel; const char *zf, *dest; } sels[] = {
        { 0, "null", "null-dest" },
        { 3, "null-rpl3", "null-rpl3-dest" },
        { 0xfff8, "beyond-gdt", "beyond-gdt-dest" },
        { 0xfffb, "beyond-gdt-rpl3", "beyond-gdt-rpl3-dest" },
        { 0xfffc, "beyond-ldt", "beyond-ldt-dest" },
    };
    static const char *const groups[] = {
        "bad-selector/verr", "bad-selector/verw", "bad-selector/lar", "bad-selector/lsl",
    };

    for (int op = OP_VERR; op <= OP_LSL; op++) {
        test_group(groups[op]);
        for (unsigned i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
            uint64_t v;

            CHECK_EQ_NAMED(sels[i].zf, seg_op(op, sels[i].sel, &v), 0);
            if (op == OP_LAR || op == OP_LSL) {
                CHECK_EQ_NAMED(sels[i].dest, v, DEST_INIT);
            }
        }
    }
}

/* ---- under tern: descriptors of the test's own (ring 0) ------------------ */

#define SEL_DATA0   0x38    /* data, DPL 0, byte-granular limit 0x12345 */
#define SEL_RO3     0x43    /* read-only data, DPL 3, G: limit 0x12fff */
#define SEL_XO0     0x48    /* execute-only code, DPL 0 */
#define SEL_CONF0   0x50    /* conforming readable code, DPL 0 */
#define SEL_NP0     0x58    /* data, DPL 0, not present */
#define SEL_CODE3   0x63    /* readable code, DPL 3 */
#define SEL_LDT     0x68    /* the LDT (16 bytes: entries 13-14) */
#define SEL_LDATA3  0x0f    /* LDT entry 1: data, DPL 3 */
#define SEL_LBEYOND 0x17    /* LDT entry 2: beyond its limit */

static uint64_t ldt[2] __attribute__((aligned(8)));

static void install_descriptors(void)
{
    uint64_t base = (uint64_t)(uintptr_t)ldt;

    tern_gdt[7] = tern_seg_desc(0, 0x12345, 0x92, 0x4);
    tern_gdt[8] = tern_seg_desc(0, 0x12, 0xf0, 0x8);
    tern_gdt[9] = tern_seg_desc(0, 0xfffff, 0x98, 0xa);
    tern_gdt[10] = tern_seg_desc(0, 0xfffff, 0x9e, 0xa);
    tern_gdt[11] = tern_seg_desc(0, 0xfffff, 0x12, 0xc);
    tern_gdt[12] = tern_seg_desc(0, 0xfffff, 0xfa, 0xa);
    tern_gdt[13] = tern_seg_desc((uint32_t)base, sizeof(ldt) - 1, 0x82, 0);
    tern_gdt[14] = base >> 32;
    ldt[1] = tern_seg_desc(0, 0xfffff, 0xf2, 0xc);
    tern_gdt_load();
    __asm__ volatile("lldt %w0" : : "r"(SEL_LDT));
}

/* A null selector names no descriptor, whatever GDT entry 0 holds */
static void null_entry_tests(void)
{
    static const char *const names[] = { "verr", "verw", "lar", "lsl" };

    test_group("null-entry");
    tern_gdt[0] = tern_seg_desc(0, 0xfffff, 0xf2, 0xc);    /* data, DPL 3 */
    tern_gdt_load();
    for (int op = OP_VERR; op <= OP_LSL; op++) {
        CHECK_EQ_NAMED(names[op], seg_op(op, 0, NULL), 0);
    }
    tern_gdt[0] = 0;
    tern_gdt_load();
}

static void remove_descriptors(void)
{
    __asm__ volatile("lldt %w0" : : "r"(0));
    for (unsigned i = 7; i <= 14; i++) {
        tern_gdt[i] = 0;
    }
    tern_gdt_load();
}

/* ZF of each op at CPL 0 and at CPL 3 */
static const struct {
    const char *name;
    int op;
    uint16_t sel;
    uint8_t cpl0, cpl3;
} rules[] = {
    { "verr-data0", OP_VERR, SEL_DATA0, 1, 0 },
    { "verw-data0", OP_VERW, SEL_DATA0, 1, 0 },
    { "lar-data0", OP_LAR, SEL_DATA0, 1, 0 },
    { "lsl-data0", OP_LSL, SEL_DATA0, 1, 0 },
    { "verr-data0-rpl3", OP_VERR, SEL_DATA0 | 3, 0, 0 },
    { "lar-data0-rpl1", OP_LAR, SEL_DATA0 | 1, 0, 0 },
    { "verr-ro3", OP_VERR, SEL_RO3, 1, 1 },
    { "verw-ro3", OP_VERW, SEL_RO3, 0, 0 },
    { "lsl-ro3", OP_LSL, SEL_RO3, 1, 1 },
    { "verr-xo0", OP_VERR, SEL_XO0, 0, 0 },
    { "verw-xo0", OP_VERW, SEL_XO0, 0, 0 },
    { "lar-xo0", OP_LAR, SEL_XO0, 1, 0 },
    /* conforming code: no privilege check (but it is never writable) */
    { "verr-conf0", OP_VERR, SEL_CONF0, 1, 1 },
    { "verr-conf0-rpl3", OP_VERR, SEL_CONF0 | 3, 1, 1 },
    { "verw-conf0", OP_VERW, SEL_CONF0, 0, 0 },
    { "lar-conf0", OP_LAR, SEL_CONF0, 1, 1 },
    { "lsl-conf0", OP_LSL, SEL_CONF0, 1, 1 },
    /* the present bit is not looked at */
    { "verr-np0", OP_VERR, SEL_NP0, 1, 0 },
    { "verw-np0", OP_VERW, SEL_NP0, 1, 0 },
    { "lar-np0", OP_LAR, SEL_NP0, 1, 0 },
    { "verr-code3", OP_VERR, SEL_CODE3, 1, 1 },
    { "verw-code3", OP_VERW, SEL_CODE3, 0, 0 },
    { "lar-code3", OP_LAR, SEL_CODE3, 1, 1 },
    /* the LDT: an entry in it, one beyond its limit; its own descriptor
     * (type 2: LSL yes, LAR no in IA-32e mode; DPL 0) */
    { "verr-ldata3", OP_VERR, SEL_LDATA3, 1, 1 },
    { "verw-ldata3", OP_VERW, SEL_LDATA3, 1, 1 },
    { "lsl-ldata3", OP_LSL, SEL_LDATA3, 1, 1 },
    { "verr-lbeyond", OP_VERR, SEL_LBEYOND, 0, 0 },
    { "lar-lbeyond", OP_LAR, SEL_LBEYOND, 0, 0 },
    { "verr-ldt", OP_VERR, SEL_LDT, 0, 0 },
    { "lar-ldt", OP_LAR, SEL_LDT, 0, 0 },
    { "lsl-ldt", OP_LSL, SEL_LDT, 1, 0 },
    /* the busy 64-bit TSS (DPL 0) and its descriptor's upper half (type 0) */
    { "verr-tss", OP_VERR, TERN_SEL_TSS, 0, 0 },
    { "lar-tss", OP_LAR, TERN_SEL_TSS, 1, 0 },
    { "lsl-tss", OP_LSL, TERN_SEL_TSS, 1, 0 },
    { "lar-tss-upper", OP_LAR, TERN_SEL_TSS + 8, 0, 0 },
    { "lsl-tss-upper", OP_LSL, TERN_SEL_TSS + 8, 1, 0 },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static uint8_t user_zf[NRULES];

static void user_rules(void)
{
    for (unsigned i = 0; i < NRULES; i++) {
        user_zf[i] = (uint8_t)seg_op(rules[i].op, rules[i].sel, NULL);
    }
}

static void privilege_tests(void)
{
    uint64_t v, tss = tern_gdt[5];

    test_group("cpl0");
    for (unsigned i = 0; i < NRULES; i++) {
        CHECK_EQ_NAMED(rules[i].name, seg_op(rules[i].op, rules[i].sel, NULL), rules[i].cpl0);
    }
    test_group("cpl3");
    CHECK_EQ_NAMED("run", tern_run_user(user_rules, 0), -1);
    for (unsigned i = 0; i < NRULES; i++) {
        CHECK_EQ_NAMED(rules[i].name, user_zf[i], rules[i].cpl3);
    }

    test_group("values");
    seg_op(OP_LSL, SEL_DATA0, &v);
    CHECK_EQ_NAMED("lsl-data0", v, 0x12345);
    seg_op(OP_LSL, SEL_RO3, &v);
    CHECK_EQ_NAMED("lsl-ro3-g", v, 0x12fff);
    CHECK_EQ_NAMED("lsl16-ro3-g", lsl16(SEL_RO3), (DEST_INIT & ~0xffffull) | 0x2fff);
    /* LAR does not set the accessed bit */
    seg_op(OP_LAR, SEL_DATA0, &v);
    CHECK_EQ_NAMED("lar-data0", v, 0x00419200);
    CHECK_EQ_NAMED("lar-data0-not-accessed", tern_gdt[7] >> 40 & 0xff, 0x92);
    seg_op(OP_LAR, SEL_NP0, &v);
    CHECK_EQ_NAMED("lar-np0", v, 0x00cf1200);
    seg_op(OP_LAR, TERN_SEL_TSS, &v);
    CHECK_EQ_NAMED("lar-tss", v, (tss >> 32) & 0x00ffff00);
    CHECK_EQ_NAMED("lar-tss-busy", (v >> 8) & 0xff, 0x8b);
    seg_op(OP_LSL, TERN_SEL_TSS, &v);
    CHECK_EQ_NAMED("lsl-tss", v, (tss & 0xffff) | ((tss >> 32) & 0xf0000));
    seg_op(OP_LSL, SEL_LDT, &v);
    CHECK_EQ_NAMED("lsl-ldt", v, sizeof(ldt) - 1);
}

/* Each system type (S = 0, DPL 0, present) at entry 7: which of them LAR
 * and LSL accept in IA-32e mode (SDM vol.2 tables 3-52, 3-60); VERR and
 * VERW accept none. */
static void system_types(void)
{
    static const char *const types[16] = {
        "0-upper-half", "1-reserved", "2-ldt", "3-reserved", "4-reserved", "5-reserved",
        "6-reserved", "7-reserved", "8-reserved", "9-tss", "a-reserved", "b-tss-busy",
        "c-call-gate", "d-reserved", "e-int-gate", "f-trap-gate",
    };
    const uint16_t lar_ok = 1u << 9 | 1u << 0xb | 1u << 0xc;
    const uint16_t lsl_ok = 1u << 0 | 1u << 2 | 1u << 9 | 1u << 0xb;
    const uint16_t sel = 7 * 8;

    for (unsigned type = 0; type < 16; type++) {
        tern_gdt[7] = tern_seg_desc(0x1000, 0x67, 0x80 | type, 0);
        tern_gdt_load();
        test_group("system-types/lar");
        CHECK_EQ_NAMED(types[type], seg_op(OP_LAR, sel, NULL), (lar_ok >> type) & 1);
        test_group("system-types/lsl");
        CHECK_EQ_NAMED(types[type], seg_op(OP_LSL, sel, NULL), (lsl_ok >> type) & 1);
        test_group("system-types/verr");
        CHECK_EQ_NAMED(types[type], verr(sel), 0);
        test_group("system-types/verw");
        CHECK_EQ_NAMED(types[type], verw(sel), 0);
    }
    tern_gdt[7] = 0;
    tern_gdt_load();
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    tern_sys_install();
    if (TERN_HAVE_RING0) {
        /* no LDT, as natively (the boot leaves the reset LDTR: limit 0xffff) */
        __asm__ volatile("lldt %w0" : : "r"(0));
    }
    current_segments();
    bad_selectors();
    if (TERN_HAVE_RING0) {
        install_descriptors();
        privilege_tests();
        remove_descriptors();
        null_entry_tests();
        system_types();
    }
    test_done();
}
