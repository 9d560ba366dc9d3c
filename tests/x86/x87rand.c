/*
 * x87rand.c: random x87 instructions, checked by a hash per instruction.
 *
 * Each case: fninit, a random control word (rounding and precision
 * control, all exceptions masked), three random 80-bit values pushed
 * (zeros, denormals, unnormals, NaNs, infinities, values near the format's
 * and the integer formats' limits), one instruction, then FNSAVE of the
 * whole FPU state (the instruction/data pointers left out), the EFLAGS
 * arithmetic bits and the instruction's memory result are hashed.  The
 * hash of each instruction's 2,000 cases is a constant the native build
 * proves on the host CPU; X87RAND_VERBOSE=1 at build time prints every case
 * to find a difference.
 */
#include "tern.h"

#define CASES 2000

typedef struct __attribute__((packed)) X80 {
    uint64_t m;
    uint16_t e;
} X80;

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static X80 rnd_x80(void)
{
    uint16_t sign = (uint16_t)((rnd() & 1) << 15);
    uint64_t sig = (1ull << 63) | (rnd() >> (rnd() % 2 ? 0 : rnd() % 64));
    X80 v;

    if (rnd() % 2) {
        sig &= ~0ull << (rnd() % 64);
    }
    switch (rnd() % 12) {
    case 0:  v.e = 0; v.m = 0; break;
    case 1:  v.e = 0; v.m = sig >> (1 + rnd() % 63); break;
    case 2:  v.e = 0x7fff; v.m = 1ull << 63; break;
    case 3:  v.e = 0x7fff; v.m = sig | (rnd() % 2 ? 1ull << 62 : 1); break;
    case 4:  v.e = (uint16_t)(1 + rnd() % 0x7ffe); v.m = sig & ~(1ull << 63); break;
    case 5:  v.e = (uint16_t)(0x3fff + rnd() % 66); v.m = sig; break;
    case 6:  v.e = (uint16_t)(0x3fff + 127 - 30 + rnd() % 60); v.m = sig; break;
    case 7:  v.e = (uint16_t)(0x3fff - 126 - 30 + rnd() % 60); v.m = sig; break;
    default: v.e = (uint16_t)(0x3fff - 40 + rnd() % 80); v.m = sig; break;
    }
    v.e |= sign;
    return v;
}

/* The state after an instruction: FNSAVE image, EFLAGS, memory result. */
struct x87_state {
    uint8_t save[108];
    uint64_t flags_in, flags;
    uint8_t mem[16];
};

typedef void (*X87Op)(const X80 *in, uint16_t cw, struct x87_state *st);

/* fninit, cw, push in[2], in[1], in[0], EFLAGS = flags_in; run insn; save.
 * insn may use %[m] (16 bytes of memory, preloaded with random bits). */
#define OP(fn, insn)                                                          \
    static void fn(const X80 *in, uint16_t cw, struct x87_state *st)         \
    {                                                                        \
        __asm__ volatile("fninit\n\tfldcw %[c]\n\tfldt 20(%[i])\n\t"           \
                         "fldt 10(%[i])\n\tfldt (%[i])\n\tpush %[fi]\n\tpopf\n\t" \
                         insn "\n\t"                                          \
                         "pushf\n\tpop %[f]\n\tfnsave %[s]\n\tfninit"         \
                         : [s] "=m"(st->save), [f] "=r"(st->flags),           \
                           [m] "+m"(st->mem)                                 \
                         : [c] "m"(cw), [i] "r"(in), [fi] "r"(st->flags_in)   \
                         : "cc", "memory");                                  \
    }

