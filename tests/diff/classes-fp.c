/*
 * classes-fp.c: the generators of the floating-point and SIMD classes of
 * the differential tester: SSE to SSE4.2, AES, PCLMULQDQ, MMX and x87.  The
 * rows that use them are in THE class table, diff_classes[] (classes.c).
 *
 * Each class is a table of instruction forms below; one generator call
 * emits one form picked at random, with random registers (XMM0-3 more
 * often, so that values flow), random memory operands (16-byte aligned
 * where the legacy-SSE form requires it, else anywhere, a quarter of them
 * straddling the page boundary), random imm8 within the bits the SDM
 * gives a meaning, and, for FP loads, memory patched with edge-case values
 * (diff_patch).  The initial x87/SSE state is random (gen.c).
 *
 * Rules the tables follow:
 *  - Nothing faults: MXCSR and FCW keep every exception masked (LDMXCSR and
 *    FLDCW load such values, stored by a MOV right before them so that an
 *    earlier store of the sequence cannot spoil them), aligned forms get
 *    aligned operands, MASKMOV* store to DS:rDI inside the scratch pages.
 *  - Nothing undefined is compared: F2XM1 and FYL2XP1 get an operand in
 *    their domain first (FLD m64); the FSW condition codes an instruction
 *    leaves undefined (SDM "C0-C3 undefined") are declared per instruction
 *    with diff_fsw() and masked; FNSTSW gets an FXAM in front when any is
 *    undefined; reserved imm8 bits stay 0 (CMPPS predicates 0-7, ROUND*
 *    0-15, PCMPxSTRx 0-127, DPPD, MPSADBW, BLENDPD).
 *  - Excluded: RCPPS RCPSS RSQRTPS RSQRTSS (model-specific approximations:
 *    Intel documents only a relative error of 1.5 * 2^-12, so tern cannot
 *    be held to one model's bits); against a host that is not Intel also
 *    DPPS DPPD (NANORD: with several NaN operands AMD returns another
 *    one than Intel, whose internal order tern follows).
 *  - RFLAGS: COMISS/UCOMISS/COMISD/UCOMISD and FCOMI/FUCOMI(P) set ZF PF CF
 *    and clear OF SF AF; PTEST sets ZF CF and clears the others;
 *    PCMPxSTRx set CF ZF SF OF and clear AF PF: each defines all six (the
 *    DEFS entries).  Everything else leaves RFLAGS alone.
 *  - MMX: register numbers 8-15 (REX.R/REX.B set) name MM0-7, as the
 *    hardware ignores those REX bits; a few percent use them.
 *
 * On an x86 host tern runs F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS
 * FSINCOS on the host's x87 (docs/isa.md), so x87-trans checks the stack
 * handling, flags and control word around them; there the results are
 * bit-exact by construction (0 differences in 3 x 1,694 sequences of
 * 100,000-sequence runs, stack faults included).  Elsewhere (or with
 * TERN_X87_SOFT=1) they are util/x87-transcendental.c's, within Intel's own
 * error, and difftest's replay accepts that window (difftest.c).
 */
#include "gen.h"

#define F_ALL DF_ARITH

/* ---- SSE, MMX: one table row per instruction form ------------------------- */

/* Register files of the ModRM.reg and ModRM.rm operands */
enum {
    NO,         /* rm: memory only */
    XR,         /* XMM register (rm: or memory) */
    MR,         /* MMX register (rm: or memory) */
    GR,         /* GPR read (rm: or memory) */
    GW,         /* GPR written (rm: or memory) */
    DG,         /* reg: the opcode's /digit */
};

/* SseOp.fl */
#define A16   0x0001    /* memory operand 16-byte aligned (legacy SSE m128) */
#define W64   0x0002    /* REX.W selects a 64-bit GPR operand (and m64 for a GPR rm) */
#define DEFS  0x0004    /* defines all six arithmetic flags */
#define PS    0x0008    /* memory operand: f32 lanes */
#define PD    0x0010    /* memory operand: f64 lanes */
#define CNT   0x0020    /* memory operand: a shift count */
#define LDMX  0x0040    /* memory operand: a valid MXCSR */
#define MASKM 0x0080    /* stores to DS:rDI: rDI set into the scratch pages */
#define ESTR  0x0100    /* PCMPESTRx: lengths in rAX and rDX */
#define NOMRM 0x0200    /* no ModRM (EMMS) */
#define CRC   0x0400    /* CRC32 (own generator) */
#define NANORD 0x0800   /* which of several NaN operands the result gets follows
                         * the implementation's internal order (DPPS, DPPD: tern
                         * has Intel's): not generated with diff_sdm_only */

typedef struct SseOp {
    uint8_t pfx;                /* mandatory prefix: 0, 66, F3, F2 */
    uint8_t map;                /* 1: 0F, 2: 0F 38, 3: 0F 3A */
    uint8_t op;
    uint8_t reg, rm;            /* register files (above) */
    uint8_t msize;              /* memory operand bytes; 0: register only */
    uint8_t digit;              /* reg == DG */
    uint8_t imm;                /* imm8: the bits drawn at random; 0: none */
    uint16_t fl;
} SseOp;

#define O(pfx, map, op, reg, rm, msize, imm, fl) { pfx, map, op, reg, rm, msize, 0, imm, fl }
#define D(pfx, map, op, digit, rm, msize, imm, fl) { pfx, map, op, DG, rm, msize, digit, imm, fl }
/* the common shapes */
#define VW(pfx, map, op, fl)        O(pfx, map, op, XR, XR, 16, 0, (fl) | A16)
#define VWI(pfx, map, op, imm, fl)  O(pfx, map, op, XR, XR, 16, imm, (fl) | A16)
#define VS(pfx, map, op, size, fl)  O(pfx, map, op, XR, XR, size, 0, fl)
#define PQ(map, op, fl)             O(0, map, op, MR, MR, 8, 0, fl)

