/*
 * helper.h: expands helper.def into the helpers' C prototypes, their
 * TCGHelperInfo descriptors and the typed gen_helper_<name>() emitters.
 *
 * Included by the helper files (prototypes only) and by translate (all).
 * Exactly one translation unit defines HELPER_DEFINE_INFO before including
 * it, which instantiates the descriptors (translate.c).
 *
 * A gen_helper takes the return temp first (if any), then one temp per
 * argument: tcg_env for env, TCGv_i32 / TCGv_i64 for i32 / i64.
 */
#ifndef TARGET_X86_HELPER_H
#define TARGET_X86_HELPER_H

#include "target-x86/cpu.h"
#include "tcg/tcg.h"

/* helper_rotc mode bits (above the MemOp size) */
#define X86_ROTC_RIGHT 4
#define X86_ROTC_FLAGS 8

/* helper_rep_movs_stos desc: size (MemOp) | address size << 2 | source
 * segment << 4 (7: no base to add) | flags */
#define X86_REP_ASIZE_SHIFT 2
#define X86_REP_SEG_SHIFT   4
#define X86_REP_SEG_NONE    7
#define X86_REP_STOS        (1u << 7)   /* stos (else movs) */
#define X86_REP_ES_BASE     (1u << 8)   /* add ES's base to the destination */
#define X86_REP_ADDR32      (1u << 9)   /* linear addresses wrap at 4 GiB (not 64-bit mode) */
#define X86_REP_MMU_SHIFT   12

/* helper_io_breakpoint desc: access size in bytes | insn length << 4 |
 * rep (ins/outs with a REP prefix) | address size (MemOp) << 9 */
#define X86_IOBPT_SIZE_MASK   15u
#define X86_IOBPT_LEN_SHIFT   4
#define X86_IOBPT_REP         (1u << 8)
#define X86_IOBPT_ASIZE_SHIFT 9

/* helper_seg_check desc: segment | write | access size in bytes << 4 (0:
 * the type check alone) */
#define X86_SEGCHK_SEG_MASK   7u
#define X86_SEGCHK_WRITE      8u
#define X86_SEGCHK_SIZE_SHIFT 4

#define dh_ctype_void void
#define dh_ctype_env  CPUX86State *
#define dh_ctype_i32  uint32_t
#define dh_ctype_i64  uint64_t
#define dh_ctype(t)   dh_ctype_##t

#define dh_tcg_env    TCGv_ptr
#define dh_tcg_i32    TCGv_i32
#define dh_tcg_i64    TCGv_i64
#define dh_tcg(t)     dh_tcg_##t

#define dh_temp_env(v) tcgv_ptr_temp(v)
#define dh_temp_i32(v) tcgv_i32_temp(v)
#define dh_temp_i64(v) tcgv_i64_temp(v)
#define dh_temp(t, v)  dh_temp_##t(v)

#define dh_hasret_void false
#define dh_hasret_i32  true
#define dh_hasret_i64  true
#define dh_rettype_void TCG_TYPE_I64
#define dh_rettype_i32  TCG_TYPE_I32
#define dh_rettype_i64  TCG_TYPE_I64

/* the return temp as a leading parameter: with args (",") or alone */
#define dh_retdecl_void
#define dh_retdecl_i32  TCGv_i32 ret_,
#define dh_retdecl_i64  TCGv_i64 ret_,
#define dh_retdecl0_void void
#define dh_retdecl0_i32  TCGv_i32 ret_
#define dh_retdecl0_i64  TCGv_i64 ret_
#define dh_rettemp_void NULL
#define dh_rettemp_i32  tcgv_i32_temp(ret_)
#define dh_rettemp_i64  tcgv_i64_temp(ret_)

/* ---- prototypes ----------------------------------------------------------- */
#define DEF_HELPER_0(n, f, r) dh_ctype(r) helper_##n(void);
#define DEF_HELPER_1(n, f, r, a1) dh_ctype(r) helper_##n(dh_ctype(a1));
#define DEF_HELPER_2(n, f, r, a1, a2) dh_ctype(r) helper_##n(dh_ctype(a1), dh_ctype(a2));
#define DEF_HELPER_3(n, f, r, a1, a2, a3) \
    dh_ctype(r) helper_##n(dh_ctype(a1), dh_ctype(a2), dh_ctype(a3));