OP(op_fadd, "fadd %%st(1), %%st")
OP(op_fsub, "fsub %%st(1), %%st")
OP(op_fsubr, "fsubr %%st(1), %%st")
OP(op_fmul, "fmul %%st(1), %%st")
OP(op_fdiv, "fdiv %%st(1), %%st")
OP(op_fdivr, "fdivr %%st(1), %%st")
OP(op_faddp, "faddp %%st, %%st(2)")
OP(op_fsubp, "fsubp %%st, %%st(1)")
OP(op_fdivp, "fdivrp %%st, %%st(2)")
OP(op_fadd_m32, "fadds %[m]")
OP(op_fmul_m64, "fmull %[m]")
OP(op_fisub_m16, "fisubs %[m]")
OP(op_fidivr_m32, "fidivrl %[m]")
OP(op_fsqrt, "fsqrt")
OP(op_frndint, "frndint")
OP(op_fscale, "fscale")
OP(op_fprem, "fprem")
OP(op_fprem1, "fprem1")
OP(op_fxtract, "fxtract")
OP(op_fchs_fabs, "fchs\n\tfxch %%st(2)\n\tfabs")
OP(op_fxam, "fxam")
OP(op_ftst, "ftst")
OP(op_fcom, "fcom %%st(2)")
OP(op_fucompp, "fucompp")
OP(op_fcom_m64, "fcompl %[m]")
OP(op_ficom_m32, "ficoml %[m]")
OP(op_fcomi, "fcomi %%st(1), %%st")
OP(op_fucomip, "fucomip %%st(2), %%st")
OP(op_fst_m32, "fsts %[m]")
OP(op_fstp_m64, "fstpl %[m]")
OP(op_fstp_m80, "fstpt %[m]")
OP(op_fist_m16, "fists %[m]")
OP(op_fistp_m32, "fistpl %[m]")
OP(op_fistp_m64, "fistpll %[m]")
OP(op_fisttp_m16, "fisttps %[m]")
OP(op_fisttp_m64, "fisttpll %[m]")
OP(op_fbstp, "fbstp %[m]")
OP(op_fld_m32, "flds %[m]")
OP(op_fld_m64, "fldl %[m]")
OP(op_fild_m64, "fildll %[m]")
OP(op_fcmovb, "fcmovb %%st(2), %%st")
OP(op_fcmovnbe, "fcmovnbe %%st(1), %%st")
OP(op_fxch_ffree, "fxch %%st(2)\n\tffree %%st(1)\n\tfld %%st(1)")
OP(op_fconsts, "fldpi\n\tfldl2e\n\tfaddp\n\tfldlg2\n\tfmulp")
/* the environment: cw, sw, tw in the hashed bytes; fip is zeroed */
OP(op_fstenv, "fnstenv %[m]\n\tfldenv %[m]\n\tmovl $0, 12+%[m]")