/* SSE: PS/SS arithmetic, moves, compares, conversions, MXCSR */
static const SseOp sse1_ops[] = {
    O(0, 1, 0x10, XR, XR, 16, 0, PS),                   /* movups */
    O(0, 1, 0x11, XR, XR, 16, 0, 0),                    /* movups store */
    VS(0xf3, 1, 0x10, 4, PS),                           /* movss */
    VS(0xf3, 1, 0x11, 4, 0),                            /* movss store */
    O(0, 1, 0x12, XR, NO, 8, 0, PS),                    /* movlps xmm, m64 */
    O(0, 1, 0x12, XR, XR, 0, 0, 0),                     /* movhlps */
    O(0, 1, 0x13, XR, NO, 8, 0, 0),                     /* movlps m64, xmm */
    VW(0, 1, 0x14, PS),                                 /* unpcklps */
    VW(0, 1, 0x15, PS),                                 /* unpckhps */
    O(0, 1, 0x16, XR, NO, 8, 0, PS),                    /* movhps xmm, m64 */
    O(0, 1, 0x16, XR, XR, 0, 0, 0),                     /* movlhps */
    O(0, 1, 0x17, XR, NO, 8, 0, 0),                     /* movhps m64, xmm */
    VW(0, 1, 0x28, PS),                                 /* movaps */
    VW(0, 1, 0x29, 0),                                  /* movaps store */
    O(0xf3, 1, 0x2a, XR, GR, 4, 0, W64),                /* cvtsi2ss */
    O(0, 1, 0x2b, XR, NO, 16, 0, A16),                  /* movntps */
    O(0xf3, 1, 0x2c, GW, XR, 4, 0, W64 | PS),           /* cvttss2si */
    O(0xf3, 1, 0x2d, GW, XR, 4, 0, W64 | PS),           /* cvtss2si */
    VS(0, 1, 0x2e, 4, PS | DEFS),                       /* ucomiss */
    VS(0, 1, 0x2f, 4, PS | DEFS),                       /* comiss */
    O(0, 1, 0x50, GW, XR, 0, 0, 0),                     /* movmskps */
    VW(0, 1, 0x51, PS),                                 /* sqrtps */
    VS(0xf3, 1, 0x51, 4, PS),                           /* sqrtss */
    VW(0, 1, 0x54, PS),                                 /* andps */
    VW(0, 1, 0x55, PS),                                 /* andnps */
    VW(0, 1, 0x56, PS),                                 /* orps */
    VW(0, 1, 0x57, PS),                                 /* xorps */
    VW(0, 1, 0x58, PS),                                 /* addps */
    VW(0, 1, 0x59, PS),                                 /* mulps */
    VW(0, 1, 0x5c, PS),                                 /* subps */
    VW(0, 1, 0x5d, PS),                                 /* minps */
    VW(0, 1, 0x5e, PS),                                 /* divps */
    VW(0, 1, 0x5f, PS),                                 /* maxps */
    VS(0xf3, 1, 0x58, 4, PS),                           /* addss */
    VS(0xf3, 1, 0x59, 4, PS),                           /* mulss */
    VS(0xf3, 1, 0x5c, 4, PS),                           /* subss */
    VS(0xf3, 1, 0x5d, 4, PS),                           /* minss */
    VS(0xf3, 1, 0x5e, 4, PS),                           /* divss */
    VS(0xf3, 1, 0x5f, 4, PS),                           /* maxss */
    VWI(0, 1, 0xc2, 0x07, PS),                          /* cmpps, predicates 0-7 */
    O(0xf3, 1, 0xc2, XR, XR, 4, 0x07, PS),              /* cmpss */
    VWI(0, 1, 0xc6, 0xff, PS),                          /* shufps */
    D(0, 1, 0xae, 2, NO, 4, 0, LDMX),                   /* ldmxcsr */
    D(0, 1, 0xae, 3, NO, 4, 0, 0),                      /* stmxcsr */
};

/* SSE2: PD/SD equivalents, conversions */
static const SseOp sse2fp_ops[] = {
    O(0x66, 1, 0x10, XR, XR, 16, 0, PD),                /* movupd */
    O(0x66, 1, 0x11, XR, XR, 16, 0, 0),                 /* movupd store */
    VS(0xf2, 1, 0x10, 8, PD),                           /* movsd */
    VS(0xf2, 1, 0x11, 8, 0),                            /* movsd store */
    O(0x66, 1, 0x12, XR, NO, 8, 0, PD),                 /* movlpd xmm, m64 */
    O(0x66, 1, 0x13, XR, NO, 8, 0, 0),                  /* movlpd m64, xmm */
    VW(0x66, 1, 0x14, PD),                              /* unpcklpd */
    VW(0x66, 1, 0x15, PD),                              /* unpckhpd */
    O(0x66, 1, 0x16, XR, NO, 8, 0, PD),                 /* movhpd xmm, m64 */
    O(0x66, 1, 0x17, XR, NO, 8, 0, 0),                  /* movhpd m64, xmm */
    VW(0x66, 1, 0x28, PD),                              /* movapd */
    VW(0x66, 1, 0x29, 0),                               /* movapd store */
    O(0xf2, 1, 0x2a, XR, GR, 4, 0, W64),                /* cvtsi2sd */
    O(0x66, 1, 0x2b, XR, NO, 16, 0, A16),               /* movntpd */
    O(0xf2, 1, 0x2c, GW, XR, 8, 0, W64 | PD),           /* cvttsd2si */
    O(0xf2, 1, 0x2d, GW, XR, 8, 0, W64 | PD),           /* cvtsd2si */
    VS(0x66, 1, 0x2e, 8, PD | DEFS),                    /* ucomisd */
    VS(0x66, 1, 0x2f, 8, PD | DEFS),                    /* comisd */
    O(0x66, 1, 0x50, GW, XR, 0, 0, 0),                  /* movmskpd */
    VW(0x66, 1, 0x51, PD),                              /* sqrtpd */
    VS(0xf2, 1, 0x51, 8, PD),                           /* sqrtsd */
    VW(0x66, 1, 0x54, PD),                              /* andpd */
    VW(0x66, 1, 0x55, PD),                              /* andnpd */
    VW(0x66, 1, 0x56, PD),                              /* orpd */
    VW(0x66, 1, 0x57, PD),                              /* xorpd */
    VW(0x66, 1, 0x58, PD),                              /* addpd */
    VW(0x66, 1, 0x59, PD),                              /* mulpd */
    VW(0x66, 1, 0x5c, PD),                              /* subpd */
    VW(0x66, 1, 0x5d, PD),                              /* minpd */
    VW(0x66, 1, 0x5e, PD),                              /* divpd */
    VW(0x66, 1, 0x5f, PD),                              /* maxpd */
    VS(0xf2, 1, 0x58, 8, PD),                           /* addsd */
    VS(0xf2, 1, 0x59, 8, PD),                           /* mulsd */
    VS(0xf2, 1, 0x5c, 8, PD),                           /* subsd */
    VS(0xf2, 1, 0x5d, 8, PD),                           /* minsd */
    VS(0xf2, 1, 0x5e, 8, PD),                           /* divsd */
    VS(0xf2, 1, 0x5f, 8, PD),                           /* maxsd */
    VS(0, 1, 0x5a, 8, PS),                              /* cvtps2pd */
    VW(0x66, 1, 0x5a, PD),                              /* cvtpd2ps */
    VS(0xf3, 1, 0x5a, 4, PS),                           /* cvtss2sd */
    VS(0xf2, 1, 0x5a, 8, PD),                           /* cvtsd2ss */
    VW(0, 1, 0x5b, 0),                                  /* cvtdq2ps */
    VW(0x66, 1, 0x5b, PS),                              /* cvtps2dq */
    VW(0xf3, 1, 0x5b, PS),                              /* cvttps2dq */
    VW(0x66, 1, 0xe6, PD),                              /* cvttpd2dq */
    VW(0xf2, 1, 0xe6, PD),                              /* cvtpd2dq */
    VS(0xf3, 1, 0xe6, 8, 0),                            /* cvtdq2pd */
    VWI(0x66, 1, 0xc2, 0x07, PD),                       /* cmppd, predicates 0-7 */
    O(0xf2, 1, 0xc2, XR, XR, 8, 0x07, PD),              /* cmpsd */
    VWI(0x66, 1, 0xc6, 0x03, PD),                       /* shufpd */
};

