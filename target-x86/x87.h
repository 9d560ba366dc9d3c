/*
 * x87.h: what translate-x87.c and fpu_helper.c agree on: the argument
 * encodings of the x87 helpers (helper.def) and the FPU reset.
 */
#ifndef TARGET_X86_X87_H
#define TARGET_X86_X87_H

#include "target-x86/cpu.h"

/* helper_fpu_prologue mode */
#define X87_PRO_WAIT  1      /* a waiting instruction: deliver a pending #MF */
#define X87_PRO_FWAIT 2      /* FWAIT: #NM only when CR0.MP and CR0.TS */

/* helper_fload / helper_fstore formats (fload: F32 to I64) */
enum { X87_FMT_F32, X87_FMT_F64, X87_FMT_I16, X87_FMT_I32, X87_FMT_I64,
       X87_FMT_F80, X87_FMT_BCD };
#define X87_FMT_MASK  7
#define X87_LD_FT0    8      /* fload: into FT0 for the next operation, not pushed */
#define X87_ST_TRUNC  8      /* fstore: truncate (FISTTP) */
#define X87_ST_POP    16     /* fstore: pop ST(0) after a completed store */

/* helper_farith / helper_fcom / helper_fcomi argument: the operation (bits
 * 0-2: the ModRM.reg of D8: add mul com comp sub subr div divr), the
 * register n (bits 4-6) and where the operands are */
#define X87_AR_FT0     0x100 /* ST(0) op FT0 (a memory operand) */
#define X87_AR_TO_STI  0x200 /* ST(n) = ST(n) op ST(0) (DC, DE) */
#define X87_CMP_QUIET  0x400 /* fcom/fcomi: FUCOM's quiet compare */
/* farith, fcom, fcomi, fst_sti: pop once (twice: FCOMPP, FUCOMPP) unless an
 * unmasked IE, DE or ZE stopped the instruction (as the host CPU does) */
#define X87_AR_POP     0x800
#define X87_AR_POP2    0x1000

/* FNINIT state (also the reset state). */
void x86_fpu_reset(CPUX86State *env);
/* fp_status (rounding, precision, OM/UM) from fpuc: after every fpuc write. */
void x86_fpu_sync_control(CPUX86State *env);
/* The control word as FLDCW, FLDENV, FRSTOR, FXRSTOR and XRSTOR write it:
 * the bits of FPUC_WRITABLE, bit 6 reads as 1, bits 7 and 13-15 as 0 (as
 * the host CPU does); then fp_status, and ES and B from the exceptions it
 * leaves pending and unmasked (load fpus first). */
#define FPUC_WRITABLE 0x1f3f
void x86_fpu_load_control(CPUX86State *env, uint16_t cw);

#endif
