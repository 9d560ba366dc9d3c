// tern-nested: allow aad/* QEMU 7.2 TCG (the nested CPU) sets AAD's undefined AF differently
/*
 * legacy32.c: instructions that exist only outside 64-bit mode, in 32-bit
 * protected mode: BOUND's #BR (a fault, exact frame; the bounds are
 * signed; the register form is #UD), INTO's #OF (a trap: EIP after INTO),
 * AAM 0's #DE, ARPL on memory (ZF, and the RPL raised), spot checks of
 * DAA DAS AAA AAS AAM AAD SALC (the values an Intel CPU gives; tests/diff
 * bcdcheck compares every input with the host CPU), 82 (alias of 80),
 * INC/DEC 40-4F, PUSH/POP ES DS SS and PUSH CS, LES/LDS.
 * Guest only (32-bit, ring 0).
 */
#include "tern.h"

#define FLAGS_ARITH 0x8d5u      /* OF SF ZF AF PF CF */

/* bounds[0..1]: dwords -5..10; bounds16: words 0x10..0x20 */
int32_t bounds[2] = { -5, 10 };
int16_t bounds16[2] = { 0x10, 0x20 };

FAULT_FN_AT(do_bound_in, "mov $-1, %eax", "bound %eax, bounds", "");
FAULT_FN_AT(do_bound_eq, "mov $-5, %eax\n\tmov $10, %ecx\n\tbound %eax, bounds", "bound %ecx, bounds", "");
FAULT_FN_AT(do_bound_lo, "mov $-6, %eax", "bound %eax, bounds", "");
FAULT_FN_AT(do_bound_hi, "mov $11, %ecx", "bound %ecx, bounds", "");
FAULT_FN_AT(do_bound16, "mov $0x21, %edx", "bound %dx, bounds16", "");
FAULT_FN_AT(do_bound_reg, "", ".byte 0x62, 0xc1", "");
/* 7fffffff + 1 sets OF */
FAULT_FN_AT(do_into_of, "mov $0x7fffffff, %eax\n\tadd $1, %eax", "into", "");
FAULT_FN_AT(do_into_no, "xor %eax, %eax", "into", "");
FAULT_FN_AT(do_aam0, "mov $0x1234, %eax", ".byte 0xd4, 0x00", "");

/* Run insn with EAX = *ax and the arithmetic flags fl; the new EAX, flags. */
#define RUN(insn, ax, fl)                                                    \
    __asm__ volatile("push %1\n\tpopf\n\t" insn "\n\tpushf\n\tpop %1"        \
                     : "+a"(ax), "+r"(fl) : : "cc")

static void check_bcd(const char *name, uint32_t ax, uint32_t fl, uint32_t ax_out,
                      uint32_t fl_out, int which)
{
    uint32_t f = 0x2 | fl;

    switch (which) {
    case 0x27: RUN(".byte 0x27", ax, f); break;
    case 0x2f: RUN(".byte 0x2f", ax, f); break;
    case 0x37: RUN(".byte 0x37", ax, f); break;
    case 0x3f: RUN(".byte 0x3f", ax, f); break;
    case 0xd4: RUN(".byte 0xd4, 10", ax, f); break;
    case 0xd5: RUN(".byte 0xd5, 10", ax, f); break;
    case 0xd6: RUN(".byte 0xd6", ax, f); break;
    case 0x82: RUN(".byte 0x82, 0xc0, 0x05", ax, f); break;  /* add al, 5 */
    default: RUN("inc %%eax", ax, f); break;
    }
    test_group(name);
    CHECK_EQ(ax, ax_out);
    CHECK_EQ(f & FLAGS_ARITH, fl_out);
}

/* ARPL word, RPL from src: the new word and ZF */
static int arpl(uint16_t *word, uint16_t src)
{
    uint8_t zf;

    __asm__ volatile("arpl %w2, %0\n\tsetz %1" : "+m"(*word), "=q"(zf) : "r"(src) : "cc");
    return zf;
}

static void check_fault(const char *name, int vector, void (*fn)(void), const char *at)
{
    test_group(name);
    CHECK_EQ(tern_catch_fault(fn), vector);
    CHECK_EQ(tern_last_fault.rip, (uint32_t)(uintptr_t)at);
    CHECK_EQ(tern_last_fault.error_code, 0);
    CHECK_EQ(tern_last_fault.cs, TERN_SEL_KCODE);
}