/* SSE2: integer SIMD on XMM */
static const SseOp sse2int_ops[] = {
    VW(0x66, 1, 0x60, 0), VW(0x66, 1, 0x61, 0), VW(0x66, 1, 0x62, 0),      /* punpckl bw wd dq */
    VW(0x66, 1, 0x63, 0),                               /* packsswb */
    VW(0x66, 1, 0x64, 0), VW(0x66, 1, 0x65, 0), VW(0x66, 1, 0x66, 0),      /* pcmpgt b w d */
    VW(0x66, 1, 0x67, 0),                               /* packuswb */
    VW(0x66, 1, 0x68, 0), VW(0x66, 1, 0x69, 0), VW(0x66, 1, 0x6a, 0),      /* punpckh bw wd dq */
    VW(0x66, 1, 0x6b, 0),                               /* packssdw */
    VW(0x66, 1, 0x6c, 0), VW(0x66, 1, 0x6d, 0),         /* punpckl/hqdq */
    O(0x66, 1, 0x6e, XR, GR, 4, 0, W64),                /* movd/movq xmm, r/m */
    VW(0x66, 1, 0x6f, 0),                               /* movdqa */
    O(0xf3, 1, 0x6f, XR, XR, 16, 0, 0),                 /* movdqu */
    VWI(0x66, 1, 0x70, 0xff, 0),                        /* pshufd */
    VWI(0xf3, 1, 0x70, 0xff, 0),                        /* pshufhw */
    VWI(0xf2, 1, 0x70, 0xff, 0),                        /* pshuflw */
    D(0x66, 1, 0x71, 2, XR, 0, 0xff, 0),                /* psrlw imm */
    D(0x66, 1, 0x71, 4, XR, 0, 0xff, 0),                /* psraw imm */
    D(0x66, 1, 0x71, 6, XR, 0, 0xff, 0),                /* psllw imm */
    D(0x66, 1, 0x72, 2, XR, 0, 0xff, 0),                /* psrld imm */
    D(0x66, 1, 0x72, 4, XR, 0, 0xff, 0),                /* psrad imm */
    D(0x66, 1, 0x72, 6, XR, 0, 0xff, 0),                /* pslld imm */
    D(0x66, 1, 0x73, 2, XR, 0, 0xff, 0),                /* psrlq imm */
    D(0x66, 1, 0x73, 3, XR, 0, 0xff, 0),                /* psrldq */
    D(0x66, 1, 0x73, 6, XR, 0, 0xff, 0),                /* psllq imm */
    D(0x66, 1, 0x73, 7, XR, 0, 0xff, 0),                /* pslldq */
    VW(0x66, 1, 0x74, 0), VW(0x66, 1, 0x75, 0), VW(0x66, 1, 0x76, 0),      /* pcmpeq b w d */
    O(0x66, 1, 0x7e, XR, GW, 4, 0, W64),                /* movd/movq r/m, xmm */
    VS(0xf3, 1, 0x7e, 8, 0),                            /* movq xmm, xmm/m64 */
    VW(0x66, 1, 0x7f, 0),                               /* movdqa store */
    O(0xf3, 1, 0x7f, XR, XR, 16, 0, 0),                 /* movdqu store */
    O(0x66, 1, 0xc4, XR, GR, 2, 0xff, 0),               /* pinsrw */
    O(0x66, 1, 0xc5, GW, XR, 0, 0xff, 0),               /* pextrw */
    VW(0x66, 1, 0xd1, CNT), VW(0x66, 1, 0xd2, CNT), VW(0x66, 1, 0xd3, CNT), /* psrl w d q */
    VW(0x66, 1, 0xd4, 0),                               /* paddq */
    VW(0x66, 1, 0xd5, 0),                               /* pmullw */
    VS(0x66, 1, 0xd6, 8, 0),                            /* movq xmm/m64, xmm */
    O(0x66, 1, 0xd7, GW, XR, 0, 0, 0),                  /* pmovmskb */
    VW(0x66, 1, 0xd8, 0), VW(0x66, 1, 0xd9, 0),         /* psubus b w */
    VW(0x66, 1, 0xda, 0),                               /* pminub */
    VW(0x66, 1, 0xdb, 0),                               /* pand */
    VW(0x66, 1, 0xdc, 0), VW(0x66, 1, 0xdd, 0),         /* paddus b w */
    VW(0x66, 1, 0xde, 0),                               /* pmaxub */
    VW(0x66, 1, 0xdf, 0),                               /* pandn */
    VW(0x66, 1, 0xe0, 0),                               /* pavgb */
    VW(0x66, 1, 0xe1, CNT), VW(0x66, 1, 0xe2, CNT),     /* psra w d */
    VW(0x66, 1, 0xe3, 0),                               /* pavgw */
    VW(0x66, 1, 0xe4, 0), VW(0x66, 1, 0xe5, 0),         /* pmulhuw pmulhw */
    O(0x66, 1, 0xe7, XR, NO, 16, 0, A16),               /* movntdq */
    VW(0x66, 1, 0xe8, 0), VW(0x66, 1, 0xe9, 0),         /* psubs b w */
    VW(0x66, 1, 0xea, 0),                               /* pminsw */
    VW(0x66, 1, 0xeb, 0),                               /* por */
    VW(0x66, 1, 0xec, 0), VW(0x66, 1, 0xed, 0),         /* padds b w */
    VW(0x66, 1, 0xee, 0),                               /* pmaxsw */
    VW(0x66, 1, 0xef, 0),                               /* pxor */
    VW(0x66, 1, 0xf1, CNT), VW(0x66, 1, 0xf2, CNT), VW(0x66, 1, 0xf3, CNT), /* psll w d q */
    VW(0x66, 1, 0xf4, 0),                               /* pmuludq */
    VW(0x66, 1, 0xf5, 0),                               /* pmaddwd */
    VW(0x66, 1, 0xf6, 0),                               /* psadbw */
    O(0x66, 1, 0xf7, XR, XR, 0, 0, MASKM),              /* maskmovdqu */
    VW(0x66, 1, 0xf8, 0), VW(0x66, 1, 0xf9, 0), VW(0x66, 1, 0xfa, 0), VW(0x66, 1, 0xfb, 0),
    VW(0x66, 1, 0xfc, 0), VW(0x66, 1, 0xfd, 0), VW(0x66, 1, 0xfe, 0),      /* psub/padd */
};

/* SSE3 (FISTTP is in x87-ldst) */
static const SseOp sse3_ops[] = {
    VW(0xf2, 1, 0xd0, PS),                              /* addsubps */
    VW(0x66, 1, 0xd0, PD),                              /* addsubpd */
    VW(0xf2, 1, 0x7c, PS),                              /* haddps */
    VW(0x66, 1, 0x7c, PD),                              /* haddpd */
    VW(0xf2, 1, 0x7d, PS),                              /* hsubps */
    VW(0x66, 1, 0x7d, PD),                              /* hsubpd */
    VW(0xf3, 1, 0x16, PS),                              /* movshdup */
    VW(0xf3, 1, 0x12, PS),                              /* movsldup */
    VS(0xf2, 1, 0x12, 8, PD),                           /* movddup */
    O(0xf2, 1, 0xf0, XR, NO, 16, 0, 0),                 /* lddqu (unaligned) */
};

/* SSSE3, XMM forms (the MMX forms are in mmx) */
static const SseOp ssse3_ops[] = {
    VW(0x66, 2, 0x00, 0),                               /* pshufb */
    VW(0x66, 2, 0x01, 0), VW(0x66, 2, 0x02, 0), VW(0x66, 2, 0x03, 0),      /* phadd w d sw */
    VW(0x66, 2, 0x04, 0),                               /* pmaddubsw */
    VW(0x66, 2, 0x05, 0), VW(0x66, 2, 0x06, 0), VW(0x66, 2, 0x07, 0),      /* phsub w d sw */
    VW(0x66, 2, 0x08, 0), VW(0x66, 2, 0x09, 0), VW(0x66, 2, 0x0a, 0),      /* psign b w d */
    VW(0x66, 2, 0x0b, 0),                               /* pmulhrsw */
    VW(0x66, 2, 0x1c, 0), VW(0x66, 2, 0x1d, 0), VW(0x66, 2, 0x1e, 0),      /* pabs b w d */
    VWI(0x66, 3, 0x0f, 0xff, 0),                        /* palignr */
};

