/*
 * test-decode.c: the x86 decoder (target-x86/decode.c) on byte sequences:
 * prefixes, REX and byte registers, ModRM/SIB forms, RIP-relative
 * addressing, immediate sizes, the 15-byte limit, #UD forms; and the
 * lengths of a list of encodings cross-checked against capstone.
 */
#include "util/osdep.h"
#include "target-x86/decode.h"
#include "tcg/tcg.h"
#include "target-x86/cpu.h"
#include "test.h"

#include <capstone/capstone.h>

TEST_GLOBALS;

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static int dec(X86DecodedInsn *d, const uint8_t *b, size_t n)
{
    return x86_decode_buf(d, X86_MODE_64, b, n);
}

static void test_decode_alu_reg(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x48, 0x01, 0xd8)), 3);          /* add rax, rbx */
    CHECK_EQ(d.e.kind, X86_INSN_ADD);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(d.op[0].kind, X86_OPK_REG);
    CHECK_EQ(d.op[0].reg, R_EAX);
    CHECK_EQ(d.op[1].reg, R_EBX);

    CHECK_EQ(dec(&d, BYTES(0x4d, 0x29, 0xc8)), 3);          /* sub r8, r9 */
    CHECK_EQ(d.e.kind, X86_INSN_SUB);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].reg, 9);

    CHECK_EQ(dec(&d, BYTES(0x01, 0xd8)), 2);                /* add eax, ebx */
    CHECK_EQ(d.ot, MO_32);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x01, 0xd8)), 3);          /* add ax, bx */
    CHECK_EQ(d.ot, MO_16);
}

static void test_decode_byte_regs(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x00, 0xe0)), 2);                /* add al, ah */
    CHECK_EQ(d.op[0].reg, 0);
    CHECK(!d.op[0].high_byte);
    CHECK_EQ(d.op[1].reg, 0);
    CHECK(d.op[1].high_byte);

    CHECK_EQ(dec(&d, BYTES(0x40, 0x00, 0xe0)), 3);          /* add al, spl */
    CHECK_EQ(d.op[1].reg, 4);
    CHECK(!d.op[1].high_byte);

    CHECK_EQ(dec(&d, BYTES(0xb7, 0x12)), 2);                /* mov bh, 0x12 */
    CHECK_EQ(d.op[0].reg, R_EBX);
    CHECK(d.op[0].high_byte);
    CHECK_EQ(dec(&d, BYTES(0x41, 0xb7, 0x12)), 3);          /* mov r15b, 0x12 */
    CHECK_EQ(d.op[0].reg, 15);
    CHECK(!d.op[0].high_byte);
}

static void test_decode_sib(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x04, 0x24)), 3);          /* mov eax, [rsp] */
    CHECK_EQ(d.op[1].kind, X86_OPK_MEM);
    CHECK_EQ(d.mem.base, R_ESP);
    CHECK_EQ(d.mem.index, -1);

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x44, 0x8d, 0x10)), 4);    /* mov eax, [rbp+rcx*4+0x10] */
    CHECK_EQ(d.mem.base, R_EBP);
    CHECK_EQ(d.mem.index, R_ECX);
    CHECK_EQ(d.mem.scale, 2);
    CHECK_EQ(d.mem.disp, 0x10);

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12)), 7);  /* [0x12345678] */
    CHECK_EQ(d.mem.base, -1);
    CHECK_EQ(d.mem.index, -1);
    CHECK(!d.mem.rip_rel);
    CHECK_EQ(d.mem.disp, 0x12345678);

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x04, 0xcd, 0x00, 0x01, 0x00, 0x00)), 7);  /* [rcx*8+0x100] */
    CHECK_EQ(d.mem.base, -1);
    CHECK_EQ(d.mem.index, R_ECX);
    CHECK_EQ(d.mem.scale, 3);
    CHECK_EQ(d.mem.disp, 0x100);

    CHECK_EQ(dec(&d, BYTES(0x42, 0x8b, 0x04, 0x24)), 4);    /* [rsp+r12]: REX.X index 4 */
    CHECK_EQ(d.mem.base, R_ESP);
    CHECK_EQ(d.mem.index, 12);

    CHECK_EQ(dec(&d, BYTES(0x41, 0x8b, 0x04, 0x24)), 4);    /* [r12] needs a SIB */
    CHECK_EQ(d.mem.base, 12);
    CHECK_EQ(d.mem.index, -1);

    CHECK_EQ(dec(&d, BYTES(0x41, 0x8b, 0x45, 0x00)), 4);    /* [r13+0]: disp8 form */
    CHECK_EQ(d.mem.base, 13);
    CHECK_EQ(d.mem.disp, 0);

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x44, 0x24, 0xf8)), 4);    /* [rsp-8] */
    CHECK_EQ(d.mem.disp, -8);
}