/* want: the hash of the 2,000 cases on the host CPU (the native build) */
static const struct { const char *name; X87Op fn; uint64_t want; } ops[] = {
    { "fadd", op_fadd, 0x1d9049c62bd775f7ull },
    { "fsub", op_fsub, 0xedbd46a7f71267c9ull },
    { "fsubr", op_fsubr, 0x71860df95cd4dc26ull },
    { "fmul", op_fmul, 0x4a5cef7340b5c5aeull },
    { "fdiv", op_fdiv, 0x497a0b5db61c60f5ull },
    { "fdivr", op_fdivr, 0xd4c5a2065df955a4ull },
    { "faddp", op_faddp, 0x442cf237254e548eull },
    { "fsubp", op_fsubp, 0x108d036bcebb642dull },
    { "fdivp", op_fdivp, 0x60d1b2f5838d0fc6ull },
    { "fadd_m32", op_fadd_m32, 0xa49d3d967281a6beull },
    { "fmul_m64", op_fmul_m64, 0xe768867763d88ff0ull },
    { "fisub_m16", op_fisub_m16, 0x9ad3e0c799970831ull },
    { "fidivr_m32", op_fidivr_m32, 0x5b69fa6161ea0b16ull },
    { "fsqrt", op_fsqrt, 0x1049e848774ecf76ull },
    { "frndint", op_frndint, 0x4bc4f56a07544ad8ull },
    { "fscale", op_fscale, 0xd15c17df858f1ab3ull },
    { "fprem", op_fprem, 0x5fe496ab84ce49d4ull },
    { "fprem1", op_fprem1, 0xfec4684887b2ab9bull },
    { "fxtract", op_fxtract, 0xca658ee4019b291dull },
    { "fchs_fabs", op_fchs_fabs, 0x3827e153ba79747bull },
    { "fxam", op_fxam, 0x45f7d5af85aba68cull },
    { "ftst", op_ftst, 0xef42c7164d5da78cull },
    { "fcom", op_fcom, 0x584f12ebfa43f99eull },
    { "fucompp", op_fucompp, 0x507d94fee4d33e70ull },
    { "fcom_m64", op_fcom_m64, 0x904be31679828dbaull },
    { "ficom_m32", op_ficom_m32, 0x0bead82800118ca1ull },
    { "fcomi", op_fcomi, 0x4294c10d3ea5fa36ull },
    { "fucomip", op_fucomip, 0x7d2f807f2e257ce4ull },
    { "fst_m32", op_fst_m32, 0x04187c35ab42b1bcull },
    { "fstp_m64", op_fstp_m64, 0xcba8cad5727dfe1full },
    { "fstp_m80", op_fstp_m80, 0x80006b2905b59d6cull },
    { "fist_m16", op_fist_m16, 0x7aebb0db394e2a24ull },
    { "fistp_m32", op_fistp_m32, 0x5d5da84452ae64d5ull },
    { "fistp_m64", op_fistp_m64, 0xc32b8910f468e37eull },
    { "fisttp_m16", op_fisttp_m16, 0xbd6b1cea03a994b1ull },
    { "fisttp_m64", op_fisttp_m64, 0xd010935312d2f82dull },
    { "fbstp", op_fbstp, 0x57814492a7dcb956ull },
    { "fld_m32", op_fld_m32, 0xfce17ed7baa0eb19ull },
    { "fld_m64", op_fld_m64, 0xbf3c5cdab7d32046ull },
    { "fild_m64", op_fild_m64, 0xb2eb33b1ad83dc6dull },
    { "fcmovb", op_fcmovb, 0xa4678cd00a54c18cull },
    { "fcmovnbe", op_fcmovnbe, 0x1c6e0ff7d8f0f252ull },
    { "fxch_ffree", op_fxch_ffree, 0x4a1fcc6ca8934217ull },
    { "fconsts", op_fconsts, 0x4c6a7b39018373c8ull },
    { "fstenv", op_fstenv, 0x65828c9c920a1f9bull },
};

static uint64_t hash_bytes(uint64_t h, const uint8_t *p, unsigned n)
{
    while (n--) {
        h = (h ^ *p++) * 0x100000001b3ull;
    }
    return h;
}

static uint64_t hash_state(const struct x87_state *st)
{
    uint64_t h = 0xcbf29ce484222325ull, fl = st->flags & FL_ARITH;

    h = hash_bytes(h, st->save, 12);            /* cw, sw, tw (32-bit layout) */
    h = hash_bytes(h, st->save + 28, 80);       /* the registers */
    h = hash_bytes(h, (const uint8_t *)&fl, 8);
    return hash_bytes(h, st->mem, sizeof(st->mem));
}

int main(void)
{
    static const uint16_t pc[4] = { 0x000, 0x200, 0x300, 0x300 };
    unsigned k, i;

    for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        uint64_t h = 0;
        for (i = 0; i < CASES; i++) {
            X80 in[3] = { rnd_x80(), rnd_x80(), rnd_x80() };
            uint16_t cw = (uint16_t)(0x7f | (rnd() % 4) << 10 | pc[rnd() % 4]);
            struct x87_state st;
            uint64_t m0 = rnd(), m1 = rnd();

            if (rnd() % 2) {
                /* memory operand: a value of the instruction's range */
                X80 v = rnd_x80();
                m0 = v.m >> (rnd() % 2 ? 0 : 11);
                m1 = v.e;
            }
            memcpy(st.mem, &m0, 8);
            memcpy(st.mem + 8, &m1, 8);
            memset(st.save, 0, sizeof(st.save));
            st.flags_in = 2 | (rnd() & FL_ARITH);
            ops[k].fn(in, cw, &st);
            h = h * 31 + hash_state(&st);
#ifdef X87RAND_VERBOSE
            tern_printf("%s %u %016llx\n", ops[k].name, i,
                        (unsigned long long)hash_state(&st));
#endif
        }
        test_group(ops[k].name);
        CHECK_EQ_NAMED("hash", h, ops[k].want);
    }
    test_done();
}