/* SSE4.1 */
static const SseOp sse41_ops[] = {
    VW(0x66, 2, 0x10, 0),                               /* pblendvb (XMM0) */
    VW(0x66, 2, 0x14, PS),                              /* blendvps */
    VW(0x66, 2, 0x15, PD),                              /* blendvpd */
    VW(0x66, 2, 0x17, DEFS),                            /* ptest */
    VS(0x66, 2, 0x20, 8, 0), VS(0x66, 2, 0x21, 4, 0), VS(0x66, 2, 0x22, 2, 0),  /* pmovsx bw bd bq */
    VS(0x66, 2, 0x23, 8, 0), VS(0x66, 2, 0x24, 4, 0), VS(0x66, 2, 0x25, 8, 0),  /* pmovsx wd wq dq */
    VW(0x66, 2, 0x28, 0),                               /* pmuldq */
    VW(0x66, 2, 0x29, 0),                               /* pcmpeqq */
    O(0x66, 2, 0x2a, XR, NO, 16, 0, A16),               /* movntdqa */
    VW(0x66, 2, 0x2b, 0),                               /* packusdw */
    VS(0x66, 2, 0x30, 8, 0), VS(0x66, 2, 0x31, 4, 0), VS(0x66, 2, 0x32, 2, 0),  /* pmovzx bw bd bq */
    VS(0x66, 2, 0x33, 8, 0), VS(0x66, 2, 0x34, 4, 0), VS(0x66, 2, 0x35, 8, 0),  /* pmovzx wd wq dq */
    VW(0x66, 2, 0x38, 0), VW(0x66, 2, 0x39, 0), VW(0x66, 2, 0x3a, 0), VW(0x66, 2, 0x3b, 0),
    VW(0x66, 2, 0x3c, 0), VW(0x66, 2, 0x3d, 0), VW(0x66, 2, 0x3e, 0), VW(0x66, 2, 0x3f, 0),
                                                        /* pmin/pmax sb sd uw ud */
    VW(0x66, 2, 0x40, 0),                               /* pmulld */
    VW(0x66, 2, 0x41, 0),                               /* phminposuw */
    VWI(0x66, 3, 0x08, 0x0f, PS),                       /* roundps */
    VWI(0x66, 3, 0x09, 0x0f, PD),                       /* roundpd */
    O(0x66, 3, 0x0a, XR, XR, 4, 0x0f, PS),              /* roundss */
    O(0x66, 3, 0x0b, XR, XR, 8, 0x0f, PD),              /* roundsd */
    VWI(0x66, 3, 0x0c, 0x0f, PS),                       /* blendps */
    VWI(0x66, 3, 0x0d, 0x03, PD),                       /* blendpd */
    VWI(0x66, 3, 0x0e, 0xff, 0),                        /* pblendw */
    O(0x66, 3, 0x14, XR, GW, 1, 0xff, 0),               /* pextrb */
    O(0x66, 3, 0x15, XR, GW, 2, 0xff, 0),               /* pextrw r/m16 */
    O(0x66, 3, 0x16, XR, GW, 4, 0xff, W64),             /* pextrd/q */
    O(0x66, 3, 0x17, XR, GW, 4, 0xff, 0),               /* extractps */
    O(0x66, 3, 0x20, XR, GR, 1, 0xff, 0),               /* pinsrb */
    O(0x66, 3, 0x21, XR, XR, 4, 0xff, PS),              /* insertps */
    O(0x66, 3, 0x22, XR, GR, 4, 0xff, W64),             /* pinsrd/q */
    VWI(0x66, 3, 0x40, 0xff, PS | NANORD),              /* dpps */
    VWI(0x66, 3, 0x41, 0x33, PD | NANORD),              /* dppd (bits 2-3, 6-7 reserved) */
    VWI(0x66, 3, 0x42, 0x07, 0),                        /* mpsadbw */
};

/* SSE4.2: PCMPGTQ, the string compares (every mode: imm8 bits 0-6), CRC32 */
static const SseOp sse42_ops[] = {
    VW(0x66, 2, 0x37, 0),                               /* pcmpgtq */
    O(0x66, 3, 0x60, XR, XR, 16, 0x7f, DEFS | ESTR | W64),      /* pcmpestrm (unaligned ok) */
    O(0x66, 3, 0x61, XR, XR, 16, 0x7f, DEFS | ESTR | W64),      /* pcmpestri */
    O(0x66, 3, 0x62, XR, XR, 16, 0x7f, DEFS),           /* pcmpistrm */
    O(0x66, 3, 0x63, XR, XR, 16, 0x7f, DEFS),           /* pcmpistri */
    O(0xf2, 2, 0xf0, GW, GR, 1, 0, CRC),                /* crc32 */
};

static const SseOp aes_ops[] = {
    VW(0x66, 2, 0xdb, 0),                               /* aesimc */
    VW(0x66, 2, 0xdc, 0), VW(0x66, 2, 0xdd, 0),         /* aesenc aesenclast */
    VW(0x66, 2, 0xde, 0), VW(0x66, 2, 0xdf, 0),         /* aesdec aesdeclast */
    VWI(0x66, 3, 0xdf, 0xff, 0),                        /* aeskeygenassist */
};

static const SseOp pclmul_ops[] = {
    VWI(0x66, 3, 0x44, 0xff, 0),                        /* pclmulqdq */
};

