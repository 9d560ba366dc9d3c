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

/* 0F 38 / 0F 3A rows chosen by mandatory prefix, and VEX (C4/C5). */
static void test_decode_three_byte_maps(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x66, 0x48, 0x0f, 0x38, 0xf6, 0xc3)), 6);   /* adcx rax, rbx */
    CHECK_EQ(d.e.kind, X86_INSN_ADCX);
    CHECK_EQ(d.opcode, 0x0f38f6);
    CHECK_EQ(d.mpfx, X86_MPFX_66);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xf6, 0xc3)), 5);         /* adcx eax, ebx */
    CHECK_EQ(d.ot, MO_32);                                              /* 66 is mandatory */
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x38, 0xf6, 0x47, 0x08)), 6);   /* adox eax, [rdi+8] */
    CHECK_EQ(d.e.kind, X86_INSN_ADOX);
    CHECK_EQ(d.op[1].kind, X86_OPK_MEM);
    CHECK_EQ(dec(&d, BYTES(0x48, 0x0f, 0x38, 0xf0, 0x18)), 5);         /* movbe rbx, [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_MOVBE);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xf1, 0x0a)), 5);         /* movbe [rdx], cx */
    CHECK_EQ(d.e.kind, X86_INSN_MOVBE);
    CHECK_EQ(d.ot, MO_16);                                              /* empty 66 entry */
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0x38, 0xf0, 0xc3)), 5);         /* crc32 eax, bl */
    CHECK_EQ(d.e.kind, X86_INSN_CRC32);
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(d.op[1].ot, MO_8);
    CHECK_EQ(dec(&d, BYTES(0x66, 0xf2, 0x0f, 0x38, 0xf1, 0x06)), 6);   /* crc32 eax, word [rsi] */
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(d.op[1].ot, MO_16);                                        /* F2 picks, 66 sizes */
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x48, 0x0f, 0x38, 0xf0, 0x06)), 6);   /* crc32 rax, byte [rsi] */
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(d.op[1].ot, MO_8);
}

static void test_decode_vex(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), 5);         /* andn rax, rbx, rcx */
    CHECK_EQ(d.e.kind, X86_INSN_ANDN);
    CHECK(d.prefixes & X86_PFX_VEX);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(d.op[0].reg, R_EAX);
    CHECK_EQ(d.op[1].reg, R_EBX);                                       /* VEX.vvvv */
    CHECK_EQ(d.op[2].reg, R_ECX);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0x62, 0x30, 0xf2, 0x54, 0x24, 0x10)), 7); /* andn r10d, r9d, [rsp+16] */
    CHECK_EQ(d.ot, MO_32);
    CHECK_EQ(d.op[0].reg, 10);                                          /* VEX.R */
    CHECK_EQ(d.op[1].reg, 9);
    CHECK_EQ(d.op[2].kind, X86_OPK_MEM);
    CHECK_EQ(d.mem.base, R_ESP);
    CHECK_EQ(d.mem.disp, 16);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xc2, 0x90, 0xf3, 0xcc)), 5);         /* blsr r13, r12 */
    CHECK_EQ(d.e.kind, X86_INSN_BLSR);
    CHECK_EQ(d.op[0].reg, 13);
    CHECK_EQ(d.op[1].reg, 12);                                          /* VEX.B */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0x42, 0xb3, 0xf6, 0xd0)), 5);         /* mulx r10, r9, r8 */
    CHECK_EQ(d.e.kind, X86_INSN_MULX);
    CHECK_EQ(d.mpfx, X86_MPFX_F2);
    CHECK_EQ(d.op[0].reg, 10);
    CHECK_EQ(d.op[1].reg, 9);
    CHECK_EQ(d.op[2].reg, 8);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xe3, 0xf5, 0xc8)), 5);         /* pdep rcx, rbx, rax */
    CHECK_EQ(d.e.kind, X86_INSN_PDEP);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0x62, 0xf5, 0xc8)), 5);         /* pext ecx, ebx, eax */
    CHECK_EQ(d.e.kind, X86_INSN_PEXT);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0x79, 0xf7, 0xcb)), 5);         /* shlx ecx, ebx, eax */
    CHECK_EQ(d.e.kind, X86_INSN_SHLX);
    CHECK_EQ(d.op[2].reg, R_EAX);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe3, 0xfb, 0xf0, 0xd8, 0x03)), 6);   /* rorx rbx, rax, 3 */
    CHECK_EQ(d.e.kind, X86_INSN_RORX);
    CHECK_EQ(d.opcode, 0x0f3af0);
    CHECK_EQ(d.op[2].imm, 3);
    /* 32-bit mode: C4 with ModRM.mod = 3 bits is VEX */
    CHECK_EQ(x86_decode_buf(&d, X86_MODE_32, BYTES(0xc4, 0xe2, 0x60, 0xf2, 0xc1)), 5);
    CHECK_EQ(d.e.kind, X86_INSN_ANDN);
    CHECK_EQ(d.ot, MO_32);
}

static void test_decode_vex_invalid(void)
{
    X86DecodedInsn d;

    /* a 66, F3, F2, LOCK or REX prefix before VEX */
    CHECK_EQ(dec(&d, BYTES(0x66, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x48, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x2e, 0xc4, 0xe2, 0xe0, 0xf2, 0xc1)), 6);   /* a segment is fine */
    /* VEX.L = 1 on a BMI instruction */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xe4, 0xf2, 0xc1)), X86_DECODE_UD);
    /* a VEX-only row without VEX, and a legacy row under VEX */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x38, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xf7, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xf9, 0xf6, 0xc3)), X86_DECODE_UD); /* VEX adcx */
    CHECK_EQ(dec(&d, BYTES(0xc5, 0xf8, 0xa2)), X86_DECODE_UD);             /* VEX cpuid */
    /* VEX.pp selecting an empty entry: andn with pp = 66 */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xe1, 0xf2, 0xc1)), X86_DECODE_UD);
    /* vvvv must be 1111b when unused (rorx) */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe3, 0xf3, 0xf0, 0xd8, 0x03)), X86_DECODE_UD);
    /* VEX.mmmmm 0 and 4 are reserved */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe0, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe4, 0xe0, 0xf2, 0xc1)), X86_DECODE_UD);
    /* group 17 /0 */
    CHECK_EQ(dec(&d, BYTES(0xc4, 0xe2, 0xf8, 0xf3, 0xc3)), X86_DECODE_UD);
    /* movbe with a register, or with F3; lock adcx */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x38, 0xf0, 0xc0)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x38, 0xf0, 0x00)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x66, 0x0f, 0x38, 0xf6, 0x00)), X86_DECODE_UD);
    /* an undefined 0F 3A row */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x3a, 0xf1, 0xc0, 0x00)), X86_DECODE_UD);
}

