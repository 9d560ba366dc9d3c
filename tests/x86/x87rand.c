// tern-nested: skip QEMU 7.2 TCG (the nested CPU)'s softfloat x87 results differ from silicon in the last bits
// tern-native-amd: allow unmasked/fprem1 FPREM1 of a denormal by an infinity with UE unmasked: Intel returns it as is, AMD raises UE and rebiases it
// tern-native-amd: allow stack/fprem1 FPREM1 of a denormal by an infinity with UE unmasked: Intel returns it as is, AMD raises UE and rebiases it
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
 *
 * The "unmasked/" groups then run the single-instruction cases again with
 * each exception masked or not at random and operands near the exponent
 * limits: rebiased OE/UE results, stores that an unmasked IE/OE/UE
 * cancels, pops that an unmasked IE/DE/ZE cancels.  Nothing faults: the
 * state is read with non-waiting instructions only (FNSAVE, then FNINIT).
 *
 * The "stack/" group starts each case from a random state FRSTOR loads:
 * random TOP, empty registers, C0-C3 and EFLAGS, IE masked or not: stack
 * underflow and overflow in every instruction shape (pushes, pops, two
 * operands, two results) and the condition codes each instruction leaves.
 * The transcendentals get operands with exact results only (zeros,
 * infinities, NaNs, invalid encodings), which every x87 model agrees on.
 */
#include "tern.h"
#include "../rand.h"

#define CASES 2000

typedef struct __attribute__((packed)) X80 {
    uint64_t m;
    uint16_t e;
} X80;

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
    return xorshift64s(&rng);
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

/* Also values near the exponent limits, for OE and UE. */
static X80 rnd_x80_wide(void)
{
    X80 v = rnd_x80();

    switch (rnd() % 4) {
    case 0:
        v.e = (uint16_t)((v.e & 0x8000) | (0x7ffe - rnd() % 40));
        v.m |= 1ull << 63;
        break;
    case 1:
        v.e = (uint16_t)((v.e & 0x8000) | (rnd() % 40));
        v.m |= v.e & 0x7fff ? 1ull << 63 : 0;
        break;
    }
    return v;
}