/* MMX forms of integer SIMD (MMX, SSE, SSE2, SSSE3) and the MMX conversions */
static const SseOp mmx_ops[] = {
    O(0, 1, 0x60, MR, MR, 4, 0, 0), O(0, 1, 0x61, MR, MR, 4, 0, 0),
    O(0, 1, 0x62, MR, MR, 4, 0, 0),                     /* punpckl bw wd dq (m32) */
    PQ(1, 0x63, 0), PQ(1, 0x64, 0), PQ(1, 0x65, 0), PQ(1, 0x66, 0), PQ(1, 0x67, 0),
    PQ(1, 0x68, 0), PQ(1, 0x69, 0), PQ(1, 0x6a, 0), PQ(1, 0x6b, 0),
    O(0, 1, 0x6e, MR, GR, 4, 0, W64),                   /* movd/movq mm, r/m */
    PQ(1, 0x6f, 0),                                     /* movq mm, mm/m64 */
    O(0, 1, 0x70, MR, MR, 8, 0xff, 0),                  /* pshufw */
    D(0, 1, 0x71, 2, MR, 0, 0xff, 0), D(0, 1, 0x71, 4, MR, 0, 0xff, 0),
    D(0, 1, 0x71, 6, MR, 0, 0xff, 0), D(0, 1, 0x72, 2, MR, 0, 0xff, 0),
    D(0, 1, 0x72, 4, MR, 0, 0xff, 0), D(0, 1, 0x72, 6, MR, 0, 0xff, 0),
    D(0, 1, 0x73, 2, MR, 0, 0xff, 0), D(0, 1, 0x73, 6, MR, 0, 0xff, 0),     /* shifts by imm8 */
    PQ(1, 0x74, 0), PQ(1, 0x75, 0), PQ(1, 0x76, 0),     /* pcmpeq */
    O(0, 1, 0x77, NO, NO, 0, 0, NOMRM),                 /* emms */
    O(0, 1, 0x7e, MR, GW, 4, 0, W64),                   /* movd/movq r/m, mm */
    PQ(1, 0x7f, 0),                                     /* movq mm/m64, mm */
    O(0, 1, 0xc4, MR, GR, 2, 0xff, 0),                  /* pinsrw */
    O(0, 1, 0xc5, GW, MR, 0, 0xff, 0),                  /* pextrw */
    PQ(1, 0xd1, CNT), PQ(1, 0xd2, CNT), PQ(1, 0xd3, CNT),
    PQ(1, 0xd4, 0), PQ(1, 0xd5, 0),
    O(0, 1, 0xd7, GW, MR, 0, 0, 0),                     /* pmovmskb */
    PQ(1, 0xd8, 0), PQ(1, 0xd9, 0), PQ(1, 0xda, 0), PQ(1, 0xdb, 0),
    PQ(1, 0xdc, 0), PQ(1, 0xdd, 0), PQ(1, 0xde, 0), PQ(1, 0xdf, 0),
    PQ(1, 0xe0, 0), PQ(1, 0xe1, CNT), PQ(1, 0xe2, CNT), PQ(1, 0xe3, 0),
    PQ(1, 0xe4, 0), PQ(1, 0xe5, 0),
    O(0, 1, 0xe7, MR, NO, 8, 0, 0),                     /* movntq */
    PQ(1, 0xe8, 0), PQ(1, 0xe9, 0), PQ(1, 0xea, 0), PQ(1, 0xeb, 0),
    PQ(1, 0xec, 0), PQ(1, 0xed, 0), PQ(1, 0xee, 0), PQ(1, 0xef, 0),
    PQ(1, 0xf1, CNT), PQ(1, 0xf2, CNT), PQ(1, 0xf3, CNT),
    PQ(1, 0xf4, 0), PQ(1, 0xf5, 0), PQ(1, 0xf6, 0),
    O(0, 1, 0xf7, MR, MR, 0, 0, MASKM),                 /* maskmovq */
    PQ(1, 0xf8, 0), PQ(1, 0xf9, 0), PQ(1, 0xfa, 0), PQ(1, 0xfb, 0),
    PQ(1, 0xfc, 0), PQ(1, 0xfd, 0), PQ(1, 0xfe, 0),
    PQ(2, 0x00, 0), PQ(2, 0x01, 0), PQ(2, 0x02, 0), PQ(2, 0x03, 0),         /* SSSE3 */
    PQ(2, 0x04, 0), PQ(2, 0x05, 0), PQ(2, 0x06, 0), PQ(2, 0x07, 0),
    PQ(2, 0x08, 0), PQ(2, 0x09, 0), PQ(2, 0x0a, 0), PQ(2, 0x0b, 0),
    PQ(2, 0x1c, 0), PQ(2, 0x1d, 0), PQ(2, 0x1e, 0),
    O(0, 3, 0x0f, MR, MR, 8, 0xff, 0),                  /* palignr mm */
    O(0, 1, 0x2a, XR, MR, 8, 0, 0),                     /* cvtpi2ps */
    O(0, 1, 0x2c, MR, XR, 8, 0, PS),                    /* cvttps2pi */
    O(0, 1, 0x2d, MR, XR, 8, 0, PS),                    /* cvtps2pi */
    O(0x66, 1, 0x2a, XR, MR, 8, 0, 0),                  /* cvtpi2pd */
    O(0x66, 1, 0x2c, MR, XR, 16, 0, A16 | PD),          /* cvttpd2pi */
    O(0x66, 1, 0x2d, MR, XR, 16, 0, A16 | PD),          /* cvtpd2pi */
    O(0xf3, 1, 0xd6, XR, MR, 0, 0, 0),                  /* movq2dq */
    O(0xf2, 1, 0xd6, MR, XR, 0, 0, 0),                  /* movdq2q */
};

typedef struct SseSet {
    const SseOp *ops;
    unsigned n;
} SseSet;

#define SET(t) { t, sizeof(t) / sizeof(t[0]) }
static const SseSet sse_sets[SSE_SET_NB] = {
    [SSE_SET_SSE1] = SET(sse1_ops),     [SSE_SET_SSE2FP] = SET(sse2fp_ops),
    [SSE_SET_SSE2INT] = SET(sse2int_ops), [SSE_SET_SSE3] = SET(sse3_ops),
    [SSE_SET_SSSE3] = SET(ssse3_ops),   [SSE_SET_SSE41] = SET(sse41_ops),
    [SSE_SET_SSE42] = SET(sse42_ops),   [SSE_SET_AES] = SET(aes_ops),
    [SSE_SET_PCLMUL] = SET(pclmul_ops), [SSE_SET_MMX] = SET(mmx_ops),
};

static uint8_t pick_xmm(DiffGen *g)
{
    return (uint8_t)(diff_chance(g, 40) ? diff_rand(g, 4) : diff_rand(g, 16));
}

/* MM0-7; now and then with the REX bit the hardware ignores */
static uint8_t pick_mm(DiffGen *g)
{
    uint8_t r = (uint8_t)diff_rand(g, 8);

    return (uint8_t)(r | (diff_chance(g, 4) ? 8 : 0));
}

/*
 * Write n (2, 4 or 8) bytes to memory operand m with MOV m16/m32, imm:
 * for values that must hold when the instruction runs (a valid MXCSR or
 * control word, an operand in a function's domain) even if an earlier
 * store of the sequence hit the same bytes.
 */
static void store_imm(DiffGen *g, const DiffRM *m, const void *bytes, unsigned n)
{
    unsigned i, step = n == 2 ? 2 : 4;

    for (i = 0; i < n; i += step) {
        DiffInsn in;
        DiffRM part = *m;
        uint32_t v = 0;

        __builtin_memcpy(&v, (const uint8_t *)bytes + i, step);
        part.disp += i;
        part.addr += i;
        diff_insn(g, &in, step, 1, 0xc7);       /* mov m, imm16/32 */
        in.modrm = true;
        in.rm = part;
        in.immsz = (uint8_t)step;
        in.imm = v;
        diff_emit(g, &in);
    }
}

/* Patch a memory source with edge-case lanes. */
static void patch_fp(DiffGen *g, const DiffRM *m, unsigned size, uint16_t fl)
{
    uint8_t b[16];
    unsigned i;

    if (!diff_chance(g, 60)) {
        return;
    }
    for (i = 0; i + 4 <= size; i += (fl & PD) ? 8 : 4) {
        if (fl & PD) {
            uint64_t v = diff_f64(g);
            __builtin_memcpy(b + i, &v, 8);
        } else {
            uint32_t v = diff_f32(g);
            __builtin_memcpy(b + i, &v, 4);
        }
    }
    if (size >= 4) {
        diff_patch(g, m, b, size);
    }
}