/* x87 escapes: memory forms by /reg, register forms by the ModRM byte. */
static void test_decode_x87(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0xd9, 0xc1)), 2);                       /* fld st(1) */
    CHECK_EQ(d.e.kind, X86_INSN_FLD);
    CHECK_EQ(dec(&d, BYTES(0xdd, 0x05, 1, 0, 0, 0)), 6);           /* fld m64 [rip+1] */
    CHECK_EQ(d.e.kind, X86_INSN_FLD);
    CHECK(d.mem.rip_rel);
    CHECK_EQ(dec(&d, BYTES(0xdb, 0x2c, 0x24)), 3);                 /* fld m80 [rsp] */
    CHECK_EQ(d.e.kind, X86_INSN_FLD);
    CHECK_EQ(dec(&d, BYTES(0xde, 0xf9)), 2);                       /* fdivp */
    CHECK_EQ(d.e.kind, X86_INSN_FARITH);
    CHECK_EQ(dec(&d, BYTES(0xdf, 0xe0)), 2);                       /* fnstsw ax */
    CHECK_EQ(d.e.kind, X86_INSN_FNSTSW);
    CHECK_EQ(dec(&d, BYTES(0x66, 0xd9, 0x37)), 3);                 /* fnstenv, 16-bit */
    CHECK_EQ(d.e.kind, X86_INSN_FNSTENV);
    CHECK_EQ(d.ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x9b)), 1);
    CHECK_EQ(d.e.kind, X86_INSN_FWAIT);
    CHECK_EQ(dec(&d, BYTES(0xd9, 0xd1)), X86_DECODE_UD);           /* D9 D1: reserved */
    CHECK_EQ(dec(&d, BYTES(0xd9, 0x08)), X86_DECODE_UD);           /* D9 /1 memory */
}

/* Strings, bit operations, atomics and the rest of the general-purpose set. */
static void test_decode_strings_bitops(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x67, 0xf3, 0x48, 0xa5)), 4);         /* addr32 rep movsq */
    CHECK_EQ(d.e.kind, X86_INSN_MOVS);
    CHECK_EQ(d.aflag, MO_32);
    CHECK_EQ(d.ot, MO_64);
    CHECK(d.prefixes & X86_PFX_REPZ);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0xbc, 0xc1)), 4);
    CHECK_EQ(d.e.kind, X86_INSN_TZCNT);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xbc, 0xc1)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_BSF);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0xbd, 0xc1)), 4);         /* F2 ignored: bsr */
    CHECK_EQ(d.e.kind, X86_INSN_BSR);
    CHECK_EQ(dec(&d, BYTES(0x66, 0xf3, 0x0f, 0xb8, 0xc1)), 5);   /* popcnt r16 */
    CHECK_EQ(d.e.kind, X86_INSN_POPCNT);
    CHECK_EQ(d.ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xb8, 0xc1)), X86_DECODE_UD);   /* jmpe */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xba, 0xe0, 0x05)), 4);         /* bt eax, 5 */
    CHECK_EQ(d.e.kind, X86_INSN_BT);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0xba, 0x28, 0x05)), 5);   /* lock bts [rax], 5 */
    CHECK_EQ(d.e.kind, X86_INSN_BTS);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0xa3, 0x07)), X86_DECODE_UD);   /* lock bt */
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0xb1, 0xc8)), X86_DECODE_UD);   /* lock, register */
    CHECK_EQ(dec(&d, BYTES(0x48, 0x0f, 0xc7, 0x0f)), 4);         /* cmpxchg16b [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_CMPXCHG8B);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xc7, 0xc8)), X86_DECODE_UD);   /* cmpxchg8b reg */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xc7, 0xf0)), 3);               /* rdrand eax */
    CHECK_EQ(d.e.kind, X86_INSN_RDRAND);
    CHECK_EQ(dec(&d, BYTES(0xc8, 0x10, 0x00, 0x03)), 4);         /* enter 16, 3 */
    CHECK_EQ(d.e.kind, X86_INSN_ENTER);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x67, 0xe2, 0xfe)), 3);               /* addr32 loop */
    CHECK_EQ(d.e.kind, X86_INSN_LOOP);
    CHECK_EQ(d.aflag, MO_32);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xa5, 0xd0)), 3);               /* shld eax, edx, cl */
    CHECK_EQ(d.e.kind, X86_INSN_SHLD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xf9)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_RDTSCP);
}

/* System: MOV CR (register operands whatever ModRM.mod says, REX.R for CR8),
 * the 0F 01 register forms chosen by ModRM.rm, MOV Sreg, XSAVE. */
static void test_decode_system(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x0f, 0x20, 0xd8)), 3);               /* mov rax, cr3 */
    CHECK_EQ(d.e.kind, X86_INSN_MOV_CR);
    CHECK_EQ(d.op[0].kind, X86_OPK_REG);
    CHECK_EQ(d.op[0].reg, 0);
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(d.op[1].kind, X86_OPK_CR);
    CHECK_EQ(d.op[1].reg, 3);
    CHECK_EQ(dec(&d, BYTES(0x45, 0x0f, 0x22, 0x07)), 4);         /* mov cr8, r15; mod 0 */
    CHECK_EQ(d.op[0].kind, X86_OPK_CR);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].reg, 15);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0x20, 0xc0)), X86_DECODE_UD);   /* lock: #UD */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xd0)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_XGETBV);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xd1)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_XSETBV);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x01, 0xd0)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xd2)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0x10)), 3);               /* lgdt [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_LGIDT);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xf8)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_SWAPGS);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xf9)), 3);
    CHECK_EQ(d.e.kind, X86_INSN_RDTSCP);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xfb)), X86_DECODE_UD);   /* not rdtscp */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0xff)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x32)), 2);
    CHECK_EQ(d.e.kind, X86_INSN_RDMSR);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x30)), 2);
    CHECK_EQ(d.e.kind, X86_INSN_WRMSR);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x05)), 2);
    CHECK_EQ(d.e.kind, X86_INSN_SYSCALL);
    CHECK_EQ(dec(&d, BYTES(0x48, 0x0f, 0x07)), 3);               /* sysretq */
    CHECK_EQ(d.e.kind, X86_INSN_SYSRET);
    CHECK_EQ(d.rex & 8, 8);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x07)), 2);                     /* sysretl */
    CHECK_EQ(d.rex & 8, 0);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x34)), 2);
    CHECK_EQ(d.e.kind, X86_INSN_SYSENTER);
    CHECK_EQ(dec(&d, BYTES(0x48, 0x0f, 0x35)), 3);               /* sysexitq */
    CHECK_EQ(d.e.kind, X86_INSN_SYSEXIT);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0x32)), X86_DECODE_UD);   /* lock rdmsr */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x01, 0x38)), 3);               /* invlpg [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_INVLPG);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0x20)), 3);               /* xsave [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_XSAVE);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0x28)), 3);               /* xrstor [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_XRSTOR);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0xed)), 3);               /* lfence, any rm */
    CHECK_EQ(d.e.kind, X86_INSN_FENCE);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0x30)), X86_DECODE_UD);   /* xsaveopt: no */
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0xae, 0xc0)), 4);         /* rdfsbase eax */
    CHECK_EQ(d.e.kind, X86_INSN_FSGSBASE);
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x49, 0x0f, 0xae, 0xdf)), 5);   /* wrgsbase r15 */
    CHECK_EQ(d.e.kind, X86_INSN_FSGSBASE);
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(d.op[0].reg, 15);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0xc0)), X86_DECODE_UD);   /* no F3: #UD */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0xae, 0xc8)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x8e, 0xd0)), 2);                     /* mov ss, ax */
    CHECK_EQ(d.e.kind, X86_INSN_MOV_SEG);
    CHECK_EQ(d.op[0].kind, X86_OPK_SEG);
    CHECK_EQ(d.op[0].reg, R_SS);
    CHECK_EQ(dec(&d, BYTES(0x8c, 0xf0)), X86_DECODE_UD);         /* segment 6 */
    CHECK_EQ(dec(&d, BYTES(0x48, 0xcf)), 2);                     /* iretq */
    CHECK_EQ(d.e.kind, X86_INSN_IRET);
    CHECK_EQ(d.ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x00, 0x18)), 3);               /* ltr [rax] */
    CHECK_EQ(d.e.kind, X86_INSN_LTR);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x00, 0xe0)), 3);               /* verr ax */
    CHECK_EQ(d.e.kind, X86_INSN_VERR);
    CHECK_EQ(d.op[0].ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x00, 0x2f)), 3);               /* verw [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_VERW);
    CHECK_EQ(d.op[0].kind, X86_OPK_MEM);
    CHECK_EQ(d.op[0].ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x02, 0xc1)), 3);               /* lar eax, cx */
    CHECK_EQ(d.e.kind, X86_INSN_LAR);
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(d.op[1].ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x02, 0xc1)), 4);         /* lar ax, cx */
    CHECK_EQ(d.op[0].ot, MO_16);
    CHECK_EQ(dec(&d, BYTES(0x4c, 0x0f, 0x03, 0x07)), 4);         /* lsl r8, [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_LSL);
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].kind, X86_OPK_MEM);
    CHECK_EQ(d.op[1].ot, MO_16);
}

/* SSE: the mandatory prefix picks the row; V/W/U operands are XMM registers. */
static void test_decode_sse(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x0f, 0x58, 0xc1)), 3);               /* addps xmm0, xmm1 */
    CHECK_EQ(d.e.kind, X86_INSN_ADDPS);
    CHECK_EQ(d.op[0].kind, X86_OPK_XMM);
    CHECK_EQ(d.op[1].reg, 1);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x44, 0x0f, 0x58, 0x07)), 5);   /* addsd xmm8, [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_ADDSD);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].kind, X86_OPK_MEM);
    CHECK_EQ(d.op[1].ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x6f, 0x07)), 4);         /* movdqa xmm0, [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_MOVA);
    CHECK_EQ(d.op[1].ot, X86_OT_128);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x48, 0x0f, 0x7e, 0xc0)), 5);   /* movq rax, xmm0 */
    CHECK_EQ(d.e.kind, X86_INSN_MOVD_ST);
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x73, 0xd8, 0x03)), 5);   /* psrldq xmm0, 3 */
    CHECK_EQ(d.e.kind, X86_INSN_PSRLDQ);
    CHECK_EQ(d.op[1].imm, 3);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x73, 0x18, 0x03)), X86_DECODE_UD); /* U needs mod 3 */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x12, 0xc1)), X86_DECODE_UD);       /* movlpd reg */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x12, 0xc1)), 3);                         /* movhlps */
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x28, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0x58, 0xc1)), X86_DECODE_UD);       /* lock */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x53, 0xc1)), X86_DECODE_UD);       /* no 66 rcp */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0xd7, 0x07)), X86_DECODE_UD);       /* pmovmskb mem */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0x00, 0xc1)), 5);   /* pshufb */
    CHECK_EQ(d.e.kind, X86_INSN_PSHUFB);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0x17)), 3);               /* ldmxcsr [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_LDMXCSR);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xae, 0xd0)), X86_DECODE_UD);   /* ldmxcsr reg */
}

