/*
 * seg-internal.h: descriptor and stack primitives of seg_helper.c, shared
 * with the far transfers (far_helper.c) so that both read descriptors and
 * push or pop frames the same way.  All take ra (GETPC() of the calling
 * helper, 0 from event delivery) for precise faults.
 */
#ifndef TARGET_X86_SEG_INTERNAL_H
#define TARGET_X86_SEG_INTERNAL_H

#include "target-x86/internal.h"

/* Read the descriptor for selector from the GDT or LDT; false if the
 * selector lies beyond the table's limit. */
bool seg_desc_load(CPUX86State *env, uint32_t selector, uint32_t *e1, uint32_t *e2,
                   uintptr_t ra);
uint64_t seg_desc_base(uint32_t e1, uint32_t e2);
/* The limit in bytes (granularity applied). */
uint32_t seg_desc_limit(uint32_t e1, uint32_t e2);
/* Load segment register seg from a descriptor already checked. */
void seg_load_from_desc(CPUX86State *env, int seg, uint32_t selector, uint32_t e1, uint32_t e2);
/* Set the accessed bit of the descriptor (high dword e2) in its table. */
void seg_desc_set_accessed(CPUX86State *env, uint32_t selector, uint32_t e2, uintptr_t ra);
unsigned seg_dpl(uint32_t e2);
unsigned seg_cpl(const CPUX86State *env);

/* Enter virtual-8086 segmentation (SDM vol.3 20.2.1): every segment
 * register sel[R_ES..R_GS] gets base sel << 4, limit 0xffff and present,
 * accessed, writable DPL 3 attributes (CS: 16-bit code), so the CPL is 3.
 * For IRET to virtual-8086 mode and task switches to a TSS with EFLAGS.VM;
 * the caller sets EFLAGS.VM (before or after: hflags follow either way). */
void seg_load_v86_segments(CPUX86State *env, const uint32_t sel[NB_SEGS]);

/* Privilege changes (far CALL/RET, IRET, event delivery; seg_helper.c):
 * the inner stack from the TSS (raising #TS(TR) beyond its limit) and the
 * checks of its SS (#TS, #SS); the SS a return to an outer level pops and
 * its load; the data segments such a return makes null. */
uint64_t seg_tss64_rsp(CPUX86State *env, unsigned level, uintptr_t ra);
void seg_tss32_stack(CPUX86State *env, unsigned dpl, uint32_t *ss, uint32_t *esp,
                     uintptr_t ra);
void seg_inner_ss_load(CPUX86State *env, uint32_t ss, unsigned dpl, uint32_t *e1,
                       uint32_t *e2, uintptr_t ra);
void seg_return_ss_load(CPUX86State *env, uint32_t ss, unsigned rpl, bool to_64,
                        uint32_t *e1, uint32_t *e2, uintptr_t ra);
void seg_return_ss_set(CPUX86State *env, uint32_t ss, uint32_t e1, uint32_t e2);
void seg_null_outer_data(CPUX86State *env, unsigned cpl);

/* A stack being pushed or popped: linear base + (sp & mask). */
typedef struct X86Stack {
    CPUX86State *env;
    uint64_t base;
    uint64_t sp;
    uint64_t mask;      /* 0xffff, 0xffffffff or all ones (64-bit) */
    int mmu_idx;
    uintptr_t ra;
    /* Outside 64-bit mode every push and pop is checked against the stack
     * segment's limit (x86_seg_range_ok), raising #SS(err) beyond it. */
    bool chk;
    uint16_t err;
    uint32_t ss_flags, ss_limit;
} X86Stack;

/* 0xffff or 0xffffffff by the stack segment's B bit. */
uint64_t seg_stack_mask(uint32_t ss_flags);
/* The current SS:rSP (64-bit mode: RSP, unchecked), #SS(0) beyond SS's
 * limit; a new stack of descriptor (e1, e2) at sp, written as supervisor,
 * #SS(err) beyond its limit: the new SS selector, plus EXT for event
 * delivery (SDM vol.2 CALL, INT n, IRET, RET). */
X86Stack seg_stack_cur(CPUX86State *env, int mmu_idx, uintptr_t ra);
X86Stack seg_stack_new(CPUX86State *env, uint16_t err, uint32_t e1, uint32_t e2, uint64_t sp,
                       uintptr_t ra);
void seg_push(X86Stack *st, uint64_t val, unsigned size);     /* size 2, 4 or 8 */
uint64_t seg_pop(X86Stack *st, unsigned size);
/* Write sp back into RSP, keeping the bits above the stack's width. */
void seg_set_rsp(CPUX86State *env, uint64_t mask, uint64_t sp);

#endif