/* CRC32 Gd/Gq, Eb/Ew/Ed/Eq: F2 0F 38 F0 (byte source) or F1 */
static void gen_crc32(DiffGen *g)
{
    DiffInsn in;
    unsigned ssz = diff_rand_size(g, true);
    bool w = ssz == 8 || diff_chance(g, 30);

    if (ssz == 1) {
        diff_insn(g, &in, w ? 8 : 4, 3, 0x0f, 0x38, 0xf0);
        in.legacy = !w && diff_chance(g, 40);       /* AH..BH */
    } else {
        diff_insn(g, &in, ssz, 3, 0x0f, 0x38, 0xf1);   /* 66 for Ew, REX.W for Eq */
        w = ssz == 8;
    }
    in.mand = 0xf2;
    in.modrm = true;
    in.rm = diff_pick_rm(g, &in, ssz, false, 40);
    /* the destination is 32 or 64 bits, whatever the source */
    do {
        in.reg = (uint8_t)diff_rand(g, in.legacy ? 8 : 16);
    } while (!diff_writable(g, &in, in.reg, w ? 8 : 4));
    diff_emit(g, &in);
}

static void gen_sse_op(DiffGen *g, const SseOp *o)
{
    DiffInsn in;
    bool w = (o->fl & W64) && diff_chance(g, 50);
    bool gpr_rm = o->rm == GR || o->rm == GW;
    unsigned gsz = w ? 8 : 4, msize = o->msize;
    bool mem;

    if (o->fl & CRC) {
        gen_crc32(g);
        return;
    }
    if (w && gpr_rm && msize == 4) {
        msize = 8;
    }
    if (o->fl & MASKM) {                        /* 16 (8) bytes at DS:rDI */
        diff_set_reg(g, RDI, DIFF_SCRATCH + diff_rand(g, DIFF_DATA_SIZE - 16));
    }
    if ((o->fl & ESTR) && diff_chance(g, 70)) { /* lengths: mostly within -20..20 */
        diff_set_reg(g, RAX, (uint64_t)((int64_t)diff_rand(g, 41) - 20));
        diff_set_reg(g, RDX, (uint64_t)((int64_t)diff_rand(g, 41) - 20));
    }
    if (o->map == 1) {
        diff_insn(g, &in, 4, 2, 0x0f, o->op);
    } else {
        diff_insn(g, &in, 4, 3, 0x0f, o->map == 2 ? 0x38 : 0x3a, o->op);
    }
    in.mand = o->pfx;
    /* REX.W: selects the GPR size where W64 says so, else ignored */
    if (w || (!(o->fl & W64) && diff_chance(g, 4))) {
        in.size = 8;
    }
    if (o->fl & NOMRM) {
        diff_emit(g, &in);
        return;
    }
    in.modrm = true;
    switch (o->reg) {
    case XR: in.reg = pick_xmm(g); break;
    case MR: in.reg = pick_mm(g); break;
    case GR: in.reg = (uint8_t)diff_pick_reg(g, &in, gsz, false); break;
    case GW: in.reg = (uint8_t)diff_pick_reg(g, &in, gsz, true); break;
    default: in.reg = o->digit; break;
    }
    mem = msize && (o->rm == NO || diff_chance(g, 40));
    if (mem) {
        in.rm = diff_pick_mem_align(g, &in, msize, (o->fl & A16) ? 16 : 1);
        if (o->fl & (PS | PD)) {
            patch_fp(g, &in.rm, msize, o->fl);
        } else if ((o->fl & CNT) && diff_chance(g, 70)) {
            uint64_t c = diff_rand(g, 70);
            diff_patch(g, &in.rm, &c, 8);
        } else if (o->fl & LDMX) {
            uint32_t v = diff_mxcsr(g);
            store_imm(g, &in.rm, &v, 4);
        }
    } else {
        switch (o->rm) {
        case XR: in.rm.reg = pick_xmm(g); break;
        case MR: in.rm.reg = pick_mm(g); break;
        case GR: in.rm.reg = (uint8_t)diff_pick_reg(g, &in, gsz, false); break;
        default: in.rm.reg = (uint8_t)diff_pick_reg(g, &in, gsz, true); break;
        }
    }
    if (o->imm) {
        in.immsz = 1;
        in.imm = diff_rand(g, 256) & o->imm;
    }
    diff_emit(g, &in);
    if ((o->fl & DEFS) && !g->full) {
        g->undef &= (uint16_t)~F_ALL;
    }
}

void diff_gen_sse(DiffGen *g, int set)
{
    const SseSet *t = &sse_sets[set];
    const SseOp *o;

    do {
        o = &t->ops[diff_rand(g, t->n)];
    } while (diff_sdm_only && (o->fl & NANORD));
    gen_sse_op(g, o);
}

/* ---- x87 ------------------------------------------------------------------- */

/* X87Op.kind */
enum { XM, XR7, XF };   /* memory (/digit), register form (byte + i), fixed two bytes */
/* X87Op.val: what a memory operand holds */
enum { V_NONE, V_F32, V_F64, V_F80, V_I16, V_I32, V_I64, V_BCD, V_CW };
/* X87Op.fl */
#define XCMOV   0x0001  /* FCMOVcc: needs the flags of its condition */
#define XCOMI   0x0002  /* FCOMI family: defines all six arithmetic flags */
#define XSTSW   0x0004  /* FNSTSW: C0-C3 must be defined first */
#define XF2XM1  0x0008  /* ST0 in [-1, 1] first */
#define XYL2XP1 0x0010  /* ST0 in (-(1 - sqrt(2)/2), 1 - sqrt(2)/2) first */

/* The FSW condition codes: what the SDM says each instruction does */
#define CC_U3   (FSW_C0 | FSW_C2 | FSW_C3), FSW_C1          /* C1 defined, others undefined */
#define CC_ALL  0, FSW_CC                                   /* all four defined */
#define CC_NONE FSW_CC, 0                                   /* all four undefined */
#define CC_C1   0, FSW_C1                                   /* C1 defined, others kept */
#define CC_TRIG (FSW_C0 | FSW_C3), (FSW_C1 | FSW_C2)        /* C1 C2 defined */

typedef struct X87Op {
    uint8_t op, b;              /* D8-DF; /digit, first register-form byte, or second byte */
    uint8_t kind;
    uint8_t msize;
    uint8_t val;
    uint16_t fl;
    uint16_t fsw_undef, fsw_defs;
} X87Op;

#define XMEM(op, digit, size, val, cc)  { op, digit, XM, size, val, 0, cc }
#define XREG(op, b, fl, cc)             { op, b, XR7, 0, V_NONE, fl, cc }
#define XFIX(op, b, fl, cc)             { op, b, XF, 0, V_NONE, fl, cc }