/* SSE4.2, AES-NI, PCLMULQDQ: 66 0F 38 / 66 0F 3A rows, REX.W kept for pcmpestr. */
static void test_decode_sse42_aes(void)
{
    X86DecodedInsn d;

    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0x37, 0xc1)), 5);           /* pcmpgtq xmm0, xmm1 */
    CHECK_EQ(d.e.kind, X86_INSN_PCMPGTQ);
    CHECK_EQ(d.op[1].kind, X86_OPK_XMM);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x48, 0x0f, 0x3a, 0x61, 0xca, 0x0c)), 7); /* pcmpestri rex.w */
    CHECK_EQ(d.e.kind, X86_INSN_PCMPESTRI);
    CHECK_EQ(d.rex & 8, 8);
    CHECK_EQ(d.op[0].reg, 1);
    CHECK_EQ(d.op[1].reg, 2);
    CHECK_EQ(d.op[2].imm, 0x0c);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x60, 0x0f, 0x40)), 6);     /* pcmpestrm xmm1, [rdi] */
    CHECK_EQ(d.e.kind, X86_INSN_PCMPESTRM);
    CHECK_EQ(d.op[1].kind, X86_OPK_MEM);
    CHECK_EQ(d.op[1].ot, X86_OT_128);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x63, 0x4c, 0x24, 0x08, 0x1a)), 8);
    CHECK_EQ(d.e.kind, X86_INSN_PCMPISTRI);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x62, 0xca, 0x44)), 6);
    CHECK_EQ(d.e.kind, X86_INSN_PCMPISTRM);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xdb, 0xca)), 5);
    CHECK_EQ(d.e.kind, X86_INSN_AESIMC);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x44, 0x0f, 0x38, 0xdc, 0x48, 0x10)), 7); /* aesenc xmm9, [rax+16] */
    CHECK_EQ(d.e.kind, X86_INSN_AESENC);
    CHECK_EQ(d.op[0].reg, 9);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xdd, 0xca)), 5);
    CHECK_EQ(d.e.kind, X86_INSN_AESENCLAST);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xde, 0xca)), 5);
    CHECK_EQ(d.e.kind, X86_INSN_AESDEC);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0xdf, 0xca)), 5);
    CHECK_EQ(d.e.kind, X86_INSN_AESDECLAST);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0xdf, 0xca, 0x1b)), 6);
    CHECK_EQ(d.e.kind, X86_INSN_AESKEYGENASSIST);
    CHECK_EQ(d.op[2].imm, 0x1b);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x44, 0xca, 0x11)), 6);
    CHECK_EQ(d.e.kind, X86_INSN_PCLMULQDQ);
    /* only the 66 forms exist */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x38, 0x37, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x3a, 0x61, 0xca, 0x00)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x38, 0xdc, 0xca)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0x3a, 0x44, 0xca, 0x00)), X86_DECODE_UD);
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
    /* 0F 38 / 0F 3A and VEX: BMI1, BMI2, ADX, MOVBE, CRC32 */
    { 5, { 0xc4, 0xe2, 0xe0, 0xf2, 0xc1 } },
    { 7, { 0xc4, 0x62, 0x30, 0xf2, 0x54, 0x24, 0x10 } },
    { 6, { 0xc4, 0x62, 0xe0, 0xf7, 0x3c, 0xc8 } },
    { 5, { 0xc4, 0xe2, 0xf8, 0xf3, 0xdb } },
    { 9, { 0xc4, 0xe2, 0x70, 0xf3, 0x15, 0x00, 0x01, 0x00, 0x00 } },
    { 5, { 0xc4, 0xc2, 0x90, 0xf3, 0xcc } },
    { 5, { 0xc4, 0xe2, 0xf8, 0xf5, 0xcb } },
    { 5, { 0xc4, 0x42, 0xb3, 0xf6, 0xd0 } },
    { 5, { 0xc4, 0xe2, 0xe3, 0xf5, 0xc8 } },
    { 5, { 0xc4, 0xe2, 0x62, 0xf5, 0xc8 } },
    { 6, { 0xc4, 0xe3, 0xfb, 0xf0, 0xd8, 0x03 } },
    { 10, { 0xc4, 0xe3, 0x7b, 0xf0, 0x98, 0x78, 0x56, 0x34, 0x12, 0x03 } },
    { 5, { 0xc4, 0xe2, 0xfa, 0xf7, 0xcb } },
    { 5, { 0xc4, 0xe2, 0x79, 0xf7, 0xcb } },
    { 5, { 0xc4, 0x42, 0xa3, 0xf7, 0xec } },
    { 6, { 0x66, 0x48, 0x0f, 0x38, 0xf6, 0xc3 } },
    { 6, { 0xf3, 0x0f, 0x38, 0xf6, 0x47, 0x08 } },
    { 5, { 0x48, 0x0f, 0x38, 0xf0, 0x18 } },
    { 5, { 0x66, 0x0f, 0x38, 0xf1, 0x0a } },
    { 5, { 0x0f, 0x38, 0xf1, 0x4a, 0x04 } },
    { 5, { 0xf2, 0x0f, 0x38, 0xf0, 0xc3 } },
    { 6, { 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc3 } },
    { 6, { 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0x06 } },
    { 6, { 0xf2, 0x48, 0x0f, 0x38, 0xf0, 0x06 } },
    { 2, { 0xd8, 0xc1 } },
    { 6, { 0xdd, 0x05, 1, 0, 0, 0 } },
    { 4, { 0xdf, 0x6c, 0x24, 0x08 } },
    { 2, { 0xda, 0xe9 } },
    { 2, { 0xd9, 0xfe } },
    /* strings, bit operations, atomics, misc */
    { 2, { 0xf3, 0xa4 } },
    { 4, { 0x67, 0xf3, 0x48, 0xa5 } },
    { 2, { 0xf2, 0xae } },
    { 2, { 0x64, 0xac } },
    { 4, { 0xf3, 0x0f, 0xb8, 0xc1 } },
    { 5, { 0xf3, 0x48, 0x0f, 0xbc, 0xc1 } },
    { 4, { 0xf3, 0x0f, 0xbd, 0x07 } },
    { 3, { 0x0f, 0xbd, 0xc1 } },
    { 3, { 0x0f, 0xa3, 0x07 } },
    { 4, { 0x0f, 0xba, 0x20, 0x05 } },
    { 5, { 0xf0, 0x0f, 0xbb, 0x47, 0x08 } },
    { 4, { 0x0f, 0xa4, 0xc1, 0x04 } },
    { 4, { 0x48, 0x0f, 0xad, 0xc8 } },
    { 3, { 0x0f, 0xc7, 0x0f } },
    { 5, { 0xf0, 0x48, 0x0f, 0xc7, 0x0f } },
    { 4, { 0xf0, 0x0f, 0xb1, 0x0f } },
    { 3, { 0x0f, 0xc1, 0xc8 } },
    { 3, { 0x41, 0x0f, 0xc8 } },
    { 1, { 0x9f } },
    { 1, { 0x9e } },
    { 4, { 0xc8, 0x10, 0x00, 0x01 } },
    { 2, { 0xe2, 0xfe } },
    { 2, { 0xe3, 0xfe } },
    { 1, { 0xd7 } },
    { 2, { 0x0f, 0x31 } },
    { 3, { 0x0f, 0x01, 0xf9 } },
    { 3, { 0x0f, 0xc7, 0xf0 } },
    { 4, { 0x48, 0x0f, 0xc7, 0xf8 } },
    { 3, { 0x0f, 0xae, 0xe8 } },
    { 3, { 0x0f, 0xae, 0xf0 } },
    { 3, { 0x0f, 0xae, 0xf8 } },
    { 3, { 0x0f, 0xae, 0x38 } },
    { 4, { 0x66, 0x0f, 0xae, 0x38 } },
    { 3, { 0x0f, 0x0d, 0x08 } },
    { 3, { 0x0f, 0x01, 0x18 } },
    /* system */
    { 3, { 0x0f, 0x20, 0xc0 } },
    { 4, { 0x44, 0x0f, 0x22, 0xc7 } },
    { 3, { 0x0f, 0x20, 0xd8 } },
    { 2, { 0x0f, 0x06 } },
    { 2, { 0x48, 0xcf } },
    { 1, { 0xcf } },
    { 2, { 0xcd, 0x80 } },
    { 3, { 0x0f, 0x00, 0xd8 } },
    { 5, { 0x0f, 0x00, 0x4c, 0x24, 0x08 } },
    { 3, { 0x0f, 0x00, 0xc8 } },
    { 2, { 0x8e, 0xd8 } },
    { 4, { 0x8c, 0x5c, 0x24, 0x08 } },
    { 2, { 0x0f, 0xa0 } },
    { 2, { 0x0f, 0xa9 } },
    { 3, { 0x0f, 0x01, 0xd0 } },
    { 3, { 0x0f, 0x01, 0xd1 } },
    { 3, { 0x0f, 0x01, 0xf8 } },
    { 3, { 0x0f, 0x01, 0x38 } },
    { 3, { 0x0f, 0x01, 0x00 } },
    { 3, { 0x0f, 0xae, 0x27 } },
    { 4, { 0x48, 0x0f, 0xae, 0x2f } },
    /* verr, verw, lar, lsl */
    { 3, { 0x0f, 0x00, 0xe0 } },
    { 7, { 0x0f, 0x00, 0x2d, 0x10, 0x00, 0x00, 0x00 } },
    { 4, { 0x66, 0x0f, 0x02, 0xc1 } },
    { 6, { 0x48, 0x0f, 0x02, 0x44, 0x24, 0x08 } },
    { 4, { 0x4c, 0x0f, 0x03, 0x07 } },
    { 5, { 0x0f, 0x03, 0x4c, 0x24, 0x08 } },
    /* SSE */
    { 3, { 0x0f, 0x28, 0xc1 } },
    { 6, { 0xf3, 0x0f, 0x10, 0x44, 0x24, 0x10 } },
    { 9, { 0x66, 0x44, 0x0f, 0x6f, 0x05, 0x10, 0x00, 0x00, 0x00 } },
    { 5, { 0x66, 0x0f, 0x70, 0xc1, 0x1b } },
    { 5, { 0x66, 0x0f, 0x72, 0xe0, 0x03 } },
    { 5, { 0x66, 0x48, 0x0f, 0x6e, 0xc0 } },
    { 5, { 0xf2, 0x48, 0x0f, 0x2d, 0xc1 } },
    { 4, { 0x0f, 0xc2, 0xc1, 0x02 } },
    { 5, { 0x66, 0x0f, 0xc4, 0xc0, 0x05 } },
    { 6, { 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x04 } },
    { 5, { 0x66, 0x0f, 0x38, 0x0b, 0xc1 } },
    { 4, { 0x48, 0x0f, 0xae, 0x07 } },
    { 4, { 0xf2, 0x0f, 0xf0, 0x07 } },
    /* SSE4.2, AES-NI, PCLMULQDQ */
    { 5, { 0x66, 0x0f, 0x38, 0x37, 0xc1 } },
    { 7, { 0x66, 0x44, 0x0f, 0x38, 0x37, 0x48, 0x10 } },
    { 6, { 0x66, 0x0f, 0x3a, 0x61, 0xca, 0x0c } },
    { 7, { 0x66, 0x48, 0x0f, 0x3a, 0x61, 0xca, 0x0c } },
    { 6, { 0x66, 0x0f, 0x3a, 0x60, 0x0f, 0x40 } },
    { 8, { 0x66, 0x0f, 0x3a, 0x63, 0x4c, 0x24, 0x08, 0x1a } },
    { 6, { 0x66, 0x0f, 0x3a, 0x62, 0xca, 0x44 } },
    { 5, { 0x66, 0x0f, 0x38, 0xdb, 0xca } },
    { 9, { 0x66, 0x0f, 0x38, 0xdc, 0x05, 0x00, 0x01, 0x00, 0x00 } },
    { 5, { 0x66, 0x0f, 0x38, 0xdd, 0xca } },
    { 7, { 0x66, 0x44, 0x0f, 0x38, 0xde, 0x48, 0x10 } },
    { 5, { 0x66, 0x0f, 0x38, 0xdf, 0xca } },
    { 6, { 0x66, 0x0f, 0x3a, 0xdf, 0xca, 0x1b } },
    { 6, { 0x66, 0x0f, 0x3a, 0x44, 0xca, 0x11 } },
    { 10, { 0x66, 0x0f, 0x3a, 0x44, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01 } },
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

