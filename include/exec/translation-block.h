/*
 * translation-block.h: a translated block of guest code.
 *
 * Keyed by (pc, cs_base, flags) and its guest-physical page(s).  Owned by the
 * TB cache in accel/tcg; tcg_gen_code fills the host-code fields.
 */
#ifndef EXEC_TRANSLATION_BLOCK_H
#define EXEC_TRANSLATION_BLOCK_H

#include "util/osdep.h"

#define TB_MAX_INSNS 512

typedef struct TranslationBlock TranslationBlock;

struct TranslationBlock {
    /* key */
    uint64_t pc;               /* guest virtual address of the first byte */
    uint64_t cs_base;
    uint32_t flags;            /* target hflags the code was specialised for */
    uint32_t cflags;           /* CF_* below */
    uint64_t page_addr[2];     /* guest-physical page(s) holding the code; [1] = -1 if one page */

    uint32_t size;             /* guest bytes */
    uint16_t icount;           /* guest instructions */

    /* host code */
    const void *tc_ptr;        /* executable address */
    uint32_t tc_size;

    /* goto_tb slots: offsets from tc_ptr of the patchable jump's displacement
     * field and of the unchained exit path it initially jumps to. */
    uint16_t jmp_insn_offset[2];
    uint16_t jmp_reset_offset[2];
    uintptr_t jmp_target_addr[2];   /* current target of each slot */

    /* chaining: jmp_dest[n] is the TB slot n jumps to (or NULL); incoming
     * jumps are a list threaded through jmp_list_next, tagged with the slot
     * number in the low bit. */
    struct TranslationBlock *jmp_dest[2];
    uintptr_t jmp_list_head;
    uintptr_t jmp_list_next[2];

    /* restore table: for each guest instruction, the end offset of its host
     * code and its insn_start data (pc, cc_op).  Owned by the TB cache. */
    uint16_t *insn_end_off;
    uint64_t (*insn_data)[2];

    /* per-page list of TBs, for invalidation by page */
    struct TranslationBlock *page_next[2];
    bool invalid;
    /* jumps back to its own start inside its code (tcg_gen_br_tb_start):
     * unlinking its jumps does not stop a vCPU running it, the invalidation
     * has to (tb-maint.c) */
    bool loops;
} __attribute__((aligned(8)));

enum {
    CF_NO_CHAIN    = 1 << 0,   /* never chain into or out of this block */
    CF_SINGLE_STEP = 1 << 1,   /* one instruction, then exit (gdb, -singlestep) */
    CF_SHADOW      = 1 << 2,   /* for the compare engine's shadow CPU (docs/compare.md) */
    /* -icount: the block counts its instructions down from
     * CPUState.icount_budget at entry, leaving (TB_EXIT_ICOUNT_EXPIRED)
     * when they do not all fit; no loops of several paths (regions), and
     * an instruction that reads the clock ends its block */
    CF_USE_ICOUNT  = 1 << 3,
};

#endif