static void test_decode_rip_relative(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x8b, 0x05, 0x10, 0x00, 0x00, 0x00)), 6);   /* mov eax, [rip+0x10] */
    CHECK(d.mem.rip_rel);
    CHECK_EQ(d.mem.base, -1);
    CHECK_EQ(d.mem.disp, 0x10);

    /* rip-relative with an immediate after the displacement */
    CHECK_EQ(dec(&d, BYTES(0xc7, 0x05, 0xf0, 0xff, 0xff, 0xff, 0x01, 0, 0, 0)), 10);
    CHECK(d.mem.rip_rel);
    CHECK_EQ(d.mem.disp, -16);
    CHECK_EQ(d.op[1].imm, 1);

    CHECK_EQ(dec(&d, BYTES(0x48, 0x8d, 0x3d, 0, 1, 0, 0)), 7);          /* lea rdi, [rip+0x100] */
    CHECK_EQ(d.e.kind, X86_INSN_LEA);
    CHECK(d.mem.rip_rel);
}

static void test_decode_immediates(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff)), 7);  /* mov rax, -1 */
    CHECK_EQ(d.op[1].imm, -1);
    CHECK_EQ(dec(&d, BYTES(0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11)), 10);
    CHECK_EQ((uint64_t)d.op[1].imm, 0x1122334455667788ull);
    CHECK_EQ(dec(&d, BYTES(0xb8, 0x78, 0x56, 0x34, 0x12)), 5);
    CHECK_EQ(d.op[1].imm, 0x12345678);
    CHECK_EQ(dec(&d, BYTES(0x66, 0xb8, 0x34, 0x12)), 4);
    CHECK_EQ(d.op[1].imm, 0x1234);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x05, 0x34, 0x12)), 4);                  /* add ax, imm16 */
    CHECK_EQ(dec(&d, BYTES(0x48, 0x05, 0x00, 0x00, 0x00, 0x80)), 6);      /* add rax, imm32 */
    CHECK_EQ(d.op[1].imm, -0x80000000ll);
    CHECK_EQ(dec(&d, BYTES(0x83, 0xc0, 0xff)), 3);                        /* add eax, -1 */
    CHECK_EQ(d.op[1].imm, -1);
    CHECK_EQ(dec(&d, BYTES(0xc2, 0x08, 0x00)), 3);                        /* ret 8 */
    CHECK_EQ(d.op[0].imm, 8);
    CHECK_EQ(dec(&d, BYTES(0x6a, 0x80)), 2);                              /* push -128 */
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(d.op[0].imm, -128);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x84, 0xfa, 0xff, 0xff, 0xff)), 6);      /* jz rel32 */
    CHECK_EQ(d.op[0].imm, -6);
    CHECK_EQ(dec(&d, BYTES(0xa1, 1, 2, 3, 4, 5, 6, 7, 8)), 9);            /* mov eax, moffs64 */
    CHECK_EQ((uint64_t)d.mem.disp, 0x0807060504030201ull);
}

static void test_decode_prefixes(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0xf0, 0x48, 0x01, 0x18)), 4);     /* lock add [rax], rbx */
    CHECK(d.prefixes & X86_PFX_LOCK);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x01, 0xd8)), X86_DECODE_UD);  /* lock on a register */
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x8b, 0x00)), X86_DECODE_UD);  /* lock mov */
    CHECK_EQ(dec(&d, BYTES(0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0)), 9);  /* mov rax, fs:[0] */
    CHECK_EQ(d.seg, 4);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x48, 0x66, 0x89, 0xc0)), 4);     /* REX then 66: the REX is void */
    CHECK_EQ(d.ot, MO_16);
    CHECK_EQ(d.rex, 0);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x48, 0x89, 0xc0)), 4);     /* REX.W beats 66 */
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x67, 0x8b, 0x00)), 3);           /* mov eax, [eax] */
    CHECK_EQ(d.aflag, MO_32);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x90)), 2);                 /* pause */
    CHECK(d.prefixes & X86_PFX_REPZ);
}