/* SSE4.1: every opcode's row (kind, operands, memory sizes), its length
 * cross-checked against capstone, and the #UD forms. */
static const struct {
    uint8_t len;
    uint8_t b[15];
    uint16_t kind;
    uint8_t mem_ot;       /* the memory operand's size, 0xff: no memory operand */
} sse41_cases[] = {
#define R(k, len, ...) { len, { __VA_ARGS__ }, X86_INSN_##k, 0xff }
#define RM(k, ot, len, ...) { len, { __VA_ARGS__ }, X86_INSN_##k, ot }
    R(PBLENDVB, 5, 0x66, 0x0f, 0x38, 0x10, 0xc1),
    RM(PBLENDVB, X86_OT_128, 5, 0x66, 0x0f, 0x38, 0x10, 0x07),
    R(BLENDVPS, 5, 0x66, 0x0f, 0x38, 0x14, 0xc1),
    R(BLENDVPD, 6, 0x66, 0x45, 0x0f, 0x38, 0x15, 0xc1),
    RM(PTEST, X86_OT_128, 6, 0x66, 0x0f, 0x38, 0x17, 0x47, 0x10),
    RM(PMOVSXBW, MO_64, 5, 0x66, 0x0f, 0x38, 0x20, 0x07),
    RM(PMOVSXBD, MO_32, 5, 0x66, 0x0f, 0x38, 0x21, 0x07),
    RM(PMOVSXBQ, MO_16, 5, 0x66, 0x0f, 0x38, 0x22, 0x07),
    RM(PMOVSXWD, MO_64, 5, 0x66, 0x0f, 0x38, 0x23, 0x07),
    RM(PMOVSXWQ, MO_32, 5, 0x66, 0x0f, 0x38, 0x24, 0x07),
    RM(PMOVSXDQ, MO_64, 5, 0x66, 0x0f, 0x38, 0x25, 0x07),
    R(PMOVSXBW, 5, 0x66, 0x0f, 0x38, 0x20, 0xc1),
    R(PMULDQ, 5, 0x66, 0x0f, 0x38, 0x28, 0xc1),
    R(PCMPEQQ, 5, 0x66, 0x0f, 0x38, 0x29, 0xc1),
    RM(MOVA, X86_OT_128, 9, 0x66, 0x0f, 0x38, 0x2a, 0x05, 0x10, 0x00, 0x00, 0x00), /* movntdqa */
    R(PACKUSDW, 5, 0x66, 0x0f, 0x38, 0x2b, 0xc1),
    RM(PMOVZXBW, MO_64, 5, 0x66, 0x0f, 0x38, 0x30, 0x07),
    RM(PMOVZXBD, MO_32, 5, 0x66, 0x0f, 0x38, 0x31, 0x07),
    RM(PMOVZXBQ, MO_16, 5, 0x66, 0x0f, 0x38, 0x32, 0x07),
    RM(PMOVZXWD, MO_64, 5, 0x66, 0x0f, 0x38, 0x33, 0x07),
    RM(PMOVZXWQ, MO_32, 5, 0x66, 0x0f, 0x38, 0x34, 0x07),
    RM(PMOVZXDQ, MO_64, 5, 0x66, 0x0f, 0x38, 0x35, 0x07),
    R(PMINSB, 5, 0x66, 0x0f, 0x38, 0x38, 0xc1),
    R(PMINSD, 5, 0x66, 0x0f, 0x38, 0x39, 0xc1),
    R(PMINUW, 5, 0x66, 0x0f, 0x38, 0x3a, 0xc1),
    R(PMINUD, 5, 0x66, 0x0f, 0x38, 0x3b, 0xc1),
    R(PMAXSB, 5, 0x66, 0x0f, 0x38, 0x3c, 0xc1),
    R(PMAXSD, 5, 0x66, 0x0f, 0x38, 0x3d, 0xc1),
    R(PMAXUW, 5, 0x66, 0x0f, 0x38, 0x3e, 0xc1),
    R(PMAXUD, 5, 0x66, 0x0f, 0x38, 0x3f, 0xc1),
    R(PMULLD, 5, 0x66, 0x0f, 0x38, 0x40, 0xc1),
    R(PHMINPOSUW, 5, 0x66, 0x0f, 0x38, 0x41, 0xc1),
    RM(ROUNDPS, X86_OT_128, 6, 0x66, 0x0f, 0x3a, 0x08, 0x07, 0x04),
    R(ROUNDPD, 6, 0x66, 0x0f, 0x3a, 0x09, 0xc1, 0x0b),
    RM(ROUNDSS, MO_32, 8, 0x66, 0x0f, 0x3a, 0x0a, 0x44, 0x24, 0x08, 0x01),
    RM(ROUNDSD, MO_64, 6, 0x66, 0x0f, 0x3a, 0x0b, 0x07, 0x02),
    R(BLENDPS, 6, 0x66, 0x0f, 0x3a, 0x0c, 0xc1, 0x05),
    R(BLENDPD, 6, 0x66, 0x0f, 0x3a, 0x0d, 0xc1, 0x01),
    R(PBLENDW, 6, 0x66, 0x0f, 0x3a, 0x0e, 0xc1, 0xaa),
    R(PEXTRB, 6, 0x66, 0x0f, 0x3a, 0x14, 0xc0, 0x03),
    RM(PEXTRB, MO_32, 6, 0x66, 0x0f, 0x3a, 0x14, 0x07, 0x03),   /* m8: the generator's */
    R(PEXTRW_M, 6, 0x66, 0x0f, 0x3a, 0x15, 0xc0, 0x03),
    R(PEXTRD, 6, 0x66, 0x0f, 0x3a, 0x16, 0xc0, 0x01),
    RM(PEXTRD, MO_64, 7, 0x66, 0x48, 0x0f, 0x3a, 0x16, 0x07, 0x01),   /* pextrq */
    R(EXTRACTPS, 7, 0x66, 0x41, 0x0f, 0x3a, 0x17, 0xc0, 0x02),
    R(PINSRB, 6, 0x66, 0x0f, 0x3a, 0x20, 0xc4, 0x05),
    RM(INSERTPS, MO_32, 6, 0x66, 0x0f, 0x3a, 0x21, 0x07, 0x10),
    R(PINSRD, 6, 0x66, 0x0f, 0x3a, 0x22, 0xc0, 0x01),
    R(PINSRD, 7, 0x66, 0x48, 0x0f, 0x3a, 0x22, 0xc0, 0x01),          /* pinsrq */
    R(DPPS, 6, 0x66, 0x0f, 0x3a, 0x40, 0xc1, 0xff),
    RM(DPPD, X86_OT_128, 7, 0x66, 0x0f, 0x3a, 0x41, 0x47, 0x10, 0x31),
    R(MPSADBW, 6, 0x66, 0x0f, 0x3a, 0x42, 0xc1, 0x05),
#undef R
#undef RM
};