#define DEF_HELPER_4(n, f, r, a1, a2, a3, a4) \
    dh_ctype(r) helper_##n(dh_ctype(a1), dh_ctype(a2), dh_ctype(a3), dh_ctype(a4));
#define DEF_HELPER_5(n, f, r, a1, a2, a3, a4, a5) \
    dh_ctype(r) helper_##n(dh_ctype(a1), dh_ctype(a2), dh_ctype(a3), dh_ctype(a4), \
                           dh_ctype(a5));
#include "target-x86/helper.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

/* ---- descriptors ------------------------------------------------------- */
#ifdef HELPER_DEFINE_INFO
#define DH_INFO(n, f, r, nargs) \
    const TCGHelperInfo helper_info_##n = { \
        .func = (void *)helper_##n, .name = #n, .flags = (f), .nb_args = (nargs), \
        .has_ret = dh_hasret_##r, .ret_type = dh_rettype_##r };
#else
#define DH_INFO(n, f, r, nargs) extern const TCGHelperInfo helper_info_##n;
#endif
#define DEF_HELPER_0(n, f, r) DH_INFO(n, f, r, 0)
#define DEF_HELPER_1(n, f, r, a1) DH_INFO(n, f, r, 1)
#define DEF_HELPER_2(n, f, r, a1, a2) DH_INFO(n, f, r, 2)
#define DEF_HELPER_3(n, f, r, a1, a2, a3) DH_INFO(n, f, r, 3)
#define DEF_HELPER_4(n, f, r, a1, a2, a3, a4) DH_INFO(n, f, r, 4)
#define DEF_HELPER_5(n, f, r, a1, a2, a3, a4, a5) DH_INFO(n, f, r, 5)
#include "target-x86/helper.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5
#undef DH_INFO

/* ---- emitters ------------------------------------------------------------ */
#define DEF_HELPER_0(n, f, r) \
    static inline void gen_helper_##n(dh_retdecl0_##r) \
    { tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, NULL); }
#define DEF_HELPER_1(n, f, r, a1) \
    static inline void gen_helper_##n(dh_retdecl_##r dh_tcg(a1) v1) \
    { TCGTemp *args[1] = { dh_temp(a1, v1) }; \
      tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, args); }
#define DEF_HELPER_2(n, f, r, a1, a2) \
    static inline void gen_helper_##n(dh_retdecl_##r dh_tcg(a1) v1, dh_tcg(a2) v2) \
    { TCGTemp *args[2] = { dh_temp(a1, v1), dh_temp(a2, v2) }; \
      tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, args); }
#define DEF_HELPER_3(n, f, r, a1, a2, a3) \
    static inline void gen_helper_##n(dh_retdecl_##r dh_tcg(a1) v1, dh_tcg(a2) v2, \
                                      dh_tcg(a3) v3) \
    { TCGTemp *args[3] = { dh_temp(a1, v1), dh_temp(a2, v2), dh_temp(a3, v3) }; \
      tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, args); }
#define DEF_HELPER_4(n, f, r, a1, a2, a3, a4) \
    static inline void gen_helper_##n(dh_retdecl_##r dh_tcg(a1) v1, dh_tcg(a2) v2, \
                                      dh_tcg(a3) v3, dh_tcg(a4) v4) \
    { TCGTemp *args[4] = { dh_temp(a1, v1), dh_temp(a2, v2), dh_temp(a3, v3), \
                           dh_temp(a4, v4) }; \
      tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, args); }
#define DEF_HELPER_5(n, f, r, a1, a2, a3, a4, a5) \
    static inline void gen_helper_##n(dh_retdecl_##r dh_tcg(a1) v1, dh_tcg(a2) v2, \
                                      dh_tcg(a3) v3, dh_tcg(a4) v4, dh_tcg(a5) v5) \
    { TCGTemp *args[5] = { dh_temp(a1, v1), dh_temp(a2, v2), dh_temp(a3, v3), \
                           dh_temp(a4, v4), dh_temp(a5, v5) }; \
      tcg_gen_callN(&helper_info_##n, dh_rettemp_##r, args); }
#include "target-x86/helper.def"
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5

#endif