int main(const struct tern_bootinfo *bi)
{
    uint16_t w;
    uint32_t es, ds, lo;
    struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp = { 0x1234, TERN_SEL_KDATA };

    (void)bi;
    tern_sys_install();

    /* BOUND: in range (signed), below, above, 16-bit, register form */
    test_group("bound-in");
    CHECK_EQ(tern_catch_fault(do_bound_in), -1);
    CHECK_EQ(tern_catch_fault(do_bound_eq), -1);          /* lower, upper */
    check_fault("bound-lo", 5, do_bound_lo, do_bound_lo_at);
    CHECK_EQ(tern_last_fault.rax, (uint32_t)-6);
    check_fault("bound-hi", 5, do_bound_hi, do_bound_hi_at);
    check_fault("bound16", 5, do_bound16, do_bound16_at);
    check_fault("bound-reg", 6, do_bound_reg, do_bound_reg_at);

    /* INTO: a trap after the instruction (1 byte) when OF = 1 */
    check_fault("into", 4, do_into_of, do_into_of_at + 1);
    test_group("into-no-of");
    CHECK_EQ(tern_catch_fault(do_into_no), -1);

    /* AAM 0: #DE, a fault with AX unchanged */
    check_fault("aam0", 0, do_aam0, do_aam0_at);
    CHECK_EQ(tern_last_fault.rax, 0x1234);

    /* ARPL on memory: raises the RPL and sets ZF, else clears ZF */
    test_group("arpl-mem");
    w = 0x1239;                                     /* RPL 1 */
    CHECK_EQ(arpl(&w, 0x0003), 1);
    CHECK_EQ(w, 0x123b);
    CHECK_EQ(arpl(&w, 0xfff2), 0);
    CHECK_EQ(w, 0x123b);

    /* inputs and results measured on an Intel CPU (OF SF ZF AF PF CF) */
    check_bcd("daa", 0x00ae, 0x000, 0x0014, 0x015, 0x27);
    check_bcd("das", 0x00ee, 0x000, 0x0088, 0x095, 0x2f);
    check_bcd("aaa", 0x0011, 0x010, 0x0107, 0x011, 0x37);
    check_bcd("aas", 0x00fd, 0x011, 0xff07, 0x011, 0x3f);
    check_bcd("aam", 0x003f, 0x000, 0x0603, 0x004, 0xd4);
    check_bcd("aad", 0x0607, 0x000, 0x0043, 0x010, 0xd5);
    check_bcd("salc-cf", 0x1200, 0x001, 0x12ff, 0x001, 0xd6);
    check_bcd("salc-nc", 0x12ff, 0x8c4, 0x1200, 0x8c4, 0xd6);
    check_bcd("82-add", 0x00fd, 0x000, 0x0002, 0x011, 0x82);
    check_bcd("inc-40", 0x7fffffff, 0x001, 0x80000000, 0x895, 0x40);

    /* PUSH/POP ES, DS; PUSH CS; LES/LDS */
    test_group("push-pop-seg");
    __asm__ volatile("push %%es\n\tpush %%ds\n\tpop %%es\n\tpop %%ds\n\t"
                     "push %%ss\n\tpop %%ss\n\tpush %%cs\n\tpop %0" : "=r"(lo));
    CHECK_EQ(lo & 0xffff, TERN_SEL_KCODE);
    __asm__ volatile("mov %%es, %0\n\tmov %%ds, %1" : "=r"(es), "=r"(ds));
    CHECK_EQ(es & 0xffff, TERN_SEL_KDATA);
    CHECK_EQ(ds & 0xffff, TERN_SEL_KDATA);
    test_group("les-lds");
    __asm__ volatile("les %2, %0\n\tlds %2, %1" : "=r"(lo), "=r"(es) : "m"(fp));
    CHECK_EQ(lo, 0x1234);
    CHECK_EQ(es, 0x1234);
    __asm__ volatile("mov %%es, %0" : "=r"(es));
    CHECK_EQ(es & 0xffff, TERN_SEL_KDATA);
    test_done();
}