static void test_decode_sse41(void)
{
    X86DecodedInsn d;
    csh cs;

    CHECK(cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK);
    for (size_t i = 0; i < ARRAY_SIZE(sse41_cases); i++) {
        cs_insn *insn;
        size_t n = cs_disasm(cs, sse41_cases[i].b, sse41_cases[i].len, 0x1000, 1, &insn);
        int len = x86_decode_buf(&d, X86_MODE_64, sse41_cases[i].b, sse41_cases[i].len);
        bool mem = false;

        if (n != 1 || (int)insn[0].size != len || len != sse41_cases[i].len ||
            d.e.kind != sse41_cases[i].kind) {
            printf("  case %zu: tern %d (%s) capstone %d expected %u\n", i, len,
                   len > 0 ? x86_insn_kind_names[d.e.kind] : "-",
                   n == 1 ? (int)insn[0].size : -1, sse41_cases[i].len);
        }
        CHECK_EQ(n, 1);
        CHECK_EQ(insn[0].size, (unsigned)len);
        cs_free(insn, n);
        CHECK_EQ(len, sse41_cases[i].len);
        CHECK_EQ(d.e.kind, sse41_cases[i].kind);
        for (int j = 0; j < 3; j++) {
            if (d.op[j].kind == X86_OPK_MEM) {
                CHECK_EQ(d.op[j].ot, sse41_cases[i].mem_ot);
                mem = true;
            }
        }
        CHECK_EQ(mem, sse41_cases[i].mem_ot != 0xff);
    }
    cs_close(&cs);

    /* operands: registers with REX, the GPR sizes, the immediate */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x45, 0x0f, 0x38, 0x10, 0xc1)), 6);   /* pblendvb xmm8, xmm9 */
    CHECK_EQ(d.op[0].kind, X86_OPK_XMM);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].reg, 9);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x14, 0xe0, 0x0f)), 6);   /* pextrb eax, xmm4, 15 */
    CHECK_EQ(d.op[0].kind, X86_OPK_REG);
    CHECK_EQ(d.op[0].reg, R_EAX);
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(d.op[1].reg, 4);
    CHECK_EQ(d.op[2].imm, 15);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x20, 0xc4, 0x05)), 6);   /* pinsrb xmm0, esp, 5 */
    CHECK_EQ(d.op[1].reg, R_ESP);                 /* a 32-bit register, never AH */
    CHECK(!d.op[1].high_byte);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x48, 0x0f, 0x3a, 0x16, 0xc3, 0x01)), 7);   /* pextrq rbx */
    CHECK_EQ(d.op[0].ot, MO_64);
    CHECK_EQ(d.op[0].reg, R_EBX);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x3a, 0x40, 0xc1, 0x80)), 6);   /* dpps imm 0x80 */
    CHECK_EQ(d.op[2].imm & 0xff, 0x80);

    /* #UD: no 66 (these have no MMX form), F2/F3, a register movntdqa, LOCK */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x38, 0x10, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x3a, 0x40, 0xc1, 0x00)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x38, 0x20, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0x3a, 0x0a, 0xc1, 0x00)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x38, 0x2a, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x66, 0x0f, 0x3a, 0x14, 0x07, 0x00)), X86_DECODE_UD);
}