/* The state after an instruction: FNSAVE image, EFLAGS, memory result. */
struct x87_state {
    uint8_t save[108];
    uint64_t flags_in, flags;
    uint8_t mem[16];
    uint8_t mem_spill[16];   /* FNSTENV writes 28 bytes at mem (not hashed) */
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

/* The stack group: FRSTOR a random state (an FNSAVE image), EFLAGS =
 * flags_in, run insn, save as OP does. */
typedef void (*X87StackOp)(const uint8_t *img, struct x87_state *st);

#define SOP(fn, insn)                                                         \
    static void fn(const uint8_t *img, struct x87_state *st)                 \
    {                                                                        \
        __asm__ volatile("push %[fi]\n\tpopf\n\tfrstor (%[i])\n\t" insn "\n\t"   \
                         "pushf\n\tpop %[f]\n\tfnsave %[s]\n\tfninit"         \
                         : [s] "=m"(st->save), [f] "=r"(st->flags),           \
                           [m] "+m"(st->mem)                                 \
                         : [i] "r"(img), [fi] "r"(st->flags_in)               \
                         : "cc", "memory");                                  \
    }

SOP(s_fadd, "fadd %%st(1), %%st")
SOP(s_faddp, "faddp %%st, %%st(2)")
SOP(s_fadd_m32, "fadds %[m]")
SOP(s_fsqrt, "fsqrt")
SOP(s_fscale, "fscale")
SOP(s_fprem, "fprem")
SOP(s_fprem1, "fprem1")
SOP(s_fxtract, "fxtract")
SOP(s_fchs, "fchs")
SOP(s_frndint, "frndint")
SOP(s_fcom, "fcom %%st(2)")
SOP(s_fcomp_st1, ".byte 0xd8, 0xd9")            /* fcomp st(1) */
SOP(s_fucomp_st1, ".byte 0xdd, 0xe9")           /* fucomp st(1) */
SOP(s_fcompp, "fcompp")
SOP(s_fucompp, "fucompp")
SOP(s_fcomi, "fcomi %%st(3), %%st")
SOP(s_fucomip, "fucomip %%st(1), %%st")
SOP(s_ftst, "ftst")
SOP(s_fxam, "fxam")
SOP(s_fst, "fst %%st(2)")
SOP(s_fstp_m64, "fstpl %[m]")
SOP(s_fistp_m32, "fistpl %[m]")
SOP(s_fld, "fld %%st(3)")
SOP(s_fld_m32, "flds %[m]")
SOP(s_fldz, "fldz")
SOP(s_fxch, "fxch %%st(3)")
SOP(s_ffree, "ffree %%st(1)")
SOP(s_ffreep, ".byte 0xdf, 0xc1")               /* ffreep st(1) */
SOP(s_fincstp, "fincstp")
SOP(s_fdecstp, "fdecstp")
SOP(s_fnop, "fnop")
SOP(s_fcmovb, "fcmovb %%st(2), %%st")
SOP(s_fcmovnbe, "fcmovnbe %%st(1), %%st")
SOP(s_fldcw, "fldcw %[m]")
SOP(s_fsin, "fsin")
SOP(s_fcos, "fcos")
SOP(s_fptan, "fptan")
SOP(s_fsincos, "fsincos")
SOP(s_fpatan, "fpatan")
SOP(s_fyl2x, "fyl2x")
SOP(s_fyl2xp1, "fyl2xp1")
SOP(s_f2xm1, "f2xm1")

/* want: the host CPU's hash; exact: operands with exact results only */
static const struct { const char *name; X87StackOp fn; int exact; uint64_t want; } stack_ops[] = {
    { "fadd", s_fadd, 0, 0xac269666b50fce29ull },
    { "faddp", s_faddp, 0, 0xdc557bd13d6e0277ull },
    { "fadd_m32", s_fadd_m32, 0, 0x75f8539bcca05d5aull },
    { "fsqrt", s_fsqrt, 0, 0xe76f4de6ebe0c39eull },
    { "fscale", s_fscale, 0, 0x1ab863fa024cbfa2ull },
    { "fprem", s_fprem, 0, 0x8710e57c0195e6d2ull },
    { "fprem1", s_fprem1, 0, 0x9eeb9086cf39fd11ull },
    { "fxtract", s_fxtract, 0, 0xfc9c4aa223609ef8ull },
    { "fchs", s_fchs, 0, 0x916d58151d2ad322ull },
    { "frndint", s_frndint, 0, 0x76d7de8525e5a871ull },
    { "fcom", s_fcom, 0, 0x062df12239407cc8ull },
    { "fcomp_st1", s_fcomp_st1, 0, 0x29a683d8f742c635ull },
    { "fucomp_st1", s_fucomp_st1, 0, 0x537fda1f563e9a00ull },
    { "fcompp", s_fcompp, 0, 0x9e66b71159d6bba8ull },
    { "fucompp", s_fucompp, 0, 0x033cff4f1aa75919ull },
    { "fcomi", s_fcomi, 0, 0xc83b719b27b1a9a6ull },
    { "fucomip", s_fucomip, 0, 0x9c8b7c17723d1c7aull },
    { "ftst", s_ftst, 0, 0x9dbb3032259cf089ull },
    { "fxam", s_fxam, 0, 0x73a193f7ceccb43bull },
    { "fst", s_fst, 0, 0x63a9ff6ff4714db0ull },
    { "fstp_m64", s_fstp_m64, 0, 0xb319700a47fc06ecull },
    { "fistp_m32", s_fistp_m32, 0, 0x9e0d2adc0bf15d88ull },
    { "fld", s_fld, 0, 0x361e707d2d4811d8ull },
    { "fld_m32", s_fld_m32, 0, 0xeb00ca21df8c5d52ull },
    { "fldz", s_fldz, 0, 0xda8baf540dfeb4c2ull },
    { "fxch", s_fxch, 0, 0x9855f5f432e238c5ull },
    { "ffree", s_ffree, 0, 0x5cc2b37ed5d05a49ull },
    { "ffreep", s_ffreep, 0, 0x1cc0fc3971575e50ull },
    { "fincstp", s_fincstp, 0, 0xfc2a6af909a7b546ull },
    { "fdecstp", s_fdecstp, 0, 0xa65a57d660c76175ull },
    { "fnop", s_fnop, 0, 0x13a476c12114b4cdull },
    { "fcmovb", s_fcmovb, 0, 0xac880175028cdea9ull },
    { "fcmovnbe", s_fcmovnbe, 0, 0xfd5a22e0045c12e2ull },
    { "fldcw", s_fldcw, 0, 0x4ba15086a6177256ull },
    { "fsin", s_fsin, 1, 0x67dff86a8db9455eull },
    { "fcos", s_fcos, 1, 0x2fa9a49d433781bcull },
    { "fptan", s_fptan, 1, 0x052f057ed645af1full },
    { "fsincos", s_fsincos, 1, 0xb44b642f58c3584eull },
    { "fpatan", s_fpatan, 1, 0xc8002de0b404ff75ull },
    { "fyl2x", s_fyl2x, 1, 0xc36b0ddd48427019ull },
    { "fyl2xp1", s_fyl2xp1, 1, 0xed7543df3673eaf6ull },
    { "f2xm1", s_f2xm1, 1, 0x802a8946c3907d43ull },
};

/* The single-instruction cases again, exceptions unmasked at random:
 * want is the host CPU's hash. */
static const struct { const char *name; X87Op fn; uint64_t want; } trap_ops[] = {
    { "fadd", op_fadd, 0x6d55e3ded61a9dc0ull },
    { "fsub", op_fsub, 0x39cebd892c65ed68ull },
    { "fsubr", op_fsubr, 0x78a4ac1eaf1b0adbull },
    { "fmul", op_fmul, 0x6e46d5fc506a8dbfull },
    { "fdiv", op_fdiv, 0x450838c81870190bull },
    { "fdivr", op_fdivr, 0xfb1961e10d39f013ull },
    { "faddp", op_faddp, 0x5a42de4076b13728ull },
    { "fsubp", op_fsubp, 0xb0161f6fc6acc4adull },
    { "fdivp", op_fdivp, 0xa5cb9489ffde26b5ull },
    { "fadd_m32", op_fadd_m32, 0xf9d44f114ffad419ull },
    { "fmul_m64", op_fmul_m64, 0xb9c512659c8dbeccull },
    { "fisub_m16", op_fisub_m16, 0x1e8afc85cad44958ull },
    { "fidivr_m32", op_fidivr_m32, 0x5af5f495cf138f9bull },
    { "fsqrt", op_fsqrt, 0x7b659e92c258734full },
    { "frndint", op_frndint, 0xfb2ab9d8457b108dull },
    { "fscale", op_fscale, 0x543145f49f24616bull },
    { "fprem", op_fprem, 0x75b393a86df318feull },
    { "fprem1", op_fprem1, 0xdd566a56593143a9ull },
    { "fxtract", op_fxtract, 0x2c0824bf76b44e58ull },
    { "ftst", op_ftst, 0xdf4696fe76949bd9ull },
    { "fcom", op_fcom, 0x6fb84ef17aa78986ull },
    { "fucompp", op_fucompp, 0x0b203967d78a62e5ull },
    { "fcom_m64", op_fcom_m64, 0x215b0fe931d69e76ull },
    { "ficom_m32", op_ficom_m32, 0x60ce69a021539abaull },
    { "fcomi", op_fcomi, 0xd19667ac47fc1fb0ull },
    { "fucomip", op_fucomip, 0x161cd2990a9b7b9cull },
    { "fst_m32", op_fst_m32, 0x6c9d453d21801071ull },
    { "fstp_m64", op_fstp_m64, 0xd30e5548e6bdc61eull },
    { "fstp_m80", op_fstp_m80, 0x92b180f2b8510739ull },
    { "fist_m16", op_fist_m16, 0x1d6da1f6a18a9029ull },
    { "fistp_m32", op_fistp_m32, 0x2449ed7283a96f46ull },
    { "fistp_m64", op_fistp_m64, 0x5d2811df8208da2full },
    { "fisttp_m16", op_fisttp_m16, 0xf3266d9acec6d04full },
    { "fisttp_m64", op_fisttp_m64, 0x580e35f3edef953aull },
    { "fbstp", op_fbstp, 0x5d9b5632a34f559cull },
    { "fld_m32", op_fld_m32, 0x93873fb84d69fa58ull },
    { "fld_m64", op_fld_m64, 0x851745e1363cfe79ull },
    { "fild_m64", op_fild_m64, 0x8b1cb4165a2b4cffull },
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

/* The memory operand (m0:m1, or now and then a value of gen's range) and
 * the flags a case starts with */
static void state_init(struct x87_state *st, uint64_t m0, uint64_t m1, X80 (*gen)(void))
{
    if (rnd() % 2) {
        /* memory operand: a value of the instruction's range */
        X80 v = gen();
        m0 = v.m >> (rnd() % 2 ? 0 : 11);
        m1 = v.e;
    }
    memcpy(st->mem, &m0, 8);
    memcpy(st->mem + 8, &m1, 8);
    memset(st->save, 0, sizeof(st->save));
    memset(st->mem_spill, 0, sizeof(st->mem_spill));
    st->flags_in = 2 | (rnd() & FL_ARITH);
}

/* CASES random cases of fn: the hash of their states.  trapped: every
 * exception masked or not at random, operands near the exponent limits. */
static uint64_t run_cases(const char *name, X87Op fn, int trapped)
{
    static const uint16_t pc[4] = { 0x000, 0x200, 0x300, 0x300 };
    X80 (*gen)(void) = trapped ? rnd_x80_wide : rnd_x80;
    uint64_t h = 0;
    unsigned i;

    for (i = 0; i < CASES; i++) {
        X80 in[3] = { gen(), gen(), gen() };
        uint16_t cw = (uint16_t)(0x7f | (rnd() % 4) << 10 | pc[rnd() % 4]);
        struct x87_state st;
        uint64_t m0 = rnd(), m1 = rnd();

        if (trapped) {
            cw = (uint16_t)((cw & ~0x3f) | (rnd() & 0x3f));
        }
        state_init(&st, m0, m1, gen);
        fn(in, cw, &st);
        h = h * 31 + hash_state(&st);
#ifdef X87RAND_VERBOSE
        tern_printf("%s%s %u %016llx\n", trapped ? "unmasked/" : "", name, i,
                    (unsigned long long)hash_state(&st));
#else
        (void)name;
#endif
    }
    return h;
}

/* An operand whose transcendental results are exact: a zero, an infinity,
 * a NaN or an unnormal, either sign. */
static X80 rnd_exact(void)
{
    X80 v;

    switch (rnd() % 5) {
    case 0:  v.e = 0; v.m = 0; break;
    case 1:  v.e = 0x7fff; v.m = 1ull << 63; break;
    case 2:  v.e = 0x7fff; v.m = 3ull << 62 | (rnd() & 0xffff); break;
    case 3:  v.e = 0x7fff; v.m = 1ull << 63 | 1 | (rnd() & 0xffff); break;
    default: v.e = 0x3fff; v.m = 1ull << 62; break;
    }
    v.e |= (uint16_t)((rnd() & 1) << 15);
    return v;
}

/* The stack group's CASES random cases of fn, from random FRSTOR images:
 * the hash of their states. */
static uint64_t run_stack_cases(const char *name, X87StackOp fn, int exact)
{
    static const uint16_t pc[4] = { 0x000, 0x200, 0x300, 0x300 };
    static uint8_t img[108];
    uint64_t h = 0;
    unsigned i, k;

    for (i = 0; i < CASES; i++) {
        uint32_t cw = 0xffff007f | (uint32_t)(rnd() % 4) << 10 | pc[rnd() % 4];
        uint32_t top = (uint32_t)(rnd() % 8), sw, tw = 0xffff0000u;
        uint64_t full = rnd(), m0 = rnd(), m1 = rnd();
        struct x87_state st;

        switch (rnd() % 8) {
        case 0:  full = ~0ull; break;                       /* all 8 valid */
        case 1:  full = 0; break;                           /* all empty */
        default: break;
        }
        if (rnd() % 2) {
            cw &= ~1u;                                      /* IE unmasked */
        } else if (rnd() % 4 == 0) {
            cw = (cw & ~0x3fu) | (uint32_t)(rnd() & 0x3f);
        }
        sw = 0xffff0000u | (uint32_t)(rnd() & 0x4700) | top << 11;   /* C0-C3 */
        for (k = 0; k < 8; k++) {
            X80 v = exact ? rnd_exact() : rnd_x80();
            if (!(full >> k & 1)) {
                tw |= 3u << (2 * ((top + k) & 7));
            }
            memcpy(img + 28 + 10 * k, &v, 10);
        }
        memcpy(img, &cw, 4);
        memcpy(img + 4, &sw, 4);
        memcpy(img + 8, &tw, 4);
        memset(img + 12, 0, 16);
        state_init(&st, m0, m1, rnd_x80);
        fn(img, &st);
        h = h * 31 + hash_state(&st);
#ifdef X87RAND_VERBOSE
        tern_printf("stack/%s %u %016llx\n", name, i, (unsigned long long)hash_state(&st));
#else
        (void)name;
#endif
    }
    return h;
}

int main(void)
{
    unsigned k;

    for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        uint64_t h = run_cases(ops[k].name, ops[k].fn, 0);
        test_group(ops[k].name);
        CHECK_EQ_NAMED("hash", h, ops[k].want);
    }
    test_group("unmasked");
    for (k = 0; k < sizeof(trap_ops) / sizeof(trap_ops[0]); k++) {
        CHECK_EQ_NAMED(trap_ops[k].name, run_cases(trap_ops[k].name, trap_ops[k].fn, 1),
                       trap_ops[k].want);
    }
    test_group("stack");
    for (k = 0; k < sizeof(stack_ops) / sizeof(stack_ops[0]); k++) {
        CHECK_EQ_NAMED(stack_ops[k].name,
                       run_stack_cases(stack_ops[k].name, stack_ops[k].fn, stack_ops[k].exact),
                       stack_ops[k].want);
    }
    test_done();
}