static const X87Op x87_arith_ops[] = {
    /* D8 m32fp, DC m64fp, DA m32int, DE m16int: add mul sub subr div divr */
    XMEM(0xd8, 0, 4, V_F32, CC_U3), XMEM(0xd8, 1, 4, V_F32, CC_U3),
    XMEM(0xd8, 4, 4, V_F32, CC_U3), XMEM(0xd8, 5, 4, V_F32, CC_U3),
    XMEM(0xd8, 6, 4, V_F32, CC_U3), XMEM(0xd8, 7, 4, V_F32, CC_U3),
    XMEM(0xdc, 0, 8, V_F64, CC_U3), XMEM(0xdc, 1, 8, V_F64, CC_U3),
    XMEM(0xdc, 4, 8, V_F64, CC_U3), XMEM(0xdc, 5, 8, V_F64, CC_U3),
    XMEM(0xdc, 6, 8, V_F64, CC_U3), XMEM(0xdc, 7, 8, V_F64, CC_U3),
    XMEM(0xda, 0, 4, V_I32, CC_U3), XMEM(0xda, 1, 4, V_I32, CC_U3),
    XMEM(0xda, 4, 4, V_I32, CC_U3), XMEM(0xda, 5, 4, V_I32, CC_U3),
    XMEM(0xda, 6, 4, V_I32, CC_U3), XMEM(0xda, 7, 4, V_I32, CC_U3),
    XMEM(0xde, 0, 2, V_I16, CC_U3), XMEM(0xde, 1, 2, V_I16, CC_U3),
    XMEM(0xde, 4, 2, V_I16, CC_U3), XMEM(0xde, 5, 2, V_I16, CC_U3),
    XMEM(0xde, 6, 2, V_I16, CC_U3), XMEM(0xde, 7, 2, V_I16, CC_U3),
    /* ST0 op ST(i); ST(i) op ST0; and pop */
    XREG(0xd8, 0xc0, 0, CC_U3), XREG(0xd8, 0xc8, 0, CC_U3), XREG(0xd8, 0xe0, 0, CC_U3),
    XREG(0xd8, 0xe8, 0, CC_U3), XREG(0xd8, 0xf0, 0, CC_U3), XREG(0xd8, 0xf8, 0, CC_U3),
    XREG(0xdc, 0xc0, 0, CC_U3), XREG(0xdc, 0xc8, 0, CC_U3), XREG(0xdc, 0xe0, 0, CC_U3),
    XREG(0xdc, 0xe8, 0, CC_U3), XREG(0xdc, 0xf0, 0, CC_U3), XREG(0xdc, 0xf8, 0, CC_U3),
    XREG(0xde, 0xc0, 0, CC_U3), XREG(0xde, 0xc8, 0, CC_U3), XREG(0xde, 0xe0, 0, CC_U3),
    XREG(0xde, 0xe8, 0, CC_U3), XREG(0xde, 0xf0, 0, CC_U3), XREG(0xde, 0xf8, 0, CC_U3),
    XFIX(0xd9, 0xfa, 0, CC_U3),                         /* fsqrt */
    XFIX(0xd9, 0xf8, 0, CC_ALL),                        /* fprem */
    XFIX(0xd9, 0xf5, 0, CC_ALL),                        /* fprem1 */
    XFIX(0xd9, 0xfd, 0, CC_U3),                         /* fscale */
    XFIX(0xd9, 0xfc, 0, CC_U3),                         /* frndint */
    XFIX(0xd9, 0xf4, 0, CC_U3),                         /* fxtract */
    XFIX(0xd9, 0xe1, 0, CC_U3),                         /* fabs */
    XFIX(0xd9, 0xe0, 0, CC_U3),                         /* fchs */
};

static const X87Op x87_cmp_ops[] = {
    XMEM(0xd8, 2, 4, V_F32, CC_ALL), XMEM(0xd8, 3, 4, V_F32, CC_ALL),      /* fcom(p) m32 */
    XMEM(0xdc, 2, 8, V_F64, CC_ALL), XMEM(0xdc, 3, 8, V_F64, CC_ALL),      /* fcom(p) m64 */
    XMEM(0xda, 2, 4, V_I32, CC_ALL), XMEM(0xda, 3, 4, V_I32, CC_ALL),      /* ficom(p) m32 */
    XMEM(0xde, 2, 2, V_I16, CC_ALL), XMEM(0xde, 3, 2, V_I16, CC_ALL),      /* ficom(p) m16 */
    XREG(0xd8, 0xd0, 0, CC_ALL), XREG(0xd8, 0xd8, 0, CC_ALL),              /* fcom(p) */
    XREG(0xdd, 0xe0, 0, CC_ALL), XREG(0xdd, 0xe8, 0, CC_ALL),              /* fucom(p) */
    XFIX(0xde, 0xd9, 0, CC_ALL),                        /* fcompp */
    XFIX(0xda, 0xe9, 0, CC_ALL),                        /* fucompp */
    XFIX(0xd9, 0xe4, 0, CC_ALL),                        /* ftst */
    XFIX(0xd9, 0xe5, 0, CC_ALL),                        /* fxam */
    XREG(0xdb, 0xf0, XCOMI, CC_C1),                     /* fcomi */
    XREG(0xdb, 0xe8, XCOMI, CC_C1),                     /* fucomi */
    XREG(0xdf, 0xf0, XCOMI, CC_C1),                     /* fcomip */
    XREG(0xdf, 0xe8, XCOMI, CC_C1),                     /* fucomip */
};

static const X87Op x87_ldst_ops[] = {
    XMEM(0xd9, 0, 4, V_F32, CC_U3), XMEM(0xdd, 0, 8, V_F64, CC_U3),        /* fld m32 m64 */
    XMEM(0xdb, 5, 10, V_F80, CC_U3),                                        /* fld m80 */
    XMEM(0xd9, 2, 4, V_NONE, CC_U3), XMEM(0xd9, 3, 4, V_NONE, CC_U3),      /* fst(p) m32 */
    XMEM(0xdd, 2, 8, V_NONE, CC_U3), XMEM(0xdd, 3, 8, V_NONE, CC_U3),      /* fst(p) m64 */
    XMEM(0xdb, 7, 10, V_NONE, CC_U3),                                       /* fstp m80 */
    XMEM(0xdf, 0, 2, V_I16, CC_U3), XMEM(0xdb, 0, 4, V_I32, CC_U3),        /* fild */
    XMEM(0xdf, 5, 8, V_I64, CC_U3),
    XMEM(0xdf, 2, 2, V_NONE, CC_U3), XMEM(0xdf, 3, 2, V_NONE, CC_U3),      /* fist(p) m16 */
    XMEM(0xdb, 2, 4, V_NONE, CC_U3), XMEM(0xdb, 3, 4, V_NONE, CC_U3),      /* fist(p) m32 */
    XMEM(0xdf, 7, 8, V_NONE, CC_U3),                                        /* fistp m64 */
    XMEM(0xdf, 1, 2, V_NONE, CC_U3), XMEM(0xdb, 1, 4, V_NONE, CC_U3),      /* fisttp (SSE3) */
    XMEM(0xdd, 1, 8, V_NONE, CC_U3),
    XMEM(0xdf, 4, 10, V_BCD, CC_U3), XMEM(0xdf, 6, 10, V_NONE, CC_U3),     /* fbld fbstp */
    XFIX(0xd9, 0xe8, 0, CC_U3), XFIX(0xd9, 0xe9, 0, CC_U3), XFIX(0xd9, 0xea, 0, CC_U3),
    XFIX(0xd9, 0xeb, 0, CC_U3), XFIX(0xd9, 0xec, 0, CC_U3), XFIX(0xd9, 0xed, 0, CC_U3),
    XFIX(0xd9, 0xee, 0, CC_U3),         /* fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz */
    XREG(0xd9, 0xc0, 0, CC_U3),                         /* fld ST(i) */
    XREG(0xdd, 0xd0, 0, CC_U3), XREG(0xdd, 0xd8, 0, CC_U3),                /* fst(p) ST(i) */
    XREG(0xd9, 0xc8, 0, CC_U3),                         /* fxch */
    XREG(0xda, 0xc0, XCMOV, CC_U3), XREG(0xda, 0xc8, XCMOV, CC_U3),
    XREG(0xda, 0xd0, XCMOV, CC_U3), XREG(0xda, 0xd8, XCMOV, CC_U3),
    XREG(0xdb, 0xc0, XCMOV, CC_U3), XREG(0xdb, 0xc8, XCMOV, CC_U3),
    XREG(0xdb, 0xd0, XCMOV, CC_U3), XREG(0xdb, 0xd8, XCMOV, CC_U3),
                                        /* fcmov b e be u nb ne nbe nu */
    XREG(0xdd, 0xc0, 0, CC_C1),         /* ffree: SDM C0-C3 undefined; the host clears
                                           C1 and keeps C0 C2 C3, and so does tern */
    XFIX(0xd9, 0xf7, 0, CC_U3), XFIX(0xd9, 0xf6, 0, CC_U3),                /* fincstp fdecstp */
    XFIX(0xdf, 0xe0, XSTSW, CC_NONE),                   /* fnstsw ax */
    { 0xdd, 7, XM, 2, V_NONE, XSTSW, CC_NONE },         /* fnstsw m16 */
    XMEM(0xd9, 7, 2, V_NONE, CC_NONE),                  /* fnstcw */
    XMEM(0xd9, 5, 2, V_CW, CC_NONE),                    /* fldcw */
    XFIX(0xdb, 0xe2, 0, CC_NONE),                       /* fnclex */
    XFIX(0xd9, 0xd0, 0, CC_NONE),                       /* fnop */
};