/* MMX: the no-prefix rows (P, Q, N operands: MMX registers 0-7 whatever
 * REX says; punpckl* read m32), the 0F 2A/2C/2D and D6 conversions and
 * moves, their lengths cross-checked against capstone, and the #UD forms. */
static const struct {
    uint8_t len;
    uint8_t b[15];
    uint16_t kind;
    uint8_t k0, k1;       /* operand kinds */
    uint8_t mem_ot;       /* the memory operand's size, 0xff: none */
} mmx_cases[] = {
#define MR(k, k0, k1, len, ...) { len, { __VA_ARGS__ }, X86_INSN_##k, X86_OPK_##k0, X86_OPK_##k1, 0xff }
#define MM(k, k0, k1, ot, len, ...) { len, { __VA_ARGS__ }, X86_INSN_##k, X86_OPK_##k0, X86_OPK_##k1, ot }
    MR(PUNPCKLBW, MMX, MMX, 3, 0x0f, 0x60, 0xc1),
    MM(PUNPCKLWD, MMX, MEM, MO_32, 3, 0x0f, 0x61, 0x07),
    MM(PUNPCKLDQ, MMX, MEM, MO_32, 4, 0x0f, 0x62, 0x47, 0x08),
    MR(PACKSSWB, MMX, MMX, 3, 0x0f, 0x63, 0xc1),
    MR(PCMPGTB, MMX, MMX, 3, 0x0f, 0x64, 0xca),
    MR(PCMPGTW, MMX, MMX, 3, 0x0f, 0x65, 0xd3),
    MM(PCMPGTD, MMX, MEM, MO_64, 3, 0x0f, 0x66, 0x07),
    MR(PACKUSWB, MMX, MMX, 3, 0x0f, 0x67, 0xc1),
    MM(PUNPCKHBW, MMX, MEM, MO_64, 3, 0x0f, 0x68, 0x07),
    MR(PUNPCKHWD, MMX, MMX, 3, 0x0f, 0x69, 0xc1),
    MR(PUNPCKHDQ, MMX, MMX, 3, 0x0f, 0x6a, 0xc1),
    MR(PACKSSDW, MMX, MMX, 3, 0x0f, 0x6b, 0xc1),
    MR(MOVD_LD, MMX, REG, 3, 0x0f, 0x6e, 0xc0),
    MR(MOVD_LD, MMX, REG, 4, 0x48, 0x0f, 0x6e, 0xc0),          /* movq mm0, rax */
    MM(MOVD_LD, MMX, MEM, MO_32, 3, 0x0f, 0x6e, 0x07),
    MM(MOVQ, MMX, MEM, MO_64, 7, 0x0f, 0x6f, 0x05, 0x10, 0x00, 0x00, 0x00),
    MR(MOVQ, MMX, MMX, 3, 0x0f, 0x6f, 0xc1),
    MR(PSHUFLW, MMX, MMX, 4, 0x0f, 0x70, 0xc1, 0x1b),         /* pshufw */
    MR(PSRLW, MMX, IMM, 4, 0x0f, 0x71, 0xd1, 0x03),
    MR(PSRAW, MMX, IMM, 4, 0x0f, 0x71, 0xe1, 0x03),
    MR(PSLLW, MMX, IMM, 4, 0x0f, 0x71, 0xf1, 0x03),
    MR(PSRLD, MMX, IMM, 4, 0x0f, 0x72, 0xd2, 0x1f),
    MR(PSRAD, MMX, IMM, 4, 0x0f, 0x72, 0xe2, 0x1f),
    MR(PSLLD, MMX, IMM, 4, 0x0f, 0x72, 0xf2, 0x1f),
    MR(PSRLQ, MMX, IMM, 4, 0x0f, 0x73, 0xd3, 0x3f),
    MR(PSLLQ, MMX, IMM, 4, 0x0f, 0x73, 0xf3, 0x3f),
    MR(PCMPEQB, MMX, MMX, 3, 0x0f, 0x74, 0xc1),
    MR(PCMPEQW, MMX, MMX, 3, 0x0f, 0x75, 0xc1),
    MR(PCMPEQD, MMX, MMX, 3, 0x0f, 0x76, 0xc1),
    MR(EMMS, NONE, NONE, 2, 0x0f, 0x77),
    MR(MOVD_ST, REG, MMX, 3, 0x0f, 0x7e, 0xc0),
    MR(MOVD_ST, REG, MMX, 4, 0x48, 0x0f, 0x7e, 0xc0),          /* movq rax, mm0 */
    MM(MOVD_ST, MEM, MMX, MO_64, 4, 0x48, 0x0f, 0x7e, 0x07),
    MM(MOVQ, MEM, MMX, MO_64, 3, 0x0f, 0x7f, 0x07),
    MR(PINSRW, MMX, REG, 4, 0x0f, 0xc4, 0xc0, 0x02),
    MM(PINSRW, MMX, MEM, MO_16, 4, 0x0f, 0xc4, 0x07, 0x02),
    MR(PEXTRW, REG, MMX, 4, 0x0f, 0xc5, 0xc1, 0x03),
    MR(PSRLW, MMX, MMX, 3, 0x0f, 0xd1, 0xc1),
    MR(PSRLD, MMX, MMX, 3, 0x0f, 0xd2, 0xc1),
    MM(PSRLQ, MMX, MEM, MO_64, 3, 0x0f, 0xd3, 0x07),
    MR(PADDQ, MMX, MMX, 3, 0x0f, 0xd4, 0xc1),
    MR(PMULLW, MMX, MMX, 3, 0x0f, 0xd5, 0xc1),
    MR(MOVQ, XMM, MMX, 4, 0xf3, 0x0f, 0xd6, 0xc1),             /* movq2dq */
    MR(MOVQ, MMX, XMM, 4, 0xf2, 0x0f, 0xd6, 0xc1),             /* movdq2q */
    MR(PMOVMSKB, REG, MMX, 3, 0x0f, 0xd7, 0xc1),
    MR(PSUBUSB, MMX, MMX, 3, 0x0f, 0xd8, 0xc1),
    MR(PSUBUSW, MMX, MMX, 3, 0x0f, 0xd9, 0xc1),
    MR(PMINUB, MMX, MMX, 3, 0x0f, 0xda, 0xc1),
    MR(PAND, MMX, MMX, 3, 0x0f, 0xdb, 0xc1),
    MR(PADDUSB, MMX, MMX, 3, 0x0f, 0xdc, 0xc1),
    MR(PADDUSW, MMX, MMX, 3, 0x0f, 0xdd, 0xc1),
    MR(PMAXUB, MMX, MMX, 3, 0x0f, 0xde, 0xc1),
    MR(PANDN, MMX, MMX, 3, 0x0f, 0xdf, 0xc1),
    MR(PAVGB, MMX, MMX, 3, 0x0f, 0xe0, 0xc1),
    MR(PSRAW, MMX, MMX, 3, 0x0f, 0xe1, 0xc1),
    MR(PSRAD, MMX, MMX, 3, 0x0f, 0xe2, 0xc1),
    MR(PAVGW, MMX, MMX, 3, 0x0f, 0xe3, 0xc1),
    MR(PMULHUW, MMX, MMX, 3, 0x0f, 0xe4, 0xc1),
    MR(PMULHW, MMX, MMX, 3, 0x0f, 0xe5, 0xc1),
    MM(MOVQ, MEM, MMX, MO_64, 3, 0x0f, 0xe7, 0x07),            /* movntq */
    MR(PSUBSB, MMX, MMX, 3, 0x0f, 0xe8, 0xc1),
    MR(PSUBSW, MMX, MMX, 3, 0x0f, 0xe9, 0xc1),
    MR(PMINSW, MMX, MMX, 3, 0x0f, 0xea, 0xc1),
    MR(POR, MMX, MMX, 3, 0x0f, 0xeb, 0xc1),
    MR(PADDSB, MMX, MMX, 3, 0x0f, 0xec, 0xc1),
    MR(PADDSW, MMX, MMX, 3, 0x0f, 0xed, 0xc1),
    MR(PMAXSW, MMX, MMX, 3, 0x0f, 0xee, 0xc1),
    MM(PXOR, MMX, MEM, MO_64, 8, 0x0f, 0xef, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00),
    MR(PSLLW, MMX, MMX, 3, 0x0f, 0xf1, 0xc1),
    MR(PSLLD, MMX, MMX, 3, 0x0f, 0xf2, 0xc1),
    MR(PSLLQ, MMX, MMX, 3, 0x0f, 0xf3, 0xc1),
    MR(PMULUDQ, MMX, MMX, 3, 0x0f, 0xf4, 0xc1),
    MR(PMADDWD, MMX, MMX, 3, 0x0f, 0xf5, 0xc1),
    MR(PSADBW, MMX, MMX, 3, 0x0f, 0xf6, 0xc1),
    MR(MASKMOVDQU, MMX, MMX, 3, 0x0f, 0xf7, 0xc1),             /* maskmovq */
    MR(PSUBB, MMX, MMX, 3, 0x0f, 0xf8, 0xc1),
    MR(PSUBW, MMX, MMX, 3, 0x0f, 0xf9, 0xc1),
    MR(PSUBD, MMX, MMX, 3, 0x0f, 0xfa, 0xc1),
    MR(PSUBQ, MMX, MMX, 3, 0x0f, 0xfb, 0xc1),
    MR(PADDB, MMX, MMX, 3, 0x0f, 0xfc, 0xc1),
    MR(PADDW, MMX, MMX, 3, 0x0f, 0xfd, 0xc1),
    MR(PADDD, MMX, MMX, 3, 0x0f, 0xfe, 0xc1),
    /* SSSE3 */
    MR(PSHUFB, MMX, MMX, 4, 0x0f, 0x38, 0x00, 0xc1),
    MR(PHADDW, MMX, MMX, 4, 0x0f, 0x38, 0x01, 0xc1),
    MR(PHADDD, MMX, MMX, 4, 0x0f, 0x38, 0x02, 0xc1),
    MR(PHADDSW, MMX, MMX, 4, 0x0f, 0x38, 0x03, 0xc1),
    MR(PMADDUBSW, MMX, MMX, 4, 0x0f, 0x38, 0x04, 0xc1),
    MR(PHSUBW, MMX, MMX, 4, 0x0f, 0x38, 0x05, 0xc1),
    MR(PHSUBD, MMX, MMX, 4, 0x0f, 0x38, 0x06, 0xc1),
    MR(PHSUBSW, MMX, MMX, 4, 0x0f, 0x38, 0x07, 0xc1),
    MR(PSIGNB, MMX, MMX, 4, 0x0f, 0x38, 0x08, 0xc1),
    MR(PSIGNW, MMX, MMX, 4, 0x0f, 0x38, 0x09, 0xc1),
    MR(PSIGND, MMX, MMX, 4, 0x0f, 0x38, 0x0a, 0xc1),
    MM(PMULHRSW, MMX, MEM, MO_64, 5, 0x0f, 0x38, 0x0b, 0x47, 0x10),
    MR(PABSB, MMX, MMX, 4, 0x0f, 0x38, 0x1c, 0xc1),
    MR(PABSW, MMX, MMX, 4, 0x0f, 0x38, 0x1d, 0xc1),
    MR(PABSD, MMX, MMX, 4, 0x0f, 0x38, 0x1e, 0xc1),
    MR(PALIGNR, MMX, MMX, 5, 0x0f, 0x3a, 0x0f, 0xc1, 0x03),
    MM(PALIGNR, MMX, MEM, MO_64, 6, 0x0f, 0x3a, 0x0f, 0x47, 0x08, 0x03),
    /* conversions */
    MR(CVTDQ2PS, XMM, MMX, 3, 0x0f, 0x2a, 0xc1),               /* cvtpi2ps */
    MM(CVTDQ2PS, XMM, MEM, MO_64, 3, 0x0f, 0x2a, 0x07),
    MR(CVTDQ2PD, XMM, MMX, 4, 0x66, 0x0f, 0x2a, 0xc1),         /* cvtpi2pd */
    MR(CVTTPS2DQ, MMX, XMM, 3, 0x0f, 0x2c, 0xc1),              /* cvttps2pi */
    MM(CVTTPS2DQ, MMX, MEM, MO_64, 3, 0x0f, 0x2c, 0x07),
    MM(CVTTPD2DQ, MMX, MEM, X86_OT_128, 4, 0x66, 0x0f, 0x2c, 0x07),   /* cvttpd2pi */
    MR(CVTPS2DQ, MMX, XMM, 4, 0x41, 0x0f, 0x2d, 0xc1),         /* cvtps2pi mm0, xmm9 */
    MR(CVTPD2DQ, MMX, XMM, 4, 0x66, 0x0f, 0x2d, 0xc1),         /* cvtpd2pi */
#undef MR
#undef MM
};