static void test_decode_limits(void)
{
    uint8_t buf[32];
    X86DecodedInsn d;

    memset(buf, 0x66, sizeof(buf));
    buf[14] = 0x90;
    CHECK_EQ(x86_decode_buf(&d, X86_MODE_64, buf, sizeof(buf)), 15);
    buf[14] = 0x66;
    buf[15] = 0x90;
    CHECK_EQ(x86_decode_buf(&d, X86_MODE_64, buf, sizeof(buf)), X86_DECODE_GP);
    /* a 16-byte instruction whose length comes from its operands */
    memset(buf, 0x66, 8);
    memcpy(buf + 7, (const uint8_t[]){ 0x48, 0xc7, 0x84, 0x24, 1, 2, 3, 4, 5, 6, 7, 8 }, 12);
    CHECK_EQ(x86_decode_buf(&d, X86_MODE_64, buf, 19), X86_DECODE_GP);
    CHECK_EQ(dec(&d, BYTES(0x48, 0x8b)), X86_DECODE_TRUNC);
    CHECK_EQ(dec(&d, BYTES(0xe8, 0, 0)), X86_DECODE_TRUNC);
}

static void test_decode_groups(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0xf6, 0xc3, 0x01)), 3);           /* test bl, 1 */
    CHECK_EQ(d.e.kind, X86_INSN_TEST);
    CHECK_EQ(d.op[1].imm, 1);
    CHECK_EQ(dec(&d, BYTES(0xf7, 0xc3, 1, 0, 0, 0)), 6);     /* test ebx, 1 */
    CHECK_EQ(dec(&d, BYTES(0xf7, 0xd8)), 2);                 /* neg eax */
    CHECK_EQ(d.e.kind, X86_INSN_NEG);
    CHECK_EQ(dec(&d, BYTES(0x48, 0xf7, 0xf1)), 3);           /* div rcx */
    CHECK_EQ(d.e.kind, X86_INSN_DIV);
    CHECK_EQ(dec(&d, BYTES(0xff, 0xd0)), 2);                 /* call rax */
    CHECK_EQ(d.e.kind, X86_INSN_CALL_IND);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0xff, 0x30)), 2);                 /* push [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_PUSH);
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x66, 0xff, 0x30)), 3);           /* push word [rax] */
    CHECK_EQ(d.op[0].ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0xd3, 0xe0)), 2);                 /* shl eax, cl */
    CHECK_EQ(d.e.kind, X86_INSN_SHL);
    CHECK_EQ(d.op[1].reg, R_ECX);
    CHECK_EQ(dec(&d, BYTES(0xd1, 0xf8)), 2);                 /* sar eax, 1 */
    CHECK_EQ(d.e.kind, X86_INSN_SAR);
    CHECK_EQ(d.op[1].imm, 1);
    CHECK_EQ(dec(&d, BYTES(0xc6, 0x00, 0x05)), 3);           /* mov byte [rax], 5 */
    CHECK_EQ(d.e.kind, X86_INSN_MOV);
    CHECK_EQ(dec(&d, BYTES(0xc6, 0x08, 0x05)), X86_DECODE_UD);  /* c6 /1 */
    CHECK_EQ(dec(&d, BYTES(0xff, 0xf8)), X86_DECODE_UD);     /* ff /7 */
}

static void test_decode_invalid(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x06)), X86_DECODE_UD);           /* push es */
    CHECK_EQ(dec(&d, BYTES(0x8d, 0xc0)), X86_DECODE_UD);     /* lea with a register */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x0b)), 2);                 /* ud2 decodes; it raises */
    CHECK_EQ(d.e.kind, X86_INSN_UD2);
    /* in 32-bit mode 0x40 is inc eax, not REX */
    CHECK_EQ(x86_decode_buf(&d, X86_MODE_32, BYTES(0x40)), 1);
    CHECK_EQ(d.e.kind, X86_INSN_INC);
}