static const X87Op x87_trans_ops[] = {
    XFIX(0xd9, 0xfe, 0, CC_TRIG),                       /* fsin */
    XFIX(0xd9, 0xff, 0, CC_TRIG),                       /* fcos */
    XFIX(0xd9, 0xfb, 0, CC_TRIG),                       /* fsincos */
    XFIX(0xd9, 0xf2, 0, CC_TRIG),                       /* fptan */
    XFIX(0xd9, 0xf3, 0, CC_U3),                         /* fpatan */
    XFIX(0xd9, 0xf0, XF2XM1, CC_U3),                    /* f2xm1 */
    XFIX(0xd9, 0xf1, 0, CC_U3),                         /* fyl2x */
    XFIX(0xd9, 0xf9, XYL2XP1, CC_U3),                   /* fyl2xp1 */
};

typedef struct X87Set {
    const X87Op *ops;
    unsigned n;
} X87Set;

static const X87Set x87_sets[X87_NB] = {
    [X87_ARITH] = SET(x87_arith_ops), [X87_CMP] = SET(x87_cmp_ops),
    [X87_LDST] = SET(x87_ldst_ops),   [X87_TRANS] = SET(x87_trans_ops),
};

/* A packed BCD operand: 18 valid digits and the sign */
static void x87_bcd(DiffGen *g, uint8_t b[10])
{
    unsigned i, ndig = diff_chance(g, 30) ? 18 : (unsigned)diff_rand(g, 19);

    __builtin_memset(b, 0, 10);
    for (i = 0; i < ndig; i++) {
        unsigned d = (unsigned)diff_rand(g, 10);
        if (diff_chance(g, 20)) {
            d = 9;
        }
        b[i / 2] |= (uint8_t)(d << (4 * (i & 1)));
    }
    b[9] = diff_chance(g, 50) ? 0x80 : 0;
}

/* The initial value of a memory operand */
static void x87_patch(DiffGen *g, const DiffRM *m, unsigned val)
{
    uint8_t b[10];
    uint64_t v;
    uint16_t cw;

    switch (val) {
    case V_F32: v = diff_f32(g); diff_patch(g, m, &v, 4); break;
    case V_F64: v = diff_f64(g); diff_patch(g, m, &v, 8); break;
    case V_F80: diff_f80(g, b); diff_patch(g, m, b, 10); break;
    case V_I16: v = diff_value(g); diff_patch(g, m, &v, 2); break;
    case V_I32: v = diff_value(g); diff_patch(g, m, &v, 4); break;
    case V_I64: v = diff_value(g); diff_patch(g, m, &v, 8); break;
    case V_BCD: x87_bcd(g, b); diff_patch(g, m, b, 10); break;
    case V_CW:
        cw = diff_fcw(g);
        if (diff_chance(g, 10)) {
            /* reserved bits: 6 reads as 1, 7 and 13-15 as 0, 12 is kept */
            static const uint16_t rsvd[6] = { 0x40, 0x80, 0x1000, 0x2000, 0x4000, 0x8000 };
            cw ^= rsvd[diff_rand(g, 6)];
        }
        store_imm(g, m, &cw, 2);
        break;
    default:
        break;
    }
}

static void x87_fixed(DiffGen *g, unsigned b0, unsigned b1)
{
    DiffInsn in;

    diff_insn(g, &in, 4, 2, b0, b1);
    diff_emit(g, &in);
}

/* FLD m64 of a value in the domain of F2XM1 ([-1, 1]) or FYL2XP1 (|x| < 0.29) */
static void x87_load_domain(DiffGen *g, bool yl2xp1)
{
    DiffInsn in;
    uint64_t sign = diff_chance(g, 50) ? 1ull << 63 : 0;
    uint64_t m = diff_rng_next(&g->rng) & 0xfffffffffffffull, v;
    unsigned top = yl2xp1 ? 1020 : 1022;        /* largest exponent allowed */

    switch (diff_rand(g, 8)) {
    case 0:  v = sign; break;                                   /* zero */
    case 1:  v = sign | (m ? m : 1); break;                     /* denormal */
    case 2:  v = sign | (yl2xp1 ? 0x3fd0000000000000ull : 0x3ff0000000000000ull); break;
    case 3:  v = sign | (uint64_t)(top - diff_rand(g, 1000)) << 52 | m; break;
    default: v = sign | (uint64_t)(top - diff_rand(g, 30)) << 52 | m; break;
    }
    x87_fixed(g, 0xdd, 0xc7);                   /* ffree st(7): room for the load */
    diff_insn(g, &in, 4, 1, 0xdd);
    in.modrm = true;
    in.reg = 0;
    in.rm = diff_pick_mem(g, &in, 8);
    store_imm(g, &in.rm, &v, 8);
    diff_emit(g, &in);
}

void diff_gen_x87(DiffGen *g, int set)
{
    const X87Set *t = &x87_sets[set];
    const X87Op *o = &t->ops[diff_rand(g, t->n)];
    unsigned i = (unsigned)diff_rand(g, 8);
    DiffInsn in;

    if (o->fl & XCMOV) {
        static const uint16_t cc[4] = { DF_CF, DF_ZF, DF_CF | DF_ZF, DF_PF };
        diff_need_flags(g, cc[(o->b >> 3) & 3]);
    }
    if (o->fl & XSTSW) {
        diff_need_fsw(g);
    }
    if (o->fl & (XF2XM1 | XYL2XP1)) {
        x87_load_domain(g, o->fl & XYL2XP1);
    }
    switch (o->kind) {
    case XM:
        diff_insn(g, &in, 4, 1, o->op);
        in.modrm = true;
        in.reg = o->b;
        in.rm = diff_pick_mem(g, &in, o->msize);
        if (o->val == V_CW || diff_chance(g, 70)) {
            x87_patch(g, &in.rm, o->val);
        }
        break;
    case XR7:
        diff_insn(g, &in, 4, 2, o->op, o->b + i);
        break;
    default:
        diff_insn(g, &in, 4, 2, o->op, o->b);
        break;
    }
    diff_emit(g, &in);
    diff_fsw(g, o->fsw_undef, o->fsw_defs);
    if ((o->fl & XCOMI) && !g->full) {
        g->undef &= (uint16_t)~F_ALL;
    }
}