static void test_decode_mmx(void)
{
    X86DecodedInsn d;
    csh cs;

    CHECK(cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK);
    for (size_t i = 0; i < ARRAY_SIZE(mmx_cases); i++) {
        cs_insn *insn;
        size_t n = cs_disasm(cs, mmx_cases[i].b, mmx_cases[i].len, 0x1000, 1, &insn);
        int len = x86_decode_buf(&d, X86_MODE_64, mmx_cases[i].b, mmx_cases[i].len);
        bool mem = false;

        if (n != 1 || (int)insn[0].size != len || len != mmx_cases[i].len ||
            d.e.kind != mmx_cases[i].kind || d.op[0].kind != mmx_cases[i].k0 ||
            d.op[1].kind != mmx_cases[i].k1) {
            printf("  case %zu: tern %d (%s, %d %d) capstone %d expected %u\n", i, len,
                   len > 0 ? x86_insn_kind_names[d.e.kind] : "-", d.op[0].kind, d.op[1].kind,
                   n == 1 ? (int)insn[0].size : -1, mmx_cases[i].len);
        }
        CHECK_EQ(n, 1);
        CHECK_EQ(insn[0].size, (unsigned)len);
        cs_free(insn, n);
        CHECK_EQ(len, mmx_cases[i].len);
        CHECK_EQ(d.e.kind, mmx_cases[i].kind);
        CHECK_EQ(d.op[0].kind, mmx_cases[i].k0);
        CHECK_EQ(d.op[1].kind, mmx_cases[i].k1);
        for (int j = 0; j < 3; j++) {
            if (d.op[j].kind == X86_OPK_MEM) {
                CHECK_EQ(d.op[j].ot, mmx_cases[i].mem_ot);
                mem = true;
            }
        }
        CHECK_EQ(mem, mmx_cases[i].mem_ot != 0xff);
    }
    cs_close(&cs);

    /* register numbers: ModRM only, REX.R and REX.B ignored for MMX */
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xfc, 0xd7)), 3);                  /* paddb mm2, mm7 */
    CHECK_EQ(d.op[0].reg, 2);
    CHECK_EQ(d.op[1].reg, 7);
    CHECK_EQ(dec(&d, BYTES(0x45, 0x0f, 0xfc, 0xd7)), 4);            /* REX.RB: the same */
    CHECK_EQ(d.op[0].reg, 2);
    CHECK_EQ(d.op[1].reg, 7);
    CHECK_EQ(dec(&d, BYTES(0x44, 0x0f, 0x2a, 0xc1)), 4);            /* cvtpi2ps xmm8, mm1 */
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[1].reg, 1);
    CHECK_EQ(dec(&d, BYTES(0x41, 0x0f, 0x7e, 0xc8)), 4);            /* movd r8d, mm1 */
    CHECK_EQ(d.op[0].kind, X86_OPK_REG);
    CHECK_EQ(d.op[0].reg, 8);
    CHECK_EQ(d.op[0].ot, MO_32);
    CHECK_EQ(d.op[1].reg, 1);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x73, 0xd5, 0x07)), 4);            /* psrlq mm5, 7 */
    CHECK_EQ(d.op[0].reg, 5);
    CHECK_EQ(d.op[1].imm, 7);
    /* the 66 forms stay XMM */
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0xfc, 0xc1)), 4);
    CHECK_EQ(d.e.kind, X86_INSN_PADDB);
    CHECK_EQ(d.op[0].kind, X86_OPK_XMM);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x73, 0xd3, 0x3f)), 5);
    CHECK_EQ(d.op[0].kind, X86_OPK_XMM);

    /* #UD: F2/F3 on MMX rows, 66 emms, register-only operands with memory,
     * psrldq/pslldq without 66, no movq2dq-style row without prefix */
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0xfc, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0x60, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x38, 0x00, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0x3a, 0x0f, 0xc1, 0x00)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x71, 0xd1, 0x01)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x66, 0x0f, 0x77)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0x77)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x71, 0x10, 0x01)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xd7, 0x07)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xf7, 0x07)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xc5, 0x07, 0x01)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf3, 0x0f, 0xd6, 0x07)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0xf2, 0x0f, 0xd6, 0x07)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0xd6, 0xc1)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x73, 0xd9, 0x01)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x73, 0xf9, 0x01)), X86_DECODE_UD);
    CHECK_EQ(dec(&d, BYTES(0x0f, 0x71, 0xc1, 0x01)), X86_DECODE_UD);   /* /0 */
    CHECK_EQ(dec(&d, BYTES(0xf0, 0x0f, 0xfc, 0x07)), X86_DECODE_UD);   /* lock */
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
    RUN_TEST(test_decode_three_byte_maps);
    RUN_TEST(test_decode_vex);
    RUN_TEST(test_decode_vex_invalid);
    RUN_TEST(test_decode_x87);
    RUN_TEST(test_decode_strings_bitops);
    RUN_TEST(test_decode_system);
    RUN_TEST(test_decode_sse);
    RUN_TEST(test_decode_sse41);
    RUN_TEST(test_decode_sse42_aes);
    RUN_TEST(test_decode_vs_capstone);
    RUN_TEST(test_decode_mmx);
    TEST_MAIN_END();
}