/* Encodings whose lengths must match capstone's. */
static const struct { uint8_t len; uint8_t b[15]; } capstone_cases[] = {
    { 3, { 0x48, 0x01, 0xd8 } },
    { 2, { 0x31, 0xc0 } },
    { 3, { 0x48, 0x31, 0xc0 } },
    { 4, { 0x48, 0x83, 0xec, 0x08 } },
    { 7, { 0x48, 0x81, 0xec, 0x00, 0x01, 0x00, 0x00 } },
    { 5, { 0x48, 0x8b, 0x44, 0x24, 0x08 } },
    { 8, { 0x48, 0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00 } },
    { 7, { 0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00 } },
    { 10, { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 } },
    { 5, { 0xb8, 1, 2, 3, 4 } },
    { 4, { 0x66, 0xb8, 1, 2 } },
    { 2, { 0xb0, 0x12 } },
    { 7, { 0x48, 0xc7, 0xc0, 1, 2, 3, 4 } },
    { 10, { 0xc7, 0x05, 1, 2, 3, 4, 5, 6, 7, 8 } },
    { 3, { 0x48, 0x89, 0xe5 } },
    { 1, { 0x55 } },
    { 2, { 0x41, 0x54 } },
    { 1, { 0x5d } },
    { 1, { 0xc3 } },
    { 3, { 0xc2, 0x10, 0x00 } },
    { 5, { 0xe8, 0, 0, 0, 0 } },
    { 5, { 0xe9, 0, 0, 0, 0 } },
    { 2, { 0xeb, 0xfe } },
    { 2, { 0x74, 0x05 } },
    { 6, { 0x0f, 0x85, 0, 1, 0, 0 } },
    { 3, { 0x0f, 0x94, 0xc0 } },
    { 4, { 0x48, 0x0f, 0x44, 0xc1 } },
    { 3, { 0x0f, 0xb6, 0xc0 } },
    { 4, { 0x48, 0x0f, 0xbf, 0xc0 } },
    { 3, { 0x48, 0x63, 0xc7 } },
    { 4, { 0x48, 0x0f, 0xaf, 0xc1 } },
    { 3, { 0x6b, 0xc0, 0x0a } },
    { 6, { 0x69, 0xc0, 0, 1, 0, 0 } },
    { 3, { 0x48, 0xf7, 0xe1 } },
    { 3, { 0x48, 0xf7, 0xf9 } },
    { 3, { 0x48, 0xd3, 0xe0 } },
    { 4, { 0x48, 0xc1, 0xe8, 0x04 } },
    { 2, { 0xd1, 0xf8 } },
    { 2, { 0xe4, 0x60 } },
    { 1, { 0xee } },
    { 1, { 0xed } },
    { 2, { 0xe6, 0xf4 } },
    { 1, { 0xf4 } },
    { 2, { 0x0f, 0xa2 } },
    { 1, { 0xfa } },
    { 1, { 0xfb } },
    { 1, { 0xfc } },
    { 1, { 0x9c } },
    { 1, { 0x9d } },
    { 1, { 0xcc } },
    { 2, { 0x0f, 0x0b } },
    { 1, { 0x90 } },
    { 4, { 0x0f, 0x1f, 0x40, 0x00 } },
    { 9, { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0 } },
    { 1, { 0x98 } },
    { 2, { 0x48, 0x99 } },
    { 3, { 0x48, 0x87, 0xd8 } },
    { 4, { 0x48, 0x8d, 0x04, 0x40 } },
    { 8, { 0x48, 0x8d, 0x04, 0xc5, 0, 1, 0, 0 } },
    { 4, { 0xf0, 0x48, 0xff, 0x00 } },
    { 9, { 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 } },
    { 3, { 0xf6, 0xc3, 0x01 } },
    { 2, { 0xff, 0xe0 } },
    { 3, { 0x41, 0xff, 0xd3 } },
    { 6, { 0xff, 0x15, 0, 0, 0, 0 } },
    { 1, { 0xc9 } },
    { 2, { 0x6a, 0x01 } },
    { 5, { 0x68, 0, 1, 0, 0 } },
    { 4, { 0x66, 0x05, 0x34, 0x12 } },
};

static void test_decode_vs_capstone(void)
{
    csh cs;
    size_t i;

    CHECK(cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK);
    for (i = 0; i < ARRAY_SIZE(capstone_cases); i++) {
        X86DecodedInsn d;
        cs_insn *insn;
        size_t n = cs_disasm(cs, capstone_cases[i].b, capstone_cases[i].len, 0x1000, 1, &insn);
        int len = x86_decode_buf(&d, X86_MODE_64, capstone_cases[i].b, capstone_cases[i].len);

        if (n != 1 || (int)insn[0].size != len || len != capstone_cases[i].len) {
            printf("  case %zu: tern %d capstone %d expected %u\n", i, len,
                   n == 1 ? (int)insn[0].size : -1, capstone_cases[i].len);
        }
        CHECK_EQ(n, 1);
        CHECK_EQ(insn[0].size, (unsigned)len);
        CHECK_EQ(len, capstone_cases[i].len);
        cs_free(insn, n);
    }
    cs_close(&cs);
}

int main(void)
{
    RUN_TEST(test_decode_alu_reg);
    RUN_TEST(test_decode_byte_regs);
    RUN_TEST(test_decode_sib);
    RUN_TEST(test_decode_rip_relative);
    RUN_TEST(test_decode_immediates);
    RUN_TEST(test_decode_prefixes);
    RUN_TEST(test_decode_limits);
    RUN_TEST(test_decode_groups);
    RUN_TEST(test_decode_invalid);
    RUN_TEST(test_decode_vs_capstone);
    TEST_MAIN_END();
}
